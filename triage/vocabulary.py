"""Understanding the words students type: findings, lab names and history flags."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from triage.errors import TriageError
from triage.knowledge import KnowledgeBase
from triage.reading import Reader, compile_lexicon

# Words that carry no meaning in a reported finding ("I have a cough", "my bones hurt").
FILLER = frozenset(
    {
        "a",
        "an",
        "the",
        "my",
        "i",
        "i'm",
        "im",
        "ive",
        "i've",
        "have",
        "has",
        "had",
        "having",
        "got",
        "getting",
        "is",
        "are",
        "was",
        "were",
        "am",
        "be",
        "been",
        "of",
        "in",
        "on",
        "at",
        "to",
        "with",
        "and",
        "or",
        "some",
        "any",
        "there",
        "her",
        "his",
        "she",
        "he",
        "patient",
        "reports",
        "reported",
        "complains",
        "complaining",
        "feel",
        "feeling",
        "feels",
        "very",
        "really",
    }
)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=4096)  # a cohort repeats the same few hundred phrases; bounded memory
def normalise(text: str) -> tuple[str, ...]:
    """The words of a phrase that matter, singular and sorted: case, punctuation, plurals,
    filler words and word order make no difference."""
    words = _WORD.findall(text.lower().replace("_", " ").replace("-", " "))
    kept = [_singular(word.replace("'", "")) for word in words if word not in FILLER]
    return tuple(sorted(kept))


@dataclass
class Vocabulary:
    """Every way of naming a thing, mapped to its canonical id."""

    kind: str  # what the words name, for error messages ("finding", "lab", ...)
    phrases: dict[tuple[str, ...], str] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)  # a readable phrase per key

    def add(self, phrase: str, canonical: str) -> None:
        key = normalise(phrase)
        if not key:
            raise ValueError(f"{self.kind} phrase {phrase!r} has no meaningful word")
        other = self.phrases.get(key)
        if other is not None and other != canonical:
            raise ValueError(f"{self.kind} phrase {phrase!r} means both {other} and {canonical}")
        self.phrases[key] = canonical
        shown = self.display.get(" ".join(key))
        if shown is None or ("_" in shown and "_" not in phrase):
            self.display[" ".join(key)] = phrase  # a suggestion is shown in words, not as an id

    def lookup(self, text: str) -> str | None:
        """The canonical id the text names, or None."""
        return self.phrases.get(normalise(text))

    def suggestions(self, text: str, limit: int = 3, cutoff: int = 60) -> list[str]:
        """Up to `limit` known phrases closest in spelling to the text, best first, each at
        least `cutoff` alike (0-100)."""
        from rapidfuzz import fuzz, process  # only a mistyped word needs it: a faster start

        query = " ".join(normalise(text)) or text.lower()
        choices = sorted(self.display)
        found = process.extract(query, choices, scorer=fuzz.token_sort_ratio, limit=limit * 4)
        result: list[str] = []
        seen: set[str] = set()
        for choice, score, _ in sorted(found, key=lambda hit: (-hit[1], hit[0])):
            canonical = self.phrases[tuple(choice.split())]
            if score < cutoff or canonical in seen:
                continue
            seen.add(canonical)
            result.append(self.display[choice])
            if len(result) == limit:
                break
        return result

    def resolve(self, text: str, key: str = "") -> str:
        """The canonical id the text names; an unknown word raises with close matches, naming
        the case's `key` it was given under."""
        canonical = self.lookup(text)
        if canonical is not None:
            return canonical
        close = self.suggestions(text)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        where = f"{key}: " if key else ""
        raise TriageError(f"{where}unknown {self.kind} {text!r}{hint}")


class Lexicon:
    """The vocabularies of one knowledge base, and its reader of symptom text. The findings'
    vocabulary (exact phrases, for suggestions and `triage vocab`) is made when first asked:
    reading goes through the reader, so most starts never need it."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.labs = Vocabulary("lab")
        for lab in kb.labs:
            for phrase in [lab.id, lab.name, *lab.aliases]:
                self.labs.add(phrase, lab.id)
        self.history = Vocabulary("history flag")
        for flag in kb.catalogue.history:
            self.history.add(flag.id, flag.id)
        self.reader = Reader(compile_lexicon(kb))

    @cached_property
    def findings(self) -> Vocabulary:
        return findings_vocabulary(self.kb)


def findings_vocabulary(kb: KnowledgeBase) -> Vocabulary:
    """Every finding's id, name, article bullet and synonyms (loading the knowledge base has
    refused two findings sharing a phrase: the reader's lexicon is checked when compiled)."""
    findings = Vocabulary("finding")
    for finding in kb.findings:
        for phrase in [finding.id, finding.name, finding.article, *finding.synonyms]:
            if phrase:
                findings.add(phrase, finding.id)
    return findings


def closest(text: str, choices: list[str], limit: int = 3) -> list[str]:
    """Up to `limit` of the choices closest in spelling to the text, best first."""
    from rapidfuzz import fuzz, process  # only a mistyped word needs it: a faster start

    starting = [choice for choice in sorted(choices) if text and choice.startswith(text)]
    found = process.extract(text, sorted(choices), scorer=fuzz.ratio, limit=limit * 2)
    ranked = sorted(found, key=lambda hit: (-hit[1], hit[0]))
    close = [choice for choice, score, _ in ranked if score >= 60 and choice not in starting]
    return (starting + close)[:limit]


def unknown(kind: str, text: str, choices: list[str]) -> TriageError:
    """The error for an id that is not among the known ones, with close matches."""
    close = closest(text, choices)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return TriageError(f"unknown {kind} {text!r}{hint}")

"""Words as the reader sees them: tokens with their place in the text, normalised (spelling,
lemma, negation) so that "losing", "lost" and "loses" are one word, and so are "anaemia" and
"anemia"."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

# Words, numbers, and the few symbols clinical shorthand gives a meaning ("#" a fracture,
# "N&V", "N+V", "↑" raised, "?" written on a word: a query, "?bone mets", "(-)" negative:
# "- negative" in an approved abbreviations list for medical records, "(-) lymphadenopathy").
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|#(?!\d)|[&+/↑↓]|\?(?=[^\W\d_]|$)|\(-\)")
# A number typed on its unit: "lost 6kg", "10lbs", "a 3cm lump"
_AMOUNT = re.compile(r"(\d+)(kg|kgs|kilos?|lbs?|st|stones?|pounds?|cm|mm)")
_new_tuple = tuple.__new__  # a Token made without its Python __new__ (looked up once)
# What may open or close a word typed between spaces and is no word: `_TOKEN` never takes it.
_OPENING = '("'
_CLOSING = ',.;:!)"'
# Contractions that deny, with and without the apostrophe ("can't", "cant", "won't").
_NOT_CONTRACTIONS = {
    "can't": "can",
    "cannot": "can",
    "cant": "can",
    "won't": "will",
    "wont": "will",
    "shan't": "shall",
}
# Contractions of a verb, opened to it: "I'll" is "I will", never "ill", nor "we'll" "well",
# "she'd" "shed" or "we're" "were".
_VERB_CONTRACTIONS = {"ll": "will", "d": "would", "re": "are", "ve": "have", "m": "am"}
_NT = re.compile(r"^([a-z]+)(?:n't|nt)$")
_NT_WORDS = {
    "don",
    "doesn",
    "didn",
    "isn",
    "aren",
    "wasn",
    "weren",
    "hasn",
    "haven",
    "hadn",
    "couldn",
    "wouldn",
    "shouldn",
    "ain",
}
# Words that deny: all read as the one word `not`, so "no appetite", "not hungry" and
# "never hungry" are alike and a denial is found by one test; "unable" too, as "can't" is
# ("If you're unable to do something, you just can't do it", Vocabulary.com, "unable"):
# "unable to catch my breath" is "can't catch my breath".
NOT = "not"
_DENYING = {"no", "not", "never", "none", "nor", "neither", "nothing", "(-)", "unable"}


class Token(NamedTuple):
    """One word of the text: where it is, what was typed, and the word it stands for."""

    start: int
    end: int
    surface: str  # as typed, lower case
    norm: str  # spelling, lemma and denial normalised


def _lowered(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer: keep offsets
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.replace("\u2019", "'").replace("\u2018", "'")


def _split(text: str) -> Iterable[tuple[int, int, str]]:
    for match in _TOKEN.finditer(_lowered(text)):
        start, end = match.span()
        for word in _opened(match[0]):
            yield start, end, word


@lru_cache(maxsize=8192)
def _opened(word: str) -> tuple[str, ...]:
    """A typed word as the words it stands for: "can't" is "can" "not", "she's" is "she", "6kg"
    is "6" "kg" (a number written on its unit of weight or length)."""
    if word[:1].isdigit():
        amount = _AMOUNT.fullmatch(word)
        if amount:
            return (amount[1], amount[2])
    if word in _NOT_CONTRACTIONS:
        return (_NOT_CONTRACTIONS[word], NOT)
    nt = _NT.match(word)
    if nt and (nt[1] in _NT_WORDS or nt[1] + "n" in _NT_WORDS):
        return (nt[1], NOT)
    if word.endswith("'s"):  # "she's", "bone's": the possessive or "is" adds nothing
        word = word[:-2]
    head, apostrophe, tail = word.partition("'")
    if apostrophe and head and tail in _VERB_CONTRACTIONS:
        return (head, _VERB_CONTRACTIONS[tail])
    return (word.replace("'", ""),)


@dataclass(frozen=True)
class Normaliser:
    """Maps a typed word to the word it stands for: British and American spellings alike,
    inflections to their lemma (from a table compiled with the knowledge base)."""

    spellings: dict[str, str]
    lemmas: dict[str, str]
    known: dict[str, str] = field(default_factory=dict, compare=False, repr=False)  # memo
    typed: dict[str, tuple[tuple[str, str], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )  # memo: a typed word's words and their normalised words

    def norm(self, word: str) -> str:
        found = self.known.get(word)
        if found is None:  # interned, as the lexicon's words are (see `lexicon._words`)
            found = self.known[word] = sys.intern(self._norm(word))
            if len(self.known) > 65536:  # bounded: stories bring new words
                self.known.clear()
        return found

    def _norm(self, word: str) -> str:
        if word in _DENYING:
            return NOT
        if word in ("+", "&"):  # "N+V", "N&V" and "N and V" are one
            return "and"
        word = self.spellings.get(word, word)
        return self.lemmas.get(word, word)

    def tokens(self, text: str, offset: int = 0) -> list[Token]:
        """The text's tokens, their places counted from `offset` (where the text begins in
        a longer one)."""
        # `_split` and `norm` written out in one loop: every text the reader reads goes here.
        # Most texts are plain words between single spaces, a comma or a full stop after some
        # and an apostrophe in a few ("can't"): split at the spaces, without the regex engine
        # (right after an evaluation, its code and tables are out of the CPU's caches: some
        # 60 cache misses a text). Any other text: `_TOKEN`, which finds the same there.
        if not text.isascii():
            return self._matched(_lowered(text), offset)
        lowered = text.lower()
        typed, new = self.typed, _new_tuple
        tokens: list[Token] = []
        start = offset  # where the chunk begins
        for chunk in lowered.split(" "):
            at, word = start, chunk
            start += len(chunk) + 1
            if not chunk.isalnum():
                word = chunk.lstrip(_OPENING)
                at += len(chunk) - len(word)
                word = word.rstrip(_CLOSING)
                if not word:
                    continue  # two spaces, or a comma alone
                if not word.isalnum():
                    head, _, tail = word.partition("'")  # "can't", "she's"
                    if not (head.isalnum() and tail.isalpha()):
                        return self._matched(lowered, offset)
            words = typed.get(word)
            if words is None:
                words = self._typed(word)
            for written, norm in words:
                tokens.append(new(Token, (at, at + len(word), written, norm)))
        return tokens

    def _matched(self, lowered: str, offset: int) -> list[Token]:
        """The tokens of a lower-case text, found by `_TOKEN`."""
        typed, new = self.typed, _new_tuple
        tokens = []
        for match in _TOKEN.finditer(lowered):
            start, end = match.span()
            if offset:
                start, end = start + offset, end + offset
            words = typed.get(match[0])
            if words is None:
                words = self._typed(match[0])
            for word, norm in words:
                tokens.append(new(Token, (start, end, word, norm)))
        return tokens

    def _typed(self, typed: str) -> tuple[tuple[str, str], ...]:
        """A typed word's words, each with its normalised word (remembered)."""
        if len(self.typed) > 65536:  # bounded: stories bring new words
            self.typed.clear()
        words = self.typed[typed] = tuple(
            (sys.intern(word), self.norm(word)) for word in _opened(typed)
        )
        return words

    def words(self, text: str) -> list[str]:
        """The normalised words of a phrase."""
        return [self.norm(w) for _, _, w in _split(text)]


def raw_words(text: str) -> list[str]:
    """The words of a phrase as typed (lower case, contractions opened)."""
    return [w for _, _, w in _split(text)]


def _a_word_of_its_own(form: str, lemmas_of) -> bool:
    """Whether an inflection of another word is a noun and a verb in its own right ("wound":
    a wound, to wound; not only what the wind did): typed, it is not taken for the other
    word's lemma unless the vocabulary itself has it."""
    lemmas = lemmas_of(form)
    return form in (lemmas.get("NOUN") or ()) and form in (lemmas.get("VERB") or ())


def graded_forms(adjectives: Iterable[str]) -> dict[str, str]:
    """Each adjective's comparative and superlative, as lemminflect inflects it ("clumsier",
    "clumsiest"), mapped to the adjective: only the forms made on its own stem (-er, -ier,
    -est), never an irregular one ("worse" is not "bad"); and, for one not ending in "y" or
    "e", its "-ish" ("yellowish")."""
    from lemminflect import getAllInflections

    forms: dict[str, str] = {}
    for adjective in sorted(set(adjectives)):
        stem = adjective[:-1] if adjective.endswith(("y", "e")) else adjective
        for tag in ("JJR", "JJS"):
            for form in getAllInflections(adjective, upos="ADJ").get(tag, ()):
                if form.startswith(stem):
                    forms.setdefault(form, adjective)
        if stem == adjective:  # "-ish: somewhat" (WordReference): "yellowish"
            forms.setdefault(adjective + "ish", adjective)
    return forms


def _regular_plurals(noun: str) -> tuple[str, ...]:
    """A noun's plural as lemminflect's rules for words outside its dictionary make it
    ("lymphadenopathy" -> "lymphadenopathies")."""
    from lemminflect import getAllInflectionsOOV

    return tuple(f for f in getAllInflectionsOOV(noun, upos="NOUN").get("NNS", ()) if f != noun)


def lemma_table(words: Iterable[str]) -> dict[str, str]:
    """Every inflection of each word's lemma mapped to that lemma (nouns and verbs only: an
    adjective's comparative is another word, "worse" is not "bad"), for a knowledge base's
    vocabulary. Uses lemminflect, a dictionary-based English lemmatiser, at build time only:
    the table is cached with the knowledge base."""
    from lemminflect import getAllInflections, getAllLemmas

    table: dict[str, str] = {}
    inflected: dict[str, str] = {}
    for word in sorted(set(words)):
        if not word.isalpha() or word in _DENYING:
            continue
        lemmas = getAllLemmas(word)
        chosen = (lemmas.get("VERB") or lemmas.get("NOUN") or (None,))[0]
        if chosen is None:
            if not lemmas and len(word) > 4:  # a word lemminflect does not know, a clinical
                # noun ("lymphadenopathy"; not a short word: "as" is no plural of "a"): a noun's
                for form in _regular_plurals(word):  # regular plural ("lymphadenopathies")
                    inflected.setdefault(form, word)
            continue
        if chosen != word and "VERB" not in lemmas:  # "swellings": a noun whose singular
            singular = getAllLemmas(chosen)  # is a verb's form too ("swelling"): as it is
            chosen = (singular.get("VERB") or (chosen,))[0]
        table[word] = chosen
        if chosen != word and word in (lemmas.get("NOUN") or ()):  # "swelling", a noun too:
            for form in getAllInflections(word, upos="NOUN").get("NNS", ()):  # "swellings"
                inflected.setdefault(form, chosen)
        for tag, forms in sorted(getAllInflections(chosen).items()):
            if tag.startswith(("NN", "VB")):
                for form in forms:
                    if form != chosen and _a_word_of_its_own(form, getAllLemmas):
                        continue  # "wound" is a wound, not what the wind did ("winded")
                    inflected.setdefault(form, chosen)
    for form, lemma in inflected.items():
        table.setdefault(form, lemma)
    return dict(sorted(table.items()))

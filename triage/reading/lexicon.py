"""The reader's lexicon, compiled from a knowledge base: every phrase that names a finding
(its words normalised and sorted), the phrases composed of a complaint and a body place, the
qualifiers, denials and time words, and the clinical rewrites (abbreviations, terms)."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import Any

from triage.errors import KnowledgeError
from triage.reading.data import ClinicalList, ReadingData
from triage.reading.words import NOT, Normaliser, graded_forms, lemma_table, raw_words

EXACT, COMPOSED = "exact", "composed"


@dataclass(frozen=True, slots=True)
class Phrase:
    """A known way of naming one finding (or several: then it is asked about). Slots: a
    reading reads a few fields of each phrase it tries, at fixed places in the object, not
    through an instance dict (two more cache lines each, cold right after an evaluation)."""

    key: tuple[str, ...]  # its content words, normalised and sorted
    findings: tuple[str, ...]
    how: str  # EXACT (the finding's own words) or COMPOSED (complaint x place)
    text: str  # as written in rules/
    surface: tuple[str, ...]  # its content words as written, in order
    complaint: frozenset[str] = frozenset()  # the complaint words of a composed phrase


@dataclass(frozen=True)
class Rewrite:
    """A clinical word or abbreviation and the plain words it stands for."""

    words: tuple[str, ...]  # as typed, normalised
    means: tuple[str, ...]  # one meaning: rewritten; several: asked
    label: str  # as written in rules/clinical.yaml
    needs_capitals: bool  # an everyday word too ("SOB"): only read in capitals


@dataclass
class Lexicon:
    normaliser: Normaliser
    function: frozenset[str]
    by_rare_word: dict[str, list[Phrase]] = field(default_factory=dict)  # by its rarest word
    rewrites: dict[str, list[Rewrite]] = field(default_factory=dict)  # by first word
    qualifiers: dict[str, dict[str, list[tuple[str, ...]]]] = field(default_factory=dict)
    negation_before: list[tuple[str, ...]] = field(default_factory=list)
    negation_after: list[tuple[str, ...]] = field(default_factory=list)
    negation_prefix: list[tuple[str, ...]] = field(default_factory=list)
    negation_suffix: list[tuple[str, ...]] = field(default_factory=list)
    negation_after_list: list[tuple[str, ...]] = field(default_factory=list)
    pseudo: list[tuple[str, ...]] = field(default_factory=list)
    not_findings: list[tuple[str, ...]] = field(default_factory=list)
    terminators: list[tuple[str, ...]] = field(default_factory=list)
    contrasts: list[tuple[str, ...]] = field(default_factory=list)
    time_over: list[tuple[str, ...]] = field(default_factory=list)
    time_removed: list[tuple[str, ...]] = field(default_factory=list)  # `Time.removed`
    removable: frozenset[str] = frozenset()  # `Time.removable`
    time_over_before: list[tuple[str, ...]] = field(default_factory=list)
    time_before: list[tuple[str, ...]] = field(default_factory=list)
    time_still: list[tuple[str, ...]] = field(default_factory=list)
    hypothetical: list[tuple[str, ...]] = field(default_factory=list)
    intended: list[tuple[str, ...]] = field(default_factory=list)  # "on purpose", "dieting"
    intended_findings: frozenset[str] = frozenset()  # ... of these findings: no symptom
    explained: list[tuple[str, ...]] = field(default_factory=list)  # "before my period"
    explained_findings: frozenset[str] = frozenset()  # ... of these findings: no symptom
    # each of those phrases -> the findings it explains ("with a cold": a cough)
    explains: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict)
    placed: dict[str, frozenset[str]] = field(default_factory=dict)  # `ReadingData.unplaced`
    said_of_a_part: frozenset[str] = frozenset()  # `Clauses.said_of_a_part`
    parts: frozenset[str] = frozenset()  # `Clauses.parts`
    titles: frozenset[str] = frozenset()  # `Clauses.titles`
    interjections: frozenset[str] = frozenset()  # `Clauses.interjections`, normalised
    comparatives: frozenset[str] = frozenset()  # "worse" ...
    circumstance_after: frozenset[str] = frozenset()  # ... "when", "at": when, not growing
    time_again: list[tuple[str, ...]] = field(default_factory=list)
    family_history: list[tuple[str, ...]] = field(default_factory=list)  # someone else's
    relatives: list[tuple[str, ...]] = field(default_factory=list)  # ... as the subject
    never_the_patient: list[tuple[str, ...]] = field(default_factory=list)  # ... in any text
    touching: list[tuple[str, ...]] = field(default_factory=list)  # "petting my dog"
    narrator: list[tuple[str, ...]] = field(default_factory=list)  # the teller's own words
    separators: list[tuple[str, ...]] = field(default_factory=list)
    circumstances: list[tuple[str, ...]] = field(default_factory=list)
    aggravations: list[tuple[str, ...]] = field(default_factory=list)  # "made worse by"
    supposed: list[tuple[str, ...]] = field(default_factory=list)  # "I thought"
    likeness: list[tuple[str, ...]] = field(default_factory=list)  # "feels like"
    # (word, next word): the word in another sense, not read ("fitting looser": no fit)
    other_senses: frozenset[tuple[str, str]] = frozenset()
    described: frozenset[str] = frozenset()  # "lump": what a complaint word before describes
    # (word before, word), as typed: the word in another sense ("is fit": no seizure)
    other_senses_after: frozenset[tuple[str, str]] = frozenset()
    # (word, word after), as typed: the word in another sense ("back of the shoe": no back)
    other_senses_before: frozenset[tuple[str, str]] = frozenset()
    against: frozenset[str] = frozenset()  # `Clauses.against`: "anti-nausea" names a medicine
    subjects: list[tuple[str, ...]] = field(default_factory=list)
    verbs: list[tuple[str, ...]] = field(default_factory=list)
    references: list[tuple[str, ...]] = field(default_factory=list)
    definites: list[tuple[str, ...]] = field(default_factory=list)
    answers_yes: list[tuple[str, ...]] = field(default_factory=list)
    answers_no: list[tuple[str, ...]] = field(default_factory=list)
    normal_states: list[tuple[str, ...]] = field(default_factory=list)
    state_idioms: list[tuple[str, ...]] = field(default_factory=list)  # `States.idioms`
    states_after_only: list[tuple[str, ...]] = field(default_factory=list)  # `States.after_only`
    denied_changes: list[tuple[str, ...]] = field(default_factory=list)  # `States.changes`
    state_links: list[tuple[str, ...]] = field(default_factory=list)
    measures: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)  # -> findings
    examined: frozenset[str] = frozenset()  # the findings of places that are only examined
    across: frozenset[tuple[str, ...]] = frozenset()  # keys of `Composition.across` phrases
    sentence_ends: frozenset[str] = frozenset()
    shortened_forms: tuple[str, ...] = ()  # "e.g.": their full stops end no sentence
    other_places: frozenset[str] = frozenset()
    other_causes: frozenset[str] = frozenset()  # also in other_places
    place_words: frozenset[str] = frozenset()
    # (word, place): a composition's place that one of the `elsewhere` words opens ("under
    # ribs": ("under", "rib")); said so, the place is not the place itself
    elsewhere: frozenset[tuple[str, str]] = frozenset()
    complaint_words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # -> findings
    # the complaint words that are a complaint alone ("lump", not "difficulty" of "difficulty
    # controlling"): what a complaint said with no place could be (`Reading.choices`)
    lone_complaints: dict[str, tuple[str, ...]] = field(default_factory=dict)
    finding_words: frozenset[str] = frozenset()  # what a misspelt word may be corrected to
    names: dict[str, str] = field(default_factory=dict)  # finding id -> readable name
    feelings: dict[str, str] = field(default_factory=dict)  # "awful" -> malaise: felt so
    feeling_verbs: frozenset[str] = frozenset()  # "feel"
    feeling_subjects: frozenset[str] = frozenset()  # "I", "she": who feels it
    feeling_not_after: frozenset[str] = frozenset()  # "about": sorry, not ill
    feeling_well: frozenset[str] = frozenset()  # "well", "fine": she feels well
    feeling_well_until: frozenset[str] = frozenset()  # "until": well no longer
    _starts: dict[int, tuple[list, dict[str, list]]] = field(default_factory=dict, repr=False)
    closest_cache: dict[str, list[str]] = field(default_factory=dict, repr=False)

    @property
    def sorted_finding_words(self) -> list[str]:
        if self._sorted_words is None:
            self._sorted_words = sorted(self.finding_words)
        return self._sorted_words

    _sorted_words: list[str] | None = field(default=None, repr=False)

    @property
    def known_words(self) -> frozenset[str]:
        """The words never corrected as misspelt: the findings' words, function words, the
        words of the lemma table and the other body places (built once)."""
        if self._known_words is None:
            self._known_words = (
                self.finding_words
                | self.function
                | frozenset(self.normaliser.lemmas)
                | self.other_places
            )
        return self._known_words

    _known_words: frozenset[str] | None = field(default=None, repr=False, compare=False)

    def finding_words_of_length(self, length: int) -> list[str]:
        """The words a misspelt word may be corrected to, of one length (sorted)."""
        if self._words_by_length is None:
            by_length: dict[int, list[str]] = {}
            for word in self.sorted_finding_words:
                by_length.setdefault(len(word), []).append(word)
            self._words_by_length = by_length
        return self._words_by_length.get(length, [])

    _words_by_length: dict[int, list[str]] | None = field(default=None, repr=False, compare=False)

    def finding_words_of_lengths(self, shortest: int, longest: int) -> list[str]:
        """The words a misspelt word may be corrected to, from one length to another (the
        order makes no difference to what is found: see `reader._closest`); built once."""
        words = self._words_by_lengths.get((shortest, longest))
        if words is None:
            words = self._words_by_lengths[(shortest, longest)] = [
                word
                for length in range(shortest, longest + 1)
                for word in self.finding_words_of_length(length)
            ]
        return words

    _words_by_lengths: dict[tuple[int, int], list[str]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # Every phrase by its key, and by each of its words: what compiling and checking use. The
    # reader needs only `by_rare_word`, so a lexicon read from the knowledge cache builds these
    # when first asked (a faster start).
    _phrases: dict[tuple[str, ...], Phrase] | None = field(default=None, repr=False)
    _by_word: dict[str, list[Phrase]] | None = field(default=None, repr=False)

    @property
    def measure_list(self) -> list[tuple[str, ...]]:
        """The measures' words, as one list (its id stays its own: see `starting`), longest
        first as every list of phrases is (see `phrases`): "visual acuity" is one measure, not
        "visual" and a word after it."""
        cached = self._measure_list
        if cached is None or cached[0] is not self.measures or len(cached[1]) != len(self.measures):
            ordered = sorted(self.measures, key=lambda k: (-len(k), k))
            cached = self._measure_list = (self.measures, ordered)
        return cached[1]

    _measure_list: tuple[dict, list[tuple[str, ...]]] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def phrases(self) -> dict[tuple[str, ...], Phrase]:
        if self._phrases is None:
            self._phrases = {
                phrase.key: phrase for phrases in self.by_rare_word.values() for phrase in phrases
            }
        return self._phrases

    @property
    def by_word(self) -> dict[str, list[Phrase]]:
        if self._by_word is None:
            self._by_word = {}
            for phrase in self.phrases.values():
                for word in set(phrase.key):
                    self._by_word.setdefault(word, []).append(phrase)
        return self._by_word

    def starting(self, phrases: list[tuple[str, ...]]) -> dict[str, list]:
        """The phrases of one of the lexicon's lists by their first word, each with its rank
        in the list (longest first), built once per list."""
        cached = self._starts.get(id(phrases))
        if cached is not None and cached[0] is phrases:  # the very list, not a later one
            return cached[1]
        index: dict[str, list] = {}
        for order, phrase in enumerate(phrases):
            index.setdefault(phrase[0], []).append((order, phrase))
        self._starts[id(phrases)] = (phrases, index)  # kept alive: its id stays its own
        return index

    _rare_index: dict[str, dict[str, list[int]]] | None = field(
        default=None, repr=False, compare=False
    )

    def rare_index(self) -> dict[str, dict[str, list[int]]]:
        """The index of `by_rare_word`'s long lists (see `_rare_index`), made once."""
        index = self._rare_index
        if index is None:
            index = self._rare_index = _rare_index(self)
        return index

    def common_starts(self) -> tuple[frozenset[int], dict[str, tuple[list, dict]]]:
        """The phrases of all the reader's lists (negation, time, clauses, states, measures,
        qualifiers) as one trie of their words: each node a word, with the phrases that end
        there (their list's id and their rank in it) and the words that may follow. One walk
        from each word of a sentence finds them all. Rebuilt if a list was replaced."""
        lists = [getattr(self, name) for name in _PHRASE_LISTS if name not in _WORD_SETS]
        lists.append(self.measure_list)
        lists += [words for named in self.qualifiers.values() for words in named.values()]
        cached = self._common
        if cached is not None and all(a is b for a, b in zip(cached[0], lists, strict=True)):
            return cached[1], cached[2]
        trie: dict[str, tuple[list, dict]] = {}
        ids: set[int] = set()
        for phrases in lists:
            if id(phrases) in ids:
                continue
            ids.add(id(phrases))
            for order, phrase in enumerate(phrases):
                following = trie
                for word in phrase:
                    node = following.get(word)
                    if node is None:
                        node = following[word] = ([], {})
                    following = node[1]
                node[0].append((id(phrases), order))
        self._common = (lists, frozenset(ids), trie)
        return self._common[1], self._common[2]

    _common: tuple[list, frozenset[int], dict[str, tuple[list, dict]]] | None = field(
        default=None, repr=False, compare=False
    )
    # what the reader works out once from this lexicon (its places, its abbreviations'
    # meanings): kept with it, so that it goes when the lexicon goes
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def one_word(self, phrases: list[tuple[str, ...]]) -> frozenset[str]:
        """The words of a list's one-word phrases, built once per list."""
        cached = self._one_words.get(id(phrases))
        if cached is not None and cached[0] is phrases:
            return cached[1]
        words = frozenset(phrase[0] for phrase in phrases if len(phrase) == 1)
        self._one_words[id(phrases)] = (phrases, words)  # kept alive: its id stays its own
        return words

    _one_words: dict[int, tuple[list, frozenset[str]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def words(self, text: str) -> tuple[str, ...]:
        return tuple(self.normaliser.words(text))

    def content(self, text: str) -> tuple[str, ...]:
        return tuple(w for w in self.normaliser.words(text) if w not in self.function)


def _rare_index(lexicon: Lexicon) -> dict[str, dict[str, list[int]]]:
    """For each word that is the rarest word of many phrases: the places of those phrases in
    its `by_rare_word` list, by another of their words (the rarest; "" for none)."""
    counts: dict[str, int] = {}
    for phrases in lexicon.by_rare_word.values():
        for phrase in phrases:
            for word in set(phrase.key):
                counts[word] = counts.get(word, 0) + 1
    index: dict[str, dict[str, list[int]]] = {}
    for word, phrases in lexicon.by_rare_word.items():
        if len(phrases) < 8:
            continue
        by_other: dict[str, list[int]] = {}
        for k, phrase in enumerate(phrases):
            others = set(phrase.key) - {word}
            other = min(others, key=lambda w: (counts[w], w)) if others else ""
            by_other.setdefault(other, []).append(k)
        index[word] = by_other
    return index


def all_words(findings, reading: ReadingData, clinical: ClinicalList) -> list[str]:
    """Every word the lexicon is written in: what the lemma table must cover."""
    texts: list[str] = []
    for finding in findings:
        texts += [
            finding.id.replace("_", " "),
            finding.name,
            finding.article or "",
            *finding.synonyms,
        ]
    for composition in reading.compositions:
        texts += composition.complaints + list(composition.places)
    for qualifiers in reading.qualifiers.values():
        for words in qualifiers.values():
            texts += words
    negation, time = reading.negation, reading.time
    for group in (
        negation.before,
        negation.after,
        negation.pseudo,
        negation.terminators,
        negation.contrasts,
        negation.prefix,
        negation.suffix,
        negation.after_list,
    ):
        texts += group
    texts += time.over + time.over_before + time.before + time.still + reading.function_words.words
    texts += time.removed
    texts += time.hypothetical + time.again
    texts += reading.intended.phrases if reading.intended else []
    texts += [phrase for cause in reading.explained for phrase in cause.phrases]
    if reading.experiencer:
        experiencer = reading.experiencer
        texts += experiencer.history + experiencer.relatives + experiencer.narrator
        texts += experiencer.never_the_patient
        texts += experiencer.touching
    texts += reading.not_findings + reading.clauses.place_words + time.pseudo
    texts += reading.clauses.elsewhere
    if reading.feeling_ill:
        feeling = reading.feeling_ill
        texts += feeling.verbs + feeling.subjects + feeling.words + feeling.not_after
    texts += reading.clauses.descriptors + reading.clauses.circumstances
    texts += reading.clauses.aggravations + reading.clauses.likeness
    texts += reading.supposed
    texts += reading.clauses.other_senses + reading.clauses.described
    texts += reading.clauses.other_senses_after + reading.clauses.other_senses_before
    texts += reading.clauses.comparatives + reading.clauses.circumstance_after
    texts += reading.clauses.subjects + reading.clauses.verbs
    texts += reading.clauses.references + reading.clauses.definites
    texts += reading.answers.yes + reading.answers.no if reading.answers else []
    texts += reading.other_causes.words if reading.other_causes else []
    texts += reading.other_body_places.words  # "cheeks" is "cheek", a place no finding owns
    if reading.states:
        texts += reading.states.normal + reading.states.links + reading.states.idioms
    texts += [term.means for term in clinical.terms] + [term.term for term in clinical.terms]
    for abbreviation in clinical.abbreviations:
        texts += abbreviation.means
    spellings = dict(clinical.spellings)
    words = [w for text in texts for w in raw_words(text)]
    return [spellings.get(w, w) for w in words] + [b for _, b in clinical.spellings]


def compiled_words(findings, reading: ReadingData, clinical: ClinicalList) -> dict:
    """What the knowledge base compiles (and caches) for the reader: the lemma table of its
    words, which abbreviations are everyday English words too, and the whole lexicon (a
    phrase naming two findings raises KnowledgeError here, when the knowledge base loads)."""
    from lemminflect import getAllLemmas

    english = sorted(
        {a.abbr.lower() for a in clinical.abbreviations if getAllLemmas(a.abbr.lower())}
    )
    source = SimpleNamespace(
        findings=findings,
        reading=reading,
        clinical=clinical,
        lemmas=_lemmas(all_words(findings, reading, clinical), reading),
        english_words=english,
    )
    lexicon = _compile(source)
    return {"lemmas": source.lemmas, "english_words": english, "lexicon": _snapshot(lexicon)}


def _lemmas(words: list[str], reading: ReadingData) -> dict[str, str]:
    """The lemma table, where a function word is never made into a place or a cause that no
    finding owns ("a bit" is not "a bite", an everyday cause, which would keep "her skin
    looks a bit yellow" from being read)."""
    function = {w for text in reading.function_words.words for w in raw_words(text)}
    causes = reading.other_causes.words if reading.other_causes else []
    elsewhere = {w for text in reading.other_body_places.words + causes for w in raw_words(text)}
    own = set(reading.own_forms)  # "winded" stays "winded" (`ReadingData.own_forms`)
    table = {
        word: lemma
        for word, lemma in lemma_table([w for w in words if w not in own]).items()
        if (word not in function or lemma not in elsewhere) and word not in own
    }
    for word, adjective in graded_forms(reading.graded).items():
        table.setdefault(word, table.get(adjective, adjective))
    return dict(sorted(table.items()))


_PHRASE_LISTS = (
    "not_findings",
    "negation_before",
    "negation_after",
    "negation_prefix",
    "negation_suffix",
    "negation_after_list",
    "pseudo",
    "terminators",
    "contrasts",
    "time_over",
    "time_removed",
    "time_over_before",
    "time_before",
    "time_still",
    "hypothetical",
    "intended",
    "explained",
    "time_again",
    "family_history",
    "relatives",
    "never_the_patient",
    "touching",
    "narrator",
    "separators",
    "normal_states",
    "state_idioms",
    "states_after_only",
    "denied_changes",
    "circumstances",
    "aggravations",
    "supposed",
    "likeness",
    "state_links",
    "subjects",
    "verbs",
    "references",
    "definites",
    "answers_yes",
    "answers_no",
)

# The lists the reader reads as sets of words (see `one_word`), never as phrases in a sentence:
# not in the trie of `common_starts` (a third of what its walk found, never asked for).
_WORD_SETS = frozenset(
    {"subjects", "verbs", "definites", "references", "answers_yes", "answers_no", "circumstances"}
)


# The compiled fields the knowledge cache keeps as they are (sets, tuples, strings: shared, read
# only) and those kept as a dict of the lexicon's own (see `_snapshot`, `compile_lexicon`).
_KEPT = (
    "sentence_ends",
    "other_places",
    "other_causes",
    "intended_findings",
    "removable",
    "explained_findings",
    "said_of_a_part",
    "parts",
    "titles",
    "interjections",
    "comparatives",
    "circumstance_after",
    "place_words",
    "elsewhere",
    "other_senses",
    "described",
    "other_senses_after",
    "other_senses_before",
    "against",
    "examined",
    "across",
    "finding_words",
    "feeling_verbs",
    "feeling_subjects",
    "feeling_not_after",
    "feeling_well",
    "feeling_well_until",
)
_DICTS = (
    "explains",
    "placed",
    "complaint_words",
    "lone_complaints",
    "measures",
    "names",
    "feelings",
)


def _snapshot(lexicon: Lexicon) -> dict[str, Any]:
    """The compiled lexicon as plain values, ready to use (kept in the knowledge cache, which
    `marshal` writes: tuples and frozensets stay what they are), its strings interned as the
    reader's words are (see `_words`)."""
    return interned(
        {
            "function": lexicon.function,
            # the phrases by their rarest word, and the index of the words with many
            "by_rare_word": {
                word: [(p.key, p.findings, p.how, p.text, p.surface, p.complaint) for p in phrases]
                for word, phrases in lexicon.by_rare_word.items()
            },
            "rare_index": _rare_index(lexicon),
            "rewrites": {
                word: [(r.words, r.means, r.label, r.needs_capitals) for r in rewrites]
                for word, rewrites in lexicon.rewrites.items()
            },
            "qualifiers": lexicon.qualifiers,
            **{name: getattr(lexicon, name) for name in _PHRASE_LISTS},
            "shortened_forms": lexicon.shortened_forms,
            **{name: getattr(lexicon, name) for name in _KEPT},
            # as pairs: some have tuple keys, which JSON has not
            **{name: list(getattr(lexicon, name).items()) for name in _DICTS},
        }
    )


def interned(value: Any, shared: dict[Any, Any] | None = None) -> Any:
    """The value with every string in it interned and every tuple or frozenset of strings made
    one object per value, through dicts, lists, tuples and frozensets: fewer objects, and
    `marshal` writes a shared object once and reads it back shared (and interned)."""
    shared = {} if shared is None else shared
    if isinstance(value, str):
        return sys.intern(value)
    if isinstance(value, dict):
        return {interned(k, shared): interned(v, shared) for k, v in value.items()}
    if isinstance(value, list):
        return [interned(v, shared) for v in value]
    if isinstance(value, tuple | frozenset):
        items = type(value)(interned(v, shared) for v in value)
        if all(isinstance(v, str) for v in items):  # not (1,): it equals (1.0,) and (True,)
            return shared.setdefault((type(items), items), items)
        return items
    return value


def _words(words: Iterable[str]) -> tuple[str, ...]:
    """Words as the one string object of each (interned), as the reader's words are (see
    `Normaliser.norm`): a lookup of one in a table then matches by identity, without reading
    the two strings, which are often out of the CPU's cache when a case was just evaluated
    (6% of a reading there)."""
    return tuple(map(sys.intern, words))


def compile_lexicon(kb) -> Lexicon:
    """The reader's lexicon of a knowledge base, from what the knowledge base compiled (its
    values are shared, but no list or dict: a lexicon's own are its own)."""
    data = kb.lexicon
    spellings = {british: american for british, american in kb.clinical.spellings}
    lexicon = Lexicon(
        normaliser=Normaliser(spellings=spellings, lemmas=kb.lemmas),
        function=data["function"],
    )
    lexicon.by_rare_word = {  # each phrase's fields in order (see `_snapshot`)
        word: [Phrase(*fields) for fields in phrases]
        for word, phrases in data["by_rare_word"].items()
    }
    lexicon._rare_index = data["rare_index"]  # read only
    lexicon.rewrites = {
        word: [Rewrite(*fields) for fields in rewrites]
        for word, rewrites in data["rewrites"].items()
    }
    lexicon.qualifiers = {
        finding: {name: list(words) for name, words in qualifiers.items()}
        for finding, qualifiers in data["qualifiers"].items()
    }
    for name in _PHRASE_LISTS:
        setattr(lexicon, name, list(data[name]))
    lexicon.shortened_forms = tuple(data["shortened_forms"])
    for name in _KEPT:
        setattr(lexicon, name, data[name])
    for name in _DICTS:
        setattr(lexicon, name, dict(data[name]))
    return lexicon


def _compile(kb) -> Lexicon:
    """The lexicon of a knowledge base's words; a phrase naming two findings raises."""
    reading: ReadingData = kb.reading
    clinical: ClinicalList = kb.clinical
    spellings = {british: american for british, american in clinical.spellings}
    normaliser = Normaliser(spellings=spellings, lemmas=kb.lemmas)
    function = frozenset(
        normaliser.norm(w) for text in reading.function_words.words for w in raw_words(text)
    ) | frozenset(raw_words(" ".join(reading.function_words.words)))
    function -= {NOT}
    lexicon = Lexicon(normaliser=normaliser, function=function, _phrases={}, _by_word={})
    lexicon.names = {f.id: f.name for f in kb.findings}
    feeling = reading.feeling_ill
    if feeling:
        if feeling.finding not in lexicon.names:
            raise KnowledgeError(
                f"feeling_ill: unknown finding {feeling.finding!r}", where="reading.yaml"
            )
        norm = normaliser.norm
        lexicon.feelings = {norm(w): feeling.finding for w in feeling.words}
        lexicon.feeling_verbs = frozenset(norm(w) for w in feeling.verbs)
        lexicon.feeling_subjects = frozenset(norm(w) for w in feeling.subjects)
        lexicon.feeling_not_after = frozenset(norm(w) for w in feeling.not_after)
        lexicon.feeling_well = frozenset(norm(w) for w in feeling.well)
        lexicon.feeling_well_until = frozenset(norm(w) for w in feeling.well_until)

    for finding in kb.findings:
        for text in [
            finding.id.replace("_", " "),
            finding.name,
            finding.article,
            *finding.synonyms,
        ]:
            if text:
                _add(lexicon, text, (finding.id,), EXACT)
    same_places = {w: group for group in reading.clauses.same_places for w in group}
    for composition in reading.compositions:
        # (not a phrase told across statements: its words are far apart, and "lower limbs"
        # would take its "lower" from a "lower back")
        places = (
            composition.places
            if composition.across
            else _said_each_way(composition.places, same_places)
        )
        for place in places:
            if not lexicon.content(place):  # "a lot": it would name the complaint alone
                raise KnowledgeError(
                    f"composition {composition.name!r}: place {place!r} has no meaningful word",
                    where="reading.yaml",
                )
        for complaint in composition.complaints:
            complaint_key = lexicon.content(complaint)
            if not complaint_key:  # a function word ("little"): it would name the place alone
                raise KnowledgeError(
                    f"composition {composition.name!r}: complaint {complaint!r} has no"
                    " meaningful word",
                    where="reading.yaml",
                )
            for place, findings in places.items():
                for word in complaint_key:
                    known = lexicon.complaint_words.get(word, ())
                    lexicon.complaint_words[word] = tuple(sorted(set(known) | set(findings)))
                if len(complaint_key) == 1:
                    (word,) = complaint_key
                    known = lexicon.lone_complaints.get(word, ())
                    lexicon.lone_complaints[word] = tuple(sorted(set(known) | set(findings)))
                if composition.measure or composition.examined:
                    measure = lexicon.words(place)
                    known = lexicon.measures.get(measure, ())
                    lexicon.measures[measure] = tuple(sorted(set(known) | set(findings)))
                if composition.examined:
                    lexicon.examined = lexicon.examined | set(findings)
                key = _add(
                    lexicon,
                    f"{complaint} {place}",
                    tuple(findings),
                    COMPOSED,
                    complaint=frozenset(complaint_key),
                )
                if composition.across:
                    lexicon.across = lexicon.across | {key}
    for finding_id, qualifiers in reading.qualifiers.items():
        lexicon.qualifiers[finding_id] = {
            name: sorted({lexicon.words(w) for w in words}, key=lambda k: (-len(k), k))
            for name, words in qualifiers.items()
        }
    negation, time = reading.negation, reading.time

    def phrases(texts: list[str]) -> list[tuple[str, ...]]:
        return sorted(
            {lexicon.words(t) for t in texts if lexicon.words(t)}, key=lambda k: (-len(k), k)
        )

    lexicon.negation_before = phrases(negation.before)
    lexicon.negation_after = phrases(negation.after)
    lexicon.negation_prefix = phrases(negation.prefix)
    lexicon.negation_suffix = phrases(negation.suffix)
    lexicon.negation_after_list = phrases(negation.after_list)
    lexicon.pseudo = phrases(negation.pseudo + time.pseudo)  # ConText: any trigger's pseudo
    lexicon.not_findings = phrases(reading.not_findings)
    lexicon.terminators = phrases(negation.terminators + negation.contrasts)
    lexicon.contrasts = phrases(negation.contrasts)
    lexicon.time_over = phrases(time.over)
    lexicon.time_removed = phrases(time.removed)
    lexicon.removable = frozenset(time.removable)
    lexicon.time_over_before = phrases(time.over_before)
    lexicon.time_before = phrases(time.before)
    lexicon.time_still = phrases(time.still)
    lexicon.hypothetical = phrases(time.hypothetical)
    if reading.intended:
        lexicon.intended = phrases(reading.intended.phrases)
        lexicon.intended_findings = frozenset(reading.intended.findings)
    for cause in reading.explained:
        for phrase in phrases(cause.phrases):
            known = lexicon.explains.get(phrase, frozenset())
            lexicon.explains[phrase] = known | frozenset(cause.findings)
    lexicon.explained = sorted(lexicon.explains)
    lexicon.placed = {f: frozenset(placed) for f, placed in reading.unplaced.items()}
    lexicon.explained_findings = frozenset(f for c in reading.explained for f in c.findings)
    lexicon.time_again = phrases(time.again)
    if reading.experiencer:
        lexicon.family_history = phrases(reading.experiencer.history)
        lexicon.relatives = phrases(reading.experiencer.relatives)
        lexicon.never_the_patient = phrases(reading.experiencer.never_the_patient)
        lexicon.touching = phrases(reading.experiencer.touching)
        lexicon.narrator = phrases(reading.experiencer.narrator)
    lexicon.separators = phrases(reading.clauses.separators)
    lexicon.circumstances = phrases(reading.clauses.circumstances)
    lexicon.aggravations = phrases(reading.clauses.aggravations)
    lexicon.supposed = phrases(reading.supposed)
    lexicon.likeness = phrases(reading.clauses.likeness)
    lexicon.described = frozenset(lexicon.normaliser.norm(w) for w in reading.clauses.described)
    lexicon.said_of_a_part = frozenset(
        lexicon.normaliser.norm(w) for w in reading.clauses.said_of_a_part
    )
    lexicon.parts = frozenset(lexicon.normaliser.norm(w) for w in reading.clauses.parts)
    lexicon.titles = frozenset(w.lower() for w in reading.clauses.titles)
    lexicon.interjections = frozenset(map(lexicon.normaliser.norm, reading.clauses.interjections))
    lexicon.other_senses_after = _typed_pairs(reading.clauses.other_senses_after)
    lexicon.other_senses_before = _typed_pairs(reading.clauses.other_senses_before)
    lexicon.against = frozenset(lexicon.normaliser.norm(w) for w in reading.clauses.against)
    # pairs of normalised words, a function word among them ("see doctor": a person)
    pairs = [(text, lexicon.words(text)) for text in reading.clauses.other_senses]
    for text, words in pairs:
        if len(words) != 2:
            raise KnowledgeError(f"other_senses: {text!r} is not two words", where="reading.yaml")
    lexicon.other_senses = frozenset((words[0], words[1]) for _, words in pairs)
    norm = lexicon.normaliser.norm
    lexicon.comparatives = frozenset(norm(w) for w in reading.clauses.comparatives)
    lexicon.circumstance_after = frozenset(norm(w) for w in reading.clauses.circumstance_after)
    lexicon.subjects = phrases(reading.clauses.subjects)
    lexicon.verbs = phrases(reading.clauses.verbs)
    lexicon.references = phrases(reading.clauses.references)
    lexicon.definites = phrases(reading.clauses.definites)
    if reading.answers:
        lexicon.answers_yes = phrases(reading.answers.yes)
        lexicon.answers_no = phrases(reading.answers.no)
    if reading.states:
        lexicon.normal_states = phrases(reading.states.normal)
        lexicon.state_idioms = phrases(reading.states.idioms)
        lexicon.states_after_only = phrases(reading.states.after_only)
        lexicon.state_links = phrases(reading.states.links)
        lexicon.denied_changes = phrases(reading.states.changes)
    lexicon.sentence_ends = frozenset(reading.clauses.sentence_ends)
    lexicon.shortened_forms = tuple(reading.clauses.shortened_forms)
    lexicon.place_words = frozenset(
        lexicon.normaliser.norm(w)
        for w in reading.clauses.place_words + reading.clauses.descriptors
    )
    movers = {lexicon.normaliser.norm(w) for w in reading.clauses.elsewhere}
    lexicon.elsewhere = frozenset(
        (words[0], words[1])
        for composition in reading.compositions
        for words in map(lexicon.content, composition.places)
        if len(words) > 1 and words[0] in movers
    )
    causes = reading.other_causes.words if reading.other_causes else []
    lexicon.other_places = frozenset(
        lexicon.normaliser.norm(w) for w in reading.other_body_places.words + causes
    )
    lexicon.other_causes = frozenset(lexicon.normaliser.norm(w) for w in causes)
    for term in clinical.terms:
        _rewrite(lexicon, term.term, (term.means,), needs_capitals=False)
    english = set(kb.english_words)
    for abbreviation in clinical.abbreviations:
        means = tuple(abbreviation.means)
        if len(means) > 1 and not any(_names_a_finding(lexicon, m, part=True) for m in means):
            continue  # "CT": no meaning is (part of) a finding, nothing to ask; not read
        needs_capitals = abbreviation.abbr.lower() in english
        _rewrite(lexicon, abbreviation.abbr, means, needs_capitals)
    # the phrases' words as normalised and as written ("tire" and "tired": a typo is of the
    # written word, "tierd")
    lexicon.finding_words = frozenset(
        word
        for phrase in lexicon.phrases.values()
        for word in phrase.key + phrase.surface
        if word.isalpha() and len(word) >= 3
    )
    # ... and their British spellings ("haemoptisis" is a letter from "haemoptysis", two from
    # "hemoptysis")
    lexicon.finding_words |= {
        british
        for british, american in clinical.spellings
        if american in lexicon.finding_words and british.isalpha()
    }
    for phrase in lexicon.phrases.values():
        rarest = min(set(phrase.key), key=lambda w: (len(lexicon.by_word[w]), w))
        lexicon.by_rare_word.setdefault(rarest, []).append(phrase)
    return lexicon


def _typed_pairs(texts: list[str]) -> frozenset[tuple[str, str]]:
    """The texts of two words, as typed (not normalised): `other_senses_after`, `_before`."""
    return frozenset((w[0], w[1]) for w in map(raw_words, texts) if len(w) == 2)


def _said_each_way(
    places: dict[str, list[str]], same: dict[str, list[str]]
) -> dict[str, list[str]]:
    """A composition's places, each also said with the other words of the same place
    (`Clauses.same_places`: "under collarbone" is "beneath collarbone"); a place given in
    its own right keeps its own findings."""
    each_way = dict(places)
    for place, findings in places.items():
        words = place.split()
        for i, word in enumerate(words):
            for other in same.get(word, ()):
                each_way.setdefault(" ".join([*words[:i], other, *words[i + 1 :]]), findings)
    return each_way


def _add(
    lexicon: Lexicon,
    text: str,
    findings: tuple[str, ...],
    how: str,
    complaint: frozenset[str] = frozenset(),
) -> tuple[str, ...]:
    """Adds a phrase of the finding(s) under its key (its content words, sorted), merging it
    with a phrase of the same words; the key."""
    key = tuple(sorted(lexicon.content(text)))
    if not key:
        raise KnowledgeError(f"phrase {text!r} has no meaningful word", where="vocabulary.yaml")
    surface = tuple(
        w for w in raw_words(text) if lexicon.normaliser.norm(w) not in lexicon.function
    )
    phrase = Phrase(key, findings, how, text, surface, complaint)
    known = lexicon.phrases.get(key)
    if known is None:
        lexicon.phrases[key] = phrase
        for word in set(key):
            lexicon.by_word.setdefault(word, []).append(phrase)
        return key
    if known.findings == findings or (known.how == EXACT and how == COMPOSED):
        if known.findings == findings and complaint - known.complaint:
            # the finding's own words, which are also a complaint said of a place
            _replace(lexicon, replace(known, complaint=known.complaint | complaint))
        return key  # the finding's own words win over a composition that says the same
    if how == EXACT and known.how == EXACT:
        raise KnowledgeError(
            f"phrase {text!r} names both {known.findings[0]} and {findings[0]} (as {known.text!r})",
            where="vocabulary.yaml",
            code="ambiguous-phrase",
        )
    if how == EXACT:  # replaces a composition
        merged = (
            replace(phrase, complaint=known.complaint) if known.findings == findings else phrase
        )
    else:  # two compositions with the same words: asked about
        merged = Phrase(
            key,
            tuple(sorted(set(known.findings) | set(findings))),
            COMPOSED,
            known.text,
            known.surface,
            known.complaint | complaint,
        )
    _replace(lexicon, merged)
    return key


def _replace(lexicon: Lexicon, phrase: Phrase) -> None:
    lexicon.phrases[phrase.key] = phrase
    for word in set(phrase.key):
        lexicon.by_word[word] = [
            phrase if p.key == phrase.key else p for p in lexicon.by_word[word]
        ]


def _names_a_finding(lexicon: Lexicon, text: str, part: bool = False) -> bool:
    """Whether the words hold all the words of some phrase of a finding (with `part`: or
    are all among the words of one, as "calcium" is in "high calcium", but for words that
    only say where or how it was found: "tenderness to palpation")."""
    words = Counter(lexicon.content(text))
    return any(
        not Counter(phrase.key) - words
        or (part and lexicon.place_words.issuperset(words - Counter(phrase.key)))
        for word in words
        for phrase in lexicon.by_word.get(word, ())
    )


def _rewrite(lexicon: Lexicon, text: str, means: tuple[str, ...], needs_capitals: bool) -> None:
    words = lexicon.words(text)
    if not words:
        return
    rewrite = Rewrite(words, means, text, needs_capitals)
    lexicon.rewrites.setdefault(words[0], []).append(rewrite)
    lexicon.rewrites[words[0]].sort(key=lambda r: (-len(r.words), r.label))

"""Reading what a student typed: every mention of a finding in a phrase or a story, each
clause on its own, with its denial, its time and the article's qualifiers it did or did not
say. Deterministic, and every reading says how it was made.

The tiers, tried together on each sentence and the longest reading kept:
- exact: the words of one of the finding's phrases (article wording, name, synonyms) in any
  order, with at most two other words among them;
- variant: the same after normalising (lemmas, British/American spelling, an abbreviation or
  clinical word written out);
- composed: a complaint said of a body place ({lump, swelling} x {armpit, collarbone, ...});
- corrected: one mistyped word with exactly one close known word that makes a reading.
A denial (NegEx-style trigger and scope) reads the finding as absent; a complaint placed in
the past and over is listed as past, not read as current.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import itemgetter

from triage.errors import TriageError
from triage.reading.lexicon import COMPOSED, EXACT, Lexicon, Phrase, Rewrite, _names_a_finding
from triage.reading.words import NOT, Token

# How a piece that names a finding is read when the finding is not counted, in words.
NOT_COUNTED = {
    "past": "past and over",
    "hypothetical": "said as a possibility",
    "intended": "brought about on purpose",
    "explained": "explained by an everyday cause said with it",
    "other": "said of someone else",
}


# A plural abbreviation ("LNs", "IT's") has a capital or a digit right before its s, or before
# the apostrophe before it: a sentence without one has none (tokens' lower-case letters are a-z).
def _plural_s(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds an s after a character that is no lower-case letter a-z,
    space or apostrophe, or after an apostrophe after one (the regex [^a-z\\s']'?s). Written
    without the regex engine, whose code is out of the CPU's caches right after an evaluation
    (and most texts need it nowhere else: see `Normaliser.tokens`)."""
    s = text.find("s", start + 1, end)
    while s >= 0:
        before = text[s - 1]
        if before == "'" and s - 2 >= start:  # "IT's"
            before = text[s - 2]
        if not ("a" <= before <= "z" or before == "'" or before.isspace()):
            return True
        s = text.find("s", s + 1, end)
    return False


JOINED = 6  # letters at least of two words typed as one ("backpain")
SLACK = 2  # other words allowed among a phrase's words ("pain in my lower back")
NEAR = 4  # words between a denial and the ending it denies ("didn't really want to go away")
_START = itemgetter(0)  # a token's start (see `Token`): tokens are in the order of the text
_NORM = itemgetter(3)  # a token's word (see `Token`)
_RANK = itemgetter(0)  # a candidate's rank (see `_Sentence._matches`)
_NONE: frozenset = frozenset()  # an empty set that is only read: not one made a sentence
_ANY = frozenset({"any", "anything"})  # what stands for the thing asked about
_PREPOSITIONS = frozenset({"about", "for", "with", "of", "to", "from", "by", "in", "on", "at"})
# what says a cause is none: "unrelated: not connected or associated" (Cambridge Dictionary)
_UNRELATED = frozenset({"unrelated", "unconnected"})
# the words of a structure examined, a measure's own, no complaint of it ("lymph nodes ...
# normal": rules/reading.yaml, "lymph nodes examined")
_STRUCTURES = frozenset({"node", "lymph", "gland"})
_IN_ON = frozenset({"in", "on", "at"})  # where a fragment's place may be said
_DOUBTED = frozenset({"related", "sure", "connected", "linked"})  # see `_pseudo_not`
_SIDES = frozenset({"right", "left", "side", "hand", "upper", "lower"})  # a place's side
_LIST_JOINS = frozenset({"or", "and"})  # what joins the items of a list (and commas)
_ITEM_WORDS_BEFORE = 3  # the content words of a list's item before a circumstance's finding
_ARTICLES = frozenset({"a", "an", "the", "another"})  # what opens a noun phrase of its own
# verbs that say a complaint of what is before them ("my scar and the skin are red")
_LINKING = frozenset(
    {"be", "look", "feel", "seem", "become", "appear", "turn", "go", "get", "sound"}
)
_WELL = "well"  # the one word of feeling well said of a person's health without "feel"
# The clauses of a sentence of n tokens that is one clause, and each token's (never changed):
# made once for each length, not for every sentence (range's code is out of the CPU's caches
# right after an evaluation, which makes none)
_UNCUT_SENTENCES: dict[int, tuple[list[range], list[range]]] = {}


@dataclass(frozen=True)
class Reading:
    """One piece of the text and what it was read as."""

    text: str
    finding: str | None
    present: bool = True
    how: str = EXACT  # exact | variant | composed | corrected | not_read | past | hypothetical
    # | intended | explained
    # | other
    # | asked
    not_said: tuple[str, ...] = ()  # the article's qualifiers the text did not say
    via: tuple[str, ...] = ()  # abbreviations written out, words corrected
    choices: tuple[str, ...] = ()  # what an ambiguous piece could be (how: asked)
    past_finding: str | None = None  # how: past, hypothetical, other (the finding it names)
    start: int = 0


def _reading(
    text: str,
    finding: str | None,
    present: bool = True,
    how: str = EXACT,
    not_said: tuple[str, ...] = (),
    via: tuple[str, ...] = (),
    choices: tuple[str, ...] = (),
    past_finding: str | None = None,
    start: int = 0,
) -> Reading:
    """A Reading, made without the frozen dataclass's checked assignments (one per field):
    the reader makes one for every piece of every text."""
    made = _new_object(Reading)
    _set_attribute(
        made,
        "__dict__",
        {
            "text": text,
            "finding": finding,
            "present": present,
            "how": how,
            "not_said": not_said,
            "via": via,
            "choices": choices,
            "past_finding": past_finding,
            "start": start,
        },
    )
    return made


# Looked up once, not on the type at each call: right after an evaluation the type attribute
# cache is cold (see `Normaliser.tokens`).
_new_object, _set_attribute = object.__new__, object.__setattr__


class AmbiguousText(TriageError):
    """A word or phrase with several readings: the student is asked, never guessed for."""

    def __init__(self, message: str, choices: tuple[str, ...], *, where: str | None = None):
        super().__init__(message, where=where)
        self.choices = choices


@dataclass(slots=True)
class _Match:
    phrase: Phrase
    used: tuple[int, ...]  # token indices of the phrase's words
    tokens: set[int] = field(default_factory=set)  # every token that belongs to the reading
    negated: bool = False
    past: bool = False
    hypothetical: bool = False
    intended: bool = False  # brought about on purpose: "lost weight by dieting"
    explained: bool = False  # the body's own change: "my breasts swell before my period"
    other: bool = False  # someone else's (ConText's experiencer)
    said: frozenset[str] = frozenset()  # the qualifiers said (a new set for each one said)

    @property
    def first(self) -> int:
        return min(self.used)

    @property
    def last(self) -> int:
        return max(self.used)


class Reader:
    """Reads text with one knowledge base's lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.read = lru_cache(maxsize=4096)(self._read)  # cohorts repeat their phrases
        self.common = _common(lexicon)  # the lexicon is not changed once read with
        # Sentences: runs of text up to one of rules/reading.yaml's sentence ends (a decimal
        # point between digits is not one, nor is a clinical note's query written on a word:
        # "?bone mets"). Runs of other characters are taken whole: one character at a time,
        # the regex took as long as the rest of tokenising.
        ends = re.escape("".join(sorted(lexicon.sentence_ends)))
        self.sentences = re.compile(rf"(?:[^{ends}\d]+|\d+(?:\.\d+)?|\?(?=[^\W\d_]))+")
        self.sentence_ends = tuple(sorted(lexicon.sentence_ends))  # looked for without a regex
        # the Latin shortened forms said inside a sentence ("e.g."), as words: not after a
        # letter; their full stops are hidden from `sentences`
        forms = "|".join(re.escape(form) for form in sorted(lexicon.shortened_forms))
        self.shortened = re.compile(rf"(?<![^\W\d_])(?:{forms})", re.IGNORECASE) if forms else None
        # a clinical abbreviation written with a full stop inside a note ("Hx of wt. loss"):
        # a short word, its full stop, and a word in lower case after it
        self.abbreviated = re.compile(r"(?<![^\W\d_])([A-Za-z]{1,5})\.(?=[ \t]+[a-z])")
        # an ellipsis with a word in lower case after it leaves words out of one sentence
        # ("Patient denied ... nausea, vomiting"): "Use an ellipsis to show an omission"
        # (Australian Government Style Manual, "Ellipses"); its full stops end none
        self.ellipsis = re.compile(r"\.{3,}(?=[ \t]*[a-z])")

    def _read(self, text: str) -> tuple[Reading, ...]:
        """The text's readings. A relative's complaints ("my sister found a lump") are hers
        only in a text that tells the teller's own complaints too; in one that tells none, the
        relative is the patient ("My mum has been getting headaches.")."""
        # Plain loops here and below, not generator expressions: each is a function of its own
        # (Python 3.11), one more code object to fetch when the reader runs right after an
        # evaluation has filled the CPU's caches, as do C helpers such as attrgetter, zip,
        # itertools.compress that nothing else runs.
        readings = self._read_with(text, self.common)
        for r in readings:
            if r.how == "other":
                if not self._tells_own(readings):
                    readings = self._read_with(text, replace(self.common, relatives=False))
                break
        return readings

    def _tells_own(self, readings: tuple[Reading, ...]) -> bool:
        """Whether a counted reading is said in the teller's own words ("I", "my")."""
        lexicon = self.lexicon
        narrator = lexicon.one_word(lexicon.narrator)
        return any(
            not narrator.isdisjoint(t.norm for t in lexicon.normaliser.tokens(r.text, 0))
            for r in readings
            if r.finding
        )

    def _read_with(self, text: str, common: _Common) -> tuple[Reading, ...]:
        readings: list[Reading] = []
        before: _Sentence | None = None
        said: _Sentence | None = None  # the last sentence that named a complaint ("I had pain
        # in my hip. X-rays showed arthritis. The pain got worse.": the pain is the hip's)
        question: list[Reading] | None = None  # what a question just asked named
        sentences = [(text, 0)]  # most texts are one sentence
        for end in self.sentence_ends:
            if end in text:
                sentences = self._sentences(text)
                break
        for sentence, start in sentences:
            tokens = self.lexicon.normaliser.tokens(sentence, start)
            if not tokens:
                continue  # nothing but spaces
            reading = _Sentence(self.lexicon, text, tokens, common)
            read = reading.read()
            unread = False  # a piece not read
            for r in read:
                if r.how == "not_read":
                    unread = True
                    break
            if unread and (reading.matches or said is not None):
                readings, read = self._refer_within(text, reading, read, said, readings)
            if said is not None and read:
                read = self._same_complaint(reading, said, read, readings)
                read = self._named_again_within(reading, said, read)
            if before is not None and read:
                read = self._of_another_place(reading, before, read)
            if question is not None:  # "Any headache? No.": the answer, if this is one
                answer = self._answer(tokens)
                if answer is None and not any(r.finding for r in read):
                    answer = self._none_had(reading)
                if answer is not None:
                    readings = _answered(readings, question, answer, text, start + len(sentence))
                    read = [r for r in read if r.finding or r.past_finding]
                question = None
            if said is not None and all(r.how == "not_read" for r in read):
                referred = self._refer_back(text, tokens, said, len(text), readings, True)
                if referred is not None:
                    readings, read = referred
                elif self._only_complaints(tokens):
                    # "I have a lump in my breast. It is red.": the breast's redness; not a
                    # complaint named again ("... in my armpit. The lump is growing.")
                    placed = self._said_of_place_before(reading, said)
                    known = {f for m in said.matches for f in m.phrase.findings}
                    if placed and not all(r.finding in known for r in placed):
                        read = placed
            end = start + len(sentence)
            if end < len(text) and text[end] == "?":  # a question
                question = read
            readings += read
            before = reading
            if reading.matches:
                said = reading
        for r in readings:
            if not r.present:
                readings = _one_way(readings)
                break
        if len(readings) < 2:
            return tuple(readings)
        return tuple(sorted(readings, key=lambda r: (r.start, r.finding or "", r.present)))

    def _answer(self, tokens: list[Token]) -> bool | None:
        """Whether a sentence opens with an answer to a question: yes (True), no (False)."""
        lexicon, first = self.lexicon, tokens[0].norm
        if first in lexicon.one_word(lexicon.answers_yes):
            return True
        if first in lexicon.one_word(lexicon.answers_no):
            return False
        return None

    def _none_had(self, sentence: _Sentence) -> bool | None:
        """False if a sentence that names no finding answers a question with a denial of having
        any in its first clause ("Any lumps? She says she hasn't noticed anything", "I haven't
        had any", "Nothing at all"): "any" or "anything" right after the denied verb stands for
        what was asked, as "none" does (not "I haven't seen a doctor about anything"); else
        None."""
        words = [sentence.tokens[i].norm for i in sentence._clause_of()[0]]
        if NOT not in words:
            return None
        if words[0] == NOT:
            return False  # "Nothing at all."
        n = words.index(NOT)
        function = self.lexicon.function
        for a in range(n + 1, len(words)):  # "any" right after the denied verb, nothing else
            if words[a] in _ANY:
                between = words[n + 1 : a]
                if sum(w not in function for w in between) <= 1 and _PREPOSITIONS.isdisjoint(
                    between
                ):
                    return False  # not "I haven't seen a doctor about anything yet"
                return None
        return None

    # -- what "it", "this" and "the pain" stand for: the complaint said before -----------------

    def _refer_within(
        self,
        text: str,
        sentence: _Sentence,
        read: list[Reading],
        before: _Sentence | None,
        readings: list[Reading],
    ) -> tuple[list[Reading], list[Reading]]:
        """A clause that reads nothing and opens with a word standing for a complaint: the one
        said before it in the sentence ("I found a lump and it is in my armpit"), or else in
        the sentence before ("I have had a headache. I went to bed but it kept getting
        worse."; a clause opening the sentence is read with the whole sentence): see
        `_refer_back`. The readings so far and the sentence's."""
        common, typed = self.common, sentence.typed
        opening = common.references | common.definites
        for piece in [r for r in read if r.how == "not_read"]:
            first = bisect_left(typed, piece.start, key=_START)  # its words
            end = bisect_left(typed, piece.start + len(piece.text), key=_START)
            if first == end or typed[first].norm not in opening:
                continue
            tokens = typed[first:end]
            others = [r for r in read if r is not piece]
            referred = self._refer_back(text, tokens, sentence, piece.start, others)
            if referred is not None and self._back_later(sentence, piece, referred[1]):
                continue  # "I had a cough, it got better and then came back": not over
            if referred is not None:
                kept, new = referred
                read = kept + new
            elif before is not None and before.matches and piece.start > sentence.tokens[0].start:
                referred = self._refer_back(text, tokens, before, len(text), readings)
                if referred is not None:
                    readings, new = referred
                    read = others + new
        return readings, read

    def _back_later(self, sentence: _Sentence, piece: Reading, new: list[Reading]) -> bool:
        """Whether the piece ends a complaint (its new readings past) that the sentence says,
        after the piece, came back."""
        if not any(r.how == "past" for r in new):
            return False
        after = piece.start + len(piece.text)
        return any(
            sentence.tokens[s].start >= after
            for s, _ in sentence._occurrences(self.lexicon.time_again, set())
        )

    def _refer_back(
        self,
        text: str,
        tokens: list[Token],
        before: _Sentence,
        until: int,
        readings: list[Reading],
        whole: bool = False,
    ) -> tuple[list[Reading], list[Reading]] | None:
        """A sentence (or clause) that reads nothing on its own and opens with a word standing
        for the complaint said before it ("... a hard lump. It is above my collarbone."; "I
        had a cough. It went away."): read with that complaint (its words in `before`, up to
        offset `until`) in the word's place. A whole sentence (`whole`) may name it again
        after words of its own ("I had pain in my hip and it went away. In June the pain came
        back."). What it says of the complaint takes the place of
        the reading before, shown from the complaint to the end of what was said of it: its
        place ("lump" read as the lump above the collarbone), its ending (past), the article's
        qualifiers ("I have a headache. It is getting worse."). Another finding it names is
        added ("I have a cough. It brings up blood."). It never takes the place of a denial,
        a past or a possibility, and never denies. The readings so far and this piece's;
        otherwise None."""
        for said in _antecedents(before, until):
            standing = self._standing_for(tokens, said)
            opening = 0  # words said before the complaint is named again ("In June the pain")
            if not standing and whole:
                opening = self._named_again_later(tokens, said)
                standing = 2 if opening else 0
            if not standing:
                continue
            # "it" stays: "it's gone"
            kept = tokens[opening + standing :] if standing > 1 else tokens
            resolved = _Sentence(self.lexicon, text, said + kept, before.common, len(said))
            read = resolved.read()
            at = said[0].start
            new = [r for r in read if r.start == at and (r.finding or r.past_finding)]
            old = [
                r
                for r in readings
                if (r.finding or r.past_finding) and r.start <= at < r.start + len(r.text)
            ]
            again = all(r.how == "past" for r in old) and resolved.says(self.lexicon.time_again)
            held = any(r.how in NOT_COUNTED or not r.present for r in old)
            if (
                not old
                and any(
                    r.how == "not_read" and r.start <= at < r.start + len(r.text) for r in readings
                )
                and self._only_bare(said, new)
            ):
                continue  # not read where it was said, of a place no finding owns, nor given a
                # finding's place now ("I found a lump on my back. The lump looked like a cyst.")
            if not new or (held and not again):
                continue  # nothing said of it; or it was denied, past or possible: it stays so
                # (unless it came back: "I had a cough last year. It is back now.")
            if any(r.finding and not r.present for r in new):
                return None  # "I found a lump. It is not in my breast.": not a denial of it
            if {_what_it_says(r) for r in new} <= {
                _what_it_says(r) for r in old
            } and not _says_more(new, old):
                continue
            says = self._says_of(said, new, old, self._placed_before(before, old))
            if says is None:
                continue
            if not says:
                return readings, read  # "I have a cough. It brings up blood.": one more
            return [r for r in readings if r not in old], read
        return None

    def _only_bare(self, said: list[Token], new: list[Reading]) -> bool:
        """Whether the new readings name only what the complaint's words said bare name."""
        bare = self._bare_findings(said)
        named = {r.finding or r.past_finding for r in new}
        return bool(bare) and named <= bare

    def _bare_findings(self, said: list[Token]) -> set[str]:
        """What the complaint's words name said bare, with no place: as one phrase ("lump"),
        or by a word of them that is one ("a hard lump": the lump)."""
        phrases = self.lexicon.phrases
        whole = phrases.get(tuple(sorted(t.norm for t in said)))
        if whole is not None:
            return set(whole.findings)
        found: set[str] = set()
        for t in said:
            phrase = phrases.get((t.norm,))
            if phrase is not None:
                found.update(phrase.findings)
        return found

    def _says_of(
        self, said: list[Token], new: list[Reading], old: list[Reading], placed: bool = False
    ) -> bool | None:
        """Whether the new readings say more of the complaint read before: the same finding
        dated or qualified, or a bare complaint given its place ("lump" now the lump above
        the collarbone); None when they only say it bare again ("a lump under my arm. It has
        not gone away."); False when they name another finding. `placed`: the complaint
        before was said with its place ("a lump in my breast. It had spread to my spine."
        gives it no other)."""
        named = {r.finding or r.past_finding for r in new}
        if named <= {r.finding or r.past_finding for r in old}:
            return True
        bare_findings = self._bare_findings(said)
        if old and named <= bare_findings:
            return None
        complaint = {f for t in said for f in self.lexicon.complaint_words.get(t.norm, ())}
        if placed and named <= complaint:
            return None  # another place for a complaint that has its own
        old_bare = all(r.finding in bare_findings for r in old if r.finding)
        return old_bare and named <= complaint

    def _placed_before(self, before: _Sentence, old: list[Reading]) -> bool:
        """Whether a reading before (`old`) was said with a body place of its own."""
        findings = {r.finding for r in old if r.finding}
        places = _places(self.lexicon)
        return any(
            findings.intersection(match.phrase.findings)
            and any(
                before.tokens[i].norm in places
                and before.tokens[i].norm not in match.phrase.complaint
                for i in match.used
            )
            for match in before.matches
        )

    def _same_complaint(
        self,
        sentence: _Sentence,
        before: _Sentence,
        read: list[Reading],
        readings: list[Reading],
    ) -> list[Reading]:
        """A sentence that opens with "the" (or "this") and a bare complaint said before ("I
        found a lump in my armpit. The lump is growing."): the complaint is the one before, not
        a new one of no place; its bare reading is left out (what else is said is read as
        before). So is one said before of a place no finding owns, and not read there ("I
        found a lump on my back. The lump looked like a cyst.")."""
        tokens, matches = sentence.tokens, sentence.matches
        if not matches or not read[0].finding:
            return read
        before_findings = {f for m in before.matches for f in m.phrase.findings}
        first = read[0]
        if not (
            self._named_again(tokens, before_findings)
            and matches[0].phrase.key == (tokens[1].norm,)  # the complaint word alone
            and matches[0].used == (1,)
            and first.start == tokens[0].start
        ):
            return read
        start = before.tokens[0].start
        read_before = {r.finding for r in readings if r.finding and r.start >= start}
        if first.finding not in before_findings or first.finding not in read_before:
            return [_reading(first.text, None, how="not_read", start=first.start), *read[1:]]
        return read

    def _named_again_within(
        self, sentence: _Sentence, before: _Sentence, read: list[Reading]
    ) -> list[Reading]:
        """A bare complaint word said with "the", "this" or "my" inside a sentence ("The
        radiologist said this lump will have to be biopsied"), after a sentence that read a
        finding it names ("I found a bump just above my collar bone"): the complaint before,
        not a new one of no place; its bare reading is left out (as `_same_complaint` does for
        one that opens the sentence)."""
        tokens, lexicon = sentence.tokens, self.lexicon
        before_findings = {f for m in before.matches for f in m.phrase.findings}
        again: set[tuple[str, int]] = set()  # (bare finding, where its word is)
        for match in sentence.matches:
            (i,) = match.used if len(match.used) == 1 else (0,)
            if (
                i > 1  # one that opens the sentence is `_same_complaint`'s
                and match.phrase.key == (tokens[i].norm,)
                and tokens[i - 1].norm in self.common.definites
                and not before_findings.intersection(match.phrase.findings)
                and before_findings.intersection(lexicon.complaint_words.get(tokens[i].norm, ()))
            ):
                again.update((f, tokens[i].start) for f in match.phrase.findings)
        if not again:
            return read
        return [
            _reading(r.text, None, how="not_read", start=r.start)
            if any(r.finding == f and r.start <= at < r.start + len(r.text) for f, at in again)
            else r
            for r in read
        ]

    def _of_another_place(
        self, sentence: _Sentence, before: _Sentence, read: list[Reading]
    ) -> list[Reading]:
        """A sentence that opens with "it" and says only a bare complaint ("swollen", "red")
        of what the sentence before named: of a place no finding owns ("I stubbed my toe. It
        is swollen."), not read, as "my toe is swollen" is not; of a finding's place, read as
        said of that place ("I have a lump in my breast. It is red.": the breast's skin; "a
        lump in my armpit. It is swollen.": the armpit's, not the bone's swelling of the
        article's bare bullet)."""
        lexicon, tokens = self.lexicon, sentence.tokens
        if tokens[0].norm not in self.common.references or not sentence.matches:
            return read
        if not all(sentence._generic(m.phrase) for m in sentence.matches):
            return read
        if any(t.norm in lexicon.other_places for t in before.tokens):
            return [
                _reading(r.text, None, how="not_read", start=r.start) if r.finding else r
                for r in read
            ]
        if not any(r.finding for r in read):
            return read  # "This lump is new.": the lump before, named again (`_same_complaint`)
        said = self._said_of_place_before(sentence, before)
        if not said:
            return read
        return said + [r for r in read if not r.finding and not r.past_finding]

    def _only_complaints(self, tokens: list[Token]) -> bool:
        """Whether every content word is a complaint word ("It is red", "No redness or
        dimpling", "There's also some swelling"; not "It is fine now", "It was big enough to
        break into a cold sweat")."""
        lexicon, complaints = self.lexicon, self.lexicon.complaint_words
        content = [
            t
            for t in tokens
            if t.norm not in lexicon.function
            and t.norm != NOT
            and t.norm not in self.common.references
        ]
        return bool(content) and all(t.norm in complaints for t in content)

    def _said_of_place_before(self, sentence: _Sentence, before: _Sentence) -> list[Reading]:
        """The sentence (a bare complaint: "It is red", "No redness or dimpling") read as said
        of the body place of the last complaint said before that has one, a finding's place:
        its readings, shown with that place, or none."""
        places = _places(self.lexicon)
        place = None
        for match in before.matches:
            for i in match.used:
                if before.tokens[i].norm in places:
                    place = before.tokens[i]
        if place is None:
            return []
        tokens = sentence.tokens
        resolved = _Sentence(self.lexicon, sentence.text, [place, *tokens], before.common, 1)
        # shown as the sentence said it, with the place it was said of
        start, end = tokens[0].start, tokens[-1].end
        said_of = f"{place.surface}: the place said before"
        return [
            replace(r, text=sentence.text[start:end], start=start, via=(*r.via, said_of))
            for r in resolved.read()
            if r.finding or r.past_finding
        ]

    def _standing_for(self, tokens: list[Token], said: list[Token]) -> int:
        """How many of the first tokens stand for the complaint said before: "it", "this", or a
        fragment that is only a place ("I found a lump. Under my armpit.") (one), or "the" and
        a complaint word of the same finding ("I developed backache. The pain was worse at
        night.": two); none, 0."""
        definite = tokens[0].norm in self.common.definites  # else not named again
        if definite and self._named_again(tokens, self._findings_said(said)):
            return 2
        if tokens[0].norm in self.common.references or self._only_a_place(tokens):
            return 1
        return 0

    def _only_a_place(self, tokens: list[Token]) -> bool:
        """Whether the tokens are only a place said with a word of where, a fragment that
        places the complaint said before ("I found a lump. Under my armpit.")."""
        lexicon = self.lexicon
        if tokens[0].norm not in lexicon.place_words and tokens[0].norm not in _IN_ON:
            return False
        places, named = _places(lexicon), False
        for token in tokens[1:]:
            word = token.norm
            if word in places or word in lexicon.other_places:
                named = True
            elif word not in lexicon.function and word not in lexicon.place_words:
                return False
        return named

    def _findings_said(self, said: list[Token]) -> set[str]:
        """The findings the complaint said before may be named again by: those of its complaint
        words, and of its first word."""
        lexicon = self.lexicon
        findings = {f for t in said for f in lexicon.complaint_words.get(t.norm, ())}
        return findings | _findings_of_word(lexicon, said[0].norm)

    def _named_again_later(self, tokens: list[Token], said: list[Token]) -> int:
        """Where, after the first word, the tokens name the complaint said before again ("the"
        and a complaint word of its finding: "By the end of June the pain was back"); 0 if
        they do not."""
        before = self._findings_said(said)
        for k in range(1, len(tokens) - 1):
            if self._named_again(tokens[k:], before):
                # not after words that only suppose what it is ("I shrugged off the changes as
                # a strange part of pregnancy": the supposition is no explanation)
                words = [t.norm for t in tokens[:k]]
                for phrase in self.lexicon.supposed:
                    n = len(phrase)
                    if any(tuple(words[j : j + n]) == phrase for j in range(k - n + 1)):
                        return 0
                return k
        return 0

    def _named_again(self, tokens: list[Token], findings: set[str]) -> bool:
        """Whether the tokens open with "the" (or "this") and a complaint word of one of the
        findings said before ("The pain ...", "This lump ...")."""
        lexicon = self.lexicon
        return (
            len(tokens) > 1
            and tokens[0].norm in self.common.definites
            and not findings.isdisjoint(lexicon.complaint_words.get(tokens[1].norm, ()))
        )

    def _sentences(self, text: str) -> list[tuple[str, int]]:
        """The text's sentences, each with where it begins (the full stops of a shortened
        form such as "e.g." end none: they are looked for in a copy that has none there)."""
        found = text
        if "." in text:
            if self.shortened is not None:
                found = self.shortened.sub(lambda form: form[0].replace(".", " "), found)
            found = self.abbreviated.sub(self._unstopped, found)
            if "..." in found:
                found = self.ellipsis.sub(lambda dots: " " * len(dots[0]), found)
        if found.count(";") > 1:
            found = _LIST_RUN.sub(_list_semicolons, found)
        return [
            (text[sentence.start() : sentence.end()], sentence.start())
            for sentence in self.sentences.finditer(found)
        ]

    def _unstopped(self, abbreviated: re.Match) -> str:
        """A clinical abbreviation with its full stop hidden, if it is one (`abbreviated`)."""
        word = abbreviated[1]
        if self.lexicon.normaliser.norm(word.lower()) in self.lexicon.rewrites:
            return word + " "
        return abbreviated[0]

    def name(self, finding: str) -> str:
        return self.lexicon.names.get(finding, finding)

    def unknown_words(self, text: str) -> list[str]:
        """The words of a text that are neither the lexicon's nor English words in their own
        right, as typed, once each: mistyped, maybe ("hedake"). For an error's suggestions; a
        word shorter than four letters is not one (as for corrections)."""
        lexicon, unknown = self.lexicon, []
        for token in lexicon.normaliser.tokens(text, 0):
            word = token.surface
            if (
                _maybe_mistyped(word)
                and token.norm not in lexicon.known_words
                and not is_english(word)
            ):
                typed = text[token.start : token.end]
                if typed not in unknown:
                    unknown.append(typed)
        return unknown


class _Sentence:
    """The reading of one sentence."""

    __slots__ = (  # one made for every sentence read: no instance dict to make and fill
        "_cut",
        "_found",
        "_norms",
        "_spans_of",
        "_words",
        "asked",
        "asked_tokens",
        "common",
        "corrected",
        "joined",
        "lexicon",
        "matches",
        "partial",
        "text",
        "tokens",
        "typed",
        "via",
    )

    def __init__(
        self,
        lexicon: Lexicon,
        text: str,
        tokens: list[Token],
        common: _Common | None = None,
        joined: int = 0,
    ) -> None:
        self.lexicon = lexicon
        self.joined = joined  # its first words stand for "it": no comma cuts them from the rest
        self.common = common or _common(lexicon)  # its lists' phrases (`_spans`)
        self.text = text
        self.via: dict[int, str] = {}  # token index -> what was written out or corrected
        self.corrected: set[int] = set()
        self.asked: list[Reading] = []
        self.asked_tokens: set[int] = set()  # an abbreviation with several meanings
        self.typed = tokens
        self.partial: list[tuple[int, int, str, Rewrite]] = []  # ambiguous parts of findings
        self._spans_of: list[Token] | None = None  # the tokens `_found` and `_norms` are of
        self._norms: list[str] = []  # the words of self.tokens
        self._found: dict[int, list[tuple[int, int]]] = {}  # their phrases, by list (`_spans`)
        self._cut: tuple[list[Token], list[range], list[range]] | None = None  # its clauses
        self.matches: list[_Match] = []  # what was read, once read
        if "-" in text:
            tokens = self._hyphenated(tokens)
        if "non" in text:
            tokens = self._unprefixed(tokens)
        self.tokens = tokens
        self._refresh()
        if self._rewritable(tokens):  # the very list if nothing written out
            self.tokens = self._rewrite(tokens, self._norms)

    def _hyphenated(self, tokens: list[Token]) -> list[Token]:
        """The tokens with each pair typed with a hyphen after a prefix that is no word of its
        own, read as the one word of a finding they make ("supra-clavicular", "infra-
        clavicular", "retro-sternal", "co-ordination"; not "x-ray" or "blood-stained", read as
        two words); the very list when there is none."""
        lexicon, text = self.lexicon, self.text
        words, known, normaliser = lexicon.finding_words, lexicon.known_words, lexicon.normaliser
        out: list[Token] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if (
                i + 1 < len(tokens)
                and text[token.end : tokens[i + 1].start] == "-"
                and len(token.surface) > 1
                and token.surface not in known
            ):
                joined = token.surface + tokens[i + 1].surface
                if joined in words:
                    out.append(
                        Token(token.start, tokens[i + 1].end, joined, normaliser.norm(joined))
                    )
                    i += 2
                    continue
            out.append(token)
            i += 1
        return out if len(out) < len(tokens) else tokens

    def _unprefixed(self, tokens: list[Token]) -> list[Token]:
        """The tokens with each word written solid on a prefix that denies it, of which the rest
        is a complaint word ("abdomen soft and nontender", as a clinical note writes it), read as
        the prefix and the word ("non tender", as "non-tender" is); the very list when there is
        none."""
        lexicon = self.lexicon
        out: list[Token] = []
        for token in tokens:
            for (prefix,) in lexicon.negation_prefix:
                rest = token.surface[len(prefix) :]
                if token.surface.startswith(prefix) and len(rest) > 2:
                    word = lexicon.normaliser.norm(rest)
                    if word in lexicon.complaint_words:
                        out.append(Token(token.start, token.end, prefix, prefix))
                        out.append(Token(token.start, token.end, rest, word))
                        break
            else:
                out.append(token)
        return out if len(out) > len(tokens) else tokens

    # -- clinical words and abbreviations ---------------------------------------------------

    def _rewrite(self, tokens: list[Token], words: list[str]) -> list[Token]:
        """The tokens (`words`: their words) with the clinical words and abbreviations written
        out (the very list when there are none)."""
        lexicon, out = self.lexicon, []
        text, known, clinical = self.text, lexicon.known_words, lexicon.rewrites
        # the tokens that may be written out: a clinical word or an abbreviation, a long word
        # it does not know (two typed as one?), the plural of an abbreviation (it ends in s,
        # after a capital or a digit: see `_rewritable`)
        maybe = [
            i for i, w in enumerate(words) if w in clinical or (len(w) >= JOINED and w not in known)
        ]
        if _plural_s(text, tokens[0].start, tokens[-1].end):
            plurals = [
                i for i, t in enumerate(tokens) if t.end - t.start >= 3 and text[t.end - 1] == "s"
            ]
            maybe = sorted(set(maybe).union(plurals))
        copied = 0  # tokens before this one are in `out`
        for i in maybe:
            if i < copied:
                continue  # written out with the words before it
            token = tokens[i]
            if token.norm in lexicon.titles and _a_title(text, tokens, i, lexicon.titles):
                continue  # "Ms Lee": a title, not multiple sclerosis
            rewrites = clinical.get(token.norm)
            if not rewrites and token.end - token.start >= 3 and text[token.end - 1] == "s":
                rewrites = self._plural(token)
            if not rewrites and len(token.norm) >= JOINED and token.norm not in known:
                rewrites = self._joined(token)
            for rewrite in rewrites or ():
                n = len(rewrite.words)
                if n > 1 and tuple(t.norm for t in tokens[i : i + n]) != rewrite.words:
                    continue
                start, end = tokens[i].start, tokens[i + n - 1].end
                typed = self.text[start:end]
                if rewrite.needs_capitals and not _has_capitals(typed):
                    continue
                out.extend(tokens[copied:i])
                if len(rewrite.means) > 1 and not _names_any(lexicon, rewrite.means):
                    # "Ca": calcium or cancer, neither a finding alone: asked only if one of
                    # its meanings makes a reading with the words around it (see `_partial`)
                    self.partial.append((len(out), n, typed, rewrite))
                    out.extend(tokens[i : i + n])
                elif len(rewrite.means) > 1:
                    self.asked_tokens |= set(range(len(out), len(out) + n))
                    self.asked.append(
                        Reading(
                            text=typed,
                            finding=None,
                            how="asked",
                            choices=rewrite.means,
                            start=start,
                        )
                    )
                    out.extend(tokens[i : i + n])
                else:
                    first = len(out)
                    for word in lexicon.normaliser.tokens(rewrite.means[0]):
                        out.append(Token(start, end, word.surface, word.norm))
                    for k in range(first, len(out)):
                        self.via[k] = f"{typed}: {rewrite.means[0]}"
                copied = i + n
                break
        if not copied:
            return tokens
        out.extend(tokens[copied:])
        return out

    def _rewritable(self, tokens: list[Token]) -> bool:
        """Whether a word of the sentence (its tokens) is a clinical word or an abbreviation,
        or the plural of one ("LNs": capitals, then a lower-case s)."""
        words = self._words  # what is known of each word (`_refresh`)
        plain = True  # most sentences: every word plain, one test a word
        for word in words:
            if not word.plain:
                plain = False
                break
        if not plain:
            for word in words:
                if word.rewritten:
                    return True
            for word in words:  # or two words typed as one ("backpain"), worked out once a word
                if word.cut is _UNCUT:
                    word.cut = _two_words(self.lexicon, word.norm)
                if word.cut is not None:
                    return True
        text = self.text
        if not _plural_s(text, tokens[0].start, tokens[-1].end):
            return False  # most sentences: no capital or digit right before an s
        return any(
            token.end - token.start >= 3 and text[token.end - 1] == "s" and self._plural(token)
            for token in tokens
        )

    def _joined(self, token: Token) -> list[Rewrite]:
        """Two words of a finding's phrase typed as one ("backpain", "chestpain",
        "weightloss"): written out and shown, as a clinical word is, when exactly one way of
        cutting the word makes a phrase. Never a word in its own right, nor one it knows."""
        word, lexicon = token.norm, self.lexicon
        if len(word) < JOINED or word in lexicon.known_words:
            return []
        cut = _two_words(lexicon, word)
        if cut is None:
            return []
        (a, b), typed = cut, self.text[token.start : token.end]
        return [Rewrite((word,), (f"{a} {b}",), typed, False)]

    def _plural(self, token: Token) -> list[Rewrite]:
        """The one-word abbreviations of which the typed word is the plural: "LNs" is "LN"
        said of several (capitals, then a lower-case s)."""
        typed = self.text[token.start : token.end]
        if len(typed) < 3 or typed[-1] != "s" or not typed[:-1].isupper():
            return []
        return [r for r in self.lexicon.rewrites.get(token.norm[:-1], []) if len(r.words) == 1]

    # -- the reading ------------------------------------------------------------------------

    @staticmethod
    def _covered(tokens: list[Token], matches: list[_Match]) -> int:
        """How many typed characters the matches read."""
        spans = {(tokens[i].start, tokens[i].end) for m in matches for i in m.used}
        return sum(end - start for start, end in spans)

    def read(self) -> list[Reading]:
        matches = self._matches()
        if self.partial:  # "raised Ca": asked (on the words as written out)
            self._partial(matches)
        if self.via or self.asked:  # clinical words written out: was it read better as typed?
            rewritten = (self.tokens, self.via, self.asked, self.asked_tokens, matches)
            self.tokens, self.via, self.asked, self.asked_tokens = self.typed, {}, [], set()
            typed = self._matches()
            read_rewritten = self._covered(rewritten[0], matches)
            read_typed = self._covered(self.typed, typed)
            if read_rewritten > read_typed or (read_rewritten == read_typed and rewritten[2]):
                self.tokens, self.via, self.asked, self.asked_tokens, matches = rewritten
            else:
                matches = typed
        if self._spans_of is not self.tokens:
            self._refresh()
        unknown = None
        for word in self._words:  # about half the sentences: every word known
            if not word.known:
                unknown = self._unknown_words(matches)
                break
        if unknown:
            corrected = self._corrections(unknown)
            if corrected:
                saved = self.tokens
                self.tokens = [corrected.get(i, t) for i, t in enumerate(self.tokens)]
                retried = self._matches()
                kept = {i for m in retried for i in m.used if i in corrected}
                if kept:
                    self.tokens = [corrected[i] if i in kept else t for i, t in enumerate(saved)]
                    for i in kept:
                        self.via[i] = f"{saved[i].surface} -> {corrected[i].surface}"
                        self.corrected.add(i)
                    matches = self._matches()
                else:
                    self.tokens = saved
        self.matches = matches
        return self._readings(matches)

    def _numbered(self, i: int) -> bool:
        """Whether token i is a number typed with a dash and a number after it ("15-3"): an
        abbreviation before it names a numbered test, as cancer antigens are named ("CA 15-3,
        for Cancer Antigen 15-3, is a tumor marker", Wikipedia, rules/clinical.yaml), never
        one of its other meanings ("calcium")."""
        tokens, text = self.tokens, self.text
        return (
            i + 1 < len(tokens)
            and tokens[i].surface.isdigit()
            and tokens[i + 1].surface.isdigit()
            and text[tokens[i].end : tokens[i + 1].start] == "-"
        )

    def _partial(self, matches: list[_Match]) -> None:
        """An abbreviation whose meanings are each part of a finding ("Ca": calcium or cancer,
        "LN": lymph node or lupus nephritis) is asked about when one of its meanings makes a
        reading with the words around it ("raised Ca", "axillary LN"), or when it is all that
        was typed; otherwise ("breast Ca") it is left unread. Never guessed."""
        used = {i for m in matches for i in m.tokens}
        saved = self.tokens
        for start, n, typed, rewrite in self.partial:
            span = range(start, start + n)
            if set(span) & used or self._numbered(start + n):
                continue  # read, or the name of a numbered test ("CA 15-3", "CA 19-9")
            alone = all(not self._is_content(i) for i in range(len(saved)) if i not in span)
            makes = False
            for meaning in rewrite.means if not alone else ():
                at = saved[start]
                words = [
                    Token(at.start, saved[start + n - 1].end, w.surface, w.norm)
                    for w in self.lexicon.normaliser.tokens(meaning)
                ]
                self.tokens = saved[:start] + words + saved[start + n :]
                tried = self._matches()
                if any(start <= i < start + len(words) for m in tried for i in m.used):
                    makes = True
                    break
            self.tokens = saved
            if alone or makes:
                self.asked_tokens |= set(span)
                self.asked.append(
                    Reading(
                        typed, None, how="asked", choices=rewrite.means, start=saved[start].start
                    )
                )

    def says(self, phrases: list[tuple[str, ...]]) -> bool:
        """Whether the sentence holds one of the phrases."""
        return bool(self._occurrences(phrases, set()))

    def _is_content(self, i: int) -> bool:
        return self.tokens[i].norm not in self.lexicon.function

    def _matches(self) -> list[_Match]:
        lexicon, tokens = self.lexicon, self.tokens
        if self._spans_of is not tokens:
            self._refresh()
        pseudo: frozenset[int] | set[int] = _NONE
        no_finding: frozenset[int] | set[int] = _NONE  # cannot deny; may still be read
        normal: list[_Match] | tuple = ()  # "appetite is stable": denied, not a complaint
        # most sentences hold none of the lists asked for here: one test, not one a list
        listed = not self._found.keys().isdisjoint(self.common.matching)
        if listed:
            said = self._said  # the lists, of those every sentence is read with, that it holds
            if said(lexicon.pseudo):
                pseudo = self._find(lexicon.pseudo, set())
            if NOT in self._norms and "stop" in self._norms:
                pseudo = pseudo | self._unstopping()
            if said(lexicon.not_findings):  # said together: not "abdominal pain, medication"
                no_finding = {
                    i
                    for s, e in self._occurrences(lexicon.not_findings, set())
                    if not any(self._comma_between(j - 1, j) for j in range(s + 1, e))
                    for i in range(s, e)
                }
            if said(lexicon.normal_states) or said(lexicon.denied_changes):
                normal = self._normal_measures() + self._felt_well()
        if not normal and not lexicon.feeling_well.isdisjoint(self._norms):
            normal = self._felt_well()  # "I feel great": a word of feeling well, no state's
        if normal:
            no_finding = no_finding | {i for m in normal for i in m.tokens}
        every = self._norms  # the words of the tokens
        content: list[int] = []  # the content words' places
        norms: list[str] = []  # the content words
        feeling = False  # one of them a word of feeling ill ("awful": see `_felt`)
        rare: dict[str, _Word] = {}  # those that are the rarest word of a phrase
        for i, word in enumerate(self._words):
            if not word.function and i not in no_finding:
                content.append(i)
                norms.append(word.norm)
                if word.feeling:
                    feeling = True
                if word.rare is not None:
                    rare[word.norm] = word
        candidates: dict[tuple[tuple[str, ...], tuple[int, ...]], tuple] = {}
        words = set(norms)
        possible = _phrases_within(rare, words) if rare else []  # all their words said
        clause_of: list[range] = []  # each token's clause
        ends: frozenset[int] | set[int] = _NONE
        denials: frozenset[int] | set[int] = _NONE
        if possible:
            if self._cut is None or self._cut[0] is not tokens:
                self._cut_clauses()  # see `_clause_of`
            clause_of = self._cut[2]  # type: ignore[index]
            if listed:
                if said(lexicon.contrasts):
                    ends = {s for s, _ in self._occurrences(lexicon.contrasts, set())}
                if said(lexicon.negation_before):
                    denials = {s for s, _ in self._occurrences(lexicon.negation_before, set())}
        # ... less those a pseudo-negation's words are ("lack of bladder control" is a loss),
        # for the places of composed phrases (an exact phrase's words are its own)
        real_denials = denials - pseudo if denials and pseudo else denials
        place_words, count = lexicon.place_words, len(content)
        body = _places(lexicon) if possible else {}
        items: set[int] | None = None  # the content words of a list's short items, if asked
        # each content word's last place (for the phrases possible)
        last: dict[str, int] = {}
        # each body place said after a word that puts it elsewhere ("beneath my ribs"), with
        # that word's place: a phrase that has the place without the word is not said
        moved: dict[int, int] = {}
        sensed: set[int] = set()  # words said in another sense (`Lexicon.other_senses`)
        describing: dict[int, int] = {}  # a complaint word -> the noun it describes
        if possible:
            for q, word in enumerate(norms):
                last[word] = q
            if not self.common.movers.isdisjoint(words):
                elsewhere = lexicon.elsewhere
                for q in range(count - 1):
                    r = q + 1  # past the side of the place ("under the right-hand ribcage")
                    while r < count - 1 and norms[r] in _SIDES:
                        r += 1
                    if (norms[q], norms[r]) in elsewhere:
                        moved[content[r]] = content[q]
            if not self.common.sensed.isdisjoint(words):  # "fitting looser", "back of my thigh",
                sensed = self._other_senses(content, norms)  # "she is fit", "it came back"
            if not lexicon.described.isdisjoint(words):  # "a sore lump on my back"
                describing = self._describing(content, norms)
        turned = "just" in every  # what `_turned_at_just` needs
        joined = not _LIST_JOINS.isdisjoint(every)  # ... and the list items' checks
        for phrase in possible:
            key = phrase.key
            denying = NOT in key  # "no appetite", "can't breathe"
            # its words are found forwards from the first: it starts no later than the last
            # place of one of them
            latest = min(map(last.__getitem__, key))
            for p, first in enumerate(norms[: latest + 1]):
                if first not in key:
                    continue
                if len(key) == 1:  # one word: nothing between it, nothing crossed
                    at = (content[p],)
                    if moved and at[0] in moved:
                        continue
                    if sensed and at[0] in sensed:
                        continue  # "my clothes are fitting looser", "she is fit": no fit
                    if first in lexicon.said_of_a_part and self._of_a_part(content, norms, p):
                        continue  # "tired eyes", "my legs were tired": the part's
                    rank = (False, denying, -1, 0, phrase.how != EXACT, at[0], phrase.findings)
                    candidates[(key, at)] = (rank, phrase, at)
                    continue
                need = list(key)
                used = []
                others = 0  # words in the way; place words ("over") do not count
                listed = False  # ... unless all are the short items of a list (`_list_items`)
                for q in range(p, count):
                    word = norms[q]
                    if word in need:
                        need.remove(word)
                        used.append(content[q])
                        if not need:
                            break
                    elif (
                        word not in place_words
                        and not word[:1].isdigit()
                        and not self._coordinate(used, content[q], need)
                    ):
                        others += 1
                        if listed and q not in items:  # type: ignore[operator]
                            break  # after the list's items, nothing else in the way
                        if others > SLACK and not listed:
                            if items is None:
                                items = self._list_items(content)
                            if not self._all_items(items, range(p, q + 1), content, used):
                                break
                            listed = True
                if need or (listed and not self._joined_before(used[-1])):
                    continue  # a list's items are in the way only of its last item
                if moved and any(moved.get(i, i) not in used for i in used):
                    continue  # "pain beneath my ribs" is not rib pain
                if sensed and not sensed.isdisjoint(used):
                    continue  # "pain in the back of my thigh" is not back pain
                if describing and any(describing.get(i, i) not in used for i in used):
                    continue  # "a sore lump on my back": the lump is sore, not the back
                extra = q - p + 1 - len(used)  # the content words among them, not theirs
                if ends and any(used[0] < end < used[-1] for end in ends):
                    continue  # "no vomiting but some nausea": two statements (not "still")
                if (
                    denials
                    and phrase.how == EXACT
                    and any(
                        used[0] < d < used[-1]
                        # not a complaint's own word of the phrase ("ataxia or lack of ...")
                        and (d not in used or tokens[d].norm not in lexicon.complaint_words)
                        and self._said_before(phrase, used, d)
                        for d in denials
                    )
                ):
                    continue  # "nausea without vomiting": not "nausea and vomiting"
                if real_denials and phrase.how == COMPOSED:
                    if self._denied_place(phrase, used, real_denials):
                        continue  # "numb legs, no bladder problems": the bladder is denied
                    if self._denied_after(phrase, used, real_denials):
                        continue  # "a mass in the breast without lymphadenopathy": its place
                if denying and extra and self._named_between(phrase, used, content):
                    continue  # "not short of breath", "no issues with balance": a denial
                if denying and pseudo and self._pseudo_not(used, pseudo):
                    continue  # "not related to eating", "not sure about eating out": no denial
                if (
                    denying
                    and extra
                    and not lexicon.feeling_well.isdisjoint(key)
                    and not self._linked_between(used)
                ):
                    continue  # "not sleeping well", "not healing well": how else is done
                if denying and not lexicon.feeling_well.isdisjoint(key):
                    if _WELL not in key and not any(
                        tokens[j].norm in lexicon.feeling_verbs for j in range(used[0], used[-1])
                    ):
                        continue  # "I don't feel good", not "the news was not good": a feeling
                    if (
                        used[-1] + 1 < len(tokens)
                        and tokens[used[-1] + 1].norm in lexicon.feeling_not_after
                    ):
                        continue  # "I don't feel good about the results": about a thing
                if denying and tokens[used[0]].norm != NOT and not self._not_normal(used):
                    continue  # "sleeping well and not tired": its "not" comes first
                crosses = clause_of[used[0]] is not clause_of[used[-1]]
                if denying and crosses:
                    continue  # "no lumps and is otherwise well": its "not" is the lumps'
                if denials and key in lexicon.across and self._across_denied(key, used):
                    continue  # "no back pain, and I can control my bladder": not the cord's
                crosses = crosses and phrase.how == COMPOSED and key not in lexicon.across
                if crosses and any(
                    tokens[i].norm in body
                    and clause_of[i].start > used[0]
                    and self._state_of(i, clause_of, set())
                    for i in used
                ):
                    continue  # "no lymphadenopathy, chest clear": the chest's own statement
                if turned and self._turned_at_just(used):
                    continue  # "no pain, just some discomfort in his belly": no belly pain
                if joined and len(used) > 1 and self._place_of_the_next_item(used):
                    continue  # "no puckering or nipple discharge": the nipple's is the discharge
                if joined and phrase.how == COMPOSED and self._item_of_its_own(phrase, used):
                    continue  # "a scar and a palpable supraclavicular node": no node of the scar
                if denying and self._whole_item(used):
                    denying = False  # "no appetite and weight loss": "no appetite" is an item
                rank = (
                    crosses,  # "no skin changes, no nipple discharge": each in its clause
                    denying,  # read last: "no breathing problems" is a denied complaint
                    -len(key),
                    extra,
                    phrase.how != EXACT,
                    used[0],
                    phrase.findings,
                )
                at = tuple(used)
                candidates[(key, at)] = (rank, phrase, at)
        if feeling:
            for j, phrase in self._felt(every):  # "she felt awful"
                rank = (False, False, -1, 0, True, j, phrase.findings)
                candidates[(phrase.key, (j,))] = (rank, phrase, (j,))
        if denials and len(candidates) > 1:
            candidates = self._within_statements(candidates)
        taken: dict[int, _Match] = {}
        matches: list[_Match] = []
        ranked = list(candidates.values())
        if len(ranked) > 1:
            ranked.sort(key=_RANK)
        for _, phrase, used in ranked:
            owners: dict[int, _Match] | None = None  # the readings that took its words, if any
            if taken:
                for i in used:
                    owner = taken.get(i)
                    if owner is not None:
                        if owners is None:
                            owners = {}
                        owners[id(owner)] = owner
            if owners and NOT in phrase.key:
                continue  # its words are another reading's: its "not" may deny that one
            same = None  # the one reading that took its words, of the same finding
            if owners and len(owners) == 1:
                (owner,) = owners.values()
                same = [owner] if owner.phrase.findings == phrase.findings else None
            if same:  # "elevated SGOT and SGPT": one finding, said twice
                joined = set(same[0].used) | set(used)
                if denials and any(
                    min(joined) < d < max(joined) and not same[0].first < d < same[0].last
                    for d in denials
                ):
                    continue  # "a lump in the breast with no axillary lumps": not said twice
                same[0].used = tuple(sorted(set(same[0].used) | set(used)))
                same[0].tokens |= set(used)
                for i in used:
                    taken.setdefault(i, same[0])
                continue
            if owners and any(
                not self._shareable(taken, phrase, used, i) for i in used if i in taken
            ):
                continue
            match = _Match(phrase, used, set(used))
            for i in used:
                taken.setdefault(i, match)
            matches.append(match)
        composed: set[int] | None = None  # the complaint words of the composed readings
        for match in matches:
            if match.phrase.how == COMPOSED:
                if composed is None:
                    composed = set()
                place = set(match.phrase.key) - match.phrase.complaint
                # not a word of its place: "dimpled skin over the lump" says the lump too (its
                # place's words, not its complaint's: a reading said twice holds the other
                # phrase's complaint words too, "swelling and enlargement of the lymph nodes")
                composed.update(i for i in match.used if tokens[i].norm not in place)
        if composed:  # "redness around my nipple": the word said of a place, not on its own
            generic, kept = self.common.generic, []
            for match in matches:
                if not (
                    composed.intersection(match.used)
                    and match.phrase.how == EXACT
                    and generic.issuperset(match.phrase.key)  # `_generic`
                ):
                    kept.append(match)
            matches = kept
        matches += normal
        if not matches:
            return matches
        if len(matches) > 1:
            matches.sort(key=lambda m: m.first)
            matches = self._not_conditions(matches)
            if self.lexicon.placed:
                matches = self._placed_only(matches)
        # most sentences say no qualifier, and nothing that denies or dates
        found = self._found.keys()
        qualifying = _NONE if found.isdisjoint(self.common.qualifying) else self._qualify(matches)
        if not found.isdisjoint(self.common.dating) or NOT in every:
            if pseudo:
                pseudo = self._pseudo_not_read(pseudo, matches)
            self._deny_and_date(matches, pseudo | qualifying if qualifying else pseudo)
            if self.lexicon.placed:
                self._examined_denied(matches)
        return matches

    def _examined_denied(self, matches: list[_Match]) -> None:
        """Lymph nodes named only as the places examined, their swelling denied after them as
        the list's own predicate, are denied with it: "Lymph nodes in axillary,
        infraclavicular, and supraclavicular regions free of lymphadenopathy" (a lymph node
        named is the structure examined: `_STRUCTURES`). Not nodes said swollen or palpable,
        nor a denial that is a list item of its own ("lymph nodes in the axilla, no
        lymphadenopathy in the neck"), nor across a turn."""
        lexicon, tokens = self.lexicon, self.tokens
        triggers: list[int] | None = None  # where each denial before its finding starts
        stops: set[int] | None = None  # where the sentence turns
        for finding, placed in lexicon.placed.items():
            family = placed | {finding}
            denied = [
                m for m in matches if m.negated and not set(m.phrase.findings).isdisjoint(family)
            ]
            if not denied:
                continue
            if triggers is None or stops is None:
                triggers = [s for s, _ in self._occurrences(lexicon.negation_before, set())]
                stops = {t for t, _ in self._occurrences(lexicon.contrasts, set())}
            said = [  # denied right after its trigger, with no comma before the trigger
                d
                for d in denied
                if any(
                    t < d.first
                    and not any(self._is_content(k) for k in range(t + 1, d.first))
                    and not self._comma_between(t - 1, t)
                    for t in triggers
                )
            ]
            for match in matches:
                if match.negated or set(match.phrase.findings).isdisjoint(family):
                    continue
                complaint = [i for i in match.used if tokens[i].norm in match.phrase.complaint]
                if not complaint or any(tokens[i].norm not in _STRUCTURES for i in complaint):
                    continue  # "swollen lymph nodes in the axilla": a complaint of its own
                before = match.first - 1
                if before >= 0 and (
                    tokens[before].norm in lexicon.complaint_words
                    or tokens[before].surface == "palpable"
                ):
                    continue  # "enlarged lymph nodes in the axilla", "palpable lymph nodes"
                if any(
                    d.first > match.last and not any(match.last < t < d.first for t in stops)
                    for d in said
                ):
                    match.negated = True

    def _pseudo_not(self, used: list[int], pseudo: frozenset[int] | set[int]) -> bool:
        """Whether the "not" of a denying phrase (its words `used`) is a pseudo-negation's that
        denies a relation or a certainty ("not related to eating", "not sure about eating out":
        no eating denied); not a wish's ("I just don't want to eat" is no appetite)."""
        tokens = self.tokens
        return any(
            tokens[i].norm == NOT
            and i + 1 in pseudo
            and i + 1 not in used
            and tokens[i + 1].surface in _DOUBTED
            for i in used
        )

    def _linked_between(self, used: list[int]) -> bool:
        """Whether the content words between the first and last of `used` are only linking
        verbs ("she doesn't sound well", "he doesn't look well": how she seems)."""
        return all(
            self.tokens[i].norm in _LINKING
            for i in range(used[0] + 1, used[-1])
            if i not in used and self._is_content(i)
        )

    def _pseudo_not_read(
        self, pseudo: frozenset[int] | set[int], matches: list[_Match]
    ) -> frozenset[int] | set[int]:
        """The pseudo-negations (`pseudo`, their tokens) of which no finding read uses a word:
        one that a finding's words hold is a denial of that finding ("no change to the skin of
        the breast" denies the skin's change; "no change in the lump" keeps the lump). The
        tokens of a complaint that does not stop (`_unstopping`), of no listed phrase, are kept
        as the finding's words leave them."""
        used = {i for m in matches for i in m.used}
        if used.isdisjoint(pseudo):
            return pseudo
        spans = self._occurrences(self.lexicon.pseudo, set())
        listed = {i for s, e in spans for i in range(s, e)}
        kept = {i for s, e in spans if used.isdisjoint(range(s, e)) for i in range(s, e)}
        return kept | (set(pseudo) - listed - used)

    def _whole_item(self, used: list[int]) -> bool:
        """Whether words `used` (a denying phrase's) are said together, its "not" first, as a
        whole item of a list: a join right after them ("no appetite and weight loss", "no
        appetite, weight loss"; not "no breathing problems")."""
        return used == list(range(used[0], used[-1] + 1)) and self._list_item_ends(used[-1])

    def _describing(self, content: list[int], norms: list[str]) -> dict[int, int]:
        """The complaint words said right before a noun they describe (`Lexicon.described`;
        "a sore lump", "tender lymph nodes"), or before the body place that names the noun's
        ("firm, tender supraclavicular nodes"), each with that noun's token."""
        described, complaints = self.lexicon.described, self.lexicon.complaint_words
        places = _places(self.lexicon)
        found = {}
        for q in range(len(content) - 1):
            if norms[q] not in complaints or norms[q] in described:
                continue
            r = self._word_after(content, norms, q)  # "a sore, hard lump"
            if (  # written together: not "pain in the bone with swelling"
                r is not None
                and norms[r] in places
                and r + 1 < len(content)
                and content[q] + 1 == content[r] == content[r + 1] - 1
            ):
                r = self._word_after(content, norms, r)
            if r is not None and norms[r] in described:
                found[content[q]] = content[r]
        return found

    def _other_senses(self, content: list[int], norms: list[str]) -> set[int]:
        """The content words (token places) said in another sense: followed by the second word
        of one of `Lexicon.other_senses` ("back of the lower leg"; not "my back and my legs"),
        or said right after the first word of one of `Lexicon.other_senses_after`, as typed
        ("she is fit", "the pain came back")."""
        lexicon, tokens, sensed = self.lexicon, self.tokens, set()
        for q in range(len(content) - 1):
            if (
                (norms[q], norms[q + 1]) in lexicon.other_senses
                and content[q] + 1 == content[q + 1]
                and not self._comma_between(content[q], content[q + 1])
            ):  # "a sick note": not past "note" as a word of finding; not "my back, legs"
                sensed.add(content[q])
                continue
            r = self._word_after(content, norms, q)
            while (
                r is not None
                and (norms[q], _MONEY) in lexicon.other_senses  # "cough up 50 bucks"
                and not self._a_sum(content[r])
                and (norms[r][:1].isdigit() or norms[r] in _PARTICLES or norms[r] in _NUMERALS)
                and r + 1 < len(content)
            ):
                r = self._word_after(content, norms, r)  # past a sum: "cough up 50 bucks"
            if r is not None and (
                (norms[q], norms[r]) in lexicon.other_senses
                or (self._a_sum(content[r]) and (norms[q], _MONEY) in lexicon.other_senses)
            ):
                sensed.add(content[q])  # "cough up $50": a sum of money, as the word is
        for q, i in enumerate(content):
            if i not in sensed and (norms[q], self._person_after(i)) in lexicon.other_senses:
                sensed.add(i)  # "see a doctor": a person is no content word
            if q and norms[q - 1] in lexicon.against and content[q - 1] == i - 1:
                sensed.add(i)  # "anti-nausea tablets": what the tablets act against
        for i in content:
            if i + 1 < len(tokens) and (
                (tokens[i].surface, tokens[i + 1].surface) in lexicon.other_senses_before
            ):
                sensed.add(i)  # "the back of the shoe", "fit into my jeans"
                continue
            if i and (tokens[i - 1].surface, tokens[i].surface) in lexicon.other_senses_after:
                after = i + 1 < len(tokens) and not self._comma_between(i, i + 1)
                if not (after and _names_a_complaint(lexicon, tokens[i + 1].norm)):
                    sensed.add(i)  # not "it is back pain": the place of the complaint after
        if (
            content
            and content[0] == 0
            and norms[0] in lexicon.interjections
            and len(tokens) > 1
            and self._comma_between(0, 1)
        ):
            sensed.add(0)  # "See, I've lost 10 pounds": no sight
        return sensed

    def _a_sum(self, i: int) -> bool:
        """Whether token i is a sum of money: digits typed after a currency's sign ("$50")."""
        start = self.tokens[i].start
        return (
            start > 0 and self.text[start - 1] in _CURRENCIES and self.tokens[i].norm[:1].isdigit()
        )

    def _person_after(self, i: int) -> str | None:
        """The function word after token i, past articles and possessives, that names a
        person ("see a doctor", "saw my GP"), if there is one."""
        tokens, lexicon = self.tokens, self.lexicon
        for j in range(i + 1, min(i + 4, len(tokens))):
            word = tokens[j].norm
            if word not in lexicon.function or self._comma_between(j - 1, j):
                return None
            if word in _persons(lexicon):
                return word
        return None

    def _of_a_part(self, content: list[int], norms: list[str], q: int) -> bool:
        """Whether content word q is said of a part of the body (`Lexicon.parts`): of the part
        said right before it, past linking words only ("my legs were tired", "eye fatigue"; not
        "my legs hurt and I'm tired"), or of the part that ends the list of words it opens
        ("sore, tired, burning eyes"; not "tiredness, weakness and muscle pain", where the part
        opens its item)."""
        lexicon, tokens = self.lexicon, self.tokens
        parts, subjects = lexicon.parts, lexicon.one_word(lexicon.subjects)
        if q and norms[q - 1] in parts:
            between = range(content[q - 1] + 1, content[q])
            if not self._comma_between(content[q - 1], content[q]) and not any(
                tokens[j].norm in _LIST_JOINS or tokens[j].norm in subjects for j in between
            ):
                return True
        for r in range(q + 1, len(content)):
            if norms[r] in parts:  # the item's head, or a complaint follows it ("muscle pain")?
                after = r + 1 < len(content) and content[r + 1] == content[r] + 1
                return not (after and _names_a_complaint(lexicon, norms[r + 1]))
            if not self._list_item_ends(content[r]) and (
                r + 1 == len(content) or content[r + 1] != content[r] + 1
            ):
                return False  # a word of its own ("tired all the time")
        return False

    def _word_after(self, content: list[int], norms: list[str], q: int) -> int | None:
        """The content word (its place in `content`) that content word q is said right before,
        over the words of how a thing is described ("lower", "hard"); None across a list
        ("pain and swelling", "my back, legs")."""
        r = q + 1
        while r < len(content) - 1 and norms[r] in self.lexicon.place_words:
            r += 1
        between = range(content[q] + 1, content[r])
        if self._comma_between(content[q], content[r]) or any(
            self.tokens[j].norm in _LIST_JOINS for j in between
        ):
            return None
        return r

    def _all_items(
        self, items: set[int], among: range, content: list[int], used: list[int]
    ) -> bool:
        """Whether every word in the way among the content words `among` (not a phrase's
        word, not a place word, not a number) is a short item of a list (`items`)."""
        place_words, norms = self.lexicon.place_words, self._norms
        for r in among:
            t = content[r]
            word = norms[t]
            in_the_way = t not in used and word not in place_words and not word[:1].isdigit()
            if in_the_way and r not in items:
                return False
        return True

    def _coordinate(self, used: list[int], t: int, need: list[str]) -> bool:
        """Whether token t is joined by "or" or "and" to the phrase's word right before it,
        an alternative of that word and not in the phrase's way ("loss of bladder or bowel
        control", "back pain, numbness or lack of bladder or bowel control"), the phrase's next
        word right after it; not a complaint of its own ("swelling and redness ... over the
        bone")."""
        return (
            bool(used)
            and used[-1] == t - 2
            and self.tokens[t - 1].norm in _LIST_JOINS
            and self.tokens[t].norm not in self.lexicon.complaint_words  # "swelling and redness"
            # the phrase's next word after it, no comma between: "bladder or bowel control",
            # not "head and shoulder massage, my knee aches"
            and self._need_unbroken(t, need)
        )

    def _need_unbroken(self, t: int, need: list[str]) -> bool:
        """Whether the phrase's next needed word comes after token t with no comma between."""
        for j in range(t + 1, len(self.tokens)):
            if self.tokens[j].norm in need:
                return not self._comma_between(t, j)
        return False

    def _joined_before(self, t: int) -> bool:
        """Whether token t is a list's last item: a comma, "or" or "and" before it, with only
        function and place words between ("speech or personality", "neck or above the
        collarbone")."""
        tokens, place_words = self.tokens, self.lexicon.place_words
        j = t - 1
        while j >= 0:
            if self._comma_between(j, j + 1):
                return True
            if tokens[j].norm in _LIST_JOINS:
                return True
            if self._is_content(j) and tokens[j].norm not in place_words:
                return False
            j -= 1
        return False

    def _list_items(self, content: list[int]) -> set[int]:
        """The content words (by their place in `content`) of the short items of a list: a
        run of at most two content words next to each other that a comma, "or" or "and" ends
        ("alertness", "mental capacity" and "speech" in "my alertness, mental capacity,
        speech or personality"). Its last item, which nothing ends, is not among them."""
        tokens, items = self.tokens, set()
        run: list[int] = []
        for q, t in enumerate(content):
            if q and t != content[q - 1] + 1:
                run = []  # a word between: a new run
            run.append(q)
            after = t + 1
            if after < len(tokens) and (
                tokens[after].norm in _LIST_JOINS or self._comma_between(t, after)
            ):
                if len(run) <= 2:
                    items.update(run)
                run = []
        return items

    def _said(self, phrases: list[tuple[str, ...]]) -> bool:
        """Whether the sentence may hold one of the list's phrases: a list every sentence is
        read with (`_common`) is known from the sentence's one walk of them (`_refresh`)."""
        return id(phrases) in self._found or id(phrases) not in self.common.ids

    def _normal_measures(self) -> list[_Match]:
        """A measure said to be normal or unchanged ("appetite and weight are stable", "normal
        LFTs"): a denial of each finding that is its change (rules/reading.yaml: states). The
        run of measures joined by function words and links is read back from the state word
        (and forward from it: "stable weight"); a measure next to one of its own complaint
        words ("decreased appetite") is that complaint, and ends the run."""
        lexicon, tokens = self.lexicon, self.tokens
        if not lexicon.normal_states or not lexicon.measures:
            return []
        idioms = self._occurrences(lexicon.state_idioms, set())
        states = [  # not "Well, what's the deal with your liver enzymes?": a remark opens;
            # nor "as well" ("my appetite as well as my weight have dropped"): also
            (s, e)
            for s, e in self._occurrences(lexicon.normal_states, set())
            if (
                s
                or tokens[0].norm not in lexicon.interjections
                or not (len(tokens) > 1 and self._comma_between(0, 1))
            )
            and not any(i <= s < j for i, j in idioms)
        ]
        changes = set(self._occurrences(lexicon.denied_changes, set()))
        if not states and not changes:
            return []
        after_only = self._occurrences(lexicon.states_after_only, set()) if states else []
        measures = {s: e for s, e in self._occurrences(lexicon.measure_list, set())}
        if not measures:
            return []
        ends = {e - 1: s for s, e in measures.items()}  # a measure's last token -> its start
        links = {i for s, e in self._occurrences(lexicon.state_links, set()) for i in range(s, e)}
        owner = {i: s for s, e in measures.items() for i in range(s, e)}

        def findings(start: int) -> tuple[str, ...]:
            key = tuple(t.norm for t in tokens[start : measures[start]])
            return lexicon.measures.get(key, ())

        separators, function = self.common.separators, lexicon.function

        def said_of(j: int, step: int) -> int:
            """The word said of the measure from token j on, one way (`step`): past the
            function words of its phrase ("lost my appetite"), not past a separator ("weight
            loss, and my appetite is good") nor a comma."""
            while 0 <= j < len(tokens) and tokens[j].norm in function:
                if tokens[j].norm in separators or self._comma_between(j, j - step):
                    return -1
                j += step
            if not 0 <= j < len(tokens) or self._comma_between(j, j - step):
                return -1
            return j

        def complained(start: int) -> bool:
            """A complaint word of the measure's findings said of it, before or after it; not
            the word of a structure examined ("lymph nodes in the axilla are normal")."""
            end, own = measures[start], set(findings(start))
            near = [j for j in (said_of(start - 1, -1), said_of(end, 1)) if j >= 0]
            return any(
                own & set(lexicon.complaint_words.get(tokens[j].norm, ()))
                for j in near
                if tokens[j].norm not in _STRUCTURES
            )

        def passable(i: int) -> bool:
            return i in links or (tokens[i].norm != NOT and not self._is_content(i))

        lone = lexicon.lone_complaints

        def naming(k: int, last: int) -> bool:
            """Whether complaint word k names the thing after it in an item that ends by token
            `last` ("full blood count", "blood chemistry": a test, not blood)."""
            after = k + 1
            return (
                after <= last
                and after < len(tokens)
                and self._is_content(after)
                and tokens[after].norm not in lone
                and not self._comma_between(k, after)
            )

        def item_before(i: int) -> int:
            """Where the item of a list of things examined that ends at token i starts: a few
            words, no complaint, measure or denial, after a separator or a comma ("mental
            status, strength, sensation, and reflexes were normal"; "liver enzymes, lactate
            dehydrogenase and urinalysis were within normal limits"); else -1."""
            k = i
            while k > 0 and i - k < 4 and k not in owner:
                norm = tokens[k].norm
                if norm == NOT or norm in separators or (norm in lone and not naming(k, i)):
                    return -1
                if tokens[k - 1].norm in separators or self._comma_between(k - 1, k):
                    return k
                k -= 1
            return -1

        def item_ahead(i: int) -> int:
            """Where the list item of a few words from token i ends, at a separator or a
            comma ("normal hemogram and LFTs", "a normal full blood count and LFTs"), if its
            words are no measure, no complaint and no denial; else -1."""
            k = i
            while k < len(tokens) and k - i < 4 and k not in owner:
                norm = tokens[k].norm
                if norm == NOT or norm in separators or (norm in lone and not naming(k, i + 2)):
                    break
                k += 1
            if k == i or k >= len(tokens):
                return -1
            return k if tokens[k].norm in separators or self._comma_between(k - 1, k) else -1

        def run_before(s: int) -> tuple[list[int], int]:
            """The run of measures said right before token s (their starts), back to the word
            before them (its index, or -1)."""
            i, run = s - 1, []
            while i >= 0:
                if i in ends and not complained(ends[i]):
                    run.append(ends[i])
                    i = ends[i] - 1
                elif i in owner:
                    break
                elif passable(i):
                    i -= 1
                else:
                    start = item_before(i)
                    if start < 0:
                        break
                    i = start - 1
            return run, i

        found: dict[int, tuple[int, int]] = {}  # measure start -> its state's span
        denials = self._occurrences(lexicon.negation_before, set()) if changes else []
        denied = {e for _, e in denials}  # where a denial before a change ends
        if changes and denials:
            stops = {t for t, _ in self._occurrences(lexicon.terminators, set())}
        for s, e in sorted(changes):  # "no weight change", "denies appetite or weight changes"
            run, i = run_before(s)
            if not run:
                continue
            if (i >= 0 and (tokens[i].norm == NOT or i + 1 in denied)) or any(
                end <= min(run) and not any(end <= t < s for t in stops) for _, end in denials
            ):  # ... or a list the denial reaches: "denies hemoptysis, weight changes"
                for start in run:
                    found.setdefault(start, (s, e))
        for s, e in states:
            j = s - 1
            while j >= 0 and passable(j) and j not in owner:
                j -= 1
            if j >= 0 and tokens[j].norm == NOT:
                continue  # "not normal", "I don't have the same energy"
            if (
                j >= 0
                and j not in owner
                and tokens[j].norm in lexicon.complaint_words
                and not self._comma_between(j, s)
            ):
                continue  # "difficulty maintaining my balance": what is hard, not a state
                # (not "I have a breast lump, normal appetite")
            run, i = run_before(s)  # back from the state word
            if i < 0 or tokens[i].norm != NOT:  # "not as hungry as usual": no denial
                for start in run:
                    found.setdefault(start, (s, e))
            i = e  # forward: "stable weight", "normal appetite and energy"
            if after_only and any(s == a and e == b for a, b in after_only):
                continue  # "the same liver enzymes are still out of range": no state of them
            while i < len(tokens):
                if i in measures and not complained(i):
                    found.setdefault(i, (s, e))
                    i = measures[i]
                elif i in owner:
                    break
                elif passable(i):
                    i += 1
                else:  # "normal hemogram and liver function tests": an item of the list
                    i = item_ahead(i)
                    if i < 0:
                        break
        matches: dict[tuple[str, tuple[int, int]], _Match] = {}
        for start, state in sorted(found.items()):
            used = tuple(range(start, measures[start]))
            key = tuple(t.norm for t in tokens[start : measures[start]])
            for finding in findings(start):
                said = matches.get((finding, state))
                if said:  # "mental status and cognition are intact": one denial
                    said.used += used
                    said.tokens |= set(used)
                    continue
                text = self.text[tokens[start].start : tokens[measures[start] - 1].end]
                phrase = Phrase(key, (finding,), COMPOSED, text, key)
                tokens_read = set(used) | set(range(*state))
                matches[(finding, state)] = _Match(phrase, used, tokens_read, negated=True)
        return list(matches.values())

    def _between(self, i: int, j: int) -> str:
        """What is typed between tokens i and j (i before j)."""
        return self.text[self.tokens[i].end : self.tokens[j].start]

    def _comma_between(self, i: int, j: int) -> bool:
        """Whether a comma is typed between tokens i and j (either order)."""
        if not (0 <= i < len(self.tokens) and 0 <= j < len(self.tokens)):
            return False
        first, second = sorted((i, j))
        return _a_pause(self.text[self.tokens[first].end : self.tokens[second].start])

    def _not_normal(self, used: list[int]) -> bool:
        """Whether the phrase's "not" is said of a normal state ("appetite not good")."""
        states = {phrase[0] for phrase in self.lexicon.normal_states}
        return any(
            self.tokens[i].norm == NOT
            and (after := self._next_word(i + 1)) is not None
            and self.tokens[after].norm in states
            for i in used
        )

    def _unstopping(self) -> set[int]:
        """The "not" of a complaint that does not stop, asked with its subject between ("why
        won't my headache stop?", "nothing stops the pain"), as the pseudo-negations "won't
        stop" and "not i stop" are said without one: a few words between, none a verb's "not".
        """
        norms, found = self._norms, set()
        for k, word in enumerate(norms):
            if word != NOT:
                continue
            subject = 0  # the content words between: the subject's, one at most
            for j in range(k + 1, min(k + 5, len(norms))):
                if norms[j] == NOT or self._comma_between(j - 1, j):
                    break
                if norms[j] == "stop":
                    found.update((k, j))  # nor is the stop an ending ("stopped": over)
                    break
                subject += self._is_content(j)
                if subject > 1:
                    break
        return found

    def _turned_at_just(self, used: list[int]) -> bool:
        """Whether the words span a comma and "just" after it, a terminator of NegEx's said of
        what is left ("no pain, just some discomfort in his belly"; not "a lump in my neck,
        just above my collarbone", where it says how near a place is)."""
        tokens, places = self.tokens, self.lexicon.place_words
        return any(
            tokens[j].norm == "just"
            and self._comma_between(j - 1, j)
            and not (j + 1 < len(tokens) and tokens[j + 1].norm in places)
            for j in range(used[0] + 1, used[-1])
        )

    def _place_of_the_next_item(self, used: list[int]) -> bool:
        """Whether a phrase's last word is said after a list's join, right before a word it
        makes a phrase of its own with ("no puckering or nipple discharge": the nipple is the
        discharge's; not "pain and swelling in my armpit", nor "balance issues, and vision
        difficulties", which make none)."""
        tokens, last = self.tokens, used[-1]
        after = last + 1
        if after >= len(tokens) or self._comma_between(last, after):
            return False
        if tuple(sorted((tokens[last].norm, tokens[after].norm))) not in self.lexicon.phrases:
            return False
        return any(tokens[j].norm in _LIST_JOINS for j in range(used[-2] + 1, last))

    def _item_of_its_own(self, phrase: Phrase, used: list[int]) -> bool:
        """Whether a composed phrase's complaint words all follow a list's join that opens an
        item of its own with an article ("and a", "or the") after a place of the phrase: the
        complaint is that item's ("a scar and a palpable supraclavicular node"; not "my armpit
        and breast lumps", one complaint of both, nor "my scar and the skin around it are red",
        said of both by a verb)."""
        tokens, complaint = self.tokens, phrase.complaint
        said = [i for i in used if tokens[i].norm in complaint]
        places = [i for i in used if tokens[i].norm not in complaint]
        if not said or not places or min(said) < max(places):
            return False
        first = min(said)
        for j in range(max(places) + 1, first - 1):
            if tokens[j].norm in _LIST_JOINS and tokens[j + 1].surface in _ARTICLES:
                return not any(tokens[k].norm in _LINKING for k in range(j + 2, first))
        return False

    def _across_denied(self, key: tuple[str, ...], used: list[int]) -> bool:
        """Whether a phrase told across statements (`Composition.across`) has a part denied:
        a denial in the clause of its first word, before it ("no back pain, and I can control
        my bladder"), or one between its words that denies no word of its own ("back pain,
        and no loss of bladder control"; not "back pain and I can't control my bladder")."""
        tokens, first, last = self.tokens, used[0], used[-1]
        clause = self._clause_of()[first]
        lost = self.common.lost  # its denial is the loss ("can't control"), not "not weak"
        for s, e in self._occurrences(self.lexicon.negation_before, set()):
            if clause.start <= s < first:
                return True
            if first < s < last:
                after = self._next_word(e)
                if after is None or tokens[after].norm not in key or tokens[after].norm not in lost:
                    return True
        return False

    def _denied_place(self, phrase: Phrase, used: list[int], denials) -> bool:
        """Whether a denial that opens a list item stands between a composed phrase's
        complaint and a place said after it: "numbness in my legs, no bladder problems"
        composes no cord's signs (a denial before the complaint, "no lumps, tenderness or
        discharge of the breast", denies it)."""
        complaint = phrase.complaint
        said = [i for i in used if self.tokens[i].norm in complaint]
        if not said or NOT in phrase.key:
            return False
        first, tokens = said[0], self.tokens
        return any(
            first < d < i and (self._comma_between(d - 1, d) or tokens[d - 1].norm in _LIST_JOINS)
            for d in denials
            for i in used
            if i > first and tokens[i].norm not in complaint
        )

    def _denied_after(self, phrase: Phrase, used: list[int], denials) -> bool:
        """Whether a composed phrase is its place, a denial, then its complaint ("breast: no
        masses") where a complaint is said of the place before it ("a mass in the left breast
        without regional lymphadenopathy"): the place is that complaint's, the denied one no
        complaint of it."""
        complaint, tokens = phrase.complaint, self.tokens
        said = [i for i in used if tokens[i].norm in complaint]
        places = [i for i in used if tokens[i].norm not in complaint]
        if not said or not places or NOT in phrase.key or max(places) > min(said):
            return False
        place, first = max(places), min(said)
        if not any(place < d < first for d in denials):
            return False
        clause = self._clause_of()[place]
        complaints = self.lexicon.complaint_words
        return any(tokens[j].norm in complaints for j in range(clause.start, min(places)))

    def _said_before(self, phrase: Phrase, used: list[int], d: int) -> bool:
        """Whether the phrase's words before token d name its finding on their own ("nausea"
        in "nausea without vomiting"; not "breast" in "breast: no masses")."""
        before = tuple(sorted(self.tokens[i].norm for i in used if i < d))
        known = self.lexicon.phrases.get(before)
        return known is not None and known.findings == phrase.findings

    def _named_between(self, phrase: Phrase, used: list[int], content: list[int]) -> bool:
        """Whether a word between the phrase's words is a word of its own finding: "not short
        of breath" denies shortness of breath; "don't want to eat" and "don't have much of an
        appetite" are a loss of appetite."""
        by_word, inside = self.lexicon.by_word, set(used)
        return any(
            p.findings == phrase.findings
            for j in content
            if used[0] < j < used[-1] and j not in inside
            for p in by_word.get(self.tokens[j].norm, ())
        )

    def _reach(self, before: list[tuple[int, int]], matches: list[_Match]) -> dict[int, int]:
        """How far each denial reaches: to the end of the sentence (NegEx), except a bare
        "not" that denies a word which is no finding ("I couldn't sleep, and then my legs felt
        weak"): it ends with that word's clause; and a denied word which is no finding, the
        subject of a verb of its own ("no treatment has helped my headache", "no cause was
        found for my cough"): it ends at the verb."""
        used = {i for m in matches for i in m.used}
        verbs = self.common.verbs
        reach = {}
        for s, e in before:
            reach[s] = len(self.tokens)
            word = self._next_word(e)
            if word is None or word in used:
                continue
            if e - s == 1 and self.tokens[s].surface == NOT:
                clause = next((c for c in self._clauses() if word in c), None)
                if clause is not None and not used.intersection(clause):
                    reach[s] = clause.stop  # a finding in it: "it wasn't blinding headaches
                    # or sudden weakness" denies on
            elif word + 1 < len(self.tokens) and self.tokens[word + 1].norm in verbs:
                reach[s] = word + 1
            # ... nor past an aside opened after that word ("He has no pain (painless
            # jaundice)": the jaundice is had), nor past a dash typed as a pause ("I couldn't
            # feel my legs - back pain, pins and needles": the back pain is had)
            if "(" in self.text or "-" in self.text or not self.text.isascii():
                for k in range(word + 1, reach[s]):
                    between = self._between(k - 1, k)
                    if "(" in between or _a_dash(between):
                        reach[s] = k
                        break
        return reach

    @staticmethod
    def _denied_ending(start: int, before: list[tuple[int, int]], clause_of: list[range]) -> bool:
        """A denial at most NEAR words before token `start`, in its clause: an ending that is
        denied ("never really went away", "didn't want to go away") is no ending."""
        clause = clause_of[start]
        return any(0 <= start - e <= NEAR and s in clause for s, e in before)

    def _next_word(self, i: int) -> int | None:
        """The first word from token i on that is not a function word."""
        while i < len(self.tokens) and not self._is_content(i):
            i += 1
        return i if i < len(self.tokens) else None

    def _felt(self, words: list[str]) -> list[tuple[int, Phrase]]:
        """The words of feeling ill said by a person with a verb of feeling before them ("she
        felt awful", "I've been feeling really rough"; rules/reading.yaml: feeling_ill), each
        with the phrase it reads as; not said by a thing ("my back feels bad"), about
        something ("I feel bad about it") nor of a complaint ("I felt this terrible
        fatigue")."""
        lexicon = self.lexicon
        felt = []
        for j, word in enumerate(words):
            finding = lexicon.feelings.get(word)
            if finding is None or (
                j + 1 < len(words)
                and (
                    words[j + 1] in lexicon.feeling_not_after
                    # ... nor of a complaint it describes ("I felt this terrible fatigue")
                    or _names_a_complaint(lexicon, words[j + 1])
                )
            ):
                continue
            if self._felt_by_a_person(words, j) is not None:
                felt.append((j, _feeling_phrase(lexicon, word, finding)))
        return felt

    def _felt_by_a_person(self, words: list[str], j: int) -> int | None:
        """The verb of feeling (its token) that word j is said after, past filler words ("felt
        really awful"), when a person says it ("she felt", "I've been feeling"), not a thing
        ("my back feels bad"); else None."""
        lexicon = self.lexicon
        function, verbs = lexicon.function, lexicon.feeling_verbs
        k = j - 1  # back over filler words to the verb ...
        # ... and over up to two items of a list before it, one word each, each right before
        # the join or comma of the next ("I feel shaky and horrible"; not "I felt a lump and it
        # was horrible", a statement of its own)
        items, after = 0, j  # the items passed; where the item after them starts
        while k >= 0 and words[k] not in verbs:
            if words[k] not in function:
                joined = (k + 2 == after and words[k + 1] in _LIST_JOINS) or (
                    k + 1 == after and self._comma_between(k, after)
                )
                if items == 2 or not joined:
                    break
                items, after = items + 1, k
            k -= 1
        if k < 0 or words[k] not in verbs:
            return None
        subjects = lexicon.one_word(lexicon.subjects) | lexicon.feeling_subjects
        for i in range(k - 1, self._clause_of()[k].start - 1, -1):  # back to who felt it
            if words[i] in subjects:
                return k if words[i] in lexicon.feeling_subjects else None
            if words[i] not in function and words[i] != NOT:
                return None  # "my back feels bad"
        return k

    def _felt_well(self) -> list[_Match]:
        """Feeling well said by a person ("she reports feeling well", "I feel fine"): a denial
        of feeling ill (rules/reading.yaml: feeling_ill.well); not after a denial ("I don't
        feel well" is feeling ill), nor up to a turn ("I felt fine until last week")."""
        lexicon, words = self.lexicon, self._norms
        finding = next(iter(lexicon.feelings.values()), None)  # the one finding they all name
        found = []
        for j, word in enumerate(words):
            if word not in lexicon.feeling_well or finding is None:
                continue
            if j + 1 < len(words) and words[j + 1] in lexicon.feeling_not_after:
                continue  # "I feel fine about it"
            k = self._felt_by_a_person(words, j)
            if k is None:
                continue
            clause = self._clause_of()[k]
            if any(words[i] == NOT for i in range(clause.start, j)):
                continue
            if not lexicon.feeling_well_until.isdisjoint(words[j + 1 :]):
                continue  # "I felt fine until last week"
            phrase = _feeling_phrase(lexicon, word, finding)
            found.append(_Match(phrase, (j,), set(range(k, j + 1)), negated=True))
        return found

    def _a_noun(self, i: int) -> bool:
        """Whether token i, a word that joins clauses, is a noun after "a" ("for a while")."""
        return i > 0 and self.tokens[i - 1].norm == "a"

    def _placed_only(self, matches: list[_Match]) -> list[_Match]:
        """The matches less a finding of no given place whose complaint word another match
        reads as a finding that gives the place, said of the same place ("a lump on the side
        of my neck, a little higher than my collar bone": above the collar bone, not a lump of
        no given place); not of two places a list joins ("lumps in my neck and my armpit")."""
        placed, tokens = self.lexicon.placed, self.tokens

        def one_place(m: _Match, o: _Match) -> bool:
            low, high = min(m.first, o.first), max(m.last, o.last)
            return not any(tokens[j].norm in _LIST_JOINS for j in range(low, high + 1))

        dropped = [
            m
            for m in matches
            for f in m.phrase.findings
            if f in placed
            and any(
                o is not m
                and not placed[f].isdisjoint(o.phrase.findings)
                and not set(o.used).isdisjoint(m.used)
                and one_place(m, o)
                for o in matches
            )
        ]
        return [m for m in matches if m not in dropped] if dropped else matches

    def _not_conditions(self, matches: list[_Match]) -> list[_Match]:
        """A one-word finding said as the circumstance of another complaint is that
        complaint's circumstance, not a finding: "pain in my back that is worse when I cough",
        "headache made worse by coughing" (ConText's idea of a trigger's own scope: "when",
        "whenever", "while"; rules/reading.yaml: aggravations)."""
        if len(matches) < 2 or not self.lexicon.circumstances:
            return matches
        aggravated: frozenset[int] | set[int] = _NONE  # where an aggravation ends
        if self._said(self.lexicon.aggravations):
            aggravated = {e for _, e in self._occurrences(self.lexicon.aggravations, set())}
        likened: frozenset[int] | set[int] = _NONE  # where a "feels like" ends
        if self._said(self.lexicon.likeness):
            likened = {e for _, e in self._occurrences(self.lexicon.likeness, set())}
        kept = []
        for k, match in enumerate(matches):
            if (
                k
                and len(match.used) == 1
                and match.phrase.how == EXACT
                and self._circumstance_before(match.first, aggravated)
            ):
                continue
            if k and likened and self._likened(match.first, likened):
                continue  # "swollen lymph nodes that feel like hard lumps": what they are like
            if kept and len(match.used) == 1 and self._qualifies(kept[-1], match):
                continue  # "I broke a rib coughing": how the rib broke, not a cough
            kept.append(match)
        return kept

    def _qualifies(self, before: _Match, match: _Match) -> bool:
        """Whether a one-word match, said right after another (function words between), is
        one of the article's qualifiers of that one's finding ("a fracture from coughing":
        an everyday movement that broke a weakened bone)."""
        if any(self._is_content(j) for j in range(before.last + 1, match.first)):
            return False
        clause_of = self._clause_of()
        if clause_of[before.last] is not clause_of[match.first]:
            return False  # "I broke my hip and I have a cough": a cough of its own
        qualifying = _one_word_qualifiers(self.lexicon, before.phrase.findings)
        return self.tokens[match.first].norm in qualifying

    def _likened(self, i: int, likened: frozenset[int] | set[int]) -> bool:
        """Whether token i follows a "feels like" with only function words and words of how a
        lump is described between ("feel like hard lumps", "feels like a broken rib")."""
        place_words = self.lexicon.place_words
        j = i
        while j > 0 and j not in likened:
            j -= 1
            if self._is_content(j) and self.tokens[j].norm not in place_words:
                return False
        return j in likened

    def _circumstance_before(self, i: int, aggravated: frozenset[int] | set[int]) -> bool:
        """Whether token i is said after a word that opens a circumstance ("when"), over
        function words ("a cough for a while and I am breathless" is no circumstance); or after
        an aggravation (`aggravated`: where each ends); in either, over a list that it opens,
        items of up to three words joined right before the next by "or" or "and" ("worse in
        the morning or when bending over or coughing", "aggravated by straining or coughing"),
        and by commas too after an aggravation ("worse with deep breathing, coughing"), or in a
        list of alternatives after "when" ("worse when I laugh, cough or breathe deeply"; not
        "worse when I lie down, vomiting and blurred vision", which names vomiting)."""
        circumstances, separators = self.common.circumstances, self.common.separators
        tokens, j = self.tokens, i - 1
        # a list of alternatives, an "or" after the finding: "when I laugh, cough or breathe"
        alternatives = any(
            tokens[k].surface in _ALTERNATIVES for k in range(i + 1, min(i + 5, len(tokens)))
        )
        item = i  # where the list's current item starts: the finding's, then those before
        words = -1  # the content words passed of an item before the finding's (-1: none yet)
        while j >= 0:
            if aggravated and j + 1 in aggravated:
                return True
            if self._is_content(j):
                if j == item - 1 and self._comma_between(j, item) and (aggravated or alternatives):
                    item, words = j, 0  # "worse with deep breathing, coughing"
                elif words < 0 or words == _ITEM_WORDS_BEFORE:
                    return False  # not "worse when I lie down, vomiting and blurred vision"
                words += 1
                item = j
                j -= 1
                continue
            word = tokens[j].norm
            if word in circumstances and not self._a_noun(j):
                return True
            if word in separators:
                if word not in _LIST_JOINS or j != item - 1 or not j or not self._is_content(j - 1):
                    return False
                item, words = j, 0  # "straining or coughing": the item before the join next
            j -= 1
        return False

    def _shareable(
        self, taken: dict[int, _Match], phrase: Phrase, used: tuple[int, ...], i: int
    ) -> bool:
        """Whether token i, taken by another reading, may serve this phrase (its words `used`)
        too: a complaint word said of two places ("pain in my chest and back"), or a place
        said once of a list of complaints, the other reading's complaint one item of it and
        this phrase's another, before it ("dimpling and a lump in my breast", "redness and
        swelling over my ribs") or after it ("my breast became swollen, red and inflamed")."""
        if self.tokens[i].norm in phrase.complaint:
            return True
        owner = taken[i]
        if (
            owner.phrase.how == COMPOSED
            and phrase.key == (self.tokens[i].norm,)
            and self._generic(phrase)
            and self.tokens[i].norm not in owner.phrase.complaint
        ):
            return True  # the place of the other's complaint, a finding of its own: "dimpled
            # skin over the lump" says the lump too
        if self.tokens[i].norm not in _places(self.lexicon):
            return False  # a body place only ("loss of weight, loss of appetite": no place)
        if not set(owner.phrase.findings).isdisjoint(phrase.findings):
            return False  # the same finding said twice is one reading
        said = [t for t in used if t != i]
        if not said or any(t in taken for t in said):
            return False  # "a breast lump, nipple bleeding": the lump is read already
        if max(said) < owner.first:  # its items, then the other's, then the place
            start, end = max(said), owner.first
        elif min(said) > owner.last:  # the other's, the place, then its items
            start, end = owner.last, min(said)
        else:
            return False
        if not self._joined_before(end) or self._placed(max(said)):
            return False  # "swollen fingers and a lump in my breast": its own place
        openers, tokens = self.common.openers | self.common.references, self.tokens
        place_words = self.lexicon.place_words
        for j in range(start + 1, end):
            if tokens[j].norm in openers:
                return False  # "a lump in my breast and it is getting bigger": the lump's
            if not self._is_content(j) or tokens[j].norm in place_words:
                continue  # "a red rash and a small hard lump on the scar": how it is described
            if self._placed(j - 1) or not self._list_item_ends(j):
                return False  # only the list's other short items between
        return True

    def _list_item_ends(self, j: int) -> bool:
        """Whether token j ends a list's item: a comma, "and" or "or" right after it."""
        after = j + 1
        return after < len(self.tokens) and (
            self.tokens[after].norm in _LIST_JOINS or self._comma_between(j, after)
        )

    def _placed(self, t: int) -> bool:
        """Whether the next content word after token t, in its clause, is a body place
        ("red eyes", "redness on my leg")."""
        tokens, places, lexicon = self.tokens, _places(self.lexicon), self.lexicon
        for j in range(t + 1, len(tokens)):
            if self._comma_between(j - 1, j) or tokens[j].norm in _LIST_JOINS:
                return False
            if self._is_content(j):
                return tokens[j].norm in places or tokens[j].norm in lexicon.other_places
        return False

    def _spans(self, phrases: list[tuple[str, ...]]) -> list[tuple[int, int]]:
        """Every contiguous occurrence of the phrases, longest phrase first, then by place
        (remembered for the sentence's current tokens: a reading asks for them often)."""
        if self._spans_of is not self.tokens:
            self._refresh()
        found = self._found.get(id(phrases))
        if found is not None:
            return found
        if id(phrases) in self.common.ids:
            return []  # one of the common lists, not in the sentence
        norms = self._norms
        starts = self.lexicon.starting(phrases)
        found = []
        for i, norm in enumerate(norms):
            entries = starts.get(norm)
            if entries is None:
                continue
            for order, phrase in entries:
                n = len(phrase)
                if n == 1 or tuple(norms[i : i + n]) == phrase:
                    found.append((order, i, i + n))
        if len(found) > 1:
            found.sort()
        spans = [(s, e) for _, s, e in found]
        self._found[id(phrases)] = spans  # the lexicon's lists: alive, their ids their own
        return spans

    def _refresh(self, words: list[str] | None = None) -> None:
        """The words of the current tokens (`words`, if known), what is known of each (one
        lookup a word: see `_Word`), and the spans of every one of the lexicon's common lists
        among them, by list id, in one pass (a walk of the lists' trie from each word)."""
        self._spans_of = tokens = self.tokens
        self._norms = norms = list(map(_NORM, tokens)) if words is None else words
        memo = self.common.words
        self._words = infos = []
        found: dict[int, list] = {}  # only the lists found (see `_spans`)
        count = len(norms)
        for i, norm in enumerate(norms):
            info = memo.get(norm)
            if info is None:
                info = _Word(norm, self.lexicon, self.common)
                if len(memo) > 65536:  # bounded: stories bring new words
                    memo.clear()
                memo[norm] = info
            infos.append(info)
            node = info.node  # a phrase may start at each word
            end = i
            while node is not None:
                end += 1
                ending, following = node
                for key, order in ending:
                    spans = found.get(key)
                    if spans is None:
                        found[key] = [(order, i, end)]
                    else:
                        spans.append((order, i, end))
                if end == count or not following:
                    break
                node = following.get(norms[end])
        for key, spans in found.items():
            if len(spans) == 1:  # most lists found: once
                found[key] = [spans[0][1:]]
                continue
            spans.sort()
            found[key] = [(s, e) for _, s, e in spans]
        self._found = found

    def _find(self, phrases: list[tuple[str, ...]], consumed: set[int]) -> set[int]:
        """Token indices of every occurrence of the phrases (contiguous), not yet consumed."""
        spans = self._spans(phrases)
        if not spans:
            return set(consumed)
        found: set[int] = set()
        for start, end in spans:
            span = set(range(start, end))
            if not span & (consumed | found):
                found |= span
        return consumed | found

    def _occurrences(self, phrases, consumed: set[int]) -> list[tuple[int, int]]:
        found = self._spans(phrases)
        if not found:
            return []
        spans: list[tuple[int, int]] = []
        for start, end in found:
            if consumed and not consumed.isdisjoint(range(start, end)):
                continue
            if spans and any(s <= start < e for s, e in spans):
                continue
            spans.append((start, end))
        if len(spans) > 1:
            spans.sort()
        return spans

    def _region(self, matches: list[_Match], k: int) -> range:
        """The tokens that may qualify, deny or date match k: from the end of the one before to
        the start of the one after."""
        start = matches[k - 1].last + 1 if k else 0
        end = matches[k + 1].first if k + 1 < len(matches) else len(self.tokens)
        return range(start, end)

    def _qualify(self, matches: list[_Match]) -> set[int]:
        """Marks the article's qualifiers each match said; the qualifiers' tokens."""
        consumed: set[int] = set()
        if not matches:
            return consumed
        if self._spans_of is not self.tokens:
            self._refresh()
        found, common, qualifiers = self._found, self.common.ids, self.lexicon.qualifiers
        measured = _measured(self.lexicon)
        used: set[int] | None = None  # every match's words, gathered once a qualifier is said
        for k, match in enumerate(matches):
            for finding in match.phrase.findings:
                for name, phrases in qualifiers.get(finding, {}).items():
                    if id(phrases) not in found and (
                        id(phrases) in common or not self._spans(phrases)
                    ):
                        continue  # none of its words in the sentence
                    if used is None:
                        used = set()
                        for m in matches:
                            used.update(m.used)
                    region = set(  # see `_region`
                        range(
                            matches[k - 1].last + 1 if k else 0,
                            matches[k + 1].first if k + 1 < len(matches) else len(self.tokens),
                        )
                    ).union(match.used)
                    spans = self._occurrences(phrases, (consumed | used).difference(match.used))
                    if not any(region.issuperset(range(s, e)) for s, e in spans):
                        shared = self._shared_place(matches, k)  # not said: of the next?
                        if shared:
                            region |= shared
                            spans = self._occurrences(
                                phrases, (consumed | used).difference(match.used, shared)
                            )
                    said = False
                    for s, e in spans:
                        if not region.issuperset(range(s, e)):
                            continue
                        denial = self._denial_before(s, match)
                        if denial is not None and finding in measured:
                            # "liver enzymes not elevated": a measure's state is the finding
                            match.negated = True
                            match.tokens.add(denial)
                        # not "it is not getting worse", nor "worse when I cough"
                        said = said or not (denial is not None or self._circumstantial(s, e))
                        match.tokens.update(range(s, e))
                        consumed.update(set(range(s, e)).difference(match.used))
                    if said:
                        match.said |= {name}
        return consumed

    def _shared_place(self, matches: list[_Match], k: int) -> set[int]:
        """The body place of the match after match k when match k is a bare list item just
        before it: its place is said of both ("a lump and dimpling in my breast")."""
        if k + 1 >= len(matches):
            return set()
        after = matches[k + 1]
        match = matches[k]
        if not self._joined_before(after.first) or any(
            self._is_content(j) or self.tokens[j].norm in self.common.openers
            for j in range(match.last + 1, after.first)
        ):
            return set()  # "no lumps, my breast is red": a statement of its own
        places = _places(self.lexicon)
        return {i for i in after.used if self.tokens[i].norm in places}

    def _circumstantial(self, s: int, e: int) -> bool:
        """Whether the qualifier's words s..e are a comparative that says when the complaint
        is worse ("worse when I cough", "worse at night"), not that it is getting worse."""
        tokens, lexicon = self.tokens, self.lexicon
        return (
            e - s == 1
            and tokens[s].norm in lexicon.comparatives
            and e < len(tokens)
            and tokens[e].norm in lexicon.circumstance_after
        )

    def _denial_before(self, i: int, match: _Match) -> int | None:
        """The "not" right before token i, only function words between, and after the match's
        own words ("pain that is not severe"; not "no severe pain"), if there is one."""
        return self._not_before(i, max(match.used))

    def _not_before(self, i: int, floor: int) -> int | None:
        """The "not" right before token i, only function words between, after token `floor`,
        if there is one."""
        j, tokens, function = i - 1, self.tokens, self.lexicon.function
        while j > floor and tokens[j].norm in function and tokens[j].norm != NOT:
            j -= 1
        return j if j > floor and tokens[j].norm == NOT else None

    def _caused(self, matches: list[_Match], owned: set[int], explained: bool = False) -> None:
        """A finding a person can bring about (weight lost) said in one sentence with words
        that say it was meant ("on purpose", "because I've been dieting") is no symptom; nor,
        with `explained`, one that an everyday cause said with it explains ("my breasts swell
        before my period", "a cough with my cold"; each cause its own findings). Not when
        those words are denied ("without dieting", "not with a cold"), nor across a turn of the
        sentence ("I was dieting last year, but now I'm losing weight") or a relative's words
        ("a lump in my breast while my sister is pregnant")."""
        lexicon = self.lexicon
        findings = lexicon.explained_findings if explained else lexicon.intended_findings
        changing = [m for m in matches if findings.intersection(m.phrase.findings)]
        if not changing:
            return  # most sentences: no weight said to be lost
        # their words may be the finding's own: "trying to lose weight"
        changes = {i for m in changing for i in m.used}
        walls: list[int] | None = None  # what a cause is not said across
        supposed: list[int] | None = None  # where words that only suppose a cause are
        causes = lexicon.explained if explained else lexicon.intended
        for s, e in self._occurrences(causes, owned - changes):
            if self._intent_denied(s, changes):
                continue  # "without dieting", "not been dieting"
            if explained and self._said_right_after(s, _LIKE):
                continue  # "it felt like motion sickness", "like being hungover": a likeness
            if explained and supposed is None:
                supposed = [t for t, _ in self._occurrences(lexicon.supposed, set())]
            if explained and any(t < s for t in supposed):
                continue  # "I thought I'd pulled a muscle": a cause supposed, not known
            if walls is None:  # turns ("while" is a time before a cause: "red while I'm
                # breastfeeding"), and for a cause, a relative named
                walls = [
                    t
                    for t, _ in self._occurrences(lexicon.contrasts, set())
                    if not (explained and self.tokens[t].norm == "while")
                ]
                if explained:
                    walls += [r for r, _ in self._occurrences(lexicon.relatives, set())]
            said = (
                lexicon.explains.get(tuple(t.norm for t in self.tokens[s:e]), frozenset())
                if explained
                else findings
            )
            for match in changing:
                low, high = sorted((s, match.first))
                if said.isdisjoint(match.phrase.findings) or any(low < w < high for w in walls):
                    continue  # "with a cold" explains a cough, not a lump
                if explained:
                    match.explained = True
                else:
                    match.intended = True
                match.tokens |= set(range(s, e))

    def _said_right_after(self, s: int, words: frozenset[str]) -> bool:
        """Whether the words at token s are said right after one of `words`, past function
        words only, in their clause: what something is likened to ("like when you've had too
        much to drink"), an animal touched ("while petting the cat")."""
        tokens, function = self.tokens, self.lexicon.function
        for t in range(s - 1, -1, -1):
            word = tokens[t].norm
            if word in words:
                return True
            if word not in function or self._comma_between(t, t + 1):
                return False
        return False

    def _intent_denied(self, s: int, changes: set[int]) -> bool:
        """Whether the words at token s that say a change was meant, or a cause, are denied: a
        denial before them in their clause that is no word of the change itself ("without
        dieting", "not been dieting", "without a significant change in my diet", "I haven't
        changed my diet"), or a cause said to be unrelated ("unrelated to breastfeeding")."""
        tokens, clause = self.tokens, self._clause_of()[s]
        denials = {d for d, _ in self._occurrences(self.lexicon.negation_before, set())}
        if any(  # ... or right before them, a clause of its own ("not with a cold"), or
            # said to be no cause ("bloody or clear discharge (unrelated to breastfeeding)")
            (j in denials or tokens[j].norm == NOT or tokens[j].norm in _UNRELATED)
            and j not in changes
            for j in range(max(min(clause.start, s - 1), 0), s)
        ):
            return True
        # ... or a list's item a denial before it reaches, in its statement, up to a turn ("not
        # caused by any stress or accident")
        stops = {t for t, _ in self._occurrences(self.lexicon.contrasts, set())}
        statement = self._statement(s)
        return any(
            (d in denials or tokens[d].norm == NOT)
            and d not in changes
            and not any(d < j < s for j in changes)
            and not any(d < t < s for t in stops)
            for d in range(statement.start, s)
        )

    def _says_no_more(self, e: int) -> bool:
        """Whether no word but function words follows token e in its clause ("but I didn't",
        not "but I didn't take anything")."""
        for t in range(e, len(self.tokens)):
            if self._comma_between(t - 1, t):
                return True
            if self._is_content(t):
                return False
        return True

    def _not_without(self, s: int) -> bool:
        """Whether the trigger at token s is "without" after a "not" in its clause: a double
        negative affirms ("I couldn't do much of anything without being out of breath", "she
        can't eat without being sick"; litotes, as the pseudo-triggers "not walk without")."""
        tokens = self.tokens
        if tokens[s].norm != "without":
            return False
        clause = self._clause_of()[s]
        return any(tokens[t].norm == NOT for t in range(clause.start, s))

    def _deny_and_date(self, matches: list[_Match], consumed: set[int]) -> None:
        if not matches:
            return
        lexicon = self.lexicon
        owned = consumed | {i for m in matches for i in m.used}
        before = self._occurrences(lexicon.negation_before, owned)
        litotes = [s for s, _ in before if self._not_without(s)] if before else []
        if litotes:  # "couldn't do anything without being out of breath": neither denies
            before = [(s, e) for s, e in before if s not in litotes]
        after = self._occurrences(lexicon.negation_after, owned)
        ends = [s for s, _ in self._occurrences(lexicon.terminators, owned)]
        prefixes = self._occurrences(lexicon.negation_prefix, owned)
        suffixes = self._occurrences(lexicon.negation_suffix, owned)
        listed = self._occurrences(lexicon.negation_after_list, owned)
        turns = [t for t, _ in self._occurrences(lexicon.contrasts, set())] if listed else []
        if turns:  # "... headaches or blackouts, but I didn't": said with nothing after it
            listed = [(s, e) for s, e in listed if s not in turns or self._says_no_more(e)]
        starts = {i for m in matches for i in m.used}
        after = [  # "no palpable axillary lumps": said before a finding, it denies that one
            (s, e) for s, e in after if self._next_word(e) not in starts
        ]
        after += [  # "weight loss: none", "cough? no": a denial that ends the sentence
            (k, k + 1)
            for k, token in enumerate(self.tokens)
            if token.norm == NOT
            and k not in owned
            and self._next_word(k + 1) is None
            and k
            and any(c in ":-=,(\u2013" for c in self.text[self.tokens[k - 1].end : token.start])
        ]
        if before:
            ends += self._own_statements(owned)
        reach = self._reach(before, matches)
        clause_of = self._clause_of() if after else None
        for match in matches:
            for s, e in before:
                if (
                    e <= match.first < reach[s]
                    and not any(e <= t < match.first for t in ends)
                    and not any(e <= w < match.first for w in litotes)
                ):
                    match.negated = True
                    match.tokens |= set(range(s, e))
                elif match.first < s < match.last and any(
                    self.tokens[i].norm in lexicon.complaint_words and i in self._statement(s)
                    for i in match.used
                    if i >= e
                ):
                    # "breasts: no lumps", "breast exam: no masses": the complaint is denied;
                    # not a place said after a denial ("my back aches and I can't feel my legs"),
                    # nor a complaint of a statement of its own ("the white of my eyes is not
                    # white, it looks yellowish")
                    match.negated = True
                    match.tokens |= set(range(s, e))
            for s, e in after:
                if (
                    s > match.last
                    and not any(match.last < t < s for t in ends)
                    and (clause_of is None or clause_of[s] is clause_of[match.last])
                ):  # in its clause: not "my back aches and I can't feel my legs"
                    match.negated = True
                    match.tokens |= set(range(s, e))
            k = self._denied_last(match, owned)
            if k is not None:
                match.negated = True
                match.tokens |= set(range(k, match.last + 1))
            for s, e in prefixes:
                if e in match.used:
                    match.negated = True
                    match.tokens |= set(range(s, e))
            for s, e in listed:  # "headaches and seizures, neither of which I had"
                if match.last < s and not any(match.last < t < s for t in turns):
                    match.negated = True
                    match.tokens |= set(range(s, e))
            for s, e in suffixes:  # written on the word: "seizure-free", not "lump, free"
                if s - 1 == match.last and self._between(s - 1, s) in ("", "-", " "):
                    match.negated = True
                    match.tokens |= set(range(s, e))
        self._deny_shared_predicate(matches)
        for s, e in self._occurrences(lexicon.hypothetical, owned):
            stop = self._clause_end(e)
            for match in matches:
                if e <= match.first < stop:
                    match.hypothetical = True
                    match.tokens |= set(range(s, e))
        if lexicon.intended_findings:
            self._caused(matches, owned)
        if lexicon.explained_findings:
            self._caused(matches, owned, explained=True)
        experiencers = self._experiencers(owned)
        told: list[int] = []  # where the teller speaks of herself ("I", "my")
        if experiencers and lexicon.narrator:
            told = [s for s, _ in self._occurrences(lexicon.narrator, owned)]
        for s, e in experiencers:
            stop = self._statement(s).stop
            for match in matches:
                if e <= match.first < stop:
                    if any(e <= t < match.first for t in told):
                        continue  # "my husband noticed I was confused": he saw it, she has it
                    match.other = True
                    match.tokens |= set(range(s, e))
        for s, e in self._occurrences(lexicon.never_the_patient, owned):
            # touched ("brushing my dog"): a complaint of no place found then is its own
            touched = self._said_right_after(s, lexicon.one_word(lexicon.touching))
            for match in matches:  # "I felt a lump on my dog's body": the dog's
                if (match.last < s and self._said_on(match.last, s)) or (
                    touched and self._generic(match.phrase)  # "... while petting my dog"
                ):
                    match.other = True
                    match.tokens |= set(range(s, e))
        clause_of = self._clause_of()
        over_all = self._occurrences(lexicon.time_over, owned)
        removed_all = self._occurrences(lexicon.time_removed, owned)
        if over_all and before:  # "didn't really want to go away": it has not gone, it goes on
            over_all = [o for o in over_all if not self._denied_ending(o[0], before, clause_of)]
        over_before = self._occurrences(lexicon.time_over_before, owned)
        past_all = self._occurrences(lexicon.time_before, owned)
        words = {i for m in matches for i in m.used}  # a qualifier may say it goes on
        still_all = self._occurrences(lexicon.time_still, words) if past_all else []
        for k, match in enumerate(matches):
            if not (over_all or past_all or over_before or removed_all):
                break
            own = {
                i
                for c in {clause_of[u].start: clause_of[u] for u in match.used}.values()
                for i in c
            }
            region = set(self._region(matches, k)) & own
            over = [s for s in over_all if s[0] in region]
            over += [s for s in over_before if s[0] in region and s[1] <= match.first]
            if not lexicon.removable.isdisjoint(match.phrase.findings):  # a thing taken out
                # not what was taken from where it is ("a lump on her chest wall, where her
                # breast had been removed": the breast was)
                over += [
                    s
                    for s in removed_all
                    if s[0] in region
                    and not any(
                        self.tokens[j].norm == "where" for j in range(match.first + 1, s[0])
                    )
                ]
            past = [s for s in past_all if s[0] in region]
            still = [s for s in still_all if s[0] in region]
            if over and self._back_again(over, set(self._region(matches, k))):
                continue  # "it got better and then came back": current again
            if over or (past and not still):
                match.past = True
                for s, e in over + past:
                    match.tokens |= set(range(s, e))

    def _deny_shared_predicate(self, matches: list[_Match]) -> None:
        """A match said as the first of two places whose predicate is denied after the second
        ("the lymph nodes in the axilla and neck were not enlarged"): denied too."""
        tokens, places = self.tokens, _places(self.lexicon)
        separators, function = self.common.separators, self.lexicon.function
        for first, second in itertools.pairwise(matches):
            if first.negated or not second.negated or tokens[second.first].norm not in places:
                continue
            between = range(first.last + 1, second.first)
            openers = self.common.openers
            if not any(tokens[j].norm in separators for j in between) or not all(
                (tokens[j].norm in separators or tokens[j].norm in function)
                and tokens[j].norm not in openers
                for j in between
            ):
                continue  # not "a lump in my armpit and my neck is not swollen"
            denial = next(
                (j for j in range(second.first + 1, second.last) if tokens[j].norm == NOT), None
            )
            if denial is not None:
                first.negated = True
                first.tokens.add(denial)

    def _denied_last(self, match: _Match, owned: set[int]) -> int | None:
        """The "not" inside a match that, with its last word, is one of NegEx's post-triggers,
        only function words between ("lymph nodes not palpable", "lymph nodes should not be
        palpable": its last word is the finding's too), if there is one."""
        k = self._not_before(match.last, match.first)
        if (
            k is None
            or k in owned
            or (NOT, self._norms[match.last]) not in self.lexicon.negation_after
        ):
            return None
        return k

    def _said_on(self, last: int, s: int) -> bool:
        """Whether the words from token `last` (a complaint's last) to token s (an animal or a
        small child) say where the complaint is: a word that says where, then only articles and
        possessives ("a lump on my dog", "swelling under the baby's arm" is the arm's)."""
        tokens, lexicon = self.tokens, self.lexicon
        between = [tokens[j].norm for j in range(last + 1, s)]
        return (
            0 < len(between) <= 3
            and between[0] in _SAID_ON
            and all(word in lexicon.function for word in between[1:])
        )

    def _back_again(self, over: list[tuple[int, int]], region: set[int]) -> bool:
        """Whether, after the words that end a complaint, words in its region say it came back
        ("it got better and then came back")."""
        ended = max(e for _, e in over)
        return any(
            s >= ended and s in region for s, _ in self._occurrences(self.lexicon.time_again, set())
        )

    def _statement(self, i: int) -> range:
        """The statement token i is in: its clauses from one that opens with a subject or a
        verb of its own to the next such ("no lumps | but I have a cough")."""
        starts = self._own_statements(set())
        return range(
            max([s for s in starts if s <= i], default=0),
            min([s for s in starts if s > i], default=len(self.tokens)),
        )

    def _experiencers(self, owned: set[int]) -> list[tuple[int, int]]:
        """Where someone else's complaints are told (ConText's experiencer): a family history
        ("family history of"), an animal or a small child who is the subject of a clause ("my
        dog has a cough"), and, when the text tells the teller's own complaints too (see
        `Reader._read`), a relative who is ("my sister found a lump", not "I went with my
        husband")."""
        lexicon = self.lexicon
        found = self._occurrences(lexicon.family_history, owned)
        articles = lexicon.one_word(lexicon.subjects)  # "my sister", "my dog", "the dog"
        subjects = [  # ... after nothing but function words ("why is my dog coughing?")
            (span, articles | self.common.definites | lexicon.function)
            for span in self._occurrences(lexicon.never_the_patient, owned)
        ]
        if self.common.relatives:
            subjects += [(span, articles) for span in self._occurrences(lexicon.relatives, owned)]
        if subjects:
            clause_of = self._clause_of()
            for (s, e), before in sorted(subjects):
                opening = self._opening(clause_of[s])  # not None: the subject is no separator
                start = self._described_from(s, opening, articles)  # "my old dog"
                if all(self.tokens[i].norm in before for i in range(opening, start)):
                    found.append((s, e))
        return found

    def _described_from(self, s: int, opening: int, articles: frozenset[str]) -> int:
        """Where the words that describe the subject at token s start: the few words after
        its article that name no finding ("my old dog", "one of my oldest cats", "my
        8-month-old baby"), the article included; s itself if there are none."""
        lexicon, words, k = self.lexicon, self._norms, s
        while k > opening and s - k < 4:
            word = words[k - 1]
            if word in articles:
                return k - 1 if k < s else s
            if word == NOT or word in lexicon.finding_words:
                return s
            k -= 1
        return s

    def _clause_end(self, i: int) -> int:
        """Where the clause of token i ends for a trigger with its own scope (a possibility):
        at the next comma or turn of the sentence ("If you get a headache, call us"; "I don't
        know if it's related but ..."). Not at "and" or "or", which join a list within it
        ("watch out for headaches or vomiting"), nor at NegEx's terminators ("if she has a
        headache")."""
        ends = {s for s, _ in self._occurrences(self.lexicon.contrasts, set())}
        text, tokens = self.text, self.tokens
        for k in range(i, len(tokens)):
            if k in ends or (k > i and "," in text[tokens[k - 1].end : tokens[k].start]):
                return k
        return len(tokens)

    def _opening(self, clause: range) -> int | None:
        """The clause's first word, past the word that joins it ("but it went away": "it")."""
        separators = self.common.separators
        for i in clause:
            if self.tokens[i].norm not in separators:
                return i
        return None

    def _own_statements(self, owned: set[int], spans: list[tuple[int, int]] | None = None):
        """The starts of the clauses that open with a subject or a verb of their own: "no
        pain, my back aches", "no allergies, takes tamoxifen, tender over the spine". A denial
        before them does not reach in. With `spans` (of readings: first and last word), only
        those that hold a reading or a verb of their own: no phrase joins their words with
        words before ("no pain, my back aches" is not "back pain"; "a lump in my breast and it
        is not in my armpit" is no lump in the armpit), while a list of places stays one ("pain
        in my back, my hips and my ribs")."""
        verbs, subjects = self.common.verbs, self.common.openers
        starts = []
        for clause in self._clauses()[1:]:
            first = self._opening(clause)
            if first is None or first in owned or self.tokens[first].norm not in subjects:
                continue
            if self.tokens[clause.start].norm == "or" and self.tokens[first].norm in verbs:
                continue  # an alternative, denied with the rest: "no fever or feeling unwell"
            if (
                spans is None
                or any(a in clause for a, _ in spans)
                or any(self.tokens[i].norm in verbs or self.tokens[i].norm == NOT for i in clause)
            ):
                starts.append(clause.start)
        return starts

    def _within_statements(self, candidates: dict) -> dict:
        """The candidate phrases that do not join words of a clause that is a statement of its
        own with words before it ("no pain, my back aches" is not "back pain", denied), but
        those told across statements (`Composition.across`)."""
        starts = self._own_statements(set(), [(c[2][0], c[2][-1]) for c in candidates.values()])
        if not starts:
            return candidates
        across = self.lexicon.across
        return {
            key: c
            for key, c in candidates.items()
            if key[0] in across or not any(c[2][0] < s <= c[2][-1] for s in starts)
        }

    # -- misspelt words ---------------------------------------------------------------------

    def _unknown_words(self, matches: list[_Match]) -> list[int]:
        """The words not known, not read, not written out: mistyped, maybe."""
        if self._spans_of is not self.tokens:
            self._refresh()
        infos, unknown = self._words, []  # what is known of each word (`_refresh`)
        used: set[int] | None = None  # the words read
        for i, t in enumerate(self.tokens):
            if not infos[i].known and _maybe_mistyped(t.surface):
                if used is None:
                    used = set()
                    for match in matches:
                        used.update(match.tokens)
                if i not in used and i not in self.via:
                    unknown.append(i)
        return unknown

    def _corrections(self, unknown: list[int]) -> dict[int, Token]:
        """The mistyped words that one known word is one letter from, each with that word; or,
        of several such words, the one alone that makes a reading with the words around it
        ("bone pian": "pain", not "pin"). Never one of several that would each read."""
        corrected: dict[int, Token] = {}
        for i in unknown:
            token = self.tokens[i]
            if is_english(token.surface):
                continue  # a word in its own right is never corrected
            if self._a_name(i):
                continue  # "Mother-of-three Joy Knott": a name, not a knot
            best = closest_words(self.lexicon, token.surface)
            meant: dict[str, str] = {}  # each word meant -> its first spelling
            for word in best:
                meant.setdefault(self.lexicon.normaliser.norm(word), word)
            if len(meant) == 1:  # one word, or its forms ("tierd": "tired", of "tire")
                corrected[i] = Token(token.start, token.end, best[0], next(iter(meant)))
            elif meant:
                reading = [
                    fixed
                    for norm, word in meant.items()
                    if self._reads_with(i, fixed := Token(token.start, token.end, word, norm))
                ]
                if len(reading) == 1:
                    corrected[i] = reading[0]
        return corrected

    def _a_name(self, i: int) -> bool:
        """Whether token i is typed as a name is: a capital, then small letters, after
        another word typed so that is not the sentence's first ("Joy Knott"), or before one,
        not first itself ("an impression of Mick Jagger": no "sick"), in a sentence whose words
        are not all typed so ("Bone Pian", a title)."""
        tokens, text = self.tokens, self.text

        def capitalised(t: Token) -> bool:
            return _capitalised(text, t)

        if i and capitalised(tokens[i]) and _a_title(text, tokens, i - 1, self.lexicon.titles):
            return True  # "Dr Jones"
        if not i or not capitalised(tokens[i]):
            return False
        surname = i >= 2 and capitalised(tokens[i - 1])
        forename = i + 1 < len(tokens) and capitalised(tokens[i + 1])
        if not (surname or forename):
            return False
        return sum(map(capitalised, tokens)) * 2 <= len(tokens)

    def _reads_with(self, i: int, token: Token) -> bool:
        """Whether the sentence, with token i in place of the one typed, reads that token."""
        saved = self.tokens
        self.tokens = [*saved[:i], token, *saved[i + 1 :]]
        try:
            return any(i in m.used for m in self._matches())
        finally:
            self.tokens = saved

    # -- what the student sees --------------------------------------------------------------

    def _clauses(self) -> list[range]:
        """The sentence cut at its separators ("and", "but", commas)."""
        if self._cut is None or self._cut[0] is not self.tokens:
            self._cut_clauses()
        return self._cut[1]  # type: ignore[index]

    def _clause_of(self) -> list[range]:
        """Each token's clause."""
        if self._cut is None or self._cut[0] is not self.tokens:
            self._cut_clauses()
        return self._cut[2]  # type: ignore[index]

    def _cut_clauses(self) -> None:
        """Cuts the sentence into its clauses (`_clauses`), and notes each token's."""
        lexicon, tokens = self.lexicon, self.tokens
        if self._spans_of is not tokens:
            self._refresh()
        cuts: set[int] = set()
        if id(lexicon.separators) in self._found or id(lexicon.separators) not in self.common.ids:
            for s, _ in self._occurrences(lexicon.separators, set()):
                if not self._a_noun(s):  # "a cough for a while"
                    cuts.add(s)
        text = self.text
        if len(tokens) > 1:  # a comma between two words (past those standing for "it")
            marks = _PAUSES if ("-" in text or not text.isascii()) else _COMMA
            for mark in marks:
                comma = text.find(mark, tokens[0].end, tokens[-1].start)
                while comma >= 0:
                    after = bisect_right(tokens, comma, key=_START)  # the word after it
                    if after > self.joined:
                        cuts.add(after)
                    comma = text.find(mark, comma + 1, tokens[-1].start)
        if not cuts and tokens:  # most sentences: one clause
            uncut = _UNCUT_SENTENCES.get(len(tokens))
            if uncut is None:
                whole = range(0, len(tokens))
                uncut = ([whole], [whole] * len(tokens))
                if len(tokens) <= 64:  # bounded: a sentence of many words is made anew
                    _UNCUT_SENTENCES[len(tokens)] = uncut
            self._cut = (tokens, *uncut)
            return
        bounds = sorted(cuts | {0, len(tokens)})  # each once: no clause is empty
        clauses = list(map(range, bounds, bounds[1:]))
        clause_of: list[range] = []
        for clause in clauses:  # they cut the sentence
            clause_of += [clause] * len(clause)
        self._cut = (tokens, clauses, clause_of)

    def _span_text(self, first: int, last: int, clause_of: list[range]) -> tuple[str, int]:
        """The text of the clauses of tokens `first` to `last` (`clause_of`: each token's
        clause), and where it starts."""
        first, last = clause_of[first].start, clause_of[last].stop - 1
        separators = self.common.separators
        while first < last and self.tokens[first].norm in separators:
            first += 1  # "and gets breathless": the clause, not the word joining it
        start, end = self.tokens[first].start, self.tokens[last].end
        return self.text[start:end], start  # a token neither starts nor ends with a space or
        # punctuation (see `Normaliser.tokens`): nothing to strip

    def _readings(self, matches: list[_Match]) -> list[Reading]:
        tokens = self.tokens
        if self._spans_of is not tokens:
            self._refresh()
        if self._cut is None or self._cut[0] is not tokens:
            self._cut_clauses()  # see `_clauses`
        clauses, clause_of = self._cut[1], self._cut[2]  # type: ignore[index]
        readings: list[Reading] = list(self.asked)
        covered: set[int] = set(self.asked_tokens)
        taken: set[int] = set()  # the words of the readings of a finding's own place
        generic: set[int] = set()  # the ids of the others (see `_generic`)
        generic_words = self.common.generic
        for match in matches:
            if match.phrase.how == EXACT and generic_words.issuperset(match.phrase.key):
                generic.add(id(match))
            else:
                taken.update(match.used)
        for match in matches:
            phrase = match.phrase
            clause = clause_of[min(match.used)]  # its first word's
            if id(match) in generic and self._elsewhere(phrase, clause, match, taken):
                continue  # "swollen fingers", "swollen eyes": not the finding's own place
            first, last = min(match.tokens), max(match.tokens)
            text, start = self._span_text(first, last, clause_of)
            # its tokens and their clauses; not a clause between them that holds none of them:
            # "denies bone pain, fevers or weight loss" leaves "fevers" to be shown not read
            for i in match.tokens:
                covered.update(clause_of[i])
            via = (
                tuple(dict.fromkeys(self.via[i] for i in sorted(match.used) if i in self.via))
                if self.via
                else ()
            )
            if len(phrase.findings) > 1:
                readings.append(
                    Reading(text, None, how="asked", choices=phrase.findings, start=start)
                )
                continue
            finding = phrase.findings[0]
            if match.other:  # "my sister found a lump": hers, had or denied
                readings.append(
                    Reading(text, None, how="other", past_finding=finding, via=via, start=start)
                )
                continue
            if match.hypothetical and not match.negated:  # "if you get a headache"
                readings.append(
                    Reading(
                        text, None, how="hypothetical", past_finding=finding, via=via, start=start
                    )
                )
                continue
            if match.intended and not match.negated:  # "I've lost weight on purpose"
                readings.append(
                    Reading(text, None, how="intended", past_finding=finding, via=via, start=start)
                )
                continue
            if match.explained and not match.negated:  # "swollen breasts before my period"
                readings.append(
                    Reading(text, None, how="explained", past_finding=finding, via=via, start=start)
                )
                continue
            if match.past:  # "no previous lumps" denies the past, not now
                readings.append(
                    Reading(text, None, how="past", past_finding=finding, via=via, start=start)
                )
                continue
            how = self._how(match)
            not_said = ()
            if not match.negated:
                not_said = self.common.qualifier_names.get(finding, ())
                if match.said:  # mostly none
                    said = match.said
                    not_said = tuple([q for q in not_said if q not in said])
            readings.append(
                _reading(text, finding, not match.negated, how, not_said, via, start=start)
            )
        infos = self._words  # what is known of each word (`_refresh`)
        unnamed: set[int] | frozenset[int] = _NONE  # words of what is no finding ("pain killers")
        for clause in clauses:
            if not covered.isdisjoint(clause):
                continue
            if unnamed is _NONE and self.says(self.lexicon.not_findings):
                unnamed = self._find(self.lexicon.not_findings, set())
            words = []  # its content words, each with whether it is of what is no finding
            for i in clause:
                info = infos[i]
                if not info.function and info.norm != NOT:
                    words.append((info, i in unnamed))
            if not words:
                continue
            text, start = self._span_text(clause.start, clause.stop - 1, clause_of)
            named: set[str] = set()  # the findings of its complaint words
            bare = True  # every word of it a complaint word
            for info, no_finding in words:
                if info.complaint is None:
                    bare = False
                elif info.suggests and not no_finding:
                    named.update(info.suggests)
            choices = tuple(sorted(named))
            if choices:
                choices = self._without_unnamed_measures(choices)
            # "swollen and painful big toe": a bare complaint is said of the sentence's place
            for info in infos if bare else infos[clause.start : clause.stop]:
                if info.place:
                    choices = ()  # "pain in my knee", "swollen eyes": not a finding's place
                    break
            readings.append(_reading(text, None, how="not_read", choices=choices, start=start))
        return readings

    def _without_unnamed_measures(self, choices: tuple[str, ...]) -> tuple[str, ...]:
        """The choices less the findings of a measure the sentence does not name: a measure's
        complaint word alone ("down", "up", "falling") suggests nothing ("which I put down to
        stress" is no loss of weight, "had to sleep sitting up" no raised blood test)."""
        measured = _measured(self.lexicon)
        if measured.isdisjoint(choices):
            return choices
        norms = {t.norm for t in self.tokens}
        named = {
            f
            for words, findings in self.lexicon.measures.items()
            if norms.issuperset(words)
            for f in findings
        }
        return tuple([f for f in choices if f not in measured or f in named])

    def _alternatives(self, i: int, match: _Match) -> bool:
        """Whether token i and the match are said as alternatives: an "or" (or "nor")
        between them."""
        first, last = (i, match.first) if i < match.first else (match.last, i)
        return any(self.tokens[j].surface in _ALTERNATIVES for j in range(first + 1, last))

    def _elsewhere(self, phrase: Phrase, clause: range, match: _Match, taken: set[int]) -> bool:
        """Whether the clause names a body place that the phrase's finding does not own: one
        no finding owns (rules/reading.yaml: other_body_places, other_causes), or the place of
        another finding ("swollen eyes", "yellow phlegm", "a lump on my back"). A complaint
        alone in its clause ("swollen and painful big toe") is said of the sentence's place.
        `taken`: the words of the readings of a finding that is not a bare complaint."""
        owners, other_places = _places(self.lexicon), self.lexicon.other_places
        causes = self.lexicon.other_causes
        own, used = set(phrase.findings), match.used
        if self._spans_of is not self.tokens:
            self._refresh()
        words, function = self._norms, self.lexicon.function

        def foreign(i: int) -> bool:
            """Token i is a place of no finding's, or of none of this one's ("neck, no
            lymphadenopathy": the neck is the glands' too)."""
            return (
                words[i] in other_places
                and i not in taken
                and not own & owners.get(words[i], frozenset())
                and (i in said_in or not self._state_of(i, clause_of, taken))
                and not measuring(i)
            )

        def measuring(i: int) -> bool:
            """Token i, a cause's word, said of what it measures ("over a period of time":
            "period: a length of time", Cambridge Dictionary), no cause."""
            return words[i] in causes and i + 1 < len(words) and words[i + 1] == "of"

        clause_of, said_in = self._clause_of(), clause
        bare = all(i in match.tokens or words[i] in function for i in clause)
        if bare or not causes.isdisjoint(words):
            # what is said of the complaint: its statement, up to a clause with a subject of
            # its own ("no lumps, but I have a cough": the cough is no place of the lumps)
            statement = self._statement(match.first)
            if bare:  # "swollen, thickening skin near my lumpectomy scar"
                clause = statement
            if any(
                words[i] in causes
                and i not in taken
                and i not in match.used  # "blind spots": the finding's own word
                and not self._alternatives(i, match)
                and not measuring(i)
                for i in statement
            ):
                return True  # "a boil, an inflamed lump under the skin": its cause is named
                # (a finding's own word is none: "no lumps, but a rash on my breast"; nor an
                # alternative to it: "no rash, itching, or lymphadenopathy")
        placed = False  # a finding's place in its clause
        # the words of its own finding's qualifiers: "a fracture from coughing" is the
        # fracture's coughing, no place of the blood coughed up
        qualifying = _one_word_qualifiers(self.lexicon, phrase.findings)
        for i in clause:
            word = words[i]
            if i in used or word in qualifying:
                continue
            if foreign(i) and not (bare and self._alternatives(i, match)):
                return True
            if word in owners:
                placed = True
                if (
                    not own & owners[word]
                    and (bare or self._attached(i, used))
                    and (i in said_in or not self._state_of(i, clause_of, taken))
                ):
                    return True  # "swollen eyes", not "yellow skin from a liver problem"
        if not placed:  # said of no place in its clause: of the place said before it, if any
            for i in range(match.first):  # "my knee hurts and there is swelling"
                if foreign(i) and not self._alternatives(i, match):
                    return True  # not "no rash or lymphadenopathy": the rash is no place
            # ... or of the place of the list item it is joined to ("a painless lump or
            # swelling on my eyelid": the lump is the eyelid's too); after its own clause, not
            # after the statement a bare complaint was widened to ("a lump or swelling in the
            # groin")
            after = said_in.stop
            if after < len(words) and (
                self.tokens[after].norm in _LIST_JOINS or self._comma_between(after - 1, after)
            ):
                item = range(after, self._clause_end(after))
                first = next((i for i in item if self._is_content(i)), None)
                openers = self.common.openers
                if (
                    first is not None
                    and words[first] in self.lexicon.complaint_words  # another complaint ...
                    and not any(words[i] in openers for i in range(after, first))  # ... of its
                    and any(foreign(i) for i in item)  # statement, not "a lump and my knee hurts"
                ):
                    return True
        return False

    def _state_of(self, i: int, clause_of: list[range], taken: set[int]) -> bool:
        """Whether the clause of place i opens with it and says what state it is in, not a
        complaint or a finding of it: an examination's item ("no lymphadenopathy, trachea
        midline", "knees normal", "abdomen soft", "thyroid not enlarged"), no place of a
        complaint said beside it (not "face: icterus, parotid swelling").
        `taken`: the words of the readings of findings."""
        clause, words, lexicon = clause_of[i], self._norms, self.lexicon
        separators, verbs = self.common.separators, self.common.verbs
        if any(self._is_content(j) or words[j] in separators for j in range(clause.start, i)):
            return False  # "twisted my ankle", "my gout started in my big toe"; "and ..."
        places = _places(lexicon)
        stated = denied = False
        for j in range(i + 1, clause.stop):
            word = words[j]
            if j in taken or word in verbs:
                return False  # a finding of its own; "the nipple had started to invert"
            if word == NOT or (word,) in lexicon.negation_prefix:  # "thyroid non-enlarged"
                denied = True
            elif word in lexicon.complaint_words and not denied:
                return False  # "knee swollen": the complaint said of it
            elif self._is_content(j) and word not in places and word not in lexicon.other_places:
                stated = True
        return stated

    def _attached(self, i: int, used: tuple[int, ...]) -> bool:
        """Whether token i is said of the words `used`: only function words, place words and
        linking verbs between them ("swelling in my tummy", "my abdomen has become swollen")."""
        between = range(i + 1, min(used)) if i < min(used) else range(max(used) + 1, i)
        place_words = self.lexicon.place_words
        return all(
            not self._is_content(j)
            or self.tokens[j].norm in place_words
            or self.tokens[j].norm in _LINKING  # "my abdomen has become swollen"
            for j in between
        )

    def _generic(self, phrase: Phrase) -> bool:
        """A phrase that names no place ("swelling", "red skin"): said of a place no finding
        owns, it is not that finding."""
        return phrase.how == EXACT and self.common.generic.issuperset(phrase.key)

    def _how(self, match: _Match) -> str:
        if self.corrected and any(i in self.corrected for i in match.used):
            return "corrected"
        if match.phrase.how == COMPOSED:
            return "composed"
        tokens, typed = self.tokens, []
        for i in match.used:  # in order (see `_matches`)
            typed.append(tokens[i].surface)
        if tuple(typed) != match.phrase.surface or (
            self.via and any(i in self.via for i in match.used)
        ):
            return "variant"
        return EXACT


_UNCUT = ("", "")  # `_Word.cut` not yet worked out


class _Word:
    """What the reader looks up of a word, in the lexicon's tables: looked up once for each
    word and kept (`_Common.words`), so that reading a sentence looks up one table a word, not
    six; right after an evaluation each table's lookup is a cache miss."""

    __slots__ = (
        "by_other",
        "complaint",
        "cut",
        "feeling",
        "function",
        "known",
        "node",
        "norm",
        "place",
        "plain",
        "rare",
        "rewritten",
        "suggests",
    )

    def __init__(self, norm: str, lexicon: Lexicon, common: _Common) -> None:
        self.norm = norm
        self.function = norm in lexicon.function  # a function word
        self.known = norm in common.known  # never corrected (`Lexicon.known_words`)
        self.rewritten = norm in lexicon.rewrites  # a clinical word or an abbreviation opens
        # may it be two words typed as one ("backpain")? Only worked out when asked (`cut`):
        # telling whether it is an English word loads the lemmatiser's dictionary (~45 MB)
        self.cut = _UNCUT if len(norm) >= JOINED and not self.known else None
        self.plain = not self.rewritten and self.cut is None  # never written out (`_rewritable`)
        self.node = common.trie.get(norm)  # the phrases of the common lists it opens
        self.feeling = norm in lexicon.feelings  # a word of feeling ill ("awful")
        # the phrases it is the rarest word of, and their index (`_phrases_within`)
        self.rare = lexicon.by_rare_word.get(norm)
        self.complaint = lexicon.complaint_words.get(norm)  # the findings of a complaint word
        self.suggests = lexicon.lone_complaints.get(norm)  # ... of one that is a complaint alone
        # a place: a finding's ("knee": see `_places`) or one no finding owns ("eyes")
        self.place = norm in lexicon.other_places or norm in _places(lexicon)
        self.by_other = lexicon.rare_index().get(norm) if self.rare is not None else None


# What pauses a sentence as a comma does: the comma, and a dash typed as one, spaced or long
# ("I don't have any symptoms - my energy is increasing"; not the hyphen inside a word)
_DASHES = (" - ", "\u2013", "\u2014")
# ... and the semicolons left inside a sentence: those between a list's items (`_list_semicolons`)
_PAUSES = (",", ";", *_DASHES)
_COMMA = (",", ";")  # a text typed in ASCII with no hyphen: the comma (or semicolon) alone


_LIKE = frozenset({"like"})  # what likens ("feels like being hungover": see `_caused`)


_ALTERNATIVES = frozenset({"or", "nor"})
# the particle of a phrasal verb that is a content word too ("up": "LFTs up"), passed over to
# the verb's object when a word's other sense is looked for ("coughed up the money")
_PARTICLES = frozenset({"up"})
# a sum's currency sign, typed before its digits ("cough up $50"): money, as the word is
_CURRENCIES = frozenset("$£€")
_MONEY = "money"
# the English cardinal numerals said as words, a sum's ("cough up twenty dollars")
_NUMERALS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "  # noqa: SIM905
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
    "ninety hundred thousand million billion".split()
)


def _a_pause(between: str) -> bool:
    """Whether the text between two words holds a comma, a semicolon left inside a sentence or
    a dash typed as one (`_PAUSES`)."""
    return "," in between or ";" in between or _a_dash(between)


# A list's items are parted by semicolons when they are long or hold commas themselves ("Commas
# appear within one or more of the items listed, in which case the items should be separated by
# semicolons", Rensselaer Writing Center, "Embedded lists"; "to separate items in a long or
# complex series", EU Interinstitutional Style Guide, 10.1.5): "The patient has not experienced
# syncope; visual disturbance; difficulty in walking, using her hands and feet, or swallowing;
# slurred speech". In a run of text up to a full stop with two semicolons or more, they part
# the items of one sentence when each part after the first is an item: a few words that neither
# deny, nor say who, nor say what is ("No headache; vision is normal; no vomiting": statements).
_LIST_RUN = re.compile(r"(?<![^.!?\n])[^.!?\n]*;[^.!?\n]*;[^.!?\n]*")  # each run once
_NOT_AN_ITEM = frozenset(
    "no not never none nor neither denies denied deny without i she he we they it "  # noqa: SIM905
    "is was are were has have had feels felt".split()
)
_ITEM_WORDS = 12  # the words of one item at most


def _list_semicolons(run: re.Match) -> str:
    """The run of text, its semicolons made commas if they part a list's items."""
    parts = run[0].split(";")
    for part in parts[1:]:
        words = re.findall(r"[a-z'\u2019]+", part.lower())
        if len(words) > _ITEM_WORDS or any(
            word in _NOT_AN_ITEM or word.endswith(("n't", "n\u2019t")) for word in words
        ):
            return run[0]
    return run[0].replace(";", ",")


def _a_dash(between: str) -> bool:
    """Whether the text between two words holds a dash typed as a pause (`_DASHES`)."""
    return " - " in between or "\u2013" in between or "\u2014" in between


def _names_a_complaint(lexicon: Lexicon, word: str) -> bool:
    """Whether the word is a complaint word, or a finding's phrase of one word ("fatigue")."""
    return word in lexicon.complaint_words or (word,) in lexicon.phrases


def _phrases_within(rare: dict[str, _Word], words: set[str]) -> list[Phrase]:
    """The phrases all of whose words are among `words`: by each word that is the rarest word
    of some (`rare`, with what is known of it), those phrases, in the order of
    `Lexicon.by_rare_word` (a word of many phrases, "lump", has them sorted by another of their
    words, `Lexicon.rare_index`, so that only those are tried)."""
    possible: list[Phrase] = []
    for word, info in rare.items():
        phrases, by_other = info.rare, info.by_other
        if by_other is None:  # a few: each tried
            for phrase in phrases:
                if words.issuperset(phrase.key):
                    possible.append(phrase)
            continue
        found = list(by_other.get("", ()))
        for other in words:  # the sentence's words that index them
            if other != word:
                more = by_other.get(other)
                if more is not None:
                    found += more
        found.sort()
        for k in found:
            if words.issuperset(phrases[k].key):
                possible.append(phrases[k])
    return possible


@dataclass(frozen=True, slots=True)
class _Common:
    """What every sentence is read with, made once per lexicon: see `_common`. Slots, not a
    NamedTuple: Python 3.11 reads a slot in a specialised instruction, a NamedTuple's field
    through the type's attribute cache, cold right after an evaluation."""

    ids: frozenset[int]  # the common lists' ids
    trie: dict[str, tuple[list, dict]]  # their phrases (see `Lexicon.common_starts`)
    dating: frozenset[int]  # the ids of those that deny, date or give to someone else
    separators: frozenset[str]  # the one-word separators ("and")
    references: frozenset[str]  # "it", "this": what stands for a complaint said before
    definites: frozenset[str]  # "the", "this": said with a complaint word said before
    verbs: frozenset[str]  # a clause's verbs of its own ("has", "takes")
    openers: frozenset[str]  # what opens a statement of its own: subjects, verbs, definites
    matching: frozenset[int]  # the ids of those a sentence's phrases are matched with
    qualifying: frozenset[int]  # the ids of the qualifiers' lists
    generic: frozenset[str]  # the words of a phrase that names no place: complaints, "skin"
    known: frozenset[str]  # the words never corrected (`Lexicon.known_words`)
    words: dict[str, _Word]  # what is known of each word read so far
    circumstances: frozenset[str]  # "when", "while": what opens a complaint's circumstance
    qualifier_names: dict[str, tuple[str, ...]]  # each finding's qualifiers, in order
    movers: frozenset[str] = frozenset()  # "under", "behind": see `Lexicon.elsewhere`
    sensed: frozenset[str] = frozenset()  # "fit", "back": see `Lexicon.other_senses`
    # what is lost when it is lacking, as the pseudo-negations say ("lack of control")
    lost: frozenset[str] = frozenset()
    relatives: bool = True  # whether a relative who is a clause's subject tells of herself


def _common(lexicon: Lexicon) -> _Common:
    """The lexicon's common lists (their ids and the trie of their phrases: see
    `Lexicon.common_starts`), the ids of those that deny or date, and the word sets of the
    lists read as words."""
    ids, trie = lexicon.common_starts()
    dating = (
        lexicon.negation_before,
        lexicon.negation_after,
        lexicon.negation_prefix,
        lexicon.negation_suffix,
        lexicon.negation_after_list,
        lexicon.time_over,
        lexicon.time_removed,
        lexicon.time_over_before,
        lexicon.time_before,
        lexicon.hypothetical,
        lexicon.intended,
        lexicon.explained,
        lexicon.family_history,
        lexicon.relatives,
        lexicon.never_the_patient,
    )
    dating_ids = frozenset(id(phrases) for phrases in dating)
    one_word = lexicon.one_word
    return _Common(
        ids,
        trie,
        dating_ids,
        separators=one_word(lexicon.separators),
        references=one_word(lexicon.references),
        definites=one_word(lexicon.definites),
        verbs=one_word(lexicon.verbs),
        openers=one_word(lexicon.subjects) | one_word(lexicon.verbs) | one_word(lexicon.definites),
        matching=frozenset(
            id(phrases)
            for phrases in (
                lexicon.pseudo,
                lexicon.not_findings,
                lexicon.normal_states,
                lexicon.denied_changes,
                lexicon.contrasts,
                lexicon.negation_before,
            )
        ),
        qualifying=frozenset(  # all of them among `ids`
            id(words) for named in lexicon.qualifiers.values() for words in named.values()
        ),
        generic=frozenset(lexicon.lone_complaints) | {"skin"},
        known=lexicon.known_words,
        words={},
        circumstances=frozenset(phrase[0] for phrase in lexicon.circumstances),
        qualifier_names={finding: tuple(named) for finding, named in lexicon.qualifiers.items()},
        movers=frozenset(word for word, _ in lexicon.elsewhere),
        sensed=frozenset(word for word, _ in lexicon.other_senses)
        | frozenset(lexicon.normaliser.norm(word) for _, word in lexicon.other_senses_after)
        | frozenset(lexicon.normaliser.norm(word) for word, _ in lexicon.other_senses_before)
        | lexicon.against
        | lexicon.interjections,
        lost=frozenset(p[-1] for p in lexicon.pseudo if p[0] == "lack"),
    )


def _one_word_qualifiers(lexicon: Lexicon, findings: tuple[str, ...]) -> frozenset[str]:
    """The one-word qualifiers of the findings ("coughing" of a pathological fracture),
    remembered."""
    known = lexicon.memo.setdefault("one_word_qualifiers", {})
    if findings not in known:
        known[findings] = frozenset(
            words[0]
            for finding in findings
            for phrases in lexicon.qualifiers.get(finding, {}).values()
            for words in phrases
            if len(words) == 1
        )
    return known[findings]


def _names_any(lexicon: Lexicon, means: tuple[str, ...]) -> bool:
    """Whether one of an abbreviation's meanings names a finding on its own, remembered."""
    known = lexicon.memo.setdefault("names_any", {})
    if means not in known:
        known[means] = any(_names_a_finding(lexicon, m) for m in means)
    return known[means]


def _feeling_phrase(lexicon: Lexicon, word: str, finding: str) -> Phrase:
    """The phrase a word of feeling ill reads as ("felt awful": malaise), made once."""
    made = lexicon.memo.setdefault("feeling_phrases", {})
    phrase = made.get(word)
    if phrase is None:
        phrase = made[word] = Phrase((word,), (finding,), COMPOSED, f"feel {word}", (word,))
    return phrase


def _measured(lexicon: Lexicon) -> frozenset[str]:
    """The findings that are a measure said to be wrong ("weight down", "calcium up"); not
    those of a place that is only examined ("armpit": its lump)."""
    cached = lexicon.memo.get("measured")
    if cached is None:
        cached = lexicon.memo["measured"] = frozenset(
            f for findings in lexicon.measures.values() for f in findings
        ).difference(lexicon.examined)
    return cached


def _findings_of_word(lexicon: Lexicon, word: str) -> frozenset[str]:
    """The findings of every phrase with the word, remembered per word ("pain" is a word of
    hundreds of phrases)."""
    known = lexicon.memo.setdefault("findings_of_word", {})
    findings = known.get(word)
    if findings is None:
        findings = known[word] = frozenset(
            f for p in lexicon.by_word.get(word, ()) for f in p.findings
        )
    return findings


def _two_words(lexicon: Lexicon, word: str) -> tuple[str, str] | None:
    """The one way of cutting a word into two that make a finding's phrase ("backpain": "back"
    and "pain"), if there is exactly one and the word is not an English word in its own right;
    remembered per word (bounded: stories bring new words)."""
    known = lexicon.memo.setdefault("two_words", {})
    if word in known:
        return known[word]
    cut = None
    if word.isalpha() and not is_english(word):
        norm, phrases = lexicon.normaliser.norm, lexicon.phrases
        cuts = [
            (word[:k], word[k:])
            for k in range(3, len(word) - 2)
            if tuple(sorted((norm(word[:k]), norm(word[k:])))) in phrases
        ]
        if len(cuts) == 1:
            cut = cuts[0]
    if len(known) > 4096:
        known.clear()
    known[word] = cut
    return cut


def _places(lexicon: Lexicon) -> dict[str, set[str]]:
    """The body places of the compositions (one word each: "eyes", "tummy", "back"), each
    with the findings composed with it; measures ("appetite", "calcium") are not places, nor
    is the skin, which is everywhere; a place that is examined ("armpit") still is."""
    cached = lexicon.memo.get("places")
    if cached is not None:
        return cached
    places: dict[str, set[str]] = {}
    for phrase in lexicon.phrases.values():
        if phrase.how != COMPOSED or not phrase.complaint:
            continue
        rest = [w for w in phrase.key if w not in phrase.complaint]
        if len(rest) != 1 or rest[0] == "skin":
            continue
        measured = lexicon.measures.get((rest[0],))
        if measured is None or lexicon.examined.issuperset(measured):
            places.setdefault(rest[0], set()).update(phrase.findings)
    lexicon.memo["places"] = places
    return places


# The words that say a complaint is on someone ("a lump on my dog", "a rash in the baby")
_SAID_ON = frozenset({"on", "in", "under", "behind", "near", "over", "from"})


def _persons(lexicon: Lexicon) -> frozenset[str]:
    """The function words that `Lexicon.other_senses` pairs with a word ("see doctor"): the
    people the filler words hold ("doctor", "gp", "mum")."""
    cached = lexicon.memo.get("persons")
    if cached is None:
        cached = lexicon.memo["persons"] = frozenset(
            second for _, second in lexicon.other_senses if second in lexicon.function
        )
    return cached


def _antecedents(sentence: _Sentence, before: int) -> list[list[Token]]:
    """What "it" may stand for in the clause or sentence at offset `before`: the words of the
    last complaint read in the sentence before it."""
    matches = [m for m in sentence.matches if sentence.tokens[m.last].end <= before]
    if not matches:
        return []
    tokens, last = sentence.tokens, matches[-1]
    complaint = [i for i in last.used if tokens[i].norm in sentence.lexicon.complaint_words]
    place = [i for i in last.used if i not in complaint]
    whole = [tokens[i] for i in sorted(last.used)]
    if not (complaint and place):
        return [whole]
    # its complaint words first ("lump" of "a lump in my breast"), then all of them ("my back
    # hurts. It keeps getting worse": "back hurts")
    return [[tokens[i] for i in complaint], whole]


def _answered(
    readings: list[Reading], question: list[Reading], answer: bool, text: str, end: int
) -> list[Reading]:
    """The readings with those of a question answered, each shown with its answer: "Any
    headache? No." denies it, "Yes." reports it. (A question left unanswered is read as it
    is written: a story's "What is causing my headaches?" has the headaches.)"""
    asked = {id(r) for r in question if r.finding and r.present}
    answered = []
    for r in readings:
        if id(r) not in asked:
            answered.append(r)
            continue
        shown, said = text[r.start : end].strip(), r.not_said if answer else ()
        answered.append(_reading(shown, r.finding, answer, r.how, said, r.via, start=r.start))
    return answered


def _says_more(new: list[Reading], old: list[Reading]) -> bool:
    """Whether a new reading says qualifiers of its finding that the old one did not."""
    return any(
        n.finding == o.finding and n.present and o.present and set(n.not_said) < set(o.not_said)
        for n in new
        for o in old
    )


def _what_it_says(reading: Reading) -> tuple:
    """What a reading says of its finding."""
    return (reading.finding, reading.past_finding, reading.present)


def _one_way(readings: list[Reading]) -> list[Reading]:
    """A finding read both present and denied in one text ("nausea but no vomiting": the
    article's "nausea or vomiting"; "at first no pain ... now back pain") is present: the
    denial is listed as not read, so a story is not refused as a contradiction (a finding given
    both ways in a case file's lists still is)."""
    present = {r.finding for r in readings if r.finding and r.present}
    return [
        Reading(r.text, None, how="not_read", via=r.via, start=r.start)
        if r.finding in present and not r.present
        else r
        for r in readings
    ]


def _a_title(text: str, tokens: list[Token], i: int, titles: frozenset[str]) -> bool:
    """Whether token i is a courtesy title typed as one, before a name: "Dr Jones", "Ms. Lee"
    (rules/reading.yaml: titles), not "MS" nor "ms"."""
    if tokens[i].norm not in titles or i + 1 >= len(tokens):
        return False
    return _capitalised(text, tokens[i]) and text[tokens[i + 1].start].isupper()


def _capitalised(text: str, token: Token) -> bool:
    """Whether the token is typed with a capital, then small letters ("Jones", "Dr")."""
    typed = text[token.start : token.end]
    return typed[:1].isupper() and typed[1:].islower()


def _has_capitals(typed: str) -> bool:
    letters = [c for c in typed if c.isalpha()]
    return len(letters) > 1 and sum(c.isupper() for c in letters) >= 2


def _maybe_mistyped(surface: str) -> bool:
    """Whether a word as typed may be a mistyped one, to correct or suggest for: of letters
    only, four or more (a shorter one is too near too many words)."""
    return len(surface) >= 4 and surface.isalpha()


@lru_cache(maxsize=2048)
def is_english(word: str) -> bool:
    """Whether the word is an English word in its own right (never corrected)."""
    from lemminflect import getAllLemmas  # only a mistyped word needs it

    return bool(getAllLemmas(word))


def closest_words(lexicon: Lexicon, word: str) -> list[str]:
    """The known words nearest in spelling to a mistyped one (see `_closest`), remembered."""
    cache = lexicon.closest_cache
    if word not in cache:
        if len(cache) > 4096:  # bounded: a cohort of stories has many words
            cache.clear()
        cache[word] = _closest(lexicon, word)
    return cache[word]


def _closest(lexicon: Lexicon, word: str) -> list[str]:
    """The known words one letter from a mistyped one (Damerau-Levenshtein distance 1: a letter
    left out, added, changed, or two swapped, the great majority of misspellings). Two letters
    off is too weak to apply: a medical word in its own right is often two letters from a
    finding's ("hemolysis" and "hemoptysis", "lentigo" and "vertigo", "engorgement" and
    "enlargement"); such a word is left unread, or suggested on the command line."""
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein, Indel

    limit = 1
    # The Indel distance (insertions and deletions only) is at most twice the Damerau-
    # Levenshtein distance (a substitution or a transposition is two of its steps), and is
    # five times as fast to find: the words within twice the limit of it hold every word
    # within the limit, and only those few are measured.
    near = process.extract(
        word,
        lexicon.finding_words_of_lengths(len(word) - limit, len(word) + limit),
        scorer=Indel.distance,
        score_cutoff=2 * limit,
        limit=None,
    )
    found = [(choice, DamerauLevenshtein.distance(word, choice)) for choice, _, _ in near]
    return sorted(choice for choice, distance in found if distance <= limit)

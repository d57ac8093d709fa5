"""rules/clinical.yaml: every clinical word is cited, listed once, and reads as something known.

A `means` phrase (past a "no" that opens it: "anicteric" means "no jaundice") must be one of: a
phrase of rules/vocabulary.yaml (a finding's name, article wording or synonym); a part of such a
phrase that the reader composes with the words around it ("armpit", "elevated", "ALT"); for an
abbreviation, a clinical term of this file; a state word of rules/reading.yaml (`states.normal`:
"5/5" means "normal", which denies a measure's finding, "strength 5/5"); or a phrase listed in
`out_of_scope` (known, and reported as "not read"); or a body place of rules/reading.yaml's
compositions ("vertebra", of "L2").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

RULES = Path(__file__).resolve().parent.parent / "rules"
# libyaml's safe loader where PyYAML has it: this module is imported by every test process.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CLINICAL = yaml.load((RULES / "clinical.yaml").read_text(encoding="utf-8"), Loader=_LOADER)
VOCABULARY = yaml.load((RULES / "vocabulary.yaml").read_text(encoding="utf-8"), Loader=_LOADER)
READING = yaml.load((RULES / "reading.yaml").read_text(encoding="utf-8"), Loader=_LOADER)


def words(phrase: str) -> tuple[str, ...]:
    """The phrase's words, lower case, punctuation other than inner hyphens and '/' dropped;
    a meaning that denies ("no jaundice", of "anicteric") is checked as what it denies.

    A phrase of symbols only ("#", "↑") is its own single word.
    """
    found = tuple(re.findall(r"[a-z0-9][a-z0-9'/-]*", phrase.lower())) or (phrase.strip(),)
    return found[1:] if len(found) > 1 and found[0] == "no" else found


def finding_phrases() -> dict[tuple[str, ...], str]:
    """Every phrase of rules/vocabulary.yaml, as words, with the id of its finding."""
    phrases: dict[tuple[str, ...], str] = {}
    for finding in VOCABULARY["findings"]:
        for phrase in [finding["name"], finding.get("article", ""), *finding["synonyms"]]:
            if phrase:
                phrases[words(phrase)] = finding["id"]
    return phrases


PHRASES = finding_phrases()
TERMS = {words(entry["term"]) for entry in CLINICAL["terms"]}
OUT_OF_SCOPE = {words(phrase) for phrase in CLINICAL["out_of_scope"]}
STATES = {words(phrase) for phrase in READING["states"]["normal"]}
PLACES = {  # the body places the reader composes a complaint with ("vertebra": "collapse of L2")
    words(place) for composition in READING["compositions"] for place in composition["places"]
}


def findings_containing(part: tuple[str, ...]) -> set[str]:
    """The findings with a phrase in which `part` appears as consecutive words."""
    n = len(part)
    return {
        finding
        for phrase, finding in PHRASES.items()
        if any(phrase[i : i + n] == part for i in range(len(phrase) - n + 1))
    }


def all_meanings() -> list[tuple[str, str]]:
    """(entry, meaning) for every abbreviation meaning and every term."""
    pairs = [(entry["abbr"], m) for entry in CLINICAL["abbreviations"] for m in entry["means"]]
    return pairs + [(entry["term"], entry["means"]) for entry in CLINICAL["terms"]]


def test_every_source_is_complete_and_used():
    keys = [source["key"] for source in CLINICAL["sources"]]
    assert len(keys) == len(set(keys)), "a source key is listed twice"
    for source in CLINICAL["sources"]:
        for field in ("title", "publisher", "url", "version"):
            assert str(source.get(field, "")).strip(), f"{source['key']}: no {field}"
        assert source["url"].startswith(("http://", "https://")), source["key"]
    used = {entry["source"] for entry in CLINICAL["terms"] + CLINICAL["abbreviations"]}
    assert used <= set(keys), f"unknown source keys: {sorted(used - set(keys))}"
    assert set(keys) - {"scowl"} <= used, f"sources nothing cites: {sorted(set(keys) - used)}"


def test_no_abbreviation_or_term_is_listed_twice():
    abbrs = [entry["abbr"].lower() for entry in CLINICAL["abbreviations"]]
    assert sorted({a for a in abbrs if abbrs.count(a) > 1}) == []
    terms = [words(entry["term"]) for entry in CLINICAL["terms"]]
    assert sorted({t for t in terms if terms.count(t) > 1}) == []
    for entry in CLINICAL["abbreviations"]:
        meanings = [words(m) for m in entry["means"]]
        assert len(meanings) == len(set(meanings)), entry["abbr"]


def test_spelling_pairs_are_two_different_words_each_in_one_pair():
    seen: list[str] = []
    for pair in CLINICAL["spellings"]:
        assert len(pair) == 2 and pair[0] != pair[1], pair
        seen.extend(pair)
    assert sorted({w for w in seen if seen.count(w) > 1}) == []


@pytest.mark.parametrize(("entry", "meaning"), all_meanings())
def test_every_meaning_reads_as_a_finding_a_part_of_one_a_term_or_out_of_scope(entry, meaning):
    phrase = words(meaning)
    known = (
        phrase in PHRASES
        or bool(findings_containing(phrase))
        or phrase in TERMS
        or phrase in OUT_OF_SCOPE
        or phrase in STATES
        or phrase in PLACES
    )
    assert known, (
        f"{entry}: {meaning!r} is neither a vocabulary phrase, a term, a state nor out of scope"
    )


def test_a_term_always_means_a_finding_or_a_part_of_one():
    for entry in CLINICAL["terms"]:
        phrase = words(entry["means"])
        assert phrase in PHRASES or findings_containing(phrase), entry["term"]


def test_out_of_scope_names_no_finding_and_each_is_some_meaning():
    meanings = {words(m) for entry in CLINICAL["abbreviations"] for m in entry["means"]}
    for phrase in OUT_OF_SCOPE:
        assert phrase not in PHRASES, f"{' '.join(phrase)!r} is a finding's phrase"
        assert phrase in meanings, f"{' '.join(phrase)!r} is no abbreviation's meaning"


def test_the_article_findings_each_have_clinical_words():
    reached: set[str] = set()
    for _, meaning in all_meanings():
        phrase = words(meaning)
        if phrase in PHRASES:
            reached.add(PHRASES[phrase])
    for entry in CLINICAL["abbreviations"]:
        for meaning in entry["means"]:
            for term in CLINICAL["terms"]:
                if words(term["term"]) == words(meaning) and words(term["means"]) in PHRASES:
                    reached.add(PHRASES[words(term["means"])])
    wanted = {
        "weakness",
        "fatigue",
        "weight_loss",
        "shortness_of_breath",
        "chest_pain",
        "nausea_vomiting",
        "headache",
        "convulsions",
        "vision_changes",
        "behavioral_changes",
        "vertigo",
        "ataxia",
        "jaundice",
        "abdominal_pain",
        "bone_pain",
        "spinal_cord_compression",
        "swollen_lymph_nodes",
        "internal_mammary_lump",
        "breast_skin_changes",
    }
    assert wanted - reached == set()


def test_the_list_is_as_large_as_promised():
    assert len(CLINICAL["abbreviations"]) >= 120
    assert len(CLINICAL["terms"]) >= 60
    assert len(CLINICAL["spellings"]) >= 40

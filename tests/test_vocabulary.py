"""Students' own words reach the right finding; a mistyped word gets close matches."""

from __future__ import annotations

import pytest

from triage.errors import TriageError
from triage.vocabulary import normalise


@pytest.mark.parametrize(
    ("typed", "finding"),
    [
        ("seizures", "convulsions"),
        ("coughing up blood", "hemoptysis"),
        ("Yellow skin", "jaundice"),
        ("I have a lump in my armpit", "axillary_lump"),
        ("pain in the abdomen", "abdominal_pain"),
        ("abdomen pain", "abdominal_pain"),
        ("Headaches", "headache"),
        ("pathological_fracture", "pathological_fracture"),
        ("Severe and increasing bone pain", "bone_pain"),
        ("Nausea and vomiting", "nausea_vomiting"),
        ("vomiting", "nausea_vomiting"),
        ("dimpled skin", "breast_skin_changes"),
        ("scaly skin", "breast_skin_changes"),
        ("puckered skin", "breast_skin_changes"),
        ("inflamed breast", "breast_skin_changes"),
        ("elevated SGOT", "elevated_liver_enzymes"),
        ("elevated SGPT", "elevated_liver_enzymes"),
        ("swollen gland above the collar bone", "supraclavicular_lump"),
        ("lump behind the breastbone", "internal_mammary_lump"),
    ],
)
def test_everyday_words_reach_the_canonical_finding(evaluator, typed, finding):
    assert evaluator.lexicon.findings.resolve(typed) == finding


def test_normalising_ignores_case_punctuation_plurals_order_and_filler():
    assert normalise("My HEADACHES!") == normalise("headache")
    assert normalise("pain in the bones") == normalise("bone pain")


def test_a_mistyped_finding_gets_close_matches(evaluator):
    with pytest.raises(TriageError) as caught:
        evaluator.lexicon.findings.resolve("jaundise")
    assert "unknown finding 'jaundise'; did you mean 'jaundice'" in str(caught.value)


def test_a_spelling_guess_is_never_applied_silently(evaluator):
    assert evaluator.lexicon.findings.lookup("jaundise") is None


def test_findings_people_describe_in_their_own_words_have_three_synonyms(kb):
    for finding in kb.findings:
        assert len(finding.synonyms) >= 3, finding.id

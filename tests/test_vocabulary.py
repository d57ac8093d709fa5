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


@pytest.mark.parametrize(
    ("typed", "finding"),
    [
        # Local recurrence: after a mastectomy there is no breast, only a scar and a chest wall
        ("breast swelling", "breast_size_shape_change"),
        ("My breast is swollen", "breast_size_shape_change"),
        ("new lump in my breast", "breast_lump"),
        ("lump near the scar", "breast_lump"),
        ("thickening in my scar", "breast_lump"),
        ("red skin over the scar", "breast_skin_changes"),
        ("redness on the scar", "breast_skin_changes"),
        ("skin changes on the chest wall", "breast_skin_changes"),
        ("my nipple has turned in", "breast_skin_changes"),
        ("bleeding from my nipple", "nipple_discharge"),
        # Regional lymph nodes: "collar bone" and "collarbone", "breast bone" and "breastbone"
        ("swollen glands under my arm", "axillary_lump"),
        ("lump under the collar bone", "infraclavicular_lump"),
        ("swollen lymph node below the collar bone", "infraclavicular_lump"),
        ("swollen gland above the collarbone", "supraclavicular_lump"),
        ("lump behind the breast bone", "internal_mammary_lump"),
        ("swollen lymph glands", "swollen_lymph_nodes"),
        # Bone: a fracture is pathological when the trauma was minor
        ("sore back", "bone_pain"),
        ("lower back pain", "bone_pain"),
        ("my hip hurts", "bone_pain"),
        ("tender bone", "bone_pain"),
        ("pelvic bone pain", "bone_pain"),
        ("hip fracture after a minor fall", "pathological_fracture"),
        ("I broke my hip after a minor fall", "pathological_fracture"),
        ("lump on my rib", "bone_swelling"),
        ("red skin over my rib", "bone_erythema"),
        ("high calcium level", "hypercalcemia"),
        ("back pain and lost control of my bladder", "spinal_cord_compression"),
        ("back pain with weak legs", "spinal_cord_compression"),
        # Brain
        ("morning headaches", "headache"),
        ("She is not herself", "behavioral_changes"),
        ("acting out of character", "behavioral_changes"),
        ("off balance", "ataxia"),
        ("wobbly on my feet", "ataxia"),
        ("can't walk straight", "ataxia"),
        ("nauseous", "nausea_vomiting"),
        ("eyesight getting worse", "vision_changes"),
        # General, liver, lungs and blood tests
        ("I've lost my appetite", "loss_of_appetite"),
        ("under the weather", "malaise"),
        ("turning yellow", "jaundice"),
        ("pain under my ribs", "abdominal_pain"),
        ("raised LFTs", "elevated_liver_enzymes"),
        ("abnormal liver tests", "elevated_liver_enzymes"),
        ("I can't breathe", "shortness_of_breath"),
        ("tight chest", "chest_pain"),
        ("blood in my spit", "hemoptysis"),
        ("chest x-ray shows spots", "chest_xray_shows_metastasis"),
        ("chest xray shows metastases", "chest_xray_shows_metastasis"),
        ("rising CEA", "elevated_tumor_markers"),
        ("tumor markers up", "elevated_tumor_markers"),
        ("tumour markers up", "elevated_tumor_markers"),
        ("raised CA15-3", "elevated_tumor_markers"),
    ],
)
def test_words_the_case_review_found_missing_reach_the_right_finding(evaluator, typed, finding):
    assert evaluator.lexicon.findings.resolve(typed) == finding


@pytest.mark.parametrize(
    "typed",
    [
        # A fracture is pathological only when the trauma was minor: a plain broken hip or rib
        # may follow a car crash.
        "broken hip",
        "broken rib",
        "cracked rib",
        # Pelvic pain usually means pain in the pelvic organs (the lower abdomen), not the bone.
        "pelvic pain",
        # Alone these have other causes (chemotherapy neuropathy, brain metastasis, a urinary
        # infection); with back pain they name cord compression.
        "numb legs",
        "leg weakness",
        "lost control of my bladder",
        # Trouble walking may come from bone pain, a fracture or a compressed cord, not only
        # from a lack of coordination.
        "trouble walking",
        # The right side may be the chest, the ribs, the flank or the hip, not only the liver.
        "pain in my right side",
    ],
)
def test_ambiguous_words_name_no_finding(evaluator, typed):
    assert evaluator.lexicon.findings.lookup(typed) is None


def test_normalising_ignores_case_punctuation_plurals_order_and_filler():
    assert normalise("My HEADACHES!") == normalise("headache")
    assert normalise("pain in the bones") == normalise("bone pain")


def test_a_mistyped_finding_gets_close_matches(evaluator):
    with pytest.raises(TriageError) as caught:
        evaluator.lexicon.findings.resolve("jawndyse")
    assert "unknown finding 'jawndyse'; did you mean 'jaundice'" in str(caught.value)


@pytest.mark.parametrize(
    "typed", ["bone pan", "wieght lost", "shortnes of breth", "liver enzymes rised"]
)
def test_suggestions_are_words_never_internal_ids(evaluator, typed):
    suggestions = evaluator.lexicon.findings.suggestions(typed)
    assert suggestions
    assert not [phrase for phrase in suggestions if "_" in phrase]


def test_the_suggestion_for_a_mistyped_bone_pain_reads_bone_pain(evaluator):
    with pytest.raises(TriageError) as caught:
        evaluator.lexicon.findings.resolve("bone pan")
    assert "did you mean 'bone pain'" in str(caught.value)


def test_a_spelling_guess_is_never_applied_silently(evaluator):
    assert evaluator.lexicon.findings.lookup("jawndyse") is None


def test_findings_people_describe_in_their_own_words_have_three_synonyms(kb):
    for finding in kb.findings:
        assert len(finding.synonyms) >= 3, finding.id

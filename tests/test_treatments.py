"""Treatments, urgency and extent follow the article's indications and contraindications."""

from __future__ import annotations

from .conftest import status


def test_liver_metastasis_contraindicates_hormone_therapy_and_the_trace_shows_both(assess):
    report = assess(findings=["jaundice", "elevated liver enzymes"], receptors={"er": "positive"})
    hormone = next(t for t in report.treatments if t.id == "hormone_therapy")
    assert hormone.status == "contraindicated"
    concluded = [step.concludes for step in hormone.trace]
    assert "treatment:hormone_therapy=indicated" in concluded
    assert concluded[-1] == "treatment:hormone_therapy=contraindicated"
    assert status(report, "chemotherapy") == "indicated"


def test_hormone_therapy_needs_confirmed_receptor_positivity(assess):
    report = assess(findings=["pathological fracture", "severe and increasing bone pain"])
    hormone = next(t for t in report.treatments if t.id == "hormone_therapy")
    assert hormone.status == "not_indicated"
    assert hormone.trace[0].because == []
    assert "receptor:er=positive" in hormone.trace[0].missing


def test_progesterone_positive_alone_indicates_hormone_therapy_in_bone_metastasis(assess):
    report = assess(
        findings=["pathological fracture"], receptors={"er": "negative", "pr": "positive"}
    )
    assert status(report, "hormone_therapy") == "indicated"
    assert status(report, "chemotherapy") == "not_indicated"


def test_receptor_negative_metastasis_indicates_chemotherapy(assess):
    report = assess(
        findings=["coughing up blood", "chronic cough"],
        receptors={"er": "negative", "pr": "negative"},
    )
    assert status(report, "chemotherapy") == "indicated"
    assert status(report, "hormone_therapy") == "not_indicated"


def test_rapid_progression_contraindicates_hormone_therapy_and_indicates_chemotherapy(assess):
    report = assess(
        findings=["severe and increasing bone pain"],
        receptors={"er": "positive"},
        progression="rapid",
    )
    assert status(report, "hormone_therapy") == "contraindicated"
    assert status(report, "chemotherapy") == "indicated"


def test_the_word_severe_in_a_symptom_is_not_the_severe_symptoms_flag(assess):
    report = assess(findings=["severe and increasing bone pain"], receptors={"er": "positive"})
    assert status(report, "hormone_therapy") == "indicated"
    flagged = assess(
        findings=["severe and increasing bone pain"],
        receptors={"er": "positive"},
        history=["severe_symptoms"],
    )
    assert status(flagged, "hormone_therapy") == "contraindicated"


def test_hormone_therapy_ineffective_indicates_chemotherapy(assess):
    report = assess(
        findings=["severe and increasing bone pain"], history=["hormone_therapy_ineffective"]
    )
    assert status(report, "chemotherapy") == "indicated"


def test_local_recurrence_after_lumpectomy_and_radiation_indicates_mastectomy(assess):
    report = assess(
        findings=["lump in the breast", "dimpled skin"], history=["lumpectomy_and_radiation"]
    )
    assert status(report, "surgery") == "indicated"
    assert report.extent.level == "local"
    assert (
        status(assess(findings=["lump in the breast", "dimpled skin"]), "surgery")
        == "not_indicated"
    )


def test_bone_pain_from_bone_metastasis_indicates_a_radiopharmaceutical(assess):
    report = assess(findings=["severe and increasing bone pain", "pathological fracture"])
    assert status(report, "radiopharmaceutical") == "indicated"
    assert status(report, "radiation_therapy") == "indicated"
    assert (
        status(assess(findings=["pathological fracture"]), "radiopharmaceutical") == "not_indicated"
    )


def test_every_treatment_is_always_reported(assess):
    ids = [t.id for t in assess().treatments]
    assert ids == [
        "hormone_therapy",
        "radiation_therapy",
        "chemotherapy",
        "surgery",
        "radiopharmaceutical",
    ]


def test_spinal_cord_compression_is_an_emergency_with_radiation_and_mri(assess):
    report = assess(findings=["spinal cord compression"])
    assert report.urgency.level == "emergency"
    assert report.urgency.trace[-1].reference
    assert status(report, "radiation_therapy") == "indicated"
    assert "mri" in [t.id for t in report.tests]


def test_raised_intracranial_pressure_is_an_emergency(assess):
    assert assess(findings=["raised intracranial pressure"]).urgency.level == "emergency"


def test_nothing_entered_is_routine_with_no_spread(assess):
    report = assess()
    assert report.sites == [] and report.tests == []
    assert report.urgency.level == "routine" and report.extent.level == "none"
    assert report.urgency.trace[0].because == [] and report.urgency.trace[0].missing


def test_general_symptoms_alone_suggest_tumour_markers_but_no_site_and_no_pet_ct(assess):
    report = assess(findings=["fatigue", "weight loss", "weakness", "malaise"])
    assert report.sites == []
    assert {t.id for t in report.tests} == {"tumor_markers"}
    assert report.urgency.level == "routine"


def test_axillary_node_spread_is_regional_with_the_curable_prognosis(assess):
    report = assess(findings=["swollen lymph node in the armpit"])
    assert report.sites[0].id == "regional_lymph_nodes"
    assert report.extent.level == "regional"
    assert report.prognosis.level == "axillary_nodes"


def test_distant_spread_outranks_regional(assess):
    report = assess(
        findings=["lump in the armpit", "coughing up blood", "chest x-ray shows metastasis"]
    )
    assert report.extent.level == "distant"
    assert report.prognosis.level == "distant_organs"


def test_chemotherapy_needs_metastatic_disease(assess):
    assert status(assess(progression="rapid"), "chemotherapy") == "not_indicated"
    assert status(assess(history=["severe_symptoms"]), "chemotherapy") == "not_indicated"
    assert (
        status(
            assess(findings=["severe and increasing bone pain"], progression="rapid"),
            "chemotherapy",
        )
        == "indicated"
    )

"""Lab values: units, reference ranges and the findings they derive."""

from __future__ import annotations

import pytest

from triage.errors import TriageError

from .conftest import certainty


def _derived(report, finding: str):
    steps = [step for site in report.sites for step in site.trace if step.concludes == finding]
    return steps[0] if steps else None


def test_high_calcium_derives_hypercalcemia_with_value_unit_and_range(assess):
    report = assess(labs={"calcium": "12.1 mg/dL"})
    step = _derived(report, "finding:hypercalcemia")
    assert step.because == ["lab:calcium=12.1 mg/dL"]
    assert "12.1 mg/dL" in step.detail and "3.02 mmol/L" in step.detail
    assert "2.2-2.6 mmol/L" in step.detail
    assert step.reference
    assert certainty(report, "bone") > 0


def test_calcium_in_mmol_and_mg_per_dl_give_the_same_sites(assess):
    in_mmol = assess(labs={"calcium": "3.02 mmol/L"})
    in_mg = assess(labs={"calcium": "12.1 mg/dL"})
    assert [(s.id, s.certainty) for s in in_mmol.sites] == [
        (s.id, s.certainty) for s in in_mg.sites
    ]


def test_a_value_exactly_at_the_upper_limit_is_within_range(assess):
    assert assess(labs={"calcium": "2.6 mmol/L"}).sites == []
    assert assess(labs={"calcium": "2.61 mmol/L"}).sites != []
    assert assess(labs={"alt": "45 U/L"}).sites == []
    assert assess(labs={"alt": "46 U/L"}).sites != []


def test_sgpt_and_sgot_are_alt_and_ast(assess):
    report = assess(labs={"sgpt": "180 U/L", "SGOT": "150 IU/L"})
    assert report.facts == ["lab:alt=180 U/L", "lab:ast=150 U/L"]
    assert report.sites[0].id == "liver"


def test_severe_hypercalcaemia_is_an_emergency_and_moderate_is_urgent(assess):
    assert assess(labs={"calcium": "3.6 mmol/L"}).urgency.level == "emergency"
    assert assess(labs={"calcium": "3.2 mmol/L"}).urgency.level == "urgent"


def test_raised_tumour_markers_suggest_pet_ct_and_not_the_markers_again(assess):
    report = assess(labs={"ca15_3": "95 U/mL", "cea": "2 ng/mL"}, findings=["fatigue"])
    assert {t.id for t in report.tests} == {"pet_ct"}
    assert [t.id for t in report.tests_given] == ["tumor_markers"]


def test_bilirubin_in_micromoles_converts(assess):
    assert assess(labs={"bilirubin": "40 µmol/L"}).sites[0].id == "liver"
    assert assess(labs={"bilirubin": "15 umol/L"}).sites == []


@pytest.mark.parametrize(
    ("labs", "message"),
    [
        ({"calcium": "12.1 mg"}, "unknown unit 'mg' for calcium; use one of mmol/L, mg/dL"),
        ({"calcium": "high"}, "is not a value with a unit"),
        ({"calcium": "12.1"}, "has no unit"),
        ({"calcium": "-1 mmol/L"}, "cannot be negative"),
        ({"calcuim": "2.9 mmol/L"}, "unknown lab 'calcuim'; did you mean"),
        ({"alt": "100 U/L", "sgpt": "90 U/L"}, "alt is given twice"),
    ],
)
def test_bad_lab_values_are_named(assess, labs, message):
    with pytest.raises(TriageError, match=message.replace("(", r"\(")):
        assess(labs=labs)

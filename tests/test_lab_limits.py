"""Lab values at the edges: exactly at the upper limit, unit conversion, impossible values."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from pydantic import ValidationError

from triage.case import converted_value
from triage.errors import TriageError
from triage.knowledge import Lab

DERIVED = {
    "calcium": "finding:hypercalcemia",
    "alt": "finding:elevated_liver_enzymes",
    "ast": "finding:elevated_liver_enzymes",
    "bilirubin": "finding:elevated_bilirubin",
    "ca15_3": "finding:elevated_tumor_markers",
    "cea": "finding:elevated_tumor_markers",
}


def _derives(report, finding: str) -> bool:
    traces = [item.trace for item in [*report.sites, *report.tests, *report.treatments]]
    return any(step.concludes == finding for trace in traces for step in trace)


def _step(lab: Lab) -> Decimal:
    return Decimal(1).scaleb(-lab.decimals)


@pytest.mark.parametrize("lab_id", sorted(DERIVED))
def test_exactly_at_the_upper_limit_is_within_range_and_one_step_above_is_not(kb, assess, lab_id):
    lab = kb.lab(lab_id)
    limit = Decimal(repr(lab.upper_limit))
    at = assess(labs={lab_id: f"{limit} {lab.unit}"})
    above = assess(labs={lab_id: f"{limit + _step(lab)} {lab.unit}"})
    assert not _derives(at, DERIVED[lab_id])
    assert _derives(above, DERIVED[lab_id])


def _exact(value: Decimal, factor: Decimal, decimals: int) -> Decimal:
    return (value * factor).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize(
    ("lab_id", "unit", "per", "top", "step"),
    [
        ("calcium", "mg/dL", "4.008", 40, "0.01"),
        ("bilirubin", "umol/L", "17.1", 300, "0.1"),
    ],
)
def test_unit_conversion_is_exact_to_the_documented_precision(kb, lab_id, unit, per, top, step):
    """Every value to the precision people write, divided by the documented factor and
    rounded half up: no floating-point error moves one across a limit."""
    lab = kb.lab(lab_id)
    step = Decimal(step)
    for i in range(int(top / step) + 1):
        value = i * step
        expected = (value / Decimal(per)).quantize(_step(lab), rounding=ROUND_HALF_UP)
        assert converted_value(lab, value, unit) == expected, value


@pytest.mark.parametrize(
    ("entered", "above_range"),
    [
        ("2.6 mmol/L", False),
        ("2.604 mmol/L", False),
        ("2.605 mmol/L", True),  # rounds half up to 2.61
        ("10.42 mg/dL", False),  # 2.59980 -> 2.60
        ("10.44 mg/dL", False),  # 2.60479 -> 2.60
        ("10.46 mg/dL", True),  # 2.60978 -> 2.61
        ("10.4408 mg/dL", False),  # 2.604990 -> 2.60
        ("10.4409 mg/dL", True),  # 2.605015 -> 2.61
    ],
)
def test_calcium_near_the_limit_in_both_units(assess, entered, above_range):
    assert _derives(assess(labs={"calcium": entered}), "finding:hypercalcemia") is above_range


def test_bilirubin_near_the_limit_in_micromoles(assess):
    assert not _derives(assess(labs={"bilirubin": "20.6 umol/L"}), "finding:elevated_bilirubin")
    assert _derives(assess(labs={"bilirubin": "20.61 umol/L"}), "finding:elevated_bilirubin")


@pytest.mark.parametrize("lab_id", sorted(DERIVED))
def test_a_value_above_the_plausible_maximum_is_refused_and_at_it_accepted(kb, assess, lab_id):
    lab = kb.lab(lab_id)
    limit = Decimal(repr(lab.implausible_above))
    assess(labs={lab_id: f"{limit} {lab.unit}"})
    with pytest.raises(TriageError, match=rf"not a possible {lab_id} value: the limit is"):
        assess(labs={lab_id: f"{limit + _step(lab)} {lab.unit}"})


def test_an_impossible_value_in_another_unit_shows_it_converted(assess):
    with pytest.raises(TriageError) as caught:
        assess(labs={"calcium": "50 mg/dL"})
    assert str(caught.value) == (
        "labs.calcium: '50 mg/dL' (12.48 mmol/L) is not a possible calcium value: "
        "the limit is 10 mmol/L (rules/labs.yaml)"
    )
    assess(labs={"calcium": "40.08 mg/dL"})  # 10.00 mmol/L, at the limit


def test_a_huge_number_is_refused_before_it_reaches_the_engine(assess):
    with pytest.raises(TriageError, match="not a possible calcium value"):
        assess(labs={"calcium": "9" * 150 + " mmol/L"})


def test_every_lab_cites_its_plausible_maximum(kb):
    for lab in kb.labs:  # the limit above the range is the model's check (the test below)
        assert "input-sanity limit, not a medical claim" in lab.implausible_reference


def test_a_lab_whose_plausible_maximum_is_inside_its_range_is_refused(kb):
    data = kb.lab("alt").model_dump() | {"implausible_above": 40}
    with pytest.raises(ValidationError, match="must be above 'upper_limit'"):
        Lab.model_validate(data)

"""Every example case in cases/ meets its own `expect` block."""

from __future__ import annotations

import pytest

from triage.case import read_case
from triage.expect import mismatches

from .conftest import CASES

FILES = sorted(CASES.rglob("*.yaml"))


def test_there_are_example_cases_for_every_site():
    assert len(FILES) >= 12
    sites = {site for path in FILES for site in (read_case(path).expect.sites or [])}
    assert sites >= {"local_recurrence", "regional_lymph_nodes", "bone", "liver", "lung", "brain"}


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_example_case_meets_its_expectations(evaluator, path):
    case = read_case(path)
    assert case.expect is not None, "every example case states what it expects"
    assert case.id == path.stem
    assert mismatches(evaluator.evaluate(case), case.expect) == []

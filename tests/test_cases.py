"""The case library: every example case meets its own `expect` block, one test per case."""

from __future__ import annotations

import pytest

from triage.case import read_case
from triage.replay import replay_case

from .conftest import CASES

FILES = sorted(CASES.rglob("*.yaml"))


def test_there_are_example_cases_for_every_site():
    assert len(FILES) >= 12
    sites = {site for path in FILES for site in (read_case(path).expect.sites or [])}
    assert sites >= {"local_recurrence", "regional_lymph_nodes", "bone", "liver", "lung", "brain"}


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(CASES)) for p in FILES])
def test_example_case_meets_its_expectations(evaluator, path):
    case = read_case(path)
    assert case.id == path.stem, "a case's id is its file name"
    outcome = replay_case(evaluator, path, case)
    assert outcome.status == "passed", "\n".join(map(str, outcome.mismatches)) or outcome.error

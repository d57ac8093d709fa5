from __future__ import annotations

import json
from pathlib import Path

import pytest

from triage.case import parse_case
from triage.evaluation import Evaluator
from triage.knowledge import KnowledgeBase, load
from triage.report import Report

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load()


@pytest.fixture(scope="session")
def evaluator(kb: KnowledgeBase) -> Evaluator:
    return Evaluator(kb)


@pytest.fixture(scope="session")
def assess(evaluator: Evaluator):
    """Evaluate a case given as keyword arguments of the case-file format."""

    def run(**data) -> Report:
        return evaluator.evaluate(parse_case({"id": "test", **data}))

    return run


def status(report: Report, treatment: str) -> str:
    return next(t.status for t in report.treatments if t.id == treatment)


def certainty(report: Report, site: str) -> float:
    return next((s.certainty for s in report.sites if s.id == site), 0.0)


def as_json(report: Report) -> dict:
    return json.loads(report.to_json())

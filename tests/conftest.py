from __future__ import annotations

import copy
import json
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from triage.case import parse_case
from triage.evaluation import Evaluator
from triage.knowledge import KnowledgeBase, load
from triage.report import Report

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"

# Hypothesis: `make test` runs the quick profile, a tenth of each property's budget (the
# budgets in tests/test_fuzz.py are the long run's); `pytest --hypothesis-profile=long` runs
# them all, and `make fuzz` runs the same properties for minutes. Generated inputs are not
# stored between runs (a failure prints its input), and no input has a deadline: a slow
# machine shared by other runs must not fail a test.
_HYPOTHESIS = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much],
}
settings.register_profile("quick", max_examples=10, **_HYPOTHESIS)
settings.register_profile("long", max_examples=100, **_HYPOTHESIS)
settings.load_profile("quick")  # --hypothesis-profile, read after this file, overrides it


def budget(examples: int) -> settings:
    """Hypothesis settings for a property worth `examples` inputs in the long profile, and a
    tenth of that (at least 5) in the quick one."""
    share = settings.default.max_examples / 100
    return settings(max_examples=max(5, round(examples * share)))


@pytest.fixture(scope="session", autouse=True)
def _parse_each_knowledge_file_once():
    """Many tests load an edited copy of rules/, and parsing its YAML files is most of a load
    (about 0.8 s a copy). A file's data depends only on its bytes, so within a test process
    each content is parsed once, for real, and handed out as a deep copy; a file that fails
    to parse is parsed (and fails) every time. Loading is otherwise unchanged."""
    from triage import knowledge

    read = getattr(knowledge, "read_document", None)
    if read is None:  # the knowledge base no longer reads its files this way
        yield
        return
    parsed: dict[tuple[str, bytes], object] = {}

    def read_once(path: Path):
        try:
            info = path.stat()
        except OSError:
            return read(path)  # the real error
        if not stat.S_ISREG(info.st_mode) or info.st_size > 1_000_000:
            return read(path)  # what the limits are for: never read here first
        key = (path.suffix.lower(), path.read_bytes())
        if key not in parsed:
            parsed[key] = read(path)
        return copy.deepcopy(parsed[key])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(knowledge, "read_document", read_once)
        yield


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

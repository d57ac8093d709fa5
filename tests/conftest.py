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

# Hypothesis: `make test` runs the quick profile, a twentieth of each property's budget (the
# budgets in tests/test_fuzz.py are the long run's); `pytest --hypothesis-profile=long` runs
# them all, and `make fuzz` runs the same properties for minutes. Generated inputs are not
# stored between runs (a failure prints its input), and no input has a deadline: a slow
# machine shared by other runs must not fail a test.
_HYPOTHESIS = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much],
}
settings.register_profile("quick", max_examples=5, **_HYPOTHESIS)
settings.register_profile("long", max_examples=100, **_HYPOTHESIS)
settings.load_profile("quick")  # --hypothesis-profile, read after this file, overrides it


def budget(examples: int) -> settings:
    """Hypothesis settings for a property worth `examples` inputs in the long profile, and a
    twentieth of that (at least 5) in the quick one."""
    share = settings.default.max_examples / 100
    return settings(max_examples=max(5, round(examples * share)))


@pytest.fixture(scope="session", autouse=True)
def _parse_and_compile_each_content_once():
    """Many tests load an edited copy of rules/ (parsing its 14 YAML files is most of a load,
    0.8 s a copy) or run the whole case library again (lint, replay, the web API). A file's
    data depends only on its bytes, so within a test process the knowledge base and case
    files are parsed once per content, for real, and handed out as deep copies. A file that
    fails to parse is parsed (and fails) every time; anything but a small regular file (a
    link to a device, a file over the limits) is read only by the real code.

    Likewise the reader's word tables a knowledge base compiles (0.1 s a load, and the first
    one in a process loads the English dictionary's inflections, 0.7 s) are compiled once per
    vocabulary, reading and clinical lists (the shipped ones' come with the shipped knowledge
    base): an edited copy of the rules rarely changes them."""
    from triage import case, knowledge

    parsed: dict[tuple[str, bytes, tuple], object] = {}

    def once(read):
        def read_once(path: Path, *limits):
            try:
                info = path.stat()
            except OSError:
                return read(path, *limits)  # the real error
            if not stat.S_ISREG(info.st_mode) or info.st_size > 1_000_000:
                return read(path, *limits)
            key = (path.suffix.lower(), path.read_bytes(), limits)
            if key not in parsed:
                parsed[key] = read(path, *limits)
            return copy.deepcopy(parsed[key])

        return read_once

    def words_key(findings, reading, clinical) -> tuple[str, str, str]:
        return (
            json.dumps([finding.model_dump(mode="json") for finding in findings]),
            reading.model_dump_json(),
            clinical.model_dump_json(),
        )

    # The shipped knowledge base comes from its cache, compiled words and all: they are what
    # compiling its lists gives (the cache is checked against the files' digest).
    shipped = load()
    tables = ("lemmas", "english_words", "lexicon")
    compiled: dict[tuple[str, str, str], dict] = {}
    if all(getattr(shipped, name, None) for name in tables):
        key = words_key(shipped.findings, shipped.reading, shipped.clinical)
        compiled[key] = {name: getattr(shipped, name) for name in tables}

    def compile_once(compile_words):
        def compiled_words(*args, **kwargs):
            try:
                key = words_key(*args)
            except (ValueError, AttributeError, TypeError):  # not the call this was made for
                return compile_words(*args, **kwargs)
            if key not in compiled:
                compiled[key] = compile_words(*args, **kwargs)
            return copy.deepcopy(compiled[key])

        return compiled_words

    with pytest.MonkeyPatch.context() as patch:
        for module in (knowledge, case):
            read = getattr(module, "read_document", None)
            if read is not None:  # else the module no longer reads its files this way
                patch.setattr(module, "read_document", once(read))
        compile_words = getattr(knowledge, "compiled_words", None)
        if compile_words is not None:
            patch.setattr(knowledge, "compiled_words", compile_once(compile_words))
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

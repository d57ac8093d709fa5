"""Replaying the case library: each case's report checked against its `expect` block."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Literal
from xml.etree import ElementTree as ET

from pydantic import BaseModel, ConfigDict, Field

from triage import escape
from triage.case import Case, read_case
from triage.errors import TriageError
from triage.evaluation import Evaluator
from triage.expect import Expectation, Mismatch, mismatches
from triage.knowledge import KnowledgeBase
from triage.vocabulary import unknown


class Outcome(BaseModel):
    """What replaying one case file gave: passed, failed (with how) or error (unreadable)."""

    model_config = ConfigDict(frozen=True)

    path: str
    case_id: str | None = None
    title: str | None = None
    status: Literal["passed", "failed", "error"]
    mismatches: list[Mismatch] = []
    error: str | None = None
    # The error without its file, for an output that already names the file: not in the JSON.
    reason: str | None = Field(default=None, exclude=True)
    # Words the case relied on a spelling correction for: a warning, not a failure, so that
    # teachers keep their files exact.
    corrected: list[str] = []

    def to_json(self) -> str:
        return escape.json_text(self.model_dump_json(exclude_none=True))


class Tally(BaseModel):
    passed: int = 0
    failed: int = 0
    errors: int = 0

    def line(self) -> str:
        text = f"{self.passed} passed, {self.failed} failed"
        return text + (f", {self.errors} unreadable" if self.errors else "")

    @property
    def exit_status(self) -> int:
        return 2 if self.errors else 1 if self.failed else 0


def check_expectation(expect: Expectation, kb: KnowledgeBase) -> None:
    """Every id the expect block names exists: a mistyped id must not pass unnoticed."""
    catalogue = kb.catalogue
    sites = [c.id for c in catalogue.sites]
    named: list[tuple[str, str, str, list[str]]] = [
        *(("sites", "site", s, sites) for s in expect.sites),
        *(("sites_absent", "site", s, sites) for s in expect.sites_absent),
        *(("min_certainty", "site", s, sites) for s in expect.min_certainty),
        *(("max_certainty", "site", s, sites) for s in expect.max_certainty),
        *(("tests", "test", t, kb.ids("test")) for t in expect.tests),
        *(("tests_absent", "test", t, kb.ids("test")) for t in expect.tests_absent),
        *(("treatments", "treatment", t, kb.ids("treatment")) for t in expect.treatments),
        *(("rules_fired", "rule", r, [rule.id for rule in kb.rules]) for r in expect.rules_fired),
    ]
    if expect.top_site is not None:
        named.append(("top_site", "site", expect.top_site, sites))
    for key, kind, text, choices in named:
        if text not in choices:
            raise unknown(kind, text, choices).located(f"expect.{key}")
    for key, bounds in (
        ("min_certainty", expect.min_certainty),
        ("max_certainty", expect.max_certainty),
    ):
        for site, value in bounds.items():
            if not 0 <= value <= 1:
                raise TriageError(
                    f"expect.{key}.{site}: {value} is not a certainty between 0 and 1"
                )


def replay_case(evaluator: Evaluator, path: Path, case: Case) -> Outcome:
    """The outcome of one case: its report checked against its expect block."""
    common = {"path": _shown(path), "case_id": case.id, "title": case.title}
    if case.expect is None:
        missing = Mismatch(key="expect", expected="an expect block to check", got="none")
        return Outcome(**common, status="failed", mismatches=[missing])
    try:
        check_expectation(case.expect, evaluator.kb)
        report = evaluator.evaluate(case)
    except TriageError as exc:
        return _unreadable(path, exc, common)
    found = mismatches(report, case.expect)
    status = "failed" if found else "passed"
    return Outcome(**common, status=status, mismatches=found, corrected=corrections(report))


def _unreadable(path: Path, exc: TriageError, common: dict) -> Outcome:
    """The outcome of a case that could not be read or checked, its error placed in its file."""
    placed = exc.located(str(path))
    error, reason = escape.visible(str(placed)), escape.visible(placed.reason)
    return Outcome(**common, status="error", error=error, reason=reason)


def corrections(report) -> list[str]:
    """The words of a case that were read only after a spelling correction ("hedache ->
    headache")."""
    return [via for u in report.understood or [] if u.how == "corrected" for via in u.via or []]


def replay(evaluator: Evaluator, paths: Iterable[Path], tags: Iterable[str] = ()) -> list[Outcome]:
    """The outcome of every case file, in order; with tags, only the cases carrying one."""
    wanted = set(tags)
    outcomes: list[Outcome] = []
    seen_tags: set[str] = set()
    for path in paths:
        try:
            case = read_case(path)
        except TriageError as exc:
            outcomes.append(_unreadable(path, exc, {"path": _shown(path)}))
            continue
        seen_tags.update(case.tags)
        if wanted and not wanted & set(case.tags):
            continue
        outcomes.append(replay_case(evaluator, path, case))
    for tag in sorted(wanted - seen_tags):
        raise unknown("tag", tag, sorted(seen_tags)).located("--tag")
    return outcomes


def _shown(path: Path) -> str:
    """A file name as every output can show it: a name that is not UTF-8, or that holds a
    control character, is written with visible escapes (\\xe9, \\x1b)."""
    return escape.visible(str(path))


def tally(outcomes: Iterable[Outcome]) -> Tally:
    counts = Tally()
    for outcome in outcomes:
        if outcome.status == "passed":
            counts.passed += 1
        elif outcome.status == "failed":
            counts.failed += 1
        else:
            counts.errors += 1
    return counts


def _relative(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path.relative_to(path.anchor) if path.is_absolute() else path


def junit_xml(outcomes: list[Outcome]) -> str:
    """A JUnit XML report of the replay, for CI systems; no timestamps, so it is reproducible."""
    counts = tally(outcomes)
    suite = ET.Element(
        "testsuite",
        name="triage replay",
        tests=str(len(outcomes)),
        failures=str(counts.failed),
        errors=str(counts.errors),
    )
    for outcome in outcomes:
        classname = ".".join(_relative(Path(outcome.path)).parts[:-1]) or "cases"
        case = ET.SubElement(
            suite,
            "testcase",
            classname=escape.xml_chars(classname),
            name=escape.xml_chars(outcome.case_id or Path(outcome.path).stem),
            file=escape.xml_chars(outcome.path),
        )
        if outcome.status == "failed":
            message = escape.xml_chars(str(outcome.mismatches[0]))
            failure = ET.SubElement(case, "failure", message=message)
            failure.text = escape.xml_chars("\n".join(str(m) for m in outcome.mismatches))
        elif outcome.status == "error":
            ET.SubElement(case, "error", message=escape.xml_chars(outcome.error or "unreadable"))
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


MIN_TITLE = 12  # a title cut shorter than this says nothing: it is left out


def describe(outcome: Outcome, width: int | None = None) -> list[str]:
    """The lines of the text report for one case: PASS, or FAIL and each difference. The
    case's line keeps its path whole; its title is shortened to fit `width`, if given."""
    path = escape.terminal(outcome.path)
    title = ""
    if outcome.title:
        shown = escape.terminal(outcome.title)
        if width is not None:
            room = width - len(f"PASS  {path}  ()")
            shown = textwrap.shorten(shown, room, placeholder="...") if room >= MIN_TITLE else ""
        title = f"  ({shown})" if shown else ""
    warnings = [
        escape.terminal(f"      warning: relied on a spelling correction: {correction}")
        for correction in outcome.corrected
    ]
    if outcome.status == "passed":
        return [f"PASS  {path}{title}", *warnings]
    if outcome.status == "error":
        return [f"ERROR {path}"]
    lines = [f"FAIL  {path}{title}"]
    for mismatch in outcome.mismatches:
        line = f"      - {mismatch.key}: expected {mismatch.expected}, got {mismatch.got}"
        lines.append(escape.terminal(line))
        if mismatch.because:
            lines.append(escape.terminal(f"        concluded by {', '.join(mismatch.because)}"))
    return lines + warnings

"""The command line: thin commands that parse, call the library, and render."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from triage import __version__
from triage.case import Case, parse_case, read_case
from triage.errors import EngineError, TriageError
from triage.evaluation import Evaluator
from triage.library import case_files, default_library
from triage.render import render_text
from triage.replay import describe, junit_xml, tally
from triage.replay import replay as replay_cases

FORMATS = click.Choice(["text", "json"])


def _evaluator() -> Evaluator:
    return Evaluator.load()


def _emit(evaluator: Evaluator, case: Case, output_format: str) -> None:
    report = evaluator.evaluate(case)
    if output_format == "json":
        click.echo(report.to_json())
    else:
        click.echo(render_text(report, evaluator.kb), nl=False)


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)


def _run_each(items: Iterable[Any], answer: Callable[[Any], None], total: int) -> int:
    """Answer every item; a bad one prints its error and the others still run."""
    bad = 0
    for item in items:
        try:
            answer(item)
        except TriageError as exc:
            _fail(str(exc))
            bad += 1
    if bad:
        if total > 1:
            click.echo(f"{total - bad} evaluated, {bad} bad", err=True)
        return 2
    return 0


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="triage")
def main() -> None:
    """triage: which metastatic sites do these findings point to, and why?

    A teaching tool built from one article on metastatic breast cancer. Educational use only:
    never medical advice.
    """


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=FORMATS, default="text", show_default=True)
def run(files: tuple[Path, ...], output_format: str) -> None:
    """Evaluate case files (YAML or JSON), one report per case, in the order given.

    A folder stands for every case file under it, in sorted order.
    """
    try:
        paths = case_files(files)
    except TriageError as exc:
        _fail(str(exc))
        sys.exit(2)
    evaluator = _evaluator()
    first = [True]

    def answer(path: Path) -> None:
        case = read_case(path)
        if output_format == "text" and not first[0]:
            click.echo("")
        try:
            _emit(evaluator, case, output_format)
        except TriageError as exc:
            raise exc.located(str(path)) from None
        first[0] = False

    sys.exit(_run_each(paths, answer, len(paths)))


def _single(values: tuple[str, ...], option: str) -> str | None:
    distinct = sorted(set(values))
    if len(distinct) > 1:
        raise TriageError(f"{option} is given twice with different values: {', '.join(distinct)}")
    return distinct[0] if distinct else None


def _labs(values: tuple[str, ...]) -> dict[str, str]:
    labs: dict[str, str] = {}
    for value in values:
        name, sep, measured = value.partition("=")
        if not sep or not name.strip() or not measured.strip():
            raise TriageError(f"--lab {value!r}: expected NAME=VALUE UNIT, e.g. calcium=12.1 mg/dL")
        if name.strip() in labs:
            raise TriageError(f"--lab {name.strip()} is given twice")
        labs[name.strip()] = measured.strip()
    return labs


RECEPTOR = click.Choice(["positive", "negative", "unknown"])


@main.command()
@click.argument("findings", nargs=-1)
@click.option("--absent", multiple=True, metavar="FINDING", help="A finding reported absent.")
@click.option(
    "--lab", "labs", multiple=True, metavar="NAME=VALUE UNIT", help="e.g. calcium=12.1 mg/dL"
)
@click.option("--er", multiple=True, type=RECEPTOR, help="Estrogen receptor status.")
@click.option("--pr", multiple=True, type=RECEPTOR, help="Progesterone receptor status.")
@click.option("--history", multiple=True, metavar="FLAG", help="e.g. lumpectomy_and_radiation")
@click.option("--progression", multiple=True, type=click.Choice(["rapid", "slow", "unknown"]))
@click.option("--id", "case_id", default="assess", show_default=True, help="The case's id.")
@click.option("--format", "output_format", type=FORMATS, default="text", show_default=True)
def assess(
    findings: tuple[str, ...],
    absent: tuple[str, ...],
    labs: tuple[str, ...],
    er: tuple[str, ...],
    pr: tuple[str, ...],
    history: tuple[str, ...],
    progression: tuple[str, ...],
    case_id: str,
    output_format: str,
) -> None:
    """Evaluate a case typed on the command line.

    Each FINDING is one argument: quote words that belong together, e.g.
    triage assess "pathological fracture" "bone pain" --er positive
    """

    def answer(_: None) -> None:
        data: dict[str, Any] = {
            "id": case_id,
            "findings": list(findings),
            "absent": list(absent),
            "labs": _labs(labs),
            "history": list(history),
        }
        receptors = {
            k: v for k, v in (("er", _single(er, "--er")), ("pr", _single(pr, "--pr"))) if v
        }
        if receptors:
            data["receptors"] = receptors
        chosen = _single(progression, "--progression")
        if chosen:
            data["progression"] = chosen
        _emit(_evaluator(), parse_case(data), output_format)

    sys.exit(_run_each([None], answer, 1))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--tag", "tags", multiple=True, help="Only the cases with this tag (repeatable).")
@click.option("--format", "output_format", type=FORMATS, default="text", show_default=True)
@click.option(
    "--junit",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a JUnit XML report to this file.",
)
def replay(
    paths: tuple[Path, ...], tags: tuple[str, ...], output_format: str, junit: Path | None
) -> None:
    """Check every case file's `expect` block against its report.

    PATHS are case files or folders (default: cases/ here, else the example library shipped
    with triage). Exit status: 0 all passed, 1 some failed, 2 some could not be read.
    """
    try:
        files = case_files(paths or [default_library()])
        outcomes = replay_cases(_evaluator(), files, tags)
    except TriageError as exc:
        _fail(str(exc))
        sys.exit(2)
    for outcome in outcomes:
        if outcome.error:
            _fail(outcome.error)
        if output_format == "json":
            click.echo(outcome.to_json())
        else:
            click.echo("\n".join(describe(outcome)))
    counts = tally(outcomes)
    click.echo(counts.line(), err=output_format == "json")
    if junit is not None:
        try:
            junit.write_text(junit_xml(outcomes), encoding="utf-8")
        except OSError as exc:
            _fail(f"--junit {junit}: {exc.strerror}")
            sys.exit(2)
    sys.exit(counts.exit_status)


def entry() -> None:
    """Run the CLI; an engine failure is reported in one line, never as a traceback."""
    try:
        main()
    except EngineError as exc:
        _fail(f"internal: {exc}")
        sys.exit(3)

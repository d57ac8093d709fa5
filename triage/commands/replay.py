"""`triage replay [PATHS...]`: check every case file's `expect` block against its report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from triage.commands._options import format_option
from triage.errors import TriageError


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--tag", "tags", multiple=True, help="Only the cases with this tag (repeatable).")
@format_option
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
    from triage.commands._output import fail, fit, width
    from triage.evaluation import Evaluator
    from triage.library import case_files, default_library
    from triage.replay import describe, junit_xml, tally
    from triage.replay import replay as replay_cases

    files = case_files(paths or [default_library()])
    wanted = tuple(tag.lower() for tag in tags)  # case files' tags are lowercase
    outcomes = replay_cases(Evaluator.load(), files, wanted)
    columns = width()
    for outcome in outcomes:
        if outcome.error:
            fail(outcome.error)
        if output_format == "json":
            click.echo(outcome.to_json())
        else:
            first, *rest = describe(outcome, columns)
            if outcome.reason:  # the reason on stdout too, under its ERROR line
                from triage.escape import terminal

                rest.append(f"      {terminal(outcome.reason)}")
            click.echo("\n".join([first, *fit(rest, columns)]))  # a case's line stays whole
    counts = tally(outcomes)
    click.echo(counts.line(), err=output_format == "json")
    if junit is not None:
        try:
            junit.write_text(junit_xml(outcomes), encoding="utf-8")
        except OSError as exc:
            raise TriageError(f"--junit {junit}: {exc.strerror}") from None
    sys.exit(counts.exit_status)

"""`triage run FILE...`: evaluate case files, one report per case."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from triage.commands._options import report_options
from triage.errors import TriageError


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@report_options
def run(
    files: tuple[Path, ...],
    output_format: str,
    why_not_target: str | None,
    explain: bool,
    output: Path | None,
) -> None:
    """Evaluate case files (YAML or JSON), one report per case, in the order given; several
    cases end with a summary of them all.

    A folder stands for every case file under it, in sorted order.
    """
    from triage.case import read_case
    from triage.commands._output import Output, check_why_not_format, fail, rendered
    from triage.evaluation import Evaluator
    from triage.library import case_files

    check_why_not_format(why_not_target, output_format)
    paths = case_files(files)
    for path in paths if output is not None and output.exists() else []:
        if path.exists() and output.samefile(path):
            raise TriageError(f"--output {output} is the case file {path}: it would be lost")
    sink = Output(output, output_format, len(paths))
    evaluator = Evaluator.load()
    reports: list = []
    styled = output is None  # emphasis on a terminal, never in a file
    bad = 0
    for path in paths:
        try:
            case = read_case(path)
            text = rendered(evaluator, case, sink.format, why_not_target, explain, reports, styled)
        except TriageError as exc:  # a bad case: its error line, and the others still run
            fail(str(exc.located(str(path))))
            bad += 1
            continue
        if sink.format in ("text", "markdown") and sink.added:
            sink.add("\n")
        sink.add(text)
    if bad and len(paths) > 1:
        click.echo(f"{len(paths) - bad} evaluated, {bad} bad", err=True)
    if len(paths) > 1 and sink.format == "text" and why_not_target is None:
        from triage import console
        from triage.render import render_run_summary

        unread = len(paths) - len(reports)
        width, style = console.width(), console.style() if styled else console.PLAIN
        sink.add(render_run_summary(reports, evaluator.kb, unread, width, style))
    sink.close()
    sys.exit(2 if bad else 0)

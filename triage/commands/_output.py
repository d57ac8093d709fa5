"""Where the commands' answers and error lines go: standard output or a file, one `error:`
line per bad input, the width of the terminal.

Only click is imported here; the rendering modules load when a command renders.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from triage.errors import TriageError

if TYPE_CHECKING:
    from triage.case import Case
    from triage.evaluation import Evaluator

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".pdf", ".bmp", ".webp", ".tif", ".tiff")


def fail(message: str) -> None:
    """Print one `error:` line on standard error: the one form every error takes."""
    from triage.escape import terminal  # a file name or typed text: shown, never obeyed

    click.echo(f"error: {terminal(message)}", err=True)


def output_failed(name: str, exc: OSError) -> NoReturn:
    """One error line and exit 2 when the output cannot be written; standard output is then
    pointed at /dev/null, so that Python's own flush at exit does not fail a second time."""
    fail(f"{name}: {exc.strerror or exc}")
    with contextlib.suppress(OSError, ValueError):  # not a real file: a test's captured output
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(2)


def width() -> int:
    from triage.console import width

    return width()


def fit(lines: list[str], width: int) -> list[str]:
    from triage.render import fit

    return fit(lines, width)


def check_why_not_format(why_not_target: str | None, output_format: str) -> None:
    if why_not_target is not None and output_format not in ("text", "json"):
        raise TriageError(f"--why-not answers in --format text or json, not {output_format}")


def rendered(
    evaluator: Evaluator,
    case: Case,
    output_format: str,
    why_not_target: str | None,
    explain: bool = False,
    reports: list | None = None,
    styled: bool = True,
) -> str:
    """One case's answer in the chosen format: the report, or the why-not answer; emphasis
    only when `styled` (standard output, not a file) and the terminal takes it."""
    from triage import console
    from triage.escape import json_text

    report = evaluator.evaluate(case)
    if reports is not None:
        reports.append(report)
    if why_not_target is not None:
        from triage.render import resolve_target
        from triage.whynot import describe as describe_why_not
        from triage.whynot import why_not

        try:
            target = resolve_target(evaluator.kb, why_not_target)
        except TriageError as exc:
            raise exc.located("--why-not") from None
        answer = why_not(evaluator.kb, report, target)
        if output_format == "json":
            return json_text(answer.to_json()) + "\n"
        return "\n".join(fit(describe_why_not(answer), console.width())) + "\n"
    if output_format == "json":  # one line for any reader: U+2028 in a title escaped
        return json_text(report.to_json()) + "\n"
    if output_format == "markdown":
        from triage.handout import render_markdown

        return render_markdown(report, evaluator.kb)
    if output_format == "dot":
        from triage.graph import to_dot

        return to_dot(report)
    if output_format == "mermaid":
        from triage.graph import to_mermaid

        return to_mermaid(report)
    from triage.render import render_text

    style = console.style() if styled else console.PLAIN
    return render_text(report, evaluator.kb, explain=explain, width=console.width(), style=style)


class Output:
    """Where answers go: standard output, a file, or an SVG drawn from the DOT graph."""

    def __init__(self, path: Path | None, output_format: str, cases: int) -> None:
        self.path = path
        self.svg = path is not None and path.suffix.lower() == ".svg"
        if path is not None and path.suffix.lower() in IMAGE_SUFFIXES:
            raise TriageError(
                f"--output {path}: triage draws only .svg images; use a .svg file (with"
                " --format dot) or a text file"
            )
        if self.svg and output_format not in ("text", "dot"):
            raise TriageError(f"--output {path}: an .svg file draws the graph; use --format dot")
        if self.svg and cases != 1:
            raise TriageError(f"--output {path}: an .svg file holds the graph of one case")
        self.format = "dot" if self.svg else output_format
        self.parts: list[str] = []
        self.added = 0  # texts added so far: a second one is set apart by a blank line

    def add(self, text: str) -> None:
        self.added += 1
        if self.path is None and not sys.stdout.isatty():
            try:
                click.echo(text, nl=False)
            except OSError as exc:  # a full disk, /dev/full, a closed pipe
                output_failed("standard output", exc)
        else:
            self.parts.append(text)  # a file, or a terminal's pager, takes it all at the end

    def close(self) -> None:
        if not self.parts:
            return
        if self.path is None:
            from triage.console import show

            show("".join(self.parts))  # through a pager when longer than the screen
            return
        if self.svg:
            from triage.graph import dot_to_svg

            data = dot_to_svg("".join(self.parts))
        else:
            data = "".join(self.parts).encode()
        try:
            self.path.write_bytes(data)
        except OSError as exc:
            raise TriageError(f"--output {self.path}: {exc.strerror}") from None

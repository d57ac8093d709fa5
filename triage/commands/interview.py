"""`triage interview`: enter what you know, then answer what a clinician would ask next."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from triage.errors import TriageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from triage.evaluation import Evaluator


def _line_reader(interactive: bool) -> Callable[[str], str | None]:
    """Read one line at a prompt; None at the end of input. Completion of the known words
    (findings, commands) with Tab when a person is at the terminal."""

    def read(prompt: str) -> str | None:
        try:
            return input(prompt) if interactive else _read_piped(prompt)
        except EOFError:
            return None

    return read


def _read_piped(prompt: str) -> str | None:
    click.echo(prompt, nl=False)
    line = sys.stdin.readline()
    if not line:
        click.echo("")
        return None
    click.echo(line.rstrip("\n"))
    return line.rstrip("\n")


def _enable_completion(evaluator: Evaluator) -> None:
    try:
        import readline
    except ImportError:  # not every platform has it; completion is a comfort, not a need
        return
    words = sorted(
        {phrase for phrase in evaluator.lexicon.findings.display.values()}
        | {"why", "how", "why-not", "show", "back", "done", "quit", "exit", "help"}
        | {"yes", "no", "unknown"}
    )

    def complete(text: str, state: int) -> str | None:
        matches = [w for w in words if w.lower().startswith(text.lower())]
        return matches[state] if state < len(matches) else None

    readline.set_completer_delims("")
    readline.set_completer(complete)
    readline.parse_and_bind("tab: complete")


@click.command()
@click.option("--id", "case_id", default="interview", show_default=True, help="The case's id.")
@click.option(
    "--save",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Save the session as a case file here when it ends.",
)
def interview(case_id: str, save: Path | None) -> None:
    """An interview: enter what you know, then answer what a clinician would ask next (at most
    12 questions); ask why, how NAME and why-not NAME at any prompt; save it as a case file
    whose `expect` block holds its outcome, so `triage replay` checks it."""
    from triage import console
    from triage.case import parse_case
    from triage.commands._output import fail
    from triage.evaluation import Evaluator
    from triage.interview import Interview, Session, save_case
    from triage.render import render_text

    if save is not None and save.exists():  # checked now, not after all the questions
        raise TriageError(f"--save {save}: already exists; choose another name")
    evaluator = Evaluator.load()
    session = Session(evaluator, parse_case({"id": case_id}).id)
    interactive = sys.stdin.isatty()
    if interactive:
        _enable_completion(evaluator)
    ask = _line_reader(interactive)
    width = console.width()
    report = Interview(session, ask, click.echo, width).run()
    click.echo("")
    click.echo(render_text(report, evaluator.kb, width=width, style=console.style()), nl=False)
    if save is None and interactive:
        name = ask("Save this session as a case file? File name (empty to skip): ")
        save = Path(name.strip()) if name and name.strip() else None
    while save is not None:
        try:
            save_case(session, save)
        except TriageError as exc:  # another name may do: the session is not lost
            fail(str(exc))
            name = ask("Another file name (empty to skip saving): ")
            if name is None:
                sys.exit(2)
            save = Path(name.strip()) if name.strip() else None
            continue
        click.echo(f"Saved to {save}: `triage replay {save}` checks this outcome again.")
        break

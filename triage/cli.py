"""The command line: the `triage` group, which finds its commands in `triage/commands/`, one
module per command, and turns bad input into one `error:` line."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Any

import click

from triage import __version__
from triage.errors import EngineError, TriageError

COMMANDS = Path(__file__).resolve().parent / "commands"


class _Commands(click.Group):
    """The command group: each command is the module of its name in triage/commands/, imported
    only when it is needed; bad input raised anywhere below it is one `error:` line, exit 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = (name.removesuffix(".py") for name in os.listdir(COMMANDS))
        return sorted(name for name in names if name.isidentifier() and not name.startswith("_"))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.list_commands(ctx):
            return None
        module = importlib.import_module(f"triage.commands.{cmd_name}")
        return getattr(module, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TriageError as exc:
            _bad_input(exc)


def _bad_input(exc: TriageError) -> None:
    from triage.commands._output import fail

    fail(str(exc))
    sys.exit(2)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="triage")
@click.option(
    "--rules",
    "rules_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Use the knowledge base in this folder (a course's own edition of rules/).",
)
def main(rules_dir: Path | None) -> None:
    """triage: which metastatic sites do these findings point to, and why?

    A teaching tool built from one article on metastatic breast cancer. Educational use only:
    never medical advice.
    """
    from triage.knowledge import use_rules

    use_rules(rules_dir)  # every command, and every process a command starts, loads these


def entry() -> None:
    """Run the CLI; an engine failure is reported in one line, never as a traceback."""
    from triage.commands._output import fail

    try:
        main()
    except EngineError as exc:
        fail(f"internal: {exc}")
        sys.exit(3)
    except Exception as exc:  # a bug in triage: still one line, and a status that says so
        fail(f"internal: {type(exc).__name__}: {exc} (please report this input)")
        sys.exit(3)

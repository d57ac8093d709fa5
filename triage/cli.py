"""The command line: the `triage` group, which finds its commands in `triage/commands/`, one
module per command, and turns bad input into one `error:` line."""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import click

from triage import __version__
from triage.errors import EngineError, TriageError

COMMANDS = Path(__file__).resolve().parent / "commands"
# The commands that answer once and end, in a process of their own: the garbage collector stays
# off for all of it (see `entry`). Every other command may run for long (a server, a batch, an
# interview) and turns it back on before it starts.
ONE_SHOT = frozenset({"assess", "rules", "vocab"})


class _Commands(click.Group):
    """The command group: each command is the module of its name in triage/commands/, imported
    only when it is needed. Bad input, raised by a command or found by click in the command
    line, is one `error:` line and exit 2, whichever command it comes from."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = (name.removesuffix(".py") for name in os.listdir(COMMANDS))
        return sorted(name for name in names if name.isidentifier() and not name.startswith("_"))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.list_commands(ctx):
            return None
        module = importlib.import_module(f"triage.commands.{cmd_name}")
        return getattr(module, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        with _one_error_line():
            return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        with _one_error_line():
            return super().invoke(ctx)


@contextlib.contextmanager
def _one_error_line() -> Iterator[None]:
    """The one place where bad input becomes one `error:` line and exit 2: a project error
    raised by any command, or a command line that click cannot parse (its usage message)."""
    try:
        yield
    except click.exceptions.NoArgsIsHelpError:
        raise  # `triage` or `triage rules` alone: the help, as asked
    except click.UsageError as exc:
        message = _usage_message(exc)
    except TriageError as exc:
        message = str(exc)
    else:
        return
    from triage.commands._output import fail

    fail(message)
    sys.exit(2)


def _usage_message(exc: click.UsageError) -> str:
    """click's message for a command line it cannot parse, in the project's form: where (the
    command), what is wrong, and for a mistyped option or command, the close ones."""
    # An option missing its value comes without its command: click's parser does not say.
    command = exc.ctx.command_path if exc.ctx is not None else None
    where = f"{command}: " if command else ""
    unknown = _unknown_name(exc)
    if unknown is not None:
        kind, name, close = unknown
        hint = f"; did you mean {', '.join(repr(c) for c in sorted(close))}?" if close else ""
        hint = hint or f"; see '{command or 'triage'} --help'"
        return f"{where}unknown {kind} {name!r}{hint}"
    if isinstance(exc, click.BadParameter) and not isinstance(exc, click.MissingParameter):
        reason = exc.message.rstrip(".")
        if isinstance(exc.param, click.Option):
            return f"{where}{max(exc.param.opts, key=len)}: {reason}"
        if exc.param is not None:
            return f"{where}{exc.param.human_readable_name}: {reason}"
    message = exc.format_message().rstrip(".")
    return f"{where}{message[:1].lower()}{message[1:]}"


def _unknown_name(exc: click.UsageError) -> tuple[str, str, list[str]] | None:
    """For a mistyped option or command: its kind, the name typed and the close names."""
    if isinstance(exc, click.NoSuchOption):
        return "option", exc.option_name, list(exc.possibilities or [])
    no_such_command = getattr(click.exceptions, "NoSuchCommand", None)  # click 8.4 on
    if no_such_command is not None and isinstance(exc, no_such_command) and exc.ctx is not None:
        # The group lists its commands only when asked (they are imported when run).
        names = exc.ctx.command.list_commands(exc.ctx)  # type: ignore[attr-defined]
        import difflib  # only a mistyped command needs it

        return "command", exc.command_name, difflib.get_close_matches(exc.command_name, names)
    return None


@click.group("triage", cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="triage")
@click.option(
    "--rules",
    "rules_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Use the knowledge base in this folder (a course's own edition of rules/).",
)
@click.pass_context
def main(ctx: click.Context, rules_dir: Path | None) -> None:
    """triage: which metastatic sites do these findings point to, and why?

    A teaching tool built from one article on metastatic breast cancer. Educational use only:
    never medical advice.
    """
    from triage.knowledge import use_rules

    use_rules(rules_dir)  # every command, and every process a command starts, loads these
    if ctx.invoked_subcommand not in ONE_SHOT:
        _collect_again()


_deferred_collection = False  # whether `entry` turned the garbage collector off


def _collect_again() -> None:
    """Turn the garbage collector back on if `entry` turned it off, with what the start made
    (modules, classes) kept out of its way for good (`gc.freeze`)."""
    global _deferred_collection
    if _deferred_collection:
        _deferred_collection = False
        gc.freeze()
        gc.enable()


def entry() -> NoReturn:
    """Run the CLI as the `triage` command; an engine failure is reported in one line, never
    as a traceback."""
    global _deferred_collection
    from triage.commands._output import fail

    # A start makes objects that live as long as the process (modules, classes, the knowledge
    # base) and little garbage: the garbage collector would only walk them again and again
    # (~8 ms of `triage assess`). It is off until the command starts, and for a command that
    # answers once and ends (ONE_SHOT), until the process ends.
    if gc.isenabled():
        gc.disable()
        _deferred_collection = True
    started_in = os.getpid()
    try:
        main()
    except SystemExit as exc:
        status = exc.code
    except EngineError as exc:
        fail(f"internal: {exc}")
        status = 3
    except Exception as exc:  # a bug in triage: still one line, and a status that says so
        fail(f"internal: {type(exc).__name__}: {exc} (please report this input)")
        status = 3
    else:
        status = 0
    _end(status, started_in)


def _end(status: Any, started_in: int) -> NoReturn:
    """End the command's process with this status, as `sys.exit` does, but without the
    interpreter's teardown, which frees every object of the process one by one (~7 ms of
    `triage assess`, a twentieth of its start): the exit functions run, the standard streams
    are flushed, and the process ends. Anything out of the ordinary takes the usual way out:
    a status that is not a number, a thread still running (Python waits for it), a stream
    that cannot be flushed (Python reports it), a process that is not the one that started
    (a worker forked from it)."""
    threading = sys.modules.get("threading")  # no thread was started if it was never imported
    others = threading.enumerate() if threading is not None else []
    waited = [t for t in others if not t.daemon and t is not threading.current_thread()]
    if not (isinstance(status, int) or status is None) or waited or os.getpid() != started_in:
        sys.exit(status)
    atexit._run_exitfuncs()  # what Python runs at exit (e.g. multiprocessing's clean-up)
    try:  # the streams in use, and the process's own if they were replaced
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            if stream is not None:
                stream.flush()
    except Exception:  # Python's own exit says what went wrong, and how
        sys.exit(status)
    os._exit(status or 0)

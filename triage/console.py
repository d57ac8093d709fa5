"""The terminal the command line writes to: its width, whether it takes colour, and a pager
for output longer than the screen (as git does). Nothing here decides what is said."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass

MIN_WIDTH = 60
MAX_WIDTH = 100
DEFAULT_PAGER = "less -FRX"  # git's: quit if one screen, keep colour, leave the text shown


def width() -> int:
    """The width to wrap text to: COLUMNS, else the terminal's, else 80; kept in 60..100."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        size = int(columns)
    else:
        size = shutil.get_terminal_size((80, 24)).columns
    return max(MIN_WIDTH, min(MAX_WIDTH, size))


def colour_wanted(stream=None) -> bool:
    """Colour and emphasis only on a terminal, never with NO_COLOR (https://no-color.org)
    or TERM=dumb."""
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


@dataclass(frozen=True)
class Style:
    """ANSI emphasis, or none: every method returns the text unchanged when off."""

    on: bool = False

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.on and text else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def good(self, text: str) -> str:
        return self._wrap("32", text)

    def warn(self, text: str) -> str:
        return self._wrap("33", text)

    def bad(self, text: str) -> str:
        return self._wrap("31", text)


PLAIN = Style(False)


def style() -> Style:
    return Style(colour_wanted())


def _pager_command() -> list[str] | None:
    import shlex

    command = os.environ.get("TRIAGE_PAGER", os.environ.get("PAGER", DEFAULT_PAGER)).strip()
    if not command or command == "cat":
        return None
    try:
        return shlex.split(command)
    except ValueError:
        return None


def show(text: str) -> None:
    """Write text to standard output; through the pager when it is longer than a terminal's
    screen (never when piped)."""
    out = sys.stdout
    if not out.isatty() or text.count("\n") < shutil.get_terminal_size((80, 24)).lines:
        out.write(text)
        out.flush()
        return
    command = _pager_command()
    if command is None:
        out.write(text)
        out.flush()
        return
    import subprocess  # only a long text on a terminal needs it: a faster start

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    try:
        pager = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
    except OSError:  # no such pager: show the text as it is
        out.write(text)
        out.flush()
        return
    try:
        assert pager.stdin is not None
        pager.stdin.write(text.encode(out.encoding or "utf-8", errors="replace"))
        pager.stdin.close()
    except (BrokenPipeError, KeyboardInterrupt):  # the reader quit the pager early, or Ctrl-C
        pass
    pager.wait()

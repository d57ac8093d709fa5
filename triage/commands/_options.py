"""The options several commands share, bundled: a command module takes the bundle it needs.

Only click is imported here; what an option needs to do its work (shell completion loads the
knowledge base) is imported when it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

FORMATS = click.Choice(["text", "json"])
REPORT_FORMATS = click.Choice(["text", "json", "markdown", "dot", "mermaid"])
REPORT_FORMAT_HELP = (
    "text: readable report; json: JSON Lines; markdown: a one-page handout; "
    "dot or mermaid: the explanation graph."
)
OUTPUT_HELP = "Write to this file instead of standard output; a .svg file draws the graph."
WHY_NOT_HELP = (
    "Instead of the report: why this site, test or treatment is (not) concluded, "
    "what was missing or what overrode it."
)
EXPLAIN_HELP = "Also show how each conclusion was reached (always in --format markdown)."
LIBRARY_HELP = "Case files or folders to run (default: cases/ here, else the shipped examples)."
RECEPTOR = click.Choice(["positive", "negative", "unknown"])


def completer(kind: str) -> Callable[[Any, Any, str], list[str]]:
    """Shell completion (see the README): findings, history flags, rule ids, or the sites,
    tests and treatments --why-not takes, starting with what is typed."""

    def complete(_context: Any, _parameter: Any, typed: str) -> list[str]:
        return _completions(kind, typed)

    return complete


def _completions(kind: str, typed: str) -> list[str]:
    from triage.knowledge import load

    kb = load()
    words = {
        "finding": [f.id for f in kb.findings],
        "history": [h.id for h in kb.catalogue.history],
        "rule": [rule.id for rule in kb.rules],
        "why-not": [
            c.id for c in [*kb.catalogue.sites, *kb.catalogue.tests, *kb.catalogue.treatments]
        ],
    }[kind]
    return [word for word in words if word.startswith(typed.lower())]


def format_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--format text or json (the default shown in --help)."""
    return click.option(
        "--format", "output_format", type=FORMATS, default="text", show_default=True
    )(command)


def cases_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--cases: the case library a rule tool runs (repeatable)."""
    return click.option(
        "--cases", "paths", multiple=True, type=click.Path(path_type=Path), help=LIBRARY_HELP
    )(command)


def report_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options of a command that reports on cases (`run`, `assess`): --format, --why-not,
    --explain and --output."""
    for option in reversed(
        [
            click.option(
                "--format",
                "output_format",
                type=REPORT_FORMATS,
                default="text",
                help=REPORT_FORMAT_HELP,
            ),
            click.option(
                "--why-not",
                "why_not_target",
                metavar="ID",
                help=WHY_NOT_HELP,
                shell_complete=completer("why-not"),
            ),
            click.option("--explain", is_flag=True, help=EXPLAIN_HELP),
            click.option(
                "--output", type=click.Path(dir_okay=False, path_type=Path), help=OUTPUT_HELP
            ),
        ]
    ):
        command = option(command)
    return command

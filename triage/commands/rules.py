"""`triage rules list|show|lint|coverage`: read and check the knowledge base."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from triage.commands._options import cases_option, completer, format_option


def _library(paths: tuple[Path, ...]) -> list[Path]:
    from triage.errors import TriageError
    from triage.library import case_files, default_library

    for path in paths:
        if not path.exists():
            raise TriageError(f"--cases {path}: no such file or folder")
    return case_files(paths or [default_library()])


@click.group()
def rules() -> None:
    """Read and check the knowledge base: list, show, lint, coverage."""


@rules.command("list")
@format_option
def rules_list(output_format: str) -> None:
    """Every rule: its id, what it concludes, and its statement."""
    from triage.commands._output import fit, width
    from triage.knowledge import load
    from triage.reference import rule_view

    kb = load()
    if output_format == "json":
        for rule in kb.rules:
            click.echo(rule_view(kb, rule).to_json())
        return
    from triage.console import show

    lines = [line for r in kb.rules for line in (f"{r.id}  -> {r.then}", f"    {r.statement}")]
    show("\n".join(fit(lines, width())) + "\n")  # through a pager on a terminal


@rules.command("show")
@click.argument("rule_id", shell_complete=completer("rule"))
@cases_option
@format_option
def rules_show(rule_id: str, paths: tuple[Path, ...], output_format: str) -> None:
    """Everything about one rule: its condition, conclusion, quote, neighbours, and the cases
    of the library that fire it."""
    from triage.commands._output import fail, fit, width
    from triage.evaluation import Evaluator
    from triage.library import run_library
    from triage.reference import describe_rule, find_rule, rule_view

    evaluator = Evaluator.load()
    rule = find_rule(evaluator.kb, rule_id)
    run = run_library(evaluator, _library(paths))
    for error in run.errors:
        fail(error)
    view = rule_view(evaluator.kb, rule, fired_by=run.fired_by.get(rule.id, []))
    if output_format == "json":
        click.echo(view.to_json())
    else:
        click.echo("\n".join(fit(describe_rule(view), width())))
    sys.exit(2 if run.errors else 0)


@rules.command("lint")
@cases_option
@format_option
@click.option(
    "--effects",
    is_flag=True,
    help="Also remove each rule in turn and name those whose removal changes no library case.",
)
def rules_lint(paths: tuple[Path, ...], output_format: str, effects: bool) -> None:
    """Problems in the knowledge base: unknown ids, quotes not in the article, duplicate ids,
    shape errors, contradictory or impossible rules, rules no case fires. Exit 1 on any
    problem."""
    from triage.commands._output import fit, width
    from triage.lint import lint

    problems = lint(None, _library(paths), effects)
    for problem in problems:
        if output_format == "json":
            click.echo(problem.model_dump_json())
        else:
            click.echo("\n".join(fit([str(problem)], width())))
    count = len(problems)
    summary = f"{count} problem{'s' if count != 1 else ''}" if count else "no problems"
    click.echo(summary, err=output_format == "json")
    sys.exit(1 if problems else 0)


@rules.command("coverage")
@click.option("--all", "show_all", is_flag=True, help="Also list the background statements.")
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    help="Exit 1 when coverage is below this percentage.",
)
@format_option
def rules_coverage(show_all: bool, fail_under: float | None, output_format: str) -> None:
    """The article's statements about sites, symptoms, tests, treatments and prognosis, each
    with the rules and entries that quote it, and the percentage quoted."""
    from triage.commands._output import fit, width
    from triage.coverage import coverage
    from triage.knowledge import load

    result = coverage(load())
    for statement in result.statements:
        if not (show_all or statement.topic != "background"):
            continue
        if output_format == "json":
            click.echo(statement.model_dump_json(exclude_none=True))
            continue
        mark = "-" if statement.set_aside else "x" if statement.quoted_by else " "
        lines = [f"[{mark}] {statement.line:>3} {statement.topic:<10} {statement.text}"]
        if statement.set_aside:
            lines.append(f"                   set aside: {statement.set_aside}")
        elif statement.quoted_by:
            lines.append(f"                   quoted by: {', '.join(statement.quoted_by)}")
        click.echo("\n".join(fit(lines, width())))
    scope = len(result.in_scope)
    summary = (
        f"coverage: {len(result.covered)} of {scope} statements about sites, symptoms, tests,"
        f" treatments and prognosis are quoted ({result.percent:.1f}%)"
    )
    click.echo("\n".join(fit([summary], width())), err=output_format == "json")
    sys.exit(1 if fail_under is not None and result.percent < fail_under else 0)

"""The command line: thin commands that parse, call the library, and render."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from triage import __version__
from triage.case import Case, parse_case, read_case
from triage.errors import EngineError, TriageError
from triage.evaluation import Evaluator
from triage.knowledge import load, use_rules
from triage.library import case_files, default_library, run_library
from triage.render import render_text

# Each command imports what only it needs, when it runs: `triage assess` starts in a fraction
# of a second, without loading the interview, replay, graphs, handouts or rule tooling.

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


def _evaluator() -> Evaluator:
    return Evaluator.load()


EXPLAIN_HELP = "Also show how each conclusion was reached (always in --format markdown)."


def _check_why_not_format(why_not_target: str | None, output_format: str) -> None:
    if why_not_target is not None and output_format not in ("text", "json"):
        raise TriageError(f"--why-not answers in --format text or json, not {output_format}")


def _rendered(
    evaluator: Evaluator,
    case: Case,
    output_format: str,
    why_not_target: str | None,
    explain: bool = False,
    reports: list | None = None,
    styled: bool = True,
):
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
        from triage.render import fit

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
    style = console.style() if styled else console.PLAIN
    return render_text(report, evaluator.kb, explain=explain, width=console.width(), style=style)


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".pdf", ".bmp", ".webp", ".tif", ".tiff")


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

    def add(self, text: str) -> None:
        if self.path is None and not sys.stdout.isatty():
            try:
                click.echo(text, nl=False)
            except OSError as exc:  # a full disk, /dev/full, a closed pipe
                _output_failed("standard output", exc)
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


def _width() -> int:
    from triage.console import width

    return width()


def _fit(lines: list[str], width: int) -> list[str]:
    from triage.render import fit

    return fit(lines, width)


def _completer(kind: str) -> Callable[[Any, Any, str], list[str]]:
    """Shell completion (see the README): findings, history flags, rule ids, or the sites,
    tests and treatments --why-not takes, starting with what is typed."""

    def complete(_context: Any, _parameter: Any, typed: str) -> list[str]:
        return _completions(kind, typed)

    return complete


def _completions(kind: str, typed: str) -> list[str]:
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


def _fail(message: str) -> None:
    from triage.escape import terminal  # a file name or typed text: shown, never obeyed

    click.echo(f"error: {terminal(message)}", err=True)


def _output_failed(name: str, exc: OSError) -> None:
    """One error line and exit 2 when the output cannot be written; standard output is then
    pointed at /dev/null, so that Python's own flush at exit does not fail a second time."""
    _fail(f"{name}: {exc.strerror or exc}")
    with contextlib.suppress(OSError, ValueError):  # not a real file: a test's captured output
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(2)


def _bad_input(exc: TriageError) -> None:
    _fail(str(exc))
    sys.exit(2)


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


class _Commands(click.Group):
    """The command group: bad input raised anywhere below it is one `error:` line, exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TriageError as exc:
            _bad_input(exc)


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
    use_rules(rules_dir)  # every command, and every process a command starts, loads these


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
                shell_complete=_completer("why-not"),
            ),
            click.option("--explain", is_flag=True, help=EXPLAIN_HELP),
            click.option(
                "--output", type=click.Path(dir_okay=False, path_type=Path), help=OUTPUT_HELP
            ),
        ]
    ):
        command = option(command)
    return command


@main.command()
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
    try:
        _check_why_not_format(why_not_target, output_format)
        paths = case_files(files)
        for path in paths if output is not None and output.exists() else []:
            if path.exists() and output.samefile(path):
                raise TriageError(f"--output {output} is the case file {path}: it would be lost")
        sink = Output(output, output_format, len(paths))
    except TriageError as exc:
        _bad_input(exc)
    evaluator = _evaluator()
    first = [True]
    reports: list = []

    def answer(path: Path) -> None:
        case = read_case(path)
        try:
            text = _rendered(
                evaluator, case, sink.format, why_not_target, explain, reports, output is None
            )
        except TriageError as exc:
            raise exc.located(str(path)) from None
        if sink.format in ("text", "markdown") and not first[0]:
            sink.add("\n")
        sink.add(text)
        first[0] = False

    status = _run_each(paths, answer, len(paths))
    if len(paths) > 1 and sink.format == "text" and why_not_target is None:
        from triage import console
        from triage.render import render_run_summary

        bad = len(paths) - len(reports)
        width, style = console.width(), console.style() if output is None else console.PLAIN
        sink.add(render_run_summary(reports, evaluator.kb, bad, width, style))
    try:
        sink.close()
    except TriageError as exc:
        _bad_input(exc)
    sys.exit(status)


def _single(values: tuple[str, ...], option: str) -> str | None:
    distinct = sorted(set(values))
    if len(distinct) > 1:
        raise TriageError(f"{option} is given twice with different values: {', '.join(distinct)}")
    return distinct[0] if distinct else None


_LAB_WITHOUT_EQUALS = re.compile(r"^\s*(\S.*?)\s+([-+]?[\d.,]+\s*[^\d\s]*)\s*$")


def _labs(values: tuple[str, ...]) -> dict[str, str]:
    labs: dict[str, str] = {}
    for value in values:
        name, sep, measured = value.partition("=")
        spaced = _LAB_WITHOUT_EQUALS.match(value) if not sep else None
        if spaced:  # "calcium 12.1 mg/dL", as the interview takes it
            name, sep, measured = spaced[1], "=", spaced[2]
        if not sep or not name.strip() or not measured.strip():
            raise TriageError(
                f"--lab {value!r}: expected NAME=VALUE UNIT or NAME VALUE UNIT,"
                " e.g. calcium=12.1 mg/dL"
            )
        if name.strip() in labs:
            raise TriageError(f"--lab {name.strip()} is given twice")
        labs[name.strip()] = measured.strip()
    return labs


RECEPTOR = click.Choice(["positive", "negative", "unknown"])


@main.command()
@click.argument("findings", nargs=-1, shell_complete=_completer("finding"))
@click.option(
    "--absent",
    multiple=True,
    metavar="FINDING",
    help="A finding reported absent.",
    shell_complete=_completer("finding"),
)
@click.option(
    "--text",
    metavar="TEXT",
    help="What the patient reports, in sentences: every finding is read, a denied one as absent.",
)
@click.option(
    "--lab", "labs", multiple=True, metavar="NAME=VALUE UNIT", help="e.g. calcium=12.1 mg/dL"
)
@click.option("--er", multiple=True, type=RECEPTOR, help="Estrogen receptor status.")
@click.option("--pr", multiple=True, type=RECEPTOR, help="Progesterone receptor status.")
@click.option(
    "--history",
    multiple=True,
    metavar="FLAG",
    help="e.g. lumpectomy_and_radiation",
    shell_complete=_completer("history"),
)
@click.option("--progression", multiple=True, type=click.Choice(["rapid", "slow", "unknown"]))
@click.option("--id", "case_id", default="assess", show_default=True, help="The case's id.")
@report_options
def assess(
    findings: tuple[str, ...],
    absent: tuple[str, ...],
    text: str | None,
    labs: tuple[str, ...],
    er: tuple[str, ...],
    pr: tuple[str, ...],
    history: tuple[str, ...],
    progression: tuple[str, ...],
    case_id: str,
    output_format: str,
    why_not_target: str | None,
    explain: bool,
    output: Path | None,
) -> None:
    """Evaluate a case typed on the command line.

    Each FINDING is one argument: quote words that belong together, e.g.
    triage assess "pathological fracture" "bone pain" --er positive.
    A FINDING may be a sentence or a denial ("no headache"); --text reads a whole story.
    """

    def answer(_: None) -> None:
        data: dict[str, Any] = {
            "id": case_id,
            "findings": list(findings),
            "absent": list(absent),
            "labs": _labs(labs),
            "history": list(history),
        }
        if text is not None:
            data["narrative"] = text
        receptors = {
            k: v for k, v in (("er", _single(er, "--er")), ("pr", _single(pr, "--pr"))) if v
        }
        if receptors:
            data["receptors"] = receptors
        chosen = _single(progression, "--progression")
        if chosen:
            data["progression"] = chosen
        _check_why_not_format(why_not_target, output_format)
        sink = Output(output, output_format, 1)
        case = parse_case(data)
        styled = output is None
        sink.add(_rendered(_evaluator(), case, sink.format, why_not_target, explain, None, styled))
        sink.close()

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
    from triage.replay import describe, junit_xml, tally
    from triage.replay import replay as replay_cases

    try:
        files = case_files(paths or [default_library()])
        wanted = tuple(tag.lower() for tag in tags)  # case files' tags are lowercase
        outcomes = replay_cases(_evaluator(), files, wanted)
    except TriageError as exc:
        _fail(str(exc))
        sys.exit(2)
    width = _width()
    for outcome in outcomes:
        if outcome.error:
            _fail(outcome.error)
        if output_format == "json":
            click.echo(outcome.to_json())
        else:
            first, *rest = describe(outcome)
            if outcome.error:  # the reason on stdout too, under its ERROR line
                from triage.escape import terminal

                reason = outcome.error.removeprefix(f"{outcome.path}: ")
                rest.append(f"      {terminal(reason)}")
            click.echo("\n".join([first, *_fit(rest, width)]))  # a case's line stays whole
    counts = tally(outcomes)
    click.echo(counts.line(), err=output_format == "json")
    if junit is not None:
        try:
            junit.write_text(junit_xml(outcomes), encoding="utf-8")
        except OSError as exc:
            _fail(f"--junit {junit}: {exc.strerror}")
            sys.exit(2)
    sys.exit(counts.exit_status)


def _line_reader(interactive: bool):
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


@main.command()
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
    from triage.interview import Interview, Session, save_case

    if save is not None and save.exists():  # checked now, not after all the questions
        _bad_input(TriageError(f"--save {save}: already exists; choose another name"))
    evaluator = _evaluator()
    try:
        session = Session(evaluator, parse_case({"id": case_id}).id)
    except TriageError as exc:
        _bad_input(exc)
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
        except TriageError as exc:
            _fail(str(exc))
            name = ask("Another file name (empty to skip saving): ")
            if name is None:
                sys.exit(2)
            save = Path(name.strip()) if name.strip() else None
            continue
        click.echo(f"Saved to {save}: `triage replay {save}` checks this outcome again.")
        break


LIBRARY_HELP = "Case files or folders to run (default: cases/ here, else the shipped examples)."


def _library(paths: tuple[Path, ...]) -> list[Path]:
    for path in paths:
        if not path.exists():
            raise TriageError(f"--cases {path}: no such file or folder")
    return case_files(paths or [default_library()])


@main.group()
def rules() -> None:
    """Read and check the knowledge base: list, show, lint, coverage."""


@rules.command("list")
@click.option("--format", "output_format", type=FORMATS, default="text", show_default=True)
def rules_list(output_format: str) -> None:
    """Every rule: its id, what it concludes, and its statement."""
    from triage.reference import rule_view

    kb = load()
    if output_format == "json":
        for rule in kb.rules:
            click.echo(rule_view(kb, rule).to_json())
        return
    from triage.console import show

    lines = [line for r in kb.rules for line in (f"{r.id}  -> {r.then}", f"    {r.statement}")]
    show("\n".join(_fit(lines, _width())) + "\n")  # through a pager on a terminal


@rules.command("show")
@click.argument("rule_id", shell_complete=_completer("rule"))
@click.option("--cases", "paths", multiple=True, type=click.Path(path_type=Path), help=LIBRARY_HELP)
@click.option("--format", "output_format", type=FORMATS, default="text", show_default=True)
def rules_show(rule_id: str, paths: tuple[Path, ...], output_format: str) -> None:
    """Everything about one rule: its condition, conclusion, quote, neighbours, and the cases
    of the library that fire it."""
    from triage.reference import describe_rule, find_rule, rule_view

    evaluator = _evaluator()
    try:
        rule = find_rule(evaluator.kb, rule_id)
        run = run_library(evaluator, _library(paths))
    except TriageError as exc:
        _bad_input(exc)
    for error in run.errors:
        _fail(error)
    view = rule_view(evaluator.kb, rule, fired_by=run.fired_by.get(rule.id, []))
    if output_format == "json":
        click.echo(view.to_json())
    else:
        click.echo("\n".join(_fit(describe_rule(view), _width())))
    sys.exit(2 if run.errors else 0)


@rules.command("lint")
@click.option("--cases", "paths", multiple=True, type=click.Path(path_type=Path), help=LIBRARY_HELP)
@click.option("--format", "output_format", type=FORMATS, default="text", show_default=True)
@click.option(
    "--effects",
    is_flag=True,
    help="Also remove each rule in turn and name those whose removal changes no library case.",
)
def rules_lint(paths: tuple[Path, ...], output_format: str, effects: bool) -> None:
    """Problems in the knowledge base: unknown ids, quotes not in the article, duplicate ids,
    shape errors, contradictory or impossible rules, rules no case fires. Exit 1 on any
    problem."""
    from triage.lint import lint

    try:
        problems = lint(None, _library(paths), effects)
    except TriageError as exc:
        _bad_input(exc)
    for problem in problems:
        if output_format == "json":
            click.echo(problem.model_dump_json())
        else:
            click.echo("\n".join(_fit([str(problem)], _width())))
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
@click.option("--format", "output_format", type=FORMATS, default="text", show_default=True)
def rules_coverage(show_all: bool, fail_under: float | None, output_format: str) -> None:
    """The article's statements about sites, symptoms, tests, treatments and prognosis, each
    with the rules and entries that quote it, and the percentage quoted."""
    from triage.coverage import coverage

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
        click.echo("\n".join(_fit(lines, _width())))
    scope = len(result.in_scope)
    summary = (
        f"coverage: {len(result.covered)} of {scope} statements about sites, symptoms, tests,"
        f" treatments and prognosis are quoted ({result.percent:.1f}%)"
    )
    click.echo("\n".join(_fit([summary], _width())), err=output_format == "json")
    sys.exit(1 if fail_under is not None and result.percent < fail_under else 0)


@main.command()
@click.argument("word", required=False, shell_complete=_completer("finding"))
@click.option("--format", "output_format", type=FORMATS, default="text", show_default=True)
def vocab(word: str | None, output_format: str) -> None:
    """The findings, the words that name them and the sites they point to; with a WORD, the
    finding it names or the closest ones."""
    from triage.reference import closest_findings, describe_finding, finding_views

    evaluator = _evaluator()
    try:
        views = (
            closest_findings(evaluator.kb, evaluator.lexicon, word)
            if word is not None
            else finding_views(evaluator.kb)
        )
    except TriageError as exc:
        _bad_input(exc)
    if output_format == "json":
        for view in views:
            click.echo(view.to_json())
        return
    width = _width()
    if word is not None and evaluator.lexicon.findings.lookup(word) is None:
        click.echo("\n".join(_fit([f"{word!r} is not a known finding; the closest:"], width)))
    text = "\n\n".join("\n".join(_fit(describe_finding(view), width)) for view in views)
    from triage.console import show

    show(text + "\n")


@main.command()
@click.argument("source", metavar="INPUT", type=click.Path(path_type=Path, allow_dash=True))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    default="-",
    help="Where the JSON lines go (default: standard output); never the input.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to spread the cases over (default and most: the usable cores).",
)
@click.option("--force-workers", is_flag=True, help="Start --workers even if above the cores.")
@click.option(
    "--shard-seconds",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Time a worker may take over one shard of 32 cases before it is replaced and the"
    " shard tried again (default: 120).",
)
def batch(
    source: Path,
    output: Path,
    workers: int | None,
    force_workers: bool,
    shard_seconds: float | None,
) -> None:
    """Evaluate a whole cohort: one JSON report per line, in input order.

    INPUT is a JSON Lines file or stream (e.g. <(zcat cohort.jsonl.gz)), a folder of case
    files, or - for standard input. Every case gets exactly one line: a bad case, or one whose
    worker failed twice, gets a line with its error and the batch goes on; the summary goes to
    standard error. SIGINT, SIGTERM and SIGHUP stop the batch with its lines so far complete.
    """
    from triage import batch as batches  # worker processes: imported only when a batch runs

    try:
        items = batches.read_items(source)
        batches.refuse_output_onto_input(source, output)
        items = batches.first_and_rest(items, source)
        total = batches.count_items(source) if sys.stderr.isatty() else None  # for the bar
        sink = click.open_file(str(output), "w", encoding="utf-8")
    except TriageError as exc:
        _bad_input(exc)
    except OSError as exc:
        _bad_input(TriageError(f"--output {output}: {exc.strerror}"))
    workers, note = batches.worker_count(workers, force_workers)
    if note:
        click.echo(f"note: {note}", err=True)
    seconds = shard_seconds or batches.SHARD_SECONDS
    written = [0]

    def write(line: str) -> None:
        sink.write(line)
        written[0] += 1

    try:
        with batches.stop_on_signals(), sink, _progress(total) as progress:

            def on_answer(answer: batches.Answer) -> None:
                if answer.error is not None:
                    progress.write(f"error: {answer.error}", file=sys.stderr)
                progress.update()

            summary = batches.run_batch(items, write, workers, on_answer, shard_seconds=seconds)
    except batches.Stopped as stop:
        _fail(f"stopped by {stop.name} after {written[0]} cases; each line written is whole")
        sys.exit(128 + stop.signum)
    except OSError as exc:  # the output cannot be written: a full disk, /dev/full, a closed pipe
        _output_failed("standard output" if str(output) == "-" else f"--output {output}", exc)
    click.echo(summary.describe(), err=True)
    sys.exit(3 if summary.internal else 2 if summary.bad else 0)


def _progress(total: int | None) -> Any:
    """A progress bar with rate and time left on stderr when it is a terminal; else silent.
    Its `write` prints a line above the bar (errors), and still prints when the bar is off."""
    from tqdm import tqdm

    return tqdm(
        total=total,
        unit=" cases",
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
        mininterval=0.2,
        smoothing=0.1,
        dynamic_ncols=True,
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1))
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a web browser.")
def serve(host: str, port: int, workers: int, open_browser: bool) -> None:
    """The classroom page and the HTTP API (/api/...; its description at /api/openapi.json)."""
    from triage.web.serve import serve as run_server  # the web stack loads only here

    run_server(host, port, workers, open_browser)


def entry() -> None:
    """Run the CLI; an engine failure is reported in one line, never as a traceback."""
    try:
        main()
    except EngineError as exc:
        _fail(f"internal: {exc}")
        sys.exit(3)
    except Exception as exc:  # a bug in triage: still one line, and a status that says so
        _fail(f"internal: {type(exc).__name__}: {exc} (please report this input)")
        sys.exit(3)

"""`triage assess [FINDING...]`: evaluate a case typed on the command line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click

from triage.commands._options import RECEPTOR, completer, report_options
from triage.errors import TriageError


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


@click.command()
@click.argument("findings", nargs=-1, shell_complete=completer("finding"))
@click.option(
    "--absent",
    multiple=True,
    metavar="FINDING",
    help="A finding reported absent.",
    shell_complete=completer("finding"),
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
    shell_complete=completer("history"),
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
    from triage.case import parse_case
    from triage.commands._output import Output, check_why_not_format, rendered
    from triage.evaluation import Evaluator

    if not (findings or absent or text is not None or labs or er or pr or history or progression):
        raise TriageError("nothing to assess: give a finding, --text or --absent (see --help)")
    data: dict[str, Any] = {
        "id": case_id,
        "findings": list(findings),
        "absent": list(absent),
        "labs": _labs(labs),
        "history": list(history),
    }
    if text is not None:
        data["narrative"] = text
    receptors = {k: v for k, v in (("er", _single(er, "--er")), ("pr", _single(pr, "--pr"))) if v}
    if receptors:
        data["receptors"] = receptors
    chosen = _single(progression, "--progression")
    if chosen:
        data["progression"] = chosen
    check_why_not_format(why_not_target, output_format)
    sink = Output(output, output_format, 1)
    case = parse_case(data)
    styled = output is None
    sink.add(rendered(Evaluator.load(), case, sink.format, why_not_target, explain, None, styled))
    sink.close()

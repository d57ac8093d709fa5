"""Every text a person reads fits an 80-column terminal: each command and text format, run at
COLUMNS=80, with every line measured (rules list, vocab, the interview, why and why-not too).

JSON Lines, Markdown, DOT and Mermaid are read by programs and renderers, not on a terminal,
and are left out; replay's PASS/FAIL lines keep a long path whole (one line per case)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from triage.cli import main

from .conftest import CASES

LIVER = str(CASES / "liver" / "liver-er-positive-conflict.yaml")
MULTI = str(CASES / "multiple-sites" / "widespread-rapid-progression.yaml")

COMMANDS = {
    "run": ["run", LIVER],
    "run several": ["run", str(CASES / "multiple-sites")],
    "run explain": ["run", MULTI, "--explain"],
    "run why-not": ["run", LIVER, "--why-not", "hormone therapy"],
    "assess": ["assess", "jaundice", "cough", "--er", "positive"],
    "assess explain": ["assess", "bone pain", "--lab", "calcium=12.1 mg/dL", "--explain"],
    "assess why-not": ["assess", "cough", "--why-not", "lungs"],
    "assess why-not surgery": ["assess", "lump in the armpit", "--why-not", "surgery"],
    "rules list": ["rules", "list"],
    "rules show": ["rules", "show", "treatment.hormone-therapy.contraindication-overrides"],
    # One case: every rule it does not fire is a problem line to wrap ("no problems" is short).
    "rules lint": ["rules", "lint", "--cases", LIVER],
    "rules coverage": ["rules", "coverage", "--all"],
    "vocab": ["vocab"],
    "vocab word": ["vocab", "yelow eyes"],
    "replay": ["replay", str(CASES / "liver")],
    "help": ["--help"],
    **{f"{name} help": [*name.split(), "--help"] for name in ("run", "assess", "interview")},
    **{f"{name} help": [name, "--help"] for name in ("replay", "vocab", "batch", "serve")},
    **{f"rules {name} help": ["rules", name, "--help"] for name in ("list", "show", "lint")},
}

INTERVIEW = [
    "seizures",
    "headache",
    "no vision changes",
    "",
    "why",
    "no",
    "why",
    "yes",
    "how brain",
    "why-not hormone therapy",
    "why-not lungs",
    "show",
    "help",
    *["unknown"] * 12,
]


def _too_wide(output: str) -> list[str]:
    return [line for line in output.splitlines() if len(line) > 80]


@pytest.mark.parametrize("args", COMMANDS.values(), ids=COMMANDS.keys())
def test_every_command_fits_80_columns(args):
    result = CliRunner().invoke(main, args, env={"COLUMNS": "80"})
    assert result.exit_code in (0, 1), result.output
    assert result.output.strip()
    lines = result.output.splitlines()
    if args[0] == "replay":  # a case's line keeps its path whole, its title is shortened
        lines = [line for line in lines if not line.startswith("ERROR ")]
    assert not [line for line in lines if len(line) > 80]


def test_the_interview_questions_why_and_why_not_fit_80_columns():
    result = CliRunner().invoke(
        main, ["interview"], input="\n".join(INTERVIEW) + "\n", env={"COLUMNS": "80"}
    )
    assert result.exit_code == 0, result.output
    assert "Q1. " in result.output and "I ask because" in result.output
    assert "Why not hormone_therapy?" in result.output
    assert not _too_wide(result.output)

"""`triage interview`, driven end to end: the real command, its prompts and its saved case."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from triage.cli import main
from triage.interview import Session

SCRIPT = Path(sys.executable).parent / "triage"


def interview(lines: list[str], *args: str):
    return CliRunner().invoke(main, ["interview", *args], input="\n".join(lines) + "\n")


def test_a_full_interview_saves_a_case_that_run_reproduces_exactly(tmp_path):
    saved = tmp_path / "session.yaml"
    result = interview(
        [
            "headache",
            "yelow eyes",  # a typo: an error with a close match, and the session goes on
            "no jaundice",
            "calcium=10.8 mg/dL",
            "er positive",
            "",
            "why",
            "yes",
            "how brain",
            "no",
            "back",
            "unknown",
            "show",
            "done",
        ],
        "--save",
        str(saved),
    )
    assert result.exit_code == 0, result.output
    assert "error: unknown finding 'yelow eyes'; did you mean 'yellow eyes'?" in result.output
    assert "  noted: absent jaundice" in result.output
    assert "I ask because the answer would change the outcome" in result.output
    assert "undone: " in result.output
    run = CliRunner().invoke(main, ["run", str(saved)])
    assert run.exit_code == 0
    assert result.output.endswith(
        run.output + f"Saved to {saved}: `triage run {saved}` gives this report again.\n"
    )


def test_the_first_question_is_the_one_that_would_change_the_top_site_most(evaluator):
    session = Session(evaluator)
    session.add(("finding", "vertigo"))
    question, yes, _ = session.next_question()
    brain_findings = {
        f"finding:{c.key.split(':')[1]}"
        for rule in evaluator.kb.rules
        if rule.then == "site:brain"
        for c in rule.conditions
    }
    assert question.key in brain_findings
    assert yes.top_site == "brain" and yes.before == 0.2 and yes.after > 0.7


def test_why_says_what_each_answer_would_change_with_its_rule_and_quote():
    result = interview(["vertigo", "", "why", "done"])
    assert "  if yes: brain 0.20 -> 0.84; radiation_therapy: not indicated" in result.output
    assert "  if no: brain 0.20 -> 0.00" in result.output
    assert '    article: "Convulsions"' in result.output


def test_it_stops_when_no_question_would_change_the_outcome():
    result = interview(["vertigo", "", *["unknown"] * 60])
    assert result.exit_code == 0
    assert "No further question would change the outcome." in result.output
    assert "receptor" not in result.output.split("Q1.")[1].split("Case interview")[0].lower()


def test_how_and_why_not_answer_at_the_prompt():
    result = interview(
        ["bone pain", "er positive", "", "how hormone_therapy", "why-not chemotherapy", "done"]
    )
    assert "treatment:hormone_therapy=indicated\n  <- treatment.hormone-therapy" in result.output
    assert "Why not chemotherapy? (case interview)" in result.output


def test_an_answer_that_is_not_yes_no_or_unknown_is_asked_again():
    result = interview(["headache", "", "maybe", "done"])
    assert "Please answer yes, no or unknown (or type help)." in result.output


def test_saving_never_overwrites_a_file(tmp_path):
    existing = tmp_path / "case.yaml"
    existing.write_text("id: mine\n")
    result = interview(["headache", "done"], "--save", str(existing))
    assert result.exit_code == 2
    assert (
        result.output.splitlines()[-1] == f"error: {existing} already exists; choose another name"
    )
    assert existing.read_text() == "id: mine\n"


def _read_until(fd: int, marker: bytes, timeout: float = 20.0) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"no {marker!r} in {seen.decode(errors='replace')}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            seen += os.read(fd, 65536)
    return seen


def test_the_installed_command_runs_an_interview_in_a_real_terminal(tmp_path):
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [str(SCRIPT), "interview"],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        cwd=tmp_path,
        close_fds=True,
    )
    os.close(secondary)
    try:
        _read_until(primary, b"finding> ")
        os.write(primary, b"seizures\n")
        _read_until(primary, b"noted: finding seizures")
        os.write(primary, b"\n")
        _read_until(primary, b"Q1. ")
        os.write(primary, b"done\n")
        _read_until(primary, b"File name (empty to skip): ")
        os.write(primary, b"saved.yaml\n")
        _read_until(primary, b"gives this report again")
        assert process.wait(timeout=20) == 0
    finally:
        process.kill()
        os.close(primary)
    assert "seizures" in (tmp_path / "saved.yaml").read_text()

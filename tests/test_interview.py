"""`triage interview`, driven end to end: the real command, its prompts and its saved case."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from triage.cli import main
from triage.interview import MAX_QUESTIONS, TEST_RESULT, Session
from triage.knowledge import inspect

from .conftest import ROOT

SCRIPT = Path(sys.executable).parent / "triage"
# Each site's classic first complaint, as a student types it.
CLASSIC = {
    "local_recurrence": "lump in the breast",
    "regional_lymph_nodes": "lump in the armpit",
    "bone": "severe and increasing bone pain",
    "liver": "jaundice",
    "lung": "cough",
    "brain": "seizures",
}
QUESTION = re.compile(r"^Q(\d+)\. (.+\?)$")


def interview(lines: list[str], *args: str):
    return CliRunner().invoke(
        main, ["interview", *args], input="\n".join(lines) + "\n", env={"COLUMNS": "80"}
    )


def questions(output: str) -> list[str]:
    """The questions asked, in order, each checked to be on a line of its own."""
    asked = []
    for line in output.splitlines():
        match = QUESTION.match(line)
        if match:
            assert int(match[1]) == len(asked) + 1, line
            asked.append(match[2])
    return asked


def test_a_full_interview_saves_a_case_that_run_reproduces_exactly(tmp_path):
    saved = tmp_path / "session.yaml"
    result = interview(
        [
            "persistent and progressive headache",
            "yeloww eyes",  # a typo: an error with a close match, and the session goes on
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
    assert "error: unknown finding 'yeloww eyes'; did you mean 'yellow eyes'?" in result.output
    assert "  noted: no jaundice" in result.output
    assert "I ask because it is a sign of the site suspected most" in result.output
    assert "undone: " in result.output
    run = CliRunner().invoke(main, ["run", str(saved)], env={"COLUMNS": "80"})
    assert run.exit_code == 0
    assert result.output.endswith(
        run.output + f"Saved to {saved}: `triage replay {saved}` checks this outcome again.\n"
    )


def test_the_first_question_asks_for_a_sign_of_the_suspected_site(evaluator):
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
    assert yes.top_site == "brain" and yes.before == 0.2 and yes.after >= 0.5


def test_why_says_what_each_answer_would_change_with_its_rule_and_quote():
    result = interview(["vertigo", "", "why", "done"])
    assert "  if yes: Brain 0.20 -> " in result.output
    assert "Brain reaches 0.50" in result.output
    assert "  if no: Brain 0.20 -> " in result.output
    assert "    article: " in result.output


def test_it_stops_after_at_most_12_questions_even_when_every_answer_is_unknown():
    result = interview(["persistent and progressive headache", "", *["unknown"] * 40])
    assert result.exit_code == 0
    assert len(questions(result.output)) <= MAX_QUESTIONS
    assert "Case interview" in result.output


def test_it_stops_when_no_answer_could_change_a_decision(evaluator):
    session = Session(evaluator)
    for entry in [
        ("finding", "severe and increasing bone pain"),
        ("finding", "pathological fracture"),
    ]:
        session.add(entry)
    for question in session.candidates():
        if question.key != "finding:bone_erythema":
            session.add(("unknown", question.key))
    # redness over the bone would only make bone, already likely, likelier: not worth asking
    assert [q.key for q in session.candidates()] == ["finding:bone_erythema"]
    assert session.next_question() is None


def _classic_case(kb, tmp_path: Path, site: str, answer: str) -> None:
    """From the first complaint to a saved case that replays green, every answer the same:
    at most 12 questions, each a question, receptor status before any test's result."""
    saved = tmp_path / "case.yaml"
    result = interview([CLASSIC[site], "", *[answer] * 20], "--save", str(saved))
    assert result.exit_code == 0, result.output
    asked = questions(result.output)
    assert 1 <= len(asked) <= MAX_QUESTIONS
    assert all(q.endswith("?") for q in asked)
    test_questions = {q.ask for q in kb.questions.findings.values() if q.kind == "test"}
    receptor_questions = set(kb.questions.receptors.values())
    tests_at = [i for i, q in enumerate(asked) if q in test_questions]
    receptors_at = [i for i, q in enumerate(asked) if q in receptor_questions]
    if tests_at:
        assert receptors_at and max(receptors_at) < min(tests_at), asked
    replay = CliRunner().invoke(main, ["replay", str(saved)])
    assert replay.exit_code == 0, replay.output
    assert replay.output.startswith("PASS")
    if answer == "unknown":  # the complaint's site is in the saved outcome
        assert site in yaml.safe_load(saved.read_text())["expect"]["sites"]


@pytest.mark.parametrize("site", CLASSIC)
def test_each_sites_classic_case_reaches_a_saved_case_when_every_answer_is_unknown(
    kb, tmp_path, site
):
    _classic_case(kb, tmp_path, site, "unknown")


@pytest.mark.slow
@pytest.mark.parametrize("site", CLASSIC)
@pytest.mark.parametrize("answer", ["no", "yes"])
def test_each_sites_classic_case_reaches_a_saved_case_when_every_answer_is_the_same(
    kb, tmp_path, site, answer
):
    _classic_case(kb, tmp_path, site, answer)


def test_receptor_status_comes_before_a_tests_result(evaluator):
    session = Session(evaluator)
    session.add(("finding", "jaundice"))  # liver: receptors change nothing, but come first
    for question in session.candidates():
        if question.kind != TEST_RESULT and not question.key.startswith("receptor:"):
            session.add(("unknown", question.key))
    assert session.next_question()[0].key == "receptor:er"


@pytest.mark.parametrize("calcium", ["11.2 mg/dL", "9.0 mg/dL"])
def test_it_never_asks_what_an_entered_lab_decides(evaluator, calcium):
    session = Session(evaluator)
    session.add(("finding", "severe and increasing bone pain"))
    assert "finding:hypercalcemia" in {q.key for q in session.candidates()}
    session.add(("lab", "calcium", calcium))  # high or normal, the lab decides it
    assert "finding:hypercalcemia" not in {q.key for q in session.candidates()}


def test_answers_piped_on_standard_input_drive_the_real_command(tmp_path):
    answers = "cough\n\n" + "unknown\n" * 20
    result = subprocess.run(
        [str(SCRIPT), "interview", "--save", "piped.yaml"],
        input=answers,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "80"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert 1 <= len(questions(result.stdout)) <= MAX_QUESTIONS
    assert "Saved to piped.yaml" in result.stdout
    replay = CliRunner().invoke(main, ["replay", str(tmp_path / "piped.yaml")])
    assert replay.exit_code == 0 and replay.output.startswith("PASS")


def test_no_answers_never_silently_cancel_what_was_entered():
    denied = ["no seizures", "no ataxia", "no increased intracranial pressure"]
    result = interview(["headache", *denied, "why-not brain", "show", "done"])
    assert "brain was lowered to 0 by absent ataxia" in result.output
    assert "nothing entered points to brain" not in result.output
    assert "Brain: 0.00, what was entered for it is outweighed by absent" in result.output
    assert "nothing entered points to a site" not in result.output


def test_an_answer_says_what_it_changed():
    result = interview(["persistent and progressive headache", "", "no", "done"])
    assert "  with no: Brain 0.50 -> 0.17; Brain falls below 0.50;" in result.output


def test_how_and_why_not_understand_names_ids_and_plurals():
    result = interview(
        [
            "lump in the armpit",
            "severe and increasing bone pain",
            "er positive",
            "how lymph nodes",
            "how hormone therapy",
            "why-not lungs",
            "why-not hormone therapy",
            "why not Chemotherapy",
            "how bone_scan",
            "quit",
        ]
    )
    output = result.output
    assert "Regional lymph nodes\n  <- site.regional-lymph-nodes" in output
    assert "Hormone therapy: indicated\n  <- treatment.hormone-therapy" in output
    assert "Why not lung? (case interview)" in output
    assert "Why not hormone_therapy? (case interview)" in output
    assert "Why not chemotherapy? (case interview)" in output
    assert "Bone scan\n  <- test.bone-scan" in output
    assert "--why-not" not in output
    assert "Case interview" in output  # quit ends the session with its report


@pytest.mark.parametrize("word", ["quit", "exit", "done"])
def test_quit_and_exit_end_the_session(word):
    result = interview(["persistent and progressive headache", "", word])
    assert result.exit_code == 0
    assert "Please answer" not in result.output
    assert "Case interview" in result.output


def test_an_answer_that_is_not_yes_no_or_unknown_is_asked_again():
    result = interview(["persistent and progressive headache", "", "maybe", "done"])
    assert "Please answer yes, no or unknown (or type help)." in result.output


def test_an_existing_save_file_is_refused_before_any_question(tmp_path):
    existing = tmp_path / "case.yaml"
    existing.write_text("id: mine\n")
    result = interview(["headache", "done"], "--save", str(existing))
    assert result.exit_code == 2
    assert result.output == f"error: --save {existing}: already exists; choose another name\n"
    assert existing.read_text() == "id: mine\n"


def test_a_save_that_fails_at_the_end_asks_again_for_a_name(tmp_path):
    unwritable = tmp_path / "no-such-folder" / "case.yaml"
    other = tmp_path / "other.yaml"
    result = interview(["headache", "done", str(other)], "--save", str(unwritable))
    assert result.exit_code == 0, result.output
    assert "Another file name (empty to skip saving): " in result.output
    assert other.exists() and f"Saved to {other}" in result.output


def test_every_question_is_asked_in_plain_english_not_with_ids(kb):
    # That every finding and flag has a question, ending in "?", is checked when the
    # knowledge base loads (test_a_knowledge_base_missing_a_question_is_refused).
    questions = kb.questions
    asked = [q.ask for q in questions.findings.values()] + [questions.progression]
    for ask in [*asked, *questions.receptors.values(), *questions.history.values()]:
        assert "_" not in ask, ask


def test_a_knowledge_base_missing_a_question_is_refused(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / "questions.yaml"
    path.write_text(
        "\n".join(line for line in path.read_text().splitlines() if "vertigo:" not in line)
    )
    _, problems = inspect(rules)
    assert any("no question for the finding 'vertigo'" in str(p) for p in problems)


def _read_until(fd: int, *markers: bytes, timeout: float = 20.0) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    marker = markers[0]
    while not any(m in seen for m in markers):
        left = deadline - time.monotonic()
        assert left > 0, f"no {marker!r} in {seen.decode(errors='replace')}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            seen += os.read(fd, 65536)
    return seen


def _terminal_interview(tmp_path: Path, complaint: str) -> tuple[int, str]:
    """A classic case typed at a real terminal, every answer "unknown", saved."""
    primary, secondary = pty.openpty()
    env = {**os.environ, "TERM": "dumb", "COLUMNS": "80", "LINES": "500"}
    process = subprocess.Popen(
        [str(SCRIPT), "interview"],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        cwd=tmp_path,
        close_fds=True,
        env=env,
    )
    os.close(secondary)
    seen = b""
    asked = 0
    try:
        seen += _read_until(primary, b"finding> ")
        os.write(primary, complaint.encode() + b"\n")
        seen += _read_until(primary, b"noted: ")
        os.write(primary, b"\n")
        while True:
            chunk = _read_until(primary, b"unknown> ", b"(empty to skip): ")
            seen += chunk
            asked += chunk.count(b"\nQ")
            if b"(empty to skip): " in chunk:
                break
            os.write(primary, b"unknown\n")
        os.write(primary, b"saved.yaml\n")
        seen += _read_until(primary, b"checks this outcome again")
        assert process.wait(timeout=20) == 0
    finally:
        process.kill()
        os.close(primary)
    return asked, seen.decode(errors="replace")


@pytest.mark.slow
def test_the_installed_command_runs_an_interview_in_a_real_terminal(tmp_path):
    asked, _ = _terminal_interview(tmp_path, "seizures")
    assert 1 <= asked <= MAX_QUESTIONS
    assert "seizures" in (tmp_path / "saved.yaml").read_text()
    replay = subprocess.run(
        [str(SCRIPT), "replay", "saved.yaml"], cwd=tmp_path, capture_output=True, text=True
    )
    assert replay.returncode == 0 and replay.stdout.startswith("PASS")


@pytest.mark.slow
@pytest.mark.parametrize("site", CLASSIC)
def test_each_classic_case_in_a_real_terminal(tmp_path, site):
    asked, _ = _terminal_interview(tmp_path, CLASSIC[site])
    assert 1 <= asked <= MAX_QUESTIONS
    replay = subprocess.run(
        [str(SCRIPT), "replay", "saved.yaml"], cwd=tmp_path, capture_output=True, text=True
    )
    assert replay.returncode == 0, replay.stdout


def test_a_line_of_words_is_noted_with_what_each_piece_was_read_as():
    result = interview(["my back keeps getting worse and it's killing me, no cough", "", "done"])
    assert result.exit_code == 0, result.output
    assert "  noted: Severe and increasing bone pain; no chronic cough" in result.output
    # what is not counted is noted as such, never dropped
    result = interview(
        ["I had a cough last year that went away, and I have a headache now", "", "done"]
    )
    assert "noted: not counted: chronic cough (past and over); Persistent" in result.output
    # a bare complaint is noted with what it did not say of the article's qualifiers
    result = interview(["my back aches", "", "done"])
    assert "  noted: Severe and increasing bone pain (not said: severe, increasing)" in (
        result.output
    )


def test_a_complaint_entered_bare_is_clarified_before_anything_else_is_asked():
    # "headache" leaves open what the article says of it: that is asked first
    result = interview(["headache", "", "why", "yes", "done"])
    assert result.exit_code == 0, result.output
    first = re.search(r"Q1\. (.*)", result.output)[1]
    assert first == "Does she have a headache that persists and is getting worse?"
    assert "does not say whether the article's qualifier holds" in " ".join(result.output.split())
    # answered yes, the headache is the article's: no qualifier is left unsaid
    assert "\nEntered: Persistent and progressive headache\n" in result.output

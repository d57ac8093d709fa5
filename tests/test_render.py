"""The text report as a student reads it: one screen of conclusions, names not ids, the
threshold marked, the explanation only when asked, colour only on a terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from triage.case import parse_case, read_case
from triage.cli import main
from triage.console import Style
from triage.library import case_files
from triage.render import render_text, site_bar

from .conftest import CASES

SCRIPT = os.path.join(os.path.dirname(sys.executable), "triage")
LIBRARY = case_files([CASES])


def invoke(*args: str, **env: str):
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "80", **env})


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_every_library_report_fits_one_screen_of_80_columns(evaluator, path):
    text = render_text(evaluator.evaluate(read_case(path)), evaluator.kb, width=80)
    lines = text.splitlines()
    assert len(lines) <= 40, text
    assert max(len(line) for line in lines) <= 80, text


def test_the_summary_names_what_was_entered_not_its_ids():
    result = invoke("assess", "bone pain", "--er", "positive", "--lab", "calcium=12.1 mg/dL")
    entered = result.output.split("Entered:")[1].split("\n\n")[0]
    assert "finding:" not in entered and "receptor:" not in entered
    assert "bone pain" in entered.lower() and "ER positive" in entered
    assert "calcium" in entered and "12.1 mg/dL" in entered


def test_sites_below_the_threshold_are_marked_and_the_threshold_shown():
    result = invoke("assess", "chest pain")
    assert "| marks 0.50" in result.output
    lung = next(line for line in result.output.splitlines() if line.strip().startswith("Lung"))
    assert "0.20 ####......|.........." in lung
    assert "below: tests only" in lung


def test_a_site_bar_marks_the_threshold_at_its_place():
    assert site_bar(0.88, 0.5) == "##########|########.."
    assert site_bar(0.2, 0.5) == "####......|.........."


def test_each_treatment_has_its_status_and_a_one_line_reason():
    result = invoke("run", str(CASES / "liver" / "liver-er-positive-conflict.yaml"))
    lines = result.output.splitlines()
    hormone = next(line for line in lines if line.startswith("  Hormone therapy"))
    assert "contraindicated" in hormone and "Liver metastasis contraindicates" in hormone
    assert any(line.startswith("Urgency:   urgent. ") for line in lines)


def test_the_explanation_tree_comes_only_with_explain():
    plain = invoke("assess", "chest pain")
    explained = invoke("assess", "chest pain", "--explain")
    assert "<- site.lung.chest-pain" not in plain.output
    assert "--explain shows how" in plain.output
    assert "<- site.lung.chest-pain (cf +0.20)" in explained.output
    assert "because Chest pain" in explained.output
    assert explained.output.startswith(plain.output.split("--explain shows")[0])


def test_markdown_always_has_the_explanation():
    result = invoke("assess", "cough", "--format", "markdown")
    assert "site.lung.chronic-cough" in result.output


@pytest.mark.parametrize("columns, widest", [("60", 60), ("100", 100), ("300", 100), ("20", 60)])
def test_text_wraps_to_columns_kept_between_60_and_100(columns, widest):
    result = invoke("assess", "jaundice", "cough", "--explain", COLUMNS=columns)
    assert max(len(line) for line in result.output.splitlines()) <= widest
    if columns == "100":
        assert max(len(line) for line in result.output.splitlines()) > 80


def test_no_escape_codes_when_piped_and_emphasis_only_when_styled(evaluator):
    assert "\x1b" not in invoke("assess", "cough").output
    report = evaluator.evaluate(parse_case({"id": "x", "findings": ["jaundice"]}))
    styled = render_text(report, evaluator.kb, style=Style(True))
    assert "\x1b[1m" in styled
    plain = render_text(report, evaluator.kb)
    assert "\x1b" not in plain


def test_case_text_is_shown_never_obeyed(evaluator):
    report = evaluator.evaluate(parse_case({"id": "x", "title": "A \u202e reversed [bold]x"}))
    text = render_text(report, evaluator.kb, style=Style(True))
    assert "\\u202e" in text and "\u202e" not in text
    assert "[bold]x" in text


def test_run_on_several_cases_ends_with_a_summary_and_one_row_per_case(tmp_path):
    folder = CASES / "bone"
    result = invoke("run", str(folder))
    summary = result.output.split("Summary: ")[1]
    assert summary.startswith(f"{len(case_files([folder]))} cases evaluated")
    assert "Sites at 0.50 or more: Bone " in summary
    assert "bone-er-positive-bone-pain" in summary
    assert len(summary.splitlines()) <= 24


def test_run_on_more_than_20_cases_counts_without_a_row_per_case():
    result = invoke("run", str(CASES))
    summary = result.output.split("Summary: ")[1]
    assert f"{len(LIBRARY)} cases evaluated" in summary
    assert "bone-er-positive-bone-pain" not in summary
    assert len(summary.splitlines()) <= 12


def _read_all(fd: int, process: subprocess.Popen, timeout: float = 20.0) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif process.poll() is not None:
            break
    return seen


def _on_a_terminal(*args: str, **env: str) -> str:
    primary, secondary = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    environment.update({"TERM": "xterm", "LINES": "24", **env})
    process = subprocess.Popen(
        [SCRIPT, *args], stdin=secondary, stdout=secondary, stderr=secondary, env=environment
    )
    os.close(secondary)
    try:
        output = _read_all(primary, process)
        process.wait(timeout=20)
    finally:
        process.kill()
        os.close(primary)
    return output.decode(errors="replace")


def test_on_a_terminal_colour_shows_and_long_output_goes_through_the_pager():
    output = _on_a_terminal("run", str(CASES / "bone"), PAGER="sed s/^/PAGED:/")
    assert "\x1b[1m" in output
    assert "PAGED:" in output


def test_no_colour_with_no_color_and_no_pager_for_one_screen():
    output = _on_a_terminal("assess", "cough", NO_COLOR="1", PAGER="sed s/^/PAGED:/", LINES="100")
    assert "\x1b[" not in output and "PAGED:" not in output
    assert "Lung" in output


def test_a_decision_resting_on_a_suspected_site_is_marked_with_what_would_confirm_it(evaluator):
    from triage.report import Graded, TreatmentResult

    class Basis:  # the report's `basis` and `pending` (issue 11), as the summary reads them
        basis: str | None = "suspected"
        pending: tuple[str, ...] = ("liver",)

    class SuspectedTreatment(Basis, TreatmentResult):
        pass

    class SuspectedLevel(Basis, Graded):
        pass

    report = evaluator.evaluate(read_case(CASES / "liver" / "liver-er-positive-conflict.yaml"))
    report = report.model_copy(
        update={
            "treatments": [
                SuspectedTreatment(**t.model_dump()) if t.status == "indicated" else t
                for t in report.treatments
            ],
            "extent": SuspectedLevel(**report.extent.model_dump()),
        }
    )
    lines = render_text(report, evaluator.kb).splitlines()
    assert any(line.startswith("  Radiation therapy    indicated*") for line in lines)
    assert any(line.startswith("Extent:    distant*.") for line in lines)
    assert "* rests on a suspected site (Liver): it holds if confirmed by the tests above." in lines


def test_a_file_written_from_a_terminal_gets_no_escape_codes(tmp_path):
    target = tmp_path / "report.txt"
    _on_a_terminal("run", str(CASES / "bone"), "--output", str(target))
    text = target.read_text()
    assert "Summary: " in text and "Bone" in text
    assert "\x1b" not in text

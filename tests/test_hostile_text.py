"""Text a case file carries (its title, its file name) reaches every output as text: it cannot
forge a line, drive the terminal, add Markdown, or break a JSON line or a JUnit file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.etree import ElementTree as ET

from click.testing import CliRunner
from markdown_it import MarkdownIt

from triage.cli import main

FORGED_TITLE = (
    "Bone\n## Forged heading\n| forged | row | here |\n<script>alert(1)</script>"
    " ![x](https://evil.example/p.png) [click](javascript:alert(1)) https://evil.example\r"
)
TERMINAL_SEQUENCES = "\x1b]0;owned\x07\x1b[2J\x9b31m"


def invoke(*args: str, **kwargs):
    return CliRunner().invoke(main, list(args), **kwargs)


def case_file(folder: Path, name: str | bytes, **fields) -> Path:
    data = {"id": "hostile", "findings": ["bone pain"], **fields}
    raw = os.path.join(os.fsencode(folder), os.fsencode(name))
    with open(raw, "w", encoding="utf-8") as stream:
        json.dump(data, stream)
    return Path(os.fsdecode(raw))


def _structure(markdown: str) -> tuple[list, int, set]:
    tokens = []
    for token in MarkdownIt("gfm-like").parse(markdown):
        tokens += [token, *(token.children or [])]
    headings = [t.tag for t in tokens if t.type == "heading_open"]
    rows = sum(t.type == "tr_open" for t in tokens)
    return headings, rows, {t.type for t in tokens}


def test_a_title_cannot_add_headings_rows_html_links_or_images_to_the_handout(tmp_path):
    plain = invoke("run", str(case_file(tmp_path, "a.json")), "--format", "markdown")
    hostile = case_file(tmp_path, "b.json", title=FORGED_TITLE)
    forged = invoke("run", str(hostile), "--format", "markdown")
    assert plain.exit_code == forged.exit_code == 0, forged.output
    headings, rows, kinds = _structure(forged.stdout)
    assert (headings, rows) == _structure(plain.stdout)[:2]
    assert not kinds & {"html_block", "html_inline", "link_open", "image"}
    first = forged.stdout.splitlines()[0]
    assert first.startswith("# Case `hostile`: Bone\\\\n\\#\\# Forged heading")


def test_a_carriage_return_in_a_title_cannot_make_a_failing_case_look_passed(tmp_path):
    spoof = case_file(tmp_path, "a.json", title="\rPASS  spoof/a.json", expect={"sites": ["brain"]})
    result = invoke("replay", str(spoof))
    assert result.exit_code == 1
    (line, *_) = result.stdout.splitlines()
    assert "\r" not in result.stdout
    assert line.startswith(f"FAIL  {spoof}")  # the title, if it fits, is shown escaped
    assert "PASS" not in line or "(\\rPASS  spoof/a.json" in line


def test_file_names_with_terminal_sequences_are_shown_escaped(tmp_path):
    name = f"{TERMINAL_SEQUENCES}.json"
    bad = case_file(tmp_path, name, findings=["jawndyse"], expect={"sites": ["bone"]})
    for args in (["run", str(bad)], ["replay", str(bad)], ["batch", str(tmp_path)]):
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.output)
        for text in (result.stdout, result.stderr):
            assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
        assert "\\x1b]0;owned\\x07" in result.stderr


def test_junit_parses_whatever_the_file_names_and_a_non_utf8_name_is_reported(tmp_path):
    names = ["ctrl\x01.json", "esc\x1b[31m.json", "nonchar\uffff.json"]
    for name in names:
        case_file(tmp_path, name, expect={"sites": ["bone"]})
    latin1 = b"caf\xe9.json"  # a bad case, with a Latin-1 name
    case_file(tmp_path, latin1, findings=["jawndyse"], expect={"sites": ["bone"]})
    junit = tmp_path / "out" / "junit.xml"
    junit.parent.mkdir()
    result = invoke("replay", str(tmp_path), "--junit", str(junit))
    assert result.exit_code == 2, result.output  # one case cannot be read
    assert "caf\\xe9.json" in result.stderr and "jawndyse" in result.stderr
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "4" and suite.get("errors") == "1"
    files = sorted(case.get("file") for case in suite.iter("testcase"))
    assert any(f.endswith("caf\\xe9.json") for f in files)
    assert any(f.endswith("esc\\x1b[31m.json") for f in files)
    assert any(f.endswith("ctrl\\x01.json") for f in files)
    batch = invoke("batch", str(tmp_path), "--workers", "1")
    assert batch.exit_code == 2, batch.output  # the bad case: not an internal error
    lines = [json.loads(line) for line in batch.stdout.splitlines()]
    assert len(lines) == 4 and lines[0]["file"].endswith("caf\udce9.json")  # the same bytes
    assert "caf\\xe9.json" in batch.stderr


def test_json_lines_stay_one_line_per_case_whatever_the_text(tmp_path):
    cohort = tmp_path / "cohort.jsonl"
    lines = [
        json.dumps({"id": "sep", "title": "a\u2028b\u2029c", "findings": ["bone pain"]}),
        '{"id": "\\ud800"}',  # a lone surrogate, as a JSON escape
        '{"id": "ok", "title": "\\udce9"}',
        json.dumps({"id": "last", "findings": ["jaundice"]}),
    ]
    cohort.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke("batch", str(cohort), "--workers", "1")
    assert result.exit_code == 2, result.output  # bad cases, not an internal error
    out = result.stdout.splitlines()  # splits on U+2028, U+2029 and NEL too
    assert len(out) == len(lines)
    parsed = [json.loads(line) for line in out]
    assert parsed[0]["title"] == "a\u2028b\u2029c"
    assert parsed[1]["line"] == 2 and parsed[1]["case_id"] == "\ud800"
    assert parsed[3]["case_id"] == "last"
    assert "\\ud800" in result.stderr


def test_the_json_report_of_run_is_one_line_whatever_the_title(tmp_path):
    title = "a\u2028b\u2029c"
    result = invoke("run", str(case_file(tmp_path, "a.json", title=title)), "--format", "json")
    assert result.exit_code == 0, result.output
    assert "\u2028" not in result.stdout and len(result.stdout.splitlines()) == 1
    assert json.loads(result.stdout)["title"] == title

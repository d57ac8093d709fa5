"""Bad input never breaks it: each limit, each kind of broken file, one `error:` line, exit 2."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from triage.cli import main
from triage.limits import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_LABS,
    MAX_LIST_ENTRIES,
    MAX_NODES,
    MAX_NUMBER_DIGITS,
    MAX_PHRASE_CHARS,
    MAX_TEXT_CHARS,
)

GOOD = "id: good\nfindings: [jaundice]\n"


def run(tmp_path: Path, name: str, content: str | bytes, *args: str):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return str(path), CliRunner().invoke(main, ["run", str(path), *args])


def one_error(result, path: str, *needles: str) -> str:
    """The single `error:` line of a run that failed on bad input; it names the file."""
    assert result.exit_code == 2, result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}: "), result.output
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert "Traceback" not in result.output
    return lines[0]


def _bomb(levels: int, width: int = 9) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + f"\nid: t\nfindings: *a{levels - 1}\n"


@pytest.mark.parametrize(
    ("name", "content", "needles"),
    [
        ("big.yaml", b"#" * (MAX_FILE_BYTES + 1), ["the limit is 256 KiB"]),
        ("big.json", b" " * (20 * 1024 * 1024), [f"{20 * 1024 * 1024} bytes", "256 KiB"]),
        ("deep.yaml", "id: t\nnotes: " + "[" * 5000 + "]" * 5000, [f"{MAX_DEPTH} levels"]),
        ("deep.json", '{"id": "t", "x": ' + "[" * 50_000 + "]" * 50_000 + "}", ["levels deep"]),
        (
            "deepblock.yaml",
            "id: t\nx:\n" + "".join(" " * i + "- \n" for i in range(1, 60)),
            ["levels deep"],
        ),
        ("bomb.yaml", _bomb(10), [f"more than {MAX_NODES} values once aliases are expanded"]),
        (
            "merge-bomb.yaml",
            "a0: &a0 {k: v}\n"
            + "".join(
                f"a{i}: &a{i} {{<<: [*a{i - 1}, *a{i - 1}], k{i}: v}}\n" for i in range(1, 30)
            )
            + "id: t\n",
            ["values once aliases are expanded"],
        ),
        ("self.yaml", "a: &a [*a]\nid: t\n", ["an alias refers to a node that contains it"]),
        ("long.yaml", f"id: t\nnotes: {'x' * (MAX_TEXT_CHARS + 1)}\n", ["characters; the limit"]),
        ("bigint.yaml", f"id: t\nlabs: {{calcium: {'9' * 5000}}}\n", ["5000 digits"]),
        ("bigint.json", '{"id": "t", "labs": {"calcium": ' + "9" * 5000 + "}}", ["5000 digits"]),
        ("date.yaml", "id: t\ntitle: 2026-13-45\n", ["cannot read '2026-13-45'"]),
        ("object.yaml", "id: !!python/object/new:os.system [ls]\n", ["malformed YAML"]),
        ("name.yaml", "id: t\ntitle: !!python/name:os.system\n", ["malformed YAML"]),
        ("custom.yaml", "id: !shell ls\n", ["malformed YAML"]),
        ("set.yaml", "id: t\nfindings: !!set {jaundice, nausea}\n", ["must be a list"]),
        ("empty.json", "", ["malformed JSON"]),
        ("spaces.yaml", "   \n\n", ["empty"]),
        ("binary.yaml", bytes(range(256)), ["not UTF-8"]),
        ("latin1.yaml", "id: t\ntitle: caf\xe9\n".encode("latin-1"), ["not UTF-8 text (byte 16)"]),
        ("utf16.json", '{"id": "t"}'.encode("utf-16"), ["not UTF-8"]),
        ("nul.yaml", b"id: t\x00\n", ["the character U+0000 is not allowed (character 6)"]),
        ("escape.json", '{"id": "t", "title": "\\u001b[2J"}', ["U+001B"]),
        ("surrogate.json", '{"id": "t", "title": "\\ud800"}', ["U+D800"]),
        ("surrogate.yaml", 'id: t\nfindings: ["\\ud83d"]\n', ["U+D83D"]),
    ],
)
def test_a_broken_file_is_one_error_line_and_exit_2(tmp_path, name, content, needles):
    path, result = run(tmp_path, name, content)
    one_error(result, path, *needles)


@pytest.mark.parametrize(
    ("case", "needles"),
    [
        (
            {"findings": ["jaundice"] * (MAX_LIST_ENTRIES + 1)},
            ["'findings'", f"{MAX_LIST_ENTRIES + 1} entries; the limit is {MAX_LIST_ENTRIES}"],
        ),
        ({"absent": ["nausea"] * 500}, ["'absent'", "500 entries"]),
        ({"history": ["x"] * 101}, ["'history'", "101 entries"]),
        ({"tags": ["x"] * 101}, ["'tags'", "101 entries"]),
        (
            {"labs": {f"lab{i}": "1 U/L" for i in range(MAX_LABS + 1)}},
            [f"'labs': {MAX_LABS + 1} entries; the limit is {MAX_LABS}"],
        ),
        (
            {"findings": ["bone pain " * 30]},
            ["'findings.0'", f"300 characters; the limit is {MAX_PHRASE_CHARS}", "..."],
        ),
        ({"title": "t" * 201}, ["'title'", "201 characters"]),
        ({"labs": {"calcium": "1" * 300 + " mmol/L"}}, ["labs.calcium", "307 characters"]),
        ({"labs": {"calcium": "1" * 90}}, ["labs.calcium", "has no unit"]),
        ({"x" * 500: 1}, ["unknown key", "(500 characters)"]),
    ],
)
def test_each_limit_names_the_key_the_value_and_the_limit(tmp_path, case, needles):
    path, result = run(tmp_path, "case.json", json.dumps({"id": "t", **case}))
    line = one_error(result, path, *needles)
    assert len(line) < 400 + len(path)


def test_a_case_at_every_limit_is_still_answered(tmp_path):
    case = {
        "id": "x" * MAX_PHRASE_CHARS,
        "title": "t" * MAX_PHRASE_CHARS,
        "notes": "n" * MAX_TEXT_CHARS,
        "findings": ["I have " + "a " * 90 + "cough"] + ["jaundice"] * (MAX_LIST_ENTRIES - 1),
        "absent": ["seizures"] * MAX_LIST_ENTRIES,
        "labs": {"calcium": "0." + "0" * 180 + "1 mmol/L"},
        "tags": ["t"] * MAX_LIST_ENTRIES,
    }
    _, result = run(tmp_path, "max.json", json.dumps(case), "--format", "json")
    assert result.exit_code == 0, result.output
    facts = json.loads(result.output)["facts"]
    assert "finding:jaundice" in facts and "absent:convulsions" in facts


def test_a_number_at_the_digit_limit_is_read(tmp_path):
    path, result = run(tmp_path, "n.yaml", f"id: t\nlabs: {{calcium: {'1' * MAX_NUMBER_DIGITS}}}\n")
    one_error(result, path, "has no unit")


def test_a_yaml_anchor_used_a_few_times_is_fine(tmp_path):
    text = "id: t\nfindings: &f [jaundice, nausea]\nexpect: {sites: [liver]}\ntags: [a]\n"
    _, result = run(tmp_path, "anchor.yaml", text)
    assert result.exit_code == 0, result.output


def test_a_byte_order_mark_is_ignored(tmp_path):
    _, result = run(tmp_path, "bom.json", '\ufeff{"id": "t", "findings": ["jaundice"]}')
    assert result.exit_code == 0, result.output


def test_a_fifo_named_like_a_case_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = CliRunner().invoke(main, ["run", str(fifo)])
    assert result.exit_code == 2 and "not a regular file" in result.output


# -- in a child process: the installed command, with its time and memory bounded -------------

WORST = {
    "bomb.yaml": _bomb(12),
    "deep.yaml": "id: t\nx: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "deep.json": '{"id": "t", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "huge.yaml": "id: t\nnotes: " + "x" * (50 * 1024 * 1024) + "\n",
    "list.yaml": "id: t\nfindings: [" + "a, " * 80_000 + "a]\n",
    "keys.yaml": "id: t\n" + "".join(f"k{i}: {i}\n" for i in range(20_000)),
}


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1024 * 1024 * 1024, 1024 * 1024 * 1024))


def test_the_worst_files_end_in_an_error_within_seconds_and_bounded_memory(tmp_path):
    paths = []
    for name, text in WORST.items():
        (tmp_path / name).write_text(text)
        paths.append(str(tmp_path / name))
    good = tmp_path / "good.yaml"
    good.write_text(GOOD)
    triage = Path(sys.executable).with_name("triage")
    done = subprocess.run(
        [str(triage), "run", *paths, str(good), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=_limit_memory,
        check=False,
    )
    errors = done.stderr.splitlines()
    assert done.returncode == 2, done.stderr
    assert len(errors) == len(WORST) + 1 and errors[-1] == f"1 evaluated, {len(WORST)} bad"
    assert all(line.startswith("error: ") for line in errors[:-1]), done.stderr
    assert json.loads(done.stdout)["case_id"] == "good"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "both.yaml",
            "id: t\nfindings: [seizures]\nabsent: [Convulsions]\n",
            "finding 'convulsions' is reported both present and absent",
        ),
        (
            "receptor.yaml",
            "id: t\nreceptors: {er: positive, er: negative}\n",
            "key 'er' is given twice (line 2)",
        ),
        (
            "receptor.json",
            '{"id": "t", "receptors": {"pr": "negative", "pr": "positive"}}',
            "key 'pr' is given twice",
        ),
        (
            "lab.yaml",
            "id: t\nlabs: {ca: 2.7 mmol/L, calcium: 2.8 mmol/L}\n",
            "labs: calcium is given twice (as 'ca' and 'calcium')",
        ),
        (
            "impossible.yaml",
            "id: t\nlabs: {calcium: 26 mmol/L}\n",
            "labs.calcium: '26 mmol/L' is not a possible calcium value: the limit is 10 mmol/L",
        ),
        ("binary.yaml", "id: t\ntitle: !!binary aGVsbG8=\n", "binary data (!!binary)"),
    ],
)
def test_contradictions_are_named(tmp_path, name, content, message):
    path, result = run(tmp_path, name, content)
    one_error(result, path, message)


def test_a_receptor_given_twice_on_the_command_line_is_named():
    result = CliRunner().invoke(main, ["assess", "--pr", "negative", "--pr", "positive"])
    assert result.exit_code == 2
    assert result.output == "error: --pr is given twice with different values: negative, positive\n"

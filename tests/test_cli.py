"""The commands, as a user runs them: reports, JSON Lines, and one-line errors with exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from triage import DISCLAIMER, __version__
from triage.cli import main

from .conftest import CASES

GOOD = """id: bone-case
title: Fracture after a minor fall
findings: [pathological fracture, bone pain]
labs: {calcium: 12.1 mg/dL}
receptors: {er: positive}
"""


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return str(path)


def test_run_prints_a_readable_report_with_the_disclaimer(tmp_path):
    result = invoke("run", write(tmp_path, "a.yaml", GOOD))
    assert result.exit_code == 0
    assert "Bone" in result.output and "Hormone therapy" in result.output
    assert "Educational use only" in result.output
    assert '"Pathological fracture"' not in result.output  # the explanation: --explain
    explained = invoke("run", write(tmp_path, "a.yaml", GOOD), "--explain")
    assert '"Pathological fracture"' in explained.output


def test_run_json_is_one_object_per_case_in_input_order(tmp_path):
    first = write(tmp_path, "a.yaml", GOOD)
    second = write(tmp_path, "b.json", json.dumps({"id": "liver", "findings": ["jaundice"]}))
    result = invoke("run", second, first, "--format", "json")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["case_id"] for line in lines] == ["liver", "bone-case"]
    assert lines[1]["facts"] == [
        "finding:bone_pain",
        "finding:pathological_fracture",
        "unqualified:bone_pain",
        "lab:calcium=12.1 mg/dL",
        "receptor:er=positive",
    ]
    assert lines[1]["disclaimer"] == DISCLAIMER
    assert lines[1]["version"] == __version__ and len(lines[1]["knowledge"]) == 12
    assert lines[1]["sites"][0]["id"] == "bone"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "typo.yaml",
            "id: t\nfindings: [jawndyse]\n",
            "findings: unknown finding 'jawndyse'; did you mean",
        ),
        ("unit.yaml", "id: t\nlabs: {calcium: 12 mgs}\n", "unknown unit 'mgs' for calcium"),
        ("broken.yaml", "id: t\nfindings: [jaundice\n", "malformed YAML"),
        ("key.yaml", "id: t\nsymptoms: [jaundice]\n", "unknown key 'symptoms'"),
        ("twice.yaml", "id: t\nid: u\n", "key 'id' is given twice"),
        (
            "both.yaml",
            "id: t\nfindings: [jaundice]\nabsent: [yellow skin]\n",
            "'jaundice' is reported both present and absent",
        ),
        ("receptor.yaml", "id: t\nreceptors: {er: maybe}\n", "receptors.er"),
        ("noid.yaml", "findings: [jaundice]\n", "missing required key 'id'"),
        ("badid.yaml", "id: a b\n", "key 'id'"),
        ("empty.yaml", "", "must be a mapping"),
        ("list.yaml", "- jaundice\n", "must be a mapping"),
        ("tag.yaml", "id: !!python/object/apply:os.system [echo hi]\n", "malformed YAML"),
        ("binary.yaml", b"\xff\xfe\x00id", "not UTF-8"),
        ("case.txt", "id: t\n", "not a case file"),
        (
            "flag.yaml",
            "id: t\nhistory: [lumpectomy]\n",
            "unknown history flag 'lumpectomy'; did you mean 'lumpectomy_and_radiation'",
        ),
        ("dupjson.json", '{"id": "a", "id": "b"}', "key 'id' is given twice"),
    ],
)
def test_bad_input_is_one_error_line_naming_the_file_and_exit_2(tmp_path, name, text, message):
    path = write(tmp_path, name, text)
    result = invoke("run", path)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1 and path in errors[0] and message in errors[0], result.output
    assert "Traceback" not in result.output


def test_a_missing_file_is_an_error_not_a_traceback(tmp_path):
    result = invoke("run", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2 and "no such file" in result.output


def test_one_broken_file_does_not_stop_the_others(tmp_path):
    good = write(tmp_path, "good.yaml", GOOD)
    bad = write(tmp_path, "bad.yaml", "id: t\nfindings: [jawndyse]\n")
    result = invoke("run", bad, good, "--format", "json")
    assert result.exit_code == 2
    assert '"case_id":"bone-case"' in result.output
    assert "1 evaluated, 1 bad" in result.output


def test_assess_with_nothing_to_assess_says_so_instead_of_a_report_of_nothing():
    result = invoke("assess")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: nothing to assess: give a finding, --text or --absent (see --help)"
    ]
    assert invoke("assess", "--er", "positive").exit_code == 0  # a receptor status is a case


def test_assess_evaluates_a_case_typed_on_the_command_line():
    result = invoke(
        "assess",
        "seizures",
        "headache",
        "--absent",
        "jaundice",
        "--er",
        "positive",
        "--lab",
        "calcium=2.4 mmol/L",
        "--history",
        "severe_symptoms",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["facts"] == [
        "finding:convulsions",
        "finding:headache",
        "unqualified:headache",
        "absent:jaundice",
        "lab:calcium=2.4 mmol/L",
        "receptor:er=positive",
        "history:severe_symptoms",
    ]
    assert report["sites"][0]["id"] == "brain"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--er", "positive", "--er", "negative"], "--er is given twice with different values"),
        (["--lab", "calcium"], "expected NAME=VALUE UNIT"),
        (["jawndyse"], "unknown finding 'jawndyse'"),
        (
            ["--text", "she has had seizers"],
            "nothing in 'she has had seizers' could be read as a finding; 'seizers': did you mean"
            " 'seizures'?",
        ),
    ],
)
def test_assess_bad_input_is_one_error_line(args, message):
    result = invoke("assess", *args)
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output


def test_the_same_option_value_twice_is_accepted():
    assert invoke("assess", "jaundice", "--er", "positive", "--er", "positive").exit_code == 0


def test_an_unknown_option_is_one_error_line_with_the_close_ones():
    result = invoke("run", "--formt")
    assert result.exit_code == 2 and result.stdout == ""
    message = "error: triage run: unknown option '--formt'; did you mean '--format'?\n"
    assert result.stderr == message


def test_a_mistyped_command_is_one_error_line_with_the_close_ones():
    result = invoke("asess", "headache")
    assert result.exit_code == 2
    assert result.stderr == "error: triage: unknown command 'asess'; did you mean 'assess'?\n"


def test_an_invalid_option_value_names_the_option_in_one_error_line():
    result = invoke("assess", "jaundice", "--er", "maybe")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: triage assess: --er: 'maybe' is not one of")


def test_a_group_alone_still_shows_its_help():
    result = invoke("rules")
    assert result.exit_code == 2 and "Commands:" in result.output


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_the_installed_command_gives_the_same_bytes_in_every_process_from_any_folder(tmp_path):
    """Same input, byte-identical output: in another process with another hash seed than this
    one's (so no output depends on the order of a set or a dict), in every format, run by the
    installed command from another folder without PYTHONPATH; in JSON with a broken file
    among the cases (its error line, with close matches, is the same in every format)."""
    broken = write(tmp_path, "misspelt.yaml", "id: t\nfindings: [jawndyse, nausea]\n")
    triage = Path(sys.executable).with_name("triage")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONHASHSEED"] = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    for output_format, files in (("json", [broken]), ("text", []), ("markdown", [])):
        args = ["run", str(CASES), *files, "--format", output_format]
        done = subprocess.run(
            [str(triage), *args], cwd=tmp_path, capture_output=True, env=env, check=False
        )
        assert done.returncode == (2 if files else 0), done.stderr
        here = CliRunner().invoke(main, args)
        assert (done.stdout, done.stderr) == (here.stdout_bytes, here.stderr_bytes), output_format
        if output_format == "json":
            reports = [json.loads(line) for line in done.stdout.decode().splitlines()]
            assert len(reports) == len(list(CASES.rglob("*.yaml")))
            assert done.stderr.decode().splitlines() == [
                f"error: {broken}: findings: unknown finding 'jawndyse'; did you mean 'jaundice'?",
                f"{len(reports)} evaluated, 1 bad",
            ]


def test_a_folder_runs_every_case_file_under_it_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "second.yaml").write_text("id: second\nfindings: [jaundice]\n")
    (tmp_path / "a.json").write_text('{"id": "first", "findings": ["seizures"]}')
    (tmp_path / "notes.txt").write_text("not a case")
    result = invoke("run", str(tmp_path), "--format", "json")
    assert result.exit_code == 0
    assert [json.loads(line)["case_id"] for line in result.output.splitlines()] == [
        "first",
        "second",
    ]


def test_a_folder_without_case_files_is_bad_input(tmp_path):
    result = invoke("run", str(tmp_path))
    assert result.exit_code == 2
    assert (
        result.output.strip()
        == f"error: {tmp_path}: no case files (.yaml, .yml, .json) in this folder"
    )


def test_the_installed_command_answers_once_and_ends_with_the_same_status_and_bytes():
    """`triage assess` ends its process at once (no interpreter teardown) with what the command
    gives in process: the same bytes and exit status, for an answer and for bad input."""
    triage = Path(sys.executable).with_name("triage")
    for args, status in ((["assess", "pathological fracture"], 0), (["assess", "zzz qqq"], 2)):
        done = subprocess.run([str(triage), *args], capture_output=True, check=False)
        here = CliRunner().invoke(main, args)
        assert (done.returncode, done.stdout, done.stderr) == (
            status,
            here.stdout_bytes,
            here.stderr_bytes,
        )


def test_in_process_the_garbage_collector_stays_on():
    """Only the installed command's process starts without it (`triage.cli.entry`)."""
    import gc

    for args in (["assess", "jaundice"], ["run", str(CASES / "liver")]):
        assert invoke(*args).exit_code == 0
        assert gc.isenabled()


def test_the_quick_exit_still_runs_the_exit_functions_once_and_waits_for_threads():
    code = """
import atexit, os, threading, time
from triage.cli import _end
atexit.register(lambda: print("exit function"))
threading.Thread(target=lambda: (time.sleep(0.2), print("thread done"))).start()
_end(5, os.getpid())
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert (done.returncode, done.stdout.decode()) == (5, "thread done\nexit function\n")
    code = """
import atexit, os
from triage.cli import _end
atexit.register(lambda: print("exit function"))
print("answer", end="")
_end(4, os.getpid())
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert (done.returncode, done.stdout.decode()) == (4, "answerexit function\n")

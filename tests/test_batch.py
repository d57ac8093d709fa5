"""`triage batch`: a cohort in, one line per case out, in input order, whatever the workers."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from triage.batch import Item, ShardAnswers, answers, evaluate_shard, read_items, run_batch
from triage.case import parse_case
from triage.cli import main

from .conftest import ROOT

CASES = [
    {
        "id": "bone",
        "findings": ["pathological fracture", "bone pain"],
        "receptors": {"er": "positive"},
    },
    {"id": "liver", "findings": ["jaundice"], "labs": {"alt": "180 U/L"}},
    {"id": "brain", "findings": ["seizures", "headache"], "absent": ["jaundice"]},
    {"id": "lung", "findings": ["coughing up blood"], "progression": "rapid"},
    {"id": "nodes", "findings": ["lump in my armpit"], "receptors": {"er": "negative"}},
    {"id": "calcium", "labs": {"calcium": "12.1 mg/dL"}, "history": ["severe_symptoms"]},
    {"id": "empty"},
]


def cohort_lines(copies: int = 3) -> list[str]:
    return [
        json.dumps({**case, "id": f"{case['id']}-{n}"}) for n in range(copies) for case in CASES
    ]


def write_jsonl(tmp_path: Path, lines: list[str], name: str = "cohort.jsonl") -> str:
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def invoke(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, ["batch", *args], input=stdin)


def test_one_line_out_per_case_in_input_order(tmp_path):
    lines = cohort_lines()
    result = invoke(write_jsonl(tmp_path, lines), "--workers", "1")
    assert result.exit_code == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [report["case_id"] for report in out] == [json.loads(line)["id"] for line in lines]
    assert out[0]["sites"][0]["id"] == "bone" and out[2]["sites"][0]["id"] == "brain"
    assert f"{len(lines)} cases: {len(lines)} evaluated, 0 bad" in result.stderr


def test_a_report_in_a_batch_is_the_report_of_triage_run(tmp_path):
    case = tmp_path / "bone.json"
    case.write_text(json.dumps(CASES[0]))
    alone = CliRunner().invoke(main, ["run", str(case), "--format", "json"])
    batched = invoke(write_jsonl(tmp_path, [json.dumps(CASES[0])]), "--workers", "1")
    assert batched.stdout == alone.output


def test_two_workers_give_byte_identical_output_to_one(tmp_path):
    source = write_jsonl(tmp_path, cohort_lines(copies=6))
    one = invoke(source, "--workers", "1")
    two = invoke(source, "--workers", "2")
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout and len(one.stdout.splitlines()) == 6 * len(CASES)


def test_small_shards_over_two_workers_keep_input_order_and_errors():
    lines = cohort_lines()
    lines[5] = '{"id": "typo", "findings": ["jawndyse"]}'
    items = [Item(where=f"-:line {n}", text=line, line=n) for n, line in enumerate(lines, 1)]
    in_process = [answer.line for answer in answers(items, workers=1, shard_size=2)]
    pooled = [answer.line for answer in answers(items, workers=2, shard_size=2)]
    assert pooled == in_process
    assert [json.loads(line)["case_id"] for line in pooled] == [
        json.loads(line)["id"] for line in lines
    ]
    assert json.loads(pooled[5])["line"] == 6 and "jawndyse" in json.loads(pooled[5])["error"]


def test_a_broken_case_mid_batch_is_an_error_line_and_the_rest_still_run(tmp_path):
    lines = cohort_lines(copies=1)
    lines[2:2] = ['{"id": "typo", "findings": ["jawndyse"]}', "not json", '{"id": "a", "id": "b"}']
    result = invoke(write_jsonl(tmp_path, lines), "--workers", "2")
    assert result.exit_code == 2
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(lines)
    assert out[2] == {
        "case_id": "typo",
        "line": 3,
        "error": "findings: unknown finding 'jawndyse'; did you mean 'jaundice'?",
    }
    assert out[3]["line"] == 4 and "malformed JSON" in out[3]["error"]
    assert "given twice" in out[4]["error"]
    assert [report["case_id"] for report in out[5:]] == [case["id"] + "-0" for case in CASES[2:]]
    assert f"{len(lines)} cases: {len(lines) - 3} evaluated, 3 bad" in result.stderr
    assert ":line 3: findings: unknown finding 'jawndyse'" in result.stderr
    assert "Traceback" not in result.stderr


def test_blank_lines_are_not_cases_and_line_numbers_stay_those_of_the_file(tmp_path):
    source = write_jsonl(tmp_path, [json.dumps(CASES[1]), "", "   ", '{"id": "x", "labs": 3}'])
    result = invoke(source, "--workers", "1")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 2 and out[1]["line"] == 4 and out[1]["case_id"] == "x"


def test_a_line_that_is_not_utf8_is_an_error_line():
    stream = io.BytesIO(b'{"id": "ok"}\n{"id": "\xff"}\n')
    out = [answer for answer in answers(read_items("-", stdin=stream))]
    assert json.loads(out[0].line)["case_id"] == "ok"
    assert json.loads(out[1].line) == {"line": 2, "error": "not UTF-8 text (byte 8)"}


def test_standard_input_is_read_with_a_dash():
    result = invoke("-", "--workers", "1", stdin="\n".join(cohort_lines(copies=1)) + "\n")
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["case_id"] for line in result.stdout.splitlines()] == [
        case["id"] + "-0" for case in CASES
    ]


def test_a_folder_of_case_files_runs_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "second.yaml").write_text("id: second\nfindings: [jaundice]\n")
    (tmp_path / "a.json").write_text('{"id": "first", "findings": ["seizures"]}')
    (tmp_path / "c.yaml").write_text("id: third\nfindings: [jawndyse]\n")
    result = invoke(str(tmp_path), "--workers", "2")
    assert result.exit_code == 2
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.get("case_id") for line in out] == ["first", "second", None]
    assert out[2]["file"] == str(tmp_path / "c.yaml") and "jawndyse" in out[2]["error"]


def test_output_file_and_summary(tmp_path):
    target = tmp_path / "reports.jsonl"
    result = invoke(write_jsonl(tmp_path, cohort_lines()), "--output", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert len(target.read_text().splitlines()) == 3 * len(CASES)
    assert "cases/s" in result.stderr
    assert "sites: " in result.stderr and "treatments: " in result.stderr


def test_run_batch_counts_sites_tests_and_treatments():
    items = [Item(where="-:line 1", text=json.dumps(CASES[0]), line=1)]
    written: list[tuple[bytes, int]] = []
    summary = run_batch(items, lambda lines, cases: written.append((lines, cases)))
    assert summary.cases == 1 and summary.bad == 0
    assert written[0][0].endswith(b"\n") and written[0][1] == 1
    assert summary.sites["bone"] == 1 and summary.tests["bone_scan"] == 1


def test_a_shards_answers_travel_as_one_piece_and_come_back_whole():
    lines = [*cohort_lines(copies=1), '{"id": "typo", "findings": ["jawndyse"]}']
    items = [Item(where=f"-:line {n}", text=line, line=n) for n, line in enumerate(lines, 1)]
    alone = evaluate_shard(items)
    answered = ShardAnswers.of(alone)
    assert list(answered) == alone and len(answered) == len(items)
    assert answered.lines == b"".join(answer.line + b"\n" for answer in alone)
    assert answered.errors() == [alone[-1].error] and "jawndyse" in alone[-1].error


def test_a_missing_input_is_one_error_line():
    result = invoke("/nonexistent/cohort.jsonl")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: /nonexistent/cohort.jsonl: no such file or folder"


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    result = invoke(write_jsonl(tmp_path, cohort_lines(copies=1)), "--workers", "1")
    assert result.stderr.count("\n") == 4  # the summary only


def test_the_engine_runs_no_background_thread_that_could_take_a_cases_actions(evaluator):
    # durable_rules' stock host runs pending actions on timer threads; a case's conclusions
    # could then be lost when its state is deleted. A batch must be deterministic.
    import threading

    evaluator.evaluate(parse_case(CASES[0]))
    timers = [t for t in threading.enumerate() if isinstance(t, threading.Timer)]
    assert timers == []


def test_an_output_that_cannot_be_written_is_bad_input(tmp_path):
    target = tmp_path / "missing-folder" / "reports.jsonl"
    result = invoke(write_jsonl(tmp_path, cohort_lines(copies=1)), "--output", str(target))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: --output {target}: ")


# -- the edges: what comes in, what cannot go out ------------------------------------------


def test_an_output_that_is_the_input_is_refused_and_the_input_kept(tmp_path):
    source = write_jsonl(tmp_path, cohort_lines(copies=1))
    before = Path(source).read_bytes()
    result = invoke(source, "--output", source, "--workers", "1")
    assert result.exit_code == 2
    assert (
        result.stderr == f"error: --output {source} is the input ({source}): it would be emptied\n"
    )
    assert Path(source).read_bytes() == before


def test_run_refuses_to_write_its_report_over_the_case_file(tmp_path):
    case = tmp_path / "bone.json"
    case.write_text(json.dumps(CASES[0]))
    result = CliRunner().invoke(main, ["run", str(case), "--output", str(case)])
    assert result.exit_code == 2 and "it would be lost" in result.stderr
    assert json.loads(case.read_text()) == CASES[0]


def test_an_empty_input_is_refused(tmp_path):
    empty = write_jsonl(tmp_path, [])
    for args, stdin in (([empty], None), (["-"], ""), (["-"], "\n  \n")):
        result = invoke(*args, "--workers", "1", stdin=stdin)
        assert result.exit_code == 2, args
        assert result.stderr.endswith("no cases: the input is empty\n")


def test_a_bom_on_the_first_line_is_not_part_of_the_case(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(CASES[1]).encode() + b"\n")
    result = invoke(str(path), "--workers", "1")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["case_id"] == "liver"


def test_a_line_over_the_case_size_limit_is_refused_unread_and_the_batch_goes_on(tmp_path):
    from triage.limits import MAX_FILE_BYTES

    huge = '{"id": "huge", "notes": "' + "x" * MAX_FILE_BYTES + '"}'
    source = write_jsonl(tmp_path, [huge, json.dumps(CASES[1])])
    result = invoke(source, "--workers", "1")
    assert result.exit_code == 2
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first == {"line": 1, "error": "the line is over the limit of 256 KiB for one case"}
    assert second["case_id"] == "liver"


class Endless(io.RawIOBase):
    """A stream with no end and no line end, like /dev/zero, counting what is read of it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"\0" * len(buffer)
        self.read_bytes += len(buffer)
        return len(buffer)


def test_a_stream_with_no_line_end_is_read_no_further_than_the_limit():
    from triage.limits import MAX_FILE_BYTES

    stream = Endless()
    first = next(read_items("-", stdin=io.BufferedReader(stream)))
    assert first.problem == "the line is over the limit of 256 KiB for one case"
    assert first.text is None
    assert stream.read_bytes <= MAX_FILE_BYTES + 2 * io.DEFAULT_BUFFER_SIZE


def test_a_named_pipe_is_read_as_a_stream(tmp_path):
    import os
    import threading

    fifo = tmp_path / "cohort.fifo"
    os.mkfifo(fifo)
    lines = cohort_lines(copies=1)

    def feed() -> None:
        with open(fifo, "w") as stream:
            stream.write("".join(line + "\n" for line in lines))

    writer = threading.Thread(target=feed)
    writer.start()
    result = invoke(str(fifo), "--workers", "1")
    writer.join(timeout=10)
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == len(lines)


def test_workers_are_capped_at_the_usable_cores_unless_forced(tmp_path):
    from triage.batch import default_workers, worker_count

    cores = default_workers()
    workers, note = worker_count(cores + 50)
    assert workers == cores and note is not None and "--force-workers" in note
    assert worker_count(cores + 50, force=True) == (cores + 50, None)
    assert worker_count(None) == (cores, None)
    result = invoke(write_jsonl(tmp_path, [json.dumps(CASES[0])]), "--workers", "500")
    assert result.exit_code == 0
    assert result.stderr.startswith(f"note: --workers 500 is more than the {cores} usable cores")
    plural = "s" if cores > 1 else ""
    assert f"s, {cores} worker{plural})" in result.stderr


def test_an_unreadable_subfolder_is_an_error_not_skipped(tmp_path, monkeypatch):
    import os

    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "case.yaml").write_text("id: hidden\n")
    (tmp_path / "open.yaml").write_text("id: shown\n")
    real_scandir = os.scandir

    def scandir(path="."):
        if str(path).endswith("locked"):  # root reads any folder: refuse as the kernel would
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = invoke(str(tmp_path), "--workers", "1")
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"error: {tmp_path / 'locked'}: cannot read this folder: Permission denied\n"
    )
    assert result.stdout == ""


def test_an_input_that_stops_being_readable_is_one_error_line(tmp_path):
    """Standard input open for writing only: reading it fails (EBADF) after the batch starts."""
    import subprocess
    import sys

    script = Path(sys.executable).with_name("triage")
    target = tmp_path / "write-only.jsonl"
    target.write_text(cohort_lines(1)[0] + "\n")
    with target.open("ab") as write_only:
        done = subprocess.run(
            [str(script), "batch", "-"], stdin=write_only, capture_output=True, text=True
        )
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == ["error: -: cannot be read: Bad file descriptor"]


def test_a_cohort_is_read_without_loading_the_lemmatisers_dictionary():
    # lemminflect (~45 MB) tells a mistyped word from an English one: a cohort of well-formed
    # cases, abbreviations and lab values among them, never needs it
    code = """
import json, sys
sys.path.insert(0, "bench")
from cohort import cohort
from triage.evaluation import Evaluator
from triage.case import parse_case
evaluator = Evaluator.load()
for case in cohort(evaluator.kb, 2000, 2026):
    evaluator.evaluate(parse_case(json.loads(json.dumps(case)))).to_json()
print("lemminflect" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "False"

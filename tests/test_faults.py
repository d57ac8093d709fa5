"""Fault injection (slow group): whatever happens to a worker or to the batch itself, every case
gets its line or the batch stops cleanly, taking its workers with it; a full output is one
error line. Each test has its own time limit."""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from triage.batch import Answer, Item, answers, evaluate_shard

pytestmark = pytest.mark.slow

TRIAGE = str(Path(sys.executable).with_name("triage"))
KINDS = [
    {"findings": ["pathological fracture", "bone pain"], "receptors": {"er": "positive"}},
    {"findings": ["jaundice"], "labs": {"alt": "180 U/L"}},
    {"findings": ["seizures", "headache"]},
]
LIMIT = 180  # seconds any one of these tests may take


def cohort(tmp_path: Path, size: int) -> tuple[Path, list[str]]:
    ids = [f"case-{n}" for n in range(size)]
    path = tmp_path / "cohort.jsonl"
    with path.open("w") as stream:
        for n, case_id in enumerate(ids):
            stream.write(json.dumps({"id": case_id, **KINDS[n % len(KINDS)]}) + "\n")
    return path, ids


def children(pid: int) -> dict[int, str]:
    """The processes whose parent is `pid`, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found[int(entry.name)] = cmdline
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def start_batch(source: Path, output: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [TRIAGE, "batch", str(source), "--output", str(output), "--workers", "2", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # a signal to it alone, not to pytest
    )


def workers_once_writing(batch: subprocess.Popen, output: Path) -> list[int]:
    """The batch's worker processes, once it has written its first lines."""
    deadline = time.monotonic() + LIMIT / 2
    while time.monotonic() < deadline:
        # forked workers (Linux): every child but multiprocessing's resource tracker, if any
        workers = [pid for pid, cmd in children(batch.pid).items() if "resource_tracker" not in cmd]
        if len(workers) == 2 and output.exists() and output.stat().st_size > 0:
            return workers
        assert batch.poll() is None, batch.communicate()
        time.sleep(0.1)
    raise AssertionError("the batch wrote nothing in time")


def lines_of(output: Path) -> list[dict]:
    return [json.loads(line) for line in output.read_text().splitlines()]


@pytest.mark.parametrize("fault", ["SIGKILL", "SIGSTOP"])
def test_a_killed_or_stuck_worker_costs_no_case(tmp_path, fault):
    source, ids = cohort(tmp_path, 1500)
    output = tmp_path / "out.jsonl"
    batch = start_batch(source, output, "--shard-seconds", "15")
    victim = workers_once_writing(batch, output)[0]
    os.kill(victim, getattr(signal, fault))
    try:
        _, stderr = batch.communicate(timeout=LIMIT)
    finally:  # a batch that waits for ever is not left behind with its stopped worker
        if batch.poll() is None:
            os.killpg(batch.pid, signal.SIGKILL)
    assert batch.returncode == 0, stderr.decode()
    out = lines_of(output)
    assert [line["case_id"] for line in out] == ids  # every case, in order, each a report
    assert all("sites" in line for line in out)
    assert not alive(victim)


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_stopped_batch_ends_cleanly_and_takes_its_workers_with_it(tmp_path, name):
    source, ids = cohort(tmp_path, 3000)
    output = tmp_path / "out.jsonl"
    batch = start_batch(source, output)
    workers_once_writing(batch, output)
    helpers = list(children(batch.pid))  # the workers and multiprocessing's resource tracker
    signum = getattr(signal, name)
    batch.send_signal(signum)
    _, stderr = batch.communicate(timeout=LIMIT)
    assert batch.returncode == 128 + signum
    said = stderr.decode()
    last = said.splitlines()[-1]
    assert last.startswith(f"error: stopped by {name} after ") and "Traceback" not in said
    out = lines_of(output)  # every line written is whole JSON, in input order
    assert [line["case_id"] for line in out] == ids[: len(out)]
    assert f"after {len(out)} cases" in last
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in helpers if alive(pid)]


def test_a_batch_killed_outright_takes_its_workers_with_it(tmp_path):
    source, _ = cohort(tmp_path, 3000)
    output = tmp_path / "out.jsonl"
    batch = start_batch(source, output)
    workers_once_writing(batch, output)
    helpers = list(children(batch.pid))
    assert len(helpers) >= 2
    batch.kill()
    batch.communicate(timeout=LIMIT)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in helpers if alive(pid)]  # no orphan keeps 45 MB for ever


# Work functions for the pool, imported by name in each worker: a case that kills its worker
# every time, and one that never ends.
def crash_on_poison(shard: list[Item]) -> list[Answer]:
    if any(item.text and "poison" in item.text for item in shard):
        os.kill(os.getpid(), signal.SIGKILL)
    return evaluate_shard(shard)


def hang_on_poison(shard: list[Item]) -> list[Answer]:
    if any(item.text and "poison" in item.text for item in shard):
        time.sleep(3600)
    return evaluate_shard(shard)


def stop_while_sending_on_poison(shard: list[Item]) -> list[Answer]:
    """The worker is stopped (SIGSTOP) halfway through sending the shard's lines, after the
    message that says they come: the batch must not wait for the rest for ever."""
    if any(item.text and "poison" in item.text for item in shard):
        from multiprocessing.connection import Connection

        def half_then_stop(self, buf, offset=0, size=None):
            data = bytes(buf)
            self._send(struct.pack("!i", len(data)))  # the length of the whole message
            self._send(data[: len(data) // 2])
            os.kill(os.getpid(), signal.SIGSTOP)

        Connection.send_bytes = half_then_stop  # in this worker process only
    return evaluate_shard(shard)


@pytest.mark.parametrize(
    ("work", "said"),
    [
        (crash_on_poison, "was killed by SIGKILL; then, again, was killed by SIGKILL"),
        (hang_on_poison, "took more than 5 s; then, again, took more than 5 s"),
        (stop_while_sending_on_poison, "took more than 5 s; then, again, took more than 5 s"),
    ],
)
def test_a_shard_that_fails_twice_gives_each_of_its_cases_an_error_line(work, said):
    from triage import batch

    texts = [json.dumps({"id": f"c{n}", **KINDS[n % 3]}) for n in range(100)]
    texts[40] = json.dumps({"id": "poison", "findings": ["jaundice"]})
    items = [Item(where=f"-:line {n}", text=t, line=n) for n, t in enumerate(texts, 1)]
    pool = batch._Pool(2, shard_seconds=5, work=work)
    started = time.monotonic()
    answered: list[list[Answer]] = []  # in a thread: a batch that waits for ever fails here
    runner = threading.Thread(
        target=lambda: answered.append(list(pool.answers(batch.shards(items, 10)))), daemon=True
    )
    runner.start()
    runner.join(timeout=LIMIT)
    assert answered, "the batch waited for ever"
    (out,) = answered
    assert time.monotonic() - started < LIMIT
    assert len(out) == 100
    bad = [n for n, answer in enumerate(out) if answer.internal]
    assert bad == list(range(40, 50))  # the poisoned case's shard, and only it
    assert json.loads(out[40].line) == {
        "line": 41,
        "error": f"internal: the worker process evaluating this case {said}",
    }
    assert [json.loads(a.line)["case_id"] for a in out[:40]] == [f"c{n}" for n in range(40)]
    assert out == [*out[:40], *out[40:50], *list(answers(items[50:], workers=1))]


@pytest.mark.parametrize(
    "command",
    [
        ["run", "cases/liver/liver-er-positive-conflict.yaml"],
        ["assess", "jaundice"],
        ["batch", "cases/liver", "--workers", "1"],
    ],
)
def test_a_full_standard_output_is_one_error_line(command):
    root = Path(__file__).resolve().parent.parent
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [TRIAGE, *command], stdout=full, stderr=subprocess.PIPE, cwd=root, timeout=LIMIT
        )
    assert done.returncode == 2
    assert done.stderr.decode() == "error: standard output: No space left on device\n"

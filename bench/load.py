"""A classroom on loopback: `triage serve` under a class of simulated students.

Each student opens a case of the shipped library (POST /api/assess), then answers the
interview's questions (POST /api/interview, 10 calls: yes, no, unknown in turn), thinking
THINK seconds before every call; a student who is done starts again with the next case. The
students start spread over the first think time, so the offered load is about
STUDENTS / THINK requests per second. Bounded: SECONDS of load per run, then the server stops.

For each worker count: requests/s completed, p50/p99 latency per endpoint, errors, the
server's memory (every process of it) at the start, middle and end, and what the load
generator itself used (it shares the machine's cores with the server).

    .venv/bin/python bench/load.py                     # 200 students, 60 s, 1 then 2 workers
    .venv/bin/python bench/load.py --seconds 10 --students 20 --workers 1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRIAGE = Path(sys.executable).parent / "triage"
ANSWERS = ("yes", "no", "unknown")


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)

    def record(self, endpoint: str, seconds: float, ok: bool, reason: str = "") -> None:
        self.latencies.setdefault(endpoint, []).append(seconds)
        if not ok:
            key = f"{endpoint}: {reason}"
            self.errors[key] = self.errors.get(key, 0) + 1


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _tree(pid: int) -> list[int]:
    """The process and its descendants (Linux /proc)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found.extend(_tree(int(child)))
    return found


def _rss_mib(pid: int) -> float:
    total = 0
    for each in _tree(pid):
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def _cpu_seconds(pid: int) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for each in _tree(pid):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


class Connection:
    """One student's keep-alive HTTP/1.1 connection: a few lines of asyncio instead of a
    client library, so the load generator costs little of the cores it shares."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, path: str, data: object) -> tuple[int, bytes]:
        if self.streams is None:
            self.streams = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self.streams
        body = json.dumps(data).encode()
        writer.write(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        await writer.drain()
        status = int((await reader.readline()).split()[1])
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        return status, await reader.readexactly(length)

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def timed(connection: Connection, endpoint: str, data: object, tally: Tally) -> dict | None:
    """One call, recorded; its JSON answer, or None when it failed."""
    started = time.perf_counter()
    try:
        status, body = await asyncio.wait_for(connection.post(f"/api/{endpoint}", data), 60)
    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
        tally.record(endpoint, time.perf_counter() - started, False, type(exc).__name__)
        connection.close()
        return None
    tally.record(endpoint, time.perf_counter() - started, status == 200, str(status))
    return json.loads(body) if status == 200 else None


async def student(port: int, cases: list[dict], number: int, args, tally: Tally, end: float):
    rng = random.Random(number)
    connection = Connection(port)
    await asyncio.sleep(rng.uniform(0, args.think))  # arrivals spread over one think time
    turn = number
    while time.monotonic() < end:
        case = cases[turn % len(cases)]
        turn += 1
        await timed(connection, "assess", case, tally)
        unknown: list[str] = []
        for call in range(args.calls):
            await asyncio.sleep(args.think)
            if time.monotonic() >= end:
                break
            reply = await timed(connection, "interview", {"case": case, "unknown": unknown}, tally)
            question = reply.get("question") if reply else None
            if question is None:
                break
            chosen = ANSWERS[call % 3]
            if chosen == "unknown":
                unknown.append(question["key"])
            else:
                case = question[chosen]
        await asyncio.sleep(args.think)
    connection.close()


async def classroom(port: int, cases: list[dict], args, tally: Tally, server: int) -> list:
    memory = [(0, _rss_mib(server))]
    end = time.monotonic() + args.seconds
    tasks = [
        asyncio.create_task(student(port, cases, n, args, tally, end)) for n in range(args.students)
    ]
    started = time.monotonic()
    while not all(task.done() for task in tasks):
        await asyncio.sleep(1)
        elapsed = time.monotonic() - started
        if elapsed >= len(memory) * args.seconds / 2 and len(memory) < 3:
            memory.append((round(elapsed), _rss_mib(server)))
    await asyncio.gather(*tasks)
    memory.append((round(time.monotonic() - started), _rss_mib(server)))
    return memory


def _wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"triage serve exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(base + "api/cases", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("triage serve did not answer within 60 s")


def run(workers: int, cases: list[dict], args) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    command = [str(TRIAGE), "serve", "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        _wait_until_up(base, server)
        tally = Tally()
        usage_before = resource.getrusage(resource.RUSAGE_SELF)
        server_cpu_before = _cpu_seconds(server.pid)
        wall = time.monotonic()
        memory = asyncio.run(classroom(port, cases, args, tally, server.pid))
        wall = time.monotonic() - wall
        usage = resource.getrusage(resource.RUSAGE_SELF)
        server_cpu = _cpu_seconds(server.pid) - server_cpu_before
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    own_cpu = (usage.ru_utime - usage_before.ru_utime) + (usage.ru_stime - usage_before.ru_stime)
    total = sum(len(v) for v in tally.latencies.values())
    errors = sum(tally.errors.values())
    print(
        f"\n{workers} worker(s): {args.students} students, think {args.think:g} s, "
        f"{args.seconds:g} s of load ({wall:.0f} s with the last answers)"
    )
    print(f"  requests: {total} in {wall:.1f} s = {total / wall:.1f}/s; errors: {errors}")
    for endpoint, values in sorted(tally.latencies.items()):
        p50, p99 = (percentile(values, share) * 1000 for share in (0.5, 0.99))
        print(
            f"  {endpoint:<10} {len(values):>6} requests  p50 {p50:7.1f} ms"
            f"  p99 {p99:7.1f} ms  max {max(values) * 1000:7.1f} ms"
        )
    for reason, count in sorted(tally.errors.items()):
        print(f"  error {reason}: {count}")
    shown = ", ".join(f"{mib:.0f} MiB at {at} s" for at, mib in memory)
    print(f"  server memory (all its processes): {shown}")
    print(f"  server CPU: {server_cpu:.1f} s ({server_cpu / wall:.2f} cores)")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"  machine load average at the end (1, 5, 15 min): {load} (other work shares the cores)")
    print(
        f"  load generator: CPU {own_cpu:.1f} s ({own_cpu / wall:.2f} cores), "
        f"peak memory {usage.ru_maxrss / 1024:.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=2.0)
    parser.add_argument(
        "--calls", type=int, default=10, help="interview calls per case (0: only assess)"
    )
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    from triage.web.api import Service

    service = Service()
    cases = [service.library_case(item["path"]) for item in service.cases]
    for case in cases:
        case.pop("expect", None)  # what the student sends: the case, not its teacher's checks
    print(
        f"triage serve under load: {len(cases)} library cases, {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}; the generator: one asyncio process, one keep-alive "
        "HTTP/1.1 connection per student"
    )
    for workers in args.workers:
        run(workers, cases, args)


if __name__ == "__main__":
    main()

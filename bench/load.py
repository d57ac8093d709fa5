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
import os
import random
import resource
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

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


async def student(
    client: httpx.AsyncClient, cases: list[dict], number: int, args, tally: Tally, end: float
) -> None:
    rng = random.Random(number)
    await asyncio.sleep(rng.uniform(0, args.think))  # arrivals spread over one think time
    turn = number
    while time.monotonic() < end:
        case = cases[turn % len(cases)]
        turn += 1
        started = time.perf_counter()
        try:
            answer = await client.post("/api/assess", json=case)
            tally.record(
                "assess",
                time.perf_counter() - started,
                answer.status_code == 200,
                str(answer.status_code),
            )
        except httpx.HTTPError as exc:
            tally.record("assess", time.perf_counter() - started, False, type(exc).__name__)
        unknown: list[str] = []
        for call in range(args.calls):
            await asyncio.sleep(args.think)
            if time.monotonic() >= end:
                return
            started = time.perf_counter()
            try:
                reply = await client.post("/api/interview", json={"case": case, "unknown": unknown})
                ok = reply.status_code == 200
                tally.record("interview", time.perf_counter() - started, ok, str(reply.status_code))
            except httpx.HTTPError as exc:
                tally.record("interview", time.perf_counter() - started, False, type(exc).__name__)
                break
            question = reply.json().get("question") if ok else None
            if question is None:
                break
            chosen = ANSWERS[call % 3]
            if chosen == "unknown":
                unknown.append(question["key"])
            else:
                case = question[chosen]
        await asyncio.sleep(args.think)


async def classroom(base: str, cases: list[dict], args, tally: Tally, server: int) -> list:
    limits = httpx.Limits(max_connections=args.students, max_keepalive_connections=args.students)
    memory = [(0, _rss_mib(server))]
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        end = time.monotonic() + args.seconds
        tasks = [
            asyncio.create_task(student(client, cases, n, args, tally, end))
            for n in range(args.students)
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
            if httpx.get(base + "api/cases", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
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
        memory = asyncio.run(classroom(base, cases, args, tally, server.pid))
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
    print(
        f"  load generator: CPU {own_cpu:.1f} s ({own_cpu / wall:.2f} cores), "
        f"peak memory {usage.ru_maxrss / 1024:.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=2.0)
    parser.add_argument("--calls", type=int, default=10, help="interview calls per case")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    from triage.web.api import Service

    service = Service()
    cases = [service.library_case(item["path"]) for item in service.cases]
    for case in cases:
        case.pop("expect", None)  # what the student sends: the case, not its teacher's checks
    print(
        f"triage serve under load: {len(cases)} library cases, {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}, httpx {httpx.__version__} (asyncio, one "
        "keep-alive connection per student)"
    )
    for workers in args.workers:
        run(workers, cases, args)


if __name__ == "__main__":
    main()

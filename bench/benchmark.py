"""How fast is triage, as ratios against floors measured in the same run.

    .venv/bin/python bench/benchmark.py [--latency-cases N] [--sizes 10000,100000]
                                        [--starts N] [--seed S] [--output bench/results.txt]

One run measures, on a reproducible cohort (fixed seed, bench/cohort.py):
- cold start of `triage assess` with one finding, as a process, against a bare process that
  imports click and durable.lang and defines and validates one pydantic model;
- per case, in process: a plain-Python reference implementation of the same rules
  (bench/reference.py, the floor), the compiled durable_rules rulesets alone (facts already
  normalised, no report), and the full path from a JSON case to its JSON report; interleaved
  case by case so that noise from other processes falls on all three alike;
- throughput of `triage batch` (output to a file) with 1 worker and with every core, over each
  cohort size, with the peak resident memory of its processes, against the reference's time
  over the same cases;
- that the reference and the product agree on every case (sites with certainty, tests,
  treatment statuses, urgency, extent, prognosis), and that every batch gives N lines for N
  cases, byte-identical whatever the workers.
The results go to stdout and to --output. Nothing here is a test: timings are noisy.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from cohort import cohort
from reference import Reference, agrees

from triage import __version__
from triage.batch import default_workers
from triage.case import case_facts, parse_case
from triage.documents import parse_document
from triage.errors import TriageError
from triage.evaluation import Evaluator

FLOOR_PROGRAM = """
import click
import durable.lang
from pydantic import BaseModel

class Case(BaseModel):
    id: str
    findings: list[str] = []

Case.model_validate({"id": "floor", "findings": ["jaundice"]})
"""
TRIAGE = Path(sys.executable).with_name("triage")


def median_us(times: list[float]) -> float:
    return statistics.median(times) * 1e6


def p99_us(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1e6


def wall(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    return time.perf_counter() - start


def cold_start(runs: int) -> dict:
    """Median wall time of each program as a fresh process, runs interleaved. Both run as
    installed: with their modules' compiled bytecode (as `pip install` leaves it), kept in a
    folder of this run's even where PYTHONDONTWRITEBYTECODE is set (an editable install
    would otherwise compile triage's modules from source at every start)."""
    floor = [sys.executable, "-c", FLOOR_PROGRAM]
    assess = [str(TRIAGE), "assess", "pathological fracture"]
    with tempfile.TemporaryDirectory(prefix="triage-bytecode-") as bytecode:
        env = os.environ | {"PYTHONPYCACHEPREFIX": bytecode, "PYTHONDONTWRITEBYTECODE": ""}
        wall(floor, env), wall(assess, env)  # bytecode, file cache and the knowledge cache
        floors, assesses = [], []
        for _ in range(runs):
            floors.append(wall(floor, env))
            assesses.append(wall(assess, env))
    return {
        "floor_ms": statistics.median(floors) * 1e3,
        "assess_ms": statistics.median(assesses) * 1e3,
    }


def per_case(evaluator: Evaluator, reference: Reference, cases: list[dict]) -> dict:
    """Per-case times of the reference, the engine alone and the full path, interleaved."""
    kb = evaluator.kb
    lines = [json.dumps(case) for case in cases]
    facts = [list(case_facts(parse_case(c), kb, evaluator.lexicon).engine_facts) for c in cases]

    def full(line: str) -> str:
        return evaluator.evaluate(parse_case(parse_document(line, ".json"))).to_json()

    for line, case_facts_ in zip(lines[:200], facts[:200], strict=True):  # warm up
        reference.conclude(case_facts_), evaluator.engine.derive(case_facts_), full(line)
    times: dict[str, list[float]] = {"reference": [], "engine": [], "full": []}
    mismatches = 0
    clock = time.perf_counter
    for line, case_facts_ in zip(lines, facts, strict=True):
        start = clock()
        conclusions = reference.conclude(case_facts_)
        times["reference"].append(clock() - start)
        start = clock()
        evaluator.engine.derive(case_facts_)
        times["engine"].append(clock() - start)
        start = clock()
        report = full(line)
        times["full"].append(clock() - start)
        mismatches += not agrees(conclusions, json.loads(report))
    result = {name: {"median_us": median_us(t), "p99_us": p99_us(t)} for name, t in times.items()}
    result["mismatches"] = mismatches
    result["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def reading(evaluator: Evaluator, rounds: int = 3) -> dict:
    """What reading adds to the full path, on a cohort of everyday phrasings and patient
    stories (bench/reading/), interleaved: each case from its text (every text new to the
    reader: its memos cleared), the reading of that text alone, and the same case with its
    findings given as ids (nothing left to read, but no bare complaint either)."""
    import yaml

    texts = []
    for name in ("everyday", "stories"):
        path = Path(__file__).with_name("reading") / f"{name}.yaml"
        texts += [item["text"] for item in yaml.safe_load(path.read_text())["items"]]
    pairs = []
    for number, text in enumerate(texts):
        story = {"id": f"r{number}", "narrative": text}
        try:
            facts = evaluator.evaluate(parse_case(story)).facts
        except TriageError:
            continue  # asked or refused: no case to time
        as_ids = {
            "id": story["id"],
            "findings": [f.partition(":")[2] for f in facts if f.startswith("finding:")],
            "absent": [f.partition(":")[2] for f in facts if f.startswith("absent:")],
        }
        pairs.append((json.dumps(story), json.dumps(as_ids)))
    memo = evaluator.lexicon.reader.read
    times: dict[str, list[float]] = {"text": [], "read": [], "ids": []}
    clock = time.perf_counter
    for _ in range(rounds):
        for story, as_ids in pairs:
            memo.cache_clear()
            evaluator.lexicon.reader.lexicon.closest_cache.clear()
            start = clock()
            evaluator.evaluate(parse_case(parse_document(story, ".json"))).to_json()
            times["text"].append(clock() - start)
            memo.cache_clear()
            evaluator.lexicon.reader.lexicon.closest_cache.clear()
            text = json.loads(story)["narrative"]
            start = clock()
            evaluator.lexicon.reader.read(text)
            times["read"].append(clock() - start)
            start = clock()
            evaluator.evaluate(parse_case(parse_document(as_ids, ".json"))).to_json()
            times["ids"].append(clock() - start)
    return {"cases": len(pairs), **{k: median_us(t) for k, t in times.items()}}


# Runs a command and reports its wall time and the peak RSS of the largest process of its tree.
# A small go-between: a child forked straight from this (large) process would count this
# process's memory, inherited before exec, as its own peak.
MEASURE_PROGRAM = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
peak = usage.ru_maxrss / 1024
print(json.dumps({"code": code, "seconds": seconds, "cpu_seconds": cpu, "peak_rss_mib": peak}))
"""


def run_batch(source: Path, target: Path, workers: int) -> dict:
    """Wall time and peak RSS (largest process of its tree) of one `triage batch` run."""
    command = [str(TRIAGE), "batch", str(source), "--workers", str(workers)]
    command += ["--output", str(target)]
    load_before = os.getloadavg()[0]  # other processes on the machine slow a run down
    done = subprocess.run(
        [sys.executable, "-c", MEASURE_PROGRAM, *command],
        check=True,
        capture_output=True,
        text=True,
    )
    run = json.loads(done.stdout)
    run["load_before"] = load_before
    if run.pop("code") != 0:
        raise SystemExit(f"triage batch exited with an error on {source}")
    return run


def digest_and_lines(path: Path) -> tuple[str, int]:
    digest, lines = hashlib.sha256(), 0
    with path.open("rb") as stream:
        for line in stream:
            digest.update(line)
            lines += 1
    return digest.hexdigest(), lines


def throughput(evaluator: Evaluator, reference: Reference, cases: list[dict], sizes, folder):
    """`triage batch` over each size with 1 worker and every core, against the reference."""
    kb = evaluator.kb
    cores = default_workers()
    results = []
    for size in sizes:
        source = folder / f"cohort-{size}.jsonl"
        with source.open("w", encoding="utf-8") as stream:
            for case in cases[:size]:
                stream.write(json.dumps(case) + "\n")
        facts = [
            list(case_facts(parse_case(c), kb, evaluator.lexicon).engine_facts)
            for c in cases[:size]
        ]
        start = time.perf_counter()
        conclusions = [reference.conclude(f) for f in facts]
        reference_seconds = time.perf_counter() - start
        del facts
        row = {"size": size, "reference_seconds": reference_seconds, "runs": {}}
        outputs = set()
        for workers in sorted({1, cores}):
            target = folder / f"reports-{size}-{workers}.jsonl"
            run = run_batch(source, target, workers)
            digest, lines = digest_and_lines(target)
            run["lines"] = lines
            outputs.add(digest)
            row["runs"][workers] = run
        row["identical_across_workers"] = len(outputs) == 1
        if len(outputs) > 1:  # say where, to find out why
            paths = [folder / f"reports-{size}-{w}.jsonl" for w in sorted(row["runs"])]
            with paths[0].open() as first, paths[-1].open() as last:
                row["first_difference"] = next(
                    (n for n, (a, b) in enumerate(zip(first, last, strict=True), 1) if a != b), None
                )
        with target.open(encoding="utf-8") as stream:
            row["mismatches"] = sum(
                not agrees(c, json.loads(line)) for c, line in zip(conclusions, stream, strict=True)
            )
        for path in folder.glob(f"reports-{size}-*.jsonl"):
            path.unlink()
        results.append(row)
    return cores, results


def report(args, start_figures, latency, cores, batches, load_ms, read=None) -> str:
    ref = latency["reference"]["median_us"]
    lines = [
        "triage benchmark",
        f"command: .venv/bin/python bench/benchmark.py {' '.join(sys.argv[1:])}".rstrip(),
        f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; triage {__version__}; "
        f"Python {platform.python_version()}; {os.cpu_count()} cores ({cores} usable)",
        f"cohort: seed {args.seed}; knowledge base loaded in {load_ms:.1f} ms",
        "",
        f"cold start (process, median of {args.starts})      ms    x floor",
        f"  floor: click + durable.lang + pydantic  {start_figures['floor_ms']:7.0f}    1.00",
        f"  triage assess, one finding             {start_figures['assess_ms']:7.0f}"
        f"    {start_figures['assess_ms'] / start_figures['floor_ms']:4.2f}",
        "",
        f"per case, in process ({args.latency_cases} cases)"
        "    median us  p99 us  x reference  x engine",
    ]
    names = {
        "reference": "plain-Python reference (floor)",
        "engine": "durable_rules rulesets alone",
        "full": "full: JSON case -> JSON report",
    }
    engine = latency["engine"]["median_us"]
    for key, label in names.items():
        figures = latency[key]
        lines.append(
            f"  {label:<34}{figures['median_us']:8.0f}{figures['p99_us']:8.0f}"
            f"{figures['median_us'] / ref:12.1f}{figures['median_us'] / engine:10.2f}"
        )
    lines.append(f"  reference vs product: {latency['mismatches']} mismatches")
    if read:
        lines += [
            "",
            f"reading, everyday phrasings and stories ({read['cases']} cases)"
            "    median us  x same case as ids",
            f"  the case's findings as ids (nothing to read)  {read['ids']:8.0f}{1:10.2f}",
            f"  text: narrative -> JSON report                {read['text']:8.0f}"
            f"{read['text'] / read['ids']:10.2f}",
            f"  reading the text alone                        {read['read']:8.0f}"
            f"{read['read'] / read['ids']:10.2f}",
            f"  reading's share of the full path from text: {read['read'] / read['text']:.2f}",
        ]
    lines += [
        "",
        "triage batch (output to a file)   workers  cases/s  x reference  peak RSS MiB"
        "  cases/CPU-s  load before",
    ]
    for row in batches:
        reference_rate = row["size"] / row["reference_seconds"]
        lines.append(
            f"  {row['size']:>7} cases, plain-Python reference  1 {reference_rate:9.0f}{1:13.1f}"
        )
        for workers, run in row["runs"].items():
            rate = row["size"] / run["seconds"]
            lines.append(
                f"  {row['size']:>7} cases, triage batch          {workers} {rate:9.0f}"
                f"{reference_rate / rate:13.1f}{run['peak_rss_mib']:14.0f}"
                f"{row['size'] / run['cpu_seconds']:13.0f}{run['load_before']:13.2f}"
            )
        lost = [w for w, run in row["runs"].items() if run["lines"] != row["size"]]
        lines.append(
            f"  {row['size']:>7} cases: {'no case lost' if not lost else f'LOST with {lost}'}; "
            f"{'identical' if row['identical_across_workers'] else 'DIFFERENT'} output across "
            f"workers; {row['mismatches']} mismatches with the reference"
        )
        if "first_difference" in row:
            lines.append(f"  first line that differs across workers: {row['first_difference']}")
    if len(batches) >= 2:
        small, large = batches[0], batches[-1]
        for workers in large["runs"]:
            growth = large["runs"][workers]["peak_rss_mib"] / small["runs"][workers]["peak_rss_mib"]
            lines.append(
                f"  peak RSS, {large['size']} vs {small['size']} cases, {workers} worker(s): "
                f"{growth:.2f}x"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-cases", type=int, default=10_000)
    parser.add_argument("--sizes", default="10000,100000", help="cohort sizes for triage batch")
    parser.add_argument("--starts", type=int, default=15, help="cold starts of each program")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", type=Path, default=Path(__file__).with_name("results.txt"))
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size]

    start = time.perf_counter()
    evaluator = Evaluator.load()
    load_ms = (time.perf_counter() - start) * 1e3
    reference = Reference(evaluator.kb)
    cases = cohort(evaluator.kb, max([args.latency_cases, *sizes]), args.seed)

    start_figures = cold_start(args.starts)
    latency = per_case(evaluator, reference, cases[: args.latency_cases])
    read = reading(evaluator)
    with tempfile.TemporaryDirectory(prefix="triage-bench-") as folder:
        cores, batches = throughput(evaluator, reference, cases, sizes, Path(folder))
    text = report(args, start_figures, latency, cores, batches, load_ms, read)
    print(text, end="")
    args.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

"""Per-case latency of `triage`, as ratios against the bare durable_rules run in the same run.

    .venv/bin/python bench/latency.py [--cases N] [--seed S]

Generates a reproducible cohort of plausible cases (fixed seed), then measures per case:
- engine: the compiled durable_rules rulesets alone, on facts already normalised;
- full: case model -> vocabulary -> engine -> report with traces -> JSON.
Also the one-off cost of loading the knowledge base and compiling the rulesets, and the peak
resident memory. Prints a table; nothing here is a test.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time

from triage.case import case_facts, parse_case
from triage.evaluation import Evaluator
from triage.knowledge import load


def cohort(kb, size: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    findings = [f.id for f in kb.findings]
    cases = []
    for number in range(size):
        present = rng.sample(findings, rng.randint(0, 5))
        rest = [f for f in findings if f not in present]
        case = {
            "id": f"c{number}",
            "findings": present,
            "absent": rng.sample(rest, rng.randint(0, 2)),
        }
        if rng.random() < 0.3:
            case["labs"] = {
                "calcium": f"{rng.uniform(2.0, 3.8):.2f} mmol/L",
                "alt": f"{rng.randint(10, 200)} U/L",
            }
        case["receptors"] = {
            "er": rng.choice(["positive", "negative", "unknown"]),
            "pr": rng.choice(["positive", "negative"]),
        }
        if rng.random() < 0.2:
            case["progression"] = "rapid"
        if rng.random() < 0.2:
            case["history"] = [
                rng.choice(
                    ["lumpectomy_and_radiation", "hormone_therapy_ineffective", "severe_symptoms"]
                )
            ]
        cases.append(case)
    return cases


def timed(function, items) -> list[float]:
    times = []
    for item in items:
        start = time.perf_counter()
        function(item)
        times.append(time.perf_counter() - start)
    return times


def summary(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered) * 1e6, ordered[int(len(ordered) * 0.99) - 1] * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    start = time.perf_counter()
    kb = load()
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    evaluator = Evaluator(kb)
    compiled = time.perf_counter() - start

    cases = [parse_case(data) for data in cohort(kb, args.cases, args.seed)]
    facts = [list(case_facts(c, kb, evaluator.lexicon).engine_facts) for c in cases]
    for case in cases[:200]:  # warm up
        evaluator.evaluate(case).to_json()

    engine = summary(timed(evaluator.engine.derive, facts))
    full = summary(timed(lambda case: evaluator.evaluate(case).to_json(), cases))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"cohort: {args.cases} cases, seed {args.seed}, {len(kb.rules)} rules")
    print(f"load knowledge base: {loaded * 1e3:.1f} ms; compile rulesets: {compiled * 1e3:.1f} ms")
    print(f"{'per case':<34}{'median us':>10}{'p99 us':>10}{'x engine':>10}")
    print(f"{'engine alone (durable_rules)':<34}{engine[0]:>10.0f}{engine[1]:>10.0f}{1:>10.2f}")
    ratio = full[0] / engine[0]
    print(f"{'full: case -> JSON report':<34}{full[0]:>10.0f}{full[1]:>10.0f}{ratio:>10.2f}")
    print(f"peak RSS: {peak:.0f} MiB")


if __name__ == "__main__":
    main()

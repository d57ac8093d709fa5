"""The benchmark script still runs against the current knowledge base and agrees with it.

Not a timed test: it checks that the plain-Python reference gives the same answers as the
product and that no batch loses a case, on a tiny cohort."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from triage.case import case_facts, parse_case
from triage.errors import TriageError

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from cohort import cohort
from reference import Reference, agrees


def test_the_plain_python_reference_agrees_with_the_product_on_a_cohort(evaluator):
    reference = Reference(evaluator.kb)
    sites = evaluator.kb.ids("site")
    cases = cohort(evaluator.kb, 300, seed=11)
    for number, case in enumerate(cases[::3]):  # a third of them with a confirmed site
        case["confirmed_sites"] = [sites[number % len(sites)]]
    disagree = []
    for data in cases:
        case = parse_case(data)
        try:
            facts = list(case_facts(case, evaluator.kb, evaluator.lexicon).engine_facts)
        except TriageError:
            continue  # a case the reader refuses (e.g. hypercalcemia with a normal calcium)
        report = json.loads(evaluator.evaluate(case).to_json())
        if not agrees(reference.conclude(facts), report):
            disagree.append(case.id)
    assert disagree == []


@pytest.mark.slow  # runs the whole script: cold starts, a batch on two workers
def test_the_benchmark_runs_and_its_reference_agrees_with_the_product(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "benchmark.py"),
            "--latency-cases",
            "60",
            "--sizes",
            "100",
            "--starts",
            "1",
            "--output",
            str(tmp_path / "results.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "reference vs product: 0 mismatches" in done.stdout
    assert "no case lost; identical output across workers; 0 mismatches" in done.stdout

"""The benchmark script still runs against the current knowledge base and agrees with it.

Not a timed test: it checks that the plain-Python reference gives the same answers as the
product and that no batch loses a case, on a tiny cohort."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


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

"""The long fuzz run: the property tests' generators and checks, for as long as you like.

    .venv/bin/python fuzz/run.py --minutes 5            # hypothesis, every family in turn
    .venv/bin/python fuzz/run.py --minutes 5 --atheris  # coverage-guided bytes (atheris)

Every input must end in a report or one `error:` line with exit 2, within --timeout seconds;
every cohort line in gets one JSON line out; every output format parses whatever text a case
or a file name holds; a damaged knowledge cache is rebuilt, never trusted.
Prints, per family, how many inputs were tried and the slowest; then each failure found
(hypothesis shrinks it to a minimal input first). Exit status 1 if anything failed.
"""

from __future__ import annotations

import argparse
import json
import resource
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


FIRST_TURN = 20  # inputs of a family's first turn, before its inputs' time is known


class Hang(Exception):
    """One input took longer than the time allowed."""


def _alarm(signum: int, frame: Any) -> None:
    raise Hang("no answer within the time allowed")


def hypothesis_families(folder: Path) -> dict[str, tuple[Callable[..., None], dict[str, Any]]]:
    from hypothesis import strategies as st

    from tests import strategies as s

    def valid(case: dict[str, Any], seed: int) -> None:
        s.check_valid_case(case, seed)

    def valid_file(case: dict[str, Any], as_json: bool) -> None:
        import yaml

        text = json.dumps(case) if as_json else yaml.safe_dump(case)
        path = s.write(folder, "c.json" if as_json else "c.yaml", text.encode())
        result = s.check_file(path)
        assert result.exit_code == 0, result.output

    def any_file(file: tuple[str, bytes]) -> None:
        s.check_file(s.write(folder, "case" + file[0], file[1]))

    def file_names(names: list[bytes]) -> None:
        with tempfile.TemporaryDirectory(dir=folder) as each:
            cases = Path(each) / "cases"
            cases.mkdir()
            s.check_file_names(names, cases)

    def damaged_cache(damaged: tuple[str, Any]) -> None:
        s.check_damaged_cache(*damaged)

    return {
        "valid cases": (valid, {"case": s.valid_cases(), "seed": st.integers(0, 2**32)}),
        "broken cases": (s.check_broken_case, {"case": s.broken_cases()}),
        "valid files": (valid_file, {"case": s.valid_cases(), "as_json": st.booleans()}),
        "any files": (any_file, {"file": s.case_texts()}),
        "command lines": (s.check_command_line, {"args": s.assess_args()}),
        "lookups": (
            s.check_lookup,
            {"command": st.sampled_from([["vocab"], ["rules", "show"]]), "word": st.text()},
        ),
        "cohorts": (s.check_cohort, {"data": s.cohort_bytes()}),
        "hostile text": (s.check_hostile_case, {"case": s.hostile_cases()}),
        "file names": (file_names, {"names": s.file_names}),
        "damaged cache": (damaged_cache, {"damaged": s.damaged_caches()}),
    }


def _timed(
    check: Callable[..., None],
    name: str,
    timeout: float,
    tried: dict[str, int],
    slowest: dict[str, float],
    spent: dict[str, float],
) -> Callable[..., None]:
    """The check, failing an input that takes longer than `timeout`, counting and timing each."""

    def body(**kwargs: Any) -> None:
        started = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            check(**kwargs)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        took = time.monotonic() - started
        tried[name] = tried.get(name, 0) + 1
        slowest[name] = max(slowest.get(name, 0.0), took)
        spent[name] = spent.get(name, 0.0) + took

    return body


def _described(name: str, exc: BaseException) -> list[str]:
    """Each failure in the exception (hypothesis groups distinct ones), with its input."""
    if isinstance(exc, BaseExceptionGroup):
        return [text for sub in exc.exceptions for text in _described(name, sub)]
    notes = "\n    ".join(getattr(exc, "__notes__", []))
    return [f"{name}: {type(exc).__name__}: {str(exc)[:1000]}\n    {notes[:3000]}"]


def run_hypothesis(minutes: float, timeout: float, chunk: int) -> int:
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import InvalidArgument

    signal.signal(signal.SIGALRM, _alarm)
    began = time.monotonic()
    deadline = began + minutes * 60
    tried: dict[str, int] = {}
    slowest: dict[str, float] = {}
    spent: dict[str, float] = {}  # seconds each family's inputs took, to size its next turn
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        families = hypothesis_families(Path(tmp))
        while time.monotonic() < deadline:
            for name, (check, strategies) in families.items():
                if time.monotonic() >= deadline:
                    break

                # a family's turn fits the time left: a few inputs first, then as many as its
                # inputs' mean time allows for its share (a damaged cache takes ~1 s an input)
                examples = min(chunk, FIRST_TURN)
                if tried.get(name):
                    share = (deadline - time.monotonic()) / len(families)
                    per_input = max(spent[name] / tried[name], 1e-6)
                    examples = max(1, min(chunk, int(share / per_input)))
                test = settings(
                    max_examples=examples,
                    deadline=None,
                    database=None,
                    suppress_health_check=list(HealthCheck),
                    print_blob=True,
                )(given(**strategies)(_timed(check, name, timeout, tried, slowest, spent)))
                try:
                    test()
                except InvalidArgument:
                    raise
                except Exception as exc:  # a failing input: keep it and go on fuzzing
                    for failure in _described(name, exc):
                        if failure not in failures:
                            failures.append(failure)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    total = sum(tried.values())
    took = (time.monotonic() - began) / 60
    print(f"fuzzed for {took:.1f} min ({minutes:g} asked): {total} inputs, peak memory {peak} MiB")
    for name in tried:
        print(f"  {name:15} {tried[name]:8} inputs, slowest {slowest[name] * 1000:.0f} ms")
    print(f"{len(failures)} failures")
    for failure in failures:
        print(failure)
    return 1 if failures else 0


def run_atheris(minutes: float, timeout: float) -> int:
    import atheris

    with atheris.instrument_imports():
        import yaml  # noqa: F401

        from tests import strategies as s
    folder = Path(tempfile.mkdtemp())
    suffixes = [".yaml", ".json"]

    def one_input(data: bytes) -> None:
        if not data:
            return
        path = s.write(folder, "case" + suffixes[data[0] % 2], data[1:])
        s.check_file(path)

    corpus = folder / "corpus"
    corpus.mkdir()
    for i, case in enumerate(sorted((ROOT / "cases").rglob("*.yaml"))):
        (corpus / f"seed{i}").write_bytes(b"\0" + case.read_bytes())
    argv = [
        sys.argv[0],
        str(corpus),
        f"-max_total_time={int(minutes * 60)}",
        f"-timeout={int(timeout)}",
        "-rss_limit_mb=2048",
        "-print_final_stats=1",
    ]
    atheris.Setup(argv, one_input)
    atheris.Fuzz()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per input")
    parser.add_argument("--chunk", type=int, default=500, help="examples per family per turn")
    parser.add_argument("--atheris", action="store_true", help="coverage-guided, raw bytes")
    args = parser.parse_args()
    if args.atheris:
        return run_atheris(args.minutes, args.timeout)
    return run_hypothesis(args.minutes, args.timeout, args.chunk)


if __name__ == "__main__":
    sys.exit(main())

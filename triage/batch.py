"""Whole cohorts at once: many cases in, one JSON line per case out, in input order.

A batch is cut into shards of a few dozen cases. Evaluating a shard is a plain function,
`evaluate_shard(shard) -> answers`, so it runs the same in this process, in a standard process
pool, or later on a cluster engine (Ray, Dask) that maps a function over shards. Only a bounded
number of shards is in flight at once, so memory does not grow with the size of the input.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from triage import escape
from triage.case import parse_case, read_case
from triage.documents import parse_document
from triage.errors import EngineError, TriageError
from triage.evaluation import Evaluator
from triage.library import case_files

SHARD_SIZE = 32
SHARDS_IN_FLIGHT_PER_WORKER = 4
STDIN = "-"


@dataclass(frozen=True)
class Item:
    """One case of a batch, not yet read: a line of JSON, or a case file to read."""

    where: str  # "INPUT:line 12", or the case file's path
    text: str | None = None  # the JSON line; None for a case file
    line: int | None = None
    problem: str | None = None  # why the line cannot be read at all (not UTF-8)


@dataclass(frozen=True)
class Answer:
    """What a batch says about one case: the line written out and what the summary counts."""

    line: str  # the report's JSON, or for a bad case an object with its error
    error: str | None = None  # the error with the place it comes from, for stderr
    internal: bool = False  # the engine failed, not the input
    sites: tuple[str, ...] = ()
    tests: tuple[str, ...] = ()
    treatments: tuple[str, ...] = ()  # "id=status"


@dataclass
class Summary:
    """Counts over a whole batch."""

    workers: int
    cases: int = 0
    bad: int = 0
    internal: int = 0
    seconds: float = 0.0
    sites: Counter[str] = field(default_factory=Counter)
    tests: Counter[str] = field(default_factory=Counter)
    treatments: Counter[str] = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        return self.cases / self.seconds if self.seconds > 0 else 0.0

    def add(self, answer: Answer) -> None:
        self.cases += 1
        if answer.error is not None:
            self.bad += 1
            self.internal += answer.internal
            return
        self.sites.update(answer.sites)
        self.tests.update(answer.tests)
        self.treatments.update(answer.treatments)

    def describe(self, top: int = 5) -> str:
        """The summary a user reads at the end of a batch."""
        plural = "s" if self.workers > 1 else ""
        lines = [
            f"{self.cases} cases: {self.cases - self.bad} evaluated, {self.bad} bad; "
            f"{self.rate:.0f} cases/s ({self.seconds:.1f} s, {self.workers} worker{plural})"
        ]
        # Every case has all five treatments; the summary counts the decisions taken.
        decided = Counter(
            {key: n for key, n in self.treatments.items() if not key.endswith("=not_indicated")}
        )
        counters = {"sites": self.sites, "tests": self.tests, "treatments": decided}
        for name, counter in counters.items():
            common = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
            shown = ", ".join(f"{key} {count}" for key, count in common) or "none"
            lines.append(f"{name}: {shown}")
        return "\n".join(lines)


# -- reading the input ---------------------------------------------------------------------


def read_items(source: str | Path, stdin: BinaryIO | None = None) -> Iterator[Item]:
    """The cases of a JSON Lines file, of standard input (`-`) or of a folder of case files,
    lazily, in input order. Blank lines are not cases. A missing input raises TriageError."""
    if str(source) == STDIN:
        return _lines(stdin if stdin is not None else sys.stdin.buffer, STDIN)
    path = Path(source)
    if path.is_dir():
        return (Item(where=str(file)) for file in case_files([path]))
    if not path.is_file():
        raise TriageError("no such file or folder", where=str(path))
    return _lines_of_file(path)


def count_items(source: str | Path) -> int | None:
    """How many cases `read_items` will give, when that is cheap to know (not for stdin)."""
    if str(source) == STDIN:
        return None
    path = Path(source)
    if path.is_dir():
        return len(case_files([path]))
    with path.open("rb") as stream:
        return sum(1 for raw in stream if raw.strip())


def _lines_of_file(path: Path) -> Iterator[Item]:
    with path.open("rb") as stream:
        yield from _lines(stream, str(path))


def _lines(stream: Iterable[bytes], name: str) -> Iterator[Item]:
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        where = f"{name}:line {number}"
        try:
            yield Item(where=where, text=raw.decode("utf-8"), line=number)
        except UnicodeDecodeError as exc:
            yield Item(where=where, line=number, problem=f"not UTF-8 text (byte {exc.start})")


def shards(items: Iterable[Item], size: int = SHARD_SIZE) -> Iterator[list[Item]]:
    shard: list[Item] = []
    for item in items:
        shard.append(item)
        if len(shard) == size:
            yield shard
            shard = []
    if shard:
        yield shard


# -- evaluating ----------------------------------------------------------------------------

_evaluator: Evaluator | None = None


def _shared_evaluator() -> Evaluator:
    """This process's evaluator: durable_rules rulesets are per process, built once."""
    global _evaluator
    if _evaluator is None:
        _evaluator = Evaluator.load()
    return _evaluator


def evaluate_shard(shard: list[Item]) -> list[Answer]:
    """The answer to every case of a shard, in order: a plain function of its input."""
    evaluator = _shared_evaluator()
    return [_answer(evaluator, item) for item in shard]


def _answer(evaluator: Evaluator, item: Item) -> Answer:
    data: Any = None
    try:
        if item.problem is not None:
            raise TriageError(item.problem)
        if item.text is None:
            case = read_case(Path(item.where))
        else:
            data = parse_document(item.text, ".json")
            case = parse_case(data)
        report = evaluator.evaluate(case)
    except TriageError as exc:
        return _error(item, data, str(exc), internal=False)
    except EngineError as exc:
        return _error(item, data, f"internal: {exc}", internal=True)
    except Exception as exc:  # a bug must not lose the case, nor the rest of the batch
        return _error(item, data, f"internal: {type(exc).__name__}: {exc}", internal=True)
    return Answer(
        line=escape.json_text(report.to_json()),  # U+2028 in a title must not split the line
        sites=tuple(site.id for site in report.sites),
        tests=tuple(test.id for test in report.tests),
        treatments=tuple(f"{t.id}={t.status}" for t in report.treatments),
    )


def _error(item: Item, data: Any, message: str, *, internal: bool) -> Answer:
    line: dict[str, Any] = {}
    case_id = data.get("id") if isinstance(data, dict) else None
    if isinstance(case_id, str):
        line["case_id"] = case_id
    if item.line is not None:
        line["line"] = item.line
    else:
        line["file"] = item.where
    prefix = f"{item.where}: "
    message = message.removeprefix(prefix)
    line["error"] = message
    located = escape.terminal(prefix + message)  # for stderr: a file name may hold anything
    return Answer(line=escape.json_line(line), error=located, internal=internal)


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def answers(
    items: Iterable[Item], workers: int = 1, shard_size: int = SHARD_SIZE
) -> Iterator[Answer]:
    """Every item's answer, in input order, spread over `workers` processes."""
    queue = shards(items, shard_size)
    first = list(itertools.islice(queue, 2))
    if workers <= 1 or len(first) < 2:  # one shard (a class's cases): no pool to start
        for shard in itertools.chain(first, queue):
            yield from evaluate_shard(shard)
        return
    queue = itertools.chain(first, queue)
    # spawn, not fork: a forked child would inherit durable_rules' timer threads and rulesets
    # mid-use. Each worker builds its own evaluator once, when it starts.
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_shared_evaluator
        ) as pool:
            pending: deque = deque()
            for shard in queue:
                pending.append(pool.submit(evaluate_shard, shard))
                if len(pending) >= workers * SHARDS_IN_FLIGHT_PER_WORKER:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
    except BrokenProcessPool as exc:  # a worker died (killed, out of memory, a crash in C)
        raise EngineError(f"a worker process stopped: {exc}") from None


def run_batch(
    items: Iterable[Item],
    write: Callable[[str], Any],
    workers: int = 1,
    on_answer: Callable[[Answer], None] | None = None,
    shard_size: int = SHARD_SIZE,
) -> Summary:
    """Answer every item, writing one line per case in input order; the batch's summary."""
    summary = Summary(workers=workers)
    start = time.perf_counter()
    for answer in answers(items, workers, shard_size):
        write(answer.line + "\n")
        summary.add(answer)
        if on_answer is not None:
            on_answer(answer)
    summary.seconds = time.perf_counter() - start
    return summary

"""Whole cohorts at once: many cases in, one JSON line per case out, in input order.

A batch is cut into shards of a few dozen cases. Evaluating a shard is a plain function,
`evaluate_shard(shard) -> answers`, so it runs the same in this process, in worker processes,
or later on a cluster engine (Ray, Dask) that maps a function over shards. Only a bounded
number of shards is in flight at once, so memory does not grow with the size of the input.

Every case in gets exactly one line out, whatever happens to a worker: a worker that dies or
takes longer than the shard time limit is killed and its shard is evaluated again in a fresh
worker; if that fails too, each case of the shard gets an error line. Workers die with the
batch (a parent-death signal on Linux, a watch thread elsewhere).
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import multiprocessing
import os
import signal
import stat
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from queue import Empty, SimpleQueue
from typing import Any, BinaryIO

from triage import escape
from triage.case import parse_case, read_case
from triage.documents import parse_document
from triage.errors import EngineError, TriageError
from triage.evaluation import Evaluator
from triage.library import case_files
from triage.limits import MAX_FILE_BYTES, size_text

# Cases a worker is given at once: a shard's answers travel in one message and are written in
# one call, so much of the batch's own work (waiting, receiving, copying) is per shard. With
# 32 cases a shard both cores ran 1.70-1.78x one core, with 128 1.81-1.84x (bench/benchmark.py).
SHARD_SIZE = 128
SHARDS_IN_FLIGHT_PER_WORKER = 4
# Jobs given to a worker at once: the one it evaluates and the next, waiting in its pipe.
JOBS_PER_WORKER = 2
SHARD_SECONDS = 120.0  # a shard of 128 cases takes about a tenth of a second: past this it hangs
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

    # The report's JSON, or for a bad case an object with its error; in UTF-8, as it is written
    # (passed from a worker to the batch and written out without being decoded and encoded).
    line: bytes
    error: str | None = None  # the error with the place it comes from, for stderr
    internal: bool = False  # the engine failed, not the input
    sites: tuple[str, ...] = ()
    tests: tuple[str, ...] = ()
    treatments: tuple[str, ...] = ()  # "id=status"


@dataclass(frozen=True)
class ShardAnswers:
    """The answers to one shard, in order, as a worker sends them back and the batch writes
    them: every line in one piece, each followed by a newline (one bytes object to pass between
    processes and one write, instead of one of each per case), and each answer's other fields.
    A line never holds a newline of its own: it is one JSON text, whose strings escape theirs."""

    lines: bytes
    # Each answer's other fields, in the order of Answer's: error, internal, sites, tests,
    # treatments (plain tuples: quick to pickle and to read).
    fields: tuple[tuple[Any, ...], ...]

    @classmethod
    def of(cls, answers: Iterable[Answer]) -> ShardAnswers:
        answers = list(answers)
        lines = b"".join([part for answer in answers for part in (answer.line, b"\n")])
        fields = tuple(
            (answer.error, answer.internal, answer.sites, answer.tests, answer.treatments)
            for answer in answers
        )
        return cls(lines, fields)

    def __len__(self) -> int:
        return len(self.fields)

    def __iter__(self) -> Iterator[Answer]:
        """Each answer, with its line."""
        for line, fields in zip(self.lines.split(b"\n"), self.fields, strict=False):
            yield Answer(line, *fields)

    def errors(self) -> list[str]:
        """The error of each case that got no report, in order."""
        return [error for error, *_ in self.fields if error is not None]


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

    def add(self, answered: ShardAnswers) -> None:
        """Count a shard's answers in."""
        sites, tests, treatments = self.sites, self.tests, self.treatments
        self.cases += len(answered)
        for error, internal, *ids in answered.fields:
            if error is not None:
                self.bad += 1
                self.internal += internal
                continue
            # Counted one by one: Counter.update would first ask whether each tuple is a
            # Mapping, an abstract class's check that costs more than counting a case's ids.
            for counter, keys in zip((sites, tests, treatments), ids, strict=True):
                for key in keys:
                    counter[key] += 1

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

# A line of a cohort is a case: it may be no longer than a case file. Longer lines are refused
# before they are parsed, and read no further than the limit (standard input included: a
# stream with no line end, such as /dev/zero, never fills memory).
MAX_LINE_BYTES = MAX_FILE_BYTES
BOM = b"\xef\xbb\xbf"
_SKIP_CHUNK = 64 * 1024


def read_items(source: str | Path, stdin: BinaryIO | None = None) -> Iterator[Item]:
    """The cases of a JSON Lines file or stream (a FIFO such as `<(cmd)`, a device), of
    standard input (`-`) or of a folder of case files, lazily, in input order. Blank lines are
    not cases. An input that cannot be read raises TriageError at once."""
    if str(source) == STDIN:
        return _lines(stdin if stdin is not None else sys.stdin.buffer, STDIN)
    path = Path(source)
    try:
        info = path.stat()
    except OSError:
        raise TriageError("no such file or folder", where=str(path)) from None
    if stat.S_ISDIR(info.st_mode):
        return iter([Item(where=str(file)) for file in case_files([path])])
    try:
        stream = path.open("rb")  # a regular file, or a stream: a pipe, a device, a socket
    except OSError as exc:
        raise TriageError(f"cannot be read: {exc.strerror}", where=str(path)) from None
    return _lines_of(stream, str(path))


def count_items(source: str | Path) -> int | None:
    """How many cases `read_items` will give, when that is cheap to know (a regular file or a
    folder; not a stream)."""
    if str(source) == STDIN:
        return None
    path = Path(source)
    if path.is_dir():
        return len(case_files([path]))
    if not path.is_file():
        return None
    with path.open("rb") as stream:
        return sum(1 for _, raw in _raw_lines(stream) if raw is None or raw.strip())


def _lines_of(stream: BinaryIO, name: str) -> Iterator[Item]:
    with stream:
        yield from _lines(stream, name)


def _raw_lines(stream: BinaryIO, limit: int = MAX_LINE_BYTES) -> Iterator[tuple[int, bytes | None]]:
    """(line number, the line's bytes), or None for a line of more than `limit` bytes (its end
    of line and a BOM on line 1 aside), which is read no further and skipped in small chunks."""
    number = 0
    while True:
        cap = limit + len(b"\r\n") + (len(BOM) if number == 0 else 0)
        raw = stream.readline(cap)
        if not raw:
            return
        number += 1
        cut_short = len(raw) == cap and not raw.endswith(b"\n")
        if number == 1 and raw.startswith(BOM):  # as in a case file, the BOM is not text
            raw = raw[len(BOM) :]
        text = raw.removesuffix(b"\n").removesuffix(b"\r")
        if not cut_short and len(text) <= limit:
            yield number, raw
            continue
        yield number, None
        while cut_short and (raw := stream.readline(_SKIP_CHUNK)):
            cut_short = not raw.endswith(b"\n")


def _lines(stream: BinaryIO, name: str) -> Iterator[Item]:
    try:
        yield from _decoded(stream, name)
    except OSError as exc:  # the input stopped being readable (EIO, EBADF): bad input, not ours
        raise TriageError(f"cannot be read: {exc.strerror}", where=name) from None


def _decoded(stream: BinaryIO, name: str) -> Iterator[Item]:
    too_long = f"the line is over the limit of {size_text(MAX_LINE_BYTES)} for one case"
    for number, raw in _raw_lines(stream):
        where = f"{name}:line {number}"
        if raw is None:
            yield Item(where=where, line=number, problem=too_long)
            continue
        if not raw.strip():
            continue
        try:
            yield Item(where=where, text=raw.decode("utf-8"), line=number)
        except UnicodeDecodeError as exc:
            yield Item(where=where, line=number, problem=f"not UTF-8 text (byte {exc.start})")


def first_and_rest(items: Iterator[Item], source: str | Path) -> Iterator[Item]:
    """The items, having checked there is at least one: an empty input is refused."""
    first = next(items, None)
    if first is None:
        raise TriageError("no cases: the input is empty", where=str(source))
    return itertools.chain([first], items)


def _identity(info: os.stat_result) -> tuple[int, int] | None:
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None


def refuse_output_onto_input(source: str | Path, output: str | Path) -> None:
    """An output that is the input (or one of its case files) would empty it before it is read:
    refused. `-` is standard input or output, whatever file the shell put there."""

    def identity(path: str | Path, fd: int) -> tuple[int, int] | None:
        try:
            return _identity(os.fstat(fd) if str(path) == STDIN else os.stat(path))
        except OSError:
            return None

    out = identity(output, 1)
    if out is None:
        return
    inputs = [Path(source)]
    if str(source) != STDIN and Path(source).is_dir():
        inputs = case_files([Path(source)])
    for path in inputs:
        if identity(path, 0) == out:
            written = "standard output" if str(output) == STDIN else f"--output {output}"
            read = "standard input" if str(path) == STDIN else str(path)
            raise TriageError(f"{written} is the input ({read}): it would be emptied")


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
    except TriageError as exc:  # placed at the item: `_error` shows the place itself
        return _error(item, data, exc.located(item.where).reason, internal=False)
    except EngineError as exc:
        return _error(item, data, f"internal: {exc}", internal=True)
    except Exception as exc:  # a bug must not lose the case, nor the rest of the batch
        return _error(item, data, f"internal: {type(exc).__name__}: {exc}", internal=True)
    return Answer(
        line=_json_line(report.to_json_bytes()),  # U+2028 in a title must not split it
        sites=tuple(site.id for site in report.sites),
        tests=tuple(test.id for test in report.tests),
        treatments=tuple(f"{t.id}={t.status}" for t in report.treatments),
    )


# What escape.json_text escapes, as it is written in UTF-8: DEL, the C1 controls (lead byte C2,
# which also starts U+00A0-U+00BF: a false alarm at worst), U+2028 and U+2029. (A lone surrogate
# cannot be written in UTF-8 at all.)
_JSON_UNSAFE_UTF8 = (b"\x7f", b"\xc2", b"\xe2\x80\xa8", b"\xe2\x80\xa9")


def _json_line(data: bytes) -> bytes:
    """A report's JSON made safe as escape.json_text makes it, kept in UTF-8: most reports hold
    nothing it escapes, which a search of the bytes finds without decoding them (~85 us of a
    worker's CPU for a report with a non-ASCII character, instead of ~146 through text)."""
    if any(unsafe in data for unsafe in _JSON_UNSAFE_UTF8):
        return escape.json_text(data.decode()).encode()
    return data


def _error(item: Item, data: Any, message: str, *, internal: bool) -> Answer:
    """The answer for a case that got no report: `message` says what is wrong, and the item
    (its file, or its line of the input) says where, in the JSON line and on stderr."""
    line: dict[str, Any] = {}
    case_id = data.get("id") if isinstance(data, dict) else None
    if isinstance(case_id, str):
        line["case_id"] = case_id
    if item.line is not None:
        line["line"] = item.line
    else:
        line["file"] = item.where
    line["error"] = message
    located = escape.terminal(f"{item.where}: {message}")  # stderr: a file name may hold anything
    return Answer(line=escape.json_line(line).encode(), error=located, internal=internal)


def shards(items: Iterable[Item], size: int = SHARD_SIZE) -> Iterator[list[Item]]:
    shard: list[Item] = []
    for item in items:
        shard.append(item)
        if len(shard) == size:
            yield shard
            shard = []
    if shard:
        yield shard


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_count(asked: int | None, force: bool = False) -> tuple[int, str | None]:
    """How many workers to start, and a note when fewer than asked: more workers than cores
    only add memory (about 45 MB each) and time, unless forced."""
    cores = default_workers()
    if asked is None:
        return cores, None
    if asked > cores and not force:
        note = (
            f"--workers {asked} is more than the {cores} usable cores: using {cores}"
            " (--force-workers to start them all)"
        )
        return cores, note
    return asked, None


def answers(
    items: Iterable[Item],
    workers: int = 1,
    shard_size: int = SHARD_SIZE,
    shard_seconds: float = SHARD_SECONDS,
) -> Iterator[Answer]:
    """Every item's answer, in input order, spread over `workers` processes."""
    for answered in shards_answered(items, workers, shard_size, shard_seconds):
        yield from answered


def shards_answered(
    items: Iterable[Item],
    workers: int = 1,
    shard_size: int = SHARD_SIZE,
    shard_seconds: float = SHARD_SECONDS,
) -> Iterator[ShardAnswers]:
    """The answers to every shard of the items, in input order, spread over `workers`
    processes."""
    queue = shards(items, shard_size)
    first = list(itertools.islice(queue, 2))
    if workers <= 1 or len(first) < 2:  # one shard (a class's cases): no worker to start
        for shard in itertools.chain(first, queue):
            yield ShardAnswers.of(evaluate_shard(shard))
        return
    yield from _Pool(workers, shard_seconds).shards_answered(itertools.chain(first, queue))


# -- worker processes ----------------------------------------------------------------------

START_SECONDS = 300.0  # a worker loads the knowledge base and compiles its rulesets
START_ATTEMPTS = 3  # workers that fail to start in a row before the batch gives up
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


Work = Callable[[list[Item]], list[Answer]]


def _worker_main(conn: Connection, parent: int, work: Work) -> None:
    """A worker process: evaluate the shards the parent sends until it sends None or dies."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when the batch stops
    try:
        _shared_evaluator()
    except Exception as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if job is None:
            return
        index, shard = job
        answered = ShardAnswers.of(work(shard))
        # the lines as bytes of their own, not pickled: the batch writes them as it reads them
        # (one copy fewer of ~11 KB a case in the process that writes the output)
        conn.send(("done", (index, answered.fields)))
        conn.send_bytes(answered.lines)


def _die_with_parent(parent: int) -> None:
    """Make this worker die with the batch: the kernel's parent-death signal on Linux, else
    a thread that watches for the parent to go."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the signal was set
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


@dataclass
class _Job:
    index: int  # the shard's place in the input
    shard: list[Item]
    failures: list[str] = field(default_factory=list)  # what happened to earlier attempts


class _Worker:
    """One worker process, the pipe to it, and the jobs it was given, in order: the first is
    the one it is evaluating, the next waits in its pipe so that it never waits for the pool
    between two shards."""

    def __init__(self, context: Any, work: Work, inbox: SimpleQueue[Any]) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker_main, args=(child, os.getpid(), work), daemon=True, name="triage-worker"
        )
        self.process.start()
        child.close()  # so that the worker's death reads as the end of the pipe
        self.ready = False
        self.jobs: deque[_Job] = deque()
        self.deadline = time.monotonic() + START_SECONDS  # of its start, then of its first job
        # Jobs are sent from a thread of their own: a shard of long lines fills the pipe, and a
        # worker stopped (SIGSTOP) before it reads would block the pool, which must go on
        # watching the time.
        self.outbox: SimpleQueue[Any] = SimpleQueue()
        threading.Thread(target=self._send_all, daemon=True).start()
        # ... and what it sends is read by a thread of its own too, into the pool's inbox: a
        # worker stopped (SIGSTOP) halfway through sending a shard's lines would block a read
        # that waits for the rest (a fresh-clone CI run hung so, twice)
        threading.Thread(target=self._receive_all, args=(inbox,), daemon=True).start()

    def give(self, job: _Job, seconds: float) -> None:
        if not self.jobs:  # it starts on this one now; otherwise when the one before is done
            self.deadline = time.monotonic() + seconds
        self.jobs.append(job)
        self.outbox.put((job.index, job.shard))

    def finished(self, seconds: float) -> None:
        """It answered its first job (it works in order); the next, if any, starts now."""
        self.jobs.popleft()
        self.deadline = time.monotonic() + seconds

    def _send_all(self) -> None:
        while (message := self.outbox.get()) is not None:
            try:
                self.conn.send(message)
            except (OSError, ValueError):  # it died or was stopped: the pool sees it
                return

    def _receive_all(self, inbox: SimpleQueue[Any]) -> None:
        """Put each message of the worker in the inbox, with the lines that follow a "done";
        then that it ended (its end of the pipe closed: it died, or the pool stopped it)."""
        try:
            while True:
                kind, value = self.conn.recv()
                lines = self.conn.recv_bytes() if kind == "done" else None  # sent right after
                inbox.put((self, kind, value, lines))
        except (EOFError, OSError, ValueError, TypeError):
            inbox.put((self, "ended", None, None))

    @property
    def waited_on(self) -> bool:
        return bool(self.jobs) or not self.ready

    def how_it_ended(self) -> str:
        self.process.join(timeout=5)
        code = self.process.exitcode
        if code is not None and code < 0:
            try:
                return f"was killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"was killed by signal {-code}"
        return f"stopped (exit status {code})"

    def stop(self) -> None:
        self.outbox.put(None)
        if self.process.is_alive():
            self.process.kill()  # SIGKILL: stopped (SIGSTOP) or stuck, it still ends
        self.process.join(timeout=5)
        self.conn.close()


class _Pool:
    """Worker processes that evaluate shards, one at a time each; a dead or stuck worker is
    replaced, and its shard evaluated again once before its cases get error lines."""

    def __init__(self, workers: int, shard_seconds: float, work: Work = evaluate_shard) -> None:
        # fork, where there is fork: the workers start with this process's evaluator, loaded
        # and compiled once, before the first of them (spawn would import and load it again in
        # each, a second of CPU per worker). The engine runs no thread of its own to inherit
        # mid-use (triage.core.adapter drives durable_rules' C engine directly), and what the
        # evaluator holds is frozen out of the garbage collector's way, so a worker does not
        # copy it page by page. Elsewhere each worker builds its own evaluator when it starts.
        methods = multiprocessing.get_all_start_methods()
        self.context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.work = work  # a module-level function: a worker imports it by name
        self.size = workers
        self.shard_seconds = shard_seconds
        self.window = workers * SHARDS_IN_FLIGHT_PER_WORKER  # shards read ahead, at most
        self.retries: deque[_Job] = deque()
        self.done: dict[int, ShardAnswers] = {}
        self.failed_starts = 0
        self.inbox: SimpleQueue[Any] = SimpleQueue()  # (worker, kind, value, lines): see _Worker

    def answers(self, queue: Iterator[list[Item]]) -> Iterator[Answer]:
        for answered in self.shards_answered(queue):
            yield from answered

    def shards_answered(self, queue: Iterator[list[Item]]) -> Iterator[ShardAnswers]:
        if self.context.get_start_method() == "fork":
            _shared_evaluator()  # loaded here, once, for every worker forked from here
        pool = [_Worker(self.context, self.work, self.inbox) for _ in range(self.size)]
        taken = given = 0  # shards read from the input; shards whose answers were given
        exhausted = False
        try:
            while True:
                while given in self.done:
                    yield self.done.pop(given)
                    given += 1
                for worker in pool:
                    while worker.ready and len(worker.jobs) < JOBS_PER_WORKER:
                        job = self.retries.popleft() if self.retries else None
                        if job is None and not exhausted and taken - given < self.window:
                            shard = next(queue, None)
                            if shard is None:
                                exhausted = True
                            else:
                                job = _Job(taken, shard)
                                taken += 1
                        if job is None:
                            break
                        worker.give(job, self.shard_seconds)
                if exhausted and given == taken:
                    return
                self._wait(pool)
        finally:
            for worker in pool:
                worker.stop()

    def _wait(self, pool: list[_Worker]) -> None:
        """Wait for a worker to answer, die or overrun its time; deal with what happened.
        Nothing here reads a worker's pipe: its thread does (`_Worker._receive_all`)."""
        now = time.monotonic()
        deadlines = [worker.deadline for worker in pool if worker.waited_on]
        timeout = max(0.0, min(deadlines, default=now + 1.0) - now)
        messages = []
        try:
            messages.append(self.inbox.get(timeout=timeout))
            while True:
                messages.append(self.inbox.get_nowait())
        except Empty:
            pass
        for worker, kind, value, lines in messages:
            if not any(worker is current for current in pool):
                continue  # a worker already replaced: what it says is too late
            if kind == "ended":
                problem: str | None = worker.how_it_ended()
            else:
                problem = self._received(worker, kind, value, lines)
            if problem is not None:
                pool[self._place(pool, worker)] = self._replace(worker, problem)
        for place, worker in enumerate(pool):
            if worker.waited_on and time.monotonic() > worker.deadline:
                limit = self.shard_seconds if worker.ready else START_SECONDS
                pool[place] = self._replace(worker, f"took more than {limit:g} s")

    @staticmethod
    def _place(pool: list[_Worker], worker: _Worker) -> int:
        return next(place for place, current in enumerate(pool) if current is worker)

    def _received(self, worker: _Worker, kind: str, value: Any, lines: bytes | None) -> str | None:
        if kind == "ready":
            worker.ready = True
            self.failed_starts = 0
            return None
        if kind == "done" and lines is not None:
            index, fields = value
            worker.finished(self.shard_seconds)
            self.done[index] = ShardAnswers(lines, fields)
            return None
        return f"could not start: {value}"

    def _replace(self, worker: _Worker, problem: str) -> _Worker:
        worker.stop()
        if not worker.ready:
            self.failed_starts += 1
            if self.failed_starts >= START_ATTEMPTS:
                raise EngineError(f"worker processes cannot start: the last {problem}")
        if worker.jobs:
            job, *waiting = worker.jobs
            job.failures.append(problem)
            if len(job.failures) == 1:
                self.retries.append(job)  # once more, in a fresh worker
            else:
                what = "; then, again, ".join(job.failures)
                message = f"internal: the worker process evaluating this case {what}"
                self.done[job.index] = ShardAnswers.of(
                    _error(item, None, message, internal=True) for item in job.shard
                )
            self.retries.extend(waiting)  # not started: no failure of theirs
        return _Worker(self.context, self.work, self.inbox)


# -- running a batch -----------------------------------------------------------------------


class Stopped(BaseException):
    """The batch was asked to stop by a signal (SIGINT, SIGTERM, SIGHUP)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.name = signal.Signals(signum).name
        super().__init__(self.name)


STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class _Holding:
    """Whether a stop must wait: a signal that comes while `signals_held` is in force is kept
    and raised when it ends."""

    depth = 0
    pending: int | None = None


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within: SIGINT, SIGTERM and SIGHUP all raise Stopped, so a batch ends the same way
    whichever it gets: its workers killed, the lines written so far complete."""

    def stop(signum: int, frame: Any) -> None:
        if _Holding.depth:  # within `signals_held`: raised when it ends
            _Holding.pending = signum
            return
        raise Stopped(signum)

    try:
        previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    except ValueError:  # not the main thread: signals are not ours to handle
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Within: a stop by SIGINT, SIGTERM or SIGHUP waits until it ends, so that what is done
    within is done whole: a shard's lines and the count of them. (Blocking the signals would
    not do: the process's other threads may take one, and Python runs its handler in the main
    thread at the next instruction, wherever that is.)"""
    _Holding.depth += 1
    try:
        yield
    finally:
        _Holding.depth -= 1
    pending = _Holding.pending
    if pending is not None and not _Holding.depth:
        _Holding.pending = None
        raise Stopped(pending)


def run_batch(
    items: Iterable[Item],
    write: Callable[[bytes, int], Any],
    workers: int = 1,
    on_answered: Callable[[ShardAnswers], None] | None = None,
    shard_size: int = SHARD_SIZE,
    shard_seconds: float = SHARD_SECONDS,
) -> Summary:
    """Answer every item, writing one line per case in input order: `write(lines, cases)` is
    given a shard's lines at once, and how many they are; then `on_answered` its answers. The
    batch's summary."""
    summary = Summary(workers=workers)
    start = time.perf_counter()
    for answered in shards_answered(items, workers, shard_size, shard_seconds):
        write(answered.lines, len(answered))
        summary.add(answered)
        if on_answered is not None:
            on_answered(answered)
    summary.seconds = time.perf_counter() - start
    return summary

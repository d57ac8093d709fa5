"""`triage batch INPUT`: evaluate a whole cohort, one JSON report per line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click


@click.command()
@click.argument("source", metavar="INPUT", type=click.Path(path_type=Path, allow_dash=True))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    default="-",
    help="Where the JSON lines go (default: standard output); never the input.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to spread the cases over (default and most: the usable cores).",
)
@click.option("--force-workers", is_flag=True, help="Start --workers even if above the cores.")
@click.option(
    "--shard-seconds",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Time a worker may take over one shard of 32 cases before it is replaced and the"
    " shard tried again (default: 120).",
)
def batch(
    source: Path,
    output: Path,
    workers: int | None,
    force_workers: bool,
    shard_seconds: float | None,
) -> None:
    """Evaluate a whole cohort: one JSON report per line, in input order.

    INPUT is a JSON Lines file or stream (e.g. <(zcat cohort.jsonl.gz)), a folder of case
    files, or - for standard input. Every case gets exactly one line: a bad case, or one whose
    worker failed twice, gets a line with its error and the batch goes on; the summary goes to
    standard error. SIGINT, SIGTERM and SIGHUP stop the batch with its lines so far complete.
    """
    from triage import batch as batches  # worker processes: imported only when a batch runs
    from triage.commands._output import fail, output_failed
    from triage.errors import TriageError

    items = batches.read_items(source)
    batches.refuse_output_onto_input(source, output)
    items = batches.first_and_rest(items, source)
    total = batches.count_items(source) if sys.stderr.isatty() else None  # for the bar
    try:
        sink = click.open_file(str(output), "wb")  # the lines come as UTF-8
    except OSError as exc:
        raise TriageError(f"--output {output}: {exc.strerror}") from None
    workers, note = batches.worker_count(workers, force_workers)
    if note:
        click.echo(f"note: {note}", err=True)
    seconds = shard_seconds or batches.SHARD_SECONDS
    written = [0]

    def write(lines: bytes, cases: int) -> None:  # a shard's lines at once, and their count:
        with batches.signals_held():  # a stop between the two said fewer cases than written
            sink.write(lines)
            written[0] += cases

    try:
        with batches.stop_on_signals(), sink, _progress(total) as progress:

            def on_answered(answered: batches.ShardAnswers) -> None:
                for error in answered.errors():
                    progress.write(f"error: {error}", file=sys.stderr)
                progress.update(len(answered))

            summary = batches.run_batch(items, write, workers, on_answered, shard_seconds=seconds)
    except batches.Stopped as stop:
        fail(f"stopped by {stop.name} after {written[0]} cases; each line written is whole")
        sys.exit(128 + stop.signum)
    except OSError as exc:  # the output cannot be written: a full disk, /dev/full, a closed pipe
        output_failed("standard output" if str(output) == "-" else f"--output {output}", exc)
    click.echo(summary.describe(), err=True)
    sys.exit(3 if summary.internal else 2 if summary.bad else 0)


def _progress(total: int | None) -> Any:
    """A progress bar with rate and time left on stderr when it is a terminal; else silent.
    Its `write` prints a line above the bar (errors), and still prints when the bar is off."""
    from tqdm import tqdm

    return tqdm(
        total=total,
        unit=" cases",
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
        mininterval=0.2,
        smoothing=0.1,
        dynamic_ncols=True,
    )

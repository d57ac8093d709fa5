"""`triage vocab [WORD]`: the findings and the words that name them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from triage.commands._options import completer, format_option

if TYPE_CHECKING:
    from triage.evaluation import Evaluator
    from triage.reference import FindingView


@click.command()
@click.argument("word", required=False, shell_complete=completer("finding"))
@format_option
def vocab(word: str | None, output_format: str) -> None:
    """The findings, the words that name them and the sites they point to; with a WORD, the
    finding it names or the closest ones."""
    from triage.commands._output import fit, width
    from triage.evaluation import Evaluator
    from triage.reference import closest_findings, describe_finding, finding_views

    evaluator = Evaluator.load()
    read: list[str] = []  # what the words were read as, where they are no finding's own name
    if word is None:
        views = finding_views(evaluator.kb)
    elif evaluator.lexicon.findings.lookup(word) is not None:
        views = closest_findings(evaluator.kb, evaluator.lexicon, word)
    else:
        read, views = _read_as(evaluator, word)
        if not views:  # no finding read: the findings whose words are closest
            views = closest_findings(evaluator.kb, evaluator.lexicon, word)
            closest = f"the findings closest to {word!r}:"
            read = [*read, closest] if read else [f"{word!r} is not a known finding; the closest:"]
    if output_format == "json":
        for view in views:
            click.echo(view.to_json())
        return
    columns = width()
    text = "\n\n".join("\n".join(fit(describe_finding(view), columns)) for view in views)
    if read:
        text = "\n".join(fit(read, columns)) + "\n" + text
    from triage.console import show

    show(text + "\n")


def _read_as(evaluator: Evaluator, words: str) -> tuple[list[str], list[FindingView]]:
    """The findings the reader reads in the words (as `assess` would), each with how it was
    read, and their views; an abbreviation's meanings when it has several; nothing else when
    it reads no finding."""
    from triage.reading import NOT_COUNTED
    from triage.reference import finding_views
    from triage.render import denied

    by_id = {view.id: view for view in finding_views(evaluator.kb)}
    lines, found, asked = [f"{words!r} is read as:"], [], []
    for reading in evaluator.lexicon.reader.read(words):
        if reading.how == "asked":  # never guessed: its meanings are said
            meanings = ", ".join(reading.choices)
            asked.append(f"{reading.text!r} has several meanings in medicine: {meanings}")
            continue
        finding = reading.finding or reading.past_finding
        if finding is None:
            continue
        name = by_id[finding].name
        if reading.finding is None:  # past, a possibility, someone else's, meant
            meaning = f"{NOT_COUNTED[reading.how]}, not counted ({name})"
        else:
            notes = [reading.how]
            if reading.not_said:
                notes.append(f"not said: {', '.join(reading.not_said)}")
            meaning = f"{name if reading.present else denied(name)} ({'; '.join(notes)})"
        lines.append(f"  {reading.text!r}: {meaning}")
        if finding not in found:
            found.append(finding)
    if not found:
        return asked, []
    return lines + asked, [by_id[finding] for finding in found]

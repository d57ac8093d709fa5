"""`triage vocab [WORD]`: the findings and the words that name them."""

from __future__ import annotations

import click

from triage.commands._options import completer, format_option


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
    views = (
        closest_findings(evaluator.kb, evaluator.lexicon, word)
        if word is not None
        else finding_views(evaluator.kb)
    )
    if output_format == "json":
        for view in views:
            click.echo(view.to_json())
        return
    columns = width()
    if word is not None and evaluator.lexicon.findings.lookup(word) is None:
        click.echo("\n".join(fit([f"{word!r} is not a known finding; the closest:"], columns)))
    text = "\n\n".join("\n".join(fit(describe_finding(view), columns)) for view in views)
    from triage.console import show

    show(text + "\n")

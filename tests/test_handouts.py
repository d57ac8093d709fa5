"""Markdown handouts and explanation graphs (DOT, Mermaid, SVG), checked against real cases."""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner

from triage.case import read_case
from triage.cli import main
from triage.graph import explanation_graph, to_dot, to_mermaid
from triage.handout import render_markdown

from .conftest import CASES

FILES = sorted(CASES.rglob("*.yaml"))
LIVER = CASES / "liver" / "liver-er-positive-conflict.yaml"


def invoke(*args: str, **kwargs):
    return CliRunner().invoke(main, list(args), **kwargs)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_trace_step_is_an_edge_of_the_graph(evaluator, path):
    report = evaluator.evaluate(read_case(path))
    nodes, edges = explanation_graph(report)
    facts = {node.fact for node in nodes}
    drawn = {(e.source, e.target, e.label.split(" ")[0]) for e in edges}
    traces = report.traces()
    for step in (step for trace in traces for step in trace):
        assert step.concludes in facts
        for premise in step.because:
            if premise != step.concludes:
                assert (premise, step.concludes, step.rule) in drawn
        if not step.because:
            assert (f"default:{step.concludes}", step.concludes, step.rule) in drawn
    assert set(report.facts) <= facts


def test_the_dot_graph_labels_each_edge_with_its_rule(evaluator):
    dot = to_dot(evaluator.evaluate(read_case(LIVER)))
    assert dot.startswith('digraph "liver-er-positive-conflict" {')
    assert re.search(r'n\d+ -> n\d+ \[label="site.liver.jaundice \+0.80"\];', dot)
    assert "Educational use only" in dot
    assert 'label="hormone_therapy: contraindicated", shape=box, style="rounded,bold"' in dot


def test_the_mermaid_graph_is_a_flowchart_with_rule_labels(evaluator):
    mermaid = to_mermaid(evaluator.evaluate(read_case(LIVER)))
    lines = mermaid.splitlines()
    assert lines[0] == "flowchart LR"
    assert any(
        re.fullmatch(r'  n\d+ -->\|"site.liver.jaundice \+0.80"\| n\d+', line) for line in lines
    )


@pytest.mark.parametrize("path", FILES[:10], ids=[p.stem for p in FILES[:10]])
def test_the_handout_cites_every_step_with_its_quote_or_reference(evaluator, path):
    report = evaluator.evaluate(read_case(path))
    handout = render_markdown(report, evaluator.kb)
    assert handout.startswith(f"# Case `{report.case_id}`")
    assert report.disclaimer in handout
    for site in report.sites:
        assert f"| {site.certainty:.2f} |" in handout
    traces = [c.trace for c in [*report.sites, *report.tests, *report.treatments]]
    for step in (step for trace in traces for step in trace):
        assert f"`{step.rule}`" in handout
        assert (step.quote and f'> "{step.quote}"' in handout) or (
            step.reference and step.reference in handout
        )


def test_markdown_runs_from_the_command_line():
    # Byte-identical across processes: tests/test_cli.py runs the library in every format.
    result = invoke("run", str(LIVER), "--format", "markdown")
    assert result.exit_code == 0
    assert "| Hormone therapy | **contraindicated** |" in result.stdout


def test_output_writes_the_file_instead_of_standard_output(tmp_path):
    target = tmp_path / "graph.mmd"
    result = invoke("assess", "jaundice", "--format", "mermaid", "--output", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text().startswith("flowchart LR")


def test_svg_without_graphviz_says_how_to_install_it(tmp_path):
    target = tmp_path / "graph.svg"
    result = invoke("assess", "jaundice", "--output", str(target), env={"PATH": str(tmp_path)})
    assert result.exit_code == 2
    assert result.output.startswith("error: Graphviz is not installed")
    assert "apt-get install graphviz" in result.output
    assert not target.exists()


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed here")
def test_svg_is_drawn_when_graphviz_is_installed(tmp_path):
    target = tmp_path / "graph.svg"
    result = invoke("run", str(LIVER), "--output", str(target))
    assert result.exit_code == 0
    svg = target.read_text()
    assert "<svg" in svg and "site.liver.jaundice +0.80" in svg


def test_svg_needs_exactly_one_case_and_the_graph_format(tmp_path):
    several = invoke("run", str(CASES / "liver"), "--output", str(tmp_path / "g.svg"))
    assert several.exit_code == 2
    assert "an .svg file holds the graph of one case" in several.output
    wrong = invoke("assess", "jaundice", "--format", "json", "--output", str(tmp_path / "g.svg"))
    assert wrong.exit_code == 2
    assert "use --format dot" in wrong.output


def test_the_examples_in_the_readme_and_docs_match_the_tool():
    root = CASES.parent
    examples = root / "docs" / "examples"
    for fmt, suffix in (("markdown", "md"), ("mermaid", "mmd")):
        result = invoke("run", str(LIVER), "--format", fmt)
        assert (examples / f"liver-er-positive-conflict.{suffix}").read_text() == result.stdout, (
            "run `make docs` after changing the rules"
        )
    mermaid = (examples / "liver-er-positive-conflict.mmd").read_text()
    assert f"```mermaid\n{mermaid}```" in (root / "README.md").read_text()

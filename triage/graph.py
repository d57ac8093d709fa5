"""The explanation graph of a report: inputs -> derived findings -> sites -> tests, treatments
and levels, each edge labelled with the rule that drew it; as Graphviz DOT or Mermaid."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

from triage import escape
from triage.errors import TriageError
from triage.report import Report, TraceStep

GRAPHVIZ_HINT = (
    "Graphviz is not installed, so the graph cannot be drawn as SVG; install it"
    " (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz) or write"
    " --format dot or --format mermaid instead"
)
STATUS_COLOURS = {"indicated": "#2e7d32", "contraindicated": "#c62828", "not_indicated": "#757575"}


@dataclass(frozen=True)
class Node:
    fact: str
    label: str
    kind: str  # input, derived, site, test, treatment, level


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str


def _conclusions(report: Report) -> list[tuple[str, str, list[TraceStep]]]:
    """(fact, label, trace) of every conclusion of the report, in report order."""
    found = [(f"site:{s.id}", f"site:{s.id} {s.certainty:.2f}", s.trace) for s in report.sites]
    found += [(f"test:{t.id}", f"test:{t.id}", t.trace) for t in report.tests]
    found += [(f"test:{t.id}=given", f"test:{t.id}: given", t.trace) for t in report.tests_given]
    found += [
        (f"treatment:{t.id}={t.status}", f"{t.id}: {t.status.replace('_', ' ')}", t.trace)
        for t in report.treatments
    ]
    for kind, graded in report.graded():
        fact = f"{kind}:{graded.level}"
        found.append((fact, fact, graded.trace))
    return found


def explanation_graph(report: Report) -> tuple[list[Node], list[Edge]]:
    """The nodes (inputs first, in report order) and labelled edges of every trace."""
    nodes: dict[str, Node] = {fact: Node(fact, fact, "input") for fact in report.facts}
    edges: dict[tuple[str, str, str], Edge] = {}
    for fact, label, trace in _conclusions(report):
        for step in trace:
            if step.concludes not in nodes:
                kind = step.concludes.split(":", 1)[0]
                kind = kind if kind in ("site", "test", "treatment") else "derived"
                nodes[step.concludes] = Node(step.concludes, step.concludes, kind)
            rule = step.rule + (f" {step.cf:+.2f}" if step.cf is not None else "")
            if not step.because:
                rule = f"{step.rule} (default)"
            for premise in step.because:
                if premise == step.concludes:
                    continue  # an override restating its own conclusion adds no edge
                edges.setdefault(
                    (premise, step.concludes, rule), Edge(premise, step.concludes, rule)
                )
            if not step.because:
                source = f"default:{step.concludes}"
                nodes.setdefault(source, Node(source, "by default", "default"))
                edges.setdefault((source, step.concludes, rule), Edge(source, step.concludes, rule))
        kind = fact.split(":", 1)[0]
        node_kind = kind if kind in ("site", "test", "treatment") else "level"
        nodes[fact] = Node(fact, label, node_kind)
    return list(nodes.values()), list(edges.values())


def _ids(nodes: list[Node]) -> dict[str, str]:
    return {node.fact: f"n{index}" for index, node in enumerate(nodes)}


DOT_STYLE = {
    "input": 'shape=box, style="filled", fillcolor="#e3f2fd"',
    "derived": 'shape=box, style="rounded"',
    "default": 'shape=plaintext, fontcolor="#757575"',
    "site": 'shape=ellipse, style="filled", fillcolor="#fff3e0"',
    "test": 'shape=note, style="filled", fillcolor="#f3e5f5"',
    "level": 'shape=diamond, style="filled", fillcolor="#fffde7"',
}


def to_dot(report: Report) -> str:
    """The explanation graph in Graphviz DOT."""
    nodes, edges = explanation_graph(report)
    ids = _ids(nodes)
    lines = [
        f"digraph {escape.dot(report.case_id)} {{",
        "  rankdir=LR;",
        '  node [fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9, color="#546e7a"];',
        f"  label={escape.dot(f'{report.case_id}: {report.disclaimer}')};",
        "  labelloc=t;",
    ]
    for node in nodes:
        if node.kind == "treatment":
            status = node.fact.rsplit("=", 1)[-1]
            colour = STATUS_COLOURS.get(status, "#757575")
            style = f'shape=box, style="rounded,bold", color="{colour}"'
        else:
            style = DOT_STYLE[node.kind]
        lines.append(f"  {ids[node.fact]} [label={escape.dot(node.label)}, {style}];")
    inputs = " ".join(ids[n.fact] for n in nodes if n.kind == "input")
    if inputs:
        lines.append(f"  {{ rank=source; {inputs} }}")
    for edge in edges:
        label = escape.dot(edge.label)
        lines.append(f"  {ids[edge.source]} -> {ids[edge.target]} [label={label}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


MERMAID_SHAPES = {
    "input": ("[", "]"),
    "derived": ("(", ")"),
    "default": ("[/", "/]"),
    "site": ("([", "])"),
    "test": ("[[", "]]"),
    "treatment": ("(", ")"),
    "level": ("{{", "}}"),
}


def to_mermaid(report: Report) -> str:
    """The explanation graph as a Mermaid flowchart (GitHub renders it in Markdown)."""
    nodes, edges = explanation_graph(report)
    ids = _ids(nodes)
    lines = ["flowchart LR"]
    for node in nodes:
        opening, closing = MERMAID_SHAPES[node.kind]
        lines.append(f"  {ids[node.fact]}{opening}{escape.mermaid(node.label)}{closing}")
    for edge in edges:
        label = escape.mermaid(edge.label)
        lines.append(f"  {ids[edge.source]} -->|{label}| {ids[edge.target]}")
    lines.append("  classDef input fill:#e3f2fd,stroke:#1565c0")
    lines.append("  classDef site fill:#fff3e0,stroke:#ef6c00")
    for status, colour in STATUS_COLOURS.items():
        lines.append(f"  classDef {status} stroke:{colour},stroke-width:2px")
    for node in nodes:
        if node.kind in ("input", "site"):
            lines.append(f"  class {ids[node.fact]} {node.kind}")
        elif node.kind == "treatment":
            lines.append(f"  class {ids[node.fact]} {node.fact.rsplit('=', 1)[-1]}")
    return "\n".join(lines) + "\n"


def dot_to_svg(dot: str) -> bytes:
    """The DOT graph drawn as SVG by Graphviz; its absence is explained, not a traceback."""
    program = shutil.which("dot")
    if program is None:
        raise TriageError(GRAPHVIZ_HINT)
    done = subprocess.run(
        [program, "-Tsvg"], input=dot.encode(), capture_output=True, timeout=60, check=False
    )
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise TriageError(f"Graphviz failed: {message[0] if message else done.returncode}")
    return done.stdout

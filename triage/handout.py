"""The report as a one-page Markdown handout: conclusions, then every reasoning step once."""

from __future__ import annotations

from triage.escape import markdown, markdown_code
from triage.knowledge import KnowledgeBase
from triage.render import concept_names
from triage.report import Report, TraceStep

# Text from the case file (its title, id and entered facts) goes through `markdown` or
# `markdown_code`: it cannot add a heading, a table row, raw HTML, a link or an image.


def _steps_in_proof_order(report: Report) -> list[TraceStep]:
    """Every distinct step of every trace, in the order a reader can follow them."""
    traces = report.traces()
    seen: dict[tuple[str, str, tuple[str, ...]], TraceStep] = {}
    for trace in traces:
        for step in trace:
            seen.setdefault((step.rule, step.concludes, tuple(step.because)), step)
    return list(seen.values())


def render_markdown(report: Report, kb: KnowledgeBase) -> str:
    """A handout a teacher can print or share: every conclusion points to its steps, and
    every step to the article's words or a named reference."""
    names = concept_names(kb)
    steps = _steps_in_proof_order(report)
    number = {(s.rule, s.concludes, tuple(s.because)): i for i, s in enumerate(steps, start=1)}

    def refs(trace: list[TraceStep], fact: str) -> str:
        found = [number[(s.rule, s.concludes, tuple(s.because))] for s in trace]
        direct = [
            number[(s.rule, s.concludes, tuple(s.because))] for s in trace if s.concludes == fact
        ]
        return ", ".join(str(n) for n in sorted(set(direct or found)))

    title = f": {markdown(report.title)}" if report.title else ""
    out = [f"# Case {markdown_code(report.case_id)}{title}", "", f"> **{report.disclaimer}**", ""]
    entered = ", ".join(markdown_code(fact) for fact in report.facts) or "nothing"
    out += [f"**Entered:** {entered}", ""]

    out += ["## Likely sites", ""]
    if report.sites:
        out += ["| site | certainty | steps |", "|---|---|---|"]
        for site in report.sites:
            fact = f"site:{site.id}"
            out.append(f"| {names[fact]} | {site.certainty:.2f} | {refs(site.trace, fact)} |")
    else:
        out.append("None: nothing entered points to a site.")
    out += ["", "## Suggested tests", ""]
    if report.tests:
        out += ["| test | steps |", "|---|---|"]
        for test in report.tests:
            fact = f"test:{test.id}"
            out.append(f"| {names[fact]} | {refs(test.trace, fact)} |")
    else:
        out.append("None.")
    aim = kb.catalogue.treatment_aim  # said only of the prognosis level it applies to
    aim_lines = [f'> "{aim.quote}"', ""] if report.prognosis.level == aim.prognosis else []
    out += ["", "## Treatments", "", *aim_lines]
    out += ["| treatment | status | steps |", "|---|---|---|"]
    for treatment in report.treatments:
        fact = f"treatment:{treatment.id}={treatment.status}"
        status = treatment.status.replace("_", " ")
        name = names[f"treatment:{treatment.id}"]
        out.append(f"| {name} | **{status}** | {refs(treatment.trace, fact)} |")
    out += ["", "## Urgency, extent, prognosis", ""]
    for kind, graded in report.graded():
        fact = f"{kind}:{graded.level}"
        level = graded.level.replace("_", " ")
        out.append(f"- {kind.capitalize()}: **{level}** (steps {refs(graded.trace, fact)})")

    out += ["", "## Reasoning, step by step", ""]
    for index, step in enumerate(steps, start=1):
        because = ", ".join(markdown_code(f) for f in step.because) or "by default"
        cf = f" (cf {step.cf:+.2f})" if step.cf is not None else ""
        concludes = markdown_code(step.concludes)
        out.append(f"{index}. {markdown_code(step.rule)}: {because} ⇒ {concludes}{cf}")
        pad = " " * len(f"{index}. ")  # continuation lines belong to the numbered item
        if step.detail:
            out.append(f"{pad}- {markdown(step.detail)}")
        if step.missing:
            missing = ", ".join(markdown_code(m) for m in step.missing)
            out.append(f"{pad}- would change with: {missing}")
        if step.quote:
            out.append(f'{pad}> "{step.quote}"')
        if step.reference:
            out.append(f"{pad}- *Reference:* {step.reference}")
        if step.note:
            out.append(f"{pad}- *Note:* {step.note}")
    out += [
        "",
        "---",
        f"*triage {report.version}, knowledge base {report.knowledge}. cf values are the"
        " project's teaching weights (the article gives none), combined with MYCIN's"
        " certainty-factor algebra. Quotes are verbatim from the source article.*",
    ]
    return "\n".join(out) + "\n"

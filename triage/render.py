"""The readable text report: conclusions first, then the explanation tree of each."""

from __future__ import annotations

import textwrap

from triage.knowledge import KnowledgeBase
from triage.report import Report, TraceStep

WIDTH = 92


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(
        text, width=WIDTH, initial_indent=indent, subsequent_indent=indent + "  "
    ) or [indent]


def concept_names(kb: KnowledgeBase) -> dict[str, str]:
    """The readable name of each site, test and treatment fact (`site:bone` -> Bone)."""
    catalogue = kb.catalogue
    return {
        f"{kind}:{c.id}": c.name
        for kind, items in (
            ("site", catalogue.sites),
            ("test", catalogue.tests),
            ("treatment", catalogue.treatments),
        )
        for c in items
    }


def _tree(trace: list[TraceStep], fact: str, inputs: set[str], shown: set[str], depth: int):
    """Lines explaining how `fact` was concluded: each step, then what its premises rest on."""
    lines: list[str] = []
    indent = "    " * depth
    for step in (s for s in trace if s.concludes == fact):
        sign = f" (cf {step.cf:+.2f})" if step.cf is not None else ""
        lines.append(f"{indent}  <- {step.rule}{sign}")
        statement = f"because {', '.join(step.because)}" if step.because else "by default"
        lines.extend(_wrap(statement, indent + "     "))
        if step.detail:
            lines.extend(_wrap(step.detail, indent + "     "))
        if step.missing:
            lines.extend(_wrap("would change with: " + ", ".join(step.missing), indent + "     "))
        if step.quote:
            lines.extend(_wrap(f'article: "{step.quote}"', indent + "     "))
        if step.reference:
            lines.extend(_wrap(f"reference: {step.reference}", indent + "     "))
        if step.note:
            lines.extend(_wrap(f"note: {step.note}", indent + "     "))
        for premise in step.because:
            if premise in inputs:
                continue
            if premise in shown:
                lines.append(f"{indent}     {premise}: explained above")
                continue
            shown.add(premise)
            lines.append(f"{indent}     {premise}")
            lines.extend(_tree(trace, premise, inputs, shown, depth + 1))
    return lines


def render_text(report: Report, kb: KnowledgeBase) -> str:
    """The report as a student reads it in a terminal."""
    names = concept_names(kb)
    inputs = set(report.facts)
    title = f" ({report.title})" if report.title else ""
    out = [f"Case {report.case_id}{title}", *_wrap(report.disclaimer, ""), ""]
    out.append("Entered:")
    out.extend(f"  {fact}" for fact in report.facts) if report.facts else out.append("  nothing")
    out.append("")
    out.append("Likely sites (certainty 0-1):")
    if not report.sites:
        out.append("  none: nothing entered points to a site")
    for site in report.sites:
        bar = "#" * round(site.certainty * 20)
        out.append(f"  {names[f'site:{site.id}']:<24} {site.certainty:4.2f}  {bar}")
    out.append("Suggested tests:")
    if not report.tests:
        out.append("  none")
    for test in report.tests:
        out.append(f"  {names[f'test:{test.id}']}")
    for test in report.tests_given:
        out.append(f"  {names[f'test:{test.id}']}: not suggested, its result is in the case")
    out.append("Treatments:")
    aim = kb.catalogue.treatment_aim
    if report.prognosis.level == aim.prognosis:
        out.extend(_wrap(f'(article: "{aim.quote}")', "  "))
    details = {t.id: t for t in kb.catalogue.treatments}
    for treatment in report.treatments:
        status = treatment.status.replace("_", " ")
        out.append(f"  {names[f'treatment:{treatment.id}']:<24} {status}")
        known = details[treatment.id]
        for remark in (r for r in known.remarks if r.when in report.facts):
            out.extend(_wrap(f'{remark.text} (article: "{remark.quote}")', "      "))
        if treatment.status == "indicated":
            fired = {step.rule for step in treatment.trace}
            for detail in (d for d in known.details if d.rule in (None, *fired)):
                out.extend(_wrap(f'- "{detail.quote}"', "      "))
                if detail.note:
                    out.extend(_wrap(f"note: {detail.note} ({detail.reference})", "        "))
            if known.note:
                out.extend(_wrap(f"note: {known.note} ({known.reference})", "      "))
    out.append(f"Urgency:   {report.urgency.level}")
    out.append(f"Extent:    {report.extent.level}")
    out.append(f"Prognosis: {report.prognosis.level.replace('_', ' ')}")
    out.append("")
    out.append("How each conclusion was reached (<- the rule that concluded it):")
    out.extend(
        _wrap(
            "cf: how strongly one piece of evidence points to its site, by the project's grades ("
            + ", ".join(f"{name} {g.cf:.2f}" for name, g in kb.catalogue.grades.items())
            + "; the article gives none), combined per site with MYCIN's certainty-factor "
            "algebra (Shortliffe & Buchanan 1975).",
            "",
        )
    )
    conclusions: list[tuple[str, str, list[TraceStep]]] = []
    for site in report.sites:
        conclusions.append((f"site:{site.id}", f"certainty {site.certainty:.2f}", site.trace))
    for test in report.tests:
        conclusions.append((f"test:{test.id}", "", test.trace))
    for treatment in report.treatments:
        fact = f"treatment:{treatment.id}={treatment.status}"
        conclusions.append((fact, "", treatment.trace))
    for kind in ("urgency", "extent", "prognosis"):
        graded = getattr(report, kind)
        conclusions.append((f"{kind}:{graded.level}", "", graded.trace))
    shown: set[str] = set()  # facts whose explanation is printed already
    for fact, extra, trace in conclusions:
        out.append("")
        out.append(f"{fact}" + (f"  ({extra})" if extra else ""))
        shown.add(fact)
        out.extend(_tree(trace, fact, inputs, shown, 0))
    return "\n".join(out) + "\n"


def explain_conclusion(report: Report, fact: str) -> list[str]:
    """The explanation tree of one conclusion of the report (MYCIN's HOW), or [] if the
    report does not conclude it."""
    traces = report.traces()
    for trace in traces:
        if any(step.concludes == fact for step in trace):
            return [fact, *_tree(trace, fact, set(report.facts), {fact}, 0)]
    return []

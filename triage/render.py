"""The readable text report: a summary that fits one screen, then (with --explain) the
explanation tree of each conclusion. Names, not ids, wherever a person reads."""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Iterable

from triage.console import PLAIN, Style
from triage.escape import terminal as _terminal  # case text: shown, never obeyed
from triage.knowledge import KnowledgeBase
from triage.reading import NOT_COUNTED
from triage.report import GRADED_KINDS, Report, TraceStep

DEFAULT_WIDTH = 80
BAR_CELLS = 20
EXPLAIN_HINT = "--explain shows how each conclusion was reached, step by step."


def wrap(text: str, width: int, indent: str = "", hanging: str = "  ") -> list[str]:
    """Lines of at most `width` columns; a word longer than a line is broken."""
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent,
        subsequent_indent=indent + hanging,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def fit(lines: Iterable[str], width: int, hanging: str = "    ") -> list[str]:
    """Each line wrapped to `width`, its continuation lines under its own indentation."""
    out: list[str] = []
    for line in lines:
        for part in line.split("\n"):
            if len(part) <= width:
                out.append(part)
                continue
            indent = part[: len(part) - len(part.lstrip())]
            out.extend(wrap(part.strip(), width, indent, hanging if indent else ""))
    return out


def concept_names(kb: KnowledgeBase) -> dict[str, str]:
    """The readable name of each site, test and treatment fact (`site:bone` -> Bone)."""
    return {f"{kind}:{c.id}": c.name for kind, c in kb.catalogue.concepts()}


class Names:
    """How a person reads each fact: `finding:bone_pain` -> "Severe and increasing bone pain",
    `receptor:er=positive` -> "ER positive", `treatment:surgery=indicated` -> "Surgery:
    indicated"."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.concepts = concept_names(kb)
        self.findings = {f.id: f.name for f in kb.findings}
        self.history = {h.id: h.name for h in kb.catalogue.history}

    def fact(self, fact: str) -> str:
        kind, _, rest = fact.partition(":")
        name, _, value = rest.partition("=")
        if kind == "finding" and name in self.findings:
            return self.findings[name]
        if kind == "absent" and name in self.findings:
            return denied(self.findings[name])
        if kind == "unqualified" and name in self.findings:
            return f"{self.findings[name]} (qualifier not said)"
        if kind == "lab":
            lab = self.kb.labs_by_id.get(name.split()[0])
            shown = lab.name if lab else name
            return f"{shown} {value}".strip() if value else fact[4:].replace(name, shown, 1)
        if kind == "receptor":
            return f"{name.upper()} {value}"
        if kind == "history":
            return self.history.get(name, name.replace("_", " "))
        if kind == "progression":
            return f"{value or name} progression"
        if kind == "confirmed":
            return f"{self.concepts.get(f'site:{name}', name)} confirmed"
        if kind in ("site", "test", "treatment") and f"{kind}:{name}" in self.concepts:
            base = self.concepts[f"{kind}:{name}"]
            return f"{base}: {value.replace('_', ' ')}" if value else base
        if kind == "site" and name == "any":
            return "any likely site"
        if kind in GRADED_KINDS:
            return f"{kind} {name.replace('_', ' ')}"
        if kind == "hormone_receptor":
            return f"hormone receptor-{name}"
        return fact

    def facts(
        self, facts: Iterable[str], said: dict[str, list[tuple[str, tuple[str, ...]]]] | None = None
    ) -> str:
        """The facts, a bare complaint once: "Chronic cough (qualifier not said)"; with the
        words each was typed as where `said` has them: 'Convulsions ("fits")', 'Chronic
        cough ("cough"; not said: chronic)'."""
        facts = list(facts)
        bare = {f.partition(":")[2] for f in facts if f.startswith("unqualified:")}
        shown = []
        for fact in facts:
            kind, _, name = fact.partition(":")
            if kind == "unqualified":
                continue
            text = self.fact(fact)
            notes = []
            for typed, not_said in (said or {}).get(fact, []):
                notes += [f'"{typed}"'] if typed else []
                if not_said and name in bare:  # else another entry said them
                    notes.append(f"not said: {', '.join(not_said)}")
            if kind == "finding" and name in bare and not any("not said" in n for n in notes):
                notes.append("qualifier not said")
            if notes:
                note = "; ".join(notes)
                text = f"{text[:-1]}; {note})" if text.endswith(")") else f"{text} ({note})"
            shown.append(text)
        return ", ".join(shown)


def denied(name: str) -> str:
    """A finding's name denied: "no jaundice", "no lump or swollen lymph node in the axilla"
    (its "A" dropped: not "no a lump")."""
    text = lower_first(name)
    for article in ("a ", "an "):
        if text.startswith(article):
            text = text[len(article) :]
    return f"no {text}"


def lower_first(text: str) -> str:
    """ "A lump" -> "a lump", "Jaundice" -> "jaundice"; "ER", "CT scan" stay as they are."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _restates(step: TraceStep) -> bool:
    """A bookkeeping step that needs its own conclusion (an override): not a reason."""
    return step.concludes in step.because


def deciding_steps(trace: list[TraceStep], fact: str) -> list[TraceStep]:
    """The steps that conclude `fact` for a reason of their own."""
    return [s for s in trace if s.concludes == fact and not _restates(s)]


def reason(kb: KnowledgeBase, trace: list[TraceStep], fact: str) -> str:
    """One line saying why a conclusion holds: the statement of the rule that concluded it."""
    steps = deciding_steps(trace, fact)
    if not steps:
        return ""
    first = kb.rules_by_id[steps[0].rule].statement if steps[0].rule in kb.rules_by_id else ""
    more = len({s.rule for s in steps}) - 1
    return first + (f" (and {more} more rule{'s' if more > 1 else ''})" if more else "")


def site_bar(certainty: float, threshold: float, size: int = BAR_CELLS) -> str:
    """`##########|######....`: the certainty in 20 cells, `|` where decisions start."""
    filled = round(certainty * size)
    mark = round(threshold * size)
    cells = ["#" if i < filled else "." for i in range(size)]
    cells.insert(mark, "|")
    return "".join(cells)


def _labelled(label: str, text: str, width: int, style: Style) -> list[str]:
    """`Label: text`, wrapped, the label emphasised."""
    lines = wrap(f"{label} {text}", width, "", "  ")
    lines[0] = style.bold(label) + lines[0][len(label) :]
    return lines


def _clipped(lines: list[str], most: int) -> list[str]:
    """At most `most` lines; a cut is shown with '...'."""
    if len(lines) <= most:
        return lines
    kept = lines[:most]
    kept[-1] = kept[-1][: max(0, len(kept[-1]) - 4)].rstrip() + " ..."
    return kept


def _plain(text: str) -> str:
    """Text as compared with a finding's name: words only, in any case."""
    return " ".join(re.sub(r"[\W_]+", " ", text).split()).casefold()


SHORT_PHRASE = 4  # words: a synonym this short shares a line with the others


def _understood_lines(
    report: Report,
    names: Names,
    width: int,
    style: Style,
    said: dict[str, list[tuple[str, tuple[str, ...]]]],
) -> list[str]:
    """What each piece of typed text was read as, where that is more than the text itself:
    a synonym, a variant, a composition, a correction, a denial, the past, a bare complaint,
    or nothing. The top of the summary, so a student sees at once how the words were
    understood. A short synonym ("fits") goes to `said`, by the fact it was read as:
    "Entered:" shows it beside its name."""
    lines: list[str] = []
    for entry in report.understood or []:
        if entry.finding is not None and entry.how in ("exact", "variant") and not entry.via:
            name = names.fact(f"finding:{entry.finding}")
            meaning = lower_first(name) if entry.present else denied(name)
            typed = _plain(entry.text)
            own = typed in (_plain(entry.finding), _plain(name), _plain(meaning))
            if own and not entry.not_said:
                continue  # the finding's own name or id ("no jaundice"): "Entered:" names it
            short = len(entry.text.split()) <= SHORT_PHRASE
            if entry.how == "exact" and short:  # "Entered:" shows it with its name
                fact = f"{'finding' if entry.present else 'absent'}:{entry.finding}"
                typed = "" if own else _terminal(entry.text)
                said.setdefault(fact, []).append((typed, tuple(entry.not_said or ())))
                continue
        text = _terminal(_cut(entry.text, 48))
        if entry.finding is not None:
            name = names.fact(f"finding:{entry.finding}")
            meaning = name if entry.present else denied(name)
            notes = []
            if entry.not_said:
                notes.append(f"not said: {', '.join(entry.not_said)}")
            notes += [_terminal(via) for via in entry.via or []]
            if entry.how in ("variant", "composed", "corrected") and not entry.via:
                notes.append(entry.how)
            line = f'"{text}": {meaning}' + (f" ({'; '.join(notes)})" if notes else "")
        elif entry.how in NOT_COUNTED:
            was = names.fact(f"finding:{entry.past_finding}") if entry.past_finding else ""
            line = f'"{text}": {NOT_COUNTED[entry.how]}, not counted' + (f" ({was})" if was else "")
        else:
            line = f'"{text}": not read'
            if entry.choices:
                choices = ", ".join(lower_first(names.fact(f"finding:{c}")) for c in entry.choices)
                line += f"; which? {choices}"
        lines.extend(wrap(line, width, "  ", "    "))
    return [style.bold("Read as:"), *lines] if lines else []


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _outweighed_sites(report: Report, kb: KnowledgeBase) -> list[tuple[str, list[str]]]:
    """Sites that findings entered point to but absent findings brought down to 0, each with
    the absent findings that weigh against it: never dropped in silence."""
    shown = {site.id for site in report.sites}
    inputs = set(report.facts)
    found = []
    for site in kb.catalogue.sites:
        if site.id in shown:
            continue
        rules = kb.rules_by_conclusion.get(f"site:{site.id}", [])
        if any(rule.when and set(rule.when) <= inputs for rule in rules):
            from triage.whynot import weighed_against  # only for a site brought down

            against = weighed_against(kb, report, site.id)
            if against:
                found.append((site.id, against))
    return found


def render_summary(report: Report, kb: KnowledgeBase, width: int, style: Style) -> list[str]:
    """The conclusions, one screen: entered facts, sites with certainty bars and the
    threshold, tests, treatments each with a one-line reason, urgency, extent, prognosis."""
    names = Names(kb)
    threshold = kb.settings.site_threshold
    title = f": {_terminal(report.title)}" if report.title else ""
    out = [style.bold(line) for line in wrap(f"Case {_terminal(report.case_id)}{title}", width)]
    said: dict[str, list[tuple[str, tuple[str, ...]]]] = {}  # fact -> (words typed, not said)
    out.extend(_understood_lines(report, names, width, style, said))
    entered = names.facts(report.facts, said) if report.facts else "nothing"
    out.extend(_labelled("Entered:", entered, width, style))
    out.append("")

    out.append(
        style.bold("Sites") + f" (certainty 0-1; | marks {threshold:.2f}, what decisions need)"
    )
    outweighed = _outweighed_sites(report, kb)
    if not report.sites and not outweighed:
        out.append("  none: nothing entered points to a site")
    name_width = max((len(names.fact(f"site:{s.id}")) for s in report.sites), default=0)
    cells = BAR_CELLS if width >= 72 else BAR_CELLS // 2
    for site in report.sites:
        name = names.fact(f"site:{site.id}")
        bar = site_bar(site.certainty, threshold, cells)
        note = "" if site.certainty >= threshold else "  below: tests only"
        line = f"  {name:<{name_width}}  {site.certainty:4.2f} {bar}{note}"
        line = style.bold(line) if site.certainty >= threshold else style.dim(line)
        out.append(line)

    for site, against in outweighed:
        text = f"  {names.fact(f'site:{site}')}: 0.00, what was entered for it is outweighed by"
        text += f" absent {names.facts(f'finding:{f}' for f in against)}"
        out.extend(wrap(text, width, "", "    "))

    tests = ", ".join(names.fact(f"test:{t.id}") for t in report.tests) or "none"
    if report.tests_given:
        given = ", ".join(names.fact(f"test:{t.id}") for t in report.tests_given)
        tests += f" (not again: the case gives the result of {given})"
    out.extend(_labelled("Tests:", tests, width, style))

    # Said only where the article says it: of spread to distant organs, not of the first type.
    palliative = report.prognosis.level == kb.catalogue.treatment_aim.prognosis
    aim = " (palliative: they relieve symptoms, not cure)" if palliative else ""
    out.append(style.bold("Treatments") + aim)
    colours = {"indicated": style.good, "contraindicated": style.bad}
    remarks = {t.id: t.remarks for t in kb.catalogue.treatments}
    pending: set[str] = set()  # the suspected sites decisions wait on (the report's `basis`)

    def suspected(conclusion: object) -> str:
        if getattr(conclusion, "basis", None) != "suspected":
            return ""
        pending.update(getattr(conclusion, "pending", None) or [])
        return "*"

    for treatment in report.treatments:
        fact = f"treatment:{treatment.id}={treatment.status}"
        name = names.fact(f"treatment:{treatment.id}")
        status = treatment.status.replace("_", " ")
        why = reason(kb, treatment.trace, fact)
        marked = status + suspected(treatment)
        line = f"  {name:<20} {marked:<16} {why}".rstrip()
        lines = _clipped(wrap(line, width, "", " " * 8), 2)
        colour = colours.get(treatment.status, style.dim)
        lines[0] = lines[0].replace(status, colour(status), 1)
        out.extend(lines)
        for remark in (r for r in remarks[treatment.id] if r.when in report.facts):
            out.extend(wrap(f'{remark.text} (article: "{remark.quote}")', width, " " * 8, "  "))

    for kind, graded in report.graded():
        level = graded.level.replace("_", " ")
        why = reason(kb, graded.trace, f"{kind}:{graded.level}")
        label = f"{kind.capitalize() + ':':<11}"
        marked = level + suspected(graded)
        lines = _clipped(
            wrap(f"{label}{marked}. {why}" if why else label + marked, width, "", " " * 6), 2
        )
        if kind == "urgency" and graded.level != "routine":
            shown = (style.bad if graded.level == "emergency" else style.warn)(level)
            lines[0] = lines[0].replace(level, shown, 1)
        lines[0] = style.bold(label) + lines[0][len(label) :]
        out.extend(lines)
    if pending:
        waits = " or ".join(names.fact(f"site:{site}") for site in sorted(pending))
        note = f"* rests on a suspected site ({waits}): it holds if confirmed by the tests above."
        out.extend(wrap(note, width, "", "  "))
    out.append("")
    out.extend(style.dim(line) for line in wrap(report.disclaimer, width, "", ""))
    return out


def _tree(
    names: Names,
    trace: list[TraceStep],
    fact: str,
    inputs: set[str],
    shown: set[str],
    depth: int,
    width: int,
) -> list[str]:
    """Lines explaining how `fact` was concluded: each step, then what its premises rest on."""
    lines: list[str] = []
    indent = "  " * depth
    body = indent + "     "
    for step in (s for s in trace if s.concludes == fact):
        sign = f" (cf {step.cf:+.2f})" if step.cf is not None else ""
        lines.append(f"{indent}  <- {step.rule}{sign}")
        statement = f"because {names.facts(step.because)}" if step.because else "by default"
        lines.extend(wrap(statement, width, body))
        if step.detail:
            lines.extend(wrap(step.detail, width, body))
        if step.missing:
            lines.extend(wrap("would change with: " + names.facts(step.missing), width, body))
        if step.quote:
            lines.extend(wrap(f'article: "{step.quote}"', width, body))
        if step.reference:
            lines.extend(wrap(f"reference: {step.reference}", width, body))
        if step.note:
            lines.extend(wrap(f"note: {step.note}", width, body))
        for premise in step.because:
            if premise in inputs:
                continue
            if premise in shown:
                lines.extend(wrap(f"{names.fact(premise)}: explained above", width, body))
                continue
            shown.add(premise)
            lines.extend(wrap(names.fact(premise), width, body))
            lines.extend(_tree(names, trace, premise, inputs, shown, depth + 1, width))
    return lines


def render_explanation(report: Report, kb: KnowledgeBase, width: int, style: Style) -> list[str]:
    """How each conclusion was reached, with the rule, the facts it matched and its quote."""
    names = Names(kb)
    inputs = set(report.facts)
    out = [style.bold("How each conclusion was reached") + " (<- the rule concluding it):"]
    out.extend(
        wrap(
            "cf: how strongly one piece of evidence points to its site, by the project's grades ("
            + ", ".join(f"{name} {g.cf:.2f}" for name, g in kb.catalogue.grades.items())
            + "; the article gives none), combined per site with MYCIN's certainty-factor "
            "algebra (Shortliffe & Buchanan 1975).",
            width,
        )
    )
    conclusions: list[tuple[str, str, list[TraceStep]]] = []
    for site in report.sites:
        conclusions.append((f"site:{site.id}", f"certainty {site.certainty:.2f}", site.trace))
    for test in report.tests:
        conclusions.append((f"test:{test.id}", "suggested test", test.trace))
    for test in report.tests_given:
        conclusions.append((f"test:{test.id}=given", "not again: its result is given", test.trace))
    for treatment in report.treatments:
        fact = f"treatment:{treatment.id}={treatment.status}"
        conclusions.append((fact, "", treatment.trace))
    for kind, graded in report.graded():
        conclusions.append((f"{kind}:{graded.level}", "", graded.trace))
    shown: set[str] = set()  # facts whose explanation is printed already
    for fact, extra, trace in conclusions:
        out.append("")
        heading = names.fact(fact) + (f" ({extra})" if extra else "")
        out.append(style.bold(heading))
        shown.add(fact)
        out.extend(_tree(names, trace, fact, inputs, shown, 0, width))
        if fact.startswith("treatment:") and fact.endswith("=indicated"):
            out.extend(_treatment_details(kb, fact, trace, width))
    return out


def _treatment_details(kb: KnowledgeBase, fact: str, trace: list[TraceStep], width: int):
    """How an indicated treatment is given, in the article's words, each with its cited note
    where the article simplifies; a detail tied to a rule only when that rule concluded it."""
    treatment = next(t for t in kb.catalogue.treatments if fact == f"treatment:{t.id}=indicated")
    fired = {step.rule for step in trace}
    lines: list[str] = []
    for detail in (d for d in treatment.details if d.rule in (None, *fired)):
        lines.extend(wrap(f'- "{detail.quote}"', width, "     "))
        if detail.note:
            lines.extend(wrap(f"note: {detail.note} ({detail.reference})", width, "       "))
    return lines


def render_text(
    report: Report,
    kb: KnowledgeBase,
    *,
    explain: bool = False,
    width: int = DEFAULT_WIDTH,
    style: Style = PLAIN,
) -> str:
    """The report as a student reads it in a terminal: the summary; with `explain`, the
    explanation tree after it."""
    out = render_summary(report, kb, width, style)
    if explain:
        out.append("")
        out.extend(render_explanation(report, kb, width, style))
    else:
        out.append(style.dim(EXPLAIN_HINT))
    return "\n".join(out) + "\n"


def explain_conclusion(report: Report, fact: str, kb: KnowledgeBase, width: int) -> list[str]:
    """The explanation tree of one conclusion of the report (MYCIN's HOW), or [] if the
    report does not conclude it."""
    names = Names(kb)
    for trace in report.traces():
        if any(step.concludes == fact for step in trace):
            tree = _tree(names, trace, fact, set(report.facts), {fact}, 0, width)
            return [names.fact(fact), *tree]
    return []


def render_run_summary(
    reports: list[Report], kb: KnowledgeBase, bad: int, width: int, style: Style
) -> str:
    """The end of `triage run` on several cases: counts of sites and decisions, and one row
    per case when there are at most 20."""
    names = Names(kb)
    threshold = kb.settings.site_threshold
    sites: Counter[str] = Counter()
    statuses: dict[str, Counter[str]] = {}
    levels: dict[str, Counter[str]] = {k: Counter() for k in ("urgency", "extent")}
    for report in reports:
        sites.update(s.id for s in report.sites if s.certainty >= threshold)
        for t in report.treatments:
            statuses.setdefault(t.status, Counter())[t.id] += 1
        for kind in levels:
            levels[kind][getattr(report, kind).level] += 1

    def counted(counter: Counter[str], prefix: str = "") -> str:
        parts = [
            f"{names.fact(prefix + key) if prefix else key.replace('_', ' ')} {n}"
            for key, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        return ", ".join(parts) or "none"

    count = f"{len(reports)} case{'s' if len(reports) != 1 else ''} evaluated"
    out = ["", style.bold("Summary: " + count + (f", {bad} bad" if bad else ""))]
    out.extend(wrap(f"Sites at {threshold:.2f} or more: {counted(sites, 'site:')}", width))
    for status in ("indicated", "contraindicated"):
        label = f"{status.capitalize()}: {counted(statuses.get(status, Counter()), 'treatment:')}"
        out.extend(wrap(label, width))
    for kind, counter in levels.items():
        out.extend(wrap(f"{kind.capitalize()}: {counted(counter)}", width))
    if 1 < len(reports) <= 20:
        out.append("")
        case_width = max(12, width - 44)
        out.append(style.bold(f"{'case':<{case_width}} {'top site':<21} {'urgency':<9} treat."))
        for report in reports:
            top = report.sites[0] if report.sites else None
            site = f"{names.fact(f'site:{top.id}')} {top.certainty:.2f}" if top else "-"
            indicated = sum(t.status == "indicated" for t in report.treatments)
            case_id = _terminal(report.case_id)
            if len(case_id) > case_width:
                case_id = case_id[: case_width - 3] + "..."
            out.append(
                f"{case_id:<{case_width}} {site[:21]:<21} {report.urgency.level:<9} "
                f"{indicated} indicated"
            )
    return "\n".join(out) + "\n"


def resolve_target(kb: KnowledgeBase, text: str) -> str:
    """The id of the site, test or treatment a person names: its id, its name, a plural or
    the words that single it out ("lungs", "lymph nodes", "hormone therapy", "ct")."""
    from triage.errors import TriageError
    from triage.vocabulary import normalise, unknown

    catalogue = kb.catalogue
    concepts = [*catalogue.sites, *catalogue.tests, *catalogue.treatments]
    words = normalise(text)
    if not words:
        raise TriageError("name a site, test or treatment, e.g. bone, bone scan, chemotherapy")
    for concept in concepts:
        if words in (normalise(concept.id), normalise(concept.name)):
            return concept.id
    wanted = set(words)
    partial = [
        c.id for c in concepts if wanted <= set(normalise(c.name)) or wanted <= set(normalise(c.id))
    ]
    first = text.strip().lower().replace(" ", "_").replace("-", "_")
    starting = [p for p in partial if p.startswith(first.split("_")[0])]
    if len(partial) > 1 and len(starting) == 1:
        return starting[0]
    if len(partial) == 1:
        return partial[0]
    names = [c.id for c in concepts]
    error = unknown("site, test or treatment", text.strip(), names)
    if len(partial) > 1:
        error = TriageError(f"{text.strip()!r} could be {', '.join(partial)}: which one?")
    raise error

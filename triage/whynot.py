"""Why not? For a site, test or treatment: what was missing, or what overrode it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from triage.core.facts import Condition, Fact, Facts, holds
from triage.errors import TriageError
from triage.knowledge import KnowledgeBase, Rule
from triage.report import Report
from triage.vocabulary import unknown

Kind = Literal["site", "test", "treatment"]


class Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class ConditionCheck(Model):
    condition: str
    met: bool
    note: str | None = None  # e.g. a site's certainty against the threshold it needs


class RuleCheck(Model):
    """A rule that could conclude the fact asked about, and which of its conditions hold."""

    rule: str
    statement: str
    concludes: str
    fired: bool
    conditions: list[ConditionCheck]
    quote: str | None = None
    reference: str | None = None


class WhyNot(Model):
    """The answer to `--why-not TARGET` for one case."""

    case_id: str
    target: str
    kind: Kind
    status: str  # what the report concluded about it
    summary: str
    overridden_by: list[RuleCheck] = []  # contraindications that fired
    would_conclude: list[RuleCheck] = []  # the rules for it, closest to firing first
    would_override: list[RuleCheck] = []  # for an indicated treatment: what would rule it out

    def to_json(self) -> str:
        return self.model_dump_json(exclude_none=True)


class _Facts:
    """What a report establishes: its facts (lab values and certainties included), the rules
    that fired."""

    def __init__(self, kb: KnowledgeBase, report: Report) -> None:
        self.kb = kb
        self.fired = report.rules_fired()
        self.facts = report.known or _read_back(report)
        self.certainty = self.facts.certainty

    def check(self, rule: Rule, condition: Condition) -> ConditionCheck:
        test = self.kb.requirement(rule, condition)
        met = holds(test, self.facts)
        note = None
        if condition.is_site:
            value = max(self.facts.values(test), default=0.0)
            which = "highest site certainty" if test.any_of_kind else "certainty"
            note = f"{which} {value:.2f}, needs {test.limit:.2f}"
        elif condition.kind == "lab":
            lab = self.kb.lab(condition.name)
            if condition.above_range:
                note = f"{lab.name} above {lab.upper_limit:g} {lab.unit}"
            value = self.facts.labs.get(condition.name)
            if value is not None:
                entered = f"entered {value:g} {lab.unit}"
                note = f"{note}; {entered}" if note else entered
        elif not met:
            note = self._how_to_get(condition)
        return ConditionCheck(condition=condition.text, met=met, note=note)

    def _how_to_get(self, condition: Condition) -> str | None:
        """For a derived fact, what the rules that derive it need."""
        makers = [r for r in self.kb.rules if r.then == condition.key and not r.resolves]
        if not makers or condition.kind in ("receptor", "history", "progression", "absent"):
            return None
        options = [" and ".join(rule.when) for rule in makers]
        return "derived from " + " or ".join(options)

    def rule_check(self, rule: Rule) -> RuleCheck:
        return RuleCheck(
            rule=rule.id,
            statement=rule.statement,
            concludes=rule.then,
            fired=rule.id in self.fired,
            conditions=[self.check(rule, condition) for condition in rule.conditions],
            quote=rule.quote,
            reference=rule.reference,
        )


def _read_back(report: Report) -> Facts:
    """The facts of a report read back from its JSON: every fact its traces show, the sites'
    certainties; lab values are not in a report, so a lab condition holds only where a rule
    using it is shown to have matched it."""
    traces = report.traces()
    known = set(report.facts) | {step.concludes for trace in traces for step in trace}
    known |= {Fact.parse(fact).key for fact in report.facts}
    certainty = {site.id: site.certainty for site in report.sites}
    return Facts(known=known, certainty=certainty)


def _closest_first(checks: list[RuleCheck]) -> list[RuleCheck]:
    def unmet(check: RuleCheck) -> int:
        return sum(not c.met for c in check.conditions)

    return sorted(checks, key=lambda c: (unmet(c), c.rule))


def _kind_of(kb: KnowledgeBase, target: str) -> Kind:
    catalogue = kb.catalogue
    for kind, items in (
        ("site", catalogue.sites),
        ("test", catalogue.tests),
        ("treatment", catalogue.treatments),
    ):
        if target in [item.id for item in items]:
            return kind  # type: ignore[return-value]
    every = [c.id for c in [*catalogue.sites, *catalogue.tests, *catalogue.treatments]]
    raise unknown("site, test or treatment", target, every).located("--why-not")


def why_not(kb: KnowledgeBase, report: Report, target: str) -> WhyNot:
    """Why the report does (not) conclude the target, with the rules and quotes involved."""
    kind = _kind_of(kb, target)
    facts = _Facts(kb, report)
    common = {"case_id": report.case_id, "target": target, "kind": kind}

    def rules_concluding(fact: str) -> list[RuleCheck]:
        return _closest_first(
            [facts.rule_check(r) for r in kb.rules if r.then == fact and not r.resolves]
        )

    if kind == "site":
        fact = f"site:{target}"
        value = facts.certainty.get(target)
        threshold = kb.settings.site_threshold
        lowered = weighed_against(kb, report, target)
        if value is None:
            status, summary = "not suggested", f"nothing entered points to {target}"
            if lowered:
                summary = f"{target} was lowered to 0 by absent {', '.join(lowered)}"
        elif value < threshold:
            status = f"certainty {value:.2f}"
            summary = (
                f"{target} has certainty {value:.2f}, below the {threshold:.2f} it needs before"
                " treatments, urgency and extent follow from it"
            )
            if lowered:
                summary += f"; it was lowered by absent {', '.join(lowered)}"
        else:
            status = f"certainty {value:.2f}"
            summary = f"{target} is suggested with certainty {value:.2f}"
        return WhyNot(
            **common, status=status, summary=summary, would_conclude=rules_concluding(fact)
        )

    if kind == "test":
        suggested = any(test.id == target for test in report.tests)
        status = "suggested" if suggested else "not suggested"
        summary = f"{target} is {status}"
        given = next((t for t in report.tests_given if t.id == target), None)
        if given is not None:
            by = sorted({step.rule for step in given.trace if step.concludes.endswith("=given")})
            summary += f": the case gives its result ({', '.join(by)})"
        elif not suggested:
            summary += ": no rule suggesting it has all its conditions"
        checks = rules_concluding(f"test:{target}")
        return WhyNot(**common, status=status, summary=summary, would_conclude=checks)

    treatment = next((t for t in report.treatments if t.id == target), None)
    if treatment is None:  # every treatment is always reported
        raise TriageError(f"--why-not: {target} is missing from the report")
    indicated = rules_concluding(f"treatment:{target}=indicated")
    against = rules_concluding(f"treatment:{target}=contraindicated")
    if treatment.status == "contraindicated":
        fired = [c for c in against if c.fired]
        names = ", ".join(c.rule for c in fired)
        summary = f"{target} is contraindicated: {names} overrides any indication"
        if len(fired) > 1:
            summary = f"{target} is contraindicated: {names} override any indication"
        return WhyNot(
            **common,
            status=treatment.status,
            summary=summary,
            overridden_by=fired,
            would_conclude=[c for c in indicated if c.fired] or indicated,
        )
    if treatment.status == "indicated":
        summary = f"{target} is indicated, and no contraindication applies"
        return WhyNot(
            **common,
            status=treatment.status,
            summary=summary,
            would_conclude=[c for c in indicated if c.fired],
            would_override=against,
        )
    summary = f"{target} is not indicated: no rule indicating it has all its conditions"
    return WhyNot(**common, status=treatment.status, summary=summary, would_conclude=indicated)


def weighed_against(kb: KnowledgeBase, report: Report, site: str) -> list[str]:
    """The findings reported absent that weigh against a site (each lowers its certainty)."""
    absent = {Fact.parse(fact).name for fact in report.facts if fact.startswith("absent:")}
    return sorted(
        rule.conditions[0].name
        for rule in kb.rules_by_conclusion.get(f"site:{site}", [])
        if kb.absent_cf(rule) is not None and rule.conditions[0].name in absent
    )


def _describe_check(check: RuleCheck, indent: str = "  ") -> list[str]:
    state = "fired" if check.fired else "did not fire"
    lines = [f"{indent}{check.rule} ({state}): {check.statement}"]
    for condition in check.conditions:
        mark = "[x]" if condition.met else "[ ]"
        note = f"  ({condition.note})" if condition.note else ""
        lines.append(f"{indent}  {mark} {condition.condition}{note}")
    if check.quote:
        lines.append(f'{indent}  article: "{check.quote}"')
    if check.reference:
        lines.append(f"{indent}  reference: {check.reference}")
    return lines


def describe(answer: WhyNot) -> list[str]:
    """The lines of the text answer: the summary, then each rule with its conditions."""
    lines = [f"Why not {answer.target}? (case {answer.case_id})", f"  {answer.summary}."]
    fired = [c for c in answer.would_conclude if c.fired]
    unfired = [c for c in answer.would_conclude if not c.fired]
    sections = (
        ("Overridden by:", answer.overridden_by),
        ("Its indication, overridden:" if answer.overridden_by else "Concluded by:", fired),
        ("Rules that did not fire, closest first ([ ] is what each still needs):", unfired),
        ("Would be ruled out by:", answer.would_override),
    )
    for heading, checks in sections:
        if checks:
            lines.append(heading)
            for check in checks:
                lines.extend(_describe_check(check))
    return lines

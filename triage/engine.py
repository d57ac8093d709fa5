"""Compiling the knowledge base into durable_rules rulesets and running a case through them.

Three rulesets run one after the other, each over the facts of one case (`triage.core.adapter`
runs them in durable_rules' C engine):

- evidence: input facts (findings, labs, ...) -> derived findings -> evidence for each site;
- decision: input facts, derived findings and each site with its combined certainty -> tests,
  and the candidates for each decision: treatment indications and contraindications, urgency,
  extent and prognosis levels;
- resolution: every candidate, once the decision stage is complete -> each decision, taken by
  the rules of `rules/` that carry a `priority`: among those that fire for one decision, the
  lowest priority takes it (durable_rules fires rules ready together in priority order); a
  default rule (no `when`) takes a decision that has no candidate at all.

A site's certainty needs every piece of evidence first, so it is combined between the first two
rulesets with MYCIN's algebra (`combine`), never by a rule racing the facts.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from typing import Any, ClassVar

from triage.core.adapter import Ruleset, RulesetError, RuleSpec, compile_ruleset
from triage.core.facts import ANY, Condition, Fact
from triage.errors import EngineError
from triage.knowledge import DECISION, EVIDENCE, RESOLUTION, KnowledgeBase, Rule


@dataclass(frozen=True, order=True)
class Step:
    """One rule firing: the facts it matched and the fact it concluded."""

    rule: str
    concludes: str
    because: tuple[str, ...]
    cf: float | None = None
    detail: str | None = None


@dataclass(frozen=True)
class Derivation:
    """Everything the engine derived for one case."""

    inputs: tuple[str, ...]
    steps: tuple[Step, ...]  # the evidence and decision stages' firings
    certainty: dict[str, float]  # site id -> combined certainty, only those above 0
    decisions: dict[str, Step]  # decision (`treatment:ID`, `urgency`, ...) -> the step taking it


def combine(cf1: float, cf2: float) -> float:
    """MYCIN's combination of two certainty factors (Shortliffe & Buchanan 1975)."""
    if cf1 >= 0 and cf2 >= 0:
        return cf1 + cf2 * (1 - cf1)
    if cf1 < 0 and cf2 < 0:
        return cf1 + cf2 * (1 + cf1)
    return (cf1 + cf2) / (1 - min(abs(cf1), abs(cf2)))


def combined_certainty(cfs: list[float]) -> float:
    """The certainty of several pieces of evidence, in a fixed order, rounded to 2 decimals."""
    total = 0.0
    for cf in sorted(cfs, reverse=True):
        total = combine(total, cf)
    return round(total, 2)


ANY_SITE = f"site:{ANY}"
# The priority of a default rule: after every rule with a priority of its own.
LAST = 1_000_000


class Engine:
    """The compiled rulesets of one knowledge base; build it once per process."""

    _registry: ClassVar[dict[str, Engine]] = {}
    _lock = threading.Lock()

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        # The facts each stage's rules match on: a fact no rule of a stage matches is not sent
        # to it, which spares a round trip per conclusion.
        self._matched: dict[str, frozenset[str]] = {}
        self._failures: dict[str, str] = {}
        self._derived: dict[str, list[dict[str, Any]]] = {}
        self._decided: dict[str, dict[str, Step]] = {}
        self._case_numbers = itertools.count(1)
        self._rulesets: dict[str, Ruleset] = {}
        self._compile()

    @classmethod
    def for_knowledge(cls, kb: KnowledgeBase) -> Engine:
        """The engine of this knowledge base, compiled on first use (ruleset names are
        global in durable_rules, so each knowledge base is compiled only once)."""
        with cls._lock:
            engine = cls._registry.get(kb.digest)
            if engine is None:
                engine = cls._registry[kb.digest] = cls(kb)
            return engine

    # -- compiling ------------------------------------------------------------------------

    def _compile(self) -> None:
        stages = self.kb.stages
        for stage in (EVIDENCE, DECISION, RESOLUTION):
            rules = [rule for rule in self.kb.rules if stages[rule.id] == stage]
            self._matched[stage] = frozenset(
                condition.key
                for rule in rules
                for condition in [*rule.conditions, *self._absent_conditions(rule)]
            )
            specs: list[RuleSpec] = []
            for rule in rules:
                specs.extend(self._specs(rule, stage))
            name = f"triage-{self.kb.digest}-{stage}"
            # Each decision is taken by one rule in every case: the resolution stage always fires.
            self._rulesets[stage] = compile_ruleset(name, specs, always_fires=stage == RESOLUTION)

    def _specs(self, rule: Rule, stage: str) -> list[RuleSpec]:
        if stage == RESOLUTION:
            return [self._resolution_spec(rule)]
        specs = [self._spec(rule, stage, rule.conditions, rule.cf)]
        for absent in self._absent_conditions(rule):
            weight = self.kb.settings.absent_weight
            why = (
                f"reported absent, it counts against at {weight:g} times the weight of its"
                f' presence: "{self.kb.settings.absent_quote}"'
            )
            specs.append(self._spec(rule, stage, [absent], self.kb.absent_cf(rule), why))
        return specs

    def _absent_conditions(self, rule: Rule) -> list[Condition]:
        """The finding reported absent that weighs against this rule's site, if any."""
        if self.kb.absent_cf(rule) is None:
            return []
        return [rule.conditions[0].as_kind("absent")]

    def _matches(self, stage: str, fact: str) -> bool:
        """Whether a rule of this stage matches the fact (by its key; values aside)."""
        matched = self._matched[stage]
        return fact in matched

    def _spec(
        self,
        rule: Rule,
        stage: str,
        conditions: list[Condition],
        cf: float | None,
        detail: str | None = None,
    ) -> RuleSpec:
        tests = tuple(self.kb.requirement(rule, condition) for condition in conditions)
        lab = next((i for i, c in enumerate(conditions) if c.kind == "lab"), None)
        goes_on = self._matches(stage, rule.then)

        def action(matched: list[dict[str, Any]]) -> None:
            sid = matched[0]["sid"]
            try:
                fact: dict[str, Any] = {
                    "fact": rule.then,
                    "label": rule.then,
                    "rule": rule.id,
                    "because": [f["label"] for f in matched],
                }
                if cf is not None:
                    fact["cf"] = cf
                if lab is not None:
                    fact["detail"] = self._lab_detail(conditions[lab], matched[lab])
                elif detail is not None:
                    fact["detail"] = detail
                self._derived[sid].append(fact)
                if goes_on:
                    # Only what rules match: the same fact derived twice is one fact (the
                    # second assertion is ALREADY_SEEN), so the rules using it fire once.
                    self._rulesets[stage].assert_fact(
                        {"fact": rule.then, "label": rule.then, "sid": sid}
                    )
            except Exception as exc:  # a failed action must fail its case, not vanish
                self._failures[str(sid)] = f"rule {rule.id}: {type(exc).__name__}: {exc}"

        return RuleSpec(requires=tests, action=action)

    def _resolution_spec(self, rule: Rule) -> RuleSpec:
        decision = self.kb.decision_of(rule.then)
        assert decision is not None  # the load checks refuse any other resolution rule

        def action(matched: list[dict[str, Any]]) -> None:
            sid = matched[0]["sid"]
            decided = self._decided[sid]
            # Rules ready together fire lowest priority first: the first one decides.
            if decision not in decided:
                because = () if rule.is_default else tuple(f["label"] for f in matched)
                decided[decision] = Step(rule=rule.id, concludes=rule.then, because=because)

        if rule.is_default:
            # Only when no candidate for the decision exists: the opener comes last in a
            # batch, so the negation sees every candidate (see `triage.core.adapter`).
            pattern = f"{decision}=.*" if decision.startswith("treatment:") else f"{decision}:.*"
            # Last of all: a rule deciding it from a graded level (surgery from the prognosis)
            # comes first even without a candidate of its own.
            return RuleSpec(
                requires=(), action=action, on_opener=True, unless=(pattern,), priority=LAST
            )
        return RuleSpec(
            requires=self.kb.requirements[rule.id], action=action, priority=rule.priority
        )

    def _lab_detail(self, condition: Condition, fact: dict[str, Any]) -> str:
        lab = self.kb.lab(condition.name)
        value = f"{fact['value']:g} {lab.unit}"
        entered = Fact.parse(fact["label"]).value
        shown = value if entered == value else f"{entered} = {value}"
        if condition.number is None:
            return f"{lab.name} {shown} is above the reference range {lab.range_text()}"
        return f"{lab.name} {shown} is {condition.op} {condition.number:g} {lab.unit}"

    # -- running --------------------------------------------------------------------------

    def derive(self, inputs: list[dict[str, Any]]) -> Derivation:
        """Run one case's input facts through the three rulesets, in a state of its own."""
        sid = f"case-{next(self._case_numbers)}"
        self._decided[sid] = decided = {}
        try:
            evidence = self._run(EVIDENCE, sid, inputs)
            # A rule fires once per matching fact: the same finding entered and derived from a
            # lab (or from two labs) gives the same step twice; it counts once.
            evidence_steps = {_step(fact) for fact in evidence}
            site_cfs: dict[str, list[float]] = {}
            for step in sorted(evidence_steps):
                concluded = Fact.parse(step.concludes)
                if concluded.kind == "site" and step.cf is not None:
                    site_cfs.setdefault(concluded.name, []).append(step.cf)
            certainty = {site: combined_certainty(cfs) for site, cfs in sorted(site_cfs.items())}
            certainty = {site: value for site, value in certainty.items() if value > 0}
            carried = [
                {"fact": fact["fact"], "label": fact["label"]}
                for fact in evidence
                if not fact["fact"].startswith("site:")
            ]
            sites = [
                {"fact": f"site:{site}", "label": f"site:{site}", "certainty": value}
                for site, value in certainty.items()
            ]
            if sites:
                # `site:any` is the most certain site (ties by id): a rule on any site fires
                # once, on the site that best meets its threshold.
                best = min(sites, key=lambda site: -site["certainty"])  # sites are by id
                sites.append({**best, "fact": ANY_SITE})
            decision = self._run(DECISION, sid, [*inputs, *carried, *sites])
            # Every candidate, even one no resolution rule names: a default's negation sees it.
            candidates = sorted({f["fact"] for f in decision if self.kb.decision_of(f["fact"])})
            resolution = [{"fact": fact, "label": fact} for fact in candidates]
            self._rulesets[RESOLUTION].run(sid, resolution)
        except RulesetError as exc:
            raise EngineError(str(exc)) from None
        finally:
            failure = self._failures.pop(sid, None)
            del self._decided[sid]
        if failure:
            raise EngineError(failure)
        undecided = [d for d in self.kb.decisions if d not in decided]
        if undecided:
            raise EngineError(f"no rule decided {', '.join(undecided)}")
        steps = sorted(evidence_steps | {_step(fact) for fact in decision})
        return Derivation(
            inputs=tuple(fact["label"] for fact in inputs),
            steps=tuple(steps),
            certainty=certainty,
            decisions=decided,
        )

    def _run(self, stage: str, sid: str, facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The facts the rules of one stage derive from these, in a state deleted after."""
        self._derived[sid] = derived = []
        batch = []
        seen: set[tuple] = set()
        for fact in facts:
            # Only what a rule of this stage uses, and each fact once: durable_rules refuses a
            # whole batch over one fact it has already seen.
            if not self._matches(stage, fact["fact"]):
                continue
            key = (fact["fact"], fact["label"], fact.get("value"), fact.get("certainty"))
            if key not in seen:
                seen.add(key)
                batch.append(fact)
        try:
            self._rulesets[stage].run(sid, batch)  # one call for the whole case
        finally:
            del self._derived[sid]
        return derived


def _step(fact: dict[str, Any]) -> Step:
    return Step(
        rule=fact["rule"],
        concludes=fact["fact"],
        because=tuple(fact["because"]),
        cf=fact.get("cf"),
        detail=fact.get("detail"),
    )

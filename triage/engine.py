"""Compiling the knowledge base into durable_rules rulesets and running a case through them.

Two rulesets run one after the other, each forward chaining over the facts of one case:

- evidence: input facts (findings, labs, ...) -> derived findings -> evidence for each site;
- decision: input facts, derived findings and each site with its combined certainty -> tests,
  treatment indications and contraindications, urgency, extent and prognosis.

A site's certainty needs every piece of evidence first, so it is combined between the two
rulesets, never by a rule racing the facts. Likewise indicated vs contraindicated and the
defaults are resolved after the decision ruleset has finished (see `triage.report`).
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass
from typing import Any, ClassVar

import durable_rules_engine as rules_engine  # durable_rules' C engine
from durable import lang

from triage.errors import EngineError
from triage.knowledge import Condition, KnowledgeBase, Rule

EVIDENCE, DECISION = "evidence", "decision"


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
    steps: tuple[Step, ...]
    certainty: dict[str, float]  # site id -> combined certainty, only those above 0


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


def stage_of_rules(kb: KnowledgeBase) -> dict[str, str]:
    """Which ruleset each rule runs in: the rules that build evidence for a site (and the
    rules those depend on) run in the evidence ruleset, everything else in the decision one."""
    stage = {rule.id: DECISION for rule in kb.rules if not rule.is_default}
    wanted = {"site"}
    changed = True
    while changed:
        changed = False
        for rule in kb.rules:
            if stage.get(rule.id) != DECISION:
                continue
            if rule.then.split(":")[0] in wanted or rule.then in wanted:
                stage[rule.id] = EVIDENCE
                wanted.update(c.key for c in rule.conditions)
                changed = True
    return stage


def _expression(condition: Condition, threshold: float, kb: KnowledgeBase) -> Any:
    m = lang.m
    if condition.is_site:
        if condition.key == "site:any":
            return m.fact.matches("site:.*") & (m.certainty >= threshold)
        return (m.fact == condition.key) & (m.certainty >= threshold)
    if condition.kind == "lab":
        lab = kb.lab(condition.key[4:])
        limit = lab.upper_limit if condition.above_range else condition.number
        if condition.op == ">=":
            return (m.fact == condition.key) & (m.value >= limit)
        return (m.fact == condition.key) & (m.value > limit)
    return m.fact == condition.key


class Engine:
    """The compiled rulesets of one knowledge base; build it once per process."""

    _registry: ClassVar[dict[str, Engine]] = {}
    _lock = threading.Lock()

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.names = {
            EVIDENCE: f"triage-{kb.digest}-{EVIDENCE}",
            DECISION: f"triage-{kb.digest}-{DECISION}",
        }
        # The facts each stage's rules match on: a fact no rule of a stage matches is not sent
        # to it (durable_rules would refuse it), which spares a round trip per conclusion.
        self._matched: dict[str, frozenset[str]] = {}
        self._failures: dict[str, str] = {}
        self._derived: dict[str, list[dict[str, Any]]] = {}
        self._case_numbers = itertools.count(1)
        self._rulesets: dict[str, _Ruleset] = {}
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
        stages = stage_of_rules(self.kb)
        for stage in (EVIDENCE, DECISION):
            self._matched[stage] = frozenset(
                condition.key
                for rule in self.kb.rules
                if stages.get(rule.id) == stage
                for condition in [*rule.conditions, *self._absent_conditions(rule)]
            )
            rules = lang.ruleset(self.names[stage])
            # lang keeps a new ruleset for its global host; this engine runs it (`_Ruleset`).
            lang._rulesets.pop(self.names[stage], None)
            with rules:
                _add_state_opener()
                _add_fact_acceptor()
                for rule in self.kb.rules:
                    if stages.get(rule.id) != stage:
                        continue
                    if stage == EVIDENCE and any(c.is_site for c in rule.conditions):
                        raise EngineError(f"rule {rule.id}: a site cannot be evidence for a site")
                    self._compile_rule(rule, stage)
            name, definition = rules.define()
            self._rulesets[stage] = _Ruleset(name, definition)

    def _compile_rule(self, rule: Rule, stage: str) -> None:
        conditions = rule.conditions
        threshold = self.kb.threshold(rule)
        self._add(rule, stage, conditions, threshold, rule.cf)
        for absent in self._absent_conditions(rule):
            weight = self.kb.settings.absent_weight
            why = (
                f"reported absent, it counts against at {weight:g} times the weight of its"
                f' presence: "{self.kb.settings.absent_quote}"'
            )
            self._add(rule, stage, [absent], threshold, self.kb.absent_cf(rule), why)

    def _absent_conditions(self, rule: Rule) -> list[Condition]:
        """The finding reported absent that weighs against this rule's site, if any."""
        if self.kb.absent_cf(rule) is None:
            return []
        first = rule.conditions[0]
        return [first.model_copy(update={"kind": "absent", "key": "absent:" + first.key[8:]})]

    def _matches(self, stage: str, fact: str) -> bool:
        """Whether a rule of this stage matches the fact (by its name; values aside)."""
        matched = self._matched[stage]
        return fact in matched or (fact.startswith("site:") and "site:any" in matched)

    def _add(
        self,
        rule: Rule,
        stage: str,
        conditions: list[Condition],
        threshold: float,
        cf,
        detail: str | None = None,
    ) -> None:
        names = [f"f{i}" for i in range(len(conditions))]
        patterns = [
            getattr(lang.c, name) << _expression(condition, threshold, self.kb)
            for name, condition in zip(names, conditions, strict=True)
        ]
        lab = next((i for i, c in enumerate(conditions) if c.kind == "lab"), None)
        goes_on = self._matches(stage, rule.then)

        def action(frame: dict[str, Any]) -> None:
            sid = None
            try:
                matched = [frame[name] for name in names]
                sid = matched[0]["sid"]
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
                    # ALREADY_SEEN: derived the same way from facts with the same labels.
                    self._rulesets[stage].assert_fact({**fact, "sid": sid})
            except Exception as exc:  # a failed action must fail its case, not vanish
                self._failures[str(sid)] = f"rule {rule.id}: {type(exc).__name__}: {exc}"

        lang.when_all(*patterns)(action)

    def _lab_detail(self, condition: Condition, fact: dict[str, Any]) -> str:
        lab = self.kb.lab(condition.key.split(":")[1])
        value = f"{fact['value']:g} {lab.unit}"
        entered = fact["label"].split("=", 1)[1]
        shown = value if entered == value else f"{entered} = {value}"
        if condition.number is None:
            return f"{lab.name} {shown} is above the reference range {lab.range_text()}"
        return f"{lab.name} {shown} is {condition.op} {condition.number:g} {lab.unit}"

    # -- running --------------------------------------------------------------------------

    def derive(self, inputs: list[dict[str, Any]]) -> Derivation:
        """Run one case's input facts through both rulesets, in a state of its own."""
        sid = f"case-{next(self._case_numbers)}"
        try:
            evidence = self._run(EVIDENCE, sid, inputs)
            # A rule fires once per matching fact: the same finding entered and derived from a
            # lab (or from two labs) gives the same step twice; it counts once.
            evidence_steps = {_step(fact) for fact in evidence}
            site_cfs: dict[str, list[float]] = {}
            for step in sorted(evidence_steps):
                if step.concludes.startswith("site:"):
                    site_cfs.setdefault(step.concludes[5:], []).append(step.cf)
            certainty = {site: combined_certainty(cfs) for site, cfs in sorted(site_cfs.items())}
            certainty = {site: value for site, value in certainty.items() if value > 0}
            carried = [fact for fact in evidence if not fact["fact"].startswith("site:")]
            sites = [
                {"fact": f"site:{site}", "label": f"site:{site}", "certainty": value}
                for site, value in certainty.items()
            ]
            decision = self._run(DECISION, sid, [*inputs, *carried, *sites])
        finally:
            failure = self._failures.pop(sid, None)
        if failure:
            raise EngineError(failure)
        steps = sorted(evidence_steps | {_step(fact) for fact in decision})
        return Derivation(
            inputs=tuple(fact["label"] for fact in inputs),
            steps=tuple(steps),
            certainty=certainty,
        )

    def _run(self, stage: str, sid: str, facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The facts the rules of one stage derive from these, in a state deleted after."""
        self._derived[sid] = derived = []
        batch = [{**STATE_OPENER, "sid": sid}]
        seen: set[str] = set()
        for fact in facts:
            key = repr(sorted(fact.items()))
            # Only what a rule of this stage uses, and each fact once: durable_rules refuses a
            # whole batch over one fact it has already seen.
            if key not in seen and self._matches(stage, fact["fact"]):
                seen.add(key)
                batch.append({**fact, "sid": sid})
        ruleset = self._rulesets[stage]
        try:
            ruleset.run(batch)  # one call for the whole case: far cheaper than one per fact
        finally:
            del self._derived[sid]
            ruleset.delete_state(sid)
        return derived


class _Ruleset:
    """One compiled stage in durable_rules' C engine, with the action of each of its rules.

    The rules are written with `durable.lang` and compiled by durable_rules' C engine; this
    runs them the way durable_rules' own host does (assert, then start and complete each
    action the engine schedules), minus what triage does not use: its background threads
    (every 0.2 s they run any state's pending actions on a thread of their own, and could take
    a case's actions from under `derive`: seen once in 100,000 cases), the per-action closure
    objects, clocks and re-encoded state: about 40% of the engine's time per case."""

    def __init__(self, name: str, definition: dict[str, Any]) -> None:
        self.name = name
        self.actions = {rule: spec.pop("run") for rule, spec in definition.items()}
        self.handle = rules_engine.create_ruleset(name, json.dumps(definition))

    def run(self, facts: list[dict[str, Any]]) -> None:
        """Assert the facts of one state and run every action they lead to, to completion."""
        code, state = rules_engine.assert_facts(self.handle, json.dumps(facts))
        if code in (REFUSED, ALREADY_SEEN):
            raise EngineError(f"{self.name}: durable_rules refused the case's facts ({code})")
        if code == DEFERRED:
            state = 0  # as durable_rules' host does
        started = rules_engine.start_action_for_state(self.handle, state)
        if not started:
            return
        state_text, message = started
        while message:
            ((rule, frame),) = json.loads(message).items()
            self.actions[rule](frame)
            rules_engine.update_state(self.handle, state_text)
            message = rules_engine.complete_and_start_action(self.handle, state)

    def assert_fact(self, fact: dict[str, Any]) -> int:
        """Assert a derived fact from inside an action: 0, or why not (REFUSED, ALREADY_SEEN)."""
        return rules_engine.assert_fact(self.handle, json.dumps(fact))[0]

    def delete_state(self, sid: str) -> None:
        rules_engine.delete_state(self.handle, sid)


# What durable_rules' C engine answers when it does not take a fact at once.
REFUSED, ALREADY_SEEN, DEFERRED = 1, 2, 3  # no rule's test accepts it; already there; queued


# The first fact of every case's state, and a rule that fires on it. With durable_rules 2.0.28,
# deleting a state in which no rule has fired crashes the process ("free(): invalid pointer"),
# and not deleting it leaks the state: so every state opens with one firing.
STATE_OPENER = {"fact": "case:open", "label": "case:open"}


def _add_state_opener() -> None:
    lang.when_all(lang.m.fact == STATE_OPENER["fact"])(lambda _: None)


# durable_rules refuses a batch of facts when one of them passes no rule's test (a lab value
# within range, a site below every threshold), and then runs none of the batch's actions. This
# rule accepts every fact and never fires: it waits for a fact no case ever sends.
NEVER_SENT = "case:never"


def _add_fact_acceptor() -> None:
    accept = lang.c.any << lang.m.fact.matches(".*")
    never = lang.c.never << (lang.m.fact == NEVER_SENT)
    lang.when_all(accept, never)(lambda _: None)


def _step(fact: dict[str, Any]) -> Step:
    return Step(
        rule=fact["rule"],
        concludes=fact["fact"],
        because=tuple(fact["because"]),
        cf=fact.get("cf"),
        detail=fact.get("detail"),
    )

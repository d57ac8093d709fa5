"""A plain-Python reference implementation of the knowledge base's rules: the benchmark's floor.

Never used by the product. It reads the same `rules/` (conditions through triage's one
`holds()`, certainty factors, thresholds, absent weights, priorities), forward-chains with
Python sets and dicts, and concludes the same sites (with certainty), tests, treatment statuses
and graded levels as `triage` — but builds no trace, no report and no JSON. The benchmark checks
that it agrees with the product on every case of the cohort.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from triage.core.facts import Fact, Facts, Requirement, holds
from triage.engine import combined_certainty
from triage.knowledge import DECISION, EVIDENCE, RESOLUTION


@dataclass(frozen=True)
class PlainRule:
    """One rule reduced to the tests its conditions ask, and what it concludes."""

    then: str
    requires: tuple[Requirement, ...]
    cf: float | None = None
    priority: int = 0


@dataclass(frozen=True)
class Conclusions:
    sites: dict[str, float]
    tests: tuple[str, ...]
    treatments: dict[str, str]
    graded: dict[str, str]


class Reference:
    """The knowledge base's rules compiled to plain Python data."""

    def __init__(self, kb: Any) -> None:
        self.kb = kb
        stages = kb.stages
        by_stage: dict[str, list[PlainRule]] = {EVIDENCE: [], DECISION: [], RESOLUTION: []}
        self.defaults: dict[str, str] = {}
        for rule in kb.rules:
            if rule.is_default:
                self.defaults[kb.decision_of(rule.then)] = rule.then
                continue
            tests = tuple(kb.requirement(rule, condition) for condition in rule.conditions)
            by_stage[stages[rule.id]].append(
                PlainRule(rule.then, tests, rule.cf, rule.priority or 0)
            )
            absent_cf = kb.absent_cf(rule)
            if absent_cf is not None:
                absent = rule.conditions[0].as_kind("absent")
                by_stage[stages[rule.id]].append(
                    PlainRule(rule.then, (kb.requirement(rule, absent),), absent_cf)
                )
        # In dependency order, one pass over the rules reaches the fixpoint.
        self.evidence = _in_dependency_order(by_stage[EVIDENCE])
        self.decision = _in_dependency_order(by_stage[DECISION])
        self.resolution = sorted(by_stage[RESOLUTION], key=lambda rule: rule.priority)
        self.treatments = [t.id for t in kb.catalogue.treatments]
        self.test_ids = sorted(t.id for t in kb.catalogue.tests)

    def conclude(self, facts: list[dict[str, Any]]) -> Conclusions:
        """Sites, tests, treatment statuses and graded levels of one case's input facts."""
        known = Facts(
            known={fact["fact"] for fact in facts},
            labs={Fact.parse(f["fact"]).name: f["value"] for f in facts if "value" in f},
        )

        # Evidence: derived findings, then each site's certainty factors.
        site_cfs: dict[str, list[float]] = {}
        for rule in self.evidence:
            if all(holds(test, known) for test in rule.requires):
                if rule.cf is not None:
                    site_cfs.setdefault(Fact.parse(rule.then).name, []).append(rule.cf)
                else:
                    known.known.add(rule.then)
        for site, cfs in sorted(site_cfs.items()):
            total = combined_certainty(cfs)
            if total > 0:
                known.certainty[site] = total

        # Decision: everything that follows from the sites.
        for rule in self.decision:
            if all(holds(test, known) for test in rule.requires):
                known.known.add(rule.then)

        # Resolution: for each decision, the lowest priority that holds; else its default.
        decided: dict[str, str] = {}
        for rule in self.resolution:
            decision = self.kb.decision_of(rule.then)
            if decision not in decided and all(holds(test, known) for test in rule.requires):
                decided[decision] = rule.then
        for decision, default in self.defaults.items():
            candidates = [fact for fact in known.known if self.kb.decision_of(fact) == decision]
            if decision not in decided and not candidates:
                decided[decision] = default
        return Conclusions(
            sites=known.certainty,
            tests=tuple(
                t
                for t in self.test_ids
                if f"test:{t}" in known.known and f"test:{t}=given" not in known.known
            ),
            treatments={t: Fact.parse(decided[f"treatment:{t}"]).value for t in self.treatments},
            graded={kind: Fact.parse(decided[kind]).name for kind in self.kb.graded_kinds},
        )


def _in_dependency_order(rules: list[PlainRule]) -> list[PlainRule]:
    """Each rule after every rule concluding a fact it needs (the rules have no cycle)."""
    ordered: list[PlainRule] = []
    placed: set[int] = set()

    def place(index: int, path: frozenset[int]) -> None:
        if index in placed:
            return
        if index in path:
            raise ValueError(f"the rules have a cycle through {rules[index].then}")
        needs = {required.key for required in rules[index].requires}
        for other, rule in enumerate(rules):
            if other != index and rule.then in needs:
                place(other, path | {index})
        placed.add(index)
        ordered.append(rules[index])

    for index in range(len(rules)):
        place(index, frozenset())
    return ordered


def agrees(conclusions: Conclusions, report: dict[str, Any]) -> bool:
    """Whether the product's JSON report concludes the same as the reference."""
    return (
        {site["id"]: site["certainty"] for site in report["sites"]} == conclusions.sites
        and tuple(test["id"] for test in report["tests"]) == conclusions.tests
        and {t["id"]: t["status"] for t in report["treatments"]} == conclusions.treatments
        and {kind: report[kind]["level"] for kind in conclusions.graded} == conclusions.graded
    )

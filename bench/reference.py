"""A plain-Python reference implementation of the knowledge base's rules: the benchmark's floor.

Never used by the product. It reads the same `rules/` (conditions, certainty factors,
thresholds, absent weights), forward-chains to a fixpoint with Python sets and dicts, and
concludes the same sites (with certainty), tests, treatment statuses and graded levels as
`triage` — but builds no trace, no report and no JSON. The benchmark checks that it agrees with
the product on every case of the cohort.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def _combine(cf1: float, cf2: float) -> float:
    if cf1 >= 0 and cf2 >= 0:
        return cf1 + cf2 * (1 - cf1)
    if cf1 < 0 and cf2 < 0:
        return cf1 + cf2 * (1 + cf1)
    return (cf1 + cf2) / (1 - min(abs(cf1), abs(cf2)))


@dataclass(frozen=True)
class PlainRule:
    """One rule reduced to plain comparisons: keys that must be known, labs above limits, sites
    at or above the rule's threshold ("any" for site:any)."""

    then: str
    keys: tuple[str, ...]
    labs: tuple[tuple[str, float, bool], ...]  # (lab id, limit, inclusive)
    sites: tuple[str, ...]
    threshold: float
    cf: float | None


@dataclass(frozen=True)
class Conclusions:
    sites: dict[str, float]
    tests: tuple[str, ...]
    treatments: dict[str, str]
    graded: dict[str, str]


class Reference:
    """The knowledge base's rules compiled to plain Python data."""

    def __init__(self, kb: Any) -> None:
        settings = kb.catalogue.settings
        labs = {lab.id: lab for lab in kb.labs}
        self.evidence: list[PlainRule] = []  # rules with no site condition
        self.decision: list[PlainRule] = []  # rules with a site condition
        for rule in kb.rules:
            if not rule.when:
                continue  # default rules: resolved below
            if rule.threshold is not None:
                threshold = rule.threshold
            elif rule.then.startswith("test:"):
                threshold = settings.test_threshold
            else:
                threshold = settings.site_threshold
            keys, lab_tests, sites = [], [], []
            for text in rule.when:
                condition = _parse(text)
                if condition["kind"] == "site":
                    sites.append(condition["name"])
                elif condition["kind"] == "lab":
                    lab = labs[condition["name"]]
                    limit = lab.upper_limit if condition["above"] else condition["number"]
                    lab_tests.append((lab.id, limit, condition["op"] == ">="))
                else:
                    keys.append(condition["key"])
            plain = PlainRule(
                rule.then, tuple(keys), tuple(lab_tests), tuple(sites), threshold, rule.cf
            )
            (self.decision if sites else self.evidence).append(plain)
            absent = self._absent(rule, keys, settings.absent_weight)
            if absent is not None:
                self.evidence.append(absent)
        # In dependency order, one pass over the rules reaches the fixpoint.
        self.evidence = _in_dependency_order(self.evidence)
        self.decision = _in_dependency_order(self.evidence + self.decision)
        self.treatments = [t.id for t in kb.catalogue.treatments]
        self.test_ids = sorted(t.id for t in kb.catalogue.tests)
        self.graded = {kind: list(levels) for kind, levels in kb.catalogue.graded.items()}

    @staticmethod
    def _absent(rule: Any, keys: list[str], weight: float) -> PlainRule | None:
        """A finding reported absent weighs against the site it would support."""
        if rule.cf is None or rule.cf <= 0 or len(rule.when) != 1 or len(keys) != 1:
            return None
        if not keys[0].startswith("finding:"):
            return None
        cf = rule.absent_cf if rule.absent_cf is not None else round(-rule.cf * weight, 2)
        if not cf:
            return None
        return PlainRule(rule.then, ("absent:" + keys[0][8:],), (), (), 0.0, cf)

    def conclude(self, facts: list[dict[str, Any]]) -> Conclusions:
        """Sites, tests, treatment statuses and graded levels of one case's input facts."""
        known = {fact["fact"] for fact in facts}
        values = {fact["fact"][4:]: fact["value"] for fact in facts if "value" in fact}
        certainty: dict[str, float] = {}

        def holds(rule: PlainRule) -> bool:
            for key in rule.keys:
                if key not in known:
                    return False
            for lab, limit, inclusive in rule.labs:
                value = values.get(lab)
                if value is None or not (value >= limit if inclusive else value > limit):
                    return False
            for site in rule.sites:
                if site == "any":
                    if not any(value >= rule.threshold for value in certainty.values()):
                        return False
                elif certainty.get(site, 0.0) < rule.threshold:
                    return False
            return True

        # Evidence: derived findings, then each site's certainty factors.
        site_cfs: dict[str, list[float]] = {}
        for rule in self.evidence:
            if holds(rule):
                if rule.then.startswith("site:"):
                    site_cfs.setdefault(rule.then[5:], []).append(rule.cf)
                else:
                    known.add(rule.then)
        for site, cfs in sorted(site_cfs.items()):
            total = 0.0
            for cf in sorted(cfs, reverse=True):
                total = _combine(total, cf)
            if round(total, 2) > 0:
                certainty[site] = round(total, 2)

        # Decision: everything that follows from the sites.
        premises: dict[str, list[tuple[str, ...]]] = {}
        for rule in self.decision:
            if not rule.then.startswith("site:") and holds(rule):
                known.add(rule.then)
                premises.setdefault(rule.then, []).append(rule.keys)

        graded = {}
        for kind, levels in self.graded.items():
            reached = [level for level in levels[1:] if f"{kind}:{level}" in known]
            graded[kind] = reached[-1] if reached else levels[0]
        # A treatment resting on a graded level that a higher one outranks does not count.
        outranked = {
            f"{kind}:{level}"
            for kind, levels in self.graded.items()
            for level in levels
            if level != graded[kind]
        }

        def standing(fact: str) -> bool:
            return any(outranked.isdisjoint(keys) for keys in premises.get(fact, []))

        treatments = {}
        for treatment in self.treatments:
            if standing(f"treatment:{treatment}=contraindicated"):
                treatments[treatment] = "contraindicated"
            elif standing(f"treatment:{treatment}=indicated"):
                treatments[treatment] = "indicated"
            else:
                treatments[treatment] = "not_indicated"
        return Conclusions(
            sites=certainty,
            tests=tuple(
                t for t in self.test_ids if f"test:{t}" in known and f"test:{t}=given" not in known
            ),
            treatments=treatments,
            graded=graded,
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
        for other, rule in enumerate(rules):
            # A rule that concludes what it needs (an override) adds nothing by itself.
            if other != index and rule.then in rules[index].keys:
                place(other, path | {index})
        placed.add(index)
        ordered.append(rules[index])

    for index in range(len(rules)):
        place(index, frozenset())
    return ordered


def _parse(text: str) -> dict[str, Any]:
    """`kind:name`, `kind:name=value`, `lab:name > N`, `lab:name >= N`, `lab:name above_range`."""
    text = text.strip()
    above = text.endswith(" above_range")
    if above:
        text = text[: -len(" above_range")].strip()
    op = number = None
    for candidate in (">=", ">"):
        if candidate in text:
            text, _, raw = text.partition(candidate)
            op, number, text = candidate, float(raw), text.strip()
            break
    kind, _, name = text.partition(":")
    return {
        "kind": kind,
        "name": name.partition("=")[0],
        "key": text,
        "op": op,
        "number": number,
        "above": above,
    }


def agrees(conclusions: Conclusions, report: dict[str, Any]) -> bool:
    """Whether the product's JSON report concludes the same as the reference."""
    return (
        {site["id"]: site["certainty"] for site in report["sites"]} == conclusions.sites
        and tuple(test["id"] for test in report["tests"]) == conclusions.tests
        and {t["id"]: t["status"] for t in report["treatments"]} == conclusions.treatments
        and {kind: report[kind]["level"] for kind in conclusions.graded} == conclusions.graded
    )

"""Explanations: turning the engine's rule firings into proofs, and saying what was missing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from triage.core.facts import Condition, Facts, holds
from triage.engine import Derivation, Step
from triage.knowledge import KnowledgeBase

EXPANDED_KINDS = ("hormone_receptor", "suspect", "treatment")


def known_facts(derivation: Derivation, labs: dict[str, float]) -> Facts:
    """What a case's derivation establishes: its inputs (a lab by its name too), every fact a
    rule concluded, each lab's value and each site's certainty."""
    known = set(derivation.inputs) | {step.concludes for step in derivation.steps}
    # a lab by its name: its key, `lab:ID`, is its fact without the value
    known |= {fact.partition("=")[0] for fact in derivation.inputs if fact.startswith("lab:")}
    known |= {step.concludes for step in derivation.decisions.values()}
    return Facts(known=known, labs=dict(labs), certainty=dict(derivation.certainty))


Shown = TypeVar("Shown")


class Proofs(Generic[Shown]):
    """The derivations of one case, indexed by the fact each step concludes; a proof is a list
    of its steps each as `show` makes it (once per step: one object per step, as for the steps
    themselves)."""

    def __init__(self, derivation: Derivation, show: Callable[[Step], Shown]) -> None:
        self.derivation = derivation
        self.show = show
        self.inputs = set(derivation.inputs)
        self.by_fact: dict[str, list[Step]] = {}
        self._proofs: dict[int, list[Shown]] = {}
        for step in derivation.steps:
            self.by_fact.setdefault(step.concludes, []).append(step)

    def steps_concluding(self, fact: str) -> list[Step]:
        return self.by_fact.get(fact, [])

    def proof(self, targets: list[Step]) -> list[Shown]:
        """The targets preceded by every step their premises need, each step after the
        steps that conclude the facts it uses: a proof a reader can follow from the inputs."""
        if len(targets) == 1:
            return list(self._proof_of(targets[0]))  # a list of its own, as a merge makes
        return _merged([self._proof_of(target) for target in targets])

    def _proof_of(self, step: Step) -> list[Shown]:
        """One step's proof, premises first (worked out once per step: a site's evidence is
        in the proof of most conclusions)."""
        proofs = self._proofs
        known = proofs.get(id(step))
        if known is None:
            proofs[id(step)] = []  # a step needing its own conclusion adds nothing
            premises = []
            for fact in step.because:
                if fact not in self.inputs:
                    for premise in self.by_fact.get(fact, ()):
                        premises.append(proofs.get(id(premise)) or self._proof_of(premise))
            shown = self.show(step)
            known = [*_merged(premises), shown] if premises else [shown]
            proofs[id(step)] = known
        return known


def _merged(proofs: list[list[Shown]]) -> list[Shown]:
    """Proofs one after the other, each step once, where it first appears."""
    if len(proofs) == 1:
        return proofs[0]
    # By identity (each step is shown as one object); a dict keeps the first place.
    return list({id(step): step for proof in proofs for step in proof}.values())


class MissingFacts:
    """What a rule that did not fire still needed, in terms a student can enter."""

    def __init__(self, kb: KnowledgeBase, facts: Facts):
        self.kb = kb
        self.facts = facts
        self._answers: dict[tuple[tuple[str, ...], int], list[str]] = {}

    def _text(self, condition: Condition) -> str:
        if condition.kind == "lab" and condition.above_range:
            return f"{condition.key} above {self.kb.lab(condition.name).upper_limit:g}"
        return condition.text

    def for_conclusions(self, conclusions: Iterable[str], depth: int = 0) -> list[str]:
        """What the closest rules concluding one of these facts still needed: the unmet
        conditions of the rules that miss the fewest, an intermediate fact replaced by what
        would derive it."""
        wanted = tuple(sorted(set(conclusions)))
        known = self._answers.get((wanted, depth))
        if known is None:
            known = self._answers[wanted, depth] = self._closest(wanted, depth)
        return known

    def _closest(self, wanted: tuple[str, ...], depth: int) -> list[str]:
        rules = self.kb.rules_by_conclusion
        requirements = self.kb.requirements
        unmet_by_rule = [
            [
                condition
                for condition, required in zip(rule.conditions, requirements[rule.id], strict=True)
                if not holds(required, self.facts)
            ]
            for fact in wanted
            for rule in rules.get(fact, [])
        ]
        if not unmet_by_rule:
            return []
        fewest = min(len(unmet) for unmet in unmet_by_rule)
        needed: set[str] = set()
        for unmet in unmet_by_rule:
            if len(unmet) != fewest:
                continue  # only the closest rules are explained: no need to expand the others
            for condition in unmet:
                if condition.kind in EXPANDED_KINDS and depth < 3:
                    needed.update(self.for_conclusions([condition.key], depth + 1))
                else:
                    needed.add(self._text(condition))
        return sorted(needed)

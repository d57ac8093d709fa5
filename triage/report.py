"""The report of one case: its models (the contract's JSON) and how it is built and shown."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from triage import DISCLAIMER, __version__
from triage.engine import Derivation, Step
from triage.knowledge import KnowledgeBase
from triage.trace import MissingFacts, Proofs


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TraceStep(Model):
    """One step of a proof: a rule that fired, what it matched, what it concluded, and why.
    Frozen: the same step is shared by every report that shows it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str
    because: list[str]
    concludes: str
    quote: str | None = None
    reference: str | None = None
    note: str | None = None
    cf: float | None = None
    detail: str | None = None
    missing: list[str] | None = None


class SiteResult(Model):
    id: str
    certainty: float
    trace: list[TraceStep]


class TestResult(Model):
    id: str
    trace: list[TraceStep]


class TreatmentResult(Model):
    id: str
    status: str
    trace: list[TraceStep]


class Graded(Model):
    level: str
    trace: list[TraceStep]


class Report(Model):
    """The contract's report of one case."""

    case_id: str
    title: str | None = None
    facts: list[str]
    sites: list[SiteResult]
    tests: list[TestResult]
    # Tests a rule would suggest whose result the case already gives: not suggested again.
    tests_given: list[TestResult] = []
    treatments: list[TreatmentResult]
    urgency: Graded
    extent: Graded
    prognosis: Graded
    disclaimer: str = DISCLAIMER
    version: str = __version__
    knowledge: str

    def to_json(self) -> str:
        return self.model_dump_json(exclude_none=True)

    def traces(self) -> list[list[TraceStep]]:
        """The trace of every conclusion: sites, tests, treatments, then the graded levels."""
        conclusions = [*self.sites, *self.tests, *self.tests_given, *self.treatments]
        graded = (self.urgency, self.extent, self.prognosis)
        return [c.trace for c in conclusions] + [g.trace for g in graded]

    def rules_fired(self) -> set[str]:
        """The ids of every rule in any trace of this report, default rules included."""
        return {step.rule for trace in self.traces() for step in trace}


# The same rule firing on the same facts recurs from case to case: each such step is built
# once and shared (read-only) by every report that shows it. A step from a lab value is all
# but unique (the value is in it) and is not kept. Bounded: emptied when full.
_TRACE_STEPS: dict[tuple[str, Step], TraceStep] = {}
TRACE_STEPS_KEPT = 4096


def _trace_step(kb: KnowledgeBase, step: Step) -> TraceStep:
    key = (kb.digest, step)
    built = _TRACE_STEPS.get(key)
    if built is None:
        rule = kb.rule(step.rule)
        built = TraceStep(
            rule=step.rule,
            because=list(step.because),
            concludes=step.concludes,
            quote=rule.quote,
            reference=rule.reference,
            note=rule.note,
            cf=step.cf,
            detail=step.detail,
        )
        if not any(fact.startswith("lab:") for fact in step.because):
            if len(_TRACE_STEPS) >= TRACE_STEPS_KEPT:
                _TRACE_STEPS.clear()
            _TRACE_STEPS[key] = built
    return built


def _default_step(kb: KnowledgeBase, fact: str, missing: list[str]) -> TraceStep:
    rule = kb.default_rules[fact]
    return TraceStep(
        rule=rule.id,
        because=[],
        concludes=fact,
        quote=rule.quote,
        reference=rule.reference,
        note=rule.note,
        missing=missing,
    )


def build_report(
    kb: KnowledgeBase,
    case_id: str,
    title: str | None,
    derivation: Derivation,
    labs: dict[str, float],
) -> Report:
    """The report of a derivation: sites, tests, treatments and graded conclusions, each with
    its proof; the decisions that need every fact (status, defaults) are taken here."""
    proofs = Proofs(derivation)
    missing = MissingFacts(kb, derivation, labs)

    shown: dict[int, TraceStep] = {}  # a step in several traces is built once (by identity)

    def trace_step(step: Step) -> TraceStep:
        built = shown.get(id(step))
        if built is None:
            built = shown[id(step)] = _trace_step(kb, step)
        return built

    def trace(steps: list[Step]) -> list[TraceStep]:
        return [trace_step(step) for step in proofs.proof(steps)]

    sites = [
        SiteResult(id=site, certainty=value, trace=trace(proofs.steps_concluding(f"site:{site}")))
        for site, value in sorted(derivation.certainty.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    tests, tests_given = [], []
    for test in sorted(kb.catalogue.tests, key=lambda t: t.id):
        if not proofs.steps_concluding(f"test:{test.id}"):
            continue  # not suggested
        # A test whose result the case gives (`test:ID=given`) is not suggested again.
        suggested = proofs.steps_concluding(f"test:{test.id}")
        given = proofs.steps_concluding(f"test:{test.id}=given")
        if given:
            tests_given.append(TestResult(id=test.id, trace=trace(suggested + given)))
        else:
            tests.append(
                TestResult(id=test.id, trace=trace(proofs.steps_concluding(f"test:{test.id}")))
            )

    def graded(kind: str) -> Graded:
        levels = kb.catalogue.graded[kind]  # type: ignore[index]
        for level in reversed(levels[1:]):
            steps = proofs.steps_concluding(f"{kind}:{level}")
            if steps:
                return Graded(level=level, trace=trace(steps))
        higher = [f"{kind}:{level}" for level in levels[1:]]
        step = _default_step(kb, f"{kind}:{levels[0]}", missing.for_conclusions(higher))
        return Graded(level=levels[0], trace=[step])

    levels = {kind: graded(kind) for kind in ("urgency", "extent", "prognosis")}
    # A level that a higher one outranks does not hold: a rule resting on it does not count.
    outranked = {
        f"{kind}:{level}"
        for kind, reported in levels.items()
        for level in kb.catalogue.graded[kind]  # type: ignore[index]
        if level != reported.level
    }

    def standing(fact: str) -> list[Step]:
        return [
            step for step in proofs.steps_concluding(fact) if outranked.isdisjoint(step.because)
        ]

    treatments = []
    for treatment in kb.catalogue.treatments:
        indicated = f"treatment:{treatment.id}=indicated"
        contraindicated = f"treatment:{treatment.id}=contraindicated"
        for_it = standing(indicated)
        against = standing(contraindicated)
        if against:
            # A contraindication overrides an indication; the trace shows both.
            steps = trace(for_it + against)
            treatments.append(
                TreatmentResult(id=treatment.id, status="contraindicated", trace=steps)
            )
        elif for_it:
            treatments.append(
                TreatmentResult(id=treatment.id, status="indicated", trace=trace(for_it))
            )
        else:
            fact = f"treatment:{treatment.id}=not_indicated"
            step = _default_step(kb, fact, missing.for_conclusions([indicated]))
            treatments.append(
                TreatmentResult(id=treatment.id, status="not_indicated", trace=[step])
            )

    return Report(
        case_id=case_id,
        title=title,
        facts=list(derivation.inputs),
        sites=sites,
        tests=tests,
        tests_given=tests_given,
        treatments=treatments,
        urgency=levels["urgency"],
        extent=levels["extent"],
        prognosis=levels["prognosis"],
        knowledge=kb.digest,
    )

"""The report of one case: its models (the contract's JSON) and how it is built and shown."""

from functools import cache
from typing import Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
    SerializeAsAny,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
)

from triage import DISCLAIMER, __version__
from triage.core.facts import Facts, Requirement, holds
from triage.engine import ANY_SITE, Derivation, Step
from triage.knowledge import KnowledgeBase
from triage.models import unvalidated
from triage.trace import EXPANDED_KINDS, MissingFacts, Proofs, known_facts


class Model(BaseModel):
    # defer_build: a text report is never validated nor serialised: no schema is built for it
    model_config = ConfigDict(extra="forbid", defer_build=True)


ModelT = TypeVar("ModelT", bound="Model")


class TraceStep(Model):
    """One step of a proof: a rule that fired, what it matched, what it concluded, and why.
    Frozen: the same step is shared by every report that shows it."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

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


Basis = Literal["confirmed", "suspected"]


class TreatmentResult(Model):
    # Frozen: a default's result is shared by every report that shows it.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: str
    status: str
    # Whether the status follows from confirmed sites, or waits on suspected ones (`pending`);
    # omitted for a default status and one that rests on no site.
    basis: Basis | None = None
    pending: list[str] | None = None
    trace: list[TraceStep]


# The report's graded conclusions, in report order; `rules/concepts.yaml` lists their levels.
GRADED_KINDS = ("urgency", "extent", "prognosis")


class Graded(Model):
    # Frozen: a default's result is shared by every report that shows it.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    level: str
    basis: Basis | None = None  # on extent and prognosis, as on a treatment status
    pending: list[str] | None = None
    trace: list[TraceStep]


class Understood(Model):
    """What one piece of typed text was read as (the report's `understood`). Frozen: the same
    reading is shared by every report that shows it."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    text: str
    finding: str | None
    present: bool
    how: str  # exact | variant | composed | corrected | not_read | past | hypothetical | other
    # | intended | explained
    not_said: list[str] | None = None  # the article's qualifiers the text did not say
    via: list[str] | None = None  # abbreviations written out, words corrected
    past_finding: str | None = None  # how: past, hypothetical or other: the finding it names
    choices: list[str] | None = None  # not_read: what a bare complaint could be

    @classmethod
    def of(cls, **fields: Any) -> "Understood":
        """An entry: an UnreadText when its text named no finding."""
        return (cls if fields["finding"] is not None else UnreadText)(**fields)


class UnreadText(Understood):
    """A piece of typed text that named no finding: `finding` stays in its entry, null, as the
    contract shows it, while the report drops its other empty keys. Only such entries call back
    into Python to be written (a report's entries are written each by its own class)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    @model_serializer(mode="wrap")
    def _with_null_finding(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        if "finding" in data:
            return data
        return {"text": data["text"], "finding": None, **data}


class Report(Model):
    """The contract's report of one case."""

    case_id: str
    title: str | None = None
    facts: list[str]
    # What each piece of typed text was read as; each entry written by its own class (an
    # UnreadText keeps its null finding).
    understood: list[SerializeAsAny[Understood]] | None = None
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
    # What the case's derivation established (lab values, certainties): why-not asks it.
    _facts: Facts | None = PrivateAttr(default=None)
    # The rules that took each decision (shown in a trace only where they chose between rivals).
    _decided_by: tuple[str, ...] = PrivateAttr(default=())

    @field_validator("understood")
    @classmethod
    def _unread_texts(cls, entries: list[Understood] | None) -> list[Understood] | None:
        """Entries read from JSON: one that names no finding is an UnreadText, as built."""
        if not entries:
            return entries
        return [Understood.of(**entry.__dict__) for entry in entries]

    @property
    def known(self) -> Facts | None:
        """What the derivation established, for a report built here (not one read from JSON)."""
        return self._facts

    def graded(self) -> list[tuple[str, Graded]]:
        """Each graded conclusion with its kind (`urgency`, `extent`, `prognosis`), in order."""
        return [(kind, getattr(self, kind)) for kind in GRADED_KINDS]

    def to_json(self) -> str:
        """The contract's JSON: `model_dump_json(exclude_none=True)`, without its wrapper."""
        return self.to_json_bytes().decode()

    def to_json_bytes(self) -> bytes:
        """`to_json` as UTF-8, as pydantic writes it (not decoded only to be encoded again)."""
        return self.__pydantic_serializer__.to_json(self, exclude_none=True)

    def traces(self) -> list[list[TraceStep]]:
        """The trace of every conclusion: sites, tests, treatments, then the graded levels."""
        conclusions = [*self.sites, *self.tests, *self.tests_given, *self.treatments]
        return [c.trace for c in conclusions] + [g.trace for _, g in self.graded()]

    def rules_fired(self) -> set[str]:
        """The ids of every rule that fired for this report: those in its traces (default rules
        included) and the rules that took its decisions."""
        return {step.rule for trace in self.traces() for step in trace} | set(self._decided_by)


class _Tables:
    """What building a report needs of one knowledge base, worked out once: the facts each test,
    treatment and graded decision is read from, each rule's shape, and the trace steps shared
    by the reports built from it."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.tests = [
            (test.id, f"test:{test.id}", f"test:{test.id}=given")
            for test in sorted(kb.catalogue.tests, key=lambda t: t.id)
        ]
        # Each decision with its candidates, the first of them being the one a student hopes
        # for: a treatment's default says what that one still needed, a graded level's what
        # each higher level did.
        self.treatments = [
            (
                t.id,
                f"treatment:{t.id}",
                (f"treatment:{t.id}=indicated", f"treatment:{t.id}=contraindicated"),
            )
            for t in kb.catalogue.treatments
        ]
        self.higher = {
            kind: tuple(f"{kind}:{level}" for level in kb.levels(kind)[1:])
            for kind in kb.graded_kinds
        }
        self.defaults = frozenset(rule.id for rule in kb.rules if rule.is_default)
        # For each rule, whether each condition is `site:any` (with the rule's threshold).
        self.any_site = {
            rule.id: tuple(c.key == ANY_SITE for c in rule.conditions) for rule in kb.rules
        }
        self.thresholds = {rule.id: kb.threshold(rule) for rule in kb.rules}
        # Every `confirmed:SITE` fact a case can know, with its site: a case's confirmed sites
        # (input facts of known sites) and what a rule concludes confirmed.
        confirmable = {f"confirmed:{site}" for site in kb.ids("site")}
        confirmable |= {rule.then for rule in kb.rules if rule.then.startswith("confirmed:")}
        self.confirmable = tuple((fact, fact.partition(":")[2]) for fact in sorted(confirmable))
        # The same rule firing on the same facts recurs from case to case: each such step is
        # built once and shared (read-only) by every report that shows it. A step from a lab
        # value is all but unique (the value is in it) and is not kept. Bounded: emptied when
        # full. Keyed by the step's fields as a tuple (hashed and compared in C).
        self.steps: dict[tuple, TraceStep] = {}
        # A decision its default rule took, by that rule and what it still needed.
        self.default_results: dict[tuple, Model] = {}
        # What a default's rivals still needed (see `_missing`), and how to ask.
        self.missing: dict[tuple, tuple[str, ...]] = {}
        self.missing_plans: dict[tuple[str, ...], tuple] = {}

    def trace_step(self, step: Step) -> TraceStep:
        """A step as a trace shows it; built once and shared where it recurs (see `steps`)."""
        key = (step.rule, step.concludes, step.because, step.cf, step.detail)
        built = self.steps.get(key)
        if built is None:
            rule = self.kb.rule(step.rule)
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
                _keep(self.steps, key, built, TRACE_STEPS_KEPT)
        return built


_TABLES: dict[str, _Tables] = {}
TRACE_STEPS_KEPT = 4096


def _keep(table: dict, key: Any, value: Any, most: int) -> None:
    """Remember a value in a bounded table: emptied when full."""
    if len(table) >= most:
        table.clear()
    table[key] = value


_GIVEN = object()  # a field `_made` must be given


def _made(
    model: type[ModelT], values: dict[str, Any], private: dict[str, Any] | None = None
) -> ModelT:
    """A model of this module built from values `build_report` made itself, not validated
    again: validating a report's twenty models (which only check what is right by
    construction) and setting up its private attributes took ~11 us of the ~155 us of
    building and serialising it; `model_construct` is slower still. Fields are kept in the
    model's order, which its JSON follows: values that give every field are given in that
    order; the others are laid over the fields' defaults."""
    fields = _unset_fields(model)
    given = values if len(values) == len(fields) else {**fields, **values}
    return unvalidated(model, given, set(values), private)


@cache
def _unset_fields(model: type[Model]) -> dict[str, Any]:
    """Each field of a model, in order, with its default where it may be shared (None, a
    string); `_GIVEN` for the others, which `_made` is always given (a `_GIVEN` left in would
    fail the report's serialisation, which every test of a report goes through)."""
    return {
        name: field.default if isinstance(field.default, str | None) else _GIVEN
        for name, field in model.model_fields.items()
    }


def _tables(kb: KnowledgeBase) -> _Tables:
    tables = _TABLES.get(kb.digest)
    if tables is None:
        tables = _TABLES[kb.digest] = _Tables(kb)
    return tables


# What a default conclusion's rivals still needed (`MissingFacts.for_conclusions`) depends only
# on which of the requirements it may consult hold: the same answer recurs across cases and is
# worked out once per combination. Bounded: emptied when full.
MISSING_KEPT = 4096


def _consulted(kb: KnowledgeBase, wanted: tuple[str, ...]) -> tuple[Requirement, ...]:
    """Every requirement that explaining these conclusions may test: the conditions of the
    rules concluding them and, through each condition of a kind `MissingFacts` expands, of the
    rules concluding that (at any depth: a superset of what it expands)."""
    seen: set[str] = set()
    tests: dict[Requirement, None] = {}
    todo = list(wanted)
    while todo:
        fact = todo.pop()
        if fact in seen:
            continue
        seen.add(fact)
        for rule in kb.rules_by_conclusion.get(fact, []):
            for condition, test in zip(rule.conditions, kb.requirements[rule.id], strict=True):
                tests[test] = None
                if condition.kind in EXPANDED_KINDS:
                    todo.append(condition.key)
    return tuple(tests)


def _missing(
    kb: KnowledgeBase, tables: _Tables, missing: MissingFacts, wanted: tuple[str, ...]
) -> tuple[str, ...]:
    """`missing.for_conclusions(wanted)`, remembered across cases by what it depends on."""
    plan = tables.missing_plans.get(wanted)
    if plan is None:
        conclusions = tuple(sorted(set(wanted)))
        tests = _consulted(kb, conclusions)
        plain = tuple(test.key for test in tests if test.attribute is None)
        compared = tuple(test for test in tests if test.attribute is not None)
        plan = tables.missing_plans[wanted] = (conclusions, plain, compared)
    conclusions, plain, compared = plan
    facts = missing.facts
    key = (
        conclusions,
        tuple(map(facts.known.__contains__, plain)),  # a plain fact's requirement: it is known
        tuple([holds(test, facts) for test in compared]),
    )
    found = tables.missing.get(key)
    if found is None:
        found = tuple(missing.for_conclusions(conclusions))
        _keep(tables.missing, key, found, MISSING_KEPT)
    return found


class Confirmation:
    """Whether a conclusion follows from confirmed sites: `confirmed` when some proof of it
    rests only on inputs, confirmed sites and facts derived from those; else `suspected`,
    pending the suspected sites its proofs use (confirming one of them may be enough). The
    decision stage's rules only add facts, so a decided fact that follows from confirmed sites
    alone is decided the same way with the suspected sites left out."""

    def __init__(self, kb: KnowledgeBase, proofs: Proofs[TraceStep], facts: Facts) -> None:
        self.kb = kb
        self.tables = _tables(kb)
        self.proofs = proofs
        self.certainty = facts.certainty
        known = facts.known
        self.confirmed = {site for fact, site in self.tables.confirmable if fact in known}
        self._support: dict[str, tuple[bool, frozenset[str]]] = {}

    def of(self, fact: str, deciding: Step) -> dict[str, Any]:
        """The report's `basis` (and `pending`) of a decided fact; nothing for a default
        conclusion or one whose proofs use no site. A fact that only its deciding rule
        concludes (surgery from the prognosis) rests on that rule's premises."""
        if self.proofs.steps_concluding(fact):
            follows, sites = self._supported(fact)
        elif not deciding.because:  # a default that no rule concluded: it rests on no site
            return {}
        else:
            premises = [self._supported(premise) for premise in deciding.because]
            follows = all(ok for ok, _ in premises)
            sites = frozenset(site for _, used in premises for site in used)
        if not sites:
            return {}
        if follows:
            return {"basis": "confirmed"}
        return {"basis": "suspected", "pending": sorted(sites - self.confirmed)}

    def _any_site(self, step: Step) -> tuple[bool, frozenset[str]]:
        """A `site:any` condition (matched on the most certain site): any confirmed site
        meets it, and each suspected site at the rule's threshold could."""
        threshold = self.tables.thresholds[step.rule]
        sites = frozenset(s for s, value in self.certainty.items() if value >= threshold)
        return bool(sites & self.confirmed), sites

    def _supported(self, fact: str) -> tuple[bool, frozenset[str]]:
        """Whether a proof of the fact uses confirmed sites only, and every site its proofs
        use (worked out once per fact)."""
        support = self._support
        known = support.get(fact)
        if known is not None:
            return known
        if fact in self.proofs.inputs:
            known = (True, _NO_SITES)
        elif fact.startswith("site:"):
            site = fact.partition(":")[2]
            known = (site in self.confirmed, frozenset([site]))
        else:
            support[fact] = (False, _NO_SITES)  # a fact needing itself adds nothing
            follows, sites = False, set()
            any_site = self.tables.any_site
            for step in self.proofs.steps_concluding(fact):
                step_follows = True
                for is_any, premise in zip(any_site[step.rule], step.because, strict=False):
                    ok, used = self._any_site(step) if is_any else self._supported(premise)
                    step_follows = step_follows and ok
                    sites.update(used)
                follows = follows or step_follows
            known = (follows, frozenset(sites))
        support[fact] = known
        return known


_NO_SITES: frozenset[str] = frozenset()


def _default_result(
    kb: KnowledgeBase,
    tables: _Tables,
    missing: MissingFacts,
    model: type[ModelT],
    step: Step,
    wanted: tuple[str, ...],
) -> ModelT:
    """A decision its default rule took (no candidate was concluded), as a TreatmentResult or
    a Graded: its one step lists what the wanted candidates still needed, and it rests on no
    site (no basis). The same result recurs from case to case: built once and shared."""
    needed = _missing(kb, tables, missing, wanted)
    key = (step.rule, needed)
    built = tables.default_results.get(key)
    if built is None:
        rule = kb.rule(step.rule)
        shown = TraceStep(
            rule=rule.id,
            because=[],
            concludes=step.concludes,
            quote=rule.quote,
            reference=rule.reference,
            note=rule.note,
            missing=list(needed),
        )
        value = step.concludes.partition(":")[2]  # treatment:ID=STATUS, or KIND:LEVEL
        if model is TreatmentResult:
            treatment_id, _, status = value.partition("=")
            built = _made(model, {"id": treatment_id, "status": status, "trace": [shown]})
        else:
            built = _made(model, {"level": value, "trace": [shown]})
        _keep(tables.default_results, key, built, TRACE_STEPS_KEPT)
    return built  # type: ignore[return-value]  (the rule decides one kind of result)


def build_report(
    kb: KnowledgeBase,
    case_id: str,
    title: str | None,
    derivation: Derivation,
    labs: dict[str, float],
    understood: list[Understood] | None = None,
) -> Report:
    """The report of a derivation: sites, tests, treatments and graded conclusions, each with
    its proof; each decision as the resolution stage's rules took it."""
    tables = _tables(kb)
    # A proof's steps as the trace shows them (each built once per case, and shared across
    # cases where it recurs).
    proofs = Proofs(derivation, tables.trace_step)
    facts = known_facts(derivation, labs)
    missing = MissingFacts(kb, facts)
    concluding = proofs.steps_concluding
    trace = proofs.proof

    sites = [
        _made(
            SiteResult, {"id": site, "certainty": value, "trace": trace(concluding(f"site:{site}"))}
        )
        for site, value in sorted(derivation.certainty.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    tests, tests_given = [], []
    for test_id, suggests, gives in tables.tests:
        suggested = concluding(suggests)
        if not suggested:
            continue  # not suggested
        # A test whose result the case gives (`test:ID=given`) is not suggested again.
        given = concluding(gives)
        if given:
            tests_given.append(
                _made(TestResult, {"id": test_id, "trace": trace(suggested + given)})
            )
        else:
            tests.append(_made(TestResult, {"id": test_id, "trace": trace(suggested)}))

    def decided(step: Step, candidates: tuple[str, ...]) -> list[TraceStep]:
        """The proof of a fact a resolution rule decided: the steps concluding it, and the
        deciding step itself where it chose between candidates."""
        rivals = [fact for fact in candidates if concluding(fact)]
        steps = concluding(step.concludes)
        # A rule deciding from a graded level (surgery from the prognosis) has no candidate
        # of its own to show: its proof is the level's and its own step.
        if len(rivals) < 2 and steps:
            return trace(steps)
        premises = [s for fact in step.because for s in concluding(fact)]
        return trace([*premises, step])

    # A default's result lists what the first candidate of a treatment (the one a student
    # hopes for) still needed, and what each higher level of a graded conclusion did.
    basis = Confirmation(kb, proofs, facts)
    treatments: list[TreatmentResult] = []
    for treatment_id, name, candidates in tables.treatments:
        step = derivation.decisions[name]
        if step.rule in tables.defaults:
            wanted = candidates[:1]
            treatments.append(_default_result(kb, tables, missing, TreatmentResult, step, wanted))
            continue
        steps = decided(step, candidates)
        status = step.concludes.partition("=")[2]
        shown = basis.of(step.concludes, step)
        treatments.append(
            _made(TreatmentResult, {"id": treatment_id, "status": status, **shown, "trace": steps})
        )

    def graded(kind: str, with_basis: bool = True) -> Graded:
        step = derivation.decisions[kind]
        if step.rule in tables.defaults:
            return _default_result(kb, tables, missing, Graded, step, tables.higher[kind])
        steps = decided(step, tables.higher[kind])
        shown = basis.of(step.concludes, step) if with_basis else {}
        return _made(Graded, {"level": step.concludes.partition(":")[2], **shown, "trace": steps})

    fields = {
        "case_id": case_id,
        "title": title,
        "facts": list(derivation.inputs),
        "understood": understood,
        "sites": sites,
        "tests": tests,
        "tests_given": tests_given,
        "treatments": treatments,
        "urgency": graded("urgency", with_basis=False),
        "extent": graded("extent"),
        "prognosis": graded("prognosis"),
        "knowledge": kb.digest,
    }
    decided_by = tuple(step.rule for step in derivation.decisions.values())  # a set is made of it
    report = _made(Report, fields, {"_facts": facts, "_decided_by": decided_by})
    return report

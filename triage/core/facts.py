"""Typed facts and conditions, and the one `holds()` every part of triage asks.

A fact is `kind:name` or `kind:name=value` (`finding:jaundice`, `receptor:er=positive`,
`lab:calcium=12.1 mg/dL`). A condition of a rule names a fact and, for a site or a lab, a
comparison: `site:bone` holds when the site's certainty reaches the rule's threshold,
`lab:calcium >= 3.0` when the measured value (in the lab's rule unit) does.
`Condition.requirement` turns a condition into one `Requirement`; the engine compiles it into
durable_rules, and `holds()` evaluates the same requirement in Python (the trace's missing
facts, why-not, lint and the benchmark's reference), so they cannot disagree on a comparison.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

# The kinds of fact a case gives, in the order the report lists them.
INPUT_KINDS = (
    "finding",
    "unqualified",
    "absent",
    "lab",
    "receptor",
    "history",
    "progression",
    "confirmed",
)
# Input facts with one value per case (a rule needing two values of one can never fire).
SINGLE_VALUED = ("receptor", "progression")
# The hormone receptors a case gives the status of, with the hormone each binds.
RECEPTORS = {"er": "estrogen", "pr": "progesterone"}
ANY = "any"  # `site:any`: any site at the rule's threshold

Op = Literal[">", ">="]


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact: its kind, its name and, for some kinds, a value."""

    kind: str
    name: str
    value: str | None = None

    @classmethod
    def parse(cls, text: str) -> Fact:
        kind, _, rest = text.partition(":")
        name, sep, value = rest.partition("=")
        return cls(kind, name, value if sep else None)

    @property
    def key(self) -> str:
        """The fact as the engine matches it: `kind:name`, with `=value` unless it is a lab's
        measured value (the value of a lab is compared, not matched)."""
        if self.value is None or self.kind == "lab":
            return f"{self.kind}:{self.name}"
        return f"{self.kind}:{self.name}={self.value}"

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}" + ("" if self.value is None else f"={self.value}")


@dataclass(frozen=True, slots=True)
class Requirement:
    """What a condition asks of a case's facts: a fact by its key (or, for `site:any`, any
    fact of the kind), and for a site or a lab an attribute compared with a limit."""

    key: str
    attribute: Literal["certainty", "value"] | None = None
    op: Op = ">="
    limit: float = 0.0
    name: str = ""  # of the site or lab compared
    any_of_kind: str | None = None  # for `site:any`: the kind whose every fact is tried


CONDITION = re.compile(
    r"^(?P<kind>[a-z_]+):(?P<name>[a-z0-9_]+)"
    r"(?:=(?P<value>[a-z_]+)|\s*(?P<op>>=|>)\s*(?P<number>\d+(?:\.\d+)?)|\s+(?P<above>above_range))?$"
)


@dataclass(frozen=True, slots=True)
class Condition:
    """One fact a rule needs, parsed from strings like `site:liver` or `lab:calcium >= 3.5`."""

    text: str
    kind: str
    name: str
    value: str | None = None
    op: Op | None = None
    number: float | None = None  # compared in the lab's unit
    above_range: bool = False
    key: str = ""  # the engine fact it matches, e.g. `receptor:er=positive`, `lab:calcium`

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", Fact(self.kind, self.name, self.value).key)

    @property
    def fact(self) -> Fact:
        return Fact(self.kind, self.name, self.value)

    @property
    def is_site(self) -> bool:
        return self.kind == "site"

    def as_kind(self, kind: str) -> Condition:
        """The same condition about another kind of fact (`finding:x` -> `absent:x`)."""
        return replace(self, text=f"{kind}:{self.name}", kind=kind, key="")

    def requirement(self, threshold: float, lab_upper_limit: float | None = None) -> Requirement:
        """What this condition asks: a site at `threshold`, a lab above its limit (the
        reference range's upper limit for `above_range`), or the fact itself."""
        if self.is_site:
            any_site = self.kind if self.name == ANY else None
            return Requirement(self.key, "certainty", ">=", threshold, self.name, any_site)
        if self.kind == "lab":
            limit = lab_upper_limit if self.above_range else self.number
            if limit is None:
                raise ValueError(f"{self.text}: the lab's upper limit is needed")
            op = ">" if self.above_range else self.op or ">"
            return Requirement(self.key, "value", op, limit, self.name)
        return Requirement(self.key)


def parse_condition(text: str) -> Condition:
    match = CONDITION.match(text.strip())
    if not match:
        raise ValueError(f"cannot read condition {text!r}")
    kind = match["kind"]
    if kind == "lab" and not (match["op"] or match["above"]):
        raise ValueError(f"lab condition {text!r} needs '> N', '>= N' or 'above_range'")
    return Condition(
        text=text.strip(),
        kind=kind,
        name=match["name"],
        value=match["value"],
        op=match["op"],
        number=float(match["number"]) if match["number"] else None,
        above_range=bool(match["above"]),
    )


@dataclass
class Facts:
    """What is known of one case: fact keys (input and derived), each lab's value in its rule
    unit, each site's combined certainty."""

    known: set[str] = field(default_factory=set)
    labs: dict[str, float] = field(default_factory=dict)
    certainty: dict[str, float] = field(default_factory=dict)

    def values(self, test: Requirement) -> list[float]:
        """The values a test compares: one per matching fact."""
        table = self.certainty if test.attribute == "certainty" else self.labs
        if test.any_of_kind:
            return list(table.values())
        value = table.get(test.name)
        return [] if value is None else [value]


def compare(value: float, op: Op, limit: float) -> bool:
    return value >= limit if op == ">=" else value > limit


def holds(test: Requirement, facts: Facts) -> bool:
    """Whether the case's facts pass the test: the one definition of a condition holding."""
    if test.attribute is None:
        return test.key in facts.known
    if test.any_of_kind:
        return any(compare(value, test.op, test.limit) for value in facts.values(test))
    # One value, the usual test (asked for each requirement a report explains): compared here.
    table = facts.certainty if test.attribute == "certainty" else facts.labs
    value = table.get(test.name)
    return value is not None and compare(value, test.op, test.limit)

"""What a case file expects of its report (its `expect` block), and checking it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from triage.report import Report, TraceStep

Status = Literal["indicated", "contraindicated", "not_indicated"]


class Expectation(BaseModel):
    """Every key is optional; each one given is checked against the report."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sites: list[str] = []  # each must be among the report's sites
    sites_absent: list[str] = []  # none of these may be
    top_site: str | None = None
    min_certainty: dict[str, float] = {}
    max_certainty: dict[str, float] = {}
    tests: list[str] = []
    tests_absent: list[str] = []
    treatments: dict[str, Status] = {}
    urgency: Literal["emergency", "urgent", "routine"] | None = None
    extent: Literal["none", "local", "regional", "distant"] | None = None
    prognosis: Literal["none", "axillary_nodes", "distant_organs"] | None = None
    rules_fired: list[str] = []


class Mismatch(BaseModel):
    """One way a report differs from its case's expectations, in a teacher's words."""

    model_config = ConfigDict(frozen=True, defer_build=True)  # made only for a case's expect

    key: str  # the expect key, e.g. `treatments.hormone_therapy`
    expected: str
    got: str
    because: list[str] = []  # the rules that concluded what was got

    def __str__(self) -> str:
        text = f"{self.key}: expected {self.expected}, got {self.got}"
        if self.because:
            text += f" (from {', '.join(self.because)})"
        return text


def _concluded_by(trace: list[TraceStep], fact: str) -> list[str]:
    return sorted({step.rule for step in trace if step.concludes == fact})


def mismatches(report: Report, expect: Expectation) -> list[Mismatch]:
    """Each way the report differs from what the case expects."""
    found: list[Mismatch] = []
    certainty = {site.id: site.certainty for site in report.sites}
    site_traces = {site.id: site.trace for site in report.sites}
    site_list = ", ".join(f"{k} {v:.2f}" for k, v in certainty.items()) or "no site"

    def site_rules(site: str) -> list[str]:
        return _concluded_by(site_traces.get(site, []), f"site:{site}")

    for site in expect.sites:
        if site not in certainty:
            found.append(Mismatch(key="sites", expected=site, got=site_list))
    for site in expect.sites_absent:
        if site in certainty:
            got = f"{site} {certainty[site]:.2f}"
            found.append(
                Mismatch(
                    key="sites_absent", expected=f"no {site}", got=got, because=site_rules(site)
                )
            )
    if expect.top_site is not None:
        top = report.sites[0].id if report.sites else "no site"
        if top != expect.top_site:
            got = f"{top} ({site_list})"
            found.append(Mismatch(key="top_site", expected=expect.top_site, got=got))
    bounds = (
        ("min_certainty", "at least", expect.min_certainty, lambda value, bound: value >= bound),
        ("max_certainty", "at most", expect.max_certainty, lambda value, bound: value <= bound),
    )
    for key, wording, limits, holds in bounds:
        for site, bound in limits.items():
            value = certainty.get(site, 0.0)
            if not holds(value, bound):
                found.append(
                    Mismatch(
                        key=f"{key}.{site}",
                        expected=f"{wording} {bound:.2f}",
                        got=f"{value:.2f}",
                        because=site_rules(site),
                    )
                )
    tests = {test.id: test.trace for test in report.tests}
    for test in expect.tests:
        if test not in tests:
            got = ", ".join(tests) or "no test"
            found.append(Mismatch(key="tests", expected=test, got=got))
    for test in expect.tests_absent:
        if test in tests:
            found.append(
                Mismatch(
                    key="tests_absent",
                    expected=f"no {test}",
                    got=test,
                    because=_concluded_by(tests[test], f"test:{test}"),
                )
            )
    treatments = {t.id: t for t in report.treatments}
    for treatment_id, status in expect.treatments.items():
        treatment = treatments.get(treatment_id)
        if treatment is None:
            found.append(
                Mismatch(key=f"treatments.{treatment_id}", expected=status, got="no such treatment")
            )
        elif treatment.status != status:
            fact = f"treatment:{treatment_id}={treatment.status}"
            found.append(
                Mismatch(
                    key=f"treatments.{treatment_id}",
                    expected=status,
                    got=treatment.status,
                    because=_concluded_by(treatment.trace, fact),
                )
            )
    for key, graded in report.graded():
        wanted = getattr(expect, key)
        if wanted is not None and wanted != graded.level:
            found.append(
                Mismatch(
                    key=key,
                    expected=wanted,
                    got=graded.level,
                    because=_concluded_by(graded.trace, f"{key}:{graded.level}"),
                )
            )
    fired = report.rules_fired()
    for rule in expect.rules_fired:
        if rule not in fired:
            found.append(Mismatch(key="rules_fired", expected=f"{rule} fires", got="it did not"))
    return found

"""What a case file expects of its report (its `expect` block), and checking it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from triage.report import Report

Status = Literal["indicated", "contraindicated", "not_indicated"]
Certainty = Field(gt=0, le=1)


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
    prognosis: str | None = None
    rules_fired: list[str] = []


def mismatches(report: Report, expect: Expectation) -> list[str]:
    """Each way the report differs from what the case expects, as 'key: expected X, got Y'."""
    found: list[str] = []
    certainty = {site.id: site.certainty for site in report.sites}
    site_list = ", ".join(f"{k} {v:.2f}" for k, v in certainty.items()) or "none"
    for site in expect.sites:
        if site not in certainty:
            found.append(f"sites: expected {site}, got {site_list}")
    for site in expect.sites_absent:
        if site in certainty:
            found.append(f"sites_absent: expected no {site}, got {site} {certainty[site]:.2f}")
    if expect.top_site is not None:
        top = report.sites[0].id if report.sites else "none"
        if top != expect.top_site:
            found.append(f"top_site: expected {expect.top_site}, got {top}")
    for site, low in expect.min_certainty.items():
        if certainty.get(site, 0.0) < low:
            found.append(f"min_certainty: expected {site} >= {low}, got {certainty.get(site, 0)}")
    for site, high in expect.max_certainty.items():
        if certainty.get(site, 0.0) > high:
            found.append(f"max_certainty: expected {site} <= {high}, got {certainty.get(site, 0)}")
    tests = [test.id for test in report.tests]
    for test in expect.tests:
        if test not in tests:
            found.append(f"tests: expected {test}, got {', '.join(tests) or 'none'}")
    for test in expect.tests_absent:
        if test in tests:
            found.append(f"tests_absent: expected no {test}, got it")
    statuses = {t.id: t.status for t in report.treatments}
    for treatment, status in expect.treatments.items():
        if statuses.get(treatment) != status:
            got = statuses.get(treatment, "no such treatment")
            found.append(f"treatments.{treatment}: expected {status}, got {got}")
    for key in ("urgency", "extent", "prognosis"):
        wanted = getattr(expect, key)
        got = getattr(report, key).level
        if wanted is not None and wanted != got:
            found.append(f"{key}: expected {wanted}, got {got}")
    fired = report.rules_fired()
    for rule in expect.rules_fired:
        if rule not in fired:
            found.append(f"rules_fired: expected {rule} to fire, it did not")
    return found

"""Checking the knowledge base as a whole: what loading alone cannot see (`triage rules lint`)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from triage.case import read_case
from triage.core.facts import SINGLE_VALUED
from triage.errors import EngineError, KnowledgeError, TriageError
from triage.evaluation import Evaluator
from triage.knowledge import KnowledgeBase, Rule, cross_check, inspect
from triage.library import run_library
from triage.report import Report


class Problem(BaseModel):
    """One problem in the knowledge base, with where it is and what kind it is."""

    model_config = ConfigDict(frozen=True)

    code: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message} [{self.code}]"


def _from_error(error: KnowledgeError) -> Problem:
    return Problem(
        code=error.code,
        where=error.where or "rules",
        message=error.reason,
    )


def _where(kb: KnowledgeBase, rule: Rule) -> str:
    return f"{kb.rule_files[rule.id]}: rule {rule.id}"


def _impossible_conditions(kb: KnowledgeBase) -> list[Problem]:
    """Rules whose conditions can never hold together."""
    problems = []
    for rule in kb.rules:
        conditions = rule.conditions
        keys = {c.key for c in conditions}
        values: dict[str, set[str]] = defaultdict(set)
        for condition in conditions:
            if condition.kind in SINGLE_VALUED and condition.value is not None:
                values[f"{condition.kind}:{condition.name}"].add(condition.value)
        clashes = [
            f"{name}={'/'.join(sorted(v))}" for name, v in sorted(values.items()) if len(v) > 1
        ]
        clashes += [
            f"{c.key} and {c.as_kind('absent').key}"
            for c in sorted(conditions, key=lambda c: c.key)
            if c.kind == "finding" and c.as_kind("absent").key in keys
        ]
        for clash in clashes:
            problems.append(
                Problem(
                    code="impossible-condition",
                    where=_where(kb, rule),
                    message=f"its conditions can never hold together: {clash}",
                )
            )
    return problems


def _conflict(first: Rule, second: Rule, graded: tuple[str, ...]) -> str | None:
    """Why two rules with the same conditions disagree or repeat each other, if they do."""
    if first.then == second.then:
        if first.cf is not None and second.cf is not None and (first.cf > 0) != (second.cf > 0):
            return f"both conclude {first.then} but one for it and one against it"
        return f"both conclude {first.then}: the same evidence would count twice"
    kind_a, _, rest_a = first.then.partition(":")
    kind_b, _, rest_b = second.then.partition(":")
    if kind_a == kind_b == "treatment":
        name_a, _, status_a = rest_a.partition("=")
        name_b, _, status_b = rest_b.partition("=")
        if name_a == name_b:
            return f"the same facts make {name_a} both {status_a} and {status_b}"
    if kind_a == kind_b and kind_a in graded:
        return f"the same facts give {kind_a} both {rest_a} and {rest_b}"
    return None


def _contradictions(kb: KnowledgeBase) -> list[Problem]:
    """Pairs of rules with the same conditions whose conclusions clash or repeat."""
    by_conditions: dict[frozenset[str], list[Rule]] = defaultdict(list)
    for rule in kb.rules:
        if rule.when:
            key = frozenset(condition.text for condition in rule.conditions)
            by_conditions[key].append(rule)
    problems = []
    for rules in by_conditions.values():
        for index, first in enumerate(rules):
            for second in rules[index + 1 :]:
                why = _conflict(first, second, kb.graded_kinds)
                if why:
                    problems.append(
                        Problem(
                            code="contradiction",
                            where=_where(kb, second),
                            message=f"same conditions as {first.id}: {why}",
                        )
                    )
    return problems


def _quote_context(article_lines: list[str], quote: str) -> str:
    """What a quote is about, as the article places it: the line it is on, the lead-in of the
    list it is an item of, and the heading above (a line with no closing full stop or colon)."""
    words = " ".join(quote.split())
    first = words.split(" • ")[0]  # a lead-in quoted with its item: the lead-in's line
    found = [i for i, line in enumerate(article_lines) if first in line]
    if not found:
        return words.lower()
    # A short quote may recur: the list item that is exactly the quote is the one meant.
    index = min(found, key=lambda i: article_lines[i].strip().removeprefix("•").strip() != first)
    line = article_lines[index]
    before = [text for text in article_lines[:index] if text.strip()]
    context = [line]
    if line.lstrip().startswith("•"):
        context += [next((t for t in reversed(before) if not t.lstrip().startswith("•")), "")]
    headings = (t for t in reversed(before) if not t.strip().endswith((".", ":", "•")))
    context += [next((t for t in headings if not t.lstrip().startswith("•")), "")]
    return " ".join([words, *context]).lower()


def _quotes_off_subject(kb: KnowledgeBase) -> list[Problem]:
    """Rules concluding a site, test or treatment whose quote is not about it: neither the
    quote nor its place in the article (its line, list lead-in and heading) names it."""
    mentions = {f"{kind}:{c.id}": c.mentions for kind, c in kb.catalogue.concepts()}
    lines = kb.article.splitlines()
    problems = []
    for rule in kb.rules:
        subject = rule.then.split("=")[0]
        if subject not in mentions or not rule.quote or rule.is_default:
            continue
        if any(c.key.split(":")[1].split("=")[0] == subject.split(":")[1] for c in rule.conditions):
            continue  # its own condition names the subject (`confirmed:bone` -> `site:bone`)
        context = _quote_context(lines, rule.quote)
        if not any(word in context for word in mentions[subject]):
            problems.append(
                Problem(
                    code="quote-off-subject",
                    where=_where(kb, rule),
                    message=f"it concludes {rule.then}, but its quote does not name it "
                    f"({' / '.join(mentions[subject])})",
                )
            )
    return problems


def _never_fired(kb: KnowledgeBase, library: list[Path]) -> list[Problem]:
    run = run_library(Evaluator(kb), library)
    problems = [Problem(code="case-error", where="cases", message=error) for error in run.errors]
    for rule in kb.rules:
        if rule.id not in run.fired_by:
            problems.append(
                Problem(
                    code="never-fired",
                    where=_where(kb, rule),
                    message=f"no case in the library fires it ({run.cases} cases)",
                )
            )
    return problems


def _answers(report: Report) -> tuple:
    """What a report concludes (not how): sites with certainty, tests, statuses, levels."""
    return (
        [(site.id, site.certainty) for site in report.sites],
        [test.id for test in report.tests],
        [(treatment.id, treatment.status) for treatment in report.treatments],
        [level.level for level in (report.urgency, report.extent, report.prognosis)],
    )


def _without(kb: KnowledgeBase, index: int) -> KnowledgeBase:
    """The knowledge base without its rule at `index` (under a digest of its own)."""
    fields = {name: getattr(kb, name) for name in KnowledgeBase.model_fields}
    rules = kb.rules[:index] + kb.rules[index + 1 :]
    return KnowledgeBase(**{**fields, "rules": rules, "digest": f"{kb.digest}-without-{index}"})


def _without_effect(kb: KnowledgeBase, library: list[Path]) -> list[Problem]:
    """Rules whose removal changes no answer of any library case that fires them (and is
    not refused by loading): decoration, not knowledge."""
    cases = []
    for path in library:
        try:
            cases.append(read_case(path))
        except TriageError:
            continue  # reported by the library run
    evaluator = Evaluator(kb)
    reports = [evaluator.evaluate(case) for case in cases]
    problems = []
    for index, rule in enumerate(kb.rules):
        firing = [(c, r) for c, r in zip(cases, reports, strict=True) if rule.id in r.rules_fired()]
        if not firing:
            continue  # never fired: named as such
        variant = _without(kb, index)
        if cross_check(variant):
            continue  # refused without it: it is needed
        other = Evaluator(variant)
        try:
            same = all(
                _answers(other.evaluate(case)) == _answers(report) for case, report in firing
            )
        except EngineError:
            continue  # the engine cannot decide a case without it: it is needed
        if same:
            problems.append(
                Problem(
                    code="no-effect",
                    where=_where(kb, rule),
                    message=f"removing it changes no answer of the {len(firing)} library"
                    " cases that fire it",
                )
            )
    return problems


def _corrected_words(kb: KnowledgeBase, library: list[Path]) -> list[Problem]:
    """Case files whose words were read only after a spelling correction."""
    from triage.replay import corrections

    evaluator, problems = Evaluator(kb), []
    for path in library:
        try:
            report = evaluator.evaluate(read_case(path))
        except TriageError:
            continue  # reported as a case error
        for correction in corrections(report):
            problems.append(
                Problem(
                    code="corrected-word",
                    where=str(path),
                    message=f"relied on a spelling correction ({correction}): write it exactly",
                )
            )
    return problems


def lint(rules_dir: Path | None, library: list[Path], effects: bool = False) -> list[Problem]:
    """Every problem in the knowledge base: broken references, quotes not in the article,
    duplicate ids, shape errors, contradictory or impossible rules, rules no case in the
    library fires and, with `effects`, rules whose removal changes no case's answer."""
    kb, errors = inspect(rules_dir)
    problems = [_from_error(error) for error in errors]
    problems += _impossible_conditions(kb) + _contradictions(kb) + _quotes_off_subject(kb)
    if not errors:  # rules that name unknown things cannot be compiled and run
        problems += _never_fired(kb, library) + _corrected_words(kb, library)
        if effects:
            problems += _without_effect(kb, library)
    return problems

"""The knowledge base as a reader looks it up: rules (`triage rules`) and words (`triage vocab`).

Everything shown comes from the rule data itself, so the two never disagree.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from triage.errors import TriageError
from triage.knowledge import KnowledgeBase, Rule, parse_condition
from triage.vocabulary import Lexicon, normalise, unknown


class View(BaseModel):
    model_config = ConfigDict(frozen=True)

    def to_json(self) -> str:
        return self.model_dump_json(exclude_none=True)


class RuleView(View):
    """One rule with its place in the knowledge base."""

    id: str
    file: str
    statement: str
    when: list[str]
    then: str
    cf: float | None = None
    grade: str | None = None  # the certainty grade its cf comes from
    quote: str | None = None
    reference: str | None = None
    note: str | None = None
    depends_on: list[str] = []  # rules that conclude one of its conditions
    leads_to: list[str] = []  # rules that use its conclusion
    fired_by: list[str] | None = None  # ids of library cases whose report it is in


def _keys(rule: Rule) -> set[str]:
    return {parse_condition(text).key for text in rule.when}


def _uses(user: Rule, rule: Rule) -> bool:
    """Whether `user` has a condition that `rule`'s conclusion can satisfy."""
    keys = _keys(user)
    then = rule.then
    return then in keys or (then.startswith("site:") and "site:any" in keys)


def rule_view(kb: KnowledgeBase, rule: Rule, fired_by: list[str] | None = None) -> RuleView:
    return RuleView(
        id=rule.id,
        file=kb.rule_files[rule.id],
        statement=rule.statement,
        when=rule.when,
        then=rule.then,
        cf=rule.cf,
        grade=rule.grade,
        quote=rule.quote,
        reference=rule.reference,
        note=rule.note,
        depends_on=[other.id for other in kb.rules if _uses(rule, other)],
        leads_to=[other.id for other in kb.rules if _uses(other, rule)],
        fired_by=fired_by,
    )


def find_rule(kb: KnowledgeBase, rule_id: str) -> Rule:
    """The rule with this id; an unknown id raises with the closest ids."""
    for rule in kb.rules:
        if rule.id == rule_id:
            return rule
    raise unknown("rule", rule_id, [rule.id for rule in kb.rules])


def describe_rule(view: RuleView) -> list[str]:
    """The lines of `triage rules show`."""
    lines = [f"{view.id}  ({view.file})", f"  {view.statement}"]
    when = ", ".join(view.when) if view.when else "(default: when no other rule concludes)"
    lines.append(f"  when:       {when}")
    grade = f", grade {view.grade}" if view.grade else ""
    cf = f"  (cf {view.cf:+.2f}{grade})" if view.cf is not None else ""
    lines.append(f"  concludes:  {view.then}{cf}")
    if view.quote:
        lines.append(f'  article:    "{view.quote}"')
    if view.reference:
        lines.append(f"  reference:  {view.reference}")
    if view.note:
        lines.append(f"  note:       {view.note}")
    lines.append(f"  depends on: {', '.join(view.depends_on) or 'input facts only'}")
    lines.append(f"  leads to:   {', '.join(view.leads_to) or 'nothing further'}")
    if view.fired_by is not None:
        lines.append(f"  fired by:   {', '.join(view.fired_by) or 'no case in the library'}")
    return lines


class FindingView(View):
    """One finding: how it can be said and what it points to."""

    id: str
    name: str
    article: str | None = None
    synonyms: list[str]
    points_to: dict[str, float]  # site -> the cf of the rule that uses it
    also_leads_to: list[str]  # other conclusions of rules that use it directly


def finding_views(kb: KnowledgeBase) -> list[FindingView]:
    views = []
    for finding in kb.findings:
        key = f"finding:{finding.id}"
        users = [rule for rule in kb.rules if key in _keys(rule)]
        sites = {
            rule.then.split(":", 1)[1]: rule.cf
            for rule in users
            if rule.then.startswith("site:") and rule.cf is not None
        }
        others = sorted({rule.then for rule in users if not rule.then.startswith("site:")})
        views.append(
            FindingView(
                id=finding.id,
                name=finding.name,
                article=finding.article,
                synonyms=finding.synonyms,
                points_to=dict(sorted(sites.items())),
                also_leads_to=others,
            )
        )
    return views


def closest_findings(kb: KnowledgeBase, lexicon: Lexicon, word: str) -> list[FindingView]:
    """The finding the word names, or else the closest ones; none close raises."""
    by_id = {view.id: view for view in finding_views(kb)}
    exact = lexicon.findings.lookup(word)
    if exact is not None:
        return [by_id[exact]]
    ids: list[str] = []
    for phrase in lexicon.findings.suggestions(word, limit=5):
        finding = lexicon.findings.phrases[normalise(phrase)]
        if finding not in ids:
            ids.append(finding)
    if not ids:
        raise TriageError(f"no finding is close to {word!r}; `triage vocab` lists them all")
    return [by_id[i] for i in ids]


def describe_finding(view: FindingView) -> list[str]:
    """The lines of `triage vocab` for one finding."""
    lines = [f"{view.id}: {view.name}"]
    if view.article:
        lines.append(f'  article:   "{view.article}"')
    if view.synonyms:
        lines.append(f"  also said: {', '.join(view.synonyms)}")
    sites = ", ".join(f"{site} ({cf:+.2f})" for site, cf in view.points_to.items())
    lines.append(f"  points to: {sites or 'no site directly'}")
    if view.also_leads_to:
        lines.append(f"  leads to:  {', '.join(view.also_leads_to)}")
    return lines

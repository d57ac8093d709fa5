"""What the API answers, as plain functions of the library: a request's data in, the text
of the response out. The HTTP layer (`triage.web.app`) only reads bodies and maps errors."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from triage import DISCLAIMER
from triage.case import Case, parse_case
from triage.core.facts import RECEPTORS
from triage.documents import parse_document, read_document
from triage.errors import TriageError
from triage.evaluation import Evaluator
from triage.library import _cases_in, shipped_library
from triage.report import Report


class NotFound(TriageError):
    """A path or id that is not there: the API answers 404."""


def parse_json_case(text: str) -> Case:
    """A case from a JSON text, with the checks and the messages a .json case file gets."""
    return parse_case(parse_document(text, ".json"))


def parse_json(text: str) -> Any:
    return parse_document(text, ".json")


class Service:
    """The answers of the API; holds only the loaded knowledge base, never a request's data."""

    def __init__(self, evaluator: Evaluator | None = None) -> None:
        self.evaluator = evaluator or Evaluator.load()
        self.library = shipped_library()

    @property
    def kb(self):
        return self.evaluator.kb

    # -- reports and their renderings ------------------------------------------------------

    def report(self, data: Any) -> Report:
        return self.evaluator.evaluate(data if isinstance(data, Case) else parse_case(data))

    def assess(self, case: Case) -> str:
        """Byte for byte what `triage run --format json` prints for the case."""
        return self.report(case).to_json() + "\n"

    def handout(self, case: Case) -> str:
        from triage.handout import render_markdown

        return render_markdown(self.report(case), self.kb)

    def graph(self, case: Case, graph_format: str) -> str:
        from triage import graph

        report = self.report(case)
        if graph_format == "dot":
            return graph.to_dot(report)
        if graph_format == "mermaid":
            return graph.to_mermaid(report)
        if graph_format == "json":
            import json

            nodes, edges = graph.explanation_graph(report)
            return json.dumps(
                {
                    "nodes": [vars(node) for node in nodes],
                    "edges": [vars(edge) for edge in edges],
                }
            )
        raise TriageError(f"unknown graph format {graph_format!r}; use dot, mermaid or json")

    def why_not(self, case: Case, target: str) -> str:
        from triage.whynot import describe, why_not

        answer = why_not(self.kb, self.report(case), target)
        import json

        return json.dumps({**json.loads(answer.to_json()), "lines": describe(answer)})

    # -- reference ---------------------------------------------------------------------------

    @cached_property
    def vocab(self) -> dict[str, Any]:
        """Everything the page offers to pick from, from the knowledge base itself."""
        from triage.reading import NOT_COUNTED
        from triage.reference import finding_views

        catalogue = self.kb.catalogue

        def concepts(items: list[Any]) -> list[dict[str, str]]:
            return [{"id": item.id, "name": item.name} for item in items]

        return {
            "findings": [view.model_dump(exclude_none=True) for view in finding_views(self.kb)],
            "labs": [
                {
                    "id": lab.id,
                    "name": lab.name,
                    "aliases": lab.aliases,
                    "units": list(lab.units),
                    "range": lab.range_text(),
                }
                for lab in self.kb.labs
            ],
            "history": concepts(catalogue.history),
            "sites": concepts(catalogue.sites),
            "tests": concepts(catalogue.tests),
            "treatments": concepts(catalogue.treatments),
            "statements": {rule.id: rule.statement for rule in self.kb.rules},
            "site_threshold": catalogue.settings.site_threshold,
            # How a piece naming a finding that is not counted was read, in words, by `how`.
            "not_counted": NOT_COUNTED,
            # The page sends a sentence as `narrative` once the case model has that key.
            "case_keys": list(Case.model_fields),
            "disclaimer": DISCLAIMER,
        }

    def word(self, word: str) -> dict[str, Any]:
        """The finding a word names (or null), and the closest findings to pick from."""
        from triage.reference import closest_findings

        try:
            views = closest_findings(self.kb, self.evaluator.lexicon, word)
        except TriageError:
            views = []
        return {
            "word": word,
            "finding": self.evaluator.lexicon.findings.lookup(word),
            "closest": [view.model_dump(exclude_none=True) for view in views],
        }

    def rule(self, rule_id: str) -> str:
        from triage.reference import find_rule, rule_view

        try:
            rule = find_rule(self.kb, rule_id)
        except TriageError as exc:
            raise NotFound(str(exc)) from None
        return rule_view(self.kb, rule).to_json()

    def article(self) -> str:
        return self.kb.article

    # -- the case library ------------------------------------------------------------------

    @cached_property
    def case_paths(self) -> dict[str, Path]:
        """Each shipped case file by its path relative to the library, e.g. bone/x.yaml."""
        return {path.relative_to(self.library).as_posix(): path for path in _cases_in(self.library)}

    @cached_property
    def cases(self) -> list[dict[str, Any]]:
        listed = []
        for name, path in self.case_paths.items():
            case = parse_case(read_document(path))
            listed.append({"path": name, "id": case.id, "title": case.title, "tags": case.tags})
        return listed

    def library_case(self, name: str) -> dict[str, Any]:
        """A shipped case's keys, as its file gives them; any other path is not found."""
        path = self.case_paths.get(name)
        if path is None:
            raise NotFound(f"no case {name!r} in the library; GET /api/cases lists them")
        return read_document(path)

    # -- the interview, one stateless call at a time ---------------------------------------

    def interview(self, data: Any) -> dict[str, Any]:
        """The next question for the case so far (with why, and the case after each answer),
        or none when no answer would change the outcome; the report either way."""
        from triage.interview import MAX_QUESTIONS, Session, explain_question

        if not isinstance(data, dict) or not isinstance(data.get("case"), dict):
            raise TriageError('expected {"case": {...}, "unknown": [question keys], "asked": N}')
        extra = sorted(set(data) - {"case", "unknown", "asked"})
        if extra:
            raise TriageError(f"unknown key {extra[0]!r}")
        unknown = data.get("unknown", [])
        if not isinstance(unknown, list) or not all(isinstance(k, str) for k in unknown):
            raise TriageError("key 'unknown': must be a list of question keys")
        asked = data.get("asked", 0)
        if type(asked) is not int or asked < 0:
            raise TriageError("key 'asked': must be how many questions were answered, 0 or more")
        case_data = data["case"]
        case = parse_case(case_data)
        report = self.report(case)
        session = Session(self.evaluator, case.id)
        session.entries = [*_entries(case, report), *(("unknown", key) for key in unknown)]
        answer: dict[str, Any] = {"report": report.model_dump(exclude_none=True)}
        if asked >= MAX_QUESTIONS:  # as the terminal's interview: at most MAX_QUESTIONS
            answer["question"] = None
            answer["note"] = f"That was the last of {MAX_QUESTIONS} questions."
            return answer
        found = session.next_question()
        if found is None:
            answer["question"] = None
            return answer
        question, yes, no = found
        answer["question"] = {
            "key": question.key,
            "text": question.text,
            "why": explain_question(session, question, yes, no),
            "yes": _with_entries(case_data, question.if_yes),
            "no": _with_entries(case_data, question.if_no),
        }
        return answer


def _entries(case: Case, report: Report) -> list[tuple[str, ...]]:
    """The interview's entries for what a case already says. Free text (`narrative`) is
    entered as the findings the report says it was read as."""
    entries: list[tuple[str, ...]]
    if getattr(case, "narrative", None):
        read = getattr(report, "understood", None) or []
        entries = [("finding" if u.present else "absent", u.finding) for u in read if u.finding]
    else:
        entries = [("finding", word) for word in case.findings]
        entries += [("absent", word) for word in case.absent]
    entries += [("lab", name, str(value)) for name, value in case.labs.items()]
    entries += [
        ("receptor", name, value)
        for name in RECEPTORS
        if (value := getattr(case.receptors, name)) != "unknown"
    ]
    entries += [("history", flag) for flag in case.history]
    if case.progression != "unknown":
        entries.append(("progression", case.progression))
    return entries


def _with_entries(data: dict[str, Any], entries: tuple[tuple[str, ...], ...]) -> dict[str, Any]:
    """The case's keys with an answer's entries added, as the page sends them back."""
    case = {key: value for key, value in data.items()}
    for entry in entries:
        kind = entry[0]
        if kind in ("finding", "absent", "history"):
            key = {"finding": "findings"}.get(kind, kind)
            case[key] = [*case.get(key, []), entry[1]]
        elif kind == "receptor":
            case["receptors"] = {**case.get("receptors", {}), entry[1]: entry[2]}
        elif kind == "progression":
            case["progression"] = entry[1]
    return case

"""Evaluating cases: a case in, a report out, through the compiled knowledge base."""

from __future__ import annotations

import gc
from pathlib import Path

from triage.case import Case, case_facts
from triage.engine import Engine
from triage.knowledge import KnowledgeBase, load
from triage.report import Report, build_report
from triage.vocabulary import Lexicon


class Evaluator:
    """A knowledge base with its vocabulary and compiled rulesets, ready to answer cases."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.lexicon = Lexicon(kb)
        self.engine = Engine.for_knowledge(kb)
        # Reports the interview weighs its questions with, by case (bounded there): an answer
        # asked again, in this session or another, is not evaluated again. Reports are not
        # changed once built.
        self.interview_reports: dict[str, Report] = {}

    @classmethod
    def load(cls, rules_dir: Path | None = None) -> Evaluator:
        # Loading makes a few hundred thousand objects that live as long as the process: the
        # garbage collector would walk them again and again (a fifth of the load, and of a
        # cold start). It is off while they are made, and they are then frozen out of its way.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return cls(load(rules_dir))
        finally:
            if collecting:
                gc.freeze()
                gc.enable()

    def evaluate(self, case: Case) -> Report:
        """The report of one case; bad content in the case raises TriageError."""
        facts = case_facts(case, self.kb, self.lexicon)
        derivation = self.engine.derive(list(facts.engine_facts))
        # A lab's fact is `lab:ID`, its value apart: its name is what follows the colon.
        labs = {f["fact"].partition(":")[2]: f["value"] for f in facts.engine_facts if "value" in f}
        understood = list(facts.understood) or None
        return build_report(self.kb, case.id, case.title, derivation, labs, understood)

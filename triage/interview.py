"""An interview (`triage interview`): the student enters what they know, then the tool asks,
one question at a time, about what would most change the outcome; WHY and HOW at any prompt.

The conversation runs through two callbacks, `ask` and `say`, so the command line owns the
terminal and tests can drive the same loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from triage import DISCLAIMER
from triage.case import parse_case
from triage.errors import TriageError
from triage.evaluation import Evaluator
from triage.render import concept_names, explain_conclusion, render_text
from triage.report import Report
from triage.whynot import describe as describe_why_not
from triage.whynot import why_not

TITLE = "A triage interview"
YES = {"y", "yes", "yeah", "yep", "true"}
NO = {"n", "no", "nope", "false"}
UNKNOWN = {"u", "unknown", "?", "dont know", "don't know", "not sure", "skip"}
RECEPTOR_WORDS = {"er": "er", "estrogen": "er", "oestrogen": "er", "pr": "pr", "progesterone": "pr"}

HELP = """Commands, at any prompt:
  why              why the current question is asked
  how ID           how a site, test or treatment was concluded (e.g. how bone)
  why-not ID       why a site, test or treatment is not concluded (e.g. why-not chemotherapy)
  show             the report so far
  back             undo the last answer
  done             finish (and save the session as a case file)
  help             this list
While entering findings: words as a patient says them ("back pain", "yellow eyes"),
  "no WORDS" for a finding that is absent, "calcium=12.1 mg/dL" for a lab value,
  "er positive" / "pr negative", "history FLAG", "progression rapid"."""


@dataclass(frozen=True)
class Question:
    """A yes / no / unknown question, and the case entries each answer adds."""

    key: str  # what it asks about, e.g. `finding:convulsions`, `receptor:er`
    text: str
    if_yes: tuple[tuple[str, ...], ...]
    if_no: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Effect:
    """How much one answer would change the outcome."""

    top_site: str | None
    before: float
    after: float
    changes: tuple[str, ...]  # tests, treatment statuses and urgency that would change

    @property
    def score(self) -> tuple[float, int]:
        return (round(abs(self.after - self.before), 2), len(self.changes))


@dataclass
class Session:
    """What has been entered and answered so far, as a list of entries that can be undone."""

    evaluator: Evaluator
    case_id: str = "interview"
    entries: list[tuple[str, ...]] = field(default_factory=list)

    # -- the case -------------------------------------------------------------------------

    def case_data(self, entries: list[tuple[str, ...]] | None = None) -> dict[str, Any]:
        """The session as a case file of the contract."""
        data: dict[str, Any] = {"id": self.case_id, "title": TITLE}
        findings: list[str] = []
        absent: list[str] = []
        labs: dict[str, str] = {}
        receptors: dict[str, str] = {}
        history: list[str] = []
        for entry in self.entries if entries is None else entries:
            kind = entry[0]
            if kind == "finding":
                findings.append(entry[1])
            elif kind == "absent":
                absent.append(entry[1])
            elif kind == "lab":
                labs[entry[1]] = entry[2]
            elif kind == "receptor":
                receptors[entry[1]] = entry[2]
            elif kind == "history":
                history.append(entry[1])
            elif kind == "progression":
                data["progression"] = entry[1]
        for key, value in (("findings", findings), ("absent", absent), ("labs", labs)):
            if value:
                data[key] = value
        if receptors:
            data["receptors"] = receptors
        if history:
            data["history"] = history
        return data

    def report(self, entries: list[tuple[str, ...]] | None = None) -> Report:
        return self.evaluator.evaluate(parse_case(self.case_data(entries)))

    def add(self, entry: tuple[str, ...]) -> None:
        """Add an entry; one that makes the case invalid raises and is not kept."""
        self.report([*self.entries, entry])  # raises TriageError with the reason
        self.entries.append(entry)

    def back(self) -> tuple[str, ...] | None:
        if not self.entries:
            return None
        return self.entries.pop()

    # -- understanding what is typed --------------------------------------------------------

    def entry_for(self, text: str) -> tuple[str, ...]:
        """The entry a line typed while entering findings stands for."""
        lexicon = self.evaluator.lexicon
        words = text.split()
        lowered = text.lower().strip()
        if "=" in text:
            name, _, value = text.partition("=")
            return ("lab", name.strip(), value.strip())
        if len(words) >= 2 and lexicon.labs.lookup(words[0]) and words[1][:1].isdigit():
            return ("lab", words[0], " ".join(words[1:]))
        if len(words) == 2 and words[0].lower() in RECEPTOR_WORDS:
            return ("receptor", RECEPTOR_WORDS[words[0].lower()], words[1].lower())
        if words and words[0].lower() == "history" and len(words) == 2:
            return ("history", words[1])
        if words and words[0].lower() == "progression" and len(words) == 2:
            return ("progression", words[1].lower())
        if lexicon.findings.lookup(text) is None:
            for prefix in ("no ", "not ", "absent ", "without "):
                if lowered.startswith(prefix) and lexicon.findings.lookup(text[len(prefix) :]):
                    return ("absent", text[len(prefix) :].strip())
        lexicon.findings.resolve(text)  # raises with close matches for an unknown word
        return ("finding", text.strip())

    # -- choosing the next question -------------------------------------------------------

    def _asked(self) -> set[str]:
        asked: set[str] = set()
        lexicon = self.evaluator.lexicon
        for entry in self.entries:
            kind = entry[0]
            if kind in ("finding", "absent"):
                asked.add(f"finding:{lexicon.findings.resolve(entry[1])}")
            elif kind == "unknown":
                asked.add(entry[1])
            elif kind == "receptor":
                asked.add(f"receptor:{entry[1]}")
            elif kind == "history":
                asked.add(f"history:{lexicon.history.resolve(entry[1])}")
            elif kind == "progression":
                asked.add("progression")
        return asked

    def candidates(self) -> list[Question]:
        """Every question not yet answered, in the knowledge base's order."""
        kb = self.evaluator.kb
        asked = self._asked()
        questions = [
            Question(
                f"finding:{f.id}",
                f"Is this present: {f.name}?",
                (("finding", f.name),),
                (("absent", f.name),),
            )
            for f in kb.findings
        ]
        for receptor, name in (("er", "estrogen"), ("pr", "progesterone")):
            questions.append(
                Question(
                    f"receptor:{receptor}",
                    f"Is the tumour {name}-receptor ({receptor.upper()}) positive?",
                    (("receptor", receptor, "positive"),),
                    (("receptor", receptor, "negative"),),
                )
            )
        for flag in kb.catalogue.history:
            questions.append(
                Question(f"history:{flag.id}", f"{flag.name}?", (("history", flag.id),), ())
            )
        questions.append(
            Question(
                "progression",
                "Is the disease progressing rapidly?",
                (("progression", "rapid"),),
                (("progression", "slow"),),
            )
        )
        return [q for q in questions if q.key not in asked]

    def effect(self, now: Report, entries: tuple[tuple[str, ...], ...]) -> Effect:
        """How the outcome would change with these entries added."""
        after = self.report([*self.entries, *entries]) if entries else now
        before_sites = {s.id: s.certainty for s in now.sites}
        after_sites = {s.id: s.certainty for s in after.sites}
        if now.sites:
            top = now.sites[0].id
        else:
            changed = sorted(after_sites, key=lambda s: (-after_sites[s], s))
            top = changed[0] if changed else None
        changes = [
            f"+ test {t}" for t in sorted({t.id for t in after.tests} - {t.id for t in now.tests})
        ]
        changes += [
            f"- test {t}" for t in sorted({t.id for t in now.tests} - {t.id for t in after.tests})
        ]
        statuses = {t.id: t.status for t in now.treatments}
        changes += [
            f"{t.id}: {statuses[t.id].replace('_', ' ')} -> {t.status.replace('_', ' ')}"
            for t in after.treatments
            if statuses[t.id] != t.status
        ]
        if after.urgency.level != now.urgency.level:
            changes.append(f"urgency: {now.urgency.level} -> {after.urgency.level}")
        return Effect(
            top_site=top,
            before=before_sites.get(top, 0.0) if top else 0.0,
            after=after_sites.get(top, 0.0) if top else 0.0,
            changes=tuple(changes),
        )

    def next_question(self) -> tuple[Question, Effect, Effect] | None:
        """The question whose answer would most change the outcome, or None when no answer
        to any question would change it."""
        now = self.report()
        best: tuple[tuple[float, int], Question, Effect, Effect] | None = None
        for question in self.candidates():
            yes = self.effect(now, question.if_yes)
            no = self.effect(now, question.if_no)
            score = max(yes.score, no.score)
            if score > (0.0, 0) and (best is None or score > best[0]):
                best = (score, question, yes, no)
        return None if best is None else (best[1], best[2], best[3])


def describe_effect(answer: str, effect: Effect) -> str:
    parts = []
    if effect.top_site and effect.after != effect.before:
        parts.append(f"{effect.top_site} {effect.before:.2f} -> {effect.after:.2f}")
    parts += list(effect.changes)
    return f"  if {answer}: " + ("; ".join(parts) if parts else "nothing would change")


def explain_question(session: Session, question: Question, yes: Effect, no: Effect) -> list[str]:
    """WHY: what the answer would change, and the rules that would use it."""
    kb = session.evaluator.kb
    lines = ["I ask because the answer would change the outcome most of all open questions:"]
    lines.append(describe_effect("yes", yes))
    lines.append(describe_effect("no", no))
    users = [rule for rule in kb.rules if question.key in {c.key for c in rule.conditions}]
    for rule in users:
        lines.append(f"  rule {rule.id}: {rule.statement}")
        if rule.quote:
            lines.append(f'    article: "{rule.quote}"')
    return lines


class Interview:
    """The conversation: entering findings, then questions, with commands at every prompt."""

    def __init__(
        self, session: Session, ask: Callable[[str], str | None], say: Callable[[str], None]
    ) -> None:
        self.session = session
        self.ask = ask
        self.say = say
        self.current: tuple[Question, Effect, Effect] | None = None
        self.entered = 0  # entries made before the questions began

    def _target_fact(self, target: str) -> str | None:
        names = concept_names(self.session.evaluator.kb)
        report = self.session.report()
        for treatment in report.treatments:
            if treatment.id == target:
                return f"treatment:{target}={treatment.status}"
        for fact in names:
            if fact.split(":", 1)[1] == target:
                return fact
        return None

    def command(self, line: str) -> bool | None:
        """Run a command typed at any prompt: True to finish, False if handled, None if the
        line is not a command."""
        word, _, rest = line.strip().partition(" ")
        word = word.lower()
        rest = rest.strip()
        if word == "done":
            return True
        if word == "help":
            self.say(HELP)
        elif word == "show":
            self.say(render_text(self.session.report(), self.session.evaluator.kb).rstrip())
        elif word == "back":
            undone = self.session.back()
            self.say(f"undone: {' '.join(undone)}" if undone else "nothing to undo")
        elif word == "why":
            if self.current is None:
                self.say("No question is open yet: enter findings, or press enter for questions.")
            else:
                self.say("\n".join(explain_question(self.session, *self.current)))
        elif word == "how":
            fact = self._target_fact(rest) if rest else None
            lines = (
                explain_conclusion(self.session.report(), fact, self.session.evaluator.kb, 80)
                if fact
                else []
            )
            if not rest:
                self.say("how what? e.g. how bone, how bone_scan, how hormone_therapy")
            elif not lines:
                self.say(f"{rest} is not concluded; try: why-not {rest}")
            else:
                self.say("\n".join(lines))
        elif word in ("why-not", "whynot", "why_not"):
            try:
                answer = why_not(self.session.evaluator.kb, self.session.report(), rest)
                self.say("\n".join(describe_why_not(answer)))
            except TriageError as exc:
                self.say(f"error: {exc}")
        else:
            return None
        return False

    def enter_findings(self) -> bool:
        """Phase one: what the student already knows. True when the student is done."""
        self.say("Enter what you already know, one per line; an empty line goes on to questions.")
        self.say('("help" lists what you can type.)')
        while True:
            line = self.ask("finding> ")
            if line is None:
                return True
            if not line.strip():
                return False
            handled = self.command(line)
            if handled is True:
                return True
            if handled is False:
                continue
            try:
                entry = self.session.entry_for(line)
                self.session.add(entry)
            except TriageError as exc:
                self.say(f"error: {exc}")
                continue
            self.say(f"  noted: {' '.join(entry)}")

    def _answer(self, prompt: str) -> str | None:
        """yes, no, unknown or back; None when the student is done."""
        while True:
            line = self.ask(prompt)
            if line is None:
                return None
            word = line.strip().lower()
            for answer, words in (("yes", YES), ("no", NO), ("unknown", UNKNOWN)):
                if word in words:
                    return answer
            handled = self.command(line)
            if handled is True:
                return None
            if handled is None:
                self.say("Please answer yes, no or unknown (or type help).")
            elif word == "back":
                return "back"

    def ask_questions(self) -> None:
        """Phase two: one question at a time until none would change the outcome."""
        while True:
            self.current = self.session.next_question()
            if self.current is None:
                self.say("No further question would change the outcome.")
                return
            question = self.current[0]
            number = max(1, len(self.session.entries) - self.entered + 1)
            answer = self._answer(f"Q{number}. {question.text} [yes/no/unknown] ")
            if answer is None:
                return
            if answer == "back":
                continue  # the command undid the last entry; the question is chosen again
            entries = {"yes": question.if_yes, "no": question.if_no}.get(answer, ())
            for entry in entries or (("unknown", question.key),):
                self.session.add(entry)

    def run(self) -> Report:
        self.say(DISCLAIMER)
        if not self.enter_findings():
            self.entered = len(self.session.entries)
            self.ask_questions()
        return self.session.report()


def save_case(session: Session, path: Path) -> None:
    """Write the session as a case file that `triage run` answers with the same report."""
    if path.exists():
        raise TriageError(f"{path} already exists; choose another name")
    try:
        path.write_text(yaml.safe_dump(session.case_data(), sort_keys=False, allow_unicode=True))
    except OSError as exc:
        raise TriageError(f"{path}: {exc.strerror}") from None

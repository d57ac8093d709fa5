"""An interview (`triage interview`): the student enters what they know, then the tool asks,
one question at a time, what a clinician would ask next: the symptoms of the site it suspects,
then what decides a treatment (receptor status, history), then the results of tests. It asks
only what could change a decision, never what the entered facts already decide, and at most
12 questions; WHY, HOW and WHY-NOT at any prompt.

The conversation runs through two callbacks, `ask` and `say`, so the command line owns the
terminal and tests can drive the same loop.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from triage import DISCLAIMER
from triage.case import parse_case, read_text
from triage.core.facts import RECEPTORS, Fact
from triage.errors import TriageError
from triage.evaluation import Evaluator
from triage.reading.reader import NOT_COUNTED, Reading
from triage.render import Names, explain_conclusion, fit, render_text, resolve_target
from triage.report import Report
from triage.whynot import describe as describe_why_not
from triage.whynot import why_not

TITLE = "A triage interview"
MAX_QUESTIONS = 12
REPORTS_KEPT = 2048  # the cases evaluated while choosing questions, kept for the next choice
YES = {"y", "yes", "yeah", "yep", "true"}
NO = {"n", "no", "nope", "false"}
UNKNOWN = {"u", "unknown", "?", "dont know", "don't know", "not sure", "skip", ""}
FINISH = {"done", "quit", "exit", "q"}
# A receptor by its abbreviation or its hormone's name (and the British spelling of estrogen).
RECEPTOR_WORDS = {word: r for r, hormone in RECEPTORS.items() for word in (r, hormone)} | {
    "oestrogen": "er"
}
# What a clinician asks first: what a complaint entered bare still leaves open (is the
# headache persistent and getting worse?), the symptoms of the suspected site, then what
# decides a treatment, then other sites' symptoms, then the results of tests.
CLARIFY, SUSPECTED_SYMPTOM, DECISION, OTHER_SYMPTOM, TEST_RESULT = range(5)

HELP = """Commands, at any prompt:
  why              why the current question is asked
  how NAME         how a site, test or treatment was concluded (e.g. how lymph nodes)
  why-not NAME     why a site, test or treatment is not concluded (e.g. why-not chemotherapy)
  show             the report so far
  back             undo the last answer
  done (or quit, exit)  finish (and save the session as a case file)
  help             this list
While entering findings: words as a patient says them ("back pain", "yellow eyes"),
  "no WORDS" for a finding that is absent, "calcium=12.1 mg/dL" for a lab value,
  "er positive" / "pr negative", "history FLAG", "progression rapid".
Answers to a question: yes, no or unknown (an empty line is unknown)."""


@dataclass(frozen=True)
class Question:
    """A yes / no / unknown question, and the case entries each answer adds."""

    key: str  # what it asks about, e.g. `finding:convulsions`, `receptor:er`
    text: str
    kind: int  # CLARIFY, SUSPECTED_SYMPTOM (for a finding, decided later), DECISION or TEST_RESULT
    if_yes: tuple[tuple[str, ...], ...]
    if_no: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Effect:
    """What one answer would change: the top site's certainty, and the decisions."""

    top_site: str | None
    before: float
    after: float
    changes: tuple[str, ...]  # sites crossing the threshold, tests, treatments, levels


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
        data = self.case_data(entries)
        key = json.dumps(data, sort_keys=True)
        reports = self.evaluator.interview_reports  # shared by every session of this process:
        report = reports.get(key)  # the same case asked again answers at once (a class, a web
        if report is None:  # server); "unknown" answers leave the case as it was
            if len(reports) >= REPORTS_KEPT:
                reports.clear()
            report = reports[key] = self.evaluator.evaluate(parse_case(data))
        return report

    def add(self, entry: tuple[str, ...]) -> None:
        """Add an entry; one that makes the case invalid raises and is not kept."""
        self.report([*self.entries, entry])  # raises TriageError with the reason
        self.entries.append(entry)

    def back(self) -> tuple[str, ...] | None:
        if not self.entries:
            return None
        return self.entries.pop()

    # -- understanding what is typed --------------------------------------------------------

    def described(self, entry: tuple[str, ...]) -> str:
        """An entry as the student is told it was noted: a line of words with what each of
        its pieces was read as, and the article's qualifiers it did not say ("Severe and
        increasing bone pain (not said: severe); no chest pain")."""
        from triage.render import denied, lower_first

        if entry[0] == "absent":
            return denied(entry[1])
        if entry[0] != "finding":
            return " ".join(entry)
        reader = self.evaluator.lexicon.reader

        def noted(r: Reading) -> str:
            if r.finding is None:  # past, a possibility, someone else's: shown, not counted
                name = lower_first(reader.name(r.past_finding))
                return f"not counted: {name} ({NOT_COUNTED[r.how]})"
            name = reader.name(r.finding)
            if not r.present:
                return denied(name)
            return f"{name} (not said: {', '.join(r.not_said)})" if r.not_said else name

        read = [
            noted(r)
            for r in read_text(self.evaluator.lexicon, entry[1], "")
            if r.finding or (r.past_finding and r.how in NOT_COUNTED)
        ]
        return "; ".join(dict.fromkeys(read)) if read else " ".join(entry)

    def entry_for(self, text: str) -> tuple[str, ...]:
        """The entry a line typed while entering findings stands for."""
        lexicon = self.evaluator.lexicon
        words = text.split()
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
        # Words, a sentence or a denial: read as a case file's are (the same reader), so that
        # a typo, an ambiguous word or nothing read is the usual error and the line is kept out.
        readings = [r for r in read_text(lexicon, text, "") if r.finding]
        if len(readings) == 1 and not readings[0].present:  # "no headache", "denies fits"
            return ("absent", lexicon.reader.name(readings[0].finding))
        return ("finding", text.strip())

    # -- choosing the next question -------------------------------------------------------

    def _asked(self) -> set[str]:
        asked: set[str] = set()
        lexicon = self.evaluator.lexicon
        for entry in self.entries:
            kind = entry[0]
            if kind in ("finding", "absent"):
                read = lexicon.reader.read(entry[1])
                asked |= {f"finding:{r.finding or r.past_finding}" for r in read if r.finding}
            elif kind == "unknown":
                asked.add(entry[1])
            elif kind == "receptor":
                asked.add(f"receptor:{entry[1]}")
            elif kind == "history":
                asked.add(f"history:{lexicon.history.resolve(entry[1])}")
            elif kind == "progression":
                asked.add("progression")
        return asked

    def decided(self, now: Report) -> set[str]:
        """The findings the entered facts already decide: derived from an entered lab value
        (calcium 11.2 mg/dL decides hypercalcemia, present or not)."""
        decided = {
            step.concludes
            for trace in now.traces()
            for step in trace
            if step.concludes.startswith("finding:")
        }
        labs = {fact.split("=", 1)[0] for fact in now.facts if fact.startswith("lab:")}
        for rule in self.evaluator.kb.rules:
            if rule.then.startswith("finding:") and {c.key for c in rule.conditions} & labs:
                decided.add(rule.then)
        return decided

    def questions(self) -> list[Question]:
        """Every question the interview may ask, in the knowledge base's order."""
        kb = self.evaluator.kb
        wording = kb.questions
        questions = []
        for finding in kb.findings:
            asked = wording.findings.get(finding.id) if wording else None
            text = asked.ask if asked else f"Is this present: {finding.name}?"
            kind = TEST_RESULT if asked and asked.kind == "test" else SUSPECTED_SYMPTOM
            questions.append(
                Question(
                    f"finding:{finding.id}",
                    text,
                    kind,
                    (("finding", finding.name),),  # the name says the article's qualifiers
                    (("absent", finding.name),),
                )
            )
        for receptor, name in RECEPTORS.items():
            default = f"Is the tumour {name}-receptor ({receptor.upper()}) positive?"
            questions.append(
                Question(
                    f"receptor:{receptor}",
                    wording.receptors.get(receptor, default) if wording else default,  # type: ignore[call-overload]
                    DECISION,
                    (("receptor", receptor, "positive"),),
                    (("receptor", receptor, "negative"),),
                )
            )
        for flag in kb.catalogue.history:
            text = wording.history.get(flag.id) if wording else None
            questions.append(
                Question(
                    f"history:{flag.id}",
                    text or f"{flag.name}?",
                    DECISION,
                    (("history", flag.id),),
                    (),
                )
            )
        questions.append(
            Question(
                "progression",
                wording.progression if wording else "Is the disease progressing rapidly?",
                DECISION,
                (("progression", "rapid"),),
                (("progression", "slow"),),
            )
        )
        return questions

    def candidates(self, now: Report | None = None) -> list[Question]:
        """Every question not yet answered nor decided by the entered facts, and for a bare
        complaint ("headache"), whether the article's qualifier holds ("persistent and
        getting worse?")."""
        now = now or self.report()
        asked = self._asked() | self.decided(now)
        questions = [q for q in self.questions() if q.key not in asked]
        kb, wording = self.evaluator.kb, self.evaluator.kb.questions
        names = {f.id: f.name for f in kb.findings}
        for fact in now.facts:
            kind, _, finding = fact.partition(":")
            if kind != "unqualified" or fact in asked:
                continue
            worded = wording.findings.get(finding) if wording else None
            text = worded.ask if worded else f"Is this present: {names[finding]}?"
            questions.append(Question(fact, text, CLARIFY, (("finding", names[finding]),), ()))
        return questions

    def effect(self, now: Report, entries: tuple[tuple[str, ...], ...]) -> Effect:
        """How the outcome would change with these entries added."""
        after = self.report([*self.entries, *entries]) if entries else now
        return compare(self.evaluator, now, after)

    def _sites_of(self) -> dict[str, list[str]]:
        """finding id -> the sites it points to."""
        sites: dict[str, list[str]] = {}
        for rule in self.evaluator.kb.rules:
            if rule.then.startswith("site:") and rule.cf and rule.cf > 0:
                for condition in rule.conditions:
                    if condition.kind == "finding":
                        sites.setdefault(condition.name, []).append(Fact.parse(rule.then).name)
        return sites

    def next_question(self, now: Report | None = None) -> tuple[Question, Effect, Effect] | None:
        """What a clinician would ask next among the questions an answer to which could
        change a decision: the suspected sites' symptoms (the likeliest site's first), then
        receptor status and history, then other symptoms, then test results. None when no
        answer to any question could change a decision."""
        now = now or self.report()
        suspected = [site.id for site in now.sites]
        sites_of = self._sites_of()
        best: tuple[tuple[int, int, float, int], Question, Effect, Effect] | None = None
        for order, question in enumerate(self.candidates(now)):
            yes = self.effect(now, question.if_yes)
            no = self.effect(now, question.if_no)
            if not (yes.changes or no.changes):
                continue
            kind, site_rank = question.kind, 0
            if kind == SUSPECTED_SYMPTOM:
                pointed = sites_of.get(Fact.parse(question.key).name, [])
                ranks = [suspected.index(s) for s in pointed if s in suspected]
                if ranks:
                    site_rank = min(ranks)
                else:
                    kind = OTHER_SYMPTOM
            moved = max(abs(yes.after - yes.before), abs(no.after - no.before))
            changes = max(len(yes.changes), len(no.changes))
            weight = 0.0 if kind == DECISION else -round(moved, 2) - changes / 100
            score = (kind, site_rank, weight, order)  # decisions: receptors, history, pace
            if best is None or score < best[0]:
                best = (score, question, yes, no)
        if best is None:
            return None
        if best[1].kind == TEST_RESULT:  # receptor status is known before tests' results
            receptors = [q for q in self.candidates(now) if q.key.startswith("receptor:")]
            if receptors:
                question = receptors[0]
                return question, self.effect(now, question.if_yes), self.effect(now, question.if_no)
        return best[1], best[2], best[3]


def compare(evaluator: Evaluator, now: Report, after: Report) -> Effect:
    """The difference between two reports: the top site's certainty and the decisions."""
    threshold = evaluator.kb.settings.site_threshold
    before_sites = {s.id: s.certainty for s in now.sites}
    after_sites = {s.id: s.certainty for s in after.sites}
    if now.sites:
        top = now.sites[0].id
    else:
        ranked = sorted(after_sites, key=lambda s: (-after_sites[s], s))
        top = ranked[0] if ranked else None
    names = Names(evaluator.kb)
    changes: list[str] = []
    likely_before = {s for s, c in before_sites.items() if c >= threshold}
    likely_after = {s for s, c in after_sites.items() if c >= threshold}
    for site in sorted(likely_after - likely_before):
        changes.append(f"{names.fact(f'site:{site}')} reaches {threshold:.2f}")
    for site in sorted(likely_before - likely_after):
        changes.append(f"{names.fact(f'site:{site}')} falls below {threshold:.2f}")
    tests_before = {t.id for t in now.tests}
    tests_after = {t.id for t in after.tests}
    changes += [f"+ {names.fact(f'test:{t}')}" for t in sorted(tests_after - tests_before)]
    changes += [f"- {names.fact(f'test:{t}')}" for t in sorted(tests_before - tests_after)]
    statuses = {t.id: t.status for t in now.treatments}
    changes += [
        f"{names.fact(f'treatment:{t.id}')}: {statuses[t.id].replace('_', ' ')} -> "
        f"{t.status.replace('_', ' ')}"
        for t in after.treatments
        if statuses[t.id] != t.status
    ]
    for (kind, was), (_, becomes) in zip(now.graded(), after.graded(), strict=True):
        was, becomes = was.level, becomes.level
        if was != becomes:
            changes.append(f"{kind}: {was.replace('_', ' ')} -> {becomes.replace('_', ' ')}")
    return Effect(
        top_site=top,
        before=before_sites.get(top, 0.0) if top else 0.0,
        after=after_sites.get(top, 0.0) if top else 0.0,
        changes=tuple(changes),
    )


def describe_effect(answer: str, effect: Effect, names: Names | None = None) -> str:
    parts = []
    if effect.top_site and effect.after != effect.before:
        site = names.fact(f"site:{effect.top_site}") if names else effect.top_site
        parts.append(f"{site} {effect.before:.2f} -> {effect.after:.2f}")
    parts += list(effect.changes)
    return f"  if {answer}: " + ("; ".join(parts) if parts else "nothing would change")


def explain_question(session: Session, question: Question, yes: Effect, no: Effect) -> list[str]:
    """WHY: what the answer would change, and the rules that would use it."""
    kb = session.evaluator.kb
    names = Names(kb)
    reasons = {
        CLARIFY: "what you entered does not say whether the article's qualifier holds",
        SUSPECTED_SYMPTOM: "it is a sign of the site suspected most",
        DECISION: "it decides a treatment",
        TEST_RESULT: "a test's result can confirm or change the decisions",
    }
    lines = [
        f"I ask because {reasons.get(question.kind, 'it points to another site')},"
        " and an answer would change a decision:"
    ]
    lines.append(describe_effect("yes", yes, names))
    lines.append(describe_effect("no", no, names))
    key = question.key if question.key != "progression" else "progression:rapid"
    users = [
        rule
        for rule in kb.rules
        if any(c.key == key or c.key.startswith(key + "=") for c in rule.conditions)
    ]
    for rule in users:
        lines.append(f"  rule {rule.id}: {rule.statement}")
        if rule.quote:
            lines.append(f'    article: "{rule.quote}"')
    return lines


class Interview:
    """The conversation: entering findings, then questions, with commands at every prompt."""

    def __init__(
        self,
        session: Session,
        ask: Callable[[str], str | None],
        say: Callable[[str], None],
        width: int = 80,
    ) -> None:
        self.session = session
        self.ask = ask
        self._say = say
        self.width = width
        self.current: tuple[Question, Effect, Effect] | None = None
        self.answered: list[int] = []  # entries each answered question added

    def say(self, text: str) -> None:
        self._say("\n".join(fit(text.split("\n"), self.width)))

    def _target_fact(self, target: str) -> str:
        concept = resolve_target(self.session.evaluator.kb, target)
        report = self.session.report()
        for treatment in report.treatments:
            if treatment.id == concept:
                return f"treatment:{concept}={treatment.status}"
        kind = (
            "site"
            if any(s.id == concept for s in self.session.evaluator.kb.catalogue.sites)
            else "test"
        )
        return f"{kind}:{concept}"

    def command(self, line: str) -> bool | None:
        """Run a command typed at any prompt: True to finish, False if handled, None if the
        line is not a command."""
        word, _, rest = line.strip().partition(" ")
        word = word.lower()
        rest = rest.strip()
        kb = self.session.evaluator.kb
        if word in FINISH and not rest:
            return True
        if word == "help" and not rest:
            self.say(HELP)
        elif word == "show" and not rest:
            self._say(render_text(self.session.report(), kb, width=self.width).rstrip())
        elif word == "back" and not rest:
            self.undo()
        elif word == "why" and not rest:
            if self.current is None:
                self.say("No question is open yet: enter findings, or press enter for questions.")
            else:
                self.say("\n".join(explain_question(self.session, *self.current)))
        elif word == "how":
            if not rest:
                self.say("how what? e.g. how bone, how bone scan, how hormone therapy")
                return False
            try:
                fact = self._target_fact(rest)
            except TriageError as exc:
                self.say(f"error: {exc}")
                return False
            lines = explain_conclusion(self.session.report(), fact, kb, self.width)
            if not lines:
                self.say(f"{Names(kb).fact(fact)} is not concluded; try: why-not {rest}")
            else:
                self.say("\n".join(lines))
        elif word in ("why-not", "whynot", "why_not") or (
            word == "why" and rest.startswith("not ")
        ):
            target = rest[4:] if word == "why" else rest
            try:
                answer = why_not(kb, self.session.report(), resolve_target(kb, target))
                self.say("\n".join(describe_why_not(answer)))
            except TriageError as exc:
                self.say(f"error: {exc}")
        else:
            return None
        return False

    def undo(self) -> None:
        """Undo the last answer (or, before the questions, the last entry)."""
        count = self.answered.pop() if self.answered else 1
        undone = [self.session.back() for _ in range(count)]
        undone = [u for u in undone if u is not None]
        if not undone:
            self.say("nothing to undo")
        else:
            self.say("undone: " + "; ".join(" ".join(u) for u in undone))

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
            self.say(f"  noted: {self.session.described(entry)}")

    def _answer(self) -> str | None:
        """yes, no, unknown or back; None when the student is done."""
        while True:
            line = self.ask("  yes / no / unknown> ")
            if line is None:
                return None
            word = line.strip().lower()
            for answer, words in (("yes", YES), ("no", NO), ("unknown", UNKNOWN)):
                if word in words:
                    return answer
            if word == "back":
                return "back"
            handled = self.command(line)
            if handled is True:
                return None
            if handled is None:
                self.say("Please answer yes, no or unknown (or type help).")

    def ask_questions(self) -> None:
        """Phase two: what a clinician would ask next, until no answer could change a
        decision, or after 12 questions."""
        names = Names(self.session.evaluator.kb)
        while True:
            if len(self.answered) >= MAX_QUESTIONS:
                self.say(f"That was the last of {MAX_QUESTIONS} questions.")
                return
            now = self.session.report()
            self.current = self.session.next_question(now)
            if self.current is None:
                self.say("No answer to a further question could change a decision.")
                return
            question = self.current[0]
            self.say(f"Q{len(self.answered) + 1}. {question.text}")
            answer = self._answer()
            if answer is None:
                return
            if answer == "back":
                self.undo()
                continue
            entries = {"yes": question.if_yes, "no": question.if_no}.get(answer, ())
            added = entries or (("unknown", question.key),)
            for entry in added:
                self.session.add(entry)
            self.answered.append(len(added))
            if entries:
                effect = compare(self.session.evaluator, now, self.session.report())
                if effect.changes or effect.after != effect.before:
                    self.say(describe_effect(answer, effect, names).replace("  if", "  with", 1))

    def run(self) -> Report:
        self.say(DISCLAIMER)
        if not self.enter_findings():
            self.ask_questions()
        return self.session.report()


def expectation(report: Report) -> dict[str, Any]:
    """The report's conclusions as a case's `expect` block: replaying it checks them."""
    expect: dict[str, Any] = {}
    if report.sites:
        expect["sites"] = [site.id for site in report.sites]
        expect["top_site"] = report.sites[0].id
    expect["tests"] = [test.id for test in report.tests]
    expect["treatments"] = {t.id: t.status for t in report.treatments}
    for kind, graded in report.graded():
        expect[kind] = graded.level
    return expect


def save_case(session: Session, path: Path) -> None:
    """Write the session as a case file that `triage run` answers with the same report, its
    outcome saved as its `expect` block (so `triage replay` checks it)."""
    if path.exists():
        raise TriageError(f"{path} already exists; choose another name")
    data = session.case_data()
    data["expect"] = expectation(session.report())
    try:
        with path.open("x", encoding="utf-8") as out:
            out.write(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    except FileExistsError:
        raise TriageError(f"{path} already exists; choose another name") from None
    except OSError as exc:
        raise TriageError(f"{path}: {exc.strerror}") from None

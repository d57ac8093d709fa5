"""The one module that touches durable_rules: rules are written with `durable.lang` and run by
its C engine, driven directly (durable_rules 2.0.28 is the last release).

What this relies on, each pinned by `tests/test_adapter.py`:

- `lang.ruleset(name)` registers the ruleset in a process-wide table (`lang._rulesets`) for
  durable's own host; we take it out again and run the compiled definition ourselves. durable's
  host runs a state's pending actions on a 0.2 s timer thread, which could take a case's actions
  from under the caller (seen once in 100,000 cases); it also costs ~40% of the time per case.
- `durable_rules_engine.assert_facts` takes a whole batch in one call; `start_action_for_state`
  and `complete_and_start_action` hand out the actions it scheduled, one at a time, until none
  is left: when `run` returns, every action of the batch and of the facts they asserted ran.
- Among rules ready at the same time, a lower `priority` fires first (`lang.pri`).
- A rule's `unless` patterns (`lang.none`) see every fact asserted before the fact that
  completes the rule: the state opener is asserted last, so a rule waiting on it sees all the
  batch. (A `none` is not truth-maintained: a fact arriving after the match is queued would not
  undo it.)
- Deleting a state in which no rule fired crashes the process (`free(): invalid pointer`):
  when nothing fired, the state opener is asserted, which a rule always fires on.
- A batch is refused whole when one of its facts passes no rule's test: a rule that accepts
  every fact and never fires keeps the batch whole.
- An exception inside an action would be swallowed by durable's host; here it propagates out
  of `run`, and the engine records it as the case's failure.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import durable_rules_engine as engine  # durable_rules' C engine
from durable import lang

from triage.core.facts import Requirement

# What the C engine answers when it does not take a fact at once.
REFUSED, ALREADY_SEEN, DEFERRED = 1, 2, 3  # no rule's test accepts it; already there; queued

# The last fact of a state: a default rule waits on it, and a rule fires on it in a state where
# nothing else fired (see the module's notes).
STATE_OPENER = {"fact": "case:open", "label": "case:open"}
# A fact no case ever sends: the rule that accepts every fact waits for it, and never fires.
NEVER_SENT = "case:never"

Action = Callable[[list[dict[str, Any]]], None]


class RulesetError(Exception):
    """durable_rules refused a case's facts."""


@dataclass(frozen=True)
class RuleSpec:
    """One rule to compile: the facts it matches (in order), what must be absent when it
    matches, its priority, and the action given the matched facts."""

    requires: tuple[Requirement, ...]
    action: Action
    priority: int | None = None
    unless: tuple[str, ...] = ()  # regular expressions of fact keys that must be absent
    on_opener: bool = False  # matches the state opener (a default rule): no tests


def _expression(test: Requirement) -> Any:
    m = lang.m
    matched = m.fact == test.key
    if test.attribute is None:
        return matched
    value = getattr(m, test.attribute)
    compared = value >= test.limit if test.op == ">=" else value > test.limit
    return matched & compared


def compile_ruleset(name: str, specs: list[RuleSpec], always_fires: bool = False) -> Ruleset:
    """The rules compiled into durable_rules' C engine under a process-wide unique name.
    Unless some rule `always_fires` in every state, a rule on the state opener does."""
    definition_source = lang.ruleset(name)
    lang._rulesets.pop(name, None)  # kept for durable's host; this module runs it instead
    with definition_source:
        if not always_fires:
            lang.when_all(lang.m.fact == STATE_OPENER["fact"])(lambda _: None)
        accept = lang.c.any << lang.m.fact.matches(".*")
        never = lang.c.never << (lang.m.fact == NEVER_SENT)
        lang.when_all(accept, never)(lambda _: None)
        for spec in specs:
            _add(spec)
    ruleset_name, definition = definition_source.define()
    return Ruleset(ruleset_name, definition, any(spec.on_opener for spec in specs))


def _add(spec: RuleSpec) -> None:
    names = [f"f{i}" for i in range(len(spec.requires))]
    patterns: list[Any] = [
        getattr(lang.c, name) << _expression(test)
        for name, test in zip(names, spec.requires, strict=True)
    ]
    if spec.on_opener:
        names = ["opener"]
        patterns = [lang.c.opener << (lang.m.fact == STATE_OPENER["fact"])]
    patterns += [lang.none(lang.m.fact.matches(pattern)) for pattern in spec.unless]
    if spec.priority is not None:
        patterns.insert(0, lang.pri(spec.priority))
    action = spec.action

    def run(frame: dict[str, Any]) -> None:
        action([frame[name] for name in names])

    lang.when_all(*patterns)(run)


class Ruleset:
    """One compiled ruleset in durable_rules' C engine, with the action of each of its rules."""

    def __init__(self, name: str, definition: dict[str, Any], waits_on_opener: bool) -> None:
        self.name = name
        self.actions = {rule: spec.pop("run") for rule, spec in definition.items()}
        self.handle = engine.create_ruleset(name, json.dumps(definition))
        self.waits_on_opener = waits_on_opener  # some rule matches the opener (a default)

    def run(self, sid: str, facts: list[dict[str, Any]]) -> None:
        """Assert one state's facts and run every action they lead to; then delete the state.
        The state opener comes last where a rule waits on it; elsewhere it is sent only if
        nothing fired (one action fewer per case)."""
        opener = {**STATE_OPENER, "sid": sid}
        batch = [{**fact, "sid": sid} for fact in facts]
        try:
            if self.waits_on_opener or not batch:
                self._run([*batch, opener])
            elif not self._run(batch):
                self._run([opener])
        finally:
            engine.delete_state(self.handle, sid)

    def _run(self, batch: list[dict[str, Any]]) -> int:
        """Assert a batch and run the actions it schedules; how many ran."""
        code, state = engine.assert_facts(self.handle, json.dumps(batch))
        if code in (REFUSED, ALREADY_SEEN):
            raise RulesetError(f"{self.name}: durable_rules refused the case's facts ({code})")
        if code == DEFERRED:
            state = 0  # as durable_rules' host does
        started = engine.start_action_for_state(self.handle, state)
        if not started:
            return 0
        _, message = started
        count = 0
        while message:
            ((rule, frame),) = json.loads(message).items()
            self.actions[rule](frame)
            count += 1
            # (durable's host also re-sends the state here: the actions never change it)
            message = engine.complete_and_start_action(self.handle, state)
        return count

    def assert_fact(self, fact: dict[str, Any]) -> int:
        """Assert a derived fact from inside an action: 0, or why not (REFUSED, ALREADY_SEEN)."""
        return engine.assert_fact(self.handle, json.dumps(fact))[0]

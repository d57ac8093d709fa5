"""What triage relies on in durable_rules 2.0.28, pinned through the one adapter module."""

from __future__ import annotations

import itertools

import pytest

from triage.core.adapter import RuleSpec, compile_ruleset
from triage.core.facts import Facts, Requirement, holds, parse_condition

_names = itertools.count(1)


def _ruleset(*specs: RuleSpec):
    return compile_ruleset(f"adapter-test-{next(_names)}", list(specs))


def _recorder(fired: list, tag: str):
    return lambda matched: fired.append((tag, [fact["fact"] for fact in matched]))


def test_rules_ready_together_fire_lowest_priority_first():
    fired: list = []
    ruleset = _ruleset(
        RuleSpec((Requirement("x:a"),), _recorder(fired, "third"), priority=3),
        RuleSpec((Requirement("x:b"),), _recorder(fired, "first"), priority=1),
        RuleSpec((Requirement("x:c"),), _recorder(fired, "second"), priority=2),
    )
    for order in itertools.permutations(["x:a", "x:b", "x:c"]):
        fired.clear()
        ruleset.run("s", [{"fact": fact} for fact in order])
        assert [tag for tag, _ in fired] == ["first", "second", "third"], order


def test_a_rule_on_the_state_opener_sees_every_fact_of_the_batch_in_its_negation():
    fired: list = []
    ruleset = _ruleset(
        RuleSpec((), _recorder(fired, "default"), on_opener=True, unless=("treatment:x=.*",))
    )
    ruleset.run("s", [{"fact": "treatment:y=indicated"}])
    assert fired == [("default", ["case:open"])]
    for facts in (["treatment:x=indicated", "other:z"], ["other:z", "treatment:x=indicated"]):
        fired.clear()
        ruleset.run("s", [{"fact": fact} for fact in facts])
        assert fired == []


def test_a_fact_no_rule_tests_does_not_make_the_batch_refused():
    fired: list = []
    ruleset = _ruleset(
        RuleSpec((Requirement("lab:ca", "value", ">", 3.0),), _recorder(fired, "lab"))
    )
    ruleset.run("s", [{"fact": "lab:ca", "value": 2.0}, {"fact": "finding:x"}])
    assert fired == []
    ruleset.run("s", [{"fact": "finding:x"}, {"fact": "lab:ca", "value": 3.5}])
    assert fired == [("lab", ["lab:ca"])]


def test_facts_asserted_inside_an_action_are_matched_before_run_returns():
    fired: list = []
    holder: dict = {}

    def chain(matched):
        fired.append("a")
        holder["ruleset"].assert_fact({"fact": "x:derived", "sid": matched[0]["sid"]})

    ruleset = _ruleset(
        RuleSpec((Requirement("x:start"),), chain),
        RuleSpec((Requirement("x:derived"),), lambda _: fired.append("b")),
    )
    holder["ruleset"] = ruleset
    ruleset.run("s", [{"fact": "x:start"}])
    assert fired == ["a", "b"]


def test_an_exception_in_an_action_reaches_the_caller():
    def broken(_):
        raise RuntimeError("broken action")

    ruleset = _ruleset(RuleSpec((Requirement("x:a"),), broken))
    with pytest.raises(RuntimeError, match="broken action"):
        ruleset.run("s", [{"fact": "x:a"}])
    ruleset.run("s", [{"fact": "x:b"}])  # the state was deleted: the next case runs


@pytest.mark.parametrize("op", [">", ">="])
def test_the_compiled_comparison_and_holds_agree_at_and_around_the_limit(op):
    test = parse_condition(f"lab:ca {op} 3.0").requirement(threshold=0.5)
    fired: list = []
    ruleset = _ruleset(RuleSpec((test,), _recorder(fired, "lab")))
    for value in (2.99, 3.0, 3.01):
        fired.clear()
        ruleset.run("s", [{"fact": "lab:ca", "value": value}])
        assert bool(fired) == holds(test, Facts(labs={"ca": value})), value


def test_site_any_is_one_fact_compared_with_the_threshold():
    # The engine sends `site:any` once, as the most certain site: the rule fires once.
    test = parse_condition("site:any").requirement(threshold=0.5)
    fired: list = []
    ruleset = _ruleset(RuleSpec((test,), _recorder(fired, "any")))
    for best, expected in ((0.8, 1), (0.5, 1), (0.49, 0)):
        fired.clear()
        sites = [
            {"fact": "site:bone", "certainty": best},
            {"fact": "site:any", "label": "site:bone", "certainty": best},
        ]
        ruleset.run("s", sites)
        assert len(fired) == expected, best
        assert holds(test, Facts(certainty={"bone": best, "liver": 0.3})) == bool(expected)

"""The inference core: one `holds()`, decisions taken by rules of rules/, `--rules DIR`."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from triage.case import read_case
from triage.cli import main
from triage.errors import EngineError, TriageError
from triage.evaluation import Evaluator
from triage.knowledge import inspect, load, use_rules

from .conftest import CASES, ROOT

LIVER = str(CASES / "liver" / "liver-er-positive-conflict.yaml")


@pytest.fixture
def rules_copy(tmp_path: Path):
    target = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", target)
    yield target
    use_rules(None)  # the next test loads the shipped rules, whatever this one ran


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def _edit_rules(folder: Path, file: str, edit) -> None:
    path = folder / file
    data = yaml.safe_load(path.read_text())
    edit(data["rules"])
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def _remove_rule(folder: Path, file: str, rule_id: str) -> None:
    def remove(rules: list[dict]) -> None:
        index = next(i for i, rule in enumerate(rules) if rule["id"] == rule_id)
        del rules[index]

    _edit_rules(folder, file, remove)


def test_why_not_shows_a_lab_condition_met_in_a_rule_with_another_condition(rules_copy):
    rule = {
        "id": "test.mri.calcium-and-headache",
        "statement": "A rule of this test only: high calcium and a headache suggest an MRI.",
        "when": ["lab:calcium > 3.0", "finding:headache"],
        "then": "test:mri",
        "quote": "MRI",
    }
    _edit_rules(rules_copy, "tests.yaml", lambda rules: rules.append(rule))
    result = invoke(
        "--rules", str(rules_copy), "assess", "--lab", "calcium=3.2 mmol/L",
        "--why-not", "mri", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    check = next(c for c in answer["would_conclude"] if c["rule"] == rule["id"])
    met = {c["condition"]: c["met"] for c in check["conditions"]}
    assert met == {"lab:calcium > 3.0": True, "finding:headache": False}


def test_removing_the_override_rule_lets_the_indication_win(rules_copy):
    before = json.loads(invoke("run", LIVER, "--format", "json").stdout)
    _remove_rule(
        rules_copy, "treatments.yaml", "treatment.hormone-therapy.contraindication-overrides"
    )
    after = json.loads(invoke("--rules", str(rules_copy), "run", LIVER, "--format", "json").stdout)
    statuses = [
        {t["id"]: t["status"] for t in report["treatments"]}["hormone_therapy"]
        for report in (before, after)
    ]
    assert statuses == ["contraindicated", "indicated"]


def test_a_knowledge_base_without_a_default_rule_is_refused_in_one_line(rules_copy):
    _remove_rule(rules_copy, "treatments.yaml", "treatment.chemotherapy.not-indicated")
    result = invoke("--rules", str(rules_copy), "run", LIVER)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "no default rule for treatment:chemotherapy" in lines[0]
    assert "treatment:chemotherapy=not_indicated" in lines[0]


def test_a_graded_kind_without_its_default_is_refused(rules_copy):
    _remove_rule(rules_copy, "urgency.yaml", "urgency.routine")
    result = invoke("--rules", str(rules_copy), "assess", "jaundice")
    assert result.exit_code == 2
    assert "no default rule for urgency" in result.stderr


def test_lint_lists_every_shape_error_instead_of_crashing(rules_copy):
    _remove_rule(rules_copy, "treatments.yaml", "treatment.surgery.not-indicated")
    _remove_rule(rules_copy, "treatments.yaml", "treatment.radiation.indicated")
    site_for_site = {
        "id": "site.brain.from-bone",
        "statement": "A broken rule of this test: a site as evidence for a site.",
        "when": ["site:bone"],
        "then": "site:brain",
        "cf": 0.3,
        "quote": "Brain metastases",
    }
    _edit_rules(rules_copy, "sites.yaml", lambda rules: rules.append(site_for_site))
    result = invoke("--rules", str(rules_copy), "rules", "lint")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    output = " ".join(result.stdout.split())  # lines are wrapped to the terminal's width
    assert "rule site.brain.from-bone: a site cannot be evidence for a site [bad-shape]" in output
    assert "no default rule for treatment:surgery" in output
    assert "nothing decides treatment:radiation_therapy=indicated" in output


def test_every_command_uses_the_rules_given_with_the_global_option(rules_copy):
    rule = {
        "id": "site.lung.vertigo-for-this-test",
        "statement": "A rule that exists only in this test's copy of the data.",
        "when": ["finding:vertigo"],
        "then": "site:lung",
        "grade": "strong",
        "quote": "Vertigo",
    }
    _edit_rules(rules_copy, "sites.yaml", lambda rules: rules.append(rule))
    copy = ["--rules", str(rules_copy)]
    listed = invoke(*copy, "rules", "list").stdout
    assert rule["id"] in listed and rule["id"] not in invoke("rules", "list").stdout
    shown = invoke(*copy, "rules", "show", rule["id"])
    assert shown.exit_code == 0 and "Vertigo" in shown.stdout
    report = json.loads(invoke(*copy, "assess", "vertigo", "--format", "json").stdout)
    assert report["sites"][0] == {**report["sites"][0], "id": "lung", "certainty": 0.8}
    shipped = json.loads(invoke("assess", "vertigo", "--format", "json").stdout)
    assert "lung" not in [s["id"] for s in shipped["sites"]]


def test_a_folder_that_is_not_a_knowledge_base_is_one_error_line(tmp_path):
    result = invoke("--rules", str(tmp_path), "assess", "jaundice")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "not a knowledge base" in result.stderr
    use_rules(None)


@pytest.mark.slow  # compiles the rules once per rule the case fires
def test_lint_names_a_rule_whose_removal_changes_no_case(rules_copy):
    redundant = {
        "id": "treatment.radiation.liver-again",
        "statement": "A rule of this test only: it repeats what another rule concludes.",
        "when": ["site:liver", "finding:jaundice"],
        "then": "treatment:radiation_therapy=indicated",
        "quote": "Liver metastases",
    }
    _edit_rules(rules_copy, "treatments.yaml", lambda rules: rules.append(redundant))
    result = invoke(
        "--rules", str(rules_copy), "rules", "lint", "--effects", "--cases", LIVER,
        "--format", "json",
    )  # fmt: skip
    problems = [json.loads(line) for line in result.stdout.splitlines()]
    named = {p["where"].split("rule ", 1)[1] for p in problems if p["code"] == "no-effect"}
    assert redundant["id"] in named
    # Each rule that decides something in this case matters: removing it changes the answer.
    assert not named & {
        "treatment.hormone-therapy.contraindication-overrides",
        "treatment.hormone-therapy.contraindicated.liver",
        "site.liver.jaundice",
        "extent.distant.liver",
    }


def _outcomes(report) -> tuple:
    """What a report concludes, not how: sites with certainty, tests, statuses and levels."""
    return (
        [(site.id, site.certainty) for site in report.sites],
        [test.id for test in report.tests],
        [(treatment.id, treatment.status) for treatment in report.treatments],
        [level.level for level in (report.urgency, report.extent, report.prognosis)],
    )


@pytest.mark.slow  # loads and compiles the knowledge base once per rule: about a minute
def test_every_rule_changes_an_outcome_when_removed_or_lint_names_it(rules_copy):
    """Each rule is removed from a copy of rules/ in turn, and the copy loaded and run on the
    whole case library as `--rules` would: either the copy is refused, a case's outcome
    changes, or `triage rules lint --effects` named the rule (no effect, or never fired).
    And what lint says has no effect really changes nothing."""
    result = invoke("rules", "lint", "--effects", "--format", "json")
    problems = [json.loads(line) for line in result.stdout.splitlines()]
    named = {
        code: {p["where"].split("rule ", 1)[1] for p in problems if p["code"] == code}
        for code in ("no-effect", "never-fired")
    }
    library = [read_case(path) for path in sorted(CASES.rglob("*.yaml"))]
    shipped = Evaluator(load())
    expected = [_outcomes(shipped.evaluate(case)) for case in library]
    unchanged = set()
    for rule in shipped.kb.rules:
        file = shipped.kb.rule_files[rule.id]
        original = (ROOT / "rules" / file).read_text()
        _remove_rule(rules_copy, file, rule.id)
        try:
            variant, refused = inspect(rules_copy)  # what loading the copy checks
            if not refused:
                evaluator = Evaluator(variant)
                if [_outcomes(evaluator.evaluate(case)) for case in library] == expected:
                    unchanged.add(rule.id)
        except (TriageError, EngineError):
            pass  # refused while it loads or runs: removing it changes the outcome
        finally:
            (rules_copy / file).write_text(original)
    assert unchanged <= named["no-effect"] | named["never-fired"]
    assert named["no-effect"] <= unchanged


def _basis(item) -> tuple:
    return (item.basis, item.pending)


def test_a_conclusion_waiting_on_a_suspected_site_says_so(assess):
    # The contract's example: ER positive, bone confirmed, liver only suspected.
    report = assess(
        findings=["pathological fracture", "jaundice"],
        receptors={"er": "positive"},
        confirmed_sites=["bone"],
    )
    assert "confirmed:bone" in report.facts
    treatments = {t.id: t for t in report.treatments}
    assert treatments["hormone_therapy"].status == "contraindicated"
    assert _basis(treatments["hormone_therapy"]) == ("suspected", ["liver"])
    assert _basis(treatments["radiation_therapy"]) == ("confirmed", None)
    assert _basis(report.extent) == _basis(report.prognosis) == ("confirmed", None)
    # Surgery's first-type indication does not apply with distant spread: decided from the
    # prognosis, which rests on the confirmed bone.
    assert treatments["surgery"].status == "not_indicated"
    assert _basis(treatments["surgery"]) == ("confirmed", None)
    assert _basis(treatments["radiopharmaceutical"]) == (None, None)  # a default: no basis


def test_without_a_confirmed_site_every_site_based_decision_is_suspected(assess):
    report = assess(findings=["pathological fracture"], history=["hormone_therapy_ineffective"])
    treatments = {t.id: t for t in report.treatments}
    assert _basis(treatments["radiation_therapy"]) == ("suspected", ["bone"])
    assert _basis(report.extent) == ("suspected", ["bone"])
    # Chemotherapy after hormone therapy failed rests on no site: no basis.
    assert treatments["chemotherapy"].status == "indicated"
    assert _basis(treatments["chemotherapy"]) == (None, None)


def test_the_chest_xray_finding_confirms_the_lung(assess):
    report = assess(findings=["chest x-ray will show the metastasis"])
    assert [(s.id, s.certainty) for s in report.sites] == [("lung", 1.0)]
    assert _basis(report.extent) == ("confirmed", None)


def test_the_text_report_says_what_waits_on_confirmation():
    result = invoke("assess", "pathological fracture", "jaundice", "--er", "positive")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()

    def block(start: str) -> str:
        first = next(i for i, line in enumerate(lines) if line.strip().startswith(start))
        rest = itertools.takewhile(lambda line: line.startswith("      "), lines[first + 1 :])
        return " ".join(" ".join([lines[first], *rest]).split())

    assert "contraindicated*" in block("Hormone therapy")  # waits on liver
    assert "distant*" in block("Extent:")
    assert "*" not in block("Radiopharmaceutical")  # a default rests on nothing
    text = " ".join(result.stdout.split())
    assert (
        "rests on a suspected site (Bone or Liver): it holds if confirmed by the tests above"
        in text
    )


def test_an_unknown_confirmed_site_is_one_error_line_with_close_matches(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("id: x\nfindings: [jaundice]\nconfirmed_sites: [livre]\n")
    result = invoke("run", str(case))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
    assert "confirmed_sites" in result.stderr and "'liver'" in result.stderr


def test_a_located_error_keeps_its_class_and_what_it_carries():
    from triage.case import CaseKeyError
    from triage.errors import KnowledgeError

    error = KnowledgeError("no default rule", where="rules", code="missing-default")
    moved = error.located("course/rules")
    assert type(moved) is KnowledgeError and moved.code == "missing-default"
    assert str(moved) == "course/rules: rules: no default rule"
    keyed = CaseKeyError("unknown key 'x'", ("x",)).located("case.yaml")
    assert type(keyed) is CaseKeyError and keyed.key == ("x",)
    assert str(keyed) == "case.yaml: unknown key 'x'"


def test_a_located_error_says_what_is_wrong_apart_from_where_and_is_placed_once():
    from triage.errors import TriageError

    error = TriageError("unknown site 'livr'").located("confirmed_sites").located("case.yaml")
    assert (error.where, error.reason) == ("case.yaml", "confirmed_sites: unknown site 'livr'")
    assert error.located("case.yaml") is error
    assert str(error) == "case.yaml: confirmed_sites: unknown site 'livr'"


def test_a_library_case_with_a_bad_site_is_named_by_its_file(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("id: x\nfindings: [jaundice]\nconfirmed_sites: [livre]\n")
    result = invoke("rules", "show", "site.liver.jaundice", "--cases", str(case))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {case}: confirmed_sites: unknown site 'livre'")


def test_a_candidate_decided_only_by_another_decision_s_rule_is_refused(rules_copy):
    # treatment.surgery.distant-organs needs prognosis:distant_organs alone, but decides
    # surgery: without prognosis.distant-organs.decides nothing decides the prognosis.
    _remove_rule(rules_copy, "extent.yaml", "prognosis.distant-organs.decides")
    result = invoke("--rules", str(rules_copy), "assess", "pathological fracture")
    assert result.exit_code == 2
    assert "nothing decides prognosis:distant_organs" in result.stderr


def test_a_status_decided_from_the_prognosis_rests_on_the_prognosis_sites(assess):
    # Surgery for the first type is decided from prognosis:axillary_nodes: no other rule
    # concludes it, and it waits on the lymph nodes as the prognosis does.
    report = assess(findings=["armpit lump"])
    surgery = next(t for t in report.treatments if t.id == "surgery")
    assert surgery.status == "indicated"
    assert _basis(surgery) == ("suspected", ["regional_lymph_nodes"])
    confirmed = assess(findings=["armpit lump"], confirmed_sites=["regional_lymph_nodes"])
    surgery = next(t for t in confirmed.treatments if t.id == "surgery")
    assert _basis(surgery) == ("confirmed", None)

"""`triage rules` and `triage vocab`: the knowledge base read, checked and measured."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from triage.cli import main
from triage.knowledge import default_rules_dir
from triage.lint import lint

from .conftest import CASES


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_lint_is_clean_on_the_shipped_knowledge_and_case_library():
    result = invoke("rules", "lint")
    assert result.exit_code == 0, result.output
    assert result.stdout == "no problems\n"


def test_the_article_is_fully_covered():
    result = invoke("rules", "coverage", "--fail-under", "100")
    assert result.exit_code == 0
    assert result.stdout.endswith("are quoted (100.0%)\n")


def test_coverage_marks_each_statement_with_what_quotes_it():
    result = invoke("rules", "coverage", "--format", "json")
    statements = [json.loads(line) for line in result.stdout.splitlines()]
    by_text = {s["text"]: s for s in statements}
    assert by_text["Pathological fracture"]["quoted_by"] == [
        "finding pathological_fracture",
        "rule site.bone.pathological-fracture",
        "rule site.bone.pathological-fracture.unqualified",
    ]
    assert by_text["Pathological fracture"]["topic"] == "symptoms"
    assert "set_aside" in by_text["Symptoms include:"]
    assert all(s["topic"] != "background" for s in statements), "background only with --all"


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), folder, ignore=shutil.ignore_patterns("*.py"))
    return folder


def _edit_rules(folder: Path, name: str, edit) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text())
    edit(data["rules"])
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def _codes(folder: Path, cases: list[Path]) -> set[str]:
    return {problem.code for problem in lint(folder, cases)}


def test_lint_finds_every_kind_of_problem_at_once(rules_copy):
    def break_things(rules: list[dict]) -> None:
        first = rules[0]
        rules.append({**first})  # a duplicate id
        rules.append({**first, "id": "site.bone.twice"})  # the same evidence twice
        rules.append(
            {**first, "id": "site.bone.misquoted", "quote": "Bone pain is always metastasis"}
        )
        rules.append(
            {
                **first,
                "id": "site.bone.never",
                "when": ["finding:bone_pain", "absent:bone_pain"],
            }
        )

    _edit_rules(rules_copy, "sites.yaml", break_things)
    codes = _codes(rules_copy, [])
    assert {"duplicate-id", "contradiction", "quote-not-verbatim", "impossible-condition"} <= codes


def test_lint_finds_rules_that_contradict_each_other(rules_copy):
    def contradict(rules: list[dict]) -> None:
        rules.append(
            {
                "id": "treatment.hormone-therapy.contraindicated.bone",
                "statement": "A made-up rule that contradicts the indication for bone.",
                "when": ["site:bone", "hormone_receptor:positive"],
                "then": "treatment:hormone_therapy=contraindicated",
                "quote": "Hormone therapy",
            }
        )

    _edit_rules(rules_copy, "treatments.yaml", contradict)
    problems = [p for p in lint(rules_copy, []) if p.code != "never-fired"]
    assert [p.code for p in problems] == ["contradiction"]
    assert "hormone_therapy both indicated and contraindicated" in problems[0].message


def test_lint_names_the_rules_no_case_fires():
    library = sorted((CASES / "liver").rglob("*.yaml"))
    problems = [p for p in lint(None, library) if p.code == "never-fired"]
    never = {p.where.split("rule ", 1)[1] for p in problems}
    assert "site.brain.convulsions" in never
    assert "site.liver.jaundice" not in never


def test_lint_exits_1_on_a_problem(tmp_path):
    (tmp_path / "one.yaml").write_text("id: one\nfindings: [jaundice]\nexpect: {}\n")
    result = invoke("rules", "lint", "--cases", str(tmp_path))
    assert result.exit_code == 1
    assert "[never-fired]" in result.stdout
    assert result.stdout.splitlines()[-1].endswith("problems")


def test_rules_list_gives_every_rule_with_what_it_concludes(kb):
    result = invoke("rules", "list", "--format", "json")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == [rule.id for rule in kb.rules]
    fracture = next(r for r in rows if r["id"] == "site.bone.pathological-fracture")
    assert fracture["then"] == "site:bone" and fracture["quote"] == "Pathological fracture"


def test_rules_show_gives_the_quote_the_neighbours_and_the_cases_that_fire_it():
    result = invoke("rules", "show", "lab.calcium.above-range", "--format", "json")
    view = json.loads(result.stdout)
    assert result.exit_code == 0
    assert view["then"] == "finding:hypercalcemia"
    assert "site.bone.hypercalcemia" in view["leads_to"]
    assert "hypercalcemia-emergency-mmol" in view["fired_by"]
    text = invoke("rules", "show", "lab.calcium.above-range").stdout
    assert 'article:    "Hypercalcemia ( increased blood calcium levels)"' in text


def test_rules_show_suggests_the_closest_id_for_a_typo():
    result = invoke("rules", "show", "site.bone.pathological-fractur")
    assert result.exit_code == 2
    assert result.output.startswith(
        "error: unknown rule 'site.bone.pathological-fractur'; did you mean"
        " 'site.bone.pathological-fracture'"
    )


def test_vocab_lists_every_finding_with_its_words_and_sites(kb):
    result = invoke("vocab", "--format", "json")
    views = [json.loads(line) for line in result.stdout.splitlines()]
    assert [v["id"] for v in views] == [f.id for f in kb.findings]
    jaundice = next(v for v in views if v["id"] == "jaundice")
    assert jaundice["points_to"] == {"liver": 0.8}


def test_vocab_with_a_word_names_its_finding_or_the_closest():
    exact = invoke("vocab", "fits")
    assert exact.stdout.startswith("convulsions: Convulsions\n")
    close = invoke("vocab", "yeloww eyes")
    assert close.stdout.startswith("'yeloww eyes' is not a known finding; the closest:\njaundice")
    nothing = invoke("vocab", "xqzw")
    assert nothing.exit_code == 2
    assert nothing.output.startswith("error: no finding is close to 'xqzw'")


def test_vocab_reads_words_as_assess_does_and_asks_about_an_abbreviation():
    read = invoke("vocab", "liquid coming out of my nipple")
    assert read.exit_code == 0
    assert read.stdout.startswith("'liquid coming out of my nipple' is read as:\n")
    assert "Clear or blood-tinged discharge from the nipple (composed;" in " ".join(
        read.stdout.split()
    )
    assert "\nnipple_discharge: Clear or blood-tinged discharge from the nipple\n" in read.stdout
    denied = invoke("vocab", "no headache")
    assert "'no headache': no persistent and progressive headache (exact)" in denied.stdout
    meant = invoke("vocab", "I lost weight on purpose")  # not counted: said so, not dropped
    assert "brought about on purpose, not counted (Loss of weight)" in " ".join(
        meant.stdout.split()
    )
    asked = invoke("vocab", "SCC")  # never guessed: its meanings, then the closest findings
    assert asked.stdout.startswith("'SCC' has several meanings in medicine: spinal cord")
    assert "the findings closest to 'SCC':\nspinal_cord_compression:" in asked.stdout

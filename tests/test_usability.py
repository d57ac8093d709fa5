"""Small things people trip on: each one as a user meets it, through the real command."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from triage.cli import main
from triage.expect import Expectation

from .conftest import CASES, ROOT

LIVER = str(CASES / "liver" / "liver-er-positive-conflict.yaml")


def invoke(*args: str, **env: str):
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "80", **env})


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("target", ["lungs", "Lung", "lung", "hormone therapy", "CT scan"])
def test_why_not_takes_names_ids_and_plurals(target):
    result = invoke("run", LIVER, "--why-not", target)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Why not ")


def test_why_not_with_a_typo_names_the_option_and_close_matches():
    result = invoke("assess", "cough", "--why-not", "lumg")
    assert result.exit_code == 2
    assert "error: --why-not: unknown site, test or treatment 'lumg'; did you mean 'lung'?" in (
        result.output
    )


@pytest.mark.parametrize("output_format", ["markdown", "dot", "mermaid"])
def test_why_not_in_a_format_it_cannot_answer_in_is_refused_not_ignored(output_format):
    result = invoke("assess", "cough", "--why-not", "lung", "--format", output_format)
    assert result.exit_code == 2
    assert f"--why-not answers in --format text or json, not {output_format}" in result.output


@pytest.mark.parametrize("name", ["graph.png", "graph.PDF", "graph.jpg"])
def test_an_image_file_other_than_svg_is_refused(tmp_path, name):
    target = tmp_path / name
    result = invoke("run", LIVER, "--format", "dot", "--output", str(target))
    assert result.exit_code == 2
    assert "triage draws only .svg images" in result.output
    assert not target.exists()


def test_lab_values_are_taken_with_or_without_an_equals_sign():
    spaced = invoke("assess", "--lab", "calcium 12.1 mg/dL", "--format", "json")
    equals = invoke("assess", "--lab", "calcium=12.1 mg/dL", "--format", "json")
    assert spaced.exit_code == 0, spaced.output
    assert spaced.output == equals.output
    assert '"lab:calcium=12.1 mg/dL"' in spaced.output


@pytest.mark.parametrize(
    "value, message",
    [
        ("2,9 mmol/L", "'2,9 mmol/L' has a decimal comma; write a decimal point: '2.9 mmol/L'"),
        ("12,1 mg/dL", "has a decimal comma; write a decimal point: '12.1 mg/dL'"),
    ],
)
def test_a_decimal_comma_gets_its_own_message(tmp_path, value, message):
    path = write(tmp_path, "c.yaml", f"id: c\nlabs:\n  calcium: {value}\n")
    result = invoke("run", path)
    assert result.exit_code == 2
    assert message in result.output
    assert "unknown unit" not in result.output


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "id: c\nfinding:\n  - bone pain\n",
            "line 2: unknown key 'finding'; did you mean 'findings'?",
        ),
        ("id: c\nlab:\n  calcium: 2.9 mmol/L\n", "line 2: unknown key 'lab'; did you mean 'labs'?"),
        (
            "id: c\nfindings: [bone pain]\nexpect:\n  urgancy: urgent\n",
            "line 4: unknown key 'expect.urgancy'; did you mean 'urgency'?",
        ),
        (
            "id: c\nreceptors:\n  er: positive\n  pgr: negative\n",
            "line 4: unknown key 'receptors.pgr'; did you mean 'pr'?",
        ),
    ],
)
def test_a_mistyped_key_gets_its_line_and_close_matches(tmp_path, text, message):
    path = write(tmp_path, "c.yaml", text)
    result = invoke("run", path)
    assert result.exit_code == 2
    assert result.output == f"error: {path}: {message}\n"


def test_tags_are_case_insensitive():
    lower = invoke("replay", str(CASES), "--tag", "intro")
    upper = invoke("replay", str(CASES), "--tag", "Intro")
    assert upper.exit_code == 0, upper.output
    assert upper.output == lower.output


def test_replay_prints_the_reason_of_an_error_on_stdout_too(tmp_path):
    write(tmp_path, "bad.yaml", "id: bad\nfindings: [yeloww eyes]\nexpect: {urgency: routine}\n")
    result = CliRunner().invoke(main, ["replay", str(tmp_path)])
    assert result.exit_code == 2
    stdout = result.stdout.splitlines()
    assert stdout[0] == f"ERROR {tmp_path / 'bad.yaml'}"
    assert "unknown finding 'yeloww eyes'; did you mean 'yellow eyes'?" in stdout[1]


def _complete(words: str) -> list[str]:
    env = {"_TRIAGE_COMPLETE": "bash_complete", "COMP_WORDS": words}
    env["COMP_CWORD"] = str(len(words.split()) - 1)
    result = CliRunner().invoke(main, [], prog_name="triage", env=env)
    return [line.split(",", 1)[1] for line in result.output.splitlines()]


def test_shell_completion_completes_findings_rule_ids_and_why_not_ids():
    assert "bone_pain" in _complete("triage assess bone_")
    assert "bone_pain" in _complete("triage assess --absent bone_")
    assert "site.bone.pathological-fracture" in _complete("triage rules show site.bone")
    assert _complete("triage assess --why-not hor") == ["hormone_therapy"]
    assert _complete("triage run x.yaml --why-not lu") == ["lung"]
    assert "lumpectomy_and_radiation" in _complete("triage assess --history lu")


def test_shell_completion_is_documented():
    readme = (ROOT / "README.md").read_text()
    assert "_TRIAGE_COMPLETE=bash_source triage" in readme
    assert "_TRIAGE_COMPLETE=zsh_source triage" in readme


def test_the_contract_ships_with_every_id_an_expect_block_may_use(kb):
    contract = (ROOT / "docs" / "CONTRACT.md").read_text()
    for kind in ("site", "test", "treatment", "urgency", "extent", "prognosis"):
        for name in kb.ids(kind):
            assert f"`{name}`" in contract, name
    for key in Expectation.model_fields:
        assert f"  {key}:" in contract, key


def test_the_licence_is_declared_and_the_article_is_credited_to_its_authors():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    origin = (ROOT / "rules" / "source" / "ORIGIN.md").read_text()
    assert "third-party" in origin and "rights stay with its authors" in origin


def test_every_case_folder_is_a_listed_package_so_installing_warns_of_none():
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    folders = {
        f"triage.cases.{p.name}" for p in CASES.iterdir() if p.is_dir() and "_" not in p.name[:1]
    }
    assert folders - {"triage.cases.__pycache__"} <= listed

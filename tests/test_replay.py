"""`triage replay`: the case library checked against its expect blocks, as a teacher sees it."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

from click.testing import CliRunner

from triage.cli import main

from .conftest import CASES

LIVER = (CASES / "liver" / "liver-er-positive-conflict.yaml").read_text()


def replay(*args: str):
    return CliRunner().invoke(main, ["replay", *args])


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_the_whole_library_passes_with_one_line_per_case():
    result = replay(str(CASES))
    files = list(CASES.rglob("*.yaml"))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(files) + 1
    assert all(line.startswith("PASS  ") for line in lines[:-1])
    assert lines[-1] == f"{len(files)} passed, 0 failed"


def test_an_edited_expectation_shows_expected_got_and_the_rule_behind_it(tmp_path):
    edited = LIVER.replace("hormone_therapy: contraindicated", "hormone_therapy: indicated")
    write(tmp_path, "liver.yaml", edited)
    result = replay(str(tmp_path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"FAIL  {tmp_path / 'liver.yaml'}")
    assert lines[1:] == [
        "      - treatments.hormone_therapy: expected indicated, got contraindicated",
        "        concluded by treatment.hormone-therapy.contraindicated.liver,",
        "            treatment.hormone-therapy.contraindication-overrides",
        "0 passed, 1 failed",
    ]


def test_every_kind_of_expectation_can_fail(tmp_path):
    write(
        tmp_path,
        "all.yaml",
        """id: all
findings: [jaundice]
expect:
  sites: [bone]
  sites_absent: [liver]
  top_site: lung
  min_certainty: {liver: 0.99}
  max_certainty: {liver: 0.1}
  tests: [bone_scan]
  tests_absent: [ct_scan]
  treatments: {radiation_therapy: not_indicated}
  urgency: emergency
  extent: none
  prognosis: axillary_nodes
  rules_fired: [site.bone.pathological-fracture]
""",
    )
    result = replay(str(tmp_path), "--format", "json")
    outcome = json.loads(result.stdout.splitlines()[0])
    assert result.exit_code == 1
    assert outcome["status"] == "failed"
    assert [m["key"] for m in outcome["mismatches"]] == [
        "sites",
        "sites_absent",
        "top_site",
        "min_certainty.liver",
        "max_certainty.liver",
        "tests",
        "tests_absent",
        "treatments.radiation_therapy",
        "urgency",
        "extent",
        "prognosis",
        "rules_fired",
    ]


def test_an_unreadable_case_is_reported_and_the_others_still_run(tmp_path):
    write(tmp_path, "a/good.yaml", LIVER)
    write(tmp_path, "b/broken.yaml", "id: broken\nfindings: [yeloww eyes]\nexpect: {}\n")
    write(tmp_path, "c/good.yaml", LIVER.replace("id: liver-er-positive-conflict", "id: good"))
    result = replay(str(tmp_path))
    assert result.exit_code == 2
    assert result.stdout.splitlines()[-1] == "2 passed, 0 failed, 1 unreadable"
    assert (
        f"error: {tmp_path / 'b' / 'broken.yaml'}: findings: unknown finding 'yeloww eyes';"
        " did you mean 'yellow eyes'?" in result.stderr
    )


def test_a_mistyped_id_in_an_expect_block_is_bad_input_not_a_silent_pass(tmp_path):
    write(
        tmp_path, "typo.yaml", "id: typo\nfindings: [jaundice]\nexpect: {sites_absent: [bones]}\n"
    )
    result = replay(str(tmp_path))
    assert result.exit_code == 2
    assert "expect.sites_absent: unknown site 'bones'; did you mean 'bone'?" in result.stderr


def test_a_case_without_expectations_fails_because_it_checks_nothing(tmp_path):
    write(tmp_path, "bare.yaml", "id: bare\nfindings: [jaundice]\n")
    result = replay(str(tmp_path))
    assert result.exit_code == 1
    assert "expect: expected an expect block to check, got none" in result.stdout


def test_tags_select_a_lesson_and_a_mistyped_tag_is_named(tmp_path):
    write(tmp_path, "one.yaml", "id: one\ntags: [liver, intro]\nfindings: [jaundice]\nexpect: {}\n")
    write(tmp_path, "two.yaml", "id: two\ntags: [brain]\nfindings: [seizures]\nexpect: {}\n")
    result = replay(str(tmp_path), "--tag", "liver")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "1 passed, 0 failed"
    assert "one.yaml" in result.stdout and "two.yaml" not in result.stdout
    mistyped = replay(str(tmp_path), "--tag", "livr")
    assert mistyped.exit_code == 2
    assert "error: --tag: unknown tag 'livr'; did you mean 'liver'?" in mistyped.stderr


def test_junit_report_lists_each_case_with_its_failures(tmp_path):
    write(tmp_path, "lib/liver/ok.yaml", LIVER)
    write(tmp_path, "lib/liver/wrong.yaml", LIVER.replace("urgency: urgent", "urgency: routine"))
    junit = tmp_path / "replay.xml"
    result = replay(str(tmp_path / "lib"), "--junit", str(junit))
    assert result.exit_code == 1
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "0")
    failures = [case.find("failure") for case in suite.findall("testcase")]
    assert failures[0] is None
    assert failures[1] is not None
    assert failures[1].get("message") == (
        "urgency: expected routine, got urgent (from urgency.urgent.suspected-site)"
    )
    first = junit.read_bytes()
    replay(str(tmp_path / "lib"), "--junit", str(junit))
    assert junit.read_bytes() == first, "the JUnit report is reproducible"

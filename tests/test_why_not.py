"""`--why-not`: what was missing, or what overrode a conclusion, with the rules and quotes."""

from __future__ import annotations

import json

from click.testing import CliRunner

from triage.cli import main

from .conftest import CASES

LIVER = str(CASES / "liver" / "liver-er-positive-conflict.yaml")


def why_not(*args: str) -> dict:
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_contraindicated_treatment_names_the_contraindication_that_overrode_it():
    answer = why_not("run", LIVER, "--why-not", "hormone_therapy")
    assert answer["status"] == "contraindicated"
    assert [c["rule"] for c in answer["overridden_by"]] == [
        "treatment.hormone-therapy.contraindicated.liver"
    ]
    assert answer["overridden_by"][0]["quote"].startswith("Contraindications for this therapy")
    assert [c["rule"] for c in answer["would_conclude"]] == [
        "treatment.hormone-therapy.receptor-positive"
    ]


def test_a_treatment_not_indicated_shows_what_each_indication_still_needs():
    answer = why_not(
        "assess", "severe and increasing bone pain", "--er", "positive", "--why-not", "chemotherapy"
    )
    assert answer["status"] == "not_indicated"
    needs = {
        check["rule"]: [c["condition"] for c in check["conditions"] if not c["met"]]
        for check in answer["would_conclude"]
    }
    assert needs["treatment.chemotherapy.rapid-progression"] == ["progression:rapid"]
    assert needs["treatment.chemotherapy.receptor-negative"] == ["hormone_receptor:negative"]


def test_a_site_below_threshold_says_so_and_lists_the_evidence_that_would_raise_it():
    answer = why_not("assess", "vertigo", "--why-not", "brain")
    assert answer["summary"].startswith("brain has certainty 0.20, below the 0.50")
    fired = [c["rule"] for c in answer["would_conclude"] if c["fired"]]
    assert fired == ["site.brain.vertigo"]
    assert "site.brain.convulsions" in [c["rule"] for c in answer["would_conclude"]]


def test_an_indicated_treatment_lists_what_would_rule_it_out():
    answer = why_not(
        "assess",
        "severe and increasing bone pain",
        "--er",
        "positive",
        "--why-not",
        "hormone_therapy",
    )
    assert answer["status"] == "indicated"
    assert "treatment.hormone-therapy.contraindicated.liver" in [
        c["rule"] for c in answer["would_override"]
    ]


def test_a_test_not_suggested_shows_the_site_certainty_it_needs():
    answer = why_not("assess", "persistent and progressive headache", "--why-not", "bone_scan")
    check = answer["would_conclude"][0]
    assert check["conditions"][0]["condition"] == "site:bone"
    assert check["conditions"][0]["note"] == "certainty 0.00, needs 0.20"


def test_an_unknown_target_is_bad_input_with_close_matches():
    result = CliRunner().invoke(
        main, ["assess", "persistent and progressive headache", "--why-not", "chemo"]
    )
    assert result.exit_code == 2
    assert result.output == (
        "error: --why-not: unknown site, test or treatment 'chemo'; did you mean 'chemotherapy'?\n"
    )


def test_the_text_answer_reads_as_a_checklist():
    result = CliRunner().invoke(main, ["run", LIVER, "--why-not", "hormone_therapy"])
    lines = result.stdout.splitlines()
    assert lines[0] == "Why not hormone_therapy? (case liver-er-positive-conflict)"
    assert "    [x] site:liver  (certainty 0.92, needs 0.50)" in lines

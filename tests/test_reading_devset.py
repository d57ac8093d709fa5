"""The development set of the reader loads, names only ids of the knowledge base, cites a source
for every item, and bench/reading.py runs on it. No accuracy figure is asserted here: those
are measured by the script, not tested."""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import subprocess
import sys

import pytest

from triage.knowledge import KnowledgeBase

from .conftest import ROOT

SCRIPT = ROOT / "bench" / "reading.py"
_spec = importlib.util.spec_from_file_location("bench_reading", SCRIPT)
reading = importlib.util.module_from_spec(_spec)
sys.modules["bench_reading"] = reading  # its dataclasses look their module up by name
_spec.loader.exec_module(reading)

SETS = reading.SETS
SITE_KEYS = {"everyday", "clinical", "presentations"}


@functools.cache
def items(name: str) -> list[dict]:
    return reading.load_set(name)


@pytest.fixture(scope="module")
def finding_sites(kb: KnowledgeBase) -> dict[str, set[str]]:
    return reading.sites_of_findings(kb)


@pytest.fixture(scope="module")
def site_ids(finding_sites: dict[str, set[str]]) -> set[str]:
    return set().union(*finding_sites.values())


def test_the_sets_are_as_large_as_the_issue_asks():
    wanted = {
        "everyday": 150,
        "clinical": 50,
        "stories": 30,
        "out_of_scope": 40,
        "denials": 20,
        "presentations": 15,
    }
    assert {name: len(items(name)) >= least for name, least in wanted.items()} == dict.fromkeys(
        wanted, True
    )


@pytest.mark.parametrize("name", SETS)
def test_every_item_has_a_text_a_source_page_and_the_split_its_hash_gives(name):
    seen = set()
    for item in items(name):
        assert isinstance(item["text"], str) and item["text"].strip(), item
        assert item["source"].startswith(("http://", "https://")), item
        assert item["split"] == reading.split_of(item["text"]), item["text"]
        assert item["text"].lower() not in seen, f"{item['text']!r} is listed twice"
        seen.add(item["text"].lower())


@pytest.mark.parametrize("name", ["everyday", "clinical"])
def test_every_expected_finding_is_a_finding_of_the_knowledge_base_and_points_to_its_site(
    name, finding_sites
):
    for item in items(name):
        if item.get("ambiguous"):
            assert len(item["meanings"]) >= 2, item
            continue
        findings = reading.as_list(item["finding"])
        assert set(findings) <= set(finding_sites), item
        # the item's site is where the knowledge base's rules send its finding(s)
        sites = set().union(*(finding_sites[f] for f in findings)) or {reading.NO_SITE}
        assert set(reading.as_list(item["site"])) == sites, item


@pytest.mark.parametrize("name", ["stories", "denials"])
def test_every_present_and_denied_id_is_a_finding_of_the_knowledge_base(name, finding_sites):
    for item in items(name):
        named = set(item.get("present", [])) | set(item["absent"])
        assert named <= set(finding_sites), item
        assert not set(item.get("present", [])) & set(item["absent"]), item


def test_every_presentation_names_a_site_of_the_knowledge_base(site_ids):
    assert {item["site"] for item in items("presentations")} <= site_ids


def test_out_of_scope_items_expect_nothing():
    assert all(set(item) == {"text", "split", "source", "batch"} for item in items("out_of_scope"))


def test_the_split_is_near_forty_percent_tune_overall():
    everything = [item for name in SETS for item in items(name)]
    share = sum(item["split"] == "tune" for item in everything) / len(everything)
    assert 0.3 < share < 0.5


def test_the_script_runs_on_five_items_of_each_set(capsys):
    assert reading.main(["--limit", "5", "--json", "--show-failures"]) == 0
    output = json.loads(capsys.readouterr().out)
    assert output["reader"] in ("narrative", "findings")
    assert set(output["sets"]) == set(SETS)
    for name, by_split in output["sets"].items():
        assert set(by_split) == {"tune", "test", "all"}
        assert by_split["all"]["items"] == 5, name


def test_the_command_first_says_how_each_text_was_given_and_says_it_in_every_process(capsys):
    arguments = ["--limit", "2", "--set", "stories", "--show-failures"]
    # Another process with another hash seed than this one's gives the same bytes.
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONHASHSEED": seed},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("reader: ")
    assert "stories" in done.stdout
    assert reading.main(arguments) == 0
    assert capsys.readouterr().out == done.stdout


@pytest.mark.parametrize("name", reading.SETS)
def test_every_item_belongs_to_the_batch_its_file_marks(name):
    items = reading.load_set(name)
    batches = [item["batch"] for item in items]
    assert batches[0] == "earlier"
    assert set(batches) <= {"earlier", "stop 20", "stop 21"}
    # a batch, once begun, runs to the next mark: the stops appear in order
    order = [b for k, b in enumerate(batches) if k == 0 or b != batches[k - 1]]
    assert order == sorted(order, key=lambda b: (b != "earlier", b))


def test_the_script_measures_one_batch_alone(capsys):
    assert reading.main(["--batch", "stop 21", "--set", "denials", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)["sets"]["denials"]["all"]
    marked = [i for i in reading.load_set("denials") if i["batch"] == "stop 21"]
    assert figures["items"] == len(marked) > 0

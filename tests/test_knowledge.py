"""The knowledge base is faithful to the article and fails loudly when broken."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from triage.errors import KnowledgeError
from triage.knowledge import load

from .conftest import ROOT

RULES = ROOT / "rules"


def test_article_copy_is_the_one_recorded_in_its_origin_note():
    origin = (RULES / "source" / "ORIGIN.md").read_text()
    recorded = re.search(r"sha256\s+`([0-9a-f]{64})`", origin)[1]
    article = (RULES / "source" / "metastatic-breast-cancer.txt").read_bytes()
    assert hashlib.sha256(article).hexdigest() == recorded


def test_urgency_rules_cite_an_external_reference_or_say_the_grade_is_the_projects(kb):
    for rule in kb.rules:
        if rule.then.startswith("urgency:"):
            assert rule.reference or "this project's choice, not the article's" in rule.statement


def test_general_symptoms_alone_point_to_no_site_above_the_threshold(kb):
    general = {"weakness", "fatigue", "malaise", "loss_of_appetite", "weight_loss"}
    for rule in kb.rules:
        if rule.cf and any(c.name in general for c in rule.conditions):
            assert rule.cf < kb.settings.site_threshold, rule.id


def _broken_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    path = target / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return target


def test_a_misquoted_rule_fails_naming_file_rule_and_field(tmp_path):
    folder = _broken_copy(
        tmp_path, "sites.yaml", 'quote: "Pathological fracture"', 'quote: "Broken bones"'
    )
    with pytest.raises(KnowledgeError) as caught:
        load(folder)
    message = str(caught.value)
    assert "sites.yaml" in message and "site.bone.pathological-fracture" in message
    assert "quote" in message and "\n" not in message


def test_a_certainty_factor_of_one_is_refused_but_for_a_confirmed_site(tmp_path):
    old = 'grade: strong\n    quote: "Spinal cord'
    folder = _broken_copy(tmp_path, "sites.yaml", old, old.replace("quote", "cf: 1.0\n    quote"))
    with pytest.raises(
        KnowledgeError, match=r"sites\.yaml: rule site\.bone\.spinal-cord-compression: .*'cf' 1"
    ):
        load(folder)


def test_a_rule_naming_an_unknown_finding_is_refused(tmp_path):
    folder = _broken_copy(tmp_path, "sites.yaml", "[finding:jaundice]", "[finding:jawndyse]")
    with pytest.raises(KnowledgeError, match="unknown finding 'jawndyse'"):
        load(folder)


def test_a_duplicate_rule_id_is_refused(tmp_path):
    folder = _broken_copy(
        tmp_path, "sites.yaml", "id: site.bone.erythema", "id: site.bone.swelling"
    )
    with pytest.raises(KnowledgeError, match=r"site\.bone\.swelling is already used"):
        load(folder)

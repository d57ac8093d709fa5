"""The knowledge base is faithful to the article and fails loudly when broken."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml

from triage.errors import KnowledgeError
from triage.knowledge import load

from .conftest import ROOT

RULES = ROOT / "rules"


def _all_quotes(node) -> list[str]:
    if isinstance(node, dict):
        found = [node[k] for k in ("quote", "article") if isinstance(node.get(k), str)]
        return found + [q for value in node.values() for q in _all_quotes(value)]
    if isinstance(node, list):
        return [q for item in node for q in _all_quotes(item)]
    return []


def test_article_copy_is_the_one_recorded_in_its_origin_note():
    origin = (RULES / "source" / "ORIGIN.md").read_text()
    recorded = re.search(r"sha256\s+`([0-9a-f]{64})`", origin)[1]
    article = (RULES / "source" / "metastatic-breast-cancer.txt").read_bytes()
    assert hashlib.sha256(article).hexdigest() == recorded


def test_every_quote_in_rules_is_verbatim_in_the_article():
    article = (RULES / "source" / "metastatic-breast-cancer.txt").read_text()
    quotes = [
        q for path in RULES.glob("*.yaml") for q in _all_quotes(yaml.safe_load(path.read_text()))
    ]
    assert len(quotes) > 80
    words = " ".join(article.split())  # a list's lead-in may be quoted with one of its items
    assert [q for q in quotes if " ".join(q.split()) not in words] == []


def test_every_rule_id_is_unique_across_files():
    ids = [
        rule["id"]
        for path in RULES.glob("*.yaml")
        for rule in (yaml.safe_load(path.read_text()) or {}).get("rules", [])
    ]
    assert len(ids) == len(set(ids))


def test_every_rule_has_a_statement_and_a_source(kb):
    for rule in kb.rules:
        assert rule.statement and (rule.quote or rule.reference), rule.id


def test_urgency_rules_cite_an_external_reference_or_say_the_grade_is_the_projects(kb):
    for rule in kb.rules:
        if rule.then.startswith("urgency:"):
            assert rule.reference or "this project's choice, not the article's" in rule.statement


def test_site_certainty_factors_lie_strictly_between_minus_one_and_one(kb):
    for rule in kb.rules:
        if rule.cf is not None:
            assert -1 < rule.cf < 1


def test_general_symptoms_alone_point_to_no_site_above_the_threshold(kb):
    general = {"weakness", "fatigue", "malaise", "loss_of_appetite", "weight_loss"}
    for rule in kb.rules:
        if rule.cf and any(c.key[8:] in general for c in rule.conditions):
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


def test_a_certainty_factor_of_one_is_refused(tmp_path):
    old = 'grade: strong\n    quote: "Spinal cord'
    folder = _broken_copy(tmp_path, "sites.yaml", old, old.replace("quote", "cf: 1.0\n    quote"))
    with pytest.raises(
        KnowledgeError, match=r"sites\.yaml: rule site\.bone\.spinal-cord-compression: field cf"
    ):
        load(folder)


def test_a_rule_naming_an_unknown_finding_is_refused(tmp_path):
    folder = _broken_copy(tmp_path, "sites.yaml", "[finding:jaundice]", "[finding:jaundise]")
    with pytest.raises(KnowledgeError, match="unknown finding 'jaundise'"):
        load(folder)


def test_a_duplicate_rule_id_is_refused(tmp_path):
    folder = _broken_copy(
        tmp_path, "sites.yaml", "id: site.bone.erythema", "id: site.bone.swelling"
    )
    with pytest.raises(KnowledgeError, match=r"site\.bone\.swelling is already used"):
        load(folder)

"""The validated knowledge base is cached for a fast start, and a bad cache is never trusted."""

from __future__ import annotations

import shutil

from triage.knowledge import KnowledgeBase, _load_cached, default_rules_dir


def load_fresh(folder):
    return _load_cached.__wrapped__(folder.resolve())  # past the per-process memo


def test_the_cache_gives_the_same_knowledge_base_and_a_broken_one_is_rebuilt(
    tmp_path, monkeypatch, kb
):
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(tmp_path / "cache"))
    assert load_fresh(default_rules_dir()) == kb
    (cached,) = (tmp_path / "cache").glob("knowledge-*.json")
    assert load_fresh(default_rules_dir()) == kb
    cached.write_text("{not json")
    assert load_fresh(default_rules_dir()) == kb
    assert KnowledgeBase.model_validate_json(cached.read_bytes()) == kb


def test_a_changed_rule_file_is_not_served_from_the_cache(tmp_path, monkeypatch, kb):
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(tmp_path / "cache"))
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    load_fresh(rules)
    concepts = rules / "concepts.yaml"
    concepts.write_text(concepts.read_text().replace("site_threshold: 0.5", "site_threshold: 0.6"))
    changed = load_fresh(rules)
    assert changed.settings.site_threshold == 0.6 and changed.digest != kb.digest
    assert len(list((tmp_path / "cache").glob("knowledge-*.json"))) == 2


def test_an_empty_cache_setting_switches_the_cache_off(tmp_path, monkeypatch, kb):
    monkeypatch.setenv("TRIAGE_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert load_fresh(default_rules_dir()) == kb
    assert not list(tmp_path.rglob("knowledge-*.json"))

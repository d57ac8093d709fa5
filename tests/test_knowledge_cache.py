"""The validated knowledge base is cached for a fast start, and a bad cache is never trusted:
the cache can never change an answer or stop the tool."""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys

import pytest

from triage import knowledge
from triage.knowledge import KnowledgeBase, _cache_file, _load_cached, default_rules_dir


def load_fresh(folder):
    return _load_cached.__wrapped__(folder.resolve())  # past the per-process memo


def test_the_cache_gives_the_same_knowledge_base_and_a_broken_one_is_rebuilt(
    tmp_path, monkeypatch, kb
):
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(tmp_path / "cache"))
    assert load_fresh(default_rules_dir()) == kb
    (cached,) = (tmp_path / "cache").glob("knowledge-*")
    assert load_fresh(default_rules_dir()) == kb
    cached.write_text("{not marshal")
    assert load_fresh(default_rules_dir()) == kb
    header, payload = cached.read_bytes().split(b"\n", 1)
    assert header.startswith(b"triage knowledge cache, sha256 ")
    data = marshal.loads(payload)  # the knowledge base's own values, and its compiled lexicon
    assert KnowledgeBase.model_validate({**data, "lexicon": {}}) == kb.model_copy(
        update={"lexicon": {}}
    )
    assert data["lexicon"] == kb.lexicon


def test_a_changed_rule_file_is_not_served_from_the_cache(tmp_path, monkeypatch, kb):
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(tmp_path / "cache"))
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    load_fresh(rules)
    concepts = rules / "concepts.yaml"
    concepts.write_text(concepts.read_text().replace("site_threshold: 0.5", "site_threshold: 0.6"))
    changed = load_fresh(rules)
    assert changed.settings.site_threshold == 0.6 and changed.digest != kb.digest
    assert len(list((tmp_path / "cache").glob("knowledge-*"))) == 2


def test_an_empty_cache_setting_switches_the_cache_off(tmp_path, monkeypatch, kb):
    monkeypatch.setenv("TRIAGE_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert load_fresh(default_rules_dir()) == kb
    assert not list(tmp_path.rglob("knowledge-*"))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A private cache folder; the path of the cache file of the shipped rules in it."""
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(tmp_path / "cache"))
    path = _cache_file(default_rules_dir().resolve())
    path.parent.mkdir()
    return path


def test_no_home_directory_means_no_cache_not_a_failure(tmp_path, monkeypatch, kb):
    import pwd

    def no_entry(uid):  # a container's --user 12345: no passwd entry
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    for name in ("HOME", "XDG_CACHE_HOME", "TRIAGE_CACHE_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    monkeypatch.chdir(tmp_path)
    assert load_fresh(default_rules_dir()) == kb
    assert list(tmp_path.iterdir()) == []  # nothing written anywhere else instead
    monkeypatch.setenv("HOME", "")  # an empty HOME is no home either, not the current folder
    assert load_fresh(default_rules_dir()) == kb
    assert list(tmp_path.iterdir()) == []


def _load_in_a_process(cache_dir) -> subprocess.CompletedProcess:
    """Load the knowledge base in a fresh process with 1 GiB of memory at most and a time
    limit: a cache that is read for ever, or in full when huge, fails this."""
    import resource

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    code = "from triage.knowledge import load; print(load().digest)"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "TRIAGE_CACHE_DIR": str(cache_dir)},
        capture_output=True,
        timeout=60,
        preexec_fn=limit_memory,
        check=False,
    )


@pytest.mark.slow  # a process each, with a memory and a time limit
@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero", "2 GB file"])
def test_a_cache_that_is_not_a_small_regular_file_is_not_read(cache, kb, kind):
    if kind == "fifo":
        os.mkfifo(cache)
    elif kind == "link to /dev/zero":
        cache.symlink_to("/dev/zero")
    else:
        with cache.open("wb") as stream:  # sparse: no disk used
            stream.truncate(2 * 1024**3)
    done = _load_in_a_process(cache.parent)
    assert done.returncode == 0, done.stderr.decode()[-500:]
    assert done.stdout.decode().strip() == kb.digest


def _tamper(cache, change) -> None:
    """Change the cached data, keeping it well formed and its first line as it was."""
    raw = cache.read_bytes()
    header, newline, payload = (
        raw.partition(b"\n") if raw.startswith(b"triage") else (b"", b"", raw)
    )
    data = marshal.loads(payload)
    change(data)
    cache.write_bytes(header + newline + marshal.dumps(data))


def _first_cf(data):
    rule = next(rule for rule in data["rules"] if rule.get("cf"))
    rule["cf"] = -rule["cf"]


@pytest.mark.parametrize(
    "change",
    [
        _first_cf,
        lambda data: data.update(digest="0123456789ab"),
        lambda data: data.update(findings=[]),
    ],
    ids=["a changed cf", "a fake digest", "no findings"],
)
def test_a_well_formed_but_changed_cache_is_rebuilt_not_trusted(cache, kb, change):
    load_fresh(default_rules_dir())
    _tamper(cache, change)
    assert load_fresh(default_rules_dir()) == kb
    assert load_fresh(default_rules_dir()) == kb  # and the rebuilt cache is good again


def test_a_link_planted_in_the_cache_folder_is_never_written_through(cache, kb, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    # the old temporary name, and the cache file itself, as links to the victim
    for pid in range(os.getpid() - 5, os.getpid() + 50):
        (cache.parent / f"{cache.name}.{pid}.tmp").symlink_to(victim)
    cache.symlink_to(victim)
    assert load_fresh(default_rules_dir()) == kb
    assert victim.read_text() == "precious"
    assert cache.is_file() and not cache.is_symlink()
    assert oct(cache.stat().st_mode & 0o777) == oct(0o600)


def test_a_full_disk_means_no_cache_and_leaves_no_temporary_file(cache, kb, monkeypatch):
    real_fdopen = os.fdopen

    def full_disk(fd, mode="r", *args, **kwargs):
        if "w" in mode:  # the temporary file: every write fails as on a full disk (ENOSPC)
            os.dup2(os.open("/dev/full", os.O_WRONLY), fd)
        return real_fdopen(fd, mode, *args, **kwargs)

    monkeypatch.setattr(knowledge.os, "fdopen", full_disk)
    assert load_fresh(default_rules_dir()) == kb
    assert list(cache.parent.iterdir()) == []


def test_a_value_marshal_cannot_write_means_no_cache_not_a_failure(cache, kb, monkeypatch):
    from decimal import Decimal

    real_dump = KnowledgeBase.model_dump

    def with_a_decimal(self, **kwargs):
        return {**real_dump(self, **kwargs), "digest": Decimal(1)}

    monkeypatch.setattr(KnowledgeBase, "model_dump", with_a_decimal)
    assert load_fresh(default_rules_dir()) == kb
    assert list(cache.parent.iterdir()) == []


def test_writing_a_cache_file_keeps_only_the_most_recently_used_ones(tmp_path, monkeypatch, kb):
    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(folder))
    old = [folder / f"knowledge-{n:032x}.marshal" for n in range(knowledge.CACHE_KEEP + 4)]
    for age, path in enumerate(old):
        path.write_bytes(b"an edition of rules/ edited long ago")
        os.utime(path, (1_000_000 + age, 1_000_000 + age))  # 1970: the oldest first
    other = folder / "notes.txt"
    other.write_text("not a cache file")
    assert load_fresh(default_rules_dir()) == kb  # a new edition: written, and old ones removed
    kept = sorted(folder.glob("knowledge-*"))
    assert len(kept) == knowledge.CACHE_KEEP
    assert _cache_file(default_rules_dir()) in kept  # the new one
    assert set(old[-(knowledge.CACHE_KEEP - 1) :]) <= set(kept)  # the most recently used
    assert other.exists()
    # a file in use is marked used, so that it is kept
    (fresh,) = [p for p in kept if p == _cache_file(default_rules_dir())]
    os.utime(fresh, (1_000_000, 1_000_000))
    assert load_fresh(default_rules_dir()) == kb
    assert fresh.stat().st_mtime > 1_000_000

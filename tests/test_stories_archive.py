"""The sample corpus through the CLI: ``khabar ingest`` then ``khabar stories`` and
``khabar duplicates`` meet the gold events, threads, reprints and duplicates."""

from __future__ import annotations

import json
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import pytest

from khabar.archive import Archive
from khabar.resources import sample_corpus

ROOT = sample_corpus()


def _run(*args: str) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "khabar", *args], capture_output=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    return [json.loads(line) for line in done.stdout.decode().splitlines() if line.strip()]


def _names(db: Path) -> dict[str, str]:
    """article id -> path of the page relative to the corpus (as the gold names it)."""
    with Archive(db, readonly=True) as archive:
        rows = archive.conn.execute("SELECT id, source FROM pages").fetchall()
    return {i: Path(s).resolve().relative_to(ROOT.resolve()).as_posix() for i, s in rows}


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    db = tmp_path_factory.mktemp("stories") / "news.db"
    _run("ingest", str(ROOT), "--db", str(db), "--json")
    gold = json.loads((ROOT / "gold.json").read_text(encoding="utf-8"))
    return db, gold


def test_gold_events_and_threads(archived: tuple[Path, dict]) -> None:
    db, gold = archived
    names = _names(db)
    events = _run("stories", "--db", str(db), "--json")
    event_of = {names[a]: e["event"] for e in events for a in e["articles"]}
    thread_of = {names[a]: e["thread"] for e in events for a in e["articles"]}
    assert set(event_of) == set(names.values())
    for group in gold["stories"]["events"]:
        assert len({event_of[d] for d in group}) == 1, group
    for a, b in combinations(gold["stories"]["events"], 2):
        assert event_of[a[0]] != event_of[b[0]]
    for group in gold["stories"]["threads"]:
        assert len({thread_of[d] for d in group}) == 1, group
    # a page of no gold event is an event of its own
    in_events = {d for g in gold["stories"]["events"] for d in g}
    for doc in set(names.values()) - in_events:
        assert sum(1 for d, e in event_of.items() if e == event_of[doc]) == 1, doc
    sample = next(e for e in events if len(e["articles"]) >= 3)
    assert set(sample) == {"event", "thread", "title", "first", "last", "articles", "outlets",
                           "entities"}
    assert sample["first"] <= sample["last"] and len(sample["outlets"]) >= 2


def test_gold_duplicates_and_reprints(archived: tuple[Path, dict]) -> None:
    db, gold = archived
    names = _names(db)
    pairs = _run("duplicates", "--db", str(db), "--json")
    found = {(names[p["a"]], names[p["b"]]): p for p in pairs}
    expected = {tuple(p) for p in gold["duplicates"]} | {tuple(p) for p in
                                                         gold["stories"]["reprints"]}
    for a, b in expected:
        assert (a, b) in found or (b, a) in found, (a, b)
    event_groups = [set(g) for g in gold["stories"]["events"]]
    for a, b in found:
        assert any(a in g and b in g for g in event_groups), (a, b)
    for p in pairs:
        assert p["kind"] in {"exact", "near", "partial"} and 0 < p["similarity"] <= 1


def test_ingesting_again_changes_no_story(archived: tuple[Path, dict]) -> None:
    db, _ = archived
    before = _run("stories", "--db", str(db), "--json")
    _run("ingest", str(ROOT), "--db", str(db), "--json")
    assert _run("stories", "--db", str(db), "--json") == before


@pytest.mark.shared
def test_seeds_one_thread_two_events(shared_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "seeds.db"
    _run("ingest", str(shared_dir / "seeds"), "--db", str(db), "--json")
    events = _run("stories", "--db", str(db), "--json")
    assert len(events) == 2
    assert len({e["thread"] for e in events}) == 1

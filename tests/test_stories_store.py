"""khabar.stories with its state in the archive (:class:`ArchiveStoryStore`): the same
clustering as in memory, article for article, whatever the cache size, however often it is
flushed and loaded again, after a rollback, and from an archive of the whole-state era; the
query tables kept up to date incrementally are those a full rewrite gives.

The stream: the sample corpus, then 700 articles made from it (another report a few days off,
the same story months later or earlier, some undated, words of other pages mixed in), so that
events grow, merge and link into threads across more than the 100 and 500 articles where the
IDF cache and the salient-feature share start to matter.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

import khabar
from khabar.archive import Archive
from khabar.archive.schema import MIGRATIONS
from khabar.ingest import ingest
from khabar.resources import sample_corpus
from khabar.stories import Assignment, Clusterer, Settings, StoryDoc
from khabar.stories.archive_store import (
    ArchiveStoryStore,
    load_clusterer,
    update_stories,
    write_stories,
)

ROOT = sample_corpus()


@pytest.fixture(scope="module")
def sample_docs() -> list[StoryDoc]:
    pages = [p for p in khabar.read(str(ROOT)) if isinstance(p, khabar.Page)]
    return [StoryDoc.from_extraction(x, id=Path(x.article.source).relative_to(ROOT).as_posix())
            for x in khabar.extract_many(pages)]


def _variants(docs: list[StoryDoc], count: int, seed: int) -> list[StoryDoc]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        base = rng.choice(docs)
        day = base.published
        r = rng.random()
        if day is not None:
            if r < 0.5:  # another report of the event
                day += dt.timedelta(days=rng.randint(-2, 2))
            elif r < 0.8:  # the story goes on
                day += dt.timedelta(days=rng.randint(20, 400))
            else:
                day -= dt.timedelta(days=rng.randint(20, 400))
        if rng.random() < 0.08:
            day = None
        words = base.body_key.split()
        other = rng.choice(docs).body_key.split() or words
        for j in range(len(words)):
            if rng.random() < 0.15:
                words[j] = rng.choice(other)
        out.append(StoryDoc(id=f"v{i:04d}", published=day, outlet=f"outlet-{rng.randrange(6)}",
                            language=base.language, title_key=base.title_key,
                            body_key=" ".join(words),
                            entities={k: v for k, v in base.entities.items()
                                      if rng.random() < 0.8}))
    return out


@pytest.fixture(scope="module")
def stream(sample_docs: list[StoryDoc]) -> list[StoryDoc]:
    return sample_docs + _variants(sample_docs, 700, seed=1)


def _shuffled(docs: list[StoryDoc], seed: int | None) -> list[StoryDoc]:
    out = list(docs)
    if seed is not None:
        random.Random(seed).shuffle(out)
    return out


def _in_memory(docs: list[StoryDoc], settings: Settings | None = None
               ) -> tuple[Clusterer, list[Assignment]]:
    clusterer = Clusterer(settings)
    return clusterer, [clusterer.add(doc) for doc in docs]


def _assert_same_state(memory: Clusterer, archived: Clusterer) -> None:
    """Everything the clustering goes on from is equal: events with their centroids and
    caches, document frequencies with their cached IDF values (exact floats)."""
    assert list(archived.store.iter_events()) == list(memory.store.iter_events())
    for name in ("text_df", "entity_df"):
        a, b = getattr(memory, name), getattr(archived, name)
        assert (a.n, a.df, a._cache_n, a._cache) == (b.n, b.df, b._cache_n, b._cache)
    assert archived.store.counters() == memory.store.counters()
    assert len(archived) == len(memory)


def _archive_run(conn: sqlite3.Connection, docs: list[StoryDoc], *, cache_events: int,
                 reload_every: int | None = None, settings: Settings | None = None
                 ) -> tuple[Clusterer, list[Assignment]]:
    """Cluster ``docs`` in the archive, committing (and with ``reload_every`` dropping the
    clusterer and loading it again) as the ingest writer does."""
    conn.execute("BEGIN IMMEDIATE")
    clusterer = Clusterer(settings, ArchiveStoryStore(conn, cache_events))
    out = []
    for i, doc in enumerate(docs, 1):
        out.append(clusterer.add(doc))
        if reload_every and i % reload_every == 0:
            clusterer.flush()
            conn.execute("COMMIT")
            conn.execute("BEGIN IMMEDIATE")
            clusterer = load_clusterer(conn, cache_events)
    clusterer.flush()
    conn.execute("COMMIT")
    return clusterer, out


@pytest.mark.parametrize(("cache_events", "reload_every", "posting_cap", "order"), [
    (4, None, None, 2),  # constant eviction
    (64, 97, None, 7),  # loaded again from the tables every 97 articles
    (4, 53, 3, 11),  # both, and postings over a tiny cap dropped from the tables
])
def test_archive_store_clusters_exactly_as_memory(tmp_path, stream, cache_events, reload_every,
                                                  posting_cap, order):
    settings = Settings(posting_cap=posting_cap) if posting_cap else None
    docs = _shuffled(stream, order)
    memory, expected = _in_memory(docs, settings)
    assert any(a.merged_events for a in expected) and any(a.merged_threads for a in expected)
    with Archive(tmp_path / "news.db") as archive:
        archived, got = _archive_run(archive.conn, docs, cache_events=cache_events,
                                     reload_every=reload_every, settings=settings)
        assert got == expected
        _assert_same_state(memory, archived)
        assert archived.events() == memory.events()
        assert archived.threads() == memory.threads()
        assert list(archived.iter_assignments()) == list(memory.iter_assignments())
        for doc in docs[::50]:
            event = archived.event_of(doc.id)
            assert event == memory.event_of(doc.id)
            assert archived.thread_of(event) == memory.thread_of(event)
        if posting_cap:
            assert archive.conn.execute("SELECT count(*) FROM story_full_postings").fetchone()[0]


def test_a_rolled_back_batch_leaves_a_clustering_that_goes_on_the_same(tmp_path, stream):
    """What was added after the last flush is rolled back with its transaction (as when the
    ingest writer is killed) and the archive goes on from the last commit exactly."""
    _, expected = _in_memory(stream)
    with Archive(tmp_path / "news.db") as archive:
        conn = archive.conn
        _, first = _archive_run(conn, stream[:300], cache_events=16)
        conn.execute("BEGIN IMMEDIATE")
        lost = load_clusterer(conn, 16)
        for doc in stream[300:420]:
            lost.add(doc)
        lost.flush()
        conn.execute("ROLLBACK")
        assert load_clusterer(conn).event_of(stream[350].id) is None
        _, rest = _archive_run(conn, stream[300:], cache_events=16)
    assert first + rest == expected


def test_archive_store_keeps_its_settings(tmp_path, sample_docs):
    with Archive(tmp_path / "news.db") as archive:
        clusterer = Clusterer(Settings(event_threshold=0.3), ArchiveStoryStore(archive.conn))
        clusterer.add(sample_docs[0])
        clusterer.flush()
        assert load_clusterer(archive.conn).settings.event_threshold == 0.3
        with pytest.raises(ValueError, match="other settings"):
            Clusterer(Settings(), ArchiveStoryStore(archive.conn))


# --------------------------------------------------------------------------- query tables


def _query_tables(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    return {table: sorted(tuple(r) for r in conn.execute(f"SELECT * FROM {table}"))
            for table in ("events", "threads", "article_events")}


def _rewritten(clusterer: Clusterer) -> dict[str, list[tuple]]:
    """The query tables a full rewrite from ``clusterer`` gives (in an archive of its own; on
    a copy, as making rows caches IDF values the clustering would go on with)."""
    with Archive(":memory:") as archive:
        write_stories(archive.conn, copy.deepcopy(clusterer))
        return _query_tables(archive.conn)


def _structure(tables: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """The rows without what depends on the IDF of the moment they were made (an event's and
    a thread's top entities and terms): members, dates, threads, titles."""
    def strip(state: str) -> str:
        data = json.loads(state)
        data.pop("entities")
        data.pop("terms", None)
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    return {"events": [(*row[:5], strip(row[5])) for row in tables["events"]],
            "threads": [(*row[:2], strip(row[2])) for row in tables["threads"]],
            "article_events": tables["article_events"]}


def test_query_tables_are_updated_incrementally(tmp_path, stream):
    """Runs of the ingest writer: after each, the events, threads and article_events rows are
    those a rewrite from a clustering in memory gives, merged events and threads included:
    exactly for the events and threads changed in the run, but for their top entities and
    terms (made with the IDF of the run they last changed in) for the others."""
    docs = _shuffled(stream, 3)
    memory = Clusterer()
    with Archive(tmp_path / "news.db") as archive:
        conn = archive.conn
        merged = {"events": 0, "threads": 0}
        for start, end in ((0, 40), (40, 41), (41, 300), (300, 301), (301, len(docs))):
            for doc in docs[start:end]:
                a = memory.add(doc)
                merged["events"] += len(a.merged_events)
                merged["threads"] += len(a.merged_threads)
            clusterer, _ = _archive_run(conn, docs[start:end], cache_events=8)
            changed = {f"e{n}" for (n,) in conn.execute(
                "SELECT number FROM story_events WHERE changed = 1")}
            roots = {f"t{n}" for (n,) in conn.execute(
                "SELECT root FROM story_events WHERE changed = 1")}
            conn.execute("BEGIN IMMEDIATE")
            update_stories(conn, clusterer)
            conn.execute("COMMIT")
            got, expected = _query_tables(conn), _rewritten(memory)
            assert _structure(got) == _structure(expected), (start, end)
            assert changed and roots
            for table, ids in (("events", changed), ("threads", roots)):
                assert ([r for r in got[table] if r[0] in ids]
                        == [r for r in expected[table] if r[0] in ids]), (start, end)
        assert merged["events"] and merged["threads"]
        assert conn.execute("SELECT count(*) FROM story_gone").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM story_events WHERE changed = 1"
                            ).fetchone()[0] == 0


# --------------------------------------------------------------------------- older archives


def _old_archive(path: Path, clusterer: Clusterer) -> str:
    """An archive at schema version 1 as khabar wrote it then: the whole state as one JSON row
    in ``clusterer``, and the query tables rewritten from it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript("BEGIN;\n" + MIGRATIONS[1] + "\nPRAGMA user_version = 1;\nCOMMIT;")
    state = json.dumps(clusterer.to_state(), ensure_ascii=False, separators=(",", ":"))
    conn.execute("BEGIN")
    conn.execute("INSERT OR REPLACE INTO clusterer(key, value) VALUES (?, ?)", ("state", state))
    write_stories(conn, clusterer)
    conn.execute("COMMIT")
    conn.close()
    return state


def test_an_archive_of_the_whole_state_era_is_converted_and_goes_on(tmp_path, stream):
    docs = _shuffled(stream, 5)
    half = len(docs) // 2
    first, _ = _in_memory(docs[:half])
    db = tmp_path / "old.db"
    state = _old_archive(db, first)
    # what the old code would have done: load the state and go on in memory
    reference = Clusterer.from_state(json.loads(state))
    expected = [reference.add(doc) for doc in docs[half:]]
    with Archive(db) as archive:
        conn = archive.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == max(MIGRATIONS)
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0]  # kept from v1
        conn.execute("BEGIN IMMEDIATE")
        converted = load_clusterer(conn, cache_events=8)
        conn.execute("COMMIT")
        assert conn.execute("SELECT count(*) FROM clusterer WHERE key = 'state'"
                            ).fetchone()[0] == 0
        assert len(converted) == half
        continued, got = _archive_run(conn, docs[half:], cache_events=8)
        assert got == expected
        _assert_same_state(reference, continued)
        conn.execute("BEGIN IMMEDIATE")
        update_stories(conn, continued)
        conn.execute("COMMIT")
        assert _query_tables(conn) == _rewritten(reference)


# --------------------------------------------------------------------------- ingest


def test_ingest_in_runs_keeps_the_query_tables_whole(tmp_path):
    """``khabar ingest`` of the sample corpus in two runs: the query tables kept up to date
    run by run are those a full rewrite from the archive's clusterer gives."""
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT, corpus)
    outlets = sorted(p for p in corpus.iterdir() if p.is_dir())
    db = tmp_path / "news.db"
    ingest([str(p) for p in outlets[:3]], str(db))
    second = ingest([str(corpus)], str(db))
    assert second.added and second.skipped
    with Archive(db) as archive:
        conn = archive.conn
        kept = _query_tables(conn)
        assert len(kept["article_events"]) == 33
        conn.execute("BEGIN IMMEDIATE")
        write_stories(conn, load_clusterer(conn))
        assert _structure(_query_tables(conn)) == _structure(kept)
        conn.execute("ROLLBACK")
        assert conn.execute("SELECT count(*) FROM story_docs").fetchone()[0] == 33
        assert conn.execute("SELECT count(*) FROM clusterer WHERE key = 'state'"
                            ).fetchone()[0] == 0


def test_the_stream_has_events_of_several_sizes_languages_and_dates(stream):
    """The stream exercises what the store must keep: big and small events, three languages,
    undated articles, threads of several events."""
    memory, _ = _in_memory(stream)
    events = list(memory.store.iter_events())
    assert max(len(ev.docs) for ev in events) >= 5
    assert {lang for ev in events for lang in ev.text} >= {"ur", "fa", "en"}
    assert any(ev.undated for ev in events) and any(ev.days for ev in events)
    assert max(len(t.events) for t in memory.threads()) >= 3

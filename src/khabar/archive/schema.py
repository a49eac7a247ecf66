"""The archive's SQLite schema and its migrations.

The schema version is SQLite's ``user_version``. :data:`MIGRATIONS` maps each version to the
statements that bring an archive from the version before it; :func:`migrate` applies the
missing ones in one transaction each, so an archive is always at a version it can name. An
archive written by a newer khabar is refused with a clear message instead of being damaged.
"""

from __future__ import annotations

import sqlite3

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "ArchiveVersionError", "migrate"]

_V1 = """
CREATE TABLE pages (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,             -- JSONL id, else a stable content hash
    source TEXT NOT NULL,
    url TEXT,
    outlet TEXT,
    format TEXT,
    encoding TEXT,
    published TEXT,                      -- given by the input
    chars INTEGER NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY REFERENCES pages(rowid),
    id TEXT NOT NULL UNIQUE,
    title TEXT,
    text TEXT NOT NULL,                  -- title and blocks, one per line (display form)
    published TEXT,
    outlet TEXT,
    dateline TEXT,
    byline TEXT,
    agencies TEXT,                       -- JSON list
    language TEXT,
    data TEXT NOT NULL                   -- the whole `khabar extract --json` object
);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_outlet ON articles(outlet);

CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    name_en TEXT,
    name_ur TEXT NOT NULL
);
CREATE INDEX entities_name_en ON entities(name_en COLLATE NOCASE);
CREATE TABLE entity_variants (
    entity TEXT NOT NULL REFERENCES entities(id),
    variant TEXT NOT NULL,
    key TEXT NOT NULL,                   -- matching key of the variant
    count INTEGER NOT NULL,
    PRIMARY KEY (entity, variant)
) WITHOUT ROWID;
CREATE INDEX entity_variants_key ON entity_variants(key);
CREATE TABLE mentions (
    article TEXT NOT NULL,
    entity TEXT NOT NULL,
    part TEXT NOT NULL,
    block INTEGER,
    start INTEGER,
    "end" INTEGER,
    text TEXT NOT NULL,
    source TEXT
);
CREATE INDEX mentions_entity ON mentions(entity);
CREATE INDEX mentions_article ON mentions(article);

CREATE TABLE dates (
    article TEXT NOT NULL, text TEXT NOT NULL, value TEXT, role TEXT,
    part TEXT, block INTEGER, start INTEGER, "end" INTEGER
);
CREATE INDEX dates_article ON dates(article);
CREATE TABLE claims (
    article TEXT NOT NULL, text TEXT NOT NULL, number_text TEXT, value REAL,
    approximate INTEGER, what TEXT, sources TEXT, part TEXT, block INTEGER,
    start INTEGER, "end" INTEGER
);
CREATE INDEX claims_article ON claims(article);
CREATE TABLE quotes (
    article TEXT NOT NULL, text TEXT NOT NULL, kind TEXT, speaker TEXT, speaker_entity TEXT,
    part TEXT, block INTEGER, start INTEGER, "end" INTEGER
);
CREATE INDEX quotes_article ON quotes(article);

CREATE TABLE problems (
    source TEXT NOT NULL,
    problem TEXT NOT NULL,
    detail TEXT,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (source, problem)
) WITHOUT ROWID;

-- repeated-line learning per outlet (khabar.clean.RepeatedLines, kept on disk)
CREATE TABLE line_groups (
    grp TEXT PRIMARY KEY,
    pages INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE line_signatures (
    grp TEXT NOT NULL, signature TEXT NOT NULL, PRIMARY KEY (grp, signature)
) WITHOUT ROWID;
CREATE TABLE line_counts (
    grp TEXT NOT NULL, key INTEGER NOT NULL, pages INTEGER NOT NULL, PRIMARY KEY (grp, key)
) WITHOUT ROWID;

-- duplicates
CREATE TABLE fingerprints (
    rowid INTEGER PRIMARY KEY,           -- order of arrival: the first copy is the original
    article TEXT NOT NULL UNIQUE,
    exact INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX fingerprints_exact ON fingerprints(exact);
CREATE TABLE dedup_buckets (              -- kind 0: LSH band, 1: passage
    kind INTEGER NOT NULL, hash INTEGER NOT NULL, article TEXT NOT NULL,
    PRIMARY KEY (kind, hash, article)
) WITHOUT ROWID;
CREATE TABLE duplicates (
    a TEXT NOT NULL, b TEXT NOT NULL, similarity REAL NOT NULL, kind TEXT NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX duplicates_b ON duplicates(b);

-- events and story threads
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    thread TEXT,
    title TEXT,
    first TEXT,
    last TEXT,
    state TEXT                           -- the clusterer's state of this event (JSON)
) WITHOUT ROWID;
CREATE INDEX events_thread ON events(thread);
CREATE INDEX events_last ON events(last);
CREATE TABLE article_events (
    article TEXT PRIMARY KEY,
    event TEXT NOT NULL,
    similarity REAL
) WITHOUT ROWID;
CREATE INDEX article_events_event ON article_events(event);
CREATE TABLE threads (
    id TEXT PRIMARY KEY,
    title TEXT,
    state TEXT
) WITHOUT ROWID;
CREATE TABLE clusterer (
    key TEXT PRIMARY KEY,
    value TEXT
) WITHOUT ROWID;

-- full-text search over the matching key (see khabar.search)
-- rowid = articles.rowid; the text is the matching key, so snippets come from it
CREATE VIRTUAL TABLE search_index USING fts5(
    title, body, names, tokenize='unicode61 remove_diacritics 2'
);
"""

# The story clusterer's state in tables (khabar.stories.archive_store.ArchiveStoryStore), in
# place of one JSON document rewritten at every batch. Small values (settings, counters) are
# rows of the `clusterer` table; an old whole-state row (key 'state') is converted into these
# tables the first time the clusterer is loaded.
_V2 = """
CREATE TABLE story_events (
    number INTEGER PRIMARY KEY,          -- event e<number>
    root INTEGER NOT NULL,               -- its thread t<root> (the union-find root)
    first INTEGER NOT NULL,              -- ordinal of its first date, 0 if undated
    changed INTEGER NOT NULL DEFAULT 1,  -- 1 until the events/threads tables show it
    data BLOB NOT NULL,                  -- members, dates, centroids
    caches TEXT NOT NULL                 -- what is computed from them (JSON)
);
CREATE INDEX story_events_root ON story_events(root, first);
CREATE INDEX story_events_changed ON story_events(root) WHERE changed = 1;
CREATE TABLE story_docs (
    doc TEXT PRIMARY KEY,
    event INTEGER NOT NULL
) WITHOUT ROWID;
-- inverted indexes: events under (week, feature) and (month, feature); bucket -1 is undated
CREATE TABLE story_event_postings (
    feature TEXT NOT NULL, week INTEGER NOT NULL, event INTEGER NOT NULL,
    PRIMARY KEY (feature, week, event)
) WITHOUT ROWID;
CREATE TABLE story_thread_postings (
    feature TEXT NOT NULL, month INTEGER NOT NULL, event INTEGER NOT NULL,
    PRIMARY KEY (feature, month, event)
) WITHOUT ROWID;
CREATE TABLE story_full_postings (       -- postings found longer than the cap (rows dropped)
    kind INTEGER NOT NULL,               -- 0: event index, 1: thread index
    bucket INTEGER NOT NULL, feature TEXT NOT NULL,
    PRIMARY KEY (kind, bucket, feature)
) WITHOUT ROWID;
CREATE TABLE story_df (                  -- document frequencies and their cached IDF values
    kind INTEGER NOT NULL,               -- 0: terms, 1: entity ids
    feature TEXT NOT NULL,
    df INTEGER NOT NULL,
    idf REAL,                            -- cached IDF value, valid while the cache's epoch
    epoch INTEGER,                       -- (corpus size at its last drop) is this one
    PRIMARY KEY (kind, feature)
) WITHOUT ROWID;
CREATE TABLE story_thread_parents (
    thread INTEGER PRIMARY KEY,
    parent INTEGER NOT NULL
);
CREATE TABLE story_gone (                -- merged-away events (0) and threads (1) whose rows
    kind INTEGER NOT NULL,               -- in events/threads are still to be deleted
    id INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;
"""

MIGRATIONS: dict[int, str] = {1: _V1, 2: _V2}
SCHEMA_VERSION = max(MIGRATIONS)


class ArchiveVersionError(RuntimeError):
    """The archive was written by a newer khabar (or is not a khabar archive)."""


def migrate(conn: sqlite3.Connection, path: str) -> int:
    """Bring the archive at ``conn`` to :data:`SCHEMA_VERSION`; return the version found."""
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found > SCHEMA_VERSION:
        raise ArchiveVersionError(
            f"{path}: archive schema version {found} is newer than this khabar understands "
            f"({SCHEMA_VERSION}); upgrade khabar")
    if found == 0:
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()
        if tables[0]:
            raise ArchiveVersionError(f"{path}: not a khabar archive (it has other tables)")
    for version in range(found + 1, SCHEMA_VERSION + 1):
        with conn:
            conn.executescript("BEGIN;\n" + MIGRATIONS[version]
                               + f"\nPRAGMA user_version = {version};\nCOMMIT;")
    return found

"""The clusterer's state and its events and threads, kept in the archive.

The whole clusterer state is saved with each ingest transaction (so a crash never separates
articles from their clustering); the ``events``, ``threads`` and ``article_events`` tables are
rewritten from it at the end of an ingest run for queries (``khabar stories``, the web reader).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from khabar.stories.cluster import Clusterer

__all__ = ["load_clusterer", "save_clusterer", "stories", "write_stories"]

_STATE = "state"


def load_clusterer(conn: sqlite3.Connection) -> Clusterer:
    row = conn.execute("SELECT value FROM clusterer WHERE key = ?", (_STATE,)).fetchone()
    return Clusterer.from_state(json.loads(row[0])) if row else Clusterer()


def save_clusterer(conn: sqlite3.Connection, clusterer: Clusterer) -> None:
    conn.execute("INSERT OR REPLACE INTO clusterer(key, value) VALUES (?, ?)",
                 (_STATE, json.dumps(clusterer.to_state(), ensure_ascii=False,
                                     separators=(",", ":"))))


def write_stories(conn: sqlite3.Connection, clusterer: Clusterer) -> None:
    """Rewrite the events, threads and article_events tables from the clusterer."""
    conn.execute("DELETE FROM article_events")
    conn.execute("DELETE FROM events")
    conn.execute("DELETE FROM threads")
    for event in clusterer.events():
        docs = list(event.docs[:500])  # the title comes from the first articles
        marks = ",".join("?" * len(docs))
        titles = conn.execute(
            f"SELECT title FROM articles WHERE id IN ({marks}) AND title IS NOT NULL "
            "ORDER BY (language = 'ur') DESC, published, rowid LIMIT 1", docs).fetchone()
        state = event.to_dict()
        conn.execute("INSERT INTO events(id, thread, title, first, last, state) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     (event.id, event.thread_id, titles[0] if titles else None,
                      state["first"], state["last"], json.dumps(state, ensure_ascii=False)))
        conn.executemany("INSERT OR REPLACE INTO article_events(article, event) VALUES (?, ?)",
                         [(doc, event.id) for doc in event.docs])
    for thread in clusterer.threads():
        first_event = thread.events[0] if thread.events else None
        title = conn.execute("SELECT title FROM events WHERE id = ?",
                             (first_event,)).fetchone() if first_event else None
        conn.execute("INSERT INTO threads(id, title, state) VALUES (?, ?, ?)",
                     (thread.id, title[0] if title else None,
                      json.dumps(thread.to_dict(), ensure_ascii=False)))


def stories(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """One object per event, in time order: ``event``, ``thread``, ``title``, ``first``,
    ``last``, ``articles``, ``outlets``, ``entities``."""
    rows = conn.execute("SELECT id, thread, title, first, last, state FROM events "
                        "ORDER BY first IS NULL, first, id").fetchall()
    for eid, thread, title, first, last, state in rows:
        data = json.loads(state)
        members = conn.execute(
            "SELECT a.id, a.outlet FROM article_events ae JOIN articles a ON a.id = ae.article "
            "WHERE ae.event = ? ORDER BY a.published, a.rowid", (eid,)).fetchall()
        entities = []
        for entity_id in data.get("entities", []):
            row = conn.execute("SELECT name_en, name_ur FROM entities WHERE id = ?",
                               (entity_id,)).fetchone()
            entities.append({"id": entity_id, "name_en": row[0] if row else None,
                             "name_ur": row[1] if row else None})
        yield {"event": eid, "thread": thread, "title": title, "first": first, "last": last,
               "articles": [m[0] for m in members],
               "outlets": sorted({m[1] for m in members if m[1]}),
               "entities": entities}

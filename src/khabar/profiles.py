"""Entity profiles across the archive: ``khabar entity NAME``.

A name (Urdu in any spelling, or English) is resolved to entities the way search resolves
names; each profile lists the spellings seen with their counts, the outlets, the first and last
publication dates, the entities that co-occur most and the events the entity is part of.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from khabar.search import resolve_names

__all__ = ["entity_profiles"]


def entity_profiles(conn: sqlite3.Connection, name: str, *, top: int = 10
                    ) -> list[dict[str, Any]]:
    """Profiles of the entities ``name`` denotes (most mentioned first)."""
    ids = resolve_names(conn, name, whole=True)
    out = []
    for entity_id in ids:
        row = conn.execute("SELECT id, type, name_en, name_ur FROM entities WHERE id = ?",
                           (entity_id,)).fetchone()
        if row is None:
            continue
        variants = {v: n for v, n in conn.execute(
            "SELECT variant, count FROM entity_variants WHERE entity = ? "
            "ORDER BY count DESC, variant", (entity_id,))}
        stats = conn.execute(
            "SELECT min(a.published), max(a.published), count(DISTINCT a.id) FROM articles a "
            "WHERE a.id IN (SELECT article FROM mentions WHERE entity = ?)",
            (entity_id,)).fetchone()
        outlets = {o: n for o, n in conn.execute(
            "SELECT a.outlet, count(DISTINCT a.id) FROM articles a JOIN mentions m "
            "ON m.article = a.id WHERE m.entity = ? GROUP BY a.outlet ORDER BY 2 DESC, 1",
            (entity_id,)) if o}
        cooccurring = [
            {"id": r[0], "type": r[1], "name_en": r[2], "name_ur": r[3], "articles": r[4]}
            for r in conn.execute(
                "SELECT e.id, e.type, e.name_en, e.name_ur, count(DISTINCT m2.article) AS n "
                "FROM mentions m1 JOIN mentions m2 ON m1.article = m2.article "
                "JOIN entities e ON e.id = m2.entity "
                "WHERE m1.entity = ? AND m2.entity != ? "
                "GROUP BY e.id ORDER BY n DESC, e.id LIMIT ?", (entity_id, entity_id, top))]
        events = [
            {"event": r[0], "thread": r[1], "title": r[2], "first": r[3], "last": r[4],
             "articles": r[5]}
            for r in conn.execute(
                "SELECT ev.id, ev.thread, ev.title, ev.first, ev.last, "
                "count(DISTINCT ae.article) FROM article_events ae "
                "JOIN events ev ON ev.id = ae.event "
                "WHERE ae.article IN (SELECT article FROM mentions WHERE entity = ?) "
                "GROUP BY ev.id ORDER BY ev.first, ev.id", (entity_id,))]
        out.append({
            "id": row[0], "type": row[1], "name_en": row[2], "name_ur": row[3],
            "mentions": sum(variants.values()), "articles": stats[2],
            "variants": variants, "outlets": outlets, "first": stats[0], "last": stats[1],
            "cooccurring": cooccurring, "events": events,
        })
    out.sort(key=lambda p: (-p["mentions"], p["id"]))
    return out

"""``khabar export``: the archive as JSON Lines or Parquet files, streamed in batches.

Three tables: ``articles`` (metadata, text, blocks, entities, dates, claims, quotes, event and
thread), ``entities`` (every entity with its spellings and counts) and ``events`` (with their
thread, dates, articles and outlets). Parquet files have explicit schemas (below), so a column
keeps its type even when the first rows leave it empty. The Parquet shards that
``khabar process`` writes start with the same article columns (:func:`article_schema`,
:func:`article_row`), so both can be read as one table.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["FORMATS", "article_row", "article_schema", "export"]

FORMATS = ("jsonl", "parquet")
BATCH_ROWS = 500


def article_row(data: dict[str, Any], *, source: str | None, url: str | None,
                outlet: str | None, event: str | None = None,
                thread: str | None = None) -> dict[str, Any]:
    """One row of the ``articles`` table (:func:`article_schema`) from an article's
    ``extract --json`` object (with its archive ``id``). Shared by ``khabar export`` and the
    Parquet shards of ``khabar process``, so both hold the same columns."""
    meta = data.get("meta", {})
    return {
        "id": data["id"], "source": source, "url": url, "outlet": outlet,
        "published": meta.get("published"), "language": meta.get("language"),
        "title": data["title"]["text"] if data.get("title") else None,
        "dateline": meta.get("dateline"), "byline": meta.get("byline"),
        "agencies": meta.get("agencies") or [],
        "blocks": [{"kind": b["kind"], "text": b["text"]} for b in data.get("blocks", [])],
        "entities": [{"id": e["id"], "type": e["type"], "name_en": e["name_en"],
                      "name_ur": e["name_ur"], "mentions": len(e["mentions"])}
                     for e in data.get("entities", [])],
        "dates": [{"text": x["text"], "value": x["value"], "role": x["role"]}
                  for x in data.get("dates", [])],
        "claims": [{"text": c["text"], "number_text": c.get("number_text"),
                    "value": float(c["value"]) if c.get("value") is not None else None,
                    "approximate": bool(c["approximate"]), "what": c.get("what"),
                    "sources": [s["text"] for s in c.get("sources", [])]}
                   for c in data.get("claims", [])],
        "quotes": [{"text": q["text"], "kind": q.get("kind"),
                    "speaker": (q.get("speaker") or {}).get("text"),
                    "speaker_entity": (q.get("speaker") or {}).get("entity")}
                   for q in data.get("quotes", [])],
        "event": event, "thread": thread,
    }


def _articles(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    rows = conn.execute(
        "SELECT a.data, p.source, p.url, a.outlet, ae.event, ev.thread FROM articles a "
        "JOIN pages p ON p.rowid = a.rowid LEFT JOIN article_events ae ON ae.article = a.id "
        "LEFT JOIN events ev ON ev.id = ae.event ORDER BY a.rowid")
    for data, source, url, outlet, event, thread in rows:
        yield article_row(json.loads(data), source=source, url=url, outlet=outlet,
                          event=event, thread=thread)


def _entities(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    for eid, etype, name_en, name_ur in conn.execute(
            "SELECT id, type, name_en, name_ur FROM entities ORDER BY id"):
        variants = [{"text": v, "count": n} for v, n in conn.execute(
            "SELECT variant, count FROM entity_variants WHERE entity = ? ORDER BY count DESC, "
            "variant", (eid,))]
        articles = conn.execute("SELECT count(DISTINCT article) FROM mentions WHERE entity = ?",
                                (eid,)).fetchone()[0]
        yield {"id": eid, "type": etype, "name_en": name_en, "name_ur": name_ur,
               "variants": variants, "articles": articles}


def _events(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    for eid, thread, title, first, last in conn.execute(
            "SELECT id, thread, title, first, last FROM events ORDER BY first, id"):
        members = conn.execute(
            "SELECT a.id, a.outlet FROM article_events ae JOIN articles a ON a.id = ae.article "
            "WHERE ae.event = ? ORDER BY a.published, a.id", (eid,)).fetchall()
        yield {"event": eid, "thread": thread, "title": title, "first": first, "last": last,
               "articles": [m[0] for m in members],
               "outlets": sorted({m[1] for m in members if m[1]})}


def article_schema() -> Any:
    """The Parquet schema of the ``articles`` table (a ``pyarrow.Schema``): the rows of
    :func:`article_row`. ``khabar process`` shards start with exactly these columns."""
    return _schemas()["articles"]


def _schemas() -> dict[str, Any]:
    import pyarrow as pa

    string_list = pa.list_(pa.string())
    return {
        "articles": pa.schema([
            ("id", pa.string()), ("source", pa.string()), ("url", pa.string()),
            ("outlet", pa.string()), ("published", pa.string()), ("language", pa.string()),
            ("title", pa.string()), ("dateline", pa.string()), ("byline", pa.string()),
            ("agencies", string_list),
            ("blocks", pa.list_(pa.struct([("kind", pa.string()), ("text", pa.string())]))),
            ("entities", pa.list_(pa.struct([
                ("id", pa.string()), ("type", pa.string()), ("name_en", pa.string()),
                ("name_ur", pa.string()), ("mentions", pa.int32())]))),
            ("dates", pa.list_(pa.struct([("text", pa.string()), ("value", pa.string()),
                                          ("role", pa.string())]))),
            ("claims", pa.list_(pa.struct([
                ("text", pa.string()), ("number_text", pa.string()), ("value", pa.float64()),
                ("approximate", pa.bool_()), ("what", pa.string()), ("sources", string_list)]))),
            ("quotes", pa.list_(pa.struct([
                ("text", pa.string()), ("kind", pa.string()), ("speaker", pa.string()),
                ("speaker_entity", pa.string())]))),
            ("event", pa.string()), ("thread", pa.string()),
        ]),
        "entities": pa.schema([
            ("id", pa.string()), ("type", pa.string()), ("name_en", pa.string()),
            ("name_ur", pa.string()),
            ("variants", pa.list_(pa.struct([("text", pa.string()), ("count", pa.int64())]))),
            ("articles", pa.int64()),
        ]),
        "events": pa.schema([
            ("event", pa.string()), ("thread", pa.string()), ("title", pa.string()),
            ("first", pa.string()), ("last", pa.string()), ("articles", string_list),
            ("outlets", string_list),
        ]),
    }


def export(conn: sqlite3.Connection, fmt: str, out: str | Path) -> dict[str, int]:
    """Write ``articles``, ``entities`` and ``events`` as ``fmt`` files into ``out``; return
    the rows written per table."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    tables = {"articles": _articles, "entities": _entities, "events": _events}
    written: dict[str, int] = {}
    for name, rows in tables.items():
        path = folder / f"{name}.{fmt}"
        tmp = path.with_suffix(path.suffix + ".part")
        if fmt == "jsonl":
            written[name] = _write_jsonl(rows(conn), tmp)
        else:
            written[name] = _write_parquet(rows(conn), tmp, _schemas()[name])
        tmp.replace(path)  # a reader never sees half a file
    return written


def _write_jsonl(rows: Iterator[dict[str, Any]], path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


def _write_parquet(rows: Iterator[dict[str, Any]], path: Path, schema: Any) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n

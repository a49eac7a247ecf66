"""The duplicate index kept in the archive's tables (``fingerprints``, ``dedup_buckets``,
``duplicates``), so detection is incremental across ingest runs and survives crashes with the
articles it belongs to (same transaction)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from khabar.dedup.fingerprint import Fingerprint
from khabar.dedup.index import DocId, Pair

__all__ = ["ArchiveStore", "duplicate_pairs", "store_pairs"]

_BAND, _PASSAGE = 0, 1
_CHUNK = 500


class ArchiveStore:
    """A :class:`khabar.dedup.DuplicateStore` over an archive connection.

    ``max_bucket``: a passage held by this many articles already (a stock phrase of an outlet
    or agency) proposes no candidates, as in :class:`khabar.dedup.MemoryStore`.
    """

    def __init__(self, conn: sqlite3.Connection, max_bucket: int = 1000) -> None:
        self.conn = conn
        self.max_bucket = max_bucket

    def __contains__(self, doc: object) -> bool:
        return self.conn.execute("SELECT 1 FROM fingerprints WHERE article = ?",
                                 (doc,)).fetchone() is not None

    def first_with_key(self, key_hash: int) -> DocId | None:
        row = self.conn.execute("SELECT article FROM fingerprints WHERE exact = ? "
                                "ORDER BY rowid LIMIT 1", (key_hash,)).fetchone()
        return row[0] if row else None

    def _chunks(self, values: list[int]) -> Iterator[list[int]]:
        for i in range(0, len(values), _CHUNK):
            yield values[i:i + _CHUNK]

    def in_bands(self, bands: list[int]) -> set[DocId]:
        out: set[DocId] = set()
        for chunk in self._chunks(bands):
            marks = ",".join("?" * len(chunk))
            out.update(r[0] for r in self.conn.execute(
                f"SELECT article FROM dedup_buckets WHERE kind = {_BAND} AND hash IN ({marks})",
                chunk))
        return out

    def sharing_passages(self, passages: list[int], at_least: int) -> set[DocId]:
        counts: dict[DocId, int] = {}
        for chunk in self._chunks(passages):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT hash, article FROM dedup_buckets WHERE kind = {_PASSAGE} "
                f"AND hash IN ({marks})", chunk).fetchall()
            per_hash: dict[int, list[DocId]] = {}
            for h, article in rows:
                per_hash.setdefault(h, []).append(article)
            for docs in per_hash.values():
                if len(docs) < self.max_bucket:
                    for doc in docs:
                        counts[doc] = counts.get(doc, 0) + 1
        return {doc for doc, n in counts.items() if n >= at_least}

    def fingerprint_of(self, doc: DocId) -> Fingerprint:
        row = self.conn.execute("SELECT data FROM fingerprints WHERE article = ?",
                                (doc,)).fetchone()
        if row is None:
            raise KeyError(doc)
        return Fingerprint.from_bytes(row[0])

    def put(self, doc: DocId, fp: Fingerprint, *, indexed: bool) -> None:
        self.conn.execute("INSERT INTO fingerprints(article, exact, data) VALUES (?, ?, ?)",
                          (doc, fp.key_hash, fp.to_bytes()))
        if indexed:
            rows = [(_BAND, h, doc) for h in set(fp.bands)]
            rows += [(_PASSAGE, int(h), doc) for h in fp.passages.tolist()]
            self.conn.executemany(
                "INSERT OR IGNORE INTO dedup_buckets(kind, hash, article) VALUES (?, ?, ?)", rows)


def store_pairs(conn: sqlite3.Connection, pairs: list[Pair]) -> None:
    """Store pairs with ``a`` the earlier published article (the original of a reprint) when
    the archive knows both dates; else in order of arrival."""
    oriented = []
    for p in pairs:
        dates = [conn.execute("SELECT published FROM articles WHERE id = ?", (x,)).fetchone()
                 for x in (p.a, p.b)]
        da, db = (d[0] if d else None for d in dates)
        if da and db and db < da:
            p = Pair(p.b, p.a, p.similarity, p.kind)
        oriented.append(p)
    pairs = oriented
    conn.executemany("INSERT OR IGNORE INTO duplicates(a, b, similarity, kind) VALUES (?, ?, ?, ?)",
                     [(p.a, p.b, round(p.similarity, 4), p.kind) for p in pairs])


def duplicate_pairs(conn: sqlite3.Connection, kind: str | None = None
                    ) -> Iterator[dict[str, Any]]:
    """Every stored pair, exact first, then by decreasing similarity."""
    where, args = ("WHERE kind = ?", (kind,)) if kind else ("", ())
    order = "CASE kind WHEN 'exact' THEN 0 WHEN 'near' THEN 1 ELSE 2 END, similarity DESC, a, b"
    for a, b, similarity, k in conn.execute(
            f"SELECT a, b, similarity, kind FROM duplicates {where} ORDER BY {order}", args):
        yield {"a": a, "b": b, "similarity": similarity, "kind": k}

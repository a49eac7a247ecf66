"""Spelling-tolerant full-text search over the archive (SQLite FTS5, BM25).

Articles are indexed in their matching form (:func:`khabar.urdu.key`: diacritics, letter
variants and joined words folded), with a third column of entity names: the English name and
the id of every entity of the article. A query is folded the same way and never reaches FTS5
as syntax: every word becomes a quoted term, so quotes, ``*``, ``NEAR(``, ``AND``/``OR`` or SQL
fragments are just words. Names in the query are expanded through the entities they denote
(by the gazetteer, the archive's variants or English names), so ``Putin``, ``پوٹن`` and
``پیوٹن`` find the same articles and ``پیانگ یانگ`` finds ``پیونگیانگ``.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

import regex

from khabar.archive.store import entity_index_words
from khabar.snippets import display_snippet, marked
from khabar.urdu import key

__all__ = ["MAX_QUERY_CHARS", "RANK_CAP", "Hit", "SearchError", "build_query", "plan_query",
           "rank", "resolve_names", "search", "snippets"]

#: Longer queries are cut here (a query is words, not a document).
MAX_QUERY_CHARS = 500
MAX_TERMS = 24
#: A query matching more articles than this ranks the most recently added ones only: BM25 has
#: to score every candidate, and a word in half of a 100k archive took 50-80 ms to rank; the
#: cap keeps it near 15-30 ms. Scores are unchanged (FTS5 takes term statistics from the
#: whole index), only older matches of very common words can be missed.
RANK_CAP = 10_000
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_MATCHED = regex.compile("\x01(.*?)\x02", regex.DOTALL)  # words FTS5's snippet() marked


class SearchError(ValueError):
    """A query that cannot be searched (the message says why)."""


@dataclass(slots=True)
class Hit:
    id: str
    source: str
    title: str | None
    outlet: str | None
    published: str | None
    score: float
    snippet: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _quote(term: str) -> str:
    return '"' + term.replace('"', "") + '"'


def _entities_for(conn: sqlite3.Connection, words: list[str]) -> tuple[list[str], set[int]]:
    """Entity ids named in the query (longest spans first) and the word positions they use."""
    found: list[str] = []
    used: set[int] = set()
    n = len(words)
    try:
        from khabar.extract.gazetteer import Gazetteer

        gazetteer: Any = Gazetteer.load()
    except Exception:  # the gazetteer is optional for search
        gazetteer = None
    for size in range(min(4, n), 0, -1):
        for i in range(n - size + 1):
            if used & set(range(i, i + size)):
                continue
            phrase = " ".join(words[i:i + size])
            ids = [r[0] for r in conn.execute(
                "SELECT DISTINCT entity FROM entity_variants WHERE key = ? LIMIT 5",
                (key(phrase),))]
            ids += [r[0] for r in conn.execute(
                "SELECT id FROM entities WHERE name_en = ? COLLATE NOCASE LIMIT 5", (phrase,))]
            if not ids and gazetteer is not None:
                ids = [m.id for m in gazetteer.find(phrase)
                       if m.start == 0 and m.end == len(phrase)]
            if not ids and size == 1 and len(phrase) >= 4 and phrase.isascii():
                # a surname in English: "Putin" -> Vladimir Putin
                ids = [r[0] for r in conn.execute(
                    "SELECT id FROM entities WHERE name_en LIKE ? COLLATE NOCASE LIMIT 5",
                    (f"% {phrase}",))]
            if ids:
                found.extend(dict.fromkeys(ids))
                used.update(range(i, i + size))
    return found, used


def resolve_names(conn: sqlite3.Connection, text: str, *, whole: bool = False) -> list[str]:
    """Entity ids that ``text`` names (Urdu in any spelling, or English). With ``whole`` the
    text is one name (``Vladimir Putin``, ``پیوٹن``, ``unk:...``); else names are looked for
    among its words."""
    text = text.strip()[:MAX_QUERY_CHARS]
    if whole and conn.execute("SELECT 1 FROM entities WHERE id = ?", (text,)).fetchone():
        return [text]
    words = _WORD.findall(text)[:MAX_TERMS]
    ids, used = _entities_for(conn, words)
    if whole and len(used) < len(words):
        # not all of it is one known name: fall back to the variants that contain it
        ids += [r[0] for r in conn.execute(
            "SELECT entity FROM entity_variants WHERE key = ? OR key LIKE ? "
            "GROUP BY entity ORDER BY sum(count) DESC LIMIT 10",
            (key(text), f"%{key(text)}%"))]
    return list(dict.fromkeys(ids))


def build_query(conn: sqlite3.Connection, query: str) -> str:
    """The FTS5 expression for a user's query (only quoted terms and AND/OR of them)."""
    return plan_query(conn, query)[0]


def plan_query(conn: sqlite3.Connection, query: str) -> tuple[str, list[str]]:
    """The FTS5 expression for a user's query and the entity ids it names."""
    text = query[:MAX_QUERY_CHARS]
    words = [w for w in _WORD.findall(key(text)) if w][:MAX_TERMS]
    if not words:
        raise SearchError("the query has no words to search for")
    raw_words = _WORD.findall(text)[:MAX_TERMS]
    ids, used = _entities_for(conn, raw_words if len(raw_words) == len(words) else words)
    parts = []
    for entity_id in ids:
        parts.append(f"names : {_quote(entity_index_words(entity_id))}")
    clauses = []
    if parts:
        clauses.append("(" + " OR ".join(parts) + ")")
    rest = [w for i, w in enumerate(words) if i not in used]
    clauses.extend(_quote(w) for w in rest)
    return " AND ".join(clauses), ids


def rank(conn: sqlite3.Connection, expression: str, limit: int, *, where: str = "",
         args: tuple[Any, ...] = (), cap: int = RANK_CAP) -> list[tuple[int, float]]:
    """``(rowid, bm25 score)`` of the best ``limit`` articles for an FTS5 ``expression`` (from
    :func:`build_query`), best first, ranking at most ``cap`` candidates (see
    :data:`RANK_CAP`). ``where``/``args`` add conditions on ``articles a``.

    Only rowids and scores are sorted: titles, sources and snippets are fetched afterwards for
    the few rows shown (computing them for every match made common words 2-3 times slower)."""
    extra = f" AND {where}" if where else ""
    join = " JOIN articles a ON a.rowid = search_index.rowid" if where else ""
    try:
        return conn.execute(
            "SELECT rowid, score FROM ("
            "SELECT search_index.rowid AS rowid, bm25(search_index, 3.0, 1.0, 2.0) AS score "
            f"FROM search_index{join} WHERE search_index MATCH ?{extra} "
            "ORDER BY search_index.rowid DESC LIMIT ?) ORDER BY score, rowid DESC LIMIT ?",
            (expression, *args, cap, limit)).fetchall()
    except sqlite3.OperationalError as err:
        raise SearchError(f"cannot search for this query: {err}") from err


def snippets(conn: sqlite3.Connection, expression: str, rowids: list[int], *,
             start: str = "[", end: str = "]") -> dict[int, str]:
    """FTS5 snippets of the body (matches between ``start`` and ``end``) for ``rowids``."""
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    return {r[0]: r[1] or "" for r in conn.execute(
        f"SELECT rowid, snippet(search_index, 1, ?, ?, '…', 16) FROM search_index "
        f"WHERE search_index MATCH ? AND rowid IN ({marks})",
        (start, end, expression, *rowids))}


def search(conn: sqlite3.Connection, query: str, *, limit: int = 20) -> list[Hit]:
    """Articles matching ``query``, best first (BM25; title matches weigh more). Snippets are
    cut from the article's own text, in its display form, with the matches in ``[...]``."""
    expression, entity_ids = plan_query(conn, query)
    limit = max(1, min(int(limit), 1000))
    try:
        ranked = rank(conn, expression, limit)
    except SearchError as err:
        raise SearchError(f"cannot search for {query[:80]!r}: {err}") from err
    ids = [rowid for rowid, _ in ranked]
    marks = ",".join("?" * len(ids))
    rows = {r[0]: r[1:] for r in conn.execute(
        "SELECT a.rowid, a.id, p.source, a.title, a.outlet, a.published, a.data FROM articles a "
        f"JOIN pages p ON p.rowid = a.rowid WHERE a.rowid IN ({marks})", ids)} if ids else {}
    index_snippets = snippets(conn, expression, ids, start="\x01", end="\x02")
    hits = []
    for rowid, score in ranked:
        row = rows.get(rowid)
        if row is None:
            continue
        terms = {t for found in _MATCHED.findall(index_snippets.get(rowid, ""))
                 for t in found.split()}
        shown = display_snippet(json.loads(row[5]), terms, set(entity_ids))
        hits.append(Hit(*row[:5], round(-score, 4),
                        marked(shown["snippet"], shown["highlights"])))
    return hits

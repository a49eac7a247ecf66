"""``khabar.Archive``: one SQLite file (WAL) holding pages, articles and everything found in them.

Writes happen in explicit transactions (:meth:`Archive.transaction`), so a crash (even SIGKILL)
loses at most the batch in flight and never leaves half an article behind; the next ingest
adds what is missing. Every article is stored once under its id: the id a JSONL record gave,
else a stable hash of the page's name and text (:func:`page_id`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import regex

from khabar.archive.schema import SCHEMA_VERSION, migrate
from khabar.clean.repeated import group_of, page_lines
from khabar.model import Page, Problem
from khabar.urdu import key

__all__ = ["Archive", "ArchiveError", "Processed", "SeenLines", "page_id", "signed_hash"]


class ArchiveError(RuntimeError):
    """The archive cannot be opened or used (the message names the file and the problem)."""


def signed_hash(text: str) -> int:
    """A stable 64-bit hash that fits SQLite's INTEGER (signed)."""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def page_id(page: Page) -> str:
    """The id a page is archived under: its own id (JSONL ``id``), else a content hash of its
    name (URL, or the last two parts of its path) and text, so that ingesting the same pages
    again, from any working directory, finds them already there."""
    if page.id:
        return str(page.id)
    if page.url:
        name = page.url
    else:
        path, sep, record = page.source.rpartition(":")
        source = path if sep and record.isdigit() else page.source
        parts = PurePosixPath(source.replace("\\", "/")).parts[-2:]
        name = "/".join(parts) + (f":{record}" if sep and record.isdigit() else "")
    text = page.text.replace("\r\n", "\n")
    digest = hashlib.blake2b(f"{name}\n{text}".encode(), digest_size=8).hexdigest()
    return f"h{digest}"


@dataclass(slots=True)
class SeenLines:
    """What the archive knows of one page's group: how many pages, and on how many of them each
    of the page's lines occurs (the page itself included). Quacks like
    :class:`khabar.clean.RepeatedLines` for :func:`khabar.clean.clean`."""

    group: str
    total: int
    counts: dict[str, int]

    def pages(self, group: str) -> int:
        return self.total if group == self.group else 0

    def count(self, group: str, key: str) -> int:
        return self.counts.get(key, 0) if group == self.group else 0


@dataclass(slots=True)
class LineStats:
    """A page's contribution to its group's repeated-line counts."""

    group: str
    signature: str
    keys: list[int]


@dataclass(slots=True)
class Processed:
    """Everything the per-page work (in a worker process) hands to the archive writer."""

    id: str
    page: Page
    extraction: dict[str, Any]
    lines: LineStats | None = None
    extras: dict[str, Any] = field(default_factory=dict)  # stage data (fingerprints, ...)


def line_stats(page: Page) -> tuple[LineStats | None, dict[str, int]]:
    """The page's group, signature and line-key hashes; and key -> hash for the lookup."""
    lines, signature = page_lines(page)
    if signature is None:
        return None, {}
    keys = {k: signed_hash(k) for k in lines}
    return LineStats(group_of(page), signature, sorted(keys.values())), keys


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Archive:
    """An archive of Urdu news in one SQLite file.

    >>> with Archive(":memory:") as archive:
    ...     archive.counts()["articles"]
    0
    """

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        self.readonly = readonly
        try:
            if readonly:
                if not Path(self.path).is_file():
                    raise ArchiveError(f"{self.path}: no such archive")
                uri = f"file:{Path(self.path).resolve()}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, isolation_level=None,
                                            check_same_thread=False, timeout=30)
            else:
                if self.path != ":memory:":
                    Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(self.path, isolation_level=None,
                                            check_same_thread=False, timeout=30)
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = OFF")
            self.conn.execute("PRAGMA cache_size = -32000")
            if readonly:
                version = self.conn.execute("PRAGMA user_version").fetchone()[0]
                if version != SCHEMA_VERSION:
                    raise ArchiveError(f"{self.path}: archive schema version {version}, "
                                       f"expected {SCHEMA_VERSION}; open it once for writing")
            else:
                migrate(self.conn, self.path)
        except sqlite3.DatabaseError as err:
            raise ArchiveError(f"{self.path}: not a usable SQLite archive ({err})") from err
        self.conn.row_factory = sqlite3.Row
        self._in_transaction = False

    # ----------------------------------------------------------------------- lifecycle

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: everything inside lands together or not at all."""
        if self._in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._in_transaction = True
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._in_transaction = False

    # ----------------------------------------------------------------------- writing

    def has(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM pages WHERE id = ?",
                                 (article_id,)).fetchone() is not None

    def add_problem(self, problem: Problem) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO problems(source, problem, detail, seen_at) "
                         "VALUES (?, ?, ?, ?)",
                         (problem.source, problem.problem, problem.detail, _now()))

    def seen_lines(self, page: Page) -> SeenLines | None:
        """The repeated-line counts of the page's group as the archive has them, with the page
        itself counted (as :func:`khabar.clean_many` counts it)."""
        stats, keys = line_stats(page)
        if stats is None:
            return None
        return self.seen_for(stats, keys)

    def seen_for(self, stats: LineStats, keys: dict[str, int]) -> SeenLines:
        """:meth:`seen_lines` for a page whose :func:`line_stats` are known already."""
        row = self.conn.execute("SELECT pages FROM line_groups WHERE grp = ?",
                                (stats.group,)).fetchone()
        total = row[0] if row else 0
        known = self.conn.execute(
            "SELECT 1 FROM line_signatures WHERE grp = ? AND signature = ?",
            (stats.group, stats.signature)).fetchone() is not None
        own = 0 if known else 1
        counts: dict[str, int] = {}
        if total:
            by_hash = {h: k for k, h in keys.items()}
            hashes = list(by_hash)
            for i in range(0, len(hashes), 500):
                chunk = hashes[i:i + 500]
                marks = ",".join("?" * len(chunk))
                for h, n in self.conn.execute(
                        f"SELECT key, pages FROM line_counts WHERE grp = ? AND key IN ({marks})",
                        (stats.group, *chunk)):
                    counts[by_hash[h]] = n
        for k in keys:
            counts[k] = counts.get(k, 0) + own
        return SeenLines(stats.group, total + own, counts)

    def add(self, item: Processed) -> bool:
        """Store one processed page; False (and nothing written) when it is there already."""
        page, data = item.page, item.extraction
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO pages(id, source, url, outlet, format, encoding, "
                "published, chars, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (item.id, page.source, page.url, page.outlet, page.format, page.encoding,
                 page.published, len(page.text), _now()))
            if cur.rowcount == 0:
                return False
            rowid = cur.lastrowid
            self._add_article(conn, rowid, item.id, page, data, item.extras.get("search"))
            if item.lines is not None:
                self._add_lines(conn, item.lines)
        return True

    def _add_article(self, conn: sqlite3.Connection, rowid: int | None, aid: str, page: Page,
                     data: dict[str, Any], search: tuple[str, str, str] | None = None) -> None:
        meta = data["meta"]
        title = data["title"]["text"] if data.get("title") else None
        texts = ([title] if title else []) + [b["text"] for b in data["blocks"]]
        outlet = page.outlet or meta.get("outlet") or _folder_outlet(page)
        data = {**data, "id": aid}
        conn.execute(
            "INSERT INTO articles(rowid, id, title, text, published, outlet, dateline, byline, "
            "agencies, language, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rowid, aid, title, "\n".join(texts), meta.get("published"), outlet,
             meta.get("dateline"), meta.get("byline"), json.dumps(meta.get("agencies") or []),
             meta.get("language"), json.dumps(data, ensure_ascii=False)))
        for entity in data.get("entities", []):
            conn.execute(
                "INSERT INTO entities(id, type, name_en, name_ur) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET name_en = coalesce(entities.name_en, "
                "excluded.name_en)", (entity["id"], entity["type"], entity["name_en"],
                                      entity["name_ur"]))
            variants = Counter(m["text"] for m in entity["mentions"])
            conn.executemany(
                'INSERT INTO mentions(article, entity, part, block, start, "end", text, source) '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(aid, entity["id"], m.get("part"), m.get("block"), m.get("start"), m.get("end"),
                  m["text"], m.get("source")) for m in entity["mentions"]])
            if not entity["mentions"]:  # an agency named only in the byline
                variants[entity["name_ur"]] = 1
            conn.executemany(
                "INSERT INTO entity_variants(entity, variant, key, count) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(entity, variant) DO UPDATE SET count = count + excluded.count",
                [(entity["id"], v, key(v), n) for v, n in variants.items()])
        conn.executemany(
            'INSERT INTO dates(article, text, value, role, part, block, start, "end") '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(aid, d["text"], d["value"], d["role"], d.get("part"), d.get("block"),
              d.get("start"), d.get("end")) for d in data.get("dates", [])])
        conn.executemany(
            "INSERT INTO claims(article, text, number_text, value, approximate, what, sources, "
            'part, block, start, "end") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [(aid, c["text"], c.get("number_text"), _real(c.get("value")),
              int(bool(c["approximate"])),
              c.get("what"), json.dumps(c.get("sources", []), ensure_ascii=False),
              c.get("part"), c.get("block"), c.get("start"), c.get("end"))
             for c in data.get("claims", [])])
        conn.executemany(
            "INSERT INTO quotes(article, text, kind, speaker, speaker_entity, part, block, "
            'start, "end") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [(aid, q["text"], q.get("kind"), (q.get("speaker") or {}).get("text"),
              (q.get("speaker") or {}).get("entity"), q.get("part"), q.get("block"),
              q.get("start"), q.get("end")) for q in data.get("quotes", [])])
        conn.execute("INSERT INTO search_index(rowid, title, body, names) VALUES (?, ?, ?, ?)",
                     (rowid, *(search or search_row(data))))

    def _add_lines(self, conn: sqlite3.Connection, stats: LineStats) -> None:
        cur = conn.execute("INSERT OR IGNORE INTO line_signatures(grp, signature) VALUES (?, ?)",
                           (stats.group, stats.signature))
        if cur.rowcount == 0:
            return  # a copy of a page already counted
        conn.execute("INSERT INTO line_groups(grp, pages) VALUES (?, 1) "
                     "ON CONFLICT(grp) DO UPDATE SET pages = pages + 1", (stats.group,))
        conn.executemany("INSERT INTO line_counts(grp, key, pages) VALUES (?, ?, 1) "
                         "ON CONFLICT(grp, key) DO UPDATE SET pages = pages + 1",
                         [(stats.group, k) for k in stats.keys])

    # ----------------------------------------------------------------------- reading

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("pages", "articles", "entities", "mentions", "dates", "claims", "quotes",
                      "duplicates", "events", "threads", "problems"):
            out[table] = self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return out

    def problems(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(
            "SELECT source, problem, detail, seen_at FROM problems ORDER BY source, problem")]

    def article(self, article_id: str) -> dict[str, Any] | None:
        """The whole ``extract --json`` object of an archived article."""
        row = self.conn.execute("SELECT data FROM articles WHERE id = ?",
                                (article_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def articles(self) -> Iterator[dict[str, Any]]:
        """Every article's ``extract --json`` object, in ingestion order (streamed)."""
        for (data,) in self.conn.execute("SELECT data FROM articles ORDER BY rowid"):
            yield json.loads(data)

    def integrity(self) -> str:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0]


_ID_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")


def entity_index_words(entity_id: str) -> str:
    """How an entity is written in the search index's names column: ``ent`` and the words of
    its id (``person:vladimir-putin`` -> ``ent person vladimir putin``), so a phrase query on
    them finds exactly the articles that name it."""
    return " ".join(_ID_WORD.findall("ent " + entity_id.replace("_", " ")))


def search_row(data: dict[str, Any], title_key: str | None = None,
               body_key: str | None = None) -> tuple[str, str, str]:
    """The (title, body, names) an article is indexed under for :mod:`khabar.search`: the
    matching key of the title and the body (pass them when they are made already), and for
    each entity ``ent`` + the words of its id and its English name."""
    if title_key is None:
        title_key = key(data["title"]["text"]) if data.get("title") else ""
    if body_key is None:
        body_key = key("\n".join(b["text"] for b in data.get("blocks", [])))
    names = []
    for entity in data.get("entities", []):
        names.append(entity_index_words(entity["id"]))
        if entity.get("name_en"):
            names.append(entity["name_en"].casefold())
    return title_key, body_key, " ; ".join(names)


def _folder_outlet(page: Page) -> str | None:
    group = group_of(page)
    kind, _, name = group.partition(":")
    if kind == "host":
        return name
    if kind == "folder":
        return PurePosixPath(name).name or None
    return name or None


def _real(value: object) -> float | None:
    """A claim's value for the REAL column: SQLite integers stop at 2**63, and a page can say
    "60 ارب ارب" (6e19), so numbers go in as floats."""
    if value is None:
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None

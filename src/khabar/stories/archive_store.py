"""The story clusterer kept in the archive: :class:`ArchiveStoryStore`, and the query tables.

:class:`ArchiveStoryStore` is a :class:`khabar.stories.store.StoryStore` over the archive's
``story_*`` tables (schema migration 2):

* ``story_events``: one row per live event: its members, dates and centroids (a JSON head and
  the weights as float64, exact), apart from them its caches (centroid lengths, index and
  salient features; JSON), the root of its thread, its first date and a ``changed`` flag for
  the query tables. Only a bounded LRU cache of events is in memory (``cache_events``);
  changed ones are written at :meth:`~ArchiveStoryStore.flush` and when they leave the cache
  (only the caches when nothing else changed);
* ``story_docs``: article -> event;
* ``story_event_postings`` and ``story_thread_postings``: the inverted indexes, one row per
  (feature, week or month, event), read with one query per article; a posting found longer
  than the cap is dropped and remembered in ``story_full_postings`` (it would never be counted
  again);
* ``story_df``: document frequencies and the IDF values cached from them; held in memory (the
  vocabulary grows far slower than the corpus) and written for the features changed since the
  last flush;
* ``story_thread_parents``, and the ``clusterer`` key/value table for the settings and
  counters.

Everything is written in the caller's transaction, so the ingest writer flushes before each
commit and a crash never separates articles from their clustering. Caches (centroid lengths,
index features, IDF values) are stored with what they were computed from: a clustering flushed
and loaded again, or whose events went through the cache, goes on exactly as one that stayed in
memory.

The ``events``, ``threads`` and ``article_events`` tables (read by ``khabar stories``, the web
reader and export) are brought up to date by :func:`update_stories` for only the events marked
changed and the threads they are in; an archive written by khabar before the tables existed (a
whole-state JSON row in ``clusterer``) is converted when the clusterer is first loaded.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import sys
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

from khabar.stories.cluster import Clusterer, Event, Thread
from khabar.stories.store import (
    EVENT_INDEX,
    THREAD_INDEX,
    UNDATED,
    EventState,
    Numbering,
    Ranges,
    TextCentroids,
    thread_order,
)
from khabar.stories.vectors import DocFrequencies

__all__ = ["DEFAULT_CACHE_EVENTS", "ArchiveStoryStore", "load_clusterer", "stories",
           "update_stories", "write_stories"]

#: Events kept in memory by default: about 13 MB (an event of one or two articles is ~26 kB in
#: memory, its centroids holding a few hundred terms). Articles coming in date order find
#: nearly all their candidate events in it; a bigger cache only pays for shuffled dates.
DEFAULT_CACHE_EVENTS = 512

_LEGACY = "state"  # the whole state as one JSON row (khabar before schema version 2)
_SETTINGS = "settings"
_COUNTERS = "counters"
_REWRITE = "rewrite"  # the query tables are to be rewritten whole (after a conversion)
_TERMS, _ENTITIES = 0, 1
_GONE_EVENT, _GONE_THREAD = 0, 1
_CHUNK = 500
_SWAP = sys.byteorder != "little"  # weights are stored little-endian
_POSTINGS = {EVENT_INDEX: ("story_event_postings", "week"),
             THREAD_INDEX: ("story_thread_postings", "month")}


class _TrackedFrequencies(DocFrequencies):
    """:class:`DocFrequencies` that know what changed since they were last written: the
    counts, and the IDF values cached since (a reload then caches exactly the same values).

    A cached value is written with the cache's epoch (the corpus size when the whole cache was
    last dropped) and is valid while the epoch is the same. ``idf`` is not overridden (it is
    the clusterer's hottest call): new cache entries are found when writing, as the keys not
    written before; an entry only changes value after its count changed, which ``add`` notes.
    """

    __slots__ = ("_written", "_written_epoch", "changed")

    def __init__(self, n: int = 0, df: dict[str, int] | None = None) -> None:
        super().__init__(n, df)
        self.changed: set[str] = set()  # counts changed since written
        self._written: set[str] = set()  # cache keys as written (in _written_epoch)
        self._written_epoch = self._cache_n

    @property
    def epoch(self) -> int:
        return self._cache_n

    def add(self, features: Iterable[str]) -> None:
        features = set(features)
        super().add(features)
        self.changed.update(features)

    def rows(self, kind: int) -> list[tuple[int, str, int, float | None, int | None]]:
        """The ``story_df`` rows of what changed since the last call."""
        cache, df, epoch = self._cache, self.df, self._cache_n
        if epoch != self._written_epoch:  # the cache was dropped: every entry is new
            self._written = set()
        todo = self.changed | (cache.keys() - self._written)
        rows = []
        for f in todo:
            value = cache.get(f)
            rows.append((kind, f, df.get(f, 0), value, epoch if value is not None else None))
        self.changed = set()
        self._written = set(cache)
        self._written_epoch = epoch
        return rows

    @classmethod
    def restored(cls, n: int, epoch: int, rows: Iterable[tuple[str, int, float | None,
                                                               int | None]]
                 ) -> _TrackedFrequencies:
        out = cls(n)
        out._cache_n = epoch
        df, cache = out.df, out._cache
        for feature, count, value, written_in in rows:
            if count:
                df[feature] = count
            if value is not None and written_in == epoch:  # cached since the last drop
                cache[feature] = value
        out._written = set(cache)
        out._written_epoch = epoch
        return out


class ArchiveStoryStore(Numbering):
    """A :class:`khabar.stories.store.StoryStore` in an archive's SQLite tables (see the
    module docstring). ``cache_events``: how many events stay in memory.

    Writes go through ``conn`` in whatever transaction is open; call :meth:`flush` (or
    :meth:`khabar.stories.Clusterer.flush`) before committing.
    """

    def __init__(self, conn: sqlite3.Connection, cache_events: int = DEFAULT_CACHE_EVENTS
                 ) -> None:
        self.conn = conn
        self.cache_events = max(1, cache_events)
        self._cache: OrderedDict[int, EventState] = OrderedDict()
        self._dirty: dict[int, bool] = {}  # event -> changed beyond its caches
        self._full: tuple[set[tuple[int, str]], set[tuple[int, str]]] = (set(), set())
        self._load()
        legacy = conn.execute("SELECT value FROM clusterer WHERE key = ?", (_LEGACY,)).fetchone()
        if legacy is not None:
            self._convert(json.loads(legacy[0]))

    # ----------------------------------------------------------------------- loading

    def _rows(self, sql: str, args: Iterable[Any] = ()) -> sqlite3.Cursor:
        """``sql``'s rows as plain tuples (the archive's connection makes sqlite3.Row objects,
        slower to make and to unpack on the hot paths)."""
        cursor = self.conn.cursor()
        cursor.row_factory = None
        return cursor.execute(sql, tuple(args))

    def _meta(self, key: str) -> Any:
        row = self.conn.execute("SELECT value FROM clusterer WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def _set_meta(self, key: str, value: Any) -> None:
        self.conn.execute("INSERT OR REPLACE INTO clusterer(key, value) VALUES (?, ?)",
                          (key, json.dumps(value, separators=(",", ":"))))

    def _load(self) -> None:
        conn = self.conn
        self._settings: dict[str, Any] | None = self._meta(_SETTINGS)
        counters = self._meta(_COUNTERS) or {"event": 1, "thread": 1, "terms": [0, 0],
                                             "entities": [0, 0]}
        self._next_event, self._next_thread = counters["event"], counters["thread"]
        freqs = []
        for kind, name in ((_TERMS, "terms"), (_ENTITIES, "entities")):
            n, epoch = counters[name]
            rows = self._rows("SELECT feature, df, idf, epoch FROM story_df WHERE kind = ?",
                              (kind,))
            freqs.append(_TrackedFrequencies.restored(n, epoch, rows))
        self.text_df, self.entity_df = freqs
        self._written_counters = counters
        self._parent = dict(conn.execute("SELECT thread, parent FROM story_thread_parents"))
        live = conn.execute("SELECT count(*) FROM story_events").fetchone()[0]
        self._merged = self._next_event - 1 - live  # events merged into others
        for kind, bucket, feature in conn.execute(
                "SELECT kind, bucket, feature FROM story_full_postings"):
            self._full[kind].add((bucket, feature))

    def _convert(self, state: dict[str, Any]) -> None:
        """Bring a whole-state JSON row (khabar before schema version 2) into the tables, as
        :meth:`Clusterer.from_state` would load it, and drop it; the query tables are then
        rewritten whole at the next :func:`update_stories`."""
        self.conn.execute("SAVEPOINT story_legacy")
        try:
            Clusterer.from_state(state, store=self)
            self.flush()
            live = self.conn.execute("SELECT count(*) FROM story_events").fetchone()[0]
            self._merged = self._next_event - 1 - live
            self.conn.execute("DELETE FROM clusterer WHERE key = ?", (_LEGACY,))
            self._set_meta(_REWRITE, True)
        except BaseException:
            self.conn.execute("ROLLBACK TO story_legacy")
            self.conn.execute("RELEASE story_legacy")
            raise
        self.conn.execute("RELEASE story_legacy")

    # ----------------------------------------------------------------------- settings, counters

    def load_settings(self) -> dict[str, Any] | None:
        return self._settings

    def save_settings(self, settings: dict[str, Any]) -> None:
        self._settings = dict(settings)
        self._set_meta(_SETTINGS, self._settings)

    def restore(self, text_df: DocFrequencies, entity_df: DocFrequencies, next_event: int,
                next_thread: int, thread_parents: dict[int, int]) -> None:
        # As DocFrequencies.from_dict makes them: counts only, nothing cached yet.
        self.text_df = _TrackedFrequencies(text_df.n, dict(text_df.df))
        self.entity_df = _TrackedFrequencies(entity_df.n, dict(entity_df.df))
        for freqs in (self.text_df, self.entity_df):
            freqs.changed.update(freqs.df)
        self._next_event, self._next_thread = next_event, next_thread
        # How many events were merged away is not in a state: assume all (a bound for
        # _may_be_over; exact again when the store is loaded next).
        self._merged = next_event - 1
        for thread, parent in thread_parents.items():
            self._parent[thread] = parent
        self.conn.executemany("INSERT OR REPLACE INTO story_thread_parents(thread, parent) "
                              "VALUES (?, ?)", thread_parents.items())

    # ----------------------------------------------------------------------- threads

    def union(self, gone: int, keep: int) -> None:
        self._parent[gone] = keep
        conn = self.conn
        conn.execute("INSERT OR REPLACE INTO story_thread_parents(thread, parent) VALUES (?, ?)",
                     (gone, keep))
        # Events written under the gone thread move (and their query rows are to be redone);
        # those still held back are written with their new root.
        conn.execute("UPDATE story_events SET root = ?, changed = 1 WHERE root = ?", (keep, gone))
        conn.execute("INSERT OR IGNORE INTO story_gone(kind, id) VALUES (?, ?)",
                     (_GONE_THREAD, gone))

    def thread_parents(self) -> dict[int, int]:
        return dict(self._parent)

    # ----------------------------------------------------------------------- documents

    def event_of_doc(self, doc_id: str) -> int | None:
        row = self._rows("SELECT event FROM story_docs WHERE doc = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def assign(self, doc_ids: Iterable[str], number: int) -> None:
        self.conn.executemany("INSERT OR REPLACE INTO story_docs(doc, event) VALUES (?, ?)",
                              [(doc_id, number) for doc_id in doc_ids])

    def doc_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM story_docs").fetchone()[0]

    # ----------------------------------------------------------------------- events

    def live_events(self, numbers: list[int]) -> list[EventState]:
        cache = self._cache
        missing = [n for n in numbers if n not in cache]
        for i in range(0, len(missing), _CHUNK):
            chunk = missing[i:i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for number, data, caches in self._rows(
                    f"SELECT number, data, caches FROM story_events WHERE number IN ({marks})",
                    chunk):
                cache[number] = _decode(number, data, caches)
        out = []
        for n in numbers:
            ev = cache.get(n)
            if ev is not None:  # else merged into another event
                cache.move_to_end(n)
                out.append(ev)
        return out

    def add_event(self, ev: EventState) -> None:
        self._cache[ev.number] = ev
        self._dirty[ev.number] = True

    def changed(self, ev: EventState, *, caches_only: bool = False) -> None:
        if ev.number in self._cache:
            if not caches_only:
                self._dirty[ev.number] = True
            elif ev.number not in self._dirty:
                self._dirty[ev.number] = False

    def remove_event(self, number: int) -> None:
        self._merged += 1
        self._cache.pop(number, None)
        self._dirty.pop(number, None)
        self.conn.execute("DELETE FROM story_events WHERE number = ?", (number,))
        self.conn.execute("INSERT OR IGNORE INTO story_gone(kind, id) VALUES (?, ?)",
                          (_GONE_EVENT, number))

    def _events_from(self, rows: Iterable[tuple[int, bytes, str]]) -> Iterator[EventState]:
        cache = self._cache
        for number, data, caches in rows:
            ev = cache.get(number)
            yield ev if ev is not None else _decode(number, data, caches)

    def iter_events(self) -> Iterator[EventState]:
        self.flush()
        yield from self._events_from(self._rows(
            "SELECT number, data, caches FROM story_events ORDER BY number"))

    def iter_threads(self) -> Iterator[tuple[int, Iterator[EventState]]]:
        self.flush()
        rows = self._rows("SELECT root, number, data, caches FROM story_events "
                          "ORDER BY root, first, number")
        for root, group in itertools.groupby(rows, key=lambda r: r[0]):
            yield root, self._events_from(row[1:] for row in group)

    def thread_events(self, root: int) -> Iterator[EventState]:
        """The events of the thread ``root`` in thread order, as written at the last flush
        (streamed: a thread may have thousands of events)."""
        return self._events_from(self._rows(
            "SELECT number, data, caches FROM story_events WHERE root = ? "
            "ORDER BY first, number",
            (root,)))

    # ----------------------------------------------------------------------- postings

    def add_postings(self, index: int, number: int, buckets: Iterable[int],
                     features: Iterable[str]) -> None:
        full = self._full[index]
        features = list(features)
        rows = [(f, b, number) for b in buckets for f in features]
        if full:
            rows = [r for r in rows if (r[1], r[0]) not in full]
        table, column = _POSTINGS[index]
        self.conn.executemany(f"INSERT OR IGNORE INTO {table}(feature, {column}, event) "
                              "VALUES (?, ?, ?)", rows)

    def shared(self, index: int, ranges: Ranges, features: Iterable[str],
               cap: int) -> Counter[int]:
        features = list(features)
        out: Counter[int] = Counter()
        if not features:
            return out
        table, column = _POSTINGS[index]
        where = f"FROM {table} WHERE feature IN ({','.join('?' * len(features))})"
        parts: list[tuple[str, list[Any]]] = [(where, features)]
        if ranges is not None:
            parts = [(f"{where} AND {column} BETWEEN ? AND ?", [*features, low, high])
                     for low, high in [*ranges, (UNDATED, UNDATED)]]
        if self._may_be_over(features, cap):
            # Postings grown over the cap (a feature too common to discriminate there) are
            # dropped for good: they would never be counted again.
            over = [(f"SELECT feature, {column} {sql} GROUP BY feature, {column} "
                     "HAVING count(*) > ?", [*args, cap]) for sql, args in parts]
            for feature, bucket in self._rows(*_union(over)).fetchall():
                self._drop_posting(index, bucket, feature)
        events = [(f"SELECT event {sql}", args) for sql, args in parts]
        out.update(event for (event,) in self._rows(*_union(events)))
        return out

    def _may_be_over(self, features: list[str], cap: int) -> bool:
        """Whether a posting of one of ``features`` can hold more than ``cap`` events. Each
        event in a posting of a feature had an article with it when it was put there, so a
        posting holds at most the feature's document frequency plus the events merged since
        (whose articles count again in the event they went to): most features are far from
        the cap, and their postings need no counting."""
        slack = cap - self._merged
        text, entities = self.text_df.df, self.entity_df.df
        return any(text.get(f, 0) + entities.get(f, 0) > slack for f in features)

    def _drop_posting(self, index: int, bucket: int, feature: str) -> None:
        if (bucket, feature) in self._full[index]:
            return
        self._full[index].add((bucket, feature))
        table, column = _POSTINGS[index]
        self.conn.execute("INSERT OR IGNORE INTO story_full_postings(kind, bucket, feature) "
                          "VALUES (?, ?, ?)", (index, bucket, feature))
        self.conn.execute(f"DELETE FROM {table} WHERE feature = ? AND {column} = ?",
                          (feature, bucket))

    # ----------------------------------------------------------------------- writing

    def release(self) -> None:
        cache = self._cache
        if len(cache) <= self.cache_events:
            return
        evicted = []
        while len(cache) > self.cache_events:
            number, ev = cache.popitem(last=False)
            content = self._dirty.pop(number, None)
            if content is not None:
                evicted.append((ev, content))
        self._write_events(evicted)

    def _write_events(self, events: list[tuple[EventState, bool]]) -> None:
        """Write events out: whole when more than their caches changed (and flagged for the
        query tables), else only their caches."""
        whole = [(ev.number, self.find(ev.thread), thread_order(ev)[0], _encode(ev),
                  _encode_caches(ev)) for ev, content in events if content]
        if whole:
            self.conn.executemany(
                "INSERT INTO story_events(number, root, first, changed, data, caches) "
                "VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT(number) DO UPDATE SET "
                "root = excluded.root, first = excluded.first, changed = 1, "
                "data = excluded.data, caches = excluded.caches", whole)
        caches = [(_encode_caches(ev), ev.number) for ev, content in events if not content]
        if caches:
            self.conn.executemany("UPDATE story_events SET caches = ? WHERE number = ?", caches)

    def flush(self) -> None:
        cache = self._cache
        self._write_events([(cache[n], content) for n, content in sorted(self._dirty.items())])
        self._dirty.clear()
        rows = self.text_df.rows(_TERMS) + self.entity_df.rows(_ENTITIES)
        if rows:
            self.conn.executemany("INSERT OR REPLACE INTO story_df(kind, feature, df, idf, "
                                  "epoch) VALUES (?, ?, ?, ?, ?)", rows)
        counters = {"event": self._next_event, "thread": self._next_thread,
                    "terms": [self.text_df.n, self.text_df.epoch],
                    "entities": [self.entity_df.n, self.entity_df.epoch]}
        if counters != self._written_counters:
            self._set_meta(_COUNTERS, counters)
            self._written_counters = counters


def _union(selects: list[tuple[str, list[Any]]]) -> tuple[str, list[Any]]:
    """One statement (and its arguments) of SELECTs put together with UNION ALL."""
    return (" UNION ALL ".join(sql for sql, _ in selects),
            [arg for _, args in selects for arg in args])


def _encode(ev: EventState) -> bytes:
    """An event (but its caches) as bytes: a JSON head (members, dates, counts and the keys of
    the centroids) and the centroids' weights as float64, exact. Dict orders are kept, so sums
    over a centroid are made in the same order after a reload."""
    vectors = [ev.entities]
    for text in ev.text.values():
        vectors += (text.title, text.body)
    weights = array("d", [w for vector in vectors for w in vector.values()])
    if _SWAP:
        weights.byteswap()
    head = json.dumps(
        [ev.docs, list(ev.days.items()), ev.undated, ev.thread,
         [[lang, text.n] for lang, text in ev.text.items()], list(ev.outlets.items()),
         [list(vector) for vector in vectors]],
        ensure_ascii=False, separators=(",", ":")).encode()
    return len(head).to_bytes(4, "little") + head + weights.tobytes()


def _encode_caches(ev: EventState) -> str:
    """What is computed from an event (centroid lengths, index and salient features)."""
    return json.dumps(
        [[[channel, lang, n, norm] for (channel, lang), (n, norm) in ev.norms.items()],
         [[name, list(features)] for name, features in ev.features.items()]],
        ensure_ascii=False, separators=(",", ":"))


def _decode(number: int, data: bytes, caches: str) -> EventState:
    size = int.from_bytes(data[:4], "little")
    docs, days, undated, thread, texts, outlets, keys = json.loads(data[4:4 + size])
    norms, features = json.loads(caches)
    weights = array("d")
    weights.frombytes(data[4 + size:])
    if _SWAP:
        weights.byteswap()
    vectors, at = [], 0
    for names in keys:
        vectors.append(dict(zip(names, weights[at:at + len(names)], strict=True)))
        at += len(names)
    return EventState(
        number=number, docs=docs, days=Counter(dict(days)), undated=undated,
        text={lang: TextCentroids(n, vectors[1 + 2 * i], vectors[2 + 2 * i])
              for i, (lang, n) in enumerate(texts)},
        entities=vectors[0], outlets=Counter(dict(outlets)), thread=thread,
        norms={(channel, lang): (n, norm) for channel, lang, n, norm in norms},
        features={name: set(values) for name, values in features})


# --------------------------------------------------------------------------- the archive


def load_clusterer(conn: sqlite3.Connection, cache_events: int = DEFAULT_CACHE_EVENTS
                   ) -> Clusterer:
    """The archive's clusterer (converting an old whole-state row on the way)."""
    return Clusterer(store=ArchiveStoryStore(conn, cache_events))


def _write_event_row(conn: sqlite3.Connection, event: Event) -> None:
    docs = list(event.docs[:500])  # the title comes from the first articles
    marks = ",".join("?" * len(docs))
    titles = conn.execute(
        f"SELECT title FROM articles WHERE id IN ({marks}) AND title IS NOT NULL "
        "ORDER BY (language = 'ur') DESC, published, rowid LIMIT 1", docs).fetchone()
    state = event.to_dict()
    conn.execute("INSERT OR REPLACE INTO events(id, thread, title, first, last, state) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 (event.id, event.thread_id, titles[0] if titles else None,
                  state["first"], state["last"], json.dumps(state, ensure_ascii=False)))
    conn.executemany("INSERT OR REPLACE INTO article_events(article, event) VALUES (?, ?)",
                     [(doc, event.id) for doc in event.docs])


def _write_thread_row(conn: sqlite3.Connection, thread: Thread) -> None:
    first_event = thread.events[0] if thread.events else None
    title = conn.execute("SELECT title FROM events WHERE id = ?",
                         (first_event,)).fetchone() if first_event else None
    conn.execute("INSERT OR REPLACE INTO threads(id, title, state) VALUES (?, ?, ?)",
                 (thread.id, title[0] if title else None,
                  json.dumps(thread.to_dict(), ensure_ascii=False)))


def write_stories(conn: sqlite3.Connection, clusterer: Clusterer) -> None:
    """Rewrite the events, threads and article_events tables from the clusterer (any store;
    with an archive store prefer :func:`update_stories`)."""
    conn.execute("DELETE FROM article_events")
    conn.execute("DELETE FROM events")
    conn.execute("DELETE FROM threads")
    for event in clusterer.iter_events():
        _write_event_row(conn, event)
    for thread in clusterer.iter_threads():
        _write_thread_row(conn, thread)


def update_stories(conn: sqlite3.Connection, clusterer: Clusterer) -> None:
    """Bring the events, threads and article_events tables up to date with an archive
    clusterer: rows of merged-away events and threads are deleted, the events changed since
    the last update (joined, merged, moved to another thread) and the threads they are in are
    written again. After a conversion from an old archive everything is rewritten once.

    Rows of events that did not change are left as they are: their ``entities`` and ``terms``
    (the top features by TF-IDF) are those of when the event last changed. The clusterer is
    flushed first and not after: IDF values cached while the rows are made are not written, so
    the next run goes on from the state the last article left.
    """
    store = clusterer.store
    if not isinstance(store, ArchiveStoryStore):
        raise TypeError("update_stories needs a clusterer over an ArchiveStoryStore")
    store.flush()
    if store._meta(_REWRITE):
        for table in ("article_events", "events", "threads"):
            conn.execute(f"DELETE FROM {table}")
        which = ""
    else:
        for kind, number in conn.execute("SELECT kind, id FROM story_gone").fetchall():
            if kind == _GONE_EVENT:
                conn.execute("DELETE FROM article_events WHERE event = ?", (f"e{number}",))
                conn.execute("DELETE FROM events WHERE id = ?", (f"e{number}",))
            else:
                conn.execute("DELETE FROM threads WHERE id = ?", (f"t{number}",))
        which = "WHERE changed = 1"
    for ev in store._events_from(store._rows(
            f"SELECT number, data, caches FROM story_events {which} ORDER BY number")):
        _write_event_row(conn, clusterer.event_row(ev))
    # Thread rows after the event rows: a thread's title is its first event's.
    for (root,) in conn.execute(f"SELECT DISTINCT root FROM story_events {which} ORDER BY root"):
        _write_thread_row(conn, clusterer.thread_row(root, store.thread_events(root),
                                                     ordered=True))
    conn.execute("UPDATE story_events SET changed = 0 WHERE changed = 1")
    conn.execute("DELETE FROM story_gone")
    conn.execute("DELETE FROM clusterer WHERE key = ?", (_REWRITE,))


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

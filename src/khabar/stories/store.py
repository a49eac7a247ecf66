"""Where a :class:`khabar.stories.Clusterer` keeps its state: the :class:`StoryStore` protocol.

The clusterer holds the logic; a store holds

* the events (:class:`EventState`: members, dates, centroids and the caches computed from
  them), looked up by number;
* the document -> event map;
* two inverted indexes of event numbers: :data:`EVENT_INDEX` keyed by (week, feature) and
  :data:`THREAD_INDEX` keyed by (month, feature); a posting longer than the cap a look-up
  passes is not counted (a feature too common to discriminate);
* the thread union-find, the next event and thread numbers, the settings and the document
  frequencies (:class:`khabar.stories.vectors.DocFrequencies`, one for terms and one for
  entity ids, used in place by the clusterer).

:class:`MemoryStoryStore` keeps all of it in dicts (the default, and what
:meth:`Clusterer.to_state` serialises); :class:`khabar.stories.archive_store.ArchiveStoryStore`
keeps it in the archive's SQLite tables with a bounded cache of events.

Events are mutable: the clusterer changes them in place and tells the store with
:meth:`StoryStore.changed`. An event the store hands out stays the same object until
:meth:`StoryStore.release` (the end of one :meth:`Clusterer.add`), so a store that evicts
events from a cache does so only there.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from khabar.stories.vectors import DocFrequencies

__all__ = ["EVENT_INDEX", "THREAD_INDEX", "UNDATED", "EventState", "MemoryStoryStore", "Numbering",
           "Ranges", "StoryStore", "TextCentroids", "find_root", "month_of", "thread_order"]

UNDATED = -1  # bucket of undated articles and events in the inverted indexes
EVENT_INDEX, THREAD_INDEX = 0, 1

#: Buckets to look in, as inclusive (low, high) ranges; None is every bucket. The
#: :data:`UNDATED` bucket is always looked in as well.
Ranges = list[tuple[int, int]] | None


def month_of(day: int) -> int:
    """The month bucket of a date ordinal."""
    d = dt.date.fromordinal(day)
    return d.year * 12 + d.month - 1


@dataclass(slots=True)
class TextCentroids:
    """An event's text centroids in one language."""

    n: int = 0
    title: dict[str, float] = field(default_factory=dict)
    body: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class EventState:
    """One event as the clusterer works on it.

    ``norms`` (IDF lengths of the centroids) and ``features`` (index and salient features)
    are caches computed from the document frequencies of the moment; a store that writes an
    event out keeps them, so that an event read back scores exactly as if it had stayed in
    memory."""

    number: int
    docs: list[str] = field(default_factory=list)
    days: Counter[int] = field(default_factory=Counter)  # date ordinal -> articles
    undated: int = 0
    text: dict[str, TextCentroids] = field(default_factory=dict)
    entities: dict[str, float] = field(default_factory=dict)
    outlets: Counter[str] = field(default_factory=Counter)
    thread: int = 0
    norms: dict[tuple[str, str], tuple[int, float]] = field(default_factory=dict)
    features: dict[str, set[str]] = field(default_factory=dict)  # cached until the event grows

    @property
    def id(self) -> str:
        return f"e{self.number}"

    def weeks(self) -> set[int]:
        out = {day // 7 for day in self.days}
        if self.undated or not self.days:
            out.add(UNDATED)
        return out

    def months(self) -> set[int]:
        out = {month_of(day) for day in self.days}
        if self.undated or not self.days:
            out.add(UNDATED)
        return out

    def to_state(self) -> dict[str, Any]:
        """The event in :meth:`Clusterer.to_state`'s JSON (centroids rounded, no caches)."""
        return {
            "id": self.id, "docs": list(self.docs),
            "days": {dt.date.fromordinal(d).isoformat(): n for d, n in sorted(self.days.items())},
            "undated": self.undated,
            "text": {lang: {"n": t.n, "title": _rounded(t.title), "body": _rounded(t.body)}
                     for lang, t in sorted(self.text.items())},
            "entities": _rounded(self.entities), "outlets": dict(self.outlets),
            "thread": f"t{self.thread}",
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> EventState:
        return cls(
            number=int(data["id"][1:]), docs=list(data["docs"]),
            days=Counter({dt.date.fromisoformat(d).toordinal(): int(n)
                          for d, n in data["days"].items()}),
            undated=int(data["undated"]),
            text={lang: TextCentroids(int(t["n"]), dict(t["title"]), dict(t["body"]))
                  for lang, t in data["text"].items()},
            entities=dict(data["entities"]), outlets=Counter(data["outlets"]),
            thread=int(data["thread"][1:]),
        )


def thread_order(ev: EventState) -> tuple[int, int]:
    """The order of events in a thread: by first date (undated ones first), then number."""
    return (min(ev.days) if ev.days else 0), ev.number


def _rounded(vector: dict[str, float]) -> dict[str, float]:
    """A centroid for the JSON state: 5 decimals are plenty and keep the JSON small."""
    return {t: round(w, 5) for t, w in vector.items()}


class StoryStore(Protocol):
    """Where a :class:`khabar.stories.Clusterer` keeps its events, indexes and counters."""

    text_df: DocFrequencies
    entity_df: DocFrequencies

    # --- settings and counters
    def load_settings(self) -> dict[str, Any] | None:
        """The settings the stored clustering was made with (None when the store is new)."""
        ...

    def save_settings(self, settings: dict[str, Any]) -> None: ...

    def restore(self, text_df: DocFrequencies, entity_df: DocFrequencies, next_event: int,
                next_thread: int, thread_parents: dict[int, int]) -> None:
        """Start from these frequencies and counters (an empty store, from a JSON state)."""
        ...

    def counters(self) -> tuple[int, int]:
        """The next event and thread numbers."""
        ...

    def new_event_number(self) -> int: ...

    def new_thread_number(self) -> int: ...

    # --- threads (union-find)
    def find(self, thread: int) -> int:
        """The root of ``thread``: the number of the thread it is part of now."""
        ...

    def union(self, gone: int, keep: int) -> None:
        """Make the root ``gone`` part of the root ``keep``."""
        ...

    def thread_parents(self) -> dict[int, int]:
        """The union-find links (thread -> parent; roots are absent)."""
        ...

    # --- documents
    def event_of_doc(self, doc_id: str) -> int | None: ...

    def assign(self, doc_ids: Iterable[str], number: int) -> None:
        """Record that these documents are in event ``number`` (now)."""
        ...

    def doc_count(self) -> int: ...

    # --- events
    def live_events(self, numbers: list[int]) -> list[EventState]:
        """The events of ``numbers`` that exist (an event merged into another is gone), in
        the order given."""
        ...

    def add_event(self, ev: EventState) -> None: ...

    def changed(self, ev: EventState, *, caches_only: bool = False) -> None:
        """``ev`` (handed out by this store) was changed in place; with ``caches_only``, only
        its ``norms`` or ``features`` (what it is about and who is in it are the same)."""
        ...

    def remove_event(self, number: int) -> None: ...

    def iter_events(self) -> Iterator[EventState]:
        """Every event, by number (the order they were opened)."""
        ...

    def iter_threads(self) -> Iterator[tuple[int, Iterator[EventState]]]:
        """(root, its events in :func:`thread_order`) for every thread, by root; each
        thread's events are to be read before the next thread is asked for."""
        ...

    # --- inverted indexes
    def add_postings(self, index: int, number: int, buckets: Iterable[int],
                     features: Iterable[str]) -> None:
        """Put event ``number`` under every (bucket, feature) of ``index``."""
        ...

    def shared(self, index: int, ranges: Ranges, features: Iterable[str],
               cap: int) -> Counter[int]:
        """Event number -> how many (bucket, feature) postings of ``index`` hold it, over the
        buckets of ``ranges`` and :data:`UNDATED` and the given features, leaving out
        postings of more than ``cap`` events."""
        ...

    # --- lifecycle
    def release(self) -> None:
        """The end of one article: events handed out before may now be let go."""
        ...

    def flush(self) -> None:
        """Write out everything changed (a no-op for a store in memory)."""
        ...


class Numbering:
    """The id counters and the thread union-find both stores keep in memory (the archive store
    also writes them through)."""

    _next_event: int
    _next_thread: int
    _parent: dict[int, int]

    def counters(self) -> tuple[int, int]:
        return self._next_event, self._next_thread

    def new_event_number(self) -> int:
        self._next_event += 1
        return self._next_event - 1

    def new_thread_number(self) -> int:
        self._next_thread += 1
        return self._next_thread - 1

    def find(self, thread: int) -> int:
        return find_root(self._parent, thread)


class MemoryStoryStore(Numbering):
    """A :class:`StoryStore` in dicts: everything stays in memory."""

    def __init__(self) -> None:
        self.text_df = DocFrequencies()
        self.entity_df = DocFrequencies()
        self._settings: dict[str, Any] | None = None
        self._events: dict[int, EventState] = {}
        self._doc_event: dict[str, int] = {}
        self._parent: dict[int, int] = {}  # union-find; roots are absent
        self._next_event = 1
        self._next_thread = 1
        self._index: tuple[dict[tuple[int, str], set[int]], ...] = ({}, {})
        self._buckets: tuple[set[int], ...] = (set(), set())  # dated buckets in each index

    # --- settings and counters

    def load_settings(self) -> dict[str, Any] | None:
        return self._settings

    def save_settings(self, settings: dict[str, Any]) -> None:
        self._settings = dict(settings)

    def restore(self, text_df: DocFrequencies, entity_df: DocFrequencies, next_event: int,
                next_thread: int, thread_parents: dict[int, int]) -> None:
        self.text_df, self.entity_df = text_df, entity_df
        self._next_event, self._next_thread = next_event, next_thread
        self._parent = dict(thread_parents)

    # --- threads

    def union(self, gone: int, keep: int) -> None:
        self._parent[gone] = keep

    def thread_parents(self) -> dict[int, int]:
        return dict(self._parent)

    # --- documents

    def event_of_doc(self, doc_id: str) -> int | None:
        return self._doc_event.get(doc_id)

    def assign(self, doc_ids: Iterable[str], number: int) -> None:
        for doc_id in doc_ids:
            self._doc_event[doc_id] = number

    def doc_count(self) -> int:
        return len(self._doc_event)

    # --- events

    def live_events(self, numbers: list[int]) -> list[EventState]:
        events = self._events
        return [events[n] for n in numbers if n in events]

    def add_event(self, ev: EventState) -> None:
        self._events[ev.number] = ev

    def changed(self, ev: EventState, *, caches_only: bool = False) -> None:
        pass  # the event is the stored one

    def remove_event(self, number: int) -> None:
        del self._events[number]

    def iter_events(self) -> Iterator[EventState]:
        yield from list(self._events.values())

    def iter_threads(self) -> Iterator[tuple[int, Iterator[EventState]]]:
        groups: dict[int, list[EventState]] = {}
        for ev in self._events.values():
            groups.setdefault(self.find(ev.thread), []).append(ev)
        for root in sorted(groups):
            yield root, iter(sorted(groups[root], key=thread_order))

    # --- inverted indexes

    def add_postings(self, index: int, number: int, buckets: Iterable[int],
                     features: Iterable[str]) -> None:
        table, known = self._index[index], self._buckets[index]
        features = list(features)
        for bucket in buckets:
            if bucket != UNDATED:
                known.add(bucket)
            for feature in features:
                table.setdefault((bucket, feature), set()).add(number)

    def shared(self, index: int, ranges: Ranges, features: Iterable[str],
               cap: int) -> Counter[int]:
        table = self._index[index]
        if ranges is None:
            buckets: Iterable[int] = self._buckets[index]
        else:
            buckets = [b for low, high in ranges for b in range(low, high + 1)]
        features = list(features)
        out: Counter[int] = Counter()
        for bucket in (*buckets, UNDATED):
            for feature in features:
                posting = table.get((bucket, feature))
                if posting and len(posting) <= cap:
                    out.update(posting)
        return out

    # --- lifecycle

    def release(self) -> None:
        pass

    def flush(self) -> None:
        pass


def find_root(parent: dict[int, int], thread: int) -> int:
    """Union-find root of ``thread``, compressing the path (compression changes no root, so a
    store need not persist it)."""
    root = thread
    while root in parent:
        root = parent[root]
    while thread != root:
        parent[thread], thread = root, parent[thread]
    return root

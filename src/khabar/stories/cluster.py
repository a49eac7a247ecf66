"""Online clustering of articles into events, and linking of events into story threads.

**Events** (one happening, reported within a few days). As in streaming news clustering
(Miranda et al. 2018, "Multilingual clustering of streaming news"), each event keeps centroids
of three TF-IDF views of its articles (title terms, title+body terms, entity ids), and a new
article is compared with the events active around its date:

    score = kernel(days) * (0.25 cos(title) + 0.40 cos(title+body) + 0.35 cos(entities))

``kernel`` (:func:`time_kernel`) is a Gaussian in the days between the article and the nearest
dated article of the event: 1.0 on the same day, 0.5 at ``time_half_days`` (3), 0.02 at a week,
0 beyond ``event_window_days`` (10). An undated article, or an event with no dated article, gets
``undated_factor`` (0.45) instead: content alone decides and must be close (>= 0.51). Text
centroids are kept per language: an article in a language none of the event's articles is in
(a Persian or English report of an event covered in Urdu) is compared on the language-free
entity ids alone, times ``cross_language_factor``. The article joins the best event with
``score >= event_threshold``, or opens a new one. When it scores above the threshold with
further events that are also alike as wholes (:meth:`Clusterer._event_score`, centroid against
centroid), those events are merged into the oldest (``Assignment.merged_events``): an event
opened by a Persian page before any Urdu report arrived is not left alone, which is what makes
the result independent of the order of arrival. Nothing else is recomputed: the event's
centroids and dates and the document frequencies are updated in place.

**Threads** (one ongoing story over weeks or months). When an event is opened, at each of its
first 8 articles and then at 16, 32 ..., it is compared with the events of the surrounding
``thread_window_days`` (550) that share a salient entity or topic term:

    link = decay(gap) * (0.35 cos(entities) + 0.65 cos(title+body))

``decay`` (:func:`thread_decay`) is 1.0 for events up to ``thread_grace_days`` (30) apart and
then halves every ``thread_half_life_days`` (365); 0.8 when an event is undated. Topic weighs more
than entities: a monsoon season's floods in two provinces share words (سیلاب، بارش، ریلیف) but
few places, while two unrelated stories of one city share the city. A link at or above
``thread_threshold`` puts both events in one thread; threads are the connected components of
the links (union-find), so an event that links two threads merges them into the older one and
the :class:`Assignment` names the absorbed thread ids.

**Cost per article** is bounded: candidates come from inverted indexes keyed by (week, feature)
for events and (month, feature) for threads; a posting longer than ``posting_cap`` (a feature
too common to discriminate) is skipped, features in more than 5% of the articles are not
salient for threads, and at most ``max_candidates`` events (``max_thread_candidates`` for
threads) are scored. Centroids are pruned to ``max_centroid_terms``; IDF values and centroid
lengths are cached until the corpus has grown by 1% and 10%. An undated article looks in
every week (its cost grows with the span of the corpus in weeks, not with its size). Measured in
memory on 20,000 synthetic articles over two years: 3.5 ms per article for the first 5,000, 6 ms
for the last 5,000 (the thread index fills up to its caps).

**Storage**: the clusterer holds the logic; its state (events, the document -> event map, the
two inverted indexes, the thread union-find, counters and document frequencies) is in a
:class:`khabar.stories.store.StoryStore`. :class:`~khabar.stories.store.MemoryStoryStore` (the
default) keeps everything in dicts: memory grows with the corpus (every event's centroids,
tens of kB each, and every posting). :class:`khabar.stories.archive_store.ArchiveStoryStore`
keeps it in the archive's SQLite tables, written in the ingest transactions: events and the
indexes are read per article (a query per index, one for the events not in the cache), only
an LRU cache of events (512 by default) and the document frequencies are in memory. Caches computed from the data (centroid
lengths, index features, cached IDF values) are stored with it, so the clustering is exactly
the same whichever the store, cache size, or how often it is written out and loaded again. On
3,000 synthetic articles (StoryDocs of ``bench/archive.py``'s pages, CPU time, flushed every
200): 1.5 ms per article in memory, 2.1 ms with the archive store when articles come in date
order (1.4x; misses are mostly events of thread look-ups, months back), 4.6 ms against 1.7 ms
when their dates are shuffled over a year (2.7x: most candidates are not in the cache; 2,048
cached events bring it to 1.4x).

**State**: :meth:`Clusterer.to_state` is JSON (settings, document frequencies, events with
their centroids, the thread links), for a clustering in memory; :meth:`Clusterer.from_state`
rebuilds the indexes from it (into any empty store). :meth:`Clusterer.events` and
:meth:`Clusterer.threads` give row-shaped records (:meth:`Clusterer.iter_events` and
:meth:`Clusterer.iter_threads` stream them).
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from khabar.stories.doc import StoryDoc, entity_weights
from khabar.stories.store import (
    EVENT_INDEX,
    THREAD_INDEX,
    UNDATED,
    EventState,
    MemoryStoryStore,
    Ranges,
    StoryStore,
    TextCentroids,
    month_of,
    thread_order,
)
from khabar.stories.vectors import (
    DocFrequencies,
    add_into,
    cosine,
    idf_norm,
    prune,
    top_features,
    unit_tf,
)

__all__ = ["Assignment", "Clusterer", "Event", "Settings", "Thread", "thread_decay",
           "time_kernel"]

STATE_FORMAT = "khabar.stories/1"
SMALL_EVENT = 8  # thread links are looked for at each article up to this size


@dataclass(frozen=True, slots=True)
class Settings:
    """Weights and thresholds.

    The thresholds were chosen on the bundled sample corpus (9 multi-outlet events 1-3 days
    apart, 2 two-event threads, 6 single-outlet stories, a Persian and an English page), the two
    seed pages (one thread, two events 8 months apart, one of them undated) and the written
    contrasts of ``tests/test_stories.py`` (two matches of one team a week apart). Each was moved
    alone over a grid with the others at their defaults, every case checked in 20 shuffled
    orders, and set in the middle of the range where all cases are right:

    * ``event_threshold`` 0.23: right from 0.20 (below, the undated seed page joins the other
      seed's event) to 0.27 (above, the undated report of the IMF board approval no longer
      joins its event);
    * ``undated_factor`` 0.45: right from 0.40 (below, that undated IMF report is lost again)
      to 0.50 (above, the two seeds become one event);
    * ``thread_threshold`` 0.22: right from 0.18 (below, the Karachi water shortage and the
      Karachi heatwave, three months apart, become one thread) to 0.26 (above, the Punjab and
      the Khyber Pakhtunkhwa floods, and the two matches, are no longer one thread);
    * ``cross_language_factor`` 0.8: right from 0.6 up (below, the Persian and the English
      pages stay alone); kept under 1 because a few shared ids say less than shared words;
    * ``time_half_days`` 3: gold events are 1-3 days apart; anything from 2 to 5 fits the
      sample, 3 keeps a week-apart pair at a kernel of 0.02.

    The sample is small: on real news expect to revisit them with labelled pairs (the weights
    of the three views were not tuned; they follow the relative strength of the views).
    """

    # --- events
    event_threshold: float = 0.23
    title_weight: float = 0.25
    body_weight: float = 0.40
    entity_weight: float = 0.35
    time_half_days: float = 3.0  # the time kernel is 0.5 at this many days
    event_window_days: int = 10  # events further away are not compared at all
    undated_factor: float = 0.45  # kernel for an undated article or event
    cross_language_factor: float = 0.8  # entity-only comparison across languages
    # --- threads
    thread_threshold: float = 0.22
    thread_entity_weight: float = 0.35
    thread_topic_weight: float = 0.65
    thread_grace_days: int = 30  # no decay for events this close
    thread_half_life_days: float = 365.0
    thread_window_days: int = 550
    undated_thread_factor: float = 0.8
    # --- cost bounds
    max_candidates: int = 50  # events scored per article
    max_thread_candidates: int = 20  # events scored per thread look-up
    posting_cap: int = 2000
    max_centroid_terms: int = 300
    max_centroid_entities: int = 60
    index_entities: int = 15  # features of an event put in the event index
    index_terms: int = 12
    salient_entities: int = 6  # features of an event put in the thread index
    salient_terms: int = 6
    max_salient_share: float = 0.05  # a feature in more articles than this is not salient ...
    min_docs_for_share: int = 500  # ... once the corpus has this many articles

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def time_kernel(days: float, half_days: float = 3.0, window_days: float | None = None) -> float:
    """Weight of two dates ``days`` apart for being one event: a Gaussian, 1.0 at 0 days and
    0.5 at ``half_days``; 0.0 beyond ``window_days``."""
    days = abs(days)
    if window_days is not None and days > window_days:
        return 0.0
    return 2.0 ** (-((days / half_days) ** 2))


def thread_decay(days: float, grace_days: float = 30, half_life_days: float = 365.0,
                 window_days: float | None = None) -> float:
    """Weight of two events ``days`` apart for being one thread: 1.0 within ``grace_days``,
    then halving every ``half_life_days``; 0.0 beyond ``window_days``."""
    days = abs(days)
    if window_days is not None and days > window_days:
        return 0.0
    return 2.0 ** (-max(0.0, days - grace_days) / half_life_days)


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where :meth:`Clusterer.add` put an article.

    ``similarity`` is the score with the event joined, or (``new_event``) the best score of any
    candidate, which was below the threshold. ``merged_threads`` are thread ids that no longer
    exist because this article linked them into ``thread_id``: rows carrying them should be
    moved."""

    doc_id: str
    event_id: str
    thread_id: str
    similarity: float
    new_event: bool
    merged_events: tuple[str, ...] = ()
    merged_threads: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["merged_events"] = list(self.merged_events)
        data["merged_threads"] = list(self.merged_threads)
        return data


@dataclass(frozen=True, slots=True)
class Event:
    """A row for one event: its articles, dates and what it is about (top entity ids and
    terms by TF-IDF weight)."""

    id: str
    thread_id: str
    docs: tuple[str, ...]
    first: dt.date | None
    last: dt.date | None
    outlets: tuple[str, ...]
    languages: tuple[str, ...]
    entities: tuple[str, ...]
    terms: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(first=_iso(self.first), last=_iso(self.last))
        for k in ("docs", "outlets", "languages", "entities", "terms"):
            data[k] = list(data[k])
        return data


@dataclass(frozen=True, slots=True)
class Thread:
    """A row for one story thread: its events in time order and its salient entities."""

    id: str
    events: tuple[str, ...]
    docs: tuple[str, ...]
    first: dt.date | None
    last: dt.date | None
    entities: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(first=_iso(self.first), last=_iso(self.last), events=list(self.events),
                    docs=list(self.docs), entities=list(self.entities))
        return data


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass(slots=True)
class _Query:
    """An article's vectors, ready to compare."""

    doc: StoryDoc
    day: int | None
    lang: str
    title: dict[str, float]
    body: dict[str, float]
    entities: dict[str, float]
    weighted: dict[str, tuple[dict[str, float], float]] = field(default_factory=dict)


class Clusterer:
    """Online event clustering and thread linking over :class:`StoryDoc` articles.

    >>> clusterer = Clusterer()
    >>> a = clusterer.add(doc)            # doctest: +SKIP
    >>> a.event_id, a.thread_id           # doctest: +SKIP
    ('e1', 't1')
    """

    def __init__(self, settings: Settings | None = None,
                 store: StoryStore | None = None) -> None:
        """A clusterer over ``store`` (in memory when None). A store that holds a clustering
        already goes on with it under its own settings; passing other ``settings`` then is a
        ``ValueError``."""
        self.store: StoryStore = store if store is not None else MemoryStoryStore()
        stored = self.store.load_settings()
        if stored is None:
            self.settings = settings or Settings()
            self.store.save_settings(self.settings.to_dict())
        else:
            self.settings = Settings.from_dict(stored)
            if settings is not None and settings != self.settings:
                raise ValueError("the store holds a clustering made with other settings")
        # The store's document frequencies, used (and updated) in place.
        self.text_df: DocFrequencies = self.store.text_df
        self.entity_df: DocFrequencies = self.store.entity_df

    # ------------------------------------------------------------------ public API

    def add(self, doc: StoryDoc) -> Assignment:
        """Put ``doc`` into an event (joining the most similar active one or opening a new one)
        and its event into a thread. Adding an id again changes nothing and returns where it
        is."""
        try:
            return self._add(doc)
        finally:
            self.store.release()

    def _add(self, doc: StoryDoc) -> Assignment:
        store = self.store
        known = store.event_of_doc(doc.id)
        if known is not None:
            ev = store.live_events([known])[0]
            return Assignment(doc.id, ev.id, self._thread_id(ev), 1.0, False)
        s = self.settings
        query = self._query(doc)
        scored = sorted(((self._score(query, ev), ev) for ev in self._candidates(query)),
                        key=lambda se: (-se[0], se[1].number))
        best_score = scored[0][0] if scored else 0.0
        new_event = best_score < s.event_threshold
        if new_event:
            ev = EventState(store.new_event_number())
            store.add_event(ev)
        else:
            ev = scored[0][1]
        self._join(ev, query)
        merged_threads: list[int] = []
        # The article may bridge two events that are one (an event opened by a Persian page
        # before any Urdu report came in, say): merge those that are also alike as wholes.
        merged_events = []
        for score, other in scored[1:]:
            if score < s.event_threshold:
                break
            if self._event_score(ev, other) >= s.event_threshold:
                ev, gone, threads = self._merge_events(ev, other)
                merged_events.append(gone)
                merged_threads.extend(threads)
        if merged_events or _milestone(len(ev.docs)):
            merged_threads.extend(self._link_threads(ev))
        return Assignment(doc.id, ev.id, self._thread_id(ev), round(best_score, 4), new_event,
                          tuple(f"e{n}" for n in merged_events),
                          tuple(f"t{t}" for t in sorted(set(merged_threads))))

    def add_many(self, docs: Iterable[StoryDoc]) -> list[Assignment]:
        return [self.add(doc) for doc in docs]

    def flush(self) -> None:
        """Write out to the store what is held back in memory (a no-op in memory)."""
        self.store.flush()

    def event_of(self, doc_id: str) -> str | None:
        number = self.store.event_of_doc(doc_id)
        return f"e{number}" if number is not None else None

    def thread_of(self, event_id: str) -> str | None:
        if not event_id[1:].isdigit():
            return None
        try:
            found = self.store.live_events([int(event_id[1:])])
            return self._thread_id(found[0]) if found else None
        finally:
            self.store.release()

    def iter_events(self) -> Iterator[Event]:
        """Every event as a row, in the order they were opened (streamed from the store)."""
        for ev in self.store.iter_events():
            yield self.event_row(ev)

    def iter_threads(self) -> Iterator[Thread]:
        """Every thread as a row, in the order they were opened (streamed from the store)."""
        for root, evs in self.store.iter_threads():
            yield self.thread_row(root, evs, ordered=True)

    def events(self) -> list[Event]:
        """Every event as a row, in the order they were opened."""
        return list(self.iter_events())

    def threads(self) -> list[Thread]:
        """Every thread as a row (its events in time order), in the order they were opened."""
        return list(self.iter_threads())

    def iter_assignments(self) -> Iterator[tuple[str, str, str]]:
        """(doc id, event id, thread id) for every article, in event order."""
        for ev in self.store.iter_events():
            thread = self._thread_id(ev)
            for doc_id in ev.docs:
                yield doc_id, ev.id, thread

    def event_row(self, ev: EventState) -> Event:
        """The row of one stored event."""
        terms: dict[str, float] = {}
        for text in ev.text.values():
            add_into(terms, _unit(text.body))
        return Event(
            id=ev.id, thread_id=self._thread_id(ev), docs=tuple(ev.docs),
            first=dt.date.fromordinal(min(ev.days)) if ev.days else None,
            last=dt.date.fromordinal(max(ev.days)) if ev.days else None,
            outlets=tuple(o for o, _ in ev.outlets.most_common()),
            languages=tuple(sorted(ev.text)),
            entities=tuple(top_features(ev.entities, 5, self.entity_df)),
            terms=tuple(top_features(terms, 8, self.text_df)))

    def thread_row(self, root: int, events: Iterable[EventState], *,
                   ordered: bool = False) -> Thread:
        """The row of the thread ``root`` made of ``events`` (all of its events; ``ordered``:
        they come in :func:`thread_order` already, and are read once, one at a time)."""
        ids: list[str] = []
        docs: list[str] = []
        days: list[int] = []
        entities: dict[str, float] = {}
        for e in events if ordered else sorted(events, key=thread_order):
            ids.append(e.id)
            docs.extend(e.docs)
            if e.days:
                days += (min(e.days), max(e.days))
            add_into(entities, _unit(e.entities))
        return Thread(
            id=f"t{root}", events=tuple(ids), docs=tuple(docs),
            first=dt.date.fromordinal(min(days)) if days else None,
            last=dt.date.fromordinal(max(days)) if days else None,
            entities=tuple(top_features(entities, 5, self.entity_df)))

    def to_state(self) -> dict[str, Any]:
        """Everything needed to go on clustering later, as JSON-ready data (every event is
        in it: meant for a clustering in memory)."""
        next_event, next_thread = self.store.counters()
        return {
            "format": STATE_FORMAT,
            "settings": self.settings.to_dict(),
            "text_df": self.text_df.to_dict(),
            "entity_df": self.entity_df.to_dict(),
            "next_event": next_event,
            "next_thread": next_thread,
            "events": [ev.to_state() for ev in self.store.iter_events()],
            "thread_parents": {f"t{k}": f"t{v}"
                               for k, v in sorted(self.store.thread_parents().items())},
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], store: StoryStore | None = None) -> Clusterer:
        """A clusterer going on from :meth:`to_state`'s ``state``, in memory or in ``store``
        (which must be empty). The indexes are rebuilt from the events."""
        if state.get("format") != STATE_FORMAT:
            raise ValueError(f"not a {STATE_FORMAT} state: {state.get('format')!r}")
        store = store if store is not None else MemoryStoryStore()
        if store.load_settings() is not None:
            raise ValueError("Clusterer.from_state needs an empty store")
        store.restore(DocFrequencies.from_dict(state["text_df"]),
                      DocFrequencies.from_dict(state["entity_df"]),
                      int(state["next_event"]), int(state["next_thread"]),
                      {int(k[1:]): int(v[1:]) for k, v in state["thread_parents"].items()})
        self = cls(Settings.from_dict(state["settings"]), store)
        for data in state["events"]:
            ev = EventState.from_state(data)
            store.add_event(ev)
            store.assign(ev.docs, ev.number)
            self._index_event(ev, ev.weeks())
            self._index_thread(ev)
            store.release()
        return self

    def __len__(self) -> int:
        return self.store.doc_count()

    # ------------------------------------------------------------------ events

    def _query(self, doc: StoryDoc) -> _Query:
        title_terms = doc.title_terms()
        body_terms = doc.body_terms(title_terms)
        self.text_df.add(body_terms)  # body_terms include the title's
        self.entity_df.add(doc.entities)
        return _Query(doc=doc, day=doc.published.toordinal() if doc.published else None,
                      lang=doc.lang, title=unit_tf(title_terms), body=unit_tf(body_terms),
                      entities=unit_tf(entity_weights(doc.entities)))

    def _weighted(self, query: _Query, channel: str) -> tuple[dict[str, float], float]:
        """The article's vector of ``channel`` with IDF squared folded in, and its IDF length:
        a centroid is then compared with one dictionary look-up per article term."""
        found = query.weighted.get(channel)
        if found is None:
            freqs = self.entity_df if channel == "entities" else self.text_df
            idf = freqs.idf
            vector = getattr(query, channel)
            weighted = {t: w * idf(t) ** 2 for t, w in vector.items()}
            found = query.weighted[channel] = (weighted, idf_norm(vector, freqs))
        return found

    def _query_cosine(self, query: _Query, channel: str, centroid: dict[str, float],
                      centroid_norm: float) -> float:
        weighted, norm = self._weighted(query, channel)
        if not weighted or not centroid or not norm or not centroid_norm:
            return 0.0
        dot = 0.0
        get = centroid.get
        for t, w in weighted.items():
            v = get(t)
            if v is not None:
                dot += w * v
        return min(1.0, dot / (norm * centroid_norm))

    def _centroid_norm(self, ev: EventState, channel: str, lang: str,
                       vector: dict[str, float]) -> float:
        """IDF length of an event centroid, cached until the corpus has grown by 10%."""
        freqs = self.entity_df if channel == "entities" else self.text_df
        cached = ev.norms.get((channel, lang))
        if cached is not None and freqs.n - cached[0] <= 0.1 * cached[0]:
            return cached[1]
        norm = idf_norm(vector, freqs)
        ev.norms[(channel, lang)] = (freqs.n, norm)
        self.store.changed(ev, caches_only=True)  # a store writing it out keeps its caches
        return norm

    def _kernel(self, day: int | None, ev: EventState) -> float:
        s = self.settings
        if day is None or not ev.days:
            return s.undated_factor
        gap = min(abs(day - d) for d in ev.days)
        return time_kernel(gap, s.time_half_days, s.event_window_days)

    def _score(self, query: _Query, ev: EventState) -> float:
        s = self.settings
        kernel = self._kernel(query.day, ev)
        if kernel == 0.0:
            return 0.0
        entities = self._query_cosine(query, "entities", ev.entities,
                                      self._centroid_norm(ev, "entities", "", ev.entities))
        text = ev.text.get(query.lang)
        if text is None:  # no article of the event in this language: entity ids only
            return kernel * s.cross_language_factor * entities
        title = self._query_cosine(query, "title", text.title,
                                   self._centroid_norm(ev, "title", query.lang, text.title))
        body = self._query_cosine(query, "body", text.body,
                                  self._centroid_norm(ev, "body", query.lang, text.body))
        return kernel * (s.title_weight * title + s.body_weight * body
                         + s.entity_weight * entities)

    def _event_score(self, a: EventState, b: EventState) -> float:
        """The event score of two events as wholes (centroid against centroid; the kernel on
        the days between their nearest articles)."""
        s = self.settings
        if a.days and b.days:
            gap = min(abs(x - y) for x in a.days for y in b.days)
            kernel = time_kernel(gap, s.time_half_days, s.event_window_days)
        else:
            kernel = s.undated_factor
        if kernel == 0.0:
            return 0.0
        entities = cosine(a.entities, b.entities, self.entity_df,
                          self._centroid_norm(a, "entities", "", a.entities),
                          self._centroid_norm(b, "entities", "", b.entities))
        best = s.cross_language_factor * entities
        for lang in a.text.keys() & b.text.keys():
            ta, tb = a.text[lang], b.text[lang]
            title = cosine(ta.title, tb.title, self.text_df,
                           self._centroid_norm(a, "title", lang, ta.title),
                           self._centroid_norm(b, "title", lang, tb.title))
            body = cosine(ta.body, tb.body, self.text_df,
                          self._centroid_norm(a, "body", lang, ta.body),
                          self._centroid_norm(b, "body", lang, tb.body))
            best = max(best, s.title_weight * title + s.body_weight * body
                       + s.entity_weight * entities)
        return kernel * best

    def _merge_events(self, a: EventState, b: EventState) -> tuple[EventState, int, list[int]]:
        """Merge two events into the older one; returns it, the number of the event that is
        gone and the thread numbers merged away."""
        s = self.settings
        keep, gone = (a, b) if a.number < b.number else (b, a)
        keep.docs.extend(gone.docs)
        self.store.assign(gone.docs, keep.number)
        keep.days.update(gone.days)
        keep.undated += gone.undated
        keep.outlets.update(gone.outlets)
        for lang, text in gone.text.items():
            mine = keep.text.setdefault(lang, TextCentroids())
            mine.n += text.n
            add_into(mine.title, text.title)
            add_into(mine.body, text.body)
            mine.title = prune(mine.title, 2 * s.max_centroid_terms, self.text_df)
            mine.body = prune(mine.body, 2 * s.max_centroid_terms, self.text_df)
        add_into(keep.entities, gone.entities)
        keep.entities = prune(keep.entities, 2 * s.max_centroid_entities, self.entity_df)
        keep.norms.clear()
        keep.features.clear()
        self.store.remove_event(gone.number)
        self.store.changed(keep)
        self._index_event(keep, keep.weeks())  # postings of the gone event are skipped
        threads = []
        root_keep, root_gone = self.store.find(keep.thread), self.store.find(gone.thread)
        if root_gone != root_keep:
            low, high = sorted((root_keep, root_gone))
            self.store.union(high, low)
            threads.append(high)
        return keep, gone.number, threads

    def _candidates(self, query: _Query) -> list[EventState]:
        """Events active around the article's date that share a feature with it, the most
        overlapping first, at most ``max_candidates``."""
        s = self.settings
        weeks: Ranges = None  # an undated article looks in every week
        if query.day is not None:
            weeks = [((query.day - s.event_window_days) // 7,
                      (query.day + s.event_window_days) // 7)]
        shared = self.store.shared(EVENT_INDEX, weeks, self._doc_features(query),
                                   s.posting_cap)
        return self._ranked(shared, s.max_candidates)

    def _ranked(self, shared: Counter[int], limit: int) -> list[EventState]:
        """The ``limit`` live events sharing the most postings (ties: the oldest first)."""
        def key(kv: tuple[int, int]) -> tuple[int, int]:
            return -kv[1], kv[0]

        first = heapq.nsmallest(limit, shared.items(), key=key)
        out = self.store.live_events([n for n, _ in first])
        if len(out) < limit and len(shared) > len(first):
            # Postings of events merged into others are skipped: go further down the ranking.
            ranked = sorted(shared.items(), key=key)
            start = len(first)
            while len(out) < limit and start < len(ranked):
                wanted = [n for n, _ in ranked[start:start + limit - len(out)]]
                start += len(wanted)
                out.extend(self.store.live_events(wanted))
        return out

    def _doc_features(self, query: _Query) -> set[str]:
        s = self.settings
        return {*top_features(query.entities, s.index_entities, self.entity_df),
                *query.title,
                *top_features(query.body, s.index_terms, self.text_df)}

    def _event_features(self, ev: EventState) -> set[str]:
        out = ev.features.get("index")
        if out is None:
            s = self.settings
            out = set(top_features(ev.entities, s.index_entities, self.entity_df))
            for text in ev.text.values():
                out.update(top_features(text.title, s.index_terms, self.text_df))
                out.update(top_features(text.body, s.index_terms, self.text_df))
            ev.features["index"] = out
            self.store.changed(ev, caches_only=True)
        return out

    def _index_event(self, ev: EventState, buckets: Iterable[int]) -> None:
        self.store.add_postings(EVENT_INDEX, ev.number, buckets, self._event_features(ev))

    def _join(self, ev: EventState, query: _Query) -> None:
        s = self.settings
        doc = query.doc
        fresh = not ev.docs
        ev.docs.append(doc.id)
        self.store.assign([doc.id], ev.number)
        if query.day is None:
            ev.undated += 1
        else:
            ev.days[query.day] += 1
        if doc.outlet:
            ev.outlets[doc.outlet] += 1
        text = ev.text.setdefault(query.lang, TextCentroids())
        text.n += 1
        add_into(text.title, query.title)
        add_into(text.body, query.body)
        add_into(ev.entities, query.entities)
        if len(text.body) > 2 * s.max_centroid_terms:
            text.body = prune(text.body, s.max_centroid_terms, self.text_df)
        if len(text.title) > 2 * s.max_centroid_terms:
            text.title = prune(text.title, s.max_centroid_terms, self.text_df)
        if len(ev.entities) > 2 * s.max_centroid_entities:
            ev.entities = prune(ev.entities, s.max_centroid_entities, self.entity_df)
        ev.norms.clear()
        ev.features.clear()
        if fresh:  # the centroids are the article's vectors: their lengths are known
            for channel, vector, lang in (("entities", ev.entities, ""),
                                          ("title", text.title, query.lang),
                                          ("body", text.body, query.lang)):
                if len(vector) == len(getattr(query, channel)):
                    freqs = self.entity_df if channel == "entities" else self.text_df
                    ev.norms[(channel, lang)] = (freqs.n, self._weighted(query, channel)[1])
        self.store.changed(ev)
        bucket = query.day // 7 if query.day is not None else UNDATED
        # The features of the article and of the event as it is now, under the article's week.
        self.store.add_postings(EVENT_INDEX, ev.number, [bucket],
                                self._event_features(ev) | self._doc_features(query))

    # ------------------------------------------------------------------ threads

    def _thread_id(self, ev: EventState) -> str:
        return f"t{self.store.find(ev.thread)}"

    def _salient(self, ev: EventState) -> set[str]:
        out = ev.features.get("salient")
        if out is None:
            s = self.settings
            out = {f for f in top_features(ev.entities, s.salient_entities, self.entity_df)
                   if self._distinctive(f, self.entity_df)}
            for text in ev.text.values():
                out.update(f for f in top_features(text.body, s.salient_terms, self.text_df)
                           if self._distinctive(f, self.text_df))
            ev.features["salient"] = out
            self.store.changed(ev, caches_only=True)
        return out

    def _distinctive(self, feature: str, freqs: DocFrequencies) -> bool:
        """False for a feature too common to say which story an event belongs to (in more
        than ``max_salient_share`` of all articles, once there are ``min_docs_for_share``)."""
        s = self.settings
        return freqs.n < s.min_docs_for_share or freqs.share(feature) <= s.max_salient_share

    def _index_thread(self, ev: EventState) -> None:
        self.store.add_postings(THREAD_INDEX, ev.number, ev.months(), self._salient(ev))

    def _thread_candidates(self, ev: EventState) -> list[EventState]:
        s = self.settings
        months: Ranges = None  # an event with an undated article looks in every month
        if ev.days and not ev.undated:
            months = _around(sorted({month_of(d) for d in ev.days}),
                             s.thread_window_days // 30 + 1)
        shared = self.store.shared(THREAD_INDEX, months, self._salient(ev), s.posting_cap)
        shared.pop(ev.number, None)
        return self._ranked(shared, s.max_thread_candidates)

    def _event_link(self, a: EventState, b: EventState) -> float:
        """How strongly two events belong to one thread (see the module docstring)."""
        s = self.settings
        if a.days and b.days:
            gap = _gap(a, b)
            decay = thread_decay(gap, s.thread_grace_days, s.thread_half_life_days,
                                 s.thread_window_days)
        else:
            decay = s.undated_thread_factor
        if decay == 0.0:
            return 0.0
        entities = cosine(a.entities, b.entities, self.entity_df,
                          self._centroid_norm(a, "entities", "", a.entities),
                          self._centroid_norm(b, "entities", "", b.entities))
        topics = [cosine(a.text[lang].body, b.text[lang].body, self.text_df,
                         self._centroid_norm(a, "body", lang, a.text[lang].body),
                         self._centroid_norm(b, "body", lang, b.text[lang].body))
                  for lang in a.text.keys() & b.text.keys()]
        if not topics:
            return decay * s.cross_language_factor * entities
        return decay * (s.thread_entity_weight * entities + s.thread_topic_weight * max(topics))

    def _link_threads(self, ev: EventState) -> list[int]:
        """Look for thread links of ``ev``; returns the thread numbers merged away."""
        s = self.settings
        self._index_thread(ev)
        linked = []
        find = self.store.find
        mine = find(ev.thread) if ev.thread else None
        for other in self._thread_candidates(ev):
            theirs = find(other.thread)
            if theirs == mine or theirs in linked:
                continue  # already one thread: no need to score
            if self._event_link(ev, other) >= s.thread_threshold:
                linked.append(theirs)
        if not ev.thread:  # a new event: the oldest linked thread, or a thread of its own
            if linked:
                ev.thread = min(linked)
            else:
                ev.thread = self.store.new_thread_number()
            self.store.changed(ev)
        roots = {find(ev.thread), *linked}
        keep = min(roots)
        merged = sorted(roots - {keep})
        for root in merged:
            self.store.union(root, keep)
        return merged


def _milestone(size: int) -> bool:
    """Thread links are looked for at every article up to 8, then at 16, 32, 64 ...: a small
    event changes with each article, a big one hardly does (bounded work per event)."""
    return size <= SMALL_EVENT or size & (size - 1) == 0


def _around(months: list[int], reach: int) -> list[tuple[int, int]]:
    """The months within ``reach`` of any of ``months`` (sorted), as inclusive ranges."""
    out: list[tuple[int, int]] = []
    for m in months:
        if out and m - reach <= out[-1][1] + 1:
            out[-1] = (out[-1][0], m + reach)
        else:
            out.append((m - reach, m + reach))
    return out


def _gap(a: EventState, b: EventState) -> int:
    """Days between the date ranges of two events (0 when they overlap)."""
    a0, a1, b0, b1 = min(a.days), max(a.days), min(b.days), max(b.days)
    return max(0, b0 - a1, a0 - b1)


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {k: w / norm for k, w in vector.items()} if norm else {}

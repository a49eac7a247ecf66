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
every week (its cost grows with the span of the corpus in weeks, not with its size). Measured on
20,000 synthetic articles over two years: 3.5 ms per article for the first 5,000, 6 ms for the
last 5,000 (the thread index fills up to its caps); the JSON state was 51 MB.

**State**: :meth:`Clusterer.to_state` is JSON (settings, document frequencies, events with
their centroids, the thread links); :meth:`Clusterer.from_state` rebuilds the indexes from it.
:meth:`Clusterer.events` and :meth:`Clusterer.threads` give row-shaped records.
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
_UNDATED = -1  # bucket of undated articles and events in the inverted indexes


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
class _Text:
    """An event's text centroids in one language."""

    n: int = 0
    title: dict[str, float] = field(default_factory=dict)
    body: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class _Event:
    number: int
    docs: list[str] = field(default_factory=list)
    days: Counter[int] = field(default_factory=Counter)  # date ordinal -> articles
    undated: int = 0
    text: dict[str, _Text] = field(default_factory=dict)
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
            out.add(_UNDATED)
        return out

    def months(self) -> set[int]:
        out = {_month(day) for day in self.days}
        if self.undated or not self.days:
            out.add(_UNDATED)
        return out

    def to_dict(self) -> dict[str, Any]:
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
    def from_dict(cls, data: dict[str, Any]) -> _Event:
        return cls(
            number=int(data["id"][1:]), docs=list(data["docs"]),
            days=Counter({dt.date.fromisoformat(d).toordinal(): int(n)
                          for d, n in data["days"].items()}),
            undated=int(data["undated"]),
            text={lang: _Text(int(t["n"]), dict(t["title"]), dict(t["body"]))
                  for lang, t in data["text"].items()},
            entities=dict(data["entities"]), outlets=Counter(data["outlets"]),
            thread=int(data["thread"][1:]),
        )


def _rounded(vector: dict[str, float]) -> dict[str, float]:
    """A centroid for the state: 5 decimals are plenty and keep the JSON small."""
    return {t: round(w, 5) for t, w in vector.items()}


def _month(day: int) -> int:
    d = dt.date.fromordinal(day)
    return d.year * 12 + d.month - 1


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

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.text_df = DocFrequencies()
        self.entity_df = DocFrequencies()
        self._events: dict[int, _Event] = {}
        self._doc_event: dict[str, int] = {}
        self._thread_parent: dict[int, int] = {}  # union-find; roots are absent
        self._next_event = 1
        self._next_thread = 1
        self._event_index: dict[tuple[int, str], set[int]] = {}
        self._thread_index: dict[tuple[int, str], set[int]] = {}
        self._weeks: set[int] = set()
        self._months: set[int] = set()

    # ------------------------------------------------------------------ public API

    def add(self, doc: StoryDoc) -> Assignment:
        """Put ``doc`` into an event (joining the most similar active one or opening a new one)
        and its event into a thread. Adding an id again changes nothing and returns where it
        is."""
        if doc.id in self._doc_event:
            ev = self._events[self._doc_event[doc.id]]
            return Assignment(doc.id, ev.id, self._thread_id(ev), 1.0, False)
        s = self.settings
        query = self._query(doc)
        scored = sorted(((self._score(query, ev), ev) for ev in self._candidates(query)),
                        key=lambda se: (-se[0], se[1].number))
        best_score = scored[0][0] if scored else 0.0
        new_event = best_score < s.event_threshold
        if new_event:
            ev = _Event(self._next_event)
            self._next_event += 1
            self._events[ev.number] = ev
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

    def event_of(self, doc_id: str) -> str | None:
        number = self._doc_event.get(doc_id)
        return f"e{number}" if number is not None else None

    def thread_of(self, event_id: str) -> str | None:
        ev = self._events.get(int(event_id[1:])) if event_id[1:].isdigit() else None
        return self._thread_id(ev) if ev else None

    def events(self) -> list[Event]:
        """Every event as a row, in the order they were opened."""
        return [self._event_row(ev) for ev in self._events.values()]

    def threads(self) -> list[Thread]:
        """Every thread as a row (its events in time order), in the order they were opened."""
        groups: dict[int, list[_Event]] = {}
        for ev in self._events.values():
            groups.setdefault(self._find(ev.thread), []).append(ev)
        out = []
        for root in sorted(groups):
            evs = sorted(groups[root], key=lambda e: (_first_day(e) or 0, e.number))
            days = [d for e in evs for d in e.days]
            entities: dict[str, float] = {}
            for e in evs:
                add_into(entities, _unit(e.entities))
            out.append(Thread(
                id=f"t{root}", events=tuple(e.id for e in evs),
                docs=tuple(d for e in evs for d in e.docs),
                first=dt.date.fromordinal(min(days)) if days else None,
                last=dt.date.fromordinal(max(days)) if days else None,
                entities=tuple(top_features(entities, 5, self.entity_df))))
        return out

    def to_state(self) -> dict[str, Any]:
        """Everything needed to go on clustering later, as JSON-ready data."""
        return {
            "format": STATE_FORMAT,
            "settings": self.settings.to_dict(),
            "text_df": self.text_df.to_dict(),
            "entity_df": self.entity_df.to_dict(),
            "next_event": self._next_event,
            "next_thread": self._next_thread,
            "events": [ev.to_dict() for ev in self._events.values()],
            "thread_parents": {f"t{k}": f"t{v}" for k, v in sorted(self._thread_parent.items())},
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Clusterer:
        if state.get("format") != STATE_FORMAT:
            raise ValueError(f"not a {STATE_FORMAT} state: {state.get('format')!r}")
        self = cls(Settings.from_dict(state["settings"]))
        self.text_df = DocFrequencies.from_dict(state["text_df"])
        self.entity_df = DocFrequencies.from_dict(state["entity_df"])
        self._next_event = int(state["next_event"])
        self._next_thread = int(state["next_thread"])
        self._thread_parent = {int(k[1:]): int(v[1:])
                               for k, v in state["thread_parents"].items()}
        for data in state["events"]:
            ev = _Event.from_dict(data)
            self._events[ev.number] = ev
            for doc_id in ev.docs:
                self._doc_event[doc_id] = ev.number
            self._index_event(ev, ev.weeks())
            self._index_thread(ev)
        return self

    def __len__(self) -> int:
        return len(self._doc_event)

    # ------------------------------------------------------------------ events

    def _query(self, doc: StoryDoc) -> _Query:
        title_terms = doc.title_terms()
        body_terms = doc.body_terms()
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

    def _centroid_norm(self, ev: _Event, channel: str, lang: str,
                       vector: dict[str, float]) -> float:
        """IDF length of an event centroid, cached until the corpus has grown by 10%."""
        freqs = self.entity_df if channel == "entities" else self.text_df
        cached = ev.norms.get((channel, lang))
        if cached is not None and freqs.n - cached[0] <= 0.1 * cached[0]:
            return cached[1]
        norm = idf_norm(vector, freqs)
        ev.norms[(channel, lang)] = (freqs.n, norm)
        return norm

    def _kernel(self, day: int | None, ev: _Event) -> float:
        s = self.settings
        if day is None or not ev.days:
            return s.undated_factor
        gap = min(abs(day - d) for d in ev.days)
        return time_kernel(gap, s.time_half_days, s.event_window_days)

    def _score(self, query: _Query, ev: _Event) -> float:
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

    def _event_score(self, a: _Event, b: _Event) -> float:
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

    def _merge_events(self, a: _Event, b: _Event) -> tuple[_Event, int, list[int]]:
        """Merge two events into the older one; returns it, the number of the event that is
        gone and the thread numbers merged away."""
        s = self.settings
        keep, gone = (a, b) if a.number < b.number else (b, a)
        keep.docs.extend(gone.docs)
        for doc_id in gone.docs:
            self._doc_event[doc_id] = keep.number
        keep.days.update(gone.days)
        keep.undated += gone.undated
        keep.outlets.update(gone.outlets)
        for lang, text in gone.text.items():
            mine = keep.text.setdefault(lang, _Text())
            mine.n += text.n
            add_into(mine.title, text.title)
            add_into(mine.body, text.body)
            mine.title = prune(mine.title, 2 * s.max_centroid_terms, self.text_df)
            mine.body = prune(mine.body, 2 * s.max_centroid_terms, self.text_df)
        add_into(keep.entities, gone.entities)
        keep.entities = prune(keep.entities, 2 * s.max_centroid_entities, self.entity_df)
        keep.norms.clear()
        keep.features.clear()
        del self._events[gone.number]
        self._index_event(keep, keep.weeks())  # postings of the gone event are skipped
        threads = []
        root_keep, root_gone = self._find(keep.thread), self._find(gone.thread)
        if root_gone != root_keep:
            low, high = sorted((root_keep, root_gone))
            self._thread_parent[high] = low
            threads.append(high)
        return keep, gone.number, threads

    def _candidates(self, query: _Query) -> list[_Event]:
        """Events active around the article's date that share a feature with it, the most
        overlapping first, at most ``max_candidates``."""
        s = self.settings
        if query.day is None:
            weeks: Iterable[int] = self._weeks
        else:
            weeks = range((query.day - s.event_window_days) // 7,
                          (query.day + s.event_window_days) // 7 + 1)
        features = self._doc_features(query)
        shared: Counter[int] = Counter()
        for week in (*weeks, _UNDATED):
            for feature in features:
                posting = self._event_index.get((week, feature))
                if posting and len(posting) <= s.posting_cap:
                    shared.update(posting)
        ranked = heapq.nsmallest(s.max_candidates,
                                 ((n, c) for n, c in shared.items() if n in self._events),
                                 key=lambda kv: (-kv[1], kv[0]))
        return [self._events[number] for number, _ in ranked]

    def _doc_features(self, query: _Query) -> set[str]:
        s = self.settings
        return {*top_features(query.entities, s.index_entities, self.entity_df),
                *query.title,
                *top_features(query.body, s.index_terms, self.text_df)}

    def _event_features(self, ev: _Event) -> set[str]:
        out = ev.features.get("index")
        if out is None:
            s = self.settings
            out = set(top_features(ev.entities, s.index_entities, self.entity_df))
            for text in ev.text.values():
                out.update(top_features(text.title, s.index_terms, self.text_df))
                out.update(top_features(text.body, s.index_terms, self.text_df))
            ev.features["index"] = out
        return out

    def _index_event(self, ev: _Event, buckets: Iterable[int]) -> None:
        features = self._event_features(ev)
        for bucket in buckets:
            if bucket != _UNDATED:
                self._weeks.add(bucket)
            for feature in features:
                self._event_index.setdefault((bucket, feature), set()).add(ev.number)

    def _join(self, ev: _Event, query: _Query) -> None:
        s = self.settings
        doc = query.doc
        fresh = not ev.docs
        ev.docs.append(doc.id)
        self._doc_event[doc.id] = ev.number
        if query.day is None:
            ev.undated += 1
        else:
            ev.days[query.day] += 1
        if doc.outlet:
            ev.outlets[doc.outlet] += 1
        text = ev.text.setdefault(query.lang, _Text())
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
        bucket = query.day // 7 if query.day is not None else _UNDATED
        # The features of the article and of the event as it is now, under the article's week.
        self._index_event(ev, [bucket])
        for feature in self._doc_features(query):
            self._event_index.setdefault((bucket, feature), set()).add(ev.number)

    # ------------------------------------------------------------------ threads

    def _find(self, thread: int) -> int:
        parent = self._thread_parent
        root = thread
        while root in parent:
            root = parent[root]
        while thread != root:  # path compression
            parent[thread], thread = root, parent[thread]
        return root

    def _thread_id(self, ev: _Event) -> str:
        return f"t{self._find(ev.thread)}"

    def _salient(self, ev: _Event) -> set[str]:
        out = ev.features.get("salient")
        if out is None:
            s = self.settings
            out = {f for f in top_features(ev.entities, s.salient_entities, self.entity_df)
                   if self._distinctive(f, self.entity_df)}
            for text in ev.text.values():
                out.update(f for f in top_features(text.body, s.salient_terms, self.text_df)
                           if self._distinctive(f, self.text_df))
            ev.features["salient"] = out
        return out

    def _distinctive(self, feature: str, freqs: DocFrequencies) -> bool:
        """False for a feature too common to say which story an event belongs to (in more
        than ``max_salient_share`` of all articles, once there are ``min_docs_for_share``)."""
        s = self.settings
        return freqs.n < s.min_docs_for_share or freqs.share(feature) <= s.max_salient_share

    def _index_thread(self, ev: _Event) -> None:
        features = self._salient(ev)
        for bucket in ev.months():
            if bucket != _UNDATED:
                self._months.add(bucket)
            for feature in features:
                self._thread_index.setdefault((bucket, feature), set()).add(ev.number)

    def _thread_candidates(self, ev: _Event) -> list[_Event]:
        s = self.settings
        if ev.days:
            reach = s.thread_window_days // 30 + 1
            months: set[int] = set()
            for m in {_month(d) for d in ev.days}:
                months.update(range(m - reach, m + reach + 1))
            if ev.undated:
                months |= self._months
        else:
            months = set(self._months)
        shared: Counter[int] = Counter()
        salient = self._salient(ev)
        for bucket in (*sorted(months), _UNDATED):
            for feature in salient:
                posting = self._thread_index.get((bucket, feature))
                if posting and len(posting) <= s.posting_cap:
                    shared.update(posting)
        shared.pop(ev.number, None)
        ranked = heapq.nsmallest(s.max_thread_candidates,
                                 ((n, c) for n, c in shared.items() if n in self._events),
                                 key=lambda kv: (-kv[1], kv[0]))
        return [self._events[number] for number, _ in ranked]

    def _event_link(self, a: _Event, b: _Event) -> float:
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

    def _link_threads(self, ev: _Event) -> list[int]:
        """Look for thread links of ``ev``; returns the thread numbers merged away."""
        s = self.settings
        self._index_thread(ev)
        linked = []
        mine = self._find(ev.thread) if ev.thread else None
        for other in self._thread_candidates(ev):
            theirs = self._find(other.thread)
            if theirs == mine or theirs in linked:
                continue  # already one thread: no need to score
            if self._event_link(ev, other) >= s.thread_threshold:
                linked.append(theirs)
        if not ev.thread:  # a new event: the oldest linked thread, or a thread of its own
            if linked:
                ev.thread = min(linked)
            else:
                ev.thread = self._next_thread
                self._next_thread += 1
        roots = {self._find(ev.thread), *linked}
        keep = min(roots)
        merged = sorted(roots - {keep})
        for root in merged:
            self._thread_parent[root] = keep
        return merged

    def _event_row(self, ev: _Event) -> Event:
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

    def iter_assignments(self) -> Iterator[tuple[str, str, str]]:
        """(doc id, event id, thread id) for every article, in event order."""
        for ev in self._events.values():
            thread = self._thread_id(ev)
            for doc_id in ev.docs:
                yield doc_id, ev.id, thread


def _milestone(size: int) -> bool:
    """Thread links are looked for at every article up to 8, then at 16, 32, 64 ...: a small
    event changes with each article, a big one hardly does (bounded work per event)."""
    return size <= SMALL_EVENT or size & (size - 1) == 0


def _first_day(ev: _Event) -> int | None:
    return min(ev.days) if ev.days else None


def _gap(a: _Event, b: _Event) -> int:
    """Days between the date ranges of two events (0 when they overlap)."""
    a0, a1, b0, b1 = min(a.days), max(a.days), min(b.days), max(b.days)
    return max(0, b0 - a1, a0 - b1)


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {k: w / norm for k, w in vector.items()} if norm else {}

"""khabar.stories: events and threads on the bundled sample corpus, the seeds and written cases.

Pairwise scores: every pair of articles is "same event" (or "same thread") in the gold and/or
in the clustering; precision and recall are over those pairs. The gold's ``stories.events`` are
the multi-outlet events (every other article is an event of its own) and ``stories.threads`` the
multi-event threads (every other event is a thread of its own). ``python tests/test_stories.py``
prints the scores and the clusters.

Measured with the default settings: events P = R = 1.0 (28 same-event pairs), threads P = R =
1.0 (49 same-thread pairs), the same for every one of 30 shuffled orders.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

import khabar
from khabar.resources import sample_corpus
from khabar.stories import Clusterer, Settings, StoryDoc, thread_decay, time_kernel
from khabar.urdu import key

ROOT = sample_corpus()


# --------------------------------------------------------------------------- helpers


def _docs(folder: Path, name=lambda p: str(p)) -> list[StoryDoc]:
    pages = [p for p in khabar.read(str(folder)) if isinstance(p, khabar.Page)]
    return [StoryDoc.from_extraction(x, id=name(Path(x.article.source)))
            for x in khabar.extract_many(pages)]


@pytest.fixture(scope="module")
def sample_docs() -> list[StoryDoc]:
    return _docs(ROOT, lambda p: p.relative_to(ROOT).as_posix())


@pytest.fixture(scope="module")
def sample_gold() -> dict:
    return json.loads((ROOT / "gold.json").read_text(encoding="utf-8"))["stories"]


def _pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    return {pair for g in groups for pair in itertools.combinations(sorted(g), 2)}


def _gold_groups(gold: dict, ids: Sequence[str]) -> tuple[list[list[str]], list[list[str]]]:
    event_of = {d: f"event{i}" for i, g in enumerate(gold["events"]) for d in g}
    events: dict[str, list[str]] = {}
    for d in ids:
        events.setdefault(event_of.get(d, d), []).append(d)
    thread_of = {d: f"thread{i}" for i, g in enumerate(gold["threads"]) for d in g}
    threads: dict[str, list[str]] = {}
    for d in ids:
        threads.setdefault(thread_of.get(d, event_of.get(d, d)), []).append(d)
    return list(events.values()), list(threads.values())


def _scores(predicted: set, gold: set) -> tuple[float, float]:
    hit = len(predicted & gold)
    return (hit / len(predicted) if predicted else 1.0, hit / len(gold) if gold else 1.0)


def _cluster(docs: Iterable[StoryDoc], settings: Settings | None = None) -> Clusterer:
    clusterer = Clusterer(settings)
    for doc in docs:
        clusterer.add(doc)
    return clusterer


def _partition(clusterer: Clusterer) -> tuple[set, set]:
    return (_pairs(e.docs for e in clusterer.events()),
            _pairs(t.docs for t in clusterer.threads()))


def _doc(id: str, day: str | None, title: str, body: str, entities: dict[str, int],
         language: str = "ur") -> StoryDoc:
    return StoryDoc(id=id, published=dt.date.fromisoformat(day) if day else None,
                    language=language, title_key=key(title), body_key=key(body),
                    entities=entities)


# --------------------------------------------------------------------------- sample corpus


def test_sample_corpus_events_and_threads(sample_docs, sample_gold, capsys):
    ids = [d.id for d in sample_docs]
    gold_events, gold_threads = _gold_groups(sample_gold, ids)
    clusterer = _cluster(sample_docs)
    events, threads = _partition(clusterer)
    ep, er = _scores(events, _pairs(gold_events))
    tp, tr = _scores(threads, _pairs(gold_threads))
    with capsys.disabled():
        print(f"\nstories on the sample corpus: events P={ep:.3f} R={er:.3f} "
              f"({len(_pairs(gold_events))} gold pairs), threads P={tp:.3f} R={tr:.3f} "
              f"({len(_pairs(gold_threads))} gold pairs)")
    # every gold event is exactly one event, every gold thread one thread, and the single-
    # outlet stories are events (and threads) of their own
    assert {frozenset(e.docs) for e in clusterer.events()} == {frozenset(g) for g in gold_events}
    assert {frozenset(t.docs) for t in clusterer.threads()} == {frozenset(g)
                                                                for g in gold_threads}


def test_sample_corpus_order_does_not_matter(sample_docs):
    reference = _partition(_cluster(sample_docs))
    rng = random.Random(20250516)
    orders = [list(reversed(sample_docs))]
    for _ in range(30):
        order = list(sample_docs)
        rng.shuffle(order)
        orders.append(order)
    for order in orders:
        assert _partition(_cluster(order)) == reference, [d.id for d in order]


def test_cross_language_pages_join_by_entity_ids(sample_docs):
    """The Persian and the English page share no words with the Urdu reports, only entity
    ids; each is put first, so it opens the event and the Urdu reports must come to it (or the
    events be merged)."""
    for page in ("khabarnameh-sharq/2025-05-16-istanbul-talks.txt",
                 "frontier-ledger/2025-05-10-imf-board.txt"):
        first = next(d for d in sample_docs if d.id == page)
        clusterer = _cluster([first, *(d for d in sample_docs if d is not first)])
        event = next(e for e in clusterer.events() if page in e.docs)
        assert len(event.docs) >= 3
        assert len(event.languages) == 2


def test_state_round_trip_goes_on_the_same(sample_docs):
    half = len(sample_docs) // 2
    whole = _cluster(sample_docs)
    first = _cluster(sample_docs[:half])
    state = json.loads(json.dumps(first.to_state(), ensure_ascii=False))
    resumed = Clusterer.from_state(state)
    assert [e.to_dict() for e in resumed.events()] == [e.to_dict() for e in first.events()]
    for doc in sample_docs[half:]:
        resumed.add(doc)
    assert _partition(resumed) == _partition(whole)
    assert len(resumed) == len(sample_docs)


def test_adding_an_article_again_changes_nothing(sample_docs):
    clusterer = _cluster(sample_docs)
    before = [e.to_dict() for e in clusterer.events()]
    again = clusterer.add(sample_docs[3])
    assert not again.new_event
    assert again.event_id == clusterer.event_of(sample_docs[3].id)
    assert [e.to_dict() for e in clusterer.events()] == before


def test_story_doc_from_extraction_keeps_what_the_story_is_about(sample_docs):
    doc = next(d for d in sample_docs if d.id == "awaz-e-alam/2025-05-16-istanbul-talks.txt")
    assert doc.published == dt.date(2025, 5, 16)
    assert doc.entities["place:istanbul"] >= 3  # title mention counted twice
    # agencies in the byline say who reported, not what happened
    assert not {"org:afp", "org:reuters", "org:dpa"} & set(doc.entities)
    assert StoryDoc.from_dict(json.loads(json.dumps(doc.to_dict()))) == doc
    undated = next(d for d in sample_docs if d.id == "daily-misal/2025-11-12-lahore-smog.txt")
    assert undated.published is None


# --------------------------------------------------------------------------- seeds


@pytest.mark.shared
def test_seeds_one_thread_two_events(shared_dir, seeds_gold):
    docs = _docs(shared_dir / "seeds", lambda p: p.name[:3])
    gold = seeds_gold["stories"]
    assert gold["same_thread"] == [["000", "003"]] and gold["same_event"] == []
    for order in (docs, docs[::-1]):
        clusterer = _cluster(order)
        assert len(clusterer.events()) == 2
        assert [sorted(t.docs) for t in clusterer.threads()] == [["000", "003"]]


# --------------------------------------------------------------------------- time


def test_time_kernel():
    assert time_kernel(0) == 1.0
    assert time_kernel(3, half_days=3) == pytest.approx(0.5)
    assert time_kernel(-2) == time_kernel(2)
    values = [time_kernel(d) for d in range(0, 10)]
    assert values == sorted(values, reverse=True)
    assert time_kernel(7) < 0.05  # a week apart: hardly one event
    assert time_kernel(11, window_days=10) == 0.0


def test_thread_decay():
    assert thread_decay(0) == thread_decay(30) == 1.0
    assert thread_decay(30 + 365) == pytest.approx(0.5)
    assert 0.6 < thread_decay(240) < 0.75  # eight months: still one thread if alike
    assert thread_decay(600, window_days=550) == 0.0


# --------------------------------------------------------------------------- written cases

# Two different Champions Trophy matches of Pakistan a week apart, a second report of the first
# one, and an unrelated Pakistani story of the same day (all written for this test).
MATCH_1 = (
    "دبئی میں پاکستان نے بھارت کو پانچ وکٹوں سے شکست دے دی",
    "دبئی انٹرنیشنل اسٹیڈیم میں کھیلے گئے چیمپئنز ٹرافی کے میچ میں پاکستان نے بھارت کو پانچ "
    "وکٹوں سے ہرا دیا۔ بھارت نے پہلے بیٹنگ کرتے ہوئے مقررہ پچاس اوورز میں 241 رنز بنائے۔ جواب میں "
    "بابر اعظم نے شاندار سنچری بنائی اور قومی ٹیم نے ہدف آخری اوور میں حاصل کر لیا۔ شاہین شاہ "
    "آفریدی نے تین وکٹیں حاصل کیں۔ کپتان محمد رضوان نے کہا کہ ٹیم نے دباؤ میں اچھا کھیل پیش کیا۔",
    {"place:pakistan": 3, "place:india": 4, "place:dubai": 3, "person:babar-azam": 1,
     "person:shaheen-afridi": 1, "person:mohammad-rizwan": 1},
)
MATCH_1_AGAIN = (
    "بابر اعظم کی سنچری، قومی ٹیم نے روایتی حریف بھارت کو ہرا دیا",
    "چیمپئنز ٹرافی میں پاکستان کرکٹ ٹیم نے دبئی میں بھارت کے خلاف پانچ وکٹوں سے کامیابی حاصل "
    "کی۔ بابر اعظم نے 112 رنز کی اننگز کھیلی جبکہ شاہین آفریدی نے تین کھلاڑیوں کو آؤٹ کیا۔ بھارتی "
    "ٹیم مقررہ اوورز میں 241 رنز بنا سکی تھی۔ شائقین نے ملک بھر میں جیت کا جشن منایا۔",
    {"place:pakistan": 1, "place:india": 4, "place:dubai": 1, "person:babar-azam": 3,
     "person:shaheen-afridi": 1},
)
MATCH_2 = (
    "لاہور میں آسٹریلیا نے پاکستان کو 80 رنز سے ہرا دیا",
    "قذافی اسٹیڈیم لاہور میں چیمپئنز ٹرافی کے سیمی فائنل میں آسٹریلیا نے پاکستان کو 80 رنز سے "
    "شکست دے کر فائنل میں جگہ بنا لی۔ آسٹریلیا نے ٹاس جیت کر 310 رنز بنائے جس میں اسٹیو اسمتھ کی "
    "سنچری شامل تھی۔ جواب میں پاکستانی بیٹنگ لائن لڑکھڑا گئی اور پوری ٹیم 230 رنز پر آؤٹ ہو گئی۔ "
    "بابر اعظم 45 رنز بنا سکے۔ کپتان محمد رضوان نے شکست کی ذمہ داری قبول کی۔",
    {"place:pakistan": 4, "place:australia": 4, "place:lahore": 3, "person:babar-azam": 1,
     "person:mohammad-rizwan": 1, "person:steve-smith": 1},
)
PETROL = (
    "پاکستان میں پٹرول کی قیمت میں پانچ روپے فی لیٹر اضافہ",
    "وفاقی حکومت نے پٹرول کی قیمت میں پانچ روپے فی لیٹر اضافے کا اعلان کر دیا ہے۔ وزارت خزانہ "
    "کے مطابق عالمی منڈی میں تیل مہنگا ہونے کے باعث قیمتیں بڑھائی گئیں۔ نئی قیمتوں کا اطلاق آج رات "
    "بارہ بجے سے ہو گا۔ ٹرانسپورٹرز نے کرایوں میں اضافے کا عندیہ دیا ہے۔",
    {"place:pakistan": 3, "org:ministry-of-finance": 1},
)


def _cricket(match_2_day: str = "2025-03-09") -> list[StoryDoc]:
    return [_doc("match-1", "2025-03-02", *MATCH_1),
            _doc("petrol", "2025-03-02", *PETROL),
            _doc("match-1-again", "2025-03-03", *MATCH_1_AGAIN),
            _doc("match-2", match_2_day, *MATCH_2)]


def test_two_matches_with_the_same_team_are_two_events_of_one_thread():
    docs = _cricket()
    for order in itertools.permutations(docs):
        clusterer = _cluster(order)
        event = {d.id: clusterer.event_of(d.id) for d in docs}
        assert event["match-1"] == event["match-1-again"]
        assert len({event["match-1"], event["match-2"], event["petrol"]}) == 3
        thread = {d: clusterer.thread_of(e) for d, e in event.items()}
        assert thread["match-1"] == thread["match-2"]
        assert thread["petrol"] != thread["match-1"]


def test_same_story_years_apart_is_not_one_thread():
    clusterer = _cluster(_cricket(match_2_day="2027-06-01"))
    assert clusterer.thread_of(clusterer.event_of("match-1")) != clusterer.thread_of(
        clusterer.event_of("match-2"))


def test_same_text_a_month_later_is_a_new_event_of_the_same_thread():
    clusterer = Clusterer()
    first = clusterer.add(_doc("a", "2025-03-02", *MATCH_1))
    later = clusterer.add(_doc("b", "2025-04-02", *MATCH_1))
    assert later.new_event and later.event_id != first.event_id
    assert later.thread_id == first.thread_id


def test_undated_article_needs_close_content():
    settings = Settings()
    clusterer = Clusterer(settings)
    clusterer.add(_doc("match-1", "2025-03-02", *MATCH_1))
    clusterer.add(_doc("petrol", "2025-03-02", *PETROL))
    copy = clusterer.add(_doc("copy", None, *MATCH_1))  # a reprint without a date
    assert not copy.new_event and copy.event_id == clusterer.event_of("match-1")
    assert copy.similarity == pytest.approx(settings.undated_factor, abs=0.02)
    other = clusterer.add(_doc("match-2", None, *MATCH_2))  # same team, other match, undated
    assert other.new_event


def test_merged_threads_are_reported():
    """An event that links two threads merges them into the older one and says so."""
    clusterer = Clusterer()
    a = clusterer.add(_doc("match-1", "2025-03-02", *MATCH_1))
    b = clusterer.add(_doc("petrol", "2025-03-02", *PETROL))
    assert a.thread_id != b.thread_id
    threads = {t.id for t in clusterer.threads()}
    for doc in _cricket()[2:]:
        assignment = clusterer.add(doc)
        assert set(assignment.merged_threads) <= threads
        threads = {t.id for t in clusterer.threads()}
    assert {t.id for t in clusterer.threads()} == threads


def test_rows_are_json_ready():
    clusterer = _cluster(_cricket())
    rows = [e.to_dict() for e in clusterer.events()] + [t.to_dict() for t in clusterer.threads()]
    assert json.loads(json.dumps(rows, ensure_ascii=False)) == rows
    event = next(e for e in clusterer.events() if "match-1" in e.docs)
    assert event.first == dt.date(2025, 3, 2) and event.last == dt.date(2025, 3, 3)
    assert "place:india" in event.entities


if __name__ == "__main__":  # print the clusters of the sample corpus
    docs = _docs(ROOT, lambda p: p.relative_to(ROOT).as_posix())
    clusterer = _cluster(docs)
    for thread in clusterer.threads():
        print(thread.id, thread.first, thread.last, ", ".join(thread.entities))
        for event_id in thread.events:
            event = next(e for e in clusterer.events() if e.id == event_id)
            print("   ", event.id, event.first, ", ".join(event.terms[:5]))
            for doc_id in event.docs:
                print("       ", doc_id)

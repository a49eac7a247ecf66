"""Structural tests of the bundled sample corpus and its gold file (resources/sample/).

These check the data, not the pipeline: the gold must describe every page line by line,
so that the cleaning and extraction code can be measured against it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

# Found by path, not through khabar.resources, so the data can be checked on its own.
SAMPLE = Path(__file__).resolve().parent.parent / "src" / "khabar" / "resources" / "sample"
GOLD_PATH = SAMPLE / "gold.json"
ROLES = ("title", "heading", "body", "byline", "meta")
KINDS = {
    "related_link", "teaser", "ui", "widget", "share", "ad", "footer", "navigation",
    "non_urdu", "duplicate_line",
}


@cache
def gold() -> dict:
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))


def page_files() -> list[str]:
    return sorted(p.relative_to(SAMPLE).as_posix() for p in SAMPLE.rglob("*.txt"))


@cache
def raw_lines(key: str) -> tuple[str, ...]:
    text = (SAMPLE / key).read_text(encoding="utf-8")
    return tuple(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"))


def labelled(key: str) -> dict[int, str]:
    """Line number -> label ('body', 'boilerplate.teaser', ...); fails on a line given twice."""
    lines = gold()["documents"][key]["lines"]
    out: dict[int, str] = {}
    pairs = [(role, n) for role in ROLES for n in lines.get(role, [])]
    pairs += [(f"boilerplate.{kind}", n)
              for kind, ns in lines.get("boilerplate", {}).items() for n in ns]
    for label, n in pairs:
        assert n not in out, f"{key}: line {n} labelled twice ({out[n]} and {label})"
        out[n] = label
    return out


def article_text(key: str) -> str:
    """The non-boilerplate lines of a page (where entity mentions must be)."""
    lines = raw_lines(key)
    return "\n".join(lines[n - 1] for n, label in labelled(key).items()
                     if not label.startswith("boilerplate."))


def full_text(key: str) -> str:
    return "\n".join(raw_lines(key))


def test_corpus_size_and_outlets() -> None:
    pages = page_files()
    outlets = Counter(p.split("/")[0] for p in pages)
    assert len(pages) >= 30
    assert len(outlets) >= 4
    assert sum(1 for n in outlets.values() if n >= 5) >= 4, outlets
    assert all("/" in p and p.isascii() for p in pages)


def test_gold_documents_match_the_files() -> None:
    assert set(gold()["documents"]) == set(page_files())


def test_languages() -> None:
    languages = Counter(d["language"] for d in gold()["documents"].values())
    assert set(languages) == {"ur", "fa", "en"}
    assert languages["ur"] >= 28


@pytest.mark.parametrize("key", page_files())
def test_every_nonblank_line_is_labelled_exactly_once(key: str) -> None:
    lines = raw_lines(key)
    labels = labelled(key)
    nonblank = {i for i, line in enumerate(lines, 1) if line.strip()}
    assert set(labels) == nonblank, (
        f"unlabelled: {sorted(nonblank - set(labels))}, blank or out of range: "
        f"{sorted(set(labels) - nonblank)}")
    doc = gold()["documents"][key]
    assert set(doc["lines"]["boilerplate"]) <= KINDS
    assert len(doc["lines"]["title"]) == 1


@pytest.mark.parametrize("key", page_files())
def test_document_metadata(key: str) -> None:
    doc = gold()["documents"][key]
    text = full_text(key)
    if doc["published"] is not None:
        dt.date.fromisoformat(doc["published"])
    for field in ("dateline", "byline"):
        if doc[field] is not None:
            assert doc[field] in text, f"{field} {doc[field]!r} is not on the page"
    assert isinstance(doc["agencies"], list)
    assert doc["outlet"]


@pytest.mark.parametrize("key", page_files())
def test_duplicate_lines_repeat_an_earlier_line(key: str) -> None:
    lines = raw_lines(key)
    for n in gold()["documents"][key]["lines"]["boilerplate"].get("duplicate_line", []):
        assert lines[n - 1] in lines[: n - 1]


def test_entity_variants_appear_in_their_documents() -> None:
    entities = gold()["entities"]
    assert len(entities) >= 120
    docs = gold()["documents"]
    for entity in entities:
        assert entity["type"] in {"PERSON", "PLACE", "ORG"}
        assert entity["in"] and entity["variants"]
        for key in entity["in"]:
            assert key in docs, key
            text = article_text(key)
            assert any(v in text for v in entity["variants"]), (entity["canonical"], key)
        for variant in entity["variants"]:
            assert any(variant in article_text(k) for k in entity["in"]), (
                entity["canonical"], variant)


def test_entities_join_spelling_variants() -> None:
    """The corpus exists to exercise variant joining: several entities have many spellings."""
    multi = [e for e in gold()["entities"] if len(e["variants"]) >= 3]
    assert len(multi) >= 5
    assert len({e["canonical"] for e in gold()["entities"]}) == len(gold()["entities"])


def test_not_entities_appear_only_in_boilerplate() -> None:
    for item in gold()["not_entities_of_the_article"]:
        assert item["text"] in full_text(item["doc"])
        assert item["text"] not in article_text(item["doc"])


def test_dates_claims_quotes_point_into_their_documents() -> None:
    g = gold()
    assert len(g["dates"]) >= 60 and len(g["claims"]) >= 60 and len(g["quotes"]) >= 20
    for item in g["dates"]:
        assert item["text"] in full_text(item["doc"]), item
        assert item.get("role") in {"published", "event", "relative"}
    for item in g["claims"]:
        text = article_text(item["doc"])
        assert item["quantity"] in text, item
        assert all(source in text for source in item["according_to"]), item
    for item in g["quotes"]:
        text = article_text(item["doc"])
        assert item["text"] in text and item["speaker"] in text, item


def test_published_dates_are_in_the_dates_list() -> None:
    published = {(d["doc"], d["value"]) for d in gold()["dates"] if d.get("role") == "published"}
    for key, doc in gold()["documents"].items():
        if doc["published"]:
            assert (key, doc["published"]) in published, key


def test_stories_refer_to_existing_documents() -> None:
    g = gold()
    docs = g["documents"]
    stories = g["stories"]
    assert len(stories["events"]) >= 6
    assert len(stories["threads"]) >= 2
    for group in stories["events"] + stories["threads"]:
        assert len(group) >= 2 and set(group) <= set(docs)
    for event in stories["events"]:
        assert len({k.split("/")[0] for k in event}) >= 2, event
        days = [dt.date.fromisoformat(re.search(r"\d{4}-\d\d-\d\d", k).group()) for k in event]
        assert (max(days) - min(days)).days <= 3, event
    for thread in stories["threads"]:
        days = [dt.date.fromisoformat(re.search(r"\d{4}-\d\d-\d\d", k).group()) for k in thread]
        assert (max(days) - min(days)).days >= 21, thread
    for original, copy in stories["reprints"] + g["duplicates"]:
        assert original in docs and copy in docs and original != copy


def test_each_outlet_has_repeated_chrome() -> None:
    """A line that recurs on several pages of one outlet is boilerplate in the gold."""
    by_outlet: dict[str, list[str]] = {}
    for key in page_files():
        by_outlet.setdefault(key.split("/")[0], []).append(key)
    for outlet, keys in by_outlet.items():
        if len(keys) < 2:
            continue
        seen: Counter[str] = Counter()
        for key in keys:
            seen.update({line for line in raw_lines(key) if line.strip()})
        chrome = {line for line, n in seen.items() if n == len(keys)}
        assert chrome, f"{outlet} has no line repeated on all its pages"
        for key in keys:
            labels = labelled(key)
            for n, line in enumerate(raw_lines(key), 1):
                if line in chrome:
                    assert labels[n].startswith("boilerplate."), (key, n, line)

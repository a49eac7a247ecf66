"""khabar.clean on the two seed pages, line for line against ../shared/gold/seeds.json.

The gold's boilerplate keys read like "related_link (marked 'یہ بھی پڑھیں:')": the kind is the
first word. Byline lines are metadata (``meta_lines``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import labels_of
from khabar.clean import clean
from khabar.model import Article, Page
from khabar.urdu import normalize

pytestmark = pytest.mark.shared

SEEDS = ["000_c0c4beaa8fb5c965.txt", "003_d06b901110fe9704.txt"]


def expected_of(doc: dict) -> dict[int, str]:
    lines = doc["lines"]
    out: dict[int, str] = {}
    for label in ("title", "heading", "body"):
        out.update({n: label for n in lines.get(label, [])})
    out.update({n: "meta" for n in lines.get("byline", [])})
    for key, numbers in lines.get("boilerplate", {}).items():
        out.update({n: key.split()[0] for n in numbers})
    return out


@pytest.fixture(scope="module")
def seed_articles(shared_dir: Path) -> dict[str, tuple[str, Article]]:
    out = {}
    for name in SEEDS:
        text = (shared_dir / "seeds" / name).read_text(encoding="utf-8")
        out[name] = (text, clean(Page(source=f"seeds/{name}", text=text)))
    return out


@pytest.mark.parametrize("name", SEEDS)
def test_seed_lines_match_gold(name: str, seed_articles: dict, seeds_gold: dict) -> None:
    text, article = seed_articles[name]
    got = labels_of(article)
    want = expected_of(seeds_gold["documents"][name])
    non_blank = {i for i, line in enumerate(text.split("\n"), 1) if line.strip()}
    assert set(got) == non_blank, "every non-blank line is accounted for exactly once"
    wrong = {n: (want[n], got.get(n)) for n in want if got.get(n) != want[n]}
    assert not wrong, f"lines that differ from the gold (line: (gold, got)): {wrong}"


def test_seed_000_metadata(seed_articles: dict) -> None:
    _, article = seed_articles[SEEDS[0]]
    assert article.meta.dateline == "پیونگیانگ"
    assert article.meta.outlet == "Daily Pakistan"  # from "(ڈیلی پاکستان آن لائن)"
    assert article.meta.published is None
    assert article.meta.agencies == []
    assert article.meta.language == "ur"
    first = article.blocks[1]  # the summary heading (line 3) comes first
    assert first.lines == [5]
    assert first.text.startswith("شمالی کوریا کے رہنما")
    assert "(" not in first.text and "پیونگیانگ" not in first.text


def test_seed_003_metadata(seed_articles: dict) -> None:
    _text, article = seed_articles[SEEDS[1]]
    meta = article.meta
    assert meta.published == "2024-11-12"
    assert meta.byline == "ص ز/ ج ا"
    assert meta.agencies == ["AFP", "Reuters"]
    assert meta.dateline is None
    assert article.meta_lines == [18]
    first = article.blocks[0]
    assert first.lines == [2]
    assert first.text.startswith("شمالی کوریا کے سرکاری میڈیا")  # the glued date is metadata


def test_seed_block_texts_are_display_form(seed_articles: dict) -> None:
    text, article = seed_articles[SEEDS[1]]
    raw = text.split("\n")
    heading = next(b for b in article.blocks if b.lines == [5])
    assert heading.kind == "heading"
    assert heading.text == normalize(raw[4]).strip()
    assert article.title is not None and article.title.text == normalize(raw[0]).strip()


def test_seed_drop_reasons_explain(seed_articles: dict) -> None:
    _, article = seed_articles[SEEDS[0]]
    by_line = {d.lines[0]: d for d in article.dropped}
    assert by_line[7].reason == "marked related link: starts with 'یہ بھی پڑھیں:'"
    assert by_line[121].kind == "widget" and "widget" in by_line[121].reason
    _, article = seed_articles[SEEDS[1]]
    teaser = next(d for d in article.dropped if d.lines == [8])
    assert teaser.reason.startswith("headline of another story")
    assert "title" in teaser.reason

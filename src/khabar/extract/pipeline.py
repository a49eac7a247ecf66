"""``khabar.extract``: the clean article plus its entities, dates, numeric claims and quotes.

The facts modules work on one text; here they run over the article's kept text (title, then
each block, one per line, so no sentence crosses a block) with the article's entity mentions,
and every offset is mapped back to where the reader sees it: ``part`` is ``"title"``,
``"block"`` (``block`` indexes ``article.blocks``) or ``"meta"``, and ``start``/``end`` are
offsets into that text. Dropped lines are never scanned, so a name or a number that only occurs
in a teaser is not a fact of the article.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from khabar.clean import RepeatedLines
from khabar.clean import clean as clean_page
from khabar.extract.claims import find_claims, read_facts
from khabar.extract.dates import find_dates
from khabar.extract.entities import Entity, find_entities
from khabar.extract.quotes import find_quotes
from khabar.model import Article, Page
from khabar.urdu.numbers import find_numbers

__all__ = ["Extraction", "extract", "extract_many"]


@dataclass(slots=True)
class Extraction:
    """An article and what was found in it. ``to_dict()`` is the ``extract --json`` shape."""

    article: Article
    entities: list[Entity] = field(default_factory=list)
    dates: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = self.article.to_dict()
        data["entities"] = [e.to_dict() for e in self.entities]
        data["dates"] = self.dates
        data["claims"] = self.claims
        data["quotes"] = self.quotes
        return data


class _Layout:
    """Where each part of the joined article text starts: title first, then the blocks."""

    def __init__(self, article: Article) -> None:
        self.parts: list[tuple[str, int | None, str]] = []
        if article.title is not None:
            self.parts.append(("title", None, article.title.text))
        self.parts.extend(("block", i, b.text) for i, b in enumerate(article.blocks))
        self.starts: list[int] = []
        pos = 0
        for _, _, text in self.parts:
            self.starts.append(pos)
            pos += len(text) + 1
        self.text = "\n".join(text for _, _, text in self.parts)

    def offset(self, part: str, block: int | None) -> int | None:
        for (p, b, _), start in zip(self.parts, self.starts, strict=True):
            if p == part and b == block:
                return start
        return None

    def locate(self, start: int, end: int) -> dict[str, Any]:
        """Joined-text offsets -> ``part``, ``block`` and offsets local to that part."""
        i = max(0, bisect.bisect_right(self.starts, start) - 1)
        part, block, _ = self.parts[i]
        base = self.starts[i]
        return {"part": part, "block": block, "start": start - base, "end": end - base}


def _mentions(entities: Iterable[Entity], layout: _Layout) -> list[dict[str, Any]]:
    """Entity mentions in joined-text offsets, as the facts modules take them."""
    out = []
    for entity in entities:
        for m in entity.mentions:
            base = layout.offset(m.part, m.block) if m.part != "meta" else None
            if base is None:
                continue
            out.append({"start": base + m.start, "end": base + m.end, "id": entity.id,
                        "type": entity.type})
    return out


def _relocate(data: dict[str, Any], layout: _Layout) -> dict[str, Any]:
    """A fact's dict with its joined-text offsets (and its sources' offsets) made local."""
    where = layout.locate(data["start"], data["end"])
    shift = data["start"] - where["start"]
    out = {k: v for k, v in data.items() if k not in ("start", "end")}
    out.update(where)
    if "sources" in out:
        out["sources"] = [_shift(s, shift) for s in out["sources"]]
    if isinstance(out.get("speaker"), dict):
        out["speaker"] = _shift(out["speaker"], shift)
    return out


def _shift(source: dict[str, Any], shift: int) -> dict[str, Any]:
    source = dict(source)
    if source.get("start", -1) >= 0:
        source["start"] -= shift
        source["end"] -= shift
    else:  # resolved from an earlier sentence ("ایجنسی"): no words of this text name it
        source["start"] = source["end"] = None
    return source


def _published_date(raw: str | None, article: Article) -> dict[str, Any]:
    """The publication date as a ``dates`` entry when the kept text no longer holds it: it was
    on a metadata line or glued to the first paragraph (``12 نومبر 2024شمالی``)."""
    published = str(article.meta.published)[:10]
    entry: dict[str, Any] = {"text": published, "value": published, "role": "published",
                             "part": "meta", "block": None, "line": None, "start": None,
                             "end": None}
    if raw is None:
        return entry
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    candidates = sorted({*article.meta_lines, *(b.lines[0] for b in article.blocks[:3])})
    for n in candidates:
        if 0 < n <= len(lines):
            found = [d for d in find_dates(lines[n - 1]) if d.value == published]
            if found:
                entry.update(text=found[0].text, line=n)
                break
    return entry


def extract(item: str | Page | Article, *, published: str | None = None,
            repeated: RepeatedLines | None = None, use_tagger: bool = True) -> Extraction:
    """Clean ``item`` (raw text or a :class:`Page`; an :class:`Article` is used as it is) and
    find its entities, dates, numeric claims and quotes.

    ``published`` (ISO date) overrides the publication date found on the page; relative dates
    (``گزشتہ ہفتے``, ``منگل کے روز``) are resolved against it. ``repeated`` carries the
    repeated-line counts of an outlet (see :func:`khabar.clean_many`).
    """
    if isinstance(item, Article):
        return _extract_article(item, None, published, use_tagger)
    page = item if isinstance(item, Page) else Page(source="<text>", text=item)
    article = clean_page(page, repeated=repeated)
    return _extract_article(article, page.text, published or page.published, use_tagger)


def extract_many(pages: Iterable[Page], *, use_tagger: bool = True) -> Iterator[Extraction]:
    """:func:`extract` over many pages, learning each outlet's repeated chrome first as
    :func:`khabar.clean_many` does (the pages are held in a list)."""
    items = list(pages)
    repeated = RepeatedLines.learn(items)
    for page in items:
        yield extract(page, repeated=repeated, use_tagger=use_tagger)


def _extract_article(article: Article, raw: str | None, published: str | None,
                     use_tagger: bool) -> Extraction:
    if published:
        article.meta.published = published[:10]
    meta_texts: list[tuple[int, str]] = []
    if raw is not None and article.meta_lines:
        lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        meta_texts = [(n, lines[n - 1]) for n in article.meta_lines if 0 < n <= len(lines)]
    entities = find_entities(article, meta_lines=meta_texts, use_tagger=use_tagger)

    layout = _Layout(article)
    text = layout.text
    if not text:
        return Extraction(article, entities)
    mentions = _mentions(entities, layout)
    anchor = article.meta.published
    numbers = find_numbers(text)
    found_dates = find_dates(text, anchor, numbers=numbers)
    # claims and quotes share one reading of the text (attributions, sentences, date spans)
    reading = read_facts(text, mentions, numbers=numbers,
                         dates=[(d.start, d.end) for d in found_dates])
    dates = [_relocate(d.to_dict(), layout) for d in found_dates]
    if anchor and not any(d["role"] == "published" for d in dates):
        dates.insert(0, _published_date(raw, article))
    elif not anchor:  # a date line in the kept text was taken for the publication date
        found = next((d for d in dates if d["role"] == "published"), None)
        if found is not None and len(found["value"]) == 10 and "X" not in found["value"]:
            article.meta.published = found["value"]
    claims = [_relocate(c.to_dict(), layout) for c in find_claims(text, reading=reading)]
    quotes = [_relocate(q.to_dict(), layout) for q in find_quotes(text, reading=reading)]
    return Extraction(article, entities, dates, claims, quotes)

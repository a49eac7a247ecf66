"""What the story clusterer needs of one article: :class:`StoryDoc`.

A :class:`StoryDoc` is small, plain and JSON-friendly (``to_dict``/``from_dict``) so that the
archive can keep it as a row and rebuild it without running extraction again. The text is kept
in matching-key form (:func:`khabar.key`): diacritics, hamza and letter variants, joined words
and digits do not split a term in two (a page typed with Arabic ك ي and one with Urdu ک ی give
the same terms).

Terms (:func:`terms`): words of the key that are not stop words (the hand-written Urdu and
English lists of ``resources/clean/``, ``resources/stories/stopwords_news_ur.txt`` - words every
news report has - and the Gregorian and Solar Hijri month and weekday names of
``resources/time/``), with single letters and one-digit numbers dropped, each reduced to a light
stem (``khabar.clean``'s: بارشوں / بارشیں / بارش, ہلاکتیں / ہلاکت) so that inflection does not
split a term.

Entities: ids with a weight per article, from mentions in the title (counted twice: the title
says what the article is about) and body. Mentions found only on metadata lines (datelines,
bylines, credits) are left out, and so are news agencies and outlets (``رائٹرز``, ``اے ایف پی``,
``ڈان نیوز``): they say who reported, not what happened, and would join unrelated stories of the
same wire.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import regex

from khabar import resources
from khabar.clean.data import stem
from khabar.urdu import key

if TYPE_CHECKING:
    from khabar.extract.pipeline import Extraction

__all__ = ["StoryDoc", "entity_weights", "parse_date", "terms"]

MAX_BODY_TERMS = 800  # terms of the body read (the lead carries the story; bounds the cost)
TITLE_ENTITY_BONUS = 1  # a mention in the title counts this much extra
UNKNOWN_ENTITY_WEIGHT = 0.5  # unk: ids (tagger or cue names not in the gazetteer) are noisier
# Gazetteer subtypes that name who reported rather than what happened.
NON_TOPICAL_SUBTYPES = frozenset({"agency", "outlet"})

_ONE_CHAR = regex.compile(r"^(?:\p{L}|\d)$")
_ISO_DATE = regex.compile(r"^(\d{4})-(\d{2})-(\d{2})")


@cache
def _stop_words() -> frozenset[str]:
    words: set[str] = set()
    for parts in (("clean", "stopwords_ur.txt"), ("clean", "stopwords_en.txt"),
                  ("stories", "stopwords_news_ur.txt")):
        for line in resources.read_lines(*parts):
            words.update(key(line).split())
    # Gregorian and Solar Hijri month names and weekdays: every report of a week shares them.
    # Islamic months stay terms (رمضان، محرم say what a story is about).
    for row in resources.read_tsv("time", "months.tsv"):
        if len(row) > 1 and row[1] in ("gregorian", "persian"):
            words.update(key(row[0]).split())
    for row in resources.read_tsv("time", "weekdays.tsv"):
        words.update(key(row[0]).split())
    return frozenset(words)


def terms(text_key: str, limit: int | None = None) -> list[str]:
    """The content words of a matching-key text, in order (stop words, single letters and
    one-digit numbers dropped); at most ``limit`` of them."""
    stops = _stop_words()
    out = [stem(w) for w in text_key.split() if w not in stops and not _ONE_CHAR.match(w)]
    return out[:limit] if limit is not None else out


def parse_date(value: Any) -> dt.date | None:
    """An ISO date (``2025-05-10``, ``2025-05-10T08:00:00``, a ``date``) or None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = _ISO_DATE.match(str(value).strip())
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _non_topical(entity_id: str) -> bool:
    # Unknown names are never in the gazetteer; keeping them out of the cache keeps it bounded
    # by the gazetteer's size however many pages go by.
    return not entity_id.startswith("unk:") and _non_topical_known(entity_id)


@cache
def _non_topical_known(entity_id: str) -> bool:
    from khabar.extract.gazetteer import Gazetteer  # loaded once; extraction has it already

    gazetteer = Gazetteer.load()
    return entity_id in gazetteer and gazetteer.entry(entity_id).subtype in NON_TOPICAL_SUBTYPES


@dataclass(slots=True)
class StoryDoc:
    """One article as the story clusterer sees it.

    ``entities`` maps entity ids (``place:pakistan``, ``person:vladimir-putin``, ``unk:...``)
    to a mention count (title mentions count double); ``language`` is the page's language code
    (``ur``, ``fa``, ``en``; None is taken as Urdu).
    """

    id: str
    published: dt.date | None = None
    outlet: str | None = None
    language: str | None = None
    title_key: str = ""
    body_key: str = ""
    entities: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_extraction(cls, extraction: Extraction, id: str | None = None) -> StoryDoc:
        """Build from a :class:`khabar.Extraction`; ``id`` defaults to the article's id or
        source."""
        article = extraction.article
        counts: Counter[str] = Counter()
        for entity in extraction.entities:
            if _non_topical(entity.id):
                continue
            for mention in entity.mentions:
                if mention.part == "title":
                    counts[entity.id] += 1 + TITLE_ENTITY_BONUS
                elif mention.part == "block":
                    counts[entity.id] += 1
        title = article.title.text if article.title else ""
        body = "\n".join(block.text for block in article.blocks)
        return cls(
            id=id or article.id or article.source,
            published=parse_date(article.meta.published),
            outlet=article.meta.outlet,
            language=article.meta.language,
            title_key=key(title),
            body_key=key(body),
            entities=dict(counts),
        )

    @property
    def lang(self) -> str:
        return self.language or "ur"

    def title_terms(self) -> list[str]:
        return terms(self.title_key)

    def body_terms(self, title_terms: list[str] | None = None) -> list[str]:
        """Title and body terms (the title is part of what the article says); pass the
        title's terms when they are at hand, so the title is not split twice."""
        if title_terms is None:
            title_terms = self.title_terms()
        return title_terms + terms(self.body_key, MAX_BODY_TERMS)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id,
                "published": self.published.isoformat() if self.published else None,
                "outlet": self.outlet, "language": self.language, "title_key": self.title_key,
                "body_key": self.body_key, "entities": dict(self.entities)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StoryDoc:
        return cls(id=data["id"], published=parse_date(data.get("published")),
                   outlet=data.get("outlet"), language=data.get("language"),
                   title_key=data.get("title_key", ""), body_key=data.get("body_key", ""),
                   entities={k: int(v) for k, v in (data.get("entities") or {}).items()})


def entity_weights(entities: dict[str, int]) -> dict[str, float]:
    """Sub-linear weights of an article's entity counts (1 + ln n), ``unk:`` ids halved."""
    out = {}
    for entity_id, n in entities.items():
        if n <= 0:
            continue
        w = 1.0 + math.log(n)
        out[entity_id] = w * UNKNOWN_ENTITY_WEIGHT if entity_id.startswith("unk:") else w
    return out

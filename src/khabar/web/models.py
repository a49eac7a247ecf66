"""Response models of the JSON API (they make ``/openapi.json`` describe what comes back)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

__all__ = [
    "ArticleDetail", "ArticleRef", "EntityDetail", "EntitySummary", "EventDetail",
    "EventSummary", "SearchResults", "ThreadDetail", "ThreadSummary",
]


class ArticleRef(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: str | None = Field(description="ISO date of publication, when known")
    language: str | None


class EventArticle(ArticleRef):
    event: str


class Bucket(BaseModel):
    start: str = Field(description="first day the bar covers (ISO date)")
    label: str = Field(description="the day, ISO week (2025-W20) or month (2025-05)")
    count: int


class Coverage(BaseModel):
    unit: str = Field(description="day, week or month (coarser when a span is long)")
    buckets: list[Bucket]
    undated: int = 0


class EntitySummary(BaseModel):
    id: str
    type: str
    name_en: str | None
    name_ur: str
    articles: int


class SharedEntity(EntitySummary):
    outlets: int


class ClaimSource(BaseModel):
    text: str
    entity: str | None


class SideClaim(BaseModel):
    article: str
    title: str | None
    outlet: str | None
    published: str | None
    text: str | None
    number_text: str | None
    value: float | None
    approximate: bool
    what: str | None
    unit: str | None
    sources: list[ClaimSource]


class ClaimGroup(BaseModel):
    what: str = Field(description="what the claims count (matching form) or their unit")
    articles: int
    disagree: bool = Field(description="the claims give different numbers")
    claims: list[SideClaim]
    event: str | None = Field(None, description="on a thread: the event the claims are about")
    event_title: str | None = None


class EventSummary(BaseModel):
    id: str
    thread: str | None
    title: str | None
    first: str | None
    last: str | None
    articles: int
    outlets: list[str]


class EventDetail(EventSummary):
    thread_title: str | None
    article_list: list[EventArticle]
    per_day: Coverage
    entities: list[SharedEntity]
    claims: list[ClaimGroup]


class ThreadSummary(BaseModel):
    id: str
    title: str | None
    first: str | None
    last: str | None
    events: int
    articles: int
    outlets: list[str]


class ThreadDetail(ThreadSummary):
    event_list: list[EventSummary]
    article_list: list[EventArticle]
    per_day: Coverage
    entities: list[SharedEntity]
    claims: list[ClaimGroup]


class Block(BaseModel):
    kind: str
    text: str
    lines: list[int]


class Dropped(BaseModel):
    kind: str
    reason: str
    text: str
    lines: list[int]


class Mention(BaseModel):
    part: str | None
    block: int | None
    start: int | None
    end: int | None
    text: str


class ArticleEntity(BaseModel):
    id: str
    type: str
    name_en: str | None
    name_ur: str
    mentions: list[Mention]


class Duplicate(ArticleRef):
    kind: str = Field(description="exact, near or partial")
    similarity: float
    original: bool = Field(description="this other article is the earlier one (the original)")


class ArticleDetail(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    dateline: str | None
    byline: str | None
    agencies: list[str]
    language: str | None
    source: str
    url: str | None
    blocks: list[Block]
    dropped: list[Dropped]
    entities: list[ArticleEntity]
    dates: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    event: EventSummary | None
    duplicates: list[Duplicate]


class Variant(BaseModel):
    text: str
    count: int


class OutletCount(BaseModel):
    outlet: str
    articles: int


class EntityEvent(BaseModel):
    event: str
    thread: str | None
    title: str | None
    first: str | None
    last: str | None
    articles: int


class MentioningArticle(ArticleRef):
    mentions: int


class EntityDetail(BaseModel):
    id: str
    type: str
    name_en: str | None
    name_ur: str
    mentions: int
    articles: int
    first: str | None
    last: str | None
    variants: list[Variant] = Field(description="spellings seen, with how often")
    outlets: list[OutletCount]
    per_week: Coverage
    cooccurring: list[EntitySummary]
    events: list[EntityEvent]
    article_list: list[MentioningArticle]


class SearchHit(ArticleRef):
    score: float
    snippet: str = Field(description="display-form text around the matches")
    highlights: list[list[int]] = Field(description="[start, end) offsets into snippet")


class SearchResults(BaseModel):
    query: str
    outlet: str | None
    date_from: str | None
    date_to: str | None
    total: int
    hits: list[SearchHit]
    error: str | None = Field(description="why the query could not be searched, if so")

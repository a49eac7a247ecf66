"""Plain dataclasses that flow between khabar's stages.

Data moves one way: readers produce :class:`Page` (or :class:`Problem`), cleaning turns a
page into an :class:`Article`. Every class has ``to_dict()`` giving the JSON shape that the
CLI prints with ``--json``; keys with value ``None`` are kept so that the contract is stable.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class Page:
    """One decoded page, as a reader found it.

    ``text`` is always the page as lines of text. For HTML input it is the text of the page's
    block elements, one per line, and ``line_tags`` says for each line of ``text`` which element
    it came from (see :mod:`khabar.readers.html`), so that cleaning can use the markup.
    """

    source: str
    text: str
    encoding: str | None = None
    format: str = "txt"  # txt | html | jsonl | warc
    id: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date given by the input (JSONL field, WARC date, ...)
    title: str | None = None  # title given by the input (JSONL field, HTML <title>, ...)
    line_tags: list[str] | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if data["line_tags"] is None:
            del data["line_tags"]
        return data


@dataclass(slots=True)
class Problem:
    """A file or record that could not be read. The batch goes on; the problem is reported."""

    source: str
    problem: str
    detail: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {"source": self.source, "problem": self.problem}
        if self.detail:
            data["detail"] = self.detail
        return data


@dataclass(slots=True)
class Block:
    """A run of article text: ``kind`` is ``paragraph`` or ``heading`` (or ``title``)."""

    kind: str
    text: str
    lines: list[int]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "lines": list(self.lines)}


@dataclass(slots=True)
class Dropped:
    """A raw line (or run of lines) that is not article text, with the reason in words."""

    kind: str
    reason: str
    text: str
    lines: list[int]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "reason": self.reason, "text": self.text,
                "lines": list(self.lines)}


@dataclass(slots=True)
class Meta:
    published: str | None = None
    dateline: str | None = None
    outlet: str | None = None
    agencies: list[str] = field(default_factory=list)
    byline: str | None = None
    language: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Article:
    """The clean article made from one page.

    Every non-blank raw line is in exactly one of ``title.lines``, a block's ``lines``, a
    dropped line's ``lines`` or ``meta_lines``.
    """

    source: str
    id: str | None
    title: Block | None
    blocks: list[Block]
    dropped: list[Dropped]
    meta: Meta
    meta_lines: list[int] = field(default_factory=list)
    url: str | None = None

    @property
    def text(self) -> str:
        """Title and blocks joined by blank lines: the clean article as plain text."""
        parts = [self.title.text] if self.title else []
        parts.extend(block.text for block in self.blocks)
        return "\n\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "id": self.id,
            "url": self.url,
            "title": ({"text": self.title.text, "lines": list(self.title.lines)}
                      if self.title else None),
            "blocks": [block.to_dict() for block in self.blocks],
            "dropped": [drop.to_dict() for drop in self.dropped],
            "meta": self.meta.to_dict(),
            "meta_lines": list(self.meta_lines),
        }

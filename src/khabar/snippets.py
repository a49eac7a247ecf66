"""Search snippets in the display form of the text (with its diacritics and spellings), not in
the matching form the full-text index holds.

The index says which of its (matching-form) words matched; the snippet is cut from the
article's own paragraph that holds most of them: a word of the paragraph is marked when its
matching key is one of those words, and a name the query denotes is marked at the offsets the
extractor stored (so ``پیوٹن`` marks ``پوٹن`` too).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import regex

from khabar.urdu import key

__all__ = ["display_snippet", "marked"]

_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_SPACE = regex.compile(r"\s")
#: Characters of context before the first match, and the snippet's length.
BEFORE, LENGTH = 70, 240


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _spans(text: str, terms: set[str], mentions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans = [(s, e) for s, e in mentions if 0 <= s < e <= len(text)]
    if terms:
        folded = key(text)
        if any(t in folded for t in terms):
            for word in _WORD.finditer(text):
                if terms.intersection(key(word.group()).split()):
                    spans.append(word.span())
    return _merge(spans)


def _cut(text: str, at: int) -> tuple[int, int]:
    """A window of about :data:`LENGTH` characters around offset ``at``, on spaces."""
    start = max(0, at - BEFORE)
    if start:
        space = _SPACE.search(text, start, at)
        start = space.end() if space else start
    end = min(len(text), start + LENGTH)
    if end < len(text):
        spaces = [m.start() for m in _SPACE.finditer(text, max(start, end - 30), end)]
        end = spaces[-1] if spaces else end
    return start, end


def display_snippet(data: dict[str, Any], terms: set[str], entity_ids: set[str]
                    ) -> dict[str, Any]:
    """``snippet`` (display text, with ``…`` where cut) and ``highlights`` (offsets into it)
    for an article's ``extract --json`` object, the matching-form words the index matched and
    the entity ids the query denotes."""
    blocks = [b.get("text", "") for b in data.get("blocks", [])]
    mentions: dict[int, list[tuple[int, int]]] = {}
    for entity in data.get("entities", []):
        if entity.get("id") in entity_ids:
            for m in entity.get("mentions", []):
                if m.get("part") == "block" and isinstance(m.get("block"), int):
                    mentions.setdefault(m["block"], []).append((m["start"], m["end"]))
    wanted = len(terms) + len(entity_ids)
    best: tuple[int, int, list[tuple[int, int]]] | None = None  # (found, block, spans)
    for i, text in enumerate(blocks):
        spans = _spans(text, terms, mentions.get(i, []))
        if not spans:
            continue
        found = len({key(text[s:e]) for s, e in spans})
        if best is None or found > best[0]:
            best = (found, i, spans)
        if found >= wanted:
            break
    if best is None:
        text = blocks[0] if blocks else ((data.get("title") or {}).get("text") or "")
        start, end = _cut(text, 0)
        return {"snippet": text[start:end] + ("…" if end < len(text) else ""),
                "highlights": []}
    _, i, spans = best
    text = blocks[i]
    start, end = _cut(text, spans[0][0])
    prefix = "…" if start else ""
    shift = len(prefix) - start
    highlights = [[max(s, start) + shift, min(e, end) + shift]
                  for s, e in spans if s < end and e > start]
    return {"snippet": prefix + text[start:end] + ("…" if end < len(text) else ""),
            "highlights": highlights}


def marked(snippet: str, highlights: Iterable[Iterable[int]], start: str = "[",
           end: str = "]") -> str:
    """The snippet as plain text with its highlights between ``start`` and ``end``."""
    out: list[str] = []
    at = 0
    for s, e in highlights:
        if s < at or e <= s or e > len(snippet):
            continue
        out += [snippet[at:s], start, snippet[s:e], end]
        at = e
    out.append(snippet[at:])
    return "".join(out)

"""Safe HTML for article text: names, dates, numeric claims and quotes marked in a block.

Marks come from the offsets the extractor stored (``start``/``end`` into a block or the
title). The HTML is built here, not in a template, so every piece of the text goes through
:func:`markupsafe.escape` and only the tags made here are :class:`~markupsafe.Markup`. Marks
nest (a name inside a quote inside nothing else); a mark that crosses another one, points
outside the text or does not match the text at its offsets is left out rather than guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import quote

import regex
from markupsafe import Markup, escape

from khabar.resources import read_tsv

__all__ = ["Mark", "format_date", "marks_for", "path_quote", "render_marked"]

#: Outer kinds first: a quote holds a claim, a claim holds a name, a name holds a date.
_ORDER = {"quote": 0, "claim": 1, "entity": 2, "date": 3}
_TYPE_CLASS = {"PERSON": "person", "PLACE": "place", "ORG": "org"}
_ISO_DATETIME = regex.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?|-W\d{2})?")


@dataclass(slots=True)
class Mark:
    """One marked span of a text. ``info`` holds what its tag needs (entity id and type, date
    value, claim summary, quote speaker)."""

    start: int
    end: int
    kind: str
    info: dict[str, Any] = field(default_factory=dict)
    children: list[Mark] = field(default_factory=list)


def path_quote(value: object) -> str:
    """``value`` as one URL path segment (ids may hold ``/``, ``?``, ``#`` or anything)."""
    return quote(str(value), safe="")


def _matches(text: str, item: dict[str, Any], expected: str | None) -> bool:
    start, end = item.get("start"), item.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return False
    if not 0 <= start < end <= len(text):
        return False
    return expected is None or text[start:end] == expected


def marks_for(data: dict[str, Any], part: str, block: int | None, text: str) -> list[Mark]:
    """The marks of one part of an ``extract --json`` object: ``part`` is ``title`` (block
    None) or ``block`` with its index; ``text`` is that part's text."""

    def here(item: dict[str, Any]) -> bool:
        return item.get("part") == part and (part != "block" or item.get("block") == block)

    marks: list[Mark] = []
    for entity in data.get("entities", []):
        info = {"id": entity["id"], "type": entity.get("type"),
                "name_en": entity.get("name_en"), "name_ur": entity.get("name_ur")}
        for m in entity.get("mentions", []):
            if here(m) and _matches(text, m, m.get("text")):
                marks.append(Mark(m["start"], m["end"], "entity", info))
    for d in data.get("dates", []):
        if here(d) and _matches(text, d, d.get("text")):
            marks.append(Mark(d["start"], d["end"], "date",
                              {"value": d.get("value"), "role": d.get("role")}))
    for c in data.get("claims", []):
        if here(c) and _matches(text, c, c.get("number_text")):
            sources = [s.get("text") for s in c.get("sources") or [] if s.get("text")]
            marks.append(Mark(c["start"], c["end"], "claim",
                              {"what": c.get("what"), "sources": sources}))
    for q in data.get("quotes", []):
        if here(q) and _matches(text, q, q.get("text")):
            speaker = (q.get("speaker") or {}).get("text")
            marks.append(Mark(q["start"], q["end"], "quote", {"speaker": speaker}))
    return marks


def _nest(marks: Iterable[Mark]) -> list[Mark]:
    """A forest of the marks that nest properly (outer kinds win ties; a crossing mark and a
    name inside a name are dropped)."""
    roots: list[Mark] = []
    stack: list[Mark] = []
    for mark in sorted(marks, key=lambda m: (m.start, -m.end, _ORDER.get(m.kind, 9))):
        mark.children = []
        while stack and stack[-1].end <= mark.start:
            stack.pop()
        if stack and mark.end > stack[-1].end:
            continue
        if mark.kind == "entity" and any(m.kind == "entity" for m in stack):
            continue  # a link inside a link is not HTML
        (stack[-1].children if stack else roots).append(mark)
        stack.append(mark)
    return roots


def _open(mark: Mark) -> Markup:
    info = mark.info
    if mark.kind == "entity":
        kind = _TYPE_CLASS.get(info.get("type") or "", "other")
        name = info.get("name_en") or info.get("name_ur") or info["id"]
        return Markup('<a class="ent ent-{k}" href="/entity/{href}" title="{t}">').format(
            k=kind, href=path_quote(info["id"]), t=name)
    if mark.kind == "date":
        value = info.get("value") or ""
        title = " · ".join(x for x in (value, info.get("role") or "") if x)
        if _ISO_DATETIME.fullmatch(value):
            return Markup('<time class="date" datetime="{v}" title="{t}">').format(
                v=value, t=title)
        return Markup('<time class="date" title="{t}">').format(t=title)
    if mark.kind == "claim":
        title = " · ".join(x for x in (info.get("what"), *info.get("sources", [])) if x)
        return Markup('<mark class="claim" title="{t}">').format(t=title)
    title = info.get("speaker") or ""
    return Markup('<span class="quote" title="{t}">').format(t=title)


_CLOSE = {"entity": Markup("</a>"), "date": Markup("</time>"), "claim": Markup("</mark>"),
          "quote": Markup("</span>")}


def _emit(text: str, start: int, end: int, marks: Sequence[Mark], out: list[Markup]) -> None:
    at = start
    for mark in marks:
        out.append(escape(text[at:mark.start]))
        out.append(_open(mark))
        _emit(text, mark.start, mark.end, mark.children, out)
        out.append(_CLOSE[mark.kind])
        at = mark.end
    out.append(escape(text[at:end]))


def render_marked(text: str, marks: Iterable[Mark]) -> Markup:
    """``text`` as HTML with ``marks`` as tags; everything else escaped."""
    out: list[Markup] = []
    _emit(text, 0, len(text), _nest(marks), out)
    return Markup("").join(out)


@cache
def _month_names() -> dict[int, str]:
    """Month number -> the first Urdu spelling of the Gregorian month in the months table."""
    names: dict[int, str] = {}
    for row in read_tsv("time", "months.tsv"):
        if len(row) >= 4 and row[1] == "gregorian" and row[3] == "ur":
            names.setdefault(int(row[2]), row[0])
    return names


def format_date(value: str | None) -> str:
    """An ISO date (or month) as Urdu news writes it: ``16 مئی 2025``, ``مئی 2025``; other
    values (weeks, partial or relative dates) unchanged."""
    if not value:
        return ""
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return f"{day.day} {_month_names()[day.month]} {day.year}"
        if len(value) == 7 and value[4] == "-":
            year, month = int(value[:4]), int(value[5:])
            return f"{_month_names()[month]} {year}"
    except (ValueError, KeyError):
        pass
    return value

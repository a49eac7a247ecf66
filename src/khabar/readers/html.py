"""HTML to the text of a page, one line per block element, with a tag for every line.

Nothing is thrown away except what a reader never sees (scripts, styles, ...): navigation,
headers, footers, asides and forms keep their text, because deciding what is boilerplate is
the cleaning stage's job. Instead each line of ``text`` gets a tag in ``line_tags`` of the form
``[landmark/]block[@link]``:

* ``block``: the innermost block element holding the line (``p``, ``h1``..``h6``, ``li``,
  ``div``, ``td``, ``blockquote``, ``pre``, ``figcaption``, ...; ``body`` for loose text);
* ``landmark``: the innermost enclosing ``nav``, ``header``, ``footer``, ``aside``, ``form`` or
  ``figure`` (or an element with role navigation/banner/contentinfo/complementary, named as
  the element it stands for);
* ``@link``: at least 60% of the line's characters are inside ``<a>``.

So ``nav/li@link`` is a menu item, ``p`` an ordinary paragraph, ``footer/p`` a copyright line.
Page metadata comes from the usual places: og:title or <title>, article:published_time /
JSON-LD datePublished / <time datetime>, og:site_name, canonical link or og:url.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any, TypedDict

from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["HtmlFields", "html_to_page_fields", "iso_date", "sniff_charset"]

LINK_SHARE = 0.6  # share of a line's characters inside <a> that makes it a link line

# Elements whose content a reader never sees as text.
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "head",
                   "object", "embed", "canvas", "video", "audio", "math", "-comment"})
# Elements that start and end a line of text.
_BLOCK = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div", "td", "th",
    "figcaption", "pre", "address", "article", "aside", "body", "caption", "center", "dd",
    "details", "dialog", "dir", "dl", "dt", "fieldset", "figure", "footer", "form", "header",
    "hgroup", "hr", "html", "legend", "main", "menu", "nav", "ol", "section", "summary",
    "table", "tbody", "tfoot", "thead", "tr", "ul",
})
# Inline elements a browser draws apart from their neighbours: keep their words apart too.
_SPACED = frozenset({"button", "label", "input", "select", "option", "textarea", "img"})
_PHRASING = frozenset({"a", "span", "b", "i", "strong", "em", "small", "font", "u", "s", "sup",
                       "sub", "abbr", "cite", "code", "time", "mark", "q", "img", "wbr"})
_LANDMARK_TAGS = frozenset({"nav", "header", "footer", "aside", "form", "figure"})
_LANDMARK_ROLES = {"navigation": "nav", "banner": "header", "contentinfo": "footer",
                   "complementary": "aside", "search": "form"}

# Exit markers pushed on the walk stack (bit flags).
_EXIT_BLOCK, _EXIT_LANDMARK, _EXIT_LINK, _EXIT_PRE, _EXIT_SPACE = 1, 2, 4, 8, 16

_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?=$|[T\s+Z])")
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " ｜ ")


class HtmlFields(TypedDict):
    """The :class:`~khabar.model.Page` fields that an HTML document gives."""

    text: str
    line_tags: list[str]
    title: str | None
    published: str | None
    outlet: str | None
    url: str | None


def iso_date(value: Any) -> str | None:
    """``YYYY-MM-DD`` from an ISO date or date-time string, or None if it is not a real date."""
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.match(value)
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return None


def sniff_charset(data: bytes) -> str | None:
    """The charset a document declares in a ``<meta>`` tag near its start, if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


# --- text ----------------------------------------------------------------------------------


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _lines_and_tags(root: LexborNode) -> tuple[list[str], list[str]]:
    lines: list[str] = []
    tags: list[str] = []
    segments: list[str] = []
    link_chars = 0  # non-space characters of the current line that are inside <a>
    blocks = ["body"]
    landmarks = [""]
    link_depth = pre_depth = 0

    def flush() -> None:
        nonlocal link_chars
        if segments:
            line = _collapse("".join(segments))
            if line:
                landmark = landmarks[-1]
                tag = f"{landmark}/{blocks[-1]}" if landmark else blocks[-1]
                if link_chars and link_chars >= LINK_SHARE * (len(line) - line.count(" ")):
                    tag += "@link"
                lines.append(line)
                tags.append(tag)
            segments.clear()
        link_chars = 0

    def add(text: str) -> None:
        nonlocal link_chars
        segments.append(text)
        if link_depth:
            link_chars += len("".join(text.split()))

    # Iterative depth-first walk: deep nesting in bad HTML must not hit the recursion limit.
    stack: list[LexborNode | int] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, int):  # leaving an element
            if item & _EXIT_BLOCK:
                flush()
                blocks.pop()
            if item & _EXIT_LANDMARK:
                landmarks.pop()
            if item & _EXIT_LINK:
                link_depth -= 1
            if item & _EXIT_PRE:
                pre_depth -= 1
            if item & _EXIT_SPACE:
                segments.append(" ")
            continue
        tag = item.tag
        if tag == "-text":
            text = item.text_content
            if not text:
                continue
            if pre_depth and "\n" in text:
                first, *rest = text.split("\n")
                add(first)
                for part in rest:
                    flush()
                    add(part)
            else:
                add(text)
            continue
        if tag in _SKIP or tag is None or tag.startswith("-"):
            continue
        if tag == "br":
            flush()
            continue
        exit_flags = 0
        if tag in _LANDMARK_TAGS:
            landmark: str | None = tag
        elif tag in _PHRASING:  # roles that make landmarks sit on containers, not on <b>
            landmark = None
        else:
            landmark = _LANDMARK_ROLES.get((item.attrs.get("role") or "").lower())
        if landmark:
            landmarks.append(landmark)
            exit_flags |= _EXIT_LANDMARK
        if tag in _BLOCK:
            flush()
            blocks.append(tag)
            exit_flags |= _EXIT_BLOCK
        elif tag == "a":
            link_depth += 1
            exit_flags |= _EXIT_LINK
        elif tag in _SPACED:
            segments.append(" ")
            exit_flags |= _EXIT_SPACE
        if tag == "pre":
            pre_depth += 1
            exit_flags |= _EXIT_PRE
        stack.append(exit_flags)
        children = list(item.iter(include_text=True))
        children.reverse()
        stack.extend(children)
    flush()
    return lines, tags


# --- metadata --------------------------------------------------------------------------------


def _meta_values(tree: LexborHTMLParser) -> dict[str, str]:
    values: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attrs
        content = attrs.get("content")
        if not content:
            continue
        for key_attr in ("property", "name", "itemprop"):
            key = attrs.get(key_attr)
            if key:
                values.setdefault(key.strip().lower(), content.strip())
    return values


def _site_like(part: str, other: str, outlet: str | None) -> bool:
    if outlet and part.casefold() == outlet.casefold():
        return True
    return len(part) < len(other) and len(part.split()) <= 5


def _strip_site_name(title: str, outlet: str | None) -> str:
    """Drop a site-name suffix ("Headline | Outlet"); a prefix only if it is the outlet."""
    for sep in _TITLE_SEPARATORS:
        head, found, tail = title.rpartition(sep)
        if found and head.strip() and tail.strip() and _site_like(tail.strip(), head, outlet):
            return head.strip()
        head, found, tail = title.partition(sep)
        if (found and outlet and head.strip().casefold() == outlet.casefold()
                and tail.strip()):
            return tail.strip()
    return title


def _find_key(data: Any, key: str, depth: int = 0) -> Any:
    if depth > 8:
        return None
    if isinstance(data, dict):
        if key in data:
            return data[key]
        children: Iterator[Any] = iter(data.values())
    elif isinstance(data, list):
        children = iter(data)
    else:
        return None
    for child in children:
        found = _find_key(child, key, depth + 1)
        if found is not None:
            return found
    return None


def _jsonld_published(tree: LexborHTMLParser) -> str | None:
    for node in tree.css("script"):
        if "ld+json" not in (node.attrs.get("type") or "").lower():
            continue
        raw = node.text(deep=True) or ""
        try:
            value = _find_key(json.loads(raw), "datePublished")
        except (ValueError, RecursionError):
            match = _JSONLD_DATE.search(raw)  # broken JSON-LD is common; the field usually isn't
            value = match.group(1) if match else None
        date = iso_date(value)
        if date:
            return date
    return None


def _time_published(tree: LexborHTMLParser) -> str | None:
    times = tree.css("time[datetime]")
    preferred = [node for node in times
                 if (node.attrs.get("itemprop") or "").lower() == "datepublished"
                 or "pubdate" in node.attrs]
    for node in preferred + times:
        date = iso_date(node.attrs.get("datetime"))
        if date:
            return date
    return None


def _canonical(tree: LexborHTMLParser) -> str | None:
    for node in tree.css("link[rel]"):
        rel = (node.attrs.get("rel") or "").lower().split()
        href = (node.attrs.get("href") or "").strip()
        if "canonical" in rel and href:
            return href
    return None


def html_to_page_fields(html: str) -> HtmlFields:
    """Text, line tags and metadata of an HTML document (see the module docstring)."""
    tree = LexborHTMLParser(html)
    meta = _meta_values(tree)
    outlet = _collapse(meta.get("og:site_name", "")) or None

    title = _collapse(meta.get("og:title", ""))
    if not title:
        node = tree.css_first("title")
        title = _collapse(node.text(deep=True)) if node is not None else ""
    title = _strip_site_name(title, outlet) if title else ""

    published = (iso_date(meta.get("article:published_time"))
                 or iso_date(meta.get("og:article:published_time"))
                 or iso_date(meta.get("datepublished"))
                 or _jsonld_published(tree)
                 or _time_published(tree))

    root = tree.body if tree.body is not None else tree.root
    lines, tags = _lines_and_tags(root) if root is not None else ([], [])
    return HtmlFields(
        text="\n".join(lines),
        line_tags=tags,
        title=title or None,
        published=published,
        outlet=outlet,
        url=_canonical(tree) or meta.get("og:url") or None,
    )

"""Lines repeated across pages of one outlet: the chrome that a single page cannot reveal.

:class:`RepeatedLines` counts, per group of pages (the page's outlet, else the host of its URL,
else the folder it was read from), on how many pages each line occurs. Cleaning asks it how
often a line was seen: a short line on many pages of one outlet is the outlet's chrome.

A page is counted once however often the same article was saved: pages are told apart by a
signature (a hash of their three longest lines), so a folder holding three copies of one story
does not make that story's sentences look like boilerplate.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from khabar.clean.data import form
from khabar.model import Page

__all__ = ["RepeatedLines", "group_of", "line_key", "page_lines"]

_FORMAT = "khabar.repeated_lines/1"
#: A page's signature is the hash of its this many longest lines: copies of one article share
#: them even when their chrome differs, and one long boilerplate line cannot make two different
#: articles look alike.
SIGNATURE_LINES = 3


def line_key(text: str) -> str:
    """The key under which a line is counted: its matching form, case-folded."""
    return form(text.strip())


def group_of(page: Page) -> str:
    """The group a page is compared with: ``outlet:<name>``, ``host:<host>`` or
    ``folder:<parent folder of the source>``."""
    if page.outlet:
        return f"outlet:{page.outlet.strip().casefold()}"
    if page.url:
        host = urlsplit(page.url).hostname
        if host:
            return f"host:{host.removeprefix('www.')}"
    source = page.source
    # "dump.jsonl:12" and "crawl.warc.gz:3" name a record inside a file.
    head, sep, tail = source.rpartition(":")
    if sep and tail.isdigit():
        source = head
    return f"folder:{PurePosixPath(source.replace(chr(92), '/')).parent}"


def page_lines(page: Page) -> tuple[list[str], str | None]:
    """The distinct line keys of a page, in page order, and its signature (None for a page
    without lines): what :class:`RepeatedLines` counts, and what an archive keeps of it."""
    keys = list(dict.fromkeys(line_key(line) for line in page.text.split("\n") if line.strip()))
    keys = [k for k in keys if k]
    if not keys:
        return [], None
    longest = sorted(keys, key=lambda k: (-len(k), k))[:SIGNATURE_LINES]
    return keys, hashlib.blake2b("\n".join(longest).encode(), digest_size=8).hexdigest()


@dataclass(slots=True)
class _Group:
    pages: int = 0
    lines: Counter[str] = field(default_factory=Counter)
    signatures: set[str] = field(default_factory=set)


class RepeatedLines:
    """Per-group counts of line keys over pages.

    >>> seen = RepeatedLines()
    >>> for n in range(3):
    ...     seen.add(Page(source=f"site/{n}.txt", text=f"خبر نمبر {n} کی تفصیل۔\\nہمیں فالو کریں"))
    >>> seen.pages("folder:site"), seen.count("folder:site", line_key("ہمیں فالو کریں"))
    (3, 3)
    """

    __slots__ = ("_groups",)

    def __init__(self) -> None:
        self._groups: dict[str, _Group] = {}

    def add(self, page: Page) -> bool:
        """Count the lines of ``page`` in its group; False if an identical page (same
        signature) was counted already."""
        keys, signature = page_lines(page)
        if signature is None:
            return False
        group = self._groups.setdefault(group_of(page), _Group())
        if signature in group.signatures:
            return False
        group.signatures.add(signature)
        group.pages += 1
        group.lines.update(keys)
        return True

    def count(self, group: str, key: str) -> int:
        """On how many pages of ``group`` the line with this key occurs."""
        found = self._groups.get(group)
        return found.lines.get(key, 0) if found else 0

    def pages(self, group: str) -> int:
        """How many (distinct) pages of ``group`` were counted."""
        found = self._groups.get(group)
        return found.pages if found else 0

    @classmethod
    def learn(cls, pages: Iterable[Page]) -> RepeatedLines:
        """Counts over ``pages`` (the first pass of :func:`khabar.clean_many`)."""
        made = cls()
        for page in pages:
            made.add(page)
        return made

    def groups(self) -> list[str]:
        return sorted(self._groups)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form (lines seen on one page only are left out: they never matter)."""
        return {
            "format": _FORMAT,
            "groups": {
                name: {"pages": group.pages,
                       "signatures": sorted(group.signatures),
                       "lines": {k: n for k, n in sorted(group.lines.items()) if n > 1}}
                for name, group in sorted(self._groups.items())
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RepeatedLines:
        if data.get("format") != _FORMAT:
            raise ValueError(f"not a {_FORMAT} mapping")
        made = cls()
        for name, group in data.get("groups", {}).items():
            made._groups[name] = _Group(int(group["pages"]), Counter(group.get("lines", {})),
                                        set(group.get("signatures", [])))
        return made

    def __repr__(self) -> str:
        total = sum(g.pages for g in self._groups.values())
        return f"RepeatedLines({len(self._groups)} groups, {total} pages)"

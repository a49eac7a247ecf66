"""Search snippets as HTML: the display-form snippet of :mod:`khabar.snippets` with its matches
in ``<mark>``."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from khabar.snippets import display_snippet

__all__ = ["display_snippet", "render_snippet"]


def render_snippet(snippet: str, highlights: Iterable[Iterable[int]]) -> Markup:
    """The snippet as HTML with its highlights in ``<mark>``; everything else escaped."""
    out: list[Markup] = []
    at = 0
    for start, end in highlights:
        if start < at or end <= start or end > len(snippet):
            continue
        out.append(escape(snippet[at:start]))
        out.append(Markup("<mark>{}</mark>").format(snippet[start:end]))
        at = end
    out.append(escape(snippet[at:]))
    return Markup("").join(out)

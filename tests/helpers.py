"""Helpers shared by the tests (imported as ``helpers``; pytest puts tests/ on the path)."""

from __future__ import annotations

from pathlib import Path

from khabar.model import Article
from khabar.urdu import normalize


def labels_of(article: Article) -> dict[int, str]:
    """Raw line number -> title | heading | body | meta | <drop kind>; fails on a line that is
    in two places."""
    out: dict[int, str] = {}

    def put(lines: list[int], label: str) -> None:
        for n in lines:
            assert n not in out, f"line {n} is in two places"
            out[n] = label

    if article.title:
        put(article.title.lines, "title")
    for block in article.blocks:
        put(block.lines, "heading" if block.kind == "heading" else "body")
    for drop in article.dropped:
        put(drop.lines, drop.kind)
    put(article.meta_lines, "meta")
    return out


def seed_article_text(shared_dir: Path, seeds_gold: dict, name: str) -> str:
    """A seed's title, heading and body lines (by the gold's line numbers) in display form:
    the clean article as the gold has it, for testing the fact finders on their own."""
    raw = (shared_dir / "seeds" / name).read_text(encoding="utf-8")
    doc = seeds_gold["documents"][name]
    lines = raw.split("\n")
    keep = sorted(doc["lines"]["title"] + doc["lines"]["heading"] + doc["lines"]["body"])
    return normalize("\n".join(lines[i - 1] for i in keep))

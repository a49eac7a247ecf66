"""Language data shipped with khabar (gazetteers, cue lists, word lists, the sample corpus).

Data lives in files here, not in code. ``path(...)`` finds a file; ``read_tsv`` and
``read_lines`` read the two formats used throughout: UTF-8, ``#`` starts a comment line,
blank lines are ignored.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    """The path of a resource file, e.g. ``path("urdu", "joins.tsv")``."""
    return ROOT.joinpath(*parts)


def _data_lines(*parts: str) -> Iterator[str]:
    with path(*parts).open(encoding="utf-8") as handle:
        for raw in handle:
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            yield line


@cache
def read_lines(*parts: str) -> tuple[str, ...]:
    """Non-comment, non-blank lines of a text resource, stripped."""
    return tuple(line.strip() for line in _data_lines(*parts))


@cache
def read_tsv(*parts: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated resource (cells stripped)."""
    return tuple(tuple(cell.strip() for cell in line.split("\t")) for line in _data_lines(*parts))


def sample_corpus() -> Path:
    """The folder of the bundled sample corpus."""
    return path("sample")

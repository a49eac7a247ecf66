"""Readers: files, folders, globs and stdin in; one :class:`Page` per page out.

``read(*paths)`` streams :class:`~khabar.model.Page` objects, and a
:class:`~khabar.model.Problem` for every file or record that could not be read. It never
raises for bad input, and it never holds more than one page (or one JSONL line, or one WARC
record) in memory.

Formats, by extension or, for stdin and unknown extensions, by content: ``.txt`` (one page),
``.html``/``.htm`` (text of the block elements, see :mod:`khabar.readers.html`), ``.jsonl``
(one object per line with ``text`` or ``html``), ``.warc``/``.warc.gz`` (HTML responses), and
any of them gzipped. Encodings are found by :func:`khabar.readers.decode.decode`.

``Page.source`` is the path as given (or as found inside a given folder), with ``:N`` for the
N-th line of a JSONL file or the N-th record of a WARC file. ``Page.format`` names the
container (``txt``, ``html``, ``jsonl``, ``warc``); ``Page.line_tags`` is set whenever the text
came from HTML, whatever the container.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator

from khabar.model import Page, Problem
from khabar.readers.decode import decode
from khabar.readers.formats import read_jsonl, read_page, read_warc
from khabar.readers.html import html_to_page_fields
from khabar.readers.sources import expand, open_input

__all__ = ["decode", "html_to_page_fields", "read", "read_one"]

_READERS = {"txt": read_page, "html": read_page, "jsonl": read_jsonl, "warc": read_warc}


def read_one(name: str, *, path: str | None = None) -> Iterator[Page | Problem]:
    """Pages of one file name (or ``"-"`` for stdin), Problems for what cannot be read.

    ``path``, when given, is where the file is opened while ``name`` stays its name in pages
    and problems (a cluster worker reads a partition from its own mount of the input)."""
    try:
        opened = open_input(path if path is not None else name)
    except FileNotFoundError:
        yield Problem(name, "no such file")
        return
    except EOFError as err:
        yield Problem(name, "truncated gzip", str(err))
        return
    except zlib.error as err:
        yield Problem(name, "corrupt gzip", str(err))
        return
    except OSError as err:
        yield Problem(name, "unreadable", err.strerror or str(err))
        return
    try:
        if not opened.head:
            yield Problem(name, "empty file")
            return
        yield from _READERS[opened.format](name, opened)
    except Exception as err:  # a last safety net: one bad file must not stop the batch
        yield Problem(name, "unreadable", f"{type(err).__name__}: {err}"[:300])
    finally:
        opened.close()


def read(*paths: str | os.PathLike[str], recursive: bool = True) -> Iterator[Page | Problem]:
    """Stream every page found in ``paths`` (files, folders, globs, ``"-"`` for stdin).

    Folders are walked in name order (into sub-folders unless ``recursive=False``), hidden
    files and folders skipped. Yields a :class:`Page` per page and a :class:`Problem` per file
    or record that failed, in input order.
    """
    for item in expand(paths, recursive):
        if isinstance(item, Problem):
            yield item
        else:
            yield from read_one(item)

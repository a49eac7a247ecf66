"""Where pages come from: paths, folders, globs and stdin, and what format each one holds.

``expand`` turns the user's arguments into file names (or Problems for names that lead
nowhere), lazily and in a stable order. ``open_input`` opens one of them as a binary stream
and works out its format from the name and, when the name does not say, from the content.
"""

from __future__ import annotations

import glob
import gzip
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from khabar.model import Problem

__all__ = ["STDIN", "Opened", "expand", "open_input", "sniff_format"]

STDIN = "-"
HEAD_BYTES = 1 << 16  # how much of a stream is looked at to decide its format

_EXTENSIONS = {
    ".txt": "txt", ".text": "txt",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".warc": "warc",
}
_GZIP_MAGIC = b"\x1f\x8b"
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|!--)[\s>/]",
    re.IGNORECASE)


# --- paths -------------------------------------------------------------------------------------


def _walk(top: str, recursive: bool, seen: set[tuple[int, int]]) -> Iterator[str | Problem]:
    """Files under ``top`` in name order, hidden files and folders left out."""
    try:
        stat = os.stat(top)
        if (stat.st_dev, stat.st_ino) in seen:  # a symlink loop
            return
        seen.add((stat.st_dev, stat.st_ino))
        with os.scandir(top) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as err:
        yield Problem(top, "unreadable", err.strerror or str(err))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = os.path.join(top, entry.name)
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError:
            continue
        if is_dir:
            if recursive:
                yield from _walk(path, recursive, seen)
        elif is_file and _looks_like_pages(entry.name):
            yield path


def _looks_like_pages(name: str) -> bool:
    """Whether a file met while walking a folder should be read.

    Files named on the command line are always read; inside folders only page formats (and
    names without an extension, as mirrors write them) are, so that a crawl's README, JSON
    metadata, images and style sheets do not become pages.
    """
    known, _ = _format_from_name(name)
    if known:
        return True
    stem = name[:-3] if name.lower().endswith(".gz") else name
    return "." not in stem.lstrip(".")


def _inside(path: str, folders: set[str]) -> bool:
    parent = os.path.dirname(path)
    while parent:
        if parent in folders:
            return True
        up = os.path.dirname(parent)
        if up == parent:
            return False
        parent = up
    return False


def expand(paths: tuple[str | os.PathLike[str], ...], recursive: bool = True
           ) -> Iterator[str | Problem]:
    """File names (``"-"`` for stdin) for the user's arguments, or a Problem per dead end."""
    for arg in paths:
        path = os.fsdecode(arg)
        if path == STDIN:
            yield STDIN
        elif os.path.isdir(path):
            yield from _walk(path, recursive, set())
        elif os.path.exists(path):
            yield path
        elif glob.has_magic(path):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                yield Problem(path, "no such file", "the pattern matches nothing")
            walked: set[str] = set()
            for match in matches:
                # "crawl/**" matches folders and the files in them: read each file once.
                if _inside(os.path.normpath(match), walked):
                    continue
                if os.path.isdir(match):
                    walked.add(os.path.normpath(match))
                    yield from _walk(match, recursive, set())
                elif os.path.isfile(match):
                    yield match
        else:
            yield Problem(path, "no such file")


# --- streams -----------------------------------------------------------------------------------


class _Rewound(io.RawIOBase):
    """A stream that replays bytes already read from a pipe, then goes on reading the pipe."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


@dataclass(slots=True)
class Opened:
    """An input ready to read: its binary stream, its format and whether it is gzipped.

    For ``warc`` the stream is the raw file (warcio reads gzipped records itself); for other
    formats a gzipped stream is already being decompressed.
    """

    stream: BinaryIO
    format: str  # txt | html | jsonl | warc
    gzipped: bool
    head: bytes  # the first bytes of the (decompressed) content
    owned: BinaryIO | None = None  # the file to close afterwards (None for stdin)

    def close(self) -> None:
        if self.stream is not self.owned:
            self.stream.close()  # a GzipFile does not close the file it reads
        if self.owned is not None:
            self.owned.close()


def sniff_format(head: bytes) -> str:
    """The format of content that its name does not give away."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"WARC/"):
        return "warc"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head[: len(head) & ~1].decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore")
    text = text.lstrip("\ufeff \t\r\n")
    if text.startswith("<") and _HTML_START.search(text[:4096]):
        return "html"
    if text.startswith("{"):
        first, newline, _ = text.partition("\n")
        if not newline and len(head) >= HEAD_BYTES:
            return "jsonl" if re.match(r'\{\s*"', first) else "txt"  # a very long first line
        try:
            return "jsonl" if isinstance(json.loads(first), dict) else "txt"
        except ValueError:
            return "txt"
    return "txt"


def _format_from_name(name: str) -> tuple[str | None, bool]:
    """(format or None, named .gz) from a file name."""
    lower = name.lower()
    gz = lower.endswith((".gz", ".gzip"))
    if gz:
        lower = lower[: lower.rfind(".")]
    return _EXTENSIONS.get(os.path.splitext(lower)[1]), gz


def open_input(name: str) -> Opened:
    """Open a file name from :func:`expand` (or ``"-"``).

    Raises OSError if it cannot be opened, zlib.error for a corrupt gzip header and EOFError
    for a gzip file that ends before any content.
    """
    if name == STDIN:
        raw: BinaryIO = sys.stdin.buffer
        owned = None
    else:
        raw = owned = open(name, "rb")  # noqa: SIM115 - Opened.close() closes it
    try:
        head = raw.read(HEAD_BYTES)
        if owned is not None and raw.seekable():  # stdin is never rewound, even from a file
            raw.seek(0)
            stream: BinaryIO = raw
        else:
            stream = io.BufferedReader(_Rewound(head, raw), buffer_size=HEAD_BYTES)
        fmt, _ = _format_from_name("" if name == STDIN else os.path.basename(name))
        if not head.startswith(_GZIP_MAGIC):
            # A file named .gz that is not gzipped is read as it is (servers do that).
            return Opened(stream, fmt or sniff_format(head), False, head, owned)
        # Corrupt gzip data raises zlib.error here; the caller reports it.
        unzip = zlib.decompressobj(wbits=31)
        inner = unzip.decompress(head, HEAD_BYTES)
        if not inner and not unzip.eof and len(head) < HEAD_BYTES:
            raise EOFError("the compressed data ends early")
        if fmt is None:
            fmt = sniff_format(inner)
        if fmt == "warc":
            return Opened(stream, "warc", True, inner, owned)
        unzipped = gzip.GzipFile(fileobj=stream, mode="rb")
        return Opened(unzipped, fmt, True, inner, owned)  # type: ignore[arg-type]
    except BaseException:
        if owned is not None:
            owned.close()
        raise

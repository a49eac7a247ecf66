"""One generator per input format, each yielding Pages and Problems from an opened stream.

All of them stream: a single page is read whole (up to :data:`MAX_PAGE_BYTES`), JSONL line by
line, WARC record by record.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from khabar.model import Page, Problem
from khabar.readers.decode import DecodeError, decode, looks_binary, normalize_newlines
from khabar.readers.html import html_to_page_fields, iso_date, sniff_charset
from khabar.readers.sources import Opened

__all__ = ["MAX_LINE_BYTES", "MAX_PAGE_BYTES", "read_jsonl", "read_page", "read_warc"]

MAX_PAGE_BYTES = 64 << 20  # one page (file, WARC record) larger than this is not a news page
MAX_LINE_BYTES = 256 << 20  # one JSONL line

_GZIP_ERRORS = (gzip.BadGzipFile, zlib.error)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _gzip_problem(source: str, err: BaseException, where: str) -> Problem:
    if isinstance(err, EOFError):
        return Problem(source, "truncated gzip", f"the compressed data ends early{where}")
    return Problem(source, "corrupt gzip", f"{err}{where}")


def _html_page(source: str, data: bytes, fmt: str, declared: str | None = None,
               **given: Any) -> Page | Problem:
    """A Page from HTML bytes; ``given`` fields (url, title, ...) win over the HTML's own."""
    try:
        markup, encoding = decode(data, declared or sniff_charset(data))
    except DecodeError as err:
        return Problem(source, err.problem, err.detail)
    fields = html_to_page_fields(markup)
    if not fields["text"].strip():
        return Problem(source, "no text", "the HTML has no visible text")
    for name, value in given.items():
        if value is not None:
            fields[name] = value  # type: ignore[literal-required]
    return Page(source=source, encoding=encoding, format=fmt, **fields)


def read_page(source: str, opened: Opened) -> Iterator[Page | Problem]:
    """A file that holds one page: ``.txt``, ``.html`` (or either gzipped)."""
    try:
        data = opened.stream.read(MAX_PAGE_BYTES + 1)
    except (EOFError, *_GZIP_ERRORS) as err:
        yield _gzip_problem(source, err, "")
        return
    if len(data) > MAX_PAGE_BYTES:
        yield Problem(source, "too large", f"more than {MAX_PAGE_BYTES >> 20} MB for one page")
        return
    if opened.format == "html":
        yield _html_page(source, data, "html")
        return
    try:
        text, encoding = decode(data)
    except DecodeError as err:
        yield Problem(source, err.problem, err.detail)
        return
    if not text.strip():
        yield Problem(source, "no text", "the file holds only white space")
        return
    yield Page(source=source, text=text, encoding=encoding, format="txt")


# --- JSONL -----------------------------------------------------------------------------------


def _text_lines(opened: Opened) -> Iterator[tuple[int, str | Problem, str]]:
    """(line number, decoded line or Problem, encoding) for each non-blank line."""
    head = opened.head
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 JSONL (rare, but Windows tools write it): let Python split the lines.
        encoding = "utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be"
        reader = io.TextIOWrapper(opened.stream, encoding="utf-16", newline="\n")  # type: ignore[arg-type]
        for number, line in enumerate(reader, 1):
            if line.strip():
                yield number, line, encoding
        return
    file_encoding = "utf-8"
    number = 0
    stream = opened.stream
    while raw := stream.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield number, Problem("", f"line {number} too long",
                                  f"more than {MAX_LINE_BYTES >> 20} MB"), file_encoding
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
            file_encoding = "utf-8-sig"
        if not raw.strip():
            continue
        try:
            yield number, raw.decode("utf-8"), file_encoding
        except UnicodeDecodeError:
            # JSON is UTF-8, but old exporters wrote the local code page: decode this line alone.
            try:
                text, encoding = decode(raw.rstrip(b"\r\n"))
            except DecodeError as err:
                yield number, Problem("", f"{err.problem} line {number}", err.detail), ""
            else:
                yield number, text, encoding


def _string(value: Any) -> str | None:
    if isinstance(value, str):
        value = " ".join(value.split())
        return value or None
    return None


def _record(source: str, number: int, line: str, encoding: str) -> Page | Problem:
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError) as err:
        return Problem(source, f"invalid JSON on line {number}", str(err)[:200])
    if not isinstance(obj, dict):
        return Problem(source, f"no text or html field on line {number}",
                       f"the line holds a JSON {type(obj).__name__}, not an object")
    raw_id = obj.get("id")
    given = {
        "id": None if raw_id is None or isinstance(raw_id, dict | list) else str(raw_id),
        "url": _string(obj.get("url")),
        "outlet": _string(obj.get("outlet")),
        "published": iso_date(obj.get("published")),
        "title": _string(obj.get("title")),
    }
    text, html = obj.get("text"), obj.get("html")
    if isinstance(text, str) and text.strip():
        return Page(source=source, text=normalize_newlines(text), encoding=encoding,
                    format="jsonl", **given)
    if isinstance(html, str) and html.strip():
        # Already decoded: the JSON string is the document, whatever its <meta charset> says.
        fields = html_to_page_fields(html)
        if not fields["text"].strip():
            return Problem(source, f"no text on line {number}", "the HTML has no visible text")
        for name, value in given.items():
            if value is not None:
                fields[name] = value  # type: ignore[literal-required]
        return Page(source=source, encoding=encoding, format="jsonl", **fields)  # type: ignore[misc]
    return Problem(source, f"no text or html field on line {number}")


def read_jsonl(source: str, opened: Opened) -> Iterator[Page | Problem]:
    """One page per line of a JSONL file; bad lines are Problems and the rest goes on."""
    if not opened.head.startswith((b"\xff\xfe", b"\xfe\xff")):
        binary = looks_binary(opened.head)
        if binary:
            yield Problem(source, "binary file", binary)
            return
    number = 0
    try:
        for number, item, encoding in _text_lines(opened):
            where = f"{source}:{number}"
            if isinstance(item, Problem):
                item.source = where
                yield item
            else:
                yield _record(where, number, item, encoding)
    except (EOFError, *_GZIP_ERRORS) as err:
        yield _gzip_problem(source, err, f" (after line {number})")
    except UnicodeDecodeError as err:
        yield Problem(source, "undecodable", f"after line {number}: {err}")


# --- WARC ------------------------------------------------------------------------------------


def _warc_page(source: str, record: Any) -> Page | Problem | None:
    """A Page for an HTML response record, None for any other record."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    http = record.http_headers
    if http.get_statuscode() != "200":
        return None
    content_type = (http.get_header("Content-Type") or "").lower()
    mime, _, params = content_type.partition(";")
    if mime.strip() not in _HTML_TYPES:
        return None
    declared = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip() == "charset" and value.strip():
            declared = value.strip().strip("\"'")
    data = record.content_stream().read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        return Problem(source, "too large", f"more than {MAX_PAGE_BYTES >> 20} MB for one page")
    url = record.rec_headers.get_header("WARC-Target-URI")
    # WARC-Date is when the page was fetched, not published: it is not used for `published`.
    return _html_page(source, data, "warc", declared, url=url.strip() if url else None)


def _ends_inside_a_record(archive: Any) -> bool:
    """warcio stops quietly when the file ends inside a record's headers; notice that."""
    try:
        return int(archive.fh.tell()) > int(archive.offset)
    except (AttributeError, OSError, TypeError, ValueError):
        return False


def read_warc(source: str, opened: Opened) -> Iterator[Page | Problem]:
    """One page per HTML response record; a broken record ends the file with a Problem."""
    if not opened.head.lstrip(b"\r\n").startswith(b"WARC/"):
        yield Problem(source, "not a WARC file", "the file does not start with a WARC record")
        return
    yield from warc_pages(source, opened.stream)


def warc_pages(source: str, stream: BinaryIO, *, first: int = 1,
               end: int | None = None) -> Iterator[Page | Problem]:
    """Pages of the WARC records read from ``stream`` (positioned at a record), numbered from
    ``first``; with ``end``, only records that start before that byte offset of the stream (a
    byte range of a large WARC file, read by a cluster worker). A broken record ends the
    reading with a Problem."""
    from warcio.archiveiterator import ArchiveIterator

    number, pages = first - 1, 0
    archive = ArchiveIterator(stream, check_digests=False)
    records = iter(archive)
    while end is None or int(archive.offset) < end:
        try:
            record = next(records)
        except StopIteration:
            if end is None and _ends_inside_a_record(archive):
                yield Problem(source, "broken WARC record",
                              f"record {number + 1}: the file ends inside it"
                              f" (read {number} records, {pages} pages before it)")
            return
        except Exception as err:  # warcio raises several types for damaged archives
            yield Problem(source, "broken WARC record",
                          f"record {number + 1}: {type(err).__name__}: {err}"[:300]
                          + f" (read {number} records, {pages} pages before it)")
            return
        number += 1
        try:
            if record.rec_headers.get_header("Content-Length") is None:
                # Every WARC record has one; warcio passes on records whose headers are cut.
                raise ValueError("no Content-Length: the record's headers are cut short")
            page = _warc_page(f"{source}:{number}", record)
            # warcio ends quietly at a record cut short: read it to its end and see.
            block = record.raw_stream
            while block.read(1 << 16):
                pass
            if getattr(block, "limit", 0) > 0:
                raise EOFError(f"{block.limit} bytes missing at the end of the file")
            if end is not None:
                archive.get_record_offset()  # to the record's end: ``offset`` is the next one
        except Exception as err:
            yield Problem(source, "broken WARC record",
                          f"record {number}: {type(err).__name__}: {err}"[:300]
                          + f" (read {number - 1} records, {pages} pages before it)")
            return
        if page is not None:
            pages += isinstance(page, Page)
            yield page

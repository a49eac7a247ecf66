"""Inputs cut into partitions that workers can read on their own, and the readers for them.

A :class:`Partition` is one unit of work for a worker:

* ``files``  a run of consecutive input files (small pages, gzipped files, anything that cannot be
             cut), read whole with khabar's readers;
* ``jsonl``  a byte range ``[start, end)`` of a large uncompressed JSONL file: the range owns the
             lines whose first byte lies in it, so ranges need no alignment of their own and no
             line is read twice or lost; ``first`` is the line number of its first line, counted
             on the workers beforehand (:func:`count_newlines`), so page sources (``dump.jsonl:N``)
             are the ones ``khabar read`` gives;
* ``warc``   the records of a large WARC file (plain or a gzip member per record) starting at byte
             ``start`` up to the record starting at ``end``; the offsets are found by one scan of
             the file on a worker (:func:`warc_boundaries`).

Reading a partition (:func:`read_partition`) yields exactly the Pages and Problems, with the same
sources, that :func:`khabar.read` yields for that stretch of input. One exception: the problem
for a broken record in a WARC file that was cut counts the pages read before it from the
start of its partition, not of the file.

A plan is deterministic: the same inputs and partition size give the same partitions, whatever the
cluster, so a run can be resumed and its shards compared with another run's.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from khabar.model import Page, Problem

__all__ = ["DEFAULT_PARTITION_BYTES", "MAX_FILES", "Partition", "Plan", "count_newlines",
           "plan_inputs", "read_partition", "warc_boundaries"]

#: Input bytes per partition: about 500-2,000 news pages, some seconds of work for one core.
DEFAULT_PARTITION_BYTES = 2 << 20
#: At most this many files in one ``files`` partition (a folder of tiny pages).
MAX_FILES = 2000
_READ_BLOCK = 1 << 20
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class Partition:
    """One unit of work (see the module docstring). ``names`` are the file names as the user gave
    them (pages' ``source``), ``paths`` the absolute paths a worker opens; ``stamps`` hold each
    file's size and modification time, so a changed input makes a different partition."""

    index: int
    kind: str  # files | jsonl | warc
    names: tuple[str, ...]
    paths: tuple[str, ...]
    stamps: tuple[tuple[int, int], ...]
    start: int = 0
    end: int | None = None  # None: to the end of the file
    first: int = 1  # number of the first line (jsonl) or record (warc)
    encoding: str = "utf-8"  # jsonl: the file's encoding as the reader reports it

    @property
    def digest(self) -> str:
        """A hash of everything that decides what the partition holds."""
        data = {k: v for k, v in asdict(self).items() if k != "index"}
        text = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.blake2b(text.encode(), digest_size=10).hexdigest()

    @property
    def size(self) -> int:
        """Input bytes in the partition (approximately, for a range)."""
        if self.kind == "files":
            return sum(size for size, _ in self.stamps)
        end = self.stamps[0][0] if self.end is None else self.end
        return max(0, end - self.start)

    def describe(self) -> str:
        """A short name for messages: the file, or the first and last file, and the range."""
        if self.kind == "files":
            if len(self.names) == 1:
                return self.names[0]
            return f"{self.names[0]} … {self.names[-1]} ({len(self.names)} files)"
        end = "end" if self.end is None else str(self.end)
        return f"{self.names[0]} bytes {self.start}-{end}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Partition:
        return cls(index=int(data["index"]), kind=data["kind"], names=tuple(data["names"]),
                   paths=tuple(data["paths"]),
                   stamps=tuple((int(a), int(b)) for a, b in data["stamps"]),
                   start=int(data.get("start", 0)),
                   end=None if data.get("end") is None else int(data["end"]),
                   first=int(data.get("first", 1)), encoding=data.get("encoding", "utf-8"))


@dataclass(slots=True)
class Plan:
    """The partitions of a run, and the inputs that led nowhere (``no such file``, stdin)."""

    partitions: list[Partition]
    problems: list[Problem] = field(default_factory=list)
    partition_bytes: int = DEFAULT_PARTITION_BYTES

    @property
    def digest(self) -> str:
        h = hashlib.blake2b(digest_size=12)
        h.update(str(self.partition_bytes).encode())
        for part in self.partitions:
            h.update(part.digest.encode())
        for problem in self.problems:
            h.update(json.dumps(problem.to_dict(), sort_keys=True).encode())
        return h.hexdigest()


# --------------------------------------------------------------------------- planning

#: Runs tasks ``fn(*args)`` for a list of argument tuples, possibly in parallel (on a cluster).
Mapper = Callable[[Callable[..., Any], Sequence[tuple[Any, ...]]], list[Any]]


def _local_map(fn: Callable[..., Any], args: Sequence[tuple[Any, ...]]) -> list[Any]:
    return [fn(*a) for a in args]


def _stamp(path: str) -> tuple[int, int]:
    stat = os.stat(path)
    return stat.st_size, stat.st_mtime_ns


def _splittable(path: str) -> tuple[str, str] | None:
    """``("jsonl", encoding)`` or ``("warc", "")`` when the file can be cut into ranges."""
    from khabar.readers.decode import looks_binary
    from khabar.readers.sources import open_input

    try:
        opened = open_input(path)
    except (OSError, EOFError, zlib.error):
        return None  # the reader will report it
    try:
        if opened.format == "warc":
            return ("warc", "")
        if opened.format != "jsonl" or opened.gzipped:
            return None
        head = opened.head
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or looks_binary(head):
            return None  # UTF-16 is read whole; a binary file is one problem
        return ("jsonl", "utf-8-sig" if head.startswith(_UTF8_BOM) else "utf-8")
    finally:
        opened.close()


def count_newlines(path: str, start: int, end: int) -> int:
    """How many ``\\n`` bytes lie in ``[start, end)`` of a file (a planning task)."""
    count = 0
    with open(path, "rb") as f:
        f.seek(start)
        left = end - start
        while left > 0:
            block = f.read(min(_READ_BLOCK, left))
            if not block:
                break
            count += block.count(b"\n")
            left -= len(block)
    return count


def warc_boundaries(path: str, every: int) -> list[tuple[int, int]]:
    """``(byte offset, record number)`` of records where a WARC file can be cut, about every
    ``every`` bytes, the first being ``(0, 1)`` (a planning task: one scan of the file). A
    file whose records cannot be reached by seeking (one gzip stream for all records, or
    damage) gives just ``[(0, 1)]``."""
    from warcio.archiveiterator import ArchiveIterator

    out = [(0, 1)]
    try:
        with open(path, "rb") as f:
            gzipped = f.read(2) == b"\x1f\x8b"
            f.seek(0)
            archive = ArchiveIterator(f, check_digests=False)
            for number, _record in enumerate(archive, 1):
                archive.get_record_offset()  # reads the record to its end
                following = int(archive.offset)
                if following - out[-1][0] >= every:
                    out.append((following, number + 1))
            size = os.fstat(f.fileno()).st_size
            out = [b for b in out if b[0] < size]
            for offset, _ in out[1:]:
                f.seek(offset)
                head = f.read(5)
                if not (head.startswith(b"\x1f\x8b") if gzipped else head == b"WARC/"):
                    return [(0, 1)]
    except Exception:  # damage: the reader reports it when it reads the whole file
        return [(0, 1)]
    return out


def plan_inputs(paths: Sequence[str | os.PathLike[str]], *,
                partition_bytes: int = DEFAULT_PARTITION_BYTES,
                mapper: Mapper | None = None) -> Plan:
    """Cut the inputs into partitions, in input order (files as :func:`khabar.read` walks them).

    Large uncompressed JSONL files are cut into byte ranges and large WARC files at record
    boundaries; the scans this needs run through ``mapper`` (on the cluster), everything else
    is a ``stat`` per file. Standard input cannot be sent to workers and is a problem.
    """
    from khabar.readers.sources import STDIN, expand

    mapper = mapper or _local_map
    problems: list[Problem] = []
    files: list[tuple[str, str, tuple[int, int]]] = []
    for item in expand(tuple(paths)):
        if isinstance(item, Problem):
            problems.append(item)
        elif item == STDIN:
            problems.append(Problem(STDIN, "unreadable",
                                    "standard input cannot be processed on a cluster; save it "
                                    "to a file first"))
        else:
            try:
                files.append((item, os.path.abspath(item), _stamp(item)))
            except OSError as err:
                problems.append(Problem(item, "unreadable", err.strerror or str(err)))

    # Which large files are cut, and the scans that cutting them needs.
    kinds: dict[int, tuple[str, str]] = {}
    for i, (_, path, (size, _)) in enumerate(files):
        if size > partition_bytes:
            found = _splittable(path)
            if found is not None:
                kinds[i] = found
    newline_jobs: list[tuple[int, int, int]] = []  # (file, start, end)
    warc_jobs: list[int] = []
    for i, (kind, _) in kinds.items():
        size = files[i][2][0]
        if kind == "jsonl":
            cuts = list(range(0, size, partition_bytes))
            for k, cut in enumerate(cuts):
                # Newlines in [cut - 1, next cut - 1): what precedes each range's first line.
                lo = max(0, cut - 1)
                hi = (cuts[k + 1] - 1) if k + 1 < len(cuts) else size
                newline_jobs.append((i, lo, hi))
        else:
            warc_jobs.append(i)
    counts = mapper(count_newlines, [(files[i][1], lo, hi) for i, lo, hi in newline_jobs])
    scans = mapper(warc_boundaries, [(files[i][1], partition_bytes) for i in warc_jobs])
    newlines: dict[int, list[int]] = {}
    for (i, _, _), n in zip(newline_jobs, counts, strict=True):
        newlines.setdefault(i, []).append(n)
    boundaries = dict(zip(warc_jobs, scans, strict=True))

    partitions: list[Partition] = []
    batch: list[tuple[str, str, tuple[int, int]]] = []
    batch_bytes = 0

    def flush() -> None:
        nonlocal batch, batch_bytes
        if batch:
            partitions.append(Partition(
                len(partitions), "files", tuple(n for n, _, _ in batch),
                tuple(p for _, p, _ in batch), tuple(s for _, _, s in batch)))
        batch, batch_bytes = [], 0

    for i, (name, path, stamp) in enumerate(files):
        if i in kinds:
            flush()
            kind, encoding = kinds[i]
            size = stamp[0]
            if kind == "jsonl":
                seen = 0
                cuts = list(range(0, size, partition_bytes))
                for k, cut in enumerate(cuts):
                    first = 1 if cut == 0 else seen + 2
                    end = cuts[k + 1] if k + 1 < len(cuts) else None
                    partitions.append(Partition(len(partitions), "jsonl", (name,), (path,),
                                                (stamp,), cut, end, first, encoding))
                    seen += newlines[i][k]
            else:
                cuts_w = boundaries[i]
                for k, (offset, number) in enumerate(cuts_w):
                    end = cuts_w[k + 1][0] if k + 1 < len(cuts_w) else None
                    partitions.append(Partition(len(partitions), "warc", (name,), (path,),
                                                (stamp,), offset, end, number))
            continue
        if batch and (batch_bytes + stamp[0] > partition_bytes or len(batch) >= MAX_FILES):
            flush()
        batch.append((name, path, stamp))
        batch_bytes += stamp[0]
    flush()
    return Plan(partitions, problems, partition_bytes)


# --------------------------------------------------------------------------- reading


def read_partition(part: Partition) -> Iterator[Page | Problem]:
    """The Pages and Problems of one partition, in input order (see the module docstring)."""
    if part.kind == "files":
        for name, path in zip(part.names, part.paths, strict=True):
            yield from _read_file(name, path)
    elif part.kind == "jsonl":
        yield from _read_jsonl_range(part)
    elif part.kind == "warc":
        yield from _read_warc_range(part)
    else:
        raise ValueError(f"unknown partition kind {part.kind!r}")


def _read_file(name: str, path: str) -> Iterator[Page | Problem]:
    """:func:`khabar.readers.read_one` for a file opened at ``path`` but named ``name``."""
    from khabar.readers import read_one

    yield from read_one(name, path=path)


def _read_jsonl_range(part: Partition) -> Iterator[Page | Problem]:
    """The records of the lines that start in ``[start, end)`` (as ``read_jsonl`` reads them)."""
    from khabar.readers.decode import DecodeError, decode
    from khabar.readers.formats import MAX_LINE_BYTES, _record

    name, path = part.names[0], part.paths[0]
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as err:
        yield Problem(name, "unreadable", err.strerror or str(err))
        return
    with f:
        pos = 0
        if part.start > 0:
            f.seek(part.start - 1)
            # The end of the line that started before the range belongs to the range before.
            pos = part.start - 1 + len(f.readline())
        number = part.first - 1
        end = part.end
        while end is None or pos < end:
            raw = f.readline(MAX_LINE_BYTES + 1)
            if not raw:
                break
            pos += len(raw)
            number += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while (rest := f.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                    pos += len(rest)
                pos += len(rest)
                yield Problem(f"{name}:{number}", f"line {number} too long",
                              f"more than {MAX_LINE_BYTES >> 20} MB")
                continue
            if number == 1 and raw.startswith(_UTF8_BOM):
                raw = raw[3:]
            if not raw.strip():
                continue
            where = f"{name}:{number}"
            try:
                text, encoding = raw.decode("utf-8"), part.encoding
            except UnicodeDecodeError:
                try:
                    text, encoding = decode(raw.rstrip(b"\r\n"))
                except DecodeError as err:
                    yield Problem(where, f"{err.problem} line {number}", err.detail)
                    continue
            yield _record(where, number, text, encoding)


def _read_warc_range(part: Partition) -> Iterator[Page | Problem]:
    """The records starting in ``[start, end)`` of a WARC file (as ``read_warc`` reads them)."""
    from khabar.readers.formats import warc_pages

    name, path = part.names[0], part.paths[0]
    if part.start == 0:
        with open(path, "rb") as f:
            head = f.read(1 << 16)
        if head.startswith(b"\x1f\x8b"):
            head = zlib.decompressobj(wbits=31).decompress(head, 1 << 16)
        if not head.lstrip(b"\r\n").startswith(b"WARC/"):
            yield Problem(name, "not a WARC file", "the file does not start with a WARC record")
            return
    with open(path, "rb") as f:
        f.seek(part.start)
        yield from warc_pages(name, f, first=part.first, end=part.end)

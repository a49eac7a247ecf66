"""Parquet shards and the manifest of a ``khabar process`` output folder.

Layout of ``--out DIR``::

    manifest.json                 partitions -> shard, status, rows, problems; the run's summary
    shards/part-000000.parquet    one shard per partition, rows in input order
    duplicates.parquet            duplicate pairs (a, b, similarity, kind), as khabar duplicates
    clusters.parquet              connected components of exact and near copies
    corpus-lines.json/.parquet    the corpus's repeated-line counts (first pass; for resuming)

A shard's columns are the ``articles`` table of ``khabar export`` (:func:`khabar.export.
article_schema`; ``event`` and ``thread`` are empty: stories are made when the shards are
ingested into an archive) followed by what ``khabar ingest`` needs to store the article
without redoing any per-page work (:data:`EXTRA_FIELDS`): the input order, the page, the whole
``extract --json`` object, the page's line statistics, the duplicate fingerprint, the story
clusterer's document and the search index's entity words.

A shard is written under a temporary name and renamed when complete, with its partition's
digest, the run's plan digest, counts and problems in the Parquet metadata: a shard at its
final name is complete, and a resumed run over the same plan keeps it. The manifest is rewritten atomically (temporary file, then
``os.replace``) as shards complete; it can always be rebuilt from the shards.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from khabar.archive.store import LineStats, Processed
from khabar.distributed.partitions import Partition
from khabar.model import Page, Problem

__all__ = ["FORMAT", "MANIFEST", "ShardWriter", "is_shard_dir", "read_manifest", "read_shards",
           "shard_info", "shard_schema", "write_manifest"]

FORMAT = "khabar.shards/1"
MANIFEST = "manifest.json"
SHARDS = "shards"
META_KEY = b"khabar.shard"
#: Rows per Parquet row group (and per batch held in memory while writing or reading).
BATCH_ROWS = 256
#: Columns after the export columns, needed to rebuild a Processed item.
EXTRA_FIELDS = ("order", "page", "extraction", "line_stats", "fingerprint", "story",
                "search_names")


def shard_schema() -> Any:
    """The export ``articles`` schema plus :data:`EXTRA_FIELDS`."""
    import pyarrow as pa

    from khabar.export import article_schema

    string = pa.string()
    page = pa.struct([("source", string), ("text", string), ("encoding", string),
                      ("format", string), ("id", string), ("url", string), ("outlet", string),
                      ("published", string), ("title", string),
                      ("line_tags", pa.list_(string))])
    lines = pa.struct([("group", string), ("signature", string),
                       ("keys", pa.list_(pa.int64()))])
    extra = [pa.field("order", pa.int64(), nullable=False), pa.field("page", page),
             pa.field("extraction", string), pa.field("line_stats", lines),
             pa.field("fingerprint", pa.binary()), pa.field("story", string),
             pa.field("search_names", string)]
    return pa.schema([*article_schema(), *extra])


def shard_name(index: int) -> str:
    return f"{SHARDS}/part-{index:06d}.parquet"


# --------------------------------------------------------------------------- writing


def _row(item: Processed, order: int) -> dict[str, Any]:
    from khabar.archive.store import _folder_outlet
    from khabar.export import article_row

    page, data = item.page, item.extraction
    outlet = page.outlet or data.get("meta", {}).get("outlet") or _folder_outlet(page)
    row = article_row({**data, "id": item.id}, source=page.source, url=page.url, outlet=outlet)
    stats = item.lines
    row.update({
        "order": order,
        "page": {"source": page.source, "text": page.text, "encoding": page.encoding,
                 "format": page.format, "id": page.id, "url": page.url, "outlet": page.outlet,
                 "published": page.published, "title": page.title,
                 "line_tags": page.line_tags},
        "extraction": json.dumps(data, ensure_ascii=False),
        "line_stats": (None if stats is None else
                       {"group": stats.group, "signature": stats.signature,
                        "keys": list(stats.keys)}),
        "fingerprint": item.extras["fingerprint"],
        "story": json.dumps(item.extras["story"], ensure_ascii=False),
        "search_names": item.extras["search"][2],
    })
    return row


class ShardWriter:
    """Writes one partition's shard: rows in batches to a temporary file, renamed by
    :meth:`close` (so memory stays flat and a half-written shard is never taken for one)."""

    def __init__(self, out: Path, part: Partition) -> None:
        import pyarrow.parquet as pq

        self.path = out / shard_name(part.index)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex}.tmp")
        self.schema = shard_schema()
        self.writer = pq.ParquetWriter(self.tmp, self.schema, compression="zstd")
        self.batch: list[dict[str, Any]] = []
        self.rows = 0

    def add(self, item: Processed, order: int) -> None:
        self.batch.append(_row(item, order))
        if len(self.batch) >= BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self.batch:
            self.writer.write_table(pa.Table.from_pylist(self.batch, schema=self.schema))
            self.rows += len(self.batch)
            self.batch = []

    def close(self, info: dict[str, Any]) -> Path:
        """Finish the shard with ``info`` (digest, counts, problems) in its metadata and give
        it its final name."""
        self._flush()
        info = {**info, "rows": self.rows}
        self.writer.add_key_value_metadata({META_KEY: json.dumps(info, ensure_ascii=False)})
        self.writer.close()
        os.replace(self.tmp, self.path)
        return self.path

    def abort(self) -> None:
        try:
            self.writer.close()
        finally:
            self.tmp.unlink(missing_ok=True)


def shard_info(path: Path) -> dict[str, Any] | None:
    """What a complete shard says about itself (None if the file is not a readable shard)."""
    import pyarrow.parquet as pq

    try:
        meta = pq.read_metadata(path).metadata or {}
        return json.loads(meta[META_KEY])
    except (OSError, KeyError, ValueError):
        return None


# --------------------------------------------------------------------------- the manifest


def write_manifest(out: Path, manifest: dict[str, Any]) -> None:
    """Replace ``out/manifest.json`` atomically."""
    tmp = out / f".{MANIFEST}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, out / MANIFEST)


def read_manifest(out: str | Path) -> dict[str, Any] | None:
    """The manifest of a shard folder, or None when ``out`` is not one."""
    try:
        data = json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def is_shard_dir(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is the output folder of ``khabar process`` (it has the manifest)."""
    return os.path.isdir(path) and read_manifest(path) is not None


# --------------------------------------------------------------------------- reading


_READ_COLUMNS = ["id", *EXTRA_FIELDS]


def _processed(row: dict[str, Any]) -> Processed:
    p = row["page"]
    page = Page(source=p["source"], text=p["text"], encoding=p["encoding"], format=p["format"],
                id=p["id"], url=p["url"], outlet=p["outlet"], published=p["published"],
                title=p["title"], line_tags=p["line_tags"])
    stats = row["line_stats"]
    lines = None if stats is None else LineStats(stats["group"], stats["signature"],
                                                 list(stats["keys"]))
    story = json.loads(row["story"])
    extras = {"fingerprint": row["fingerprint"], "story": story,
              "search": (story["title_key"], story["body_key"], row["search_names"])}
    return Processed(row["id"], page, json.loads(row["extraction"]), lines, extras)


def read_shards(out: str | Path) -> Iterator[Processed | Problem]:
    """Every article of a shard folder as the :class:`~khabar.archive.store.Processed` item the
    per-page work made, in input order, streamed (a batch of rows at a time); the problems
    found while reading, and a Problem for each partition without a complete shard (failed,
    or not processed yet), so that nothing goes missing silently."""
    import pyarrow.parquet as pq

    folder = Path(out)
    manifest = read_manifest(folder)
    if manifest is None:
        raise ValueError(f"{folder}: not a khabar process output folder (no {MANIFEST})")
    for problem in manifest.get("problems", []):
        yield Problem(problem["source"], problem["problem"], problem.get("detail"))
    for entry in manifest["partitions"]:
        part = Partition.from_dict(entry["spec"])
        path = folder / shard_name(part.index)
        info = shard_info(path) if path.is_file() else None
        if (info is None or info.get("digest") != part.digest
                or info.get("plan") != manifest.get("plan")):
            why = entry.get("error") or "its shard was not written (run khabar process again)"
            yield Problem(part.describe(), "partition not processed", why)
            continue
        for problem in info.get("problems", []):
            yield Problem(problem["source"], problem["problem"], problem.get("detail"))
        shard = pq.ParquetFile(path)
        for batch in shard.iter_batches(batch_size=BATCH_ROWS, columns=_READ_COLUMNS):
            for row in batch.to_pylist():
                yield _processed(row)


def shard_counts(out: str | Path) -> dict[str, int]:
    """Pages read and pages skipped (an id seen earlier) over the complete shards."""
    manifest = read_manifest(out) or {}
    pages = skipped = 0
    for entry in manifest.get("partitions", []):
        if entry.get("status") == "done":
            pages += entry.get("pages", 0)
            skipped += entry.get("skipped", 0)
    return {"pages": pages, "skipped": skipped}

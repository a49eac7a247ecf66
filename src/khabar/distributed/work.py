"""The worker task: one partition in, one shard out.

:func:`process_partition` reads its partition, runs the same per-page work as ``khabar ingest``
(:func:`khabar.ingest.process_page`: clean with the corpus's repeated lines, extract, the story
document, the duplicate fingerprint and the search row) and streams the results into its shard.
It is a pure function of the partition and the corpus counts, so running it twice (a retry, a
worker that died half-way, a resumed run) writes the same shard.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from khabar.archive.store import page_id
from khabar.distributed.corpus import load_corpus, order_of
from khabar.distributed.partitions import Partition, read_partition
from khabar.distributed.shards import FORMAT, ShardWriter
from khabar.ingest import process_page
from khabar.model import Problem

__all__ = ["process_partition"]


def process_partition(spec: dict[str, Any], out: str, plan: str) -> dict[str, Any]:
    """Process one partition into ``out/shards/`` and return what its shard holds: ``index``,
    ``digest``, ``rows``, ``pages`` (read), ``skipped`` (an id seen earlier in the input),
    ``problems`` (unreadable files or records, pages whose processing failed)."""
    part = Partition.from_dict(spec)
    corpus = load_corpus(out, plan)
    writer = ShardWriter(Path(out), part)
    problems: list[dict[str, Any]] = []
    pages = skipped = 0
    try:
        for position, item in enumerate(read_partition(part)):
            if isinstance(item, Problem):
                problems.append(item.to_dict())
                continue
            pages += 1
            order = order_of(part.index, position)
            if order in corpus.skip:
                skipped += 1
                continue
            try:
                processed = process_page(item, page_id(item), corpus)  # type: ignore[arg-type]
            except Exception as err:  # one bad page never stops the partition (as in ingest)
                problems.append(Problem(item.source, "processing failed",
                                        f"{type(err).__name__}: {err}"[:300]).to_dict())
                continue
            writer.add(processed, order)
        info = {"format": FORMAT, "plan": plan, "index": part.index, "digest": part.digest,
                "pages": pages, "skipped": skipped, "problems": problems}
        path = writer.close(info)
    except BaseException:
        writer.abort()
        raise
    return {**info, "rows": writer.rows, "shard": str(path)}

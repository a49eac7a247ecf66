"""10,000 synthetic pages (planted exact copies, near copies, partial reuse and repeated ids) on
a local Dask cluster of two workers: the same articles and duplicates as the single-machine
path.

The single-machine path here is ``khabar.extract_many`` semantics, the way ``khabar process``
cleans: the repeated-line counts learned over all the pages (``RepeatedLines.learn``), then
:func:`khabar.ingest.process_page` for each page, pages with an id seen before skipped (as
``khabar ingest`` skips them); duplicates from :class:`khabar.dedup.DuplicateIndex` fed in
input order, pairs oriented as the archive stores them. Checked for every page: the page read
from its partition, the repeated-line counts the worker cleaned it with, and its duplicate
pairs; the whole per-page output (extraction, fingerprint, story document, search row) is
recomputed for every ``STEP``-th page (all of them with ``KHABAR_FULL_CHECK=1``; it is the same
pure function of the page and the counts, and costs as much again as the run itself).
"""

from __future__ import annotations

import logging
import os
from typing import Any

import pyarrow.parquet as pq
import pytest

from khabar.archive.store import Processed, page_id
from khabar.clean.repeated import RepeatedLines, group_of, line_key
from khabar.dedup import DuplicateIndex, Fingerprint
from khabar.distributed.corpus import load_corpus
from khabar.distributed.run import process
from khabar.distributed.shards import read_manifest, read_shards
from khabar.distributed.synthetic import write_jsonl
from khabar.ingest import process_page
from khabar.model import Page
from khabar.readers import read

distributed = pytest.importorskip("distributed")

PAGES = 10_000
STEP = 1 if os.environ.get("KHABAR_FULL_CHECK") else 8


def _reference(pages: list[Page], repeated: RepeatedLines) -> list[tuple[Any, ...]]:
    """The single-machine per-page work for some pages (a task, to use both cores)."""
    out = []
    for page in pages:
        item = process_page(page, page_id(page), repeated)  # type: ignore[arg-type]
        out.append((item.id, item.extraction, item.extras["fingerprint"], item.extras["story"],
                    item.extras["search"]))
    return out


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("synthetic")
    source = write_jsonl(folder / "news.jsonl", PAGES)
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=logging.ERROR)
    client = distributed.Client(cluster)
    try:
        summary = process([str(source)], folder / "out", client=client,
                          partition_bytes=256 << 10)
        # The single-machine side, on the same cores.
        pages, seen = [], set()
        for page in read(str(source)):
            assert isinstance(page, Page)
            if page_id(page) not in seen:
                seen.add(page_id(page))
                pages.append(page)
        repeated = RepeatedLines.learn(pages)
        checked = pages[::STEP]
        shared = client.scatter(repeated, broadcast=True)
        chunks = [checked[i:i + 250] for i in range(0, len(checked), 250)]
        expected = [x for chunk in client.gather(client.map(_reference, chunks, repeated=shared,
                                                            pure=False)) for x in chunk]
    finally:
        client.close()
        cluster.close()
    return summary, folder / "out", pages, repeated, expected


def test_ten_thousand_pages_complete(run: Any) -> None:
    summary, _, pages, _, _ = run
    assert summary.complete and summary.partitions >= 16
    assert summary.pages == PAGES and summary.rows == len(pages) < PAGES
    assert summary.skipped == PAGES - len(pages) and summary.problems == 0
    kinds = summary.duplicates["kinds"]
    assert kinds["exact"] > 300 and kinds["near"] > 300 and kinds["partial"] > 100


def test_same_pages_and_repeated_lines_for_every_page(run: Any) -> None:
    _, out, pages, repeated, _ = run
    got = [x for x in read_shards(out) if isinstance(x, Processed)]
    assert [x.page for x in got] == pages  # read from partitions = read whole, ids first-wins
    manifest = read_manifest(out)
    assert manifest is not None
    corpus = load_corpus(str(out), manifest["plan"])
    for page in pages:
        group = group_of(page)
        assert corpus.pages(group) == repeated.pages(group)
        for line in page.text.split("\n"):
            if line.strip():
                k = line_key(line)
                n = repeated.count(group, k)
                assert corpus.count(group, k) == (n if n >= 2 else 0)


def test_same_articles_as_the_single_machine_path(run: Any) -> None:
    _, out, pages, _, expected = run
    by_id = {x.id: x for x in read_shards(out) if isinstance(x, Processed)}
    assert len(expected) == len(pages[::STEP])
    for key, extraction, fingerprint, story, search in expected:
        item = by_id[key]
        assert item.extraction == extraction
        assert item.extras["fingerprint"] == fingerprint
        assert item.extras["story"] == story
        assert item.extras["search"] == search


def test_same_duplicates_as_the_single_machine_index(run: Any) -> None:
    _, out, _, _, _ = run
    index = DuplicateIndex()
    published: dict[str, str | None] = {}
    expected = set()
    for item in read_shards(out):
        assert isinstance(item, Processed)
        published[item.id] = item.extraction["meta"]["published"]
        for pair in index.add(item.id, Fingerprint.from_bytes(item.extras["fingerprint"])):
            a, b = pair.a, pair.b
            if published[a] and published[b] and published[b] < published[a]:
                a, b = b, a  # as khabar.dedup.archive_store.store_pairs orients them
            expected.add((a, b, round(pair.similarity, 4), pair.kind))
    got = pq.read_table(out / "duplicates.parquet").to_pylist()
    assert len(got) == len(expected) > 1000
    assert {(p["a"], p["b"], p["similarity"], p["kind"]) for p in got} == expected
    clusters = pq.read_table(out / "clusters.parquet").to_pylist()
    copies = {p["b"] for p in got if p["kind"] in ("exact", "near")}
    assert copies <= {c["id"] for c in clusters}

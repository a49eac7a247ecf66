"""``khabar ingest``: pages in, archive out, at speed and with a flat memory profile.

The glue of the whole pipeline: readers -> clean -> extract (in workers) -> archive ->
duplicates and stories (in the writer, incrementally, in the same transactions).

* Reading is streamed (:func:`khabar.read` is a generator) and at most ``workers * 4`` pages
  are in flight, so memory does not grow with the corpus.
* The per-page work (cleaning with the outlet's repeated lines as the archive knows them,
  extraction, fingerprints) runs in a process pool; results come back in reading order and the
  single writer stores them in batched transactions.
* Idempotent: a page whose id is in the archive is skipped before any work is done.
* Crash-safe: a batch is one transaction; kill the process at any moment and the archive holds
  the batches committed before, intact; the next run adds the rest.
* Shards: an output folder of ``khabar process`` (a Dask run) is read as articles processed
  already (:func:`khabar.distributed.read_shards`) and goes through the same writer, with no
  per-page work.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from khabar.archive.store import Archive, Processed, SeenLines, line_stats, page_id
from khabar.model import Page, Problem

__all__ = ["IngestSummary", "ingest", "process_page"]

#: Pages per transaction, and the longest a batch stays open (seconds).
BATCH_PAGES = 200
BATCH_SECONDS = 2.0


@dataclass(slots=True)
class IngestSummary:
    """What an ingest did."""

    read: int = 0  # pages read
    added: int = 0  # new articles
    skipped: int = 0  # already in the archive
    problems: int = 0  # files or records that could not be read or processed
    seconds: float = 0.0  # set when the ingest ends
    problem_list: list[dict[str, Any]] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter, repr=False)

    @property
    def pages_per_second(self) -> float:
        """Pages read per second: so far while the ingest runs, overall once it ended."""
        seconds = self.seconds or time.perf_counter() - self.started
        return self.read / seconds if seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"read": self.read, "added": self.added, "skipped": self.skipped,
                "problems": self.problems, "seconds": round(self.seconds, 3),
                "pages_per_second": round(self.pages_per_second, 1)}


# --------------------------------------------------------------------------- per-page work

_worker_archive: Archive | None = None


def _init_worker(path: str) -> None:
    global _worker_archive
    _worker_archive = Archive(path, readonly=True)
    _exit_with_parent(os.getppid())


def _exit_with_parent(parent: int, every: float = 1.0) -> None:
    """End this worker when the ingest that started it is gone. A pool worker whose parent is
    killed (SIGKILL, OOM) would otherwise wait forever on its task queue: it holds both ends
    of the queue's pipe, so it never sees end-of-file."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name="khabar-parent-watch", daemon=True).start()


def process_page(page: Page, page_key: str, seen: SeenLines | None = None) -> Processed:
    """Clean and extract one page (the work a worker process does)."""
    from khabar.extract.pipeline import extract

    stats, keys = line_stats(page)
    if seen is None and _worker_archive is not None and stats is not None:
        seen = _worker_archive.seen_for(stats, keys)
    from khabar.archive.store import search_row
    from khabar.dedup import fingerprint_key
    from khabar.stories import StoryDoc

    extraction = extract(page, repeated=seen)  # type: ignore[arg-type]
    data = extraction.to_dict()
    # The matching key of the title and body is made once here, in the worker, and serves the
    # story clusterer, the duplicate fingerprint and the search index.
    story = StoryDoc.from_extraction(extraction, id=page_key)
    extras = {"fingerprint": fingerprint_key(f"{story.title_key} {story.body_key}").to_bytes(),
              "story": story.to_dict(),
              "search": search_row(data, story.title_key, story.body_key)}
    return Processed(page_key, page, data, stats, extras)


def _work(args: tuple[Page, str]) -> Processed | Problem:
    page, key = args
    try:
        return process_page(page, key)
    except Exception as err:  # one bad page never stops the batch
        return Problem(page.source, "processing failed", f"{type(err).__name__}: {err}")


# --------------------------------------------------------------------------- the writer


def _bounded_map(work: Callable[[Any], Any], items: Iterable[Any], workers: int,
                 path: str) -> Iterator[Any]:
    """``map(work, items)`` in order, over a process pool with a bounded window (the pool's own
    map would read the whole input first)."""
    if workers <= 1:
        for item in items:
            yield work(item)
        return
    window = workers * 4
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                             initargs=(path,)) as pool:
        pending: deque[Future[Any]] = deque()
        for item in items:
            pending.append(pool.submit(work, item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _page_items(paths: list[str], archive: Archive, db: str, workers: int,
                summary: IngestSummary, in_run: set[str],
                on_progress: Callable[[IngestSummary], None] | None
                ) -> Iterator[Processed | Problem]:
    """Pages read from ``paths`` and processed (in a pool of ``workers``): the page path."""
    from khabar.readers import read

    def todo() -> Iterator[tuple[Page, str]]:
        for item in read(*paths):
            if isinstance(item, Problem):
                archive.add_problem(item)
                summary.problems += 1
                summary.problem_list.append(item.to_dict())
                if on_progress:
                    on_progress(summary)
                continue
            summary.read += 1
            key = page_id(item)
            if key in in_run or archive.has(key):
                summary.skipped += 1
                if on_progress:
                    on_progress(summary)
                continue
            in_run.add(key)
            yield item, key

    yield from _bounded_map(_work, todo(), workers, db)


def _shard_items(folder: str, archive: Archive, summary: IngestSummary, in_run: set[str],
                 on_progress: Callable[[IngestSummary], None] | None
                 ) -> Iterator[Processed | Problem]:
    """Articles processed already by ``khabar process`` (a shard folder): no per-page work."""
    from khabar.distributed.shards import read_shards, shard_counts

    skipped = shard_counts(folder)["skipped"]  # pages whose id came earlier in that input
    summary.read += skipped
    summary.skipped += skipped
    for item in read_shards(folder):
        if isinstance(item, Processed):
            summary.read += 1
            if item.id in in_run or archive.has(item.id):
                summary.skipped += 1
                if on_progress:
                    on_progress(summary)
                continue
            in_run.add(item.id)
        yield item


def _sources(paths: Iterable[str]) -> list[tuple[str, list[str]]]:
    """The inputs in order, as ("pages", [paths...]) runs and ("shards", [folder]) items."""
    from khabar.distributed.shards import is_shard_dir

    out: list[tuple[str, list[str]]] = []
    for path in paths:
        if path != "-" and is_shard_dir(path):
            out.append(("shards", [path]))
        elif out and out[-1][0] == "pages":
            out[-1][1].append(path)
        else:
            out.append(("pages", [path]))
    return out


def ingest(paths: Iterable[str], db: str, *, workers: int = 1,
           on_progress: Callable[[IngestSummary], None] | None = None,
           on_added: Callable[[Archive, Processed], None] | None = None) -> IngestSummary:
    """Ingest pages from ``paths`` (files, folders, globs, ``-``) into the archive ``db``.

    A path that is the output folder of ``khabar process`` (it holds a ``manifest.json``) is
    read as shards: its articles are stored as they were processed on the cluster, with no
    per-page work; everything after (archive, duplicates, stories) is the same.

    ``on_progress`` is called after every page with the running summary; ``on_added`` after
    each new article is stored (inside its transaction) for the later stages.
    """
    summary = IngestSummary()
    workers = max(1, workers or os.cpu_count() or 1)
    sources = _sources(paths)
    with Archive(db) as archive:
        in_run: set[str] = set()

        def items() -> Iterator[Processed | Problem]:
            for kind, group in sources:
                if kind == "shards":
                    yield from _shard_items(group[0], archive, summary, in_run, on_progress)
                else:
                    yield from _page_items(group, archive, db, workers, summary, in_run,
                                           on_progress)

        global _worker_archive
        if workers == 1:
            _worker_archive = archive
        try:
            _write(archive, items(), summary, on_progress, on_added)
        finally:
            if workers == 1:
                _worker_archive = None
    summary.seconds = time.perf_counter() - summary.started
    return summary


def _write(archive: Archive, items: Iterable[Processed | Problem], summary: IngestSummary,
           on_progress: Callable[[IngestSummary], None] | None,
           on_added: Callable[[Archive, Processed], None] | None) -> None:
    """The single writer: store processed pages and problems in batched transactions, with
    the duplicate index and the story clusterer updated in the same transactions."""
    from khabar.dedup import DuplicateIndex, Fingerprint
    from khabar.dedup.archive_store import ArchiveStore, store_pairs
    from khabar.stories import StoryDoc
    from khabar.stories.archive_store import load_clusterer, update_stories

    duplicates = DuplicateIndex(ArchiveStore(archive.conn))
    batch_open = 0
    batch_started = time.perf_counter()
    try:
        archive.conn.execute("BEGIN IMMEDIATE")
        archive._in_transaction = True
        # The clusterer's state is in the archive's tables, read and written as articles come
        # (an archive from before those tables is converted here, in the first transaction).
        clusterer = load_clusterer(archive.conn)

        def later_stages(item: Processed) -> None:
            fp = Fingerprint.from_bytes(item.extras["fingerprint"])
            store_pairs(archive.conn, duplicates.add(item.id, fp))
            clusterer.add(StoryDoc.from_dict(item.extras["story"]))

        for result in items:
            if isinstance(result, Problem):
                archive.add_problem(result)
                summary.problems += 1
                summary.problem_list.append(result.to_dict())
            elif archive.add(result):
                summary.added += 1
                later_stages(result)
                if on_added is not None:
                    on_added(archive, result)
            batch_open += 1
            if (batch_open >= BATCH_PAGES
                    or time.perf_counter() - batch_started > BATCH_SECONDS):
                clusterer.flush()  # what the clusterer holds back goes with the batch
                archive.conn.execute("COMMIT")
                archive.conn.execute("BEGIN IMMEDIATE")
                batch_open, batch_started = 0, time.perf_counter()
            if on_progress:
                on_progress(summary)
        # The query tables: rows of the events and threads changed since they were last
        # written (in this run, or in one that was killed before it got here).
        update_stories(archive.conn, clusterer)
        archive.conn.execute("COMMIT")
    except BaseException:
        if archive.conn.in_transaction:
            archive.conn.execute("ROLLBACK")
        raise
    finally:
        archive._in_transaction = False

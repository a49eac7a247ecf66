"""``khabar process``: pages in, Parquet shards out, on a Dask cluster.

The stages of :func:`process`:

1. **plan** (:mod:`~khabar.distributed.partitions`): inputs cut into partitions; the scans of
   large JSONL and WARC files run on the workers.
2. **corpus** (:mod:`~khabar.distributed.corpus`): a first pass counts the lines repeated across
   each outlet's pages over the whole input and finds page ids seen twice; saved in the output
   folder.
3. **pages** (:mod:`~khabar.distributed.work`): one task per partition runs the per-page work
   and writes the partition's shard; a task that raises is retried (``retries``), a task whose
   worker dies is rescheduled by Dask, and a partition that still fails is reported in the
   manifest and the summary, never dropped silently.
4. **duplicates** (:mod:`~khabar.distributed.dedup`), once every partition is done.

Resumable: a shard that was completely written is kept by the next run over the same inputs
(same plan), which does only the missing partitions; a run over changed inputs into the same
folder is refused unless ``restart`` is given.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from khabar.distributed.dedup import DUPLICATES
from khabar.distributed.partitions import DEFAULT_PARTITION_BYTES, Partition, Plan, plan_inputs
from khabar.distributed.shards import (
    FORMAT,
    MANIFEST,
    SHARDS,
    read_manifest,
    shard_info,
    shard_name,
    write_manifest,
)

__all__ = ["ProcessError", "ProcessSummary", "process"]

#: The manifest is rewritten at most this often while shards complete (and at the end).
MANIFEST_SECONDS = 2.0


class ProcessError(RuntimeError):
    """The run cannot start (bad output folder, unreachable scheduler, ...)."""


@dataclass(slots=True)
class ProcessSummary:
    """What a run did. ``pages`` and ``rows`` count all complete shards, ``processed`` the
    partitions done by this run and ``reused`` the ones kept from an earlier run."""

    out: str
    partitions: int = 0
    reused: int = 0
    processed: int = 0
    failed: list[dict[str, Any]] = field(default_factory=list)
    pages: int = 0  # pages read (in complete shards)
    rows: int = 0  # articles written
    skipped: int = 0  # pages whose id came earlier in the input
    problems: int = 0  # files, records and pages that could not be read or processed
    pages_this_run: int = 0
    duplicates: dict[str, Any] | None = None
    stage: str = "plan"
    dashboard: str | None = None
    seconds: float = 0.0
    started: float = field(default_factory=time.perf_counter, repr=False)

    @property
    def done(self) -> int:
        return self.reused + self.processed

    @property
    def complete(self) -> bool:
        return self.done == self.partitions and not self.failed

    @property
    def pages_per_second(self) -> float:
        """Pages processed per second by this run (so far, or overall once it ended)."""
        seconds = self.seconds or time.perf_counter() - self.started
        return self.pages_this_run / seconds if seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"out": self.out, "partitions": self.partitions, "reused": self.reused,
                "processed": self.processed, "failed": len(self.failed),
                "pages": self.pages, "articles": self.rows, "skipped": self.skipped,
                "problems": self.problems, "duplicates": self.duplicates,
                "complete": self.complete, "seconds": round(self.seconds, 3),
                "pages_per_second": round(self.pages_per_second, 1)}


# --------------------------------------------------------------------------- the cluster


@contextlib.contextmanager
def _connect(client: Any, scheduler: str | None, local_cluster: int | None,
             threads_per_worker: int) -> Iterator[Any]:
    """The client to use: the one given, one for ``scheduler``, or a local cluster of
    ``local_cluster`` worker processes (one per core by default), closed afterwards."""
    if client is not None:
        yield client
        return
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            made = Client(scheduler, timeout="20s")
        except OSError as err:
            raise ProcessError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from err
        with made:
            yield made
        return
    workers = local_cluster or os.cpu_count() or 1
    with LocalCluster(n_workers=workers, threads_per_worker=threads_per_worker,
                      processes=True, silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as made:
        yield made


def _mapper(client: Any) -> Callable[[Callable[..., Any], Sequence[tuple[Any, ...]]], list[Any]]:
    def run(fn: Callable[..., Any], args: Sequence[tuple[Any, ...]]) -> list[Any]:
        if not args:
            return []
        futures = client.map(fn, *zip(*args, strict=True), pure=False, retries=2)
        return list(client.gather(futures))

    return run


def _quiet_shuffles() -> None:
    # The P2P shuffle logs its start and end as warnings; they say nothing to a user.
    for name in ("distributed.shuffle", "distributed.shuffle._scheduler_plugin"):
        logging.getLogger(name).setLevel(logging.ERROR)


# --------------------------------------------------------------------------- the manifest


def _entry(part: Partition) -> dict[str, Any]:
    return {"index": part.index, "input": part.describe(), "shard": shard_name(part.index),
            "digest": part.digest, "status": "pending", "rows": 0, "pages": 0, "skipped": 0,
            "problems": [], "error": None, "spec": part.to_dict()}


def _fill(entry: dict[str, Any], info: dict[str, Any]) -> None:
    entry.update(status="done", rows=info["rows"], pages=info["pages"], skipped=info["skipped"],
                 problems=info["problems"], error=None)


def _clean_tmp(out: Path) -> None:
    """Remove temporary files left by tasks that died while writing."""
    for folder in (out, out / SHARDS):
        if folder.is_dir():
            for tmp in folder.glob(".*.tmp"):
                with contextlib.suppress(OSError):
                    tmp.unlink()


def _reset(out: Path) -> None:
    """Forget an earlier run in ``out`` (``restart``)."""
    from khabar.distributed.corpus import CORPUS_FILE, LINES_FILE
    from khabar.distributed.dedup import CLUSTERS

    for name in (MANIFEST, CORPUS_FILE, LINES_FILE, DUPLICATES, CLUSTERS):
        (out / name).unlink(missing_ok=True)
    if (out / SHARDS).is_dir():
        for shard in (out / SHARDS).glob("part-*.parquet"):
            shard.unlink()


# --------------------------------------------------------------------------- the run


def process(paths: Sequence[str | os.PathLike[str]], out: str | os.PathLike[str], *,
            client: Any = None, scheduler: str | None = None, local_cluster: int | None = None,
            threads_per_worker: int = 1, partition_bytes: int = DEFAULT_PARTITION_BYTES,
            duplicates: bool = True, retries: int = 2, restart: bool = False,
            on_progress: Callable[[ProcessSummary], None] | None = None) -> ProcessSummary:
    """Process ``paths`` (files, folders, globs) on a Dask cluster into shards in ``out``.

    The cluster is ``client`` (a ``distributed.Client``), else the scheduler at ``scheduler``
    (``tcp://host:8786``), else a local cluster of ``local_cluster`` worker processes. Inputs
    and ``out`` must be reachable by every worker at the same paths (one machine, or a shared
    file system). ``on_progress`` is called as the run advances (stage changes and every
    partition done).
    """
    folder = Path(out).resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / SHARDS).mkdir(exist_ok=True)
    except OSError as err:
        raise ProcessError(f"{out}: cannot write there ({err})") from err
    summary = ProcessSummary(str(out))
    tell = on_progress or (lambda _summary: None)
    _quiet_shuffles()
    with _connect(client, scheduler, local_cluster, threads_per_worker) as dask_client:
        link = getattr(dask_client, "dashboard_link", None)
        summary.dashboard = link if link and _dashboard_runs(dask_client) else None
        tell(summary)
        plan = plan_inputs(paths, partition_bytes=partition_bytes,
                           mapper=_mapper(dask_client))
        _run(dask_client, plan, folder, summary, duplicates=duplicates, retries=retries,
             restart=restart, tell=tell)
    summary.seconds = time.perf_counter() - summary.started
    return summary


def _dashboard_runs(client: Any) -> bool:
    try:
        services = client.scheduler_info().get("services", {})
    except Exception:
        return False
    return "dashboard" in services


def _run(client: Any, plan: Plan, out: Path, summary: ProcessSummary, *, duplicates: bool,
         retries: int, restart: bool, tell: Callable[[ProcessSummary], None]) -> None:
    from distributed import as_completed

    from khabar.distributed.corpus import corpus_lines, save_corpus, saved_digest
    from khabar.distributed.work import process_partition

    old = read_manifest(out)
    if (out / MANIFEST).exists() and old is None and not restart:
        raise ProcessError(f"{out}: holds a {MANIFEST} that is not khabar's; choose another "
                           "--out")
    if restart or (old is not None and old.get("plan") != plan.digest):
        if old is not None and not restart:
            raise ProcessError(
                f"{out} holds the output of a run over other inputs (or another partition "
                "size); use another --out, or --restart to replace it")
        _reset(out)
        old = None
    _clean_tmp(out)

    entries = [_entry(part) for part in plan.partitions]
    summary.partitions = len(entries)
    summary.problems = len(plan.problems)
    pending: list[Partition] = []
    for part, entry in zip(plan.partitions, entries, strict=True):
        info = shard_info(out / entry["shard"])
        if (info is not None and info.get("digest") == part.digest
                and info.get("plan") == plan.digest):
            _fill(entry, info)
            summary.reused += 1
            _count(summary, entry)
        else:
            pending.append(part)
    manifest: dict[str, Any] = {
        "format": FORMAT, "plan": plan.digest, "partition_bytes": plan.partition_bytes,
        "problems": [p.to_dict() for p in plan.problems], "partitions": entries,
        "duplicates": ((old or {}).get("duplicates")
                       if not pending and (out / DUPLICATES).is_file() else None),
        "summary": None}
    write_manifest(out, manifest)

    if pending:
        if saved_digest(out) != plan.digest:
            summary.stage = "corpus"
            tell(summary)
            specs = [part.to_dict() for part in plan.partitions]
            save_corpus(corpus_lines(client, specs, retries=retries), out, plan.digest)
        summary.stage = "pages"
        tell(summary)
        run_id = uuid.uuid4().hex[:8]
        futures = {client.submit(process_partition, part.to_dict(), str(out), plan.digest,
                                 key=f"khabar-partition-{part.index}-{run_id}",
                                 retries=retries, pure=False): part
                   for part in pending}
        written = time.perf_counter()
        try:
            for future in as_completed(futures):
                part = futures[future]
                entry = entries[part.index]
                if future.status == "finished":
                    info = future.result()
                    _fill(entry, info)
                    summary.processed += 1
                    summary.pages_this_run += info["pages"]
                    _count(summary, entry)
                else:
                    try:
                        error: BaseException | None = future.exception()
                    except BaseException as err:  # cancelled: the exception is the reason
                        error = err
                    entry.update(status="failed", error=f"{type(error).__name__}: {error}"[:500])
                    summary.failed.append({"index": part.index, "input": part.describe(),
                                           "error": entry["error"]})
                future.release()
                if time.perf_counter() - written > MANIFEST_SECONDS:
                    write_manifest(out, manifest)
                    written = time.perf_counter()
                tell(summary)
        except BaseException:
            client.cancel(list(futures))
            write_manifest(out, manifest)
            raise
        _clean_tmp(out)

    if duplicates and summary.complete and manifest.get("duplicates") is None:
        from khabar.distributed.dedup import distributed_duplicates

        summary.stage = "duplicates"
        tell(summary)
        shards = [str(out / e["shard"]) for e in entries]
        manifest["duplicates"] = distributed_duplicates(client, shards, out,
                                                        articles=summary.rows)
    summary.duplicates = manifest.get("duplicates")
    summary.stage = "done"
    summary.seconds = time.perf_counter() - summary.started
    manifest["summary"] = summary.to_dict()
    write_manifest(out, manifest)
    tell(summary)


def _count(summary: ProcessSummary, entry: dict[str, Any]) -> None:
    summary.pages += entry["pages"]
    summary.rows += entry["rows"]
    summary.skipped += entry["skipped"]
    summary.problems += len(entry["problems"])

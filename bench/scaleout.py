"""Scale-out: ``khabar process`` on a local Dask cluster against the process-pool ``ingest``.

    .venv/bin/python bench/scaleout.py                 # 10,000 pages; memory at 10k and 50k
    .venv/bin/python bench/scaleout.py --pages 2000 --memory-pages 2000 5000   # quicker

(Not named ``distributed.py``: run as a script, this folder is first on ``sys.path`` and the
file would hide Dask's ``distributed`` package.) bench/run.py calls :func:`bench_distributed`.

The pages are khabar's synthetic corpus (``khabar.distributed.synthetic``: short Urdu news
pages of six outlets with their chrome, 5 % exact copies, 5 % near copies, 3 % partial reuse,
0.5 % repeated ids) in one JSONL file, cut into 256 KB partitions.

Timed, each on a fresh cluster or pool, from the call to the result: ``khabar.distributed.
process`` with 1 and 2 local worker processes (planning, the repeated-line pass, the pages,
the duplicates; the cluster's start is not counted, the workers' warm-up is), and ``khabar.
ingest.ingest`` with 1 and 2 workers (pages into a fresh archive with duplicates and stories,
all in one writer). Memory: the peak resident size of each Dask worker process (``getrusage``
in the workers) for two corpus sizes; it should not grow with the corpus.

Also timed: ``khabar ingest`` of the 2-worker run's shards (the archive, duplicates and stories
from the shards, no per-page work). Also checked: the articles and duplicates of the 2-worker
run against the archive of ``ingest --workers 1``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import resource
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import khabar
from khabar.distributed.synthetic import write_jsonl

PARTITION_BYTES = 256 << 10


def _peak_rss_mb() -> float:
    """This process's peak resident size in MB (run in each worker). ``VmHWM``, not
    ``getrusage``: a spawned worker inherits its parent's ``ru_maxrss`` across exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _process(source: Path, out: Path, workers: int) -> dict[str, Any]:
    """One ``khabar process`` run on a fresh local cluster of ``workers`` processes."""
    from distributed import Client, LocalCluster

    from khabar.distributed import process

    stages: dict[str, float] = {}
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        start = time.perf_counter()

        def on_progress(summary: Any) -> None:
            stages.setdefault(summary.stage, time.perf_counter() - start)

        summary = process([str(source)], out, client=client, partition_bytes=PARTITION_BYTES,
                          on_progress=on_progress)
        seconds = time.perf_counter() - start
        peaks = sorted(client.run(_peak_rss_mb).values())
    assert summary.complete, summary.failed
    order = ["corpus", "pages", "duplicates", "done"]
    spans = {name: stages[nxt] - stages[name] for name, nxt in pairwise(order)
             if name in stages and nxt in stages}
    return {"seconds": seconds, "pages": summary.pages, "peaks": peaks, "stages": spans,
            "summary": summary.to_dict()}


def _ingest(source: Path, db: Path, workers: int) -> dict[str, Any]:
    from khabar.ingest import ingest

    start = time.perf_counter()
    summary = ingest([str(source)], str(db), workers=workers)
    return {"seconds": time.perf_counter() - start, "pages": summary.read}


def _compare(out: Path, db: Path) -> dict[str, Any]:
    """The shards' articles and duplicates against an ingest's archive."""
    import pyarrow.parquet as pq

    from khabar.archive.store import Archive, Processed
    from khabar.dedup.archive_store import duplicate_pairs
    from khabar.distributed import read_shards

    same = same_dropped = total = 0
    with Archive(db, readonly=True) as archive:
        for item in read_shards(out):
            if not isinstance(item, Processed):
                continue
            total += 1
            stored = archive.article(item.id) or {}
            mine = {**item.extraction, "id": item.id}
            if {k: v for k, v in mine.items() if k != "dropped"} == {
                    k: v for k, v in stored.items() if k != "dropped"}:
                same += 1
                same_dropped += mine.get("dropped") == stored.get("dropped")
        theirs = {(p["a"], p["b"], p["kind"]) for p in duplicate_pairs(archive.conn)}
    mine_pairs = {(p["a"], p["b"], p["kind"])
                  for p in pq.read_table(out / "duplicates.parquet").to_pylist()}
    return {"articles": total, "same": same, "same_dropped": same_dropped,
            "pairs": len(mine_pairs), "both": len(mine_pairs & theirs),
            "only_process": len(mine_pairs - theirs), "only_ingest": len(theirs - mine_pairs)}


def bench_distributed(pages: int = 10_000, memory_pages: tuple[int, ...] = (10_000, 50_000),
                      verbose: bool = True) -> list[dict[str, Any]]:
    """Rows for bench/run.py's table (and details printed when ``verbose``)."""
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="khabar-bench-dask-") as tmp:
        folder = Path(tmp)
        source = write_jsonl(folder / f"news-{pages}.jsonl", pages)
        runs: dict[str, dict[str, Any]] = {}
        for workers in (1, 2):
            runs[f"ingest{workers}"] = _ingest(source, folder / f"ingest{workers}.db", workers)
            runs[f"process{workers}"] = _process(source, folder / f"out{workers}", workers)
            if verbose:
                for kind in ("ingest", "process"):
                    run = runs[f"{kind}{workers}"]
                    print(f"{kind} {workers} worker(s): {run['seconds']:.1f} s, "
                          f"{run['pages'] / run['seconds']:,.0f} pages/s"
                          + (f", stages {json.dumps({k: round(v, 1) for k, v in run['stages'].items()})}"
                             f", peak RSS per worker {run['peaks']} MB"
                             if kind == "process" else ""), file=sys.stderr)
        start = time.perf_counter()
        loaded = _ingest(folder / "out2", folder / "shards.db", 1)
        loaded["seconds"] = time.perf_counter() - start
        if verbose:
            print(f"ingest of the shards: {loaded['seconds']:.1f} s", file=sys.stderr)
        # ingest --workers 1 is deterministic (with more workers, a page is cleaned with the
        # repeated-line counts of the batches committed before it, which depends on timing).
        check = _compare(folder / "out2", folder / "ingest1.db")
        for workers in (1, 2):
            dask_run, pool_run = runs[f"process{workers}"], runs[f"ingest{workers}"]
            rows.append({
                "what": f"{pages:,} pages, {workers} worker{'s' if workers > 1 else ''}: "
                        "khabar process (Dask) vs khabar ingest (process pool)",
                "khabar": f"{pages / dask_run['seconds']:,.0f} pages/s",
                "reference": f"ingest --workers {workers}: "
                             f"{pages / pool_run['seconds']:,.0f} pages/s",
                "ratio": pool_run["seconds"] / dask_run["seconds"]})
        both = runs["process2"]["seconds"] + loaded["seconds"]
        rows.append({
            "what": f"{pages:,} pages into an archive: process (2 workers) then ingest of the "
                    "shards, vs ingest --workers 2",
            "khabar": f"{pages / both:,.0f} pages/s ({runs['process2']['seconds']:.1f} s + "
                      f"{loaded['seconds']:.1f} s)",
            "reference": f"ingest --workers 2: {pages / runs['ingest2']['seconds']:,.0f} pages/s",
            "ratio": runs["ingest2"]["seconds"] / both})
        rows.append({
            "what": "process speed-up, 2 workers over 1",
            "khabar": f"{runs['process1']['seconds'] / runs['process2']['seconds']:.2f}×",
            "reference": f"ingest: {runs['ingest1']['seconds'] / runs['ingest2']['seconds']:.2f}×",
            "ratio": None})
        rows.append({
            "what": f"process (2 workers) vs ingest --workers 1, the same {pages:,} pages",
            "khabar": f"{check['same']:,} of {check['articles']:,} articles the same "
                      f"({check['same_dropped']:,} also in their dropped-line reasons); "
                      f"{check['pairs']:,} duplicate pairs, {check['both']:,} of them also "
                      f"ingest's, {check['only_ingest']:,} only ingest's",
            "reference": "", "ratio": None})
        peaks = []
        for n in memory_pages:
            if n == pages:
                peak = runs["process2"]["peaks"]
            else:
                big = write_jsonl(folder / f"news-{n}.jsonl", n)
                run = _process(big, folder / f"mem{n}", 2)
                big.unlink()
                peak = run["peaks"]
                if verbose:
                    print(f"process 2 workers, {n:,} pages: {run['seconds']:.1f} s, "
                          f"{n / run['seconds']:,.0f} pages/s, peak RSS per worker {peak} MB",
                          file=sys.stderr)
            peaks.append(f"{n:,} pages: {max(peak):.0f} MB")
        rows.append({"what": "peak memory per Dask worker (2 workers)",
                     "khabar": " · ".join(peaks), "reference": "", "ratio": None})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=10_000, help="pages for the speed runs")
    parser.add_argument("--memory-pages", type=int, nargs="*", default=[10_000, 50_000],
                        help="corpus sizes for the peak memory per worker")
    args = parser.parse_args()
    rows = bench_distributed(args.pages, tuple(args.memory_pages))
    print(f"\nkhabar {khabar.__version__} · Python {platform.python_version()} · "
          f"{platform.machine()} · {os.cpu_count()} cores · {time.strftime('%Y-%m-%d')}\n")
    print("| what | khabar | reference (same run) | speed ratio (>1: khabar faster) |")
    print("|---|---|---|---|")
    for row in rows:
        ratio = f"{row['ratio']:.2f}×" if row["ratio"] else "–"
        print(f"| {row['what']} | {row['khabar']} | {row['reference'] or '–'} | {ratio} |")


if __name__ == "__main__":
    main()

"""Archive benchmarks: ingest speed and memory, and search latency on a large archive.

    .venv/bin/python bench/archive.py [--ingest 1000,10000] [--search-pages 100000]

* **ingest**: ``khabar ingest`` (the real command, in a subprocess) over N synthetic JSONL
  pages with 1 and 2 workers: pages/s, and the peak resident memory of the writer and of each
  worker, sampled over the whole run. Flat memory means the peak at 10k pages is about the
  peak at 1k.
* **search**: p50/p95 latency of ``khabar.search`` over an archive of synthetic articles (100k
  by default) for a mix of queries: common and rare words, two-word queries, entity names in
  Urdu and English (expanded through the entity tables), phrases and hostile input.

Synthetic pages are made from the bundled sample corpus: each takes a real title and 4-8 real
paragraphs from different pages, with about one word in eight replaced by a word from
wordfreq's Urdu list, an outlet and a date within a year, so the vocabulary and the postings
lists are those of a growing news archive rather than of a few pages copied many times.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / "_data"
OUTLETS = ("daily-one", "roznama-two", "wire-three", "tv-four", "web-five", "weekly-six")


def _base() -> tuple[list[str], list[str], list[str]]:
    """(titles, paragraphs, vocabulary) of the bundled Urdu sample pages."""
    import khabar
    from khabar.resources import sample_corpus

    titles, paragraphs = [], []
    for path in sorted(sample_corpus().rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if khabar.urdu.identify_language(text).lang != "ur":
            continue
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines:
            titles.append(lines[0])
        paragraphs += [line for line in lines[1:] if len(line) > 120]
    from wordfreq import top_n_list

    vocabulary = [w for w in top_n_list("ur", 30000) if len(w) > 2]
    return titles, paragraphs, vocabulary


def synthetic_records(count: int, seed: int = 11) -> Iterator[dict[str, str]]:
    """``count`` JSONL records of realistic, distinct Urdu news pages."""
    titles, paragraphs, vocabulary = _base()
    rng = random.Random(seed)
    start = 738000  # an ordinal day in 2021

    def vary(text: str) -> str:
        words = text.split()
        for i in range(len(words)):
            if rng.random() < 0.12:
                words[i] = rng.choice(vocabulary)
        return " ".join(words)

    import datetime as dt

    for i in range(count):
        body = [vary(p) for p in rng.sample(paragraphs, rng.randint(4, 8))]
        day = dt.date.fromordinal(start + rng.randrange(365)).isoformat()
        yield {"id": f"syn-{i:07d}", "url": f"https://news.example/{i}",
               "outlet": rng.choice(OUTLETS), "published": day,
               "text": vary(rng.choice(titles)) + "\n\n" + "\n\n".join(body)}


def _write_jsonl(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for record in synthetic_records(count):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


# --------------------------------------------------------------------------- ingest


class _PeakMemory:
    """Samples the resident memory of a process and its children every 50 ms."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.process = psutil.Process(pid)
        self.writer = 0
        self.worker = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                self.writer = max(self.writer, self.process.memory_info().rss)
                for child in self.process.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        self.worker = max(self.worker, child.memory_info().rss)
            except psutil.Error:
                return
            self._stop.wait(0.05)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_ingest(pages: Path, workers: int) -> dict[str, float]:
    """``khabar ingest`` over ``pages`` into a new archive: seconds, pages/s, peak memory."""
    khabar = Path(sys.executable).with_name("khabar")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        started = time.perf_counter()
        proc = subprocess.Popen([str(khabar), "ingest", str(pages), "--db", str(db),
                                 "--workers", str(workers), "--json"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        memory = _PeakMemory(proc.pid)
        out, _ = proc.communicate()
        seconds = time.perf_counter() - started
        memory.stop()
        if proc.returncode != 0:
            raise SystemExit(f"khabar ingest failed ({proc.returncode})")
        summary = json.loads(out.decode().strip().splitlines()[-1])
        return {"seconds": seconds, "pages": summary["read"],
                "pages_per_second": summary["read"] / seconds,
                "writer_mb": memory.writer / 2**20, "worker_mb": memory.worker / 2**20,
                "db_mb": db.stat().st_size / 2**20}


def bench_ingest(sizes: list[int]) -> list[dict]:
    rows = []
    CACHE.mkdir(exist_ok=True)
    results: dict[tuple[int, int], dict[str, float]] = {}
    for size in sizes:
        pages = CACHE / f"ingest-{size}.jsonl"
        if not pages.exists():
            _write_jsonl(pages, size)
        for workers in (1, 2):
            r = run_ingest(pages, workers)
            results[(size, workers)] = r
            print(f"  ingest {size} pages, {workers} worker(s): {r['pages_per_second']:.1f} "
                  f"pages/s, writer {r['writer_mb']:.0f} MB, worker {r['worker_mb']:.0f} MB",
                  file=sys.stderr)
    for size in sizes:
        one, two = results[(size, 1)], results[(size, 2)]
        rows.append({"what": f"ingest {size:,} pages, 1 → 2 workers (pages/s)",
                     "khabar": f"{two['pages_per_second']:.1f} pages/s with 2 workers",
                     "reference": f"{one['pages_per_second']:.1f} pages/s with 1 worker",
                     "ratio": two["pages_per_second"] / one["pages_per_second"]})
        rows.append({"what": f"ingest {size:,} pages, peak memory",
                     "khabar": f"writer {two['writer_mb']:.0f} MB, worker "
                               f"{two['worker_mb']:.0f} MB (2 workers)",
                     "reference": f"writer {one['writer_mb']:.0f} MB (1 worker, in-process)",
                     "ratio": None})
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        for workers in (1, 2):
            a, b = results[(small, workers)], results[(large, workers)]
            rows.append({"what": f"ingest memory growth {small:,} → {large:,} pages "
                                 f"({workers} worker{'s' if workers > 1 else ''})",
                         "khabar": f"writer {a['writer_mb']:.0f} → {b['writer_mb']:.0f} MB",
                         "reference": f"{large // small}× the pages",
                         "ratio": None, "growth": b["writer_mb"] / a["writer_mb"]})
    return rows


# --------------------------------------------------------------------------- search


def build_search_archive(count: int) -> Path:
    """An archive of ``count`` synthetic articles for search (cached in bench/_data).

    Articles are extracted for real from 300 synthetic pages; the rest are those extractions
    with their paragraphs recombined and reworded, stored through ``Archive.add`` with their
    search rows, so the archive is built in minutes rather than the hour a full ingest of
    100k pages takes on two cores. Search sees the same tables either way.
    """
    db = CACHE / f"search-{count}.db"
    if db.exists():
        return db
    from khabar.archive.store import Archive, Processed, search_row
    from khabar.extract.pipeline import extract
    from khabar.model import Page

    CACHE.mkdir(exist_ok=True)
    rng = random.Random(5)
    _, _, vocabulary = _base()
    bases = []
    for record in synthetic_records(300, seed=3):
        page = Page(source=record["id"], text=record["text"], url=record["url"],
                    outlet=record["outlet"], published=record["published"], format="jsonl")
        bases.append((page, extract(page).to_dict()))
    blocks = [b for _, data in bases for b in data["blocks"]]
    tmp = db.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    started = time.perf_counter()
    with Archive(tmp) as archive:
        archive.conn.execute("BEGIN")
        archive._in_transaction = True
        for i in range(count):
            page, data = bases[i % len(bases)]
            new_blocks = []
            for block in rng.sample(blocks, rng.randint(4, 8)):
                words = block["text"].split()
                for j in range(len(words)):
                    if rng.random() < 0.12:
                        words[j] = rng.choice(vocabulary)
                new_blocks.append({**block, "text": " ".join(words)})
            aid = f"s{i:07d}"
            new = {**data, "id": aid, "blocks": new_blocks}
            archive.add(Processed(aid, page, new, None, {"search": search_row(new)}))
            if i % 5000 == 4999:
                archive.conn.execute("COMMIT")
                archive.conn.execute("BEGIN")
                print(f"  search archive: {i + 1:,} articles "
                      f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        archive.conn.execute("COMMIT")
        archive._in_transaction = False
        archive.conn.execute("PRAGMA optimize")
    os.replace(tmp, db)
    return db


def search_queries(db: Path, count: int = 300, seed: int = 9) -> list[str]:
    """A mix of queries as users type them."""
    import sqlite3

    from wordfreq import top_n_list

    rng = random.Random(seed)
    common = [w for w in top_n_list("ur", 2000)[200:] if len(w) > 2]
    rare = [w for w in top_n_list("ur", 30000)[15000:] if len(w) > 3]
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    names = [r[0] for r in conn.execute(
        "SELECT variant FROM entity_variants ORDER BY count DESC LIMIT 200")]
    english = [r[0] for r in conn.execute(
        "SELECT name_en FROM entities WHERE name_en IS NOT NULL LIMIT 200")]
    conn.close()
    makers = [
        lambda: rng.choice(common),
        lambda: rng.choice(rare),
        lambda: f"{rng.choice(common)} {rng.choice(common)}",
        lambda: rng.choice(names),
        lambda: rng.choice(english) if english else rng.choice(names),
        lambda: f"{rng.choice(names)} {rng.choice(common)}",
        lambda: f'"{rng.choice(common)} {rng.choice(common)}"',
        lambda: rng.choice(["NEAR(", "* OR AND", "'; DROP TABLE articles; --",
                            rng.choice(common) * 300]),
    ]
    return [rng.choice(makers)() for _ in range(count)]


def bench_search(count: int) -> list[dict]:
    import sqlite3

    from khabar.search import SearchError, search

    db = build_search_archive(count)
    queries = search_queries(db)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    for q in queries[:20]:  # warm the page cache
        with contextlib.suppress(SearchError):
            search(conn, q)
    times, hits = [], 0
    for q in queries:
        started = time.perf_counter()
        with contextlib.suppress(SearchError):
            hits += len(search(conn, q, limit=20))
        times.append((time.perf_counter() - started) * 1000)
    conn.close()
    times.sort()
    p50 = statistics.median(times)
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"  search over {count:,} articles: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
          f"max {times[-1]:.1f} ms, {hits / len(queries):.1f} hits/query", file=sys.stderr)
    return [{"what": f"search latency, {count:,} articles ({len(queries)} queries, top 20)",
             "khabar": f"p50 {p50:.1f} ms, p95 {p95:.1f} ms",
             "reference": "target p95 < 50 ms", "ratio": 50.0 / p95 if p95 else None}]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ingest", default="1000,10000",
                        help="comma-separated page counts for the ingest runs ('' to skip)")
    parser.add_argument("--search-pages", type=int, default=100_000,
                        help="articles in the search archive (0 to skip)")
    args = parser.parse_args()
    rows = []
    if args.ingest:
        rows += bench_ingest([int(n) for n in args.ingest.split(",")])
    if args.search_pages:
        rows += bench_search(args.search_pages)
    for row in rows:
        ratio = f"{row['ratio']:.2f}×" if row.get("ratio") else "–"
        print(f"| {row['what']} | {row['khabar']} | {row['reference'] or '–'} | {ratio} |")


if __name__ == "__main__":
    main()

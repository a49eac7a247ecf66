"""khabar benchmarks: one command, numbers and ratios against reference tools in the same run.

    make bench            # or: .venv/bin/python bench/run.py [--pages N] [--repeat R]

Measures, on pages made from the bundled sample corpus (and the seeds in ../shared when
present):
- normalize and key throughput (MB/s) against urdunorm on the same text;
- read throughput (pages/s, MB/s) on a folder of text pages;
- clean throughput (pages/s) against trafilatura.extract on the same pages as HTML;
- extract throughput (pages/s), and entity F1 on IL-NER Urdu test (bench/entities.py);
- near-duplicate detection against datasketch's MinHashLSH (bench/dedup.py);
- ingest pages/s with 1 and 2 workers and peak memory at 1k and 10k pages, and search latency
  on an archive of 100k synthetic articles (bench/archive.py);
- ``khabar process`` on a local Dask cluster against ``khabar ingest``, and peak memory per
  Dask worker at 10k and 50k pages (bench/scaleout.py).

``--quick`` runs everything on small sizes (a few minutes); ``--skip archive,scaleout`` leaves
out the slow parts (the full run takes about an hour on 2 cores).
Prints a Markdown table (paste it into README.md) and writes bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import html
import json
import platform
import random
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import khabar
from khabar.resources import sample_corpus

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"
SEEDS = HERE.parent.parent / "shared" / "seeds"


def _page_texts() -> list[str]:
    """Texts of the bundled sample pages (Urdu ones) and the seeds when available."""
    texts = []
    files = sorted(sample_corpus().rglob("*.txt"))
    if SEEDS.is_dir():
        files += sorted(SEEDS.glob("*.txt"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        if khabar.urdu.identify_language(text).lang == "ur":
            texts.append(text)
    if not texts:
        sys.exit("no sample pages found")
    return texts


def _synthetic_pages(texts: list[str], count: int, seed: int = 7) -> list[str]:
    """Seed-like pages: real page layouts with paragraphs shuffled between pages."""
    rng = random.Random(seed)
    paragraphs = [line for text in texts for line in text.splitlines() if len(line) > 80]
    pages = []
    for i in range(count):
        base = texts[i % len(texts)].splitlines()
        out = [rng.choice(paragraphs) if len(line) > 80 else line for line in base]
        pages.append("\n".join(out) + "\n")
    return pages


def _as_html(text: str) -> str:
    """The page as a news site would serve it: chrome in nav/footer, article in <article>."""
    lines = [line for line in text.splitlines() if line.strip()]
    title, body = (lines[0], lines[1:]) if lines else ("", [])
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in body)
    return (
        "<!doctype html><html lang='ur' dir='rtl'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body>"
        "<nav><ul><li><a href='/'>ہوم</a></li><li><a href='/pk'>پاکستان</a></li>"
        "<li><a href='/world'>دنیا</a></li><li><a href='/sports'>کھیل</a></li></ul></nav>"
        f"<article><h1>{html.escape(title)}</h1>\n{paragraphs}</article>"
        "<footer><p>Copyright © 2025. All rights reserved.</p></footer>"
        "<script>var x = 1;</script></body></html>"
    )


def _best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_normalize(texts: list[str], repeat: int) -> list[dict]:
    import urdunorm

    corpus = "\n".join(texts)
    while len(corpus.encode()) < 4_000_000:
        corpus += "\n" + corpus
    lines = corpus.split("\n")
    megabytes = len(corpus.encode()) / 1e6
    rows = []
    cases = [
        ("normalize (display form)", lambda: [khabar.normalize(x) for x in lines],
         "urdunorm.normalize(mode='display')",
         lambda: [urdunorm.normalize(x, mode="display") for x in lines]),
        ("key (matching form)", lambda: [khabar.key(x) for x in lines],
         "urdunorm.normalize(mode='eval')",
         lambda: [urdunorm.normalize(x, mode="eval") for x in lines]),
    ]
    for name, ours, ref_name, ref in cases:
        ours()  # warm caches
        ref()
        t_ours = _best_of(repeat, ours)
        t_ref = _best_of(repeat, ref)
        rows.append({"what": name, "khabar": f"{megabytes / t_ours:.1f} MB/s",
                     "reference": f"{ref_name}: {megabytes / t_ref:.1f} MB/s",
                     "ratio": t_ref / t_ours})
    return rows


def bench_read(pages: list[str], repeat: int) -> list[dict]:
    folder = DATA / "read"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i, text in enumerate(pages):
        (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")
    megabytes = sum(len(t.encode()) for t in pages) / 1e6

    def work() -> None:
        for _ in khabar.read(str(folder)):
            pass

    elapsed = _best_of(repeat, work)
    return [{"what": f"read {len(pages)} text pages", "khabar":
             f"{len(pages) / elapsed:,.0f} pages/s ({megabytes / elapsed:.1f} MB/s)",
             "reference": "", "ratio": None}]


def bench_clean(pages: list[str], repeat: int) -> list[dict]:
    import trafilatura

    htmls = [_as_html(text) for text in pages]
    page_objs = [khabar.Page(source=f"bench/{i}.txt", text=t) for i, t in enumerate(pages)]

    def ours_text() -> None:
        for page in page_objs:
            khabar.clean(page)

    def ours_html() -> None:
        from khabar.readers.html import html_to_page_fields

        for i, markup in enumerate(htmls):
            fields = html_to_page_fields(markup)
            khabar.clean(khabar.Page(source=f"bench/{i}.html", format="html", **fields))

    def theirs() -> None:
        for markup in htmls:
            trafilatura.extract(markup)

    ours_text()
    t_text = _best_of(repeat, ours_text)
    t_html = _best_of(repeat, ours_html)
    t_ref = _best_of(repeat, theirs)
    n = len(pages)
    ref = f"trafilatura.extract on the HTML: {n / t_ref:,.0f} pages/s"
    return [
        {"what": f"clean {n} seed-like text pages", "khabar": f"{n / t_text:,.0f} pages/s",
         "reference": ref, "ratio": t_ref / t_text},
        {"what": f"HTML to text + clean, same {n} pages", "khabar": f"{n / t_html:,.0f} pages/s",
         "reference": ref, "ratio": t_ref / t_html},
    ]


def bench_extract(pages: list[str], repeat: int) -> list[dict]:
    """Whole-article extraction: cleaning, entities (gazetteer, cues, CRF tagger), dates,
    claims and quotes. No other tool extracts these from Urdu, so there is no reference."""
    page_objs = [khabar.Page(source=f"bench/{i}.txt", text=t, published="2025-05-10")
                 for i, t in enumerate(pages)]

    def with_tagger() -> None:
        for page in page_objs:
            khabar.extract(page)

    def without_tagger() -> None:
        for page in page_objs:
            khabar.extract(page, use_tagger=False)

    khabar.extract(page_objs[0])  # load the gazetteer and the model
    n = len(pages)
    t_full = _best_of(repeat, with_tagger)
    t_fast = _best_of(repeat, without_tagger)
    return [
        {"what": f"extract {n} pages (clean + entities + dates + claims + quotes)",
         "khabar": f"{n / t_full:,.0f} pages/s", "reference": "", "ratio": None},
        {"what": f"extract {n} pages without the CRF tagger", "khabar": f"{n / t_fast:,.0f} pages/s",
         "reference": "", "ratio": None},
    ]


def bench_entity_scores() -> list[dict]:
    """Entity F1 on the IL-NER Urdu test split (only when ../shared/data is present)."""
    from entities import entity_scores  # bench/entities.py

    scores = entity_scores()
    rows = []
    for name, label in (("tagger", "NER F1, IL-NER Urdu test: CRF tagger alone"),
                        ("entities", "NER F1, IL-NER Urdu test: whole entity pass")):
        if name in scores:
            s = scores[name]["micro"]
            rows.append({"what": label, "khabar": f"F1 {s['f1']:.3f} (P {s['precision']:.3f},"
                         f" R {s['recall']:.3f})", "reference": "", "ratio": None})
    return rows


def bench_duplicates(texts: list[str], repeat: int) -> list[dict]:
    from dedup import bench_dedup  # bench/dedup.py

    return bench_dedup(texts, repeat=repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="pages for read/clean")
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (best is kept)")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes for the archive and scale-out parts")
    parser.add_argument("--skip", default="",
                        help="comma-separated parts to leave out: core, archive, scaleout")
    args = parser.parse_args()
    skip = {part.strip() for part in args.skip.split(",") if part.strip()}

    rows: list[dict] = []
    if "core" not in skip:
        texts = _page_texts()
        pages = _synthetic_pages(texts, args.pages)
        rows += bench_normalize(texts, args.repeat)
        rows += bench_read(pages, args.repeat)
        rows += bench_clean(pages[: max(1, args.pages // 4)], args.repeat)
        rows += bench_extract(pages[: max(1, args.pages // 20)], args.repeat)
        rows += bench_duplicates(texts, args.repeat)
        rows += bench_entity_scores()
    if "archive" not in skip:
        from archive import bench_ingest, bench_search  # bench/archive.py

        rows += bench_ingest([300, 1000] if args.quick else [1000, 10_000])
        rows += bench_search(10_000 if args.quick else 100_000)
    if "scaleout" not in skip:
        from scaleout import bench_distributed  # bench/scaleout.py

        rows += bench_distributed(*((1000, (1000, 3000)) if args.quick
                                    else (10_000, (10_000, 50_000))))

    print(f"\nkhabar {khabar.__version__} · Python {platform.python_version()} · "
          f"{platform.machine()} · {time.strftime('%Y-%m-%d')}\n")
    print("| what | khabar | reference (same run) | speed ratio (>1: khabar faster) |")
    print("|---|---|---|---|")
    for row in rows:
        ratio = f"{row['ratio']:.2f}×" if row.get("ratio") else "–"
        print(f"| {row['what']} | {row['khabar']} | {row['reference'] or '–'} | {ratio} |")
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    ratios = [r["ratio"] for r in rows if r.get("ratio")]
    if ratios:
        print(f"\nmedian ratio {statistics.median(ratios):.1f}×")


if __name__ == "__main__":
    main()

"""``khabar process`` on a local Dask cluster (two worker processes): partitions read like the
readers, the same articles and duplicates as the single-machine path, a worker killed
mid-run, a failed partition resumed, bad inputs reported, the shards ingested into an archive.
"""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.archive.store import Archive, Processed, page_id
from khabar.dedup.archive_store import duplicate_pairs
from khabar.distributed import is_shard_dir, plan_inputs, read_manifest, read_partition
from khabar.distributed.dedup import components
from khabar.distributed.run import ProcessError, process
from khabar.distributed.shards import read_shards, shard_schema
from khabar.distributed.synthetic import write_jsonl
from khabar.export import article_schema, export
from khabar.extract.pipeline import extract_many
from khabar.ingest import ingest
from khabar.model import Page, Problem
from khabar.readers import read
from khabar.resources import sample_corpus
from khabar.search import search
from khabar.stories.archive_store import stories

distributed = pytest.importorskip("distributed")

SAMPLE = str(sample_corpus())
URDU = "لاہور میں آج شام سے تیز بارش جاری ہے اور شہر کی کئی سڑکوں پر پانی جمع ہو گیا۔"
# Urdu as old sites typed it in Windows-1256 (Arabic yeh, a full stop for ۔).
URDU_1256 = URDU.replace("ی", "ي").replace("۔", ".")


@pytest.fixture(scope="module")
def client() -> Any:
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=logging.ERROR)
    made = distributed.Client(cluster)
    yield made
    made.close()
    cluster.close()


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "khabar", *args], capture_output=True,
                          text=True, timeout=180)


def _everything(out: Path) -> dict[str, Any]:
    """The contents of a process output folder that must not depend on how it was made."""
    found: dict[str, Any] = {}
    for path in sorted((out / "shards").glob("*.parquet")):
        found[path.name] = pq.read_table(path)
    for name in ("duplicates.parquet", "clusters.parquet"):
        found[name] = pq.read_table(out / name)
    manifest = read_manifest(out)
    assert manifest is not None
    found["manifest"] = [{k: e[k] for k in ("index", "status", "rows", "pages", "skipped",
                                            "problems", "digest")}
                         for e in manifest["partitions"]]
    return found


def _same(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert a.keys() == b.keys()
    for name in a:
        if name == "manifest":
            assert a[name] == b[name]
        else:
            assert a[name].equals(b[name]), name


# --------------------------------------------------------------------------- partitions


def _cut_read(path: Path, size: int) -> list[Page | Problem]:
    plan = plan_inputs([str(path)], partition_bytes=size)
    return [item for part in plan.partitions for item in read_partition(part)]


def _jsonl_bytes(records: list[Any]) -> bytes:
    lines = []
    for record in records:
        lines.append(record if isinstance(record, bytes) else
                     json.dumps(record, ensure_ascii=False).encode())
    return b"\n".join(lines) + b"\n"


def test_jsonl_byte_ranges_read_like_the_reader(tmp_path: Path) -> None:
    records: list[Any] = [{"id": "a1", "text": URDU, "outlet": "روزنامہ مثال"}, b"", b"   ",
                          b"{not json", {"text": URDU + " " + URDU * 40, "url": "https://x.pk/1"},
                          ("{\"text\": \"" + URDU_1256 + "\"}").encode("cp1256"),
                          [1, 2], {"html": f"<p>{URDU}</p>", "published": "2025-03-01"}]
    records += [{"text": f"{URDU} خبر {n}"} for n in range(40)]
    path = tmp_path / "dump.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + _jsonl_bytes(records))
    whole = list(read(str(path)))
    for size in (4096, 5000, path.stat().st_size - 1):
        plan = plan_inputs([str(path)], partition_bytes=size)
        assert {p.kind for p in plan.partitions} == {"jsonl"} and len(plan.partitions) > 1
        assert _cut_read(path, size) == whole
    assert sum(isinstance(x, Problem) for x in whole) == 2
    assert [x.encoding for x in whole if isinstance(x, Page)][-1] == "utf-8-sig"


@settings(max_examples=25, deadline=None)
@given(lines=st.lists(st.one_of(st.text(min_size=0, max_size=30),
                                st.builds(lambda t: json.dumps({"text": t}, ensure_ascii=False),
                                          st.text(min_size=0, max_size=60))),
                      min_size=1, max_size=30),
       size=st.integers(min_value=1, max_value=200))
def test_any_jsonl_cut_anywhere_reads_like_the_reader(tmp_path_factory: pytest.TempPathFactory,
                                                      lines: list[str], size: int) -> None:
    path = tmp_path_factory.mktemp("cut") / "any.jsonl"
    path.write_bytes("\n".join(line.replace("\n", " ") for line in lines).encode())
    if path.stat().st_size <= size:
        size = max(1, path.stat().st_size // 2)
    assert _cut_read(path, size) == list(read(str(path)))


def _write_warc(path: Path, gz: bool, pages: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "khabar"}))
        for n in range(pages):
            body = (f"<html><body><h1>خبر نمبر {n}</h1><p>{URDU}</p></body></html>").encode()
            kind = "text/html; charset=utf-8" if n % 5 else "image/png"
            http = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://example.pk/{n}", "response", payload=io.BytesIO(body),
                http_headers=http))


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_records_read_like_the_reader(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    _write_warc(path, name.endswith(".gz"), 30)
    size = path.stat().st_size // 6
    plan = plan_inputs([str(path)], partition_bytes=size)
    assert {p.kind for p in plan.partitions} == {"warc"} and len(plan.partitions) >= 4
    whole = list(read(str(path)))
    assert _cut_read(path, size) == whole and len(whole) == 24
    # A file cut off inside its last record: the last partition reports it.
    data = path.read_bytes()
    broken = tmp_path / ("broken-" + name)
    broken.write_bytes(data[: len(data) - 40])
    whole = list(read(str(broken)))
    cut = _cut_read(broken, size)
    assert [x for x in cut if isinstance(x, Page)] == [x for x in whole if isinstance(x, Page)]
    assert ([(x.source, x.problem) for x in cut if isinstance(x, Problem)]
            == [(x.source, x.problem) for x in whole if isinstance(x, Problem)] != [])


def test_small_files_are_grouped_in_reading_order(tmp_path: Path) -> None:
    for n in range(7):
        (tmp_path / "crawl" / f"d{n % 2}").mkdir(parents=True, exist_ok=True)
        (tmp_path / "crawl" / f"d{n % 2}" / f"{n}.txt").write_text(f"{URDU}\n{n}",
                                                                    encoding="utf-8")
    plan = plan_inputs([str(tmp_path / "crawl"), str(tmp_path / "missing"), "-"],
                       partition_bytes=400)
    assert all(p.kind == "files" and 1 <= len(p.names) <= 3 for p in plan.partitions)
    assert ([x for p in plan.partitions for x in read_partition(p)]
            == list(read(str(tmp_path / "crawl"))))
    assert [(p.source, p.problem) for p in plan.problems] == [
        (str(tmp_path / "missing"), "no such file"), ("-", "unreadable")]
    # The plan is the same every time; a changed file changes it.
    again = plan_inputs([str(tmp_path / "crawl")], partition_bytes=400)
    assert again.digest == plan_inputs([str(tmp_path / "crawl")], partition_bytes=400).digest
    (tmp_path / "crawl" / "d0" / "0.txt").write_text(URDU + "\nبدلا ہوا", encoding="utf-8")
    assert plan_inputs([str(tmp_path / "crawl")], partition_bytes=400).digest != again.digest


def test_components_name_each_cluster_by_its_smallest_member() -> None:
    import numpy as np

    a = np.array([5, 1, 9, 7, 3], dtype=np.int64)
    b = np.array([1, 2, 8, 9, 2], dtype=np.int64)
    nodes, roots = components(a, b)
    assert dict(zip(nodes.tolist(), roots.tolist(), strict=True)) == {
        1: 1, 2: 1, 3: 1, 5: 1, 7: 7, 8: 7, 9: 7}


# --------------------------------------------------------------------------- on the cluster


@pytest.fixture(scope="module")
def sample_out(client: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "out"
    summary = process([SAMPLE], out, client=client, partition_bytes=8000)
    assert summary.complete and summary.partitions > 4 and summary.rows == 33
    return out


def test_sample_corpus_gives_the_single_machine_articles(sample_out: Path) -> None:
    pages = [p for p in read(SAMPLE) if isinstance(p, Page)]
    expected = {page_id(p): (p, e.to_dict()) for p, e in zip(pages, extract_many(pages),
                                                             strict=True)}
    got = [x for x in read_shards(sample_out) if isinstance(x, Processed)]
    assert [x.id for x in got] == [page_id(p) for p in pages]  # input order
    for item in got:
        page, extraction = expected[item.id]
        assert item.page == page
        assert item.extraction == extraction
    schema = pq.read_schema(next((sample_out / "shards").glob("*.parquet")))
    assert schema.names[: len(article_schema())] == article_schema().names
    assert schema.remove_metadata().equals(shard_schema())


def test_sample_corpus_shards_ingest_like_the_pages(sample_out: Path, tmp_path: Path) -> None:
    direct, sharded = tmp_path / "direct.db", tmp_path / "sharded.db"
    ingest([SAMPLE], str(direct))
    summary = ingest([str(sample_out)], str(sharded))
    assert (summary.read, summary.added, summary.problems) == (33, 33, 0)
    with Archive(direct) as a, Archive(sharded) as b:
        assert a.counts() == b.counts()
        pairs = list(duplicate_pairs(a.conn))
        assert list(duplicate_pairs(b.conn)) == pairs and pairs
        assert list(stories(a.conn)) == list(stories(b.conn))
        for query in ("Putin", "کراچی گرمی", "آئی ایم ایف"):
            assert ([h.to_dict() for h in search(a.conn, query)]
                    == [h.to_dict() for h in search(b.conn, query)] != [])
        export(a.conn, "parquet", tmp_path / "a")
        export(b.conn, "parquet", tmp_path / "b")
    exported = pq.read_table(tmp_path / "a" / "articles.parquet")
    assert exported.equals(pq.read_table(tmp_path / "b" / "articles.parquet"))
    # The shards' export columns are the export's articles, before stories are made.
    shards = [pq.read_table(p, columns=article_schema().names)
              for p in sorted((sample_out / "shards").glob("*.parquet"))]
    rows = [r for t in shards for r in t.to_pylist()]
    assert rows == [{**r, "event": None, "thread": None} for r in exported.to_pylist()]
    # Distributed duplicates = the single-machine archive's pairs, in the same order.
    assert pq.read_table(sample_out / "duplicates.parquet").to_pylist() == pairs
    # Ingesting the shards again adds nothing.
    again = ingest([str(sample_out)], str(sharded))
    assert (again.added, again.skipped) == (0, 33)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("syn") / "news.jsonl", 800)


@pytest.fixture(scope="module")
def clean_run(client: Any, synthetic: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clean") / "out"
    summary = process([str(synthetic)], out, client=client, partition_bytes=16 << 10)
    assert summary.complete and summary.partitions >= 12 and summary.skipped > 0
    assert summary.duplicates and summary.duplicates["kinds"]["near"] > 0
    return out


def test_shards_do_not_depend_on_the_cluster(clean_run: Path, synthetic: Path,
                                             tmp_path: Path) -> None:
    """A partition processed in this process, without Dask, gives the same shard."""
    from khabar.distributed.corpus import load_corpus, save_corpus
    from khabar.distributed.work import process_partition

    manifest = read_manifest(clean_run)
    assert manifest is not None
    save_corpus(load_corpus(str(clean_run), manifest["plan"]), tmp_path, manifest["plan"])
    for entry in manifest["partitions"][:2]:
        process_partition(entry["spec"], str(tmp_path), manifest["plan"])
        assert pq.read_table(tmp_path / entry["shard"]).equals(
            pq.read_table(clean_run / entry["shard"]))


def _arm_kill(marker: str) -> None:
    """On a worker: die (SIGKILL) half-way through a partition, if ``marker`` can be taken."""
    import signal

    import khabar.distributed.work as work

    original = work.process_page
    calls = [0]

    def dying(page: Any, key: str, seen: Any = None) -> Any:
        calls[0] += 1
        if calls[0] == 10:
            try:
                os.remove(marker)  # only one worker dies, once
            except FileNotFoundError:
                pass
            else:
                os.kill(os.getpid(), signal.SIGKILL)
        return original(page, key, seen)

    work.process_page = dying
    work._test_original = original  # type: ignore[attr-defined]


def _arm_failure(index: int) -> None:
    """On a worker: reading partition ``index`` fails every time."""
    import khabar.distributed.work as work

    original = work.read_partition

    def failing(part: Any) -> Any:
        if part.index == index:
            raise OSError("the disk went away (test)")
        return original(part)

    work.read_partition = failing
    work._test_original = original  # type: ignore[attr-defined]


def _disarm() -> None:
    import khabar.distributed.work as work

    original = getattr(work, "_test_original", None)
    if original is not None:
        name = "process_page" if original.__name__ == "process_page" else "read_partition"
        setattr(work, name, original)
        del work._test_original


def test_worker_killed_mid_run_output_complete_and_identical(
        client: Any, synthetic: Path, clean_run: Path, tmp_path: Path) -> None:
    marker = tmp_path / "kill-one-worker"
    marker.touch()
    before = set(client.run(os.getpid).values())
    client.run(_arm_kill, str(marker))
    try:
        summary = process([str(synthetic)], tmp_path / "out", client=client,
                          partition_bytes=16 << 10)
    finally:
        client.run(_disarm)
    assert not marker.exists(), "no worker was killed"
    client.wait_for_workers(2, timeout=60)
    assert set(client.run(os.getpid).values()) != before  # the killed worker was replaced
    assert summary.complete and not summary.failed
    _same(_everything(clean_run), _everything(tmp_path / "out"))
    assert not list((tmp_path / "out").rglob("*.tmp"))


def test_failed_partition_is_reported_then_resumed(client: Any, synthetic: Path,
                                                   clean_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    client.run(_arm_failure, 3)
    try:
        first = process([str(synthetic)], out, client=client, partition_bytes=16 << 10,
                        retries=1)
    finally:
        client.run(_disarm)
    assert [f["index"] for f in first.failed] == [3] and "disk went away" in first.failed[0][
        "error"]
    assert not first.complete and first.duplicates is None
    manifest = read_manifest(out)
    assert manifest is not None
    assert [e["status"] for e in manifest["partitions"]].count("failed") == 1
    lost = [x for x in read_shards(out) if isinstance(x, Problem)]
    assert [x.problem for x in lost] == ["partition not processed"]
    kept = {p: p.stat().st_mtime_ns for p in (out / "shards").glob("*.parquet")}
    assert len(kept) == first.partitions - 1

    second = process([str(synthetic)], out, client=client, partition_bytes=16 << 10)
    assert (second.reused, second.processed, second.complete) == (first.partitions - 1, 1, True)
    assert all(p.stat().st_mtime_ns == t for p, t in kept.items())  # not redone
    _same(_everything(clean_run), _everything(out))
    # Other inputs into the same folder are refused, unless asked to start over.
    with pytest.raises(ProcessError, match="other inputs"):
        process([SAMPLE], out, client=client)
    again = process([SAMPLE], out, client=client, restart=True)
    assert again.complete and again.rows == 33 and not list((out / "shards").glob("*-00002*"))


def test_bad_inputs_are_problems_and_the_run_goes_on(client: Any, tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (crawl / "good.txt").write_text(f"بارش کی خبر\n{URDU}\n", encoding="utf-8")
    (crawl / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (crawl / "empty.txt").write_bytes(b"")
    (crawl / "dump.jsonl").write_bytes(_jsonl_bytes([{"id": "j1", "text": URDU}, b"{oops",
                                                     {"id": "j1", "text": URDU + " دوبارہ"}]))
    summary = process([str(crawl), str(tmp_path / "missing.txt")], tmp_path / "out",
                      client=client)
    assert summary.complete
    assert (summary.pages, summary.rows, summary.skipped, summary.problems) == (3, 2, 1, 4)
    problems = {(x.source, x.problem) for x in read_shards(tmp_path / "out")
                if isinstance(x, Problem)}
    assert problems == {(str(crawl / "binary.txt"), "binary file"),
                        (str(crawl / "empty.txt"), "empty file"),
                        (f"{crawl / 'dump.jsonl'}:2", "invalid JSON on line 2"),
                        (str(tmp_path / "missing.txt"), "no such file")}
    summary_db = ingest([str(tmp_path / "out")], str(tmp_path / "news.db"))
    assert (summary_db.read, summary_db.added, summary_db.skipped,
            summary_db.problems) == (3, 2, 1, 4)


def test_command_line(client: Any, tmp_path: Path) -> None:
    address = client.scheduler.address
    out, db = tmp_path / "out", tmp_path / "news.db"
    done = _run("process", SAMPLE, "--out", str(out), "--scheduler", address, "--json",
                "--partition-size", "16KB")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["articles"] == 33 and summary["complete"] and summary["duplicates"]["pairs"]
    assert is_shard_dir(out)
    done = _run("ingest", str(out), "--db", str(db), "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["added"] == 33
    done = _run("duplicates", "--db", str(db), "--json")
    assert ([json.loads(line) for line in done.stdout.splitlines()]
            == pq.read_table(out / "duplicates.parquet").to_pylist())
    assert _run("search", "Putin", "--db", str(db), "--json").stdout.strip()
    both = _run("process", SAMPLE, "--out", str(out), "--scheduler", address,
                "--local-cluster", "2")
    assert both.returncode == 2 and "not both" in both.stderr
    assert _run("process", "--help").returncode == 0

"""The archive and ``khabar ingest``: idempotent, crash-safe (SIGKILL), problems kept, schema
versioned."""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

import khabar
from khabar.archive import SCHEMA_VERSION, Archive, ArchiveError, ArchiveVersionError
from khabar.archive.store import page_id
from khabar.ingest import ingest
from khabar.resources import sample_corpus


def _khabar(*args: str, timeout: int = 300) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "khabar", *args], capture_output=True,
                          timeout=timeout)


def _corpus(folder: Path, copies: int) -> int:
    """``copies`` distinct pages per sample page (a line of their own makes each distinct)."""
    pages = sorted(p for p in sample_corpus().rglob("*.txt"))
    n = 0
    for c in range(copies):
        for page in pages:
            target = folder / page.parent.name / f"{c:03d}-{page.name}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.read_text(encoding="utf-8") + f"\nنسخہ {c}\n",
                              encoding="utf-8")
            n += 1
    return n


def test_ingest_is_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    first = ingest([str(sample_corpus())], str(db))
    assert first.added == first.read == 33 and first.problems == 0
    again = ingest([str(sample_corpus())], str(db))
    assert again.added == 0 and again.skipped == 33
    with Archive(db, readonly=True) as archive:
        counts = archive.counts()
        assert counts["pages"] == counts["articles"] == 33
        assert archive.integrity() == "ok"


def test_the_same_pages_from_another_working_directory_are_the_same_pages(tmp_path: Path
                                                                          ) -> None:
    page = khabar.Page(source="/a/b/outlet/page.txt", text="خبر۔")
    moved = khabar.Page(source="outlet/page.txt", text="خبر۔")
    assert page_id(page) == page_id(moved)
    assert page_id(khabar.Page(source="x.jsonl:3", text="خبر۔", id="wire-17")) == "wire-17"


def test_jsonl_ids_are_the_article_ids(tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    rows = [{"id": "ap-1", "text": "کراچی میں بارش۔\nشہر میں شدید بارش کے بعد کئی سڑکیں زیر آب آ "
             "گئیں اور ٹریفک کا نظام درہم برہم ہو گیا۔", "outlet": "wire", "published": "2025-07-01"},
            {"id": "ap-2", "text": "لاہور میں گرمی۔\nلاہور میں درجہ حرارت 45 ڈگری تک پہنچ گیا۔"}]
    dump.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n{bad\n",
                    encoding="utf-8")
    db = tmp_path / "news.db"
    summary = ingest([str(dump)], str(db))
    assert (summary.added, summary.problems) == (2, 1)
    with Archive(db, readonly=True) as archive:
        assert archive.article("ap-1")["meta"]["published"] == "2025-07-01"
        assert archive.article("ap-1")["id"] == "ap-1"
        assert [p["problem"] for p in archive.problems()] == ["invalid JSON on line 3"]


def test_hostile_files_become_problems_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "random.txt").write_bytes(os.urandom(4096))
    packed = gzip.compress(next(sample_corpus().rglob("*.txt")).read_bytes())
    (folder / "cut.txt.gz").write_bytes(packed[: len(packed) // 2])
    (folder / "bad.jsonl").write_text('{"text": 1}\nnot json\n', encoding="utf-8")
    (folder / "utf16.txt").write_bytes("پشاور میں زلزلہ\nزلزلے کے جھٹکے محسوس کیے گئے۔"
                                       .encode("utf-16"))
    # Windows-1256 has no Urdu yeh: such files carry the Arabic one
    (folder / "cp1256.txt").write_bytes("کوئٹہ میں برفباری\nشہر میں برفباری ہوئی."
                                        .replace("ی", "ي").encode("cp1256"))
    (folder / "nul.txt").write_bytes("ملتان\x00 میں بارش\nبارش ہوئی۔".encode())
    db = tmp_path / "news.db"
    done = _khabar("ingest", str(folder), "--db", str(db), "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["added"] == 3
    assert summary["problems"] >= 4
    listed = _khabar("problems", "--db", str(db), "--json")
    problems = [json.loads(line) for line in listed.stdout.decode().splitlines()]
    sources = {Path(p["source"].split(":")[0]).name for p in problems}
    assert {"empty.txt", "random.txt", "cut.txt.gz", "bad.jsonl"} <= sources
    assert all(p["problem"] for p in problems)


def test_ingest_survives_sigkill_and_resumes(tmp_path: Path) -> None:
    """Kill the ingest (SIGKILL) mid-way, several times; every page ends up there once and the
    archive passes the integrity check."""
    folder = tmp_path / "corpus"
    total = _corpus(folder, 12)  # 396 pages
    db = tmp_path / "news.db"
    for delay in (1.5, 2.5):
        proc = subprocess.Popen([sys.executable, "-m", "khabar", "ingest", str(folder),
                                 "--db", str(db), "--workers", "2"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        workers = psutil.Process(proc.pid).children(recursive=True)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # its pool workers notice and end too (they used to wait forever on their queue)
        _, alive = psutil.wait_procs(workers, timeout=10)
        assert not alive, alive
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    done = _khabar("ingest", str(folder), "--db", str(db), "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["added"] + summary["skipped"] == total
    with Archive(db, readonly=True) as archive:
        counts = archive.counts()
        assert counts["pages"] == counts["articles"] == total
        assert archive.conn.execute("SELECT count(DISTINCT id) FROM pages").fetchone()[0] == total
        # no article has its facts twice: mentions per article as a fresh extraction gives
        orphans = archive.conn.execute(
            "SELECT count(*) FROM mentions WHERE article NOT IN (SELECT id FROM articles)")
        assert orphans.fetchone()[0] == 0
        assert archive.integrity() == "ok"


def test_repeated_lines_are_learned_from_the_archive(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    ingest([str(sample_corpus())], str(db))
    with Archive(db, readonly=True) as archive:
        reasons = [d["reason"] for a in archive.articles() for d in a["dropped"]]
    assert any("pages of this outlet" in r for r in reasons)


def test_schema_is_versioned_and_newer_archives_are_refused(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    Archive(db).close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(ArchiveVersionError, match="newer"):
        Archive(db)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(ArchiveVersionError, match="not a khabar archive"):
        Archive(other)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ArchiveError, match=r"garbage\.db"):
        Archive(garbage)
    done = _khabar("problems", "--db", str(garbage))
    assert done.returncode == 2 and b"garbage.db" in done.stderr


def test_a_claim_beyond_sqlite_integers_is_kept(tmp_path: Path) -> None:
    # 60 ارب ارب is 6e19, more than a SQLite integer holds: the page must still go in
    dump = tmp_path / "big.jsonl"
    text = ("اسلام آباد میں بجٹ پیش۔\nوزارت خزانہ کے مطابق ملک پر 60 ارب ارب روپے کا قرض ہے اور "
            "اس میں ہر سال اضافہ ہو رہا ہے۔")
    dump.write_text(json.dumps({"id": "big-1", "text": text}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    db = tmp_path / "news.db"
    summary = ingest([str(dump)], str(db))
    assert (summary.added, summary.problems) == (1, 0)
    with sqlite3.connect(db) as conn:
        values = [v for (v,) in conn.execute("SELECT value FROM claims WHERE article = 'big-1'")]
    assert any(v is not None and v >= 2**63 for v in values), values

"""End-to-end tests through the command line (a real subprocess, as a user runs it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import khabar


def run(*args: str, stdin: bytes | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "khabar", *args], input=stdin,
                          capture_output=True, timeout=120,
                          env={**os.environ, **env} if env else None)


def json_lines(out: bytes) -> list[dict]:
    return [json.loads(line) for line in out.decode().splitlines() if line.strip()]


def test_version_and_help() -> None:
    done = run("--version")
    assert done.returncode == 0
    assert khabar.__version__ in done.stdout.decode()
    done = run("--help")
    assert done.returncode == 0
    for command in ("read", "normalize", "clean", "extract", "demo"):
        assert command in done.stdout.decode()


def test_bad_use_exits_2_with_a_message() -> None:
    done = run("read")
    assert done.returncode == 2
    assert b"Missing argument" in done.stderr
    done = run("frobnicate")
    assert done.returncode == 2


def test_normalize_from_stdin() -> None:
    done = run("normalize", "-", stdin="یوکرین کیخلاف جنگ".encode())
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().strip() == "یوکرین کے خلاف جنگ"
    done = run("normalize", "-", stdin="كراچي ميں".encode())
    assert done.stdout.decode().strip() == "کراچی میں"
    done = run("normalize", "-", stdin="12 نومبر 2024شمالی".encode())
    assert done.stdout.decode().strip() == "12 نومبر 2024 شمالی"


def test_normalize_key_folds_diacritics() -> None:
    done = run("normalize", "--key", "-", stdin="کِم جونگ اُن".encode())
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().strip() == "کم جونگ ان"


def test_read_seeds_json(shared_dir: Path) -> None:
    done = run("read", str(shared_dir / "seeds"), "--json")
    assert done.returncode == 0, done.stderr
    pages = json_lines(done.stdout)
    assert len(pages) == 2
    assert all(p["encoding"].startswith("utf-8") and p["text"] for p in pages)


def test_read_reports_problems_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("پاکستان میں بارش۔\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "empty.txt").write_bytes(b"")
    done = run("read", str(tmp_path), "--json")
    assert done.returncode == 0
    objects = json_lines(done.stdout)
    assert sum("text" in o for o in objects) == 1
    problems = {Path(o["source"]).name: o["problem"] for o in objects if "problem" in o}
    assert set(problems) == {"bad.txt", "empty.txt"}


def test_read_nothing_readable_exits_2(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(bytes(range(256)) * 8)
    done = run("read", str(tmp_path / "bad.txt"))
    assert done.returncode == 2
    assert b"bad.txt" in done.stderr
    done = run("read", str(tmp_path / "missing.txt"))
    assert done.returncode == 2


def test_clean_json_contract(shared_dir: Path) -> None:
    done = run("clean", str(shared_dir / "seeds"), "--json")
    assert done.returncode == 0, done.stderr
    articles = json_lines(done.stdout)
    assert len(articles) == 2
    for article in articles:
        assert set(article) >= {"source", "title", "blocks", "dropped", "meta", "meta_lines"}
        assert set(article["meta"]) >= {"published", "dateline", "outlet", "agencies",
                                        "byline", "language"}
        for drop in article["dropped"]:
            assert drop["reason"] and drop["kind"]


def test_clean_human_output_shows_reasons(shared_dir: Path) -> None:
    seed = sorted((shared_dir / "seeds").glob("000_*.txt"))[0]
    done = run("clean", str(seed))
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode()
    assert "related_link" in out and "↳" in out


def test_demo_runs_on_the_bundled_corpus(tmp_path: Path) -> None:
    demo_db = tmp_path / "cache" / "demo.db"
    env = {"KHABAR_DEMO_DB": str(demo_db)}
    done = run("demo", env=env)
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode()
    assert "pages read" in out and "Outlets" in out
    # without --db the archive is kept where a plain `khabar serve` finds it
    assert demo_db.is_file() and "khabar serve" in out and str(demo_db) in out
    done = run("demo", "--json", env=env)
    summary = json.loads(done.stdout)
    assert summary["pages"] >= 30
    assert len(summary["outlets"]) >= 4
    assert summary["dropped_lines"]
    # the extraction summary: one entity seen by several outlets under several spellings
    assert summary["facts"]["dates"] and summary["facts"]["claims"] and summary["facts"]["quotes"]
    putin = next(e for e in summary["top_entities"] if e["name_en"] == "Vladimir Putin")
    assert len(putin["outlets"]) >= 3 and len(putin["variants"]) >= 3


def test_demo_runs_the_whole_pipeline_into_an_archive(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    done = run("demo", "--json", "--db", str(db))
    assert done.returncode == 0, done.stderr
    archive = json.loads(done.stdout)["archive"]
    assert archive["counts"]["articles"] >= 30
    assert len(archive["stories"]) >= 9 and archive["duplicates"]
    assert db.is_file()

"""``khabar export`` and ``khabar entity`` on an archive of the sample corpus."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from khabar.archive import Archive
from khabar.ingest import ingest
from khabar.profiles import entity_profiles
from khabar.resources import sample_corpus


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "news.db"
    ingest([str(sample_corpus())], str(path))
    return path


def _run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "khabar", *args], capture_output=True,
                          timeout=120)


def test_export_jsonl_and_parquet_agree(db: Path, tmp_path: Path) -> None:
    assert _run("export", "--db", str(db), "--format", "jsonl", "--out", str(tmp_path)
                ).returncode == 0
    assert _run("export", "--db", str(db), "--format", "parquet", "--out", str(tmp_path)
                ).returncode == 0
    rows = [json.loads(line) for line in
            (tmp_path / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    table = pq.read_table(tmp_path / "articles.parquet")
    assert len(rows) == table.num_rows == 33
    assert table.schema.field("claims").type.value_type.field("value").type == "double"
    assert [r["id"] for r in rows] == table.column("id").to_pylist()
    heat = next(r for r in rows if r["source"].endswith("sada-tv/2025-06-11-karachi-heatwave.txt"))
    assert heat["published"] == "2025-06-11" and heat["outlet"] == "sada-tv"
    assert any(e["name_en"] == "Karachi" for e in heat["entities"])
    entities = pq.read_table(tmp_path / "entities.parquet").to_pylist()
    assert any(e["name_en"] == "Vladimir Putin" and len(e["variants"]) >= 3 for e in entities)
    assert not list(tmp_path.glob("*.part"))


def test_export_to_an_unwritable_place_is_a_clear_error(db: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = _run("export", "--db", str(db), "--out", str(blocker / "sub"))
    assert done.returncode == 2 and b"cannot write" in done.stderr


def test_entity_profile_joins_spellings_across_outlets(db: Path) -> None:
    with Archive(db, readonly=True) as archive:
        english = entity_profiles(archive.conn, "Putin")
        urdu = entity_profiles(archive.conn, "پیوٹن")
    assert english and english[0]["id"] == urdu[0]["id"] == "person:vladimir-putin"
    profile = english[0]
    assert len(profile["variants"]) >= 3 and len(profile["outlets"]) >= 3
    assert profile["first"] <= profile["last"]
    assert profile["cooccurring"]
    done = _run("entity", "Vladimir Putin", "--db", str(db), "--json")
    assert done.returncode == 0
    assert json.loads(done.stdout.decode().splitlines()[0])["id"] == "person:vladimir-putin"
    done = _run("entity", "نامعلوم شخص زیڈ", "--db", str(db))
    assert done.returncode == 1 and b"no entity" in done.stderr

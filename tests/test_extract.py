"""khabar.extract and ``khabar extract``: the clean article plus entities, dates, claims and
quotes, with every offset pointing into the title or block the reader sees."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import khabar

PAGE = """ہوم | پاکستان | دنیا
لاہور میں اسموگ: اسکول ایک ہفتے کے لیے بند
لاہور (نامہ نگار) پنجاب حکومت نے منگل کے روز صوبائی دارالحکومت میں تمام اسکول ایک ہفتے کے لیے بند کرنے کا اعلان کیا ہے۔
محکمہ تحفظ ماحولیات کے مطابق شہر میں فضائی آلودگی کا انڈیکس 400 سے زائد ریکارڈ کیا گیا۔
وزیر اعلیٰ مریم نواز نے کہا کہ "شہریوں کی صحت ہماری پہلی ترجیح ہے۔"
یہ بھی پڑھیں: کراچی میں بارش سے نظام زندگی مفلوج، عمران خان کا بیان
Share on Facebook
"""


def _text_at(data: dict, item: dict) -> str:
    if item["part"] == "title":
        source = data["title"]["text"]
    else:
        source = data["blocks"][item["block"]]["text"]
    return source[item["start"]:item["end"]]


def test_extract_finds_facts_with_offsets_into_blocks() -> None:
    x = khabar.extract(PAGE, published="2025-11-11")
    data = x.to_dict()
    assert data["meta"]["dateline"] == "لاہور"
    names = {e["name_en"] for e in data["entities"]}
    assert {"Lahore", "Maryam Nawaz"} <= names
    # a name that is only in a dropped related link is not an entity of the article
    assert "Imran Khan" not in names
    for entity in data["entities"]:
        for m in entity["mentions"]:
            if m["part"] != "meta":
                assert _text_at(data, m) == m["text"]
    tuesday = next(d for d in data["dates"] if d["text"] == "منگل کے روز")
    assert tuesday["value"] == "2025-11-11"
    assert _text_at(data, tuesday) == "منگل کے روز"
    claim = next(c for c in data["claims"] if c["value"] == 400)
    assert claim["approximate"] is True  # "400 سے زائد": more than
    assert [s["text"] for s in claim["sources"]] == ["محکمہ تحفظ ماحولیات"]
    quote = next(q for q in data["quotes"] if q["kind"] == "direct")
    assert quote["text"] == "شہریوں کی صحت ہماری پہلی ترجیح ہے۔"
    assert quote["speaker"]["entity"] == "person:maryam-nawaz"
    assert _text_at(data, quote) == quote["text"]


def test_publication_date_given_wins_and_anchors_relative_dates() -> None:
    a = khabar.extract(PAGE, published="2025-11-11").to_dict()
    b = khabar.extract(PAGE, published="2025-11-20").to_dict()
    assert a["meta"]["published"] == "2025-11-11"
    value = {d["text"]: d["value"] for d in b["dates"]}["منگل کے روز"]
    assert value == "2025-11-18"


def test_extract_of_an_empty_page_is_empty() -> None:
    x = khabar.extract("")
    assert x.entities == [] and x.dates == [] and x.claims == [] and x.quotes == []


@pytest.mark.shared
def test_seed_003_through_the_cli(shared_dir: Path, seeds_gold: dict) -> None:
    done = subprocess.run([sys.executable, "-m", "khabar", "extract", "--json",
                           str(shared_dir / "seeds" / "003_d06b901110fe9704.txt")],
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    dates = {(d["text"], d["value"]) for d in data["dates"]}
    assert {("12 نومبر 2024", "2024-11-12"), ("منگل کے روز", "2024-11-12"),
            ("جون میں", "2024-06")} <= dates
    assert [d["role"] for d in data["dates"] if d["text"] == "12 نومبر 2024"] == ["published"]
    claim = next(c for c in data["claims"] if c["value"] == 10000)
    assert claim["approximate"]
    assert [s["text"] for s in claim["sources"]] == ["جنوبی کوریا", "یوکرین", "مغربی ممالک"]
    speakers = {q["text"]: (q["speaker"] or {}).get("text") for q in data["quotes"]}
    for gold in (g for g in seeds_gold["quotes"] if g["doc"] == "003"):
        assert speakers[gold["text"]] == gold["speaker"].split(" (")[0]
    ids = {e["name_en"]: e["id"] for e in data["entities"]}
    assert {"Kim Jong Un", "Vladimir Putin", "Pyongyang", "KCNA", "AFP", "Reuters"} <= set(ids)


@pytest.mark.shared
def test_seed_000_human_output(shared_dir: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "khabar", "extract",
                           str(shared_dir / "seeds" / "000_c0c4beaa8fb5c965.txt")],
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode()
    for heading in ("entities", "dates", "claims", "quotes"):
        assert heading in out
    assert "Sergei Lavrov" in out and "تقریباً 600" in out


def test_extract_bad_published_date_is_bad_use(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "khabar", "extract", str(page),
                           "--published", "11/11/2025"], capture_output=True, timeout=120)
    assert done.returncode == 2
    assert b"--published" in done.stderr


def test_same_output_whatever_the_hash_seed() -> None:
    """Worker processes have different string hash seeds: extraction must not depend on it."""
    import os

    script = ("import json, khabar\n"
              "from khabar.resources import sample_corpus\n"
              "pages = [p for p in khabar.read(str(sample_corpus())) if isinstance(p, khabar.Page)]\n"
              "print(json.dumps([x.to_dict() for x in khabar.extract_many(pages)],"
              " ensure_ascii=False))\n")
    outputs = set()
    for seed in ("0", "777"):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=300,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1

"""Readers: every format and encoding a crawl throws at us, and every way it can be broken.

Hostile files are built in tmp_path; each test checks the exact pages and problems (a reader
never raises for bad input).
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.model import Page, Problem
from khabar.readers import decode, html_to_page_fields, read
from khabar.readers.decode import BinaryInput, DecodeError, EmptyInput, UndecodableInput

URDU = ("پاکستان کے وزیر اعظم نے آج اسلام آباد میں ایک اہم اجلاس کی صدارت کی۔\n"
        "اجلاس میں ملک کی معاشی صورتحال اور مہنگائی پر تفصیلی غور کیا گیا۔\n"
        "وفاقی وزراء نے بتایا کہ آئندہ ماہ بجلی کی قیمتوں میں کمی متوقع ہے۔\n")
# How old Urdu sites wrote Urdu in Windows-1256: Arabic yeh for ی, a full stop for ۔
# (neither Urdu letter is in the code page).
URDU_1256 = URDU.replace("ی", "ي").replace("۔", ".")


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def items(*paths: object, **kwargs: bool) -> list[Page | Problem]:
    return list(read(*(str(p) for p in paths), **kwargs))


def pages_of(found: list[Page | Problem]) -> list[Page]:
    return [item for item in found if isinstance(item, Page)]


def problems_of(found: list[Page | Problem]) -> list[tuple[str, str]]:
    return [(item.source, item.problem) for item in found if isinstance(item, Problem)]


def only_page(path: Path) -> Page:
    found = items(path)
    assert len(found) == 1 and isinstance(found[0], Page), found
    return found[0]


def only_problem(path: Path | str) -> Problem:
    found = items(path)
    assert len(found) == 1 and isinstance(found[0], Problem), found
    return found[0]


# --- encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "encoding"), [
    (URDU.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + URDU.encode("utf-8"), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + URDU.encode("utf-16-le"), "utf-16-le"),
    (codecs.BOM_UTF16_BE + URDU.encode("utf-16-be"), "utf-16-be"),
    (codecs.BOM_UTF32_LE + URDU.encode("utf-32-le"), "utf-32-le"),
    (URDU.encode("utf-16-le"), "utf-16-le"),  # no BOM: the byte pattern says so
    (URDU.encode("utf-16-be"), "utf-16-be"),
])
def test_unicode_encodings(tmp_path: Path, data: bytes, encoding: str) -> None:
    page = only_page(write(tmp_path / "page.txt", data))
    assert page.encoding == encoding
    assert page.text == URDU
    assert page.format == "txt"
    assert page.source == str(tmp_path / "page.txt")


def test_windows_1256_urdu(tmp_path: Path) -> None:
    page = only_page(write(tmp_path / "old.txt", URDU_1256.encode("cp1256")))
    assert page.encoding == "cp1256"
    assert page.text == URDU_1256
    # Urdu letters that Windows-1256 does have come back as themselves, not as Arabic ones.
    assert "پاکستان" in page.text and "گیا" not in page.text and "گيا" in page.text


def test_windows_1256_html_with_its_declared_charset(tmp_path: Path) -> None:
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; '
            f'charset=windows-1256"></head><body><p>{URDU_1256.splitlines()[0]}</p></body></html>')
    page = only_page(write(tmp_path / "old.htm", html.encode("cp1256")))
    assert page.encoding == "cp1256"
    assert page.text == URDU_1256.splitlines()[0]


def test_other_legacy_code_pages_are_detected_not_forced_to_arabic() -> None:
    assert decode("Größe und Übermaß sind schön, sagte er.".encode("cp1252")) == (
        "Größe und Übermaß sind schön, sagte er.", "cp1252")
    text, encoding = decode("Привет, как дела? Это текст на русском языке.".encode("cp1251"))
    assert (text, encoding) == ("Привет, как дела? Это текст на русском языке.", "cp1251")


def test_empty_binary_and_undecodable(tmp_path: Path) -> None:
    assert only_problem(write(tmp_path / "empty.txt", b"")).problem == "empty file"
    rng = random.Random(7)
    noise = bytes(rng.randrange(256) for _ in range(4000))
    assert only_problem(write(tmp_path / "noise.txt", noise)).problem == "binary file"
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + noise[:300]
    problem = only_problem(write(tmp_path / "logo.png", png))
    assert (problem.problem, problem.detail) == ("binary file", "PNG image")
    assert only_problem(write(tmp_path / "a.zip", b"PK\x03\x04" + noise[:99])).problem == \
        "binary file"
    assert only_problem(write(tmp_path / "zeros.txt", bytes(500))).problem == "binary file"
    # 8-bit bytes without control bytes that no code page turns into real text
    high = bytes(0x80 | b for b in noise[:3000])
    assert only_problem(write(tmp_path / "high.txt", high)).problem == "undecodable"


def test_decode_raises_clear_errors() -> None:
    with pytest.raises(EmptyInput):
        decode(b"")
    with pytest.raises(BinaryInput):
        decode(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    with pytest.raises(UndecodableInput):
        decode(bytes(range(0x80, 0x100)) * 4)
    assert issubclass(UndecodableInput, DecodeError)


def test_nul_bytes_are_removed(tmp_path: Path) -> None:
    data = URDU.encode("utf-8")
    cut = data.index("اسلام".encode())
    page = only_page(write(tmp_path / "nul.txt", data[:cut] + b"\x00" + data[cut:] + b"\x00"))
    assert page.encoding == "utf-8"
    assert page.text == URDU


def test_mixed_line_endings(tmp_path: Path) -> None:
    lines = URDU.splitlines()
    raw = (f"{lines[0]}\r\n{lines[1]}\r{lines[2]}\u2028سطر چار\u2029سطر پانچ\x85آخری\n"
           ).encode()
    page = only_page(write(tmp_path / "endings.txt", raw))
    assert page.text.split("\n") == [*lines, "سطر چار", "سطر پانچ", "آخری", ""]
    assert page.text.splitlines() == page.text.split("\n")[:-1]


def test_cut_off_utf8_is_still_utf8(tmp_path: Path) -> None:
    data = URDU.encode("utf-8").rstrip(b"\n")[:-1]  # half of the last character
    page = only_page(write(tmp_path / "cut.txt", data))
    assert page.encoding == "utf-8"
    assert page.text.startswith(URDU[:50])


# --- paths -------------------------------------------------------------------------------------


def test_nonexistent_path_and_empty_glob(tmp_path: Path) -> None:
    assert problems_of(items(tmp_path / "missing.txt")) == [
        (str(tmp_path / "missing.txt"), "no such file")]
    assert problems_of(items(tmp_path / "*.nothing")) == [
        (str(tmp_path / "*.nothing"), "no such file")]


def test_folder_walk_is_sorted_recursive_and_skips_hidden(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "crawl" / "b.txt", "دوسرا صفحہ")
    write(tmp_path / "crawl" / "a.txt", "پہلا صفحہ")
    write(tmp_path / "crawl" / "sub" / "c.txt", "تیسرا صفحہ")
    write(tmp_path / "crawl" / ".hidden.txt", "چھپا ہوا")
    write(tmp_path / "crawl" / ".git" / "d.txt", "چھپا ہوا")
    monkeypatch.chdir(tmp_path)  # relative paths stay relative in `source`
    found = items("crawl")
    assert [p.source for p in pages_of(found)] == [
        os.path.join("crawl", "a.txt"), os.path.join("crawl", "b.txt"),
        os.path.join("crawl", "sub", "c.txt")]
    assert [p.text for p in pages_of(found)] == ["پہلا صفحہ", "دوسرا صفحہ", "تیسرا صفحہ"]
    assert [p.source for p in pages_of(items("crawl", recursive=False))] == [
        os.path.join("crawl", "a.txt"), os.path.join("crawl", "b.txt")]


def test_globs_including_double_star_read_each_file_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "crawl" / "one.html", "<p>ایک</p>")
    write(tmp_path / "crawl" / "two.txt", "دو")
    write(tmp_path / "crawl" / "deep" / "three.html", "<p>تین</p>")
    monkeypatch.chdir(tmp_path)
    assert [p.source for p in pages_of(items("crawl/*.html"))] == [
        os.path.join("crawl", "one.html")]
    assert [p.text for p in pages_of(items("crawl/**/*.html"))] == ["تین", "ایک"]
    assert sorted(p.text for p in pages_of(items("crawl/**"))) == sorted(["ایک", "دو", "تین"])


def test_stdin_is_sniffed(monkeypatch: pytest.MonkeyPatch) -> None:
    def feed(data: bytes) -> list[Page | Problem]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        return list(read("-"))

    [page] = feed(URDU.encode("utf-16"))
    assert (page.source, page.format, page.text) == ("-", "txt", URDU)
    [page] = feed(b"<!DOCTYPE html><title>t</title><p>\xd8\xae\xd8\xa8\xd8\xb1</p>")
    assert (page.format, page.text, page.line_tags) == ("html", "خبر", ["p"])
    jsonl = b'{"text": "\xd8\xa7\xdb\x8c\xda\xa9"}\n{"text": "\xd8\xaf\xd9\x88"}\n'
    found = feed(gzip.compress(jsonl))
    assert [(p.source, p.text) for p in pages_of(found)] == [("-:1", "ایک"), ("-:2", "دو")]
    assert [p.problem for p in feed(b"")] == ["empty file"]


def test_stdin_through_a_real_pipe(tmp_path: Path) -> None:
    import khabar.readers

    root = Path(khabar.readers.__file__).parents[2]
    code = ("import json, sys; from khabar.readers import read\n"
            "for item in read('-'): print(json.dumps(item.to_dict(), ensure_ascii=False))")
    env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    done = subprocess.run([sys.executable, "-c", code],
                          input=URDU_1256.encode("cp1256"), capture_output=True, env=env,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    [record] = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert (record["source"], record["encoding"], record["text"]) == ("-", "cp1256", URDU_1256)


# --- JSONL ---------------------------------------------------------------------------------------


def jsonl(*records: object) -> bytes:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n"
                   for r in records).encode("utf-8")


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "dump.jsonl", jsonl(
        {"id": 17, "text": "پہلی خبر\r\nدوسری سطر", "url": "https://example.pk/1",
         "outlet": "روزنامہ مثال", "published": "2024-11-12T08:00:00Z", "title": "سرخی"},
        '{"text": "ٹوٹی ہوئی',
        "",
        {"html": "<h1>سرخی</h1><p>متن <a href='/x'>ربط</a></p>", "published": "2024-02-30"},
        {"title": "صرف سرخی"},
        [1, 2],
        {"text": "آخری خبر", "id": "abc", "published": 20241112},
    ))
    found = items(path)
    src = str(path)
    assert problems_of(found) == [
        (f"{src}:2", "invalid JSON on line 2"),
        (f"{src}:5", "no text or html field on line 5"),
        (f"{src}:6", "no text or html field on line 6"),
    ]
    first, second, last = pages_of(found)
    assert (first.source, first.id, first.text, first.url, first.outlet, first.published,
            first.title, first.format, first.line_tags) == (
        f"{src}:1", "17", "پہلی خبر\nدوسری سطر", "https://example.pk/1", "روزنامہ مثال",
        "2024-11-12", "سرخی", "jsonl", None)
    assert (second.source, second.id, second.published) == (f"{src}:4", None, None)
    assert second.text == "سرخی\nمتن ربط"
    assert second.line_tags == ["h1", "p"]
    assert second.title is None  # the HTML fragment has no <title>
    assert (last.source, last.id, last.published) == (f"{src}:7", "abc", None)


def test_jsonl_truncated_gzip_keeps_pages_before_the_break(tmp_path: Path) -> None:
    records = [{"text": f"خبر نمبر {i}: " + "کراچی میں بارش " * (i % 7 + 3)} for i in range(300)]
    whole = gzip.compress(jsonl(*records))
    path = write(tmp_path / "dump.jsonl.gz", whole[: len(whole) * 2 // 3])
    found = items(path)
    pages = pages_of(found)
    assert 50 < len(pages) < 300
    assert [p.source for p in pages] == [f"{path}:{i}" for i in range(1, len(pages) + 1)]
    assert pages[-1].text == records[len(pages) - 1]["text"]
    assert isinstance(found[-1], Problem) and found[-1].problem == "truncated gzip"
    assert found[-1].source == str(path)
    assert f"after line {len(pages)}" in (found[-1].detail or "")
    assert problems_of(found) == [(str(path), "truncated gzip")]


def test_truncated_or_corrupt_gzip_page(tmp_path: Path) -> None:
    whole = gzip.compress(URDU.encode() * 50)
    assert only_problem(write(tmp_path / "a.txt.gz", whole[:-30])).problem == "truncated gzip"
    assert only_problem(write(tmp_path / "b.txt.gz", whole[:12])).problem == "truncated gzip"
    broken = whole[:40] + bytes(b ^ 0x55 for b in whole[40:80]) + whole[80:]
    assert only_problem(write(tmp_path / "c.txt.gz", broken)).problem == "corrupt gzip"
    assert only_page(write(tmp_path / "d.txt.gz", whole)).text == URDU * 50
    # named .gz but not gzipped: read as it is
    assert only_page(write(tmp_path / "e.txt.gz", URDU)).text == URDU


def test_gzipped_html_and_unknown_names(tmp_path: Path) -> None:
    page = only_page(write(tmp_path / "p.html.gz", gzip.compress("<p>خبر</p>".encode())))
    assert (page.format, page.text) == ("html", "خبر")
    page = only_page(write(tmp_path / "p.dat", jsonl({"text": "خبر"})))
    assert (page.source, page.format) == (f"{tmp_path / 'p.dat'}:1", "jsonl")
    page = only_page(write(tmp_path / "README.json", '{\n  "text": "not jsonl"\n}\n'))
    assert page.format == "txt"


def test_jsonl_with_a_10_mb_line(tmp_path: Path) -> None:
    big = "لاہور میں آج موسم خوشگوار رہا۔ " * 330_000  # about 10 MB of UTF-8
    path = write(tmp_path / "big.jsonl", jsonl({"text": "چھوٹی"}, {"text": big}, {"text": "آخر"}))
    assert path.stat().st_size > 10_000_000
    texts = [p.text for p in pages_of(items(path))]
    assert texts == ["چھوٹی", big, "آخر"]


def test_jsonl_streams(tmp_path: Path) -> None:
    path = write(tmp_path / "many.jsonl", jsonl(*({"text": f"خبر {i}"} for i in range(1000))))
    stream = read(str(path))
    first = next(stream)
    assert isinstance(first, Page) and first.text == "خبر 0"
    stream.close()  # nothing else was read


def test_jsonl_in_utf16_and_in_a_legacy_code_page(tmp_path: Path) -> None:
    utf16 = codecs.BOM_UTF16_LE + '{"text": "ایک خبر"}\r\n\r\n{"text": "دوسری"}\r\n'.encode(
        "utf-16-le")
    found = items(write(tmp_path / "u16.jsonl", utf16))
    assert [(p.source.rsplit(":", 1)[1], p.text, p.encoding) for p in pages_of(found)] == [
        ("1", "ایک خبر", "utf-16-le"), ("3", "دوسری", "utf-16-le")]
    # an old exporter wrote its local code page: that line alone is decoded as such
    legacy = b'{"text": "ok"}\n' + '{"text": "اسلام آباد ميں بارش"}\n'.encode("cp1256")
    found = items(write(tmp_path / "old.jsonl", legacy))
    assert [(p.text, p.encoding) for p in pages_of(found)] == [
        ("ok", "utf-8"), ("اسلام آباد ميں بارش", "cp1256")]


def test_jsonl_line_over_the_limit_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    from khabar.readers import formats

    monkeypatch.setattr(formats, "MAX_LINE_BYTES", 1000)
    path = write(tmp_path / "x.jsonl", jsonl({"text": "الف"}, {"text": "ب" * 5000},
                                               {"text": "ج"}))
    found = items(path)
    assert [p.text for p in pages_of(found)] == ["الف", "ج"]
    assert problems_of(found) == [(f"{path}:2", "line 2 too long")]


def test_gzip_without_a_gz_name_and_path_objects(tmp_path: Path) -> None:
    path = write(tmp_path / "page.txt", gzip.compress(URDU.encode("utf-8")))
    found = list(read(path))  # a Path, not a str
    assert [(p.source, p.text) for p in pages_of(found)] == [(str(path), URDU)]


def test_binary_named_jsonl_is_one_problem(tmp_path: Path) -> None:
    rng = random.Random(3)
    path = write(tmp_path / "x.jsonl", bytes(rng.randrange(256) for _ in range(5000)))
    assert only_problem(path).problem == "binary file"


# --- WARC ---------------------------------------------------------------------------------------


ARTICLE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>کراچی میں بارش | روزنامہ مثال</title>
<meta property="article:published_time" content="2024-07-21T09:30:00+05:00">
</head><body><nav><a href="/">صفحہ اول</a></nav>
<article><h1>کراچی میں بارش</h1><p>کراچی میں آج صبح سے وقفے وقفے سے بارش جاری ہے۔</p></article>
</body></html>"""


def write_warc(path: Path, gz: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))

        def response(uri: str, body: bytes, content_type: str, status: str = "200 OK") -> None:
            http = StatusAndHeaders(status, [("Content-Type", content_type)],
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=http))

        response("https://example.pk/rain", ARTICLE.encode(), "text/html; charset=UTF-8")
        response("https://example.pk/logo.png", b"\x89PNG\r\n\x1a\n", "image/png")
        response("https://example.pk/gone", b"<p>not found</p>", "text/html", "404 Not Found")
        old = f"<html><body><p>{URDU_1256.splitlines()[1]}</p></body></html>".encode("cp1256")
        response("https://example.pk/old", old, "text/html; charset=windows-1256")
        response("https://example.pk/x", b"<html><body><p>page</p></body></html>",
                 "application/xhtml+xml")


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_html_responses(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_warc(path, gz=name.endswith(".gz"))
    found = items(path)
    assert problems_of(found) == []
    rain, old, xhtml = pages_of(found)
    assert (rain.source, rain.url, rain.format, rain.encoding) == (
        f"{path}:2", "https://example.pk/rain", "warc", "utf-8")
    assert rain.title == "کراچی میں بارش"
    assert rain.published == "2024-07-21"  # from the page, never from WARC-Date
    assert rain.text.splitlines() == ["صفحہ اول", "کراچی میں بارش",
                                      "کراچی میں آج صبح سے وقفے وقفے سے بارش جاری ہے۔"]
    assert rain.line_tags == ["nav/nav@link", "h1", "p"]
    assert (old.source, old.encoding, old.text) == (
        f"{path}:5", "cp1256", URDU_1256.splitlines()[1])
    assert (xhtml.source, xhtml.text) == (f"{path}:6", "page")


def test_warc_sniffed_from_stdin_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, gz=True)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))
    assert [p.source for p in pages_of(list(read("-")))] == ["-:2", "-:5", "-:6"]


def test_broken_warc_stops_that_file_only(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    write_warc(path, gz=False)
    good = path.read_bytes()
    write(path, good + b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\n<p>cut")
    write(tmp_path / "z.txt", "اگلی فائل")
    found = items(path, tmp_path / "z.txt")
    assert [p.source for p in pages_of(found)] == [
        f"{path}:2", f"{path}:5", f"{path}:6", str(tmp_path / "z.txt")]
    [problem] = [item for item in found if isinstance(item, Problem)]
    assert (problem.source, problem.problem) == (str(path), "broken WARC record")
    assert "read 6 records, 3 pages" in (problem.detail or "")
    assert only_problem(write(tmp_path / "junk.warc", "not a warc at all\n")).problem == \
        "not a WARC file"


def test_truncated_warc_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    write_warc(path, gz=False)
    data = path.read_bytes()
    in_headers = data.index(b"WARC-Target-URI: https://example.pk/old") + 20
    for cut, sources, record in ((len(data) - 40, [":2", ":5"], 6), (in_headers, [":2"], 5)):
        write(path, data[:cut])
        found = items(path)
        assert [p.source for p in pages_of(found)] == [f"{path}{s}" for s in sources]
        assert isinstance(found[-1], Problem)
        assert (found[-1].source, found[-1].problem) == (str(path), "broken WARC record")
        assert (found[-1].detail or "").startswith(f"record {record}:")
        assert f"{len(sources)} pages before it" in (found[-1].detail or "")


def test_truncated_warc_gz_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, gz=True)
    data = path.read_bytes()
    for cut in (len(data) - 40, len(data) // 2):
        write(path, data[:cut])
        found = items(path)
        assert problems_of(found) == [(str(path), "broken WARC record")]
        assert isinstance(found[-1], Problem)
        assert f"{len(pages_of(found))} pages before it" in (found[-1].detail or "")


# --- HTML ---------------------------------------------------------------------------------------


PAGE = """<!DOCTYPE html>
<html lang="ur"><head>
<meta charset="utf-8">
<title>وزیر اعظم کا دورہ چین - روزنامہ مثال</title>
<meta property="og:site_name" content="روزنامہ مثال">
<meta property="og:url" content="https://example.pk/og">
<link rel="canonical" href="https://example.pk/news/42">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
  {"@type": "NewsArticle", "headline": "x", "datePublished": "2024-05-03T10:00:00+05:00"}]}
</script>
<style>p { color: red }</style>
</head>
<body>
<header><div class="logo"><a href="/">روزنامہ مثال</a></div>
  <nav><ul><li><a href="/pakistan">پاکستان</a></li><li><a href="/world">دنیا</a></li></ul></nav>
</header>
<div role="navigation"><a href="/a">کھیل</a> | <a href="/b">کاروبار</a></div>
<main><article>
  <h1>وزیر اعظم   کا دورہ چین</h1>
  <h2>اہم معاہدوں پر دستخط</h2>
  <p>وزیر اعظم نے <b>بیجنگ</b> میں چینی صدر سے ملاقات کی۔<br>دونوں رہنماؤں نے تجارت پر بات کی۔</p>
  <p>یہ بھی پڑھیں: <a href="/other">کراچی میں بارش سے نظام زندگی مفلوج</a></p>
  <script>document.write("<p>script text</p>")</script>
  <noscript>جاوا اسکرپٹ چلائیں</noscript>
  <ul><li><a href="/r1">متعلقہ خبر ایک</a></li><li>عام فہرست کی شق</li></ul>
  <figure><img src="x.jpg"><figcaption>بیجنگ میں ملاقات کی تصویر</figcaption></figure>
  <blockquote>ہم دوستی کو مزید مضبوط کریں گے</blockquote>
  <table><tr><td>خانہ ایک</td><td>خانہ دو</td></tr></table>
  <svg><text>svg text</text></svg><iframe src="/ad">iframe text</iframe>
  <time datetime="2023-01-01">پرانی تاریخ</time>
</article>
<aside><h3>مقبول</h3><ul><li><a href="/p1">پہلی مقبول خبر</a></li></ul></aside>
</main>
<footer><p>جملہ حقوق محفوظ ہیں © 2024</p>
  <form><label>ای میل</label><input type="email"><button>سبسکرائب</button></form></footer>
</body></html>"""

EXPECTED = [
    ("header/div@link", "روزنامہ مثال"),
    ("nav/li@link", "پاکستان"),
    ("nav/li@link", "دنیا"),
    ("nav/div@link", "کھیل | کاروبار"),
    ("h1", "وزیر اعظم کا دورہ چین"),
    ("h2", "اہم معاہدوں پر دستخط"),
    ("p", "وزیر اعظم نے بیجنگ میں چینی صدر سے ملاقات کی۔"),
    ("p", "دونوں رہنماؤں نے تجارت پر بات کی۔"),
    ("p@link", "یہ بھی پڑھیں: کراچی میں بارش سے نظام زندگی مفلوج"),
    ("li@link", "متعلقہ خبر ایک"),
    ("li", "عام فہرست کی شق"),
    ("figure/figcaption", "بیجنگ میں ملاقات کی تصویر"),
    ("blockquote", "ہم دوستی کو مزید مضبوط کریں گے"),
    ("td", "خانہ ایک"),
    ("td", "خانہ دو"),
    ("article", "پرانی تاریخ"),
    ("aside/h3", "مقبول"),
    ("aside/li@link", "پہلی مقبول خبر"),
    ("footer/p", "جملہ حقوق محفوظ ہیں © 2024"),
    ("form/form", "ای میل سبسکرائب"),
]


def test_html_lines_and_tags() -> None:
    fields = html_to_page_fields(PAGE)
    assert list(zip(fields["line_tags"], fields["text"].splitlines(), strict=True)) == EXPECTED
    assert fields["title"] == "وزیر اعظم کا دورہ چین"
    assert fields["outlet"] == "روزنامہ مثال"
    assert fields["url"] == "https://example.pk/news/42"
    assert fields["published"] == "2024-05-03"  # JSON-LD before a stray <time>


def test_html_file_page(tmp_path: Path) -> None:
    page = only_page(write(tmp_path / "news.html", PAGE))
    assert (page.format, page.encoding, page.title) == ("html", "utf-8", "وزیر اعظم کا دورہ چین")
    assert len(page.line_tags or []) == len(page.text.splitlines()) == len(EXPECTED)
    assert only_problem(write(tmp_path / "blank.html", "<html><script>x()</script></html>")
                        ).problem == "no text"


def test_html_title_and_date_sources() -> None:
    fields = html_to_page_fields(
        '<meta property="og:title" content="پشاور میں زلزلہ | خبریں">'
        '<meta property="article:published_time" content="2024-10-02">'
        "<title>other</title><p>متن</p>")
    assert (fields["title"], fields["published"]) == ("پشاور میں زلزلہ", "2024-10-02")
    # no site-name suffix: the part after " - " is the longer side, so it is kept
    fields = html_to_page_fields("<title>بجٹ - حکومت نے نئے ٹیکسوں کا اعلان کر دیا</title>"
                                 '<time datetime="2024-06-12T09:00">کل</time>')
    assert fields["title"] == "بجٹ - حکومت نے نئے ٹیکسوں کا اعلان کر دیا"
    assert fields["published"] == "2024-06-12"
    fields = html_to_page_fields('<meta property="article:published_time" content="12/06/2024">'
                                 '<time datetime="2024-02-31">x</time><p>x</p>')
    assert fields["published"] is None  # not ISO, and not a real date
    fields = html_to_page_fields('<script type="application/ld+json">{"datePublished": '
                                 '"2022-03-04T00:00:00Z", broken</script><p>x</p>')
    assert fields["published"] == "2022-03-04"


def test_deeply_nested_html_does_not_hit_the_recursion_limit() -> None:
    html = "<div>" * 5000 + "<p>گہرا متن</p>" + "</div>" * 5000
    fields = html_to_page_fields(html)
    assert fields["text"] == "گہرا متن"


def test_pre_keeps_its_lines() -> None:
    fields = html_to_page_fields("<pre>پہلی سطر\n   دوسری    سطر\n\nتیسری</pre>")
    assert fields["text"].splitlines() == ["پہلی سطر", "دوسری سطر", "تیسری"]
    assert fields["line_tags"] == ["pre", "pre", "pre"]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/ =\"'apbrdivnaé\n\u2028\x00خبر&;")), max_size=300))
def test_html_never_breaks_its_contract(markup: str) -> None:
    fields = html_to_page_fields(markup)
    assert len(fields["line_tags"]) == len(fields["text"].splitlines())
    assert all(line.strip() == line and line for line in fields["text"].splitlines())


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_decode_gives_text_or_a_decode_error(data: bytes) -> None:
    try:
        text, encoding = decode(data)
    except DecodeError:
        return
    assert "\x00" not in text and "\r" not in text
    assert encoding


# --- the seeds ------------------------------------------------------------------------------------


@pytest.mark.shared
def test_seeds_are_read_as_utf8(shared_dir: Path) -> None:
    found = items(shared_dir / "seeds")
    assert problems_of(found) == []
    pages = pages_of(found)
    assert len(pages) == 2
    for page in pages:
        raw = Path(page.source).read_bytes().decode("utf-8").replace("\r\n", "\n")
        assert (page.encoding, page.format, page.text) == ("utf-8", "txt", raw)
        assert page.source.startswith(str(shared_dir / "seeds"))

"""Which files a folder walk reads: pages yes, a crawl's other files no."""

from __future__ import annotations

import gzip
from pathlib import Path

from khabar.model import Page
from khabar.readers import read


def test_folder_walk_reads_page_formats_only(tmp_path: Path) -> None:
    text = "لاہور میں آج موسم خوشگوار رہا۔\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.html").write_text(f"<html><body><p>{text}</p></body></html>", encoding="utf-8")
    (tmp_path / "c.txt.gz").write_bytes(gzip.compress(text.encode()))
    (tmp_path / "index").write_text(text, encoding="utf-8")  # a mirror's extensionless page
    (tmp_path / "README.md").write_text("# crawl notes\n", encoding="utf-8")
    (tmp_path / "meta.json").write_text('{"crawl": 1}', encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    names = sorted(Path(p.source).name for p in read(str(tmp_path)) if isinstance(p, Page))
    assert names == ["a.txt", "b.html", "c.txt.gz", "index"]


def test_a_file_named_explicitly_is_read_whatever_its_name(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("کراچی میں بارش ہوئی۔\n", encoding="utf-8")
    [page] = list(read(str(notes)))
    assert isinstance(page, Page) and "کراچی" in page.text

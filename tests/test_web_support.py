"""Shared helpers of the web reader's tests (no tests here): the archives they read, built once
per test run, and a real server in a background thread for the browser tests."""

from __future__ import annotations

import json
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from khabar.ingest import ingest
from khabar.resources import sample_corpus

with warnings.catch_warnings():
    # Starlette asks for httpx2 here; FastAPI's client still works with httpx
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

__all__ = ["TestClient", "hostile_archive", "running_server", "sample_archive"]

SCRIPT = "<script>alert('x')</script>"
IMG = "<img src=x onerror=alert(1)>"
#: An id with every character a URL treats specially, and markup.
HOSTILE_ID = f"evil/1?a=b#c %2F {SCRIPT}"

#: Two pages of one (made-up) story whose id, outlet, title and text carry markup, as scraped
#: pages do. The first is long enough to keep its paragraphs; its boilerplate lines (a related
#: link and a share line) carry markup too, so the dropped lines are tested as well.
HOSTILE_RECORDS = [
    {"id": HOSTILE_ID, "outlet": f"outlet{IMG}", "published": "2025-03-01",
     "title": f"کراچی میں سائبر حملہ {SCRIPT}",
     "text": "\n".join([
         f"کراچی میں سائبر حملہ {SCRIPT}",
         "کراچی: شہر کے بینکوں پر سائبر حملے کے بعد نظام متاثر ہو گیا اور حکام کے مطابق 600 "
         f"سے زائد صارفین کے کھاتے متاثر ہوئے {SCRIPT} ہیں۔",
         f'وزیر داخلہ نے کہا کہ "حملہ آوروں کو جلد گرفتار کر لیا جائے گا {IMG}" اور تحقیقات '
         "جاری ہیں۔",
         f"مزید پڑھیں: {IMG}",
         "بینک کے ترجمان نے بتایا کہ صارفین کی رقوم محفوظ ہیں اور نظام جمعے تک بحال کر دیا "
         "جائے گا۔",
         f"Share on Facebook {SCRIPT}",
     ])},
    {"id": "evil-2", "outlet": "daily-<b>bold</b>", "published": "2025-03-02",
     "title": f"سائبر حملہ: کراچی کے بینکوں کا نظام بحال {IMG}",
     "text": "\n".join([
         f"سائبر حملہ: کراچی کے بینکوں کا نظام بحال {IMG}",
         "کراچی: بینکوں پر سائبر حملے کے دوسرے روز نظام بحال کر دیا گیا، ایف آئی اے کے مطابق "
         f"10,000 صارفین متاثر ہوئے {IMG} تھے۔",
         f"بینک کے ترجمان نے کہا کہ صارفین کی رقوم محفوظ ہیں {SCRIPT} اور تحقیقات جاری ہیں۔",
     ])},
]

_built: dict[str, Path] = {}


def sample_archive(root: Path) -> Path:
    """The bundled sample corpus ingested into an archive (what `khabar demo` builds)."""
    if "sample" not in _built:
        db = root / "sample.db"
        ingest([str(sample_corpus())], str(db))
        _built["sample"] = db
    return _built["sample"]


def hostile_archive(root: Path) -> Path:
    """An archive of :data:`HOSTILE_RECORDS` (read from a JSONL file, as a scraper hands it)."""
    if "hostile" not in _built:
        folder = root / "hostile"
        folder.mkdir(exist_ok=True)
        dump = folder / "pages.jsonl"
        dump.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                for r in HOSTILE_RECORDS), encoding="utf-8")
        db = root / "hostile.db"
        ingest([str(dump)], str(db))
        _built["hostile"] = db
    return _built["hostile"]


def archive_root(tmp_path_factory: object) -> Path:
    """One temporary folder for the archives of the whole run (pytest's tmp_path_factory)."""
    if "root" not in _built:
        _built["root"] = tmp_path_factory.mktemp("web")  # type: ignore[attr-defined]
    return _built["root"]


@contextmanager
def running_server(db: Path) -> Iterator[str]:
    """The reader on ``db`` served by uvicorn on a free loopback port in a background thread;
    yields its base URL and stops it afterwards."""
    import uvicorn

    from khabar.web import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(db), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the reader did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()

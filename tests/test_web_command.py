"""``khabar serve``: options, clear errors, and a real server started the way a user starts it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

import test_web_support as support
from khabar.cli import main
from khabar.web.command import _is_loopback, serve_command


def test_serve_is_listed_and_has_help() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--db", "--host", "--port", "127.0.0.1", "8000"):
        assert option in result.output


def test_importing_the_command_does_not_import_the_web_stack() -> None:
    code = ("import sys, khabar.web.command; "
            "print(any(m in sys.modules for m in ('fastapi', 'uvicorn', 'jinja2')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.strip() == "False", done.stderr


def test_a_missing_archive_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(serve_command, ["--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "does not exist" in result.output
    result = CliRunner().invoke(serve_command, [],
                                env={"KHABAR_DEMO_DB": str(tmp_path / "no-demo.db")})
    assert result.exit_code == 2 and "--db" in result.output and "khabar demo" in result.output


def test_without_db_serve_opens_the_archive_the_demo_built(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from khabar.archive import Archive

    demo = tmp_path / "demo.db"
    Archive(str(demo)).close()
    served: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.update(app=app, **kw))
    result = CliRunner().invoke(serve_command, ["--port", "8123"],
                                env={"KHABAR_DEMO_DB": str(demo)})
    assert result.exit_code == 0, result.output
    assert str(demo) in result.output and served["port"] == 8123
    assert served["host"] == "127.0.0.1"


def test_a_file_that_is_not_an_archive_is_a_clear_error(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("not sqlite at all\n" * 100, encoding="utf-8")
    result = CliRunner().invoke(serve_command, ["--db", str(text)])
    assert result.exit_code == 1
    assert "notes.db" in result.output and "Traceback" not in result.output


def test_loopback_hosts() -> None:
    assert _is_loopback("127.0.0.1") and _is_loopback("localhost") and _is_loopback("::1")
    assert _is_loopback("[::1]") and _is_loopback("127.0.0.2")
    assert not _is_loopback("0.0.0.0") and not _is_loopback("192.168.1.5")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, host: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def test_khabar_serve_serves_the_archive_on_loopback(tmp_path_factory: pytest.TempPathFactory
                                                     ) -> None:
    db = support.sample_archive(support.archive_root(tmp_path_factory))
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "khabar", "serve", "--db", str(db),
                               "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, html = _get(base + "/")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(server.communicate()[1]) from None
                time.sleep(0.1)
        assert status == 200 and '<html lang="ur" dir="rtl">' in html
        status, body = _get(base + "/api/threads")
        assert status == 200 and body.startswith("[")
        # a page asked for under another name (DNS rebinding) is refused
        assert _get(base + "/", host="attacker.example")[0] == 400
        assert _get(base + "/", host=f"localhost:{port}")[0] == 200
    finally:
        server.terminate()
        _, err = server.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/" in err and "read-only" in err


def test_many_readers_at_once_share_the_pooled_connections(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    from concurrent.futures import ThreadPoolExecutor

    db = support.sample_archive(support.archive_root(tmp_path_factory))
    paths = ["/", "/api/threads", "/api/events", "/api/entity/place:karachi",
             "/search?q=" + urllib.parse.quote("کراچی"), "/api/search?q=Putin"] * 8
    with support.running_server(db) as base, ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(lambda path: _get(base + path)[0], paths))
    assert statuses == [200] * len(paths)

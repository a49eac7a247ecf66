"""Read-only access to an archive for the web reader.

The server never writes: every connection is opened through SQLite's ``mode=ro`` URI (by
:class:`khabar.Archive` with ``readonly=True``) and also set to ``PRAGMA query_only``, so even a
bug in a query cannot change the file.

Connections are pooled. FastAPI runs the (synchronous) page and API functions in a thread pool,
and the dependency that hands out a connection may run in another thread than the function
using it, so a connection made in one thread must be usable in another
(``check_same_thread=False``, which :class:`~khabar.Archive` sets). That is safe here because a
connection is lent to one request at a time and returned when the request is done: no two
threads ever use it at once. Reusing connections keeps SQLite's page cache warm and costs
nothing per request; an ingest running at the same time is fine (WAL readers see each
committed batch).
"""

from __future__ import annotations

import queue
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from khabar.archive import Archive

__all__ = ["ConnectionPool", "open_readonly"]


def open_readonly(path: str | Path) -> Archive:
    """The archive at ``path``, read-only (raises :class:`khabar.archive.ArchiveError` with a
    clear message when it is missing, not an archive or of another schema version)."""
    archive = Archive(path, readonly=True)
    archive.conn.execute("PRAGMA query_only = 1")
    return archive


class ConnectionPool:
    """A small pool of read-only connections to one archive; at most ``keep`` idle ones are
    kept (more are made when many requests run at once, and closed afterwards)."""

    def __init__(self, path: str | Path, keep: int = 8) -> None:
        self.path = str(path)
        self._idle: queue.LifoQueue[Archive] = queue.LifoQueue(maxsize=keep)
        self._idle.put(open_readonly(self.path))  # fail now, at start-up, if it cannot open

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        try:
            archive = self._idle.get_nowait()
        except queue.Empty:
            archive = open_readonly(self.path)
        try:
            yield archive.conn
        finally:
            try:
                self._idle.put_nowait(archive)
            except queue.Full:
                archive.close()

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return

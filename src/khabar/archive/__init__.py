"""The archive: many pages in, one SQLite file out (see :class:`Archive`; :mod:`khabar.ingest` fills it)."""

from khabar.archive.schema import SCHEMA_VERSION, ArchiveVersionError
from khabar.archive.store import Archive, ArchiveError, Processed, page_id

__all__ = ["SCHEMA_VERSION", "Archive", "ArchiveError", "ArchiveVersionError", "Processed",
           "page_id"]

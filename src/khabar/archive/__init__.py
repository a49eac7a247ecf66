"""The archive: many pages in, one SQLite file out (see :class:`Archive` and :func:`ingest`)."""

from khabar.archive.ingest import IngestSummary, ingest
from khabar.archive.schema import SCHEMA_VERSION, ArchiveVersionError
from khabar.archive.store import Archive, ArchiveError, Processed, page_id

__all__ = ["SCHEMA_VERSION", "Archive", "ArchiveError", "ArchiveVersionError", "IngestSummary",
           "Processed", "ingest", "page_id"]

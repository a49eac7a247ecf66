"""Stories: online clustering of articles into events and linking of events into threads.

::

    from khabar.stories import Clusterer, StoryDoc
    clusterer = Clusterer()
    for n, x in enumerate(khabar.extract_many(pages)):
        a = clusterer.add(StoryDoc.from_extraction(x, id=str(n)))
        a.event_id, a.thread_id, a.similarity
    clusterer.events(), clusterer.threads()      # row-shaped records
    state = clusterer.to_state()                 # JSON; Clusterer.from_state(state) goes on

Works over plain dataclasses in memory by default; the clusterer's state lives in a
:class:`StoryStore`: :class:`MemoryStoryStore` (dicts), or
:class:`khabar.stories.archive_store.ArchiveStoryStore` (the archive's SQLite tables, a bounded
cache of events in memory), which clusters exactly as the one in memory. See
:mod:`khabar.stories.cluster` for the algorithm.
"""

from khabar.stories.cluster import (
    Assignment,
    Clusterer,
    Event,
    Settings,
    Thread,
    thread_decay,
    time_kernel,
)
from khabar.stories.doc import StoryDoc
from khabar.stories.store import MemoryStoryStore, StoryStore

__all__ = [
    "Assignment",
    "Clusterer",
    "Event",
    "MemoryStoryStore",
    "Settings",
    "StoryDoc",
    "StoryStore",
    "Thread",
    "thread_decay",
    "time_kernel",
]

"""Stories: online clustering of articles into events and linking of events into threads.

::

    from khabar.stories import Clusterer, StoryDoc
    clusterer = Clusterer()
    for n, x in enumerate(khabar.extract_many(pages)):
        a = clusterer.add(StoryDoc.from_extraction(x, id=str(n)))
        a.event_id, a.thread_id, a.similarity
    clusterer.events(), clusterer.threads()      # row-shaped records
    state = clusterer.to_state()                 # JSON; Clusterer.from_state(state) goes on

Works over plain dataclasses (no archive); see :mod:`khabar.stories.cluster` for the algorithm.
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

__all__ = [
    "Assignment",
    "Clusterer",
    "Event",
    "Settings",
    "StoryDoc",
    "Thread",
    "thread_decay",
    "time_kernel",
]

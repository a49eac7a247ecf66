"""Extraction stage: entities (gazetteer, tagger), and later dates, claims and quotes.

``Gazetteer.load().find(text)`` finds known people, places and organisations (see
:mod:`khabar.extract.gazetteer`).
"""

from khabar.extract.gazetteer import Entry, Gazetteer, GazetteerMatch

__all__ = ["Entry", "Gazetteer", "GazetteerMatch"]

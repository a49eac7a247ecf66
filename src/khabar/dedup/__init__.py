"""Duplicate detection: exact copies, near copies and partial reuse of article texts.

    from khabar.dedup import DuplicateIndex, fingerprint
    index = DuplicateIndex()
    for doc_id, article in ...:
        for pair in index.add(doc_id, fingerprint(article.text)):
            print(pair.to_dict())    # {"a": ..., "b": ..., "similarity": 0.93, "kind": "near"}

* ``exact``   same matching key (``khabar.urdu.key``) once spaces are removed: copies that
              differ in spacing, joined words, diacritics, Arabic code points, digits or
              punctuation;
* ``near``    estimated Jaccard similarity of 5-character shingles of the spaceless key
              ``>= NEAR`` (0.5): the same document with edits, a changed paragraph or added
              chrome (MinHash with LSH bands, all in numpy);
* ``partial`` at least ``PARTIAL`` (a quarter) of the smaller text's passages are in the other:
              an agency wire rewritten by a newspaper, a brief lifted from a longer report.

Works over plain inputs (texts in, fingerprints and pairs out) and does not depend on the
archive; a database keeps the same state in tables (see :mod:`khabar.dedup.index`).
"""

from khabar.dedup.fingerprint import (
    BANDS,
    MIN_SHARED,
    NEAR,
    NUM_PERM,
    PARTIAL,
    ROWS,
    Fingerprint,
    classify,
    fingerprint,
    fingerprint_key,
    reuse,
    shared_passages,
    similarity,
)
from khabar.dedup.index import (
    DocId,
    DuplicateIndex,
    DuplicateStore,
    MemoryStore,
    Pair,
    find_duplicates,
)

__all__ = [
    "BANDS",
    "MIN_SHARED",
    "NEAR",
    "NUM_PERM",
    "PARTIAL",
    "ROWS",
    "DocId",
    "DuplicateIndex",
    "DuplicateStore",
    "Fingerprint",
    "MemoryStore",
    "Pair",
    "classify",
    "find_duplicates",
    "fingerprint",
    "fingerprint_key",
    "reuse",
    "shared_passages",
    "similarity",
]

"""The first pass: what a worker needs to know about the whole corpus before cleaning a page.

Cleaning a page uses the lines repeated across pages of its outlet (an outlet's menus,
teasers and footers). ``khabar ingest`` counts them incrementally, as pages arrive; workers
have no archive, so the distributed run counts them over the whole input first, as
:func:`khabar.clean_many` and :func:`khabar.extract_many` do: every page is cleaned with the
counts of all the pages of its outlet. Results do not depend on how the input was cut or on
the number of workers, and the pages of an outlet read first profit from the ones read later.

The counts follow :class:`khabar.clean.RepeatedLines` exactly: a group's pages are told apart
by their signature (copies of one article are counted once, the first in input order), and a
page whose id was seen before in the input is skipped (as ``khabar ingest`` skips it). Lines
are kept as 64-bit hashes of their keys, and only those on two pages or more (one page never
changes a decision). Each partition gives three small tables (:func:`scan_partition`); the
cluster groups them (:func:`corpus_lines`, with Dask shuffles) into:

* the *skipped* pages (a page id seen earlier in the input), by input order;
* per group, the number of distinct pages, and per line the pages it is on (``>= 2``).

These are saved in the output folder (:func:`save_corpus`) and loaded once per worker process
(:func:`load_corpus`) as a :class:`CorpusLines`, which quacks like ``RepeatedLines``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from khabar.archive.store import page_id, signed_hash
from khabar.distributed.partitions import Partition, read_partition
from khabar.model import Page

__all__ = ["CorpusLines", "corpus_lines", "load_corpus", "order_of", "save_corpus",
           "scan_partition"]

CORPUS_FILE = "corpus-lines.json"
LINES_FILE = "corpus-lines.parquet"
_MIN_COUNT = 2


def order_of(partition: int, position: int) -> int:
    """A page's place in the input: partition number and position in it, in one int64."""
    return (partition << 32) | position


def _group_hash(page: Page) -> int:
    from khabar.clean.repeated import group_of

    return signed_hash(group_of(page))


@dataclass(slots=True)
class CorpusLines:
    """Repeated-line counts of a whole corpus, by group: what :func:`khabar.clean.clean` asks
    a :class:`khabar.clean.RepeatedLines` (``pages`` and ``count``)."""

    groups: dict[int, int] = field(default_factory=dict)  # group hash -> distinct pages
    lines: dict[int, dict[int, int]] = field(default_factory=dict)  # group -> line -> pages
    skip: frozenset[int] = frozenset()  # orders of pages skipped (id seen earlier)

    def pages(self, group: str) -> int:
        return self.groups.get(signed_hash(group), 0)

    def count(self, group: str, key: str) -> int:
        found = self.lines.get(signed_hash(group))
        return found.get(signed_hash(key), 0) if found else 0


# --------------------------------------------------------------------------- per partition


def scan_partition(spec: dict[str, Any]) -> tuple[Any, Any, Any]:
    """Three pandas tables for one partition (a worker task): ``ids`` (id, order) of its pages,
    ``pages`` (grp, sig, order) of its pages with lines, ``lines`` (grp, order, key) of each
    page's distinct line keys."""
    import numpy as np
    import pandas as pd

    from khabar.clean.repeated import page_lines

    part = Partition.from_dict(spec)
    ids: list[str] = []
    id_orders: list[int] = []
    grp: list[int] = []
    sig: list[int] = []
    page_orders: list[int] = []
    line_grp: list[int] = []
    line_orders: list[int] = []
    line_keys: list[int] = []
    for position, item in enumerate(read_partition(part)):
        if not isinstance(item, Page):
            continue
        order = order_of(part.index, position)
        ids.append(page_id(item))
        id_orders.append(order)
        keys, signature = page_lines(item)
        if signature is None:
            continue
        g = _group_hash(item)
        grp.append(g)
        sig.append(int.from_bytes(bytes.fromhex(signature), "big", signed=True))
        page_orders.append(order)
        line_grp.extend([g] * len(keys))
        line_orders.extend([order] * len(keys))
        line_keys.extend(signed_hash(k) for k in keys)
    i64 = np.int64
    return (
        pd.DataFrame({"id": pd.Series(ids, dtype=object),
                      "order": np.array(id_orders, dtype=i64)}),
        pd.DataFrame({"grp": np.array(grp, dtype=i64), "sig": np.array(sig, dtype=i64),
                      "order": np.array(page_orders, dtype=i64)}),
        pd.DataFrame({"grp": np.array(line_grp, dtype=i64),
                      "order": np.array(line_orders, dtype=i64),
                      "key": np.array(line_keys, dtype=i64)}),
    )


def _later_copies(df: Any, by: list[str]) -> Any:
    """Orders of the rows that are not the first (lowest order) of their ``by`` group."""
    ordered = df.sort_values([*by, "order"], kind="stable")
    return ordered.loc[ordered.duplicated(by, keep="first"), ["order"]]


def _without(df: Any, orders: Any) -> Any:
    return df[~df["order"].isin(orders)] if len(orders) else df


# --------------------------------------------------------------------------- over the cluster


#: Pages per partition of the shuffled tables: bounds what one worker holds in a shuffle.
SHUFFLE_PAGES = 10_000


def shuffle_partitions(pages: int, most: int) -> int:
    """Output partitions of a shuffle over ``pages`` pages' rows: one per ``SHUFFLE_PAGES``
    (a shuffle's cost is mostly per partition on small inputs), at most ``most``."""
    return max(1, min(most, -(-pages // SHUFFLE_PAGES)))


def corpus_lines(client: Any, specs: list[dict[str, Any]], *, retries: int = 2) -> CorpusLines:
    """Scan every partition on the cluster and count the corpus's repeated lines."""
    import dask

    if not specs:
        return CorpusLines()
    with dask.config.set({"dataframe.convert-string": False}):
        return _corpus_lines(client, specs, retries)


def _corpus_lines(client: Any, specs: list[dict[str, Any]], retries: int) -> CorpusLines:
    import dask
    import dask.dataframe as dd
    import numpy as np
    import pandas as pd

    scans = [dask.delayed(scan_partition, pure=True)(spec) for spec in specs]
    scans = client.persist(scans, retries=retries)
    try:
        i64 = np.int64
        meta_ids = pd.DataFrame({"id": pd.Series([], dtype=object),
                                 "order": np.array([], dtype=i64)})
        meta_pages = pd.DataFrame({c: np.array([], dtype=i64) for c in ("grp", "sig", "order")})
        meta_lines = pd.DataFrame({c: np.array([], dtype=i64) for c in ("grp", "order", "key")})
        meta_orders = pd.DataFrame({"order": np.array([], dtype=i64)})
        ids = dd.from_delayed([s[0] for s in scans], meta=meta_ids, verify_meta=False)
        pages = dd.from_delayed([s[1] for s in scans], meta=meta_pages, verify_meta=False)
        lines = dd.from_delayed([s[2] for s in scans], meta=meta_lines, verify_meta=False)
        counted = dask.compute(*[dask.delayed(len)(s[0]) for s in scans])
        n = shuffle_partitions(sum(counted), len(specs))

        # 1. Pages whose id came earlier in the input: skipped, as khabar ingest skips them.
        skip = (ids.shuffle(on="id", npartitions=n)
                .map_partitions(_later_copies, ["id"], meta=meta_orders)
                .compute()["order"].to_numpy())
        # 2. Copies of a page in its group (same signature): counted once, the first.
        skip_d = dask.delayed(skip, pure=True)
        pages = pages.map_partitions(_without, skip_d, meta=meta_pages)
        copies = (pages.shuffle(on=["grp", "sig"], npartitions=n)
                  .map_partitions(_later_copies, ["grp", "sig"], meta=meta_orders)
                  .compute()["order"].to_numpy())
        # 3. Pages per group, and per line the pages it is on (lines on two pages or more).
        uncounted = dask.delayed(np.union1d(skip, copies), pure=True)
        group_pages = (pages.map_partitions(_without, uncounted, meta=meta_pages)
                       .groupby("grp").size())
        counts = (lines.map_partitions(_without, uncounted, meta=meta_lines)
                  .groupby(["grp", "key"]).size(split_out=n))
        group_pages, repeated = dask.compute(group_pages, counts[counts >= _MIN_COUNT])
    finally:
        del scans  # releases the persisted scans
    made = CorpusLines({int(g): int(c) for g, c in group_pages.items()}, {},
                       frozenset(int(o) for o in skip))
    for (g, k), c in repeated.items():
        made.lines.setdefault(int(g), {})[int(k)] = int(c)
    return made


def local_corpus_lines(specs: Iterable[dict[str, Any]]) -> CorpusLines:
    """The same counts without a cluster, in one process (for small inputs and tests)."""
    import numpy as np
    import pandas as pd

    scans = [scan_partition(spec) for spec in specs]
    if not scans:
        return CorpusLines()
    ids, pages, lines = (pd.concat([s[i] for s in scans], ignore_index=True) for i in range(3))
    skip = _later_copies(ids, ["id"])["order"].to_numpy()
    pages = _without(pages, skip)
    uncounted = np.union1d(skip, _later_copies(pages, ["grp", "sig"])["order"].to_numpy())
    group_pages = _without(pages, uncounted).groupby("grp").size()
    counts = _without(lines, uncounted).groupby(["grp", "key"]).size()
    made = CorpusLines({int(g): int(c) for g, c in group_pages.items()}, {},
                       frozenset(int(o) for o in skip))
    for (g, k), c in counts[counts >= _MIN_COUNT].items():
        made.lines.setdefault(int(g), {})[int(k)] = int(c)
    return made


# --------------------------------------------------------------------------- saved and loaded


def save_corpus(corpus: CorpusLines, folder: Path, digest: str) -> None:
    """Write the counts into ``folder`` (atomically: a half-written file is never read)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    grp, key, count = [], [], []
    for g, lines in sorted(corpus.lines.items()):
        for k, c in sorted(lines.items()):
            grp.append(g)
            key.append(k)
            count.append(c)
    table = pa.table({"grp": pa.array(grp, pa.int64()), "key": pa.array(key, pa.int64()),
                      "pages": pa.array(count, pa.int64())})
    tmp = folder / f".{LINES_FILE}.{os.getpid()}.tmp"
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, folder / LINES_FILE)
    head = {"format": "khabar.corpus-lines/1", "plan": digest,
            "groups": {str(g): n for g, n in sorted(corpus.groups.items())},
            "skip": sorted(corpus.skip)}
    tmp = folder / f".{CORPUS_FILE}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(head), encoding="utf-8")
    os.replace(tmp, folder / CORPUS_FILE)


def saved_digest(folder: Path) -> str | None:
    """The plan digest the saved counts in ``folder`` belong to (None when there are none)."""
    try:
        head = json.loads((folder / CORPUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (folder / LINES_FILE).is_file():
        return None
    return head.get("plan")


@lru_cache(maxsize=2)
def load_corpus(folder: str, digest: str) -> CorpusLines:
    """The counts saved in ``folder`` for the plan ``digest`` (cached: once per process)."""
    import pyarrow.parquet as pq

    head = json.loads((Path(folder) / CORPUS_FILE).read_text(encoding="utf-8"))
    if head.get("plan") != digest:
        raise RuntimeError(f"{folder}: the repeated-line counts belong to another run")
    table = pq.read_table(Path(folder) / LINES_FILE)
    made = CorpusLines({int(g): int(n) for g, n in head["groups"].items()}, {},
                       frozenset(int(o) for o in head["skip"]))
    for g, k, c in zip(table.column("grp").to_pylist(), table.column("key").to_pylist(),
                       table.column("pages").to_pylist(), strict=True):
        made.lines.setdefault(g, {})[k] = c
    return made

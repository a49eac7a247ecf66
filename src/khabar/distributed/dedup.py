"""Near-duplicates over the shards, on the cluster: the same pairs as ``khabar duplicates``.

The fingerprints (MinHash signature, LSH bands, winnowed passages, key hash; all from
:mod:`khabar.dedup`) were made on the workers with each article. The single-machine
:class:`khabar.dedup.DuplicateIndex` adds articles one by one in input order; here the same
rules are applied to the whole set at once, with Dask shuffles instead of an index:

1. **exact**: articles grouped by key hash (shuffle on it, without the fingerprints); the
   first in input order is the original, each later one gets one ``exact`` pair with it and
   nothing else (as the index files an exact copy under its original and indexes it no
   further). Empty texts pair with nothing.
2. **candidates** among the remaining articles: every two that share an LSH band (shuffle on the
   band hash), and every two that share at least ``MIN_SHARED`` passages, counting a passage
   only among the first ``max_bucket`` articles that have it (shuffle on the passage hash, then
   on the pair) - the index's cap on stock phrases, which it applies to a passage held by that
   many earlier articles, and a later article with fewer than ``MIN_SHARED`` passages
   proposes none (as the index does).
3. **verified** with :func:`khabar.dedup.classify` (shuffle joins bring both fingerprints
   together), oriented as the archive stores pairs (the earlier published first when both
   dates are known, else the earlier in input order), similarity rounded to 4 places.
4. **clusters**: connected components of the exact and near pairs (copies of one text; partial
   reuse is a relation, not a copy), by label propagation over the pair list on the client -
   pairs are few next to articles.

No worker ever holds all fingerprints: the three steps are separate computes, the shards are
read again where fingerprints are needed, and every shuffle has one output partition per
``SHUFFLE_PAGES`` articles (its rows are what one worker holds at a time).

Written to ``duplicates.parquet`` (a, b, similarity, kind; ordered as ``khabar duplicates``
prints them) and ``clusters.parquet`` (cluster, id, order: the cluster is named by its first
article in input order).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from khabar.dedup.fingerprint import _HEADER, MIN_SHARED, Fingerprint, classify

__all__ = ["CLUSTERS", "DUPLICATES", "components", "distributed_duplicates"]

DUPLICATES = "duplicates.parquet"
CLUSTERS = "clusters.parquet"
#: A passage held by this many articles proposes no more candidates (as MemoryStore).
MAX_BUCKET = 1000

_I64 = np.int64
_KIND_ORDER = {"exact": 0, "near": 1, "partial": 2}


# --------------------------------------------------------------------------- per partition


def _docs(path: str) -> Any:
    """id, order, published, fingerprint, key_hash of a shard's non-empty articles."""
    import pandas as pd
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["id", "order", "published", "fingerprint"])
    fps = table.column("fingerprint").to_pylist()
    heads = [_HEADER.unpack_from(blob) for blob in fps]  # (magic, version, perm, length, key,
    keep = [i for i, head in enumerate(heads) if head[3]]  # passages): the length and key hash
    ids, orders = table.column("id").to_pylist(), table.column("order").to_pylist()
    published = table.column("published").to_pylist()
    return pd.DataFrame({
        "id": pd.Series([ids[i] for i in keep], dtype=object),
        "order": np.array([orders[i] for i in keep], dtype=_I64),
        "published": pd.Series([published[i] for i in keep], dtype=object),
        "fingerprint": pd.Series([fps[i] for i in keep], dtype=object),
        "key_hash": np.array([heads[i][4] for i in keep], dtype=_I64),
    })


def _exact(df: Any) -> Any:
    """After a shuffle on key_hash: each article with the id and date of the first article
    of its key (itself for the first)."""
    df = df.sort_values(["key_hash", "order"], kind="stable")
    first = ~df.duplicated("key_hash", keep="first")
    out = df.copy()
    out["first"] = first.to_numpy()
    head = df.loc[first, ["key_hash", "id", "published", "order"]].set_index("key_hash")
    out["a_id"] = head["id"].reindex(df["key_hash"]).to_numpy()
    out["a_published"] = head["published"].reindex(df["key_hash"]).to_numpy()
    out["a_order"] = head["order"].reindex(df["key_hash"]).to_numpy()
    return out


def _band_rows(df: Any) -> Any:
    import pandas as pd

    hashes: list[int] = []
    orders: list[int] = []
    for order, blob in zip(df["order"].tolist(), df["fingerprint"].tolist(), strict=True):
        bands = set(Fingerprint.from_bytes(blob).bands)
        hashes.extend(bands)
        orders.extend([order] * len(bands))
    return pd.DataFrame({"h": np.array(hashes, dtype=_I64), "order": np.array(orders, _I64)})


def _passage_rows(df: Any) -> Any:
    import pandas as pd

    parts: list[np.ndarray] = []
    orders: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    for order, blob in zip(df["order"].tolist(), df["fingerprint"].tolist(), strict=True):
        passages = Fingerprint.from_bytes(blob).passages
        parts.append(passages)
        orders.append(np.full(len(passages), order, dtype=_I64))
        counts.append(np.full(len(passages), len(passages), dtype=_I64))
    if not parts:
        return pd.DataFrame({c: np.array([], dtype=_I64) for c in ("h", "order", "n")})
    return pd.DataFrame({"h": np.concatenate(parts).astype(_I64),
                         "order": np.concatenate(orders), "n": np.concatenate(counts)})


def _bucket_pairs(df: Any, cap: int | None = None, min_count: int = 0) -> Any:
    """All pairs (a, b), a before b, of the rows sharing a hash ``h``; with ``cap`` only among
    the first ``cap`` rows of a hash, and with ``min_count`` only pairs whose ``b`` has
    ``n >= min_count``."""
    import pandas as pd

    df = df.sort_values(["h", "order"], kind="stable")
    h = df["h"].to_numpy()
    orders = df["order"].to_numpy()
    big = df["n"].to_numpy() >= min_count if min_count else None
    starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
    ends = np.r_[starts[1:], len(h)]
    a_out: list[np.ndarray] = []
    b_out: list[np.ndarray] = []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        if cap is not None:
            end = min(end, start + cap)
        m = end - start
        if m < 2:
            continue
        i, j = np.triu_indices(m, 1)
        if big is not None:
            ok = big[start + j]
            i, j = i[ok], j[ok]
        a_out.append(orders[start + i])
        b_out.append(orders[start + j])
    if not a_out:
        return pd.DataFrame({"a": np.array([], dtype=_I64), "b": np.array([], dtype=_I64)})
    return pd.DataFrame({"a": np.concatenate(a_out), "b": np.concatenate(b_out)})


def _verify(df: Any) -> Any:
    """Candidate pairs with both fingerprints -> verified pairs, oriented as stored."""

    rows = _pair_rows()
    for fa, fb, ia, ib, pa, pb, oa, ob in zip(
            df["fp_a"].tolist(), df["fp_b"].tolist(), df["id_a"].tolist(), df["id_b"].tolist(),
            df["pub_a"].tolist(), df["pub_b"].tolist(), df["a"].tolist(), df["b"].tolist(),
            strict=True):
        found = classify(Fingerprint.from_bytes(fa), Fingerprint.from_bytes(fb))
        if found is None:
            continue
        _orient(rows, ia, ib, pa, pb, oa, ob, found[1], found[0])
    return _pair_frame(rows)


def _pair_rows() -> dict[str, list[Any]]:
    return {"a": [], "b": [], "similarity": [], "kind": [], "a_order": [], "b_order": []}


def _pair_frame(rows: dict[str, list[Any]]) -> Any:
    """Pairs as a DataFrame with the dtypes of the pairs' Parquet schema."""
    import pandas as pd

    return pd.DataFrame({"a": pd.Series(rows["a"], dtype=object),
                         "b": pd.Series(rows["b"], dtype=object),
                         "similarity": np.array(rows["similarity"], dtype=np.float64),
                         "kind": pd.Series(rows["kind"], dtype=object),
                         "a_order": np.array(rows["a_order"], dtype=_I64),
                         "b_order": np.array(rows["b_order"], dtype=_I64)})


def _orient(rows: dict[str, list[Any]], ia: str, ib: str, pa: Any, pb: Any, oa: int, ob: int,
            similarity: float, kind: str) -> None:
    """As :func:`khabar.dedup.archive_store.store_pairs`: the earlier published first when
    both dates are known."""
    if pa and pb and pb < pa:
        ia, ib, oa, ob = ib, ia, ob, oa
    rows["a"].append(ia)
    rows["b"].append(ib)
    rows["similarity"].append(round(similarity, 4))
    rows["kind"].append(kind)
    rows["a_order"].append(oa)
    rows["b_order"].append(ob)


def _exact_pairs(df: Any) -> Any:

    copies = df[~df["first"]]
    rows = _pair_rows()
    for ia, ib, pa, pb, oa, ob in zip(
            copies["a_id"].tolist(), copies["id"].tolist(), copies["a_published"].tolist(),
            copies["published"].tolist(), copies["a_order"].tolist(), copies["order"].tolist(),
            strict=True):
        _orient(rows, ia, ib, pa, pb, oa, ob, 1.0, "exact")
    return _pair_frame(rows)


# --------------------------------------------------------------------------- over the cluster


def _metas() -> dict[str, Any]:
    import pandas as pd

    def obj() -> Any:
        return pd.Series([], dtype=object)

    def i64() -> Any:
        return np.array([], dtype=_I64)

    docs = pd.DataFrame({"id": obj(), "order": i64(), "published": obj(),
                         "fingerprint": obj(), "key_hash": i64()})
    exact = docs.assign(first=np.array([], dtype=bool), a_id=obj(), a_published=obj(),
                        a_order=i64())
    pairs = pd.DataFrame({"a": obj(), "b": obj(), "similarity": np.array([], np.float64),
                          "kind": obj(), "a_order": i64(), "b_order": i64()})
    return {"docs": docs, "exact": exact, "pairs": pairs,
            "bands": pd.DataFrame({"h": i64(), "order": i64()}),
            "passages": pd.DataFrame({"h": i64(), "order": i64(), "n": i64()}),
            "ab": pd.DataFrame({"a": i64(), "b": i64()})}


def duplicate_frame(client: Any, shards: Sequence[str], *, articles: int | None = None,
                    max_bucket: int = MAX_BUCKET) -> Any:
    """All duplicate pairs of the articles in ``shards`` (``articles`` of them, if known) as
    one pandas DataFrame (a, b, similarity, kind, a_order, b_order), in ``khabar
    duplicates`` order."""
    import dask

    from khabar.distributed.corpus import shuffle_partitions

    metas = _metas()
    if not shards:
        return metas["pairs"]
    n = shuffle_partitions(articles if articles is not None else len(shards) * 1000,
                           len(shards))
    # Fingerprints are bytes: dask must not turn object columns into strings.
    with dask.config.set({"dataframe.convert-string": False}):
        return _duplicate_frame(client, shards, n, max_bucket, metas)


def _duplicate_frame(client: Any, shards: Sequence[str], n: int, max_bucket: int,
                     metas: dict[str, Any]) -> Any:
    # Three computes, so that no worker holds every fingerprint at once: (1) exact copies from
    # the key hashes alone; (2) candidate pairs from band and passage rows, made shard by shard;
    # (3) the candidates' fingerprints brought together (shuffle joins, which spill to disk).
    import dask
    import dask.dataframe as dd
    import pandas as pd

    keys = dd.from_map(_docs, list(shards), meta=metas["docs"], enforce_metadata=False,
                       label="khabar-dedup-keys").drop(columns=["fingerprint"])
    keyed = (keys.shuffle(on="key_hash", npartitions=n)
             .map_partitions(_exact, meta=metas["exact"].drop(columns=["fingerprint"])))
    exact = keyed.map_partitions(_exact_pairs, meta=metas["pairs"])
    copies = keyed[~keyed["first"]]["order"]
    exact_df, copies_arr = dask.compute(exact, copies)
    copies_d = dask.delayed(np.sort(copies_arr.to_numpy()), pure=True)

    def firsts() -> Any:
        return dd.from_map(_docs, list(shards), meta=metas["docs"], enforce_metadata=False,
                           label="khabar-dedup-docs").map_partitions(
            _without_orders, copies_d, meta=metas["docs"])[
                ["id", "order", "published", "fingerprint"]]

    band_pairs = (firsts().map_partitions(_band_rows, meta=metas["bands"])
                  .shuffle(on="h", npartitions=n)
                  .map_partitions(_bucket_pairs, meta=metas["ab"]))
    shared = (firsts().map_partitions(_passage_rows, meta=metas["passages"])
              .shuffle(on="h", npartitions=n)
              .map_partitions(_bucket_pairs, max_bucket, MIN_SHARED, meta=metas["ab"])
              .groupby(["a", "b"]).size(split_out=n))
    passage_pairs = shared[shared >= MIN_SHARED].reset_index()[["a", "b"]]
    candidates = client.persist(
        dd.concat([band_pairs, passage_pairs]).drop_duplicates(split_out=n))
    try:
        side = firsts().rename(columns={"id": "id_a", "order": "a", "published": "pub_a",
                                        "fingerprint": "fp_a"})
        other = firsts().rename(columns={"id": "id_b", "order": "b", "published": "pub_b",
                                         "fingerprint": "fp_b"})
        joined = candidates.merge(side, on="a", how="inner").merge(other, on="b", how="inner")
        near_df = joined.map_partitions(_verify, meta=metas["pairs"]).compute()
    finally:
        del candidates  # releases the persisted pairs
    pairs = pd.concat([exact_df, near_df], ignore_index=True)
    return sort_pairs(pairs)


def _without_orders(df: Any, orders: np.ndarray) -> Any:
    return df[~df["order"].isin(orders)] if len(orders) else df


def sort_pairs(pairs: Any) -> Any:
    """Exact first, then by decreasing similarity, then a, b (``khabar duplicates``' order)."""
    if not len(pairs):
        return pairs.reset_index(drop=True)
    rank = pairs["kind"].map(_KIND_ORDER)
    return (pairs.assign(_rank=rank.to_numpy(), _neg=-pairs["similarity"].to_numpy())
            .sort_values(["_rank", "_neg", "a", "b"], kind="stable")
            .drop(columns=["_rank", "_neg"]).reset_index(drop=True))


def components(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Connected components of the graph with edges ``a[i] - b[i]`` (int64 node labels):
    ``(nodes, root)`` with each node's component named by its smallest label (min-label
    propagation with pointer jumping, all in numpy)."""
    nodes, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
    if not len(nodes):
        return nodes, nodes
    u, v = inverse[: len(a)], inverse[len(a):]
    label = np.arange(len(nodes))
    while True:
        low = np.minimum(label[u], label[v])
        new = label.copy()
        np.minimum.at(new, u, low)
        np.minimum.at(new, v, low)
        new = new[new]  # pointer jumping: follow labels to their own labels
        if np.array_equal(new, label):
            break
        label = new
    return nodes, nodes[label]


def write_duplicates(pairs: Any, out: Path) -> dict[str, Any]:
    """Write ``duplicates.parquet`` and ``clusters.parquet`` into ``out``; return counts."""
    import pyarrow as pa

    table = pa.table({"a": pa.array(pairs["a"].tolist(), pa.string()),
                      "b": pa.array(pairs["b"].tolist(), pa.string()),
                      "similarity": pa.array(pairs["similarity"].tolist(), pa.float64()),
                      "kind": pa.array(pairs["kind"].tolist(), pa.string())})
    _write_atomic(table, out / DUPLICATES)
    copies = pairs[pairs["kind"].isin(["exact", "near"])]
    a = copies["a_order"].to_numpy(dtype=_I64)
    b = copies["b_order"].to_numpy(dtype=_I64)
    nodes, roots = components(a, b)
    ids = dict(zip(copies["a_order"].tolist(), copies["a"].tolist(), strict=True))
    ids.update(zip(copies["b_order"].tolist(), copies["b"].tolist(), strict=True))
    order = np.lexsort((nodes, roots))
    clusters = pa.table({
        "cluster": pa.array([ids[int(r)] for r in roots[order]], pa.string()),
        "id": pa.array([ids[int(x)] for x in nodes[order]], pa.string()),
        "order": pa.array(nodes[order], pa.int64())})
    _write_atomic(clusters, out / CLUSTERS)
    kinds = pairs["kind"].value_counts().to_dict() if len(pairs) else {}
    return {"pairs": len(pairs), "kinds": {k: int(kinds.get(k, 0)) for k in _KIND_ORDER},
            "clusters": len(set(roots.tolist())), "clustered": len(nodes),
            "file": DUPLICATES, "clusters_file": CLUSTERS}


def _write_atomic(table: Any, path: Path) -> None:
    import pyarrow.parquet as pq

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def distributed_duplicates(client: Any, shards: Sequence[str], out: Path, *,
                           articles: int | None = None,
                           max_bucket: int = MAX_BUCKET) -> dict[str, Any]:
    """Find the duplicates among the articles of ``shards`` on the cluster and write them into
    ``out`` (see the module docstring)."""
    return write_duplicates(duplicate_frame(client, shards, articles=articles,
                                            max_bucket=max_bucket), out)

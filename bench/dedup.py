"""Duplicate detection: khabar's numpy MinHash-LSH against datasketch on the same documents.

    .venv/bin/python bench/dedup.py            # prints a table; or from bench/run.py:
    from dedup import bench_dedup

Documents (about 2,000, from the article texts of the given pages, fixed random seed):

* bases: the cleaned articles, plus "unrelated" articles of words drawn from their vocabulary;
* exact copies (spaces joined and added, diacritics, Arabic code points), near copies (1-10 %
  of the words replaced, sometimes a paragraph dropped or share/teaser chrome appended),
  partial rewrites (half of a base's text kept as whole sentences, as much new text around)
  and more unrelated articles.

Both sides start from the matching key (``khabar.key``, not timed: it is the same input for
both) and shingle it the same way (5 characters of the key without spaces). Timed: build every
signature, query the LSH index for earlier candidates, insert. datasketch runs as documented
(``MinHash.update_batch`` on the UTF-8 shingles, ``MinHashLSH`` with the dict storage) with
khabar's band layout (32 x 4) so that both have the same candidate probabilities, and, for
recall only, with its own tuned layout for the threshold. Recall and precision of the
candidate pairs are measured against the exact Jaccard similarity of every pair (scipy).
"""

from __future__ import annotations

import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable

import numpy as np

import khabar
from khabar.dedup import BANDS, NEAR, NUM_PERM, ROWS, DuplicateIndex, fingerprint_key
from khabar.dedup import _hashing as H
from khabar.dedup.fingerprint import _SHINGLE_SALT, SHINGLE_CHARS

_DIACRITICS = "\u064e\u0650\u064f"  # zabar, zer, pesh
_PUNCTUATION = "۔،؟!:؛\"“”‘’'()."
_ARABIC = str.maketrans({"ک": "ك", "ی": "ي"})
_CHROME = ["Share on Facebook", "یہ بھی پڑھیں: شہر میں بارش کے بعد ٹریفک کا نظام درہم برہم",
           "واٹس ایپ پر شیئر کریں", "Copyright © 2025 All rights reserved",
           "تازہ ترین خبروں کے لیے ہمارا چینل فالو کریں"]


# --------------------------------------------------------------------------- documents


class _Maker:
    def __init__(self, articles: list[str], seed: int) -> None:
        self.rng = random.Random(seed)
        words = (w.strip(_PUNCTUATION) for text in articles for w in text.split())
        self.words = [w for w in words if w]

    def unrelated(self) -> str:
        rng = self.rng
        paragraphs = []
        for _ in range(rng.randint(3, 7)):
            words = rng.choices(self.words, k=rng.randint(25, 70))
            paragraphs.append(" ".join(words) + "۔")
        return "\n\n".join(paragraphs)

    def exact_copy(self, text: str) -> str:
        rng = self.rng
        out = []
        for word in text.split(" "):
            roll = rng.random()
            if roll < 0.1 and len(word) > 2 and word[1].isalpha() and word[2].isalpha():
                word = word[:2] + rng.choice(_DIACRITICS) + word[2:]
            elif roll < 0.2:
                word = word + " "
            out.append(word.translate(_ARABIC) if roll > 0.9 else word)
        joined = " ".join(out)
        return joined.replace("کے ", "کے", 2) if rng.random() < 0.5 else joined

    def near_copy(self, text: str) -> str:
        rng = self.rng
        paragraphs = text.split("\n\n")
        if len(paragraphs) > 3 and rng.random() < 0.3:
            del paragraphs[rng.randrange(1, len(paragraphs))]
        rate = rng.uniform(0.01, 0.1)
        edited = []
        for paragraph in paragraphs:
            words = paragraph.split(" ")
            edited.append(" ".join(rng.choice(self.words) if rng.random() < rate else w
                                   for w in words))
        if rng.random() < 0.4:
            edited.extend(rng.sample(_CHROME, 2))
        return "\n\n".join(edited)

    def partial(self, text: str) -> str:
        """Half of the text's sentences (a run from a random start), as much new text around."""
        rng = self.rng
        sentences = khabar.urdu.sentences(text.replace("\n\n", " "))
        start = rng.randrange(0, max(1, len(sentences) // 2))
        kept: list[str] = []
        for sentence in sentences[start:]:
            if sum(map(len, kept)) >= len(text) / 2:
                break
            kept.append(sentence)
        own = self.unrelated()[: sum(map(len, kept))].rsplit(" ", 1)[0]
        cut = own.find(" ", len(own) // 2)
        return "\n\n".join([own[:cut], " ".join(kept), own[cut:]])


def make_documents(texts: list[str], count: int = 2000, seed: int = 7
                   ) -> tuple[list[str], list[tuple[int, int, str]]]:
    """``count`` article texts made from the pages, and what was made from what:
    ``(base index, copy index, "exact" | "near" | "partial")``."""
    articles = [khabar.clean(text).text for text in texts]
    articles = [a for a in articles if len(a) > 300]
    maker = _Maker(articles, seed)
    bases = articles + [maker.unrelated() for _ in range(max(0, count // 5 - len(articles)))]
    docs = list(bases)
    made: list[tuple[int, int, str]] = []
    plan = ["near"] * 7 + ["partial"] * 4 + ["exact"] * 2 + ["unrelated"] * 3
    while len(docs) < count:
        kind = maker.rng.choice(plan)
        if kind == "unrelated":
            docs.append(maker.unrelated())
            continue
        base = maker.rng.randrange(len(bases))
        docs.append({"exact": maker.exact_copy, "near": maker.near_copy,
                     "partial": maker.partial}[kind](bases[base]))
        made.append((base, len(docs) - 1, kind))
    order = list(range(len(docs)))
    maker.rng.shuffle(order)  # copies may come before their originals
    position = {old: new for new, old in enumerate(order)}
    return ([docs[i] for i in order],
            [(position[a], position[b], kind) for a, b, kind in made])


# --------------------------------------------------------------------------- the two indexes


def khabar_lsh(keys: list[str]) -> set[tuple[int, int]]:
    """khabar's MinHash-LSH alone: signature, band hashes, query, insert."""
    buckets: defaultdict[int, list[int]] = defaultdict(list)
    pairs = set()
    for doc, key in enumerate(keys):
        prefix = H.prefix_sums(H.code_points(key.replace(" ", "")))
        signature = H.minhash(H.window_hashes(prefix, SHINGLE_CHARS, _SHINGLE_SALT), NUM_PERM)
        for band in H.band_hashes(signature, BANDS, ROWS).tolist():
            bucket = buckets[band]
            pairs.update((other, doc) for other in bucket)
            bucket.append(doc)
    return pairs


def khabar_full(keys: list[str]) -> set[tuple[int, int]]:
    """khabar's whole dedup: fingerprint (signature, passages, key hash), DuplicateIndex.add
    with every candidate checked (exact, near and partial pairs)."""
    index = DuplicateIndex()
    pairs = set()
    for doc, key in enumerate(keys):
        pairs.update((p.a, p.b) for p in index.add(doc, fingerprint_key(key)))
    return pairs


def datasketch_lsh(keys: list[str], params: tuple[int, int] | None) -> set[tuple[int, int]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=NEAR, num_perm=NUM_PERM, params=params)
    pairs = set()
    k = SHINGLE_CHARS
    for doc, key in enumerate(keys):
        compact = key.replace(" ", "")
        shingles = [compact[i:i + k].encode("utf-8")
                    for i in range(max(1, len(compact) - k + 1))]
        minhash = MinHash(num_perm=NUM_PERM)
        minhash.update_batch(shingles)
        pairs.update((other, doc) for other in lsh.query(minhash))
        lsh.insert(doc, minhash)
    return pairs


def exact_jaccard_pairs(keys: list[str], threshold: float) -> set[tuple[int, int]]:
    """Every pair whose shingle sets have Jaccard similarity >= threshold (scipy, exact)."""
    from scipy import sparse

    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    k = SHINGLE_CHARS
    for doc, key in enumerate(keys):
        compact = key.replace(" ", "")
        ids = {vocabulary.setdefault(compact[i:i + k], len(vocabulary))
               for i in range(max(1, len(compact) - k + 1))}
        rows.extend([doc] * len(ids))
        cols.extend(ids)
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                               shape=(len(keys), len(vocabulary)))
    inter = (matrix @ matrix.T).toarray()
    sizes = np.diag(inter)
    jaccard = inter / (sizes[:, None] + sizes[None, :] - inter)
    a, b = np.nonzero(np.triu(jaccard >= threshold, k=1))
    return set(zip(a.tolist(), b.tolist(), strict=True))


# --------------------------------------------------------------------------- the bench


def _timed(work: Callable[[], set[tuple[int, int]]]) -> tuple[float, set[tuple[int, int]]]:
    start = time.perf_counter()
    pairs = work()
    return time.perf_counter() - start, {(min(p), max(p)) for p in pairs}


def _recall(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> float:
    return len(found & truth) / len(truth) if truth else 1.0


def _construction_rows(keys: list[str], made: list[tuple[int, int, str]],
                       full: set[tuple[int, int]], truth: set[tuple[int, int]]) -> list[dict]:
    """How many generated copies the whole dedup found (and with which kind), and how many of
    its pairs neither construction nor exact Jaccard explains."""
    index = DuplicateIndex()
    kinds = {}
    first: dict[int, int] = {}
    for doc, key in enumerate(keys):
        fp = fingerprint_key(key)
        first.setdefault(fp.key_hash, doc)
        kinds.update({(p.a, p.b): p.kind for p in index.add(doc, fp)})
    # an exact copy stands for its first copy: its pairs are the first one's
    rep = [first[fingerprint_key(key).key_hash] for key in keys]
    rows = []
    for kind in ("exact", "near", "partial"):
        wanted = [(rep[a], rep[b]) for a, b, k in made if k == kind]
        got = ["exact" if a == b else kinds.get((min(a, b), max(a, b))) for a, b in wanted]
        found = sum(g is not None for g in got) / max(1, len(got))
        same = sum(g == kind for g in got) / max(1, len(got))
        rows.append({"what": f"whole dedup finds the {len(got)} generated {kind} copies",
                     "khabar": f"found {found:.3f}, as {kind} {same:.3f}", "reference": "",
                     "ratio": None})
    # documents are related when construction or Jaccard >= NEAR links them, directly or not
    # (a partial copy of a sample article is also one of that article's reprint)
    root = list(range(len(keys)))

    def find(x: int) -> int:
        while root[x] != x:
            root[x] = root[root[x]]
            x = root[x]
        return x

    for a, b in [(a, b) for a, b, _ in made] + sorted(truth):
        root[find(a)] = find(b)
    covered = sum(rep[a] == rep[b] or (min(rep[a], rep[b]), max(rep[a], rep[b])) in full
                  for a, b in truth)
    rows.append({"what": f"whole dedup reports the {len(truth)} pairs with Jaccard >= {NEAR}",
                 "khabar": f"recall {covered / max(1, len(truth)):.3f} (any kind; an exact "
                           "copy stands for its first copy)", "reference": "", "ratio": None})
    stray = [(a, b) for a, b in full if find(a) != find(b)]
    rows.append({"what": f"whole dedup pairs not linked by construction or Jaccard >= {NEAR}",
                 "khabar": f"{len(stray)} of {len(full)}", "reference": "", "ratio": None})
    return rows


def bench_dedup(texts: list[str], count: int = 2000, repeat: int = 3) -> list[dict]:
    """Rows for bench/run.py: speed of khabar vs datasketch at equal recall, and recall."""
    from datasketch.lsh import _optimal_param

    docs, made = make_documents(texts, count)
    keys = [khabar.key(doc) for doc in docs]
    n = len(keys)
    times: dict[str, float] = {}
    found: dict[str, set[tuple[int, int]]] = {}
    cases = {"lsh": lambda: khabar_lsh(keys), "full": lambda: khabar_full(keys),
             "ref": lambda: datasketch_lsh(keys, (BANDS, ROWS))}
    for _ in range(repeat):  # interleaved, so that both sides see the same machine load
        for name, work in cases.items():
            elapsed, found[name] = _timed(work)
            times[name] = min(times.get(name, elapsed), elapsed)
    tuned_params = _optimal_param(NEAR, NUM_PERM, 0.5, 0.5)
    _, tuned = _timed(lambda: datasketch_lsh(keys, None))
    truth = exact_jaccard_pairs(keys, NEAR)
    reference = (f"datasketch MinHash + MinHashLSH ({BANDS}x{ROWS} bands): "
                 f"{n / times['ref']:,.0f} docs/s")
    rows = [
        {"what": f"MinHash-LSH index of {n} docs (signatures + query + insert)",
         "khabar": f"{n / times['lsh']:,.0f} docs/s", "reference": reference,
         "ratio": times["ref"] / times["lsh"]},
        {"what": f"whole dedup of {n} docs (+ passages, key hash, every candidate checked)",
         "khabar": f"{n / times['full']:,.0f} docs/s", "reference": reference,
         "ratio": times["ref"] / times["full"]},
        {"what": f"LSH candidate recall, {len(truth)} pairs with Jaccard >= {NEAR}",
         "khabar": f"{_recall(found['lsh'], truth):.3f} ({len(found['lsh'])} candidates)",
         "reference": (f"datasketch same bands {_recall(found['ref'], truth):.3f} "
                       f"({len(found['ref'])}); its tuned {tuned_params[0]}x{tuned_params[1]} "
                       f"{_recall(tuned, truth):.3f} ({len(tuned)})"),
         "ratio": None},
    ]
    return rows + _construction_rows(keys, made, found["full"], truth)


def main() -> None:
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
    from run import _page_texts

    rows = bench_dedup(_page_texts())
    print("| what | khabar | reference (same run) | speed ratio (>1: khabar faster) |")
    print("|---|---|---|---|")
    for row in rows:
        ratio = f"{row['ratio']:.2f}×" if row["ratio"] else "–"
        print(f"| {row['what']} | {row['khabar']} | {row['reference'] or '–'} | {ratio} |")


if __name__ == "__main__":
    main()

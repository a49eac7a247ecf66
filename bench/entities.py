"""Name-finding scores on IL-NER Urdu test: the CRF tagger alone and the whole entity pass.

    .venv/bin/python bench/entities.py          # prints a table; or from bench/run.py:
    from entities import entity_scores

Each test sentence (IL-NER's tokens in khabar's display form, joined by single spaces) is
scored twice, by exact character offsets and type (PERSON, PLACE, ORG; IL-NER's NEP, NEL, NEO,
see ``khabar.extract.tagger.IL_NER_TYPES``):

* ``tagger``: ``Tagger.load().tag(sentence)``, every span whatever its confidence;
* ``entities``: ``find_entities`` on the sentence as a one-paragraph article (gazetteer, cue
  patterns and the tagger above ``TAGGER_MIN_CONFIDENCE``); every mention is a predicted span
  with the type of its entity.

IL-NER is Indian health/science/general text, not news (see ``resources/models/README.md``), so
these numbers say how the parts carry over to unseen text, not how khabar does on news.
``entity_scores()`` returns ``{}`` when the data is not there (../shared/data/il-ner-urdu).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from pathlib import Path

from khabar.extract.entities import find_entities
from khabar.extract.tagger import ENTITY_TYPES, Tagger, bio_spans, read_conll
from khabar.model import Article, Block, Meta

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "il-ner-urdu"

Span = tuple[int, int, str]


def _sentence_text(words: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The words joined by single spaces and each word's ``(start, end)`` in that text."""
    offsets = []
    pos = 0
    for word in words:
        offsets.append((pos, pos + len(word)))
        pos += len(word) + 1
    return " ".join(words), offsets


def _gold_spans(labels: list[str], offsets: list[tuple[int, int]]) -> set[Span]:
    return {(offsets[first][0], offsets[end - 1][1], etype)
            for first, end, etype in bio_spans(labels)}


def _entity_pass_spans(text: str) -> set[Span]:
    article = Article(source="il-ner", id=None, title=None,
                      blocks=[Block("paragraph", text, [1])], dropped=[], meta=Meta())
    return {(m.start, m.end, entity.type)
            for entity in find_entities(article) for m in entity.mentions if m.part == "block"}


def _prf(pairs: Iterable[tuple[set[Span], set[Span]]]) -> dict[str, dict[str, float]]:
    """Micro and per-type precision, recall, F1 over (gold, predicted) span sets."""
    counts = {t: [0, 0, 0] for t in ENTITY_TYPES}  # true positives, predicted, gold
    for gold, predicted in pairs:
        for span in predicted:
            counts.setdefault(span[2], [0, 0, 0])[1] += 1
            counts[span[2]][0] += span in gold
        for span in gold:
            counts.setdefault(span[2], [0, 0, 0])[2] += 1
    counts["micro"] = [sum(c[k] for c in counts.values()) for k in range(3)]
    out = {}
    for name, (tp, predicted, gold) in counts.items():
        p = tp / predicted if predicted else 0.0
        r = tp / gold if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[name] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                     "tp": tp, "predicted": predicted, "gold": gold}
    return out


def entity_scores(data: Path = DATA) -> dict:
    """``{"tagger": scores, "entities": scores, "sentences": n, "seconds": {...}}`` on
    IL-NER Urdu-test.txt, each scores ``{"micro"|type: {"precision", "recall", "f1", ...}}``;
    ``{}`` when the file is absent."""
    test = data / "Urdu-test.txt"
    if not test.is_file():
        return {}
    tagger = Tagger.load()
    sentences = read_conll(test)
    golds, tagged, passed = [], [], []
    seconds = {"tagger": 0.0, "entities": 0.0}
    for sentence in sentences:
        text, offsets = _sentence_text([w for w, _ in sentence])
        golds.append(_gold_spans([label for _, label in sentence], offsets))
        started = time.perf_counter()
        tagged.append({(t.start, t.end, t.type) for t in tagger.tag(text)})
        seconds["tagger"] += time.perf_counter() - started
        started = time.perf_counter()
        passed.append(_entity_pass_spans(text))
        seconds["entities"] += time.perf_counter() - started
    return {
        "data": str(test),
        "sentences": len(sentences),
        "tagger": _prf(zip(golds, tagged, strict=True)),
        "entities": _prf(zip(golds, passed, strict=True)),
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
    }


def main() -> int:
    scores = entity_scores()
    if not scores:
        print(f"IL-NER test data not found at {DATA}", file=sys.stderr)
        return 1
    print(f"IL-NER Urdu test, {scores['sentences']} sentences, exact character spans + type\n")
    print("| system | type | precision | recall | F1 | gold | predicted |")
    print("|---|---|---|---|---|---|---|")
    for system in ("tagger", "entities"):
        for etype in (*ENTITY_TYPES, "micro"):
            s = scores[system][etype]
            print(f"| {system} | {etype} | {s['precision']:.3f} | {s['recall']:.3f} | "
                  f"{s['f1']:.3f} | {s['gold']} | {s['predicted']} |")
    print(f"\nseconds: {scores['seconds']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

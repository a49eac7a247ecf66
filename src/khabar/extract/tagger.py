"""A small statistical name tagger (CRF) for Urdu names that the gazetteer does not know.

The model is a linear-chain CRF (python-crfsuite) trained by ``scripts/train_ner.py`` on the
Urdu part of IL-NER (CC-BY-4.0, see ``resources/models/README.md``) and shipped as
``resources/models/ner-crf.crfsuite``. It tags ``PERSON``, ``PLACE`` and ``ORG``.

IL-NER is Indian health/science/general text, not news, so the features are chosen to carry
over to news rather than to memorise words: the matching key of the word and its neighbours,
prefixes and suffixes, the word's shape, how ordinary the word is (its Urdu frequency in
``wordfreq``: ordinary words are rarely names), cue words nearby (titles before people, place
and organisation head nouns, from ``resources/models/tagger_cues.txt``) and, when the model was
trained with it, gazetteer membership.

``Tagger.load().tag(text)`` returns :class:`TaggedSpan` objects with character offsets into
``text`` and a confidence (the smallest per-token marginal probability of the span's labels).
The helpers below (:func:`read_conll`, :func:`bio_spans`, :func:`evaluate`) are shared by the
training script and the tests so that both read and score the data the same way.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import regex

from khabar import resources
from khabar.urdu.normalize import key, normalize
from khabar.urdu.segment import Token, sentence_spans, tokenize

MODEL_NAME = "ner-crf.crfsuite"
META_NAME = "ner-crf.json"
CUES_NAME = "tagger_cues.txt"
ENTITY_TYPES = ("PERSON", "PLACE", "ORG")

# IL-NER's (ILCI) tags -> khabar's entity types. Numbers, times and artefacts are handled
# elsewhere in khabar (or not at all), so they become O.
IL_NER_TYPES = {"NEP": "PERSON", "NEL": "PLACE", "NEO": "ORG"}

_DIGITS = regex.compile(r"^[\p{Nd}.,٫٬]+$")
_LATIN = regex.compile(r"^[\p{Latin}\p{Nd}.'&-]+$")
_ARABIC = regex.compile(r"^[\p{Arabic}\u200c\u200d]+$")
_HAS_LETTER = regex.compile(r"\p{L}")
_PUNCT = regex.compile(r"^[\p{P}\p{S}]+$")


@dataclass(frozen=True, slots=True)
class TaggedSpan:
    """A name found by the tagger: ``text[start:end]`` of the tagged text."""

    start: int
    end: int
    text: str
    type: str  # PERSON | PLACE | ORG
    confidence: float


# ---------------------------------------------------------------------------------------------
# Features (shared by training and tagging: change them only together with a retrain)


@cache
def _cues() -> dict[tuple[str, ...], str]:
    """Cue phrases as tuples of word keys -> cue class (letter names apart, see _letters)."""
    table: dict[tuple[str, ...], str] = {}
    for row in resources.read_tsv("models", CUES_NAME):
        cls, phrase = row[0], row[1]
        if cls != "LETTER":
            table.setdefault(tuple(_word_key(w) for w in phrase.split()), cls)
    return table


@cache
def _letters() -> frozenset[str]:
    """Keys of the Urdu spellings of Latin letter names; runs of them spell acronyms."""
    rows = resources.read_tsv("models", CUES_NAME)
    return frozenset(_word_key(row[1]) for row in rows if row[0] == "LETTER")


@cache
def _cue_index() -> tuple[dict[str, list[tuple[tuple[str, ...], str]]], int]:
    """Cue phrases indexed by their first word, longest first; and the longest length."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for words, cls in _cues().items():
        index.setdefault(words[0], []).append((words, cls))
    for entries in index.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return index, max((len(words) for words in _cues()), default=1)


def cues_fingerprint() -> str:
    """A hash of the cue list; the model records the one it was trained with."""
    rows = [f"{cls}\t{' '.join(words)}" for words, cls in sorted(_cues().items())]
    rows += [f"LETTER\t{letter}" for letter in sorted(_letters())]
    text = "\n".join(rows)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _cue_classes(keys: Sequence[str]) -> list[str | None]:
    """For each token, the class of the cue phrase covering it (longest match, left to right)."""
    index, _ = _cue_index()
    classes: list[str | None] = [None] * len(keys)
    i = 0
    while i < len(keys):
        entries = index.get(keys[i])
        matched = 0
        if entries:
            for words, cls in entries:
                n = len(words)
                if tuple(keys[i : i + n]) == words:
                    classes[i : i + n] = [cls] * n
                    matched = n
                    break
        i += matched or 1
    return classes


@cache
def _frequencies() -> dict[str, float]:
    """Urdu word frequencies (zipf) from wordfreq, by matching key."""
    from wordfreq import get_frequency_dict

    table: dict[str, float] = {}
    for word, freq in get_frequency_dict("ur").items():
        if freq <= 0:
            continue
        zipf = math.log10(freq) + 9
        k = _word_key(word)
        if zipf > table.get(k, 0.0):
            table[k] = zipf
    return table


def _freq_bucket(word_key: str) -> str:
    zipf = _frequencies().get(word_key, 0.0)
    if zipf == 0.0:
        return "0"  # not in the word list: rare word, name, foreign word or typo
    if zipf < 3.0:
        return "1"
    if zipf < 4.0:
        return "3"
    if zipf < 5.0:
        return "4"
    if zipf < 6.0:
        return "5"
    return "6"  # function words and the most common vocabulary


@lru_cache(maxsize=1 << 16)
def _word_key(word: str) -> str:
    # News vocabulary repeats heavily; key() normalises the whole word each time.
    folded = key(word).replace(" ", "")
    return folded.lower() if folded else word


def _shape(word: str) -> str:
    if _ARABIC.match(word):
        return "ur"
    if _DIGITS.match(word):
        return "num"
    if _LATIN.match(word):
        if word.isupper() and len(word) > 1:
            return "LAT"
        return "Lat" if word[:1].isupper() else "lat"
    if _PUNCT.match(word):
        return "pun"
    return "mix" if _HAS_LETTER.search(word) else "oth"


def _length_bucket(word: str) -> str:
    n = len(word)
    return str(n) if n <= 3 else ("4-5" if n <= 5 else ("6-8" if n <= 8 else "9+"))


def sentence_features(
    words: Sequence[str], gazetteer_tags: Sequence[str | None] | None = None
) -> list[list[str]]:
    """CRF attributes of each word of one sentence (display-form words).

    ``gazetteer_tags`` gives, per word, ``B-TYPE``/``I-TYPE`` when the word is inside a
    gazetteer match (``None`` otherwise); pass it only to a model trained with it.
    """
    keys = [_word_key(w) for w in words]
    cues = _cue_classes(keys)
    freqs = [_freq_bucket(k) for k in keys]
    shapes = [_shape(w) for w in words]
    n = len(words)
    letters = _letters()
    is_letter = [k in letters for k in keys]
    # a letter name next to another letter name: part of a spelled-out acronym (این ڈی ایم اے)
    acronym = [
        is_letter[i] and ((i > 0 and is_letter[i - 1]) or (i + 1 < n and is_letter[i + 1]))
        for i in range(n)
    ]
    out: list[list[str]] = []
    for i, k in enumerate(keys):
        shape = shapes[i]
        feats = [
            "b",
            "w=" + k,
            "sh=" + shape,
            "len=" + _length_bucket(k),
            "f=" + freqs[i],
            "sh_f=" + shape + freqs[i],
        ]
        if shape in ("ur", "lat", "Lat", "LAT", "mix"):
            feats += ["p1=" + k[:1], "p2=" + k[:2], "p3=" + k[:3]]
            feats += ["s1=" + k[-1:], "s2=" + k[-2:], "s3=" + k[-3:]]
        if cues[i]:
            feats.append("c=" + cues[i])
        if acronym[i]:
            feats.append("acr")
        for off in (-2, -1, 1, 2):
            j = i + off
            if j < 0:
                feats.append(f"{off}:BOS")
                continue
            if j >= n:
                feats.append(f"{off}:EOS")
                continue
            feats.append(f"{off}:w=" + keys[j])
            feats.append(f"{off}:f=" + freqs[j])
            if cues[j]:
                feats.append(f"{off}:c=" + cues[j])
            if off in (-1, 1):
                feats.append(f"{off}:sh=" + shapes[j])
                if shapes[j] == "ur":
                    feats.append(f"{off}:s2=" + keys[j][-2:])
                if acronym[j]:
                    feats.append(f"{off}:acr")
        if gazetteer_tags is not None:
            for off in (-1, 0, 1):
                j = i + off
                tag = gazetteer_tags[j] if 0 <= j < n else None
                if tag:
                    feats.append(f"{off}:g=" + tag)
                    if off == 0:
                        feats.append("g_f=" + tag[2:] + freqs[i])
        out.append(feats)
    return out


def gazetteer_tags(
    spans: Sequence[tuple[int, int]], matches: Iterable[object]
) -> list[str | None]:
    """Per token ``(start, end)`` (sorted): ``B-TYPE``/``I-TYPE`` when the token lies inside a
    gazetteer match (any object with ``start``, ``end`` and ``type``), else None."""
    tags: list[str | None] = [None] * len(spans)
    starts = [start for start, _ in spans]
    for match in matches:
        m_start, m_end, m_type = int(match.start), int(match.end), str(match.type)  # type: ignore[attr-defined]
        first = True
        j = bisect.bisect_left(starts, m_start)
        while j < len(spans) and spans[j][0] < m_end:
            if spans[j][1] <= m_end and tags[j] is None:
                tags[j] = ("B-" if first else "I-") + m_type
                first = False
            j += 1
    return tags


def load_gazetteer() -> object | None:
    """The shared gazetteer (``khabar.extract.gazetteer``) if that module exists, else None."""
    try:
        from khabar.extract.gazetteer import Gazetteer  # type: ignore[import-not-found]
    except ImportError:
        return None
    return Gazetteer.load()


def words_gazetteer_tags(words: Sequence[str], gazetteer: object) -> list[str | None]:
    """Gazetteer tags for a list of words, matched over the words joined by spaces."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for w in words:
        spans.append((pos, pos + len(w)))
        pos += len(w) + 1
    return gazetteer_tags(spans, gazetteer.find(" ".join(words)))  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# Runtime


class Tagger:
    """A loaded CRF model. Use :meth:`load` (cached) rather than the constructor."""

    def __init__(self, model_path: Path, meta: dict) -> None:
        import pycrfsuite

        self.path = model_path
        self.meta = meta
        self._crf = pycrfsuite.Tagger()
        self._crf.open(str(model_path))
        self.uses_gazetteer = bool(meta.get("options", {}).get("gazetteer"))
        self._gazetteer = load_gazetteer() if self.uses_gazetteer else None
        if self.uses_gazetteer and self._gazetteer is None:
            warnings.warn(
                "the NER model was trained with gazetteer features but khabar.extract.gazetteer "
                "is missing: tagging without them (lower recall)",
                stacklevel=2,
            )

    @classmethod
    def load(cls, model_path: str | Path | None = None) -> Tagger:
        """The shipped model (or ``model_path``), loaded once per process."""
        return _load(str(model_path) if model_path else "")

    def tag(
        self, text: str, gazetteer_matches: Iterable[object] | None = None
    ) -> list[TaggedSpan]:
        """Names in ``text`` (display form), with offsets into ``text``, in text order.

        A model trained with gazetteer features looks ``text`` up in the gazetteer; pass
        ``gazetteer_matches`` (``Gazetteer.find(text)``'s result) when you already have them.
        """
        sentences = list(_sentences(text))
        gaz: list[str | None] | None = None
        if self.uses_gazetteer:
            if gazetteer_matches is None and self._gazetteer is not None:
                gazetteer_matches = self._gazetteer.find(text)  # type: ignore[attr-defined]
            spans = [(t.start, t.end) for sentence in sentences for t in sentence]
            gaz = gazetteer_tags(spans, gazetteer_matches or ())
        found: list[TaggedSpan] = []
        offset = 0
        for sentence in sentences:
            words = [t.text for t in sentence]
            sentence_gaz = gaz[offset : offset + len(sentence)] if gaz is not None else None
            offset += len(sentence)
            labels, probs = self._decode(sentence_features(words, sentence_gaz))
            for first, last, etype in bio_spans(labels):
                start, end = sentence[first].start, sentence[last - 1].end
                found.append(
                    TaggedSpan(start, end, text[start:end], etype, round(min(probs[first:last]), 4))
                )
        return found

    def tag_words(self, words: Sequence[str]) -> list[str]:
        """BIO labels for one already-tokenised sentence (used for evaluation)."""
        gaz = None
        if self._gazetteer is not None:
            gaz = words_gazetteer_tags(words, self._gazetteer)
        labels, _ = self._decode(sentence_features(words, gaz))
        return labels

    def _decode(self, features: list[list[str]]) -> tuple[list[str], list[float]]:
        if not features:
            return [], []
        crf = self._crf
        crf.set(features)
        labels = crf.tag()
        probs = [crf.marginal(label, i) for i, label in enumerate(labels)]
        return labels, probs


def _sentences(text: str) -> Iterator[list[Token]]:
    """The tokens of ``text`` cut into sentences (the model was trained on sentences)."""
    ends = [end for _, end in sentence_spans(text)]
    current: list[Token] = []
    k = 0
    for token in tokenize(text):
        current.append(token)
        if k < len(ends) and token.end >= ends[k]:
            yield current
            current = []
            while k < len(ends) and ends[k] <= token.end:
                k += 1
    if current:
        yield current


@cache
def _load(model_path: str) -> Tagger:
    path = Path(model_path) if model_path else resources.path("models", MODEL_NAME)
    if not path.is_file():
        raise FileNotFoundError(
            f"NER model not found at {path}; rebuild it with `python scripts/train_ner.py`"
        )
    meta_path = path.with_suffix(".json")
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    return Tagger(path, meta)


# ---------------------------------------------------------------------------------------------
# Data and scoring (IL-NER format: token<TAB>tag, blank line between sentences)


def read_conll(path: str | Path) -> list[list[tuple[str, str]]]:
    """Sentences of ``(word, label)`` from an IL-NER file, cleaned and mapped to khabar types.

    Multiword tokens joined with ``_`` are split into words (B-X -> B-X I-X ...), each word is
    put in display form and re-tokenised with khabar's tokenizer the same way, so training
    sees what ``Tagger.tag`` will see. Labels become ``B-/I-PERSON|PLACE|ORG`` or ``O``.
    """
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    with Path(path).open(encoding="utf-8") as handle:
        for raw in handle:
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip():
                if current:
                    sentences.append(_repair_bio(current))
                    current = []
                continue
            token, _, tag = line.partition("\t")
            current.extend(_expand_token(token.strip(), _clean_tag(token.strip(), tag.strip())))
    if current:
        sentences.append(_repair_bio(current))
    return sentences


def _clean_tag(token: str, tag: str) -> str:
    """IL-NER tag -> khabar label. Stray tags: ``-X`` (a lost B/I prefix) is read as ``B-X``
    on a word and ``O`` on punctuation; a bare ``-`` and unknown types (NET, NIMI, ...) are O."""
    prefix, _, il_type = tag.partition("-")
    etype = IL_NER_TYPES.get(il_type)
    if etype is None:
        return "O"
    if prefix not in ("B", "I"):
        if not _HAS_LETTER.search(token):
            return "O"
        prefix = "B"
    return f"{prefix}-{etype}"


def _expand_token(token: str, label: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for part in token.split("_"):
        if not part:
            continue
        for sub in tokenize(normalize(part)):
            if sub.text.strip():
                out.append((sub.text, label))
    if not out and token.strip():
        out.append((token, label))
    if label != "O":
        inside = "I-" + label[2:]
        out = [(w, label if n == 0 else inside) for n, (w, _) in enumerate(out)]
    return out


def _repair_bio(sentence: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """An ``I-X`` that does not continue an X span starts one (conlleval reads it so too)."""
    out: list[tuple[str, str]] = []
    previous = "O"
    for word, label in sentence:
        if label.startswith("I-") and previous[2:] != label[2:]:
            label = "B-" + label[2:]
        out.append((word, label))
        previous = label
    return out


def bio_spans(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """Spans ``(first, end, type)`` (token indices, end exclusive) of a BIO label sequence."""
    spans: list[tuple[int, int, str]] = []
    start, etype = -1, ""
    for i, label in enumerate([*labels, "O"]):
        tag, _, ltype = label.partition("-")
        if start >= 0 and (tag != "I" or ltype != etype):
            spans.append((start, i, etype))
            start = -1
        if tag == "B" or (tag == "I" and start < 0):
            start, etype = i, ltype
    return spans


def evaluate(
    gold: Iterable[Sequence[str]], predicted: Iterable[Sequence[str]]
) -> dict[str, dict[str, float]]:
    """Entity-level exact-span scores, per type and ``micro``: precision, recall, f1, counts."""
    counts = {t: [0, 0, 0] for t in ENTITY_TYPES}  # true positives, predicted, gold
    for gold_labels, pred_labels in zip(gold, predicted, strict=True):
        gold_spans = set(bio_spans(gold_labels))
        pred_spans = set(bio_spans(pred_labels))
        for span in pred_spans:
            counts.setdefault(span[2], [0, 0, 0])[1] += 1
            if span in gold_spans:
                counts[span[2]][0] += 1
        for span in gold_spans:
            counts.setdefault(span[2], [0, 0, 0])[2] += 1
    scores = {t: _prf(*c) for t, c in counts.items()}
    scores["micro"] = _prf(*(sum(c[k] for c in counts.values()) for k in range(3)))
    return scores


def _prf(tp: int, predicted: int, gold: int) -> dict[str, float]:
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "predicted": predicted,
        "gold": gold,
    }

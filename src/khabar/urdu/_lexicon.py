"""Word-list decisions for the display form: Arabic heh (ہ or ھ?) and joined words.

Both rules ask one question of a word list: "is this an ordinary Urdu word, and how common?"
The list is wordfreq's Urdu list (about 23,000 words, loaded lazily once). Look-ups go through
:func:`khabar.urdu._chars.lexicon_fold` (diacritics removed, hamza folded) so a word and its
folded spelling are judged alike; this is what keeps ``key`` idempotent.

If wordfreq is not installed the rules still run with an empty list: Arabic heh becomes ہ and
only the joins table splits words.
"""

from __future__ import annotations

import math
import warnings
from functools import cache, lru_cache
from itertools import product

import regex

from khabar.resources import read_tsv
from khabar.urdu import _chars as C

# A word counts as a good left part of a join when it is at least this common (Zipf scale:
# log10 of occurrences per billion words; 4.0 = once per 100,000 words) and this long. A left
# part whose last letter had to be changed back (ی -> ے, ن -> ں) needs the higher bar: the
# change itself is a guess (گونگے is not گوں + گے).
PART_MIN_ZIPF = 3.3
PART_MIN_ZIPF_CHANGED = 4.0
PART_MIN_LETTERS = 3
# Imperfective participles (stem + تا / تے) of rarer verbs are missing from the word list; such a
# participle counts as a word when its stem is at least this common (سمجھاتا = سمجھا + تا).
STEM_MIN_ZIPF = 4.0
_PARTICIPLE_ENDINGS = ("تا", "تے")
# At most this many ambiguous Arabic hehs in one word are tried both ways (2**4 candidates).
MAX_AMBIGUOUS_HEH = 4


@cache
def lexicon() -> dict[str, float]:
    """Folded word -> Zipf frequency, from wordfreq's Urdu list."""
    try:
        from wordfreq import get_frequency_dict
    except ImportError:  # pragma: no cover - wordfreq is a dependency
        warnings.warn("wordfreq is not installed: join splitting uses the table only", stacklevel=2)
        return {}
    letters = C.letter_map()
    out: dict[str, float] = {}
    for word, freq in get_frequency_dict("ur").items():
        urdu = "".join(letters.get(ch, ch) for ch in word).replace(C.ARABIC_HEH, C.GOL_HE)
        folded = C.lexicon_fold(urdu)
        zipf = math.log10(freq) + 9.0
        if zipf > out.get(folded, 0.0):
            out[folded] = zipf
    return out


def zipf(word: str) -> float:
    """Zipf frequency of a word (0.0 when it is not in the list)."""
    return lexicon().get(C.lexicon_fold(word), 0.0)


# --------------------------------------------------------------------------- Arabic heh


@lru_cache(maxsize=65536)
def resolve_arabic_heh(word: str) -> str:
    """Replace each Arabic heh (U+0647) in ``word`` by ہ or ھ.

    An Arabic heh right after an aspirable consonant (norm_aspirates.txt) may stand for ھ
    (Arabic keyboards have one heh for both Urdu letters: كهانا is کھانا, كه is کہ). Each such
    heh is tried both ways and the spelling that the word list knows best wins; when the list
    knows none of them every heh becomes ہ, the plain code-point mapping. A heh at the start of a
    word or after any other letter is always ہ.
    """
    marks = C.arabic_mark_set()
    aspirable = C.aspirable_letters()
    chars = list(word)
    ambiguous: list[int] = []
    for i, ch in enumerate(chars):
        if ch != C.ARABIC_HEH:
            continue
        chars[i] = C.GOL_HE
        j = i - 1
        while j >= 0 and chars[j] in marks:
            j -= 1
        if j >= 0 and chars[j] in aspirable and len(ambiguous) < MAX_AMBIGUOUS_HEH:
            ambiguous.append(i)
    best = "".join(chars)
    if not ambiguous:
        return best
    best_zipf = zipf(best)
    for choice in product((C.GOL_HE, C.DO_CHASHMI_HE), repeat=len(ambiguous)):
        for i, letter in zip(ambiguous, choice, strict=True):
            chars[i] = letter
        candidate = "".join(chars)
        score = zipf(candidate)
        if score > best_zipf:
            best, best_zipf = candidate, score
    return best


# --------------------------------------------------------------------------- joins


@cache
def joins_table() -> dict[str, str]:
    """Joined form -> split form (``joins.tsv``)."""
    return {row[0]: row[1] for row in read_tsv("urdu", "joins.tsv")}


@cache
def _marks_table() -> dict[int, None]:
    return {ord(ch): None for ch in (*C.arabic_marks(), C.ZWJ, C.TATWEEL)}


@cache
def folded_joins_table() -> dict[str, str]:
    """``joins.tsv`` with both sides folded (diacritics off, hamza folded).

    The key (which has no diacritics or hamza variants) splits joins with it, and the display
    form uses it for joined words typed with other hamza spellings. An entry is left out when
    its folded form is also the fold of a real word: آسکے (could come) folds like اسکے, and
    آپنے like اپنے (own); those entries only match as typed.
    """
    table = joins_table()
    out: dict[str, str] = {}
    for joined, split in table.items():
        folded, folded_split = C.lexicon_fold(joined), C.lexicon_fold(split)
        if out.get(folded, folded_split) != folded_split:
            raise ValueError(f"joins.tsv: {joined} folds like another entry but splits otherwise")
        out[folded] = folded_split
    for word in _wordfreq_words():
        folded = C.lexicon_fold(word)
        if folded in out and word not in table:
            del out[folded]
    return out


@cache
def _wordfreq_words() -> tuple[str, ...]:
    try:
        from wordfreq import get_frequency_dict
    except ImportError:  # pragma: no cover
        return ()
    return tuple(get_frequency_dict("ur"))


def _project_split(raw: str, folded: str, folded_split: str, *, letter_folds: bool = True) -> str:
    """Apply a split (spaces, restored ے/ں) of the bare or folded run to the raw run.

    ``folded`` is ``raw`` without diacritics (and, with ``letter_folds``, with its letters
    folded, which may change their number: ۓ -> یے); the diacritics of ``raw`` are kept.
    """
    spaces: set[int] = set()
    changes: dict[int, str] = {}
    i = 0
    for ch in folded_split:
        if ch == " ":
            spaces.add(i)
            continue
        if ch != folded[i]:
            changes[i] = ch
        i += 1
    skip = C.arabic_mark_set() | {C.ZWJ, C.TATWEEL}
    out: list[str] = []
    pos = 0
    for ch in raw:
        if ch in skip:
            out.append(ch)
            continue
        width = len(C.lexicon_fold(ch)) if letter_folds else 1
        if pos in spaces and out:
            out.append(" ")
        out.append(changes[pos] if pos in changes and width == 1 else ch)
        pos += width
    return "".join(out)


@cache
def _clitics() -> tuple[tuple[str, str], ...]:
    rows = [(row[0], row[1]) for row in read_tsv("urdu", "norm_join_clitics.tsv")]
    return tuple(sorted(rows, key=lambda r: len(r[0]), reverse=True))


def _left_candidates(left: str, kind: str) -> list[tuple[str, str | None]]:
    """Possible left words for a folded left part, with the letter to put back at its end.

    A joined form may change the last letter of the left word: final ے is written medially as
    ی (کریگا = کرے گا) and ں as ن (کرینگے = کریں گے).
    """
    last = left[-1]
    out: list[tuple[str, str | None]] = []
    if kind == "conj":
        if last in "اےو":
            out.append((left, None))
    elif kind == "aux":
        if last in C.right_joining_letters():
            out.append((left, None))
    elif kind == "future":
        if last in "ےوؤ":
            out.append((left, None))
        elif last == C.YEH:
            out.append((left[:-1] + C.YEH_BARREE, C.YEH_BARREE))
        elif last == C.NOON and len(left) >= 2 and left[-2] in "یوؤ":
            out.append((left[:-1] + C.NOON_GHUNNA, C.NOON_GHUNNA))
    elif kind == "wala" and left.endswith("ن" + C.YEH):
        out.append((left[:-1] + C.YEH_BARREE, C.YEH_BARREE))
    elif kind == "wala" and left.endswith("ن" + C.YEH_BARREE):
        out.append((left, None))
    return out


def _split_raw(raw: str, right_letters: int, new_last: str | None) -> tuple[str, str]:
    """Split ``raw`` before its last ``right_letters`` letters (marks ride with their letter)."""
    skip = C.arabic_mark_set() | {C.ZWJ}
    i = len(raw)
    seen = 0
    while i > 0 and seen < right_letters:
        i -= 1
        if raw[i] not in skip:
            seen += 1
    left, right = raw[:i], raw[i:]
    if new_last is not None:
        k = len(left) - 1
        while k > 0 and left[k] in skip:
            k -= 1
        left = left[:k] + new_last + left[k + 1 :]
    return left, right


def split_word(run: str) -> str | None:
    """The split form of one run of Arabic letters, or None to keep it.

    1. The joins table (joins.tsv), looked up without diacritics (kept in the output), then by
       the folded run (hamza variants; see folded_joins_table).
    2. The general rule for productive joins that no list can hold: a run that is not an
       ordinary word (not in the word list) and ends with a clitic (norm_join_clitics.tsv) is
       split when what is left is a common word (3+ letters, Zipf >= 3.3, or >= 4 when its last
       letter had to be restored; or a participle stem + تا/تے of a common stem) whose last
       letter explains the join (see _left_candidates).
    """
    bare = run.translate(_marks_table())
    exact = joins_table().get(bare)
    if exact is not None:
        return exact if bare == run else _project_split(run, bare, exact, letter_folds=False)
    folded = C.lexicon_fold(run)
    table_hit = folded_joins_table().get(folded)
    if table_hit is not None:
        return _project_split(run, folded, table_hit)
    words = lexicon()
    if not words or folded in words:
        return None
    for clitic, kind in _clitics():
        if len(folded) <= len(clitic) or not folded.endswith(clitic):
            continue
        left = folded[: -len(clitic)]
        if clitic[0] == C.GOL_HE and left + C.GOL_HE in words:
            # A noun in -ہ with the plural -یں / oblique -ے: گواہیں is گواہ + یں, not گوا ہیں.
            continue
        for candidate, new_last in _left_candidates(left, kind):
            if _is_good_left_part(candidate, changed=new_last is not None, words=words):
                left_raw, right_raw = _split_raw(run, len(clitic), new_last)
                # The left part is a word, but may be a listed join itself (کرینگےہیں).
                return f"{split_word(left_raw) or left_raw} {right_raw}"
    return None


def _is_good_left_part(word: str, *, changed: bool, words: dict[str, float]) -> bool:
    if len(word) < PART_MIN_LETTERS:
        return False
    if words.get(word, 0.0) >= (PART_MIN_ZIPF_CHANGED if changed else PART_MIN_ZIPF):
        return True
    if changed or not word.endswith(_PARTICIPLE_ENDINGS):
        return False
    stem = word[:-2]
    return len(stem) >= 2 and words.get(stem, 0.0) >= STEM_MIN_ZIPF


@cache
def _run_pattern() -> regex.Pattern[str]:
    body = C.char_class(C.arabic_letters() + C.arabic_marks() + C.ZWJ)
    return regex.compile(f"[{body}]+")


def _split_runs(match: regex.Match[str]) -> str:
    run = match.group()
    return split_word(run) or run


_TOKEN_CACHE: dict[str, str] = {}
_TOKEN_CACHE_MAX = 400_000


def _split_token(token: str) -> str:
    if "\n" in token:
        return "\n".join(_split_token(part) for part in token.split("\n"))
    if not token:
        return token
    return _run_pattern().sub(_split_runs, token)


def split_joins(text: str) -> str:
    """Split joined words in space-separated ``text``.

    Decisions are cached per token; new tokens are found with one set difference, so a page of
    known tokens costs a split, a C-level map over a dict and a join.
    """
    tokens = text.split(" ")
    cache_ = _TOKEN_CACHE
    missing = set(tokens).difference(cache_)
    if missing:
        if len(cache_) + len(missing) > _TOKEN_CACHE_MAX:
            cache_.clear()
        for token in missing:
            cache_[token] = _split_token(token)
    return " ".join(map(cache_.__getitem__, tokens))

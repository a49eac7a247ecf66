"""Property tests for the display form, the matching key and the skeleton (hypothesis).

The strategies build Urdu-ish text: Urdu letters, their Arabic variants, diacritics, hamza
marks, three kinds of digits, Unicode spaces, zero-width and bidi characters, tatweel,
presentation forms, Latin, punctuation, line breaks, and whole words (ordinary words, joined
forms from joins.tsv, clitics) so that the word-level rules are exercised too.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.urdu import _chars as C
from khabar.urdu import _lexicon as L
from khabar.urdu.normalize import key, normalize, skeleton

URDU_LETTERS = "ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنںوہھءیےآأؤئۂۓۃ"
ARABIC_VARIANTS = "كيىهة"
MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0654\u0655\u0670\u0653"
DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"
SPACES = " \t\u00a0\u2003\u3000 "
INVISIBLE = "\u200b\u200c\u200d\ufeff\u00ad\u2060\u200e\u200f\u202b\u202c\u2067\u2069\u0640"
LATIN = "aBcGkZ-"
PUNCT = "۔،؟؛:()’‘“”\"'.,!/"
BREAKS = ["\n", "\r\n", "\r", "\u2028", "\n\n"]
PRESENTATION = "ﻛﺮاﭼﻰﻣﻴﮟﻻﷲﷺﹰﺑﮩﮭﯾ"
WORDS = [
    "کہاں",
    "بتایا",
    "ہیں",
    "کیسے",
    "ہوگا",
    "کردیا",
    "ساتھی",
    "زندگی",
    "پاکستان",
    "شمالی",
    "کے",
    "کی",
    "ہے",
    "کہ",
    "گا",
    "والے",
    "1857ء",
    "21ویں",
    "G7",
    "ﷺ",
    "کِم",
    "بشریٰ",
    "دورۂ",
    "كراچي",
    "وه",
    "بهی",
    "كه",
    *sorted(L.joins_table())[::7],
]

_char = st.sampled_from(
    URDU_LETTERS
    + ARABIC_VARIANTS
    + MARKS
    + DIGITS
    + SPACES
    + INVISIBLE
    + LATIN
    + PUNCT
    + PRESENTATION
)
_piece = st.one_of(_char, _char, st.sampled_from(WORDS), st.sampled_from(BREAKS))
urdu_text = st.lists(_piece, max_size=40).map("".join)

_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _digits(text: str) -> Counter[str]:
    return Counter(ch for ch in text if unicodedata.category(ch) == "Nd")


def _letters(text: str) -> int:
    """Letters of ``text``, counting a presentation form as the letters it draws."""
    kept = C.kept_presentation_forms()
    count = 0
    for ch in text:
        if ch == C.TATWEEL:
            continue
        cp = ord(ch)
        if (0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF) and ch not in kept:
            expanded = C._presentation_expansion(ch)
            count += sum(
                1 for c in expanded if unicodedata.category(c)[0] == "L" and c != C.TATWEEL
            )
        elif unicodedata.category(ch)[0] == "L":
            count += 1
    return count


@_SETTINGS
@given(urdu_text)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@_SETTINGS
@given(urdu_text)
def test_normalize_keeps_every_digit(text: str) -> None:
    # The multiset of digits (of every kind, as written) is preserved exactly.
    assert _digits(normalize(text)) == _digits(text)


@_SETTINGS
@given(urdu_text)
def test_normalize_never_loses_letters(text: str) -> None:
    # Letters are only ever mapped one to one (ك -> ک, ه -> ہ/ھ, a medial ی -> ے in a split
    # join, ی + hamza mark -> ئ); spaces may be added, never letters dropped.
    assert _letters(normalize(text)) == _letters(text)


@_SETTINGS
@given(urdu_text)
def test_normalize_keeps_the_line_count(text: str) -> None:
    out = normalize(text)
    # One "\n" for every line break of the input (any kind), so line i stays line i.
    assert out.count("\n") == len(_BREAK.findall(text))
    assert len(out.split("\n")) == len(_BREAK.split(text))


@_SETTINGS
@given(urdu_text)
def test_key_is_idempotent(text: str) -> None:
    k = key(text)
    assert key(k) == k


@_SETTINGS
@given(urdu_text)
def test_key_absorbs_normalize(text: str) -> None:
    assert key(normalize(text)) == key(text)


@_SETTINGS
@given(urdu_text)
def test_key_is_one_clean_line(text: str) -> None:
    k = key(text)
    assert "\n" not in k and "  " not in k and k == k.strip()
    assert not any(
        unicodedata.category(ch) in ("Mn", "Me") and ch in C.arabic_mark_set() for ch in k
    )


@_SETTINGS
@given(urdu_text)
def test_skeleton_is_stable_under_key(text: str) -> None:
    assert skeleton(key(text)) == skeleton(text)
    assert " " not in skeleton(text)

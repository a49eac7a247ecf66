"""Character classes and translation tables for :mod:`khabar.urdu.normalize`.

Everything here is either Unicode property data (computed from :mod:`unicodedata` and the
``regex`` module's Joining_Type property, not typed in) or read from the language data files in
``resources/urdu/norm_*``. Tables are built once, on first use.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import regex

from khabar.resources import read_lines, read_tsv

# Blocks that hold Arabic-script characters.
_ARABIC_RANGES = (
    (0x0600, 0x06FF),  # Arabic
    (0x0750, 0x077F),  # Arabic Supplement
    (0x0870, 0x089F),  # Arabic Extended-B
    (0x08A0, 0x08FF),  # Arabic Extended-A
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFF),  # Arabic Presentation Forms-B
)
_PRESENTATION_RANGES = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))

TATWEEL = "\u0640"
ZWNJ = "\u200c"
ZWJ = "\u200d"
ARABIC_HEH = "\u0647"
GOL_HE = "\u06c1"  # ہ
DO_CHASHMI_HE = "\u06be"  # ھ
YEH = "\u06cc"  # ی
YEH_BARREE = "\u06d2"  # ے
NOON = "\u0646"  # ن
NOON_GHUNNA = "\u06ba"  # ں
HAMZA_ABOVE = "\u0654"
YEH_HAMZA = "\u0626"  # ئ

# Invisible characters that are junk in running text: zero-width space, BOM / ZWNBSP, soft
# hyphen, word joiner, invisible math operators, bidi marks, embeddings, overrides and isolates,
# deprecated format characters, Mongolian vowel separator. ZWNJ and ZWJ are handled by a rule.
JUNK = (
    "\u200b\ufeff\u00ad\u2060\u2061\u2062\u2063\u2064\u180e"
    "\u200e\u200f\u061c"
    "\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069"
    "\u206a\u206b\u206c\u206d\u206e\u206f"
)

# Horizontal spaces that become a plain space. Line breaks are handled apart.
SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"

# Every character that str.splitlines() treats as a line boundary, other than "\n" and the
# "\r\n" pair (which is replaced first): each becomes one "\n", so the line count is kept.
ODD_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

ASCII_DIGITS = "0123456789"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"  # U+0660..0669
URDU_DIGITS = "۰۱۲۳۴۵۶۷۸۹"  # U+06F0..06F9 (Extended Arabic-Indic)
DIGITS = ASCII_DIGITS + ARABIC_INDIC_DIGITS + URDU_DIGITS


def _chars_in(ranges: tuple[tuple[int, int], ...]) -> list[str]:
    return [chr(cp) for lo, hi in ranges for cp in range(lo, hi + 1)]


@cache
def arabic_letters() -> str:
    """Arabic-script letters (general category L*, tatweel excluded), as one string."""
    return "".join(
        ch
        for ch in _chars_in(_ARABIC_RANGES)
        if unicodedata.category(ch).startswith("L") and ch != TATWEEL
    )


@cache
def arabic_marks() -> str:
    """Arabic-script combining marks (Mn, Me): harakat, tanwin, shadda, khari zabar, hamza..."""
    return "".join(
        ch for ch in _chars_in(_ARABIC_RANGES) if unicodedata.category(ch) in ("Mn", "Me")
    )


@cache
def arabic_letter_set() -> frozenset[str]:
    return frozenset(arabic_letters())


@cache
def arabic_mark_set() -> frozenset[str]:
    return frozenset(arabic_marks())


@cache
def right_joining_letters() -> frozenset[str]:
    """Arabic letters that never join to the following letter (Joining_Type R or U).

    After one of these the space before the next word is invisible, so typists often leave it
    out (بتایاکہ looks exactly like بتایا کہ). Noon ghunna ں is dual-joining in Unicode (Sindhi
    joins it) but in Urdu it only ends words and never joins forward, so it is counted here.
    """
    pattern = regex.compile(r"\p{Joining_Type=Right_Joining}|\p{Joining_Type=Non_Joining}")
    found = {ch for ch in arabic_letters() if pattern.fullmatch(ch)}
    return frozenset(found | {NOON_GHUNNA})


def char_class(chars: str) -> str:
    """A regex character class body for ``chars`` (ranges are not needed: sets are small)."""
    return "".join(regex.escape(ch, special_only=False) if ch in "\\]^-[" else ch for ch in chars)


# --------------------------------------------------------------------------- data files


@cache
def letter_map() -> dict[str, str]:
    """Arabic code point -> Urdu code point (``norm_letters.tsv``)."""
    return {row[0]: row[1] for row in read_tsv("urdu", "norm_letters.tsv")}


@cache
def aspirable_letters() -> frozenset[str]:
    return frozenset(read_lines("urdu", "norm_aspirates.txt"))


@cache
def kept_presentation_forms() -> frozenset[str]:
    kept = set()
    for row in read_tsv("urdu", "norm_presentation_keep.txt"):
        code = row[0]
        if not code.upper().startswith("U+"):
            raise ValueError(f"norm_presentation_keep.txt: bad code point {code!r}")
        kept.add(chr(int(code[2:], 16)))
    return frozenset(kept)


@cache
def number_suffixes() -> tuple[str, ...]:
    """Suffixes written glued to numbers (``norm_number_suffixes.txt``), longest first."""
    return tuple(sorted(read_lines("urdu", "norm_number_suffixes.txt"), key=len, reverse=True))


@cache
def key_folds() -> dict[str, str]:
    """Letter folds of the matching key (``norm_key_folds.tsv``)."""
    return {row[0]: row[1] for row in read_tsv("urdu", "norm_key_folds.tsv")}


# --------------------------------------------------------------------------- tables


def _presentation_expansion(ch: str) -> str:
    """The base letters for one presentation-form character (NFKC of that character alone).

    Isolated and medial forms of harakat (U+FE70..FE7F, some FC5E..FC63 ligatures) decompose to
    a space + mark; the space is an artefact of the decomposition and is dropped.
    """
    expanded = unicodedata.normalize("NFKC", ch)
    if expanded.startswith(" ") and len(expanded) > 1:
        expanded = expanded.lstrip(" ")
    return expanded


@cache
def display_table() -> dict[int, str | None]:
    """One ``str.translate`` table for the character-level steps of the display form.

    Steps: presentation forms -> base letters, Arabic letters -> Urdu letters, tatweel and junk
    controls removed, horizontal spaces -> " ", odd line breaks -> "\\n".
    """
    letters = letter_map()
    table: dict[int, str | None] = {}
    kept = kept_presentation_forms()
    for ch in _chars_in(_PRESENTATION_RANGES):
        if ch in kept or ch == "\ufeff":
            continue
        expanded = _presentation_expansion(ch)
        if expanded == ch:
            continue
        table[ord(ch)] = "".join(letters.get(c, c) for c in expanded).replace(TATWEEL, "")
    for src, dst in letters.items():
        table[ord(src)] = dst
    table[ord(TATWEEL)] = None
    for ch in JUNK:
        table[ord(ch)] = None
    for ch in SPACES:
        table[ord(ch)] = " "
    for ch in ODD_BREAKS:
        table[ord(ch)] = "\n"
    return table


@cache
def key_table() -> dict[int, str | None]:
    """One ``str.translate`` table for the character-level steps of the matching key.

    Arabic combining marks removed, key letter folds, all digits -> ASCII, punctuation and
    symbols (except currency signs) -> space, newline -> space, ZWNJ -> space, ZWJ removed.
    The full stop is left for a rule (kept only as a decimal point between digits).
    """
    table: dict[int, str | None] = {}
    for cp in range(0x10000):  # the BMP; rarer symbols beyond it: see SUPPLEMENTARY_PUNCT
        if 0xD800 <= cp <= 0xDFFF:
            continue
        cat = unicodedata.category(chr(cp))
        if cat[0] == "P" or cat in ("Sm", "Sk", "So"):
            table[cp] = " "
    for ch in arabic_marks():
        table[ord(ch)] = None
    for src, dst in key_folds().items():
        table[ord(src)] = dst
    for digits in (ARABIC_INDIC_DIGITS, URDU_DIGITS):
        for value, ch in enumerate(digits):
            table[ord(ch)] = str(value)
    table[ord("\n")] = " "
    table[ord(ZWNJ)] = " "
    table[ord(ZWJ)] = None
    table[ord(".")] = "."
    table[ord("٫")] = "."  # Arabic decimal separator
    table[ord("٬")] = ","  # Arabic thousands separator, removed between digits by a rule
    table[ord(",")] = ","
    table[ord("ـ")] = None
    return table


# Punctuation and symbols outside the BMP (emoji, musical and math symbols ...) for the key.
SUPPLEMENTARY_PUNCT = regex.compile(r"[\U00010000-\U0010FFFF&&[\p{P}\p{Sm}\p{Sk}\p{So}]]", regex.V1)


@cache
def lexicon_fold_table() -> dict[int, str | None]:
    """Fold used for word-list look-ups: marks, ZWJ and tatweel removed, key letter folds."""
    table: dict[int, str | None] = {ord(ch): None for ch in arabic_marks()}
    for src, dst in key_folds().items():
        table[ord(src)] = dst
    table[ord(ZWJ)] = None
    table[ord(TATWEEL)] = None
    return table


def lexicon_fold(word: str) -> str:
    return word.translate(lexicon_fold_table())


@cache
def loose_folds() -> dict[str, str]:
    """Letter -> the letter it is read as for tolerant, offset-keeping lookup
    (``resources/urdu/fold_loose.tsv``)."""
    return {row[0]: row[1] for row in read_tsv("urdu", "fold_loose.tsv")}


@cache
def loose_fold_table() -> dict[int, str]:
    """``str.translate`` table of :func:`loose_folds`."""
    return str.maketrans(loose_folds())


def loose_fold(text: str) -> str:
    """``text`` with letter variants folded one to one (same length, same offsets).

    >>> loose_fold("كراچي ھفتہ") == "کراچی ہفتہ"
    True
    """
    return text.translate(loose_fold_table())


@cache
def loose_letter_class(letter: str) -> str:
    """A regex character class of every letter read as ``letter`` reads (``ک`` -> ``[ککڪ]``
    in some order), or the escaped letter when nothing folds with it."""
    target = loose_folds().get(letter, letter)
    members = sorted({target} | {k for k, v in loose_folds().items() if v == target})
    if len(members) == 1:
        return regex.escape(letter)
    return "[" + "".join(members) + "]"

"""Sentences and tokens of raw Urdu text (offsets always point into the string given).

Sentences end at newlines and at ``۔ ؟ ! ?``; a Latin full stop ends one only before a capital
letter, an Arabic-script letter or an opening quote, and not after an initial or a known
abbreviation (``resources/urdu/seg_abbreviations.txt``). Never a sentence end: a stop between
digits (``3.5``, ``3۔5``), a ``۔`` inside an acronym written with stops (``پی۔ٹی۔آئی``, names in
``resources/urdu/seg_letter_names.txt``), a stop inside a quotation that closes later on the same
line (``"A۔ B۔"`` stays whole, so a quote stays with its speaker). Closing quotes and brackets
right after the stop stay with their sentence: ``... کی گئی ہے۔"``.

Tokens: ``word`` (Arabic-script or other non-Latin word; diacritics, tatweel and inner ZWNJ/ZWJ
are part of it), ``latin`` (``Pakistan’s``, ``G7``), ``number``, ``punct`` (a run of one
punctuation character: ``۔``, ``...``, ``%``) and ``symbol``. Numbers are kept whole: ``10,000``,
``1,00,000``, ``1.2``, ``٣٫٥``, ``3۔5``, ``۱۲``; the year marks ``ء`` (AD) and ``ھ`` (AH) glued to
digits belong to the number (``2024ء`` is one token: a lone ``ء`` is no word); ``1-2`` is
number, punct, number; ``25%`` is number, punct; ``2024شمالی`` is number, word.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from khabar.resources import read_lines

__all__ = ["Token", "sentence_spans", "sentences", "tokenize"]


@dataclass(frozen=True, slots=True)
class Token:
    """A token of ``text[start:end]``; ``kind`` is word, number, punct, latin or symbol."""

    text: str
    start: int
    end: int
    kind: str


_AR = r"[\p{Arabic}&&\p{L}]"
# Digits of any script; Western (1,234,567) or South Asian (12,34,567) grouping; a decimal
# part unless the number is one field of a dotted date (12.11.2024 -> 12 . 11 . 2024).
_INT = (r"(?:\d{1,3}(?:[,٬]\d{3})+(?!\d)"
        r"|\d{1,3}(?:[,٬]\d{2})+[,٬]\d{3}(?!\d)"
        r"|\d+)")
_DEC = r"(?:(?<!\d[.٫۔]\d+)[.٫۔]\d+(?!\d)(?![.٫۔]\d))"
_NUMBER = rf"(?<!\d){_INT}{_DEC}?[ءھ]?"
_ARABIC_WORD = rf"{_AR}(?:[{_AR}\p{{M}}\u0640]|[\u200c\u200d](?={_AR}|\p{{M}}))*"
_LATIN_WORD = r"[\p{Latin}&&\p{L}][[\p{Latin}&&\p{L}]\p{M}0-9]*(?:['’][\p{Latin}&&\p{L}]+)*"
_OTHER_WORD = r"[[\p{L}\p{M}]--\p{Arabic}--\p{Latin}]+"
_TOKEN = regex.compile(
    rf"(?P<number>{_NUMBER})"
    rf"|(?P<word>{_ARABIC_WORD}|{_OTHER_WORD})"
    rf"|(?P<latin>{_LATIN_WORD})"
    r"|(?P<punct>(?P<mark>\p{P})(?P=mark)*)"
    r"|(?P<symbol>[^\s\p{Cf}])",
    regex.V1,
)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens with offsets into ``text`` (whitespace and invisible format
    characters such as ZWNJ between words, bidi marks and BOMs are skipped)."""
    return [Token(m.group(), m.start(), m.end(), m.lastgroup or "symbol")
            for m in _TOKEN.finditer(text)]


# --------------------------------------------------------------------------- sentences

_TERMINATOR = regex.compile(r"[۔؟!?…]+|\.+")
_CLOSERS = regex.compile(r"[\"'”’“‘»›)\]}]+")
_WORD_CHAR = regex.compile(r"[\p{L}\p{N}]")
_WORD_BEFORE = regex.compile(r"(\S+)$")
_ARABIC_WORD_BEFORE = regex.compile(rf"({_AR}+)\s*$", regex.V1)
_ARABIC_WORD_AFTER = regex.compile(rf"^\s*({_AR}+)", regex.V1)
_SENTENCE_START = regex.compile(r"\s+([\p{Lu}]|[\p{Arabic}&&\p{L}]|[\"'“‘’”«(\[])", regex.V1)
_ARABIC_BEFORE_DOT = regex.compile(rf"{_AR}\p{{M}}*$", regex.V1)
_DIGIT_START = regex.compile(r"\s+\d")
_QUOTE_PAIRS = (("“", "”"), ("”", "“"), ("‘", "’"), ("’", "‘"), ('"', '"'), ("'", "'"),
                ("«", "»"), ("»", "«"))
_QUOTE_CHARS = frozenset("".join(a + b for a, b in _QUOTE_PAIRS))
_LINE_BREAK = regex.compile(r"\r\n|[\n\r\u2028\u2029\x0b\x0c\x85]")


@cache
def _quote_patterns() -> tuple[regex.Pattern[str], ...]:
    # An opening mark not glued to a preceding word, a closing mark not glued to a following
    # one, at most 600 characters apart on one line.
    out = []
    for opener, closer in _QUOTE_PAIRS:
        o, c = regex.escape(opener), regex.escape(closer)
        inner = f"[^{o}{c}\\n]" if opener != closer else f"[^{o}\\n]"
        out.append(regex.compile(
            rf"(?<![\p{{L}}\p{{N}}]){o}(?=\S){inner}{{1,600}}?(?<=\S){c}(?![\p{{L}}\p{{N}}])"))
    return tuple(out)


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(read_lines("urdu", "seg_abbreviations.txt"))


@cache
def _letter_names() -> frozenset[str]:
    return frozenset(read_lines("urdu", "seg_letter_names.txt"))


def _quote_spans(line: str) -> list[tuple[int, int]]:
    if not any(ch in _QUOTE_CHARS for ch in line):
        return []
    return [m.span() for pattern in _quote_patterns() for m in pattern.finditer(line)]


def _is_acronym_stop(line: str, start: int, end: int) -> bool:
    """``۔`` between two letter names or single letters: پی۔ٹی۔آئی, ایم۔ این۔ اے."""
    before = _ARABIC_WORD_BEFORE.search(line, 0, start)
    after = _ARABIC_WORD_AFTER.match(line[end:end + 40])
    if not before or not after:
        return False
    names = _letter_names()
    return all(len(w) == 1 or w in names for w in (before.group(1), after.group(1)))


def _is_abbreviation(line: str, start: int) -> bool:
    word = _WORD_BEFORE.search(line, 0, start)
    if not word:
        return False
    token = word.group(1).lstrip("([\"'“‘").lower()
    if len(token) == 1 and token.isalpha() and token.isascii():
        return True  # an initial: "J. Smith"
    return token in _abbreviations()


def _boundary(line: str, m: regex.Match[str], quotes: list[tuple[int, int]]) -> int | None:
    """Where the sentence ends if terminator ``m`` ends one, else None."""
    start, end = m.span()
    mark = m.group()
    before, after = line[start - 1:start], line[end:end + 1]
    if len(mark) == 1 and mark in ".۔" and before.isdigit() and after.isdigit():
        return None  # a decimal: 3.5, 3۔5
    stop = end
    closers = _CLOSERS.match(line, end)
    if closers and not _WORD_CHAR.match(line, closers.end()):
        stop = closers.end()  # ہے۔" and ہے۔) keep their closing mark
    rest_is_empty = not line[stop:].strip()
    if mark[0] in ".…":
        if rest_is_empty:
            return stop
        if _is_abbreviation(line, start):
            return None
        if not (_SENTENCE_START.match(line, stop)
                or (_DIGIT_START.match(line, stop) and _ARABIC_BEFORE_DOT.search(line, 0, start))):
            return None
    elif "۔" not in mark and "؟" not in mark:
        # Latin ! and ?: only before a space (not in "?id=5" or "Yahoo!News").
        if not rest_is_empty and not line[stop].isspace():
            return None
    elif mark == "۔" and _is_acronym_stop(line, start, end):
        return None
    for q_start, q_end in quotes:
        if q_start < start and stop < q_end:
            return None  # inside a quotation that goes on after this stop
    return stop


def _line_sentence_spans(line: str, offset: int, out: list[tuple[int, int]]) -> None:
    quotes = _quote_spans(line)
    begin = 0
    for m in _TERMINATOR.finditer(line):
        if m.start() < begin:
            continue
        stop = _boundary(line, m, quotes)
        if stop is None:
            continue
        _add_span(line, begin, stop, offset, out)
        begin = stop
    _add_span(line, begin, len(line), offset, out)


def _add_span(line: str, begin: int, stop: int, offset: int, out: list[tuple[int, int]]) -> None:
    piece = line[begin:stop]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        out.append((offset + begin + lead, offset + begin + lead + len(stripped)))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences of ``text`` (see :func:`sentences`)."""
    out: list[tuple[int, int]] = []
    position = 0
    for brk in _LINE_BREAK.finditer(text):
        _line_sentence_spans(text[position:brk.start()], position, out)
        position = brk.end()
    _line_sentence_spans(text[position:], position, out)
    return out


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, stripped, in order; blank lines give none.

    >>> sentences("اجلاس ختم ہو گیا۔ اگلا اجلاس کل ہوگا۔")
    ['اجلاس ختم ہو گیا۔', 'اگلا اجلاس کل ہوگا۔']
    """
    return [text[start:end] for start, end in sentence_spans(text)]

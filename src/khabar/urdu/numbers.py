"""Numbers in raw Urdu text: digits of any script, number words, scale words, ranges, vague
quantities.

``find_numbers`` returns every quantity in a text as a :class:`Number` with offsets into the
text; ``parse_number`` reads a text that is one number expression. What is understood:

* digits: Latin, Urdu ``۰-۹``, Arabic-Indic ``٠-٩``; thousands ``,`` ``٬`` in Western or South
  Asian grouping (``10,000``, ``1,00,000``); decimals ``.`` ``٫`` and ``۔`` between digits;
  the year marks ``2024ء`` / ``1446ھ`` (the value is the year);
* number words 0-99, ``ڈیڑھ`` 1.5, ``ڈھائی`` 2.5, scale words ``سو ہزار لاکھ کروڑ ارب کھرب ملین
  بلین درجن`` after digits or words (``5 لاکھ``, ``1.2 ارب``, ``دو لاکھ پچاس ہزار``), and the
  prefixes ``سوا`` (+¼) ``ساڑھے`` (+½) ``پونے`` (-¼) of the number that follows (``سوا لاکھ`` =
  125000, ``پونے دو سو`` = 175);
* ranges ``10 سے 12``, ``10-12``, ``دو یا تین``, ``10 تا 12``, ``دو تین`` (the scale of the upper
  end applies to the lower: ``10 سے 12 ہزار`` = 10000..12000), and ``2023-24`` = 2023..2024;
* percentages ``25%``, ``25 فیصد`` (``percent=True``, the sign or word is part of the text);
* vague quantities ``درجنوں سیکڑوں ہزاروں لاکھوں کروڑوں اربوں کئی متعدد چند`` (also ``کئی ہزار``,
  ``دسیوں ہزار``): ``kind="vague"``, ``value=None`` and an order of ``magnitude``;
* ordinals (``پہلی بار``, ``دوسرا``, ``21ویں``) are not quantities: they are left out, and
  returned as ``kind="ordinal"`` only when asked (``ordinals=True``).

Approximators (تقریباً، لگ بھگ، سے زائد ...) belong to the later claims stage, not here.
Words that are also ordinary words are guarded: ``اسی`` ("that same"), ``بہتر`` ("better"),
``ایک`` ("a") and ``سو`` count only next to another number word, digits or ``فیصد``; ``نو``,
``بیس``, ``دو`` not inside the phrases of ``resources/urdu/num_not_numbers.tsv`` (``از سر نو``,
``ایئر بیس``, ``کر دو``). Word lists: ``resources/urdu/num_words.tsv``.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache

import regex

from khabar.resources import read_lines, read_tsv
from khabar.urdu._chars import loose_fold_table
from khabar.urdu.segment import Token, tokenize

__all__ = ["Number", "find_numbers", "parse_number"]


@dataclass(frozen=True, slots=True)
class Number:
    """A quantity found in a text, ``text[start:end]``.

    ``value`` is an int or float, or None for ranges (see ``low``/``high``) and vague
    quantities. ``low``/``high`` are the bounds of a range and equal ``value`` for a single
    number. ``kind``: ``digits`` (written with digits, perhaps with a scale word), ``words``,
    ``vague`` or ``ordinal``. ``scale`` is the largest scale word as written (``لاکھ``),
    ``magnitude`` the order of magnitude (floor of log10; for vague words the one they imply:
    ہزاروں 3, کئی ہزار 3, درجنوں 1, کئی 0; None when unknown).
    """

    text: str
    start: int
    end: int
    value: int | float | None
    low: int | float | None = None
    high: int | float | None = None
    kind: str = "digits"
    scale: str | None = None
    magnitude: int | None = None
    percent: bool = False


# --------------------------------------------------------------------------- resources

_MARKS = regex.compile(r"[\p{M}\u0640\u200c\u200d]")
_PRESENTATION = regex.compile(r"[\uFB50-\uFDCF\uFE70-\uFEFF]")
_RANGE_MARKS = frozenset({"-", "–", "—", "‒"})
_PERCENT_MARKS = frozenset({"%", "٪", "﹪", "％"})
_DIGIT_VALUES = {ord(c): str(unicodedata.digit(c)) for c in
                 "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९"}
_NUMBER_CLEAN = str.maketrans({",": "", "٬": "", "٫": ".", "۔": ".", "ء": "", "ھ": ""})


@cache
def _ordinal_suffixes() -> frozenset[str]:
    return frozenset(_key(w) for w in read_lines("urdu", "ordinal_suffixes.txt"))


@cache
def _range_words() -> frozenset[str]:
    return frozenset(_key(w) for w in read_lines("urdu", "range_words.txt"))


def _key(word: str) -> str:
    """The lookup form of a word: no diacritics, folded Arabic code points, lower case."""
    if _PRESENTATION.search(word):
        word = unicodedata.normalize("NFKC", word)
    if _MARKS.search(word):
        word = _MARKS.sub("", word)
    return word.translate(loose_fold_table()).lower()


@dataclass(frozen=True, slots=True)
class _Entry:
    type: str  # cardinal scale prefix vague ordinal percent
    value: Decimal | None
    flag: str


@dataclass(frozen=True, slots=True)
class _Tables:
    words: dict[str, _Entry]
    phrases: dict[str, tuple[tuple[tuple[str, ...], _Entry], ...]]  # first word -> phrases
    idioms: dict[str, tuple[tuple[int, tuple[str, ...]], ...]]  # number word -> (index, phrase)


@cache
def _tables() -> _Tables:
    words: dict[str, _Entry] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], _Entry]]] = {}
    for row in read_tsv("urdu", "num_words.tsv"):
        value = None if row[2] in ("", "-") else Decimal(row[2])
        entry = _Entry(row[1], value, row[3] if len(row) > 3 else "")
        parts = tuple(_key(w) for w in row[0].split())
        if len(parts) == 1:
            words[parts[0]] = entry
        else:
            phrases.setdefault(parts[0], []).append((parts, entry))
    idioms: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for line in read_lines("urdu", "num_not_numbers.tsv"):
        parts = tuple(_key(w) for w in line.split("\t")[0].split())
        for index, part in enumerate(parts):
            if part in words and words[part].flag == "weak":
                idioms.setdefault(part, []).append((index, parts))
    return _Tables(
        words,
        {k: tuple(sorted(v, key=lambda p: -len(p[0]))) for k, v in phrases.items()},
        {k: tuple(v) for k, v in idioms.items()},
    )


@lru_cache(maxsize=1 << 16)
def _lookup(word: str) -> tuple[str, _Entry | None]:
    key = _key(word)
    return key, _tables().words.get(key)


# --------------------------------------------------------------------------- items


@dataclass(slots=True)
class _Item:
    """One number-ish token (or phrase) with what it means."""

    type: str  # digits cardinal scale prefix vague ordinal percent range
    start: int
    end: int
    text: str
    value: Decimal | None = None
    flag: str = ""
    first: int = 0  # index of its first token
    last: int = 0  # index of its last token


def _digits_value(text: str) -> Decimal:
    return Decimal(text.translate(_NUMBER_CLEAN).translate(_DIGIT_VALUES))


def _gap_is_space(text: str, end: int, start: int) -> bool:
    return end == start or not text[end:start].strip(" \t\u00a0\u200b\u200c\u200d\u200e\u200f")


def _is_idiom(keys: list[str], index: int) -> bool:
    for offset, phrase in _tables().idioms.get(keys[index], ()):
        begin = index - offset
        if begin >= 0 and tuple(keys[begin:begin + len(phrase)]) == phrase:
            return True
    return False


def _items(text: str, tokens: list[Token]) -> list[_Item | None]:
    """One entry per token position: an item where a number-ish thing starts, else None
    (phrases cover several positions; the positions they swallow hold None too)."""
    keys = [""] * len(tokens)
    entries: list[_Entry | None] = [None] * len(tokens)
    for i, token in enumerate(tokens):
        if token.kind in ("word", "latin"):
            keys[i], entries[i] = _lookup(token.text)
        elif token.kind == "punct":
            keys[i] = token.text
    out: list[_Item | None] = [None] * len(tokens)
    phrases = _tables().phrases
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "number":
            out[i] = _Item("digits", token.start, token.end, token.text,
                           _digits_value(token.text), first=i, last=i)
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is not None and keys[i + 1] in _ordinal_suffixes() and (
                    nxt.kind == "word" or nxt.start == token.end):
                item = out[i]
                item.type, item.end, item.last = "ordinal", nxt.end, i + 1
                item.text = text[item.start:item.end]
                i += 2
                continue
            i += 1
            continue
        key = keys[i]
        for phrase, entry in phrases.get(key, ()):
            j = i + len(phrase)
            if tuple(keys[i:j]) == phrase:
                out[i] = _Item(entry.type, token.start, tokens[j - 1].end,
                               text[token.start:tokens[j - 1].end], entry.value, entry.flag,
                               i, j - 1)
                i = j
                break
        else:
            entry = entries[i]
            if entry is not None:
                if not (entry.flag == "weak" and _is_idiom(keys, i)):
                    out[i] = _Item(entry.type, token.start, token.end, token.text,
                                   entry.value, entry.flag, i, i)
            elif key in _PERCENT_MARKS:
                out[i] = _Item("percent", token.start, token.end, token.text, first=i, last=i)
            elif key in _RANGE_MARKS or key in _range_words():
                out[i] = _Item("range", token.start, token.end, token.text, first=i, last=i)
            i += 1
    return out


# --------------------------------------------------------------------------- assembling


@dataclass(slots=True)
class _Draft:
    """A number being assembled (internal; becomes a :class:`Number`)."""

    start: int
    end: int
    kind: str  # digits words vague ordinal
    value: Decimal | None
    parts: int = 1  # items it was built from ("ایک" alone is no number)
    lonely: bool = False  # built only from a "company" word
    scale: str | None = None
    multiplier: Decimal = Decimal(1)
    magnitude: int | None = None
    percent: bool = False
    low: Decimal | None = None
    high: Decimal | None = None
    leading_zero: bool = False
    first: int = 0
    last: int = 0


_NUMERIC = frozenset({"digits", "cardinal", "scale", "prefix"})


@dataclass(slots=True)
class _Sum:
    """The running sum while reading number words left to right."""

    total: Decimal = Decimal(0)  # what is already multiplied by ہزار/لاکھ/...
    current: Decimal = Decimal(0)  # the group below the last big scale word
    current_scale: Decimal = Decimal(1)  # سو/درجن applied to ``current`` (دو سو + پچاس)
    big: Decimal | None = None  # the last big scale word (>= 1000)
    adjust: Decimal = Decimal(0)  # a pending سوا/ساڑھے/پونے
    current_from: int = 0  # index in ``items`` where ``current`` began
    scale_item: _Item | None = None
    has_value: bool = False
    items: list[_Item] = field(default_factory=list)

    def draft(self) -> _Draft | None:
        if not self.has_value or not self.items:
            return None  # a prefix with nothing after it: "کے سوا"
        items = self.items
        digits = any(item.type == "digits" for item in items)
        first_text = items[0].text.translate(_DIGIT_VALUES)
        return _Draft(
            items[0].start, items[-1].end, "digits" if digits else "words",
            self.total + self.current, parts=len(items),
            lonely=len(items) == 1 and items[0].flag == "company",
            scale=self.scale_item.text if self.scale_item else None,
            multiplier=self.scale_item.value if self.scale_item else Decimal(1),
            leading_zero=digits and len(items) == 1 and len(first_text) > 1
            and first_text.startswith("0"),
            first=items[0].first, last=items[-1].last)


def _assemble(group: list[_Item]) -> list[_Draft]:
    """Turn a run of adjacent numeric items into numbers: دو لاکھ پچاس ہزار = 250000,
    ایک ہزار دو سو پچاس = 1250, سوا دو سو = 225; two plain numbers side by side stay two."""
    out: list[_Draft] = []
    acc = _Sum()

    def restart() -> _Sum:
        draft = acc.draft()
        if draft is not None:
            out.append(draft)
        return _Sum()

    for item in group:
        if item.type == "prefix":
            if acc.has_value or acc.adjust:
                acc = restart()
            acc.adjust = item.value
        elif item.type in ("digits", "cardinal"):
            value = item.value + acc.adjust
            if acc.current and not (acc.current_scale > 1 and value < acc.current_scale):
                acc = restart()  # "دو تین", "12 2024": two numbers side by side
                value = item.value
            elif acc.current:
                acc.current_scale = Decimal(1)  # دو سو + پچاس
            elif acc.big is not None and value >= acc.big:
                acc = restart()  # "پانچ ہزار 2024": the digits are another number
                value = item.value
            if not acc.current:
                acc.current_from = len(acc.items)
            acc.current += value
            acc.adjust = Decimal(0)
        else:  # a scale word
            scale = item.value
            base = acc.current or (Decimal(1) + acc.adjust)
            if scale < 1000:  # سو, درجن multiply the current group only
                if acc.current_scale > 1:
                    acc = restart()
                    base = Decimal(1)
                if not acc.current:
                    acc.current_from = len(acc.items)
                acc.current, acc.current_scale = base * scale, scale
            elif acc.big is not None and scale >= acc.big:
                if not acc.current and acc.total:
                    acc.total *= scale  # "ہزار ملین"
                else:  # "پانچ ہزار چھ ہزار": the group since the last scale starts anew
                    carried, acc.items = acc.items[acc.current_from:], acc.items[:acc.current_from]
                    acc.current = Decimal(0)
                    acc = restart()
                    acc.items, acc.total = carried, base * scale
                acc.big = scale
            else:
                acc.total += base * scale
                acc.current, acc.current_scale, acc.big = Decimal(0), Decimal(1), scale
            if acc.scale_item is None or scale > acc.scale_item.value:
                acc.scale_item = item
            acc.adjust = Decimal(0)
        acc.items.append(item)
        acc.has_value = acc.has_value or item.type != "prefix"
    restart()
    return out


def _vague(group: list[_Item]) -> _Draft:
    """A vague word and the scale words after it: ہزاروں, کئی ہزار, دسیوں ہزار."""
    head = group[0]
    magnitude = None if head.value is None else int(head.value)
    scale_item = None
    for item in group[1:]:
        if magnitude is not None:
            magnitude += round(math.log10(item.value))
        scale_item = item
    return _Draft(head.start, group[-1].end, "vague", None, parts=len(group),
                  scale=scale_item.text if scale_item else None, magnitude=magnitude,
                  first=head.first, last=group[-1].last)


def _drafts(text: str, items: list[_Item | None]) -> list[_Draft | _Item]:
    """Numbers assembled from runs of adjacent items, with the range/percent items kept in
    between for the later passes."""
    out: list[_Draft | _Item] = []
    run: list[_Item] = []

    def close() -> None:
        if not run:
            return
        out.extend([_vague(run)] if run[0].type == "vague" else _assemble(run))
        run.clear()

    previous_end = -1
    for item in items:
        if item is None:
            close()
            previous_end = -1
            continue
        adjacent = run and _gap_is_space(text, previous_end, item.start)
        if item.type in _NUMERIC:
            if run and (not adjacent or (run[0].type == "vague"
                        and item.type != "scale")):
                close()
            if item.type == "prefix" and run:
                close()
            run.append(item)
        elif item.type == "vague":
            close()
            run.append(item)
        else:
            close()
            out.append(item)
        previous_end = item.end
    close()
    return out


def _numeric(entry: _Draft | _Item | None) -> bool:
    return isinstance(entry, _Draft) and entry.kind in ("digits", "words")


def _apply_percent(text: str, entries: list[_Draft | _Item]) -> list[_Draft | _Item]:
    out: list[_Draft | _Item] = []
    for entry in entries:
        if (isinstance(entry, _Item) and entry.type == "percent" and out
                and _numeric(out[-1]) and _gap_is_space(text, out[-1].end, entry.start)):
            draft = out[-1]
            draft.percent, draft.end, draft.last = True, entry.end, entry.last
            draft.lonely = False  # سو فیصد
            continue
        out.append(entry)
    return out


def _as_range(text: str, low: _Draft, mark: _Item, high: _Draft) -> _Draft | None:
    if not (_gap_is_space(text, low.end, mark.start) and _gap_is_space(text, mark.end, high.start)):
        return None
    lo, hi = low.value, high.value
    if mark.type == "range" and mark.text in _RANGE_MARKS:
        if low.leading_zero or high.leading_zero or low.kind != "digits" or high.kind != "digits":
            return None
        width = sum(ch.isdigit() for ch in text[high.start:high.end])
        if lo >= 1000 and hi < 100 and low.multiplier == 1 and high.multiplier == 1:
            hi = lo - lo % (10 ** width) + hi  # 2023-24
    if low.multiplier == 1 and high.multiplier > 1 and lo * high.multiplier < hi:
        lo = lo * high.multiplier  # 10 سے 12 ہزار
    if not lo < hi:
        return None
    return _Draft(low.start, high.end, "digits" if "digits" in (low.kind, high.kind) else "words",
                  None, parts=low.parts + high.parts, scale=high.scale or low.scale,
                  multiplier=high.multiplier, percent=high.percent or low.percent, low=lo,
                  high=hi, first=low.first, last=high.last)


def _apply_ranges(text: str, entries: list[_Draft | _Item]) -> list[_Draft | _Item]:
    out: list[_Draft | _Item] = []
    i = 0
    while i < len(entries):
        entry = entries[i]
        if (i + 2 < len(entries) and _numeric(entry) and isinstance(entries[i + 1], _Item)
                and entries[i + 1].type == "range" and _numeric(entries[i + 2])):
            mark = entries[i + 1]
            # 12-11-2024 is a date, not a range: no ranges inside a chain of hyphens.
            chain = mark.text in _RANGE_MARKS and (
                (i + 4 < len(entries) and isinstance(entries[i + 3], _Item)
                 and entries[i + 3].text in _RANGE_MARKS and _numeric(entries[i + 4])
                 and entries[i + 2].last + 1 == entries[i + 3].first)
                or (out and isinstance(out[-1], _Item) and out[-1].text in _RANGE_MARKS
                    and out[-1].last + 1 == entry.first))
            joined = None if chain else _as_range(text, entry, mark, entries[i + 2])
            if joined is not None:
                out.append(joined)
                i += 3
                continue
        if (i + 1 < len(entries) and _numeric(entry) and _numeric(entries[i + 1])
                and entry.kind == entries[i + 1].kind == "words"
                and entry.last + 1 == entries[i + 1].first
                and entry.parts == entries[i + 1].parts == 1
                and entry.value < 10 and entries[i + 1].value == entry.value + 1):
            # "دو تین دن": two neighbouring small number words are a range.
            nxt = entries[i + 1]
            out.append(_Draft(entry.start, nxt.end, "words", None, parts=2, low=entry.value,
                              high=nxt.value, percent=nxt.percent, first=entry.first,
                              last=nxt.last))
            i += 2
            continue
        out.append(entry)
        i += 1
    return out


def _plain(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _magnitude(value: Decimal | None) -> int | None:
    if value is None or value <= 0:
        return None
    return math.floor(math.log10(value))


def _to_number(text: str, draft: _Draft) -> Number:
    if draft.kind == "vague":
        return Number(text[draft.start:draft.end], draft.start, draft.end, None, kind="vague",
                      scale=draft.scale, magnitude=draft.magnitude)
    if draft.low is not None:
        return Number(text[draft.start:draft.end], draft.start, draft.end, None,
                      low=_plain(draft.low), high=_plain(draft.high), kind=draft.kind,
                      scale=draft.scale, magnitude=_magnitude(draft.high), percent=draft.percent)
    value = _plain(draft.value)
    return Number(text[draft.start:draft.end], draft.start, draft.end, value, low=value,
                  high=value, kind=draft.kind, scale=draft.scale,
                  magnitude=_magnitude(draft.value), percent=draft.percent)


def find_numbers(text: str, *, ordinals: bool = False) -> list[Number]:
    """Every quantity in ``text``, in order (see the module doc for what is understood).

    >>> [n.value for n in find_numbers("ہفتے میں 2 بار اور دو سو پچاس افراد")]
    [2, 250]
    """
    tokens = tokenize(text)
    if not tokens:
        return []
    items = _items(text, tokens)
    ordinal_items = [item for item in items if item is not None and item.type == "ordinal"]
    # ordinals break runs of numbers and never join them
    for index, item in enumerate(items):
        if item is not None and item.type == "ordinal":
            items[index] = None
    entries = _apply_ranges(text, _apply_percent(text, _drafts(text, items)))
    drafts = [e for e in entries if isinstance(e, _Draft) and not e.lonely]
    numbers = [_to_number(text, d) for d in drafts]
    if ordinals:
        numbers.extend(
            Number(item.text, item.start, item.end, _plain(item.value), low=_plain(item.value),
                   high=_plain(item.value), kind="ordinal", magnitude=_magnitude(item.value))
            for item in ordinal_items)
        numbers.sort(key=lambda n: n.start)
    return numbers


def parse_number(text: str) -> Number | None:
    """``text`` as one number expression (``"1.2 ارب"``, ``"ڈیڑھ لاکھ"``, ``"ہزاروں"``,
    ``"10 سے 12"``, ``"25%"``, ``"پہلی"``), or None when it is not exactly one number
    (surrounding whitespace is allowed). Offsets refer to ``text``."""
    found = find_numbers(text, ordinals=True)
    if len(found) != 1:
        return None
    number = found[0]
    if text[:number.start].strip() or text[number.end:].strip():
        return None
    return number

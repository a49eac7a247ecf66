"""A temporal tagger for Urdu news: absolute dates, partial dates and relative expressions.

``find_dates(text, published=None)`` returns :class:`DateMention` objects with offsets into
``text`` (display form, see :func:`khabar.urdu.normalize`; Arabic code points and diacritics are
tolerated too). What is understood:

* day, month and year: ``12 نومبر 2024``, ``12 نومبر، 2024``, ``نومبر 12, 2024``, ``۱۲ نومبر ۲۰۲۴``
  (any digits), ``12/11/2024`` (day first, the Pakistani order; month first only when the day
  cannot be a month), ``2024-11-12``; ``12 اور 13 نومبر`` gives two mentions;
* month and year ``نومبر 2024``; year ``2024ء``, ``1857ء``, ``سن 2024``, ``2024 میں``; decades
  ``1990 کی دہائی``; a bare number is never a year without such a context;
* a month alone in a date context: ``جون میں``, ``ماہ جون``, ``اپریل سے``; a day written after its
  month: ``جون کی 5 تاریخ``, ``محرم الحرام کی 9 اور 10 تاریخ`` (two mentions);
* Islamic months (``10 محرم الحرام 1446ھ``, ``رمضان المبارک میں``; with its epithet a month is a
  date alone: ``رمضان المبارک کا چاند``), see *Hijri* below; Solar Hijri days with their year
  (``۲۶ اردیبهشت ۱۴۰۴``, Persian pages) are converted to Gregorian days;
* weekdays next to a day word: ``منگل کے روز``, ``منگل کو``, ``بروز جمعہ``, ``گزشتہ اتوار کو``,
  ``ہفتہ تک``, ``پیر سے``, Persian ``روز جمعہ``, English ``on Friday`` (``ہفتہ`` is Saturday only
  so, and not after a count or a determiner: ``ہفتے میں 2 بار`` is "per week", ``گزشتہ ہفتے``
  "last week", ``دو ہفتے تک`` "for two weeks"; a genitive before it makes a weekday word a noun:
  ``ان کے پیر سے``);
* side by side: a weekday or a near relative day before a date is part of it (``منگل 27
  جنوری``, ``کل بدھ 18 فروری``); a relative year before a month dates the month (``گزشتہ برس
  ستمبر``);
* relative expressions (``resources/time/relative.tsv``): ``آج``, ``کل``, ``پرسوں``, ``گزشتہ روز``,
  ``گزشتہ ہفتے``, ``گزشتہ ماہ``, ``گزشتہ برس``, ``آئندہ سال``, ``رواں ماہ``, ``اس سال``, the weekend
  ``ہفتے کے آخر`` ..., counted ones (``resources/time/ago.tsv``): ``تین روز قبل``, ``2 ہفتے پہلے``,
  and stretches up to or from the publication date: ``گزشتہ دو روز``, ``آئندہ تین روز``,
  ``گزشتہ 24 گھنٹوں``;
* holidays (``resources/time/holidays.tsv``): ``ایسٹر``, ``کرسمس``, ``عید الفطر``, ``یوم عاشور``
  ...; a weekday after an Islamic holiday settles its day (``یوم عاشور یعنی اتوار``: Pakistan's
  moon sighting may differ from the tables) and a date after a holiday is the mention.

Values (``DateMention.value``), one string in every case:

* ``2024-11-12`` day, ``2024-11`` month, ``2024`` year, ``2024-W45`` ISO week, ``199X`` decade;
  ``a/b`` a stretch of days, weeks or months (``2024-11-10/2024-11-11``, a weekend too);
* ``XXXX-06-12``, ``XXXX-06``: the year is unknown (no year in the text, no publication date);
* Hijri: a Hijri day whose year is known (written, or taken from the publication date) is
  converted to the Gregorian day with ``hijridate`` (Umm al-Qura tables, 1343-1500 AH; Pakistan
  and India follow local moon sighting, so the true day may differ by one or two) and the Hijri
  date is kept in ``DateMention.hijri`` (``1446-01-10``). A Hijri month or year is not a
  Gregorian month or year, so it keeps a Hijri value: ``AH1446-09``, ``AH1446``; without a year,
  ``AHXXXX-09`` / ``AHXXXX-09-27``. Without ``hijridate`` installed Hijri days stay ``AH...``.
* relative, when no publication date anchors it (or ``کل`` whose tense is unknown): ``REL`` +
  signed count + unit, ``REL-1Y`` (گزشتہ برس), ``REL+0D`` (آج), ``REL-1W`` (گزشتہ ہفتے), ``REL+1M``
  (آئندہ ماہ), ``REL+1E`` (the coming weekend), ``REL-2D/REL-1D`` (گزشتہ دو روز), or ``REL`` +
  sign + weekday for a weekday, ``REL-TU`` (the latest Tuesday on or before the reference date),
  ``REL+TU`` (the next one on or after it).

Roles: ``published`` for the publication date (a full date equal to ``published`` at the start of
one of the first lines; when ``published`` is not given, a full date opening one of the first
three lines and not followed by a postposition is taken as the publication date and anchors the
relative expressions), ``event`` for every date with a calendar value (absolute, or relative and
resolved against the publication date), ``relative`` for a relative expression left as ``REL...``.

Tense decides the direction where Urdu leaves it open: ``کل`` is yesterday in a past clause (نے،
تھا، گیا، کیا ...) and tomorrow in a future one (گا/گی/گے); with no tense marker it stays
``relative`` with value ``REL-1D`` (news mostly reports what happened). Modals and expectations
look ahead (``سکتا ہے``، ``کی توقع ہے``، ``ہونا ہے``), and an ``اور`` after a verb ends its clause. A
weekday or a partial date is placed before the publication date unless its clause is in the
future tense, or the publication date is the eve of that month. ``کل`` is no date
in ``کل 500 افراد`` (before a number), ``کل تعداد``, ``آج کل`` ... (``resources/time/not_dates.txt``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

import regex

from khabar.resources import read_lines, read_tsv
from khabar.urdu._chars import loose_fold_table, loose_folds, loose_letter_class
from khabar.urdu.numbers import Number, find_numbers

__all__ = ["DateMention", "find_dates", "phrase_key", "phrase_regex", "resolve_relative"]


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression ``text`` at ``start:end`` of the text it was found in.

    ``granularity``: day, week, month, year or decade. ``calendar``: gregorian or islamic.
    ``relative`` holds the ``REL...`` form of a relative expression (also once resolved),
    ``hijri`` the Hijri date or month of an Islamic date (``1446-09-27``, ``1446-09``).
    """

    text: str
    start: int
    end: int
    value: str
    role: str
    granularity: str
    calendar: str = "gregorian"
    relative: str | None = None
    hijri: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------------- patterns

_L = r"[\p{L}\p{M}]"
_WB = rf"(?<!{_L})"  # word start
_WE = rf"(?!{_L})"  # word end
_MARKS = r"[\p{Mn}\u0640]*"
_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _phrase(phrase: str) -> str:
    """A regex for a phrase of the data files: letter variants, optional diacritics, flexible
    spaces (also ZWNJ or none inside a phrase: ربیع الاول / ربیع‌الاول)."""
    out = []
    for ch in phrase:
        if ch.isspace():
            out.append(r"[\s\u200c]*")
        elif ch in _FOLDING_LETTERS:
            out.append(loose_letter_class(ch) + _MARKS)
        elif unicodedata.category(ch) == "Mn":
            out.append(regex.escape(ch) + "?")
        else:
            out.append(regex.escape(ch) + _MARKS)
    return "".join(out)


def _fuzzy_alternation(phrases: Iterable[str]) -> str:
    unique = sorted(set(phrases), key=lambda p: (-len(p), p))
    if not unique:
        return "(?!)"  # nothing to match: never match (an empty group would match everywhere)
    return "(?:" + "|".join(_phrase(p) for p in unique) + ")"


def _alternation(phrases: Iterable[str]) -> str:
    """A regex for data phrases matched in folded text (see :func:`_fold`): literal letters,
    flexible spaces. Literal patterns are 4-6 times faster than letter classes."""
    unique = sorted({_fold_phrase(p) for p in phrases}, key=lambda p: (-len(p), p))
    if not unique:
        return "(?!)"  # nothing to match: never match (an empty group would match everywhere)
    return "(?:" + "|".join(
        "".join(r"\s*" if ch == " " else regex.escape(ch) for ch in p) for p in unique) + ")"


def phrase_regex(phrases: Iterable[str]) -> str:
    """A non-capturing regex alternation of data-file phrases, longest first, tolerant of Arabic
    letter variants, diacritics and spacing (shared by the facts extractors)."""
    return _fuzzy_alternation(phrases)


def phrase_key(text: str) -> str:
    """The lookup form of a matched phrase (see :func:`phrase_regex`)."""
    return _key(text)


_KEY_DROP = regex.compile(r"[\p{Mn}\u0640\u200c\u200d]")
_MARK_OR_TATWEEL = regex.compile(r"[\p{Mn}\u0640]")
_FOLDING_LETTERS = frozenset(loose_folds()) | frozenset(loose_folds().values())


def _key(word: str) -> str:
    """A lookup form for matched words: no marks, no ZWNJ, canonical letters, single spaces."""
    word = _KEY_DROP.sub("", word).translate(loose_fold_table())
    return " ".join(word.split())


def _lookup(phrase: str) -> str:
    """The key of a data phrase in the lookup tables: :func:`_key` without spaces, because the
    patterns match phrases with or without them (شب قدر and شبقدر, عید الفطر and عیدالفطر)."""
    return _key(phrase).replace(" ", "")


def _fold_phrase(phrase: str) -> str:
    return _key(phrase)


@dataclass(frozen=True, slots=True)
class _Folded:
    """A text with letter variants folded and diacritics, tatweel, ZWNJ/ZWJ dropped, and the
    way back to the original offsets."""

    text: str
    original: str
    removed: list[int]  # original offsets of the dropped characters
    shifts: list[int]  # for each dropped character, the folded offset of what follows it

    def start(self, i: int) -> int:
        return i + bisect.bisect_right(self.shifts, i) if self.removed else i

    def end(self, i: int) -> int:
        """The original end offset of a span that ends at folded ``i`` (marks after its last
        letter stay with it)."""
        if not self.removed or i == 0:
            return i
        out = self.start(i - 1) + 1
        while out < len(self.original) and _MARK_OR_TATWEEL.match(self.original[out]):
            out += 1
        return out

    def fold(self, o: int) -> int:
        """The folded offset of original offset ``o``."""
        return o - bisect.bisect_left(self.removed, o) if self.removed else o


def _fold(text: str) -> _Folded:
    translated = text.translate(loose_fold_table())
    removed = [m.start() for m in _KEY_DROP.finditer(translated)]
    if not removed:
        return _Folded(translated, text, [], [])
    return _Folded(_KEY_DROP.sub("", translated), text, removed,
                   [r - j for j, r in enumerate(removed)])


@dataclass(frozen=True, slots=True)
class _Data:
    months: dict[str, tuple[str, int]]  # key -> (calendar, number)
    ambiguous_months: frozenset[str]
    hijri_eras: frozenset[str]
    weekdays: dict[str, tuple[int, bool]]  # key -> (ISO weekday, strict)
    relative: dict[str, tuple[str, str]]  # key -> (offset, unit)
    units: dict[str, str]
    directions: dict[str, int]
    counts: dict[str, int]
    spans: dict[str, int]  # key -> -1 (گزشتہ) or 1 (آئندہ)
    holidays: dict[str, tuple[str, int, int]]  # key -> (calendar, month, day)
    week_before: frozenset[str]
    not_before_weekday: frozenset[str]
    standalone_months: frozenset[str]
    context: dict[str, tuple[str, ...]]
    past: frozenset[str]
    future: frozenset[str]
    rx_dmy: regex.Pattern[str]
    rx_mdy: regex.Pattern[str]
    rx_my: regex.Pattern[str]
    rx_numeric: regex.Pattern[str]
    rx_iso: regex.Pattern[str]
    rx_year: regex.Pattern[str]
    rx_month: regex.Pattern[str]
    rx_weekday: regex.Pattern[str]
    rx_relative: regex.Pattern[str]
    rx_ago: regex.Pattern[str]
    rx_span: regex.Pattern[str]
    rx_span_unit: regex.Pattern[str]
    rx_holiday: regex.Pattern[str]
    rx_month_day: regex.Pattern[str]
    rx_weekday_name: regex.Pattern[str]
    rx_apposition: regex.Pattern[str]
    rx_not_dates: regex.Pattern[str] | None
    rx_tense: regex.Pattern[str]
    rx_boundary: regex.Pattern[str]
    rx_postposition: regex.Pattern[str]
    rx_clock: regex.Pattern[str]


def _context_alt(context: dict[str, tuple[str, ...]], kind: str) -> str:
    return _alternation(context.get(kind, ()))


@cache
def _data() -> _Data:
    months: dict[str, tuple[str, int]] = {}
    ur: list[str] = []
    en: list[str] = []
    for row in read_tsv("time", "months.tsv"):
        name, calendar, number, lang = row[0], row[1], int(row[2]), row[3]
        if lang == "ur" or calendar == "persian":  # Solar Hijri days are converted
            ur.append(name)
            months[_lookup(name)] = (calendar, number)
        elif lang == "en" and calendar == "gregorian":
            en.append(name)
            months[name.lower()] = (calendar, number)
    context: dict[str, list[str]] = {}
    for kind, phrase in read_tsv("time", "context.tsv"):
        context.setdefault(kind, []).append(phrase)
    ctx = {kind: tuple(v) for kind, v in context.items()}
    weekdays = {_lookup(row[0]): (int(row[1]), len(row) > 2 and row[2] == "strict")
                for row in read_tsv("time", "weekdays.tsv")}
    relative = {_lookup(row[0]): (row[1], row[2]) for row in read_tsv("time", "relative.tsv")}
    units: dict[str, str] = {}
    directions: dict[str, int] = {}
    counts: dict[str, int] = {}
    spans: dict[str, int] = {}
    for kind, word, value in read_tsv("time", "ago.tsv"):
        if kind == "unit":
            units[_lookup(word)] = value
        elif kind == "direction":
            directions[_lookup(word)] = int(value)
        elif kind == "count":
            counts[_lookup(word)] = int(value)
        elif kind == "span":
            spans[_lookup(word)] = int(value)
    holidays = {_lookup(row[0]): (row[1], int(row[2]) if row[2] != "-" else 0,
                               int(row[3]) if row[3] != "-" else 0)
                for row in read_tsv("time", "holidays.tsv")}
    past: set[str] = set()
    future: set[str] = set()
    suffixes: list[str] = []
    habitual: list[str] = []
    for kind, word in read_tsv("time", "tense.tsv"):
        if kind == "habitual":
            habitual.append(word)
        if kind == "past":
            past.add(word)
        elif kind == "future":
            future.add(word)
        elif kind == "future_suffix":
            suffixes.append(word)

    m_ur = _alternation(ur)
    m_en = ("(?=[A-Za-z])(?i:"
            + "|".join(sorted((regex.escape(e) for e in en), key=len, reverse=True)) + ")")
    month_any = f"(?:{m_ur}|{m_en}(?![A-Za-z]))"
    ordinals = _alternation(w for w in read_lines("urdu", "ordinal_suffixes.txt")
                            if not w.isascii())
    day = rf"(?<![\p{{N}}/.\-])(?P<d>\d{{1,2}})(?!\d)(?:\s*{ordinals})?"
    day_range = _context_alt(ctx, "day_range")
    connectives = [w for w, when in read_tsv("urdu", "clause_connectives.tsv") if when == "always"]
    era = f"(?:\\s*(?P<era>{_context_alt(ctx, 'era')}|{_context_alt(ctx, 'hijri_era')}){_WE})?"
    year = rf"(?P<y>\d{{3,4}})(?!\d){era}"
    weekday_names = _alternation(row[0] for row in read_tsv("time", "weekdays.tsv"))
    not_dates = read_lines("time", "not_dates.txt")
    past = {_fold_phrase(w) for w in past}
    future = {_fold_phrase(w) for w in future}
    suffixes = [_fold_phrase(w) for w in suffixes]
    tense_words = "|".join(regex.escape(w) for w in sorted(past | future, key=len, reverse=True))
    future_endings = [_fold_phrase(w) for k, w in read_tsv("time", "tense.tsv")
                      if k == "future_ending"]
    ago_rows = read_tsv("time", "ago.tsv")
    return _Data(
        months=months,
        ambiguous_months=frozenset(_key(m) for m in ctx.get("ambiguous_month", ())),
        hijri_eras=frozenset(_key(e) for e in ctx.get("hijri_era", ())),
        weekdays=weekdays,
        relative=relative,
        units=units,
        directions=directions,
        counts=counts,
        spans=spans,
        holidays=holidays,
        week_before=frozenset(_key(w) for w in ctx.get("week_before", ())),
        not_before_weekday=frozenset(_key(w) for w in ctx.get("not_before_weekday", ())),
        standalone_months=frozenset(_key(w) for w in ctx.get("standalone_month", ())),
        context=ctx,
        past=frozenset(past),
        future=frozenset(future),
        rx_dmy=regex.compile(
            rf"(?:(?<![\p{{N}}/.\-])(?P<d0>\d{{1,2}})(?!\d)\s*(?:{day_range}|[\-–،,])\s*)?"
            rf"{day}\s*(?P<m>{month_any}){_WE}(?:\s*[،,]?\s*{year})?"),
        rx_mdy=regex.compile(
            rf"(?P<m>{month_any})\s+(?P<d>\d{{1,2}})(?!\d)\s*[،,]\s*{year}"),
        rx_my=regex.compile(rf"{_WB}(?P<m>{month_any})\s*[،,]?\s*{year}"),
        rx_numeric=regex.compile(
            r"(?<![\p{N}/.\-])(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)"
            r"(?P<y>\d{4})(?![\p{N}/])"),
        rx_iso=regex.compile(
            r"(?<![\p{N}/.\-])(?P<y>\d{4})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)"
            r"(?P<d>\d{1,2})(?![\p{N}/])"),
        rx_year=regex.compile(
            rf"(?:{_WB}(?P<yb>{_context_alt(ctx, 'year_before')})\s+)?"
            rf"(?<![\p{{N}}/.\-])(?P<y>\d{{3,4}})(?!\d)"
            rf"(?:\s*(?P<era>{_context_alt(ctx, 'era')}|{_context_alt(ctx, 'hijri_era')}){_WE}"
            rf"|\s+(?P<decade>{_context_alt(ctx, 'decade')}){_WE}"
            rf"|\s+(?!{_context_alt(ctx, 'year_block')}{_WE})"
            rf"(?P<ya>{_context_alt(ctx, 'year_after')}){_WE})?"),
        rx_month=regex.compile(
            rf"(?:{_WB}(?P<mb>{_context_alt(ctx, 'month_before')})\s*)?{_WB}(?P<m>{m_ur}){_WE}"
            rf"(?:\s+(?P<ma>{_context_alt(ctx, 'month_after')}){_WE})?"),
        rx_weekday=regex.compile(
            rf"{_WB}(?:(?P<mod>{_context_alt(ctx, 'weekday_past')}|"
            rf"{_context_alt(ctx, 'weekday_future')})\s+)?"
            rf"(?:(?P<bar>{_context_alt(ctx, 'weekday_before')})\s+)?"
            rf"(?P<wd>{weekday_names}){_WE}"
            rf"(?:\s*[،,]?\s*(?P<after>{_context_alt(ctx, 'weekday_after')}){_WE})?"),
        rx_relative=regex.compile(
            rf"{_WB}(?P<rel>{_alternation(row[0] for row in read_tsv('time', 'relative.tsv'))})"
            rf"{_WE}"),
        rx_ago=regex.compile(
            rf"(?P<unit>{_alternation(w for k, w, _ in read_tsv('time', 'ago.tsv') if k == 'unit')})"
            rf"\s+(?P<dir>"
            rf"{_alternation(w for k, w, _ in read_tsv('time', 'ago.tsv') if k == 'direction')})"
            rf"{_WE}"),
        rx_span=regex.compile(
            rf"{_WB}(?P<dir>{_alternation(w for k, w, _ in ago_rows if k == 'span')})\s+"),
        rx_span_unit=regex.compile(
            rf"\s*(?P<unit>{_alternation(w for k, w, _ in ago_rows if k == 'unit')}){_WE}"),
        rx_holiday=regex.compile(
            rf"{_WB}(?P<h>{_alternation(row[0] for row in read_tsv('time', 'holidays.tsv'))}){_WE}"
            rf"(?:\s*[،,]?\s*{year})?"),
        rx_month_day=regex.compile(
            rf"{_WB}(?P<m>{m_ur}){_WE}\s+{_context_alt(ctx, 'day_of')}\s+"
            rf"(?:(?P<d0>\d{{1,2}})(?!\d)\s*(?:{day_range}|[\-–،,])\s*)?"
            rf"(?P<d>\d{{1,2}})(?!\d)\s+(?:{_context_alt(ctx, 'day_word')}){_WE}"),
        rx_weekday_name=regex.compile(
            rf"{_WB}(?:(?:{_context_alt(ctx, 'weekday_before')})\s+)?(?:{weekday_names})"
            rf"[\s،,]*$"),
        rx_apposition=regex.compile(
            rf"[\s،,]*(?:{_context_alt(ctx, 'apposition')}{_WE})?[\s،,]*"),
        rx_not_dates=regex.compile(rf"{_WB}{_alternation(not_dates)}{_WE}") if not_dates else None,
        rx_tense=regex.compile(
            rf"(?<=\p{{L}})(?P<ending>{_alternation(future_endings)}){_WE}"
            rf"|(?<=\p{{L}})(?P<habitual>{_alternation(habitual)}){_WE}"
            rf"|{_WB}(?P<word>{tense_words}){_WE}"
            rf"|(?<=\p{{L}})(?P<suffix>{'|'.join(map(regex.escape, suffixes))}){_WE}"),
        rx_boundary=regex.compile(
            rf"[۔؟!?\n،,؛;:\"“”«»]|{_WB}{_alternation(connectives)}{_WE}"),
        rx_postposition=regex.compile(
            rf"\s*{_context_alt(ctx, 'postposition')}{_WE}"),
        rx_clock=regex.compile(rf"\s*(?:{_context_alt(ctx, 'clock')}){_WE}"),
    )


# --------------------------------------------------------------------------- drafts


@dataclass(slots=True)
class _Draft:
    start: int
    end: int
    kind: str  # absolute | weekday | relative | span | holiday
    year: int | None = None
    month: int | None = None
    day: int | None = None
    calendar: str = "gregorian"
    granularity: str = "day"
    offset: int = 0  # relative: signed count of units
    unit: str = "D"
    tense_sign: bool = False  # relative: the sign comes from the tense (کل، پرسوں)
    weekday: int | None = None
    direction: str | None = None  # weekday: past | future | None (from the tense)
    strict: bool = False  # weekday: strictly before/after the reference (گزشتہ منگل)
    trigger: tuple[int, int] | None = None  # span checked against not_dates
    decade: bool = False
    offset2: int = 0  # span: the far end (گزشتہ دو روز: offset -2, offset2 -1)
    holiday: str | None = None  # holiday: gregorian | islamic | easter (calendar of its day)
    year_offset: int | None = None  # a month of a relative year: گزشتہ برس ستمبر (-1)
    snap: int | None = None  # holiday: the weekday that names its day (یوم عاشور یعنی اتوار)

    @property
    def rank(self) -> int:
        """2 for a date with a day or a month and year (it beats a month or year alone that
        overlaps it: "12 جون میں" is "12 جون"), else 1."""
        full = self.kind == "absolute" and self.month is not None and (
            self.day is not None or self.year is not None)
        return 2 if full else 1


def _int(digits: str) -> int:
    return int(digits)  # int() reads Urdu and Arabic-Indic digits too


def _valid_day(year: int | None, month: int, day: int, calendar: str) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    if calendar == "islamic":
        return day <= 30
    if year is None:
        return day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _year_of(match: regex.Match[str], calendar: str) -> tuple[int | None, str]:
    """The year of a match's ``y`` group and the calendar its era mark implies."""
    if match.group("y") is None:
        return None, calendar
    year = _int(match.group("y"))
    era = match.group("era")
    if era and _key(era) in _data().hijri_eras:
        return year, "islamic"
    return year, calendar


def _month_of(name: str) -> tuple[str, int] | None:
    data = _data()
    return data.months.get(_lookup(name)) or data.months.get(name.lower())


def _absolute_drafts(text: str, data: _Data) -> list[_Draft]:
    out: list[_Draft] = []
    for m in data.rx_dmy.finditer(text):
        month = _month_of(m.group("m"))
        if month is None:
            continue
        calendar, number = month
        year, calendar = _year_of(m, calendar)
        if year is not None and calendar == "gregorian" and not 1000 <= year <= 2200:
            year = None
        day = _int(m.group("d"))
        start = m.start("d")
        if calendar == "persian":
            # A Solar Hijri day (26 اردیبهشت 1404) is converted; without its year it is left
            # out: تیر "arrow", مہر "seal", دی "gave" are ordinary Urdu words.
            gregorian = _solar_hijri(year, number, day) if year else None
            if gregorian is not None:
                out.append(_Draft(start, m.end(), "absolute", gregorian.year, gregorian.month,
                                  gregorian.day, trigger=(m.start("m"), m.end("m"))))
            continue
        if not _valid_day(year, number, day, calendar):
            continue
        end = m.end() if year is not None else m.end("m")
        out.append(_Draft(start, end, "absolute", year, number, day, calendar,
                          trigger=(m.start("m"), m.end("m"))))
        if m.group("d0"):
            d0 = _int(m.group("d0"))
            if _valid_day(year, number, d0, calendar) and d0 < day:
                out.append(_Draft(m.start("d0"), m.end("d0"), "absolute", year, number, d0,
                                  calendar, trigger=(m.start("m"), m.end("m"))))
    for m in data.rx_mdy.finditer(text):
        month = _month_of(m.group("m"))
        if month is None or month[0] == "persian":
            continue
        calendar, number = month
        year, calendar = _year_of(m, calendar)
        day = _int(m.group("d"))
        if _valid_day(year, number, day, calendar):
            out.append(_Draft(m.start(), m.end(), "absolute", year, number, day, calendar,
                              trigger=(m.start("m"), m.end("m"))))
    for m in data.rx_my.finditer(text):
        month = _month_of(m.group("m"))
        if month is None or month[0] == "persian":
            continue
        calendar, number = month
        year, calendar = _year_of(m, calendar)
        if year is None or (calendar == "gregorian" and not m.group("era")
                            and not 1800 <= year <= 2100):
            continue
        out.append(_Draft(m.start(), m.end(), "absolute", year, number, None, calendar,
                          granularity="month", trigger=(m.start("m"), m.end("m"))))
    for rx, order in ((data.rx_numeric, "dmy"), (data.rx_iso, "ymd")):
        for m in rx.finditer(text):
            year, first, second = _int(m.group("y")), _int(m.group("d")), _int(m.group("m"))
            day, month_number = first, second
            if order == "dmy" and second > 12 and first <= 12:
                day, month_number = second, first  # month first: 11/25/2024
            if 1800 <= year <= 2100 and _valid_day(year, month_number, day, "gregorian"):
                out.append(_Draft(m.start(), m.end(), "absolute", year, month_number, day))
    for m in data.rx_year.finditer(text):
        if not (m.group("yb") or m.group("era") or m.group("decade") or m.group("ya")):
            continue
        year = _int(m.group("y"))
        _, calendar = _year_of(m, "gregorian")
        if m.group("decade"):
            if year % 10 or not 1000 <= year <= 2100:
                continue
            out.append(_Draft(m.start("y"), m.end(), "absolute", year, granularity="decade",
                              decade=True))
            continue
        if calendar == "gregorian" and not m.group("era") and not 1800 <= year <= 2100:
            continue
        if m.group("ya") and not m.group("yb") and not m.group("era"):
            # "2024 میں": the mention is "2024 میں" (like "جون میں"); other words stay out.
            end = m.end() if _key(m.group("ya")) == "میں" else m.end("y")
        else:
            end = m.end("era") if m.group("era") else m.end("y")
        start = m.start("yb") if m.group("yb") else m.start("y")
        out.append(_Draft(start, end, "absolute", year, calendar=calendar, granularity="year"))
    for m in data.rx_month.finditer(text):
        month = _month_of(m.group("m"))
        alone = _key(m.group("m")) in data.standalone_months
        if month is None or month[0] == "persian" or not (m.group("mb") or m.group("ma")
                                                          or alone):
            continue
        calendar, number = month
        if _key(m.group("m")) in data.ambiguous_months and not m.group("mb"):
            continue
        start = m.start("mb") if m.group("mb") else m.start("m")
        end = m.end() if m.group("ma") and _key(m.group("ma")) == "میں" else m.end("m")
        out.append(_Draft(start, end, "absolute", None, number, None, calendar,
                          granularity="month", trigger=(m.start("m"), m.end("m"))))
    for m in data.rx_month_day.finditer(text):  # محرم الحرام کی 9 اور 10 تاریخ
        month = _month_of(m.group("m"))
        if month is None or month[0] == "persian":
            continue
        calendar, number = month
        trigger = (m.start("m"), m.end("m"))
        day = _int(m.group("d"))
        if not _valid_day(None, number, day, calendar):
            continue
        first = _int(m.group("d0")) if m.group("d0") else None
        if first is not None and _valid_day(None, number, first, calendar) and first < day:
            out.append(_Draft(m.start(), m.end("d0"), "absolute", None, number, first,
                              calendar, trigger=trigger))
            out.append(_Draft(m.start("d"), m.end(), "absolute", None, number, day, calendar,
                              trigger=trigger))
        else:
            out.append(_Draft(m.start(), m.end(), "absolute", None, number, day, calendar,
                              trigger=trigger))
    return out


def _solar_hijri(year: int, month: int, day: int) -> dt.date | None:
    from khabar.clean.dates import solar_hijri_to_iso  # the cleaner reads Solar Hijri too

    iso = solar_hijri_to_iso(year, month, day)
    return dt.date.fromisoformat(iso) if iso else None


def _holiday_drafts(text: str, data: _Data) -> list[_Draft]:
    out: list[_Draft] = []
    for m in data.rx_holiday.finditer(text):
        calendar, month, day = data.holidays[_lookup(m.group("h"))]
        year, era_calendar = _year_of(m, "gregorian")
        if year is not None and era_calendar == "gregorian" and not 1800 <= year <= 2100:
            continue
        end = m.end() if year is not None else m.end("h")
        out.append(_Draft(m.start(), end, "holiday", year, month or None, day or None,
                          era_calendar, holiday=calendar, trigger=(m.start("h"), m.end("h"))))
    return out


def _weekday_drafts(text: str, data: _Data, numbers: list[_Num]) -> list[_Draft]:
    out: list[_Draft] = []
    past_mods = {_key(w) for w in data.context.get("weekday_past", ())}
    number_ends = {n.end for n in numbers}
    for m in data.rx_weekday.finditer(text):
        weekday, strict = data.weekdays[_lookup(m.group("wd"))]
        after = _key(m.group("after") or "")
        day_word = after.endswith("روز") or after.endswith("دن")
        if not (m.group("bar") or after):
            continue
        if strict and m.group("mod") and not day_word:
            continue  # گزشتہ ہفتے کو: last week, not last Saturday
        before = _WORD_BEFORE.search(text, max(0, m.start() - 30), m.start())
        previous = _key(before.group(1)) if before else ""
        if not (m.group("mod") or m.group("bar")) and previous in data.not_before_weekday:
            continue  # ان کے پیر سے: "his foot"
        if strict and not (m.group("mod") or m.group("bar") or day_word) and (
                previous in data.week_before or previous in data.counts
                or _end_before(text, m.start()) in number_ends):
            continue  # دو ہفتے تک، ایک ہفتہ سے، اس ہفتے تک: weeks, not Saturday
        direction = None
        if m.group("mod"):
            direction = "past" if _key(m.group("mod")) in past_mods else "future"
        start = m.start("mod") if m.group("mod") else m.start("bar") if m.group("bar") \
            else m.start("wd")
        end = m.end("after") if day_word else m.end("wd")
        out.append(_Draft(start, end, "weekday", weekday=weekday - 1, direction=direction,
                          strict=bool(m.group("mod")), trigger=(m.start("wd"), m.end("wd"))))
    return out


@dataclass(frozen=True, slots=True)
class _Num:
    """A number of :func:`find_numbers` with offsets in the folded text."""

    start: int
    end: int
    value: int | float | None


_WORD_BEFORE = regex.compile(rf"({_L}+)\s*$")


def _span_drafts(text: str, data: _Data, numbers: list[_Num]) -> list[_Draft]:
    """A direction, a count and a unit: گزشتہ دو روز (the two days before publication),
    آئندہ تین روز, گزشتہ 24 گھنٹوں (whole days: the day before and the day itself)."""
    out: list[_Draft] = []
    starts = {n.start: n for n in numbers}
    for m in data.rx_span.finditer(text):
        number = starts.get(m.end())
        if number is not None and isinstance(number.value, int):
            count, end = number.value, number.end
        else:
            word = _WORD_AT.match(text, m.end())
            if not word or _lookup(word.group()) not in data.counts:
                continue
            count, end = data.counts[_lookup(word.group())], word.end()
        unit_match = data.rx_span_unit.match(text, end)
        if unit_match is None or not 1 <= count <= 1000:
            continue
        unit = data.units[_lookup(unit_match.group("unit"))]
        sign = data.spans[_lookup(m.group("dir"))]
        if unit == "H":
            days = -(-count // 24)
            low, high = (-days, 0) if sign < 0 else (0, days)
            unit = "D"
        else:
            low, high = (-count, -1) if sign < 0 else (1, count)
        out.append(_Draft(m.start(), unit_match.end(), "span", offset=low, offset2=high,
                          unit=unit, granularity=_GRANULARITY[unit],
                          trigger=(m.start(), unit_match.end())))
    return out


_WORD_AT = regex.compile(rf"{_L}+")
_SPACES_AT_END = regex.compile(r"\s*$")


def _end_before(text: str, position: int) -> int:
    """Where the text before ``position`` ends once trailing spaces are left out."""
    low = max(0, position - 12)
    m = _SPACES_AT_END.search(text, low, position)
    return m.start() if m else position


def _relative_drafts(text: str, data: _Data, numbers: list[_Num]) -> list[_Draft]:
    out: list[_Draft] = []
    for m in data.rx_relative.finditer(text):
        offset, unit = data.relative[_lookup(m.group("rel"))]
        tense_sign = offset.startswith("~")
        out.append(_Draft(m.start(), m.end(), "relative", offset=int(offset.lstrip("~")),
                          unit=unit, tense_sign=tense_sign, granularity=_GRANULARITY[unit],
                          trigger=(m.start(), m.end())))
    ends = {n.end: n for n in numbers}
    for m in data.rx_ago.finditer(text):
        low = max(0, m.start() - 40)
        before = text[low:m.start()]
        count: int | None = None
        start = low + len(before.rstrip())
        number = ends.get(start)
        if number is not None and isinstance(number.value, int):
            count, start = number.value, number.start
        else:
            word = _WORD_BEFORE.search(before)
            if word and _lookup(word.group(1)) in data.counts:
                count, start = data.counts[_lookup(word.group(1))], low + word.start(1)
        if count is None or count > 1000:
            continue
        unit = data.units[_lookup(m.group("unit"))]
        sign = data.directions[_lookup(m.group("dir"))]
        if unit == "H":  # 5 گھنٹے قبل: a day only once the hours make one
            count, unit = count // 24, "D"
        out.append(_Draft(start, m.end(), "relative", offset=sign * count, unit=unit,
                          granularity=_GRANULARITY[unit], trigger=(m.start(), m.end())))
    return out


_GRANULARITY = {"D": "day", "W": "week", "M": "month", "Y": "year", "E": "weekend", "H": "day"}


# --------------------------------------------------------------------------- context


def _tense(text: str, start: int, end: int, bounds: list[int], data: _Data) -> str | None:
    """past, future, habitual or None: the last tense marker of the clause around
    ``start:end``. An اور after a marker ends the clause: "شرح 4 فیصد رہی اور آئندہ ... امکان
    ہے" keeps the tense of رہی."""
    i = bisect.bisect_right(bounds, start)
    left = bounds[i - 1] if i else 0
    j = bisect.bisect_left(bounds, end)
    right = bounds[j] if j < len(bounds) else len(text)
    last: str | None = None
    for segment in ((end, right), (left, start)):
        previous = -1
        for m in data.rx_tense.finditer(text, *segment):
            if last is not None and _AND.search(text, previous, m.start()):
                break
            previous = m.end()
            word = m.group("word")
            if m.group("habitual"):
                last = "habitual"
            elif m.group("ending"):
                last = "future"
            else:
                last = "future" if (m.group("suffix") or word in data.future) else "past"
        if last:
            return last
    return None


_AND = regex.compile(rf"{_WB}اور{_WE}")


def _boundaries(text: str, data: _Data) -> list[int]:
    return [m.start() for m in data.rx_boundary.finditer(text)]


def _excluded_spans(text: str, data: _Data) -> list[tuple[int, int]]:
    if data.rx_not_dates is None:
        return []
    return [m.span() for m in data.rx_not_dates.finditer(text)]


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in spans)


def _kal_is_total(text: str, draft: _Draft, numbers: list[_Num], data: _Data) -> bool:
    """کل before a number is "total" (کل 500 افراد) unless the number is a clock time."""
    if not draft.tense_sign or draft.unit != "D":
        return False
    rest = text[draft.end:]
    gap = len(rest) - len(rest.lstrip())
    for n in numbers:
        if n.start == draft.end + gap and gap:
            return not data.rx_clock.match(text, n.end)
    return False


def _select(drafts: list[_Draft]) -> list[_Draft]:
    """Non-overlapping drafts: full dates first, then longer ones."""
    chosen: list[_Draft] = []
    taken: list[tuple[int, int]] = []
    for d in sorted(drafts, key=lambda d: (-d.rank, -(d.end - d.start), d.start)):
        if not _overlaps((d.start, d.end), taken):
            chosen.append(d)
            taken.append((d.start, d.end))
    return sorted(chosen, key=lambda d: d.start)


def _merge(text: str, drafts: list[_Draft], data: _Data) -> list[_Draft]:
    """Join what Urdu writes side by side for one day: a weekday or a near relative day
    before a date (منگل 27 جنوری، کل بدھ 18 فروری), a relative year before a month (گزشتہ برس
    ستمبر), a holiday and the weekday that names its day (یوم عاشور یعنی اتوار). A holiday
    followed by its date (یوم عاشور 10 محرم) is that date."""
    for i, d in enumerate(drafts):  # drafts are in text order and do not overlap
        if d.kind == "absolute" and d.day is not None:
            m = data.rx_weekday_name.search(text, max(0, d.start - 30), d.start)
            if m is not None and (i == 0 or drafts[i - 1].end <= m.start()):
                d.start = m.start()
    out: list[_Draft] = []
    for d in drafts:
        prev = out[-1] if out else None
        gap = text[prev.end:d.start] if prev else ""
        if prev is None or "\n" in gap or not data.rx_apposition.fullmatch(gap):
            out.append(d)
            continue
        near_day = prev.kind == "weekday" or (prev.kind == "relative" and prev.unit == "D"
                                              and abs(prev.offset) <= 2)
        if near_day and d.kind == "absolute" and d.day is not None and not gap.strip(" ،,"):
            d.start = prev.start
            out[-1] = d
        elif (prev.kind == "relative" and prev.unit == "Y" and not prev.tense_sign
              and d.kind == "absolute" and d.year is None and d.month is not None
              and d.calendar == "gregorian" and not d.decade and not gap.strip(" ،,")):
            d.start, d.year_offset = prev.start, prev.offset
            out[-1] = d
        elif prev.kind == "holiday" and d.kind == "absolute" and d.day is not None \
                and not gap.strip(" ،,"):
            out[-1] = d
        elif prev.kind == "holiday" and d.kind == "weekday" and prev.year is None:
            prev.end, prev.snap = d.end, d.weekday
        else:
            out.append(d)
    return out


# --------------------------------------------------------------------------- resolution


def _parse_iso(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def _rel_form(draft: _Draft, sign: int | None = None) -> str:
    if draft.kind == "weekday":
        direction = "+" if (sign or -1) > 0 else "-"
        return f"REL{direction}{_WEEKDAY_CODES[draft.weekday or 0]}"
    if draft.kind == "span":
        if draft.offset == draft.offset2:
            return f"REL{draft.offset:+d}{draft.unit}"
        return f"REL{draft.offset:+d}{draft.unit}/REL{draft.offset2:+d}{draft.unit}"
    offset = draft.offset if sign is None else sign * draft.offset
    return f"REL{offset:+d}{draft.unit}"


def resolve_relative(rel: str, published: str | dt.date) -> str | None:
    """The calendar value of a ``REL...`` value against a publication date, e.g.
    ``resolve_relative("REL-1W", "2024-11-12") == "2024-W45"``; a span ``REL-2D/REL-1D`` gives
    ``2024-11-10/2024-11-11``; None for a malformed form."""
    anchor = published if isinstance(published, dt.date) else _parse_iso(published)
    if anchor is not None and "/" in rel:
        ends = [resolve_relative(part, anchor) for part in rel.split("/", 1)]
        return None if None in ends else "/".join(str(e) for e in ends)
    m = regex.fullmatch(r"REL(?:([+-]\d+)([DWMYE])|([+-])(MO|TU|WE|TH|FR|SA|SU))", rel)
    if anchor is None or m is None:
        return None
    if m.group(1):
        return _shift(anchor, int(m.group(1)), m.group(2))
    weekday = _WEEKDAY_CODES.index(m.group(4))
    return _weekday_date(anchor, weekday, m.group(3) == "+", strict=False).isoformat()


def _shift(anchor: dt.date, offset: int, unit: str) -> str:
    if unit == "D":
        return (anchor + dt.timedelta(days=offset)).isoformat()
    if unit == "E":  # the weekend after (offset > 0) or before the anchor, Saturday/Sunday
        if offset > 0:
            saturday = anchor + dt.timedelta(days=(5 - anchor.weekday()) % 7)
            if anchor.weekday() == 6:
                saturday = anchor - dt.timedelta(days=1)
            saturday += dt.timedelta(weeks=offset - 1)
        else:
            saturday = anchor - dt.timedelta(days=(anchor.weekday() - 5) % 7 or 7)
            if anchor.weekday() == 6:
                saturday = anchor - dt.timedelta(days=1)
            saturday -= dt.timedelta(weeks=-offset - 1)
        return f"{saturday.isoformat()}/{(saturday + dt.timedelta(days=1)).isoformat()}"
    if unit == "W":
        year, week, _ = (anchor + dt.timedelta(weeks=offset)).isocalendar()
        return f"{year}-W{week:02d}"
    if unit == "M":
        index = anchor.year * 12 + anchor.month - 1 + offset
        return f"{index // 12}-{index % 12 + 1:02d}"
    return str(anchor.year + offset)


def _weekday_date(anchor: dt.date, weekday: int, future: bool, strict: bool) -> dt.date:
    if future:
        delta = (weekday - anchor.weekday()) % 7
        if strict and delta == 0:
            delta = 7
        return anchor + dt.timedelta(days=delta)
    delta = (anchor.weekday() - weekday) % 7
    if strict and delta == 0:
        delta = 7
    return anchor - dt.timedelta(days=delta)


@cache
def _hijri_module() -> Any:
    try:
        import hijridate
    except ImportError:  # optional: without it Hijri days keep their AH value
        return None
    return hijridate


def _hijri_to_gregorian(year: int, month: int, day: int) -> str | None:
    module = _hijri_module()
    if module is None:
        return None
    try:
        return module.Hijri(year, month, day).to_gregorian().isoformat()
    except (ValueError, OverflowError):
        return None


def _gregorian_to_hijri(date: dt.date) -> tuple[int, int, int] | None:
    module = _hijri_module()
    if module is None:
        return None
    try:
        h = module.Gregorian(date.year, date.month, date.day).to_hijri()
    except (ValueError, OverflowError):
        return None
    return h.year, h.month, h.day


def _place_year(month: int, anchor_year: int, anchor_month: int, future: bool,
                eve: bool = False) -> int:
    """The year of a month given without one: not after the anchor's month, unless the clause
    is in the future tense (then not before it). On the ``eve`` of a month (the anchor in the
    last days of the month before it) that month is the coming one whatever the tense: "رمضان
    المبارک کا چاند نظر آ گیا" is the Ramadan that begins tomorrow."""
    if eve and month == anchor_month % 12 + 1:
        return anchor_year if month > anchor_month else anchor_year + 1
    if future:
        return anchor_year if month >= anchor_month else anchor_year + 1
    return anchor_year if month <= anchor_month else anchor_year - 1


def _resolve(mention: str, start: int, end: int, d: _Draft, anchor: dt.date | None,
             tense: str | None) -> DateMention | None:
    """The mention of draft ``d`` (``mention`` at ``start:end`` of the original text)."""
    future = tense == "future"
    if d.kind == "span":
        rel = _rel_form(d)
        if anchor is None:
            return DateMention(mention, start, end, rel, "relative", d.granularity,
                               relative=rel)
        value = resolve_relative(rel, anchor) or rel
        return DateMention(mention, start, end, value, "event", d.granularity, relative=rel)
    if d.kind == "holiday":
        return _resolve_holiday(mention, start, end, d, anchor, tense)
    if d.kind == "relative":
        sign = None
        if d.tense_sign:
            sign = -1 if tense == "past" else 1 if tense == "future" else None
        rel = _rel_form(d, sign if sign is not None else (-1 if d.tense_sign else None))
        if anchor is None or (d.tense_sign and sign is None):
            return DateMention(mention, start, end, rel, "relative", d.granularity,
                               relative=rel)
        offset = d.offset * (sign if sign is not None else 1)
        return DateMention(mention, start, end, _shift(anchor, offset, d.unit), "event",
                           d.granularity, relative=rel)
    if d.kind == "weekday":
        ahead = d.direction == "future" if d.direction else future
        rel = _rel_form(d, 1 if ahead else -1)
        if anchor is None:
            return DateMention(mention, start, end, rel, "relative", "day", relative=rel)
        day = _weekday_date(anchor, d.weekday or 0, ahead, d.strict)
        return DateMention(mention, start, end, day.isoformat(), "event", "day",
                           relative=rel)
    if d.decade:
        return DateMention(mention, start, end, f"{(d.year or 0) // 10}X", "event", "decade")
    if d.calendar == "islamic":
        return _resolve_islamic(mention, start, end, d, anchor, future)
    year = d.year
    relative = None
    if d.year_offset is not None:  # گزشتہ برس ستمبر: a month of the year before publication
        relative = f"REL{d.year_offset:+d}Y"
        year = anchor.year + d.year_offset if anchor is not None else None
    elif year is None and anchor is not None and d.month is not None:
        eve = (anchor + dt.timedelta(days=3)).month != anchor.month
        year = _place_year(d.month, anchor.year, anchor.month, future, eve)
    y = f"{year:04d}" if year is not None else "XXXX"
    if d.granularity == "year":
        value = y
    elif d.day is None:
        value = f"{y}-{d.month:02d}"
    else:
        value = f"{y}-{d.month:02d}-{d.day:02d}"
    return DateMention(mention, start, end, value, "event", d.granularity, relative=relative)


def _easter(year: int) -> dt.date:
    """Easter Sunday of the Gregorian calendar (the computus as an arithmetic formula)."""
    golden = year % 19
    century, rest = divmod(year, 100)
    leap_skip, leap_rest = divmod(century, 4)
    moon_fix = (century + 8) // 25
    epact_fix = (century - moon_fix + 1) // 3
    epact = (19 * golden + century - leap_skip - epact_fix + 15) % 30
    i, k = divmod(rest, 4)
    weekday = (32 + 2 * leap_rest + 2 * i - epact - k) % 7
    shift = (golden + 11 * epact + 22 * weekday) // 451
    month, day = divmod(epact + weekday - 7 * shift + 114, 31)
    return dt.date(year, month, day + 1)


def _holiday_in(year: int, d: _Draft, hijri_year: bool) -> dt.date | None:
    """The Gregorian day of holiday ``d`` in ``year`` (a Hijri year when ``hijri_year``)."""
    try:
        if d.holiday == "easter":
            return _easter(year)
        if d.holiday == "gregorian":
            return dt.date(year, d.month or 1, d.day or 1)
    except ValueError:
        return None
    if hijri_year:
        iso = _hijri_to_gregorian(year, d.month or 1, d.day or 1)
        return dt.date.fromisoformat(iso) if iso else None
    # An Islamic holiday in a Gregorian year: its first occurrence in that year.
    for hijri in (year - 580, year - 579, year - 578):
        iso = _hijri_to_gregorian(hijri, d.month or 1, d.day or 1)
        if iso and iso.startswith(str(year)):
            return dt.date.fromisoformat(iso)
    return None


def _resolve_holiday(mention: str, start: int, end: int, d: _Draft, anchor: dt.date | None,
                     tense: str | None) -> DateMention | None:
    """A holiday: the day of its written year, else the occurrence nearest the anchor (the
    last one before it in a past clause, the next one in a future clause)."""
    calendar = "islamic" if d.holiday == "islamic" else "gregorian"
    day: dt.date | None = None
    if d.year is not None:
        day = _holiday_in(d.year, d, d.calendar == "islamic")
    elif anchor is not None:
        if d.holiday == "islamic":
            hijri = _gregorian_to_hijri(anchor)
            options = [_holiday_in(y, d, True) for y in
                       ((hijri[0] - 1, hijri[0], hijri[0] + 1) if hijri else ())]
        else:
            options = [_holiday_in(y, d, False) for y in
                       (anchor.year - 1, anchor.year, anchor.year + 1)]
        days = [o for o in options if o is not None]
        if tense == "past":
            days = [o for o in days if o <= anchor] or days
        elif tense == "future":
            days = [o for o in days if o >= anchor] or days
        day = min(days, key=lambda o: abs((o - anchor).days)) if days else None
    relative = None
    hijri = None
    if day is not None and d.holiday == "islamic":
        h = _gregorian_to_hijri(day)  # before the weekday moves it: the holiday's own date
        hijri = f"{h[0]:04d}-{h[1]:02d}-{h[2]:02d}" if h else None
    if day is not None and d.snap is not None:  # the weekday settles the day
        delta = (d.snap - day.weekday() + 3) % 7 - 3
        day += dt.timedelta(days=delta)
        relative = f"REL{'+' if anchor is None or day >= anchor else '-'}" \
                   f"{_WEEKDAY_CODES[d.snap]}"
    if day is None:
        if d.holiday == "easter":
            return None
        prefix = "AHXXXX" if d.holiday == "islamic" else "XXXX"
        value = f"{prefix}-{d.month:02d}-{d.day:02d}"
        hijri = value[2:] if d.holiday == "islamic" else None
        return DateMention(mention, start, end, value, "event", "day", calendar, hijri=hijri)
    return DateMention(mention, start, end, day.isoformat(), "event", "day", calendar,
                       relative=relative, hijri=hijri)


def _resolve_islamic(mention: str, start: int, end: int, d: _Draft, anchor: dt.date | None,
                     future: bool) -> DateMention:
    year = d.year
    if year is None and anchor is not None and d.month is not None:
        hijri_anchor = _gregorian_to_hijri(anchor)
        if hijri_anchor is not None:
            year = _place_year(d.month, hijri_anchor[0], hijri_anchor[1], future,
                               eve=hijri_anchor[2] >= 27)
    y = f"{year:04d}" if year is not None else "XXXX"
    if d.granularity == "year":
        return DateMention(mention, start, end, f"AH{y}", "event", "year", "islamic",
                           hijri=y)
    if d.day is None:
        hijri = f"{y}-{d.month:02d}"
        return DateMention(mention, start, end, f"AH{hijri}", "event", "month", "islamic",
                           hijri=hijri)
    hijri = f"{y}-{d.month:02d}-{d.day:02d}"
    value = (_hijri_to_gregorian(year, d.month or 1, d.day) if year is not None else None)
    return DateMention(mention, start, end, value or f"AH{hijri}", "event", "day", "islamic",
                       hijri=hijri)


# --------------------------------------------------------------------------- public


def _line_start(text: str, start: int) -> bool:
    line_begin = text.rfind("\n", 0, start) + 1
    return not text[line_begin:start].strip()


def _line_index(text: str, start: int) -> int:
    """0-based index of the non-blank line that holds ``start``."""
    return sum(1 for line in text[:start].split("\n")[:-1] if line.strip())


def _is_dateline(text: str, d: _Draft, data: _Data) -> bool:
    """A full Gregorian date opening one of the first three lines, not followed by a
    postposition (``12 نومبر 2024 کو`` is an event)."""
    return (d.kind == "absolute" and d.day is not None and d.year is not None
            and d.calendar == "gregorian" and _line_start(text, d.start)
            and _line_index(text, d.start) < 3
            and not data.rx_postposition.match(text, d.end))


def find_dates(text: str, published: str | None = None, *,
               numbers: list[Number] | None = None) -> list[DateMention]:
    """Date mentions of ``text`` in order, resolved against ``published`` (ISO date) when given.
    ``numbers`` may pass ``find_numbers(text)`` when the caller has it already.

    >>> [(m.text, m.value) for m in find_dates("گزشتہ ہفتے اجلاس ہوا", "2024-11-12")]
    [('گزشتہ ہفتے', '2024-W45')]
    """
    if not text:
        return []
    data = _data()
    if numbers is None:
        numbers = find_numbers(text)
    folded = _fold(text)
    original = text
    text = folded.text
    nums = [_Num(folded.fold(n.start), folded.fold(n.end), n.value) for n in numbers]
    drafts = _absolute_drafts(text, data) + _weekday_drafts(text, data, nums)
    drafts += _relative_drafts(text, data, nums) + _span_drafts(text, data, nums)
    drafts += _holiday_drafts(text, data)
    excluded = _excluded_spans(text, data)
    drafts = [d for d in drafts
              if not (d.trigger and _overlaps(d.trigger, excluded))
              and not _kal_is_total(text, d, nums, data)]
    drafts = _merge(text, _select(drafts), data)

    anchor = _parse_iso(published)
    published_draft: _Draft | None = None
    if anchor is None:
        for d in drafts:
            if _is_dateline(text, d, data):
                published_draft = d
                anchor = dt.date(d.year or 1, d.month or 1, d.day or 1)
                break
    bounds = _boundaries(text, data)
    out: list[DateMention] = []
    for d in drafts:
        needs_tense = d.kind in ("relative", "weekday", "holiday") or (
            d.kind == "absolute" and d.year is None)
        tense = _tense(text, d.start, d.end, bounds, data) if needs_tense else None
        if tense == "habitual" and d.kind == "weekday":
            continue  # "اتوار کو چھٹی ہوتی ہے": every Sunday, not a date
        start, end = folded.start(d.start), folded.end(d.end)
        mention = _resolve(original[start:end], start, end, d, anchor, tense)
        if mention is None:
            continue
        is_published = d is published_draft or (
            published_draft is None and published is not None and mention.value == published[:10]
            and d.kind == "absolute" and d.year is not None and d.day is not None
            and _line_start(text, d.start) and _line_index(text, d.start) < 3)
        if is_published:
            mention = DateMention(mention.text, mention.start, mention.end, mention.value,
                                  "published", mention.granularity, mention.calendar)
        out.append(mention)
    return out

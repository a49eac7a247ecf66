"""Dates as news pages print them around an article: ``12 نومبر 2024``, ``۱۲ نومبر ۲۰۲۴``,
``March 14, 2025``, ``2025-03-14``, ``14/03/2025`` (day first, as in Pakistan), Hijri dates
``9 جمادی الاول 1446ھ``, with labels (``شائع شدہ:``, ``Published:``, ``اپ ڈیٹ``), weekdays and
clock times around them.

Only what cleaning needs: find a date at the start of a line (a date glued to the first word of
the first paragraph) and tell whether a line is nothing but a date line. Month names come from
``resources/time/months.tsv``, labels and weekdays from ``resources/clean/date_words.tsv``.
The temporal tagger of the extract stage reads dates inside the story text; cleaning does not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import regex

from khabar.clean.data import date_words, form, months

__all__ = ["DateLine", "DateMatch", "date_line", "find_dates", "leading_date", "solar_hijri_to_iso"]

# Digits of Urdu/Persian and Arabic-Indic scripts -> ASCII (one character for one: offsets stay).
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


@dataclass(frozen=True, slots=True)
class DateMatch:
    start: int
    end: int
    iso: str | None  # YYYY-MM-DD for a Gregorian date, None for a Hijri one
    calendar: str  # gregorian | islamic | persian (Solar Hijri, converted)


@dataclass(frozen=True, slots=True)
class DateLine:
    """A line that holds nothing but a date (and its label, weekday, time)."""

    iso: str | None  # the first Gregorian date on the line
    role: str  # published | updated | date (no label)
    text: str


def _name_pattern(name: str) -> str:
    # Diacritics may sit on any letter of a month name as printed.
    return "".join(regex.escape(ch) + r"\p{Mn}*" for ch in name if not ch.isspace()) \
        if " " not in name else r"\s*".join(_name_pattern(part) for part in name.split())


@cache
def _patterns() -> dict[str, regex.Pattern[str]]:
    table = months()
    greg = sorted((n for n, (cal, _) in table.items() if cal == "gregorian"), key=len, reverse=True)
    isl = sorted((n for n, (cal, _) in table.items() if cal == "islamic"), key=len, reverse=True)
    gmon = "|".join(_name_pattern(n) for n in greg)
    imon = "|".join(_name_pattern(n) for n in isl)
    day = r"(?<!\d)([0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
    year = r"((?:1[89]|20)\d\d)(?!\d)"
    sep = r"[\s,،.\-/]*"
    letter_before = r"(?<![\p{L}\p{M}])"
    letter_after = r"(?![\p{L}\p{M}--[ءھ]])"
    gregorian = (
        rf"{day}{sep}{letter_before}(?P<m1>{gmon}){letter_after}\.?{sep}{year}"  # 12 نومبر 2024
        rf"|{letter_before}(?P<m2>{gmon}){letter_after}\.?\s*{day}[\s,،]+{year}"  # March 14, 2025
        r"|(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"  # 2025-03-14
        r"|(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?!\d)"  # 14/03/2025
    )
    islamic = rf"(?<!\d)[0-3]?\d\s*{letter_before}(?:{imon}){letter_after}[\s,،]*(?:1[34]\d\d)(?!\d)"
    pers = sorted((n for n, (cal, _) in table.items() if cal == "persian"), key=len, reverse=True)
    pmon = "|".join(_name_pattern(n) for n in pers)
    persian = (rf"(?<!\d)([0-3]?\d)\s*{letter_before}(?P<pm>{pmon}){letter_after}[\s,،]*"
               r"(1[34]\d\d)(?!\d)")
    words = date_words()
    labels = sorted((w for w, role in words.items() if role in ("published", "updated")),
                    key=len, reverse=True)
    weekdays = sorted((w for w, role in words.items() if role == "weekday"), key=len, reverse=True)
    flags = regex.IGNORECASE | regex.V1
    return {
        "gregorian": regex.compile(gregorian, flags),
        "islamic": regex.compile(islamic, flags),
        "persian": regex.compile(persian, flags),
        "time": regex.compile(r"(?<!\d)\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?!\d)\s*(?:[ap]\.?m\.?)?",
                              flags),
        # label and weekday words before a leading date, in matching form
        "labels": regex.compile(r"^(?:(?:" + "|".join(regex.escape(w) for w in labels + weekdays)
                                + r")(?: |$))+"),
    }


def _iso(match: regex.Match[str]) -> str | None:
    groups = match.groups()
    table = months()
    try:
        if match.group("m1"):
            day, _m, year = groups[0], groups[1], groups[2]
            month = table[_month_key(match.group("m1"))][1]
        elif match.group("m2"):
            day, year = groups[4], groups[5]
            month = table[_month_key(match.group("m2"))][1]
        elif groups[6]:
            year, month, day = groups[6], int(groups[7]), groups[8]
        else:
            day, month, year = groups[9], int(groups[10]), groups[11]
        return dt.date(int(year), int(month), int(day)).isoformat()
    except (KeyError, ValueError):
        return None


@cache
def _month_lookup() -> dict[str, str]:
    return {_strip(name).casefold(): name for name in months()}


def _strip(text: str) -> str:
    return regex.sub(r"[\p{Mn}\s]", "", text)


def _month_key(written: str) -> str:
    return _month_lookup()[_strip(written).casefold()]


@cache
def _month_words() -> frozenset[str]:
    """First words of month names in matching form: a line without one holds no named month."""
    return frozenset(form(name).split(" ", 1)[0] for name in months())


_NUMERIC_DATE = regex.compile(r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}")
_OTHER_DIGITS = regex.compile(r"[۰-۹٠-٩]")
_ANY_DIGIT = regex.compile(r"\d")


def _ascii_digits(text: str) -> str:
    return text.translate(_DIGITS) if _OTHER_DIGITS.search(text) else text


# 1 Farvardin 1404 (Nowruz) fell on 21 March 2025: the anchor for Solar Hijri dates.
_NOWRUZ_1404 = dt.date(2025, 3, 21)


def _solar_leap(year: int) -> bool:
    """Leap years of the Solar Hijri calendar by its 33-year arithmetic cycle (matches the
    astronomical calendar for the years news pages use)."""
    return (25 * year + 11) % 33 < 8


def solar_hijri_to_iso(year: int, month: int, day: int) -> str | None:
    """A Solar Hijri date (``26 اردیبهشت 1404``) as an ISO Gregorian date, or None."""
    if not (1 <= month <= 12 and 1 <= day <= (31 if month <= 6 else 30)):
        return None
    if month == 12 and day == 30 and not _solar_leap(year):
        return None
    offset = sum(366 if _solar_leap(y) else 365 for y in range(1404, year)) - sum(
        366 if _solar_leap(y) else 365 for y in range(year, 1404))
    offset += (month - 1) * 31 if month <= 7 else 186 + (month - 7) * 30
    offset += day - 1
    try:
        return (_NOWRUZ_1404 + dt.timedelta(days=offset)).isoformat()
    except OverflowError:
        return None


def find_dates(text: str) -> list[DateMatch]:
    """Gregorian dates with day, month and year (Hijri and Solar Hijri ones too) in ``text``,
    in order; Solar Hijri dates come converted to Gregorian ISO dates."""
    view = _ascii_digits(text)
    if _ANY_DIGIT.search(view) is None:
        return []
    if not _NUMERIC_DATE.search(view) and _month_words().isdisjoint(form(text).split()):
        return []
    pats = _patterns()
    found = [DateMatch(m.start(), m.end(), iso, "gregorian")
             for m in pats["gregorian"].finditer(view) if (iso := _iso(m))]
    found += [DateMatch(m.start(), m.end(), None, "islamic")
              for m in pats["islamic"].finditer(view)]
    for m in pats["persian"].finditer(view):
        month = months()[_month_key(m.group("pm"))][1]
        iso = solar_hijri_to_iso(int(m.group(3)), month, int(m.group(1)))
        if iso:
            found.append(DateMatch(m.start(), m.end(), iso, "persian"))
    found.sort(key=lambda d: d.start)
    return found


def leading_date(text: str) -> tuple[DateMatch, str] | None:
    """A Gregorian date at the very start of ``text`` (after an optional label or weekday) and
    the text after it: ``"12 نومبر 2024 شمالی کوریا ..."`` -> (2024-11-12, ``"شمالی کوریا ..."``)."""
    dates = find_dates(text[:80])
    if not dates or dates[0].iso is None:
        return None
    first = dates[0]
    before = form(text[: first.start])
    if before and not _patterns()["labels"].fullmatch(before):
        return None
    return first, _after_date(text[first.end:])


def _after_date(rest: str) -> str:
    """``rest`` without the clock time, Hijri date, time words and separators that may follow
    a leading date."""
    pats = _patterns()
    words = date_words()
    while True:
        rest = rest.lstrip(" \t,،:：-–—|ء")
        view = _ascii_digits(rest)
        found = pats["time"].match(view) or pats["islamic"].match(view)
        if found:
            rest = rest[found.end():]
            continue
        head, _, tail = rest.partition(" ")
        if head and words.get(form(head)) == "time" and tail:
            rest = tail
            continue
        return rest


def date_line(text: str) -> DateLine | None:
    """The line as a date line if it holds nothing but dates (Gregorian or Hijri), clock
    times, labels (``شائع شدہ``, ``Updated``), weekdays and punctuation; else None."""
    dates = find_dates(text)
    if not dates:
        return None
    view = _ascii_digits(text)
    pieces = []
    last = 0
    for date in dates:
        pieces.append(view[last:date.start])
        last = max(last, date.end)
    pieces.append(view[last:])
    leftover = f' {form(_patterns()["time"].sub(" ", " ".join(pieces)))} '
    role = "date"
    for phrase, what in _date_phrases():
        if f" {phrase} " in leftover:
            if what in ("published", "updated") and role == "date":
                role = what
            leftover = leftover.replace(f" {phrase} ", " ")
    if all(word.isdigit() for word in leftover.split()):
        return DateLine(next((d.iso for d in dates if d.iso), None), role, text)
    return None


@cache
def _date_phrases() -> tuple[tuple[str, str], ...]:
    """Date words longest first ("آخری اپ ڈیٹ" before "اپ ڈیٹ"), "published" labels before
    "updated" ones of the same length."""
    return tuple(sorted(date_words().items(), key=lambda item: -len(item[0])))

"""Metadata inside an article's lines: datelines, bylines, credits, dates, and the headline.

* **Dateline**: a place and a parenthesised outlet, agency, reporter role or date before the
  first paragraph's text: ``پیونگیانگ (ڈیلی پاکستان آن لائن) شمالی کوریا ...``,
  ``لاہور(نامہ نگار)``, ``اسلام آباد (اے پی پی)``, ``کراچی (ویب ڈیسک/سٹاف رپورٹر)``,
  ``لاہور (12 مارچ 2025)``, or ``واشنگٹن: ...`` / ``کراچی - ...``. :func:`split_dateline`
  returns the parts and the text after them (which stays the paragraph's text).
* **Leading date** glued to the first word: ``12 نومبر 2024شمالی ...`` (see :mod:`.dates`).
* **Byline lines**: initials with agencies (``ص ز/ ج ا (اے ایف پی، روئٹرز)``), labelled
  authors (``رپورٹ: ...``, ``تحریر: ...``, ``By ...``), a lone role (``ویب ڈیسک``) or a lone
  agency credit (``(اے پی پی)``). :func:`parse_byline`.
* **Headline**: :func:`headline_like` says whether a line has the shape of a headline.

Outlets, agencies and roles come from ``resources/clean/outlets.tsv``, ``agencies.tsv`` and
``roles.txt``: roles (نامہ نگار, ویب ڈیسک ...) are bylines, never outlets; agencies go to
``meta.agencies``; an unknown parenthesised name is kept as written as the outlet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import regex

from khabar.clean.data import agencies, continuations, form, letter_names, outlets, roles, stopwords
from khabar.clean.dates import find_dates, leading_date
from khabar.resources import read_tsv

__all__ = ["Byline", "Dateline", "dateline_only", "headline_like", "parse_byline",
           "spelled_acronym", "split_dateline", "split_first_paragraph"]


@dataclass(slots=True)
class Dateline:
    """What a dateline prefix says, and the paragraph text after it."""

    place: str | None = None
    outlet: str | None = None
    agencies: list[str] = field(default_factory=list)
    byline: str | None = None
    published: str | None = None
    rest: str = ""


@dataclass(slots=True)
class Byline:
    """A metadata line: a byline, an agency credit or a picture/source credit."""

    byline: str | None
    agencies: list[str]
    what: str  # initials | author | role | agencies | credit | outlet
    outlet: str | None = None  # a line that only names the outlet ("بی بی سی اردو")


_WORD = r"[\p{L}\p{M}\u200c]+"
_PLACE = rf"{_WORD}(?:[ \-]{_WORD}){{0,2}}"
# "place (inside) rest", optionally with a date after the place: "اسلام آباد، 24 فروری 2025 (این پی
# ڈبلیو): ..."
_DATELINE_PARENS = regex.compile(
    rf"^\s*(?P<place>{_PLACE})\s*(?:[،,]\s*(?P<date>[^()（）\[\]:：]{{4,40}}?)\s*)?"
    r"[(（\[](?P<inside>[^()（）\[\]\n]{1,80})[)）\]]"
    r"\s*[:：\-–—،,]?\s*(?P<rest>.*)$", regex.V1 | regex.DOTALL)
# "place: rest", "place - rest", "place، date: rest"
_DATELINE_COLON = regex.compile(
    rf"^\s*(?P<place>{_WORD}(?:[ \-]{_WORD})?)\s*(?:[،,]\s*(?P<date>[^:：]{{4,40}}?)\s*)?"
    r"(?:[:：]|\s[-–—])\s*(?P<rest>\S.*)$", regex.V1 | regex.DOTALL)
_PARTS = regex.compile(r"\s*(?:[/،,|؛;]|\s-\s|\sاور\s|\sand\s)\s*")
_HAS_DIGIT = regex.compile(r"\d")


def _classify_part(part: str, into: Dateline) -> bool:
    """Put one item of a dateline's parentheses into ``into``; False if it means nothing."""
    if not part:
        return True
    dates = find_dates(part)
    if dates and dates[0].iso:
        into.published = into.published or dates[0].iso
        return True
    part_form = form(part)
    if not part_form:
        return False
    for table, slot in ((outlets(), "outlet"), (agencies(), "agency"), (roles(), "role")):
        name = table.names.get(part_form)
        if name is not None:
            _put(into, slot, name, part)
            return True
    found = False
    for table, slot in ((outlets(), "outlet"), (agencies(), "agency"), (roles(), "role")):
        for _, _, name in table.find_all(part_form):
            _put(into, slot, name, part)
            found = True
        if found:
            return True
    acronym = spelled_acronym(part_form)
    if acronym:  # an unknown agency written in letter names: "این پی ڈبلیو" -> NPW
        _put(into, "agency", acronym, part)
        return True
    return False


def spelled_acronym(text_form: str) -> str | None:
    """``"این پی ڈبلیو"`` -> ``"NPW"``: an acronym written out in Urdu letter names (2-6
    letters), or None."""
    words = text_form.split()
    if not 2 <= len(words) <= 6:
        return None
    names = letter_names()
    letters = [names.get(w) for w in words]
    return "".join(letters) if all(letters) else None  # type: ignore[arg-type]


def _put(into: Dateline, slot: str, name: str, written: str) -> None:
    if slot == "outlet":
        into.outlet = into.outlet or name
    elif slot == "agency":
        if name not in into.agencies:
            into.agencies.append(name)
    else:
        into.byline = f"{into.byline}/{written.strip()}" if into.byline else written.strip()


def _starts_like_text(rest: str) -> bool:
    """The text after a dateline must start a sentence, not continue one (``حکومت (پی ٹی آئی)
    نے ...`` is a sentence with a bracket, not a dateline)."""
    words = rest.split(maxsplit=1)
    if not words:
        return False
    first = form(words[0])
    return bool(first) and first not in continuations()


def _place_ok(place: str, max_words: int) -> bool:
    words = place.split()
    if not 1 <= len(words) <= max_words:
        return False
    stop = stopwords("ur") | stopwords("en")
    return all(form(w) not in stop for w in words)


def split_dateline(text: str) -> Dateline | None:
    """The dateline at the start of a paragraph's display text, or None.

    >>> d = split_dateline("لاہور (نامہ نگار) صوبائی حکومت نے نئی پالیسی کا اعلان کیا ہے۔")
    >>> d.place, d.byline, d.rest[:12]
    ('لاہور', 'نامہ نگار', 'صوبائی حکومت')
    """
    match = _DATELINE_PARENS.match(text)
    if match and _place_ok(match["place"], 3) and _date_ok(match["date"]):
        line = Dateline(place=match["place"].strip(), rest=match["rest"].strip(),
                        published=_date_of(match["date"]))
        parts = [p for p in _PARTS.split(match["inside"].strip()) if p]
        unknown = [p for p in parts if not _classify_part(p, line)]
        if unknown:
            if len(unknown) > 1 or len(unknown[0].split()) > 5 or _HAS_DIGIT.search(unknown[0]):
                return None
            if line.outlet is None and (line.agencies or line.byline or line.published):
                line.outlet = unknown[0].strip()
            elif line.outlet is None and len(line.place.split()) <= 2:
                line.outlet = unknown[0].strip()  # an unknown name, kept as written
            else:
                return None
        if line.rest and not _starts_like_text(line.rest):
            return None
        return line
    match = _DATELINE_COLON.match(text)
    if (match and _place_ok(match["place"], 2) and len(match["rest"].split()) >= 5
            and _starts_like_text(match["rest"]) and not _HAS_DIGIT.search(match["place"])
            and _date_ok(match["date"])):
        return Dateline(place=match["place"].strip(), rest=match["rest"].strip(),
                        published=_date_of(match["date"]))
    return None


def _date_ok(text: str | None) -> bool:
    """A date between a dateline's place and its brackets must really be a date."""
    return text is None or _date_of(text) is not None


def _date_of(text: str | None) -> str | None:
    if not text:
        return None
    dates = find_dates(text)
    return dates[0].iso if dates and dates[0].iso else None


def dateline_only(text: str) -> Dateline | None:
    """A line that is nothing but a dateline (``اسلام آباد (اے پی پی)``), naming a known outlet,
    agency, reporter role or a date; else None."""
    if "(" not in text and "（" not in text:
        return None
    line = split_dateline(text)
    if line is None or line.rest:
        return None
    known_outlet = line.outlet is not None and line.outlet in set(outlets().names.values())
    if known_outlet or line.agencies or line.byline or line.published:
        return line
    return None


def split_first_paragraph(text: str) -> tuple[Dateline, str] | None:
    """Metadata at the start of the first paragraph: a leading (glued) date and/or a
    dateline. Returns the metadata and the paragraph text without it, or None.

    A leading date counts only when it is glued to the text or set off by punctuation, and the
    text does not go on with a postposition (``12 نومبر کو ...`` is story text).
    """
    meta = Dateline()
    rest = text
    changed = False
    found = leading_date(rest)
    if found is not None:
        date, after = found
        if after and _starts_like_text(after):
            meta.published = date.iso
            rest = after
            changed = True
    dateline = split_dateline(rest)
    if dateline is not None and dateline.rest:
        meta.place, meta.outlet = dateline.place, dateline.outlet
        meta.agencies, meta.byline = dateline.agencies, dateline.byline
        meta.published = meta.published or dateline.published
        rest = dateline.rest
        changed = True
        found = leading_date(rest)
        if found is not None and found[1] and _starts_like_text(found[1]):
            meta.published = meta.published or found[0].iso
            rest = found[1]
    if not changed:
        return None
    meta.rest = rest
    return meta, rest


# --------------------------------------------------------------------------- bylines

_LETTER = r"[\p{Arabic}&&\p{L}]\p{M}*"
_INITIALS = regex.compile(
    rf"^\s*(?P<who>{_LETTER}(?:(?:\s*[/،,.\-]\s*|\s+){_LETTER}){{1,9}})\s*"
    r"(?:[(（](?P<credit>[^()（）]{1,80})[)）])?\s*$", regex.V1)
_LATIN_INITIALS = regex.compile(
    r"^\s*(?P<who>[a-z]{2,3}(?:\s*/\s*[a-z]{2,3})+)\s*(?:\((?P<credit>[^()]{1,80})\))?\s*$",
    regex.IGNORECASE)
_BY = regex.compile(r"^\s*By\s+(?P<who>\p{Lu}[\p{L}.'\- ]{1,60})$", regex.V1)
_BRACKETS = regex.compile(r"^\s*[(（\[]\s*(?P<inner>[^()（）\[\]]+?)\s*[)）\]]\s*$")


def _labels(kind: str) -> str:
    labels = sorted((row[1] for row in read_tsv("clean", "byline_labels.tsv") if row[0] == kind),
                    key=len, reverse=True)
    return "|".join(regex.escape(label).replace(r"\ ", " ") for label in labels)


@cache
def _labelled() -> regex.Pattern[str]:
    """``label: name`` bylines (``resources/clean/byline_labels.tsv``, kind byline)."""
    return regex.compile(rf"^\s*(?:{_labels('byline')})\s*[:：]\s*(?P<who>\S.{{0,80}})$",
                         regex.IGNORECASE | regex.V1)


@cache
def _credit() -> regex.Pattern[str]:
    """Source credits and notes about the author (kind credit)."""
    return regex.compile(rf"^\s*(?:{_labels('credit')})\s*[:：]?\s*\S", regex.IGNORECASE)


def _agency_list(text: str) -> tuple[list[str], bool]:
    """Canonical agencies named in ``text`` and whether they are all it says."""
    text_form = form(text)
    found = agencies().find_all(text_form)
    names: list[str] = []
    rest = text_form
    for start, end, name in reversed(found):
        rest = rest[:start] + " " + rest[end:]
        if name not in names:
            names.insert(0, name)
    only = bool(names) and all(word in ("اور", "and") for word in rest.split())
    return names, only


def _ordinary_words(text: str) -> bool:
    """The agency names in ``text`` are all also ordinary words (آن لائن, ٹاس)."""
    table = agencies()
    found = table.pattern.findall(form(text))
    return bool(found) and all(name in table.bracketed_only for name in found)


def parse_byline(text: str) -> Byline | None:
    """The line as a metadata line (byline, agency credit, source credit), or None.

    >>> b = parse_byline("ع ا / ر ب (روئٹرز، اے پی)")
    >>> b.byline, b.agencies
    ('ع ا / ر ب', ['Reuters', 'AP'])
    """
    if len(text) > 160:
        return None
    for pattern in (_INITIALS, _LATIN_INITIALS):
        match = pattern.match(text)
        if match:
            credit = match["credit"]
            names = _agency_list(credit)[0] if credit else []
            if credit and not names and not roles().find_all(form(credit)):
                return None  # "(...)" after letters that is no credit: not a byline
            return Byline(" ".join(match["who"].split()), names, "initials")
    match = _labelled().match(text) or _BY.match(text)
    if match and len(match["who"].split()) <= 10:
        who = match["who"].strip()
        names, only = _agency_list(who)
        return Byline(None if only else who, names, "author")
    inner = text
    bracketed = _BRACKETS.match(text)
    if bracketed:
        inner = bracketed["inner"]
    if len(inner.split()) <= 8:
        names, only = _agency_list(inner)
        if only and (bracketed or not _ordinary_words(inner)):
            return Byline(None, names, "agencies")
        inner_form = form(inner)
        if inner_form and roles().names.get(inner_form):
            return Byline(inner.strip(), [], "role")
        outlet = outlets().names.get(inner_form) if inner_form else None
        if outlet is not None:  # the site's name on a line of its own (logo text, credit)
            return Byline(None, [], "outlet", outlet)
    if _credit().match(inner) and len(inner.split()) <= 16:
        return Byline(None, _agency_list(inner)[0], "credit")
    return None


# --------------------------------------------------------------------------- headlines

_FULL_STOP = regex.compile(r"[۔.!]\s*[\"'”’»)\]]*\s*$")


def headline_like(text: str, words: int) -> bool:
    """A headline's shape: 3-30 words, letters, not ending in a full stop."""
    return 3 <= words <= 30 and not _FULL_STOP.search(text)

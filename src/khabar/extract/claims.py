"""Numeric claims with their sources: "جنوبی کوریا کے مطابق، تقریباً 600 فوجی ہلاک ہو چکے ہیں".

``find_claims(text, entities=None)`` returns one :class:`Claim` per quantity of ``text`` (display
form; offsets point into it): the number (read by :mod:`khabar.urdu.numbers`: digits, number
words, scale words, ranges, percentages, vague ``ہزاروں``/``درجنوں``), an approximator
(``resources/facts/approximators.tsv``: تقریباً، لگ بھگ، کم از کم، سے زائد ...), the counted thing
(``what``: the noun phrase after the number, ending at a counted noun or a function word of
``resources/facts/what.tsv``), a short predicate (``ہلاک ہو چکے ہیں``) and the sources named in
the same sentence. ``ہفتے میں 2 بار پروازیں`` is a frequency: value 2, ``unit="times"``,
``frequency="week"``, what ``پروازیں`` (``resources/facts/quantity.tsv``). A claim is approximate
with an approximator (also after its unit: ``10 ارب ڈالر سے تجاوز``), as a forecast (``38 ارب ڈالر
تک پہنچنے کی توقع``, qualifier ``expected``) or as a vague number word (``ہزاروں``). ``پانچوں
ارکان`` ("all five") counts 5; English pages' ``$7bn`` is 7 billion.

Not claims: numbers inside dates (``12 نومبر 2024``, ``2024ء``), ordinals (``پہلی بار``), clock
times (``10:45``, ``5 بجے``), phone numbers and codes (``0300-1234567``), identifiers
(``دفعہ 144``، ``ایف 16``، ``این اے 120``).

Sources come from :func:`find_attributions`, which the quotes extractor shares: cue phrases of
``resources/facts/attribution.tsv`` (``X کے مطابق``، ``X کا کہنا ہے کہ``، ``X نے بتایا کہ``، ``X نے
اعلان کیا تھا کہ``، ``X نے دعویٰ کیا``، ``بیان میں کہا گیا کہ`` ...). The source phrase ``X`` is read
backwards from the cue up to a clause boundary or a word of ``resources/facts/source_stops.txt``;
genitives (``یوکرین کی وزارت دفاع``), lists (``A، B اور C``) and an acronym in brackets
(``نیشنل ڈیزاسٹر مینجمنٹ اتھارٹی (این ڈی ایم اے)``) stay inside; a title in commas before the cue
is passed over (``رستم عمروف، یوکرین کے وزیر دفاع، نے کہا``). ``X کی جانب سے ... اعلان`` makes X the
source of the numbers before the noun. A sentence without a source of its own and without an
agent takes the source that opens the next sentence of its paragraph (``... 300 افراد ہلاک ہو
گئے۔ صوبائی حکام کے مطابق ...``). Lists are split on
``،``/``اور`` and, where known names stand side by side with only a space between them
(``جنوبی کوریا یوکرین``), at the names (but an organisation and the place of its branch are one
source: ``پی ڈی ایم اے پنجاب``): from ``entities`` (mentions with ``start``/``end`` and
optionally ``id``/``type``), else from :mod:`khabar.extract.gazetteer` when it is installed, else
from CLDR's Urdu country names (babel). A speaker phrase is reduced to its name: a known entity
ending the phrase, an acronym (``کے سی این اے``) or the words after a title (``وزیر خارجہ چو سون
ہوئی`` -> ``چو سون ہوئی``). Generic words and pronouns (``ایجنسی``، ``ترجمان``، ``انہوں``، ``بیان``,
``resources/facts/speakers.tsv``) take the latest earlier compatible source of the text (or of
``context``, the preceding sentences of the article).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from typing import Any

import regex

from khabar.extract.dates import find_dates, phrase_key, phrase_regex
from khabar.resources import read_lines, read_tsv
from khabar.urdu.numbers import Number, find_numbers
from khabar.urdu.segment import sentence_spans

__all__ = ["Attribution", "Claim", "Reading", "Source", "find_attributions", "find_claims",
           "read_facts"]


@dataclass(frozen=True, slots=True)
class Source:
    """Who a claim or quote is attributed to: ``text`` as written (or, for ``ایجنسی`` and
    ``انہوں``, the earlier name it stands for), the entity id when known, and the offsets of the
    words in the text that name it (``via`` is the generic word when it was resolved)."""

    text: str
    entity: str | None = None
    start: int = -1
    end: int = -1
    via: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "entity": self.entity, "start": self.start, "end": self.end,
                "via": self.via}


@dataclass(frozen=True, slots=True)
class Claim:
    """A quantity stated in sentence ``text``; ``number_text`` is ``text``'s quantity with its
    approximator and ``times`` word (``تقریباً 600``, ``2 بار``) at ``start:end`` of the input.

    ``value`` is None for ranges (see ``low``/``high``) and vague quantities (``vague=True``).
    ``qualifier``: about, at_least, more_than, less_than, up_to or expected (a forecast);
    ``approximate`` is True with a qualifier and for a vague number; ``unit``: ``%`` or ``times``;
    ``frequency``: day, week, month or year (per ...).
    """

    text: str
    value: int | float | None
    approximate: bool
    what: str | None
    sources: list[Source]
    number_text: str
    start: int
    end: int
    qualifier: str | None = None
    vague: bool = False
    low: int | float | None = None
    high: int | float | None = None
    unit: str | None = None
    frequency: str | None = None
    predicate: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text, "value": self.value, "approximate": self.approximate,
            "what": self.what, "sources": [s.to_dict() for s in self.sources],
            "number_text": self.number_text, "start": self.start, "end": self.end,
            "qualifier": self.qualifier, "vague": self.vague, "low": self.low, "high": self.high,
            "unit": self.unit, "frequency": self.frequency, "predicate": self.predicate,
        }


@dataclass(frozen=True, slots=True)
class Attribution:
    """An attribution cue of the text and what it attributes to.

    ``kind``: according (``X کے مطابق``), speech (``X نے کہا``), kahna (``X کا کہنا ہے``),
    passive (``بیان میں کہا گیا``). ``cue_start:cue_end`` is the cue, ``clause_start`` where the
    reported clause begins after ``کہ`` (None when no ``کہ`` follows), ``phrase_start:
    phrase_end`` the source phrase (-1 when there is none), ``sources`` the phrase split into
    sources and ``speaker`` the phrase as one source (None when nobody is named or known).
    ``scope`` is the part of the sentence the cue covers when it is not all of it (``X کی جانب
    سے ... اعلان``: from the phrase to the noun).
    """

    kind: str
    cue_start: int
    cue_end: int
    clause_start: int | None
    phrase_start: int
    phrase_end: int
    sources: list[Source] = field(default_factory=list)
    speaker: Source | None = None
    sentence: tuple[int, int] = (0, 0)
    scope: tuple[int, int] | None = None


# --------------------------------------------------------------------------- data

_TOKEN = regex.compile(r"[\p{L}\p{M}\u200c\u200d]+|\p{N}+(?:[.,٫٬]\p{N}+)*|[^\s\p{L}\p{M}\p{N}]")
_QUOTE_MARKS = frozenset("\"'“”‘’«»‹›")
_LIST_SEPARATORS = frozenset("،,")
_WB = r"(?<![\p{L}\p{M}])"
_WE = r"(?![\p{L}\p{M}])"
_MAX_PHRASE = 12


@dataclass(frozen=True, slots=True)
class _Data:
    according: regex.Pattern[str]
    according_after: regex.Pattern[str]
    kahna: regex.Pattern[str]
    speech: regex.Pattern[str]
    speech_en: regex.Pattern[str]
    on_behalf: regex.Pattern[str]
    ne: regex.Pattern[str]
    passive: frozenset[str]
    stops: frozenset[str]
    generic: dict[str, str]  # key -> entity type or "-"
    pronouns: dict[str, str]
    not_sources: frozenset[str]
    letter_names: frozenset[str]
    titles: tuple[tuple[str, ...], ...]
    titles_from: dict[str, tuple[tuple[str, ...], ...]]  # first word -> titles, longest first
    title_ends: frozenset[str]
    approx_before: regex.Pattern[str]
    approx_after: regex.Pattern[str]
    approx_never: regex.Pattern[str]
    forecast: regex.Pattern[str]
    collective: regex.Pattern[str]
    collective_value: dict[str, int]
    scale_suffix: regex.Pattern[str]
    scale_of: dict[str, int]
    statement: regex.Pattern[str]
    id_numbers: frozenset[str]
    qualifiers: dict[str, str]
    times: regex.Pattern[str]
    periods: regex.Pattern[str]
    period_of: dict[str, str]
    id_before: regex.Pattern[str]
    id_after: regex.Pattern[str]
    heads: frozenset[str]
    what_stops: frozenset[str]
    verbs: frozenset[str]
    plural: regex.Pattern[str]
    clause_end: regex.Pattern[str]


def _rows(kind: str, rows: Iterable[tuple[str, ...]]) -> list[str]:
    return [row[1] for row in rows if row[0] == kind]


def _titles() -> tuple[tuple[str, ...], ...]:
    """Titles and offices written before a person's name, from the name tagger's cue list
    (``resources/models/tagger_cues.txt``, class PER_TITLE), longest first."""
    try:
        rows = read_tsv("models", "tagger_cues.txt")
    except FileNotFoundError:
        return ()
    titles = {tuple(phrase_key(row[1]).split()) for row in rows
              if len(row) > 1 and row[0] == "PER_TITLE"}
    return tuple(sorted(titles, key=len, reverse=True))


def _by_first_word(titles: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for title in titles:  # already longest first
        out.setdefault(title[0], []).append(title)
    return {first: tuple(group) for first, group in out.items()}


@cache
def _data() -> _Data:
    attribution = read_tsv("facts", "attribution.tsv")
    aux = phrase_regex(_rows("aux", attribution))
    speakers = read_tsv("facts", "speakers.tsv")
    approximators = read_tsv("facts", "approximators.tsv")
    quantity = read_tsv("facts", "quantity.tsv")
    what = read_tsv("facts", "what.tsv")
    try:
        letter_names = frozenset(read_lines("urdu", "seg_letter_names.txt"))
    except FileNotFoundError:
        letter_names = frozenset()
    id_letters = letter_names - {phrase_key(w) for w in _rows("id_not", quantity)}
    before = [row[0] for row in approximators if row[1] == "before"]
    collectives = {phrase_key(row[1]): int(row[2]) for row in quantity if row[0] == "collective"}
    next_words = phrase_regex(_rows("speech_next", attribution))
    after = [row[0] for row in approximators if row[1] == "after"]
    periods = [row[1] for row in quantity if row[0] == "period"]
    ke = rf"{_WB}کہ{_WE}"
    return _Data(
        according=regex.compile(rf"{_WB}{phrase_regex(_rows('according', attribution))}{_WE}"),
        according_after=regex.compile(
            rf"{_WB}{phrase_regex(_rows('according_after', attribution))}{_WE}"),
        kahna=regex.compile(
            rf"{_WB}{phrase_regex(_rows('kahna', attribution))}{_WE}(?:\s*(?P<ke>{ke}))?"),
        speech=regex.compile(
            rf"{_WB}(?P<verb>{phrase_regex(_rows('speech_verb', attribution))})"
            rf"(?P<aux>(?:\s+{aux}{_WE})*)"
            rf"(?=\s*(?:(?P<ke>{ke})|[\p{{P}}]|$|{_WB}{next_words}{_WE}))"
            rf"(?:\s*(?P<ke2>{ke}))?"),
        speech_en=regex.compile(
            rf"\b(?P<verb>{'|'.join(map(regex.escape, _rows('speech_verb_en', attribution)))})"
            rf"\b(?P<aux>)(?:\s+(?P<ke2>that)\b)?"),
        on_behalf=regex.compile(rf"{_WB}{phrase_regex(_rows('on_behalf', attribution))}{_WE}"),
        ne=regex.compile(rf"{_WB}نے{_WE}"),
        passive=frozenset(phrase_key(w) for w in _rows("passive", attribution)),
        stops=frozenset(phrase_key(w) for w in read_lines("facts", "source_stops.txt")),
        generic={phrase_key(r[0]): r[2] for r in speakers if r[1] == "generic"},
        pronouns={phrase_key(r[0]): r[2] for r in speakers if r[1] == "pronoun"},
        not_sources=frozenset(phrase_key(r[0]) for r in speakers if r[1] == "not_source"),
        letter_names=letter_names,
        titles=_titles(),
        titles_from=_by_first_word(_titles()),
        title_ends=frozenset(t[-1] for t in _titles()),
        approx_before=regex.compile(rf"{_WB}(?P<q>{phrase_regex(before)})[\s$€£₨]*$"),
        approx_after=regex.compile(rf"\s*(?P<q>{phrase_regex(after)}){_WE}"),
        approx_never=regex.compile(
            rf"\s*{phrase_regex(row[0] for row in approximators if row[1] == 'never')}{_WE}"),
        forecast=regex.compile(
            rf"\p{{L}}نے\s+"
            rf"{phrase_regex(row[0] for row in approximators if row[1] == 'forecast')}{_WE}"),
        collective=regex.compile(rf"{_WB}{phrase_regex(collectives)}{_WE}"),
        collective_value=collectives,
        scale_suffix=regex.compile(
            rf"(?P<s>{'|'.join(regex.escape(r[1]) for r in quantity if r[0] == 'scale_suffix')})"
            r"(?![\p{L}\p{N}])"),
        scale_of={r[1]: int(r[2]) for r in quantity if r[0] == "scale_suffix"},
        statement=regex.compile(
            rf"{_WB}{phrase_regex(_rows('statement', attribution))}{_WE}"),
        id_numbers=frozenset(_rows("id_number", quantity)),
        qualifiers={phrase_key(row[0]): row[2] for row in approximators},
        times=regex.compile(rf"\s*(?P<t>{phrase_regex(_rows('times', quantity))}){_WE}"),
        periods=regex.compile(rf"{_WB}(?P<p>{phrase_regex(periods)})\s*$"),
        period_of={phrase_key(row[1]): row[2] for row in quantity if row[0] == "period"},
        id_before=regex.compile(
            rf"{_WB}{phrase_regex(_rows('id_before', quantity) + sorted(id_letters))}"
            rf"[\s\-]*$"),
        id_after=regex.compile(rf"\s*{phrase_regex(_rows('id_after', quantity))}{_WE}"),
        heads=frozenset(phrase_key(w) for w in _rows("head", what)),
        what_stops=frozenset(phrase_key(w) for w in _rows("stop", what)),
        verbs=frozenset(phrase_key(w) for w in _rows("verb", what)),
        plural=regex.compile(
            rf"\p{{L}}{{2}}(?:{'|'.join(map(regex.escape, _rows('plural_suffix', what)))})$"),
        clause_end=regex.compile(
            rf"[۔؟!?،,؛;:\n]|{_WB}{phrase_regex(w for w, _ in read_tsv('urdu', 'clause_connectives.tsv'))}"
            rf"{_WE}"),
    )


# --------------------------------------------------------------------------- entities


@dataclass(frozen=True, slots=True)
class _Entity:
    start: int
    end: int
    id: str | None
    type: str | None


def _field(obj: Any, *names: str) -> Any:
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value is not None:
            return value
    return None


def _as_entities(items: Iterable[Any]) -> list[_Entity]:
    out = []
    for item in items:
        start, end = _field(item, "start"), _field(item, "end")
        if not isinstance(start, int) or not isinstance(end, int):
            continue
        ent = _field(item, "entity_id", "id", "entity")
        if ent is not None and not isinstance(ent, str):
            ent = _field(ent, "id")
        kind = _field(item, "type", "label")
        out.append(_Entity(start, end, ent if isinstance(ent, str) else None,
                           kind if isinstance(kind, str) else None))
    return sorted(out, key=lambda e: (e.start, -e.end))


@cache
def _gazetteer() -> Any:
    try:
        from khabar.extract.gazetteer import Gazetteer
    except ImportError:
        return None
    return Gazetteer.load()


@cache
def _country_names() -> regex.Pattern[str] | None:
    """Fallback when no gazetteer is installed: CLDR's Urdu country names (babel)."""
    try:
        from babel import Locale
    except ImportError:
        return None
    names = [n for n in Locale("ur").territories.values() if len(n) > 2]
    return regex.compile(rf"{_WB}{phrase_regex(names)}{_WE}")


def entity_spans(text: str, entities: Iterable[Any] | None = None) -> list[_Entity]:
    """Known names in ``text``: the given mentions, else the gazetteer's, else country names."""
    if entities is not None:
        return _as_entities(entities)
    gazetteer = _gazetteer()
    if gazetteer is not None:
        return _as_entities(gazetteer.find(text))
    pattern = _country_names()
    if pattern is None:
        return []
    return [_Entity(m.start(), m.end(), None, "PLACE") for m in pattern.finditer(text)]


# --------------------------------------------------------------------------- source phrases


def _tokens(text: str, start: int, end: int) -> list[regex.Match[str]]:
    return list(_TOKEN.finditer(text, start, end))


def _is_word(token: str) -> bool:
    return token[0].isalpha() or token[0].isdigit()


def _phrase_before(text: str, lo: int, hi: int, data: _Data, blocked: list[tuple[int, int]],
                   entities: list[_Entity]) -> tuple[int, int] | None:
    """The source phrase that ends at ``hi``: read backwards to a clause boundary, a stop word or
    a date. Commas stay inside a list that ends in اور (A، B اور C). The word right before the
    cue always belongs to the phrase (a verb never stands before نے: چو سون ہوئی نے), and so do
    the words of a known name and an acronym in brackets after a name (نیشنل ڈیزاسٹر مینجمنٹ
    اتھارٹی (این ڈی ایم اے) کا کہنا ہے). A title set off by commas right before the cue is
    passed over to the name before it (رستم عمروف، یوکرین کے وزیر دفاع، نے کہا)."""
    tokens = _tokens(text, lo, hi)
    entities = [e for e in entities if e.end > lo and e.start < hi]
    blocked = [b for b in blocked if b[1] > lo and b[0] < hi]
    taken: list[regex.Match[str]] = []
    saw_and = False
    i = len(tokens)
    while i > 0:
        i -= 1
        token = tokens[i]
        word = token.group()
        if len(taken) >= _MAX_PHRASE:
            break
        if word in _QUOTE_MARKS:
            continue
        if word == ")":
            opening = next((j for j in range(i - 1, max(-1, i - 8), -1)
                            if tokens[j].group() in "()"), None)
            if opening is None or tokens[opening].group() != "(" or opening == i - 1:
                break
            taken.extend(reversed(tokens[opening:i + 1]))
            i = opening
            continue
        if not _is_word(word):
            if word in _LIST_SEPARATORS and saw_and and taken:
                continue
            if word in _LIST_SEPARATORS and not taken:
                opening = next((j for j in range(i - 2, max(0, i - _MAX_PHRASE), -1)
                                if tokens[j].group() in _LIST_SEPARATORS), None)
                if opening is not None and all(_is_word(t.group())
                                               for t in tokens[opening + 1:i]):
                    i = opening  # the apposition between the two commas is left out
                    continue
            break
        key = phrase_key(word)
        named = any(e.start <= token.start() and token.end() <= e.end for e in entities)
        if taken and not named and (key in data.stops or any(
                s < token.end() and token.start() < e for s, e in blocked)):
            break
        if not taken and any(s < token.end() and token.start() < e for s, e in blocked):
            break
        if key == "اور":
            saw_and = True
        taken.append(token)
    taken.reverse()
    if taken and taken[0].group() == "(":  # only an acronym in brackets: the acronym
        taken = [t for t in taken if t.group() not in "()"]
    # A phrase does not open with a genitive or a conjunction, unless it is a word of a known
    # name (کے الیکٹرک) or of an acronym (کے سی این اے).
    while taken:
        first = phrase_key(taken[0].group())
        following = phrase_key(taken[1].group()) if len(taken) > 1 else ""
        named = any(e.start <= taken[0].start() and taken[0].end() <= e.end for e in entities)
        genitive = (first in ("کا", "کی", "کے") and following not in data.letter_names
                    and not named)
        if not (genitive or first == "اور"):
            break
        taken.pop(0)
    while taken and phrase_key(taken[-1].group()) == "اور":
        taken.pop()
    if not taken:
        return None
    return taken[0].start(), taken[-1].end()


def _phrase_after(text: str, lo: int, hi: int, data: _Data) -> tuple[int, int] | None:
    """The source phrase that starts at ``lo`` (بقول X): up to a stop word or punctuation."""
    taken = []
    for token in _tokens(text, lo, hi):
        word = token.group()
        if not _is_word(word) or word[0].isdigit() or phrase_key(word) in data.stops \
                or len(taken) >= 6:
            break
        taken.append(token)
    if not taken:
        return None
    return taken[0].start(), taken[-1].end()


def _head(text: str, start: int, end: int, data: _Data, entities: list[_Entity]
          ) -> tuple[int, int, _Entity | None]:
    """The name a phrase ends in: a known entity (with its acronym in brackets and a place
    that qualifies it: پی ڈی ایم اے پنجاب), an acronym, or the words after a title."""
    group = _name_group(text, start, end, entities)
    if group is not None:
        return group
    words = [t for t in _tokens(text, start, end) if _is_word(t.group())]
    for ent in reversed(entities):
        if start <= ent.start and ent.end <= end and not text[ent.end:end].strip(" \"'“”‘’«»"):
            before = [phrase_key(t.group()) for t in words if t.end() <= ent.start]
            if ent.type in ("ORG", "PLACE") and before and before[-1] in data.title_ends:
                return start, end, ent  # ترجمان دفتر خارجہ: the spokesman, not the office
            return ent.start, ent.end, ent
    run = 0
    for token in reversed(words):
        if phrase_key(token.group()) in data.letter_names:
            run += 1
        else:
            break
    if run >= 2:
        return words[-run].start(), words[-1].end(), None
    keys = [phrase_key(t.group()) for t in words]
    j, after_title = 0, 0
    while j < len(keys):
        title = next((t for t in data.titles_from.get(keys[j], ())
                      if tuple(keys[j:j + len(t)]) == t), None)
        j = j + len(title) if title else j + 1
        if title:
            after_title = j
    if 0 < after_title < len(words):
        return words[after_title].start(), words[-1].end(), None
    return start, end, None


_TRAILING = " \"'“”‘’«»"
_BRACKET_GAP = regex.compile(r"\s*[()]?\s*")


def _name_group(text: str, start: int, end: int, entities: list[_Entity]
                ) -> tuple[int, int, _Entity | None] | None:
    """Names that make one source at the end of a phrase: a name and its acronym in brackets
    (عالمی مالیاتی فنڈ (آئی ایم ایف)), an organisation and the place of its branch (پی ڈی ایم
    اے خیبرپختونخوا), or both. None when the phrase does not end in such a group."""
    inside = [e for e in entities if start <= e.start and e.end <= end]
    if len(inside) < 2 or text[inside[-1].end:end].strip(_TRAILING + ")"):
        return None
    group = [inside[-1]]
    for ent in reversed(inside[:-1]):
        later = group[0]
        if ent.end > later.start or not _BRACKET_GAP.fullmatch(text, ent.end, later.start):
            break
        acronym = ent.id is not None and ent.id == later.id and "(" in text[ent.end:later.start]
        branch = ent.type == "ORG" and later.type == "PLACE" and len(group) == 1
        if not (acronym or branch):
            break
        group.insert(0, ent)
    if len(group) < 2:
        return None
    stop = end
    while stop > group[-1].end and text[stop - 1] in _TRAILING:
        stop -= 1
    head = next((e for e in group if e.type != "PLACE"), group[0])
    return group[0].start, stop, head


def _split(text: str, start: int, end: int, data: _Data, entities: list[_Entity]
           ) -> list[tuple[int, int, _Entity | None]]:
    """Sources of a phrase: split at ، and اور, then at names standing side by side."""
    parts: list[tuple[int, int]] = []
    begin = start
    for m in regex.finditer(rf"\s*[،,]\s*|\s+{_WB}اور{_WE}\s+", text[start:end]):
        parts.append((begin, start + m.start()))
        begin = start + m.end()
    parts.append((begin, end))
    out: list[tuple[int, int, _Entity | None]] = []
    for p_start, p_end in parts:
        if p_start >= p_end:
            continue
        inside = [e for e in entities if p_start <= e.start and e.end <= p_end]
        if len(inside) >= 2 and _tiles(text, p_start, p_end, inside) \
                and _name_group(text, p_start, p_end, inside) is None:
            out.extend((e.start, e.end, e) for e in inside)
        else:
            out.append(_head(text, p_start, p_end, data, entities))
    return out


def _tiles(text: str, start: int, end: int, entities: list[_Entity]) -> bool:
    """True when the entities cover ``start:end`` with nothing but spaces between them."""
    position = start
    for ent in entities:
        if ent.start < position or text[position:ent.start].strip():
            return False
        position = ent.end
    return not text[position:end].strip()


# --------------------------------------------------------------------------- attributions


@dataclass(slots=True)
class _Known:
    position: int
    source: Source
    phrase: str  # key form of the whole phrase it was named in
    type: str | None


def _generic_word(key: str, data: _Data) -> tuple[str, str, bool] | None:
    """(word, type, is_pronoun) when a phrase is only a generic noun or a pronoun (perhaps after
    a few adjectives: سرکاری خبر رساں ایجنسی)."""
    if key in data.pronouns:
        return key, data.pronouns[key], True
    if any(g in key.split() for g in ("کا", "کی", "کے")):
        return None  # "ضلعی انتظامیہ کے ترجمان" names its owner: not a stand-in
    for word, kind in data.generic.items():
        if key == word or key.endswith(" " + word):
            return word, kind, False
    return None


def _resolve(source: Source, data: _Data, known: list[_Known], before: int) -> Source:
    generic = _generic_word(phrase_key(source.text), data)
    if generic is None:
        return source
    word, kind, pronoun = generic
    for candidate in reversed(known):
        if candidate.position >= before:
            continue
        typed = kind not in ("-", "*") and candidate.type is not None
        if pronoun or kind == "*":
            ok = not typed or kind == "*" or candidate.type == kind
        else:
            ok = word in candidate.phrase.split() or word in candidate.phrase or (
                typed and candidate.type == kind)
        if ok:
            return Source(candidate.source.text, candidate.source.entity, source.start,
                          source.end, via=source.text)
    return source


def _source(text: str, span: tuple[int, int, _Entity | None]) -> Source:
    start, end, ent = span
    return Source(text[start:end], ent.id if ent else None, start, end)


def _speech_subject(text: str, lo: int, verb_start: int, data: _Data) -> int | None:
    """The end of the subject of a speech verb: the nearest ``نے`` before it in the clause."""
    last = None
    for m in data.ne.finditer(text, lo, verb_start):
        last = m.start()
    return last


def _clause_floor(text: str, lo: int, hi: int, commas: bool = True) -> int:
    """The start of the clause that ends at ``hi``: after the last ۔ or کہ before it, and
    after the last comma too unless ``commas`` is False (a source list A، B اور C keeps its
    commas; :func:`_phrase_before` decides about them)."""
    floor = lo
    for m in (_CLAUSE_MARK if commas else _SENTENCE_MARK).finditer(text, lo, hi):
        floor = m.end()
    return floor


# A clause that opens with a name and a title set off by commas: "رستم عمروف، وزیر دفاع اوکراین،"
_APPOSITION = regex.compile(
    r"\s*(?P<x>[\p{L}\p{M}]+(?:[ \u200c][\p{L}\p{M}]+){0,4})\s*[،,][^،,۔.\n]{2,80}[،,]")
_CLAUSE_MARK = regex.compile(rf"[۔؟!?،,؛;]|{_WB}کہ{_WE}")
_SENTENCE_MARK = regex.compile(rf"[۔؟!?؛;\n]|{_WB}کہ{_WE}")


_Cue = tuple[str, int, int, int | None, tuple[int, int] | None, tuple[int, int] | None]


def _skip_spaces(text: str, position: int, end: int) -> int:
    while position < end and text[position].isspace():
        position += 1
    return position


def _sentence_attributions(text: str, s0: int, s1: int, data: _Data,
                           blocked: list[tuple[int, int]], ents: list[_Entity]) -> list[_Cue]:
    """Raw cues of one sentence: (kind, cue_start, cue_end, clause_start, phrase, scope);
    ``scope`` is the part of the sentence a cue covers when it is not all of it."""
    found: list[_Cue] = []
    for m in data.according.finditer(text, s0, s1):
        floor = _clause_floor(text, s0, m.start(), commas=False)
        found.append(("according", m.start(), m.end(), None,
                      _phrase_before(text, floor, m.start(), data, blocked, ents), None))
    for m in data.according_after.finditer(text, s0, s1):
        found.append(("according", m.start(), m.end(), None,
                      _phrase_after(text, m.end(), s1, data), None))
    for m in data.kahna.finditer(text, s0, s1):
        floor = _clause_floor(text, s0, m.start(), commas=False)
        found.append(("kahna", m.start(), m.end(),
                      _skip_spaces(text, m.end("ke"), s1) if m.group("ke") else None,
                      _phrase_before(text, floor, m.start(), data, blocked, ents), None))
    for m in data.on_behalf.finditer(text, s0, s1):
        # "X کی جانب سے [شرح میں 0.5 فیصد کمی کے] اعلان": X states the numbers up to the noun
        end_mark = data.clause_end.search(text, m.end(), s1)
        noun = data.statement.search(text, m.end(), end_mark.start() if end_mark else s1)
        if noun is None:
            continue
        floor = _clause_floor(text, s0, m.start(), commas=False)
        phrase = _phrase_before(text, floor, m.start(), data, blocked, ents)
        if phrase is not None:
            found.append(("according", m.start(), m.end(), None, phrase,
                          (phrase[0], noun.end())))
    kahna_spans = [(f[1], f[2]) for f in found if f[0] == "kahna"]
    for m in chain(data.speech.finditer(text, s0, s1), data.speech_en.finditer(text, s0, s1)):
        if any(s <= m.start() < e for s, e in kahna_spans):
            continue
        ke = m.group("ke2")
        clause_start = _skip_spaces(text, m.end(), s1) if ke else None
        floor = _clause_floor(text, s0, m.start())
        aux = {phrase_key(a) for a in m.group("aux").split()}
        ne = _speech_subject(text, floor, m.start(), data)
        if ne is None:
            # The clause has no subject of its own (X نے ... "quote" قرار دیتے ہوئے کہا; X نے
            # ... کی تصدیق کی کہ ...، اور یہ بھی تسلیم کیا کہ): the main clause's subject, the
            # sentence's first نے.
            first = data.ne.search(text, s0, m.start())
            ne = first.start() if first else None
        if ne is not None:
            phrase = _phrase_before(text, _clause_floor(text, s0, ne, commas=False), ne, data,
                                    blocked, ents)
            found.append(("speech", m.start(), m.end(), clause_start, phrase, None))
            continue
        if aux & data.passive:
            behalf = None
            for b in data.on_behalf.finditer(text, floor, m.start()):
                behalf = b
            phrase = (_phrase_before(text, _clause_floor(text, s0, behalf.start(), False),
                                     behalf.start(), data, blocked, ents) if behalf else None)
            if phrase is None:
                generic = regex.search(rf"{_WB}({phrase_regex(data.generic)}){_WE}",
                                       text[floor:m.start()])
                if generic:
                    phrase = (floor + generic.start(1), floor + generic.end(1))
            found.append(("passive", m.start(), m.end(), clause_start, phrase, None))
            continue
        floor = _clause_floor(text, s0, m.start(), commas=False)
        opening = _APPOSITION.match(text, floor, m.start())
        if opening is not None:  # Persian/English: "X، its title، ... گفت / said"
            phrase = (opening.start("x"), opening.end("x"))
        else:
            phrase = _phrase_before(text, floor, m.start(), data, blocked, ents)
        found.append(("speech", m.start(), m.end(), clause_start, phrase, None))
    return sorted(found, key=lambda f: f[1])


@dataclass(frozen=True, slots=True)
class Reading:
    """What claims and quotes both need of one text, worked out once (:func:`read_facts`):
    its names, numbers, date spans, sentences and attributions."""

    text: str
    entities: list[_Entity]
    numbers: list[Number]
    dates: list[tuple[int, int]]
    sentences: list[tuple[int, int]]
    attributions: list[Attribution]


def read_facts(text: str, entities: Iterable[Any] | None = None, context: Sequence[str] = (),
               *, numbers: list[Number] | None = None,
               dates: list[tuple[int, int]] | None = None) -> Reading:
    """The shared reading of ``text`` for :func:`find_claims` and
    :func:`khabar.extract.quotes.find_quotes`. A caller that has found the text's numbers and
    dates already (``khabar.extract`` has) passes them in, so nothing is read twice."""
    data = _data()
    if numbers is None:
        numbers = find_numbers(text)
    if dates is None:
        dates = _date_spans(text, numbers)
    ents = entity_spans(text, entities)
    spans = sentence_spans(text)
    attributions = _attributions(text, ents, data, _history(context, data), dates, spans)[0]
    return Reading(text, ents, numbers, dates, spans, attributions)


def find_attributions(text: str, entities: Iterable[Any] | None = None,
                      context: Sequence[str] = ()) -> list[Attribution]:
    """Attribution cues of ``text`` in order, with their sources split, reduced to names and
    resolved (``ایجنسی نے کہا`` -> the agency named before, in ``text`` or in ``context``)."""
    return read_facts(text, entities, context).attributions


def _history(context: Sequence[str], data: _Data) -> list[_Known]:
    """What the preceding sentences of the article name, oldest first (negative positions)."""
    known: list[_Known] = []
    for i, earlier in enumerate(context):
        _, local = _attributions(earlier, entity_spans(earlier), data, known,
                                 _date_spans(earlier))
        position = i - len(context)
        known.extend(_Known(position, k.source, k.phrase, k.type)
                     for k in sorted(local, key=lambda k: k.position))
    return known


def _date_spans(text: str, numbers: list[Number] | None = None) -> list[tuple[int, int]]:
    return [(d.start, d.end) for d in find_dates(text, numbers=numbers)]


def _candidates(text: str, ents: list[_Entity], data: _Data, blocked: list[tuple[int, int]]
                ) -> list[_Known]:
    """What a later generic word or pronoun may stand for: the typed names of the text and the
    agents of its clauses (the name before each نے: "مریم نواز نے دورہ کیا۔ انہوں نے کہا")."""
    out = [_Known(e.start, Source(text[e.start:e.end], e.id, e.start, e.end),
                  phrase_key(text[e.start:e.end]), e.type) for e in ents if e.type]
    for m in data.ne.finditer(text):
        phrase = _phrase_before(text, _clause_floor(text, 0, m.start(), commas=False),
                                m.start(), data, blocked, ents)
        if phrase is None:
            continue
        source = _source(text, _head(text, *phrase, data, ents))
        if _generic_word(phrase_key(source.text), data) is None:
            kind = next((e.type for e in ents if e.id and e.id == source.entity), None)
            out.append(_Known(m.start(), source, phrase_key(text[phrase[0]:phrase[1]]), kind))
    return out


def _attributions(text: str, ents: list[_Entity], data: _Data, known: list[_Known],
                  blocked: list[tuple[int, int]], spans: list[tuple[int, int]] | None = None
                  ) -> tuple[list[Attribution], list[_Known]]:
    local = _candidates(text, ents, data, blocked)
    out: list[Attribution] = []
    for s0, s1 in sentence_spans(text) if spans is None else spans:
        for kind, c0, c1, clause, phrase, scope in _sentence_attributions(text, s0, s1, data,
                                                                          blocked, ents):
            pool = sorted(known + [k for k in local if k.position < c0],
                          key=lambda k: k.position)
            if phrase is None:
                speaker = _latest(pool, text[c0:c1]) if kind == "passive" else None
                out.append(Attribution(kind, c0, c1, clause, -1, -1,
                                       [speaker] if speaker else [], speaker, (s0, s1)))
                continue
            p0, p1 = phrase
            if phrase_key(text[p0:p1]) in data.not_sources:
                continue
            speaker = _resolve(_source(text, _head(text, p0, p1, data, ents)), data, pool, c0)
            sources = [_resolve(_source(text, span), data, pool, c0)
                       for span in _split(text, p0, p1, data, ents)]
            out.append(Attribution(kind, c0, c1, clause, p0, p1, sources, speaker, (s0, s1),
                                   scope))
            if speaker.via is None and _generic_word(phrase_key(speaker.text), data) is None:
                ent_type = next((e.type for e in ents if e.id and e.id == speaker.entity), None)
                local.append(_Known(c0, speaker, phrase_key(text[p0:p1]), ent_type))
    return out, local


def _latest(pool: list[_Known], via: str) -> Source | None:
    if not pool:
        return None
    last = pool[-1].source
    return Source(last.text, last.entity, via=via)


# --------------------------------------------------------------------------- claims


def _excluded(text: str, n: Number, data: _Data, dates: list[tuple[int, int]]) -> bool:
    if any(s < n.end and n.start < e for s, e in dates):
        return True
    before = text[max(0, n.start - 24):n.start]
    after = text[n.end:n.end + 12]
    if regex.match(r":\d", after) or regex.search(r"\d:$", before):
        return True  # a clock time 10:45
    if data.id_after.match(after) or data.id_before.search(before) \
            or n.text in data.id_numbers:
        return True
    digits = regex.sub(r"\D", "", n.text)
    if n.kind == "digits" and len(digits) > 1 and digits[0] == "0" and "." not in n.text:
        return True  # a code or phone number: 0300
    around = regex.search(r"[\d\-\s]*$", before).group() + n.text + \
        regex.match(r"[\d\-\s]*", after).group()
    return sum(ch.isdigit() for ch in around) >= 10  # a phone number 0300-1234567


def _what(text: str, start: int, hi: int, data: _Data, entities: list[_Entity]
          ) -> tuple[str | None, int]:
    """The counted thing after a quantity and where it ends."""
    taken: list[regex.Match[str]] = []
    for token in _tokens(text, start, hi):
        word = token.group()
        key = phrase_key(word)
        if not _is_word(word) or word[0].isdigit() or key in data.what_stops \
                or key in data.verbs:
            break
        if taken and any(e.start == token.start() for e in entities):
            break  # a name after the counted thing: "600 فوجی روس ..." -> فوجی
        taken.append(token)
        pair = " ".join(phrase_key(t.group()) for t in taken[-2:])
        if key in data.heads or pair in data.heads or data.plural.search(key) \
                or len(taken) >= 3:
            break
    if not taken:
        return None, start
    only = phrase_key(taken[0].group())
    if len(taken) == 1 and only not in data.heads and not data.plural.search(only):
        following = _TOKEN.search(text, taken[0].end(), hi)
        after = phrase_key(following.group()) if following else ""
        if after in data.verbs and after not in data.what_stops:
            return None, start  # "25 فیصد اضافہ ہوا": the word is part of the predicate
    return text[taken[0].start():taken[-1].end()], taken[-1].end()


def _predicate(text: str, start: int, hi: int, data: _Data) -> str | None:
    """A short predicate: the verb group that ends the clause after the counted thing."""
    end_mark = data.clause_end.search(text, start, hi)
    stop = end_mark.start() if end_mark else hi
    words = [t for t in _tokens(text, start, stop) if _is_word(t.group())]
    if not words:
        return None
    i = len(words)
    while i > 0 and phrase_key(words[i - 1].group()) in data.verbs:
        i -= 1
    first = max(i - 1, 0) if i < len(words) else len(words) - 1
    return text[words[first].start():words[-1].end()]


def _sources_for(n_start: int, attributions: list[Attribution], s0: int, s1: int
                 ) -> list[Source]:
    inside = [a for a in attributions if a.sentence == (s0, s1) and a.sources
              and not (a.phrase_start <= n_start < a.phrase_end)
              and (a.scope is None or a.scope[0] <= n_start < a.scope[1])]
    before = [a for a in inside if a.cue_start < n_start]
    if before:
        return list(before[-1].sources)
    return list(inside[0].sources) if inside else []


def _lead_sources(text: str, i: int, spans: list[tuple[int, int]],
                  attributions: list[Attribution]) -> list[Source]:
    """The sources of a sentence without an attribution of its own, taken from the next
    sentence of its paragraph when that one opens with "X کے مطابق": news writes the fact
    first and its source after it ("... کم از کم 300 افراد ہلاک ہو گئے۔ صوبائی حکام کے مطابق
    سب سے زیادہ ہلاکتیں بونیر میں ہوئیں۔"). Not for a sentence with an agent of its own
    ("پاکستان نے 37 ماہ کے پروگرام پر دستخط کیے تھے"): that states the agent's act."""
    s0, s1 = spans[i]
    if i + 1 >= len(spans) or any(a.sentence == (s0, s1) for a in attributions) \
            or _data().ne.search(text, s0, s1):
        return []
    n0, n1 = spans[i + 1]
    if "\n" in text[s1:n0]:
        return []
    first = next((a for a in attributions if a.sentence == (n0, n1)), None)
    if first is None or first.kind != "according" or first.scope is not None \
            or first.phrase_start < 0 or text[n0:first.phrase_start].strip():
        return []
    return list(first.sources)


def _scaled(value: int | float | None, factor: int) -> int | float | None:
    if value is None:
        return None
    out = round(value * factor, 6)
    return int(out) if float(out).is_integer() else out


def _collectives(text: str, data: _Data) -> list[Number]:
    """"All N" numerals (پانچوں ارکان: all five members), which the number reader leaves."""
    return [Number(m.group(), m.start(), m.end(), value, value, value, kind="words")
            for m in data.collective.finditer(text)
            for value in (data.collective_value[phrase_key(m.group())],)]


def find_claims(text: str, entities: Iterable[Any] | None = None,
                context: Sequence[str] = (), *, reading: Reading | None = None) -> list[Claim]:
    """Numeric claims of ``text`` in order (see the module docstring).

    >>> [(c.number_text, c.value, c.what, [s.text for s in c.sources])
    ...  for c in find_claims("پولیس کے مطابق، کم از کم 12 افراد زخمی ہوئے۔")]
    [('کم از کم 12', 12, 'افراد', ['پولیس'])]
    """
    if not text:
        return []
    data = _data()
    if reading is None:
        reading = read_facts(text, entities, context)
    ents, dates, spans = reading.entities, reading.dates, reading.sentences
    attributions = reading.attributions
    numbers = sorted(reading.numbers + _collectives(text, data), key=lambda n: n.start)
    starts = [s for s, _ in spans]
    out: list[Claim] = []
    for n in numbers:
        if _excluded(text, n, data, dates) or (n.kind == "vague" and not n.magnitude):
            continue  # کئی، چند، متعدد ("several") state no quantity
        i = bisect.bisect_right(starts, n.start) - 1
        if i < 0 or n.start >= spans[i][1]:
            continue
        s0, s1 = spans[i]
        start, end = n.start, n.end
        qualifier = None
        m = data.approx_before.search(text[max(s0, n.start - 30):n.start])
        if m:
            qualifier = data.qualifiers.get(phrase_key(m.group("q")))
            start = max(s0, n.start - 30) + m.start("q")
        after = data.approx_after.match(text, end, s1)
        if after and qualifier is None and not data.approx_never.match(text, end, s1):
            qualifier = data.qualifiers.get(phrase_key(after.group("q")))
            end = after.end()
        value, low, high = n.value, n.low, n.high
        scale = data.scale_suffix.match(text, end)
        if scale and n.kind == "digits" and value is not None:  # $7bn, Rs 5tn
            factor = data.scale_of[scale.group("s")]
            value, low, high = (_scaled(v, factor) for v in (value, low, high))
            end = scale.end()
        unit = "%" if n.percent else None
        frequency = None
        times = data.times.match(text, end, s1)
        if times:
            unit, end = "times", times.end()
            period = data.periods.search(text[max(s0, start - 20):start])
            if period:
                frequency = data.period_of.get(phrase_key(period.group("p")))
        what, what_end = _what(text, end, s1, data, ents)
        if qualifier is None and what is not None and what_end > end:
            later = data.approx_after.match(text, what_end, s1)  # 10 ارب ڈالر سے تجاوز
            if later and not data.approx_never.match(text, what_end, s1):
                qualifier = data.qualifiers.get(phrase_key(later.group("q")))
        if qualifier is None:
            end_mark = data.clause_end.search(text, what_end, s1)
            if data.forecast.search(text, what_end, end_mark.start() if end_mark else s1):
                qualifier = "expected"  # 38 ارب ڈالر تک پہنچنے کی توقع ہے
        predicate = _predicate(text, what_end, s1, data)
        out.append(Claim(
            text=text[s0:s1], value=value,
            approximate=qualifier is not None or n.kind == "vague", what=what,
            sources=(_sources_for(n.start, attributions, s0, s1)
                     or _lead_sources(text, i, spans, attributions)),
            number_text=text[start:end],
            start=start, end=end, qualifier=qualifier, vague=n.kind == "vague", low=low,
            high=high, unit=unit, frequency=frequency, predicate=predicate))
    return out

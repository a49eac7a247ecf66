"""The language data of cleaning, loaded once: cue phrases, stop-words, stems, outlets,
agencies, reporter roles, month names and date words (all under ``resources/clean/`` and
``resources/time/``; see the header comment of each file for what it holds).

Everything is compared in :func:`form`, the matching key of :mod:`khabar.urdu` folded to lower
case with single spaces, so the files can be written the way people write the words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from khabar.resources import read_lines, read_tsv
from khabar.urdu import key, normalize

__all__ = [
    "CUE_KINDS",
    "Cue",
    "Cues",
    "NameTable",
    "agencies",
    "continuations",
    "cues",
    "date_words",
    "form",
    "letter_names",
    "months",
    "outlets",
    "roles",
    "stem",
    "stopwords",
]

#: Kinds of dropped lines that cue files and rules may use (DESIGN.md §2 plus ``caption``).
CUE_KINDS = frozenset({"related_link", "teaser", "ui", "widget", "share", "ad", "footer",
                       "navigation", "non_urdu", "duplicate_line", "caption"})


@lru_cache(maxsize=1 << 16)
def form(text: str) -> str:
    """The matching form used for cue and name tables: ``key(text)``, case-folded."""
    return " ".join(key(text).casefold().split())


# --------------------------------------------------------------------------- cues


@dataclass(frozen=True, slots=True)
class Cue:
    """One row of ``cues.tsv``."""

    pattern: str  # as written in the file (shown in reasons)
    match: str  # prefix | exact | contains | regex
    kind: str
    reason: str
    ends_article: bool = False
    starts_list: bool = False
    max_words: int | None = None

    def explain(self) -> str:
        verb = {"prefix": "starts with", "exact": "is", "contains": "contains",
                "regex": "matches"}[self.match]
        return f"{self.reason}: {verb} '{self.pattern}'"


@dataclass(frozen=True, slots=True)
class Cues:
    """Cue rows indexed for one-pass matching of a line."""

    exact: dict[str, Cue]
    prefix: dict[str, tuple[tuple[str, Cue], ...]]  # first word -> (pattern form, cue), longest first
    contains: regex.Pattern[str] | None
    contains_cues: dict[str, Cue]
    regexes: tuple[tuple[regex.Pattern[str], Cue], ...]
    contains_max: int  # no contains cue applies to lines longer than this (in words)
    contains_first: frozenset[str]  # first words of the contains patterns (a cheap pre-check)

    def find(self, raw: str, line_form: str, words: int) -> Cue | None:
        """The first cue that fits the line: exact, then prefix, then contains, then regex."""
        cue = self.exact.get(line_form)
        if cue is not None and _fits(cue, words):
            return cue
        first = line_form.split(" ", 1)[0]
        for pattern, cue in self.prefix.get(first, ()):
            if (line_form == pattern or line_form.startswith(pattern + " ")) and _fits(cue, words):
                return cue
        if (self.contains is not None and words <= self.contains_max
                and not self.contains_first.isdisjoint(line_form.split())):
            for match in self.contains.finditer(line_form):
                cue = self.contains_cues[match.group(1)]
                if _fits(cue, words):
                    return cue
        for pattern, cue in self.regexes:
            if _fits(cue, words) and pattern.search(raw):
                return cue
        return None


def _fits(cue: Cue, words: int) -> bool:
    return cue.max_words is None or words <= cue.max_words


@cache
def cues() -> Cues:
    exact: dict[str, Cue] = {}
    prefix: dict[str, list[tuple[str, Cue]]] = {}
    contains: dict[str, Cue] = {}
    regexes: list[tuple[regex.Pattern[str], Cue]] = []
    for row in read_tsv("clean", "cues.tsv"):
        pattern, match, kind, reason = row[:4]
        flags = {f.strip() for f in (row[4] if len(row) > 4 else "").split(",") if f.strip()}
        max_words = next((int(f[4:]) for f in flags if f.startswith("max=")), None)
        if kind not in CUE_KINDS:
            raise ValueError(f"cues.tsv: unknown kind {kind!r} for {pattern!r}")
        cue = Cue(pattern, match, kind, reason, "end" in flags, "list" in flags, max_words)
        if match == "regex":
            regexes.append((regex.compile(pattern, regex.IGNORECASE | regex.V1), cue))
            continue
        pattern_form = form(pattern)
        if not pattern_form:
            raise ValueError(f"cues.tsv: pattern {pattern!r} has no letters; use a regex")
        if match == "exact":
            exact.setdefault(pattern_form, cue)
        elif match == "prefix":
            prefix.setdefault(pattern_form.split(" ", 1)[0], []).append((pattern_form, cue))
        elif match == "contains":
            contains.setdefault(pattern_form, cue)
        else:
            raise ValueError(f"cues.tsv: unknown match type {match!r}")
    ordered = {first: tuple(sorted(items, key=lambda item: -len(item[0])))
               for first, items in prefix.items()}
    contains_re = None
    if contains:
        alternation = "|".join(regex.escape(p) for p in sorted(contains, key=len, reverse=True))
        contains_re = regex.compile(rf"(?<![^ ])({alternation})(?![^ ])")
    limits = [cue.max_words for cue in contains.values()]
    contains_max = 10**6 if None in limits else max(limits, default=0)
    first_words = frozenset(p.split(" ", 1)[0] for p in contains)
    return Cues(exact, ordered, contains_re, contains, tuple(regexes), contains_max, first_words)


# --------------------------------------------------------------------------- words


@cache
def stopwords(lang: str) -> frozenset[str]:
    """Stop-words of ``lang`` in matching form. Urdu and English have their own lists; other
    languages use the function words of :mod:`khabar.urdu.script` (Persian است را ...)."""
    if lang in ("ur", "en"):
        return frozenset(form(w) for w in read_lines("clean", f"stopwords_{lang}.txt"))
    words = {form(row[0]) for row in read_tsv("urdu", "lang_function_words.tsv")
             if len(row) > 1 and row[1] == lang}
    return frozenset(words) | stopwords("ur") if lang in ("pa", "fa") else frozenset(words)


@cache
def _suffixes() -> tuple[str, ...]:
    items = {form(s) for s in read_lines("clean", "suffixes_ur.txt")}
    return tuple(sorted((s for s in items if s), key=len, reverse=True))


_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    """A light stem for coherence matching: one inflectional ending stripped from a matching-
    form word (پروازوں, پروازیں -> پرواز; روسی -> روس), Latin plural -s dropped."""
    found = _STEMS.get(word)
    if found is not None:
        return found
    result = word
    if word.isascii():
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            result = word[:-1]
    else:
        for suffix in _suffixes():
            if len(word) - len(suffix) >= 3 and word.endswith(suffix):
                result = word[: -len(suffix)]
                break
    if len(_STEMS) < 500_000:
        _STEMS[word] = result
    return result


# --------------------------------------------------------------------------- names


@dataclass(frozen=True, slots=True)
class NameTable:
    """Names (outlets, agencies, roles) in matching form -> canonical name, and one regex that
    finds any of them as whole words, longest first."""

    names: dict[str, str]
    pattern: regex.Pattern[str]
    bracketed_only: frozenset[str] = frozenset()  # forms that are also ordinary words

    def canonical(self, text: str) -> str | None:
        return self.names.get(form(text))

    def find_all(self, text_form: str) -> list[tuple[int, int, str]]:
        """(start, end, canonical) of every listed name in a matching-form text."""
        return [(m.start(), m.end(), self.names[m.group(1)])
                for m in self.pattern.finditer(text_form)]


def _table(rows: list[tuple[str, ...]]) -> NameTable:
    names: dict[str, str] = {}
    bracketed: set[str] = set()
    for row in rows:
        name_form = form(row[0])
        if name_form:
            names.setdefault(name_form, row[1])
            if len(row) > 2 and row[2] == "bracketed":
                bracketed.add(name_form)
    alternation = "|".join(regex.escape(n) for n in sorted(names, key=len, reverse=True))
    return NameTable(names, regex.compile(rf"(?<![^ ])({alternation})(?![^ ])"),
                     frozenset(bracketed))


@cache
def outlets() -> NameTable:
    return _table([(row[0], row[1]) for row in read_tsv("clean", "outlets.tsv")])


@cache
def agencies() -> NameTable:
    return _table(list(read_tsv("clean", "agencies.tsv")))


@cache
def roles() -> NameTable:
    return _table([(line, line) for line in read_lines("clean", "roles.txt")])


@cache
def letter_names() -> dict[str, str]:
    """Urdu spellings of Latin letter names (matching form) -> the letter."""
    return {form(row[0]): row[1] for row in read_tsv("clean", "letter_names.tsv")}


@cache
def continuations() -> frozenset[str]:
    """Words that cannot start a sentence (postpositions, particles), in matching form."""
    return frozenset(form(w) for w in read_lines("clean", "continuations_ur.txt"))


@cache
def months() -> dict[str, tuple[str, int]]:
    """Month names -> (calendar, month number): each name as written and in the display form
    (which turns Persian/Arabic letters into Urdu ones: اردیبهشت -> اردیبہشت, يناير -> ینایر)."""
    table: dict[str, tuple[str, int]] = {}
    for row in read_tsv("time", "months.tsv"):
        value = (row[1], int(row[2]))
        table.setdefault(row[0], value)
        table.setdefault(normalize(row[0]), value)
    return table


@cache
def date_words() -> dict[str, str]:
    """Date labels, weekdays, time words and fillers in matching form -> role."""
    return {form(row[0]): row[1] for row in read_tsv("clean", "date_words.tsv")}

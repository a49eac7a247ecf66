"""The entity gazetteer: known people, places and organisations found in Urdu text, fast.

``Gazetteer.load()`` reads the TSV files of ``resources/gazetteer/`` (curated and generated, see
its README) once per process and builds two Aho-Corasick automata (``pyahocorasick``) over the
matching keys (``khabar.urdu.key``) of every variant:

* a **spaced** automaton whose patterns are `` key `` (padded with spaces) run over the keys of
  the text's words joined by single spaces: every hit is on word boundaries by construction;
* a **space-free** automaton for variants of 6 or more letters, run over the same keys with the
  spaces removed, keeping only hits that start and end on word boundaries: this joins spellings
  that differ only by spacing in either direction (پیونگیانگ / پیونگ یانگ, سرگئی / سر گئی).

``Gazetteer.find(text)`` returns :class:`GazetteerMatch` objects with offsets into the original
text. How a match was made (``how``):

* ``exact``    the words' key equals a variant's key (diacritics, hamza, letter forms folded);
* ``spacing``  equal once spaces are ignored;
* ``variant``  a transliteration variant or typo, found through the consonant skeleton
  (``khabar.urdu.skeleton``): an equal skeleton for a rare word, or one edit on the skeleton of
  a long name next to a distinctive part of the same name (سرگئی لاوروگ -> Sergei Lavrov), or of
  a long name whose entity is already in the document.

Rules, each with its reason:

* the longest match wins; on equal spans a full name beats a short form, curated data beats
  generated data, and a larger place beats a smaller one;
* no match spans clause punctuation (، ۔ ؟ ؛ . , : ! and line breaks);
* **short forms** (variants marked ``~``: کم, کیم for Kim Jong Un, ~باجوہ ...) are linked only
  when a full name of the same entity is in the text (or passed in ``anchors``), and not where
  the neighbouring word shows the ordinary word (کم از کم, سے کم, کم ہے) - ``context_blockers.tsv``;
* a few full variants that are also ordinary words in some contexts (شام "evening", مصر
  "insistent", ٹاس "toss") are blocked in those contexts by the same file;
* an abbreviation spelled in letter names (اے پی, آئی ایس) is not matched inside a longer run of
  letter names (اے پی سی) - ``letter_names.txt``;
* **country adjectives are not places**: روسی, امریکی, یوکرینی (demonyms, in the ``adj=`` column
  of the country rows) are not reported as the country (``find(text, demonyms=True)`` reports
  them with ``via="demonym"``); they are used to compose ministries;
* **ministries compose**: {country | country adjective} [کی | کے | کا] + a ministry head
  (وزارت خارجہ, وزارت دفاع ...; rows with ``head=``) -> one ORG match
  ``org:<country>-<head>`` ("Ministry of Foreign Affairs of Russia"); a head alone is the
  generic ministry (country unknown).

Matching is on whole words; Urdu writes postpositions as separate words, so no clitic stripping
is needed, and adjectival ی-forms are deliberately not stripped (see demonyms above).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import ahocorasick
import regex
from rapidfuzz.distance import Levenshtein

from khabar import resources
from khabar.urdu.normalize import key, skeleton

__all__ = ["Entry", "Gazetteer", "GazetteerMatch"]

TYPES = ("PERSON", "PLACE", "ORG")
_CONTROL_FILES = {"country_variants.tsv", "stoplist_overrides.tsv"}
_DATA_DIRS = ("curated", "generated")
_DATA_SKIP = {"stoplist_decisions.tsv"}

# Words of the text: letters, marks, digits and the joiners that live inside Urdu words.
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}\u200c\u200d]+")
# Punctuation that ends a clause: no match may span it.
_BARRIER = regex.compile(r"[\n\r\u06d4\u060c\u061b\u061f.,;:!?\u2022|]")
_SEP = "\x01"  # barrier marker in the keyed text (never in a key)

SPACE_FREE_MIN = 6  # letters; shorter variants are matched with their own spacing only
FUZZY_MIN_LETTERS = 5  # a word must be this long to be corrected by one skeleton edit
SKELETON_MIN = 4  # skeleton letters for a single word joined by an equal skeleton
EDIT_SKELETON_MIN = 3  # skeleton letters for a one-edit comparison (the word has >= 5 letters)
DISTINCTIVE_MAX = 3  # a name part shared by more entries than this is not an anchor


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer entity."""

    id: str
    type: str
    subtype: str
    name_en: str
    variants: tuple[str, ...]  # full names, as written in the data
    short_forms: tuple[str, ...] = ()  # ambiguous short forms (need an anchor)
    country: str = ""
    extra: tuple[tuple[str, str], ...] = ()
    curated: bool = True
    n_curated: int = 0  # variants[:n_curated] come from curated files (the rest from generated)

    @property
    def name_ur(self) -> str:
        return self.variants[0] if self.variants else ""

    def get(self, name: str, default: str = "") -> str:
        for k, v in self.extra:
            if k == name:
                return v
        return default

    @property
    def population(self) -> int:
        value = self.get("population")
        return int(value) if value.isdigit() else 0


@dataclass(frozen=True, slots=True)
class GazetteerMatch:
    """A mention of a gazetteer entity: ``text[start:end]`` of the original text."""

    start: int
    end: int
    text: str
    id: str
    type: str
    name_en: str
    how: str  # "exact" | "spacing" | "variant"
    subtype: str = ""
    via: str = ""  # "" | "short_form" | "composed" | "demonym" | "skeleton" | "edit"
    alternatives: tuple[str, ...] = ()  # other entries with the same key (same type)


@dataclass(slots=True)
class _Hit:
    first: int  # first word index
    last: int  # last word index (inclusive)
    entries: tuple[int, ...]
    kind: str  # "full" | "short" | "demonym"
    how: str
    via: str = ""

    @property
    def words(self) -> int:
        return self.last - self.first + 1


@dataclass(slots=True)
class _Pattern:
    full: list[int] = field(default_factory=list)
    short: list[int] = field(default_factory=list)
    demonym: list[int] = field(default_factory=list)
    words: int = 1  # words in the variant's own spacing


@dataclass(slots=True)
class _Text:
    """The words of a text, their keys and where they are."""

    starts: list[int]
    ends: list[int]
    keys: list[str]
    barrier_before: list[bool]  # clause punctuation between word i-1 and word i


def _split_extra(cell: str) -> tuple[tuple[str, str], ...]:
    out = []
    for part in cell.split(";"):
        if "=" in part:
            k, v = part.split("=", 1)
            out.append((k.strip(), v.strip()))
    return tuple(out)


def _letters(k: str) -> int:
    return len(k.replace(" ", ""))


class Gazetteer:
    """Known entities and a fast matcher over Urdu text. Use :meth:`load` (cached)."""

    def __init__(self, entries: list[Entry], root: Path | None = None) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        self._by_id = {e.id: i for i, e in enumerate(self.entries)}
        self._root = root
        self._patterns: dict[str, _Pattern] = defaultdict(_Pattern)
        self._preferred: dict[str, str] = {}
        self._blockers: dict[tuple[str, str], frozenset[str]] = {}
        self._letter_names: frozenset[str] = frozenset()
        self._load_rules()
        self._index()
        self._spaced = self._automaton((f" {k} ", k) for k in self._patterns)
        self._free_patterns: dict[str, list[str]] = defaultdict(list)
        for k in self._patterns:
            free = k.replace(" ", "")
            if len(free) >= SPACE_FREE_MIN:
                self._free_patterns[free].append(k)
        self._free = self._automaton((free, free) for free in self._free_patterns)
        self._common = frozenset(resources.read_lines("gazetteer", "generated", "common_words.txt"))
        self._fuzzy_index()

    # ------------------------------------------------------------------ loading

    @classmethod
    @cache
    def load(cls) -> Gazetteer:
        """The gazetteer of ``khabar/resources/gazetteer`` (built once per process)."""
        return cls(read_entries(), resources.path("gazetteer"))

    def __len__(self) -> int:
        return len(self.entries)

    def entry(self, entry_id: str) -> Entry:
        return self.entries[self._by_id[entry_id]]

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id

    def lookup(self, name: str) -> list[Entry]:
        """Entries that have ``name`` (any spelling with the same key) as a full name."""
        pattern = self._patterns.get(key(name))
        return [self.entries[i] for i in pattern.full] if pattern else []

    def _load_rules(self) -> None:
        for row in resources.read_tsv("gazetteer", "ambiguity.tsv"):
            self._preferred[key(row[0])] = row[1]
        for row in resources.read_tsv("gazetteer", "context_blockers.tsv"):
            target = row[0] if row[0] == "*short*" else key(row[0])
            words = frozenset(key(w) for w in row[2].split("|") if w.strip())
            self._blockers[(target, row[1])] = self._blockers.get((target, row[1]), frozenset()) | words
        self._letter_names = frozenset(key(w) for w in resources.read_lines("gazetteer", "letter_names.txt"))
        self._adjacent_letters = self._letter_names - {key("کے")}

    def _index(self) -> None:
        for i, entry in enumerate(self.entries):
            for variant in entry.variants:
                k = key(variant)
                if k:
                    self._add(k, i, "full")
            for variant in entry.short_forms:
                k = key(variant)
                if k:
                    self._add(k, i, "short")
            for adjective in entry.get("adj").split("|"):
                k = key(adjective) if adjective else ""
                if k:
                    self._add(k, i, "demonym")
        for pattern in self._patterns.values():
            for group in (pattern.full, pattern.short, pattern.demonym):
                group.sort(key=self._rank)

    def _add(self, k: str, i: int, kind: str) -> None:
        pattern = self._patterns[k]
        group = getattr(pattern, kind)
        if i not in group:
            group.append(i)
        pattern.words = k.count(" ") + 1

    def _rank(self, i: int) -> tuple:
        e = self.entries[i]
        return (not e.curated, -e.population, e.id)

    @staticmethod
    def _automaton(items: Iterable[tuple[str, str]]) -> ahocorasick.Automaton:
        automaton = ahocorasick.Automaton()
        for pattern, value in items:
            automaton.add_word(pattern, value)
        automaton.make_automaton()
        return automaton

    # ------------------------------------------------------------------ fuzzy index

    def _fuzzy_index(self) -> None:
        """Skeleton -> entries, and name part -> entries, for curated people and places."""
        self._by_skeleton: dict[str, set[int]] = defaultdict(set)
        self._by_part: dict[str, set[int]] = defaultdict(set)
        self._name_parts: set[str] = set()
        # per person: the key words of each curated variant, with their skeletons
        self._person_parts: dict[int, list[list[tuple[str, str]]]] = {}
        for i, entry in enumerate(self.entries):
            if entry.type == "PERSON":
                self._person_parts[i] = [
                    [(part, skeleton(part)) for part in key(v).split()]
                    for v in entry.variants[: max(entry.n_curated, 1)]
                ]
            for variant in entry.variants:
                k = key(variant)
                for part in k.split():
                    self._name_parts.add(part)
            if entry.type not in ("PERSON", "PLACE"):
                continue
            # only hand-checked spellings (curated files, CLDR country names) seed the fuzzy pass
            trusted = entry.variants if entry.subtype == "country" else entry.variants[: entry.n_curated]
            for variant in trusted:
                k = key(variant)
                if " " not in k and _letters(k) >= FUZZY_MIN_LETTERS and len(skeleton(k)) >= SKELETON_MIN:
                    self._by_skeleton[skeleton(k)].add(i)
                if entry.type == "PERSON":
                    for part in k.split():
                        self._by_part[part].add(i)

    def _is_common(self, word_key: str) -> bool:
        return word_key in self._common

    # ------------------------------------------------------------------ text

    @staticmethod
    def _words(text: str) -> _Text:
        starts: list[int] = []
        ends: list[int] = []
        keys: list[str] = []
        barrier: list[bool] = []
        prev_end = 0
        key_of = _word_key
        search_barrier = _BARRIER.search
        for m in _WORD.finditer(text):
            k = key_of(m.group())
            if not k:
                continue
            s = m.start()
            barrier.append(bool(starts) and search_barrier(text, prev_end, s) is not None)
            starts.append(s)
            ends.append(m.end())
            keys.append(k)
            prev_end = m.end()
        return _Text(starts, ends, keys, barrier)

    # ------------------------------------------------------------------ matching

    def find(
        self,
        text: str,
        anchors: Iterable[str] = (),
        *,
        demonyms: bool = False,
        fuzzy: bool = True,
    ) -> list[GazetteerMatch]:
        """Entity mentions in ``text``, in text order, not overlapping.

        ``anchors``: entry ids known to be in the same document (e.g. found in its other
        blocks); they license short forms (کم -> Kim Jong Un) and typo correction like the full
        names found in ``text`` itself. ``demonyms``: also report country adjectives
        (روسی -> Russia, ``via="demonym"``). ``fuzzy``: also look for transliteration variants
        through skeletons (``how="variant"``).
        """
        words = self._words(text)
        if not words.keys:
            return []
        hits = self._exact_hits(words)
        chosen = self._resolve([h for h in hits if h.kind != "short"], words)
        anchored = {self.entries[h.entries[0]].id for h in chosen if h.kind == "full"}
        anchored.update(anchors)
        covered = self._covered(chosen)
        shorts = [h for h in hits if h.kind == "short" and self._short_ok(h, words, anchored)]
        for hit in self._resolve(shorts, words):
            if not any(i in covered for i in range(hit.first, hit.last + 1)):
                chosen.append(hit)
                covered.update(range(hit.first, hit.last + 1))
        if fuzzy:
            chosen.extend(self._fuzzy_hits(words, covered, anchored))
        chosen.sort(key=lambda h: h.first)
        return list(self._emit(chosen, words, text, demonyms))

    def _exact_hits(self, words: _Text) -> list[_Hit]:
        # spaced pass: " k1 k2 ... " with barriers as a separate symbol
        parts: list[str] = []
        key_starts: list[int] = []
        pos = 1
        for i, k in enumerate(words.keys):
            if words.barrier_before[i]:
                parts.append(_SEP + " ")
                pos += 2
            key_starts.append(pos)
            parts.append(k + " ")
            pos += len(k) + 1
        spaced = " " + "".join(parts)
        hits: list[_Hit] = []
        seen: set[tuple[int, int, str]] = set()
        for end, k in self._spaced.iter(spaced):
            start = end - len(k)  # first letter of the pattern's key (end is the closing space)
            first = bisect.bisect_left(key_starts, start)
            if first >= len(key_starts) or key_starts[first] != start:
                continue  # the pattern began inside a word's multi-word key
            last = bisect.bisect_right(key_starts, end - 1) - 1
            self._hits_for(k, first, last, "exact", hits, seen, words)
        # space-free pass over long variants
        if self._free_patterns:
            free_starts: list[int] = []
            chunks: list[str] = []
            pos = 0
            for i, k in enumerate(words.keys):
                if words.barrier_before[i]:
                    chunks.append(_SEP)
                    pos += 1
                free_starts.append(pos)
                compact = k.replace(" ", "")
                chunks.append(compact)
                pos += len(compact)
            free_text = "".join(chunks)
            free_ends = {s + len(words.keys[i].replace(" ", "")): i for i, s in enumerate(free_starts)}
            for end, free in self._free.iter(free_text):
                start = end - len(free) + 1
                first = bisect.bisect_left(free_starts, start)
                if first >= len(free_starts) or free_starts[first] != start:
                    continue
                last = free_ends.get(end + 1)
                if last is None:
                    continue
                span_key = " ".join(words.keys[first : last + 1])
                for k in self._free_patterns[free]:
                    how = "exact" if span_key == k else "spacing"
                    self._hits_for(k, first, last, how, hits, seen, words)
        return hits

    def _hits_for(
        self, k: str, first: int, last: int, how: str, hits: list[_Hit], seen: set, words: _Text
    ) -> None:
        if (first, last, k) in seen:
            return
        seen.add((first, last, k))
        if not self._context_ok(k, first, last, words):
            return
        pattern = self._patterns[k]
        for kind in ("full", "short", "demonym"):
            group = getattr(pattern, kind)
            if group:
                hits.append(_Hit(first, last, tuple(self._prefer(k, group)), kind, how))

    def _prefer(self, k: str, group: list[int]) -> list[int]:
        preferred = self._preferred.get(k)
        if preferred and preferred in self._by_id and self._by_id[preferred] in group:
            top = self._by_id[preferred]
            return [top, *(i for i in group if i != top)]
        return group

    def _context_ok(self, k: str, first: int, last: int, words: _Text) -> bool:
        before = words.keys[first - 1] if first > 0 and not words.barrier_before[first] else ""
        after = (
            words.keys[last + 1]
            if last + 1 < len(words.keys) and not words.barrier_before[last + 1]
            else ""
        )
        if before and before in self._blockers.get((k, "before"), ()):
            return False
        if after and after in self._blockers.get((k, "after"), ()):
            return False
        # abbreviations in letter names are not matched inside a longer abbreviation
        if all(part in self._letter_names or part.isdigit() for part in k.split()):
            if before.split()[-1:] and before.split()[-1] in self._adjacent_letters:
                return False
            if after.split()[:1] and after.split()[0] in self._adjacent_letters:
                return False
        return True

    def _short_ok(self, hit: _Hit, words: _Text, anchored: set[str]) -> bool:
        entries = [i for i in hit.entries if self.entries[i].id in anchored]
        if len(entries) != 1:
            return False  # no anchor, or anchors for two different people: do not guess
        hit.entries = (entries[0],)
        hit.via = "short_form"
        before = words.keys[hit.first - 1] if hit.first > 0 and not words.barrier_before[hit.first] else ""
        after = (
            words.keys[hit.last + 1]
            if hit.last + 1 < len(words.keys) and not words.barrier_before[hit.last + 1]
            else ""
        )
        if before and before in self._blockers.get(("*short*", "before"), ()):
            return False
        return not (after and after in self._blockers.get(("*short*", "after"), ()))

    def _resolve(self, hits: list[_Hit], words: _Text) -> list[_Hit]:
        """Longest match first; ties: full > demonym, exact > spacing, better-ranked entry."""

        def order(h: _Hit) -> tuple:
            length = words.ends[h.last] - words.starts[h.first]
            return (-length, h.kind != "full", h.how != "exact", self._rank(h.entries[0]), h.first)

        taken: set[int] = set()
        out: list[_Hit] = []
        for hit in sorted(hits, key=order):
            span = range(hit.first, hit.last + 1)
            if any(i in taken for i in span):
                continue
            taken.update(span)
            out.append(hit)
        return out

    @staticmethod
    def _covered(hits: list[_Hit]) -> set[int]:
        out: set[int] = set()
        for h in hits:
            out.update(range(h.first, h.last + 1))
        return out

    # ------------------------------------------------------------------ fuzzy

    def _fuzzy_hits(self, words: _Text, covered: set[int], anchored: set[str]) -> list[_Hit]:
        out: list[_Hit] = []
        n = len(words.keys)
        anchored_idx = {self._by_id[a] for a in anchored if a in self._by_id}
        i = 0
        while i < n:
            if i in covered:
                i += 1
                continue
            hit = self._fuzzy_at(i, words, covered, anchored_idx)
            if hit is not None:
                out.append(hit)
                covered.update(range(hit.first, hit.last + 1))
                i = hit.last + 1
            else:
                i += 1
        return out

    def _candidate_word(self, k: str) -> bool:
        """A word that may be a misspelt name: long, Urdu, not an ordinary word, not a known part."""
        return (
            " " not in k
            and _letters(k) >= FUZZY_MIN_LETTERS
            and not k.isascii()
            and k not in self._common
            and k not in self._name_parts
        )

    def _fuzzy_at(self, i: int, words: _Text, covered: set[int], anchored: set[int]) -> _Hit | None:
        keys = words.keys
        n = len(keys)
        # 1. a distinctive part of a person's name next to a misspelt part: سرگئی لاوروگ
        owners = self._by_part.get(keys[i])
        if (
            owners
            and len(owners) <= DISTINCTIVE_MAX
            and _letters(keys[i]) >= 3
            and i + 1 < n
            and i + 1 not in covered
            and not words.barrier_before[i + 1]
            and self._candidate_word(keys[i + 1])
        ):
            best = self._edit_match(keys[i], keys[i + 1], owners)
            if best is not None:
                return _Hit(i, i + 1, (best,), "full", "variant", "edit")
        k = keys[i]
        if not self._candidate_word(k):
            return None
        sk = skeleton(k)
        # 2. the skeleton of a known single-word name (a rare spelling of it): یوکرائین, پیُوٹن
        same = self._by_skeleton.get(sk, ())
        if len(same) == 1:
            j = next(iter(same))
            # word-final letters are not vowels-for-nothing in Urdu (امراوتی is not امارات)
            if any(key(v)[-1:] == k[-1:] and " " not in key(v) for v in self.entries[j].variants):
                return _Hit(i, i, (j,), "full", "variant", "skeleton")
        # 3. one edit from the surname of a person already named in the document: لاوروگ
        if len(sk) >= SKELETON_MIN:
            people = [j for j in anchored if self.entries[j].type == "PERSON"]
            best = self._edit_match("", k, people)
            if best is not None:
                return _Hit(i, i, (best,), "full", "variant", "edit")
        return None

    def _edit_match(self, before: str, word: str, candidates: Iterable[int]) -> int | None:
        """The one candidate person with a name part whose skeleton is one edit from ``word``'s.

        With ``before`` (a distinctive given name), the part must follow ``before`` in one of
        the person's variants; without it, the part must be a single-word variant (a surname
        the data lists on its own, like لاوروف) with a skeleton of >= 4 letters.
        """
        target = skeleton(word)
        minimum = EDIT_SKELETON_MIN if before else SKELETON_MIN
        found: set[int] = set()
        for j in candidates:
            for parts in self._person_parts.get(j, ()):
                if before:
                    pairs = [parts[n + 1][1] for n in range(len(parts) - 1) if parts[n][0] == before]
                elif len(parts) == 1:
                    pairs = [parts[0][1]]
                else:
                    continue
                for sk in pairs:
                    if len(sk) >= minimum and sk != target and Levenshtein.distance(sk, target, score_cutoff=1) <= 1:
                        found.add(j)
            if len(found) > 1:
                return None
        return found.pop() if len(found) == 1 else None

    # ------------------------------------------------------------------ output

    def _emit(self, hits: list[_Hit], words: _Text, text: str, demonyms: bool) -> Iterator[GazetteerMatch]:
        composed: dict[int, GazetteerMatch] = {}
        absorbed: set[int] = set()
        for n, hit in enumerate(hits):
            if n and self.entries[hit.entries[0]].get("head") and n - 1 not in absorbed:
                match = self._compose(hits, n, words, text)
                if match is not None:
                    composed[n] = match
                    absorbed.add(n - 1)
        for n, hit in enumerate(hits):
            if n in absorbed:
                continue
            if n in composed:
                yield composed[n]
                continue
            if hit.kind == "demonym" and not demonyms:
                continue
            entry = self.entries[hit.entries[0]]
            start, end = words.starts[hit.first], words.ends[hit.last]
            via = hit.via or ("demonym" if hit.kind == "demonym" else "")
            alternatives = tuple(
                self.entries[j].id for j in hit.entries[1:] if self.entries[j].type == entry.type
            )
            yield GazetteerMatch(start, end, text[start:end], entry.id, entry.type, entry.name_en,
                                 hit.how, entry.subtype, via, alternatives)

    def _compose(self, hits: list[_Hit], n: int, words: _Text, text: str) -> GazetteerMatch | None:
        """{country | adjective} [کی|کے|کا] + ministry head -> the country's ministry."""
        head_hit, prev = hits[n], hits[n - 1]
        gap = head_hit.first - prev.last - 1
        if words.barrier_before[head_hit.first] or gap > 1:
            return None
        if gap == 1 and (words.keys[prev.last + 1] not in _GENITIVES or words.barrier_before[prev.last + 1]):
            return None
        country = self.entries[prev.entries[0]]
        if country.subtype != "country" or (prev.kind == "demonym" and gap):
            return None
        head_entry = self.entries[head_hit.entries[0]]
        head = head_entry.get("head")
        slug = country.id.split(":", 1)[1]
        ident = f"org:{slug}-{head}"
        if ident in self._by_id:
            target = self.entry(ident)
            name_en, subtype = target.name_en, target.subtype
        else:
            generic = self.entry(f"org:{head}") if f"org:{head}" in self._by_id else head_entry
            name_en, subtype = f"{generic.name_en} of {country.name_en}", "ministry"
        start, end = words.starts[prev.first], words.ends[head_hit.last]
        how = "exact" if head_hit.how == "exact" and prev.how == "exact" else head_hit.how
        return GazetteerMatch(start, end, text[start:end], ident, "ORG", name_en, how, subtype, "composed")


_GENITIVES = frozenset({"کی", "کے", "کا"})


# Words repeat (Zipf): keying each distinct word once is most of the matcher's speed.
_word_key = lru_cache(maxsize=1 << 18)(key)


# ---------------------------------------------------------------------------------- data files


def read_entries(root: Path | None = None) -> list[Entry]:
    """All entries of the gazetteer's TSV files, rows with the same id merged (curated first)."""
    base = root or resources.path("gazetteer")
    merged: dict[str, dict] = {}
    order: list[str] = []
    for folder in _DATA_DIRS:
        for path in sorted((base / folder).glob("*.tsv")):
            if path.name in _CONTROL_FILES or path.name in _DATA_SKIP:
                continue
            rows = resources.read_tsv("gazetteer", folder, path.name) if root is None else _read(path)
            for row in rows:
                cells = list(row) + [""] * (7 - len(row))
                ident, typ, subtype, name_en, ur, country, extra = cells[:7]
                if typ not in TYPES:
                    raise ValueError(f"{path.name}: {ident}: unknown type {typ!r}")
                variants = [v.strip() for v in ur.split("|") if v.strip()]
                item = merged.get(ident)
                if item is None:
                    item = merged[ident] = {
                        "id": ident, "type": typ, "subtype": subtype, "name_en": name_en,
                        "full": [], "short": [], "country": country, "extra": [],
                        "curated": folder == "curated", "n_curated": 0,
                    }
                    order.append(ident)
                elif item["type"] != typ:
                    raise ValueError(f"{path.name}: {ident}: type {typ} differs from {item['type']}")
                for v in variants:
                    target = item["short"] if v.startswith("~") else item["full"]
                    v = v.lstrip("~")
                    if v not in target:
                        target.append(v)
                        if folder == "curated" and target is item["full"]:
                            item["n_curated"] = len(target)
                item["country"] = item["country"] or country
                item["extra"].extend(_split_extra(extra))
    return [
        Entry(d["id"], d["type"], d["subtype"], d["name_en"], tuple(d["full"]), tuple(d["short"]),
              d["country"], tuple(dict.fromkeys(d["extra"])), d["curated"], d["n_curated"])
        for d in (merged[i] for i in order)
    ]


def _read(path: Path) -> list[tuple[str, ...]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(tuple(c.strip() for c in line.split("\t")))
    return rows

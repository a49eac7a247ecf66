"""The entities of one article: people, places and organisations with all their mentions.

``find_entities(article)`` scans the kept text of a cleaned :class:`~khabar.model.Article` (never
its dropped lines, so names that occur only in related links or teasers are not entities of the
article) and returns :class:`Entity` objects, each with every :class:`Mention`.

**Where a mention is.** ``part`` says which text a mention is in: ``"title"``, ``"block"``
(then ``block`` is the index into ``article.blocks``, as in ``khabar extract --json``) or
``"meta"`` (the dateline, or a raw metadata line such as a byline with agencies, whose number is
in ``line``; ``None`` for the dateline). Offsets are into that text.

Three sources of mentions, in order of reliability (an overlap keeps the more reliable one):

1. **gazetteer** (:mod:`khabar.extract.gazetteer`), run once over the whole kept text so that a
   full name anywhere in the article licenses its short forms everywhere (کم -> Kim Jong Un once
   کم جونگ اُن is named) and the typo correction of known names;
2. **cue patterns** (``resources/entities/cues.tsv``): a title before a person's name (صدر،
   وزیر خارجہ، ڈاکٹر ...), an organisation head before or after a name (وزارت ...، ... پارٹی،
   ... نیوز), a place head (ضلع ...، ... ڈویژن), and acronyms spelled in Urdu letter names
   (اے ایف پی، پی سی بی; ``resources/urdu/seg_letter_names.txt``). The name is the run of up to
   three name-like words next to the cue: not function words (``resources/clean/
   stopwords_ur.txt``), the common words of ``resources/entities/name_stops.txt`` or weekday
   names (``resources/time/weekdays.tsv``), and not a name the gazetteer found. A known
   organisation or place right after a person's title is the office (ترجمان دفتر خارجہ X);
3. the statistical **tagger** (:mod:`khabar.extract.tagger`) for other names, kept only when its
   confidence is at least :data:`TAGGER_MIN_CONFIDENCE` (see there).

**Ids.** Mentions of a gazetteer entity share its id. Names the gazetteer does not know get
``unk:<skeleton>``; within the article such mentions are joined when their matching keys or
consonant skeletons are equal, when skeletons of 5+ letters are one edit apart in one long word
(transliteration variants; a short given name one letter off is another person: نعیم / نسیم), or
when one is a single word of a longer name of the same type (a surname used alone).
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

import regex
from rapidfuzz.distance import Levenshtein

from khabar import resources
from khabar.extract.gazetteer import Gazetteer
from khabar.model import Article
from khabar.urdu.normalize import key, skeleton

__all__ = ["Entity", "Mention", "find_cue_names", "find_entities"]

TYPES = ("PERSON", "PLACE", "ORG")
# The tagger's span confidence (smallest token marginal) below which its names are dropped: a
# precision choice, not a tuned optimum. Measured: on the sample corpus gold every value from
# 0.5 to 0.95 gives the same entities (the gazetteer and cues find nearly all names there first;
# tests/test_entities.py checks the tagger at this value does not hurt it). On IL-NER dev (not
# news) the tagger's spans of confidence 0.5-0.8 are right 57% of the time, those of 0.8+ 86%,
# and the entity pass's micro F1 is 0.58 at 0.8, 0.60 at 0.5, 0.54 without the tagger.
TAGGER_MIN_CONFIDENCE = 0.8
MAX_NAME_WORDS = 3
RELIABILITY = {"gazetteer": 3, "cue": 2, "tagger": 1}

_WORD = regex.compile(r"[\p{L}\p{M}\u200c\u200d]+|\p{N}+")
# Clause punctuation: a name never spans it.
_BARRIER = regex.compile(r"[\n\r\u06d4\u060c\u061b\u061f.,;:!?()\[\]\"'“”‘’«»|/]")


@dataclass(slots=True)
class Mention:
    """``text`` at ``start:end`` of the title, of ``article.blocks[block]`` or of a metadata
    line (see the module docstring)."""

    block: int | None
    start: int
    end: int
    text: str
    source: str = "gazetteer"  # gazetteer | cue | tagger
    line: int | None = None  # raw line of a metadata mention
    part: str = "block"  # title | block | meta

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"block": self.block, "start": self.start, "end": self.end,
                                "text": self.text, "part": self.part, "source": self.source}
        if self.part == "meta":
            data["line"] = self.line
        return data


@dataclass(slots=True)
class Entity:
    id: str
    type: str  # PERSON | PLACE | ORG
    name_en: str | None
    name_ur: str
    mentions: list[Mention] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "name_en": self.name_en,
                "name_ur": self.name_ur, "mentions": [m.to_dict() for m in self.mentions]}


class _Span(NamedTuple):
    block: int | None
    start: int
    end: int
    text: str
    type: str
    source: str
    id: str | None  # gazetteer id, None for unknown names
    name_en: str | None = None
    line: int | None = None


class _Match(NamedTuple):  # what the tagger needs of a gazetteer match
    start: int
    end: int
    type: str


def _texts(article: Article) -> list[str]:
    """Internal numbering of the scanned texts: 0 is the title ("" if none), i is blocks[i - 1]."""
    return [article.title.text if article.title else ""] + [b.text for b in article.blocks]


# --------------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class _Cues:
    # first word (X-before cues) or last word (X-after cues) -> (words, type, cue is part of name)
    before: dict[str, list[tuple[tuple[str, ...], str, bool]]]
    after: dict[str, list[tuple[tuple[str, ...], str, bool]]]
    stops: frozenset[str]
    letters: frozenset[str]
    cue_words: frozenset[str]
    counts: frozenset[str]  # number words (ہزاروں، درجنوں، دو)


@cache
def _cues() -> _Cues:
    before: dict[str, list[tuple[tuple[str, ...], str, bool]]] = defaultdict(list)
    after: dict[str, list[tuple[tuple[str, ...], str, bool]]] = defaultdict(list)
    cue_words: set[str] = set()
    for row in resources.read_tsv("entities", "cues.tsv"):
        cls, phrase = row[0], row[1]
        etype, _, side = cls.partition("_")
        words = tuple(key(phrase).split())
        if etype not in TYPES or side not in ("BEFORE", "AFTER") or not words:
            raise ValueError(f"entities/cues.tsv: bad row {cls!r} {phrase!r}")
        default = etype == "ORG" or (etype == "PLACE" and side == "AFTER")
        keep = row[2] == "keep" if len(row) > 2 and row[2] else default
        cue_words.update(words)
        if side == "BEFORE":
            before[words[0]].append((words, etype, keep))
        else:
            after[words[-1]].append((words, etype, keep))
    for table in (before, after):
        for options in table.values():
            options.sort(key=lambda o: -len(o[0]))
    stops = {key(w) for w in resources.read_lines("clean", "stopwords_ur.txt")}
    stops |= {key(w) for w in resources.read_lines("entities", "name_stops.txt")}
    # a weekday after a title is when, not who: وزیراعظم بدھ کو ...، صدر پیر کو ...
    stops |= {key(row[0]) for row in resources.read_tsv("time", "weekdays.tsv")}
    # a number word is how many, never part of a name: درجنوں مریض اسپتال ...
    counts = frozenset(key(row[0]) for row in resources.read_tsv("urdu", "num_words.tsv"))
    stops |= counts
    letters = frozenset(key(w) for w in resources.read_lines("urdu", "seg_letter_names.txt"))
    return _Cues(dict(before), dict(after), frozenset(stops), letters, frozenset(cue_words),
                 counts)


@cache
def _acronym_stops() -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(key(line).split()) for line in
                     resources.read_lines("entities", "acronym_stops.txt"))


_word_key = cache(key)


# --------------------------------------------------------------------------------- words


class _Words(NamedTuple):
    starts: list[int]
    ends: list[int]
    keys: list[str]
    barrier_before: list[bool]


def _words(text: str) -> _Words:
    """The words of ``text`` by key. A word whose key is several words (the closed spellings
    وزیراعلیٰ، وزیرخارجہ، کیخلاف key as وزیر اعلی ...) gives one entry per part, each with the
    whole word's offsets, so that it meets the cue phrases and stop words as the open spelling
    does."""
    starts: list[int] = []
    ends: list[int] = []
    keys: list[str] = []
    barrier: list[bool] = []
    prev = 0
    for m in _WORD.finditer(text):
        parts = _word_key(m.group()).split()
        if not parts:
            continue
        barrier.append(bool(starts) and _BARRIER.search(text, prev, m.start()) is not None)
        barrier.extend([False] * (len(parts) - 1))
        starts.extend([m.start()] * len(parts))
        ends.extend([m.end()] * len(parts))
        keys.extend(parts)
        prev = m.end()
    return _Words(starts, ends, keys, barrier)


def _name_like(k: str, cues: _Cues) -> bool:
    return not k.isdigit() and k not in cues.stops and k not in cues.cue_words and len(k) > 1


def _match_phrase(keys: list[str], i: int, words: tuple[str, ...], w: _Words) -> bool:
    n = len(words)
    if i + n > len(keys) or tuple(keys[i:i + n]) != words:
        return False
    return not any(w.barrier_before[j] for j in range(i + 1, i + n))


def find_cue_names(
    text: str, known: Iterable[tuple[int, int, str]] = ()
) -> list[tuple[int, int, str]]:
    """Names found by cue patterns in ``text``: ``(start, end, type)`` of the name itself (the
    cue word is not part of a person's name; it is part of an organisation's or place's name
    when it is the head: ``پیپلز پارٹی``، ``محکمہ آبپاشی``، ``ضلع`` stays outside ``سوات``).

    ``known``: ``(start, end, type)`` of names already found in ``text`` (the gazetteer's). A
    name after a cue stops before them, and an organisation or place (known, or an acronym of 3+
    letters) right after a person's title is the office, so the name is after it: ترجمان دفتر
    خارجہ X، وزیراعلیٰ پنجاب X، چیئرمین پی سی بی X. Two letter names there are more often the
    person's initials (ڈاکٹر اے کیو خان): no name is taken then.
    """
    cues = _cues()
    w = _words(text)
    keys, n = w.keys, len(w.keys)
    out: list[tuple[int, int, str]] = []
    taken = [False] * n
    acronym = [False] * n
    in_known = [False] * n
    office_last: dict[int, int] = {}  # first word of a known organisation/place -> its last
    for start, end, etype in known:
        first = bisect.bisect_left(w.starts, start)
        last = first - 1
        while last + 1 < n and w.ends[last + 1] <= end:
            last += 1
            in_known[last] = True
        if last >= first and etype != "PERSON":
            office_last[first] = last
    # acronyms in letter names: a run of 2+ letter names (not all the same letter), not followed
    # by a number (این اے 120 is a constituency, ایف 16 an aircraft)
    i = 0
    while i < n:
        if keys[i] in cues.letters:
            j = i
            while j + 1 < n and keys[j + 1] in cues.letters and not w.barrier_before[j + 1]:
                j += 1
            followed_by_number = j + 1 < n and keys[j + 1].isdigit() and not w.barrier_before[j + 1]
            # کے is also the genitive postposition: at the end of a run it is (پی ٹی آئی کے
            # رہنما); at the start only when a word runs into it (حکومت کے ایف بی آر)
            last = j
            if keys[last] == "کے":
                last -= 1
            first = i
            if (keys[first] == "کے" and first > 0 and not w.barrier_before[first]
                    and last - first + 1 < 4):
                first += 1
            run = tuple(keys[first:last + 1])
            if (len(run) >= 2 and len(set(run)) > 1 and not followed_by_number
                    and run not in _acronym_stops()):
                out.append((w.starts[first], w.ends[last], "ORG"))
                for t in range(first, last + 1):
                    taken[t] = acronym[t] = True
            i = j + 1
        else:
            i += 1
    for i in range(n):
        if taken[i]:
            continue
        for words, etype, keep in cues.before.get(keys[i], ()):
            if not _match_phrase(keys, i, words, w):
                continue
            first = i + len(words)
            if etype == "PERSON" and first < n and not w.barrier_before[first]:
                if first in office_last:  # the title's organisation or place
                    first = office_last[first] + 1
                elif acronym[first]:
                    run_end = first
                    while run_end < n and acronym[run_end]:
                        run_end += 1
                    if run_end - first >= 3:
                        first = run_end
            if first < n and w.starts[first] < w.ends[first - 1]:
                break  # the rest of the cue's own word (a closed spelling) is not a name
            last = first - 1
            while (last + 1 < n and last + 1 - first < MAX_NAME_WORDS and not taken[last + 1]
                   and not in_known[last + 1] and not w.barrier_before[last + 1]
                   and _name_like(keys[last + 1], cues)):
                last += 1
            if last >= first:
                out.append((w.starts[i if keep else first], w.ends[last], etype))
                for t in range(i if keep else first, last + 1):
                    taken[t] = True
            break
        for words, etype, keep in cues.after.get(keys[i], ()):
            head_first = i - len(words) + 1
            if head_first < 0 or not _match_phrase(keys, head_first, words, w):
                continue
            last = head_first - 1
            if last >= 0 and w.ends[last] > w.starts[head_first]:
                break  # the head is the end of a longer word, not a word after a name
            first = last + 1
            while (first - 1 >= 0 and last - (first - 1) < MAX_NAME_WORDS and not taken[first - 1]
                   and not w.barrier_before[first] and _name_like(keys[first - 1], cues)):
                first -= 1
            counted = (first > 0 and not w.barrier_before[first]
                       and (keys[first - 1].isdigit() or keys[first - 1] in cues.counts))
            if first <= last and not counted:  # "ہزاروں افراد اسپتال": people counted, no name
                out.append((w.starts[first], w.ends[i if keep else last], etype))
                for t in range(first, (i if keep else last) + 1):
                    taken[t] = True
            break
    return sorted(out)


# --------------------------------------------------------------------------------- finding


def find_entities(
    article: Article,
    *,
    meta_lines: Sequence[tuple[int, str]] = (),
    use_tagger: bool = True,
    tagger_min_confidence: float = TAGGER_MIN_CONFIDENCE,
) -> list[Entity]:
    """The entities of ``article``, in order of first mention (see the module docstring).

    ``meta_lines``: ``(line number, raw text)`` of the page's metadata lines (bylines with
    agencies, date lines); only the gazetteer is run over them. Agencies in
    ``article.meta.agencies`` that are not named in any scanned text still become entities
    (without mentions) when the gazetteer knows them by their English name.
    """
    gazetteer = Gazetteer.load()
    texts = _texts(article)
    spans: list[_Span] = []

    # 1. gazetteer over all kept text at once: a full name anywhere anchors short forms
    joined = "\n".join(texts)
    offsets = []
    pos = 0
    for t in texts:
        offsets.append(pos)
        pos += len(t) + 1
    gaz_by_block: list[list[_Match]] = [[] for _ in texts]
    block = 0
    for m in gazetteer.find(joined):
        while block + 1 < len(offsets) and offsets[block + 1] <= m.start:
            block += 1
        start, end = m.start - offsets[block], m.end - offsets[block]
        spans.append(_Span(block, start, end, m.text, m.type, "gazetteer", m.id, m.name_en))
        gaz_by_block[block].append(_Match(start, end, m.type))
    anchors = {s.id for s in spans if s.id}

    # metadata: the dateline and the raw metadata lines
    meta_texts: list[tuple[int | None, str]] = []
    if article.meta.dateline:
        meta_texts.append((None, article.meta.dateline))
    meta_texts.extend(meta_lines)
    for line, text in meta_texts:
        for m in gazetteer.find(text, anchors):
            spans.append(_Span(None, m.start, m.end, m.text, m.type, "gazetteer", m.id,
                               m.name_en, line))

    # 2. cues and 3. tagger, block by block, outside gazetteer matches
    tagger = _tagger() if use_tagger else None
    for b, text in enumerate(texts):
        if not text:
            continue
        occupied = [(s.start, s.end) for s in gaz_by_block[b]]
        for start, end, etype in find_cue_names(text, gaz_by_block[b]):
            if not _overlaps(start, end, occupied):
                spans.append(_Span(b, start, end, text[start:end], etype, "cue", None))
                occupied.append((start, end))
        if tagger is None:
            continue
        for t in tagger.tag(text, gaz_by_block[b]):
            if (t.confidence >= tagger_min_confidence and not _overlaps(t.start, t.end, occupied)
                    and _plausible_name(t.text)):
                spans.append(_Span(b, t.start, t.end, t.text, t.type, "tagger", None))
                occupied.append((t.start, t.end))

    entities = _group(spans, gazetteer)
    known = {e.id for e in entities}
    for agency in article.meta.agencies:
        entry = _agency_entry(agency)
        if entry is not None and entry.id not in known:
            entities.append(Entity(entry.id, entry.type, entry.name_en, entry.name_ur, []))
            known.add(entry.id)
    return entities


@cache
def _tagger() -> Any:
    from khabar.extract.tagger import Tagger

    try:
        return Tagger.load()
    except FileNotFoundError:
        return None


@cache
def _agency_entry(name_en: str) -> Any:
    gazetteer = Gazetteer.load()
    wanted = name_en.casefold()
    for entry in gazetteer.entries:
        if entry.type == "ORG" and entry.name_en.casefold() == wanted:
            return entry
    return None


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _plausible_name(text: str) -> bool:
    """A tagger span worth keeping: some word of it is not a function word or common word."""
    cues = _cues()
    keys = [k for k in (_word_key(w).replace(" ", "") for w in _WORD.findall(text)) if k]
    return any(_name_like(k, cues) for k in keys) and keys[0] not in cues.stops


# --------------------------------------------------------------------------------- joining


def _group(spans: list[_Span], gazetteer: Gazetteer) -> list[Entity]:
    """Spans -> entities: gazetteer ids as they are, unknown names joined by key and skeleton."""
    order = sorted(spans, key=lambda s: (s.block is None, s.block or 0, s.start))
    unknown = [s for s in order if s.id is None]
    unk_ids = _join_unknown(unknown)
    entities: dict[str, Entity] = {}
    texts: dict[str, Counter[str]] = defaultdict(Counter)
    types: dict[str, Counter[str]] = defaultdict(Counter)
    for s in order:
        ident = s.id if s.id is not None else unk_ids[id(s)]
        entity = entities.get(ident)
        if entity is None:
            name_en, name_ur = s.name_en, s.text
            if s.id is not None and s.id in gazetteer:
                entry = gazetteer.entry(s.id)
                name_en, name_ur = entry.name_en, entry.name_ur or s.text
            entity = entities[ident] = Entity(ident, s.type, name_en, name_ur, [])
        entity.mentions.append(_mention(s))
        texts[ident][s.text] += 1
        types[ident][s.type] += RELIABILITY[s.source]
    for ident, entity in entities.items():
        if ident.startswith("unk:"):
            entity.type = types[ident].most_common(1)[0][0]
            entity.name_ur = max(texts[ident].items(), key=lambda kv: (kv[1], len(kv[0])))[0]
    return list(entities.values())


def _mention(s: _Span) -> Mention:
    """Internal block numbering (0 = title, i = blocks[i - 1]) -> the public one."""
    if s.block is None:
        return Mention(None, s.start, s.end, s.text, s.source, s.line, "meta")
    if s.block == 0:
        return Mention(None, s.start, s.end, s.text, s.source, None, "title")
    return Mention(s.block - 1, s.start, s.end, s.text, s.source, None, "block")


def _one_edit_apart(a: str, b: str) -> bool:
    """Names (word keys joined by spaces) that are one spelling of one name: the same number of
    words with equal skeletons but for one word, whose skeletons are one edit apart and which is
    long (6+ letters, or a skeleton of 5+). A short given name that differs by one consonant is
    another name, not a variant (نعیم حیدر / نسیم حیدر, ناظمی / کاظمی), while long transliterated
    words take typos and variants (لاوروف / لاوروگ)."""
    words_a, words_b = a.split(), b.split()
    if len(words_a) != len(words_b):
        return False
    differ = [(x, y) for x, y in zip(words_a, words_b, strict=True) if skeleton(x) != skeleton(y)]
    if len(differ) != 1:
        return not differ
    x, y = differ[0]
    sx, sy = skeleton(x), skeleton(y)
    long_word = min(len(x), len(y)) >= 6 or min(len(sx), len(sy)) >= 5
    return long_word and Levenshtein.distance(sx, sy, score_cutoff=1) <= 1


def _join_unknown(spans: list[_Span]) -> dict[int, str]:
    """``id(span) -> unk:<skeleton>`` with variants of one name sharing the id (union-find)."""
    parent = list(range(len(spans)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    keys = [" ".join(_word_key(w) for w in s.text.split()) for s in spans]
    skels = [skeleton(k) for k in keys]
    by_key: dict[str, int] = {}
    by_skel: dict[str, int] = {}
    for i, (k, sk) in enumerate(zip(keys, skels, strict=True)):
        if k in by_key:
            union(i, by_key[k])
        by_key.setdefault(k, i)
        if len(sk) >= 3:
            if sk in by_skel:
                union(i, by_skel[sk])
            by_skel.setdefault(sk, i)
    # transliteration variants and typos: one edit apart, same type (see _one_edit_apart)
    distinct = list(by_skel.items())
    for a in range(len(distinct)):
        for b in range(a + 1, len(distinct)):
            (sa, ia), (sb, ib) = distinct[a], distinct[b]
            if (min(len(sa), len(sb)) >= 5 and spans[ia].type == spans[ib].type
                    and Levenshtein.distance(sa, sb, score_cutoff=1) <= 1
                    and _one_edit_apart(keys[ia], keys[ib])):
                union(ia, ib)
    # a single word of a longer person's name used alone (a surname): میرس -> فریڈرش میرس
    parts: dict[str, set[int]] = defaultdict(set)
    for i, k in enumerate(keys):
        if spans[i].type == "PERSON" and " " in k:
            for part in k.split():
                parts[part].add(find(i))
    for i, k in enumerate(keys):
        if " " not in k and spans[i].type == "PERSON" and len(parts.get(k, ())) == 1:
            union(i, next(iter(parts[k])))
    # the id: skeleton of the longest name of the group
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(spans)):
        groups[find(i)].append(i)
    out: dict[int, str] = {}
    for members in groups.values():
        longest = max(members, key=lambda i: (len(keys[i]), -i))
        ident = "unk:" + (skels[longest] or keys[longest].replace(" ", ""))
        for i in members:
            out[id(spans[i])] = ident
    return out

"""Quotes with their speakers: direct quotes in quotation marks and reported speech.

``find_quotes(text, entities=None, context=())`` returns :class:`Quote` objects with offsets into
``text`` (display form):

* **direct**: the words inside “…”, ”…“, ‘…’, ’…‘, «…», "…" or '…' on one line. Quotation marks
  are also used for names and single words (’اے ایف پی‘، ’ریکارڈ‘) and ``'`` is an apostrophe in
  transliterations, so a quote needs at least two words that are not all letter names (an
  acronym), or a speech cue in its sentence; with ``'`` it needs two words in any case.
* **reported**: the clause after a speech cue with ``کہ`` (``X نے کہا کہ ...``، ``X کا کہنا تھا کہ
  ...``، ``X نے بتایا کہ ...``، ``بیان میں کہا گیا کہ ...``) up to the next cue or the end of the
  sentence, unless the clause holds a direct quote (then the direct quote is the quote).

The speaker of a direct quote is the source of the nearest attribution in its sentence, one
before the quote first (``X نے بتایا کہ "..."``), else one after it (``X نے ... "..." قرار دیتے
ہوئے کہا``). Attributions and speakers are those of :func:`khabar.extract.claims.find_attributions`:
the speaker phrase reduced to its name (``شمالی کوریا کے وزیر خارجہ چو سون ہوئی`` -> ``چو سون
ہوئی``), generic words and pronouns (``ایجنسی``، ``انہوں``) resolved to the latest earlier
compatible source of the text or of ``context`` (the article's preceding sentences or blocks).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import regex

from khabar.extract.claims import Attribution, Reading, Source, read_facts
from khabar.extract.dates import phrase_key
from khabar.resources import read_lines

__all__ = ["Quote", "Speaker", "find_quotes"]

Speaker = Source  # text, entity, start, end, via


@dataclass(frozen=True, slots=True)
class Quote:
    """A quote ``text`` at ``start:end`` of the input (the words inside the marks for a direct
    quote), its ``speaker`` (None when nobody is named) and ``kind``: direct or reported."""

    text: str
    speaker: Speaker | None
    start: int
    end: int
    kind: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "speaker": self.speaker.to_dict() if self.speaker else None,
                "start": self.start, "end": self.end, "kind": self.kind}


# Pairs of quotation marks as Urdu pages use them; ”…“ and ’…‘ are the same marks typed in
# right-to-left order.
_PAIRS = (("“", "”"), ("”", "“"), ("‘", "’"), ("’", "‘"), ("«", "»"), ("»", "«"), ('"', '"'),
          ("'", "'"))
_WORD = regex.compile(r"[\p{L}\p{M}\u200c]+|\p{N}+")


@cache
def _quote_pattern() -> regex.Pattern[str]:
    alternatives = []
    for i, (opener, closer) in enumerate(_PAIRS):
        o, c = regex.escape(opener), regex.escape(closer)
        inner = f"[^{o}{c}\\n]" if opener != closer else f"[^{o}\\n]"
        # An opening mark not glued to a word before it, a closing one not glued to a word
        # after it: keeps apostrophes (Pakistan's, ’s) out.
        alternatives.append(rf"(?<![\p{{L}}\p{{N}}]){o}(?P<q{i}>(?=\S){inner}{{1,800}}?(?<=\S))"
                            rf"{c}(?![\p{{L}}\p{{N}}])")
    return regex.compile("|".join(alternatives))


@cache
def _letter_names() -> frozenset[str]:
    try:
        return frozenset(read_lines("urdu", "seg_letter_names.txt"))
    except FileNotFoundError:
        return frozenset()


def _direct_spans(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(inner_start, inner_end, opening mark) of the quotation marks of a sentence."""
    out = []
    for m in _quote_pattern().finditer(text, start, end):
        group = next(name for name, value in m.groupdict().items() if value is not None)
        out.append((m.start(group), m.end(group), m.group()[0]))
    return out


def _is_quote(text: str, q0: int, q1: int, mark: str, cue_in_sentence: bool) -> bool:
    words = [phrase_key(w) for w in _WORD.findall(text, q0, q1)]
    if not words:
        return False
    acronym = all(w in _letter_names() for w in words)
    if mark == "'":
        return len(words) >= 2 and not acronym
    if acronym:
        return False
    return len(words) >= 2 or cue_in_sentence


def _speaker_for(q0: int, candidates: list[Attribution]) -> Speaker | None:
    before = [a for a in candidates if a.cue_start < q0 and a.speaker is not None]
    if before:
        return before[-1].speaker
    after = [a for a in candidates if a.cue_start >= q0 and a.speaker is not None]
    return after[0].speaker if after else None


def find_quotes(text: str, entities: Iterable[Any] | None = None,
                context: Sequence[str] = (), *, reading: Reading | None = None) -> list[Quote]:
    """Direct and reported quotes of ``text`` in order, with speakers.

    >>> [(q.text, q.speaker.text) for q in find_quotes('وزیر اعظم نے کہا کہ "ہم ہار نہیں مانیں گے۔"')]
    [('ہم ہار نہیں مانیں گے۔', 'وزیر اعظم')]
    """
    if not text:
        return []
    if reading is None:
        reading = read_facts(text, entities, context)
    spans, attributions = reading.sentences, reading.attributions
    out: list[Quote] = []
    for s0, s1 in spans:
        here = [a for a in attributions if a.sentence == (s0, s1)]
        speech = [a for a in here if a.kind != "according"]
        directs = [(q0, q1) for q0, q1, mark in _direct_spans(text, s0, s1)
                   if _is_quote(text, q0, q1, mark, bool(speech))]
        for q0, q1 in directs:
            out.append(Quote(text[q0:q1], _speaker_for(q0, here), q0, q1, "direct"))
        for i, att in enumerate(speech):
            if att.clause_start is None:
                continue
            stop = s1
            for later in speech[i + 1:]:
                if later.cue_start > att.clause_start:
                    stop = _clause_end(text, att.clause_start, later)
                    break
            c0, c1 = _strip(text, att.clause_start, stop)
            if c1 - c0 < 2 or len(_WORD.findall(text, c0, c1)) < 2:
                continue
            if any(c0 <= q0 < c1 or c0 < q1 <= c1 for q0, q1 in directs):
                continue
            if any(q0 <= c0 and c1 <= q1 for q0, q1, _ in _direct_spans(text, s0, s1)):
                continue
            out.append(Quote(text[c0:c1], att.speaker, c0, c1, "reported"))
    return sorted(out, key=lambda q: q.start)


def _clause_end(text: str, clause_start: int, later: Attribution) -> int:
    """Where a reported clause ends when another speech cue follows in its sentence: where
    the next speaker's name begins (X نے کہا کہ Y نے بتایا کہ ...), or, when the next cue has
    no subject of its own after this clause (... ہیں، اور یہ بھی تسلیم کیا کہ), at the last
    comma before it."""
    if later.phrase_start >= clause_start:
        return later.phrase_start
    comma = max(text.rfind("،", clause_start, later.cue_start),
                text.rfind(",", clause_start, later.cue_start))
    return comma if comma > clause_start else later.cue_start


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces and a trailing comma (the clause ends where the next speaker begins)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "،,"):
        end -= 1
    return start, end

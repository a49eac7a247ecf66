"""Per-line features for cleaning: everything a decision looks at, computed once per line.

:func:`line_features` gives the *intrinsic* features of one line (its shape, script and
language, cue, byline or date shape, HTML tag, repetition across pages, content words).
:mod:`khabar.clean.article` then fills the *context* fields (position relative to the headline
and the article's end, topical coherence with the title, the body and the next paragraph), and
:func:`khabar.clean.decide.decide` turns a finished :class:`LineFeatures` into a decision.
Keeping the features apart from the decision is what lets weights be fitted later
(``scripts/fit_clean_weights.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING

import regex

from khabar.clean.data import Cue, cues, stem, stopwords
from khabar.clean.dates import DateLine, date_line
from khabar.clean.meta import Byline, Dateline, dateline_only, parse_byline
from khabar.urdu import LanguageGuess, identify_language

if TYPE_CHECKING:
    from khabar.clean.decide import Decision

__all__ = ["LineFeatures", "content_stems", "line_features", "line_language", "menu_items",
           "split_tag"]

#: A line longer than this (in words) without a full stop is still a paragraph, not a
#: candidate heading or teaser.
SHORT_MAX_WORDS = 20
#: A question longer than this is a sentence of the text, not a question heading.
QUESTION_MAX_WORDS = 14

_TRAILERS = "\"'”’“‘»«›)]}>*"
_FULL_STOPS = frozenset("۔.!…")
_QUESTION = frozenset("؟?")
_INNER_STOP = regex.compile(r"[۔!؟?](?=\s+\S)|\.(?=\s+[\p{Lu}\p{Arabic}])", regex.V1)
_LETTER = regex.compile(r"\p{L}")
_DIGIT = regex.compile(r"\d")
#: identify_language reads this much of a long line (the answer does not change after it, and
#: short texts are cached).
_LANG_SAMPLE = 300
_URL = regex.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|pk|org|net|tv|tk|in|uk)\b",
                     regex.IGNORECASE)
_MENU_SEP = regex.compile(r"\s*(?:\||•|·|»|›|«|‹|→|>|::)\s*")
_ATTRIBUTION = regex.compile(r"[،,]\s*(?:\S+\s*){1,3}$")
#: Lines up to this many characters have their text features cached: chrome, headings and
#: widget lines repeat from page to page of an outlet.
_CACHE_CHARS = 200


@dataclass(slots=True)
class LineFeatures:
    """Everything cleaning knows about one non-blank raw line."""

    # --- identity
    number: int  # 1-based raw line number
    raw: str  # the raw line, stripped
    display: str  # its display form (khabar.urdu.normalize)
    form: str  # its matching form (khabar.urdu.key, case-folded)
    # --- shape
    words: int
    letters: bool  # any letter at all
    full_stop: bool  # ends with ۔ . ! (closing quotes and brackets ignored)
    question: bool  # ends with ؟ or ?
    sentences: int  # sentence ends inside or at the end of the line
    url_like: bool
    menu_like: bool  # "a | b | c" or "Home » News » World"
    attribution_tail: bool  # headline style: "..., speaker" after a comma
    # --- language
    script: str
    lang: str
    lang_confidence: float
    lang_reason: str
    # --- explicit signals
    cue: Cue | None
    byline: Byline | None
    date_line: DateLine | None
    dateline: Dateline | None  # the line is only a dateline: "اسلام آباد (اے پی پی)"
    # --- HTML (None for plain text)
    landmark: str | None = None
    block: str | None = None
    link: bool = False
    # --- repetition across pages of the same outlet or folder
    seen_on: int = 0
    group_pages: int = 0
    # --- content words (stems of non-stop-words, matching form)
    content: frozenset[str] = frozenset()
    content_words: dict[str, str] = field(default_factory=dict)  # stem -> a word as written
    # --- what the line says about itself (decide.explicit: metadata, cue, landmark,
    # repetition), computed once by the article pass
    explicit: Decision | None = None
    repeat: Decision | None = None  # decide.repetition: chrome repeated across pages
    skip: bool = False  # chrome by itself (known, a menu, a web address, a short foreign line)

    @property
    def known(self) -> Decision | None:
        """What the line says about itself, if anything (explicit first, then repetition)."""
        return self.explicit if self.explicit is not None else self.repeat
    # --- context, filled by the article pass
    position: str = "body"  # before_title | title | body | after_end
    paragraph_like: bool = False
    next_number: int | None = None  # the next line that is not explicit chrome
    next_is_paragraph: bool = False
    title_share: float = 0.0  # share of content words also in the title
    next_share: float = 0.0  # ... in the next paragraph
    section_share: float = 0.0  # ... in the paragraphs up to the next short line (3 at most)
    body_share: float = 0.0  # ... anywhere in the article's paragraphs
    salient_share: float = 0.0  # ... in 2+ paragraphs or in the title
    novel_share: float = 0.0  # ... nowhere else in the article
    novel: tuple[str, ...] = ()  # those words, as written
    under_title: bool = False  # between the headline and the first paragraph (a summary line)
    end_line: int | None = None  # for after_end lines: the line that ended the article
    end_text: str = ""
    list_header: str | None = None  # after_end under a list header ("متعلقہ خبریں")
    chat_run: bool = False  # inside a run of lines holding a chat/poll widget cue

    @property
    def short_candidate(self) -> bool:
        """Short, no full stop: a sub-heading or an unmarked headline of another story."""
        if self.full_stop or self.sentences > 1 or not self.letters:
            return False
        limit = QUESTION_MAX_WORDS if self.question else SHORT_MAX_WORDS
        return self.words <= limit

    @property
    def headline_like(self) -> bool:
        return 3 <= self.words <= 30 and not self.full_stop and self.letters

    @property
    def latin(self) -> bool:
        return self.script == "latin"


def split_tag(tag: str | None) -> tuple[str | None, str | None, bool]:
    """``"nav/li@link"`` -> (``"nav"``, ``"li"``, True)."""
    if not tag:
        return None, None, False
    body, _, link = tag.partition("@")
    landmark, _, block = body.rpartition("/")
    return landmark or None, block or None, link == "link"


def _ending(text: str) -> str:
    return text.rstrip().rstrip(_TRAILERS).rstrip()[-1:]


def content_stems(line_form: str, lang: str) -> dict[str, str]:
    """Stems of the content words of a matching-form line -> the first word giving each."""
    if len(line_form) <= _CACHE_CHARS:
        return _cached_stems(line_form, lang)
    return _stems(line_form, lang)


def _stems(line_form: str, lang: str) -> dict[str, str]:
    stop = _stop_union(lang)
    out: dict[str, str] = {}
    for word in dict.fromkeys(line_form.split()):  # each word once, in order
        if word not in stop and len(word) > 1 and not word.isdigit():
            out.setdefault(stem(word), word)
    return out


@lru_cache(maxsize=1 << 14)
def _cached_stems(line_form: str, lang: str) -> dict[str, str]:
    return _stems(line_form, lang)


@cache
def _stop_union(lang: str) -> frozenset[str]:
    """Stop-words of the page's language plus English ones (English chrome and names mix in)."""
    known = ("ur", "en", "fa", "ar", "pa", "sd", "ps")
    return stopwords(lang if lang in known else "ur") | stopwords("en")


_URDU_ONLY = regex.compile(r"[ٹڈڑںے]")
_LATIN_LETTER = regex.compile(r"[A-Za-z]")
#: Lines up to this length go to identify_language whole (it caches them: chrome repeats).
_LANG_FULL = 80


def line_language(raw: str) -> LanguageGuess:
    """The language of one line, fast.

    Short lines (chrome, headings) go to :func:`khabar.urdu.identify_language` whole. A long
    Arabic-script line with the letters only Urdu and Punjabi write (ٹ ڈ ڑ ں ے) and little
    Latin is taken as Urdu without a full scoring: that is most lines of an Urdu page, and the
    scorer costs about half a microsecond per character. (The page's language is checked once
    on a sample of its text, see :mod:`khabar.clean.article`.) Other long lines are scored on
    their first few hundred characters.
    """
    if len(raw) <= _LANG_FULL:
        return identify_language(raw)
    head = raw[:_LANG_SAMPLE]
    if (len(set(_URDU_ONLY.findall(head))) >= 2
            and len(_LATIN_LETTER.findall(head)) < 0.1 * len(head)):
        return LanguageGuess("ur", 0.9, "Urdu letters (ٹ ڈ ڑ ں ے) in a long Arabic-script line",
                             "arabic")
    return identify_language(head)


def menu_items(display: str) -> list[str]:
    """The items of a menu-like line: ``"ہوم | پاکستان | دنیا"`` -> three items."""
    return [part for part in _MENU_SEP.split(display) if part.strip()]


def _count_sentences(display: str, end: str) -> int:
    """Sentence ends in the line: marks followed by more text, plus a final one."""
    if len(display) > 400:  # a long line is a paragraph whatever the count: count cheaply
        return display.count("۔") + display.count("؟") + display.count(". ") + 1
    inner = len(_INNER_STOP.findall(display))
    return inner + (1 if end in _FULL_STOPS or end in _QUESTION else 0)


def _text_features(raw: str, display: str, line_form: str) -> dict[str, object]:
    """Features that depend on the line's text only (not on its tag or page)."""
    words = len(display.split())
    end = _ending(display)
    guess = line_language(raw)
    menu_like = False
    if words <= 12 or "|" in display:
        parts = menu_items(display)
        menu_like = len(parts) >= 3 and all(len(p.split()) <= 4 for p in parts)
    has_digit = _DIGIT.search(display) is not None
    return {
        "words": words,
        "letters": _LETTER.search(display) is not None,
        "full_stop": end in _FULL_STOPS,
        "question": end in _QUESTION,
        "sentences": _count_sentences(display, end),
        "url_like": words <= 8 and _URL.search(display) is not None,
        "menu_like": menu_like,
        "attribution_tail": 5 <= words <= SHORT_MAX_WORDS
        and _ATTRIBUTION.search(display) is not None,
        "script": guess.script,
        "lang": guess.lang,
        "lang_confidence": guess.confidence,
        "lang_reason": guess.reason,
        "cue": cues().find(display, line_form, words),
        "byline": parse_byline(display) if words <= 16 else None,
        "date_line": date_line(display) if has_digit and words <= 20 else None,
        "dateline": dateline_only(display) if words <= 10 else None,
    }


_cached_text_features = lru_cache(maxsize=1 << 14)(_text_features)


def line_features(number: int, raw: str, display: str, line_form: str, tag: str | None,
                  seen_on: int = 0, group_pages: int = 0) -> LineFeatures:
    """The intrinsic features of one non-blank line (context fields keep their defaults)."""
    if len(raw) <= _CACHE_CHARS:
        text = _cached_text_features(raw, display, line_form)
    else:
        text = _text_features(raw, display, line_form)
    landmark, block, link = split_tag(tag)
    return LineFeatures(number=number, raw=raw, display=display, form=line_form,
                        landmark=landmark, block=block, link=link, seen_on=seen_on,
                        group_pages=group_pages, **text)  # type: ignore[arg-type]

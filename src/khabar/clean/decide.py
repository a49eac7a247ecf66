"""The decision for one line, from its finished :class:`~khabar.clean.features.LineFeatures`.

Rules, in order (the first that applies decides, and says why):

1.  **title**        the line chosen as the headline.
2.  **meta**         a byline (initials with agencies, ``رپورٹ: ...``), an agency or source
                     credit, a line that is only a date, or only a dateline -> ``meta_lines``.
3.  **cue**          an explicit cue from ``cues.tsv`` (یہ بھی پڑھیں، Related Articles, share
                     buttons, copyright ...) -> the cue's kind; a list header above the headline
                     (``تازہ ترین`` in a menu) -> navigation.
4.  **landmark**     HTML landmark: nav -> navigation, footer -> footer, aside -> related_link or
                     teaser, form -> ui, figure -> caption, a link in a header -> navigation.
5.  **after end**    after the article ended (an ``end`` cue after article text), lines that are
                     not clearly more of the article -> teaser (headlines under a list header)
                     or widget.
6.  **before title** lines above the headline -> navigation (short, link-like, in <header>) or
                     ui.
7.  **repetition**   a short line on >= 3 pages and >= 30% of the pages of its outlet/folder, or a
                     long one on >= 3 pages and >= 50% (disclaimers) -> navigation (a menu),
                     teaser (a headline) or ui, with the count in the reason.
8.  **no words**     only digits or symbols -> ui.
9.  **link shape**   a bare web address -> ui; a ``|``/``»`` separated menu -> navigation (share
                     if its items are share buttons).
10. **language**     Latin-script lines in an Urdu page -> ui (short chrome) or non_urdu (a full
                     sentence); a confident other Arabic-script language (Persian, Arabic ...) or
                     another script -> non_urdu. Pages in another language are judged in it.
11. **HTML link**    a line that is all link: a headline -> related_link, a short item ->
                     navigation.
12. **short line**   short, no full stop: a sub-heading if it is about this article (topical
                     coherence score, see :class:`HeadingModel`) and followed by article text,
                     else a teaser (the headline of another story).
13. **paragraph**    everything else is article text.

Rules 2-4 and 7 depend on the line alone; they are computed once per line into
``LineFeatures.explicit`` / ``LineFeatures.repeat`` (:func:`explicit`, :func:`repetition`), and
lines they catch are skipped when looking for "the next paragraph" of a heading. Two rules need
the decisions of neighbours and run after this one (in :mod:`khabar.clean.article`): a short kept
line between two dropped lines of the same chrome kind takes that kind (run propagation), and a
line repeating an earlier kept line is a ``duplicate_line``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from khabar.clean.data import cues, form
from khabar.clean.features import LineFeatures, menu_items
from khabar.resources import read_tsv

__all__ = ["Decision", "HeadingModel", "PageInfo", "decide", "explicit", "heading_model",
           "repetition", "same_language"]

REPEAT_MIN_PAGES = 3
REPEAT_SHORT_SHARE = 0.3
REPEAT_LONG_SHARE = 0.5
REPEAT_SHORT_WORDS = 15
OTHER_LANG_CONFIDENCE = 0.85
#: A repeated line needs this many words to count as another story's headline.
TEASER_MIN_WORDS = 5
#: Words found nowhere else in the article: this many or more count fully against a heading.
NOVEL_CAP = 4

_LANG_NAMES = {"ur": "Urdu", "en": "English", "fa": "Persian", "ar": "Arabic", "pa": "Punjabi",
               "sd": "Sindhi", "ps": "Pashto", "other": "another language",
               "unknown": "an unknown language"}


@dataclass(frozen=True, slots=True)
class Decision:
    """``label``: title | heading | paragraph | meta | dropped; ``kind``/``reason`` for drops."""

    label: str
    kind: str | None = None
    reason: str | None = None
    weak: bool = False  # a drop by generic shape only (no words, a short foreign line): a run
    # of chrome around it may give it a better kind


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What a decision needs to know about the whole page."""

    lang: str  # main language of the page's text
    title_number: int | None


@dataclass(frozen=True, slots=True)
class HeadingModel:
    """A linear score over coherence features: >= 0 means sub-heading, < 0 teaser. Weights are
    in ``resources/clean/heading_weights.tsv`` (hand-set, re-fittable with
    ``scripts/fit_clean_weights.py``)."""

    weights: dict[str, float]

    @staticmethod
    def vector(f: LineFeatures) -> dict[str, float]:
        return {
            "bias": 1.0,
            "title_share": f.title_share,
            "next_share": f.next_share,
            "section_share": f.section_share,
            "salient_share": f.salient_share,
            "novel": min(len(f.novel), NOVEL_CAP) / NOVEL_CAP,
            "very_short": 1.0 if f.words <= 4 else 0.0,
            "short": 1.0 if f.words <= 5 else 0.0,
            "long": 1.0 if f.words >= 10 else 0.0,
            "attribution_tail": 1.0 if f.attribution_tail else 0.0,
            "question": 1.0 if f.question else 0.0,
            "html_heading": 1.0 if f.block in ("h2", "h3", "h4", "h5", "h6") else 0.0,
            "under_title": 1.0 if f.under_title else 0.0,
            "seen_elsewhere": 1.0 if f.seen_on >= 2 else 0.0,
        }

    def score(self, f: LineFeatures) -> float:
        return sum(self.weights.get(name, 0.0) * value for name, value in self.vector(f).items())


@cache
def heading_model() -> HeadingModel:
    return HeadingModel({row[0]: float(row[1]) for row in read_tsv("clean", "heading_weights.tsv")})


def _lang_name(lang: str) -> str:
    return _LANG_NAMES.get(lang, lang)


def _drop(kind: str, reason: str) -> Decision:
    return Decision("dropped", kind, reason)


def _quote(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def explicit(f: LineFeatures) -> Decision | None:
    """Rules 2-4: what a line says about itself (metadata, cue, HTML landmark), or None."""
    # 2. metadata lines
    if f.byline is not None:
        return Decision("meta", None, f"byline: {f.byline.what}")
    if f.date_line is not None:
        return Decision("meta", None, "date line")
    if f.dateline is not None:
        return Decision("meta", None, "dateline")
    # 3. explicit cue
    if f.cue is not None:
        return _drop(f.cue.kind, f.cue.explain())
    # 4. HTML landmarks
    if f.landmark == "nav":
        return _drop("navigation", "inside the page's navigation (<nav>)")
    if f.landmark == "footer":
        return _drop("footer", "inside the page footer (<footer>)")
    if f.landmark == "aside":
        if f.link:
            return _drop("related_link", "link in a side box next to the article (<aside>)")
        return _drop("teaser", "text of a side box next to the article (<aside>)")
    if f.landmark == "form":
        return _drop("ui", "inside a form (<form>)")
    if f.landmark == "figure":
        return _drop("caption", "picture caption (<figure>)")
    if f.landmark == "header" and f.link:
        return _drop("navigation", "link in the site header (<header>)")
    return None


def repetition(f: LineFeatures) -> Decision | None:
    """Rule 7: a line repeated on many pages of its outlet is chrome; its shape gives the kind
    (a menu, another story's headline, or plain page chrome)."""
    if f.seen_on < REPEAT_MIN_PAGES or not f.group_pages:
        return None
    share = f.seen_on / f.group_pages
    seen = f"appears on {f.seen_on} of {f.group_pages} pages of this outlet"
    if f.words <= REPEAT_SHORT_WORDS and share >= REPEAT_SHORT_SHARE:
        if f.menu_like:
            return _drop(_menu_kind(f), f"menu: {seen}")
        if f.headline_like and f.words >= TEASER_MIN_WORDS and not f.latin:
            return _drop("teaser", f"headline of another story: {seen}")
        return _drop("ui", seen)
    if f.words > REPEAT_SHORT_WORDS and share >= REPEAT_LONG_SHARE:
        return _drop("ui", f"boilerplate paragraph repeated word for word on {f.seen_on} of "
                           f"{f.group_pages} pages of this outlet")
    return None


def _menu_kind(f: LineFeatures) -> str:
    """A row of share buttons (``فیس بک | ٹوئٹر | واٹس ایپ``) is share, any other menu
    navigation."""
    exact = cues().exact
    kinds = {getattr(exact.get(form(item)), "kind", None) for item in menu_items(f.display)}
    return "share" if kinds == {"share"} else "navigation"


def same_language(f: LineFeatures, page_lang: str) -> bool:
    """The line is in the page's language (or too short to tell, or an Arabic-script line of
    an Urdu page whose other-language guess is not confident)."""
    if f.lang == page_lang or f.lang == "unknown":
        return True
    return (page_lang == "ur" and f.script == "arabic"
            and f.lang_confidence < OTHER_LANG_CONFIDENCE)


def _teaser_reason(f: LineFeatures) -> str:
    parts = []
    if f.title_share == 0:
        parts.append("shares no key words with the title")
    else:
        parts.append(f"shares only {f.title_share:.0%} of its key words with the title")
    if not f.next_is_paragraph:
        parts.append("is not followed by article text")
    elif f.next_share < 0.34:
        parts.append("has little in common with the next paragraph")
    if f.novel:
        parts.append("names things found nowhere else in the article ("
                     + "، ".join(f.novel[:4]) + ")")
    if f.seen_on >= 2:
        parts.append(f"also appears on {f.seen_on - 1} other page(s) of this outlet")
    head = ", ".join(parts[:-1])
    return ("headline of another story: short line without a full stop that "
            + (head + " and " if head else "") + parts[-1])


def decide(f: LineFeatures, page: PageInfo) -> Decision:
    """The decision for one line (rules 1-13 of the module docstring)."""
    # 1. title
    if page.title_number is not None and f.number == page.title_number:
        return Decision("title")
    # 2-4. metadata, cue, landmark
    if f.explicit is not None:
        if f.position == "before_title" and f.cue is not None and f.cue.starts_list:
            return _drop("navigation", f"menu item above the headline: '{_quote(f.display)}'")
        return f.explicit
    # 5. after the end of the article
    if f.position == "after_end":
        if f.list_header and f.headline_like and same_language(f, page.lang):
            return _drop("teaser", "headline of another story listed under "
                                   f"'{_quote(f.list_header)}' after the article")
        if f.chat_run:
            return _drop("widget", "chat widget: inside the run of widget lines after the "
                                   "article ends")
        return _drop("widget", f"page widget after the article ended at line {f.end_line} "
                               f"('{_quote(f.end_text)}')")
    # 6. above the headline
    if f.position == "before_title":
        if f.menu_like:
            return _drop(_menu_kind(f), "menu above the headline")
        if f.words <= 4 or f.link or f.landmark == "header":
            return _drop("navigation", "menu or site name above the headline")
        return _drop("ui", "page header above the headline")
    # 7. repeated on many pages of this outlet
    if f.repeat is not None:
        return f.repeat
    # 8. no words
    if not f.letters:
        return Decision("dropped", "ui", "no words: only digits or symbols", weak=True)
    # 9. link shapes
    if f.url_like:
        return _drop("ui", "a bare web address")
    if f.menu_like:
        kind = _menu_kind(f)
        return _drop(kind, "row of share buttons" if kind == "share"
                     else "menu: short items separated by | or »")
    # 10. language
    if not same_language(f, page.lang):
        if page.lang == "ur":
            if f.latin:
                what = "English" if f.lang == "en" else "Latin-script"
                if f.full_stop and f.words >= 6:
                    return _drop("non_urdu", f"{what} sentence inside an Urdu article")
                return Decision("dropped", "ui", f"{what} page chrome between Urdu paragraphs",
                                weak=True)
            return _drop("non_urdu", f"{_lang_name(f.lang)} line inside an Urdu article "
                                     f"({f.lang_reason})")
        if f.words <= 6 and not f.full_stop:
            return Decision("dropped", "ui", f"short {_lang_name(f.lang)} line in a "
                                             f"{_lang_name(page.lang)} page", weak=True)
    # 11. a line that is all link
    if f.link and (f.block not in ("p", "blockquote") or not f.full_stop):
        if f.headline_like:
            return _drop("related_link", "headline of another story: the whole line is a link")
        if f.words <= 4:
            return _drop("navigation", "menu item: the whole line is a link")
    # 12. short line without a full stop: sub-heading or headline of another story
    if f.short_candidate and not f.paragraph_like:
        if not f.content:
            return Decision("heading" if f.next_is_paragraph and f.words <= 8 else "paragraph")
        if f.next_is_paragraph and heading_model().score(f) >= 0:
            return Decision("heading")
        return _drop("teaser", _teaser_reason(f))
    # 13. article text
    return Decision("paragraph")

"""From a page's raw lines to an :class:`~khabar.model.Article`.

The passes, each linear in the number of lines:

1. **features**: per non-blank line, once (:func:`~khabar.clean.features.line_features`);
2. **page language**: the language holding most of the text of the longer lines;
3. **headline**: the given title's line, else the first ``<h1>``, else the first headline-like
   line above the first paragraph that is about what the paragraphs are about;
4. **context**: position (above the headline / body / after the article's end), content words,
   coherence of short lines with the title, the paragraphs and the next paragraph;
5. **decisions** (:func:`~khabar.clean.decide.decide`), then run propagation and duplicates;
6. **metadata**: dateline and glued date split off the first paragraph, bylines, date lines.

Line numbers are 1-based lines of ``Page.text``: for text input the raw file's lines, for HTML
the lines of the text the reader made (one block element per line).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from khabar.clean.data import form
from khabar.clean.decide import (
    Decision,
    PageInfo,
    decide,
    explicit,
    repetition,
    same_language,
)
from khabar.clean.features import LineFeatures, content_stems, line_features
from khabar.clean.meta import split_first_paragraph
from khabar.clean.repeated import RepeatedLines, group_of
from khabar.model import Article, Block, Dropped, Meta, Page
from khabar.urdu import identify_language, normalize

__all__ = ["clean", "clean_many"]

#: Drop kinds that a short line between two lines of that kind takes over.
PROPAGATING_KINDS = frozenset({"widget", "share", "navigation", "ui", "footer", "ad"})
#: How far down the page a headline is looked for when no paragraph comes first.
TITLE_SEARCH_LINES = 15
#: A headline candidate must share this much of its content with the paragraphs below it.
TITLE_MIN_OVERLAP = 0.34
#: After the article ended, a line is more of the article only if it is this coherent.
RESUME_MIN_SHARE = 0.5
RESUME_MIN_WORDS = 10
RESUME_SOME_SHARE = 0.2
RESUME_MIN_SHARED = 3
#: A sub-heading introduces at most this many paragraphs (for the section_share feature).
SECTION_PARAGRAPHS = 3
#: A dateline or glued date is split off the start of each of this many first paragraphs (the
#: first may be a summary sentence under the headline).
META_PARAGRAPHS = 2


def _page_language(feats: list[LineFeatures]) -> str:
    weights: Counter[str] = Counter()
    for f in feats:
        if f.cue is None and f.words >= 5 and f.lang != "unknown":
            weights[f.lang] += len(f.display)
    if not weights:
        for f in feats:
            if f.lang != "unknown":
                weights[f.lang] += len(f.display)
    if not weights:
        return "ur"
    lang = weights.most_common(1)[0][0]
    return "ur" if lang == "other" and weights.get("ur") else lang


def _is_paragraph(f: LineFeatures, lang: str, punctuated: bool) -> bool:
    """Article text by its shape alone (before context): long, or a full sentence."""
    if not f.letters or f.known is not None or not same_language(f, lang):
        return False
    if f.link and not f.full_stop:
        return False
    if (f.full_stop and f.words >= 4) or (f.sentences >= 2 and f.words >= 6):
        return True
    if not f.short_candidate:
        return True
    return not punctuated and f.words > 10


def _punctuated(feats: list[LineFeatures]) -> bool:
    """Whether this page ends its sentences with full stops (most long lines do)."""
    long_lines = [f for f in feats if f.words >= 15 and f.cue is None]
    if not long_lines:
        return True
    return sum(1 for f in long_lines if f.full_stop or f.question) >= 0.5 * len(long_lines)


def _tokens(text_form: str) -> set[str]:
    return set(text_form.split())


def _close(a: str, b: str) -> bool:
    """Two matching forms say the same headline (site names and punctuation aside)."""
    if a == b:
        return True
    if not a or not b:
        return False
    shorter, longer = sorted((a, b), key=len)
    if longer.startswith(shorter) or longer.endswith(shorter):
        return len(shorter) >= 0.7 * len(longer)
    ta, tb = _tokens(a), _tokens(b)
    return len(ta & tb) >= 0.8 * max(len(ta), len(tb))


def _choose_title(feats: list[LineFeatures], page: Page, lang: str) -> int | None:
    """Index (into ``feats``) of the headline line, or None."""
    if page.title:
        given = form(normalize(page.title))
        matches = [i for i, f in enumerate(feats)
                   if f.landmark not in ("nav", "footer", "aside") and _close(f.form, given)]
        if matches:
            return next((i for i in matches if feats[i].block == "h1"), matches[0])
        return None
    for i, f in enumerate(feats):
        if f.block == "h1" and f.landmark not in ("nav", "footer", "aside", "form") and f.letters:
            return i
    first_sentence = next((i for i, f in enumerate(feats)
                           if f.paragraph_like and f.full_stop and f.words >= 8), None)
    limit = first_sentence if first_sentence is not None else min(len(feats), TITLE_SEARCH_LINES)
    candidates = [i for i in range(min(limit, TITLE_SEARCH_LINES))
                  if feats[i].headline_like and feats[i].known is None
                  and same_language(feats[i], lang) and not feats[i].menu_like
                  and not feats[i].url_like and not feats[i].link]
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    # Prefer the first candidate that is about what the paragraphs below it are about.
    below: Counter[str] = Counter()
    best = None
    for i in range(len(feats) - 1, candidates[0] - 1, -1):
        if i in candidates:
            content = feats[i].content
            if content:
                shared = sum(1 for c in content if below[c])
                if shared / len(content) >= TITLE_MIN_OVERLAP and shared >= min(2, len(content)):
                    best = i
        if feats[i].paragraph_like:
            below.update(feats[i].content)
    return best if best is not None else candidates[0]


def _context(feats: list[LineFeatures], title_index: int | None, lang: str) -> None:
    """Fill positions, the article's end, and coherence features (in place)."""
    title = feats[title_index] if title_index is not None else None
    title_words = title.content if title is not None else frozenset()
    start = 0
    if title_index is not None:
        for f in feats[:title_index]:
            f.position = "before_title"
        title.position = "title"
        start = title_index + 1

    # The article's end: an "end" cue (Related Articles, Tags, Comments ...) after article
    # text. Later lines are chrome unless clearly more of the article.
    so_far: Counter[str] = Counter()
    seen_text = False
    ended: LineFeatures | None = None
    list_header: str | None = None
    for f in feats[start:]:
        if ended is None:
            if f.paragraph_like:
                seen_text = True
                so_far.update(f.content)
            elif f.cue is not None and f.cue.ends_article and seen_text:
                ended = f
                list_header = f.display if f.cue.starts_list else None
            continue
        if (f.paragraph_like and f.words >= RESUME_MIN_WORDS
                and _continues(f, so_far, title_words)):
            ended, list_header = None, None  # the article goes on after a box in the middle
            so_far.update(f.content)
            continue
        f.position = "after_end"
        f.end_line, f.end_text = ended.number, ended.display
        if f.cue is not None:
            list_header = f.display if f.cue.starts_list else None
        f.list_header = list_header
    _mark_chat_runs(feats)

    body: Counter[str] = Counter()
    for f in feats:
        if f.paragraph_like and f.position == "body":
            body.update(f.content)

    # The next line that is not chrome by itself, for every line (one backward pass).
    following: LineFeatures | None = None
    for f in reversed(feats):
        if following is not None:
            f.next_number = following.number
            f.next_is_paragraph = following.paragraph_like and following.position == "body"
        else:
            f.next_number, f.next_is_paragraph = None, False
        if not f.skip:
            following = f

    _under_title(feats, title is not None)
    sections = _sections(feats)
    by_number = {f.number: f for f in feats}
    for i, f in enumerate(feats):
        if f.position != "body" or f.paragraph_like or not f.short_candidate or not f.content:
            continue
        n = len(f.content)
        following = by_number.get(f.next_number) if f.next_is_paragraph else None
        f.title_share = len(f.content & title_words) / n
        f.next_share = len(f.content & following.content) / n if following else 0.0
        f.section_share = len(f.content & sections[i]) / n
        f.body_share = sum(1 for c in f.content if body[c]) / n
        f.salient_share = sum(1 for c in f.content if body[c] >= 2 or c in title_words) / n
        novel = [c for c in f.content_words if not body[c] and c not in title_words]
        f.novel_share = len(novel) / n
        f.novel = tuple(f.content_words[c] for c in novel)


def _under_title(feats: list[LineFeatures], has_title: bool) -> None:
    """Mark short lines between the headline and the first paragraph (summary lines)."""
    if not has_title:
        return
    for f in feats:
        if f.position != "body" or f.skip:
            continue
        if f.paragraph_like:
            return
        f.under_title = f.short_candidate


def _sections(feats: list[LineFeatures]) -> list[frozenset[str]]:
    """For every line, the content words of the paragraphs that follow it up to the next line
    that is not a paragraph (explicit chrome skipped), at most SECTION_PARAGRAPHS of them: what
    a sub-heading on that line would introduce. One backward pass."""
    out: list[frozenset[str]] = [frozenset()] * len(feats)
    run: list[frozenset[str]] = []  # content of the paragraphs after the current line
    for i in range(len(feats) - 1, -1, -1):
        out[i] = frozenset().union(*run[-SECTION_PARAGRAPHS:]) if run else frozenset()
        f = feats[i]
        if f.skip:
            continue
        if f.paragraph_like and f.position == "body":
            run.append(f.content)
        else:
            run = []
    return out


def _continues(f: LineFeatures, so_far: Counter[str], title_words: frozenset[str]) -> bool:
    """A paragraph after the article's end is more of the article when it shares enough of its
    content words with the article so far: half of them, or a fifth and at least three of them
    including a word of the title."""
    if not f.content:
        return False
    shared = [c for c in f.content_words if so_far[c]]
    share = len(shared) / len(f.content)
    if share >= RESUME_MIN_SHARE:
        return True
    return (share >= RESUME_SOME_SHARE and len(shared) >= RESUME_MIN_SHARED
            and any(c in title_words for c in shared))


def _mark_chat_runs(feats: list[LineFeatures]) -> None:
    run: list[LineFeatures] = []
    for f in [*feats, None]:
        if f is not None and f.position == "after_end":
            run.append(f)
            continue
        if run and any(g.cue is not None and g.cue.kind == "widget" for g in run):
            for g in run:
                g.chat_run = True
        run = []


def _propagate(feats: list[LineFeatures], decisions: list[Decision]) -> None:
    """A short kept line (or one dropped for its shape alone) between two dropped lines of the
    same chrome kind takes that kind."""
    for i in range(1, len(feats) - 1):
        d = decisions[i]
        if not (d.label in ("heading", "paragraph") or d.weak) or feats[i].words > 5:
            continue
        before, after = decisions[i - 1], decisions[i + 1]
        if (before.label == after.label == "dropped" and before.kind == after.kind
                and before.kind in PROPAGATING_KINDS):
            decisions[i] = Decision("dropped", before.kind,
                                    f"short line inside a run of {before.kind} lines "
                                    f"(lines {feats[i - 1].number}-{feats[i + 1].number})")


def _site_names(feats: list[LineFeatures], decisions: list[Decision]) -> None:
    """A line that only names an outlet is the site's name (logo text) above the headline and
    a source credit below it; said once, a repeat of it is chrome."""
    seen = False
    for i, f in enumerate(feats):
        if f.byline is None or f.byline.what != "outlet" or decisions[i].label != "meta":
            continue
        if f.position == "before_title":
            decisions[i] = Decision("dropped", "navigation",
                                    f"site name above the headline: is '{f.display.strip()}'")
        elif seen:
            decisions[i] = Decision("dropped", "duplicate_line",
                                    "the outlet's name again (said on an earlier line)")
        seen = seen or f.position != "before_title"


def _duplicates(feats: list[LineFeatures], decisions: list[Decision]) -> None:
    seen: dict[str, int] = {}
    for i, (f, d) in enumerate(zip(feats, decisions, strict=True)):
        if d.label not in ("title", "heading", "paragraph") or not f.form:
            continue
        if f.form in seen:
            decisions[i] = Decision(
                "dropped", "duplicate_line", f"repeats line {seen[f.form]} word for word")
        else:
            seen[f.form] = f.number


def _split_lines(text: str) -> tuple[list[str], list[str]]:
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    display = normalize("\n".join(raw)).split("\n")
    if len(display) != len(raw):  # normalize keeps the line count; be safe anyway
        display = [normalize(line) for line in raw]
    return raw, display


def clean(page: Page | str, *, repeated: RepeatedLines | None = None,
          source: str = "<text>") -> Article:
    """Clean one page: title, blocks, dropped lines (kind + reason), metadata.

    ``page`` is a :class:`~khabar.model.Page` or the page's text (``source`` then names it).
    ``repeated`` holds line counts over pages of the same outlet (see :func:`clean_many`).
    Every non-blank line of ``Page.text`` ends up in exactly one of ``title.lines``, a block's
    ``lines``, a dropped line's ``lines`` or ``meta_lines`` (1-based line numbers).
    """
    if isinstance(page, str):
        page = Page(source=source, text=page)
    raw_lines, display_lines = _split_lines(page.text)
    tags = page.line_tags if page.line_tags and len(page.line_tags) >= len(raw_lines) else None
    group = group_of(page) if repeated is not None else None
    group_pages = repeated.pages(group) if repeated is not None and group else 0

    feats: list[LineFeatures] = []
    for i, raw in enumerate(raw_lines):
        stripped = raw.strip()
        if not stripped:
            continue
        display = display_lines[i].strip() or stripped
        line_form = form(display)
        seen_on = repeated.count(group, line_form) if repeated is not None and group else 0
        feats.append(line_features(i + 1, stripped, display, line_form,
                                   tags[i] if tags else None, seen_on, group_pages))

    lang = _page_language(feats) if feats else "ur"
    punctuated = _punctuated(feats)
    for f in feats:
        f.explicit = explicit(f)
        f.repeat = repetition(f) if f.explicit is None else None
        # Chrome by its own shape: skipped when looking for the paragraph after a heading.
        f.skip = (f.known is not None or f.menu_like or f.url_like or not f.letters
                  or (not f.full_stop and not same_language(f, lang)))
    # A line that repeats an earlier line is never "the paragraph after a heading" (it will be a
    # duplicate_line): the heading must introduce text that survives cleaning.
    earlier: set[str] = set()
    for f in feats:
        if f.skip:
            continue
        if f.form in earlier:
            f.skip = True
        earlier.add(f.form)
    for f in feats:
        f.paragraph_like = _is_paragraph(f, lang, punctuated)
        if f.known is None:  # known chrome never needs its content words
            f.content_words = content_stems(f.form, lang)
            f.content = frozenset(f.content_words)

    title_index = _choose_title(feats, page, lang) if feats else None
    _context(feats, title_index, lang)
    info = PageInfo(lang, feats[title_index].number if title_index is not None else None)
    decisions = [decide(f, info) for f in feats]
    _site_names(feats, decisions)
    _propagate(feats, decisions)
    _duplicates(feats, decisions)
    return _assemble(page, feats, decisions, title_index, lang)


def _assemble(page: Page, feats: list[LineFeatures], decisions: list[Decision],
              title_index: int | None, lang: str) -> Article:
    meta = Meta()
    title: Block | None = None
    if title_index is not None:
        f = feats[title_index]
        title = Block("title", f.display, [f.number])
    elif page.title:
        title = Block("title", normalize(page.title).strip(), [])
    blocks: list[Block] = []
    dropped: list[Dropped] = []
    meta_lines: list[int] = []
    bylines: list[str] = []
    agencies: list[str] = []
    head_dates: list[str] = []  # date lines above the first paragraph
    other_dates: list[tuple[int, str]] = []  # (priority, iso) of later date lines
    first_paragraph_done = False
    paragraphs_seen = 0
    for f, d in zip(feats, decisions, strict=True):
        if d.label == "title":
            continue
        if d.label == "dropped":
            dropped.append(Dropped(d.kind or "ui", d.reason or "", f.display, [f.number]))
            continue
        if d.label == "meta":
            meta_lines.append(f.number)
            if f.byline is not None:
                if f.byline.byline:
                    bylines.append(f.byline.byline)
                agencies.extend(f.byline.agencies)
                if f.byline.outlet and not meta.outlet:
                    meta.outlet = f.byline.outlet
            if f.date_line is not None and f.date_line.iso:
                if not first_paragraph_done and f.date_line.role != "updated":
                    head_dates.append(f.date_line.iso)
                else:
                    priority = {"published": 0, "date": 1, "updated": 2}[f.date_line.role]
                    other_dates.append((priority, f.date_line.iso))
            if f.dateline is not None:
                _dateline_meta(meta, f.dateline, bylines, agencies, head_dates)
            continue
        text = f.display
        if d.label == "paragraph":
            paragraphs_seen += 1
            if paragraphs_seen <= META_PARAGRAPHS:
                split = split_first_paragraph(text)
                if split is not None:
                    found, text = split
                    _dateline_meta(meta, found, bylines, agencies, head_dates)
            first_paragraph_done = True
        blocks.append(Block(d.label, text, [f.number]))

    meta.byline = meta.byline or (bylines[0] if bylines else None)
    meta.agencies = list(dict.fromkeys(agencies))
    meta.published = page.published or (head_dates[0] if head_dates else None) or (
        min(other_dates)[1] if other_dates else None)
    meta.outlet = page.outlet or meta.outlet
    meta.language = _kept_language(feats, decisions) or lang
    return Article(source=page.source, id=page.id, title=title, blocks=blocks, dropped=dropped,
                   meta=meta, meta_lines=meta_lines, url=page.url)


def _dateline_meta(meta: Meta, found, bylines: list[str], agencies: list[str],
                   dates: list[str]) -> None:
    meta.dateline = meta.dateline or found.place
    meta.outlet = meta.outlet or found.outlet
    if found.byline:
        bylines.append(found.byline)
    agencies.extend(found.agencies)
    if found.published:
        dates.append(found.published)


def _kept_language(feats: list[LineFeatures], decisions: list[Decision]) -> str | None:
    """The main language of the kept text: the line votes, checked by one full scoring of a
    sample of the longest kept line when the votes say Urdu (the fast per-line path cannot
    tell Urdu from Shahmukhi Punjabi)."""
    weights: Counter[str] = Counter()
    longest: LineFeatures | None = None
    for f, d in zip(feats, decisions, strict=True):
        if d.label in ("paragraph", "heading", "title") and f.lang != "unknown":
            weights[f.lang] += len(f.display)
            if longest is None or len(f.raw) > len(longest.raw):
                longest = f
    if not weights:
        return None
    lang = weights.most_common(1)[0][0]
    if lang == "ur" and longest is not None and len(longest.raw) > 80:
        guess = identify_language(longest.raw[:300])
        if guess.lang not in ("ur", "unknown") and guess.confidence >= 0.85:
            return guess.lang
    return lang


def clean_many(pages: Iterable[Page]) -> Iterator[Article]:
    """Clean many pages, first learning which lines repeat across pages of the same outlet
    (or folder): two passes over the pages, which are held in a list."""
    items = list(pages)
    repeated = RepeatedLines.learn(items)
    for page in items:
        yield clean(page, repeated=repeated)

"""Properties of khabar.clean on generated pages: every non-blank line is accounted for exactly
once, cleaning is deterministic, and cleaning a clean article changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.clean import clean
from khabar.model import Article

DATA = Path(__file__).parent / "data" / "clean"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))["documents"]


def _lines(kind: str) -> list[str]:
    """Lines of khabar's own test pages with a given expected label."""
    out = []
    for name, doc in sorted(EXPECTED.items()):
        raw = (DATA / name).read_text(encoding="utf-8").split("\n")
        numbers = doc["lines"].get(kind) or doc["lines"]["boilerplate"].get(kind, [])
        out.extend(raw[n - 1] for n in numbers)
    return sorted(set(out))


PARAGRAPHS = _lines("body")
HEADINGS = _lines("heading")
TITLES = _lines("title")
CHROME = sorted({*_lines("ui"), *_lines("share"), *_lines("navigation"), *_lines("ad"),
                 *_lines("footer"), *_lines("related_link"), *_lines("teaser"),
                 "Share on Facebook", "Advertisement", "Back to top button", "Online", "08:45",
                 "Send us a message. We will reply as soon as we can!", "Related Articles",
                 "Home", "ہوم | پاکستان | دنیا", "© 2025 All rights reserved."})
META = ["ص ز/ ج ا (اے ایف پی، روئٹرز)", "شائع شدہ: 3 فروری 2025", "رپورٹ: احمد رضا",
        "14 مارچ 2025"]
NOISE = ["", "   ", "x", "؟", "12", "Type a message here...", "ایک دو"]

any_line = st.one_of(st.sampled_from(PARAGRAPHS), st.sampled_from(HEADINGS),
                     st.sampled_from(CHROME), st.sampled_from(META), st.sampled_from(NOISE),
                     st.text(alphabet="ابپتٹجچحخدڈرزسشکگلمنوہیے ۔،0123456789abc ", max_size=60))


@st.composite
def pages(draw: st.DrawFn) -> str:
    body = draw(st.lists(any_line, min_size=0, max_size=25))
    head = draw(st.lists(st.sampled_from(TITLES), max_size=1))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(head + body)


def _documents() -> list[list[str]]:
    """The kept lines (title, headings, paragraphs) of each test page, in page order."""
    out = []
    for name, doc in sorted(EXPECTED.items()):
        if not name.endswith(".txt"):
            continue
        raw = (DATA / name).read_text(encoding="utf-8").split("\n")
        numbers = sorted({*doc["lines"].get("title", []), *doc["lines"].get("heading", []),
                          *doc["lines"].get("body", [])})
        out.append([raw[n - 1] for n in numbers])
    return out


DOCUMENTS = _documents()


@st.composite
def articles(draw: st.DrawFn) -> str:
    """One real article of the test pages, some of its lines left out, chrome sprinkled in.

    Headings are judged by how well they fit their own article, so the property is stated on
    coherent articles rather than on headings and paragraphs drawn from different stories."""
    kept = draw(st.sampled_from(DOCUMENTS))
    title, rest = kept[0], kept[1:]
    chosen = [line for line in rest if draw(st.booleans()) or line in PARAGRAPHS]
    parts: list[str] = []
    for line in chosen:
        parts.extend(draw(st.lists(st.sampled_from(CHROME + META), max_size=1)))
        parts.append(line)
    return "\n".join([title, *parts])


def _accounted(article: Article) -> list[int]:
    numbers = list(article.title.lines) if article.title else []
    for block in article.blocks:
        numbers.extend(block.lines)
    for drop in article.dropped:
        numbers.extend(drop.lines)
    numbers.extend(article.meta_lines)
    return numbers


SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(pages())
def test_every_non_blank_line_exactly_once(text: str) -> None:
    article = clean(text)
    numbers = _accounted(article)
    assert len(numbers) == len(set(numbers)), "a line is in two places"
    lines = text.replace("\r\n", "\n").split("\n")
    non_blank = {i for i, line in enumerate(lines, 1) if line.strip()}
    assert set(numbers) == non_blank


@SETTINGS
@given(pages())
def test_deterministic(text: str) -> None:
    assert clean(text).to_dict() == clean(text).to_dict()


@SETTINGS
@given(articles())
def test_cleaning_a_clean_article_changes_nothing(text: str) -> None:
    first = clean(text)
    clean_text = "\n".join(([first.title.text] if first.title else [])
                           + [block.text for block in first.blocks])
    second = clean(clean_text)
    assert second.dropped == []
    assert second.meta_lines == []
    assert (second.title.text if second.title else None) == (
        first.title.text if first.title else None)
    assert [(b.kind, b.text) for b in second.blocks] == [(b.kind, b.text) for b in first.blocks]


def test_same_output_whatever_the_hash_seed() -> None:
    """Reasons list words in line order, never in set order: the output of a page must not
    depend on Python's string hash seed (CI machines and worker processes differ)."""
    import os
    import subprocess
    import sys

    script = ("import json, khabar\n"
              "from khabar.resources import sample_corpus\n"
              "pages = [p for p in khabar.read(str(sample_corpus())) if isinstance(p, khabar.Page)]\n"
              f"pages += [p for p in khabar.read({str(DATA)!r}) if isinstance(p, khabar.Page)]\n"
              "print(json.dumps([a.to_dict() for a in khabar.clean_many(pages)],"
              " ensure_ascii=False))\n")
    outputs = set()
    for seed in ("0", "1", "12345"):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1

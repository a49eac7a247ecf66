"""khabar.clean: one test (or a few) per rule family, on real-looking lines written for khabar,
plus khabar's own test pages (tests/data/clean/*.txt with expected.json, *.html)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import labels_of
from khabar.clean import RepeatedLines, clean, clean_many, group_of, line_key
from khabar.clean.data import CUE_KINDS, cues
from khabar.model import Article, Page
from khabar.readers import read

DATA = Path(__file__).parent / "data" / "clean"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))["documents"]

# Body sentences written for these tests (a Punjab wheat story).
P1 = ("پنجاب میں گندم کی کٹائی کا عمل تیزی سے جاری ہے اور محکمہ زراعت کے مطابق اس سال پیداوار "
      "گزشتہ برس سے زیادہ رہنے کی توقع ہے۔")
P2 = ("کاشتکاروں کا کہنا ہے کہ بروقت بارشوں نے گندم کی فصل کو فائدہ پہنچایا تاہم کھاد کی قیمتوں "
      "میں اضافے نے ان کی لاگت بڑھا دی ہے۔")
P3 = ("محکمہ خوراک نے گندم کی خریداری کے لیے صوبے بھر میں چار سو سے زائد مراکز قائم کر دیے ہیں "
      "جہاں کسان اپنی فصل سرکاری نرخ پر فروخت کر سکیں گے۔")
P4 = ("زرعی ماہرین نے خبردار کیا ہے کہ گندم کو محفوظ کرنے کے لیے گوداموں کی کمی کی وجہ سے فصل کا "
      "کچھ حصہ خراب ہونے کا خدشہ ہے۔")
TITLE = "پنجاب میں گندم کی ریکارڈ پیداوار متوقع"


def page_of(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def label_by_text(article: Article, text: str) -> str:
    """The label of the line whose display text contains ``text``."""
    if article.title and text in article.title.text:
        return "title"
    for block in article.blocks:
        if text in block.text:
            return "heading" if block.kind == "heading" else "body"
    for drop in article.dropped:
        if text in drop.text:
            return drop.kind
    raise AssertionError(f"no kept or dropped line holds {text!r}")


def reason_of(article: Article, line: int) -> str:
    return next(d.reason for d in article.dropped if line in d.lines)


# --------------------------------------------------------------------------- own pages


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_own_pages_match_expected(name: str) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    article = clean(Page(source=name, text=text))
    want: dict[int, str] = {}
    lines = EXPECTED[name]["lines"]
    for label in ("title", "heading", "body", "meta"):
        want.update({n: label for n in lines[label]})
    for kind, numbers in lines["boilerplate"].items():
        want.update({n: kind for n in numbers})
    assert labels_of(article) == want
    for field in ("published", "dateline", "outlet", "byline", "agencies", "language"):
        assert getattr(article.meta, field) == EXPECTED[name][field], field


def test_teaser_vs_heading_on_own_pages() -> None:
    """The coherence rule on pages with unmarked teasers: teasers on a nearby subject (Indian
    monsoon rains in a Sindh flood story, an EU aid package in a climate-finance story) are
    dropped, short sub-headings with little shared vocabulary are kept."""
    floods = clean((DATA / "dw_floods.txt").read_text(encoding="utf-8"))
    assert label_by_text(floods, "بھارت میں مون سون بارشوں") == "teaser"
    assert label_by_text(floods, "متاثرہ اضلاع میں امدادی کارروائیاں") == "heading"
    assert label_by_text(floods, "افغانستان میں زلزلے کے بعد") == "teaser"
    column = clean((DATA / "column_headings.txt").read_text(encoding="utf-8"))
    assert [b.text for b in column.blocks if b.kind == "heading"] == [
        "پس منظر", "زراعت کا کردار", "شہروں کی صورتحال", "آگے کا راستہ"]
    teaser = next(d for d in floods.dropped if d.lines == [8])
    assert teaser.reason.startswith("headline of another story: short line without a full stop")
    assert "جرمنی" in teaser.reason  # names the words found nowhere else in the article


# --------------------------------------------------------------------------- cues


@pytest.mark.parametrize(("line", "kind"), [
    ("یہ بھی پڑھیں: کراچی میں بجلی کے نرخوں میں اضافے کا امکان", "related_link"),
    ("یہ بھی پڑھیے: سونے کی قیمت میں ایک ہزار روپے کمی", "related_link"),
    ("مزید پڑھیں: وزیراعظم کا دورہ چین ملتوی", "related_link"),
    ("Read more: Cabinet approves new petrol prices", "related_link"),
    ("اشتہار", "ad"),
    ("Advertisement", "ad"),
    ("فیس بک پر شیئر کریں", "share"),
    ("Share on WhatsApp", "share"),
    ("ہمیں فیس بک اور ٹوئٹر پر فالو کریں", "share"),
    ("جملہ حقوق محفوظ ہیں © روزنامہ نمونہ", "footer"),
    ("Copyright © 2025 Sample News. All rights reserved.", "footer"),
    ("Back to top button", "ui"),
    ("We use cookies to give you the best experience on our website.", "ui"),
    ("Subscribe to our newsletter", "widget"),
    ("Type a message here...", "widget"),
    ("ٹاپ اسٹوریز", "ui"),
])
def test_cue_lines_are_dropped_with_their_kind(line: str, kind: str) -> None:
    article = clean(page_of(TITLE, P1, line, P2))
    assert labels_of(article)[3] == kind
    assert "'" in reason_of(article, 3)  # the reason quotes the cue


def test_cue_reason_names_the_cue() -> None:
    article = clean(page_of(TITLE, P1, "یہ بھی پڑھیں: لاہور میں شدید دھند", P2))
    assert reason_of(article, 3) == "marked related link: starts with 'یہ بھی پڑھیں:'"


def test_cue_word_inside_a_long_sentence_is_text() -> None:
    long_line = ("عدالت نے کاپی رائٹ کے قانون کی خلاف ورزی کے مقدمے میں فیصلہ سناتے ہوئے کہا کہ "
                 "کسی کی تحریر اجازت کے بغیر شائع کرنا جرم ہے اور اس پر بھاری جرمانہ عائد کیا جا "
                 "سکتا ہے۔")
    article = clean(page_of(TITLE, P1, long_line, P2))
    assert labels_of(article)[3] == "body"


def test_cue_file_rows_are_valid() -> None:
    table = cues()
    every = [*table.exact.values(), *table.contains_cues.values(),
             *(cue for items in table.prefix.values() for _, cue in items),
             *(cue for _, cue in table.regexes)]
    assert len(every) > 300
    assert {cue.kind for cue in every} <= CUE_KINDS


# --------------------------------------------------------------------------- structure


def test_lines_above_the_headline_are_navigation() -> None:
    article = clean(page_of("ہوم | پاکستان | دنیا | کھیل", "قومی", "بین الاقوامی", TITLE, P1, P2))
    assert labels_of(article) == {1: "navigation", 2: "navigation", 3: "navigation",
                                  4: "title", 5: "body", 6: "body"}


def test_title_skips_a_ticker_that_is_not_about_the_article() -> None:
    ticker = "بریکنگ: کراچی اسٹاک ایکسچینج میں شدید مندی"
    article = clean(page_of(ticker, TITLE, P1, P2, P3))
    assert article.title is not None and article.title.lines == [2]
    assert labels_of(article)[1] == "ui"


def test_summary_line_under_the_title_is_a_heading() -> None:
    summary = "گندم کی خریداری کے مراکز قائم، کسانوں کو سرکاری نرخ ملیں گے"
    article = clean(page_of(TITLE, summary, P1, P2, P3))
    assert labels_of(article)[2] == "heading"


def test_widget_run_after_the_article_end() -> None:
    article = clean(page_of(
        TITLE, P1, P2, "Related Articles", "Back to top button", "Live Support",
        "Last active 2 minutes ago", "Sara", "Ahmed", "Online",
        "اپنا سوال یہاں لکھیں اور ہمارا نمائندہ جلد جواب دے گا۔", "10:12",
        "Type a message here..."))
    got = labels_of(article)
    assert got[4] == "ui" and got[5] == "ui"
    assert all(got[n] == "widget" for n in range(6, 14)), got
    assert reason_of(article, 11) == ("chat widget: inside the run of widget lines after the "
                                      "article ends")


def test_article_resumes_after_a_box_in_the_middle() -> None:
    article = clean(page_of(TITLE, P1, P2, "متعلقہ خبریں",
                            "کوئٹہ میں برفباری سے شاہراہیں بند", P3, P4))
    got = labels_of(article)
    assert got[4] == "ui" and got[5] == "teaser"
    assert got[6] == "body" and got[7] == "body"  # coherent text after the box: the article


def test_short_line_inside_a_run_of_share_lines_is_share() -> None:
    article = clean(page_of(TITLE, P1, P2, "Share on Facebook", "12", "Share on X", P3))
    assert labels_of(article)[5] == "share"


def test_duplicate_line() -> None:
    article = clean(page_of(TITLE, P1, P2, P1, P3))
    assert labels_of(article)[4] == "duplicate_line"
    assert reason_of(article, 4) == "repeats line 2 word for word"


def test_no_words_line_is_ui() -> None:
    article = clean(page_of(TITLE, P1, "* * *", P2))
    assert labels_of(article)[3] == "ui"


# --------------------------------------------------------------------------- language


def test_english_sentence_in_an_urdu_article_is_non_urdu() -> None:
    sentence = "The provincial food department said procurement would begin next week."
    article = clean(page_of(TITLE, P1, sentence, P2))
    assert labels_of(article)[3] == "non_urdu"
    assert "English" in reason_of(article, 3)


def test_short_english_line_between_urdu_paragraphs_is_ui() -> None:
    article = clean(page_of(TITLE, P1, "Trending Now Pakistan", P2))
    assert labels_of(article)[3] == "ui"
    assert reason_of(article, 3) == "English page chrome between Urdu paragraphs"


def test_persian_line_in_an_urdu_article_is_non_urdu() -> None:
    persian = "وزیر امور خارجه ایران گفت که مذاکرات با کشورهای اروپایی ادامه خواهد داشت."
    article = clean(page_of(TITLE, P1, persian, P2))
    assert labels_of(article)[3] == "non_urdu"
    assert "Persian" in reason_of(article, 3)


def test_an_english_page_is_judged_in_english() -> None:
    article = clean(page_of(
        "Home | Pakistan | World", "Wheat output expected to break records",
        "LAHORE: Punjab's agriculture department expects this year's wheat crop to be the "
        "largest in a decade after timely rains.",
        "Farmers say fertiliser prices have nevertheless pushed up their costs.",
        "Share this story: Facebook | X | LinkedIn"))
    assert labels_of(article) == {1: "navigation", 2: "title", 3: "body", 4: "body", 5: "share"}
    assert article.meta.language == "en"
    assert article.meta.dateline == "LAHORE"


# --------------------------------------------------------------------------- repetition


def _outlet_pages(n: int, chrome: str, disclaimer: str) -> list[Page]:
    bodies = [P1, P2, P3, P4]
    pages = []
    for i in range(n):
        title = f"{TITLE} {i + 1}"
        text = page_of(title, bodies[i % 4], chrome, bodies[(i + 1) % 4] + f" {i}", disclaimer)
        pages.append(Page(source=f"crawl/site/{i}.txt", text=text))
    return pages


def test_repeated_lines_are_chrome() -> None:
    chrome = "خبریں بذریعہ موبائل"
    disclaimer = ("ادارہ اس خبر میں دی گئی معلومات کی صحت کا ذمہ دار نہیں اور قارئین سے گزارش ہے کہ "
                  "کسی بھی فیصلے سے پہلے متعلقہ حکام سے تصدیق کر لیں۔")
    articles = list(clean_many(_outlet_pages(4, chrome, disclaimer)))
    for article in articles:
        got = labels_of(article)
        assert got[3] == "ui" and got[5] == "ui", got
        assert reason_of(article, 3) == "appears on 4 of 4 pages of this outlet"
        assert reason_of(article, 5).startswith("boilerplate paragraph repeated word for word")
    alone = clean(_outlet_pages(1, chrome, disclaimer)[0])
    assert labels_of(alone)[3] != "ui"  # one page alone cannot tell


def test_rarely_repeated_line_is_kept() -> None:
    pages = _outlet_pages(8, "خبریں بذریعہ موبائل", P4)
    pages[0].text = pages[0].text.replace("خبریں بذریعہ موبائل", "کسانوں کے لیے نئی اسکیم")
    pages[1].text = pages[1].text.replace("خبریں بذریعہ موبائل", "کسانوں کے لیے نئی اسکیم")
    repeated = RepeatedLines()
    for page in pages:
        repeated.add(page)
    assert repeated.count(group_of(pages[0]), line_key("کسانوں کے لیے نئی اسکیم")) == 2
    assert labels_of(clean(pages[0], repeated=repeated))[3] != "ui"


def test_repeated_lines_serialise_and_ignore_copies() -> None:
    seen = RepeatedLines()
    page = Page(source="site/a.txt", text=page_of(TITLE, P1, "ہمیں فالو کریں"))
    assert seen.add(page) is True
    assert seen.add(Page(source="site/b.txt", text=page.text)) is False  # the same page again
    seen.add(Page(source="site/c.txt", text=page_of("دوسری خبر", P2, "ہمیں فالو کریں")))
    group = group_of(page)
    assert seen.pages(group) == 2
    assert seen.count(group, line_key("ہمیں فالو کریں")) == 2
    again = RepeatedLines.from_dict(json.loads(json.dumps(seen.to_dict())))
    assert again.pages(group) == 2
    assert again.count(group, line_key("ہمیں فالو کریں")) == 2
    with pytest.raises(ValueError):
        RepeatedLines.from_dict({"format": "something else"})


def test_group_of_pages() -> None:
    assert group_of(Page(source="x/a.txt", text="", outlet="Daily Sample")) == \
        "outlet:daily sample"
    assert group_of(Page(source="x/a.txt", text="", url="https://www.example.pk/n/1")) == \
        "host:example.pk"
    assert group_of(Page(source="crawl/dawn/a.txt", text="")) == "folder:crawl/dawn"
    assert group_of(Page(source="dump/all.jsonl:17", text="")) == "folder:dump"


# --------------------------------------------------------------------------- API


def test_clean_text_and_page() -> None:
    article = clean(page_of(TITLE, P1))
    assert article.source == "<text>" and article.id is None
    article = clean(Page(source="a.jsonl:3", text=page_of(TITLE, P1), id="abc", url="u"))
    assert article.source == "a.jsonl:3" and article.id == "abc" and article.url == "u"
    data = article.to_dict()
    assert data["title"] == {"text": TITLE, "lines": [1]}
    assert data["blocks"][0]["kind"] == "paragraph"
    assert set(data["meta"]) == {"published", "dateline", "outlet", "agencies", "byline",
                                 "language"}


def test_given_title_published_and_outlet_win() -> None:
    text = page_of("روزنامہ نمونہ", TITLE, "12 مارچ 2025", P1, P2)
    page = Page(source="a.jsonl:1", text=text, title=TITLE + " - روزنامہ نمونہ",
                published="2025-03-13", outlet="Sample Daily", format="jsonl")
    article = clean(page)
    assert article.title is not None and article.title.lines == [2]
    assert article.meta.published == "2025-03-13"
    assert article.meta.outlet == "Sample Daily"
    other = clean(Page(source="b.jsonl:1", text=page_of(P1, P2), title="ایک بالکل الگ سرخی"))
    assert other.title is not None
    assert other.title.text == "ایک بالکل الگ سرخی" and other.title.lines == []


def test_empty_and_blank_pages() -> None:
    assert clean("").blocks == []
    article = clean("\n\n   \n")
    assert article.title is None and article.blocks == [] and article.dropped == []


def test_every_drop_has_a_kind_and_a_reason() -> None:
    for path in sorted(DATA.glob("*.txt")):
        article = clean(Page(source=path.name, text=path.read_text(encoding="utf-8")))
        for drop in article.dropped:
            assert drop.kind in CUE_KINDS and len(drop.reason) > 10, (path.name, drop)


# --------------------------------------------------------------------------- HTML


def _html_article(name: str) -> tuple[Page, Article]:
    pages = [p for p in read(str(DATA / name)) if isinstance(p, Page)]
    assert len(pages) == 1
    return pages[0], clean(pages[0])


def test_html_news_site() -> None:
    page, article = _html_article("news_site.html")
    assert page.line_tags is not None
    assert article.title is not None
    assert article.title.text == "گوادر میں نئے ہوائی اڈے سے پہلی پرواز روانہ"
    assert page.text.split("\n")[article.title.lines[0] - 1] == article.title.text
    expect = {
        "روزنامہ نمونہ": "navigation", "ہوم": "navigation", "کھیل": "navigation",
        "یہ بھی پڑھیں": "related_link", "مقامی معیشت پر اثرات": "heading",
        "پروازوں کا شیڈول": "heading", "ہوائی اڈے کا مرکزی ٹرمینل": "caption",
        "فیس بک": "share", "متعلقہ خبریں": "ui", "بلوچستان میں سڑکوں": "related_link",
        "We use cookies": "ui", "جملہ حقوق": "footer", "ہمارے بارے میں": "footer",
        "بلوچستان کے ساحلی شہر گوادر": "body",
    }
    for text, label in expect.items():
        assert label_by_text(article, text) == label, text
    assert "یہ متن کبھی نظر نہیں آنا چاہیے" not in page.text  # scripts never become text
    meta = article.meta
    assert (meta.dateline, meta.byline, meta.published) == ("گوادر", "سلیم بلوچ", "2025-01-20")
    assert meta.outlet == "روزنامہ نمونہ"  # og:site_name wins


def test_html_unmarked_link_teasers() -> None:
    _, article = _html_article("dw_like.html")
    assert label_by_text(article, "سوڈان میں خانہ جنگی") == "related_link"
    assert label_by_text(article, "برازیل میں سیلاب") == "related_link"
    assert label_by_text(article, "یورپی ممالک کے مطالبات") == "heading"
    assert label_by_text(article, "ایران کا موقف") == "heading"
    assert label_by_text(article, "عالمی آواز اردو") == "navigation"
    assert article.meta.agencies == ["AFP", "Reuters"]
    assert article.meta.published == "2025-04-12"
    assert article.blocks[0].text.startswith("ایران اور یورپی طاقتوں")  # glued date split off


def test_html_portal_with_comment_form() -> None:
    _, article = _html_article("portal_comments.html")
    expect = {"Breaking News": "ui", "Home": "navigation", "World": "navigation",
              "اشتہار": "ad", "Tags:": "ui", "تبصرے": "ui", "Copyright": "footer",
              "ماہرین کا کہنا ہے": "body"}
    for text, label in expect.items():
        assert label_by_text(article, text) == label, text
    assert any("<form>" in d.reason for d in article.dropped)
    assert article.meta.published == "2025-03-28"
    assert article.meta.dateline == "لاہور"

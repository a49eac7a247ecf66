"""The web reader's building blocks on their own: SVG charts, marked article text, snippets."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from khabar.web.charts import MAX_BARS, Bucket, bar_chart, timeline
from khabar.web.markup import Mark, format_date, marks_for, path_quote, render_marked
from khabar.web.snippets import display_snippet, render_snippet

SVG = "{http://www.w3.org/2000/svg}"


# --------------------------------------------------------------------------- timeline


def test_timeline_fills_empty_days_between_first_and_last() -> None:
    buckets, unit = timeline({"2025-05-16": 2, "2025-05-19": 1, None: 4, "soon": 1})  # type: ignore[dict-item]
    assert unit == "day"
    assert [(b.label, b.count) for b in buckets] == [
        ("2025-05-16", 2), ("2025-05-17", 0), ("2025-05-18", 0), ("2025-05-19", 1)]


def test_timeline_counts_timestamps_by_their_day() -> None:
    buckets, _ = timeline([("2025-05-16T10:00:00", 1), ("2025-05-16", 2)])
    assert [(b.label, b.count) for b in buckets] == [("2025-05-16", 3)]


def test_timeline_by_iso_week_starts_on_monday() -> None:
    # 2024-12-30 is the Monday of ISO week 1 of 2025
    buckets, unit = timeline({"2025-01-01": 1, "2025-01-02": 2, "2025-01-14": 5}, "week")
    assert unit == "week"
    assert [(b.start, b.label, b.count) for b in buckets] == [
        (dt.date(2024, 12, 30), "2025-W01", 3), (dt.date(2025, 1, 6), "2025-W02", 0),
        (dt.date(2025, 1, 13), "2025-W03", 5)]


def test_timeline_goes_coarser_when_a_span_needs_too_many_bars() -> None:
    buckets, unit = timeline({"2024-01-10": 1, "2024-12-20": 1}, "day")
    assert unit == "week" and len(buckets) <= MAX_BARS
    buckets, unit = timeline({"2015-01-10": 1, "2024-12-20": 2}, "week")
    assert unit == "month"
    assert buckets[0].label == "2015-01" and buckets[-1].label == "2024-12"
    assert sum(b.count for b in buckets) == 3 and len(buckets) == 120


def test_timeline_of_nothing_dated_is_empty() -> None:
    assert timeline({}) == ([], "day")
    with pytest.raises(ValueError):
        timeline({}, "year")


# --------------------------------------------------------------------------- bar chart


def _bars(svg: str) -> list[ET.Element]:
    return ET.fromstring(svg).findall(f"{SVG}rect")


def test_bar_chart_is_valid_svg_with_a_bar_per_bucket_scaled_to_the_peak() -> None:
    buckets, _ = timeline({"2025-05-16": 4, "2025-05-18": 2})
    svg = str(bar_chart(buckets, title="خبریں فی دن", value_label="خبریں"))
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "خبریں فی دن"
    assert root.get("direction") == "ltr"
    bars = _bars(svg)
    assert len(bars) == 3
    heights = [float(b.get("height")) for b in bars]
    assert heights[0] == pytest.approx(2 * heights[2]) and heights[1] == 0
    tips = [b.find(f"{SVG}title").text for b in bars]
    assert tips == ["2025-05-16: 4 خبریں", "2025-05-17: 0 خبریں", "2025-05-18: 2 خبریں"]
    labels = [t.text for t in root.findall(f"{SVG}text")]
    assert "4" in labels and "2025-05-16" in labels and "2025-05-18" in labels


def test_bar_chart_labels_only_a_few_ticks_of_a_long_series() -> None:
    buckets, _ = timeline({"2025-01-01": 1, "2025-03-31": 1})
    root = ET.fromstring(str(bar_chart(buckets, title="t")))
    dates = [t.text for t in root.findall(f"{SVG}text") if t.text and "-" in t.text]
    assert len(root.findall(f"{SVG}rect")) == 90
    assert dates[0] == "2025-01-01" and dates[-1] == "2025-03-31" and len(dates) == 6


def test_bar_chart_escapes_every_text() -> None:
    evil = "<script>alert('x')</script>"
    buckets = [Bucket(dt.date(2025, 1, 1), evil, 1)]
    svg = str(bar_chart(buckets, title=evil, value_label='"><img src=x onerror=alert(1)>'))
    assert "<script>" not in svg and "<img" not in svg
    root = ET.fromstring(svg)  # still well-formed
    assert root.find(f"{SVG}title").text == evil


def test_bar_chart_of_no_buckets_draws_only_the_frame() -> None:
    root = ET.fromstring(str(bar_chart([], title="t")))
    assert root.findall(f"{SVG}rect") == []


# --------------------------------------------------------------------------- marked text

TEXT = "وزیر اعظم شہباز شریف نے کہا کہ پیر کو 600 سے زائد افراد ہلاک ہوئے۔"


def _data() -> dict:
    name = "شہباز شریف"
    start = TEXT.index(name)
    number = "600 سے زائد"
    n = TEXT.index(number)
    quote = TEXT[TEXT.index("پیر"):-1]
    q = TEXT.index(quote)
    return {
        "blocks": [{"kind": "paragraph", "text": TEXT, "lines": [2]}],
        "entities": [{"id": "person:shehbaz-sharif", "type": "PERSON", "name_en": "Shehbaz Sharif",
                      "name_ur": name, "mentions": [
                          {"part": "block", "block": 0, "start": start,
                           "end": start + len(name), "text": name},
                          {"part": "block", "block": 0, "start": 0, "end": 3, "text": "غلط"},
                          {"part": "title", "block": None, "start": 0, "end": 4, "text": "وزیر"}]}],
        "dates": [{"part": "block", "block": 0, "start": TEXT.index("پیر"),
                   "end": TEXT.index("پیر") + 3, "text": "پیر", "value": "2025-05-12",
                   "role": "event"}],
        "claims": [{"part": "block", "block": 0, "start": n, "end": n + len(number),
                    "number_text": number, "what": "افراد",
                    "sources": [{"text": "شہباز شریف", "entity": None}]}],
        "quotes": [{"part": "block", "block": 0, "start": q, "end": q + len(quote),
                    "text": quote, "speaker": {"text": name}}],
    }


def test_marks_nest_inside_a_quote_and_link_the_entity() -> None:
    html = str(render_marked(TEXT, marks_for(_data(), "block", 0, TEXT)))
    assert ('<a class="ent ent-person" href="/entity/person%3Ashehbaz-sharif" '
            'title="Shehbaz Sharif">شہباز شریف</a>') in html
    assert '<time class="date" datetime="2025-05-12" title="2025-05-12 · event">پیر</time>' in html
    assert '<mark class="claim" title="افراد · شہباز شریف">600 سے زائد</mark>' in html
    # the date and the claim sit inside the quote
    quote_open = html.index('<span class="quote"')
    assert quote_open < html.index("<time") < html.index("</time>") < html.index("</span>")
    assert quote_open < html.index("<mark") < html.index("</mark>") < html.index("</span>")
    # marks take nothing away: without tags the text is the same
    assert _strip_tags(html) == TEXT


def _strip_tags(html: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", html)


def test_a_mention_whose_offsets_do_not_match_its_text_is_not_marked() -> None:
    html = str(render_marked(TEXT, marks_for(_data(), "block", 0, TEXT)))
    assert html.count("<a ") == 1  # the stale mention at 0..3 ("غلط") is left out


def test_marks_of_the_title_are_the_title_part_only() -> None:
    marks = marks_for(_data(), "title", None, "وزیر اعظم کا خطاب")
    assert [(m.kind, m.start, m.end) for m in marks] == [("entity", 0, 4)]


def test_crossing_marks_keep_the_first_and_text_is_escaped() -> None:
    text = "<b>x</b> & <script>alert('x')</script>"
    marks = [Mark(0, 8, "claim", {"what": "<i>", "sources": []}),
             Mark(4, 12, "date", {"value": "2025-01-01", "role": "event"}),
             Mark(11, 20, "entity", {"id": "unk:<x>", "type": "<b>", "name_en": None,
                                     "name_ur": "a\"b"})]
    html = str(render_marked(text, marks))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert '<mark class="claim" title="&lt;i&gt;">' in html
    assert "<time" not in html  # crossed the claim
    assert 'href="/entity/unk%3A%3Cx%3E"' in html and 'class="ent ent-other"' in html
    assert 'title="a&#34;b"' in html


def test_a_name_inside_a_name_is_not_a_link_inside_a_link() -> None:
    text = "کراچی پریس کلب"
    marks = [Mark(0, 14, "entity", {"id": "org:kpc", "type": "ORG", "name_en": None,
                                    "name_ur": text}),
             Mark(0, 5, "entity", {"id": "place:karachi", "type": "PLACE", "name_en": None,
                                   "name_ur": "کراچی"})]
    assert str(render_marked(text, marks)).count("<a ") == 1


def test_path_quote_makes_any_id_one_path_segment() -> None:
    assert path_quote("evil/1?a=b#c %2F") == "evil%2F1%3Fa%3Db%23c%20%252F"
    assert path_quote("unk:افڈ") == "unk%3A%D8%A7%D9%81%DA%88"


def test_dates_are_written_the_urdu_way() -> None:
    assert format_date("2025-05-16") == "16 مئی 2025"
    assert format_date("2024-11") == "نومبر 2024"
    assert format_date("2024-W45") == "2024-W45"
    assert format_date("XXXX-06-12") == "XXXX-06-12"
    assert format_date("2025-02-30") == "2025-02-30"
    assert format_date(None) == ""


# --------------------------------------------------------------------------- snippets


def test_snippet_is_cut_from_the_display_text_and_marks_other_spellings() -> None:
    first = "اسلام آباد میں اجلاس ہوا اور کئی وزرا نے شرکت کی۔"
    second = ("ماسکو میں روسی صدر پیوٹن نے کہا کہ مذاکرات جاری رہیں گے اور وہ جلد یوکرین کے "
              "صدر سے ملاقات کریں گے۔")
    data = {"blocks": [{"text": first}, {"text": second}],
            "entities": [{"id": "person:vladimir-putin", "mentions": [
                {"part": "block", "block": 1, "start": second.index("پیوٹن"),
                 "end": second.index("پیوٹن") + 5, "text": "پیوٹن"}]}]}
    out = display_snippet(data, {"مذاکرات"}, {"person:vladimir-putin"})
    assert out["snippet"] == second
    marked = [out["snippet"][s:e] for s, e in out["highlights"]]
    assert marked == ["پیوٹن", "مذاکرات"]
    html = str(render_snippet(out["snippet"], out["highlights"]))
    assert "<mark>پیوٹن</mark>" in html


def test_snippet_matches_words_by_their_matching_key() -> None:
    text = "وزیرِاعظم نے کہا کہ مُلک میں ترقی ہو رہی ہے۔"
    out = display_snippet({"blocks": [{"text": text}]}, {"ملک"}, set())
    assert [out["snippet"][s:e] for s, e in out["highlights"]] == ["مُلک"]


def test_long_paragraph_is_cut_around_the_match_on_spaces() -> None:
    words = [f"لفظ{i}" for i in range(200)]
    words[120] = "سیلاب"
    text = " ".join(words)
    out = display_snippet({"blocks": [{"text": text}]}, {"سیلاب"}, set())
    snippet = out["snippet"]
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) < 260
    (s, e), = out["highlights"]
    assert snippet[s:e] == "سیلاب"
    assert snippet[1:].split(" ")[0] in words  # cut on a space, not inside a word


def test_snippet_without_a_match_is_the_start_of_the_text_and_escaped() -> None:
    text = "<img src=x onerror=alert(1)> پہلا پیراگراف"
    out = display_snippet({"blocks": [{"text": text}]}, {"غیرموجود"}, set())
    assert out == {"snippet": text, "highlights": []}
    assert "<img" not in str(render_snippet(out["snippet"], [[0, 4]]))

"""khabar.clean metadata: datelines, glued dates, date lines, bylines, agencies and outlets."""

from __future__ import annotations

import pytest

from khabar.clean import clean
from khabar.clean.data import form
from khabar.clean.dates import date_line, find_dates, leading_date, solar_hijri_to_iso
from khabar.clean.meta import (
    dateline_only,
    parse_byline,
    spelled_acronym,
    split_dateline,
    split_first_paragraph,
)

TITLE = "کراچی میں بارش کے بعد نظام زندگی مفلوج"
BODY = ("شہر کے کئی علاقوں میں بارش کا پانی جمع ہونے سے ٹریفک کا نظام درہم برہم ہو گیا اور "
        "شہریوں کو شدید مشکلات کا سامنا کرنا پڑا۔")
BODY2 = ("محکمہ موسمیات کے مطابق آئندہ دو روز کے دوران مزید بارش کا امکان ہے جس کے پیش نظر "
         "انتظامیہ نے ہنگامی حالت نافذ کر دی ہے۔")


def page_of(*lines: str) -> str:
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- datelines

REST = "صوبائی حکومت نے بارش سے متاثرہ علاقوں میں امدادی کارروائیاں تیز کر دی ہیں۔"


@pytest.mark.parametrize(("prefix", "place", "outlet", "agencies", "byline", "published"), [
    ("پیونگ یانگ (ڈیلی پاکستان آن لائن) ", "پیونگ یانگ", "Daily Pakistan", [], None, None),
    ("لاہور(نامہ نگار)", "لاہور", None, [], "نامہ نگار", None),
    ("اسلام آباد (اے پی پی) ", "اسلام آباد", None, ["APP"], None, None),
    ("کراچی (ویب ڈیسک/سٹاف رپورٹر) ", "کراچی", None, [], "ویب ڈیسک/سٹاف رپورٹر", None),
    ("نیویارک (اے ایف پی، روئٹرز) ", "نیویارک", None, ["AFP", "Reuters"], None, None),
    ("لاہور (12 مارچ 2025) ", "لاہور", None, [], None, "2025-03-12"),
    ("واشنگٹن: ", "واشنگٹن", None, [], None, None),
    ("کوئٹہ - ", "کوئٹہ", None, [], None, None),
    ("کوئٹہ (آن لائن) ", "کوئٹہ", None, ["Online"], None, None),
    ("ملتان (روزنامہ نیا دور) ", "ملتان", "روزنامہ نیا دور", [], None, None),
    ("اسلام آباد، 24 فروری 2025 (این پی ڈبلیو): ", "اسلام آباد", None, ["NPW"], None,
     "2025-02-24"),
    ("ڈیرہ اسماعیل خان (نمائندہ خصوصی) ", "ڈیرہ اسماعیل خان", None, [], "نمائندہ خصوصی", None),
])
def test_dateline_forms(prefix: str, place: str, outlet: str | None, agencies: list[str],
                        byline: str | None, published: str | None) -> None:
    found = split_dateline(prefix + REST)
    assert found is not None
    assert (found.place, found.outlet, found.agencies, found.byline, found.published) == (
        place, outlet, agencies, byline, published)
    assert found.rest == REST


@pytest.mark.parametrize("text", [
    "حکومت (پی ٹی آئی) نے کہا کہ انتخابات وقت پر ہوں گے۔",  # a bracket inside a sentence
    "یاد رہے: یہ پہلا موقع نہیں کہ شہر میں اتنی بارش ہوئی ہو۔",  # a phrase, not a place
    "انہوں نے کہا: ہم عوام کو تنہا نہیں چھوڑیں گے اور ہر ممکن مدد کریں گے۔",
])
def test_not_a_dateline(text: str) -> None:
    assert split_dateline(text) is None


def test_dateline_in_a_page_goes_to_meta_and_the_rest_stays_text() -> None:
    article = clean(page_of(TITLE, "کراچی (اسٹاف رپورٹر) " + BODY, BODY2))
    assert article.meta.dateline == "کراچی"
    assert article.meta.byline == "اسٹاف رپورٹر"  # a reporter role is a byline, not an outlet
    assert article.meta.outlet is None
    assert article.blocks[0].lines == [2] and article.blocks[0].text == BODY


def test_dateline_alone_on_a_line_is_meta() -> None:
    article = clean(page_of(TITLE, "اسلام آباد (اے پی پی)", BODY, BODY2))
    assert article.meta_lines == [2]
    assert article.meta.dateline == "اسلام آباد" and article.meta.agencies == ["APP"]
    assert dateline_only("اسلام آباد (اے پی پی)") is not None
    assert dateline_only("اسلام آباد (کچھ بھی)") is None  # an unknown name alone is not enough


def test_spelled_acronym() -> None:
    assert spelled_acronym(form("این پی ڈبلیو")) == "NPW"
    assert spelled_acronym(form("اے پی پی")) == "APP"
    assert spelled_acronym(form("نامہ نگار")) is None


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(("text", "iso", "rest"), [
    ("12 نومبر 2024شمالی کوریا نے معاہدے کی توثیق کر دی۔", "2024-11-12", "شمالی کوریا"),
    ("۱۲ نومبر ۲۰۲۴شمالی کوریا نے معاہدے کی توثیق کر دی۔", "2024-11-12", "شمالی کوریا"),
    ("10 مئی 2025واشنگٹن میں قائم عالمی مالیاتی فنڈ نے کہا۔", "2025-05-10", "واشنگٹن"),
    ("3 مارچ 2025 | پاکستان میں انسداد پولیو مہم شروع ہو گئی۔", "2025-03-03", "پاکستان"),
])
def test_glued_date_is_split_off_the_first_paragraph(text: str, iso: str, rest: str) -> None:
    from khabar.urdu import normalize

    found = split_first_paragraph(normalize(text))
    assert found is not None
    meta, remaining = found
    assert meta.published == iso
    assert remaining.startswith(rest)


def test_date_followed_by_a_postposition_is_story_text() -> None:
    text = "12 نومبر 2024 کو وزیراعظم نے قوم سے خطاب کیا۔"
    assert split_first_paragraph(text) is None
    assert leading_date(text) is not None  # a date is there; it is simply not metadata


@pytest.mark.parametrize(("line", "iso", "role"), [
    ("شائع شدہ: 12 مارچ 2025", "2025-03-12", "published"),
    ("Published: March 14, 2025", "2025-03-14", "published"),
    ("اپ ڈیٹ 14 مارچ 2025", "2025-03-14", "updated"),
    ("Last Updated: Mar 3, 2024 | 08:45 PKT", "2024-03-03", "updated"),
    ("۱۲ نومبر ۲۰۲۴", "2024-11-12", "date"),
    ("تاریخ اشاعت: 11-05-2025", "2025-05-11", "published"),
    ("ہفتہ 17 مئی 2025", "2025-05-17", "date"),
    ("02 Sep 2025 | 10:20 PM", "2025-09-02", "date"),
    ("منگل 12 نومبر 2024، 9 جمادی الاول 1446ھ", "2024-11-12", "date"),
    ("جمعه ۲۶ اردیبهشت ۱۴۰۴ - ۲۱:۱۰", "2025-05-16", "date"),
    ("2025-03-14", "2025-03-14", "date"),
])
def test_date_lines(line: str, iso: str, role: str) -> None:
    found = date_line(line)
    assert found is not None and (found.iso, found.role) == (iso, role)


@pytest.mark.parametrize("line", [
    "12 جون کو دونوں رہنماؤں کی ملاقات ہوئی۔",
    "20 منٹ کی تاخیر",
    "صبح 8 بجے اجلاس شروع ہو گا",
    "31 فروری 2025",  # no such day
])
def test_not_date_lines(line: str) -> None:
    assert date_line(line) is None


def test_solar_hijri_dates() -> None:
    assert solar_hijri_to_iso(1404, 1, 1) == "2025-03-21"
    assert solar_hijri_to_iso(1404, 2, 26) == "2025-05-16"
    assert solar_hijri_to_iso(1403, 12, 30) == "2025-03-20"  # 1403 is a leap year
    assert solar_hijri_to_iso(1402, 12, 30) is None
    assert solar_hijri_to_iso(1357, 11, 22) == "1979-02-11"


def test_find_dates_in_latin_and_urdu_digits() -> None:
    found = find_dates("اجلاس 14 March 2025 کو اور دوسرا ۳ اپریل ۲۰۲۵ کو ہوگا")
    assert [d.iso for d in found] == ["2025-03-14", "2025-04-03"]


def test_publication_date_comes_from_the_top_not_the_story() -> None:
    body = "وزیراعلیٰ نے 5 جنوری 2025 کو اس منصوبے کا افتتاح کیا تھا جو اب مکمل ہو گیا ہے۔"
    article = clean(page_of(TITLE, body, BODY2))
    assert article.meta.published is None
    article = clean(page_of(TITLE, "اپ ڈیٹ 14 مارچ 2025", "شائع شدہ: 12 مارچ 2025", body))
    assert article.meta.published == "2025-03-12"  # "published" beats "updated"
    assert article.meta_lines == [2, 3]


# --------------------------------------------------------------------------- bylines


@pytest.mark.parametrize(("line", "byline", "agencies"), [
    ("ص ز/ ج ا (اے ایف پی، روئٹرز)", "ص ز/ ج ا", ["AFP", "Reuters"]),
    ("ع ا / ر ب (روئٹرز، اے پی)", "ع ا / ر ب", ["Reuters", "AP"]),
    ("ش ر/ ا ا (ڈی پی اے)", "ش ر/ ا ا", ["DPA"]),
    ("ak/sk (AFP, dpa)", "ak/sk", ["AFP", "DPA"]),
    ("رپورٹ: عاصمہ قریشی", "عاصمہ قریشی", []),
    ("تحریر: ڈاکٹر عائشہ صدیقی", "ڈاکٹر عائشہ صدیقی", []),
    ("By Staff Reporter", "Staff Reporter", []),
    ("ویب ڈیسک", "ویب ڈیسک", []),
    ("(اے پی پی)", None, ["APP"]),
    ("(آن لائن)", None, ["Online"]),
    ("اے ایف پی اور روئٹرز", None, ["AFP", "Reuters"]),
    ("(بشکریہ روزنامہ نمونہ)", None, []),
    ("(مضمون نگار آبی وسائل کی ماہر ہیں)", None, []),
])
def test_byline_lines(line: str, byline: str | None, agencies: list[str]) -> None:
    found = parse_byline(line)
    assert found is not None
    assert (found.byline, found.agencies) == (byline, agencies)


@pytest.mark.parametrize("line", [
    "Online",  # a chat status, not the agency "Online" (that one comes in brackets)
    "شمالی کوریا نے روس کے ساتھ معاہدہ کر لیا",
    "ا ب (کچھ اور)",
])
def test_not_byline_lines(line: str) -> None:
    assert parse_byline(line) is None


def test_byline_in_a_page() -> None:
    article = clean(page_of(TITLE, BODY, BODY2, "ع ا / ر ب (روئٹرز، اے پی)"))
    assert article.meta_lines == [4]
    assert article.meta.byline == "ع ا / ر ب"
    assert article.meta.agencies == ["Reuters", "AP"]
    assert article.meta.language == "ur"


def test_a_line_that_only_names_the_outlet_is_metadata_once() -> None:
    """The site's name under the headline is a source credit (it sets the outlet); above the
    headline it is the logo text of the menu; said again it is chrome."""
    from khabar.clean import clean

    page = ("بی بی سی اردو\n"
            "پانی کا بحران: ہم کہاں کھڑے ہیں؟\n"
            "بی بی سی اردو\n"
            "پاکستان میں فی کس پانی کی دستیابی تیزی سے کم ہو رہی ہے اور ماہرین برسوں سے خبردار "
            "کر رہے ہیں۔\n"
            "پس منظر\n"
            "بی بی سی اردو\n"
            "قیام پاکستان کے وقت ہر شہری کے حصے میں پانچ ہزار مکعب میٹر سے زیادہ پانی آتا تھا۔\n")
    article = clean(page)
    assert article.meta.outlet == "BBC Urdu"
    assert article.meta_lines == [3]
    kinds = {d.lines[0]: d.kind for d in article.dropped}
    assert kinds == {1: "navigation", 6: "duplicate_line"}
    assert [b.text for b in article.blocks if b.kind == "heading"] == ["پس منظر"]

"""The Urdu temporal tagger: absolute, partial, Islamic and relative dates, and the traps."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import seed_article_text
from khabar.extract.dates import DateMention, find_dates, resolve_relative

PUBLISHED = "2024-11-12"  # a Tuesday; ISO week 46; 10 Jumada al-Awwal 1446


def found(text: str, published: str | None = PUBLISHED) -> list[tuple[str, str, str]]:
    return [(m.text, m.value, m.role) for m in find_dates(text, published)]


def values(text: str, published: str | None = PUBLISHED) -> list[str]:
    return [m.value for m in find_dates(text, published)]


# --------------------------------------------------------------------------- absolute dates


@pytest.mark.parametrize(("sentence", "mention", "value"), [
    ("وزیر اعظم نے 12 نومبر 2024 کو کابینہ کا اجلاس طلب کیا۔", "12 نومبر 2024", "2024-11-12"),
    ("انتخابات 8 فروری، 2024 کو ہوئے تھے۔", "8 فروری، 2024", "2024-02-08"),
    ("معاہدے پر نومبر 12, 2024 کو دستخط ہوئے۔", "نومبر 12, 2024", "2024-11-12"),
    ("عدالت نے ۱۲ نومبر ۲۰۲۴ کو فیصلہ سنایا۔", "۱۲ نومبر ۲۰۲۴", "2024-11-12"),
    ("نوٹیفکیشن 05/03/2023 کو جاری ہوا۔", "05/03/2023", "2023-03-05"),
    ("درخواست 2023-03-05 کو دائر کی گئی۔", "2023-03-05", "2023-03-05"),
    ("اجلاس 14 اگسٹ 2023 کو ہوا۔", "14 اگسٹ 2023", "2023-08-14"),
    ("مہم 3 مئی 2022 کو شروع ہوئی۔", "3 مئی 2022", "2022-05-03"),
    ("بجٹ جون 2024 میں پیش کیا گیا۔", "جون 2024", "2024-06"),
    ("1857ء کی جنگ آزادی کو یاد کیا گیا۔", "1857ء", "1857"),
    ("ملک سن 1947 میں آزاد ہوا۔", "سن 1947", "1947"),
    ("2018 میں انتخابات ہوئے تھے۔", "2018 میں", "2018"),
    ("1990 کی دہائی میں کراچی میں بدامنی تھی۔", "1990 کی دہائی", "199X"),
])
def test_absolute_dates(sentence: str, mention: str, value: str) -> None:
    assert (mention, value, "event") in found(sentence)


def test_month_first_numeric_date_when_the_day_cannot_be_a_month() -> None:
    assert values("رپورٹ 11/25/2024 کو شائع ہوئی۔") == ["2024-11-25"]


def test_day_lists_give_two_dates() -> None:
    out = found("کانفرنس 12 اور 13 نومبر 2024 کو اسلام آباد میں ہو گی۔")
    assert [(t, v) for t, v, _ in out] == [("12", "2024-11-12"), ("13 نومبر 2024", "2024-11-13")]


def test_partial_dates_without_an_anchor_keep_an_unknown_year() -> None:
    assert found("وزیر خارجہ نے 12 جون کو ملاقات کی۔", None) == [
        ("12 جون", "XXXX-06-12", "event")]
    assert found("فوج نے پہلی بار اپریل میں تصدیق کی تھی۔", None) == [
        ("اپریل میں", "XXXX-04", "event")]


def test_partial_dates_take_the_year_from_the_publication_date() -> None:
    # A month not after the publication month is in the same year, a later one in the year
    # before, unless the clause is in the future tense.
    assert values("جون میں صدر نے دورہ کیا تھا۔") == ["2024-06"]
    assert values("دسمبر میں صدر نے دورہ کیا تھا۔") == ["2023-12"]
    assert values("دسمبر میں صدر دورہ کریں گے۔") == ["2024-12"]
    assert values("فروری میں انتخابات ہوں گے۔") == ["2025-02"]
    assert values("اجلاس 3 جولائی کو ہوا تھا۔") == ["2024-07-03"]


def test_month_alone_needs_a_date_context() -> None:
    assert values("ماہ جون میں بارشیں کم ہوئیں۔") == ["2024-06"]
    assert values("اکتوبر سے قیمتیں بڑھ رہی ہیں۔") == ["2024-10"]
    assert found("مارچ میں بارشیں معمول سے زیادہ ہوئیں۔")[0][:2] == ("مارچ میں", "2024-03")
    assert found("لانگ مارچ میں ہزاروں افراد شریک ہوئے۔") == []
    assert found("آزادی مارچ کے شرکا اسلام آباد پہنچ گئے۔") == []


def test_a_full_date_wins_over_a_month_alone() -> None:
    assert found("کمیشن 12 جون میں رپورٹ دے گا۔", None) == [("12 جون", "XXXX-06-12", "event")]


# --------------------------------------------------------------------------- Islamic months


def test_hijri_day_with_year_is_converted_to_gregorian() -> None:
    pytest.importorskip("hijridate")
    [m] = find_dates("یوم عاشور 10 محرم الحرام 1446ھ کو منایا گیا۔")
    assert (m.text, m.value, m.hijri, m.calendar) == (
        "10 محرم الحرام 1446ھ", "2024-07-16", "1446-01-10", "islamic")


def test_hijri_day_without_year_takes_the_hijri_year_of_the_publication_date() -> None:
    pytest.importorskip("hijridate")
    [m] = find_dates("شب قدر 27 رمضان کو منائی گئی۔", PUBLISHED)
    assert (m.value, m.hijri) == ("2024-04-06", "1445-09-27")


def test_hijri_months_keep_hijri_values() -> None:
    [m] = find_dates("رمضان المبارک میں مہنگائی بڑھ گئی تھی۔", PUBLISHED)
    assert (m.text, m.value, m.granularity) == ("رمضان المبارک میں", "AH1445-09", "month")
    [m] = find_dates("ربیع الاول میں جلوس نکالے جاتے ہیں۔", None)
    assert m.value == "AHXXXX-03"
    assert values("یہ کتاب 1445ھ میں چھپی۔", None) == ["AH1445"]


def test_ambiguous_islamic_month_names_need_context() -> None:
    # صفر is also "zero", رجب and شعبان are names, محرم is also "mahram".
    assert found("حادثے میں صفر ہلاکتیں ہوئیں۔") == []
    assert found("ترک صدر رجب طیب اردوان نے خطاب کیا۔") == []
    assert values("ماہ صفر میں بارشیں ہوئیں۔") == ["AH1446-02"]
    assert values("محرم الحرام میں سیکیورٹی سخت کی گئی تھی۔") == ["AH1446-01"]


# --------------------------------------------------------------------------- weekdays


def test_weekday_of_a_past_clause_is_the_latest_on_or_before_publication() -> None:
    assert found("شمالی کوریا کے میڈیا نے منگل کے روز یہ اطلاع دی۔") == [
        ("منگل کے روز", "2024-11-12", "event")]
    assert found("اتوار کو لاہور میں دھماکہ ہوا۔") == [("اتوار", "2024-11-10", "event")]
    assert values("جمعے کے دن مظاہرین نے ریلی نکالی۔") == ["2024-11-08"]


def test_weekday_of_a_future_clause_is_the_next_one() -> None:
    assert values("جمعرات کو قومی اسمبلی کا اجلاس ہوگا۔") == ["2024-11-14"]
    assert values("اگلے پیر کو فیصلہ سنایا جائے گا۔") == ["2024-11-18"]


def test_weekday_modifiers() -> None:
    assert found("گزشتہ منگل کو اجلاس ہوا تھا۔") == [("گزشتہ منگل", "2024-11-05", "event")]
    assert values("بروز جمعہ نماز کے بعد احتجاج کیا گیا۔") == ["2024-11-08"]
    # the night between Wednesday and Thursday is dated by its Thursday
    assert values("بدھ اور جمعرات کی درمیانی شب زلزلہ آیا۔") == ["2024-11-07"]


def test_weekday_without_publication_date_is_relative() -> None:
    assert found("بدھ کو کابینہ کا اجلاس ہوا۔", None) == [("بدھ", "REL-WE", "relative")]


def test_weekday_words_that_are_ordinary_words_are_no_dates() -> None:
    assert found("بدھ مت کے پیروکار یہاں آتے ہیں۔") == []
    assert found("پیر صاحب نے دعا کرائی۔") == []


def test_hafta_is_saturday_only_in_a_day_context() -> None:
    assert found("ہفتے کے روز کراچی میں بارش ہوئی۔") == [("ہفتے کے روز", "2024-11-09", "event")]
    assert found("ہفتے کو سڑکیں بند رہیں گی۔") == [("ہفتے", "2024-11-16", "event")]
    # per week, weekly, last week: not Saturday
    assert found("روس نے کہا کہ ہفتے میں 2 بار پروازیں چلیں گی۔") == []
    assert found("ہفتہ وار تعطیل اتوار کو ہوتی ہے۔") == []
    assert found("گزشتہ ہفتے پارلیمان نے بل منظور کیا۔") == [("گزشتہ ہفتے", "2024-W45", "event")]


# --------------------------------------------------------------------------- relative


@pytest.mark.parametrize(("sentence", "value"), [
    ("آج وزیر اعظم قوم سے خطاب کریں گے۔", "2024-11-12"),
    ("گزشتہ روز کراچی میں بارش ہوئی۔", "2024-11-11"),
    ("گزشتہ شب زلزلے کے جھٹکے محسوس کیے گئے۔", "2024-11-11"),
    ("پرسوں کابینہ نے منظوری دی تھی۔", "2024-11-10"),
    ("گزشتہ ہفتے روسی قانون سازوں نے ووٹ دیا تھا۔", "2024-W45"),
    ("پچھلے ہفتے اسٹاک مارکیٹ گر گئی۔", "2024-W45"),
    ("گزشتہ ماہ مہنگائی میں اضافہ ہوا۔", "2024-10"),
    ("پچھلے مہینے برآمدات کم رہیں۔", "2024-10"),
    ("گزشتہ برس سیلاب آیا تھا۔", "2023"),
    ("گزشتہ سال معیشت سکڑ گئی۔", "2023"),
    ("آئندہ ہفتے بجٹ پیش کیا جائے گا۔", "2024-W47"),
    ("اگلے ماہ انتخابات ہوں گے۔", "2024-12"),
    ("آئندہ سال مردم شماری ہوگی۔", "2025"),
    ("رواں ماہ بجلی مہنگی ہو گئی۔", "2024-11"),
    ("اس سال گندم کی فصل اچھی ہوئی۔", "2024"),
    ("رواں برس برآمدات بڑھی ہیں۔", "2024"),
    ("اس ہفتے اسمبلی کا اجلاس جاری رہا۔", "2024-W46"),
    ("تین روز قبل پولیس نے چھاپہ مارا۔", "2024-11-09"),
    ("2 دن پہلے سڑک بند کر دی گئی۔", "2024-11-10"),
    ("ایک ہفتہ قبل معاہدہ ہوا تھا۔", "2024-W45"),
    ("دو سال پہلے یہ منصوبہ شروع ہوا۔", "2022"),
])
def test_relative_expressions_resolve_against_the_publication_date(sentence: str,
                                                                   value: str) -> None:
    [m] = find_dates(sentence, PUBLISHED)
    assert (m.value, m.role) == (value, "event")
    assert m.relative and m.relative.startswith("REL")


def test_relative_expressions_without_anchor_keep_a_rel_value() -> None:
    assert found("روسی صدر کے گزشتہ برس دورے کے دوران معاہدہ ہوا۔", None) == [
        ("گزشتہ برس", "REL-1Y", "relative")]
    assert values("آج بارش کا امکان ہے۔", None) == ["REL+0D"]
    assert values("آئندہ ماہ قیمتیں بڑھیں گی۔", None) == ["REL+1M"]
    assert values("تین روز قبل دھماکہ ہوا۔", None) == ["REL-3D"]


def test_kal_follows_the_tense_of_its_clause() -> None:
    assert found("کل وزیر اعظم نے اجلاس سے خطاب کیا۔") == [("کل", "2024-11-11", "event")]
    assert found("کل وزیر اعظم اجلاس سے خطاب کریں گے۔") == [("کل", "2024-11-13", "event")]
    assert found("وزیر خزانہ کل اسمبلی میں تقریر کرےگا۔") == [("کل", "2024-11-13", "event")]
    assert found("کل 5 بجے اجلاس ہو گا۔") == [("کل", "2024-11-13", "event")]


def test_kal_with_unknown_tense_stays_relative() -> None:
    assert found("کل بازار بند ہے۔") == [("کل", "REL-1D", "relative")]


def test_kal_meaning_total_or_all_is_no_date() -> None:
    assert found("جلسے میں کل 500 افراد شریک ہوئے۔") == []
    assert found("ملک کی کل آبادی 24 کروڑ ہے۔") == []
    assert found("کل تعداد کا اعلان بعد میں کیا جائے گا۔") == []
    assert found("کل جماعتی کانفرنس طلب کر لی گئی۔") == []
    assert found("آج کل مہنگائی بہت زیادہ ہے۔") == []
    assert found("آج تک کوئی گرفتاری نہیں ہوئی۔") == []


def test_zindagi_and_kasheedgi_are_not_future_tense() -> None:
    # words ending in گی that are nouns do not make a clause future
    assert found("کل کشیدگی بڑھ گئی تھی۔") == [("کل", "2024-11-11", "event")]


# --------------------------------------------------------------------------- traps


@pytest.mark.parametrize("sentence", [
    "اسلام آباد سے راولپنڈی کا سفر 20 منٹ میں طے ہو گا۔",
    "اب وقت آ گیا ہے کہ فیصلہ کیا جائے۔",
    "ڈاکٹر آپ کو 1-2 منٹ میں جواب دے گا۔",
    "اس منصوبے پر 2024 ملین روپے خرچ ہوئے۔",
    "حادثے میں 2000 میں سے 500 مکان تباہ ہوئے۔",
    "اجلاس 10:45 پر شروع ہوا۔",
    "مئی کا لفظ یہاں نہیں آیا مگر میں نے مئیر سے بات کی۔",
])
def test_no_false_dates(sentence: str) -> None:
    assert find_dates(sentence, PUBLISHED) == []


# --------------------------------------------------------------------------- published


def test_a_date_opening_the_text_is_the_publication_date_and_anchors_the_rest() -> None:
    text = "12 نومبر 2024شمالی کوریا کے میڈیا نے منگل کے روز بتایا کہ گزشتہ ہفتے ووٹنگ ہوئی۔"
    assert found(text, None) == [("12 نومبر 2024", "2024-11-12", "published"),
                                 ("منگل کے روز", "2024-11-12", "event"),
                                 ("گزشتہ ہفتے", "2024-W45", "event")]


def test_a_date_opening_a_line_with_a_postposition_is_an_event() -> None:
    assert found("12 نومبر 2024 کو عدالت نے فیصلہ سنایا۔", None) == [
        ("12 نومبر 2024", "2024-11-12", "event")]


def test_the_given_publication_date_marks_its_dateline() -> None:
    assert found("لاہور\n12 نومبر 2024\nبارش ہوئی۔")[0] == (
        "12 نومبر 2024", "2024-11-12", "published")
    assert found("عدالت نے 12 نومبر 2024 کو فیصلہ سنایا۔")[0][2] == "event"


def test_resolve_relative() -> None:
    assert resolve_relative("REL-1W", PUBLISHED) == "2024-W45"
    assert resolve_relative("REL-1Y", PUBLISHED) == "2023"
    assert resolve_relative("REL+1M", "2024-12-05") == "2025-01"
    assert resolve_relative("REL-TU", "2024-11-14") == "2024-11-12"
    assert resolve_relative("REL+SU", PUBLISHED) == "2024-11-17"
    assert resolve_relative("REL-1D", None) is None  # type: ignore[arg-type]
    assert resolve_relative("yesterday", PUBLISHED) is None


def test_mentions_point_into_the_text_and_serialise() -> None:
    text = "کراچی: گزشتہ روز 3 مارچ 2024 کو ہڑتال ہوئی اور منگل کو دفاتر بند رہے۔"
    for m in find_dates(text, PUBLISHED):
        assert text[m.start:m.end] == m.text
        assert set(m.to_dict()) >= {"text", "value", "role", "granularity"}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(
    ["12", "نومبر", "2024", "کل", "آج", "گزشتہ", "ہفتے", "منگل", "کو", "کے", "روز", "میں",
     "جون", "ء", "۔", "،", "2", "بار", "تین", "قبل", "رمضان", "/", "-", "\n", "نے", "گا"]),
    max_size=25))
def test_any_sequence_gives_consistent_mentions(words: list[str]) -> None:
    text = " ".join(words)
    mentions = find_dates(text, PUBLISHED)
    ends = -1
    for m in mentions:
        assert isinstance(m, DateMention)
        assert text[m.start:m.end] == m.text and m.start >= ends
        assert m.role in ("published", "event", "relative")
        ends = m.end


# --------------------------------------------------------------------------- seeds


@pytest.mark.shared
def test_seed_003_dates(shared_dir: Path, seeds_gold: dict) -> None:
    gold = [d for d in seeds_gold["dates"] if d["doc"] == "003"]
    # No publication date given: the glued date at the start of line 2 is found as the
    # publication date and anchors the relative expressions.
    text = seed_article_text(shared_dir, seeds_gold, "003_d06b901110fe9704.txt")
    mentions = find_dates(text)
    got = {(m.text, m.value) for m in mentions}
    for d in gold:
        assert (d["text"], d["value"]) in got
    assert [m.role for m in mentions if m.text == "12 نومبر 2024"] == ["published"]
    assert {m.role for m in mentions if m.text != "12 نومبر 2024"} == {"event"}


@pytest.mark.shared
def test_seed_000_dates(shared_dir: Path, seeds_gold: dict) -> None:
    text = seed_article_text(shared_dir, seeds_gold, "000_c0c4beaa8fb5c965.txt")
    got = {(m.text, m.value, m.role) for m in find_dates(text)}
    assert ("12 جون", "XXXX-06-12", "event") in got
    assert ("اپریل میں", "XXXX-04", "event") in got
    assert ("گزشتہ برس", "REL-1Y", "relative") in got  # gold: "previous year, relative"
    gold_texts = {d["text"] for d in seeds_gold["dates"] if d["doc"] == "000"}
    assert {t for t, _, _ in got} == gold_texts


@pytest.mark.shared
def test_seed_003_dates_through_clean(shared_dir: Path, seeds_gold: dict) -> None:
    """khabar.clean moves the glued date into meta.published; the relative dates of the clean
    text resolve against it."""
    clean = pytest.importorskip("khabar.clean").clean
    article = clean((shared_dir / "seeds" / "003_d06b901110fe9704.txt").read_text("utf-8"))
    assert article.meta.published == "2024-11-12"
    got = {(m.text, m.value) for m in find_dates(article.text, article.meta.published)}
    assert {("منگل کے روز", "2024-11-12"), ("گزشتہ ہفتے", "2024-W45"),
            ("جون میں", "2024-06")} <= got


# --------------------------------------------------------------------------- tense: modals and
# expectations look ahead, and an اور after a verb ends its clause


@pytest.mark.parametrize(("sentence", "value"), [
    ("کانفرنس جمعے کو ختم ہونا ہے۔", "2024-11-15"),  # infinitive + ہے: "is to end"
    ("کمیٹی اتوار کو حتمی فیصلہ کر سکتی ہے۔", "2024-11-17"),  # modal: may decide
    ("مارچ میں عام انتخابات ہونے کا امکان ہے۔", "2025-03"),  # expectation
    ("مذاکرات 14 فروری تک جاری رہنے کی توقع ہے۔", "2025-02-14"),
    ("وزیر اعظم اتوار کو لاہور آ سکتے تھے۔", "2024-11-10"),  # a past auxiliary after it wins
])
def test_modals_and_expectations_look_ahead(sentence: str, value: str) -> None:
    assert values(sentence) == [value]


def test_aur_after_a_verb_ends_the_clause_of_a_date() -> None:
    assert values("دسمبر میں مہنگائی 4 فیصد رہی اور آئندہ مہینوں میں کمی کا امکان ہے۔",
                  "2025-01-20") == ["2024-12"]
    assert found("کل وزیر اعظم نے جلسے سے خطاب کیا اور کہا کہ انتخابات ہوں گے۔") == [
        ("کل", "2024-11-11", "event")]


# --------------------------------------------------------------------------- weekdays: تک، سے


def test_weekday_with_tak_and_se() -> None:
    assert found("مذاکرات ہفتہ تک جاری رہیں گے۔") == [("ہفتہ", "2024-11-16", "event")]
    assert found("انسداد پولیو مہم پیر سے شروع ہو گئی۔") == [("پیر", "2024-11-11", "event")]
    assert values("The board met on Friday and approved the loan.", "2025-05-10") == [
        "2025-05-09"]
    assert found("ہیئت‌ها روز جمعہ دیدار کردند.", "2025-05-16") == [
        ("روز جمعہ", "2025-05-16", "event")]


@pytest.mark.parametrize("sentence", [
    "آئی ایم ایف کا مشن دو ہفتے تک اسلام آباد میں قیام کرے گا۔",  # two weeks
    "ایک ہفتہ سے شہر کے بازار بند ہیں۔",  # for a week
    "ہر ہفتے سے پہلے فہرست جاری ہوتی ہے۔",
    "زخمی کے پیر سے خون بہہ رہا تھا۔",  # his foot
    "ان کے پیر سے ملاقات کے لیے لوگ آئے۔",  # the saint
])
def test_weeks_feet_and_saints_before_tak_and_se_are_no_weekdays(sentence: str) -> None:
    assert found(sentence) == []


# --------------------------------------------------------------------------- side by side


def test_a_weekday_or_a_near_day_before_a_date_is_part_of_it() -> None:
    assert found("قومی اسمبلی کا اجلاس منگل 19 نومبر کو ہوگا۔") == [
        ("منگل 19 نومبر", "2024-11-19", "event")]
    assert found("پہلا روزہ کل بدھ 13 نومبر کو ہوگا۔") == [
        ("کل بدھ 13 نومبر", "2024-11-13", "event")]
    assert found("ہفتہ 9 نومبر 2024\nکراچی میں بارش ہوئی۔", None) == [
        ("ہفتہ 9 نومبر 2024", "2024-11-09", "published")]


def test_a_relative_year_before_a_month_dates_the_month() -> None:
    [m] = find_dates("پاکستان نے گزشتہ برس ستمبر میں معاہدے پر دستخط کیے تھے۔", PUBLISHED)
    assert (m.text, m.value, m.relative) == ("گزشتہ برس ستمبر میں", "2023-09", "REL-1Y")
    assert values("اگلے سال مارچ میں مردم شماری ہوگی۔") == ["2025-03"]


# --------------------------------------------------------------------------- stretches of time


@pytest.mark.parametrize(("sentence", "value", "rel"), [
    ("گزشتہ دو روز میں سرد خانے میں 30 لاشیں لائی گئیں۔", "2024-11-10/2024-11-11",
     "REL-2D/REL-1D"),
    ("آئندہ تین روز تک گرمی کی شدت برقرار رہے گی۔", "2024-11-13/2024-11-15", "REL+1D/REL+3D"),
    ("گزشتہ 24 گھنٹوں کے دوران 15 افراد جاں بحق ہوئے۔", "2024-11-11/2024-11-12",
     "REL-1D/REL+0D"),
    ("اگلے دو ہفتوں میں امتحانات ہوں گے۔", "2024-W47/2024-W48", "REL+1W/REL+2W"),
    ("پچھلے تین ماہ میں برآمدات کم ہوئیں۔", "2024-08/2024-10", "REL-3M/REL-1M"),
    ("گزشتہ ایک ہفتے میں قیمتیں بڑھیں۔", "2024-W45", "REL-1W"),
])
def test_spans_before_and_after_publication(sentence: str, value: str, rel: str) -> None:
    [m] = find_dates(sentence, PUBLISHED)
    assert (m.value, m.relative) == (value, rel)
    assert values(sentence, None) == [rel]
    assert resolve_relative(rel, PUBLISHED) == value


def test_a_count_of_hours_or_days_alone_is_no_date() -> None:
    assert found("ہسپتال کی ایمرجنسی 24 گھنٹے کھلی رہے گی۔") == []
    assert found("مظاہرین تین روز تک دھرنا دیں گے۔") == []


def test_the_weekend_is_not_saturday() -> None:
    assert found("ہفتے کے آخر تک درجہ حرارت میں کمی کا امکان ہے۔") == [
        ("ہفتے کے آخر", "2024-11-16/2024-11-17", "event")]
    assert values("ہفتے کے آخر میں شہر میں بارش ہوئی۔") == ["2024-11-09/2024-11-10"]
    assert values("ویک اینڈ پر شہر میں رش رہا۔", None) == ["REL-1E"]


# --------------------------------------------------------------------------- months and holidays


def test_islamic_months_with_their_epithet_are_dates_alone() -> None:
    # On the eve of Ramadan (29 Shaban 1446) the moon sighting is about the coming Ramadan.
    [m] = find_dates("رمضان المبارک کا چاند نظر آ گیا۔", "2025-02-28")
    assert (m.text, m.value) == ("رمضان المبارک", "AH1446-09")
    assert values("رمضان المبارک کے دوران قیمتیں بڑھ گئی تھیں۔") == ["AH1445-09"]
    assert found("محمد رمضان نے کہا کہ وہ جلسے میں آئیں گے۔") == []


def test_day_of_a_month_with_tareekh() -> None:
    pytest.importorskip("hijridate")
    got = find_dates("محرم الحرام کی 9 اور 10 تاریخ کو جلوس نکلیں گے۔", "2025-07-01")
    assert [(m.text, m.hijri) for m in got] == [("محرم الحرام کی 9", "1447-01-09"),
                                                ("10 تاریخ", "1447-01-10")]
    assert found("جون کی 5 تاریخ کو بجٹ پیش ہوگا۔") == [
        ("جون کی 5 تاریخ", "2025-06-05", "event")]


def test_solar_hijri_dates_are_converted_and_need_their_year() -> None:
    assert found("جمعه ۲۶ اردیبهشت ۱۴۰۴ - ۲۱:۱۰", None) == [
        ("جمعه ۲۶ اردیبهشت ۱۴۰۴", "2025-05-16", "published")]
    # تیر "arrow", مہر "seal", دی "gave": Persian month names are no dates without a year
    assert found("ملزم کو 10 تیر لگے اور دستاویز پر 2 مہر ثبت تھیں۔") == []


@pytest.mark.parametrize(("sentence", "published", "value"), [
    ("جرمن رہنما ایسٹر تک نئی حکومت بنانا چاہتے ہیں۔", "2025-02-24", "2025-04-20"),
    ("ایسٹر 2026 کی تقریبات منسوخ کر دی گئیں۔", PUBLISHED, "2026-04-05"),
    ("وہ کرسمس تک معاہدہ چاہتے ہیں۔", PUBLISHED, "2024-12-25"),
    ("یوم دفاع پر پریڈ ہوئی۔", PUBLISHED, "2024-09-06"),  # past clause: the last one
])
def test_holidays(sentence: str, published: str, value: str) -> None:
    assert values(sentence, published) == [value]


def test_islamic_holidays_and_the_weekday_that_names_their_day() -> None:
    pytest.importorskip("hijridate")
    [m] = find_dates("عید الفطر کے موقع پر بازاروں میں رش رہا۔", PUBLISHED)
    assert (m.value, m.hijri) == ("2024-04-10", "1445-10-01")
    # Umm al-Qura puts 10 Muharram 1447 on Saturday 5 July 2025; Pakistan's Ashura was the
    # Sunday, and the page says so.
    [m] = find_dates("یومِ عاشور یعنی اتوار کو موبائل سروس معطل رہے گی۔", "2025-07-05")
    assert (m.text, m.value, m.hijri) == ("یومِ عاشور یعنی اتوار", "2025-07-06", "1447-01-10")


def test_data_phrases_written_without_their_space_are_looked_up() -> None:
    # Patterns match a phrase with or without its inner space (عیدالفطر, شبقدر as pages type
    # them); the lookup must too: it raised KeyError on "شبقدر" before.
    pytest.importorskip("hijridate")
    [m] = find_dates("عیدالفطر کے موقع پر بازاروں میں رش رہا۔", PUBLISHED)
    assert (m.value, m.hijri) == ("2024-04-10", "1445-10-01")
    find_dates("شبقدر میں پولیس چوکی پر حملہ، دو اہلکار زخمی ہوگئے۔", PUBLISHED)  # must not raise
    assert values("گزشتہہفتے اجلاس ہوا۔", PUBLISHED) == values("گزشتہ ہفتے اجلاس ہوا۔", PUBLISHED)

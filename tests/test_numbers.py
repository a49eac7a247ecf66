"""Numbers in Urdu text (khabar.urdu.numbers)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.urdu.numbers import Number, find_numbers, parse_number


def values(text: str) -> list:
    return [n.value if n.value is not None else (n.low, n.high) for n in find_numbers(text)]


@pytest.mark.parametrize(
    ("sentence", "text", "value", "kind"),
    [
        ("جنوبی کوریا کے مطابق تقریباً 600 فوجی ہلاک ہوئے", "600", 600, "digits"),
        ("حکام کے مطابق 10,000 افراد متاثر ہوئے", "10,000", 10000, "digits"),
        ("حکومت نے 5 لاکھ روپے امداد کا اعلان کیا", "5 لاکھ", 500000, "digits"),
        ("منصوبے پر 1.2 ارب ڈالر لاگت آئے گی", "1.2 ارب", 1_200_000_000, "digits"),
        ("سیلاب سے ڈیڑھ لاکھ افراد بے گھر ہو گئے", "ڈیڑھ لاکھ", 150000, "words"),
        ("ہفتے میں 2 بار پروازیں چلیں گی", "2", 2, "digits"),
        ("اسپتال میں دو سو پچاس بستر ہیں", "دو سو پچاس", 250, "words"),
        ("بجٹ میں دو لاکھ پچاس ہزار نئی ملازمتیں", "دو لاکھ پچاس ہزار", 250000, "words"),
        ("ایک ہزار دو سو پچاس طلبہ نے امتحان دیا", "ایک ہزار دو سو پچاس", 1250, "words"),
        ("مظاہرے میں ڈھائی ہزار افراد شریک تھے", "ڈھائی ہزار", 2500, "words"),
        ("سوا لاکھ مکانات تباہ ہوئے", "سوا لاکھ", 125000, "words"),
        ("پونے دو لاکھ ووٹ پڑے", "پونے دو لاکھ", 175000, "words"),
        ("سوا دو سو گاڑیاں ضبط کی گئیں", "سوا دو سو", 225, "words"),
        ("ساڑھے تین ہزار اساتذہ بھرتی ہوں گے", "ساڑھے تین ہزار", 3500, "words"),
        ("ملک پر 3.5 ملین ڈالر کا جرمانہ", "3.5 ملین", 3_500_000, "digits"),
        ("دو درجن مسافر زخمی ہوئے", "دو درجن", 24, "words"),
        ("تین ارب پچاس کروڑ روپے جاری", "تین ارب پچاس کروڑ", 3_500_000_000, "words"),
        ("اسی ہزار ٹن گندم درآمد کی گئی", "اسی ہزار", 80000, "words"),
        ("مہنگائی ٣٫٥ فیصد رہی", "٣٫٥ فیصد", 3.5, "digits"),
        ("قیمت ١٢٬٠٠٠ روپے ہو گئی", "١٢٬٠٠٠", 12000, "digits"),
        ("كراچي ميں پانچ لاكھ افراد متاثر", "پانچ لاكھ", 500000, "words"),  # Arabic code points
        ("شرح نمو 3۔5 فیصد رہی", "3۔5 فیصد", 3.5, "digits"),
    ],
)
def test_single_numbers_in_sentences(sentence: str, text: str, value: float, kind: str) -> None:
    found = find_numbers(sentence)
    assert len(found) == 1, found
    number = found[0]
    assert number.text == text
    assert sentence[number.start:number.end] == text
    assert number.value == value
    assert number.low == number.high == value
    assert number.kind == kind


def test_dates_give_their_numbers() -> None:
    assert values("۱۲ نومبر ۲۰۲۴ کو اجلاس ہوا") == [12, 2024]
    assert values("12 نومبر 2024شمالی کوریا") == [12, 2024]
    assert values("تاریخ 12-11-2024 ہے") == [12, 11, 2024]  # not a range
    year = find_numbers("1857ء کی جنگ آزادی")[0]
    assert (year.text, year.value) == ("1857ء", 1857)


def test_scale_word_and_magnitude() -> None:
    number = find_numbers("منصوبے پر 1.2 ارب ڈالر لاگت آئے گی")[0]
    assert number.scale == "ارب"
    assert number.magnitude == 9
    assert isinstance(number.value, int)
    assert find_numbers("قیمت 3.5 روپے")[0].value == 3.5


@pytest.mark.parametrize(
    ("sentence", "text", "low", "high"),
    [
        ("دستیاب ڈاکٹر آپ کو 1-2 منٹ میں جواب دے گا", "1-2", 1, 2),
        ("درجہ حرارت 10 سے 12 ڈگری رہے گا", "10 سے 12", 10, 12),
        ("10 سے 12 ہزار افراد جمع ہوئے", "10 سے 12 ہزار", 10000, 12000),
        ("دو سے تین لاکھ افراد متاثر", "دو سے تین لاکھ", 200000, 300000),
        ("100 سے 2 ہزار روپے تک جرمانہ", "100 سے 2 ہزار", 100, 2000),
        ("10-12 افراد زخمی ہوئے", "10-12", 10, 12),
        ("مالی سال 2023-24 کا بجٹ", "2023-24", 2023, 2024),
        ("دو یا تین روز میں فیصلہ ہوگا", "دو یا تین", 2, 3),
        ("دو تین دن میں بارش ہوگی", "دو تین", 2, 3),
        ("قیمتوں میں 5 سے 10 فیصد اضافہ", "5 سے 10 فیصد", 5, 10),
        ("ایک دو روز میں واپسی", "ایک دو", 1, 2),
    ],
)
def test_ranges(sentence: str, text: str, low: int, high: int) -> None:
    found = find_numbers(sentence)
    assert len(found) == 1, found
    number = found[0]
    assert (number.text, number.low, number.high, number.value) == (text, low, high, None)


def test_not_ranges() -> None:
    assert values("10 سے زائد افراد ہلاک") == [10]
    assert values("رابطہ نمبر 0300-1234567 ہے") == [300, 1234567]
    assert values("20 سے 5 کم ہیں") == [20, 5]


def test_percentages() -> None:
    for sentence, text in [("شرح 25% بڑھ گئی", "25%"), ("شرح 25 فیصد بڑھ گئی", "25 فیصد"),
                           ("شرح 25 فی صد بڑھ گئی", "25 فی صد"), ("۵۰٪ ووٹ", "۵۰٪"),
                           ("سو فیصد یقین ہے", "سو فیصد")]:
        number = find_numbers(sentence)[0]
        assert number.percent and number.text == text, sentence
    assert not find_numbers("600 فوجی")[0].percent


@pytest.mark.parametrize(
    ("sentence", "text", "magnitude"),
    [
        ("ہزاروں زخمی ہوئے", "ہزاروں", 3),
        ("سیلاب سے لاکھوں افراد بے گھر", "لاکھوں", 5),
        ("درجنوں گاڑیاں جل گئیں", "درجنوں", 1),
        ("سینکڑوں مظاہرین جمع تھے", "سینکڑوں", 2),
        ("سیکڑوں مکانات تباہ", "سیکڑوں", 2),
        ("کروڑوں روپے کی کرپشن", "کروڑوں", 7),
        ("اربوں ڈالر کا نقصان", "اربوں", 9),
        ("متعدد افراد گرفتار", "متعدد", 0),
        ("کئی ہزار افراد نے شرکت کی", "کئی ہزار", 3),
        ("دسیوں ہزار شہری نقل مکانی پر مجبور", "دسیوں ہزار", 4),
        ("چند سو افراد موجود تھے", "چند سو", 2),
    ],
)
def test_vague_quantities(sentence: str, text: str, magnitude: int) -> None:
    found = find_numbers(sentence)
    assert len(found) == 1, found
    number = found[0]
    assert (number.text, number.kind, number.value, number.magnitude) == (text, "vague", None,
                                                                           magnitude)


def test_ordinals_are_left_out_unless_asked() -> None:
    sentence = "شمالی کوریا نے پہلی بار 21ویں صدی میں دوسرا تجربہ کیا"
    assert find_numbers(sentence) == []
    ordinals = find_numbers(sentence, ordinals=True)
    assert [(n.text, n.value, n.kind) for n in ordinals] == [
        ("پہلی", 1, "ordinal"), ("21ویں", 21, "ordinal"), ("دوسرا", 2, "ordinal")]
    assert find_numbers("اکیسویں صدی اور 21 ویں صدی") == []


def test_number_words_that_are_also_ordinary_words() -> None:
    assert find_numbers("اسی طرح حکومت نے اعلان کیا") == []  # اسی "that same"
    assert find_numbers("تعلقات بہتر ہوتے ہیں") == []  # بہتر "better"
    assert find_numbers("ایک شخص نے بتایا") == []  # ایک "a"
    assert find_numbers("دونوں ممالک ایک دوسرے پر الزام لگاتے ہیں") == []
    assert find_numbers("انتخابات از سر نو کرائے جائیں") == []  # نو "new"
    assert find_numbers("نو منتخب اراکین نے حلف اٹھایا") == []
    assert find_numbers("ایئر بیس پر حملہ ہوا") == []  # بیس "base"
    assert find_numbers("اس کے سوا کوئی راستہ نہیں") == []  # سوا "except"
    assert find_numbers("وہ جلدی سو گیا") == []  # سو "slept"
    assert find_numbers("وزیر خارجہ نے دو ٹوک الفاظ میں کہا") == []
    assert values("نو مئی کے واقعات") == [9]
    assert values("بیس افراد زخمی ہوئے") == [20]
    assert values("دو افراد گرفتار") == [2]


def test_parse_number() -> None:
    assert parse_number("1.2 ارب").value == 1_200_000_000
    assert parse_number(" ڈیڑھ لاکھ ").value == 150000
    assert parse_number("ہزاروں").kind == "vague"
    assert parse_number("10 سے 12").high == 12
    assert parse_number("پہلی").kind == "ordinal"
    assert parse_number("25%").percent
    assert parse_number("۱۲").value == 12
    assert parse_number("600 فوجی") is None
    assert parse_number("شمالی کوریا") is None
    assert parse_number("") is None
    assert parse_number("سوا") is None


def test_number_is_frozen() -> None:
    number = parse_number("5")
    assert isinstance(number, Number)
    with pytest.raises(dataclasses.FrozenInstanceError):
        number.value = 6  # type: ignore[misc]


@pytest.mark.shared
def test_seed_numbers(shared_dir: Path) -> None:
    seed = (shared_dir / "seeds" / "000_c0c4beaa8fb5c965.txt").read_text(
        encoding="utf-8").splitlines()
    line79 = find_numbers(seed[78])
    assert [(n.text, n.kind) for n in line79] == [("600", "digits"), ("ہزاروں", "vague")]
    assert values(seed[53]) == [2]  # ہفتے میں 2 بار
    other = (shared_dir / "seeds" / "003_d06b901110fe9704.txt").read_text(
        encoding="utf-8").splitlines()
    assert values(other[13]) == [10000]
    assert values(other[1])[:2] == [12, 2024]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(
    [*"0123456789۰۱۲۳٣٤٫٬,.-% ۔", "ایک ", "دو ", "سو ", "ہزار ", "لاکھ ", "سوا ", "پونے ",
     "ڈیڑھ ", "ہزاروں ", "کئی ", "سے ", "یا ", "فیصد ", "کی ", "ویں ", "پہلی "]),
    max_size=30).map("".join))
def test_numbers_point_into_the_text(text: str) -> None:
    position = 0
    for number in find_numbers(text, ordinals=True):
        assert text[number.start:number.end] == number.text
        assert number.start >= position
        position = number.end
        if number.kind != "vague":
            assert number.low is not None and number.high is not None
            assert number.low <= number.high

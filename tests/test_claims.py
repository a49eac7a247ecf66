"""Numeric claims: quantity, approximator, counted thing, predicate, sources, and non-claims."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import seed_article_text
from khabar.extract.claims import Claim, find_attributions, find_claims
from khabar.urdu.normalize import normalize


def one(sentence: str, **kwargs: object) -> Claim:
    claims = find_claims(sentence, **kwargs)  # type: ignore[arg-type]
    assert len(claims) == 1, [c.number_text for c in claims]
    return claims[0]


def sources(claim: Claim) -> list[str]:
    return [s.text for s in claim.sources]


# --------------------------------------------------------------------------- approximators


@pytest.mark.parametrize(("sentence", "number_text", "value", "qualifier"), [
    ("پولیس کے مطابق تقریباً 600 افراد گرفتار کیے گئے۔", "تقریباً 600", 600, "about"),
    ("پولیس کے مطابق تقریبا 10,000 افراد جمع ہوئے۔", "تقریبا 10,000", 10000, "about"),
    ("امدادی اداروں کے مطابق لگ بھگ 300 گھر تباہ ہوئے۔", "لگ بھگ 300", 300, "about"),
    ("حکام کے مطابق کم از کم 12 افراد ہلاک ہو گئے۔", "کم از کم 12", 12, "at_least"),
    ("اندازاً 50 ہزار شہری متاثر ہوئے۔", "اندازاً 50 ہزار", 50000, "about"),
    ("سیلاب سے 600 سے زائد مکانات منہدم ہو گئے۔", "600 سے زائد", 600, "more_than"),
    ("جلسے میں 2 لاکھ سے زیادہ لوگ شریک ہوئے۔", "2 لاکھ سے زیادہ", 200000, "more_than"),
    ("دھماکے میں 20 کے قریب افراد زخمی ہوئے۔", "20 کے قریب", 20, "about"),
    ("اس منصوبے پر 5 ارب روپے خرچ ہوں گے۔", "5 ارب", 5_000_000_000, None),
])
def test_quantities_and_approximators(sentence: str, number_text: str, value: int,
                                      qualifier: str | None) -> None:
    c = one(sentence)
    assert (c.number_text, c.value, c.qualifier, c.approximate) == (
        number_text, value, qualifier, qualifier is not None)
    assert sentence[c.start:c.end] == c.number_text


def test_vague_quantities_have_no_value() -> None:
    # A number word like ہزاروں is approximate by nature (it has no qualifier word).
    c = one("مظاہروں میں ہزاروں افراد نے شرکت کی۔")
    assert (c.value, c.vague, c.approximate, c.qualifier, c.what) == (
        None, True, True, None, "افراد")
    c = one("درجنوں گاڑیاں نذر آتش کر دی گئیں۔")
    assert (c.value, c.vague, c.what) == (None, True, "گاڑیاں")


def test_several_and_few_state_no_quantity() -> None:
    assert find_claims("کئی افراد زخمی ہوئے اور چند گاڑیاں جل گئیں۔") == []
    assert find_claims("وزیر خارجہ کے متعدد اہم دوروں میں سے ایک تھا۔") == []


def test_ranges_and_percentages() -> None:
    c = one("حادثے میں 10 سے 12 افراد جاں بحق ہوئے۔")
    assert (c.value, c.low, c.high, c.what) == (None, 10, 12, "افراد")
    c = one("ادارہ شماریات کے مطابق مہنگائی 25 فیصد تک پہنچ گئی۔")
    assert (c.value, c.unit, sources(c)) == (25, "%", ["ادارہ شماریات"])


def test_frequency_claims() -> None:
    c = one("روس نے اعلان کیا تھا کہ ماسکو اور پیانگ یانگ کے درمیان ہفتے میں 2 بار پروازیں "
            "شروع ہوں گی۔")
    assert (c.number_text, c.value, c.unit, c.frequency, c.what) == (
        "2 بار", 2, "times", "week", "پروازیں")
    assert sources(c) == ["روس"]
    c = one("ٹرینیں روزانہ 3 مرتبہ چلیں گی۔")
    assert (c.value, c.unit, c.frequency) == (3, "times", "day")


# --------------------------------------------------------------------------- counted thing


def test_what_ends_at_a_counted_noun_and_before_a_name() -> None:
    c = one("جنوبی کوریا کے مطابق، تقریباً 600 شمالی کوریائی فوجی روس کے لیے لڑتے ہوئے ہلاک ہو "
            "چکے ہیں۔")
    assert (c.what, c.predicate) == ("شمالی کوریائی فوجی", "ہلاک ہو چکے ہیں")


def test_what_and_predicate() -> None:
    c = one("حکومت نے 50 ارب روپے کا پیکج منظور کیا۔")
    assert (c.what, c.predicate) == ("روپے", "منظور کیا")
    c = one("آتشزدگی سے 40 دکانیں جل کر راکھ ہو گئیں۔")
    assert c.what == "دکانیں"


def test_plural_nouns_and_two_word_heads_end_the_thing() -> None:
    assert one("اجلاس میں 7 فیصلوں کی منظوری دی گئی۔").what == "فیصلوں"
    c = one("آپریشن میں 6 دہشت گرد مارے گئے۔")
    assert (c.what, c.predicate) == ("دہشت گرد", "مارے گئے")


def test_a_change_from_a_number_has_no_qualifier() -> None:
    claims = find_claims("مہنگائی 11.1 فیصد سے کم ہو کر 4 فیصد پر آ گئی۔")
    assert [(c.number_text, c.qualifier) for c in claims] == [("11.1 فیصد", None),
                                                             ("4 فیصد", None)]


def test_a_word_followed_by_an_auxiliary_is_the_predicate_not_the_thing() -> None:
    c = one("برآمدات میں 12 فیصد اضافہ ہوا۔")
    assert (c.what, c.unit) == (None, "%")


# --------------------------------------------------------------------------- sources


@pytest.mark.parametrize(("sentence", "expected"), [
    ("پولیس کے مطابق 7 ملزمان گرفتار ہوئے۔", ["پولیس"]),
    ("رپورٹس کے مطابق، 300 فوجی بھیجے گئے۔", ["رپورٹس"]),
    ("ذرائع کے مطابق 15 ارکان نے استعفیٰ دے دیا۔", ["ذرائع"]),
    ("عالمی بینک کی رپورٹ کے مطابق 40 فیصد آبادی غریب ہے۔", ["عالمی بینک"]),
    ("ریسکیو حکام کا کہنا ہے کہ 25 افراد کو بچا لیا گیا۔", ["ریسکیو حکام"]),
    ("وزیر داخلہ کا کہنا تھا کہ 200 مشتبہ افراد حراست میں ہیں۔", ["وزیر داخلہ"]),
    ("ڈپٹی کمشنر نے بتایا کہ 30 دیہات زیر آب آ گئے۔", ["ڈپٹی کمشنر"]),
    ("وزیر اعظم نے کہا کہ 10 لاکھ نوجوانوں کو قرض دیا جائے گا۔", ["وزیر اعظم"]),
    ("تنظیم نے دعویٰ کیا کہ اس کے 100 کارکن لاپتہ ہیں۔", ["تنظیم"]),
    ("بقول وزیر خزانہ 3 ارب ڈالر کا قرض ملے گا۔", ["وزیر خزانہ"]),
    ("سیلاب کے بعد، محکمہ موسمیات نے اعلان کیا تھا کہ 4 دن بارش ہوگی۔", ["محکمہ موسمیات"]),
    ("اسکول میں 900 طلبہ زیر تعلیم ہیں۔", []),
])
def test_attribution_patterns(sentence: str, expected: list[str]) -> None:
    assert sources(one(sentence)) == expected


def test_source_lists_are_split() -> None:
    c = one("پاکستان، چین اور روس کا کہنا ہے کہ 3 ممالک مشترکہ مشقیں کریں گے۔")
    assert sources(c) == ["پاکستان", "چین", "روس"]


def test_names_side_by_side_are_split_with_known_entities() -> None:
    text = "جنوبی کوریا یوکرین اور مغربی ممالک کا کہنا ہے کہ 10,000 فوجی بھیجے گئے۔"
    entities = [{"start": 0, "end": 11, "id": "place:kr", "type": "PLACE"},
                {"start": 12, "end": 18, "id": "place:ua", "type": "PLACE"}]
    c = one(text, entities=entities)
    assert sources(c) == ["جنوبی کوریا", "یوکرین", "مغربی ممالک"]
    assert [s.entity for s in c.sources] == ["place:kr", "place:ua", None]
    # Without entities passed, the gazetteer (or country names) finds the two names.
    assert sources(one(text)) == ["جنوبی کوریا", "یوکرین", "مغربی ممالک"]
    # With no names known at all, only ، and اور split.
    assert sources(one(text, entities=[])) == ["جنوبی کوریا یوکرین", "مغربی ممالک"]


def test_the_nearest_attribution_before_the_number_wins() -> None:
    c = one("وزارت صحت نے بتایا کہ کل رات بارش ہوئی جبکہ این ڈی ایم اے کے مطابق 14 افراد "
            "ہلاک ہوئے۔")
    assert sources(c) == ["این ڈی ایم اے"]


def test_an_attribution_after_the_number_is_used_when_none_comes_before() -> None:
    c = one("دھماکے میں 8 افراد ہلاک ہوئے، پولیس نے بتایا۔")
    assert sources(c) == ["پولیس"]


def test_estimates_and_laws_are_not_sources() -> None:
    c = one("اندازے کے مطابق 300 افراد جاں بحق ہوئے۔")
    assert (sources(c), c.approximate) == ([], True)
    assert sources(one("قانون کے مطابق 18 سال سے کم عمر افراد ووٹ نہیں دے سکتے۔")) == []


def test_titles_and_acronyms_reduce_the_source_to_its_name() -> None:
    c = one("شمالی کوریا کی سرکاری خبر رساں ایجنسی کے سی این اے نے بتایا کہ 5 میزائل داغے گئے۔")
    assert sources(c) == ["کے سی این اے"]
    c = one("پاکستان کے وزیر خارجہ اسحاق ڈار نے کہا کہ 20 معاہدوں پر دستخط ہوئے۔")
    assert sources(c) == ["اسحاق ڈار"]


def test_a_generic_word_takes_the_source_named_before() -> None:
    text = ("پاکستان کی سرکاری خبر رساں ایجنسی اے پی پی نے بتایا کہ اجلاس ختم ہو گیا۔ "
            "ایجنسی نے کہا کہ 12 قراردادیں منظور کی گئیں۔")
    [c] = find_claims(text)
    assert [(s.text, s.via) for s in c.sources] == [("اے پی پی", "ایجنسی")]


def test_pronoun_and_context() -> None:
    context = ["وزیر اعلیٰ مریم نواز نے ہسپتال کا دورہ کیا۔"]
    [c] = find_claims("انہوں نے کہا کہ 500 بستر بڑھائے جائیں گے۔", context=context)
    assert [(s.text, s.via) for s in c.sources] == [("مریم نواز", "انہوں")]


def test_find_attributions_reports_the_reported_clause() -> None:
    text = "ترجمان دفتر خارجہ نے کہا کہ مذاکرات جاری رہیں گے۔"
    [a] = find_attributions(text)
    assert (a.kind, text[a.clause_start:]) == ("speech", "مذاکرات جاری رہیں گے۔")
    assert a.speaker is not None and a.speaker.text == "ترجمان دفتر خارجہ"


# --------------------------------------------------------------------------- not claims


@pytest.mark.parametrize("sentence", [
    "اجلاس 12 نومبر 2024 کو ہوا۔",
    "1857ء کی جنگ آزادی ایک اہم واقعہ ہے۔",
    "شمالی کوریا نے پہلی بار تصدیق کی۔",
    "یہ اس کی 21ویں سالگرہ تھی۔",
    "اجلاس 10:45 پر شروع ہوا۔",
    "تقریب شام 5 بجے شروع ہوگی۔",
    "معلومات کے لیے 0300-1234567 پر رابطہ کریں۔",
    "شہر میں دفعہ 144 نافذ کر دی گئی۔",
    "ایف 16 طیاروں نے پرواز کی۔",
    "حلقہ این اے 120 میں ضمنی انتخاب ہوا۔",
    "حادثے کے بعد 1122 کی ٹیمیں موقع پر پہنچ گئیں۔",
    "2 دن پہلے سڑک بند کر دی گئی۔",
])
def test_not_claims(sentence: str) -> None:
    assert find_claims(sentence) == []


def test_genitive_ke_before_a_number_is_not_a_letter_name() -> None:
    assert one("ملک کے 500 افراد نے درخواست دی۔").value == 500


def test_claims_point_into_the_text_and_serialise() -> None:
    text = "پولیس کے مطابق تقریباً 40 افراد زخمی ہوئے۔\nحکام نے بتایا کہ 3 پل ٹوٹ گئے۔"
    claims = find_claims(text)
    assert len(claims) == 2
    for c in claims:
        assert text[c.start:c.end] == c.number_text
        assert c.text in text
        d = c.to_dict()
        assert {"text", "value", "approximate", "what", "sources"} <= set(d)
        assert all(set(s) >= {"text", "entity"} for s in d["sources"])


# --------------------------------------------------------------------------- seeds


def _by_number(claims: list[Claim], number_text: str) -> list[Claim]:
    return [c for c in claims if c.number_text == number_text]


@pytest.mark.shared
def test_seed_000_claims(shared_dir: Path, seeds_gold: dict) -> None:
    claims = find_claims(seed_article_text(shared_dir, seeds_gold, "000_c0c4beaa8fb5c965.txt"))
    [c600] = _by_number(claims, "تقریباً 600")
    assert (c600.value, c600.approximate, sources(c600)) == (600, True, ["جنوبی کوریا"])
    assert "فوجی" in (c600.what or "") and "ہلاک" in (c600.predicate or "")
    sent = [c for c in _by_number(claims, "ہزاروں") if "بھیجے" in (c.predicate or "")]
    assert len(sent) == 1
    assert (sent[0].value, sent[0].vague, sent[0].what, sources(sent[0])) == (
        None, True, "فوجی", ["رپورٹس"])
    [flights] = _by_number(claims, "2 بار")
    assert (flights.value, flights.what, flights.frequency, sources(flights)) == (
        2, "پروازیں", "week", ["روس"])
    # widget and link text are gone after cleaning; no date or ordinal became a claim
    assert not [c for c in claims if c.value in (12, 1857, 2025)]


@pytest.mark.shared
def test_seed_003_claims(shared_dir: Path, seeds_gold: dict) -> None:
    claims = find_claims(seed_article_text(shared_dir, seeds_gold, "003_d06b901110fe9704.txt"))
    [c] = _by_number(claims, "تقریبا 10,000")
    gold = next(g for g in seeds_gold["claims"] if g["doc"] == "003")
    assert (c.value, c.approximate) == (gold["value"], gold["approximate"])
    assert sources(c) == gold["according_to"]
    assert c.what == "فوجی"


# --------------------------------------------------------------------------- approximate


@pytest.mark.parametrize(("sentence", "qualifier"), [
    ("اسٹیٹ بینک کے مطابق ذخائر 10 ارب ڈالر سے تجاوز کر جائیں گے۔", "more_than"),  # after unit
    ("ایئر کوالٹی انڈیکس 600 سے تجاوز کر گیا۔", "more_than"),
    ("وفود کے درمیان مذاکرات دو گھنٹے سے بھی کم جاری رہے۔", "less_than"),
    ("ترسیلات زر 38 ارب ڈالر تک پہنچنے کی توقع ہے۔", "expected"),  # a forecast
    ("مہنگائی 5 سے 7 فیصد کے درمیان رہنے کا امکان ہے۔", "expected"),
    ("The bank said reserves would rise above $10bn.", "more_than"),
])
def test_approximate_after_the_unit_and_forecasts(sentence: str, qualifier: str) -> None:
    c = one(sentence)
    assert (c.qualifier, c.approximate) == (qualifier, True)


def test_an_expected_signing_is_not_an_estimated_number() -> None:
    c = one("دورے میں 8.5 ارب ڈالر کی یادداشتوں پر دستخط متوقع ہیں۔")
    assert (c.value, c.approximate) == (8_500_000_000, False)


def test_a_rate_cut_from_a_number_has_no_qualifier() -> None:
    claims = find_claims("شرح سود 11 فیصد سے کم کر کے 10.5 فیصد کر دی گئی۔")
    assert [(c.number_text, c.qualifier) for c in claims] == [("11 فیصد", None),
                                                             ("10.5 فیصد", None)]


def test_all_n_collectives_but_not_both() -> None:
    c = one("باجوڑ میں ہیلی کاپٹر حادثے میں عملے کے پانچوں ارکان ہلاک ہو گئے۔")
    assert (c.number_text, c.value, c.what) == ("پانچوں", 5, "ارکان")
    assert find_claims("دونوں ممالک نے معاہدے پر دستخط کیے۔") == []


def test_english_scale_suffixes() -> None:
    c = one("The board also approved $1.4bn under the new facility.")
    assert (c.number_text, c.value) == ("1.4bn", 1_400_000_000)
    assert one("The debt stood at Rs 70tn.").value == 70_000_000_000_000


# --------------------------------------------------------------------------- more sources


@pytest.mark.parametrize(("sentence", "expected"), [
    ("شہریوں نے شکایت کی کہ روزانہ 12 گھنٹے بجلی بند رہتی ہے۔", ["شہریوں"]),
    # a relative clause after the speech verb
    ("سندھ حکومت نے 25 ریلیف کیمپ قائم کرنے کا اعلان کیا ہے جس پر کام شروع ہو گیا۔",
     ["سندھ حکومت"]),
    # a title set off by commas between the name and نے
    ("رستم عمروف، یوکرین کے وزیر دفاع، نے کہا کہ 1000 قیدیوں کا تبادلہ ہوگا۔", ["رستم عمروف"]),
    ("According to the State Bank of Pakistan, reserves will reach $12bn.",
     ["the State Bank of Pakistan"]),
])
def test_more_attribution_patterns(sentence: str, expected: list[str]) -> None:
    assert sources(one(sentence)) == expected


def test_a_persian_speaker_with_a_title_in_commas() -> None:
    text = normalize("رستم عمروف، وزیر دفاع اوکراین، پس از پایان گفتگوها گفت که دو طرف بر سر "
                     "تبادل هزار اسیر جنگی توافق کرده‌اند.")
    assert {tuple(sources(c)) for c in find_claims(text)} == {("رستم عمروف",)}


def test_a_name_with_its_acronym_in_brackets_is_one_source() -> None:
    text = "نیشنل ڈیزاسٹر مینجمنٹ اتھارٹی (این ڈی ایم اے) کا کہنا ہے کہ 40 افراد جاں بحق ہوئے۔"
    entities = [{"start": 0, "end": 29, "id": "org:ndma", "type": "ORG"},
                {"start": 31, "end": 44, "id": "org:ndma", "type": "ORG"}]
    c = one(text, entities=entities)
    assert sources(c) == ["نیشنل ڈیزاسٹر مینجمنٹ اتھارٹی (این ڈی ایم اے)"]
    assert c.sources[0].entity == "org:ndma"
    # With no names known, the acronym in brackets still names the source.
    assert sources(one(text, entities=[])) == ["این ڈی ایم اے"]


def test_an_organisation_and_the_place_of_its_branch_are_one_source() -> None:
    text = "پی ڈی ایم اے پنجاب کے مطابق 64 افراد جاں بحق ہوئے۔"
    entities = [{"start": 0, "end": 12, "id": "org:pdma", "type": "ORG"},
                {"start": 13, "end": 18, "id": "place:punjab", "type": "PLACE"}]
    c = one(text, entities=entities)
    assert [(s.text, s.entity) for s in c.sources] == [("پی ڈی ایم اے پنجاب", "org:pdma")]


def test_on_behalf_of_with_an_announcement_covers_the_numbers_before_the_noun() -> None:
    text = ("اسٹیٹ بینک کی جانب سے شرح سود میں 1 فیصد کمی کے اعلان کے بعد اسٹاک مارکیٹ میں 900 "
            "پوائنٹس کا اضافہ ہوا۔")
    cut, rise = find_claims(text)
    assert (sources(cut), sources(rise)) == (["اسٹیٹ بینک"], [])
    # no announcement noun: no source
    assert sources(one("بھارت کی جانب سے 3 ڈرون حملے کیے گئے۔")) == []


def test_a_source_opening_the_next_sentence_covers_the_lead() -> None:
    text = ("سیلاب سے کم از کم 40 افراد ہلاک ہو گئے۔ ریسکیو حکام کے مطابق زیادہ تر ہلاکتیں سوات "
            "میں ہوئیں۔")
    assert sources(find_claims(text)[0]) == ["ریسکیو حکام"]
    # not across paragraphs, and not for a sentence about an agent's own act
    assert sources(find_claims(text.replace("۔ ", "۔\n", 1))[0]) == []
    text = "حکومت نے 37 ماہ کا پروگرام منظور کیا۔ ماہرین کے مطابق مہنگائی کم ہوئی۔"
    assert sources(find_claims(text)[0]) == []

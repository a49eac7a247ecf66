"""Quotes: direct quotes in quotation marks, reported speech, and their speakers."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import seed_article_text
from khabar.extract.quotes import Quote, find_quotes
from khabar.urdu.normalize import normalize


def quotes(text: str, **kwargs: object) -> list[tuple[str, str | None, str]]:
    return [(q.text, q.speaker.text if q.speaker else None, q.kind)
            for q in find_quotes(text, **kwargs)]  # type: ignore[arg-type]


# --------------------------------------------------------------------------- direct quotes


@pytest.mark.parametrize(("sentence", "inner"), [
    ("وزیر اعظم نے کہا کہ “ہم کسی دباؤ میں نہیں آئیں گے۔”", "ہم کسی دباؤ میں نہیں آئیں گے۔"),
    ("وزیر اعظم نے کہا کہ ”ہم کسی دباؤ میں نہیں آئیں گے۔“", "ہم کسی دباؤ میں نہیں آئیں گے۔"),
    ('وزیر اعظم نے کہا کہ "ہم کسی دباؤ میں نہیں آئیں گے۔"', "ہم کسی دباؤ میں نہیں آئیں گے۔"),
    ("وزیر اعظم نے کہا کہ ‘ہم کسی دباؤ میں نہیں آئیں گے’", "ہم کسی دباؤ میں نہیں آئیں گے"),
    ("وزیر اعظم نے کہا کہ ’ہم کسی دباؤ میں نہیں آئیں گے‘", "ہم کسی دباؤ میں نہیں آئیں گے"),
    ("وزیر اعظم نے کہا کہ «ہم کسی دباؤ میں نہیں آئیں گے»", "ہم کسی دباؤ میں نہیں آئیں گے"),
    ("وزیر اعظم نے کہا کہ 'ہم کسی دباؤ میں نہیں آئیں گے'", "ہم کسی دباؤ میں نہیں آئیں گے"),
])
def test_direct_quote_marks(sentence: str, inner: str) -> None:
    assert quotes(sentence) == [(inner, "وزیر اعظم", "direct")]


def test_names_and_single_words_in_quotes_are_not_quotes() -> None:
    assert quotes("ڈان نیوز نے خبر رساں ایجنسی ’اے ایف پی‘ کی رپورٹ شائع کی۔") == []
    assert quotes("روس اور یوکرین کے ’ریکارڈ‘ ڈرون حملے جاری ہیں۔") == []


def test_a_single_word_with_a_speech_verb_is_a_quote() -> None:
    assert quotes("صدر نے اس فیصلے کو ”غیر آئینی“ قرار دیا اور کہا کہ اپیل ہوگی۔")[0] == (
        "غیر آئینی", "صدر", "direct")
    assert quotes("ترجمان نے صورتحال کو ’سنگین‘ کہا۔") == [("سنگین", "ترجمان", "direct")]


def test_apostrophes_in_transliterations_are_not_quote_marks() -> None:
    assert quotes("Pakistan's مؤقف یہ ہے کہ O'Neil نے غلط بیانی کی۔") == []
    assert quotes("اس نے 'ہاں' کہا اور چلا گیا۔") == []  # one word between ' marks


def test_quotes_stay_within_a_line() -> None:
    text = 'صحافی نے "پہلا حصہ\nدوسرا حصہ" لکھا۔'
    assert [q for q in quotes(text) if q[2] == "direct"] == []


def test_speaker_after_the_quote() -> None:
    text = ('وزیر خارجہ چو سون ہوئی نے حال ہی میں ماسکو کا دورہ کیا تھا اور جنگ کو "مقدس جد و '
            'جہد" قرار دیتے ہوئے کہا تھا کہ ان کا ملک "آخری دن تک ساتھ کھڑا رہے گا۔"')
    assert quotes(text) == [("مقدس جد و جہد", "چو سون ہوئی", "direct"),
                            ("آخری دن تک ساتھ کھڑا رہے گا۔", "چو سون ہوئی", "direct")]


def test_quote_without_a_speaker() -> None:
    assert quotes("شمالی کوریا نے 'اپنے فوجی روس بھیجے'") == [
        ("اپنے فوجی روس بھیجے", None, "direct")]


def test_according_to_names_the_speaker_of_a_quote() -> None:
    assert quotes("پولیس کے مطابق ملزم نے ”میں بے گناہ ہوں“ کا نعرہ لگایا۔") == [
        ("میں بے گناہ ہوں", "پولیس", "direct")]


# --------------------------------------------------------------------------- reported speech


@pytest.mark.parametrize(("sentence", "speaker", "clause"), [
    ("وزیر خزانہ نے کہا کہ مہنگائی کم ہو رہی ہے۔", "وزیر خزانہ", "مہنگائی کم ہو رہی ہے۔"),
    ("پولیس نے بتایا کہ ملزمان فرار ہو گئے۔", "پولیس", "ملزمان فرار ہو گئے۔"),
    ("ماہرین کا کہنا ہے کہ بارشیں جاری رہیں گی۔", "ماہرین", "بارشیں جاری رہیں گی۔"),
    ("اپوزیشن لیڈر کا کہنا تھا کہ حکومت ناکام ہو چکی ہے۔", "اپوزیشن لیڈر",
     "حکومت ناکام ہو چکی ہے۔"),
    ("فوج نے دعویٰ کیا کہ علاقہ کلیئر کرا لیا گیا ہے۔", "فوج", "علاقہ کلیئر کرا لیا گیا ہے۔"),
    ("عدالت نے صحافیوں کو بتایا کہ سماعت ملتوی کر دی گئی۔", "عدالت",
     "سماعت ملتوی کر دی گئی۔"),
    ("روسی وزارت خارجہ کی جانب سے جاری بیان میں کہا گیا کہ مذاکرات مثبت رہے۔",
     "روسی وزارت خارجہ", "مذاکرات مثبت رہے۔"),
])
def test_reported_speech(sentence: str, speaker: str, clause: str) -> None:
    assert quotes(sentence) == [(clause, speaker, "reported")]


def test_nested_reported_speech_keeps_the_inner_speaker() -> None:
    text = ("ٹاس نے رپورٹ کیا ہے کہ سرگئی لاوروف نے کم جونگ اُن کو بتایا کہ صدر پیوٹن رابطے "
            "جاری رکھنا چاہتے ہیں۔")
    assert quotes(text) == [("صدر پیوٹن رابطے جاری رکھنا چاہتے ہیں۔", "سرگئی لاوروف",
                             "reported")]


def test_two_reported_clauses_of_one_subject() -> None:
    text = ("شمالی کوریا نے اپریل میں تصدیق کی تھی کہ اس نے فوجی بھیجے ہیں، اور یہ بھی تسلیم کیا "
            "تھا کہ اس کے کچھ فوجی ہلاک ہو چکے ہیں۔")
    assert quotes(text) == [("اس نے فوجی بھیجے ہیں", "شمالی کوریا", "reported"),
                            ("اس کے کچھ فوجی ہلاک ہو چکے ہیں۔", "شمالی کوریا", "reported")]


def test_a_reported_clause_holding_a_direct_quote_gives_only_the_direct_quote() -> None:
    text = 'ایجنسی اے پی پی نے بتایا کہ وزیر اعظم کے "حکم پر کمیٹی بنا دی گئی ہے۔"'
    assert quotes(text) == [("حکم پر کمیٹی بنا دی گئی ہے۔", "اے پی پی", "direct")]


# --------------------------------------------------------------------------- speakers


def test_titles_and_acronyms() -> None:
    assert quotes("پاکستان کے وزیر خارجہ اسحاق ڈار نے کہا کہ مذاکرات جاری رہیں گے۔")[0][1] == (
        "اسحاق ڈار")
    assert quotes("سرکاری خبر رساں ادارے کے سی این اے نے بتایا کہ اجلاس ختم ہو گیا۔")[0][1] == (
        "کے سی این اے")


def test_generic_words_take_the_name_used_before() -> None:
    text = ('سرکاری خبر رساں ایجنسی کے سی این اے نے بتایا کہ "معاہدے کی توثیق ہو گئی ہے۔"\n'
            'ایجنسی نے کہا کہ "معاہدہ فوری طور پر نافذ ہو گا۔"')
    found = find_quotes(text)
    assert [(q.text, q.speaker.text if q.speaker else None) for q in found] == [
        ("معاہدے کی توثیق ہو گئی ہے۔", "کے سی این اے"),
        ("معاہدہ فوری طور پر نافذ ہو گا۔", "کے سی این اے")]
    assert found[1].speaker is not None and found[1].speaker.via == "ایجنسی"


def test_pronouns_take_the_latest_agent_also_from_context() -> None:
    text = "وزیر اعلیٰ مریم نواز نے ہسپتال کا دورہ کیا۔ انہوں نے کہا کہ سہولیات بہتر ہوں گی۔"
    [q] = find_quotes(text)
    assert (q.speaker.text, q.speaker.via) == ("مریم نواز", "انہوں")  # type: ignore[union-attr]
    [q] = find_quotes("انہوں نے کہا کہ سہولیات بہتر ہوں گی۔",
                      context=["وزیر اعلیٰ مریم نواز نے ہسپتال کا دورہ کیا۔"])
    assert q.speaker is not None and q.speaker.text == "مریم نواز"


def test_a_statement_takes_its_issuer() -> None:
    text = ("کے سی این اے نے جاری بیان میں کہا کہ تعلقات مضبوط ہو رہے ہیں۔ "
            "بیان میں مزید کہا گیا کہ تعاون جاری رہے گا۔")
    assert quotes(text) == [("تعلقات مضبوط ہو رہے ہیں۔", "کے سی این اے", "reported"),
                            ("تعاون جاری رہے گا۔", "کے سی این اے", "reported")]


def test_entities_passed_in_name_the_speaker() -> None:
    text = "نیٹو کے سربراہ نے کہا کہ اتحاد متحد ہے۔"
    [q] = find_quotes(text, entities=[{"start": 0, "end": 4, "id": "org:nato", "type": "ORG"}])
    assert q.speaker is not None and q.speaker.text == "نیٹو کے سربراہ"
    assert q.speaker.entity is None


def test_quotes_point_into_the_text_and_serialise() -> None:
    text = 'مشیر نے کہا کہ "ہم تیار ہیں۔"\nوزیر نے بتایا کہ کام جاری ہے۔'
    found = find_quotes(text)
    assert len(found) == 2
    for q in found:
        assert isinstance(q, Quote) and text[q.start:q.end] == q.text
        d = q.to_dict()
        assert d["speaker"] is not None and {"text", "entity"} <= set(d["speaker"])


# --------------------------------------------------------------------------- seeds


@pytest.mark.shared
def test_seed_003_quotes(shared_dir: Path, seeds_gold: dict) -> None:
    found = find_quotes(seed_article_text(shared_dir, seeds_gold, "003_d06b901110fe9704.txt"))
    by_text = {q.text: q for q in found}
    for gold in (g for g in seeds_gold["quotes"] if g["doc"] == "003"):
        q = by_text[gold["text"]]
        assert q.kind == "direct"
        assert q.speaker is not None
        # gold writes the agency resolved through "ایجنسی" as "کے سی این اے (ایجنسی)"
        assert q.speaker.text == gold["speaker"].split(" (")[0]
    assert by_text["معاہدہ اس دن سے نافذ العمل ہو گا جب سے دونوں فریقوں نے توثیق کی دستاویزات کا "
                   "تبادلہ کیا۔"].speaker.via == "ایجنسی"  # type: ignore[union-attr]
    # the next quote in Choe Son Hui's sentence is hers too
    [next_quote] = [q for q in found if q.text.startswith("جیت کے دن تک")]
    assert next_quote.speaker is not None and next_quote.speaker.text == "چو سون ہوئی"


@pytest.mark.shared
def test_seed_000_quotes(shared_dir: Path, seeds_gold: dict) -> None:
    found = find_quotes(seed_article_text(shared_dir, seeds_gold, "000_c0c4beaa8fb5c965.txt"))
    speakers = {q.text: q.speaker.text if q.speaker else None for q in found}
    assert speakers["ناقابلِ تسخیر اتحاد"] == "کے سی این اے"
    assert "’اے ایف پی‘" not in speakers and "اے ایف پی" not in speakers
    reported = {q.speaker.text for q in found if q.kind == "reported" and q.speaker}
    assert {"ماسکو", "ٹاس", "سرگئی لاوروف"} <= reported


def test_a_statement_issued_from_an_office() -> None:
    text = ("وزیر اعظم شہباز شریف کے دفتر سے جاری ایک بیان میں کہا گیا کہ “حکومت عوام کو ریلیف "
            "دے گی۔”")
    [q] = find_quotes(text)
    assert (q.text, q.speaker.text if q.speaker else None) == (
        "حکومت عوام کو ریلیف دے گی۔", "شہباز شریف کے دفتر")


def test_persian_and_english_speakers() -> None:
    [q] = find_quotes(normalize("ولادیمیر مدینسکی، رئیس هیئت روسی، گفت: «ما آماده ادامه گفتگو "
                                "هستیم.»"))
    assert q.speaker is not None and q.speaker.text == "ولادیمیر مدینسکی"
    [q] = find_quotes('Finance Minister Muhammad Aurangzeb said the decision showed "continued '
                      'confidence in the reform agenda".')
    assert q.speaker is not None and q.speaker.text.endswith("Muhammad Aurangzeb")


def test_a_known_name_that_opens_with_ke_keeps_it() -> None:
    """کے opens the name of K-Electric: it is not the genitive before the speaker."""
    text = "کے الیکٹرک نے اعلان کیا ہے کہ گرمی میں لوڈشیڈنگ کا دورانیہ کم کیا جائے گا۔"
    mentions = [{"start": 0, "end": 10, "id": "org:k-electric", "type": "ORG"}]
    quote = find_quotes(text, mentions)[0]
    assert (quote.speaker.text, quote.speaker.entity) == ("کے الیکٹرک", "org:k-electric")

"""Sentences and tokens (khabar.urdu.segment)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.urdu.segment import Token, sentence_spans, sentences, tokenize

# --------------------------------------------------------------------------- sentences


def test_urdu_full_stop_question_and_exclamation() -> None:
    text = "اجلاس ختم ہو گیا۔ اب کیا ہوگا؟ کچھ نہیں! Who knows? Nobody."
    assert sentences(text) == ["اجلاس ختم ہو گیا۔", "اب کیا ہوگا؟", "کچھ نہیں!", "Who knows?",
                               "Nobody."]


def test_newlines_end_sentences_and_blank_lines_vanish() -> None:
    text = "شمالی کوریا کی فوجی معاونت\n\nرپورٹس کے مطابق فوجی بھیجے گئے۔\r\nدوسری سطر"
    assert sentences(text) == ["شمالی کوریا کی فوجی معاونت", "رپورٹس کے مطابق فوجی بھیجے گئے۔",
                               "دوسری سطر"]


def test_closing_quote_stays_with_its_sentence() -> None:
    text = 'ترجمان نے بتایا کہ "معاہدے کی توثیق کر دی گئی ہے۔" اس کے بعد اجلاس ختم ہوا۔'
    assert sentences(text) == ['ترجمان نے بتایا کہ "معاہدے کی توثیق کر دی گئی ہے۔"',
                               "اس کے بعد اجلاس ختم ہوا۔"]
    curly = "انہوں نے کہا: “ہم تیار ہیں۔” پھر وہ چلے گئے۔"
    assert sentences(curly) == ["انہوں نے کہا: “ہم تیار ہیں۔”", "پھر وہ چلے گئے۔"]
    bracket = "یہ فیصلہ عدالت نے سنایا۔ (رپورٹ: اے پی پی۔) اگلی سماعت کل ہوگی۔"
    assert sentences(bracket)[1] == "(رپورٹ: اے پی پی۔)"


def test_a_quotation_of_several_sentences_stays_whole() -> None:
    text = 'وزیر نے کہا "ہم جیتیں گے۔ ہم پیچھے نہیں ہٹیں گے۔" اجلاس میں تالیاں بجیں۔'
    assert sentences(text) == ['وزیر نے کہا "ہم جیتیں گے۔ ہم پیچھے نہیں ہٹیں گے۔"',
                               "اجلاس میں تالیاں بجیں۔"]
    # An opening quote that never closes does not swallow the line.
    assert len(sentences('اس نے کہا "ہم آئیں گے۔ پھر دیکھیں گے۔')) == 2


def test_right_to_left_single_quotes() -> None:
    text = "دونوں ممالک کا اتحاد ’ناقابلِ تسخیر‘ ہے۔ اجلاس ختم ہوا۔"
    assert sentences(text) == ["دونوں ممالک کا اتحاد ’ناقابلِ تسخیر‘ ہے۔", "اجلاس ختم ہوا۔"]


def test_decimals_are_not_sentence_ends() -> None:
    text = "شرح سود 3.5 فیصد رہی۔ مہنگائی 12۔5 فیصد پر آ گئی۔ قیمت ٣٫٥ ڈالر ہے۔"
    assert sentences(text) == ["شرح سود 3.5 فیصد رہی۔", "مہنگائی 12۔5 فیصد پر آ گئی۔",
                               "قیمت ٣٫٥ ڈالر ہے۔"]


def test_acronyms_written_with_urdu_stops() -> None:
    text = "پی۔ٹی۔آئی نے جلسے کا اعلان کیا۔ ایم۔ این۔ اے احمد علی نے خطاب کیا۔"
    assert sentences(text) == ["پی۔ٹی۔آئی نے جلسے کا اعلان کیا۔",
                               "ایم۔ این۔ اے احمد علی نے خطاب کیا۔"]


def test_latin_full_stop_rules() -> None:
    text = "Dr. Smith met J. Brown in the U.S. on Monday. They agreed. Rs. 500 was paid."
    assert sentences(text) == ["Dr. Smith met J. Brown in the U.S. on Monday.", "They agreed.",
                               "Rs. 500 was paid."]
    # Urdu written with a Latin full stop still splits before the next Urdu word.
    assert sentences("ملاقات ہوئی. اس کے بعد بیان جاری ہوا.") == ["ملاقات ہوئی.",
                                                                "اس کے بعد بیان جاری ہوا."]
    assert sentences("تاریخ 12.11.2024 مقرر ہے") == ["تاریخ 12.11.2024 مقرر ہے"]


def test_glued_urdu_full_stop_splits_but_url_question_mark_does_not() -> None:
    assert sentences("اجلاس ختم ہوا۔اگلا اجلاس کل ہوگا۔") == ["اجلاس ختم ہوا۔",
                                                            "اگلا اجلاس کل ہوگا۔"]
    assert sentences("visit https://example.com/a?id=5 now") == [
        "visit https://example.com/a?id=5 now"]


def test_sentence_spans_are_offsets_into_the_text() -> None:
    text = "  پہلا جملہ۔  دوسرا جملہ؟\nتیسرا"
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["پہلا جملہ۔", "دوسرا جملہ؟", "تیسرا"]


@pytest.mark.shared
def test_seed_quote_sentences(shared_dir: Path) -> None:
    lines = (shared_dir / "seeds" / "003_d06b901110fe9704.txt").read_text(
        encoding="utf-8").splitlines()
    found = sentences(lines[5])  # line 6 ends in ۔" and is one sentence
    assert len(found) == 1 and found[0].endswith('ہے۔"')
    widget = (shared_dir / "seeds" / "000_c0c4beaa8fb5c965.txt").read_text(
        encoding="utf-8").splitlines()[120]  # line 121: two sentences, "1-2" inside
    parts = sentences(widget)
    assert len(parts) == 2 and "1-2" in parts[1]


# --------------------------------------------------------------------------- tokens


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.text, t.kind) for t in tokenize(text)]


def test_numbers_are_kept_whole() -> None:
    assert kinds("10,000 افراد اور 1,00,000 روپے") == [
        ("10,000", "number"), ("افراد", "word"), ("اور", "word"), ("1,00,000", "number"),
        ("روپے", "word")]
    assert kinds("1.2 ارب، ۱۲ نومبر، ٣٤ اور ٣٫٥") == [
        ("1.2", "number"), ("ارب", "word"), ("،", "punct"), ("۱۲", "number"),
        ("نومبر", "word"), ("،", "punct"), ("٣٤", "number"), ("اور", "word"), ("٣٫٥", "number")]
    assert kinds("1,234,567 اور ١٢٬٠٠٠") == [("1,234,567", "number"), ("اور", "word"),
                                             ("١٢٬٠٠٠", "number")]


def test_year_mark_is_part_of_the_number() -> None:
    assert kinds("1857ء کی جنگ اور 1446ھ") == [("1857ء", "number"), ("کی", "word"),
                                                ("جنگ", "word"), ("اور", "word"),
                                                ("1446ھ", "number")]


def test_ranges_percent_and_glued_dates() -> None:
    assert kinds("1-2 منٹ") == [("1", "number"), ("-", "punct"), ("2", "number"),
                                ("منٹ", "word")]
    assert kinds("25% اضافہ") == [("25", "number"), ("%", "punct"), ("اضافہ", "word")]
    assert kinds("12 نومبر 2024شمالی کوریا") == [("12", "number"), ("نومبر", "word"),
                                                  ("2024", "number"), ("شمالی", "word"),
                                                  ("کوریا", "word")]
    assert kinds("12.11.2024") == [("12", "number"), (".", "punct"), ("11", "number"),
                                   (".", "punct"), ("2024", "number")]


def test_words_keep_diacritics_and_zwnj() -> None:
    assert kinds("کِم جونگ اُن") == [("کِم", "word"), ("جونگ", "word"), ("اُن", "word")]
    assert kinds("می\u200cشود") == [("می\u200cشود", "word")]
    # a zero-width character between words is not a word
    assert kinds("پاکستان\u200b ہاکی\u200c") == [("پاکستان", "word"), ("ہاکی", "word")]


def test_latin_and_symbols() -> None:
    assert kinds("Pakistan’s G7 COVID-19 ...!! ﷺ $") == [
        ("Pakistan’s", "latin"), ("G7", "latin"), ("COVID", "latin"), ("-", "punct"),
        ("19", "number"), ("...", "punct"), ("!!", "punct"), ("ﷺ", "word"), ("$", "symbol")]


def test_offsets_point_into_the_original_string() -> None:
    text = "\ufeffوزیرِ\u200cاعظم  نے 10,000 روپے دیے۔"
    for token in tokenize(text):
        assert text[token.start:token.end] == token.text
    assert isinstance(tokenize("ایک")[0], Token)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(
    "ابپتٹثجچکگلمنںوہھیےۓءًٌٍَُِّْ\u200c\u200d ۔؟!?.,،٬٫\"'’‘“”()0123456789۰۱۲۳٣٤٥abcXYZ-%\n")),
    max_size=120))
def test_tokens_and_sentences_tile_the_text(text: str) -> None:
    position = 0
    for token in tokenize(text):
        assert token.start >= position and token.end > token.start
        assert text[token.start:token.end] == token.text
        position = token.end
    position = 0
    for start, end in sentence_spans(text):
        assert start >= position and end > start
        assert text[start:end] == text[start:end].strip()
        position = end
    # nothing but whitespace is lost between sentences
    covered = "".join(text[a:b] for a, b in sentence_spans(text))
    assert "".join(covered.split()) == "".join(text.split())

"""Scripts and language identification (khabar.urdu.script)."""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.urdu.script import LanguageGuess, identify_language, script_of

DATA = Path(__file__).parent / "data" / "lang_lines.tsv"
LANGS = {"ur", "pa", "fa", "ar", "sd", "ps", "en", "other", "unknown"}
SCRIPTS = {"arabic", "latin", "mixed", "digits", "other", "none"}


def labelled_lines() -> list[tuple[str, str]]:
    rows = []
    for raw in DATA.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            lang, line = raw.split("\t", 1)
            rows.append((lang, line))
    return rows


# --------------------------------------------------------------------------- script_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("پاکستان میں بارش کا امکان", "arabic"),
        ("ﭘﺎﮐﺴﺘﺎﻥ ﮐﯽ ﺧﺒﺮﯾﮟ", "arabic"),  # presentation forms are Arabic script
        ("كراچي ميں بارش", "arabic"),
        ("Back to top button", "latin"),
        ("Share on فیس بک", "mixed"),
        ("یہ بھی پڑھیں: Imran Khan", "mixed"),
        ("PTI کی حکومت نے بجٹ پیش کر دیا ہے اور اس پر بحث جاری ہے", "arabic"),  # 3 of 45 letters
        ("08:45", "digits"),
        ("۱۲ / ١٢", "digits"),
        ("...", "none"),
        ("", "none"),
        ("प्रधानमंत्री ने संबोधित किया", "other"),
    ],
)
def test_script_of(text: str, expected: str) -> None:
    assert script_of(text) == expected


def test_script_of_counts_zero_width_and_diacritics_as_nothing() -> None:
    assert script_of("\u200c\u200d\u064e\u0650") == "none"
    assert script_of("کِم جونگ اُن\u200c") == "arabic"


# --------------------------------------------------------------------------- labelled lines


def test_labelled_lines_accuracy() -> None:
    rows = labelled_lines()
    assert len(rows) >= 200
    per_lang: Counter[str] = Counter()
    right: Counter[str] = Counter()
    wrong = []
    for lang, line in rows:
        per_lang[lang] += 1
        guess = identify_language(line)
        if guess.lang == lang:
            right[lang] += 1
        else:
            wrong.append((lang, guess.lang, line))
    accuracy = sum(right.values()) / len(rows)
    assert accuracy >= 0.97, wrong
    for lang, total in per_lang.items():
        assert right[lang] / total >= 0.85, (lang, [w for w in wrong if w[0] == lang])
    # The lines of khabar's own language must be (nearly) all right.
    assert right["ur"] / per_lang["ur"] >= 0.99, [w for w in wrong if w[0] == "ur"]


@pytest.mark.parametrize(
    ("line", "lang"),
    [
        ("Share on Facebook", "en"),
        ("یہ بھی پڑھیں:", "ur"),
        ("مزید پڑھیں", "ur"),
        ("شمالی کوریا کی فوجی معاونت", "ur"),
        ("ناقابلِ تسخیر اتحاد", "ur"),  # no evidence at all: Urdu is assumed
        ("بین الاقوامی", "ur"),
        ("این سیاست از سوی دولت اعلام شده است و اجرا می‌شود", "fa"),
        ("وزیر خارجه گفت که مذاکرات ادامه دارد", "fa"),
        ("قال المتحدث باسم الحكومة إن الوضع تحت السيطرة", "ar"),
        ("اوہناں دسیا کہ ساڈے پنڈ وچ سکول نہیں", "pa"),
        ("سنڌ ۾ مينهن جو امڪان آهي", "sd"),
        ("د کابل په ښار کې باران وشو", "ps"),
        ("كراچي ميں شديد بارش كے بعد نظام زندگي مفلوج", "ur"),  # Arabic code points
        ("وزیرِ اعظم نے اِجلاس طَلب کر لِیا", "ur"),  # diacritics
        ("وزیر\u200cاعظم نے اجلاس\u200d طلب کر لیا", "ur"),  # zero-width characters
        ("Karachi Kings نے میچ جیت لیا", "ur"),
        ("Follow us on فیس بک", "en"),
    ],
)
def test_short_lines(line: str, lang: str) -> None:
    assert identify_language(line).lang == lang


def test_reason_names_the_evidence() -> None:
    guess = identify_language("پولیس کے مطابق ملزم فرار ہو گیا ہے")
    assert guess.lang == "ur"
    assert guess.reason.startswith("Urdu:")
    assert "کے" in guess.reason and "letters" in guess.reason
    persian = identify_language("این خبر در رسانه‌ها منتشر شده است")
    assert persian.lang == "fa" and "است" in persian.reason
    english = identify_language("Leave a Reply")
    assert english.lang == "en" and "English" in english.reason


def test_no_letters_is_unknown_with_a_reason() -> None:
    for text in ("08:45", "۱۲-۱۱-۲۰۲۴", "***", "", "   "):
        guess = identify_language(text)
        assert guess.lang == "unknown"
        assert guess.confidence == 0.0
        assert "letter" in guess.reason
    assert identify_language("12/11/2024").script == "digits"


def test_initials_alone_are_too_little_text() -> None:
    guess = identify_language("ع ر / م م")
    assert guess.lang == "unknown"
    assert "single letters" in guess.reason


def test_roman_urdu_is_urdu_in_latin_script() -> None:
    guess = identify_language("mujhe yeh khabar bohat achi lagi hai")
    assert guess.lang == "ur"
    assert guess.script == "latin"
    assert "Roman Urdu" in guess.reason


def test_other_latin_languages_and_scripts() -> None:
    assert identify_language("Lire la suite de cet article sur le site").lang == "other"
    assert identify_language("Julia de Souza").lang == "en"  # a name, not Spanish
    guess = identify_language("प्रधानमंत्री ने संबोधित किया")
    assert guess.lang == "other" and "Devanagari" in guess.reason
    kurdish = identify_language("ئەم هەواڵە لە ماڵپەڕی کوردی بڵاوکرایەوە")
    assert kurdish.lang == "other"


def test_one_foreign_word_counts_when_pycld2_agrees() -> None:
    pytest.importorskip("pycld2")
    assert identify_language("Partager sur Facebook").lang == "other"


def test_confidence_reflects_evidence() -> None:
    strong = identify_language("حکومت نے کہا ہے کہ اجلاس کل ہوگا اور اس میں فیصلے کیے جائیں گے")
    weak = identify_language("ناقابلِ تسخیر اتحاد")
    assert strong.confidence > 0.95
    assert weak.confidence < 0.5
    for lang, line in labelled_lines()[:60]:
        assert 0.0 <= identify_language(line).confidence <= 1.0, (lang, line)


def test_long_text_is_read() -> None:
    paragraph = "وزیراعظم نے کہا کہ ملک کی معیشت بہتر ہو رہی ہے۔ " * 200
    assert identify_language(paragraph).lang == "ur"
    assert identify_language("The government said on Monday that talks would go on. " * 50).lang == "en"


def test_language_guess_is_frozen() -> None:
    guess = identify_language("یہ بھی پڑھیں")
    assert isinstance(guess, LanguageGuess)
    with pytest.raises(dataclasses.FrozenInstanceError):
        guess.lang = "fa"  # type: ignore[misc]


def test_fast_enough_for_every_line() -> None:
    lines = [f"{line} {i}" for i in range(10) for _, line in labelled_lines()]  # uncached
    started = time.perf_counter()
    for line in lines:
        identify_language(line)
    assert (time.perf_counter() - started) / len(lines) < 0.0005  # measured: ~20 µs a line


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_a_valid_guess(text: str) -> None:
    guess = identify_language(text)
    assert guess.lang in LANGS
    assert 0.0 <= guess.confidence <= 1.0
    assert guess.reason
    assert script_of(text) in SCRIPTS


# --------------------------------------------------------------------------- the seeds


@pytest.mark.shared
def test_seed_lines(shared_dir: Path, seeds_gold: dict) -> None:
    """Every Urdu line of the seeds is ur; the English chat-widget lines of seed 000 are en."""
    for name in seeds_gold["documents"]:
        lines = (shared_dir / "seeds" / name).read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            guess = identify_language(line)
            script = script_of(line)
            if script == "latin":
                assert guess.lang == "en", (name, number, line, guess)
            elif script == "digits":
                assert guess.lang == "unknown", (name, number, line, guess)
            else:
                assert guess.lang == "ur", (name, number, line, guess)
    widget = seeds_gold["documents"]["000_c0c4beaa8fb5c965.txt"]["lines"]["boilerplate"]
    widget_lines = next(v for k, v in widget.items() if k.startswith("widget"))
    lines = (shared_dir / "seeds" / "000_c0c4beaa8fb5c965.txt").read_text(
        encoding="utf-8").splitlines()
    english = [n for n in widget_lines if script_of(lines[n - 1]) == "latin"]
    assert len(english) >= 20
    assert all(identify_language(lines[n - 1]).lang == "en" for n in english)

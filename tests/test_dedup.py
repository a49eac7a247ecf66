"""khabar.dedup: exact, near and partial duplicates of Urdu article texts.

The articles below were written for these tests: an agency wire about a train derailment, two
independent reports of the same accident (same place, train, numbers and officials, different
wording), and an unrelated story.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.dedup import (
    BANDS,
    NEAR,
    NUM_PERM,
    PARTIAL,
    DuplicateIndex,
    Fingerprint,
    Pair,
    classify,
    find_duplicates,
    fingerprint,
    fingerprint_key,
    reuse,
    similarity,
)
from khabar.dedup import _hashing as H

WIRE = [
    "کوٹری کے قریب خیبر میل کی چار بوگیاں پٹری سے اتر گئیں، 12 مسافر زخمی",
    "حیدرآباد (این پی ڈبلیو) کوٹری جنکشن کے قریب کراچی سے لاہور جانے والی خیبر میل کی چار "
    "بوگیاں پٹری سے اتر گئیں جس کے نتیجے میں کم از کم 12 مسافر زخمی ہو گئے۔",
    "ریلوے حکام کے مطابق حادثہ منگل کی صبح تقریباً ساڑھے چھ بجے پیش آیا جب ٹرین کی رفتار "
    "معمول سے کم تھی۔",
    "ریسکیو 1122 کی ٹیموں نے موقع پر پہنچ کر زخمیوں کو لیاقت یونیورسٹی اسپتال منتقل کیا، جہاں "
    "دو کی حالت تشویشناک بتائی جاتی ہے۔",
    "ڈویژنل سپرنٹنڈنٹ ریلوے نے صحافیوں کو بتایا کہ ابتدائی تحقیقات میں پٹری کے ایک حصے کی "
    "خرابی کو حادثے کی وجہ قرار دیا گیا ہے۔",
    "وفاقی وزیر ریلوے نے واقعے کا نوٹس لیتے ہوئے تین رکنی تحقیقاتی کمیٹی تشکیل دے دی ہے جو 48 "
    "گھنٹوں میں اپنی رپورٹ پیش کرے گی۔",
    "حادثے کے بعد مرکزی ریلوے لائن پر ٹرینوں کی آمد و رفت کئی گھنٹے معطل رہی اور متعدد ٹرینیں "
    "تاخیر کا شکار ہوئیں۔",
    "مسافروں نے شکایت کی کہ امدادی کارروائیاں شروع ہونے میں ایک گھنٹے سے زیادہ وقت لگا اور "
    "زخمیوں کو نجی گاڑیوں میں اسپتال لے جایا گیا۔",
    "ریلوے انتظامیہ کا کہنا ہے کہ متاثرہ ٹریک کی مرمت کا کام جاری ہے اور شام تک ٹریفک بحال کر "
    "دی جائے گی۔",
]

# The same accident, reported independently by a newspaper (names and numbers shared).
REPORT = "\n\n".join([
    "خیبر میل حادثہ: بارہ مسافر زخمی، سندھ میں ریلوے ٹریک کی خستہ حالی پھر زیر بحث",
    "منگل کو علی الصبح کوٹری جنکشن کے نزدیک خیبر میل کو پیش آنے والے حادثے میں 12 افراد زخمی "
    "ہوئے جن میں خواتین اور بچے بھی شامل ہیں۔",
    "عینی شاہدین کا کہنا تھا کہ زوردار جھٹکے کے بعد پچھلی چار بوگیاں ایک طرف جھک گئیں اور کئی "
    "مسافر کھڑکیوں کے راستے باہر نکلے۔",
    "لیاقت یونیورسٹی اسپتال کی انتظامیہ نے تصدیق کی کہ دو زخمیوں کو انتہائی نگہداشت کے وارڈ "
    "میں رکھا گیا ہے۔",
    "ماہرین برسوں سے خبردار کرتے آ رہے ہیں کہ سندھ میں مرکزی لائن کا بڑا حصہ مرمت طلب ہے اور "
    "کئی مقامات پر رفتار کی پابندیاں عائد ہیں۔",
    "گزشتہ برس بھی اسی علاقے میں ایک مال گاڑی پٹری سے اتر گئی تھی۔",
    "وزیر ریلوے کی بنائی گئی کمیٹی کو دو دن میں اپنی سفارشات دینی ہیں۔",
    "شہری تنظیموں نے مطالبہ کیا ہے کہ ٹریک کی مکمل بحالی کے لیے فوری طور پر فنڈز جاری کیے "
    "جائیں۔",
])

# The same accident on a TV channel's site: short, with its own wording.
TV_ITEM = "\n\n".join([
    "کوٹری: ٹرین کی بوگیاں الٹنے سے درجن بھر مسافر زخمی",
    "کراچی سے روانہ ہونے والی خیبر میل منگل کی صبح کوٹری جنکشن کے پاس حادثے کا شکار ہو گئی۔",
    "ہمارے نمائندے کے مطابق زخمیوں کی تعداد 12 ہے اور انہیں حیدرآباد کے لیاقت یونیورسٹی "
    "اسپتال پہنچا دیا گیا ہے۔",
    "وفاقی وزیر ریلوے نے 48 گھنٹے میں تحقیقاتی رپورٹ طلب کر لی ہے جبکہ اپ لائن پر ٹرینوں کی "
    "آمد و رفت جزوی طور پر بحال کر دی گئی ہے۔",
])

UNRELATED = "\n\n".join([
    "لاہور میں کتاب میلہ شروع، پہلے روز ہزاروں افراد کی آمد",
    "ایکسپو سینٹر لاہور میں پانچ روزہ کتاب میلے کا افتتاح جمعرات کو ہوا جس میں ملک بھر سے 200 "
    "سے زائد ناشرین شریک ہیں۔",
    "منتظمین کے مطابق اس سال بچوں کی کتابوں اور اردو ادب کے نئے تراجم کے لیے الگ ہال مخصوص کیا "
    "گیا ہے۔",
    "میلے میں روزانہ شام کو مشاعرہ اور کتابوں کی رونمائی کی تقریبات بھی ہوں گی۔",
    "طلبہ کو تمام کتابوں پر 50 فیصد تک رعایت دی جا رہی ہے۔",
])

WIRE_TEXT = "\n\n".join(WIRE)


def _arabic(text: str) -> str:
    """As typed on an Arabic keyboard: Arabic kaf and yeh (alef maksura at word ends)."""
    out = text.replace("ک", "ك").replace("ی ", "ى ").replace("ی", "ي")
    return out


def test_exact_copy_with_spacing_diacritics_arabic_letters_and_joined_words() -> None:
    variants = [
        WIRE_TEXT.replace("\n\n", "\n").replace("، ", " ،  "),
        WIRE_TEXT.replace("گئیں", "گَئیں").replace("مسافر", "مُسافِر").replace("حادثہ", "حادِثہ"),
        _arabic(WIRE_TEXT),
        WIRE_TEXT.replace("ہو گئے", "ہوگئے").replace("دے دی", "دےدی")
        .replace("کر دی", "کردی").replace("پہنچ کر", "پہنچکر"),
        "  " + WIRE_TEXT.replace("12", "۱۲").replace("48", "۴۸") + "\n",
    ]
    original = fingerprint(WIRE_TEXT)
    for variant in variants:
        assert variant != WIRE_TEXT
        assert classify(original, fingerprint(variant)) == ("exact", 1.0), variant[:80]


def test_changed_paragraph_is_near() -> None:
    changed = list(WIRE)
    changed[5] = ("وزیر اعظم نے بھی حادثے پر افسوس کا اظہار کیا اور زخمیوں کو بہترین طبی سہولیات "
                  "فراہم کرنے کی ہدایت کی۔")
    found = classify(fingerprint(WIRE_TEXT), fingerprint("\n\n".join(changed)))
    assert found is not None and found[0] == "near" and found[1] >= NEAR


def test_appended_chrome_and_small_edits_are_near() -> None:
    page = "\n\n".join([
        WIRE[0].replace("12 مسافر", "بارہ مسافر"),
        *WIRE[1:],
        "Share on Facebook",
        "واٹس ایپ پر شیئر کریں",
        "یہ بھی پڑھیں: کراچی میں بارش کے بعد کئی علاقوں میں بجلی غائب",
        "تازہ ترین خبروں کے لیے ہمارا چینل فالو کریں",
    ])
    found = classify(fingerprint(WIRE_TEXT), fingerprint(page))
    assert found is not None and found[0] == "near" and found[1] >= 0.75


def test_newspaper_rewrite_of_the_wire_is_partial() -> None:
    """Half of the wire's sentences (one lightly edited) inside the paper's own reporting."""
    paper = "\n\n".join([
        "خیبر میل کے مسافروں پر کیا گزری؟",
        WIRE[1].replace("حیدرآباد (این پی ڈبلیو) ", ""),
        REPORT.split("\n\n")[2],
        WIRE[3],
        WIRE[4].replace("صحافیوں کو ", ""),
        REPORT.split("\n\n")[4],
        WIRE[7],
        "مقامی شہریوں نے بتایا کہ اس سیکشن پر ٹرینیں اکثر تاخیر سے پہنچتی ہیں اور پٹری کی "
        "حالت برسوں سے خراب ہے۔",
    ])
    wire, rewrite = fingerprint(WIRE_TEXT), fingerprint(paper)
    assert similarity(wire, rewrite) < NEAR
    found = classify(wire, rewrite)
    assert found is not None and found[0] == "partial"
    assert found[1] == reuse(wire, rewrite) >= PARTIAL


def test_independent_reports_of_the_same_event_are_not_duplicates() -> None:
    texts = [WIRE_TEXT, REPORT, TV_ITEM, UNRELATED]
    fps = [fingerprint(t) for t in texts]
    for i in range(len(fps)):
        for j in range(i + 1, len(fps)):
            assert classify(fps[i], fps[j]) is None, (i, j)
            assert similarity(fps[i], fps[j]) < 0.3
            assert reuse(fps[i], fps[j]) < 0.15


def test_a_brief_lifted_from_a_longer_report_is_partial() -> None:
    brief = "\n\n".join(["خیبر میل کو حادثہ", WIRE[1], WIRE[5]])
    found = classify(fingerprint(brief), fingerprint(WIRE_TEXT))
    assert found is not None and found[0] == "partial" and found[1] > 0.8


def test_empty_and_tiny_texts_are_duplicates_of_nothing() -> None:
    empty = fingerprint("")
    assert empty.length == 0 and empty.bands == [] and len(empty.passages) == 0
    assert classify(empty, fingerprint("")) is None
    assert similarity(empty, fingerprint(WIRE_TEXT)) == 0.0
    tiny = fingerprint("خبر")
    assert tiny.length == 3 and len(tiny.passages) == 0
    assert classify(tiny, fingerprint("خبر")) == ("exact", 1.0)
    assert DuplicateIndex().add("e", empty) == []


def test_similarity_estimates_the_jaccard_similarity_of_shingles() -> None:
    """The vectorised MinHash against exact Jaccard similarity of the 5-character shingles."""
    def shingles(text: str) -> set[str]:
        from khabar import key

        compact = key(text).replace(" ", "")
        return {compact[i:i + 5] for i in range(len(compact) - 4)}

    texts = [WIRE_TEXT, "\n\n".join(WIRE[:6]), "\n\n".join([*WIRE[3:], REPORT]), REPORT,
             TV_ITEM + "\n\n" + "\n\n".join(WIRE[2:5])]
    errors = []
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            a, b = shingles(texts[i]), shingles(texts[j])
            exact = len(a & b) / len(a | b)
            errors.append(similarity(fingerprint(texts[i]), fingerprint(texts[j])) - exact)
    assert max(map(abs, errors)) < 0.15  # > 3 standard errors of a 128-value MinHash
    assert abs(float(np.mean(errors))) < 0.05


def test_window_hashes_depend_only_on_the_window() -> None:
    text = "ابپتٹثجچحخابپتٹثجچحخدڈذ"
    points = H.code_points(text)
    hashes = H.window_hashes(H.prefix_sums(points), 5, 3).tolist()
    for i in range(len(text) - 4):
        for j in range(len(text) - 4):
            assert (hashes[i] == hashes[j]) == (text[i:i + 5] == text[j:j + 5])
    alone = H.window_hashes(H.prefix_sums(H.code_points(text[7:12])), 5, 3).tolist()
    assert alone == [hashes[7]]


def test_minhash_of_long_texts_is_the_minimum_over_all_chunks() -> None:
    hashes = H.mix(np.arange(3 * H._CHUNK + 17, dtype=np.uint64))
    a, b = H._permutations(NUM_PERM)
    whole = (a * (hashes >> np.uint64(32)).astype(np.uint32) + b).min(axis=1)
    assert np.array_equal(H.minhash(hashes, NUM_PERM), whole)
    assert np.array_equal(H.minhash(hashes[::-1].copy(), NUM_PERM), whole)
    long_text = " ".join([WIRE_TEXT, REPORT, TV_ITEM, UNRELATED] * 3)
    assert similarity(fingerprint(long_text), fingerprint(long_text + " " + WIRE[3])) > 0.9


@given(st.lists(st.integers(0, 2**63), min_size=1, max_size=60), st.integers(1, 20))
def test_sliding_min_matches_the_definition(values: list[int], window: int) -> None:
    array = np.array(values, dtype=np.uint64)
    if window <= len(values):
        want = [min(values[i:i + window]) for i in range(len(values) - window + 1)]
        assert H.sliding_min(array, window).tolist() == want


def test_fingerprint_round_trips_through_bytes() -> None:
    fp = fingerprint(WIRE_TEXT)
    data = fp.to_bytes()
    back = Fingerprint.from_bytes(data)
    assert back == fp and back.bands == fp.bands and len(fp.bands) == BANDS
    assert back.signature.dtype == np.uint32 and len(back.signature) == NUM_PERM
    assert back.passages.dtype == np.int64 and np.all(np.diff(back.passages) > 0)
    assert Fingerprint.from_bytes(fingerprint("").to_bytes()) == fingerprint("")
    for bad in (b"", data[:-3], b"XXXX" + data[4:], data + b"\0"):
        with pytest.raises(ValueError):
            Fingerprint.from_bytes(bad)


def test_bands_fit_sqlite_integers() -> None:
    fp = fingerprint(WIRE_TEXT)
    assert all(isinstance(b, int) and -(2**63) <= b < 2**63 for b in fp.bands)
    assert all(-(2**63) <= p < 2**63 for p in fp.passages.tolist())
    assert -(2**63) <= fp.key_hash < 2**63


# Pinned so that a change of the hashing scheme (which would orphan every fingerprint stored
# in an archive) cannot go unnoticed: change FORMAT_VERSION and this value together.
PINNED_KEY = "خیبر میل کی چار بوگیاں پٹری سے اتر گئیں 12 مسافر زخمی ہو گئے"
PINNED_SHA256 = "3af165958c397af8dfacd3c78700117dbcd0b18b5020217d5a91ddb93adca0d0"


def _fingerprint_digest(matching_key: str) -> str:
    return hashlib.sha256(fingerprint_key(matching_key).to_bytes()).hexdigest()


def test_fingerprint_is_the_same_in_every_process() -> None:
    code = ("import hashlib; from khabar.dedup import fingerprint, fingerprint_key; "
            f"print(hashlib.sha256(fingerprint({WIRE_TEXT!r}).to_bytes()).hexdigest()); "
            f"print(hashlib.sha256(fingerprint_key({PINNED_KEY!r}).to_bytes()).hexdigest())")
    here = hashlib.sha256(fingerprint(WIRE_TEXT).to_bytes()).hexdigest()
    for seed in ("0", "12345", "random"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True).stdout.split()
        assert out == [here, _fingerprint_digest(PINNED_KEY)]


def test_hashing_scheme_is_pinned() -> None:
    assert _fingerprint_digest(PINNED_KEY) == PINNED_SHA256


def test_index_reports_pairs_as_documents_arrive() -> None:
    index = DuplicateIndex()
    changed = list(WIRE)
    changed[6] = "حادثے کے باعث کراچی اور اندرون سندھ کے درمیان سفر کرنے والے ہزاروں مسافر پریشان رہے۔"
    brief = "\n\n".join(["خیبر میل کو حادثہ", WIRE[1], WIRE[5]])
    assert index.add("wire", fingerprint(WIRE_TEXT)) == []
    assert index.add("report", fingerprint(REPORT)) == []
    assert index.add("tv", fingerprint(TV_ITEM)) == []
    assert index.add("copy", fingerprint(_arabic(WIRE_TEXT))) == [Pair("wire", "copy", 1.0,
                                                                       "exact")]
    # a second exact copy pairs with the first document only
    assert index.add("copy2", fingerprint(WIRE_TEXT + " ")) == [Pair("wire", "copy2", 1.0,
                                                                      "exact")]
    near = index.add(7, fingerprint("\n\n".join(changed)))
    assert [(p.a, p.b, p.kind) for p in near] == [("wire", 7, "near")]
    partial = index.add("brief", fingerprint(brief))
    assert {(p.a, p.kind) for p in partial} == {("wire", "partial"), (7, "partial")}
    assert all(p.similarity > 0.8 for p in partial)
    assert partial[0].to_dict() == {"a": partial[0].a, "b": "brief",
                                    "similarity": round(partial[0].similarity, 4),
                                    "kind": "partial"}
    assert "brief" in index and "other" not in index
    with pytest.raises(ValueError):
        index.add("wire", fingerprint(WIRE_TEXT))


def test_find_duplicates_over_plain_texts() -> None:
    pairs = list(find_duplicates([("a", WIRE_TEXT), ("b", UNRELATED), ("c", _arabic(WIRE_TEXT)),
                                  ("d", REPORT)]))
    assert [p.to_dict() for p in pairs] == [{"a": "a", "b": "c", "similarity": 1.0,
                                             "kind": "exact"}]


URDU = "ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنںوہھءیے"
texts = st.text(alphabet=URDU + " ۔،0123456789\u064e\u0650", max_size=300)


@settings(max_examples=60, deadline=None)
@given(texts, texts)
def test_similarity_is_symmetric_and_one_on_itself(a: str, b: str) -> None:
    fa, fb = fingerprint(a), fingerprint(b)
    if fa.length:
        assert similarity(fa, fa) == 1.0
        assert reuse(fa, fa) == (1.0 if len(fa.passages) else 0.0)
        assert classify(fa, fa) == ("exact", 1.0)
    assert similarity(fa, fb) == similarity(fb, fa)
    assert reuse(fa, fb) == reuse(fb, fa)
    assert classify(fa, fb) == classify(fb, fa)
    assert 0.0 <= similarity(fa, fb) <= 1.0 and 0.0 <= reuse(fa, fb) <= 1.0
    assert Fingerprint.from_bytes(fa.to_bytes()) == fa

"""The entity gazetteer: its data files and the matcher (khabar.extract.gazetteer)."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar import resources
from khabar.extract import Gazetteer, GazetteerMatch
from khabar.urdu.normalize import key


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def ids(matches: list[GazetteerMatch]) -> list[str]:
    return [m.id for m in matches]


def only(gaz: Gazetteer, text: str, **kwargs) -> GazetteerMatch:
    matches = gaz.find(text, **kwargs)
    assert len(matches) == 1, [(m.text, m.id) for m in matches]
    return matches[0]


# ------------------------------------------------------------------------------------ data


def test_loads_thousands_of_entries_of_every_type(gaz: Gazetteer) -> None:
    assert len(gaz) >= 2000
    by_type = Counter(e.type for e in gaz.entries)
    assert by_type["PLACE"] >= 1500
    assert by_type["PERSON"] >= 400
    assert by_type["ORG"] >= 250
    assert Gazetteer.load() is gaz  # cached


def test_entries_are_well_formed(gaz: Gazetteer) -> None:
    prefix = {"PERSON": "person:", "PLACE": "place:", "ORG": "org:"}
    assert len({e.id for e in gaz.entries}) == len(gaz.entries)
    for e in gaz.entries:
        assert e.id.startswith(prefix[e.type]), e.id
        assert e.variants, e.id
        assert e.name_en and e.subtype, e.id
        assert all(key(v) for v in e.variants), e.id


def test_every_data_file_has_a_header_with_source_and_license() -> None:
    root = resources.path("gazetteer")
    files = [*root.glob("*.tsv"), *root.glob("*.txt"), *root.glob("*/*.tsv"), *root.glob("*/*.txt")]
    assert len(files) >= 12
    for path in files:
        head = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()[:8] if line.startswith("#"))
        assert head, path.name
        assert "ource" in head or "GENERATED" in head, path.name
        if "curated" in path.parts or path.parent == root:
            assert "License" in head, path.name


def test_no_key_joins_entries_of_different_types_unless_listed(gaz: Gazetteer) -> None:
    listed = {key(row[0]) for row in resources.read_tsv("gazetteer", "ambiguity.tsv")}
    types: dict[str, set[str]] = defaultdict(set)
    owners: dict[str, set[str]] = defaultdict(set)
    for e in gaz.entries:
        for v in (*e.variants, *e.short_forms):
            types[key(v)].add(e.type)
            owners[key(v)].add(e.id)
    clashes = {k: sorted(owners[k]) for k, t in types.items() if len(t) > 1 and k not in listed}
    assert not clashes


def test_ambiguity_file_names_real_entries(gaz: Gazetteer) -> None:
    for row in resources.read_tsv("gazetteer", "ambiguity.tsv"):
        assert row[1] in gaz
        assert any(e.id == row[1] for e in gaz.lookup(row[0]))


def test_ordinary_words_are_never_gazetteer_names(gaz: Gazetteer) -> None:
    for word in ["میں", "کیا", "ہے", "اور", "کے", "دنیا", "مالی", "چلی", "مسئلہ", "موبائل", "سرحد", "جنگ"]:
        assert gaz.lookup(word) == [], word


def test_countries_have_cldr_names_curated_spellings_and_demonyms(gaz: Gazetteer) -> None:
    us = gaz.entry("place:united-states")
    for name in ("امریکہ", "امریکا", "یو ایس اے", "ریاست ہائے متحدہ امریکہ"):
        assert [e.id for e in gaz.lookup(name)] == ["place:united-states"], name
    assert "امریکی" in us.get("adj").split("|")
    assert [e.id for e in gaz.lookup("یو اے ای")] == ["place:united-arab-emirates"]
    assert [e.id for e in gaz.lookup("برطانیہ")] == ["place:united-kingdom"]


def test_generated_cities_come_with_provenance(gaz: Gazetteer) -> None:
    generated = [e for e in gaz.entries if not e.curated and e.subtype == "city"]
    assert len(generated) >= 1500
    assert all(e.get("geonameid") and e.population > 0 for e in generated)
    decisions = resources.read_tsv("gazetteer", "generated", "stoplist_decisions.tsv")
    assert any(row[2] == "drop" and "ordinary Urdu word" in row[3] for row in decisions)


# ------------------------------------------------------------------------------------ matcher


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("صدر پوٹن نے ماسکو میں خطاب کیا۔", "person:vladimir-putin"),
        ("صدر پیوٹن نے ماسکو میں خطاب کیا۔", "person:vladimir-putin"),
        ("روسی فوج نے کرسک میں پیش قدمی کی۔", "place:kursk"),
        ("روسی فوج نے کورسک میں پیش قدمی کی۔", "place:kursk"),
        ("پیونگ یانگ نے میزائل تجربہ کیا۔", "place:pyongyang"),
        ("پیانگ یانگ نے میزائل تجربہ کیا۔", "place:pyongyang"),
        ("پیونگیانگ نے میزائل تجربہ کیا۔", "place:pyongyang"),
        ("وزیر خارجہ چو سون ہوئی نے دورہ کیا۔", "person:choe-son-hui"),
        ("وزیر خارجہ چوئی سن ہوئی نے دورہ کیا۔", "person:choe-son-hui"),
        ("رہنما کِم جونگ اُن نے معائنہ کیا۔", "person:kim-jong-un"),
        ("رہنما کیم جونگ اُن نے معائنہ کیا۔", "person:kim-jong-un"),
        ("رہنما کم جونگ ان نے معائنہ کیا۔", "person:kim-jong-un"),
        ("اجلاس میں صدر ٹرمپ موجود تھے۔", "person:donald-trump"),
        ("اجلاس میں ٹرامپ موجود تھے۔", "person:donald-trump"),
        ("زیلینسکی نے یورپ سے مدد مانگی۔", "person:volodymyr-zelensky"),
        ("ڈی جی خان میں سیلاب آیا۔", "place:dera-ghazi-khan"),
        ("کویٹہ میں بارش ہوئی۔", "place:quetta"),
        ("خبر رساں ادارے رائٹرز نے بتایا۔", "org:reuters"),
        ("پی سی بی نے اعلان کیا۔", "org:pcb"),
        ("جی 7 کا اجلاس ختم ہوا۔", "org:g7"),
    ],
)
def test_spelling_variants_reach_one_entry(gaz: Gazetteer, text: str, entry: str) -> None:
    assert entry in ids(gaz.find(text))


def test_offsets_point_into_the_original_text(gaz: Gazetteer) -> None:
    text = "کل شام   کِم جونگ اُن نے «پیانگ یانگ» میں اعلان کیا\nاور ماسکو خاموش رہا۔"
    matches = gaz.find(text)
    assert ids(matches) == ["person:kim-jong-un", "place:pyongyang", "place:moscow"]
    for m in matches:
        assert text[m.start : m.end] == m.text
    assert matches[0].text == "کِم جونگ اُن"  # diacritics kept in the surface text


def test_arabic_code_points_match_like_urdu_ones(gaz: Gazetteer) -> None:
    match = only(gaz, "وصل الوفد إلى كراتشي")
    assert match.id == "place:karachi"


def test_spacing_variants_join_in_both_directions(gaz: Gazetteer) -> None:
    joined = only(gaz, "ولادیمیرپوٹن نے دستخط کیے۔")
    assert (joined.id, joined.how) == ("person:vladimir-putin", "spacing")
    split = only(gaz, "سر گئی لاوروف نے کہا۔")
    assert (split.id, split.how) == ("person:sergei-lavrov", "spacing")
    exact = only(gaz, "سرگئی لاوروف نے کہا۔")
    assert exact.how == "exact"


def test_typo_in_a_long_surname_next_to_the_given_name(gaz: Gazetteer) -> None:
    match = only(gaz, "ٹاس کے مطابق سرگئی لاوروگ نے شکریہ ادا کیا۔".replace("ٹاس کے مطابق ", ""))
    assert (match.id, match.how, match.via) == ("person:sergei-lavrov", "variant", "edit")


def test_typo_alone_needs_the_person_in_the_document(gaz: Gazetteer) -> None:
    assert gaz.find("زیلنسقی نے کہا۔") == []
    text = "صدر زیلنسکی پہنچے۔ بعد میں زیلنسقی نے کہا۔"
    matches = gaz.find(text)
    assert ids(matches) == ["person:volodymyr-zelensky", "person:volodymyr-zelensky"]
    assert matches[1].via == "edit"
    # a surname with a short skeleton (لاوروف -> لرف) is corrected only next to the given name
    assert ids(gaz.find("سرگئی لاوروف پہنچے۔ بعد میں لاوروگ نے کہا۔")) == ["person:sergei-lavrov"]


def test_unlisted_transliteration_through_the_skeleton(gaz: Gazetteer) -> None:
    match = only(gaz, "یوکرائین کے صدر نے کہا۔")
    assert (match.id, match.how, match.via) == ("place:ukraine", "variant", "skeleton")


def test_short_form_needs_the_full_name_in_the_document(gaz: Gazetteer) -> None:
    assert gaz.find("لاوروف اور کم کے درمیان بات چیت ہوئی۔")[1:] == []
    text = "کم جونگ اُن نے مہمان کا استقبال کیا۔ لاوروف اور کم کے درمیان بات چیت ہوئی۔"
    matches = gaz.find(text)
    assert ids(matches) == ["person:kim-jong-un", "person:sergei-lavrov", "person:kim-jong-un"]
    assert matches[-1].via == "short_form" and matches[-1].text == "کم"
    # anchors from elsewhere in the same document do the same
    anchored = gaz.find("لاوروف اور کم کے درمیان بات چیت ہوئی۔", anchors={"person:kim-jong-un"})
    assert ids(anchored) == ["person:sergei-lavrov", "person:kim-jong-un"]


@pytest.mark.parametrize(
    "sentence",
    [
        "کم از کم دس افراد زخمی ہوئے۔",
        "درجہ حرارت معمول سے کم رہا۔",
        "قیمت پہلے سے کم ہے۔",
        "حکومت نے ٹیکس کم کر دیا۔",
        "بہت کم لوگ آئے۔",
    ],
)
def test_the_word_kam_is_not_kim_even_with_kim_in_the_document(gaz: Gazetteer, sentence: str) -> None:
    text = "کم جونگ اُن نے خطاب کیا۔ " + sentence
    assert ids(gaz.find(text)) == ["person:kim-jong-un"]


def test_similar_names_of_different_people_are_not_joined(gaz: Gazetteer) -> None:
    assert ids(gaz.find("عمران خان نے جلسے سے خطاب کیا۔")) == ["person:imran-khan"]
    # عرفان / عمران differ by one letter of the skeleton; خان is not a distinctive anchor
    assert gaz.find("عرفان خان نے جلسے سے خطاب کیا۔") == []
    assert ids(gaz.find("عمران خان اور عرفان خان ملے۔")) == ["person:imran-khan"]
    assert ids(gaz.find("عرفان صدیقی نے کہا۔")) == ["person:irfan-siddiqui"]
    # two Sharifs: the short form is not guessed when both are named
    both = gaz.find("نواز شریف اور شہباز شریف نے ملاقات کی۔")
    assert ids(both) == ["person:nawaz-sharif", "person:shehbaz-sharif"]


def test_common_words_are_never_places(gaz: Gazetteer) -> None:
    text = "میں نے کہا کہ دنیا میں مالی مسئلہ ہے اور موبائل فون کیا ہوا۔"
    assert gaz.find(text) == []


def test_demonyms_are_not_the_country_unless_asked(gaz: Gazetteer) -> None:
    text = "امریکی صدر اور روسی وزیر نے یوکرینی حکام سے ملاقات کی۔"
    assert gaz.find(text) == []
    adjectives = gaz.find(text, demonyms=True)
    assert ids(adjectives) == ["place:united-states", "place:russia", "place:ukraine"]
    assert {m.via for m in adjectives} == {"demonym"}
    # a demonym glued to a country name is not that country either
    assert gaz.find("شمالی کوریائی فوجی") == []


@pytest.mark.parametrize(
    ("text", "entry", "name"),
    [
        ("روسی وزارت خارجہ نے بیان جاری کیا۔", "org:russia-ministry-of-foreign-affairs", "Ministry of Foreign Affairs of Russia"),
        ("روسی وزرات خارجہ نے ویڈیو جاری کی۔", "org:russia-ministry-of-foreign-affairs", "Ministry of Foreign Affairs of Russia"),
        ("یوکرین کی وزارت دفاع نے تصدیق کی۔", "org:ukraine-ministry-of-defence", "Ministry of Defence of Ukraine"),
        ("چین کے وزارت تجارت نے کہا۔", "org:china-ministry-of-commerce", "Ministry of Commerce of China"),
        ("پاکستانی دفتر خارجہ کی ترجمان نے کہا۔", "org:pakistan-ministry-of-foreign-affairs", "Ministry of Foreign Affairs of Pakistan"),
        ("امریکی محکمہ خارجہ نے کہا۔", "org:us-state-department", "United States Department of State"),
    ],
)
def test_ministries_compose_with_their_country(gaz: Gazetteer, text: str, entry: str, name: str) -> None:
    match = only(gaz, text)
    assert (match.id, match.type, match.name_en) == (entry, "ORG", name)


def test_a_ministry_without_a_country_is_generic(gaz: Gazetteer) -> None:
    match = only(gaz, "وزارت خزانہ نے رپورٹ جاری کی۔")
    assert match.id == "org:ministry-of-finance"


def test_longest_match_wins(gaz: Gazetteer) -> None:
    assert ids(gaz.find("اقوام متحدہ کی سلامتی کونسل کا اجلاس ہوا۔")) == ["org:unsc"]
    assert ids(gaz.find("پاکستان تحریک انصاف کے رہنما")) == ["org:pakistan-tehreek-e-insaf"]
    assert ids(gaz.find("شمالی وزیرستان میں آپریشن")) == ["place:north-waziristan"]


def test_matches_do_not_cross_clause_punctuation(gaz: Gazetteer) -> None:
    assert ids(gaz.find("شمالی، کوریا")) == ["place:korea"]
    assert ids(gaz.find("شمالی کوریا")) == ["place:north-korea"]


def test_abbreviations_are_not_matched_inside_longer_ones(gaz: Gazetteer) -> None:
    assert ids(gaz.find("اے پی کے مطابق دھماکا ہوا۔")) == ["org:ap"]
    assert gaz.find("اے پی سی میں فیصلہ ہوا۔") == []
    assert ids(gaz.find("آئی ایس پی آر نے بتایا۔")) == ["org:ispr"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("شام کو بارش ہوئی۔", []),
        ("جمعہ کی شام اجلاس ہوا۔", []),
        ("شام میں خانہ جنگی جاری ہے۔", ["place:syria"]),
        ("بھارت نے ٹاس جیت کر بیٹنگ کا فیصلہ کیا۔", ["place:india"]),
        ("ٹاس کے مطابق مذاکرات ہوئے۔", ["org:tass"]),
        ("وہ اپنے موقف پر مصر ہیں۔", []),
        ("مصر میں انتخابات ہوئے۔", ["place:egypt"]),
        ("اس میں اس کا کوئی قصور نہیں۔", []),
        ("قصور میں ریلی نکالی گئی۔", ["place:kasur"]),
        ("کلاس روم میں طلبہ موجود تھے۔", []),
    ],
)
def test_names_that_are_also_words_are_blocked_by_context(gaz: Gazetteer, text: str, expected: list[str]) -> None:
    assert ids(gaz.find(text)) == expected


def test_same_type_ambiguity_keeps_alternatives(gaz: Gazetteer) -> None:
    match = only(gaz, "گجرات میں جلسہ ہوا۔")
    assert match.id == "place:gujrat"
    assert "place:gujarat" in match.alternatives


def test_latin_names_match_case_insensitively(gaz: Gazetteer) -> None:
    assert ids(gaz.find("(AFP) بیان")) == ["org:afp"]
    assert ids(gaz.find("the IMF said")) == ["org:imf"]
    assert gaz.find("who said that") == []


def test_empty_and_punctuation_only_text(gaz: Gazetteer) -> None:
    assert gaz.find("") == []
    assert gaz.find("۔۔۔ ، !!") == []


_NAMES = ["پاکستان", "کم جونگ اُن", "پیانگ یانگ", "روسی وزارت خارجہ", "کم", "از", "میں", "،", "۔", "شام", "کو"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_NAMES), max_size=14), st.sampled_from([" ", "  ", "\n"]))
def test_matches_are_ordered_disjoint_and_exact_slices(parts: list[str], sep: str) -> None:
    gaz = Gazetteer.load()
    text = sep.join(parts)
    matches = gaz.find(text, demonyms=True)
    last_end = 0
    for m in matches:
        assert text[m.start : m.end] == m.text
        assert m.start >= last_end
        assert m.type in ("PERSON", "PLACE", "ORG")
        assert m.how in ("exact", "spacing", "variant")
        last_end = m.end


# ------------------------------------------------------------------------------------ seeds


def test_every_gold_entity_is_found_in_the_seeds(gaz: Gazetteer, shared_dir: Path, seeds_gold: dict) -> None:
    texts = {name[:3]: (shared_dir / "seeds" / name).read_text(encoding="utf-8") for name in seeds_gold["documents"]}
    found = {doc: gaz.find(text) for doc, text in texts.items()}
    for entity in seeds_gold["entities"]:
        variant_keys = {key(v) for v in entity["variants"]}
        for doc in entity["in"]:
            hits = [m for m in found[doc] if key(m.text) in variant_keys and m.type == entity["type"]]
            assert hits, (entity["canonical"], doc)
            assert len({m.id for m in hits}) == 1, (entity["canonical"], doc, {m.id for m in hits})
        # every gold variant that occurs in a seed is matched to that same entry
        entry_ids = {m.id for doc in entity["in"] for m in found[doc] if key(m.text) in variant_keys}
        assert len(entry_ids) == 1, (entity["canonical"], entry_ids)
        seen = {key(m.text) for doc in entity["in"] for m in found[doc] if m.id in entry_ids}
        present = {k for k in variant_keys if any(f" {k} " in f" {key(texts[d])} " for d in entity["in"])}
        if entity["canonical"] != "Kim Jong Un":  # کم occurs as a word too; checked below
            assert present <= seen, (entity["canonical"], present - seen)
    kim = [m for m in found["000"] if m.text == "کم"]
    assert [m.id for m in kim] == ["person:kim-jong-un"]

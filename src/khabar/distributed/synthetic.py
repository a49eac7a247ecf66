"""A synthetic Urdu news corpus of any size, for the tests and benchmarks of scale-out.

Pages are short scraped-looking news pages (a menu, a title, a dateline, two one-sentence
paragraphs, a related link, a footer; small, so that tests over thousands of them stay fast) from a handful of invented outlets, each with its own repeated chrome.
The words come from the paragraphs of the bundled sample corpus, drawn at random into new
sentences, so that texts are Urdu (with the names, places and numbers of news) but unrelated
pages share nothing. Planted, at fixed shares and with a fixed seed:

* exact copies of an earlier page under another outlet (spacing changed),
* near copies (a few words replaced),
* partial reuse (an earlier page's first paragraph with a new second one),
* records that repeat an earlier record's id.

``synthetic_records(n)`` gives JSON Lines records (``id``, ``url``, ``outlet``, ``published``,
``text``); ``write_jsonl`` writes them.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from khabar.resources import sample_corpus

__all__ = ["synthetic_records", "write_jsonl"]

#: Shares of planted records.
EXACT, NEAR, PARTIAL, SAME_ID = 0.05, 0.05, 0.03, 0.005
_OUTLETS = ("roznama-nida", "daily-awaz", "khabar-tv", "akhbar-e-shehr", "urdu-wire",
            "nai-subh")
_CITIES = ("لاہور", "کراچی", "اسلام آباد", "پشاور", "کوئٹہ", "ملتان")
_PUNCTUATION = "۔،؟!:؛\"“”‘’'()."


@cache
def _vocabulary() -> tuple[str, ...]:
    from khabar.urdu import identify_language

    words: list[str] = []
    for path in sorted(sample_corpus().rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if identify_language(text).lang != "ur":  # the Persian and English pages
            continue
        for line in text.splitlines():
            if len(line) > 80:  # paragraphs, not chrome
                words.extend(w.strip(_PUNCTUATION) for w in line.split())
    return tuple(w for w in words if w)


#: Quantities in generated sentences stay below this (random words can make "60 ارب ارب",
#: 6 * 10**19, which no news page says).
_LARGEST = 10**15


def _plausible(sentence: str) -> bool:
    from khabar.urdu.numbers import find_numbers

    return all(abs(n.value) < _LARGEST for n in find_numbers(sentence)
               if isinstance(n.value, int | float))


def _sentence(rng: random.Random, words: int) -> str:
    while True:
        sentence = " ".join(rng.choices(_vocabulary(), k=words)) + "۔"
        if _plausible(sentence):
            return sentence


def _chrome(outlet: str) -> tuple[list[str], list[str]]:
    """The outlet's menu and footer lines (the same on each of its pages)."""
    menu = ["صفحہ اول", "پاکستان | دنیا | کھیل | کاروبار", f"{outlet} ٹی وی لائیو"]
    footer = ["ہمیں فالو کریں", f"جملہ حقوق محفوظ ہیں © {outlet}"]
    return menu, footer


def _page(rng: random.Random, outlet: str, title: str, first: str, second: str) -> str:
    menu, footer = _chrome(outlet)
    related = "یہ بھی پڑھیں: " + _sentence(rng, 6).rstrip("۔")
    return "\n".join([*menu, "", title, "", first, "", related, "", second, "", *footer]) + "\n"


def synthetic_records(count: int, seed: int = 11) -> Iterator[dict[str, Any]]:
    """``count`` JSONL records (see the module docstring), the same for the same seed."""
    rng = random.Random(seed)
    made: list[tuple[str, str, str]] = []  # title, first paragraph, second paragraph
    for n in range(count):
        outlet = _OUTLETS[rng.randrange(len(_OUTLETS))]
        record_id = f"syn-{n:07d}"
        roll = rng.random()
        if made and roll < EXACT:
            title, first, second = made[rng.randrange(len(made))]
            first = first.replace(" ", "  ", 2)  # spacing changes nothing for dedup
        elif made and roll < EXACT + NEAR:
            title, first, second = made[rng.randrange(len(made))]
            edited = second
            while edited == second or not _plausible(edited):
                words = second.split(" ")
                for _ in range(2):
                    words[rng.randrange(len(words))] = rng.choice(_vocabulary())
                edited = " ".join(words)
            second = edited
        elif made and roll < EXACT + NEAR + PARTIAL:
            title, first, _ = made[rng.randrange(len(made))]
            title = _sentence(rng, 6).rstrip("۔")
            second = _sentence(rng, 12)
        else:
            city = _CITIES[rng.randrange(len(_CITIES))]
            title = _sentence(rng, 6).rstrip("۔")
            first = f"{city}: " + _sentence(rng, 14)
            second = _sentence(rng, 12)
        if made and roll > 1 - SAME_ID:
            record_id = f"syn-{rng.randrange(n):07d}"  # a record sent twice
        made.append((title, first, second))
        day = 1 + n % 28
        yield {"id": record_id, "url": f"https://{outlet}.example/{n}", "outlet": outlet,
               "published": f"2025-{1 + (n // 28) % 12:02d}-{day:02d}",
               "text": _page(rng, outlet, title, first, second)}


def write_jsonl(path: str | Path, count: int, seed: int = 11) -> Path:
    """Write ``count`` synthetic records to ``path`` (JSON Lines); return the path."""
    target = Path(path)
    with target.open("w", encoding="utf-8") as f:
        for record in synthetic_records(count, seed):
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return target

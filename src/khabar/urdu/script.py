"""Which script a piece of text is written in, and which language.

``script_of`` counts letters by script. ``identify_language`` is a small explainable scorer
built for the *short* lines of news pages (headings, chrome, widget text), where statistical
detectors are weakest. For Arabic-script text it adds up two kinds of evidence per language:

* letters only some languages write (``resources/urdu/lang_letters.tsv``): ے ں ٹ say Urdu or
  Punjabi, ة أ say Arabic, ڪ ٿ say Sindhi, ټ ښ say Pashto, and a letter a language never writes
  counts against it;
* function words (``resources/urdu/lang_function_words.tsv``): کے ہے میں for Urdu, نوں وچ دا for
  Punjabi, است را می for Persian, في على الذي for Arabic ... matched without diacritics, and also
  after folding Arabic ك ي ه to Urdu ک ی ہ (at a lower weight), so Urdu typed with Arabic code
  points (كراچي ميں) is still Urdu.

Urdu gets a small prior: a line with no distinctive evidence at all (``ناقابلِ تسخیر اتحاد``) is
called Urdu with a low confidence. Latin-script lines are English unless Roman-Urdu or another
language's function words dominate (long lines may also ask pycld2 when it is installed).
Text is raw page text: presentation forms, diacritics and zero-width characters are fine.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from khabar.resources import read_tsv
from khabar.urdu._chars import loose_fold_table

__all__ = ["ARABIC_SCRIPT_LANGS", "LanguageGuess", "identify_language", "script_of"]

#: Languages the Arabic-script scorer chooses between ("other": Kurdish, Uyghur, Kashmiri ...).
ARABIC_SCRIPT_LANGS = ("ur", "pa", "fa", "ar", "sd", "ps", "other")

# Only this much of a long text is looked at: the answer does not change after a few lines.
_SAMPLE_CHARS = 4000
# Short lines repeat across pages (chrome, widgets), so their answers are cached.
_CACHE_MAX_LEN = 300

# Tie-breaker: khabar reads Urdu news, so featureless Arabic-script text is most likely Urdu.
_PRIOR = {"ur": 0.3, "pa": -0.5, "fa": 0.0, "ar": 0.0, "sd": 0.0, "ps": 0.0, "other": -1.0}
_FOLDED_WEIGHT = 0.6  # a function word matched only after folding Arabic ك ي ه to ک ی ہ

_ARABIC_BLOCKS = (
    (0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x089F), (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF), (0xFE70, 0xFEFF),
)
_LATIN_BLOCKS = (
    (0x0041, 0x024F), (0x0250, 0x02AF), (0x1E00, 0x1EFF), (0x2C60, 0x2C7F), (0xA720, 0xA7FF),
    (0xFF21, 0xFF5A),
)

_ARABIC_WORD = regex.compile(r"[[\p{Arabic}&&\p{L}]\u06FD\u06FE][[\p{Arabic}&&\p{L}]\p{M}\u0640]*", regex.V1)
_MARKS = regex.compile(r"[\p{M}\u0640\u200d]")
_LATIN_WORD = regex.compile(r"[\p{Latin}&&\p{L}]+(?:['’][\p{Latin}&&\p{L}]+)*", regex.V1)
_PRESENTATION = regex.compile(r"[\uFB50-\uFDCF\uFDF0-\uFDFF\uFE70-\uFEFF]")
_NON_ASCII_LATIN = regex.compile(r"[[\p{Latin}&&\p{L}]--[A-Za-z]]", regex.V1)
_AL_PREFIX = regex.compile(r"^(?:[وفب]?ال|لل)..")



@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """The language of a text: ``lang`` (ur, pa, fa, ar, sd, ps, en, other, unknown), a
    ``confidence`` in 0..1, a human-readable ``reason`` and the ``script`` (see
    :func:`script_of`). Roman Urdu is ``lang="ur"`` with ``script="latin"``."""

    lang: str
    confidence: float
    reason: str
    script: str = "none"


# --------------------------------------------------------------------------- scripts


@cache
def _class_table() -> str:
    """One class character per BMP code point: a(rabic letter) l(atin letter) o(ther letter)
    d(igit), ' ' for everything else. ``str.translate`` with it + ``str.count`` counts scripts
    without a Python loop over the text."""
    out = []
    for cp in range(0x10000):
        cat = unicodedata.category(chr(cp))
        if cat[0] == "L" or cp in (0x06FD, 0x06FE):
            if any(lo <= cp <= hi for lo, hi in _ARABIC_BLOCKS):
                out.append("a")
            elif any(lo <= cp <= hi for lo, hi in _LATIN_BLOCKS):
                out.append("l")
            else:
                out.append("o")
        elif cat == "Nd":
            out.append("d")
        else:
            out.append(" ")
    return "".join(out)


def _script_counts(text: str) -> tuple[int, int, int, int]:
    classes = text.translate(_class_table())
    return classes.count("a"), classes.count("l"), classes.count("o"), classes.count("d")


def _script_from_counts(arabic: int, latin: int, other: int, digits: int) -> str:
    total = arabic + latin + other
    if total == 0:
        return "digits" if digits else "none"
    ranked = sorted((("arabic", arabic), ("latin", latin), ("other", other)),
                    key=lambda item: item[1], reverse=True)
    minority = ranked[1][1]
    # "mixed" needs a real second script, not one stray letter or an acronym in a long line.
    if minority >= 3 and minority >= 0.25 * total:
        return "mixed"
    return ranked[0][0]


def script_of(text: str) -> str:
    """The script of ``text`` from its letter counts.

    ``"arabic"`` (Arabic-script letters, presentation forms included), ``"latin"``, ``"other"``
    (any other script), ``"mixed"`` when the second script has at least 3 letters and at least
    25% of all letters, ``"digits"`` when there are digits but no letters, ``"none"`` when there
    is neither (empty, punctuation, symbols).
    """
    return _script_from_counts(*_script_counts(text))


# --------------------------------------------------------------------------- resources


@dataclass(frozen=True, slots=True)
class _Model:
    letter_re: regex.Pattern[str] | None
    letters: dict[str, tuple[tuple[str, float], ...]]
    exact: dict[str, tuple[tuple[str, float], ...]]
    folded: dict[str, tuple[tuple[str, float], ...]]
    latin: dict[str, tuple[tuple[str, float], ...]]
    names: dict[str, str]
    presentation: dict[int, str]


def _strip_marks(word: str) -> str:
    return _MARKS.sub("", word) if _MARKS.search(word) else word


@cache
def _model() -> _Model:
    letters: dict[str, tuple[tuple[str, float], ...]] = {}
    for row in read_tsv("urdu", "lang_letters.tsv"):
        evidence = []
        for item in row[1].split():
            lang, _, weight = item.partition("=")
            evidence.append((lang, float(weight)))
        letters[row[0]] = tuple(evidence)

    exact: dict[str, dict[str, float]] = {}
    folded: dict[str, dict[str, float]] = {}
    latin: dict[str, dict[str, float]] = {}
    for row in read_tsv("urdu", "lang_function_words.tsv"):
        word, lang = row[0], row[1]
        weight = float(row[2]) if len(row) > 2 and row[2] else 1.0
        if _ARABIC_WORD.fullmatch(word):
            word = _strip_marks(word)
            exact.setdefault(word, {})[lang] = weight
            key = word.translate(loose_fold_table())
            folded[key][lang] = max(folded.setdefault(key, {}).get(lang, 0.0), weight)
        else:
            latin.setdefault(word.lower(), {})[lang] = weight

    presentation = {}
    for cp in [*range(0xFB50, 0xFDD0), *range(0xFE70, 0xFF00)]:
        decomposed = unicodedata.normalize("NFKC", chr(cp))
        if decomposed != chr(cp) and len(decomposed) <= 2:
            presentation[cp] = decomposed

    def freeze(table: dict[str, dict[str, float]]) -> dict[str, tuple[tuple[str, float], ...]]:
        return {word: tuple(langs.items()) for word, langs in table.items()}

    letter_re = regex.compile("[" + regex.escape("".join(letters)) + "]") if letters else None
    names = {row[0]: row[1] for row in read_tsv("urdu", "lang_names.tsv")}
    return _Model(letter_re, letters, freeze(exact), freeze(folded), freeze(latin), names,
                  presentation)


def _name(lang: str) -> str:
    return _model().names.get(lang, lang)


# --------------------------------------------------------------------------- scorers


def _confidence(best: float, second: float, evidence: float) -> float:
    conf = 1.0 / (1.0 + math.exp(-(best - second)))
    if evidence < 1.0:  # nothing but the prior: say so in the number too
        conf = min(conf, 0.45)
    elif evidence < 2.0:
        conf = min(conf, 0.75)
    return round(conf, 3)


def _arabic_guess(text: str, script: str) -> tuple[LanguageGuess, float]:
    """The guess and the function-word evidence behind it."""
    model = _model()
    if _PRESENTATION.search(text):
        text = text.translate(model.presentation)
    scores = dict(_PRIOR)
    letters_for: dict[str, list[str]] = {}
    if model.letter_re is not None:
        for letter, count in Counter(model.letter_re.findall(text)).items():
            factor = 1.0 + 0.25 * min(count - 1, 4)
            for lang, weight in model.letters[letter]:
                scores[lang] += weight * factor
                if weight > 0:
                    letters_for.setdefault(lang, []).append(letter)

    words_for: dict[str, list[str]] = {}
    word_score: dict[str, float] = {}
    words = [_strip_marks(w) for w in _ARABIC_WORD.findall(text)]
    long_words = 0
    al_words = 0
    for word in words:
        if len(word) > 1:
            long_words += 1
            if _AL_PREFIX.match(word):
                al_words += 1
        hits = model.exact.get(word)
        factor = 1.0
        if hits is None:
            hits = model.folded.get(word.translate(loose_fold_table()))
            factor = _FOLDED_WEIGHT
        if hits:
            for lang, weight in hits:
                scores[lang] += weight * factor
                word_score[lang] = word_score.get(lang, 0.0) + weight * factor
                found = words_for.setdefault(lang, [])
                if word not in found:
                    found.append(word)
    if long_words == 0:
        return LanguageGuess("unknown", 0.0, "too little text: only single letters (initials?)",
                             script), 0.0
    # The Arabic article ال starts a quarter or more of Arabic words, few Urdu ones (الیکشن).
    if al_words and al_words >= 0.25 * long_words:
        scores["ar"] += 0.8 * min(al_words, 5)

    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (lang, best), (_, second) = ranked[0], ranked[1]
    evidence = best - _PRIOR[lang]
    confidence = _confidence(best, second, evidence)
    parts = []
    if letters_for.get(lang):
        parts.append("letters " + " ".join(letters_for[lang][:5]))
    if words_for.get(lang):
        parts.append("function words " + "، ".join(words_for[lang][:5]))
    if lang == "ar" and al_words >= 0.25 * long_words:
        parts.append(f"{al_words} words with ال")
    if parts:
        reason = f"{_name(lang)}: " + "; ".join(parts)
    else:
        reason = "Arabic script with no distinctive letters or function words; Urdu assumed"
    runner_up = ranked[1][0]
    if word_score.get(runner_up, 0.0) > 0 and best - second < 1.5:
        reason += f" (close to {_name(runner_up)})"
    return LanguageGuess(lang, confidence, reason, script), word_score.get(lang, 0.0)


_OTHER_LATIN = ("fr", "de", "es", "it", "pt", "nl", "tr", "id")


def _cld2(text: str) -> tuple[str, int] | None:
    """pycld2's (language, percent) for a Latin line, or None when pycld2 is not installed or
    is unsure. Only a secondary signal: on short lines of names it guesses wildly
    ("Dr. Mehwish Hiyat" -> Uzbek), so it is never trusted alone there."""
    try:
        import pycld2
    except ImportError:  # pragma: no cover - optional
        return None
    try:
        reliable, _, details = pycld2.detect(text)
    except pycld2.error:  # pragma: no cover - invalid UTF-8 surrogates and the like
        return None
    if not reliable:
        return None
    return details[0][1], details[0][2]


def _latin_guess(text: str, script: str) -> tuple[LanguageGuess, float]:
    """The guess and the function-word evidence behind it."""
    model = _model()
    words = [w.lower() for w in _LATIN_WORD.findall(text)]
    scores: Counter[str] = Counter()
    found: dict[str, list[str]] = {}
    for word in words:
        for lang, weight in model.latin.get(word, ()):
            scores[lang] += weight
            if word not in found.setdefault(lang, []):
                found[lang].append(word)
    english = scores["en"]
    roman_urdu = scores["ur-Latn"]
    if roman_urdu >= 2 and roman_urdu > english:
        conf = _confidence(roman_urdu, english, roman_urdu)
        return LanguageGuess("ur", conf, "Roman Urdu (Latin script): "
                             + ", ".join(found["ur-Latn"][:5]), script), roman_urdu
    other = max(_OTHER_LATIN, key=lambda lang: scores[lang])
    # One foreign function word is not enough on its own ("Julia de Souza"), but it is when
    # pycld2 independently names the same language ("Partager sur Facebook").
    confirmed = scores[other] >= 1 and english == 0 and (_cld2(text) or ("",))[0] == other
    if (scores[other] >= 2 or confirmed) and scores[other] > english:
        conf = _confidence(scores[other], english, scores[other])
        return LanguageGuess("other", conf, f"{_name(other)} function words: "
                             + ", ".join(found[other][:5]), script), scores[other]
    if len(words) >= 8 and english < 0.15 * len(words):
        answer = _cld2(text)
        if answer is not None and answer[0] not in ("en", "un") and answer[1] >= 80:
            lang = "ur" if answer[0] == "ur" else "other"
            return LanguageGuess(lang, 0.8, f"Latin script, not English: pycld2 says {answer[0]}",
                                 script), 1.0
    accented = len(_NON_ASCII_LATIN.findall(text))
    if english == 0 and accented and accented >= 0.05 * sum(map(len, words)):
        return LanguageGuess("other", 0.6, "Latin script with non-English accented letters",
                             script), 0.0
    if english >= 2:
        return LanguageGuess("en", 0.95, "English function words: "
                             + ", ".join(found["en"][:5]), script), english
    if english >= 1:
        return LanguageGuess("en", 0.85, "English word: " + found["en"][0], script), english
    return LanguageGuess("en", 0.6, "Latin script with no other language's words; English assumed",
                         script), 0.0


def _other_script_name(text: str) -> str:
    """The Unicode name's first word of the first letter of a script other than Arabic and
    Latin ("Devanagari", "Gurmukhi", "Cyrillic" ...)."""
    index = text.translate(_class_table()).find("o")
    name = unicodedata.name(text[index], "") if index >= 0 else ""
    return name.split()[0].title() if name else "another"


def _guess(text: str) -> LanguageGuess:
    arabic, latin, other, digits = _script_counts(text)
    script = _script_from_counts(arabic, latin, other, digits)
    if arabic + latin + other == 0:
        what = "digits and punctuation only" if digits else "no letters or digits"
        return LanguageGuess("unknown", 0.0, f"no letters ({what})", script)
    if arabic + latin + other < 2:
        return LanguageGuess("unknown", 0.0, "too little text (one letter)", script)
    if other > arabic and other > latin:
        return LanguageGuess("other", 0.9, f"{_other_script_name(text)} script", script)
    if script != "mixed":
        by_script = _latin_guess if latin > arabic else _arabic_guess
        return by_script(text, script)[0]
    # Both scripts: believe the part with more function-word evidence, on a tie the majority.
    # "Karachi Kings نے میچ جیت لیا" is Urdu, "Share on فیس بک" English.
    by_latin, latin_words = _latin_guess(text, script)
    by_arabic, arabic_words = _arabic_guess(text, script)
    use_latin = latin_words > arabic_words if latin_words != arabic_words else latin > arabic
    guess, side = (by_latin, "Latin") if use_latin else (by_arabic, "Arabic-script")
    reason = f"mixed script ({arabic} Arabic, {latin} Latin letters), {side} part: {guess.reason}"
    return LanguageGuess(guess.lang, round(guess.confidence * 0.9, 3), reason, script)


@lru_cache(maxsize=1 << 15)
def _guess_cached(text: str) -> LanguageGuess:
    return _guess(text)


def identify_language(text: str) -> LanguageGuess:
    """Guess the language of a line or text (made for short lines of 3-10 words, fine for long
    text; only the first few thousand characters are read).

    >>> identify_language("یہ بھی پڑھیں:").lang
    'ur'
    >>> identify_language("Share on Facebook").lang
    'en'
    """
    text = text.strip()
    if len(text) <= _CACHE_MAX_LEN:
        return _guess_cached(text)
    return _guess(text[:_SAMPLE_CHARS])

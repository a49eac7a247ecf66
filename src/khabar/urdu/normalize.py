"""The two text forms of khabar and the consonant skeleton.

``normalize(text)`` -> the **display form**: what people read and what later stages store.
Canonical Urdu letters, NFC, junk controls removed, joined words split, glued digits
separated, diacritics and punctuation kept. Works on multi-line text line by line: the number
of lines never changes (cleaning reports raw line numbers).

``key(text)`` -> the **matching form**: used for search, dedup and entity matching. The display
form with diacritics removed, hamza and spelling variants folded, digits in ASCII, Latin in lower
case, punctuation as spaces, one line.

``skeleton(word)`` -> the **consonant skeleton** of a name: its key without spaces and without
the long-vowel letters inside it, so that transliteration variants (پوٹن / پیوٹن, کرسک / کورسک,
پیونگیانگ / پیانگ یانگ) meet or differ by one letter.

Display-form rules, in order (each is a function below with its reason):

1. ``line_breaks``       every line break -> "\\n" (the line count is kept)
2. ``characters``        one ``str.translate``: presentation forms -> letters (NFKC of those
                         ranges only; ﷺ and a few signs kept), Arabic -> Urdu letters (ك ي ى ة),
                         tatweel and invisible junk removed, Unicode spaces -> " "
3. ``arabic_heh``        Arabic heh ه -> ہ, or ھ after an aspirable consonant when the word list
                         says so (كهانا -> کھانا, كه -> کہ)
4. ``nfc``               Unicode NFC, plus ی + hamza above -> ئ (NFC only does it for Arabic ي)
5. ``joiners``           ZWNJ kept only where it stops a real join, ZWJ only inside Arabic words
                         (or emoji sequences); removed elsewhere
6. ``spaces``            runs of spaces collapsed, each line trimmed
7. ``glued_digits``      digits glued to Arabic letters separated (2024شمالی -> 2024 شمالی),
                         except conventional suffixes (1857ء, 1446ھ, 21ویں)
8. ``joins``             joined words split (کیخلاف -> کے خلاف, بتایاکہ -> بتایا کہ): a table
                         and a general rule backed by wordfreq's Urdu list

``normalize`` is idempotent: ``normalize(normalize(x)) == normalize(x)``.
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache

import regex

from khabar.resources import read_tsv
from khabar.urdu import _chars as C
from khabar.urdu import _lexicon as L

__all__ = ["key", "normalize", "skeleton"]


# --------------------------------------------------------------------------- compiled patterns


@cache
def _patterns() -> dict[str, regex.Pattern[str]]:
    letters = C.char_class(C.arabic_letters())
    marks = C.char_class(C.arabic_marks())
    digits = C.DIGITS
    dual = r"\p{Joining_Type=Dual_Joining}"
    suffixes = "|".join(regex.escape(s) for s in C.number_suffixes())
    return {
        # The rest of a word from a given position (letters and marks).
        "word_rest": regex.compile(f"[{letters}{marks}]*"),
        # ی + (marks that sort before hamza) + hamza above -> ئ
        "yeh_hamza": regex.compile("\u06cc([\u064b-\u0653\u0670]*)\u0654"),
        # Runs of ZWNJ/ZWJ; which of them survive is decided by _keep_joiner.
        "zwnj_keep": regex.compile(
            f"(?<={dual}[{marks}]*)[\u200c\u200d]*\u200c[\u200c\u200d]*(?=[{letters}])"
        ),
        "zwj_keep": regex.compile(
            f"(?<=[{letters}][{marks}]*)\u200d+(?=[{letters}])"
            r"|(?<=\p{Extended_Pictographic}[\p{M}\U0001F3FB-\U0001F3FF]*)\u200d+(?=\p{Extended_Pictographic})"
        ),
        "zw_any": regex.compile("[\u200c\u200d]+"),
        "space_run": regex.compile(" {2,}"),
        "line_edge": regex.compile(" *\n *"),
        # A run of digits, maybe followed by a conventional suffix that ends the word.
        "digits": regex.compile(
            f"[{digits}]+(?:(?P<suffix>{suffixes})(?![{marks}\u200c\u200d]))?"
            if suffixes
            else f"[{digits}]+"
        ),
        "key_thousands": regex.compile(r"(?<=[0-9])[,٬](?=[0-9]{3})"),
        "key_dot": regex.compile(r"(?<![0-9])\.|\.(?![0-9])"),
        "key_comma": regex.compile(","),
        "key_final_hamza": regex.compile("(?<=[\u0627\u06c1])\u0621(?![^ ])"),
        "space_any": regex.compile(r"\s+"),
    }


# --------------------------------------------------------------------------- display rules


def _rule_line_breaks(text: str) -> str:
    """``\\r\\n`` -> ``\\n`` here; lone ``\\r``, VT, FF, NEL, U+2028/9 ... in rule ``characters``.

    Why: normalize works line by line and callers count lines; every character that
    ``str.splitlines`` treats as a break becomes exactly one ``\\n``.
    """
    return text.replace("\r\n", "\n") if "\r" in text else text


def _rule_characters(text: str) -> str:
    """One translate table (see ``_chars.display_table``).

    * Presentation forms (U+FB50-FDFF, U+FE70-FEFF) -> the letters they draw (NFKC of each
      character alone, so nothing else in the text is compatibility-folded). Kept as they are:
      the signs in norm_presentation_keep.txt (ﷺ ﷻ, Quranic stop signs, ﷼). ﷲ -> اللہ.
    * Arabic code points -> Urdu ones (norm_letters.tsv): ك->ک, ي/ى->ی, ة->ۃ.
    * Tatweel (kashida) and invisible junk (ZWSP, BOM, soft hyphen, word joiner, LRM/RLM/ALM,
      bidi embeddings/overrides/isolates) removed: they carry nothing in running text and break
      matching.
    * Unicode spaces (tab, NBSP, U+2000-200A, U+202F, U+205F, U+3000) -> " ".
    """
    return text.translate(C.display_table())


def _rule_arabic_heh(text: str) -> str:
    """Arabic heh U+0647 -> ہ or ھ per word (see ``_lexicon.resolve_arabic_heh``).

    Words are found around each heh with ``str.find`` (Urdu-coded text has no Arabic heh and
    costs one scan).
    """
    i = text.find(C.ARABIC_HEH)
    if i < 0:
        return text
    word_chars = C.arabic_letter_set() | C.arabic_mark_set()
    word_rest = _patterns()["word_rest"]
    out: list[str] = []
    last = 0
    while i >= 0:
        start = i
        while start > last and text[start - 1] in word_chars:
            start -= 1
        end = word_rest.match(text, i).end()
        out.append(text[last:start])
        out.append(L.resolve_arabic_heh(text[start:end]))
        last = end
        i = text.find(C.ARABIC_HEH, end)
    out.append(text[last:])
    return "".join(out)


def _rule_nfc(text: str) -> str:
    """Unicode NFC, then ی + hamza above -> ئ.

    NFC composes ہ+ٔ->ۂ, ے+ٔ->ۓ, و+ٔ->ؤ, ا+ٓ->آ and Arabic ي+ٔ->ئ, and puts stacked marks in
    canonical order. It does not compose the Urdu ی (U+06CC) with hamza, although Urdu has no
    other hamza-on-yeh than ئ; that pair is composed here.
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if C.HAMZA_ABOVE in text:
        text = _patterns()["yeh_hamza"].sub("\u0626\\1", text)
    return text


def _keep_joiner(match: regex.Match[str]) -> str:
    string, start, end = match.string, match.start(), match.end()
    pats = _patterns()
    if C.ZWNJ in match.group():
        return C.ZWNJ if _matches_exactly(pats["zwnj_keep"], string, start, end) else ""
    return C.ZWJ if _matches_exactly(pats["zwj_keep"], string, start, end) else ""


def _matches_exactly(pattern: regex.Pattern[str], string: str, start: int, end: int) -> bool:
    """Does ``pattern`` (with its look-arounds on the whole string) match string[start:end]?"""
    found = pattern.match(string, start)
    return found is not None and found.end() == end


def _rule_joiners(text: str) -> str:
    """ZWNJ / ZWJ: keep them only where they do their job, drop them elsewhere.

    * ZWNJ (U+200C) stops a letter from joining the next one (بین‌الاقوامی, نیشنل‌ازم). It is
      kept when the letter before it joins on both sides (so the ZWNJ changes the shape) and an
      Arabic letter follows; after ا د ر و ے ... or next to a space, digit or Latin it does
      nothing and is removed. A run of joiners keeps one ZWNJ.
    * ZWJ (U+200D) is kept between two Arabic letters (forces a joining form) and between two
      emoji (👨‍👩‍👧 sequences); removed elsewhere.
    """
    if C.ZWNJ not in text and C.ZWJ not in text:
        return text
    return _patterns()["zw_any"].sub(_keep_joiner, text)


def _rule_spaces(text: str) -> str:
    """Collapse runs of spaces and trim each line; never join or split lines."""
    pats = _patterns()
    if "  " in text:
        text = pats["space_run"].sub(" ", text)
    if " \n" in text or "\n " in text:
        text = pats["line_edge"].sub("\n", text)
    return text.strip(" ")


def _glued_digits(match: regex.Match[str]) -> str:
    string, start, end = match.string, match.start(), match.end()
    letters, marks = C.arabic_letter_set(), C.arabic_mark_set()
    before = ""
    k = start - 1
    while k >= 0 and string[k] in marks:
        k -= 1
    if k >= 0 and string[k] in letters:
        before = " "
    after = ""
    if end < len(string) and (string[end] in letters or string[end] in marks):
        suffix = match.group("suffix")
        if suffix is None:
            after = " "
        elif suffix[-1] in C.right_joining_letters():
            after = " "  # 1857ءکی looks exactly like 1857ء کی
        else:
            # A forward-joining suffix (ھ ہ) followed by a letter is the start of a word:
            # the digits alone were glued to it (1446ھجری -> 1446 ھجری).
            digits_end = end - len(suffix)
            return before + string[start:digits_end] + " " + suffix
    return before + match.group() + after


def _rule_glued_digits(text: str) -> str:
    """Digits glued to Arabic-script letters get a space: ``2024شمالی`` -> ``2024 شمالی``.

    Why: pages glue datelines to the first word and typists drop the space between a number and
    a word; a number inside a word breaks tokens, dates and search. Not touched: digits next to
    Latin letters (G7, F-16, 5G, COVID-19) and the suffixes Urdu writes glued to numbers
    (norm_number_suffixes.txt: 1857ء, 1446ھ, 21ویں, 10واں) when they end the word.
    """
    return _patterns()["digits"].sub(_glued_digits, text)


def _rule_joins(text: str) -> str:
    """Split joined words (see ``_lexicon.split_word``): کیخلاف -> کے خلاف, آتاہے -> آتا ہے.

    Why: Urdu typing leaves out spaces that do not show (after ا د ر و ے ...) and writes some
    pairs closed by habit; tokenisation, search and entity matching need the words apart.
    Spelling is otherwise kept (لئے stays لئے; ہوگا and کردیا, closed by convention, stay).
    """
    return L.split_joins(text)


_DISPLAY_RULES = (
    _rule_line_breaks,
    _rule_characters,
    _rule_arabic_heh,
    _rule_nfc,
    _rule_joiners,
    _rule_spaces,
    _rule_glued_digits,
    _rule_joins,
)


def normalize(text: str) -> str:
    """The display form of ``text`` (see the module docstring for the rules).

    >>> normalize("یوکرین کیخلاف جنگ")
    'یوکرین کے خلاف جنگ'
    >>> normalize("12 نومبر 2024شمالی")
    '12 نومبر 2024 شمالی'
    """
    if not text:
        return text
    for rule in _DISPLAY_RULES:
        text = rule(text)
    return text


# --------------------------------------------------------------------------- key


@cache
def _key_spellings() -> dict[str, str]:
    """Folded token -> folded unified spelling: norm_key_spellings.tsv plus the folded joins."""
    out = dict(L.folded_joins_table())
    for row in read_tsv("urdu", "norm_key_spellings.tsv"):
        out[C.lexicon_fold(row[0])] = C.lexicon_fold(row[1])
    # Close the map so one pass is enough (key must be idempotent): a split join may hold a
    # closed compound (ہوجائیگی -> ہوجائے گی -> ہو جائے گی).
    for _ in range(4):
        changed = False
        for variant, unified in out.items():
            words = unified.split(" ")
            mapped = " ".join(out.get(w, w) for w in words)
            if mapped != unified:
                out[variant] = mapped
                changed = True
        if not changed:
            return out
    raise ValueError("norm_key_spellings.tsv / joins.tsv: the spelling map has a cycle")


def _key_from_display(text: str) -> str:
    pats = _patterns()
    if "," in text or "٬" in text:
        text = pats["key_thousands"].sub("", text)
    text = text.translate(C.key_table())
    text = C.SUPPLEMENTARY_PUNCT.sub(" ", text)
    if "." in text:
        text = pats["key_dot"].sub(" ", text)
    if "," in text:
        text = pats["key_comma"].sub(" ", text)
    text = text.lower()
    if "\u0621" in text:
        text = pats["key_final_hamza"].sub("", text)
    spellings = _key_spellings()
    tokens = text.split()
    return " ".join(map(spellings.get, tokens, tokens))


def key(text: str) -> str:
    """The matching form of ``text``: ``normalize`` and then

    * Arabic diacritics and combining marks removed (zabar, zer incl. izafat, pesh, tanwin,
      shadda, jazm, khari zabar: بشریٰ -> بشری), tatweel and ZWJ removed, ZWNJ -> space;
    * letter folds (norm_key_folds.tsv): أ إ آ ٱ -> ا, ؤ -> و, ئ -> ی, ۓ -> یے, ۂ ۀ -> ہ,
      ۃ -> ت; ھ is kept (aspiration is distinctive), ے and ی are not folded (کی / کے);
    * final ء after ا or ہ dropped (ابتداء / ابتدا, دورہء / دورہ);
    * all digits -> ASCII; thousands separators between digits dropped (10,000 -> 10000); a
      full stop kept only between digits (3.5);
    * punctuation and symbols (Urdu and Latin, all quotes, brackets, dashes) -> space;
    * Latin lower-cased; whitespace (newlines too) collapsed to single spaces;
    * spelling unifications (norm_key_spellings.tsv: دیئے -> دیے, گذشتہ -> گزشتہ, ہوگا -> ہو گا ...).

    ``key`` is idempotent and ``key(normalize(x)) == key(x)``.
    """
    return _key_from_display(normalize(text))


# --------------------------------------------------------------------------- skeleton

_SKELETON_DROP = frozenset("اویے")
_SKELETON_FOLD = str.maketrans({"\u06be": "\u06c1"})  # ھ -> ہ


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """Consonant skeleton of a word or name (for joining transliteration variants).

    From ``key(word)``: spaces removed (پیانگ یانگ = پیانگیانگ), ھ folded to ہ (شہباز / شھباز),
    the long-vowel letters ا و ی ے dropped everywhere except as the first letter (they carry
    the onset there: اسلام, ویڈیو, یوکرین), then doubled letters collapsed. ع is kept.

    >>> skeleton("پیوٹن") == skeleton("پوٹن")
    True
    """
    folded = key(word).replace(" ", "").translate(_SKELETON_FOLD)
    if not folded:
        return folded
    out = [folded[0]]
    for ch in folded[1:]:
        if ch in _SKELETON_DROP or ch == out[-1]:
            continue
        out.append(ch)
    return "".join(out)

"""Bytes to text: find the encoding of a page, or say clearly why there is none.

Order of evidence, strongest first: a byte-order mark; the byte pattern of UTF-16 without a
mark; strict UTF-8 (and UTF-8 with a handful of broken bytes); the Arabic-script code pages
(Windows-1256 and relatives, what old Urdu sites used), accepted only when the result is
mostly Arabic-script letters; a charset the document declares; charset-normalizer for other
legacy code pages. Every legacy guess must pass a plausibility check, so that mojibake is
reported as ``undecodable`` instead of being passed on.

The text is returned with NUL bytes removed and every kind of line break turned into ``\\n``
(so ``str.splitlines()`` and ``str.split("\\n")`` agree); nothing else is changed.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

__all__ = [
    "BinaryInput",
    "DecodeError",
    "EmptyInput",
    "UndecodableInput",
    "decode",
    "looks_binary",
    "normalize_newlines",
]

# How much of a big input the statistical checks look at (decoding itself uses all of it).
_SAMPLE = 1 << 16


class DecodeError(ValueError):
    """Bytes that cannot be turned into text. ``problem`` is the short, user-facing reason."""

    problem = "undecodable"

    def __init__(self, detail: str = "") -> None:
        super().__init__(f"{self.problem}: {detail}" if detail else self.problem)
        self.detail = detail or None


class EmptyInput(DecodeError):
    problem = "empty file"


class BinaryInput(DecodeError):
    problem = "binary file"


class UndecodableInput(DecodeError):
    problem = "undecodable"


# --- text clean-up -----------------------------------------------------------------------

# Every character str.splitlines() treats as a line boundary becomes "\n"; NUL is removed.
_ODD_BREAK = re.compile("[\x0b\x0c\r\x1c-\x1e\x85\u2028\u2029]")
_NEEDS_WORK = re.compile("[\x00\x0b\x0c\r\x1c-\x1e\x85\u2028\u2029]")


def normalize_newlines(text: str) -> str:
    """Remove NULs and turn ``\\r\\n``, ``\\r``, NEL, U+2028/U+2029 (and VT, FF) into ``\\n``."""
    if _NEEDS_WORK.search(text) is None:  # the common case: one fast scan, no copy
        return text
    if "\x00" in text:
        text = text.replace("\x00", "")
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    return _ODD_BREAK.sub("\n", text)


# --- binary detection --------------------------------------------------------------------

# C0 control bytes that never occur in text (tab, LF, VT, FF, CR and ESC are allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"RIFF", "RIFF (WebP/WAV/AVI) data"),
    (b"PK\x03\x04", "zip archive"),
    (b"PK\x05\x06", "zip archive"),
    (b"%PDF-", "PDF document"),
    (b"\x7fELF", "ELF executable"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"OggS", "Ogg media"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"SQLite format 3\x00", "SQLite database"),
)


def _control_ratio(sample: bytes) -> float:
    return (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / len(sample)


def _magic(data: bytes) -> str | None:
    for magic, what in _MAGIC:
        if data.startswith(magic) and not (magic == b"BZh" and not data[3:4].isdigit()):
            return what
    return None


def looks_binary(data: bytes) -> str | None:
    """A short description if ``data`` (or its start) is clearly not text, else None."""
    what = _magic(data)
    if what:
        return what
    sample = data[:_SAMPLE]
    if sample and _control_ratio(sample) > 0.05 and _utf16_without_bom(sample) is None:
        return "control bytes"
    return None


# --- Unicode encodings -------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _from_bom(data: bytes) -> tuple[str, str] | None:
    for bom, name in _BOMS:
        if not data.startswith(bom):
            continue
        body = data[len(bom):]
        if name.startswith("utf-16"):
            body = body[: len(body) & ~1]  # a cut-off last byte is not worth a failure
        codec = "utf-8" if name == "utf-8-sig" else name
        try:
            return body.decode(codec), name
        except UnicodeDecodeError as err:
            # FF FE 00 00 is also a UTF-16 LE mark followed by U+0000: let the next mark try.
            if name.startswith("utf-32"):
                continue
            raise UndecodableInput(f"{name} byte-order mark but invalid {codec}: {err}") from None
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the bytes show UTF-16's shape, else None.

    In UTF-16 text from one script, every other byte (the high byte) takes very few values:
    0x00 for ASCII and spaces, 0x06 for Arabic script, 0x20 for ZWNJ and punctuation. The low
    bytes vary. Binary data and 8-bit text do not look like this.
    """
    sample = sample[: len(sample) & ~1]
    if len(sample) < 4:
        return None
    halves = {"utf-16-le": (sample[1::2], sample[0::2]), "utf-16-be": (sample[0::2], sample[1::2])}
    for name, (high, low) in halves.items():
        counts = sorted((high.count(b) for b in set(high)), reverse=True)
        if sum(counts[:3]) < 0.95 * len(high) or high.count(0) == 0:
            continue
        if low.count(0) > 0.1 * len(low):
            continue
        try:
            text = sample.decode(name)
        except UnicodeDecodeError:
            continue
        controls = sum(text.count(chr(c)) for c in range(32) if c not in (9, 10, 13))
        if controls <= 0.01 * len(text):
            return name
    return None


def _near_utf8(data: bytes) -> str | None:
    """UTF-8 with a few broken bytes (a cut-off character, a stray byte): keep it."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    # Few broken bytes, and much more valid non-ASCII UTF-8 than that (else it is 8-bit text).
    if broken <= max(2, len(data) // 2000) and _count(_NON_ASCII, text[:_SAMPLE]) >= 5 * broken:
        return text
    return None


# --- legacy code pages -------------------------------------------------------------------

# Arabic-script code pages, most likely first for Urdu (Windows-1256 has most Urdu letters;
# ISO-8859-6 is Arabic only). The DOS pages (720, 864) are left out: they are not seen on the
# web and decode too much Latin-1 text into plausible-looking Arabic letters.
_ARABIC_CODEPAGES = ("cp1256", "iso8859_6")
# Other legacy code pages charset-normalizer may choose from: single-byte ones only. Multi-byte
# East Asian code pages decode almost any short 8-bit text into plausible-looking nonsense,
# and an Urdu news corpus does not contain them.
_OTHER_CODEPAGES = [
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1257", "cp1258",
    "iso8859_2", "iso8859_4", "iso8859_5", "iso8859_7", "iso8859_8", "iso8859_9",
    "iso8859_13", "iso8859_15", "koi8_r", "koi8_u", "mac_roman", "cp874",
]
_ARABIC_LETTER = re.compile("[\u0621-\u063a\u0641-\u064a\u066e-\u06d3\u06d5\u0750-\u077f"
                            "\ufb50-\ufdff\ufe70-\ufefc]")
_HARAKAT = re.compile("[\u064b-\u0652]")
_ARABIC_RUN = re.compile("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufefc]+")
# An Arabic letter glued to a Latin letter: never in real text, typical of a wrong code page.
_GLUED = re.compile("[A-Za-z\u00c0-\u00ff][\u0600-\u06ff\ufb50-\ufefc]|"
                    "[\u0600-\u06ff\ufb50-\ufefc][A-Za-z\u00c0-\u00ff]")
# Non-ASCII characters that say nothing about the script (punctuation, spaces, format marks).
_NEUTRAL = re.compile("[\u00a0-\u00bf\u00d7\u00f7\u060c\u061b\u061f\u0640\u0660-\u0669\u06f0-\u06f9"
                      "\u2000-\u206f\u20ac\u2122\ufeff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_C1_OR_C0 = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f\ufffd]")
_LATIN1_RUN = re.compile("[\u00c0-\u00ff]{3,}")
_LATIN1_WORD = re.compile(r"\w*[\u00c0-\u00ff]\w*")
_WORD = re.compile(r"\w+")


def _count(pattern: re.Pattern[str], text: str) -> int:
    return sum(1 for _ in pattern.finditer(text))


def _mostly_arabic(text: str) -> bool:
    """Decoded text whose non-ASCII characters are nearly all Arabic-script letters."""
    sample = _NEUTRAL.sub("", text[:_SAMPLE])
    non_ascii = _count(_NON_ASCII, sample)
    if non_ascii == 0:
        return False
    letters = _count(_ARABIC_LETTER, sample)
    harakat = _count(_HARAKAT, sample)
    # Wrong code pages turn Latin or Cyrillic letters into harakat and scattered letters,
    # glued to Latin letters.
    if letters + harakat < 0.9 * non_ascii or harakat > 0.25 * max(letters, 1):
        return False
    return _count(_GLUED, sample) <= 0.05 * _count(_ARABIC_RUN, sample)


def _plausible(text: str) -> bool:
    """Text a person wrote, not mojibake: letters, few control characters, no Latin-1 soup."""
    sample = text[:_SAMPLE]
    if not sample.strip():
        return False
    if _count(_C1_OR_C0, sample) > 0.005 * len(sample):
        return False
    non_ascii = _NEUTRAL.sub("", "".join(_NON_ASCII.findall(sample)))
    if non_ascii:
        letters = sum(1 for ch in non_ascii if ch.isalpha())
        if letters < 0.8 * len(non_ascii):
            return False
    accented = _count(_LATIN1_WORD, sample)
    if accented and _count(_LATIN1_RUN, sample) > 0.2 * accented:
        return False
    return _count(_WORD, sample) > 0


def _same_as_cp1252(data: bytes, text: str) -> bool:
    try:
        return data.decode("cp1252") == text
    except UnicodeDecodeError:
        return False


def _codec_name(label: str) -> str | None:
    """Python's name for a declared charset (WHATWG rules: latin-1/ascii mean windows-1252)."""
    label = label.strip().strip("\"'").lower()
    if label in ("iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "ascii", "us-ascii"):
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _legacy(data: bytes, declared: str | None) -> tuple[str, str]:
    for codec in _ARABIC_CODEPAGES:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _mostly_arabic(text) and _plausible(text):
            return text, codec
    if declared:
        codec = _codec_name(declared)
        if codec and not codec.startswith(("utf-8", "utf-16", "utf-32")):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                text = ""
            if text and _plausible(text):
                return text, codec
    best = charset_normalizer.from_bytes(data[: 4 * _SAMPLE], cp_isolation=_OTHER_CODEPAGES).best()
    if best is not None and best.chaos <= 0.2:
        codec = _codec_name(best.encoding) or best.encoding
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            text = ""
        if text and _plausible(text):
            # Several Latin code pages often give the same text: name the common one.
            if codec != "cp1252" and _same_as_cp1252(data, text):
                codec = "cp1252"
            return text, codec
    raise UndecodableInput("not UTF-8, and no legacy code page gives plausible text")


# --- public ------------------------------------------------------------------------------


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode a page's bytes; return ``(text, encoding)``.

    ``declared`` is a charset the document or its HTTP headers name; it is used only when
    the bytes are not Unicode, and only if its result is plausible. Raises
    :class:`EmptyInput`, :class:`BinaryInput` or :class:`UndecodableInput` (all
    :class:`DecodeError`, with a ``problem`` string for reports).
    """
    if not data:
        raise EmptyInput()
    found = _from_bom(data)
    if found is not None:
        return normalize_newlines(found[0]), found[1]

    what = _magic(data)
    if what:
        raise BinaryInput(what)
    sample = data[:_SAMPLE]
    if _control_ratio(sample) > 0.05:
        name = _utf16_without_bom(sample)
        if name is None:
            raise BinaryInput("control bytes")
        try:
            return normalize_newlines(data[: len(data) & ~1].decode(name)), name
        except UnicodeDecodeError as err:
            raise UndecodableInput(f"looks like {name} but is not: {err}") from None

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        text = normalize_newlines(text)
        if not text.strip() and b"\x00" in data[:_SAMPLE]:
            raise BinaryInput("only NUL bytes")
        return text, "utf-8"

    text_or_none = _near_utf8(data)
    if text_or_none is not None:
        return normalize_newlines(text_or_none), "utf-8"
    text, codec = _legacy(data.replace(b"\x00", b""), declared)
    return normalize_newlines(text), codec

"""Helpers every reader shares: text tidying, text decoding, loose dates, titles.

Kept free of heavy imports so that reading a plain-text file stays fast.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from datetime import date


MB = 1024 * 1024

# C0/C1 controls other than tab and newline: a document must not be able to
# drive the terminal it is shown in (ESC sequences) or confuse the extractor.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+$", re.MULTILINE)
_MANY_BLANKS = re.compile(r"\n{3,}")


class ReaderError(Exception):
    """Raised inside a reader with a short reason; read_document adds the path."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def human_mb(n_bytes: int) -> str:
    """``52.4 MB`` / ``20 MB`` (``2 KB`` below 1 MB): sizes as a file manager shows them."""
    value, unit = (n_bytes / MB, "MB") if n_bytes >= MB else (n_bytes / 1024, "KB")
    return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"


def tidy(text: str) -> str:
    """Normalise text the same way for every format.

    Newlines become ``\\n``, Unicode is NFC, control characters go, trailing
    spaces go, and runs of blank lines shrink to one blank line. Indentation and
    everything else stay as a person would read them.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.lstrip("\ufeff")
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\x0c", "\n\n")  # form feed: a page break, keep it as a paragraph break
    text = _CONTROL.sub("", text)
    text = _TRAILING_SPACE.sub("", text)
    text = _MANY_BLANKS.sub("\n\n", text)
    return text.strip("\n")


def one_line(text: str | None) -> str | None:
    """A title as one line of ordinary spaces, or None when nothing is left."""
    if text is None:
        return None
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", str(text)))
    text = " ".join(text.replace("\u00a0", " ").split())
    return text or None


def require_text(text: str) -> str:
    if not text.strip():
        raise ReaderError("empty: no text")
    return text


# --- decoding -----------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CYRILLIC_PAGES = {"cp1251", "koi8_r", "koi8_u", "mac_cyrillic", "cp866", "iso8859_5"}
_CENTRAL_PAGES = {"cp1250", "iso8859_2"}
_CENTRAL_LANGUAGES = {"Czech", "Polish", "Slovak", "Hungarian", "Slovene", "Croatian", "Romanian", "Serbian", "Bosnian"}
_SAMPLE = 256 * 1024
_LETTER_BYTES = re.compile(rb"[A-Za-z\x80-\xff]")
_HIGH_BYTES = re.compile(rb"[\xc0-\xff]")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a BOM: NULs sit in every other byte of ASCII text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / len(sample[0::2])
    odd_nul = sample[1::2].count(0) / len(sample[1::2])
    if odd_nul > 0.4 and even_nul < 0.05:
        codec = "utf-16-le"
    elif even_nul > 0.4 and odd_nul < 0.05:
        codec = "utf-16-be"
    else:
        return None
    try:
        return data[: len(data) // 2 * 2].decode(codec)
    except UnicodeDecodeError:
        return None


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    # A stray NUL is damage; a binary file has them everywhere.
    if sample.count("\x00") > len(sample) / 1000:
        return True
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\x0c" or "\x7f" <= ch < "\xa0")
    return controls / len(sample) > 0.05


def _single_byte_codec(data: bytes) -> str:
    """Pick a legacy code page, trusting charset-normalizer only where it is sane.

    On a short Latin sample charset-normalizer happily answers cp1257 or
    iso8859_10 for French; real files are cp1252 (Western) or, for Central
    European languages, cp1250/iso8859-2. So: Cyrillic-heavy bytes -> a
    Cyrillic page (cp1251 unless another Cyrillic page was detected); a Central
    European page only when the detected language is Central European; else cp1252.
    """
    from charset_normalizer import from_bytes

    sample = data[:_SAMPLE]
    guess = from_bytes(sample).best()
    name = codecs.lookup(guess.encoding).name.replace("-", "_") if guess else ""
    letters = len(_LETTER_BYTES.findall(sample))
    high = len(_HIGH_BYTES.findall(sample))
    # Russian text in a legacy page has most letters above 0xC0; Western text
    # has only the odd accented letter there.
    if letters and high / letters > 0.3:
        return name if name in _CYRILLIC_PAGES else "cp1251"
    if name in _CENTRAL_PAGES and guess is not None and guess.language in _CENTRAL_LANGUAGES:
        return name
    return "cp1252"


def _damaged_utf8(data: bytes) -> str | None:
    """UTF-8 with a few corrupt bytes (a bad copy, a truncated download).

    Accepted when valid multi-byte characters far outnumber the bad bytes; a
    legacy-encoded file decodes as UTF-8 to almost nothing but replacements.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f") - bad
    return text if good >= 2 * bad else None


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; return (text, encoding name).

    Order: a BOM, strict UTF-8, BOM-less UTF-16, then a legacy code page
    (charset-normalizer's guess, overruled toward cp1251 for Cyrillic and
    cp1252 for exotic guesses). Raises ReaderError for binary content.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError:
                raise ReaderError("binary data, not text") from None
            if _looks_binary(text):
                raise ReaderError("binary data, not text")
            return text, codec.replace("utf-8", "utf-8-sig")
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        utf16 = _utf16_without_bom(data) if b"\x00" in data[:4096] else None
        damaged = _damaged_utf8(data)
        if damaged is not None:
            text, encoding = damaged, "utf-8 (damaged bytes replaced)"
        elif utf16 is not None:
            text, encoding = utf16, "utf-16"
        elif data[:8192].count(0) > min(len(data), 8192) / 1000:
            raise ReaderError("binary data, not text") from None
        else:
            encoding = _single_byte_codec(data)
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                # cp1252 leaves five bytes undefined; latin-1 maps every byte.
                text, encoding = data.decode("latin-1"), "latin-1"
    if _looks_binary(text):
        raise ReaderError("binary data, not text")
    return text, encoding


# --- dates --------------------------------------------------------------------

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    # Russian month stems (nominative and genitive forms share them).
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6,
    "июл": 7, "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
}
_MONTH_WORD = r"([A-Za-zА-Яа-яёЁ]{3,10})\.?"
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_DMY_WORDS = re.compile(r"\b(\d{1,2})\s+" + _MONTH_WORD + r",?\s+(\d{4})\b")
_MDY_WORDS = re.compile(r"\b" + _MONTH_WORD + r"\s+(\d{1,2}),?\s+(\d{4})\b")
_DMY_DOTS = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


def _month(word: str) -> int | None:
    return _MONTHS.get(word[:3].lower())


def _iso(year: int, month: int | None, day: int) -> str | None:
    if month is None:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(value: str | None) -> str | None:
    """ISO ``YYYY-MM-DD`` from a date as mail clients and sites write it, else None.

    Handles RFC 2822 (``Tue, 26 Mar 2024 18:47:00 -0400``), ISO, ``Mar 26, 2024``,
    ``26 March 2024``, ``6 февраля 2026 г.`` and ``26.03.2024``. The calendar
    date is the one written, not converted to UTC: that is the day people meant.
    """
    if not value:
        return None
    value = " ".join(str(value).split())
    if m := _ISO.search(value):
        return _iso(int(m[1]), int(m[2]), int(m[3]))
    for m in _DMY_WORDS.finditer(value):
        if found := _iso(int(m[3]), _month(m[2]), int(m[1])):
            return found
    for m in _MDY_WORDS.finditer(value):
        if found := _iso(int(m[3]), _month(m[1]), int(m[2])):
            return found
    for m in _DMY_DOTS.finditer(value):
        if found := _iso(int(m[3]), int(m[2]), int(m[1])):
            return found
    from email.utils import parsedate_tz

    try:
        parsed = parsedate_tz(value)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed and parsed[0] > 1900:
        return _iso(parsed[0], parsed[1], parsed[2])
    return None


# --- titles -------------------------------------------------------------------

# A classification banner is the first heading of many cables but never their title.
_BANNER = re.compile(
    r"^(UNCLASSIFIED|CONFIDENTIAL|SECRET|TOP SECRET|RESTRICTED|OFFICIAL|SENSITIVE|"
    r"FOR OFFICIAL USE ONLY|LIMITED OFFICIAL USE|NOT FOR PUBLICATION|INTERNAL)\b",
    re.IGNORECASE,
)


def is_banner(text: str) -> bool:
    return bool(_BANNER.match(text.strip())) and (text.isupper() or "//" in text or len(text.split()) <= 6)

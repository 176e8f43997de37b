"""File names for exports and writing them: never over a file by accident, owner-only.

A default name is ``YYYY-MM-DD-short-title-slug.EXT`` (``undated-…`` without a
date): ASCII letters, digits and hyphens only, so it can hold no path separator
and no ``..``, and at most :data:`MAX_NAME` characters.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from store.errors import BriefingsError, printable

MAX_NAME = 80
FILE_MODE = 0o600
DIR_MODE = 0o700


class ExportError(BriefingsError):
    """The note could not be written; the message names the path and the reason."""


# Letters NFKD does not decompose to ASCII, and Cyrillic (Russian, Kazakh, Ukrainian,
# Uzbek and Kyrgyz letters), in a plain passport-style transliteration.
_TRANSLIT = {
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ł": "l", "ı": "i",
    "ŋ": "ng", "ħ": "h", "ŧ": "t", "ĸ": "k", "ə": "a",
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    "ї": "i", "є": "ie", "ґ": "g", "ў": "u", "ҳ": "h", "ӣ": "i", "ӯ": "u", "ҷ": "j",
}
_SLUG_MAX = MAX_NAME - len("YYYY-MM-DD-") - len(".docx")
_DATE = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")


def ascii_slug(text: str, limit: int = _SLUG_MAX) -> str:
    """"Встреча в Будапеште: Gábor Nagy" → "vstrecha-v-budapeshte-gabor-nagy" (cut at a word)."""
    text = "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > limit:
        cut = slug[:limit + 1]
        slug = cut[:cut.rfind("-")] if "-" in cut[1:] else slug[:limit]
    return slug.strip("-")


def default_filename(title: str, date: str, record_id: str, ext: str) -> str:
    prefix = date if _DATE.fullmatch(date or "") else "undated"
    slug = ascii_slug(title or "")
    if not slug:
        slug = ascii_slug(record_id or "", 24) or "briefing"
    return f"{prefix}-{slug}.{ext}"


def write_new(target: Path, data: bytes, *, force: bool) -> Path:
    """Write ``data`` to ``target`` as an owner-only file; refuse an existing one unless ``force``."""
    name = printable(str(target))
    parent = target.parent
    try:
        if not parent.is_dir():
            parent.mkdir(parents=True, mode=DIR_MODE)
    except OSError as exc:
        raise ExportError(f"{name}: cannot create the folder {printable(str(parent))}: "
                          f"{exc.strerror or exc}") from None
    if target.is_dir():
        raise ExportError(f"{name} is a folder; name a file or pass the folder as the destination")
    try:
        if not force:
            # O_EXCL: atomic, and refuses a symlink planted at the name as well.
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), FILE_MODE)
            try:
                _owner_only(fd)
                _write_all(fd, data)
            except BaseException:
                os.close(fd)
                target.unlink(missing_ok=True)
                raise
            os.close(fd)
        else:
            # Overwrite by rename: the old file stays whole until the new one is complete.
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".tmp", dir=parent)
            try:
                _owner_only(fd)
                _write_all(fd, data)
                os.close(fd)
                fd = -1
                os.replace(tmp, target)
            except BaseException:
                if fd >= 0:
                    os.close(fd)
                Path(tmp).unlink(missing_ok=True)
                raise
    except FileExistsError:
        raise ExportError(f"{name} exists; choose another name or overwrite it (--force)") from None
    except OSError as exc:
        raise ExportError(f"{name}: cannot write: {exc.strerror or exc}") from None
    return target


def _owner_only(fd: int) -> None:
    """0600 whatever the umask (os.open's mode is masked by it)."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, FILE_MODE)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]

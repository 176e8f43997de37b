"""A document's letter classes: one byte per character, for fast scans of capitalised words.

re looks for a pattern that opens with a character class by testing that class at
every character of the text: over a 3 KB briefing that costs 150,000–350,000
instructions (callgrind), several percent of extracting it, each time a module scans
the whole text for capitals. A pattern that opens with one literal character is found
with a plain loop, ten times cheaper. So the text is turned once into bytes that say
what each character is, and the scans look for a literal class byte there:

- ``U`` an upper-case letter (of the Basic Multilingual Plane: the capital classes
  of the scanners hold no character beyond it),
- ``a`` any other letter,
- ``-`` a joiner inside words: ``-``, ``'``, ``’``,
- a space for anything else.

The byte at index i is the class of the character at index i, so spans found in the
classes are spans of the text. A text with an upper-case character that is no letter
("Ⓐ") gets None: a scan for capitals would start a match there that the classes
cannot tell, so the caller scans the text itself.
"""

from __future__ import annotations

import codecs
import re

from store.extract.text import _per_document

_LETTER = re.compile(r"[^\W\d_]")


def class_of(c: str) -> str:
    """The class of one character, or "" for an upper-case character that is no letter ("Ⓐ")."""
    if c in "-'’":
        return "-"
    if c.isupper() and c <= "\uffff":
        return "U" if _LETTER.match(c) else ""
    return "a" if _LETTER.match(c) else " "


# Every Latin-1 character's class as a bytes.translate table.
_LATIN1_CLASSES = bytes(ord(class_of(chr(b))) for b in range(256))  # (no Latin-1 character is like "Ⓐ")


class _StandIns(dict):
    """A str.translate table: code point -> a Latin-1 character of its class ("Ł" -> "A", "ł" -> "a",
    "’" -> "'", "—" -> " "; "\\x00" for one of no class), filled as characters come."""

    def __missing__(self, code: int) -> str:
        stand_in = {"U": "A", "a": "a", "-": "'", " ": " ", "": "\x00"}[class_of(chr(code))]
        if len(self) > 10_000:
            self.clear()
        self[code] = stand_in
        return stand_in


_STAND_INS = _StandIns()


def _classes_beyond_latin1(err: UnicodeEncodeError) -> tuple[str, int]:
    """Encoding error handler: characters above Latin-1 become a Latin-1 character of their class;
    an upper-case character that is no letter gives up (see class_of)."""
    stand_ins = err.object[err.start:err.end].translate(_STAND_INS)
    if "\x00" in stand_ins:
        raise err
    return stand_ins, err.end


codecs.register_error("store.extract.letterclasses", _classes_beyond_latin1)


def _classes(text: str) -> bytes | None:
    try:
        raw = text.encode("latin-1", "store.extract.letterclasses")
    except UnicodeEncodeError:
        return None
    return raw.translate(_LATIN1_CLASSES)


def letter_classes(text: str) -> bytes | None:
    """One class byte per character of ``text`` (see the module docstring), or None when a scan must
    read the text itself; worked out once for the document being extracted."""
    return _per_document(text, "letter_classes", _classes)

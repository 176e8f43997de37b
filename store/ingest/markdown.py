"""Markdown (.md, .markdown): the Markdown source minus its YAML front matter.

``text`` is the file's text after the front matter, kept as Markdown source
(``#`` markers, ``**bold**`` and all) so that character offsets into it are
offsets into what the author wrote; the viewer renders it.

Title: front matter ``title``; else the first line if it is a heading of any
level; else the first level-1 heading; else None. Date: front matter ``date``
(or ``published``/``published_time``), never guessed from the body.

Front matter is parsed by a small YAML subset reader (scalars, quoted strings
with escapes and line folding, block scalars): enough for real front matter
and no dependency, no object construction, nothing executable.
"""

from __future__ import annotations

import re
from pathlib import Path

from store.document import Document
from store.ingest.common import decode_text, one_line, parse_date, require_text, tidy

# Front matter longer than this is not front matter but a document that
# happens to start with a rule.
_MAX_FRONT_MATTER_LINES = 200
_KEY = re.compile(r"^([A-Za-z_][\w\-]*)[ \t]*:(?:[ \t]+(.*)|[ \t]*)$")
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_INLINE = (
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images keep their text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])"), r"\2"),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])"), r"\1"),
)
_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\u00a0",
    "L": "\u2028", "P": "\u2029",
}


def read(path: Path, data: bytes) -> Document:
    raw, encoding = decode_text(data)
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    front, body = split_front_matter(raw)
    text = require_text(tidy(body))
    title = one_line(front.get("title")) or first_heading(text)
    date = None
    for key in ("date", "published", "published_time", "published_at", "pubdate"):
        date = parse_date(front.get(key))
        if date:
            break
    meta = {"encoding": encoding}
    for key in ("source_url", "url", "source", "author"):
        if front.get(key):
            meta[key] = one_line(front[key]) or ""
    return Document(path=path, format="md", text=text, title=title, date=date, meta=meta)


def split_front_matter(raw: str) -> tuple[dict[str, str], str]:
    """(front matter scalars, body). No front matter -> ({}, raw)."""
    lines = raw.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return {}, raw
    for end in range(1, min(len(lines), _MAX_FRONT_MATTER_LINES + 1)):
        if lines[end].rstrip() in ("---", "..."):
            return parse_yaml_scalars(lines[1:end]), "\n".join(lines[end + 1:])
    return {}, raw


def parse_yaml_scalars(lines: list[str]) -> dict[str, str]:
    """Top-level ``key: scalar`` pairs of a YAML mapping; other values are skipped."""
    out: dict[str, str] = {}
    i = 0
    while i < len(lines):
        m = _KEY.match(lines[i])
        if not m:
            i += 1
            continue
        key, first = m.group(1), (m.group(2) or "")
        j = i + 1
        while j < len(lines) and (not lines[j].strip() or lines[j][:1] in (" ", "\t")):
            j += 1
        rest = lines[i + 1:j]
        value = _scalar(first, rest)
        if value is not None:
            out[key] = value
        i = j
    return out


def _scalar(first: str, rest: list[str]) -> str | None:
    first = first.strip()
    if first.startswith('"'):
        return _double_quoted("\n".join([first[1:], *rest]))
    if first.startswith("'"):
        return _single_quoted("\n".join([first[1:], *rest]))
    if first[:1] in ("|", ">"):
        body = [l.strip() for l in rest]
        return ("\n" if first[0] == "|" else " ").join(body).strip()
    if first[:1] in ("[", "{", "&", "*", "!") or (not first and rest and rest[0].strip().startswith("-")):
        return None  # lists, maps, anchors, tags: not a plain title or date
    value = " ".join([first, *(l.strip() for l in rest)]).strip()
    return re.sub(r"\s+#.*$", "", value)


def _fold(text: str) -> str:
    # YAML flow folding: a single line break is a space, blank lines are newlines.
    parts = re.split(r"[ \t]*\n[ \t]*", text)
    out, blanks = [parts[0]], 0
    for part in parts[1:]:
        if part == "":
            blanks += 1
            continue
        out.append("\n" * blanks if blanks else " ")
        out.append(part)
        blanks = 0
    return "".join(out)


def _single_quoted(text: str) -> str:
    end = 0
    while True:
        end = text.find("'", end)
        if end == -1 or text[end + 1:end + 2] != "'":
            break
        end += 2
    body = text if end == -1 else text[:end]
    return _fold(body).replace("''", "'")


def _double_quoted(text: str) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            break
        if ch == "\\" and i + 1 < n:
            nxt = text[i + 1]
            if nxt == "\n":  # escaped line break: join without a space
                i += 2
                while i < n and text[i] in " \t":
                    i += 1
                continue
            width = {"x": 2, "u": 4, "U": 8}.get(nxt)
            if width:
                try:
                    out.append(chr(int(text[i + 2:i + 2 + width], 16)))
                    i += 2 + width
                    continue
                except ValueError:
                    pass
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
            continue
        if ch == "\n":
            while out and out[-1] in (" ", "\t"):
                out.pop()
            i += 1
            blanks = 0
            while i < n and text[i] in " \t\n":
                blanks += text[i] == "\n"
                i += 1
            out.append("\n" * blanks if blanks else " ")
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _plain_inline(text: str) -> str:
    for pattern, repl in _INLINE:
        text = pattern.sub(repl, text)
    return text


def first_heading(text: str) -> str | None:
    """The first line if it is a heading (any level), else the first ``#`` heading."""
    lines = text.split("\n")
    in_fence = False
    first_content = True
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            first_content = False
            continue
        if in_fence or not line.strip():
            continue
        atx = _ATX.match(line)
        setext = i + 1 < len(lines) and _SETEXT.match(lines[i + 1]) and not line.startswith((" " * 4, "\t"))
        if atx and (first_content or len(atx.group(1)) == 1):
            return one_line(_plain_inline(atx.group(2)))
        if setext and not atx and (first_content or lines[i + 1].strip().startswith("=")):
            return one_line(_plain_inline(line))
        first_content = False
    return None

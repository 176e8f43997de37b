"""The note as CommonMark (GFM pipe table for the participants).

Readable as plain text, and safe to render: every value is escaped so a title
with ``|``, ``*`` or ``<script>`` stays text on GitHub, in markdown-it and in
Textual's Markdown widget. Highlights become ``**strong**`` and ``*emphasis*``
only where CommonMark's flanking rules guarantee they render as such; a line
where they would not is written without them rather than with stray asterisks.
"""

from __future__ import annotations

import re

from store.export.note import HIGHLIGHT_LEGEND, Note, Segment

# Always escaped: inline syntax (emphasis, code, links, raw HTML, GFM tables and strikethrough).
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
# "&amp;" would render as "&": escape an ampersand that could begin an entity reference
# (also at the end of a piece, whose continuation is escaped separately). "A & B" stays.
_ENTITY = re.compile(r"&(?=[#A-Za-z0-9]|$)")
# Block syntax at the start of a line: headings, lists, quotes, setext underlines, fences.
_LINE_START = re.compile(r"^(?:([#+=-])|(\d{1,9})([.)]))")


def escape_inline(text: str) -> str:
    return _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", text))


def escape_line(text: str) -> str:
    """A whole line of text: inline escapes plus whatever would start a block."""
    text = escape_inline(text.lstrip())
    return _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text, count=1)


def escape_heading(text: str) -> str:
    """Every "#" escaped too: a trailing run would be read as the heading's closing sequence."""
    return escape_inline(text).replace("#", "\\#")


def _cell(text: str) -> str:
    return escape_inline(text) if text else "—"


def render_markdown(note: Note) -> str:
    out = [f"# {escape_heading(note.title)}", ""]
    if note.facts:
        out += [f"- **{label}:** {escape_inline(value)}" for label, value in note.facts]
        out.append("")
    if note.participants:
        out += ["## Participants", "", "| Name | Role | Country |", "| --- | --- | --- |"]
        out += [f"| {_cell(p.name)} | {_cell(p.role)} | {_cell(p.country)} |" for p in note.participants]
        out.append("")
    if note.themes:
        out += ["## Themes", "", escape_line(", ".join(t.label for t in note.themes)), ""]
    if note.followups:
        out += ["## Follow-ups", ""]
        for f in note.followups:
            who = ", ".join(f.actors)
            item = f"**{escape_inline(who)}:** {escape_inline(f.text)}" if who else escape_line(f.text)
            if f.due:
                item += f" (due {escape_inline(f.due)})"
            out.append(f"- {item}")
        out.append("")
    if note.paragraphs:
        out += ["## Text", ""]
        if note.highlighted:
            out += [f"*{HIGHLIGHT_LEGEND}*", ""]
        budget = [_MAX_CHECKS]
        for para in note.paragraphs:
            lines = [_line(line, budget) for line in para]
            # A backslash at the end of a line is CommonMark's hard line break.
            out.append("\\\n".join(lines))
            out.append("")
    if note.provenance:
        out += ["---", ""]
        out += [f"- {label}: {escape_inline(value)}" for label, value in note.provenance]
        out.append("")
    return "\n".join(out)


# -- highlights --------------------------------------------------------------------------
# Emphasis in CommonMark depends on the characters around each delimiter (the
# "flanking" rules). Rather than second-guess them, every highlighted run is
# parsed once with markdown-it in its context; a run that would not render as
# intended is written as plain (escaped) text.
_CONTEXT = 16  # characters of neighbouring text parsed with a run
_MAX_RUN = 4000  # longer runs are not worth parsing twice: written plain
_MAX_CHECKS = 300  # per note; a hostile record highlighting every line gets the rest plain


_PARSER = None


def _md():
    global _PARSER
    if _PARSER is None:
        from markdown_it import MarkdownIt

        _PARSER = MarkdownIt("commonmark")
    return _PARSER


def _style(seg: Segment) -> tuple[bool, bool]:
    return seg.strong, seg.emphasis


def _merge(line: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for seg in line:
        if out and _style(out[-1]) == _style(seg):
            out[-1] = Segment(out[-1].text + seg.text, seg.strong, seg.emphasis)
        else:
            out.append(seg)
    return out


def _nested(run: list[Segment], pieces: list[str]) -> str:
    """The run with one outer delimiter when a style covers all of it, inner ones for the rest."""
    if all(s.emphasis for s in run):
        outer, inner = "*", lambda s: "**" if s.strong else ""
    elif all(s.strong for s in run):
        outer, inner = "**", lambda s: "*" if s.emphasis else ""
    else:
        outer, inner = "", lambda s: "*" * ((2 if s.strong else 0) + (1 if s.emphasis else 0))
    body = "".join(f"{inner(s)}{piece}{inner(s)}" for s, piece in zip(run, pieces))
    return f"{outer}{body}{outer}"


def _renders_as(source: str, expected: list[Segment]) -> bool:
    tokens = _md().parseInline(source)[0].children or []
    got: list[Segment] = []
    strong = emph = 0
    for tok in tokens:
        kind = tok.type
        if kind == "text":
            if tok.content:
                got.append(Segment(tok.content, strong > 0, emph > 0))
        elif kind == "strong_open":
            strong += 1
        elif kind == "strong_close":
            strong -= 1
        elif kind == "em_open":
            emph += 1
        elif kind == "em_close":
            emph -= 1
        else:  # a break, code, link or HTML: not what the text says
            return False
    return _merge(got) == _merge(expected)


def _surely_renders(run: list[Segment]) -> bool:
    """One style between letters or digits: `*`/`**`/`***` always open and close there."""
    return len(run) == 1 and run[0].text[:1].isalnum() and run[0].text[-1:].isalnum()


def _escaped_pieces(line: list[Segment]) -> list[str]:
    """Each piece escaped; a block marker at the start of the line is escaped wherever it falls."""
    full = "".join(s.text for s in line)
    m = _LINE_START.match(full)
    mark = -1 if m is None else (m.start(1) if m[1] else m.end(2))
    out, offset = [], 0
    for seg in line:
        local = mark - offset
        if 0 <= local < len(seg.text):
            out.append(escape_inline(seg.text[:local]) + "\\" + escape_inline(seg.text[local:]))
        else:
            out.append(escape_inline(seg.text))
        offset += len(seg.text)
    return out


def _line(line: list[Segment], budget: list[int]) -> str:
    """One line of the text, escaped, with its highlights where they are sure to render."""
    line = _merge(line)
    pieces = _escaped_pieces(line)
    out: list[str] = []
    k = 0
    while k < len(line):
        seg = line[k]
        if not (seg.strong or seg.emphasis):
            out.append(pieces[k])
            k += 1
            continue
        end = k
        while end < len(line) and (line[end].strong or line[end].emphasis):
            end += 1
        run = line[k:end]
        candidate = _nested(run, pieces[k:end])
        if _surely_renders(run):
            out.append(candidate)
        elif budget[0] > 0 and sum(len(s.text) for s in run) <= _MAX_RUN:
            budget[0] -= 1
            before = line[k - 1].text[-_CONTEXT:] if k else ""
            after = line[end].text[:_CONTEXT] if end < len(line) else ""
            expected = ([Segment(before)] if before else []) + run + ([Segment(after)] if after else [])
            source = escape_inline(before) + candidate + escape_inline(after)
            out.append(candidate if _renders_as(source, expected) else "".join(pieces[k:end]))
        else:
            out.append("".join(pieces[k:end]))
        k = end
    return "".join(out)

"""The note as a Word document (python-docx), ready to paste into a cable draft.

Built-in styles only (Title, Heading 1, List Bullet, Table Grid), so the
document takes on the look of whatever template it is pasted into. A4 with
2 cm margins; the participants' header row repeats on every page.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone

from lxml import etree

import docx  # python-docx (absolute import: this module is store.export.docx)
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from store.export.note import HIGHLIGHT_LEGEND, Note, Segment

GREY = RGBColor(0x59, 0x59, 0x5E)


def _shade(cell, fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    props.append(shading)


def _repeat_header(row) -> None:
    props = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def _cell_margins(table, top: int = 50, side: int = 100) -> None:
    """Room around the text in every cell (twentieths of a point): Table Grid has almost none."""
    props = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for edge, size in (("top", top), ("left", side), ("bottom", top), ("right", side)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(size))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    props.append(margins)


def _title_size(title: str) -> Pt | None:
    """The Title style is 26 pt: fine for a few words, a wall for a press-release headline."""
    if len(title) <= 60:
        return None
    return Pt(20) if len(title) <= 120 else Pt(16)


# Runs of the text are built with lxml directly: python-docx's add_run/text setters
# cost ~0.1 ms each, which a 200 KB briefing with hundreds of highlights adds up to.
_R, _RPR, _B, _I, _T, _BR = (qn(t) for t in ("w:r", "w:rPr", "w:b", "w:i", "w:t", "w:br"))
_P, _PPR, _PSTYLE, _VAL, _SECTPR = qn("w:p"), qn("w:pPr"), qn("w:pStyle"), qn("w:val"), qn("w:sectPr")
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _add_run(p_el, text: str, *, bold: bool = False, italic: bool = False) -> None:
    run = etree.SubElement(p_el, _R)
    if bold or italic:
        props = etree.SubElement(run, _RPR)
        if bold:
            etree.SubElement(props, _B)
        if italic:
            etree.SubElement(props, _I)
    t = etree.SubElement(run, _T)
    t.text = text
    if text != text.strip():
        t.set(_SPACE, "preserve")


def _paragraph_adder(doc):
    """A function appending a w:p to the body, before its closing section properties.

    The anchor is looked up once: lxml counts children by walking them, so asking
    for it per paragraph would make a long briefing quadratic.
    """
    body = doc.element.body
    anchor = body.find(_SECTPR)

    def add(style_id: str | None = None):
        p_el = etree.Element(_P)
        if style_id:
            etree.SubElement(etree.SubElement(p_el, _PPR), _PSTYLE).set(_VAL, style_id)
        if anchor is not None:
            anchor.addprevious(p_el)
        else:
            body.append(p_el)
        return p_el

    return add


def _runs(p_el, line: list[Segment]) -> None:
    for s in line:
        _add_run(p_el, s.text, bold=s.strong, italic=s.emphasis)


def render_docx(note: Note) -> bytes:
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)

    props = doc.core_properties
    props.title = note.title[:255]
    props.subject = "Briefing note"
    props.keywords = ", ".join(note.keywords)[:255]
    props.category = "Briefing"
    props.author = ""
    props.last_modified_by = ""
    props.comments = "Exported by briefings" + (f" from briefing {note.id}" if note.id else "")
    props.language = note.lang
    props.revision = 1
    now = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    props.created = props.modified = now
    props.identifier = note.id[:255]

    new_paragraph = _paragraph_adder(doc)
    title = doc.add_paragraph(style="Title")
    run = title.add_run(note.title)
    if (size := _title_size(note.title)) is not None:
        run.font.size = size
    for label, value in note.facts:
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        p.add_run(f"{label}: ").bold = True
        p.add_run(value)

    if note.participants:
        doc.add_heading("Participants", level=1)
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        _cell_margins(table)
        header = table.rows[0]
        _repeat_header(header)
        for cell, text in zip(header.cells, ("Name", "Role", "Country")):
            cell.paragraphs[0].add_run(text).bold = True
            _shade(cell, "E7E6E6")
        for person in note.participants:
            cells = table.add_row().cells
            for cell, text in zip(cells, (person.name, person.role, person.country)):
                cell.text = text or "—"

    if note.themes:
        doc.add_heading("Themes", level=1)
        doc.add_paragraph(", ".join(t.label for t in note.themes))

    if note.followups:
        doc.add_heading("Follow-ups", level=1)
        bullet = doc.styles["List Bullet"].style_id  # looked up once: by name it is slow
        for f in note.followups:
            p_el = new_paragraph(bullet)
            if f.actors:
                _add_run(p_el, ", ".join(f.actors) + ": ", bold=True)
            _add_run(p_el, f.text + (f" (due {f.due})" if f.due else ""))

    if note.paragraphs:
        doc.add_heading("Text", level=1)
        if note.highlighted:
            legend = doc.add_paragraph().add_run(HIGHLIGHT_LEGEND)
            legend.italic = True
            legend.font.size = Pt(9)
            legend.font.color.rgb = GREY
        for para in note.paragraphs:
            p_el = new_paragraph()
            for k, line in enumerate(para):
                if k:
                    etree.SubElement(etree.SubElement(p_el, _R), _BR)
                _runs(p_el, line)

    if note.provenance:
        doc.add_paragraph()
        for label, value in note.provenance:
            p = doc.add_paragraph()
            p.paragraph_format.space_after = Pt(0)
            run = p.add_run(f"{label}: {value}")
            run.font.size = Pt(8)
            run.font.color.rgb = GREY

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()

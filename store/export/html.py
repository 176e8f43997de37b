"""The note as one self-contained HTML page, ready to print to PDF from a browser.

Inline CSS only: no script, no external asset, no link, and a
Content-Security-Policy that forbids loading anything should a value ever slip
through. Every value goes through :func:`html.escape`.
"""

from __future__ import annotations

from html import escape

from store.export.note import HIGHLIGHT_LEGEND, Note, Segment

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { background: #f3f3f1; }
body { margin: 0; padding: 32px 16px; color: #1d1d1f;
  font: 16px/1.55 "Georgia", "Cambria", "Times New Roman", serif; }
.note { max-width: 780px; margin: 0 auto; background: #fff; padding: 48px 56px;
  border: 1px solid #dcdcd8; }
.kicker { margin: 0 0 6px; font: 600 12px/1.4 "Helvetica Neue", Arial, sans-serif;
  letter-spacing: .08em; text-transform: uppercase; color: #6b6b70; }
h1 { margin: 0 0 16px; font-size: 26px; line-height: 1.25; font-weight: 700; }
h2 { margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #d6d6d2;
  font: 600 13px/1.4 "Helvetica Neue", Arial, sans-serif; letter-spacing: .06em;
  text-transform: uppercase; color: #3a3a40; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0;
  font: 14px/1.5 "Helvetica Neue", Arial, sans-serif; }
dl.facts dt { color: #6b6b70; }
dl.facts dd { margin: 0; }
table { width: 100%; border-collapse: collapse; font: 14px/1.45 "Helvetica Neue", Arial, sans-serif; }
th, td { border: 1px solid #c9c9c4; padding: 6px 10px; text-align: left; vertical-align: top; }
th { background: #ececea; font-weight: 600; }
ul.themes { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 6px; }
ul.themes li { font: 13px/1.4 "Helvetica Neue", Arial, sans-serif; padding: 2px 10px;
  border: 1px solid #c9c9c4; border-left-width: 4px; border-radius: 3px; }
ul.followups { padding-left: 20px; margin: 0; }
ul.followups li { margin: 0 0 6px; }
.due { color: #55555a; white-space: nowrap; }
.legend { font: italic 13px/1.4 "Helvetica Neue", Arial, sans-serif; color: #6b6b70; margin: 0 0 12px; }
.text p { margin: 0 0 12px; text-align: left; hyphens: auto; overflow-wrap: anywhere; }
footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid #d6d6d2;
  font: 12px/1.5 "Helvetica Neue", Arial, sans-serif; color: #6b6b70; }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 12px; margin: 0; }
footer dd { margin: 0; overflow-wrap: anywhere; }
footer .hash { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 11px; }
@page { size: A4; margin: 18mm 18mm 20mm; }
@media print {
  html, body { background: #fff; }
  body { padding: 0; font-size: 11pt; }
  .note { max-width: none; border: 0; padding: 0; }
  h1 { font-size: 18pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr, li, dl { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  th { background: #ececea; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .text p { orphans: 3; widows: 3; }
}
""".strip()

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'"


def _e(text: str) -> str:
    return escape(text, quote=True)


def _segments(line: list[Segment]) -> str:
    out = []
    for s in line:
        piece = _e(s.text)
        if s.emphasis:
            piece = f"<em>{piece}</em>"
        if s.strong:
            piece = f"<strong>{piece}</strong>"
        out.append(piece)
    return "".join(out)


def render_html(note: Note) -> str:
    h = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(note.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(note.title)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        '<main class="note">',
        "<header>",
        '<p class="kicker">Briefing note</p>',
        f"<h1>{_e(note.title)}</h1>",
    ]
    if note.facts:
        h.append('<dl class="facts">')
        h += [f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>" for label, value in note.facts]
        h.append("</dl>")
    h.append("</header>")
    if note.participants:
        h += ['<section class="participants">', "<h2>Participants</h2>", "<table>",
              '<thead><tr><th scope="col">Name</th><th scope="col">Role</th>'
              '<th scope="col">Country</th></tr></thead>', "<tbody>"]
        h += [f"<tr><td>{_e(p.name) or '—'}</td><td>{_e(p.role) or '—'}</td><td>{_e(p.country) or '—'}</td></tr>"
              for p in note.participants]
        h += ["</tbody>", "</table>", "</section>"]
    if note.themes:
        h += ['<section class="themes">', "<h2>Themes</h2>", '<ul class="themes">']
        for t in note.themes:
            style = f' style="border-left-color: {t.color}"' if t.color else ""  # validated #rrggbb
            h.append(f"<li{style}>{_e(t.label)}</li>")
        h += ["</ul>", "</section>"]
    if note.followups:
        h += ['<section class="followups">', "<h2>Follow-ups</h2>", '<ul class="followups">']
        for f in note.followups:
            who = f"<strong>{_e(', '.join(f.actors))}:</strong> " if f.actors else ""
            due = f' <span class="due">(due {_e(f.due)})</span>' if f.due else ""
            h.append(f"<li>{who}{_e(f.text)}{due}</li>")
        h += ["</ul>", "</section>"]
    if note.paragraphs:
        h += ['<section class="text">', "<h2>Text</h2>"]
        if note.highlighted:
            h.append(f'<p class="legend">{_e(HIGHLIGHT_LEGEND)}</p>')
        for para in note.paragraphs:
            h.append("<p>" + "<br>\n".join(_segments(line) for line in para) + "</p>")
        h.append("</section>")
    if note.provenance:
        h += ["<footer>", "<dl>"]
        for label, value in note.provenance:
            cls = ' class="hash"' if label in {"Content SHA-256", "Briefing id"} else ""
            h.append(f"<dt>{_e(label)}</dt><dd{cls}>{_e(value)}</dd>")
        h += ["</dl>", "</footer>"]
    h += ["</main>", "</body>", "</html>", ""]
    return "\n".join(h)

"""Builders of real input files for the ingest tests: PDF, Word, email, HTML.

Everything is generated in memory with the libraries the project already has
(python-docx, pypdf, the stdlib email package) or by hand (a minimal PDF), so
the tests need no binary fixtures and no network.
"""

from __future__ import annotations

import io
import struct
import zipfile
from email.message import EmailMessage
from pathlib import Path

# --- PDF ------------------------------------------------------------------------


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf_bytes(pages: list[list[str]], *, title: str | None = None, image_only: bool = False) -> bytes:
    """A minimal valid PDF: one Helvetica text line per list item, one page per list.

    ``image_only`` makes every page a 1x1 grey image with no text, like a scan.
    Offsets in the xref table are computed, so pypdf reads it without repairs.
    """
    objects: list[bytes] = []  # objects[i] is object number i + 1

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in once the page tree exists
    page_tree = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    image = add(
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream"
    )
    page_ids = []
    for lines in pages:
        if image_only:
            content = b"q 612 0 0 792 0 0 cm /Im1 Do Q"
        else:
            shown = b" T* ".join(_pdf_string(line) + b" Tj" for line in lines)
            content = b"BT /F1 12 Tf 14 TL 72 720 Td " + shown + b" ET"
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        page_ids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] " % page_tree
                + b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> " % (font, image)
                + b"/Contents %d 0 R >>" % stream
            )
        )
    kids = b" ".join(b"%d 0 R" % p for p in page_ids)
    objects[page_tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % page_tree
    info = add(b"<< /Title " + _pdf_string(title) + b" >>") if title is not None else None

    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, catalog)
    if info:
        trailer += b" /Info %d 0 R" % info
    out.write(b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def encrypted_pdf_bytes(lines: list[str], *, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([lines]))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- Word -----------------------------------------------------------------------


def make_docx(
    path: Path,
    blocks: list[tuple[str, str | list[list[str]]]],
    *,
    core_title: str | None = None,
) -> Path:
    """Write a .docx; blocks are ("Heading 1"/"Title"/"Normal", text) or ("table", rows)."""
    import docx

    document = docx.Document()
    for kind, content in blocks:
        if kind == "table":
            assert isinstance(content, list)
            table = document.add_table(rows=len(content), cols=len(content[0]))
            for r, row in enumerate(content):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
        else:
            assert isinstance(content, str)
            document.add_paragraph(content, style=kind)
    if core_title is not None:
        document.core_properties.title = core_title
    document.save(str(path))
    return path


def zip_with_declared_size(members: dict[str, bytes], fake_sizes: dict[str, int]) -> bytes:
    """A zip whose central directory lies about some members' unpacked sizes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    raw = bytearray(buf.getvalue())
    pos = 0
    while (pos := raw.find(b"PK\x01\x02", pos)) != -1:
        name_len = struct.unpack_from("<H", raw, pos + 28)[0]
        name = raw[pos + 46 : pos + 46 + name_len].decode()
        if name in fake_sizes:
            struct.pack_into("<I", raw, pos + 24, fake_sizes[name])
        pos += 46
    return bytes(raw)


# --- email ----------------------------------------------------------------------


def email_bytes(
    body: str | None,
    *,
    subject: str = "Readout",
    date: str = "Tue, 26 Mar 2024 18:47:00 -0400",
    sender: str = "Press Office <press@example.org>",
    cte: str | None = None,
    html: str | None = None,
    attach: EmailMessage | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "desk@example.org"
    msg["Subject"] = subject
    msg["Date"] = date
    if body is not None:
        msg.set_content(body, cte=cte) if cte else msg.set_content(body)
        if html is not None:
            msg.add_alternative(html, subtype="html")
    elif html is not None:
        msg.set_content(html, subtype="html")
    if attach is not None:
        msg.add_attachment(attach)
    return msg.as_bytes()


def inner_message(body: str, *, subject: str, date: str, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["Subject"] = subject
    msg["Date"] = date
    msg.set_content(body)
    return msg


def many_part_email(n_parts: int) -> bytes:
    parts = "".join(f"--B\nContent-Type: text/plain\n\npart number {i}\n" for i in range(n_parts))
    head = "From: a@example.org\nSubject: Many parts\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n"
    return (head + parts + "--B--\n").encode()


def nested_email(depth: int) -> bytes:
    head = "From: a@example.org\nSubject: Deep\nMIME-Version: 1.0\n"
    body = "Content-Type: text/plain\n\nthe innermost text\n"
    for level in range(depth):
        b = f"L{level}"
        body = f"Content-Type: multipart/mixed; boundary={b}\n\n--{b}\n{body}--{b}--\n"
    return (head + body).encode()


# --- HTML -----------------------------------------------------------------------

ARTICLE_PARAGRAPHS = [
    "The foreign ministers of Ruritania and Freedonia met in Strelsau on 3 June 2024.",
    "They agreed to open a consulate in the port city and to resume direct flights.",
    "The next round of consultations will take place in Freedonia in the autumn.",
]
CHROME_TEXTS = [
    "We use cookies to improve your experience",
    "Accept all cookies",
    "Home",
    "About the Ministry",
    "Consular services",
    "Related news",
    "Ministers discuss fisheries quotas",
    "All rights reserved",
    "Share on Facebook",
    "Subscribe to our newsletter",
    "trackVisitor",
]


def article_page(*, with_h1: bool = True, title_suffix: str = " | Ministry of Foreign Affairs of Ruritania") -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    h1 = "<h1>Ruritania and Freedonia hold consultations</h1>" if with_h1 else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ruritania and Freedonia hold consultations{title_suffix}</title>
<script>function trackVisitor(){{document.write('trackVisitor');}}</script>
<style>.cookie{{display:block}}</style>
</head><body>
<div class="cookie-banner"><p>We use cookies to improve your experience on this site.</p><button>Accept all cookies</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/about">About the Ministry</a></li>
<li><a href="/consular">Consular services</a></li></ul></nav></header>
<main><article>{h1}
<p class="dateline"><time datetime="2024-06-03">3 June 2024</time></p>
{paragraphs}
<table><tr><td>Delegation</td><td>Head</td></tr><tr><td>Ruritania</td><td>Rudolf Rassendyll</td></tr></table>
<div class="share">Share on Facebook</div>
</article>
<aside class="related"><h2>Related news</h2><ul><li><a href="/n/1">Ministers discuss fisheries quotas</a> <span>01.06.2024</span></li></ul></aside>
</main>
<div class="newsletter">Subscribe to our newsletter</div>
<footer><p>© 2024 Ministry of Foreign Affairs of Ruritania. All rights reserved.</p></footer>
<script>trackVisitor();</script>
</body></html>"""

"""store.ingest: every format from real files built in tmp_path, every error reason,
the folder walk, and the shared dev set."""

from __future__ import annotations

import builtins
import json
import os
import re
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.document import Document
from store.errors import IngestError
from store.ingest import DEFAULT_MAX_BYTES, FORMATS, SKIPPED, FileItem, iter_files, read_document
from store.ingest.common import MB, parse_date
from store.ingest.mail import strip_prefixes
from store.ingest.markdown import first_heading, split_front_matter
from store.ingest.pdf import dehyphenate
try:  # tests/ is a plain folder under pytest's default import mode, a package if __init__.py appears
    from ingest_fixtures import (
        ARTICLE_PARAGRAPHS,
        CHROME_TEXTS,
        article_page,
        email_bytes,
        encrypted_pdf_bytes,
        inner_message,
        make_docx,
        many_part_email,
        nested_email,
        pdf_bytes,
        zip_with_declared_size,
    )
except ImportError:
    from tests.ingest_fixtures import (
        ARTICLE_PARAGRAPHS,
        CHROME_TEXTS,
        article_page,
        email_bytes,
        encrypted_pdf_bytes,
        inner_message,
        make_docx,
        many_part_email,
        nested_email,
        pdf_bytes,
        zip_with_declared_size,
    )

DEV = Path("/work/shared/eval/dev")
WH = Path("/work/shared/real/wh-readouts")


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def reason(path: Path, **kwargs: int) -> str:
    with pytest.raises(IngestError) as info:
        read_document(path, **kwargs)
    assert info.value.path == Path(os.path.abspath(path))
    return info.value.reason


# --- API ------------------------------------------------------------------------


def test_formats_and_limit() -> None:
    assert FORMATS == {
        ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html",
        ".htm": "html", ".eml": "eml", ".docx": "docx", ".pdf": "pdf",
    }
    assert DEFAULT_MAX_BYTES == 20 * 1024 * 1024


def test_document_shape_and_absolute_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "a.TXT", "Hello there.\n")
    monkeypatch.chdir(tmp_path)
    doc = read_document(Path("a.TXT"))
    assert isinstance(doc, Document)
    assert doc.path == tmp_path / "a.TXT" and doc.path.is_absolute()
    assert (doc.format, doc.text, doc.title, doc.date) == ("txt", "Hello there.", None, None)


# --- plain text ------------------------------------------------------------------

RUSSIAN = "Министр иностранных дел провёл переговоры с коллегой.\nСтороны обсудили сотрудничество."
WESTERN = "Le ministre a reçu son homologue à Genève. Déjà-vu: Müller, Señor Núñez, façade, naïve.\n" * 3


@pytest.mark.parametrize(
    ("encoded", "expected", "encoding"),
    [
        ("Café in Zürich — “quotes”".encode("utf-8"), "Café in Zürich — “quotes”", "utf-8"),
        ("\ufeffCafé in Zürich".encode("utf-8"), "Café in Zürich", "utf-8-sig"),
        ("Café in Zürich".encode("utf-16"), "Café in Zürich", "utf-16-le"),
        ("Café in Zürich".encode("utf-16-be"), "Café in Zürich", "utf-16"),
        (RUSSIAN.encode("cp1251"), RUSSIAN, "cp1251"),
        (WESTERN.encode("latin-1"), WESTERN.strip(), None),
    ],
)
def test_txt_encodings(tmp_path: Path, encoded: bytes, expected: str, encoding: str | None) -> None:
    doc = read_document(write(tmp_path, "doc.txt", encoded))
    assert doc.text == expected
    assert doc.title is None
    if encoding:
        assert doc.meta["encoding"] == encoding


def test_txt_normalises_newlines_nfc_spaces_and_blank_runs(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Türkiye")
    raw = f"Title  \r\n\r\n\r\n\r\nFirst para with {decomposed}.   \rSecond line\x1b[31m red\n\n\n\n\nEnd\t\n"
    doc = read_document(write(tmp_path, "doc.txt", raw))
    assert doc.text == "Title\n\nFirst para with Türkiye.\nSecond line[31m red\n\nEnd"
    assert "\x1b" not in doc.text  # no escape sequences reach the terminal


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        b"text with a NUL \x00 in the middle" * 20,
        bytes(range(1, 32)) * 40,
    ],
)
def test_txt_binary_is_rejected(tmp_path: Path, data: bytes) -> None:
    assert reason(write(tmp_path, "doc.txt", data)) == "binary data, not text"


def test_binary_in_markdown_is_rejected(tmp_path: Path) -> None:
    assert reason(write(tmp_path, "doc.md", b"\x00\x01\x02" * 500)) == "binary data, not text"


# --- errors common to every format -------------------------------------------------


@pytest.mark.parametrize("name", ["empty.txt", "empty.md", "empty.html", "empty.eml", "empty.docx", "empty.pdf"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    assert reason(write(tmp_path, name, b"")) == "empty: no text"


@pytest.mark.parametrize(("name", "data"), [("blank.txt", " \n\t\r\n  \n"), ("blank.md", "---\ntitle: x\n---\n\n  \n")])
def test_no_text(tmp_path: Path, name: str, data: str) -> None:
    assert reason(write(tmp_path, name, data)) == "empty: no text"


def test_unsupported_type(tmp_path: Path) -> None:
    assert reason(write(tmp_path, "data.xyz", b"hello")) == "unsupported file type .xyz"
    assert reason(write(tmp_path, "README", b"hello")) == "unsupported file type (no extension)"
    assert reason(tmp_path / "missing.rtf") == "unsupported file type .rtf"


def test_too_large_is_refused_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(int(52.4 * MB))  # sparse: costs no disk and no time
    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        assert Path(file) != path, "an oversized file must not be opened"
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    assert reason(path) == "too large: 52.4 MB over the 20 MB limit"
    small = write(tmp_path, "small.txt", "x" * 2048)
    assert reason(small, max_bytes=1024) == "too large: 2 KB over the 1 KB limit"
    assert read_document(small, max_bytes=4096).text == "x" * 2048


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "secret.txt", "classified")
    real_open = builtins.open

    def denying_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(file) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", denying_open)
    assert reason(path) == "cannot read: permission denied"


def test_missing_folder_and_fifo(tmp_path: Path) -> None:
    assert reason(tmp_path / "gone.txt") == "cannot read: no such file"
    (tmp_path / "dir.txt").mkdir()
    assert reason(tmp_path / "dir.txt") == "cannot read: is a folder"
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.txt")
        assert reason(tmp_path / "pipe.txt") == "cannot read: not a regular file"


def test_unexpected_reader_errors_are_wrapped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import store.ingest.text as text_reader

    def boom(path: Path, data: bytes) -> Document:
        raise RuntimeError("library bug\nsecond line")

    monkeypatch.setattr(text_reader, "read", boom)
    assert reason(write(tmp_path, "a.txt", "hi")) == "cannot read txt file: RuntimeError: library bug"


# --- Markdown -----------------------------------------------------------------------

WH_SHAPE = """---
tags: statements-releases
date: '2021-01-23'
modified_time: 2021-01-23 19:22:35-05:00
source_url: https://example.gov/briefing-room/2021/01/23/readout/
published_time: 2021-01-23 19:04:00-05:00
title: "Readout of President Joseph R. Biden Call with Prime Minister Boris Johnson\\
  \\ of the United\\_Kingdom \\u2013 \\"quoted\\""
---
\u00a0
President Joseph R. Biden spoke today with Prime Minister Boris
Johnson of the United Kingdom.

\\###
"""


def test_markdown_front_matter(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "r.md", WH_SHAPE))
    assert doc.format == "md"
    assert doc.title == 'Readout of President Joseph R. Biden Call with Prime Minister Boris Johnson of the United Kingdom – "quoted"'
    assert doc.date == "2021-01-23"
    assert doc.meta["source_url"] == "https://example.gov/briefing-room/2021/01/23/readout/"
    assert doc.text.startswith("President Joseph R. Biden spoke today")
    assert "title:" not in doc.text and "---" not in doc.text
    assert doc.text.endswith("\\###")  # Markdown source is kept as written


def test_markdown_heading_title_and_source_kept(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "a.md", "# The **Summit** in [Samarkand](https://x.example)\n\n*Press release*\n\n## Outcomes\n\n- one\n"))
    assert doc.title == "The Summit in Samarkand"
    assert doc.text.startswith("# The **Summit**")
    assert doc.date is None
    assert read_document(write(tmp_path, "b.md", "## Outcome of the consultation\n\n1. Text.\n")).title == "Outcome of the consultation"
    assert read_document(write(tmp_path, "c.md", "Intro paragraph.\n\n## Section\n\nMore.\n")).title is None
    assert read_document(write(tmp_path, "d.md", "Intro.\n\n```\n# not a heading\n```\n\n# Real title\n")).title == "Real title"


def test_markdown_front_matter_edge_cases() -> None:
    assert split_front_matter("no front matter\n---\n")[0] == {}
    front, body = split_front_matter("---\ntitle: 'It''s plain'\ndate: 2024-05-06\nlist:\n  - a\n---\nBody")
    assert front == {"title": "It's plain", "date": "2024-05-06"} and body == "Body"
    assert first_heading("Title\n=====\n\ntext") == "Title"
    unterminated = "---\ntitle: x\n" + "line\n" * 300
    assert split_front_matter(unterminated) == ({}, unterminated)


@pytest.mark.skipif(not WH.is_dir(), reason="shared readouts not present")
def test_real_white_house_readouts() -> None:
    files = sorted(WH.glob("*.md"))
    assert len(files) >= 150
    for path in files:
        doc = read_document(path)
        assert doc.title and "\\" not in doc.title and "\u00a0" not in doc.title, path.name
        assert doc.date == path.name[:10], path.name
        assert not doc.text.startswith("---") and "published_time:" not in doc.text, path.name


# --- HTML ---------------------------------------------------------------------------


def test_html_keeps_only_the_article(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "page.html", article_page()))
    assert doc.format == "html"
    assert doc.title == "Ruritania and Freedonia hold consultations"
    assert doc.date == "2024-06-03"
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in doc.text
    for chrome in CHROME_TEXTS:
        assert chrome not in doc.text, chrome
    assert "function" not in doc.text and "<" not in doc.text
    # paragraphs are separated by blank lines; the headline comes first
    assert doc.text.startswith("Ruritania and Freedonia hold consultations\n\n")
    assert f"{ARTICLE_PARAGRAPHS[0]}\n\n{ARTICLE_PARAGRAPHS[1]}" in doc.text
    assert "Ruritania | Rudolf Rassendyll" in doc.text  # tables are kept, one row a line


@pytest.mark.parametrize(
    ("suffix", "expected_site"),
    [
        (" | Ministry of Foreign Affairs of Ruritania", "Ministry of Foreign Affairs of Ruritania"),
        (" - Ministry of Foreign Affairs of Ruritania", "Ministry of Foreign Affairs of Ruritania"),
        (" » Strelsau Times", "Strelsau Times"),
        ("", None),
    ],
)
def test_html_title_without_h1_strips_site_suffix(tmp_path: Path, suffix: str, expected_site: str | None) -> None:
    doc = read_document(write(tmp_path, "p.htm", article_page(with_h1=False, title_suffix=suffix)))
    assert doc.title == "Ruritania and Freedonia hold consultations"
    assert doc.meta.get("site") == expected_site


def test_html_title_keeps_a_dash_that_is_part_of_the_headline(tmp_path: Path) -> None:
    page = "<html><head><title>EU - Central Asia summit opens</title></head><body><p>" + "Text. " * 30 + "</p></body></html>"
    assert read_document(write(tmp_path, "p.html", page)).title == "EU - Central Asia summit opens"


def test_html_dates(tmp_path: Path) -> None:
    meta = """<html><head><title>T</title><meta property="article:published_time" content="2025-11-18T16:42:00+03:00">
    <meta property="article:modified_time" content="2025-11-20T10:00:00+03:00"></head>
    <body><article><h1>Headline</h1><p>""" + "The sides met in Doha and agreed on many things. " * 10 + "</p></article></body></html>"
    assert read_document(write(tmp_path, "m.html", meta)).date == "2025-11-18"
    none = "<html><body><article><h1>Undated</h1><p>" + "No date appears anywhere on this page. " * 10 + "</p></article></body></html>"
    assert read_document(write(tmp_path, "n.html", none)).date is None


def test_html_tiny_page_falls_back_to_body_text(tmp_path: Path) -> None:
    page = "<html><body><nav>Menu</nav><p>Short note.</p><div>Second <b>line</b>.<br>Third line.</div><footer>Footer</footer></body></html>"
    doc = read_document(write(tmp_path, "tiny.html", page))
    assert doc.text == "Short note.\n\nSecond line.\nThird line."


def test_html_entities_are_not_expanded(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE html [\n<!ENTITY a "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA">\n'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(8))
        + "]>\n<html><body><p>Laughs: &i; &amp; the real text of the page.</p></body></html>"
    )
    start = time.perf_counter()
    doc = read_document(write(tmp_path, "bomb.html", bomb))
    assert time.perf_counter() - start < 2
    assert len(doc.text) < 2000
    assert "AAAAAAAAAA" not in doc.text
    assert "the real text of the page" in doc.text


def test_html_scripts_never_run_and_huge_pages_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import store.ingest.html as html_reader

    marker = tmp_path / "ran"
    page = f"<html><body><script>require('fs').writeFileSync('{marker}', 'x')</script><p>Body text here.</p></body></html>"
    assert "writeFileSync" not in read_document(write(tmp_path, "s.html", page)).text
    assert not marker.exists()
    monkeypatch.setattr(html_reader, "MAX_MARKUP_CHARS", 1000)
    big = "<html><body>" + "<p>word</p>" * 500 + "</body></html>"
    assert reason(write(tmp_path, "big.html", big)).startswith("too large for a web page")


def test_html_legacy_encoding(tmp_path: Path) -> None:
    page = '<html><head><meta charset="windows-1251"><title>Встреча министров</title></head><body><p>Министры обсудили сотрудничество.</p></body></html>'
    doc = read_document(write(tmp_path, "ru.html", page.encode("cp1251")))
    assert doc.title == "Встреча министров"
    assert "Министры обсудили сотрудничество." in doc.text


# --- email --------------------------------------------------------------------------

LONG_LINE = "The ministers reviewed the implementation of the agreements reached by the presidents in Astana – naïve café. " * 3


def test_eml_quoted_printable_and_rfc2047(tmp_path: Path) -> None:
    data = email_bytes(LONG_LINE, subject="Fwd: RE: Встреча министров – Türkiye", cte="quoted-printable")
    assert b"=?utf-8?" in data and b"=\n" in data  # really RFC 2047 and QP soft breaks
    doc = read_document(write(tmp_path, "m.eml", data))
    assert doc.format == "eml"
    assert doc.title == "Встреча министров – Türkiye"
    assert doc.date == "2024-03-26"
    assert doc.text == LONG_LINE.strip()
    assert doc.meta["from"] == "Press Office <press@example.org>"
    assert "cover_note" not in doc.meta


def test_eml_base64_body(tmp_path: Path) -> None:
    body = "Министр иностранных дел принял посла.\n\nСтороны обсудили визит."
    data = email_bytes(body, subject="Readout", cte="base64")
    assert b"base64" in data
    assert read_document(write(tmp_path, "b.eml", data)).text == body


def test_eml_multipart_alternative_prefers_plain(tmp_path: Path) -> None:
    data = email_bytes("The plain version.", html="<html><body><p>The HTML version.</p></body></html>")
    assert read_document(write(tmp_path, "alt.eml", data)).text == "The plain version."


def test_eml_html_only_becomes_text(tmp_path: Path) -> None:
    html = "<html><body><p>First paragraph of the readout.</p><p>Second paragraph.</p><script>x()</script></body></html>"
    doc = read_document(write(tmp_path, "h.eml", email_bytes(None, html=html)))
    assert doc.text == "First paragraph of the readout.\n\nSecond paragraph."


def test_eml_bad_date_is_none(tmp_path: Path) -> None:
    assert read_document(write(tmp_path, "d.eml", email_bytes("Body.", date="sometime soon"))).date is None


FORWARD_STYLES = {
    "gmail": (
        "---------- Forwarded message ---------\nFrom: Ministry <press@mfa.example>\n"
        "Date: Tue, Mar 26, 2024 at 6:47 PM\nSubject: Minister meets counterpart\nTo: <desk@example.org>\n\n"
    ),
    "outlook": (
        "-----Original Message-----\nFrom: Ministry <press@mfa.example>\nSent: Tuesday, March 26, 2024 6:47 PM\n"
        "To: Desk\nSubject: RE: Minister meets counterpart\n\n"
    ),
    "apple": (
        "Begin forwarded message:\n\nFrom: Ministry <press@mfa.example>\nSubject: Minister meets counterpart\n"
        "Date: 26 March 2024 at 18:47:00 GMT+1\nTo: Desk <desk@example.org>\n\n"
    ),
    "russian": (
        "-------- Пересылаемое сообщение --------\nОт: Ministry <press@mfa.example>\n"
        "Дата: вторник, 26 марта 2024 г., 18:47\nТема: Minister meets counterpart\nКому: desk@example.org\n\n"
    ),
}
READOUT = "Minister meets counterpart\n\nThe Minister met his counterpart today.\n\nThey discussed trade."


@pytest.mark.parametrize("style", sorted(FORWARD_STYLES))
def test_eml_forwarded_inline(tmp_path: Path, style: str) -> None:
    body = "Colleagues,\n\nFor the file.\n\nM.K.\n\n" + FORWARD_STYLES[style] + READOUT + "\n"
    data = email_bytes(body, subject="Fwd: Minister meets counterpart", date="Wed, 27 Mar 2024 09:12:40 +0500",
                       sender="Desk Head <head@example.org>")
    doc = read_document(write(tmp_path, "f.eml", data))
    assert doc.text == READOUT
    assert doc.title == "Minister meets counterpart"
    assert doc.date == "2024-03-26"
    assert doc.meta["cover_note"] == "Colleagues,\n\nFor the file.\n\nM.K."
    assert doc.meta["from"] == "Desk Head <head@example.org>"
    assert doc.meta["forwarded_from"] == "Ministry <press@mfa.example>"


def test_eml_forwarded_as_attachment(tmp_path: Path) -> None:
    inner = inner_message(READOUT, subject="Minister meets counterpart", date="Tue, 26 Mar 2024 18:47:00 -0400",
                          sender="Ministry <press@mfa.example>")
    data = email_bytes("See attached.", subject="FW: Minister meets counterpart", date="Wed, 27 Mar 2024 09:00:00 +0000",
                       attach=inner)
    assert b"message/rfc822" in data
    doc = read_document(write(tmp_path, "att.eml", data))
    assert doc.text == READOUT
    assert (doc.title, doc.date) == ("Minister meets counterpart", "2024-03-26")
    assert doc.meta["cover_note"] == "See attached."


def test_eml_many_parts_are_bounded(tmp_path: Path) -> None:
    start = time.perf_counter()
    doc = read_document(write(tmp_path, "many.eml", many_part_email(10_000)))
    assert time.perf_counter() - start < 3
    assert doc.text.startswith("part number 0\n\npart number 1")
    assert "part number 9999" not in doc.text
    assert doc.meta["truncated"] == "only the first 1000 MIME parts were read"


def test_eml_deep_nesting_is_bounded(tmp_path: Path) -> None:
    assert reason(write(tmp_path, "deep.eml", nested_email(60))) == (
        "no readable text: parts nested deeper than 20 levels were not read"
    )
    assert read_document(write(tmp_path, "ok.eml", nested_email(5))).text == "the innermost text"


def test_subject_prefixes() -> None:
    assert strip_prefixes("Fwd: RE: FW: Re[2]: Topic") == "Topic"
    assert strip_prefixes("[EXTERNAL] Fwd: Topic") == "Topic"
    assert strip_prefixes("MFR: Meeting record") == "MFR: Meeting record"
    assert strip_prefixes("Summary: meeting") == "Summary: meeting"


# --- Word ---------------------------------------------------------------------------


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "cable.docx",
        [
            ("Heading 1", "UNCLASSIFIED // FOR INTERNAL DISTRIBUTION ONLY"),
            ("Heading 1", "Ministers meet in Istanbul"),
            ("Normal", "1. SUMMARY: the ministers met."),
            ("table", [["Side", "Head of delegation"], ["Türkiye", "Hakan Fidan"]]),
            ("Normal", "2. COMMENT: a useful meeting."),
        ],
    )
    doc = read_document(path)
    assert doc.format == "docx"
    assert doc.text == (
        "UNCLASSIFIED // FOR INTERNAL DISTRIBUTION ONLY\n\nMinisters meet in Istanbul\n\n1. SUMMARY: the ministers met.\n\n"
        "Side | Head of delegation\nTürkiye | Hakan Fidan\n\n2. COMMENT: a useful meeting."
    )
    assert doc.title == "Ministers meet in Istanbul"  # the classification banner is skipped
    assert doc.date is None  # the core 'created' date is not the document's date


def test_docx_title_sources(tmp_path: Path) -> None:
    core = make_docx(tmp_path / "a.docx", [("Heading 1", "Heading text"), ("Normal", "Body.")], core_title="Core title")
    assert read_document(core).title == "Core title"
    styled = make_docx(tmp_path / "b.docx", [("Normal", "Body first."), ("Title", "The Title"), ("Normal", "More.")])
    assert read_document(styled).title == "The Title"
    plain = make_docx(tmp_path / "c.docx", [("Normal", "Only body text.")], core_title="Document1")
    assert read_document(plain).title is None


def test_docx_corrupt_and_bombs(tmp_path: Path) -> None:
    assert reason(write(tmp_path, "junk.docx", b"this is not a zip file at all")) == "not a valid Word document"
    not_word = zip_with_declared_size({"hello.txt": b"hi"}, {})
    assert reason(write(tmp_path, "other.docx", not_word)) == "not a valid Word document"
    liar = zip_with_declared_size({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"},
                                  {"word/document.xml": 3 * 1024**3})
    assert "zip bomb" in reason(write(tmp_path, "liar.docx", liar))
    buf = zipfile.ZipFile(tmp_path / "ratio.docx", "w", zipfile.ZIP_DEFLATED)
    buf.writestr("[Content_Types].xml", b"<x/>")
    buf.writestr("word/document.xml", b"\0" * (24 * MB))
    buf.close()
    assert "zip bomb" in reason(tmp_path / "ratio.docx")
    broken = zip_with_declared_size({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}, {})
    assert reason(write(tmp_path, "broken.docx", broken)) == "not a valid Word document"


def test_docx_xml_entities_are_not_expanded(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "src.docx", [("Normal", "PLACEHOLDER")])
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    xml = members["word/document.xml"].decode()
    decl = '<!DOCTYPE w:document [<!ENTITY a "AAAAAAAAAA">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    ) + "]>"
    xml = xml.replace("?>", "?>" + decl, 1).replace("PLACEHOLDER", "before &i; after")
    members["word/document.xml"] = xml.encode()
    with zipfile.ZipFile(tmp_path / "bomb.docx", "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    start = time.perf_counter()
    try:
        text = read_document(tmp_path / "bomb.docx").text
    except IngestError:
        text = ""
    assert time.perf_counter() - start < 2
    assert "AAAAAAAAAA" not in text


# --- PDF ----------------------------------------------------------------------------


def test_pdf_text_pages_and_title(tmp_path: Path) -> None:
    data = pdf_bytes(
        [["Wang Yi  Meets  with  Balakrishnan", "The ministers met in Beijing."], ["Page two text (with parens)."]],
        title="Wang Yi Meets with Balakrishnan",
    )
    doc = read_document(write(tmp_path, "r.pdf", data))
    assert doc.format == "pdf"
    assert doc.text == "Wang Yi Meets with Balakrishnan\nThe ministers met in Beijing.\n\nPage two text (with parens)."
    assert doc.title == "Wang Yi Meets with Balakrishnan"
    assert doc.date is None
    assert doc.meta["pages"] == "2"


@pytest.mark.parametrize("junk", ["untitled", "Microsoft Word - draft.docx", "scan0001.pdf", "  "])
def test_pdf_meaningless_title_is_dropped(tmp_path: Path, junk: str) -> None:
    assert read_document(write(tmp_path, "t.pdf", pdf_bytes([["Some text."]], title=junk))).title is None


def test_pdf_errors(tmp_path: Path) -> None:
    locked = write(tmp_path, "locked.pdf", encrypted_pdf_bytes(["Secret readout."], user_password="s3cret"))
    assert reason(locked) == "encrypted PDF"
    scan = write(tmp_path, "scan.pdf", pdf_bytes([[]], image_only=True))
    assert reason(scan) == "scanned PDF with no text layer (OCR it first)"
    assert reason(write(tmp_path, "bad.pdf", b"%PDF-1.4\nthis is not really a pdf")) == "not a valid PDF"
    assert reason(write(tmp_path, "html.pdf", b"<html>oops</html>")) == "not a valid PDF"


def test_pdf_encrypted_with_empty_password_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "open.pdf", encrypted_pdf_bytes(["Readable readout."], user_password=""))
    assert read_document(path).text == "Readable readout."


def test_dehyphenate_only_when_the_document_confirms() -> None:
    text = "international law\ninter-\nnational court\nwell-known fact and well-\nknown people\nIndo-\nPacific"
    assert dehyphenate(text) == "international law\ninternational court\nwell-known fact and well-known people\nIndo-\nPacific"


# --- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tue, Mar 26, 2024 at 6:47 PM", "2024-03-26"),
        ("Wed, 27 Mar 2024 09:12:40 +0500", "2024-03-27"),
        ("пятница, 6 февраля 2026 г., 17:05", "2026-02-06"),
        ("2024-01-02T10:00:00Z", "2024-01-02"),
        ("26.03.2024", "2024-03-26"),
        ("31 February 2024", None),
        ("soon", None),
        (None, None),
    ],
)
def test_parse_date(value: str | None, expected: str | None) -> None:
    assert parse_date(value) == expected


# --- folder walk ----------------------------------------------------------------------


def test_iter_files_contract(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "b-sub" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    for name in ["a.txt", "a.gold.json", "c.PDF", ".hidden.txt", "b-sub/x.md", "b-sub/notes.xyz", "b-sub/deeper/y.eml", ".git/HEAD.txt"]:
        (root / name).write_text("x")
    (root / "b-sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "b-sub" / "link.txt").symlink_to(root / "a.txt")
    explicit_bad = write(tmp_path, "table.csv", "a,b")

    items = list(iter_files([root, explicit_bad, tmp_path / "nope", root / "a.txt"]))
    assert all(isinstance(item, FileItem) for item in items)
    got = [(str(p.relative_to(tmp_path)), problem) for p, problem in items]
    assert got == [
        ("in/a.gold.json", SKIPPED),
        ("in/a.txt", None),
        ("in/b-sub/deeper/y.eml", None),
        ("in/b-sub/notes.xyz", SKIPPED),
        ("in/b-sub/x.md", None),
        ("in/c.PDF", None),
        ("table.csv", "unsupported file type .csv"),
        ("nope", "cannot read: no such file or folder"),
    ]  # link.txt and the repeated a.txt are the same file; loop/ is the root again


def test_iter_files_explicit_hidden_file_is_read(tmp_path: Path) -> None:
    hidden = write(tmp_path, ".note.txt", "x")
    assert list(iter_files([hidden])) == [FileItem(hidden, None)]


# --- the shared dev set -------------------------------------------------------------------

# Page chrome in each dev HTML file: navigation, cookie banners, related links, footers.
DEV_HTML_CHROME = {
    "a-14-kz-pl-political-consultations.html": ["Consular Services", "cookies", "Other news", "All rights reserved", "Version for the visually impaired", "Views: 412", "Facebook"],
    "a-15-cz-kz-lipavsky-astana.html": ["We value your privacy", "Diplomatic Missions", "Related articles", "Loretánské", "Send by e-mail", "You are here"],
    "a-16-fr-br-macron-lula.html": ["143 partners", "Subscribe", "Most read", "Meridian Morning Briefing", "Advertisement", "Spotted an error", "Latin America"],
    "a-17-gb-de-trinity-house.html": ["Cookies on GOV.UK", "Skip to main content", "Related content", "Is this page useful", "Crown copyright", "Print this page"],
    "b-09-az-ge-news.html": ["Accept all", "South Caucasus</a>", "Related news", "Central bank keeps manat", "All rights reserved", "Tags:", "WhatsApp"],
    "b-10-qa-kz-consultations.html": ["anonymous statistics", "Prayer times", "Related news", "Doha 27°C", "Copyright", "Share this article"],
    "b-11-kg-hu-strategic-council.html": ["We use cookies", "USD 87.45", "Related news", "Newsfeed", "Rules for using materials", "1 243 views", "#Hungary"],
    "e-ru-05-kz-si-maribor.html": ["cookie", "Читайте также", "Популярное", "Реклама", "Политика конфиденциальности", "Просмотров", "Поделиться", "Главная"],
}


def _dev_documents() -> list[Path]:
    return sorted(p for p in DEV.iterdir() if p.is_file() and not p.name.endswith(".gold.json"))


def _gold(path: Path) -> dict[str, object]:
    return json.loads(path.with_name(path.name.rsplit(".", 1)[0] + ".gold.json").read_text(encoding="utf-8"))


def _norm(text: object) -> str:
    return " ".join(str(text or "").split()).casefold()


@pytest.mark.skipif(not DEV.is_dir(), reason="shared dev set not present")
def test_dev_set_reads_cleanly() -> None:
    docs = _dev_documents()
    assert len(docs) >= 50
    walked = list(iter_files([DEV]))
    assert sum(1 for _, problem in walked if problem == SKIPPED) == sum(1 for p in DEV.iterdir() if p.name.endswith(".gold.json"))
    assert [p for p, problem in walked if problem is None] == docs

    titled = matched = 0
    for path in docs:
        doc = read_document(path)
        assert len(doc.text) > 300, path.name
        assert not re.search(r"\n{3,}|[ \t]+\n", doc.text), path.name
        gold = _gold(path)
        if doc.format in ("html", "eml", "md", "docx") and gold.get("title"):
            titled += 1
            matched += _norm(doc.title) == _norm(gold["title"])
        if doc.format == "html":
            assert doc.date and doc.title, path.name
            for chrome in DEV_HTML_CHROME[path.name]:
                assert chrome.casefold() not in doc.text.casefold(), (path.name, chrome)
    assert titled >= 25
    assert matched / titled >= 0.9, (matched, titled)


@pytest.mark.skipif(not DEV.is_dir(), reason="shared dev set not present")
def test_dev_forwarded_emails() -> None:
    for name in ("a-18-us-kz-blinken-nurtleu-fwd.eml", "e-ru-06-kg-eu-stiprais.eml"):
        path = DEV / name
        doc = read_document(path)
        gold = _gold(path)
        assert (doc.title, doc.date) == (gold["title"], gold["date"])
        assert doc.meta["cover_note"] and doc.meta["from"]
        first = doc.text.split("\n", 1)[0]
        assert _norm(first) == _norm(gold["title"])  # the readout, not the envelope
        assert not re.search(r"^(From|Date|Subject|To|От|Дата|Тема|Кому):", doc.text, re.MULTILINE)


@pytest.mark.skipif(not DEV.is_dir(), reason="shared dev set not present")
def test_dev_legacy_encoding_and_pdf_spacing() -> None:
    ru = read_document(DEV / "e-ru-02-uz-hu-plans2026.txt")
    assert ru.meta["encoding"] == "cp1251" and ru.text.startswith("В МИД Узбекистана")
    pdf = read_document(DEV / "a-03-us-in-rubio-jaishankar-readout.pdf")
    assert "  " not in pdf.text and pdf.text.startswith("Secretary Rubio's Meeting")


def test_eml_reply_with_long_text_above_the_quote_is_not_a_forward(tmp_path: Path) -> None:
    summary = "SUMMARY of today's meeting.\n\n" + "The ministers discussed many things in detail. " * 40
    body = summary + "\n\n-----Original Message-----\nFrom: Desk\nSent: Monday, March 25, 2024 9:00 AM\nSubject: Meeting\n\nPlease send a summary."
    doc = read_document(write(tmp_path, "reply.eml", email_bytes(body, subject="RE: Meeting")))
    assert doc.text.startswith("SUMMARY of today's meeting.")
    assert "cover_note" not in doc.meta and doc.title == "Meeting" and doc.date == "2024-03-26"


# --- robustness: whatever the bytes, only Document or IngestError -----------------------


_VALID = {
    ".pdf": pdf_bytes([["Some text on a page."]], title="T"),
    ".eml": email_bytes("Body text.", html="<p>Body text.</p>"),
    ".html": article_page().encode(),
    ".md": WH_SHAPE.encode(),
    ".txt": RUSSIAN.encode("cp1251"),
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    suffix=st.sampled_from(sorted(_VALID) + [".docx"]),
    data=st.data(),
)
def test_any_bytes_give_a_document_or_an_ingest_error(tmp_path_factory: pytest.TempPathFactory, suffix: str, data: st.DataObject) -> None:
    base = _VALID.get(suffix, b"PK\x03\x04" + b"\x00" * 60)
    if data.draw(st.booleans(), label="mutate a valid file"):
        raw = bytearray(base)
        for _ in range(data.draw(st.integers(1, 8), label="flips")):
            raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
        cut = data.draw(st.integers(1, len(raw)), label="truncate at")
        payload = bytes(raw[:cut])
    else:
        payload = data.draw(st.binary(min_size=1, max_size=512), label="random bytes")
    path = tmp_path_factory.mktemp("fuzz") / f"f{suffix}"
    path.write_bytes(payload)
    try:
        doc = read_document(path)
    except IngestError as exc:
        assert exc.reason and "\n" not in exc.reason
        # the catch-all reason means a reader let a library exception through
        assert not exc.reason.startswith(f"cannot read {FORMATS[suffix]} file:"), exc.reason
    else:
        assert doc.text.strip() and doc.format == FORMATS[suffix]


def test_txt_damaged_utf8_stays_utf8(tmp_path: Path) -> None:
    data = bytearray(RUSSIAN.encode("utf-8"))
    data[5] = 0xFF  # one corrupt byte inside a Cyrillic letter
    doc = read_document(write(tmp_path, "damaged.txt", bytes(data)))
    assert doc.meta["encoding"] == "utf-8 (damaged bytes replaced)"
    assert doc.text.endswith("Стороны обсудили сотрудничество.") and "\ufffd" in doc.text


def test_batch_interface(tmp_path: Path) -> None:
    from store.ingest import count_inputs, iter_files, read_input

    write(tmp_path, "a.txt", "Readout text.")
    write(tmp_path, "a.gold.json", "{}")
    bad = write(tmp_path.parent, f"{tmp_path.name}-x.csv", "a,b")
    items = list(iter_files([tmp_path, bad]))
    assert [i.skipped for i in items] == [True, False, False]
    assert count_inputs([tmp_path, bad]) == 2
    assert read_input(items[1], max_bytes=None).text == "Readout text."
    with pytest.raises(IngestError, match="unsupported file type .csv"):
        read_input(items[2])

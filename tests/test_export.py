"""Export: every format opened with a real parser, for a seed-like, a multilingual and a hostile record."""

from __future__ import annotations

import io
import json
import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from store.export import FORMATS, ExportError, build_note, default_filename, export_to, render, to_markdown
from tests.conftest import SEED, umask_free_mode

COMMIT_1 = ("expressed interest in exchanging experience with Kazakhstan in the field of digitalization, "
            "including the application of artificial intelligence technologies")
COMMIT_2 = ("the parties expressed mutual interest in continuing and further developing close cooperation "
            "between the Embassy of the Republic of Kazakhstan and the Office of the Prosecutor General of Hungary")


def spans_of(body: str, needle: str) -> list[list[int]]:
    """Every occurrence of ``needle`` in ``body``, found with str.find."""
    out, at = [], body.find(needle)
    while at >= 0:
        out.append([at, at + len(needle)])
        at = body.find(needle, at + 1)
    assert out, needle
    return out


def seed_record() -> dict[str, Any]:
    body = SEED.read_text(encoding="utf-8")
    return {
        "id": "5eedc0ffee01", "title": body.split("\n", 1)[0], "date": "2025-11-20",
        "source": "Ministry of Foreign Affairs of the Republic of Kazakhstan", "location": "Budapest",
        "body": body, "source_file": "/home/attache/Downloads/seed-kz-hu-prosecutors.txt", "format": "txt",
        "ingested_at": "2026-01-05T10:22:31+00:00", "content_sha256": "5eedc0ffee01" + "ab" * 26,
        "doc_title": None, "doc_date": None, "lang": "en",
        "parties": [
            {"name": "Abzal Saparbekuly", "role": "Ambassador", "country": "KZ",
             "spans": spans_of(body, "Abzal Saparbekuly") + spans_of(body, "Saparbekuly")},
            {"name": "Gábor Bálint Nagy", "role": "Prosecutor General", "country": "HU",
             "spans": spans_of(body, "Gábor Bálint Nagy")},
        ],
        "people": [{"name": "Aslambek Mergaliyev", "role": "Chairman of the Supreme Court", "country": "KZ",
                    "spans": spans_of(body, "Aslambek Mergaliyev")}],
        "countries": ["HU", "KZ"],
        "organizations": ["Embassy of the Republic of Kazakhstan", "Office of the Prosecutor General of Hungary"],
        "themes": [{"id": "legal-cooperation", "spans": spans_of(body, "mutual legal assistance")},
                   {"id": "anti-corruption", "spans": spans_of(body, "combating corruption")}],
        "commitments": [
            {"text": COMMIT_1, "actors": ["HU"], "due": None, "spans": spans_of(body, COMMIT_1)},
            {"text": COMMIT_2, "actors": ["HU", "KZ"], "due": "2026-06", "spans": spans_of(body, COMMIT_2)},
        ],
        "meta": {},
    }


CYRILLIC_BODY = ("Встреча министров иностранных дел\n\n"
                 "Министр иностранных дел Казахстана Ерлан Карин встретился в Будапеште с Петером Сийярто. "
                 "Стороны договорились провести следующий раунд консультаций в Астане в 2026 году.\n\n"
                 "Zsófia Kovács, Ärztin aus Győr, sprach über Straße und Bahnverbindungen.\n")


def cyrillic_record() -> dict[str, Any]:
    body = CYRILLIC_BODY
    clause = "договорились провести следующий раунд консультаций в Астане в 2026 году"
    return {
        "id": "c1e11c0ffee2", "title": "Встреча министров: Ерлан Карин и Péter Szijjártó", "date": "2025-03-04",
        "source": "МИД Казахстана", "location": "Будапешт", "body": body, "source_file": "C:\\Users\\x\\встреча.docx",
        "format": "docx", "ingested_at": "2026-01-05T10:22:31+05:00", "content_sha256": "c1" * 32, "lang": "ru",
        "parties": [{"name": "Ерлан Карин", "role": "Министр иностранных дел", "country": "KZ",
                     "spans": spans_of(body, "Ерлан Карин")},
                    {"name": "Péter Szijjártó", "role": "Minister of Foreign Affairs", "country": "HU",
                     "spans": spans_of(body, "Петером Сийярто")}],
        "themes": [{"id": "political-dialogue", "spans": []}],
        "commitments": [{"text": clause, "actors": ["KZ", "HU"], "due": "2026", "spans": spans_of(body, clause)}],
    }


HOSTILE_TITLE = "../../etc/passwd <script>alert(1)</script> | *bold* `x` \x1b[31mred\x00 & &amp; [l](http://x)"


def hostile_record() -> dict[str, Any]:
    chunk = ("<script>alert('x')</script><img src=http://evil/x.png onerror=alert(1)> ]]> \x00\x07\x1b[2J"
             "\ufffe\x85 | --- | ** _ ` # 1. > [a](http://evil) &lt; \r\n")
    body = (chunk * (2 * 1024 * 1024 // len(chunk) + 1))[: 2 * 1024 * 1024]
    return {
        "id": "../../x", "title": HOSTILE_TITLE, "date": "../../2025-01-01", "source": "<b>src</b>\x07",
        "location": "\x1b]0;pwned\x07Budapest", "body": body, "source_file": "../../../etc/shadow",
        "format": "<txt>", "ingested_at": "<now>", "content_sha256": "<hash>",
        "parties": [{"name": "<script>x</script>", "role": "|*|", "country": "<HU>",
                     "spans": [[-5, 10], [10, 5], [0, 10 ** 9], ["a", "b"], [3], None, [True, False]]},
                    "not a dict", None],
        "themes": ["<t>", {"id": "<script>"}, 5],
        "commitments": [{"text": "</em><script>", "actors": "HU", "due": "<due>",
                         "spans": [[100, 50], [1_000_000, 3_000_000], [2, 40]]}, {"actors": None}],
        "meta": {"x": "\x00"},
    }


def md_parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def inline_text(token) -> str:
    return "".join(c.content if c.type == "text" else "\n" if c.type == "hardbreak" else ""
                   for c in token.children or [])


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside each tag name."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.text: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in {"br", "meta"}:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        for tag in set(self.stack):
            self.text.setdefault(tag, []).append(data)


def parse_html(text: str) -> Tags:
    parser = Tags()
    parser.feed(text)
    parser.close()
    return parser


def assert_html_safe(parser: Tags) -> None:
    names = {t for t, _ in parser.tags}
    assert not names & {"script", "img", "iframe", "link", "object", "embed", "a", "form", "base"}
    for tag, attrs in parser.tags:
        assert not any(k.startswith("on") or k in {"src", "href", "srcset"} for k in attrs), (tag, attrs)


# -- the seed-like record, one test per format --------------------------------------------
def test_markdown_has_a_table_the_headings_and_the_highlights() -> None:
    rec = seed_record()
    tokens = md_parser().parse(render(rec, "md"))
    assert not [t for t in tokens if t.type in {"html_block", "html_inline"}]
    headings = [inline_text(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [rec["title"], "Participants", "Themes", "Follow-ups", "Text"]
    assert any(t.type == "table_open" for t in tokens)
    cells = [inline_text(tokens[i + 1]) for i, t in enumerate(tokens) if t.type in {"td_open", "th_open"}]
    assert cells == ["Name", "Role", "Country", "Abzal Saparbekuly", "Ambassador", "KZ — Kazakhstan",
                     "Gábor Bálint Nagy", "Prosecutor General", "HU — Hungary"]
    text = "\n".join(inline_text(t) for t in tokens if t.type == "inline")
    assert "Legal cooperation, Anti-corruption" in text
    assert f"Hungary: {COMMIT_1}" in text and f"Hungary, Kazakhstan: {COMMIT_2} (due June 2026)" in text
    strong, emph = styled_runs(tokens)
    assert {"Saparbekuly", "Gábor Bálint Nagy"} <= strong
    assert {COMMIT_1, COMMIT_2} <= emph
    assert to_markdown(rec) == render(rec, "md")


def styled_runs(tokens) -> tuple[set[str], set[str]]:
    strong, emph, in_strong, in_em = set(), set(), 0, 0
    for tok in tokens:
        for child in tok.children or []:
            in_strong += {"strong_open": 1, "strong_close": -1}.get(child.type, 0)
            in_em += {"em_open": 1, "em_close": -1}.get(child.type, 0)
            if child.type == "text" and in_strong:
                strong.add(child.content)
            if child.type == "text" and in_em:
                emph.add(child.content)
    return strong, emph


def test_html_is_self_contained_escaped_printable_and_highlighted() -> None:
    rec = seed_record()
    html = render(rec, "html")
    parser = parse_html(html)
    assert_html_safe(parser)
    assert "".join(parser.text["h1"]) == rec["title"]
    assert [s.strip() for s in parser.text["h2"]] == ["Participants", "Themes", "Follow-ups", "Text"]
    assert "".join(parser.text["th"]) == "NameRoleCountry"
    assert [c for c in parser.text["td"]] == ["Abzal Saparbekuly", "Ambassador", "KZ — Kazakhstan",
                                            "Gábor Bálint Nagy", "Prosecutor General", "HU — Hungary"]
    assert {"Legal cooperation", "Anti-corruption"} <= set(parser.text["li"])
    assert {"Saparbekuly", "Gábor Bálint Nagy"} <= set(parser.text["strong"])
    assert {COMMIT_1, COMMIT_2} <= set(parser.text["em"])
    assert "@media print" in html and "@page" in html
    assert ("meta", {"http-equiv": "Content-Security-Policy",
                     "content": "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; "
                                "form-action 'none'; base-uri 'none'"}) in parser.tags


def test_docx_has_styles_table_bullets_highlights_and_properties() -> None:
    rec = seed_record()
    doc = docx.Document(io.BytesIO(render(rec, "docx")))
    paras = doc.paragraphs
    assert paras[0].style.name == "Title" and paras[0].text == rec["title"]
    assert [p.text for p in paras if p.style.name == "Heading 1"] == ["Participants", "Themes", "Follow-ups", "Text"]
    (table,) = doc.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Name", "Role", "Country"],
        ["Abzal Saparbekuly", "Ambassador", "KZ — Kazakhstan"],
        ["Gábor Bálint Nagy", "Prosecutor General", "HU — Hungary"]]
    assert all(run.bold for run in table.rows[0].cells[0].paragraphs[0].runs)
    assert [p.text for p in paras if p.style.name == "List Bullet"] == [
        f"Hungary: {COMMIT_1}", f"Hungary, Kazakhstan: {COMMIT_2} (due June 2026)"]
    assert any(p.text == "Legal cooperation, Anti-corruption" for p in paras)
    runs = [r for p in paras if p.style.name == "Normal" for r in p.runs]
    assert {"Saparbekuly", "Gábor Bálint Nagy"} <= {r.text for r in runs if r.bold}
    assert {COMMIT_1, COMMIT_2} <= {r.text for r in runs if r.italic}
    props = doc.core_properties
    assert props.title == rec["title"] and props.subject == "Briefing note"
    assert props.keywords == "Legal cooperation, Anti-corruption"
    assert props.author == ""


def test_json_reads_back_as_the_record_and_text_is_wrapped_plain_text() -> None:
    rec = seed_record()
    assert json.loads(render(rec, "json")) == rec
    text = render(rec, "txt")
    assert all(len(line) <= 78 for line in text.splitlines())
    flat = " ".join(text.split())
    for needle in ("Abzal Saparbekuly, Ambassador (KZ — Kazakhstan)",
                   "Gábor Bálint Nagy, Prosecutor General (HU — Hungary)",
                   "Legal cooperation, Anti-corruption", COMMIT_1, f"{COMMIT_2} (due June 2026)",
                   "Original file: seed-kz-hu-prosecutors.txt"):
        assert needle in flat
    assert "**" not in text and "<" not in text
    assert "/home/attache" not in text  # the file's name, not where it lived on someone's disk


def test_multilingual_record_in_every_format() -> None:
    rec = cyrillic_record()
    assert default_filename(rec, "md") == "2025-03-04-vstrecha-ministrov-erlan-karin-i-peter-szijjarto.md"
    for fmt in FORMATS:
        data = render(rec, fmt)
        if fmt == "docx":
            doc = docx.Document(io.BytesIO(data))
            assert doc.paragraphs[0].text == rec["title"]
            assert ["Ерлан Карин", "Министр иностранных дел", "KZ — Kazakhstan"] == \
                [c.text for c in doc.tables[0].rows[1].cells]
            assert "Петером Сийярто" in {r.text for p in doc.paragraphs for r in p.runs if r.bold}
        elif fmt == "json":
            assert json.loads(data) == rec
        else:
            assert "Ерлан Карин" in data and "Zsófia Kovács, Ärztin aus Győr" in data
            assert "Kazakhstan, Hungary" in data and "2026" in data
    assert "<strong>Петером Сийярто</strong>" in render(rec, "html")
    assert "Original file: встреча.docx" in render(rec, "txt")


# -- file names and writing ---------------------------------------------------------------
@pytest.mark.parametrize(("rec", "expected"), [
    ({"title": "Talks in Győr: Ökumenische Straße", "date": "2025-01-02"}, "2025-01-02-talks-in-gyor-okumenische-strasse.txt"),
    ({"title": "Talks", "date": None}, "undated-talks.txt"),
    ({"title": "../../etc/passwd", "date": "../2025"}, "undated-etc-passwd.txt"),
    ({"title": "会谈纪要", "id": "abc123def456"}, "undated-abc123def456.txt"),
    ({"title": "", "id": "../../"}, "undated-briefing.txt"),
    ({}, "undated-briefing.txt"),
])
def test_default_file_names_are_ascii_safe_and_bounded(rec: dict, expected: str) -> None:
    assert default_filename(rec, "txt") == expected


def test_long_titles_are_cut_at_a_word_within_80_characters() -> None:
    name = default_filename(seed_record(), "docx")
    assert name == "2025-11-20-a-meeting-was-held-between-ambassador-of-kazakhstan-abzal.docx"
    assert len(default_filename({"title": "x" * 500, "date": "2025-01-01"}, "docx")) <= 80
    assert len(default_filename({"title": "word " * 100, "date": "2025-01-01"}, "html")) <= 80


def test_export_to_writes_owner_only_and_never_overwrites_without_force(tmp_path: Path) -> None:
    rec = seed_record()
    path = export_to(rec, "md", folder=tmp_path / "exports")
    assert path == tmp_path / "exports" / default_filename(rec, "md")
    assert umask_free_mode(path) == 0o600 and umask_free_mode(path.parent) == 0o700
    path.write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match="exists.*--force") as err:
        export_to(rec, "md", folder=tmp_path / "exports")
    assert str(path) in str(err.value)
    assert path.read_text(encoding="utf-8") == "mine"
    os.chmod(path, 0o644)
    assert export_to(rec, "md", path=path, force=True) == path
    assert path.read_text(encoding="utf-8") == render(rec, "md") and umask_free_mode(path) == 0o600
    # A folder given as the path gets the default name inside it.
    assert export_to(rec, "docx", path=tmp_path).name == default_filename(rec, "docx")


def test_a_symlink_at_the_name_is_refused_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    link = tmp_path / "note.md"
    link.symlink_to(victim)
    with pytest.raises(ExportError, match="exists"):
        export_to(seed_record(), "md", path=link)
    assert victim.read_text(encoding="utf-8") == "keep"


def test_unwritable_destination_is_a_clear_error_naming_it(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(ExportError, match=re.escape(str(blocker / "sub" / "x.md"))):
        export_to(seed_record(), "md", path=blocker / "sub" / "x.md")
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(ExportError, match="locked.*cannot write"):
            export_to(seed_record(), "md", folder=locked)
    with pytest.raises(ExportError, match="unknown export format"):
        render(seed_record(), "pdf")


# -- hostile records ----------------------------------------------------------------------
def test_hostile_record_exports_safely_in_every_format(tmp_path: Path) -> None:
    rec = hostile_record()
    for fmt in FORMATS:
        path = export_to(rec, fmt, folder=tmp_path)
        assert path.parent == tmp_path and path.name.startswith("undated-etc-passwd-script-alert")
        assert len(path.name) <= 80
        data = path.read_bytes()
        if fmt == "json":
            assert json.loads(data) == rec
            continue
        if fmt == "docx":
            doc = docx.Document(io.BytesIO(data))
            assert doc.paragraphs[0].text.startswith("../../etc/passwd <script>alert(1)</script> | *bold*")
            assert doc.tables[0].rows[1].cells[0].text == "<script>x</script>"
            continue
        text = data.decode("utf-8")
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe]", text)
        if fmt == "html":
            assert not re.search(r"<(script|img|iframe|a|link|object|embed)\b", text)
            parser = parse_html(text[:text.find("\n", 300_000)] + "</p></section></main></body></html>")
            assert_html_safe(parser)
            assert "".join(parser.text["h1"]).startswith("../../etc/passwd <script>alert(1)</script>")
        if fmt == "md":
            # The body repeats one hostile chunk: parsing the first 300 KB (markdown-it
            # takes seconds for 2 MB) sees every construct; the rest is checked by regex.
            assert not re.search(r"(?<!\\)[<`|_\[\]]", text.split("## Text", 1)[1].split("\n---\n")[0]
                                 .replace("*Participants’ names are in bold, commitments in italics.*", "")
                                 .replace("\\\\", ""))
            tokens = md_parser().parse(text[:text.find("\n\n", 300_000)])
            assert not [t for t in tokens if t.type in {"html_block", "html_inline", "code_block", "fence"}]
            assert not [c for t in tokens for c in t.children or [] if c.type in {"link_open", "image", "html_inline"}]
            assert inline_text(tokens[1]) == "../../etc/passwd <script>alert(1)</script> | *bold* `x` [31mred & &amp; [l](http://x)"


def test_title_with_markdown_and_html_stays_text() -> None:
    for title in ("A | B *c* <script>x</script> # 1. _d_ ~~e~~ ##", "# - 1) > **", "&copy; &#65; \\*"):
        tokens = md_parser().parse(render({"title": title}, "md"))
        assert tokens[0].type == "heading_open" and inline_text(tokens[1]) == title.strip()


# -- arbitrary records --------------------------------------------------------------------
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
SPAN = st.lists(st.one_of(st.tuples(st.integers(-5, 400), st.integers(-5, 400)).map(list),
                          st.just(["x", 1]), st.just([1]), st.none()), max_size=6)
MAYBE = st.one_of(st.none(), TEXT, st.integers(-10, 10))


@st.composite
def records(draw) -> dict[str, Any]:
    body = draw(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400)
                | st.sampled_from(["", "a\n\nb", "**x** _y_ `z` <b>1</b>\n- 1. # x\n\n\tcode"]))
    person = st.fixed_dictionaries({"name": MAYBE, "role": MAYBE, "country": MAYBE, "spans": SPAN})
    return {
        "id": draw(MAYBE), "title": draw(MAYBE), "date": draw(st.one_of(MAYBE, st.dates().map(str))),
        "source": draw(MAYBE), "location": draw(MAYBE), "body": body, "source_file": draw(MAYBE),
        "format": draw(MAYBE), "ingested_at": draw(MAYBE), "content_sha256": draw(MAYBE),
        "parties": draw(st.lists(person, max_size=3) | st.none()),
        "themes": draw(st.lists(st.one_of(TEXT, st.fixed_dictionaries({"id": TEXT, "spans": SPAN})), max_size=3)),
        "commitments": draw(st.lists(st.fixed_dictionaries(
            {"text": MAYBE, "actors": st.lists(TEXT, max_size=2) | st.none(), "due": MAYBE, "spans": SPAN}),
            max_size=3)),
        "meta": draw(st.dictionaries(TEXT, TEXT, max_size=2)),
    }


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_arbitrary_records_export_in_every_format(rec: dict[str, Any]) -> None:
    for fmt in FORMATS:
        data = render(rec, fmt)
        if fmt == "json":
            assert json.loads(data) == rec
        elif fmt == "docx":
            docx.Document(io.BytesIO(data))
        elif fmt == "html":
            assert_html_safe(parse_html(data))
    name = default_filename(rec, "docx")
    assert re.fullmatch(r"[a-z0-9-]+\.docx", name) and len(name) <= 80 and ".." not in name


@settings(max_examples=80, deadline=None)
@given(records())
def test_markdown_text_renders_back_to_exactly_the_note_text(rec: dict[str, Any]) -> None:
    """Escaping and highlighting never change what the reader sees: the parsed text is the note's text."""
    note = build_note(rec)
    tokens = md_parser().parse(render(rec, "md"))
    assert not [t for t in tokens if t.type in {"html_block", "code_block", "fence", "hr"}][1:]  # one hr: provenance
    start = next((i for i, t in enumerate(tokens) if t.type == "inline" and t.content == "Text"), None)
    if not note.paragraphs:
        return
    paras = [t for t in tokens[start + 1:] if t.type == "inline"]
    if note.highlighted:
        paras = paras[1:]  # the legend
    got = [inline_text(t) for t in paras[:len(note.paragraphs)]]
    want = ["\n".join("".join(s.text for s in line) for line in para) for para in note.paragraphs]
    assert got == want


# -- the command line ---------------------------------------------------------------------
def test_cli_export_to_stdout_file_and_export_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from store import open_store
    from tui.cli import main

    db = tmp_path / "db.json"
    open_store(db).add_records([seed_record()])
    monkeypatch.setenv("BRIEFINGS_EXPORT_DIR", str(tmp_path / "out"))
    assert main(["--db", str(db), "export", "5eed", "--format", "md"]) == 0
    assert capsys.readouterr().out == render(seed_record(), "md")
    assert main(["--db", str(db), "export", "5eed", "--format", "docx"]) == 0
    written = tmp_path / "out" / default_filename(seed_record(), "docx")
    assert written.exists() and str(written) in capsys.readouterr().err.replace("\n", "")
    assert main(["--db", str(db), "export", "5eed", "--format", "docx"]) == 1
    assert "exists" in capsys.readouterr().err
    assert main(["--db", str(db), "export", "5eed", "--format", "docx", "--force"]) == 0
    target = tmp_path / "note.html"
    assert main(["--db", str(db), "export", "5eed", "--format", "html", "--output", str(target)]) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and capsys.readouterr().out == ""

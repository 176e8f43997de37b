"""One briefing: header, parties, themes, follow-ups, a legend and the text with highlights.

Highlights come from the extraction's spans (parties, theme evidence,
commitment clauses; read with :func:`store.spans.spans_of`, whichever form
they are stored in) and from the search (matches). Every span indexes the
record's ``body``; the body is made terminal-safe without changing its length,
so the spans stay where they belong.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content, Span
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static

from store.spans import spans_of
from tui.widgets.common import (
    clean_spans,
    compact_blank_lines,
    contrast_text,
    plural,
    safe_body,
    safe_line,
    theme_color,
    theme_id,
    theme_label,
)

# The four highlight styles; each also differs without colour (NO_COLOR).
PARTY_STYLE = "bold $text-accent"
COMMITMENT_STYLE = "italic on $success 18%"
MATCH_STYLE = "reverse"
CURRENT_MATCH_STYLE = "reverse bold $text-warning"


def theme_style(tid: str) -> str:
    return f"underline {theme_color(tid)}"


def theme_chip(tid: str) -> Content:
    color = theme_color(tid)
    return Content(f" {safe_line(theme_label(tid))} ").stylize(f"{contrast_text(color)} on {color}")


def chip_rows(tids: Sequence[str], width: int, lead: int) -> list[list[str]]:
    """Theme ids laid out in rows of chips that each fit in ``width`` (chips never break)."""
    rows: list[list[str]] = [[]]
    used = lead
    for tid in tids:
        w = len(theme_label(tid)) + 2
        if rows[-1] and used + 1 + w > width:
            rows.append([])
            used = lead
        used += (1 if rows[-1] else 0) + w
        rows[-1].append(tid)
    return rows


class ThemeChips(Widget):
    """The themes as coloured labels, wrapped between labels rather than inside one."""

    DEFAULT_CSS = "ThemeChips { height: auto; }"
    LEAD = "Themes   "

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tids: list[str] = []

    def set_themes(self, tids: list[str]) -> None:
        self.tids = tids
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(chip_rows(self.tids, width, len(self.LEAD)))

    def render(self) -> Content:
        lines: list[Content] = []
        for i, row in enumerate(chip_rows(self.tids, self.size.width, len(self.LEAD))):
            parts: list[Content | str] = [Content.styled(self.LEAD, "bold") if i == 0 else " " * len(self.LEAD)]
            for j, tid in enumerate(row):
                if j:
                    parts.append(" ")
                parts.append(theme_chip(tid))
            lines.append(Content.assemble(*parts))
        return Content("\n").join(lines)


class HangingList(Widget):
    """A heading and bulleted items whose wrapped lines align under the item's text, not its bullet."""

    DEFAULT_CSS = "HangingList { height: auto; }"

    def __init__(self, *, id: str | None = None, classes: str | None = None, bullet: str = "  • ",
                 key_width: int = 0) -> None:
        super().__init__(id=id, classes=classes)
        self.heading: Content | None = None
        self.items: list[tuple[Content, Content]] = []  # (key, text); key may be empty
        self.bullet = bullet
        self.key_width = key_width

    def set_items(self, heading: Content | None, items: list[tuple[Content, Content]]) -> None:
        self.heading, self.items = heading, items
        self.refresh(layout=True)

    def _lines(self, width: int) -> list[Content]:
        lines: list[Content] = [self.heading] if self.heading is not None else []
        for key, text in self.items:
            if self.key_width:
                lead = self.bullet + key.pad_right(max(0, self.key_width - key.cell_length)) + " "
                body = text
            else:
                lead, body = Content(self.bullet), Content.assemble(key, text)
            indent = lead.cell_length
            for k, line in enumerate(body.wrap(max(10, width - indent))):
                lines.append(Content.assemble(lead if k == 0 else " " * indent, line))
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.size.width))


class BriefingDetail(VerticalScroll, can_focus=True):
    """The shown briefing; scrolls vertically, never horizontally (the text wraps)."""

    DEFAULT_CSS = """
    BriefingDetail { overflow-x: hidden; scrollbar-size-vertical: 1; }
    BriefingDetail > Static { width: 1fr; height: auto; }
    BriefingDetail > #detail-parties { margin-top: 1; }
    BriefingDetail > #detail-title { text-style: bold; color: $text-primary; }
    BriefingDetail > #detail-meta { color: $text-muted; }
    BriefingDetail > #detail-legend { color: $text-muted; margin-top: 1; }
    BriefingDetail > #detail-body { margin-top: 1; }
    BriefingDetail > #detail-empty { color: $text-muted; padding: 1 0; }
    """

    # What the footer shows while reading (the text has the focus).
    READING_BINDINGS = [
        Binding("escape", "screen.back", "Back to list", id="detail.back",
                tooltip="Leave the text for the list (at 80x24 the list shows again)"),
        Binding("left_square_bracket", "screen.previous_briefing", "Previous", key_display="[",
                id="detail.previous", tooltip="Read the previous briefing of the list",
                group=Binding.Group("Prev/next")),
        Binding("right_square_bracket", "screen.next_briefing", "Next", key_display="]",
                id="detail.next", tooltip="Read the next briefing of the list", group=Binding.Group("Prev/next")),
        Binding("j", "scroll_down", "Scroll down", show=False, id="detail.scroll-down",
                tooltip="Scroll the text down a line (also ↓)"),
        Binding("k", "scroll_up", "Scroll up", show=False, id="detail.scroll-up",
                tooltip="Scroll the text up a line (also ↑)"),
        Binding("space", "page_down", "Page down", show=False, id="detail.page-down",
                tooltip="Scroll the text down a screen (also PgDn)"),
        Binding("g", "scroll_home", "Top", show=False, id="detail.top", tooltip="The top of the briefing (also Home)"),
        Binding("G", "scroll_end", "End", show=False, id="detail.end", tooltip="The end of the text (also End)"),
    ]
    # Keys of the main screen that still work while reading but would crowd the footer at 80 columns.
    QUIET_BINDINGS = [
        Binding("f", "screen.toggle_facets", "Facets", show=False, id="detail.facets",
                tooltip="Show or hide the facets"),
        Binding("s", "screen.cycle_sort", "Sort", show=False, id="detail.sort", tooltip="Order the list"),
        Binding("i", "screen.ingest", "Ingest", show=False, id="detail.ingest", tooltip="Read files into the store"),
        Binding("F", "screen.followups", "Follow-ups", show=False, id="detail.followups",
                tooltip="Every follow-up across briefings"),
    ]
    BINDINGS = READING_BINDINGS + QUIET_BINDINGS

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.record: Mapping[str, Any] | None = None
        self.match_spans: list[tuple[int, int]] = []
        self.current_match: int = -1
        self.highlights = True
        self._body = ""
        self._map = lambda offset: offset
        self._raw_length = 0
        self._empty_message = Content("")
        self._match_label = ""

    def _update_subtitle(self) -> None:
        """The matches, and while reading (the text has the focus) how to get back to the list."""
        parts = [self._match_label] if self._match_label else []
        if self.has_focus:
            parts.append("Esc: back to list")
        self.border_subtitle = " · ".join(parts)

    def watch_has_focus(self, has_focus: bool) -> None:
        super().watch_has_focus(has_focus)
        self._update_subtitle()

    def compose(self):
        yield Static(id="detail-empty")
        yield Static(id="detail-title")
        yield Static(id="detail-meta")
        yield Static(id="detail-parties", classes="section")
        yield ThemeChips(id="detail-themes")
        yield HangingList(id="detail-commitments")
        yield Static(id="detail-legend")
        yield Static(id="detail-body")

    def on_mount(self) -> None:
        self._render_all()

    # -- public API ------------------------------------------------------
    def show(self, record: Mapping[str, Any] | None, match_spans: Sequence[Sequence[int]] | None = None, *,
             empty_message: Content | str = "") -> None:
        """Show ``record`` (None: the empty message) with these search matches in its body."""
        same = record is not None and self.record is not None and record.get("id") == self.record.get("id")
        self.record = record
        raw = safe_body(record.get("body")) if record else ""
        self._body, self._map = compact_blank_lines(raw)
        self._raw_length = len(raw)
        self.match_spans = self._mapped(match_spans)
        self.current_match = -1
        self._empty_message = Content(empty_message) if isinstance(empty_message, str) else empty_message
        if self.is_mounted:
            self._render_all()
            if not same:
                self.scroll_home(animate=False)

    def set_highlights(self, on: bool) -> None:
        self.highlights = on
        if self.is_mounted and self.record is not None:
            self._render_legend()
            self._render_body()

    def jump_to_match(self, step: int) -> bool:
        """Move to the next (+1) or previous (-1) search match and scroll to it; False if none."""
        if not self.match_spans:
            return False
        if self.current_match < 0:
            self.current_match = 0 if step > 0 else len(self.match_spans) - 1
        else:
            self.current_match = (self.current_match + step) % len(self.match_spans)
        self._render_legend()
        self._render_body()
        self.call_after_refresh(self._scroll_to_current)
        return True

    def match_line(self, index: int) -> int:
        """The wrapped line of the body on which match ``index`` starts."""
        body = self.query_one("#detail-body", Static)
        width = max(1, body.content_region.width or body.size.width)
        start = self.match_spans[index][0]
        prefix = Content(self._body[:start] + "\u2588", strip_control_codes=False)
        return max(0, len(prefix.wrap(width)) - 1)

    def _scroll_to_current(self) -> None:
        if self.current_match < 0:
            return
        body = self.query_one("#detail-body", Static)
        line = self.match_line(self.current_match)
        target = body.virtual_region.y + line
        height = self.scrollable_content_region.height
        self.scroll_to(y=max(0, target - height // 3), animate=False)

    # -- rendering -------------------------------------------------------
    def _render_all(self) -> None:
        rec = self.record
        empty = self.query_one("#detail-empty", Static)
        empty.display = rec is None
        # Every section, not only the Static ones: the themes and follow-ups are widgets of
        # their own, and must not linger under "No briefing matches …".
        for child in self.children:
            if child is not empty:
                child.display = rec is not None
        if rec is None:
            empty.update(self._empty_message)
            self._match_label = ""
            self._update_subtitle()
            return
        self.query_one("#detail-title", Static).update(Content(safe_line(rec.get("title") or "Untitled briefing")))
        meta = [safe_line(rec.get(k)) for k in ("date", "source", "location") if rec.get(k)]
        if not rec.get("date"):
            meta.insert(0, "undated")
        self.query_one("#detail-meta", Static).update(Content(" · ".join(meta)))
        self._render_parties()
        self._render_themes()
        self._render_commitments()
        self._render_legend()
        self._render_body()

    def _render_parties(self) -> None:
        widget = self.query_one("#detail-parties", Static)
        parties = [p for p in (self.record or {}).get("parties") or [] if isinstance(p, Mapping)]
        widget.display = bool(parties)
        if not parties:
            return
        parts: list[Content | str | tuple[str, str]] = [("Parties  ", "bold")]
        for i, p in enumerate(parties):
            if i:
                parts.append(("  ·  ", "$text-muted"))
            details = ", ".join(x for x in (safe_line(p.get("role")), safe_line(p.get("country"))) if x)
            parts.append((safe_line(p.get("name")) or "?", PARTY_STYLE))
            if details:
                parts.append(f" ({details})")
        widget.update(Content.assemble(*parts))

    def _render_themes(self) -> None:
        widget = self.query_one("#detail-themes", ThemeChips)
        themes = [theme_id(t) for t in (self.record or {}).get("themes") or []]
        themes = [t for t in themes if t]
        widget.display = bool(themes)
        widget.set_themes(themes)

    def _render_commitments(self) -> None:
        widget = self.query_one("#detail-commitments", HangingList)
        items = [c for c in (self.record or {}).get("commitments") or [] if isinstance(c, Mapping)]
        widget.display = bool(items)
        rows: list[tuple[Content, Content]] = []
        for c in items:
            actors = ", ".join(safe_line(a) for a in c.get("actors") or [])  # none known: no "—:" label
            parts: list[Content | str | tuple[str, str]] = [safe_line(c.get("text")) or "(no text)"]
            if c.get("due"):
                parts.append((f"  due {safe_line(c.get('due'))}", "bold $text-warning"))
            rows.append((Content.styled(f"{actors}: ", "bold") if actors else Content(""), Content.assemble(*parts)))
        widget.set_items(Content.styled("Follow-ups", "bold"), rows)

    def _render_legend(self) -> None:
        widget = self.query_one("#detail-legend", Static)
        sep = ("  ", "")
        parts: list[Content | str | tuple[str, str]] = []
        if self.highlights:
            themes = [theme_id(t) for t in (self.record or {}).get("themes") or []]
            tid = next((t for t in themes if t), "theme")
            parts += [("party", PARTY_STYLE), sep, ("theme", theme_style(tid)), sep,
                      ("follow-up", COMMITMENT_STYLE), sep]
        else:
            parts += ["highlights hidden", sep]
        if self.match_spans:
            n = len(self.match_spans)
            label = plural(n, "match", "matches") if self.current_match < 0 else \
                f"match {self.current_match + 1} of {n}"
            parts += [(label, MATCH_STYLE), " n/N", sep]
            self._match_label = f"{label} · n/N"
        else:
            self._match_label = ""
            if self.highlights:
                parts += [("match", MATCH_STYLE), sep]
        self._update_subtitle()
        parts.append("h: " + ("hide" if self.highlights else "show"))
        widget.update(Content.assemble(*parts))

    def _mapped(self, spans: Any) -> list[tuple[int, int]]:
        """Spans into the stored body, as spans into the shown (blank-line-compacted) text."""
        out = []
        for s, e in clean_spans(spans, self._raw_length):
            s2, e2 = self._map(s), self._map(e)
            if e2 > s2:
                out.append((s2, e2))
        return sorted(out)

    def body_content(self) -> Content:
        """The body with every highlight as Content spans (public for tests)."""
        text = self._body
        spans: list[Span] = []
        rec = self.record or {}
        if self.highlights:
            for c in rec.get("commitments") or []:
                if isinstance(c, Mapping):
                    spans += [Span(s, e, COMMITMENT_STYLE) for s, e in self._mapped(spans_of(c))]
            for t in rec.get("themes") or []:
                if isinstance(t, Mapping):
                    style = theme_style(theme_id(t))
                    spans += [Span(s, e, style) for s, e in self._mapped(spans_of(t))]
            for p in rec.get("parties") or []:
                if isinstance(p, Mapping):
                    spans += [Span(s, e, PARTY_STYLE) for s, e in self._mapped(spans_of(p))]
        for i, (s, e) in enumerate(self.match_spans):
            spans.append(Span(s, e, CURRENT_MATCH_STYLE if i == self.current_match else MATCH_STYLE))
        return Content(text, spans, strip_control_codes=False)

    def _render_body(self) -> None:
        self.query_one("#detail-body", Static).update(self.body_content())

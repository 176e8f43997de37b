"""Countries, themes and parties of the current results, with counts; choosing one narrows the search."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.widgets.common import safe_line, theme_color, theme_id, theme_label

TOP_COUNTRIES = 15
TOP_PARTIES = 15


def facet_counts(records: Iterable[Mapping[str, Any]]) -> dict[str, Counter[str]]:
    """Counts per country code, theme id and party name over ``records`` (each counted once per record)."""
    countries: Counter[str] = Counter()
    themes: Counter[str] = Counter()
    parties: Counter[str] = Counter()
    for rec in records:
        countries.update(set(rec.get("countries") or ()))
        themes.update({theme_id(t) for t in rec.get("themes") or () if theme_id(t)})
        parties.update({str(p.get("name")) for p in rec.get("parties") or ()
                        if isinstance(p, Mapping) and p.get("name")})
    return {"country": countries, "theme": themes, "party": parties}


def facet_term(kind: str, value: str) -> str:
    """The query term for a facet: ``country:HU``, ``theme:legal-cooperation``, ``party:"Gábor Nagy"``."""
    value = value.replace('"', "").strip()
    if any(ch.isspace() for ch in value) or ":" in value:
        value = f'"{value}"'
    return f"{kind}:{value}"


class FacetsPane(Vertical):
    """The side pane: an option list with a heading per facet."""

    DEFAULT_CSS = """
    FacetsPane { width: 30; height: 1fr; }
    FacetsPane > OptionList, FacetsPane > OptionList:focus {
        height: 1fr; border: none; padding: 0; background: $surface;
    }
    """

    class Chosen(Message):
        def __init__(self, term: str) -> None:
            super().__init__()
            self.term = term

    def compose(self) -> ComposeResult:
        yield OptionList(id="facet-options")

    @property
    def options(self) -> OptionList:
        return self.query_one(OptionList)

    _counts: dict[str, Counter[str]] | None = None

    def on_resize(self) -> None:
        if self._counts is not None:
            self.show_counts(self._counts)

    def show_counts(self, counts: dict[str, Counter[str]]) -> None:
        self._counts = counts
        options: list[Option | None] = []
        width = max(12, (self.options.scrollable_content_region.width or self.size.width or 30) - 1)
        groups = (("country", "Countries", TOP_COUNTRIES), ("theme", "Themes", None),
                  ("party", "Parties", TOP_PARTIES))
        for kind, heading, top in groups:
            counter = counts.get(kind) or Counter()
            if options:
                options.append(None)
            options.append(Option(Content.styled(f"{heading} ({len(counter):,})", "bold"), disabled=True))
            if not counter:
                options.append(Option(Content.styled("  none in these results", "$text-muted"), disabled=True))
            ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
            for value, n in ranked[:top] if top else ranked:
                options.append(Option(self._prompt(kind, value, n, width), id=facet_term(kind, value)))
        highlighted = self.options.highlighted_option.id if self.options.highlighted_option else None
        self.options.set_options(options)
        if highlighted:
            try:
                self.options.highlighted = self.options.get_option_index(highlighted)
            except Exception:
                pass
        if self.options.highlighted is None:
            self.options.action_first()

    @staticmethod
    def _prompt(kind: str, value: str, n: int, width: int) -> Content:
        count = Content.styled(f"{n:>4,} ", "$text-muted")
        label = safe_line(theme_label(value) if kind == "theme" else value)
        room = width - 5 - (2 if kind == "theme" else 0)
        if len(label) > room:
            label = label[: max(1, room - 1)] + "…"
        if kind == "theme":
            return Content.assemble(count, ("■ ", theme_color(value)), label)
        return Content.assemble(count, label)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(event.option.id))

"""Ctrl+P: every action of the app as a searchable command, offered only when it makes sense."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

SEARCH_FIELDS: list[tuple[str, str, str]] = [
    ("party:", "party", "a party to the meeting (party: or p:)"),
    ("person:", "person", "anyone named in the text"),
    ("country:", "country", "a country code or name (country: or c:)"),
    ("theme:", "theme", "a theme id or label (theme: or t:)"),
    ("source:", "source", "who published the summary"),
    ("org:", "organisation", "an organisation named in the text"),
    ("date:", "date", "a day, month or year"),
    ("after:", "date after", "briefings after a date"),
    ("before:", "date before", "briefings before a date"),
    ("has:commitments", "follow-ups", "briefings that record follow-ups"),
    ("due:<", "due date", "follow-ups due before a date"),
]


class BriefingsCommands(Provider):
    """Commands for the main screen: search by field, export, view toggles, theme, reload."""

    def _main(self):  # -> MainScreen | None
        from tui.screens.main import MainScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, MainScreen):
                return screen
        return None

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        main = self._main()
        if main is None:
            return []
        out: list[tuple[str, Callable[[], object], str]] = []
        for prefix, name, what in SEARCH_FIELDS:
            out.append((f"Search by {name} ({prefix})", partial(main.insert_in_query, prefix),
                        f"Put {prefix} in the query box: {what}"))
        if main.query_text:
            out.append(("Clear the search", partial(main.run_action, "back"), "Empty the query box"))
        if main.shown is not None:
            from tui.screens.export_dialog import FORMAT_NAMES, export_formats

            for fmt in export_formats():
                out.append((f"Export as {FORMAT_NAMES.get(fmt, fmt.upper())} (.{fmt})", partial(main.export, fmt),
                            "Write the shown briefing into the export folder"))
            out.append(("Export… (choose format and file)", main.action_export_dialog,
                        "Pick the format and the path"))
            out.append(("Copy as Markdown", main.action_copy_markdown, "Copy the shown briefing to the clipboard"))
            out.append(("Toggle highlights", main.action_toggle_highlights,
                        "Show or hide parties, themes and follow-ups in the text"))
            out.append(("Next search match", main.action_next_match, "Scroll the text to the next match"))
        out.append(("Follow-ups", main.action_followups, "Every promise from every meeting, with its status"))
        if main.shown is not None:
            out.append(("Timeline of a party, country or theme", main.action_timeline,
                        "Every briefing involving it, with a per-month chart"))
        out.append(("Toggle facets", main.action_toggle_facets, "Countries, themes and parties of the results"))
        sorts = ["date", "title"] + (["relevance"] if main.query_text else [])
        for sort in sorts:
            out.append((f"Sort by {sort}", partial(self._sort, main, sort), f"Order the list by {sort}"))
        out.append(("Light theme", partial(self._theme, "textual-light"), "Dark text on a light background"))
        out.append(("Dark theme", partial(self._theme, "textual-dark"), "Light text on a dark background"))
        out.append(("Reload the store", main.action_reload, "Re-read the store file now"))
        out.append(("Ingest files…", main.action_ingest, "Read files or a folder into the store"))
        out.append(("Help: keys and search syntax", main.action_help, "Every key and the query syntax"))
        return out

    def _theme(self, name: str) -> None:
        self.app.theme = name

    @staticmethod
    def _sort(main, sort: str) -> None:  # type: ignore[no-untyped-def]
        for _ in range(3):
            if main.sort == sort:
                return
            main.action_cycle_sort()

    async def discover(self) -> Hits:
        for name, callback, help_text in self.commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)

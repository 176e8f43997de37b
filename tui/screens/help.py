"""`?`: every key (taken from the bindings themselves, so none is forgotten) and the search syntax."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen

from tui.widgets.detail import HangingList

SEARCH_SYNTAX: list[tuple[str, str]] = [
    ("hungary prosecutor", "briefings with every word (any order, typos forgiven)"),
    ('"legal assistance"', "the exact phrase"),
    ("energy OR transport", "either word"),
    ("-visa", "without the word"),
    ("(gas OR oil) -russia", "parentheses group terms"),
    ("party:nagy  p:nagy", "a party to the meeting (name, part of a name)"),
    ("person:mergaliyev", "anyone named in the text"),
    ("country:HU  c:hungary", "a country (ISO code or name)"),
    ("theme:legal-cooperation  t:legal", "a theme (id or the start of its name)"),
    ("source:mfa", "who published the summary"),
    ("org:\"supreme court\"", "an organisation named in the text"),
    ("date:2025-11  date:2025", "a day, a month or a year"),
    ("after:2025-01-01  before:2025-07-01", "a date range"),
    ("has:commitments", "briefings with follow-ups"),
    ("due:<2026-01-01", "follow-ups due before a date"),
]

KEY_NAMES = {"slash": "/", "question_mark": "?", "escape": "Esc", "enter": "Enter", "pageup": "PgUp",
             "left_square_bracket": "[", "right_square_bracket": "]", "space": "Space",
             "pagedown": "PgDn", "home": "Home", "end": "End", "up": "↑", "down": "↓", "tab": "Tab",
             "shift+tab": "Shift+Tab"}


def key_label(keys: str) -> str:
    out = []
    for key in keys.split(","):
        key = key.strip()
        label = KEY_NAMES.get(key)
        if label is None:
            label = key.replace("ctrl+", "Ctrl+").replace("shift+", "Shift+")
        out.append(label)
    return " ".join(out)


def key_rows() -> list[tuple[str, list[tuple[str, str]]]]:
    """Groups of (keys, what they do), from the bindings of the app, the screen and the widgets."""
    from tui.app import BriefingsApp
    from tui.screens.main import MainScreen
    from tui.widgets.briefing_list import BriefingList
    from tui.widgets.detail import BriefingDetail
    from tui.widgets.search_box import QueryInput

    def rows(bindings: list) -> list[tuple[str, str]]:
        return [(key_label(b.key), b.tooltip or b.description) for b in bindings if isinstance(b, Binding)]

    app_rows = rows(BriefingsApp.BINDINGS) + [("Ctrl+P", "Command palette: every action, searchable"),
                                             ("Tab Shift+Tab", "Move between the panes")]
    return [("Everywhere", app_rows), ("Main screen", rows(MainScreen.BINDINGS)),
            ("List", rows(BriefingList.BINDINGS)),
            ("Reading a briefing (Enter on the list)",
             rows(BriefingDetail.READING_BINDINGS) + [("n N", "Next and previous search match in the text"),
                                                      ("h", "Show or hide the highlights")]),
            ("Query box", rows(QueryInput.BINDINGS) + [("Enter", "Move to the results")]),
            ("Facets", [("↑ ↓ Enter", "Add the highlighted country, theme or party to the query")])]


Section = tuple[Content, list[tuple[Content, Content]], int]


def key_sections() -> list[Section]:
    """(heading, [(keys, what)], key column width) for each group of keys."""
    sections = []
    for group, rows in key_rows():
        merged: list[tuple[str, str]] = []
        for keys, what in rows:  # one row for keys that do the same thing
            if merged and merged[-1][1] == what:
                merged[-1] = (f"{merged[-1][0]} {keys}", what)
            else:
                merged.append((keys, what))
        sections.append((Content.styled(group, "bold $text-primary"),
                         [(Content.styled(k, "bold $text-accent"), Content(w)) for k, w in merged], 14))
    return sections


def syntax_sections() -> list[Section]:
    """The search syntax and the notes on fields and highlights."""
    notes = [
        (Content(""), Content("Field names: party: p:  person:  country: c:  theme: t:  source:  org:  date:  "
                              "after:  before:  has:  due:")),
        (Content(""), Content("Highlights in the text: parties bold, theme evidence underlined in the theme's "
                              "colour, follow-ups italic on a tint, search matches reversed.")),
    ]
    return [(Content.styled("Search syntax", "bold $text-primary"),
             [(Content.styled(e, "bold $text-accent"), Content(w)) for e, w in SEARCH_SYNTAX], 34),
            (Content.styled("Notes", "bold $text-primary"), notes, 0)]


def help_sections() -> list[Section]:
    """Every part of the help, keys first."""
    return key_sections() + syntax_sections()


def help_content() -> Content:
    """All of the help as one piece of text (for tests and for copying)."""
    lines: list[Content] = []
    for heading, rows, _ in help_sections():
        lines.append(heading)
        lines += [Content.assemble("  ", k, " ", w) for k, w in rows]
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """Keys and search syntax; Esc, q or ? closes it. Two columns on wide terminals (dialogs.tcss)."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (150, "-wide")]
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss_help", "Close", id="help.close", tooltip="Close the help"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog") as scroll:
            scroll.border_title = "Keys and search syntax"
            scroll.border_subtitle = "↑ ↓ scroll · Esc closes"
            with Horizontal(id="help-columns"):
                for column, part in (("help-keys", key_sections()), ("help-syntax", syntax_sections())):
                    with Vertical(id=column, classes="help-column"):
                        for heading, rows, key_width in part:
                            section = HangingList(classes="help-section", bullet="  ", key_width=key_width)
                            section.set_items(heading, rows)
                            yield section

    def action_dismiss_help(self) -> None:
        self.dismiss(None)

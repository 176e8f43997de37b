"""Fixture briefings for the app's tests: small, hand-made, realistic records with correct spans.

Every span is computed with ``str.find`` on the body it points into, so a
highlight test fails if a span drifts, and stored in the compact form records
hold (``"339-352 354-359"``, :mod:`store.spans`); :func:`as_schema_1` gives a
record as a version-1 store holds it (lists of pairs). The seed briefing's body
is the real readout from shared/eval/dev/seed-kz-hu-prosecutors.txt.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path
from typing import Any

from store.spans import encode_spans, spans_of

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = (ROOT.parent / "shared" / "eval" / "dev" / "seed-kz-hu-prosecutors.txt").read_text(encoding="utf-8")
INGESTED_AT = "2026-01-05T09:00:00+00:00"  # fixed: snapshots must not depend on the clock


def span(body: str, phrase: str, nth: int = 0) -> list[int]:
    start = -1
    for _ in range(nth + 1):
        start = body.find(phrase, start + 1)
    assert start >= 0, f"{phrase!r} not in body"
    return [start, start + len(phrase)]


def make_record(*, title: str, date: str | None, body: str, source: str | None = None,
                location: str | None = None, countries: list[str] | None = None,
                parties: list[tuple[str, str, str | None, list[str]]] | None = None,
                themes: dict[str, list[str]] | None = None,
                commitments: list[tuple[str, list[str], str | None]] | None = None,
                source_file: str = "readout.txt") -> dict[str, Any]:
    """A stored briefing; ``parties`` are (name, role, country, phrases whose spans are evidence)."""
    sha = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return {
        "id": sha[:12], "content_sha256": sha, "source_file": f"/home/analyst/readouts/{source_file}",
        "format": "txt", "ingested_at": INGESTED_AT, "doc_title": None, "doc_date": None, "meta": {},
        "body": body, "title": title, "date": date, "source": source, "location": location, "lang": "en",
        "parties": [{"name": n, "role": r, "country": c, "spans": encode_spans([span(body, p) for p in phrases])}
                    for n, r, c, phrases in parties or []],
        "people": [], "countries": sorted(countries or []), "organizations": [],
        "themes": [{"id": tid, "spans": encode_spans([span(body, p) for p in phrases])}
                   for tid, phrases in sorted((themes or {}).items())],
        "commitments": [{"text": text, "actors": actors, "due": due, "spans": encode_spans([span(body, text)])}
                        for text, actors, due in commitments or []],
    }


def as_schema_1(rec: dict[str, Any]) -> dict[str, Any]:
    """``rec`` as a schema-1 store holds it: every ``spans`` a list of [start, end] pairs."""
    out = dict(rec)
    for name in ("parties", "people", "themes", "commitments"):
        out[name] = [{**item, "spans": [list(p) for p in spans_of(item)]} if isinstance(item, dict) else item
                     for item in rec.get(name) or []]
    return out


def seed_record() -> dict[str, Any]:
    body = SEED_TEXT
    return make_record(
        title="A meeting was held between Ambassador of Kazakhstan Abzal Saparbekuly and Prosecutor General "
              "of Hungary Gábor Bálint Nagy",
        date="2025-11-20", source="Ministry of Foreign Affairs of the Republic of Kazakhstan", location="Budapest",
        countries=["HU", "KZ"], body=body, source_file="seed-kz-hu-prosecutors.txt",
        parties=[("Abzal Saparbekuly", "Ambassador", "KZ", ["Abzal Saparbekuly"]),
                 ("Gábor Bálint Nagy", "Prosecutor General", "HU", ["Gábor Bálint Nagy"])],
        themes={
            "legal-cooperation": ["mutual legal assistance", "international legal cooperation"],
            "anti-corruption": ["combating corruption"],
            "digital-technology": ["introducing digital solutions", "artificial intelligence technologies"],
            "human-rights-governance": ["protecting the rights of citizens and businesses"],
        },
        commitments=[
            ("expressed interest in exchanging experience with Kazakhstan in the field of digitalization, "
             "including the application of artificial intelligence technologies", ["HU"], None),
            ("the parties expressed mutual interest in continuing and further developing close cooperation "
             "between the Embassy of the Republic of Kazakhstan and the Office of the Prosecutor General of "
             "Hungary", ["HU", "KZ"], None),
        ],
    )


def other_records() -> list[dict[str, Any]]:
    jp_uz = ("Tokyo, 14 October 2025. The fourth round of the Japan–Uzbekistan strategic dialogue was held at the "
             "level of deputy foreign ministers. State Minister for Foreign Affairs Kenji Watanabe and First Deputy "
             "Minister of Foreign Affairs of Uzbekistan Bakhrom Aloyev reviewed preparations for the visit of the "
             "President of Uzbekistan to Japan.\n\nThe sides discussed JICA's support for water management in the "
             "Fergana Valley and agreed to sign a memorandum on critical minerals by March 2026.")
    kz_jp = ("Astana, 2 September 2025. Minister of Foreign Affairs of Kazakhstan Murat Nurtleu met Ambassador of "
             "Japan Ichiro Ogasawara. The parties discussed energy cooperation, including rare earth metals and "
             "uranium supplies, and the Trans-Caspian International Transport Route.\n\nThe Japanese side invited "
             "Kazakh companies to the Osaka business forum in December 2025.")
    us_in = ("Washington, 30 July 2025. Secretary of State Marco Rubio spoke with Indian External Affairs Minister "
             "Subrahmanyam Jaishankar. They discussed the Quad, trade negotiations and defence cooperation.\n\n"
             "The Secretary looked forward to meeting the Minister at the UN General Assembly in September.")
    de_in = ("Berlin, 18 June 2024. Federal Minister of Labour Hubertus Heil and Indian Minister of State "
             "Kirti Vardhan Singh discussed skilled migration, visa facilitation for nurses and the recognition "
             "of vocational qualifications.\n\nBoth sides agreed to hold a migration and mobility dialogue "
             "before the end of 2024.")
    osce = ("Vienna, 10 December 2024. The OSCE Representative on Freedom of the Media met the Permanent "
            "Representative of Kazakhstan to discuss media legislation, the protection of journalists and the "
            "implementation of human rights commitments.")
    kz_hu = ("Budapest, 12 March 2025. Deputy Minister of Foreign Affairs of Kazakhstan Roman Vassilenko held "
             "political consultations with State Secretary of Hungary Levente Magyar. The sides reviewed trade, "
             "the Stipendium Hungaricum scholarship programme and cooperation in agriculture.\n\n"
             "Hungary will host the next session of the intergovernmental commission in Astana in the autumn.")
    return [
        make_record(title="Japan–Uzbekistan strategic dialogue: fourth round", date="2025-10-14", body=jp_uz,
                    source="Ministry of Foreign Affairs of Japan", location="Tokyo", countries=["JP", "UZ"],
                    parties=[("Kenji Watanabe", "State Minister for Foreign Affairs", "JP", ["Kenji Watanabe"]),
                             ("Bakhrom Aloyev", "First Deputy Minister of Foreign Affairs", "UZ",
                              ["Bakhrom Aloyev"])],
                    themes={"political-dialogue": ["strategic dialogue"],
                            "environment-climate": ["water management"],
                            "energy-resources": ["critical minerals"]},
                    commitments=[("agreed to sign a memorandum on critical minerals by March 2026", ["JP", "UZ"],
                                  "2026-03-31")], source_file="jp-uz-dialogue.txt"),
        make_record(title="Kazakhstan and Japan discuss energy and the Middle Corridor", date="2025-09-02",
                    body=kz_jp, source="Ministry of Foreign Affairs of Kazakhstan", location="Astana",
                    countries=["JP", "KZ"],
                    parties=[("Murat Nurtleu", "Minister of Foreign Affairs", "KZ", ["Murat Nurtleu"]),
                             ("Ichiro Ogasawara", "Ambassador", "JP", ["Ichiro Ogasawara"])],
                    themes={"energy-resources": ["energy cooperation"],
                            "transport-logistics": ["Trans-Caspian International Transport Route"]},
                    commitments=[("invited Kazakh companies to the Osaka business forum in December 2025", ["JP"],
                                  "2025-12-31")], source_file="kz-jp.txt"),
        make_record(title="Secretary Rubio's call with Indian External Affairs Minister Jaishankar",
                    date="2025-07-30", body=us_in, source="U.S. Department of State", location="Washington",
                    countries=["IN", "US"],
                    parties=[("Marco Rubio", "Secretary of State", "US", ["Marco Rubio"]),
                             ("Subrahmanyam Jaishankar", "External Affairs Minister", "IN",
                              ["Subrahmanyam Jaishankar"])],
                    themes={"security-defense": ["defence cooperation"], "trade-investment": ["trade negotiations"]},
                    source_file="us-in.pdf"),
        make_record(title="Kazakhstan–Hungary political consultations in Budapest", date="2025-03-12", body=kz_hu,
                    source="Ministry of Foreign Affairs of Kazakhstan", location="Budapest", countries=["HU", "KZ"],
                    parties=[("Roman Vassilenko", "Deputy Minister of Foreign Affairs", "KZ", ["Roman Vassilenko"]),
                             ("Levente Magyar", "State Secretary", "HU", ["Levente Magyar"])],
                    themes={"political-dialogue": ["political consultations"],
                            "education-science": ["Stipendium Hungaricum scholarship programme"],
                            "agriculture-food": ["cooperation in agriculture"]},
                    commitments=[("Hungary will host the next session of the intergovernmental commission in "
                                  "Astana in the autumn", ["HU"], None)], source_file="kz-hu-consultations.txt"),
        make_record(title="Germany and India on skilled migration", date="2024-06-18", body=de_in,
                    source="Federal Ministry of Labour", location="Berlin", countries=["DE", "IN"],
                    parties=[("Hubertus Heil", "Federal Minister of Labour", "DE", ["Hubertus Heil"]),
                             ("Kirti Vardhan Singh", "Minister of State", "IN", ["Kirti Vardhan Singh"])],
                    themes={"consular-migration": ["skilled migration", "visa facilitation"]},
                    commitments=[("agreed to hold a migration and mobility dialogue before the end of 2024",
                                  ["DE", "IN"], "2024-12-31")], source_file="de-in.eml"),
        make_record(title="OSCE media freedom representative meets Kazakhstan's envoy", date="2024-12-10",
                    body=osce, source="OSCE", location="Vienna", countries=["KZ"],
                    themes={"human-rights-governance": ["human rights commitments"]}, source_file="osce-kz.txt"),
    ]


def fixture_records() -> list[dict[str, Any]]:
    return [seed_record(), *other_records()]


def build_store(folder: Path, records: list[dict[str, Any]] | None = None):  # -> store.db.Store
    from store import open_store

    store = open_store(folder / "briefings.json")
    store.add_records(fixture_records() if records is None else records)
    return store


def make_app(folder: Path, records: list[dict[str, Any]] | None = None, *,
             export_dir: Path | None = None):  # -> BriefingsApp
    """The app on a fresh fixture store, with a fixed theme and export folder."""
    from tui.app import BriefingsApp

    store = build_store(folder, records)
    return BriefingsApp(store, export_dir=export_dir or folder / "exports", theme="textual-dark")


@contextlib.asynccontextmanager
async def running(folder: Path, records: list[dict[str, Any]] | None = None, *, size: tuple[int, int],
                  export_dir: Path | None = None):  # -> AsyncIterator[tuple[BriefingsApp, Pilot]]
    """The app of :func:`make_app` under the pilot at ``size``, once its first screen is up."""
    app = make_app(folder, records, export_dir=export_dir)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield app, pilot


async def settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """Let every worker (search, loading, writing) finish and the screen catch up."""
    await app.workers.wait_for_complete()
    await pilot.pause()


def stop_cursor_blink(app) -> None:  # type: ignore[no-untyped-def]
    """No blinking cursor in the text boxes of the screen: snapshots must not depend on the clock."""
    from textual.widgets import Input

    for widget in app.screen.query(Input):
        widget.cursor_blink = False


def sync(fn):  # type: ignore[no-untyped-def]
    """Run an ``async def`` test with asyncio (the suite has no async pytest plugin)."""
    import asyncio
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


def plain_screen(app) -> str:  # type: ignore[no-untyped-def]
    """Everything the terminal shows, as plain text."""
    import io

    from rich.console import Console

    console = Console(width=app.size.width, record=True, file=io.StringIO(), color_system=None,
                      legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()

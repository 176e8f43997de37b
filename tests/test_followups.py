"""Follow-ups, timelines and people at the store level, and their commands."""

from __future__ import annotations

import json
import os
import stat
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from test_tui_support import fixture_records, make_record

import store.followups as followups
from store import open_store
from store.errors import AmbiguousId, NotFound
from store.followups import FOLLOWUPS_TABLE, filter_followups, followup_id, normalise_clause, sort_followups
from store.people import MERGES_TABLE, find_people, merge, people, person_of, unmerge
from store.timeline import month_counts, person_timeline, timeline
from tui.cli import main

TODAY = date(2026, 1, 5)


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(followups, "today", lambda: TODAY)


def fixture_store(tmp_path: Path, records: list[dict[str, Any]] | None = None):  # type: ignore[no-untyped-def]
    store = open_store(tmp_path / "briefings.json")
    store.add_records(fixture_records() if records is None else records)
    return store


def cli(db: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


# -- ids --------------------------------------------------------------------------
def test_a_follow_up_id_depends_on_the_briefing_and_the_clause_not_on_its_spacing_case_or_list_marker() -> None:
    a = followup_id("abc123abc123", "The sides agreed to hold the forum in Almaty.")
    assert a == followup_id("abc123abc123", "2. the  sides agreed to hold the forum in Almaty")
    assert a == followup_id("abc123abc123", "b) The sides agreed, to hold the forum in Almaty!")
    assert a != followup_id("abc123abc124", "The sides agreed to hold the forum in Almaty.")
    assert a != followup_id("abc123abc123", "The sides agreed to hold the forum in Astana.")
    assert normalise_clause("  1. Ещё  РАЗ ") == "ещё раз"


def test_every_commitment_is_a_follow_up_with_a_stable_id_across_opens(tmp_path: Path) -> None:
    store = fixture_store(tmp_path)
    fus = store.followups()
    assert len(fus) == sum(len(r["commitments"]) for r in fixture_records())
    assert all(fu.status == "open" and not fu.orphaned for fu in fus)
    again = open_store(store.path).followups()
    assert [fu.id for fu in again] == [fu.id for fu in fus]
    assert len({fu.id for fu in fus}) == len(fus)


def test_a_clause_repeated_in_one_briefing_gets_two_ids(tmp_path: Path) -> None:
    body = "The sides agreed to meet again. Later: the sides agreed to meet again."
    rec = make_record(title="Twice", date="2025-01-01", body=body, countries=["HU"],
                      commitments=[("The sides agreed to meet again", ["HU"], None)])
    rec["commitments"].append(dict(rec["commitments"][0], text="the sides agreed to meet again"))
    store = fixture_store(tmp_path, [rec])
    ids = [fu.id for fu in store.followups()]
    assert len(ids) == 2 and len(set(ids)) == 2


# -- the user's status survives re-extraction and re-ingest --------------------------------
def _set_up(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = fixture_store(tmp_path)
    seed = store.get(fixture_records()[0]["id"])
    first, second = [fu for fu in store.followups() if fu.briefing_id == seed["id"]]
    store.set_followup(first.id, status="done", owner="Anna", note="letter sent")
    store.set_followup(second.id[:6], status="dropped")
    return store, seed, first, second


def test_status_owner_and_note_are_stored_in_their_own_table(tmp_path: Path) -> None:
    store, seed, first, second = _set_up(tmp_path)
    raw = json.loads(store.path.read_text())
    assert raw[FOLLOWUPS_TABLE][first.id]["status"] == "done"
    assert raw[FOLLOWUPS_TABLE][first.id]["owner"] == "Anna"
    assert raw[FOLLOWUPS_TABLE][second.id]["status"] == "dropped"
    reopened = {fu.id: fu for fu in open_store(store.path).followups()}
    assert (reopened[first.id].status, reopened[first.id].owner, reopened[first.id].note) == \
        ("done", "Anna", "letter sent")
    with pytest.raises(NotFound):
        store.set_followup("ffffffffffff", status="done")


def test_user_status_survives_reextract_and_a_vanished_clause_is_kept_as_orphaned(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store, seed, first, second = _set_up(tmp_path)
    third = next(fu for fu in store.followups() if fu.briefing_id != seed["id"])

    def improved(doc):  # type: ignore[no-untyped-def]
        # A changed extractor, without running one: the fixture's fields, with commitments changed.
        rec = next(r for r in fixture_records() if r["body"] == doc.text)
        fields = {k: rec[k] for k in ("title", "date", "source", "location", "lang", "parties", "people",
                                      "countries", "organizations", "themes", "commitments")}
        if rec["id"] == seed["id"]:
            # The first clause comes back with other spacing and case; the second is no longer found.
            c = dict(rec["commitments"][0], text="  " + rec["commitments"][0]["text"].upper() + " ")
            fields["commitments"] = [c]
        else:
            fields["commitments"] = []  # every other clause disappears too
        return fields

    monkeypatch.setattr("store.db.extracted_fields", improved)
    assert store.reextract() > 0
    fus = {fu.id: fu for fu in open_store(store.path).followups()}
    assert fus[first.id].status == "done" and fus[first.id].owner == "Anna" and not fus[first.id].orphaned
    assert fus[second.id].orphaned and fus[second.id].status == "dropped"
    assert fus[second.id].text == second.text  # its last known text
    assert fus[third.id].orphaned and fus[third.id].status == "open"  # untouched ones are kept too
    assert [fu.id for fu in filter_followups(store, "is:orphaned is:dropped")] == [second.id]
    # The clause comes back (a better extractor): it is live again, with its status.
    monkeypatch.setattr("store.db.extracted_fields", lambda doc: {
        **{k: r[k] for r in fixture_records() if r["body"] == doc.text
           for k in ("title", "date", "source", "location", "lang", "parties", "people", "countries",
                     "organizations", "themes", "commitments")}})
    store.reextract()
    fus = {fu.id: fu for fu in store.followups()}
    assert not fus[second.id].orphaned and fus[second.id].status == "dropped"


def test_user_status_survives_re_ingest_and_remove_then_add(tmp_path: Path) -> None:
    store, seed, first, second = _set_up(tmp_path)
    added, unchanged = store.add_records(fixture_records())
    assert not added and len(unchanged) == len(fixture_records())
    assert {fu.id: fu.status for fu in store.followups()}[first.id] == "done"
    store.remove([seed["id"]])
    orphans = {fu.id: fu for fu in store.followups() if fu.orphaned}
    assert set(orphans) == {first.id, second.id}  # the briefing is gone: its touched follow-ups stay
    assert orphans[first.id].briefing_title.startswith("A meeting was held")
    store.add_records([r for r in fixture_records() if r["id"] == seed["id"]])
    fus = {fu.id: fu for fu in store.followups()}
    assert fus[first.id].status == "done" and not fus[first.id].orphaned


def test_the_status_written_by_an_old_store_object_never_loses_another_process_writes(tmp_path: Path) -> None:
    store, seed, first, second = _set_up(tmp_path)
    other = open_store(store.path)
    other.set_followup(first.id, note="from the other process")
    store.set_followup(second.id, status="open")  # `store` last read the file before that write
    fus = {fu.id: fu for fu in open_store(store.path).followups()}
    assert fus[first.id].note == "from the other process" and fus[first.id].status == "done"
    assert fus[second.id].status == "open"


# -- filtering and sorting ---------------------------------------------------------------
def test_filters_combine_briefing_fields_with_each_follow_ups_due_actors_and_status(tmp_path: Path) -> None:
    store, seed, first, second = _set_up(tmp_path)

    def texts(q: str) -> list[str]:
        return sorted(fu.text[:30] for fu in filter_followups(store, q))

    assert texts("is:overdue") == ["agreed to hold a migration and", "invited Kazakh companies to th"]
    assert texts("country:HU is:open") == ["Hungary will host the next ses"]
    assert texts("country:UZ due:<2026-06") == ["agreed to sign a memorandum on"]
    assert texts("c:KZ -is:done") == ["the parties expressed mutual i"]  # actors HU,KZ; dropped is not done
    assert texts("c:KZ") == ["the parties expressed mutual i"]  # "Hungary will host …": actor HU only
    assert texts("is:done OR is:dropped") == sorted([first.text[:30], second.text[:30]])
    assert texts("osaka") == ["invited Kazakh companies to th"]
    assert texts("t:energy is:open due:2026") == ["agreed to sign a memorandum on"]
    assert len(texts("")) == len(store.followups())
    with pytest.raises(Exception) as exc:
        filter_followups(store, "is:opne")
    assert "is:open" in str(exc.value)


def test_is_filters_also_work_in_the_briefing_search(tmp_path: Path) -> None:
    store, seed, first, second = _set_up(tmp_path)
    assert [r["id"] for r in store.search("is:done")] == [seed["id"]]
    assert {r["title"][:8] for r in store.search("is:overdue")} == {"Germany ", "Kazakhst"}


def test_sorting_by_due_puts_undated_follow_ups_last_both_ways(tmp_path: Path) -> None:
    store = fixture_store(tmp_path)
    up = [fu.due for fu in sort_followups(store.followups(), "due")]
    down = [fu.due for fu in sort_followups(store.followups(), "due", reverse=True)]
    assert up[:3] == ["2024-12-31", "2025-12-31", "2026-03-31"] and up[3:] == [None] * 3
    assert down[:3] == ["2026-03-31", "2025-12-31", "2024-12-31"] and down[3:] == [None] * 3


# -- the command line ------------------------------------------------------------------------
def test_cli_followups_lists_filters_and_sets_status_by_a_short_prefix(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    store = fixture_store(tmp_path)
    code, out, _ = cli(store.path, "followups", "--json", "country:HU", "is:open", capsys=capsys)
    assert code == 0
    rows = json.loads(out)
    assert {r["briefing_title"][:10] for r in rows} == {"A meeting ", "Kazakhstan"}
    fid = rows[0]["id"]
    code, _, err = cli(store.path, "followup", fid[:5], "--done", "--owner", "Dana", "--note", "sent", capsys=capsys)
    assert code == 0 and "done" in err
    code, out, _ = cli(store.path, "followups", "is:done", capsys=capsys)
    assert code == 0 and fid[:8] in out and "Dana" in out
    code, _, err = cli(store.path, "followup", fid[:5], "--open", capsys=capsys)
    assert code == 0 and open_store(store.path).followups("is:open")[0]
    code, _, err = cli(store.path, "followup", fid[:5], capsys=capsys)
    assert code == 2
    code, _, err = cli(store.path, "followups", "contry:HU", capsys=capsys)
    assert code == 2 and "country" in err
    code, _, err = cli(store.path, "followup", "zzzz", "--done", capsys=capsys)
    assert code == 1


def test_cli_ics_is_owner_only_and_parses_back_with_one_all_day_event_per_dated_follow_up(
        tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from icalendar import Calendar

    records = fixture_records()
    records[1]["commitments"].append(dict(records[1]["commitments"][0], text="meet again in June", due="2026-06"))
    records[2]["commitments"].append(dict(records[2]["commitments"][0], text="visit next year", due="2027"))
    store = fixture_store(tmp_path, records)
    target = tmp_path / "out" / "followups.ics"
    code, _, err = cli(store.path, "followups", "--ics", "--output", str(target), capsys=capsys)
    assert code == 0 and str(target) in err
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    cal = Calendar.from_ical(target.read_bytes())
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    dated = [fu for fu in store.followups() if fu.due]
    assert set(events) == {f"{fu.id}@briefings" for fu in dated}
    by_text = {fu.text: events[f"{fu.id}@briefings"] for fu in dated}
    assert by_text["meet again in June"].decoded("dtstart") == date(2026, 6, 30)   # month → its last day
    assert by_text["visit next year"].decoded("dtstart") == date(2027, 12, 31)     # year → 31 December
    assert by_text["visit next year"].decoded("dtend") == date(2028, 1, 1)
    # Stable UIDs: a second export gives the same events.
    code, out, _ = cli(store.path, "followups", "--ics", capsys=capsys)
    again = Calendar.from_ical(out)
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == set(events)


# -- timelines -----------------------------------------------------------------------------
def test_month_counts_fill_the_gaps_with_zero() -> None:
    recs = [{"date": "2025-11-20"}, {"date": "2025-11-02"}, {"date": "2026-02-01"}, {"date": None}]
    assert month_counts(recs) == [("2025-11", 2), ("2025-12", 0), ("2026-01", 0), ("2026-02", 1)]
    assert month_counts([]) == []


def test_a_country_timeline_lists_its_briefings_newest_first_with_follow_ups(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    store, seed, first, second = _set_up(tmp_path)
    tl = timeline(store, "country:HU")
    assert tl.title == "Hungary (HU)"
    assert [r["date"] for r in tl.briefings] == ["2025-11-20", "2025-03-12"]
    assert tl.months[0] == ("2025-03", 1) and tl.months[-1] == ("2025-11", 1) and len(tl.months) == 9
    assert [fu.status for fu in tl.followups[seed["id"]]] == ["done", "dropped"]
    code, out, _ = cli(store.path, "timeline", "country:HU", capsys=capsys)
    assert code == 0 and "2025-11-20" in out and "2025-03" in out and "done" in out
    code, out, _ = cli(store.path, "timeline", "--json", "c:KZ", capsys=capsys)
    assert code == 0 and len(json.loads(out)["briefings"]) == 4


# -- people --------------------------------------------------------------------------------
def nagy_records() -> list[dict[str, Any]]:
    def rec(day: str, name: str, country: str = "HU", role: str = "Prosecutor General") -> dict[str, Any]:
        body = f"Budapest, {day}. {name} met the Ambassador of Kazakhstan Abzal Saparbekuly."
        return make_record(title=f"Meeting on {day}", date=day, body=body, countries=["HU", "KZ"],
                           parties=[(name, role, country, [name]),
                                    ("Abzal Saparbekuly", "Ambassador", "KZ", ["Abzal Saparbekuly"])])

    return [rec("2025-11-20", "Gábor Bálint Nagy"), rec("2025-06-02", "Gabor Nagy"),
            rec("2025-02-11", "Prosecutor General Nagy"), rec("2024-10-01", "Péter Nagy", role="Minister"),
            rec("2024-09-01", "Gábor Nagy", country="SK")]


def test_party_names_of_one_person_merge_and_the_merge_is_visible_and_reversible(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    store = fixture_store(tmp_path, nagy_records())
    gabor = person_of(store, "Gabor Nagy", "HU")
    assert gabor is not None
    assert set(gabor.forms) == {"Gábor Bálint Nagy", "Gabor Nagy"}
    # "Prosecutor General Nagy" fits two Hungarian Nagys (Gábor, Péter): never glued to either.
    assert person_of(store, "Prosecutor General Nagy", "HU").forms == ("Prosecutor General Nagy",)
    assert person_of(store, "Péter Nagy", "HU").forms == ("Péter Nagy",)
    assert person_of(store, "Gábor Nagy", "SK").forms == ("Gábor Nagy",)  # another country, another person
    assert person_of(store, "Abzal Saparbekuly", "KZ").briefing_ids == tuple(r["id"] for r in store.all())
    tl = person_timeline(store, gabor)
    assert [r["date"] for r in tl.briefings] == ["2025-11-20", "2025-06-02"] and len(tl.forms) == 2

    merged = merge(store, "Prosecutor General Nagy", gabor.id)
    assert set(merged.forms) == {"Gábor Bálint Nagy", "Gabor Nagy", "Prosecutor General Nagy"}
    assert merged.user_merged and MERGES_TABLE in json.loads(store.path.read_text())
    unmerge(store, "Gabor Nagy", "HU")
    assert person_of(store, "Gabor Nagy", "HU").forms == ("Gabor Nagy",)
    assert set(person_of(store, "Gábor Bálint Nagy", "HU").forms) == {"Gábor Bálint Nagy", "Prosecutor General Nagy"}
    with pytest.raises(AmbiguousId):
        unmerge(store, "Gábor Nagy")  # written so in Slovakia, and (folded) in Hungary
    # The command line: people, merge, unmerge, unmerge --auto.
    code, out, _ = cli(store.path, "people", "--merged", capsys=capsys)
    assert code == 0 and "Prosecutor General Nagy" in out
    code, _, err = cli(store.path, "unmerge", "--auto", "Gabor Nagy", "--country", "HU", capsys=capsys)
    assert code == 0
    assert set(person_of(open_store(store.path), "Gabor Nagy", "HU").forms) >= {"Gábor Bálint Nagy", "Gabor Nagy"}
    code, _, err = cli(store.path, "merge", "Péter Nagy", "Gabor Nagy", capsys=capsys)
    assert code == 1 and "several people" in err  # Gabor Nagy (HU) or Gábor Nagy (SK)?
    code, _, err = cli(store.path, "merge", "Péter Nagy", "Gábor Bálint Nagy", capsys=capsys)
    assert code == 0 and "Péter Nagy" in err
    code, out, _ = cli(store.path, "timeline", "--person", "Peter Nagy", capsys=capsys)
    assert code == 0 and "Merged name forms" in out
    code, _, err = cli(store.path, "people", "nagy", capsys=capsys)
    assert code == 0


def test_spelling_variants_of_a_surname_merge_within_a_country(tmp_path: Path) -> None:
    recs = nagy_records()[:1]
    body = "Astana. Abzal Saparbekuli met the Prosecutor General."
    recs.append(make_record(title="Variant", date="2025-12-01", body=body, countries=["KZ"],
                            parties=[("Abzal Saparbekuli", "Ambassador", "KZ", ["Abzal Saparbekuli"])]))
    store = fixture_store(tmp_path, recs)
    person = person_of(store, "Abzal Saparbekuli", "KZ")
    assert set(person.forms) == {"Abzal Saparbekuly", "Abzal Saparbekuli"}
    assert find_people(store, "saparbekuly")[0].id == person.id
    assert len(people(store)) == 2

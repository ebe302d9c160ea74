"""A whole case loaded from the stored JSON texts (the fast path of a cold read) is the case the
decoded rows give, for every reader, on SQLite and PostgreSQL; stored data that does not load
fails as it did."""

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

from accord.model import Case
from accord.services import Services
from accord.services.base import CaseCache, case_from_texts
from accord.store import Database, case_documents
from accord.store import cases as case_store
from accord.store.schema import records
from server_support import add_user, every_kind_of_event, sample_case, unique

NOW = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
READERS = [frozenset(), frozenset({"wga"}), frozenset({"amptp"}), frozenset({"wga", "amptp"}), None]


def reference_load(
    conn: sa.Connection, row: case_store.CaseRow, visible_private: frozenset[str] | None
) -> Case:
    """The load as it was before the JSON-text path, kept here as the twin to compare with:
    decoded rows, the case-file dict, a public correction of a hidden draft shown on its own."""
    items = case_store.current_items(conn, row.id)
    rows = case_store.record_rows(conn, row.id, visible_private=visible_private)
    payload = case_documents.case_payload(row, items, rows)
    visible = {r.record_id for r in rows}
    for group in ("proposals", "events"):
        payload[group] = [
            p if p.get("supersedes") in visible or p.get("supersedes") is None else {**p, "supersedes": None}
            for p in payload[group]
        ]
    return Case.model_validate(payload)


def rich_case(case_id: str) -> tuple[Case, list[str | None]]:
    """Every kind of record, drafts of both sides, corrections of public records and of drafts
    (public corrections of hidden drafts among them); the party each record is private to."""
    data = sample_case(case_id).model_dump(mode="json", by_alias=True)
    data["description"] = "Drafts, corrections and every kind of event"
    data["estimates"] = [
        {"id": "cost", "label": "Cost", "low": 3e9, "high": 5.5e9, "scope": "state", "by": "Milken"}
    ]
    proposals: list[tuple[dict[str, Any], str | None]] = [
        (
            {
                "id": "d1",
                "date": "2023-04-02",
                "from": "wga",
                "to": "amptp",
                "status": "draft",
                "positions": {
                    "pay": {"value": 5.5, "text": "5.5%", "confidence": "B"},
                    "ai": ["no-training"],
                },
                "time": "14:30:00",
                "note": "first draft",
            },
            "wga",
        ),
        (
            {
                "id": "d2",
                "date": "2023-04-03",
                "from": "wga",
                "to": "amptp",
                "status": "draft",
                "positions": {"pay": 5, "staffing": {"value": None, "text": "to be discussed"}},
                "supersedes": "d1",
            },
            "wga",
        ),
        (
            {
                "id": "p3",
                "date": "2023-04-04",
                "from": "wga",
                "to": "amptp",
                "answers": ["p2"],
                "positions": {"pay": 5, "staffing": "some", "ai": ["no-training", "not-source"]},
                "supersedes": "d2",
                "sources": ["s1"],
                "confidence": "C",
            },
            None,
        ),
        (
            {
                "id": "da",
                "date": "2023-04-05",
                "from": "amptp",
                "to": "wga",
                "status": "draft",
                "positions": {"pay": 4.25},
            },
            "amptp",
        ),
        (
            {
                "id": "p4",
                "date": "2023-04-06",
                "from": "amptp",
                "to": "wga",
                "positions": {"pay": 4.5},
                "supersedes": "da",
                "summary": "Published",
            },
            None,
        ),
        (
            {
                "id": "p2b",
                "date": "2023-04-07",
                "from": "amptp",
                "to": "wga",
                "answers": ["p1"],
                "positions": {"pay": 4, "staffing": "none", "ai": []},
                "supersedes": "p2",
            },
            None,
        ),
        ({"id": "w1", "date": "2023-04-08", "from": "wga", "to": "amptp", "status": "withdrawn"}, None),
    ]
    data["proposals"] += [p for p, _ in proposals]
    data["events"] += every_kind_of_event("p3")
    private_to = [None] * len(sample_case().proposals) + [owner for _, owner in proposals]
    private_to += [None] * len(data["events"])
    return Case.model_validate(data), private_to


def stored_rich_case(db: Database) -> str:
    case, private_to = rich_case(unique("load"))
    with db.write() as conn:
        case_documents.import_case(conn, case, private_to=private_to, by="ada", now=NOW)
        pay = case.issue("pay").model_copy(update={"high": 12.0})  # a current item of version 2
        case_store.put_item(
            conn, case.id, "issue", "pay", case_store.dump(pay), version=2, ordinal=0, by="bo", now=NOW
        )
        case_store.touch_case(conn, case.id, items_changed=True)
    return case.id


def fresh_load(services: Services, conn: sa.Connection, row: case_store.CaseRow, reader) -> Case:
    services.views.cache = CaseCache()  # a cold read
    return services.views.whole_case(conn, row, reader)


@pytest.mark.parametrize(
    "reader", READERS, ids=lambda r: "all" if r is None else ",".join(sorted(r)) or "public"
)
def test_the_json_text_load_is_the_rows_load_for_every_reader(db: Database, services: Services, reader):
    case_id = stored_rich_case(db)
    with db.read() as conn:
        row = case_store.case_row(conn, case_id)
        assert row is not None
        expected = reference_load(conn, row, reader)
        fast = case_from_texts(conn, row, case_store.current_items(conn, case_id), reader)
        served = fresh_load(services, conn, row, reader)
    assert fast == expected
    assert fast.model_dump_json() == expected.model_dump_json()  # the same types and key order too
    assert served == expected
    ids = {r.id for r in fast.records()}
    p3 = fast.proposal("p3")
    if reader is None or "wga" in reader:
        assert {"d1", "d2"} <= ids and p3.supersedes == "d2"
    else:  # the draft p3 corrects does not exist for this reader
        assert not {"d1", "d2"} & ids and p3.supersedes is None
    assert fast.proposal("p4").supersedes == ("da" if reader is None or "amptp" in reader else None)
    assert fast.proposal("p2b").supersedes == "p2"
    assert fast.issue("pay").high == 12.0


def test_the_whole_case_seen_by_a_member_is_the_rows_load(db: Database, services: Services):
    case_id = stored_rich_case(db)
    writer = add_user(services, f"writer-{case_id}")
    services.cases.set_member(None, case_id, writer.username, "member", "wga")
    services.views.cache = CaseCache()
    seen = services.cases.view(writer, case_id)
    with db.read() as conn:
        row = case_store.case_row(conn, case_id)
        assert row is not None
        assert seen == reference_load(conn, row, frozenset({"wga"}))
    assert "d2" in {p.id for p in seen.proposals}


def corrupt(db: Database, case_id: str, record_id: str, payload: dict[str, Any]) -> None:
    with db.write() as conn:
        conn.execute(
            sa.update(records)
            .where(records.c.case_id == case_id, records.c.record_id == record_id)
            .values(payload=payload)
        )
        case_store.touch_case(conn, case_id)


def stored_payload(db: Database, case_id: str, record_id: str) -> dict[str, Any]:
    with db.read() as conn:
        (found,) = case_store.record_rows(conn, case_id, visible_private=None, record_ids=[record_id])
    return found.payload


BAD = {
    "out of range": {"positions": {"pay": {"value": 99}}},
    "unknown field": {"colour": "red"},
    "not a date": {"date": "someday"},
    "unknown party": {"to": "nobody"},
    "names a hidden draft": {"answers": ["d1"]},
}


@pytest.mark.parametrize("change", BAD.values(), ids=BAD.keys())
def test_stored_data_that_does_not_load_fails_as_it_did(db: Database, services: Services, change):
    case_id = stored_rich_case(db)
    corrupt(db, case_id, "p2b", {**stored_payload(db, case_id, "p2b"), **change})
    assert_fails_alike(db, services, case_id)


def assert_fails_alike(db: Database, services: Services, case_id: str) -> None:
    """A cold load fails as the rows load does: the same exception type and message."""
    with db.read() as conn:
        row = case_store.case_row(conn, case_id)
        assert row is not None
        with pytest.raises(Exception) as expected:
            reference_load(conn, row, frozenset())
        with pytest.raises(type(expected.value)) as caught:
            fresh_load(services, conn, row, frozenset())
    assert str(caught.value) == str(expected.value)


def test_a_stored_text_that_is_not_json_fails_as_it_did(tmp_path):
    """On SQLite only: PostgreSQL's JSONB refuses to store text that is not JSON."""
    db = Database(f"sqlite:///{tmp_path / 'accord.sqlite'}")
    db.upgrade()
    try:
        _not_json_fails_as_it_did(db, Services(db))
    finally:
        db.dispose()


def _not_json_fails_as_it_did(db: Database, services: Services) -> None:
    case_id = stored_rich_case(db)
    with db.write() as conn:
        conn.execute(
            sa.update(records)
            .where(records.c.case_id == case_id, records.c.record_id == "p2b")
            .values(payload=sa.type_coerce('{"id": "p2b", "date": ', sa.Text))
        )
        case_store.touch_case(conn, case_id)
    assert_fails_alike(db, services, case_id)

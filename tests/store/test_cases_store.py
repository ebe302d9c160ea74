"""Cases in the store: a case file's content goes in and comes back unchanged; nothing is
updated in place."""

import datetime as dt

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.casefile import bundled_case, bundled_case_names
from accord.model import Case, Proposal
from accord.store import Database, DuplicateKey, case_documents, schema
from accord.store import cases as case_store
from accord.store import places as place_store
from server_support import every_kind_of_event, sample_case, unique

NOW = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def _import(db: Database, case: Case, private_to=None) -> None:
    private_to = private_to or [None] * (len(case.proposals) + len(case.events))
    with db.write() as conn:
        case_documents.import_case(conn, case, private_to=private_to, by="ada", now=NOW)


def _every_event_kind(case_id: str) -> Case:
    base = sample_case(case_id).model_dump(mode="json", by_alias=True)
    base["description"] = "All the kinds of record"
    base["estimates"] = [
        {
            "id": "cost",
            "label": "Cost to California",
            "low": 3e9,
            "high": 5e9,
            "scope": "state",
            "by": "Milken",
        }
    ]
    base["events"] += every_kind_of_event("p2")
    return Case.model_validate(base)


@pytest.mark.parametrize("build", [sample_case, _every_event_kind])
def test_a_case_comes_back_unchanged(db: Database, build):
    case = build(unique("round"))
    _import(db, case)
    with db.read() as conn:
        loaded = case_documents.load_case(conn, case.id, visible_private=None)
    assert loaded == case
    assert loaded.model_dump(mode="json", by_alias=True) == case.model_dump(mode="json", by_alias=True)


@pytest.mark.parametrize("name", bundled_case_names())
def test_the_bundled_cases_come_back_unchanged(db: Database, name):
    case = bundled_case(name)
    with db.read() as conn:
        already = case_store.case_row(conn, case.id) is not None
    if not already:  # the module's database is shared by this test's runs on one backend
        _import(db, case)
    with db.read() as conn:
        assert case_documents.load_case(conn, case.id, visible_private=None) == case


positions = st.fixed_dictionaries(
    {},
    optional={
        "pay": st.integers(0, 20).map(lambda n: n / 2),
        "staffing": st.sampled_from(["none", "some", "full"]),
        "ai": st.sets(st.sampled_from(["not-source", "no-training"])).map(sorted),
    },
)
proposal_lists = st.lists(
    st.tuples(positions, st.dates(dt.date(2023, 1, 1), dt.date(2023, 12, 31)), st.booleans(), st.booleans()),
    max_size=8,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(proposal_lists)
def test_any_list_of_proposals_round_trips(db: Database, drawn):
    base = sample_case(unique("prop")).model_dump(mode="json", by_alias=True)
    for index, (values, date, from_union, is_draft) in enumerate(drawn):
        base["proposals"].append(
            {
                "id": f"x{index}",
                "date": date.isoformat(),
                "from": "wga" if from_union else "amptp",
                "to": "amptp" if from_union else "wga",
                "positions": values,
                "status": "draft" if is_draft else "tabled",
            }
        )
    case = Case.model_validate(base)
    _import(db, case)
    with db.read() as conn:
        assert case_documents.load_case(conn, case.id, visible_private=None) == case


def test_private_records_are_left_out_unless_asked_for(db: Database):
    base = sample_case(unique("priv")).model_dump(mode="json", by_alias=True)
    base["proposals"].append(
        {"id": "d1", "date": "2023-04-02", "from": "wga", "to": "amptp", "status": "draft"}
    )
    case = Case.model_validate(base)
    _import(db, case, private_to=[None, None, "wga", None, None])
    with db.read() as conn:
        public = case_documents.load_case(conn, case.id)
        union = case_documents.load_case(conn, case.id, visible_private=["wga"])
        studios = case_documents.load_case(conn, case.id, visible_private=["amptp"])
        assert case_store.count_records(conn, case.id) == 4
        assert case_store.count_records(conn, case.id, visible_private=["wga"], group="proposal") == 3
    assert [p.id for p in public.proposals] == ["p1", "p2"]
    assert [p.id for p in union.proposals] == ["p1", "p2", "d1"]
    assert studios == public


def test_an_item_update_is_a_new_version_and_both_remain(db: Database):
    case = sample_case(unique("items"))
    _import(db, case)
    issue = case.issue("pay").model_copy(update={"high": 12.0})
    with db.write() as conn:
        case_store.put_item(
            conn, case.id, "issue", "pay", case_store.dump(issue), version=2, ordinal=0, by="bo", now=NOW
        )
    with db.read() as conn:
        history = case_store.item_history(conn, case.id, "issue", "pay")
        current = [i for i in case_store.current_items(conn, case.id, "issue") if i.item_id == "pay"]
    assert [(h.version, h.payload["high"], h.created_by) for h in history] == [
        (1, 10.0, "ada"),
        (2, 12.0, "bo"),
    ]
    assert current[0].payload["high"] == 12.0
    with pytest.raises(DuplicateKey), db.write() as conn:
        case_store.put_item(
            conn, case.id, "issue", "pay", case_store.dump(issue), version=2, ordinal=0, by="cy", now=NOW
        )


def test_a_record_id_is_taken_once_and_a_failed_write_leaves_nothing(db: Database):
    case = sample_case(unique("dup"))
    _import(db, case)
    again = Proposal.model_validate({"id": "p9", "date": "2023-06-01", "from": "wga", "to": "amptp"})
    clash = Proposal.model_validate({"id": "p1", "date": "2023-06-01", "from": "wga", "to": "amptp"})
    with pytest.raises(DuplicateKey), db.write() as conn:
        case_store.insert_records(
            conn, case.id, [(again, None), (clash, None)], first_seq=100, by="x", now=NOW
        )
    with db.read() as conn:
        assert case_store.existing_ids(conn, case.id, ["p9"]) == set()


def test_a_case_id_is_taken_once(db: Database):
    case = sample_case(unique("twice"))
    _import(db, case)
    with pytest.raises(DuplicateKey):
        _import(db, case)


def test_a_records_place_counts_the_records_its_reader_sees_before_it(db: Database):
    base = sample_case(unique("place")).model_dump(mode="json", by_alias=True)
    owners: list[str | None] = [None] * (len(base["proposals"]) + len(base["events"]))
    for n, owner in enumerate(["wga", "amptp", None, "wga", None, "amptp", "amptp", None]):
        sender, receiver = ("wga", "amptp") if owner != "amptp" else ("amptp", "wga")
        status = "draft" if owner else "tabled"
        base["proposals"].append(
            {"id": f"x{n}", "date": "2023-04-02", "from": sender, "to": receiver, "status": status}
        )
        owners.insert(len(base["proposals"]) - 1, owner)
    case = Case.model_validate(base)
    _import(db, case, private_to=owners)
    records = schema.records
    with db.read() as conn:
        rows = conn.execute(
            sa.select(records.c.seq, records.c.private_to)
            .where(records.c.case_id == case.id)
            .order_by(records.c.seq)
        ).all()
        assert [seq for seq, _ in rows] == list(range(len(rows)))  # numbered 0, 1, 2, … as written
        assert sum(owner is not None for _, owner in rows) == 5
        for seen in (None, [], ["wga"], ["amptp"], ["wga", "amptp"]):
            shown = [seq for seq, owner in rows if owner is None or seen is None or owner in seen]
            expected = {seq: place for place, seq in enumerate(shown)}
            for seq in shown:  # one record: counted from the drafts hidden before it
                assert place_store.places(conn, case.id, [seq], visible_private=seen) == {seq: expected[seq]}
            some = shown[1::2]
            assert place_store.places(conn, case.id, iter(some), visible_private=seen) == {
                seq: expected[seq] for seq in some
            }

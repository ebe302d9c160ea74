"""Writes folded into the cases server processes hold (:mod:`accord.services.folds`), on SQLite and
PostgreSQL: two long-lived processes (one reading after every write, one now and then, so that it
folds several writes at once) show, for a reader who sees a party's drafts and for one who sees
only the public record, byte for byte the views that a process building the case from scratch
shows, after corrections, withdrawals, drafts and their publication, tentative agreements and
their withdrawal, responses, and records dated in the past."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.model import Proposal
from accord.services import Services
from accord.services.access import Actor
from accord.services.errors import Invalid
from accord.store import Database
from server_support import World, make_world

FIRST = dt.date(2023, 5, 11)


@dataclass
class Writing:
    """What has been written to the case so far (ids the next writes may refer to)."""

    world: World
    count: int = 0
    public: dict[str, list[str]] = field(default_factory=lambda: {"wga": [], "amptp": []})
    drafts: list[str] = field(default_factory=list)
    agreements: list[str] = field(default_factory=list)

    def fresh(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}-new{self.count}"


ACTIONS = [
    "proposal",
    "proposal",
    "draft",
    "publish",
    "correct",
    "withdraw",
    "ta",
    "ta_withdrawn",
    "response",
]


def _record(draw: st.DrawFn, writing: Writing, action: str) -> tuple[str, dict[str, Any]] | None:
    """``(writer role, record)`` for ``action``, or ``None`` where nothing fits it yet."""
    party = draw(st.sampled_from(["wga", "amptp"]))
    other = "amptp" if party == "wga" else "wga"
    day = (FIRST + dt.timedelta(days=draw(st.integers(-60, 30)))).isoformat()  # some in the past
    pay = draw(st.sampled_from([2.0, 3.5, 5.0, 6.5]))
    proposal = {"date": day, "from": party, "to": other, "positions": {"pay": pay}}
    if action == "proposal":
        return party, {"id": writing.fresh("p"), **proposal}
    if action == "draft":
        return "wga", {
            **proposal,
            "id": writing.fresh("draft.wga.d").replace("-", ""),
            "from": "wga",
            "to": "amptp",
            "status": "draft",
        }
    if action == "publish" and writing.drafts:
        target = writing.drafts.pop(draw(st.integers(0, len(writing.drafts) - 1)))
        return "wga", {
            **proposal,
            "id": writing.fresh("pub"),
            "from": "wga",
            "to": "amptp",
            "supersedes": target,
        }
    if action in ("correct", "withdraw") and writing.public[party]:
        target = writing.public[party].pop()
        status = "withdrawn" if action == "withdraw" else "tabled"
        return party, {**proposal, "id": writing.fresh("c"), "supersedes": target, "status": status}
    if action == "ta":
        return "admin", {
            "id": writing.fresh("ta"),
            "kind": "tentative_agreement",
            "date": day,
            "parties": ["wga", "amptp"],
            "issues": ["pay"],
            "terms": {"pay": pay},
        }
    if action == "ta_withdrawn" and writing.agreements:
        return "admin", {
            "id": writing.fresh("wd"),
            "kind": "ta_withdrawn",
            "date": day,
            "agreement": writing.agreements.pop(),
            "by": "amptp",
        }
    if action == "response" and writing.public[other]:
        return party, {
            "id": writing.fresh("r"),
            "kind": "response",
            "date": day,
            "from": party,
            "to": other,
            "responds_to": writing.public[other][-1],
        }
    return None


def _note(writing: Writing, writer: str, record: dict[str, Any]) -> None:
    """Remember what a write that went through may be referred to by later ones."""
    if record.get("status") == "draft":
        writing.drafts.append(record["id"])
    elif record.get("kind") == "tentative_agreement":
        writing.agreements.append(record["id"])
    elif "kind" not in record and record.get("status", "tabled") == "tabled":
        writing.public[record["from"]].append(record["id"])


def _views(services: Services, actor: Actor, case_id: str) -> dict[str, bytes]:
    views = services.views
    return {
        "status": views.two_sided(actor, case_id, "status").encoded,
        "pending": views.two_sided(actor, case_id, "pending").encoded,
        "movement": views.two_sided(actor, case_id, "movement").encoded,
        "ta-board": views.two_sided(actor, case_id, "ta-board").encoded,
        "timeline": views.timeline(actor, case_id, limit=100).encoded,
        "timeline, pay": views.timeline(actor, case_id, issues=("pay",)).encoded,
        "stoppages": views.stoppages(actor, case_id).encoded,
        "earlier": views.two_sided(actor, case_id, "status", as_of=FIRST - dt.timedelta(days=20)).encoded,
    }


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_processes_folding_writes_show_what_a_fresh_process_shows(services: Services, db: Database, data):
    world = make_world(services)
    writing = Writing(world)
    every, sometimes = Services(db), Services(db)
    readers = (world.wga, world.observer)
    for actor in readers:
        _views(every, actor, world.case_id)
        _views(sometimes, actor, world.case_id)
    for step, action in enumerate(data.draw(st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=8))):
        drawn = _record(data.draw, writing, action)
        if drawn is None:
            continue
        writer, record = drawn
        if data.draw(st.integers(0, 2)) == 0:  # known late: views before then leave it out
            late = dt.date.fromisoformat(record["date"]) + dt.timedelta(days=data.draw(st.integers(0, 45)))
            record["known"] = late.isoformat()
        model = Proposal.model_validate(record) if "kind" not in record else _event(record)
        try:
            services.records.add(getattr(world, writer), world.case_id, model)
        except Invalid:  # a rule of the record (a response dated before its proposal): not written
            continue
        _note(writing, writer, record)
        for actor in readers:
            fresh = _views(Services(db), actor, world.case_id)
            assert _views(every, actor, world.case_id) == fresh
            if step % 3 == 2:
                assert _views(sometimes, actor, world.case_id) == fresh


def _event(record: dict[str, Any]) -> Any:
    from pydantic import TypeAdapter

    from accord.model import Event

    return TypeAdapter(Event).validate_python(record)


def _proposal(writing: Writing, day: int) -> Proposal:
    return Proposal.model_validate(
        {
            "id": writing.fresh("wga"),
            "date": (FIRST + dt.timedelta(days=day)).isoformat(),
            "from": "wga",
            "to": "amptp",
            "positions": {"pay": 2.0 + day},
        }
    )


def test_a_reader_of_an_older_snapshot_folds_from_an_older_version(services: Services, db: Database):
    """A request whose transaction began before the newest write reads an older version of the
    case: it is folded forward from the newest version kept at or before its own (the records
    held are the same objects), never given the newer one, and shows what a fresh process shows
    for that version."""
    from accord.store import cases as case_store

    world = make_world(services)
    writing = Writing(world)
    reader = Services(db)
    key = (world.case_id, frozenset())  # the observer's view: the public record
    rows = []
    for day in range(3):
        services.records.add(world.wga, world.case_id, _proposal(writing, day))
        with db.read() as conn:
            rows.append(case_store.case_row(conn, world.case_id))
        if day != 1:  # the middle version is never read by this process
            reader.views.two_sided(world.observer, world.case_id, "status")
    first, middle, newest = rows
    assert reader.cache.folds.latest(key).version == newest.version
    with db.read() as conn:
        case = reader.views.whole_case(conn, middle, frozenset())
    assert (
        len(case.proposals) == len(reader.cache.folds.latest(key, at_most=first.version).case.proposals) + 1
    )
    assert case.proposals[0] is reader.cache.folds.latest(key, at_most=first.version).case.proposals[0]
    assert reader.cache.folds.latest(key, at_most=middle.version).version == middle.version
    assert reader.cache.folds.latest(key).version == newest.version  # the newest stays newest
    with db.read() as conn:
        fresh = Services(db).views.whole_case(conn, middle, frozenset())
    assert case == fresh and case.proposals[-1].id == "wga-new2"

"""Writing the record through the services: who may write what, what the model refuses, drafts,
corrections."""

import pytest

from accord.model import Proposal
from accord.model.event import Request
from accord.services import Conflict, Forbidden, Invalid, NotFound, PrivateKind, Services
from server_support import unique


def proposal(record_id: str, sender: str = "wga", receiver: str = "amptp", **fields) -> Proposal:
    data = {"id": record_id, "date": "2023-06-01", "from": sender, "to": receiver, "positions": {"pay": 5}}
    return Proposal.model_validate({**data, **fields})


def count(services: Services, world, actor=None) -> int:
    return services.records.page(actor or world.admin, world.case_id, group="proposal").total


def test_members_record_their_own_party_only(services: Services, world):
    services.records.add(world.wga, world.case_id, proposal("w1"))
    with pytest.raises(Forbidden, match="may not record"):
        services.records.add(world.wga, world.case_id, proposal("w2", "amptp", "wga"))
    with pytest.raises(Forbidden):
        services.records.add(world.observer, world.case_id, proposal("w3"))
    with pytest.raises(Forbidden):  # a coalition member does not speak for the coalition
        services.records.add(world.netflix, world.case_id, proposal("w4", "amptp", "wga"))
    with pytest.raises(NotFound):  # no role in the case: as if it did not exist
        services.records.add(world.outsider, world.case_id, proposal("w5"))
    services.records.add(world.mediator, world.case_id, proposal("w6", "amptp", "wga"))
    services.records.add(world.admin, world.case_id, proposal("w7"))
    assert [r.record.id for r in services.records.page(world.observer, world.case_id).items][-2:] == [
        "w6",
        "w7",
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"positions": {"pay": 11}}, "positions.pay.value"),
        ({"positions": {"staffing": "lots"}}, "positions.staffing.value"),
        ({"positions": {"ai": ["robots"]}}, "positions.ai.value"),
        ({"positions": {"parking": 1}}, "positions.parking"),
        ({"answers": ["ghost"]}, "answers[0]"),
        ({"to": "nobody"}, "to"),
        ({"sources": ["nowhere"]}, "sources[0]"),
        ({"supersedes": "e1"}, "supersedes"),
    ],
)
def test_the_model_refuses_bad_records_naming_the_field_and_nothing_is_written(
    services, world, fields, field
):
    before = count(services, world)
    version = services.cases.get(world.admin, world.case_id).version
    with pytest.raises(Invalid) as info:
        services.records.add(world.wga, world.case_id, proposal(unique("bad"), **fields))
    assert field in [p.field for p in info.value.problems]
    assert count(services, world) == before
    assert services.cases.get(world.admin, world.case_id).version == version


def test_an_answer_to_a_later_proposal_is_refused(services, world):
    with pytest.raises(Invalid, match="later than this proposal"):
        services.records.add(
            world.amptp, world.case_id, proposal("x", "amptp", "wga", date="2023-03-01", answers=["p1"])
        )


def test_a_taken_id_is_a_conflict(services, world):
    with pytest.raises(Conflict):
        services.records.add(world.wga, world.case_id, proposal("p1"))


def test_a_correction_keeps_both_and_a_second_correction_of_the_same_record_conflicts(services, world):
    services.records.add(world.wga, world.case_id, proposal("p1b", supersedes="p1", date="2023-03-20"))
    with pytest.raises(Conflict, match="already corrected by 'p1b'"):
        services.records.add(
            world.mediator, world.case_id, proposal("p1c", supersedes="p1", date="2023-03-20")
        )
    original = services.records.get(world.observer, world.case_id, "p1")
    correction = services.records.get(world.observer, world.case_id, "p1b")
    assert original.superseded_by == ("p1b",)
    assert correction.record.supersedes == "p1" and correction.author == world.wga.username


def test_stoppages_are_checked_against_every_stoppage_event(services, world):
    from accord.model.event import StoppageEnded, StoppageStarted

    again = StoppageStarted.model_validate(
        {
            "id": "s-again",
            "date": "2023-06-01",
            "kind": "stoppage_started",
            "stoppage": "strike",
            "by": "wga",
            "against": "amptp",
        }
    )
    with pytest.raises(Invalid, match="already started"):
        services.records.add(world.wga, world.case_id, again)
    early = StoppageEnded.model_validate(
        {"id": "s-end", "date": "2023-04-01", "kind": "stoppage_ended", "stoppage": "strike"}
    )
    with pytest.raises(Invalid, match="before it starts"):
        services.records.add(world.mediator, world.case_id, early)
    end = early.model_copy(update={"date": early.date.replace(month=9, day=27)})
    services.records.add(world.mediator, world.case_id, end)


def test_drafts_are_private_to_their_party_and_to_whom_it_shares_them(services, world):
    services.records.add(world.wga, world.case_id, proposal("draft.wga.d1", status="draft"))
    ids = lambda actor: [r.record.id for r in services.records.page(actor, world.case_id).items]  # noqa: E731
    assert "draft.wga.d1" in ids(world.wga)
    for actor in (world.amptp, world.mediator, world.observer, world.admin, world.netflix):
        assert "draft.wga.d1" not in ids(actor)
        with pytest.raises(NotFound):
            services.records.get(actor, world.case_id, "draft.wga.d1")
    with pytest.raises(Forbidden):  # drafts are written by the party's own members only
        services.records.add(world.mediator, world.case_id, proposal("draft.wga.d2", status="draft"))
    services.private.set_shares(world.wga, world.case_id, "wga", {("drafts", "mediators")})
    assert "draft.wga.d1" in ids(world.mediator)
    assert "draft.wga.d1" not in ids(world.amptp)
    reads = [
        e for e in services.audit.entries(None, case_id=world.case_id).items if e.action == "drafts.read"
    ]
    assert {e.actor for e in reads} >= {world.wga.username, world.mediator.username}


def test_the_public_record_cannot_refer_to_a_draft_but_can_publish_it(services, world):
    services.records.add(world.wga, world.case_id, proposal("draft.wga.d3", status="draft"))
    about_it = {"id": "x3", "date": "2023-06-01", "kind": "request", "from": "wga", "to": "amptp"}
    with pytest.raises(Invalid, match="unpublished draft"):
        services.records.add(
            world.wga, world.case_id, Request.model_validate({**about_it, "regarding": ["draft.wga.d3"]})
        )
    with pytest.raises(Invalid):  # the studios cannot even see it
        services.records.add(
            world.amptp, world.case_id, proposal("x4", "amptp", "wga", answers=["draft.wga.d3"])
        )
    services.records.add(world.wga, world.case_id, proposal("pub3", supersedes="draft.wga.d3"))
    seen_by_studios = services.records.get(world.amptp, world.case_id, "pub3").record
    seen_by_union = services.records.get(world.wga, world.case_id, "pub3").record
    assert seen_by_studios.supersedes is None and seen_by_union.supersedes == "draft.wga.d3"
    view = services.cases.view(world.amptp, world.case_id)
    assert "draft.wga.d3" not in [p.id for p in view.proposals] and "pub3" in [p.id for p in view.proposals]


def test_every_write_is_audited_with_who_and_what(services, world):
    services.records.add(world.wga, world.case_id, proposal("aud1"))
    entries = services.audit.entries(world.admin, case_id=world.case_id).items
    assert ("proposal.add", "aud1", world.wga.username) in [(e.action, e.target, e.actor) for e in entries]
    with pytest.raises(Forbidden):
        services.audit.entries(world.wga, case_id=world.case_id)


def test_the_case_view_follows_the_viewer(services, world):
    services.records.add(world.wga, world.case_id, proposal("draft.wga.dv", status="draft"))
    assert "draft.wga.dv" in [p.id for p in services.cases.view(world.wga, world.case_id).proposals]
    assert "draft.wga.dv" not in [p.id for p in services.cases.view(world.sony, world.case_id).proposals]
    assert PrivateKind.DRAFTS.value == "drafts"

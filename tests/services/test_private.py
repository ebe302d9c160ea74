"""A party's private data: who reads it, who writes it, sharing, versions and the audit log."""

import pytest

from accord.model import NumericIssue, PreferenceModel
from accord.services import (
    Conflict,
    Forbidden,
    Invalid,
    Note,
    NotFound,
    PreconditionRequired,
    PrivateKind,
    Services,
    WalkAway,
)
from server_support import preference_data, preferences


def test_preferences_are_seen_by_the_party_and_whom_it_shares_them_with(services: Services, world):
    put = services.private.put_preferences(
        world.wga, world.case_id, "wga", preferences("wga"), expected_version=None
    )
    assert put.version == 1
    assert PreferenceModel.model_validate(
        services.private.get(world.wga, world.case_id, "wga", PrivateKind.PREFERENCES).payload
    ) == preferences("wga")
    for actor in (world.amptp, world.mediator, world.observer, world.admin, world.server_admin, world.sony):
        with pytest.raises(Forbidden):
            services.private.get(actor, world.case_id, "wga", PrivateKind.PREFERENCES)
    with pytest.raises(NotFound):
        services.private.get(world.outsider, world.case_id, "wga", PrivateKind.PREFERENCES)
    services.private.set_shares(world.wga, world.case_id, "wga", {("preferences", "mediators")})
    assert PreferenceModel.model_validate(
        services.private.get(world.mediator, world.case_id, "wga", PrivateKind.PREFERENCES).payload
    ) == preferences("wga")
    with pytest.raises(Forbidden):  # sharing preferences shares nothing else
        services.private.notes(world.mediator, world.case_id, "wga")
    with pytest.raises(Forbidden):
        services.private.get(world.amptp, world.case_id, "wga", PrivateKind.PREFERENCES)


def test_only_the_party_writes_its_private_data(services: Services, world):
    for actor in (world.amptp, world.mediator, world.admin, world.server_admin):
        with pytest.raises(Forbidden):
            services.private.put_preferences(
                actor, world.case_id, "wga", preferences("wga"), expected_version=None
            )
        with pytest.raises(Forbidden):
            services.private.set_shares(actor, world.case_id, "wga", {("preferences", "mediators")})


def test_a_coalition_members_model_is_its_own(services: Services, world):
    services.private.put_preferences(
        world.netflix, world.case_id, "netflix", preferences("netflix"), expected_version=None
    )
    for actor in (world.sony, world.amptp, world.mediator):
        with pytest.raises(Forbidden):
            services.private.get(actor, world.case_id, "netflix", PrivateKind.PREFERENCES)
    services.private.set_shares(world.netflix, world.case_id, "netflix", {("preferences", "sony")})
    assert (
        services.private.get(world.sony, world.case_id, "netflix", PrivateKind.PREFERENCES).payload["party"]
        == "netflix"
    )
    with pytest.raises(Forbidden):
        services.private.get(world.amptp, world.case_id, "netflix", PrivateKind.PREFERENCES)
    readable = services.private.readable(world.sony, world.case_id, PrivateKind.PREFERENCES)
    assert [item.party for item in readable] == ["netflix"]


def test_updates_name_their_version_and_a_stale_one_is_refused(services: Services, world):
    services.private.put_preferences(
        world.wga, world.case_id, "wga", preferences("wga"), expected_version=None
    )
    with pytest.raises(PreconditionRequired):
        services.private.put_preferences(
            world.wga, world.case_id, "wga", preferences("wga", 5), expected_version=None
        )
    second = services.private.put_preferences(
        world.wga, world.case_id, "wga", preferences("wga", 5), expected_version=1
    )
    with pytest.raises(Conflict, match="version 2, not 1"):
        services.private.put_preferences(
            world.wga, world.case_id, "wga", preferences("wga", 7), expected_version=1
        )
    assert second.version == 2
    history = services.private.history(world.wga, world.case_id, "wga", PrivateKind.PREFERENCES, "current")
    assert [h.payload["weights"]["pay"] for h in history] == [2.0, 5.0]


def test_walk_away_values_must_lie_in_their_issues(services: Services, world):
    with pytest.raises(Invalid) as info:
        services.private.put_walkaway(
            world.wga, world.case_id, "wga", WalkAway(positions={"pay": 12, "hats": 1}), expected_version=None
        )
    assert {p.field for p in info.value.problems} == {"positions.pay.value", "positions.hats"}
    with pytest.raises(NotFound):
        services.private.get(world.wga, world.case_id, "wga", PrivateKind.WALKAWAY)
    services.private.put_walkaway(
        world.wga, world.case_id, "wga", WalkAway(positions={"pay": 3}), expected_version=None
    )
    assert services.private.get(world.wga, world.case_id, "wga", PrivateKind.WALKAWAY).payload[
        "positions"
    ] == {"pay": {"value": 3.0, "text": None, "confidence": None, "sources": []}}


def test_notes_are_numbered_versioned_and_checked(services: Services, world):
    first = services.private.add_note(
        world.amptp, world.case_id, "amptp", Note(text="Hold on AI", regarding=("p1",))
    )
    second = services.private.add_note(world.amptp, world.case_id, "amptp", Note(text="Offer 5%"))
    assert (first.item_id, second.item_id) == ("note-1", "note-2")
    services.private.update_note(
        world.amptp, world.case_id, "amptp", "note-1", Note(text="Hold firm"), expected_version=1
    )
    assert [n.payload["text"] for n in services.private.notes(world.amptp, world.case_id, "amptp")] == [
        "Hold firm",
        "Offer 5%",
    ]
    with pytest.raises(Invalid, match="no record 'ghost'"):
        services.private.add_note(world.amptp, world.case_id, "amptp", Note(text="x", regarding=("ghost",)))
    with pytest.raises(Forbidden):
        services.private.notes(world.wga, world.case_id, "amptp")


def test_every_private_read_and_write_is_audited(services: Services, world):
    services.private.put_preferences(
        world.sony, world.case_id, "sony", preferences("sony"), expected_version=None
    )
    services.private.get(world.sony, world.case_id, "sony", PrivateKind.PREFERENCES)
    log = [(e.actor, e.action) for e in services.audit.entries(world.admin, case_id=world.case_id).items]
    assert (world.sony.username, "preferences.write") in log
    assert (world.sony.username, "preferences.read") in log


def test_bad_shares_are_refused(services: Services, world):
    with pytest.raises(Invalid) as info:
        services.private.set_shares(
            world.wga, world.case_id, "wga", {("secrets", "mediators"), ("notes", "wga"), ("notes", "ghost")}
        )
    assert len(info.value.problems) == 3
    with pytest.raises(NotFound):
        services.private.set_shares(world.wga, world.case_id, "ghost", set())


def test_an_issue_change_that_would_break_a_record_is_refused(services: Services, world):
    pay = services.cases.item(world.admin, world.case_id, "issue", "pay")
    narrower = NumericIssue(id="pay", name="Pay", unit="%", low=0, high=5)
    with pytest.raises(Invalid, match=r"proposals\[0\].positions.pay.value"):
        services.cases.update_item(
            world.admin, world.case_id, "issue", "pay", narrower, expected_version=pay.version
        )
    wider = narrower.model_copy(update={"high": 20.0})
    with pytest.raises(Forbidden):
        services.cases.update_item(
            world.wga, world.case_id, "issue", "pay", wider, expected_version=pay.version
        )
    updated = services.cases.update_item(
        world.admin, world.case_id, "issue", "pay", wider, expected_version=pay.version
    )
    assert updated.version == pay.version + 1
    with pytest.raises(Conflict):
        services.cases.update_item(
            world.admin, world.case_id, "issue", "pay", wider, expected_version=pay.version
        )
    history = services.cases.item_history(world.observer, world.case_id, "issue", "pay")
    assert [h.item.high for h in history] == [10.0, 20.0]


def test_a_preference_model_must_fit_the_case(services: Services, world):
    data = preference_data("wga")
    data["weights"]["parking"] = 1
    data["values"]["parking"] = {"kind": "linear"}
    data["values"]["staffing"] = {"kind": "options", "scores": {"none": 0, "lots": 1}}
    with pytest.raises(Invalid) as info:
        services.private.put_preferences(
            world.wga, world.case_id, "wga", PreferenceModel.model_validate(data), expected_version=None
        )
    fields = {p.field for p in info.value.problems}
    assert "weights.parking" in fields and any(f.startswith("values.staffing") for f in fields)
    with pytest.raises(Invalid, match="the party in the path"):
        services.private.put_preferences(
            world.wga, world.case_id, "wga", preferences("amptp"), expected_version=None
        )
    with pytest.raises(NotFound):
        services.private.get(world.wga, world.case_id, "wga", PrivateKind.PREFERENCES)

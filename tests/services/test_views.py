"""Ledger views through the services: over the record the caller may see, kept by case version."""

import datetime as dt

import pytest

from accord import ledger
from accord.casefile import bundled_case
from accord.model import Proposal
from accord.services import Invalid, NotFound, Services
from server_support import add_user, unique

AS_OF = dt.date(2023, 9, 8)


@pytest.fixture
def wga_case(services: Services):
    case = bundled_case("wga-amptp-2023")
    case_id = unique("wga")
    services.cases.import_case(None, case.model_copy(update={"id": case_id}))
    users = {}
    for party in ("wga", "amptp"):
        users[party] = add_user(services, unique(party))
        services.cases.set_member(None, case_id, users[party].username, "member", party)
    return case_id, case, users


def test_views_equal_the_ledger_on_the_stored_case(services: Services, wga_case):
    case_id, case, users = wga_case
    envelope = services.views.two_sided(users["amptp"], case_id, "status", as_of=AS_OF).data
    assert {k: envelope[k] for k in ("case", "view", "as_of", "schema_version")} == {
        "case": case_id,
        "view": "status",
        "as_of": AS_OF.isoformat(),
        "schema_version": ledger.SCHEMA_VERSION,
    }
    status = envelope["data"]
    expected = ledger.to_jsonable(ledger.status(case, AS_OF))
    assert {k: v for k, v in status.items() if k != "case_id"} == {
        k: v for k, v in expected.items() if k != "case_id"
    }
    stoppages = services.views.stoppages(users["wga"], case_id, as_of=AS_OF).data["data"]
    assert stoppages == ledger.to_jsonable(ledger.stoppages(case, AS_OF))
    page = services.views.timeline(users["wga"], case_id, as_of=AS_OF, offset=2, limit=3).data
    full = ledger.to_jsonable(ledger.timeline(case, AS_OF))
    assert page["total"] == len(full) and list(page["data"]) == full[2:5]
    assert (page["view"], page["as_of"]) == ("timeline", AS_OF.isoformat())
    assert (page["offset"], page["limit"]) == (2, 3)


def test_a_new_proposal_shows_at_once_and_a_draft_only_to_its_party(services: Services, wga_case):
    case_id, case, users = wga_case
    issue = case.issues[0]
    value = issue.low if hasattr(issue, "low") else None

    def ids(user):
        return [
            e["record_id"]
            for e in services.views.timeline(users[user], case_id, as_of=AS_OF, limit=500).data["data"]
        ]

    before = ids("amptp")
    draft = {
        "id": "draft.wga.x",
        "date": "2023-09-01",
        "from": "wga",
        "to": "amptp",
        "positions": {issue.id: value},
    }
    services.records.add(users["wga"], case_id, Proposal.model_validate({**draft, "status": "draft"}))
    assert "draft.wga.x" in ids("wga")
    assert ids("amptp") == before
    # Tabling it (a public record correcting the draft) moves the union's position for everyone.
    tabled = {**draft, "id": "tabled-x", "supersedes": "draft.wga.x"}
    services.records.add(users["wga"], case_id, Proposal.model_validate(tabled))
    for user in ("wga", "amptp"):
        positions = services.views.positions(users[user], case_id, "wga", as_of=AS_OF).data["data"]
        assert positions[issue.id]["proposal_id"] == "tabled-x"
    assert "tabled-x" in ids("amptp") and "draft.wga.x" not in ids("amptp")


def test_unknown_ids_name_the_parameter(services: Services, wga_case):
    case_id, _, users = wga_case
    with pytest.raises(Invalid) as info:
        services.views.two_sided(users["wga"], case_id, "gaps", side_b="ghost")
    assert info.value.problems[0].field == "side_b"
    with pytest.raises(Invalid) as info:
        services.views.timeline(users["wga"], case_id, issues=("nope",))
    assert info.value.problems[0].field == "issue"
    with pytest.raises(NotFound):
        services.views.stoppages(add_user(services, unique("nobody")), case_id)

"""The API's views of the bundled WGA case (issue 13, items 2, 3, 6), on SQLite and PostgreSQL:
agreed terms with their sources once the TA is stored, where each value came from, and the gap
measures, all through the store."""

from __future__ import annotations

import pytest

from accord.casefile import resolve_case
from server_support import unique


@pytest.fixture
def wga_case(services, world):
    case = resolve_case("wga-amptp-2023")
    case_id = unique("wga")
    services.cases.import_case(None, case.model_copy(update={"id": case_id}))
    services.cases.set_member(None, case_id, world.observer.username, "observer", None)
    return case_id


def test_gaps_after_the_ta_carry_the_agreed_terms_and_their_sources(client, auth, world, wga_case):
    gaps = client.get(
        f"/cases/{wga_case}/views/gaps", params={"as_of": "2023-09-25"}, headers=auth(world.observer)
    ).json()["data"]
    by_issue = {g["issue"]: g for g in gaps}
    pay = by_issue["min_pay"]
    assert pay["label"] == "agreed" and pay["holes_a"] == [] and pay["open_share"] == 0.0
    assert pay["agreement"]["status"] == "ta" and pay["agreement"]["agreement_date"] == "2023-09-24"
    assert pay["agreement"]["terms"]["value"] == 13.0
    assert pay["agreement"]["terms"]["sources"] == ["S45", "S46"]
    assert pay["closed_by_a"] + pay["closed_by_b"] == pytest.approx(1.0)
    ratified = client.get(
        f"/cases/{wga_case}/views/ta-board", params={"as_of": "2023-10-09"}, headers=auth(world.observer)
    ).json()["data"]
    assert {line["status"] for line in ratified} == {"ratified"}


def test_positions_say_where_each_value_came_from(client, auth, world, wga_case):
    positions = client.get(
        f"/cases/{wga_case}/views/positions",
        params={"as_of": "2023-09-20", "party": "amptp"},
        headers=auth(world.observer),
    ).json()["data"]
    pay = positions["min_pay"]
    assert (pay["provenance"], pay["value_proposal_id"], pay["value_date"]) == (
        "carried",
        "amptp-2023-08-11",
        "2023-08-11",
    )
    assert pay["confidence"] == "C" and pay["agreement"] is None

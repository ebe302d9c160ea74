"""The costing over the API (GET /cases/{id}/costing; a party's costing parameters under
/parties/{party}/costing) on the demo: the WGA's costing, shared with the mediators and the
studios, over the bundled record."""

from __future__ import annotations

import pytest

from accord.services import Actor
from accord.services.demo import seed_demo
from server_support import add_user, unique

CASE = "/cases/wga-amptp-2023"


@pytest.fixture(scope="module")
def demo(services):
    seed = seed_demo(services)
    users = {u.username: services.users.get(u.username) for u in seed.users}
    return {name: Actor(u.id, u.username, u.is_admin) for name, u in users.items()}


def test_the_union_costs_every_package_beside_the_estimates(client, auth, demo):
    response = client.get(f"{CASE}/costing", headers=auth(demo["writer"]))
    assert response.status_code == 200, response.text
    data = response.json()
    assert (data["party"], data["parties"]) == ("wga", ["wga"])
    assert data["costing"]["term_years"] == 3 and data["costing"]["derived_from"] == [
        "amptp-offer-value-2023-05-01"
    ]
    ta = next(p for p in data["packages"] if p["record"] == "wga-ta-2023-09-24")
    (deal,) = ta["estimates"]
    assert deal["figure"] == 233e6  # the WGA's value of the deal (S44, S45)
    assert deal["model"] == pytest.approx(ta["average"]) and "prices only" in deal["explanation"]


def test_the_studios_see_the_unions_shared_costing_as_of_a_date(client, auth, demo):
    response = client.get(f"{CASE}/costing", params={"as_of": "2023-05-10"}, headers=auth(demo["studio"]))
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["party"] == "wga" and data["as_of"] == "2023-05-10"
    assert [p["record"] for p in data["packages"]] == [
        "amptp-2023-04-30",
        "wga-2023-05-01",
        "amptp-2023-05-01",
    ]


def test_without_a_costing_the_estimates_come_alone(client, auth, demo):
    response = client.get("/cases/sag-aftra-amptp-2023/costing", headers=auth(demo["studio"]))
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["party"] is None and data["costing"] is None
    pattern = next(p for p in data["packages"] if p["record"] == "amptp-2023-10-11")
    assert pattern["estimates"][0]["figure"] == 717e6 + 177e6  # AMPTP's valuation (S61, S75)
    assert any("no costing parameters you may see" in n for n in data["notes"])


def test_a_costing_the_caller_may_not_see_is_refused_naming_the_party(client, auth, demo):
    response = client.get(f"{CASE}/costing", params={"party": "amptp"}, headers=auth(demo["writer"]))
    assert response.status_code == 422, response.text
    assert "party" in response.text and "'amptp'" in response.text


def test_new_costing_parameters_are_checked_and_change_the_figures(client, auth, demo):
    headers = auth(demo["writer"])
    current = client.get(f"{CASE}/parties/wga/costing", headers=headers)
    assert current.status_code == 200, current.text
    version = current.headers["ETag"]
    body = current.json()["payload"]
    bad = {**body, "items": [{"kind": "raises", "issue": "pay", "base": 1}]}
    refused = client.put(f"{CASE}/parties/wga/costing", json=bad, headers={**headers, "If-Match": version})
    assert refused.status_code == 422 and "unknown issue 'pay'" in refused.text
    before = client.get(f"{CASE}/costing", headers=headers).json()
    doubled = {**body, "items": [{**body["items"][0], "base": 2 * body["items"][0]["base"]}]}
    saved = client.put(f"{CASE}/parties/wga/costing", json=doubled, headers={**headers, "If-Match": version})
    assert saved.status_code == 200, saved.text
    after = client.get(f"{CASE}/costing", headers=headers).json()
    old = {p["record"]: p["total"] for p in before["packages"]}
    for package in after["packages"]:
        if package["total"] is not None:
            assert package["total"] == pytest.approx(2 * old[package["record"]])


def test_an_estimate_must_regard_a_record_of_the_case(services, demo):
    from accord.model.case import Estimate
    from accord.services import Invalid

    root = add_user(services, unique("root"), admin=True)
    estimate = Estimate(id="made-up", label="L", scope="s", by="b", regarding=("no-such-proposal",))
    with pytest.raises(Invalid, match="'no-such-proposal' does not exist"):
        services.cases.add_item(root, "wga-amptp-2023", "estimate", estimate)
    fine = estimate.model_copy(update={"regarding": ("wga-2023-05-01",)})
    assert services.cases.add_item(root, "wga-amptp-2023", "estimate", fine).version == 1

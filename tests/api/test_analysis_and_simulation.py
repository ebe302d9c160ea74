"""Analysis and simulation over the preferences the caller may see, on the bundled WGA case with
its (illustrative) preference models."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from accord.casefile.prefsfile import case_with_preferences
from accord.services import Services
from accord.store.schema import simulation_jobs
from server_support import add_user, unique

AS_OF = "2023-09-08"


@pytest.fixture
def wga_world(services: Services):
    case, prefs = case_with_preferences("wga-amptp-2023", None)
    case_id = unique("wga")
    services.cases.import_case(None, case.model_copy(update={"id": case_id}))
    users = {role: add_user(services, unique(role)) for role in ("wga", "amptp", "mediator", "observer")}
    for party in ("wga", "amptp"):
        services.cases.set_member(None, case_id, users[party].username, "member", party)
        services.private.put_preferences(
            users[party], case_id, party, prefs.model(party), expected_version=None
        )
    services.cases.set_member(None, case_id, users["mediator"].username, "mediator")
    services.cases.set_member(None, case_id, users["observer"].username, "observer")
    return case_id, users


def test_the_analysis_uses_only_the_models_the_caller_may_see(client, auth, services, wga_world):
    case_id, users = wga_world
    path = f"/cases/{case_id}/analysis"
    alone = client.get(path, params={"as_of": AS_OF}, headers=auth(users["wga"]))
    assert alone.status_code == 422 and alone.json()["errors"][0]["field"] == "preferences"
    assert client.get(path, params={"as_of": AS_OF}, headers=auth(users["observer"])).status_code == 422
    for party in ("wga", "amptp"):
        services.private.set_shares(users[party], case_id, party, {("preferences", "mediators")})
    seen = client.get(path, params={"as_of": AS_OF}, headers=auth(users["mediator"]))
    assert seen.status_code == 200, seen.text
    report = seen.json()
    assert (report["side_a"], report["side_b"]) == ("wga", "amptp")
    assert report["n_outcomes"] > 1 and report["frontier"] and report["solutions"]
    # issue 16: the summary first, both readings, the zone between the offers, the assumed markers
    assert next(iter(report)) == "summary" and 5 <= len(report["summary"]) <= 10
    assert all(s["assumed"] == ("assumed preferences" in s["text"]) for s in report["summary"])
    assert len(report["disagreement_table"]) == 2
    assert {s["reading"] for s in report["solutions"]} == {"batna", "table"}
    assert {s["concept"] for s in report["solutions"]} >= {"kalai_smorodinsky", "kalai_genius"}
    for s in report["solutions"]:
        if s["reading"] == "table" and s["points"]:
            assert all(
                u >= f - 1e-12 for u, f in zip(s["points"][0], report["disagreement_table"], strict=True)
            )
    zones = {z["issue"]: z for z in report["zopa"]["zones"]}
    assert zones["min_pay"]["text"].startswith("Minimum pay increase: 13 % (AMPTP")
    assert report["zopa"]["assumed"] and report["frontier"]["assumed"]
    assert all(s["assumed"] for s in report["solutions"]) and all(m["assumed"] for m in report["moves"])
    log = services.audit.entries(None, case_id=case_id, limit=500).items
    assert (users["mediator"].username, "preferences.read") in [(e.actor, e.action) for e in log]


def test_a_simulation_runs_in_the_background_and_belongs_to_its_starter(client, auth, services, wga_world):
    case_id, users = wga_world
    services.private.set_shares(users["amptp"], case_id, "amptp", {("preferences", "wga")})
    body = {
        "kind": "sweep",
        "as_of": AS_OF,
        "strategies": ["boulware", "conceder"],
        "n_rounds": 20,
        "parameter": "daily_cost",
        "column": 0,
        "values": [0.0, 0.01],
    }
    started = client.post(f"/cases/{case_id}/simulations", json=body, headers=auth(users["wga"]))
    assert started.status_code == 202, started.text
    job = started.json()
    assert job["total"] == 2 and job["state"] in ("queued", "running", "done")
    deadline = time.monotonic() + 60
    while job["state"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.1)
        job = client.get(f"/cases/{case_id}/simulations/{job['id']}", headers=auth(users["wga"])).json()
    assert job["state"] == "done", job
    assert [r["value"] for r in job["results"]] == [0.0, 0.01]
    assert all("reason" in r for r in job["results"])
    assert (
        client.get(f"/cases/{case_id}/simulations/{job['id']}", headers=auth(users["amptp"])).status_code
        == 404
    )
    mine = client.get(f"/cases/{case_id}/simulations", headers=auth(users["wga"])).json()
    assert [j["id"] for j in mine] == [job["id"]]
    bad = client.post(
        f"/cases/{case_id}/simulations",
        json={**body, "strategies": ["boulware", "magic"]},
        headers=auth(users["wga"]),
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "strategies[1]"


@pytest.mark.parametrize(
    ("parameter", "values", "field"),
    [
        ("discount", "[0.9, 1.5]", "values[1]"),
        ("discount", "[0, 0.5]", "values[0]"),
        ("daily_cost", "[0.0, 0.001, -0.002]", "values[2]"),
        ("reservation", "[0.2, NaN]", "values[1]"),  # Python's JSON reader takes NaN and Infinity
        ("daily_cost", "[0.0, Infinity]", "values[1]"),
    ],
)
def test_a_sweep_value_out_of_range_is_a_422_naming_it_and_starts_no_job(
    client, auth, services, wga_world, parameter, values, field
):
    case_id, users = wga_world
    services.private.set_shares(users["amptp"], case_id, "amptp", {("preferences", "wga")})
    body = (
        f'{{"kind": "sweep", "as_of": "{AS_OF}", "strategies": ["boulware", "conceder"], '
        f'"parameter": "{parameter}", "column": 1, "values": {values}}}'
    )
    path = f"/cases/{case_id}/simulations"
    headers = {**auth(users["wga"]), "Content-Type": "application/json"}
    refused = client.post(path, content=body, headers=headers)
    assert refused.status_code == 422, refused.text
    errors = refused.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert parameter in errors[0]["message"] and "expected " in errors[0]["message"]
    assert client.get(path, headers=auth(users["wga"])).json() == []
    with services.db.read() as conn:
        rows = sa.select(sa.func.count()).where(simulation_jobs.c.case_id == case_id)
        assert conn.execute(rows).scalar_one() == 0


def test_a_simulation_after_the_settlement_is_a_422_naming_it_unless_a_counterfactual(
    client, auth, services, wga_world
):
    case_id, users = wga_world
    services.private.set_shares(users["amptp"], case_id, "amptp", {("preferences", "wga")})
    path = f"/cases/{case_id}/simulations"
    body = {"kind": "replay", "as_of": "2024-01-01", "strategies": ["boulware", "conceder"], "n_rounds": 5}
    refused = client.post(path, json=body, headers=auth(users["wga"]))
    assert refused.status_code == 422, refused.text
    (error,) = refused.json()["errors"]
    assert error["field"] == "as_of"
    assert "the negotiation settled on 2023-09-24 (TA wga-ta-2023-09-24)" in error["message"]
    assert client.get(path, headers=auth(users["wga"])).json() == []
    started = client.post(path, json={**body, "counterfactual": True}, headers=auth(users["wga"]))
    assert started.status_code == 202, started.text
    label = "counterfactual: the negotiation settled on 2023-09-24 (TA wga-ta-2023-09-24)"
    assert started.json()["counterfactual"] == label
    job = client.get(f"{path}/{started.json()['id']}", headers=auth(users["wga"])).json()
    assert job["counterfactual"] == label
    before = client.post(path, json={**body, "as_of": "2023-09-08"}, headers=auth(users["wga"]))
    assert before.status_code == 202 and before.json()["counterfactual"] is None

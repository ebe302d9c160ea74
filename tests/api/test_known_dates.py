"""Known dates on the team server: kept by the store (SQLite and PostgreSQL), honoured by every
view the API serves, refused when before the record's date."""

from __future__ import annotations

import sqlalchemy as sa

from accord.store.schema import records


def _positions(client, auth, world, as_of):
    path = f"/cases/{world.case_id}/views/positions"
    response = client.get(path, params={"party": "wga", "as_of": as_of}, headers=auth(world.observer))
    assert response.status_code == 200, response.text
    return response.json()["data"]


def _timeline(client, auth, world, as_of):
    path = f"/cases/{world.case_id}/views/timeline"
    response = client.get(path, params={"as_of": as_of}, headers=auth(world.observer))
    assert response.status_code == 200, response.text
    return {e["record_id"]: e for e in response.json()["data"]}


def test_a_record_known_later_shows_from_its_known_date(client, auth, services, world):
    body = {"id": "late", "date": "2023-06-01", "known": "2023-06-10", "from": "wga", "to": "amptp"}
    created = client.post(
        f"/cases/{world.case_id}/proposals", json={**body, "positions": {"pay": 5}}, headers=auth(world.wga)
    )
    assert created.status_code == 201, created.text
    got = client.get(f"/cases/{world.case_id}/proposals/late", headers=auth(world.observer)).json()
    assert got["proposal"]["known"] == "2023-06-10"
    with services.db.read() as conn:
        stored = conn.execute(sa.select(records.c.known).where(records.c.record_id == "late")).scalar_one()
    assert stored.isoformat() == "2023-06-10"
    assert _positions(client, auth, world, "2023-06-09")["pay"]["proposal_id"] == "p1"
    assert "late" not in _timeline(client, auth, world, "2023-06-09")
    assert _positions(client, auth, world, "2023-06-10")["pay"]["proposal_id"] == "late"
    assert _timeline(client, auth, world, "2023-06-10")["late"]["date"] == "2023-06-01"


def test_a_correction_takes_effect_from_its_own_date(client, auth, world):
    fix = {
        "id": "e2-fix",
        "date": "2023-05-20",
        "kind": "statement",
        "party": "amptp",
        "summary": "We await a counterproposal.",
        "supersedes": "e2",
    }
    assert (
        client.post(f"/cases/{world.case_id}/events", json=fix, headers=auth(world.amptp)).status_code == 201
    )
    before = _timeline(client, auth, world, "2023-05-15")
    assert before["e2"]["superseded_by"] is None and "e2-fix" not in before
    after = _timeline(client, auth, world, "2023-05-20")
    assert after["e2"]["superseded_by"] == "e2-fix"


def test_a_known_date_before_the_records_date_is_a_422_naming_the_field(client, auth, world):
    body = {"id": "early", "date": "2023-06-01", "known": "2023-05-31", "from": "wga", "to": "amptp"}
    refused = client.post(f"/cases/{world.case_id}/proposals", json=body, headers=auth(world.wga))
    assert refused.status_code == 422
    (error,) = refused.json()["errors"]
    assert error["field"].endswith("known")
    assert "on or after the record's date (2023-06-01)" in error["message"]
    assert (
        client.get(f"/cases/{world.case_id}/proposals/early", headers=auth(world.observer)).status_code == 404
    )

"""The authorization matrix, generated from the app's route table: every route x every role x the
objects it applies to (public, private, shared) is requested over HTTP and must be allowed (2xx) or
denied (401 signed out; 403, or 404 outside the case) exactly as tests/api_matrix.py says.

A route without a request there, or under a rule the table does not know, fails the test: a new
route needs its rule written down before it can ship.
"""

from __future__ import annotations

import pytest

from accord.api import route_rules
from api_matrix import (
    EXPECTED,
    REQUESTS,
    ROLES,
    Context,
    answers_as_expected,
    send,
    set_up_world,
    simulation_body,
)


def test_every_route_has_a_request_and_a_rule(client):
    rules = route_rules(client.app)
    assert set(rules) - set(REQUESTS) == set(), "routes without a request in the matrix"
    assert set(REQUESTS) - set(rules) == set(), "requests for routes that no longer exist"
    for route, objects in REQUESTS.items():
        for obj in objects:
            assert (rules[route], obj) in EXPECTED, (
                f"no expectation for {route} under {rules[route]!r} on {obj}"
            )


@pytest.mark.slow
def test_the_matrix(client, auth, services, world):
    set_up_world(services, world)
    ctx = Context(services, world)
    started = client.post(f"{ctx.case}/simulations", json=simulation_body(), headers=auth(world.wga))
    assert started.status_code == 202, started.text
    ctx.union_job = started.json()["id"]
    assert [(d["party"], d["accept"]) for d in ctx.fresh_review()["drafts"]] == [("wga", True)]
    rules = route_rules(client.app)
    wrong = []
    checked = 0
    for route, objects in sorted(REQUESTS.items()):
        for obj, build in objects.items():
            for role in ROLES:
                response = send(client, auth, ctx, build(ctx, role), role)
                checked += 1
                if not answers_as_expected(route, rules[route], obj, role, response.status_code):
                    expected = "allow" if role in EXPECTED[(rules[route], obj)] else "deny"
                    wrong.append(
                        f"{route} {obj} as {role}: expected {expected}, got {response.status_code} {response.text[:150]}"
                    )
    assert wrong == []
    assert checked >= 8 * len(REQUESTS)

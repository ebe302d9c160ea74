"""The hostile-user suite (issue 12): every write route of the route table, API and dashboard,
attacked over HTTP against a real ``accord serve`` on each backend (SQLite and PostgreSQL).

Each request starts from the matrices' valid request for the route (tests/api_matrix.py,
tests/dashboard_matrix.py, and a few more per route: tests/hostile_seeds.py), sent as any role,
with one part made hostile (tests/hostile_strategies.py): a node of its JSON body or a field of
its form, an added or repeated key, a path or query value, an ``If-Match``, a body built from the
route's OpenAPI schema (schemathesis, valid and invalid), or bytes that are not the JSON or form
expected. tests/hostile_attack.py sends them and judges the answers.

For every request:
- the answer is never a 5xx, and is UTF-8;
- a refusal (4xx; signed out on the dashboard, a redirect to sign in) is a problem document on
  the API and a page on the dashboard, and changed nothing in the database (every table compared
  before and after; only a refused sign-in is counted and audited, by design);
- a role the matrix refuses is never let in by a hostile path or query.
After each route, the case's main reads answer for a party and the mediator; after all of them,
every read route of the route table answers every role as the matrices say (200, or the 401, 403
or 404 documented for that role). And the server process's memory (RSS) grows by less than
50 MB from after a warm-up (the same traffic, a few examples a route) to the end, the end of a
case written and read in turn 300 times included.

Examples per route: ``ACCORD_HOSTILE_EXAMPLES`` (default 10), derandomized (the
same requests every run) unless ``ACCORD_HOSTILE_RANDOM=1``: a deeper run on demand is
``ACCORD_HOSTILE_EXAMPLES=300 ACCORD_HOSTILE_RANDOM=1 pytest tests/api/test_hostile_suite.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from accord.api import route_rules
from accord.services import Services
from accord.web import PREFIX
from hostile_attack import (
    CANARY,
    EXAMPLES,
    MEMORY_GROWTH,
    TURNS,
    WARM_UP,
    WRITES,
    Attacker,
    Server,
    Traffic,
    route_table,
)
from hostile_seeds import api_seeds, dashboard_seeds
from hostile_strategies import Literal, Repeated, form_bytes, to_json
from server_support import free_port, make_world, start_server, stop_server

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hostile")]  # one server a backend


@pytest.fixture(scope="module")
def server(
    database_url: str, services: Services, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    port = free_port()
    log = tmp_path_factory.mktemp("hostile") / "server.log"
    process = start_server(database_url, port, log)
    try:
        yield Server(f"http://127.0.0.1:{port}", process.pid, log)
    finally:
        stop_server(process)


@pytest.fixture(scope="module")
def traffic(server: Server, services: Services) -> Traffic:
    """The whole attack, once a backend: a warm-up (a few examples a route), then the traffic."""
    attacker = Attacker(server, services, make_world(services))
    attacker.set_up()
    for route in attacker.write_routes():
        attacker.seeds_as_they_are(route)
        attacker.attack(route, WARM_UP)
    attacker.read_the_longest_article()
    attacker.reads()
    attacker.traffic.rss_warm = server.rss()
    for route in attacker.write_routes():
        attacker.attack(route, EXAMPLES)
        for wrong in attacker.reads(CANARY, ("mediator", "wga")):
            attacker.traffic.reads.append(f"after {route}: {wrong}")
    attacker.write_and_read_in_turn(TURNS)
    attacker.traffic.reads += attacker.reads()
    attacker.traffic.rss_end = server.rss()
    attacker.http.close()
    attacker.browser.close()
    return attacker.traffic


def test_every_write_route_is_attacked_from_the_route_table() -> None:
    app = route_table()
    writes = {route for route in route_rules(app) if route[0] in WRITES}
    api = {route for route in writes if not route[1].startswith(f"{PREFIX}/")}
    dashboard = {(m, p.removeprefix(PREFIX)) for m, p in writes - api}
    assert api <= set(api_seeds()), "write routes with no request to start from"
    assert dashboard <= set(dashboard_seeds()), "dashboard forms with no request to start from"
    assert len(api) >= 24 and len(dashboard) >= 4


def test_hostile_values_are_sent_as_a_hostile_client_writes_them() -> None:
    """The suite's own encoders: what the server gets is what the strategies meant."""
    body = {"a": "\ud800", "n": Literal("NaN"), "r": Repeated([("k", 1), ("k", "\x00")]), "x": [1e309]}
    assert to_json(body) == '{"a": "\\ud800", "n": NaN, "r": {"k": 1, "k": "\\u0000"}, "x": [Infinity]}'
    assert form_bytes([("date", "\ud800"), ("n", "a b&c")]) == b"date=%ED%A0%80&n=a+b%26c"


def test_refused_writes_change_nothing_and_nothing_is_a_server_error(traffic: Traffic) -> None:
    assert traffic.writes == {}, "\n\n".join(f"{route}:\n{found}" for route, found in traffic.writes.items())
    assert traffic.sent >= 28 * (EXAMPLES + WARM_UP)


def test_every_read_answers_every_role_after_the_attack(traffic: Traffic) -> None:
    assert traffic.reads == [], "\n".join(traffic.reads)


def test_the_servers_memory_grows_less_than_50_mb(traffic: Traffic) -> None:
    growth = traffic.rss_end - traffic.rss_warm
    assert growth < MEMORY_GROWTH, (
        f"RSS {traffic.rss_warm / 2**20:.0f} MB -> {traffic.rss_end / 2**20:.0f} MB"
    )

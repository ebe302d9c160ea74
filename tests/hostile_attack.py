"""The hostile-user suite's attacker (tests/api/test_hostile_suite.py says what it asserts): it
sends the hostile requests of tests/hostile_strategies.py to a real server, judges each answer,
compares the database before and after each refusal, and reads every read route as every role.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import schemathesis
import sqlalchemy as sa
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

import api_matrix
import dashboard_matrix
from accord.api import route_rules
from accord.api.problems import MEDIA_TYPE, Problem
from accord.cli.demo import dashboard_app
from accord.ingest.text import MAX_CHARACTERS
from accord.services import Services
from accord.store import Database
from accord.store.schema import metadata
from accord.web import PREFIX
from accord.web.session import SESSION_COOKIE
from hostile_seeds import DASHBOARD_EXPECTED, EXPECTED, api_seeds, dashboard_seeds
from hostile_strategies import (
    FORM,
    Body,
    form_bytes,
    form_pairs,
    form_variants,
    json_variants,
    path_variants,
    query_string,
    query_variants,
    short,
    to_json,
)
from server_support import World, bearer_headers

EXAMPLES = int(os.environ.get("ACCORD_HOSTILE_EXAMPLES", "10"))
"""Hostile requests per write route (on a 2-core machine the suite takes about a minute a backend)."""
WARM_UP = 3
"""Hostile requests per write route before the server's memory is first measured."""
TURNS = 300
"""Rounds of :meth:`Attacker.write_and_read_in_turn` in the measured traffic (before the cache
kept one version per case, 300 rounds alone grew the server by some 60 MB)."""
MEMORY_GROWTH = 50 * 1024 * 1024
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
PROFILE = dict(
    deadline=None,
    database=None,
    derandomize=os.environ.get("ACCORD_HOSTILE_RANDOM") != "1",
    suppress_health_check=list(HealthCheck),
    phases=(Phase.explicit, Phase.generate),  # a failure is reported as found: shrinking re-sends
)
CANARY = {
    ("GET", "/cases/{case_id}"),
    ("GET", "/cases/{case_id}/proposals"),
    ("GET", "/cases/{case_id}/events"),
    ("GET", "/cases/{case_id}/export"),
    ("GET", "/cases/{case_id}/views/timeline"),
    ("GET", "/cases/{case_id}/views/status"),
    ("GET", f"{PREFIX}/cases/{{case_id}}"),
    ("GET", f"{PREFIX}/cases/{{case_id}}/timeline"),
    ("GET", f"{PREFIX}/cases/{{case_id}}/analysis"),
}
"""The reads a stored value broke for everyone in issue 12 (row 3), checked after each route."""


def route_table() -> FastAPI:
    """The team server's app (the API with the dashboard), for its route table and OpenAPI document."""
    return dashboard_app(Services(Database("sqlite://")))


# --- the database before and after ----------------------------------------------------------------

APPEND_ONLY = {"audit", "records", "case_items", "private_items"}
"""Tables whose rows are only ever added: compared by their count and newest key."""


UNCHANGING = ("login.failed",)
"""Audited actions that change nothing: a refused sign-in is counted and logged, by design."""


def database_snapshot(engine: sa.Engine) -> dict[str, Any]:
    """What a refused request must leave as it was: every table, in full or (for the tables that
    only grow) by count and newest row. Left out by design: the sign-in failures counted (and
    audited) for a refused sign-in, the reads of private data logged (a refused form may show
    the caller's own drafts again), and the progress of simulations running in the background."""
    snapshot: dict[str, Any] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name == "login_failures":
                continue
            where = (
                [table.c.action.not_in(UNCHANGING), table.c.action.not_like("%.read")]
                if table.name == "audit"
                else []
            )
            if table.name in APPEND_ONLY:
                newest = [sa.func.max(c) for c in table.primary_key.columns]
                snapshot[table.name] = tuple(
                    conn.execute(sa.select(sa.func.count(), *newest).where(*where)).one()
                )
            elif table.name == "simulation_jobs":
                snapshot[table.name] = sorted(conn.execute(sa.select(table.c.id)).scalars())
            else:
                order = list(table.primary_key.columns) or list(table.columns)
                snapshot[table.name] = [tuple(row) for row in conn.execute(sa.select(table).order_by(*order))]
    return snapshot


def _changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [name for name in before if before[name] != after.get(name)]


# --- the server ------------------------------------------------------------------------------------


@dataclass
class Server:
    url: str
    pid: int
    log: Path

    def rss(self) -> int:
        """The server process's resident memory, in bytes (Linux ``/proc``)."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        assert match, status
        return int(match.group(1)) * 1024

    def last_error(self) -> str:
        """The last traceback the server logged (what a 5xx was)."""
        text = self.log.read_text(errors="replace")
        return text[text.rfind("Traceback") :][-1500:] if "Traceback" in text else text[-500:]


# --- the attack ------------------------------------------------------------------------------------


@dataclass
class Traffic:
    """What the hostile traffic found: per write route, the first failure; the reads that did not
    answer as the matrices say; the server's memory after the warm-up and at the end."""

    writes: dict[str, str] = field(default_factory=dict)
    reads: list[str] = field(default_factory=list)
    sent: int = 0
    rss_warm: int = 0
    rss_end: int = 0


class Attacker:
    """Sends the hostile requests and judges the answers (see the module's docstring)."""

    def __init__(self, server: Server, services: Services, world: World) -> None:
        self.server = server
        self.services = services
        self.world = world
        self.http = httpx.Client(base_url=server.url, timeout=120, follow_redirects=False)
        self.browser = httpx.Client(base_url=server.url, timeout=120, follow_redirects=False)
        self.auth = bearer_headers(services)
        app = route_table()
        self.rules = route_rules(app)
        self.dashboard_rules = dashboard_matrix.dashboard_rules(app)
        self.schema = schemathesis.openapi.from_dict(app.openapi())
        self.api = api_matrix.Context(services, world)
        self.dashboard = dashboard_matrix.Context(world, "")
        self.api_seeds = api_seeds()
        self.dashboard_seeds = dashboard_seeds()
        self.traffic = Traffic()
        self.sessions: dict[str, str] = {}  # role -> its dashboard session (made on first use)

    def set_up(self) -> None:
        """The matrices' world, a simulation of the union's (API) and one of the mediator's
        (dashboard)."""
        api_matrix.set_up_world(self.services, self.world)
        started = self.http.post(
            f"{self.api.case}/simulations",
            json=api_matrix.simulation_body(),
            headers=self.auth(self.world.wga),
        )
        assert started.status_code == 202, started.text
        self.api.union_job = started.json()["id"]
        form = {"kind": "replay", "as_of": "2023-06-01", "strategy_a": "boulware", "strategy_b": "boulware"}
        request = dashboard_matrix.Request(
            "POST", f"{self.dashboard.case}/simulation", {**form, "n_rounds": "10", "seed": "0"}
        )
        started = dashboard_matrix.send(self._browser(request, "mediator"), request, None)
        assert started.status_code == 303, re.findall(r"field-error[^<]*<", started.text)
        self.dashboard.job_id = started.headers["location"].rsplit("/", 1)[1]

    def write_routes(self) -> list[tuple[str, str]]:
        return sorted(route for route in self.rules if route[0] in WRITES)

    # --- writes

    def attack(self, route: tuple[str, str], examples: int) -> None:
        """``examples`` hostile requests to ``route``; its first failure is kept."""
        example = self._dashboard_example if route[1].startswith(f"{PREFIX}/") else self._api_example

        @settings(max_examples=examples, **PROFILE)
        @given(data=st.data())
        def one(data: st.DataObject) -> None:
            example(data, route)

        try:
            one()
        except Exception as error:  # every route is attacked; all failures are reported together
            notes = "\n".join(getattr(error, "__notes__", []))
            self.traffic.writes.setdefault(f"{route[0]} {route[1]}", f"{error}\n{notes}"[:3000])

    def seeds_as_they_are(self, route: tuple[str, str]) -> None:
        """Each valid request of ``route``, sent unchanged by a role the matrix lets in: each
        must succeed (the attack starts from requests that work)."""
        on_dashboard = route[1].startswith(f"{PREFIX}/")
        inner = (route[0], route[1].removeprefix(PREFIX))
        seeds = (self.dashboard_seeds if on_dashboard else self.api_seeds).get(
            inner if on_dashboard else route
        )
        if not seeds:
            self.traffic.writes[f"{route[0]} {route[1]}"] = "no request to start from (tests/*_matrix.py)"
            return
        for name, (obj, build) in sorted(seeds.items()):
            if on_dashboard:
                allowed = DASHBOARD_EXPECTED[(self.dashboard_rules[inner], obj)]
            else:
                allowed = EXPECTED[(self.rules[route], obj)]
            if not allowed:
                continue
            role = next(r for r in LIKELY if r in allowed)
            if on_dashboard:
                request = build(self.dashboard, role)
                response = dashboard_matrix.send(self._browser(request, role), request, None)
                worked = _let_in_by_the_dashboard(response)
            else:
                response = api_matrix.send(self.http, self.auth, self.api, build(self.api, role), role)
                worked = 200 <= response.status_code < 300
            if not worked:
                self.traffic.writes[f"{route[0]} {route[1]} {name} as {role}"] = (
                    f"{response.status_code} {response.text[:500]}"
                )

    def _role(self, data: st.DataObject, allowed: set[str], roles: tuple[str, ...]) -> str:
        """A role the matrix lets in, half the time; any role, the other half."""
        return data.draw(
            st.one_of(st.sampled_from(sorted(allowed) or roles), st.sampled_from(roles)), label="role"
        )

    def _api_example(self, data: st.DataObject, route: tuple[str, str]) -> None:
        seeds = self.api_seeds[route]
        obj, build = seeds[data.draw(st.sampled_from(sorted(seeds)), label="seed")]
        allowed = EXPECTED[(self.rules[route], obj)]
        role = self._role(data, allowed, api_matrix.ROLES)
        request = build(self.api, role)
        headers = dict(request.headers)
        if request.sign_in and role != "anonymous":
            headers.update(self.auth(getattr(self.world, role)))
        url, query = request.url, list(request.params.items())
        body = (
            None
            if request.json is None
            else Body(to_json(request.json).encode(), "application/json", "as is")
        )
        how = data.draw(
            st.sampled_from(["body", "body", "schema", "path", "query", "header", "as is"]), label="how"
        )
        what = "as is"
        if how == "body" and request.json is not None:
            body = data.draw(json_variants(request.json), label="body")
            what = body.what
        elif how == "schema" and request.json is not None:
            body, added = data.draw(self._schema_bodies(route, url), label="schema")
            query, what = query + added, body.what
        elif how == "path":
            url, what = data.draw(path_variants(url, route[1]), label="path")
        elif how == "query":
            added, what = data.draw(query_variants(self._query_names(route)), label="query")
            query += added
        elif how == "header" and "If-Match" in headers:
            headers["If-Match"] = data.draw(st.sampled_from(IF_MATCH), label="If-Match")
            what = f"If-Match: {headers['If-Match']}"
        if body is not None:
            headers["Content-Type"] = body.content_type
        if query:
            url += ("&" if "?" in url else "?") + query_string(query)
        before = database_snapshot(self.services.db.engine)
        response = self.http.request(request.method, url, content=body and body.content, headers=headers)
        self._judge(route, role, what, response, before, problem=True)
        let_in = how in ("path", "query", "header", "as is") and 200 <= response.status_code < 300
        assert not (let_in and role not in allowed), (
            f"{route} as {role} let in: {what}: {response.status_code}"
        )

    def _schema_bodies(
        self, route: tuple[str, str], url: str
    ) -> st.SearchStrategy[tuple[Body, list[tuple[str, str]]]]:
        """Bodies (and query values) the route's OpenAPI schema generates, valid or not, for the
        path ``url`` names."""
        operation = self.schema[route[1]][route[0]]
        names = re.findall(r"{(\w+)}", route[1])
        path_parameters = dict(zip(names, _path_values(url, route[1]), strict=True))

        def made(case: Any) -> tuple[Body, list[tuple[str, str]]]:
            query = [(k, str(v)) for k, v in (case.query or {}).items()]
            return Body(
                to_json(case.body).encode(), "application/json", f"schema body {short(case.body)}"
            ), query

        return st.one_of(
            operation.as_strategy(mode, path_parameters=path_parameters)
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        ).map(made)

    def _query_names(self, route: tuple[str, str]) -> list[str]:
        return [p.name for p in self.schema[route[1]][route[0]].query]

    def _dashboard_example(self, data: st.DataObject, route: tuple[str, str]) -> None:
        inner = (route[0], route[1].removeprefix(PREFIX))
        seeds = self.dashboard_seeds[inner]
        obj, build = seeds[data.draw(st.sampled_from(sorted(seeds)), label="seed")]
        allowed = DASHBOARD_EXPECTED[(self.dashboard_rules[inner], obj)]
        role = self._role(data, allowed, dashboard_matrix.ROLES)
        request = build(self.dashboard, role)
        path = PREFIX + request.path
        browser = self._browser(request, role)
        token = dashboard_matrix.csrf(browser.get(f"{PREFIX}/sign-in").text)
        pairs = [("csrf_token", token), *form_pairs(request.form or {})]
        body = Body(form_bytes(pairs), FORM, "as is")
        how = data.draw(st.sampled_from(["form", "form", "form", "path", "query", "as is"]), label="how")
        what = "as is"
        if how == "form":
            body = data.draw(form_variants(pairs), label="form")
            what = body.what
        elif how == "path":
            path, what = data.draw(path_variants(path, route[1]), label="path")
        elif how == "query":
            added, what = data.draw(query_variants(["kind"]), label="query")
            path += ("&" if "?" in path else "?") + query_string(added)
        before = database_snapshot(self.services.db.engine)
        response = browser.post(path, content=body.content, headers={"Content-Type": body.content_type})
        self._judge(route, role, what, response, before, problem=False)
        let_in = how in ("path", "query", "as is") and _let_in_by_the_dashboard(response)
        assert not (let_in and role not in allowed), (
            f"{route} as {role} let in: {what}: {response.status_code}"
        )

    def _judge(
        self,
        route: tuple[str, str],
        role: str,
        what: str,
        response: httpx.Response,
        before: dict[str, Any],
        *,
        problem: bool,
    ) -> None:
        """No 5xx; UTF-8; a refusal is a problem document (API) or a page (dashboard) and
        changed nothing."""
        self.traffic.sent += 1
        said = f"{route[0]} {route[1]} as {role}, {what}: {response.status_code}"
        assert response.status_code < 500, f"{said}\n{self.server.last_error()}"
        response.content.decode("utf-8")  # every answer encodes (no surrogate slipped into it)
        location = response.headers.get("location", "")
        if response.status_code < 400 and "/sign-in?next=" not in location:
            return
        if problem:
            assert response.headers.get("content-type") == MEDIA_TYPE, (
                f"{said}: not a problem: {response.text[:300]}"
            )
            shape = Problem.model_validate(response.json())
            assert shape.status == response.status_code, f"{said}: {shape}"
        elif response.status_code >= 400:
            assert response.headers.get("content-type", "").startswith("text/html"), f"{said}: not a page"
        changed = _changes(before, database_snapshot(self.services.db.engine))
        assert not changed, f"{said}: refused, but changed {changed}: {response.text[:300]}"

    def read_the_longest_article(self) -> None:
        """The longest article the server reads (its readable-text limit), once: the memory one
        read takes at its peak stays with the process's allocator, so the warm-up includes it and
        what is measured afterwards is growth."""
        line = "The WGA said on Friday that the studios offered nothing new on pay.\n"
        text = line * (MAX_CHARACTERS // len(line))
        response = self.http.post(
            f"{self.api.case}/ingest",
            json={"text": text, "published": "2023-06-03"},
            headers=self.auth(self.world.wga),
        )
        assert response.status_code == 200, response.text[:500]

    def write_and_read_in_turn(self, rounds: int) -> None:
        """The union records a proposal, then reads the case's main views, ``rounds`` times: the
        case grows, and each version is read once (what a busy case costs the server's memory)."""
        headers = self.auth(self.world.wga)
        for index in range(rounds):
            body = {
                "id": f"turn-{index}",
                "date": "2023-06-02",
                "from": "wga",
                "to": "amptp",
                "positions": {"pay": 5},
            }
            response = self.http.post(f"{self.api.case}/proposals", json=body, headers=headers)
            assert response.status_code == 201, response.text
            for view in ("views/timeline", "views/status", "export"):
                assert self.http.get(f"{self.api.case}/{view}", headers=headers).status_code == 200

    # --- reads

    def reads(
        self, only: set[tuple[str, str]] | None = None, roles: tuple[str, ...] | None = None
    ) -> list[str]:
        """Every read route of the route table (or ``only`` these) as every role (or ``roles``):
        each answer that differs from the matrices'."""
        api_matrix.restore_roles_and_shares(self.services, self.world)
        wrong = []
        for route, rule in sorted(self.rules.items()):
            if route[0] != "GET" or (only is not None and route not in only):
                continue
            if route[1].startswith(f"{PREFIX}/") or route[1] == "/":
                wrong += self._dashboard_reads(route, roles)
                continue
            if route not in api_matrix.REQUESTS:
                wrong.append(f"{route}: no request in tests/api_matrix.py")
            for obj, build in api_matrix.REQUESTS.get(route, {}).items():
                for role in roles or api_matrix.ROLES:
                    response = api_matrix.send(self.http, self.auth, self.api, build(self.api, role), role)
                    if not api_matrix.answers_as_expected(route, rule, obj, role, response.status_code):
                        wrong.append(f"{route} {obj} as {role}: {response.status_code} {response.text[:200]}")
        return wrong

    def _dashboard_reads(self, route: tuple[str, str], roles: tuple[str, ...] | None) -> list[str]:
        inner = (route[0], route[1].removeprefix(PREFIX) or "/")
        wrong = []
        if inner not in dashboard_matrix.REQUESTS:
            wrong.append(f"{route}: no request in tests/dashboard_matrix.py")
        for obj, build in dashboard_matrix.REQUESTS.get(inner, {}).items():
            allowed = DASHBOARD_EXPECTED[(self.dashboard_rules[inner], obj)]
            for role in roles or dashboard_matrix.ROLES:
                request = build(self.dashboard, role)
                response = dashboard_matrix.send(self._browser(request, role), request, None)
                if not dashboard_matrix.answers_as_expected(role, allowed, response):
                    wrong.append(f"{route} {obj} as {role}: {response.status_code} {response.text[-200:]}")
        return wrong

    def _browser(self, request: dashboard_matrix.Request, role: str) -> httpx.Client:
        """The browser, its cookies cleared, signed in as ``role`` (unless the request is sent
        signed out): with the role's session, or a new one to sign out of."""
        self.browser.cookies.clear()
        if not request.signed_in or role == "anonymous":
            return self.browser
        if request.path == "/sign-out" or role not in self.sessions:
            session = dashboard_matrix.session_of(self.services, self.dashboard, role, request)
            assert session is not None
            if request.path != "/sign-out":
                self.sessions[role] = session
        else:
            session = self.sessions[role]
        self.browser.cookies.set(SESSION_COOKIE, session)
        return self.browser


LIKELY = ("wga", "mediator", "admin", "server_admin", "amptp", "netflix", "observer", "outsider", "anonymous")
"""The roles in the order most likely to have what a request needs (a party sees a model of each side)."""
IF_MATCH = ('"99999999999999999999"', '"-1"', '"NaN"', "*", 'W/"1"', '"1", "2"', '"', "")


def _path_values(url: str, template: str) -> list[str]:
    segments = url.partition("?")[0].split("/")
    return [segments[i] for i, part in enumerate(template.split("/")) if part.startswith("{")]


def _let_in_by_the_dashboard(response: httpx.Response) -> bool:
    return response.status_code < 400 and "/sign-in?next=" not in response.headers.get("location", "")

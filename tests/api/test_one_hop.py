"""Each API request waits for a worker thread once at most (accord.api.deps.Router), and a request to a
route that takes a token is still refused for a missing or unknown token before anything else
about it is reported (but after its text: that refusal comes before anyone is identified)."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import inspect
import os
import threading
import time

import anyio.to_thread
import httpx
import pytest
import sqlalchemy as sa
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from accord.api import create_app, deps
from accord.api.threads import HandlerThreads
from accord.services import Services
from accord.store import Database
from accord.store import audit as audit_store
from accord.store import cases as case_store
from server_support import FAST_HASHER, bearer_headers, make_world

PROBLEM = "application/problem+json"
BAD_TOKEN = {"Authorization": "Bearer acc_not-a-token"}


@pytest.fixture
def hops(monkeypatch):
    """The calls to a worker thread so far: the handlers' (``accord.api.threads``), and any
    FastAPI or Starlette would make (through ``anyio.to_thread.run_sync``)."""
    calls = []
    original, ours = anyio.to_thread.run_sync, HandlerThreads.run

    async def counted(*args, **kwargs):
        calls.append(args[0])
        return await original(*args, **kwargs)

    async def counted_ours(self, function):
        calls.append(function)
        return await ours(self, function)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    monkeypatch.setattr(HandlerThreads, "run", counted_ours)
    return calls


def test_every_api_route_is_a_coroutine(client):
    """A synchronous handler would take three hops (its signed-in dependency, itself, the check of
    its response): the router makes each a coroutine that takes one."""
    found = (context.original_route for context in iter_route_contexts(client.app.routes))
    routes = [r for r in found if isinstance(r, APIRoute)]
    assert len(routes) > 40
    assert [r.path for r in routes if not inspect.iscoroutinefunction(r.endpoint)] == []


def test_fastapi_solves_no_dependency_for_the_services_and_one_for_the_token(client):
    """Each dependency FastAPI solves costs every request (about 40 µs): the app's services are
    handed to the handlers from the request, and the token is read by the bearer scheme itself."""
    found = (context.original_route for context in iter_route_contexts(client.app.routes))
    routes = [r for r in found if isinstance(r, APIRoute)]
    signed = [r for r in routes if deps.needs_sign_in(r)]
    assert len(signed) > 40
    for route in routes:
        pending, calls = list(route.dependant.dependencies), []
        while pending:
            dependant = pending.pop()
            calls.append(dependant.call)
            pending += dependant.dependencies
        assert deps.services not in calls, route.path
        if route in signed:
            assert deps.bearer_secret in calls and deps.actor not in calls, route.path
            tokens = [d for d in route.dependant.dependencies if d.call is deps.bearer_secret]
            assert tokens and all(d.dependencies == [] for d in tokens), route.path  # not a chain of two
    status = next(r for r in routes if r.path.endswith("/views/status"))
    assert [d.call for d in status.dependant.dependencies] == [deps.bearer_secret]  # and the text check


def test_reads_and_writes_take_one_worker_thread_hop_or_none(client, auth, world, hops, services):
    """On SQLite (a database in the process) the records, the views and the routes marked quick
    are answered on the event loop: no hop at all; every other request, and every request on
    PostgreSQL, takes one."""
    case = f"/cases/{world.case_id}"
    body = {"id": "hop1", "date": "2023-06-05", "from": "wga", "to": "amptp", "positions": {"pay": 5.0}}
    quick = 0 if services.db.in_process else 1
    client.get(f"{case}/views/status", headers=auth(world.observer))  # the case loaded once
    requests = [
        ("POST", f"{case}/proposals", auth(world.wga), body, 201, quick),
        ("GET", f"{case}/proposals/hop1", auth(world.observer), None, 200, quick),
        ("GET", f"{case}/proposals", auth(world.observer), None, 200, quick),
        ("GET", f"{case}/views/status", auth(world.observer), None, 200, quick),
        ("GET", f"{case}/views/timeline", auth(world.observer), None, 200, quick),
        ("GET", "/me", auth(world.observer), None, 200, quick),  # marked quick one by one
        ("GET", f"{case}/issues/staffing", auth(world.observer), None, 200, quick),
        ("GET", f"{case}/audit", auth(world.admin), None, 200, 1),  # not marked: a thread
        ("GET", f"{case}/export", auth(world.observer), None, 200, 1),
    ]
    for method, path, headers, json, status, expected in requests:
        hops.clear()
        response = client.request(method, path, headers=headers, json=json)
        assert response.status_code == status, response.text
        assert len(hops) == expected, (method, path, hops)


def test_a_request_checks_its_token_in_one_statement_outside_a_transaction(client, auth, world, services):
    """The token and its user are read by one query sent on its own (no BEGIN, no COMMIT: on
    PostgreSQL one round trip instead of three), before the handler's own transactions; an
    unknown token is refused the same way, having written nothing."""
    sent: list[tuple[str, bool]] = []

    def spy(conn: sa.Connection, _cursor: object, statement: str, *_: object) -> None:
        dbapi = conn.connection.dbapi_connection
        alone = dbapi.autocommit if services.db.backend == "postgresql" else not dbapi.in_transaction
        sent.append(
            (
                " ".join(statement.split()[:1]).upper() + (" tokens" if "token_hash" in statement else ""),
                alone,
            )
        )

    case = f"/cases/{world.case_id}"
    body = {"id": "tok1", "date": "2023-06-05", "from": "wga", "to": "amptp", "positions": {"pay": 5.0}}
    sa.event.listen(services.db.engine, "before_cursor_execute", spy)
    try:
        for method, path, headers, json, status in [
            ("POST", f"{case}/proposals", auth(world.wga), body, 201),
            ("GET", f"{case}/audit", auth(world.admin), None, 200),  # a route run on a thread
            ("POST", f"{case}/proposals", BAD_TOKEN, {**body, "id": "tok2"}, 401),
        ]:
            sent.clear()
            response = client.request(method, path, headers=headers, json=json)
            assert response.status_code == status, response.text
            assert sent[0] == ("SELECT tokens", True), (path, sent)
            assert ("SELECT tokens", True) not in sent[1:] and ("SELECT tokens", False) not in sent
            if status == 401:
                assert [s for s, _ in sent] == ["SELECT tokens"]  # nothing else read or written
    finally:
        sa.event.remove(services.db.engine, "before_cursor_execute", spy)
    assert client.get(f"{case}/proposals/tok2", headers=auth(world.observer)).status_code == 404


def test_a_view_that_needs_the_case_loaded_whole_moves_to_a_worker_thread(client, auth, services, hops):
    """The first read of a case loads it whole (seconds for a big case): never on the event loop.
    The reads after it are answered there (on SQLite)."""
    world = make_world(services)  # a case this server has not read yet
    status = f"/cases/{world.case_id}/views/status"
    hops.clear()
    first = client.get(status, headers=auth(world.observer))
    assert first.status_code == 200 and len(hops) == 1
    hops.clear()
    again = client.get(status, headers=auth(world.observer))
    assert again.json() == first.json() and len(hops) == (0 if services.db.in_process else 1)


def test_a_handler_keeps_its_name_parameters_and_document(client):
    """The API's document is made from the handlers as written (docs/reference/openapi.json is
    checked against it by test_openapi.py); the token is still a bearer scheme."""
    document = client.app.openapi()
    operation = document["paths"]["/cases/{case_id}/proposals"]["post"]
    assert operation["operationId"].startswith("add_proposal")
    assert operation["security"] == [{"HTTPBearer": []}]
    assert "Record a proposal" in operation["description"]
    names = [p["name"] for p in operation["parameters"]]
    assert names == ["case_id"]  # neither the token nor the request appear as parameters
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/Proposal-Input"
    )


@pytest.mark.parametrize("headers", [{}, BAD_TOKEN], ids=["no token", "unknown token"])
def test_a_bad_token_is_refused_before_a_bad_body_or_parameter(client, auth, world, headers):
    case = f"/cases/{world.case_id}"
    bad_body = {"id": "hop2", "date": "not a date", "from": "wga"}
    refusals = [
        client.post(f"{case}/proposals", json=bad_body, headers=headers),
        client.post(
            f"{case}/proposals", content=b"{not json", headers={**headers, "Content-Type": "application/json"}
        ),
        client.get(f"{case}/proposals", params={"limit": -1}, headers=headers),
        client.put(f"{case}/issues/staffing", json={"id": "staffing"}, headers={**headers, "If-Match": "x"}),
        client.post("/cases", json={"id": "c", "title": "T", "parties": "not a list"}, headers=headers),
        client.get(f"{case}/views/status", params={"as_of": "yesterday"}, headers=headers),
    ]
    for response in refusals:
        assert response.status_code == 401, (response.request.url, response.text)
        assert response.headers["content-type"] == PROBLEM
        assert response.headers["www-authenticate"] == "Bearer"
    # Signed in, the same requests are refused for what they are.
    signed = auth(world.admin)
    assert client.post(f"{case}/proposals", json=bad_body, headers=signed).status_code == 422
    malformed = client.post(
        f"{case}/proposals", content=b"{not json", headers={**signed, "Content-Type": "application/json"}
    )
    assert malformed.status_code == 400
    assert client.get(f"{case}/proposals", params={"limit": -1}, headers=signed).status_code == 422
    if_match = client.put(
        f"{case}/issues/staffing", json={"id": "staffing"}, headers={**signed, "If-Match": "x"}
    )
    assert if_match.status_code == 422 and if_match.json()["errors"][0]["field"] == "If-Match"
    assert (
        client.get(f"{case}/views/status", params={"as_of": "yesterday"}, headers=signed).status_code == 422
    )


def test_text_is_refused_before_anyone_is_identified(client, world):
    """A value that breaks the text rule is refused (422) token or none: it never reaches the
    database, not even to look the token up."""
    response = client.get(f"/cases/{world.case_id}/proposals", params={"kind": "a\x00b"}, headers=BAD_TOKEN)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "kind"


@pytest.fixture
def lone_server(tmp_path):
    """A SQLite database of its own, its services, a case with its people (:func:`make_world`),
    a reader's and a WGA writer's headers."""
    db = Database(f"sqlite:///{tmp_path}/team.sqlite")
    db.upgrade()
    services = Services(db)
    services.users.hasher = FAST_HASHER
    world = make_world(services)
    reader, writer = (bearer_headers(services)(actor) for actor in (world.observer, world.wga))
    yield services, world, reader, writer
    db.dispose()


@contextlib.contextmanager
def another_writer(db: Database, kind: str):
    """The writers' turn held by another thread of this process, or by another process (an open
    file description of its own on the lock file, as another process has), until the block's
    ``free()`` is called (or it ends)."""
    free = threading.Event()
    if kind == "thread":
        held = threading.Event()

        def write() -> None:
            with db.write():
                held.set()
                free.wait(20)

        thread = threading.Thread(target=write)
        thread.start()
        assert held.wait(10)
        try:
            yield free.set
        finally:
            free.set()
            thread.join()
        return
    probe = os.open(f"{db.engine.url.database}-writers", os.O_RDWR | os.O_CREAT)
    fcntl.flock(probe, fcntl.LOCK_EX)

    def release() -> None:
        if not free.is_set():
            free.set()
            fcntl.flock(probe, fcntl.LOCK_UN)

    try:
        yield release
    finally:
        release()
        os.close(probe)


def _proposal(record_id: str) -> dict:
    return {"id": record_id, "date": "2023-06-05", "from": "wga", "to": "amptp", "positions": {"pay": 5.0}}


def test_a_write_on_the_event_loop_waits_for_a_worker_threads_write_while_the_loop_answers_others(
    lone_server, hops
):
    """On SQLite, a write answered on the event loop waits for the writers' turn held by a worker
    thread of its process without stalling the loop: a read sent after it is answered first, and
    the write goes in once the turn is free."""
    services, world, reader, writer = lone_server
    case = f"/cases/{world.case_id}"

    async def run(free) -> list[tuple[str, int]]:
        done: list[tuple[str, int]] = []
        transport = httpx.ASGITransport(app=create_app(services))
        async with httpx.AsyncClient(transport=transport, base_url="http://accord") as http:
            await http.get(f"{case}/views/status", headers=reader)  # loaded whole once
            hops.clear()

            async def write() -> None:
                response = await http.post(f"{case}/proposals", json=_proposal("turn1"), headers=writer)
                done.append(("write", response.status_code))

            async def read() -> None:
                await asyncio.sleep(0.05)  # after the write began waiting
                response = await http.get(f"{case}/views/status", headers=reader)
                done.append(("read", response.status_code))
                free()  # only now may the other writer finish

            await asyncio.wait_for(asyncio.gather(write(), read()), 20)
        assert hops == []  # both answered on the event loop
        return done

    with another_writer(services.db, "thread") as free:
        assert asyncio.run(run(free)) == [("read", 200), ("write", 201)]
    with services.db.read() as conn:
        assert case_store.existing_ids(conn, world.case_id, ["turn1"]) == {"turn1"}


def test_a_write_on_the_event_loop_waits_for_another_processs_write_then_goes_in(lone_server, hops):
    """Another process's write is waited for on the loop itself (woken as its lock is released):
    the write goes in after it, with no hop to a worker thread."""
    services, world, _, writer = lone_server
    case = f"/cases/{world.case_id}"
    with another_writer(services.db, "process") as free:
        timer = threading.Timer(0.3, free)
        timer.start()
        began = time.perf_counter()
        with TestClient(create_app(services)) as client:
            hops.clear()
            response = client.post(f"{case}/proposals", json=_proposal("after"), headers=writer)
        timer.join()
    assert response.status_code == 201 and time.perf_counter() - began >= 0.3
    assert hops == []
    with services.db.read() as conn:
        assert case_store.existing_ids(conn, world.case_id, ["after"]) == {"after"}


def test_a_write_given_up_while_it_waits_gives_its_turn_back(lone_server):
    """A client that goes away while its write waits for a worker thread's write: nothing is
    written, the loop's turn is given back (the next write goes in), and the lock file is free
    after."""
    services, world, _, writer = lone_server
    case = f"/cases/{world.case_id}"

    async def run(free) -> int:
        transport = httpx.ASGITransport(app=create_app(services))
        async with httpx.AsyncClient(transport=transport, base_url="http://accord") as http:
            given_up = asyncio.ensure_future(
                http.post(f"{case}/proposals", json=_proposal("gone"), headers=writer)
            )
            await asyncio.sleep(0.1)
            given_up.cancel()
            with pytest.raises(asyncio.CancelledError):
                await given_up
            free()
            response = await asyncio.wait_for(
                http.post(f"{case}/proposals", json=_proposal("next"), headers=writer), 20
            )
            return response.status_code

    with another_writer(services.db, "thread") as free:
        assert asyncio.run(run(free)) == 201
    with services.db.read() as conn:
        assert case_store.existing_ids(conn, world.case_id, ["gone", "next"]) == {"next"}
    probe = os.open(f"{services.db.engine.url.database}-writers", os.O_RDWR)
    try:
        fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)  # nobody holds it any more
    finally:
        os.close(probe)


def test_a_read_of_drafts_moves_to_a_thread_rather_than_wait_on_the_loop_for_a_threads_write(
    lone_server, hops
):
    """A member's read of its party's drafts writes an audit entry. On the event loop, that write
    does not wait for a worker thread's: the read moves to a thread (one hop) and waits there,
    while the loop answers others; one audit entry is written, not two."""
    services, world, reader, writer = lone_server
    case = f"/cases/{world.case_id}"
    draft = {**_proposal("draft.wga.hop"), "status": "draft"}

    def reads_of_drafts() -> int:
        with services.db.read() as conn:
            rows, _ = audit_store.audit_entries(conn, case_id=world.case_id, actor=world.wga.username)
        return sum(row.action == "drafts.read" for row in rows)

    async def run(free) -> list[tuple[str, int]]:
        done: list[tuple[str, int]] = []
        transport = httpx.ASGITransport(app=create_app(services))
        async with httpx.AsyncClient(transport=transport, base_url="http://accord") as http:
            hops.clear()

            async def member() -> None:
                response = await http.get(f"{case}/views/status", headers=writer)
                done.append(("member", response.status_code))

            async def observer() -> None:
                await asyncio.sleep(0.05)  # after the member's read moved to a thread
                response = await http.get(f"{case}/views/status", headers=reader)
                done.append(("observer", response.status_code))
                free()

            await asyncio.wait_for(asyncio.gather(member(), observer()), 20)
        return done

    with TestClient(create_app(services)) as client:
        assert client.post(f"{case}/proposals", json=draft, headers=writer).status_code == 201
        for headers in (writer, reader):  # each one's view of the case loaded whole once
            assert client.get(f"{case}/views/status", headers=headers).status_code == 200
    before = reads_of_drafts()
    with another_writer(services.db, "thread") as free:
        assert asyncio.run(run(free)) == [("observer", 200), ("member", 200)]
    assert len(hops) == 1  # the member's read, moved to a thread
    assert reads_of_drafts() == before + 1

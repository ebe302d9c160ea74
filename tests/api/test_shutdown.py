"""A real ``accord serve`` stops on SIGTERM within seconds while a simulation runs and a client
holds a request open, on SQLite and PostgreSQL (issue 12, row 1: the server did not stop while
it worked); the jobs it drops are recorded as stopped, not left ``running`` or ``queued``."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from accord.services import Services
from accord.services.simulation_jobs import STOPPED
from accord.store import simulations as job_store
from limits_support import LONGEST, big_case, big_preferences
from server_support import add_user, free_port, start_server, stop_server, unique

STOPS_WITHIN = 5.0
"""Seconds from SIGTERM to exit (a job of the largest size the limits allow runs for many more)."""


@pytest.mark.slow
def test_sigterm_stops_the_server_while_a_simulation_runs(
    database_url: str, services: Services, tmp_path: Path
) -> None:
    case_id = unique("big")
    services.cases.import_case(None, big_case(case_id))
    mediator = add_user(services, unique("mediator"))
    services.cases.set_member(None, case_id, mediator.username, "mediator", None)
    for party in ("u", "e"):
        member = add_user(services, unique(party))
        services.cases.set_member(None, case_id, member.username, "member", party)
        services.private.put_preferences(
            member, case_id, party, big_preferences(party), expected_version=None
        )
        services.private.set_shares(member, case_id, party, {("preferences", "mediators")})
    token = services.users.create_token(None, mediator.username, "shutdown").secret

    port = free_port()
    log = tmp_path / "serve.log"
    server = start_server(database_url, port, log)
    try:
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as http:
            path = f"/cases/{case_id}/simulations"
            with socket.create_connection(("127.0.0.1", port)) as slow:  # a request that never ends
                slow.sendall(b"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{")
                started = [http.post(path, json=LONGEST) for _ in range(2)]  # one runs, one waits
                assert [r.status_code for r in started] == [202, 202], started[-1].text
                ids = [r.json()["id"] for r in started]
                deadline = time.monotonic() + 120
                while True:  # until one is under way (SIGTERM at once: a fast machine ends a job in
                    # well under a second)
                    jobs = [http.get(f"{path}/{job_id}").json() for job_id in ids]
                    if any(job["state"] == "running" and job["done"] >= 1 for job in jobs):
                        break
                    assert time.monotonic() < deadline, jobs
                    assert all(job["state"] in ("queued", "running", "done") for job in jobs), jobs
                    time.sleep(0.01)
                sent = time.monotonic()
                server.send_signal(signal.SIGTERM)
                try:
                    server.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    pytest.fail(f"accord serve still runs 60 s after SIGTERM: {log.read_text()[-2000:]}")
                stopped_in = time.monotonic() - sent
    finally:
        stop_server(server, signal.SIGKILL)
    assert stopped_in < STOPS_WITHIN, (stopped_in, log.read_text()[-2000:])
    # Uvicorn stops gracefully, then ends by the signal it caught (the conventional status)
    assert server.returncode in (0, -signal.SIGTERM), log.read_text()[-2000:]
    with services.db.read() as conn:
        rows = [row for row in (job_store.get_job(conn, job_id) for job_id in ids) if row]
    # none left running or queued: a job either finished before the signal or is recorded as stopped
    # where it was (the second never gets to finish: it waits for the first, which runs when the
    # signal is sent, or had just finished)
    assert len(rows) == 2
    assert all(row.state == "done" or (row.state, row.error) == ("failed", STOPPED) for row in rows), rows
    assert (rows[1].state, rows[1].error) == ("failed", STOPPED) and rows[1].done < rows[1].total, rows

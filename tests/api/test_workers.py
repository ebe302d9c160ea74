"""``accord serve --workers 2``: two server processes over one SQLite file. Whichever process a
connection lands on, a write is seen at once, and a simulation started on one is followed to its
results from the others (jobs live in the database)."""

from __future__ import annotations

import concurrent.futures
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from accord.casefile.prefsfile import case_with_preferences
from accord.cli import workers as workers_module
from accord.cli.workers import HAS_REUSE_PORT, Balance
from server_support import child_pids, file_services, free_port, open_connections, start_server, stop_server

AS_OF = "2023-09-08"


def _get(port: int, token: str, path: str, **params: str) -> httpx.Response:
    """A request on a connection of its own (so it may land on either process)."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
        return http.get(path, params=params, headers={"Authorization": f"Bearer {token}"})


@pytest.mark.slow
def test_two_worker_processes_share_writes_and_simulation_jobs(tmp_path: Path):
    url, services = file_services(tmp_path)
    case, prefs = case_with_preferences("wga-amptp-2023", None)
    services.cases.import_case(None, case)
    for party in ("wga", "amptp"):
        services.users.add(None, party, "correct horse battery")
        services.cases.set_member(None, case.id, party, "member", party)
        actor = services.users.authenticate(services.users.create_token(None, party, "setup").secret)
        services.private.put_preferences(actor, case.id, party, prefs.model(party), expected_version=None)
    services.private.set_shares(actor, case.id, "amptp", {("preferences", "wga")})  # actor: amptp's
    token = services.users.create_token(None, "wga", "workers test").secret
    services.db.dispose()
    port = free_port()

    server = start_server(url, port, tmp_path / "serve.log", "--workers", "2", "--threads", "2")
    try:
        workers = [
            p for p in child_pids(server.pid) if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()
        ]
        assert len(workers) == 2
        before = [_get(port, token, f"/cases/{case.id}/views/timeline", limit="1").json()["total"]]
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            auth = {"Authorization": f"Bearer {token}"}
            body = {"date": AS_OF, "from": "wga", "to": "amptp", "positions": {}}
            posted = http.post(f"/cases/{case.id}/proposals", json={"id": "p-workers", **body}, headers=auth)
            assert posted.status_code == 201, posted.text
            started = http.post(
                f"/cases/{case.id}/simulations",
                json={
                    "kind": "sweep",
                    "as_of": AS_OF,
                    "strategies": ["boulware", "conceder"],
                    "n_rounds": 20,
                    "values": [0.0, 0.002, 0.004],
                },
                headers=auth,
            )
            assert started.status_code == 202, started.text
        totals = {
            _get(port, token, f"/cases/{case.id}/views/timeline", limit="1").json()["total"]
            for _ in range(12)
        }
        assert totals == {before[0] + 1}  # every process sees the write at once
        job_path = f"/cases/{case.id}/simulations/{started.json()['id']}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            response = _get(port, token, job_path)
            assert response.status_code == 200, response.text  # found from every process
            job = response.json()
            if job["state"] in ("done", "failed"):
                break
            time.sleep(0.1)
        assert job["state"] == "done", job
        assert [r["value"] for r in job["results"]] == [0.0, 0.002, 0.004]
        # Hold connections open until each process has taken some: each one answers the job alike.
        clients: list[httpx.Client] = []
        try:
            while len(clients) < 200 and not all(open_connections(w, port) for w in workers):
                client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
                clients.append(client)
                assert client.get(job_path, headers={"Authorization": f"Bearer {token}"}).json() == job
            assert all(open_connections(w, port) for w in workers), "one process took every connection"
        finally:
            for client in clients:
                client.close()
    finally:
        stop_server(server)


def _workers(server: int) -> list[int]:
    return [p for p in child_pids(server) if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]


def _quiet_case_server(tmp_path: Path, *options: str) -> tuple[str, int, str, subprocess.Popen[bytes]]:
    """A served database holding the bundled case and a reader's token: (case id, port, token,
    the server)."""
    url, services = file_services(tmp_path)
    case, _ = case_with_preferences("wga-amptp-2023", None)
    services.cases.import_case(None, case)
    services.users.add(None, "reader", "correct horse battery")
    services.cases.set_member(None, case.id, "reader", "observer")
    token = services.users.create_token(None, "reader", "workers test").secret
    services.db.dispose()
    port = free_port()
    return case.id, port, token, start_server(url, port, tmp_path / "serve.log", *options)


@pytest.mark.slow
@pytest.mark.skipif(not HAS_REUSE_PORT, reason="SO_REUSEPORT is Linux's; CI runs on Linux")
def test_connections_arriving_at_once_are_spread_over_the_processes_then_balanced(tmp_path: Path):
    """60 connections opened at once: each process holds at least 15 of them. (With one socket
    shared by the processes, one of two took 43 of 50 in bench/bench_server.py. The kernel
    spreads them by a hash of their addresses: a process gets fewer than 15 of 60 about once in
    10,000 runs.) Then, as the clients go on asking, the process holding more than 30 closes
    connections after answering, and the clients' new connections even the count: 30 each."""
    case_id, port, token, server = _quiet_case_server(tmp_path, "--workers", "2", "--threads", "2")
    clients = [httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) for _ in range(60)]
    status, headers = f"/cases/{case_id}/views/status", {"Authorization": f"Bearer {token}"}
    try:
        workers = _workers(server.pid)
        assert len(workers) == 2
        with concurrent.futures.ThreadPoolExecutor(60) as pool:
            answers = list(pool.map(lambda c: c.get(status, headers=headers), clients))
            assert {a.status_code for a in answers} == {200}
            first = [open_connections(w, port) for w in workers]
            assert min(first) >= 15, first
            for _ in range(100):  # rounds of one request per client, until balanced
                held = [open_connections(w, port) for w in workers]
                if held == [30, 30]:
                    break
                answers = list(pool.map(lambda c: c.get(status, headers=headers), clients))
                assert {a.status_code for a in answers} == {200}
                time.sleep(0.05)
        assert held == [30, 30], (first, held)
    finally:
        for client in clients:
            client.close()
        stop_server(server)


@pytest.mark.slow
@pytest.mark.skipif(not HAS_REUSE_PORT, reason="SO_REUSEPORT is Linux's; CI runs on Linux")
def test_a_process_that_dies_is_replaced_and_sigterm_stops_them_all(tmp_path: Path):
    case_id, port, token, server = _quiet_case_server(tmp_path, "--workers", "2", "--threads", "1")
    try:
        first = _workers(server.pid)
        os.kill(first[0], signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            now = _workers(server.pid)
            if len(now) == 2 and first[0] not in now:
                break
            time.sleep(0.1)
        assert len(now) == 2 and first[1] in now and first[0] not in now, (first, now)
        # Every process answers: connections land on each (a new one per request).
        deadline = time.monotonic() + 60
        answered = []
        while time.monotonic() < deadline and len(answered) < 40:
            answered.append(_get(port, token, f"/cases/{case_id}/views/status").status_code)
        assert answered == [200] * 40
        assert "server process 1 ended" in (tmp_path / "serve.log").read_text()
        os.kill(server.pid, signal.SIGTERM)  # the supervisor alone, as a service manager may
        assert server.wait(30) == 0
        for pid in now:
            assert (
                not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
            )
    finally:
        stop_server(server)


@pytest.mark.skipif(not HAS_REUSE_PORT, reason="SO_REUSEPORT is Linux's; CI runs on Linux")
def test_a_second_server_on_a_port_in_use_is_refused(tmp_path: Path):
    """Sockets that share a port would share its connections: a second server (another database,
    perhaps) started on the port of a running one must not take half of them unnoticed."""
    url, services = file_services(tmp_path)
    services.db.dispose()
    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)  # as a first accord serve's
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]
    try:
        command = [sys.executable, "-c", "from accord.cli.app import main; main()", "serve"]
        command += ["--database-url", url, "--port", str(port), "--workers", "2"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, done.stderr
        assert f"error: cannot listen on 127.0.0.1:{port}" in done.stderr
        assert "in use" in done.stderr
    finally:
        holder.close()


@pytest.mark.slow
@pytest.mark.skipif(not HAS_REUSE_PORT, reason="SO_REUSEPORT is Linux's; CI runs on Linux")
def test_the_server_gives_up_when_a_process_keeps_ending(tmp_path: Path):
    """A process that cannot start (here: its database file gone, so a new one finds an empty,
    unmigrated database) is started again 5 times, then the server stops with exit code 1
    rather than trying for ever, and says why."""
    _, _, _, server = _quiet_case_server(tmp_path, "--workers", "2", "--threads", "1")
    try:
        for path in tmp_path.glob("team.sqlite*"):
            path.unlink()
        os.kill(_workers(server.pid)[0], signal.SIGKILL)
        assert server.wait(120) == 1
        log = (tmp_path / "serve.log").read_text()
        assert "server process 1 keeps ending" in log
        assert log.count("server process 1 ended") == 5
        assert "is at revision none" in log and "Traceback" not in log  # why, in one line each time
    finally:
        stop_server(server)


def test_a_process_over_its_share_closes_one_connection_at_a_time(monkeypatch):
    """The rule of :class:`Balance`: a response closes its connection while this process holds
    more than its share (the total over the processes, rounded up), one every BALANCE_EVERY
    seconds; each process's count is written where the others read it."""
    clock = [100.0]
    monkeypatch.setattr(workers_module.time, "monotonic", lambda: clock[0])
    counts, mine = [0, 22], [28]
    balance = Balance(None, counts, 0, lambda: mine[0])
    assert balance.over_share() and counts == [28, 22]
    assert not balance.over_share()  # the one just closed has not gone yet
    clock[0] += 1.5 * workers_module.BALANCE_EVERY
    mine[0] = 27
    assert balance.over_share() and counts == [27, 22]
    clock[0] += 1
    for held, others, closes in [
        (25, 25, False),
        (26, 25, False),
        (26, 24, True),
        (1, 0, False),
        (2, 0, True),
    ]:
        mine[0], counts[1] = held, others
        assert balance.over_share() is closes, (held, others)
        clock[0] += 1

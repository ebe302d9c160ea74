"""``accord serve --workers 2``: two server processes over one SQLite file. Whichever process a
connection lands on, a write is seen at once, and a simulation started on one is followed to its
results from the others (jobs live in the database)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
import pytest

from accord.casefile.prefsfile import case_with_preferences
from server_support import file_services, free_port, start_server, stop_server

AS_OF = "2023-09-08"


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux ``/proc``)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == str(pid):
            found.append(int(stat.parent.name))
    return found


def _open_connections(pid: int, port: int) -> int:
    """Established TCP connections on local port ``port`` held by process ``pid`` (``/proc``)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":  # 01: ESTABLISHED
                inodes.add(fields[9])
    held = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        held += target.startswith("socket:[") and target[8:-1] in inodes
    return held


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
            p for p in _children(server.pid) if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()
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
            while len(clients) < 200 and not all(_open_connections(w, port) for w in workers):
                client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
                clients.append(client)
                assert client.get(job_path, headers={"Authorization": f"Bearer {token}"}).json() == job
            assert all(_open_connections(w, port) for w in workers), "one process took every connection"
        finally:
            for client in clients:
                client.close()
    finally:
        stop_server(server)

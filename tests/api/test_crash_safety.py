"""Crash safety: a real ``accord serve`` on a SQLite file is killed with SIGKILL while clients
write; after a restart every write it acknowledged is there, and the database passes SQLite's
integrity check."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import httpx
import pytest

from accord.store import Database
from server_support import file_services, free_port, sample_case, start_server, stop_server

CLIENTS = 6


@pytest.mark.slow
def test_acknowledged_writes_survive_kill_9(tmp_path: Path):
    url, services = file_services(tmp_path)
    services.cases.import_case(None, sample_case("crash"))
    services.users.add(None, "writer", "correct horse battery")
    services.cases.set_member(None, "crash", "writer", "member", "wga")
    token = services.users.create_token(None, "writer", "crash test").secret
    services.db.dispose()

    acknowledged: list[str] = []
    lock = threading.Lock()
    port = free_port()
    server = start_server(url, port, tmp_path / "serve.log")
    stop = threading.Event()

    def client(number: int) -> None:
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"}, timeout=10
        ) as http:
            index = 0
            while not stop.is_set():
                record_id = f"k{number}-{index}"
                body = {
                    "id": record_id,
                    "date": "2023-06-01",
                    "from": "wga",
                    "to": "amptp",
                    "positions": {"pay": 5},
                }
                try:
                    response = http.post("/cases/crash/proposals", json=body)
                except httpx.TransportError:
                    return  # the server is gone: this write was never acknowledged
                if response.status_code == 201:
                    with lock:
                        acknowledged.append(record_id)
                index += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 150 and time.monotonic() < deadline:
        time.sleep(0.05)
    stop_server(server, signal.SIGKILL)  # mid-write: the clients are still sending
    stop.set()
    for thread in threads:
        thread.join()
    assert len(acknowledged) >= 150

    restarted = start_server(url, port, tmp_path / "serve.log")
    try:
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"}
        ) as http:
            stored: set[str] = set()
            offset = 0
            while True:
                page = http.get("/cases/crash/proposals", params={"offset": offset, "limit": 500}).json()
                stored.update(item["proposal"]["id"] for item in page["items"])
                offset += 500
                if offset >= page["total"]:
                    break
        assert set(acknowledged) <= stored
    finally:
        stop_server(restarted)
    check = Database(url)
    assert check.integrity_check() == []
    check.dispose()

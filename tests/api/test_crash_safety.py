"""Crash safety: a real ``accord serve`` on a SQLite file is killed with SIGKILL while clients
write; after a restart every write it acknowledged is there, and the database passes SQLite's
integrity check."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from accord.services import Services
from accord.store import Database
from server_support import FAST_HASHER, sample_case

CLIENTS = 6


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-c",
        "from accord.cli.app import main; main()",
        "serve",
        "--database-url",
        url,
        "--port",
        str(port),
    ]
    process = subprocess.Popen(command, stdout=log.open("ab"), stderr=subprocess.STDOUT, env=dict(os.environ))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
        if process.poll() is not None:
            break
    process.kill()
    raise AssertionError(f"accord serve did not start: {log.read_text()[-2000:]}")


@pytest.mark.slow
def test_acknowledged_writes_survive_kill_9(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'team.sqlite'}"
    db = Database(url)
    db.upgrade()
    services = Services(db)
    services.users.hasher = FAST_HASHER
    services.cases.import_case(None, sample_case("crash"))
    services.users.add(None, "writer", "correct horse battery")
    services.cases.set_member(None, "crash", "writer", "member", "wga")
    token = services.users.create_token(None, "writer", "crash test").secret
    db.dispose()

    acknowledged: list[str] = []
    lock = threading.Lock()
    port = _free_port()
    server = _serve(url, port, tmp_path / "serve.log")
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
    os.kill(server.pid, signal.SIGKILL)  # mid-write: the clients are still sending
    server.wait()
    stop.set()
    for thread in threads:
        thread.join()
    assert len(acknowledged) >= 150

    restarted = _serve(url, port, tmp_path / "serve.log")
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
        restarted.terminate()
        restarted.wait(10)
    check = Database(url)
    assert check.integrity_check() == []
    check.dispose()

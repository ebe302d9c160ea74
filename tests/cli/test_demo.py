"""`accord demo` in a real process: the status summary, three users with passwords that work, the
dashboard at the printed URL, and the temporary database gone after Ctrl-C."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_demo_serves_the_dashboard_with_three_users() -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "accord", "demo", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 60
        while not any(line.startswith("Press Ctrl-C") for line in lines):
            assert time.monotonic() < deadline and process.poll() is None, "".join(lines)
            lines.append(process.stdout.readline())
        text = "".join(lines)
        assert "day 130" in text  # the status summary comes first
        # a password may begin with "-": split on the table's column rule, not on non-word characters
        passwords = dict(re.findall(r"^\W*(writer|studio|mediator)\s*[│|]\s*(\S+)", text, re.MULTILINE))
        assert sorted(passwords) == ["mediator", "studio", "writer"]
        url = re.search(r"The dashboard: (\S+)", text).group(1)
        database = Path(re.search(r"The demo database: (\S+)", text).group(1))
        assert database.is_file()
        with httpx.Client(follow_redirects=True, timeout=10) as client:
            for _ in range(100):  # the server binds its port just after printing
                try:
                    form = client.get(url)
                    break
                except httpx.ConnectError:
                    time.sleep(0.1)
            token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
            page = client.post(
                str(form.url).split("?")[0],
                data={
                    "csrf_token": token,
                    "username": "studio",
                    "password": passwords["studio"],
                    "next": re.search(r'name="next" value="([^"]*)"', form.text).group(1),
                },
            )
            assert page.status_code == 200
            assert "Day 130" in page.text and "member of amptp" in page.text
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
    assert not database.exists()

"""A dashboard over a real SQLite file with the demo loaded, driven through Starlette's TestClient."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from accord.api import create_app
from accord.services import Services
from accord.services.demo import DemoSeed, seed_demo
from accord.store import Database
from accord.web import mount
from dashboard_matrix import csrf

WGA = "wga-amptp-2023"
BASE = "/dashboard"


@dataclass
class Dashboard:
    app: FastAPI
    services: Services
    seed: DemoSeed

    def client(self) -> TestClient:
        return TestClient(self.app, follow_redirects=False)

    def password(self, username: str) -> str:
        return next(u.password for u in self.seed.users if u.username == username)

    def signed_in(self, username: str, password: str | None = None) -> TestClient:
        client = self.client()
        form = client.get(f"{BASE}/sign-in")
        secret = password or self.password(username)
        response = client.post(
            f"{BASE}/sign-in", data={"csrf_token": csrf(form.text), "username": username, "password": secret}
        )
        assert response.status_code == 303, response.text
        return client


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    database = Database(f"sqlite:///{tmp_path_factory.mktemp('web') / 'accord.sqlite'}")
    database.upgrade()
    services = Services(database)
    services.users.hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    seed = seed_demo(services)
    app = create_app(services)  # the team server's app, with the dashboard on it
    mount(app, services)
    yield Dashboard(app, services, seed)
    database.dispose()

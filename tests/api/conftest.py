import pytest
from fastapi.testclient import TestClient

from accord.api import create_app
from accord.services import Actor, Services


@pytest.fixture(scope="module")
def client(services: Services):
    with TestClient(create_app(services, max_body=64 * 1024)) as test_client:
        yield test_client


@pytest.fixture
def auth(services: Services):
    """``auth(actor)``: headers that sign in as ``actor`` (an API token made for the test)."""
    cache: dict[str, dict[str, str]] = {}

    def headers(actor: Actor) -> dict[str, str]:
        if actor.username not in cache:
            token = services.users.create_token(None, actor.username, "test").secret
            cache[actor.username] = {"Authorization": f"Bearer {token}"}
        return cache[actor.username]

    return headers

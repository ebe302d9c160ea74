import pytest
from fastapi.testclient import TestClient

from accord.api import create_app
from accord.services import Services
from server_support import bearer_headers


@pytest.fixture(scope="module")
def client(services: Services):
    with TestClient(create_app(services, max_body=64 * 1024)) as test_client:
        yield test_client


@pytest.fixture
def auth(services: Services):
    """``auth(actor)``: headers that sign in as ``actor`` (an API token made for the test)."""
    return bearer_headers(services)

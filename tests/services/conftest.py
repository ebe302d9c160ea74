from dataclasses import dataclass

import pytest

from accord.services import Actor, Services
from server_support import add_user, sample_case, unique


@dataclass
class World:
    """A case with one user in each role (names unique to the test)."""

    case_id: str
    server_admin: Actor
    admin: Actor
    mediator: Actor
    observer: Actor
    wga: Actor
    amptp: Actor
    netflix: Actor
    sony: Actor
    outsider: Actor


@pytest.fixture
def world(services: Services) -> World:
    tag = unique("w")
    actors = {
        role: add_user(services, f"{role}-{tag}") for role in World.__dataclass_fields__ if role != "case_id"
    }
    actors["server_admin"] = add_user(services, f"root-{tag}", admin=True)
    case_id = unique("case")
    services.cases.import_case(actors["server_admin"], sample_case(case_id))
    for role, party in (("admin", None), ("mediator", None), ("observer", None)):
        services.cases.set_member(None, case_id, actors[role].username, role, party)
    for party in ("wga", "amptp", "netflix", "sony"):
        services.cases.set_member(None, case_id, actors[party].username, "member", party)
    return World(case_id=case_id, **actors)

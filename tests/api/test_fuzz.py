"""Property-based fuzzing of the API from its own OpenAPI document (schemathesis): whatever is
sent, no response is a server error and every response matches the document.

Requests are signed in (as a server administrator and as a union member, so that both the case
management and the private routes are reached) and aimed at a real case of the database.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from accord.api import create_app
from accord.services import Services
from accord.store import Database
from server_support import FAST_HASHER, sample_case, unique

EXAMPLES = 5
CHECKS = [schemathesis.checks.not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture(scope="module")
def fuzz_world(tmp_path_factory):
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.sqlite'}", sqlite_synchronous="NORMAL")
    db.upgrade()
    services = Services(db)
    services.users.hasher = FAST_HASHER
    case_id = unique("fuzz")
    services.cases.import_case(None, sample_case(case_id))
    tokens = {}
    for role, admin in (("root", True), ("wga", False)):
        name = unique(role)
        services.users.add(None, name, "correct horse battery", is_admin=admin)
        if role == "wga":
            services.cases.set_member(None, case_id, name, "member", "wga")
        tokens[role] = services.users.create_token(None, name, "fuzz").secret
    yield create_app(services, max_body=256 * 1024), case_id, tokens
    db.dispose()


@pytest.fixture(params=["root", "wga"])
def api_schema(request, fuzz_world):
    app, case_id, tokens = fuzz_world
    headers = {"Authorization": f"Bearer {tokens[request.param]}"}
    return schemathesis.openapi.from_asgi("/openapi.json", app), case_id, headers


def test_no_server_errors_and_responses_match_the_document(api_schema):
    api_schema, case_id, headers = api_schema
    failures = {}
    operations = 0
    # Signing out revokes the token every other request uses: fuzz it last.
    ordered = sorted(
        (r.ok() for r in api_schema.get_all_operations()), key=lambda o: o.label == "POST /auth/logout"
    )
    for operation in ordered:
        operations += 1

        fixed = {"case_id": case_id, "party_id": "wga"}
        fixed = {p.name: fixed[p.name] for p in operation.path_parameters if p.name in fixed}
        cases = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE, path_parameters=fixed, headers=headers),
            operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=fixed, headers=headers),
        )

        @given(case=cases)
        @settings(
            max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def fuzz(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            fuzz()
        except Exception as error:  # every operation is fuzzed; all failures are reported together
            failures[operation.label] = f"{type(error).__name__}: {str(error)[:800]}"
    assert operations >= 40
    assert failures == {}

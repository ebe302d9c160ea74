"""The team server against a hostile user (issue 12): every record a write touches is authorized,
drafts are invisible to whoever may not read them (in lookups, conflicts and the audit log),
memberships that grant private data need a server administrator, a job's results need current
membership and the shares they were computed from, and a disabled user's tokens stay dead.

Each test makes the attack as it was reported, over HTTP against the server's app, on SQLite and
PostgreSQL, and checks that it is refused and that nothing was written.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pytest

from accord.casefile.prefsfile import case_with_preferences
from accord.model import Proposal
from accord.model.event import Request, Statement, Talks, TentativeAgreement
from accord.services import Actor, Services, WalkAway
from server_support import World, add_user, unique

Record = Any


@dataclass
class Wga:
    """The bundled WGA–AMPTP case with a user in each role (and the models of both sides)."""

    case_id: str
    users: dict[str, Actor]


@pytest.fixture
def wga(services: Services) -> Wga:
    case, prefs = case_with_preferences("wga-amptp-2023", None)
    case_id = unique("wga")
    services.cases.import_case(None, case.model_copy(update={"id": case_id}))
    roles = ("wga", "amptp", "mediator", "observer", "admin")
    users = {role: add_user(services, unique(role)) for role in roles}
    users["root"] = add_user(services, unique("root"), admin=True)
    for party in ("wga", "amptp"):
        services.cases.set_member(None, case_id, users[party].username, "member", party)
        services.private.put_preferences(
            users[party], case_id, party, prefs.model(party), expected_version=None
        )
    for role in ("mediator", "observer", "admin"):
        services.cases.set_member(None, case_id, users[role].username, role)
    return Wga(case_id, users)


def version(services: Services, case_id: str) -> int:
    return services.cases.get(Actor(0, "operator", is_admin=True), case_id).version


def assert_nothing_written(client, auth, services, case_id: str, before: int, group: str, record_id: str):
    admin = add_user(services, unique("check"), admin=True)
    assert version(services, case_id) == before
    assert client.get(f"/cases/{case_id}/{group}/{record_id}", headers=auth(admin)).status_code == 404


# --- row 2: a party corrects only its own records ---------------------------------------------


def test_a_party_cannot_erase_the_others_proposal_by_correcting_it(client, auth, services, wga: Wga):
    case, users = wga.case_id, wga.users

    def staffing() -> Any:
        response = client.get(
            f"/cases/{case}/views/positions",
            params={"party": "wga", "as_of": "2023-08-16"},
            headers=auth(users["observer"]),
        )
        assert response.status_code == 200, response.text
        return response.json()["data"]["staffing"]["value"]

    assert staffing() == 6
    before = version(services, case)
    attack = {
        "id": "x",
        "date": "2023-08-15",
        "from": "amptp",
        "to": "wga",
        "supersedes": "wga-2023-08-15",
        "positions": {"staffing": 7},
    }
    refused = client.post(f"/cases/{case}/proposals", json=attack, headers=auth(users["amptp"]))
    assert refused.status_code == 403, refused.text
    assert refused.json()["errors"][0]["field"] == "supersedes"
    assert "corrects only its own records" in refused.text
    assert_nothing_written(client, auth, services, case, before, "proposals", "x")
    assert staffing() == 6
    # The owner's own correction is not blocked by the refused one.
    own = {**attack, "id": "wga-2023-08-15b", "from": "wga", "to": "amptp", "positions": {"staffing": 4}}
    accepted = client.post(f"/cases/{case}/proposals", json=own, headers=auth(users["wga"]))
    assert accepted.status_code == 201, accepted.text
    assert staffing() == 4


def test_a_party_cannot_erase_the_others_statement_by_correcting_it(client, auth, services, wga: Wga):
    case, users = wga.case_id, wga.users
    before = version(services, case)
    attack = {
        "id": "y",
        "date": "2023-08-22",
        "kind": "statement",
        "party": "amptp",
        "summary": "Nothing was said.",
        "supersedes": "statement-wga-2023-08-22-jam",
    }
    refused = client.post(f"/cases/{case}/events", json=attack, headers=auth(users["amptp"]))
    assert refused.status_code == 403, refused.text
    assert_nothing_written(client, auth, services, case, before, "events", "y")
    own = {**attack, "id": "statement-wga-2023-08-22-jam-b", "party": "wga", "summary": "Corrected."}
    assert client.post(f"/cases/{case}/events", json=own, headers=auth(users["wga"])).status_code == 201


def _setup_references(services: Services, world: World) -> None:
    """Records of other parties for the references below to name (written by the case's admin)."""
    records: list[Record] = [
        Request.model_validate(
            {"id": "rq-n", "date": "2023-05-11", "kind": "request", "from": "wga", "to": "netflix"}
        ),
        Proposal.model_validate(
            {"id": "pn", "date": "2023-05-11", "from": "wga", "to": "netflix", "positions": {"pay": 7}}
        ),
        Statement.model_validate(
            {"id": "sw", "date": "2023-05-11", "kind": "statement", "party": "wga", "summary": "S"}
        ),
        Talks.model_validate(
            {"id": "tk", "date": "2023-05-11", "kind": "talks_held", "parties": ["wga", "amptp"]}
        ),
        TentativeAgreement.model_validate(
            {
                "id": "ta-wn",
                "date": "2023-05-12",
                "kind": "tentative_agreement",
                "parties": ["wga", "netflix"],
            }
        ),
        TentativeAgreement.model_validate(
            {"id": "ta-wa", "date": "2023-05-12", "kind": "tentative_agreement", "parties": ["wga", "amptp"]}
        ),
    ]
    for record in records:
        services.records.add(world.admin, world.case_id, record)


DAY = {"date": "2023-05-13"}
# (what, who, route, body, status): every reference field, refused where it acts on a record that
# is not the writer's party's business, accepted where it is.
REFERENCES = [
    (
        "responds to a request made to another party",
        "amptp",
        "events",
        {"kind": "response", "from": "amptp", "to": "wga", "responds_to": "rq-n"},
        403,
    ),
    (
        "responds to a request made to it",
        "netflix",
        "events",
        {"kind": "response", "from": "netflix", "to": "wga", "responds_to": "rq-n"},
        201,
    ),
    (
        "answers a proposal made to another party",
        "amptp",
        "proposals",
        {"from": "amptp", "to": "wga", "answers": ["pn"], "positions": {"pay": 3}},
        403,
    ),
    (
        "answers a proposal made to it",
        "netflix",
        "proposals",
        {"from": "netflix", "to": "wga", "answers": ["pn"], "positions": {"pay": 3}},
        201,
    ),
    (
        "withdraws an agreement it is not party to",
        "amptp",
        "events",
        {"kind": "ta_withdrawn", "agreement": "ta-wn", "by": "amptp"},
        403,
    ),
    (
        "withdraws its own agreement",
        "netflix",
        "events",
        {"kind": "ta_withdrawn", "agreement": "ta-wn", "by": "netflix"},
        201,
    ),
    (
        "votes on an agreement it is not party to",
        "amptp",
        "events",
        {"kind": "vote", "party": "amptp", "subject": "ratification", "passed": True, "agreement": "ta-wn"},
        403,
    ),
    (
        "votes on its coalition's agreement",
        "sony",
        "events",
        {"kind": "vote", "party": "sony", "subject": "board_approval", "passed": True, "agreement": "ta-wa"},
        201,
    ),
    (
        "corrects another party's statement",
        "amptp",
        "events",
        {"kind": "statement", "party": "amptp", "summary": "S", "supersedes": "sw"},
        403,
    ),
    (
        "corrects a joint record",
        "wga",
        "events",
        {"kind": "talks_held", "parties": ["wga"], "supersedes": "tk"},
        403,
    ),
    (
        "corrects another party's agreement",
        "netflix",
        "events",
        {"kind": "tentative_agreement", "parties": ["wga", "netflix"], "supersedes": "ta-wa"},
        403,
    ),
    (
        "disputes another party's statement",
        "amptp",
        "events",
        {"kind": "statement", "party": "amptp", "summary": "No.", "disputes": "sw"},
        201,
    ),
    (
        "asks about another party's proposal",
        "amptp",
        "events",
        {"kind": "request", "from": "amptp", "to": "wga", "regarding": ["pn"]},
        201,
    ),
    (
        "keeps the record: a mediator corrects a party's proposal",
        "mediator",
        "proposals",
        {"from": "wga", "to": "amptp", "supersedes": "p1", "positions": {"pay": 6.5}, "date": "2023-03-20"},
        201,
    ),
    (
        "keeps the record: an admin corrects a joint record",
        "admin",
        "events",
        {"kind": "talks_held", "parties": ["wga", "amptp", "netflix"], "supersedes": "tk"},
        201,
    ),
]


@pytest.mark.parametrize(
    ("what", "who", "route", "body", "status"), REFERENCES, ids=[r[0] for r in REFERENCES]
)
def test_every_record_a_write_refers_to_is_authorized(
    client, auth, services, world, what, who, route, body, status
):
    _setup_references(services, world)
    before = version(services, world.case_id)
    record = {"id": unique("ref"), **DAY, **body}
    response = client.post(f"/cases/{world.case_id}/{route}", json=record, headers=auth(getattr(world, who)))
    assert response.status_code == status, response.text
    if status == 403:
        assert response.json()["errors"], response.text  # the field at fault is named
        assert_nothing_written(client, auth, services, world.case_id, before, route, record["id"])


# --- row 5: drafts leak through no lookup and no conflict ---------------------------------------


def _same_but_for(first, second, first_id: str, second_id: str) -> bool:
    return first.status_code == second.status_code and first.text.replace(
        first_id, "ID"
    ) == second.text.replace(second_id, "ID")


def test_another_partys_drafts_leak_through_no_lookup_or_conflict(client, auth, world):
    case = f"/cases/{world.case_id}"
    draft = {"date": "2023-06-01", "from": "wga", "to": "amptp", "status": "draft", "positions": {"pay": 7}}
    for record_id, corrects in (("draft.wga.d1", None), ("draft.wga.d2", "draft.wga.d1")):
        body = {**draft, "id": record_id, **({"supersedes": corrects} if corrects else {})}
        assert client.post(f"{case}/proposals", json=body, headers=auth(world.wga)).status_code == 201
    hidden, free = "draft.wga.d1", "draft.wga.never"
    for who in (world.amptp, world.admin, world.mediator, world.server_admin, world.netflix):
        headers = auth(who)
        sender = "netflix" if who is world.netflix else "amptp"
        base = {"date": "2023-06-02", "from": sender, "to": "wga", "positions": {"pay": 4}}

        def post(body: dict[str, Any], headers: dict[str, str] = headers) -> Any:
            return client.post(f"{case}/proposals", json=body, headers=headers)

        # Correcting their draft: "does not exist", as for an id no record has (not "already
        # corrected by 'draft.wga.d2'").
        seen = post({**base, "id": unique("c"), "supersedes": hidden})
        unseen = post({**base, "id": unique("c"), "supersedes": free})
        assert seen.status_code == 422 and "draft.wga.d2" not in seen.text
        assert seen.json()["errors"][0]["message"] == f"superseded record {hidden!r} does not exist"
        assert unseen.json()["errors"][0]["message"] == f"superseded record {free!r} does not exist"
        # Taking their draft's id, for a public record or a draft: refused by the id's form alone.
        for status in ("tabled", "draft"):
            taken = post({**base, "id": hidden, "status": status})
            not_taken = post({**base, "id": free, "status": status})
            assert taken.status_code in (403, 422) and "is taken" not in taken.text  # 403: no party's
            assert _same_but_for(taken, not_taken, hidden, free), (taken.text, not_taken.text)
        # Answering it, reading it.
        answered = post({**base, "id": unique("a"), "answers": [hidden]})
        answered_free = post({**base, "id": unique("a"), "answers": [free]})
        assert answered.status_code == answered_free.status_code == 422
        assert "unpublished" not in answered.text and hidden in answered.text
        read = client.get(f"{case}/proposals/{hidden}", headers=headers)
        read_free = client.get(f"{case}/proposals/{free}", headers=headers)
        assert read.status_code == 404 and _same_but_for(read, read_free, hidden, free)
    # Nor through the order of writing: the records the studios see have places without gaps.
    studios = auth(world.amptp)
    places = [
        item["seq"]
        for group in ("proposals", "events")
        for item in client.get(f"{case}/{group}", params={"limit": 500}, headers=studios).json()["items"]
    ]
    assert sorted(places) == list(range(len(places)))
    tabled = {**draft, "id": unique("t"), "from": "amptp", "to": "wga", "status": "tabled"}
    written = client.post(f"{case}/proposals", json=tabled, headers=studios)
    assert written.status_code == 201 and written.json()["seq"] == len(places)
    assert client.get(f"{case}/proposals/{tabled['id']}", headers=studios).json()["seq"] == len(places)
    # Each party's drafts have ids of their own: the studios' draft of the same name is no conflict.
    own = {**draft, "id": "draft.amptp.d1", "from": "amptp", "to": "wga"}
    assert client.post(f"{case}/proposals", json=own, headers=auth(world.amptp)).status_code == 201
    # And a draft outside its party's namespace is refused, naming the form it needs.
    outside = client.post(f"{case}/proposals", json={**draft, "id": "d9"}, headers=auth(world.wga))
    assert outside.status_code == 422 and "draft.wga.<name>" in outside.text


def test_a_case_file_breaking_the_servers_draft_rules_is_not_imported(client, auth, world):
    case = {
        "id": unique("drafts"),
        "title": "Drafts",
        "parties": [{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
        "proposals": [
            {"id": "d1", "date": "2023-05-01", "from": "u", "to": "e", "status": "draft"},
            {"id": "draft.e.x", "date": "2023-05-01", "from": "e", "to": "u"},
            {"id": "p2", "date": "2023-05-02", "from": "e", "to": "u", "answers": ["d1"]},
        ],
    }
    response = client.post("/cases", json=case, headers=auth(world.server_admin))
    assert response.status_code == 422, response.text
    assert {e["field"] for e in response.json()["errors"]} == {
        "proposals[0].id",
        "proposals[1].id",
        "proposals[2].answers[0]",
    }
    assert client.get(f"/cases/{case['id']}", headers=auth(world.server_admin)).status_code == 404


# --- row 10: no draft in the audit log ----------------------------------------------------------


def test_the_audit_log_shows_no_draft_to_case_admins(client, auth, services, world):
    case = f"/cases/{world.case_id}"
    draft = {
        "id": "draft.wga.secret-plan",
        "date": "2023-06-01",
        "from": "wga",
        "to": "amptp",
        "status": "draft",
    }
    assert client.post(f"{case}/proposals", json=draft, headers=auth(world.wga)).status_code == 201
    assert client.get(f"{case}/proposals", headers=auth(world.wga)).status_code == 200  # reads the draft
    published = {**draft, "id": "pub-plan", "status": "tabled", "supersedes": draft["id"]}
    assert client.post(f"{case}/proposals", json=published, headers=auth(world.wga)).status_code == 201
    for reader in (world.admin, world.server_admin):
        response = client.get(f"{case}/audit", params={"limit": 500}, headers=auth(reader))
        assert response.status_code == 200, response.text
        assert "secret-plan" not in response.text
        entries = response.json()["items"]
        assert "draft.add" not in {e["action"] for e in entries}
        (publishing,) = [e for e in entries if e["target"] == "pub-plan"]
        assert publishing["action"] == "proposal.add" and publishing["detail"] == {"supersedes": None}
        reads = [e for e in entries if e["action"] == "drafts.read"]
        assert reads and {e["target"] for e in reads} == {"wga"}  # whose drafts were read, not which
    # The operator at the command line sees it all.
    operator = services.audit.entries(None, case_id=world.case_id, limit=500).items
    assert ("draft.add", draft["id"]) in [(e.action, e.target) for e in operator]
    assert {"supersedes": None, "publishes": draft["id"]} in [e.detail for e in operator]


# --- row 6: memberships that grant private data -------------------------------------------------


def _members(client, auth, world) -> dict[str, tuple[str, str | None]]:
    response = client.get(f"/cases/{world.case_id}/members", headers=auth(world.server_admin))
    return {m["username"]: (m["role"], m["party"]) for m in response.json()}


def test_a_case_admin_cannot_give_themselves_or_others_private_data(client, auth, services, world):
    case = f"/cases/{world.case_id}"
    services.private.put_walkaway(
        world.wga, world.case_id, "wga", WalkAway(positions={"pay": 2}), expected_version=None
    )
    before = _members(client, auth, world)
    admin = auth(world.admin)
    attacks = [
        (world.admin.username, {"role": "member", "party": "wga"}),  # the reported attack
        (world.admin.username, {"role": "mediator"}),
        (world.amptp.username, {"role": "member", "party": "wga"}),  # moving a member between parties
        (world.observer.username, {"role": "mediator"}),
        (world.observer.username, {"role": "member", "party": "amptp"}),
    ]
    for username, body in attacks:
        response = client.put(f"{case}/members/{username}", json=body, headers=admin)
        assert response.status_code == 403, (username, body, response.text)
        assert "private data" in response.text
    assert _members(client, auth, world) == before
    assert client.get(f"{case}/parties/wga/walkaway", headers=admin).status_code == 403
    # What grants nothing stays the case admins': an observer, another admin, taking a role away.
    newcomer = add_user(services, unique("newcomer")).username
    assert (
        client.put(f"{case}/members/{newcomer}", json={"role": "observer"}, headers=admin).status_code == 200
    )
    assert client.put(f"{case}/members/{newcomer}", json={"role": "admin"}, headers=admin).status_code == 200
    assert client.delete(f"{case}/members/{newcomer}", headers=admin).status_code == 204
    assert (
        client.put(
            f"{case}/members/{world.sony.username}", json={"role": "observer"}, headers=admin
        ).status_code
        == 200
    )
    # A server administrator may grant it, to someone else, and the log says what changed.
    root = auth(world.server_admin)
    granted = client.put(
        f"{case}/members/{world.sony.username}", json={"role": "member", "party": "sony"}, headers=root
    )
    assert granted.status_code == 200, granted.text
    self_grant = client.put(
        f"{case}/members/{world.server_admin.username}", json={"role": "member", "party": "wga"}, headers=root
    )
    assert self_grant.status_code == 403
    log = client.get(f"{case}/audit", params={"limit": 500}, headers=root).json()["items"]
    changes = [
        (e["actor"], e["action"], e["target"], e["detail"]) for e in log if e["action"].startswith("member.")
    ]
    assert (
        world.server_admin.username,
        "member.set",
        world.sony.username,
        {"role": "member", "party": "sony", "before": {"role": "observer", "party": None}},
    ) in changes
    assert (
        world.admin.username,
        "member.remove",
        newcomer,
        {"before": {"role": "admin", "party": None}},
    ) in changes


# --- row 4: a job's results need current membership and the shares it used ----------------------


def _run_job(client, auth, case_id: str, user: Actor) -> str:
    body = {"kind": "replay", "as_of": "2023-09-08", "strategies": ["boulware", "conceder"], "n_rounds": 10}
    started = client.post(f"/cases/{case_id}/simulations", json=body, headers=auth(user))
    assert started.status_code == 202, started.text
    job_id = started.json()["id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = client.get(f"/cases/{case_id}/simulations/{job_id}", headers=auth(user)).json()
        if job["state"] in ("done", "failed"):
            assert job["state"] == "done", job
            assert job["results"]
            return job_id
        time.sleep(0.05)
    raise AssertionError("the simulation did not finish")


def test_a_jobs_results_need_current_membership(client, auth, services, wga: Wga):
    case, users = wga.case_id, wga.users
    for party in ("wga", "amptp"):
        services.private.set_shares(users[party], case, party, {("preferences", "mediators")})
    mediator = users["mediator"]
    job_id = _run_job(client, auth, case, mediator)
    path = f"/cases/{case}/simulations/{job_id}"
    removed = client.delete(f"/cases/{case}/members/{mediator.username}", headers=auth(users["admin"]))
    assert removed.status_code == 204
    assert client.get(f"/cases/{case}", headers=auth(mediator)).status_code == 404
    gone = client.get(path, headers=auth(mediator))
    assert gone.status_code == 404 and "results" not in gone.text
    assert client.get(f"/cases/{case}/simulations", headers=auth(mediator)).status_code == 404
    # Back in the case (a server administrator makes them mediator again), the job is theirs again.
    back = client.put(
        f"/cases/{case}/members/{mediator.username}", json={"role": "mediator"}, headers=auth(users["root"])
    )
    assert back.status_code == 200
    assert client.get(path, headers=auth(mediator)).status_code == 200


def test_a_jobs_results_need_the_shares_it_used(client, auth, services, wga: Wga):
    case, users = wga.case_id, wga.users
    for party in ("wga", "amptp"):
        services.private.set_shares(users[party], case, party, {("preferences", "mediators")})
    mediator = users["mediator"]
    job_id = _run_job(client, auth, case, mediator)
    path = f"/cases/{case}/simulations/{job_id}"
    revoked = client.put(f"/cases/{case}/parties/wga/shares", json={"grants": []}, headers=auth(users["wga"]))
    assert revoked.status_code == 200, revoked.text
    refused = client.get(path, headers=auth(mediator))
    assert refused.status_code == 403 and "results" not in refused.text and "'wga'" in refused.text
    listed = client.get(f"/cases/{case}/simulations", headers=auth(mediator))
    assert listed.status_code == 200 and job_id not in listed.text
    services.private.set_shares(users["wga"], case, "wga", {("preferences", "mediators")})
    assert client.get(path, headers=auth(mediator)).status_code == 200  # shared again: readable again


def test_a_member_moved_to_another_party_loses_the_jobs_of_the_old_one(client, auth, services, wga: Wga):
    case, users = wga.case_id, wga.users
    services.private.set_shares(users["amptp"], case, "amptp", {("preferences", "wga")})
    job_id = _run_job(client, auth, case, users["wga"])
    moved = client.put(
        f"/cases/{case}/members/{users['wga'].username}",
        json={"role": "member", "party": "amptp"},
        headers=auth(users["root"]),
    )
    assert moved.status_code == 200, moved.text
    refused = client.get(f"/cases/{case}/simulations/{job_id}", headers=auth(users["wga"]))
    assert refused.status_code == 403 and "results" not in refused.text


# --- tokens of a disabled user ------------------------------------------------------------------


def test_enabling_a_disabled_user_again_brings_no_old_token_back(client, services, world):
    user = add_user(services, unique("leaver"))
    api_token = services.users.create_token(None, user.username, "laptop").secret
    session = client.post(
        "/auth/login", json={"username": user.username, "password": "correct horse battery"}
    )
    assert session.status_code == 200, session.text
    secrets = [api_token, session.json()["token"]]
    for secret in secrets:
        assert client.get("/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    root = services.users.create_token(None, world.server_admin.username, "root").secret
    disabled = client.post(f"/users/{user.username}/disable", headers={"Authorization": f"Bearer {root}"})
    assert disabled.status_code == 200, disabled.text
    for secret in secrets:
        assert client.get("/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    services.users.set_disabled(None, user.username, False)
    for secret in secrets:
        assert client.get("/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    again = client.post("/auth/login", json={"username": user.username, "password": "correct horse battery"})
    assert again.status_code == 200  # they sign in anew

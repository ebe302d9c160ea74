"""Reading the news on the team server (SQLite and PostgreSQL): read against the public record,
apply a review in one transaction under the access rules, audited; the API routes and the
command line against the server's database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from corpus import CORPUS
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from accord.api import create_app
from accord.casefile import bundled_case
from accord.cli.app import app
from accord.ingest import Review, make_review
from accord.services import Conflict, Forbidden, Invalid, NotFound, Services
from server_support import add_user, unique

ALIGNED = (CORPUS / "articles" / "wga-2023-09-09-aligned.txt").read_text()
SEPT_9 = dt.date(2023, 9, 9)


@pytest.fixture
def team(services: Services):
    """A copy of the WGA case on the server, with an admin, an observer and a WGA member."""
    case_id = unique("wga")
    services.cases.import_case(None, bundled_case("wga-amptp-2023").model_copy(update={"id": case_id}))
    people = {role: add_user(services, unique(role)) for role in ("admin", "observer", "writer", "outsider")}
    services.cases.set_member(None, case_id, people["admin"].username, "admin", None)
    services.cases.set_member(None, case_id, people["observer"].username, "observer", None)
    services.cases.set_member(None, case_id, people["writer"].username, "member", "wga")
    return case_id, people


def _review(services: Services, actor, case_id: str, text: str = ALIGNED) -> Review:
    return make_review(services.ingest.read(actor, case_id, text, published=SEPT_9, outlet="Screen Ledger"))


def _records(services: Services, case_id: str) -> set[str]:
    return {r.id for r in services.cases.export(None, case_id).records()}


def test_anyone_in_the_case_may_read_an_article_and_nothing_is_stored(services, team):
    case_id, people = team
    before = _records(services, case_id)
    review = _review(services, people["observer"], case_id)
    assert len(review.drafts) == 14 and review.case.id == case_id
    assert _records(services, case_id) == before
    with pytest.raises(NotFound):
        services.ingest.read(people["outsider"], case_id, ALIGNED, published=SEPT_9)
    with pytest.raises(Invalid, match="found no English sentence"):
        services.ingest.read(people["observer"], case_id, "Die Gewerkschaft streikt.", published=SEPT_9)


def test_apply_adds_the_source_and_records_audited_and_twice_changes_nothing(services, team):
    case_id, people = team
    admin = people["admin"]
    review = _review(services, admin, case_id)
    accepted = [d for d in review.drafts if d.accept]
    applied = services.ingest.apply(admin, case_id, review)
    assert not applied.unchanged and len(applied.records) == len(accepted)
    case = services.cases.view(admin, case_id)
    assert case.sources[-1].id == review.article.source_id and case.sources[-1].outlet == "Screen Ledger"
    added = [r for r in case.records() if r.id in applied.records]
    assert all(r.sources == (review.article.source_id,) for r in added)
    log = services.audit.entries(None, case_id=case_id, limit=50).items
    actions = [e.action for e in log]
    assert "ingest.apply" in actions and "source.add" in actions
    assert sum(
        1
        for e in log
        if e.action == "event.add" and (e.detail or {}).get("ingest") == review.article.source_id
    ) == len(accepted)
    assert all(e.actor == admin.username for e in log if e.action == "ingest.apply")
    version = services.cases.get(admin, case_id).version
    again = services.ingest.apply(admin, case_id, review)
    assert again.unchanged and again.records == ()
    assert services.cases.get(admin, case_id).version == version


def test_a_member_applies_only_what_their_party_did(services, team):
    case_id, people = team
    review = _review(services, people["writer"], case_id)
    # The AMPTP's request is on the record since issue 13 (request-amptp-2023-09-08-ai): the draft
    # is taken as new here, so that applying it would add a record of what the AMPTP did.
    ours = [d.party == "amptp" and d.kind.value == "request" for d in review.drafts]
    drafts = [
        d.model_copy(update={"accept": mine, "matches": None if mine else d.matches})
        for d, mine in zip(review.drafts, ours, strict=True)
    ]
    review = review.model_copy(update={"drafts": tuple(drafts)})
    assert any(d.accept for d in review.drafts)
    before = _records(services, case_id)
    with pytest.raises(Forbidden, match="may not record what amptp did"):
        services.ingest.apply(people["writer"], case_id, review)
    assert _records(services, case_id) == before
    assert review.article.source_id not in {s.id for s in services.cases.export(None, case_id).sources}
    with pytest.raises(NotFound):
        services.ingest.apply(people["outsider"], case_id, review)


def test_a_stale_review_is_refused_409_naming_the_conflicts(services, team):
    case_id, people = team
    admin = people["admin"]
    first = _review(services, admin, case_id)
    second = _review(services, admin, case_id)
    services.ingest.apply(admin, case_id, first)
    edited = tuple(d.model_copy(update={"summary": "Edited."}) if d.accept else d for d in second.drafts)
    before = _records(services, case_id)
    with pytest.raises(Conflict) as caught:
        services.ingest.apply(admin, case_id, second.model_copy(update={"drafts": edited}))
    assert "the case changed since the review" in caught.value.detail
    assert "was added to the case since the review" in caught.value.detail
    assert _records(services, case_id) == before


def test_the_api_reads_and_applies(services, team):
    case_id, people = team
    with TestClient(create_app(services)) as client:

        def headers(actor):
            token = services.users.create_token(None, actor.username, "t").secret
            return {"Authorization": f"Bearer {token}"}

        body = {"text": ALIGNED, "published": "2023-09-09", "outlet": "Screen Ledger"}
        read = client.post(f"/cases/{case_id}/ingest", json=body, headers=headers(people["observer"]))
        assert read.status_code == 200, read.text
        data = read.json()
        assert data["text"] == ALIGNED.strip() and len(data["review"]["drafts"]) == 14
        bad = client.post(
            f"/cases/{case_id}/ingest", json={**body, "text": "\x00\x01"}, headers=headers(people["observer"])
        )
        # refused at the API's edge by the one text rule, before the reader sees it
        assert bad.status_code == 422 and "U+0000 (NUL)" in bad.text
        refused = client.post(
            f"/cases/{case_id}/ingest/apply", json=data["review"], headers=headers(people["observer"])
        )
        assert refused.status_code == 403
        applied = client.post(
            f"/cases/{case_id}/ingest/apply", json=data["review"], headers=headers(people["admin"])
        )
        assert applied.status_code == 200, applied.text
        assert applied.json()["records"] and applied.json()["unchanged"] is False
        twice = client.post(
            f"/cases/{case_id}/ingest/apply", json=data["review"], headers=headers(people["admin"])
        )
        assert twice.json()["unchanged"] is True


def test_the_command_line_reads_and_applies_against_the_server(services, team, database_url, tmp_path: Path):
    case_id, _ = team
    runner = CliRunner()
    article = tmp_path / "a.txt"
    article.write_text(ALIGNED)
    review = tmp_path / "review.yaml"
    result = runner.invoke(
        app,
        [
            "ingest",
            case_id,
            str(article),
            "--published",
            "2023-09-09",
            "--database-url",
            database_url,
            "-o",
            str(review),
        ],
    )
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(review.read_text())["case"]["file"] is None
    result = runner.invoke(app, ["ingest", "--apply", str(review), "--database-url", database_url, "--json"])
    assert result.exit_code == 0, result.output
    assert services.cases.export(None, case_id).sources[-1].id.startswith("article-unknown-2023-09-09-")
    log = services.audit.entries(None, case_id=case_id, limit=10).items
    applied = next(e for e in log if e.action == "ingest.apply")
    assert applied.actor is None and applied.detail["records"]

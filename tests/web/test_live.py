"""Live pages (accord.web.live) on SQLite and PostgreSQL, through a real server: what each user's
event stream carries when records are written (a party's draft reaches only its party; an observer
sees the public record; a page as of a past date ignores later records), when the stream ends (a
role taken away, a sign-out), and how a bad or excessive request is refused (at once, 4xx)."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from live_support import SESSION_COOKIE, EventStream, serving

from accord.api import create_app
from accord.model import Event as RecordEvent
from accord.model import Proposal
from accord.services import Actor, Services
from accord.web import mount
from accord.web.live import LiveSettings
from server_support import World, unique

PASSWORD = "correct horse battery"
PER_USER = 3
ARRIVES_WITHIN = 2.0
"""Seconds from a write to the update on every page that follows the case (the issue's bound)."""


@pytest.fixture(scope="module")
def app(services: Services) -> Iterator[FastAPI]:
    application = create_app(services)
    # Sessions are rechecked every half second when nothing happens (5 s by default), so that the
    # tests of a sign-out need not wait; the version poll is the default.
    mount(application, services, live=LiveSettings(recheck=0.5, per_user=PER_USER))
    yield application
    application.state.dashboard_jobs.shutdown()


@pytest.fixture(scope="module")
def base_url(app: FastAPI) -> Iterator[str]:
    with serving(app) as url:
        yield url


def _secret(services: Services, actor: Actor) -> str:
    return services.users.login(actor.username, PASSWORD, client="live-test").secret


def _page(base_url: str, secret: str, path: str) -> tuple[str, dict[str, str]]:
    """The page at ``path`` and its live region's stream: URL, ``since`` and ``digest``."""
    response = httpx.get(base_url + path, cookies={SESSION_COOKIE: secret}, timeout=30)
    assert response.status_code == 200, response.text[:500]
    found = re.search(
        r'data-live-url="([^"]+)" data-live-since="(\d+)" data-live-digest="([0-9a-f]{32})"', response.text
    )
    assert found, "the page has no live region"
    return html.unescape(found.group(1)), {"since": found.group(2), "digest": found.group(3)}


def _follow(base_url: str, services: Services, actor: Actor, path: str) -> EventStream:
    """A page as ``actor`` sees it, followed by its stream (as the page's script opens it)."""
    secret = _secret(services, actor)
    url, params = _page(base_url, secret, path)
    stream = EventStream(base_url, url, secret, params=params)
    assert stream.status == 200, stream.body
    return stream


def _proposal(record_id: str, date: str, *, sender: str = "amptp", status: str = "tabled") -> Proposal:
    receiver = "wga" if sender != "wga" else "amptp"
    data: dict[str, Any] = {"id": record_id, "date": date, "from": sender, "to": receiver, "status": status}
    data["positions"] = {"pay": 5}
    return Proposal.model_validate(data)


@pytest.mark.parametrize("view", ["overview", "timeline"])
def test_a_draft_reaches_only_its_party_and_a_tabled_proposal_everyone(
    services: Services, world: World, base_url: str, view: str
) -> None:
    case = world.case_id
    path = f"/dashboard/cases/{case}" + ("/timeline" if view == "timeline" else "")
    roles = ("wga", "amptp", "netflix", "observer", "mediator", "admin")
    streams = {role: _follow(base_url, services, getattr(world, role), path) for role in roles}
    try:
        for role, stream in streams.items():
            assert stream.quiet(0.3) == [], f"{role}'s page was current, yet an update came"

        draft = f"draft.wga.{unique('d')}"
        services.records.add(world.wga, case, _proposal(draft, "2023-05-15", sender="wga", status="draft"))
        written = time.monotonic()
        update = streams["wga"].expect("update", ARRIVES_WITHIN)
        assert time.monotonic() - written < ARRIVES_WITHIN
        assert draft in update.html  # the party's own draft, on its own page
        for role in roles[1:]:  # several polls later, still nothing for anyone else
            assert streams[role].quiet(1.2 if role == roles[1] else 0.0) == [], role

        tabled = unique("p")
        services.records.add(world.mediator, case, _proposal(tabled, "2023-05-20"))
        written = time.monotonic()
        for role, stream in streams.items():
            update = stream.expect("update", ARRIVES_WITHIN)
            assert tabled in update.html, role
            assert (draft in update.html) == (role == "wga"), f"{role} was sent the WGA's draft"
            assert update.data["as_of"] == "2023-05-20"  # a page without a date follows the latest
        assert time.monotonic() - written < ARRIVES_WITHIN + 0.5
    finally:
        for stream in streams.values():
            stream.close()


def test_an_observer_is_sent_the_public_record_only(services: Services, world: World, base_url: str) -> None:
    case = world.case_id
    with _follow(base_url, services, world.observer, f"/dashboard/cases/{case}/timeline") as observer:
        draft = f"draft.amptp.{unique('d')}"
        services.records.add(world.amptp, case, _proposal(draft, "2023-05-16", status="draft"))
        assert observer.quiet(1.5) == []
        said = unique("We have a reply")
        event = {
            "id": unique("st"),
            "date": "2023-05-17",
            "kind": "statement",
            "party": "wga",
            "summary": said,
        }
        services.records.add(world.wga, case, _event(event))
        update = observer.expect("update", ARRIVES_WITHIN)
        assert said in update.html and draft not in update.html


def _event(data: dict[str, Any]) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(RecordEvent).validate_python(data)


def test_a_user_who_loses_their_role_is_sent_nothing_more(
    services: Services, world: World, base_url: str
) -> None:
    case = world.case_id
    with _follow(base_url, services, world.amptp, f"/dashboard/cases/{case}") as amptp:
        services.cases.remove_member(None, case, world.amptp.username)
        services.records.add(world.mediator, case, _proposal(unique("p"), "2023-05-21"))
        end = amptp.expect("end", ARRIVES_WITHIN)  # checked before the push: no update first
        assert end.data["reason"] == "no-access" and end.data["reconnect"] is False
        assert amptp.ended.wait(2)


def test_signing_out_ends_the_stream(services: Services, world: World, base_url: str) -> None:
    secret = _secret(services, world.mediator)
    url, params = _page(base_url, secret, f"/dashboard/cases/{world.case_id}")
    with EventStream(base_url, url, secret, params=params) as stream:
        assert stream.quiet(0.3) == []
        services.users.logout(secret)
        end = stream.expect("end", ARRIVES_WITHIN)  # the next recheck, without any write
        assert end.data["reason"] == "signed-out"


def test_a_page_as_of_a_past_date_changes_only_with_a_record_dated_by_then(
    services: Services, world: World, base_url: str
) -> None:
    case = world.case_id
    with _follow(
        base_url, services, world.mediator, f"/dashboard/cases/{case}/timeline?as_of=2023-04-15"
    ) as page:
        later = unique("p")
        services.records.add(world.mediator, case, _proposal(later, "2023-06-01"))
        assert page.quiet(1.5) == []  # what the page shows as of 15 April has not changed
        backdated = unique("p")
        services.records.add(world.mediator, case, _proposal(backdated, "2023-04-10"))
        update = page.expect("update", ARRIVES_WITHIN)  # known later, dated before: the view changed
        assert backdated in update.html and later not in update.html
        assert update.data["as_of"] == "2023-04-15"


def test_the_stream_rebuilds_exactly_what_the_page_shows(
    services: Services, world: World, base_url: str
) -> None:
    secret = _secret(services, world.wga)
    url, params = _page(base_url, secret, f"/dashboard/cases/{world.case_id}/timeline")
    with EventStream(base_url, url, secret) as stream:  # no digest: the first round sends the region
        update = stream.expect("update", ARRIVES_WITHIN)
    assert update.data["digest"] == params["digest"]
    assert str(update.data["version"]) == params["since"]


def test_a_client_that_does_not_ask_for_a_stream_gets_one_round(
    services: Services, world: World, base_url: str
) -> None:
    secret = _secret(services, world.observer)
    stream = EventStream(base_url, f"/dashboard/cases/{world.case_id}/live/overview", secret, accept="*/*")
    with stream:
        assert stream.expect("update", 5).html
        assert stream.expect("end", 5).data["reason"] == "once"
        assert stream.ended.wait(2)


def test_each_user_may_follow_a_few_pages_per_process(
    app: FastAPI, services: Services, world: World, base_url: str
) -> None:
    secret = _secret(services, world.sony)
    path = f"/dashboard/cases/{world.case_id}/live/timeline"
    streams = [EventStream(base_url, path, secret) for _ in range(PER_USER)]
    try:
        assert [s.status for s in streams] == [200] * PER_USER
        with EventStream(base_url, path, secret) as refused:
            assert refused.status == 429 and "live pages open" in refused.body
        with EventStream(base_url, path, _secret(services, world.netflix)) as other:
            assert other.status == 200  # another user is not held back
        streams.pop().close()
        deadline = time.monotonic() + 5
        while True:  # the server lets a closed stream go as soon as it notices
            with EventStream(base_url, path, secret) as again:
                if again.status == 200:
                    break
            assert time.monotonic() < deadline, "a closed stream still counts against the limit"
            time.sleep(0.1)
    finally:
        for stream in streams:
            stream.close()
    deadline = time.monotonic() + 5
    while app.state.dashboard_live.open_streams:  # every stream let go: nothing leaks
        assert time.monotonic() < deadline, app.state.dashboard_live.open_streams
        time.sleep(0.05)


def test_a_stream_ends_after_its_lifetime_and_the_page_reconnects(services: Services, world: World) -> None:
    application = create_app(services)
    mount(application, services, live=LiveSettings(lifetime=0.5))
    secret = _secret(services, world.observer)
    path = f"/dashboard/cases/{world.case_id}/live/timeline"
    with serving(application) as url, EventStream(url, path, secret) as stream:
        assert stream.expect("update", 5).html  # no digest given: the region first
        end = stream.expect("end", 3)
        assert end.data["reason"] == "renew" and end.data["reconnect"] is True
        assert stream.ended.wait(2)
    application.state.dashboard_jobs.shutdown()


@pytest.mark.parametrize(
    ("suffix", "status"),
    [
        ("/live/analysis", 404),
        ("/live/overview?as_of=2023-02-30", 422),
        ("/live/overview?as_of=yesterday", 422),
        ("/live/overview?since=-1", 422),
        ("/live/overview?since=99999999999999999999999", 422),
        ("/live/overview?digest=%3Cscript%3E", 422),
        ("/live/overview?as_of=%00", 422),
    ],
)
def test_a_bad_request_is_refused_at_once(
    services: Services, world: World, base_url: str, suffix: str, status: int
) -> None:
    secret = _secret(services, world.mediator)
    started = time.monotonic()
    with EventStream(base_url, f"/dashboard/cases/{world.case_id}{suffix}", secret) as stream:
        assert stream.status == status, stream.body[:300]
    assert time.monotonic() - started < 2


def test_no_session_and_no_role_are_refused(services: Services, world: World, base_url: str) -> None:
    path = f"/dashboard/cases/{world.case_id}/live/overview"
    with EventStream(base_url, path, None) as anonymous:
        assert anonymous.status == 401
    with EventStream(base_url, path, "acc_not-a-session") as forged:
        assert forged.status == 401
    with EventStream(base_url, path, _secret(services, world.outsider)) as outsider:
        assert outsider.status == 404  # as if the case did not exist
    with EventStream(
        base_url, "/dashboard/cases/no-such-case/live/overview", _secret(services, world.wga)
    ) as none:
        assert none.status == 404

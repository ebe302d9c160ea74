"""The dashboard's page of preferences fitted from ratings, over the demo: a member of the WGA rates
the packages it shows, and the fit is stored as the WGA's private preferences; no one else may open
the page, send it, or read what it stored."""

from __future__ import annotations

import re

import pytest
from web_support import BASE, WGA, Dashboard

from accord.casefile.prefsfile import case_with_preferences
from accord.casefile.ratings import loads_ratings
from accord.prefs import utility
from accord.services import Forbidden, PrivateKind
from dashboard_matrix import csrf

PAGE = f"{BASE}/cases/{WGA}/preferences/wga/fit"


def _actor(dashboard: Dashboard, username: str):
    users = dashboard.services.users
    return users.authenticate(users.create_token(None, username, "test").secret)


def _rated_form(page: str) -> dict[str, str]:
    """The page's hidden values, and each package rated by the bundled WGA model."""
    case, prefs = case_with_preferences(WGA)
    fields = dict(re.findall(r'<input type="hidden" name="(p-\d+-[a-z_]+)" value="([^"]*)">', page))
    numbers = sorted({int(name.split("-")[1]) for name in fields})
    header = [issue.id for issue in case.issues]
    for number in numbers:
        line = ",".join(fields[f"p-{number}-{issue_id}"] for issue_id in header)
        (package,) = loads_ratings(f"{','.join(header)},rating\n{line},0\n", "page", case).packages
        fields[f"rating-{number}"] = f"{100 * utility(prefs.model('wga'), case.issues, package):.1f}"
    return fields


def test_a_member_rates_the_packages_and_the_fit_is_stored_for_its_party(dashboard: Dashboard) -> None:
    client = dashboard.signed_in("writer")
    overview = client.get(f"{BASE}/cases/{WGA}").text
    assert f'href="{PAGE}"' in overview  # the case's navigation links the member's own page
    page = client.get(PAGE)
    assert page.status_code == 200
    assert page.text.count('name="rating-') == 35  # 31 parameters of the WGA case's model, and 4 more
    fields = _rated_form(page.text)
    before = dashboard.services.private.get(_actor(dashboard, "writer"), WGA, "wga", PrivateKind.PREFERENCES)
    sent = client.post(PAGE, data={"csrf_token": csrf(page.text), "version": str(before.version), **fields})
    assert sent.status_code == 200, sent.text
    assert f"Saved: version {before.version + 1} of WGA" in sent.text
    stale = client.post(PAGE, data={"csrf_token": csrf(page.text), "version": str(before.version), **fields})
    assert stale.status_code == 409 and "saved its preferences since this page was opened" in stale.text
    assert "Kendall tau" in sent.text
    stored = dashboard.services.private.get(_actor(dashboard, "writer"), WGA, "wga", PrivateKind.PREFERENCES)
    assert stored.version == before.version + 1
    assert stored.payload["label"] == "WGA (fitted from 35 ratings)" and stored.updated_by is not None


def test_bad_ratings_are_shown_at_their_rows_and_nothing_is_stored(dashboard: Dashboard) -> None:
    client = dashboard.signed_in("writer")
    page = client.get(PAGE).text
    before = dashboard.services.private.get(
        _actor(dashboard, "writer"), WGA, "wga", PrivateKind.PREFERENCES
    ).version
    fields = _rated_form(page)
    fields["rating-3"] = "130"
    fields["p-5-ai"] = "robots"
    sent = client.post(PAGE, data={"csrf_token": csrf(page), **fields})
    assert sent.status_code == 422
    assert "expected a number from 0 to 100, got &#39;130&#39;" in sent.text
    assert "ai: unknown provision(s) [&#39;robots&#39;]" in sent.text
    unknown = client.post(PAGE, data={"csrf_token": csrf(page), "issues": "min_pay,pay", **_rated_form(page)})
    assert unknown.status_code == 422 and "unknown issue(s) [&#39;pay&#39;]" in unknown.text
    few = {
        k: v
        for k, v in _rated_form(page).items()
        if not k.startswith("rating-") or int(k.split("-")[1]) <= 10
    }
    short = client.post(PAGE, data={"csrf_token": csrf(page), **few})
    assert short.status_code == 422  # the levels the 10 rated packages hold: 27 parameters
    assert (
        "10 rated packages, but the model has 27 parameters (1 for the ratings&#39; floor, min_pay 3"
        in short.text
    )
    assert "rate at least 27 packages" in short.text
    assert (
        dashboard.services.private.get(
            _actor(dashboard, "writer"), WGA, "wga", PrivateKind.PREFERENCES
        ).version
        == before
    )


@pytest.mark.parametrize("username", ["studio", "mediator"])
def test_no_one_else_may_open_or_send_the_page(dashboard: Dashboard, username: str) -> None:
    member = dashboard.signed_in("writer").get(PAGE).text
    client = dashboard.signed_in(username)
    assert client.get(PAGE).status_code == 403
    form = client.get(f"{BASE}/cases/{WGA}").text
    assert client.post(PAGE, data={"csrf_token": csrf(form), **_rated_form(member)}).status_code == 403
    own = client.get(f"{BASE}/cases/{WGA}").text
    assert "/preferences/wga/fit" not in own


def test_what_the_member_stored_stays_private_to_its_party(dashboard: Dashboard) -> None:
    client = dashboard.signed_in("writer")
    page = client.get(PAGE).text
    assert client.post(PAGE, data={"csrf_token": csrf(page), **_rated_form(page)}).status_code == 200
    private = dashboard.services.private
    mine = private.get(_actor(dashboard, "writer"), WGA, "wga", PrivateKind.PREFERENCES)
    assert mine.payload["label"].startswith("WGA (fitted from")
    with pytest.raises(Forbidden):
        private.get(_actor(dashboard, "studio"), WGA, "wga", PrivateKind.PREFERENCES)
    with pytest.raises(Forbidden):  # nor write it through the service behind the page
        dashboard.services.preference_fit.fit(
            _actor(dashboard, "studio"), WGA, "wga", [], expected_version=None
        )

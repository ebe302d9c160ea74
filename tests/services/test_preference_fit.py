"""Preferences fitted from a member's ratings (services.preference_fit), on both backends: stored as
the party's private preferences, by its own members only, versioned like any preferences."""

from __future__ import annotations

import pytest

from accord.model import PreferenceModel
from accord.services import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    PreconditionRequired,
    PrivateKind,
    Services,
)
from dashboard_matrix import ratings_form


def _rows(fields: dict[str, str]) -> list[tuple[dict[str, str], str]]:
    numbers = sorted({int(k.split("-")[1]) for k in fields if k.startswith("rating-")})
    return [
        ({issue: fields[f"p-{n}-{issue}"] for issue in ("pay", "staffing", "ai")}, fields[f"rating-{n}"])
        for n in numbers
    ]


def test_a_member_fits_and_stores_its_partys_preferences(services: Services, world) -> None:
    form = services.preference_fit.form(world.wga, world.case_id, "wga")
    assert form.version == 0 and len(form.packages) == 13  # 9 parameters of the sample case's model, 4 more
    fitted = services.preference_fit.fit(
        world.wga, world.case_id, "wga", _rows(ratings_form()), expected_version=None
    )
    assert fitted.stored.version == 1 and fitted.fit.quality.kendall_tau == 1.0
    model = PreferenceModel.model_validate(
        services.private.get(world.wga, world.case_id, "wga", PrivateKind.PREFERENCES).payload
    )
    assert model.label == "WGA (fitted from 13 ratings)" and model.weights["pay"] == pytest.approx(
        0.5, abs=0.01
    )
    rows = _rows(ratings_form())
    with pytest.raises(PreconditionRequired):  # saved meanwhile, by a teammate: no silent overwrite
        services.preference_fit.fit(world.wga, world.case_id, "wga", rows, expected_version=None)
    again = services.preference_fit.fit(world.wga, world.case_id, "wga", rows, expected_version=1)
    assert again.stored.version == 2
    with pytest.raises(Conflict):  # the page showed version 1, but version 2 is there now
        services.preference_fit.fit(world.wga, world.case_id, "wga", rows, expected_version=1)
    for actor in (world.amptp, world.mediator, world.observer, world.admin, world.netflix):
        with pytest.raises(Forbidden):
            services.private.get(actor, world.case_id, "wga", PrivateKind.PREFERENCES)


def test_no_one_but_the_partys_members_may_fit_it(services: Services, world) -> None:
    for actor in (world.amptp, world.mediator, world.observer, world.admin, world.server_admin, world.sony):
        with pytest.raises(Forbidden):
            services.preference_fit.form(actor, world.case_id, "wga")
        with pytest.raises(Forbidden):
            services.preference_fit.fit(
                actor, world.case_id, "wga", _rows(ratings_form()), expected_version=None
            )
    with pytest.raises(NotFound):
        services.preference_fit.form(world.outsider, world.case_id, "wga")
    with pytest.raises(NotFound):
        services.preference_fit.form(world.wga, world.case_id, "nobody")


def test_bad_rows_are_named_and_nothing_is_stored(services: Services, world) -> None:
    rows = _rows(ratings_form())
    rows[2] = ({**rows[2][0], "staffing": "lots"}, "150")
    with pytest.raises(Invalid) as caught:
        services.preference_fit.fit(world.wga, world.case_id, "wga", rows, expected_version=None)
    assert {(p.field, p.message) for p in caught.value.problems} == {
        ("package-3", "staffing: expected one of ['none', 'some', 'full'], got 'lots'"),
        ("rating-3", "expected a number from 0 to 100, got '150'"),
    }
    with pytest.raises(Invalid) as few:
        services.preference_fit.fit(
            world.wga, world.case_id, "wga", _rows(ratings_form())[:5], expected_version=None
        )
    (problem,) = few.value.problems
    assert problem.field == "ratings" and "rate at least" in problem.message
    with pytest.raises(NotFound):
        services.private.get(world.wga, world.case_id, "wga", PrivateKind.PREFERENCES)

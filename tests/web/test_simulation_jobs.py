"""Simulations of a case: the scenario agrees with the preference models, jobs run in the
background and belong to whoever started them."""

from __future__ import annotations

import datetime as dt
import time

import numpy as np
import pytest
from fastapi import FastAPI
from hypothesis import given, settings
from hypothesis import strategies as st
from web_support import WGA, Dashboard

from accord.api import create_app
from accord.casefile import bundled_case
from accord.prefs import utility
from accord.services import Actor, Invalid, NotFound, Services
from accord.services.demo import demo_preferences
from accord.services.simulation_jobs import SimulationJobs, SimulationRequest
from accord.sim.scenarios.stated import ScenarioProblem, case_scenario, stated_options
from accord.web import mount
from accord.web.forms import FormData
from accord.web.simulate import parse_request

CASE = bundled_case(WGA)
PREFS = demo_preferences(CASE)
assert PREFS is not None
SIDES = [PREFS.model("wga"), PREFS.model("amptp")]  # the scenario's columns, in the case's side order
SCENARIO = case_scenario(CASE, dt.date(2023, 9, 8), list(PREFS.models))


def test_the_space_is_made_of_the_positions_on_the_table() -> None:
    options = stated_options(CASE, dt.date(2023, 9, 8), ("wga", "amptp"))
    assert options["min_pay"] == (9.3, 13.0, 16.9)
    assert "health_pension" not in options  # no value was ever stated on it
    assert SCENARIO.n_outcomes == int(np.prod([len(v) for v in options.values()]))
    assert SCENARIO.calendar.start_day == 129  # the strike days completed by then


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=SCENARIO.n_outcomes - 1))
def test_every_packages_utility_is_the_models_utility(outcome: int) -> None:
    assert SCENARIO.packages is not None
    package = SCENARIO.packages.decode(outcome)
    for column, model in enumerate(SIDES):
        assert SCENARIO.U[outcome, column] == pytest.approx(utility(model, CASE.issues, package))


def test_a_scenario_needs_both_sides_models() -> None:
    with pytest.raises(ScenarioProblem) as caught:
        case_scenario(CASE, dt.date(2023, 9, 8), SIDES[:1])
    assert caught.value.field == "preferences"


def _actor(dashboard: Dashboard, name: str) -> Actor:
    user = dashboard.services.users.get(name)
    return Actor(user.id, user.username, user.is_admin)


def test_a_sweep_job_runs_and_only_its_owner_sees_it(dashboard: Dashboard) -> None:
    jobs = SimulationJobs(dashboard.services)
    mediator = _actor(dashboard, "mediator")
    request = SimulationRequest(
        "sweep", dt.date(2023, 9, 8), ("boulware", "linear"), n_rounds=30, values=(0.0, 0.002, 0.004)
    )
    job = jobs.start(mediator, WGA, request)
    deadline = time.monotonic() + 30
    while not job.finished:
        assert time.monotonic() < deadline
        time.sleep(0.05)
        job = jobs.get(mediator, WGA, job.id)
    assert job.state == "done" and job.done == job.total == 3
    assert [found["value"] for found in job.outcomes] == [0.0, 0.002, 0.004]
    assert jobs.of(mediator, WGA) == [job]
    with pytest.raises(NotFound):
        jobs.get(_actor(dashboard, "studio"), WGA, job.id)
    jobs.shutdown()


def test_a_member_cannot_simulate_with_a_model_it_may_not_see(dashboard: Dashboard) -> None:
    jobs = SimulationJobs(dashboard.services)
    with pytest.raises(Invalid) as caught:
        jobs.start(
            _actor(dashboard, "studio"),
            WGA,
            SimulationRequest("replay", dt.date(2023, 9, 8), ("boulware", "boulware")),
        )
    assert "a simulation needs the preferences of ['wga']" in caught.value.detail
    jobs.shutdown()


def test_a_bad_request_names_each_field(dashboard: Dashboard) -> None:
    jobs = SimulationJobs(dashboard.services)
    bad = SimulationRequest(
        "sweep", dt.date(2023, 9, 8), ("boulware", "nosuch"), n_rounds=0, parameter="mood", values=(1.0,)
    )
    with pytest.raises(Invalid) as caught:
        jobs.start(_actor(dashboard, "mediator"), WGA, bad)
    assert {p.field for p in caught.value.problems} == {"strategies[1]", "n_rounds", "parameter", "values"}
    jobs.shutdown()


def _sweep_form(**fields: str) -> FormData:
    form = {"kind": "sweep", "as_of": "2023-09-08", "strategy_a": "boulware", "strategy_b": "boulware"}
    form |= {"n_rounds": "30", "seed": "0", "column": "0", "count": "5", **fields}
    return FormData(list(form.items()))


def test_a_sweep_form_out_of_range_names_the_end_at_fault() -> None:
    with pytest.raises(Invalid) as caught:
        parse_request(_sweep_form(parameter="discount", low="0", high="1.5"))
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("low", "discount: expected a number in (0, 1], got 0.0"),
        ("high", "discount: expected a number in (0, 1], got 1.5"),
    ]
    with pytest.raises(Invalid) as caught:  # a number that is no number is named once, as such
        parse_request(_sweep_form(parameter="daily_cost", low="lots", high="-1"))
    assert [p.field for p in caught.value.problems] == ["low", "high"]
    assert caught.value.problems[0].message == "expected a number, got 'lots'"
    request = parse_request(_sweep_form(parameter="daily_cost", low="0", high="0.004"))
    assert request.values == (0.0, 0.001, 0.002, 0.003, 0.004)


def test_the_dashboard_on_the_api_shares_its_simulation_pool(dashboard: Dashboard) -> None:
    """One pool per server process (shut down with the API's lifespan); a dashboard mounted on
    an app without the API, or over other services, keeps its own."""
    assert dashboard.app.state.dashboard_jobs is dashboard.app.state.simulations
    alone = FastAPI()
    mount(alone, dashboard.services)
    assert isinstance(alone.state.dashboard_jobs, SimulationJobs)
    other = create_app(Services(dashboard.services.db))
    mount(other, dashboard.services)
    assert other.state.dashboard_jobs is not other.state.simulations
    for app in (alone, other):
        app.state.dashboard_jobs.shutdown()
    other.state.simulations.shutdown()


def test_the_simulation_form_refuses_a_date_after_the_settlement_unless_a_counterfactual(
    dashboard: Dashboard,
) -> None:
    from web_support import BASE

    from dashboard_matrix import csrf

    client = dashboard.signed_in("mediator")
    form = client.get(f"{BASE}/cases/{WGA}/simulation")
    assert 'name="as_of" value="2023-09-23"' in form.text  # the day before the settlement
    data = {
        "csrf_token": csrf(form.text),
        "kind": "replay",
        "as_of": "2024-01-01",
        "strategy_a": "boulware",
        "strategy_b": "boulware",
        "n_rounds": "5",
        "seed": "0",
    }
    refused = client.post(f"{BASE}/cases/{WGA}/simulation", data=data)
    assert refused.status_code == 422
    assert "the negotiation settled on 2023-09-24 (TA wga-ta-2023-09-24)" in refused.text
    started = client.post(f"{BASE}/cases/{WGA}/simulation", data={**data, "counterfactual": "on"})
    assert started.status_code == 303, started.text[-500:]
    page = client.get(started.headers["location"])
    assert "counterfactual: the negotiation settled on 2023-09-24 (TA wga-ta-2023-09-24)" in page.text

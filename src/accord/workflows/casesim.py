"""Simulating a recorded case: replays from a date, pattern bargaining, sweeps of one assumption.

Each use case returns plain JSON data (the shape the CLI's ``--json`` prints; documented in
``docs/reference/simulate.md``). Every report carries ``assumptions``: the notice that the
preference models are assumptions and the parties whose models say so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from accord.ledger.settlement import counterfactual_note
from accord.model import Case, PreferenceSet, Value
from accord.sim.cases.case_replay import Replay, actual_settlement, package_distances, replay
from accord.sim.cases.pattern import PatternComparison, compare_pattern
from accord.sim.engine.arrays import DEFAULT_ARRAYS, ArraySpec
from accord.sim.runs.runners import Runner
from accord.sim.runs.sweep import sweep
from accord.sim.runs.tournament import Table
from accord.sim.scenarios.from_case import CaseScenario, Package, scenario_from_case
from accord.sim.strategies.base import Strategy

PROTOCOLS = ("alternating", "mediated", "pattern")

NOTICE = (
    "ASSUMPTIONS: the preference models (issue weights, values, reservation values, daily strike "
    "costs) are illustrative assumptions, not statements by the parties; the simulation shows what "
    "those assumptions imply, not what the parties wanted or will do."
)


def jsonable_value(value: Value) -> Any:
    """A position as JSON: provision sets as sorted lists."""
    return sorted(value) if isinstance(value, frozenset) else value


def jsonable_package(package: Package | None) -> dict[str, Any] | None:
    return None if package is None else {k: jsonable_value(v) for k, v in package.items()}


def _assumptions(built: CaseScenario) -> dict[str, Any]:
    return {"notice": NOTICE, "assumed_models": list(built.assumed)}


def _strike_day(built: CaseScenario, day: int) -> int | None:
    return day + 1 if built.stoppage is not None else None


def _setting(built: CaseScenario, seed: int, rounds: int) -> dict[str, Any]:
    return {
        "case": built.case_id,
        "from": built.from_date.isoformat() if built.from_date else None,
        "union": built.union,
        "counterpart": built.counterpart,
        "members": list(built.members),
        "seed": seed,
        "rounds": rounds,
        "days_per_round": built.scenario.calendar.days_per_round,
        "start": {
            "strike_days_completed": built.start_day,
            "strike_day": _strike_day(built, built.start_day),
            "stoppage": built.stoppage,
        },
        "openings": {
            side.name: jsonable_package(o)
            for side, o in zip(built.scenario.sides, built.openings, strict=False)
        },
        "filled": [
            {"party": f.party, "issue": f.issue, "value": jsonable_value(f.value), "reason": f.reason}
            for f in built.filled
        ],
        "space": {
            "packages": built.scenario.n_outcomes,
            "options": {
                i: [jsonable_value(v) for v in opts]
                for i, opts in zip(
                    built.scenario.packages.issue_ids, built.scenario.packages.options, strict=True
                )
            }
            if built.scenario.packages
            else {},
        },
    }


def _actual(built: CaseScenario, case: Case) -> dict[str, Any] | None:
    actual = actual_settlement(case, built.union, built.counterpart)
    if actual is None:
        return None
    return {
        "agreement": actual.agreement_id,
        "date": actual.date.isoformat(),
        "strike_day": actual.strike_day,
        "terms": jsonable_package(actual.terms),
    }


def replay_report(result: Replay, case: Case) -> dict[str, Any]:
    """The JSON report of a replay (alternating offers or mediated)."""
    built = result.built
    settlement = None
    if result.settlement is not None:
        settlement = {
            "package": jsonable_package(result.settlement),
            "round": result.round,
            "date": result.date.isoformat() if result.date else None,
            "strike_day": result.strike_day,
            "strike_days_completed": result.day,
            "utilities": result.utilities,
        }
    return {
        "assumptions": _assumptions(built),
        "protocol": result.protocol,
        **_setting(built, result.seed, result.n_rounds),
        "strategies": dict(zip([s.name for s in built.scenario.sides], result.strategies, strict=True)),
        "outcome": result.reason,
        "ended": {
            "round": result.round,
            "date": result.date.isoformat() if result.date else None,
            "strike_day": result.strike_day,
        },
        "settlement": settlement,
        "actual": _actual(built, case),
        "distances": [
            {
                "issue": d.issue,
                "predicted": jsonable_value(d.predicted),
                "actual": jsonable_value(d.actual),
                "distance": d.distance,
            }
            for d in result.distances
        ],
        "mean_distance": result.mean_distance,
    }


def check_settled(case: Case, from_date: dt.date | None, counterfactual: bool) -> str | None:
    """The counterfactual label of a simulation from ``from_date``: ``None`` while the talks are
    unsettled; a ``ValueError`` naming the settlement when they had settled by then, unless the
    caller asks for a counterfactual (then the label says which settlement it sets aside).

    Examples
    --------
    >>> from accord.casefile import resolve_case
    >>> check_settled(resolve_case("wga-amptp-2023"), dt.date(2024, 1, 1), True)
    'counterfactual: the negotiation settled on 2023-09-24 (TA wga-ta-2023-09-24)'
    """
    note = None if from_date is None else counterfactual_note(case, from_date)
    if note is not None and not counterfactual:
        raise ValueError(
            f"--from {from_date}: {note.removeprefix('counterfactual: ')}; "
            "pass --counterfactual to simulate from then anyway"
        )
    return note


def simulate_case(
    case: Case,
    prefs: PreferenceSet,
    from_date: dt.date | None,
    strategies: Sequence[Strategy],
    *,
    protocol: str = "alternating",
    seed: int = 0,
    rounds: int = 100,
    days_per_round: float = 1.0,
    members: bool = False,
    mode: str = "sequence",
    concept: str = "nash",
    max_levels: int = 9,
    counterfactual: bool = False,
) -> dict[str, Any]:
    """Simulate ``case`` from ``from_date`` under ``protocol`` (one of :data:`PROTOCOLS`) and
    report it against the record. ``pattern`` always seats the coalition's members. From a date
    on which the talks had settled, only as a ``counterfactual`` (:func:`check_settled`); the
    report's ``counterfactual`` labels it."""
    if protocol not in PROTOCOLS:
        raise ValueError(f"unknown protocol {protocol!r}; expected one of {list(PROTOCOLS)}")
    note = check_settled(case, from_date, counterfactual)
    built = scenario_from_case(
        case,
        prefs,
        from_date,
        members=members or protocol == "pattern",
        days_per_round=days_per_round,
        max_levels=max_levels,
    )
    if protocol == "pattern":
        return _labelled(pattern_report(built, case, strategies, rounds, seed=seed, mode=mode), note)
    result = replay(built, case, strategies, rounds, seed=seed, protocol=protocol, concept=concept)
    return _labelled(replay_report(result, case), note)


def _labelled(report: dict[str, Any], note: str | None) -> dict[str, Any]:
    """``report`` with its ``counterfactual`` label after ``from``."""
    labelled: dict[str, Any] = {}
    for key, value in report.items():
        labelled[key] = value
        if key == "from":
            labelled["counterfactual"] = note
    return labelled


def pattern_report(
    built: CaseScenario,
    case: Case,
    strategies: Sequence[Strategy],
    rounds: int,
    *,
    seed: int = 0,
    mode: str = "sequence",
) -> dict[str, Any]:
    """Separate deals with each member (pattern bargaining) next to the coalition negotiation."""
    scenario = built.scenario
    assert scenario.packages is not None
    comparison = compare_pattern(scenario, strategies, rounds, mode=mode, seed=seed)
    separate = comparison.separate
    last = separate.last_day
    pattern_day = next(
        (d.end_day for d in separate.deals if d.agreement == separate.pattern and not d.under_pattern), 0
    )
    return {
        "assumptions": _assumptions(built),
        "protocol": "pattern",
        "mode": mode,
        **_setting(built, seed, rounds),
        "strategies": {built.union: strategies[0].label(), built.counterpart: strategies[1].label()},
        "separate": {
            "pattern_member": separate.pattern_member,
            "pattern": _described(built, case, separate.pattern, pattern_day),
            "settled": separate.settled,
            "members": len(separate.deals),
            "strike_ends": {
                "strike_day": _strike_day(built, last) if last is not None else None,
                "date": (d.isoformat() if last is not None and (d := built.date_of_day(last)) else None),
            },
            "deals": _deals(built, comparison),
        },
        "coalition": {
            "outcome": comparison.coalition.reason,
            "settlement": _described(built, case, comparison.coalition.agreement, comparison.coalition_day),
            "strike_day": _strike_day(built, comparison.coalition_day),
        },
        "actual": _actual(built, case),
    }


def _described(built: CaseScenario, case: Case, outcome: int, day: int) -> dict[str, Any] | None:
    """A settlement of the simulation: its package, day, and distance from the actual one."""
    if outcome < 0:
        return None
    scenario = built.scenario
    actual = actual_settlement(case, built.union, built.counterpart)
    package = scenario.packages.decode(outcome) if scenario.packages else {}
    distances = package_distances(case, package, actual.terms) if actual else ()
    return {
        "package": jsonable_package(package),
        "date": (d.isoformat() if (d := built.date_of_day(day)) else None),
        "strike_day": _strike_day(built, day),
        "mean_distance": float(np.mean([x.distance for x in distances])) if distances else None,
        "distances": {x.issue: x.distance for x in distances},
    }


def _deals(built: CaseScenario, comparison: PatternComparison) -> list[dict[str, Any]]:
    """Each member's separate deal, and what each side gets from it and from the coalition deal."""
    packages = built.scenario.packages
    assert packages is not None
    deals = []
    for i, deal in enumerate(comparison.separate.deals):
        deals.append(
            {
                "member": deal.member,
                "outcome": deal.negotiation.reason,
                "under_pattern": deal.under_pattern,
                "start_strike_day": _strike_day(built, deal.start_day),
                "end_strike_day": _strike_day(built, deal.end_day),
                "end_date": (d.isoformat() if (d := built.date_of_day(deal.end_day)) else None),
                "package": jsonable_package(packages.decode(deal.agreement)) if deal.agreement >= 0 else None,
                "member_utility": {
                    "separate": _num(comparison.member_utility[i, 0]),
                    "coalition": _num(comparison.member_utility[i, 1]),
                },
                "union_utility": {
                    "separate": _num(comparison.union_utility[i, 0]),
                    "coalition": _num(comparison.union_utility[i, 1]),
                },
            }
        )
    return deals


def _num(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def sweep_case(
    case: Case,
    prefs: PreferenceSet,
    from_date: dt.date | None,
    strategies: Sequence[Strategy],
    party: str,
    parameter: str,
    values: Sequence[float],
    *,
    rounds: int = 100,
    days_per_round: float = 1.0,
    members: bool = False,
    seed: int = 0,
    arrays: ArraySpec = DEFAULT_ARRAYS,
    runner: Runner | None = None,
    counterfactual: bool = False,
) -> tuple[CaseScenario, Table]:
    """Replays of ``case`` from ``from_date`` with ``parameter`` of ``party``'s model set to each
    of ``values`` (see :func:`accord.sim.runs.sweep.sweep`, run on the array namespace ``arrays`` and
    the :class:`~accord.sim.runs.runners.Runner` ``runner``); adds ``strike_day`` and ``date`` columns.
    From a date on which the talks had settled, only as a ``counterfactual`` (:func:`check_settled`)."""
    check_settled(case, from_date, counterfactual)
    built = scenario_from_case(case, prefs, from_date, members=members, days_per_round=days_per_round)
    columns = built.scenario.columns
    if party not in columns:
        raise ValueError(f"unknown party {party!r} for this scenario; expected one of {list(columns)}")
    table = sweep(
        built.scenario,
        strategies,
        parameter,
        columns.index(party),
        values,
        rounds,
        seed=seed,
        arrays=arrays,
        runner=runner,
    )
    table["strike_day"] = np.array([_strike_day(built, int(d)) for d in table["day"]], dtype=object)
    table["date"] = np.array(
        [(d.isoformat() if (d := built.date_of_day(int(day))) else None) for day in table["day"]],
        dtype=object,
    )
    return built, table


def plot_sweep(table: Table, columns: Sequence[str], parameter: str, party: str, path: Path) -> Path:
    """Plotly HTML: each party's utility of the predicted settlement (left axis) and the strike
    day it is reached on (right axis), against the swept value."""
    from plotly.subplots import make_subplots

    x = np.asarray(table["value"], dtype=np.float64).tolist()
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    for name in columns:
        figure.add_scatter(
            x=x, y=_floats(table[f"utility_{name}"]), mode="lines+markers", name=f"utility of {name}"
        )
    day = (
        table["strike_day"]
        if "strike_day" in table and any(v is not None for v in table["strike_day"])
        else table["day"]
    )
    figure.add_scatter(
        x=x, y=_floats(day), mode="lines+markers", name="strike day of settlement", secondary_y=True
    )
    figure.update_layout(title=f"Predicted settlement as {party}'s {parameter} varies (assumed preferences)")
    figure.update_xaxes(title_text=f"{party}: {parameter}")
    figure.update_yaxes(title_text="utility of the settlement", secondary_y=False)
    figure.update_yaxes(title_text="strike day", secondary_y=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.write_html(str(path), include_plotlyjs=True, full_html=True)
    return path


def _floats(values: Any) -> list[float | None]:
    out: list[float | None] = []
    for v in values:
        f = float(v) if v is not None else float("nan")
        out.append(None if np.isnan(f) else f)
    return out

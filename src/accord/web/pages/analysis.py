"""The analysis pages: where the talks could land, from the preferences the viewer may see.

Shown from :mod:`accord.prefs`: each visible side's utility of every proposal's standing package
(:mod:`accord.web.pages.valuation`), the disagreement point after the stoppage so far, the zone
of possible agreement in utility space (both sides at or above their disagreement values), and
the coalition view (which members accept which package under the coalition's decision rule).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord import ledger
from accord.model import Case, Party, PreferenceModel
from accord.prefs import coalition_accepts, normalised_weights
from accord.web.pages.common import party_names
from accord.web.pages.timeline import LEGEND, PALETTE, party_colours
from accord.web.pages.valuation import Valuation, disagreement, valuations


@dataclass(frozen=True, slots=True)
class MemberVerdicts:
    """The coalition view: each visible member's accept/reject per package, and the verdict."""

    coalition: Party
    members: list[str]
    visible: list[str]
    rows: list[tuple[Valuation, list[bool], bool | None]]
    """(package, accepts per visible member, the coalition's verdict or ``None`` when a member's
    model is not visible)."""


@dataclass(frozen=True, slots=True)
class AnalysisPage:
    case: Case
    as_of: dt.date
    sides: tuple[str, str]
    names: dict[str, str]
    models: list[PreferenceModel]
    valued: list[Valuation]
    disagreements: dict[str, float]
    scatter: dict[str, Any] | None
    over_time: dict[str, Any] | None
    coalitions: list[MemberVerdicts]


def analysis_page(
    case: Case, as_of: dt.date, models: list[PreferenceModel], proposal_url: Callable[[str], str]
) -> AnalysisPage:
    """The analysis of ``case`` as of ``as_of`` over the ``models`` the viewer may see.

    With both sides' models: the outcome scatter (each proposal as a point, joined in time
    order) with the disagreement point and the zone of possible agreement; with any models: each
    side's utility over time.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t", parties=[{"id": "u", "name": "U", "kind": "union"}])
    >>> analysis_page(case, dt.date(2023, 1, 1), [], lambda p: p).scatter is None
    True
    """
    sides = ledger.sides(case)
    names = party_names(case)
    valued = valuations(case, as_of, models)
    by_party = {m.party: m for m in models}
    disagreements = {m.party: disagreement(case, as_of, m, sides) for m in models}
    scatter = None
    if sides[0] in by_party and sides[1] in by_party:
        scatter = outcome_scatter(valued, sides, names, party_colours(case), disagreements, proposal_url)
    over_time = utility_over_time(valued, models, names, proposal_url) if models and valued else None
    coalitions = [coalition_view(p, by_party, valued) for p in case.parties if p.members]
    return AnalysisPage(
        case,
        as_of,
        sides,
        names,
        models,
        valued,
        disagreements,
        scatter,
        over_time,
        [c for c in coalitions if c.visible],
    )


def outcome_scatter(
    valued: list[Valuation],
    sides: tuple[str, str],
    names: dict[str, str],
    colours: dict[str, str],
    disagreements: dict[str, float],
    proposal_url: Callable[[str], str],
) -> dict[str, Any]:
    """Proposals in utility space (x: side A, y: side B), joined in time order, with the
    disagreement point and the zone where both sides do at least as well as without a deal."""
    a, b = sides
    da, db = disagreements[a], disagreements[b]
    path = {
        "type": "scatter",
        "mode": "lines",
        "name": "path over time",
        "x": [v.utilities[a] for v in valued],
        "y": [v.utilities[b] for v in valued],
        "line": {"color": "#8c959f", "width": 1, "dash": "dot"},
        "hoverinfo": "skip",
    }
    data: list[dict[str, Any]] = [path]
    proposers = list(dict.fromkeys(v.proposal.from_party for v in valued))
    for index, party in enumerate(proposers):
        own = [v for v in valued if v.proposal.from_party == party]
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": f"{names.get(party, party)} proposals",
                "x": [v.utilities[a] for v in own],
                "y": [v.utilities[b] for v in own],
                "text": [f"{v.proposal.date:%b %d}" for v in own],
                "textposition": "top center",
                "customdata": [proposal_url(v.proposal.id) for v in own],
                "marker": {"size": 11, "color": colours.get(party, PALETTE[0]), "symbol": index},
                "hovertemplate": "%{text}: (%{x:.2f}, %{y:.2f})<extra>"
                + names.get(party, party)
                + "</extra>",
            }
        )
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "name": "disagreement point",
            "x": [da],
            "y": [db],
            "marker": {"size": 12, "symbol": "x", "color": "#24292f"},
            "hovertemplate": "no deal: (%{x:.2f}, %{y:.2f})<extra></extra>",
        }
    )
    zopa = {
        "type": "rect",
        "x0": max(da, 0.0),
        "y0": max(db, 0.0),
        "x1": 1,
        "y1": 1,
        "fillcolor": "rgba(26,127,55,0.10)",
        "line": {"color": "#1a7f37", "dash": "dash", "width": 1},
    }
    return {
        "data": data,
        "layout": {
            "xaxis": {"title": {"text": f"utility to {names.get(a, a)}"}, "range": [-0.05, 1.05]},
            "yaxis": {"title": {"text": f"utility to {names.get(b, b)}"}, "range": [-0.05, 1.05]},
            "shapes": [zopa],
            "annotations": [
                {
                    "x": 1,
                    "y": 1,
                    "xanchor": "right",
                    "yanchor": "top",
                    "text": "both better off than no deal",
                    "showarrow": False,
                    "font": {"color": "#1a7f37"},
                }
            ],
            "height": 480,
            "margin": {"l": 50, "r": 10, "t": 30, "b": 50},
            "legend": LEGEND,
        },
    }


def utility_over_time(
    valued: list[Valuation],
    models: list[PreferenceModel],
    names: dict[str, str],
    proposal_url: Callable[[str], str],
) -> dict[str, Any]:
    """Per visible side and per proposer: the side's utility of each proposal over time."""
    data = []
    index = 0
    for model in models:
        for proposer in dict.fromkeys(v.proposal.from_party for v in valued):
            own = [v for v in valued if v.proposal.from_party == proposer]
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": f"to {names.get(model.party, model.party)}: {names.get(proposer, proposer)}'s offers",
                    "x": [v.proposal.date.isoformat() for v in own],
                    "y": [v.utilities[model.party] for v in own],
                    "customdata": [proposal_url(v.proposal.id) for v in own],
                    "line": {"shape": "hv", "color": PALETTE[index % len(PALETTE)]},
                    "marker": {"size": 9, "symbol": index},
                    "hovertemplate": "%{x}: %{y:.2f}<extra></extra>",
                }
            )
            index += 1
    return {
        "data": data,
        "layout": {
            "xaxis": {"type": "date"},
            "yaxis": {"title": {"text": "utility"}, "range": [-0.05, 1.05]},
            "height": 380,
            "margin": {"l": 50, "r": 10, "t": 30, "b": 30},
            "legend": LEGEND,
        },
    }


def coalition_view(
    coalition: Party,
    models: dict[str, PreferenceModel],
    valued: list[Valuation],
) -> MemberVerdicts:
    """Which visible members accept each package (utility at least their reservation value) and,
    when every member's model is visible, the coalition's verdict under its decision rule."""
    members = list(coalition.members)
    visible = [m for m in members if m in models]
    rows: list[tuple[Valuation, list[bool], bool | None]] = []
    if not visible:
        return MemberVerdicts(coalition, members, visible, rows)
    reservations = np.array([models[m].reservation for m in visible])
    utilities = np.array([[v.utilities[m] for m in visible] for v in valued], dtype=float).reshape(
        len(valued), len(visible)
    )
    accepts = utilities >= reservations
    verdict = None
    if len(visible) == len(members) and coalition.decision_rule is not None and len(valued):
        verdict = coalition_accepts(coalition.decision_rule, visible, utilities, reservations).accepted
    for index, valuation in enumerate(valued):
        rows.append(
            (valuation, [bool(x) for x in accepts[index]], None if verdict is None else bool(verdict[index]))
        )
    return MemberVerdicts(coalition, members, visible, rows)


def weight_rows(model: PreferenceModel, issue_names: dict[str, str]) -> list[tuple[str, float]]:
    """The model's normalised issue weights, largest first, by issue name."""
    weights = normalised_weights(model)
    return sorted(((issue_names.get(k, k), w) for k, w in weights.items()), key=lambda kv: -kv[1])

"""The analysis charts: the outcome scatter (frontier, proposals over time, solutions, ZOPA) and
each visible side's utility of the proposals over time, as Plotly specs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accord.analysis.case_analysis import CaseAnalysis
from accord.analysis.solutions import CONCEPTS
from accord.web.pages.timeline import LEGEND, PALETTE
from accord.web.pages.valuation import Valuation

SOLUTION_SYMBOLS = {
    "nash": "star",
    "kalai_smorodinsky": "diamond",
    "egalitarian": "square",
    "utilitarian": "cross",
    "kalai_genius": "triangle-up",
}
ZOPA_FILL = "rgba(26,127,55,0.10)"
ZOPA_LINE = "#1a7f37"


def outcome_scatter(
    result: CaseAnalysis,
    names: dict[str, str],
    colours: dict[str, str],
    proposal_url: Callable[[str], str],
) -> dict[str, Any]:
    """Utility space (x: the first side, y: the second): the Pareto frontier as a staircase, the
    part of it inside the zone of possible agreement, each proposal (filled to a whole package)
    joined in time order, the four bargaining solutions and the disagreement point.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.analysis.case_analysis import analyze_case
    >>> from accord.model import Case, PreferenceSet
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     issues=[{"id": "pay", "name": "Pay", "type": "numeric", "unit": "%", "low": 0, "high": 4}],
    ...     proposals=[{"id": "p1", "date": "2023-05-01", "from": "u", "to": "e", "positions": {"pay": 4}}])
    >>> prefs = PreferenceSet(case="c", models=[
    ...     {"party": "u", "label": "U", "weights": {"pay": 1}, "values": {"pay": {"kind": "linear", "direction": "higher"}}},
    ...     {"party": "e", "label": "E", "weights": {"pay": 1}, "values": {"pay": {"kind": "linear", "direction": "lower"}}}])
    >>> spec = outcome_scatter(analyze_case(case, prefs, dt.date(2023, 6, 1)), {}, {}, lambda p: p)
    >>> [t["name"] for t in spec["data"]][:2], spec["data"][0]["x"]
    (['Pareto frontier', 'frontier inside the ZOPA'], [0.0, 0.25, 0.5, 0.75, 1.0])
    """
    a, b = result.side_a, result.side_b
    da, db = result.disagreement
    points = sorted(result.frontier.points)
    data = [
        *_frontier_traces(points, (da, db), result),
        *_proposal_traces(result, names, colours, proposal_url),
        *_solution_traces(result),
        {
            "type": "scatter",
            "mode": "markers",
            "name": "no deal (disagreement point)",
            "x": [da],
            "y": [db],
            "marker": {"size": 12, "symbol": "x", "color": "#24292f"},
            "hovertemplate": "no deal: (%{x:.3f}, %{y:.3f})<extra></extra>",
        },
    ]
    top_x = max((p[0] for p in points), default=1.0)
    top_y = max((p[1] for p in points), default=1.0)
    zopa = {
        "type": "rect",
        "x0": da,
        "y0": db,
        "x1": max(top_x, da),
        "y1": max(top_y, db),
        "fillcolor": ZOPA_FILL,
        "line": {"color": ZOPA_LINE, "dash": "dash", "width": 1},
        "layer": "below",
    }
    return {
        "data": data,
        "layout": {
            "xaxis": {"title": {"text": f"utility to {names.get(a, a)}"}, "range": [-0.05, 1.05]},
            "yaxis": {"title": {"text": f"utility to {names.get(b, b)}"}, "range": [-0.05, 1.05]},
            "shapes": [zopa] if result.zopa.count_high > 0 else [],
            "height": 520,
            "margin": {"l": 50, "r": 10, "t": 30, "b": 50},
            "legend": LEGEND,
        },
    }


def _frontier_traces(
    points: list[tuple[float, ...]], disagreement: tuple[float, float], result: CaseAnalysis
) -> list[dict[str, Any]]:
    """The frontier as a staircase, its part inside the ZOPA, and the proposals joined in time order."""
    da, db = disagreement
    inside = [p for p in points if p[0] >= da and p[1] >= db]
    return [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "Pareto frontier",
            "x": [p[0] for p in points],
            "y": [p[1] for p in points],
            "line": {"color": "#57606a", "width": 1.5, "shape": "vh"},
            "marker": {"size": 4, "color": "#57606a"},
            "hovertemplate": "frontier: (%{x:.3f}, %{y:.3f})<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "markers",
            "name": "frontier inside the ZOPA",
            "x": [p[0] for p in inside],
            "y": [p[1] for p in inside],
            "marker": {"size": 7, "color": ZOPA_LINE},
            "hovertemplate": "both better off than no deal: (%{x:.3f}, %{y:.3f})<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": "proposals over time",
            "x": [p.efficiency.utilities[0] for p in result.proposals],
            "y": [p.efficiency.utilities[1] for p in result.proposals],
            "line": {"color": "#8c959f", "width": 1, "dash": "dot"},
            "hoverinfo": "skip",
        },
    ]


def _proposal_traces(
    result: CaseAnalysis, names: dict[str, str], colours: dict[str, str], proposal_url: Callable[[str], str]
) -> list[dict[str, Any]]:
    """Each party's proposals, dated, linking to their pages."""
    traces = []
    for index, party in enumerate(dict.fromkeys(p.from_party for p in result.proposals)):
        own = [p for p in result.proposals if p.from_party == party]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": f"{names.get(party, party)} proposals",
                "x": [p.efficiency.utilities[0] for p in own],
                "y": [p.efficiency.utilities[1] for p in own],
                "text": [f"{p.date:%b %d}" for p in own],
                "textposition": "bottom center",
                "customdata": [proposal_url(p.proposal_id) for p in own],
                "marker": {"size": 11, "color": colours.get(party, PALETTE[index]), "symbol": index},
                "hovertemplate": "%{text}: (%{x:.3f}, %{y:.3f})<extra>"
                + names.get(party, party)
                + "</extra>",
            }
        )
    return traces


def _solution_traces(result: CaseAnalysis) -> list[dict[str, Any]]:
    """The bargaining solutions that exist, from the table (floors: the better of no deal and the
    offer each side holds; the Nash solution the largest marker)."""
    traces = []
    for solution in result.solutions:
        if not solution.points or solution.reading != "table":
            continue
        label = CONCEPTS[solution.concept].label
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{label} solution",
                "x": [p[0] for p in solution.points],
                "y": [p[1] for p in solution.points],
                "marker": {
                    "size": 15 if solution.concept == "nash" else 12,
                    "symbol": SOLUTION_SYMBOLS.get(solution.concept, "circle"),
                    "color": "#bf8700" if solution.concept == "nash" else "#8250df",
                    "line": {"width": 1, "color": "#1f2328"},
                },
                "hovertemplate": label + ": (%{x:.3f}, %{y:.3f})<extra></extra>",
            }
        )
    return traces


def utility_over_time(
    valued: list[Valuation],
    parties: list[str],
    names: dict[str, str],
    proposal_url: Callable[[str], str],
) -> dict[str, Any]:
    """Per visible side (``parties``) and per proposer: the side's utility of each proposal over time."""
    data = []
    index = 0
    for party in parties:
        for proposer in dict.fromkeys(v.proposal.from_party for v in valued):
            own = [v for v in valued if v.proposal.from_party == proposer]
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": f"to {names.get(party, party)}: {names.get(proposer, proposer)}'s offers",
                    "x": [v.proposal.date.isoformat() for v in own],
                    "y": [v.utilities[party] for v in own],
                    "customdata": [proposal_url(v.proposal.id) for v in own],
                    "line": {"shape": "hv", "color": PALETTE[index % len(PALETTE)]},
                    "marker": {"size": 9, "symbol": index},
                    "hovertemplate": "%{x}: %{y:.3f}<extra></extra>",
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

"""What proposals cost, on the dashboard: the costing table of a proposal's page and the chart of
both sides' proposals' yearly cost over time on the timeline (from
:class:`accord.services.SeenCosting`: the costing parameters the viewer may see)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accord.analysis.cost_estimates import EstimateComparison, estimate_text
from accord.analysis.cost_figures import money
from accord.analysis.costing import PackageCost
from accord.services import SeenCosting
from accord.web.pages.common import party_names
from accord.web.pages.timeline import LEGEND, PALETTE, party_colours

ESTIMATE_COLOUR = "#57606a"


@dataclass(frozen=True, slots=True)
class ProposalCost:
    """The costing section of a proposal's page.

    ``row`` is the proposal costed (``None``: no costing the viewer may see, or no figure);
    ``estimates`` the published ones that regard it; ``whose``: the costing's party, by name.
    """

    whose: str | None
    currency: str
    term_years: int
    items: tuple[str, ...]
    row: PackageCost | None
    estimates: tuple[EstimateComparison, ...]
    note: str | None

    def money(self, amount: float | None) -> str:
        return "–" if amount is None else money(amount, self.currency)

    def estimate(self, estimate: EstimateComparison) -> str:
        """The estimate as published: a bound, a range or one figure, and its basis."""
        return estimate_text(estimate, self.currency)

    def signed(self, amount: float | None) -> str:
        return "–" if amount is None else ("+" if amount >= 0 else "") + money(amount, self.currency)


def proposal_cost(seen: SeenCosting, proposal_id: str) -> ProposalCost | None:
    """The costing section of proposal ``proposal_id`` (``None`` when there is nothing to show:
    no costing the viewer may see and no estimate regarding it).

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.analysis.costing import case_costing
    >>> from accord.casefile.prefsfile import case_with_preferences
    >>> from accord.services import SeenCosting
    >>> case, prefs = case_with_preferences("wga-amptp-2023")
    >>> result = case_costing(case, prefs.costing, dt.date(2023, 9, 30))
    >>> seen = SeenCosting(case, dt.date(2023, 9, 30), "wga", ("wga",), result, (), None)
    >>> cost = proposal_cost(seen, "amptp-2023-05-01")
    >>> cost.whose, cost.money(cost.row.average), [e.figure for e in cost.estimates]
    ('WGA', '$41.3M', [86000000.0])
    """
    row = next((r for r in seen.result.packages if r.record == proposal_id), None)
    terms = seen.result.costing
    estimates = row.estimates if row else ()
    if terms is None and not estimates:
        return None
    names = party_names(seen.case)
    note = seen.note if terms is None else (row.note if row and row.total is None else None)
    return ProposalCost(
        whose=names.get(seen.party, seen.party) if seen.party else None,
        currency=terms.currency if terms else "USD",
        term_years=terms.term_years if terms else 0,
        items=terms.items if terms else (),
        row=row if row is not None and row.total is not None else None,
        estimates=estimates,
        note=note,
    )


def cost_chart(seen: SeenCosting, proposal_url: Callable[[str], str]) -> dict[str, Any] | None:
    """Each side's proposals' average yearly cost over time (a step line per proposer: an offer
    stands until its maker revises it), the tentative agreements, and the published yearly
    estimates regarding them, as a Plotly spec; ``None`` without figures to draw.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.analysis.costing import case_costing
    >>> from accord.casefile.prefsfile import case_with_preferences
    >>> from accord.services import SeenCosting
    >>> case, prefs = case_with_preferences("wga-amptp-2023")
    >>> result = case_costing(case, prefs.costing, dt.date(2023, 9, 30))
    >>> spec = cost_chart(SeenCosting(case, dt.date(2023, 9, 30), "wga", ("wga",), result, (), None), str)
    >>> [t["name"] for t in spec["data"]]
    ['WGA', 'AMPTP', 'tentative agreements', 'published estimates (a year)']
    """
    terms = seen.result.costing
    rows = [r for r in seen.result.packages if r.record is not None and r.average is not None]
    if terms is None or not rows:
        return None
    data = [
        *_proposal_traces(seen, rows, terms.currency, proposal_url),
        *_agreement_traces(rows, terms.currency),
        *_estimate_traces(rows, terms.currency),
    ]
    first = min(r.date for r in rows if r.date is not None)
    pad = dt.timedelta(days=5)
    layout: dict[str, Any] = {
        "xaxis": {"type": "date", "range": [(first - pad).isoformat(), (seen.as_of + pad).isoformat()]},
        "yaxis": {"title": {"text": f"{terms.currency} a year"}, "automargin": True, "rangemode": "tozero"},
        "margin": {"l": 10, "r": 10, "t": 30, "b": 30},
        "height": 320,
        "legend": LEGEND,
    }
    return {"data": data, "layout": layout}


def _proposal_traces(
    seen: SeenCosting, rows: list[PackageCost], currency: str, proposal_url: Callable[[str], str]
) -> list[dict[str, Any]]:
    """A step line per proposer: each proposal's average yearly cost, held up to the date shown."""
    case = seen.case
    short = {p.id: p.label for p in case.parties}
    colours = party_colours(case)
    data: list[dict[str, Any]] = []
    proposals = [r for r in rows if r.kind == "proposal"]
    for index, party in enumerate(dict.fromkeys(r.from_party for r in proposals)):
        own = [r for r in proposals if r.from_party == party]
        xs = [_day(r.date) for r in own] + [seen.as_of.isoformat()]  # held up to the date shown
        ys = [r.average for r in own] + [own[-1].average]
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": short.get(party or "", party),
                "x": xs,
                "y": ys,
                "line": {"shape": "hv", "color": colours.get(party or "", PALETTE[index % len(PALETTE)])},
                "marker": {"size": 10, "symbol": index},
                "customdata": [proposal_url(r.record or "") for r in own] + [None],
                "text": [_hover(r, currency) for r in own] + [""],
                "hovertemplate": "%{x}<br>%{text}<extra>" + short.get(party or "", str(party)) + "</extra>",
            }
        )
    return data


def _agreement_traces(rows: list[PackageCost], currency: str) -> list[dict[str, Any]]:
    """The tentative agreements at their average yearly cost (no trace without one)."""
    agreements = [r for r in rows if r.kind == "agreement"]
    if not agreements:
        return []
    return [
        {
            "type": "scatter",
            "mode": "markers",
            "name": "tentative agreements",
            "x": [_day(r.date) for r in agreements],
            "y": [r.average for r in agreements],
            "marker": {"size": 14, "symbol": "star", "color": "#1a7f37"},
            "text": [_hover(r, currency) for r in agreements],
            "hovertemplate": "%{x}<br>%{text}<extra>agreement</extra>",
        }
    ]


def _estimate_traces(rows: list[PackageCost], currency: str) -> list[dict[str, Any]]:
    """The published yearly estimates of the whole cost regarding the packages (no trace without
    one)."""
    published = [
        (r, e)
        for r in rows
        for e in r.estimates
        if e.basis == "per_year" and e.party is None and e.figure is not None
    ]
    if not published:
        return []
    return [
        {
            "type": "scatter",
            "mode": "markers",
            "name": "published estimates (a year)",
            "x": [(e.date.isoformat() if e.date else _day(r.date)) for r, e in published],
            "y": [e.figure for _, e in published],
            "marker": {
                "size": 11,
                "symbol": "circle-open",
                "color": ESTIMATE_COLOUR,
                "line": {"width": 2},
            },
            "text": [f"{e.label} ({e.by}): {money(e.figure or 0, currency)} a year" for _, e in published],
            "hovertemplate": "%{x}<br>%{text}<extra>estimate</extra>",
        }
    ]


def _day(date: dt.date | None) -> str | None:
    return None if date is None else date.isoformat()


def _hover(row: PackageCost, currency: str) -> str:
    years = " / ".join(money(a, currency) for a in row.annual)
    return f"{row.record}: {money(row.average or 0, currency)} a year ({years})"

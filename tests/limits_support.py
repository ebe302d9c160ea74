"""A case as large as a simulation may run on, for the tests of limits and of stopping the server:
two sides, three numeric issues, each with ``n`` values stated, so ``n**3`` packages (58: 195,112,
just under :data:`accord.model.limits.SIMULATION_OUTCOMES`)."""

from __future__ import annotations

import datetime as dt

from accord.model import Case, PreferenceModel

ISSUES = ("a", "b", "c")
AS_OF = "2023-06-01"
LONGEST = {
    "kind": "sweep",
    "as_of": AS_OF,
    "strategies": ["hardliner", "hardliner"],  # neither gives way: every negotiation runs to its deadline
    "n_rounds": 500,
    "parameter": "daily_cost",
    "column": 0,
    "values": [i / 1000 for i in range(25)],
}
"""The longest simulation the limits allow on :func:`big_case`: 25 negotiations of 500 rounds."""


def big_case(case_id: str, n: int = 58) -> Case:
    """Sides ``u`` (a union) and ``e`` (an employer), ``n`` proposals stating ``n`` values of
    each of three issues."""
    return Case.model_validate(
        {
            "id": case_id,
            "title": "Many positions",
            "parties": [
                {"id": "u", "name": "Union", "kind": "union"},
                {"id": "e", "name": "Employer", "kind": "employer"},
            ],
            "issues": [
                {"id": k, "type": "numeric", "name": k.upper(), "unit": "u", "low": 0, "high": 100}
                for k in ISSUES
            ],
            "proposals": [
                {
                    "id": f"p{i}",
                    "date": (dt.date(2023, 1, 1) + dt.timedelta(days=i)).isoformat(),
                    "from": "u" if i % 2 else "e",
                    "to": "e" if i % 2 else "u",
                    "positions": dict.fromkeys(ISSUES, i),
                }
                for i in range(n)
            ],
        }
    )


def big_preferences(party: str) -> PreferenceModel:
    """A model of ``u`` (more is better) or ``e`` (less is better) over :func:`big_case`'s issues."""
    direction = "higher" if party == "u" else "lower"
    return PreferenceModel.model_validate(
        {
            "party": party,
            "label": f"{party} (test)",
            "weights": dict.fromkeys(ISSUES, 1),
            "values": {k: {"kind": "linear", "direction": direction} for k in ISSUES},
            "reservation": 0.0,
        }
    )

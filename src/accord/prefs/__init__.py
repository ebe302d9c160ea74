"""accord.prefs: evaluating preference models (see docs/architecture.md).

The preference *values* (:class:`~accord.model.PreferenceModel` and friends) are part of the model
vocabulary; this package is the math on them: utilities, utility tables, disagreement values,
coalition decision rules and contract costing. Pure functions, no I/O.
"""

from typing import TYPE_CHECKING

# Eager: a name equal to its module's (``utility``) must be bound after the module is imported.
from accord.prefs.utility import disagreement_value, normalised_weights, utility

if TYPE_CHECKING:
    from accord.prefs.coalition import CoalitionVerdict, VoteArrays, coalition_accepts, rule_accepts
    from accord.prefs.costing import (
        ContractCost,
        compounded,
        contract_cost,
        raise_costs,
        raises_compounding_to,
    )
    from accord.prefs.tables import UtilityTables
    from accord.prefs.tabulate import MAX_PROVISIONS, issue_options, utility_tables
    from accord.prefs.values import issue_values, worst_value

_HOMES = {
    "CoalitionVerdict": "coalition",
    "VoteArrays": "coalition",
    "coalition_accepts": "coalition",
    "rule_accepts": "coalition",
    "ContractCost": "costing",
    "compounded": "costing",
    "contract_cost": "costing",
    "raise_costs": "costing",
    "raises_compounding_to": "costing",
    "UtilityTables": "tables",
    "MAX_PROVISIONS": "tabulate",
    "issue_options": "tabulate",
    "utility_tables": "tabulate",
    "issue_values": "values",
    "worst_value": "values",
}
"""Where each name lives: imported on first use, so that the simulation engine (which needs only
the utility tables and the coalition rules) starts without the model's validators."""


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'accord.prefs' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"accord.prefs.{_HOMES[name]}"), name)


__all__ = [
    "MAX_PROVISIONS",
    "CoalitionVerdict",
    "ContractCost",
    "UtilityTables",
    "VoteArrays",
    "coalition_accepts",
    "compounded",
    "contract_cost",
    "disagreement_value",
    "issue_options",
    "issue_values",
    "normalised_weights",
    "raise_costs",
    "raises_compounding_to",
    "rule_accepts",
    "utility",
    "utility_tables",
    "worst_value",
]

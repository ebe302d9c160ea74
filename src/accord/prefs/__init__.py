"""accord.prefs: evaluating preference models (see docs/architecture.md).

The preference *values* (:class:`~accord.model.PreferenceModel` and friends) are part of the model
vocabulary; this package is the math on them: utilities, utility tables, disagreement values,
coalition decision rules and contract costing. Pure functions, no I/O.
"""

from accord.prefs.coalition import CoalitionVerdict, VoteArrays, coalition_accepts, rule_accepts
from accord.prefs.costing import ContractCost, compounded, contract_cost, raise_costs, raises_compounding_to
from accord.prefs.tables import UtilityTables
from accord.prefs.tabulate import MAX_PROVISIONS, issue_options, utility_tables
from accord.prefs.utility import disagreement_value, normalised_weights, utility
from accord.prefs.values import issue_values, worst_value

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

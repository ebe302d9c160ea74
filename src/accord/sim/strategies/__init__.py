"""Negotiation strategies: the contract, the built-ins, and the registry that finds them by name."""

from accord.sim.strategies.base import ACCEPT, REJECT, WALK, Strategy
from accord.sim.strategies.registry import (
    UnknownStrategyError,
    make_strategy,
    strategy_class,
    strategy_names,
)

__all__ = [
    "ACCEPT",
    "REJECT",
    "WALK",
    "Strategy",
    "UnknownStrategyError",
    "make_strategy",
    "strategy_class",
    "strategy_names",
]

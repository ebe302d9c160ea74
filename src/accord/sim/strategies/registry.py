"""Look strategies up by name. Every strategy, built-in or a user's own, is an entry point.

A package registers a strategy in its ``pyproject.toml``::

    [project.entry-points."accord.strategies"]
    my-strategy = "mypackage.strategies:MyStrategy"

Accord's built-ins are registered the same way (see its ``pyproject.toml``). When Accord runs from
a source tree that is not installed, its own entry points are read from :data:`BUILTIN_ENTRY_POINTS`
(a test checks that this list matches ``pyproject.toml``).
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from accord.sim.strategies.base import Strategy

GROUP = "accord.strategies"

BUILTIN_ENTRY_POINTS: dict[str, str] = {
    "boulware": "accord.sim.strategies.timedep:Boulware",
    "conceder": "accord.sim.strategies.timedep:Conceder",
    "frontier-walker": "accord.sim.strategies.frontier_walker:FrontierWalker",
    "hardliner": "accord.sim.strategies.timedep:Hardliner",
    "linear": "accord.sim.strategies.timedep:Linear",
    "random-acceptable": "accord.sim.strategies.random_acceptable:RandomAcceptable",
    "rubinstein": "accord.sim.strategies.rubinstein:Rubinstein",
    "tit-for-tat": "accord.sim.strategies.titfortat:TitForTat",
    "time-dependent": "accord.sim.strategies.timedep:TimeDependent",
}


class UnknownStrategyError(LookupError):
    """No strategy is registered under the name asked for."""


@cache
def _entry_points() -> dict[str, EntryPoint]:
    """Scanning installed distributions is slow, so it is done once per process; call
    ``_entry_points.cache_clear()`` after installing a package that adds strategies."""
    found = {ep.name: ep for ep in entry_points(group=GROUP)}
    for name, value in BUILTIN_ENTRY_POINTS.items():
        found.setdefault(name, EntryPoint(name=name, value=value, group=GROUP))
    return found


def strategy_names() -> list[str]:
    """Names of every registered strategy, sorted.

    Examples
    --------
    >>> "boulware" in strategy_names()
    True
    """
    return sorted(_entry_points())


def strategy_class(name: str) -> type[Strategy]:
    """The strategy class registered under ``name``."""
    found = _entry_points()
    if name not in found:
        raise UnknownStrategyError(f"unknown strategy {name!r}; expected one of {sorted(found)}")
    cls = found[name].load()
    if not (isinstance(cls, type) and issubclass(cls, Strategy)):
        raise UnknownStrategyError(f"entry point {name!r} ({found[name].value}) is not a Strategy subclass")
    return cls


def make_strategy(name: str, **params: Any) -> Strategy:
    """An instance of the strategy ``name`` with the given parameters.

    Examples
    --------
    >>> make_strategy("time-dependent", exponent=2.0).label()
    'time-dependent(exponent=2, tolerance=0.0001)'
    """
    cls = strategy_class(name)
    try:
        return cls(**params)
    except TypeError as exc:
        raise ValueError(f"bad parameters for strategy {name!r}: {exc}") from exc

"""Generated scenarios: random additive domains, a divisible pie, a union facing a coalition."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from accord.prefs.tables import UtilityTables
from accord.sim.scenarios.scenario import Calendar, PackageSpace, Scenario, Side

if TYPE_CHECKING:
    from accord.model.party import DecisionRule


def additive_utilities(tables: UtilityTables) -> np.ndarray:
    """``(n_outcomes, k)`` utilities of every package, issues in row-major order.

    Examples
    --------
    >>> t = random_tables(np.random.default_rng(0), (2, 3), ("a", "b"))
    >>> additive_utilities(t).shape
    (6, 2)
    """
    grids = np.indices(tables.shape).reshape(len(tables.shape), -1).T
    return tables.utilities(grids.astype(np.int64))


def random_tables(rng: np.random.Generator, shape: Sequence[int], parties: Sequence[str]) -> UtilityTables:
    """Random additive preferences: per issue and party, option values uniform in ``[0, 1]``
    (each issue's best option worth 1), weights uniform then normalised to sum to 1."""
    k = len(parties)
    weights = rng.random((len(shape), k))
    weights /= weights.sum(axis=0)
    tables = []
    for i, n in enumerate(shape):
        values = rng.random((n, k))
        values /= values.max(axis=0)
        tables.append(values * weights[i])
    return UtilityTables(
        issue_ids=tuple(f"i{i}" for i in range(len(shape))),
        options=tuple(tuple(f"o{j}" for j in range(n)) for n in shape),
        tables=tuple(tables),
        offset=np.zeros(k),
        parties=tuple(parties),
    )


def scenario_from_tables(name: str, tables: UtilityTables, **kwargs: object) -> Scenario:
    """A scenario where each party of ``tables`` speaks for itself (keyword arguments as
    :meth:`Scenario.bilateral`)."""
    packages = PackageSpace(tables.issue_ids, tables.options)
    return Scenario.bilateral(name, additive_utilities(tables), tables.parties, packages=packages, **kwargs)  # type: ignore[arg-type]


def random_scenario(
    rng: np.random.Generator, shape: Sequence[int] = (10, 10, 10), k: int = 2, *, name: str = "random"
) -> Scenario:
    """A random additive scenario of ``k`` parties over issues with ``shape`` options.

    Examples
    --------
    >>> random_scenario(np.random.default_rng(1), (4, 5)).n_outcomes
    20
    """
    return scenario_from_tables(name, random_tables(rng, shape, tuple(f"p{j}" for j in range(k))))


def pie(n: int, d1: float, d2: float) -> Scenario:
    """Dividing one unit between two parties on a grid of ``n + 1`` shares (Rubinstein's game).

    Outcome ``i`` gives the first party ``i / n`` and the second ``1 - i / n``; ``d1, d2`` are
    per-turn discount factors.

    Examples
    --------
    >>> pie(4, 0.9, 0.9).U[:, 0].tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    x = np.arange(n + 1) / n
    shares = PackageSpace(("share",), (tuple(float(v) for v in x),))
    return Scenario.bilateral(
        "pie", np.stack([x, 1 - x], axis=1), ("first", "second"), discount=[d1, d2], packages=shares
    )


def union_vs_coalition(
    rng: np.random.Generator,
    shape: Sequence[int],
    n_members: int,
    rule: DecisionRule,
    *,
    reservation: float = 0.0,
    calendar: Calendar | None = None,
    daily_cost: Sequence[float] | None = None,
) -> Scenario:
    """A union (column 0) facing a coalition of ``n_members`` members with random additive
    preferences; member ids are ``m0, m1, ...`` (use them in ``rule``)."""
    columns = ("union", *(f"m{j}" for j in range(n_members)))
    tables = random_tables(rng, shape, columns)
    sides = (Side("union", (0,)), Side("coalition", tuple(range(1, n_members + 1)), rule))
    k = n_members + 1
    return Scenario(
        name="union-vs-coalition",
        U=additive_utilities(tables),
        columns=columns,
        sides=sides,
        reservation=np.full(k, reservation),
        daily_cost=np.asarray(daily_cost if daily_cost is not None else np.zeros(k), dtype=np.float64),
        calendar=calendar or Calendar(),
        packages=PackageSpace(tables.issue_ids, tables.options),
    )

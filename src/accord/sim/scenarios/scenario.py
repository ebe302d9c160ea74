"""Scenarios: what a simulated negotiation is about, as arrays.

A :class:`Scenario` holds the outcome utilities ``U: (n_outcomes, k)`` of ``k`` utility columns
(one per party, or per coalition member), each column's reservation value, per-turn discount
factor and daily cost, the calendar that maps rounds to days, and who sits at the table: a
:class:`Side` is one column (a party speaking for itself) or several columns with a
:class:`~accord.model.DecisionRule` (a coalition speaking with one voice).

Time model (documented once, used by every engine):

- a *turn* is one party's move (respond to the standing offer, then possibly counter-offer); a
  *round* is one turn of every side at the table (NegMAS's "step"); the deadline is in rounds;
- a side's *disagreement value* at turn ``τ`` is ``reservation - daily_cost * day(τ)``: the
  outside option erodes as a strike goes on, so strategies accept less as the days pass;
- the recorded utility of an agreement reached at turn ``τ`` is discounted by ``discount ** τ``
  (a turn is one Rubinstein period).

Openings (a replay from a date): a scenario may give each side an *opening* package, the
position it already holds. A side then never offers a package its voice values above its
opening (no regressive bargaining: it has already conceded that far); its opening itself stays
offerable even where a coalition's rule would not approve it, since the side did offer it. The
last side's opening is the standing offer when the first side makes its first move, as if it
had been tabled just before turn 0 (so the first side may accept it at once).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from accord.model.issue import Value
    from accord.model.party import DecisionRule


FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Calendar:
    """Maps rounds to simulated days.

    ``start_day`` is the number of strike days already completed at round 0; each round takes
    ``days_per_round`` days, so round ``ρ`` falls on day ``start_day + floor(ρ * days_per_round)``.

    Examples
    --------
    >>> Calendar(start_day=101, days_per_round=0.5).day_of_round(np.arange(4)).tolist()
    [101, 101, 102, 102]
    """

    start_day: int = 0
    days_per_round: float = 0.0

    def __post_init__(self) -> None:
        if self.start_day < 0:
            raise ValueError(f"start_day must be >= 0, got {self.start_day}")
        if not np.isfinite(self.days_per_round) or self.days_per_round < 0:
            raise ValueError(f"days_per_round must be a finite number >= 0, got {self.days_per_round}")

    def day_of_round(self, rounds: IntArray) -> IntArray:
        """Simulated day of each round (an integer array like ``rounds``)."""
        # A tiny tolerance so that e.g. 3 * (1/3) days counts as day 1, not day 0.
        days = np.floor(np.asarray(rounds, dtype=np.float64) * self.days_per_round + 1e-9)
        return (self.start_day + days).astype(np.int64)


@dataclass(frozen=True, slots=True)
class Side:
    """One voice at the table: a single utility column, or a coalition of member columns.

    columns: the utility columns this side answers for (one for a party; the members for a
        coalition).
    rule: the coalition's decision rule over its members (``None`` for a single party).
    name: label used in traces and tables.
    """

    name: str
    columns: tuple[int, ...]
    rule: DecisionRule | None = None

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError(f"side {self.name!r} has no utility columns")
        if len(self.columns) > 1 and self.rule is None:
            raise ValueError(f"side {self.name!r} has several columns but no decision rule")

    @property
    def is_coalition(self) -> bool:
        return self.rule is not None


@dataclass(frozen=True, slots=True)
class PackageSpace:
    """Decodes an outcome index into a package ``{issue id: value}`` (row-major over issues)."""

    issue_ids: tuple[str, ...]
    options: tuple[tuple[Value, ...], ...]

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(o) for o in self.options)

    def decode(self, outcome: int) -> dict[str, Value]:
        """The package of outcome ``outcome``.

        Examples
        --------
        >>> PackageSpace(("pay", "ai"), ((3.0, 5.0), ("none", "full"))).decode(3)
        {'pay': 5.0, 'ai': 'full'}
        """
        idx = np.unravel_index(outcome, self.shape)
        return {i: opts[int(j)] for i, opts, j in zip(self.issue_ids, self.options, idx, strict=True)}

    def choice_indexes(self, outcome: int) -> tuple[int, ...]:
        """Option index per issue of outcome ``outcome``."""
        return tuple(int(j) for j in np.unravel_index(outcome, self.shape))


@dataclass(frozen=True, slots=True)
class Interval:
    """The finite numbers from ``low`` to ``high`` (``low`` itself left out where ``low_open``).

    Examples
    --------
    >>> str(Interval(0.0, 1.0, low_open=True)), Interval(0.0, 1.0, low_open=True).admits(0.0)
    ('a number in (0, 1]', False)
    """

    low: float = -np.inf
    high: float = np.inf
    low_open: bool = False

    def admits(self, value: float) -> bool:
        v = float(value)
        above = v > self.low if self.low_open else v >= self.low
        return bool(np.isfinite(v)) and above and v <= self.high

    def __str__(self) -> str:
        if np.isfinite(self.low) and np.isfinite(self.high):
            return f"a number in {'(' if self.low_open else '['}{self.low:g}, {self.high:g}]"
        if np.isfinite(self.low):
            return f"a finite number {'>' if self.low_open else '>='} {self.low:g}"
        return "a finite number"


COLUMN_RANGES: dict[str, Interval] = {
    "daily_cost": Interval(0.0),
    "reservation": Interval(),
    "discount": Interval(0.0, 1.0, low_open=True),
}
"""What each per-column assumption of a :class:`Scenario` may be: the one rule that the scenario
and sweeps (:mod:`accord.sim.runs.sweep`) both check, through :func:`column_value_problem`."""


def column_value_problem(name: str, value: float) -> str | None:
    """What is wrong with ``value`` as one column's ``name`` (a key of :data:`COLUMN_RANGES`),
    or ``None`` if nothing is.

    Examples
    --------
    >>> column_value_problem("discount", 0.9) is None
    True
    >>> column_value_problem("discount", 1.5)
    'expected a number in (0, 1], got 1.5'
    >>> column_value_problem("daily_cost", float("nan"))
    'expected a finite number >= 0, got nan'
    """
    if name not in COLUMN_RANGES:
        raise ValueError(f"unknown column assumption {name!r}; expected one of {list(COLUMN_RANGES)}")
    expected = COLUMN_RANGES[name]
    return None if expected.admits(value) else f"expected {expected}, got {float(value)!r}"


def _column_array(name: str, value: Any, k: int, default: float) -> FloatArray:
    if value is None:
        return np.full(k, default, dtype=np.float64)
    arr = np.array(value, dtype=np.float64)
    if arr.ndim == 0:
        arr = np.full(k, float(arr))
    if arr.shape != (k,):
        raise ValueError(f"{name} has shape {arr.shape}, expected ({k},) (one value per utility column)")
    for column, v in enumerate(arr.tolist()):
        problem = column_value_problem(name, v)
        if problem is not None:
            raise ValueError(f"{name} of column {column}: {problem} (all columns: {arr.tolist()})")
    return arr


@dataclass(frozen=True, slots=True, eq=False)
class Scenario:
    """A negotiation to simulate, as arrays.

    U: ``(n_outcomes, k)`` utilities of every outcome for each of the ``k`` columns.
    columns: the ``k`` column ids (parties or coalition members).
    reservation: ``(k,)`` reservation values (the disagreement value on day 0), finite.
    discount: ``(k,)`` per-turn discount factors in ``(0, 1]``.
    daily_cost: ``(k,)`` utility lost per simulated day without agreement (``>= 0``).
    sides: the voices at the table, in speaking order (the first side moves first).
    calendar: rounds -> days.
    packages: optional decoder of outcome indexes into packages.
    openings: ``()`` or one outcome index per side (``-1``: none): see the module docstring.

    Examples
    --------
    >>> U = np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]])
    >>> s = Scenario.bilateral("split", U, ("a", "b"))
    >>> s.n_outcomes, s.n_sides
    (3, 2)
    """

    name: str
    U: FloatArray
    columns: tuple[str, ...]
    sides: tuple[Side, ...]
    reservation: FloatArray = field(default_factory=lambda: np.zeros(0))
    discount: FloatArray = field(default_factory=lambda: np.zeros(0))
    daily_cost: FloatArray = field(default_factory=lambda: np.zeros(0))
    calendar: Calendar = field(default_factory=Calendar)
    packages: PackageSpace | None = None
    openings: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        U = np.ascontiguousarray(self.U, dtype=np.float64)
        if U.ndim != 2 or U.shape[0] == 0:
            raise ValueError(f"U must be a non-empty (n_outcomes, k) array, got shape {U.shape}")
        if not np.all(np.isfinite(U)):
            raise ValueError("U must hold finite utilities")
        k = U.shape[1]
        if len(self.columns) != k:
            raise ValueError(f"columns names {len(self.columns)} columns, U has {k}")
        object.__setattr__(self, "U", U)
        U.setflags(write=False)
        res = _column_array("reservation", self.reservation if self.reservation.size else None, k, 0.0)
        disc = _column_array("discount", self.discount if self.discount.size else None, k, 1.0)
        cost = _column_array("daily_cost", self.daily_cost if self.daily_cost.size else None, k, 0.0)
        for name, arr in (("reservation", res), ("discount", disc), ("daily_cost", cost)):
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        if len(self.sides) < 2:
            raise ValueError("a negotiation needs at least two sides at the table")
        used = [c for side in self.sides for c in side.columns]
        if sorted(used) != sorted(set(used)) or any(not 0 <= c < k for c in used):
            raise ValueError(f"sides must use distinct columns in [0, {k}), got {used}")
        openings = tuple(int(o) for o in self.openings)
        if openings and (len(openings) != len(self.sides) or any(not -1 <= o < U.shape[0] for o in openings)):
            raise ValueError(
                f"openings must be empty or one outcome index (or -1) per side, got {list(openings)}"
            )
        object.__setattr__(self, "openings", openings)
        if self.packages is not None and int(np.prod(self.packages.shape)) != U.shape[0]:
            raise ValueError(
                f"packages describe {int(np.prod(self.packages.shape))} outcomes, U has {U.shape[0]}"
            )

    @classmethod
    def bilateral(
        cls,
        name: str,
        U: FloatArray,
        columns: tuple[str, ...],
        *,
        reservation: Any = None,
        discount: Any = None,
        daily_cost: Any = None,
        calendar: Calendar | None = None,
        packages: PackageSpace | None = None,
    ) -> Scenario:
        """A scenario where every column is a party speaking for itself (in column order)."""
        sides = tuple(Side(name=c, columns=(j,)) for j, c in enumerate(columns))
        return cls(
            name=name,
            U=U,
            columns=columns,
            sides=sides,
            reservation=np.asarray(reservation if reservation is not None else [], dtype=np.float64),
            discount=np.asarray(discount if discount is not None else [], dtype=np.float64),
            daily_cost=np.asarray(daily_cost if daily_cost is not None else [], dtype=np.float64),
            calendar=calendar or Calendar(),
            packages=packages,
        )

    @property
    def n_outcomes(self) -> int:
        return int(self.U.shape[0])

    @property
    def k(self) -> int:
        return int(self.U.shape[1])

    @property
    def n_sides(self) -> int:
        return len(self.sides)

    @property
    def standing_offer(self) -> int:
        """The offer on the table before turn 0: the last side's opening, or ``-1``."""
        return self.openings[-1] if self.openings else -1

    def replace(self, **changes: Any) -> Scenario:
        """A copy with some fields changed (arrays are re-validated).

        Examples
        --------
        >>> s = Scenario.bilateral("s", np.eye(2), ("a", "b"))
        >>> s.replace(reservation=[0.5, 0.0]).reservation.tolist()
        [0.5, 0.0]
        """
        fields: dict[str, Any] = {
            "name": self.name,
            "U": self.U,
            "columns": self.columns,
            "sides": self.sides,
            "reservation": self.reservation,
            "discount": self.discount,
            "daily_cost": self.daily_cost,
            "calendar": self.calendar,
            "packages": self.packages,
            "openings": self.openings,
        }
        unknown = set(changes) - set(fields)
        if unknown:
            raise TypeError(f"Scenario has no field(s) {sorted(unknown)}")
        fields.update(changes)
        for key in ("reservation", "discount", "daily_cost"):
            fields[key] = np.array(fields[key], dtype=np.float64)
        return Scenario(**fields)

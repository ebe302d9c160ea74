"""Additive utilities as per-issue tables: the array form the analysis and the simulator work on.

For an outcome that picks option ``c_i`` on each issue ``i``, party ``j``'s utility is
``offset[j] + sum_i tables[i][c_i, j]``. Issue weights are folded into the tables.

*Exact* tables (:func:`accord.prefs.exact.exact_tables`) hold integers instead (``int64``, or
Python integers in object arrays) and a rational ``unit`` per party: the utility is then
``unit[j] * (offset[j] + sum_i tables[i][c_i, j])``, and every sum is exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from accord.model.issue import Value


@dataclass(frozen=True, slots=True)
class UtilityTables:
    """Additive utilities of ``k`` parties over a discretised outcome space.

    options: per issue, the discrete values (numeric levels, option names, or provision sets).
    tables: per issue, an array ``(len(options[i]), k)`` of weighted values.
    offset: ``(k,)``, added to every outcome's utility.
    parties: the ids of the ``k`` parties (or coalition members), in column order.
    issue_ids: the ids of the issues, in table order.
    unit: ``None`` for float tables; for exact tables, per party the positive rational worth of
        one integer step (see the module docstring).
    """

    issue_ids: tuple[str, ...]
    options: tuple[tuple[Value, ...], ...]
    tables: tuple[NDArray[Any], ...]
    offset: NDArray[Any]
    parties: tuple[str, ...]
    unit: tuple[Fraction, ...] | None = None

    def __post_init__(self) -> None:
        if not (len(self.issue_ids) == len(self.options) == len(self.tables)):
            raise ValueError("issue_ids, options and tables must have one entry per issue")
        k = len(self.parties)
        for issue_id, opts, table in zip(self.issue_ids, self.options, self.tables, strict=True):
            if table.shape != (len(opts), k):
                raise ValueError(f"table of {issue_id!r} has shape {table.shape}, expected {(len(opts), k)}")
        if self.offset.shape != (k,):
            raise ValueError(f"offset has shape {self.offset.shape}, expected {(k,)}")
        if self.unit is not None and (len(self.unit) != k or any(u <= 0 for u in self.unit)):
            raise ValueError(f"unit must give {k} positive fractions, got {self.unit}")

    @property
    def is_exact(self) -> bool:
        """Whether the tables hold exact integers (with :attr:`unit`) rather than floats."""
        return self.unit is not None

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of options per issue."""
        return tuple(len(o) for o in self.options)

    @property
    def n_outcomes(self) -> int:
        return int(np.prod(self.shape, dtype=object))

    @property
    def n_parties(self) -> int:
        return len(self.parties)

    def utilities(self, choices: NDArray[np.int64]) -> NDArray[Any]:
        """Utilities ``(n, k)`` of outcomes given as option indexes ``choices: (n, n_issues)``
        (for exact tables: the integer sums, in units of :attr:`unit`)."""
        total = np.broadcast_to(self.offset, (choices.shape[0], self.n_parties)).copy()
        for i, table in enumerate(self.tables):
            total += table[choices[:, i]]
        return total

"""Additive utilities as per-issue tables: the array form the analysis and the simulator work on.

For an outcome that picks option ``c_i`` on each issue ``i``, party ``j``'s utility is
``offset[j] + sum_i tables[i][c_i, j]``. Issue weights are folded into the tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.model.issue import Value


@dataclass(frozen=True, slots=True)
class UtilityTables:
    """Additive utilities of ``k`` parties over a discretised outcome space.

    options: per issue, the discrete values (numeric levels, option names, or provision sets).
    tables: per issue, an array ``(len(options[i]), k)`` of weighted values.
    offset: ``(k,)``, added to every outcome's utility.
    parties: the ids of the ``k`` parties (or coalition members), in column order.
    issue_ids: the ids of the issues, in table order.
    """

    issue_ids: tuple[str, ...]
    options: tuple[tuple[Value, ...], ...]
    tables: tuple[NDArray[np.float64], ...]
    offset: NDArray[np.float64]
    parties: tuple[str, ...]

    def __post_init__(self) -> None:
        if not (len(self.issue_ids) == len(self.options) == len(self.tables)):
            raise ValueError("issue_ids, options and tables must have one entry per issue")
        k = len(self.parties)
        for issue_id, opts, table in zip(self.issue_ids, self.options, self.tables, strict=True):
            if table.shape != (len(opts), k):
                raise ValueError(f"table of {issue_id!r} has shape {table.shape}, expected {(len(opts), k)}")
        if self.offset.shape != (k,):
            raise ValueError(f"offset has shape {self.offset.shape}, expected {(k,)}")

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

    def utilities(self, choices: NDArray[np.int64]) -> NDArray[np.float64]:
        """Utilities ``(n, k)`` of outcomes given as option indexes ``choices: (n, n_issues)``."""
        total = np.broadcast_to(self.offset, (choices.shape[0], self.n_parties)).copy()
        for i, table in enumerate(self.tables):
            total += table[choices[:, i]]
        return total

"""Move classification (DANS): what each new proposal does to its maker's and the receiver's utility.

Hindriks, Jonker & Tykhonov (2011), "Let's DANS! An analytic framework of negotiation dynamics
and strategies", *Web Intelligence and Agent Systems* 9(4), building on Bosse & Jonker (2005),
"Human vs. computer behaviour in multi-issue negotiation", label the step from a party's
proposal to its next one by the change in its own utility ``ds`` and in the other's ``do``
(changes within ``tol`` of 0 count as 0):

=============  ========================  ==============================================
label          ``ds``                    ``do``
=============  ========================  ==============================================
fortunate      > 0                       > 0
selfish        > 0                       <= 0
concession     < 0                       >= 0
unfortunate    < 0                       < 0
nice           = 0                       > 0
silent         = 0                       = 0
unfortunate    = 0                       < 0
=============  ========================  ==============================================

The paper draws the classes as regions of the ``(ds, do)`` plane and leaves the boundary
cells to the reader; here every sign pair has exactly one label, decided by the maker's own
change first. A move that costs the other side something and gains its maker nothing
(``ds = 0, do < 0``) is unfortunate: it makes an agreement harder at no gain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from accord.analysis.proposals import FilledProposal
from accord.prefs.tables import UtilityTables

TOLERANCE = 1e-6
"""Utility changes at most this large count as no change."""


class MoveLabel(StrEnum):
    FORTUNATE = "fortunate"
    SELFISH = "selfish"
    CONCESSION = "concession"
    UNFORTUNATE = "unfortunate"
    NICE = "nice"
    SILENT = "silent"


@dataclass(frozen=True, slots=True)
class Move:
    """One party's step from one of its proposals to its next, labelled by :func:`classify_move`.

    own, other: ``(before, after)`` utility for the maker and for the receiver of ``to_proposal``.
    """

    party: str
    other: str
    from_proposal: str
    to_proposal: str
    date: dt.date
    own: tuple[float, float]
    other_utility: tuple[float, float]
    delta_own: float
    delta_other: float
    label: MoveLabel
    assumed: bool = False
    """Whether the utilities come from assumed preferences (set by the case analysis)."""


def _sign(x: float, tol: float) -> int:
    return 0 if abs(x) <= tol else (1 if x > 0 else -1)


def classify_move(delta_own: float, delta_other: float, tol: float = TOLERANCE) -> MoveLabel:
    """The DANS label of a move changing the maker's utility by ``delta_own`` and the other's by
    ``delta_other`` (see the module docstring).

    Examples
    --------
    >>> [classify_move(ds, do).value for ds, do in [(-0.1, 0.2), (0.1, -0.2), (0.0, 0.1), (1e-9, 0.0)]]
    ['concession', 'selfish', 'nice', 'silent']
    """
    if tol < 0:
        raise ValueError(f"the tolerance must be >= 0, got {tol}")
    s, o = _sign(delta_own, tol), _sign(delta_other, tol)
    if s > 0:
        return MoveLabel.FORTUNATE if o > 0 else MoveLabel.SELFISH
    if s < 0:
        return MoveLabel.CONCESSION if o >= 0 else MoveLabel.UNFORTUNATE
    if o > 0:
        return MoveLabel.NICE
    return MoveLabel.SILENT if o == 0 else MoveLabel.UNFORTUNATE


def dans_moves(
    tables: UtilityTables, proposals: Sequence[FilledProposal], tol: float = TOLERANCE
) -> tuple[Move, ...]:
    """Every move of every party of ``tables``: each pair of its consecutive proposals, labelled.

    Parameters
    ----------
    tables : utilities of the parties (their columns name them).
    proposals : whole packages in time order (see :func:`accord.analysis.proposals.filled_proposals`);
        those whose maker or receiver has no column are skipped.
    tol : changes at most this large count as none.

    Returns
    -------
    The moves in the order of their later proposal.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.analysis.proposals import FillBasis, FilledIssue
    >>> t = UtilityTables(("pay",), ((0, 1, 2),), (np.array([[0.0, 1.0], [0.5, 0.5], [1.0, 0.0]]),),
    ...     np.zeros(2), ("u", "e"))
    >>> def offer(pid, c):
    ...     return FilledProposal(pid, dt.date(2023, 5, c + 1), "u", "e", (c,),
    ...         (FilledIssue("pay", c, FillBasis.STATED, None),))
    >>> [(m.to_proposal, m.label.value) for m in dans_moves(t, [offer("p1", 2), offer("p2", 1), offer("p3", 1)])]
    [('p2', 'concession'), ('p3', 'silent')]
    """
    column = {party: j for j, party in enumerate(tables.parties)}
    last: dict[str, FilledProposal] = {}
    moves: list[Move] = []
    for proposal in proposals:
        me, them = proposal.from_party, proposal.to_party
        if me not in column or them not in column:
            continue
        before = last.get(me)
        last[me] = proposal
        if before is None:
            continue
        U = tables.utilities(np.array([before.choices, proposal.choices], dtype=np.int64))
        own = (float(U[0, column[me]]), float(U[1, column[me]]))
        theirs = (float(U[0, column[them]]), float(U[1, column[them]]))
        ds, do = own[1] - own[0], theirs[1] - theirs[0]
        moves.append(
            Move(
                me,
                them,
                before.proposal_id,
                proposal.proposal_id,
                proposal.date,
                own,
                theirs,
                ds,
                do,
                classify_move(ds, do, tol),
            )
        )
    return tuple(moves)

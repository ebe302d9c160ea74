"""Where a negotiation stands: pure views of a case as of a date (no I/O, no clock).

Every view reads the effective record (corrections applied, see :func:`effective_records`) up to
and including the ``as_of`` date. Two-sided views take ``side_a`` and ``side_b``, which default
to :func:`sides`. :func:`to_jsonable` turns any result into plain JSON data; the shapes are
documented in ``docs/reference/views.md``.
"""

from accord.ledger.gaps_view import (
    GapLabel,
    GapMeasures,
    IssueGap,
    gap_distance,
    gap_label,
    gap_measures,
    gaps,
)
from accord.ledger.jsonable import SCHEMA_VERSION, envelope, to_jsonable
from accord.ledger.movement_view import Movement, PartyMovement, movement, who_moved
from accord.ledger.pending_view import OpenRequest, Pending, TurnClaim, UnansweredProposal, pending
from accord.ledger.positions import PositionAt, origin_text, positions_as_of, sides
from accord.ledger.records import LedgerRecord, effective_records
from accord.ledger.sources_view import CitedSource, sources
from accord.ledger.status_view import StatusReport, status
from accord.ledger.stoppages_view import StoppageCount, StoppageState, stoppages
from accord.ledger.ta_board_view import TAState, TAStatus, agreement_text, ta_board
from accord.ledger.timeline_view import TimelineEntry, timeline

__all__ = [
    "SCHEMA_VERSION",
    "CitedSource",
    "GapLabel",
    "GapMeasures",
    "IssueGap",
    "LedgerRecord",
    "Movement",
    "OpenRequest",
    "PartyMovement",
    "Pending",
    "PositionAt",
    "StatusReport",
    "StoppageCount",
    "StoppageState",
    "TAState",
    "TAStatus",
    "TimelineEntry",
    "TurnClaim",
    "UnansweredProposal",
    "agreement_text",
    "effective_records",
    "envelope",
    "gap_distance",
    "gap_label",
    "gap_measures",
    "gaps",
    "movement",
    "origin_text",
    "pending",
    "positions_as_of",
    "sides",
    "sources",
    "status",
    "stoppages",
    "ta_board",
    "timeline",
    "to_jsonable",
    "who_moved",
]

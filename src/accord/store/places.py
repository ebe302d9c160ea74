"""Where a record stands among those its reader sees: its place in the order of writing."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from accord.store.cases import visible_clause
from accord.store.direct import Direct
from accord.store.schema import records


def places(
    conn: sa.Connection, case_id: str, seqs: Iterable[int], *, visible_private: Iterable[str] | None = ()
) -> dict[int, int]:
    """For each of ``seqs`` (of records visible with ``visible_private``), how many visible
    records were written before it: its place in the order of writing among the records a reader
    sees (at most one query for one record, two whatever the number).

    A case's records are numbered 0, 1, 2, … as written and never removed, so the place of the
    first is its number less the drafts hidden from the reader before it: counted over the drafts
    alone (the index by owner), not over every earlier record."""
    wanted = sorted(set(seqs))
    if not wanted:
        return {}
    shown = None if visible_private is None else list(visible_private)
    base = wanted[0] - _hidden_before(conn, case_id, wanted[0], shown)
    if len(wanted) == 1:
        return {wanted[0]: base}
    between = conn.execute(
        sa.select(records.c.seq)
        .where(
            records.c.case_id == case_id,
            visible_clause(shown),
            records.c.seq.between(wanted[0], wanted[-1]),
        )
        .order_by(records.c.seq)
    ).scalars()
    found = {seq: base + index for index, seq in enumerate(between)}
    return {seq: found[seq] for seq in wanted if seq in found}


def _hidden_before(conn: sa.Connection, case_id: str, seq: int, parties: list[str] | None) -> int:
    """How many records before ``seq`` are drafts hidden from a reader who sees those of
    ``parties`` (``None``: every draft)."""
    if parties is None:
        return 0
    params: dict[str, str | int] = {"case_id": case_id, "seq": seq}
    direct = _HIDDEN_BEFORE_DIRECT
    if len(parties) == 1:  # a party's member: one party's drafts seen
        direct, params["party"] = _HIDDEN_BEFORE_BUT_ONE, parties[0]
    elif parties:
        return int(conn.execute(_HIDDEN_BEFORE_BUT, {**params, "parties": parties}).scalar_one())
    found = direct.first(conn, params)
    assert found is not None  # a count
    return int(found[0])


# Made once (a statement built for each call cost more than running it).
_HIDDEN_BEFORE = (
    sa.select(sa.func.count())
    .select_from(records)
    # ``seq + 0``: not a range of the index by number, which would walk every earlier record
    .where(
        records.c.case_id == sa.bindparam("case_id"),
        records.c.private_to.is_not(None),
        records.c.seq + 0 < sa.bindparam("seq"),
    )
)
_HIDDEN_BEFORE_DIRECT = Direct(_HIDDEN_BEFORE)
_HIDDEN_BEFORE_BUT = _HIDDEN_BEFORE.where(
    records.c.private_to.not_in(sa.bindparam("parties", expanding=True))
)
_HIDDEN_BEFORE_BUT_ONE = Direct(_HIDDEN_BEFORE.where(records.c.private_to != sa.bindparam("party")))

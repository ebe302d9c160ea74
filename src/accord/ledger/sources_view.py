"""The sources of a case, or of one record, with the records that cite each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accord.model import Case, Proposal, TentativeAgreement


@dataclass(frozen=True, slots=True)
class CitedSource:
    """One source: where it was published, when, its address, and the records that cite it."""

    id: str
    outlet: str | None
    date: dt.date | None
    title: str | None
    url: str | None
    cited_by: tuple[str, ...]


def sources(case: Case, record: str | None = None) -> list[CitedSource]:
    """The case's sources in its order, or only those ``record`` cites (itself or in a position).

    Raises ``ValueError`` when ``record`` is not a record of the case.

    Examples
    --------
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t", parties=[{"id": "u", "name": "U", "kind": "union"}],
    ...     sources=[{"id": "S1", "outlet": "AP", "url": "https://example.org/a"}, {"id": "S2"}],
    ...     events=[{"id": "m", "kind": "milestone", "date": "2023-05-01", "summary": "x", "sources": ["S1"]}])
    >>> [(s.id, s.cited_by) for s in sources(case)]
    [('S1', ('m',)), ('S2', ())]
    >>> [s.id for s in sources(case, "m")]
    ['S1']
    """
    cited: dict[str, list[str]] = {s.id: [] for s in case.sources}
    wanted: set[str] | None = None
    for item in (*case.proposals, *case.events):
        ids = _cited(item)
        for source_id in ids:
            if item.id not in cited.setdefault(source_id, []):
                cited[source_id].append(item.id)
        if item.id == record:
            wanted = set(ids)
    if record is not None and wanted is None:
        known = [r.id for r in (*case.proposals, *case.events)]
        raise ValueError(f"unknown record {record!r}; expected one of the case's {len(known)} record ids")
    return [
        CitedSource(s.id, s.outlet, s.date, s.title, s.url, tuple(cited[s.id]))
        for s in case.sources
        if wanted is None or s.id in wanted
    ]


def _cited(item: object) -> tuple[str, ...]:
    """The source ids a record cites, its own first, then its positions' or terms'."""
    ids: list[str] = list(getattr(item, "sources", ()))
    positions = (
        item.positions
        if isinstance(item, Proposal)
        else item.terms
        if isinstance(item, TentativeAgreement)
        else {}
    )
    for position in positions.values():
        ids.extend(s for s in position.sources if s not in ids)
    return tuple(ids)

"""The table reading: what the offers already on the table guarantee each side.

A negotiator compares any advice with two things: walking away (the no-deal or BATNA value, the
disagreement point of the bargaining solutions) and the offer the other side has already made,
which it can accept today. The *table reading* takes the better of the two as each side's floor:

    floor_a = max(d_a, u_a(b's latest standing offer to a))

(and the same for ``b``). Solutions relative to the floors never give a side less than an offer
it holds; solutions relative to the no-deal point may, and are then flagged in words
(:func:`offer_warnings`).

Per issue, the *zone* between the two standing offers (:func:`issue_zones`) is what a mediator
reads first: for a numeric issue the range from one side's offer to the other's, narrowed to the
options some package beating both no-deal values can take; for a provision set, the provisions
both offers include and those in dispute. A side's offer that never stated a value on an issue
gives no end on it (silence is not acceptance: see :mod:`accord.analysis.proposals`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from accord.analysis.proposals import FillBasis, FilledIssue, FilledProposal
from accord.model import Case, Issue, NumericIssue, OrdinalIssue, ProvisionIssue, Value
from accord.prefs.tables import UtilityTables

TOLERANCE = 1e-9
"""A solution is flagged only when it falls short of a held offer by more than this."""


@dataclass(frozen=True, slots=True)
class ZoneEnd:
    """One side's standing value on an issue: ``proposal`` (dated ``date``) is the offer that
    stands; ``stated`` the date of the proposal that stated the value (earlier when carried)."""

    party: str
    proposal: str
    date: dt.date
    stated: dt.date
    value: Value


@dataclass(frozen=True, slots=True)
class IssueZone:
    """An issue between the two standing offers.

    ends: each side's standing value (a side that never stated one on the issue has none).
    agreed: both offers hold the same value.
    low, high: a numeric issue's range between the offers, narrowed to the options some package
        beating both no-deal values can take (``None`` when that leaves nothing).
    settled, disputed: a provision set's provisions in both offers, and in only one.
    assumed: the range rests on assumed preferences (it was narrowed by the no-deal values).
    text: the zone as one line, e.g. ``Minimum pay increase: 13 % (AMPTP, Aug 11) to 16.9 % (WGA, Aug 15)``.
    """

    issue: str
    ends: tuple[ZoneEnd, ...]
    agreed: bool
    low: float | None
    high: float | None
    settled: tuple[str, ...]
    disputed: tuple[str, ...]
    assumed: bool
    text: str


def standing_offer(filled: Sequence[FilledProposal], frm: str, to: str) -> FilledProposal | None:
    """``frm``'s latest proposal to ``to`` among ``filled`` (in date order), or ``None``."""
    own = [p for p in filled if p.from_party == frm and p.to_party == to]
    return own[-1] if own else None


def table_floors(d: tuple[float, float], held: tuple[float | None, float | None]) -> tuple[float, float]:
    """Each side's floor from the table: the better of its no-deal value ``d`` and its utility of
    the offer it holds (``None``: it holds none).

    >>> table_floors((0.2, 0.4), (0.5, None))
    (0.5, 0.4)
    """
    return (
        d[0] if held[0] is None else max(d[0], held[0]),
        d[1] if held[1] is None else max(d[1], held[1]),
    )


def offer_warnings(
    point: Sequence[float],
    held: tuple[float | None, float | None],
    names: tuple[str, str],
    offers: tuple[str | None, str | None],
) -> tuple[str, ...]:
    """Words for each side that ``point`` gives less than the offer it holds.

    ``held``: each side's utility of the other side's standing offer; ``names``: the sides' names;
    ``offers``: how each held offer is written (e.g. ``the AMPTP's offer of Aug 11``).

    >>> offer_warnings((0.3, 0.8), (0.5, 0.6), ("WGA", "AMPTP"), ("the AMPTP's offer of Aug 11", None))
    ("gives the WGA 0.300, less than the 0.500 of the AMPTP's offer of Aug 11, which it already holds",)
    """
    out = []
    for j in range(2):
        value = held[j]
        if value is not None and point[j] < value - TOLERANCE:
            out.append(
                f"gives the {names[j]} {point[j]:.3f}, less than the {value:.3f} of {offers[j]}, "
                "which it already holds"
            )
    return tuple(out)


def possessive(name: str) -> str:
    """``WGA's``; ``Producers'`` (a name ending in s takes the apostrophe alone).

    >>> possessive("WGA"), possessive("Alliance of Producers")
    ("WGA's", "Alliance of Producers'")
    """
    return name + ("'" if name.endswith("s") else "'s")


def short_date(day: dt.date) -> str:
    """``Aug 11`` (the year is the analysis's own).

    >>> short_date(dt.date(2023, 8, 1))
    'Aug 1'
    """
    return f"{day:%b} {day.day}"


def _end(case: Case, p: FilledProposal, fill: FilledIssue) -> ZoneEnd | None:
    if fill.basis is FillBasis.RECEIVER_WORST:
        return None
    stated = p.date
    if fill.basis is FillBasis.CARRIED and fill.from_proposal is not None:
        stated = case.proposal(fill.from_proposal).date
    return ZoneEnd(p.from_party, p.proposal_id, p.date, stated, fill.value)


def _value_text(issue: Issue, value: Value) -> str:
    if isinstance(issue, NumericIssue) and isinstance(value, (int, float)):
        return f"{value:g} {issue.unit}"
    if isinstance(value, frozenset):
        return "{" + ", ".join(sorted(value)) + "}"
    return str(value)


def _where(end: ZoneEnd, labels: dict[str, str]) -> str:
    since = "" if end.stated == end.date else f", standing since {short_date(end.stated)}"
    return f"({labels[end.party]}, {short_date(end.date)}{since})"


def issue_zones(
    case: Case,
    offers: tuple[FilledProposal | None, FilledProposal | None],
    reachable: dict[str, tuple[Value, ...]],
    labels: dict[str, str],
    assumed: bool,
) -> tuple[IssueZone, ...]:
    """Each issue of the case between the two standing ``offers`` (either may be ``None``).

    ``reachable``: per issue, the options some package beating both no-deal values can take (the
    zone of possible agreement); ``labels``: each party's name; ``assumed``: whether the
    preferences behind ``reachable`` are assumptions.
    """
    zones = []
    for issue in case.issues:
        ends = []
        for p in offers:
            if p is None:
                continue
            fill = next((f for f in p.fills if f.issue == issue.id), None)
            end = None if fill is None else _end(case, p, fill)
            if end is not None:
                ends.append(end)
        zones.append(_zone(issue, tuple(ends), reachable.get(issue.id, ()), labels, assumed))
    return tuple(zones)


def _zone(
    issue: Issue,
    ends: tuple[ZoneEnd, ...],
    reachable: tuple[Value, ...],
    labels: dict[str, str],
    assumed: bool,
) -> IssueZone:
    agreed = len(ends) == 2 and ends[0].value == ends[1].value
    if isinstance(issue, ProvisionIssue) and len(ends) == 2:
        sets = [e.value if isinstance(e.value, frozenset) else frozenset() for e in ends]
        settled = tuple(p for p in issue.provision_ids if all(p in s for s in sets))
        disputed = tuple(p for p in issue.provision_ids if any(p in s for s in sets) and p not in settled)
        text = f"{issue.name}: both offers hold {{{', '.join(settled)}}}"
        text += f"; in dispute {{{', '.join(disputed)}}}" if disputed else " (agreed)"
        return IssueZone(issue.id, ends, agreed, None, None, settled, disputed, False, text)
    if isinstance(issue, (NumericIssue, OrdinalIssue)) and len(ends) == 2 and not agreed:
        return _range_zone(issue, ends, reachable, labels, assumed)
    if agreed:
        text = f"{issue.name}: {_value_text(issue, ends[0].value)} in both offers (agreed)"
    elif ends:
        shown = "; ".join(f"{_value_text(issue, e.value)} {_where(e, labels)}" for e in ends)
        missing = [labels[p] for p in labels if p not in {e.party for e in ends}]
        text = f"{issue.name}: {shown}; no value stated by the {' or the '.join(missing)}"
    else:
        text = f"{issue.name}: no value stated in either offer"
    return IssueZone(issue.id, ends, agreed, None, None, (), (), False, text)


def _range_zone(
    issue: NumericIssue | OrdinalIssue,
    ends: tuple[ZoneEnd, ...],
    reachable: tuple[Value, ...],
    labels: dict[str, str],
    assumed: bool,
) -> IssueZone:
    """A numeric or ordinal issue on which the offers differ: the range from one to the other."""
    if isinstance(issue, NumericIssue):
        key: dict[Value, float] = {e.value: float(e.value) for e in ends if isinstance(e.value, (int, float))}
        key.update({o: float(o) for o in reachable if isinstance(o, (int, float))})
    else:
        key = {o: float(i) for i, o in enumerate(issue.options)}
    lo_end, hi_end = sorted(ends, key=lambda e: key.get(e.value, 0.0))
    lo, hi = key.get(lo_end.value, 0.0), key.get(hi_end.value, 0.0)
    text = (
        f"{issue.name}: {_value_text(issue, lo_end.value)} {_where(lo_end, labels)} to "
        f"{_value_text(issue, hi_end.value)} {_where(hi_end, labels)}"
    )
    inside = sorted(key[o] for o in reachable if o in key and lo <= key[o] <= hi)
    marker = " (assumed preferences)" if assumed else ""
    low = high = None
    if isinstance(issue, NumericIssue) and inside:
        low, high = inside[0], inside[-1]
        if (low, high) != (lo, hi):
            text += f"; beating both no-deal values: {low:g} to {high:g} {issue.unit}{marker}"
    elif not inside:
        text += f"; no package in this range beats both no-deal values{marker}"
    narrowed = assumed and (not inside or (low, high) != (lo, hi))
    return IssueZone(issue.id, ends, False, low, high, (), (), narrowed, text)


def issue_warnings(
    case: Case,
    tables: UtilityTables,
    choices: Sequence[int],
    offers: tuple[FilledProposal | None, FilledProposal | None],
    labels: dict[str, str],
) -> tuple[str, ...]:
    """Words for each numeric issue on which the package ``choices`` (one option per issue of
    ``tables``, whose columns are the two sides of ``labels``) is worse for a side than the other
    side's standing offer (``offers``: the first side's, the second's) on that issue alone."""
    out = []
    parties = list(labels)
    for j, offer in ((0, offers[1]), (1, offers[0])):
        if offer is None:
            continue
        for i, fill in enumerate(offer.fills):
            issue = case.issue(fill.issue)
            if not isinstance(issue, NumericIssue) or fill.basis is FillBasis.RECEIVER_WORST:
                continue
            t = tables.tables[i]
            if t[choices[i], j] < t[offer.choices[i], j] - TOLERANCE:
                value = tables.options[i][choices[i]]
                out.append(
                    f"sets {issue.name} at {_value_text(issue, value)}, worse for the "
                    f"{labels[parties[j]]} than the {_value_text(issue, fill.value)} of the "
                    f"{possessive(labels[offer.from_party])} offer of {short_date(offer.date)} (on this issue alone)"
                )
    return tuple(out)

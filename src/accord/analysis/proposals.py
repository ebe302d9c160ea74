"""Proposals as whole packages: each issue filled in, so a proposal is a point of the outcome space.

A proposal on the record is a *partial* package: it states positions on some issues and is silent
(or states no value) on others. To compare it with the frontier, every issue needs one option.
The rule, applied to each issue of the outcome space in turn:

1. **stated**: the proposal's own value, where it states one (a numeric value off the issue's grid
   is taken at the nearest level);
2. **carried**: else the proposer's latest earlier stated value on that issue. An offer stands
   until its maker revises it; a counter-proposal that names only what changed (the WGA's
   Aug 15 counter names only staffing) keeps the rest of the proposer's package. This is how
   the ledger reads positions too (:func:`accord.ledger.positions_as_of`);
3. **receiver's worst**: else (the proposer never stated a value on the issue) the option worst
   for the receiver, ties broken by what is best for the proposer, then by option order. A
   package guarantees the receiver nothing on an issue it leaves open, the convention of
   :func:`accord.prefs.utility`, which counts an unaddressed issue at the party's worst value.

The other side's positions are never used to fill a gap: silence is not acceptance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from accord.ledger import effective_records
from accord.model import Case, Issue, NumericIssue, Proposal, ProposalStatus, Value
from accord.prefs.tables import UtilityTables


class FillBasis(StrEnum):
    STATED = "stated"
    CARRIED = "carried"
    RECEIVER_WORST = "receiver_worst"


@dataclass(frozen=True, slots=True)
class FilledIssue:
    """How one issue of a filled proposal got its option: ``basis``, and for ``carried`` the
    proposal the value comes from."""

    issue: str
    value: Value
    basis: FillBasis
    from_proposal: str | None


@dataclass(frozen=True, slots=True)
class FilledProposal:
    """A proposal of the record as a whole package of the outcome space.

    choices: one option index per issue of the tables, in table order.
    fills: per issue, the value and how it was found (see the module docstring).
    """

    proposal_id: str
    date: dt.date
    from_party: str
    to_party: str
    choices: tuple[int, ...]
    fills: tuple[FilledIssue, ...]

    @property
    def package(self) -> dict[str, Value]:
        return {f.issue: f.value for f in self.fills}

    @property
    def is_empty(self) -> bool:
        """Whether nothing in it was stated or carried (every issue is the receiver's worst)."""
        return all(f.basis is FillBasis.RECEIVER_WORST for f in self.fills)

    @property
    def stated_issues(self) -> tuple[str, ...]:
        return tuple(f.issue for f in self.fills if f.basis is FillBasis.STATED)


def option_index(issue: Issue, options: Sequence[Value], value: Value) -> int:
    """The index of ``value`` among ``options`` (a numeric value: the nearest level).

    Raises
    ------
    ValueError
        When ``value`` is not one of the options of a non-numeric issue.

    Examples
    --------
    >>> from accord.model import NumericIssue
    >>> pay = NumericIssue(id="pay", name="Pay", unit="%", low=0, high=1, step=0.5)
    >>> option_index(pay, pay.levels, 0.6)
    1
    """
    if isinstance(issue, NumericIssue):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"issue {issue.id!r}: expected a number, got {value!r}")
        levels = np.asarray(options, dtype=np.float64)
        return int(np.argmin(np.abs(levels - float(value))))
    for index, option in enumerate(options):
        if option == value:
            return index
    raise ValueError(f"issue {issue.id!r}: {value!r} is not one of its options")


def tabled_proposals(case: Case, as_of: dt.date) -> list[Proposal]:
    """Effective proposals dated on or before ``as_of``, neither drafts nor withdrawn, in time order."""
    return [
        r
        for r in effective_records(case, as_of)
        if isinstance(r, Proposal) and r.status not in (ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN)
    ]


def filled_proposals(case: Case, tables: UtilityTables, as_of: dt.date) -> list[FilledProposal]:
    """Every proposal between two parties of ``tables``, up to ``as_of``, as a whole package.

    Parameters
    ----------
    case : the record; its issues must include ``tables.issue_ids``.
    tables : utility tables whose columns include the proposer and the receiver of each
        proposal kept (proposals between other parties are left out).
    as_of : the last day whose proposals count.

    Examples
    --------
    >>> import datetime as dt
    >>> from accord.model import Case, PreferenceModel
    >>> from accord.prefs import utility_tables
    >>> case = Case(id="c", title="t",
    ...     parties=[{"id": "u", "name": "U", "kind": "union"}, {"id": "e", "name": "E", "kind": "employer"}],
    ...     issues=[{"id": "pay", "name": "Pay", "type": "numeric", "unit": "%", "low": 0, "high": 4},
    ...             {"id": "days", "name": "Days", "type": "numeric", "unit": "d", "low": 0, "high": 2}],
    ...     proposals=[{"id": "p1", "date": "2023-05-01", "from": "u", "to": "e", "positions": {"pay": 4}},
    ...                {"id": "p2", "date": "2023-06-01", "from": "u", "to": "e", "positions": {"days": 1}}])
    >>> up = PreferenceModel(party="u", label="U", weights={"pay": 1, "days": 1},
    ...     values={"pay": {"kind": "linear", "direction": "higher"}, "days": {"kind": "linear", "direction": "higher"}})
    >>> down = PreferenceModel(party="e", label="E", weights={"pay": 1, "days": 1},
    ...     values={"pay": {"kind": "linear", "direction": "lower"}, "days": {"kind": "linear", "direction": "lower"}})
    >>> p1, p2 = filled_proposals(case, utility_tables(case.issues, [up, down]), dt.date(2023, 9, 1))
    >>> p1.package, [f.basis.value for f in p1.fills]
    ({'pay': 4.0, 'days': 2.0}, ['stated', 'receiver_worst'])
    >>> p2.package, [f.basis.value for f in p2.fills]
    ({'pay': 4.0, 'days': 1.0}, ['carried', 'stated'])
    """
    issues = {issue.id: issue for issue in case.issues}
    missing = [i for i in tables.issue_ids if i not in issues]
    if missing:
        raise ValueError(f"the utility tables name issues the case does not have: {missing}")
    column = {party: j for j, party in enumerate(tables.parties)}
    last: dict[tuple[str, str], tuple[Value, str]] = {}
    out: list[FilledProposal] = []
    for proposal in tabled_proposals(case, as_of):
        stated = {i: p.value for i, p in proposal.positions.items() if p.value is not None}
        if proposal.from_party in column and proposal.to_party in column:
            out.append(_fill(proposal, stated, issues, tables, column, last))
        for issue_id, value in stated.items():
            last[(proposal.from_party, issue_id)] = (value, proposal.id)
    return out


def _fill(
    proposal: Proposal,
    stated: dict[str, Value],
    issues: dict[str, Issue],
    tables: UtilityTables,
    column: dict[str, int],
    last: dict[tuple[str, str], tuple[Value, str]],
) -> FilledProposal:
    choices: list[int] = []
    fills: list[FilledIssue] = []
    me, them = column[proposal.from_party], column[proposal.to_party]
    for issue_id, options, table in zip(tables.issue_ids, tables.options, tables.tables, strict=True):
        issue = issues[issue_id]
        if issue_id in stated:
            index = option_index(issue, options, stated[issue_id])
            fill = FilledIssue(issue_id, options[index], FillBasis.STATED, None)
        elif (proposal.from_party, issue_id) in last:
            value, source = last[(proposal.from_party, issue_id)]
            index = option_index(issue, options, value)
            fill = FilledIssue(issue_id, options[index], FillBasis.CARRIED, source)
        else:
            # lexsort: the last key is primary (receiver's utility, ascending), then proposer's best
            index = int(np.lexsort((np.arange(len(options)), -table[:, me], table[:, them]))[0])
            fill = FilledIssue(issue_id, options[index], FillBasis.RECEIVER_WORST, None)
        choices.append(index)
        fills.append(fill)
    return FilledProposal(
        proposal.id, proposal.date, proposal.from_party, proposal.to_party, tuple(choices), tuple(fills)
    )

"""Cross-reference checks of a case: every problem found, each with the path of the field at fault."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from accord.model.event import (
    Event,
    Request,
    Response,
    Statement,
    StoppageEnded,
    StoppageStarted,
    TAWithdrawn,
    TentativeAgreement,
    Vote,
)
from accord.model.issue import Issue
from accord.model.limits import printable
from accord.model.party import Party
from accord.model.proposal import Positions, Proposal

if TYPE_CHECKING:
    from accord.model.case import Case

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a case: where (a path of field names and list indexes) and what."""

    path: Path
    message: str

    @property
    def where(self) -> str:
        """The path written as ``proposals[3].positions.ai``."""
        text = ""
        for part in self.path:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
        return printable(text) or "(case)"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class CaseInvalid(Exception):
    """A case whose references do not resolve. ``problems`` lists every one found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


def reference_problems(case: Case) -> list[Problem]:
    """Every broken reference in ``case``: duplicate ids, unknown ids, values outside an issue's
    domain, an end before its start, an answer to a proposal that does not exist."""
    checker = _Checker(case)
    checker.check()
    return checker.problems


def estimate_problems(case: Case) -> list[Problem]:
    """Estimates whose ``regarding`` names no proposal or tentative agreement of ``case``.

    Not part of a case's own check (:func:`reference_problems`): on the team server estimates are
    items of the case, checked with every record when one is added or replaced, while a viewer's
    case holds only the records the viewer may see (an estimate regarding another party's draft
    is then shown beside nothing). Case files are checked whole (:mod:`accord.casefile.io`).

    Examples
    --------
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t", parties=[{"id": "u", "name": "U", "kind": "union"}],
    ...     estimates=[{"id": "x", "label": "L", "scope": "s", "by": "b", "regarding": ["p9"]}])
    >>> [str(p) for p in estimate_problems(case)]
    ["estimates[0].regarding[0]: proposal or tentative agreement 'p9' does not exist"]
    """
    checker = _Checker(case)
    checker.check_estimate_records()
    return checker.problems


class _Checker:
    def __init__(self, case: Case) -> None:
        self.case = case
        self.problems: list[Problem] = []
        self.parties = {p.id: p for p in case.parties}
        self.issues: dict[str, Issue] = {i.id: i for i in case.issues}
        self.sources = {s.id for s in case.sources}
        self.records = {r.id: r for r in case.records()}
        self.superseded = {r.supersedes for r in case.records() if r.supersedes}

    def add(self, path: Path, message: str) -> None:
        self.problems.append(Problem(path, message))

    def check(self) -> None:
        case = self.case
        self.unique("parties", [p.id for p in case.parties], "party")
        self.unique("issues", [i.id for i in case.issues], "issue")
        self.unique("sources", [s.id for s in case.sources], "source")
        self.unique("estimates", [e.id for e in case.estimates], "estimate")
        record_ids = [("proposals", i, p.id) for i, p in enumerate(case.proposals)]
        record_ids += [("events", i, e.id) for i, e in enumerate(case.events)]
        seen: set[str] = set()
        for group, index, record_id in record_ids:
            if record_id in seen:
                self.add(
                    (group, index, "id"),
                    f"duplicate record id {record_id!r} (ids of proposals and events must be unique)",
                )
            seen.add(record_id)
        for index, party in enumerate(case.parties):
            self.check_party(index)
            self.known_sources(("parties", index, "sources"), party.sources)
        self.check_aliases("parties", case.parties, "party")
        self.check_aliases("issues", case.issues, "issue")
        for index, issue in enumerate(case.issues):
            self.known_sources(("issues", index, "sources"), issue.sources)
            for party_id in getattr(issue, "directions", {}):
                if party_id not in self.parties:
                    self.add(("issues", index, "directions", party_id), f"unknown party {party_id!r}")
        for index, proposal in enumerate(case.proposals):
            self.check_proposal(index, proposal)
        for index, event in enumerate(case.events):
            self.check_event(index, event)
        self.check_stoppages()
        for index, estimate in enumerate(case.estimates):
            self.known_sources(("estimates", index, "sources"), estimate.sources)
            self.known_party(("estimates", index, "party"), estimate.party)

    def check_estimate_records(self) -> None:
        for index, estimate in enumerate(self.case.estimates):
            for k, record_id in enumerate(estimate.regarding):
                self.known_record(
                    ("estimates", index, "regarding", k),
                    record_id,
                    (Proposal, TentativeAgreement),
                    "proposal or tentative agreement",
                )

    def check_aliases(self, group: str, items: Sequence[Party | Issue], what: str) -> None:
        """A name or alias of one party (issue) is no alias of another: it would be ambiguous."""
        owners: dict[str, str] = {}
        for item in items:
            for name in (item.name, getattr(item, "short_name", None)):
                if name:
                    owners.setdefault(name.casefold(), item.id)
        for index, item in enumerate(items):
            for a_index, alias in enumerate(item.aliases):
                owner = owners.setdefault(alias.casefold(), item.id)
                if owner != item.id:
                    self.add(
                        (group, index, "aliases", a_index),
                        f"{alias!r} already names {what} {owner!r}; an alias names one {what} only",
                    )

    def unique(self, group: str, ids: list[str], what: str) -> None:
        counts = Counter(ids)
        for index, item_id in enumerate(ids):
            if counts[item_id] > 1 and ids.index(item_id) != index:
                self.add((group, index, "id"), f"duplicate {what} id {item_id!r}")

    def known_party(self, path: Path, party_id: str | None) -> None:
        if party_id is not None and party_id not in self.parties:
            self.add(path, f"unknown party {party_id!r}; expected one of {sorted(self.parties)}")

    def known_parties(self, path: Path, party_ids: Iterable[str]) -> None:
        for index, party_id in enumerate(party_ids):
            self.known_party((*path, index), party_id)

    def known_sources(self, path: Path, source_ids: Iterable[str]) -> None:
        for index, source_id in enumerate(source_ids):
            if source_id not in self.sources:
                self.add((*path, index), f"unknown source {source_id!r}")

    def known_record(self, path: Path, record_id: str | None, kinds: tuple[type, ...], what: str) -> None:
        if record_id is None:
            return
        record = self.records.get(record_id)
        if record is None:
            self.add(path, f"{what} {record_id!r} does not exist")
        elif not isinstance(record, kinds):
            self.add(path, f"{record_id!r} is a {type(record).__name__}, expected a {what}")

    def check_party(self, index: int) -> None:
        party = self.case.parties[index]
        path: Path = ("parties", index)
        members = set(party.members)
        for m_index, member in enumerate(party.members):
            self.known_party((*path, "members", m_index), member)
            if member == party.id:
                self.add((*path, "members", m_index), "a coalition cannot be its own member")
        if party.decision_rule is not None:
            rule = party.decision_rule
            for member in rule.shares:
                if member not in members:
                    self.add(
                        (*path, "decision_rule", "shares", member),
                        f"{member!r} is not a member of {party.id!r}",
                    )
            for v_index, member in enumerate(rule.vetoes):
                if member not in members:
                    self.add(
                        (*path, "decision_rule", "vetoes", v_index),
                        f"{member!r} is not a member of {party.id!r}",
                    )

    def check_record(self, path: Path, record: Proposal | Event) -> None:
        self.known_sources((*path, "sources"), record.sources)
        if record.supersedes is not None:
            target = self.records.get(record.supersedes)
            if target is None:
                self.add((*path, "supersedes"), f"superseded record {record.supersedes!r} does not exist")
            elif target is record:
                self.add((*path, "supersedes"), "a record cannot supersede itself")
            elif type(target) is not type(record):
                self.add(
                    (*path, "supersedes"),
                    f"{record.supersedes!r} is a {type(target).__name__}; a correction must be of the same kind",
                )

    def check_positions(self, path: Path, positions: Positions) -> None:
        for issue_id, position in positions.items():
            issue = self.issues.get(issue_id)
            if issue is None:
                self.add(
                    (*path, issue_id), f"unknown issue {issue_id!r}; expected one of {sorted(self.issues)}"
                )
            elif position.value is not None:
                error = issue.value_error(position.value)
                if error:
                    self.add((*path, issue_id, "value"), f"issue {issue_id!r}: {error}")
            self.known_sources((*path, issue_id, "sources"), position.sources)

    def check_proposal(self, index: int, proposal: Proposal) -> None:
        path: Path = ("proposals", index)
        self.check_record(path, proposal)
        self.known_party((*path, "from"), proposal.from_party)
        self.known_party((*path, "to"), proposal.to_party)
        if proposal.from_party == proposal.to_party:
            self.add((*path, "to"), "a proposal must go to another party")
        self.check_positions((*path, "positions"), proposal.positions)
        for a_index, answered in enumerate(proposal.answers):
            target = self.records.get(answered)
            if not isinstance(target, Proposal):
                self.add((*path, "answers", a_index), f"answers proposal {answered!r}, which does not exist")
            elif target.moment > proposal.moment:
                self.add(
                    (*path, "answers", a_index),
                    f"answers {answered!r} of {target.date}, which is later than this proposal ({proposal.date})",
                )

    def check_event(self, index: int, event: Event) -> None:
        path: Path = ("events", index)
        self.check_record(path, event)
        self.check_event_parties(path, event)
        if isinstance(event, Response):
            self.known_record(
                (*path, "responds_to"), event.responds_to, (Request, Proposal), "request or proposal"
            )
        if isinstance(event, (Request, Statement)):
            kinds, what = (
                ((Proposal, Request), "proposal or request")
                if isinstance(event, Statement)
                else ((Proposal,), "proposal")
            )
            for r_index, record_id in enumerate(event.regarding):
                self.known_record((*path, "regarding", r_index), record_id, kinds, what)
            self.known_issues((*path, "issues"), event.issues)
        if isinstance(event, Request):
            self.known_record((*path, "statement"), event.statement, (Statement,), "statement")
        if isinstance(event, Statement):
            stoppages = {e.stoppage for e in self.case.events if isinstance(e, StoppageStarted)}
            for s_index, stoppage in enumerate(event.stoppages):
                if stoppage not in stoppages:
                    self.add(
                        (*path, "stoppages", s_index),
                        f"unknown stoppage {stoppage!r}; expected one of {sorted(stoppages)}",
                    )
        if isinstance(event, Statement):
            self.known_record((*path, "disputes"), event.disputes, (Statement,), "statement")
        if isinstance(event, TentativeAgreement):
            self.known_issues((*path, "issues"), event.issues)
            self.check_positions((*path, "terms"), event.terms)
        if isinstance(event, (TAWithdrawn, Vote)):
            self.known_record(
                (*path, "agreement"), event.agreement, (TentativeAgreement,), "tentative agreement"
            )

    def check_event_parties(self, path: Path, event: Event) -> None:
        """Every party an event names (under whichever field its kind has) is a party of the case."""
        for field in ("parties", "members"):
            if hasattr(event, field):
                self.known_parties((*path, field), getattr(event, field))
        for field, alias in (
            ("party", "party"),
            ("by", "by"),
            ("against", "against"),
            ("from_party", "from"),
            ("to_party", "to"),
            ("turn_of", "turn_of"),
        ):
            if hasattr(event, field):
                self.known_party((*path, alias), getattr(event, field))

    def known_issues(self, path: Path, issue_ids: Sequence[str]) -> None:
        for i_index, issue_id in enumerate(issue_ids):
            if issue_id not in self.issues:
                self.add((*path, i_index), f"unknown issue {issue_id!r}")

    def check_stoppages(self) -> None:
        starts: dict[str, StoppageStarted] = {}
        for index, event in enumerate(self.case.events):
            if isinstance(event, StoppageStarted) and event.id not in self.superseded:
                if event.stoppage in starts:
                    self.add(
                        ("events", index, "stoppage"),
                        f"stoppage {event.stoppage!r} already started on {starts[event.stoppage].date}",
                    )
                starts[event.stoppage] = event
        ended: set[str] = set()
        for index, event in enumerate(self.case.events):
            if not isinstance(event, StoppageEnded) or event.id in self.superseded:
                continue
            start = starts.get(event.stoppage)
            if start is None:
                self.add(("events", index, "stoppage"), f"stoppage {event.stoppage!r} ends but never started")
            elif event.moment < start.moment:
                self.add(
                    ("events", index, "date"),
                    f"stoppage {event.stoppage!r} ends ({event.date}) before it starts ({start.date})",
                )
            if event.stoppage in ended:
                self.add(("events", index, "stoppage"), f"stoppage {event.stoppage!r} already ended")
            ended.add(event.stoppage)

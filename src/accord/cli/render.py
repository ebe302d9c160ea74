"""Rich renderings of the ledger views: one function per view, each returning a renderable.

Every table is a :class:`FittedTable`: laid out for the width it is printed at, it wraps text at
word boundaries and never breaks a word (a date, an id, a number) unless a single word is wider
than the whole table may be.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from accord.ledger import (
    CitedSource,
    IssueGap,
    Movement,
    OpenRequest,
    PartyMovement,
    Pending,
    PositionAt,
    StatusReport,
    StoppageCount,
    TAStatus,
    TimelineEntry,
    agreement_text,
    origin_text,
)
from accord.ledger.stoppages_view import CountNote
from accord.model import Case

SHORT = 12
"""Columns whose longest word is at most this wide (dates, numbers, labels) are kept whole first."""
NARROWEST = 8
"""...while every other column can still be this wide."""

LABEL_STYLE = {
    "agreed": "green",
    "close": "yellow",
    "apart": "red",
    "entrenched": "bold red",
    "no position": "dim",
}


def party_label(case: Case, party_id: str | None) -> str:
    if party_id is None:
        return "-"
    try:
        return case.party(party_id).label
    except KeyError:
        return party_id


def issue_label(case: Case, issue_id: str) -> str:
    try:
        return case.issue(issue_id).name
    except KeyError:
        return issue_id


def position_text(case: Case, position: PositionAt | None, *, full: bool = False) -> str:
    """A position as a short value (with its unit) and where the value came from
    (``13 % (carried from Aug 11, C)``), or the source's wording where there is no value."""
    if position is None:
        return "-"
    value = position.value
    if value is None or full:
        return position.text or "(no stated value)"
    return f"{value_text(case, position.issue, value)} ({origin_text(position)})"


def value_text(case: Case, issue_id: str, value: object) -> str:
    """A value as a short text, with its unit."""
    if value is None:
        return "(no stated value)"
    if isinstance(value, frozenset):
        return ", ".join(sorted(value)) or "(none)"
    if isinstance(value, (int, float)):
        unit = getattr(case.issue(issue_id), "unit", "")
        return f"{value:g} {unit}".strip()
    return str(value)


def sources_text(ids: Sequence[str], confidence: str) -> str:
    """``S1, S2 [A]``, or ``unsourced`` for a record that cites no source."""
    return f"{', '.join(ids)} [{confidence}]" if ids else "unsourced"


def agreed_text(case: Case, line: TAStatus) -> str:
    """An agreed issue's terms: their value, or that they are not recorded."""
    if line.terms is None or line.terms.value is None:
        return (line.terms.text if line.terms else None) or "(terms not recorded)"
    return f"{value_text(case, line.issue, line.terms.value)} (TA terms)"


class FittedTable(Table):
    """A table whose columns are sized, each time it is printed, so that no word is broken.

    Each column needs at least its longest word and wants its longest line. When every column can
    have what it wants, it does; when the width falls between the two sums, each column gets its
    longest word plus a share of the rest in proportion to what it still wants; below that, Rich's
    own squeezing applies. Text cells are taken as plain text (a ``[`` in a case's wording is not
    markup).
    """

    def add_row(self, *renderables: Any, **kwargs: Any) -> None:
        cells = [Text(r) if isinstance(r, str) else r for r in renderables]
        super().add_row(*cells, **kwargs)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        self._fit(console, options)
        yield from super().__rich_console__(console, options)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        self._fit(console, options)
        return super().__rich_measure__(console, options)

    def _fit(self, console: Console, options: ConsoleOptions) -> None:
        for column in self.columns:
            column.width = None
        edges = ((2 if self.show_edge else 0) + len(self.columns) - 1) if self.box else 0
        room = options.max_width - edges - 2 * len(self.columns)  # each cell is padded by one a side
        needs, wants = [], []
        for column in self.columns:
            cells = [column.header, *column._cells]
            sizes = [Measurement.get(console, options.update_width(10**6), cell) for cell in cells]
            needs.append(max(size.minimum for size in sizes))
            wants.append(max(size.maximum for size in sizes))
        if sum(wants) <= room:
            return
        widths = _capped(needs, wants, room) if sum(needs) > room else _shared(needs, wants, room)
        for column, width in zip(self.columns, widths, strict=True):
            column.width = max(width, 1)


def _shared(needs: Sequence[int], wants: Sequence[int], room: int) -> list[int]:
    """Widths summing to ``room`` when every column's longest word fits but not every longest line:
    the columns that want least beyond their need get all they want first, while it lasts (a
    "day 130" or an "in force" stays on one line), and what is left goes to the others in
    proportion to what they still want.

    Examples
    --------
    >>> _shared([10, 3, 8], [10, 7, 200], 30)
    [10, 7, 13]
    >>> _shared([15, 5, 5, 10, 3, 9, 5], [15, 12, 8, 10, 5, 14, 5], 58)
    [15, 6, 8, 10, 5, 9, 5]
    """
    widths = list(needs)
    spare = room - sum(needs)
    order = sorted(range(len(needs)), key=lambda i: wants[i] - needs[i])
    for position, i in enumerate(order):
        if wants[i] - needs[i] > spare:  # this one and every later one: a share of what is left
            rest = order[position:]
            more = [wants[j] - needs[j] for j in rest]
            shares = [spare * m // sum(more) for m in more]
            for extra, j in enumerate(sorted(rest, key=lambda j: -(wants[j] - needs[j]))):
                if extra < spare - sum(shares):  # what rounding down left over, to the hungriest
                    widths[j] += 1
            for j, share in zip(rest, shares, strict=True):
                widths[j] += share
            break
        widths[i] = wants[i]
        spare -= wants[i] - needs[i]
    return widths


def _capped(needs: Sequence[int], wants: Sequence[int], room: int) -> list[int]:
    """Widths summing to at most ``room`` when the columns' longest words do not all fit, so some
    word must break. Short words (dates, numbers, labels: at most :data:`SHORT` wide) stay whole, and
    short cells ("day 130", "in force") on one line, while the other columns keep at least
    :data:`NARROWEST`; those others then share what is left, each up to its need, so that only the
    longest words (ids, long names) are broken.

    Examples
    --------
    >>> _capped([21, 9, 5, 10, 3, 9, 5], [21, 12, 8, 10, 7, 14, 5], 58)
    [10, 9, 8, 10, 7, 9, 5]
    >>> _capped([10, 30], [10, 30], 20)
    [10, 10]
    """
    n = len(needs)
    short = [i for i in range(n) if needs[i] <= SHORT]
    widths = [needs[i] if i in short else min(needs[i], NARROWEST) for i in range(n)]
    if len(short) == n or sum(widths) > room:  # nothing to keep whole: one cap for all
        short, widths = [], [0] * n
    spare = room - sum(widths)
    for i in sorted(short, key=lambda i: wants[i]):  # the shortest cells first
        grow = min(wants[i], SHORT) - needs[i]
        if 0 < grow <= spare:
            widths[i] += grow
            spare -= grow
    rest = [i for i in range(n) if i not in short]
    cap = max((widths[i] for i in rest), default=0)
    while (
        rest
        and sum(max(widths[i], min(needs[i], cap + 1)) for i in rest) - sum(widths[i] for i in rest) <= spare
    ):
        cap += 1
        if cap >= max(needs[i] for i in rest):
            break
    for i in rest:
        widths[i] = max(widths[i], min(needs[i], cap))
    return widths


def titled_table(title: str, *columns: str) -> Table:
    table = FittedTable(
        title=title or None,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_lines=False,
        expand=False,
        padding=(0, 1),
    )
    for column in columns:
        table.add_column(column, overflow="fold")  # a word wider than its column folds, never vanishes
    return table


def stoppages_table(case: Case, counts: Sequence[StoppageCount]) -> RenderableType:
    """The counters; the end date only where a stoppage has ended, "day N" only where one is in
    force (so that the table keeps to the terminal's width)."""
    has_ended = any(c.end_date is not None for c in counts)
    has_day = any(c.day_number is not None for c in counts)
    columns = ["stoppage", "by", "state", "since", *(["ended"] * has_ended), *(["day N"] * has_day)]
    table = titled_table("Stoppages", *columns, "days completed", "total")
    for c in counts:
        ended = "-" if c.end_date is None else c.end_date.isoformat()
        if c.end_time is not None:
            ended += f" {c.end_time.strftime('%H:%M')}"
        day = "-" if c.day_number is None else f"day {c.day_number}"
        table.add_row(
            c.stoppage,
            f"{party_label(case, c.by)} vs {party_label(case, c.against)}",
            c.state.value.replace("_", " "),
            c.start_date.isoformat(),
            *([ended] * has_ended),
            *([day] * has_day),
            str(c.days_completed),
            "-" if c.total_days is None else f"{c.total_days} days",
        )
    return table if counts else Text("Stoppages: none as of this date.")


def count_notes_text(notes: Sequence[CountNote]) -> RenderableType:
    """The notes on how the stoppages are counted, one paragraph each."""
    lines = [
        f"Note on {', '.join(n.stoppages)} ({n.record_id}, {n.date.isoformat()}): {n.note}" for n in notes
    ]
    return Text("\n".join(lines), style="dim")


def gaps_table(case: Case, gaps: Sequence[IssueGap]) -> RenderableType:
    """The gaps, one row an issue, and under the table what each side wants that the other's
    position lacks (the holes: kept out of the table, whose columns then fit a terminal of 100
    columns without breaking a word)."""
    if not gaps:
        return Text("Gaps: no issues.")
    a, b = gaps[0].side_a, gaps[0].side_b
    table = titled_table(
        f"Gap per issue, {party_label(case, a)} vs {party_label(case, b)} (largest first)",
        "issue",
        "gap (open)",
        "closed by",
        "label",
        party_label(case, a),
        party_label(case, b),
    )
    holes = []
    for g in gaps:
        side_a, side_b, wanted = _gap_sides(case, g)
        table.add_row(
            issue_label(case, g.issue),
            _gap_and_share(g),
            _closed_by(case, g),
            Text(_gap_label(g), style=LABEL_STYLE.get(g.label.value, "")),
            side_a,
            side_b,
        )
        if wanted:
            holes.append(f"  {issue_label(case, g.issue)}: {wanted}")
    if not holes:
        return table
    return Group(
        table, Text("Holes (what a side wants that the other's position lacks):\n" + "\n".join(holes))
    )


def _gap_and_share(g: IssueGap) -> str:
    """The value distance, and the share of the opening gap still open: ``0.33 (67%)``."""
    if g.distance is None:
        return "-"
    return f"{g.distance:.2f}" if g.open_share is None else f"{g.distance:.2f} ({_share(g.open_share)})"


def _share(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"


def _closed_by(case: Case, g: IssueGap) -> str:
    if g.closed_by_a is None or g.closed_by_b is None:
        return "-"
    return (
        f"{party_label(case, g.side_a)} {_share(g.closed_by_a)}, "
        f"{party_label(case, g.side_b)} {_share(g.closed_by_b)}"
    )


def _gap_label(g: IssueGap) -> str:
    return g.label.value if g.agreement is None else agreement_text(g.agreement)


def _gap_sides(case: Case, g: IssueGap) -> tuple[str, str, str]:
    """The two sides' cells and the holes ("" when none): the agreed terms once the issue is agreed."""
    if g.agreement is not None:
        terms = agreed_text(case, g.agreement)
        return terms, terms, ""
    holes = []
    if g.holes_a:
        holes.append(f"{party_label(case, g.side_a)} wants: {', '.join(g.holes_a)}")
    if g.holes_b:
        holes.append(f"{party_label(case, g.side_b)} wants: {', '.join(g.holes_b)}")
    return position_text(case, g.position_a), position_text(case, g.position_b), "; ".join(holes)


def movement_table(case: Case, moves: Sequence[Movement], summary: Iterable[PartyMovement]) -> RenderableType:
    table = titled_table(
        "Movement since opening", "party", "issue", "moves", "concession", "hardening", "entrenched"
    )
    for m in moves:
        if m.opening is None:
            continue
        table.add_row(
            party_label(case, m.party),
            issue_label(case, m.issue),
            str(m.moves),
            f"{m.concession:.2f}",
            f"{m.hardening:.2f}",
            "yes" if m.entrenched else "",
        )
    lines = [
        f"{party_label(case, s.party)}: {s.moves} move(s) on {len(s.issues_moved)} issue(s), "
        f"total concession {s.concession:.2f}"
        + (f"; entrenched on {', '.join(s.entrenched_issues)}" if s.entrenched_issues else "")
        for s in summary
    ]
    return Group(table, Text("\n".join(lines)))


def pending_view(case: Case, pending: Pending) -> RenderableType:
    parts: list[RenderableType] = []
    if pending.settled_by is not None and pending.settled_on is not None:
        turn = f"nobody: settled, TA {pending.settled_on.isoformat()}"
        basis = f" ({pending.settled_by})"
    else:
        turn = party_label(case, pending.turn) if pending.turn else "nobody (no open proposal)"
        basis = f" ({pending.turn_basis})" if pending.turn_basis else ""
    parts.append(Text(f"Whose turn, by the record: {turn}{basis}"))
    if pending.claims:
        claims = titled_table(
            "Public claims about whose turn it is" + (" — DISPUTED" if pending.disputed else ""),
            "date",
            "speaker",
            "says it is the turn of",
            "statement",
            "sources",
        )
        for claim in pending.claims:
            claims.add_row(
                claim.date.isoformat(),
                party_label(case, claim.party),
                party_label(case, claim.turn_of),
                claim.quote or claim.summary,
                sources_text(claim.sources, claim.confidence.value),
            )
        parts.append(claims)
    if pending.unanswered:
        table = titled_table("Unanswered proposals", "proposal", "date", "from", "to", "days waiting")
        for p in pending.unanswered:
            table.add_row(
                p.proposal_id,
                p.date.isoformat(),
                party_label(case, p.from_party),
                party_label(case, p.to_party),
                str(p.days_waiting),
            )
        parts.append(table)
    if pending.open_requests:
        parts.append(open_requests_table(case, pending.open_requests))
    return Group(*parts)


def open_requests_table(case: Case, requests: Sequence[OpenRequest]) -> RenderableType:
    """Open requests per issue (a request on several issues under each), with who says what."""
    table = titled_table(
        "Open requests, per issue",
        "issue",
        "request",
        "date",
        "from → to",
        "asks for",
        "days waiting",
        "who says what",
    )
    by_issue = [(issue, r) for r in requests for issue in (r.issues or (None,))]
    order = {issue.id: index for index, issue in enumerate(case.issues)}
    for issue, r in sorted(by_issue, key=lambda item: order.get(item[0] or "", len(order))):
        said = [f"{r.date.isoformat()} {party_label(case, r.from_party)}: {r.summary}"] if r.summary else []
        said += [f"{s.date.isoformat()} {party_label(case, s.party)}: {s.quote or s.summary}" for s in r.said]
        table.add_row(
            "-" if issue is None else issue_label(case, issue),
            r.request_id,
            r.date.isoformat(),
            f"{party_label(case, r.from_party)} → {party_label(case, r.to_party)}",
            r.asks.value,
            str(r.days_waiting),
            "\n".join(said) or "-",
        )
    return table


def ta_board_table(case: Case, board: Sequence[TAStatus]) -> RenderableType:
    table = titled_table("Tentative-agreement board", "issue", "status", "agreement", "date", "terms")
    for line in board:
        table.add_row(
            issue_label(case, line.issue),
            agreement_text(line) if line.is_agreed else line.status.value,
            line.agreement_id or line.withdrawal_id or "-",
            (line.agreement_date or line.withdrawal_date or "-").__str__(),
            agreed_text(case, line) if line.is_agreed else "-",
        )
    return table


def sources_table(cited: Sequence[CitedSource], title: str = "Sources") -> RenderableType:
    """The sources, one paragraph each: id, outlet, date and title, then the address (a link where
    the output allows, never broken) and the records that cite it."""
    if not cited:
        return Text(f"{title}: none.")
    text = Text(f"{title}\n", style="bold")
    for source in cited:
        head = [
            source.id,
            source.outlet or "(no outlet)",
            "-" if source.date is None else source.date.isoformat(),
        ]
        text.append("\n" + " · ".join(head) + (f" · {source.title}" if source.title else "") + "\n")
        if source.url:
            text.append("  ")
            text.append(source.url, style=f"link {source.url}")
            text.append("\n")
        else:
            text.append("  (no address)\n")
        if source.cited_by:
            text.append(f"  cited by: {', '.join(source.cited_by)}\n")
    return text


def timeline_table(case: Case, entries: Sequence[TimelineEntry], title: str = "Timeline") -> RenderableType:
    table = titled_table(title, "date", "kind", "record", "summary", "sources")
    for e in entries:
        summary = e.summary + (f" (superseded by {e.superseded_by})" if e.superseded_by else "")
        when = e.date.isoformat() + (f" {e.time.strftime('%H:%M')}" if e.time else "")
        table.add_row(
            when,
            e.kind.replace("_", " "),
            e.record_id,
            summary,
            sources_text(e.sources, e.confidence.value),
        )
    return table


def status_view(case: Case, report: StatusReport) -> RenderableType:
    a, b = report.sides
    header = Text(
        f"{report.title}\nStatus as of {report.as_of.isoformat()}: "
        f"{party_label(case, a)} vs {party_label(case, b)}",
        style="bold",
    )
    return Group(
        header,
        stoppages_table(case, report.stoppages),
        gaps_table(case, report.gaps),
        movement_table(case, report.movement, report.who_moved),
        pending_view(case, report.pending),
        ta_board_table(case, report.ta_board),
        timeline_table(case, report.recent, "Latest records"),
    )

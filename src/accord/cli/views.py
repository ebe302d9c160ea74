"""Where a negotiation stands: `accord status`, `timeline`, `gaps`, `movement`, `pending`, `stoppages`,
`positions`, `ta-board` and `sources`. Each parses its options, calls accord.ledger and renders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.cli.app import app
from accord.cli.common import (
    AsOfOpt,
    CaseArg,
    JsonOpt,
    as_of_or_last,
    bad_input_exits,
    console,
    date_span,
    emit,
    fail,
    load_case,
    parse_date,
    print_json,
)

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from accord import ledger
    from accord.model import Case

SideOpt = Annotated[
    str | None, typer.Option(metavar="PARTY", help="A party id (default: the case's two main sides).")
]


def _check_party(case: Case, party_id: str | None, option: str) -> None:
    if party_id is not None and party_id not in {p.id for p in case.parties}:
        fail(f"{option}: unknown party {party_id!r}; expected one of {sorted(p.id for p in case.parties)}")


def _sides(case: Case, side_a: str | None, side_b: str | None) -> tuple[str | None, str | None]:
    _check_party(case, side_a, "--side-a")
    _check_party(case, side_b, "--side-b")
    return side_a, side_b


def _show_two_sided(
    case: str,
    as_of: str | None,
    side_a: str | None,
    side_b: str | None,
    as_json: bool,
    name: str,
    view: Callable[[Case, dt.date, str | None, str | None], Any],
    show: Callable[[Case, Any], RenderableType],
) -> None:
    """Load the case, compute a two-sided ledger ``view`` as of the date, and print it as JSON (in
    its envelope, named ``name``) or as ``show`` renders it (what `gaps`, `pending` and `ta-board` do)."""
    from accord.ledger import envelope

    record = load_case(case)
    when = as_of_or_last(record, as_of)
    result = view(record, when, *_sides(record, side_a, side_b))
    emit(
        as_json, lambda: envelope(name, record.id, when, result), lambda out: out.print(show(record, result))
    )


@app.command()
def status(
    case: CaseArg,
    as_of: AsOfOpt = None,
    side_a: SideOpt = None,
    side_b: SideOpt = None,
    as_json: JsonOpt = False,
    html: Annotated[
        Path | None, typer.Option(help="Also write the report as a standalone HTML file.")
    ] = None,
) -> None:
    """One-screen summary: stoppages, gaps ranked, movement, pending responses, TA board."""
    from accord import ledger
    from accord.cli import render

    record = load_case(case)
    when = as_of_or_last(record, as_of)
    a, b = _sides(record, side_a, side_b)
    with bad_input_exits():
        report = ledger.status(record, when, a, b)
    emit(
        as_json,
        lambda: ledger.envelope("status", record.id, when, report),
        lambda out: out.print(render.status_view(record, report)),
    )
    if html is not None:
        write_html_report(record, report, html)


def write_html_report(case: Case, report: ledger.StatusReport, path: Path) -> None:
    """The same report as a standalone HTML file (inline styles, no scripts, no network), with the
    sources of the records to its date, each linked to its address."""
    import io

    from rich.console import Console

    from accord import ledger
    from accord.casefile.atomic import write_text_atomically
    from accord.cli import render

    recorder = Console(record=True, width=140, file=io.StringIO())
    recorder.print(render.status_view(case, report))
    known = {r.id for r in ledger.effective_records(case) if r.date <= report.as_of}
    cited = [s for s in ledger.sources(case) if known.intersection(s.cited_by)]
    recorder.print(render.sources_table(cited, "Sources of the records to this date"))
    title = f"{report.title} — status as of {report.as_of.isoformat()}"
    page = recorder.export_html(inline_styles=True)
    page = page.replace(
        "<head>", f'<head>\n<title>{title}</title>\n<meta name="viewport" content="width=device-width">', 1
    )
    page = page.replace("<html>", '<html lang="en">', 1)
    write_text_atomically(path, page)


@app.command()
def timeline(
    case: CaseArg,
    as_of: AsOfOpt = None,
    party: Annotated[
        list[str] | None, typer.Option(help="Only records involving this party (repeatable).")
    ] = None,
    issue: Annotated[
        list[str] | None, typer.Option(help="Only records touching this issue (repeatable).")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", metavar="DATE", help="From this date (YYYY-MM-DD), inclusive.")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", metavar="DATE", help="Up to this date (YYYY-MM-DD), inclusive.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Proposals and events in time order, filterable by party, issue and date span."""
    from accord import ledger
    from accord.cli import render

    first, last = date_span(start, end)
    when = parse_date(as_of) if as_of else None
    if when is not None and first is not None and first > when:
        fail(f"--from {first.isoformat()} is after --as-of {when.isoformat()}: nothing is known then")
    record = load_case(case)
    for party_id in party or []:
        _check_party(record, party_id, "--party")
    for issue_id in issue or []:
        if issue_id not in {i.id for i in record.issues}:
            fail(
                f"--issue: unknown issue {issue_id!r}; expected one of {sorted(i.id for i in record.issues)}"
            )
    entries = ledger.timeline(
        record,
        when,
        parties=party or None,
        issues=issue or None,
        start=first,
        end=last,
    )
    emit(
        as_json,
        lambda: ledger.envelope("timeline", record.id, when or record.default_as_of(), entries),
        lambda out: out.print(render.timeline_table(record, entries)),
    )


@app.command()
def gaps(
    case: CaseArg,
    as_of: AsOfOpt = None,
    side_a: SideOpt = None,
    side_b: SideOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The gap per issue between two sides, ranked, with labels (agreed, close, apart, no position)."""
    from accord import ledger
    from accord.cli import render

    _show_two_sided(case, as_of, side_a, side_b, as_json, "gaps", ledger.gaps, render.gaps_table)


@app.command()
def movement(
    case: CaseArg,
    as_of: AsOfOpt = None,
    side_a: SideOpt = None,
    side_b: SideOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Who moved, how far, since their opening position; who is entrenched."""
    from accord import ledger
    from accord.cli import render
    from accord.ledger.movement_view import summarize
    from accord.ledger.positions import resolve_sides

    record = load_case(case)
    when = as_of_or_last(record, as_of)
    pair = resolve_sides(record, *_sides(record, side_a, side_b))
    moves = ledger.movement(record, when, *pair)
    summary = summarize(moves, pair)  # from the same movements: computed once
    emit(
        as_json,
        lambda: ledger.envelope("movement", record.id, when, {"movement": moves, "who_moved": summary}),
        lambda out: out.print(render.movement_table(record, moves, summary)),
    )


@app.command()
def pending(
    case: CaseArg,
    as_of: AsOfOpt = None,
    side_a: SideOpt = None,
    side_b: SideOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Open requests, unanswered proposals, and whose turn it is (disputed claims shown as such)."""
    from accord import ledger
    from accord.cli import render

    _show_two_sided(case, as_of, side_a, side_b, as_json, "pending", ledger.pending, render.pending_view)


@app.command()
def stoppages(case: CaseArg, as_of: AsOfOpt = None, as_json: JsonOpt = False) -> None:
    """Strike and lockout counters: "day N" and "N days completed", and the total once ended."""
    from accord import ledger
    from accord.cli import render
    from accord.ledger.stoppages_view import count_notes

    record = load_case(case)
    when = as_of_or_last(record, as_of)
    result = ledger.stoppages(record, when)

    def show(out: Console) -> None:
        out.print(render.stoppages_table(record, result))
        if notes := count_notes(record, when):
            out.print(render.count_notes_text(notes))

    emit(as_json, lambda: ledger.envelope("stoppages", record.id, when, result), show)


@app.command()
def positions(
    case: CaseArg,
    party: Annotated[str, typer.Argument(help="The party whose positions to show.")],
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A party's latest position on each issue, with the proposal it came from."""
    from accord import ledger
    from accord.cli import render

    record = load_case(case)
    _check_party(record, party, "PARTY")
    when = as_of_or_last(record, as_of)
    result = ledger.positions_as_of(record, when, party)

    def show(out: Console) -> None:
        title = f"Positions of {render.party_label(record, party)}"
        table = render.titled_table(title, "issue", "value", "wording", "from", "date", "status")
        for issue_id, pos in result.items():
            line = pos.agreement
            terms = None if line is None else line.terms
            table.add_row(
                render.issue_label(record, issue_id),
                render.position_text(record, pos) if line is None else render.agreed_text(record, line),
                (pos.text if terms is None else terms.text) or "-",
                pos.proposal_id if line is None else line.agreement_id or "-",
                pos.date.isoformat() if line is None else str(line.agreement_date),
                "open" if line is None else ledger.agreement_text(line),
            )
        out.print(table)

    emit(as_json, lambda: ledger.envelope("positions", record.id, when, result), show)


@app.command("ta-board")
def ta_board(
    case: CaseArg,
    as_of: AsOfOpt = None,
    side_a: SideOpt = None,
    side_b: SideOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Each issue's tentative-agreement status (open, TA'd, withdrawn)."""
    from accord import ledger
    from accord.cli import render

    _show_two_sided(case, as_of, side_a, side_b, as_json, "ta-board", ledger.ta_board, render.ta_board_table)


@app.command()
def sources(
    case: CaseArg,
    record: Annotated[
        str | None, typer.Argument(help="Only the sources this record (proposal or event) cites.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The sources of a case, or of one record: outlet, date, address, and the records citing each."""
    from accord import ledger
    from accord.cli import render

    loaded = load_case(case)
    with bad_input_exits():
        cited = ledger.sources(loaded, record)
    title = "Sources" if record is None else f"Sources of {record}"
    if as_json:
        print_json(ledger.envelope("sources", loaded.id, None, cited))
    else:  # soft-wrapped: an address is never broken
        console(soft_wrap=True).print(render.sources_table(cited, title))

"""`accord ingest`: read a news article against a case and propose draft records for review; with
``--apply``, add the accepted drafts of a review to the case (a case file, or a case on the team
server with ``--database-url``).

JSON shape (``--json``), stable: ``{"article": {published, source_url, outlet, title, format,
characters, words, sentences, digest, source_id}, "drafts": [{id, kind, party, to, date,
date_basis, known, quote, summary, sentence, span, issues, evidence, confidence, matches,
regarding, responds_to, turn_of, stance, asks, stoppage}]}``; with ``--apply``: ``{"case",
"source", "records": [ids], "unchanged": bool, "accepted", "rejected": int}``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.cli.app import app
from accord.cli.common import console, fail, parse_date, print_json

if TYPE_CHECKING:
    from accord.ingest import Reading, Review
    from accord.model import Case

EXTRA_MODULES = ("spacy", "dateparser", "trafilatura", "rapidfuzz")
INSTALL_HINT = "pip install 'accord[ingest]'"
REVIEW_HEADER = (
    "# accord ingest review: set accept: true or false for each draft, edit any field you need,\n"
    "# then run `accord ingest --apply {name}`. Drafts with `matches` restate a record the case holds.\n"
)


def require_extra() -> None:
    """Exit 2 naming the install command when the ``ingest`` extra is not installed."""
    missing = [name for name in EXTRA_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        fail(
            f"reading articles needs {', '.join(missing)} (the ingest extra); install it with {INSTALL_HINT}"
        )


@app.command()
def ingest(
    case: Annotated[
        str | None,
        typer.Argument(
            help="A case file or bundled case (a case id with --database-url); with --apply, "
            "the case file to write (default: the one the review names)."
        ),
    ] = None,
    file: Annotated[
        str | None,
        typer.Argument(
            help="The article: a text or HTML file, or - for standard input (nothing is fetched)."
        ),
    ] = None,
    published: Annotated[
        str | None, typer.Option("--published", help="The date the article was published (YYYY-MM-DD).")
    ] = None,
    source_url: Annotated[
        str | None, typer.Option("--source-url", help="Where the article was published.")
    ] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Who published it.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="auto, text or html.")] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (a documented, stable shape).")] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write a review file (YAML) to edit and --apply.")
    ] = None,
    apply: Annotated[
        Path | None, typer.Option("--apply", help="Add the accepted drafts of this review file to the case.")
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", help="The team server's database (the case is a case id there)."),
    ] = None,
) -> None:
    """Read a news article against a case: propose draft records (statements, offers, answers,
    requests, whose turn, stances, counts of strike days), each pinned to its sentence, for review.
    Nothing is written without --apply."""
    if apply is not None:
        if file is not None:
            fail("--apply takes a review file; give no article with it")
        _apply(apply, case, database_url, as_json)
        return
    if case is None or file is None:
        fail("give a CASE and an article FILE (or - for standard input), or --apply REVIEW.yaml")
    if published is None:
        fail("--published: the date the article was published is needed (YYYY-MM-DD)")
    require_extra()
    day = parse_date(published, "--published")
    raw = _read_article(file)
    record = _load(case, database_url)
    from accord.ingest import ArticleError, make_review, read_article

    try:
        reading = read_article(record, raw, published=day, source_url=source_url, outlet=outlet, fmt=fmt)
    except ArticleError as error:
        fail(f"{file}: {error}")
    if output is not None:
        case_file = None if database_url else _case_file(case)
        _write_review(output, make_review(reading, case_file))
    if as_json:
        print_json(_reading_json(reading))
    elif output is None:
        _render(reading)
    else:
        accepted = sum(1 for d in make_review(reading).drafts if d.accept)
        typer.echo(f"{output}: {len(reading.drafts)} drafts ({accepted} accepted by default) for review")


def _read_article(file: str) -> bytes:
    from accord.ingest import MAX_BYTES

    try:
        if file == "-":
            return sys.stdin.buffer.read(MAX_BYTES + 1)
        with open(file, "rb") as stream:
            return stream.read(MAX_BYTES + 1)
    except OSError as error:
        fail(f"{file}: cannot read the file: {error.strerror or error}")


def _load(case: str, database_url: str | None) -> Case:
    if database_url is None:
        from accord.cli.common import load_case

        return load_case(case)
    from accord.cli.server import _errors, _services

    services = _services(database_url)
    with _errors():
        found: Case = services.ingest.public_case(None, case)
    return found


def _case_file(case: str) -> str | None:
    """The path a review of ``case`` applies to (``None`` for a bundled case)."""
    path = Path(case)
    return str(path) if path.suffix.lower() in (".yaml", ".yml", ".json") and path.is_file() else None


def _write_review(output: Path, review: Review) -> None:
    from accord.casefile import CaseFileError
    from accord.casefile.atomic import write_text_atomically
    from accord.casefile.io import format_of
    from accord.casefile.yaml12 import dump_yaml
    from accord.ingest import review_data

    try:
        if format_of(output) != "yaml":
            fail(f"{output}: a review file is YAML; expected a .yaml or .yml name")
    except CaseFileError as error:
        fail(error.first_line)
    text = REVIEW_HEADER.format(name=output.name) + dump_yaml(review_data(review))
    try:
        write_text_atomically(output, text)
    except OSError as error:
        fail(f"{output}: cannot write the file: {error.strerror or error}")


def _reading_json(reading: Reading) -> dict[str, Any]:
    return {
        "article": reading.article.model_dump(mode="json"),
        "drafts": [d.model_dump(mode="json") for d in reading.drafts],
    }


def _render(reading: Reading) -> None:
    from rich.table import Table

    out = console()
    article = reading.article
    out.print(
        f"{article.title or '(untitled)'} · {article.outlet or 'unknown outlet'} · {article.published} · "
        f"{article.words} words, {len(reading.drafts)} drafts"
    )
    table = Table(show_lines=False)
    for header in ("id", "kind", "party", "date", "restates", "sentence"):
        table.add_column(header, overflow="fold")
    for draft in reading.drafts:
        what = draft.kind.value
        if draft.turn_of:
            what += f" → {draft.turn_of}"
        if draft.stance:
            what += f" ({draft.stance.value})"
        if draft.stoppage:
            what += f" {draft.stoppage.claimed}: {draft.stoppage.check.value}"
        table.add_row(
            draft.id,
            what,
            draft.party or "-",
            str(draft.date or "-"),
            draft.matches or "-",
            " ".join(draft.sentence.split())[:160],
        )
    out.print(table)
    out.print("Nothing was written: -o REVIEW.yaml writes a review to edit and --apply.")


def _apply(path: Path, case: str | None, database_url: str | None, as_json: bool) -> None:
    review = _read_review(path)
    from accord.ingest import ReviewRefused, apply_plan, plan_apply

    if database_url is not None:
        result = _apply_on_server(review, database_url)
    else:
        from accord.casefile import CaseFileError, read_case
        from accord.casefile.append import append_to_case_file

        target = case or review.case.file
        if target is None:
            fail(f"{path}: the review names no case file (it was made against a bundled or server case); "
                 "give the case file to write as CASE, or --database-url")  # fmt: skip
        try:
            record = read_case(target)
        except CaseFileError as error:
            fail(error.first_line)
        try:
            plan = plan_apply(record, review)
        except ReviewRefused as error:
            _refused(path, error)
        if not plan.unchanged:
            try:
                append_to_case_file(target, record, [plan.source] if plan.source else [], plan.records)
            except CaseFileError as error:
                fail(error.first_line)
            apply_plan(record, plan)
        result = {
            "case": str(target),
            "source": plan.source.id if plan.source else review.article.source_id,
            "records": [] if plan.unchanged else [r.id for r in plan.records],
            "unchanged": plan.unchanged,
            "accepted": plan.accepted,
            "rejected": plan.rejected,
        }
    if as_json:
        print_json(result)
    elif result["unchanged"]:
        typer.echo(f"{result['case']}: unchanged (this review was applied before)")
    else:
        typer.echo(
            f"{result['case']}: added {len(result['records'])} records sourced to {result['source']} "
            f"({result['rejected']} drafts not accepted)"
        )


def _apply_on_server(review: Review, database_url: str) -> dict[str, Any]:
    from accord.cli.server import _errors, _services

    services = _services(database_url)
    with _errors():
        applied = services.ingest.apply(None, review.case.id, review)
    return {
        "case": review.case.id,
        "source": applied.source,
        "records": list(applied.records),
        "unchanged": applied.unchanged,
        "accepted": applied.accepted,
        "rejected": applied.rejected,
    }


def _refused(path: Path, error: Any) -> None:
    what = "the review is stale" if error.stale else "the review cannot be applied"
    for problem in error.problems:
        typer.echo(f"{path}: {problem}", err=True)
    fail(f"{path}: {what}; nothing was written")


def _read_review(path: Path) -> Review:
    from accord.casefile import CaseFileError
    from accord.casefile.io import read_text
    from accord.casefile.messages import validate_document
    from accord.casefile.tree import parse
    from accord.ingest import Review

    try:
        document = parse(read_text(path), str(path), "yaml", what="an ingest review")
        return validate_document(document, str(path), Review, "review fields (format, case, article, drafts)")
    except CaseFileError as error:
        for problem in error.problems[1:]:
            typer.echo(problem.render(error.file), err=True)
        fail(error.first_line)

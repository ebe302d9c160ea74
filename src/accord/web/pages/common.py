"""Shared pieces of the pages: names of parties and issues, source links, the "as of" date, values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accord.model import Case, Issue, NumericIssue, ProvisionIssue
from accord.model.limits import is_web_url, parse_day
from accord.services import FieldProblem, Invalid


@dataclass(frozen=True, slots=True)
class SourceLink:
    """A cited source as a link (``url`` ``None`` where the source has no address)."""

    id: str
    label: str
    url: str | None


def parse_as_of(text: str | None, case: Case) -> dt.date:
    """The ``as_of`` query value, or the date of the case's last record when there is none.

    Raises :class:`~accord.services.Invalid` naming the field when the text is not a date.

    Examples
    --------
    >>> from accord.model import Case
    >>> case = Case(id="c", title="t", parties=[{"id": "u", "name": "U", "kind": "union"}])
    >>> parse_as_of("2023-09-08", case).isoformat()
    '2023-09-08'
    """
    return parse_date(text) or case.default_as_of()


def parse_date(text: str | None) -> dt.date | None:
    """The ``as_of`` query value as a date (``None`` when there is none); :class:`Invalid` naming
    the field when it is not a date from 1900-01-01 to 2100-12-31."""
    if not text:
        return None
    try:
        return parse_day(text)
    except ValueError as error:
        raise Invalid([FieldProblem("as_of", str(error))]) from None


def party_names(case: Case) -> dict[str, str]:
    """Party id -> its short name (else its name)."""
    return {p.id: p.short_name or p.name for p in case.parties}


def issue_names(case: Case) -> dict[str, str]:
    return {i.id: i.name for i in case.issues}


def source_links(case: Case, ids: tuple[str, ...] | list[str]) -> list[SourceLink]:
    """The sources ``ids`` of the case, in the order given."""
    by_id = {s.id: s for s in case.sources}
    links = []
    for source_id in ids:
        source = by_id.get(source_id)
        if source is None:
            links.append(SourceLink(source_id, source_id, None))
            continue
        url = source.url if is_web_url(source.url) else None  # never a javascript: link
        label = source.title or source.outlet or url or source.id
        if source.outlet and source.title:
            label = f"{source.title} ({source.outlet})"
        links.append(SourceLink(source.id, label, url))
    return links


def value_text(issue: Issue | None, value: object) -> str:
    """A position's value as people read it: ``16.9 %``, ``full``, ``AI is not a writer, …``.

    Examples
    --------
    >>> from accord.model import NumericIssue
    >>> value_text(NumericIssue(id="pay", name="Pay", unit="%", low=0, high=20), 16.9)
    '16.9 %'
    """
    if value is None:
        return "no value stated"
    if isinstance(issue, NumericIssue) and isinstance(value, (int, float)):
        number = f"{value:g}"
        return f"{number} {issue.unit}" if issue.unit else number
    if isinstance(issue, ProvisionIssue) and isinstance(value, frozenset):
        names = {p.id: p.name for p in issue.provisions}
        chosen = [names.get(p, p) for p in issue.provision_ids if p in value]
        return ", ".join(chosen) if chosen else "none of the provisions"
    return str(value)

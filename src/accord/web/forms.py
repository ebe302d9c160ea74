"""The record forms: turn submitted fields into a proposal or event, and problems into inline messages.

A form is parsed into the same JSON shape the API takes, then validated by the same model and its
errors worded by the same function (:func:`accord.services.problems.validation_problems`); the
service checks the rest (references, domains, who may record what). So a form shows exactly the
messages the API returns, each next to the field at fault.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from accord.model import Case, Event, NumericIssue, Proposal, ProvisionIssue
from accord.services import FieldProblem, Invalid
from accord.services.access import draft_id
from accord.services.problems import EVENT_KINDS as EVENT_TAGS
from accord.services.problems import validation_problems

T = TypeVar("T")
EVENT_KINDS = {
    "statement": "Public statement",
    "talks_held": "Talks held",
    "talks_suspended": "Talks suspended",
    "talks_resumed": "Talks resumed",
    "stoppage_started": "Strike or lockout started",
    "stoppage_ended": "Strike or lockout ended",
    "request": "Request (for a response, a meeting, …)",
    "milestone": "Milestone",
}
PROPOSAL = TypeAdapter(Proposal)
EVENT: TypeAdapter[Event] = TypeAdapter(Event)


class FormData(Mapping[str, list[str]]):
    """Submitted fields, each a list of values (checkboxes and multi-selects repeat a name)."""

    def __init__(self, items: Sequence[tuple[str, str]]) -> None:
        self._values: dict[str, list[str]] = {}
        for key, value in items:
            self._values.setdefault(key, []).append(value)

    def __getitem__(self, key: str) -> list[str]:
        return self._values[key]

    def __iter__(self) -> Any:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def one(self, key: str) -> str | None:
        """The field's value, stripped; ``None`` when missing or blank."""
        values = self._values.get(key) or [""]
        text = values[0].strip()
        return text or None

    def many(self, key: str) -> list[str]:
        return [v.strip() for v in self._values.get(key, []) if v.strip()]


@dataclass(frozen=True, slots=True)
class FormErrors:
    """Problems of a submitted form: all of them, and those that belong to each input."""

    problems: tuple[FieldProblem, ...] = ()
    by_input: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, problems: Sequence[FieldProblem]) -> FormErrors:
        by_input: dict[str, list[str]] = {}
        for problem in problems:
            by_input.setdefault(input_name(problem.field), []).append(problem.message)
        return cls(tuple(problems), by_input)


def input_name(problem_field: str) -> str:
    """The form input a problem's field belongs to: ``positions.ai.value`` -> ``pos.ai``.

    Examples
    --------
    >>> input_name("positions.min_pay"), input_name("terms.ai.value"), input_name("statement.party")
    ('pos.min_pay', 'pos.ai', 'party')
    """
    parts = problem_field.replace("[", ".").replace("]", "").split(".")
    if parts[0] in EVENT_TAGS and len(parts) > 1:  # a model problem may name the event's kind
        parts = parts[1:]
    if parts[0] in ("positions", "terms") and len(parts) > 1:
        return f"pos.{parts[1]}"
    return parts[0]


def new_id(prefix: str, date: str | None) -> str:
    """A fresh record id for a form that left the id blank, e.g. ``wga-2023-09-10-3f9a1c`` (a date
    that is not one is left out: the date field reports it)."""
    try:
        day = dt.date.fromisoformat(date or "").isoformat()
    except ValueError:
        day = "undated"
    return f"{prefix}-{day}-{secrets.token_hex(3)}"


def positions(case: Case, form: FormData) -> dict[str, Any]:
    """Per issue, the position the form states (issues left blank are not addressed).

    Numeric text becomes a number (anything else is passed on for the model to refuse with its
    own message); a provision issue counts as addressed when its "addressed" box is ticked.
    """
    found: dict[str, Any] = {}
    for issue in case.issues:
        name = f"pos.{issue.id}"
        text = form.one(f"text.{issue.id}")
        if isinstance(issue, ProvisionIssue):
            if form.one(f"{name}.on") is None:
                continue
            value: Any = form.many(name)
        else:
            raw = form.one(name)
            if raw is None:
                continue
            value = _number(raw) if isinstance(issue, NumericIssue) else raw
        found[issue.id] = {"value": value, **({"text": text} if text else {})}
    return found


def _number(raw: str) -> float | str:
    try:
        return float(raw)
    except ValueError:
        return raw


def known(form: FormData) -> dict[str, str]:
    """The record's known date where the form gives one (empty: the record's own date)."""
    day = form.one("known")
    return {"known": day} if day else {}


def parse_proposal(case: Case, form: FormData) -> Proposal:
    """The proposal a form describes; :class:`~accord.services.Invalid` naming each field at fault."""
    sender = form.one("from")
    default_id = new_id(sender or "proposal", form.one("date"))
    if form.one("status") == "draft" and sender:  # each party's drafts have ids of their own
        default_id = draft_id(sender, new_id("proposal", form.one("date")))
    payload: dict[str, Any] = {
        "id": form.one("id") or default_id,
        "date": form.one("date"),
        **known(form),
        "from": form.one("from"),
        "to": form.one("to"),
        "positions": positions(case, form),
        "answers": form.many("answers"),
        "sources": form.many("sources"),
        "confidence": form.one("confidence") or "A",
        "status": form.one("status") or "tabled",
        "summary": form.one("summary"),
    }
    return _validate(PROPOSAL, payload)


def parse_response(form: FormData) -> Event:
    payload = {
        "id": form.one("id") or new_id("response", form.one("date")),
        "kind": "response",
        "date": form.one("date"),
        **known(form),
        "from": form.one("from"),
        "to": form.one("to"),
        "responds_to": form.one("responds_to"),
        "sources": form.many("sources"),
        "confidence": form.one("confidence") or "A",
        "summary": form.one("summary"),
    }
    return _validate(EVENT, payload)


def parse_agreement(case: Case, form: FormData) -> Event:
    """A tentative agreement: two parties, the issues it covers (none: the whole contract), terms."""
    terms = positions(case, form)
    payload = {
        "id": form.one("id") or new_id("ta", form.one("date")),
        "kind": "tentative_agreement",
        "date": form.one("date"),
        **known(form),
        "parties": form.many("parties"),
        "issues": form.many("issues") or sorted(terms),
        "terms": terms,
        "sources": form.many("sources"),
        "confidence": form.one("confidence") or "A",
        "summary": form.one("summary"),
    }
    return _validate(EVENT, payload)


def parse_event(kind: str, form: FormData) -> Event:
    """An event of ``kind`` (one of :data:`EVENT_KINDS`) from the fields that kind uses."""
    if kind not in EVENT_KINDS:
        raise Invalid([FieldProblem("kind", f"expected one of {sorted(EVENT_KINDS)}, got {kind!r}")])
    payload: dict[str, Any] = {
        "id": form.one("id") or new_id(kind.replace("_", "-"), form.one("date")),
        "kind": kind,
        "date": form.one("date"),
        **known(form),
        "sources": form.many("sources"),
        "confidence": form.one("confidence") or "A",
    }
    time = form.one("time")
    if time:
        payload["time"] = time
    fields: dict[str, tuple[str, ...]] = {
        "statement": ("party", "summary", "quote", "turn_of", "disputes"),
        "talks_held": ("summary",),
        "talks_suspended": ("summary", "by"),
        "talks_resumed": ("summary", "by"),
        "stoppage_started": ("stoppage", "type", "by", "against", "summary"),
        "stoppage_ended": ("stoppage", "how", "summary"),
        "request": ("from", "to", "asks", "summary"),
        "milestone": ("summary",),
    }
    for name in fields[kind]:
        value = form.one(name)
        if value is not None:
            payload[name] = value
    if kind.startswith("talks_") or kind == "milestone":
        payload["parties"] = form.many("parties")
    if kind in ("statement", "request"):
        payload["regarding"] = form.many("regarding")
    return _validate(EVENT, payload)


def _validate(adapter: TypeAdapter[T], payload: dict[str, Any]) -> T:
    try:
        return adapter.validate_python({k: v for k, v in payload.items() if v is not None})
    except ValidationError as error:
        raise Invalid(validation_problems(error)) from error

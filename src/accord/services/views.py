"""The ledger views of a case (:mod:`accord.ledger`) as the caller may see it, as of a date.

Each view's JSON is its data in the envelope of :func:`accord.ledger.envelope` (the case, the
view, the date, the schema version), as the CLI's ``--json`` prints it.

A view is a pure function of the case the caller sees (the public record, and the drafts they may
read) and of the date, so results are kept by case version: a busy case is computed once per
write, not once per reader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from accord import ledger
from accord.analysis.case_analysis import analyze_case
from accord.ledger.jsonable import encoded
from accord.ledger.positions import resolve_sides
from accord.ledger.records import ledger as ledger_of
from accord.ledger.timeline_view import timeline_data, timeline_page
from accord.model import Case, PreferenceSet, request_limits
from accord.services.access import Actor, PrivateKind
from accord.services.base import check_page
from accord.services.cases import CaseService
from accord.services.errors import FieldProblem, Invalid
from accord.services.private import PrivateService

JSON = Any
VIEWS: dict[str, Callable[..., Any]] = {
    "status": ledger.status,
    "gaps": ledger.gaps,
    "movement": ledger.movement,
    "who-moved": ledger.who_moved,
    "pending": ledger.pending,
    "ta-board": ledger.ta_board,
}
"""Two-sided views: ``view(case, as_of, side_a, side_b)``."""


_UNCONVERTED: Any = object()


class ViewResult:
    """A view's result, its JSON data and its encoding, each made once, on first use: a cached
    view is sent as the same bytes to every reader, encoded straight from the ledger's result
    (:func:`accord.ledger.jsonable.encoded`); its JSON data is made only where it is read.

    ``value``: JSON data, or with ``is_json=False`` anything :func:`accord.ledger.to_jsonable`
    converts."""

    __slots__ = ("_data", "_encoded", "_value")

    def __init__(self, value: Any, *, is_json: bool = True) -> None:
        self._value = value
        self._data: JSON = value if is_json else _UNCONVERTED
        self._encoded: bytes | None = None

    @property
    def data(self) -> JSON:
        if self._data is _UNCONVERTED:
            self._data = ledger.to_jsonable(self._value)
        return self._data

    @property
    def encoded(self) -> bytes:
        if self._encoded is None:
            self._encoded = encoded(self._value)
        return self._encoded

    def sealed(self) -> ViewResult:
        """This result, encoded now, where it was built (not later, on the event loop that
        sends it, after a worker thread built it) and from the ledger's result as the version
        that built it holds it."""
        _ = self.encoded
        return self


class ViewService(CaseService):
    """Ledger views, computed over :meth:`CaseService.view` (so with the same access rules)."""

    def two_sided(
        self,
        actor: Actor,
        case_id: str,
        name: str,
        *,
        as_of: dt.date | None = None,
        side_a: str | None = None,
        side_b: str | None = None,
    ) -> ViewResult:
        """One of :data:`VIEWS` as plain JSON data (shapes: docs/reference/views.md)."""
        function = VIEWS[name]
        case, version = self.viewed(actor, case_id)
        when = as_of or self._latest(case, version)
        key = (name, version, when, side_a, side_b)
        return self._cached(
            case,
            key,
            lambda: function(case, when, side_a, side_b),
            {"side_a": side_a, "side_b": side_b},
            view=(name, when),
        )

    def stoppages(self, actor: Actor, case_id: str, *, as_of: dt.date | None = None) -> ViewResult:
        case, version = self.viewed(actor, case_id)
        when = as_of or self._latest(case, version)
        return self._cached(
            case,
            ("stoppages", version, when),
            lambda: ledger.stoppages(case, when),
            {},
            view=("stoppages", when),
        )

    def positions(
        self, actor: Actor, case_id: str, party: str, *, as_of: dt.date | None = None
    ) -> ViewResult:
        case, version = self.viewed(actor, case_id)
        when = as_of or self._latest(case, version)
        key = ("positions", version, when, party)
        return self._cached(
            case,
            key,
            lambda: ledger.positions_as_of(case, when, party),
            {"party": party},
            view=("positions", when),
        )

    def timeline(
        self,
        actor: Actor,
        case_id: str,
        *,
        as_of: dt.date | None = None,
        parties: tuple[str, ...] = (),
        issues: tuple[str, ...] = (),
        offset: int = 0,
        limit: int = 100,
    ) -> ViewResult:
        """A page of the timeline: proposals and events in time order, filtered, in the view's
        envelope with ``data`` the page's entries and ``total``, ``offset``, ``limit`` beside it.
        Each page is kept (and encoded) once per case version."""
        check_page(offset, limit)
        case, version = self.viewed(actor, case_id)
        when = as_of or self._latest(case, version)
        key = ("timeline", version, when, parties, issues)

        def build() -> Any:
            return timeline_data(case, when, parties=parties or None, issues=issues or None)

        def page() -> ViewResult:
            if parties or issues:
                params = {"party": parties, "issue": issues}
                entries = self._cached(case, key, build, params, is_json=True).data
                items, total = entries[offset : offset + limit], len(entries)
            else:  # the page alone, from the entries the case's ledger keeps
                items, total = timeline_page(case, when, offset, limit)
            wrapped = ledger.envelope("timeline", case.id, when, items, convert=False)
            paged = {**wrapped, "total": total, "offset": offset, "limit": limit}
            return ViewResult(paged, is_json=False).sealed()

        result: ViewResult = self.cache.pages.get((*key, offset, limit), page)
        return result

    def analysis(
        self,
        actor: Actor,
        case_id: str,
        *,
        as_of: dt.date | None = None,
        side_a: str | None = None,
        side_b: str | None = None,
    ) -> ViewResult:
        """Where the case could land (frontier, solutions, ZOPA, efficiency of each proposal, the
        coalition view), computed from the preference models the actor may see, and only those.

        A side with no model the actor may see is refused (422, naming ``preferences``).
        """
        case, version = self.viewed(actor, case_id)
        when = as_of or self._latest(case, version)
        items = PrivateService(self.db, self.clock, self.cache).readable(
            actor, case_id, PrivateKind.PREFERENCES
        )
        seen = tuple((item.party, item.version) for item in items)
        try:
            sides = resolve_sides(case, side_a, side_b)
        except ValueError as error:
            field = _field_named(str(error), {"side_a": side_a, "side_b": side_b})
            raise Invalid([FieldProblem(field, str(error), "query")]) from error
        missing = [side for side in sides if side not in {party for party, _ in seen}]
        if missing:
            message = f"no preference model you may see for {missing}; the analysis needs one per side"
            raise Invalid([FieldProblem("preferences", message, "query")])
        if (too_large := request_limits.analysis_problem(case.issues)) is not None:
            raise Invalid([FieldProblem("case_id", too_large, "path")])  # before any work
        prefs = PreferenceSet(case=case.id, models=[item.payload for item in items])
        key = ("analysis", version, when, side_a, side_b, seen)

        def compute() -> Any:
            return analyze_case(case, prefs, when, side_a, side_b)

        return self._cached(case, key, compute, {"side_a": side_a, "side_b": side_b})

    def _latest(self, case: Case, version: tuple[Any, ...]) -> dt.date:
        latest: dt.date = self.cache.views.get(("as_of", version), ledger_of(case).default_as_of)
        return latest

    def _cached(
        self,
        case: Case,
        key: tuple[Any, ...],
        compute: Callable[[], Any],
        params: dict[str, Any],
        *,
        view: tuple[str, dt.date] | None = None,
        is_json: bool = False,
    ) -> ViewResult:
        """The view's JSON, computed once per key (which holds the case's version and the drafts
        its view includes, so it is never stale); in its envelope when ``view`` names the ledger
        view and its date; ``is_json``: ``compute`` gives JSON data already. An unknown id is
        refused naming the parameter."""

        def build() -> ViewResult:
            try:
                result = compute()
                if view is not None:
                    wrapped = ledger.envelope(view[0], case.id, view[1], result, convert=False)
                    return ViewResult(wrapped, is_json=False).sealed()
                return ViewResult(result, is_json=is_json)
            except ValueError as error:
                raise Invalid(
                    [FieldProblem(_field_named(str(error), params), str(error), "query")]
                ) from error

        result: ViewResult = self.cache.views.get(key, build)
        return result


def _field_named(message: str, params: dict[str, Any]) -> str:
    """The parameter whose value the message quotes."""
    for name, value in params.items():
        values = value if isinstance(value, tuple) else (value,)
        if any(v is not None and repr(v) in message for v in values):
            return name
    return ""

"""What the packages of a case cost, with the costing parameters the caller may see.

A party's costing parameters are its private data (:attr:`PrivateKind.COSTING`: a union's team
costs the employers' offers with its own estimate of the payroll), read only as the party shares
them, and every read is in the audit log. :meth:`CostingViewService.costing` runs
:func:`accord.analysis.costing.case_costing` over the case the caller sees with one of those
costings (the one asked for, else the first in the case's party order); without any, the
packages are listed with the published estimates that regard them, and no model figures.
Results are kept by case version, date and costing version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import ValidationError

from accord.analysis.costing import CaseCosting, case_costing
from accord.model import Case, Costing
from accord.services.access import Actor, PrivateKind
from accord.services.cases import CaseService
from accord.services.errors import FieldProblem, Invalid
from accord.services.private import PrivateService
from accord.services.problems import validation_problems


@dataclass(frozen=True, slots=True)
class SeenCosting:
    """The costing of a case as the caller may see it.

    party: whose costing parameters were used (``None``: none the caller may see).
    parties: every party whose costing the caller may see, in the case's party order.
    problems: stored costings that are not valid (``<party>.<field>``), left out.
    """

    case: Case
    as_of: dt.date
    party: str | None
    parties: tuple[str, ...]
    result: CaseCosting
    problems: tuple[FieldProblem, ...]
    note: str | None


class CostingViewService(CaseService):
    """Contract costing over what the caller may see (the rules of :class:`PrivateService`)."""

    def costing(
        self, actor: Actor, case_id: str, *, party: str | None = None, as_of: dt.date | None = None
    ) -> SeenCosting:
        """The case's packages costed as of ``as_of`` (default: the date of its last record) with
        ``party``'s costing parameters (default: the first the caller may see).

        Raises :class:`Invalid` (naming ``party``) when the caller may see no costing of ``party``.
        """
        items = PrivateService(self.db, self.clock, self.cache).readable(actor, case_id, PrivateKind.COSTING)
        case, version = self.viewed(actor, case_id)
        when = as_of or case.default_as_of()
        order = {p.id: i for i, p in enumerate(case.parties)}
        costings: dict[str, tuple[Costing, int]] = {}
        problems: list[FieldProblem] = []
        for item in sorted(items, key=lambda i: order.get(i.party, len(order))):
            try:
                costings[item.party] = (Costing.model_validate(item.payload), item.version)
            except ValidationError as error:
                problems += [
                    FieldProblem(f"{item.party}.{p.field}", p.message) for p in validation_problems(error)
                ]
        if party is not None and party not in costings:
            seen = list(costings) or "none"
            message = f"no costing parameters of {party!r} you may see (you may see: {seen})"
            raise Invalid([FieldProblem("party", message, "query")])
        chosen = party or next(iter(costings), None)
        costing, costing_version = costings[chosen] if chosen else (None, 0)
        key = ("costing", version, when, chosen, costing_version)
        result, note = self.cache.views.get(key, lambda: _costed(case, costing, when))
        if chosen is None and note is None:
            note = "no costing parameters you may see: the packages are listed with the estimates that regard them"
        return SeenCosting(case, when, chosen, tuple(costings), result, tuple(problems), note)


def _costed(case: Case, costing: Costing | None, as_of: dt.date) -> tuple[CaseCosting, str | None]:
    """The costing, or (parameters that no longer fit the case) the listing without figures."""
    try:
        return case_costing(case, costing, as_of), None
    except ValueError as error:
        return case_costing(case, None, as_of), f"the costing parameters do not fit the case: {error}"

"""Where a case could land, over the preferences the caller may see (the dashboard's analysis).

The caller sees the case as :meth:`CaseService.view` shows it and the preference models
:meth:`PrivateService.readable` lets them read (every such read is in the audit log). With a model
for both sides, :func:`accord.analysis.case_analysis.analyze_case` runs over all of them: the
frontier, the bargaining solutions, the ZOPA, each proposal's efficiency and, when every member
of a coalition side is visible too, the coalition view. With fewer, the caller gets the models
alone and the reason there is no joint analysis. Results are kept by case version, date and the
versions of the models used, so a page shown twice is computed once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import ValidationError

from accord import ledger
from accord.analysis.case_analysis import CaseAnalysis, analyze_case
from accord.model import Case, PreferenceModel, PreferenceSet, request_limits
from accord.services.access import Actor, PrivateKind
from accord.services.cases import CaseService
from accord.services.errors import FieldProblem
from accord.services.private import PrivateItem, PrivateService
from accord.services.problems import validation_problems


@dataclass(frozen=True, slots=True)
class SeenAnalysis:
    """What the caller may see of where ``case`` could land as of ``as_of``.

    models: the preference models the caller may read, in the case's party order.
    problems: stored models that are not valid models (each field at fault), left out.
    result: the joint analysis (``None`` without a model for both ``sides``; ``note`` says why).
    item: for :meth:`AnalysisViewService.of_party`, the party's stored preferences.
    """

    case: Case
    as_of: dt.date
    sides: tuple[str, str]
    models: tuple[PreferenceModel, ...]
    problems: tuple[FieldProblem, ...]
    result: CaseAnalysis | None
    note: str | None
    item: PrivateItem | None = None

    def model(self, party: str) -> PreferenceModel | None:
        return next((m for m in self.models if m.party == party), None)


class AnalysisViewService(CaseService):
    """The analysis of a case over what the caller may see (same access rules as the record and
    :class:`PrivateService`)."""

    def analysis(self, actor: Actor, case_id: str, *, as_of: dt.date | None = None) -> SeenAnalysis:
        """The analysis as of ``as_of`` (default: the date of the case's last record)."""
        items = PrivateService(self.db, self.clock, self.cache).readable(
            actor, case_id, PrivateKind.PREFERENCES
        )
        return self._analysis(actor, case_id, as_of, items, None)

    def of_party(
        self, actor: Actor, case_id: str, party: str, *, as_of: dt.date | None = None
    ) -> SeenAnalysis:
        """:meth:`analysis`, for a caller who may see ``party``'s preferences (else 403, and 404
        outside the case): the party's stored item is in ``item``."""
        private = PrivateService(self.db, self.clock, self.cache)
        item = private.get(actor, case_id, party, PrivateKind.PREFERENCES)
        items = private.readable(actor, case_id, PrivateKind.PREFERENCES)
        return self._analysis(actor, case_id, as_of, items, item)

    def _analysis(
        self,
        actor: Actor,
        case_id: str,
        as_of: dt.date | None,
        items: list[PrivateItem],
        item: PrivateItem | None,
    ) -> SeenAnalysis:
        case, version = self.viewed(actor, case_id)
        when = as_of or case.default_as_of()
        models, problems = preference_models(items)
        order = {p.id: i for i, p in enumerate(case.parties)}
        models.sort(key=lambda m: order.get(m.party, len(order)))
        key = ("analysis", version, when, tuple(sorted((i.party, i.version) for i in items)))
        sides = ledger.sides(case)
        result, note = self.cache.views.get(key, lambda: _joint(case, models, when, sides))
        return SeenAnalysis(case, when, sides, tuple(models), tuple(problems), result, note, item)


def _joint(
    case: Case, models: list[PreferenceModel], as_of: dt.date, sides: tuple[str, str]
) -> tuple[CaseAnalysis | None, str | None]:
    seen = {m.party for m in models}
    missing = [s for s in sides if s not in seen]
    if missing:
        names = {p.id: p.short_name or p.name for p in case.parties}
        return None, (
            "the frontier, the solutions and the zone of possible agreement need both sides' "
            f"preferences; you may not see {' or '.join(names.get(s, s) for s in missing)}'s"
        )
    if (too_large := request_limits.analysis_problem(case.issues)) is not None:
        return None, too_large  # refused before any work
    try:
        return analyze_case(case, PreferenceSet(case=case.id, models=models), as_of, *sides), None
    except ValueError as error:
        return None, str(error)


def preference_models(items: list[PrivateItem]) -> tuple[list[PreferenceModel], list[FieldProblem]]:
    """The stored preferences as models; an item that is not a valid model is reported, field by
    field (``<party>.<field>``), and not used.

    Examples
    --------
    >>> import datetime as dt
    >>> item = PrivateItem("wga", "preferences", "current", 1, {"party": "wga"}, dt.datetime(2023, 1, 1), None)
    >>> preference_models([item])[1][0].field
    'wga.label'
    """
    models, problems = [], []
    for item in items:
        try:
            models.append(PreferenceModel.model_validate(item.payload))
        except ValidationError as error:
            problems += [
                FieldProblem(f"{item.party}.{p.field}", p.message) for p in validation_problems(error)
            ]
    return models, problems

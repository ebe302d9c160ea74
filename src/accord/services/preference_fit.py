"""A party's preferences fitted from its ratings of packages, on the server: the dashboard's form
(:meth:`PreferenceFitService.form`: the packages to rate) and the fit, stored as the party's
private preferences (:meth:`PreferenceFitService.fit`). Only the party's own members may do
either (:func:`accord.services.access.may_write_private`); what they store is read as any
preferences are, by what the party shares.

The ratings are read as a ratings file is (:mod:`accord.casefile.ratings`) and fitted by
:func:`accord.prefs.fitting.fit_preferences`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from accord.casefile.errors import CaseFileError
from accord.casefile.ratings import RATING, loads_ratings
from accord.model import Case, Issue, PreferenceModel, Value
from accord.prefs.fitting import PreferenceFit, RatingsError, fit_preferences
from accord.prefs.rating_design import packages_to_rate
from accord.services import access
from accord.services.access import Actor, PrivateKind
from accord.services.errors import FieldProblem, Invalid
from accord.services.private import CURRENT, PrivateItem, PrivateService
from accord.store import private as private_store

RATINGS = "ratings"
"""The name the ratings of a form go by in messages (``ratings:3: rating: ...``)."""


@dataclass(frozen=True, slots=True)
class RatingForm:
    """What the form of ratings shows: the case's issues, the packages to rate, and the version
    of the party's preferences it replaces (0: none yet)."""

    case: Case
    issues: tuple[Issue, ...]
    packages: tuple[dict[str, Value], ...]
    version: int


@dataclass(frozen=True, slots=True)
class FittedPreferences:
    """The fit, and the preferences stored from it."""

    fit: PreferenceFit
    stored: PrivateItem


class PreferenceFitService(PrivateService):
    """Use cases of preferences fitted from ratings."""

    def form(self, actor: Actor, case_id: str, party: str) -> RatingForm:
        """The packages for ``party`` to rate (403 to anyone but its members)."""
        case, version = self._writable(actor, case_id, party)
        return RatingForm(case, case.issues, tuple(packages_to_rate(case.issues)), version)

    def fit(
        self,
        actor: Actor,
        case_id: str,
        party: str,
        rows: Sequence[tuple[Mapping[str, str], str]],
        *,
        expected_version: int | None,
        issue_ids: Sequence[str] | None = None,
    ) -> FittedPreferences:
        """Fit ``party``'s preferences over the issues ``issue_ids`` (default: all the case's) to
        ``rows`` (each: issue id -> the value as a ratings file writes it, and the rating; a row
        with a blank rating is left out) and store them as its preferences, replacing version
        ``expected_version`` (``None``: there are none yet).

        Raises
        ------
        Invalid
            Each problem at its row (``rating-3``, ``package-3``) or for the whole
            (``ratings``): a value or rating out of its domain, too few ratings (saying how many
            are needed), ratings that do not settle the model.
        """
        case, _ = self._writable(actor, case_id, party)
        text, numbers = _ratings_csv(_issues(case, issue_ids), rows)
        try:
            ratings = loads_ratings(text, RATINGS, case)
            names = [next(p.label for p in case.parties if p.id == party)]
            fit = fit_preferences(
                ratings.issues,
                party,
                ratings.packages,
                ratings.ratings,
                labels=[f"package {numbers[int(label.rsplit(':', 1)[1])]}" for label in ratings.labels],
                label=f"{names[0]} (fitted from {len(ratings.ratings)} ratings)",
            )
        except CaseFileError as error:
            raise Invalid(
                [_row_problem(p.line, p.field, p.message, numbers) for p in error.problems]
            ) from None
        except RatingsError as error:
            raise Invalid([FieldProblem(RATINGS, str(error))]) from None
        model = _with_rationale(fit)
        stored = self.put_preferences(actor, case_id, party, model, expected_version=expected_version)
        return FittedPreferences(fit, stored)

    def _writable(self, actor: Actor, case_id: str, party: str) -> tuple[Case, int]:
        """The case's public record, after checking that the actor may write ``party``'s
        private data, and the version of the party's preferences."""
        with self.db.read() as conn:
            viewer, row = self.case_for(conn, actor, case_id)
            access.require_case(viewer)
            self._party_exists(conn, case_id, party)
            allowed = access.may_write_private(viewer, party)
            access.require(allowed, viewer, f"write the {PrivateKind.PREFERENCES.value} of {party!r}")
            current = private_store.current_private(conn, case_id, party, "preferences", CURRENT)
            case = self.whole_case(conn, row, frozenset())  # the issues and parties: the public record
        return case, current[0].version if current else 0


def _issues(case: Case, issue_ids: Sequence[str] | None) -> tuple[Issue, ...]:
    """The issues the ratings are over (the form names those it showed: the case may have
    gained one since)."""
    if issue_ids is None:
        return case.issues
    by_id = {issue.id: issue for issue in case.issues}
    unknown = [i for i in issue_ids if i not in by_id]
    if unknown or not issue_ids:
        expected = f"issue ids of the case ({', '.join(by_id)})"
        raise Invalid([FieldProblem("issues", f"unknown issue(s) {unknown}; expected {expected}")])
    return tuple(by_id[i] for i in dict.fromkeys(issue_ids))


def _ratings_csv(
    issues: Sequence[Issue], rows: Sequence[tuple[Mapping[str, str], str]]
) -> tuple[str, dict[int, int]]:
    """The rated rows as ratings-file text, and each line's row number (1-based)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*(issue.id for issue in issues), RATING])
    numbers: dict[int, int] = {}
    problems = []
    for number, (cells, rating) in enumerate(rows, start=1):
        if not rating.strip():
            continue
        values = [cells.get(issue.id, "") for issue in issues]
        if any("\n" in v or "\r" in v for v in [*values, rating]):
            problems.append(FieldProblem(f"package-{number}", "a value holds a line break"))
            continue
        writer.writerow([*values, rating])
        numbers[len(numbers) + 2] = number
    if problems:
        raise Invalid(problems)
    return out.getvalue(), numbers


def _row_problem(line: int | None, field: str | None, message: str, numbers: dict[int, int]) -> FieldProblem:
    if line is None or line not in numbers:
        return FieldProblem(RATINGS, message)
    name = "rating" if field == RATING else "package"
    where = "" if field in (None, RATING) else f"{field}: "
    return FieldProblem(f"{name}-{numbers[line]}", where + message)


def _with_rationale(fit: PreferenceFit) -> PreferenceModel:
    quality = fit.quality
    rationale = (
        f"Fitted by Accord from {quality.rows} ratings of packages on the dashboard: RMSE "
        f"{quality.rmse:.1f} rating points, Kendall tau {quality.kendall_tau:.2f}."
    )
    return fit.model.model_copy(update={"rationale": rationale})

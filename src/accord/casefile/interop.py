"""What the GENIUS and GeniusWeb importers and exporters share: the result type, ids from names,
the case, the discrete values of an issue."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from accord.model import (
    Case,
    Issue,
    NumericIssue,
    Party,
    PartyKind,
    PreferenceModel,
    PreferenceSet,
    ProvisionIssue,
    Value,
)
from accord.model.issue import OptionIssue


@dataclass(frozen=True, slots=True)
class Imported:
    """An imported negotiation domain: a case with its issues and one party per profile, the
    parties' preference models, and ``notes`` on what the importer had to interpret or repair
    (duplicate items, evaluations rescaled, weights normalised), each naming file and line."""

    case: Case
    preferences: PreferenceSet
    notes: tuple[str, ...] = ()


def slug(name: str) -> str:
    """An id made from a name: lower case, runs of other characters as ``_``.

    Examples
    --------
    >>> slug("Increase in Max. Salary"), slug("$4.37"), slug("  ")
    ('increase_in_max._salary', '4.37', 'x')
    """
    text = re.sub(r"[^a-z0-9_.\-]+", "_", name.strip().lower()).strip("_.-")
    return text[:80] or "x"


def unique_ids(names: Sequence[str]) -> list[str]:
    """One id per name (see :func:`slug`), made unique with ``_2``, ``_3``... where names collide."""
    ids: list[str] = []
    for name in names:
        base = slug(name)
        candidate, count = base, 1
        while candidate in ids:
            count += 1
            candidate = f"{base[:76]}_{count}"
        ids.append(candidate)
    return ids


def discrete_options(issue: Issue, tool: str) -> tuple[list[str], list[Value]]:
    """An issue as the discrete values an exporter writes: labels, and the positions they stand
    for (a numeric issue: one per level). ``ValueError`` naming ``tool`` for a provision set.

    Examples
    --------
    >>> from accord.model import NumericIssue
    >>> discrete_options(NumericIssue(id="pay", name="Pay", unit="%", low=1, high=2, step=0.5), "GENIUS")
    (['1', '1.5', '2'], [1.0, 1.5, 2.0])
    """
    if isinstance(issue, ProvisionIssue):
        raise ValueError(f"issue {issue.id!r} is a provision set, which {tool} cannot express")
    if isinstance(issue, NumericIssue):
        return [f"{level:g}" for level in issue.levels], list(issue.levels)
    assert isinstance(issue, OptionIssue)
    return list(issue.options), list(issue.options)


def imported(
    name: str,
    issues: Sequence[Issue],
    labels: Sequence[str],
    models: Sequence[PreferenceModel],
    notes: Sequence[str],
) -> Imported:
    """Assemble the case (one party of kind ``other`` per model) and the preference set."""
    case_id = slug(name)
    parties = [
        Party(id=m.party, name=label, kind=PartyKind.OTHER) for m, label in zip(models, labels, strict=True)
    ]
    case = Case(id=case_id, title=name, parties=parties, issues=tuple(issues))
    prefs = PreferenceSet(case=case_id, models=tuple(models))
    return Imported(case=case, preferences=prefs, notes=tuple(notes))

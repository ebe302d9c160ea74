"""How a case becomes a discrete negotiation domain (GENIUS, GeniusWeb, NegMAS): its issues as
named values, and each preference model as weights and evaluations over them that give the same
utility on every package.

- An option issue keeps its options, by name. A numeric issue becomes one value per level, named
  by :func:`accord.casefile.interop.level_label` (``3``, ``16.9``): nothing is rounded away.
- A provision set becomes one ``no``/``yes`` issue per provision: a provision-set value function
  is additive (each provision adds its value, the sum rescaled to ``[0, 1]``), so provision ``p``
  of an issue of weight ``w`` becomes an issue of weight ``w * |v_p| / span`` whose better value
  (``yes`` for a provision worth having, ``no`` for one the party would rather not have) scores
  1 and the other 0, and the utility of every package is unchanged.
- Issues are named by their ``name`` (an imported domain keeps each name exactly there, so an
  export writes the names it read), provisions as ``"<issue name>: <provision name>"``; where two
  of those names coincide, every issue is named by its id instead (ids are unique in a case).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from accord.casefile.interop import discrete_options
from accord.model import Case, PreferenceModel, ProvisionIssue, ProvisionValue, Value

NO, YES = "no", "yes"
"""The two values of a provision's issue."""


@dataclass(frozen=True, slots=True)
class DomainIssue:
    """One issue of the exported domain: its ``name``, value ``labels``, and where it comes from:
    the case issue ``issue`` (its ``positions``, one per label), or for a provision set one of
    its provisions (``provision``; labels ``no``, ``yes``)."""

    name: str
    labels: tuple[str, ...]
    positions: tuple[Value, ...]
    issue: str
    provision: str | None = None


def domain_issues(case: Case) -> tuple[DomainIssue, ...]:
    """The case's issues as the issues of a discrete domain (see the module docstring).

    Examples
    --------
    >>> from accord.casefile import bundled_case
    >>> issues = domain_issues(bundled_case("wga-amptp-2023"))
    >>> [(i.name, len(i.labels)) for i in issues][:2], issues[4].name, issues[4].labels
    ([('Minimum pay increase', 201), ("TV writers' room minimum staffing", 13)], 'Streaming residuals and viewership data: Viewership-based residual or bonus', ('no', 'yes'))
    """
    for by_id in (False, True):
        out: list[DomainIssue] = []
        for issue in case.issues:
            name = issue.id if by_id else issue.name
            if isinstance(issue, ProvisionIssue):
                for provision in issue.provisions:
                    label = provision.id if by_id else provision.name
                    out.append(DomainIssue(f"{name}: {label}", (NO, YES), (NO, YES), issue.id, provision.id))
            else:
                labels, positions = discrete_options(issue, "a domain")
                out.append(DomainIssue(name, tuple(labels), tuple(positions), issue.id))
        if len({i.name for i in out}) == len(out):
            break
    return tuple(out)


@dataclass(frozen=True, slots=True)
class DomainProfile:
    """A preference model over a domain's issues: ``weights`` (summing to 1) and, per issue, the
    ``evaluations`` of its values in ``[0, 1]``, in label order."""

    weights: tuple[float, ...]
    evaluations: tuple[tuple[float, ...], ...]


def domain_profile(case: Case, model: PreferenceModel, issues: Sequence[DomainIssue]) -> DomainProfile:
    """``model`` over the domain ``issues`` (:func:`domain_issues` of ``case``), with the same
    utility on every package; issues the model does not weigh get weight 0 and evaluations 0.

    Examples
    --------
    >>> from accord.casefile.prefsfile import case_with_preferences
    >>> case, prefs = case_with_preferences("wga-amptp-2023")
    >>> issues = domain_issues(case)
    >>> profile = domain_profile(case, prefs.model("wga"), issues)
    >>> round(sum(profile.weights), 12), profile.evaluations[4]  # the viewership bonus: worth having
    (1.0, (0.0, 1.0))
    """
    total = sum(model.weights.values())
    weights: list[float] = []
    evaluations: list[tuple[float, ...]] = []
    for item in issues:
        function = model.values.get(item.issue)
        weight = model.weights.get(item.issue, 0.0) / total if total else 0.0
        if function is None:
            weights.append(0.0)
            evaluations.append(tuple(0.0 for _ in item.labels))
        elif item.provision is not None:
            assert isinstance(function, ProvisionValue)
            value = function.values.get(item.provision, 0.0)
            span = sum(abs(v) for v in function.values.values())
            weights.append(weight * abs(value) / span if span else 0.0)
            evaluations.append((0.0, 1.0) if value > 0 else (1.0, 0.0) if value < 0 else (0.0, 0.0))
        else:
            issue = case.issue(item.issue)
            weights.append(weight)
            evaluations.append(tuple(function.value(issue, model.party, p) for p in item.positions))
    return DomainProfile(tuple(weights), tuple(evaluations))


def domain_package(case: Case, issues: Sequence[DomainIssue], choice: Sequence[int]) -> dict[str, Value]:
    """The case package an outcome of the domain stands for (``choice``: a value index per issue).

    Examples
    --------
    >>> from accord.casefile import bundled_case
    >>> case = bundled_case("sag-aftra-amptp-2023")
    >>> issues = domain_issues(case)
    >>> [i.name for i in issues][:2]
    ['First-year minimum increase', 'Artificial intelligence (digital replicas): Consent for digital replicas']
    >>> package = domain_package(case, issues, [14, 1, 0, 0, 0, 1])
    >>> package["wages"], sorted(package["ai"]), sorted(package["streaming"])
    (7.0, ['replica_consent'], ['success_bonus'])
    """
    package: dict[str, Value] = {}
    chosen: dict[str, set[str]] = {i.id: set() for i in case.issues if isinstance(i, ProvisionIssue)}
    for item, index in zip(issues, choice, strict=True):
        if item.provision is None:
            package[item.issue] = item.positions[index]
        elif item.labels[index] == YES:
            chosen[item.issue].add(item.provision)
    return package | {issue: frozenset(provisions) for issue, provisions in chosen.items()}

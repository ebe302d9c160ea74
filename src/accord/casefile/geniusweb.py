"""GeniusWeb JSON domains and linear additive profiles, to and from Accord's model.

A GeniusWeb domain is ``{"name": ..., "issuesValues": {issue: {"values": [...]}}}`` (a numeric
issue: ``{"range": {"low": .., "high": .., "step": ..}}``). A profile is
``{"LinearAdditiveUtilitySpace": {"name", "issueUtilities", "issueWeights", "domain",
"reservationBid"}}``.

- Issue utilities come in two key dialects, and both are read: ``discreteutils`` /
  ``DiscreteValueSetUtilities`` (``{"valueUtilities": {value: utility}}``) and ``numberutils`` /
  ``NumberValueSetUtilities`` (``lowValue``, ``lowUtility``, ``highValue``, ``highUtility``:
  linear between, flat beyond).
- The reservation is given as a bid (``reservationBid``): its utility under the profile becomes
  the reservation value. Without one the reservation value is 0.
- Weights that do not sum to 1 are normalised (a note says so).

Export writes discrete issues (a numeric issue becomes one value per level) in the dialect
asked for, and expresses a reservation value above 0 as the bid whose utility is the smallest at
or above it (found by enumerating outcomes, up to :data:`MAX_ENUMERATED`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from accord.casefile.atomic import write_files
from accord.casefile.errors import CaseFileError, FileProblem
from accord.casefile.interop import Imported, discrete_options, imported, unique_ids
from accord.model import (
    Case,
    CategoricalIssue,
    Issue,
    NumericIssue,
    OptionValue,
    PiecewiseValue,
    PreferenceModel,
    PreferenceSet,
    Value,
    ValueFunction,
)
from accord.model.issue import OptionIssue

DISCRETE_KEYS = ("discreteutils", "DiscreteValueSetUtilities")
NUMBER_KEYS = ("numberutils", "NumberValueSetUtilities")
DIALECTS = {"discreteutils": "numberutils", "DiscreteValueSetUtilities": "NumberValueSetUtilities"}
"""The two key dialects: discrete key -> numeric key."""
MAX_ENUMERATED = 2_000_000
"""Largest outcome space searched for a bid that expresses a reservation value on export."""


class _Problems(Exception):
    def __init__(self, problems: list[FileProblem]) -> None:
        self.problems = problems


def _load(path: str | os.PathLike[str]) -> tuple[Any, str]:
    filename = os.fspath(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CaseFileError(filename, [FileProblem("no such file")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CaseFileError(filename, [FileProblem(f"cannot be read: {error}")]) from None
    try:
        return json.loads(text), filename
    except json.JSONDecodeError as error:
        raise CaseFileError(
            filename, [FileProblem(f"not valid JSON: {error.msg}", error.lineno, error.colno)]
        ) from None


def _mapping(data: object, field: str, expected: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _Problems([FileProblem(f"expected {expected}, got {type(data).__name__}", field=field)])
    return data


def _number(data: object, field: str) -> float:
    if isinstance(data, bool):
        raise _Problems([FileProblem(f"expected a number, got {data!r}", field=field)])
    try:
        return float(data)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise _Problems([FileProblem(f"expected a number, got {data!r}", field=field)]) from None


def _domain(data: object, field: str) -> tuple[str, list[Issue], list[str]]:
    domain = _mapping(data, field, "a domain object with 'name' and 'issuesValues'")
    values = _mapping(domain.get("issuesValues"), f"{field}.issuesValues", "a mapping of issue -> value set")
    names = list(values)
    if not names:
        raise _Problems([FileProblem("the domain has no issues", field=f"{field}.issuesValues")])
    issues: list[Issue] = []
    for name, issue_id in zip(names, unique_ids(names), strict=True):
        where = f"{field}.issuesValues.{name}"
        value_set = _mapping(values[name], where, "a value set ({'values': [...]} or {'range': {...}})")
        if "values" in value_set:
            options = value_set["values"]
            if not isinstance(options, list) or not options or not all(isinstance(o, str) for o in options):
                raise _Problems(
                    [FileProblem("expected a non-empty list of value names", field=f"{where}.values")]
                )
            issues.append(CategoricalIssue(id=issue_id, name=name, options=tuple(dict.fromkeys(options))))
        elif "range" in value_set:
            bounds = _mapping(value_set["range"], f"{where}.range", "{'low', 'high', 'step'}")
            low, high = (
                _number(bounds.get("low"), f"{where}.range.low"),
                _number(bounds.get("high"), f"{where}.range.high"),
            )
            step = _number(bounds.get("step", 1), f"{where}.range.step")
            if not low < high or step <= 0:
                raise _Problems([FileProblem("expected low < high and step > 0", field=f"{where}.range")])
            issues.append(NumericIssue(id=issue_id, name=name, unit="", low=low, high=high, step=step))
        else:
            raise _Problems([FileProblem("expected 'values' or 'range'", field=where)])
    return str(domain.get("name", "domain")), issues, names


def _value_function(data: object, issue: Issue, where: str) -> ValueFunction:
    utilities = _mapping(data, where, "an issue utility ({'discreteutils': ...} or {'numberutils': ...})")
    discrete = next((utilities[k] for k in DISCRETE_KEYS if k in utilities), None)
    number = next((utilities[k] for k in NUMBER_KEYS if k in utilities), None)
    if discrete is not None:
        if not isinstance(issue, OptionIssue):
            raise _Problems(
                [FileProblem(f"discrete utilities for numeric issue {issue.name!r}", field=where)]
            )
        given = _mapping(
            _mapping(discrete, where, "an object").get("valueUtilities"),
            f"{where}.valueUtilities",
            "value -> utility",
        )
        scores = {}
        for option in issue.options:
            if option not in given:
                raise _Problems(
                    [FileProblem(f"no utility for value {option!r}", field=f"{where}.valueUtilities")]
                )
            score = _number(given[option], f"{where}.valueUtilities.{option}")
            if not 0 <= score <= 1:
                raise _Problems(
                    [
                        FileProblem(
                            f"utility {score:g} is outside [0, 1]", field=f"{where}.valueUtilities.{option}"
                        )
                    ]
                )
            scores[option] = score
        unknown = sorted(set(given) - set(issue.options))
        if unknown:
            raise _Problems(
                [FileProblem(f"values {unknown} are not in the domain", field=f"{where}.valueUtilities")]
            )
        return OptionValue(scores=scores)
    if number is not None:
        if not isinstance(issue, NumericIssue):
            raise _Problems([FileProblem(f"number utilities for discrete issue {issue.name!r}", field=where)])
        spec = _mapping(number, where, "an object")
        points = sorted(
            (
                _number(spec.get(f"{end}Value"), f"{where}.{end}Value"),
                _number(spec.get(f"{end}Utility"), f"{where}.{end}Utility"),
            )
            for end in ("low", "high")
        )
        return PiecewiseValue(points=tuple(points))
    keys = ", ".join(repr(k) for k in (*DISCRETE_KEYS, *NUMBER_KEYS))
    raise _Problems([FileProblem(f"expected one of the keys {keys}; found {sorted(utilities)}", field=where)])


def _bid_utility(
    bid: Mapping[str, object],
    model: PreferenceModel,
    issues: Sequence[Issue],
    names: Sequence[str],
    where: str,
) -> float:
    total = sum(model.weights.values())
    utility = 0.0
    for issue, name in zip(issues, names, strict=True):
        if name not in bid:
            raise _Problems([FileProblem(f"the bid gives no value for issue {name!r}", field=where)])
        position = bid[name]
        if isinstance(issue, NumericIssue) and isinstance(position, str):
            position = _number(position, f"{where}.{name}")
        error = issue.value_error(position)
        if error:
            raise _Problems([FileProblem(error, field=f"{where}.{name}")])
        assert isinstance(position, (str, float, int))
        utility += (
            model.weights[issue.id] / total * model.values[issue.id].value(issue, model.party, position)
        )
    return utility


def read_geniusweb_profile(
    path: str | os.PathLike[str], party: str | None = None
) -> tuple[PreferenceModel, tuple[str, list[Issue], list[str]], tuple[str, ...]]:
    """Read a GeniusWeb linear additive profile (either key dialect).

    Returns the model, the domain it embeds ``(name, issues, GeniusWeb issue names)``, and notes.

    Raises
    ------
    CaseFileError
        Naming the file, the line of a JSON syntax error, and the field at fault.
    """
    data, filename = _load(path)
    try:
        return _profile(data, filename, party)
    except _Problems as error:
        raise CaseFileError(filename, error.problems) from None


def _profile(
    data: object, filename: str, party: str | None
) -> tuple[PreferenceModel, tuple[str, list[Issue], list[str]], tuple[str, ...]]:
    top = _mapping(data, "(file)", "a JSON object")
    if "LinearAdditiveUtilitySpace" not in top:
        raise _Problems(
            [FileProblem(f"expected a 'LinearAdditiveUtilitySpace' profile; found keys {sorted(top)}")]
        )
    field = "LinearAdditiveUtilitySpace"
    space = _mapping(top[field], field, "an object")
    domain = _domain(space.get("domain"), f"{field}.domain")
    _, issues, names = domain
    utilities = _mapping(
        space.get("issueUtilities"), f"{field}.issueUtilities", "a mapping of issue -> utilities"
    )
    weights_in = _mapping(space.get("issueWeights"), f"{field}.issueWeights", "a mapping of issue -> weight")
    values: dict[str, ValueFunction] = {}
    weights: dict[str, float] = {}
    for issue, name in zip(issues, names, strict=True):
        if name not in utilities or name not in weights_in:
            missing = "issueUtilities" if name not in utilities else "issueWeights"
            raise _Problems([FileProblem(f"issue {name!r} is missing", field=f"{field}.{missing}")])
        values[issue.id] = _value_function(utilities[name], issue, f"{field}.issueUtilities.{name}")
        weights[issue.id] = _number(weights_in[name], f"{field}.issueWeights.{name}")
        if weights[issue.id] < 0:
            raise _Problems(
                [FileProblem("weights must not be negative", field=f"{field}.issueWeights.{name}")]
            )
    notes = []
    total = sum(weights.values())
    if total <= 0:
        raise _Problems([FileProblem("all weights are 0", field=f"{field}.issueWeights")])
    if abs(total - 1) > 1e-6:
        notes.append(f"{filename}: weights sum to {total:g}; they are normalised to sum 1")
    name = str(space.get("name") or Path(filename).stem)
    model = PreferenceModel(party=party or unique_ids([name])[0], label=name, weights=weights, values=values)
    bid = space.get("reservationBid")
    if bid is not None:
        where = f"{field}.reservationBid.issuevalues"
        chosen = _mapping(
            _mapping(bid, f"{field}.reservationBid", "a bid").get("issuevalues"), where, "issue -> value"
        )
        reservation = min(1.0, max(0.0, _bid_utility(chosen, model, issues, names, where)))
        model = model.model_copy(update={"reservation": reservation})
        notes.append(
            f"{filename}: the reservation bid's utility, {reservation:.6g}, is the reservation value"
        )
    return model, domain, tuple(notes)


def import_geniusweb(profile_paths: Sequence[str | os.PathLike[str]]) -> Imported:
    """Import GeniusWeb profiles over one domain: a case with one party per profile.

    Raises
    ------
    CaseFileError
        When a profile cannot be read, or the profiles' domains differ.
    """
    models: list[PreferenceModel] = []
    notes: list[str] = []
    first: tuple[str, list[Issue], list[str]] | None = None
    labels = []
    for path, party in zip(profile_paths, unique_ids([Path(p).stem for p in profile_paths]), strict=True):
        model, domain, profile_notes = read_geniusweb_profile(path, party)
        if first is None:
            first = domain
        elif domain[1] != first[1]:
            raise CaseFileError(
                os.fspath(path),
                [FileProblem(f"its domain differs from that of {os.fspath(profile_paths[0])}")],
            )
        models.append(model)
        labels.append(model.label)
        notes.extend(profile_notes)
    if first is None:
        raise ValueError("no profiles given")
    return imported(first[0], first[1], labels, models, notes)


def import_geniusweb_folder(folder: str | os.PathLike[str]) -> Imported:
    """Import every profile (a file with ``LinearAdditiveUtilitySpace``) in ``folder``, in name order."""
    paths = [
        p
        for p in sorted(Path(folder).glob("*.json"))
        if "LinearAdditiveUtilitySpace" in p.read_text(encoding="utf-8")
    ]
    if not paths:
        raise CaseFileError(
            os.fspath(folder), [FileProblem("no GeniusWeb profile (LinearAdditiveUtilitySpace) found")]
        )
    return import_geniusweb(paths)


# --- export -----------------------------------------------------------------------------------


def _labels(issue: Issue) -> tuple[list[str], list[Value]]:
    return discrete_options(issue, "GeniusWeb")


def geniusweb_domain(case: Case) -> dict[str, Any]:
    """The case's issues as a GeniusWeb domain object."""
    return {"name": case.id, "issuesValues": {i.name: {"values": _labels(i)[0]} for i in case.issues}}


def geniusweb_profile(case: Case, model: PreferenceModel, dialect: str = "discreteutils") -> dict[str, Any]:
    """``model`` as a GeniusWeb linear additive profile, with utilities under ``dialect``'s key.

    Raises
    ------
    ValueError
        For an unknown dialect, a provision-set issue, or a reservation value that needs a bid
        search over more than :data:`MAX_ENUMERATED` outcomes.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; expected one of {list(DIALECTS)}")
    total = sum(model.weights.values())
    utilities: dict[str, Any] = {}
    columns: list[np.ndarray[Any, np.dtype[np.float64]]] = []
    for issue in case.issues:
        labels, positions = _labels(issue)
        function = model.values.get(issue.id)
        scores = [function.value(issue, model.party, p) if function else 0.0 for p in positions]
        utilities[issue.name] = {dialect: {"valueUtilities": dict(zip(labels, scores, strict=True))}}
        columns.append(np.asarray(scores) * model.weights.get(issue.id, 0.0) / total)
    space: dict[str, Any] = {
        "name": model.party,
        "issueUtilities": utilities,
        "issueWeights": {i.name: model.weights.get(i.id, 0.0) / total for i in case.issues},
        "domain": geniusweb_domain(case),
    }
    if model.reservation > 0:
        space["reservationBid"] = {"issuevalues": _reservation_bid(case, columns, model.reservation)}
    return {"LinearAdditiveUtilitySpace": space}


def _reservation_bid(
    case: Case, columns: list[np.ndarray[Any, np.dtype[np.float64]]], reservation: float
) -> dict[str, str]:
    size = int(np.prod([len(c) for c in columns], dtype=object))
    if size > MAX_ENUMERATED:
        raise ValueError(
            f"the reservation value must be written as a bid; finding one means searching {size} outcomes "
            f"(more than {MAX_ENUMERATED})"
        )
    totals = columns[0]
    for column in columns[1:]:
        totals = np.add.outer(totals, column)
    flat = totals.ravel()
    eligible = np.flatnonzero(flat >= reservation - 1e-9)
    best = eligible[np.argmin(flat[eligible])] if eligible.size else int(np.argmax(flat))
    choice = np.unravel_index(best, totals.shape)
    return {issue.name: _labels(issue)[0][int(k)] for issue, k in zip(case.issues, choice, strict=True)}


def export_geniusweb(
    case: Case, prefs: PreferenceSet, folder: str | os.PathLike[str], dialect: str = "discreteutils"
) -> list[Path]:
    """Write ``<case>.json`` (the domain) and one ``<party>.json`` profile per model into ``folder``."""
    data = {f"{case.id}.json": geniusweb_domain(case)}
    data |= {f"{m.party}.json": geniusweb_profile(case, m, dialect) for m in prefs.models}
    texts = {name: json.dumps(item, indent=2, ensure_ascii=False) + "\n" for name, item in data.items()}
    return write_files(folder, texts)

"""GeniusWeb JSON domains and linear additive profiles, to and from Accord's model.

A GeniusWeb domain is ``{"name": ..., "issuesValues": {issue: {"values": [...]}}}`` (a numeric
issue: ``{"range": {"low": .., "high": .., "step": ..}}``). A profile is
``{"LinearAdditiveUtilitySpace": {"name", "issueUtilities", "issueWeights", "domain",
"reservationBid"}}``.

- Every number is read as the exact decimal written (GeniusWeb computes utilities in
  ``BigDecimal``); NaN, infinity and absurdly long numbers are refused. The exact values are kept
  beside the float model (``Imported.exact``).
- Issue utilities come in two key dialects, and both are read: ``discreteutils`` /
  ``DiscreteValueSetUtilities`` (``{"valueUtilities": {value: utility}}``) and ``numberutils`` /
  ``NumberValueSetUtilities`` (``lowValue``, ``lowUtility``, ``highValue``, ``highUtility``:
  linear between, flat beyond).
- The reservation is given as a bid (``reservationBid``): its utility under the profile becomes
  the reservation value. Without one the reservation value is 0.
- Weights that do not sum to 1 are normalised (a note says so). A key given twice in one object
  is refused (JSON readers disagree on which one wins).

Limits: a file of more than :data:`accord.casefile.interop.MAX_FILE_BYTES`, nested deeper than
Python's JSON reader goes, or with an issue of more than :data:`MAX_ISSUE_VALUES` values is
refused with one line saying so. Export: :mod:`accord.casefile.geniusweb_export` (re-exported).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from accord.casefile.errors import CaseFileError, FileProblem
from accord.casefile.geniusweb_export import (
    DIALECTS,
    MAX_ENUMERATED,
    export_geniusweb,
    geniusweb_domain,
    geniusweb_profile,
)
from accord.casefile.interop import (
    MAX_FILE_BYTES,
    ROUNDING,
    Imported,
    imported,
    parse_decimal,
    unique_ids,
    validation_message,
)
from accord.model import (
    CategoricalIssue,
    Issue,
    NumericIssue,
    OptionValue,
    PiecewiseValue,
    PreferenceModel,
    ValueFunction,
)
from accord.model.exact import ExactProfile
from accord.model.issue import OptionIssue
from accord.model.limits import NAME_MAX, printable, text_problem

__all__ = [
    "DIALECTS",
    "MAX_ENUMERATED",
    "export_geniusweb",
    "geniusweb_domain",
    "geniusweb_profile",
    "import_geniusweb",
    "import_geniusweb_folder",
    "read_geniusweb_profile",
]

DISCRETE_KEYS = ("discreteutils", "DiscreteValueSetUtilities")
NUMBER_KEYS = ("numberutils", "NumberValueSetUtilities")
MAX_ISSUE_VALUES = 100_000
"""Most values one issue may have (the values of a discrete issue, or the levels of a range)."""
ZERO, ONE = Fraction(0), Fraction(1)

Domain = tuple[str, list[Issue], list[str]]
"""A domain as read: its name, the issues, and their GeniusWeb names."""


class _Problems(Exception):
    def __init__(self, problems: list[FileProblem]) -> None:
        self.problems = problems


def _problem(message: str, field: str | None = None) -> _Problems:
    return _Problems([FileProblem(message, field=field)])


def _check_name(text: str, field: str) -> None:
    """A name (an issue's, a value's) keeps the one-line text rule of :mod:`accord.model.limits`."""
    problem = text_problem(text, one_line=True)
    if problem is None and len(text) > NAME_MAX:
        problem = f"expected at most {NAME_MAX} characters, got {len(text):,}"
    if problem is not None:
        raise _problem(problem, field)


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > 60:
        raise ValueError(f"expected a number of at most 60 digits, got {text[:40]!r}")
    return int(text)


def _json_constant(text: str) -> None:
    raise ValueError(f"expected a finite number, got {text!r}")


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"duplicate key {key[:40]!r}; a key may appear only once in an object")
        found[key] = value
    return found


def _load(path: str | os.PathLike[str]) -> tuple[Any, str]:
    filename = os.fspath(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            message = f"the file has {size:,} bytes; GeniusWeb files of more than {MAX_FILE_BYTES:,} bytes are refused"
            raise CaseFileError(filename, [FileProblem(message)])
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CaseFileError(filename, [FileProblem("no such file")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CaseFileError(filename, [FileProblem(f"cannot be read: {error}")]) from None
    try:
        data = json.loads(
            text,
            parse_float=parse_decimal,
            parse_int=_json_int,
            parse_constant=_json_constant,
            object_pairs_hook=_json_object,
        )
    except json.JSONDecodeError as error:
        raise CaseFileError(
            filename, [FileProblem(f"not valid JSON: {error.msg}", error.lineno, error.colno)]
        ) from None
    except RecursionError:
        message = "lists and objects are nested too deep; a GeniusWeb profile nests five or six levels"
        raise CaseFileError(filename, [FileProblem(message)]) from None
    except ValueError as error:  # a number refused by parse_decimal and the like
        raise CaseFileError(filename, [FileProblem(f"not valid JSON: {error}")]) from None
    return data, filename


def _mapping(data: object, field: str, expected: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _problem(f"expected {expected}, got {type(data).__name__}", field)
    return data


def _decimal(data: object, field: str) -> Fraction:
    """A number of the file (a JSON number, or a string holding one), exactly."""
    if isinstance(data, (Fraction, int)) and not isinstance(data, bool):
        return Fraction(data)
    if isinstance(data, str):
        try:
            return parse_decimal(data)
        except ValueError as error:
            raise _problem(str(error), field) from None
    raise _problem(f"expected a number, got {data!r}", field)


def _domain(data: object, field: str) -> Domain:
    domain = _mapping(data, field, "a domain object with 'name' and 'issuesValues'")
    values = _mapping(domain.get("issuesValues"), f"{field}.issuesValues", "a mapping of issue -> value set")
    names = list(values)
    if not names:
        raise _problem("the domain has no issues", f"{field}.issuesValues")
    issues: list[Issue] = []
    for name, issue_id in zip(names, unique_ids(names), strict=True):
        where = f"{field}.issuesValues.{printable(name)}"
        _check_name(name, where)
        value_set = _mapping(values[name], where, "a value set ({'values': [...]} or {'range': {...}})")
        if "values" in value_set:
            options = value_set["values"]
            if not isinstance(options, list) or not options or not all(isinstance(o, str) for o in options):
                raise _problem("expected a non-empty list of value names", f"{where}.values")
            if len(options) > MAX_ISSUE_VALUES:
                raise _problem(
                    f"{len(options):,} values; at most {MAX_ISSUE_VALUES:,} are read", f"{where}.values"
                )
            for index, option in enumerate(options):
                _check_name(option, f"{where}.values.{index}")
            issues.append(CategoricalIssue(id=issue_id, name=name, options=tuple(dict.fromkeys(options))))
        elif "range" in value_set:
            bounds = _mapping(value_set["range"], f"{where}.range", "{'low', 'high', 'step'}")
            low, high = (
                _decimal(bounds.get("low"), f"{where}.range.low"),
                _decimal(bounds.get("high"), f"{where}.range.high"),
            )
            step = _decimal(bounds.get("step", 1), f"{where}.range.step")
            if not low < high or step <= 0:
                raise _problem("expected low < high and step > 0", f"{where}.range")
            if (high - low) / step + 1 > MAX_ISSUE_VALUES:
                raise _problem(
                    f"more than {MAX_ISSUE_VALUES:,} values from low to high by step", f"{where}.range"
                )
            issues.append(
                NumericIssue(
                    id=issue_id, name=name, unit="", low=float(low), high=float(high), step=float(step)
                )
            )
        else:
            raise _problem("expected 'values' or 'range'", where)
    return str(domain.get("name", "domain")), issues, names


def _interpolate(points: list[tuple[Fraction, Fraction]], x: Fraction) -> Fraction:
    """Linear between two points, flat beyond them."""
    (x0, y0), (x1, y1) = points
    if x <= x0:
        return y0
    if x >= x1:
        return y1
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


def _value_function(data: object, issue: Issue, where: str) -> tuple[ValueFunction, tuple[Fraction, ...]]:
    """The float value function of ``issue`` and its exact value per option (or level)."""
    utilities = _mapping(data, where, "an issue utility ({'discreteutils': ...} or {'numberutils': ...})")
    discrete = next((utilities[k] for k in DISCRETE_KEYS if k in utilities), None)
    number = next((utilities[k] for k in NUMBER_KEYS if k in utilities), None)
    if discrete is not None:
        if not isinstance(issue, OptionIssue):
            raise _problem(f"discrete utilities for numeric issue {issue.name!r}", where)
        given = _mapping(
            _mapping(discrete, where, "an object").get("valueUtilities"),
            f"{where}.valueUtilities",
            "value -> utility",
        )
        scores: list[Fraction] = []
        for option in issue.options:
            if option not in given:
                raise _problem(f"no utility for value {option!r}", f"{where}.valueUtilities")
            score = _decimal(given[option], f"{where}.valueUtilities.{option}")
            if not ZERO <= score <= ONE:
                raise _problem(
                    f"utility {float(score):g} is outside [0, 1]", f"{where}.valueUtilities.{option}"
                )
            scores.append(score)
        unknown = sorted(set(given) - set(issue.options))
        if unknown:
            raise _problem(f"values {unknown[:10]} are not in the domain", f"{where}.valueUtilities")
        function = OptionValue(scores={o: float(v) for o, v in zip(issue.options, scores, strict=True)})
        return function, tuple(scores)
    if number is not None:
        if not isinstance(issue, NumericIssue):
            raise _problem(f"number utilities for discrete issue {issue.name!r}", where)
        spec = _mapping(number, where, "an object")
        points = sorted(
            (
                _decimal(spec.get(f"{end}Value"), f"{where}.{end}Value"),
                _decimal(spec.get(f"{end}Utility"), f"{where}.{end}Utility"),
            )
            for end in ("low", "high")
        )
        if points[0][0] == points[1][0] or not all(ZERO <= u <= ONE for _, u in points):
            raise _problem("expected lowValue < highValue and utilities in [0, 1]", where)
        exact = tuple(_interpolate(points, Fraction(repr(level))) for level in issue.levels)
        return PiecewiseValue(points=tuple((float(x), float(u)) for x, u in points)), exact
    keys = ", ".join(repr(k) for k in (*DISCRETE_KEYS, *NUMBER_KEYS))
    raise _problem(f"expected one of the keys {keys}; found {sorted(utilities)[:10]}", where)


def _bid_utility(
    bid: Mapping[str, object],
    profile: ExactProfile,
    issues: Sequence[Issue],
    names: Sequence[str],
    where: str,
) -> Fraction:
    total = sum(profile.weights.values(), ZERO)
    utility = ZERO
    for issue, name in zip(issues, names, strict=True):
        if name not in bid:
            raise _problem(f"the bid gives no value for issue {name!r}", where)
        position = bid[name]
        if isinstance(issue, NumericIssue):
            x = _decimal(position, f"{where}.{name}")
            levels = [Fraction(repr(level)) for level in issue.levels]
            if x not in levels:
                raise _problem(
                    f"expected one of the levels {[float(v) for v in levels[:10]]}, got {float(x):g}",
                    f"{where}.{name}",
                )
            value = profile.values[issue.id][levels.index(x)]
        else:
            assert isinstance(issue, OptionIssue)
            if not isinstance(position, str) or position not in issue.options:
                listed = list(issue.options[:10])
                raise _problem(f"expected one of {listed}, got {position!r}", f"{where}.{name}")
            value = profile.values[issue.id][issue.options.index(position)]
        utility += profile.weights[issue.id] / total * value
    return utility


@dataclass(frozen=True, slots=True)
class GeniusWebProfile:
    """A profile as read: the model, its exact values, the domain it embeds, and notes."""

    model: PreferenceModel
    exact: ExactProfile
    domain: Domain
    notes: tuple[str, ...]


def read_geniusweb_profile(path: str | os.PathLike[str], party: str | None = None) -> GeniusWebProfile:
    """Read a GeniusWeb linear additive profile (either key dialect).

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


def _profile(data: object, filename: str, party: str | None) -> GeniusWebProfile:
    top = _mapping(data, "(file)", "a JSON object")
    if "LinearAdditiveUtilitySpace" not in top:
        raise _problem(f"expected a 'LinearAdditiveUtilitySpace' profile; found keys {sorted(top)[:10]}")
    field = "LinearAdditiveUtilitySpace"
    space = _mapping(top[field], field, "an object")
    domain = _domain(space.get("domain"), f"{field}.domain")
    _, issues, names = domain
    utilities = _mapping(
        space.get("issueUtilities"), f"{field}.issueUtilities", "a mapping of issue -> utilities"
    )
    weights_in = _mapping(space.get("issueWeights"), f"{field}.issueWeights", "a mapping of issue -> weight")
    values: dict[str, ValueFunction] = {}
    exact: dict[str, tuple[Fraction, ...]] = {}
    weights: dict[str, Fraction] = {}
    for issue, name in zip(issues, names, strict=True):
        if name not in utilities or name not in weights_in:
            missing = "issueUtilities" if name not in utilities else "issueWeights"
            raise _problem(f"issue {name!r} is missing", f"{field}.{missing}")
        values[issue.id], exact[issue.id] = _value_function(
            utilities[name], issue, f"{field}.issueUtilities.{name}"
        )
        weights[issue.id] = _decimal(weights_in[name], f"{field}.issueWeights.{name}")
        if weights[issue.id] < 0:
            raise _problem("weights must not be negative", f"{field}.issueWeights.{name}")
    notes = []
    total = sum(weights.values(), ZERO)
    if total <= 0:
        raise _problem("all weights are 0", f"{field}.issueWeights")
    if abs(total - 1) > ROUNDING:  # a sum of doubles off by 1e-16 is not worth a note
        notes.append(f"{filename}: weights sum to {float(total):g}; they are normalised to sum 1")
    name = str(space.get("name") or Path(filename).stem)
    party = party or unique_ids([name])[0]
    profile = ExactProfile(party=party, weights=weights, values=exact)
    bid = space.get("reservationBid")
    reservation = ZERO
    if bid is not None:
        where = f"{field}.reservationBid.issuevalues"
        chosen = _mapping(
            _mapping(bid, f"{field}.reservationBid", "a bid").get("issuevalues"), where, "issue -> value"
        )
        reservation = _bid_utility(chosen, profile, issues, names, where)
        notes.append(
            f"{filename}: the reservation bid's utility, {float(reservation):.6g}, is the reservation value"
        )
    try:
        model = PreferenceModel(
            party=party,
            label=name,
            weights={i: float(w) for i, w in weights.items()},
            values=values,
            reservation=float(min(ONE, max(ZERO, reservation))),
        )
    except ValidationError as error:
        raise _problem(validation_message(error), field) from None
    profile = ExactProfile(party=party, weights=weights, values=exact, reservation=reservation)
    return GeniusWebProfile(model, profile, domain, tuple(notes))


def import_geniusweb(profile_paths: Sequence[str | os.PathLike[str]]) -> Imported:
    """Import GeniusWeb profiles over one domain: a case with one party per profile.

    Raises
    ------
    CaseFileError
        When a profile cannot be read, or the profiles' domains differ.
    """
    profiles: list[GeniusWebProfile] = []
    for path, party in zip(profile_paths, unique_ids([Path(p).stem for p in profile_paths]), strict=True):
        profile = read_geniusweb_profile(path, party)
        if profiles and profile.domain[1] != profiles[0].domain[1]:
            raise CaseFileError(
                os.fspath(path),
                [FileProblem(f"its domain differs from that of {os.fspath(profile_paths[0])}")],
            )
        profiles.append(profile)
    if not profiles:
        raise ValueError("no profiles given")
    first = profiles[0].domain
    notes = [note for p in profiles for note in p.notes]
    labels = [p.model.label for p in profiles]
    models, exact = [p.model for p in profiles], [p.exact for p in profiles]
    return imported(first[0], first[1], labels, models, notes, exact, os.fspath(profile_paths[0]))


def is_profile(path: Path) -> bool:
    """Whether the JSON file at ``path`` looks like a GeniusWeb profile (its first 64 KiB name
    ``LinearAdditiveUtilitySpace``); a file that cannot be read is not one."""
    try:
        with path.open("rb") as handle:
            return b"LinearAdditiveUtilitySpace" in handle.read(1 << 16)
    except OSError:
        return False


def import_geniusweb_folder(folder: str | os.PathLike[str], parties: Sequence[str] | None = None) -> Imported:
    """Import every profile (a file with ``LinearAdditiveUtilitySpace``) in ``folder``, in name
    order, or only the ``parties`` named (by file name, with or without ``.json``).

    Raises
    ------
    CaseFileError
        When the folder holds no profile, a named party is not among them, or a file cannot be read.
    """
    paths = [p for p in sorted(Path(folder).glob("*.json")) if is_profile(p)]
    if not paths:
        raise CaseFileError(
            os.fspath(folder), [FileProblem("no GeniusWeb profile (LinearAdditiveUtilitySpace) found")]
        )
    if parties is not None:
        index: dict[str, Path] = {}
        for path, party in zip(paths, unique_ids([p.stem for p in paths]), strict=True):
            for key in (path.name, path.stem, party):
                index.setdefault(key, path)
        unknown = [p for p in parties if p not in index]
        if unknown:
            known = [p.stem for p in paths[:20]] + (["..."] if len(paths) > 20 else [])
            raise CaseFileError(
                os.fspath(folder),
                [FileProblem(f"no profile named {unknown} in the folder; profiles: {known}")],
            )
        paths = list(dict.fromkeys(index[p] for p in parties))
    return import_geniusweb(paths)

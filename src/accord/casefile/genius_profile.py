"""A GENIUS utility profile read as GENIUS reads it: weights, evaluators, reservation value.

The rules (each cited from the GENIUS source it follows) are listed in
:mod:`accord.casefile.genius` and docs/reference/preferences.md. Every number is read as the exact
decimal it is written as; the float :class:`PreferenceModel` is built from those, and the exact
values are kept beside it (:class:`accord.model.exact.ExactProfile`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from pydantic import ValidationError

from accord.casefile.errors import CaseFileError
from accord.casefile.genius_reader import Reader, issue_container, nested
from accord.casefile.interop import ROUNDING, validation_message
from accord.casefile.xmltree import Element
from accord.model import Issue, NumericIssue, OptionValue, PiecewiseValue, PreferenceModel, ValueFunction
from accord.model.exact import ExactProfile
from accord.model.issue import OptionIssue

DISCRETE_READINGS = ("given", "max")
"""How discrete evaluations become values: ``given`` as GENIUS 5 to 7 (``negotiator.utility.
EvaluatorDiscrete`` since July 2014), ``max`` as GENIUS 8 and later (``genius.core.utility.
EvaluatorDiscrete``)."""

ZERO, ONE = Fraction(0), Fraction(1)
GENIUS8_TINY = Fraction(1, 100_000)
"""GENIUS 8 scores an issue whose largest evaluation is below this all 0."""


@dataclass(frozen=True, slots=True)
class GeniusProfile:
    """A profile as read: the preference model, its exact values, and notes on the reading."""

    model: PreferenceModel
    exact: ExactProfile
    notes: tuple[str, ...]


def _clip(x: Fraction) -> Fraction:
    return min(ONE, max(ZERO, x))


def _java_round(x: Fraction) -> int:
    """``Math.round`` of Java: the nearest integer, halves rounded up."""
    return x.numerator if x.denominator == 1 else math.floor(x + Fraction(1, 2))


def _level(x: float) -> Fraction:
    """A numeric level as the decimal it prints as (levels are rounded to 12 decimals)."""
    return Fraction(repr(x))


def discrete_values(
    element: Element, issue: OptionIssue, reader: Reader, reading: str
) -> tuple[Fraction, ...] | None:
    """The value of each option of ``issue`` (in option order) from the ``<item>`` evaluations."""
    options = set(issue.options)
    evaluations: dict[str, Fraction] = {}
    seen: dict[str, int] = {}
    mentioned: set[str] = set()
    for item in element.iter("item"):
        value = item.attrib.get("value")
        if value is None:
            reader.fail(item, "an item needs a value", "value")
            continue
        mentioned.add(value)
        evaluation = reader.number(item, "evaluation")
        if evaluation is None:
            continue
        if value not in options:
            listed = list(issue.options[:10]) + (["..."] if len(issue.options) > 10 else [])
            reader.fail(item, f"item {value!r} is not an option of {issue.name!r}; expected one of {listed}")
        elif evaluation.numerator < 0:
            reader.fail(item, f"evaluations must not be negative, got {float(evaluation):g}", "evaluation")
        else:
            if value in seen:
                reader.note(
                    item,
                    f"issue {issue.name!r} lists item {value!r} again (first at line {seen[value]}); "
                    f"the later evaluation ({float(evaluation):g}) is used, as in GENIUS",
                )
            seen[value] = item.line
            evaluations[value] = evaluation
    missing = [o for o in issue.options if o not in mentioned]
    if missing:
        shown = missing[:10] + (["..."] if len(missing) > 10 else [])
        reader.fail(element, f"no evaluation for item(s) {shown} of issue {issue.name!r}")
    if len(evaluations) != len(issue.options):
        return None
    return _normalised(element, issue.name, [evaluations[o] for o in issue.options], reader, reading)


def _normalised(
    element: Element, name: str, given: list[Fraction], reader: Reader, reading: str
) -> tuple[Fraction, ...] | None:
    top = max(given)
    if reading == "max":  # GENIUS 8+: evaluation / max, all 0 when max < 0.00001
        if top < GENIUS8_TINY:
            reader.note(
                element, f"issue {name!r}: largest evaluation below 0.00001; all values 0, as in GENIUS 8"
            )
            return tuple(ZERO for _ in given)
        return tuple(v / top for v in given)
    # GENIUS 5-7: if the maximum, rounded, exceeds 1, round(evaluation) / round(max); else as given
    rounded_top = _java_round(top)
    if rounded_top > 1:
        rounded = [_java_round(v) for v in given]
        if any(v.denominator != 1 for v in given):
            reader.note(element, f"issue {name!r}: evaluations rounded to whole numbers, as GENIUS 5-7 does")
        whole = "evaluations above 1 are divided by each issue's maximum, as GENIUS 5-7 does"
        if not any(note.endswith(whole) for note in reader.notes):  # once per file
            reader.note(None, whole)
        return tuple(Fraction(r, rounded_top) for r in rounded)
    if top > 1:
        reader.fail(
            element,
            f"issue {name!r}: the largest evaluation ({float(top):g}) is above 1 but rounds to 1, so GENIUS "
            "5-7 would use evaluations above 1 as values; read it with the 'max' reading (GENIUS 8)",
        )
        return None
    return tuple(given)


def numeric_values(
    element: Element, issue: NumericIssue, kind: str, reader: Reader
) -> tuple[tuple[Fraction, ...], ValueFunction] | None:
    """The value of each level of ``issue`` and a float value function for the model.

    Integer issues, ``offset``/``slope`` (GENIUS 8 ``EvaluatorInteger``):
    ``clip(offset + slope * (x - lowerbound), 0, 1)``; ``parameter0``/``parameter1`` (GENIUS 7):
    ``clip(parameter0 + parameter1 * x, 0, 1)``. Real issues (``EvaluatorReal``):
    ``clip(parameter0 + parameter1 * x, 0, 1)`` (or ``offset + slope * x``). ``constant``:
    ``parameter0``, clipped to ``[0, 1]``.
    """
    evaluator = element.first("evaluator")
    if evaluator is None:
        reader.fail(element, f"numeric issue {issue.name!r} needs an <evaluator>")
        return None
    ftype = evaluator.attrib.get("ftype", "linear").lower()
    low, high = _level(issue.low), _level(issue.high)
    read: tuple[Fraction | None, Fraction | None, Fraction | None]
    if ftype == "constant":
        constant = reader.number(evaluator, "parameter0")
        read = (None if constant is None else _clip(constant), ZERO, ZERO)
    elif ftype == "linear":
        attrib = evaluator.attrib
        if "offset" in attrib or "slope" in attrib:
            shift = low if kind == "integer" else ZERO
            if kind == "integer" and "lowerbound" in element.attrib:
                shift = reader.number(element, "lowerbound") or ZERO
            read = (reader.number(evaluator, "offset", ZERO), reader.number(evaluator, "slope", ZERO), shift)
        else:
            read = (
                reader.number(evaluator, "parameter0", ZERO),
                reader.number(evaluator, "parameter1", ZERO),
                ZERO,
            )
    else:
        reader.fail(
            evaluator, f"evaluator type {ftype!r} is not supported; expected linear or constant", "ftype"
        )
        return None
    offset, slope, shift = read
    if offset is None or slope is None or shift is None:
        return None

    def line(x: Fraction) -> Fraction:
        return _clip(offset + slope * (x - shift))

    values = tuple(line(_level(x)) for x in issue.levels)
    kinks = {low, high}
    if slope != 0:
        kinks |= {x for x in (shift + (t - offset) / slope for t in (ZERO, ONE)) if low < x < high}
    points: list[tuple[float, float]] = []
    for x in sorted(kinks):
        if not points or float(x) > points[-1][0]:
            points.append((float(x), float(line(x))))
    return values, PiecewiseValue(points=tuple(points))


def read_profile(
    root: Element, filename: str, issues: dict[str, Issue], kinds: dict[str, str], party: str, reading: str
) -> GeniusProfile:
    """Read the profile ``root`` (of file ``filename``) over a domain's ``issues`` (GENIUS name ->
    issue; ``kinds``: name -> GENIUS issue type) as ``party``'s preferences.

    Raises
    ------
    CaseFileError
        With every problem found, each at its line.
    """
    reader = Reader(filename)
    if root.tag != "utility_space":
        reader.fail(root, f"expected a <utility_space> profile, found <{root.tag}>")
    container = issue_container(root, reader)
    reader.raise_if_any()
    assert container is not None
    reservation, discount = _reservation_and_discount(root, container, reader)
    index_to_issue: dict[str, str] = {}
    exact: dict[str, tuple[Fraction, ...]] = {}
    values: dict[str, ValueFunction] = {}
    found: set[str] = set()
    for element in nested(container, "issue"):
        name = element.attrib.get("name", "")
        issue = issues.get(name)
        found.add(name)
        if issue is None:
            listed = list(issues)[:10] + (["..."] if len(issues) > 10 else [])
            reader.fail(element, f"issue {name!r} is not in the domain; expected one of {listed}", "name")
            continue
        index_to_issue[element.attrib.get("index", "")] = issue.id
        if isinstance(issue, NumericIssue):
            read = numeric_values(element, issue, kinds[name], reader)
            if read is not None:
                exact[issue.id], values[issue.id] = read
        else:
            assert isinstance(issue, OptionIssue)
            given = discrete_values(element, issue, reader, reading)
            if given is not None:
                exact[issue.id] = given
                values[issue.id] = OptionValue(
                    scores={o: float(v) for o, v in zip(issue.options, given, strict=True)}
                )
    weights, ignored = _weights(container, index_to_issue, reader)
    hint = "".join(f"; the <weight index={i!r}> at line {line} matches no issue" for i, line in ignored[:3])
    for name, issue in issues.items():
        if name not in found:
            reader.fail(container, f"the profile gives no evaluations for issue {name!r}")
        elif issue.id in values and issue.id not in weights:
            index = next((i for i, v in index_to_issue.items() if v == issue.id), "")
            reader.fail(
                container, f"the profile gives no <weight> for issue {name!r} (index {index!r}){hint}"
            )
    reader.raise_if_any()
    total = sum(weights.values(), ZERO)
    if total <= 0:
        raise CaseFileError(filename, [container.problem("all weights are 0")])
    if abs(total - 1) > ROUNDING:  # a sum of doubles off by 1e-16 is not worth a note
        reader.note(None, f"weights sum to {float(total):g}; they are normalised to sum 1")
    try:
        model = PreferenceModel(
            party=party,
            label=Path(filename).stem,
            weights={i: float(w) for i, w in weights.items()},
            values=values,
            reservation=float(_clip(reservation)),
            discount=discount,
        )
    except ValidationError as error:  # e.g. weights too small to be above 0 as doubles
        raise CaseFileError(filename, [container.problem(validation_message(error))]) from None
    profile = ExactProfile(party=party, weights=weights, values=exact, reservation=reservation)
    return GeniusProfile(model, profile, tuple(reader.notes))


def _reservation_and_discount(root: Element, container: Element, reader: Reader) -> tuple[Fraction, float]:
    reservation, discount = ZERO, 1.0
    for holder in (root,) if container is root else (root, container):
        for element in holder.iter("reservation"):
            value = reader.number(element, "value", ZERO)
            if value is not None:
                reservation = value
                if not ZERO <= value <= ONE:
                    reader.note(
                        element,
                        f"reservation value {float(value):g} is outside [0, 1]; the analysis uses it as "
                        f"written, the preference model stores {float(_clip(value)):g}",
                    )
        for element in holder.iter("discount_factor"):
            value = reader.number(element, "value", ONE)
            if value is not None and not ZERO <= value <= ONE:
                reader.fail(element, f"a discount factor must be in [0, 1], got {float(value):g}", "value")
            elif value is not None:
                discount = float(value) if value else 1.0  # 0 means no discounting in GENIUS
    return reservation, discount


def _weights(
    container: Element, index_to_issue: dict[str, str], reader: Reader
) -> tuple[dict[str, Fraction], list[tuple[str, int]]]:
    """Weights by issue id, and the ``(index, line)`` of the weights that match no issue."""
    weights: dict[str, Fraction] = {}
    ignored: list[tuple[str, int]] = []
    for element in nested(container, "weight"):
        index = element.attrib.get("index", "")
        weight = reader.number(element, "value")
        if weight is None:
            continue
        issue_id = index_to_issue.get(index)
        if issue_id is None:
            ignored.append((index, element.line))
            reader.note(
                element,
                f"<weight index={index!r}> matches no issue (an objective's own weight): ignored, as GENIUS does",
            )
        elif weight < 0:
            reader.fail(element, f"weights must not be negative, got {float(weight):g}", "value")
        else:
            weights[issue_id] = weight
    return weights, ignored

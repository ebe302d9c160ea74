"""GENIUS XML domains and utility profiles, to and from Accord's model.

A GENIUS domain is a ``negotiation_template`` (or ``utility_space``) holding one ``objective``
with ``issue`` elements: discrete issues list ``item`` values; integer and real issues give
``lowerbound``/``upperbound`` (as attributes or in a ``range`` element). A profile is a
``utility_space`` with the same issues carrying evaluations, ``weight`` elements, and optional
``reservation`` and ``discount_factor``.

How the importer reads them (the traps of real files, as in the public ANAC benchmark domains):

- Discrete evaluations: when any evaluation of an issue exceeds 1 they are integers to be
  divided by that issue's maximum; otherwise they are used as given.
- An item listed twice (AMPOvsCity) keeps its later evaluation, as GENIUS does; a note says so.
- Weights are matched to issues by ``index``, wherever they stand (before the issues in
  AMPOvsCity); weights need not sum to 1 (utilities normalise them; a note says so).
- Names are kept exactly as written, typos included, so that bids still match.
- Integer issues become numeric issues with step 1; real issues numeric issues with
  ``real_steps`` steps. Their ``linear`` evaluator (``offset``/``slope``, or
  ``parameter0``/``parameter1``), clipped to ``[0, 1]`` as GENIUS does, becomes a piecewise
  linear value function; ``constant`` a flat one.
- Reservation value and discount factor are optional (0 and 1); a discount factor of 0 means
  none, as in GENIUS.

Export (:mod:`accord.casefile.genius_export`, re-exported here) writes discrete issues only.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from accord.casefile.errors import CaseFileError, FileProblem
from accord.casefile.genius_export import export_genius, genius_domain_xml, genius_profile_xml
from accord.casefile.interop import Imported, imported, unique_ids
from accord.casefile.xmltree import Element, parse_xml
from accord.model import (
    CategoricalIssue,
    Issue,
    NumericIssue,
    OptionValue,
    PiecewiseValue,
    PreferenceModel,
    ValueFunction,
)
from accord.model.issue import OptionIssue

__all__ = [
    "GeniusDomain",
    "export_genius",
    "genius_domain_xml",
    "genius_profile_xml",
    "import_genius",
    "import_genius_folder",
    "read_genius_domain",
    "read_genius_profile",
]


@dataclass
class _Reader:
    """Collects every problem of one file before raising, so a file is fixed in one pass."""

    filename: str
    problems: list[FileProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def fail(self, element: Element, message: str, attribute: str | None = None) -> None:
        self.problems.append(element.problem(message, attribute))

    def note(self, element: Element, message: str) -> None:
        self.notes.append(f"{self.filename}:{element.line}: {message}")

    def number(self, element: Element, attribute: str, default: float | None = None) -> float | None:
        text = element.attrib.get(attribute)
        if text is None:
            if default is None:
                self.fail(element, f"attribute {attribute!r} is missing", attribute)
            return default
        try:
            return float(text)
        except ValueError:
            self.fail(element, f"expected a number, got {text!r}", attribute)
            return default

    def raise_if_any(self) -> None:
        if self.problems:
            raise CaseFileError(self.filename, self.problems)


def _read(path: str | os.PathLike[str]) -> tuple[Element, str]:
    filename = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise CaseFileError(filename, [FileProblem("no such file")]) from None
    except OSError as error:
        raise CaseFileError(filename, [FileProblem(f"cannot be read: {error.strerror}")]) from None
    return parse_xml(data, filename), filename


def _objective(root: Element, reader: _Reader) -> Element | None:
    space = root if root.tag == "utility_space" else root.first("utility_space")
    if space is None:
        reader.fail(root, f"expected a <utility_space> element (the root is <{root.tag}>)")
        return None
    objective = space.first("objective")
    if objective is None:
        reader.fail(space, "expected an <objective> element holding the issues")
    return objective


def _issue_elements(objective: Element) -> list[Element]:
    """Issues under the objective, including those under nested objectives."""
    found: list[Element] = []
    for child in objective.children:
        if child.tag == "issue":
            found.append(child)
        elif child.tag == "objective":
            found.extend(_issue_elements(child))
    return found


def _kind(element: Element) -> str:
    attrib = element.attrib
    return (attrib.get("type") or attrib.get("etype") or attrib.get("vtype") or "discrete").lower()


def _bounds(element: Element, reader: _Reader) -> tuple[float, float] | None:
    holder = element if "lowerbound" in element.attrib else (element.first("range") or element)
    low, high = reader.number(holder, "lowerbound"), reader.number(holder, "upperbound")
    if low is None or high is None:
        return None
    if not low < high:
        reader.fail(holder, f"lowerbound ({low:g}) must be below upperbound ({high:g})")
        return None
    return low, high


@dataclass(frozen=True, slots=True)
class GeniusDomain:
    """A GENIUS domain read into Accord issues; ``names`` are the GENIUS issue names, in order."""

    name: str
    issues: tuple[Issue, ...]
    names: tuple[str, ...]
    agents: tuple[tuple[str, str], ...] = ()
    """``(agent name, profile file)`` pairs listed by a negotiation template, if any."""


def read_genius_domain(path: str | os.PathLike[str], real_steps: int = 10) -> GeniusDomain:
    """Read a GENIUS domain file (a ``negotiation_template`` or a ``utility_space``).

    Raises
    ------
    CaseFileError
        With every problem found, each at its line.
    """
    root, filename = _read(path)
    reader = _Reader(filename)
    objective = _objective(root, reader)
    reader.raise_if_any()
    assert objective is not None
    elements = _issue_elements(objective)
    if not elements:
        reader.fail(objective, "the objective lists no <issue> elements")
    names = [e.attrib.get("name", "") for e in elements]
    ids = unique_ids(names)
    issues: list[Issue] = []
    for element, name, issue_id in zip(elements, names, ids, strict=True):
        if not name:
            reader.fail(element, "an issue needs a name", "name")
            continue
        kind = _kind(element)
        if kind == "discrete":
            options: list[str] = []
            for item in element.iter("item"):
                value = item.attrib.get("value")
                if value is None:
                    reader.fail(item, "an item needs a value", "value")
                elif value in options:
                    reader.note(item, f"issue {name!r} lists item {value!r} twice; it is kept once")
                else:
                    options.append(value)
            if not options:
                reader.fail(element, f"discrete issue {name!r} lists no items")
                continue
            issues.append(CategoricalIssue(id=issue_id, name=name, options=tuple(options)))
        elif kind in ("integer", "real"):
            bounds = _bounds(element, reader)
            if bounds is None:
                continue
            low, high = bounds
            step = 1.0 if kind == "integer" else (high - low) / real_steps
            issues.append(NumericIssue(id=issue_id, name=name, unit="", low=low, high=high, step=step))
        else:
            reader.fail(element, f"unknown issue type {kind!r}; expected discrete, integer or real", "type")
    agents = tuple(
        (agent.attrib.get("name", ""), agent.attrib.get("utility_space", ""))
        for agent in root.iter("agent")
        if agent.attrib.get("utility_space")
    )
    reader.raise_if_any()
    return GeniusDomain(
        objective.attrib.get("name") or Path(filename).stem, tuple(issues), tuple(names), agents
    )


def read_genius_profile(
    path: str | os.PathLike[str], domain: GeniusDomain, party: str, label: str | None = None
) -> tuple[PreferenceModel, tuple[str, ...]]:
    """Read a GENIUS utility profile over ``domain`` as ``party``'s preference model.

    Returns the model and the notes on what was interpreted (see the module docstring).

    Raises
    ------
    CaseFileError
        With every problem found, each at its line.
    """
    root, filename = _read(path)
    reader = _Reader(filename)
    if root.tag != "utility_space":
        reader.fail(root, f"expected a <utility_space> profile, found <{root.tag}>")
    objective = _objective(root, reader)
    reader.raise_if_any()
    assert objective is not None
    reservation, discount = _reservation_and_discount(root, objective, reader)
    by_name = dict(zip(domain.names, domain.issues, strict=True))
    index_to_issue: dict[str, str] = {}
    values: dict[str, ValueFunction] = {}
    rescaled: list[str] = []
    found: set[str] = set()
    for element in _issue_elements(objective):
        name = element.attrib.get("name", "")
        issue = by_name.get(name)
        found.add(name)
        if issue is None:
            reader.fail(
                element, f"issue {name!r} is not in the domain; expected one of {list(domain.names)}", "name"
            )
            continue
        index_to_issue[element.attrib.get("index", "")] = issue.id
        function = _value_function(element, issue, reader, rescaled)
        if function is not None:
            values[issue.id] = function
    if rescaled:
        reader.notes.append(
            f"{filename}: evaluations above 1 in {rescaled} read as integers divided by each issue's maximum"
        )
    weights = _weights(objective, index_to_issue, reader)
    for name, issue in by_name.items():
        if name not in found:
            reader.fail(objective, f"the profile gives no evaluations for issue {name!r}")
        elif issue.id in values and issue.id not in weights:
            reader.fail(objective, f"the profile gives no <weight> for issue {name!r}")
    reader.raise_if_any()
    total = sum(weights.values())
    if abs(total - 1) > 1e-6:
        reader.notes.append(f"{filename}: weights sum to {total:g}; they are normalised to sum 1")
    if total <= 0:
        raise CaseFileError(filename, [objective.problem("all weights are 0")])
    model = PreferenceModel(
        party=party,
        label=label or Path(filename).stem,
        weights=weights,
        values=values,
        reservation=reservation,
        discount=discount,
    )
    return model, tuple(reader.notes)


def _reservation_and_discount(root: Element, objective: Element, reader: _Reader) -> tuple[float, float]:
    reservation, discount = 0.0, 1.0
    for holder in (root, objective):
        for element in holder.iter("reservation"):
            value = reader.number(element, "value", 0.0)
            if value is not None and not 0 <= value <= 1:
                reader.fail(element, f"a reservation value must be in [0, 1], got {value:g}", "value")
            else:
                reservation = value or 0.0
        for element in holder.iter("discount_factor"):
            value = reader.number(element, "value", 1.0)
            if value is not None and not 0 <= value <= 1:
                reader.fail(element, f"a discount factor must be in [0, 1], got {value:g}", "value")
            else:
                discount = value if value else 1.0  # 0 means no discounting in GENIUS
    return reservation, discount


def _value_function(
    element: Element, issue: Issue, reader: _Reader, rescaled: list[str]
) -> ValueFunction | None:
    if isinstance(issue, NumericIssue):
        return _evaluator(element, issue, reader)
    assert isinstance(issue, OptionIssue)
    evaluations: dict[str, float] = {}
    seen: dict[str, Element] = {}
    mentioned: set[str] = set()
    for item in element.iter("item"):
        value = item.attrib.get("value")
        evaluation = reader.number(item, "evaluation")
        mentioned.add(value or "")
        if value is None or evaluation is None:
            if value is None:
                reader.fail(item, "an item needs a value", "value")
            continue
        if value not in issue.options:
            reader.fail(
                item,
                f"item {value!r} is not an option of {issue.name!r}; expected one of {list(issue.options)}",
            )
            continue
        if evaluation < 0:
            reader.fail(item, f"evaluations must not be negative, got {evaluation:g}", "evaluation")
            continue
        if value in seen:
            reader.note(
                item,
                f"issue {issue.name!r} lists item {value!r} again (first at line {seen[value].line}); "
                f"the later evaluation ({evaluation:g}) is used, as in GENIUS",
            )
        seen[value] = item
        evaluations[value] = evaluation
    missing = [o for o in issue.options if o not in mentioned]
    if missing:
        reader.fail(element, f"no evaluation for item(s) {missing} of issue {issue.name!r}")
    if set(evaluations) != set(issue.options):
        return None
    top = max(evaluations.values())
    if top > 1:
        rescaled.append(issue.name)
        evaluations = {k: v / top for k, v in evaluations.items()}
    return OptionValue(scores=evaluations)


def _evaluator(element: Element, issue: NumericIssue, reader: _Reader) -> ValueFunction | None:
    evaluator = element.first("evaluator")
    if evaluator is None:
        reader.fail(element, f"numeric issue {issue.name!r} needs an <evaluator>")
        return None
    ftype = evaluator.attrib.get("ftype", "linear")
    if ftype == "constant":
        constant = reader.number(evaluator, "parameter0")
        if constant is None:
            return None
        level = min(1.0, max(0.0, constant))
        return PiecewiseValue(points=((issue.low, level), (issue.high, level)))
    if ftype != "linear":
        reader.fail(
            evaluator, f"evaluator type {ftype!r} is not supported; expected linear or constant", "ftype"
        )
        return None
    attrib = evaluator.attrib
    offset = reader.number(evaluator, "offset" if "offset" in attrib else "parameter0", 0.0)
    slope = reader.number(evaluator, "slope" if "slope" in attrib else "parameter1", 0.0)
    assert offset is not None and slope is not None
    return PiecewiseValue(points=_clipped_line(offset, slope, issue.low, issue.high))


def _clipped_line(offset: float, slope: float, low: float, high: float) -> tuple[tuple[float, float], ...]:
    """Points of ``clip(offset + slope * x, 0, 1)`` on ``[low, high]``: the ends and the kinks."""
    xs = {low, high}
    if slope != 0:
        xs |= {x for x in ((0 - offset) / slope, (1 - offset) / slope) if low < x < high}
    return tuple((x, min(1.0, max(0.0, offset + slope * x))) for x in sorted(xs))


def _weights(objective: Element, index_to_issue: dict[str, str], reader: _Reader) -> dict[str, float]:
    weights: dict[str, float] = {}
    for element in objective.iter("weight"):
        index = element.attrib.get("index", "")
        weight = reader.number(element, "value")
        if weight is None:
            continue
        issue_id = index_to_issue.get(index)
        if issue_id is None:
            reader.fail(
                element, f"no issue has index {index!r}; issue indexes are {sorted(index_to_issue)}", "index"
            )
        elif weight < 0:
            reader.fail(element, f"weights must not be negative, got {weight:g}", "value")
        else:
            weights[issue_id] = weight
    return weights


def import_genius(
    domain_path: str | os.PathLike[str],
    profile_paths: Sequence[str | os.PathLike[str]],
    labels: Sequence[str] | None = None,
    real_steps: int = 10,
) -> Imported:
    """Import a GENIUS domain and its profiles: a case with one party per profile, and their
    preference models. Party ids come from ``labels`` (default: the profile file names).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "domain.xml").write_text(
    ...     '<negotiation_template><utility_space><objective name="Deal"><issue index="1" name="Price">'
    ...     '<item index="1" value="low"/><item index="2" value="high"/></issue></objective></utility_space>'
    ...     '</negotiation_template>')
    >>> _ = (folder / "buyer.xml").write_text(
    ...     '<utility_space><objective><issue index="1" name="Price"><item index="1" value="low" evaluation="10"/>'
    ...     '<item index="2" value="high" evaluation="2"/></issue><weight index="1" value="0.5"/></objective>'
    ...     '<reservation value="0.3"/></utility_space>')
    >>> result = import_genius(folder / "domain.xml", [folder / "buyer.xml"], ["buyer"])
    >>> buyer = result.preferences.model("buyer")
    >>> buyer.values["price"].scores, buyer.reservation, result.case.id
    ({'low': 1.0, 'high': 0.2}, 0.3, 'deal')
    """
    domain = read_genius_domain(domain_path, real_steps)
    names = list(labels) if labels is not None else [Path(p).stem for p in profile_paths]
    if len(names) != len(profile_paths):
        raise ValueError(f"{len(names)} labels for {len(profile_paths)} profiles")
    models: list[PreferenceModel] = []
    notes: list[str] = []
    for path, party, label in zip(profile_paths, unique_ids(names), names, strict=True):
        model, profile_notes = read_genius_profile(path, domain, party, label)
        models.append(model)
        notes.extend(profile_notes)
    return imported(domain.name, domain.issues, names, models, notes)


def import_genius_folder(folder: str | os.PathLike[str], real_steps: int = 10) -> Imported:
    """Import a GENIUS folder: the one domain file (root ``negotiation_template``) and the
    profiles its agents name, or else every ``utility_space`` file, in name order."""
    base = Path(folder)
    files = sorted(base.glob("*.xml"))
    roots = {path: _read(path)[0].tag for path in files}
    domains = [p for p, tag in roots.items() if tag == "negotiation_template"]
    if len(domains) != 1:
        found = [p.name for p in domains] or "none"
        raise CaseFileError(
            os.fspath(base),
            [FileProblem(f"expected one domain file (<negotiation_template>), found {found}")],
        )
    domain = read_genius_domain(domains[0], real_steps)
    if domain.agents:
        profiles = [base / space for _, space in domain.agents]
        labels = [name or Path(space).stem for name, space in domain.agents]
    else:
        profiles = [p for p, tag in roots.items() if tag == "utility_space"]
        labels = [p.stem for p in profiles]
    return import_genius(domains[0], profiles, labels, real_steps)

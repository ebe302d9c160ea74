"""GENIUS XML domains and utility profiles, to and from Accord's model, read as GENIUS reads them.

A GENIUS domain is a ``negotiation_template`` (or ``utility_space``) holding issues, under an
``objective`` or directly under the ``utility_space``: discrete issues list ``item`` values;
integer and real issues give ``lowerbound``/``upperbound`` (as attributes or in a ``range``
element). A profile is a ``utility_space`` with the same issues carrying evaluations, ``weight``
elements, and optional ``reservation`` and ``discount_factor``.

How the importer reads them: as GENIUS does, each rule after the GENIUS source it follows (the
traps of real files, as in the public ANAC benchmark domains; the same list, for users, in
docs/reference/preferences.md):

- Every number is read as the exact decimal written; NaN, infinity and absurdly long numbers are
  refused. The exact values are kept beside the float model (``Imported.exact``), so that the
  analysis decides dominance exactly.
- Discrete evaluations, reading ``given`` (the default; GENIUS 5 to 7, ``negotiator.utility.
  EvaluatorDiscrete`` since July 2014): when an issue's largest evaluation, rounded, exceeds 1,
  each evaluation is rounded to a whole number and divided by the rounded maximum; otherwise the
  evaluations are the values as given. Reading ``max`` (GENIUS 8 and later, ``genius.core.
  utility.EvaluatorDiscrete``): always divided by the maximum (all 0 below 0.00001).
- An item listed twice (AMPOvsCity) keeps its later evaluation, as GENIUS does; a note says so.
- Integer issues (``EvaluatorInteger``): ``clip(offset + slope * (x - lowerbound), 0, 1)`` with
  ``offset``/``slope`` (GENIUS 8; ``lowerbound`` from the profile's issue, else the domain's),
  ``clip(parameter0 + parameter1 * x, 0, 1)`` with the older ``parameter0``/``parameter1``. Real
  issues (``EvaluatorReal``): ``clip(parameter0 + parameter1 * x, 0, 1)`` at ``real_steps + 1``
  evenly spaced levels. ``constant``: ``parameter0``.
- Weights are matched to issues by ``index``, wherever they stand (before the issues in
  AMPOvsCity); a weight whose index matches no issue (the objective's own weight) is ignored, as
  GENIUS ignores it; weights need not sum to 1 (utilities normalise them; a note says so).
- ``<agent>`` entries of a domain file are not read by GENIUS; Accord uses an agent's name only as
  the label of the profile it names, when that file is in the folder.
- A reservation value outside ``[0, 1]`` is accepted: the analysis uses it as written, the
  preference model stores it clipped to ``[0, 1]``. Reservation value and discount factor are
  optional (0 and 1); a discount factor of 0 means none, as in GENIUS.
- Names are kept exactly as written, typos included, so that bids still match.

Limits: see :mod:`accord.casefile.genius_reader`. Export (:mod:`accord.casefile.genius_export`,
re-exported here) writes discrete issues only.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from accord.casefile.errors import CaseFileError, FileProblem
from accord.casefile.genius_export import export_genius, genius_domain_xml, genius_profile_xml
from accord.casefile.genius_profile import DISCRETE_READINGS, GeniusProfile, read_profile
from accord.casefile.genius_reader import (
    MAX_ISSUE_VALUES,
    Reader,
    issue_container,
    nested,
    read_root_tag,
    read_xml,
)
from accord.casefile.interop import Imported, imported, unique_ids
from accord.casefile.xmltree import Element
from accord.model import CategoricalIssue, Issue, NumericIssue
from accord.model.limits import NAME_MAX, TITLE_MAX, text_problem

__all__ = [
    "DISCRETE_READINGS",
    "GeniusDomain",
    "export_genius",
    "genius_domain_xml",
    "genius_profile_xml",
    "import_genius",
    "import_genius_folder",
    "read_genius_domain",
    "read_genius_profile",
]


def _kind(element: Element) -> str:
    attrib = element.attrib
    return (attrib.get("type") or attrib.get("etype") or attrib.get("vtype") or "discrete").lower()


def _bounds(element: Element, kind: str, reader: Reader) -> tuple[float, float] | None:
    holder = element if "lowerbound" in element.attrib else (element.first("range") or element)
    low, high = reader.number(holder, "lowerbound"), reader.number(holder, "upperbound")
    if low is None or high is None:
        return None
    if not low < high:
        reader.fail(holder, f"lowerbound ({float(low):g}) must be below upperbound ({float(high):g})")
        return None
    if kind == "integer":
        if low.denominator != 1 or high.denominator != 1:
            reader.fail(holder, "the bounds of an integer issue must be whole numbers")
            return None
        if high - low + 1 > MAX_ISSUE_VALUES:
            reader.fail(
                holder,
                f"the integer issue has {int(high - low + 1):,} values; at most {MAX_ISSUE_VALUES:,} are read",
            )
            return None
    return float(low), float(high)


@dataclass(frozen=True, slots=True)
class GeniusDomain:
    """A GENIUS domain read into Accord issues; ``names`` are the GENIUS issue names, in order,
    ``kinds`` their GENIUS types (``discrete``, ``integer`` or ``real``)."""

    name: str
    issues: tuple[Issue, ...]
    names: tuple[str, ...]
    agents: tuple[tuple[str, str], ...] = ()
    """``(agent name, profile file)`` pairs listed by a negotiation template, if any."""
    kinds: tuple[str, ...] = ()
    source: str = ""
    """The domain file."""


def read_genius_domain(path: str | os.PathLike[str], real_steps: int = 10) -> GeniusDomain:
    """Read a GENIUS domain file (a ``negotiation_template`` or a ``utility_space``).

    Raises
    ------
    CaseFileError
        With every problem found, each at its line.
    """
    root, filename = read_xml(path)
    return _domain(root, filename, real_steps)


def _domain(root: Element, filename: str, real_steps: int) -> GeniusDomain:
    reader = Reader(filename)
    container = issue_container(root, reader)
    reader.raise_if_any()
    assert container is not None
    elements = nested(container, "issue")
    if not elements:
        reader.fail(container, "the domain lists no <issue> elements")
    names = [e.attrib.get("name", "") for e in elements]
    ids = unique_ids(names)
    issues: list[Issue] = []
    kinds: list[str] = []
    for element, name, issue_id in zip(elements, names, ids, strict=True):
        if not name:
            reader.fail(element, "an issue needs a name", "name")
            continue
        if not _is_name(element, "name", name, reader):
            continue
        kind = _kind(element)
        if kind == "discrete":
            options = _discrete_options(element, name, reader)
            if options is None:
                continue
            issues.append(CategoricalIssue(id=issue_id, name=name, options=options))
        elif kind in ("integer", "real"):
            bounds = _bounds(element, kind, reader)
            if bounds is None:
                continue
            low, high = bounds
            step = 1.0 if kind == "integer" else (high - low) / real_steps
            issues.append(NumericIssue(id=issue_id, name=name, unit="", low=low, high=high, step=step))
        else:
            reader.fail(element, f"unknown issue type {kind!r}; expected discrete, integer or real", "type")
            continue
        kinds.append(kind)
    agents = tuple(
        (agent.attrib.get("name", ""), agent.attrib.get("utility_space", ""))
        for agent in root.iter("agent")
        if agent.attrib.get("utility_space")
    )
    title = container.attrib.get("name") if container.tag == "objective" else None
    if title is not None and not _is_name(container, "name", title, reader, TITLE_MAX):
        title = None
    reader.raise_if_any()
    return GeniusDomain(
        title or Path(filename).stem, tuple(issues), tuple(names), agents, tuple(kinds), filename
    )


def _discrete_options(element: Element, name: str, reader: Reader) -> tuple[str, ...] | None:
    """The items of a discrete issue, each once, in file order (``None``, and a problem, when it
    lists none or too many)."""
    options: dict[str, None] = {}
    for item in element.iter("item"):
        value = item.attrib.get("value")
        if value is None:
            reader.fail(item, "an item needs a value", "value")
        elif not _is_name(item, "value", value, reader):
            continue
        elif value in options:
            reader.note(item, f"issue {name!r} lists item {value!r} twice; it is kept once")
        else:
            options[value] = None
    if not options:
        reader.fail(element, f"discrete issue {name!r} lists no items")
        return None
    if len(options) > MAX_ISSUE_VALUES:
        reader.fail(
            element, f"issue {name!r} has {len(options):,} items; at most {MAX_ISSUE_VALUES:,} are read"
        )
        return None
    return tuple(options)


def _is_name(element: Element, attribute: str, text: str, reader: Reader, longest: int = NAME_MAX) -> bool:
    """Whether ``text`` keeps the one-line text rule of names (:mod:`accord.model.limits`); a
    problem at the element's line otherwise, so a bad name is refused as every other bad value."""
    problem = text_problem(text, one_line=True)
    if problem is None and len(text) > longest:
        problem = f"expected at most {longest} characters, got {len(text):,}"
    if problem is not None:
        reader.fail(element, problem, attribute)
    return problem is None


def read_genius_profile(
    path: str | os.PathLike[str],
    domain: GeniusDomain,
    party: str,
    label: str | None = None,
    discrete: str = "given",
) -> GeniusProfile:
    """Read a GENIUS utility profile over ``domain`` as ``party``'s preferences: the preference
    model, its exact values, and the notes on what was interpreted (see the module docstring).

    ``discrete`` is the reading of discrete evaluations: ``"given"`` (GENIUS 5-7) or ``"max"``
    (GENIUS 8 and later).

    Raises
    ------
    CaseFileError
        With every problem found, each at its line.
    ValueError
        For an unknown ``discrete`` reading.
    """
    if discrete not in DISCRETE_READINGS:
        raise ValueError(
            f"unknown reading of discrete evaluations {discrete!r}; expected one of {list(DISCRETE_READINGS)}"
        )
    root, filename = read_xml(path)
    issues = dict(zip(domain.names, domain.issues, strict=True))
    kinds = dict(zip(domain.names, domain.kinds, strict=True))
    profile = read_profile(root, filename, issues, kinds, party, discrete)
    if label is None:
        return profile
    model = profile.model.model_copy(update={"label": label})
    return GeniusProfile(model, profile.exact, profile.notes)


def import_genius(
    domain_path: str | os.PathLike[str],
    profile_paths: Sequence[str | os.PathLike[str]],
    labels: Sequence[str] | None = None,
    real_steps: int = 10,
    discrete: str = "given",
) -> Imported:
    """Import a GENIUS domain and its profiles: a case with one party per profile, their
    preference models and exact values. Party ids come from ``labels`` (default: the profile
    file names); ``discrete``: see :func:`read_genius_profile`.

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
    >>> buyer.values["Price"].scores, buyer.reservation, result.case.id
    ({'low': 1.0, 'high': 0.2}, 0.3, 'deal')
    >>> result.exact[0].values["Price"]
    (Fraction(1, 1), Fraction(1, 5))
    """
    return _import(read_genius_domain(domain_path, real_steps), profile_paths, labels, discrete)


def _import(
    domain: GeniusDomain,
    profile_paths: Sequence[str | os.PathLike[str]],
    labels: Sequence[str] | None,
    discrete: str,
) -> Imported:
    names = list(labels) if labels is not None else [Path(p).stem for p in profile_paths]
    if len(names) != len(profile_paths):
        raise ValueError(f"{len(names)} labels for {len(profile_paths)} profiles")
    profiles = [
        read_genius_profile(path, domain, party, label, discrete)
        for path, party, label in zip(profile_paths, unique_ids(names), names, strict=True)
    ]
    notes = [note for p in profiles for note in p.notes]
    models, exact = [p.model for p in profiles], [p.exact for p in profiles]
    return imported(domain.name, domain.issues, names, models, notes, exact, domain.source)


def import_genius_folder(
    folder: str | os.PathLike[str],
    real_steps: int = 10,
    discrete: str = "given",
    parties: Sequence[str] | None = None,
) -> Imported:
    """Import a GENIUS folder: its one domain file (root ``negotiation_template``) and every
    profile (root ``utility_space``) in it, in file name order, or only the ``parties`` named
    (by file name, with or without ``.xml``, or by label).

    A profile is labelled with the name of the ``<agent>`` of the domain file that names it, if
    any, else its file name. Agents naming files that are not in the folder are ignored (GENIUS
    does not read them); a note says so.

    Raises
    ------
    CaseFileError
        When the folder does not hold exactly one domain file, a named party is not among the
        profiles, or a file cannot be read.
    """
    base = Path(folder)
    files = sorted(base.glob("*.xml"))
    tags = {path: read_root_tag(path) for path in files}
    domains = [p for p, tag in tags.items() if tag == "negotiation_template"]
    if len(domains) != 1:
        found = [p.name for p in domains] or "none"
        raise CaseFileError(
            os.fspath(base),
            [FileProblem(f"expected one domain file (<negotiation_template>), found {found}")],
        )
    domain = read_genius_domain(domains[0], real_steps)
    profiles = [p for p, tag in tags.items() if tag == "utility_space"]
    agent_of = {space: name for name, space in domain.agents if name}
    labels = [agent_of.get(p.name, p.stem) for p in profiles]
    notes = [
        f"{domains[0]}: agent {name!r} names {space!r}, which is not in the folder; ignored, as GENIUS "
        "does not read <agent> entries"
        for name, space in domain.agents
        if not (base / space).is_file()
    ]
    if parties is not None:
        profiles, labels = _chosen(base, profiles, labels, parties)
    result = _import(domain, profiles, labels, discrete)
    if not notes:
        return result
    return Imported(result.case, result.preferences, (*notes, *result.notes), result.exact)


def _chosen(
    base: Path, profiles: list[Path], labels: list[str], parties: Sequence[str]
) -> tuple[list[Path], list[str]]:
    """The profiles named in ``parties`` (by file name, stem, label or party id), in that order."""
    ids = unique_ids(labels)
    index: dict[str, int] = {}
    for i, (path, label, party) in enumerate(zip(profiles, labels, ids, strict=True)):
        for key in (path.name, path.stem, label, party):
            index.setdefault(key, i)
    unknown = [p for p in parties if p not in index]
    if unknown:
        known = ids[:20] + (["..."] if len(ids) > 20 else [])
        raise CaseFileError(
            os.fspath(base), [FileProblem(f"no profile named {unknown} in the folder; profiles: {known}")]
        )
    chosen = list(dict.fromkeys(index[p] for p in parties))
    return [profiles[i] for i in chosen], [labels[i] for i in chosen]

"""Scenarios from files: imported GENIUS / GeniusWeb domains, and cases with their preferences.

The core builds scenarios from values (:mod:`accord.sim.from_case`); this module finds and reads
the files: a domain folder, every domain folder under a root, a case (bundled or a path) and the
preference file that goes with it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from accord.casefile.bundled import bundled_case_names, resolve_case
from accord.casefile.errors import CaseFileError, FileProblem
from accord.casefile.genius import import_genius_folder
from accord.casefile.geniusweb import import_geniusweb_folder, is_profile
from accord.casefile.interop import Imported
from accord.casefile.prefsfile import loads_preferences, read_preferences
from accord.model import Case, PreferenceSet
from accord.sim.from_case import scenario_from_models
from accord.sim.scenario import Scenario

PREFS_SUFFIX = ".prefs.yaml"


def _kind(folder: Path) -> str | None:
    """``"geniusweb"``, ``"genius"`` or ``None``: what kind of domain ``folder`` holds."""
    if not folder.is_dir():
        return None
    if any(is_profile(path) for path in sorted(folder.glob("*.json"))):
        return "geniusweb"
    if any(_head_mentions(path, b"negotiation_template") for path in sorted(folder.glob("*.xml"))):
        return "genius"
    return None


def _head_mentions(path: Path, text: bytes) -> bool:
    """Whether the first 64 KiB of the file hold ``text`` (a root tag stands at the top)."""
    try:
        with path.open("rb") as handle:
            return text in handle.read(1 << 16)
    except OSError:
        return False


MAX_SCENARIO_PARTIES = 8
"""Most profiles a domain scenario plays (one side each); a larger pool needs a choice."""


def import_domain(
    path: str | os.PathLike[str], parties: Sequence[str] | None = None, discrete: str = "given"
) -> Imported:
    """Import the GENIUS or GeniusWeb domain in folder ``path``: every profile, or the ones
    ``parties`` names; ``discrete`` is the reading of GENIUS discrete evaluations (``"given"``,
    GENIUS 5-7, or ``"max"``, GENIUS 8 and later).

    Raises
    ------
    CaseFileError
        When the folder holds neither (naming the folder), a named party is not in it, or its
        files cannot be read.
    """
    folder = Path(path)
    kind = _kind(folder)
    if kind == "geniusweb":
        return import_geniusweb_folder(folder, parties)
    if kind == "genius":
        return import_genius_folder(folder, discrete=discrete, parties=parties)
    raise CaseFileError(
        os.fspath(folder),
        [
            FileProblem(
                "not a domain folder: expected a GENIUS domain (an .xml file with <negotiation_template>) "
                "or GeniusWeb profiles (.json with LinearAdditiveUtilitySpace)"
            )
        ],
    )


def scenario_from_domain(path: str | os.PathLike[str]) -> Scenario:
    """A scenario of the domain in folder ``path`` (GENIUS or GeniusWeb), named after the folder:
    each profile is a party speaking for itself over the whole outcome space.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "deal"
    >>> folder.mkdir()
    >>> _ = (folder / "domain.xml").write_text(
    ...     '<negotiation_template><utility_space><objective name="Deal"><issue index="1" name="Price">'
    ...     '<item index="1" value="low"/><item index="2" value="high"/></issue></objective></utility_space>'
    ...     '</negotiation_template>')
    >>> for name, low, high in (("buyer", 10, 2), ("seller", 2, 10)):
    ...     _ = (folder / f"{name}.xml").write_text(
    ...         f'<utility_space><objective><issue index="1" name="Price"><item index="1" value="low" '
    ...         f'evaluation="{low}"/><item index="2" value="high" evaluation="{high}"/></issue>'
    ...         f'<weight index="1" value="1"/></objective></utility_space>')
    >>> s = scenario_from_domain(folder)
    >>> s.name, s.columns, s.U.tolist()
    ('deal', ('buyer', 'seller'), [[1.0, 0.2], [0.2, 1.0]])
    """
    folder = Path(path)
    domain = import_domain(folder)
    count = len(domain.preferences.models)
    if count > MAX_SCENARIO_PARTIES:
        message = (
            f"{count} profiles; a domain scenario plays at most {MAX_SCENARIO_PARTIES} parties, one per "
            "side: keep the profiles to play in a folder of their own"
        )
        raise CaseFileError(os.fspath(folder), [FileProblem(message)])
    try:
        return scenario_from_models(
            folder.name, domain.case.issues, domain.preferences.models, exact=domain.exact or None
        )
    except ValueError as exc:
        raise CaseFileError(os.fspath(folder), [FileProblem(str(exc))]) from None


def domain_folders(root: str | os.PathLike[str]) -> list[Path]:
    """Every domain folder under ``root`` (at any depth), sorted by path.

    Raises
    ------
    CaseFileError
        When ``root`` is not a folder or holds no domain.
    """
    base = Path(root)
    if not base.is_dir():
        raise CaseFileError(os.fspath(base), [FileProblem("not a folder")])
    found = sorted(p for p in [base, *base.rglob("*")] if p.is_dir() and _kind(p) is not None)
    if not found:
        raise CaseFileError(
            os.fspath(base), [FileProblem("no GENIUS or GeniusWeb domain folder found under it")]
        )
    return found


def case_with_preferences(case_arg: str, prefs_path: str | None = None) -> tuple[Case, PreferenceSet]:
    """The case named or found at ``case_arg`` and its preferences: ``prefs_path`` if given,
    else the bundled ``<name>.prefs.yaml`` (a bundled case) or the file ``<stem>.prefs.yaml``
    beside the case file.

    Raises
    ------
    CaseFileError
        When the case or the preference file cannot be found or read, or they do not fit.
    """
    case = resolve_case(case_arg)
    if prefs_path is not None:
        return case, read_preferences(prefs_path, case)
    if case_arg in bundled_case_names():
        entry = resources.files("accord").joinpath("data", "cases", case_arg + PREFS_SUFFIX)
        if entry.is_file():
            name = f"accord/data/cases/{case_arg}{PREFS_SUFFIX}"
            return case, loads_preferences(entry.read_text(encoding="utf-8"), name, case)
        raise CaseFileError(case_arg, [FileProblem(f"no bundled preferences for {case_arg!r}; give --prefs")])
    path = Path(case_arg)
    beside = path.with_name(path.name.split(".")[0] + PREFS_SUFFIX)
    if beside.is_file():
        return case, read_preferences(beside, case)
    raise CaseFileError(os.fspath(beside), [FileProblem("no preference file beside the case; give --prefs")])

"""Benchmark domains on disk: find GENIUS (XML) and GeniusWeb (JSON) domain folders and import one.

:func:`import_domain` is the one way in: a domain folder, any file in it (which stands for its
folder) or the name of an example domain shipped with Accord (``job-offer``; a path that exists
wins), read by the importer its files call for.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from accord.casefile.bundled import bundled_domain_folder, bundled_domain_names
from accord.casefile.errors import CaseFileError, FileProblem
from accord.casefile.genius import import_genius_folder
from accord.casefile.geniusweb import import_geniusweb_folder, is_profile
from accord.casefile.interop import Imported


def domain_kind(folder: Path) -> str | None:
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


def domain_folder(path: str | os.PathLike[str]) -> Path:
    """The domain folder ``path`` stands for: a folder, the folder of a file in it, or the folder
    of an example domain shipped with Accord (``job-offer``; a path that exists wins).

    Raises
    ------
    ValueError
        When the path does not exist and names no example domain.
    """
    target = Path(path)
    if target.exists():
        return target if target.is_dir() else target.parent
    bundled = bundled_domain_folder(os.fspath(path))
    if bundled is None:
        examples = ", ".join(bundled_domain_names()) or "none"
        raise ValueError(
            f"{os.fspath(path)}: no such file or folder, and no example domain of that name ({examples})"
        )
    return bundled


def import_domain(
    path: str | os.PathLike[str], parties: Sequence[str] | None = None, discrete: str = "given"
) -> Imported:
    """Import the GENIUS or GeniusWeb domain ``path`` stands for (:func:`domain_folder`): every
    profile, or the ones ``parties`` names; ``discrete`` is the reading of GENIUS discrete
    evaluations (``"given"``, GENIUS 5-7, or ``"max"``, GENIUS 8 and later).

    Raises
    ------
    ValueError
        When the path does not exist and names no example domain.
    CaseFileError
        When the folder holds neither kind of domain (naming the folder), a named party is not
        in it, or its files cannot be read.

    Examples
    --------
    >>> domain = import_domain("job-offer")
    >>> [m.party for m in domain.preferences.models]
    ['candidate', 'employer']
    """
    folder = domain_folder(path)
    kind = domain_kind(folder)
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
    found = sorted(p for p in [base, *base.rglob("*")] if p.is_dir() and domain_kind(p) is not None)
    if not found:
        raise CaseFileError(
            os.fspath(base), [FileProblem("no GENIUS or GeniusWeb domain folder found under it")]
        )
    return found

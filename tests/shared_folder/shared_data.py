"""The project's shared folder (public benchmark domains, the sourced facts of the bundled cases),
read in place, never copied: it is not part of the repository.

Only the tests in this folder read it, and only ``make test-shared`` collects them (``make test``
does not: pyproject.toml's ``norecursedirs``). They look for ``shared/`` beside the checkout (as CI
clones it), or beside any parent folder (worktrees); ``ACCORD_SHARED`` names it where the checkout
lies elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def shared_path(*parts: str) -> Path:
    """``shared/<parts>``: from ``ACCORD_SHARED`` if set, else the first found beside the checkout
    or a parent of it (``FileNotFoundError`` naming both ways otherwise)."""
    named = os.environ.get("ACCORD_SHARED")
    candidates = [Path(named)] if named else [folder / "shared" for folder in (ROOT, *ROOT.parents)]
    for shared in candidates:
        if shared.joinpath(*parts).exists():
            return shared.joinpath(*parts)
    where = f"ACCORD_SHARED={named}" if named else f"beside {ROOT} or any parent"
    raise FileNotFoundError(
        f"shared/{'/'.join(parts)} not found ({where}); clone the repository beside the project's "
        "shared folder, or set ACCORD_SHARED to that folder"
    )

"""Helpers of the bundled-case tests: where the case files and the facts file are, and how to load them."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from accord.casefile import resolve_case
from accord.model import Case

CASE_NAMES = ("wga-amptp-2023", "sag-aftra-amptp-2023")
FACTS_NAME = "wga-amptp-2023-facts.md"


def bundled_text(name: str) -> str:
    """The text of a bundled case file, read from the installed package."""
    return (files("accord") / "data" / "cases" / f"{name}.yaml").read_text(encoding="utf-8")


def load_bundled(name: str) -> Case:
    """The bundled case, read by the case-file reader (as `accord` commands read it)."""
    return resolve_case(name)


def facts_path() -> Path:
    """shared/cases/<facts> beside the checkout (CI and /work/main) or beside a parent (worktrees)."""
    root = Path(__file__).resolve().parents[2]
    for folder in (root, *root.parents):
        candidate = folder / "shared" / "cases" / FACTS_NAME
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"shared/cases/{FACTS_NAME} not found beside {root} or any parent")

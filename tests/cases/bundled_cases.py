"""Helpers of the bundled-case tests: where the case files are, and how to load them."""

from __future__ import annotations

from importlib.resources import files

from accord.casefile import resolve_case
from accord.model import Case

CASE_NAMES = ("wga-amptp-2023", "sag-aftra-amptp-2023")


def bundled_text(name: str) -> str:
    """The text of a bundled case file, read from the installed package."""
    return (files("accord") / "data" / "cases" / f"{name}.yaml").read_text(encoding="utf-8")


def load_bundled(name: str) -> Case:
    """The bundled case, read by the case-file reader (as `accord` commands read it)."""
    return resolve_case(name)

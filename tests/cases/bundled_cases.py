"""Helpers of the bundled-case tests: where the case files and the facts file are, and how to load them."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from accord.casefile import resolve_case
from accord.model import Case
from shared_data import shared_path

CASE_NAMES = ("wga-amptp-2023", "sag-aftra-amptp-2023")
FACTS_NAME = "wga-amptp-2023-facts.md"


def bundled_text(name: str) -> str:
    """The text of a bundled case file, read from the installed package."""
    return (files("accord") / "data" / "cases" / f"{name}.yaml").read_text(encoding="utf-8")


def load_bundled(name: str) -> Case:
    """The bundled case, read by the case-file reader (as `accord` commands read it)."""
    return resolve_case(name)


def facts_path() -> Path:
    """The sourced facts the bundled cases are built from, in the shared folder."""
    return shared_path("cases", FACTS_NAME)

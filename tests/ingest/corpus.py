"""The ingest evaluation corpus (tests/ingest/corpus): articles written for it, each with the
drafts it should produce, and the cases they are read against. Shared by the tests and by
bench/bench_ingest.py."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from accord.casefile import read_case, resolve_case
from accord.model import Case

CORPUS = Path(__file__).parent / "corpus"


@dataclass(frozen=True, eq=False)
class Article:
    name: str
    path: Path
    case: Case
    case_ref: str
    published: dt.date
    outlet: str | None
    expected: list[dict[str, Any]]
    heldout: bool

    @property
    def raw(self) -> bytes:
        return self.path.read_bytes()


@functools.cache
def _case(ref: str) -> Case:
    if ref.startswith("cases/"):
        return read_case(CORPUS / ref)
    return resolve_case(ref)


def articles() -> list[Article]:
    found = []
    for spec_path in sorted((CORPUS / "articles").glob("*.yaml")):
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
        found.append(
            Article(
                name=spec_path.stem,
                path=CORPUS / "articles" / spec["article"],
                case=_case(spec["case"]),
                case_ref=spec["case"],
                published=spec["published"],
                outlet=spec.get("outlet"),
                expected=spec["drafts"],
                heldout=bool(spec.get("heldout")),
            )
        )
    return found


def case_path(ref: str) -> Path:
    """The case file of a corpus case (the bundled cases' files for their names)."""
    if ref.startswith("cases/"):
        return CORPUS / ref
    import accord

    return Path(accord.__file__).parent / "data" / "cases" / f"{ref}.yaml"

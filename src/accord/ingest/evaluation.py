"""Scoring a reader against articles annotated with the drafts they should produce.

An expected draft names its ``kind``, a piece of its ``sentence`` (enough to find the sentence),
and any of the fields a draft has (``party``, ``to``, ``date``, ``matches``, ``turn_of``,
``stance``, ``asks``, ``issues``) plus, for a count of days, ``stoppage``, ``claimed``, ``check``
and ``convention``. A produced draft meets an expected one when it is of the same kind, comes
from the sentence, and agrees on every field the expected draft names (a field left out is not
checked; ``null`` is checked). Each expected draft is met by one produced draft at most.

Precision per kind: the share of produced drafts that meet an expected one; recall: the share of
expected drafts met.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from accord.ingest.drafts import Draft, DraftKind

_CLAIM_FIELDS = ("stoppage", "claimed", "check", "convention")


def _value(draft: Draft, name: str) -> Any:
    if name in _CLAIM_FIELDS:
        claim = draft.stoppage
        value = getattr(claim, name, None) if claim is not None else None
    else:
        value = getattr(draft, name)
    if isinstance(value, tuple):
        return sorted(str(v) for v in value)
    return getattr(value, "value", value)


def _expected_value(name: str, value: Any) -> Any:
    if isinstance(value, list):
        return sorted(str(v) for v in value)
    if isinstance(value, dt.date):
        return value
    return value


def meets(draft: Draft, expected: Mapping[str, Any]) -> bool:
    """Whether ``draft`` is the draft ``expected`` describes."""
    if draft.kind.value != expected["kind"] or expected["sentence"] not in draft.sentence:
        return False
    for name, value in expected.items():
        if name in ("kind", "sentence"):
            continue
        if _value(draft, name) != _expected_value(name, value):
            return False
    return True


@dataclass
class Score:
    """Counts of one kind of draft: produced, expected, and matched."""

    produced: int = 0
    expected: int = 0
    matched: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.produced if self.produced else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0


def score(pairs: Iterable[tuple[str, Sequence[Draft], Sequence[Mapping[str, Any]]]]) -> dict[str, Score]:
    """Precision and recall per kind over ``(article name, produced drafts, expected drafts)``."""
    scores = {kind.value: Score() for kind in DraftKind}
    for name, produced, expected in pairs:
        used: set[int] = set()
        for wanted in expected:
            scores[wanted["kind"]].expected += 1
            hit = next((i for i, d in enumerate(produced) if i not in used and meets(d, wanted)), None)
            if hit is None:
                scores[wanted["kind"]].misses.append(f"{name}: {dict(wanted)}")
            else:
                used.add(hit)
                scores[wanted["kind"]].matched += 1
        for i, draft in enumerate(produced):
            scores[draft.kind.value].produced += 1
            if i not in used:
                scores[draft.kind.value].extras.append(f"{name}: {describe(draft)}")
    return scores


def describe(draft: Draft) -> str:
    """A one-line account of a draft (for reports of misses and extras)."""
    parts = [draft.id, draft.kind.value, f"party={draft.party}"]
    for name in ("to", "date", "matches", "turn_of", "stance", "asks"):
        value = getattr(draft, name)
        if value is not None:
            parts.append(f"{name}={getattr(value, 'value', value)}")
    if draft.issues:
        parts.append(f"issues={list(draft.issues)}")
    if draft.stoppage is not None:
        claim = draft.stoppage
        convention = claim.convention.value if claim.convention else None
        parts.append(
            f"stoppage={claim.stoppage} claimed={claim.claimed} {claim.check.value} {convention} as_of={claim.as_of}"
        )
    parts.append(f"| {draft.sentence[:80]}")
    return " ".join(parts)

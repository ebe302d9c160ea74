"""A party's linear additive utility in rational numbers, exactly as its source file states it.

Utilities computed in floating point lose the ties that decide Pareto dominance: two sums that are
equal on paper (``0.93`` and ``0.93``) come out as ``0.9299999999999998`` and
``0.9299999999999997``. An importer that reads decimal numbers (GENIUS XML, GeniusWeb JSON) keeps
them here as :class:`fractions.Fraction` values next to the float :class:`PreferenceModel`, so
that the analysis can decide dominance exactly (:func:`accord.prefs.exact.exact_tables`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True, slots=True)
class ExactProfile:
    """One party's additive utility over a domain's issues, in rational numbers.

    party: the party id (as in the matching :class:`~accord.model.PreferenceModel`).
    weights: issue id -> weight ``>= 0`` on any scale (utilities divide by their sum).
    values: issue id -> the value in ``[0, 1]`` of each of the issue's options, in table order
        (an option issue's ``options``; a numeric issue's ``levels``).
    reservation: the utility of no agreement, as written (it may lie outside ``[0, 1]``).
    """

    party: str
    weights: Mapping[str, Fraction]
    values: Mapping[str, tuple[Fraction, ...]]
    reservation: Fraction = Fraction(0)

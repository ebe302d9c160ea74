"""The project's own negotiation domains for tests (tests/fixtures/domains, and the example shipped in
the package), their utilities typed out by hand, and their golden figures.

The domains were written for these tests (see tests/fixtures/domains/README.md); the public
benchmark domains of the shared folder are read only by tests/shared_folder (``make test-shared``).

``UTILITIES`` restates each profile's numbers from its file, by hand: per party, per issue, the
weight and the utility of each option, in the file's order (GENIUS integer evaluations already
divided by the issue's maximum; weights as written, normalised here). ``brute_force`` derives the
golden figures from them with nothing but Python: every outcome, the undominated ones, the Nash
point. ``GOLDEN`` holds the figures as literals; a test checks that the two agree, others that
Accord's importers and analysis give the same.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

from accord.casefile.bundled import bundled_domain_folder

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "domains"
ORCHARD = FIXTURES / "genius" / "orchard-lease"
CLUB = FIXTURES / "genius" / "club-budget"
PICNIC = FIXTURES / "geniusweb" / "picnic"
_job_offer = bundled_domain_folder("job-offer")
assert _job_offer is not None
JOB_OFFER = _job_offer

DOMAINS = {"orchard-lease": ORCHARD, "club-budget": CLUB, "picnic": PICNIC, "job-offer": JOB_OFFER}
"""Every domain the tests own, by folder name."""

# party -> (reservation value, [(weight, [utility of each option]) per issue])
UTILITIES: dict[str, dict[str, tuple[float, list[tuple[float, list[float]]]]]] = {
    "orchard-lease": {
        # orchard_grower.xml: evaluations out of 8
        "grower": (0.25, [(0.5, [1.0, 0.625, 0.125]), (0.25, [0.25, 1.0, 0.75]), (0.25, [0.0, 0.5, 1.0])]),
        # orchard_landowner.xml: weights 1, 2, 1
        "landowner": (0.375, [(1, [0.125, 0.5, 1.0]), (2, [0.5, 1.0, 0.75]), (1, [1.0, 0.75, 0.25])]),
    },
    "club-budget": {  # the profiles in file-name order: captain, coach, treasurer
        "club_captain": (
            0.0,
            [(0.2, [0.3, 1.0]), (0.3, [0.2, 0.7, 1.0]), (0.3, [0.4, 1.0]), (0.2, [0.0, 0.6, 1.0])],
        ),
        "club_coach": (
            0.25,
            [(0.1, [0.7, 1.0]), (0.2, [0.5, 1.0, 0.6]), (0.5, [0.0, 1.0]), (0.2, [1.0, 0.7, 0.2])],
        ),
        "club_treasurer": (
            0.2,
            [(0.25, [1.0, 0.2]), (0.35, [1.0, 0.6, 0.0]), (0.25, [1.0, 0.3]), (0.15, [0.8, 1.0, 0.4])],
        ),
    },
    "picnic": {  # the reservation values: the utility of each profile's reservation bid
        "alex": (
            0.35 * 0.4 + 0.3 * 0.3 + 0.15 * 0.5 + 0.2 * 0.6,
            [(0.35, [0.4, 0.7, 1.0]), (0.3, [0.8, 1.0, 0.3]), (0.15, [0.5, 1.0]), (0.2, [0.2, 1.0, 0.6])],
        ),
        "sam": (
            0.25 * 0.8 + 0.25 * 0.2 + 0.3 * 0.4 + 0.2 * 0.5,
            [(0.25, [1.0, 0.8, 0.1]), (0.25, [1.0, 0.2, 0.7]), (0.3, [1.0, 0.4]), (0.2, [1.0, 0.5, 0.0])],
        ),
    },
    "job-offer": {
        "candidate": (
            0.3,
            [
                (0.4, [0.2, 0.4, 0.6, 0.8, 1.0]),
                (0.1, [0.6, 1.0, 0.7]),
                (0.25, [0.1, 0.7, 1.0]),
                (0.1, [0.0, 0.5, 1.0]),
                (0.15, [0.2, 0.6, 1.0]),
            ],
        ),
        "employer": (
            0.25,
            [
                (0.45, [1.0, 0.85, 0.6, 0.35, 0.1]),
                (0.2, [1.0, 0.7, 0.2]),
                (0.1, [0.5, 1.0, 0.6]),
                (0.15, [1.0, 0.6, 0.0]),
                (0.1, [0.6, 1.0, 0.4]),
            ],
        ),
    },
}

# name: (issues, outcomes, parties, frontier points, packages reaching them, rational frontier
# points (at or above the reservation values), Nash point rounded to 4 places)
GOLDEN = {
    "orchard-lease": (3, 27, 2, 7, 7, 7, (0.875, 0.7188)),
    "club-budget": (4, 36, 3, 17, 17, 15, (0.69, 0.91, 0.685)),
    "picnic": (4, 54, 2, 7, 7, 6, (0.76, 0.85)),
    "job-offer": (5, 405, 2, 27, 27, 27, (0.67, 0.7725)),
}


def outcome_utilities(name: str) -> list[tuple[float, ...]]:
    """Every outcome's utility to each party, outcomes in the order of their option indexes."""
    parties = UTILITIES[name]
    shapes = [len(options) for _, options in next(iter(parties.values()))[1]]
    rows = []
    for choice in itertools.product(*(range(n) for n in shapes)):
        row = []
        for _, issues in parties.values():
            total = sum(weight for weight, _ in issues)
            row.append(
                sum(weight * options[c] for (weight, options), c in zip(issues, choice, strict=True)) / total
            )
        rows.append(tuple(row))
    return rows


def brute_force(name: str) -> tuple[int, int, int, int, int, int, tuple[float, ...]]:
    """The figures of ``GOLDEN[name]`` from first principles (quadratic, for these small domains)."""
    rows = outcome_utilities(name)
    reservation = [r for r, _ in UTILITIES[name].values()]
    close = 1e-9

    def dominates(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
        return all(x >= y - close for x, y in zip(a, b, strict=True)) and any(
            x > y + close for x, y in zip(a, b, strict=True)
        )

    undominated = [a for a in rows if not any(dominates(b, a) for b in rows)]
    points = {tuple(round(x, 9) for x in a) for a in undominated}
    rational = [p for p in points if all(x >= r - close for x, r in zip(p, reservation, strict=True))]
    nash = max(rational, key=lambda p: math.prod(x - r for x, r in zip(p, reservation, strict=True)))
    issues = len(next(iter(UTILITIES[name].values()))[1])
    return (
        issues,
        len(rows),
        len(reservation),
        len(points),
        len(undominated),
        len(rational),
        tuple(round(x, 4) for x in nash),
    )

"""Golden and differential tests on the public benchmark domains of the shared folder (read in place);
the same on the project's own domains: tests/analysis/test_domain_frontiers.py.

Golden figures: frontier sizes, outcome counts and Nash points as read by Accord's importers.
They agree with NegMAS 0.16.0's exhaustive ``pareto_frontier`` and ``nash_points`` run on the
same utilities (``bench/bench_frontier.py``, section d, "Accord importer" rows); re-record only
on purpose.
"""

import numpy as np
import pytest
from shared_data import shared_path

from accord.analysis.dominance import nondominated_mask_naive
from accord.analysis.frontier import frontier_by_enumeration, pareto_frontier_additive
from accord.analysis.solutions import all_solutions
from accord.analysis.zopa import zone_of_possible_agreement, zopa_by_enumeration
from accord.casefile.genius import import_genius_folder
from accord.casefile.geniusweb import import_geniusweb_folder
from accord.prefs import utility_tables

DOMAINS = shared_path("domains")

# folder: (frontier points, outcomes reaching them, rational frontier points, Nash point)
GOLDEN = {
    "genius/AMPOvsCity": (192, 283, 192, (0.706, 0.783)),
    "genius/EnglandZimbabwe": (25, 25, 25, (0.9109, 0.7332)),
    "genius/ItexvsCypress": (18, 18, 18, (0.6705, 0.7215)),
    "genius/Laptop": (4, 4, 4, (1.0, 0.8151)),
    "genius/group2-politics": (124, 124, 124, (0.6695, 0.7553, 0.7862)),
    "geniusweb/Party": (15, 15, 13, (0.7959, 0.849)),
}


def _load(name: str):
    folder = DOMAINS / name
    imported = import_genius_folder(folder) if name.startswith("genius/") else import_geniusweb_folder(folder)
    models = imported.preferences.models
    return utility_tables(imported.case.issues, models), np.array([m.reservation for m in models])


def test_every_shared_domain_has_a_golden_entry():
    found = {f"{p.parent.name}/{p.name}" for p in DOMAINS.glob("*/*") if p.is_dir()}
    assert found == set(GOLDEN)


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_frontier_and_nash_point_match_the_golden_figures(name):
    tables, d = _load(name)
    size, outcomes, rational, nash = GOLDEN[name]
    f = pareto_frontier_additive(tables)
    assert (f.size, sum(f.counts), int(np.all(f.points >= d, axis=1).sum())) == (size, outcomes, rational)
    solutions = all_solutions(f, d)
    assert solutions["nash"].points.round(4).tolist() == [list(nash)]
    for s in solutions.values():
        assert s.point_ids.size >= 1 and np.all(s.points >= d)


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_fold_matches_enumeration_on_the_domain(name):
    tables, _ = _load(name)
    reference = frontier_by_enumeration(tables, chunk=1 << 18)
    kernels = [pareto_frontier_additive(tables, max_outcomes=None)]
    if tables.n_parties == 2:
        kernels.append(pareto_frontier_additive(tables, max_outcomes=None, small_limit=0))
    for f in kernels:
        assert np.array_equal(f.points, reference.points) and f.counts == reference.counts
        assert {(int(p), *c) for p, c in zip(f.point_of, f.choices.tolist(), strict=True)} == {
            (int(p), *c) for p, c in zip(reference.point_of, reference.choices.tolist(), strict=True)
        }
    if tables.n_outcomes <= 3072:  # the quadratic twin, where it is quick
        from accord.analysis.space import enumerate_utilities

        U = enumerate_utilities(tables)
        assert np.array_equal(
            np.unique(U[nondominated_mask_naive(U)], axis=0), np.unique(reference.points, axis=0)
        )


@pytest.mark.parametrize("name", [n for n in sorted(GOLDEN) if "AMPO" not in n])
def test_zopa_without_enumeration_matches_enumeration(name):
    tables, d = _load(name)
    reference = zopa_by_enumeration(tables, d)
    z = zone_of_possible_agreement(tables, d, max_enumerate=0, max_states=10**6)
    assert z.count == reference.count and z.options == reference.options


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_the_exact_frontier_of_each_domain_matches_the_golden_figures(name):
    """On the numbers as the files write them (exact tables), every kernel finds the same frontier."""
    from accord.prefs.exact import exact_tables

    folder = DOMAINS / name
    imported = import_genius_folder(folder) if name.startswith("genius/") else import_geniusweb_folder(folder)
    tables = exact_tables(imported.case.issues, imported.preferences.models, imported.exact)
    # 17-digit weights (Java doubles written out) can need integers past int64: Python integers then
    wide = ("EnglandZimbabwe", "ItexvsCypress", "group2-politics")
    assert tables.offset.dtype == (object if name.split("/")[1] in wide else np.int64)
    size, outcomes, rational, nash = GOLDEN[name]
    f = pareto_frontier_additive(tables)
    d = [p.reservation for p in imported.exact]
    assert (f.size, sum(f.counts), int(np.all(f.points >= np.array(d, dtype=float), axis=1).sum())) == (
        size,
        outcomes,
        rational,
    )
    assert all_solutions(f, d)["nash"].points.round(4).tolist() == [list(nash)]
    reference = frontier_by_enumeration(tables, chunk=1 << 18)
    assert np.array_equal(f.raw, reference.raw) and f.counts == reference.counts


@pytest.mark.parametrize("name", [n for n in sorted(GOLDEN) if "AMPO" not in n and "politics" not in n])
def test_kalai_genius_is_the_most_equal_point_of_the_enumerated_frontier(name):
    """GeniusWeb's Kalai point (issue 16) against a brute force: enumerate every package, keep the
    undominated ones, take the smallest |u_a - u_b| among those at least the reservation values.
    (The shared folder has no ANL 2023 domains with published results to compare with.)"""
    from accord.analysis.space import enumerate_utilities

    tables, d = _load(name)
    U = enumerate_utilities(tables)
    front = np.unique(U[nondominated_mask_naive(U)], axis=0)
    rational = front[np.all(front >= d, axis=1)]
    spread = np.abs(rational[:, 0] - rational[:, 1])
    expected = rational[spread == spread.min()]
    found = all_solutions(pareto_frontier_additive(tables), d)["kalai_genius"].points
    assert sorted(map(tuple, found.tolist())) == sorted(map(tuple, expected.tolist()))

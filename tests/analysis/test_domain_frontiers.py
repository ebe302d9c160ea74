"""Golden and differential tests on the project's own domains (tests/fixtures/domains and the example
shipped in the package): frontier sizes and Nash points against literals that a plain-Python brute
force re-derives from the profiles' numbers (tests/domain_fixtures.py); the fast kernels against
enumeration. tests/shared_folder does the same on public benchmark domains.
"""

import numpy as np
import pytest

from accord.analysis.dominance import nondominated_mask_naive
from accord.analysis.frontier import frontier_by_enumeration, pareto_frontier_additive
from accord.analysis.solutions import all_solutions
from accord.analysis.space import enumerate_utilities
from accord.analysis.zopa import zone_of_possible_agreement, zopa_by_enumeration
from accord.casefile.domains import import_domain
from accord.prefs import utility_tables
from domain_fixtures import DOMAINS, GOLDEN, UTILITIES, brute_force


def _load(name: str):
    imported = import_domain(DOMAINS[name])
    models = imported.preferences.models
    return utility_tables(imported.case.issues, models), np.array([m.reservation for m in models])


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_the_golden_figures_follow_from_the_profiles_numbers(name):
    assert brute_force(name) == GOLDEN[name]


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_frontier_and_nash_point_match_the_golden_figures(name):
    tables, d = _load(name)
    issues, outcomes, parties, size, packages, rational, nash = GOLDEN[name]
    assert (len(tables.issue_ids), tables.n_outcomes, tables.n_parties) == (issues, outcomes, parties)
    assert d.tolist() == pytest.approx([r for r, _ in UTILITIES[name].values()])
    f = pareto_frontier_additive(tables)
    assert (f.size, sum(f.counts), int(np.all(f.points >= d, axis=1).sum())) == (size, packages, rational)
    solutions = all_solutions(f, d)
    assert solutions["nash"].points.round(4).tolist() == [list(nash)]
    for s in solutions.values():
        assert s.point_ids.size >= 1 and np.all(s.points >= d)


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_fold_matches_enumeration_on_the_domain(name):
    tables, _ = _load(name)
    reference = frontier_by_enumeration(tables)
    kernels = [pareto_frontier_additive(tables, max_outcomes=None)]
    if tables.n_parties == 2:
        kernels.append(pareto_frontier_additive(tables, max_outcomes=None, small_limit=0))
    for f in kernels:
        assert np.array_equal(f.points, reference.points) and f.counts == reference.counts
        assert {(int(p), *c) for p, c in zip(f.point_of, f.choices.tolist(), strict=True)} == {
            (int(p), *c) for p, c in zip(reference.point_of, reference.choices.tolist(), strict=True)
        }
    U = enumerate_utilities(tables)  # and the quadratic twin
    assert np.array_equal(
        np.unique(U[nondominated_mask_naive(U)], axis=0), np.unique(reference.points, axis=0)
    )


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_zopa_without_enumeration_matches_enumeration(name):
    tables, d = _load(name)
    reference = zopa_by_enumeration(tables, d)
    z = zone_of_possible_agreement(tables, d, max_enumerate=0, max_states=10**6)
    assert z.count == reference.count and z.options == reference.options

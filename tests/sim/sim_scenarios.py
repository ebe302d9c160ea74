"""Small scenarios shared by the simulator tests."""

from __future__ import annotations

import numpy as np

from accord.model import DecisionRule
from accord.sim.scenarios.generate import random_scenario, union_vs_coalition
from accord.sim.scenarios.scenario import Calendar, Scenario


def bilateral(seed: int = 0, shape: tuple[int, ...] = (5, 4, 6)) -> Scenario:
    """A random two-party domain with reservation values, strike costs and a calendar."""
    s = random_scenario(np.random.default_rng(seed), shape)
    return s.replace(reservation=[0.2, 0.3], daily_cost=[0.002, 0.001], calendar=Calendar(10, 1.0))


def three_party(seed: int = 0) -> Scenario:
    return random_scenario(np.random.default_rng(seed), (4, 5, 3), k=3).replace(reservation=[0.1, 0.1, 0.1])


def coalition(seed: int = 0) -> Scenario:
    rule = DecisionRule(kind="weighted", shares={"m0": 3, "m1": 1, "m2": 1}, vetoes=("m1",))
    return union_vs_coalition(np.random.default_rng(seed), (4, 5, 3), 3, rule, reservation=0.2)


ALL = {"bilateral": bilateral, "three-party": three_party, "coalition": coalition}


def with_openings(scenario: Scenario, seed: int = 0) -> Scenario:
    """``scenario`` with a random opening package for each side (a replay from a date)."""
    rng = np.random.default_rng(seed)
    return scenario.replace(
        openings=tuple(int(o) for o in rng.integers(0, scenario.n_outcomes, scenario.n_sides))
    )


RULES = {
    "unanimity": DecisionRule(kind="unanimity"),
    "majority": DecisionRule(kind="majority"),
    "weighted": DecisionRule(
        kind="weighted", shares={"m0": 0.5, "m1": 0.3, "m2": 0.2}, threshold=0.6, vetoes=("m2",)
    ),
}


def static_pair_batches(rule: DecisionRule) -> list[list[Scenario]]:
    """Two batches for the loop of two static sides: bilateral and union vs coalition (under
    ``rule``), each with a scenario with openings and one whose first side's walk-away point
    beats every package (so it walks)."""

    def facing(seed: int) -> Scenario:
        return union_vs_coalition(np.random.default_rng(seed), (4, 5, 3), 3, rule, reservation=0.2)

    return [
        [bilateral(0), with_openings(bilateral(1), 2), bilateral(2).replace(reservation=[1.5, 0.3])],
        [facing(0), with_openings(facing(1), 3), facing(2).replace(reservation=[1.5, 0.2, 0.2, 0.2])],
    ]


def assert_tables_equal(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> None:
    """Two results tables have the same columns and the same values, exactly."""
    assert a.keys() == b.keys()
    for k in a:
        if a[k].dtype == object:
            assert a[k].tolist() == b[k].tolist(), k
        else:
            np.testing.assert_array_equal(a[k], b[k], err_msg=k)

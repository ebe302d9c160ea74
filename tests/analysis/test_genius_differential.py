"""Differential tests: generated GENIUS domains read by Accord against a brute force in exact arithmetic.

Each domain (``strategies.genius_domains``: discrete and integer issues with bounds, 2 to 5 parties,
short decimals so that equal sums are frequent) is written as GENIUS files, imported, and its
frontier computed by every kernel (the additive fold in plain Python and in NumPy, the N-party
fold, enumeration; on ``int64`` tables and on Python-integer tables). The reference is
independent of Accord's code: GENIUS's rules applied to the generated numbers with
:class:`fractions.Fraction`, every outcome enumerated, every pair compared.
"""

from __future__ import annotations

import itertools
import math
import tempfile
from fractions import Fraction as F
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.fold import fold_frontier
from accord.analysis.frontier import (
    Frontier,
    frontier_by_enumeration,
    make_frontier,
    pareto_frontier_additive,
)
from accord.analysis.solutions import all_solutions
from accord.casefile.genius import import_genius_folder
from accord.prefs.exact import exact_tables
from accord.prefs.tables import UtilityTables
from strategies import GeniusSpec, genius_domains, genius_files

Point = tuple[F, ...]


# --- the reference ------------------------------------------------------------------------------


def _round(x: F) -> int:
    return math.floor(x + F(1, 2))


def _discrete(evaluations: tuple[str, ...], reading: str) -> list[F]:
    given = [F(e) for e in evaluations]
    top = max(given)
    if reading == "max":
        return [F(0)] * len(given) if top < F(1, 100000) else [e / top for e in given]
    if _round(top) > 1:
        return [F(_round(e), _round(top)) for e in given]
    return given


def _values(spec: GeniusSpec, reading: str) -> list[list[list[F]]]:
    """Per party, per issue, the value of each option."""
    out = []
    for profile in spec.profiles:
        per_issue = []
        for issue, evaluation in zip(spec.issues, profile.evaluations, strict=True):
            if issue.kind == "discrete":
                per_issue.append(_discrete(evaluation, reading))
                continue
            form, offset, slope = evaluation[0], F(evaluation[1]), F(evaluation[2])
            shift = issue.low if form == "slope" else 0
            line = [offset + slope * (x - shift) for x in range(issue.low, issue.high + 1)]
            per_issue.append([min(F(1), max(F(0), v)) for v in line])
        out.append(per_issue)
    return out


def reference(spec: GeniusSpec, reading: str) -> tuple[dict[tuple[int, ...], Point], set[tuple[int, ...]]]:
    """Every outcome's exact utilities, and the outcomes no other outcome dominates."""
    values = _values(spec, reading)
    weights = [[F(w) for w in p.weights] for p in spec.profiles]
    U = {}
    for outcome in itertools.product(*(range(i.n_values) for i in spec.issues)):
        U[outcome] = tuple(
            sum((w[i] / sum(w) * v[i][c] for i, c in enumerate(outcome)), F(0))
            for w, v in zip(weights, values, strict=True)
        )
    points = set(U.values())
    front = {
        p
        for p in points
        if not any(q != p and all(a >= b for a, b in zip(q, p, strict=True)) for q in points)
    }
    return U, {o for o, u in U.items() if u in front}


def reference_solutions(points: set[Point], d: Point) -> dict[str, set[Point]]:
    rational = [p for p in points if all(a >= b for a, b in zip(p, d, strict=True))]
    if not rational:
        return {c: set() for c in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian", "kalai_genius")}
    ideal = [max(p[j] for p in rational) for j in range(len(d))]
    can_gain = [j for j in range(len(d)) if ideal[j] > d[j]]
    objectives = {
        "nash": lambda p: math.prod(a - b for a, b in zip(p, d, strict=True)),
        "utilitarian": lambda p: sum(p),
        "egalitarian": lambda p: min(a - b for a, b in zip(p, d, strict=True)),
        "kalai_smorodinsky": lambda p: min(
            ((p[j] - d[j]) / (ideal[j] - d[j]) for j in can_gain), default=F(0)
        ),
    }
    out = {}
    for name, objective in objectives.items():
        best = max(objective(p) for p in rational)
        out[name] = {p for p in rational if objective(p) == best}
    # GeniusWeb's Kalai: the frontier point closest to equal utilities (``points`` is the frontier)
    spread = {p: max(p) - min(p) for p in rational}
    out["kalai_genius"] = {p for p in rational if spread[p] == min(spread.values())}
    return out


# --- Accord -------------------------------------------------------------------------------------


def _import(spec: GeniusSpec, reading: str):
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in genius_files(spec).items():
            (Path(tmp) / name).write_text(text)
        return import_genius_folder(tmp, discrete=reading)


def _python_ints(tables: UtilityTables) -> UtilityTables:
    """The same exact tables as Python integers in object arrays (the path beyond int64)."""
    return UtilityTables(
        tables.issue_ids,
        tables.options,
        tuple(t.astype(object) for t in tables.tables),
        tables.offset.astype(object),
        tables.parties,
        tables.unit,
    )


def _kernels(tables: UtilityTables) -> list[Frontier]:
    front, counts, choices, point_of, complete = fold_frontier(tables, None)  # the N-party fold, any size
    found = [
        pareto_frontier_additive(tables, max_outcomes=None),
        frontier_by_enumeration(tables, chunk=16),
        make_frontier(front, tuple(counts), choices, point_of, complete, tables.unit),
    ]
    if tables.n_parties == 2:
        found.append(pareto_frontier_additive(tables, max_outcomes=None, small_limit=0))
    return found


def _check_frontier(
    frontier: Frontier, U: dict[tuple[int, ...], Point], outcomes: set[tuple[int, ...]]
) -> None:
    exact = frontier.exact_points()
    assert set(exact) == {U[o] for o in outcomes}
    assert len(exact) == len(set(exact))  # each point once
    listed = {(int(p), *map(int, c)) for p, c in zip(frontier.point_of, frontier.choices, strict=True)}
    assert listed == {(exact.index(U[o]), *o) for o in outcomes}
    assert list(frontier.counts) == [sum(U[o] == p for o in outcomes) for p in exact]
    # reported utilities are the doubles nearest to the exact ones
    assert frontier.points.tolist() == [[float(x) for x in p] for p in exact]


@settings(max_examples=60, deadline=None)
@given(genius_domains(), st.sampled_from(["given", "max"]))
def test_every_kernel_finds_the_exact_frontier_of_a_generated_genius_domain(spec, reading):
    imported = _import(spec, reading)
    U, outcomes = reference(spec, reading)
    tables = exact_tables(imported.case.issues, imported.preferences.models, imported.exact)
    assert tables.n_outcomes == len(U)
    for frontier in _kernels(tables) + _kernels(_python_ints(tables)):
        _check_frontier(frontier, U, outcomes)


@settings(max_examples=60, deadline=None)
@given(genius_domains())
def test_solutions_on_the_exact_frontier_match_the_brute_force(spec):
    imported = _import(spec, "given")
    U, outcomes = reference(spec, "given")
    frontier = pareto_frontier_additive(
        exact_tables(imported.case.issues, imported.preferences.models, imported.exact)
    )
    d = tuple(F(p.reservation) for p in spec.profiles)
    assert tuple(p.reservation for p in imported.exact) == d
    expected = reference_solutions({U[o] for o in outcomes}, d)
    exact = frontier.exact_points()
    for name, solution in all_solutions(frontier, list(d)).items():
        assert {exact[i] for i in solution.point_ids.tolist()} == expected[name], name
        reached = {tuple(map(int, c)) for c in solution.choices}
        assert reached == {o for o in outcomes if U[o] in expected[name]}


def test_the_tie_a_float_filter_gets_wrong_is_exact_here():
    """The shape of the Barbecue case: two sums equal on paper, different in the last bit."""
    tables = UtilityTables(
        ("x",),
        (("a", "b", "c"),),
        (np.array([[675, 93], [68 * 10, 93], [0, 100]], dtype=np.int64),),
        np.zeros(2, dtype=np.int64),
        ("p", "q"),
        (F(1, 1000), F(1, 100)),
    )
    frontier = pareto_frontier_additive(tables)
    assert frontier.exact_points() == [(F(68, 100), F(93, 100)), (0, 1)]
    assert frontier.points.tolist() == [[0.68, 0.93], [0.0, 1.0]]

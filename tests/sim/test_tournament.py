"""Tournaments: same seed, same table on every backend; files, resume and interruption."""

from __future__ import annotations

import numpy as np
import pytest
from sim_scenarios import assert_tables_equal, bilateral, three_party

from accord.sim.runs.metrics import Reference
from accord.sim.runs.runners import DaskRunner, LocalRunner
from accord.sim.runs.tournament import ENGINE_COLUMNS, Tournament, concat, results, run_chunk, summary
from accord.sim.strategies import make_strategy, strategy_names
from accord.workflows.tournaments import plot_outcomes, plot_strategy_matrix, run_tournament


def _tournament(seed: int = 4) -> Tournament:
    strategies = tuple(make_strategy(n) for n in strategy_names())
    return Tournament(
        (bilateral(0), bilateral(1), three_party()), strategies, repetitions=2, n_rounds=10, seed=seed
    )


def _collect(backend, tournament, chunk_size):
    engine = concat(table for _, table in backend.run(tournament, list(tournament.chunks(chunk_size))))
    assert tuple(engine) == ENGINE_COLUMNS
    return results(tournament, engine)


@pytest.fixture(scope="module")
def baseline():
    t = _tournament()
    return t, _collect(LocalRunner(1), t, 10_000)


def test_table_has_one_row_per_negotiation_with_its_results(baseline):
    t, table = baseline
    assert table["index"].tolist() == list(range(t.size))
    assert t.size == 2 * (2 * 81 + 729)
    agreed = table["agreement"].astype(bool)
    assert agreed.any() and not agreed.all()
    assert np.isnan(table["frontier_distance"][~agreed]).all()
    assert (table["frontier_distance"][agreed] >= 0).all()
    s = summary(table)
    assert sorted(s["strategy_0"].tolist()) == strategy_names()
    assert s["negotiations"].sum() == t.size


def test_chunking_and_worker_processes_do_not_change_results(baseline):
    t, table = baseline
    assert_tables_equal(table, _collect(LocalRunner(1), t, 37))
    assert_tables_equal(table, _collect(LocalRunner(2), t, 500))


def test_dask_local_cluster_gives_the_same_table(baseline):
    import distributed

    t, table = baseline
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert_tables_equal(table, _collect(DaskRunner(client), t, 300))


def test_different_seeds_change_only_stochastic_results(baseline):
    _t, table = baseline
    other = _collect(LocalRunner(1), _tournament(seed=5), 10_000)
    deterministic = (table["strategy_0"] != "random-acceptable") & (
        table["strategy_1"] != "random-acceptable"
    )
    deterministic &= np.array([s != "random-acceptable" for s in table["strategy_2"]])
    np.testing.assert_array_equal(table["outcome"][deterministic], other["outcome"][deterministic])
    assert (table["outcome"] != other["outcome"]).any()


class _StopAfter(LocalRunner):
    """Runs chunks in this process and raises KeyboardInterrupt after ``n`` of them."""

    def __init__(self, n):
        super().__init__(1)
        self.n = n

    def run(self, tournament, chunks):
        for i, chunk in enumerate(chunks):
            if i == self.n:
                raise KeyboardInterrupt
            yield chunk, run_chunk(tournament, chunk)


def test_interrupted_run_keeps_finished_chunks_and_resumes(tmp_path, baseline):
    t, table = baseline
    cut = run_tournament(t, _StopAfter(3), tmp_path, chunk_size=200)
    assert cut.interrupted and cut.finished_chunks == 3
    first_three = list(t.chunks(200))[:3]
    assert cut.table["index"].tolist() == [i for c in first_three for i in range(c.start, c.stop)]
    assert (tmp_path / "results.parquet").exists() and not (tmp_path / "results.csv").exists()
    seen = []
    full = run_tournament(
        t, LocalRunner(1), tmp_path, chunk_size=200, progress=lambda d, n: seen.append((d, n)), csv=True
    )
    assert full.files["csv"] == tmp_path / "results.csv" and full.files["summary_csv"].exists()
    again = run_tournament(t, LocalRunner(1), tmp_path, chunk_size=200)  # all parts there: nothing runs
    assert_tables_equal(table, again.table)
    assert not (tmp_path / "results.csv").exists() and not (tmp_path / "summary.csv").exists()
    assert not full.interrupted and seen[0] == (3, full.total_chunks)
    assert_tables_equal(table, full.table)
    assert plot_strategy_matrix(full.table, tmp_path / "matrix.html").read_text().count("<script") >= 1
    assert plot_outcomes(t.scenarios[0], full.table, tmp_path / "outcomes.html").stat().st_size > 100_000


def test_distances_are_each_agreed_packages_own(baseline):
    """Distances are computed once per distinct agreed outcome and looked up: each row's equal
    the distance of its own package, computed alone."""
    t, table = baseline
    first = np.cumsum([0, *t.scenario_sizes()])  # negotiations are numbered scenario by scenario
    for s, scenario in enumerate(t.scenarios):
        mine = (table["index"] >= first[s]) & (table["index"] < first[s + 1])
        rows = np.flatnonzero(mine & table["agreement"].astype(bool))
        assert rows.size
        reference = Reference.of(scenario)
        for row in rows[:: max(1, rows.size // 50)]:
            point = scenario.U[table["outcome"][row]]
            to_frontier = np.sqrt(((point[None, :] - reference.frontier) ** 2).sum(axis=1)).min()
            assert table["frontier_distance"][row] == to_frontier
            assert table["nash_distance"][row] == np.sqrt(((point - reference.nash) ** 2).sum())

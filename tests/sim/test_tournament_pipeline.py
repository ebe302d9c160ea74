"""The tournament pipeline described over whole batches gives the previous pipeline's results,
row for row and file for file (its code is kept in previous_tournament.py as the naive twin:
each chunk described on its own, with chunks of one negotiation by negotiation)."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from previous_tournament import previous_files, previous_results
from previous_tournament import summary as previous_summary
from sim_scenarios import assert_tables_equal, bilateral, coalition, three_party
from typer.testing import CliRunner

from accord.cli.app import app
from accord.sim.runs.runners import LocalRunner
from accord.sim.runs.tournament import Tournament, concat, factorize, results, run_chunk, summary
from accord.sim.strategies import make_strategy
from accord.workflows.stopwatch import PHASES, Stopwatch
from accord.workflows.tournaments import plot_outcomes, run_tournament, sample_rows

STRATEGIES = ("boulware", "tit-for-tat", "random-acceptable")


def _tournament(seed: int = 11) -> Tournament:
    """Bilateral, three-party (more columns, a third side) and coalition scenarios, with a
    random strategy so that the seed matters."""
    scenarios = (bilateral(0), three_party(), coalition(0), bilateral(1).replace(name="other"))
    return Tournament(scenarios, tuple(make_strategy(n) for n in STRATEGIES), 2, 12, seed)


@pytest.fixture(scope="module")
def tournament():
    return _tournament()


def _assert_same_columns(new, old):
    assert list(new) == list(old)  # the same columns in the same order
    assert_tables_equal(new, old)
    for name in new:
        assert new[name].dtype == old[name].dtype, name


def test_results_are_the_previous_per_negotiation_results_row_for_row(tournament):
    old = previous_results(tournament, chunk_size=1)
    engine = concat(run_chunk(tournament, chunk) for chunk in tournament.chunks(5))
    new = results(tournament, engine)
    assert len(new["index"]) == tournament.size
    _assert_same_columns(new, old)
    _assert_same_columns(new, previous_results(tournament, chunk_size=29))


def test_results_do_not_depend_on_the_order_or_split_of_the_engine_rows(tournament):
    chunks = list(tournament.chunks(17))[::-1]
    engine = concat(run_chunk(tournament, chunk) for chunk in chunks)
    shuffled = np.random.default_rng(0).permutation(len(engine["index"]))
    whole = results(tournament, engine)
    assert_tables_equal(whole, results(tournament, {k: v[shuffled] for k, v in engine.items()}))
    # a run cut short: only some chunks, with the rows of the others missing
    some = concat(run_chunk(tournament, chunk) for chunk in chunks[::3])
    part = results(tournament, some)
    rows = np.searchsorted(whole["index"], part["index"])
    assert_tables_equal(part, {k: v[rows] for k, v in whole.items() if k in part})


def test_summary_is_the_previous_summary(tournament):
    table = previous_results(tournament, chunk_size=40)
    for by in (("strategy_0",), ("strategy_0", "strategy_1"), ("scenario", "strategy_2")):
        _assert_same_columns(summary(table, by), previous_summary(table, by))


def _assert_same_arrow(new, old):
    """The same schema, and the same values (NaN where NaN, null where null) in every column."""
    assert new.schema.equals(old.schema, check_metadata=True)
    for name in new.column_names:
        a, b = new.column(name), old.column(name)
        assert a.null_count == b.null_count, name
        if pa.types.is_floating(a.type):
            assert np.array_equal(a.to_numpy(), b.to_numpy(), equal_nan=True), name
        else:
            assert a.equals(b), name


def test_files_are_the_previous_files(tmp_path, tournament):
    old = previous_files(tournament, 23, tmp_path / "old")
    run = run_tournament(tournament, LocalRunner(1), tmp_path / "new", chunk_size=23, csv=True)
    for name, path in old.items():
        new = tmp_path / "new" / name
        if name.endswith(".csv"):  # byte for byte
            assert new.read_bytes() == path.read_bytes(), name
        else:  # the same Parquet schema (types as Parquet names them), and the same table read back
            assert pq.ParquetFile(new).schema == pq.ParquetFile(path).schema, name
            _assert_same_arrow(pq.read_table(new), pq.read_table(path))
    assert set(run.files) == {"parquet", "csv", "summary", "summary_csv"}
    parts = sorted((tmp_path / "new" / "parts").glob("chunk-*.parquet"))
    assert len(parts) == run.total_chunks and pq.read_table(parts[0]).column_names == list(
        run_chunk(tournament, next(tournament.chunks(23)))
    )


def test_parts_of_the_previous_layout_are_not_reused(tmp_path, tournament):
    """A folder holding parts written before (other columns) starts again."""
    out = tmp_path / "out"
    run_tournament(tournament, LocalRunner(1), out, chunk_size=50)
    manifest = json.loads((out / "tournament.json").read_text())
    del manifest["parts"]
    (out / "tournament.json").write_text(json.dumps(manifest))
    seen = []
    again = run_tournament(
        tournament, LocalRunner(1), out, chunk_size=50, progress=lambda d, n: seen.append(d)
    )
    assert seen[0] == 0 and again.finished_chunks == again.total_chunks


def _factorize_naive(values):
    seen: dict[object, int] = {}
    return [seen.setdefault(v, len(seen)) for v in values], list(seen)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=2), st.sampled_from(["a", "b"])), max_size=120))
def test_factorize_is_its_naive_twin(values):
    column = np.array(values, dtype=object)
    codes, distinct = factorize(column)
    assert (codes.tolist(), distinct) == _factorize_naive(values)


def test_large_runs_are_plotted_from_a_sample_that_the_plot_names(tmp_path, tournament):
    table = previous_results(tournament, chunk_size=100)
    scenario = tournament.scenarios[0]
    agreed = int(((table["scenario"] == scenario.name) & table["agreement"]).sum())
    assert agreed > 5
    page = plot_outcomes(scenario, table, tmp_path / "o.html", most=5).read_text()
    assert f"agreements (5 sampled of {agreed:,})" in page and "Plotly.newPlot" in page
    whole = plot_outcomes(scenario, table, tmp_path / "all.html").read_text()
    assert "sampled" not in whole and whole.count("<script") == 2
    assert sample_rows(np.arange(7), 3).tolist() == [0, 3, 6]


def test_profile_prints_every_phase_on_stderr(tmp_path):
    args = ["tournament", "--generated", "2", "--repetitions", "3", "--strategies", "boulware,linear"]
    result = CliRunner().invoke(app, [*args, "--out", str(tmp_path), "--profile", "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["negotiations"] == 2 * 4 * 3
    lines = result.stderr.splitlines()
    assert [line.split()[0] for line in lines[1:-1]] == [*PHASES, "other", "total"]
    assert lines[-1].startswith("24 negotiations")
    assert not (tmp_path / "results.csv").exists()


def test_stopwatch_reports_the_rest_as_other():
    watch = Stopwatch()
    with watch.phase("plots"):
        pass
    watch.add("start-up", 1.0, 0.5)
    names = [row[0] for row in watch.report(2.0, 1.0)]
    assert names == ["start-up", "plots", "other"]


def test_the_console_script_ends_without_teardown_with_everything_written(tmp_path):
    """The process ends at once after the command (no interpreter teardown): its JSON, its
    profile and its files are all there, and the exit code is the command's."""
    import subprocess
    import sys

    args = ["tournament", "--generated", "2", "--repetitions", "2", "--strategies", "boulware"]
    done = subprocess.run(
        [sys.executable, "-m", "accord", *args, "--out", str(tmp_path), "--json", "--profile"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["negotiations"] == 4
    assert done.stderr.splitlines()[-1].startswith("4 negotiations")
    assert pq.read_table(tmp_path / "results.parquet").num_rows == 4
    bad = subprocess.run(
        [sys.executable, "-m", "accord", *args, "--shape", "0"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "--shape" in bad.stderr


def test_factorize_tells_a_nul_from_the_empty_string():
    """NumPy turns a str compared with an array into a NumPy string, which drops trailing NULs."""
    codes, distinct = factorize(np.array(["\x00", "", "a\x00", "a", "\x00"], dtype=object))
    assert (codes.tolist(), distinct) == ([0, 1, 2, 3, 0], ["\x00", "", "a\x00", "a"])

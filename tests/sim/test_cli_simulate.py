"""``accord tournament`` and ``accord sweep`` from the command line."""

from __future__ import annotations

import json

import numpy as np
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from accord.cli.app import app

runner = CliRunner()


def _tournament(tmp_path, name, *extra):
    out = tmp_path / name
    args = [
        "tournament",
        "--generated",
        "2",
        "--rounds",
        "15",
        "--seed",
        "3",
        "--chunk-size",
        "60",
        "--out",
        str(out),
        "--json",
    ]
    result = runner.invoke(app, [*args, *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.output), pq.read_table(out / "results.parquet")


def test_tournament_same_results_locally_and_on_a_dask_local_cluster(tmp_path):
    report, local = _tournament(tmp_path, "local", "--csv")
    assert report["negotiations"] == report["planned"] == 2 * 8 * 8 * 2
    assert set(report["files"]) >= {"parquet", "csv", "summary", "summary_csv", "matrix", "outcomes"}
    _, pooled = _tournament(tmp_path, "pool", "--workers", "2")
    _, dask = _tournament(tmp_path, "dask", "--backend", "dask", "--workers", "2")
    _assert_same(local, pooled)
    _assert_same(local, dask)


def _assert_same(a, b):
    assert a.column_names == b.column_names
    for name in a.column_names:
        x, y = a.column(name).to_numpy(zero_copy_only=False), b.column(name).to_numpy(zero_copy_only=False)
        if x.dtype.kind == "f":
            np.testing.assert_array_equal(x, y, err_msg=name)
        else:
            assert x.tolist() == y.tolist(), name


def test_bad_input_exits_2_with_one_line(tmp_path):
    for args in (["--strategies", "boulware,nope"], ["--shape", "3xx"], ["--backend", "spark"]):
        result = runner.invoke(app, ["tournament", "--out", str(tmp_path), *args])
        assert result.exit_code == 2
        assert result.output.count("\n") <= 2 and "error" in result.output.lower()


def test_sweep_json_moves_with_the_daily_cost(tmp_path):
    result = runner.invoke(
        app, ["sweep", "--steps", "4", "--high", "0.004", "--rounds", "30", "--json", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert [r["value"] for r in rows] == [0.0, 0.004 / 3, 0.008 / 3, 0.004]
    assert len({r["outcome"] for r in rows}) > 1
    assert (tmp_path / "sweep.parquet").exists() and (tmp_path / "sweep.html").exists()
    bad = runner.invoke(app, ["sweep", "--parameter", "mood"])
    assert bad.exit_code == 2 and "daily_cost" in bad.output


def test_sweep_of_the_case_same_rows_locally_in_processes_and_on_dask(tmp_path):
    def rows(*extra):
        args = ["sweep", "wga-amptp-2023", "--from", "2023-08-11", "--steps", "3", "--high", "0.004"]
        result = runner.invoke(app, [*args, "--rounds", "40", "--json", *extra])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)["rows"]

    local = rows()
    assert len(local) == 3 and local[0]["value"] == 0.0
    assert rows("--workers", "2") == local
    assert rows("--backend", "dask", "--workers", "2") == local
    bad = runner.invoke(app, ["sweep", "--backend", "spark"])
    assert bad.exit_code == 2 and "'local' or 'dask'" in bad.output


@pytest.mark.parametrize(
    ("args", "option", "expected"),
    [
        (
            ["--parameter", "discount", "--low", "0.5", "--high", "1.5"],
            "--high",
            "a number in (0, 1], got 1.5",
        ),
        (["--parameter", "discount", "--low", "0", "--high", "1"], "--low", "a number in (0, 1], got 0.0"),
        (["--low", "-0.002", "--high", "0.004"], "--low", "a finite number >= 0, got -0.002"),
        (
            ["--parameter", "reservation", "--low", "0.2", "--high", "inf"],
            "--high",
            "a finite number, got inf",
        ),
        (
            ["wga-amptp-2023", "--from", "2023-08-11", "--high", "nan"],
            "--high",
            "a finite number >= 0, got nan",
        ),
    ],
)
def test_a_sweep_range_out_of_bounds_names_the_option_and_writes_nothing(tmp_path, args, option, expected):
    out = tmp_path / "out"
    result = runner.invoke(app, ["sweep", *args, "--steps", "3", "--rounds", "10", "--out", str(out)])
    assert result.exit_code == 2, result.output
    parameter = args[args.index("--parameter") + 1] if "--parameter" in args else "daily_cost"
    assert f"error: {option}: {parameter}: expected {expected}" in result.output
    assert not out.exists()

"""Scenarios and tournaments on the public benchmark domains of the shared folder (read in place);
the same on the project's own domains: tests/sim/test_domain_tournaments.py."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from shared_data import shared_path
from typer.testing import CliRunner

from accord.casefile.domains import domain_folders
from accord.cli.app import app
from accord.workflows.scenarios import scenario_from_domain

runner = CliRunner()


DOMAINS = shared_path("domains")
SMALL = [DOMAINS / "genius" / "Laptop", DOMAINS / "genius" / "ItexvsCypress"]


def test_every_shared_domain_folder_is_found():
    names = [p.name for p in domain_folders(DOMAINS)]
    assert names == ["AMPOvsCity", "EnglandZimbabwe", "ItexvsCypress", "Laptop", "group2-politics", "Party"]


@pytest.mark.parametrize(
    ("folder", "outcomes", "parties"),
    [
        ("genius/Laptop", 27, 2),
        ("genius/ItexvsCypress", 180, 2),
        ("genius/group2-politics", 23040, 3),
        ("geniusweb/Party", 3072, 2),
    ],
)
def test_domain_scenarios_have_the_published_sizes(folder, outcomes, parties):
    s = scenario_from_domain(DOMAINS / folder)
    assert (s.n_outcomes, s.k, s.n_sides) == (outcomes, parties, parties)
    assert s.name == Path(folder).name and s.packages is not None
    assert np.all((s.U >= -1e-9) & (s.U <= 1 + 1e-9))


def test_geniusweb_reservation_bids_become_reservation_values():
    s = scenario_from_domain(DOMAINS / "geniusweb" / "Party")
    assert (s.reservation > 0).all()


def _tournament(out, *extra):
    args = ["tournament", "--rounds", "20", "--repetitions", "1", "--seed", "5", "--out", str(out), "--json"]
    for folder in SMALL:
        args += ["--domain", str(folder)]
    result = runner.invoke(app, [*args, *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.output), pq.read_table(out / "results.parquet")


def test_all_builtin_strategies_on_two_domains_locally_and_on_a_dask_local_cluster(tmp_path):
    report, local = _tournament(tmp_path / "local")
    strategies = 8  # every built-in but the generic time-dependent (boulware/linear/conceder are its presets)
    assert report["negotiations"] == report["planned"] == 2 * strategies**2
    assert sorted(set(local.column("scenario").to_pylist())) == ["ItexvsCypress", "Laptop"]
    assert {"outcomes", "outcomes-ItexvsCypress", "matrix"} <= set(report["files"])
    _, dask = _tournament(tmp_path / "dask", "--backend", "dask", "--workers", "2")
    assert local.column_names == dask.column_names
    for name in local.column_names:
        a, b = local.column(name).to_pylist(), dask.column(name).to_pylist()
        assert [x if x == x else "nan" for x in a] == [x if x == x else "nan" for x in b], name

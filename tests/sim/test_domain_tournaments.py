"""Scenarios and tournaments on the project's own GENIUS and GeniusWeb domains (tests/fixtures/domains
and the example shipped in the package); tests/shared_folder does the same on public benchmarks."""

from __future__ import annotations

import json

import numpy as np
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from accord.casefile.domains import domain_folders
from accord.casefile.errors import CaseFileError
from accord.cli.app import app
from accord.workflows.scenarios import scenario_from_domain
from domain_fixtures import CLUB, FIXTURES, GOLDEN, JOB_OFFER, ORCHARD, PICNIC, UTILITIES, outcome_utilities

runner = CliRunner()
SMALL = [ORCHARD, PICNIC]


def test_every_domain_folder_under_a_root_is_found_sorted_by_path():
    assert domain_folders(FIXTURES) == [CLUB, ORCHARD, PICNIC]
    assert domain_folders(ORCHARD) == [ORCHARD]


@pytest.mark.parametrize(
    ("folder", "name"),
    [(ORCHARD, "orchard-lease"), (CLUB, "club-budget"), (PICNIC, "picnic"), (JOB_OFFER, "job-offer")],
)
def test_domain_scenarios_have_their_sizes_and_utilities(folder, name):
    s = scenario_from_domain(folder)
    _, outcomes, parties, *_ = GOLDEN[name]
    assert (s.n_outcomes, s.k, s.n_sides) == (outcomes, parties, parties)
    assert s.name == folder.name and s.packages is not None
    # the same utilities as typed by hand, outcome for outcome (both in option-index order)
    np.testing.assert_allclose(s.U, np.array(outcome_utilities(name)), atol=1e-12)
    np.testing.assert_allclose(s.reservation, [r for r, _ in UTILITIES[name].values()], atol=1e-12)


def test_geniusweb_reservation_bids_become_reservation_values():
    s = scenario_from_domain(PICNIC)
    # alex.json's bid: sandwiches .4 x .35, garden .3 x .3, noon .5 x .15, speaker .6 x .2
    # sam.json's bid: salads .8 x .25, beach .2 x .25, evening .4 x .3, guitar .5 x .2
    assert s.reservation.tolist() == pytest.approx([0.425, 0.47])


def test_a_folder_without_a_domain_is_a_clear_error(tmp_path):
    with pytest.raises(CaseFileError, match="not a domain folder"):
        scenario_from_domain(tmp_path)
    result = runner.invoke(app, ["tournament", "--domain", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "not a domain folder" in result.output
    result = runner.invoke(app, ["tournament", "--domains-dir", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "no GENIUS or GeniusWeb domain" in result.output


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
    assert sorted(set(local.column("scenario").to_pylist())) == ["orchard-lease", "picnic"]
    assert {"outcomes", "outcomes-picnic", "matrix"} <= set(report["files"])
    _, dask = _tournament(tmp_path / "dask", "--backend", "dask", "--workers", "2")
    assert local.column_names == dask.column_names
    for name in local.column_names:
        a, b = local.column(name).to_pylist(), dask.column(name).to_pylist()
        assert [x if x == x else "nan" for x in a] == [x if x == x else "nan" for x in b], name

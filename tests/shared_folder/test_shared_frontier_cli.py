"""`accord frontier` on the public benchmark domains of the shared folder (read in place); the same on
the project's own domains: tests/cli/test_analyze_cli.py."""

from __future__ import annotations

import json

import pytest
from shared_data import shared_path
from typer.testing import CliRunner

from accord.cli.app import app

runner = CliRunner()

DOMAINS = shared_path("domains")

# folder: (frontier points, packages reaching them, Nash point): the figures of
# test_shared_domains_frontier.py, which agree with NegMAS's exhaustive frontier
GOLDEN = {
    "genius/AMPOvsCity": (192, 283, (0.706, 0.783)),
    "genius/EnglandZimbabwe": (25, 25, (0.9109, 0.7332)),
    "genius/ItexvsCypress": (18, 18, (0.6705, 0.7215)),
    "genius/Laptop": (4, 4, (1.0, 0.8151)),
    "genius/group2-politics": (124, 124, (0.6695, 0.7553, 0.7862)),
    "geniusweb/Party": (15, 15, (0.7959, 0.849)),
}


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_frontier_json_matches_the_golden_figures(name):
    result = runner.invoke(app, ["frontier", str(DOMAINS / name), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    size, packages, nash = GOLDEN[name]
    assert (data["size"], data["packages"], len(data["points"])) == (size, packages, size)
    solutions = {s["concept"]: s for s in data["solutions"]}
    assert [round(x, 4) for x in solutions["nash"]["points"][0]] == list(nash)
    assert data["seconds"] >= 0 and len(data["parties"]) == len(nash)


def test_frontier_accepts_a_file_in_the_domain_folder_and_prints_text():
    result = runner.invoke(app, ["frontier", str(DOMAINS / "genius" / "Laptop" / "laptop_domain.xml")])
    assert result.exit_code == 0, result.output
    assert "Frontier: 4 points" in result.stdout and "nash" in result.stdout

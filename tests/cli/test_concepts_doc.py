"""The worked example of docs/concepts.md agrees with `accord analyze` (re-run on purpose to update)."""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.app import app

DOC = Path(__file__).resolve().parents[2] / "docs" / "concepts.md"


@pytest.fixture(scope="module")
def data():
    result = CliRunner().invoke(app, ["analyze", "wga-amptp-2023", "--as-of", "2023-09-08", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _pair(values) -> str:
    return f"({values[0]:.3f}, {values[1]:.3f})"


def test_the_worked_example_matches_the_command(data):
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    example = text[text.index("## Worked example") :]
    assert f"disagreement point (WGA, AMPTP) = {_pair(data['disagreement'])}" in example
    assert f"Frontier: {data['frontier']['size']} points" in example
    names = {
        "nash": "Nash",
        "kalai_smorodinsky": "Kalai–Smorodinsky",
        "egalitarian": "egalitarian",
        "utilitarian": "utilitarian",
        "kalai_genius": "Kalai (GeniusWeb)",
    }
    for s in data["solutions"]:
        assert f"{names[s['concept']]} {_pair(s['points'][0])}" in example
    assert data["disagreement_table"] == data["disagreement"]  # "the two readings agree"
    assert {s["reading"] for s in data["solutions"]} == {"batna", "table"}
    by_id = {p["proposal_id"]: p["efficiency"] for p in data["proposals"]}
    aug11, aug15 = by_id["amptp-2023-08-11"], by_id["wga-2023-08-15"]
    assert f"Aug 11 offer is worth {_pair(aug11['utilities'])} and is **dominated**" in example
    assert aug11["is_dominated"] and aug15["is_dominated"]
    assert f"gain {aug11['equal_gain']:.3f} at once (distance {aug11['distance']:.3f})" in example
    assert (
        f"is worth {_pair(aug15['utilities'])}: **dominated**, equal gain {aug15['equal_gain']:.3f}"
        in example
    )
    undominated = [pid for pid, e in by_id.items() if not e["is_dominated"]]
    assert (
        undominated == ["amptp-2023-05-01"] and "May 1 offer is the only proposal on the frontier" in example
    )
    coalition = data["coalition"]
    best = coalition["best_for_union"]["utilities"]["wga"]
    assert f"worth {best:.3f} to the WGA, just above its walk-away value" in example
    assert 0 < best - data["disagreement"][0] < 0.01
    views = {v["member"]: v["separate_beats_coalition"] for v in coalition["member_views"]}
    assert [m for m, better in views.items() if not better] == ["wbd"]
    assert re.search(
        r"Disney, NBCU, Paramount, Sony, Netflix, Amazon and Apple more than the coalition", example
    )
    share = 100 * data["zopa"]["count_low"] / data["zopa"]["n_outcomes"]
    assert f"{share:.1f}% of the 7.2 billion packages" in example


def test_the_examples_named_in_the_text_are_in_the_output(data):
    for s in data["solutions"]:
        package = s["package"]["package"]
        assert 12.4 <= package["min_pay"] <= 13.0 and package["duration"] == 10
        if s["concept"] == "nash":
            assert (package["min_pay"], package["staffing"]) == (13.0, 4.0) and not s["issue_warnings"]
        else:
            assert package["min_pay"] < 13 and "below the 13" not in str(s["warnings"])
            assert any("worse for the WGA than the 13 %" in w for w in s["issue_warnings"])
    aug11 = next(p["efficiency"] for p in data["proposals"] if p["proposal_id"] == "amptp-2023-08-11")
    assert any(
        s["changes"].get("min_pay") == 11.4
        and "features" in s["changes"]
        and [round(g, 3) for g in s["gains"]] == [0.015, 0.018]
        for s in aug11["suggestions"]
    )

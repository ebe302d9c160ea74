"""`accord analyze` on the bundled WGA case and `accord frontier` on the project's own domains."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from accord.cli.app import app
from domain_fixtures import DOMAINS, GOLDEN, JOB_OFFER, ORCHARD

runner = CliRunner()
CASE = "wga-amptp-2023"


@pytest.fixture(scope="module")
def analysis_json():
    result = runner.invoke(app, ["analyze", CASE, "--as-of", "2023-09-08", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_analyze_json_has_every_section(analysis_json):
    data = analysis_json
    assert {"sides", "frontier", "solutions", "zopa", "proposals", "moves", "coalition", "notes"} <= set(data)
    assert [s["party"] for s in data["sides"]] == ["wga", "amptp"]
    assert {(s["reading"], s["concept"]) for s in data["solutions"]} == {
        (reading, concept)
        for reading in ("batna", "table")
        for concept in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian", "kalai_genius")
    }
    assert next(iter(data)) == "summary" and len(data["disagreement_table"]) == 2
    assert data["frontier"]["size"] == len(data["frontier"]["points"])


def test_analyze_json_has_the_aug_11_and_aug_15_efficiencies(analysis_json):
    by_id = {p["proposal_id"]: p for p in analysis_json["proposals"]}
    for pid in ("amptp-2023-08-11", "wga-2023-08-15"):
        e = by_id[pid]["efficiency"]
        assert len(e["utilities"]) == 2 and isinstance(e["is_dominated"], bool)
        # the measures agree with each other: a gain for both exactly when dominated with room
        assert (e["equal_gain"] > 0) <= e["is_dominated"]
        if e["is_dominated"]:
            assert e["pss"] is not None and min(e["pss"]["gains"]) == pytest.approx(e["equal_gain"])
            assert all(min(s["gains"]) >= 0 and max(s["gains"]) > 0 for s in e["suggestions"])


def test_analyze_text_shows_each_section_and_the_assumption_warning():
    result = runner.invoke(app, ["analyze", CASE, "--as-of", "2023-09-08"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\x1b[" not in out  # plain text when piped
    for heading in (
        "ILLUSTRATIVE ASSUMPTIONS",
        "Each side's view",
        "Pareto frontier",
        "Bargaining solutions",
        "Zone of possible agreement",
        "Efficiency of each proposal",
        "Improvements",
        "Moves (DANS",
        "Coalition view",
    ):
        assert heading in out, heading
    assert "amptp-2023-08-11" in out and "wga-2023-08-15" in out
    # issue 16: the summary comes first, every table from the assumed models carries the marker
    assert (
        out.index("Summary: As of 2023-09-08") < out.index("ILLUSTRATIVE ASSUMPTIONS") < out.index("Pareto")
    )
    flat = " ".join(out.split())
    for title in (
        "Each side's view",
        "Pareto frontier (a sample of its points)",
        "Moves (DANS",
        "Coalition view",
    ):
        start = flat.index(title)
        assert "[assumed preferences]" in flat[start : start + 200], title
    assert "Minimum pay increase 13 % (AMPTP, Aug 18, standing since Aug 11) to 16.9 % (WGA, Aug 15," in flat
    assert "worse for the WGA than the 13 % of the AMPTP's offer of Aug 18" in flat


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze", CASE, "--as-of", "Sept 8"], "--as-of: expected a date"),
        (["analyze", "no-such-case"], "no bundled case or file"),
        (
            ["analyze", CASE, "--prefs", "missing.prefs.yaml"],
            "missing.prefs.yaml: cannot read the file: No such file",
        ),
        (["analyze", CASE, "--side-a", "nobody"], "unknown party 'nobody'"),
        (["frontier", "no/such/folder"], "no such file or folder, and no example domain of that name"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_case_file_without_preferences_asks_for_them(tmp_path):
    from accord.casefile import bundled_case, write_case

    path = tmp_path / "wga.yaml"
    write_case(bundled_case(CASE), path)
    result = runner.invoke(app, ["analyze", str(path)])
    assert result.exit_code == 2 and "--prefs" in result.stderr


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_frontier_json_matches_the_golden_figures(name):
    result = runner.invoke(app, ["frontier", str(DOMAINS[name]), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    _, outcomes, parties, size, packages, _, nash = GOLDEN[name]
    assert (data["n_outcomes"], len(data["parties"])) == (outcomes, parties)
    assert (data["size"], data["packages"], len(data["points"])) == (size, packages, size)
    solutions = {s["concept"]: s for s in data["solutions"]}
    assert [round(x, 4) for x in solutions["nash"]["points"][0]] == list(nash)
    assert data["seconds"] >= 0 and len(data["parties"]) == len(nash)


def test_frontier_accepts_a_file_in_the_domain_folder_and_prints_text():
    result = runner.invoke(app, ["frontier", str(ORCHARD / "orchard_domain.xml")])
    assert result.exit_code == 0, result.output
    assert f"Domain folder: {ORCHARD}" in result.stdout
    assert "Frontier: 7 points" in result.stdout and "nash" in result.stdout


def test_frontier_of_the_example_shipped_with_accord_names_its_folder():
    result = runner.invoke(app, ["frontier", "job-offer"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Domain folder: {JOB_OFFER}" and (JOB_OFFER / "job_offer_domain.xml").is_file()
    assert "Job offer: 2 parties (candidate, employer), 5 issues, 405 outcomes" in result.stdout
    here = runner.invoke(app, ["frontier", str(JOB_OFFER), "--json"])
    assert json.loads(here.stdout)["size"] == GOLDEN["job-offer"][3]

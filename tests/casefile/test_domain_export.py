"""Cases as GENIUS / GeniusWeb domains and back (accord.casefile.domain_files, `accord domain`):
every name kept, the same utility on every outcome, nothing written on failure.

The bundled cases go case -> domain -> case -> domain -> case; the project's own domains (the
fixtures and the shipped example) domain -> case -> domain -> case. Utilities are additive, so
equal per-issue utility tables give equal utilities on every outcome; small spaces are also
compared outcome by outcome. (NegMAS reads the same exports in bench/check_domain_export.py.)
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord.casefile import read_case
from accord.casefile.atomic import write_folder_atomically
from accord.casefile.domain_files import export_domain, write_domain_case
from accord.casefile.domain_layout import domain_issues, domain_package
from accord.casefile.domains import import_domain
from accord.casefile.prefsfile import case_with_preferences, read_preferences
from accord.cli.app import app
from accord.prefs import utility, utility_tables
from domain_fixtures import CLUB, JOB_OFFER, ORCHARD, PICNIC

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
SEMANTICS = ROOT / "tests" / "casefile" / "fixtures" / "genius"
FIXTURES = [JOB_OFFER, ORCHARD, CLUB, PICNIC, *sorted(p for p in SEMANTICS.iterdir() if p.is_dir())]
FORMATS = ["genius", "geniusweb"]


def _tables(imported):
    return utility_tables(imported.case.issues, imported.preferences.models)


def _same_utilities(a, b):
    ta, tb = _tables(a), _tables(b)
    assert ta.shape == tb.shape
    for x, y in zip(ta.tables, tb.tables, strict=True):
        np.testing.assert_allclose(x, y, atol=1e-12)
    if ta.n_outcomes <= 20_000:
        choices = np.array(list(itertools.product(*(range(n) for n in ta.shape))))
        np.testing.assert_allclose(ta.utilities(choices), tb.utilities(choices), atol=1e-12)


def _in_order(imported):
    """The import with its models in party-id order."""
    models = tuple(sorted(imported.preferences.models, key=lambda m: m.party))
    return type(imported)(imported.case, imported.preferences.model_copy(update={"models": models}))


def _names(imported):
    """Everything a domain names: issues with their values, and the profiles."""
    case = imported.case
    return (
        case.title,
        [(i.name, tuple(getattr(i, "options", ())) or tuple(getattr(i, "levels", ()))) for i in case.issues],
        sorted(p.name for p in case.parties),
    )


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", ["wga-amptp-2023", "sag-aftra-amptp-2023"])
def test_a_bundled_case_exports_with_the_same_utility_on_every_outcome(name, fmt, tmp_path):
    case, prefs = case_with_preferences(name)
    export_domain(case, prefs, tmp_path / "one", fmt)
    first = import_domain(tmp_path / "one")
    issues = domain_issues(case)
    assert [i.name for i in first.case.issues] == [i.name for i in issues]
    assert sorted(p.name for p in first.case.parties) == sorted(
        case.party(m.party).name for m in prefs.models
    )
    # the original models on case packages = the imported ones on the domain outcomes they become
    party_of = {case.party(m.party).name: m.party for m in prefs.models}
    rng = np.random.default_rng(7)
    shape = [len(i.labels) for i in issues]
    for choice in np.stack([rng.integers(0, k, 300) for k in shape], axis=1):
        package = domain_package(case, issues, choice)
        bid = {i.id: i.options[c] for i, c in zip(first.case.issues, choice, strict=True)}
        for model in first.preferences.models:
            mine = prefs.model(party_of[first.case.party(model.party).name])
            assert utility(model, first.case.issues, bid) == pytest.approx(
                utility(mine, case.issues, package), abs=1e-12
            )
    # and the import exports and imports again, the same in every name and utility
    export_domain(first.case, first.preferences, tmp_path / "two", fmt)
    second = import_domain(tmp_path / "two")
    assert _names(second) == _names(first)
    # (GENIUS lists profiles in file name order, and the files are named by party id)
    assert sorted(m.party for m in second.preferences.models) == sorted(
        m.party for m in first.preferences.models
    )
    _same_utilities(_in_order(first), _in_order(second))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("folder", FIXTURES, ids=lambda p: p.name)
def test_import_export_import_keeps_every_name_and_utility(folder, fmt, tmp_path):
    first = import_domain(folder)
    export_domain(first.case, first.preferences, tmp_path / "out", fmt)
    again = import_domain(tmp_path / "out")
    assert [i.id for i in again.case.issues] == [i.id for i in first.case.issues]
    assert [m.party for m in again.preferences.models] == [m.party for m in first.preferences.models]
    first_names, again_names = _names(first), _names(again)
    assert again_names[0] == first_names[0] and again_names[2] == first_names[2]
    for (name, values), (name_again, values_again) in zip(first_names[1], again_names[1], strict=True):
        assert name_again == name
        if all(isinstance(v, str) for v in values):  # option names travel as written
            assert values_again == values
    _same_utilities(first, again)


def test_names_are_kept_as_written_and_ids_made_only_where_needed(tmp_path):
    profile = {
        "LinearAdditiveUtilitySpace": {
            "name": "Side A",
            "issueUtilities": {
                "issueA": {"discreteutils": {"valueUtilities": {"Low": 0, "High": 1}}},
                "External Monitor": {"discreteutils": {"valueUtilities": {'19" LCD': 1, "none": 0.25}}},
            },
            "issueWeights": {"issueA": 0.75, "External Monitor": 0.25},
            "domain": {
                "name": "Shop",
                "issuesValues": {"issueA": {"values": ["Low", "High"]}, "External Monitor": {"values": ['19" LCD', "none"]}},
            },
        }
    }  # fmt: skip
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "SideA.json").write_text(json.dumps(profile))
    first = import_domain(tmp_path / "in")
    # issueA keeps its case (it was lowercased before); a name that is no id gets one, kept beside it
    assert [(i.id, i.name) for i in first.case.issues] == [
        ("issueA", "issueA"),
        ("External_Monitor", "External Monitor"),
    ]
    assert [(p.id, p.name) for p in first.case.parties] == [("SideA", "Side A")]
    written = export_domain(first.case, first.preferences, tmp_path / "out", "geniusweb")
    data = json.loads((tmp_path / "out" / "SideA.json").read_text())["LinearAdditiveUtilitySpace"]
    assert data["name"] == "Side A" and list(data["issueWeights"]) == ["issueA", "External Monitor"]
    assert data["domain"]["name"] == "Shop" and written.files == ("shop.json", "SideA.json")
    assert set(data["issueUtilities"]["External Monitor"]["discreteutils"]["valueUtilities"]) == {
        '19" LCD',
        "none",
    }


def test_a_starter_case_and_its_preferences_are_written_together(tmp_path):
    imported = import_domain(ORCHARD)
    case_path, prefs_path = write_domain_case(imported, tmp_path / "orchard.yaml", source="fixtures")
    assert prefs_path.name == "orchard.prefs.yaml"
    case = read_case(case_path)
    assert case.issues == imported.case.issues and "fixtures" in case.description
    prefs = read_preferences(prefs_path, case)
    assert prefs.models == imported.preferences.models
    # a case found by its path finds these preferences beside it
    assert case_with_preferences(str(case_path))[1] == prefs


def test_a_failed_folder_write_leaves_the_target_as_it_was(tmp_path):
    target = tmp_path / "out"
    write_folder_atomically(target, {"a.xml": "<a/>\n"})
    with pytest.raises(ValueError, match="not a plain file name"):
        write_folder_atomically(target, {"b.xml": "<b/>\n", "../escape.xml": "x"}, replace=True)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folder left behind
    assert [p.name for p in target.iterdir()] == ["a.xml"]
    assert not (tmp_path / "escape.xml").exists()


def _run(*args: str, cwd: Path | None = None):
    return runner.invoke(app, ["domain", *args], catch_exceptions=False)


def test_cli_export_then_import(tmp_path):
    out = tmp_path / "wga"
    result = _run("export", "wga-amptp-2023", "--format", "geniusweb", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "19 issues" in result.stdout and "note: issue 'ai' (a set of provisions)" in result.stdout
    assert sorted(p.name for p in out.iterdir())[:2] == ["amazon.json", "amptp.json"]
    case_file = tmp_path / "wga.yaml"
    result = _run("import", str(out), "-o", str(case_file))
    assert result.exit_code == 0, result.output
    assert case_file.is_file() and (tmp_path / "wga.prefs.yaml").is_file()
    check = runner.invoke(app, ["validate", str(case_file)])
    assert check.exit_code == 0, check.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["export", "wga-amptp-2023", "--format", "xml", "-o", "{tmp}/x"],
            "--format: expected one of genius, geniusweb",
        ),
        (
            ["export", "wga-amptp-2023", "--format", "genius", "-o", "{tmp}/full"],
            "the folder holds files already",
        ),
        (
            ["export", "wga-amptp-2023", "--format", "genius", "-o", "{tmp}/full/f.txt"],
            "a file of that name exists",
        ),
        (["export", "no-such-case", "--format", "genius", "-o", "{tmp}/x"], "no-such-case"),
        (["import", "{tmp}/full", "-o", "{tmp}/c.yaml"], "not a domain folder"),
        (["import", "job-offer", "-o", "{tmp}/c.json"], "expected .yaml or .yml"),
        (["import", "job-offer", "-o", "{tmp}/taken.yaml"], "the file exists"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2_and_writes_nothing(args, message, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "f.txt").write_text("keep me")
    (tmp_path / "taken.yaml").write_text("keep me")
    before = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    result = _run(*(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert result.exit_code == 2, result.output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == before
    assert (tmp_path / "full" / "f.txt").read_text() == "keep me"


def test_cli_force_replaces_a_folder_and_files(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old")
    result = _run("export", "sag-aftra-amptp-2023", "--format", "genius", "-o", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert not (out / "old.txt").exists() and (out / "sag-aftra.xml").is_file()
    (tmp_path / "c.yaml").write_text("old")
    assert _run("import", "job-offer", "-o", str(tmp_path / "c.yaml"), "--force").exit_code == 0
    assert read_case(tmp_path / "c.yaml").title == "Job offer"

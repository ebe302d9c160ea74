"""Golden tests on the public benchmark domains of the shared folder (read in place, never copied);
the same on the project's own domains: tests/casefile/test_domain_files.py."""

import itertools
import math

import numpy as np
import pytest
from shared_data import shared_path

from accord.casefile.genius import export_genius, import_genius, import_genius_folder
from accord.casefile.geniusweb import export_geniusweb, import_geniusweb, import_geniusweb_folder
from accord.prefs import utility, utility_tables

DOMAINS = shared_path("domains")
GENIUS = DOMAINS / "genius"

# folder: (issues, outcomes, parties) per the README of the shared domains folder
TABLE = {
    "ItexvsCypress": (4, 180, 2),
    "Laptop": (3, 27, 2),
    "EnglandZimbabwe": (5, 576, 2),
    "AMPOvsCity": (10, 1_944_000, 2),
    "group2-politics": (8, 23_040, 3),
}


@pytest.fixture(scope="module")
def genius():
    return {name: import_genius_folder(GENIUS / name) for name in TABLE}


@pytest.mark.parametrize("name", list(TABLE))
def test_issue_and_outcome_counts_match_the_readme(genius, name):
    issues, outcomes, parties = TABLE[name]
    result = genius[name]
    assert len(result.case.issues) == issues
    assert utility_tables(result.case.issues, result.preferences.models).n_outcomes == outcomes
    assert len(result.preferences.models) == parties


def _u(result, party, bid_by_name):
    by_name = {i.name: i.id for i in result.case.issues}
    package = {by_name[name]: value for name, value in bid_by_name.items()}
    return utility(result.preferences.model(party), result.case.issues, package)


def test_laptop_by_hand(genius):
    laptop = genius["Laptop"]
    buyer = laptop.preferences.models[0]
    assert buyer.label == "laptop_buyer_utility" and buyer.discount == 0.42441038 and buyer.reservation == 0
    # laptop_buyer_utility.xml: weights 0.4452125771655631, 0.37808251708013424, 0.1767567099260568
    # (sum 1.0000518...); evaluations above 1, so each issue's are divided by its maximum (30).
    w = [0.4452125771655631, 0.37808251708013424, 0.1767567099260568]
    bid = {"Laptop": "Dell", "Harddisk": "120 Gb", "External Monitor": "20'' LCD"}  # 12, 9, 10 of 30
    expected = (w[0] * 12 / 30 + w[1] * 9 / 30 + w[2] * 10 / 30) / sum(w)
    assert _u(laptop, buyer.party, bid) == pytest.approx(expected, abs=1e-12)
    best = {"Laptop": "HP", "Harddisk": "60 Gb", "External Monitor": "19'' LCD"}  # 30, 30, 30
    assert _u(laptop, buyer.party, best) == pytest.approx(1.0)


def test_ampo_by_hand_duplicate_item_and_weights_before_issues(genius):
    ampo = genius["AMPOvsCity"]
    assert ampo.preferences.parties == ("AMPO", "City")  # from the template's agents, as written
    bid = {
        "Increase in starting salaries": "0",
        "Increase in Max. Salary": "0-500",
        "Increase in Vacation Less Than Five Years": "0 days",
        "Increase in Vacation More Than Five Years": "0 dyas",  # the file's typo, kept
        "Reinstatement": "No",
        "Two-Man Patrols": "Status Quo",
        "Rank of Corporal": "No",
        "Increase Number of Sergeants": "0",
        "Commisioner Daniels": "Keep",
        "Police Civilian Review Board": "Disband",
    }
    # AMPO: item "0" is listed twice (evaluation 0, then 8); the later one counts: 8/100.
    # Weights are matched by index (2..11, placed before the issues): starting salaries 0.457,
    # review board 0.097 ("Disband" = 100/100); every other choice evaluates 0.
    assert _u(ampo, "AMPO", bid) == pytest.approx(0.457 * 0.08 + 0.097 * 1.0)
    # City: every choice is worth 100/100 except "Disband" (0), whose weight is 0.243.
    assert _u(ampo, "City", bid) == pytest.approx(1 - 0.243)
    assert any("lists item '0' again (first at line 14)" in note for note in ampo.notes)


def test_politics_by_hand(genius):
    politics = genius["group2-politics"]
    first_options = {i.name: i.options[0] for i in politics.case.issues}
    # Politics_util1.xml, first item of each issue: evaluations 0/4, 1/5, 0/5, 5/5, 0/8, 5/5, 1/14, 4/8
    w = [0.2423991044521965, 0.061109933021810066, 0.22223106488363198, 0.12209337060366644,
         0.1140709801547101, 0.10505034049772512, 0.09503796567003182, 0.03800724071622797]  # fmt: skip
    v = [0, 1 / 5, 0, 1, 0, 1, 1 / 14, 4 / 8]
    expected = sum(a * b for a, b in zip(w, v, strict=True)) / sum(w)
    assert _u(politics, "Politics_util1", first_options) == pytest.approx(expected, abs=1e-12)
    # Politics_util2 "Stay or leave EU" evaluations are 0 and 1: used as given, not rescaled
    eu = politics.preferences.model("Politics_util2").values["Stay_or_leave_EU"]
    assert eu.scores == {"stay": 0.0, "leave": 1.0}


def _same_utilities(a, b):
    ta = utility_tables(a.case.issues, a.preferences.models)
    tb = utility_tables(b.case.issues, b.preferences.models)
    # Utilities are additive over the tables, so equal tables give equal utilities on every outcome.
    assert ta.shape == tb.shape
    for x, y in zip(ta.tables, tb.tables, strict=True):
        np.testing.assert_allclose(x, y, atol=1e-12)
    np.testing.assert_allclose(ta.offset, tb.offset, atol=1e-12)
    if ta.n_outcomes <= 50_000:  # and check a few spaces outcome by outcome
        choices = np.array(list(itertools.product(*(range(n) for n in ta.shape))))
        np.testing.assert_allclose(ta.utilities(choices), tb.utilities(choices), atol=1e-12)
    for ma, mb in zip(a.preferences.models, b.preferences.models, strict=True):
        assert (ma.reservation, ma.discount) == pytest.approx((mb.reservation, mb.discount))


@pytest.mark.parametrize("name", list(TABLE))
def test_genius_round_trip_keeps_every_utility(genius, name, tmp_path):
    first = genius[name]
    paths = export_genius(first.case, first.preferences, tmp_path)
    domain, profiles = paths[0], paths[1:]
    again = import_genius(domain, profiles, [m.label for m in first.preferences.models])
    assert [i.name for i in again.case.issues] == [i.name for i in first.case.issues]
    _same_utilities(first, again)


def test_geniusweb_party_domain():
    party = import_geniusweb_folder(DOMAINS / "geniusweb" / "Party")
    assert len(party.case.issues) == 6
    assert math.prod(len(i.options) for i in party.case.issues) == 3072
    # party1.json reservation bid: Handmade Food .51*.19 + Handmade Cocktails .672*.28
    # + Party Tent .52*.19 + Custom, Printed .48*.05 + Band .35*.19 + Special Equiment .32*.10
    assert party.preferences.model("party1").reservation == pytest.approx(0.50636)
    # party2.json: .52*.095 + .33*.228 + .3*.109 + .24*.214 + .64*.108 + .36*.246
    assert party.preferences.model("party2").reservation == pytest.approx(0.36638)
    bid = {"Food": "Catering", "Drinks": "Beer Only", "Location": "Party Room", "Invitations": "Photo",
           "Music": "DJ", "Cleanup": "Water and Soap"}  # fmt: skip
    expected = 0.25 * 0.19 + 0.98 * 0.28 + 0.99 * 0.19 + 0.74 * 0.05 + 0.99 * 0.19 + 0.65 * 0.10
    assert utility(party.preferences.model("party1"), party.case.issues, bid) == pytest.approx(expected)


@pytest.mark.parametrize("dialect", ["discreteutils", "DiscreteValueSetUtilities"])
def test_geniusweb_round_trip_in_both_dialects(dialect, tmp_path):
    first = import_geniusweb_folder(DOMAINS / "geniusweb" / "Party")
    paths = export_geniusweb(first.case, first.preferences, tmp_path, dialect)
    assert dialect in paths[1].read_text()
    again = import_geniusweb(paths[1:])
    _same_utilities(first, again)


def test_genius_profiles_export_to_geniusweb_and_back(genius, tmp_path):
    laptop = genius["Laptop"]
    paths = export_geniusweb(laptop.case, laptop.preferences, tmp_path)
    again = import_geniusweb(paths[1:])
    ta = utility_tables(laptop.case.issues, laptop.preferences.models)
    tb = utility_tables(again.case.issues, again.preferences.models)
    for x, y in zip(ta.tables, tb.tables, strict=True):
        np.testing.assert_allclose(x, y, atol=1e-12)

"""The GENIUS and GeniusWeb importers and exporters on the project's own domains (tests/fixtures/domains
and the example shipped in the package): sizes, utilities worked out by hand from the files, and
round trips that keep every utility. tests/shared_folder does the same on public benchmark domains.
"""

import itertools

import numpy as np
import pytest

from accord.casefile.genius import export_genius, import_genius, import_genius_folder
from accord.casefile.geniusweb import export_geniusweb, import_geniusweb, import_geniusweb_folder
from accord.prefs import utility, utility_tables
from domain_fixtures import CLUB, GOLDEN, JOB_OFFER, ORCHARD, PICNIC

GENIUS = {"orchard-lease": ORCHARD, "club-budget": CLUB, "job-offer": JOB_OFFER}


@pytest.fixture(scope="module")
def genius():
    return {name: import_genius_folder(folder) for name, folder in GENIUS.items()}


@pytest.mark.parametrize("name", list(GENIUS))
def test_issue_outcome_and_party_counts(genius, name):
    issues, outcomes, parties, *_ = GOLDEN[name]
    result = genius[name]
    assert len(result.case.issues) == issues
    assert utility_tables(result.case.issues, result.preferences.models).n_outcomes == outcomes
    assert len(result.preferences.models) == parties


def _u(result, party, bid_by_name):
    by_name = {i.name: i.id for i in result.case.issues}
    package = {by_name[name]: value for name, value in bid_by_name.items()}
    return utility(result.preferences.model(party), result.case.issues, package)


def test_orchard_by_hand(genius):
    orchard = genius["orchard-lease"]
    assert orchard.case.title == "Orchard lease" and orchard.preferences.parties == ("grower", "landowner")
    grower = orchard.preferences.model("grower")  # the template's agent names are the party ids
    assert (grower.reservation, grower.discount) == (0.25, 0.75)
    bid = {"Rent": "medium", "Term": "5 years", "Water rights": "shared"}
    # orchard_grower.xml: evaluations 5, 6, 4, each divided by its issue's maximum (8)
    assert _u(orchard, "grower", bid) == 0.5 * 5 / 8 + 0.25 * 6 / 8 + 0.25 * 4 / 8
    # orchard_landowner.xml: evaluations used as given; weights 1, 2, 1 normalised
    assert _u(orchard, "landowner", bid) == (1 * 0.5 + 2 * 0.75 + 1 * 0.75) / 4
    assert any("weights sum to 4" in note for note in orchard.notes)
    assert any("divided by each issue's maximum" in note for note in orchard.notes)


def test_a_template_without_agents_takes_every_profile_in_file_name_order(genius):
    club = genius["club-budget"]
    assert club.preferences.parties == ("club_captain", "club_coach", "club_treasurer")
    treasurer = club.preferences.model("club_treasurer")
    bid = {"Kit": "basic", "Travel": "train", "Training camp": "yes", "Social events": "two"}
    assert _u(club, "club_treasurer", bid) == pytest.approx(0.25 * 1.0 + 0.35 * 0.6 + 0.25 * 0.3 + 0.15 * 1.0)
    assert (treasurer.reservation, club.preferences.model("club_captain").reservation) == (0.2, 0.0)


def test_geniusweb_in_both_dialects_with_reservation_bids():
    picnic = import_geniusweb_folder(PICNIC)
    assert picnic.preferences.parties == (
        "alex",
        "sam",
    )  # alex: discreteutils; sam: DiscreteValueSetUtilities
    assert [len(i.options) for i in picnic.case.issues] == [3, 3, 2, 3]
    # alex.json's reservation bid: sandwiches .4 x .35 + garden .3 x .3 + noon .5 x .15 + speaker .6 x .2
    assert picnic.preferences.model("alex").reservation == pytest.approx(0.425)
    bid = {"Food": "barbecue", "Place": "beach", "Time": "evening", "Music": "guitar"}
    assert _u(picnic, "alex", bid) == pytest.approx(1.0)
    assert _u(picnic, "sam", bid) == pytest.approx(0.25 * 0.1 + 0.25 * 0.2 + 0.3 * 0.4 + 0.2 * 0.5)


def _same_utilities(a, b):
    ta = utility_tables(a.case.issues, a.preferences.models)
    tb = utility_tables(b.case.issues, b.preferences.models)
    assert ta.shape == tb.shape
    choices = np.array(list(itertools.product(*(range(n) for n in ta.shape))))
    np.testing.assert_allclose(ta.utilities(choices), tb.utilities(choices), atol=1e-12)
    for ma, mb in zip(a.preferences.models, b.preferences.models, strict=True):
        assert (ma.reservation, ma.discount) == pytest.approx((mb.reservation, mb.discount))


@pytest.mark.parametrize("name", list(GENIUS))
def test_genius_round_trip_keeps_every_utility(genius, name, tmp_path):
    first = genius[name]
    paths = export_genius(first.case, first.preferences, tmp_path)
    domain, profiles = paths[0], paths[1:]
    again = import_genius(domain, profiles, [m.label for m in first.preferences.models])
    assert [i.name for i in again.case.issues] == [i.name for i in first.case.issues]
    _same_utilities(first, again)


@pytest.mark.parametrize("dialect", ["discreteutils", "DiscreteValueSetUtilities"])
def test_geniusweb_round_trip_in_both_dialects(dialect, tmp_path):
    first = import_geniusweb_folder(PICNIC)
    paths = export_geniusweb(first.case, first.preferences, tmp_path, dialect)
    assert dialect in paths[1].read_text()
    _same_utilities(first, import_geniusweb(paths[1:]))


def test_genius_profiles_export_to_geniusweb_and_back(genius, tmp_path):
    orchard = genius["orchard-lease"]
    paths = export_geniusweb(orchard.case, orchard.preferences, tmp_path)
    again = import_geniusweb(paths[1:])
    ta = utility_tables(orchard.case.issues, orchard.preferences.models)
    tb = utility_tables(again.case.issues, again.preferences.models)
    for x, y in zip(ta.tables, tb.tables, strict=True):
        np.testing.assert_allclose(x, y, atol=1e-12)

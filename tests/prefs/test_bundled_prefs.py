"""The bundled illustrative preference files: valid against their cases, labelled as assumptions,
and consistent with the facts their rationales cite."""

from importlib.resources import files

import pytest

from accord.casefile import resolve_case
from accord.casefile.prefsfile import loads_preferences
from accord.model import ProvisionIssue
from accord.prefs import (
    coalition_accepts,
    contract_cost,
    disagreement_value,
    raise_costs,
    utility,
    utility_tables,
)

CASES = files("accord") / "data" / "cases"
EIGHT = ["disney", "wbd", "nbcu", "paramount", "sony", "netflix", "amazon", "apple"]


def _case(name):
    return resolve_case(name)


def _prefs(name, case):
    path = CASES / f"{name}.prefs.yaml"
    return loads_preferences(path.read_text(encoding="utf-8"), str(path), case)


@pytest.fixture(scope="module")
def wga():
    case = _case("wga-amptp-2023")
    return case, _prefs("wga-amptp-2023", case)


@pytest.fixture(scope="module")
def sag():
    case = _case("sag-aftra-amptp-2023")
    return case, _prefs("sag-aftra-amptp-2023", case)


def _package(case, record_id):
    record = case.record(record_id)
    positions = getattr(record, "positions", None) or record.terms
    return {issue: p.value for issue, p in positions.items() if p.value is not None}


@pytest.mark.parametrize(("fixture", "union"), [("wga", "wga"), ("sag", "sag-aftra")])
def test_one_assumed_model_per_side_and_member(request, fixture, union):
    case, prefs = request.getfixturevalue(fixture)
    assert set(prefs.parties) == {union, "amptp", *EIGHT}
    for model in prefs.models:
        assert model.assumption and "(assumed)" in model.label and len(model.rationale) > 80
        assert set(model.weights) == {issue.id for issue in case.issues}  # every issue valued
    tables = utility_tables(case.issues, prefs.models)  # every value function fits its issue
    assert tables.parties == prefs.parties


def test_provision_issues_fit_the_tabulation_limit(wga):
    case, _ = wga
    assert max(len(i.provisions) for i in case.issues if isinstance(i, ProvisionIssue)) <= 12


def test_wga_shares_are_the_guilds_per_company_table(wga):
    _, prefs = wga
    # facts §4: Disney $75M, Netflix $68M, WBD $47M, Paramount $45M, NBCU $34M, Amazon $32M,
    # Sony $25M, Apple $17M; total $343M
    shares = prefs.costing.shares
    assert shares == {
        "disney": 75,
        "netflix": 68,
        "wbd": 47,
        "paramount": 45,
        "nbcu": 34,
        "amazon": 32,
        "sony": 25,
        "apple": 17,
    }
    assert sum(shares.values()) == 343


def test_wga_costing_base_reproduces_its_derivation(wga):
    case, prefs = wga
    base = prefs.costing.items[0].base
    # 48% of the ~$86M a year AMPTP May 1 offer came from minimums (4/3/2): ~$41.3M a year
    assert raise_costs(base, [4, 3, 2], 3).mean() == pytest.approx(0.48 * 86e6, rel=0.01)
    # the costs of the three offers on minimums rank as their compounded rates
    totals = {r: contract_cost(prefs.costing, case.issues, {"min_pay": r}).total for r in (9.3, 13.0, 16.9)}
    assert totals[9.3] < totals[13.0] < totals[16.9]
    # Disney's share of the TA's cost is 75/343 of it
    cost = contract_cost(prefs.costing, case.issues, _package(case, "wga-ta-2023-09-24"))
    assert cost.by_party["disney"] == pytest.approx(cost.total * 75 / 343)


def test_wga_models_fit_the_record(wga):
    case, prefs = wga
    guild = prefs.model("wga")
    # the guild struck on May 2: the AMPTP's May 1 package is below its walk-away point
    assert utility(guild, case.issues, _package(case, "amptp-2023-05-01")) < guild.reservation
    # and the Sept 24 agreement (strike day 146) beats striking on
    ta = _package(case, "wga-ta-2023-09-24")
    assert utility(guild, case.issues, ta) > disagreement_value(guild, days=146)
    # every member prefers the agreement to striking on by day 146, so the AMPTP's unanimity rule
    # accepts it; at the start of the strike the members would have blocked it, the streamer and
    # tech members among them (the walk-away points are fitted: bench/calibrate_prefs.py)
    amptp = case.party("amptp")
    u = [utility(prefs.model(m), case.issues, ta) for m in amptp.members]
    late = coalition_accepts(
        amptp.rule, amptp.members, u, [disagreement_value(prefs.model(m), days=146) for m in amptp.members]
    )
    early = coalition_accepts(
        amptp.rule, amptp.members, u, [prefs.model(m).reservation for m in amptp.members]
    )
    assert late.accepted.tolist() == [True]
    assert early.accepted.tolist() == [False]
    assert {m for m, b in zip(amptp.members, early.blockers[0], strict=True) if b} >= {
        "netflix",
        "amazon",
        "apple",
    }
    # the streamer with no time pressure loses least per day; WBD (the EBITDA hit) most
    daily = {m: prefs.model(m).daily_cost for m in EIGHT}
    assert min(daily, key=daily.get) == "netflix" and max(daily, key=daily.get) == "wbd"


def test_sag_models_fit_the_record(sag):
    case, prefs = sag
    union = prefs.model("sag-aftra")
    assert utility(union, case.issues, _package(case, "amptp-2023-07-12")) < union.reservation
    ta = _package(case, "sag-aftra-ta-2023-11-08")
    assert utility(union, case.issues, ta) > disagreement_value(union, days=117)
    # Netflix dislikes a revenue share most ("a bridge too far", §5)
    shares = {m: prefs.model(m).values["streaming"].values["revenue_share"] for m in EIGHT}
    assert min(shares, key=shares.get) == "netflix"

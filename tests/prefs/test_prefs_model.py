import pytest
from pydantic import ValidationError

from accord.model import Case, PreferenceModel, PreferenceSet, preference_problems


def _case():
    return Case(
        id="c",
        title="t",
        parties=[
            {"id": "wga", "name": "WGA", "kind": "union"},
            {"id": "amptp", "name": "AMPTP", "kind": "coalition", "members": ["netflix", "sony"]},
            {"id": "netflix", "name": "Netflix", "kind": "employer"},
            {"id": "sony", "name": "Sony", "kind": "employer"},
            {"id": "fmcs", "name": "FMCS", "kind": "mediator"},
        ],
        issues=[
            {"type": "numeric", "id": "pay", "name": "Pay", "unit": "%", "low": 0, "high": 8, "step": 0.5},
            {"type": "ordinal", "id": "staffing", "name": "Staffing", "options": ["none", "some", "full"]},
            {"type": "provisions", "id": "ai", "name": "AI", "provisions": [{"id": "ban", "name": "Ban"}]},
        ],
        sources=[{"id": "S9"}],
    )


def _model(**changes):
    base = {
        "party": "wga",
        "label": "WGA",
        "weights": {"pay": 2, "staffing": 1, "ai": 1},
        "values": {
            "pay": {"kind": "linear", "direction": "higher"},
            "staffing": {"kind": "options", "scores": {"none": 0, "some": 0.5, "full": 1}},
            "ai": {"kind": "provisions", "values": {"ban": 1}},
        },
    }
    return base | changes


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weights": {"pay": 0, "staffing": 0, "ai": 0}}, "all weights are 0"),
        ({"weights": {"pay": 1}}, r"issue\(s\) \['ai', 'staffing'\] have a value function but no weight"),
        ({"weights": {"pay": 1, "staffing": 1, "ai": 1, "x": 1}}, r"\['x'\] have a weight but no value"),
        ({"reservation": 1.5}, "less than or equal to 1"),
        ({"weights": {"pay": -1, "staffing": 1, "ai": 1}}, "greater than or equal to 0"),
        ({"assumption": True}, "must give its rationale"),
        ({"visibility": "shared"}, "needs 'shared_with'"),
        ({"shared_with": ["fmcs"]}, "only for visibility 'shared'"),
        ({"discount": 0}, "greater than 0"),
    ],
)
def test_model_rejects_inconsistent_values(changes, message):
    with pytest.raises(ValidationError, match=message):
        PreferenceModel(**_model(**changes))


def test_piecewise_points_must_increase():
    values = _model()["values"] | {"pay": {"kind": "piecewise", "points": [[3, 0.2], [1, 1]]}}
    with pytest.raises(ValidationError, match="strictly increasing 'at'"):
        PreferenceModel(**_model(values=values))


def test_visibility():
    shared = PreferenceModel(**_model(visibility="shared", shared_with=["fmcs"]))
    assert shared.is_visible_to("fmcs") and shared.is_visible_to("wga")
    assert not shared.is_visible_to("amptp")
    assert not PreferenceModel(**_model()).is_visible_to("fmcs")


def test_one_model_per_party():
    with pytest.raises(ValidationError, match=r"more than one model for party \['wga'\]"):
        PreferenceSet(case="c", models=[_model(), _model()])
    prefs = PreferenceSet(case="c", models=[_model()])
    with pytest.raises(KeyError, match="models exist for"):
        prefs.model("sony")


def test_preference_problems_lists_every_mismatch_with_its_path():
    values = _model()["values"] | {
        "staffing": {"kind": "options", "scores": {"none": 0, "big": 1}},
        "ai": {"kind": "provisions", "values": {"ban": 1, "train": 1}},
    }
    bad = PreferenceModel(
        **_model(
            party="ghost",
            values=values | {"x": {"kind": "linear"}},
            weights={"pay": 1, "staffing": 1, "ai": 1, "x": 1},
            sources=["S9", "S404"],
            visibility="shared",
            shared_with=["nobody"],
        )
    )
    wrong_kind = PreferenceModel(
        **_model(party="sony", values=_model()["values"] | {"pay": {"kind": "options", "scores": {"a": 1}}})
    )
    prefs = PreferenceSet(
        case="other",
        models=[bad, wrong_kind],
        costing={
            "term_years": 3,
            "items": [
                {"kind": "raises", "issue": "staffing", "base": 1, "patterns": {"none": [1], "huge": [2]}}
            ],
            "shares": {"netflix": 68, "warner": 47},
        },
    )
    problems = [str(p) for p in preference_problems(prefs, _case())]
    assert problems == [
        "case: preferences are for case 'other', not 'c'",
        "models[0].party: unknown party 'ghost'; expected one of ['amptp', 'fmcs', 'netflix', 'sony', 'wga']",
        "models[0].shared_with[0]: unknown party 'nobody'; expected one of ['amptp', 'fmcs', 'netflix', 'sony', 'wga']",
        "models[0].sources[1]: unknown source 'S404'",
        "models[0].values.staffing.scores.big: unknown option 'big' of 'staffing'; expected one of ['none', 'some', 'full']",
        "models[0].values.staffing.scores: no score for option(s) ['some', 'full'] of 'staffing'",
        "models[0].values.ai.values.train: unknown provision 'train' of 'ai'; expected one of ['ban']",
        "models[0].weights.x: unknown issue 'x'; expected one of ['ai', 'pay', 'staffing']",
        "models[1].values.pay.kind: issue 'pay' is numeric; expected kind 'linear', 'piecewise' or 'steps'",
        "costing.shares.warner: unknown party 'warner'",
        "costing.items[0].patterns.huge: unknown option 'huge'",
        "costing.items[0].patterns: no raises for option(s) ['some', 'full']",
    ]


def test_a_fitting_set_has_no_problems():
    prefs = PreferenceSet(case="c", models=[_model(sources=["S9"])])
    assert preference_problems(prefs, _case()) == []

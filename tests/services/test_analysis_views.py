"""The operator's loading of preference models, and the analysis over what each caller may see,
on SQLite and PostgreSQL."""

import pytest

from accord.analysis.solutions import CONCEPTS
from accord.model import PreferenceModel
from accord.services import Forbidden, Invalid, NotFound, PrivateKind, Services
from server_support import preference_data, preferences

MEDIATORS = ("preferences", "mediators")


def _load_all(services: Services, case_id: str) -> None:
    """Each side shares its model with the mediators; each member of the AMPTP with the mediators
    and with the AMPTP's own team."""
    for party in ("wga", "amptp"):
        services.private.load_preferences(case_id, preferences(party), {MEDIATORS})
    for member in ("netflix", "sony"):
        services.private.load_preferences(case_id, preferences(member), {MEDIATORS, ("preferences", "amptp")})


def test_the_operator_loads_a_members_model_as_the_members_own(services: Services, world):
    item = services.private.load_preferences(
        world.case_id, preferences("netflix"), {MEDIATORS, ("preferences", "amptp")}
    )
    assert (item.party, item.version, item.updated_by) == ("netflix", 1, None)
    for reader in (world.netflix, world.amptp, world.mediator):
        got = services.private.get(reader, world.case_id, "netflix", PrivateKind.PREFERENCES)
        assert PreferenceModel.model_validate(got.payload) == preferences("netflix")
    for outsider in (world.wga, world.sony, world.observer, world.admin):  # not the other members either
        with pytest.raises(Forbidden):
            services.private.get(outsider, world.case_id, "netflix", PrivateKind.PREFERENCES)
    again = services.private.load_preferences(world.case_id, preferences("netflix", 3.0), {MEDIATORS})
    assert again.version == 2
    with pytest.raises(Forbidden):  # the new shares replace the old ones
        services.private.get(world.amptp, world.case_id, "netflix", PrivateKind.PREFERENCES)
    log = services.audit.entries(None, case_id=world.case_id).items
    assert [e.action for e in log if e.target == "netflix/current"][:2] == ["preferences.load"] * 2


def test_a_bad_grant_or_model_loads_nothing(services: Services, world):
    with pytest.raises(Invalid) as caught:
        services.private.load_preferences(world.case_id, preferences("sony"), {("preferences", "nobody")})
    assert caught.value.problems[0].field == "[0].grantee"
    bad = PreferenceModel.model_validate(
        {
            **preference_data("sony"),
            "weights": {"pay": 1, "perks": 1},
            "values": {
                "pay": {"kind": "linear", "direction": "lower"},
                "perks": {"kind": "linear", "direction": "lower"},
            },
        }
    )
    with pytest.raises(Invalid) as caught:
        services.private.load_preferences(world.case_id, bad, {MEDIATORS})
    assert "perks" in str(caught.value)
    with pytest.raises(NotFound):
        services.private.get(world.sony, world.case_id, "sony", PrivateKind.PREFERENCES)
    with pytest.raises(NotFound):
        services.private.load_preferences("no-such-case", preferences("sony"), {MEDIATORS})


def test_the_analysis_runs_on_the_models_the_caller_may_see(services: Services, world):
    _load_all(services, world.case_id)
    analyses = services.analysis_views
    mediator = analyses.analysis(world.mediator, world.case_id)
    assert [m.party for m in mediator.models] == ["wga", "amptp", "netflix", "sony"]
    assert mediator.result is not None and mediator.note is None
    assert mediator.result.coalition is not None and mediator.result.coalition.members == ("netflix", "sony")
    assert mediator.result.frontier.size > 0 and len(mediator.result.solutions) == 2 * len(CONCEPTS)
    union = analyses.analysis(world.wga, world.case_id)
    assert [m.party for m in union.models] == ["wga"] and union.result is None
    assert "need both sides' preferences" in (union.note or "")
    studios = analyses.analysis(world.amptp, world.case_id)
    assert [m.party for m in studios.models] == ["amptp", "netflix", "sony"] and studios.result is None
    assert analyses.analysis(world.observer, world.case_id).models == ()


def test_a_partys_analysis_is_refused_to_whom_may_not_see_its_model(services: Services, world):
    _load_all(services, world.case_id)
    analyses = services.analysis_views
    own = analyses.of_party(world.wga, world.case_id, "wga")
    assert own.item is not None and own.model("wga") == preferences("wga")
    assert analyses.of_party(world.amptp, world.case_id, "sony").item is not None
    with pytest.raises(Forbidden):
        analyses.of_party(world.amptp, world.case_id, "wga")
    with pytest.raises(Forbidden):
        analyses.of_party(world.wga, world.case_id, "netflix")
    with pytest.raises(NotFound):
        analyses.of_party(world.outsider, world.case_id, "wga")

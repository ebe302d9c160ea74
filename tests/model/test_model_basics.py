import pytest
from pydantic import ValidationError

from accord.model import Case, CaseInvalid, NumericIssue, ProvisionIssue


def _parties():
    return [
        {"id": "wga", "name": "Writers Guild of America", "kind": "union"},
        {"id": "amptp", "name": "AMPTP", "kind": "coalition", "members": ["netflix", "sony"]},
        {"id": "netflix", "name": "Netflix", "kind": "employer"},
        {"id": "sony", "name": "Sony", "kind": "employer"},
    ]


def test_numeric_issue_levels_include_both_ends():
    issue = NumericIssue(id="pay", name="Pay", unit="%", low=0, high=1, step=0.3)
    assert issue.levels == (0.0, 0.3, 0.6, 0.9, 1.0)


def test_provision_values_are_sets_and_unknown_provisions_are_named():
    issue = ProvisionIssue(
        id="ai", name="AI", provisions=[{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]
    )
    assert issue.value_error(frozenset({"a"})) is None
    assert "unknown provision(s) ['z']" in (issue.value_error(frozenset({"z"})) or "")
    assert issue.distance(frozenset({"a"}), frozenset({"a", "b"})) == 0.5


def test_case_rejects_every_broken_reference_at_once():
    with pytest.raises(CaseInvalid) as info:
        Case(
            id="c",
            title="t",
            parties=_parties(),
            proposals=[
                {"id": "p", "date": "2023-05-01", "from": "wga", "to": "nobody", "answers": ["ghost"]}
            ],
        )
    paths = [p.where for p in info.value.problems]
    assert paths == ["proposals[0].to", "proposals[0].answers[0]"]


def test_members_are_only_for_coalitions():
    with pytest.raises(ValidationError, match="only a coalition has members"):
        Case(id="c", title="t", parties=[{"id": "w", "name": "W", "kind": "union", "members": ["x"]}])

"""Hypothesis generators of issues and preference models (shared by the prefs tests)."""

from __future__ import annotations

from hypothesis import strategies as st

from accord.model import (
    CategoricalIssue,
    Direction,
    Issue,
    NumericIssue,
    OrdinalIssue,
    PreferenceModel,
    ProvisionIssue,
)

unit = st.floats(0.0, 1.0, allow_nan=False)


@st.composite
def issues(draw: st.DrawFn, index: int) -> Issue:
    kind = draw(st.sampled_from(["numeric", "ordinal", "categorical", "provisions"]))
    issue_id = f"i{index}"
    if kind == "numeric":
        low = draw(st.integers(-5, 5))
        span = draw(st.integers(1, 6))
        step = draw(st.sampled_from([0.5, 1.0, 2.0]))
        return NumericIssue(id=issue_id, name=issue_id, unit="u", low=low, high=low + span, step=step)
    if kind == "provisions":
        count = draw(st.integers(1, 4))
        provisions = [{"id": f"p{k}", "name": f"P{k}"} for k in range(count)]
        return ProvisionIssue(id=issue_id, name=issue_id, provisions=provisions)
    count = draw(st.integers(1, 5))
    options = [f"o{k}" for k in range(count)]
    cls = OrdinalIssue if kind == "ordinal" else CategoricalIssue
    return cls(id=issue_id, name=issue_id, options=options)


@st.composite
def value_function(draw: st.DrawFn, issue: Issue) -> dict[str, object]:
    if isinstance(issue, NumericIssue):
        kind = draw(st.sampled_from(["linear", "piecewise", "steps"]))
        if kind == "linear":
            return {"kind": "linear", "direction": draw(st.sampled_from(list(Direction))).value}
        ats = sorted(
            draw(st.sets(st.integers(int(issue.low) - 2, int(issue.high) + 2), min_size=2, max_size=5))
        )
        points = [[at, draw(unit)] for at in ats]
        if kind == "piecewise":
            return {"kind": "piecewise", "points": points}
        return {"kind": "steps", "below": draw(unit), "steps": points}
    if isinstance(issue, ProvisionIssue):
        values = {p: draw(st.floats(-3, 3, allow_nan=False)) for p in issue.provision_ids}
        return {"kind": "provisions", "values": values}
    assert isinstance(issue, (OrdinalIssue, CategoricalIssue))
    return {"kind": "options", "scores": {o: draw(unit) for o in issue.options}}


@st.composite
def domains(
    draw: st.DrawFn, max_issues: int = 4, max_parties: int = 3
) -> tuple[list[Issue], list[PreferenceModel]]:
    """A few random issues and a few random models over them (some issues unweighted)."""
    space = [draw(issues(k)) for k in range(draw(st.integers(1, max_issues)))]
    models = []
    for j in range(draw(st.integers(1, max_parties))):
        weights = {issue.id: draw(st.floats(0, 5, allow_nan=False)) for issue in space}
        if not any(w > 0 for w in weights.values()):
            weights[space[0].id] = 1.0
        values = {issue.id: draw(value_function(issue)) for issue in space}
        models.append(PreferenceModel(party=f"p{j}", label=f"P{j}", weights=weights, values=values))
    return space, models

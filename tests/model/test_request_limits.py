"""The limits on what a request may cost (:mod:`accord.model.request_limits`): documented where the docs
say, counted without listing what they count, and refusing nothing real."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord.casefile import bundled_case, bundled_case_names
from accord.cli.app import app
from accord.model import NumericIssue, OrdinalIssue, ProvisionIssue, request_limits
from accord.prefs import issue_options

ROOT = Path(__file__).resolve().parents[2]
TEAM_SERVER = ROOT / "docs" / "team-server.md"


def test_the_team_server_docs_list_every_limit_with_its_value() -> None:
    text = TEAM_SERVER.read_text(encoding="utf-8")
    section = text[text.index("## 7. Limits") :]
    assert request_limits.limits_markdown() in section, (
        "docs/team-server.md's Limits table is out of date; paste the output of "
        "python -c 'from accord.model.request_limits import limits_markdown; print(limits_markdown())'"
    )
    names = {limit.name for limit in request_limits.LIMITS}
    assert len(names) == len(request_limits.LIMITS)
    constants = {
        value for name, value in vars(request_limits).items() if name.isupper() and isinstance(value, int)
    } - {request_limits.LOGIN_WINDOW_MINUTES}
    assert constants == {limit.value for limit in request_limits.LIMITS}  # no limit left out of the table


@settings(max_examples=200, deadline=None)
@given(
    low=st.integers(-1000, 1000).map(lambda x: x / 4),
    span=st.integers(1, 400).map(lambda x: x / 4),
    step=st.sampled_from([0.1, 0.25, 0.3, 0.5, 1.0, 1.5, 2.0, 3.0, 7.0]),
)
def test_a_numeric_issue_counts_the_levels_it_would_list(low: float, span: float, step: float) -> None:
    issue = NumericIssue(id="x", name="X", unit="u", low=low, high=low + span, step=step)
    assert request_limits.option_count(issue) == len(issue.levels)


def test_other_issues_count_their_options() -> None:
    ordinal = OrdinalIssue(id="o", name="O", options=("low", "mid", "high"))
    provisions = ProvisionIssue(
        id="p", name="P", provisions=[{"id": f"p{i}", "name": f"P{i}"} for i in range(5)]
    )
    for issue in (ordinal, provisions):
        assert request_limits.option_count(issue) == len(issue_options(issue))


def test_the_bundled_cases_are_within_every_limit() -> None:
    for name in bundled_case_names():
        assert request_limits.analysis_problem(bundled_case(name).issues) is None, name


def test_a_space_too_large_to_analyse_is_named_at_once_without_listing_it() -> None:
    huge = NumericIssue(id="wide", name="Wide", unit="$", low=0, high=1e300, step=1e-300)
    tracemalloc.start()
    start = time.perf_counter()
    try:
        found = request_limits.analysis_problem([huge])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found is not None and found.startswith("the issues span inf options together")
    assert time.perf_counter() - start < 0.1 and peak < 10_000
    many = [
        NumericIssue(id=f"i{k}", name="I", unit="u", low=0, high=1)
        for k in range(request_limits.ANALYSIS_ISSUES + 1)
    ]
    assert request_limits.analysis_problem(many) == "the case has 21 issues; an analysis handles at most 20"
    assert request_limits.analysis_problem(many[:-1]) is None  # 20 issues of 2 levels: 40 options


@pytest.mark.parametrize("command", ["validate", "import"])
def test_a_case_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path, command: str) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as file:  # sparse: no disk is spent on it
        file.truncate(request_limits.CASE_FILE_BYTES + 1)
    extra = ["--database-url", f"sqlite:///{tmp_path / 'db.sqlite'}"] if command == "import" else []
    if command == "import":
        assert CliRunner().invoke(app, ["db", "upgrade", *extra]).exit_code == 0
    start = time.perf_counter()
    result = CliRunner().invoke(app, [command, str(path), *extra])
    assert time.perf_counter() - start < 1.0
    assert result.exit_code == 2, result.output
    message = f"the file is {request_limits.CASE_FILE_BYTES + 1:,} bytes; a case file may be at most {request_limits.CASE_FILE_BYTES:,}"
    assert message in result.output and "Traceback" not in result.output

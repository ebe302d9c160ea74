"""The bundled cases load, validate and keep their sourcing discipline (that their sources are those of
the facts file they were built from: tests/shared_folder/test_shared_facts_sources.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bundled_cases import CASE_NAMES, bundled_text

from accord.model import (
    Case,
    Confidence,
    NumericIssue,
    Proposal,
    Statement,
    TentativeAgreement,
    Vote,
    VoteSubject,
)

AMPTP_EIGHT = ("disney", "wbd", "nbcu", "paramount", "sony", "netflix", "amazon", "apple")


def _keys(node: Any) -> Iterator[object]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from _keys(item)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case_file_loads_validates_and_is_named_by_its_id(name: str, cases: dict[str, Case]) -> None:
    case = cases[name]
    assert case.id == name
    assert case.proposals and case.events and case.estimates


@pytest.mark.parametrize("name", CASE_NAMES)
def test_yaml_11_booleans_and_sexagesimals_do_not_leak_in(name: str) -> None:
    # Bare `yes:`/`no:` keys become True/False and bare 00:01 becomes 1 under YAML 1.1.
    raw = yaml.safe_load(bundled_text(name))
    assert all(isinstance(key, str) for key in _keys(raw))
    for event in raw["events"]:
        assert "time" not in event or isinstance(event["time"], str), event["id"]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_round_trip_through_the_models_own_shape(name: str, cases: dict[str, Case]) -> None:
    case = cases[name]
    dumped = case.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert Case.model_validate(dumped) == case


@pytest.mark.parametrize("name", CASE_NAMES)
def test_every_record_cites_a_source_unless_uncertain(name: str, cases: dict[str, Case]) -> None:
    case = cases[name]
    unsourced = [r.id for r in case.records() if not r.sources and r.confidence is not Confidence.C]
    unsourced += [e.id for e in case.estimates if not e.sources and e.confidence is not Confidence.C]
    assert unsourced == []


@pytest.mark.parametrize("name", CASE_NAMES)
def test_every_source_is_cited_and_has_an_address_or_a_note(name: str, cases: dict[str, Case]) -> None:
    case = cases[name]
    cited: set[str] = set()
    for item in (*case.parties, *case.issues, *case.records(), *case.estimates):
        cited.update(item.sources)
    assert {s.id for s in case.sources} == cited
    assert all(s.url or s.note for s in case.sources)


def test_amptp_is_the_coalition_of_the_eight_deciding_by_unanimity(cases: dict[str, Case]) -> None:
    for case in cases.values():
        amptp = case.party("amptp")
        assert amptp.is_coalition and amptp.members == AMPTP_EIGHT
        assert amptp.rule.kind == "unanimity"
        assert '"perhaps"' in (amptp.description or "") and "conf C" in (amptp.description or "")
        kinds = {case.party(m).kind for m in AMPTP_EIGHT}
        assert kinds == {"employer"}
    assert _member_types(cases["wga-amptp-2023"]) == {
        "disney": "legacy studio",
        "wbd": "legacy studio",
        "nbcu": "legacy studio",
        "paramount": "legacy studio",
        "sony": "legacy studio",
        "netflix": "streamer",
        "amazon": "tech",
        "apple": "tech",
    }


def _member_types(case: Case) -> dict[str, str]:
    found = {}
    for member in AMPTP_EIGHT:
        description = (case.party(member).description or "").lower()
        found[member] = next(t for t in ("legacy studio", "streamer", "tech") if t in description)
    return found


@pytest.mark.parametrize("name", CASE_NAMES)
def test_proposal_ids_name_their_party_and_date(name: str, cases: dict[str, Case]) -> None:
    for proposal in cases[name].proposals:
        assert proposal.id == f"{proposal.from_party}-{proposal.date.isoformat()}"


@pytest.mark.parametrize("name", CASE_NAMES)
def test_counter_proposals_answer_the_other_sides_earlier_proposals(
    name: str, cases: dict[str, Case]
) -> None:
    case = cases[name]
    for proposal in case.proposals:
        for answered in proposal.answers:
            target = case.proposal(answered)
            assert target.from_party == proposal.to_party and target.to_party == proposal.from_party
            assert target.date <= proposal.date


@pytest.mark.parametrize("name", CASE_NAMES)
def test_numeric_issues_have_opposed_directions_for_union_and_coalition(
    name: str, cases: dict[str, Case]
) -> None:
    case = cases[name]
    union = "wga" if name.startswith("wga") else "sag-aftra"
    for issue in case.issues:
        if isinstance(issue, NumericIssue):
            assert issue.directions == {union: "higher", "amptp": "lower"}, issue.id
            assert issue.description


@pytest.mark.parametrize("name", CASE_NAMES)
def test_disputing_statements_come_from_the_other_side(name: str, cases: dict[str, Case]) -> None:
    case = cases[name]
    statements = {e.id: e for e in case.events if isinstance(e, Statement)}
    disputing = [s for s in statements.values() if s.disputes]
    assert len(disputing) >= 6
    for statement in disputing:
        target = statements[statement.disputes or ""]
        assert target.party != statement.party
        assert target.date <= statement.date or target.disputes == statement.id
        # Where both sides claim whose move it is, they name each other.
        if statement.turn_of and target.turn_of:
            assert statement.turn_of != target.turn_of


@pytest.mark.parametrize("name", CASE_NAMES)
def test_whole_contract_agreement_sets_terms_on_every_issue_and_is_voted_on(
    name: str, cases: dict[str, Case]
) -> None:
    case = cases[name]
    (ta,) = [e for e in case.events if isinstance(e, TentativeAgreement)]
    assert ta.is_whole_contract
    assert set(ta.terms) == {issue.id for issue in case.issues}
    assert all(position.has_value for position in ta.terms.values())
    votes = [e for e in case.events if isinstance(e, Vote) and e.agreement == ta.id]
    assert [v.subject for v in votes] == [VoteSubject.BOARD_APPROVAL, VoteSubject.RATIFICATION]
    assert ta.date < votes[0].date < votes[1].date
    assert all(v.passed for v in votes)


def test_uncertain_facts_stay_marked_uncertain(wga: Case) -> None:
    for offer in ("amptp-2023-08-17", "amptp-2023-08-18"):
        proposal = wga.proposal(offer)
        assert proposal.confidence is Confidence.A  # the offers exist ...
        assert proposal.positions
        for position in proposal.positions.values():  # ... their content is not public
            assert position.value is None and position.text
            assert position.confidence is Confidence.C
    timeline = wga.record("milestone-2023-09-08-timeline-of-proposals")
    assert timeline.confidence is Confidence.C and not timeline.sources
    assert wga.proposal("amptp-2023-08-11").positions["staffing"].confidence is Confidence.C
    assert wga.proposal("wga-2023-08-15").positions["staffing"].confidence is Confidence.B
    tweet = wga.record("statement-wga-east-2023-05-15-tweet")
    clarification = wga.record("statement-wga-2023-05-16-clarification")
    assert clarification.supersedes == tweet.id


@pytest.mark.parametrize("name", CASE_NAMES)
def test_position_texts_keep_the_sources_wording(name: str, cases: dict[str, Case]) -> None:
    for proposal in cases[name].proposals:
        assert isinstance(proposal, Proposal)
        for issue_id, position in proposal.positions.items():
            assert position.text and not re.fullmatch(r"\s*", position.text), (proposal.id, issue_id)


def test_docs_table_of_cases_matches_the_files(cases: dict[str, Case]) -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "cases.md").read_text(encoding="utf-8")
    for name, case in cases.items():
        (row,) = re.findall(rf"^\| `{name}` \|.*$", docs, flags=re.MULTILINE)
        counts = dict((kind, int(n)) for n, kind in re.findall(r"(\d+) (\w+)", row))
        assert counts == {
            "parties": len(case.parties),
            "issues": len(case.issues),
            "proposals": len(case.proposals),
            "events": len(case.events),
            "estimates": len(case.estimates),
            "sources": len(case.sources),
        }

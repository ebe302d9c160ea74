"""Bad case files: every kind of problem is reported at its line, column and field, and nothing loads.

Each test edits a line or two of ``MINI`` (line numbers in the comments), so the expected line
of each problem can be checked by reading.
"""

from __future__ import annotations

import textwrap

import pytest

from accord.casefile import CaseFileError, FileProblem, loads_case

MINI = textwrap.dedent(
    """\
    id: mini
    title: Mini case
    parties:
      - id: wga
        name: WGA
        kind: union
      - id: amptp
        name: AMPTP
        kind: coalition
        members: [netflix]
      - id: netflix
        name: Netflix
        kind: employer
    issues:
      - id: pay
        type: numeric
        name: Pay
        unit: "%"
        low: 0
        high: 10
      - id: staffing
        type: ordinal
        name: Staffing
        options: [none, some, scaled]
      - id: ai
        type: provisions
        name: AI
        provisions: [{id: consent, name: Consent}]
    proposals:
      - id: p1
        date: 2023-03-20
        from: wga
        to: amptp
        positions:
          pay: 6
          staffing: scaled
    events:
      - id: strike-start
        kind: stoppage_started
        date: 2023-05-02
        stoppage: wga-strike
        by: wga
        against: amptp
    """
)
# Line numbers of MINI used below.
PARTY_WGA_NAME = 5
ISSUE_PAY_HIGH = 20
STAFFING_OPTIONS = 24
PROPOSAL_ID = 30
PROPOSAL_DATE = 31
PROPOSAL_TO = 33
POSITION_PAY = 35
POSITION_STAFFING = 36
EVENT_KIND = 39
LAST_LINE = 43


def edit(replacements: dict[int, str] | None = None, append: str = "") -> str:
    """MINI with whole lines replaced (1-based numbers; text keeps its own indentation) and text
    appended at the end."""
    lines = MINI.splitlines()
    for number, text in (replacements or {}).items():
        lines[number - 1] = text
    return "\n".join(lines) + "\n" + append


def problems_of(text: str, fmt: str = "yaml") -> list[FileProblem]:
    with pytest.raises(CaseFileError) as info:
        loads_case(text, "mini.yaml", fmt)  # type: ignore[arg-type]
    error = info.value
    assert error.file == "mini.yaml"
    assert error.problems
    return list(error.problems)


def only_problem(text: str, fmt: str = "yaml") -> FileProblem:
    problems = problems_of(text, fmt)
    assert len(problems) == 1, problems
    return problems[0]


def test_the_unedited_case_is_valid():
    case = loads_case(edit())
    assert [p.id for p in case.parties] == ["wga", "amptp", "netflix"]
    assert case.proposals[0].positions["pay"].value == 6


def test_yaml_syntax_error_has_its_line_and_column():
    problem = only_problem(edit({PARTY_WGA_NAME: "    name: [WGA"}))
    assert problem.line == PARTY_WGA_NAME + 1
    assert problem.message.startswith("YAML syntax error: ")
    assert problem.column is not None


def test_tab_indentation_says_to_use_spaces():
    problem = only_problem(edit({PARTY_WGA_NAME: "\tname: WGA"}))
    assert (problem.line, problem.column) == (PARTY_WGA_NAME, 1)
    assert "indent with spaces, not tabs" in problem.message


def test_json_syntax_error_uses_json_line_and_column():
    problem = only_problem('{\n  "id": "x",\n  "title": \n}\n', "json")
    assert (problem.line, problem.column) == (4, 1)
    assert problem.message == "JSON syntax error: Expecting value"


@pytest.mark.parametrize(
    ("text", "what"),
    [("- id: a\n- id: b\n", "got a list"), ("just text\n", "got a single value ('just text')")],
)
def test_top_level_must_be_a_mapping(text, what):
    problem = only_problem(text)
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message.startswith("expected a mapping of case fields")
    assert what in problem.message


def test_empty_file_is_an_error():
    problem = only_problem("# nothing but a comment\n")
    assert problem.message == "the file is empty; expected a case"


def test_duplicate_key_in_a_mapping_is_found_with_both_lines():
    problem = only_problem(edit(append="title: Another title\n"))
    assert (problem.line, problem.column) == (LAST_LINE + 1, 1)
    assert problem.field == "title"
    assert "duplicate key 'title' (first at line 2)" in problem.message


def test_duplicate_key_in_json_is_found():
    problem = only_problem('{"id": "x",\n "parties": [{"id": "a",\n   "id": "b"}]}\n', "json")
    assert (problem.line, problem.field) == (3, "parties[0].id")
    assert "duplicate key 'id' (first at line 2)" in problem.message


def test_missing_field_points_at_its_mapping():
    problem = only_problem(edit({PARTY_WGA_NAME: "    short_name: WGA"}))
    assert problem.line == PARTY_WGA_NAME - 1  # the party's first line: "- id: wga"
    assert problem.field == "parties[0].name"
    assert problem.message == "missing required field 'name'"


def test_unknown_field_lists_the_expected_ones():
    problem = only_problem(edit({PARTY_WGA_NAME: "    name: WGA\n    nickname: W"}))
    assert (problem.line, problem.column) == (PARTY_WGA_NAME + 1, 5)
    assert problem.field == "parties[0].nickname"
    assert problem.message.startswith("unknown field 'nickname'; expected one of: id, name, kind, short_name")


def test_wrong_type_says_what_was_expected():
    problem = only_problem(edit({2: "title: 2023"}))
    assert (problem.line, problem.column, problem.field) == (2, 8, "title")
    assert problem.message == "expected text, got 2023 (quote it to make it text)"


def test_wrong_type_inside_an_event_names_the_field_not_the_union_branch():
    problem = only_problem(
        edit(
            append="  - {id: v, kind: vote, date: 2023-10-09, party: wga, subject: ratification,\n"
            "     passed: true, yes: lots}\n"
        )
    )
    assert (problem.line, problem.field) == (LAST_LINE + 2, "events[1].yes")
    assert problem.message == 'expected a whole number, got "lots"'


def test_bad_date_is_explained():
    problem = only_problem(edit({PROPOSAL_DATE: "    date: 2023-02-30"}))
    assert (problem.line, problem.column, problem.field) == (PROPOSAL_DATE, 11, "proposals[0].date")
    assert problem.message.startswith('expected a date as YYYY-MM-DD, got "2023-02-30"')


def test_unknown_event_kind_lists_the_kinds():
    problem = only_problem(edit({EVENT_KIND: "    kind: strike"}))
    assert (problem.line, problem.field) == (EVENT_KIND - 1, "events[0]")
    assert problem.message.startswith("unknown kind 'strike'; expected one of: talks_held, talks_suspended")


def test_position_value_of_no_accepted_shape_is_one_problem():
    problem = only_problem(edit({POSITION_PAY: "      pay: {low: 5}"}))
    assert problem.line == POSITION_PAY
    assert problem.field == "proposals[0].positions.pay.low"
    assert problem.message == "unknown field 'low'; expected one of: value, text, confidence, sources"
    problem = only_problem(edit({POSITION_PAY: "      pay: [1, 2]"}))
    assert (problem.line, problem.field) == (POSITION_PAY, "proposals[0].positions.pay")
    assert problem.message == "expected a number, text or a list of ids, got [1, 2]"


def test_unknown_party_id():
    problem = only_problem(edit({PROPOSAL_TO: "    to: sag-aftra"}))
    assert (problem.line, problem.column, problem.field) == (PROPOSAL_TO, 9, "proposals[0].to")
    assert problem.message == "unknown party 'sag-aftra'; expected one of ['amptp', 'netflix', 'wga']"


def test_unknown_issue_id():
    problem = only_problem(edit({POSITION_STAFFING: "      residuals: 3"}))
    assert (problem.line, problem.field) == (POSITION_STAFFING, "proposals[0].positions.residuals")
    assert problem.message == "unknown issue 'residuals'; expected one of ['ai', 'pay', 'staffing']"


def test_numeric_value_outside_the_issue_range():
    problem = only_problem(edit({POSITION_PAY: "      pay: 12.5"}))
    assert (problem.line, problem.column) == (POSITION_PAY, 12)
    assert problem.field == "proposals[0].positions.pay.value"
    assert problem.message == "issue 'pay': 12.5 is outside [0, 10] %"


def test_option_not_in_an_ordinal_issue():
    problem = only_problem(edit({POSITION_STAFFING: "      staffing: lots"}))
    assert (problem.line, problem.field) == (POSITION_STAFFING, "proposals[0].positions.staffing.value")
    assert problem.message == "issue 'staffing': expected one of ['none', 'some', 'scaled'], got 'lots'"


def test_unknown_provision():
    problem = only_problem(
        edit({POSITION_STAFFING: "      staffing: scaled\n      ai: [consent, residuals]"})
    )
    assert (problem.line, problem.field) == (POSITION_STAFFING + 1, "proposals[0].positions.ai.value")
    assert problem.message.startswith("issue 'ai': unknown provision(s) ['residuals']")


def test_numeric_issue_bounds_out_of_order():
    problem = only_problem(edit({ISSUE_PAY_HIGH: "    high: -1"}))
    assert problem.field == "issues[0]"
    assert problem.line == ISSUE_PAY_HIGH - 5  # the issue's first line
    assert problem.message == "low (0.0) must be below high (-1.0)"


def test_stoppage_ending_before_it_starts():
    text = edit(append="  - {id: strike-end, kind: stoppage_ended, date: 2023-04-30, stoppage: wga-strike}\n")
    problem = only_problem(text)
    assert (problem.line, problem.field) == (LAST_LINE + 1, "events[1].date")
    assert problem.message == "stoppage 'wga-strike' ends (2023-04-30) before it starts (2023-05-02)"


def test_duplicate_party_id():
    problem = only_problem(edit({10: "    members: [wga]", 11: "  - id: wga"}))
    assert (problem.line, problem.field) == (11, "parties[2].id")
    assert problem.message == "duplicate party id 'wga'"


def test_duplicate_record_id_across_proposals_and_events():
    problem = only_problem(edit({EVENT_KIND - 1: "  - id: p1"}))
    assert (problem.line, problem.field) == (EVENT_KIND - 1, "events[0].id")
    assert problem.message == "duplicate record id 'p1' (ids of proposals and events must be unique)"


def test_proposal_answering_a_proposal_that_does_not_exist():
    problem = only_problem(edit({PROPOSAL_TO: "    to: amptp\n    answers: [p0]"}))
    assert (problem.line, problem.field) == (PROPOSAL_TO + 1, "proposals[0].answers[0]")
    assert problem.message == "answers proposal 'p0', which does not exist"


def test_every_problem_is_reported_in_file_order():
    text = edit(
        {LAST_LINE - 1: "    by: nobody", PROPOSAL_TO: "    to: sag-aftra", POSITION_PAY: "      pay: 99"}
    )
    problems = problems_of(text)
    assert [(p.line, p.field) for p in problems] == [
        (PROPOSAL_TO, "proposals[0].to"),
        (POSITION_PAY, "proposals[0].positions.pay.value"),
        (LAST_LINE - 1, "events[0].by"),
    ]


def test_error_text_names_file_line_column_and_field():
    with pytest.raises(CaseFileError) as info:
        loads_case(edit({PROPOSAL_TO: "    to: sag-aftra"}), "cases/mini.yaml")
    assert str(info.value).startswith(f"cases/mini.yaml:{PROPOSAL_TO}:9: proposals[0].to: unknown party")
    assert info.value.first_line == str(info.value)


def test_arbitrary_python_tags_are_refused_not_run():
    problem = only_problem(edit({2: "title: !!python/object/apply:os.system [echo hacked]"}))
    assert (problem.line, problem.field) == (2, "title")
    assert problem.message.startswith(
        "unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'"
    )


def test_merge_keys_and_recursive_aliases_are_refused():
    problem = only_problem("base: &b {id: x}\nother:\n  <<: *b\n")
    assert (problem.line, problem.field) == (3, "other")
    assert "merge keys ('<<') are not supported" in problem.message
    problem = only_problem("id: &a [*a]\n")
    assert (problem.line, problem.field) == (1, "id[0]")
    assert problem.message == "recursive alias: a value cannot contain itself"


def test_alias_bomb_is_stopped():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    problem = only_problem("\n".join(lines) + "\n")
    assert "the file expands to more than 200,000 values" in problem.message


def test_deep_nesting_is_an_error_not_a_crash():
    problem = only_problem("id:\n  " + "[" * 100 + "]" * 100 + "\n")
    assert (problem.line, problem.column) == (2, 3 + 63)  # the 65th opening bracket
    assert problem.message == "lists and mappings are nested more than 64 levels deep; a case needs far fewer"
    problem = only_problem('{"id":\n  ' + "[" * 500 + "]" * 500 + "}", "json")
    assert (problem.line, problem.column) == (2, 3 + 63)
    assert problem.message.startswith("lists and mappings are nested more than 64 levels deep")
    problem = only_problem("id: " + "[" * 5000 + "]" * 5000 + "\n")  # libyaml itself stops at 1,000
    assert problem.line == 1 and "nest" in problem.message


@pytest.mark.parametrize(
    "text",
    [
        MINI,
        edit({PARTY_WGA_NAME: "    name: [WGA"}),
        edit({PARTY_WGA_NAME: "\tname: WGA"}),
        edit({PROPOSAL_TO: "    to: sag-aftra"}),
        edit(append="title: Another title\n"),
        "id: " + "[" * 100 + "]" * 100 + "\n",
    ],
)
def test_pure_python_yaml_reads_like_libyaml(text):
    """Without libyaml, PyYAML's own parser is used: same data and same positions."""
    from accord.casefile import tree, yaml12

    results = []
    for fast in (True, False):
        try:
            node = yaml12.compose(text, fast=fast)
            builder = tree._Builder()
            results.append((builder.build(node, ()), builder.locations, builder.problems))
        except Exception as error:  # a syntax error: compare where it is
            mark = getattr(error, "problem_mark", None)
            results.append((type(error).__name__, mark.line if mark else None))
    assert results[0] == results[1]


TA_EVENT = """\
  - id: ta
    kind: tentative_agreement
    date: 2023-09-24
    parties: [wga, amptp]
    issues: [pay]
    terms:
      pay:
        value: {value}
        sources: [{source}]
"""


def test_agreed_terms_outside_the_issue_range_are_refused_at_their_line_and_column():
    problems = problems_of(edit(append=TA_EVENT.format(value="25", source="S9")))
    by_field = {p.field: p for p in problems}
    value = by_field["events[1].terms.pay.value"]
    assert (value.line, value.column) == (LAST_LINE + 8, 16)
    assert value.message == "issue 'pay': 25 is outside [0, 10] %"
    source = by_field["events[1].terms.pay.sources[0]"]
    assert source.line == LAST_LINE + 9 and "unknown source 'S9'" in source.message


def test_agreed_terms_with_a_known_source_load():
    text = edit(append=TA_EVENT.format(value="5", source="S1")) + "sources: [{id: S1, outlet: AP}]\n"
    case = loads_case(text, "mini.yaml", "yaml")
    terms = case.events[1].terms["pay"]
    assert (terms.value, terms.sources) == (5.0, ("S1",))


def test_a_known_date_before_the_records_date_is_refused_at_its_line():
    problem = only_problem(edit({PROPOSAL_TO: "    to: amptp\n    known: 2023-03-19"}))
    assert (problem.line, problem.column, problem.field) == (PROPOSAL_TO + 1, 12, "proposals[0].known")
    assert problem.message.startswith(
        "expected a date on or after the record's date (2023-03-20), got 2023-03-19"
    )
    event = only_problem(edit(append="    known: 2023-05-01\n"))
    assert (event.line, event.field) == (LAST_LINE + 1, "events[0].known")
    assert "on or after the record's date (2023-05-02)" in event.message


def test_a_known_date_on_or_after_the_records_date_loads():
    case = loads_case(edit({PROPOSAL_TO: "    to: amptp\n    known: 2023-03-22"}))
    assert [case.proposals[0].known_on.isoformat(), case.events[0].known_on.isoformat()] == [
        "2023-03-22",
        "2023-05-02",  # no known date: the record's own
    ]


def test_a_stoppage_announced_after_its_start_is_refused():
    problem = only_problem(edit(append="    announced: 2023-05-03\n"))
    assert (problem.line, problem.field) == (LAST_LINE + 1, "events[0].announced")
    assert problem.message.startswith("expected a date on or before the start (2023-05-02), got 2023-05-03")


REQUEST = """\
  - id: ask
    kind: request
    date: 2023-05-03
    from: amptp
    to: wga
    issues: [{issue}]
    statement: {statement}
"""


def test_a_request_naming_an_unknown_statement_or_issue_is_refused_at_its_line():
    problems = problems_of(edit(append=REQUEST.format(issue="residuals", statement="nothing")))
    found = {(p.line, p.field): p.message for p in problems}
    assert found == {
        (LAST_LINE + 6, "events[1].issues[0]"): "unknown issue 'residuals'",
        (LAST_LINE + 7, "events[1].statement"): "statement 'nothing' does not exist",
    }
    proposal = only_problem(edit(append=REQUEST.format(issue="ai", statement="p1")))
    assert (proposal.line, proposal.field) == (LAST_LINE + 7, "events[1].statement")
    assert proposal.message == "'p1' is a Proposal, expected a statement"


def test_a_response_answering_nothing_is_refused():
    response = (
        "  - {id: r, kind: response, date: 2023-05-04, from: wga, to: amptp, responds_to: strike-start}\n"
    )
    problem = only_problem(edit(append=response))
    assert (problem.line, problem.field) == (LAST_LINE + 1, "events[1].responds_to")
    assert problem.message == "'strike-start' is a StoppageStarted, expected a request or proposal"
    missing = only_problem(edit(append=response.replace("strike-start", "ghost")))
    assert missing.message == "request or proposal 'ghost' does not exist"


def test_a_statement_may_be_about_a_request_but_not_about_a_stoppage():
    statement = (
        "  - {{id: s, kind: statement, date: 2023-05-04, party: wga, summary: Said, regarding: [{about}]}}\n"
    )
    loads_case(edit(append=REQUEST.format(issue="ai", statement="s") + statement.format(about="ask")))
    problem = only_problem(edit(append=statement.format(about="strike-start")))
    assert problem.field == "events[1].regarding[0]"
    assert problem.message == "'strike-start' is a StoppageStarted, expected a proposal or request"

"""The one rule for text, numbers, dates and links (accord.model.limits), and that every field of
the model and of the API's bodies is held to it."""

from __future__ import annotations

import datetime as dt
import math
import types
import typing

import annotated_types
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from accord.api import schemas
from accord.api.simulations import SimulationIn
from accord.casefile import dump_case, loads_case
from accord.casefile.prefsfile import dump_preferences, loads_preferences
from accord.model import (
    Case,
    DecisionRule,
    Estimate,
    NumericIssue,
    Party,
    PreferenceModel,
    PreferenceSet,
    Proposal,
    ProvisionValue,
    Source,
    limits,
)
from accord.model.limits import (
    FIRST_DATE,
    LAST_DATE,
    NAME_MAX,
    TEXT_MAX,
    TITLE_MAX,
    is_valid_text,
    parse_day,
    printable,
    text_problem,
    url_problem,
)
from accord.services.private import Note, WalkAway

NEVER = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\ud800", "\udfff", "\ufdd0"]
NEVER += ["\ufffe", "\uffff", "\U0001fffe", "\U0010ffff"]
NOT_IN_A_LINE = ["\t", "\n", "\r", "\u2028", "\u2029", "\u202e", "\u2066", "\u2069"]
FINE = ["é", "שלום", "漢字", "\U0001f600", "\u200f", "\ufeff", "\u00a0", "\ue000", "\U000e0001"]


@pytest.mark.parametrize("char", NEVER)
def test_no_text_holds_nul_controls_surrogates_or_noncharacters(char):
    for one_line in (False, True):
        problem = text_problem(f"ab{char}c", one_line=one_line)
        assert problem is not None and problem.startswith(f"contains U+{ord(char):04X} (")
        assert "at character 3" in problem
        assert printable(problem) == problem  # the message itself is printable


@pytest.mark.parametrize("char", NOT_IN_A_LINE)
def test_one_line_fields_hold_no_tab_break_or_bidirectional_control(char):
    assert text_problem(f"a{char}b") is None
    problem = text_problem(f"a{char}b", one_line=True)
    assert problem is not None and problem.endswith("expected one line of text")


@pytest.mark.parametrize("char", FINE)
def test_other_unicode_is_text(char):
    assert text_problem(char, one_line=True) is None


@given(st.text())
def test_the_rule_is_exactly_the_documented_classes(text):
    def refused(char: str, one_line: bool) -> bool:
        code = ord(char)
        never = (
            (code < 0x20 and char not in "\t\n\r")
            or 0x7F <= code <= 0x9F
            or 0xD800 <= code <= 0xDFFF
            or 0xFDD0 <= code <= 0xFDEF
            or code & 0xFFFE == 0xFFFE
        )
        in_line = char in "\t\n\r\u2028\u2029" or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069
        return never or (one_line and in_line)

    for one_line in (False, True):
        assert (text_problem(text, one_line=one_line) is None) == (
            not any(refused(c, one_line) for c in text)
        )


def test_printable_escapes_what_the_one_line_rule_refuses():
    assert printable("a\x00\ud800\n\u202eb") == "a\\x00\\ud800\\n\\u202eb"
    assert printable("ordinary, é") == "ordinary, é"


def test_lengths_per_field():
    assert is_valid_text("x" * NAME_MAX, one_line=True, max_length=NAME_MAX)
    assert not is_valid_text("x" * (NAME_MAX + 1), one_line=True, max_length=NAME_MAX)
    party = {"id": "w", "kind": "union"}
    Party.model_validate({**party, "name": "x" * NAME_MAX})
    with pytest.raises(ValidationError, match="at most 200 characters"):
        Party.model_validate({**party, "name": "x" * (NAME_MAX + 1)})
    with pytest.raises(ValidationError, match="at most 500 characters"):
        Source.model_validate({"id": "s", "title": "x" * (TITLE_MAX + 1)})
    with pytest.raises(ValidationError, match="at most 20000 characters"):
        Note.model_validate({"text": "x" * (TEXT_MAX + 1)})
    with pytest.raises(ValidationError, match="at most 80 characters"):
        Party.model_validate({**party, "id": "x" * 81, "name": "W"})


def test_dates_are_kept_from_1900_to_2100():
    assert parse_day("1900-01-01") == FIRST_DATE and parse_day("2100-12-31") == LAST_DATE
    for text in ("0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"):
        with pytest.raises(ValueError, match="expected a date from 1900-01-01 to 2100-12-31"):
            parse_day(text)
    with pytest.raises(ValueError, match="expected a date as YYYY-MM-DD, got 'x\\\\x00'"):
        parse_day("x\x00")
    proposal = {"id": "p", "from": "a", "to": "b"}
    assert Proposal.model_validate({**proposal, "date": "1900-01-01"}).date == FIRST_DATE
    for field, data in (
        ("date", {**proposal, "date": "0001-01-01"}),
        ("date", {"id": "s", "date": "2101-01-01"}),
    ):
        model = Proposal if "from" in data else Source
        with pytest.raises(ValidationError) as caught:
            model.model_validate(data)
        assert caught.value.errors()[0]["loc"] == (field,)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "//evil.example/",
        "/relative",
        "https://",
        "http:/one-slash",
        "https://host/with space",
        "https://host/\nline",
        "ftp://files.example/",
    ],
)
def test_source_links_are_http_or_https_only(url):
    assert url_problem(url) is not None
    with pytest.raises(ValidationError) as caught:
        Source.model_validate({"id": "s", "url": url})
    assert caught.value.errors()[0]["loc"] == ("url",)


def test_web_links_are_kept():
    for url in ("https://www.wga.org/", "http://example.org/a?b=c#d", "HTTPS://EXAMPLE.ORG"):
        assert Source.model_validate({"id": "s", "url": url}).url == url


def test_numbers_are_finite_where_they_are_stored():
    issue = {"type": "numeric", "id": "pay", "name": "Pay", "unit": "%"}
    for low, high in ((0, math.inf), (-math.inf, 1), (math.nan, 1), (-1e308, 1e308)):
        with pytest.raises(ValidationError):
            NumericIssue.model_validate({**issue, "low": low, "high": high})
    for field in ("low", "high"):
        with pytest.raises(ValidationError) as caught:
            Estimate.model_validate({"id": "e", "label": "L", "scope": "s", "by": "b", field: math.nan})
        assert caught.value.errors()[0]["loc"] == (field,)
    with pytest.raises(ValidationError, match="finite number"):
        Proposal.model_validate(
            {"id": "p", "date": "2023-01-01", "from": "a", "to": "b", "positions": {"x": math.inf}}
        )


def test_weights_whose_sum_overflows_are_refused():
    """Issue 12, row 14: two weights of 1e308 were accepted, and every normalised weight was 0."""
    model = {
        "party": "wga",
        "label": "WGA",
        "weights": {"pay": 1e308, "ai": 1e308},
        "values": {"pay": {"kind": "linear"}, "ai": {"kind": "linear"}},
    }
    with pytest.raises(ValidationError, match="the weights add up to more than the largest number"):
        PreferenceModel.model_validate(model)
    PreferenceModel.model_validate({**model, "weights": {"pay": 1e307, "ai": 1e307}})
    with pytest.raises(ValidationError, match="shares add up"):
        DecisionRule.model_validate({"kind": "weighted", "shares": {"a": 1e308, "b": 1e308}})
    with pytest.raises(ValidationError, match="provision values"):
        ProvisionValue.model_validate({"values": {"a": 1e308, "b": -1e308}})


def test_vote_counts_are_bounded():
    vote = {"id": "v", "kind": "vote", "date": "2023-10-09", "party": "wga", "subject": "ratification"}
    case = {"id": "c", "title": "T", "parties": [{"id": "wga", "name": "W", "kind": "union"}]}
    Case.model_validate({**case, "events": [{**vote, "passed": True, "yes": limits.COUNT_MAX}]})
    with pytest.raises(ValidationError):
        Case.model_validate({**case, "events": [{**vote, "passed": True, "yes": 10**400}]})


_LINE = st.characters(exclude_categories=("Cs",)).filter(lambda c: text_problem(c, one_line=True) is None)
_TEXT = st.characters(exclude_categories=("Cs",)).filter(lambda c: text_problem(c) is None)


@settings(max_examples=150, deadline=None)
@given(name=st.text(_LINE, min_size=1, max_size=40), description=st.text(_TEXT, max_size=60))
def test_any_text_the_rule_allows_is_written_and_read_back_equal(name, description):
    """What the server stores, `accord export` writes: it must read back (issue 12, row 3)."""
    case = Case.model_validate(
        {
            "id": "c",
            "title": name,
            "description": description,
            "parties": [{"id": "w", "name": name, "kind": "union"}],
            "issues": [{"id": "i", "type": "categorical", "name": name, "options": [name, name + "2"]}],
        }
    )
    for fmt in ("yaml", "json"):
        assert loads_case(dump_case(case, fmt), fmt=fmt) == case  # type: ignore[arg-type]
    prefs = PreferenceSet.model_validate(
        {
            "case": "c",
            "description": description,
            "models": [
                {
                    "party": "w",
                    "label": name,
                    "rationale": description,
                    "weights": {"i": 1},
                    "values": {"i": {"kind": "options", "scores": {name: 1, name + "2": 0}}},
                }
            ],
        }
    )
    assert loads_preferences(dump_preferences(prefs), case=case) == prefs  # option names as keys


# --- every field is held to the rule ----------------------------------------------------------

_RULED = {
    id(item)
    for alias in (limits.Name, limits.Title, limits.Text, limits.Url, limits.Day)
    for item in typing.get_args(alias)[1:]
}
_CHECKED_ELSEWHERE = {
    "Position.value": "Position._value_keeps_the_rule checks its text and number",
    "SimulationIn.values": "check_request names each value outside its parameter's range, NaN too",
}


def _keeps_the_rule(kind: object, metadata: tuple[object, ...]) -> bool:
    """Text and dates: a type of accord.model.limits (or, for text, an id: a pattern of ASCII).
    Numbers: finite (``allow_inf_nan=False``) or bounded on both sides (which refuses NaN too)."""
    metadata = tuple(
        m for item in metadata for m in (item.metadata if isinstance(item, FieldInfo) else [item])
    )
    if kind is float:
        low = any(isinstance(m, (annotated_types.Ge, annotated_types.Gt)) for m in metadata)
        high = any(isinstance(m, (annotated_types.Le, annotated_types.Lt)) for m in metadata)
        return (low and high) or any(getattr(m, "allow_inf_nan", None) is False for m in metadata)
    return any(id(m) in _RULED or (kind is str and getattr(m, "pattern", None)) for m in metadata)


def _unruled(annotation: object, metadata: tuple[object, ...], where: str, seen: set[type]) -> list[str]:
    """Where ``annotation`` holds text, a date or a number that the rule does not hold."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *more = typing.get_args(annotation)
        return _unruled(inner, (*metadata, *more), where, seen)
    if where in _CHECKED_ELSEWHERE:
        return []
    if annotation in (str, float, dt.date):
        return [] if _keeps_the_rule(annotation, metadata) else [f"{where} ({annotation.__name__})"]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return []
        seen.add(annotation)
        return [
            found
            for name, info in annotation.model_fields.items()
            for found in _unruled(
                info.annotation, tuple(info.metadata), f"{annotation.__name__}.{name}", seen
            )
        ]
    if origin in (typing.Union, types.UnionType, tuple, list, dict, frozenset, set):
        args = [arg for arg in typing.get_args(annotation) if arg is not Ellipsis]
        # Constraints of an optional field hold its value; those of a container, its members'.
        inherited = metadata if origin in (typing.Union, types.UnionType) else ()
        return [found for arg in args for found in _unruled(arg, inherited, where, seen)]
    return []


@pytest.mark.parametrize(
    "model",
    [
        Case,
        PreferenceSet,
        WalkAway,
        Note,
        schemas.LoginIn,
        schemas.UserIn,
        schemas.CasePatch,
        schemas.MemberIn,
        schemas.SharesIO,
        SimulationIn,
    ],
    ids=lambda m: m.__name__,
)
def test_every_field_is_held_to_the_rule(model):
    """A field typed plain ``str``, ``float`` or ``date`` would let anything of its type in: each
    has a type of accord.model.limits, so that a new field cannot forget the rule."""
    assert _unruled(model, (), model.__name__, set()) == []


def test_the_field_check_finds_a_field_that_forgets_the_rule():
    class Careless(BaseModel):
        name: str
        count: float
        day: dt.date | None = None
        kept: limits.Name

    found = _unruled(Careless, (), "Careless", set())
    assert found == ["Careless.name (str)", "Careless.count (float)", "Careless.day (date)"]


def test_a_name_that_reads_as_a_merge_key_is_quoted_when_written() -> None:
    """An option named ``<<`` (allowed by the text rule) was written as a plain key and read back
    as a YAML merge key, which the reader refuses: an export that could not be read again."""
    test_any_text_the_rule_allows_is_written_and_read_back_equal.hypothesis.inner_test(
        name="<<", description=""
    )

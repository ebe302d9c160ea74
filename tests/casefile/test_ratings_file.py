"""Ratings files (accord.casefile.ratings): read against a case, every problem at its line with its
column's name, nothing loaded when there is one."""

from __future__ import annotations

import pytest

from accord.casefile import CaseFileError, bundled_case
from accord.casefile.ratings import MAX_ROWS, loads_ratings, read_ratings

CASE = bundled_case("wga-amptp-2023")


def _problems(text: str) -> list[str]:
    with pytest.raises(CaseFileError) as caught:
        loads_ratings(text, "r.csv", CASE)
    return str(caught.value).splitlines()


def test_a_file_is_read_with_its_byte_order_mark_blank_lines_and_quoted_cells(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes('\ufeffmin_pay,ai,rating\r\n\r\n13,"not_a_writer+disclosure",60\r\n9.3,,10\r\n'.encode())
    ratings = read_ratings(path, CASE)
    assert [i.id for i in ratings.issues] == ["min_pay", "ai"]
    assert ratings.labels == (f"{path}:3", f"{path}:4")
    assert ratings.packages[1] == {"min_pay": 9.3, "ai": frozenset()}


def test_every_problem_is_listed_at_its_line():
    assert _problems("min_pay,min_pay,rating\n13,13,50\n") == [
        "r.csv:1: min_pay: column 2: 'min_pay' is given twice"
    ]
    assert _problems("min_pay,score\n13,50\n") == [
        "r.csv:1: score: column 2: unknown issue 'score'; expected issue ids of case 'wga-amptp-2023' "
        "(min_pay, staffing, duration, residuals, ai, health_pension, features) and 'rating'",
        "r.csv:1: no 'rating' column",
    ]
    assert _problems("min_pay,rating\nabc,-1\n25,50\n") == [
        "r.csv:2: min_pay: expected a number in [0, 20] %, got 'abc'",
        "r.csv:2: rating: expected a number from 0 to 100, got '-1'",
        "r.csv:3: min_pay: 25 is outside [0, 20] %",
    ]
    assert _problems("") == ["r.csv:1: no header: expected issue ids and 'rating'"]
    assert _problems("rating\n50\n") == ["r.csv:1: no issue columns: expected at least one issue id"]
    assert _problems("min_pay,rating\n") == ["r.csv:1: no rated packages: one row per package is expected"]
    assert _problems('min_pay,rating\n13,"50\n') == ["r.csv:2: not valid CSV: unexpected end of data"]


def test_too_many_rows_are_refused():
    text = "min_pay,rating\n" + "13,50\n" * (MAX_ROWS + 1)
    assert _problems(text) == [f"r.csv: {MAX_ROWS + 1:,} rated packages; at most {MAX_ROWS:,}"]

"""What the text views say about agreed terms, where values came from and the sources (issue 13,
items 2, 3, 6), run as a user would."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.app import app

runner = CliRunner()
CASE = "wga-amptp-2023"
WIDE = {"COLUMNS": "240"}


def _text(*args: str) -> str:
    result = runner.invoke(app, list(args), env=WIDE)
    assert result.exit_code == 0, result.output
    return " ".join(result.stdout.split())


def test_gaps_after_the_ta_show_the_agreed_terms_and_no_old_positions():
    text = _text("gaps", CASE, "--as-of", "2023-09-25")
    assert text.count("agreed, TA 2023-09-24") == 7
    assert "13 % (TA terms)" in text and "3 writers (TA terms)" in text
    assert "16.9 %" not in text and "wants:" not in text


def test_gaps_after_ratification_say_ratified():
    assert _text("gaps", CASE, "--as-of", "2023-10-09").count("ratified 2023-10-09 (TA 2023-09-24)") == 7


def test_gaps_before_the_ta_say_where_each_value_came_from():
    text = _text("gaps", CASE, "--as-of", "2023-09-20")
    assert "13 % (carried from Aug 11, C)" in text
    assert "16.9 % (stated May 1, B)" in text
    assert "WGA wants: viewership_bonus" in text
    assert "WGA 0%, AMPTP 33%" in text  # who closed the staffing gap (the WGA held at 6 writers)


def test_positions_show_the_agreed_terms_with_their_wording():
    text = _text("positions", CASE, "amptp", "--as-of", "2023-09-25")
    assert "13 % (TA terms)" in text and "agreed, TA 2023-09-24" in text
    assert "carried from" not in text


UNSOURCED = """\
id: tiny
title: Tiny talks
parties:
  - {id: u, name: Union, kind: union}
  - {id: e, name: Employer, kind: employer}
sources:
  - {id: S1, outlet: AP, url: "https://example.org/a"}
events:
  - {id: said, kind: milestone, date: 2023-05-01, summary: Talks open, sources: [S1]}
  - {id: heard, kind: milestone, date: 2023-05-02, summary: A rumour, confidence: C}
"""


def test_unsourced_records_say_so_never_a_bare_confidence(tmp_path: Path):
    path = tmp_path / "tiny.yaml"
    path.write_text(UNSOURCED, encoding="utf-8")
    lines = {line.split()[2]: line for line in _text_lines("timeline", str(path)) if "milestone" in line}
    assert lines["said"].rstrip().endswith("S1 [A]")
    assert lines["heard"].rstrip().endswith("unsourced") and "[C]" not in lines["heard"]


def _text_lines(*args: str) -> list[str]:
    result = runner.invoke(app, list(args), env=WIDE)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_sources_lists_outlet_date_and_url_and_those_of_one_record():
    found = json.loads(runner.invoke(app, ["sources", CASE, "--json"]).stdout)
    assert (found["view"], found["as_of"]) == ("sources", None)
    all_sources = found["data"]
    assert {"id", "outlet", "date", "title", "url", "cited_by"} <= set(all_sources[0])
    text = runner.invoke(app, ["sources", CASE, "wga-ta-2023-09-24"], env={"COLUMNS": "60"}).stdout
    assert "S45" in text and "cited by:" in text
    s5 = next(s for s in all_sources if s["id"] == "S5")
    assert s5["url"] in text  # an address is never broken, however narrow the terminal


def test_sources_of_an_unknown_record_is_bad_input():
    result = runner.invoke(app, ["sources", CASE, "no-such-record"])
    assert result.exit_code == 2
    assert "unknown record 'no-such-record'" in result.output


def test_the_html_report_links_the_sources(tmp_path: Path):
    target = tmp_path / "report.html"
    assert runner.invoke(app, ["status", CASE, "--as-of", "2023-09-25", "--html", str(target)]).exit_code == 0
    page = target.read_text(encoding="utf-8")
    sources = json.loads(runner.invoke(app, ["sources", CASE, "wga-ta-2023-09-24", "--json"]).stdout)["data"]
    for source in sources:
        if source["url"]:
            assert f'href="{source["url"]}"' in page


def test_pending_after_the_ta_says_nobody_owes_a_move():
    assert "Whose turn, by the record: nobody: settled, TA 2023-09-24 (wga-ta-2023-09-24)" in _text(
        "pending", CASE, "--as-of", "2023-09-25"
    )
    assert "Whose turn, by the record: WGA" in _text("pending", CASE, "--as-of", "2023-09-23")

"""`accord ingest`: read an article, write a review, apply it to a case file (atomic, idempotent,
stale reviews refused naming the conflicts); bad input exits 2 and writes nothing."""

from __future__ import annotations

import hashlib
import importlib
import json
import shutil
from pathlib import Path

import pytest
import yaml
from corpus import CORPUS, case_path
from typer.testing import CliRunner

from accord.casefile import read_case
from accord.cli.app import app

runner = CliRunner()
ARTICLES = CORPUS / "articles"
ALIGNED = ARTICLES / "wga-2023-09-09-aligned.txt"
MEETING = ARTICLES / "wga-2023-09-15-meeting.txt"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    target = tmp_path / "wga.yaml"
    shutil.copy(case_path("wga-amptp-2023"), target)
    return target


def _ingest(*args: str, input: bytes | None = None):
    return runner.invoke(app, ["ingest", *args], input=input)


def _review(
    case_file: Path, article: Path, published: str, tmp_path: Path, name: str = "review.yaml"
) -> Path:
    review = tmp_path / name
    result = _ingest(
        str(case_file), str(article), "--published", published, "--outlet", "Screen Ledger", "-o", str(review)
    )
    assert result.exit_code == 0, result.output
    return review


def test_reading_prints_the_drafts_and_writes_nothing(case_file, tmp_path):
    before = _digest(case_file)
    result = _ingest(str(case_file), str(ALIGNED), "--published", "2023-09-09")
    assert result.exit_code == 0, result.output
    assert "14 drafts" in result.stdout and "Nothing was written" in result.stdout
    assert _digest(case_file) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wga.yaml"]


def test_json_is_the_article_and_its_drafts(case_file):
    result = _ingest(
        "wga-amptp-2023",
        str(ALIGNED),
        "--published",
        "2023-09-09",
        "--json",
        "--source-url",
        "https://example.org/a",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"article", "drafts"}
    assert data["article"]["source_url"] == "https://example.org/a"
    assert data["article"]["source_id"].startswith("article-unknown-2023-09-09-")
    first = data["drafts"][0]
    assert {
        "id",
        "kind",
        "party",
        "date",
        "quote",
        "summary",
        "sentence",
        "span",
        "issues",
        "matches",
    } <= set(first)
    start, end = first["span"]
    assert ALIGNED.read_text()[start:end] == first["sentence"]
    kinds = {d["kind"] for d in data["drafts"]}
    assert {"statement", "turn", "stance", "offer", "request", "stoppage_days"} <= kinds


def test_standard_input_and_html_are_read():
    result = _ingest("wga-amptp-2023", "-", "--published", "2023-09-09", "--json", input=ALIGNED.read_bytes())
    assert result.exit_code == 0 and len(json.loads(result.stdout)["drafts"]) == 14
    page = ARTICLES / "wga-2023-08-31-blame.html"
    result = _ingest("wga-amptp-2023", str(page), "--published", "2023-08-31", "--json")
    assert json.loads(result.stdout)["article"]["format"] == "html"


def test_apply_appends_records_sourced_to_the_article_keeping_the_files_comments(case_file, tmp_path):
    review = _review(case_file, ALIGNED, "2023-09-09", tmp_path)
    text = review.read_text()
    assert text.startswith("# accord ingest review")
    data = yaml.safe_load(text)
    accepted = [d for d in data["drafts"] if d["accept"]]
    assert accepted and all(d["matches"] is None for d in accepted)
    before = read_case(case_file)
    result = _ingest("--apply", str(review))
    assert result.exit_code == 0, result.output
    assert f"added {len(accepted)} records" in result.stdout
    after = read_case(case_file)
    assert case_file.read_text().startswith("# The 2023 WGA–AMPTP negotiation")
    source = after.sources[-1]
    assert (source.outlet, str(source.date)) == ("Screen Ledger", "2023-09-09")
    new = [r for r in after.records() if r.id not in {r.id for r in before.records()}]
    assert len(new) == len(accepted)
    for record in new:
        assert record.sources == (source.id,)
        assert record.note.startswith('From "') and "Screen Ledger, 2023-09-09" in record.note
        assert record.confidence.value in ("A", "B", "C")


def test_applying_twice_changes_nothing(case_file, tmp_path):
    review = _review(case_file, ALIGNED, "2023-09-09", tmp_path)
    assert _ingest("--apply", str(review)).exit_code == 0
    once = _digest(case_file)
    result = _ingest("--apply", str(review), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["unchanged"] is True
    assert _digest(case_file) == once
    again = _review(case_file, ALIGNED, "2023-09-09", tmp_path, "again.yaml")
    assert _ingest("--apply", str(again)).exit_code == 0
    assert _digest(case_file) == once


def test_an_edited_draft_is_recorded_as_edited(case_file, tmp_path):
    review = _review(case_file, MEETING, "2023-09-15", tmp_path)
    data = yaml.safe_load(review.read_text())
    stance = next(d for d in data["drafts"] if d["kind"] == "stance")
    stance.update(accept=True, party="wga", summary="The guild says the talks are frozen.")
    review.write_text(yaml.safe_dump(data, sort_keys=False))
    assert _ingest("--apply", str(review)).exit_code == 0
    record = next(
        r for r in read_case(case_file).events if r.id.endswith(stance["id"]) and r.id.startswith("stance")
    )
    assert (record.party, record.summary) == ("wga", "The guild says the talks are frozen.")
    assert "Stance: impasse." in record.note


def test_a_stale_review_is_refused_naming_the_conflicts(case_file, tmp_path):
    first = _review(case_file, ALIGNED, "2023-09-09", tmp_path, "first.yaml")
    second = _review(case_file, ALIGNED, "2023-09-09", tmp_path, "second.yaml")
    assert _ingest("--apply", str(first)).exit_code == 0
    data = yaml.safe_load(second.read_text())
    accepted = next(d for d in data["drafts"] if d["accept"])
    accepted["summary"] = "Edited after the first review was applied."
    second.write_text(yaml.safe_dump(data, sort_keys=False))
    before = _digest(case_file)
    result = _ingest("--apply", str(second))
    assert result.exit_code == 2
    assert "the case changed since the review" in result.stderr
    assert (
        f"draft {accepted['id']}: record" in result.stderr
        and "was added to the case since the review" in result.stderr
    )
    assert "the review is stale; nothing was written" in result.stderr
    assert _digest(case_file) == before


def test_a_draft_that_restates_a_record_or_lacks_a_party_is_refused(case_file, tmp_path):
    review = _review(case_file, ALIGNED, "2023-09-09", tmp_path)
    data = yaml.safe_load(review.read_text())
    for draft in data["drafts"]:
        draft["accept"] = True
    review.write_text(yaml.safe_dump(data, sort_keys=False))
    before = _digest(case_file)
    result = _ingest("--apply", str(review))
    assert result.exit_code == 2
    assert "restates 'statement-amptp-2023-09-08-aligned'; set accept: false" in result.stderr
    assert "(stoppage_days): party is missing" in result.stderr
    assert _digest(case_file) == before


def test_a_broken_review_file_is_refused_at_its_line(case_file, tmp_path):
    review = _review(case_file, ALIGNED, "2023-09-09", tmp_path)
    review.write_text(review.read_text().replace("kind: statement", "kind: rumour", 1))
    result = _ingest("--apply", str(review))
    assert result.exit_code == 2
    assert f"{review}:" in result.stderr and "drafts[0].kind" in result.stderr and "rumour" in result.stderr


def test_a_json_case_file_is_written_whole(tmp_path):
    from accord.casefile import dump_case

    target = tmp_path / "wga.json"
    target.write_text(dump_case(read_case(case_path("wga-amptp-2023")), "json"))
    review = _review(target, ALIGNED, "2023-09-09", tmp_path)
    assert _ingest("--apply", str(review)).exit_code == 0
    assert json.loads(target.read_text())["sources"][-1]["outlet"] == "Screen Ledger"


def test_a_review_of_a_bundled_case_needs_a_file_to_write(tmp_path, case_file):
    review = tmp_path / "r.yaml"
    assert (
        _ingest("wga-amptp-2023", str(ALIGNED), "--published", "2023-09-09", "-o", str(review)).exit_code == 0
    )
    result = _ingest("--apply", str(review))
    assert result.exit_code == 2 and "names no case file" in result.stderr
    assert _ingest("--apply", str(review), str(case_file)).exit_code == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the article is empty"),
        (b"\x00\x01\x02binary", "binary"),
        (b"Der Streik dauert an, sagte die Gewerkschaft am Freitag.", "found no English sentence"),
        (b"x" * (2 * 1024 * 1024 + 10), "2 MB"),
    ],
)
def test_bad_articles_exit_2_with_a_clear_message_and_write_nothing(case_file, tmp_path, content, message):
    article = tmp_path / "article.txt"
    article.write_bytes(content)
    review = tmp_path / "review.yaml"
    before = _digest(case_file)
    result = _ingest(str(case_file), str(article), "--published", "2023-09-09", "-o", str(review))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {article}: ") and message in result.stderr
    assert not review.exists() and _digest(case_file) == before


def test_missing_options_and_files_exit_2(case_file, tmp_path):
    assert "--published" in _ingest(str(case_file), str(ALIGNED)).stderr
    assert (
        "--published: expected a date"
        in _ingest(str(case_file), str(ALIGNED), "--published", "9/9/23").stderr
    )
    assert (
        "cannot read the file"
        in _ingest(str(case_file), str(tmp_path / "none.txt"), "--published", "2023-09-09").stderr
    )
    assert "give a CASE and an article FILE" in _ingest().stderr


def test_without_the_ingest_extra_the_message_names_the_install_command(case_file, monkeypatch):
    ingest_cli = importlib.import_module("accord.cli.ingest")  # registered by accord.cli.app, loaded above
    monkeypatch.setattr(ingest_cli, "EXTRA_MODULES", ("accord_module_that_is_not_installed",))
    result = _ingest(str(case_file), str(ALIGNED), "--published", "2023-09-09")
    assert result.exit_code == 2
    assert "pip install 'accord[ingest]'" in result.stderr

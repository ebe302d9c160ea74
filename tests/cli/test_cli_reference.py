from pathlib import Path

from accord.cli.reference import cli_reference_markdown

PAGE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "cli.md"


def test_the_checked_in_cli_reference_matches_the_commands():
    expected = cli_reference_markdown()
    assert PAGE.read_text(encoding="utf-8") == expected, (
        "docs/reference/cli.md is stale: regenerate it with `accord cli-reference > docs/reference/cli.md`"
    )


def test_every_visible_command_is_in_the_reference():
    page = cli_reference_markdown()
    for command in (
        "status",
        "timeline",
        "gaps",
        "movement",
        "pending",
        "stoppages",
        "validate",
        "cases",
        "analyze",
        "frontier",
        "simulate",
        "tournament",
        "sweep",
        "serve",
        "demo",
    ):
        assert f"## `accord {command}`" in page

"""The server's commands: db upgrade, user, token, member, import, export (exit code 2 and one line
on bad input)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from accord.casefile import bundled_case, read_case
from accord.cli.app import app
from accord.services import Actor, Services
from accord.store import Database

runner = CliRunner()


@pytest.fixture
def url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite'}"


def run(url: str, *args: str, input: str | None = None):
    return runner.invoke(app, [*args, "--database-url", url], input=input)


def test_an_unmigrated_database_is_refused_with_the_fix(url):
    result = run(url, "user", "list")
    assert result.exit_code == 2 and "accord db upgrade" in result.output


def test_users_and_tokens_from_the_command_line(url):
    upgraded = run(url, "db", "upgrade", "--json")
    assert upgraded.exit_code == 0 and json.loads(upgraded.output)["revision"]
    added = run(
        url, "user", "add", "ada", "--admin", "--password-stdin", "--json", input="correct horse battery\n"
    )
    assert added.exit_code == 0, added.output
    assert json.loads(added.output) == {"username": "ada", "admin": True}
    assert run(url, "user", "add", "ada", "--password-stdin", input="correct horse battery\n").exit_code == 2
    short = run(url, "user", "add", "bo", "--password-stdin", input="short\n")
    assert short.exit_code == 2 and "password" in short.output
    listed = json.loads(run(url, "user", "list", "--json").output)
    assert [u["username"] for u in listed] == ["ada"]
    token = json.loads(run(url, "token", "create", "ada", "--name", "ci", "--json").output)
    services = Services(Database(url))
    assert services.users.authenticate(token["token"]).username == "ada"
    assert run(url, "token", "revoke", str(token["id"])).exit_code == 0
    assert run(url, "token", "revoke", "9999").exit_code == 2
    disabled = json.loads(run(url, "user", "disable", "ada", "--json").output)
    assert disabled == {"username": "ada", "disabled": True}
    services.db.dispose()


def test_a_bundled_case_imports_and_exports_unchanged(url, tmp_path):
    assert run(url, "db", "upgrade").exit_code == 0
    imported = run(url, "import", "wga-amptp-2023", "--json")
    assert imported.exit_code == 0, imported.output
    summary = json.loads(imported.output)
    original = bundled_case("wga-amptp-2023")
    assert summary == {
        "case": original.id,
        "proposals": len(original.proposals),
        "events": len(original.events),
    }
    again = run(url, "import", "wga-amptp-2023")
    assert again.exit_code == 2 and "exists" in again.output
    target = tmp_path / "out.yaml"
    assert run(url, "export", original.id, "--output", str(target)).exit_code == 0
    assert read_case(target) == original
    printed = run(url, "export", original.id)
    assert printed.exit_code == 0 and printed.output.startswith(f"id: {original.id}")
    assert run(url, "export", "no-such-case").exit_code == 2


def test_a_bad_case_file_is_named_and_nothing_is_stored(url, tmp_path):
    assert run(url, "db", "upgrade").exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: c\ntitle: T\nparties:\n  - {id: w, name: W, kind: union}\nproposals:\n  - {id: p, date: 2023-01-01, from: w, to: ghost}\n"
    )
    result = run(url, "import", str(bad))
    assert result.exit_code == 2 and "bad.yaml:6" in result.output
    services = Services(Database(url))
    root = services.users.add(None, "root", "correct horse battery", is_admin=True)
    assert services.cases.page(Actor(root.id, root.username, is_admin=True)).total == 0
    services.db.dispose()


def test_members_from_the_command_line(url):
    assert run(url, "db", "upgrade").exit_code == 0
    assert run(url, "import", "wga-amptp-2023").exit_code == 0
    assert run(url, "user", "add", "wes", "--password-stdin", input="correct horse battery\n").exit_code == 0
    case_id = bundled_case("wga-amptp-2023").id
    ok = run(url, "member", "set", case_id, "wes", "member", "--party", "wga", "--json")
    assert ok.exit_code == 0, ok.output
    bad = run(url, "member", "set", case_id, "wes", "member", "--party", "nobody")
    assert bad.exit_code == 2 and "unknown party" in bad.output

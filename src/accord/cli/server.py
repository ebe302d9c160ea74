"""The team server at the command line: ``accord serve``, ``accord db``, ``accord user``, ``accord token``,
``accord member``, ``accord import`` and ``accord export``. Thin over :mod:`accord.services`; the
operator at the command line acts with the database's own authority (no sign-in).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.cli.app import app
from accord.cli.common import console, fail, print_json

if TYPE_CHECKING:
    from rich.console import Console

THREADS_VAR = "ACCORD_THREADS"
MAX_TOKEN_DAYS = 3650
"""The longest an API token may last (ten years): a later expiry would not fit a date."""
STOP_SECONDS = 3
"""On SIGTERM, how long requests in progress may take to finish before the server stops anyway
(simulation jobs never hold it up: see :meth:`accord.services.simulation_jobs.SimulationJobs.shutdown`)."""

DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="Database URL (default: $ACCORD_DATABASE_URL, else a SQLite file in the user data folder).",
    ),
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print JSON (a stable shape, see docs/team-server.md).")
]

db_app = typer.Typer(
    help="The database: create or migrate its schema.", no_args_is_help=True, rich_markup_mode=None
)
user_app = typer.Typer(help="User accounts.", no_args_is_help=True, rich_markup_mode=None)
token_app = typer.Typer(
    help="API tokens (stored hashed; shown once).", no_args_is_help=True, rich_markup_mode=None
)
member_app = typer.Typer(help="Who has which role in a case.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(member_app, name="member")


@contextmanager
def _errors() -> Iterator[None]:
    """Refusals of the services and the store become one line on stderr and exit code 2."""
    from accord.services import ServiceError
    from accord.store import StoreError

    try:
        yield
    except ServiceError as error:
        fail(error.detail)
    except StoreError as error:
        fail(str(error))


def _services(url: str | None, *, migrated: bool = True) -> Any:
    from accord.services import Services
    from accord.store import Database

    db = Database(url)
    if migrated:
        with _errors():
            db.check_migrated()
    return Services(db)


def _emit(as_json: bool, data: Any, render: Callable[[Console], None]) -> None:
    if as_json:
        print_json(data)
    else:
        render(console(soft_wrap=True))  # an address, a URL or a token is printed whole


# --- serve and db ---------------------------------------------------------------------------------


@app.command()
def serve(
    database_url: DatabaseOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            help="Server processes. Each keeps its own cache of cases and views; users, records and "
            "simulation jobs are shared through the database.",
            min=1,
            max=64,
        ),
    ] = 1,
    threads: Annotated[
        int,
        typer.Option(
            help="Handler threads per process (at most the database pool's 10); more for a "
            "PostgreSQL server across a network.",
            min=1,
            max=10,
        ),
    ] = 2,
) -> None:
    """Run the team server (the REST API and the dashboard at /dashboard/) with Uvicorn."""
    import uvicorn

    from accord.cli import workers as workers_module
    from accord.cli.demo import dashboard_app
    from accord.store.engine import ENV_VAR

    services = _services(database_url)
    sockets = None
    if workers > 1 and workers_module.HAS_REUSE_PORT:  # a socket per process: connections spread evenly
        try:
            sockets = workers_module.listening_sockets(host, port, workers)
        except workers_module.CannotListen as error:
            fail(str(error))
    typer.echo(
        f"Accord on http://{host}:{port} (database {services.db.engine.url.render_as_string()}, "
        f"{workers} process{'es' if workers > 1 else ''})",
        err=True,
    )
    if workers == 1:
        uvicorn.run(
            dashboard_app(services, threads=threads),
            host=host,
            port=port,
            log_level="warning",
            timeout_graceful_shutdown=STOP_SECONDS,
        )
        return
    # Worker processes import the app afresh and find the database and the threads in the environment.
    services.db.dispose()
    os.environ[ENV_VAR] = services.db.url
    os.environ[THREADS_VAR] = str(threads)
    if sockets is not None:
        log = functools.partial(typer.echo, err=True)
        code = workers_module.Supervisor(sockets, app_from_environment, STOP_SECONDS, log).run()
        raise typer.Exit(code)
    uvicorn.run(
        f"{__name__}:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=STOP_SECONDS,
    )


def app_from_environment() -> Any:
    """The team server's app over ``$ACCORD_DATABASE_URL`` with ``$ACCORD_THREADS`` handler threads:
    what each worker process of ``accord serve --workers N`` runs."""
    from accord.cli.demo import dashboard_app

    threads = os.environ.get(THREADS_VAR)
    return dashboard_app(_services(None), threads=int(threads) if threads else None)


@db_app.command("upgrade")
def db_upgrade(database_url: DatabaseOpt = None, as_json: JsonOpt = False) -> None:
    """Create the schema, or migrate it to this version of Accord."""
    services = _services(database_url, migrated=False)
    revision = services.db.upgrade()
    url = services.db.engine.url.render_as_string()
    _emit(
        as_json,
        {"database": url, "revision": revision},
        lambda c: c.print(f"{url} is at revision {revision}"),
    )


# --- users and tokens -------------------------------------------------------------------------------


def _read_password(from_stdin: bool) -> str:
    import getpass

    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        fail("the passwords differ")
    return first


@user_app.command("add")
def user_add(
    username: str,
    admin: Annotated[bool, typer.Option("--admin", help="A server administrator.")] = False,
    display_name: Annotated[str | None, typer.Option(help="Name shown to others.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
    database_url: DatabaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a user (the password is prompted for, or read from stdin)."""
    services = _services(database_url)
    password = _read_password(password_stdin)
    with _errors():
        user = services.users.add(None, username, password, display_name=display_name, is_admin=admin)
    data = {"username": user.username, "admin": user.is_admin}
    _emit(as_json, data, lambda c: c.print(f"added {user.username}{' (server admin)' if admin else ''}"))


@user_app.command("list")
def user_list(database_url: DatabaseOpt = None, as_json: JsonOpt = False) -> None:
    """Every user."""
    services = _services(database_url)
    users = services.users.all(None)
    data = [
        {"username": u.username, "display_name": u.display_name, "admin": u.is_admin, "disabled": u.disabled}
        for u in users
    ]

    def render(out: Console) -> None:
        from accord.cli.render import titled_table

        table = titled_table("Users", "user", "name", "admin", "disabled")
        for u in users:
            table.add_row(
                u.username, u.display_name or "", "yes" if u.is_admin else "", "yes" if u.disabled else ""
            )
        out.print(table)

    _emit(as_json, data, render)


@user_app.command("disable")
def user_disable(
    username: str,
    enable: Annotated[bool, typer.Option("--enable", help="Enable the user again instead.")] = False,
    database_url: DatabaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Disable a user: their password and tokens stop working at once."""
    services = _services(database_url)
    with _errors():
        user = services.users.set_disabled(None, username, not enable)
    data = {"username": user.username, "disabled": user.disabled}
    _emit(
        as_json, data, lambda c: c.print(f"{user.username} is {'disabled' if user.disabled else 'enabled'}")
    )


@token_app.command("create")
def token_create(
    username: str,
    name: Annotated[str, typer.Option(help="What the token is for.")] = "api",
    expires_days: Annotated[
        int | None, typer.Option(help=f"Expire after this many days (1 to {MAX_TOKEN_DAYS}).", min=1)
    ] = None,
    database_url: DatabaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Create an API token for a user; the token is printed once (only its digest is kept)."""
    if expires_days is not None and expires_days > MAX_TOKEN_DAYS:
        fail(f"--expires-days: expected 1 to {MAX_TOKEN_DAYS} days, got {expires_days}")
    services = _services(database_url)
    expires = services.clock() + dt.timedelta(days=expires_days) if expires_days else None
    with _errors():
        issued = services.users.create_token(None, username, name, expires_at=expires)
    data = {"id": issued.id, "token": issued.secret, "expires_at": issued.expires_at}
    _emit(
        as_json, data, lambda c: c.print(f"token {issued.id} for {username} (shown once):\n{issued.secret}")
    )


@token_app.command("revoke")
def token_revoke(token_id: int, database_url: DatabaseOpt = None, as_json: JsonOpt = False) -> None:
    """Revoke a token by its id."""
    services = _services(database_url)
    with _errors():
        services.users.revoke_token(None, token_id)
    _emit(as_json, {"id": token_id, "revoked": True}, lambda c: c.print(f"token {token_id} revoked"))


# --- members ----------------------------------------------------------------------------------------


@member_app.command("set")
def member_set(
    case_id: str,
    username: str,
    role: Annotated[str, typer.Argument(help="admin, mediator, observer or member")],
    party: Annotated[str | None, typer.Option(help="The party of a member.")] = None,
    database_url: DatabaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Give a user a role in a case."""
    services = _services(database_url)
    with _errors():
        services.cases.set_member(None, case_id, username, role, party)
    data = {"case": case_id, "username": username, "role": role, "party": party}
    _emit(
        as_json,
        data,
        lambda c: c.print(f"{username} is {role}{f' of {party}' if party else ''} in {case_id}"),
    )


# --- import and export -------------------------------------------------------------------------------


def _read_case_file(name_or_path: str) -> Any:
    from accord.casefile import CaseFileError, resolve_case

    try:
        return resolve_case(name_or_path)
    except CaseFileError as error:
        fail(error.first_line)


@app.command("import")
def import_case(
    case_file: Annotated[
        str, typer.Argument(help="A case file (.yaml/.json), or the name of a bundled case.")
    ],
    database_url: DatabaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Store a case file in the database (its draft proposals stay private to their parties)."""
    services = _services(database_url)
    case = _read_case_file(case_file)
    with _errors():
        summary = services.cases.import_case(None, case)
    data = {"case": summary.id, "proposals": len(case.proposals), "events": len(case.events)}
    _emit(
        as_json,
        data,
        lambda c: c.print(
            f"imported {summary.id}: {len(case.proposals)} proposals, {len(case.events)} events"
        ),
    )


@app.command("export")
def export_case(
    case_id: str,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write here (.yaml or .json); default stdout as YAML."),
    ] = None,
    database_url: DatabaseOpt = None,
) -> None:
    """Write a stored case back out as a case file (everything, drafts included)."""
    services = _services(database_url)
    with _errors():
        case = services.cases.export(None, case_id)
    from accord.casefile import CaseFileError, dump_case, format_of, write_case

    with _errors():
        if output is None:
            typer.echo(dump_case(case), nl=False)
            return
        try:
            format_of(output)
            write_case(case, output)
        except CaseFileError as error:
            fail(error.first_line)

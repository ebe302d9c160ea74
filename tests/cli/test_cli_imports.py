"""The CLI starts quickly because of what it does not import: `accord --help` loads Typer and the command
modules only; `accord status` adds the model, the case-file reader, the ledger and Rich, not NumPy or
the server. Structural checks in a fresh interpreter (bench/bench_cli.py measures the times)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PROBE = """
import json, sys
from accord.cli.app import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)))
"""

HEAVY = {"numpy", "pydantic", "pydantic_core", "yaml", "rich", "sqlalchemy", "alembic", "psycopg", "fastapi"}
HEAVY |= {"starlette", "uvicorn", "jinja2", "plotly", "pyarrow", "dask", "distributed", "torch", "defusedxml"}
CORE = {"accord.model", "accord.ledger", "accord.prefs", "accord.analysis", "accord.sim", "accord.casefile"}
OUTER = {"accord.services", "accord.workflows", "accord.store", "accord.api", "accord.web"}


def _modules(*args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "100"},
    )
    marker = result.stderr.rindex("MODULES ")
    return set(json.loads(result.stderr[marker + len("MODULES ") :]))


def _loaded(modules: set[str], names: set[str]) -> set[str]:
    return {
        m for m in modules if m in names or m.split(".")[0] in names or ".".join(m.split(".")[:2]) in names
    }


@pytest.mark.parametrize("args", [(), ("--help",)])
def test_help_loads_no_library_and_no_part_of_accord_but_the_cli(args):
    modules = _modules(*args)
    assert _loaded(modules, HEAVY | CORE | OUTER) == set()
    assert "accord.cli.views" in modules and "accord.cli.simulate" in modules  # every command is there


@pytest.mark.parametrize("args", [("status", "--help"), ("sweep", "--help"), ("serve", "--help")])
def test_a_commands_help_loads_no_part_of_accord_but_the_cli(args):
    # Typer (0.2x) reads every option through pydantic: that much it loads, nothing of Accord's.
    assert _loaded(_modules(*args), (HEAVY - {"pydantic", "pydantic_core"}) | CORE | OUTER) == set()


def test_status_loads_the_ledger_and_rich_but_not_numpy_or_the_server():
    modules = _loaded(_modules("status", "wga-amptp-2023"), HEAVY | CORE | OUTER)
    assert {"accord.model", "accord.casefile", "accord.ledger", "rich", "pydantic", "yaml"} <= modules
    assert (
        modules & {"numpy", "sqlalchemy", "fastapi", "uvicorn", "pyarrow", "dask", "torch", "plotly"} == set()
    )
    assert modules & OUTER == set()


def test_a_generated_tournament_loads_the_engine_and_pyarrow_but_not_the_model_or_plotly(tmp_path):
    """The model's validators, the case-file reader and Plotly's Python package (the plots are
    written as plain data) are not needed to run and write a tournament of generated domains;
    neither is Rich's progress bar when stderr is not a terminal."""
    args = ("tournament", "--generated", "1", "--repetitions", "2", "--strategies", "boulware")
    modules = _modules(*args, "--out", str(tmp_path))
    assert (tmp_path / "results.parquet").exists() and (tmp_path / "outcomes.html").exists()
    loaded = _loaded(modules, HEAVY | CORE | OUTER)
    assert {"numpy", "pyarrow", "accord.sim", "accord.workflows"} <= loaded
    assert loaded & {"accord.model", "accord.casefile", "accord.ledger", "plotly", "rich", "dask"} == set()

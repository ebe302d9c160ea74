"""``--device``, ``--dtype`` and ``--arrays`` on ``accord tournament`` and ``accord sweep``: bad values,
and no PyTorch (with PyTorch: test_cli_torch.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

from accord.cli.app import app

runner = CliRunner()
SRC = Path(__file__).resolve().parents[2] / "src"


def one_line_error(result, *fragments):
    """Exit code 2 and one line naming the problem (each of ``fragments`` in it)."""
    assert result.exit_code == 2, result.output
    assert result.output.strip().count("\n") == 0, result.output
    for fragment in fragments:
        assert fragment in result.output.replace("\n", " ")


def test_bad_device_or_dtype_exits_2(tmp_path):
    for args in (["--device", "tpu"], ["--dtype", "float16"], ["--arrays", "jax"]):
        one_line_error(runner.invoke(app, ["tournament", "--out", str(tmp_path), *args]), "error")
        one_line_error(runner.invoke(app, ["sweep", *args]), "error")


def _without_torch(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh interpreter where ``import torch`` fails, as without the gpu extra."""
    code = "import sys; sys.modules['torch'] = None; from accord.cli.app import main; main()"
    env = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_without_pytorch_cpu_works_and_cuda_says_how_to_get_it(tmp_path):
    ok = _without_torch(
        "tournament", "--generated", "1", "--rounds", "5", "--json", "--out", str(tmp_path / "a")
    )
    assert ok.returncode == 0, ok.stderr
    assert pq.read_table(tmp_path / "a" / "results.parquet").num_rows == json.loads(ok.stdout)["planned"]
    for extra in (["--device", "cuda"], ["--arrays", "torch"]):
        missing = _without_torch("tournament", "--out", str(tmp_path / "b"), *extra)
        assert missing.returncode == 2
        assert missing.stderr.strip().count("\n") == 0, missing.stderr
        assert "pip install 'accord[gpu]'" in missing.stderr
    sweep = _without_torch("sweep", "--device", "cuda")
    assert sweep.returncode == 2 and "accord[gpu]" in sweep.stderr

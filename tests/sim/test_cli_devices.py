"""``--device``, ``--dtype`` and ``--arrays`` on ``accord tournament`` and ``accord sweep``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import torch
from test_cli_simulate import _assert_same, _tournament
from typer.testing import CliRunner

from accord.cli.app import app

runner = CliRunner()
SRC = Path(__file__).resolve().parents[2] / "src"


def test_tournament_on_torch_arrays_equals_numpy(tmp_path):
    _, numpy = _tournament(tmp_path, "numpy")
    _, torch_cpu = _tournament(tmp_path, "torch", "--arrays", "torch", "--workers", "2")
    _assert_same(numpy, torch_cpu)
    report, single = _tournament(tmp_path, "float32", "--arrays", "torch", "--dtype", "float32")
    assert report["negotiations"] == single.num_rows == numpy.num_rows


def test_sweep_on_torch_arrays_equals_numpy():
    args = ["sweep", "--steps", "5", "--high", "0.01", "--rounds", "40", "--json"]
    numpy = runner.invoke(app, args)
    on_torch = runner.invoke(app, [*args, "--arrays", "torch"])
    assert numpy.exit_code == on_torch.exit_code == 0, on_torch.output
    assert json.loads(numpy.output) == json.loads(on_torch.output)


def _one_line_error(result, *fragments):
    assert result.exit_code == 2, result.output
    assert result.output.strip().count("\n") == 0 or len(result.output) < 400
    for fragment in fragments:
        assert fragment in result.output.replace("\n", " ")


def test_bad_device_or_dtype_exits_2(tmp_path):
    for args in (["--device", "tpu"], ["--dtype", "float16"], ["--arrays", "jax"]):
        _one_line_error(runner.invoke(app, ["tournament", "--out", str(tmp_path), *args]), "error")
        _one_line_error(runner.invoke(app, ["sweep", *args]), "error")


def test_cuda_without_a_gpu_exits_2_saying_why(tmp_path):
    result = runner.invoke(
        app, ["tournament", "--generated", "1", "--rounds", "5", "--device", "cuda", "--out", str(tmp_path)]
    )
    if torch.cuda.is_available():
        assert result.exit_code == 0, result.output
    else:
        _one_line_error(result, "sees no CUDA GPU", "--device cpu")


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

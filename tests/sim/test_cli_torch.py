"""``accord tournament`` and ``accord sweep`` on PyTorch arrays give NumPy's results; ``--device
cuda`` runs where there is a GPU and says why not where there is none. Only about PyTorch."""

from __future__ import annotations

import json

import torch
from test_cli_devices import one_line_error
from test_cli_simulate import _assert_same, _tournament
from typer.testing import CliRunner

from accord.cli.app import app

runner = CliRunner()


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


def test_cuda_without_a_gpu_exits_2_saying_why(tmp_path):
    result = runner.invoke(
        app, ["tournament", "--generated", "1", "--rounds", "5", "--device", "cuda", "--out", str(tmp_path)]
    )
    if torch.cuda.is_available():
        assert result.exit_code == 0, result.output
    else:
        one_line_error(result, "sees no CUDA GPU", "--device cpu")

"""bench/bench_gpu.py runs end to end (on PyTorch's CPU build here, with tiny batches)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[2]


def _bench(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_gpu.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_gpu_benchmark_table_on_the_cpu(tmp_path):
    out = tmp_path / "table.md"
    args = [
        "--device",
        "cpu",
        "--min-batch",
        "100",
        "--max-batch",
        "1000",
        "--verify",
        "40",
        "--out",
        str(out),
    ]
    done = _bench(*args)
    assert done.returncode == 0, done.stderr
    rows = [line for line in out.read_text().splitlines() if line.startswith("| ") and "problem" not in line]
    assert len(rows) == 2 * 2 * 2  # two problems, two dtypes, two sizes
    float64 = [r for r in rows if "float64" in r]
    assert all(r.rstrip(" |").endswith("100.00%") for r in float64), float64
    assert {"bilateral Boulware", "3-party union vs coalition (unanimity)"} <= {
        r.split("|")[1].strip() for r in rows
    }


def test_gpu_benchmark_on_cuda_or_a_clear_refusal(tmp_path):
    done = _bench("--min-batch", "100", "--max-batch", "100", "--out", str(tmp_path / "t.md"))
    if torch.cuda.is_available():
        assert done.returncode == 0, done.stderr
    else:
        assert done.returncode == 2 and "sees no CUDA GPU" in done.stderr
        assert not (tmp_path / "t.md").exists()


def test_gpu_benchmark_profiles_one_call(tmp_path):
    profile = tmp_path / "profile.md"
    args = ["--device", "cpu", "--min-batch", "100", "--max-batch", "100", "--dtypes", "float64"]
    done = _bench(*args, "--chunk", "2000", "--out", str(tmp_path / "t.md"), "--profile", str(profile))
    assert done.returncode == 0, done.stderr
    text = profile.read_text()
    assert text.startswith("# One engine call: 2,000 bilateral negotiations, float64, cpu")
    assert "## By host time" in text and "aten::index_select" in text

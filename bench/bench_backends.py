"""Batch engine throughput per array backend, processes and batch size, against NegMAS.

    PYTHONPATH=src /work/venv/bin/python bench/bench_backends.py [--quick] [--negmas-python PATH]

Bilateral alternating offers, Boulware on both sides, 100 rounds, 8 random additive domains of
10 x 10 x 10 = 1,000 outcomes (the benchmark of ``bench_sim.py``), plus the three-party union
vs coalition (unanimity) problem of ``bench_gpu.py``. NegMAS 0.16 is measured in the same run,
in its own interpreter (``--negmas-python``, default ``/work/venv-bench/bin/python``), on the
same domains. Two-process rows split the batch into index ranges (``run_batch_parallel``) and
are checked to equal the one-process result row for row. Prints one table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from accord.sim.engine.arrays import ArraySpec, ArraysUnavailableError
from accord.sim.engine.batch import run_batch
from accord.sim.runs.parallel import run_batch_parallel
from accord.sim.strategies import make_strategy
from bench_gpu import N_ROUNDS, problems

HERE = Path(__file__).resolve().parent


def negmas_rate(python: str, count: int) -> float | None:
    """NegMAS negotiations per second on ``count`` of bench_sim's bilateral domains."""
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import bench_sim as b; "
        f"rate, _ = b.bench_negmas(b.domains(2, {count}), 1); print(json.dumps(rate))"
    )
    env = {**os.environ, "PYTHONPATH": str(HERE.parent / "src")}
    try:
        done = subprocess.run(
            [python, "-c", code, str(HERE)], capture_output=True, text=True, env=env, timeout=900
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"NegMAS not measured: {exc}", file=sys.stderr)
        return None
    if done.returncode != 0:
        print(f"NegMAS not measured: {done.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return None
    return float(json.loads(done.stdout.strip().splitlines()[-1]))


def timed(scenarios, batch: int, spec: ArraySpec, workers: int):
    sid = np.arange(batch) % len(scenarios)
    lineup = np.zeros((batch, scenarios[0].n_sides), dtype=np.int64)
    strategies = [make_strategy("boulware")]
    start = time.perf_counter()
    if workers == 1:
        result = run_batch(
            scenarios,
            sid,
            strategies,
            lineup,
            N_ROUNDS,
            seed=0,
            indices=np.arange(batch),
            xp=spec.namespace(),
        )
    else:
        result = run_batch_parallel(
            scenarios,
            sid,
            strategies,
            lineup,
            N_ROUNDS,
            seed=0,
            indices=np.arange(batch),
            workers=workers,
            arrays=spec,
        )
    return batch / (time.perf_counter() - start), result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller batches and fewer NegMAS runs")
    parser.add_argument("--negmas-python", default="/work/venv-bench/bin/python")
    args = parser.parse_args()
    big = 200_000 if args.quick else 1_000_000
    nm = negmas_rate(args.negmas_python, 4 if args.quick else 8)
    plan = [
        ("numpy", "cpu", "float64", 10_000, 1),
        ("numpy", "cpu", "float64", 100_000, 1),
        ("numpy", "cpu", "float64", big, 1),
        ("numpy", "cpu", "float64", big, 2),
        ("numpy", "cpu", "float32", big, 2),
        ("torch", "cpu", "float64", 100_000, 1),
        ("torch", "cpu", "float32", 100_000, 1),
    ]
    rows = []
    for problem, scenarios in problems().items():
        timed(scenarios, 1000, ArraySpec(), 1)  # warm-up
        single: dict[int, object] = {}
        for library, device, dtype, batch, workers in plan:
            spec = ArraySpec(device, dtype, library)
            try:
                spec.namespace()
            except ArraysUnavailableError as exc:
                print(f"skipped {spec.label()}: {exc}", file=sys.stderr)
                continue
            rate, result = timed(scenarios, batch, spec, workers)
            note = ""
            if spec.label() == "numpy/cpu/float64" and workers == 1:
                single[batch] = result
            elif batch in single:
                ref = single[batch]
                same = all(
                    np.array_equal(getattr(ref, k), getattr(result, k))
                    for k in ("agreement", "end_turn", "reason")
                )
                note = "identical to NumPy float64, 1 process" if same else "DIFFERENT"
                if not same and dtype == "float32":
                    agree = float(np.mean(ref.agreement == result.agreement))
                    note = f"{agree:.4%} same agreement"
            ratio = f"{rate / nm:,.0f}x" if nm and problem.startswith("bilateral") else "n/a"
            rows.append(
                (problem, library, device, dtype, f"{batch:,}", str(workers), f"{rate:,.0f}", ratio, note)
            )
            print(rows[-1], flush=True)
    print(
        f"\nNegMAS 0.16 (SAOMechanism, BoulwareTBNegotiator, bilateral): {nm:,.1f} neg/s"
        if nm
        else "\nNegMAS: not measured"
    )
    header = ("problem", "backend", "device", "dtype", "batch", "processes", "neg/s", "vs NegMAS", "check")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    for r in (header, tuple("-" * w for w in widths), *rows):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""GPU benchmark of the batch engine on PyTorch: throughput and memory over batch sizes.

    PYTHONPATH=src python bench/bench_gpu.py --out gpu-table.md            # on a CUDA machine
    PYTHONPATH=src python bench/bench_gpu.py --device cpu --max-batch 10000 --out /tmp/t.md

Two problems, Boulware on every side, 100 rounds, 8 random additive domains of
10 x 10 x 10 = 1,000 outcomes: bilateral alternating offers, and a union facing a coalition of
two members that decides by unanimity (three parties). For each batch size 10^4 ... 10^8 (in
chunks of at most ``--chunk`` negotiations per engine call, so memory stays bounded) it times
the whole engine call (inputs from the host, results back to the host), reads the peak GPU
memory (``torch.cuda.max_memory_allocated``), and checks a sample of the results against the
NumPy engine (float64 must match exactly; float32 reports its share of identical results). A
size that would not finish within the time budget is skipped and marked so. The table is
printed and written (Markdown) to ``--out`` after every row.

``--profile FILE`` also runs one engine call of ``--chunk`` bilateral negotiations (float64)
under ``torch.profiler`` and writes its operators, by device time and by host time, to FILE:
where the time of a large call goes (kernels, copies, host work, synchronisations).

Needs only Accord's own dependencies and PyTorch (no network, no NegMAS).
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np

from accord.model import DecisionRule
from accord.sim.engine.arrays import ArraySpec, ArraysUnavailableError
from accord.sim.engine.batch import run_batch
from accord.sim.scenarios.generate import random_scenario, union_vs_coalition
from accord.sim.strategies import make_strategy

N_ROUNDS = 100
SHAPE = (10, 10, 10)
N_DOMAINS = 8
COLUMNS = (
    "problem",
    "backend",
    "device",
    "dtype",
    "batch",
    "neg/s",
    "peak GPU MiB",
    "seconds",
    "same as NumPy",
)


def problems() -> dict[str, list]:
    rng = np.random.default_rng(0)
    bilateral = [random_scenario(rng, SHAPE, name=f"d{i}") for i in range(N_DOMAINS)]
    rule = DecisionRule(kind="unanimity")
    coalition = [union_vs_coalition(rng, SHAPE, 2, rule, reservation=0.1) for _ in range(N_DOMAINS)]
    return {"bilateral Boulware": bilateral, "3-party union vs coalition (unanimity)": coalition}


def inputs(scenarios, lo: int, hi: int):
    """Negotiation ``i`` plays scenario ``i % 8``: the scenario index in one byte (what crosses
    the bus), one line-up for all (a broadcast view, no memory per negotiation)."""
    n = len(scenarios)
    cycle = np.roll(np.arange(n, dtype=np.int8), -(lo % n))
    lineup = np.broadcast_to(
        np.zeros((1, scenarios[0].n_sides), dtype=np.int64), (hi - lo, scenarios[0].n_sides)
    )
    return np.tile(cycle, -(-(hi - lo) // n))[: hi - lo], lineup, np.arange(lo, hi, dtype=np.int64)


def synchronize(torch, device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def run_size(torch, scenarios, spec: ArraySpec, batch: int, chunk: int, sample: np.ndarray):
    """Time ``batch`` negotiations; returns (seconds, peak bytes, results at ``sample``)."""
    xp = spec.namespace()
    strategies = [make_strategy("boulware")]
    cuda = spec.device.startswith("cuda")
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    picked = {name: np.empty(sample.size, dtype=np.int64) for name in ("agreement", "end_turn", "reason")}
    synchronize(torch, spec.device)
    start = time.perf_counter()
    for lo in range(0, batch, chunk):
        hi = min(batch, lo + chunk)
        sid, lineup, index = inputs(scenarios, lo, hi)
        result = run_batch(scenarios, sid, strategies, lineup, N_ROUNDS, seed=0, indices=index, xp=xp)
        mine = (sample >= lo) & (sample < hi)
        for name, values in picked.items():
            values[mine] = getattr(result, name)[sample[mine] - lo]
    synchronize(torch, spec.device)
    elapsed = time.perf_counter() - start
    peak = torch.cuda.max_memory_allocated() if cuda else None
    return elapsed, peak, picked


def profile(torch, scenarios, device: str, chunk: int, path: Path) -> None:
    """One engine call of ``chunk`` negotiations under ``torch.profiler``; tables to ``path``."""
    from torch.profiler import ProfilerActivity
    from torch.profiler import profile as profiler

    xp = ArraySpec(device, "float64", "torch").namespace()
    strategies = [make_strategy("boulware")]
    sid, lineup, index = inputs(scenarios, 0, min(1000, chunk))
    run_batch(scenarios, sid, strategies, lineup, N_ROUNDS, seed=0, indices=index, xp=xp)  # warm-up
    activities = [ProfilerActivity.CPU]
    if device.startswith("cuda"):
        activities.append(ProfilerActivity.CUDA)
    synchronize(torch, device)
    with profiler(activities=activities) as prof:
        start = time.perf_counter()  # once the profiler has started
        sid, lineup, index = inputs(scenarios, 0, chunk)
        made = time.perf_counter()
        run_batch(scenarios, sid, strategies, lineup, N_ROUNDS, seed=0, indices=index, xp=xp)
        synchronize(torch, device)
        end = time.perf_counter()
    table = prof.key_averages()
    sections = [
        f"# One engine call: {chunk:,} bilateral negotiations, float64, {device}\n",
        f"wall {end - start:.3f} s under the profiler, of which inputs {made - start:.3f} s\n",
    ]
    if device.startswith("cuda"):
        sections += ["## By device time\n", table.table(sort_by="self_cuda_time_total", row_limit=20)]
    sections += ["## By host time\n", table.table(sort_by="self_cpu_time_total", row_limit=20)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(sections) + "\n")
    print(f"profile written to {path}", flush=True)


def verify(scenarios, sample: np.ndarray, picked) -> float:
    """Share of the sampled negotiations whose result equals the NumPy float64 engine's."""
    sid, index = sample % len(scenarios), sample
    lineup = np.zeros((sample.size, scenarios[0].n_sides), dtype=np.int64)
    ref = run_batch(scenarios, sid, [make_strategy("boulware")], lineup, N_ROUNDS, seed=0, indices=index)
    same = np.ones(sample.size, dtype=bool)
    for name, values in picked.items():
        same &= getattr(ref, name) == values
    return float(same.mean())


def render(rows: list[tuple[str, ...]], header: str) -> str:
    widths = [max(len(c), *(len(r[i]) for r in rows)) if rows else len(c) for i, c in enumerate(COLUMNS)]
    line = lambda cells: "| " + " | ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)) + " |"  # noqa: E731
    out = [header, "", line(COLUMNS), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out.extend(line(r) for r in rows)
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, required=True, help="file to write the table to (Markdown)")
    parser.add_argument(
        "--device", default="cuda", help="cuda, cuda:N, or cpu (PyTorch on the CPU, to try it)"
    )
    parser.add_argument("--dtypes", default="float64,float32", help="comma-separated: float64, float32")
    parser.add_argument("--min-batch", type=float, default=1e4)
    parser.add_argument("--max-batch", type=float, default=1e8)
    parser.add_argument("--chunk", type=float, default=2e7, help="most negotiations per engine call")
    parser.add_argument("--verify", type=int, default=2000, help="sampled negotiations checked against NumPy")
    parser.add_argument("--budget", type=float, default=240.0, help="seconds for all timed runs together")
    parser.add_argument(
        "--profile", type=Path, help="also profile one call of --chunk bilateral negotiations into this file"
    )
    args = parser.parse_args(argv)
    try:
        import torch
    except ImportError:
        print("error: this benchmark needs PyTorch: pip install 'accord[gpu]'", file=sys.stderr)
        return 2
    dtypes = [d.strip() for d in args.dtypes.split(",") if d.strip()]
    try:
        specs = [ArraySpec(args.device, d, "torch") for d in dtypes]
        for spec in specs:
            spec.namespace()
    except (ValueError, ArraysUnavailableError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sizes = []
    size = int(args.min_batch)
    while size <= int(args.max_batch):
        sizes.append(size)
        size *= 10
    chunk = max(1, int(args.chunk))
    gpu = (
        torch.cuda.get_device_name(torch.device(args.device))
        if args.device.startswith("cuda")
        else platform.processor() or "CPU"
    )
    header = (
        f"# Accord batch engine on PyTorch {torch.__version__}, {args.device} ({gpu})\n\n"
        f"Boulware on every side, {N_ROUNDS} rounds, {N_DOMAINS} random additive domains of "
        f"{int(np.prod(SHAPE)):,} outcomes; chunks of at most {chunk:,} negotiations per engine call; "
        f"times include inputs from and results to the host. 'same as NumPy': share of {args.verify:,} "
        "sampled negotiations (per size) whose agreement, end turn and reason equal the NumPy float64 engine's."
    )
    rows: list[tuple[str, ...]] = []
    deadline = time.perf_counter() + args.budget
    rng = np.random.default_rng(1)
    for name, scenarios in problems().items():
        for spec in specs:
            run_size(torch, scenarios, spec, min(1000, sizes[0]), chunk, np.arange(1))  # warm-up
            last = 0.0
            for batch in sizes:
                remaining = deadline - time.perf_counter()
                if last * 10 * 1.2 > remaining:
                    rows.append(
                        (
                            name,
                            "torch",
                            args.device,
                            spec.dtype,
                            f"{batch:,}",
                            "skipped (time budget)",
                            "",
                            "",
                            "",
                        )
                    )
                    continue
                sample = np.unique(
                    np.concatenate([np.arange(min(batch, 10)), rng.integers(0, batch, args.verify)])
                )
                elapsed, peak, picked = run_size(torch, scenarios, spec, batch, chunk, sample)
                last = elapsed
                same = verify(scenarios, sample, picked)
                rows.append(
                    (
                        name,
                        "torch",
                        args.device,
                        spec.dtype,
                        f"{batch:,}",
                        f"{batch / elapsed:,.0f}",
                        f"{peak / 2**20:,.0f}" if peak is not None else "n/a",
                        f"{elapsed:.2f}",
                        f"{same:.2%}",
                    )
                )
                table = render(rows, header)
                args.out.parent.mkdir(parents=True, exist_ok=True)
                args.out.write_text(table)
                print(rows[-1], flush=True)
                if spec.dtype == "float64" and same < 1.0:
                    print(
                        f"MISMATCH: float64 results differ from NumPy on {1 - same:.2%} of the sample",
                        file=sys.stderr,
                    )
    table = render(rows, header)
    args.out.write_text(table)
    print(table)
    if args.profile is not None:
        profile(torch, problems()["bilateral Boulware"], args.device, chunk, args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())

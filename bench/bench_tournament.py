"""The whole ``accord tournament`` process against NegMAS's SAO on the same domains, in the same run.

    make bench-tournament                 (the bench environment, which has ``negmas``)
    .venv-bench/bin/python bench/bench_tournament.py [--repetitions 50000] [--repeats 3] [--negmas 40]

Accord: ``accord tournament --generated 4 --repetitions R --strategies boulware --rounds 100
--profile`` run as a fresh process, timed from outside from start to exit (start-up, scenario
generation, engine, metrics, writing ``results.parquet`` and ``summary.parquet``, plots), after
one warm-up run (the file cache, and Accord's bytecode written as an installed package has it);
the best of ``--repeats`` runs is the figure (the machine may be shared), the median beside it,
and the last run's ``--profile`` table shows where the time went. NegMAS 0.16: ``SAOMechanism`` with
``BoulwareTBNegotiator`` on both sides, 100 steps, on the same four generated domains (the same
utilities, checked), ``--negmas`` negotiations spread over the domains; its rate per negotiation
is measured on that smaller count and extrapolated (a Boulware negotiation costs NegMAS the same
however many are run). Runs alternate, a batch of NegMAS runs after each Accord run, so both see
the same load; the ratio is printed best against best (wall clock and CPU time) and median
against median (wall clock).
Also: whether both settle on the same package in the same round, domain by domain. Prints the
ratio against the target (5,000x); never enforced.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from accord.cli.sim_options import generated_scenarios
from accord.sim.scenarios.generate import additive_utilities, random_tables
from bench_sim import N_ROUNDS, negmas_run

SHAPE = (5, 5, 4)
"""`accord tournament`'s default shape of a generated domain."""
DOMAINS = 4
SEED = 0
TARGET = 5_000


def _accord() -> list[str]:
    script = Path(sys.executable).parent / "accord"
    return [str(script)] if script.exists() else [sys.executable, "-m", "accord"]


def _environment() -> dict[str, str]:
    """This environment, allowing Python to write bytecode: the warm-up run leaves Accord's
    modules compiled, as an installed package has them (an editable install under
    ``PYTHONDONTWRITEBYTECODE=1`` would compile every module in every run)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_accord(repetitions: int, out: Path) -> tuple[float, float, str]:
    """One whole process: wall seconds, CPU seconds (user + system) and its ``--profile`` table."""
    command = [
        *_accord(),
        "tournament",
        "--generated",
        str(DOMAINS),
        "--repetitions",
        str(repetitions),
        "--strategies",
        "boulware",
        "--rounds",
        str(N_ROUNDS),
        "--seed",
        str(SEED),
        "--out",
        str(out),
        "--profile",
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=_environment())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stderr


def same_tables():
    """The tables of the domains ``accord tournament --generated 4 --seed 0`` draws (same
    generator, same order), checked against the scenarios' utilities."""
    rng = np.random.default_rng(SEED)
    tables = [random_tables(rng, SHAPE, ("p0", "p1")) for _ in range(DOMAINS)]
    scenarios = generated_scenarios(DOMAINS, SHAPE, 2, SEED)
    for t, s in zip(tables, scenarios, strict=True):
        assert np.array_equal(additive_utilities(t), s.U), "the bench's domains differ from the tournament's"
    return tables, scenarios


def run_negmas(tables, count: int) -> tuple[float, float, list]:
    """NegMAS negotiations per second (wall and CPU) over ``count`` runs, and the first result
    per domain."""
    negmas_run(tables[0], 2)  # imports and first-call costs, not counted
    firsts: list = [None] * len(tables)
    start, start_cpu = time.perf_counter(), time.process_time()
    for i in range(count):
        result = negmas_run(tables[i % len(tables)], 2)
        if i < len(tables):
            firsts[i] = result
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    return count / wall, count / cpu, firsts


def agreement(out: Path, scenarios, firsts) -> int:
    """Domains where Accord's first negotiation settles on NegMAS's package in its round."""
    table = pq.read_table(out / "results.parquet", columns=["scenario", "outcome", "round"]).to_pylist()
    same = 0
    for scenario, (package, step, _) in zip(scenarios, firsts, strict=True):
        row = next(r for r in table if r["scenario"] == scenario.name)
        ours = scenario.packages.choice_indexes(row["outcome"]) if row["outcome"] >= 0 else None
        same += ours == package and (package is None or row["round"] == step)
    return same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repetitions", type=int, default=50_000, help="per domain (4 domains)")
    parser.add_argument("--repeats", type=int, default=3, help="accord processes (the best counts)")
    parser.add_argument("--negmas", type=int, default=40, help="NegMAS negotiations measured")
    args = parser.parse_args()
    tables, scenarios = same_tables()
    negotiations = DOMAINS * args.repetitions
    walls, cpus, rates, cpu_rates, profile = [], [], [], [], ""
    with tempfile.TemporaryDirectory() as tmp:
        run_accord(100, Path(tmp) / "warm")  # the file cache and the bytecode, not counted
        for i in range(args.repeats):
            out = Path(tmp) / f"out-{i}"  # a fresh folder: a rerun into the same one would resume
            wall, cpu, profile = run_accord(args.repetitions, out)
            walls.append(wall)
            cpus.append(cpu)
            rate, cpu_rate, firsts = run_negmas(tables, max(1, args.negmas // args.repeats))
            rates.append(rate)
            cpu_rates.append(cpu_rate)
        same = agreement(out, scenarios, firsts)
    negmas_rate, negmas_cpu_rate = max(rates), max(cpu_rates)
    accord_rate, accord_cpu_rate = negotiations / min(walls), negotiations / min(cpus)
    ratio = accord_rate / negmas_rate
    median_ratio = (negotiations / statistics.median(walls)) / statistics.median(rates)
    print(
        f"\n{negotiations:,} bilateral negotiations (4 generated {'x'.join(map(str, SHAPE))} domains x "
        f"{args.repetitions:,}), Boulware on both sides, {N_ROUNDS} rounds"
    )
    print(f"{'':<44}{'wall s':>9}{'neg/s':>12}{'CPU s':>9}{'neg/CPU s':>12}")
    print(
        f"{'accord tournament (whole process, best)':<44}{min(walls):>9.2f}{accord_rate:>12,.0f}"
        f"{min(cpus):>9.2f}{accord_cpu_rate:>12,.0f}"
    )
    print(
        f"{'  median of ' + str(args.repeats):<44}{statistics.median(walls):>9.2f}"
        f"{negotiations / statistics.median(walls):>12,.0f}{statistics.median(cpus):>9.2f}"
    )
    per_batch = max(1, args.negmas // args.repeats)
    print(
        f"{f'NegMAS SAO (best of {args.repeats} x {per_batch} runs)':<44}{negotiations / negmas_rate:>9.0f}"
        f"{negmas_rate:>12.1f}{negotiations / negmas_cpu_rate:>9.0f}{negmas_cpu_rate:>12.1f}"
        "   (seconds extrapolated)"
    )
    print(f"{'  median':<44}{'':>9}{statistics.median(rates):>12.1f}")
    verdict = "meets" if ratio >= TARGET else "BELOW"
    print(
        f"ratio, best against best: {ratio:,.0f}x on the wall clock ({verdict} the {TARGET:,}x target), "
        f"{accord_cpu_rate / negmas_cpu_rate:,.0f}x per CPU second; median against median: {median_ratio:,.0f}x"
    )
    print(f"same package and round as NegMAS: {same} of {DOMAINS} domains")
    print(f"({os.cpu_count()} CPUs; load {os.getloadavg()[0]:.1f}; last accord run's --profile:)\n{profile}")


if __name__ == "__main__":
    main()

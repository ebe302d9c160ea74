"""Simulator benchmark against NegMAS (run in the bench environment, which has ``negmas``).

    PYTHONPATH=src /work/venv-bench/bin/python bench/bench_sim.py [--quick]

Measures, in the same run: NegMAS 0.16 ``SAOMechanism`` with ``BoulwareTBNegotiator`` on every
side vs Accord's batch engine with ``boulware`` on every side (100 rounds, random additive
domains of 10 x 10 x 10 = 1,000 outcomes), bilateral and three-party; whether the two agree on
the agreed package, its round and utilities; the memory of a million result rows; and a
tournament on 1 vs 2 local worker processes. Prints one table with ratios.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pyarrow as pa

from accord.sim.engine.batch import run_batch
from accord.sim.runs.runners import LocalRunner
from accord.sim.runs.tournament import Tournament, concat, results
from accord.sim.scenarios.generate import random_tables, scenario_from_tables
from accord.sim.strategies import make_strategy

N_ROUNDS = 100
SHAPE = (10, 10, 10)


def negmas_run(tables, n_parties):
    """One NegMAS negotiation: (agreed option indexes or None, step, utilities)."""
    from negmas import BoulwareTBNegotiator, SAOMechanism, make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction

    issues = [make_issue(list(o), name=i) for i, o in zip(tables.issue_ids, tables.options, strict=True)]
    space = make_os(issues)
    mechanism = SAOMechanism(outcome_space=space, n_steps=N_ROUNDS)
    ufuns = []
    for j in range(n_parties):
        values = {
            i: {o: float(tables.tables[k][m, j]) for m, o in enumerate(tables.options[k])}
            for k, i in enumerate(tables.issue_ids)
        }
        ufun = LinearAdditiveUtilityFunction(
            values=values, weights={i: 1.0 for i in tables.issue_ids}, outcome_space=space, reserved_value=0.0
        )
        ufuns.append(ufun)
        mechanism.add(BoulwareTBNegotiator(ufun=ufun))
    mechanism.run()
    agreement = mechanism.agreement
    if agreement is None:
        return None, mechanism.state.step, None
    index = tuple(tables.options[k].index(v) for k, v in enumerate(agreement))
    return index, mechanism.state.step - 1, [float(u(agreement)) for u in ufuns]


def domains(n_parties, count, seed=0):
    rng = np.random.default_rng(seed)
    parties = tuple(f"p{j}" for j in range(n_parties))
    return [random_tables(rng, SHAPE, parties) for _ in range(count)]


def bench_negmas(tables_list, repeat):
    results = []
    start = time.perf_counter()
    for tables in tables_list:
        for _ in range(repeat):
            results.append(negmas_run(tables, tables.n_parties))
    elapsed = time.perf_counter() - start
    return len(tables_list) * repeat / elapsed, results


def bench_accord(tables_list, batch):
    scenarios = [scenario_from_tables(f"d{i}", t) for i, t in enumerate(tables_list)]
    n_sides = scenarios[0].n_sides
    sid = np.arange(batch) % len(scenarios)
    lineup = np.zeros((batch, n_sides), dtype=np.int64)
    start = time.perf_counter()
    result = run_batch(
        scenarios, sid, [make_strategy("boulware")], lineup, N_ROUNDS, seed=0, indices=np.arange(batch)
    )
    elapsed = time.perf_counter() - start
    return batch / elapsed, scenarios, result


def compare(tables_list, scenarios, result, negmas_results, repeat):
    """Same package, same round, same utilities, domain by domain."""
    same, n, nm_agree, ac_agree, nm_u, ac_u = 0, 0, 0, 0, [], []
    for d in range(len(tables_list)):
        ours = int(result.agreement[d])
        for index, step, utilities in negmas_results[d * repeat : (d + 1) * repeat]:
            n += 1
            nm_agree += index is not None
            ac_agree += ours >= 0
            if index is not None:
                nm_u.append(utilities)
            if ours >= 0:
                ac_u.append(scenarios[d].U[ours].tolist())
            ours_index = scenarios[d].packages.choice_indexes(ours) if ours >= 0 else None
            same += ours_index == index and (
                index is None or int(result.end_turn[d]) // scenarios[d].n_sides == step
            )
    return same / n, nm_agree / n, ac_agree / n, np.mean(nm_u, axis=0), np.mean(ac_u, axis=0)


def memory_per_million(table):
    arrow = pa.table({k: (v.tolist() if v.dtype == object else v) for k, v in table.items()})
    return arrow.nbytes / len(table["index"]) * 1e6


def bench_workers(quick):
    scenarios = tuple(scenario_from_tables(f"d{i}", t) for i, t in enumerate(domains(2, 4, seed=7)))
    tournament = Tournament(
        scenarios, (make_strategy("boulware"),), repetitions=5_000 if quick else 25_000, n_rounds=N_ROUNDS
    )
    rates, tables = {}, {}
    for workers in (1, 2):
        chunks = list(tournament.chunks(tournament.size // (2 * len(scenarios))))
        start = time.perf_counter()
        engine = concat(t for _, t in LocalRunner(workers).run(tournament, chunks))
        tables[workers] = results(tournament, engine)
        rates[workers] = tournament.size / (time.perf_counter() - start)
    identical = all(
        (tables[1][k].tolist() == tables[2][k].tolist())
        if tables[1][k].dtype == object
        else np.array_equal(tables[1][k], tables[2][k], equal_nan=True)
        for k in tables[1]
    )
    return tournament.size, rates, identical, memory_per_million(tables[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer NegMAS runs and smaller batches")
    args = parser.parse_args()
    repeat = 1 if args.quick else 2
    n_domains = 4 if args.quick else 8
    batch = 20_000 if args.quick else 100_000

    rows = []
    for n_parties in (2, 3):
        tables_list = domains(n_parties, n_domains)
        nm_rate, nm_results = bench_negmas(tables_list, repeat)
        bench_accord(tables_list, 100)  # warm-up
        ac_rate, scenarios, result = bench_accord(tables_list, batch)
        same, nm_agree, ac_agree, nm_u, ac_u = compare(tables_list, scenarios, result, nm_results, repeat)
        rows.append((n_parties, nm_rate, ac_rate, same, nm_agree, ac_agree, nm_u, ac_u))
    size, rates, identical, memory = bench_workers(args.quick)

    print(
        f"\nBoulware on every side, {N_ROUNDS} rounds, random additive domains of {int(np.prod(SHAPE))} outcomes"
    )
    print(
        f"{'parties':>7} | {'NegMAS neg/s':>12} | {'Accord batch neg/s':>18} | {'ratio':>8} | {'same deal+round':>15} | "
        f"{'agree NegMAS/Accord':>19} | mean agreed utilities NegMAS / Accord"
    )
    for n_parties, nm_rate, ac_rate, same, nm_agree, ac_agree, nm_u, ac_u in rows:
        print(
            f"{n_parties:>7} | {nm_rate:>12.1f} | {ac_rate:>18,.0f} | {ac_rate / nm_rate:>7,.0f}x | {same:>15.0%} | "
            f"{nm_agree:>8.0%} / {ac_agree:<8.0%} | {np.round(nm_u, 4).tolist()} / {np.round(ac_u, 4).tolist()}"
        )
    print(
        f"\nTournament of {size:,} bilateral negotiations with results and metrics (frontier and Nash distances):"
    )
    print(
        f"  1 worker: {rates[1]:,.0f} neg/s; 2 workers: {rates[2]:,.0f} neg/s (x{rates[2] / rates[1]:.2f}); identical tables: {identical}"
    )
    print(f"  results memory: {memory / 2**20:,.0f} MiB per million negotiations (Arrow, bilateral)")


if __name__ == "__main__":
    main()

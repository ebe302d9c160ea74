"""Pareto frontier benchmark: Accord's kernels against NegMAS, measured in the same run.

Run with ``make bench`` (creates ``.venv-bench`` with Accord and ``negmas``), or directly with a
Python that has both: ``python bench/bench_frontier.py [--quick] [--repeats 3]``.

NegMAS always runs in a child process, so its memory never mixes with ours; our memory figures
come from a child process too (peak resident set size, ``ru_maxrss``). Times are medians of
``--repeats`` runs (NegMAS's exhaustive frontier at 10^7 outcomes and on AMPOvsCity: one run).
``--quick`` skips NegMAS's exhaustive frontier at 10^7 outcomes and on AMPOvsCity.

Sections:
(a) additive 2-party domains, 10^3 .. 10^30 outcomes: ``pareto_frontier_additive`` against
    NegMAS ``pareto_frontier`` (exhaustive, up to 10^7) and ``MOBANOSParetoSampler`` (both timed
    in the child, alternating, as both take milliseconds and the machine is shared);
(b) the enumerating kernel for any utility (``pareto_frontier(U)``) at 10^6 and 10^7 outcomes;
(c) a 3-party domain the size of ANAC 2016 parsCat (8 issues x 5 options = 390,625 outcomes);
(d) the public benchmark domains in ``--domains`` (default: the project's shared folder,
    ``shared/domains`` beside the checkout, when there is one), read by NegMAS's own loader: same
    frontier, Nash, Kalai–Smorodinsky, egalitarian and welfare points. The "Accord importer" rows
    time what ``accord frontier`` runs: the exact tables of the files' numbers (``exact_tables``),
    frontier and solutions decided exactly; NegMAS gets the float tables of the same import.
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from accord.analysis.frontier import pareto_frontier, pareto_frontier_additive
from accord.analysis.solutions import solution
from accord.analysis.space import enumerate_utilities
from accord.prefs.tables import UtilityTables

ROOT = Path(__file__).resolve().parents[1]
# ../shared/domains beside the checkout (as in CI); from a worktree under /work/wt, one level more
DOMAINS = next(
    (
        p
        for p in (ROOT / ".." / "shared" / "domains", ROOT / ".." / ".." / "shared" / "domains")
        if p.is_dir()
    ),
    ROOT / ".." / "shared" / "domains",
)

ADDITIVE_SIZES = [3, 4, 6, 7, 10, 30]  # 10 options per issue: 10^n outcomes
EXHAUSTIVE_MAX = 7


# ---------------------------------------------------------------------------- domains


def random_domain(shape: tuple[int, ...], k: int, seed: int) -> UtilityTables:
    """GENIUS-style linear additive domain: per party, Dirichlet issue weights, option values in [0, 1]."""
    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(np.ones(len(shape)), size=k)  # (k, n_issues)
    tables = tuple(np.ascontiguousarray(rng.random((m, k)) * weights[:, i]) for i, m in enumerate(shape))
    return UtilityTables(
        issue_ids=tuple(f"i{i}" for i in range(len(shape))),
        options=tuple(tuple(str(v) for v in range(m)) for m in shape),
        tables=tables,
        offset=np.zeros(k),
        parties=tuple(f"p{j}" for j in range(k)),
    )


def median_time(fn: Callable[[], object], repeats: int) -> tuple[float, Any]:
    times = []
    result: Any = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def point_set(P: np.ndarray, scale: float) -> set[tuple[float, ...]]:
    return {tuple(row) for row in np.round(np.asarray(P, dtype=float) / scale, 9)}


def compare(ours: np.ndarray, theirs: np.ndarray) -> tuple[int, int]:
    """(frontier points of ours missing from theirs, points of theirs not on our frontier)."""
    scale = max(1.0, float(np.abs(ours).max(initial=0.0)))
    a, b = point_set(ours, scale), point_set(theirs, scale)
    return len(a - b), len(b - a)


# ---------------------------------------------------------------------------- NegMAS side (child)


def _negmas_ufuns(tables: UtilityTables, reserved: list[float] | None = None) -> tuple[list[Any], Any]:
    from negmas import LinearAdditiveUtilityFunction, make_issue, make_os
    from negmas.preferences.value_fun import TableFun

    issues = [
        make_issue(values=len(o), name=i) for i, o in zip(tables.issue_ids, tables.options, strict=True)
    ]
    space = make_os(issues)
    ufuns = []
    for j in range(tables.n_parties):
        values = [TableFun({v: float(t[v, j]) for v in range(t.shape[0])}) for t in tables.tables]
        ufun = LinearAdditiveUtilityFunction(values=values, weights=[1.0] * len(values), outcome_space=space)
        ufun.reserved_value = float("-inf") if reserved is None else reserved[j]
        ufuns.append(ufun)
    return ufuns, space


def negmas_child(task: dict[str, Any]) -> dict[str, Any]:
    import warnings

    warnings.filterwarnings("ignore")
    from negmas import MOBANOSParetoSampler
    from negmas import pareto_frontier as nm_frontier

    out: dict[str, Any] = {}
    if task["kind"] == "random":
        tables = random_domain(tuple(task["shape"]), task["k"], task["seed"])
        ufuns, space = _negmas_ufuns(tables)
        if task["exhaustive_repeats"]:
            t, (fu, _) = median_time(
                lambda: nm_frontier(ufuns, issues=space.issues), task["exhaustive_repeats"]
            )
            out["exhaustive_s"], out["exhaustive_points"] = t, np.asarray(fu, dtype=float)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            out["exhaustive_peak_mb"] = rss / 1024
        if task["mobanos"]:

            def run_mobanos() -> list[Any]:
                sampler = MOBANOSParetoSampler()
                sampler.init(ufuns[0], ufuns[1])
                return sampler.pareto_outcomes()

            # interleave with ours, so that both see the same load on a shared machine
            theirs_t, ours_t = [], []
            outcomes: list[Any] = []
            for _ in range(task["repeats"]):
                t, outcomes = median_time(run_mobanos, 1)
                theirs_t.append(t)
                ours_t.append(median_time(lambda: pareto_frontier_additive(tables), 1)[0])
            choices = np.array(outcomes, dtype=np.int64).reshape(-1, len(tables.tables))
            out["mobanos_s"], out["mobanos_points"] = statistics.median(theirs_t), tables.utilities(choices)
            out["ours_interleaved_s"] = statistics.median(ours_t)
    elif task["kind"] == "tables":
        loaded = pickle.loads(Path(task["tables_path"]).read_bytes())
        ufuns, space = _negmas_ufuns(loaded["tables"], loaded["reserved"])
        out = negmas_solve(ufuns, space, task["exhaustive_repeats"], loaded["reserved"])
    else:
        out = negmas_scenario(Path(task["path"]), task["exhaustive_repeats"])
    return out


def negmas_scenario(path: Path, repeats: int) -> dict[str, Any]:
    from negmas.inout import Scenario

    scenario = Scenario.load(path)
    space = scenario.outcome_space
    ufuns = list(scenario.ufuns)
    bases = []
    for u in ufuns:
        while type(u).__name__ != "LinearAdditiveUtilityFunction" and hasattr(u, "ufun"):
            u = u.ufun
        bases.append(u)
    issues = list(space.issues)
    options = [list(i.all) for i in issues]
    tables = [
        np.array([[float(b.weights[i]) * float(b.values[i](v)) for b in bases] for v in opts])
        for i, opts in enumerate(options)
    ]
    reserved = [float(b.reserved_value) if b.reserved_value is not None else float("-inf") for b in bases]
    out = negmas_solve(bases, space, repeats, reserved)
    # check our reading of their ufuns: utilities of a sample of outcomes, theirs vs the tables
    rng = np.random.default_rng(0)
    shape = [len(o) for o in options]
    sample = np.stack([rng.integers(0, m, 200) for m in shape], axis=1)
    theirs = np.array(
        [[float(b(tuple(options[i][c] for i, c in enumerate(row)))) for b in bases] for row in sample]
    )
    ours = sum(tables[i][sample[:, i]] for i in range(len(shape)))
    out |= {"tables": tables, "reserved": reserved, "reading_error": float(np.abs(theirs - ours).max())}
    return out


def negmas_solve(bases: list[Any], space: Any, repeats: int, reserved: list[float]) -> dict[str, Any]:
    from negmas import kalai_points, ks_points, max_welfare_points, nash_points
    from negmas import pareto_frontier as nm_frontier

    issues = list(space.issues)
    t, (fu, _) = median_time(lambda: nm_frontier(bases, issues=issues), repeats)
    # keep the individually rational points (NegMAS does not always drop the others)
    fu = [p for p in fu if all(float(u) >= r for u, r in zip(p, reserved, strict=True))]
    frontier = [tuple(map(float, p)) for p in fu]
    sols = {
        "nash": nash_points(bases, frontier, outcome_space=space),
        "kalai_smorodinsky": ks_points(bases, frontier, outcome_space=space),
        "egalitarian": kalai_points(bases, frontier, outcome_space=space),
        "utilitarian": max_welfare_points(bases, frontier, outcome_space=space),
    }
    return {
        "exhaustive_s": t,
        "exhaustive_points": np.asarray(fu, dtype=float).reshape(-1, len(bases)),
        "solutions": {
            k: np.array([p for p, _ in v], dtype=float).reshape(-1, len(bases)) for k, v in sols.items()
        },
        "n_outcomes": int(np.prod([i.cardinality for i in issues])),
    }


def run_negmas(task: dict[str, Any], python: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "task.json"
        result = Path(tmp) / "result.pkl"
        spec.write_text(json.dumps(task))
        subprocess.run([python, __file__, "--role", "negmas", str(spec), str(result)], check=True)
        loaded: dict[str, Any] = pickle.loads(result.read_bytes())
        return loaded


# ---------------------------------------------------------------------------- our memory (child)


def ours_memory_child(task: dict[str, Any]) -> dict[str, Any]:
    n_issues = task["n_issues"]
    tables = random_domain((10,) * n_issues, 2, task["seed"])
    t0 = time.perf_counter()
    U = enumerate_utilities(tables)
    t1 = time.perf_counter()
    idx = pareto_frontier(U)
    t2 = time.perf_counter()
    rng = np.random.default_rng(1)
    V = rng.random(U.shape)  # a utility with no structure at all
    del U
    t3 = time.perf_counter()
    jdx = pareto_frontier(V)
    t4 = time.perf_counter()
    return {
        "enumerate_s": t1 - t0,
        "frontier_s": t2 - t1,
        "frontier_size": int(idx.size),
        "random_frontier_s": t4 - t3,
        "random_frontier_size": int(jdx.size),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_ours_memory(n_issues: int, seed: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "task.json"
        result = Path(tmp) / "result.pkl"
        spec.write_text(json.dumps({"n_issues": n_issues, "seed": seed}))
        subprocess.run(
            [sys.executable, __file__, "--role", "ours-memory", str(spec), str(result)], check=True
        )
        loaded: dict[str, Any] = pickle.loads(result.read_bytes())
        return loaded


# ---------------------------------------------------------------------------- the run


Row = dict[str, Any]


def _row(work: str, size: str, peer: str, peer_s: float | None, ours_s: float, sizes: str, match: str) -> Row:
    ratio = f"{peer_s / ours_s:,.3g}x" if peer_s is not None and ours_s > 0 else "-"
    peer_txt = f"{peer_s:.4g} s" if peer_s is not None else "skipped"
    return {
        "work": work,
        "size": size,
        "peer": peer,
        "peer time": peer_txt,
        "our time": f"{ours_s:.4g} s",
        "ratio": ratio,
        "frontier (ours/peer)": sizes,
        "match": match,
    }


def _match(ours: np.ndarray, theirs: np.ndarray) -> str:
    missing, extra = compare(ours, theirs)
    if missing == 0 and extra == 0:
        return "yes"
    return f"no: peer misses {missing}, has {extra} off-frontier"


def section_additive(args: argparse.Namespace, python: str) -> list[Row]:
    rows = []
    for n in ADDITIVE_SIZES:
        tables = random_domain((10,) * n, 2, seed=n)
        pareto_frontier_additive(tables)  # warm-up
        ours_s, ours = median_time(lambda t=tables: pareto_frontier_additive(t), args.repeats)
        exhaustive = n <= EXHAUSTIVE_MAX and not (args.quick and n == EXHAUSTIVE_MAX)
        reps = 1 if n == EXHAUSTIVE_MAX else args.repeats
        task = {"kind": "random", "shape": [10] * n, "k": 2, "seed": n, "repeats": args.repeats}
        task |= {"exhaustive_repeats": reps if exhaustive else 0, "mobanos": True}
        theirs = run_negmas(task, python)
        size = f"10^{n}"
        if exhaustive:
            rows.append(
                _row(
                    "2-party additive",
                    size,
                    f"pareto_frontier (peak {theirs['exhaustive_peak_mb']:.0f} MB)",
                    theirs["exhaustive_s"],
                    ours_s,
                    f"{ours.size}/{len(theirs['exhaustive_points'])}",
                    _match(ours.points, theirs["exhaustive_points"]),
                )
            )
        else:
            rows.append(
                _row("2-party additive", size, "pareto_frontier", None, ours_s, f"{ours.size}/-", "-")
            )
        mob = theirs["mobanos_points"]
        rows.append(
            _row(
                "2-party additive",
                size,
                "MOBANOSParetoSampler",
                theirs["mobanos_s"],
                theirs["ours_interleaved_s"],
                f"{ours.size}/{len(np.unique(mob, axis=0))}",
                _match(ours.points, mob),
            )
        )
        print(rows[-1], flush=True)
    return rows


def section_any_utility(args: argparse.Namespace, additive_rows: list[Row]) -> list[Row]:
    rows = []
    for n in (6, 7):
        mem = run_ours_memory(n, seed=n)
        peer = next(
            (
                r
                for r in additive_rows
                if r["size"] == f"10^{n}" and r["peer"].startswith("pareto_frontier (")
            ),
            None,
        )
        peer_s = float(peer["peer time"].split()[0]) if peer else None
        rows.append(
            _row(
                "any utility, pareto_frontier(U)",
                f"10^{n}",
                "pareto_frontier (exhaustive)",
                peer_s,
                mem["frontier_s"],
                f"{mem['frontier_size']}/{peer['frontier (ours/peer)'].split('/')[1] if peer else '-'}",
                f"{peer['match']}; enumerate {mem['enumerate_s']:.3g} s, peak RSS {mem['peak_mb']:.0f} MB"
                if peer
                else f"enumerate {mem['enumerate_s']:.3g} s, peak RSS {mem['peak_mb']:.0f} MB",
            )
        )
        rows.append(
            _row(
                "any utility, unstructured random U",
                f"10^{n}",
                "-",
                None,
                mem["random_frontier_s"],
                f"{mem['random_frontier_size']}/-",
                "-",
            )
        )
        print(rows[-2], flush=True)
    return rows


def section_three_parties(args: argparse.Namespace, python: str) -> list[Row]:
    shape = (5,) * 8
    tables = random_domain(shape, 3, seed=2016)
    t0 = time.perf_counter()
    U = enumerate_utilities(tables)
    enum_s = time.perf_counter() - t0
    pareto_frontier(U[:1000])
    ours_s, idx = median_time(lambda: pareto_frontier(U), args.repeats)
    add_s, add = median_time(lambda: pareto_frontier_additive(tables), args.repeats)
    theirs = run_negmas(
        {"kind": "random", "shape": list(shape), "k": 3, "seed": 2016, "repeats": args.repeats}
        | {"exhaustive_repeats": args.repeats, "mobanos": False},
        python,
    )
    peer = theirs["exhaustive_points"]
    sizes = f"{len(np.unique(U[idx], axis=0))}/{len(peer)}"
    return [
        _row(
            "3-party (parsCat-sized)",
            "390,625",
            "pareto_frontier",
            theirs["exhaustive_s"],
            ours_s + enum_s,
            sizes,
            _match(U[idx], peer) + " (ours: enumerate + pareto_frontier)",
        ),
        _row(
            "3-party (parsCat-sized)",
            "390,625",
            "pareto_frontier",
            theirs["exhaustive_s"],
            add_s,
            f"{add.size}/{len(peer)}",
            _match(add.points, peer) + " (ours: additive fold)",
        ),
    ]


def _domain_row(
    label: str,
    tables: UtilityTables,
    reserved: np.ndarray,
    theirs: dict[str, Any],
    repeats: int,
    exact: UtilityTables | None = None,
) -> Row:
    """``exact``: time and compare our frontier of these exact tables instead of ``tables``."""
    ours_s, f = median_time(lambda: pareto_frontier_additive(exact or tables), repeats)
    lowest = tables.offset + sum(t.min(axis=0) for t in tables.tables)
    # NegMAS measures gains from the reservation value, or from the lowest utility without one
    d = np.where(np.isfinite(reserved) & (reserved > lowest), reserved, lowest)
    rational = f.points[np.all(f.points >= reserved, axis=1)]  # NegMAS keeps rational points only
    verdicts = [f"frontier {_match(rational, theirs['exhaustive_points'])}"]
    for concept, pts in theirs["solutions"].items():
        ours_pts = solution(f, d, concept).points
        missing, extra = compare(ours_pts, pts)
        verdicts.append(
            f"{concept} {'yes' if not missing and not extra else f'no ({len(ours_pts)} vs {len(pts)})'}"
        )
    return _row(
        label,
        f"{theirs['n_outcomes']:,}",
        "pareto_frontier + *_points",
        theirs["exhaustive_s"],
        ours_s,
        f"{len(rational)}/{len(theirs['exhaustive_points'])}",
        "; ".join(verdicts),
    )


def _accord_import(path: Path) -> tuple[UtilityTables, UtilityTables, np.ndarray]:
    """Float tables (for NegMAS), exact tables (ours) and reservation values of a domain."""
    from accord.casefile.genius import import_genius_folder
    from accord.casefile.geniusweb import import_geniusweb_folder
    from accord.prefs.exact import exact_tables
    from accord.prefs.tabulate import utility_tables

    imported = import_genius_folder(path) if path.parent.name == "genius" else import_geniusweb_folder(path)
    issues, models = imported.case.issues, imported.preferences.models
    reserved = np.array([float(p.reservation) for p in imported.exact])
    return utility_tables(issues, models), exact_tables(issues, models, imported.exact), reserved


def section_domains(args: argparse.Namespace, python: str) -> list[Row]:
    """Each domain twice: as NegMAS reads it, and as Accord's importer reads it (utilities differ:
    NegMAS 0.16.0 takes GENIUS integer evaluations as they are, Accord divides them by the
    issue's maximum, as GENIUS does); both sides then compute on the same utilities."""
    rows = []
    if not args.domains.is_dir():
        print(
            f"section d skipped: no domains folder at {args.domains} (give one with --domains)",
            file=sys.stderr,
        )
        return rows
    for path in sorted(p for p in args.domains.glob("*/*") if p.is_dir()):
        big = path.name == "AMPOvsCity"
        if big and args.quick:
            rows.append(
                _row(f"domain {path.name}", "-", "pareto_frontier", None, 0.0, "-", "skipped (--quick)")
            )
            continue
        reps = 1 if big else args.repeats
        theirs = run_negmas({"kind": "scenario", "path": str(path), "exhaustive_repeats": reps}, python)
        k = len(theirs["reserved"])
        tables = UtilityTables(
            issue_ids=tuple(f"i{i}" for i in range(len(theirs["tables"]))),
            options=tuple(tuple(str(v) for v in range(t.shape[0])) for t in theirs["tables"]),
            tables=tuple(theirs["tables"]),
            offset=np.zeros(k),
            parties=tuple(f"p{j}" for j in range(k)),
        )
        row = _domain_row(
            f"{path.name}, NegMAS reader (k={k})", tables, np.array(theirs["reserved"]), theirs, reps
        )
        row["match"] += f"; reading err {theirs['reading_error']:.1g}"
        rows.append(row)
        print(rows[-1], flush=True)
        tables, exact, reserved = _accord_import(path)
        with tempfile.TemporaryDirectory() as tmp:
            spec = Path(tmp) / "tables.pkl"
            spec.write_bytes(pickle.dumps({"tables": tables, "reserved": reserved.tolist()}))
            theirs = run_negmas(
                {"kind": "tables", "tables_path": str(spec), "exhaustive_repeats": reps}, python
            )
        label = f"{path.name}, Accord importer, exact (k={k})"
        rows.append(_domain_row(label, tables, reserved, theirs, reps, exact))
        print(rows[-1], flush=True)
    return rows


def print_table(rows: list[Row]) -> None:
    columns = list(rows[0])
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in columns}
    print("| " + " | ".join(c.ljust(widths[c]) for c in columns) + " |")
    print("|" + "|".join("-" * (widths[c] + 2) for c in columns) + "|")
    for r in rows:
        print("| " + " | ".join(str(r[c]).ljust(widths[c]) for c in columns) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="skip NegMAS's slowest exhaustive runs")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--negmas-python", default=sys.executable, help="a Python with negmas and accord")
    parser.add_argument("--sections", default="abcd")
    parser.add_argument("--domains", type=Path, default=DOMAINS, help="folder of GENIUS/GeniusWeb domains")
    parser.add_argument("--role", nargs=3, metavar=("ROLE", "SPEC", "RESULT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role:
        role, spec, result = args.role
        task = json.loads(Path(spec).read_text())
        out = negmas_child(task) if role == "negmas" else ours_memory_child(task)
        Path(result).write_bytes(pickle.dumps(out))
        return
    rows: list[Row] = []
    additive: list[Row] = []
    if "a" in args.sections:
        additive = section_additive(args, args.negmas_python)
        rows += additive
    if "b" in args.sections:
        rows += section_any_utility(args, additive)
    if "c" in args.sections:
        rows += section_three_parties(args, args.negmas_python)
    if "d" in args.sections:
        rows += section_domains(args, args.negmas_python)
    print()
    print_table(rows)


if __name__ == "__main__":
    main()

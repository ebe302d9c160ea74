"""Team server load benchmark (not run in CI).

    PYTHONPATH=src /work/venv/bin/python bench/bench_server.py [--seconds 20] [--clients 50]

For SQLite and PostgreSQL in turn: stores the bundled WGA–AMPTP case with 10,000 extra proposals,
starts a real ``accord serve`` (Uvicorn, one process), and lets 50 concurrent clients read the
case's status and a page of its timeline as fast as they can. Prints requests per second and
p50 / p99 latency per backend, and, as the baseline the server is measured against, the time the
first (cold) read takes: the case loaded and the ledger run once for the case's version, which is
what every read would cost without the per-version cache (and what the first read after each
write costs).

The load generator runs on the same machine as the server, so the figures are a floor.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import aiohttp
import httpx
import sqlalchemy as sa

from accord.casefile import bundled_case
from accord.model import Case, NumericIssue, ProvisionIssue
from accord.services import Services
from accord.store import Database

POSTGRES_ADMIN = os.environ.get(
    "ACCORD_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
N_PROPOSALS = 10_000


def big_case(n_proposals: int = N_PROPOSALS) -> Case:
    """The bundled WGA case with ``n_proposals`` more proposals (alternating sides, values in range)."""
    base = bundled_case("wga-amptp-2023")
    data = base.model_dump(mode="json", by_alias=True)
    numeric = [i for i in base.issues if isinstance(i, NumericIssue)]
    provisions = [i for i in base.issues if isinstance(i, ProvisionIssue)]
    start = dt.date(2023, 3, 20)
    for n in range(n_proposals):
        sender, receiver = ("wga", "amptp") if n % 2 == 0 else ("amptp", "wga")
        positions: dict[str, object] = {}
        for k, issue in enumerate(numeric):
            span = issue.high - issue.low
            positions[issue.id] = round(issue.low + span * ((n * 7 + k * 13) % 100) / 100, 2)
        for issue in provisions:
            ids = issue.provision_ids
            positions[issue.id] = [p for j, p in enumerate(ids) if (n + j) % 3 == 0]
        data["proposals"].append(
            {
                "id": f"bench-{n}",
                "date": (start + dt.timedelta(days=n % 180)).isoformat(),
                "from": sender,
                "to": receiver,
                "positions": positions,
            }
        )
    return Case.model_validate(data)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare(url: str, case: Case) -> str:
    """A migrated database holding the case and a reader; the reader's API token."""
    db = Database(url, sqlite_synchronous="NORMAL")
    db.upgrade()
    services = Services(db)
    services.cases.import_case(None, case)
    services.users.add(None, "reader", "bench password 1")
    services.cases.set_member(None, case.id, "reader", "observer")
    token = services.users.create_token(None, "reader", "bench").secret
    db.dispose()
    return token


def serve(url: str, port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-c",
        "from accord.cli.app import main; main()",
        "serve",
        "--database-url",
        url,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--threads",
        str(threads),
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("accord serve did not start")


async def load(
    port: int, token: str, case_id: str, args: argparse.Namespace, on_warm: Callable[[], None]
) -> tuple[list[float], int, float]:
    """Latencies (s) of the requests that finished in the measured window, the errors, and the
    seconds the first (cold) reads took.

    After the cold reads, ``args.warmup`` seconds of the same load are not measured: each server
    process builds its own cache on its first reads (with ``--workers 2``, the second one then).
    """
    paths = [f"/cases/{case_id}/views/status", f"/cases/{case_id}/views/timeline?limit=100&offset=5000"]
    connector = aiohttp.TCPConnector(limit=args.clients)
    headers = {"Authorization": f"Bearer {token}"}
    base = f"http://127.0.0.1:{port}"
    timeout = aiohttp.ClientTimeout(total=3600)
    async with aiohttp.ClientSession(base, connector=connector, headers=headers, timeout=timeout) as http:
        cold = time.perf_counter()
        for path in paths:  # the first read builds the case and the views, once per case version
            async with http.get(path) as response:
                response.raise_for_status()
                await response.read()
        cold = time.perf_counter() - cold
        await run_clients(http, paths, args.clients, args.warmup)
        on_warm()
        latencies, errors = await run_clients(http, paths, args.clients, args.seconds)
    return latencies, errors, cold


async def run_clients(
    http: aiohttp.ClientSession, paths: list[str], clients: int, seconds: float
) -> tuple[list[float], int]:
    """``clients`` clients reading ``paths`` in turn for ``seconds``: latencies (s) and errors."""
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def client(number: int) -> None:
        nonlocal errors
        index = number
        while time.perf_counter() < stop:
            began = time.perf_counter()
            async with http.get(paths[index % 2]) as response:
                await response.read()
                ok = response.status == 200
            if ok:
                latencies.append(time.perf_counter() - began)
            else:
                errors += 1
            index += 1

    await asyncio.gather(*(client(n) for n in range(clients)))
    return latencies, errors


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of a process and its children (Linux ``/proc``)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def run_backend(url: str, case: Case, args: argparse.Namespace) -> dict[str, float]:
    token = prepare(url, case)
    port = free_port()
    server = serve(url, port, args.workers, args.threads)
    try:
        started: list[float] = []

        def on_warm() -> None:
            started[:] = [cpu_seconds(server.pid), time.process_time()]

        latencies, errors, cold = asyncio.run(load(port, token, case.id, args, on_warm))
        server_cpu, client_cpu = cpu_seconds(server.pid) - started[0], time.process_time() - started[1]
        elapsed = args.seconds
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * percentile(latencies, 50),
        "p99_ms": 1000 * percentile(latencies, 99),
        "cold_s": cold,
        # CPU per request while loaded (measured from after the cold reads).
        "server_ms": 1000 * server_cpu / max(1, len(latencies)),
        "client_ms": 1000 * client_cpu / max(1, len(latencies)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=20.0, help="Measured seconds per backend.")
    parser.add_argument("--clients", type=int, default=50, help="Concurrent clients.")
    parser.add_argument("--proposals", type=int, default=N_PROPOSALS, help="Proposals added to the case.")
    parser.add_argument("--warmup", type=float, default=10.0, help="Unmeasured seconds of load first.")
    parser.add_argument("--workers", type=int, default=2, help="Server processes (accord serve --workers).")
    parser.add_argument("--threads", type=int, default=4, help="Handler threads per server process.")
    parser.add_argument(
        "--backends", default="sqlite,postgresql", help="Comma-separated: sqlite, postgresql."
    )
    args = parser.parse_args()
    backends = args.backends.split(",")

    case = big_case(args.proposals)
    print(
        f"case {case.id}: {len(case.proposals)} proposals, {len(case.events)} events; {args.clients} clients"
    )
    results = {}
    if "sqlite" in backends:
        with tempfile.TemporaryDirectory() as folder:
            results["SQLite"] = run_backend(f"sqlite:///{Path(folder) / 'bench.sqlite'}", case, args)
    if "postgresql" in backends:
        results["PostgreSQL"] = run_postgresql(case, args)
    print_results(results)


def run_postgresql(case: Case, args: argparse.Namespace) -> dict[str, float]:
    """:func:`run_backend` on a database of its own on the PostgreSQL server, dropped afterwards."""
    name = f"accord_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        pg_url = sa.make_url(POSTGRES_ADMIN).set(database=name).render_as_string(hide_password=False)
        return run_backend(pg_url, case, args)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def print_results(results: dict[str, dict[str, float]]) -> None:
    header = (
        f"{'backend':<12}{'requests':>10}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'cold s':>9}"
    )
    print("\n" + header + f"{'cold/p50':>10}{'srv cpu ms':>12}{'cli cpu ms':>12}")
    for backend, r in results.items():
        ratio = 1000 * r["cold_s"] / r["p50_ms"]
        print(
            f"{backend:<12}{r['requests']:>10.0f}{r['errors']:>8.0f}{r['rps']:>9.0f}{r['p50_ms']:>9.1f}"
            f"{r['p99_ms']:>9.1f}{r['cold_s']:>9.1f}{ratio:>9.0f}x{r['server_ms']:>12.1f}{r['client_ms']:>12.1f}"
        )
    print("\ncold: the first status + timeline read after a write (case loaded, ledger run; no cache)")
    print("srv/cli cpu ms: CPU time per request of the server process and of this load generator")


if __name__ == "__main__":
    main()

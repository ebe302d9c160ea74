"""Team server load benchmark (not run in CI).

    PYTHONPATH=src /work/venv/bin/python bench/bench_server.py [--seconds 20] [--clients 50]

For SQLite and PostgreSQL in turn, and for each number of server processes (``--workers``, 1
and 2): stores the bundled WGA–AMPTP case with 10,000 extra proposals, starts a real ``accord
serve`` (Uvicorn), and measures

- reads: 50 concurrent clients read the case's status and a page of its timeline as fast as
  they can (requests per second, p50 / p99 latency), beside the first (cold) read: the case
  loaded and the ledger run, what every read would cost without the cache;
- a write-heavy mix: the same clients, one request in ten a new proposal posted (p50 / p99 of
  all requests, and of the writes), first as fast as they can (the server's capacity: with
  clients that never pause, latency is the queue, clients / throughput), then paced: each client
  pauses between requests (exponential pauses, mean clients / rate), so that the clients offer
  about ``--rates`` requests a second (a team at work: people read, think, write);
- the first reads after a write: 20 times, one proposal posted, then the status and the timeline
  read at once (p90 of each; with 2 processes the read may land on the one that did not take the
  write, which folds it in from the database).

The load generator runs on the same machine as the server, so the figures are a floor.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import aiohttp
import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from accord.casefile import bundled_case
from accord.model import Case, NumericIssue, ProvisionIssue
from accord.services import Services
from accord.store import Database
from server_support import child_pids, open_connections

POSTGRES_ADMIN = os.environ.get(
    "ACCORD_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
N_PROPOSALS = 10_000
TARGET_P99_MS = 100
"""The write-heavy mix's target (p99 of all requests); printed against, never enforced."""


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


def prepare(url: str, case: Case) -> tuple[str, str]:
    """A migrated database holding the case, a reader and a writer (a member of the WGA); their
    API tokens."""
    db = Database(url, sqlite_synchronous="NORMAL")
    db.upgrade()
    services = Services(db)
    services.cases.import_case(None, case)
    services.users.add(None, "reader", "bench password 1")
    services.cases.set_member(None, case.id, "reader", "observer")
    services.users.add(None, "writer", "bench password 2")
    services.cases.set_member(None, case.id, "writer", "member", "wga")
    tokens = (
        services.users.create_token(None, "reader", "bench").secret,
        services.users.create_token(None, "writer", "bench").secret,
    )
    db.dispose()
    return tokens


def serve(
    url: str, port: int, workers: int, threads: int, log: IO[bytes] | None = None
) -> subprocess.Popen[bytes]:
    """``accord serve`` on ``url``, once it answers; its standard error to ``log``."""
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
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log or subprocess.DEVNULL)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("accord serve did not start")


@dataclass
class Target:
    """The server under load: its port, the case, the reader's and the writer's headers, and a
    body for each new proposal."""

    port: int
    case_id: str
    reader: dict[str, str]
    writer: dict[str, str]
    proposal: Callable[[], dict[str, object]]

    @property
    def paths(self) -> list[str]:
        case = f"/cases/{self.case_id}"
        return [f"{case}/views/status", f"{case}/views/timeline?limit=100&offset=5000"]


def new_proposals(case: Case) -> Callable[[], dict[str, object]]:
    """Bodies of new proposals from the WGA, dated the case's last day, each with a new id."""
    day = case.default_as_of().isoformat()
    issue = next(i for i in case.issues if isinstance(i, NumericIssue))
    counter = iter(range(10**9))

    def body() -> dict[str, object]:
        n = next(counter)
        value = round(issue.low + (issue.high - issue.low) * (n % 10) / 10, 2)
        return {
            "id": f"w-{uuid.uuid4().hex[:12]}",
            "date": day,
            "from": "wga",
            "to": "amptp",
            "positions": {issue.id: value},
        }

    return body


async def load(target: Target, args: argparse.Namespace, mark: Callable[[], None]) -> dict[str, Any]:
    """The phases of one server's run: cold reads, reads (measured after ``args.warmup`` seconds of
    the same load: each server process builds its own cache on its first reads), the write-heavy
    mix, and the first reads after writes; ``mark()`` is called as the reads start and end."""
    connector = aiohttp.TCPConnector(limit=args.clients)
    timeout = aiohttp.ClientTimeout(total=3600)
    base = f"http://127.0.0.1:{target.port}"
    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout) as http:
        cold = time.perf_counter()
        for path in target.paths:  # the first read builds the case and the views, once per version
            async with http.get(path, headers=target.reader) as response:
                response.raise_for_status()
                await response.read()
        cold = time.perf_counter() - cold
        await run_clients(http, target, args.clients, args.warmup, 0.0)
        mark()
        reads = await run_clients(http, target, args.clients, args.seconds, 0.0)
        mark()
        mixed = await run_clients(http, target, args.clients, args.seconds, args.write_share)
        paced = {}
        for rate in args.rates:
            pause = args.clients / rate
            paced[rate] = await run_clients(http, target, args.clients, args.seconds, args.write_share, pause)
        after_write = await first_reads_after_writes(http, target, args.writes)
    return {"cold": cold, "reads": reads, "mixed": mixed, "paced": paced, "after_write": after_write}


Latencies = dict[str, list[float]]
"""Seconds per request that finished in the measured window, by kind (``read``, ``write``), and
``errors`` (one entry per failed request)."""


async def run_clients(
    http: aiohttp.ClientSession,
    target: Target,
    clients: int,
    seconds: float,
    write_share: float,
    pause: float = 0.0,
) -> Latencies:
    """``clients`` clients reading the target's paths in turn for ``seconds``, each request a new
    proposal instead with probability ``write_share`` (a seeded stream per client); with
    ``pause``, each client waits an exponential pause of that mean before each request (the
    first one too, so that the clients do not start at once)."""
    found: Latencies = {"read": [], "write": [], "errors": []}
    stop = time.perf_counter() + seconds
    path = f"/cases/{target.case_id}/proposals"

    async def client(number: int) -> None:
        chance = random.Random(number)
        index = number
        while time.perf_counter() < stop:
            if pause:
                await asyncio.sleep(chance.expovariate(1 / pause))
                if time.perf_counter() >= stop:
                    break
            is_write = chance.random() < write_share
            began = time.perf_counter()
            if is_write:
                request = http.post(path, json=target.proposal(), headers=target.writer)
            else:
                request = http.get(target.paths[index % 2], headers=target.reader)
                index += 1
            async with request as response:
                body = await response.read()
                ok = response.status in (200, 201)
            if ok:
                found["write" if is_write else "read"].append(time.perf_counter() - began)
            else:
                found["errors"].append(f"{response.status} {body[:300].decode(errors='replace')}")

    await asyncio.gather(*(client(n) for n in range(clients)))
    return found


async def first_reads_after_writes(http: aiohttp.ClientSession, target: Target, writes: int) -> Latencies:
    """``writes`` times (the server otherwise idle): post a proposal, then read the status and
    the timeline, each once; the seconds each of those first reads took."""
    found: Latencies = {"status": [], "timeline": [], "errors": []}
    path = f"/cases/{target.case_id}/proposals"
    for _ in range(writes):
        async with http.post(path, json=target.proposal(), headers=target.writer) as response:
            await response.read()
            if response.status != 201:
                found["errors"].append(1.0)
        for name, read in zip(("status", "timeline"), target.paths, strict=True):
            began = time.perf_counter()
            async with http.get(read, headers=target.reader) as response:
                await response.read()
                if response.status != 200:
                    found["errors"].append(1.0)
            found[name].append(time.perf_counter() - began)
        await asyncio.sleep(0.2)  # writes a team makes, not a flood
    return found


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


def connections_per_process(pid: int, port: int) -> list[int]:
    """Established TCP connections on local ``port`` held by ``pid`` and each of its child
    processes that holds any, most first (Linux ``/proc``)."""
    held = (open_connections(p, port) for p in [pid, *child_pids(pid)])
    return sorted((n for n in held if n), reverse=True)


def run_backend(url: str, case: Case, args: argparse.Namespace, workers: int) -> dict[str, Any]:
    reader, writer = prepare(url, case)
    port = free_port()
    with tempfile.TemporaryFile() as log:
        server = serve(url, port, workers, args.threads, log)
        target = Target(
            port,
            case.id,
            {"Authorization": f"Bearer {reader}"},
            {"Authorization": f"Bearer {writer}"},
            new_proposals(case),
        )
        marks: list[tuple[float, float]] = []
        spread: list[list[int]] = []

        def mark() -> None:
            marks.append((cpu_seconds(server.pid), time.process_time()))
            spread.append(connections_per_process(server.pid, port))

        try:
            found = asyncio.run(load(target, args, mark))
        except Exception:
            print_server_log(server, log)
            raise
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if found["mixed"]["errors"] or any(p["errors"] for p in found["paced"].values()):
            print_server_log(server, log)
    return {**summary(found, args, marks), "connections": spread[0]}


def print_server_log(server: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    """The end of what the server wrote to its standard error, and how it ended (if it did)."""
    log.seek(0)
    text = log.read().decode(errors="replace")
    ended = server.poll()
    print(f"server {'running' if ended is None else f'ended with {ended}'}; its log ends:", file=sys.stderr)
    print(text[-4000:], file=sys.stderr)


def summary(
    found: dict[str, Any], args: argparse.Namespace, marks: list[tuple[float, float]]
) -> dict[str, Any]:
    reads, mixed, after = found["reads"]["read"], found["mixed"], found["after_write"]
    every = mixed["read"] + mixed["write"]
    (server_0, client_0), (server_1, client_1) = marks
    texts = [*found["reads"]["errors"], *mixed["errors"], *after["errors"]]
    texts += [e for paced in found["paced"].values() for e in paced["errors"]]
    return {
        "error_texts": [t for t in texts if isinstance(t, str)],
        "requests": len(reads),
        "errors": len(found["reads"]["errors"]) + len(mixed["errors"]) + len(after["errors"]),
        "rps": len(reads) / args.seconds,
        "p50_ms": 1000 * percentile(reads, 50),
        "p99_ms": 1000 * percentile(reads, 99),
        "cold_s": found["cold"],
        # CPU per request while loaded with reads (measured from after the cold reads).
        "server_ms": 1000 * (server_1 - server_0) / max(1, len(reads)),
        "client_ms": 1000 * (client_1 - client_0) / max(1, len(reads)),
        "mix_rps": len(every) / args.seconds,
        "mix_p50_ms": 1000 * percentile(every, 50),
        "mix_p99_ms": 1000 * percentile(every, 99),
        "mix_write_p99_ms": 1000 * percentile(mixed["write"], 99) if mixed["write"] else math.nan,
        **{
            f"paced_{rate}_{name}": value
            for rate, found_paced in found["paced"].items()
            for name, value in _mix(found_paced, args.seconds).items()
        },
        "status_p90_ms": 1000 * percentile(after["status"], 90),
        "timeline_p90_ms": 1000 * percentile(after["timeline"], 90),
    }


def _mix(found: Latencies, seconds: float) -> dict[str, float]:
    every = found["read"] + found["write"]
    return {
        "rps": len(every) / seconds,
        "p50_ms": 1000 * percentile(every, 50) if every else math.nan,
        "p99_ms": 1000 * percentile(every, 99) if every else math.nan,
        "write_p99_ms": 1000 * percentile(found["write"], 99) if found["write"] else math.nan,
        "errors": len(found["errors"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=20.0, help="Measured seconds per phase.")
    parser.add_argument("--clients", type=int, default=50, help="Concurrent clients.")
    parser.add_argument("--proposals", type=int, default=N_PROPOSALS, help="Proposals added to the case.")
    parser.add_argument("--warmup", type=float, default=10.0, help="Unmeasured seconds of load first.")
    parser.add_argument(
        "--workers", default="1,2", help="Comma-separated server processes (accord serve --workers)."
    )
    parser.add_argument(
        "--threads", type=int, default=2, help="Handler threads per server process (accord serve's default)."
    )
    parser.add_argument("--write-share", type=float, default=0.1, help="Writes in the mixed load.")
    parser.add_argument("--writes", type=int, default=20, help="Writes, each followed by first reads.")
    parser.add_argument(
        "--rates",
        default="50,100,200",
        help="Comma-separated request rates (a second) the paced clients offer in the write-heavy mix.",
    )
    parser.add_argument(
        "--backends", default="sqlite,postgresql", help="Comma-separated: sqlite, postgresql."
    )
    args = parser.parse_args()
    args.rates = [int(r) for r in args.rates.split(",") if r]
    backends = args.backends.split(",")

    case = big_case(args.proposals)
    print(
        f"case {case.id}: {len(case.proposals)} proposals, {len(case.events)} events; {args.clients} clients"
    )
    results = {}
    for workers in [int(w) for w in args.workers.split(",")]:
        if "sqlite" in backends:
            with tempfile.TemporaryDirectory() as folder:
                url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
                results[f"SQLite x{workers}"] = run_backend(url, case, args, workers)
        if "postgresql" in backends:
            results[f"PostgreSQL x{workers}"] = run_postgresql(case, args, workers)
    print_results(results)
    print_errors(results)


def run_postgresql(case: Case, args: argparse.Namespace, workers: int) -> dict[str, Any]:
    """:func:`run_backend` on a database of its own on the PostgreSQL server, dropped afterwards."""
    name = f"accord_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        pg_url = sa.make_url(POSTGRES_ADMIN).set(database=name).render_as_string(hide_password=False)
        return run_backend(pg_url, case, args, workers)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def print_errors(results: dict[str, dict[str, Any]]) -> None:
    """The answers that were not 200 or 201 (status and the start of the body), once each."""
    for server, r in results.items():
        for error, count in collections.Counter(r.get("error_texts", [])).most_common(5):
            print(f"{server}: {count} x {error}")


def print_results(results: dict[str, dict[str, Any]]) -> None:
    header = f"{'server':<16}{'requests':>10}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'cold s':>9}"
    print("\nreads\n" + header + f"{'cold/p50':>10}{'srv cpu ms':>12}{'cli cpu ms':>12}  connections")
    for server, r in results.items():
        ratio = 1000 * r["cold_s"] / r["p50_ms"]
        print(
            f"{server:<16}{r['requests']:>10.0f}{r['errors']:>8.0f}{r['rps']:>9.0f}{r['p50_ms']:>9.1f}"
            f"{r['p99_ms']:>9.1f}{r['cold_s']:>9.1f}{ratio:>9.0f}x{r['server_ms']:>12.1f}{r['client_ms']:>12.1f}"
            f"  {'/'.join(map(str, r['connections']))}"
        )
    print(
        "\nwrite-heavy mix (1 request in 10 a new proposal), clients that never pause, and first reads after a write"
    )
    print(
        f"{'server':<16}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'write p99':>11}"
        f"{'status p90':>12}{'timeline p90':>14}"
    )
    for server, r in results.items():
        print(
            f"{server:<16}{r['mix_rps']:>9.0f}{r['mix_p50_ms']:>9.1f}{r['mix_p99_ms']:>9.1f}"
            f"{r['mix_write_p99_ms']:>11.1f}{r['status_p90_ms']:>12.1f}{r['timeline_p90_ms']:>14.1f}"
        )
    rates = sorted({int(k.split("_")[1]) for r in results.values() for k in r if k.startswith("paced_")})
    if rates:
        print(
            f"\nwrite-heavy mix, paced: {len(rates)} offered rates (each client pauses between requests); "
            f"target p99 <= {TARGET_P99_MS} ms"
        )
        print(
            f"{'server':<16}{'offered':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'write p99':>11}{'errors':>8}"
        )
        for server, r in results.items():
            for rate in rates:
                p = {k.split("_", 2)[2]: v for k, v in r.items() if k.startswith(f"paced_{rate}_")}
                verdict = "meets" if p["p99_ms"] <= TARGET_P99_MS else "ABOVE"
                print(
                    f"{server:<16}{rate:>9}{p['rps']:>9.0f}{p['p50_ms']:>9.1f}{p['p99_ms']:>9.1f}"
                    f"{p['write_p99_ms']:>11.1f}{p['errors']:>8.0f}   {verdict}"
                )
    print("\ncold: the first status + timeline read of the case (case loaded, ledger run; no cache)")
    print("srv/cli cpu ms: CPU time per read of the server processes and of this load generator")
    print("connections: the clients' connections each server process held as the reads were measured")
    print("status/timeline p90: the first read of each after a proposal is posted (the write folded in)")


if __name__ == "__main__":
    main()

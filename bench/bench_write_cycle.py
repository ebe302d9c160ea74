"""What one write costs the team server, in one process, without HTTP (not run in CI).

    make bench-write-cycle
    .venv/bin/python bench/bench_write_cycle.py [--proposals 10000] [--writes 200]

Stores the bundled WGA–AMPTP case with ``--proposals`` extra proposals in a SQLite file (as
``bench_server.py`` does), then ``--writes`` times, through the services the API calls: a member
of the WGA records a proposal (``RecordService.add``); an observer reads the status view (the
new version folded into the observer's ledger, then the view built and encoded); the observer
reads a page of the timeline (built and encoded). Prints the median, mean and p90 of each, and of
the whole cycle, leaving out the first quarter (the caches and indexes being made). The server's
settings of the garbage collector apply (``CaseCache.keep_out_of_gc``).

The cycle is what a write costs a server under a write-heavy load beyond the cost of answering
requests: ``make bench-server`` measures the whole server, load generator beside it.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from pydantic import TypeAdapter

from accord.model import Proposal
from accord.services import Services
from accord.services.access import Actor
from accord.store import Database
from bench_server import big_case, new_proposals, prepare

_PROPOSAL = TypeAdapter(Proposal)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--proposals", type=int, default=10_000, help="Proposals added to the case.")
    parser.add_argument("--writes", type=int, default=200, help="Write cycles timed.")
    args = parser.parse_args()
    case = big_case(args.proposals)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'cycle.sqlite'}"
        prepare(url, case)
        db = Database(url, sqlite_synchronous="NORMAL")
        services = Services(db)
        services.cache.keep_out_of_gc()
        with db.read() as conn:
            ids = {row.username: row.id for row in conn.execute(sa.text("select username, id from users"))}
        reader, writer = Actor(ids["reader"], "reader"), Actor(ids["writer"], "writer")
        body = new_proposals(case)

        def status() -> None:
            _ = services.views.two_sided(reader, case.id, "status").encoded

        def timeline() -> None:
            _ = services.views.timeline(reader, case.id, offset=args.proposals // 2, limit=100).encoded

        status(), timeline()  # the case loaded whole, once
        times: dict[str, list[float]] = {"record a proposal": [], "status read": [], "timeline page": []}
        for _ in range(args.writes):
            record = _PROPOSAL.validate_python(body())
            steps = {
                "record a proposal": functools.partial(services.records.add, writer, case.id, record),
                "status read": status,
                "timeline page": timeline,
            }
            for name, step in steps.items():
                began = time.perf_counter()
                step()
                times[name].append(time.perf_counter() - began)
        db.dispose()
    skip = args.writes // 4
    kept = {name: values[skip:] for name, values in times.items()}
    kept["whole cycle"] = [sum(parts) for parts in zip(*kept.values(), strict=True)]
    print(
        f"case {case.id}: {len(case.proposals)} proposals; {args.writes} write cycles, the first {skip} left out"
    )
    print(f"{'':<20}{'median ms':>10}{'mean ms':>10}{'p90 ms':>10}")
    for name, values in kept.items():
        p90 = statistics.quantiles(values, n=10)[-1]
        print(
            f"{name:<20}{1000 * statistics.median(values):>10.2f}"
            f"{1000 * statistics.mean(values):>10.2f}{1000 * p90:>10.2f}"
        )


if __name__ == "__main__":
    main()

"""Simulation jobs: one row per job, updated as it runs (its state, progress and results).

Every server process reads and writes the same rows, so a job started through one process is
seen from all of them. Only the newest jobs of each owner in each case are kept
(:func:`prune_jobs`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from accord.store.schema import simulation_jobs as jobs


@dataclass(frozen=True, slots=True)
class JobRow:
    id: str
    case_id: str
    owner_id: int
    request: dict[str, Any]
    state: str
    done: int
    total: int
    error: str | None
    summary: dict[str, Any]
    results: list[dict[str, Any]]
    runner: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


def add_job(
    conn: sa.Connection,
    job_id: str,
    *,
    case_id: str,
    owner_id: int,
    request: dict[str, Any],
    summary: dict[str, Any],
    total: int,
    runner: str | None,
    now: dt.datetime,
) -> None:
    """Add a queued job with no results yet."""
    conn.execute(
        jobs.insert().values(
            id=job_id,
            case_id=case_id,
            owner_id=owner_id,
            request=request,
            state="queued",
            done=0,
            total=total,
            error=None,
            summary=summary,
            results=[],
            runner=runner,
            created_at=now,
            updated_at=now,
        )
    )


def update_job(
    conn: sa.Connection,
    job_id: str,
    *,
    now: dt.datetime,
    state: str | None = None,
    done: int | None = None,
    results: list[dict[str, Any]] | None = None,
    error: str | None = None,
) -> bool:
    """Set what is given of the job's state, progress, results and error; ``False`` when the job
    is gone (pruned while it ran)."""
    values: dict[str, Any] = {"updated_at": now}
    if state is not None:
        values["state"] = state
    if done is not None:
        values["done"] = done
    if results is not None:
        values["results"] = results
    if error is not None:
        values["error"] = error
    return conn.execute(jobs.update().where(jobs.c.id == job_id).values(**values)).rowcount == 1


def get_job(conn: sa.Connection, job_id: str) -> JobRow | None:
    row = conn.execute(sa.select(jobs).where(jobs.c.id == job_id)).mappings().first()
    return None if row is None else JobRow(**row)


_NEWEST_FIRST = (jobs.c.created_at.desc(), jobs.c.id.desc())


def case_jobs(conn: sa.Connection, case_id: str, owner_id: int, *, limit: int) -> list[JobRow]:
    """The owner's jobs in the case, newest first, at most ``limit``."""
    query = (
        sa.select(jobs)
        .where(jobs.c.case_id == case_id, jobs.c.owner_id == owner_id)
        .order_by(*_NEWEST_FIRST)
        .limit(limit)
    )
    return [JobRow(**row) for row in conn.execute(query).mappings()]


def prune_jobs(conn: sa.Connection, case_id: str, owner_id: int, *, keep: int) -> int:
    """Delete all but the newest ``keep`` of the owner's jobs in the case; return how many went."""
    mine = (jobs.c.case_id == case_id, jobs.c.owner_id == owner_id)
    newest = sa.select(jobs.c.id).where(*mine).order_by(*_NEWEST_FIRST).limit(keep)
    return conn.execute(jobs.delete().where(*mine, jobs.c.id.not_in(newest))).rowcount

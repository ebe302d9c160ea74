"""Where tournament chunks run: in this process, in local worker processes, or on Dask.

A runner maps :func:`accord.sim.runs.tournament.run_chunk` over chunks and yields each result
(the engine's columns) as it finishes (in any order); callers sort by negotiation index and
describe the rows (:func:`~accord.sim.runs.tournament.results`), so every runner gives the same
table. Runners only orchestrate: no files, no clocks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from accord.sim.runs.tournament import Chunk, Table, Tournament, run_chunk


class Runner(Protocol):
    """Runs chunks of a tournament and yields ``(chunk, table)`` as each finishes."""

    def run(self, tournament: Tournament, chunks: Sequence[Chunk]) -> Iterator[tuple[Chunk, Table]]: ...


class LocalRunner:
    """Local processes (``workers`` of them; one means in this process, no pool).

    Workers of a tournament on a CUDA device are spawned, not forked (CUDA cannot be used in a
    forked child of a process that touched it).
    """

    def __init__(self, workers: int = 1) -> None:
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        self.workers = workers

    def run(self, tournament: Tournament, chunks: Sequence[Chunk]) -> Iterator[tuple[Chunk, Table]]:
        if self.workers == 1:
            for chunk in chunks:
                yield chunk, run_chunk(tournament, chunk)
            return
        from concurrent.futures import ProcessPoolExecutor, as_completed  # a pool's modules, for pools only
        from multiprocessing import get_context

        context = get_context("spawn") if tournament.arrays.device != "cpu" else None
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=context) as pool:
            futures = {pool.submit(run_chunk, tournament, chunk): chunk for chunk in chunks}
            try:
                for future in as_completed(futures):
                    yield futures[future], future.result()
            finally:
                for future in futures:
                    future.cancel()


class DaskRunner:
    """A Dask ``distributed.Client`` (connected by the caller to a scheduler or local cluster).

    The tournament is scattered once to the workers; each chunk is one task.
    """

    def __init__(self, client: Any) -> None:
        self.client = client

    def run(self, tournament: Tournament, chunks: Sequence[Chunk]) -> Iterator[tuple[Chunk, Table]]:
        from distributed import as_completed as dask_as_completed

        remote = self.client.scatter(tournament, broadcast=True)
        futures = {self.client.submit(run_chunk, remote, chunk, pure=False): chunk for chunk in chunks}
        try:
            for future in dask_as_completed(list(futures)):  # type: ignore[no-untyped-call]
                yield futures[future], future.result()
        finally:
            self.client.cancel(list(futures))

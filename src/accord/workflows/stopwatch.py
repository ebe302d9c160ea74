"""Where the time of a run goes: seconds per named phase, for ``accord tournament --profile``."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

PHASES = ("start-up", "scenarios", "engine", "metrics", "writing", "plots")
"""The phases of a tournament run, in the order they happen (and are printed)."""


class Stopwatch:
    """Seconds spent in each phase, on the wall clock and on the CPU (this process's, all its
    threads; worker processes' time shows as wall-clock time only); a phase entered again adds
    to its time.

    Examples
    --------
    >>> ticks = iter([0.0, 1.5, 2.0, 2.25])
    >>> watch = Stopwatch(clock=lambda: next(ticks), cpu=lambda: 0.0)
    >>> with watch.phase("engine"):
    ...     pass
    >>> with watch.phase("engine"):
    ...     pass
    >>> watch.seconds, watch.cpu_seconds
    ({'engine': 1.75}, {'engine': 0.0})
    """

    def __init__(
        self, clock: Callable[[], float] = time.perf_counter, cpu: Callable[[], float] = time.process_time
    ) -> None:
        self.clock = clock
        self.cpu = cpu
        self.seconds: dict[str, float] = {}
        self.cpu_seconds: dict[str, float] = {}

    def add(self, name: str, seconds: float, cpu_seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds
        self.cpu_seconds[name] = self.cpu_seconds.get(name, 0.0) + cpu_seconds

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        start, start_cpu = self.clock(), self.cpu()
        try:
            yield
        finally:
            self.add(name, self.clock() - start, self.cpu() - start_cpu)

    def report(self, total: float, total_cpu: float) -> list[tuple[str, float, float, float]]:
        """``(phase, seconds, share of total, CPU seconds)`` for each phase of :data:`PHASES`
        then any other, and ``other`` for the rest of ``total`` (and of ``total_cpu``).

        Examples
        --------
        >>> watch = Stopwatch()
        >>> watch.add("engine", 3.0, 2.0)
        >>> watch.report(4.0, 3.0)
        [('engine', 3.0, 0.75, 2.0), ('other', 1.0, 0.25, 1.0)]
        """
        names = [p for p in PHASES if p in self.seconds] + [p for p in self.seconds if p not in PHASES]
        rows = [(name, self.seconds[name], self.cpu_seconds[name]) for name in names]
        rest = max(0.0, total - sum(r[1] for r in rows)), max(0.0, total_cpu - sum(r[2] for r in rows))
        rows.append(("other", *rest))
        return [(name, wall, wall / total if total > 0 else 0.0, cpu) for name, wall, cpu in rows]


def process_age(stat: Path = Path("/proc/self/stat")) -> float | None:
    """Seconds since this process started (Linux, 10 ms steps), or ``None`` where the system
    does not say (then start-up is counted from the first import of :mod:`accord.cli`)."""
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return max(0.0, time.clock_gettime(time.CLOCK_BOOTTIME) - started)
    except (OSError, ValueError, IndexError, AttributeError):
        return None

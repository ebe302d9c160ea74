"""How long the ``accord`` command takes to start: ``accord --help`` and ``accord status
wga-amptp-2023``, against the peer every command pays for, ``python -c pass``, in the same run.

Run with ``make bench-cli`` or ``python bench/bench_cli.py [--repeats 15]``. Each command runs
``--repeats`` times in a fresh process, interleaved with the others (the machine may be shared:
the minimum is the figure, the median is shown beside it). The targets (0.3 s and 0.8 s on a
2-core machine) are printed, never enforced: a benchmark does not gate CI. Where the time goes:
``python -X importtime -m accord status wga-amptp-2023``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGETS = {"accord --help": 0.3, "accord status wga-amptp-2023": 0.8}


def _accord() -> list[str]:
    """The installed console script beside this Python, else ``python -m accord``."""
    script = Path(sys.executable).parent / "accord"
    found = script if script.exists() else shutil.which("accord")
    return [str(found)] if found else [sys.executable, "-m", "accord"]


def _seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV)
    return time.perf_counter() - start


ENV = {**os.environ, "COLUMNS": "100"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    accord = _accord()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "accord --help": [*accord, "--help"],
        "accord status wga-amptp-2023": [*accord, "status", "wga-amptp-2023"],
    }
    for command in commands.values():  # warm the file cache and the bytecode
        _seconds(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.repeats):
        for name, command in commands.items():
            times[name].append(_seconds(command))
    peer = min(times["python -c pass"])
    print(f"{'command':<32}{'min s':>8}{'median s':>10}{'x python':>10}{'target s':>10}  verdict")
    for name, found in times.items():
        best, target = min(found), TARGETS.get(name)
        verdict = "" if target is None else ("ok" if best <= target else "SLOWER THAN TARGET")
        target_text = "-" if target is None else f"{target:.1f}"
        print(
            f"{name:<32}{best:>8.3f}{statistics.median(found):>10.3f}{best / peer:>10.1f}{target_text:>10}  {verdict}"
        )
    print(f"({args.repeats} runs each, interleaved; {os.cpu_count()} CPUs; {' '.join(accord)})")


if __name__ == "__main__":
    main()

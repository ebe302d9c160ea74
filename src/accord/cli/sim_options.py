"""What the simulation commands (``accord tournament``, ``accord sweep``) share: options for
the array namespace and where the work runs, and the parsing of strategies, shapes and the
generated scenarios. Imports only Typer and :mod:`accord.cli.common` at the top, like a command
module."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.cli.common import fail

if TYPE_CHECKING:
    from accord.sim.engine.arrays import ArraySpec
    from accord.sim.runs.runners import Runner
    from accord.sim.scenarios.scenario import Scenario


def parse_shape(text: str) -> tuple[int, ...]:
    try:
        shape = tuple(int(x) for x in text.lower().split("x"))
    except ValueError:
        fail(f"--shape {text!r}: expected option counts like 10x10x10")
    if not shape or min(shape) < 1:
        fail(f"--shape {text!r}: every issue needs at least one option")
    return shape


def parse_strategies(text: str | None) -> list[Any]:
    from accord.sim.strategies import UnknownStrategyError, make_strategy, strategy_names

    names = (
        [n.strip() for n in text.split(",")]
        if text
        else [n for n in strategy_names() if n != "time-dependent"]
    )
    try:
        return [make_strategy(n) for n in names]
    except (UnknownStrategyError, ValueError) as exc:
        fail(f"--strategies: {exc}")


def generated_scenarios(count: int, shape: tuple[int, ...], parties: int, seed: int) -> list[Scenario]:
    import numpy as np

    from accord.sim.scenarios.generate import random_scenario

    rng = np.random.default_rng(seed)
    return [random_scenario(rng, shape, parties, name=f"generated-{i}") for i in range(count)]


DeviceOption = Annotated[
    str,
    typer.Option(
        help="Where the batch engine runs: cpu (NumPy unless --arrays torch), cuda or cuda:N (PyTorch)."
    ),
]
DtypeOption = Annotated[
    str,
    typer.Option(
        help="float64 (the reference engine's exact results) or float32 (faster; near-ties may differ)."
    ),
]
ArraysOption = Annotated[
    str | None, typer.Option(help="Array library: numpy or torch (default: numpy on cpu, torch on cuda).")
]
WorkersOption = Annotated[int, typer.Option(min=1, help="Local worker processes (or local Dask workers).")]
SchedulerOption = Annotated[str | None, typer.Option(help="Dask scheduler address (with --backend dask).")]


def array_spec(device: str, dtype: str, library: str | None, *, check: bool = True) -> ArraySpec:
    """The array namespace asked for; ``check`` builds it here, so a missing PyTorch or GPU is
    reported before any work starts."""
    from accord.sim.engine.arrays import ArraySpec, ArraysUnavailableError

    try:
        spec = ArraySpec(device, dtype, library or "")
        if check:
            spec.namespace()
    except ValueError as exc:
        fail(f"--device/--dtype/--arrays: {exc}")
    except ArraysUnavailableError as exc:
        fail(str(exc))
    return spec


def runner_for(backend: str, workers: int, scheduler: str | None) -> tuple[Runner, Any]:
    from accord.sim.runs.runners import DaskRunner, LocalRunner

    if backend == "local":
        return LocalRunner(workers), None
    if backend != "dask":
        fail(f"--backend {backend!r}: expected 'local' or 'dask'")
    from accord.workflows.tournaments import dask_client

    try:
        client = dask_client(scheduler, workers)
    except ImportError:
        fail("the Dask backend needs the 'sim' extra: pip install 'accord[sim]'")
    return DaskRunner(client), client

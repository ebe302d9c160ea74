"""The array namespace of the batch engine: NumPy (the default) or PyTorch on the CPU or a CUDA GPU.

The batch engine and every strategy's batch twin are written once against the small namespace
:class:`ArrayNamespace` (``xp``): indexing, ``where``, ``maximum``, ``floor``, comparisons and
integer arithmetic, the operations NumPy and PyTorch both have. :class:`ArraySpec` names a
namespace (library, device, float type) as a picklable value that tournaments carry to their
workers; :meth:`ArraySpec.namespace` builds it where it runs.

Exactness: randomness is always drawn with NumPy on the host from each negotiation's own
``SeedSequence`` stream and copied to the device, and the engine only uses correctly rounded
IEEE operations (``+ - * /``, comparisons, ``floor``, ``max``), never transcendental functions
or fused kernels, on the device. So in float64 every namespace makes exactly the same decisions.
In float32 utilities and thresholds are rounded to single precision, and near-ties may go the
other way (see :mod:`accord.sim.engine.batch` for the measured tolerance).

PyTorch is optional (``pip install 'accord[gpu]'``); it is imported only when asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray


class Array(Protocol):
    """An array of the namespace in use (``numpy.ndarray`` or ``torch.Tensor``): what the engine
    and the strategies' batch steps do with one. Both libraries' arrays have all of it; mypy
    checks each against it. (``==`` and ``!=`` are element-wise, unlike ``object``'s.)"""

    @property
    def shape(self) -> tuple[int, ...]: ...
    def __getitem__(self, key: Any, /) -> Array: ...
    def __setitem__(self, key: Any, value: Any, /) -> None: ...
    def __and__(self, other: Any, /) -> Array: ...
    def __or__(self, other: Any, /) -> Array: ...
    def __invert__(self) -> Array: ...
    def __ge__(self, other: Any, /) -> Array: ...
    def __gt__(self, other: Any, /) -> Array: ...
    def __le__(self, other: Any, /) -> Array: ...
    def __lt__(self, other: Any, /) -> Array: ...
    def __add__(self, other: Any, /) -> Array: ...
    def __radd__(self, other: Any, /) -> Array: ...
    def __sub__(self, other: Any, /) -> Array: ...
    def __rsub__(self, other: Any, /) -> Array: ...
    def __mul__(self, other: Any, /) -> Array: ...
    def __rmul__(self, other: Any, /) -> Array: ...
    def __truediv__(self, other: Any, /) -> Array: ...
    def __neg__(self) -> Array: ...
    def __floordiv__(self, other: Any, /) -> Array: ...
    def __eq__(self, other: Any, /) -> Array: ...  # type: ignore[override]
    def __ne__(self, other: Any, /) -> Array: ...  # type: ignore[override]


LIBRARIES = ("numpy", "torch")
DTYPES = ("float64", "float32")
GPU_HINT = "pip install 'accord[gpu]'"


class ArraysUnavailableError(RuntimeError):
    """The array namespace asked for cannot run here (PyTorch missing, or no CUDA device)."""


@dataclass(frozen=True, slots=True)
class ArraySpec:
    """Which arrays the batch engine computes with.

    device: ``"cpu"``, ``"cuda"`` or ``"cuda:N"``.
    dtype: ``"float64"`` (exactly the reference engine's decisions) or ``"float32"`` (faster,
        see the tolerance in :mod:`accord.sim.engine.batch`).
    library: ``"numpy"`` or ``"torch"``; by default NumPy on the CPU and PyTorch on CUDA.

    Examples
    --------
    >>> ArraySpec().library, ArraySpec("cuda").library, ArraySpec(library="torch").device
    ('numpy', 'torch', 'cpu')
    >>> ArraySpec("tpu")
    Traceback (most recent call last):
    ...
    ValueError: device 'tpu': expected 'cpu', 'cuda' or 'cuda:N'
    """

    device: str = "cpu"
    dtype: str = "float64"
    library: str = ""

    def __post_init__(self) -> None:
        device = self.device.strip().lower()
        cuda_index = device.removeprefix("cuda:")
        if device not in ("cpu", "cuda") and not (device.startswith("cuda:") and cuda_index.isdigit()):
            raise ValueError(f"device {self.device!r}: expected 'cpu', 'cuda' or 'cuda:N'")
        if self.dtype not in DTYPES:
            raise ValueError(f"dtype {self.dtype!r}: expected one of {list(DTYPES)}")
        library = self.library or ("numpy" if device == "cpu" else "torch")
        if library not in LIBRARIES:
            raise ValueError(f"library {self.library!r}: expected one of {list(LIBRARIES)}")
        if library == "numpy" and device != "cpu":
            raise ValueError(f"NumPy runs on the CPU only, not on {self.device!r}; use library 'torch'")
        object.__setattr__(self, "device", device)
        object.__setattr__(self, "library", library)

    def namespace(self) -> ArrayNamespace:
        """The namespace, built once per process (raises :class:`ArraysUnavailableError`)."""
        return _namespace(self.library, self.device, self.dtype)

    def label(self) -> str:
        """E.g. ``numpy/cpu/float64``."""
        return f"{self.library}/{self.device}/{self.dtype}"


@cache
def _namespace(library: str, device: str, dtype: str) -> ArrayNamespace:
    if library == "numpy":
        return NumpyArrays(dtype)
    return TorchArrays(device, dtype)


class ArrayNamespace(Protocol):
    """The array namespace ``xp`` of the batch engine (see the module docstring): what the
    engine and the strategies' batch steps may call. :class:`NumpyArrays` and
    :class:`TorchArrays` implement it.

    Float arrays use the namespace's ``dtype``; index arrays are 64-bit integers.
    """

    library: str = ""
    device: str = "cpu"
    dtype: str = "float64"

    def spec(self) -> ArraySpec:
        return ArraySpec(self.device, self.dtype, self.library)

    # conversions
    def asarray(self, x: Any, kind: str = "float") -> Array:
        """A host array (or list) in this namespace; ``kind`` is ``float``, ``int`` or ``bool``."""
        ...

    def to_numpy(self, x: Array) -> np.ndarray: ...

    def asindex(self, x: NDArray[np.integer[Any]], upper: int) -> Array:
        """A host index array with entries in ``[0, upper]`` as this namespace's index array.

        The PyTorch namespace copies it in the narrowest integer type that holds ``upper`` and
        widens it on the device (a tenth of the bytes over the bus for a few scenarios), after
        checking the range (raises ``ValueError``).
        """
        ...

    def to_numpy_int(self, x: Array, lower: int, upper: int) -> NDArray[np.int64]:
        """An index array with entries in ``[lower, upper]`` as a host ``int64`` array.

        The PyTorch namespace narrows it on the device first, so fewer bytes cross the bus.
        """
        ...

    # creation
    def full(self, shape: Any, value: float | int | bool, kind: str = "float") -> Array: ...

    def zeros_like(self, x: Array) -> Array: ...

    def arange(self, n: int) -> Array: ...

    # element-wise
    def where(self, cond: Array, a: Any, b: Any) -> Array: ...

    def maximum(self, a: Any, b: Any) -> Array: ...

    def minimum(self, a: Any, b: Any) -> Array: ...

    def floor(self, x: Array) -> Array: ...

    def isnan(self, x: Array) -> Array: ...

    def to_int(self, x: Array) -> Array:
        """Cast to the index type (truncating floats)."""
        ...

    def to_float(self, x: Array) -> Array: ...

    # gathers and reductions
    def take(self, table: Array, index: Array) -> Array:
        """``table.ravel()[index]`` (``table`` contiguous)."""
        ...

    def nonzero(self, mask: Array) -> Array:
        """Positions of the true entries of a 1-D mask."""
        ...

    def any(self, x: Array) -> bool: ...

    def stack(self, arrays: list[Array]) -> Array:
        """Stack equal-length 1-D arrays along a new first axis."""
        ...


class NumpyArrays(ArrayNamespace):
    """NumPy on the CPU. (Arrays in and out are ``numpy.ndarray``; typed ``Any`` here, where the
    library meets the :class:`Array` protocol the engine is checked against.)

    Examples
    --------
    >>> xp = NumpyArrays()
    >>> xp.where(np.array([True, False]), 1.0, 0.0).tolist()
    [1.0, 0.0]
    """

    library = "numpy"

    def __init__(self, dtype: str = "float64") -> None:
        self.dtype = dtype
        self._float = np.dtype(dtype)

    def asarray(self, x: Any, kind: str = "float") -> Any:
        dtype: Any = {"float": self._float, "int": np.int64, "bool": np.bool_}[kind]
        return np.ascontiguousarray(x, dtype=dtype)

    def to_numpy(self, x: Any) -> np.ndarray:
        return np.asarray(x)

    def asindex(self, x: NDArray[np.integer[Any]], upper: int) -> Any:
        return np.ascontiguousarray(x, dtype=np.int64)

    def to_numpy_int(self, x: Any, lower: int, upper: int) -> NDArray[np.int64]:
        return np.asarray(x, dtype=np.int64)

    def full(self, shape: Any, value: float | int | bool, kind: str = "float") -> Any:
        dtype = {"float": self._float, "int": np.int64, "bool": np.bool_}[kind]
        return np.full(shape, value, dtype=dtype)

    def zeros_like(self, x: Any) -> Any:
        return np.zeros_like(x)

    def arange(self, n: int) -> Any:
        return np.arange(n, dtype=np.int64)

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        out = np.where(cond, a, b)
        if isinstance(a, float) and isinstance(b, float):
            out = out.astype(self._float, copy=False)
        return out

    def maximum(self, a: Any, b: Any) -> Any:
        return np.maximum(a, b)

    def minimum(self, a: Any, b: Any) -> Any:
        return np.minimum(a, b)

    def floor(self, x: Any) -> Any:
        return np.floor(x)

    def isnan(self, x: Any) -> Any:
        return np.isnan(x)

    def to_int(self, x: Any) -> Any:
        return np.asarray(x).astype(np.int64, copy=False)

    def to_float(self, x: Any) -> Any:
        return np.asarray(x).astype(self._float, copy=False)

    def take(self, table: Any, index: Any) -> Any:
        return table.take(index)

    def nonzero(self, mask: Any) -> Any:
        return np.flatnonzero(mask)

    def any(self, x: Any) -> bool:
        return bool(x.any())

    def stack(self, arrays: list[Any]) -> Any:
        return np.stack(arrays)


class TorchArrays(ArrayNamespace):
    """PyTorch on ``device`` (``"cpu"``, ``"cuda"``, ``"cuda:N"``).

    Raises :class:`ArraysUnavailableError` when PyTorch is not installed or the CUDA device is
    not there.
    """

    library = "torch"

    def __init__(self, device: str = "cpu", dtype: str = "float64") -> None:
        try:
            import torch
        except ImportError:
            raise ArraysUnavailableError(
                f"PyTorch arrays (device {device!r}) need PyTorch, which is not installed: {GPU_HINT}"
            ) from None
        if device.startswith("cuda"):
            if not torch.cuda.is_available():
                raise ArraysUnavailableError(
                    f"device {device!r}: PyTorch {torch.__version__} is installed but sees no CUDA GPU "
                    "(a CPU-only build, or no GPU/driver here); use --device cpu, or install a CUDA "
                    "build of PyTorch on a machine with an NVIDIA GPU"
                )
            index = int(device.split(":")[1]) if ":" in device else 0
            if index >= torch.cuda.device_count():
                raise ArraysUnavailableError(
                    f"device {device!r}: only {torch.cuda.device_count()} CUDA device(s) are visible"
                )
        self.torch = torch
        self.device = device
        self.dtype = dtype
        self._device = torch.device(device)
        self._float = {"float64": torch.float64, "float32": torch.float32}[dtype]
        self._kinds = {"float": self._float, "int": torch.int64, "bool": torch.bool}

    def asarray(self, x: Any, kind: str = "float") -> Any:
        if isinstance(x, self.torch.Tensor):
            return x.to(device=self._device, dtype=self._kinds[kind])
        host = np.ascontiguousarray(x)
        if kind == "float":
            # Round on the host (NumPy and PyTorch round float64 -> float32 alike), then copy.
            host = host.astype(np.dtype(self.dtype), copy=False)
        if not host.flags.writeable:
            host = host.copy()  # PyTorch wants writable memory to share
        return self.torch.as_tensor(host, dtype=self._kinds[kind], device=self._device)

    def to_numpy(self, x: Any) -> np.ndarray:
        return np.asarray(x.detach().cpu().numpy())

    def asindex(self, x: NDArray[np.integer[Any]], upper: int) -> Any:
        host = np.asarray(x)
        narrow = _narrow(0, upper)
        if host.size and (int(host.min()) < 0 or int(host.max()) > upper):
            raise ValueError(f"index out of range: entries must lie in [0, {upper}]")
        small = np.ascontiguousarray(host, dtype=narrow)
        return self.torch.from_numpy(small).to(self._device).to(self.torch.int64)

    def to_numpy_int(self, x: Any, lower: int, upper: int) -> NDArray[np.int64]:
        narrow = getattr(self.torch, _narrow(lower, upper).name)
        return np.asarray(x.detach().to(narrow).cpu().numpy(), dtype=np.int64)

    def full(self, shape: Any, value: float | int | bool, kind: str = "float") -> Any:
        size = tuple(int(n) for n in np.atleast_1d(shape))
        return self.torch.full(size, value, dtype=self._kinds[kind], device=self._device)

    def zeros_like(self, x: Any) -> Any:
        return self.torch.zeros_like(x)

    def arange(self, n: int) -> Any:
        return self.torch.arange(n, dtype=self.torch.int64, device=self._device)

    def _tensor(self, x: Any, like: Any) -> Any:
        if isinstance(x, self.torch.Tensor):
            return x
        if isinstance(x, bool):
            dtype = self.torch.bool
        elif isinstance(x, int) and not (isinstance(like, self.torch.Tensor) and like.is_floating_point()):
            dtype = self.torch.int64
        else:
            dtype = (
                like.dtype
                if isinstance(like, self.torch.Tensor) and like.is_floating_point()
                else self._float
            )
        # A 0-d tensor filled on the device: no copy from pageable host memory, which would
        # wait for the whole stream (a hidden synchronisation in every round on a GPU).
        return self.torch.full((), x, dtype=dtype, device=self._device)

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        """``torch.where``; a Python scalar operand becomes a 0-d tensor filled on the device."""
        return self.torch.where(cond, self._tensor(a, b), self._tensor(b, a))

    def maximum(self, a: Any, b: Any) -> Any:
        return self.torch.maximum(self._tensor(a, b), self._tensor(b, a))

    def minimum(self, a: Any, b: Any) -> Any:
        return self.torch.minimum(self._tensor(a, b), self._tensor(b, a))

    def floor(self, x: Any) -> Any:
        return self.torch.floor(x)

    def isnan(self, x: Any) -> Any:
        return self.torch.isnan(x)

    def to_int(self, x: Any) -> Any:
        return x.to(self.torch.int64)

    def to_float(self, x: Any) -> Any:
        return x.to(self._float)

    def take(self, table: Any, index: Any) -> Any:
        # index_select is the plain gather kernel: several times torch.take's speed on the CPU
        # (and no slower on CUDA); both read the same entries.
        flat = self.torch.index_select(table.reshape(-1), 0, index.reshape(-1))
        return flat.reshape(index.shape)

    def nonzero(self, mask: Any) -> Any:
        return self.torch.nonzero(mask).flatten()

    def any(self, x: Any) -> bool:
        return bool(x.any())

    def stack(self, arrays: list[Any]) -> Any:
        return self.torch.stack(arrays)


def _narrow(lower: int, upper: int) -> np.dtype[Any]:
    """The narrowest signed integer type holding ``[lower, upper]``."""
    for dtype in (np.int8, np.int16, np.int32):
        info = np.iinfo(dtype)
        if info.min <= lower and upper <= info.max:
            return np.dtype(dtype)
    return np.dtype(np.int64)


NUMPY = NumpyArrays()
"""The default namespace: NumPy, float64."""

DEFAULT_ARRAYS = ArraySpec()
"""The default array spec: NumPy on the CPU, float64."""

"""Outcome spaces over utility tables: indexing, enumeration, decoding to packages.

An outcome picks one option per issue; with ``shape = (m_0, ..., m_{n-1})`` options per issue it
is a row of *choices* ``c`` (option indexes) or a single mixed-radix *index*
``sum_i c_i * prod(shape[i+1:])`` (the first issue most significant, so index order is the order
of ``itertools.product`` over the issues). Indexes are int64 and exist only for spaces of fewer
than 2**63 outcomes; choices always exist.

Utilities are summed in table order, ``offset + t_0[c_0] + t_1[c_1] + ...``, exactly as
:meth:`accord.prefs.tables.UtilityTables.utilities` does, so every kernel here sees bit-identical
floating-point utilities for the same outcome.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from accord.prefs.tables import UtilityTables

if TYPE_CHECKING:
    from accord.model.issue import Value

IntArray = NDArray[np.int64]
FloatArray = NDArray[Any]
"""Utilities: floats, or the integers of exact tables."""

MAX_INDEXABLE = 2**63 - 1


def rounding_margin(tables: UtilityTables) -> float:
    """A bound on the total rounding error of summing the tables in order (``>= 0``; 0 for
    exact tables, whose integer sums are exact)."""
    if tables.is_exact:
        return 0.0
    magnitude = float(np.max(np.abs(tables.offset), initial=0.0))
    magnitude += sum(float(np.max(np.abs(t), initial=0.0)) for t in tables.tables)
    return 4.0 * (len(tables.tables) + 2) * float(np.finfo(np.float64).eps) * magnitude


def _strides(shape: Sequence[int]) -> IntArray:
    if int(np.prod(shape, dtype=object)) > MAX_INDEXABLE:
        raise ValueError(f"an outcome space of shape {tuple(shape)} has too many outcomes for int64 indexes")
    strides = np.ones(len(shape), dtype=np.int64)
    for i in range(len(shape) - 2, -1, -1):
        strides[i] = strides[i + 1] * shape[i + 1]
    return strides


def encode(choices: IntArray, shape: Sequence[int]) -> IntArray:
    """Mixed-radix indexes ``(n,)`` of outcomes given as ``choices: (n, n_issues)``.

    Examples
    --------
    >>> encode(np.array([[0, 0], [1, 2]]), (2, 3)).tolist()
    [0, 5]
    """
    choices = np.asarray(choices, dtype=np.int64)
    if choices.ndim != 2 or choices.shape[1] != len(shape):
        raise ValueError(f"choices must have shape (n, {len(shape)}), got {choices.shape}")
    if choices.size and (np.any(choices < 0) or np.any(choices >= np.asarray(shape))):
        raise ValueError(f"choices out of range for shape {tuple(shape)}")
    return choices @ _strides(shape) if len(shape) else np.zeros(choices.shape[0], dtype=np.int64)


def decode(indices: IntArray, shape: Sequence[int]) -> IntArray:
    """Choices ``(n, n_issues)`` of outcomes given as mixed-radix ``indices: (n,)``.

    Examples
    --------
    >>> decode(np.array([0, 5]), (2, 3)).tolist()
    [[0, 0], [1, 2]]
    """
    indices = np.asarray(indices, dtype=np.int64)
    total = int(np.prod(shape, dtype=object))
    if indices.size and (indices.min() < 0 or indices.max() >= total):
        raise ValueError(f"indexes out of range for a space of {total} outcomes")
    strides = _strides(shape)
    out = np.empty((indices.shape[0], len(shape)), dtype=np.int64)
    rest = indices.copy()
    for i, stride in enumerate(strides):
        out[:, i], rest = np.divmod(rest, stride)
    return out


def enumerate_utilities(tables: UtilityTables, start: int = 0, stop: int | None = None) -> FloatArray:
    """Utilities ``U: (stop - start, k)`` of the outcomes with indexes in ``[start, stop)``.

    Vectorised as outer sums: the leading issues are gathered per prefix, the trailing issues
    (those whose block of outcomes fits in the range) are added one broadcast at a time. The sums
    are in table order, bit-identical to ``tables.utilities(decode(range(start, stop)))``.

    Examples
    --------
    >>> t = UtilityTables(("a", "b"), ((0, 1), (0, 1)),
    ...     (np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.0, 2.0], [2.0, 0.0]])),
    ...     np.zeros(2), ("p", "q"))
    >>> enumerate_utilities(t).tolist()
    [[0.0, 3.0], [2.0, 1.0], [1.0, 2.0], [3.0, 0.0]]
    """
    shape = tables.shape
    total = tables.n_outcomes
    stop = total if stop is None else stop
    if not 0 <= start <= stop <= total:
        raise ValueError(f"range [{start}, {stop}) is outside [0, {total}]")
    k = tables.n_parties
    if start == stop:
        return np.empty((0, k), dtype=tables.offset.dtype)
    # split: issues >= split form whole blocks of `block` outcomes inside the range
    split = len(shape)
    block = 1
    while (
        split > 0
        and (stop - start) % (block * shape[split - 1]) == 0
        and start % (block * shape[split - 1]) == 0
    ):
        split -= 1
        block *= shape[split]
    prefix_idx = np.arange(start // block, stop // block, dtype=np.int64)
    acc = np.broadcast_to(tables.offset, (prefix_idx.shape[0], k)).copy()
    if split:
        prefix_choices = decode(prefix_idx, shape[:split])
        for i in range(split):
            acc += tables.tables[i][prefix_choices[:, i]]
    for i in range(split, len(shape)):
        acc = _outer_sum(acc, tables.tables[i])
    return acc


def _outer_sum(acc: FloatArray, table: FloatArray) -> FloatArray:
    """``(acc[:, None, :] + table[None, :, :]).reshape(-1, k)``, one party at a time.

    Broadcasting over the last axis of length ``k`` runs numpy's inner loop ``k`` elements at a
    time; adding column by column into a preallocated output is several times faster.
    """
    n, k = acc.shape
    m = table.shape[0]
    out = np.empty((n * m, k), dtype=np.result_type(acc, table))
    view = out.reshape(n, m, k)
    for j in range(k):
        np.add(acc[:, j, None], table[None, :, j], out=view[:, :, j])
    return out


def utility_chunks(tables: UtilityTables, chunk: int = 1 << 20) -> Iterator[tuple[int, FloatArray]]:
    """Yield ``(start, U)`` for consecutive ranges of about ``chunk`` outcomes (memory-aware).

    Each range is a whole number of blocks of the trailing issues, so each chunk is enumerated
    with the fast outer-sum path of :func:`enumerate_utilities`.
    """
    shape = tables.shape
    total = tables.n_outcomes
    block = 1
    for m in reversed(shape):
        if block * m > chunk:
            break
        block *= m
    step = max(block, (chunk // block) * block)
    for start in range(0, total, step):
        yield start, enumerate_utilities(tables, start, min(total, start + step))


def package(tables: UtilityTables, choices: Sequence[int]) -> dict[str, Value]:
    """The package ``{issue_id: value}`` an outcome's choices stand for.

    Examples
    --------
    >>> t = UtilityTables(("pay",), ((1.0, 2.0),), (np.zeros((2, 1)),), np.zeros(1), ("p",))
    >>> package(t, [1])
    {'pay': 2.0}
    """
    if len(choices) != len(tables.issue_ids):
        raise ValueError(f"expected {len(tables.issue_ids)} choices, got {len(choices)}")
    return {
        issue_id: options[int(c)]
        for issue_id, options, c in zip(tables.issue_ids, tables.options, choices, strict=True)
    }

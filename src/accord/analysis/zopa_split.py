"""The zone of possible agreement of two parties by meet in the middle: exact on large spaces.

The issues are split in two halves; each half's packages are enumerated (their utility pairs
``x`` and ``y``), and a package ``x + y`` beats ``d`` when ``y_a > d_a - x_a`` and
``y_b > d_b - x_b``. With the second half sorted by ``y_a``, the ``y`` beating the first
threshold are a suffix:

- an option is in some ZOPA package when, for some ``x`` with it, the largest ``y_b`` of that
  suffix beats the second threshold (a suffix maximum; each half in turn plays ``x``);
- the count adds, per ``x``, the ``y_b`` of the suffix above the second threshold: whole blocks
  of the suffix through per-block sorted ``y_b``, the partial block directly.

Sums are taken in another order than enumeration's, so the halves decide only the pairs clear of
``d`` by a rounding margin (:func:`accord.analysis.space.rounding_margin`); the few within it are
decided on their enumerated sums (:meth:`UtilityTables.utilities`), so the result is exactly
enumeration's.
"""

from __future__ import annotations

from math import prod

import numpy as np
from numpy.typing import NDArray

from accord.analysis.space import rounding_margin
from accord.prefs.tables import UtilityTables

FloatArray = NDArray[np.float64]

MAX_HALF = 4_000_000
"""Largest half enumerated; beyond it the caller falls back to branch and bound."""


def split_point(shape: tuple[int, ...]) -> int | None:
    """The issue index splitting ``shape`` into two halves of the most balanced sizes, or
    ``None`` when a half would exceed :data:`MAX_HALF` packages.

    >>> split_point((201, 13, 21, 16, 128, 4, 16))
    3
    """
    best, cut = None, None
    for i in range(1, len(shape)):
        left, right = prod(shape[:i]), prod(shape[i:])
        if max(left, right) <= MAX_HALF and (best is None or max(left, right) < best):
            best, cut = max(left, right), i
    return cut


def _half(tables: UtilityTables, issues: range, with_offset: bool) -> FloatArray:
    """Utility pairs of every package of the issues ``issues`` (first issue slowest)."""
    U = tables.offset[None, :].copy() if with_offset else np.zeros((1, 2))
    for i in issues:
        t = tables.tables[i]
        U = (U[:, None, :] + t[None, :, :]).reshape(-1, 2)
    return U


def _suffix_ok(X: FloatArray, Y: FloatArray, d: FloatArray) -> NDArray[np.bool_]:
    """For each ``x``: does some ``y`` have ``y > d - x`` for both parties."""
    order = np.argsort(Y[:, 0], kind="stable")
    ya, yb = Y[order, 0], Y[order, 1]
    best_b = np.maximum.accumulate(yb[::-1])[::-1]
    start = np.searchsorted(ya, d[0] - X[:, 0], side="right")
    ok: NDArray[np.bool_] = start < ya.shape[0]
    ok[ok] = best_b[start[ok]] > d[1] - X[ok, 1]
    return ok


def _count(X: FloatArray, Y: FloatArray, d: FloatArray, block: int = 128) -> NDArray[np.int64]:
    """Per ``x``, the number of ``y`` with ``y > d - x`` for both parties."""
    order = np.argsort(Y[:, 0], kind="stable")
    ya, yb = Y[order, 0], Y[order, 1]
    m = ya.shape[0]
    start = np.searchsorted(ya, d[0] - X[:, 0], side="right")
    need = d[1] - X[:, 1]
    first_full = -(-start // block)  # the first whole block of each suffix
    total = np.zeros(X.shape[0], dtype=np.int64)
    by_block = np.argsort(first_full, kind="stable")  # block j counts for a prefix of these
    ff, need_by_block = first_full[by_block], need[by_block]
    whole = np.zeros(X.shape[0], dtype=np.int64)
    for j in range((m + block - 1) // block):
        k = int(np.searchsorted(ff, j, side="right"))
        sorted_b = np.sort(yb[j * block : (j + 1) * block])
        whole[:k] += sorted_b.shape[0] - np.searchsorted(sorted_b, need_by_block[:k], side="right")
    total[by_block] = whole
    end = np.minimum(first_full * block, m)  # the partial block before the first whole one
    offsets = np.arange(block)
    padded = np.append(yb, -np.inf)  # past the end: never above a threshold
    for lo in range(0, X.shape[0], 8192):
        at = start[lo : lo + 8192, None] + offsets[None, :]
        at = np.where(at < end[lo : lo + 8192, None], at, m)
        total[lo : lo + 8192] += np.count_nonzero(padded[at] > need[lo : lo + 8192, None], axis=1)
    return total


def _exact_pairs(
    tables: UtilityTables,
    cut: int,
    X: FloatArray,
    Y: FloatArray,
    xs: NDArray[np.int64],
    d: FloatArray,
    tol: float,
) -> tuple[int, NDArray[np.bool_], NDArray[np.bool_]]:
    """For the ``x`` in ``xs`` whose pairs the margin leaves undecided: how many of their
    undecided pairs beat ``d`` on the enumerated sums, and which ``x`` and ``y`` some do."""
    shape = tables.shape
    found, ok_x, ok_y = 0, np.zeros(X.shape[0], dtype=bool), np.zeros(Y.shape[0], dtype=bool)
    for xi in xs.tolist():
        loose = np.all(d - tol - X[xi] < Y, axis=1)
        sure = np.all(d + tol - X[xi] < Y, axis=1)
        ys = np.flatnonzero(loose & ~sure)
        if not ys.size:
            continue
        left = np.array(np.unravel_index(xi, shape[:cut]), dtype=np.int64).reshape(1, cut)
        right = np.array(np.unravel_index(ys, shape[cut:]), dtype=np.int64).T.reshape(ys.size, -1)
        choices = np.concatenate([np.repeat(left, ys.size, axis=0), right], axis=1)
        beat = np.all(tables.utilities(choices) > d, axis=1)
        found += int(beat.sum())
        ok_x[xi] |= bool(beat.any())
        ok_y[ys[beat]] = True
    return found, ok_x, ok_y


def _near(X: FloatArray, Y: FloatArray, d: FloatArray, tol: float) -> NDArray[np.int64]:
    """The ``x`` with some ``y`` whose sum lies within ``tol`` of ``d`` for a party (a superset
    of those with undecided pairs)."""
    near = np.zeros(X.shape[0], dtype=bool)
    for j in range(2):
        ys = np.sort(Y[:, j])
        low = np.searchsorted(ys, d[j] - tol - X[:, j], side="left")
        high = np.searchsorted(ys, d[j] + tol - X[:, j], side="right")
        near |= high > low
    return np.flatnonzero(near).astype(np.int64)


def split_zopa(
    tables: UtilityTables, d: FloatArray, cut: int
) -> tuple[int, int, tuple[tuple[bool, ...], ...]]:
    """``(count, count, options)`` of the ZOPA of two parties' ``tables`` split at issue ``cut``
    (see the module docstring): exact on the enumerated sums."""
    n = len(tables.tables)
    X = _half(tables, range(cut), True)
    Y = _half(tables, range(cut, n), False)
    tol = 2 * rounding_margin(tables) + 4 * np.finfo(np.float64).eps * (1 + float(np.abs(d).max()))
    sure = _count(X, Y, d + tol)
    extra, exact_x, exact_y = _exact_pairs(tables, cut, X, Y, _near(X, Y, d, tol), d, tol)
    ok_x = _suffix_ok(X, Y, d + tol) | exact_x
    ok_y = _suffix_ok(Y, X, d + tol) | exact_y
    count = int(sure.sum()) + extra
    return count, count, _options(tables, cut, ok_x, ok_y)


def _options(
    tables: UtilityTables, cut: int, ok_x: NDArray[np.bool_], ok_y: NDArray[np.bool_]
) -> tuple[tuple[bool, ...], ...]:
    """Per issue, the options of some package marked ok in its half."""
    out = []
    for ok, issues in ((ok_x, range(cut)), (ok_y, range(cut, len(tables.tables)))):
        shape = tuple(tables.tables[i].shape[0] for i in issues)
        grid = ok.reshape(shape) if shape else ok.reshape(())
        for axis in range(len(shape)):
            other = tuple(a for a in range(len(shape)) if a != axis)
            present = grid.any(axis=other) if other else grid
            out.append(tuple(bool(x) for x in np.atleast_1d(present)))
    return tuple(out)

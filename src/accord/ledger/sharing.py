"""Indexes that share what they hold with the version they were made from.

A write folded into a case makes a new version of its ledger (:func:`accord.ledger.records.extended`)
while readers of the versions before may still hold them. Copying every index of 10,000 records
for each write, then freeing the version it replaced, cost most of a write: each copy touches
every record it holds (a reference count each), long out of the processor's caches. The two
containers here are made from an older one in time proportional to what changed:

- :class:`Run`, a sequence: a list shared between versions, of which each reads its first ``n``
  items, and a short tuple of its own after them (the newest items, where new records of a
  case usually go in time order);
- :class:`Layered`, a mapping: a dict shared between versions, and a small dict of its own of
  the keys added or changed.

Both are values: a version never sees another's changes. The shared list is only grown past the
items every version reads, and only by the version whose items end there (checked and grown under
one lock); otherwise the version copies what it reads. A run's own tail, and a layered mapping's own
changes, are merged into a new shared container once longer than :data:`TAIL` and :data:`TOP`, so
a lookup stays one or two dict or list reads and the copies are paid once per many writes.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain, islice
from typing import Any, TypeVar, overload

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")

TAIL = 64
"""The most items a :class:`Run` holds after its shared list; on passing it, the older half of
them joins the shared list (the newer stay: the next record is most likely to go among them)."""

TOP = 256
"""The most keys a :class:`Layered` mapping holds of its own before merging them into a new
shared dict."""

_GROW = threading.Lock()
"""Held while a shared list is checked and grown (two versions made from the same one, in two
threads, must not both grow it)."""


class Run(Sequence[T]):
    """An immutable sequence: the first ``n`` items of a list shared with other versions, then a
    tuple of its own. Slices are lists.

    Examples
    --------
    >>> first = Run.of([1, 3, 5])
    >>> second = first.inserted(2, 4)
    >>> list(first), list(second), second.bisect_right(4)
    ([1, 3, 5], [1, 3, 4, 5], 3)
    """

    __slots__ = ("_head", "_n", "_tail")

    def __init__(self, head: list[T], n: int, tail: tuple[T, ...] = ()) -> None:
        self._head = head
        self._n = n
        self._tail = tail

    @classmethod
    def of(cls, items: Iterable[T]) -> Run[T]:
        """A run of ``items`` (a sequence that is a :class:`Run` already is returned as it is;
        any other is copied, a list too: the run may grow what it holds)."""
        if isinstance(items, Run):
            return items
        head = list(items)
        return cls(head, len(head))

    def __len__(self) -> int:
        return self._n + len(self._tail)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        n = self._n
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return list(self)[index]
            if stop <= n:
                return self._head[start:stop]
            if start >= n:
                return list(self._tail[start - n : stop - n])
            return [*self._head[start:n], *self._tail[: stop - n]]
        if index < 0:
            index += len(self)
            if index < 0:
                raise IndexError("Run index out of range")
        return self._head[index] if index < n else self._tail[index - n]

    def __iter__(self) -> Iterator[T]:
        inside = islice(self._head, self._n)
        return chain(inside, self._tail) if self._tail else inside

    def __repr__(self) -> str:
        return f"Run({list(self)!r})"

    def bisect_right(self, value: Any, key: Callable[[T], Any] | None = None) -> int:
        """:func:`bisect.bisect_right` on this (sorted) run."""
        found = bisect_right(self._head, value, 0, self._n, key=key)
        if found < self._n or not self._tail:
            return found
        return self._n + bisect_right(self._tail, value, key=key)

    def bisect_left(self, value: Any, key: Callable[[T], Any] | None = None) -> int:
        """:func:`bisect.bisect_left` on this (sorted) run."""
        found = bisect_left(self._head, value, 0, self._n, key=key)
        if found < self._n or not self._tail:
            return found
        return self._n + bisect_left(self._tail, value, key=key)

    def appended(self, item: T) -> Run[T]:
        """This run with ``item`` after its last."""
        return self.inserted(len(self), item)

    def inserted(self, place: int, item: T) -> Run[T]:
        """This run with ``item`` before its item ``place`` (at the end when ``place`` is its length).

        At the end of a run with no tail of its own, the shared list is grown in place where its
        items end where this run's do; within the last :data:`TAIL` items, the tail is copied;
        further back, the whole run is (a record dated long before the newest)."""
        head, n, tail = self._head, self._n, self._tail
        if not 0 <= place <= n + len(tail):
            raise IndexError(f"place {place} outside a run of {n + len(tail)}")
        if place == n and not tail:
            with _GROW:
                if len(head) == n:
                    head.append(item)
                    return Run(head, n + 1)
        if place >= n:
            at = place - n
            return self._with_tail(n, (*tail[:at], item, *tail[at:]))
        if n - place <= TAIL:  # give the last items of the shared list back to a tail
            return self._with_tail(place, (item, *head[place:n], *tail))
        fresh = head[:n]
        fresh.extend(tail)
        fresh.insert(place, item)
        return Run(fresh, len(fresh))

    def _with_tail(self, n: int, tail: tuple[T, ...]) -> Run[T]:
        """The first ``n`` items of the shared list, then ``tail``; a tail too long gives its older
        half to the shared list (grown in place where it ends at ``n``, else copied)."""
        if len(tail) <= TAIL:
            return Run(self._head, n, tail)
        keep = TAIL // 2
        moved, tail = tail[:-keep], tail[-keep:]
        head = self._head
        with _GROW:
            if len(head) == n:
                head.extend(moved)
                return Run(head, n + len(moved), tail)
        fresh = head[:n]
        fresh.extend(moved)
        return Run(fresh, len(fresh), tail)


def bisected(
    items: Sequence[Any], value: Any, *, left: bool = False, key: Callable[[Any], Any] | None = None
) -> int:
    """:func:`bisect.bisect_right` (with ``left``: :func:`bisect.bisect_left`) of ``value`` in
    the sorted ``items``, a :class:`Run` or a built-in sequence."""
    if isinstance(items, Run):
        return items.bisect_left(value, key) if left else items.bisect_right(value, key)
    return bisect_left(items, value, key=key) if left else bisect_right(items, value, key=key)


def grown(items: list[T] | Run[T], item: T) -> list[T] | Run[T]:
    """``items`` with ``item`` after the last: a list grown in place (one this version made), a
    :class:`Run` as :meth:`Run.appended`."""
    if isinstance(items, list):
        items.append(item)
        return items
    return items.appended(item)


_ABSENT: Any = object()


class Layered(Mapping[K, V]):
    """An immutable mapping: a dict shared with other versions, under a small dict of its own of
    the keys added or changed since. Iterates as a dict updated with those keys would (a changed
    key where it was, added ones after).

    Examples
    --------
    >>> first = Layered.of({"a": 1, "b": 2})
    >>> second = first.updated({"b": 3, "c": 4})
    >>> dict(first), dict(second), len(second)
    ({'a': 1, 'b': 2}, {'a': 1, 'b': 3, 'c': 4}, 3)
    """

    __slots__ = ("_base", "_len", "_top")

    def __init__(self, base: dict[K, V], top: dict[K, V] | None = None, size: int | None = None) -> None:
        self._base = base
        self._top: dict[K, V] = top or {}
        self._len = size if size is not None else len(base) + sum(1 for key in self._top if key not in base)

    @classmethod
    def of(cls, items: Mapping[K, V]) -> Layered[K, V]:
        """A layered mapping of ``items`` (one that is already layered is returned as it is).
        A dict is shared, not copied: nothing may change it after."""
        if isinstance(items, Layered):
            return items
        return cls(items if isinstance(items, dict) else dict(items))

    def __getitem__(self, key: K) -> V:
        found = self._top.get(key, _ABSENT)
        if found is _ABSENT:
            return self._base[key]
        return found  # type: ignore[no-any-return]

    def get(self, key: K, default: Any = None) -> Any:
        found = self._top.get(key, _ABSENT)
        if found is _ABSENT:
            return self._base.get(key, default)
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._top or key in self._base

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[K]:
        if not self._top:
            return iter(self._base)
        base = self._base
        return chain(base, (key for key in self._top if key not in base))

    def __repr__(self) -> str:
        return f"Layered({dict(self)!r})"

    def updated(self, changes: Mapping[K, V]) -> Layered[K, V]:
        """This mapping with the keys of ``changes`` set to their values (this one unchanged)."""
        if not changes:
            return self
        top = {**self._top, **changes}
        if len(top) <= TOP:
            size = self._len + sum(1 for key in changes if key not in self)
            return Layered(self._base, top, size)
        return Layered({**self._base, **top})

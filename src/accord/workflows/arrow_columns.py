"""NumPy columns as Arrow arrays, built from their buffers.

``pyarrow.array`` asks whether its input is a pandas object, and that question imports pandas
where it is installed (half a second, more than a 200,000-negotiation tournament spends in its
engine). The columns of a results table are NumPy arrays of a few kinds, which Arrow can take
as they are: numbers (the same memory), booleans (packed into bits), and text with ``None``
(a handful of names repeated on every row: a dictionary array, the names once and each row's
position among them, which is how Parquet stores such a column anyway). Anything else goes
through ``pyarrow.array``. Written with :func:`write_parquet` (no Arrow schema stored), a file
reads back exactly as one written from ``pyarrow.array``'s arrays: text columns are ``string``
(``tests/workflows/test_arrow_columns.py`` compares them).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.sim.runs.tournament import Table

MAX_NAMES = 2**16
"""Most distinct texts in a column written as a dictionary; a column of more (free text) is
left to ``pyarrow.array``."""


def arrow_table(table: Table) -> Any:
    """The Arrow table of ``table``'s columns, in their order."""
    import pyarrow as pa

    return pa.table({name: arrow_column(values) for name, values in table.items()})


def arrow_column(values: np.ndarray) -> Any:
    """One column as an Arrow array (see the module's note)."""
    import pyarrow as pa

    if values.ndim != 1:
        return pa.array(values)
    if values.dtype == np.bool_:
        bits = np.packbits(values, bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(bits)])
    if values.dtype.kind in "iuf":
        values = np.ascontiguousarray(values)
        kind = pa.from_numpy_dtype(values.dtype)
        return pa.Array.from_buffers(kind, len(values), [None, pa.py_buffer(values)])
    if values.dtype == object:
        text = _text_column(values)
        if text is not None:
            return text
    return pa.array(values)


def _text_column(values: np.ndarray) -> Any:
    """A column of text and ``None`` as an Arrow dictionary array of ``string`` values, or
    ``None`` where it holds something else."""
    import pyarrow as pa

    found = _few_objects(values)
    if found is None:
        return None
    codes, names = found
    if not any(n is not None for n in names):  # no text at all: a column of nulls, as pyarrow.array has it
        return pa.nulls(len(values))
    encoded = [b"" if n is None else n.encode() for n in names]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    dictionary = pa.Array.from_buffers(
        pa.string(), len(encoded), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    )
    validity = None
    if None in names:
        validity = pa.py_buffer(np.packbits(codes != names.index(None), bitorder="little"))
    indices = np.ascontiguousarray(codes, dtype=np.int32)
    rows = pa.Array.from_buffers(pa.int32(), len(indices), [validity, pa.py_buffer(indices)])
    return pa.DictionaryArray.from_arrays(rows, dictionary)


def _few_objects(values: np.ndarray) -> tuple[np.ndarray, list[str | None]] | None:
    """Each row's position among the column's distinct texts (``None`` included), and those
    texts; ``None`` where the column holds anything else or more than :data:`MAX_NAMES` of them.

    A results column repeats a few objects (each row refers to one of a handful of names), so
    the rows are first grouped by which object they hold, comparing the addresses the array
    keeps (numbers, compared at once) instead of comparing texts row by row; equal texts held
    as different objects are then merged.
    """
    held = np.ascontiguousarray(values)
    addresses = np.asarray(_Addresses(held))
    if not len(held) or (addresses == addresses[0]).all():  # one object on every row
        codes = np.zeros(len(held), dtype=np.int32)
        objects: list[object] = [held[0]] if len(held) else []
        rest = np.arange(0)
    else:
        codes = np.full(len(held), -1, dtype=np.int32)
        objects = []
        rest = np.arange(len(held))
    while rest.size:
        if len(objects) == MAX_NAMES:
            return None
        first = rest[0]
        codes[rest[addresses[rest] == addresses[first]]] = len(objects)
        objects.append(held[first])
        rest = rest[codes[rest] < 0]
    if not all(o is None or type(o) is str for o in objects):
        return None
    names: list[str | None] = []
    position: dict[str | None, int] = {}
    merged = np.empty(len(objects), dtype=np.int32)
    for i, o in enumerate(objects):
        merged[i] = position.setdefault(o, len(position))  # type: ignore[arg-type]
        if merged[i] == len(names):
            names.append(o)  # type: ignore[arg-type]
    return merged[codes], names


class _Addresses:
    """The address of each row's object in an object array, as a NumPy array of integers (a
    view of the array's own memory, which this keeps alive)."""

    def __init__(self, held: np.ndarray) -> None:
        self.held = held
        self.__array_interface__ = {
            "shape": held.shape,
            "typestr": np.dtype(np.uintp).str,
            "data": (held.ctypes.data, True),
            "version": 3,
        }


def plain(table: Any) -> Any:
    """``table`` with its dictionary columns as plain ones (for the CSV writer)."""
    import pyarrow as pa

    columns = [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in table.columns]
    return pa.table(columns, names=table.column_names)


NUMPY_TYPES = {"int64": np.int64, "int32": np.int32, "double": np.float64, "float": np.float32}
"""Arrow types whose values :func:`numpy_column` reads from their buffer."""


def read_parquet(path: Any) -> dict[str, np.ndarray]:
    """A Parquet file's columns as NumPy arrays (``pyarrow.parquet.read_table`` and
    ``to_numpy`` import pandas where it is installed; numbers without nulls are read from their
    buffers, anything else through ``to_numpy``)."""
    import pyarrow.parquet as pq

    arrow = pq.ParquetFile(path).read()
    return {name: numpy_column(arrow.column(name)) for name in arrow.column_names}


def numpy_column(column: Any) -> np.ndarray:
    """One column (an Arrow chunked array) as a NumPy array."""
    kind = NUMPY_TYPES.get(str(column.type))
    if kind is None or column.null_count:
        return np.asarray(column.to_numpy())
    parts = [
        np.frombuffer(
            chunk.buffers()[1], dtype=kind, count=len(chunk), offset=chunk.offset * np.dtype(kind).itemsize
        )
        for chunk in column.chunks
    ]
    return np.concatenate(parts) if parts else np.empty(0, dtype=kind)


def write_parquet(table: Any, path: Any) -> None:
    """Write an Arrow table as Parquet without Arrow's own schema beside it, so that the
    dictionary columns of :func:`arrow_table` read back as the plain ``string`` columns they
    hold (every column here is of a type Parquet names itself: integers, floats, booleans,
    UTF-8 text)."""
    import pyarrow.parquet as pq

    pq.write_table(table, path, store_schema=False)

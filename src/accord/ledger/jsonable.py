"""Plain JSON-ready data from any ledger result, for ``--json`` and the API.

The shape of each view is documented in ``docs/reference/views.md`` and is part of the public
contract: dataclasses become objects with one key per field (in field order), dates and times
ISO strings, enums their values, sets sorted lists, tuples lists. What the CLI and the API send
is a view's data in its :func:`envelope`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Mapping
from enum import Enum
from typing import Any

import orjson
from pydantic import BaseModel

JSON = dict[str, "JSON"] | list["JSON"] | str | int | float | bool | None

SCHEMA_VERSION = 2
"""The version of the views' JSON shapes: 2 since every view came in an envelope (CHANGELOG.md)."""

_PLAIN = frozenset({str, int, bool, type(None)})
"""Types whose values are JSON data as they are (exactly these: not enums, not subclasses)."""


def to_jsonable(value: Any) -> JSON:
    """Convert a ledger result (or anything built of the same parts) to plain JSON data.

    Parameters
    ----------
    value
        A dataclass, pydantic model, mapping, sequence, set, date, time, enum or scalar,
        nested in any way.

    Returns
    -------
    dict, list, str, int, float, bool or None
        Sets come out as sorted lists; non-finite floats as ``None``; mapping keys as strings.

    Examples
    --------
    >>> import datetime as dt
    >>> to_jsonable({"when": dt.date(2023, 9, 24), "provisions": frozenset({"b", "a"})})
    {'when': '2023-09-24', 'provisions': ['a', 'b']}
    """
    kind = type(value)  # the common cases first, by exact type: a big case's views hold ~10^5 values
    if kind in _PLAIN:
        plain: JSON = value
        return plain
    names = _field_names(kind)
    if names is not None:
        return {name: to_jsonable(getattr(value, name)) for name in names}
    if kind is tuple or kind is list:
        return [to_jsonable(item) for item in value]
    if isinstance(value, Enum):  # first: a StrEnum is a str too
        return to_jsonable(value.value)
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, BaseModel):
        dumped: JSON = value.model_dump(mode="json", by_alias=True, exclude_none=True)
        return dumped
    if isinstance(value, Mapping):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((to_jsonable(item) for item in value), key=_sort_key)
    if isinstance(value, (list, tuple)):
        return [to_jsonable(item) for item in value]
    raise TypeError(f"cannot convert {type(value).__name__} to JSON data")


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(kind: type) -> tuple[str, ...] | None:
    """The field names of a dataclass type, in field order; ``None`` for any other type."""
    if kind not in _FIELD_NAMES:
        is_dataclass = dataclasses.is_dataclass(kind)
        _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind)) if is_dataclass else None
    return _FIELD_NAMES[kind]


_OPTIONS = orjson.OPT_PASSTHROUGH_SUBCLASS
"""What orjson hands to :func:`to_jsonable`: subclasses of the built-in types (a ``StrEnum``, an
``IntEnum``); dataclasses, dates and times it encodes itself, as :func:`to_jsonable` converts them."""


def encoded(value: Any) -> bytes:
    """``to_jsonable(value)`` as compact UTF-8 JSON, encoded straight from ``value``, for the
    ledger's and the analysis's results (a view).

    The same data as ``json.dumps(to_jsonable(value), ensure_ascii=False, separators=(",",
    ":"))`` (a float may be spelt differently: ``0.00001`` for ``1e-05``), at a fraction of the
    cost: orjson walks the lists, dicts, strings, numbers, dates and dataclasses itself, and asks
    :func:`to_jsonable` for the rest. It encodes a dataclass's fields in order, as :func:`to_jsonable`
    does, where the dataclass is slotted and names no field with a leading underscore (orjson
    leaves such a field out, and encodes what else an unslotted instance holds): every dataclass
    of the ledger and of the analysis is (tests/ledger/test_encoded.py checks them all). A value
    orjson refuses (a mapping with keys that are not strings, an integer beyond 64 bits) takes
    the slow road, through :func:`to_jsonable` and :mod:`json`.

    Examples
    --------
    >>> import datetime as dt
    >>> encoded({"when": dt.date(2023, 9, 24), "gap": float("nan"), "ids": frozenset({"b", "a"})})
    b'{"when":"2023-09-24","gap":null,"ids":["a","b"]}'
    """
    try:
        return orjson.dumps(value, default=to_jsonable, option=_OPTIONS)
    except orjson.JSONEncodeError:
        return json.dumps(to_jsonable(value), ensure_ascii=False, separators=(",", ":")).encode()


def _sort_key(item: JSON) -> tuple[str, str]:
    return (type(item).__name__, str(item))


def envelope(
    view: str, case_id: str, as_of: dt.date | None, data: Any, *, convert: bool = True
) -> dict[str, JSON]:
    """A view's JSON as the CLI's ``--json`` and the API send it: an object naming the case, the
    view, the date it looks from (``None`` for a view that takes none) and the
    :data:`SCHEMA_VERSION`, with the view's data (:func:`to_jsonable`) under ``data``;
    ``convert=False``: ``data`` as it is, for :func:`encoded` (or a later :func:`to_jsonable`).

    Examples
    --------
    >>> import datetime as dt
    >>> envelope("stoppages", "wga-amptp-2023", dt.date(2023, 9, 8), [])
    {'case': 'wga-amptp-2023', 'view': 'stoppages', 'as_of': '2023-09-08', 'schema_version': 2, 'data': []}
    """
    return {
        "case": case_id,
        "view": view,
        "as_of": None if as_of is None else as_of.isoformat(),
        "schema_version": SCHEMA_VERSION,
        "data": to_jsonable(data) if convert else data,
    }

"""The API's encoding of a view (``jsonable.encoded``: orjson, straight from the ledger's result)
gives the same JSON data as the CLI's (``json.dumps(to_jsonable(...))``), on every view of
generated cases and of the bundled ones."""

import dataclasses
import datetime as dt
import enum
import importlib
import json
import pkgutil

import pytest
from hypothesis import given, settings
from ledger_strategies import as_of_dates, ledger_cases
from pydantic import BaseModel

import accord.analysis
import accord.ledger
from accord.casefile import bundled_case, bundled_case_names
from accord.ledger import envelope, positions_as_of, sides, stoppages, timeline, to_jsonable
from accord.ledger.jsonable import encoded
from accord.services.views import VIEWS


def _slow(value):
    """What the CLI's ``--json`` writes, compact."""
    return json.dumps(to_jsonable(value), ensure_ascii=False, separators=(",", ":")).encode()


def _same(value):
    fast = encoded(value)
    assert json.loads(fast) == json.loads(_slow(value))
    return fast


class Colour(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


class Side(enum.StrEnum):
    UNION = "union"


@dataclasses.dataclass(frozen=True, slots=True)
class Slotted:
    shown: Colour
    when: dt.date


@dataclasses.dataclass(frozen=True, slots=True)
class Hidden:
    _hidden: int
    shown: Colour


@dataclasses.dataclass
class Plain:
    _private: str
    when: dt.datetime
    tags: frozenset[str]


class Label(str):
    pass


class Model(BaseModel):
    name: str
    note: str | None = None


@pytest.mark.parametrize(
    "value",
    [
        Slotted(Colour.RED, dt.date(2023, 9, 24)),
        {"at": dt.datetime(2023, 9, 24, 18, 30, tzinfo=dt.UTC), "tags": frozenset({"b", "a"})},
        {
            "at": dt.datetime(2023, 9, 24, 18, 30, 0, 5),
            "naive": dt.datetime(2023, 1, 2),
            "t": dt.time(1, 2, 3, 4),
        },
        {"level": Level.HIGH, "side": Side.UNION, "label": Label("é"), "time": dt.time(0, 1)},
        {"nan": float("nan"), "inf": float("-inf"), "small": 1e-5, "big": 1e300, "tuple": (1, "2")},
        {"mixed set": {3, "a", None}, "model": Model(name="n"), "nested": [[{"d": dt.date(2023, 5, 2)}]]},
        {1: "int key", dt.date(2023, 5, 2): "date key"},  # refused by orjson: the slow road
        {"huge": 2**70},  # beyond 64 bits: the slow road
        "a plain string",
        None,
    ],
)
def test_edge_values_encode_as_the_cli_converts_them(value):
    _same(value)


def test_field_order_and_compact_utf8_are_kept():
    value = {"b": Slotted(Colour.RED, dt.date(2023, 9, 24)), "a": "grève"}
    assert encoded(value) == _slow(value) == '{"b":{"shown":"red","when":"2023-09-24"},"a":"grève"}'.encode()


def _dataclasses_of(*packages):
    for package in packages:
        for found in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            module = importlib.import_module(found.name)
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and dataclasses.is_dataclass(value)
                    and value.__module__ == module.__name__
                ):
                    yield value


def test_every_dataclass_of_the_views_is_one_orjson_encodes_as_the_cli_converts_it():
    """orjson leaves out a field named with a leading underscore, and encodes whatever else an
    unslotted instance holds (a cached property): the views' dataclasses have neither."""
    kinds = sorted(set(_dataclasses_of(accord.ledger, accord.analysis)), key=lambda k: k.__qualname__)
    assert len(kinds) > 30
    for kind in kinds:
        assert kind.__dictoffset__ == 0, f"{kind.__qualname__}: slots=True, please (no __dict__ to encode)"
        names = [f.name for f in dataclasses.fields(kind)]
        assert not [n for n in names if n.startswith("_")], f"{kind.__qualname__}: a field named with _"
    # what the rule keeps out: such a dataclass would not encode as the CLI converts it
    for value in (Hidden(1, Colour.RED), Plain("x", dt.datetime(2023, 9, 24, tzinfo=dt.UTC), frozenset())):
        assert json.loads(encoded(value)) != json.loads(_slow(value))


def test_what_cannot_be_converted_is_refused_as_before():
    with pytest.raises(TypeError, match="cannot convert object"):
        encoded({"x": object()})


def _every_view(case, as_of):
    a, b = sides(case)
    for name, view in VIEWS.items():  # the two-sided views, as the API serves them
        yield name, view(case, as_of, a, b)
    yield "stoppages", stoppages(case, as_of)
    yield "timeline", timeline(case, as_of)
    for party in case.parties:
        yield "positions", positions_as_of(case, as_of, party.id)


@settings(max_examples=40, deadline=None)
@given(ledger_cases(), as_of_dates())
def test_every_view_of_generated_cases_encodes_as_the_cli_converts_it(case, as_of):
    for name, result in _every_view(case, as_of):
        _same(envelope(name, case.id, as_of, result, convert=False))


@pytest.mark.parametrize("name", bundled_case_names())
def test_every_view_of_the_bundled_cases_encodes_as_the_cli_converts_it(name):
    case = bundled_case(name)
    dates = sorted({case.default_as_of(), *(p.date for p in case.proposals[::7])})
    for as_of in dates:
        for view, result in _every_view(case, as_of):
            fast = _same(envelope(view, case.id, as_of, result, convert=False))
            assert json.loads(fast) == envelope(view, case.id, as_of, result)

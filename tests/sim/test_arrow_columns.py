"""Results columns built into Arrow from their buffers read back exactly as columns converted by
``pyarrow.array`` (the naive twin), and a tournament never imports pandas."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.sim.runs.metrics import unique_rows
from accord.workflows.arrow_columns import (
    _few_objects,
    arrow_column,
    arrow_table,
    numpy_column,
    plain,
    read_parquet,
    write_parquet,
)

NAMES = st.sampled_from(["boulware", "tit-for-tat", "", "é x", "generated-0"])


def _texts(n: int):
    return st.lists(st.one_of(st.none(), NAMES, st.text(max_size=3)), min_size=n, max_size=n)


@st.composite
def tables(draw):
    n = draw(st.integers(0, 40))
    kinds = draw(st.lists(st.sampled_from(["int", "float", "bool", "text", "mixed", "int32"]), min_size=1))
    table = {}
    for i, kind in enumerate(kinds):
        if kind == "int":
            values = np.array(
                draw(st.lists(st.integers(-(2**62), 2**62), min_size=n, max_size=n)), dtype=np.int64
            )
        elif kind == "int32":
            values = np.array(draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n)), dtype=np.int32)
        elif kind == "float":
            floats = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.just(float("nan")))
            values = np.array(draw(st.lists(floats, min_size=n, max_size=n)), dtype=np.float64)
        elif kind == "bool":
            values = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
        elif kind == "text":
            values = np.array(draw(_texts(n)), dtype=object)
            if n and draw(st.booleans()):  # strided, as a column cut from a larger array can be
                values = np.repeat(values, 2)[::2]
        else:  # objects that are not text: left to pyarrow.array
            values = np.array(
                draw(st.lists(st.one_of(st.none(), st.integers(-9, 9)), min_size=n, max_size=n)), dtype=object
            )
        table[f"c{i}"] = values
    return table


def _naive(table) -> pa.Table:
    return pa.table(
        {
            name: pa.array(values.tolist() if values.dtype == object else values)
            for name, values in table.items()
        }
    )


@settings(max_examples=150, deadline=None)
@given(tables())
def test_columns_read_back_as_pyarrow_array_makes_them(tmp_path_factory, table):
    folder = tmp_path_factory.mktemp("arrow")
    ours, theirs = folder / "ours.parquet", folder / "theirs.parquet"
    write_parquet(arrow_table(table), ours)
    pq.write_table(_naive(table), theirs)
    new, old = pq.read_table(ours), pq.read_table(theirs)
    assert new.schema.equals(old.schema)
    for name in new.column_names:
        a, b = new.column(name), old.column(name)
        if pa.types.is_floating(a.type):
            assert np.array_equal(a.to_numpy(), b.to_numpy(), equal_nan=True)
        else:
            assert a.to_pylist() == b.to_pylist()
    assert plain(arrow_table(table)).schema.equals(_naive(table).schema)  # what the CSV writer is given


def test_equal_texts_held_as_different_objects_are_one_name():
    same = "".join(["bou", "lware"])
    column = np.array(["boulware", same, None, "linear", None], dtype=object)
    assert column[0] is not column[1]
    codes, names = _few_objects(column)
    assert codes.tolist() == [0, 0, 1, 2, 1] and names == ["boulware", None, "linear"]
    assert arrow_column(column).cast(pa.string()).to_pylist() == column.tolist()


def test_a_column_of_other_objects_or_of_many_texts_goes_to_pyarrow_array():
    assert _few_objects(np.array(["a", 1], dtype=object)) is None
    many = np.array([str(i) for i in range(70_000)], dtype=object)
    assert _few_objects(many) is None
    assert arrow_column(many).to_pylist() == many.tolist()


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 25), st.integers(1, 3), st.randoms(use_true_random=False))
def test_unique_rows_is_numpy_unique_over_rows(n, k, random):
    points = np.array([[random.choice([0.0, -0.0, 0.5, 1.0, 0.25]) for _ in range(k)] for _ in range(n)])
    points = points.reshape(n, k)
    assert np.array_equal(unique_rows(points), np.unique(points, axis=0))


def test_a_tournament_never_imports_pandas(tmp_path):
    """``pyarrow.array`` imports pandas where it is installed (half a second of every run): a
    stand-in pandas that records being imported is first on the path, and no run imports it
    (with CSV copies, or resumed from its parts)."""
    fake = tmp_path / "fake" / "pandas"
    fake.mkdir(parents=True)
    marker = tmp_path / "pandas-imported"
    (fake / "__init__.py").write_text(
        f"import pathlib\npathlib.Path({str(marker)!r}).write_text('imported')\nraise ImportError('stand-in')\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(fake.parent), os.environ.get("PYTHONPATH", "")])}
    args = ["tournament", "--generated", "2", "--repetitions", "20", "--strategies", "boulware,linear"]
    for extra in (["--csv"], []):  # the second run finds every part written: it resumes
        done = subprocess.run(
            [sys.executable, "-m", "accord", *args, "--out", str(tmp_path / "out"), *extra],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert not marker.exists(), extra
    assert pq.read_table(tmp_path / "out" / "results.parquet").num_rows == 2 * 4 * 20
    # the stand-in is found where pandas would be: pyarrow.array does import it
    probe = subprocess.run(
        [sys.executable, "-c", "import pyarrow as pa; pa.array([1])"],
        env=env,
        capture_output=True,
        check=False,
    )
    assert probe.returncode == 0 and marker.exists()


@settings(max_examples=80, deadline=None)
@given(tables())
def test_columns_read_from_parquet_are_what_to_numpy_reads(tmp_path_factory, table):
    path = tmp_path_factory.mktemp("read") / "t.parquet"
    write_parquet(arrow_table(table), path)
    ours, theirs = read_parquet(path), pq.read_table(path)
    assert list(ours) == theirs.column_names
    for name, values in ours.items():
        expected = theirs.column(name).to_numpy()
        assert values.dtype == expected.dtype and values.shape == expected.shape
        assert np.array_equal(values, expected, equal_nan=values.dtype.kind == "f") or (
            values.dtype == object and values.tolist() == expected.tolist()
        )


def test_a_column_cut_from_a_larger_one_is_read_from_its_offset():
    whole = pa.chunked_array(
        [pa.array(np.arange(10, dtype=np.int64)), pa.array(np.arange(5, dtype=np.int64))]
    )
    cut = whole.slice(3, 9)  # the first chunk's last 7 values, then 2 of the second
    assert numpy_column(cut).tolist() == [3, 4, 5, 6, 7, 8, 9, 0, 1]
    assert numpy_column(pa.chunked_array([], type=pa.int64())).tolist() == []

"""The containers that versions of a ledger share (:mod:`accord.ledger.sharing`), against a list
and a dict: every version, made from any older one (two made from the same one too, as two
readers of one snapshot fold the same write), reads what a copy would, whatever was made after
it; with small limits, so that tails and layers are merged into new shared containers often."""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.ledger import sharing
from accord.ledger.sharing import Layered, Run, bisected, grown


@pytest.fixture(autouse=True)
def small_limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(sharing, "TAIL", 4)
    monkeypatch.setattr(sharing, "TOP", 3)
    yield


def _check_run(run: Run[int], model: list[int]) -> None:
    assert list(run) == model
    assert len(run) == len(model)
    for index in range(-len(model) - 1, len(model) + 1):
        if -len(model) <= index < len(model):
            assert run[index] == model[index]
        else:
            with pytest.raises(IndexError):
                run[index]
    for start in range(-1, len(model) + 2, 2):
        for stop in range(-1, len(model) + 2, 3):
            assert run[start:stop] == model[start:stop]
    assert run[::2] == model[::2]
    ordered = sorted(model)
    sorted_run = Run.of(ordered)
    for value in range(-1, (max(model) if model else 0) + 2):
        assert sorted_run.bisect_right(value) == bisect_right(ordered, value)
        assert sorted_run.bisect_left(value) == bisect_left(ordered, value)
        assert bisected(sorted_run, value) == bisect_right(ordered, value)
        assert bisected(sorted_run, value, left=True) == bisect_left(ordered, value)
        assert bisected(ordered, value, left=True) == bisect_left(ordered, value)


# each step: (which earlier version to start from, where to insert (a share of its length), value)
STEPS = st.lists(st.tuples(st.integers(0, 10**6), st.floats(0, 1), st.integers(0, 50)), max_size=60)


@settings(max_examples=200, deadline=None)
@given(STEPS)
def test_every_version_of_a_run_reads_what_a_copied_list_would(steps):
    versions: list[tuple[Run[int], list[int]]] = [(Run.of([]), [])]
    for which, share, value in steps:
        run, model = versions[which % len(versions)]
        place = round(share * len(model))
        versions.append((run.inserted(place, value), [*model[:place], value, *model[place:]]))
    for run, model in versions:
        _check_run(run, model)


@settings(max_examples=100, deadline=None)
@given(STEPS)
def test_a_run_grown_at_the_end_and_one_grown_from_an_older_version_each_read_their_own(steps):
    run: Run[int] = Run.of([1, 2, 3])
    model = [1, 2, 3]
    older = run
    for _, _, value in [*steps, (0, 0.0, 7)]:
        older = run
        run = run.appended(value)
        model.append(value)
        assert list(older) == model[:-1]
    _check_run(run, model)
    branch = older.appended(-1)  # the list ends past ``older``: this one copies
    assert list(branch) == [*model[:-1], -1]
    assert list(run) == model


def test_a_run_out_of_range_or_from_a_list_that_changes_later():
    items = [1, 2]
    run = Run.of(items)
    items.append(3)  # a run copies a list it is made from
    assert list(run) == [1, 2]
    with pytest.raises(IndexError):
        run.inserted(3, 0)
    with pytest.raises(IndexError):
        run.inserted(-1, 0)
    assert Run.of(run) is run
    assert repr(Run.of([1])) == "Run([1])"
    assert grown(items, 4) is items and items == [1, 2, 3, 4]
    assert list(grown(run, 9)) == [1, 2, 9]


def test_two_threads_growing_one_version_each_get_their_own():
    base = Run.of(range(100))
    results: list[Run[int]] = []
    barrier = threading.Barrier(8)

    def grow(value: int) -> None:
        barrier.wait()
        run = base
        for _ in range(200):
            run = run.appended(value)
        results.append(run)

    threads = [threading.Thread(target=grow, args=(value,)) for value in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(tuple(run)[100:] for run in results) == [(value,) * 200 for value in range(8)]
    assert list(base) == list(range(100))


# each step: (which earlier version, key, value)
CHANGES = st.lists(
    st.tuples(st.integers(0, 10**6), st.lists(st.tuples(st.integers(0, 12), st.integers()), max_size=4)),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(0, 12), st.integers(), max_size=5), CHANGES)
def test_every_version_of_a_layered_mapping_reads_what_an_updated_dict_would(first, steps):
    versions: list[tuple[Layered[int, int], dict[int, int]]] = [(Layered.of(dict(first)), dict(first))]
    for which, changes in steps:
        mapping, model = versions[which % len(versions)]
        versions.append((mapping.updated(dict(changes)), {**model, **dict(changes)}))
    for mapping, model in versions:
        assert list(mapping.items()) == list(model.items())  # a dict's order, too
        assert len(mapping) == len(model)
        for key in range(-1, 14):
            assert (key in mapping) == (key in model)
            assert mapping.get(key, "none") == model.get(key, "none")
            if key in model:
                assert mapping[key] == model[key]
            else:
                with pytest.raises(KeyError):
                    mapping[key]
        assert mapping == model


def test_a_layered_mapping_of_no_changes_is_itself_and_one_of_a_proxy_copies_it():
    mapping = Layered.of({"a": 1})
    assert mapping.updated({}) is mapping
    assert Layered.of(mapping) is mapping
    source = {"b": 2}
    copied = Layered.of(MappingProxyType(source))
    source["c"] = 3
    assert dict(copied) == {"b": 2}
    assert repr(mapping) == "Layered({'a': 1})"

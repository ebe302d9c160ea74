"""Every public function of the ledger shows an example (the examples run with the suite:
pytest's ``--doctest-modules`` over src)."""

import pytest

import accord.ledger

PUBLIC_FUNCTIONS = [n for n in accord.ledger.__all__ if n[0].islower()]


@pytest.mark.parametrize("name", PUBLIC_FUNCTIONS)
def test_every_public_function_has_an_example(name):
    assert ">>>" in (getattr(accord.ledger, name).__doc__ or ""), name

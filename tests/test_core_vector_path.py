"""The shared vector path's shortcuts give what the plain computations give.

``SteeringOutput.batched`` builds the reflex names and actions from the rows where a
reflex took over (or, past an eighth of the bodies, by indexing every body);
``CounterRNG.new_lives`` starts new lives in one compiled call; ``copy_within`` copies and
checks a batch of continuous actions in one compiled pass. Each is checked here against the
plain numpy it replaces.
"""

from __future__ import annotations

import numpy as np
import pytest

from brainlike.envs.core import copy_within
from brainlike.envs.rng import CounterRNG, next_keys
from brainlike.steering.base import NO_REFLEX, ReflexTakeover, SteeringOutput

NAMES = ("flee", "freeze")


def _output(fraction: float, continuous: bool, n: int = 256, seed: int = 0) -> SteeringOutput:
    rng = np.random.default_rng(seed)
    reason = np.where(rng.random(n) < fraction, rng.integers(0, len(NAMES), n), NO_REFLEX)
    executed = rng.random((n, 2)) if continuous else rng.integers(0, 5, n)
    return SteeringOutput(np.zeros(n), {}, {}, ReflexTakeover(reason >= 0, executed, reason), NAMES)


@pytest.mark.parametrize("continuous", [False, True])
@pytest.mark.parametrize("fraction", [0.0, 0.03, 0.5, 1.0])
def test_batched_reflex_names_and_actions_are_the_plain_ones(fraction: float, continuous: bool) -> None:
    out = _output(fraction, continuous)
    got = out.batched()
    reason, mask, executed = out.reflex.reason, out.reflex.mask, out.reflex.executed
    assert got["reflex"].dtype == object
    assert got["reflex"].tolist() == [NAMES[r] if r >= 0 else None for r in reason]
    if continuous:
        expected = np.where(mask[:, None], executed, np.nan)
    else:
        expected = np.where(mask, executed, NO_REFLEX)
    assert got["reflex_action"].dtype == expected.dtype
    np.testing.assert_array_equal(got["reflex_action"], expected)
    np.testing.assert_array_equal(out.reflex.reflex_action, expected)


def test_batched_without_reflexes_is_all_none() -> None:
    n = 64
    out = SteeringOutput(np.zeros(n), {}, {}, ReflexTakeover.none(np.zeros((n, 3))), ())
    got = out.batched()
    assert got["reflex"].tolist() == [None] * n
    assert got["reflex_action"].shape == (n, 3) and np.isnan(got["reflex_action"]).all()


def _two_rngs(n: int) -> tuple[CounterRNG, CounterRNG]:
    a, b = CounterRNG(n), CounterRNG(n)
    keys = np.arange(1, n + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    for r in (a, b):
        r.seed(np.arange(n), keys)
        r.uniform(3)  # some draws already taken: counters not at 0
    return a, b


@pytest.mark.parametrize("k", [0, 5])
def test_new_lives_is_seed_then_uniform(k: int) -> None:
    fast, plain = _two_rngs(8)
    rows = np.array([1, 4, 7])
    u = fast.new_lives(rows, None, k)
    plain.seed(rows, next_keys(plain.key[rows]))
    expected = plain.uniform(k, rows=rows) if k else np.empty((3, 0))
    np.testing.assert_array_equal(u, expected)
    np.testing.assert_array_equal(fast.streams, plain.streams)  # k = 0: no draw, counters stay at 0

    given = np.array([11, 12, 13], dtype=np.uint64)
    u = fast.new_lives(rows, given, k)
    plain.seed(rows, given)
    np.testing.assert_array_equal(u, plain.uniform(k, rows=rows) if k else np.empty((3, 0)))
    np.testing.assert_array_equal(fast.streams, plain.streams)


def test_new_lives_refuses_a_key_count_that_is_not_the_row_count() -> None:
    rng, _ = _two_rngs(4)
    before = rng.streams.copy()
    with pytest.raises(ValueError, match="expected 2 keys"):
        rng.new_lives(np.array([0, 1]), np.array([5], dtype=np.uint64), 3)
    np.testing.assert_array_equal(rng.streams, before)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_copy_within_copies_as_float64_and_finds_any_value_outside(dtype: type) -> None:
    values = np.random.default_rng(0).uniform(-1.0, 1.0, (64, 3)).astype(dtype)
    values[0, 0], values[-1, -1] = -1.0, 1.0  # the bounds themselves lie within
    out = np.empty((64, 3))
    assert copy_within(values, -1.0, 1.0, out)
    np.testing.assert_array_equal(out, values.astype(np.float64))
    for bad in (np.nan, np.inf, -np.inf, 1.0001, -1.5):
        for at in (0, 100, values.size - 1):  # first, inside, last
            v = values.copy()
            v.flat[at] = bad
            assert not copy_within(v, -1.0, 1.0, np.empty((64, 3))), (bad, at)

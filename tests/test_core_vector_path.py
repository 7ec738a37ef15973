"""The shared vector path's shortcuts give what the plain computations give.

``SteeringOutput.batched`` builds the reflex names and actions from the rows where a
reflex took over (or, past an eighth of the bodies, by indexing every body);
``CounterRNG.new_lives`` starts new lives in one compiled call; ``copy_within`` copies and
checks a batch of continuous actions in one compiled pass; the vector env keeps the rows to
restart from the step that ended their lives. Each is checked here against the plain numpy
it replaces, or against Gymnasium's ``SyncVectorEnv``.
"""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest

import brainlike.envs  # noqa: F401  (registers the ids)
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


def test_a_reset_after_lives_ended_cancels_their_autoreset_as_sync_vector_env_does() -> None:
    """Every life ends on its second step. A reset then cancels the pending restart (its first step is a
    plain one); later, lives that end restart on the next step (rewarded 0), as in ``SyncVectorEnv``."""
    n, horizon, owl = 3, 2, "brainlike/BarnOwl-v0"
    native = gym.make_vec(owl, num_envs=n, vectorization_mode="vector_entry_point", max_episode_steps=horizon)
    sync = gym.vector.SyncVectorEnv([lambda: gym.make(owl, max_episode_steps=horizon) for _ in range(n)])
    rng = np.random.default_rng(0)
    rewards, truncations = [], []
    for seed in (3, 8):  # the second reset comes right after every life ended
        o1, _ = native.reset(seed=seed)
        o2, _ = sync.reset(seed=seed)
        for key in o1:
            np.testing.assert_array_equal(o1[key], o2[key])
        for _ in range(5):
            actions = rng.uniform(-1.0, 1.0, (n, 2)).astype(np.float32)
            r1, r2 = native.step(actions), sync.step(actions)
            for key in r1[0]:
                np.testing.assert_array_equal(r1[0][key], r2[0][key])
            for x, y in zip(r1[1:4], r2[1:4]):
                np.testing.assert_array_equal(x, y)
            rewards.append(r1[1])
            truncations.append(r1[3])
    # Per reset: a plain step (every turn costs effort: reward != 0), the end, the restart (reward 0), a plain
    # step, the end; so the second reset came right after lives ended, and its first step is a plain one.
    for first in (0, 5):
        assert np.all(rewards[first] != 0.0) and np.all(rewards[first + 3] != 0.0)
        assert np.all(truncations[first + 1]) and np.all(truncations[first + 4]) and not np.any(truncations[first])
        assert np.all(rewards[first + 2] == 0.0)

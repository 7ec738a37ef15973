"""Properties every body keeps, on examples drawn by hypothesis.

A modest budget by default; ``BRAINLIKE_HYPOTHESIS_EXAMPLES=1500`` runs a hostile one.
"""

from __future__ import annotations

import os
import pickle
from typing import Any

import gymnasium as gym
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brainlike.envs.profile import body_ids, profile_for

EXAMPLES = int(os.environ.get("BRAINLIKE_HYPOTHESIS_EXAMPLES", "12"))


def property_settings() -> tuple[tuple[str, dict[str, Any]], ...]:
    """Every registered body as it is (its id and its ``Flat`` variant with their defaults), then its
    profile's ``property_settings``: settings that end lives often, so that autoresets, terminations,
    truncations and their coincidence (a protocol of 22 steps with a limit of 22) all happen.

    Derived from the registry, so a new body is property-tested without a line here.
    """
    found: list[tuple[str, dict[str, Any]]] = []
    for body in body_ids():
        flat = body.removesuffix("-v0") + "Flat-v0"
        found += [(body, {})] + ([(flat, {})] if flat in gym.registry else [])
        found += [(body, dict(kwargs)) for kwargs in profile_for(body).property_settings]
    return tuple(found)


SETTINGS = property_settings()
#: The examples per setting: the budget is shared across the settings (at least two each).
PROPERTY = settings(max_examples=max(2, EXAMPLES // len(SETTINGS)), deadline=None, derandomize=EXAMPLES <= 50,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
each_setting = pytest.mark.parametrize("env_id, kwargs", SETTINGS,
                                       ids=[f"{i.split('/')[-1]}-{n}" for n, (i, _) in enumerate(SETTINGS)])
seed = st.integers(0, 2**31 - 1)


def _actions(space: gym.Space, steps: int, action_seed: int) -> list[Any]:
    space.seed(action_seed)
    return [space.sample() for _ in range(steps)]


def _body(obs: Any, i: int) -> Any:
    return {k: v[i] for k, v in obs.items()} if isinstance(obs, dict) else obs[i]


def _assert_equal(a: Any, b: Any) -> None:
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            np.testing.assert_array_equal(a[k], b[k], err_msg=k)
    else:
        np.testing.assert_array_equal(a, b)


def assert_vector_matches_single(env_id: str, kwargs: dict[str, Any], s: int, n: int, limit: int, action_seed: int) -> None:
    """Body i of a vector env seeded ``s`` lives what a single env seeded ``s + i`` lives, through autoresets."""
    vec = gym.make_vec(env_id, num_envs=n, vectorization_mode="vector_entry_point", max_episode_steps=limit, **kwargs)
    singles = [gym.make(env_id, max_episode_steps=limit, **kwargs) for _ in range(n)]
    obs, _ = vec.reset(seed=s)
    for i, env in enumerate(singles):
        _assert_equal(_body(obs, i), env.reset(seed=s + i)[0])
    pending = [False] * n
    for a in _actions(vec.action_space, 3 * limit, action_seed):
        obs, reward, term, trunc, _ = vec.step(a)
        for i, env in enumerate(singles):
            if pending[i]:  # next-step autoreset: the vector env starts the new life now
                s_obs, s_r, s_term, s_trunc = env.reset()[0], 0.0, False, False
            else:
                s_obs, s_r, s_term, s_trunc, _ = env.step(a[i])
            _assert_equal(_body(obs, i), s_obs)
            assert (reward[i], term[i], trunc[i]) == (s_r, s_term, s_trunc)
            pending[i] = s_term or s_trunc


@each_setting
@PROPERTY
@given(s=seed, n=st.integers(1, 4), limit=st.integers(1, 40), action_seed=seed)
def test_vector_body_i_is_a_single_env_seeded_s_plus_i(env_id, kwargs, s, n, limit, action_seed):
    assert_vector_matches_single(env_id, kwargs, s, n, limit, action_seed)


@each_setting
@PROPERTY
@given(s=seed, action_seed=seed)
def test_observations_in_space_rewards_finite_and_the_sum_of_their_components(env_id, kwargs, s, action_seed):
    env = gym.make(env_id, **kwargs)
    obs, _ = env.reset(seed=s)
    assert env.observation_space.contains(obs)
    for a in _actions(env.action_space, 60, action_seed):
        obs, reward, term, trunc, info = env.step(a)
        assert env.observation_space.contains(obs)
        assert np.isfinite(reward)
        assert reward == sum(info["steering"]["components"].values())
        if term or trunc:
            obs, _ = env.reset()


@each_setting
@PROPERTY
@given(s=seed, before=st.integers(0, 50), action_seed=seed)
def test_a_pickled_copy_lives_the_same_life(env_id, kwargs, s, before, action_seed):
    env = gym.make(env_id, **kwargs)
    env.reset(seed=s)
    actions = _actions(env.action_space, before + 40, action_seed)
    for a in actions[:before]:
        if any(env.step(a)[2:4]):
            env.reset()
    clone = pickle.loads(pickle.dumps(env))
    for a in actions[before:]:
        out, out_clone = env.step(a), clone.step(a)
        _assert_equal(out[0], out_clone[0])
        assert out[1:4] == out_clone[1:4]
        if out[2] or out[3]:
            _assert_equal(env.reset()[0], clone.reset()[0])


BAD_ACTIONS = {
    "discrete": [7, -1, 2.5, np.nan, "north", np.array([1, 2]), 1 + 2j, None],
    "box": [np.full(4, 2.0), np.full(4, np.nan), np.zeros(3), np.zeros(4) + 0.5j, "loud", None],
}


@each_setting
@PROPERTY
@given(s=seed, before=st.integers(0, 20), data=st.data())
def test_a_bad_call_leaves_the_env_as_its_twin(env_id, kwargs, s, before, data):
    env, twin = gym.make(env_id, **kwargs), gym.make(env_id, **kwargs)
    env.reset(seed=s)
    twin.reset(seed=s)
    actions = _actions(env.action_space, before + 20, s)
    for a in actions[:before]:
        if any(env.step(a)[2:4]) | any(twin.step(a)[2:4]):
            env.reset()
            twin.reset()
    kind = "discrete" if isinstance(env.action_space, gym.spaces.Discrete) else "box"
    bad = data.draw(st.sampled_from(BAD_ACTIONS[kind]))
    with pytest.raises((ValueError, TypeError)):
        env.step(bad)
    for a in actions[before:]:
        out, out_twin = env.step(a), twin.step(a)
        _assert_equal(out[0], out_twin[0])
        assert out[1:4] == out_twin[1:4]
        if out[2] or out[3]:
            env.reset()
            twin.reset()

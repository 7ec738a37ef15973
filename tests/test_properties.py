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

from brainlike.steering import MouseSteering, RewardLesion

EXAMPLES = int(os.environ.get("BRAINLIKE_HYPOTHESIS_EXAMPLES", "12"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 50,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: Body settings that end lives often, so autoresets, terminations, truncations and
#: their coincidence (a protocol of 22 steps with a limit of 22) all happen.
SETTINGS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("brainlike/ForagingMouse-v0", {"predator_rate": 0.2, "lethal_capture": True, "initial_energy": 0.05, "loom_steps": 3}),
    ("brainlike/ForagingMouseFlat-v0", {"predator_rate": 0.1, "sweep_rate": 0.2, "steering": RewardLesion(MouseSteering(habituation=0.5))}),
    ("brainlike/SaltRat-v0", {"protocol": [{"kind": "train", "trials": 2}]}),
    ("brainlike/SaltRat-v0", {"protocol": [{"kind": "home", "steps": 5}, {"kind": "free_access", "steps": 9}], "initial_sodium": 0.3}),
    ("brainlike/SongbirdTutor-v0", {"num_syllables": 3, "sensory_bouts": 1, "feedback_syllable": 0, "feedback_probability": 0.5}),
    ("brainlike/BarnOwl-v0", {"trials_per_day": 2, "prisms": 11.0, "prism_protocol": ((61.0, 23.0), (62.0, 0.0))}),
    ("brainlike/ResidentIntruder-v0", {"days": 2, "encounter_steps": 4, "intruder_mix": (0.2, 0.2, 0.6)}),
)

setting = st.sampled_from(range(len(SETTINGS)))
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


@PROPERTY
@given(setting, seed, st.integers(1, 4), st.integers(1, 40), seed)
def test_vector_body_i_is_a_single_env_seeded_s_plus_i(which, s, n, limit, action_seed):
    env_id, kwargs = SETTINGS[which]
    assert_vector_matches_single(env_id, kwargs, s, n, limit, action_seed)


@PROPERTY
@given(setting, seed, seed)
def test_observations_in_space_rewards_finite_and_the_sum_of_their_components(which, s, action_seed):
    env_id, kwargs = SETTINGS[which]
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


@PROPERTY
@given(setting, seed, st.integers(0, 50), seed)
def test_a_pickled_copy_lives_the_same_life(which, s, before, action_seed):
    env_id, kwargs = SETTINGS[which]
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


@PROPERTY
@given(setting, seed, st.integers(0, 20), st.data())
def test_a_bad_call_leaves_the_env_as_its_twin(which, s, before, data):
    env_id, kwargs = SETTINGS[which]
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

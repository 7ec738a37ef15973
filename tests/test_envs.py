"""The contract every registered body keeps, parametrised over every id.

A new body registered in ``envs.BODIES`` is covered here for free.
"""

from __future__ import annotations

import copy
import pickle
import warnings

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env as gym_check_env
from stable_baselines3.common.env_checker import check_env as sb3_check_env

from brainlike import envs
from brainlike.envs.core import BodyEnv

IDS = envs.ENV_IDS


def rollout(env: gym.Env, seed: int, steps: int, action_seed: int = 1) -> list:
    """(obs, reward, terminated, truncated, info) per step, resetting at episode ends."""
    env.action_space.seed(action_seed)
    obs, _ = env.reset(seed=seed)
    out = [obs]
    for _ in range(steps):
        step = env.step(env.action_space.sample())
        out.append(step)
        if step[2] or step[3]:
            out.append(env.reset()[0])
    return out


def assert_same(a, b, path="") -> None:
    """Exact equality through nested dicts, tuples and arrays."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            assert_same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, (tuple, list)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{path}[{i}]")
    else:
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b), err_msg=path)


@pytest.mark.parametrize("env_id", IDS)
def test_registered_with_vector_entry_point_and_time_limit(env_id):
    spec = gym.spec(env_id)
    assert spec.vector_entry_point is not None
    assert spec.max_episode_steps is not None and spec.max_episode_steps > 0
    assert isinstance(gym.make(env_id).unwrapped, BodyEnv)


@pytest.mark.parametrize("env_id", IDS)
def test_gymnasium_check_env(env_id):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any checker warning is a failure
        gym_check_env(gym.make(env_id).unwrapped)


@pytest.mark.parametrize("env_id", IDS)
def test_sb3_check_env(env_id):
    sb3_check_env(gym.make(env_id), warn=True)


@pytest.mark.parametrize("env_id", IDS)
def test_same_seed_same_actions_same_everything(env_id):
    a = rollout(gym.make(env_id), seed=3, steps=400)
    b = rollout(gym.make(env_id), seed=3, steps=400)
    assert_same(a, b)
    c = rollout(gym.make(env_id), seed=4, steps=400)
    with pytest.raises(AssertionError):
        assert_same(a, c)


@pytest.mark.parametrize("env_id", IDS)
def test_native_vector_env_equals_single_envs(env_id):
    """Body i of the native vector env seeded s is a single env seeded s + i, autoreset included."""
    n, steps, horizon = 5, 160, 37  # a short time limit forces several autoresets
    native = gym.make_vec(env_id, num_envs=n, vectorization_mode="vector_entry_point", max_episode_steps=horizon)
    sync = gym.vector.SyncVectorEnv([lambda: gym.make(env_id, max_episode_steps=horizon) for _ in range(n)])
    assert native.single_observation_space == sync.single_observation_space
    o1, _ = native.reset(seed=11)
    o2, _ = sync.reset(seed=11)
    assert_same(o1, o2)
    native.action_space.seed(5)
    ends = 0
    for _ in range(steps):
        actions = native.action_space.sample()
        r1 = native.step(actions)
        r2 = sync.step(actions)
        for x, y in zip(r1[:4], r2[:4]):
            assert_same(x, y)
        ends += int(np.sum(r1[2] | r1[3]))
    assert ends >= n, "the test must cover autoresets"


@pytest.mark.parametrize("env_id", IDS)
def test_rgb_array_frames(env_id):
    env = gym.make(env_id, render_mode="rgb_array")
    env.reset(seed=0)
    frame = env.render()
    assert frame.dtype == np.uint8 and frame.ndim == 3 and frame.shape[2] == 3
    env.step(env.action_space.sample())
    assert env.render().shape == frame.shape
    assert frame.std() > 0, "a frame should show something"


@pytest.mark.parametrize("env_id", IDS)
def test_human_render_without_display(env_id):
    env = gym.make(env_id, render_mode="human")
    env.reset(seed=0)
    for _ in range(3):
        env.step(env.action_space.sample())
    env.close()


@pytest.mark.parametrize("env_id", IDS)
def test_record_video(env_id, tmp_path):
    folder = tmp_path / "videos"  # a new folder: RecordVideo warns about existing ones
    env = gym.wrappers.RecordVideo(gym.make(env_id, render_mode="rgb_array"), str(folder), episode_trigger=lambda e: True)
    env.reset(seed=0)
    for _ in range(12):
        env.step(env.action_space.sample())
    env.close()
    videos = list(folder.glob("*.mp4"))
    assert videos and videos[0].stat().st_size > 0


@pytest.mark.parametrize("env_id", IDS)
def test_pickle_and_deepcopy_continue_identically(env_id):
    env = gym.make(env_id, render_mode="rgb_array")
    env.reset(seed=2)
    env.render()  # a live pygame canvas must not break pickling
    for _ in range(20):
        env.step(env.action_space.sample())
    for clone in (pickle.loads(pickle.dumps(env)), copy.deepcopy(env)):
        actions = [env.action_space.sample() for _ in range(30)]
        probe = copy.deepcopy(env)
        assert_same([probe.step(a)[:4] for a in actions], [clone.step(a)[:4] for a in actions])


@pytest.mark.parametrize("env_id", IDS)
def test_unknown_keyword_is_rejected_by_name(env_id):
    with pytest.raises(TypeError, match="not_an_argument"):
        gym.make(env_id, not_an_argument=1)


def bad_actions(space: gym.Space) -> list:
    if isinstance(space, gym.spaces.Discrete):
        return [int(space.n), -1, 2.5, float("nan"), "north", [0, 1]]
    return [np.full(space.shape, np.nan), np.full(space.shape, 2.0) * space.high, np.zeros(space.shape[0] + 1)]


@pytest.mark.parametrize("env_id", IDS)
def test_bad_action_raises_and_leaves_state_unchanged(env_id):
    env, ref = gym.make(env_id), gym.make(env_id)
    env.reset(seed=7)
    ref.reset(seed=7)
    for bad in bad_actions(env.action_space):
        with pytest.raises((ValueError, TypeError)):
            env.step(bad)
    a = env.action_space.sample()
    assert_same(env.step(a)[:4], ref.step(a)[:4])


@pytest.mark.parametrize("env_id", IDS)
def test_vector_wrong_batch_raises_and_leaves_state_unchanged(env_id):
    make = lambda: gym.make_vec(env_id, num_envs=3, vectorization_mode="vector_entry_point")  # noqa: E731
    env, ref = make(), make()
    env.reset(seed=1)
    ref.reset(seed=1)
    wrong = np.stack([env.single_action_space.sample() for _ in range(2)])
    with pytest.raises(ValueError, match="shape"):
        env.step(wrong)
    a = env.action_space.sample()
    assert_same(env.step(a)[:4], ref.step(a)[:4])


@pytest.mark.parametrize("env_id", IDS)
def test_reflex_lesion_never_overrides(env_id):
    env = gym.make(env_id, reflexes=False)
    env.reset(seed=0)
    for _ in range(300):
        a = env.action_space.sample()
        _, _, term, trunc, info = env.step(a)
        assert not info["reflex_overrode"]
        np.testing.assert_array_equal(info["executed_action"], a)
        if term or trunc:
            env.reset()


@pytest.mark.parametrize("env_id", IDS)
def test_steering_reward_is_the_step_reward(env_id):
    env = gym.make(env_id)
    env.reset(seed=0)
    for _ in range(100):
        _, reward, term, trunc, info = env.step(env.action_space.sample())
        s = info["steering"]
        assert reward == pytest.approx(s["reward"])
        assert reward == pytest.approx(sum(s["components"].values()))
        if term or trunc:
            env.reset()


@pytest.mark.parametrize("env_id", IDS)
def test_adjustable_parameter_count_matches_docstring(env_id):
    env = gym.make(env_id).unwrapped
    doc = type(env).__doc__
    n = env.steering.num_adjustable_parameters
    assert 1 <= n <= 8, "the steering subsystem has a handful of adjustable parameters"
    assert f"Innate adjustable parameters: {n}" in " ".join(doc.split())


@pytest.mark.parametrize("env_id", IDS)
def test_docstring_has_fixed_sections(env_id):
    doc = type(gym.make(env_id).unwrapped).__doc__
    for section in ("Description", "Observation Space", "Action Space", "Steering", "Termination and Truncation", "Arguments", "Experiments and papers", "Version History"):
        assert f"## {section}" in doc, section

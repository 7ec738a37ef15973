"""SB3 as a first-class citizen: the VecEnv adapter, the baselines on it, the rl-zoo3 hyperparameters."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest

pytest.importorskip("stable_baselines3")

from stable_baselines3 import PPO  # noqa: E402
from stable_baselines3.common.callbacks import BaseCallback  # noqa: E402
from stable_baselines3.common.vec_env import DummyVecEnv, VecMonitor  # noqa: E402

from brainlike import envs  # noqa: E402
from brainlike.agents.baselines import SB3Agent  # noqa: E402
from brainlike.agents.hyperparams import parse_expression, sb3_bodies, sb3_hyperparams, zoo_algorithms, zoo_file  # noqa: E402
from brainlike.agents.sb3_vec_env import NativeVecEnv  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BODIES = ["brainlike/ForagingMouse-v0", "brainlike/SaltRat-v0", "brainlike/SongbirdTutor-v0"]


def random_actions(space: gym.Space, n: int, rng: np.random.Generator) -> np.ndarray:
    if hasattr(space, "n"):
        return rng.integers(0, space.n, size=n)
    return rng.uniform(space.low, space.high, size=(n, *space.shape)).astype(np.float32)


def assert_obs_equal(a, b, where: str) -> None:
    if isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            np.testing.assert_array_equal(a[k], b[k], err_msg=f"{where}: {k}")
    else:
        np.testing.assert_array_equal(a, b, err_msg=where)


@pytest.mark.parametrize("env_id", BODIES + ["brainlike/ForagingMouseFlat-v0"])
def test_adapter_transitions_equal_dummy_vec_env(env_id):
    """Same seeds, same actions: the adapter's obs, rewards, dones and terminal observations are DummyVecEnv's."""
    n, steps = 3, 700  # past the rat's 522-step protocol and the mouse's 500-step limit
    adapter = NativeVecEnv(env_id, n)
    dummy = DummyVecEnv([lambda: gym.make(env_id) for _ in range(n)])
    adapter.seed(11)
    dummy.seed(11)
    assert_obs_equal(adapter.reset(), dummy.reset(), "reset")
    rng = np.random.default_rng(0)
    ended = truncated = 0
    for t in range(steps):
        actions = random_actions(adapter.action_space, n, rng)
        kept = actions.copy()
        oa, ra, da, ia = adapter.step(actions)
        np.testing.assert_array_equal(actions, kept, err_msg="the adapter must not change the caller's actions")
        ob, rb, db, ib = dummy.step(actions)
        assert_obs_equal(oa, ob, f"step {t}")
        np.testing.assert_array_equal(ra, rb, err_msg=f"rewards at step {t}")
        assert ra.dtype == rb.dtype == np.float32
        np.testing.assert_array_equal(da, db, err_msg=f"dones at step {t}")
        for i in np.flatnonzero(da):
            assert_obs_equal(ia[i]["terminal_observation"], ib[i]["terminal_observation"], f"terminal obs {t}/{i}")
            assert ia[i]["TimeLimit.truncated"] == ib[i]["TimeLimit.truncated"]
            ended += 1
            truncated += ia[i]["TimeLimit.truncated"]
    assert ended >= n, "the comparison must cross at least one same-step reset per body"
    adapter.close()
    dummy.close()


def test_adapter_reset_without_seed_continues_each_stream():
    """A second reset() without a seed gives new lives, as DummyVecEnv's env.reset() does."""
    env_id = "brainlike/ForagingMouse-v0"
    adapter, dummy = NativeVecEnv(env_id, 2), DummyVecEnv([lambda: gym.make(env_id) for _ in range(2)])
    adapter.seed(3)
    dummy.seed(3)
    first = adapter.reset()
    dummy.reset()
    second = adapter.reset()
    assert_obs_equal(second, dummy.reset(), "second reset")
    assert any(not np.array_equal(first[k], second[k]) for k in first), "a new life, not the same one again"


def test_ppo_trains_on_the_adapter():
    env = VecMonitor(NativeVecEnv("brainlike/SaltRat-v0", 8))
    model = PPO("MultiInputPolicy", env, n_steps=64, batch_size=128, n_epochs=2, seed=0, device="cpu")
    before = [p.detach().clone() for p in model.policy.parameters()]
    model.learn(total_timesteps=8 * 530)  # every rat lives its whole 522-step protocol once
    assert model.num_timesteps >= 8 * 530
    assert any(not np.allclose(a, b.detach()) for a, b in zip(before, model.policy.parameters())), "no update"
    assert len(model.ep_info_buffer) >= 8, "VecMonitor on the adapter reports finished lives (522 steps each)"


def test_baseline_uses_the_adapter_the_logger_eval_callback_and_user_callbacks(tmp_path):
    class Count(BaseCallback):
        calls = 0

        def _on_step(self) -> bool:
            Count.calls += 1
            return True

    agent = SB3Agent("ppo", "brainlike/SaltRat-v0", seed=0, n_steps=32, batch_size=64)
    assert isinstance(agent.train_env.venv, NativeVecEnv)
    history = agent.train(300, eval_every=150, eval_episodes=2, progress=False, log_dir=tmp_path,
                          sb3_callbacks=[Count()])
    assert Count.calls * agent.model.n_envs >= 300, "the user's callback runs every vector step"
    assert [h["env_steps"] for h in history][0] == 0 and history[-1]["env_steps"] >= 300
    assert "eval_salt_sensitization" in history[-1], "history rows carry the body's metrics, as for numpy agents"
    header = (tmp_path / "progress.csv").read_text().splitlines()[0]
    assert "brainlike/mean_return" in header and "eval/mean_reward" in header
    evaluations = np.load(tmp_path / "evaluations.npz")
    assert evaluations["results"].shape[1] == 2


def test_baseline_save_load_acts_the_same(tmp_path):
    agent = SB3Agent("dqn", "brainlike/SaltRat-v0", seed=1)
    agent.save(tmp_path / "dqn")
    loaded = SB3Agent.load(tmp_path / "dqn")
    env = gym.make_vec("brainlike/SaltRat-v0", num_envs=16, vectorization_mode="vector_entry_point")
    obs, _ = env.reset(seed=0)
    np.testing.assert_array_equal(agent.act(obs, explore=False), loaded.act(obs, explore=False))


# --- the rl-zoo3 hyperparameter files -----------------------------------------------------
def test_every_shipped_hyperparameter_set_builds_its_model():
    built = 0
    for algo in zoo_algorithms():
        for env_id in sb3_bodies(algo):
            assert env_id in envs.ENV_IDS, f"{zoo_file(algo).name} names an unknown body {env_id}"
            params = sb3_hyperparams(algo, env_id)
            assert params["policy"] == "MultiInputPolicy" and "n_timesteps" not in params
            assert params["policy_kwargs"] == {"net_arch": [64, 64]}
            SB3Agent(algo, env_id, seed=0)
            built += 1
    assert built >= 7


def test_hyperparameters_are_copies_and_errors_are_clear():
    a = sb3_hyperparams("ppo", "brainlike/ForagingMouse-v0")
    a["policy_kwargs"]["net_arch"].append(1)
    assert sb3_hyperparams("ppo", "brainlike/ForagingMouse-v0")["policy_kwargs"] == {"net_arch": [64, 64]}
    with pytest.raises(ValueError, match="not a baseline for"):
        sb3_hyperparams("sac", "brainlike/ForagingMouse-v0")
    with pytest.raises(ValueError, match="no SB3 hyperparameters for algorithm"):
        sb3_hyperparams("trpo", "brainlike/ForagingMouse-v0")


def test_rl_zoo_expressions_are_read_as_literals_never_run():
    assert parse_expression("dict(net_arch=[64, 64], log_std_init=-1.0)") == {"net_arch": [64, 64], "log_std_init": -1.0}
    assert parse_expression("[1, 2]") == [1, 2]
    with pytest.raises(ValueError):
        parse_expression("__import__('os').system('true')")
    with pytest.raises(ValueError):
        parse_expression("dict(activation_fn=nn.Tanh)")


@pytest.mark.skipif(importlib.util.find_spec("rl_zoo3") is None, reason="rl-zoo3 not installed ([zoo] extra)")
def test_rl_zoo3_trains_on_a_body_with_the_shipped_hyperparameters(tmp_path):
    """The README's rl-zoo3 command, for a few thousand steps."""
    cmd = [sys.executable, "-m", "rl_zoo3.train", "--algo", "ppo", "--env", "brainlike/SaltRat-v0",
           "--gym-packages", "brainlike.envs", "-conf", str(zoo_file("ppo")), "-n", "2048", "--seed", "0",
           "--eval-freq", "-1", "--log-folder", str(tmp_path), "--vec-env", "dummy"]
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy"}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    run_dir = tmp_path / "ppo" / "brainlike-SaltRat-v0_1"
    assert (run_dir / "brainlike-SaltRat-v0.zip").stat().st_size > 0
    saved = (run_dir / "brainlike-SaltRat-v0" / "config.yml").read_text()
    assert "MultiInputPolicy" in saved and "net_arch" in saved, "rl-zoo3 used the shipped hyperparameters"
    assert "total_timesteps" in proc.stdout

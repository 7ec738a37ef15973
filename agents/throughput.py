"""Training throughput of the fast path against SB3 PPO on the same body, measured in one run.

Machines here are noisy, so only the *ratio* of two measurements taken in the
same process and moment means anything.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from brainlike.agents.registry import make_agent
from brainlike.agents.training import make_vec_env


def _pattern_separation_rate(env_id: str, steps: int, num_envs: int, seed: int) -> float:
    """Env steps/s of act + env.step + learn, the training loop's inner work."""
    env = make_vec_env(env_id, num_envs)
    agent = make_agent("pattern-separation", env, seed=seed)
    obs, _ = env.reset(seed=seed)
    valid = np.ones(num_envs, dtype=bool)
    n = max(1, steps // num_envs)
    t0 = time.perf_counter()
    for _ in range(n):
        actions = agent.act(obs, explore=True)
        next_obs, r, te, tr, info = env.step(actions)
        agent.learn(obs, actions, r, next_obs, te, tr, info, valid=valid)
        valid = ~(te | tr)
        obs = next_obs
    dt = time.perf_counter() - t0
    env.close()
    return n * num_envs / dt


def _ppo_rate(env_id: str, steps: int, seed: int) -> float:
    """Env steps/s of SB3 PPO (MultiInputPolicy, default settings, one env) learning."""
    import gymnasium as gym
    import torch
    from stable_baselines3 import PPO

    torch.set_num_threads(1)  # what a 2-core shared machine gives one job; stated in the result
    env = gym.make(env_id)
    model = PPO("MultiInputPolicy", env, seed=seed, verbose=0, device="cpu")
    t0 = time.perf_counter()
    model.learn(total_timesteps=steps)
    dt = time.perf_counter() - t0
    env.close()
    return model.num_timesteps / dt


def training_throughput(
    env_id: str = "brainlike/ForagingMouse-v0",
    repeats: int = 3,
    agent_steps: int = 200_000,
    ppo_steps: int = 2048,
    num_envs: int = 64,
    seed: int = 0,
) -> dict[str, Any]:
    """PatternSeparationAgent training steps/s vs SB3 PPO's on ``env_id``: medians of ``repeats``.

    PPO runs its default rollout (2048 steps) plus its update per repeat, with
    one env and one torch thread; the agent runs ``num_envs`` bodies on the
    native vector env. Returns both rates, the ratio and the settings.
    """
    agent_rates, ppo_rates = [], []
    for r in range(repeats):
        # Interleaved, so a burst of load on the machine hits both.
        agent_rates.append(_pattern_separation_rate(env_id, agent_steps, num_envs, seed + r))
        ppo_rates.append(_ppo_rate(env_id, ppo_steps, seed + r))
    a, p = float(np.median(agent_rates)), float(np.median(ppo_rates))
    return {
        "env_id": env_id,
        "pattern_separation_steps_per_s": a,
        "ppo_steps_per_s": p,
        "ratio": a / p,
        "target_ratio": 10.0,
        "num_envs": num_envs,
        "repeats": repeats,
        "agent_rates": agent_rates,
        "ppo_rates": ppo_rates,
        "ppo": "MultiInputPolicy, default hyperparameters, 1 env, torch threads=1",
    }


if __name__ == "__main__":
    import json

    print(json.dumps(training_throughput(), indent=2))

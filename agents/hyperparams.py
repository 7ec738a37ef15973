"""Stable-Baselines3 hyperparameters per body, in one readable place (rl-baselines3-zoo style).

Keys under each algorithm go to the SB3 constructor, except ``n_envs`` (how
many bodies the baseline trains on at once, in SB3's own ``DummyVecEnv``) and
``policy`` (``MultiInputPolicy`` reads the bodies' Dict observations as they
are). ``policy_kwargs`` keeps networks small: these bodies have tens of
inputs, and a small net is what trains in the benchmark's budget on two cores.
"""

from __future__ import annotations

from typing import Any

SMALL_NET = {"net_arch": [64, 64]}

SB3_HYPERPARAMS: dict[str, dict[str, dict[str, Any]]] = {
    "brainlike/ForagingMouse-v0": {
        "ppo": dict(policy="MultiInputPolicy", n_envs=8, n_steps=128, batch_size=256, n_epochs=4,
                    learning_rate=3e-4, gamma=0.98, gae_lambda=0.95, ent_coef=0.01, policy_kwargs=SMALL_NET),
        "a2c": dict(policy="MultiInputPolicy", n_envs=8, n_steps=8, learning_rate=7e-4, gamma=0.98,
                    ent_coef=0.01, policy_kwargs=SMALL_NET),
        "dqn": dict(policy="MultiInputPolicy", n_envs=4, learning_rate=5e-4, buffer_size=50_000,
                    learning_starts=1_000, batch_size=64, gamma=0.98, train_freq=4, gradient_steps=1,
                    target_update_interval=1_000, exploration_fraction=0.3, exploration_final_eps=0.05,
                    policy_kwargs=SMALL_NET),
    },
    "brainlike/SaltRat-v0": {
        "ppo": dict(policy="MultiInputPolicy", n_envs=4, n_steps=128, batch_size=128, n_epochs=4,
                    learning_rate=3e-4, gamma=0.9, ent_coef=0.01, policy_kwargs=SMALL_NET),
        "a2c": dict(policy="MultiInputPolicy", n_envs=4, n_steps=8, learning_rate=7e-4, gamma=0.9,
                    ent_coef=0.01, policy_kwargs=SMALL_NET),
        "dqn": dict(policy="MultiInputPolicy", n_envs=1, learning_rate=5e-4, buffer_size=20_000,
                    learning_starts=500, batch_size=64, gamma=0.9, train_freq=4, target_update_interval=500,
                    exploration_fraction=0.3, exploration_final_eps=0.05, policy_kwargs=SMALL_NET),
    },
    "brainlike/SongbirdTutor-v0": {
        "sac": dict(policy="MultiInputPolicy", n_envs=1, learning_rate=1e-3, buffer_size=50_000,
                    learning_starts=500, batch_size=128, gamma=0.0, train_freq=4, policy_kwargs=SMALL_NET),
        "td3": dict(policy="MultiInputPolicy", n_envs=1, learning_rate=1e-3, buffer_size=50_000,
                    learning_starts=500, batch_size=128, gamma=0.0, train_freq=4, policy_kwargs=SMALL_NET),
        "ppo": dict(policy="MultiInputPolicy", n_envs=4, n_steps=128, batch_size=128, n_epochs=8,
                    learning_rate=1e-3, gamma=0.0, ent_coef=0.0, policy_kwargs=SMALL_NET),
    },
    # Two steps a trial (orient, strike): a short horizon.
    "brainlike/BarnOwl-v0": {
        "sac": dict(policy="MultiInputPolicy", n_envs=1, learning_rate=1e-3, buffer_size=50_000,
                    learning_starts=500, batch_size=128, gamma=0.5, train_freq=4, policy_kwargs=SMALL_NET),
        "ppo": dict(policy="MultiInputPolicy", n_envs=4, n_steps=128, batch_size=128, n_epochs=8,
                    learning_rate=1e-3, gamma=0.5, ent_coef=0.0, policy_kwargs=SMALL_NET),
    },
}


def sb3_hyperparams(algo: str, env_id: str) -> dict[str, Any]:
    """A copy of the hyperparameters of ``algo`` on ``env_id``; a clear error if there are none."""
    if env_id not in SB3_HYPERPARAMS:
        raise ValueError(f"no SB3 hyperparameters for body {env_id!r}; known: {sorted(SB3_HYPERPARAMS)}")
    per_body = SB3_HYPERPARAMS[env_id]
    if algo not in per_body:
        raise ValueError(f"{algo!r} is not a baseline for {env_id}; its baselines: {sorted(per_body)}")
    return {k: (dict(v) if isinstance(v, dict) else v) for k, v in per_body[algo].items()}

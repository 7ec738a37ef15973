"""One rollout primitive: a generator of batched transitions, for training, evaluation and experiments.

``rollout(env, act)`` resets a vector env and then, step after step, asks
``act`` for the batch's actions, steps the env and yields one ``Transition``;
the caller learns from it, records what it needs and stops when it has seen
enough (``break``, or ``close()`` on the generator). The vector envs use
Gymnasium's *next-step* autoreset: the step after a body's life ends is a
reset step whose action is ignored and whose "transition" (final obs -> first
obs of the next life) is not real, so ``Transition.valid`` is False there.

Agents that value predictions through the body's steering (``consults_steering``)
are given the steering of the env they act in, explicitly, by ``policy``: an
agent keeps no link to the last env it acted in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import gymnasium as gym
import numpy as np

#: Evaluation seeds start this far above the training seed, so no evaluation life
#: is ever a training life (training uses seed, seed + 1, ... per body).
EVALUATION_SEED_OFFSET = 1_000_000

Act = Callable[[Any], np.ndarray]


def evaluation_seed(seed: int) -> int:
    """The first seed of the held-out evaluation lives of a run trained from ``seed``."""
    return int(seed) + EVALUATION_SEED_OFFSET


@dataclass(frozen=True)
class Transition:
    """One batched step: row ``i`` is body ``i``'s (obs, action, reward, next obs)."""

    obs: Any
    actions: np.ndarray
    rewards: np.ndarray
    next_obs: Any
    terminated: np.ndarray
    truncated: np.ndarray
    infos: Mapping[str, Any]
    #: False for a body's reset step after its life ended (not a real transition).
    valid: np.ndarray

    @property
    def ended(self) -> np.ndarray:
        """Bodies whose life ended on this step."""
        return self.terminated | self.truncated


def env_steering(env: gym.Env | gym.vector.VectorEnv) -> Any:
    """The body's steering object (the vector env's, or the unwrapped single env's)."""
    steering = getattr(env, "steering", None)
    if steering is None:
        steering = getattr(getattr(env, "unwrapped", None), "steering", None)
    if steering is None:
        raise ValueError(f"{env} exposes no steering subsystem (expected a brainlike body env)")
    return steering


def policy(agent: Any, env: gym.Env | gym.vector.VectorEnv, explore: bool) -> Act:
    """``agent``'s batched policy in ``env``, handed that env's steering if the agent consults it."""
    if getattr(agent, "consults_steering", False):
        steering = env_steering(env)
        return lambda obs: agent.act(obs, explore=explore, steering=steering)
    return lambda obs: agent.act(obs, explore=explore)


def rollout(env: gym.vector.VectorEnv, act: Act, seed: int | list[int] | None = None,
            options: Mapping[str, Any] | None = None) -> Iterator[Transition]:
    """Reset ``env`` (with ``seed``) and yield its batched transitions under ``act``, forever.

    ``act(obs)`` is called once per step, before the step, so an agent's random
    draws happen in the same order as in a hand-written loop.
    """
    obs, _ = env.reset(seed=seed, options=None if options is None else dict(options))
    valid = np.ones(env.num_envs, dtype=bool)
    while True:
        actions = act(obs)
        next_obs, rewards, terminated, truncated, infos = env.step(actions)
        yield Transition(obs, actions, rewards, next_obs, terminated, truncated, infos, valid)
        valid = ~(terminated | truncated)
        obs = next_obs


def learn_from(agent: Any, t: Transition, valid: np.ndarray | None = None) -> dict[str, float]:
    """Let ``agent`` learn from one batched transition (reset steps marked invalid).

    ``valid`` replaces ``t.valid`` (e.g. ``t.valid`` and more: bodies no longer in an
    experiment), without copying the transition on every step.
    """
    return agent.learn(t.obs, t.actions, t.rewards, t.next_obs, t.terminated, t.truncated, t.infos,
                       valid=t.valid if valid is None else valid)


__all__ = ["EVALUATION_SEED_OFFSET", "Transition", "env_steering", "evaluation_seed", "learn_from", "policy", "rollout"]

"""A scripted, steering-driven licking policy: a unit test of the rat's steering, not an experiment.

No experiment's verdict rests on it (verdicts come from agents that learn;
the sensitization experiment judges newborn thought assessors). It stays as a
labelled probe of the steering: it reads ``evaluate_prediction`` directly, so what
it drinks is what the steering's wanting channel says, with nothing learned.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from gymnasium import spaces

from brainlike.agents.base import Agent
from brainlike.envs.salt_rat import ACTION_NAMES, APPROACH, LAYOUT, NIBBLE, STAY, WITHDRAW


class LickingAgent(Agent):
    """The steering-driven licking policy (scripted; a unit test of the steering, no learning).

    When the salt spout is available, the policy asks the steering what one lick
    (``lick_amount`` units of salt) is worth in the current sodium state
    (``evaluate_prediction``: the wanting channel, liking plus the sensitized
    incentive). If it is worth more than 0 the rat goes to the
    spout and licks; leaving for the spout happens on a step with probability
    ``1 - exp(-value)`` (vigour grows with the value at stake: Niv et al. 2007,
    https://doi.org/10.1007/s00213-006-0502-4), and at the wall it licks. If the
    lick is worth <= 0 it withdraws (satiety or aversion). With no spout it stays.
    Every number that changes across depletions lives in the steering: the policy
    has no learned parameters. It runs on the SaltRat body only (its four actions).

    Args:
        lick_amount: units of salt one lick delivers: the body's ``lick_amount``
            (SaltRat's default 0.25).
        steering: the steering to consult when ``act`` is given none.
    """

    consults_steering = True

    def __init__(self, observation_space: spaces.Space, action_space: spaces.Space, seed: int = 0,
                 lick_amount: float = 0.25, steering: Any = None) -> None:
        super().__init__(observation_space, action_space, seed, lick_amount=float(lick_amount))
        if not (isinstance(action_space, spaces.Discrete) and action_space.n == len(ACTION_NAMES)):
            raise TypeError(f"LickingAgent drives the SaltRat's {len(ACTION_NAMES)} actions {ACTION_NAMES}, got {action_space}")
        if not isinstance(observation_space, spaces.Dict) or {"exteroception", "interoception"} - set(observation_space.spaces):
            raise TypeError("LickingAgent needs the SaltRat's Dict observations (exteroception, interoception)")
        if not 0 < lick_amount <= 1:
            raise ValueError(f"lick_amount must be in (0, 1], got {lick_amount}")
        self.lick_amount = float(lick_amount)
        self.steering = steering

    def act(self, obs: Any, explore: bool = True, steering: Any = None) -> np.ndarray:
        steering = steering if steering is not None else self.steering
        if steering is None or not callable(getattr(steering, "evaluate_prediction", None)):
            raise ValueError(f"LickingAgent values a lick through the rat's steering (evaluate_prediction); got {steering!r}")
        ext = obs["exteroception"]
        spout = LAYOUT.read(obs, "spout") > 0
        at_wall = LAYOUT.read(obs, "distance") == 0
        lick = {"sweet": np.zeros(len(ext)), "salt": self.lick_amount * spout}
        value = steering.evaluate_prediction(lick, obs["interoception"])
        go = self.rng.random(len(ext)) < 1.0 - np.exp(-np.maximum(value, 0.0))
        want = spout & (value > 0)
        return np.where(want, np.where(at_wall, NIBBLE, np.where(go, APPROACH, STAY)),
                        np.where(spout, WITHDRAW, STAY)).astype(np.int64)


__all__ = ["LickingAgent"]

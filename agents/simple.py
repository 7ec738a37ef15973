"""The two baselines every learner is measured against: chance, and innate only."""

from __future__ import annotations

from typing import Any

import numpy as np
from gymnasium import spaces

from brainlike.agents.base import Agent


class RandomAgent(Agent):
    """Chance: uniform random actions from the agent's own seeded RNG.

    What a learning-from-scratch agent must be indistinguishable from at
    birth, and clearly better than after learning.
    """

    def act(self, obs: Any, explore: bool = True) -> np.ndarray:
        b = self.features(obs).shape[0]
        if self.discrete:
            return self.rng.integers(0, self.num_actions, size=b)
        box = self.action_space
        assert isinstance(box, spaces.Box)
        return self.rng.uniform(box.low, box.high, size=(b,) + box.shape).astype(box.dtype)


class InnateOnlyAgent(Agent):
    """The newborn or decorticate animal: no learning, one fixed default action.

    The body's reflexes (the steering subsystem's innate behaviours, e.g. the
    mouse's flight from a looming shadow) still take over the action when
    their trigger fires, so this agent shows what the Steering Subsystem does
    on its own. ``default_action`` is 0 (``stay`` for the mouse) for discrete
    bodies and the middle of the range for continuous ones.
    """

    def __init__(self, observation_space: spaces.Space, action_space: spaces.Space, seed: int = 0, default_action: Any = None) -> None:
        super().__init__(observation_space, action_space, seed, default_action=default_action)
        if self.discrete:
            a = 0 if default_action is None else int(default_action)
            if not action_space.contains(a):
                raise ValueError(f"default_action {default_action!r} is not in {action_space}")
            self._default = np.int64(a)
        else:
            box = action_space
            assert isinstance(box, spaces.Box)
            mid = (box.low + box.high) / 2 if default_action is None else np.asarray(default_action, dtype=box.dtype)
            self._default = np.broadcast_to(mid, box.shape).astype(box.dtype)

    def act(self, obs: Any, explore: bool = True) -> np.ndarray:
        b = self.features(obs).shape[0]
        if self.discrete:
            return np.full(b, self._default, dtype=np.int64)
        return np.broadcast_to(self._default, (b,) + self._default.shape).copy()


__all__ = ["InnateOnlyAgent", "RandomAgent"]

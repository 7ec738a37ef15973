"""The model-free contrast of the thought assessor: the same machinery with the value cached."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from gymnasium import spaces

from brainlike.agents.thought_assessor import ThoughtAssessorAgent


class CachedValueTDAgent(ThoughtAssessorAgent):
    """The model-free contrast: the thought assessor's machinery with the value *cached*.

    Zhang et al. 2009 (https://doi.org/10.1371/journal.pcbi.1000437) contrast a
    cached value, learned by temporal differences from the rewards that arrived,
    with the same learned prediction re-evaluated by the current physiological
    state. This class keeps everything of ``ThoughtAssessorAgent`` (the Kenyon
    expansion of the exteroception, the delta rule on ``target = arrived +
    gamma * P(next situation)``, the per-action and situation read-outs, the
    innate Pavlovian approach/withdraw pull, epsilon-greedy choice) and changes
    one thing: the one "signal" it predicts is the *reward* the steering paid
    when the taste arrived, and a prediction is used as its own value, without
    asking the steering. So it is TD(0) with cached values, and the sodium state
    can change its behaviour only through new rewards, i.e. by tasting.

    It reads only the exteroception, like the thought assessor, so that the two
    differ only in cached vs evaluated value. (Feeding it the sodium level would
    not help: it has never been rewarded at low sodium, so those inputs would
    carry untrained, zero values.)
    """

    def __init__(self, observation_space: spaces.Space, action_space: spaces.Space, seed: int = 0, **kwargs: Any) -> None:
        kwargs["signals"] = ("reward",)
        kwargs.pop("steering", None)
        super().__init__(observation_space, action_space, seed=seed, **kwargs)

    #: A cached value never consults the steering.
    consults_steering = False

    def _value(self, pred: np.ndarray, intero: np.ndarray, steering: Any) -> np.ndarray:
        # The cached value is the predicted reward itself; the body state is ignored.
        return np.asarray(pred[:, 0], dtype=np.float64)

    def learn(self, obs: Any, actions: np.ndarray, rewards: np.ndarray, next_obs: Any, terminated: np.ndarray,
              truncated: np.ndarray, infos: Mapping[str, Any] | None = None,
              valid: np.ndarray | None = None) -> dict[str, float]:
        # The supervisory signal is the reward as it was valued when it arrived.
        cached = {"innate_signals": {"reward": np.asarray(rewards, dtype=np.float32)}}
        return super().learn(obs, actions, rewards, next_obs, terminated, truncated, cached, valid)


__all__ = ["CachedValueTDAgent"]

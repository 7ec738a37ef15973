"""Node perturbation: motor learning by injected variability and a scalar reward."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from gymnasium import spaces

from brainlike.agents.base import Agent


class NodePerturbationAgent(Agent):
    """The songbird's learner: LMAN-like noise, a scalar critic, a running baseline.

    The science (Fiete, Fee & Seung 2007, J Neurophysiol 98:2038): a premotor
    layer (RA) maps a sparse timing signal (HVC, here the body's one-hot song
    clock, or any chosen input lines) to motor commands through weights ``W``.
    An independent source (LMAN) injects random perturbations ``xi`` into the
    motor output. A scalar reward ``R`` (the innate evaluator's song quality)
    arrives; a running baseline ``Rbar`` of the reward expected in that
    context (learned per input line, like the evaluator's own expectation)
    turns it into a performance error. The rule
    ``dW = lr * (R - Rbar) * xi * x`` follows the reward gradient on average:
    perturbations that did better than expected are kept. No backpropagation,
    no model of the syrinx.

    At birth ``W`` is random (uniform in [-1, 1] per weight), so the greedy
    motor program of each syllable is a random command: as good as chance.

    Args:
        inputs: observation channels read (None: all). input_dims: which of
            those lines (indices into the concatenated channels) feed RA
            (None: all), e.g. the song clock.
        noise_std: LMAN perturbation size. lr: weight step. baseline_lr: step of Rbar.
        init_scale: half-width of the initial random weights.
        noise_end, lr_end, maturation: a developmental schedule. Over the first
            ``maturation`` updates the perturbation and the step decay
            geometrically from ``noise_std`` / ``lr`` to ``noise_end`` / ``lr_end``
            (LMAN-driven variability declines with age, Olveczky et al. 2005):
            large early babble finds the slope of a narrow evaluator, small late
            variability refines the song. ``maturation=0`` (default) keeps them fixed.
    """

    # ``age`` (updates so far) is the one number besides the weights that learning changes.
    learned_arrays = ("weights", "baseline", "age")

    def __init__(
        self,
        observation_space: spaces.Space,
        action_space: spaces.Space,
        seed: int = 0,
        inputs: Sequence[str] | None = None,
        input_dims: Sequence[int] | None = None,
        noise_std: float = 0.2,
        lr: float = 2.0,
        baseline_lr: float = 0.2,
        init_scale: float = 1.0,
        noise_end: float | None = None,
        lr_end: float | None = None,
        maturation: int = 0,
    ) -> None:
        super().__init__(
            observation_space, action_space, seed,
            inputs=None if inputs is None else list(inputs),
            input_dims=None if input_dims is None else [int(i) for i in input_dims],
            noise_std=noise_std, lr=lr, baseline_lr=baseline_lr, init_scale=init_scale,
            noise_end=noise_end, lr_end=lr_end, maturation=int(maturation),
        )
        if self.discrete:
            raise TypeError(f"NodePerturbationAgent drives continuous motor commands (a Box); got {action_space}")
        if noise_std <= 0 or lr < 0 or not 0 < baseline_lr <= 1:
            raise ValueError(f"need noise_std > 0, lr >= 0, baseline_lr in (0, 1]; got {noise_std}, {lr}, {baseline_lr}")
        if maturation < 0 or (noise_end is not None and noise_end <= 0) or (lr_end is not None and lr_end < 0):
            raise ValueError(f"need maturation >= 0, noise_end > 0, lr_end >= 0; got {maturation}, {noise_end}, {lr_end}")
        self.inputs = None if inputs is None else tuple(inputs)
        dim = self.features(self._zero_obs(), keys=self.inputs).shape[1]
        self.input_dims = np.arange(dim) if input_dims is None else np.asarray(input_dims, dtype=np.int64)
        if self.input_dims.size == 0 or self.input_dims.min() < 0 or self.input_dims.max() >= dim:
            raise ValueError(f"input_dims must index the {dim} input lines, got {list(self.input_dims)}")
        n_in = self.input_dims.size
        box = action_space
        assert isinstance(box, spaces.Box)
        self._mid = ((box.low + box.high) / 2).astype(np.float32).ravel()
        self._half = ((box.high - box.low) / 2).astype(np.float32).ravel()
        self.weights = self.rng.uniform(-init_scale, init_scale, size=(n_in, self.num_actions)).astype(np.float32)
        self.baseline = np.zeros(n_in, dtype=np.float32)
        self.age = np.zeros(1, dtype=np.int64)

    def _x(self, obs: Any) -> np.ndarray:
        return self.features(obs, keys=self.inputs)[:, self.input_dims]

    def command(self, obs: Any) -> np.ndarray:
        """(B, action dims) the unperturbed motor command in [-1, 1] (RA's output)."""
        return np.clip(self._x(obs) @ self.weights, -1.0, 1.0)

    def plasticity(self) -> tuple[float, float]:
        """(perturbation size, learning rate) at the agent's current age."""
        cfg = self.config
        noise, lr = cfg["noise_std"], cfg["lr"]
        if cfg.get("maturation", 0) > 0:
            f = min(float(self.age[0]) / cfg["maturation"], 1.0)
            if cfg.get("noise_end") is not None:
                noise = noise * (cfg["noise_end"] / noise) ** f
            if cfg.get("lr_end") is not None and lr > 0:
                lr = lr * (cfg["lr_end"] / lr) ** f if cfg["lr_end"] > 0 else lr * (1.0 - f)
        return noise, lr

    def act(self, obs: Any, explore: bool = True) -> np.ndarray:
        m = self.command(obs)
        if explore:
            noise, _ = self.plasticity()
            m = np.clip(m + noise * self.rng.standard_normal(m.shape).astype(np.float32), -1.0, 1.0)
        a = self._mid + self._half * m
        return a.reshape((m.shape[0],) + self.action_space.shape).astype(self.action_space.dtype)

    def learn(
        self,
        obs: Any,
        actions: np.ndarray,
        rewards: np.ndarray,
        next_obs: Any,
        terminated: np.ndarray,
        truncated: np.ndarray,
        infos: Mapping[str, Any] | None = None,
        valid: np.ndarray | None = None,
    ) -> dict[str, float]:
        x = self._x(obs)
        b = x.shape[0]
        actions = self._check_batch("actions", actions, b, self.action_space.shape)
        r = self._check_batch("rewards", rewards, b).astype(np.float32)
        valid = np.ones(b, bool) if valid is None else self._check_batch("valid", valid, b).astype(bool)
        # The perturbation is what was sung minus what RA commanded (clipping included).
        unit = (actions.reshape(b, -1).astype(np.float32) - self._mid) / self._half
        xi = unit - np.clip(x @ self.weights, -1.0, 1.0)
        error = (r - x @ self.baseline) * valid  # reward minus the context's running expectation
        # Each input line takes the mean change over the bodies in which it was active
        # (for a one-hot clock: the renditions of that syllable in this batch).
        usage = np.maximum((np.abs(x) * valid[:, None]).sum(axis=0), 1.0)[:, None]
        self.weights += self.plasticity()[1] * (x.T @ (error[:, None] * xi)) / usage
        self.age += 1
        # The baseline tracks the mean reward of each context.
        self.baseline += self.config["baseline_lr"] * (x.T @ error) / usage[:, 0]
        return {"performance_error": float(error[valid].mean()) if valid.any() else 0.0}


__all__ = ["NodePerturbationAgent"]

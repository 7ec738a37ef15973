"""Pattern separation: a fixed random expansion and one layer trained by a three-factor rule.

The expansion layer is ``agents/expansion.py``, the three-factor read-out
``agents/three_factor.py``; this module is the agent that joins them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from gymnasium import spaces

from brainlike.agents.base import Agent
from brainlike.agents.expansion import KenyonExpansion, KenyonReader, expansion_input
from brainlike.agents.three_factor import (
    SparseTraces,
    mean_of_active,
    mean_of_rows,
    policy_post,
    sample_actions,
    shifted_logits,
    synapse_rows,
)


class PatternSeparationAgent(KenyonReader, Agent):
    """A Kenyon-cell expansion and one learnable actor-critic layer with a three-factor rule.

    The science (docs/science.md, "Pattern separation"): cerebellar and dentate
    granule cells, cortical layer 4 and the fly's Kenyon cells remix a modest
    number of input lines into many sparse, locally random combinations; only
    the layer after them learns, by pre x post x a broadcast error. Here:

    - ``KenyonExpansion``: fixed, random, wide, k-winners-take-all (defaults:
      2,000 units, 7 inputs each, 5% active).
    - One learned layer reading the active units: actor weights (one output
      neuron per discrete action, or a Gaussian mean per action dimension) and
      a critic weight per unit (the value, a striatal / mushroom-body-output
      estimate). The output is the *mean* of the active units' weights.
    - The three-factor rule: each active unit keeps an eligibility trace of
      pre (1 when active) x post (for the actor ``onehot(action) - policy``,
      or ``(action - mean) / std**2``; for the critic 1), decaying over
      ``trace_length`` steps by ``gamma * trace_decay``. A TD error
      ``delta = r + gamma V(s') - V(s)`` is broadcast to every synapse like
      dopamine; weights move by ``lr * delta * trace``.

    Only the active units' synapses are read or written, so a step costs about
    ``trace_length x k`` synapse updates per body, whatever the layer width.

    Useless at birth by construction: the learned weights start at zero (an
    empty memory: every action equally valued), and ties are broken at random,
    so both the exploring and the greedy policy at birth are uniform random
    for discrete actions. Continuous actions start at the middle of the range
    with Gaussian exploration.

    Args:
        num_units, fan_in, active_fraction: the expansion.
        inputs: observation channels to expand (None: all).
        gamma: discount of the TD error. trace_decay, trace_length: the eligibility trace.
        actor_lr, critic_lr: step sizes, in units of the output (see above).
        temperature: softmax temperature of exploration (discrete).
        init_log_std, std_lr: Gaussian exploration (continuous).
        adaptive_gain: if > 0, the rate at which the actor's dopamine gain adapts to
            the running spread of TD errors (Tobler, Fiorillo & Schultz 2005); 0 keeps
            a fixed gain. One learned number (``delta_var``).
    """

    learned_arrays = ("actor", "critic", "log_std", "delta_var")
    fixed_arrays = ("kc_inputs", "kc_weights", "kc_thresholds")

    def __init__(
        self,
        observation_space: spaces.Space,
        action_space: spaces.Space,
        seed: int = 0,
        num_units: int = 2000,
        fan_in: int = 7,
        active_fraction: float = 0.05,
        inputs: list[str] | None = None,
        population_code: dict[str, int] | None = None,
        population_gain: float = 1.0,
        gamma: float = 0.98,
        trace_decay: float = 0.7,
        trace_length: int = 4,
        actor_lr: float = 0.5,
        critic_lr: float = 0.5,
        temperature: float = 1.0,
        init_log_std: float = -0.7,
        std_lr: float = 0.0,
        adaptive_gain: float = 0.0,
    ) -> None:
        super().__init__(
            observation_space, action_space, seed,
            num_units=num_units, fan_in=fan_in, active_fraction=active_fraction,
            inputs=None if inputs is None else list(inputs),
            population_code=None if population_code is None else dict(population_code),
            population_gain=population_gain, gamma=gamma, trace_decay=trace_decay,
            trace_length=trace_length, actor_lr=actor_lr, critic_lr=critic_lr, temperature=temperature,
            init_log_std=init_log_std, std_lr=std_lr, adaptive_gain=adaptive_gain,
        )
        if not 0.0 <= gamma <= 1.0 or not 0.0 <= trace_decay <= 1.0 or trace_length < 1:
            raise ValueError(f"need gamma, trace_decay in [0, 1] and trace_length >= 1, got {gamma}, {trace_decay}, {trace_length}")
        if temperature <= 0:
            raise ValueError(f"temperature must be > 0, got {temperature}")
        self.inputs = None if inputs is None else tuple(inputs)
        self.population_code = dict(population_code or {})
        dim = self.expansion_input(self._zero_obs()).shape[1]
        self.expansion = KenyonExpansion(dim, num_units, fan_in, active_fraction, self.rng)
        self.k = self.expansion.k
        a = self.num_actions
        # The learned layer, one row per unit: its actor weights, then its critic weight (``actor`` and
        # ``critic`` are views), padded so that the three-factor update changes a row as whole SIMD registers.
        self.synapses = synapse_rows(np.zeros((num_units, a), dtype=np.float32), np.zeros((num_units, 1), dtype=np.float32))
        self.log_std = np.full(a if not self.discrete else 0, init_log_std, dtype=np.float32)
        if not self.discrete:
            box = action_space
            assert isinstance(box, spaces.Box)
            self._mid = ((box.low + box.high) / 2).astype(np.float32).ravel()
            self._half = ((box.high - box.low) / 2).astype(np.float32).ravel()
        self.traces: SparseTraces | None = None
        # What act() read for its batch, (ids, actor output, the policy it drew from or None):
        # learn() on the same batch needs them again (see _acted_on).
        self._acted: tuple[np.ndarray, np.ndarray, np.ndarray | None] | None = None
        # Running mean square of the TD error: the dopamine gain's adaptation (adaptive_gain).
        self.delta_var = np.ones(1, dtype=np.float64)

    @property
    def actor(self) -> np.ndarray:
        """(units, actions) float32: the actor's weights (a view of ``synapses``; writes go to it)."""
        return self.synapses[:, :self.num_actions]

    @actor.setter
    def actor(self, value: np.ndarray) -> None:
        self._replace("actor", self.actor, value)

    @property
    def critic(self) -> np.ndarray:
        """(units, 1) float32: the critic's weights (a view of ``synapses``; writes go to it)."""
        return self.synapses[:, self.num_actions:self.num_actions + 1]

    @critic.setter
    def critic(self, value: np.ndarray) -> None:
        self._replace("critic", self.critic, value)

    @staticmethod
    def _replace(name: str, weights: np.ndarray, value: np.ndarray) -> None:
        value = np.asarray(value)
        if value.shape != weights.shape:
            raise ValueError(f"{name} must have shape {weights.shape}, got {value.shape}")
        weights[...] = value

    # --- the forward pass ----------------------------------------------------------
    def _read(self, weights: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Mean of the active units' weights: (B, outputs)."""
        return mean_of_active(weights, ids)

    def _actor_output(self, ids: np.ndarray) -> np.ndarray:
        """``_read(self.actor, ids)``: by whole rows when the actor has more than one column (``mean_of_rows``)."""
        a = self.num_actions
        return mean_of_rows(self.synapses, a, ids) if a > 1 else self._read(self.actor, ids)

    def _acted_on(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """The actor's output for ``ids`` and the policy drawn from (None: not drawn), as act() had them
        if it acted on this code since the last update; else the output read now."""
        acted, self._acted = self._acted, None
        if acted is not None and acted[0] is ids:  # the same code object: the same observation (see encode)
            return acted[1], acted[2]
        return self._actor_output(ids), None

    def _policy(self, logits: np.ndarray) -> np.ndarray:
        # numpy's exp, as before: a compiled one may differ in the last bit.
        p = np.exp(shifted_logits(logits, np.float32(self.config["temperature"])))
        return p / p.sum(axis=1, keepdims=True)

    def act(self, obs: Any, explore: bool = True) -> np.ndarray:
        ids = self.encode(obs)
        out = self._actor_output(ids)
        self._acted = (ids, out, None)  # the actor changes only in learn(), which takes this back
        b = ids.shape[0]
        if self.discrete:
            if explore:
                policy = self._policy(out)
                self._acted = (ids, out, policy)
                return sample_actions(policy, self.rng.random(b))
            # Greedy, with exact ties (e.g. at birth) broken at random.
            ties = out >= out.max(axis=1, keepdims=True)
            return np.argmax(ties * self.rng.random(out.shape), axis=1).astype(np.int64)
        mean = out
        if explore:
            mean = mean + np.exp(self.log_std) * self.rng.standard_normal(mean.shape).astype(np.float32)
        a = self._mid + self._half * np.clip(mean, -1.0, 1.0)
        return a.reshape((b,) + self.action_space.shape).astype(self.action_space.dtype)

    def value(self, obs: Any) -> np.ndarray:
        return self._read(self.critic, self.encode(obs))[:, 0]

    # --- the three-factor rule -------------------------------------------------------
    def reset_state(self) -> None:
        self.traces = None

    def learn(
        self,
        obs: Any,
        actions: np.ndarray,
        rewards: np.ndarray,
        next_obs: Any,
        terminated: np.ndarray,
        truncated: np.ndarray,
        infos: Any = None,
        valid: np.ndarray | None = None,
    ) -> dict[str, float]:
        ids = self.encode(obs)
        b = ids.shape[0]
        tail = () if self.discrete else self.action_space.shape
        actions = self._check_batch("actions", actions, b, tail)
        # (Read, never written: no copy when the dtype is already right.)
        rewards = self._check_batch("rewards", rewards, b).astype(np.float32, copy=False)
        terminated = self._check_batch("terminated", terminated, b).astype(bool, copy=False)
        truncated = self._check_batch("truncated", truncated, b).astype(bool, copy=False)
        valid = np.ones(b, dtype=bool) if valid is None else self._check_batch("valid", valid, b).astype(bool, copy=False)
        next_ids = self.encode(next_obs)
        if next_ids.shape[0] != b:
            raise ValueError(f"next_obs has a batch of {next_ids.shape[0]}, obs has {b}")
        cfg = self.config
        if self.traces is None:
            outputs = self.num_actions + 1
            self.traces = SparseTraces(cfg["trace_length"], cfg["gamma"] * cfg["trace_decay"], b, self.k, outputs)
        elif self.traces.num_bodies != b:
            raise ValueError(f"learn() got {b} bodies but the eligibility traces follow {self.traces.num_bodies}; call reset_state() to start new traces")

        # Post-synaptic factors: what each output neuron did relative to what was expected.
        logits, policy = self._acted_on(ids)
        if self.discrete:
            a = actions.astype(np.int64, copy=False)
            if a.min() < 0 or a.max() >= self.num_actions:
                raise ValueError(f"actions must be in [0, {self.num_actions}), got {a.min()}..{a.max()}")
            post = policy_post(self._policy(logits) if policy is None else policy, a,
                               np.float32(cfg["actor_lr"]), np.float32(cfg["critic_lr"]))
        else:
            post = np.empty((b, self.num_actions + 1), dtype=np.float32)
            unit = (actions.reshape(b, -1).astype(np.float32) - self._mid) / self._half
            std = np.exp(self.log_std)
            eps = (unit - np.clip(logits, -1.0, 1.0)) / std
            post[:, :-1] = cfg["actor_lr"] * eps / std
            post[:, -1] = cfg["critic_lr"]

        # The dopamine-like broadcast of one TD error per body credits every eligible synapse
        # (three_factor_learn, which also adapts the dopamine gain: adaptive_gain). The batch
        # is many animals sharing one brain for speed. A synapse eligible in several of them
        # takes the *mean* of their changes, not the sum, so its step does not grow with the
        # number of bodies (a normalised minibatch, per synapse).
        delta, td_error = self.traces.learn(self.synapses, self.num_actions, ids, next_ids, post, rewards, terminated, truncated,
                                            valid, cfg["gamma"], self.delta_var, cfg.get("adaptive_gain", 0.0))
        if not self.discrete and cfg["std_lr"] > 0:
            grad = ((eps**2 - 1.0) * delta[:, None])[valid].mean(axis=0) if valid.any() else 0.0
            self.log_std = np.clip(self.log_std + cfg["std_lr"] * grad, -3.0, 1.0).astype(np.float32)
        return {"td_error": td_error}


# KenyonExpansion, expansion_input and mean_of_active stay importable from here, their home before the split.
__all__ = ["KenyonExpansion", "PatternSeparationAgent", "SparseTraces", "expansion_input", "mean_of_active"]

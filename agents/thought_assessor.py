"""Thought assessors: learned predictions of innate signals, valued by the steering subsystem."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from gymnasium import spaces

from brainlike.agents.base import Agent
from brainlike.agents.expansion import KenyonExpansion, KenyonReader
from brainlike.agents.three_factor import credit_active, mean_of_active


class ThoughtAssessorAgent(KenyonReader, Agent):
    """Short-term predictors of innate signals whose value the body's steering decides.

    The science (docs/science.md, "Two subsystems" and "Dead Sea salt"): the
    Learning Subsystem learns *what is coming* (sweet taste, salt taste) from
    scratch, by supervised learning on what actually arrived; the Steering
    Subsystem decides *what that is worth now*, from the body's current state.
    Because the value is computed at the moment of choice, a cue that predicts
    salt flips from repulsive to attractive on the first cue-only trial after
    the first sodium depletion of a life, without any salt ever having been
    tasted while depleted (Robinson & Berridge 2013; Zhang et al. 2009). A
    learner with cached values cannot do that.

    Mechanism:
    - A fixed sparse random expansion (``KenyonExpansion``) of the
      *exteroception* only: what the world predicts does not depend on how
      hungry or salt-starved the body is, so the predictors generalise across
      body states (the body state enters only through steering's evaluation).
    - One learned linear read-out per (action, signal) and one per signal for
      the situation itself: the discounted amount of each signal expected soon,
      ``P = s_t + gamma * P_situation(x_{t+1})``, learned by a delta rule
      (prediction error x active units) on the signals that arrived
      (``info["innate_signals"]``). Only active units' synapses are touched.
    - Choice: each action's predicted signals are sent down to
      ``steering.evaluate_prediction(predicted, interoception)``, the one
      channel into steering; the agent never reads steering internals. The
      situation's evaluated value also drives innate Pavlovian responding:
      actions listed with sign +1 in ``pavlovian_signs`` (approach) gain it,
      those with -1 (withdraw) lose it, weighted by ``pavlovian_weight``. In a
      Pavlovian protocol (the outcome comes whatever the rat does) this is
      what moves the rat towards or away from a cue; in an instrumental one
      the action-conditional predictions do the work.
    - The response is graded when ``temperature > 0``: exploring, the agent
      draws its action from a softmax of the action values (probability
      proportional to exp(Q / temperature)), so the probability and vigour of
      approaching a cue grow smoothly with the value the steering gives its
      prediction, and two cues' approach scores keep the order of their values
      instead of both saturating (an argmax approaches anything worth > 0 at
      full vigour). ``temperature=0`` is the argmax. Greedy choice
      (``explore=False``) breaks exact ties at random; exploring also adds
      ``epsilon``-random actions. At birth every prediction is zero, so every
      action is worth the same and the policy is uniform random.

    Args:
        signals: names of the innate signals to predict (the body's
            ``steering.signal_names``).
        steering: the steering object to consult when ``act`` is given none
            (``act(obs, steering=...)`` passes the steering of the bodies acted
            in, as ``agents.rollout.policy`` does; not saved).
        num_units, fan_in, active_fraction, population_code, population_gain: the expansion.
        inputs: channels to expand (default exteroception).
        horizon_gamma: discount of "soon" (0.8: about five steps).
        lr: delta-rule step size, in units of the prediction.
        epsilon: exploration rate. pavlovian_signs, pavlovian_weight: see above.
        temperature: the graded response's softmax temperature, in units of value
            (0: argmax).
    """

    learned_arrays = ("predictors",)
    consults_steering = True
    fixed_arrays = ("kc_inputs", "kc_weights", "kc_thresholds")

    def __init__(
        self,
        observation_space: spaces.Space,
        action_space: spaces.Space,
        seed: int = 0,
        signals: Sequence[str] = ("sweet", "salt"),
        steering: Any = None,
        num_units: int = 1000,
        fan_in: int = 4,
        active_fraction: float = 0.05,
        inputs: Sequence[str] | None = ("exteroception",),
        population_code: Mapping[str, int] | None = None,
        population_gain: float = 1.0,
        horizon_gamma: float = 0.8,
        lr: float = 0.3,
        epsilon: float = 0.1,
        pavlovian_signs: Sequence[float] | None = None,
        pavlovian_weight: float = 1.0,
        temperature: float = 0.0,
    ) -> None:
        super().__init__(
            observation_space, action_space, seed,
            signals=list(signals), num_units=num_units, fan_in=fan_in, active_fraction=active_fraction,
            inputs=None if inputs is None else list(inputs),
            population_code=None if population_code is None else dict(population_code),
            population_gain=population_gain, horizon_gamma=horizon_gamma, lr=lr, epsilon=epsilon,
            pavlovian_signs=None if pavlovian_signs is None else [float(v) for v in pavlovian_signs],
            pavlovian_weight=pavlovian_weight, temperature=float(temperature),
        )
        if not self.discrete:
            raise TypeError(f"ThoughtAssessorAgent chooses among discrete actions; got {action_space}")
        if not isinstance(observation_space, spaces.Dict) or "interoception" not in observation_space.spaces:
            raise TypeError("ThoughtAssessorAgent needs Dict observations with an 'interoception' channel (steering values predictions in the body state)")
        if not signals:
            raise ValueError("signals must name at least one innate signal")
        if not 0.0 <= horizon_gamma < 1.0 or not 0.0 <= epsilon <= 1.0 or lr <= 0:
            raise ValueError(f"need horizon_gamma in [0, 1), epsilon in [0, 1], lr > 0; got {horizon_gamma}, {epsilon}, {lr}")
        if not (np.isfinite(temperature) and temperature >= 0):
            raise ValueError(f"temperature={temperature!r} is invalid: expected a number >= 0 (0: argmax)")
        if pavlovian_signs is not None and len(pavlovian_signs) != self.num_actions:
            raise ValueError(f"pavlovian_signs needs one sign per action ({self.num_actions}), got {list(pavlovian_signs)}")
        self.signals = tuple(signals)
        self.inputs = None if inputs is None else tuple(inputs)
        self.population_code = dict(population_code or {})
        self.signs = np.zeros(self.num_actions, np.float32) if pavlovian_signs is None else np.asarray(pavlovian_signs, np.float32)
        dim = self.expansion_input(self._zero_obs()).shape[1]
        self.expansion = KenyonExpansion(dim, num_units, fan_in, active_fraction, self.rng)
        # Rows: units. Columns: (action 0..A-1, then the situation) x signal.
        self.predictors = np.zeros((num_units, (self.num_actions + 1) * len(self.signals)), dtype=np.float32)
        # What predict() read for its batch, (ids, predictors' output): learn() on the same batch reads it again.
        self._predicted: tuple[np.ndarray, np.ndarray] | None = None
        self.steering = None
        if steering is not None:
            self._set_steering(steering)

    # --- the steering channel --------------------------------------------------------
    def _checked_steering(self, steering: Any) -> Any:
        names = tuple(getattr(steering, "signal_names", ()))
        if not callable(getattr(steering, "evaluate_prediction", None)) or not names:
            raise ValueError(f"{type(steering).__name__} offers no evaluation of predicted signals (signal_names / evaluate_prediction)")
        missing = [s for s in self.signals if s not in names]
        if missing:
            raise ValueError(f"this agent predicts {list(self.signals)} but the body's steering evaluates only {list(names)}")
        return steering

    def _set_steering(self, steering: Any) -> None:
        self.steering = self._checked_steering(steering)

    # --- predictions and choice ---------------------------------------------------------
    def predict(self, obs: Any) -> np.ndarray:
        """(B, actions + 1, signals) discounted signal amounts expected soon: per action, then the situation."""
        ids = self.encode(obs)
        out = mean_of_active(self.predictors, ids)
        self._predicted = (ids, out)  # the predictors change only in learn(), which takes this back
        return out.reshape(ids.shape[0], self.num_actions + 1, len(self.signals))

    def _value(self, pred: np.ndarray, intero: np.ndarray, steering: Any) -> np.ndarray:
        """Steering's valuation of (B, signals) predicted amounts in the current body state."""
        out = steering.evaluate_prediction({s: pred[:, j] for j, s in enumerate(self.signals)}, intero)
        return np.asarray(out, dtype=np.float64)

    def action_values(self, obs: Any, steering: Any = None) -> np.ndarray:
        """(B, actions) what each action's predicted signals are worth now, plus the Pavlovian pull.

        ``steering`` is the steering of the bodies in ``obs`` (their batch); by
        default the one given at construction.
        """
        if steering is not None:
            steering = self._checked_steering(steering)
        elif self.consults_steering:
            steering = self.steering
            if steering is None:
                raise RuntimeError(f"{type(self).__name__} has no steering to consult: pass steering= to act "
                                   "(agents.rollout.policy does) or at construction")
        pred = self.predict(obs)
        intero = self.channel(obs, "interoception")
        q = np.stack([self._value(pred[:, a], intero, steering) for a in range(self.num_actions)], axis=1)
        if self.signs.any():
            situation = self._value(pred[:, -1], intero, steering)
            q = q + self.config["pavlovian_weight"] * situation[:, None] * self.signs
        return q

    def act(self, obs: Any, explore: bool = True, steering: Any = None) -> np.ndarray:
        q = self.action_values(obs, steering)
        b = q.shape[0]
        ties = q >= q.max(axis=1, keepdims=True) - 1e-12
        greedy = np.argmax(ties * self.rng.random(q.shape), axis=1)
        if not explore:
            return greedy.astype(np.int64)
        chosen = greedy
        temperature = self.config.get("temperature", 0.0)  # absent from agents saved before it existed
        if temperature > 0:
            # The graded response: a softmax draw (inverse CDF on one uniform per body).
            p = np.exp((q - q.max(axis=1, keepdims=True)) / temperature)
            cdf = np.cumsum(p / p.sum(axis=1, keepdims=True), axis=1)
            chosen = np.minimum((cdf < self.rng.random((b, 1))).sum(axis=1), self.num_actions - 1)
        random = self.rng.integers(0, self.num_actions, size=b)
        return np.where(self.rng.random(b) < self.config["epsilon"], random, chosen).astype(np.int64)

    # --- supervised learning on what arrived ---------------------------------------------
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
        ids = self.encode(obs)
        b = ids.shape[0]
        a = self._check_batch("actions", actions, b).astype(np.int64)
        if a.min() < 0 or a.max() >= self.num_actions:
            raise ValueError(f"actions must be in [0, {self.num_actions}), got {a.min()}..{a.max()}")
        terminated = self._check_batch("terminated", terminated, b).astype(bool)
        valid = np.ones(b, bool) if valid is None else self._check_batch("valid", valid, b).astype(bool)
        arrived = (infos or {}).get("innate_signals")
        if not isinstance(arrived, Mapping) or any(s not in arrived for s in self.signals):
            raise ValueError(f"learn() needs infos['innate_signals'] with {list(self.signals)} (what actually arrived), got {arrived if arrived is None else list(arrived)}")
        got = np.stack([self._check_batch(f"innate_signals[{s!r}]", arrived[s], b) for s in self.signals], axis=1).astype(np.float32)

        next_ids = self.encode(next_obs)
        if next_ids.shape[0] != b:
            raise ValueError(f"next_obs has a batch of {next_ids.shape[0]}, obs has {b}")
        s, na = len(self.signals), self.num_actions
        predicted, self._predicted = self._predicted, None
        # What predict() read for this code (the same object: the same observation), if no update came since.
        now = (predicted[1] if predicted is not None and predicted[0] is ids else mean_of_active(self.predictors, ids)).reshape(b, na + 1, s)
        later = mean_of_active(self.predictors, next_ids).reshape(b, na + 1, s)[:, -1]
        # What arrived now plus what the next situation predicts: the target "soon".
        target = got + self.config["horizon_gamma"] * np.where(terminated[:, None], 0.0, later)
        err_action = (target - now[np.arange(b), a]) * valid[:, None]
        err_situation = (target - now[:, -1]) * valid[:, None]
        # Each body writes its errors into its own action's block and the situation's block.
        delta = np.zeros((b, na + 1, s), dtype=np.float32)
        delta[np.arange(b), a] = err_action
        delta[:, -1] = err_situation
        delta = delta.reshape(b, -1) * self.config["lr"]
        # Mean over the bodies sharing a synapse this step (see PatternSeparationAgent).
        credit_active(self.predictors, ids, delta)
        return {"prediction_error": float(np.abs(err_situation[valid]).mean()) if valid.any() else 0.0}


__all__ = ["ThoughtAssessorAgent"]

"""Node perturbation: motor learning by injected variability and a scalar reward."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from gymnasium import spaces

from brainlike.agents.base import Agent
from brainlike.steering.compiled import jit


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

    HVC code (``hvc_units`` > 0): RA does not read the clock lines one-hot but
    through a fixed random population code, each line driving ``hvc_active``
    of ``hvc_units`` units (drawn at birth, never learned; scaled by
    ``1/sqrt(hvc_active)`` so a command's spread at birth is a single weight's).
    Syllables then share units, so a weight change made while singing one
    syllable moves the others too, unless their own errors pull them back:
    how specific learning is becomes an outcome, not the architecture.

    Teaching signal: by default the learner subtracts its own running baseline
    from the reward (``R - Rbar``). With ``reward_is_error=True`` the reward
    already *is* a performance error (the steering's dopamine-like signal,
    quality minus its own expectation) and is used as it comes. For a delayed
    reward, ``accumulate`` sums the eligibility ``xi x`` of every rendition
    and ``reinforce(R)`` applies ``lr * (R - Rbar_bout) * eligibility`` once the
    reward arrives (``Rbar_bout``: the running mean of those delayed rewards).

    Args:
        inputs: observation channels read (None: all). input_dims: which of
            those lines (indices into the concatenated channels) feed RA
            (None: all), e.g. the song clock.
        noise_std: LMAN perturbation size. lr: weight step. baseline_lr: step of Rbar.
        init_scale: half-width of the initial random weights.
        hvc_units, hvc_active: the overlapping HVC code (0: the lines feed RA directly).
        reward_is_error: take the reward as the teaching signal itself (no own baseline).
        delayed_reward: learn from ``accumulate`` + ``reinforce`` (a delayed reward), not ``learn``.
        noise_end, lr_end, maturation: a developmental schedule. Over the first
            ``maturation`` updates the perturbation and the step decay
            geometrically from ``noise_std`` / ``lr`` to ``noise_end`` / ``lr_end``
            (LMAN-driven variability declines with age, Olveczky et al. 2005):
            large early babble finds the slope of a narrow evaluator, small late
            variability refines the song. ``maturation=0`` (default) keeps them fixed.
    """

    # ``age`` (updates so far) is the one number besides the weights that learning changes.
    learned_arrays: tuple[str, ...] = ("weights", "baseline", "age")

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
        hvc_units: int = 0,
        hvc_active: int = 1,
        reward_is_error: bool = False,
        delayed_reward: bool = False,
    ) -> None:
        super().__init__(
            observation_space, action_space, seed,
            inputs=None if inputs is None else list(inputs),
            input_dims=None if input_dims is None else [int(i) for i in input_dims],
            noise_std=noise_std, lr=lr, baseline_lr=baseline_lr, init_scale=init_scale,
            noise_end=noise_end, lr_end=lr_end, maturation=int(maturation),
            hvc_units=int(hvc_units), hvc_active=int(hvc_active), reward_is_error=bool(reward_is_error),
            delayed_reward=bool(delayed_reward),
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
        if hvc_units < 0 or (hvc_units > 0 and not 1 <= hvc_active <= hvc_units):
            raise ValueError(f"need hvc_units >= 0 and 1 <= hvc_active <= hvc_units; got {hvc_units}, {hvc_active}")
        n_in = self.input_dims.size if hvc_units == 0 else hvc_units
        box = action_space
        assert isinstance(box, spaces.Box)
        self._mid = ((box.low + box.high) / 2).astype(np.float32).ravel()
        self._half = ((box.high - box.low) / 2).astype(np.float32).ravel()
        self.weights = self.rng.uniform(-init_scale, init_scale, size=(n_in, self.num_actions)).astype(np.float32)
        self.baseline = np.zeros(n_in, dtype=np.float32)
        self.age = np.zeros(1, dtype=np.int64)
        self.bout_baseline = np.zeros(1, dtype=np.float32)
        if delayed_reward:
            self.learned_arrays = (*type(self).learned_arrays, "bout_baseline")
        self.eligibility = np.zeros_like(self.weights)  # summed since the last delayed reward (not saved)
        self.hvc: np.ndarray | None = None
        if hvc_units > 0:
            # Each clock line drives a random few units; lines (syllables) share units by chance.
            code = np.zeros((self.input_dims.size, hvc_units), dtype=np.float32)
            for line in range(self.input_dims.size):
                code[line, self.rng.choice(hvc_units, size=hvc_active, replace=False)] = 1.0 / np.sqrt(hvc_active)
            self.hvc = code
            self.fixed_arrays = ("hvc",)  # this agent's own: saved with it, never learned
        self._acted: tuple[Any, int, np.ndarray, np.ndarray] | None = None

    def _x(self, obs: Any) -> np.ndarray:
        lines = self.features(obs, keys=self.inputs)[:, self.input_dims]
        return lines if self.hvc is None else lines @ self.hvc

    def _sensed(self, obs: Any) -> tuple[np.ndarray, np.ndarray]:
        """(RA's input x, its drive x @ W) for ``obs``: as ``act`` computed them when ``obs`` is the very
        batch ``act`` was last given and no update came between (the training loop's act-then-learn),
        otherwise computed afresh. An observation changed in place between the two is not noticed."""
        acted, self._acted = self._acted, None
        if acted is not None and acted[0] is obs and acted[1] == int(self.age[0]):
            return acted[2], acted[3]
        x = self._x(obs)
        return x, x @ self.weights

    def _perturbation(self, x: np.ndarray, actions: np.ndarray, drive: np.ndarray | None = None) -> np.ndarray:
        """LMAN's perturbation: what was sung minus what RA commanded (clipping included), in [-1, 1] units."""
        b = x.shape[0]
        actions = self._check_batch("actions", actions, b, self.action_space.shape)
        drive = x @ self.weights if drive is None else drive
        return perturbation(actions.reshape(b, -1).astype(np.float32, copy=False), drive, self._mid, self._half)

    def _valid(self, valid: np.ndarray | None, b: int) -> np.ndarray:
        return np.ones(b, bool) if valid is None else self._check_batch("valid", valid, b).astype(bool, copy=False)

    @staticmethod
    def _usage(active: np.ndarray) -> np.ndarray:
        """(units, 1): each input unit's summed activity ``|x|`` over the valid rows, at least 1.

        Each unit takes the mean change over the bodies in which it was active
        (for a one-hot clock: the renditions of that syllable in this batch).
        """
        return np.maximum(active.sum(axis=0), 1.0)[:, None]

    def command(self, obs: Any) -> np.ndarray:
        """(B, action dims) the unperturbed motor command in [-1, 1] (RA's output)."""
        return np.clip(self._x(obs) @ self.weights, -1.0, 1.0)

    def plasticity(self) -> tuple[float, float]:
        """(perturbation size, learning rate) at the agent's current age."""
        cfg = self.config
        noise, lr = cfg["noise_std"], cfg["lr"]
        if cfg["maturation"] > 0:
            f = min(float(self.age[0]) / cfg["maturation"], 1.0)
            if cfg.get("noise_end") is not None:
                noise = noise * (cfg["noise_end"] / noise) ** f
            if cfg.get("lr_end") is not None and lr > 0:
                lr = lr * (cfg["lr_end"] / lr) ** f if cfg["lr_end"] > 0 else lr * (1.0 - f)
        return noise, lr

    def act(self, obs: Any, explore: bool = True) -> np.ndarray:
        x = self._x(obs)
        drive = x @ self.weights
        self._acted = (obs, int(self.age[0]), x, drive)  # what learn() needs of this batch (see _sensed)
        if explore:
            noise = np.float32(self.plasticity()[0])
            draw = self.rng.standard_normal(drive.shape).astype(np.float32)
        else:
            noise, draw = np.float32(0.0), drive[:0]
        a = motor_output(drive, draw, noise, self._mid, self._half)
        return a.reshape((a.shape[0],) + self.action_space.shape).astype(self.action_space.dtype, copy=False)

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
        self._need_delayed(False, "learn")
        x, drive = self._sensed(obs)
        b = x.shape[0]
        xi = self._perturbation(x, actions, drive)
        r = self._check_batch("rewards", rewards, b).astype(np.float32)
        valid = self._valid(valid, b)
        own_baseline = not self.config["reward_is_error"]
        # The teaching signal: the reward minus the context's running expectation, or the
        # steering's own performance error as it comes.
        # |x| on the valid rows, laid out in memory as x is: numpy sums a column-major array's columns
        # pairwise and a row-major one's row by row, and the sums must be the ones the array form took.
        active = np.empty_like(x)
        error, error_xi = teaching_signal(xi, r, x @ self.baseline if own_baseline else r[:0], valid, x, active)
        usage = self._usage(active)
        weight_step(self.weights, x.T @ error_xi, usage, np.float32(self.plasticity()[1]))
        self.age[0] += 1
        if own_baseline:  # the baseline tracks the mean reward of each context
            weight_step(self.baseline[:, None], (x.T @ error)[:, None], usage, np.float32(self.config["baseline_lr"]))
        if valid.all():  # the sum over the batch divided by its size: ``error.mean()``'s number, cheaper
            return {"performance_error": float(error.sum() / b)}
        return {"performance_error": float(error[valid].mean()) if valid.any() else 0.0}

    def _need_delayed(self, delayed: bool, method: str) -> None:
        if self.config["delayed_reward"] != delayed:
            raise RuntimeError(f"{method}() is for an agent with delayed_reward={delayed}; this one has "
                               f"delayed_reward={self.config['delayed_reward']}")

    def accumulate(self, obs: Any, actions: np.ndarray, valid: np.ndarray | None = None) -> None:
        """Add this batch's eligibility ``xi x`` to the trace a delayed reward will act on (no update yet)."""
        self._need_delayed(True, "accumulate")
        x = self._x(obs)
        valid = self._valid(valid, x.shape[0])
        xi = self._perturbation(x, actions) * valid[:, None]
        self.eligibility += (x.T @ xi) / self._usage(np.abs(x) * valid[:, None])

    def reinforce(self, reward: float) -> float:
        """A delayed scalar ``reward`` for everything sung since the last one: one weight step, trace cleared.

        Returns the teaching signal used: ``reward - Rbar_bout`` (or ``reward`` with ``reward_is_error``).
        """
        self._need_delayed(True, "reinforce")
        if not np.isfinite(reward):
            raise ValueError(f"reward must be a finite number, got {reward!r}")
        error = float(reward) if self.config["reward_is_error"] else float(reward) - float(self.bout_baseline[0])
        self.weights += self.plasticity()[1] * error * self.eligibility
        self.eligibility[:] = 0.0
        self.age += 1
        if not self.config["reward_is_error"]:
            self.bout_baseline += self.config["baseline_lr"] * error
        return error


class NodePerturbationCohort:
    """Several bodies' own ``NodePerturbationAgent``s stepped as one batch, each exactly as if alone.

    Row ``i`` of every batch is body ``i``, and only ``agents[i]`` acts on and learns
    from it: its weights, baseline, HVC code, age, eligibility and random stream stay its
    own (one brain per bird, as ``experiments.songbird.Flock`` needs). ``act``, ``learn``
    and ``accumulate`` give, bit for bit, what each agent's own method gives on its row
    as a batch of one: the matrix products are numpy's over stacks of the per-body
    products (each item takes the same BLAS path as the single product), the rest runs
    elementwise per body in the same float32 order. One call replaces a Python loop of
    ``len(agents)`` single-body calls.

    The agents' arrays become views into the cohort's stacked ones, so each agent stays
    in step and usable on its own (``command``, ``reinforce``, ``save``, a deep copy).
    Each agent's plasticity (``plasticity()``) is read at every step, so changing an
    agent's ``config`` schedules it as before.
    """

    def __init__(self, agents: Sequence[NodePerturbationAgent]) -> None:
        agents = list(agents)
        if not agents or not all(isinstance(a, NodePerturbationAgent) for a in agents):
            raise TypeError(f"a cohort needs one or more NodePerturbationAgents, got {[type(a).__name__ for a in agents]}")
        if len({id(a) for a in agents}) != len(agents):
            raise ValueError("a cohort needs a separate agent per body; the same agent was given twice")
        first = agents[0]
        shared = ("reward_is_error", "delayed_reward", "inputs", "input_dims", "hvc_units", "hvc_active")
        for i, a in enumerate(agents[1:], 1):
            differ = [k for k in shared if a.config[k] != first.config[k]]
            if (a.observation_space, a.action_space) != (first.observation_space, first.action_space) or differ:
                raise ValueError(f"every agent of a cohort must read the same inputs with the same spaces and teaching "
                                 f"signal; agent {i} differs from agent 0 in {differ or ['its spaces']}")
        self.agents = agents
        self.first = first
        self.weights = np.stack([a.weights for a in agents])  # (bodies, units, dims)
        self.baseline = np.stack([a.baseline for a in agents])  # (bodies, units)
        self.age = np.concatenate([a.age for a in agents])  # (bodies,)
        self.bout_baseline = np.concatenate([a.bout_baseline for a in agents])
        self.eligibility = np.stack([a.eligibility for a in agents])
        self.hvc = None if first.hvc is None else np.stack([a.hvc for a in agents])  # (bodies, lines, units)
        for i, a in enumerate(agents):
            a.weights, a.baseline, a.eligibility = self.weights[i], self.baseline[i], self.eligibility[i]
            a.age, a.bout_baseline = self.age[i : i + 1], self.bout_baseline[i : i + 1]
            if self.hvc is not None:
                a.hvc = self.hvc[i]
            a._acted = None
        self._baseline_lr = np.array([a.config["baseline_lr"] for a in agents], np.float32)
        self._ones = np.ones(len(agents), np.float32)
        self._draw = np.empty((len(agents), first.num_actions))  # each body's own normal draws, float64 as drawn
        self._acted: tuple[Any, np.ndarray, np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.agents)

    def _x(self, obs: Any) -> np.ndarray:
        """(bodies, 1, units): each body's RA input as a batch of one (the stacked products' left side)."""
        first = self.first
        lines = first.features(obs, keys=first.inputs)
        if lines.shape[0] != len(self.agents):
            raise ValueError(f"a cohort of {len(self.agents)} bodies needs a batch of {len(self.agents)} observations, "
                             f"got {lines.shape[0]}")
        # Row-major, as a single body's (1, lines) row is: a product's BLAS call takes the stride between
        # a row's elements, and a strided dot product sums in another order than a contiguous one.
        lines = np.ascontiguousarray(lines[:, first.input_dims])[:, None, :]
        return lines if self.hvc is None else lines @ self.hvc

    def _sensed(self, obs: Any) -> tuple[np.ndarray, np.ndarray]:
        """(x, drive) as ``act`` computed them for this very batch before any update, or afresh (see the agent's)."""
        acted, self._acted = self._acted, None
        if acted is not None and acted[0] is obs and np.array_equal(acted[1], self.age):
            return acted[2], acted[3]
        x = self._x(obs)
        return x, (x @ self.weights)[:, 0]

    def _perturbation(self, actions: np.ndarray, drive: np.ndarray) -> np.ndarray:
        b, first = len(self.agents), self.first
        actions = first._check_batch("actions", actions, b, first.action_space.shape)
        return perturbation(actions.reshape(b, -1).astype(np.float32, copy=False), drive, first._mid, first._half)

    def act(self, obs: Any, explore: bool = True) -> np.ndarray:
        """(bodies, *action shape): row ``i`` is ``agents[i].act`` of row ``i`` of ``obs``."""
        x = self._x(obs)
        drive = (x @ self.weights)[:, 0]
        self._acted = (obs, self.age.copy(), x, drive)
        first = self.first
        if explore:
            for agent, row in zip(self.agents, self._draw):
                agent.rng.standard_normal(out=row)  # the same numbers as the agent's own (1, dims) draw
            noise = np.array([a.plasticity()[0] for a in self.agents], np.float32)
            # Each body's perturbation scaled by its own size, then added at unit size: 1 * v is v, so
            # the sums are the single agent's ``m + noise * draw``.
            draw, unit = noise[:, None] * self._draw.astype(np.float32), np.float32(1.0)
        else:
            draw, unit = drive[:0], np.float32(0.0)
        a = motor_output(drive, draw, unit, first._mid, first._half)
        return a.reshape((a.shape[0],) + first.action_space.shape).astype(first.action_space.dtype, copy=False)

    def learn(self, obs: Any, actions: np.ndarray, rewards: np.ndarray, valid: np.ndarray | None = None) -> np.ndarray:
        """Each agent's ``learn`` from its own row; returns each body's teaching signal (0 on invalid rows)."""
        first, b = self.first, len(self.agents)
        first._need_delayed(False, "learn")
        x, drive = self._sensed(obs)
        xi = self._perturbation(actions, drive)
        r = first._check_batch("rewards", rewards, b).astype(np.float32)
        valid = first._valid(valid, b)
        own_baseline = not first.config["reward_is_error"]
        expected = (x @ self.baseline[:, :, None])[:, 0, 0] if own_baseline else r[:0]
        units = x[:, 0]
        active = np.empty_like(units)
        error, error_xi = teaching_signal(xi, r, expected, valid, units, active)
        lr = np.array([a.plasticity()[1] for a in self.agents], np.float32)
        step_each(self.weights, units, error_xi, active, lr)
        self.age += 1
        if own_baseline:
            step_each(self.baseline[:, :, None], units, error[:, None], active, self._baseline_lr)
        return error

    def accumulate(self, obs: Any, actions: np.ndarray, valid: np.ndarray | None = None) -> None:
        """Each agent's ``accumulate`` of its own row (a delayed reward: ``agents[i].reinforce``)."""
        first, b = self.first, len(self.agents)
        first._need_delayed(True, "accumulate")
        x, drive = self._sensed(obs)
        xi = self._perturbation(actions, drive)
        units = x[:, 0]
        active = np.empty_like(units)
        # The reward 1 on every valid row: the error is ``valid`` and error * xi the agent's ``xi * valid``.
        _, xi_valid = teaching_signal(xi, self._ones, self._ones[:0], first._valid(valid, b), units, active)
        step_each(self.eligibility, units, xi_valid, active, self._ones)


# --- the compiled pieces: each does, element by element, the float32 operations the array
# form did, in the same order (results bit-identical); the matrix products stay numpy's.
@jit
def _clip_unit(v: float) -> float:
    """numpy's clip to [-1, 1] of one value (NaN passes)."""
    if v < -1.0:
        return np.float32(-1.0)
    if v > 1.0:
        return np.float32(1.0)
    return v


@jit
def motor_output(drive: np.ndarray, draw: np.ndarray, noise: np.float32, mid: np.ndarray,
                 half: np.ndarray) -> np.ndarray:
    """(B, dims) motor command: RA's ``drive`` clipped to [-1, 1], plus LMAN's ``noise * draw``
    (clipped again) when ``draw`` has the batch's rows, mapped onto the action range."""
    bodies, dims = drive.shape
    out = np.empty((bodies, dims), dtype=np.float32)
    for b in range(bodies):
        for a in range(dims):
            m = _clip_unit(drive[b, a])
            if draw.shape[0] == bodies:
                m = _clip_unit(m + noise * draw[b, a])
            out[b, a] = mid[a] + half[a] * m
    return out


@jit
def perturbation(actions: np.ndarray, drive: np.ndarray, mid: np.ndarray, half: np.ndarray) -> np.ndarray:
    """(B, dims) LMAN's perturbation: the action sung, in [-1, 1] units, minus RA's clipped command."""
    bodies, dims = drive.shape
    xi = np.empty((bodies, dims), dtype=np.float32)
    for b in range(bodies):
        for a in range(dims):
            xi[b, a] = (actions[b, a] - mid[a]) / half[a] - _clip_unit(drive[b, a])
    return xi


@jit
def teaching_signal(xi: np.ndarray, reward: np.ndarray, expected: np.ndarray, valid: np.ndarray,
                    x: np.ndarray, active: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(error, error * xi): the performance error ``(reward - expected) * valid`` (``reward * valid``
    when ``expected`` is empty: the reward is the error) and its product with each body's
    perturbation; writes each input unit's activity on the valid rows, ``|x| * valid``, into ``active``."""
    bodies, dims = xi.shape
    units = x.shape[1]
    error = np.empty(bodies, dtype=np.float32)
    error_xi = np.empty((bodies, dims), dtype=np.float32)
    for b in range(bodies):
        keep = np.float32(1.0) if valid[b] else np.float32(0.0)
        e = (reward[b] - expected[b] if expected.shape[0] == bodies else reward[b]) * keep
        error[b] = e
        for a in range(dims):
            error_xi[b, a] = e * xi[b, a]
        for u in range(units):
            active[b, u] = abs(x[b, u]) * keep
    return error, error_xi


@jit
def step_each(target: np.ndarray, x: np.ndarray, signal: np.ndarray, active: np.ndarray, lr: np.ndarray) -> None:
    """Body by body, a batch of one's ``weight_step``: ``target[i] += lr[i] * outer(x[i], signal[i]) / usage``.

    ``target`` (bodies, units, dims), ``x`` and ``active`` (bodies, units), ``signal`` (bodies, dims),
    ``lr`` (bodies,); each unit's usage is its own activity, at least 1 (a sum over one row is that
    row). numpy forms a one-row ``x.T @ signal`` from 0 by adding the product, hence ``0 + x * s``
    (which turns a -0.0 product into +0.0 as numpy does).
    """
    bodies, units, dims = target.shape
    for i in range(bodies):
        for u in range(units):
            usage = max(active[i, u], np.float32(1.0))
            for a in range(dims):
                target[i, u, a] += lr[i] * (np.float32(0.0) + x[i, u] * signal[i, a]) / usage
    return None


@jit
def weight_step(weights: np.ndarray, gradient: np.ndarray, usage: np.ndarray, lr: np.float32) -> None:
    """``weights += lr * gradient / usage`` in place (``usage``: (units, 1), one per row)."""
    units, dims = weights.shape
    for u in range(units):
        for a in range(dims):
            weights[u, a] += lr * gradient[u, a] / usage[u, 0]


__all__ = ["NodePerturbationAgent", "NodePerturbationCohort", "motor_output", "step_each", "perturbation", "teaching_signal", "weight_step"]

"""Node perturbation: motor learning by injected variability and a scalar reward."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
from gymnasium import spaces

from brainlike.agents.base import Agent
from brainlike.steering.compiled import jit, pairwise_sum


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
        self._action_shape, self._action_dtype = tuple(box.shape), box.dtype
        self._rates = np.zeros((1, 3), np.float32)  # scratch for ``rates`` (see Circuit)
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
        self._acted: Acted | None = None

    def _circuit(self) -> Circuit:
        """This bird's arrays seen as a cohort of one (views: updates land in the agent's own arrays)."""
        return Circuit((self,), self.weights[None], self.baseline[None, :, None], self.age, self.eligibility[None],
                       None if self.hvc is None else self.hvc[None], self._rates)

    def command(self, obs: Any) -> np.ndarray:
        """(B, action dims) the unperturbed motor command in [-1, 1] (RA's output)."""
        circuit = self._circuit()
        return np.clip((ra_input(circuit, obs, None) @ circuit.weights)[0], -1.0, 1.0)

    def plasticity(self) -> tuple[float, float]:
        """(perturbation size, learning rate) at the agent's current age."""
        cfg = self.config
        noise, lr = cfg["noise_std"], cfg["lr"]
        if cfg["maturation"] > 0:
            f = min(self.age.item() / cfg["maturation"], 1.0)
            if cfg.get("noise_end") is not None:
                noise = noise * (cfg["noise_end"] / noise) ** f
            if cfg.get("lr_end") is not None and lr > 0:
                lr = lr * (cfg["lr_end"] / lr) ** f if cfg["lr_end"] > 0 else lr * (1.0 - f)
        return noise, lr

    def act(self, obs: Any, explore: bool = True) -> np.ndarray:
        self._acted, actions = act_all(self._circuit(), obs, None, explore)
        return actions

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
        acted, self._acted = self._acted, None
        error, valid, total, valid_rows = learn_all(self._circuit(), acted, obs, None, actions, rewards, valid)
        b = error.shape[0]
        if valid_rows == b:  # the sum over the batch divided by its size: ``error.mean()``'s number, cheaper
            return {"performance_error": float(np.float32(total) / b)}
        return {"performance_error": float(error[valid].mean()) if valid.any() else 0.0}

    def _need_delayed(self, delayed: bool, method: str) -> None:
        if self.config["delayed_reward"] != delayed:
            raise RuntimeError(f"{method}() is for an agent with delayed_reward={delayed}; this one has "
                               f"delayed_reward={self.config['delayed_reward']}")

    def accumulate(self, obs: Any, actions: np.ndarray, valid: np.ndarray | None = None) -> None:
        """Add this batch's eligibility ``xi x`` to the trace a delayed reward will act on (no update yet)."""
        acted, self._acted = self._acted, None
        accumulate_all(self._circuit(), acted, obs, None, actions, valid)

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
    and ``accumulate`` run the very flow an agent runs on its own batch (``act_all``,
    ``learn_all``, ``accumulate_all``), here with one brain per row: numpy's matrix products
    over stacks of the per-body products (each item takes the path the single product
    takes), the rest elementwise per body in the same float32 order. So each row gives,
    bit for bit, what its agent gives on that row as a batch of one, and one call replaces
    a Python loop of ``len(agents)`` single-body calls.

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
        self._circuit = Circuit(tuple(agents), self.weights, self.baseline[:, :, None], self.age, self.eligibility,
                                self.hvc, np.zeros((len(agents), 3), np.float32))
        self._acted: Acted | None = None

    def __len__(self) -> int:
        return len(self.agents)

    def act(self, obs: Any, explore: bool = True) -> np.ndarray:
        """(bodies, *action shape): row ``i`` is ``agents[i].act`` of row ``i`` of ``obs``."""
        self._acted, actions = act_all(self._circuit, obs, 1, explore)
        return actions

    def learn(self, obs: Any, actions: np.ndarray, rewards: np.ndarray, valid: np.ndarray | None = None) -> np.ndarray:
        """Each agent's ``learn`` from its own row; returns each body's teaching signal (0 on invalid rows)."""
        acted, self._acted = self._acted, None
        return learn_all(self._circuit, acted, obs, 1, actions, rewards, valid)[0]

    def accumulate(self, obs: Any, actions: np.ndarray, valid: np.ndarray | None = None) -> None:
        """Each agent's ``accumulate`` of its own row (a delayed reward: ``agents[i].reinforce``)."""
        acted, self._acted = self._acted, None
        accumulate_all(self._circuit, acted, obs, 1, actions, valid)


# --- the flow, written once for one bird's batch and for a cohort of birds ------------------------------
class Circuit(NamedTuple):
    """RA of ``K`` birds, stacked: bird ``k``'s arrays are item ``k`` (a lone agent is a cohort of one)."""

    agents: tuple[NodePerturbationAgent, ...]  # (K,) whose plasticity, random stream and settings are read
    weights: np.ndarray  # (K, units, dims)
    baseline: np.ndarray  # (K, units, 1): each bird's as a column, a matrix product's right side
    age: np.ndarray  # (K,)
    eligibility: np.ndarray  # (K, units, dims)
    hvc: np.ndarray | None  # (K, lines, units), or None: the lines feed RA directly
    rates: np.ndarray  # (K, 3) float32 scratch: each bird's step sizes, filled by ``step_sizes``


#: An empty (K, rows, 1) column: no expected reward (the reward is the error), no baseline step.
_NONE = np.zeros((0, 0, 1), np.float32)
#: No ages to advance (an eligibility trace is not an update).
_NO_AGE = np.zeros(0, np.int64)


class Acted(NamedTuple):
    """What ``act`` computed for a batch, for the ``learn`` or ``accumulate`` that follows it (see ``sensed``)."""

    obs: Any
    ages: bytes
    x: np.ndarray  # (K, rows, units)
    drive: np.ndarray  # (K, rows, dims)


def ra_input(circuit: Circuit, obs: Any, rows_per_brain: int | None) -> np.ndarray:
    """(K, rows, units) RA's input ``x``: each bird's rows of ``obs`` (``rows_per_brain``; None: the
    whole batch to the one bird), its input lines, read through its HVC code if it has one.

    Each bird's lines are laid out column by column (as numpy's ``lines[:, input_dims]`` lays
    them out): a product's BLAS call depends on the strides, and numpy sums a column-major
    array's rows pairwise but a row-major one's in order, so the layout is part of the numbers.
    """
    first = circuit.agents[0]
    lines = first.features(obs, keys=first.inputs)
    brains = len(circuit.agents)
    if rows_per_brain is not None and lines.shape[0] != brains * rows_per_brain:
        raise ValueError(f"a cohort of {brains} bodies needs a batch of {brains * rows_per_brain} observations, "
                         f"got {lines.shape[0]}")
    lines = column_major_lines(lines, first.input_dims, brains)
    return lines if circuit.hvc is None else lines @ circuit.hvc


def sensed(circuit: Circuit, acted: Acted | None, obs: Any, rows_per_brain: int | None) -> tuple[np.ndarray, np.ndarray]:
    """(x, drive = x @ W) for ``obs``: as ``act`` computed them when ``obs`` is the very batch ``act`` was
    last given and no update came between (the training loop's act-then-learn), otherwise computed
    afresh. An observation changed in place between the two is not noticed."""
    if acted is not None and acted.obs is obs and acted.ages == circuit.age.tobytes():
        return acted.x, acted.drive
    x = ra_input(circuit, obs, rows_per_brain)
    return x, x @ circuit.weights


def act_all(circuit: Circuit, obs: Any, rows_per_brain: int | None, explore: bool) -> tuple[Acted, np.ndarray]:
    """(what learn() needs of this batch, the motor commands (B, *action shape)): RA's drive, plus
    each bird's LMAN perturbation (its own size, drawn from its own stream) when ``explore``."""
    first = circuit.agents[0]
    x = ra_input(circuit, obs, rows_per_brain)
    drive = x @ circuit.weights
    if explore:
        draw = np.empty(drive.shape)  # float64 as drawn; each bird's the numbers of its own (rows, dims) draw
        for agent, rows in zip(circuit.agents, draw):
            agent.rng.standard_normal(out=rows)
    else:
        draw = drive[:, :0]
    a = motor_output(drive, draw, step_sizes(circuit), first._mid, first._half)
    acted = Acted(obs, circuit.age.tobytes(), x, drive)
    if first._action_shape != a.shape[1:]:
        a = a.reshape((a.shape[0],) + first._action_shape)
    return acted, a.astype(first._action_dtype, copy=False)


def step_sizes(circuit: Circuit) -> np.ndarray:
    """(K, 3) float32 ``circuit.rates``: each bird's (LMAN perturbation size, learning rate) at its
    age (``plasticity()``, read now: a changed config takes effect at once) and its baseline rate."""
    rates = circuit.rates
    for k, agent in enumerate(circuit.agents):
        rates[k, 0], rates[k, 1] = agent.plasticity()
        rates[k, 2] = agent.config["baseline_lr"]
    return rates


def _signal_inputs(circuit: Circuit, x: np.ndarray, actions: np.ndarray,
                   valid: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(actions (B, dims) float32, valid (B,) bool), checked against the batch of B = K * rows."""
    first = circuit.agents[0]
    b = x.shape[0] * x.shape[1]
    actions = first._check_batch("actions", actions, b, first._action_shape)
    if actions.ndim != 2:
        actions = actions.reshape(b, -1)
    actions = actions.astype(np.float32, copy=False)
    valid = np.ones(b, bool) if valid is None else first._check_batch("valid", valid, b).astype(bool, copy=False)
    return actions, valid


def learn_all(circuit: Circuit, acted: Acted | None, obs: Any, rows_per_brain: int | None, actions: np.ndarray,
              rewards: np.ndarray, valid: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, float, int]:
    """Each bird's weight step from its rows: ``dW = lr (R - Rbar) xi x`` (each input unit's the mean
    over the rows it was active in), its baseline moved toward the reward. Returns the teaching signal
    per row (0 on invalid rows) and the valid rows, both (B,), the signal's sum over the batch (numpy's
    ``sum()`` of it) and the number of valid rows."""
    first = circuit.agents[0]
    first._need_delayed(False, "learn")
    x, drive = sensed(circuit, acted, obs, rows_per_brain)
    brains, rows = x.shape[:2]
    actions, valid = _signal_inputs(circuit, x, actions, valid)
    r = first._check_batch("rewards", rewards, brains * rows)  # numbers: rounded to float32 in the kernel, as astype rounds
    if r.dtype.kind not in "biuf":
        r = r.astype(np.float32)  # numpy's own error for what is not a number
    own_baseline = not first.config["reward_is_error"]
    # The teaching signal: the reward minus the context's running expectation, or the
    # steering's own performance error as it comes.
    expected = x @ circuit.baseline if own_baseline else _NONE
    error, error_xi, usage, total, valid_rows = teaching_signal(actions, drive, first._mid, first._half, r, expected,
                                                                valid, x)
    x_t = x.transpose(0, 2, 1)
    # The baseline tracks the mean reward of each context.
    baseline_gradient = x_t @ error[:, :, None] if own_baseline else _NONE
    learning_step(circuit.weights, x_t @ error_xi, circuit.baseline, baseline_gradient, usage, step_sizes(circuit),
                  circuit.age)
    return error.reshape(-1), valid, total, valid_rows


def accumulate_all(circuit: Circuit, acted: Acted | None, obs: Any, rows_per_brain: int | None, actions: np.ndarray,
                   valid: np.ndarray | None) -> None:
    """Each bird's eligibility ``xi x`` of its valid rows (per input unit the mean over its active rows)
    added to its trace, for a delayed reward (``NodePerturbationAgent.reinforce``)."""
    first = circuit.agents[0]
    first._need_delayed(True, "accumulate")
    x, drive = sensed(circuit, acted, obs, rows_per_brain)
    brains, rows = x.shape[:2]
    actions, valid = _signal_inputs(circuit, x, actions, valid)
    # The reward 1 on every valid row: the error is ``valid`` and error * xi the perturbation on valid rows;
    # added at step size 1, no baseline step.
    ones = np.ones(brains * rows, np.float32)
    xi_valid, usage = teaching_signal(actions, drive, first._mid, first._half, ones, _NONE, valid, x)[1:3]
    learning_step(circuit.eligibility, x.transpose(0, 2, 1) @ xi_valid, circuit.baseline, _NONE, usage,
                  np.ones((brains, 3), np.float32), _NO_AGE)


# --- the compiled pieces: each does, element by element, the float32 operations the array
# form did, in the same order (results bit-identical); the matrix products stay numpy's.
@jit
def column_major_lines(lines: np.ndarray, dims: np.ndarray, brains: int) -> np.ndarray:
    """(K, rows, len(dims)) the ``dims`` columns of ``lines`` (K * rows, D), bird by bird, each bird's
    laid out column by column (a view of a (K, len(dims), rows) row-major array)."""
    rows = lines.shape[0] // brains
    out = np.empty((brains, dims.size, rows), dtype=np.float32)
    for k in range(brains):
        for j in range(dims.size):
            for i in range(rows):
                out[k, j, i] = lines[k * rows + i, dims[j]]
    return out.transpose(0, 2, 1)


@jit
def _clip_unit(v: float) -> float:
    """numpy's clip to [-1, 1] of one value (NaN passes)."""
    if v < -1.0:
        return np.float32(-1.0)
    if v > 1.0:
        return np.float32(1.0)
    return v


@jit
def motor_output(drive: np.ndarray, draw: np.ndarray, rates: np.ndarray, mid: np.ndarray,
                 half: np.ndarray) -> np.ndarray:
    """(K * rows, dims) motor command: RA's ``drive`` (K, rows, dims) clipped to [-1, 1], plus bird k's
    LMAN ``rates[k, 0] * draw`` (its perturbation size; the float64 draw rounded to float32 first;
    clipped again) when ``draw`` has the batch's rows, mapped onto the action range."""
    brains, rows, dims = drive.shape
    out = np.empty((brains * rows, dims), dtype=np.float32)
    for k in range(brains):
        for i in range(rows):
            for a in range(dims):
                m = _clip_unit(drive[k, i, a])
                if draw.shape[1] == rows:
                    m = _clip_unit(m + rates[k, 0] * np.float32(draw[k, i, a]))
                out[k * rows + i, a] = mid[a] + half[a] * m
    return out


@jit
def teaching_signal(actions: np.ndarray, drive: np.ndarray, mid: np.ndarray, half: np.ndarray, reward: np.ndarray,
                    expected: np.ndarray, valid: np.ndarray,
                    x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, int]:
    """(error (K, rows), error * xi (K, rows, dims), usage (K, units), the error's sum, valid rows) of a batch.

    Row ``k * rows + i`` of ``actions`` (B, dims), ``reward`` and ``valid`` (B,) is bird k's row i.
    ``xi``, LMAN's perturbation: the action sung, in [-1, 1] units, minus RA's clipped command.
    The performance error ``(reward - expected) * valid`` (``reward * valid`` when ``expected``
    (K, rows, 1) is empty: the reward is the error), summed over the batch as numpy's ``sum()``
    sums it (pairwise). Each input unit's usage: its summed activity ``|x|`` over the bird's
    valid rows, at least 1, so each unit takes the mean change over the rows in which it was
    active (for a one-hot clock: the renditions of that syllable in this batch). That sum runs
    as numpy's over an array laid out as ``x`` is: pairwise down a column-major bird's columns,
    row after row for a row-major one.
    """
    brains, rows, dims = drive.shape
    units = x.shape[2]
    by_column = rows > 1 and x.strides[1] == x.itemsize
    own_expectation = expected.shape[1] == rows
    error = np.empty((brains, rows), dtype=np.float32)
    error_xi = np.empty((brains, rows, dims), dtype=np.float32)
    usage = np.empty((brains, units), dtype=np.float32)
    active = np.empty((units, rows), dtype=np.float32)  # one bird's |x| * valid, a unit's rows side by side
    valid_rows = 0
    for k in range(brains):
        for i in range(rows):
            row = k * rows + i
            keep = np.float32(1.0) if valid[row] else np.float32(0.0)
            valid_rows += 1 if valid[row] else 0
            r = np.float32(reward[row])
            e = (r - expected[k, i, 0] if own_expectation else r) * keep
            error[k, i] = e
            for a in range(dims):
                xi = (actions[row, a] - mid[a]) / half[a] - _clip_unit(drive[k, i, a])
                error_xi[k, i, a] = e * xi
            for u in range(units):
                active[u, i] = abs(x[k, i, u]) * keep
        for u in range(units):
            if by_column:
                total = pairwise_sum(active[u], 0, rows)
            else:  # from +0: the activities are >= +0, so 0 + a is a and the sums are numpy's
                total = np.float32(0.0)
                for i in range(rows):
                    total += active[u, i]
            usage[k, u] = max(total, np.float32(1.0))
    return error, error_xi, usage, pairwise_sum(error.reshape(brains * rows), 0, brains * rows), valid_rows


@jit
def learning_step(weights: np.ndarray, gradient: np.ndarray, baseline: np.ndarray, baseline_gradient: np.ndarray,
                  usage: np.ndarray, rates: np.ndarray, age: np.ndarray) -> None:
    """In place, bird by bird: ``weights[k] += rates[k, 1] * gradient[k] / usage[k]`` (each unit's row
    divided by its usage, (K, units)), then, unless ``baseline_gradient`` (K, units, 1) is empty,
    ``baseline[k] += rates[k, 2] * baseline_gradient[k] / usage[k]`` (``rates``: see ``step_sizes``);
    ``age[k] += 1`` unless ``age`` is empty."""
    brains, units, dims = weights.shape
    for k in range(brains):
        if age.shape[0] == brains:
            age[k] += 1
        for u in range(units):
            for a in range(dims):
                weights[k, u, a] += rates[k, 1] * gradient[k, u, a] / usage[k, u]
            if baseline_gradient.shape[1] == units:
                baseline[k, u, 0] += rates[k, 2] * baseline_gradient[k, u, 0] / usage[k, u]


__all__ = ["Acted", "Circuit", "NodePerturbationAgent", "NodePerturbationCohort", "accumulate_all", "act_all",
           "column_major_lines", "learn_all", "learning_step", "motor_output", "ra_input", "sensed", "step_sizes", "teaching_signal"]

"""Pattern separation: a fixed random expansion and one layer trained by a three-factor rule."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import numba
import numpy as np
from gymnasium import spaces

from brainlike.agents.base import Agent


_uncached: list[str] = []  # functions numba could not cache in this process


def compiled(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` compiled by numba (``fastmath`` off, so every float operation is the one written).

    The machine code is cached beside the source, so only the first process pays the
    compile. Where no cache directory is writable numba refuses ``cache=True`` when
    the function is defined, which would break the import: compile in memory instead,
    and say so once.
    """
    try:
        return numba.njit(cache=True)(fn)
    except RuntimeError as e:
        if not _uncached:
            print(f"brainlike: numba cannot cache the learner's compiled update ({e}); compiling it in memory "
                  f"in each process", file=sys.stderr)
        _uncached.append(fn.__name__)
        return numba.njit(fn)


class KenyonExpansion:
    """A fixed, wide, sparse, locally random expansion with k-winners-take-all.

    Each of ``num_units`` units (Kenyon cells; equally cerebellar or dentate
    granule cells) samples ``fan_in`` random input lines with random
    excitatory weights. A global inhibition (the fly's APL neuron) lets only
    the ``k = active_fraction * num_units`` most driven units fire. A tiny
    fixed random threshold per unit breaks ties, so the code is a deterministic
    function of the input. Nothing here learns: the weights are drawn once at
    birth from the agent's RNG and never change. Its job is to make similar
    inputs *less* similar (pattern separation), so that one linear layer after
    it can tell situations apart that overlap heavily in the raw senses.

    Fly numbers (docs/science.md): about 2,000 Kenyon cells, 7 inputs each, 5-10% active.
    """

    def __init__(self, input_dim: int, num_units: int, fan_in: int, active_fraction: float, rng: np.random.Generator) -> None:
        if num_units < 1 or not 1 <= fan_in <= input_dim:
            raise ValueError(f"need num_units >= 1 and 1 <= fan_in <= input_dim={input_dim}, got {num_units}, {fan_in}")
        if not 0.0 < active_fraction <= 1.0:
            raise ValueError(f"active_fraction must be in (0, 1], got {active_fraction}")
        self.input_dim, self.num_units, self.fan_in = int(input_dim), int(num_units), int(fan_in)
        self.k = max(1, int(round(active_fraction * num_units)))
        # Each unit's inputs: fan_in distinct lines, drawn without replacement.
        self.inputs = np.argsort(rng.random((num_units, input_dim)), axis=1)[:, :fan_in].astype(np.int32)
        self.weights = rng.uniform(0.5, 1.5, size=(num_units, fan_in)).astype(np.float32)
        self.thresholds = (1e-4 * rng.random(num_units)).astype(np.float32)
        self.rebuild()

    def rebuild(self) -> None:
        """The same fixed weights as one dense (input_dim, num_units) matrix, for one BLAS call."""
        dense = np.zeros((self.input_dim, self.num_units), dtype=np.float32)
        np.add.at(dense, (self.inputs, np.arange(self.num_units)[:, None]), self.weights)
        self._dense = dense

    def drive(self, x: np.ndarray) -> np.ndarray:
        """(B, num_units) summed input of every unit, before inhibition."""
        return x @ self._dense + self.thresholds

    def encode(self, x: np.ndarray) -> np.ndarray:
        """(B, k) ids of the winning (active) units for each row of ``x``."""
        h = self.drive(x)
        if self.k == self.num_units:
            return np.broadcast_to(np.arange(self.num_units), h.shape).copy()
        return np.argpartition(h, self.num_units - self.k, axis=1)[:, self.num_units - self.k :]

    def dense_code(self, x: np.ndarray) -> np.ndarray:
        """(B, num_units) binary activity: 1 for the active units."""
        ids = self.encode(x)
        out = np.zeros((x.shape[0], self.num_units), dtype=np.float32)
        np.put_along_axis(out, ids, 1.0, axis=1)
        return out


class SparseTraces:
    """Eligibility traces over the last ``length`` steps, kept only for active units.

    A full trace matrix (units x outputs per body) would make every step cost
    the layer's width. Instead each body remembers, for its last ``length``
    steps, *which* units were active and the post-synaptic factor of each
    output; a trace's weight decays as ``decay ** age``. The update then
    touches ``length x k`` weights per body, independent of the layer width.
    """

    def __init__(self, length: int, decay: float, num_bodies: int, k: int, outputs: int) -> None:
        self.length, self.decay = int(length), float(decay)
        self.ids = np.zeros((self.length, num_bodies, k), dtype=np.int64)
        self.post = np.zeros((self.length, num_bodies, outputs), dtype=np.float32)
        self.head = 0
        self.weights = (self.decay ** np.arange(self.length)).astype(np.float32)

    @property
    def num_bodies(self) -> int:
        return self.ids.shape[1]

    def push(self, ids: np.ndarray, post: np.ndarray) -> None:
        self.head = (self.head - 1) % self.length
        self.ids[self.head] = ids
        self.post[self.head] = post

    def clear(self, bodies: np.ndarray) -> None:
        self.post[:, bodies] = 0.0

    def apply(self, actor: np.ndarray, critic: np.ndarray, signal: np.ndarray, actor_gain: float = 1.0) -> None:
        """Move every eligible synapse of ``actor`` and ``critic`` by the (B,) broadcast ``signal``.

        A synapse eligible in several bodies takes the mean of their changes (see
        ``three_factor_update``); the actor's changes are divided by ``actor_gain``.
        """
        three_factor_update(actor, critic, self.ids, self.post, self.head, self.weights,
                            np.ascontiguousarray(signal, dtype=np.float32), np.float32(actor_gain))


def scatter_add(weights: np.ndarray, ids: np.ndarray, values: np.ndarray) -> None:
    """weights[ids] += values, accumulating repeated ids (several bodies share a unit).

    ``np.add.at`` on a flat 1-D view touches only the listed entries, so the
    cost follows the number of active units, not the layer width (measured
    faster here than a weighted ``np.bincount``).
    """
    cols = weights.shape[1]
    flat = (ids[:, None] * cols + np.arange(cols)).ravel()
    np.add.at(weights.reshape(-1), flat, values.ravel().astype(weights.dtype, copy=False))


def unit_counts(ids: np.ndarray, num_units: int) -> np.ndarray:
    """How many (body, step) entries in ``ids`` touch each unit."""
    return np.bincount(ids, minlength=num_units).astype(np.float32)


@compiled
def _pairwise_block(values: np.ndarray, start: int, n: int) -> np.float32:
    """numpy's float32 sum of a run of at most 128: eight interleaved partial sums."""
    if n < 8:
        total = np.float32(0.0)
        for i in range(start, start + n):
            total = total + values[i]
        return total
    r = values[start : start + 8].copy()
    i = 8
    while i < n - n % 8:
        for j in range(8):
            r[j] = r[j] + values[start + i + j]
        i += 8
    total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
    while i < n:
        total = total + values[start + i]
        i += 1
    return total


@compiled
def _pairwise_sum(values: np.ndarray, start: int, n: int) -> np.float32:
    """numpy's pairwise float32 sum of ``values[start:start + n]``, operation for operation.

    numpy halves a run longer than 128 (at a multiple of 8) and adds the two halves'
    sums; replaying that order gives the same last bit. The halving is walked with
    an explicit stack, not by recursion: numba's cache cannot reload a recursive
    function (numba issue 6061, a segfault on the second run).
    """
    # One frame per level: (start, length, left half's sum once it is known).
    starts = np.empty(64, dtype=np.int64)
    lengths = np.empty(64, dtype=np.int64)
    lefts = np.empty(64, dtype=np.float32)
    left_done = np.zeros(64, dtype=np.bool_)
    top = 0
    starts[0], lengths[0] = start, n
    while True:
        if lengths[top] > 128:  # descend into the left half
            half = lengths[top] // 2
            half -= half % 8
            left_done[top] = False
            starts[top + 1], lengths[top + 1] = starts[top], half
            top += 1
            continue
        total = _pairwise_block(values, starts[top], lengths[top])
        while top > 0:  # hand the sum up until a parent still needs its right half
            top -= 1
            if left_done[top]:
                total = lefts[top] + total
                continue
            lefts[top], left_done[top] = total, True
            half = lengths[top] // 2
            half -= half % 8
            starts[top + 1], lengths[top + 1] = starts[top] + half, lengths[top] - half
            top += 1
            break
        else:
            return total


@compiled
def mean_of_active(weights: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """(B, outputs) mean of the active units' float32 weights: ``weights[ids].mean(axis=1)``, bit for bit.

    numpy sums one output column pairwise, several columns one active unit after
    the other (its iterator runs along the contiguous output axis); both orders
    are kept here so that the compiled learner is the numpy learner, only faster.
    """
    bodies, k = ids.shape
    outputs = weights.shape[1]
    out = np.empty((bodies, outputs), dtype=np.float32)
    column = np.empty(k, dtype=np.float32)
    for b in range(bodies):
        if outputs == 1:
            for j in range(k):
                column[j] = weights[ids[b, j], 0]
            out[b, 0] = _pairwise_sum(column, 0, k)
        else:
            for o in range(outputs):
                out[b, o] = weights[ids[b, 0], o]
            for j in range(1, k):
                for o in range(outputs):
                    out[b, o] = out[b, o] + weights[ids[b, j], o]
        for o in range(outputs):
            out[b, o] = out[b, o] / np.float32(k)
    return out


@compiled
def three_factor_update(actor: np.ndarray, critic: np.ndarray, ids: np.ndarray, post: np.ndarray, head: int,
                        trace_weights: np.ndarray, signal: np.ndarray, actor_gain: np.float32) -> None:
    """Add the broadcast ``signal`` x eligibility to every eligible synapse, in place.

    For each remembered step (newest first), body and active unit, every output's
    weight moves by ``post x decay**age x signal``, divided by the number of
    (step, body) entries that touch that unit (the per-synapse mean over bodies);
    the actor's share is further divided by ``actor_gain``. Entries are visited in
    the order the numpy rule accumulated them, so repeated units sum identically.
    """
    length, bodies, k = ids.shape
    actions = actor.shape[1]
    counts = np.zeros(actor.shape[0], dtype=np.float32)
    for l in range(length):
        for b in range(bodies):
            for j in range(k):
                counts[ids[l, b, j]] += np.float32(1.0)
    for age in range(length):
        l = (head + age) % length
        for b in range(bodies):
            scale = trace_weights[age] * signal[b]
            for j in range(k):
                unit = ids[l, b, j]
                for o in range(actions):
                    actor[unit, o] += post[l, b, o] * scale / counts[unit] / actor_gain
                critic[unit, 0] += post[l, b, actions] * scale / counts[unit]


def expansion_input(agent: Agent, obs: Any, inputs: tuple[str, ...] | None, population_code: dict[str, int], gain: float) -> np.ndarray:
    """(B, D) input lines of an expansion: the chosen channels scaled to [0, 1].

    Channels named in ``population_code`` are first turned into a one-hot code
    of that many bins per value, with weight ``gain`` (a scalar such as energy
    becomes a few labelled lines, as interoceptive neurons tile a range, so the
    expansion forms conjunctions of "what I see" with "how hungry I am").
    """
    if not population_code:
        return agent.features(obs, keys=inputs)
    parts = []
    for key, *_ in agent._channels:
        if inputs is not None and key not in inputs:
            continue
        x = agent.features(obs, keys=(key,))
        bins = population_code.get(key) if key is not None else population_code.get("observation")
        if bins:
            level = np.minimum((np.clip(x, 0.0, 1.0) * bins).astype(np.int64), bins - 1)
            code = np.zeros(x.shape + (bins,), dtype=np.float32)
            np.put_along_axis(code, level[..., None], gain, axis=2)
            x = code.reshape(x.shape[0], -1)
        if parts and x.shape[0] != parts[0].shape[0]:
            raise ValueError(f"observation channels disagree on the batch size: {parts[0].shape[0]} vs {x.shape[0]} in {key!r}")
        parts.append(x)
    return np.concatenate(parts, axis=1)


class PatternSeparationAgent(Agent):
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
        self.actor = np.zeros((num_units, a), dtype=np.float32)
        self.critic = np.zeros((num_units, 1), dtype=np.float32)
        self.log_std = np.full(a if not self.discrete else 0, init_log_std, dtype=np.float32)
        if not self.discrete:
            box = action_space
            assert isinstance(box, spaces.Box)
            self._mid = ((box.low + box.high) / 2).astype(np.float32).ravel()
            self._half = ((box.high - box.low) / 2).astype(np.float32).ravel()
        self.traces: SparseTraces | None = None
        self._cache: list[tuple[np.ndarray, np.ndarray]] = []
        # Running mean square of the TD error: the dopamine gain's adaptation (adaptive_gain).
        self.delta_var = np.ones(1, dtype=np.float64)

    # The expansion's arrays are saved through these names (fixed, never learned).
    @property
    def kc_inputs(self) -> np.ndarray:
        return self.expansion.inputs

    @kc_inputs.setter
    def kc_inputs(self, v: np.ndarray) -> None:
        self.expansion.inputs = v

    @property
    def kc_weights(self) -> np.ndarray:
        return self.expansion.weights

    @kc_weights.setter
    def kc_weights(self, v: np.ndarray) -> None:
        self.expansion.weights = v

    @property
    def kc_thresholds(self) -> np.ndarray:
        return self.expansion.thresholds

    @kc_thresholds.setter
    def kc_thresholds(self, v: np.ndarray) -> None:
        self.expansion.thresholds = v

    def _after_load(self) -> None:
        self.expansion.rebuild()
        self._cache = []

    # --- the forward pass ----------------------------------------------------------
    def expansion_input(self, obs: Any) -> np.ndarray:
        """(B, D) input lines of the expansion (see ``expansion_input``)."""
        return expansion_input(self, obs, self.inputs, self.population_code, self.config["population_gain"])

    def encode(self, obs: Any) -> np.ndarray:
        """(B, k) active unit ids. The last two encodings are cached: the training
        loop encodes each observation twice (as next_obs, then to act on it)."""
        x = self.expansion_input(obs)
        for cx, ids in self._cache:
            if cx.shape == x.shape and np.array_equal(cx, x):
                return ids
        ids = self.expansion.encode(x)
        self._cache = [(x, ids)] + self._cache[:1]
        return ids

    def _read(self, weights: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Mean of the active units' weights: (B, outputs)."""
        return mean_of_active(weights, ids)

    def _policy(self, logits: np.ndarray) -> np.ndarray:
        z = logits / self.config["temperature"]
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def act(self, obs: Any, explore: bool = True) -> np.ndarray:
        ids = self.encode(obs)
        out = self._read(self.actor, ids)
        b = ids.shape[0]
        if self.discrete:
            if explore:
                cdf = np.cumsum(self._policy(out), axis=1)
                u = self.rng.random((b, 1)) * cdf[:, -1:]
                return np.minimum((u > cdf).sum(axis=1), self.num_actions - 1).astype(np.int64)
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
        rewards = self._check_batch("rewards", rewards, b).astype(np.float32)
        terminated = self._check_batch("terminated", terminated, b).astype(bool)
        truncated = self._check_batch("truncated", truncated, b).astype(bool)
        valid = np.ones(b, dtype=bool) if valid is None else self._check_batch("valid", valid, b).astype(bool)
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
        logits = self._read(self.actor, ids)
        post = np.empty((b, self.num_actions + 1), dtype=np.float32)
        if self.discrete:
            a = actions.astype(np.int64)
            if a.min() < 0 or a.max() >= self.num_actions:
                raise ValueError(f"actions must be in [0, {self.num_actions}), got {a.min()}..{a.max()}")
            post[:, :-1] = -self._policy(logits)
            post[np.arange(b), a] += 1.0
            post[:, :-1] *= cfg["actor_lr"]
        else:
            unit = (actions.reshape(b, -1).astype(np.float32) - self._mid) / self._half
            std = np.exp(self.log_std)
            eps = (unit - np.clip(logits, -1.0, 1.0)) / std
            post[:, :-1] = cfg["actor_lr"] * eps / std
        post[:, -1] = cfg["critic_lr"]
        post[~valid] = 0.0  # the reset step of autoreset is no transition: nothing to credit
        self.traces.push(ids, post)

        # The dopamine-like broadcast: one TD error per body.
        v = self._read(self.critic, ids)[:, 0]
        v_next = self._read(self.critic, next_ids)[:, 0]
        delta = rewards + cfg["gamma"] * np.where(terminated, 0.0, v_next) - v
        delta = np.where(valid, delta, 0.0).astype(np.float32)
        # The batch is many animals sharing one brain for speed. A synapse eligible in
        # several of them takes the *mean* of their changes, not the sum, so its step
        # does not grow with the number of bodies (a normalised minibatch, per synapse).
        actor_gain = 1.0
        rate = cfg.get("adaptive_gain", 0.0)
        if rate > 0 and valid.any():
            # Dopamine neurons rescale their response to the recent range of reward
            # prediction errors (Tobler, Fiorillo & Schultz 2005): the actor sees TD
            # errors in units of their running spread, so a body whose rewards are
            # small steps learns its policy as fast as one with large ones.
            self.delta_var = (1 - rate) * self.delta_var + rate * float(np.mean(delta[valid] ** 2))
            actor_gain = float(np.sqrt(self.delta_var[0])) + 1e-6
        self.traces.apply(self.actor, self.critic, delta, actor_gain)
        if not self.discrete and cfg["std_lr"] > 0:
            grad = ((eps**2 - 1.0) * delta[:, None])[valid].mean(axis=0) if valid.any() else 0.0
            self.log_std = np.clip(self.log_std + cfg["std_lr"] * grad, -3.0, 1.0).astype(np.float32)
        # A life that ended leaves no trace into the next one.
        ended = terminated | truncated | ~valid
        if ended.any():
            self.traces.clear(ended)
        return {"td_error": float(np.abs(delta[valid]).mean()) if valid.any() else 0.0}


__all__ = ["expansion_input", "scatter_add", "KenyonExpansion", "PatternSeparationAgent", "SparseTraces"]

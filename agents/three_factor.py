"""The three-factor read-out: the one learning layer after the expansion, compiled.

Only the layer after the expansion learns, by presynaptic activity x
postsynaptic activity x a broadcast error (the third factor). Its eligibility
traces (``SparseTraces``) remember which sparse units were active and what the
outputs did; ``three_factor_update`` credits them when the error arrives; and
``mean_of_active`` reads the layer out. The compiled functions reproduce numpy's
float32 arithmetic bit for bit (the numpy learner is their reference).
"""

from __future__ import annotations

import numpy as np

from brainlike.steering.compiled import jit, pairwise_sum


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

    def learn(self, synapses: np.ndarray, actions: int, ids: np.ndarray, next_ids: np.ndarray, post: np.ndarray,
              rewards: np.ndarray, terminated: np.ndarray, truncated: np.ndarray, valid: np.ndarray, gamma: float,
              delta_var: np.ndarray, gain_rate: float) -> tuple[np.ndarray, float]:
        """Remember this step's ``ids`` and ``post``, then credit every trace by the TD error: ``three_factor_learn``
        on the read-out's ``synapse_rows`` (``actions`` actor columns, then the critic's).

        Returns the (B,) TD errors and the mean absolute TD error of the valid bodies (0 if none).
        """
        self.head = (self.head - 1) % self.length
        delta, td_error = three_factor_learn(synapses, actions, self.ids, self.post, self.head, self.weights, ids, next_ids, post,
                                             rewards, terminated, truncated, valid, np.float32(gamma), delta_var, float(gain_rate))
        return delta, float(td_error)


@jit
def credit_active(weights: np.ndarray, ids: np.ndarray, change: np.ndarray) -> None:
    """Move each body's active units' weights by its (B, outputs) ``change``, in place: one step, no traces.

    A unit active in several bodies takes the mean of their changes (its change
    divided by the number of bodies it is active in), as ``three_factor_update``
    does; entries are added body by body, unit by unit, so repeated units sum in
    one fixed order.
    """
    bodies, k = ids.shape
    outputs = weights.shape[1]
    counts = np.zeros(weights.shape[0], dtype=np.float32)
    for b in range(bodies):
        for j in range(k):
            counts[ids[b, j]] += np.float32(1.0)
    for b in range(bodies):
        for j in range(k):
            unit = ids[b, j]
            for o in range(outputs):
                weights[unit, o] += change[b, o] / counts[unit]


@jit
def mean_of_active(weights: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """(B, outputs) mean of the active units' float32 weights: ``weights[ids].mean(axis=1)``, bit for bit.

    numpy sums one output column pairwise, several columns one active unit after
    the other (its iterator runs along the contiguous output axis); both orders
    are kept here so that the compiled learner is the numpy learner, only faster.
    The one-after-the-other sums are a chain of dependent additions, each waiting for
    the last: four bodies' chains run side by side (each in its own order) to overlap them.
    """
    bodies, k = ids.shape
    outputs = weights.shape[1]
    out = np.empty((bodies, outputs), dtype=np.float32)
    if outputs == 1:
        column = np.empty(k, dtype=np.float32)
        for b in range(bodies):
            for j in range(k):
                column[j] = weights[ids[b, j], 0]
            out[b, 0] = pairwise_sum(column, 0, k) / np.float32(k)
        return out
    fours = bodies - bodies % 4
    for b in range(0, fours, 4):
        for o in range(outputs):
            t0, t1 = weights[ids[b, 0], o], weights[ids[b + 1, 0], o]
            t2, t3 = weights[ids[b + 2, 0], o], weights[ids[b + 3, 0], o]
            for j in range(1, k):
                t0 = t0 + weights[ids[b, j], o]
                t1 = t1 + weights[ids[b + 1, j], o]
                t2 = t2 + weights[ids[b + 2, j], o]
                t3 = t3 + weights[ids[b + 3, j], o]
            out[b, o], out[b + 1, o] = t0 / np.float32(k), t1 / np.float32(k)
            out[b + 2, o], out[b + 3, o] = t2 / np.float32(k), t3 / np.float32(k)
    for b in range(fours, bodies):
        for o in range(outputs):
            total = weights[ids[b, 0], o]
            for j in range(1, k):
                total = total + weights[ids[b, j], o]
            out[b, o] = total / np.float32(k)
    return out


#: A float32 quotient this large or larger is a normal number (twice float32's smallest normal, 2**-126).
_NORMAL_QUOTIENT = 2.0**-125

#: The read-out's synapses are kept as one row of float32 lanes per unit (``synapse_rows``), a
#: multiple of this many wide: the three-factor update then changes a unit's row as whole SIMD
#: registers (eight float32s: one AVX register) instead of one synapse after another.
LANES = 8


def synapse_rows(actor: np.ndarray, critic: np.ndarray) -> np.ndarray:
    """(units, W) float32: each unit's actor weights, then its critic weight, then zeros to a multiple of ``LANES``."""
    units, actions = actor.shape
    if critic.shape != (units, 1):
        raise ValueError(f"the critic must be ({units}, 1) beside a ({units}, {actions}) actor, got {critic.shape}")
    rows = np.zeros((units, LANES * -(-(actions + 1) // LANES)), dtype=np.float32)
    rows[:, :actions] = actor
    rows[:, actions] = critic[:, 0]
    return rows


@jit(simd_rows=True)
def mean_of_rows(synapses: np.ndarray, actions: int, ids: np.ndarray) -> np.ndarray:
    """(B, actions) ``mean_of_active(synapses[:, :actions], ids)`` for ``actions > 1``, bit for bit, from ``synapse_rows``.

    With more than one column numpy sums each column one active unit after the other:
    here a whole row of ``LANES`` lanes at a time (a tuple of running sums, each lane
    its own column's chain in the same order), which the SLP vectoriser makes one
    packed add per unit. (One column numpy sums pairwise: ``mean_of_active`` keeps that.)
    """
    bodies, k = ids.shape
    width = synapses.shape[1]
    flat = synapses.reshape(-1)
    out = np.empty((bodies, actions), dtype=np.float32)
    for block in range(0, width, LANES):
        for b in range(bodies):
            at = np.uint64(ids[b, 0]) * np.uint64(width) + np.uint64(block)  # unsigned: no wraparound code
            s = (flat[at], flat[at + np.uint64(1)], flat[at + np.uint64(2)], flat[at + np.uint64(3)],
                 flat[at + np.uint64(4)], flat[at + np.uint64(5)], flat[at + np.uint64(6)], flat[at + np.uint64(7)])
            for j in range(1, k):
                at = np.uint64(ids[b, j]) * np.uint64(width) + np.uint64(block)
                s = (s[0] + flat[at], s[1] + flat[at + np.uint64(1)], s[2] + flat[at + np.uint64(2)],
                     s[3] + flat[at + np.uint64(3)], s[4] + flat[at + np.uint64(4)], s[5] + flat[at + np.uint64(5)],
                     s[6] + flat[at + np.uint64(6)], s[7] + flat[at + np.uint64(7)])
            for o in range(LANES):
                if block + o < actions:
                    out[b, block + o] = s[o] / np.float32(k)
    return out


@jit(simd_rows=True)
def three_factor_update(synapses: np.ndarray, actions: int, ids: np.ndarray, post: np.ndarray, head: int,
                        trace_weights: np.ndarray, signal: np.ndarray, actor_gain: np.float32) -> None:
    """Add the broadcast ``signal`` x eligibility to every eligible synapse, in place.

    ``synapses``: ``synapse_rows`` (C-contiguous), each unit's ``actions`` actor weights, then its
    critic weight, then zeros. For each remembered step (newest first), body and active unit, every
    output's weight moves by ``post x decay**age x signal``, divided by the number of (step, body)
    entries that touch that unit (the per-synapse mean over bodies); the actor's share is further
    divided by ``actor_gain``. Entries are visited in the order the numpy rule accumulated them, so
    repeated units sum identically.

    The float32 divisions (one or two per synapse, most of the update's time) are
    made as float64 multiplications by the divisor's reciprocal, rounded to float32:
    the same float32 for every quotient that is a normal number. The float64 product
    is within 2**-52 (relative) of the true quotient, and a quotient of two float32s
    is either a float32 or at least 2**-49 (relative) from every midpoint between
    two float32s, so both round alike. Near the subnormals, where the float32 grid
    is coarser and a quotient can fall on a midpoint, a body's step divides as before.

    A unit's row is changed ``LANES`` lanes at a time, each lane its own synapse's
    arithmetic (the padding lanes add +0 and stay 0), written as a loop of constant
    length over a tuple of the lanes' factors (values, which no store to the synapses
    can change): compiled with the SLP vectoriser (``jit(simd_rows=True)``) it becomes
    a few SIMD instructions per unit, the same numbers as one synapse at a time.
    """
    length, bodies, k = ids.shape
    units, width = synapses.shape
    counts = np.zeros(units, dtype=np.float32)
    for l in range(length):
        for b in range(bodies):
            for j in range(k):
                counts[ids[l, b, j]] += np.float32(1.0)
    inverses = np.empty(units, dtype=np.float64)
    most = np.float32(1.0)
    for unit in range(units):
        inverses[unit] = 1.0 / np.float64(counts[unit]) if counts[unit] > 0 else 0.0
        most = max(most, counts[unit])
    gained = actor_gain != np.float32(1.0)  # a division by 1 changes nothing: skipped (exactly so)
    # Each lane's second factor: the gain's reciprocal on the actor's lanes, 1 (exact) on the others.
    lane_gain = np.ones(width, dtype=np.float64)
    lane_gain[:actions] = 1.0 / np.float64(actor_gain)
    # A nonzero numerator at least this large gives normal quotients only, by any count and the gain.
    normal = _NORMAL_QUOTIENT * np.float64(most) * max(1.0, np.float64(actor_gain))
    scaled = np.zeros(width, dtype=np.float64)  # the padding lanes' stay 0
    flat = synapses.reshape(-1)
    for age in range(length):
        l = (head + age) % length
        for b in range(bodies):
            scale = trace_weights[age] * signal[b]
            by_reciprocal = True  # False for a tiny numerator (or a NaN)
            for o in range(actions + 1):
                numerator = post[l, b, o] * scale
                scaled[o] = np.float64(numerator)
                by_reciprocal = by_reciprocal and (numerator == 0 or abs(scaled[o]) >= normal)
            if not by_reciprocal:
                for j in range(k):
                    unit = ids[l, b, j]
                    count = counts[unit]
                    for o in range(actions):
                        change = post[l, b, o] * scale / count
                        synapses[unit, o] += change / actor_gain if gained else change
                    synapses[unit, actions] += post[l, b, actions] * scale / count
                continue
            for block in range(0, width, LANES):
                s = block
                lane = (scaled[s], scaled[s + 1], scaled[s + 2], scaled[s + 3],
                        scaled[s + 4], scaled[s + 5], scaled[s + 6], scaled[s + 7])
                gain = (lane_gain[s], lane_gain[s + 1], lane_gain[s + 2], lane_gain[s + 3],
                        lane_gain[s + 4], lane_gain[s + 5], lane_gain[s + 6], lane_gain[s + 7])
                if gained:
                    for j in range(k):
                        unit = ids[l, b, j]
                        inverse = inverses[unit]
                        at = np.uint64(unit) * np.uint64(width) + np.uint64(block)  # unsigned: no wraparound code
                        for o in range(LANES):
                            change = np.float32(lane[o] * inverse)
                            flat[at + np.uint64(o)] += np.float32(np.float64(change) * gain[o])
                else:
                    for j in range(k):
                        unit = ids[l, b, j]
                        inverse = inverses[unit]
                        at = np.uint64(unit) * np.uint64(width) + np.uint64(block)
                        for o in range(LANES):
                            flat[at + np.uint64(o)] += np.float32(lane[o] * inverse)


@jit
def policy_post(policy: np.ndarray, actions: np.ndarray, actor_lr: np.float32, critic_lr: np.float32) -> np.ndarray:
    """(B, A + 1) post-synaptic factors of a discrete actor-critic: ``actor_lr x (onehot(action) - policy)``, then ``critic_lr``.

    In float32, as numpy's ``-policy``, ``+= 1`` at the action, ``*= actor_lr`` compute it.
    """
    bodies, num_actions = policy.shape
    post = np.empty((bodies, num_actions + 1), dtype=np.float32)
    for b in range(bodies):
        for o in range(num_actions):
            p = -policy[b, o]
            if o == actions[b]:
                p = p + np.float32(1.0)
            post[b, o] = p * actor_lr
        post[b, num_actions] = critic_lr
    return post


@jit
def shifted_logits(logits: np.ndarray, temperature: np.float32) -> np.ndarray:
    """(B, A) ``z - z.max(axis=1)`` of ``z = logits / temperature``, in float32 as numpy computes it (a softmax's exponent)."""
    bodies, num_actions = logits.shape
    z = np.empty((bodies, num_actions), dtype=np.float32)
    for b in range(bodies):
        top = logits[b, 0] / temperature
        for o in range(num_actions):
            z[b, o] = logits[b, o] / temperature
            top = max(top, z[b, o])
        for o in range(num_actions):
            z[b, o] = z[b, o] - top
    return z


@jit
def sample_actions(policy: np.ndarray, u: np.ndarray) -> np.ndarray:
    """(B,) actions drawn from each row of ``policy`` by one uniform ``u`` in [0, 1) per body.

    numpy's ``cdf = cumsum(policy)``; the action is how many of the cdf's entries
    ``u x cdf[-1]`` (float64) exceeds, at most A - 1 (float32 rounding can leave the
    cdf's last entry short of the draw).
    """
    bodies, num_actions = policy.shape
    actions = np.empty(bodies, dtype=np.int64)
    cdf = np.empty(num_actions, dtype=np.float32)
    for b in range(bodies):
        total = policy[b, 0]
        cdf[0] = total
        for o in range(1, num_actions):
            total = total + policy[b, o]
            cdf[o] = total
        draw = u[b] * np.float64(total)
        chosen = 0
        for o in range(num_actions):
            chosen += draw > np.float64(cdf[o])
        actions[b] = min(chosen, num_actions - 1)
    return actions


@jit
def _mean_of_valid(values: np.ndarray, valid: np.ndarray, square: bool) -> np.float32:
    """numpy's float32 ``values[valid].mean()`` (of ``values[valid] ** 2`` if ``square``); at least one must be valid."""
    kept = np.empty(values.shape[0], dtype=np.float32)
    n = 0
    for b in range(values.shape[0]):
        if valid[b]:
            kept[n] = values[b] * values[b] if square else abs(values[b])
            n += 1
    return pairwise_sum(kept, 0, n) / np.float32(n)


@jit(simd_rows=True)
def three_factor_learn(synapses: np.ndarray, actions: int, trace_ids: np.ndarray, trace_post: np.ndarray, head: int,
                       trace_weights: np.ndarray, ids: np.ndarray, next_ids: np.ndarray, post: np.ndarray,
                       rewards: np.ndarray, terminated: np.ndarray, truncated: np.ndarray, valid: np.ndarray,
                       gamma: np.float32, delta_var: np.ndarray, gain_rate: float) -> tuple[np.ndarray, np.float32]:
    """One step of the three-factor rule, in place: push the traces, broadcast the TD error, credit, clear ended lives.

    ``synapses``: the read-out's ``synapse_rows`` (the actor's ``actions`` columns, then the critic's).

    - The traces' slot ``head`` takes this step's ``ids`` and ``post`` (zero for an
      invalid body: the reset step of autoreset is no transition, nothing to credit).
    - The dopamine-like broadcast, one per body: ``delta = r + gamma V(s') - V(s)``
      (no ``V(s')`` after a terminal step), 0 for an invalid body; the critic is read
      as ``mean_of_active``. All in float32, as the numpy rule computed it.
    - With ``gain_rate > 0`` the actor's dopamine gain adapts to the running mean
      square of the valid TD errors (``delta_var``, float64, updated in place) and
      the actor's changes are divided by its root (+1e-6).
    - ``three_factor_update`` credits every trace; a life that ended (terminated,
      truncated or invalid) then leaves no trace into the next one.

    Returns the (B,) TD errors and the mean absolute TD error of the valid bodies (0 if none).
    """
    bodies = ids.shape[0]
    outputs = post.shape[1]
    any_valid = False
    for b in range(bodies):
        trace_ids[head, b] = ids[b]
        for o in range(outputs):
            trace_post[head, b, o] = post[b, o] if valid[b] else np.float32(0.0)
        any_valid = any_valid or valid[b]
    critic = synapses[:, actions:actions + 1]
    v = mean_of_active(critic, ids)
    v_next = mean_of_active(critic, next_ids)
    delta = np.empty(bodies, dtype=np.float32)
    for b in range(bodies):
        later = np.float32(0.0) if terminated[b] else v_next[b, 0]
        d = rewards[b] + gamma * later - v[b, 0]
        delta[b] = d if valid[b] else np.float32(0.0)
    actor_gain = np.float32(1.0)
    if gain_rate > 0 and any_valid:
        # Dopamine neurons rescale their response to the recent range of reward prediction
        # errors (Tobler, Fiorillo & Schultz 2005): the actor sees TD errors in units of their
        # spread, so a body whose rewards are small steps learns its policy as fast as one with large ones.
        spread = np.float64(_mean_of_valid(delta, valid, True))
        delta_var[0] = (1 - gain_rate) * delta_var[0] + gain_rate * spread
        actor_gain = np.float32(np.sqrt(delta_var[0]) + 1e-6)
    three_factor_update(synapses, actions, trace_ids, trace_post, head, trace_weights, delta, actor_gain)
    for b in range(bodies):
        if terminated[b] or truncated[b] or not valid[b]:
            trace_post[:, b] = np.float32(0.0)
    td_error = _mean_of_valid(delta, valid, False) if any_valid else np.float32(0.0)
    return delta, td_error


__all__ = ["LANES", "SparseTraces", "credit_active", "mean_of_active", "mean_of_rows", "policy_post", "sample_actions",
           "shifted_logits", "synapse_rows", "three_factor_learn", "three_factor_update"]

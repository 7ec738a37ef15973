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

from brainlike.steering.compiled import jit


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


@jit(inline=True)
def _pairwise_block(values: np.ndarray, start: int, n: int) -> np.float32:
    """numpy's float32 sum of a run of at most 128: eight interleaved partial sums (held in registers, no array)."""
    if n < 8:
        total = np.float32(0.0)
        for i in range(start, start + n):
            total = total + values[i]
        return total
    r0, r1, r2, r3 = values[start], values[start + 1], values[start + 2], values[start + 3]
    r4, r5, r6, r7 = values[start + 4], values[start + 5], values[start + 6], values[start + 7]
    i = 8
    while i < n - n % 8:
        at = start + i
        r0, r1, r2, r3 = r0 + values[at], r1 + values[at + 1], r2 + values[at + 2], r3 + values[at + 3]
        r4, r5, r6, r7 = r4 + values[at + 4], r5 + values[at + 5], r6 + values[at + 6], r7 + values[at + 7]
        i += 8
    total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        total = total + values[start + i]
        i += 1
    return total


@jit(inline=True)
def pairwise_sum(values: np.ndarray, start: int, n: int) -> np.float32:
    """numpy's pairwise float32 sum of ``values[start:start + n]``, operation for operation.

    numpy halves a run longer than 128 (at a multiple of 8) and adds the two halves'
    sums; replaying that order gives the same last bit. The halving is walked with
    an explicit stack, not by recursion: numba's cache cannot reload a recursive
    function (numba issue 6061, a segfault on the second run).
    """
    if n <= 128:  # one block (an expansion's k usually is): no halving, no stack to allocate
        return _pairwise_block(values, start, n)
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


@jit
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
            out[b, 0] = pairwise_sum(column, 0, k)
        else:
            for o in range(outputs):
                out[b, o] = weights[ids[b, 0], o]
            for j in range(1, k):
                for o in range(outputs):
                    out[b, o] = out[b, o] + weights[ids[b, j], o]
        for o in range(outputs):
            out[b, o] = out[b, o] / np.float32(k)
    return out


@jit
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
    gained = actor_gain != np.float32(1.0)  # a division by 1 changes nothing: skipped (exactly so)
    for age in range(length):
        l = (head + age) % length
        for b in range(bodies):
            scale = trace_weights[age] * signal[b]
            for j in range(k):
                unit = ids[l, b, j]
                count = counts[unit]
                for o in range(actions):
                    change = post[l, b, o] * scale / count
                    actor[unit, o] += change / actor_gain if gained else change
                critic[unit, 0] += post[l, b, actions] * scale / count


__all__ = ["SparseTraces", "credit_active", "mean_of_active", "pairwise_sum", "three_factor_update"]

"""The expansion layer: a fixed, wide, sparse random remix of a few input lines.

Cerebellar and dentate granule cells, cortical layer 4 and the fly's Kenyon
cells turn a modest number of input lines into many sparse, locally random
combinations, so that similar inputs become distinct patterns (pattern
separation). Nothing here learns; the read-out after it does
(``agents/three_factor.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from brainlike.agents.base import Agent


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
        self._recent: list[tuple[np.ndarray, np.ndarray]] = []  # the last two (input, code) pairs

    def drive(self, x: np.ndarray) -> np.ndarray:
        """(B, num_units) summed input of every unit, before inhibition."""
        return x @ self._dense + self.thresholds

    def encode(self, x: np.ndarray) -> np.ndarray:
        """(B, k) ids of the winning (active) units for each row of ``x`` (read-only: it may be shared).

        The last two codes are remembered: a training step encodes each observation
        two or three times (to act on it, then as the next observation, then as the
        observation learned from), and the code is most of a learner's step.
        """
        for seen, ids in self._recent:
            if seen.shape == x.shape and np.array_equal(seen, x):
                return ids
        h = self.drive(x)
        if self.k == self.num_units:
            ids = np.broadcast_to(np.arange(self.num_units), h.shape).copy()
        else:
            ids = np.argpartition(h, self.num_units - self.k, axis=1)[:, self.num_units - self.k :]
        ids.flags.writeable = False
        self._recent = [(x.copy(), ids), *self._recent[:1]]
        return ids

    def dense_code(self, x: np.ndarray) -> np.ndarray:
        """(B, num_units) binary activity: 1 for the active units."""
        ids = self.encode(x)
        out = np.zeros((x.shape[0], self.num_units), dtype=np.float32)
        np.put_along_axis(out, ids, 1.0, axis=1)
        return out


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


__all__ = ["KenyonExpansion", "expansion_input"]

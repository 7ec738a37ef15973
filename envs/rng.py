"""Per-body random streams drawn for a whole batch in one numpy call.

A body's random numbers are a hash of a 64-bit key (drawn from the env's
``np_random`` at reset) and a per-body call counter, so body i's stream does not
depend on how many other bodies share the batch: body i of a vector env seeded
``s`` draws exactly what a single env seeded ``s + i`` draws.
"""

from __future__ import annotations

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_KEY_HIGH = 2**63


def _splitmix(x: np.ndarray) -> np.ndarray:
    x = (x ^ (x >> np.uint64(30))) * _MIX1
    x = (x ^ (x >> np.uint64(27))) * _MIX2
    return x ^ (x >> np.uint64(31))


class CounterRNG:
    """Per-body random streams drawn for a whole batch at once.

    Every call to ``uniform(k)`` advances every body's counter by one, so a
    body's numbers depend only on its key and on how many calls came before.
    That is why only ``Body``'s core draws, unconditionally, at each step and
    each birth, and hands the numbers to the body: a body that drew "only if
    some body needs it" would make one body's stream depend on the others.
    """

    def __init__(self, num_bodies: int) -> None:
        self.key = np.zeros(num_bodies, dtype=np.uint64)
        self.counter = np.zeros(num_bodies, dtype=np.uint64)

    def seed(self, mask: np.ndarray, keys: np.ndarray) -> None:
        self.key[mask] = keys
        self.counter[mask] = 0

    def uniform(self, k: int, rows: np.ndarray | None = None) -> np.ndarray:
        """(bodies, k) floats in [0, 1); with ``rows`` (indices), only those bodies draw."""
        key, counter = (self.key, self.counter) if rows is None else (self.key[rows], self.counter[rows])
        base = key + (counter << np.uint64(6)) * _GOLDEN
        x = base[:, None] + self._steps(k)
        if rows is None:
            self.counter += np.uint64(1)
        else:
            self.counter[rows] += np.uint64(1)
        return (_splitmix(x) >> np.uint64(11)).astype(np.float64) * (1.0 / 2**53)

    @staticmethod
    def _steps(k: int) -> np.ndarray:
        steps = _STEPS.get(k)
        if steps is None:
            steps = _STEPS[k] = np.arange(1, k + 1, dtype=np.uint64) * _GOLDEN
        return steps


_STEPS: dict[int, np.ndarray] = {}


def draw_keys(rng: np.random.Generator, n: int = 1) -> np.ndarray:
    """Fresh life keys from a seeded generator (at ``reset(seed=...)``)."""
    return rng.integers(0, _KEY_HIGH, size=n, dtype=np.uint64)


def next_keys(keys: np.ndarray) -> np.ndarray:
    """The key of each body's next life, derived from its current one.

    Resets without a seed continue the stream this way, in one numpy call for
    any number of bodies; a single env does the same, so the two stay equal.
    """
    return _splitmix(keys ^ _NEXT_LIFE)


_NEXT_LIFE = np.uint64(0xD1B54A32D192ED03)

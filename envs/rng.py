"""Per-body random streams: a counter hash, compiled once, drawn by the core for every body.

A body's random numbers are a hash of a 64-bit key (drawn from the env's
``np_random`` at reset) and a per-body call counter, so body i's stream does not
depend on how many other bodies share the batch: body i of a vector env seeded
``s`` draws exactly what a single env seeded ``s + i`` draws.

The hash is written once, as compiled scalar functions (``uniform_row``,
``splitmix``): a compiled step kernel calls them for its body, and
``CounterRNG`` calls them over a batch.
"""

from __future__ import annotations

import numpy as np

from brainlike.steering.compiled import jit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_NEXT_LIFE = np.uint64(0xD1B54A32D192ED03)
_KEY_HIGH = 2**63
_NO_KEYS = np.empty(0, dtype=np.uint64)
#: The columns of ``CounterRNG.streams``: a body's key and its call counter.
KEY, COUNTER = 0, 1


@jit
def splitmix(x: np.uint64) -> np.uint64:
    """SplitMix64's finaliser: a 64-bit hash, wrapping arithmetic."""
    x = (x ^ (x >> np.uint64(30))) * _MIX1
    x = (x ^ (x >> np.uint64(27))) * _MIX2
    return x ^ (x >> np.uint64(31))


@jit
def next_draw(streams: np.ndarray, b: int) -> np.uint64:
    """Body ``b``'s next draw (call), as the base its uniforms hash from; its counter advances by one.

    The draw's j-th uniform (``uniform_of(draw, j)``) is a hash of the draw and j alone, so a
    kernel may compute only the uniforms a step uses, when it uses them: the ones it skips
    change nothing that comes after (the next draw is the counter's next value either way).
    """
    draw = streams[b, KEY] + (streams[b, COUNTER] << np.uint64(6)) * _GOLDEN
    streams[b, COUNTER] += np.uint64(1)
    return draw


@jit
def uniform_of(draw: np.uint64, j: int) -> float:
    """The ``j``-th uniform in [0, 1) of ``draw`` (see ``next_draw``)."""
    return np.float64(splitmix(draw + np.uint64(j + 1) * _GOLDEN) >> np.uint64(11)) * (1.0 / 2**53)


@jit
def uniform_row(streams: np.ndarray, b: int, out: np.ndarray) -> None:
    """Body ``b``'s next ``len(out)`` uniforms in [0, 1) into ``out``; its counter advances by one."""
    draw = next_draw(streams, b)
    for j in range(out.shape[0]):
        out[j] = uniform_of(draw, j)


@jit
def gaussian_pair(u1, u2):  # type: ignore[no-untyped-def]
    """Two independent standard normal numbers from two uniforms in [0, 1) (Box-Muller).

    ``log(1 - u1)``, not ``log1p(-u1)``: the counter RNG's uniforms are multiples of 2**-53, so
    ``1 - u1`` is exact and nothing cancels, and libm's ``log`` costs half its ``log1p``. The
    normals differ from log1p's in the last bit or two on a few percent of uniforms
    (tests/test_owl.py measures it). Both normals of a pair are used: the noise of the owl's two
    sound cues (ITD, ILD) or of its two turn axes, or of two of the songbird's muscles.

    The angle 2 pi u2 is taken as a quarter turn times the quadrant (``quadrant``, exact) plus an
    angle within an eighth of a turn of it, whose cosine and sine libm computes without its own
    argument reduction (a fifth of the pair's cost). The quarter turns are exact swaps and signs.
    """
    r = np.sqrt(-2.0 * np.log(1.0 - u1))
    quarters = 4.0 * u2  # exact: u2 is a multiple of 2**-53
    quadrant = np.floor(quarters + 0.5)
    angle = (0.5 * np.pi) * (quarters - quadrant)  # in [-pi/4, pi/4]; the difference is exact
    cosine, sine = np.cos(angle), np.sin(angle)
    turns = int(quadrant)
    if turns & 1:
        cosine, sine = -sine, cosine
    if turns & 2:
        cosine, sine = -cosine, -sine
    return r * cosine, r * sine


@jit
def _uniform_rows(streams: np.ndarray, rows: np.ndarray, out: np.ndarray) -> None:
    for i in range(rows.shape[0]):
        uniform_row(streams, rows[i], out[i])


@jit
def next_key(key: np.uint64) -> np.uint64:
    """The key of a body's next life, derived from its current one."""
    return splitmix(key ^ _NEXT_LIFE)


@jit
def _next_keys(keys: np.ndarray, out: np.ndarray) -> None:
    for i in range(keys.shape[0]):
        out[i] = next_key(keys[i])


@jit
def _new_lives(streams: np.ndarray, rows: np.ndarray, keys: np.ndarray, out: np.ndarray) -> None:
    """Bodies ``rows`` start new streams: ``keys[i]`` (or, with no keys, their next life's key), counters
    at 0; then, if ``out`` has columns, each draws its birth uniforms into its row of ``out``."""
    for i in range(rows.shape[0]):
        b = rows[i]
        streams[b, KEY] = keys[i] if keys.shape[0] > 0 else next_key(streams[b, KEY])
        streams[b, COUNTER] = 0
        if out.shape[1] > 0:
            uniform_row(streams, b, out[i])


class CounterRNG:
    """Per-body random streams drawn for a whole batch at once.

    Every call to ``uniform(k)`` advances every body's counter by one, so a
    body's numbers depend only on its key and on how many calls came before.
    That is why only ``Body``'s core draws, unconditionally, at each step and
    each birth, and hands the numbers to the body: a body that drew "only if
    some body needs it" would make one body's stream depend on the others.

    ``streams`` is one (bodies, 2) uint64 array, key then counter, so a
    compiled kernel receives a body's whole stream as one argument.
    """

    def __init__(self, num_bodies: int) -> None:
        self.streams = np.zeros((num_bodies, 2), dtype=np.uint64)
        self._all = np.arange(num_bodies, dtype=np.int64)

    @property
    def key(self) -> np.ndarray:
        return self.streams[:, KEY]

    @property
    def counter(self) -> np.ndarray:
        return self.streams[:, COUNTER]

    def seed(self, mask: np.ndarray, keys: np.ndarray) -> None:
        """New keys, counters at 0, for the bodies ``mask`` selects (a bool mask or row indices)."""
        self.streams[mask, KEY] = keys
        self.streams[mask, COUNTER] = 0

    def new_lives(self, rows: np.ndarray, keys: np.ndarray | None, k: int) -> np.ndarray:
        """New lives for the bodies ``rows`` (int64 indices), in one compiled call: ``seed`` with
        ``keys`` (None: each body's next key, ``next_keys``), then, if ``k`` > 0, their ``uniform(k)``
        (a body draws nothing when ``k`` is 0). Returns the (len(rows), k) uniforms."""
        given = _NO_KEYS if keys is None else np.ascontiguousarray(keys, dtype=np.uint64)
        if keys is not None and given.shape != rows.shape:
            raise ValueError(f"expected {rows.shape[0]} keys, one per body reset, got {given.shape}")
        out = np.empty((rows.shape[0], k), dtype=np.float64)
        _new_lives(self.streams, rows, given, out)
        return out

    def uniform(self, k: int, rows: np.ndarray | None = None) -> np.ndarray:
        """(bodies, k) floats in [0, 1); with ``rows`` (indices), only those bodies draw."""
        rows = self._all if rows is None else np.asarray(rows, dtype=np.int64)
        out = np.empty((rows.shape[0], k), dtype=np.float64)
        _uniform_rows(self.streams, rows, out)
        return out


def draw_keys(rng: np.random.Generator, n: int = 1) -> np.ndarray:
    """Fresh life keys from a seeded generator (at ``reset(seed=...)``)."""
    return rng.integers(0, _KEY_HIGH, size=n, dtype=np.uint64)


def next_keys(keys: np.ndarray) -> np.ndarray:
    """The key of each body's next life, derived from its current one.

    Resets without a seed continue the stream this way, for any number of
    bodies; a single env does the same, so the two stay equal.
    """
    keys = np.ascontiguousarray(keys, dtype=np.uint64)
    out = np.empty_like(keys)
    _next_keys(keys, out)
    return out

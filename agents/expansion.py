"""The expansion layer: a fixed, wide, sparse random remix of a few input lines.

Cerebellar and dentate granule cells, cortical layer 4 and the fly's Kenyon
cells turn a modest number of input lines into many sparse, locally random
combinations, so that similar inputs become distinct patterns (pattern
separation). Nothing here learns; the read-out after it does
(``agents/three_factor.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from brainlike.agents.base import Agent
from brainlike.steering.compiled import jit


#: Bins of the histogram that narrows the search for the k-th largest drive.
_BINS = 128

#: About how many units' drives set the bar for the candidates of the k-th largest.
_SAMPLE = 128

#: Bodies whose drives are summed together, connection by connection.
_CHUNK = 32

#: Summing drives for a chunk of bodies together is worth it when it does at most this
#: many times the multiply-adds of summing each body's nonzero lines alone (measured on
#: the bodies' own inputs: the vectorised loop does about three per scalar one).
_VECTOR_SPEEDUP = 3

#: Fewer bodies than this are summed body by body whatever their lines: the vectorised loop's set-up,
#: paid once per connection, outweighs its few lanes (measured: 1 body alone about 2x faster, 8 about even).
_TOGETHER_AT_LEAST = 8


@jit
def _kth_largest(values: np.ndarray, k: int, bins: np.ndarray, scratch: np.ndarray, counts: np.ndarray) -> np.float32:
    """The ``k``-th largest of ``values`` (1-based); ``bins`` and ``scratch`` are work space of the same length,
    ``counts`` of ``_BINS``.

    A histogram over [min, max] finds the bin holding it (a monotone binning: every
    value in a higher bin is larger), then a quickselect among that bin's few values
    finds it. The value is the same whatever the search, so only speed depends on
    this; it is several times faster than a quickselect over all the values.
    """
    n = values.shape[0]
    lo, hi = values[0], values[0]
    for u in range(n):
        lo = min(lo, values[u])
        hi = max(hi, values[u])
    if lo == hi:
        return lo
    scale = _BINS / (np.float64(hi) - np.float64(lo))  # float64: no overflow for the tiniest spread
    counts[:] = 0
    for u in range(n):
        bin_ = min(int((np.float64(values[u]) - np.float64(lo)) * scale), _BINS - 1)
        bins[u] = bin_
        counts[bin_] += 1
    above, top = 0, _BINS - 1
    while above + counts[top] < k:
        above += counts[top]
        top -= 1
    m = 0
    for u in range(n):
        if bins[u] == top:
            scratch[m] = values[u]
            m += 1
    # Quickselect (Hoare partitioning around a median of three) among the m candidates.
    lo_, hi_, target = 0, m - 1, k - above - 1  # ``target``: the position in descending order
    while lo_ < hi_:
        a, b, c = scratch[lo_], scratch[(lo_ + hi_) // 2], scratch[hi_]
        pivot = max(min(a, b), min(max(a, b), c))
        i, j = lo_, hi_
        while i <= j:
            while scratch[i] > pivot:
                i += 1
            while scratch[j] < pivot:
                j -= 1
            if i <= j:
                scratch[i], scratch[j] = scratch[j], scratch[i]
                i += 1
                j -= 1
        if target <= j:
            hi_ = j
        elif target >= i:
            lo_ = i
        else:  # between the two halves: equal to the pivot
            return scratch[target]
    return scratch[target]


@jit
def kenyon_code(x: np.ndarray, line_start: np.ndarray, line_units: np.ndarray, line_weights: np.ndarray,
                thresholds: np.ndarray, k: int) -> np.ndarray:
    """(B, k) ids of the ``k`` most driven units for each row of ``x``, ascending.

    The expansion is given by input line (``line_units[line_start[i]:line_start[i + 1]]``
    read line ``i`` with ``line_weights``), so a row costs its nonzero lines' fan-out,
    not the dense (D x units) product: sensory codes here are mostly zeros.

    The order is part of the contract, so that the code is one exact function of the
    input on every machine (a BLAS matmul's summation order and a selection
    algorithm's order of ids are not):

    - a unit's drive is ``(((0 + x[i0] w0) + x[i1] w1) + ...) + threshold`` with its
      inputs in ascending line order, every operation in float32 (the weights' dtype;
      float64 would make the ranking no more exact, only slower). A zero line may be
      skipped or not: adding its product (+0 or -0, the weights being finite) to a
      float32 sum that starts at +0 never changes it;
    - the winners are the ``k`` largest drives; among equal drives at the boundary,
      the lower unit id wins;
    - the ids come out sorted ascending.

    How the drives are summed and the winners found changes only the speed. Bodies
    go in chunks; a chunk of several bodies whose lines are mostly nonzero is summed
    for all its bodies at once, one connection at a time (the inner loop over bodies
    is vectorised), a sparse one body by body over its nonzero lines only.
    Then the drives of an evenly spaced sample of units set a bar that, very likely,
    a few times ``k`` units clear; the k-th largest is searched among those
    candidates only (all units if fewer than ``k`` clear it), and so are the winners.
    The candidates and the winners are listed without branches (each id written
    always, kept by a count): which units clear a bar is as unpredictable as the
    drives, and a mispredicted branch costs more than the write.
    """
    bodies, lines = x.shape
    units = thresholds.shape[0]
    ids = np.empty((bodies, k), dtype=np.int64)
    chunk = max(1, min(_CHUNK, bodies))
    drives = np.empty((chunk, units), dtype=np.float32)  # with the thresholds
    together = np.empty((units, chunk), dtype=np.float32)
    line_x = np.empty((lines, chunk), dtype=np.float32)
    line_nonzero = np.empty(lines, dtype=np.bool_)  # nonzero in some body of the chunk
    scratch = np.empty(units, dtype=np.float32)
    bins = np.empty(units, dtype=np.int64)
    counts = np.empty(_BINS, dtype=np.int64)
    candidates = np.empty(units, dtype=np.float32)
    candidate_units = np.empty(units, dtype=np.int64)
    clears = np.empty(units, dtype=np.uint8)  # whether each unit's drive clears the bar
    winners = np.empty(units + 1, dtype=np.int64)
    stride = max(1, units // _SAMPLE)
    samples = (units + stride - 1) // stride
    # The sample's rank whose bar about 2k + 4 units clear on average (at least k, with a wide margin).
    rank = min(samples, (2 * k * samples) // units + 4)
    sample = np.empty(samples, dtype=np.float32)
    for b0 in range(0, bodies, chunk):
        n = min(chunk, bodies - b0)
        # The chunk's lines by body, and the work of each way: body by body, every nonzero
        # (body, line)'s fan-out; together, every line nonzero in some body, for all n bodies.
        alone, dense = 0, 0
        for i in range(lines):
            nonzero = 0
            for c in range(n):
                v = x[b0 + c, i]
                line_x[i, c] = v
                nonzero += v != 0.0
            line_nonzero[i] = nonzero > 0
            fan = line_start[i + 1] - line_start[i]
            alone += nonzero * fan
            dense += fan if nonzero > 0 else 0
        if n >= _TOGETHER_AT_LEAST and dense * n < _VECTOR_SPEEDUP * alone:  # together: one connection for all n bodies
            together[:, :n] = 0.0
            for i in range(lines):
                if line_nonzero[i]:
                    xi = line_x[i]
                    for e in range(line_start[i], line_start[i + 1]):
                        du = together[line_units[e]]
                        w = line_weights[e]
                        for c in range(n):
                            du[c] = du[c] + xi[c] * w
            for u in range(units):
                t = thresholds[u]
                for c in range(n):
                    drives[c, u] = together[u, c] + t
        else:  # alone: each body's nonzero lines
            for c in range(n):
                drive = drives[c]
                drive[:] = 0.0
                for i in range(lines):
                    xi = line_x[i, c]
                    if xi != 0.0:
                        for e in range(line_start[i], line_start[i + 1]):
                            u = line_units[e]
                            drive[u] = drive[u] + xi * line_weights[e]
                for u in range(units):
                    drive[u] = drive[u] + thresholds[u]
        for c in range(n):
            drive = drives[c]
            for s in range(samples):
                sample[s] = drive[s * stride]
            bar = _kth_largest(sample, rank, bins, scratch, counts)
            for u in range(units):  # one vectorised pass of comparisons first
                clears[u] = drive[u] >= bar
            m = np.uint64(0)  # unsigned: numba then leaves out a negative index's wraparound
            for u in range(np.uint64(units)):  # the candidates' ids, ascending (written always, kept when they clear the bar)
                candidate_units[m] = u
                m += np.uint64(clears[u])
            m = np.int64(m)
            if m < k:  # an unlucky sample: every unit is a candidate
                for u in range(units):
                    candidate_units[u] = u
                m = units
            for q in range(m):
                candidates[q] = drive[candidate_units[q]]
            # Every unit above the k-th largest drive wins, then the lowest ids equal to it.
            kth = _kth_largest(candidates[:m], k, bins, scratch, counts)
            above = 0
            for q in range(m):
                above += candidates[q] > kth
            ties = k - above
            won = 0
            for q in range(m):
                d = candidates[q]
                tie = d == kth
                wins = (d > kth) | (tie & (ties > 0))
                ties -= tie & wins
                winners[won] = candidate_units[q]  # written always, kept when it wins
                won += wins
            for j in range(k):
                ids[b0 + c, j] = winners[j]
    return ids


#: At most this many bytes of remembered codes per expansion (each entry: an input row and its ids).
_REMEMBERED_BYTES = 8 * 2**20

#: Slots of remembered codes per body of the first batch an expansion codes (a 64-body batch: 8,192).
_REMEMBERED_PER_BODY = 128

#: The table is judged once this many times its slots in rows have been offered to it; if fewer than
#: ``_REMEMBERED_WORTH_IT`` of them were found there, it is no longer consulted: storing every row costs
#: more than the few codes it saves (the resident's continuous senses: about 3 rows in 100 found; the mouse's 7 in 10).
_REMEMBERED_JUDGED_AFTER = 4
_REMEMBERED_WORTH_IT = 1 / 8


@jit
def remembered_code(x: np.ndarray, bits: np.ndarray, keys: np.ndarray, codes: np.ndarray, filled: np.ndarray,
                    line_start: np.ndarray, line_units: np.ndarray, line_weights: np.ndarray, thresholds: np.ndarray,
                    k: int) -> tuple[np.ndarray, int]:
    """``kenyon_code(x, ...)``, taking each row's ids from a table of rows already coded when it is there;
    and how many rows were found there.

    ``bits``: ``x`` viewed as uint32 (a row is looked up by its exact bits, so +0.0 and
    -0.0 are two rows, each with its own, correct, code). The table (``keys`` (S, D)
    uint32, ``codes`` (S, k) int32, ``filled`` (S,), S a power of two) holds one row per
    slot, chosen by a hash of its bits; a new row takes its slot over. A body sees the
    same few situations again and again (once warm, seven in ten of the mouse's
    rows had been coded before), and looking one up costs a small part of coding it. Only the
    missing rows are coded, together; a row's code depends on that row alone, so the
    ids are the same whatever the table holds.
    """
    bodies, lines = x.shape
    mask = keys.shape[0] - 1
    ids = np.empty((bodies, k), dtype=np.int64)
    slots = np.empty(bodies, dtype=np.int64)
    missing = np.empty(bodies, dtype=np.int64)
    m = 0
    for b in range(bodies):
        h = np.uint64(14695981039346656037)  # FNV-1a over the row's 32-bit words
        for i in range(lines):
            h = (h ^ np.uint64(bits[b, i])) * np.uint64(1099511628211)
        slot = np.int64((h ^ (h >> np.uint64(32))) & np.uint64(mask))
        slots[b] = slot
        found = filled[slot]
        if found:
            for i in range(lines):
                if keys[slot, i] != bits[b, i]:
                    found = False
                    break
        if found:
            for j in range(k):
                ids[b, j] = codes[slot, j]
        else:
            missing[m] = b
            m += 1
    if m > 0:
        rows = np.empty((m, lines), dtype=np.float32)
        for q in range(m):
            rows[q] = x[missing[q]]
        coded = kenyon_code(rows, line_start, line_units, line_weights, thresholds, k)
        for q in range(m):
            b, slot = missing[q], slots[missing[q]]
            for j in range(k):
                ids[b, j] = coded[q, j]
                codes[slot, j] = coded[q, j]
            keys[slot] = bits[b]
            filled[slot] = True
    return ids, bodies - m


class KenyonExpansion:
    """A fixed, wide, sparse, locally random expansion with k-winners-take-all.

    Each of ``num_units`` units (Kenyon cells; equally cerebellar or dentate
    granule cells) samples ``fan_in`` random input lines with random
    excitatory weights. A global inhibition (the fly's APL neuron) lets only
    the ``k = active_fraction * num_units`` most driven units fire. A tiny
    fixed random threshold per unit makes exact ties rare, and the remaining
    ones go to the lower unit id (``kenyon_code``), so the code is a
    deterministic function of the input. Nothing here learns: the weights are
    drawn once at birth from the agent's RNG and never change. Its job is to
    make similar inputs *less* similar (pattern separation), so that one linear
    layer after it can tell situations apart that overlap heavily in the raw senses.

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
        """Take up the fixed arrays as they are now (after a load): the compiled call's dtypes, no stale codes."""
        weights = np.ascontiguousarray(self.weights, dtype=np.float32)
        if not np.all(np.isfinite(weights)):
            # kenyon_code may add a zero line's product or skip it: the same only for finite weights.
            raise ValueError(f"the expansion's weights must be finite float32s, got {weights[~np.isfinite(weights)][:5]} among them")
        self.inputs = np.ascontiguousarray(self.inputs, dtype=np.int32)
        self.weights = weights
        self.thresholds = np.ascontiguousarray(self.thresholds, dtype=np.float32)
        # The same connections listed by input line (``kenyon_code`` walks only the nonzero lines);
        # within a line in unit order, a unit's repeated line (never drawn, but loadable) in fan-in order.
        order = np.argsort(self.inputs.ravel(), kind="stable")
        self._line_units = (order // self.fan_in).astype(np.int32)
        self._line_weights = self.weights.ravel()[order]
        self._line_start = np.searchsorted(self.inputs.ravel()[order], np.arange(self.input_dim + 1)).astype(np.int64)
        # Rows already coded (``remembered_code``): made at the first encode, forgotten with the arrays they were coded by.
        self._remembered: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        # Rows offered to the table and found there, until it is judged (None: judged, not worth consulting).
        self._remembered_use: list[int] | None = [0, 0]

    def _remembered_table(self, bodies: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The table of ``remembered_code``, made at the first call: ``_REMEMBERED_PER_BODY`` slots per body of
        that batch (a power of two), no more than fit in ``_REMEMBERED_BYTES`` (an experiment may give each of
        many animals a brain of its own, coding one row at a time)."""
        if self._remembered is None:
            per_row = 4 * (self.input_dim + self.k)
            fit = 1 << max(0, int(_REMEMBERED_BYTES // per_row).bit_length() - 1)
            slots = min(fit, 1 << (_REMEMBERED_PER_BODY * max(1, bodies) - 1).bit_length())
            self._remembered = (np.zeros((slots, self.input_dim), dtype=np.uint32),
                                np.zeros((slots, self.k), dtype=np.int32), np.zeros(slots, dtype=np.bool_))
        return self._remembered

    def encode(self, x: np.ndarray) -> np.ndarray:
        """(B, k) ids of the winning (active) units for each row of ``x``, ascending (read-only: it may be shared).

        (An agent codes each observation once: ``KenyonReader.encode`` remembers the last two;
        and each row once while the table of ``remembered_code`` keeps it.)
        """
        x = np.asarray(x)
        if x.ndim != 2 or x.shape[1] != self.input_dim:
            raise ValueError(f"the expansion reads (B, {self.input_dim}) input lines, got shape {x.shape}")
        x = np.ascontiguousarray(x, dtype=np.float32)
        use = self._remembered_use
        if use is None:
            ids = kenyon_code(x, self._line_start, self._line_units, self._line_weights, self.thresholds, self.k)
        else:
            table = self._remembered_table(x.shape[0])
            ids, found = remembered_code(x, x.view(np.uint32), *table, self._line_start, self._line_units,
                                         self._line_weights, self.thresholds, self.k)
            use[0] += x.shape[0]
            use[1] += found
            if use[0] >= _REMEMBERED_JUDGED_AFTER * len(table[2]) and use[1] < _REMEMBERED_WORTH_IT * use[0]:
                self._remembered_use = None
        ids.flags.writeable = False
        return ids

    def dense_code(self, x: np.ndarray) -> np.ndarray:
        """(B, num_units) binary activity: 1 for the active units."""
        ids = self.encode(x)
        out = np.zeros((x.shape[0], self.num_units), dtype=np.float32)
        np.put_along_axis(out, ids, 1.0, axis=1)
        return out


@jit
def population_lines(x: np.ndarray, bins: np.ndarray, gain: np.float32, lines: int) -> np.ndarray:
    """(B, lines) input lines from (B, D) scaled features: column ``c`` passes through when ``bins[c] == 0``,
    else becomes ``bins[c]`` lines, one of them ``gain`` (the bin ``min(int(clip(x, 0, 1) * bins), bins - 1)``,
    in float32 as numpy computes it), the others 0.
    """
    bodies, columns = x.shape
    out = np.zeros((bodies, lines), dtype=np.float32)
    for b in range(bodies):
        line = 0
        for c in range(columns):
            n = bins[c]
            if n == 0:
                out[b, line] = x[b, c]
                line += 1
            else:
                level = int(min(max(x[b, c], np.float32(0.0)), np.float32(1.0)) * np.float32(n))
                out[b, line + min(level, n - 1)] = gain
                line += n
    return out


def population_bins(agent: Agent, inputs: tuple[str, ...] | None, population_code: dict[str, int]) -> np.ndarray:
    """(D,) for each feature column the expansion reads, its number of population-code bins (0: passes through)."""
    return np.asarray([population_code.get("observation" if key is None else key, 0)
                       for key, dim, *_ in agent._channels if inputs is None or key in inputs for _ in range(dim)], dtype=np.int64)


def expansion_input(agent: Agent, obs: Any, inputs: tuple[str, ...] | None, population_code: dict[str, int], gain: float,
                    bins: np.ndarray | None = None) -> np.ndarray:
    """(B, D) input lines of an expansion: the chosen channels scaled to [0, 1].

    Channels named in ``population_code`` are first turned into a one-hot code
    of that many bins per value, with weight ``gain`` (a scalar such as energy
    becomes a few labelled lines, as interoceptive neurons tile a range, so the
    expansion forms conjunctions of "what I see" with "how hungry I am").
    ``bins``: ``population_bins(agent, inputs, population_code)``, if the caller keeps it.
    """
    x = agent.features(obs, keys=inputs)
    if not population_code:
        return x
    if bins is None:
        bins = population_bins(agent, inputs, population_code)
    return population_lines(x, bins, np.float32(gain), int(np.maximum(bins, 1).sum()))


def _expansion_array(name: str) -> property:
    """The agent's ``expansion.<name>`` (a fixed array), readable and replaceable (by a load) through the agent."""
    return property(lambda self: getattr(self.expansion, name), lambda self, v: setattr(self.expansion, name, v))


class KenyonReader:
    """What an agent that reads its observations through a ``KenyonExpansion`` shares (a mixin of ``Agent``).

    The agent sets ``expansion``, ``inputs``, ``population_code`` and
    ``config["population_gain"]``. A training step meets each observation three
    times (acted on, then learned from as the next observation, then as the
    observation), and coding it is most of a learner's step: ``encode`` codes each
    observation once, remembering the last two codes by the content of the channels
    the expansion reads (not by the object, so an observation changed in place is
    coded again).
    """

    expansion: KenyonExpansion
    inputs: tuple[str, ...] | None
    population_code: dict[str, int]
    config: dict[str, Any]
    _channels: list[tuple[str | None, int, np.ndarray, np.ndarray]]

    def expansion_input(self, obs: Any) -> np.ndarray:
        """(B, D) input lines of the expansion (see ``expansion_input``)."""
        assert isinstance(self, Agent)
        # The bins per column, worked out once per reading (inputs, population code, channels).
        reading = (self.inputs, tuple(self.population_code.items()))
        kept = getattr(self, "_population_bins", None)
        if kept is None or kept[0] != reading or kept[1] is not self._channels:
            kept = self._population_bins = (reading, self._channels, population_bins(self, self.inputs, self.population_code))
        return expansion_input(self, obs, self.inputs, self.population_code, self.config["population_gain"], kept[2])

    def _observation_key(self, obs: Any) -> tuple[Any, ...] | None:
        """The bytes of the channels the expansion reads (None when ``obs`` lacks one: ``features`` says what is wrong)."""
        key: list[Any] = []
        for name, *_ in self._channels:
            if self.inputs is not None and name not in self.inputs:
                continue
            if name is None:
                value = obs
            elif isinstance(obs, Mapping) and name in obs:
                value = obs[name]
            else:
                return None
            value = np.asarray(value)
            key += (value.dtype.str, value.shape, value.tobytes())
        return tuple(key)

    def encode(self, obs: Any) -> np.ndarray:
        """(B, k) active unit ids of a batch of observations (read-only: it may be shared)."""
        key = self._observation_key(obs)
        recent = getattr(self, "_codes", [])
        for seen, expansion, ids in recent:
            # The expansion too: an experiment may swap it for another (agents/experiments/rat.py).
            if seen == key and expansion is self.expansion:
                return ids
        ids = self.expansion.encode(self.expansion_input(obs))
        if key is not None:
            self._codes = [(key, self.expansion, ids), *recent[:1]]
        return ids

    def forget_codes(self) -> None:
        """Drop the remembered codes (the expansion's arrays were replaced, e.g. by a load)."""
        self._codes: list[tuple[tuple[Any, ...], Any, np.ndarray]] = []

    # The expansion's fixed arrays, saved under these names.
    kc_inputs = _expansion_array("inputs")
    kc_weights = _expansion_array("weights")
    kc_thresholds = _expansion_array("thresholds")

    def _after_load(self) -> None:
        self.expansion.rebuild()
        self.forget_codes()


__all__ = ["KenyonExpansion", "KenyonReader", "expansion_input", "kenyon_code", "population_bins", "population_lines",
           "remembered_code"]

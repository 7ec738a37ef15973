"""The cerebellum: a fixed random granule layer with temporal variety, Purkinje cells taught by climbing fibres.

The granule layer is innate architecture (wide, sparse, random, never
learned); timing is not learned either: it comes from granule cells whose
fixed random time constants make them respond at different delays after a
tone starts (Medina et al. 2000). The one learned layer is the parallel-fibre
-> Purkinje synapse, taught by the climbing fibre: depressed where granule
activity precedes an error, slightly potentiated otherwise (Ito 2001). A
Purkinje pause disinhibits the deep (interpositus) nucleus, which drives the
eyelid. Papers: Marr 1969; Albus 1971; Ito 2001; Medina, Garcia, Nores,
Taylor & Mauk 2000; Suvrathan, Payne & Raymond 2016 (the plasticity's timing
rule matches the delay of the circuit's output).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from gymnasium import spaces

from brainlike.agents.base import Agent
from brainlike.envs.contract import check_arguments
from brainlike.steering.compiled import jit, pairwise_sum
from brainlike.steering.eyelid import CLIMBING_FIBRE, STEP_MS

#: Lesion switches of the cerebellar cortex: intact; its parallel-fibre synapses frozen;
#: built without the granule basis (at birth); removed (after training: the Purkinje
#: cells no longer reach the nucleus, which keeps its own mossy-fibre synapses).
CORTEX_STATES = ("intact", "no-plasticity", "no-granule-basis", "removed")
#: The parallel-fibre weight's range: 1 is the balance point (spontaneous Purkinje
#: firing), 0 a full pause. Weights above 1 (a Purkinje cell driven above its
#: spontaneous rate, masking the nucleus) would let extinction push every synapse
#: there, after which reacquisition fails (measured with a range up to 2: 0% CRs in
#: the 2 reacquisition sessions after 5 of extinction), so the range stays [0, 1].
PF_RANGE = (0.0, 1.0)
#: The nucleus plasticity rate (mossy-fibre -> nucleus synapses), the agent's default.
NUCLEUS_PLASTICITY = 0.002
#: Stages of each granule cell's low-pass cascade: its response to a step in its
#: mossy input is the difference of the last two stages, a bump whose width is a
#: fixed fraction of its delay (a cell tuned to 500 ms is broader than one tuned to 100 ms).
CASCADE = 4


class GranuleBasis:
    """Mossy fibres -> granule cells with fixed random inputs, time constants and thresholds.

    Each cell sums ``fan_in`` random input lines (mossy fibres) with random
    weights, passes the sum through its own cascade of ``CASCADE`` leaky
    integrators (one time constant, drawn so that the cell's peak response to
    a step comes log-uniformly between ``peak_ms``), takes the difference of the
    last two stages (a transient bump after any onset), normalises its peak to
    1 and fires above its own threshold (Golgi-cell inhibition keeps the code
    sparse). Nothing here learns. Its state is per body and transient.
    """

    def __init__(self, input_dim: int, num_cells: int, fan_in: int, peak_ms: tuple[float, float],
                 threshold: tuple[float, float], rng: np.random.Generator, relay: bool = False) -> None:
        self.relay = bool(relay)
        if self.relay:
            # No expansion and no temporal variety: each mossy fibre passes as it is.
            self.weights = np.eye(input_dim, dtype=np.float32)
            self.rate = np.zeros(input_dim, dtype=np.float32)
            self.threshold = np.zeros(input_dim, dtype=np.float32)
            self.gain = np.ones(input_dim, dtype=np.float32)
            return
        if num_cells < 1 or not 1 <= fan_in <= input_dim:
            raise ValueError(f"need num_cells >= 1 and 1 <= fan_in <= {input_dim} input lines, got {num_cells}, {fan_in}")
        lo, hi = peak_ms
        if not STEP_MS <= lo <= hi:
            raise ValueError(f"peak_ms={peak_ms!r} is invalid: expected (shortest, longest) with shortest >= {STEP_MS} ms")
        if not 0 <= threshold[0] <= threshold[1] < 1:
            raise ValueError(f"threshold={threshold!r} is invalid: expected (low, high) fractions of the peak in [0, 1)")
        lines = np.argsort(rng.random((num_cells, input_dim)), axis=1)[:, :fan_in]
        weights = np.zeros((input_dim, num_cells), dtype=np.float32)
        # Each input alone can drive the cell (weights around 1, thresholds below 1): a cell
        # answers the onset of any of its mossy fibres, more strongly to several at once.
        weights[lines, np.arange(num_cells)[:, None]] = rng.uniform(0.75, 1.25, (num_cells, fan_in))
        self.weights = weights
        peak = np.exp(rng.uniform(np.log(lo), np.log(hi), num_cells))
        # A cascade of n integrators peaks (difference of stages n-1, n) after (n - 1) time constants.
        tau_steps = peak / STEP_MS / (CASCADE - 1)
        self.rate = (1.0 - np.exp(-1.0 / tau_steps)).astype(np.float32)
        self.threshold = rng.uniform(threshold[0], threshold[1], num_cells).astype(np.float32)
        self.gain = (1.0 / self._peak_response()).astype(np.float32)

    @property
    def num_cells(self) -> int:
        return int(self.rate.shape[0])

    def _peak_response(self) -> np.ndarray:
        """Each cell's peak bump for a unit step on its inputs, simulated once at birth."""
        stages = np.zeros((CASCADE, self.num_cells), dtype=np.float64)
        peak = np.zeros(self.num_cells)
        longest = int(np.ceil(3 * (CASCADE - 1) / -np.log1p(-self.rate.min()))) + 2
        for _ in range(longest):
            prev = np.ones(self.num_cells)
            for s in range(CASCADE):
                stages[s] += self.rate * (prev - stages[s])
                prev = stages[s]
            peak = np.maximum(peak, stages[-2] - stages[-1])
        return peak

    @property
    def _inverse_span(self) -> np.ndarray:
        """1 / (1 - threshold): a cell at its peak fires at 1."""
        span = getattr(self, "_span_cache", None)
        if span is None or span[0] is not self.threshold:
            span = self._span_cache = (self.threshold, (1.0 / (1.0 - self.threshold)).astype(np.float32))
        return span[1]

    def initial_state(self, num_bodies: int) -> np.ndarray:
        return np.zeros((0 if self.relay else CASCADE, num_bodies, self.num_cells), dtype=np.float32)

    def step(self, state: np.ndarray, x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Advance ``state`` (CASCADE, B, cells) with mossy input ``x`` (B, lines); (B, cells) activity in [0, 1],
        written into ``out`` if given."""
        if out is None:
            out = np.empty((x.shape[0], self.num_cells), dtype=np.float32)
        if self.relay:
            return np.clip(x, 0.0, 1.0, out=out)
        granule_cascade(state, x @ self.weights, self.rate, self.gain, self.threshold, self._inverse_span, out)
        return out


@jit
def granule_cascade(state: np.ndarray, drive: np.ndarray, rate: np.ndarray, gain: np.ndarray,
                    threshold: np.ndarray, inverse_span: np.ndarray, out: np.ndarray) -> None:
    """Advance every granule cell's leaky cascade ``state`` (CASCADE stages, B, cells) by one step of mossy
    ``drive`` (B, cells); write its (B, cells) firing in [0, 1] into ``out``: the last two stages' difference,
    scaled to its peak, above threshold.

    Each cell's float32 operations are the ones the array form did, in the same order. Cell by
    cell with the four stages written out: a cell's stages stay in registers, so one pass over a
    body's contiguous cells (which compiles to vector instructions) reads and writes each stage
    once; stage by stage, it was five passes and 2.5x the time (measured: 24 -> 5.5-10 us for 8 x 1000 cells).
    """
    stages, bodies, cells = state.shape
    if stages != 4:  # CASCADE, written out below
        raise ValueError("granule_cascade runs a cascade of 4 stages (CASCADE)")
    for b in range(bodies):
        stage0, stage1, stage2, stage3 = state[0, b], state[1, b], state[2, b], state[3, b]
        mossy, fired = drive[b], out[b]
        for c in range(cells):
            r = rate[c]
            s0 = stage0[c]
            s0 += (mossy[c] - s0) * r
            stage0[c] = s0
            s1 = stage1[c]
            s1 += (s0 - s1) * r
            stage1[c] = s1
            s2 = stage2[c]
            s2 += (s1 - s2) * r
            stage2[c] = s2
            s3 = stage3[c]
            s3 += (s2 - s3) * r
            stage3[c] = s3
            bump = (s2 - s3) * gain[c] - threshold[c]
            if bump < 0:  # below threshold: silent (NaN passes, as numpy's maximum lets it)
                bump = np.float32(0.0)
            fired[c] = bump * inverse_span[c]


def _basis_array(name: str) -> property:
    """An attribute of the agent that is one of its granule basis's arrays (read and written by save/load)."""
    return property(lambda self: getattr(self.basis, name), lambda self, v: setattr(self.basis, name, v))


class CerebellarAgent(Agent):
    """A cerebellar microcircuit for the eyelid: granule basis, Purkinje cells, interpositus output.

    - Mossy fibres: the observation channels in ``inputs`` (default the
      exteroception: tones and cornea), scaled to [0, 1].
    - ``GranuleBasis``: ``num_cells`` granule cells (default 1,000), each
      sampling ``fan_in`` lines, with fixed random time constants (peaks
      between 50 and 2,500 ms after an onset) and thresholds: innate
      architecture, no learned timing.
    - Purkinje cells, the one learned layer: one parallel-fibre weight per
      granule cell (per animal), starting at 1, the level at which parallel-fibre
      excitation and molecular-layer inhibition balance and the Purkinje cell
      fires at its spontaneous rate. A weight below 1 makes the Purkinje cell
      pause while that granule cell fires.
    - The climbing-fibre rule (``learn``): ``w -= ltd x cf(t) x g(t - delay)``,
      where ``cf`` is the innate error (``info["climbing_fibre"]``: the puff on
      the open cornea) and ``g(t - delay)`` the granule activity
      ``plasticity_delay_ms`` earlier (the eligibility trace), and
      ``w += ltp x g(t)`` every step (slight potentiation otherwise); ``w`` in [0, 1].
    - Interpositus nucleus: excited by the mossy fibres through its own
      synapses ``v`` (one per mossy line, per animal, starting at 0) and
      inhibited by the Purkinje cell. The Purkinje cell's tonic (spontaneous)
      inhibition masks the nucleus's mossy-fibre drive; a pause lifts it, fully
      once the pause reaches ``purkinje_tonic`` (Medina et al. 2000: what the
      nucleus has learned is expressed only where the Purkinje cell pauses).
      Its output ``nucleus_gain x (pause + release x v . x)``, with
      ``pause = sum((1 - w) g) / typical granule activity`` and
      ``release = min(pause / purkinje_tonic, 1)`` (1 once the cortex is
      removed: nothing inhibits the nucleus any more), reaches the eyelid
      ``output_delay_ms`` later (red nucleus, facial motor nucleus); the lid
      command is that output clipped to [0, 1].
    - Nucleus plasticity (Medina & Mauk 1999, 2000; Ohyama et al. 2006):
      ``v += nucleus_plasticity x x(t) x (max(pause(t), 0) - nucleus_threshold)``:
      a mossy-fibre synapse on the nucleus strengthens when its fibre fires
      while the Purkinje cell pauses, and weakens slowly when it fires without
      a pause; ``v >= 0``. The cortex teaches the nucleus: the nucleus learns
      an untimed drive from the tone, which the Purkinje cell's tonic
      inhibition masks everywhere but in its learned, timed pause. Unmasked by
      a cortex lesion, it gives short-latency, untimed CRs (Perrett, Ruiz &
      Mauk 1993); extinction, done by the cortex (the pause goes), masks it
      again without erasing it at once, so reacquisition can be faster
      (savings: Medina, Garcia & Mauk 2001).

    The plasticity delay matches the output delay plus the lid's own lag
    (Suvrathan, Payne & Raymond 2016): depression lands on the granule cells
    whose Purkinje pause would have shut the eye in time.

    Useless at birth: every weight is at the balance point, the nucleus is
    silent, the lid command 0; only the brainstem's reflex blinks.

    Lesions (``cortex``, ``nucleus``; also ``lesion()`` after birth):
    ``cortex="no-plasticity"`` freezes the parallel-fibre synapses;
    ``cortex="removed"`` (usually after training) takes the Purkinje cells out
    of the circuit: the nucleus runs on its mossy-fibre synapses alone;
    ``nucleus_plasticity=0`` keeps the nucleus's synapses at 0 (the removal arm of the nucleus memory);
    ``cortex="no-granule-basis"`` (at birth only) removes the expansion and its
    temporal variety: Purkinje cells read the mossy fibres directly;
    ``nucleus=False`` cuts the output (the lid command is always 0).

    ``animals``: 1 (default) is one brain shared by the whole batch (its
    synapses move by the mean over bodies, as the other agents learn);
    ``animals=N`` gives each of N bodies its own Purkinje synapses (a cohort of
    individuals with the same innate wiring), and then batches must have N bodies.

    ``act`` advances the circuit one 5 ms step: call it once per env step.
    """

    learned_arrays = ("pf_weights", "mf_weights")
    fixed_arrays = ("gc_weights", "gc_rate", "gc_threshold", "gc_gain")

    def __init__(
        self,
        observation_space: spaces.Space,
        action_space: spaces.Space,
        seed: int = 0,
        num_cells: int = 1000,
        fan_in: int = 2,
        peak_ms: tuple[float, float] = (50.0, 2500.0),
        threshold: tuple[float, float] = (0.7, 0.9),
        inputs: list[str] | None = None,
        ltd: float = 0.002,
        ltp: float = 0.0001,
        plasticity_delay_ms: float = 30.0,
        output_delay_ms: float = 20.0,
        nucleus_gain: float = 3.0,
        nucleus_plasticity: float = NUCLEUS_PLASTICITY,
        nucleus_threshold: float = 0.002,
        purkinje_tonic: float = 1.0 / 3.0,
        animals: int = 1,
        cortex: str = "intact",
        nucleus: bool = True,
    ) -> None:
        if isinstance(observation_space, spaces.Dict) and inputs is None:
            inputs = ["exteroception"]
        super().__init__(
            observation_space, action_space, seed,
            num_cells=num_cells, fan_in=fan_in, peak_ms=list(peak_ms), threshold=list(threshold),
            inputs=None if inputs is None else list(inputs), ltd=ltd, ltp=ltp,
            plasticity_delay_ms=plasticity_delay_ms, output_delay_ms=output_delay_ms,
            nucleus_gain=nucleus_gain, nucleus_plasticity=nucleus_plasticity,
            nucleus_threshold=nucleus_threshold, purkinje_tonic=purkinje_tonic, animals=animals, cortex=cortex,
            nucleus=nucleus,
        )
        if self.num_actions != (2 if self.discrete else 1):
            raise ValueError(f"the cerebellar agent drives one eyelid: a Box of 1 or Discrete(2) action, got {action_space}")
        check_arguments({
            "ltd": (ltd, ltd >= 0, ">= 0"), "ltp": (ltp, ltp >= 0, ">= 0"),
            "plasticity_delay_ms": (plasticity_delay_ms, plasticity_delay_ms >= 0, ">= 0"),
            "output_delay_ms": (output_delay_ms, output_delay_ms >= 0, ">= 0"),
            "nucleus_gain": (nucleus_gain, nucleus_gain > 0, "> 0"),
            "nucleus_plasticity": (nucleus_plasticity, nucleus_plasticity >= 0, ">= 0"),
            "nucleus_threshold": (nucleus_threshold, nucleus_threshold >= 0, ">= 0"),
            "purkinje_tonic": (purkinje_tonic, purkinje_tonic > 0, "> 0"),
            "animals": (animals, isinstance(animals, (int, np.integer)) and animals >= 1, "an integer >= 1"),
            "cortex": (cortex, cortex in CORTEX_STATES, f"one of {CORTEX_STATES}"),
        })
        self.inputs = None if inputs is None else tuple(inputs)
        lines = self.features(self._zero_obs(), keys=self.inputs).shape[1]
        self.basis = GranuleBasis(lines, num_cells, fan_in, (float(peak_ms[0]), float(peak_ms[1])),
                                  (float(threshold[0]), float(threshold[1])), self.rng, relay=cortex == "no-granule-basis")
        self.pf_weights = np.ones((int(animals), self.basis.num_cells), dtype=np.float32)
        self.mf_weights = np.zeros((int(animals), lines), dtype=np.float32)
        self.plasticity_delay = int(round(plasticity_delay_ms / STEP_MS))
        self.output_delay = int(round(output_delay_ms / STEP_MS))
        self._after_load()

    # The basis's fixed arrays are saved (never learned) through these names.
    gc_weights = _basis_array("weights")
    gc_rate = _basis_array("rate")
    gc_threshold = _basis_array("threshold")
    gc_gain = _basis_array("gain")

    def _after_load(self) -> None:
        self.activity_scale = self._typical_activity()
        self.reset_state()

    def _typical_activity(self) -> float:
        """Summed granule activity during a sustained step on one input line, averaged over 1.5 s and lines."""
        lines = self.gc_weights.shape[0]
        x = np.eye(lines, dtype=np.float32)
        state = self.basis.initial_state(lines)
        total = [float(self.basis.step(state, x).sum()) / lines for _ in range(int(1500 / STEP_MS))]
        return max(float(np.mean(total)), 1e-6)

    # --- lesions -------------------------------------------------------------------
    def lesion(self, cortex: str | None = None, nucleus: bool | None = None) -> None:
        """Switch the cortex's plasticity or the nucleus's output after birth (a lesion, or its sham)."""
        if cortex is not None:
            if cortex not in CORTEX_STATES:
                raise ValueError(f"cortex={cortex!r} is invalid: expected one of {CORTEX_STATES}")
            if (cortex == "no-granule-basis") != (self.config["cortex"] == "no-granule-basis"):
                raise ValueError("the granule basis is built at birth: create the agent with cortex='no-granule-basis' instead")
            self.config["cortex"] = cortex
        if nucleus is not None:
            self.config["nucleus"] = bool(nucleus)

    # --- the circuit, one 5 ms step --------------------------------------------------
    def reset_state(self) -> None:
        self._state: np.ndarray | None = None
        self._granule_history: np.ndarray | None = None
        self._output_history: np.ndarray | None = None
        self._t = 0

    def _ensure_state(self, b: int) -> None:
        animals = self.pf_weights.shape[0]
        if animals > 1 and b != animals:
            raise ValueError(f"this agent holds {animals} animals' synapses; a batch must have {animals} bodies, got {b}")
        if self._state is not None and self._granule_history is not None and self._granule_history.shape[1] == b:
            return
        width = self.pf_weights.shape[1]
        self._state = self.basis.initial_state(b)
        self._granule_history = np.zeros((self.plasticity_delay + 1, b, width), dtype=np.float32)
        self._output_history = np.zeros((self.output_delay + 1, b), dtype=np.float32)
        self._t = 0

    def granule_activity(self, obs: Any) -> np.ndarray:
        """(B, cells) granule activity for this step's observation, advancing the basis."""
        return self._mossy_and_granule(obs)[1]

    def _mossy_and_granule(self, obs: Any, out: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(B, lines) mossy-fibre input and (B, cells) granule activity, advancing the basis
        (with ``out``: written into this step's slot of the granule history)."""
        x = self.features(obs, keys=self.inputs)
        self._ensure_state(x.shape[0])
        assert self._state is not None and self._granule_history is not None
        slot = self._granule_history[self._t % self._granule_history.shape[0]] if out else None
        return x, self.basis.step(self._state, x, slot)

    def _per_body(self, weights: np.ndarray, b: int) -> np.ndarray:
        """(B, n) weights: one animal's row for every body, or each body's own."""
        return weights if weights.shape[0] == b else np.broadcast_to(weights, (b, weights.shape[1]))

    def purkinje_pause(self, g: np.ndarray) -> np.ndarray:
        """(B,) how far the Purkinje cell falls below its spontaneous inhibition of the nucleus,
        sum((1 - w) g) in units of typical granule activity (>= 0, as w <= 1); 0 once the cortex is removed."""
        if self.config["cortex"] == "removed":
            return np.zeros(g.shape[0], dtype=np.float32)
        # 1 - w per animal, then broadcast over the bodies: einsum runs the same loop over each row.
        # (numpy's einsum, not a compiled loop: its vectorised sum sets the result's last bits.)
        return np.einsum("bg,bg->b", self._per_body(1.0 - self.pf_weights, g.shape[0]), g) / self.activity_scale

    def _mossy_drive(self, x: np.ndarray) -> np.ndarray:
        """(B,) the nucleus's mossy-fibre drive v . x (numpy's einsum, as ``purkinje_pause``)."""
        return np.einsum("bl,bl->b", self._per_body(self.mf_weights, x.shape[0]), x)

    def nucleus_output(self, x: np.ndarray, pause: np.ndarray) -> np.ndarray:
        """(B,) interpositus output: the Purkinje pause plus its mossy-fibre drive v . x, times the gain.

        The drive is masked by the Purkinje cell's tonic inhibition and released in
        proportion to the pause (fully at ``purkinje_tonic``), so what the nucleus has
        learned shows only in the cortex's timed pause; with the cortex removed nothing
        masks it."""
        out = np.empty(x.shape[0], dtype=np.float32)
        interpositus(pause, self._mossy_drive(x), *self._nucleus_constants(), out)
        return out

    def _nucleus_constants(self) -> tuple[float, float, bool]:
        """The tonic inhibition, the gain (rounded to float32 by the kernels) and whether the cortex is removed."""
        config = self.config
        return config["purkinje_tonic"], config["nucleus_gain"], config["cortex"] == "removed"

    def act(self, obs: Any, explore: bool = True) -> np.ndarray:
        x, g = self._mossy_and_granule(obs, out=True)
        history = self._output_history
        assert history is not None
        self._mossy, self._pause = x, self.purkinje_pause(g)
        # This step's output enters the delay line; the command that reaches the lid now left
        # the nucleus output_delay steps ago (0 with the output cut).
        slot = self._t % history.shape[0]
        self._t += 1
        command = np.empty((x.shape[0], 1), dtype=np.float32)  # written through its (B,) view: a Box action as it is
        nucleus = bool(self.config["nucleus"])
        drive = self._mossy_drive(x) if nucleus else self._pause  # (unused without output)
        lid_command(self._pause, drive, *self._nucleus_constants(), nucleus, history, slot, self._t % history.shape[0],
                    command.reshape(-1))
        if self.discrete:
            return (command[:, 0] > 0.5).astype(np.int64)
        return command if self.action_space.dtype == np.float32 else command.astype(self.action_space.dtype)

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
        if self._granule_history is None or self._t == 0:
            raise RuntimeError("learn() follows act(): the circuit has not run a step yet")
        b = self._granule_history.shape[1]
        if infos is None or CLIMBING_FIBRE not in infos:
            raise ValueError(f"the cerebellar agent learns from the climbing-fibre signal in info[{CLIMBING_FIBRE!r}]; this body gives none")
        cf = self._check_batch(CLIMBING_FIBRE, infos[CLIMBING_FIBRE], b).astype(np.float32)
        terminated = self._check_batch("terminated", terminated, b).astype(bool)
        truncated = self._check_batch("truncated", truncated, b).astype(bool)
        valid = np.ones(b, dtype=bool) if valid is None else self._check_batch("valid", valid, b).astype(bool)
        config = self.config
        cortex_learns = config["cortex"] != "no-plasticity"
        # Mossy-fibre -> nucleus synapses follow the Purkinje cell: up while it pauses by more than
        # the threshold, slowly down while the fibre fires without such a pause.
        nucleus_learns = config["nucleus_plasticity"] > 0 and bool(config["nucleus"])
        assert self._state is not None and self._output_history is not None
        stats = np.empty(3)
        if self.pf_weights.shape[0] == b:  # each body its own synapses: the whole step in one compiled call
            cerebellar_learning(self.pf_weights, self.mf_weights, self._granule_history, self._t, self.plasticity_delay, cf,
                                valid, terminated, truncated, self._mossy, self._pause, config["ltp"], config["ltd"],
                                cortex_learns, config["nucleus_plasticity"], config["nucleus_threshold"], nucleus_learns,
                                self._state, self._output_history, stats)
        else:  # one shared brain: its synapses move by the mean over bodies (numpy's mean, as the other agents learn)
            cf = np.where(valid, cf, 0.0).astype(np.float32)
            if cortex_learns:
                hist = self._granule_history
                g_now = hist[(self._t - 1) % hist.shape[0]]
                eligible = hist[self._t % hist.shape[0]] if self._t > self.plasticity_delay else np.zeros_like(g_now)
                error = bool(cf.any())
                ltp, ltd = np.float32(config["ltp"]), np.float32(config["ltd"])
                self._apply(self.pf_weights, parallel_fibre_change(g_now, eligible, cf, valid, ltp, ltd, error))
                np.clip(self.pf_weights, *PF_RANGE, out=self.pf_weights)
            if nucleus_learns:
                # Laid out in memory as the mossy input is, as the array form's was (numpy's mean over
                # the bodies then sums in the same order).
                change = np.zeros_like(self._mossy)
                nucleus_change(self._mossy, self._pause, valid, np.float32(config["nucleus_plasticity"]),
                               np.float32(config["nucleus_threshold"]), change)
                self._apply(self.mf_weights, change)
                np.maximum(self.mf_weights, 0.0, out=self.mf_weights)
            end_of_learning(cf, valid, terminated, truncated, self.pf_weights, self.mf_weights, self._state,
                            self._granule_history, self._output_history, stats)
        cf_mean, pf_mean, mf_mean = stats.tolist()
        return {"climbing_fibre": cf_mean, "mean_weight": pf_mean, "nucleus_weight": mf_mean}

    @staticmethod
    def _apply(weights: np.ndarray, change: np.ndarray) -> None:
        """Add a (B, n) change: the mean over bodies to one shared animal, or each body's to its own."""
        if weights.shape[0] == 1:
            weights[0] += change.mean(axis=0)
        else:
            weights += change


@jit(inline=True)
def _mean(x: np.ndarray) -> float:
    """``float(x.mean())`` of a contiguous float32 array, as numpy computes it: its sum
    (``np.add.reduce``'s) over the count as an ``intp``, in float64, rounded to float32."""
    flat = x.reshape(-1)
    total = pairwise_sum(flat, 0, flat.size)
    return np.float64(np.float32(np.float64(total) / np.float64(flat.size)))


@jit
def end_of_learning(cf: np.ndarray, valid: np.ndarray, terminated: np.ndarray, truncated: np.ndarray,
                    pf_weights: np.ndarray, mf_weights: np.ndarray, granule_state: np.ndarray,
                    granule_history: np.ndarray, output_history: np.ndarray, stats: np.ndarray) -> None:
    """After a learning step: every body whose life ended (or whose step was not real) starts its next
    from silence (no granule state, no eligibility, no output in flight); ``stats`` gets the means of
    the climbing fibre, the parallel-fibre and the nucleus weights."""
    for b in range(valid.shape[0]):
        if terminated[b] or truncated[b] or not valid[b]:
            granule_state[:, b] = 0.0
            granule_history[:, b] = 0.0
            output_history[:, b] = 0.0
    stats[0] = _mean(cf)
    stats[1] = _mean(pf_weights)
    stats[2] = _mean(mf_weights)


@jit
def cerebellar_learning(pf_weights: np.ndarray, mf_weights: np.ndarray, granule_history: np.ndarray, t: int, delay: int,
                        cf: np.ndarray, valid: np.ndarray, terminated: np.ndarray, truncated: np.ndarray,
                        mossy: np.ndarray, pause: np.ndarray, ltp: float, ltd: float, cortex_learns: bool,
                        nucleus_rate: float, nucleus_threshold: float, nucleus_learns: bool,
                        granule_state: np.ndarray, output_history: np.ndarray, stats: np.ndarray) -> None:
    """One learning step of a cohort whose bodies each have their own synapses, in one call (``learn``):
    the climbing fibre of invalid rows silenced (in ``cf``), the parallel-fibre rule on the granule
    activity now and ``delay`` steps ago (``t`` steps run), the nucleus rule, then ``end_of_learning``.
    The rates arrive as Python floats and are rounded to float32 here, as ``np.float32`` does."""
    error = False
    for b in range(cf.shape[0]):
        if not valid[b]:
            cf[b] = 0.0
        if cf[b] != 0.0:  # cf.any(): the climbing fibre fired somewhere (NaN counts)
            error = True
    if cortex_learns:
        slots = granule_history.shape[0]
        g_now = granule_history[(t - 1) % slots]
        eligible = granule_history[t % slots] if t > delay else np.zeros_like(g_now)
        parallel_fibre_learning(pf_weights, g_now, eligible, cf, valid, np.float32(ltp), np.float32(ltd), error,
                                np.float32(PF_RANGE[0]), np.float32(PF_RANGE[1]))
    if nucleus_learns:
        nucleus_learning(mf_weights, mossy, pause, valid, np.float32(nucleus_rate), np.float32(nucleus_threshold))
    end_of_learning(cf, valid, terminated, truncated, pf_weights, mf_weights, granule_state, granule_history,
                    output_history, stats)


# The nucleus and the delay to the lid, compiled: the float32 operations of the array form, in its order.
@jit(inline=True)
def _interpositus(pause: np.float32, drive: np.float32, tonic: np.float32, gain: np.float32, removed: bool) -> np.float32:
    """One body's nucleus output ``gain * (pause + release * drive)``, ``release = min(max(pause, 0) / tonic, 1)``
    (1 with the cortex removed)."""
    if removed:
        release = np.float32(1.0)
    else:
        release = pause if (pause > 0.0 or pause != pause) else np.float32(0.0)  # numpy's maximum(p, 0)
        release = release / tonic
        if not (release != release):
            release = release if release < 1.0 else np.float32(1.0)  # numpy's minimum(r, 1): NaN passes
    return gain * (pause + release * drive)


@jit
def interpositus(pause: np.ndarray, drive: np.ndarray, tonic: float, gain: float, removed: bool,
                 out: np.ndarray) -> None:
    """(B,) nucleus output from the Purkinje ``pause`` and the mossy-fibre ``drive`` v . x, into ``out``
    (``tonic`` and ``gain`` rounded to float32, as ``np.float32`` does)."""
    tonic, gain = np.float32(tonic), np.float32(gain)
    for b in range(pause.shape[0]):
        out[b] = _interpositus(pause[b], drive[b], tonic, gain, removed)


@jit
def lid_command(pause: np.ndarray, drive: np.ndarray, tonic: float, gain: float, removed: bool,
                nucleus: bool, history: np.ndarray, slot: int, arriving: int, command: np.ndarray) -> None:
    """One step of the output: the nucleus output (0 with the ``nucleus`` cut) into ``history[slot]``, and
    the lid ``command`` in [0, 1]: the output that left ``history[arriving]`` ``output_delay`` steps ago
    (``tonic`` and ``gain`` rounded to float32, as ``np.float32`` does)."""
    tonic, gain = np.float32(tonic), np.float32(gain)
    for b in range(pause.shape[0]):
        history[slot, b] = _interpositus(pause[b], drive[b], tonic, gain, removed) if nucleus else np.float32(0.0)
        c = history[arriving, b]
        if c == c:  # np.clip(c, 0, 1): NaN passes
            c = c if c > 0.0 else np.float32(0.0)
            c = c if c < 1.0 else np.float32(1.0)
        command[b] = c


# The two synapse rules, each in one compiled pass doing, element by element, the float32
# operations of the array form in its order (bit-identical). A shared brain's change is the mean
# over bodies, which stays numpy's (``_apply``); each body's own synapses take theirs in the same pass.
@jit(inline=True)
def _parallel_fibre_delta(ltp: np.float32, g: np.float32, error: bool, depression: np.float32, e: np.float32) -> np.float32:
    """One synapse's climbing-fibre rule: ``ltp * g(t)``, minus ``depression * g(t - delay)`` on an error step."""
    delta = ltp * g
    if error:
        delta -= depression * e
    return delta


@jit(inline=True)
def _nucleus_drive(pause: np.float32, threshold: np.float32) -> np.float32:
    """The nucleus rule's Purkinje term ``max(pause, 0) - threshold``."""
    if not (pause > 0.0 or pause != pause):  # numpy's maximum(p, 0): NaN passes, -0 becomes +0
        pause = np.float32(0.0)
    return pause - threshold


@jit
def parallel_fibre_change(g_now: np.ndarray, eligible: np.ndarray, cf: np.ndarray, valid: np.ndarray,
                          ltp: np.float32, ltd: np.float32, error: bool) -> np.ndarray:
    """(B, cells) climbing-fibre rule: ``ltp * g(t)``, minus ``ltd * cf * g(t - delay)`` when the
    climbing fibre fired anywhere in the batch (``error``); 0 on invalid rows."""
    bodies, cells = g_now.shape
    change = np.empty((bodies, cells), dtype=np.float32)
    for b in range(bodies):
        row = change[b]
        if not valid[b]:
            row[:] = 0.0
            continue
        g, e = g_now[b], eligible[b]
        depression = ltd * cf[b]
        for c in range(cells):
            row[c] = _parallel_fibre_delta(ltp, g[c], error, depression, e[c])
    return change


@jit
def parallel_fibre_learning(weights: np.ndarray, g_now: np.ndarray, eligible: np.ndarray, cf: np.ndarray,
                            valid: np.ndarray, ltp: np.float32, ltd: np.float32, error: bool,
                            low: np.float32, high: np.float32) -> None:
    """Each body's own (B, cells) parallel-fibre ``weights``: add its ``parallel_fibre_change`` row and clip
    to [low, high] as ``np.clip`` does (NaN passes), in one pass instead of three array passes."""
    bodies, cells = g_now.shape
    for b in range(bodies):
        w, g, e = weights[b], g_now[b], eligible[b]
        depression = ltd * cf[b]
        for c in range(cells):
            delta = _parallel_fibre_delta(ltp, g[c], error, depression, e[c]) if valid[b] else np.float32(0.0)
            x = w[c] + delta
            if x == x:
                x = x if x > low else low
                x = x if x < high else high
            w[c] = x


@jit
def nucleus_change(mossy: np.ndarray, pause: np.ndarray, valid: np.ndarray, rate: np.float32,
                   threshold: np.float32, change: np.ndarray) -> None:
    """Write the (B, lines) nucleus rule ``rate * x * (max(pause, 0) - threshold)`` into ``change``
    (zeros), leaving invalid rows at 0."""
    bodies, lines = mossy.shape
    for b in range(bodies):
        if valid[b]:
            drive = _nucleus_drive(pause[b], threshold)
            for line in range(lines):
                change[b, line] = rate * mossy[b, line] * drive


@jit
def nucleus_learning(weights: np.ndarray, mossy: np.ndarray, pause: np.ndarray, valid: np.ndarray,
                     rate: np.float32, threshold: np.float32) -> None:
    """Each body's own (B, lines) mossy-fibre -> nucleus ``weights``: add its ``nucleus_change`` row, then
    keep them >= 0 as ``np.maximum(w, 0)`` does (NaN passes), in one pass."""
    bodies, lines = mossy.shape
    for b in range(bodies):
        drive = _nucleus_drive(pause[b], threshold)
        for line in range(lines):
            x = weights[b, line] + (rate * mossy[b, line] * drive if valid[b] else np.float32(0.0))
            if not (x >= 0.0 or x != x):
                x = np.float32(0.0)
            weights[b, line] = x


__all__ = ["CORTEX_STATES", "NUCLEUS_PLASTICITY", "PF_RANGE", "CerebellarAgent", "GranuleBasis", "cerebellar_learning",
           "end_of_learning", "granule_cascade", "interpositus", "lid_command",
           "nucleus_change", "nucleus_learning", "parallel_fibre_change",
           "parallel_fibre_learning"]

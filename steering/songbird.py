"""The songbird's Steering Subsystem: an innate song evaluator and its performance error.

The brainstem and the song basal ganglia's dopamine inputs know what a good
song *sounds* like without knowing how to sing it. This module holds:

- a **template** of the song, one row of acoustic features per syllable: either
  an innate species template, or one memorised from the tutor while he sings
  (the sensory phase, about days 25-35 post-hatch in the zebra finch);
- an **evaluator** that scores each syllable the bird hears itself sing against
  the template (the *quality*);
- a **performance error** per syllable, quality minus a running *expectation*
  of that syllable's quality: the dopamine-like signal of Gadagkar et al. 2016
  (suppressed after a distorted syllable, a burst when a predicted distortion
  fails to occur, scaled by the probability of distortion).

Papers: Fiete, Fee & Seung 2007 (song learning by random perturbation and a
scalar reward from an internal critic); Gadagkar et al. 2016 (dopamine encodes
performance error); Tumer & Brainard 2007 (pitch-contingent white noise shifts
one syllable's pitch away from the noise).

Acoustic features travel in *perceptual units*, each scaled to [0, 1] over the
range a zebra finch's syrinx covers: log pitch, log duration, spectral shape
(0 a pure tone, 1 a rich harmonic stack), amplitude. The ear adds a fifth
number: the level of broadband noise heard with the syllable (a white-noise
burst played by an experimenter). ``to_perceptual`` and ``to_physical`` convert.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import numpy as np

from brainlike.steering.base import NO_REFLEX, ReflexTakeover, Steering, SteeringOutput
from brainlike.steering.compiled import jit
from brainlike.steering.parameters import InnateParameters


class SyrinxMotor(IntEnum):
    """SongbirdTutor: the dimensions of the syrinx's continuous motor command, each in [-1, 1]."""

    PRESSURE = 0  # air-sac pressure
    TENSION = 1  # syringeal (labial) tension
    GAPE = 2  # beak gape
    EXPIRATION = 3  # the length of the expiratory pulse


#: The acoustic features of a syllable, in the order of every feature array.
FEATURES = ("pitch", "duration", "spectral_shape", "amplitude")
PITCH, DURATION, SPECTRAL_SHAPE, AMPLITUDE = range(4)
#: Index of the heard broadband-noise level, after the four syllable features.
NOISE = 4
#: Physical ranges: fundamental frequency (Hz) and syllable duration (ms) of
#: zebra finch harmonic stacks; shape and amplitude are already in [0, 1].
PITCH_RANGE_HZ = (400.0, 1400.0)
DURATION_RANGE_MS = (40.0, 240.0)
PHYSICAL_UNITS = ("Hz", "ms", "0-1", "0-1")
MAX_SYLLABLES = 8
#: The evaluator's signals, in the order ``song_evaluate`` returns them (see ``SongOutput``).
SIGNALS = ("quality", "expectation", "performance_error", "distorted", "self_sung")
REWARD_SIGNALS = ("quality", "performance_error")
TEMPLATE_SOURCES = ("innate", "tutor")

#: The evaluator's constants as its compiled functions read them (``SongbirdSteering.constants``).
SONG_CONSTANTS = np.dtype([
    ("width", np.float64), ("weights", np.float64, (4,)), ("noise_weight", np.float64),
    ("expectation_rate", np.float64), ("memorise", np.bool_), ("reward_is_error", np.bool_),
])

#: A fixed species template in perceptual units (up to 8 syllables; a song of S
#: syllables uses the first S). Innate: what an isolate-reared bird is born
#: expecting, in the spirit of Marler's auditory template.
SPECIES_TEMPLATE = np.array(
    [
        [0.55, 0.45, 0.70, 0.80],
        [0.30, 0.60, 0.35, 0.65],
        [0.75, 0.30, 0.55, 0.70],
        [0.45, 0.70, 0.80, 0.60],
        [0.65, 0.50, 0.25, 0.75],
        [0.35, 0.35, 0.60, 0.55],
        [0.80, 0.55, 0.45, 0.85],
        [0.50, 0.40, 0.30, 0.70],
    ]
)


def to_perceptual(physical: np.ndarray) -> np.ndarray:
    """(..., 4) physical features (Hz, ms, 0-1, 0-1) -> perceptual units in [0, 1] (not clipped)."""
    x = np.array(physical, dtype=np.float64)
    (p0, p1), (d0, d1) = PITCH_RANGE_HZ, DURATION_RANGE_MS
    # Pitch and duration are perceived on log scales (Weber's law).
    x[..., PITCH] = np.log(x[..., PITCH] / p0) / np.log(p1 / p0)
    x[..., DURATION] = np.log(x[..., DURATION] / d0) / np.log(d1 / d0)
    return x


# --- compiled: one syllable at a time, called from SongbirdTutor's step kernel -------------
@jit
def physical_pitch(perceived: float) -> float:
    """A perceived pitch (log scale, [0, 1] over the syrinx's range) in Hz."""
    return PITCH_RANGE_HZ[0] * (PITCH_RANGE_HZ[1] / PITCH_RANGE_HZ[0]) ** perceived


@jit
def physical_duration(perceived: float) -> float:
    """A perceived duration (log scale) in ms."""
    return DURATION_RANGE_MS[0] * (DURATION_RANGE_MS[1] / DURATION_RANGE_MS[0]) ** perceived


# The three below are pasted into SongbirdTutor's step kernel (``jit(inline=True)``): called,
# they would change the reference counts of the evaluator's arrays once per bird and step.
@jit(inline=True)
def similarity_of(heard, template, width, weights, noise_weight):  # type: ignore[no-untyped-def]
    """One heard syllable ((4,), or (5,) with its noise level) against one template syllable (see ``similarity``)."""
    d2 = 0.0
    for f in range(4):
        d = heard[f] - template[f]
        d2 += weights[f] * (d * d)
    if heard.shape[0] > NOISE:
        d2 = d2 + noise_weight * (heard[NOISE] * heard[NOISE])
    return math.exp(-d2 / (2.0 * (width * width)))


@jit(inline=True)
def song_quality(c, template, b, heard, syllable):  # type: ignore[no-untyped-def]
    """Body ``b``'s score of a heard syllable against its template; 0 where the template holds none (NaN)."""
    q = similarity_of(heard, template[b, syllable], c["width"], c["weights"], c["noise_weight"])
    return 0.0 if math.isnan(q) else q


@jit(inline=True)
def song_evaluate(c, template, expectation, b, heard, syllable, tutor_sang):  # type: ignore[no-untyped-def]
    """Body ``b``'s evaluation of one heard syllable: its ``SongOutput.signals`` (see ``SIGNALS``) and the reward.

    The tutor singing: memorised into the template (``c["memorise"]``), no score. The bird
    singing: scored, and the syllable's expectation moves by the delta rule.
    """
    expected = expectation[b, syllable]
    distorted = 1.0 if heard.shape[0] > NOISE and heard[NOISE] > 0 else 0.0
    if tutor_sang:
        if c["memorise"]:
            for f in range(4):
                template[b, syllable, f] = heard[f]
        return 0.0, expected, 0.0, distorted, 0.0, 0.0
    quality = song_quality(c, template, b, heard, syllable)
    error = quality - expected
    expectation[b, syllable] += c["expectation_rate"] * error
    return quality, expected, error, distorted, 1.0, (error if c["reward_is_error"] else quality)


# --- the same functions over a batch, for the numpy API (arrays in, arrays out) ------------
@jit
def _to_physical_rows(x):  # type: ignore[no-untyped-def]
    for i in range(x.shape[0]):
        x[i, PITCH] = physical_pitch(x[i, PITCH])
        x[i, DURATION] = physical_duration(x[i, DURATION])


@jit
def _similarity_rows(heard, template, width, weights, noise_weight, out):  # type: ignore[no-untyped-def]
    for i in range(heard.shape[0]):
        out[i] = similarity_of(heard[i], template[i], width, weights, noise_weight)


@jit
def _quality_batch(constants, template, heard, syllable, out):  # type: ignore[no-untyped-def]
    for b in range(heard.shape[0]):
        out[b] = song_quality(constants[0], template, b, heard[b], syllable[b])


@jit
def _evaluate_batch(constants, template, expectation, heard, syllable, tutor_sang, out):  # type: ignore[no-untyped-def]
    for b in range(heard.shape[0]):
        out[b, 0], out[b, 1], out[b, 2], out[b, 3], out[b, 4], out[b, 5] = song_evaluate(
            constants[0], template, expectation, b, heard[b], syllable[b], tutor_sang[b])


def to_physical(perceptual: np.ndarray) -> np.ndarray:
    """Inverse of ``to_perceptual`` on the first four features."""
    x = np.array(perceptual, dtype=np.float64)[..., :4]
    rows = np.ascontiguousarray(x.reshape(-1, 4))
    _to_physical_rows(rows)
    return rows.reshape(x.shape)


def similarity(
    heard: np.ndarray,
    template: np.ndarray,
    width: float = 0.15,
    weights: Sequence[float] = (1.0, 1.0, 1.0, 1.0),
    noise_weight: float = 1.0,
) -> np.ndarray:
    """The evaluator's score of heard syllables against template syllables.

    ``heard`` is (..., 5) (the four features and the heard noise level) or
    (..., 4) (no noise); ``template`` is (..., 4). With the weighted squared
    distance ``d2 = sum_f w_f (heard_f - template_f)^2 + noise_weight * noise^2``
    (a clean tutor song contains no broadband noise), the score is the
    Gaussian tuning curve ``exp(-d2 / (2 width^2))``: 1 for a perfect copy,
    strictly decreasing in the distance, tending to 0 far away; range (0, 1].
    """
    heard = np.asarray(heard, dtype=np.float64)
    template = np.asarray(template, dtype=np.float64)[..., :4]
    lead = np.broadcast_shapes(heard.shape[:-1], template.shape[:-1])
    h = np.ascontiguousarray(np.broadcast_to(heard, (*lead, heard.shape[-1])).reshape(-1, heard.shape[-1]))
    t = np.ascontiguousarray(np.broadcast_to(template, (*lead, 4)).reshape(-1, 4))
    out = np.empty(h.shape[0])
    _similarity_rows(h, t, float(width), np.asarray(weights, dtype=np.float64), float(noise_weight), out)
    return out.reshape(lead)


@dataclass(frozen=True, slots=True)
class SongEvents:
    """One heard syllable per bird, for ``SongbirdSteering.evaluate``."""

    heard: np.ndarray  # (bodies, 5): pitch, duration, spectral shape, amplitude (perceptual units), noise level
    syllable: np.ndarray  # (bodies,) int: its index in the song
    tutor_sang: np.ndarray  # (bodies,) bool: the tutor, not the bird, sang it


@dataclass
class SongOutput(SteeringOutput):
    """A ``SteeringOutput`` that also carries the evaluator's per-syllable signals.

    ``signals`` maps ``quality``, ``expectation`` (before this rendition),
    ``performance_error``, ``distorted`` (1.0 where a noise burst was heard)
    and ``self_sung`` (1.0 where the bird, not the tutor, sang) to (bodies,)
    arrays; they appear in ``info["steering"]["signals"]``.
    """

    signals: dict[str, np.ndarray] = field(default_factory=dict)

    def for_body(self, i: int) -> dict[str, Any]:
        out = super().for_body(i)
        out["signals"] = {k: float(v[i]) for k, v in self.signals.items()}
        return out

    def batched(self) -> dict[str, Any]:
        out = super().batched()
        out["signals"] = dict(self.signals)
        return out


class SongbirdSteering(Steering[None, SongEvents]):
    """An innate song evaluator with a per-syllable performance error.

    Each step the body reports one heard syllable (a ``SongEvents``): ``heard``
    (bodies, 5) in perceptual units (pitch, duration, spectral shape,
    amplitude, noise level), ``syllable`` (its index in the song) and
    ``tutor_sang`` (True when the tutor, not the bird, sang it).

    - Tutor singing, ``template_source="tutor"``: the syllable is written into
      the template (the sensory phase). No reward: hearing the tutor is not
      a performance.
    - The bird singing: ``quality = similarity(heard, template[syllable])``
      (see ``similarity``: a Gaussian tuning curve of the weighted distance,
      range (0, 1], 1 for a perfect copy); a syllable with no template yet
      scores 0. ``performance_error = quality - expectation[syllable]``, then
      ``expectation[syllable] += expectation_rate * performance_error``.

    Reward: ``quality`` (default) or ``performance_error`` (``reward=``); the
    single reward component is named after it. All signals go in ``signals``.

    The rules are compiled functions (``song_evaluate``) called from
    SongbirdTutor's step kernel; ``evaluate`` and ``quality`` run them over a batch.

    Innate adjustable parameters (``num_syllables`` numbers per bird, 4 by
    default, at most 8): ``expectation``, one running expectation of quality
    per syllable, 0 at birth, updated by the fixed delta rule above. That is
    one number per syllable and no more, because Gadagkar et al. found the
    dopamine response specific to the targeted syllable.

    The memorised template is *not* counted among them: it is a lookup memory
    (``template_memory_size`` = syllables x 4 numbers), a one-shot recording of
    what was heard, written verbatim, read back by syllable index, never
    adjusted by an error signal. It stores an instance, it does not generalise
    or predict, so it is a small tape, not a learned model; the suite counts it
    separately (``describe()`` reports it) in the way a remembered nest
    location would be if it were a whole map.

    Args:
        num_syllables: song length; the body resets it to its own song's.
        template_source: ``"tutor"`` (memorise while the tutor sings) or
            ``"innate"`` (the fixed species template, never overwritten).
        species_template: (syllables, 4) perceptual features of the innate
            template; default the first syllables of ``SPECIES_TEMPLATE``.
        reward: ``"quality"`` or ``"performance_error"``.
        width: tuning width of the evaluator in perceptual units (0.15).
        weights: per-feature weights of the distance (pitch, duration,
            spectral shape, amplitude).
        noise_weight: weight of a heard noise burst in the distance (1.0: a
            full-level burst alone scores exp(-1 / (2 x 0.15^2)) ~ 2e-10).
        expectation_rate: the delta rule's rate (0.1), a fixed constant.
    """

    def __init__(
        self,
        num_syllables: int = 4,
        template_source: str = "tutor",
        species_template: np.ndarray | None = None,
        reward: str = "quality",
        width: float = 0.15,
        weights: Sequence[float] = (1.0, 1.0, 1.0, 1.0),
        noise_weight: float = 1.0,
        expectation_rate: float = 0.1,
    ) -> None:
        super().__init__()
        if template_source not in TEMPLATE_SOURCES:
            raise ValueError(f"template_source must be one of {TEMPLATE_SOURCES}, got {template_source!r}")
        if reward not in REWARD_SIGNALS:
            raise ValueError(f"reward must be one of {REWARD_SIGNALS}, got {reward!r}")
        if not (np.isfinite(width) and width > 0):
            raise ValueError(f"width must be > 0, got {width}")
        w = np.asarray(weights, dtype=np.float64)
        if w.shape != (4,) or np.any(w < 0) or not np.all(np.isfinite(w)):
            raise ValueError(f"weights must be 4 non-negative numbers {FEATURES}, got {weights!r}")
        if not (np.isfinite(noise_weight) and noise_weight >= 0):
            raise ValueError(f"noise_weight must be >= 0, got {noise_weight}")
        if not 0.0 < expectation_rate <= 1.0:
            raise ValueError(f"expectation_rate must be in (0, 1], got {expectation_rate}")
        self.template_source = template_source
        self.reward_signal = reward
        self.width = float(width)
        self.weights = w
        self.noise_weight = float(noise_weight)
        self.expectation_rate = float(expectation_rate)
        self._species_template = None if species_template is None else np.array(species_template, dtype=np.float64)
        self._num_bodies = 1
        self.set_song_length(num_syllables)

    # --- configuration --------------------------------------------------------
    def set_song_length(self, num_syllables: int) -> None:
        """Size the template and the expectations for a song of ``num_syllables``."""
        if not isinstance(num_syllables, (int, np.integer)) or not 1 <= num_syllables <= MAX_SYLLABLES:
            raise ValueError(f"num_syllables must be an integer in [1, {MAX_SYLLABLES}], got {num_syllables!r}")
        s = int(num_syllables)
        species = SPECIES_TEMPLATE[:s] if self._species_template is None else self._species_template
        if species.shape != (s, 4) or not np.all(np.isfinite(species)):
            raise ValueError(f"species_template must be ({s}, 4) finite perceptual features {FEATURES}, got shape {species.shape}")
        self.num_syllables = s
        self.species_template = species
        self.parameters = InnateParameters({"expectation": (0.0,) * s})
        self.resize(self._num_bodies)

    @property
    def template_memory_size(self) -> int:
        """Numbers in the template lookup memory per bird (not adjustable parameters)."""
        return self.num_syllables * len(FEATURES)

    # --- lifecycle -------------------------------------------------------------
    def resize(self, num_bodies: int) -> None:
        super().resize(num_bodies)
        self._num_bodies = int(num_bodies)
        self.template = np.full((num_bodies, self.num_syllables, 4), np.nan)
        self.reset()

    def reset(self, mask: np.ndarray | None = None) -> None:
        super().reset(mask)
        sel = slice(None) if mask is None else mask
        # A new life: the innate template is there from birth, a memorised one is empty.
        self.template[sel] = self.species_template if self.template_source == "innate" else np.nan

    @property
    def template_known(self) -> np.ndarray:
        """(bodies, syllables) bool: where the template holds a syllable."""
        return ~np.isnan(self.template[..., 0])

    @property
    def constants(self) -> np.ndarray:
        """The evaluator's constants as an array of one record; its compiled functions read ``constants[0]["width"]``."""
        values = (self.width, self.weights, self.noise_weight, self.expectation_rate,
                  self.template_source == "tutor", self.reward_signal == "performance_error")
        return np.array([values], dtype=SONG_CONSTANTS)

    # --- the evaluator: the compiled rules over a batch (the body's kernel calls them itself) ---
    def quality(self, heard: np.ndarray, syllable: np.ndarray) -> np.ndarray:
        """(bodies,) score of each body's heard syllable against its template; 0 where none is known."""
        heard = np.ascontiguousarray(heard, dtype=np.float64)
        out = np.empty(heard.shape[0])
        _quality_batch(self.constants, self.template, heard, np.asarray(syllable, dtype=np.int64), out)
        return out

    def evaluate(self, events: SongEvents, reflex: ReflexTakeover) -> SongOutput:
        heard = np.ascontiguousarray(events.heard, dtype=np.float64)
        out = np.empty((heard.shape[0], len(SIGNALS) + 1))
        _evaluate_batch(self.constants, self.template, self.parameters.values, heard,
                        np.asarray(events.syllable, dtype=np.int64), np.asarray(events.tutor_sang, dtype=bool), out)
        reward = out[:, -1].copy()
        return SongOutput(
            reward=reward,
            components={self.reward_signal: reward},
            drives={},
            reflex=reflex,
            reason_names=self.reason_names,
            signals={k: out[:, j].copy() for j, k in enumerate(SIGNALS)},
        )

    def describe(self) -> str:
        return (
            f"{super().describe()}; template ({self.template_source}): a lookup memory of "
            f"{self.template_memory_size} numbers"
        )


__all__ = [
    "FEATURES",
    "MAX_SYLLABLES",
    "NO_REFLEX",
    "SIGNALS",
    "SPECIES_TEMPLATE",
    "SongEvents",
    "SongOutput",
    "SongbirdSteering",
    "similarity",
    "song_evaluate",
    "to_perceptual",
    "to_physical",
]

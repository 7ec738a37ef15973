"""The barn owl's Steering Subsystem: the optic tectum keeps its maps in register.

The owl's optic tectum (the superior colliculus of mammals) holds three maps
of space in register, in azimuth and in elevation: a visual map
(retinotopic), an auditory space map and a motor map that turns a tectal
location into a head saccade. The auditory map reads azimuth from the
interaural time difference (ITD) and elevation from the interaural level
difference (ILD), which the barn owl's asymmetric ears make grow with
elevation (Knudsen & Konishi 1979; Moiseff 1989). A few numbers set how the
auditory and the saccade map are placed against the visual one (an offset and
a gain in each dimension), and one fixed error rule, acting on each dimension
alike, keeps them aligned: after a head saccade to a target that is both seen
and heard, the visual error left after the saccade, compared with the error
the auditory map predicted, shifts the auditory map a little. Vision is the
fixed reference: it is never adjusted.

This is plasticity that is not learning from scratch: 8 adjustable numbers
(offset and gain, azimuth and elevation, for the auditory and the saccade
map), a fixed rule, an innate reflex that uses them.

- **The rule's rate falls with age.** Juveniles realign to 23 degree prisms
  within about 2 months; adults barely move (Linkenhoker & Knudsen 2002).
- **Only errors within reach instruct.** An error must lie within the reach
  of the tectal projections to drive learning; the reach shrinks with age, so
  adults learn a large displacement only when it comes in small steps (6, 11,
  17, 23 degrees: Linkenhoker & Knudsen 2002).
- **The shift is capped** near 20 degrees: with 34 degree prisms auditory
  orienting shifts by only about half (Knudsen & Knudsen 1989).
- **No vision, no instruction**: blind-reared owls do not calibrate (Knudsen &
  Knudsen 1985).
- **Each dimension on its own**: horizontal prisms leave a vertical visual
  error of zero, so the elevation map stays where it is.
- **Topographic** (``topographic_bins`` > 1): one auditory azimuth offset per
  azimuth bin, each adjusted only by errors near it (shared with its
  neighbour as the map interpolates between bins); the instructive signal can
  be cut in some bins (a tectal lesion, Hyde & Knudsen 2002).

The innate orienting reflex turns the head to a sudden sound (or, in silence,
a sudden sight) by the current maps when the learner does not act; a second,
corrective saccade centres a target still seen off the fovea. Innate reward:
a strike that lands within the owl's acuity (about 4 degrees of angular
distance) of the prey, less a small cost of effort per degree turned.

Directions, cues and turns are (bodies, 2) arrays: column ``AZIMUTH`` (+ to
the right) and column ``ELEVATION`` (+ up); a sound is (ITD, ILD) in the same
columns. A row of NaN is a cue that is absent (nothing heard, nothing seen).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from brainlike.steering.base import NO_REFLEX, Reflex, ReflexTakeover, Steering, SteeringOutput
from brainlike.steering.compiled import jit, short_pairwise_sum
from brainlike.steering.parameters import InnateParameters


class HeadMotor(IntEnum):
    """BarnOwl: the continuous head turn, each in [-1, 1] (units of 90 degrees)."""

    HEAD_TURN = 0  # azimuth (yaw), + to the right
    HEAD_PITCH = 1  # elevation, + up


#: The columns of every (bodies, 2) direction, cue and turn.
AZIMUTH, ELEVATION = 0, 1
DIMENSIONS = ("azimuth", "elevation")

# --- geometry (named constants, not magic numbers) -----------------------------------
#: Interaural time difference per degree of azimuth near the midline, in the
#: barn owl's range of about 2.5-3.7 microseconds per degree.
ITD_US_PER_DEGREE = 3.0
#: ITD grows as the sine of azimuth (a spherical-head approximation), so the
#: largest ITD (a source at 90 degrees) is the midline slope times 180/pi.
ITD_MAX_US = ITD_US_PER_DEGREE * 180.0 / np.pi
#: Interaural level difference per degree of elevation near the horizon: the
#: barn owl's left ear points down and its right ear up, so ILD (right louder:
#: +) grows with elevation at the high frequencies it hunts by. A design value
#: of the right size (about 20 dB across the frontal field), shaped like ITD.
ILD_DB_PER_DEGREE = 0.3
ILD_MAX_DB = ILD_DB_PER_DEGREE * 180.0 / np.pi
#: A strike within the owl's acuity (minimum audible angle ~4 degrees) catches the prey.
ACUITY_DEG = 4.0
#: The largest head turn one saccade makes in each dimension (an action of 1.0).
MAX_TURN_DEG = 90.0
#: The learner "does not act" when its head turn is within this fraction of MAX_TURN_DEG in both dimensions.
IDLE_ACTION = 0.01
#: A target seen further than this off the fovea after a saccade gets a corrective one.
FOVEA_DEG = 2.0

# --- the maps' adjustment (design values; see docs/science.md) -------------------------
#: Age (days) at which the sensitive period ends, and how gradually (days).
SENSITIVE_PERIOD_END_DAYS = 200.0
SENSITIVE_PERIOD_WIDTH_DAYS = 30.0
#: The fraction of an instructive error the auditory map moves per paired trial.
JUVENILE_RATE = 1e-3
ADULT_RATE = 5e-4
#: The reach (degrees) of the tectal projections: errors much larger than it do not instruct.
JUVENILE_REACH_DEG = 40.0
ADULT_REACH_DEG = 7.0
#: The largest shift the auditory map can make (Knudsen & Knudsen 1989: about 20 degrees).
SHIFT_CAP_DEG = 20.0
#: Gains are adjusted by the same rule, slower (per unit of normalised direction), and stay in range.
GAIN_RATE_FRACTION = 0.1
GAIN_RANGE = (0.5, 1.5)
GAIN_REFERENCE_DEG = 60.0
#: The azimuth range the topographic bins span.
MAP_RANGE_DEG = 90.0

# --- reward ------------------------------------------------------------------------------
CATCH_REWARD = 1.0
EFFORT_COST = 0.02  # per MAX_TURN_DEG of head turn (angular distance)


class OrientingReason(IntEnum):
    """Why a reflex turned the head."""

    ORIENT = 0  # a saccade to a new target, by the maps
    CORRECT = 1  # a corrective saccade to a target seen off the fovea


@dataclass(frozen=True, slots=True)
class OwlSenses:
    """What the reflexes read, before the head moves.

    ``onset`` (bodies,): a target has just appeared (a sudden salient stimulus).
    ``sound`` (bodies, 2): the ITD (microseconds) and ILD (dB) heard (NaN where nothing is heard).
    ``retinal_deg`` (bodies, 2): where the target's image falls on the retina (NaN where unseen).
    """

    onset: np.ndarray
    sound: np.ndarray
    retinal_deg: np.ndarray


@dataclass(frozen=True, slots=True)
class OwlEvents:
    """What happened in a step, after the head moved; (bodies,) or (bodies, 2) arrays.

    ``age_days``: the owl's age. ``turn_deg`` (bodies, 2): the head turn executed.
    ``saccade``: this step's turn was the orienting saccade to a new target.
    ``sound``, ``retinal_before_deg`` (bodies, 2): the cues the saccade started from (NaN where absent).
    ``retinal_after_deg`` (bodies, 2): where the image lies after the saccade (NaN where unseen).
    ``visual_reflex``: the orienting reflex steered this saccade by sight alone.
    ``strike``: the owl struck; ``strike_error_deg`` (bodies, 2): where the talons landed
    from the prey (NaN where no strike).
    """

    age_days: np.ndarray
    turn_deg: np.ndarray
    saccade: np.ndarray
    sound: np.ndarray
    retinal_before_deg: np.ndarray
    retinal_after_deg: np.ndarray
    visual_reflex: np.ndarray
    strike: np.ndarray
    strike_error_deg: np.ndarray


# --- the science, as plain functions ----------------------------------------------------
#: Degrees to radians and back, as numpy's ``deg2rad`` and ``rad2deg`` multiply.
RADIANS_PER_DEGREE = np.pi / 180.0
DEGREES_PER_RADIAN = 180.0 / np.pi


def filled(x: np.ndarray, value: float = 0.0) -> np.ndarray:
    """``x`` with NaN (an absent cue) replaced by ``value``; cheaper than ``np.nan_to_num``."""
    return np.where(np.isnan(x), value, x)


def present(cue: np.ndarray) -> np.ndarray:
    """(bodies,) where a (bodies, 2) cue is there (not a row of NaN)."""
    return ~np.isnan(cue[:, AZIMUTH])


def angular_distance(offset_deg: np.ndarray) -> np.ndarray:
    """(bodies,) the angle (degrees) of a (bodies, 2) azimuth-elevation offset; flat-sky, fine at a strike's small angles."""
    return np.hypot(offset_deg[:, AZIMUTH], offset_deg[:, ELEVATION])


# Compiled, and written so that each takes a number or an array: the step kernel calls them for one
# owl, the tests and the batch functions below for many. ITD and ILD share one geometry: a cue grows
# as the sine of its angle, up to its largest value at 90 degrees.
@jit
def cue_of_angle(angle_deg, largest_cue):  # type: ignore[no-untyped-def]
    """The binaural cue (ITD or ILD) of a source at a head-centred angle (degrees), ``largest_cue`` at 90 degrees."""
    return largest_cue * np.sin(angle_deg * RADIANS_PER_DEGREE)


@jit
def angle_of_cue(cue, largest_cue):  # type: ignore[no-untyped-def]
    """The innate reading of a binaural cue as an angle (degrees): the inverse of ``cue_of_angle``."""
    return np.arcsin(np.minimum(np.maximum(cue / largest_cue, -1.0), 1.0)) * DEGREES_PER_RADIAN


@jit
def itd_of_azimuth(azimuth_deg):  # type: ignore[no-untyped-def]
    """The ITD (microseconds) of a source at a head-centred azimuth (degrees)."""
    return cue_of_angle(azimuth_deg, ITD_MAX_US)


@jit
def azimuth_of_itd(itd_us):  # type: ignore[no-untyped-def]
    """The innate reading of an ITD as an azimuth (degrees): the inverse of ``itd_of_azimuth``."""
    return angle_of_cue(itd_us, ITD_MAX_US)


@jit
def ild_of_elevation(elevation_deg):  # type: ignore[no-untyped-def]
    """The ILD (dB) of a source at a head-centred elevation (degrees)."""
    return cue_of_angle(elevation_deg, ILD_MAX_DB)


@jit
def elevation_of_ild(ild_db):  # type: ignore[no-untyped-def]
    """The innate reading of an ILD as an elevation (degrees): the inverse of ``ild_of_elevation``."""
    return angle_of_cue(ild_db, ILD_MAX_DB)


def sound_of_direction(direction_deg: np.ndarray) -> np.ndarray:
    """(bodies, 2) the (ITD, ILD) of sources at (bodies, 2) head-centred (azimuth, elevation)."""
    return np.stack([itd_of_azimuth(direction_deg[:, AZIMUTH]), ild_of_elevation(direction_deg[:, ELEVATION])], axis=1)


def direction_of_sound(sound: np.ndarray) -> np.ndarray:
    """(bodies, 2) the innate reading of (ITD, ILD) as (azimuth, elevation): the maps before any adjustment."""
    return np.stack([azimuth_of_itd(sound[:, AZIMUTH]), elevation_of_ild(sound[:, ELEVATION])], axis=1)


@jit
def maturity(age_days):  # type: ignore[no-untyped-def]
    """0 in the young juvenile, 1 in the adult: the end of the sensitive period."""
    return 1.0 / (1.0 + np.exp(-(age_days - SENSITIVE_PERIOD_END_DAYS) / SENSITIVE_PERIOD_WIDTH_DAYS))


@jit
def plasticity(age_days, juvenile_rate=JUVENILE_RATE, adult_rate=ADULT_RATE,  # type: ignore[no-untyped-def]
               juvenile_reach_deg=JUVENILE_REACH_DEG, adult_reach_deg=ADULT_REACH_DEG):
    """(rate, reach in degrees) of the map adjustment at an age: both fall after the sensitive period."""
    m = maturity(age_days)
    return juvenile_rate + (adult_rate - juvenile_rate) * m, juvenile_reach_deg + (adult_reach_deg - juvenile_reach_deg) * m


@jit
def instruction(error_deg, reach_deg):  # type: ignore[no-untyped-def]
    """How strongly an error instructs: 1 for small errors, falling off beyond the reach."""
    x = error_deg / reach_deg
    return np.exp(-0.5 * (x * x))


def bin_centres(bins: int) -> np.ndarray:
    """Azimuths (degrees) of the auditory map's offset bins (one bin: the midline)."""
    return np.zeros(1) if bins == 1 else np.linspace(-MAP_RANGE_DEG, MAP_RANGE_DEG, bins)


# --- the maps and the rule, compiled: one owl at a time (called from BarnOwl's step kernel) ---
# Those the kernel calls for every owl and step are pasted into it (``jit(inline=True)``): a call of one
# taking arrays changed their reference counts (atomic operations), and (since the kernel runs without
# reference counting) still passes each array as its seven fields. ``adjust``, four calls on a paired
# saccade only, stays a call: pasted four times, it cost the cold compile more than it saved.
#: The rule's constants and where each map's numbers lie in the parameters' columns, as the
#: compiled functions read them (``OwlSteering.constants``).
OWL_CONSTANTS = np.dtype([
    ("juvenile_rate", np.float64), ("adult_rate", np.float64), ("juvenile_reach_deg", np.float64), ("adult_reach_deg", np.float64),
    ("shift_cap_deg", np.float64), ("plastic", np.bool_),
    *((f"column_{m}_{d}_{k}", np.int64) for m in ("auditory", "saccade") for d in DIMENSIONS for k in ("offset", "gain")),
])


#: The share of a step an untopographic map's one offset takes: all of it.
WHOLE_MAP = np.ones(1)
#: The reasons as plain integers, as the compiled reflex returns them.
ORIENT_REASON, CORRECT_REASON = int(OrientingReason.ORIENT), int(OrientingReason.CORRECT)


@jit(inline=True)
def bin_span(azimuth_deg, centres):  # type: ignore[no-untyped-def]
    """(lo, frac): an azimuth lies between the map's bins lo and lo + 1, ``frac`` of the way (linear interpolation).

    One bin (the whole map): (0, 0.0), all of it in bin 0.
    """
    n = centres.shape[0]
    if n == 1:
        return 0, 0.0
    x = min(max(azimuth_deg, centres[0]), centres[n - 1])
    pos = (x - centres[0]) / (centres[1] - centres[0])
    lo = min(np.int64(np.floor(pos)), n - 2)
    return lo, pos - lo


@jit(inline=True)
def azimuth_offset(params, b, first, centres, lo, frac):  # type: ignore[no-untyped-def]
    """Owl ``b``'s auditory azimuth offset where the map reads bin ``lo`` and ``frac`` of bin lo + 1 (columns from ``first``)."""
    if centres.shape[0] == 1:
        return params[b, first] * 1.0
    return params[b, first + lo] * (1.0 - frac) + params[b, first + lo + 1] * frac


@jit(inline=True)
def auditory_place(c, params, b, centres, itd, ild):  # type: ignore[no-untyped-def]
    """(azimuth, elevation) where owl ``b``'s auditory map places a heard (ITD, ILD) (degrees, head-centred)."""
    return auditory_place_of_reading(c, params, b, centres, azimuth_of_itd(itd), elevation_of_ild(ild))


@jit(inline=True)
def auditory_place_of_reading(c, params, b, centres, raw_azimuth, raw_elevation):  # type: ignore[no-untyped-def]
    """``auditory_place`` from the cues' innate reading (``azimuth_of_itd``, ``elevation_of_ild``), for a caller that has it."""
    lo, frac = bin_span(raw_azimuth, centres)
    offset = azimuth_offset(params, b, c["column_auditory_azimuth_offset"], centres, lo, frac)
    return (params[b, c["column_auditory_azimuth_gain"]] * raw_azimuth + offset,
            params[b, c["column_auditory_elevation_gain"]] * raw_elevation + params[b, c["column_auditory_elevation_offset"]])


@jit(inline=True)
def saccade_of(c, params, b, azimuth, elevation):  # type: ignore[no-untyped-def]
    """The head turn (degrees) owl ``b``'s motor map makes for a tectal location."""
    return (params[b, c["column_saccade_azimuth_gain"]] * azimuth + params[b, c["column_saccade_azimuth_offset"]],
            params[b, c["column_saccade_elevation_gain"]] * elevation + params[b, c["column_saccade_elevation_offset"]])


#: A sum of squares decides a comparison of a distance with a radius unless it lies this close (relative) to the
#: radius squared: it and np.hypot are each within a few 1e-16 of the exact value.
SQUARES_MARGIN = 1e-12


@jit
def distance_to_compare(a, b, radius):  # type: ignore[no-untyped-def]
    """``np.hypot(a, b)`` where it is near ``radius``; elsewhere 0 or infinity, on the same side of ``radius``.

    Compared with ``radius`` (``<=``, ``>``), it decides as the hypot itself would, bit for bit, NaN
    included, but pays for the hypot (one of a step's dearest calls) only within ``SQUARES_MARGIN``.
    """
    squares, limit = a * a + b * b, radius * radius
    if squares < limit * (1.0 - SQUARES_MARGIN):
        return 0.0
    if squares > limit * (1.0 + SQUARES_MARGIN):
        return np.inf
    return np.hypot(a, b)


@jit(inline=True)
def orienting_reflex(c, params, b, centres, enabled, onset, sound, retinal, proposed, executed):  # type: ignore[no-untyped-def]
    """Owl ``b``'s orienting reflex: the executed turn (units of MAX_TURN_DEG) into ``executed``; (took over, reason).

    At onset a target heard or seen triggers a saccade to where the maps place it (a heard
    one by the auditory map, a silent seen one by vision); later a target seen more than
    ``FOVEA_DEG`` off the fovea triggers a corrective one. It takes over only where the
    learner does not act (``|proposed| <= IDLE_ACTION`` in both dimensions); elsewhere
    ``executed`` is the proposed turn.
    """
    executed[0], executed[1] = proposed[0], proposed[1]
    if not enabled:
        return False, NO_REFLEX
    seen, heard = not np.isnan(retinal[AZIMUTH]), not np.isnan(sound[AZIMUTH])
    if onset:
        fired = seen or heard
    else:
        fired = seen and distance_to_compare(retinal[AZIMUTH], retinal[ELEVATION], FOVEA_DEG) > FOVEA_DEG
    if not fired or max(abs(proposed[0]), abs(proposed[1])) > IDLE_ACTION:
        return False, NO_REFLEX
    if heard:
        azimuth, elevation = auditory_place(c, params, b, centres, sound[AZIMUTH], sound[ELEVATION])
    else:
        azimuth, elevation = retinal[AZIMUTH], retinal[ELEVATION]
    turn_azimuth, turn_elevation = saccade_of(c, params, b, azimuth, elevation)
    executed[0] = min(max(turn_azimuth, -MAX_TURN_DEG), MAX_TURN_DEG) / MAX_TURN_DEG
    executed[1] = min(max(turn_elevation, -MAX_TURN_DEG), MAX_TURN_DEG) / MAX_TURN_DEG
    return True, ORIENT_REASON if onset else CORRECT_REASON


@jit
def adjust(c, params, b, offset_column, gain_column, error, raw, rate, reach, share, share_max):  # type: ignore[no-untyped-def]
    """Move one map's offset (or a topographic map's ``share``d offsets) and gain, in one dimension, by the rule."""
    cap = c["shift_cap_deg"]
    step = rate * instruction(error, reach) * error
    for k in range(share.shape[0]):
        params[b, offset_column + k] = min(max(params[b, offset_column + k] + step * share[k], -cap), cap)
    gain_step = GAIN_RATE_FRACTION * step * raw / GAIN_REFERENCE_DEG * share_max
    params[b, gain_column] = min(max(params[b, gain_column] + gain_step, GAIN_RANGE[0]), GAIN_RANGE[1])


@jit(inline=True)
def realign(c, params, b, centres, instructed, share, age_days, turn, saccade, sound, retinal_before, retinal_after,  # type: ignore[no-untyped-def]
            visual_reflex):
    """The fixed update rule for owl ``b`` after its step, in each dimension by its own error (``share``: scratch, one per bin).

    After a saccade to a target both seen and heard, the visual error left over less
    the error the auditory map predicted moves the auditory map; after one the reflex
    steered by sight alone, the visual error left over moves the saccade map.
    """
    if not c["plastic"] or not saccade or np.isnan(retinal_after[AZIMUTH]):
        return
    rate, reach = plasticity(age_days, c["juvenile_rate"], c["adult_rate"], c["juvenile_reach_deg"], c["adult_reach_deg"])
    if not np.isnan(sound[AZIMUTH]):
        raw_azimuth, raw_elevation = azimuth_of_itd(sound[AZIMUTH]), elevation_of_ild(sound[ELEVATION])
        located_azimuth, located_elevation = auditory_place_of_reading(c, params, b, centres, raw_azimuth, raw_elevation)
        # The error the map predicted is where it placed the sound less the turn; the instructive error is the difference.
        error_azimuth = retinal_after[AZIMUTH] - (located_azimuth - turn[AZIMUTH])
        error_elevation = retinal_after[ELEVATION] - (located_elevation - turn[ELEVATION])
        # The azimuth offset is topographic: the bins the map read the sound from share the error.
        lo, frac = bin_span(raw_azimuth, centres)
        share[:] = 0.0
        if centres.shape[0] == 1:
            share[0] = 1.0
        else:
            share[lo], share[lo + 1] = 1.0 - frac, frac
        share_max = 0.0
        for k in range(share.shape[0]):
            share[k] = share[k] * instructed[k]
            share_max = max(share_max, share[k])
        adjust(c, params, b, c["column_auditory_azimuth_offset"], c["column_auditory_azimuth_gain"], error_azimuth, raw_azimuth,
               rate, reach, share, share_max)
        adjust(c, params, b, c["column_auditory_elevation_offset"], c["column_auditory_elevation_gain"], error_elevation,
               raw_elevation, rate, reach, WHOLE_MAP, 1.0)
    if visual_reflex:
        adjust(c, params, b, c["column_saccade_azimuth_offset"], c["column_saccade_azimuth_gain"], retinal_after[AZIMUTH],
               retinal_before[AZIMUTH], rate, reach, WHOLE_MAP, 1.0)
        adjust(c, params, b, c["column_saccade_elevation_offset"], c["column_saccade_elevation_gain"], retinal_after[ELEVATION],
               retinal_before[ELEVATION], rate, reach, WHOLE_MAP, 1.0)


@jit(inline=True)
def strike_reward(turn, strike, strike_error):  # type: ignore[no-untyped-def]
    """(catch, effort): a strike within the acuity catches the prey; every degree turned costs a little.

    The angle turned is ``sqrt(a*a + b*b)``, not ``np.hypot``: a turn is at most a few hundred degrees,
    so the squares can neither overflow nor matter below float64's range, and the square root costs a
    fifth of libm's ``hypot``. The two differ by at most one float64 ULP of the angle, on 17% of turns;
    the effort, two roundings later, by at most three (tests/test_owl.py measures it).
    """
    caught = strike and distance_to_compare(strike_error[AZIMUTH], strike_error[ELEVATION], ACUITY_DEG) <= ACUITY_DEG
    turned = np.sqrt(turn[AZIMUTH] * turn[AZIMUTH] + turn[ELEVATION] * turn[ELEVATION])
    return (CATCH_REWARD if caught else 0.0), -EFFORT_COST * turned / MAX_TURN_DEG


@jit(inline=True)
def auditory_shift_of(c, params, b, bins):  # type: ignore[no-untyped-def]
    """(azimuth, elevation): owl ``b``'s auditory map's shift from its innate place: its mean azimuth offset, its elevation offset."""
    first = c["column_auditory_azimuth_offset"]
    return short_pairwise_sum(params[b], first, bins) / bins, params[b, c["column_auditory_elevation_offset"]]


# --- the same functions over a batch, for the Steering API (arrays in, arrays out) ----------
@jit
def _auditory_places(constants, params, centres, sound, out):  # type: ignore[no-untyped-def]
    c = constants[0]
    for b in range(sound.shape[0]):
        # Each coordinate absent (NaN) where its cue is.
        located = auditory_place(c, params, b, centres, 0.0 if np.isnan(sound[b, 0]) else sound[b, 0],
                                 0.0 if np.isnan(sound[b, 1]) else sound[b, 1])
        for d in range(2):
            out[b, d] = np.nan if np.isnan(sound[b, d]) else located[d]


@jit
def _saccades(constants, params, location, out):  # type: ignore[no-untyped-def]
    c = constants[0]
    for b in range(location.shape[0]):
        out[b, 0], out[b, 1] = saccade_of(c, params, b, location[b, 0], location[b, 1])


@jit
def _auditory_shifts(constants, params, bins, out):  # type: ignore[no-untyped-def]
    c = constants[0]
    for b in range(out.shape[0]):
        out[b, 0], out[b, 1] = auditory_shift_of(c, params, b, bins)


@jit
def _reflexes(constants, params, centres, enabled, onset, sound, retinal, proposed, executed, took_over, reason):  # type: ignore[no-untyped-def]
    c = constants[0]
    for b in range(proposed.shape[0]):
        took_over[b], reason[b] = orienting_reflex(c, params, b, centres, enabled, onset[b], sound[b], retinal[b], proposed[b], executed[b])


@jit
def _evaluations(constants, params, centres, instructed, age_days, turn, saccade, sound, retinal_before, retinal_after,  # type: ignore[no-untyped-def]
                 visual_reflex, strike, strike_error, catch, effort):
    c = constants[0]
    share = np.empty(centres.shape[0])
    for b in range(turn.shape[0]):
        catch[b], effort[b] = strike_reward(turn[b], strike[b], strike_error[b])
        realign(c, params, b, centres, instructed, share, age_days[b], turn[b], saccade[b], sound[b], retinal_before[b],
                retinal_after[b], visual_reflex[b])


def _floats(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=np.float64)


def _flags(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=np.bool_)


class OrientingReflex(Reflex[OwlSenses]):
    """Turn the head to a sudden stimulus by the maps; correct a target seen off the fovea.

    At a target's onset, a saccade to where the maps place it: a heard target
    by the auditory map (the sudden rustle is what the owl turns to), a silent
    seen one by vision. Later in the trial, a target still seen more than
    ``FOVEA_DEG`` off the fovea gets a corrective saccade. One step each, and
    only where the learner does not act. Written once, as the compiled
    ``orienting_reflex`` (one owl), which BarnOwl's step kernel calls;
    ``OwlSteering.reflex`` runs it over a batch.
    """

    name = "orienting"
    reasons = OrientingReason

    def __init__(self, centres: np.ndarray) -> None:
        super().__init__(duration=1)
        self.centres = centres


class OwlSteering(Steering[OwlSenses, OwlEvents]):
    """The tectum's map alignment, the orienting reflex and the strike reward of a barn owl.

    Reward components (summed into the reward):
        ``catch``: ``CATCH_REWARD`` for a strike landing within ``ACUITY_DEG`` (angular distance) of the prey.
        ``effort``: ``-EFFORT_COST`` per ``MAX_TURN_DEG`` of head turned (angular distance).

    Innate adjustable parameters (8 numbers per owl; ``topographic_bins`` - 1 more when topographic):
        ``auditory_azimuth_offset``, ``auditory_azimuth_gain``: where the
            auditory map places a sound in azimuth: ``gain x azimuth_of_itd(ITD) + offset``.
        ``auditory_elevation_offset``, ``auditory_elevation_gain``: the same
            in elevation, from ``elevation_of_ild(ILD)``.
        ``saccade_azimuth_offset``, ``saccade_azimuth_gain``,
        ``saccade_elevation_offset``, ``saccade_elevation_gain``: the head turn
            the motor map makes for a tectal location: ``gain x location + offset``.
        Innate values: offsets 0, gains 1 (the maps are born in register).

    The rule's constants are arguments (defaults: the module's design values), so an
    experiment can scale them for a sensitivity band: ``juvenile_rate``, ``adult_rate``
    (fraction of the error per paired trial), ``juvenile_reach_deg``,
    ``adult_reach_deg``, ``shift_cap_deg``.

    The fixed rule (``plastic=False`` freezes it: a lesion of the update rule), in
    azimuth and in elevation alike, each dimension by its own error:
        after an orienting saccade to a target both seen and heard, the
        instructive error is the visual error left after the saccade minus the
        error the auditory map predicted for it (which equals visual location
        minus auditory location, whoever moved the head). The auditory offset
        moves by ``rate(age) x instruction(error, reach(age)) x error``, capped
        at +-``shift_cap_deg`` (``SHIFT_CAP_DEG``); its gain by a tenth of that per unit of
        normalised direction. After a saccade the reflex steered by sight alone,
        the visual error left over calibrates the saccade map the same way.

    Reflexes (when ``reflexes`` is on and the learner does not act, ``|action| <= IDLE_ACTION`` in both dimensions):
        ``orient``: at a target's onset, a head saccade to where the maps place
            it: heard targets by the auditory map, silent seen ones by vision.
        ``correct``: a target still seen more than ``FOVEA_DEG`` off the fovea
            after the orienting saccade gets a corrective saccade.

    The maps, the reflex and the rule are compiled functions (``auditory_place``,
    ``orienting_reflex``, ``realign``, ``strike_reward``) called from BarnOwl's step
    kernel; this class's methods run the same functions over a batch.
    """

    def __init__(self, plastic: bool = True, topographic_bins: int = 1, lesioned_bins: tuple[int, ...] = (),
                 juvenile_rate: float = JUVENILE_RATE, adult_rate: float = ADULT_RATE,
                 juvenile_reach_deg: float = JUVENILE_REACH_DEG, adult_reach_deg: float = ADULT_REACH_DEG,
                 shift_cap_deg: float = SHIFT_CAP_DEG) -> None:
        super().__init__()
        rule = {"juvenile_rate": juvenile_rate, "adult_rate": adult_rate, "juvenile_reach_deg": juvenile_reach_deg,
                "adult_reach_deg": adult_reach_deg, "shift_cap_deg": shift_cap_deg}
        for name, value in rule.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ValueError(f"{name}={value!r} is invalid: expected a number > 0")
        #: The rule's constants (the sensitive period's rate and reach, the cap), for a sensitivity band.
        self.rule = {k: float(v) for k, v in rule.items() if k != "shift_cap_deg"}
        self.shift_cap_deg = float(shift_cap_deg)
        if not isinstance(topographic_bins, (int, np.integer)) or isinstance(topographic_bins, bool) or topographic_bins < 1:
            raise ValueError(f"topographic_bins={topographic_bins!r} is invalid: expected an integer >= 1 (1: one offset for the whole map)")
        bad = [b for b in lesioned_bins if not (isinstance(b, (int, np.integer)) and 0 <= b < topographic_bins)]
        if bad:
            raise ValueError(f"lesioned_bins={lesioned_bins!r} is invalid: expected bin indices in [0, {topographic_bins})")
        self.plastic = bool(plastic)
        self.centres = bin_centres(int(topographic_bins))
        # Where the tectum still sends its instructive signal (a lesion cuts it in some azimuth bins).
        self.instructed = np.ones(int(topographic_bins))
        self.instructed[list(lesioned_bins)] = 0.0
        self.reflexes = (OrientingReflex(self.centres),)
        self.parameters = InnateParameters({
            "auditory_azimuth_offset": tuple([0.0] * int(topographic_bins)),
            "auditory_azimuth_gain": 1.0,
            "auditory_elevation_offset": 0.0,
            "auditory_elevation_gain": 1.0,
            "saccade_azimuth_offset": 0.0,
            "saccade_azimuth_gain": 1.0,
            "saccade_elevation_offset": 0.0,
            "saccade_elevation_gain": 1.0,
        })

    @property
    def constants(self) -> np.ndarray:
        """The rule's constants and the maps' columns as an array of one record (``OWL_CONSTANTS``), as the compiled functions read them."""
        columns = tuple(self.parameters.columns(name[len("column_"):]).start for name in OWL_CONSTANTS.names if name.startswith("column_"))
        r = self.rule
        values = (r["juvenile_rate"], r["adult_rate"], r["juvenile_reach_deg"], r["adult_reach_deg"], self.shift_cap_deg, self.plastic, *columns)
        return np.array([values], dtype=OWL_CONSTANTS)

    # --- the maps ---------------------------------------------------------------------
    def auditory_location(self, sound: np.ndarray) -> np.ndarray:
        """(bodies, 2) where each owl's auditory map places a sound (degrees); NaN where nothing is heard."""
        out = np.empty((sound.shape[0], 2))
        _auditory_places(self.constants, self.parameters.values, self.centres, _floats(sound), out)
        return out

    def saccade(self, location_deg: np.ndarray) -> np.ndarray:
        """(bodies, 2) the head turn (degrees) each owl's motor map makes for a tectal location."""
        out = np.empty((location_deg.shape[0], 2))
        _saccades(self.constants, self.parameters.values, _floats(location_deg), out)
        return out

    def auditory_shift(self) -> np.ndarray:
        """(bodies, 2) the auditory map's offset from its innate place (degrees): mean azimuth offset, elevation offset."""
        out = np.empty((self.parameters.values.shape[0], 2))
        _auditory_shifts(self.constants, self.parameters.values, len(self.centres), out)
        return out

    # --- the reflexes -----------------------------------------------------------------
    def reflex(self, senses: OwlSenses, proposed: np.ndarray) -> ReflexTakeover:
        """The orienting reflex takes over only where the learner does not act (a voluntary turn wins)."""
        n = proposed.shape[0]
        executed, took_over, reason = np.empty((n, 2)), np.empty(n, dtype=np.bool_), np.empty(n, dtype=np.int64)
        _reflexes(self.constants, self.parameters.values, self.centres, self.reflexes_enabled, _flags(senses.onset),
                  _floats(senses.sound), _floats(senses.retinal_deg), _floats(proposed), executed, took_over, reason)
        return ReflexTakeover(took_over, executed, reason)

    # --- reward and the rule ----------------------------------------------------------
    def evaluate(self, events: OwlEvents, reflex: ReflexTakeover) -> SteeringOutput:
        """Reward the strike and the effort; then let the rule realign the maps."""
        n = events.saccade.shape[0]
        catch, effort = np.empty(n), np.empty(n)
        _evaluations(self.constants, self.parameters.values, self.centres, self.instructed, _floats(np.broadcast_to(events.age_days, n)),
                     _floats(events.turn_deg), _flags(events.saccade), _floats(events.sound), _floats(events.retinal_before_deg),
                     _floats(events.retinal_after_deg), _flags(events.visual_reflex), _flags(events.strike),
                     _floats(events.strike_error_deg), catch, effort)
        return SteeringOutput(
            reward=catch + effort,
            components={"catch": catch, "effort": effort},
            drives={},
            reflex=reflex,
            reason_names=self.reason_names,
        )


__all__ = [
    "ACUITY_DEG",
    "AZIMUTH",
    "ELEVATION",
    "ILD_DB_PER_DEGREE",
    "ILD_MAX_DB",
    "ITD_MAX_US",
    "ITD_US_PER_DEGREE",
    "MAX_TURN_DEG",
    "OWL_CONSTANTS",
    "OrientingReason",
    "OrientingReflex",
    "OwlEvents",
    "OwlSenses",
    "OwlSteering",
    "angular_distance",
    "auditory_place",
    "auditory_shift_of",
    "azimuth_of_itd",
    "direction_of_sound",
    "elevation_of_ild",
    "filled",
    "ild_of_elevation",
    "itd_of_azimuth",
    "orienting_reflex",
    "present",
    "realign",
    "sound_of_direction",
    "plasticity",
    "strike_reward",
]

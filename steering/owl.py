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
def filled(x: np.ndarray, value: float = 0.0) -> np.ndarray:
    """``x`` with NaN (an absent cue) replaced by ``value``; cheaper than ``np.nan_to_num``."""
    return np.where(np.isnan(x), value, x)


def present(cue: np.ndarray) -> np.ndarray:
    """(bodies,) where a (bodies, 2) cue is there (not a row of NaN)."""
    return ~np.isnan(cue[:, AZIMUTH])


def angular_distance(offset_deg: np.ndarray) -> np.ndarray:
    """(bodies,) the angle (degrees) of a (bodies, 2) azimuth-elevation offset; flat-sky, fine at a strike's small angles."""
    return np.hypot(offset_deg[:, AZIMUTH], offset_deg[:, ELEVATION])


def itd_of_azimuth(azimuth_deg: np.ndarray) -> np.ndarray:
    """The ITD (microseconds) of a source at a head-centred azimuth (degrees)."""
    return ITD_MAX_US * np.sin(np.deg2rad(azimuth_deg))


def azimuth_of_itd(itd_us: np.ndarray) -> np.ndarray:
    """The innate reading of an ITD as an azimuth (degrees): the inverse of ``itd_of_azimuth``."""
    return np.rad2deg(np.arcsin(np.clip(itd_us / ITD_MAX_US, -1.0, 1.0)))


def ild_of_elevation(elevation_deg: np.ndarray) -> np.ndarray:
    """The ILD (dB) of a source at a head-centred elevation (degrees)."""
    return ILD_MAX_DB * np.sin(np.deg2rad(elevation_deg))


def elevation_of_ild(ild_db: np.ndarray) -> np.ndarray:
    """The innate reading of an ILD as an elevation (degrees): the inverse of ``ild_of_elevation``."""
    return np.rad2deg(np.arcsin(np.clip(ild_db / ILD_MAX_DB, -1.0, 1.0)))


def sound_of_direction(direction_deg: np.ndarray) -> np.ndarray:
    """(bodies, 2) the (ITD, ILD) of sources at (bodies, 2) head-centred (azimuth, elevation)."""
    return np.stack([itd_of_azimuth(direction_deg[:, AZIMUTH]), ild_of_elevation(direction_deg[:, ELEVATION])], axis=1)


def direction_of_sound(sound: np.ndarray) -> np.ndarray:
    """(bodies, 2) the innate reading of (ITD, ILD) as (azimuth, elevation): the maps before any adjustment."""
    return np.stack([azimuth_of_itd(sound[:, AZIMUTH]), elevation_of_ild(sound[:, ELEVATION])], axis=1)


def maturity(age_days: np.ndarray) -> np.ndarray:
    """0 in the young juvenile, 1 in the adult: the end of the sensitive period."""
    return 1.0 / (1.0 + np.exp(-(np.asarray(age_days, dtype=np.float64) - SENSITIVE_PERIOD_END_DAYS) / SENSITIVE_PERIOD_WIDTH_DAYS))


def plasticity(age_days: np.ndarray, juvenile_rate: float = JUVENILE_RATE, adult_rate: float = ADULT_RATE,
               juvenile_reach_deg: float = JUVENILE_REACH_DEG, adult_reach_deg: float = ADULT_REACH_DEG) -> tuple[np.ndarray, np.ndarray]:
    """(rate, reach in degrees) of the map adjustment at an age: both fall after the sensitive period."""
    m = maturity(age_days)
    return juvenile_rate + (adult_rate - juvenile_rate) * m, juvenile_reach_deg + (adult_reach_deg - juvenile_reach_deg) * m


def instruction(error_deg: np.ndarray, reach_deg: np.ndarray) -> np.ndarray:
    """How strongly an error instructs: 1 for small errors, falling off beyond the reach."""
    return np.exp(-0.5 * (error_deg / reach_deg) ** 2)


def bin_centres(bins: int) -> np.ndarray:
    """Azimuths (degrees) of the auditory map's offset bins (one bin: the midline)."""
    return np.zeros(1) if bins == 1 else np.linspace(-MAP_RANGE_DEG, MAP_RANGE_DEG, bins)


def bin_weights(azimuth_deg: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """(bodies, bins) linear-interpolation weights of each azimuth between its two nearest bins."""
    if len(centres) == 1:
        return np.ones((len(azimuth_deg), 1))
    x = np.clip(azimuth_deg, centres[0], centres[-1])
    step = centres[1] - centres[0]
    pos = (x - centres[0]) / step
    lo = np.minimum(np.floor(pos).astype(np.int64), len(centres) - 2)
    frac = pos - lo
    w = np.zeros((len(x), len(centres)))
    rows = np.arange(len(x))
    w[rows, lo] = 1.0 - frac
    w[rows, lo + 1] += frac
    return w


def auditory_location(params: InnateParameters, centres: np.ndarray, sound: np.ndarray) -> np.ndarray:
    """(bodies, 2) where the auditory map places a sound (degrees, head-centred); NaN where nothing is heard."""
    raw = direction_of_sound(filled(sound))
    azimuth_offset = np.sum(params["auditory_azimuth_offset"] * bin_weights(raw[:, AZIMUTH], centres), axis=1)
    location = np.stack([
        params["auditory_azimuth_gain"][:, 0] * raw[:, AZIMUTH] + azimuth_offset,
        params["auditory_elevation_gain"][:, 0] * raw[:, ELEVATION] + params["auditory_elevation_offset"][:, 0],
    ], axis=1)
    return np.where(np.isnan(sound), np.nan, location)


def saccade_turn(params: InnateParameters, location_deg: np.ndarray) -> np.ndarray:
    """(bodies, 2) the head turn (degrees) the motor map makes for a (bodies, 2) tectal location."""
    return np.stack([
        params["saccade_azimuth_gain"][:, 0] * location_deg[:, AZIMUTH] + params["saccade_azimuth_offset"][:, 0],
        params["saccade_elevation_gain"][:, 0] * location_deg[:, ELEVATION] + params["saccade_elevation_offset"][:, 0],
    ], axis=1)


class OrientingReflex(Reflex[OwlSenses]):
    """Turn the head to a sudden stimulus by the maps; correct a target seen off the fovea.

    At a target's onset, a saccade to where the maps place it: a heard target
    by the auditory map (the sudden rustle is what the owl turns to), a silent
    seen one by vision. Later in the trial, a target still seen more than
    ``FOVEA_DEG`` off the fovea gets a corrective saccade. One step each.
    ``OwlSteering.reflex`` lets a learner that acts keep its own movement.
    """

    name = "orienting"
    reasons = OrientingReason

    def __init__(self, centres: np.ndarray) -> None:
        super().__init__(duration=1)
        self.centres = centres

    def trigger(self, senses: OwlSenses, params: InnateParameters) -> np.ndarray:
        seen = present(senses.retinal_deg)
        onset = senses.onset & (seen | present(senses.sound))
        off_fovea = ~senses.onset & seen & (angular_distance(filled(senses.retinal_deg)) > FOVEA_DEG)
        return onset | off_fovea

    def motor_program(self, senses: OwlSenses, params: InnateParameters) -> tuple[np.ndarray, np.ndarray]:
        heard = present(senses.sound)[:, None]
        location = np.where(heard, filled(auditory_location(params, self.centres, senses.sound)), filled(senses.retinal_deg))
        turn = np.clip(saccade_turn(params, location), -MAX_TURN_DEG, MAX_TURN_DEG)
        reason = np.where(senses.onset, OrientingReason.ORIENT, OrientingReason.CORRECT).astype(np.int64)
        return turn / MAX_TURN_DEG, reason


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

    # --- the maps ---------------------------------------------------------------------
    def auditory_location(self, sound: np.ndarray) -> np.ndarray:
        """(bodies, 2) where each owl's auditory map places a sound (degrees); NaN where nothing is heard."""
        return auditory_location(self.parameters, self.centres, sound)

    def saccade(self, location_deg: np.ndarray) -> np.ndarray:
        """(bodies, 2) the head turn (degrees) each owl's motor map makes for a tectal location."""
        return saccade_turn(self.parameters, location_deg)

    def auditory_shift(self) -> np.ndarray:
        """(bodies, 2) the auditory map's offset from its innate place (degrees): mean azimuth offset, elevation offset."""
        p = self.parameters
        return np.stack([p["auditory_azimuth_offset"].mean(axis=1), p["auditory_elevation_offset"][:, 0]], axis=1)

    # --- the reflexes -----------------------------------------------------------------
    def reflex(self, senses: OwlSenses, proposed: np.ndarray) -> ReflexTakeover:
        """The orienting reflex takes over only where the learner does not act (a voluntary turn wins)."""
        takeover = super().reflex(senses, proposed)
        if not takeover.mask.any():
            return takeover
        mask = takeover.mask & (np.abs(proposed).max(axis=1) <= IDLE_ACTION)
        return ReflexTakeover(mask, np.where(mask[:, None], takeover.executed, proposed), np.where(mask, takeover.reason, NO_REFLEX))

    # --- the rule ---------------------------------------------------------------------
    def instructive_error(self, events: OwlEvents) -> np.ndarray:
        """(bodies, 2) visual error left after the saccade minus the error the auditory map predicted (degrees)."""
        predicted_after = self.auditory_location(events.sound) - events.turn_deg
        return events.retinal_after_deg - predicted_after

    def realign(self, events: OwlEvents) -> None:
        """The fixed update rule, applied after this step's saccades, in each dimension by its own error."""
        if not self.plastic:
            return
        rate, reach = plasticity(events.age_days, **self.rule)
        paired = events.saccade & present(events.sound) & present(events.retinal_after_deg)
        if paired.any():
            i = np.flatnonzero(paired)
            raw = direction_of_sound(events.sound[i])
            # The azimuth offset is topographic: the bins the map read the sound from share the error.
            spread = bin_weights(raw[:, AZIMUTH], self.centres) * self.instructed
            self._adjust("auditory", i, self.instructive_error(events)[i], raw, rate[i], reach[i], spread)
        visual = events.saccade & events.visual_reflex & present(events.retinal_after_deg)
        if visual.any():
            i = np.flatnonzero(visual)
            self._adjust("saccade", i, events.retinal_after_deg[i], events.retinal_before_deg[i], rate[i], reach[i])

    def _adjust(self, map_name: str, i: np.ndarray, error: np.ndarray, raw: np.ndarray, rate: np.ndarray, reach: np.ndarray,
                azimuth_spread: np.ndarray | None = None) -> None:
        """Move one map's offsets and gains of owls ``i`` by the rule: the same in each dimension.

        ``error`` and ``raw`` (the direction the map read) are (owls, 2);
        ``azimuth_spread`` (owls, bins) shares the azimuth step among a
        topographic map's bins (None: the one offset takes it all).
        """
        p, cap = self.parameters, self.shift_cap_deg
        step = rate[:, None] * instruction(error, reach[:, None]) * error
        for d, dimension in enumerate(DIMENSIONS):
            offset, gain = p[f"{map_name}_{dimension}_offset"], p[f"{map_name}_{dimension}_gain"]
            share = azimuth_spread if (d == AZIMUTH and azimuth_spread is not None) else np.ones((len(i), 1))
            offset[i] = np.clip(offset[i] + step[:, d, None] * share, -cap, cap)
            gain_step = GAIN_RATE_FRACTION * step[:, d] * raw[:, d] / GAIN_REFERENCE_DEG * share.max(axis=1)
            gain[i, 0] = np.clip(gain[i, 0] + gain_step, *GAIN_RANGE)

    # --- reward -----------------------------------------------------------------------
    def evaluate(self, events: OwlEvents, reflex: ReflexTakeover) -> SteeringOutput:
        """Reward the strike and the effort; then let the rule realign the maps."""
        caught = events.strike & (angular_distance(filled(events.strike_error_deg, np.inf)) <= ACUITY_DEG)
        catch = np.where(caught, CATCH_REWARD, 0.0)
        effort = -EFFORT_COST * angular_distance(events.turn_deg) / MAX_TURN_DEG
        self.realign(events)
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
    "OrientingReason",
    "OrientingReflex",
    "OwlEvents",
    "OwlSenses",
    "OwlSteering",
    "angular_distance",
    "azimuth_of_itd",
    "direction_of_sound",
    "elevation_of_ild",
    "filled",
    "ild_of_elevation",
    "itd_of_azimuth",
    "present",
    "sound_of_direction",
    "plasticity",
]

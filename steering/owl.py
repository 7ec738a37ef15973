"""The barn owl's Steering Subsystem: the optic tectum keeps its maps in register.

The owl's optic tectum (the superior colliculus of mammals) holds three maps
of space in register: a visual map (retinotopic), an auditory space map (built
from interaural time differences, ITD) and a motor map that turns a tectal
location into a head saccade. A few numbers set how the auditory and the
saccade map are placed against the visual one (an offset and a gain each), and
one fixed error rule keeps them aligned: after a head saccade to a target that
is both seen and heard, the visual error left after the saccade, compared with
the error the auditory map predicted, shifts the auditory map a little. Vision
is the fixed reference: it is never adjusted.

This is plasticity that is not learning from scratch: 4 adjustable numbers
(azimuth only), a fixed rule, an innate reflex that uses them.

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
- **Topographic** (``topographic_bins`` > 1): one auditory offset per azimuth
  bin, each adjusted only by errors near it (shared with its neighbour as the
  map interpolates between bins); the
  instructive signal can be cut in some bins (a tectal lesion, Hyde & Knudsen
  2002).

The innate orienting reflex turns the head to a sudden sound (or, in silence,
a sudden sight) by the current maps when the learner does not act; a second,
corrective saccade centres a target still seen off the fovea. Innate reward:
a strike that lands within the owl's acuity (about 4 degrees) of the prey,
less a small cost of effort per degree turned.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from brainlike.steering.base import NO_REFLEX, Reflex, ReflexTakeover, Steering, SteeringOutput
from brainlike.steering.parameters import InnateParameters


class HeadMotor(IntEnum):
    """BarnOwl: the one dimension of the continuous head turn, in [-1, 1] (units of 90 degrees, + to the right)."""

    HEAD_TURN = 0


# --- geometry (named constants, not magic numbers) -----------------------------------
#: Interaural time difference per degree of azimuth near the midline, in the
#: barn owl's range of about 2.5-3.7 microseconds per degree.
ITD_US_PER_DEGREE = 3.0
#: ITD grows as the sine of azimuth (a spherical-head approximation), so the
#: largest ITD (a source at 90 degrees) is the midline slope times 180/pi.
ITD_MAX_US = ITD_US_PER_DEGREE * 180.0 / np.pi
#: A strike within the owl's acuity (minimum audible angle ~4 degrees) catches the prey.
ACUITY_DEG = 4.0
#: The largest head turn one saccade makes (an action of 1.0).
MAX_TURN_DEG = 90.0
#: The learner "does not act" when its head turn is within this fraction of MAX_TURN_DEG.
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
#: Gains are adjusted by the same rule, slower (per unit of normalised azimuth), and stay in range.
GAIN_RATE_FRACTION = 0.1
GAIN_RANGE = (0.5, 1.5)
GAIN_REFERENCE_DEG = 60.0
#: The azimuth range the topographic bins span.
MAP_RANGE_DEG = 90.0

# --- reward ------------------------------------------------------------------------------
CATCH_REWARD = 1.0
EFFORT_COST = 0.02  # per MAX_TURN_DEG of head turn



class OrientingReason(IntEnum):
    """Why a reflex turned the head."""

    ORIENT = 0  # a saccade to a new target, by the maps
    CORRECT = 1  # a corrective saccade to a target seen off the fovea


@dataclass(frozen=True, slots=True)
class OwlSenses:
    """What the reflexes read, before the head moves; (bodies,) arrays.

    ``onset``: a target has just appeared (a sudden salient stimulus).
    ``itd_us``: the interaural time difference heard (NaN where nothing is heard).
    ``retinal_deg``: where the target's image falls on the retina (NaN where unseen).
    """

    onset: np.ndarray
    itd_us: np.ndarray
    retinal_deg: np.ndarray


@dataclass(frozen=True, slots=True)
class OwlEvents:
    """What happened in a step, after the head moved; (bodies,) arrays.

    ``age_days``: the owl's age. ``turn_deg``: the head turn executed.
    ``saccade``: this step's turn was the orienting saccade to a new target.
    ``itd_us``, ``retinal_before_deg``: the cues the saccade started from (NaN where absent).
    ``retinal_after_deg``: where the image lies after the saccade (NaN where unseen).
    ``visual_reflex``: the orienting reflex steered this saccade by sight alone.
    ``strike``: the owl struck; ``strike_error_deg``: how far from the prey the talons landed.
    """

    age_days: np.ndarray
    turn_deg: np.ndarray
    saccade: np.ndarray
    itd_us: np.ndarray
    retinal_before_deg: np.ndarray
    retinal_after_deg: np.ndarray
    visual_reflex: np.ndarray
    strike: np.ndarray
    strike_error_deg: np.ndarray


# --- the science, as plain functions ----------------------------------------------------
def filled(x: np.ndarray, value: float = 0.0) -> np.ndarray:
    """``x`` with NaN (an absent cue) replaced by ``value``; cheaper than ``np.nan_to_num``."""
    return np.where(np.isnan(x), value, x)


def itd_of_azimuth(azimuth_deg: np.ndarray) -> np.ndarray:
    """The ITD (microseconds) of a source at a head-centred azimuth (degrees)."""
    return ITD_MAX_US * np.sin(np.deg2rad(azimuth_deg))


def azimuth_of_itd(itd_us: np.ndarray) -> np.ndarray:
    """The innate reading of an ITD as an azimuth (degrees): the inverse of ``itd_of_azimuth``."""
    return np.rad2deg(np.arcsin(np.clip(itd_us / ITD_MAX_US, -1.0, 1.0)))


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


def auditory_location(params: InnateParameters, centres: np.ndarray, itd_us: np.ndarray) -> np.ndarray:
    """Where the auditory map places a sound (degrees, head-centred); NaN where nothing is heard."""
    raw = azimuth_of_itd(filled(itd_us))
    offset = np.sum(params["auditory_offset"] * bin_weights(raw, centres), axis=1)
    return np.where(np.isnan(itd_us), np.nan, params["auditory_gain"][:, 0] * raw + offset)


def saccade_turn(params: InnateParameters, location_deg: np.ndarray) -> np.ndarray:
    """The head turn (degrees) the motor map makes for a tectal location."""
    return params["saccade_gain"][:, 0] * location_deg + params["saccade_offset"][:, 0]


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
        seen = ~np.isnan(senses.retinal_deg)
        onset = senses.onset & (seen | ~np.isnan(senses.itd_us))
        off_fovea = ~senses.onset & seen & (np.abs(filled(senses.retinal_deg)) > FOVEA_DEG)
        return onset | off_fovea

    def motor_program(self, senses: OwlSenses, params: InnateParameters) -> tuple[np.ndarray, np.ndarray]:
        heard = ~np.isnan(senses.itd_us)
        location = np.where(heard, filled(auditory_location(params, self.centres, senses.itd_us)), filled(senses.retinal_deg))
        turn = np.clip(saccade_turn(params, location), -MAX_TURN_DEG, MAX_TURN_DEG)
        reason = np.where(senses.onset, OrientingReason.ORIENT, OrientingReason.CORRECT).astype(np.int64)
        return (turn / MAX_TURN_DEG)[:, None], reason


class OwlSteering(Steering[OwlSenses, OwlEvents]):
    """The tectum's map alignment, the orienting reflex and the strike reward of a barn owl.

    Reward components (summed into the reward):
        ``catch``: ``CATCH_REWARD`` for a strike landing within ``ACUITY_DEG`` of the prey.
        ``effort``: ``-EFFORT_COST`` per ``MAX_TURN_DEG`` of head turned.

    Innate adjustable parameters (4 numbers per owl; ``topographic_bins`` - 1 more when topographic):
        ``auditory_offset``, ``auditory_gain``: where the auditory map places
            a sound: ``gain x azimuth_of_itd(itd) + offset`` (degrees).
        ``saccade_offset``, ``saccade_gain``: the head turn the motor map makes
            for a tectal location: ``gain x location + offset``.
        Innate values: offsets 0, gains 1 (the maps are born in register).

    The rule's constants are arguments (defaults: the module's design values), so an
    experiment can scale them for a sensitivity band: ``juvenile_rate``, ``adult_rate``
    (fraction of the error per paired trial), ``juvenile_reach_deg``,
    ``adult_reach_deg``, ``shift_cap_deg``.

    The fixed rule (``plastic=False`` freezes it: a lesion of the update rule):
        after an orienting saccade to a target both seen and heard, the
        instructive error is the visual error left after the saccade minus the
        error the auditory map predicted for it (which equals visual location
        minus auditory location, whoever moved the head). The auditory offset
        moves by ``rate(age) x instruction(error, reach(age)) x error``, capped
        at +-``shift_cap_deg`` (``SHIFT_CAP_DEG``); its gain by a tenth of that per unit of
        normalised azimuth. After a saccade the reflex steered by sight alone,
        the visual error left over calibrates the saccade map the same way.

    Reflexes (when ``reflexes`` is on and the learner does not act, ``|action| <= IDLE_ACTION``):
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
        # Where the tectum still sends its instructive signal (a lesion cuts it in some bins).
        self.instructed = np.ones(int(topographic_bins))
        self.instructed[list(lesioned_bins)] = 0.0
        self.reflexes = (OrientingReflex(self.centres),)
        self.parameters = InnateParameters({
            "auditory_offset": tuple([0.0] * int(topographic_bins)),
            "auditory_gain": 1.0,
            "saccade_offset": 0.0,
            "saccade_gain": 1.0,
        })

    # --- the maps ---------------------------------------------------------------------
    def auditory_location(self, itd_us: np.ndarray) -> np.ndarray:
        """Where each owl's auditory map places a sound (degrees); NaN where nothing is heard."""
        return auditory_location(self.parameters, self.centres, itd_us)

    def saccade(self, location_deg: np.ndarray) -> np.ndarray:
        """The head turn (degrees) each owl's motor map makes for a tectal location."""
        return saccade_turn(self.parameters, location_deg)

    def auditory_shift(self) -> np.ndarray:
        """(bodies,) the auditory map's mean offset from its innate place (degrees)."""
        return self.parameters["auditory_offset"].mean(axis=1)

    # --- the reflexes -----------------------------------------------------------------
    def reflex(self, senses: OwlSenses, proposed: np.ndarray) -> ReflexTakeover:
        """The orienting reflex takes over only where the learner does not act (a voluntary turn wins)."""
        takeover = super().reflex(senses, proposed)
        if not takeover.mask.any():
            return takeover
        mask = takeover.mask & (np.abs(proposed[:, 0]) <= IDLE_ACTION)
        return ReflexTakeover(mask, np.where(mask[:, None], takeover.executed, proposed), np.where(mask, takeover.reason, NO_REFLEX))

    # --- the rule ---------------------------------------------------------------------
    def instructive_error(self, events: OwlEvents) -> np.ndarray:
        """Visual error left after the saccade minus the error the auditory map predicted (degrees)."""
        predicted_after = self.auditory_location(events.itd_us) - events.turn_deg
        return events.retinal_after_deg - predicted_after

    def realign(self, events: OwlEvents) -> None:
        """The fixed update rule, applied after this step's saccades."""
        if not self.plastic:
            return
        p = self.parameters
        rate, reach = plasticity(events.age_days, **self.rule)
        cap = self.shift_cap_deg
        paired = events.saccade & ~np.isnan(events.itd_us) & ~np.isnan(events.retinal_after_deg)
        if paired.any():
            i = np.flatnonzero(paired)
            error = self.instructive_error(events)[i]
            raw = azimuth_of_itd(events.itd_us[i])
            step = rate[i] * instruction(error, reach[i]) * error
            spread = self._topographic_spread(raw) * self.instructed
            p["auditory_offset"][i] = np.clip(p["auditory_offset"][i] + step[:, None] * spread, -cap, cap)
            gain_step = GAIN_RATE_FRACTION * step * raw / GAIN_REFERENCE_DEG * spread.max(axis=1)
            p["auditory_gain"][i, 0] = np.clip(p["auditory_gain"][i, 0] + gain_step, *GAIN_RANGE)
        visual = events.saccade & events.visual_reflex & ~np.isnan(events.retinal_after_deg)
        if visual.any():
            i = np.flatnonzero(visual)
            error = events.retinal_after_deg[i]
            step = rate[i] * instruction(error, reach[i]) * error
            p["saccade_offset"][i, 0] = np.clip(p["saccade_offset"][i, 0] + step, -cap, cap)
            gain_step = GAIN_RATE_FRACTION * step * events.retinal_before_deg[i] / GAIN_REFERENCE_DEG
            p["saccade_gain"][i, 0] = np.clip(p["saccade_gain"][i, 0] + gain_step, *GAIN_RANGE)

    def _topographic_spread(self, raw_deg: np.ndarray) -> np.ndarray:
        """(bodies, bins) each bin's share of an error at ``raw_deg``: its weight in the map's reading there.

        The gradient of the interpolated offset: the two bins nearest the sound
        share the error (the matching part of the map), so the map at any
        azimuth moves as fast as a single global offset would.
        """
        return bin_weights(raw_deg, self.centres)

    # --- reward -----------------------------------------------------------------------
    def evaluate(self, events: OwlEvents, reflex: ReflexTakeover) -> SteeringOutput:
        """Reward the strike and the effort; then let the rule realign the maps."""
        caught = events.strike & (np.abs(events.strike_error_deg) <= ACUITY_DEG)
        catch = np.where(caught, CATCH_REWARD, 0.0)
        effort = -EFFORT_COST * np.abs(events.turn_deg) / MAX_TURN_DEG
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
    "ITD_MAX_US",
    "ITD_US_PER_DEGREE",
    "MAX_TURN_DEG",
    "OrientingReason",
    "OrientingReflex",
    "OwlEvents",
    "OwlSenses",
    "OwlSteering",
    "azimuth_of_itd",
    "filled",
    "itd_of_azimuth",
    "plasticity",
]

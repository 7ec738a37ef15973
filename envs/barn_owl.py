"""BarnOwl-v0: a barn owl orients to seen and heard prey, with prisms that displace what it sees.

Directions are (bodies, 2) arrays, azimuth then elevation (``AZIMUTH``,
``ELEVATION``): the target, the head, the retinal image, a turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from gymnasium import spaces

from brainlike.envs.contract import Layout, StateVar, check_arguments, integer, real
from brainlike.envs.core import Body, BodyEnv, BodyVectorEnv
from brainlike.steering.base import ReflexTakeover, Steering, SteeringOutput
from brainlike.steering.motor import names
from brainlike.envs.owl_senses import (
    AUDITORY_PREFERRED_US,
    ILD_PREFERRED_DB,
    VISUAL_ELEVATION_FIELD_DEG,
    VISUAL_ELEVATION_PREFERRED_DEG,
    VISUAL_FIELD_DEG,
    VISUAL_PREFERRED_DEG,
    auditory_code,
    ild_code,
    visual_code,
    visual_elevation_code,
)
from brainlike.steering.owl import HeadMotor
from brainlike.steering.owl import (
    ACUITY_DEG,
    AZIMUTH,
    ELEVATION,
    MAX_TURN_DEG,
    OwlEvents,
    OwlSenses,
    OwlSteering,
    angular_distance,
    filled,
    present,
    sound_of_direction,
)

#: Kinds of trial: a rustling mouse in the light, a mouse heard in the dark, a silent one seen.
TRIAL_KINDS = ("seen_and_heard", "heard", "seen")
SEEN_AND_HEARD, HEARD, SEEN = range(3)
VISION = ("normal", "blind")
#: Phases of a trial: the target appears and the owl orients; then it strikes.
ORIENT, STRIKE = 0, 1

#: Targets appear within this azimuth and this elevation of the zeroing position the owl faces at each trial's start.
TARGET_RANGE_DEG = 60.0
TARGET_ELEVATION_RANGE_DEG = 30.0
#: Trial-to-trial noise of the heard ITD and ILD (each about 2 degrees near the midline) and of a head turn.
ITD_NOISE_US = 6.0
ILD_NOISE_DB = 0.6
MOTOR_NOISE_DEG = 1.0
#: The head position channels are scaled by this (a head can be two saccades from the zeroing position).
HEAD_SCALE_DEG = 2.0 * MAX_TURN_DEG
#: Prisms up to this displacement are supported (Knudsen used 11, 23 and 34 degrees).
MAX_PRISM_DEG = 40.0
STATS = ("trials", "catches", "orienting_reflexes", "corrective_reflexes", "paired_trials")
#: The names of every observation channel and of the action.
LAYOUT = Layout(
    exteroception=Layout.groups(("visual_azimuth", len(VISUAL_PREFERRED_DEG)), ("visual_elevation", len(VISUAL_ELEVATION_PREFERRED_DEG)),
                                ("auditory_itd", len(AUDITORY_PREFERRED_US)), ("auditory_ild", len(ILD_PREFERRED_DB)), "onset"),
    interoception=Layout.groups("head_azimuth", "head_elevation"),
    actions=names(HeadMotor),
)


@dataclass(frozen=True)
class PrismProtocol:
    """The displacement (degrees, + to the right) the prisms give from each age on.

    ``initial`` is worn from the start of the life; ``changes`` are (age in
    days, displacement) pairs in increasing age: put on, stepped, removed (0).
    """

    initial: float
    ages: np.ndarray
    displacements: np.ndarray

    @classmethod
    def build(cls, initial: float, changes: Sequence[tuple[float, float]]) -> PrismProtocol:
        """Check every value, naming the bad one, before anything is built."""
        if not (np.isscalar(initial) and np.isfinite(initial) and abs(initial) <= MAX_PRISM_DEG):
            raise ValueError(f"prisms={initial!r} is invalid: expected a displacement in [-{MAX_PRISM_DEG}, {MAX_PRISM_DEG}] degrees")
        try:
            pairs = [(float(a), float(d)) for a, d in changes]
        except (TypeError, ValueError):
            raise ValueError(f"prism_protocol={changes!r} is invalid: expected (age in days, displacement in degrees) pairs") from None
        worn = float(initial)
        last_age = -np.inf
        for age, disp in pairs:
            if not np.isfinite(age) or age < 0:
                raise ValueError(f"prism_protocol age {age!r} is invalid: expected an age in days >= 0")
            if age <= last_age:
                raise ValueError(f"prism_protocol age {age!r} is invalid: ages must increase (previous {last_age})")
            if not np.isfinite(disp) or abs(disp) > MAX_PRISM_DEG:
                raise ValueError(f"prism_protocol displacement {disp!r} at age {age} is invalid: expected [-{MAX_PRISM_DEG}, {MAX_PRISM_DEG}] degrees")
            if disp == 0.0 and worn == 0.0:
                raise ValueError(f"prism_protocol removes prisms at age {age} that were never put on (displacement already 0)")
            worn, last_age = disp, age
        return cls(float(initial), np.array([a for a, _ in pairs]), np.array([d for _, d in pairs]))

    def at(self, age_days: np.ndarray) -> np.ndarray:
        """(bodies,) the displacement worn at each age."""
        if len(self.ages) == 0:
            return np.full(np.shape(age_days), self.initial)
        k = np.searchsorted(self.ages, age_days, side="right")
        return np.where(k == 0, self.initial, self.displacements[np.maximum(k - 1, 0)])


def gaussian_pair(u1: np.ndarray, u2: np.ndarray) -> np.ndarray:
    """(bodies, 2) two independent standard normal numbers from two uniforms in [0, 1) (Box-Muller)."""
    r, a = np.sqrt(-2.0 * np.log1p(-u1)), 2.0 * np.pi * u2
    return np.stack([r * np.cos(a), r * np.sin(a)], axis=1)


class OwlBody(Body[OwlSenses, OwlEvents]):
    """The batched world of BarnOwl-v0 (see ``BarnOwlEnv`` for the documentation)."""

    default_steering = OwlSteering
    # Motor noise (2, Box-Muller: azimuth and elevation), the next cue's ITD and ILD noise (2),
    # the next trial's kind, azimuth and elevation.
    randoms_per_step = 7
    randoms_per_life = 5  # the first trial's kind, azimuth and elevation, its ITD and ILD noise (2)
    canvas_size = (640, 440)

    def __init__(
        self,
        num_bodies: int = 1,
        steering: Steering | None = None,
        reflexes: bool = True,
        observation_mode: str = "dict",
        max_episode_steps: int | None = None,
        age_days: float = 60.0,
        trials_per_day: int = 100,
        prisms: float = 0.0,
        prism_protocol: Sequence[tuple[float, float]] = (),
        vertical_prisms: float = 0.0,
        vision: str = "normal",
        trial_mix: tuple[float, float, float] = (0.6, 0.2, 0.2),
    ) -> None:
        mix = np.asarray(trial_mix, dtype=np.float64) if np.size(trial_mix) == 3 else np.full(3, np.nan)
        check_arguments({
            "age_days": (age_days, real(age_days) and age_days >= 0, "an age in days >= 0"),
            "trials_per_day": (trials_per_day, integer(trials_per_day) and trials_per_day >= 1, "an integer >= 1"),
            "vertical_prisms": (vertical_prisms, real(vertical_prisms) and abs(vertical_prisms) <= MAX_PRISM_DEG,
                                f"a vertical displacement in [-{MAX_PRISM_DEG}, {MAX_PRISM_DEG}] degrees"),
            "vision": (vision, vision in VISION, f"one of {VISION}"),
            "trial_mix": (trial_mix, bool(np.all(mix >= 0)) and abs(mix.sum() - 1.0) < 1e-9,
                          f"three probabilities summing to 1 for {TRIAL_KINDS}"),
        })
        self.protocol = PrismProtocol.build(prisms, prism_protocol)
        super().__init__(num_bodies, steering, reflexes, observation_mode, max_episode_steps)
        self.birth_age = float(age_days)
        self.trials_per_day = int(trials_per_day)
        self.vertical_prisms = float(vertical_prisms)
        self.blind = vision == "blind"
        self.mix_edges = np.cumsum(mix)[:2]
        e, i = LAYOUT.widths()
        self._build(LAYOUT, spaces.Box(0.0, 1.0, (e,), np.float32), spaces.Box(-1.0, 1.0, (i,), np.float32),
                    spaces.Box(-1.0, 1.0, (len(HeadMotor),), np.float32))

    def state_table(self) -> dict[str, Any]:
        return {
            "phase": StateVar((), np.int64, ORIENT),
            "kind": StateVar((), np.int64),
            "target": StateVar((2,)),  # world azimuth and elevation of the prey (degrees); never observed
            "head": StateVar((2,)),  # world azimuth and elevation the head points to
            "prism": StateVar(),  # the horizontal displacement worn now (the protocol's)
            "sound": StateVar((2,), birth=np.nan),  # the ITD and ILD heard now (NaN: silent)
            "retinal": StateVar((2,), birth=np.nan),  # where the image falls on the retina now (NaN: unseen)
            "last_turn": StateVar((2,)),
            "last_strike": StateVar((2,), birth=np.nan),
            "stats": {k: StateVar((), np.int64) for k in STATS},
        }

    def age(self) -> np.ndarray:
        """(bodies,) age in simulated days: a day is ``trials_per_day`` trials."""
        return self.birth_age + self.stats["trials"] / self.trials_per_day

    def _reset_bodies(self, mask: np.ndarray, u: np.ndarray) -> None:
        self._new_trials(np.flatnonzero(mask), u[:, 0], u[:, 1:3], u[:, 3], u[:, 4])

    def _new_trials(self, idx: np.ndarray, u_kind: np.ndarray, u_place: np.ndarray, u1: np.ndarray, u2: np.ndarray) -> None:
        """A new target for the bodies ``idx`` (``u_place``: (bodies, 2) uniforms); the head back at the zeroing position."""
        self.phase[idx] = ORIENT
        self.kind[idx] = np.searchsorted(self.mix_edges, u_kind, side="right")
        self.target[idx] = np.array([TARGET_RANGE_DEG, TARGET_ELEVATION_RANGE_DEG]) * (2.0 * u_place - 1.0)
        self.head[idx] = 0.0
        self.prism[idx] = self.protocol.at(self.age()[idx])
        self._sense(idx, u1, u2)

    def _sense(self, idx: np.ndarray, u1: np.ndarray, u2: np.ndarray) -> None:
        """The cues the target gives from where the head points now."""
        relative = self.target[idx] - self.head[idx]
        kind = self.kind[idx]
        heard = (kind != SEEN)[:, None]
        sound = sound_of_direction(relative) + np.array([ITD_NOISE_US, ILD_NOISE_DB]) * gaussian_pair(u1, u2)
        self.sound[idx] = np.where(heard, sound, np.nan)
        # The prisms displace the image, not the sound.
        image = self._image(relative, self.prism[idx])
        seen = (kind != HEARD) & self._in_view(image) & (not self.blind)
        self.retinal[idx] = np.where(seen[:, None], image, np.nan)

    def _image(self, relative: np.ndarray, prism: np.ndarray) -> np.ndarray:
        """(bodies, 2) where a target at head-centred ``relative`` falls on the retina through the prisms."""
        return relative + np.stack([prism, np.full(len(prism), self.vertical_prisms)], axis=1)

    @staticmethod
    def _in_view(image: np.ndarray) -> np.ndarray:
        return (np.abs(image[:, AZIMUTH]) <= VISUAL_FIELD_DEG) & (np.abs(image[:, ELEVATION]) <= VISUAL_ELEVATION_FIELD_DEG)

    # --- senses and observation ----------------------------------------------
    def senses(self) -> OwlSenses:
        return OwlSenses(onset=self.phase == ORIENT, sound=self.sound, retinal_deg=self.retinal)

    def _observe(self) -> tuple[np.ndarray, np.ndarray]:
        codes = (visual_code(self.retinal), visual_elevation_code(self.retinal), auditory_code(self.sound), ild_code(self.sound),
                 (self.phase == ORIENT)[:, None])
        extero = np.concatenate(codes, axis=1, dtype=np.float32)
        intero = np.clip(self.head / HEAD_SCALE_DEG, -1.0, 1.0).astype(np.float32)
        return extero, intero

    # --- physics --------------------------------------------------------------
    def _physics(self, takeover: ReflexTakeover, u: np.ndarray) -> tuple[OwlEvents, np.ndarray, dict[str, Any]]:
        all_bodies = np.arange(self.num_bodies)
        # The muscles add a little noise to the commanded turn.
        turn = takeover.executed * MAX_TURN_DEG + MOTOR_NOISE_DEG * gaussian_pair(u[:, 0], u[:, 1])
        self.head = self.head + turn
        saccade = self.phase == ORIENT
        strike = ~saccade
        sound_before, retinal_before = self.sound.copy(), self.retinal.copy()
        # Where the image lies after the turn: the visual error the saccade left.
        image_after = self._image(self.target - self.head, self.prism)
        seen_after = present(retinal_before) & self._in_view(image_after)
        strike_error = np.where(strike[:, None], self.head - self.target, np.nan)
        events = OwlEvents(
            age_days=self.age(),
            turn_deg=turn,
            saccade=saccade,
            sound=sound_before,
            retinal_before_deg=retinal_before,
            retinal_after_deg=np.where(seen_after[:, None], image_after, np.nan),
            visual_reflex=saccade & takeover.mask & ~present(sound_before),
            strike=strike,
            strike_error_deg=strike_error,
        )
        info = {"owl": {
            "kind": self.kind.copy(),
            "target_deg": self.target.copy(),  # (azimuth, elevation), for the experimenter: the learner never observes it
            "saccade": saccade,
            "turn_deg": turn.copy(),  # a copy: the state keeps the last turn, and a new life zeroes it in place
            # 0 on the step without one (info holds no NaN: the checkers compare it exactly).
            "orient_error_deg": np.where(saccade[:, None], self.head - self.target, 0.0),
            "strike_error_deg": filled(strike_error),
            "prism_deg": self.prism.copy(),
            "age_days": events.age_days,
        }}
        st = self.stats
        st["catches"] += strike & (angular_distance(filled(strike_error, np.inf)) <= ACUITY_DEG)
        st["orienting_reflexes"] += saccade & takeover.mask
        st["corrective_reflexes"] += strike & takeover.mask
        st["paired_trials"] += saccade & present(sound_before) & present(retinal_before)
        st["trials"] += strike
        self.last_turn = turn
        self.last_strike = np.where(strike[:, None], strike_error, self.last_strike)
        # Next: the strike phase sees the target from the new head position; after a strike, a new trial.
        if saccade.any():
            self.phase[saccade] = STRIKE
            self._sense(all_bodies[saccade], u[saccade, 2], u[saccade, 3])
        if strike.any():
            i = all_bodies[strike]
            self._new_trials(i, u[i, 4], u[i, 5:7], u[i, 2], u[i, 3])
        return events, np.zeros(self.num_bodies, dtype=bool), info

    def _after_evaluation(self, out: SteeringOutput, events: OwlEvents, info: dict[str, Any]) -> None:
        info["owl"]["auditory_shift_deg"] = self._auditory_shift()

    def _auditory_shift(self) -> np.ndarray:
        """(bodies, 2) the auditory map's azimuth and elevation shift (zeros under a steering without maps)."""
        shift = getattr(self.steering, "auditory_shift", None)
        return shift() if shift is not None else np.zeros((self.num_bodies, 2))

    def summary(self, i: int) -> dict[str, Any]:
        s = {k: int(v[i]) for k, v in self.stats.items()}
        s["age_days"] = float(self.age()[i])
        s["prism_deg"] = float(self.prism[i])
        shift = self._auditory_shift()[i]
        s["auditory_shift_deg"] = float(shift[AZIMUTH])
        s["auditory_elevation_shift_deg"] = float(shift[ELEVATION])
        return s

    # --- rendering (pygame, only when asked) ------------------------------------
    def render_body(self, i: int, canvas: Any) -> None:
        pg, surf = canvas.pg, canvas.surface
        surf.fill((28, 30, 40))
        cx, cy, r = 300, 250, 200

        def point(azimuth: float, radius: float) -> tuple[int, int]:
            a = np.deg2rad(azimuth)
            return int(cx + radius * np.sin(a)), int(cy - radius * np.cos(a))

        # The field in front of the owl, from above: +-90 degrees of azimuth, ticks every 30.
        pg.draw.arc(surf, (70, 74, 90), pg.Rect(cx - r, cy - r, 2 * r, 2 * r), 0.0, np.pi, 2)
        for az in range(-90, 91, 30):
            pg.draw.line(surf, (70, 74, 90), point(az, r - 8), point(az, r + 4), 1)
        # Elevation, from the side: a scale at the right, +-60 degrees.
        ex, ey, eh = 600, 150, 100

        def y_of(elevation: float) -> int:
            return int(ey - np.clip(elevation, -60.0, 60.0) / 60.0 * eh)

        pg.draw.line(surf, (70, 74, 90), (ex, y_of(60.0)), (ex, y_of(-60.0)), 2)
        canvas.text("elev.", (ex - 22, y_of(-60.0) + 6), (180, 180, 190), px=14)
        # The prey where it is, and where the (prism-displaced) eye sees it.
        (target, target_el), (head, head_el) = self.target[i], self.head[i]
        pg.draw.circle(surf, (220, 80, 60), point(target, r - 30), 9)
        pg.draw.circle(surf, (220, 80, 60), (ex, y_of(target_el)), 6)
        seen = self.retinal[i]
        if not np.isnan(seen[AZIMUTH]):
            pg.draw.circle(surf, (240, 220, 120), point(head + seen[AZIMUTH], r - 30), 12, 2)
            pg.draw.circle(surf, (240, 220, 120), (ex, y_of(head_el + seen[ELEVATION])), 9, 2)
        # Where the auditory map places the sound.
        steering = self.steering
        if not np.isnan(self.sound[i, AZIMUTH]) and hasattr(steering, "auditory_location"):
            heard = steering.auditory_location(self.sound)[i]
            pg.draw.circle(surf, (90, 160, 240), point(head + heard[AZIMUTH], r - 55), 7)
            pg.draw.circle(surf, (90, 160, 240), (ex - 14, y_of(head_el + heard[ELEVATION])), 5)
        # The owl's head and gaze.
        pg.draw.line(surf, (235, 235, 235), (cx, cy), point(head, r + 12), 3)
        pg.draw.circle(surf, (200, 180, 150), (cx, cy), 18)
        pg.draw.line(surf, (235, 235, 235), (ex - 12, y_of(head_el)), (ex + 12, y_of(head_el)), 3)
        # The two maps, in register or not: the auditory map's innate and current placement of each unit.
        top = 290
        canvas.text("visual map (fixed reference)", (20, top), (210, 210, 210), px=16)
        canvas.text("auditory map, azimuth (innate place -> current place)", (20, top + 60), (210, 210, 210), px=16)
        x0, w = 20, 600

        def x_of(az: float) -> int:
            return int(x0 + (az + 90.0) / 180.0 * w)

        for az in VISUAL_PREFERRED_DEG[::2]:
            pg.draw.line(surf, (240, 220, 120), (x_of(az), top + 22), (x_of(az), top + 40), 2)
        offset, elevation_offset = (float(x) for x in self._auditory_shift()[i])
        for az in VISUAL_PREFERRED_DEG[::2]:
            pg.draw.line(surf, (80, 90, 120), (x_of(az), top + 82), (x_of(az), top + 100), 1)
            shifted = float(np.clip(az + offset, -90.0, 90.0))
            pg.draw.line(surf, (90, 160, 240), (x_of(shifted), top + 82), (x_of(shifted), top + 100), 2)
        canvas.text(
            f"age {self.age()[i]:.1f} d   prisms {self.prism[i]:+.0f} deg   auditory shift {offset:+.1f} az, "
            f"{elevation_offset:+.1f} el   trials {self.stats['trials'][i]}   catches {self.stats['catches'][i]}",
            (20, 10), (235, 235, 235), px=18,
        )
        phase = "orient" if self.phase[i] == ORIENT else "strike"
        canvas.text(f"{TRIAL_KINDS[int(self.kind[i])]}   next: {phase}", (20, 32), (180, 180, 190), px=16)


class BarnOwlEnv(BodyEnv):
    """A barn owl turns its head to prey it sees and hears; prisms displace what it sees.

    ## Description
    Each trial, the owl faces a zeroing position (azimuth 0, elevation 0) and
    a target (a mouse) appears at an azimuth within +-60 degrees and an
    elevation within +-30 degrees: seen and heard (a
    rustling mouse in the light), heard only (the dark) or seen only (a silent
    mouse), in proportions ``trial_mix``. A trial has two steps: at onset the
    owl makes a head saccade (its action, or its innate orienting reflex);
    then, seeing and hearing the target from where its head now points, it
    makes a last head turn and strikes where its head points. Prisms displace
    the visual world horizontally by ``prisms`` degrees, as in Knudsen's
    experiments (the sound is not displaced), and a protocol can put them on,
    step them or remove them at given ages; ``vertical_prisms`` adds a fixed
    vertical displacement for the whole life. Age
    runs in simulated days of ``trials_per_day`` trials, so months of
    development run in seconds. ``vision="blind"``: nothing is ever seen. The
    world only reports where things are; the Steering Subsystem
    (``steering.OwlSteering``) holds the tectum's map alignment.

    ## Observation Space
    ``Dict`` with
    - ``exteroception``: ``Box(0, 1, (113,), float32)``: ``visual_azimuth``, a
      retinotopic population of 37 units (preferred retinal azimuths -90..90
      degrees every 5, Gaussian tuning 5 degrees; shifted by the prisms; zeros
      when nothing is seen); ``visual_elevation``, 25 units tuned the same way
      to the image's elevation (-60..60 degrees); ``auditory_itd``, a population
      of 25 units tuned to interaural time differences across +-172
      microseconds (ITD = 3.0 us/degree x 180/pi x sin(azimuth), heard with 6
      us noise; zeros in silence); ``auditory_ild``, 25 units tuned to
      interaural level differences across +-17.2 dB (ILD = 0.3 dB/degree x
      180/pi x sin(elevation), from the owl's asymmetric ears, heard with 0.6
      dB noise; zeros in silence); ``onset``, 1 at a target's onset (the
      orienting step), 0 at the strike step.
    - ``interoception``: ``Box(-1, 1, (2,), float32)``: ``head_azimuth``,
      ``head_elevation``, the head position (degrees / 180).
    ``env.unwrapped.layout`` names them: ``layout.read(obs, "auditory_itd")``.
    The true direction is never observed. ``observation_mode="flat"`` (or
    ``brainlike/BarnOwlFlat-v0``) gives one ``Box`` of 115 values.

    ## Action Space
    ``Box(-1, 1, (2,), float32)``: ``head_turn`` (azimuth, + to the right) and
    ``head_pitch`` (elevation, + up), in units of 90 degrees. The muscles add
    1 degree of noise in each.

    ## Steering
    Reward (``info["steering"]["components"]``): ``catch`` 1.0 for a strike
    within 4 degrees of angular distance of the prey (the owl's acuity);
    ``effort`` -0.02 per 90 degrees turned. Reflexes, where the learner does
    not act (|action| <= 0.01 in both dimensions): ``orient``, a head saccade at onset to where the maps place the
    target (a sound by the auditory map, a silent sight by vision), and
    ``correct``, a corrective saccade to a target still seen more than 2
    degrees off the fovea; a learner that turns keeps its own turn.
    ``info["executed_action"]`` is the turn commanded;
    ``info["steering"]["reflex"]`` names the reflex.
    Innate adjustable parameters: 8 (the auditory map's offset and gain and
    the saccade map's offset and gain, each in azimuth and in elevation).
    After a saccade to a target both seen and heard, the visual error left
    over, less the error the auditory map predicted, shifts the auditory map,
    in each dimension by its own error, by a rate that falls with age, gated
    by the error's size (a reach that shrinks with age), capped at 20
    degrees. ``OwlSteering(plastic=False)`` freezes the rule;
    ``OwlSteering(topographic_bins=k)`` gives one azimuth offset per azimuth
    bin. ``info["owl"]`` holds, for the experimenter, the trial kind, the
    target's true (azimuth, elevation), the orienting and strike errors
    (azimuth, elevation), the prism displacement, the age and the auditory
    map's (azimuth, elevation) shift.

    ## Termination and Truncation
    Never terminated. Truncated after 200 steps (``max_episode_steps``): 100
    trials, one simulated day at the default ``trials_per_day``.

    ## Arguments
    ``steering`` (a ``Steering``; default ``OwlSteering()``), ``reflexes``
    (False: no orienting reflex), ``observation_mode`` ("dict" | "flat"),
    ``age_days`` (60.0: the age at the start of the life; a juvenile),
    ``trials_per_day`` (100), ``prisms`` (0.0: horizontal displacement in
    degrees, + to the right, at most 40), ``prism_protocol`` (((age, displacement), ...): the prisms from
    each age on, e.g. ``((400, 6), (428, 11), (456, 17), (484, 23))``; 0
    removes them), ``vertical_prisms`` (0.0: degrees, + up, at most 40, the
    whole life), ``vision`` ("normal" | "blind"), ``trial_mix`` ((0.6, 0.2,
    0.2): seen and heard, heard only, seen only).

    ## Experiments and papers
    - prism-juvenile: Knudsen & Knudsen 1989, J Neurosci 9:3306; Linkenhoker &
      Knudsen 2002, Nature 419:293: juveniles with 23 degree prisms shift
      auditory orienting by about the full displacement within 2 months.
    - prism-adult: Linkenhoker & Knudsen 2002: adults barely shift after one
      23 degree step, but over half as much when it comes in steps.
    - prism-blind: Knudsen & Knudsen 1985, Science 230:545: no vision, no calibration.
    - prism-ceiling: Knudsen & Knudsen 1989: with 34 degrees the shift caps
      near 20; removing the prisms restores normal orienting.
    - tectal-lesion (``OwlSteering(topographic_bins=k, lesioned_bins=...)``):
      Hyde & Knudsen 2002, Nature 415:73: a lesion of the instructive signal
      stops realignment only in the matching part of the map.
    - prism-learner: a pattern-separation learner learns the strike on top of
      the innate orienting; the rule, not the learner, realigns the map.

    ## Version History
    - v0: initial release.
    """

    body_class = OwlBody
    metadata = {"render_modes": ["human", "rgb_array"], "render_fps": 4}


class BarnOwlVectorEnv(BodyVectorEnv):
    """N barn owls in one numpy step (see ``BarnOwlEnv``)."""

    body_class = OwlBody
    metadata = {**BodyVectorEnv.metadata, "render_fps": 4}


# --- the agent side of this body (read through brainlike.envs.profile.profile_for) ---
from brainlike.envs.profile import BodyProfile  # noqa: E402  (appended block: the profile sits beside the body)

PROFILE = BodyProfile(
    env_id="brainlike/BarnOwl-v0",
    learner_defaults={},  # no owl-specific learner settings yet: each agent's own defaults
    sb3_algorithms=("sac", "ppo"),
    benchmark_steps=40_000,
    demo_steps=20_000,
    demo_baseline="ppo",  # cheaper per step than SAC, which runs with --full
    showcase_agent="pattern-separation",
    experiments=("prism-juvenile", "prism-adult", "prism-blind", "prism-ceiling", "tectal-lesion", "prism-learner"),
    demo_experiments=("prism-juvenile",),  # the headline result; the rest run with `brainlike experiment`
    # Property-test setting: short days across a prism protocol's change.
    property_settings=({"trials_per_day": 2, "prisms": 11.0, "prism_protocol": ((61.0, 23.0), (62.0, 0.0))},),
)

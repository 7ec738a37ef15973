"""BarnOwl-v0: a barn owl orients to seen and heard prey, with prisms that displace what it sees."""

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
from brainlike.steering.owl import HeadMotor
from brainlike.steering.owl import (
    ACUITY_DEG,
    ITD_MAX_US,
    MAX_TURN_DEG,
    OwlEvents,
    OwlSenses,
    OwlSteering,
    filled,
    itd_of_azimuth,
)

#: Kinds of trial: a rustling mouse in the light, a mouse heard in the dark, a silent one seen.
TRIAL_KINDS = ("seen_and_heard", "heard", "seen")
SEEN_AND_HEARD, HEARD, SEEN = range(3)
VISION = ("normal", "blind")
#: Phases of a trial: the target appears and the owl orients; then it strikes.
ORIENT, STRIKE = 0, 1

#: Targets appear within this azimuth of the zeroing position the owl faces at each trial's start.
TARGET_RANGE_DEG = 60.0
#: The visual field (half-width, degrees) and the retinotopic population that covers it.
VISUAL_FIELD_DEG = 90.0
VISUAL_PREFERRED_DEG = np.arange(-VISUAL_FIELD_DEG, VISUAL_FIELD_DEG + 1e-9, 5.0)
VISUAL_TUNING_DEG = 5.0
#: The ITD-tuned population: preferred ITDs across the physical range, tuned as wide as their spacing.
AUDITORY_PREFERRED_US = np.linspace(-ITD_MAX_US, ITD_MAX_US, 25)
AUDITORY_TUNING_US = float(AUDITORY_PREFERRED_US[1] - AUDITORY_PREFERRED_US[0])
#: Trial-to-trial noise of the heard ITD (about 2 degrees near the midline) and of a head turn.
ITD_NOISE_US = 6.0
MOTOR_NOISE_DEG = 1.0
#: The head position channel is scaled by this (a head can be two saccades from the zeroing position).
HEAD_SCALE_DEG = 2.0 * MAX_TURN_DEG
#: Prisms up to this displacement are supported (Knudsen used 11, 23 and 34 degrees).
MAX_PRISM_DEG = 40.0
STATS = ("trials", "catches", "orienting_reflexes", "corrective_reflexes", "paired_trials")
#: The names of every observation channel and of the action.
LAYOUT = Layout(
    exteroception=Layout.groups(("visual", len(VISUAL_PREFERRED_DEG)), ("auditory", len(AUDITORY_PREFERRED_US)), "onset"),
    interoception=Layout.groups("head"),
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


def gaussian_normal(u1: np.ndarray, u2: np.ndarray) -> np.ndarray:
    """Standard normal numbers from two uniforms in [0, 1) (Box-Muller)."""
    return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)


def visual_code(retinal_deg: np.ndarray) -> np.ndarray:
    """(bodies, units) the retinotopic population's response to an image (zeros where nothing is seen)."""
    x = filled(retinal_deg, 1e6)[:, None]
    return np.exp(-0.5 * ((x - VISUAL_PREFERRED_DEG[None, :]) / VISUAL_TUNING_DEG) ** 2)


def auditory_code(itd_us: np.ndarray) -> np.ndarray:
    """(bodies, units) the ITD-tuned population's response (zeros where nothing is heard)."""
    x = filled(itd_us, 1e6)[:, None]
    return np.exp(-0.5 * ((x - AUDITORY_PREFERRED_US[None, :]) / AUDITORY_TUNING_US) ** 2)


class OwlBody(Body[OwlSenses, OwlEvents]):
    """The batched world of BarnOwl-v0 (see ``BarnOwlEnv`` for the documentation)."""

    default_steering = OwlSteering
    randoms_per_step = 6  # motor noise (2, Box-Muller), the next cue's ITD noise (2), the next trial's kind and azimuth
    randoms_per_life = 4  # the first trial's kind and azimuth, its ITD noise (2)
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
        vision: str = "normal",
        trial_mix: tuple[float, float, float] = (0.6, 0.2, 0.2),
    ) -> None:
        mix = np.asarray(trial_mix, dtype=np.float64) if np.size(trial_mix) == 3 else np.full(3, np.nan)
        check_arguments({
            "age_days": (age_days, real(age_days) and age_days >= 0, "an age in days >= 0"),
            "trials_per_day": (trials_per_day, integer(trials_per_day) and trials_per_day >= 1, "an integer >= 1"),
            "vision": (vision, vision in VISION, f"one of {VISION}"),
            "trial_mix": (trial_mix, bool(np.all(mix >= 0)) and abs(mix.sum() - 1.0) < 1e-9,
                          f"three probabilities summing to 1 for {TRIAL_KINDS}"),
        })
        self.protocol = PrismProtocol.build(prisms, prism_protocol)
        super().__init__(num_bodies, steering, reflexes, observation_mode, max_episode_steps)
        self.birth_age = float(age_days)
        self.trials_per_day = int(trials_per_day)
        self.blind = vision == "blind"
        self.mix_edges = np.cumsum(mix)[:2]
        e, i = LAYOUT.widths()
        self._build(LAYOUT, spaces.Box(0.0, 1.0, (e,), np.float32), spaces.Box(-1.0, 1.0, (i,), np.float32),
                    spaces.Box(-1.0, 1.0, (1,), np.float32))

    def state_table(self) -> dict[str, Any]:
        return {
            "phase": StateVar((), np.int64, ORIENT),
            "kind": StateVar((), np.int64),
            "target": StateVar(),  # world azimuth of the prey (degrees); never observed
            "head": StateVar(),  # world azimuth the head points to
            "prism": StateVar(),
            "itd": StateVar(birth=np.nan),  # the ITD heard now (NaN: silent)
            "retinal": StateVar(birth=np.nan),  # where the image falls on the retina now (NaN: unseen)
            "last_turn": StateVar(),
            "last_strike": StateVar(birth=np.nan),
            "stats": {k: StateVar((), np.int64) for k in STATS},
        }

    def age(self) -> np.ndarray:
        """(bodies,) age in simulated days: a day is ``trials_per_day`` trials."""
        return self.birth_age + self.stats["trials"] / self.trials_per_day

    def _reset_bodies(self, mask: np.ndarray, u: np.ndarray) -> None:
        self._new_trials(np.flatnonzero(mask), u[:, 0], u[:, 1], u[:, 2], u[:, 3])

    def _new_trials(self, idx: np.ndarray, u_kind: np.ndarray, u_azimuth: np.ndarray, u1: np.ndarray, u2: np.ndarray) -> None:
        """A new target for the bodies ``idx``; the head back at the zeroing position."""
        self.phase[idx] = ORIENT
        self.kind[idx] = np.searchsorted(self.mix_edges, u_kind, side="right")
        self.target[idx] = TARGET_RANGE_DEG * (2.0 * u_azimuth - 1.0)
        self.head[idx] = 0.0
        self.prism[idx] = self.protocol.at(self.age()[idx])
        self._sense(idx, u1, u2)

    def _sense(self, idx: np.ndarray, u1: np.ndarray, u2: np.ndarray) -> None:
        """The cues the target gives from where the head points now."""
        relative = self.target[idx] - self.head[idx]
        kind = self.kind[idx]
        heard = kind != SEEN
        itd = itd_of_azimuth(relative) + ITD_NOISE_US * gaussian_normal(u1, u2)
        self.itd[idx] = np.where(heard, itd, np.nan)
        # The prisms displace the image, not the sound.
        image = relative + self.prism[idx]
        seen = (kind != HEARD) & (np.abs(image) <= VISUAL_FIELD_DEG) & (not self.blind)
        self.retinal[idx] = np.where(seen, image, np.nan)

    # --- senses and observation ----------------------------------------------
    def senses(self) -> OwlSenses:
        return OwlSenses(onset=self.phase == ORIENT, itd_us=self.itd, retinal_deg=self.retinal)

    def _observe(self) -> tuple[np.ndarray, np.ndarray]:
        n_vis = len(VISUAL_PREFERRED_DEG)
        extero = np.empty((self.num_bodies, n_vis + len(AUDITORY_PREFERRED_US) + 1), dtype=np.float32)
        extero[:, :n_vis] = visual_code(self.retinal)
        extero[:, n_vis:-1] = auditory_code(self.itd)
        extero[:, -1] = self.phase == ORIENT
        intero = np.clip(self.head / HEAD_SCALE_DEG, -1.0, 1.0)[:, None].astype(np.float32)
        return extero, intero

    # --- physics --------------------------------------------------------------
    def _physics(self, takeover: ReflexTakeover, u: np.ndarray) -> tuple[OwlEvents, np.ndarray, dict[str, Any]]:
        all_bodies = np.arange(self.num_bodies)
        # The muscles add a little noise to the commanded turn.
        turn = takeover.executed[:, 0] * MAX_TURN_DEG + MOTOR_NOISE_DEG * gaussian_normal(u[:, 0], u[:, 1])
        self.head = self.head + turn
        saccade = self.phase == ORIENT
        strike = ~saccade
        itd_before, retinal_before = self.itd.copy(), self.retinal.copy()
        # Where the image lies after the turn: the visual error the saccade left.
        image_after = self.target - self.head + self.prism
        seen_after = ~np.isnan(retinal_before) & (np.abs(image_after) <= VISUAL_FIELD_DEG)
        strike_error = np.where(strike, self.head - self.target, np.nan)
        events = OwlEvents(
            age_days=self.age(),
            turn_deg=turn,
            saccade=saccade,
            itd_us=itd_before,
            retinal_before_deg=retinal_before,
            retinal_after_deg=np.where(seen_after, image_after, np.nan),
            visual_reflex=saccade & takeover.mask & np.isnan(itd_before),
            strike=strike,
            strike_error_deg=strike_error,
        )
        info = {"owl": {
            "kind": self.kind.copy(),
            "target_deg": self.target.copy(),  # for the experimenter: the learner never observes it
            "saccade": saccade,
            "turn_deg": turn,
            # 0 on the step without one (info holds no NaN: the checkers compare it exactly).
            "orient_error_deg": np.where(saccade, self.head - self.target, 0.0),
            "strike_error_deg": filled(strike_error),
            "prism_deg": self.prism.copy(),
            "age_days": events.age_days,
        }}
        st = self.stats
        st["catches"] += strike & (np.abs(filled(strike_error, np.inf)) <= ACUITY_DEG)
        st["orienting_reflexes"] += saccade & takeover.mask
        st["corrective_reflexes"] += strike & takeover.mask
        st["paired_trials"] += saccade & ~np.isnan(itd_before) & ~np.isnan(retinal_before)
        st["trials"] += strike
        self.last_turn = turn
        self.last_strike = np.where(strike, strike_error, self.last_strike)
        # Next: the strike phase sees the target from the new head position; after a strike, a new trial.
        if saccade.any():
            self.phase[saccade] = STRIKE
            self._sense(all_bodies[saccade], u[saccade, 2], u[saccade, 3])
        if strike.any():
            i = all_bodies[strike]
            self._new_trials(i, u[i, 4], u[i, 5], u[i, 2], u[i, 3])
        return events, np.zeros(self.num_bodies, dtype=bool), info

    def _after_evaluation(self, out: SteeringOutput, events: OwlEvents, info: dict[str, Any]) -> None:
        info["owl"]["auditory_shift_deg"] = self._auditory_shift()

    def _auditory_shift(self) -> np.ndarray:
        shift = getattr(self.steering, "auditory_shift", None)
        return shift() if shift is not None else np.zeros(self.num_bodies)

    def summary(self, i: int) -> dict[str, Any]:
        s = {k: int(v[i]) for k, v in self.stats.items()}
        s["age_days"] = float(self.age()[i])
        s["prism_deg"] = float(self.prism[i])
        s["auditory_shift_deg"] = float(self._auditory_shift()[i])
        return s

    # --- rendering (pygame, only when asked) ------------------------------------
    def render_body(self, i: int, canvas: Any) -> None:
        pg, surf = canvas.pg, canvas.surface
        surf.fill((28, 30, 40))
        cx, cy, r = 320, 250, 200

        def point(azimuth: float, radius: float) -> tuple[int, int]:
            a = np.deg2rad(azimuth)
            return int(cx + radius * np.sin(a)), int(cy - radius * np.cos(a))

        # The field in front of the owl, from above: +-90 degrees, ticks every 30.
        pg.draw.arc(surf, (70, 74, 90), pg.Rect(cx - r, cy - r, 2 * r, 2 * r), 0.0, np.pi, 2)
        for az in range(-90, 91, 30):
            pg.draw.line(surf, (70, 74, 90), point(az, r - 8), point(az, r + 4), 1)
        # The prey where it is, and where the (prism-displaced) eye sees it.
        target, head = float(self.target[i]), float(self.head[i])
        pg.draw.circle(surf, (220, 80, 60), point(target, r - 30), 9)
        if not np.isnan(self.retinal[i]):
            pg.draw.circle(surf, (240, 220, 120), point(head + float(self.retinal[i]), r - 30), 12, 2)
        # Where the auditory map places the sound.
        steering = self.steering
        if not np.isnan(self.itd[i]) and hasattr(steering, "auditory_location"):
            heard = float(steering.auditory_location(self.itd)[i])
            pg.draw.circle(surf, (90, 160, 240), point(head + heard, r - 55), 7)
        # The owl's head and gaze.
        pg.draw.line(surf, (235, 235, 235), (cx, cy), point(head, r + 12), 3)
        pg.draw.circle(surf, (200, 180, 150), (cx, cy), 18)
        # The two maps, in register or not: the auditory map's innate and current placement of each unit.
        top = 290
        canvas.text("visual map (fixed reference)", (20, top), (210, 210, 210), px=16)
        canvas.text("auditory map (innate place -> current place)", (20, top + 60), (210, 210, 210), px=16)
        x0, w = 20, 600

        def x_of(az: float) -> int:
            return int(x0 + (az + 90.0) / 180.0 * w)

        for az in VISUAL_PREFERRED_DEG[::2]:
            pg.draw.line(surf, (240, 220, 120), (x_of(az), top + 22), (x_of(az), top + 40), 2)
        offset = float(self._auditory_shift()[i])
        for az in VISUAL_PREFERRED_DEG[::2]:
            pg.draw.line(surf, (80, 90, 120), (x_of(az), top + 82), (x_of(az), top + 100), 1)
            shifted = float(np.clip(az + offset, -90.0, 90.0))
            pg.draw.line(surf, (90, 160, 240), (x_of(shifted), top + 82), (x_of(shifted), top + 100), 2)
        canvas.text(
            f"age {self.age()[i]:.1f} d   prisms {self.prism[i]:+.0f} deg   auditory shift {offset:+.1f} deg   "
            f"trials {self.stats['trials'][i]}   catches {self.stats['catches'][i]}",
            (20, 10), (235, 235, 235), px=18,
        )
        phase = "orient" if self.phase[i] == ORIENT else "strike"
        canvas.text(f"{TRIAL_KINDS[int(self.kind[i])]}   next: {phase}", (20, 32), (180, 180, 190), px=16)


class BarnOwlEnv(BodyEnv):
    """A barn owl turns its head to prey it sees and hears; prisms displace what it sees.

    ## Description
    Each trial, the owl faces a zeroing position (azimuth 0) and a target (a
    mouse) appears at an azimuth within +-60 degrees: seen and heard (a
    rustling mouse in the light), heard only (the dark) or seen only (a silent
    mouse), in proportions ``trial_mix``. A trial has two steps: at onset the
    owl makes a head saccade (its action, or its innate orienting reflex);
    then, seeing and hearing the target from where its head now points, it
    makes a last head turn and strikes where its head points. Prisms displace
    the visual world by ``prisms`` degrees (the sound is not displaced), and a
    protocol can put them on, step them or remove them at given ages. Age
    runs in simulated days of ``trials_per_day`` trials, so months of
    development run in seconds. ``vision="blind"``: nothing is ever seen. The
    world only reports where things are; the Steering Subsystem
    (``steering.OwlSteering``) holds the tectum's map alignment.

    ## Observation Space
    ``Dict`` with
    - ``exteroception``: ``Box(0, 1, (63,), float32)``: ``visual``, a retinotopic
      population of 37 units (preferred retinal azimuths -90..90 degrees every
      5, Gaussian tuning 5 degrees; shifted by the prisms; zeros when nothing
      is seen); ``auditory``, a population of 25 units tuned to interaural time
      differences across +-172 microseconds (ITD = 3.0 us/degree x 180/pi x
      sin(azimuth), heard with 6 us noise; zeros in silence); ``onset``, 1 at
      a target's onset (the orienting step), 0 at the strike step.
    - ``interoception``: ``Box(-1, 1, (1,), float32)``: ``head``, the head
      position (azimuth / 180 degrees).
    ``env.unwrapped.layout`` names them: ``layout.read(obs, "auditory")``.
    The true azimuth is never observed. ``observation_mode="flat"`` (or
    ``brainlike/BarnOwlFlat-v0``) gives one ``Box`` of 64 values.

    ## Action Space
    ``Box(-1, 1, (1,), float32)``: ``head_turn``, in units of 90 degrees (+ to
    the right). The muscles add 1 degree of noise.

    ## Steering
    Reward (``info["steering"]["components"]``): ``catch`` 1.0 for a strike
    within 4 degrees of the prey (the owl's acuity); ``effort`` -0.02 per 90
    degrees turned. Reflexes, where the learner does not act (|action| <=
    0.01): ``orient``, a head saccade at onset to where the maps place the
    target (a sound by the auditory map, a silent sight by vision), and
    ``correct``, a corrective saccade to a target still seen more than 2
    degrees off the fovea; a learner that turns keeps its own turn.
    ``info["executed_action"]`` is the turn commanded;
    ``info["steering"]["reflex"]`` names the reflex.
    Innate adjustable parameters: 4 (the auditory map's offset and gain, the
    saccade map's offset and gain; azimuth only). After a saccade to a target
    both seen and heard, the visual error left over, less the error the
    auditory map predicted, shifts the auditory map by a rate that falls with
    age, gated by the error's size (a reach that shrinks with age), capped at
    20 degrees. ``OwlSteering(plastic=False)`` freezes the rule;
    ``OwlSteering(topographic_bins=k)`` gives one offset per azimuth bin.
    ``info["owl"]`` holds, for the experimenter, the trial kind, the target's
    true azimuth, the orienting and strike errors, the prism displacement,
    the age and the auditory map's shift.

    ## Termination and Truncation
    Never terminated. Truncated after 200 steps (``max_episode_steps``): 100
    trials, one simulated day at the default ``trials_per_day``.

    ## Arguments
    ``steering`` (a ``Steering``; default ``OwlSteering()``), ``reflexes``
    (False: no orienting reflex), ``observation_mode`` ("dict" | "flat"),
    ``age_days`` (60.0: the age at the start of the life; a juvenile),
    ``trials_per_day`` (100), ``prisms`` (0.0: degrees, + to the right, at
    most 40), ``prism_protocol`` (((age, displacement), ...): the prisms from
    each age on, e.g. ``((400, 6), (428, 11), (456, 17), (484, 23))``; 0
    removes them), ``vision`` ("normal" | "blind"), ``trial_mix`` ((0.6, 0.2,
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

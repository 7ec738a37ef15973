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
from brainlike.envs.core import BodyEnv, BodyVectorEnv
from brainlike.envs.kernel import CompiledBody, constants, end_step
from brainlike.envs.owl_senses import (
    AUDITORY_PREFERRED_US,
    AUDITORY_TUNING_US,
    ILD_PREFERRED_DB,
    ILD_TUNING_DB,
    VISUAL_ELEVATION_FIELD_DEG,
    VISUAL_ELEVATION_PREFERRED_DEG,
    VISUAL_FIELD_DEG,
    VISUAL_PREFERRED_DEG,
    VISUAL_TUNING_DEG,
    population_code,
)
from brainlike.envs.rng import gaussian_pair, next_draw, uniform_of
from brainlike.steering.base import Steering
from brainlike.steering.compiled import jit
from brainlike.steering.motor import names
from brainlike.steering.owl import (
    AZIMUTH,
    ELEVATION,
    MAX_TURN_DEG,
    HeadMotor,
    OwlEvents,
    OwlSenses,
    OwlSteering,
    auditory_shift_of,
    ild_of_elevation,
    itd_of_azimuth,
    orienting_reflex,
    realign,
    strike_reward,
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
        ages = np.ascontiguousarray(age_days, dtype=np.float64)
        out = np.empty(ages.shape)
        _prisms_at(self.initial, self.ages, self.displacements, ages.reshape(-1), out.reshape(-1))
        return out


# --- the world, compiled: one owl at a time ----------------------------------------------
# Pasted into the kernel where they take arrays or records (``jit(inline=True)``, as steering/owl.py says why).
@jit(inline=True)
def prism_at(initial, ages, displacements, age_days):  # type: ignore[no-untyped-def]
    """The displacement a protocol (``initial``, then ``displacements`` from ``ages`` on) has the owl wear at an age."""
    k = 0
    while k < ages.shape[0] and ages[k] <= age_days:
        k += 1
    return initial if k == 0 else displacements[k - 1]


@jit
def _prisms_at(initial, ages, displacements, age_days, out):  # type: ignore[no-untyped-def]
    for i in range(age_days.shape[0]):
        out[i] = prism_at(initial, ages, displacements, age_days[i])


@jit
def in_view(azimuth, elevation):  # type: ignore[no-untyped-def]
    """Whether an image at this retinal place falls within the visual field."""
    return abs(azimuth) <= VISUAL_FIELD_DEG and abs(elevation) <= VISUAL_ELEVATION_FIELD_DEG


@jit(inline=True)
def age_of(s, c):  # type: ignore[no-untyped-def]
    """Owl ``s``'s age in simulated days: a day is ``trials_per_day`` trials."""
    return c["birth_age"] + s["trials"] / c["trials_per_day"]


@jit(inline=True)
def sense(s, c, u1, u2):  # type: ignore[no-untyped-def]
    """The cues owl ``s``'s target gives from where its head points now (``u1``, ``u2``: the ITD and ILD noise)."""
    relative_azimuth, relative_elevation = s["target"][AZIMUTH] - s["head"][AZIMUTH], s["target"][ELEVATION] - s["head"][ELEVATION]
    if s["kind"] != SEEN:
        noise_itd, noise_ild = gaussian_pair(u1, u2)  # the uniforms are drawn either way; silence needs no noise
        s["sound"][AZIMUTH] = itd_of_azimuth(relative_azimuth) + ITD_NOISE_US * noise_itd
        s["sound"][ELEVATION] = ild_of_elevation(relative_elevation) + ILD_NOISE_DB * noise_ild
    else:
        s["sound"][:] = np.nan
    # The prisms displace the image, not the sound.
    image_azimuth, image_elevation = relative_azimuth + s["prism"], relative_elevation + c["vertical_prisms"]
    if s["kind"] != HEARD and in_view(image_azimuth, image_elevation) and not c["blind"]:
        s["retinal"][AZIMUTH], s["retinal"][ELEVATION] = image_azimuth, image_elevation
    else:
        s["retinal"][:] = np.nan


@jit(inline=True)
def new_trial(s, c, prism_ages, prism_displacements, u_kind, u_azimuth, u_elevation, u1, u2):  # type: ignore[no-untyped-def]
    """A new target for owl ``s``, the head back at the zeroing position, the prisms its age's."""
    s["phase"] = ORIENT
    s["kind"] = int(u_kind >= c["heard_from"]) + int(u_kind >= c["seen_from"])  # ints: numpy's bool + bool is "or"
    s["target"][AZIMUTH] = TARGET_RANGE_DEG * (2.0 * u_azimuth - 1.0)
    s["target"][ELEVATION] = TARGET_ELEVATION_RANGE_DEG * (2.0 * u_elevation - 1.0)
    s["head"][:] = 0.0
    s["prism"] = prism_at(c["initial_prism"], prism_ages, prism_displacements, age_of(s, c))
    sense(s, c, u1, u2)


#: Where a step's uniforms go (``RANDOMS_PER_STEP``): the motor noise, the next cue's ITD and ILD noise,
#: the next trial's kind, azimuth and elevation. The kernel hashes each only where it is used
#: (``uniform_of``): an orienting step leaves the next trial's three alone.
MOTOR_AZIMUTH, MOTOR_ELEVATION, NOISE_ITD, NOISE_ILD, NEXT_KIND, NEXT_AZIMUTH, NEXT_ELEVATION = range(7)
RANDOMS_PER_STEP = 7


@jit(allocates=False)
def owl_step(state, streams, elapsed, constants, prism_ages, prism_displacements, steering_constants, params, centres,  # type: ignore[no-untyped-def]
             instructed, reflexes, actions, out, cues, share):
    """One step of every owl: ``state`` (records), the counter RNG's ``streams``, the body's ``constants``
    and prism protocol, the steering's constants, maps (``params``), bins and lesion (``instructed``);
    ``actions`` are (owls, 2) head turns; the results go to ``out`` (one ``step_record`` per owl).
    ``cues`` and ``share`` are scratch (the body's buffers): the kernel allocates nothing, so it runs
    without numba's reference counting (``jit(allocates=False)``), and copies cues element by element."""
    c, sc = constants[0], steering_constants[0]
    # turn, sound and image before, image after, strike error: (2,) each, for the rule and the reward
    turn, sound_before, retinal_before, retinal_after, strike_error = cues[0], cues[1], cues[2], cues[3], cues[4]
    for b in range(state.shape[0]):
        draw = next_draw(streams, b)  # first and unconditionally: the stream never depends on events
        s, o = state[b], out[b]
        saccade = s["phase"] == ORIENT
        strike = not saccade
        overrode, reason = orienting_reflex(sc, params, b, centres, reflexes, saccade, s["sound"], s["retinal"], actions[b], o["executed"])
        # The muscles add a little noise to the commanded turn.
        noise_azimuth, noise_elevation = gaussian_pair(uniform_of(draw, MOTOR_AZIMUTH), uniform_of(draw, MOTOR_ELEVATION))
        turn[AZIMUTH] = o["executed"][AZIMUTH] * MAX_TURN_DEG + MOTOR_NOISE_DEG * noise_azimuth
        turn[ELEVATION] = o["executed"][ELEVATION] * MAX_TURN_DEG + MOTOR_NOISE_DEG * noise_elevation
        sound_before[0], sound_before[1] = s["sound"][0], s["sound"][1]
        retinal_before[0], retinal_before[1] = s["retinal"][0], s["retinal"][1]
        seen_before, heard_before = not np.isnan(retinal_before[AZIMUTH]), not np.isnan(sound_before[AZIMUTH])
        for d in range(2):
            s["head"][d] += turn[d]
            error = s["head"][d] - s["target"][d]
            strike_error[d] = error if strike else np.nan
            o["event_strike_error_deg"][d] = error if strike else 0.0  # info holds no NaN: the checkers compare it exactly
            o["event_orient_error_deg"][d] = error if saccade else 0.0
            o["event_target_deg"][d] = s["target"][d]
            o["event_turn_deg"][d] = turn[d]
        # Where the image lies after the turn: the visual error the saccade left.
        image_azimuth = (s["target"][AZIMUTH] - s["head"][AZIMUTH]) + s["prism"]
        image_elevation = (s["target"][ELEVATION] - s["head"][ELEVATION]) + c["vertical_prisms"]
        if seen_before and in_view(image_azimuth, image_elevation):
            retinal_after[AZIMUTH], retinal_after[ELEVATION] = image_azimuth, image_elevation
        else:
            retinal_after[:] = np.nan
        age = age_of(s, c)
        o["event_kind"], o["event_saccade"], o["event_prism_deg"], o["event_age_days"] = s["kind"], saccade, s["prism"], age
        catch, effort = strike_reward(turn, strike, strike_error)
        s["catches"] += catch > 0.0
        s["orienting_reflexes"] += saccade and overrode
        s["corrective_reflexes"] += strike and overrode
        s["paired_trials"] += saccade and heard_before and seen_before
        s["trials"] += strike
        s["last_turn"][0], s["last_turn"][1] = turn[0], turn[1]
        # Next: the strike phase sees the target from the new head position; after a strike, a new trial.
        if saccade:
            s["phase"] = STRIKE
            sense(s, c, uniform_of(draw, NOISE_ITD), uniform_of(draw, NOISE_ILD))
        else:
            s["last_strike"][0], s["last_strike"][1] = strike_error[0], strike_error[1]
            new_trial(s, c, prism_ages, prism_displacements, uniform_of(draw, NEXT_KIND), uniform_of(draw, NEXT_AZIMUTH),
                      uniform_of(draw, NEXT_ELEVATION), uniform_of(draw, NOISE_ITD), uniform_of(draw, NOISE_ILD))
        # Steering: the reward, then the rule realigns the maps (a saccade the reflex steered by sight alone calibrates the motor map).
        realign(sc, params, b, centres, instructed, share, age, turn, saccade, sound_before, retinal_before, retinal_after,
                saccade and overrode and not heard_before)
        o["catch"], o["effort"] = catch, effort
        o["reward"] = catch + effort
        o["overrode"], o["reason"] = overrode, reason
        o["event_auditory_shift_deg"][AZIMUTH], o["event_auditory_shift_deg"][ELEVATION] = auditory_shift_of(sc, params, b, centres.shape[0])
        o["terminated"] = False
        o["truncated"] = end_step(elapsed, b, c["max_steps"])


@jit
def owl_birth(state, rows, constants, prism_ages, prism_displacements, u):  # type: ignore[no-untyped-def]
    """The first trial of each owl in ``rows`` (indices), from its row of ``u``: kind, azimuth, elevation, ITD and ILD noise."""
    c = constants[0]
    for i in range(rows.shape[0]):
        new_trial(state[rows[i]], c, prism_ages, prism_displacements, u[i, 0], u[i, 1], u[i, 2], u[i, 3], u[i, 4])


#: Where each population starts in the exteroception (``LAYOUT``'s order), and the onset channel.
VISUAL_AZIMUTH_AT = 0
VISUAL_ELEVATION_AT = VISUAL_AZIMUTH_AT + len(VISUAL_PREFERRED_DEG)
AUDITORY_ITD_AT = VISUAL_ELEVATION_AT + len(VISUAL_ELEVATION_PREFERRED_DEG)
AUDITORY_ILD_AT = AUDITORY_ITD_AT + len(AUDITORY_PREFERRED_US)
ONSET_AT = AUDITORY_ILD_AT + len(ILD_PREFERRED_DB)


@jit(allocates=False)
def owl_observe(state, extero, intero):  # type: ignore[no-untyped-def]
    """Every owl's observation into ``extero`` (the four population codes, the onset) and ``intero`` (the head), float32."""
    for b in range(state.shape[0]):
        s, e = state[b], extero[b]
        population_code(s["retinal"][AZIMUTH], VISUAL_PREFERRED_DEG, VISUAL_TUNING_DEG, e[VISUAL_AZIMUTH_AT:VISUAL_ELEVATION_AT])
        population_code(s["retinal"][ELEVATION], VISUAL_ELEVATION_PREFERRED_DEG, VISUAL_TUNING_DEG, e[VISUAL_ELEVATION_AT:AUDITORY_ITD_AT])
        population_code(s["sound"][AZIMUTH], AUDITORY_PREFERRED_US, AUDITORY_TUNING_US, e[AUDITORY_ITD_AT:AUDITORY_ILD_AT])
        population_code(s["sound"][ELEVATION], ILD_PREFERRED_DB, ILD_TUNING_DB, e[AUDITORY_ILD_AT:ONSET_AT])
        e[ONSET_AT] = 1.0 if s["phase"] == ORIENT else 0.0
        for d in range(2):
            intero[b, d] = min(max(s["head"][d] / HEAD_SCALE_DEG, -1.0), 1.0)


#: The body's constants as its kernels read them (``OwlBody._constants``).
OWL_BODY_CONSTANTS = [
    ("birth_age", np.float64), ("trials_per_day", np.int64), ("vertical_prisms", np.float64), ("blind", np.bool_),
    ("heard_from", np.float64), ("seen_from", np.float64), ("initial_prism", np.float64), ("max_steps", np.int64),
]
#: What a step's ``info["owl"]`` holds, each a field of the step record.
OWL_INFO = (("kind", np.int64), ("target_deg", (np.float64, (2,))), ("saccade", np.bool_), ("turn_deg", (np.float64, (2,))),
            ("orient_error_deg", (np.float64, (2,))), ("strike_error_deg", (np.float64, (2,))), ("prism_deg", np.float64),
            ("age_days", np.float64), ("auditory_shift_deg", (np.float64, (2,))))


class OwlBody(CompiledBody[OwlSenses, OwlEvents]):
    """The batched world of BarnOwl-v0 (see ``BarnOwlEnv`` for the documentation).

    Its step is the compiled ``owl_step``; its observation ``owl_observe``.
    """

    default_steering = OwlSteering
    randoms_per_step = RANDOMS_PER_STEP
    randoms_per_life = 5  # the first trial's kind, azimuth and elevation, its ITD and ILD noise (2)
    components = ("catch", "effort")
    events = OWL_INFO
    canvas_size = (640, 440)

    def __init__(
        self,
        num_bodies: int = 1,
        steering: Steering[Any, Any] | None = None,
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
        # The constants as the kernels read them, one record each; the steering's are read once, here.
        self._constants = constants((self.birth_age, self.trials_per_day, self.vertical_prisms, self.blind, self.mix_edges[0],
                                     self.mix_edges[1], self.protocol.initial, self.max_steps), OWL_BODY_CONSTANTS)
        self._steering = self.steering.unwrapped
        self._steering_constants = self._steering.constants
        # owl_step's scratch: a step's cues (``owl_step`` names them), the rule's share per bin.
        self._cues, self._share = np.empty((5, 2)), np.empty(len(self._steering.centres))

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

    def _reset_bodies(self, rows: np.ndarray, u: np.ndarray) -> None:
        self._call(owl_birth, self.state, rows, self._constants, self.protocol.ages, self.protocol.displacements, u)

    # --- observation and step: the compiled kernels ---------------------------------
    def _observe(self) -> tuple[np.ndarray, np.ndarray]:
        extero = np.empty((self.num_bodies, ONSET_AT + 1), dtype=np.float32)
        intero = np.empty((self.num_bodies, 2), dtype=np.float32)
        self._call(owl_observe, self.state, extero, intero)
        return extero, intero

    def _run_kernel(self, actions: np.ndarray, out: np.ndarray) -> None:
        st = self._steering
        self._call(owl_step, self.state, self._rng.streams, self.elapsed, self._constants, self.protocol.ages, self.protocol.displacements,
                   self._steering_constants, st.parameters.values, st.centres, st.instructed, st.reflexes_enabled, actions, out,
                   self._cues, self._share)

    def _body_info(self, info: dict[str, Any], events: dict[str, Any]) -> None:
        # For the experimenter: the trial kind, the target's true (azimuth, elevation) (the learner never observes
        # it), the orienting and strike errors (0 on the step without one), the prisms, the age, the map's shift.
        info["owl"] = events

    def _auditory_shift(self) -> np.ndarray:
        """(bodies, 2) the auditory map's azimuth and elevation shift."""
        return self._steering.auditory_shift()

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
    """N barn owls in one compiled step (see ``BarnOwlEnv``)."""

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

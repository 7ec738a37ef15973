"""ResidentIntruder-v0: daily resident-intruder encounters in a male mouse's home cage (the winner effect)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from gymnasium import spaces

from brainlike.envs.contract import Layout, StateVar, check_arguments, integer, real
from brainlike.envs.core import BodyEnv, BodyVectorEnv
from brainlike.envs.kernel import CompiledBody, constants, end_step
from brainlike.envs.profile import BodyProfile
from brainlike.envs.rng import next_draw, uniform_of
from brainlike.steering.aggression import (
    ATTACK,
    AVOIDANCE,
    EXPLORE,
    FLEE,
    GENERAL_GAIN,
    IDENTITY_GAIN,
    INVESTIGATE,
    NUM_IDENTITIES,
    TESTOSTERONE,
    THREAT,
    UPRIGHT,
    ResidentAction,
    ResidentEvents,
    ResidentSenses,
    ResidentSteering,
    attack_reflex,
    baseline_level,
    resident_evaluate,
)
from brainlike.steering.base import NO_REFLEX, Steering
from brainlike.steering.compiled import jit
from brainlike.steering.motor import names

#: Intruder kinds, in the order of ``intruder_mix``.
INTRUDER_KINDS = ("weak", "neutral", "aggressor")
WEAK, NEUTRAL, AGGRESSOR = range(3)
#: Per kind: how often it approaches, attacks when within reach, the chance its
#: bite lands, the chance the resident's bite lands on it, and the bites it takes
#: before it submits. Weak (submissive) intruders are usually beaten, aggressors
#: usually win, a neutral one never attacks.
APPROACH = np.array([0.3, 0.4, 0.8])
ATTACK_CHANCE = np.array([0.05, 0.0, 0.6])
BITE_LANDS = np.array([0.3, 0.0, 0.7])
BITTEN_LANDS = np.array([0.7, 0.6, 0.25])
SUBMITS_AFTER = np.array([2, 3, 6])
#: The intruder's behaviour, observed as a one-hot code.
INTRUDER_STATES = ("exploring", "investigating", "attacking", "submitting", "fleeing")
EXPLORING, INVESTIGATING, ATTACKING, SUBMITTING, FLEEING = range(5)
#: Bites that defeat the resident (the experimenter then removes the intruder).
DEFEAT_AFTER = 3
#: Cage geometry, in cage widths: bite reach and one step's run.
REACH, SPEED = 0.15, 0.12
CAGE_DIAGONAL = float(np.sqrt(2.0))
#: Encounter outcomes recorded per day.
OUTCOMES = ("draw", "won", "defeated")
DRAW, WON, DEFEATED = range(3)
#: Recent days whose gains the rendering plots.
DAYS_SHOWN = 30
CHANNELS = Layout.groups("distance", "bearing", ("intruder_state", len(INTRUDER_STATES)), ("odour", NUM_IDENTITIES))
INTEROCEPTION = Layout.groups("injury", "arousal", "testosterone")
_LAYOUT = Layout(CHANNELS, INTEROCEPTION, names(ResidentAction))
_DISTANCE, _BEARING = _LAYOUT.index("distance"), _LAYOUT.index("bearing")
_STATE, _ODOUR = _LAYOUT.slice("intruder_state").start, _LAYOUT.slice("odour").start
_INJURY, _AROUSAL, _TESTOSTERONE = (_LAYOUT.index(n) for n in ("injury", "arousal", "testosterone"))
#: Each step: the resident's random walk, the intruder's decision, its walk, the two bites, the
#: threat's effect, then the next day's intruder (kind, identity) and start positions (4).
RANDOMS_PER_STEP = 12
_WALK, _DECISION, _INTRUDER_WALK, _BITE, _INTRUDER_BITE, _THREAT, _NEXT_DAY = range(7)
#: At birth: the baseline testosterone, then the first day's intruder and positions.
RANDOMS_PER_LIFE = 7


# --- the step, compiled: one loop over the bodies (see envs.kernel) -----------------------
@jit
def _new_encounter(s, c, plan, mix_cdf, u, k):  # type: ignore[no-untyped-def]
    """Put the day's intruder in resident record ``s``'s cage, from the uniforms ``u[k:k + 6]``."""
    if plan.shape[0] > 0:
        s["kind"], s["identity"] = plan[s["day"], 0], plan[s["day"], 1]
    else:
        kind = 0
        while kind < mix_cdf.shape[0] and mix_cdf[kind] <= u[k]:  # np.searchsorted(mix_cdf, u, side="right")
            kind += 1
        s["kind"] = min(kind, len(INTRUDER_KINDS) - 1)
        s["identity"] = min(int(u[k + 1] * NUM_IDENTITIES), NUM_IDENTITIES - 1)
    # The resident in the home half of the cage, the intruder dropped in the other half.
    s["resident"][0], s["resident"][1] = 0.1 + 0.3 * u[k + 2], 0.1 + 0.8 * u[k + 3]
    s["intruder"][0], s["intruder"][1] = 0.6 + 0.3 * u[k + 4], 0.1 + 0.8 * u[k + 5]
    s["heading"] = 0.0
    s["t"] = 0
    s["intruder_state"] = EXPLORING
    s["damage"] = 0
    s["bites_taken"] = 0
    s["submitted"] = False


@jit
def _remember_gains(s, gains, params, b):  # type: ignore[no-untyped-def]
    """Keep body ``b``'s gains at the start of its current day in its row of ``gains``, for the rendering."""
    g = gains[b, s["day"] % DAYS_SHOWN]
    g[0] = params[b, IDENTITY_GAIN + s["identity"]]
    g[1] = params[b, GENERAL_GAIN]
    g[2] = params[b, TESTOSTERONE]


@jit
def _offset(s):  # type: ignore[no-untyped-def]
    """The intruder's offset from the resident and their distance."""
    dx, dy = s["intruder"][0] - s["resident"][0], s["intruder"][1] - s["resident"][1]
    return dx, dy, np.sqrt(dx * dx + dy * dy)


@jit
def _approach(dist):  # type: ignore[no-untyped-def]
    """One step's run towards the other mouse: stop just short of touching it."""
    return min(SPEED, max(dist - 0.05, 0.0))


@jit
def resident_step(state, latency, attack_steps, outcome, gains, streams, elapsed, constants, plan, mix_cdf,  # type: ignore[no-untyped-def]
                  steering_constants, params, readiness, baseline, reflexes, actions, out):
    """One step of every resident: ``state`` (records) and its daily records (``latency``,
    ``attack_steps``, ``outcome``, ``gains``), the counter RNG's ``streams``, the body's ``constants``,
    its intruders' ``plan`` (one (kind, identity) per day, or none) and ``mix_cdf``, the
    steering's constants and state (``params, readiness, baseline``); the results go to
    ``out`` (one ``step_record`` per body)."""
    c, sc = constants[0], steering_constants[0]
    u = np.empty(RANDOMS_PER_STEP)
    for b in range(state.shape[0]):
        # First and unconditionally: the stream never depends on events. Each of the draw's
        # uniforms is hashed only where the step reads it (see ``rng.next_draw``).
        draw = next_draw(streams, b)
        s, o = state[b], out[b]
        kind, identity, day = s["kind"], s["identity"], s["day"]
        # The senses, before the resident moves: the intruder's male cue and whether it is within reach.
        dx, dy, dist = _offset(s)
        within = dist <= REACH
        a, reason = attack_reflex(sc, params, readiness, b, reflexes, 1.0 - 0.5 * dist / CAGE_DIAGONAL, identity, within, actions[b])
        # The resident moves.
        tx, ty = dx / max(dist, 1e-9), dy / max(dist, 1e-9)
        if a == EXPLORE:
            walk = uniform_of(draw, _WALK)
            sx, sy = SPEED * np.cos(2 * np.pi * walk), SPEED * np.sin(2 * np.pi * walk)
        elif a == INVESTIGATE or (a == ATTACK and dist > REACH):
            run = _approach(dist)
            sx, sy = run * tx, run * ty
        elif a == FLEE:
            sx, sy = -SPEED * tx, -SPEED * ty
        else:
            sx, sy = 0.0, 0.0
        if np.sqrt(sx * sx + sy * sy) > 0:
            s["heading"] = np.arctan2(sy, sx)
        r = s["resident"]
        r[0], r[1] = min(max(r[0] + sx, 0.0), 1.0), min(max(r[1] + sy, 0.0), 1.0)
        # The resident acts on the intruder (before it moves: a bite is on where it stood).
        attacked = a == ATTACK and within
        s["damage"] += attacked and uniform_of(draw, _BITE) < BITTEN_LANDS[kind]
        won = not s["submitted"] and s["damage"] >= SUBMITS_AFTER[kind]
        s["submitted"] = s["submitted"] or won
        submitted = s["submitted"]
        threatened = a == THREAT and within and kind == WEAK and uniform_of(draw, _THREAT) < 0.5
        # The intruder decides and moves.
        dx, dy, dist = _offset(s)
        tx, ty = dx / max(dist, 1e-9), dy / max(dist, 1e-9)
        decision = 1.0 if submitted or threatened else uniform_of(draw, _DECISION)
        approach = not submitted and not threatened and decision < APPROACH[kind]
        strikes = approach and dist <= REACH and decision < ATTACK_CHANCE[kind]
        if submitted:
            s["intruder_state"], mx, my = SUBMITTING, 0.0, 0.0
        elif threatened:
            s["intruder_state"], mx, my = FLEEING, SPEED * tx, SPEED * ty
        elif approach:
            run = -_approach(dist)
            s["intruder_state"], mx, my = ATTACKING if strikes else INVESTIGATING, run * tx, run * ty
        else:
            walk = uniform_of(draw, _INTRUDER_WALK)
            s["intruder_state"], mx, my = EXPLORING, SPEED * np.cos(2 * np.pi * walk), SPEED * np.sin(2 * np.pi * walk)
        i = s["intruder"]
        i[0], i[1] = min(max(i[0] + mx, 0.0), 1.0), min(max(i[1] + my, 0.0), 1.0)
        bitten = strikes and uniform_of(draw, _INTRUDER_BITE) < BITE_LANDS[kind] * (0.5 if a == UPRIGHT else 1.0)
        s["bites_taken"] += bitten
        defeated = s["bites_taken"] >= DEFEAT_AFTER
        # The day's record.
        if attacked and latency[b, day] < 0:
            latency[b, day] = s["t"]
        attack_steps[b, day] += attacked
        step = s["t"]
        s["t"] = step + 1
        ended = defeated or step + 1 >= c["encounter_steps"]
        encounter_won = ended and submitted and not defeated
        if ended:
            outcome[b, day] = DEFEATED if defeated else (WON if encounter_won else DRAW)
        dist = _offset(s)[2]
        terminated = ended and day + 1 >= c["days"]
        if ended and not terminated:
            s["day"] += 1
            for j in range(_NEXT_DAY, RANDOMS_PER_STEP):
                u[j] = uniform_of(draw, j)
            _new_encounter(s, c, plan, mix_cdf, u, _NEXT_DAY)

        o["win"], o["pain"], o["defeat"], o["fear"], o["drive_readiness"] = resident_evaluate(
            sc, params, baseline, readiness, b, attacked, bitten, won, defeated, ended, encounter_won, identity,
            min(max(1.0 - dist / CAGE_DIAGONAL, 0.0), 1.0))
        o["reward"] = o["win"] + o["pain"] + o["defeat"] + o["fear"]
        s["arousal"] = o["drive_readiness"]
        s["testosterone"] = o["drive_testosterone"] = params[b, TESTOSTERONE]
        o["drive_avoidance"] = params[b, AVOIDANCE]
        s["last_reflex"] = reason
        if ended:
            _remember_gains(s, gains, params, b)
        o["executed"], o["overrode"], o["reason"] = a, reason != NO_REFLEX, reason
        o["terminated"] = terminated
        o["truncated"] = end_step(elapsed, b, c["max_steps"])
        o["event_day"], o["event_encounter_step"], o["event_intruder_kind"], o["event_identity"] = day, step, kind, identity
        o["event_attacked"], o["event_bitten"], o["event_won"], o["event_defeated"] = attacked, bitten, won, defeated
        o["event_encounter_ended"], o["event_encounter_won"], o["event_distance"] = ended, encounter_won, dist / CAGE_DIAGONAL


@jit
def resident_birth(state, gains, constants, plan, mix_cdf, steering_constants, params, baseline, rows, u):  # type: ignore[no-untyped-def]
    """A new life for each body in ``rows``, from its row of ``u``: its baseline testosterone, the first day's intruder."""
    c, sc = constants[0], steering_constants[0]
    for j in range(rows.shape[0]):
        b = rows[j]
        s = state[b]
        level = baseline_level(sc, u[j, 0])
        baseline[b] = params[b, TESTOSTERONE] = s["testosterone"] = level
        _new_encounter(s, c, plan, mix_cdf, u[j], 1)
        _remember_gains(s, gains, params, b)


#: 2 pi as the sum of two doubles (Cody-Waite): ``a - TWO_PI_HIGH - TWO_PI_LOW`` is ``a - 2 pi`` to
#: about one rounding, where ``a - 2.0 * np.pi`` would carry 2 pi's own rounding (2.4e-16) into it.
TWO_PI_HIGH = 2.0 * np.pi
TWO_PI_LOW = 2.4492935982947064e-16


@jit
def wrapped_angle(angle):  # type: ignore[no-untyped-def]
    """``angle`` (radians, within [-3 pi, 3 pi]: a bearing less a heading) wrapped to [-pi, pi] by adding or subtracting 2 pi.

    This replaces ``np.arctan2(np.sin(angle), np.cos(angle))`` (``np.angle(np.exp(1j * angle))``),
    three transcendental calls, with the same branch cut: ``np.sin`` changes sign between
    ``np.pi`` (pi rounded down) and the next double, so above ``np.pi`` an angle turns negative
    and below ``-np.pi`` positive. The two differ only in the last bits of the double (the
    transcendentals' rounding, not the wrap's), by at most 1 ULP; after the observation's float32
    cast they agreed on all of 2 x 10^7 random angles, and ``tests/test_kernels_resident.py``
    bounds them (over a dense grid and the branch cuts) at 1 float32 ULP on at most one in 10^6.
    """
    if angle > np.pi:
        return angle - TWO_PI_HIGH - TWO_PI_LOW
    if angle < -np.pi:
        return angle + TWO_PI_HIGH + TWO_PI_LOW
    return angle


@jit
def resident_observe(state, constants, extero, intero):  # type: ignore[no-untyped-def]
    """Every resident's observation into ``extero`` and ``intero`` (float32)."""
    c = constants[0]
    for b in range(state.shape[0]):
        s = state[b]
        dx, dy, dist = _offset(s)
        angle = np.arctan2(dy, dx) - s["heading"]
        extero[b, :] = 0.0
        extero[b, _DISTANCE] = dist / CAGE_DIAGONAL
        extero[b, _BEARING] = wrapped_angle(angle) / np.pi
        extero[b, _STATE + s["intruder_state"]] = 1.0
        extero[b, _ODOUR + s["identity"]] = 1.0
        intero[b, _INJURY] = s["bites_taken"] / DEFEAT_AFTER
        intero[b, _AROUSAL] = min(max(s["arousal"], 0.0), 1.0)
        intero[b, _TESTOSTERONE] = min(max(s["testosterone"] / 2.0, 0.0), 1.0) if c["expose_testosterone"] else 0.0


class ResidentBody(CompiledBody[ResidentSenses, ResidentEvents]):
    """The batched world of ResidentIntruder-v0 (see ``ResidentIntruderEnv`` for the documentation).

    Its step is the compiled ``resident_step``; its observation ``resident_observe``.
    """

    default_steering = ResidentSteering
    randoms_per_step = RANDOMS_PER_STEP
    randoms_per_life = RANDOMS_PER_LIFE
    components = ("win", "pain", "defeat", "fear")
    drives = ("readiness", "testosterone", "avoidance")
    #: Under their names at the top of ``info``, as ``ResidentIntruderEnv`` documents them.
    events = (("day", np.int64), ("encounter_step", np.int64), ("intruder_kind", np.int64), ("identity", np.int64),
              ("attacked", np.bool_), ("bitten", np.bool_), ("won", np.bool_), ("defeated", np.bool_),
              ("encounter_ended", np.bool_), ("encounter_won", np.bool_), ("distance", np.float64))
    # One entry per day of the life, and the gains' history (the rendering's: the step's records stay small).
    unpacked = ("latency", "attack_steps", "outcome", "gains")
    canvas_size = (640, 320)

    def __init__(
        self,
        num_bodies: int = 1,
        steering: Steering[Any, Any] | None = None,
        reflexes: bool = True,
        observation_mode: str = "dict",
        max_episode_steps: int | None = None,
        days: int | None = None,
        schedule: Sequence[tuple[str, int]] | None = None,
        intruder_mix: Sequence[float] = (0.6, 0.2, 0.2),
        encounter_steps: int = 60,
        expose_testosterone: bool = False,
    ) -> None:
        plan = list(schedule) if schedule is not None else []
        check_arguments({
            "days": (days, days is None or (integer(days) and days >= 1), "None or an integer >= 1"),
            "schedule": (schedule, schedule is None or (len(plan) >= 1 and all(
                isinstance(d, (tuple, list)) and len(d) == 2 for d in plan)), "None or a non-empty list of (kind, identity) per day"),
            "intruder_mix": (intruder_mix, len(intruder_mix) == len(INTRUDER_KINDS) and all(real(p) and 0 <= p <= 1 for p in intruder_mix)
                             and abs(sum(intruder_mix) - 1.0) < 1e-9, f"{len(INTRUDER_KINDS)} probabilities in [0, 1] of {INTRUDER_KINDS} summing to 1"),
            "encounter_steps": (encounter_steps, integer(encounter_steps) and encounter_steps >= 1, "an integer >= 1"),
            "expose_testosterone": (expose_testosterone, isinstance(expose_testosterone, bool), "True or False"),
        })
        for day, (kind, identity) in enumerate(plan):
            check_arguments({
                f"schedule[{day}] kind": (kind, kind in INTRUDER_KINDS, f"one of {INTRUDER_KINDS}"),
                f"schedule[{day}] identity": (identity, integer(identity) and 0 <= identity < NUM_IDENTITIES, f"an integer in [0, {NUM_IDENTITIES})"),
            })
        if plan and days is not None and days != len(plan):
            raise ValueError(f"days={days!r} is invalid: expected None or the schedule's length {len(plan)}")
        super().__init__(num_bodies, steering, reflexes, observation_mode, max_episode_steps)
        self.days = len(plan) if plan else (10 if days is None else int(days))
        self.schedule = tuple((str(k), int(i)) for k, i in plan)
        # One (kind, identity) row per day of the schedule; no rows: drawn from the mix.
        self.plan = np.array([(INTRUDER_KINDS.index(k), i) for k, i in self.schedule], dtype=np.int64).reshape(-1, 2)
        self.mix_cdf = np.cumsum(np.asarray(intruder_mix, dtype=np.float64))
        self.encounter_steps = int(encounter_steps)
        self.expose_testosterone = expose_testosterone
        extero = spaces.Box(np.array([0.0, -1.0] + [0.0] * (len(INTRUDER_STATES) + NUM_IDENTITIES), dtype=np.float32),
                            np.ones(2 + len(INTRUDER_STATES) + NUM_IDENTITIES, dtype=np.float32), dtype=np.float32)
        intero = spaces.Box(0.0, 1.0, (len(INTEROCEPTION),), dtype=np.float32)
        self._build(_LAYOUT, extero, intero, spaces.Discrete(len(ResidentAction)))
        self.species: ResidentSteering = self.steering.unwrapped  # type: ignore[assignment]
        # The constants as the kernels read them, one record each; the steering's are read once, here.
        self._constants = constants((self.days, self.encounter_steps, self.expose_testosterone, self.max_steps), [
            ("days", np.int64), ("encounter_steps", np.int64), ("expose_testosterone", np.bool_), ("max_steps", np.int64)])
        self._steering_constants = self.species.constants

    def state_table(self) -> dict[str, StateVar | dict[str, StateVar]]:
        i64 = np.int64
        return {
            "resident": StateVar((2,)), "heading": StateVar(), "intruder": StateVar((2,)),
            "day": StateVar(dtype=i64), "t": StateVar(dtype=i64), "kind": StateVar(dtype=i64), "identity": StateVar(dtype=i64),
            "intruder_state": StateVar(dtype=i64), "damage": StateVar(dtype=i64), "bites_taken": StateVar(dtype=i64),
            "submitted": StateVar(dtype=bool), "arousal": StateVar(), "testosterone": StateVar(),
            "last_reflex": StateVar(dtype=i64, birth=-1),
            # Per day of the life: first attack step (-1: none), attack steps, outcome.
            "latency": StateVar((self.days,), i64, -1), "attack_steps": StateVar((self.days,), i64),
            "outcome": StateVar((self.days,), i64),
            "gains": StateVar((DAYS_SHOWN, 3), np.float64, np.nan),
        }

    def _reset_bodies(self, rows: np.ndarray, u: np.ndarray) -> None:
        st = self.species
        self._call(resident_birth, self.state, self.gains, self._constants, self.plan, self.mix_cdf, self._steering_constants,
                   st.parameters.values, st.baseline, rows, u)

    # --- observation and step: the compiled kernels ---------------------------------
    def _observe(self) -> tuple[np.ndarray, np.ndarray]:
        extero = np.empty((self.num_bodies, 2 + len(INTRUDER_STATES) + NUM_IDENTITIES), dtype=np.float32)
        intero = np.empty((self.num_bodies, len(INTEROCEPTION)), dtype=np.float32)
        self._call(resident_observe, self.state, self._constants, extero, intero)
        return extero, intero

    def _run_kernel(self, actions: np.ndarray, out: np.ndarray) -> None:
        st = self.species
        self._call(resident_step, self.state, self.latency, self.attack_steps, self.outcome, self.gains, self._rng.streams, self.elapsed,
                   self._constants, self.plan, self.mix_cdf, self._steering_constants, st.parameters.values,
                   st.attack.readiness, st.baseline, st.reflexes_enabled, actions, out)

    def summary(self, i: int) -> dict[str, Any]:
        p = self.steering.parameters
        return {
            "days": int(self.day[i]) + 1,
            "wins": int(p["wins"][i, 0]),
            "latency": self.latency[i].tolist(),
            "attack_steps": self.attack_steps[i].tolist(),
            "outcome": [OUTCOMES[o] for o in self.outcome[i]],
            "general_gain": float(p["general_gain"][i, 0]),
            "testosterone": float(p["testosterone"][i, 0]),
            "avoidance": float(p["avoidance"][i, 0]),
        }

    # --- rendering (pygame, only when asked) ---------------------------------------------
    def render_body(self, i: int, canvas: Any) -> None:
        pg, surf = canvas.pg, canvas.surface
        surf.fill((236, 232, 222))
        box = pg.Rect(20, 30, 260, 260)
        pg.draw.rect(surf, (250, 248, 240), box)
        pg.draw.rect(surf, (110, 100, 90), box, 3)

        def at(p: np.ndarray) -> tuple[int, int]:
            return box.left + int(p[0] * box.width), box.top + int(p[1] * box.height)

        attacking = self.last_reflex[i] >= 0 or self.latency[i, self.day[i]] == self.t[i] - 1
        pg.draw.circle(surf, (200, 60, 50) if attacking else (90, 90, 100), at(self.resident[i]), 14)
        kind_colour = ((180, 180, 170), (160, 150, 120), (120, 60, 40))[self.kind[i]]
        pg.draw.circle(surf, kind_colour, at(self.intruder[i]), 12)
        canvas.text("resident", (at(self.resident[i])[0] - 24, at(self.resident[i])[1] + 16), px=16)
        canvas.text(f"{INTRUDER_KINDS[self.kind[i]]} #{self.identity[i]}: {INTRUDER_STATES[self.intruder_state[i]]}",
                    (box.left, box.bottom + 6), px=18)
        canvas.text(f"day {self.day[i] + 1}/{self.days}  step {self.t[i]}  bites taken {self.bites_taken[i]}", (box.left, 8), px=18)
        # The steering's gains over the days.
        x0, y0, w, h = 320, 40, 300, 220
        pg.draw.rect(surf, (255, 255, 255), pg.Rect(x0, y0, w, h))
        pg.draw.rect(surf, (120, 120, 120), pg.Rect(x0, y0, w, h), 1)
        shown = min(int(self.day[i]) + 1, DAYS_SHOWN)
        colours = ((200, 60, 50), (60, 90, 200), (40, 150, 70))
        for k, colour in enumerate(colours):
            pts = [(x0 + int(w * j / max(DAYS_SHOWN - 1, 1)), y0 + h - int(h * min(float(self.gains[i, j, k]) / 2.5, 1.0)))
                   for j in range(shown) if np.isfinite(self.gains[i, j, k])]
            if len(pts) >= 2:
                pg.draw.lines(surf, colour, False, pts, 2)
            elif pts:
                pg.draw.circle(surf, colour, pts[0], 3)
        canvas.text("identity gain  general gain  testosterone", (x0, y0 - 22), px=16)
        canvas.text(f"readiness {float(self.arousal[i]):.2f} of threshold", (x0, y0 + h + 6), px=18)


class ResidentIntruderEnv(BodyEnv):
    """Daily resident-intruder encounters: a male defends its home cage; winning makes it more aggressive.

    ## Description
    One life is a series of daily encounters (``days``, 10 by default), each
    ``encounter_steps`` steps (60, about 5 s each) long, in the resident's home
    cage (a unit square). Each day an intruder male is put in: ``weak``
    (submissive; the resident usually beats it: it submits after 2 landed
    bites), ``neutral`` (never attacks, submits after 3) or ``aggressor`` (it
    approaches and bites; 3 of its bites defeat the resident, and the
    experimenter then ends the encounter). Intruders have an identity (one of
    3, an odour code), and the same intruder can come back on later days.
    Without a ``schedule`` the day's kind is drawn from ``intruder_mix`` and its
    identity uniformly; with one, ``schedule`` lists (kind, identity) per day.
    The world reports bites, submission and defeat; the Steering Subsystem
    (``steering.aggression.ResidentSteering``) decides what they are worth,
    attacks when its readiness crosses a threshold, and changes its few gains
    after each encounter by a fixed rule (the winner and loser effects).

    ## Observation Space
    ``Dict`` with
    - ``exteroception``: ``Box((10,), float32)``: ``distance`` (to the intruder,
      in cage diagonals, 0..1), ``bearing`` (of the intruder relative to the
      resident's heading, -1..1 = -180..180 degrees), ``intruder_state``
      (one-hot over exploring, investigating, attacking, submitting, fleeing),
      ``odour`` (one-hot identity code of the intruder, 3 wide).
    - ``interoception``: ``Box(0, 1, (3,), float32)``: ``injury`` (bites
      taken this encounter / 3), ``arousal`` (the steering's attack readiness
      as a fraction of its threshold, clipped to 1), ``testosterone`` (level / 2,
      only with ``expose_testosterone=True``, else 0).
    ``observation_mode="flat"`` (or ``brainlike/ResidentIntruderFlat-v0``)
    gives one ``Box`` of 13 values. Read channels by name: ``env.unwrapped.layout``.

    ## Action Space
    ``Discrete(7)``, ``ResidentAction``: 0 explore (a random step), 1
    investigate (approach), 2 threat (weak intruders may flee), 3 attack (a bite
    if within reach, else a lunge towards the intruder), 4 upright (defensive:
    halves the intruder's landing bites), 5 flee, 6 groom.

    ## Steering
    Rewards (``info["steering"]["components"]``): ``win`` (+1 when the
    intruder submits), ``pain`` (-0.3 per bite received), ``defeat`` (-1 when
    defeated), ``fear`` (-0.1 x avoidance x proximity, every step).
    Reflex: ``AttackReflex``: readiness (VMHvl activity, integrating the gains'
    drive from the intruder's cues) crossing the threshold with the intruder
    within reach triggers an attack (reason ``attack``); a learner's attack
    proposed below half the threshold is executed as a threat (``withheld``).
    Innate adjustable parameters: 7 per resident: 3 identity-specific gains,
    the general gain, testosterone, the avoidance drive and the fights-won
    counter; a quarter of residents are born with low testosterone and do not
    potentiate (non-responders).

    ## Termination and Truncation
    Terminated when the last day's encounter ends; truncated after
    ``max_episode_steps`` (1,000 when registered).

    ## Arguments
    ``steering`` (a ``ResidentSteering``: switches ``potentiation``,
    ``defeat_rule``, ``supplement``), ``reflexes`` (False: no attack reflex),
    ``observation_mode`` ("dict" | "flat"), ``days`` (None: 10, or the
    schedule's length), ``schedule`` (None, or [(kind, identity), ...] per day,
    kinds from "weak", "neutral", "aggressor", identities 0-2),
    ``intruder_mix`` ((0.6, 0.2, 0.2): the chances of weak, neutral, aggressor),
    ``encounter_steps`` (60), ``expose_testosterone`` (False). An unknown kind,
    days < 1 or a probability outside [0, 1] is an error.

    ## Experiments and papers
    - winner-effect, ltp-block: Stagkourakis et al. 2020, PNAS 117:25789
      (winning potentiates an amygdalohippocampal input onto VMHvl; blocking it
      abolishes the effect).
    - loser-effect: chronic social defeat gives social avoidance.
    - specific-to-general: Yan et al. 2024, Cell 187:6785.
    - non-responders: Stagkourakis et al. 2020 (a low-testosterone quarter;
      testosterone restores the effect); Trainor, Bird & Marler 2004 (the
      post-win testosterone pulse).

    ## Version History
    - v0: initial release.
    """

    body_class = ResidentBody

    def step(self, action: Any) -> tuple[Any, float, bool, bool, dict[str, Any]]:
        obs, reward, terminated, truncated, info = super().step(action)
        return obs, reward, terminated, truncated, _events_on_top(info)


class ResidentIntruderVectorEnv(BodyVectorEnv):
    """N residents in one compiled step (see ``ResidentIntruderEnv``)."""

    body_class = ResidentBody

    def step(self, actions: Any) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        obs, reward, terminated, truncated, info = super().step(actions)
        return obs, reward, terminated, truncated, _events_on_top(info)


def _events_on_top(info: dict[str, Any]) -> dict[str, Any]:
    """The body's events (``day``, ``won``, ``distance`` ...) at the top of ``info``, where the docs and experiments read them."""
    info.update(info.pop("events"))
    return info


PROFILE = BodyProfile(
    env_id="brainlike/ResidentIntruder-v0",
    learner_defaults={},
    sb3_algorithms=("ppo",),
    benchmark_steps=30_000,
    demo_steps=10_000,
    showcase_agent="pattern-separation",
    experiments=("winner-effect", "ltp-block", "loser-effect", "specific-to-general", "non-responders"),
    demo_experiments=("winner-effect",),
    # Property-test setting: short encounters over two days, every kind of intruder.
    property_settings=({"days": 2, "encounter_steps": 4, "intruder_mix": (0.2, 0.2, 0.6)},),
)

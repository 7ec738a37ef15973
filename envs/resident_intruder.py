"""ResidentIntruder-v0: daily resident-intruder encounters in a male mouse's home cage (the winner effect)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from gymnasium import spaces

from brainlike.envs.contract import Layout, StateVar, check_arguments, integer, real
from brainlike.envs.core import Body, BodyEnv, BodyVectorEnv
from brainlike.envs.profile import BodyProfile
from brainlike.steering.aggression import NUM_IDENTITIES, ResidentEvents, ResidentSenses, ResidentSteering
from brainlike.steering.base import ReflexTakeover, Steering, SteeringOutput
from brainlike.steering.aggression import ResidentAction
from brainlike.steering.motor import names

#: Intruder kinds, in the order of ``intruder_mix``.
INTRUDER_KINDS = ("weak", "neutral", "aggressor")
WEAK, NEUTRAL, AGGRESSOR = range(3)
#: Per kind: how often it approaches, attacks when within reach, the chance its
#: bite lands, the chance the resident's bite lands on it, and the bites it takes
#: before it submits. Weak (submissive) intruders are usually beaten, aggressors
#: usually win, a neutral one never attacks.
APPROACH = np.array([0.3, 0.4, 0.8])
ATTACK = np.array([0.05, 0.0, 0.6])
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
#: Recent days whose gains the rendering plots.
DAYS_SHOWN = 30
CHANNELS = Layout.groups("distance", "bearing", ("intruder_state", len(INTRUDER_STATES)), ("odour", NUM_IDENTITIES))
INTEROCEPTION = Layout.groups("injury", "arousal", "testosterone")


def _unit(angle: np.ndarray) -> np.ndarray:
    return np.stack([np.cos(angle), np.sin(angle)], axis=1)


class ResidentBody(Body[ResidentSenses, ResidentEvents]):
    """The batched world of ResidentIntruder-v0 (see ``ResidentIntruderEnv`` for the documentation)."""

    default_steering = ResidentSteering
    # Resident's random walk, intruder's decision, its walk, the two bites, the threat's effect,
    # and the next day's intruder (kind, identity) and start positions (4).
    randoms_per_step = 12
    # Baseline testosterone, then the first day's intruder and positions.
    randoms_per_life = 7
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
        self.planned_kind = np.array([INTRUDER_KINDS.index(k) for k, _ in plan], dtype=np.int64)
        self.planned_identity = np.array([i for _, i in plan], dtype=np.int64)
        self.mix_cdf = np.cumsum(np.asarray(intruder_mix, dtype=np.float64))
        self.encounter_steps = int(encounter_steps)
        self.expose_testosterone = expose_testosterone
        layout = Layout(CHANNELS, INTEROCEPTION, names(ResidentAction))
        extero = spaces.Box(np.array([0.0, -1.0] + [0.0] * (len(INTRUDER_STATES) + NUM_IDENTITIES), dtype=np.float32),
                            np.ones(2 + len(INTRUDER_STATES) + NUM_IDENTITIES, dtype=np.float32), dtype=np.float32)
        intero = spaces.Box(0.0, 1.0, (len(INTEROCEPTION),), dtype=np.float32)
        self._build(layout, extero, intero, spaces.Discrete(len(ResidentAction)))

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

    def _reset_bodies(self, mask: np.ndarray, u: np.ndarray) -> None:
        steering = self.steering.unwrapped
        assert isinstance(steering, ResidentSteering)
        steering.draw_baseline(mask, u[:, 0])
        self.testosterone[mask] = steering.parameters["testosterone"][mask, 0]
        self._new_encounters(np.flatnonzero(mask), u[:, 1:])
        self._remember_steering(np.flatnonzero(mask))

    def _new_encounters(self, rows: np.ndarray, u: np.ndarray) -> None:
        """Put the day's intruder in the cage of each resident in ``rows``, from uniforms ``u`` (rows, 6)."""
        day = self.day[rows]
        if self.schedule:
            self.kind[rows] = self.planned_kind[day]
            self.identity[rows] = self.planned_identity[day]
        else:
            self.kind[rows] = np.minimum(np.searchsorted(self.mix_cdf, u[:, 0], side="right"), len(INTRUDER_KINDS) - 1)
            self.identity[rows] = np.minimum((u[:, 1] * NUM_IDENTITIES).astype(np.int64), NUM_IDENTITIES - 1)
        # The resident in the home half of the cage, the intruder dropped in the other half.
        self.resident[rows] = np.stack([0.1 + 0.3 * u[:, 2], 0.1 + 0.8 * u[:, 3]], axis=1)
        self.intruder[rows] = np.stack([0.6 + 0.3 * u[:, 4], 0.1 + 0.8 * u[:, 5]], axis=1)
        self.heading[rows] = 0.0
        self.t[rows] = 0
        self.intruder_state[rows] = EXPLORING
        self.damage[rows] = 0
        self.bites_taken[rows] = 0
        self.submitted[rows] = False

    # --- senses and observation -----------------------------------------------------
    def _offset(self) -> tuple[np.ndarray, np.ndarray]:
        d = self.intruder - self.resident
        return d, np.linalg.norm(d, axis=1)

    def senses(self) -> ResidentSenses:
        _, dist = self._offset()
        return ResidentSenses(male_cue=1.0 - 0.5 * dist / CAGE_DIAGONAL, identity=self.identity.copy(), within_reach=dist <= REACH)

    def _observe(self) -> tuple[np.ndarray, np.ndarray]:
        d, dist = self._offset()
        angle = np.arctan2(d[:, 1], d[:, 0]) - self.heading
        bearing = np.angle(np.exp(1j * angle)) / np.pi
        n = self.num_bodies
        state = np.zeros((n, len(INTRUDER_STATES)))
        state[np.arange(n), self.intruder_state] = 1.0
        odour = np.zeros((n, NUM_IDENTITIES))
        odour[np.arange(n), self.identity] = 1.0
        extero = np.concatenate([(dist / CAGE_DIAGONAL)[:, None], bearing[:, None], state, odour], axis=1).astype(np.float32)
        testosterone = np.clip(self.testosterone / 2.0, 0.0, 1.0) if self.expose_testosterone else np.zeros(n)
        intero = np.stack([self.bites_taken / DEFEAT_AFTER, np.clip(self.arousal, 0.0, 1.0), testosterone], axis=1).astype(np.float32)
        return extero, intero

    # --- physics --------------------------------------------------------------------------
    def _physics(self, takeover: ReflexTakeover, u: np.ndarray) -> tuple[ResidentEvents, np.ndarray, dict[str, Any]]:
        a = takeover.executed
        n = self.num_bodies
        d, dist = self._offset()
        towards = d / np.maximum(dist, 1e-9)[:, None]
        # The resident moves.
        step = np.zeros((n, 2))
        explore = a == ResidentAction.EXPLORE
        step[explore] = SPEED * _unit(2 * np.pi * u[explore, 0])
        closer = (a == ResidentAction.INVESTIGATE) | ((a == ResidentAction.ATTACK) & (dist > REACH))
        step[closer] = np.minimum(SPEED, np.maximum(dist[closer] - 0.05, 0.0))[:, None] * towards[closer]
        flee = a == ResidentAction.FLEE
        step[flee] = -SPEED * towards[flee]
        moved = np.linalg.norm(step, axis=1) > 0
        self.heading = np.where(moved, np.arctan2(step[:, 1], step[:, 0]), self.heading)
        self.resident = np.clip(self.resident + step, 0.0, 1.0)
        # The resident acts on the intruder (before it moves: a bite is on where it stood).
        within = dist <= REACH
        attacked = (a == ResidentAction.ATTACK) & within
        landed = attacked & (u[:, 3] < BITTEN_LANDS[self.kind])
        self.damage += landed
        won = ~self.submitted & (self.damage >= SUBMITS_AFTER[self.kind])
        self.submitted |= won
        threatened = (a == ResidentAction.THREAT) & within & (self.kind == WEAK) & (u[:, 5] < 0.5)
        # The intruder decides and moves.
        d, dist = self._offset()
        towards = d / np.maximum(dist, 1e-9)[:, None]
        approach = ~self.submitted & ~threatened & (u[:, 1] < APPROACH[self.kind])
        strikes = approach & (dist <= REACH) & (u[:, 1] < ATTACK[self.kind])
        state = np.where(self.submitted, SUBMITTING, np.where(threatened, FLEEING, np.where(
            strikes, ATTACKING, np.where(approach, INVESTIGATING, EXPLORING))))
        move = np.where(approach[:, None], -np.minimum(SPEED, np.maximum(dist - 0.05, 0.0))[:, None] * towards,
                        SPEED * _unit(2 * np.pi * u[:, 2]))
        move[threatened] = SPEED * towards[threatened]
        move[self.submitted] = 0.0
        self.intruder = np.clip(self.intruder + move, 0.0, 1.0)
        upright = a == ResidentAction.UPRIGHT
        bitten = strikes & (u[:, 4] < BITE_LANDS[self.kind] * np.where(upright, 0.5, 1.0))
        self.intruder_state = state
        self.bites_taken += bitten
        defeated = self.bites_taken >= DEFEAT_AFTER
        # The day's record.
        day = self.day.copy()
        rows = np.arange(n)
        first = attacked & (self.latency[rows, day] < 0)
        self.latency[rows[first], day[first]] = self.t[first]
        self.attack_steps[rows, day] += attacked
        self.t += 1
        ended = defeated | (self.t >= self.encounter_steps)
        encounter_won = ended & self.submitted & ~defeated
        self.outcome[rows[ended], day[ended]] = np.where(defeated[ended], OUTCOMES.index("defeated"),
                                                        np.where(encounter_won[ended], OUTCOMES.index("won"), OUTCOMES.index("draw")))
        _, dist = self._offset()
        events = ResidentEvents(
            attacked=attacked, bitten=bitten, won=won, defeated=defeated, encounter_ended=ended, encounter_won=encounter_won,
            identity=self.identity.copy(), proximity=np.clip(1.0 - dist / CAGE_DIAGONAL, 0.0, 1.0))
        info = {
            "day": day, "encounter_step": self.t - 1, "intruder_kind": self.kind.copy(), "identity": self.identity.copy(),
            "attacked": attacked, "bitten": bitten, "won": won, "defeated": defeated, "encounter_ended": ended,
            "encounter_won": encounter_won, "distance": dist / CAGE_DIAGONAL,
        }
        terminated = ended & (day + 1 >= self.days)
        later = np.flatnonzero(ended & ~terminated)
        if later.size:
            self.day[later] += 1
            self._new_encounters(later, u[later, 6:12])
        return events, terminated, info

    def _after_evaluation(self, out: SteeringOutput, events: ResidentEvents, info: dict[str, Any]) -> None:
        self.arousal = out.drives["readiness"].copy()
        self.testosterone = out.drives["testosterone"].copy()
        self.last_reflex = out.reflex.reason.copy()
        ended = np.flatnonzero(events.encounter_ended)
        if ended.size:
            self._remember_steering(ended)

    def _remember_steering(self, rows: np.ndarray) -> None:
        """Keep the gains of each resident in ``rows`` at the start of its current day, for the rendering."""
        p = self.steering.parameters
        slot = self.day[rows] % DAYS_SHOWN
        self.gains[rows, slot] = np.stack([p["identity_gain"][rows, self.identity[rows]], p["general_gain"][rows, 0],
                                           p["testosterone"][rows, 0]], axis=1)

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


class ResidentIntruderVectorEnv(BodyVectorEnv):
    """N residents in one numpy step (see ``ResidentIntruderEnv``)."""

    body_class = ResidentBody


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

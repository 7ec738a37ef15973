"""SaltRat-v0: a rat in a lever-cue chamber, with scheduled sodium depletions and free access to salt."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from gymnasium import spaces

from brainlike.envs.contract import Layout, StateVar, check_arguments, integer, real
from brainlike.envs.core import Body, BodyEnv, BodyVectorEnv
from brainlike.envs.rat_protocol import (CUE, CUE_NAMES, PERIOD_NAMES, PR_SCHEDULE, PRESETS,
                                         PROBE_INTERVAL, SALT, SUCROSE, Timetable, parse_protocol, phase_readouts)
from brainlike.steering.base import ReflexTakeover, Steering, SteeringOutput
from brainlike.steering.motor import names
from brainlike.steering.rat import RatAction
from brainlike.steering.rat import RatEvents, RatSteering

# The rat's motor vocabulary (``steering.motor``). Approach and nibble are appetitive, withdraw aversive.
ACTION_NAMES = names(RatAction)
STAY, APPROACH, NIBBLE, WITHDRAW = (int(a) for a in RatAction)
# Distance from the front wall (levers and spout): 0 at the wall, BACK at the back.
BACK = 2

#: The names of the observation channels (see ``SaltRatEnv``) and actions.
LAYOUT = Layout(
    exteroception=Layout.groups("sucrose_lever", "salt_lever", "spout", "distance", "cue_progress", "sweet_taste", "salt_taste"),
    interoception=Layout.groups("sodium"),
    actions=ACTION_NAMES,
)
_SUCROSE_LEVER, _SALT_LEVER, _SPOUT, _DISTANCE, _CUE_PROGRESS = (
    LAYOUT.index(n) for n in ("sucrose_lever", "salt_lever", "spout", "distance", "cue_progress"))
_TASTES = slice(LAYOUT.index("sweet_taste"), LAYOUT.index("salt_taste") + 1)

class RatBody(Body[None, RatEvents]):
    """The batched world of SaltRat-v0 (see ``SaltRatEnv`` for the documentation)."""

    default_steering = RatSteering
    randoms_per_step = 1  # the cue order of a block that starts this step
    canvas_size = (440, 320)

    def __init__(
        self,
        num_bodies: int = 1,
        steering: Steering | None = None,
        reflexes: bool = True,
        observation_mode: str = "dict",
        max_episode_steps: int | None = None,
        protocol: str | Sequence[Mapping[str, Any]] = "dead_sea_salt",
        iti_steps: int = 3,
        cue_steps: int = 6,
        outcome_steps: int = 2,
        infusion: float = 1.0,
        lick_amount: float = 0.25,
        sodium_per_unit: float = 0.05,
        depletion_level: float = 0.3,
        sodium_rate: float = 0.15,
        initial_sodium: float = 1.0,
        max_sodium: float = 1.5,
    ) -> None:
        phases = parse_protocol(protocol)
        check_arguments({
            "iti_steps": (iti_steps, integer(iti_steps) and iti_steps >= 1, "an integer >= 1"),
            "cue_steps": (cue_steps, integer(cue_steps) and cue_steps >= 1, "an integer >= 1"),
            "outcome_steps": (outcome_steps, integer(outcome_steps) and outcome_steps >= 0, "an integer >= 0"),
            "infusion": (infusion, real(infusion) and 0 < infusion <= 1, "in (0, 1] (units of one oral infusion)"),
            "lick_amount": (lick_amount, real(lick_amount) and 0 < lick_amount <= 1, "in (0, 1]"),
            "sodium_per_unit": (sodium_per_unit, real(sodium_per_unit) and sodium_per_unit >= 0, ">= 0"),
            "max_sodium": (max_sodium, real(max_sodium) and max_sodium >= 1.0, ">= 1 (the set point)"),
            "depletion_level": (depletion_level, real(depletion_level) and 0 <= depletion_level < 1, "in [0, 1), below the set point 1"),
            "sodium_rate": (sodium_rate, real(sodium_rate) and 0 < sodium_rate <= 1, "in (0, 1]"),
            "initial_sodium": (initial_sodium, real(initial_sodium) and 0 <= initial_sodium <= max_sodium, f"in [0, max_sodium={max_sodium}]"),
        })
        super().__init__(num_bodies, steering, reflexes, observation_mode, max_episode_steps)
        # The session's timetable: what each phase is, and each step's trial, period and cue.
        self.timetable = tt = Timetable(phases, iti_steps, cue_steps, outcome_steps, depletion_level, sodium_rate)
        self.phases, self.phase_names, self.num_phases = phases, tt.names, tt.num_phases
        self.iti, self.cue_steps, self.protocol_steps = tt.iti, tt.cue_steps, tt.total_steps
        self.infusion = float(infusion)
        self.lick_amount = float(lick_amount)
        self.sodium_per_unit = float(sodium_per_unit)
        self.depletion_level = float(depletion_level)
        self.sodium_rate = float(sodium_rate)
        self.initial_sodium = float(initial_sodium)
        self.max_sodium = float(max_sodium)
        self._build(
            LAYOUT,
            spaces.Box(0.0, 1.0, (7,), np.float32),
            spaces.Box(np.array([0.0], np.float32), np.array([max_sodium], np.float32), dtype=np.float32),
            spaces.Discrete(len(ACTION_NAMES)),
        )
        self._rows = np.arange(self.num_bodies)
        self._situation = self._compute_situation()

    # --- state, declared once: the core allocates it and returns it to birth values ---
    def state_table(self) -> dict[str, Any]:
        p = self.num_phases
        return {
            "phase": StateVar((), np.int64),
            "t": StateVar((), np.int64),  # step within the phase
            "finished": StateVar((), bool),
            "pos": StateVar((), np.int64, BACK),
            "sodium": StateVar(birth=self.initial_sodium),
            "block_first": StateVar((), np.int64, SUCROSE),  # the cue of a block's first trial
            "pressed": StateVar((), bool),
            "appetitive": StateVar((), np.int64),
            "aversive": StateVar((), np.int64),
            "taste": StateVar((2,)),  # sweet, salt tasted on the last step
            "last_action": StateVar((), np.int64, STAY),
            # Per-life records, per phase: cue scores in presentation order, intake, latency.
            "scores": StateVar((p, 2, self.timetable.per_cue), np.float64, np.nan),
            "presented": StateVar((p, 2), np.int64),
            "delivered": StateVar((p, 2), np.int64),
            "intake": StateVar((p,)),
            "latency": StateVar((p,), np.float64, np.nan),
            "sodium_end": StateVar((p,), np.float64, np.nan),  # sodium after the phase's last step
            # Progressive ratio: presses towards the current ratio, and rewards earned per phase.
            "pr_presses": StateVar((), np.int64),
            "earned": StateVar((p,), np.int64),
            # Taste reactivity: the summed liking of the probes, and the units probed, per phase.
            "reactivity": StateVar((p,)),
            "probed": StateVar((p,)),
        }

    def _reset_bodies(self, mask: np.ndarray, u: np.ndarray) -> None:
        # Nothing random at birth: the first cue is drawn at its onset, from the step's draw.
        self._situation = self._compute_situation()

    # --- the protocol's situation at the current step ---------------------------------
    def situation(self) -> dict[str, np.ndarray]:
        """Phase, trial, period and cue of the step about to be taken, per body."""
        return self._situation

    def _compute_situation(self) -> dict[str, np.ndarray]:
        # Computed once per step (and at reset) and shared by senses, physics and observation.
        return self.timetable.situation(self.phase, self.t, self.finished, self.block_first)

    def _interoception(self) -> np.ndarray:
        return self.sodium.astype(np.float32)[:, None]

    def _observe(self) -> tuple[np.ndarray, np.ndarray]:
        s = self.situation()
        lever = s["period"] == CUE
        extero = np.empty((self.num_bodies, 7), dtype=np.float32)
        extero[:, _SUCROSE_LEVER] = lever & (s["cue"] == SUCROSE)
        extero[:, _SALT_LEVER] = (lever & (s["cue"] == SALT)) | s["salt_lever_in"]
        extero[:, _SPOUT] = s["spout"]
        extero[:, _DISTANCE] = self.pos * (1.0 / BACK)
        extero[:, _CUE_PROGRESS] = np.where(lever, (s["within"] - self.iti + 1) / self.cue_steps, 0.0)
        extero[:, _TASTES] = self.taste
        return extero, self._interoception()

    # --- physics ------------------------------------------------------------------------
    def _physics(self, takeover: ReflexTakeover, u: np.ndarray) -> tuple[RatEvents, np.ndarray, dict[str, Any]]:
        u = u[:, 0]
        executed = takeover.executed
        s = self.situation()
        ph, period, cue, within = s["phase"], s["period"], s["cue"], s["within"]
        live = ~self.finished
        lever = period == CUE

        # Movement along the chamber; nibbling reaches the lever or spout only at the wall.
        self.pos = np.minimum(np.maximum(self.pos - (executed == APPROACH) + (executed == WITHDRAW), 0), BACK)
        at_wall = (executed == NIBBLE) & (self.pos == 0)
        self.pressed |= at_wall & lever
        lick = at_wall & s["spout"]
        self.appetitive += lever & ((executed == APPROACH) | (executed == NIBBLE))
        self.aversive += lever & (executed == WITHDRAW)

        # The lever retracts at the end of the cue and the solution, if any, is infused.
        cue_end = lever & (within == self.iti + self.cue_steps - 1)
        mode = self.timetable.delivery[ph]
        deliver = cue_end & ((mode == 2) | ((mode == 1) & self.pressed))
        # Progressive ratio: a press at the wall counts; completing the ratio earns a small salt reward.
        press = at_wall & s["salt_lever_in"]
        self.pr_presses += press
        earned = self.earned[self._rows, ph]
        completed = press & (self.pr_presses >= PR_SCHEDULE[np.minimum(earned, len(PR_SCHEDULE) - 1)])
        self.earned[self._rows, ph] = earned + completed
        self.pr_presses = np.where(completed, 0, self.pr_presses)
        # Taste reactivity: an intraoral salt probe every PROBE_INTERVAL steps, whatever the rat does.
        probe = self.timetable.probe[ph] & live & (self.t % PROBE_INTERVAL == 0)
        sweet = np.where(deliver & (cue == SUCROSE), self.infusion, 0.0)
        salt = (np.where(deliver & (cue == SALT), self.infusion, 0.0)
                + np.where(lick | completed | probe, self.lick_amount, 0.0))

        # Physiology: the phase's regime moves sodium; then the tasted salt is absorbed.
        pull = np.where(live, self.timetable.pull[ph], 0.0)
        self.sodium = self.sodium + pull * (self.timetable.target[ph] - self.sodium)
        intero = self._interoception()
        sodium_after = np.minimum(self.sodium + self.sodium_per_unit * salt, self.max_sodium)
        events = RatEvents(sweet=sweet, salt=salt, interoception=intero, sodium_after=sodium_after)
        self.sodium = sodium_after
        self.sodium_end[self._rows, ph] = np.where(live, sodium_after, self.sodium_end[self._rows, ph])
        self.taste[:, 0] = sweet
        self.taste[:, 1] = salt
        self.last_action[:] = executed

        # Records: the approach score of a cue, salt intake and latency to drink.
        score = (self.appetitive - self.aversive) / self.cue_steps
        rows = np.flatnonzero(cue_end)
        if rows.size:
            c, p = cue[rows], ph[rows]
            k = self.presented[rows, p, c]
            self.scores[rows, p, c, k] = score[rows]
            self.presented[rows, p, c] += 1
            self.delivered[rows, p, c] += deliver[rows]
            self.pressed[rows] = False
            self.appetitive[rows] = 0
            self.aversive[rows] = 0
        rows = np.flatnonzero(lick)
        if rows.size:
            p = ph[rows]
            self.intake[rows, p] += salt[rows]
            first = np.isnan(self.latency[rows, p])
            self.latency[rows[first], p[first]] = self.t[rows[first]]
        trial_score = np.where(cue_end, score, 0.0)

        # Advance the protocol; its end ends the life (the session is over).
        self.t += live
        phase_over = live & (self.t >= self.timetable.length[ph])
        self.phase += phase_over
        self.t = np.where(phase_over, 0, self.t)
        self.pr_presses = np.where(phase_over, 0, self.pr_presses)
        self.finished |= phase_over & (self.phase >= self.num_phases)
        # A session that is over stays over: every later step is terminated too.
        terminated = self.finished.copy()
        nxt = self._compute_situation()
        block_start = (nxt["period"] == CUE) & (nxt["within"] == self.iti) & (nxt["trial"] % 2 == 0)
        if block_start.any():
            self.block_first = np.where(block_start, (u < 0.5).astype(np.int64), self.block_first)
            nxt = self._compute_situation()
        self._situation = nxt

        info = {
            "phase": ph,
            "trial": s["trial"],
            "period": period,
            "cue": cue,
            "delivered": deliver | lick | completed | probe,
            "taste_probe": probe,
            "innate_signals": {"sweet": sweet, "salt": salt},
            "sodium": self.sodium.copy(),
            "trial_ended": cue_end,
            "trial_score": trial_score,
            "salt_intake": self.intake[self._rows, ph].copy(),
        }
        return events, terminated, info

    def _after_evaluation(self, out: SteeringOutput, events: RatEvents, info: dict[str, Any]) -> None:
        # The taste-reactivity readout: the liking (the taste reward) of each probe.
        rows = np.flatnonzero(info["taste_probe"])
        if rows.size:
            p = info["phase"][rows]
            self.reactivity[rows, p] += out.components["salt"][rows]
            self.probed[rows, p] += events.salt[rows]

    def summary(self, i: int) -> dict[str, Any]:
        """Per-phase records of rat i: cue scores (in presentation order, trial 1 first),
        deliveries, salt intake and latency to the first lick (None if it never drank)."""
        phases = {
            spec["name"]: phase_readouts(
                spec, [self.scores[i, p, c, : self.presented[i, p, c]] for c in range(len(CUE_NAMES))],
                self.delivered[i, p], self.intake[i, p], self.latency[i, p], self.earned[i, p],
                self.reactivity[i, p], self.probed[i, p], self.sodium_end[i, p])
            for p, spec in enumerate(self.phases)
        }
        return {
            "phase": self.phase_names[min(int(self.phase[i]), self.num_phases - 1)],
            "finished": bool(self.finished[i]),
            "sodium": float(self.sodium[i]),
            "phases": phases,
            "salt_sensitization": float(self.steering.parameters["salt_sensitization"][i, 0]),
        }

    # --- rendering (pygame, only when asked) ------------------------------------------
    def render_body(self, i: int, canvas: Any) -> None:
        pg, surf = canvas.pg, canvas.surface
        w, h = self.canvas_size
        s = self.situation()
        surf.fill((236, 232, 222))
        chamber = pg.Rect(20, 20, 300, 220)
        pg.draw.rect(surf, (200, 196, 186), chamber)
        pg.draw.rect(surf, (90, 90, 90), chamber, 3)
        # The front wall, with the sucrose lever (left), the spout (middle), the salt lever (right).
        wall_y = chamber.top + 6
        lever = int(s["period"][i]) == CUE
        cue = int(s["cue"][i])
        for c, x, color in ((SUCROSE, chamber.left + 60, (220, 170, 40)), (SALT, chamber.right - 60, (60, 110, 200))):
            out = lever and cue == c
            pg.draw.rect(surf, color if out else (150, 150, 150), pg.Rect(x - 18, wall_y, 36, 36 if out else 8))
            canvas.text(CUE_NAMES[c], (x - 22, wall_y + 40), px=16)
        if s["spout"][i]:
            pg.draw.rect(surf, (60, 110, 200), pg.Rect(chamber.centerx - 5, wall_y, 10, 30))
            canvas.text("salt spout", (chamber.centerx - 28, wall_y + 34), px=16)
        # The rat: its row is its distance from the front wall; the target lever sets its column.
        rx = chamber.centerx if cue < 0 else (chamber.left + 60 if cue == SUCROSE else chamber.right - 60)
        ry = chamber.top + 90 + int(self.pos[i]) * 50
        color = {STAY: (110, 100, 95), APPROACH: (70, 140, 70), NIBBLE: (40, 170, 40), WITHDRAW: (190, 70, 60)}[int(self.last_action[i])]
        pg.draw.ellipse(surf, color, pg.Rect(rx - 22, ry - 12, 44, 24))
        pg.draw.circle(surf, color, (rx, ry - 14), 8)
        canvas.text(ACTION_NAMES[int(self.last_action[i])], (rx + 26, ry - 8), px=16)
        # Taste events in the mouth.
        sweet, salt = self.taste[i]
        if sweet > 0:
            canvas.text(f"SWEET {sweet:.2f}", (chamber.left + 10, chamber.bottom - 24), (200, 140, 0), px=22)
        if salt > 0:
            canvas.text(f"SALT {salt:.2f}", (chamber.right - 110, chamber.bottom - 24), (30, 70, 200), px=22)
        # The sodium gauge, with the set point and the depleted level marked.
        gx, gy, gh = chamber.right + 40, chamber.top, chamber.height
        pg.draw.rect(surf, (60, 60, 60), pg.Rect(gx, gy, 30, gh), 1)
        fill = int((gh - 2) * min(self.sodium[i] / self.max_sodium, 1.0))
        pg.draw.rect(surf, (230, 230, 240) if self.sodium[i] >= 0.9 else (220, 120, 60), pg.Rect(gx + 1, gy + gh - 1 - fill, 28, fill))
        for level, col in ((1.0, (0, 0, 0)), (self.depletion_level, (200, 40, 40))):
            y = gy + gh - int(gh * level / self.max_sodium)
            pg.draw.line(surf, col, (gx - 4, y), (gx + 34, y), 2)
        canvas.text("Na+", (gx, gy + gh + 4), px=18)
        # The protocol: phase, trial, period.
        ph = int(s["phase"][i])
        name = "finished" if self.finished[i] else self.phase_names[ph]
        period = int(s["period"][i])
        trial = f"  trial {int(s['trial'][i]) + 1}/{int(self.timetable.trials[ph])}  {PERIOD_NAMES[period]}" if period >= 0 else ""
        canvas.text(f"phase {ph + 1}/{self.num_phases}: {name}{trial}", (20, h - 66), px=20)
        canvas.text(f"sodium {self.sodium[i]:.2f}   intake {self.intake[i, ph]:.2f}", (20, h - 42), px=18)
        canvas.text(f"sensitization {self.steering.parameters['salt_sensitization'][i, 0]:.2f}", (240, h - 42), px=18)


class SaltRatEnv(BodyEnv):
    """A rat learns what two lever cues predict, then is sodium-depleted for the first time.

    ## Description
    An operant/Pavlovian chamber. Lever trials are built from named periods
    (as in NeuroGym): an inter-trial interval (``iti_steps``), a cue
    (``cue_steps``) during which one of two retractable levers is inserted,
    and an outcome (``outcome_steps``). One lever is the CS for sucrose, the
    other for an intense (Dead Sea) salt solution; each block of two trials
    presents both, in random order. When the lever retracts, the solution
    arrives in the mouth (``infusion`` units): always in ``"pavlovian"``
    phases, only if the rat nibbled/pressed the lever during the cue in
    ``"train"`` phases, never in ``"extinction"`` (cue-only) phases. The three
    readouts of salt appetite (``envs.rat_protocol``): ``"free_access"`` (a salt
    spout, each lick ``lick_amount`` units of salt; under the ``normal`` regime,
    need-free intake), ``"progressive_ratio"`` (the salt lever stays in; the
    n-th salt reward costs ``PR_SCHEDULE[n]`` presses; the breakpoint measures
    "wanting") and ``"taste_reactivity"`` (an intraoral salt probe every
    ``PROBE_INTERVAL`` steps whatever the rat does; the body records the liking
    the steering gives it, per unit: "liking"). ``"deplete"`` phases are the
    furosemide + DOCA treatment (sodium falls towards ``depletion_level``),
    ``"replete"`` phases restore sodium to its set point 1.0; ``"home"`` is
    time in the home cage. Sodium follows the phase's regime (``normal``: kidneys
    and diet pull it to 1.0 at ``sodium_rate`` per step; ``deplete``: pulled to
    ``depletion_level``; ``hold``: unchanged except by what the rat drinks, the
    default in test and free-access phases) and each unit of salt tasted adds
    ``sodium_per_unit``. The protocol is an argument: a preset name or a list of
    phases. The world only reports tastes; what they are worth is decided by the
    Steering Subsystem (``steering.RatSteering``).

    Presets (``envs.rat_protocol`` describes each): ``"dead_sea_salt"`` (default;
    Robinson & Berridge 2013), ``"instrumental"`` (for learners and the benchmark),
    ``"sensitization"`` (need-free access, then three depletions with taste
    reactivity and free access to salt) and ``"salt_work"`` (a progressive ratio
    for salt at three depletions).

    ## Observation Space
    ``Dict`` with
    - ``exteroception``: ``Box(0, 1, (7,), float32)``: ``sucrose_lever``
      (inserted), ``salt_lever`` (inserted: a salt cue, or the progressive
      ratio's lever), ``spout`` (salt spout
      available), ``distance`` from the front wall (0 at the wall, 1 at the
      back), ``cue_progress`` (k / cue_steps on the k-th cue step, 0 outside
      the cue), ``sweet_taste`` and ``salt_taste`` in the mouth (units
      delivered on the last step).
    - ``interoception``: ``Box(0, max_sodium, (1,), float32)``: plasma
      ``sodium`` (set point 1.0).
    Read channels by name: ``env.unwrapped.layout.read(obs, "spout")``.
    ``observation_mode="flat"`` (or the id ``brainlike/SaltRatFlat-v0``) gives
    one ``Box`` of 8 values: exteroception then interoception.

    ## Action Space
    ``Discrete(4)`` (``steering.motor.RatAction``): 0 stay, 1 approach (one step towards the front wall),
    2 nibble (press/nibble the inserted lever, or lick the spout; only at the
    wall), 3 withdraw (one step back). The chamber is 3 positions deep; the rat
    starts at the back. A cue's approach score is (appetitive - aversive) /
    ``cue_steps`` over the cue period, in [-1, 1]: approach and nibble are
    appetitive, withdraw aversive, stay neutral.

    ## Steering
    Rewards (``info["steering"]["components"]``), the "liking" of what
    arrives: ``sweet`` (``sweet_value`` per unit of sucrose, in every sodium
    state) and ``salt``, the salt's innate repulsiveness (-``salt_aversion``
    per unit) re-evaluated by Zhang et al.'s kappa: log kappa = the innate
    salt appetite x the sodium drive the salt would remove (Keramati & Gutkin
    2014). Additive by default, so the same salt is repulsive when replete and
    attractive when depleted, from the first depletion on. Drive: ``sodium``.
    ``steering.evaluate_prediction({"sweet": ..., "salt": ...}, interoception)``
    values *predicted* tastes on the "wanting" channel: their liking in that
    state plus the incentive that past depletions added to salt (the
    sensitization), so after a depletion salt is wanted more than it is liked;
    ``info["innate_signals"]`` holds the tastes that actually arrived.
    No reflexes: ``info["executed_action"]`` is the proposed action and
    ``info["reflex_overrode"]`` is always False.
    Innate adjustable parameters: 1 (``salt_sensitization``, raised after each
    dangerous depletion by a fixed rule with a plateau; ``RatSteering(strain=
    "incremental" | "full")``).

    ## Termination and Truncation
    Terminated when the protocol's last phase ends (the session is over).
    Truncated after 600 steps (``max_episode_steps``), which covers every preset.

    ## Arguments
    ``steering`` (a ``Steering``; default ``RatSteering()``; e.g.
    ``RatSteering(kappa_form="multiplicative")``, ``RatSteering(strain="full")``),
    ``reflexes`` (no effect: the rat has none), ``observation_mode``
    ("dict" | "flat"), ``protocol`` ("dead_sea_salt" | "instrumental" | "sensitization" |
    "salt_work" | a list of phase dicts ``{"name": str, "kind": one of pavlovian, train,
    extinction, free_access, progressive_ratio, taste_reactivity, deplete, replete,
    home, "trials": n (lever kinds) or "steps":
    n (the others), "sodium": normal | deplete | hold (optional)}``),
    ``iti_steps`` (3), ``cue_steps`` (6), ``outcome_steps`` (2), ``infusion``
    (1.0), ``lick_amount`` (0.25), ``sodium_per_unit`` (0.05), ``depletion_level``
    (0.3), ``sodium_rate`` (0.15), ``initial_sodium`` (1.0), ``max_sodium`` (1.5).

    ``info``: ``phase`` (index into ``phase_names``), ``trial`` (within the
    phase, -1 outside lever phases), ``period`` (index into ``PERIOD_NAMES``,
    -1 outside trials), ``cue`` (0 sucrose, 1 salt, -1 none), ``delivered``
    (a solution reached the mouth), ``innate_signals`` ({"sweet", "salt"}),
    ``sodium``, ``trial_ended`` (this step ended a cue) and ``trial_score``
    (that cue's approach score; 0 on other steps), ``salt_intake`` (this phase so far),
    ``taste_probe`` (a taste-reactivity probe arrived). ``summary()`` gives, per
    phase, each cue's scores in presentation order (``first_trial`` is "trial
    1"), deliveries, salt intake and latency to the first lick, rewards earned
    and the breakpoint of a progressive ratio, the taste reactivity (liking per
    unit probed), and the sodium after the phase's last step.

    ## Experiments and papers
    - dead_sea_salt: Robinson & Berridge 2013, Curr Biol 23:282: on the first
      cue-only trial after the first depletion the salt cue is approached; a
      learner that evaluates its predictions through ``evaluate_prediction``
      can do it, a cached-value learner cannot.
    - kappa: Zhang, Berridge, Tindell, Smith & Aldridge 2009, PLoS Comput Biol
      5:e1000437 (additive vs multiplicative kappa).
    - sensitization: Sakai et al. 1987, Behav Neurosci 101:724; Sakai et al.
      1989 (need-free intake); Leshem et al. 2004; Clark & Bernstein 2006
      (work for salt rises, taste reactivity does not): intake, latency,
      breakpoint and taste reactivity across three depletions.
    - homeostatic reward: Keramati & Gutkin 2014, eLife 3:e04811.

    ## Version History
    - v0: initial release; liking and wanting channels, the progressive
      ratio, taste-reactivity and need-free phases added within v0.
    """

    body_class = RatBody
    metadata = {"render_modes": ["human", "rgb_array"], "render_fps": 6}

    @property
    def phase_names(self) -> tuple[str, ...]:
        return self.body.phase_names

    def get_keys_to_action(self) -> dict[tuple[int, ...], int]:
        """Up approaches the front wall, space nibbles, down withdraws; no key is ``stay`` (for ``gymnasium.utils.play``)."""
        import pygame

        return {(pygame.K_UP,): APPROACH, (pygame.K_w,): APPROACH, (pygame.K_SPACE,): NIBBLE,
                (pygame.K_DOWN,): WITHDRAW, (pygame.K_s,): WITHDRAW}


class SaltRatVectorEnv(BodyVectorEnv):
    """N rats in one numpy step (see ``SaltRatEnv``)."""

    body_class = RatBody
    metadata = {**BodyVectorEnv.metadata, "render_fps": 6}

    @property
    def phase_names(self) -> tuple[str, ...]:
        return self.body.phase_names

    def summary(self, i: int) -> dict[str, Any]:
        """Statistics of rat i's current life (read before the step that autoresets it)."""
        return self.body.summary(i)


__all__ = ["ACTION_NAMES", "CUE_NAMES", "PERIOD_NAMES", "PRESETS", "RatBody", "SaltRatEnv", "SaltRatVectorEnv", "parse_protocol"]


# --- the agent side of this body (read through brainlike.envs.profile.profile_for) ---
from brainlike.envs.profile import BodyProfile  # noqa: E402  (appended block: the profile sits beside the body)

PROFILE = BodyProfile(
    env_id="brainlike/SaltRat-v0",
    learner_defaults={
        "pattern-separation": {"population_code": {"exteroception": 4, "interoception": 6}, "num_units": 1000},
        # stay 0, approach +1, nibble +1, withdraw -1: the innate Pavlovian response.
        "thought-assessor": {"signals": ["sweet", "salt"], "population_code": {"exteroception": 4},
                             "pavlovian_signs": [0, 1, 1, -1]},
        # The model-free contrast of the Dead Sea salt experiment: the thought assessor's
        # architecture and rates, predicting the cached reward instead.
        "cached-value-td": {"population_code": {"exteroception": 4}, "pavlovian_signs": [0, 1, 1, -1]},
    },
    sb3_algorithms=("ppo", "a2c", "dqn"),
    benchmark_steps=40_000,
    # The default Dead Sea salt protocol delivers whatever the rat does, so no policy can
    # earn more than another there: the benchmark learns the instrumental protocol.
    benchmark_env_kwargs={"protocol": "instrumental"},
    demo_steps=20_000,
    demo_baseline="ppo",
    showcase_agent="thought-assessor",
    experiments=("dead-sea-salt", "sensitization"),
    demo_experiments=("dead-sea-salt",),  # the headline result; the rest run with `brainlike experiment`
    # Property-test settings: short protocols, so that lives end within a few dozen steps.
    property_settings=(
        {"protocol": [{"kind": "train", "trials": 2}]},
        {"protocol": [{"kind": "home", "steps": 5}, {"kind": "free_access", "steps": 9}], "initial_sodium": 0.3},
    ),
)

"""SaltRat-v0: a rat in a lever-cue chamber, with scheduled sodium depletions and free access to salt."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from gymnasium import spaces

from brainlike.envs.contract import Layout, StateVar, check_arguments, integer, real
from brainlike.envs.core import BodyEnv, BodyVectorEnv
from brainlike.envs.kernel import CompiledBody, constants, end_step
from brainlike.envs.rat_protocol import (CUE, CUE_NAMES, PERIOD_NAMES, PR_SCHEDULE, PRESETS, PROBE_INTERVAL, SALT,
                                         SUCROSE, Timetable, parse_protocol, phase_readouts, situation_of)
from brainlike.envs.rng import uniform_row
from brainlike.steering.base import NO_REFLEX, Steering
from brainlike.steering.compiled import jit
from brainlike.steering.motor import names
from brainlike.steering.rat import RatAction, RatEvents, RatSteering, rat_evaluate

# The rat's motor vocabulary (``steering.motor``). Approach and nibble are appetitive, withdraw aversive.
ACTION_NAMES = names(RatAction)
STAY, APPROACH, NIBBLE, WITHDRAW = (int(a) for a in RatAction)
# Distance from the front wall (levers and spout): 0 at the wall, BACK at the back.
BACK = 2
RANDOMS_PER_STEP = 1  # the cue order of a block that starts this step

#: The names of the observation channels (see ``SaltRatEnv``) and actions.
LAYOUT = Layout(
    exteroception=Layout.groups("sucrose_lever", "salt_lever", "spout", "distance", "cue_progress", "sweet_taste", "salt_taste"),
    interoception=Layout.groups("sodium"),
    actions=ACTION_NAMES,
)
_SUCROSE_LEVER, _SALT_LEVER, _SPOUT, _DISTANCE, _CUE_PROGRESS, _SWEET_TASTE, _SALT_TASTE = (
    LAYOUT.index(n) for n in ("sucrose_lever", "salt_lever", "spout", "distance", "cue_progress", "sweet_taste", "salt_taste"))
#: The taste columns of the state's ``taste``.
SWEET, SALTY = 0, 1


# --- the step, compiled: one loop over the bodies (see envs.kernel) -----------------------
@jit
def rat_step(state, scores, presented, delivered, intake, latency, sodium_end, earned, reactivity, probed,  # type: ignore[no-untyped-def]
             streams, elapsed, constants, table, steering_constants, params, armed, depletions, actions, out):
    """One step of every rat: ``state`` (records) and its per-phase records (``scores`` ...
    ``probed``, each (bodies, phases, ...)), the counter RNG's ``streams``, the body's
    ``constants`` and protocol ``table``, the steering's constants and state (``params``,
    ``armed``, ``depletions``); the results go to ``out`` (one ``step_record`` per body)."""
    c, sc = constants[0], steering_constants[0]
    iti, cue_steps, trial_len = c["iti"], c["cue_steps"], c["trial_len"]
    u = np.empty(RANDOMS_PER_STEP)
    last_ratio = PR_SCHEDULE.shape[0] - 1
    for b in range(state.shape[0]):
        uniform_row(streams, b, u)  # first and unconditionally: the stream never depends on events
        s, o = state[b], out[b]
        ph, trial, within, period, cue, spout, salt_lever_in = situation_of(
            table, iti, cue_steps, trial_len, s["phase"], s["t"], s["finished"], s["block_first"])
        phase = table[ph]
        live = not s["finished"]
        lever = period == CUE
        executed = actions[b]  # the rat has no reflexes

        # Movement along the chamber; nibbling reaches the lever or spout only at the wall.
        s["pos"] = min(max(s["pos"] - (executed == APPROACH) + (executed == WITHDRAW), 0), BACK)
        at_wall = executed == NIBBLE and s["pos"] == 0
        s["pressed"] |= at_wall and lever
        lick = at_wall and spout
        s["appetitive"] += lever and (executed == APPROACH or executed == NIBBLE)
        s["aversive"] += lever and executed == WITHDRAW

        # The lever retracts at the end of the cue and the solution, if any, is infused.
        cue_end = lever and within == iti + cue_steps - 1
        deliver = cue_end and (phase["delivery"] == 2 or (phase["delivery"] == 1 and s["pressed"]))
        # Progressive ratio: a press at the wall counts; completing the ratio earns a small salt reward.
        press = at_wall and salt_lever_in
        s["pr_presses"] += press
        completed = press and s["pr_presses"] >= PR_SCHEDULE[min(earned[b, ph], last_ratio)]
        earned[b, ph] += completed
        if completed:
            s["pr_presses"] = 0
        # Taste reactivity: an intraoral salt probe every PROBE_INTERVAL steps, whatever the rat does.
        probe = phase["probe"] and live and s["t"] % PROBE_INTERVAL == 0
        sweet = c["infusion"] if deliver and cue == SUCROSE else 0.0
        salt = (c["infusion"] if deliver and cue == SALT else 0.0) + (c["lick_amount"] if lick or completed or probe else 0.0)

        # Physiology: the phase's regime moves sodium; then the tasted salt is absorbed.
        pull = phase["pull"] if live else 0.0
        s["sodium"] = s["sodium"] + pull * (phase["target"] - s["sodium"])
        sensed = np.float64(np.float32(s["sodium"]))  # as the interoception reports it, before ingestion
        sodium_after = min(s["sodium"] + c["sodium_per_unit"] * salt, c["max_sodium"])
        s["sodium"] = sodium_after
        if live:
            sodium_end[b, ph] = sodium_after
        s["taste"][SWEET], s["taste"][SALTY] = sweet, salt
        s["last_action"] = executed
        o["sweet"], o["salt"], o["drive_sodium"] = rat_evaluate(sc, params, armed, depletions, b, sweet, salt, sensed, sodium_after)
        o["reward"] = o["sweet"] + o["salt"]
        if probe:  # the taste-reactivity readout: the liking of the probe
            reactivity[b, ph] += o["salt"]
            probed[b, ph] += salt

        # Records: the approach score of a cue, salt intake and latency to drink.
        score = (s["appetitive"] - s["aversive"]) / cue_steps
        if cue_end:
            k = presented[b, ph, cue]
            scores[b, ph, cue, k] = score
            presented[b, ph, cue] += 1
            delivered[b, ph, cue] += deliver
            s["pressed"] = False
            s["appetitive"] = 0
            s["aversive"] = 0
        if lick:
            intake[b, ph] += salt
            if np.isnan(latency[b, ph]):
                latency[b, ph] = s["t"]

        # Advance the protocol; its end ends the life (the session is over).
        s["t"] += live
        if live and s["t"] >= phase["length"]:
            s["phase"] += 1
            s["t"] = 0
            s["pr_presses"] = 0
            s["finished"] = s["phase"] >= table.shape[0]
        # A block's first cue is drawn at its onset, from this step's uniform.
        _, next_trial, next_within, next_period, _, _, _ = situation_of(
            table, iti, cue_steps, trial_len, s["phase"], s["t"], s["finished"], s["block_first"])
        if next_period == CUE and next_within == iti and next_trial % 2 == 0:
            s["block_first"] = SALT if u[0] < 0.5 else SUCROSE

        # A session that is over stays over: every later step is terminated too.
        o["executed"], o["overrode"], o["reason"], o["terminated"] = executed, False, NO_REFLEX, s["finished"]
        o["truncated"] = end_step(elapsed, b, c["max_steps"])
        o["event_phase"], o["event_trial"], o["event_period"], o["event_cue"] = ph, trial, period, cue
        o["event_delivered"], o["event_taste_probe"] = deliver or lick or completed or probe, probe
        o["event_sweet"], o["event_salt"], o["event_sodium"] = sweet, salt, sodium_after
        o["event_trial_ended"], o["event_trial_score"] = cue_end, score if cue_end else 0.0
        o["event_salt_intake"] = intake[b, ph]


@jit
def rat_observe(state, constants, table, extero, intero):  # type: ignore[no-untyped-def]
    """Every rat's observation into ``extero`` and ``intero`` (float32)."""
    c = constants[0]
    iti, cue_steps = c["iti"], c["cue_steps"]
    for b in range(state.shape[0]):
        s = state[b]
        _, _, within, period, cue, spout, salt_lever_in = situation_of(
            table, iti, cue_steps, c["trial_len"], s["phase"], s["t"], s["finished"], s["block_first"])
        lever = period == CUE
        extero[b, _SUCROSE_LEVER] = lever and cue == SUCROSE
        extero[b, _SALT_LEVER] = (lever and cue == SALT) or salt_lever_in
        extero[b, _SPOUT] = spout
        extero[b, _DISTANCE] = s["pos"] * (1.0 / BACK)
        extero[b, _CUE_PROGRESS] = (within - iti + 1) / cue_steps if lever else 0.0
        extero[b, _SWEET_TASTE] = s["taste"][SWEET]
        extero[b, _SALT_TASTE] = s["taste"][SALTY]
        intero[b, 0] = s["sodium"]


class RatBody(CompiledBody[None, RatEvents]):
    """The batched world of SaltRat-v0 (see ``SaltRatEnv`` for the documentation).

    Its step is the compiled ``rat_step``; its observation ``rat_observe``.
    """

    default_steering = RatSteering
    randoms_per_step = RANDOMS_PER_STEP
    components = ("sweet", "salt")
    drives = ("sodium",)
    # The rat's own ``info`` entries (see ``SaltRatEnv``), then the tastes that arrived (``innate_signals``).
    events = (("phase", np.int64), ("trial", np.int64), ("period", np.int64), ("cue", np.int64), ("delivered", np.bool_),
              ("taste_probe", np.bool_), ("sodium", np.float64), ("trial_ended", np.bool_), ("trial_score", np.float64),
              ("salt_intake", np.float64), ("sweet", np.float64), ("salt", np.float64))
    # Shaped by the protocol (its phases, its trials per phase): see ``CompiledBody.unpacked``.
    unpacked = ("scores", "presented", "delivered", "intake", "latency", "sodium_end", "earned", "reactivity", "probed")
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
        self.species: RatSteering = self.steering.unwrapped  # type: ignore[assignment]
        # The constants as the kernels read them, one record each; the steering's are read once, here.
        self._constants = constants((
            tt.iti, tt.cue_steps, tt.trial_len, self.infusion, self.lick_amount, self.sodium_per_unit, self.max_sodium, self.max_steps,
        ), [
            ("iti", np.int64), ("cue_steps", np.int64), ("trial_len", np.int64), ("infusion", np.float64),
            ("lick_amount", np.float64), ("sodium_per_unit", np.float64), ("max_sodium", np.float64), ("max_steps", np.int64),
        ])
        self._steering_constants = self.species.constants

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

    # --- the protocol's situation at the current step ---------------------------------
    def situation(self) -> dict[str, np.ndarray]:
        """Phase, trial, within, period, cue, spout and salt_lever_in of the step about to be taken, per body."""
        return self.timetable.situation(self.phase, self.t, self.finished, self.block_first)

    # --- observation and step: the compiled kernels ---------------------------------
    def _observe(self) -> tuple[np.ndarray, np.ndarray]:
        extero = np.empty((self.num_bodies, 7), dtype=np.float32)
        intero = np.empty((self.num_bodies, 1), dtype=np.float32)
        self._call(rat_observe, self.state, self._constants, self.timetable.table, extero, intero)
        return extero, intero

    def _run_kernel(self, actions: np.ndarray, out: np.ndarray) -> None:
        st = self.species
        self._call(rat_step, self.state, self.scores, self.presented, self.delivered, self.intake, self.latency, self.sodium_end,
                   self.earned, self.reactivity, self.probed, self._rng.streams, self.elapsed, self._constants, self.timetable.table,
                   self._steering_constants, st.parameters.values, st.armed, st.depletions, actions, out)

    def _body_info(self, info: dict[str, Any], events: dict[str, Any]) -> None:
        """The rat's events beside the core's ``info`` entries, the tastes that arrived as ``innate_signals``."""
        events["innate_signals"] = {"sweet": events.pop("sweet"), "salt": events.pop("salt")}
        info.update(events)

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
    """N rats in one compiled step (see ``SaltRatEnv``)."""

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

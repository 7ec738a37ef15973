"""Eyeblink-v0: delay (or trace) eyeblink conditioning, a tone and an air puff in 5 ms steps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from gymnasium import spaces

from brainlike.envs.contract import Layout, StateVar, check_arguments, integer, real
from brainlike.envs.core import BodyEnv, BodyVectorEnv
from brainlike.envs.kernel import CompiledBody, constants, end_step
from brainlike.envs.profile import BodyProfile
from brainlike.envs.rng import uniform_row
from brainlike.steering.base import NO_REFLEX, Steering
from brainlike.steering.compiled import jit
from brainlike.steering.eyelid import CLIMBING_FIBRE, STEP_MS, BlinkReason, EyelidAction, EyelidEvents, EyelidSenses, EyelidSteering
from brainlike.steering.eyelid import blink_reflex, eyelid_evaluate
from brainlike.steering.motor import names

#: Named periods of a trial, in order. "puff" is the window of the unconditioned
#: stimulus, empty of any puff on tone-alone trials.
PERIOD_NAMES = ("pre-tone", "tone", "puff", "after")
PRE_TONE, TONE, PUFF, AFTER = range(4)
#: What a trial presents: tone A then the puff; tone A alone (a probe, or an
#: extinction trial); tone B alone (the never-reinforced CS- of differential conditioning).
TRIAL_KINDS = ("paired", "tone-alone", "cs-minus")
PAIRED, TONE_ALONE, CS_MINUS = range(3)
#: Phases of a schedule: acquisition (paired trials and probes), extinction
#: (tone alone only), reacquisition (acquisition again, after extinction).
PHASES = ("acquisition", "extinction", "reacquisition")
EXTINCTION = PHASES.index("extinction")
CONDITIONING = ("delay", "trace")
#: The lid's first-order dynamics per 5 ms step: closing is fast (orbicularis
#: oculi, a time constant under 10 ms), reopening slower (levator, about 30 ms).
CLOSE_RATE, OPEN_RATE = 0.5, 0.15
LID_REST = 1e-3
#: Recent trials kept per body for the rendered lid traces.
TRACES_SHOWN = 6
#: The observation's channels and the continuous action's one dimension, by name.
CHANNELS = Layout.groups("tone", "tone_b", "cornea")
LID_COMMAND = ("lid_command",)
#: Each step's uniforms: the next trial's pre-tone time, kind and interval (used when a trial starts).
RANDOMS_PER_STEP = 3
PRE_TONE_DRAW, KIND_DRAW, ISI_DRAW = range(RANDOMS_PER_STEP)
#: The per-step counts of a life, in ``body.stats``.
STATS = ("trials", "puffs", "blinks", "puffs_on_open_eye")
#: What a step's ``info`` holds besides the core's entries, each a field of the step record: the
#: experimenter's clock (as it stood during the step) and the climbing fibre.
CLOCK_INFO = (("period", np.int64), ("trial_kind", np.int64), ("since_tone_ms", np.float64), ("isi_ms", np.float64),
              ("session", np.int64), ("trial", np.int64), ("phase", np.int64), (CLIMBING_FIBRE, np.float64))
#: The body's constants as its kernels read them (``EyeblinkBody._constants``).
EYEBLINK_CONSTANTS = [
    ("pre_lo", np.int64), ("pre_hi", np.int64), ("probe_fraction", np.float64), ("cs_minus_fraction", np.float64),
    ("max_isi", np.int64), ("puff_steps", np.int64), ("after_steps", np.int64), ("trace", np.bool_), ("trace_steps", np.int64),
    ("puff_intensity", np.float64), ("trials_per_session", np.int64), ("trace_len", np.int64), ("max_steps", np.int64),
]


def _steps(ms: Any, name: str) -> int:
    """A duration in whole 5 ms steps; shorter than one step is an error."""
    if not real(ms) or ms < STEP_MS:
        raise ValueError(f"{name}={ms!r} ms is invalid: expected a duration of at least one step ({STEP_MS} ms)")
    return int(round(ms / STEP_MS))


# --- the trial clock (the experimenter's, never observed), compiled: one eye at a time ------
@jit
def begin_trial(s, c, isi_steps, session_phase, u):  # type: ignore[no-untyped-def]
    """Start eye ``s``'s next trial (a record), drawn from its uniforms ``u``: pre-tone time, kind, interval."""
    span = c["pre_hi"] - c["pre_lo"]
    s["t"] = 0
    s["pre"] = c["pre_lo"] + min(np.int64(u[PRE_TONE_DRAW] * (span + 1)), span)
    k = u[KIND_DRAW]
    kind = TONE_ALONE if k < c["probe_fraction"] else (CS_MINUS if k < c["probe_fraction"] + c["cs_minus_fraction"] else PAIRED)
    if kind == PAIRED and session_phase[s["session"]] == EXTINCTION:
        kind = TONE_ALONE
    s["kind"] = kind
    # Paired trials draw one of the intervals; tone-alone trials use the longest,
    # so that a probe shows the lid at every trained time.
    n = isi_steps.shape[0]
    s["isi"] = isi_steps[min(np.int64(u[ISI_DRAW] * n), n - 1)] if kind == PAIRED else c["max_isi"]


@jit
def present(s, c):  # type: ignore[no-untyped-def]
    """Set the coming step's period, tone and puff from where eye ``s`` is in its trial."""
    since = s["t"] - s["pre"]  # steps since tone onset (negative before it)
    puff_end = s["isi"] + c["puff_steps"]
    s["period"] = PRE_TONE if since < 0 else (TONE if since < s["isi"] else (PUFF if since < puff_end else AFTER))
    tone = 0 <= since < (c["trace_steps"] if c["trace"] else puff_end)
    s["tone_a"] = 1.0 if tone and s["kind"] != CS_MINUS else 0.0
    s["tone_b"] = 1.0 if tone and s["kind"] == CS_MINUS else 0.0
    s["puff"] = c["puff_intensity"] if s["period"] == PUFF and s["kind"] == PAIRED else 0.0


@jit
def end_trial(s, traces, c, isi_steps, session_phase, u):  # type: ignore[no-untyped-def]
    """Move eye ``s``'s clock one step; at a trial's end start the next (and the next session); True where the schedule ended."""
    s["t"] += 1
    if s["t"] < s["pre"] + s["isi"] + c["puff_steps"] + c["after_steps"]:
        return False
    s["trace_kind"][s["trials_done"] % TRACES_SHOWN] = s["kind"]
    s["trials_done"] += 1
    s["trials"] += 1
    s["trial"] += 1
    if s["trial"] >= c["trials_per_session"]:
        s["session"] += 1
        s["trial"] = 0
    last = session_phase.shape[0] - 1
    ended = s["session"] > last
    s["session"] = min(s["session"], last)
    traces[s["trials_done"] % TRACES_SHOWN, :] = 0.0
    begin_trial(s, c, isi_steps, session_phase, u)
    return ended


# --- the step, compiled: one loop over the eyes (see envs.kernel) --------------------------
@jit
def eyeblink_step(state, traces, streams, elapsed, constants, isi_steps, session_phase, steering_constants, params,  # type: ignore[no-untyped-def]
                  remaining, pending, reflexes, actions, out):
    """One 5 ms step of every eye: ``state`` (records) and its lid ``traces``, the counter RNG's
    ``streams``, the body's ``constants``, intervals and schedule, the steering's constants and state
    (``params``, the blink's ``remaining`` and ``pending``); the results go to ``out`` (one ``step_record``
    per eye). ``actions`` are (eyes,) ``EyelidAction`` codes or (eyes, 1) lid commands."""
    c, sc = constants[0], steering_constants[0]
    u = np.empty(RANDOMS_PER_STEP)
    for b in range(state.shape[0]):
        uniform_row(streams, b, u)  # first and unconditionally: the stream never depends on events
        s, o = state[b], out[b]
        puff = s["puff"]
        blink = blink_reflex(sc["latency"], sc["duration"], sc["threshold"], params, remaining, pending, b, reflexes, puff)
        # The blink closes the lid in the vocabulary the body speaks (numba compiles only the branch of the actions' shape).
        if actions.ndim == 1:
            o["executed"] = EyelidAction.CLOSE if blink else actions[b]
            command = np.float64(o["executed"])
        else:
            o["executed"][0] = 1.0 if blink else actions[b, 0]
            command = o["executed"][0]
        # The lid's first-order dynamics; within LID_REST of its target the lid is there (at rest):
        # an exponential approach that never ends would tell the learner how long ago it blinked.
        lid = s["lid"]
        lid = lid + (command - lid) * (CLOSE_RATE if command > lid else OPEN_RATE)
        if abs(lid - command) < LID_REST:
            lid = command
        cornea = puff * (1.0 - lid)
        s["lid"], s["cornea"] = lid, cornea
        since = s["t"] - s["pre"]
        o["event_period"], o["event_trial_kind"], o["event_session"], o["event_trial"] = s["period"], s["kind"], s["session"], s["trial"]
        o["event_since_tone_ms"], o["event_isi_ms"] = since * STEP_MS, s["isi"] * STEP_MS
        o["event_phase"], o["event_climbing_fibre"] = session_phase[s["session"]], cornea
        # The rendered lid trace, and the puffs (on an open eye) counted at their onset.
        if 0 <= since < c["trace_len"]:
            traces[b, s["trials_done"] % TRACES_SHOWN, since] = lid
        if puff > 0 and since == s["isi"]:
            s["puffs"] += 1
            s["puffs_on_open_eye"] += cornea > 0.5 * puff
        o["terminated"] = end_trial(s, traces[b], c, isi_steps, session_phase, u)
        present(s, c)

        o["puff"], o["vision"] = eyelid_evaluate(sc, params, b, cornea, lid)
        o["reward"] = o["puff"] + o["vision"]
        reason = BlinkReason.BLINK if blink else NO_REFLEX
        s["blinks"] += blink and s["last_reflex"] < 0  # a blink starts
        s["last_reflex"] = reason
        o["overrode"], o["reason"] = blink, reason
        o["truncated"] = end_step(elapsed, b, c["max_steps"])


@jit
def eyeblink_birth(state, rows, constants, isi_steps, session_phase, u):  # type: ignore[no-untyped-def]
    """The first trial of each eye in ``rows`` (indices), drawn from its row of ``u``."""
    c = constants[0]
    for i in range(rows.shape[0]):
        s = state[rows[i]]
        begin_trial(s, c, isi_steps, session_phase, u[i])
        present(s, c)


@jit
def eyeblink_observe(state, extero, intero):  # type: ignore[no-untyped-def]
    """Every eye's observation into ``extero`` (tone, tone B, cornea) and ``intero`` (lid), float32."""
    for b in range(state.shape[0]):
        s = state[b]
        extero[b, 0], extero[b, 1], extero[b, 2] = s["tone_a"], s["tone_b"], s["cornea"]
        intero[b, 0] = s["lid"]


class EyeblinkBody(CompiledBody[EyelidSenses, EyelidEvents]):
    """The batched world of Eyeblink-v0 (see ``EyeblinkEnv`` for the documentation).

    Its step is the compiled ``eyeblink_step``; its observation ``eyeblink_observe``.
    """

    default_steering = EyelidSteering
    randoms_per_step = RANDOMS_PER_STEP
    # The first trial's pre-tone time, kind and interval.
    randoms_per_life = RANDOMS_PER_STEP
    components = ("puff", "vision")
    events = CLOCK_INFO
    # The lid traces' length depends on the intervals: their own array, so one compile serves every schedule.
    unpacked = ("traces",)
    canvas_size = (600, 300)

    def __init__(
        self,
        num_bodies: int = 1,
        steering: Steering[Any, Any] | None = None,
        reflexes: bool = True,
        observation_mode: str = "dict",
        max_episode_steps: int | None = None,
        isi_ms: float | Sequence[float] = 250.0,
        conditioning: str = "delay",
        trace_tone_ms: float = 100.0,
        puff_ms: float = 100.0,
        puff_intensity: float = 1.0,
        closure_cost: float | None = None,
        probe_fraction: float = 0.1,
        cs_minus_fraction: float = 0.0,
        trials_per_session: int = 100,
        phases: Sequence[tuple[str, int]] = (("acquisition", 10),),
        pre_tone_ms: tuple[float, float] = (200.0, 400.0),
        after_ms: float = 300.0,
        action_mode: str = "box",
    ) -> None:
        isis = [isi_ms] if np.isscalar(isi_ms) else list(isi_ms)  # type: ignore[arg-type]
        if not isis:
            raise ValueError("isi_ms=[] is invalid: expected an interval in ms or a non-empty list of them (mixed intervals)")
        isi_steps = [_steps(x, "isi_ms") for x in isis]
        puff_steps = _steps(puff_ms, "puff_ms")
        after_steps = _steps(after_ms, "after_ms")
        if len(pre_tone_ms) != 2 or not pre_tone_ms[0] <= pre_tone_ms[1]:
            raise ValueError(f"pre_tone_ms={pre_tone_ms!r} is invalid: expected a (shortest, longest) pair in ms")
        pre_steps = (_steps(pre_tone_ms[0], "pre_tone_ms"), _steps(pre_tone_ms[1], "pre_tone_ms"))
        trace_steps = _steps(trace_tone_ms, "trace_tone_ms")
        check_arguments({
            "conditioning": (conditioning, conditioning in CONDITIONING, f"one of {CONDITIONING}"),
            "trace_tone_ms": (trace_tone_ms, conditioning != "trace" or trace_steps < min(isi_steps),
                              f"shorter than the shortest interval ({min(isis)} ms) in trace conditioning"),
            "puff_intensity": (puff_intensity, real(puff_intensity) and 0 <= puff_intensity <= 1, "in [0, 1]"),
            "probe_fraction": (probe_fraction, real(probe_fraction) and 0 <= probe_fraction <= 1, "a fraction in [0, 1]"),
            "cs_minus_fraction": (cs_minus_fraction, real(cs_minus_fraction) and 0 <= cs_minus_fraction <= 1 - probe_fraction,
                                  "in [0, 1 - probe_fraction]"),
            "trials_per_session": (trials_per_session, integer(trials_per_session) and trials_per_session >= 1, "an integer >= 1"),
            "action_mode": (action_mode, action_mode in ("box", "discrete"), "'box' or 'discrete'"),
        })
        schedule = self._check_phases(phases)
        if closure_cost is not None:
            if steering is not None:
                raise ValueError("closure_cost and steering were both given: the cost belongs to the steering, give one of them")
            steering = EyelidSteering(closure_cost=closure_cost)
        super().__init__(num_bodies, steering, reflexes, observation_mode, max_episode_steps)
        self.isi_ms = tuple(float(x) for x in isis)
        self.isi_steps = np.array(isi_steps, dtype=np.int64)
        self.conditioning = conditioning
        self.trace_steps = trace_steps
        self.puff_steps = puff_steps
        self.puff_intensity = float(puff_intensity)
        self.probe_fraction = float(probe_fraction)
        self.cs_minus_fraction = float(cs_minus_fraction)
        self.trials_per_session = int(trials_per_session)
        self.pre_steps = pre_steps
        self.after_steps = after_steps
        self.action_mode = action_mode
        # One entry per session: the phase index into PHASES.
        self.session_phase = np.array([PHASES.index(name) for name, n in schedule for _ in range(n)], dtype=np.int64)
        self.phases = tuple(schedule)
        # Lid traces from tone onset: long enough for the longest tone-alone trial.
        self.trace_len = int(self.isi_steps.max()) + puff_steps + after_steps
        discrete = action_mode == "discrete"
        self._build(
            Layout(CHANNELS, Layout.groups("lid"), names(EyelidAction) if discrete else LID_COMMAND),
            spaces.Box(0.0, 1.0, (3,), np.float32),
            spaces.Box(0.0, 1.0, (1,), np.float32),
            spaces.Discrete(len(EyelidAction)) if discrete else spaces.Box(0.0, 1.0, (1,), np.float32),
        )
        self._steering = self.steering.unwrapped
        # The constants as the kernels read them, one record each; the steering's are read once, here.
        self._constants = constants((
            pre_steps[0], pre_steps[1], self.probe_fraction, self.cs_minus_fraction, int(self.isi_steps.max()), puff_steps,
            after_steps, conditioning == "trace", trace_steps, self.puff_intensity, self.trials_per_session, self.trace_len,
            self.max_steps,
        ), EYEBLINK_CONSTANTS)
        self._steering_constants = self._steering.constants

    @staticmethod
    def _check_phases(phases: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
        try:
            schedule = [(str(name), n) for name, n in phases]
        except (TypeError, ValueError):
            raise ValueError(f"phases={phases!r} is invalid: expected (phase, sessions) pairs, phases from {PHASES}") from None
        if not schedule:
            raise ValueError("phases is empty: expected at least one (phase, sessions) pair")
        for name, n in schedule:
            if name not in PHASES:
                raise ValueError(f"unknown phase {name!r} in phases: expected one of {PHASES}")
            if not integer(n) or n < 1:
                raise ValueError(f"phase {name!r} has {n!r} sessions: expected an integer >= 1")
        return [(name, int(n)) for name, n in schedule]

    def state_table(self) -> dict[str, Any]:
        i64 = np.int64
        return {
            "lid": StateVar(), "tone_a": StateVar(), "tone_b": StateVar(), "puff": StateVar(), "cornea": StateVar(),
            "t": StateVar(dtype=i64),  # steps into the current trial
            "pre": StateVar(dtype=i64),  # this trial's pre-tone steps
            "isi": StateVar(dtype=i64),  # this trial's tone-to-puff steps
            "kind": StateVar(dtype=i64), "trial": StateVar(dtype=i64), "session": StateVar(dtype=i64),
            "period": StateVar(dtype=i64), "last_reflex": StateVar(dtype=i64, birth=-1),
            "traces": StateVar((TRACES_SHOWN, self.trace_len), np.float32),
            "trace_kind": StateVar((TRACES_SHOWN,), i64),
            "trials_done": StateVar(dtype=i64),
            "stats": {k: StateVar(dtype=i64) for k in STATS},
        }

    def _reset_bodies(self, rows: np.ndarray, u: np.ndarray) -> None:
        self._call(eyeblink_birth, self.state, rows, self._constants, self.isi_steps, self.session_phase, u)

    # --- observation and step: the compiled kernels ---------------------------------
    def _observe(self) -> tuple[np.ndarray, np.ndarray]:
        extero = np.empty((self.num_bodies, 3), dtype=np.float32)
        intero = np.empty((self.num_bodies, 1), dtype=np.float32)
        self._call(eyeblink_observe, self.state, extero, intero)
        return extero, intero

    def _run_kernel(self, actions: np.ndarray, out: np.ndarray) -> None:
        st = self._steering
        enabled = st.reflexes_enabled and not st.blink.inhibited
        self._call(eyeblink_step, self.state, self.traces, self._rng.streams, self.elapsed, self._constants, self.isi_steps,
                   self.session_phase, self._steering_constants, st.parameters.values, st.blink.remaining, st.blink.pending,
                   enabled, actions, out)

    def _body_info(self, info: dict[str, Any], events: dict[str, Any]) -> None:
        # The experimenter's clock and the climbing fibre go straight into info, where the experiments and learners read them.
        info.update(events)

    def summary(self, i: int) -> dict[str, Any]:
        s = {k: int(v[i]) for k, v in self.stats.items()}
        s["session"] = int(self.session[i])
        s["puff_threshold"] = float(self.steering.parameters["puff_threshold"][i, 0])
        return s

    # --- rendering (pygame, only when asked) ------------------------------------
    def render_body(self, i: int, canvas: Any) -> None:
        pg, surf = canvas.pg, canvas.surface
        surf.fill((238, 234, 226))
        # The eye: white, iris, pupil; the lid comes down from above as it closes.
        eye = pg.Rect(30, 90, 180, 110)
        pg.draw.ellipse(surf, (250, 250, 250), eye)
        pg.draw.circle(surf, (90, 120, 160), eye.center, 34)
        pg.draw.circle(surf, (20, 20, 30), eye.center, 14)
        lid_h = int(eye.height * float(self.lid[i]))
        if lid_h > 0:
            pg.draw.rect(surf, (214, 170, 140), pg.Rect(eye.left, eye.top, eye.width, lid_h))
        pg.draw.ellipse(surf, (120, 90, 70), eye, 3)
        # Tone and puff markers.
        tone_on = self.tone_a[i] > 0 or self.tone_b[i] > 0
        pg.draw.circle(surf, (230, 180, 30) if tone_on else (200, 200, 200), (50, 40), 14)
        canvas.text("tone B" if self.tone_b[i] > 0 else "tone", (70, 33), px=20)
        puff_on = self.puff[i] > 0
        pg.draw.polygon(surf, (70, 140, 220) if puff_on else (200, 200, 200), [(230, 145), (260, 130), (260, 160)])
        canvas.text("puff", (232, 165), px=18)
        reflex = "blink" if self.last_reflex[i] >= 0 else ""
        canvas.text(f"session {self.session[i] + 1}  trial {self.trial[i] + 1}  {PERIOD_NAMES[self.period[i]]}  {reflex}",
                    (20, 260), px=18)
        # Lid traces of the recent trials against time from tone onset (newest darkest).
        x0, y0, w, h = 300, 40, 280, 200
        pg.draw.rect(surf, (255, 255, 255), pg.Rect(x0, y0, w, h))
        pg.draw.rect(surf, (120, 120, 120), pg.Rect(x0, y0, w, h), 1)
        scale = w / self.trace_len
        for isi in self.isi_steps:  # the trained puff times
            pg.draw.line(surf, (120, 170, 230), (x0 + int(isi * scale), y0), (x0 + int(isi * scale), y0 + h), 2)
        newest = int(self.trials_done[i])
        for age in range(TRACES_SHOWN - 1, -1, -1):
            slot = (newest - age) % TRACES_SHOWN
            if newest - age < 0:
                continue
            trace = self.traces[i, slot]
            shade = 60 + 30 * age
            color = (shade, shade, shade) if self.trace_kind[i, slot] == PAIRED else (200, shade, shade)
            pts = [(x0 + int(k * scale), y0 + h - int(h * float(v))) for k, v in enumerate(trace)]
            pg.draw.lines(surf, color, False, pts, 1 if age else 2)
        canvas.text("lid closure vs time from tone onset", (x0, y0 - 22), px=18)
        canvas.text("0 ms", (x0, y0 + h + 4), px=16)
        canvas.text(f"{self.trace_len * STEP_MS:.0f} ms", (x0 + w - 50, y0 + h + 4), px=16)


class EyeblinkEnv(BodyEnv):
    """Eyeblink conditioning: a tone predicts an air puff on the eye; the blink to the puff is innate.

    ## Description
    A head-fixed animal hears a tone; ``isi_ms`` later an air puff hits its eye
    (delay conditioning: the tone goes on until the puff ends; with
    ``conditioning="trace"`` it lasts only ``trace_tone_ms`` and a silent gap
    follows). Time runs in 5 ms steps. Each trial is a sequence of named
    periods: pre-tone (200-400 ms, drawn), tone (the interval), puff (the
    unconditioned stimulus, ``puff_ms``), after (``after_ms``). About
    ``probe_fraction`` of trials are tone-alone probes, optionally
    ``cs_minus_fraction`` present a second tone (B) that is never reinforced.
    Sessions hold ``trials_per_session`` trials; ``phases`` lists the sessions
    of the animal's schedule: acquisition, extinction (tone alone, every
    trial), reacquisition. The body gives no clock: a learner that blinks at
    the right time must make its own temporal basis from the tone. The world
    reports the puff; the Steering Subsystem (``steering.EyelidSteering``)
    blinks and decides what is bad.

    ## Observation Space
    ``Dict`` with
    - ``exteroception``: ``Box(0, 1, (3,), float32)``: ``tone`` (tone A on/off),
      ``tone_b`` (tone B on/off), ``cornea`` (the puff pressure that reached
      the open cornea on the last step).
    - ``interoception``: ``Box(0, 1, (1,), float32)``: ``lid``, the eyelid's
      position (0 open, 1 closed).
    ``observation_mode="flat"`` (or the id ``brainlike/EyeblinkFlat-v0``) gives
    one ``Box`` of 4 values: exteroception then interoception. No channel tells
    the time since the tone. Read channels by name: ``env.unwrapped.layout``.

    ## Action Space
    ``Box(0, 1, (1,), float32)``: ``lid_command`` (0 open, 1 closed); the lid
    follows it with a 10 ms closing and a 30 ms opening time constant.
    ``action_mode="discrete"``: ``Discrete(2)``, ``EyelidAction`` 0 open, 1 close.

    ## Steering
    Rewards (``info["steering"]["components"]``): ``puff``, minus the puff
    pressure on the open cornea; ``vision``, minus ``closure_cost`` (0.03) x
    the lid position each step, so an eye kept shut costs more than the puffs
    it avoids.
    Reflex: ``BlinkReflex``: every puff closes the lid fully, starting 15 ms
    after puff onset (half shut by 20 ms) and held for 150 ms, whatever the
    learner commands; ``info["executed_action"]`` is the command actually
    executed (the reflex's take-over of the continuous command) and
    ``info["steering"]["reflex"]`` says ``"blink"``.
    Climbing-fibre signal: ``info["climbing_fibre"]``, the puff pressure that
    reached the open cornea this step: the inferior olive's innate error, the
    teacher of the cerebellum. The experimenter's clock is in ``info`` too
    (``period``, ``trial_kind``, ``since_tone_ms``, ``isi_ms``, ``session``,
    ``trial``, ``phase``), never in the observation.
    Innate adjustable parameters: 1 (the puff threshold of the blink, lowered
    by puffs on the open cornea; far below the default puff from the start).

    ## Termination and Truncation
    Terminated when the last trial of the schedule (``phases``) ends;
    truncated after ``max_episode_steps`` (1,000,000 when registered).

    ## Arguments
    ``steering`` (a ``Steering``; default ``EyelidSteering()``), ``reflexes``
    (False: no blink reflex), ``observation_mode`` ("dict" | "flat"),
    ``isi_ms`` (250, or a list of intervals drawn per trial: mixed intervals),
    ``conditioning`` ("delay" | "trace"), ``trace_tone_ms`` (100),
    ``puff_ms`` (100), ``puff_intensity`` (1.0, in [0, 1]), ``closure_cost``
    (None: the steering's 0.03), ``probe_fraction`` (0.1), ``cs_minus_fraction``
    (0.0), ``trials_per_session`` (100), ``phases`` ((("acquisition", 10),);
    phases from "acquisition", "extinction", "reacquisition"), ``pre_tone_ms``
    ((200, 400)), ``after_ms`` (300), ``action_mode`` ("box" | "discrete").
    An interval shorter than one step, a fraction outside [0, 1] or an unknown
    phase is an error.

    ## Experiments and papers
    - eyeblink-acquisition: Disterhoft, Kwan & Lo 1977, Brain Res 137:127:
      conditioned blinks from about 80% on day 1 to 90-100% by days 2-3.
    - eyeblink-timing: Millenson, Kehoe & Gormezano 1977; Mauk & Ruiz 1992;
      Medina et al. 2000, J Neurosci 20:5516: the CR peaks at the puff; two
      peaks for two mixed intervals.
    - eyeblink-isi: Schneiderman & Gormezano 1964: nothing learned below about
      100 ms, slower learning at long intervals.
    - eyeblink-extinction: Kehoe & Joscelyne 2005; Kehoe 2006: extinction and
      faster reacquisition.
    - eyeblink-lesions: McCormick & Thompson 1984 (interpositus lesion: no CRs,
      reflex intact); Perrett, Ruiz & Mauk 1993 (cortex lesion: short-latency,
      untimed CRs).

    ## Version History
    - v0: initial release.
    """

    body_class = EyeblinkBody
    metadata = {"render_modes": ["human", "rgb_array"], "render_fps": 40}


class EyeblinkVectorEnv(BodyVectorEnv):
    """N eyes in one compiled step (see ``EyeblinkEnv``)."""

    body_class = EyeblinkBody
    metadata = {**BodyVectorEnv.metadata, "render_fps": 40}


PROFILE = BodyProfile(
    env_id="brainlike/Eyeblink-v0",
    learner_defaults={},
    sb3_algorithms=("ppo",),
    benchmark_steps=40_000,
    # The default schedule is ten sessions of 100 trials, one life; the benchmark's
    # episodes are single paired-or-probe trials, so that returns can be compared.
    benchmark_env_kwargs={"trials_per_session": 1, "phases": (("acquisition", 1),)},
    demo_steps=20_000,
    showcase_agent="cerebellar",
    experiments=("eyeblink-acquisition", "eyeblink-timing", "eyeblink-isi", "eyeblink-extinction", "eyeblink-lesions",
                 "eyeblink-learners"),
    demo_experiments=("eyeblink-acquisition",),  # the headline result; the rest run with `brainlike experiment`
)

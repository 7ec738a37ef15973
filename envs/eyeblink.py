"""Eyeblink-v0: delay (or trace) eyeblink conditioning, a tone and an air puff in 5 ms steps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from gymnasium import spaces

from brainlike.envs.contract import Layout, StateVar, check_arguments, integer, real
from brainlike.envs.core import Body, BodyEnv, BodyVectorEnv
from brainlike.envs.profile import BodyProfile
from brainlike.steering.base import ReflexTakeover, Steering, SteeringOutput
from brainlike.steering.eyelid import CLIMBING_FIBRE, STEP_MS, EyelidEvents, EyelidOutput, EyelidSenses, EyelidSteering
from brainlike.steering.eyelid import EyelidAction
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


def _steps(ms: Any, name: str) -> int:
    """A duration in whole 5 ms steps; shorter than one step is an error."""
    if not real(ms) or ms < STEP_MS:
        raise ValueError(f"{name}={ms!r} ms is invalid: expected a duration of at least one step ({STEP_MS} ms)")
    return int(round(ms / STEP_MS))


class EyeblinkBody(Body[EyelidSenses, EyelidEvents]):
    """The batched world of Eyeblink-v0 (see ``EyeblinkEnv`` for the documentation)."""

    default_steering = EyelidSteering
    # The next trial's pre-tone time, kind and interval: drawn every step, used when a trial starts.
    randoms_per_step = 3
    randoms_per_life = 3
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
            "stats": {k: StateVar(dtype=i64) for k in ("trials", "puffs", "blinks", "puffs_on_open_eye")},
        }

    def _reset_bodies(self, mask: np.ndarray, u: np.ndarray) -> None:
        rows = np.flatnonzero(mask)
        self._new_trials(rows, u)
        self._present()

    def _new_trials(self, rows: np.ndarray, u: np.ndarray) -> None:
        """Draw the next trial of each body in ``rows`` from its uniforms ``u`` (rows, 3)."""
        lo, hi = self.pre_steps
        self.t[rows] = 0
        self.pre[rows] = lo + np.minimum((u[:, 0] * (hi - lo + 1)).astype(np.int64), hi - lo)
        in_extinction = self.session_phase[self.session[rows]] == PHASES.index("extinction")
        kind = np.where(u[:, 1] < self.probe_fraction, TONE_ALONE,
                        np.where(u[:, 1] < self.probe_fraction + self.cs_minus_fraction, CS_MINUS, PAIRED))
        kind = np.where(in_extinction & (kind == PAIRED), TONE_ALONE, kind)
        self.kind[rows] = kind
        # Paired trials draw one of the intervals; tone-alone trials use the longest,
        # so that a probe shows the lid at every trained time.
        drawn = self.isi_steps[np.minimum((u[:, 2] * len(self.isi_steps)).astype(np.int64), len(self.isi_steps) - 1)]
        self.isi[rows] = np.where(kind == PAIRED, drawn, self.isi_steps.max())

    # --- senses and observation ----------------------------------------------
    def senses(self) -> EyelidSenses:
        """The puff's pressure at the eye this step: what the blink reflex reads."""
        return EyelidSenses(self.puff)

    def _observe(self) -> tuple[np.ndarray, np.ndarray]:
        extero = np.stack([self.tone_a, self.tone_b, self.cornea], axis=1).astype(np.float32)
        return extero, self.lid[:, None].astype(np.float32)

    # --- the trial clock (the experimenter's, never observed) -----------------
    def _present(self) -> None:
        """Set the coming step's tone and puff from where each body is in its trial."""
        s = self.t - self.pre  # steps since tone onset (negative before it)
        puff_end = self.isi + self.puff_steps
        self.period = np.where(s < 0, PRE_TONE, np.where(s < self.isi, TONE, np.where(s < puff_end, PUFF, AFTER)))
        tone_end = self.trace_steps if self.conditioning == "trace" else puff_end
        tone = (s >= 0) & (s < tone_end)
        self.tone_a = (tone & (self.kind != CS_MINUS)).astype(np.float64)
        self.tone_b = (tone & (self.kind == CS_MINUS)).astype(np.float64)
        self.puff = np.where((self.period == PUFF) & (self.kind == PAIRED), self.puff_intensity, 0.0)

    # --- physics --------------------------------------------------------------
    def _physics(self, takeover: ReflexTakeover, u: np.ndarray) -> tuple[EyelidEvents, np.ndarray, dict[str, Any]]:
        executed = takeover.executed
        command = executed.astype(np.float64) if self.action_mode == "discrete" else executed[:, 0]
        rate = np.where(command > self.lid, CLOSE_RATE, OPEN_RATE)
        lid = self.lid + (command - self.lid) * rate
        # Within 0.1% of its target the lid is there (at rest): an exponential
        # approach that never ends would tell the learner how long ago it blinked.
        self.lid = np.where(np.abs(lid - command) < LID_REST, command, lid)
        self.cornea = self.puff * (1.0 - self.lid)
        since_tone = self.t - self.pre
        info = {
            "period": self.period.copy(),
            "trial_kind": self.kind.copy(),
            "since_tone_ms": since_tone * STEP_MS,
            "isi_ms": self.isi * STEP_MS,
            "session": self.session.copy(),
            "trial": self.trial.copy(),
            "phase": self.session_phase[self.session],
        }
        self._record(since_tone)
        terminated = self._advance(u)
        self._present()
        return EyelidEvents(self.cornea, self.lid), terminated, info

    def _after_evaluation(self, out: SteeringOutput, events: EyelidEvents, info: dict[str, Any]) -> None:
        assert isinstance(out, EyelidOutput)
        info[CLIMBING_FIBRE] = out.climbing_fibre
        started = (out.reflex.reason >= 0) & (self.last_reflex < 0)
        self.stats["blinks"] += started
        self.last_reflex = out.reflex.reason.copy()

    def _record(self, s: np.ndarray) -> None:
        slot = self.trials_done % TRACES_SHOWN
        rows = np.flatnonzero((s >= 0) & (s < self.trace_len))
        if rows.size:
            self.traces[rows, slot[rows], s[rows]] = self.lid[rows]
        onset = (self.puff > 0) & (s == self.isi)
        self.stats["puffs"] += onset
        self.stats["puffs_on_open_eye"] += onset & (self.cornea > 0.5 * self.puff)

    def _advance(self, u: np.ndarray) -> np.ndarray:
        """Move the trial clock one step; start new trials and sessions; True where the schedule ended."""
        self.t += 1
        ended = self.t >= self.pre + self.isi + self.puff_steps + self.after_steps
        terminated = np.zeros(self.num_bodies, dtype=bool)
        if not ended.any():
            return terminated
        rows = np.flatnonzero(ended)
        self.trace_kind[rows, self.trials_done[rows] % TRACES_SHOWN] = self.kind[rows]
        self.trials_done[rows] += 1
        self.stats["trials"][rows] += 1
        self.trial[rows] += 1
        next_session = self.trial[rows] >= self.trials_per_session
        self.session[rows] += next_session
        self.trial[rows] = np.where(next_session, 0, self.trial[rows])
        terminated[rows] = self.session[rows] >= len(self.session_phase)
        self.session[rows] = np.minimum(self.session[rows], len(self.session_phase) - 1)
        self.traces[rows, self.trials_done[rows] % TRACES_SHOWN] = 0.0
        self._new_trials(rows, u[rows])
        return terminated

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
    """N eyes in one numpy step (see ``EyeblinkEnv``)."""

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

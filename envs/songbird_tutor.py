"""SongbirdTutor-v0: a juvenile hears its tutor, then learns to sing by trial and error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from gymnasium import spaces

from brainlike.envs.contract import Layout, StateVar, check_arguments, integer, real
from brainlike.envs.core import Body, BodyEnv, BodyVectorEnv
from brainlike.steering.base import ReflexTakeover, Steering
from brainlike.steering.motor import names
from brainlike.steering.songbird import SyrinxMotor
from brainlike.steering.songbird import (
    DURATION_RANGE_MS,
    FEATURES,
    MAX_SYLLABLES,
    NOISE,
    PITCH,
    PITCH_RANGE_HZ,
    REWARD_SIGNALS,
    SongbirdSteering,
    SongEvents,
    SongOutput,
    to_perceptual,
    to_physical,
)

#: The syrinx's motor command (``steering.motor.SyrinxMotor``): air-sac pressure,
#: syringeal (labial) tension, beak gape, and the length of the expiratory pulse.
MOTOR_NAMES = names(SyrinxMotor)
NUM_MOTOR = len(MOTOR_NAMES)
SIDES = ("below", "above")
TRACE = 120  # performance errors kept for the rendered trace
#: Tutor songs are drawn from motor commands inside this box: a real tutor's
#: syllables lie within, not at, the edges of what a syrinx can do.
TUTOR_MOTOR_RANGE = 0.7


def syrinx(motor: np.ndarray) -> np.ndarray:
    """(..., 4) motor commands in [-1, 1] -> (..., 4) acoustic features in perceptual units.

    A fixed, nonlinear, coupled model the agent never sees: tension mostly
    sets pitch (pressure raises it a little, more so when tense); the
    phonation threshold rises with tension squared, so a tense syrinx needs
    more pressure to be loud; pressure enriches harmonics and a wide gape
    filters them out; the expiratory pulse sets duration, high pressure
    empties the air sacs sooner. Outputs lie in (0, 1).
    """
    m = np.asarray(motor, dtype=np.float64)
    p, k, g, e = m[..., 0], m[..., 1], m[..., 2], m[..., 3]
    # Elementwise, never a matrix product: BLAS rounding depends on the batch
    # size, and body i must sound the same alone or in a batch of 1024.
    drive = np.empty(m.shape)
    drive[..., 0] = 2.4 * k + 0.8 * p + 0.6 * k * p
    drive[..., 1] = 2.2 * e - 0.5 * p
    drive[..., 2] = 2.5 * p - 2.0 * g + 0.5
    drive[..., 3] = 3.0 * p - 1.2 * k * k + 1.0
    return 1.0 / (1.0 + np.exp(-drive))


def song_from_motor(commands: np.ndarray) -> np.ndarray:
    """The (syllables, 4) physical song a noiseless syrinx makes of (syllables, 4) motor commands.

    Use it to give every life the same tutor (``tutor_song=...``), as one
    father sings to a bird all through its development.
    """
    return to_physical(syrinx(np.asarray(commands, dtype=np.float64)))


#: One fixed tutor (motor commands inside the tutor range): the benchmark's song.
EXAMPLE_TUTOR_MOTOR = np.array(
    [[0.5, -0.4, 0.2, 0.3], [-0.3, 0.6, -0.5, -0.2], [0.6, 0.1, 0.4, -0.6], [-0.1, -0.6, -0.3, 0.5]]
)


def song_layout(num_syllables: int) -> Layout:
    """The names of a songbird's observation channels (see ``SongbirdTutorEnv``) and motor dimensions."""
    return Layout(
        exteroception=Layout.groups(
            ("song_clock", num_syllables),
            *(f"heard_{f}" for f in FEATURES), "heard_noise", "heard_tutor", "sensory_phase",
        ),
        interoception=Layout.groups(*(f"proprioception_{m}" for m in MOTOR_NAMES)),
        actions=MOTOR_NAMES,
    )


class SongbirdBody(Body[None, SongEvents]):
    """The batched world of SongbirdTutor-v0 (see ``SongbirdTutorEnv`` for the documentation)."""

    default_steering = SongbirdSteering
    randoms_per_step = 2 * NUM_MOTOR + 1  # motor noise (Box-Muller pairs), the feedback lottery
    canvas_size = (640, 460)

    def __init__(
        self,
        num_bodies: int = 1,
        steering: Steering | None = None,
        reflexes: bool = True,
        observation_mode: str = "dict",
        max_episode_steps: int | None = None,
        num_syllables: int = 4,
        tutor_song: np.ndarray | None = None,
        sensory_bouts: int = 2,
        motor_noise: float = 0.03,
        reward: str | None = None,
        feedback_syllable: int | None = None,
        feedback_threshold: float | None = None,
        feedback_side: str = "below",
        feedback_probability: float = 1.0,
        noise_level: float = 1.0,
    ) -> None:
        if tutor_song is not None:
            tutor = np.array(tutor_song, dtype=np.float64)
            if tutor.ndim != 2 or tutor.shape[1] != 4 or not 1 <= tutor.shape[0] <= MAX_SYLLABLES:
                raise ValueError(f"tutor_song must be (syllables <= {MAX_SYLLABLES}, 4) physical features {FEATURES}, got shape {tutor.shape}")
            lo = np.array([PITCH_RANGE_HZ[0], DURATION_RANGE_MS[0], 0.0, 0.0])
            hi = np.array([PITCH_RANGE_HZ[1], DURATION_RANGE_MS[1], 1.0, 1.0])
            if not np.all(np.isfinite(tutor)) or np.any(tutor < lo) or np.any(tutor > hi):
                raise ValueError(f"tutor_song features must lie in pitch {PITCH_RANGE_HZ} Hz, duration {DURATION_RANGE_MS} ms, shape and amplitude [0, 1]")
            num_syllables = tutor.shape[0]
        check_arguments({
            "num_syllables": (num_syllables, integer(num_syllables) and 1 <= num_syllables <= MAX_SYLLABLES, f"an integer in [1, {MAX_SYLLABLES}]"),
            "sensory_bouts": (sensory_bouts, integer(sensory_bouts) and sensory_bouts >= 0, "an integer >= 0"),
            "motor_noise": (motor_noise, real(motor_noise) and motor_noise >= 0, ">= 0"),
            "reward": (reward, reward is None or reward in REWARD_SIGNALS, f"None or one of {REWARD_SIGNALS}"),
            "noise_level": (noise_level, real(noise_level) and 0 <= noise_level <= 1, "in [0, 1]"),
        })
        if steering is None:
            steering = SongbirdSteering(reward=reward or "quality")
        super().__init__(num_bodies, steering, reflexes, observation_mode, max_episode_steps)
        # The body's own copy of its steering now: size its song memory to this song.
        self.species: SongbirdSteering = self.steering.unwrapped  # type: ignore[assignment]
        if reward is not None and self.species.reward_signal != reward:
            raise ValueError(f"reward={reward!r} contradicts the given steering's reward {self.species.reward_signal!r}; set it on the steering")
        self.species.set_song_length(int(num_syllables))
        self.num_syllables = int(num_syllables)
        self.given_tutor = None if tutor_song is None else to_perceptual(tutor)
        self.sensory_bouts = int(sensory_bouts)
        self.motor_noise = float(motor_noise)
        self.noise_level = float(noise_level)
        self.randoms_per_life = num_syllables * NUM_MOTOR if self.given_tutor is None else 0  # a random tutor's commands
        s = self.num_syllables
        # Exteroception: the HVC-like clock (one-hot, the syllable to sing next),
        # what was just heard (4 features + noise), heard-from-the-tutor, tutor-singing-next.
        self._build(
            song_layout(s),
            spaces.Box(0.0, 1.0, (s + 7,), np.float32),
            spaces.Box(-1.0, 1.0, (NUM_MOTOR,), np.float32),
            spaces.Box(-1.0, 1.0, (NUM_MOTOR,), np.float32),
        )
        lay = self.layout
        self._clock_start, self._extero_width = lay.slice("song_clock").start, lay.widths()[0]
        self._heard = slice(lay.index("heard_pitch"), lay.index("heard_noise") + 1)
        self._heard_tutor, self._sensory_phase = lay.index("heard_tutor"), lay.index("sensory_phase")
        self.set_feedback(feedback_syllable, feedback_threshold, feedback_side, feedback_probability)

    # --- state, declared once: the core allocates it and returns it to birth values ---
    def state_table(self) -> dict[str, Any]:
        s = self.num_syllables
        return {
            "tutor": StateVar((s, 4)),  # perceptual units; drawn (or given) at birth
            "tutor_motor": StateVar((s, NUM_MOTOR), np.float64, np.nan),  # NaN for a user-given tutor
            "clock": StateVar((), np.int64),
            "bouts": StateVar((), np.int64),
            "heard": StateVar((5,)),
            "heard_tutor": StateVar((), bool),
            "motor": StateVar((NUM_MOTOR,)),
            "bird_bout": StateVar((s, 5), np.float64, np.nan),  # the bird's latest rendition of each syllable, as heard
            "bout_quality": StateVar((s,)),
            "trace": StateVar((TRACE,)),  # a ring buffer, written at trace_len % TRACE
            "trace_len": StateVar((), np.int64),
            "threshold_hz": StateVar(),
            "renditions": StateVar((), np.int64),
            "distorted": StateVar((), np.int64),
        }

    def set_feedback(
        self,
        syllable: int | None,
        threshold: float | np.ndarray | None = None,
        side: str = "below",
        probability: float = 1.0,
    ) -> None:
        """Switch distorted auditory feedback on (a syllable index) or off (None), at any time.

        Renditions of ``syllable`` whose sung pitch lies on ``side`` of
        ``threshold`` (Hz, one for all bodies or one per body; None: the
        tutor's pitch of that syllable) are heard
        with a white-noise burst with ``probability``.
        """
        t = None if threshold is None else np.asarray(threshold, dtype=np.float64)
        check_arguments({
            "feedback_syllable": (syllable, syllable is None or (integer(syllable) and 0 <= syllable < self.num_syllables),
                                  f"None or an integer in [0, {self.num_syllables})"),
            "feedback_side": (side, side in SIDES, f"one of {SIDES}"),
            "feedback_probability": (probability, real(probability) and 0 <= probability <= 1, "a probability in [0, 1]"),
            "feedback_threshold": (threshold, t is None or (t.shape in ((), (self.num_bodies,)) and bool(np.all(np.isfinite(t) & (t > 0)))),
                                   f"a pitch in Hz > 0 (or {self.num_bodies} of them) or None"),
        })
        self.feedback_syllable = None if syllable is None else int(syllable)
        self.feedback_threshold = None if t is None else np.broadcast_to(t, (self.num_bodies,)).copy()
        self.feedback_side = side
        self.feedback_probability = float(probability)
        self._update_threshold(np.ones(self.num_bodies, dtype=bool))

    def _update_threshold(self, mask: np.ndarray) -> None:
        if self.feedback_threshold is not None:
            self.threshold_hz[mask] = self.feedback_threshold[mask]
        elif self.feedback_syllable is not None:
            self.threshold_hz[mask] = to_physical(self.tutor[mask, self.feedback_syllable])[:, PITCH]

    def _reset_bodies(self, mask: np.ndarray, u: np.ndarray) -> None:
        idx = np.flatnonzero(mask)
        if self.given_tutor is None:
            motor = TUTOR_MOTOR_RANGE * (2.0 * u - 1.0)
            self.tutor_motor[idx] = motor.reshape(len(idx), self.num_syllables, NUM_MOTOR)
            self.tutor[idx] = syrinx(self.tutor_motor[idx])
        else:
            self.tutor[idx] = self.given_tutor
        self._update_threshold(mask)

    # --- senses and observation ----------------------------------------------
    def in_sensory_phase(self) -> np.ndarray:
        return self.bouts < self.sensory_bouts

    def _observe(self) -> tuple[np.ndarray, np.ndarray]:
        b = self.num_bodies
        extero = np.zeros((b, self._extero_width), dtype=np.float32)
        extero[np.arange(b), self._clock_start + self.clock] = 1.0
        extero[:, self._heard] = self.heard
        extero[:, self._heard_tutor] = self.heard_tutor
        extero[:, self._sensory_phase] = self.in_sensory_phase()
        return extero, self.motor.astype(np.float32)

    # --- physics --------------------------------------------------------------
    def _physics(self, takeover: ReflexTakeover, u: np.ndarray) -> tuple[SongEvents, np.ndarray, dict[str, Any]]:
        b = self.num_bodies
        executed = takeover.executed
        normal = np.sqrt(-2.0 * np.log1p(-u[:, :NUM_MOTOR])) * np.cos(2.0 * np.pi * u[:, NUM_MOTOR : 2 * NUM_MOTOR])
        # Muscles saturate: the noisy command is clipped to what they can do.
        self.motor = np.clip(executed + self.motor_noise * normal, -1.0, 1.0)
        sung = syrinx(self.motor)
        syllable = self.clock.copy()
        sensory = self.in_sensory_phase()
        pitch_hz = to_physical(sung)[:, PITCH]
        if self.feedback_syllable is None:
            hit = np.zeros(b, dtype=bool)
        else:
            side = pitch_hz < self.threshold_hz if self.feedback_side == "below" else pitch_hz > self.threshold_hz
            hit = (syllable == self.feedback_syllable) & side & (u[:, -1] < self.feedback_probability) & ~sensory
        heard = np.empty((b, 5))
        heard[:, :4] = np.where(sensory[:, None], self.tutor[np.arange(b), syllable], sung)
        heard[:, NOISE] = np.where(hit, self.noise_level, 0.0)
        # State gets its own copies: info's arrays must not change when a body is reset.
        self.heard = heard.copy()
        self.heard_tutor = sensory.copy()
        self.renditions += ~sensory
        self.distorted += hit
        info = {"song": {"syllable": syllable, "tutor_sang": sensory, "sung": sung, "pitch_hz": pitch_hz, "heard": heard, "distorted": hit}}
        return SongEvents(heard=heard, syllable=syllable, tutor_sang=sensory), np.zeros(b, dtype=bool), info

    def _after_evaluation(self, out: SongOutput, events: SongEvents, info: dict[str, Any]) -> None:  # type: ignore[override]
        """Record the evaluator's verdict on each rendition, then advance the song clock."""
        quality, error = out.signals["quality"], out.signals["performance_error"]
        syllable, singing = events.syllable, ~events.tutor_sang
        if singing.any():
            r = np.flatnonzero(singing)
            self.bird_bout[r, syllable[singing]] = events.heard[singing]
            self.bout_quality[r, syllable[singing]] = quality[singing]
            self.trace[r, self.trace_len[r] % TRACE] = error[singing]
            self.trace_len[r] += 1
        self.clock = (syllable + 1) % self.num_syllables
        self.bouts += self.clock == 0
        info["song"]["quality"] = quality
        info["song"]["performance_error"] = error

    # --- the song, for people -------------------------------------------------
    def bout(self, i: int = 0, who: str = "bird") -> tuple[np.ndarray, np.ndarray]:
        """(syllables, 4) physical features and (syllables,) heard noise of a bout.

        ``who="tutor"``: the tutor's song. ``who="bird"``: the bird's latest
        rendition of each syllable as it heard it (a syllable not yet sung is
        silent).
        """
        if who == "tutor":
            return to_physical(self.tutor[i]), np.zeros(self.num_syllables)
        if who != "bird":
            raise ValueError(f"who must be 'tutor' or 'bird', got {who!r}")
        heard = self.bird_bout[i]
        silent = np.isnan(heard[:, 0])
        feats = to_physical(np.where(silent[:, None], self.tutor[i], heard[:, :4]))
        feats[silent, 3] = 0.0
        return feats, np.where(silent, 0.0, heard[:, NOISE])

    def write_song(self, path: str | Path, who: str = "bird", i: int = 0, sample_rate: int = 22050) -> Path:
        """Write a bout (the tutor's or the bird's latest) of body ``i`` as a WAV file."""
        from brainlike.envs.audio import synthesize_bout, write_wav

        features, noise = self.bout(i, who)
        return write_wav(path, synthesize_bout(features, noise, sample_rate), sample_rate)

    def summary(self, i: int) -> dict[str, Any]:
        return {
            "bouts": int(self.bouts[i]),
            "renditions": int(self.renditions[i]),
            "distorted": int(self.distorted[i]),
            "similarity": self.bout_quality[i].tolist(),
            "mean_similarity": float(self.bout_quality[i].mean()),
            "pitch_hz": to_physical(np.nan_to_num(self.bird_bout[i]))[:, PITCH].tolist(),
            "template_memorised": bool(self.species.template_known[i].all()),
        }

    # --- rendering (pygame, only when asked) ------------------------------------
    def _draw_bout(self, canvas: Any, features: np.ndarray, noise: np.ndarray, top: int, label: str, current: int) -> None:
        pg, surf = canvas.pg, canvas.surface
        x0, w, h, fmax = 90, 530, 110, 8000.0
        pg.draw.rect(surf, (18, 18, 28), pg.Rect(x0, top, w, h))
        total = float(np.sum(features[:, 1]) + 40.0 * len(features))
        x = float(x0)
        for j, ((pitch, dur, shape, amp), level) in enumerate(zip(features, noise)):
            width = dur / total * w
            if level > 0:  # a noise burst: energy at every frequency
                pg.draw.rect(surf, (110, 110, 120), pg.Rect(int(x), top, max(int(width), 1), h))
            for k in range(1, 12):
                f = k * pitch
                if f >= fmax:
                    break
                level_k = amp * shape ** (k - 1)
                c = int(60 + 195 * min(level_k, 1.0))
                y = top + h - int(f / fmax * h)
                pg.draw.line(surf, (c, int(c * 0.8), 40), (int(x), y), (int(x + width), y), 3 if k == 1 else 2)
            if j == current:
                pg.draw.rect(surf, (240, 240, 240), pg.Rect(int(x) - 1, top, int(width) + 2, h), 1)
            x += width + 40.0 / total * w
        canvas.text(label, (8, top + 4), px=18)
        canvas.text("8 kHz", (40, top + 2), (90, 90, 90), px=14)

    def render_body(self, i: int, canvas: Any) -> None:
        pg, surf = canvas.pg, canvas.surface
        surf.fill((236, 232, 222))
        s = self.num_syllables
        sensory = bool(self.in_sensory_phase()[i])
        last = (int(self.clock[i]) - 1) % s
        tutor, _ = self.bout(i, "tutor")
        bird, noise = self.bout(i, "bird")
        self._draw_bout(canvas, tutor, np.zeros(s), 10, "tutor", last if self.heard_tutor[i] else -1)
        self._draw_bout(canvas, bird, noise, 130, "bird", -1 if self.heard_tutor[i] else last)
        # Similarity of each syllable's latest rendition to the template.
        top, x0 = 252, 90
        canvas.text("similarity", (8, top + 20), px=18)
        bw = 530 / s
        for j in range(s):
            q = float(self.bout_quality[i, j])
            pg.draw.rect(surf, (200, 195, 185), pg.Rect(int(x0 + j * bw + 4), top, int(bw - 8), 60), 1)
            pg.draw.rect(surf, (70, 150, 90), pg.Rect(int(x0 + j * bw + 5), top + 59 - int(58 * q), int(bw - 10), int(58 * q)))
            canvas.text(f"{j}: {q:.2f}", (int(x0 + j * bw + 8), top + 62), px=15)
        # The performance-error trace: dopamine dips and bursts.
        top, h = 340, 80
        canvas.text("perf. error", (8, top + 30), px=18)
        pg.draw.rect(surf, (250, 248, 244), pg.Rect(x0, top, 530, h))
        mid = top + h // 2
        pg.draw.line(surf, (170, 170, 170), (x0, mid), (x0 + 530, mid), 1)
        n = min(int(self.trace_len[i]), TRACE)
        if n >= 2:
            values = np.roll(self.trace[i], -int(self.trace_len[i]) % TRACE)[TRACE - n :]
            xs = x0 + np.arange(n) * (530.0 / (TRACE - 1))
            ys = mid - np.clip(values, -1.0, 1.0) * (h / 2 - 2)
            pg.draw.lines(surf, (190, 60, 50), False, [(float(a), float(c)) for a, c in zip(xs, ys)], 2)
        phase = "sensory: the tutor sings" if sensory else "sensorimotor: the bird sings"
        feedback = "" if self.feedback_syllable is None else f"   noise on syllable {self.feedback_syllable} {self.feedback_side} {self.threshold_hz[i]:.0f} Hz"
        canvas.text(f"{phase}   bout {self.bouts[i]}   distorted {self.distorted[i]}{feedback}", (8, 432), px=17)


class SongbirdTutorEnv(BodyEnv):
    """A juvenile zebra finch hears its tutor, then learns to copy his song by trial and error.

    ## Description
    A tutor sings a song of ``num_syllables`` harmonic-stack syllables, each
    with a pitch (Hz), a duration (ms), a spectral shape (0 a pure tone, 1 a
    rich stack) and an amplitude; the song is drawn from the seed at every
    reset (from motor commands of the same syrinx, so it can be copied) or
    given as ``tutor_song``. One step is one syllable; an HVC-like clock runs
    through the song, a bout is one pass. In the first ``sensory_bouts``
    bouts (the sensory phase) the tutor sings and the bird listens: its motor
    command is executed as silent subsong and not scored. From then on (the
    sensorimotor phase) the bird sings: its motor command goes through a
    fixed nonlinear syrinx model with motor noise that the agent does not
    know, and it hears itself. Optionally an experimenter's apparatus plays a
    white-noise burst on renditions of one syllable whose pitch lies on one
    side of a threshold (distorted auditory feedback). The world only plays
    sounds; the Steering Subsystem (``steering.SongbirdSteering``) judges them.
    ``write_song(path, who="bird"|"tutor")`` writes a bout as a WAV file; in
    ``human`` mode each finished bout is played if a sound device exists.

    ## Observation Space
    ``Dict`` with
    - ``exteroception``: ``Box(0, 1, (num_syllables + 7,), float32)``: the
      clock ``song_clock`` (one-hot, the syllable sung next, ``num_syllables``
      wide); what was just heard, in perceptual units in [0, 1]:
      ``heard_pitch`` (log), ``heard_duration`` (log),
      ``heard_spectral_shape``, ``heard_amplitude``, ``heard_noise`` (the
      broadband noise level); ``heard_tutor`` (1 if the tutor sang it);
      ``sensory_phase`` (1 if the tutor sings next).
    - ``interoception``: ``Box(-1, 1, (4,), float32)``: proprioception of the
      last motor command the syrinx executed (noise included):
      ``proprioception_pressure``, ``proprioception_tension``,
      ``proprioception_gape``, ``proprioception_expiration``.
    Read channels by name: ``env.unwrapped.layout.read(obs, "heard_pitch")``.
    ``observation_mode="flat"`` (or ``brainlike/SongbirdTutorFlat-v0``) gives
    one ``Box`` of ``num_syllables + 11`` values (15 by default).

    ## Action Space
    ``Box(-1, 1, (4,), float32)``: the motor command for the current
    syllable (``steering.motor.SyrinxMotor``): air-sac pressure, syringeal
    tension, beak gape, expiratory pulse length. No reflexes: ``info["executed_action"]`` equals the action.

    ## Steering
    Reward: the evaluator's ``quality`` of the syllable the bird heard itself
    sing (default), or its ``performance_error`` (``reward=``). Quality is a
    Gaussian tuning curve of the weighted distance between the heard features
    and the template syllable, range (0, 1]: 1 for a perfect copy, about 0.025
    on average for uniformly random motor commands (chance; median 3e-5); a noise burst scores about
    0. Performance error = quality - the running expectation for that
    syllable (Gadagkar et al. 2016). Reward 0 while the tutor sings. The
    template is memorised from the tutor in the sensory phase (default) or
    innate (``SongbirdSteering(template_source="innate")``).
    ``info["steering"]["signals"]`` holds ``quality``, ``expectation``,
    ``performance_error``, ``distorted``, ``self_sung``; ``info["song"]``
    holds the sung and heard features, pitch in Hz, and the same signals.
    Innate adjustable parameters: 4 (one running expectation of quality per
    syllable; with ``num_syllables`` = S there are S). The memorised template
    (S x 4 numbers) is a lookup memory, counted apart.

    ## Termination and Truncation
    Never terminated. Truncated after 100 steps (``max_episode_steps``): 25
    bouts of 4 syllables, 2 heard and 23 sung.

    ## Arguments
    ``steering`` (a ``Steering``; default ``SongbirdSteering()``),
    ``reflexes`` (no effect: a songbird here has none), ``observation_mode``
    ("dict" | "flat"), ``num_syllables`` (4, at most 8), ``tutor_song``
    ((syllables, 4) physical features, or None for one drawn from the seed),
    ``sensory_bouts`` (2), ``motor_noise`` (0.03: standard deviation added to
    each motor command; 0 for none), ``reward`` (None: the steering's own,
    "quality"; or "performance_error"), ``feedback_syllable`` (None: no
    distorted feedback; or a syllable index), ``feedback_threshold`` (Hz;
    None: the tutor's pitch of that syllable), ``feedback_side`` ("below" |
    "above": where the noise falls), ``feedback_probability`` (1.0),
    ``noise_level`` (1.0). ``env.unwrapped.body.set_feedback(syllable,
    threshold, side, probability)`` changes the contingency mid-life
    (``threshold`` may be one pitch per body; ``None`` switches it off).

    ## Experiments and papers
    - copy the tutor: Fiete, Fee & Seung 2007, J Neurophysiol 98:2038:
      random perturbation and a scalar reward from an internal critic raise
      similarity from chance to high.
    - performance error: Gadagkar et al. 2016, Science 354:1278: negative
      after a distorted syllable, positive when an expected distortion fails
      to occur, scaled by distortion probability (``feedback_probability``).
    - pitch-contingent noise: Tumer & Brainard 2007, Nature 450:1240: the
      targeted syllable's pitch moves away from the noise, others do not;
      Andalman & Fee 2009: it begins within hours; it drifts back when the
      noise stops (``set_feedback(None)``).
    - isolate: ``SongbirdSteering(template_source="innate")`` with
      ``sensory_bouts=0`` sings toward the species template.

    ## Version History
    - v0: initial release.
    """

    body_class = SongbirdBody
    metadata = {"render_modes": ["human", "rgb_array"], "render_fps": 8}

    def step(self, action: Any) -> tuple[Any, float, bool, bool, dict[str, Any]]:
        out = super().step(action)
        if self.render_mode == "human" and int(self.body.clock[0]) == 0:
            from brainlike.envs.audio import play, synthesize_bout

            # The bout just finished: play what the bird heard (the tutor's song in the sensory phase).
            who = "tutor" if bool(self.body.heard_tutor[0]) else "bird"
            play(synthesize_bout(*self.body.bout(0, who)))
        return out

    def write_song(self, path: str | Path, who: str = "bird", sample_rate: int = 22050) -> Path:
        """Write the tutor's song or the bird's latest bout as a WAV file a person can play."""
        return self.body.write_song(path, who, 0, sample_rate)


class SongbirdTutorVectorEnv(BodyVectorEnv):
    """N juvenile songbirds in one numpy step (see ``SongbirdTutorEnv``)."""

    body_class = SongbirdBody
    metadata = {**BodyVectorEnv.metadata, "render_fps": 8}


# --- the agent side of this body (read through brainlike.envs.profile.profile_for) ---
from brainlike.envs.profile import BodyProfile  # noqa: E402  (appended block: the profile sits beside the body)

PROFILE = BodyProfile(
    env_id="brainlike/SongbirdTutor-v0",
    learner_defaults={
        "pattern-separation": {"inputs": ["exteroception"], "init_log_std": -1.0},
        # RA reads the HVC-like song clock: the first num_syllables exteroceptive lines.
        # Juvenile babble first (large LMAN noise finds the slope of the narrow evaluator),
        # then refinement: the juvenile schedule of the tutor-learning experiment, in updates.
        "node-perturbation": {"inputs": ["exteroception"], "input_dims": [0, 1, 2, 3], "noise_std": 0.6,
                              "noise_end": 0.05, "lr": 3.0, "lr_end": 0.5, "maturation": 2000},
    },
    # Node perturbation makes one weight step per env step, whatever the batch: fewer bodies, more steps.
    training_bodies={"node-perturbation": 8},
    sb3_algorithms=("sac", "td3", "ppo"),
    benchmark_steps=40_000,
    # The default draws a new tutor every life (a bird must copy *its* tutor), which no
    # amount of learning across lives can beat; the benchmark gives every life the same
    # tutor, so learning across lives is learning that tutor's song.
    benchmark_env_kwargs={"tutor_song": song_from_motor(EXAMPLE_TUTOR_MOTOR).round(6).tolist()},
    demo_steps=20_000,
    demo_baseline="ppo",  # the cheapest of the three per step; SAC and TD3 run with --full
    showcase_agent="node-perturbation",
    experiments=("tutor-learning", "performance-error", "pitch-shift"),
    demo_experiments=("performance-error",),  # the steering's evaluator; the rest run with `brainlike experiment`
    # Property-test setting: short lives, with the distorted auditory feedback on.
    property_settings=(
        {"num_syllables": 3, "sensory_bouts": 1, "feedback_syllable": 0, "feedback_probability": 0.5},
    ),
)

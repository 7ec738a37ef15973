"""SongbirdTutor-v0: a juvenile hears its tutor, then learns to sing by trial and error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from gymnasium import spaces

from brainlike.envs.contract import Layout, StateVar, check_arguments, integer, real
from brainlike.envs.core import BodyEnv, BodyVectorEnv
from brainlike.envs.kernel import CompiledBody, constants, end_step
from brainlike.envs.rng import uniform_row
from brainlike.envs.syrinx import (
    EXAMPLE_TUTOR_MOTOR,
    MOTOR_NAMES,
    NUM_MOTOR,
    TUTOR_MOTOR_RANGE,
    draw_sonogram,
    execute,
    sing,
    song_from_motor,
    syrinx,
    tutor_as_heard,
)
from brainlike.steering.base import NO_REFLEX, Steering
from brainlike.steering.compiled import jit
from brainlike.steering.songbird import (
    FEATURES,
    MAX_SYLLABLES,
    NOISE,
    PITCH,
    REWARD_SIGNALS,
    SIGNALS,
    SongbirdSteering,
    SongEvents,
    SongOutput,
    physical_pitch,
    song_evaluate,
    to_physical,
)

SIDES = ("below", "above")
TRACE = 120  # performance errors kept for the rendered trace
_RANDOMS_PER_STEP = NUM_MOTOR + 1  # motor noise (a Box-Muller pair per two muscles), the feedback lottery
_LOTTERY = NUM_MOTOR
#: What ``info["song"]`` holds, each a field of the step record.
SONG_INFO = ("syllable", "tutor_sang", "sung", "pitch_hz", "heard", "distorted", "quality", "performance_error")
#: The step record's field of each of the evaluator's ``SIGNALS``: its "distorted" is a noise burst heard
#: (a float), the song's is the apparatus having fired (a burst at ``noise_level`` 0 is not heard).
_SIGNAL_FIELDS = {**{k: k for k in SIGNALS}, "distorted": "noise_heard"}


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


# --- the step, compiled: one loop over the bodies (see envs.kernel) -----------------------
@jit(allocates=False)
def song_step(state, streams, elapsed, constants, steering_constants, template, expectation, actions, out, u):  # type: ignore[no-untyped-def]
    """One syllable of every bird: ``state`` (records), the counter RNG's ``streams``, the body's
    ``constants``, the evaluator's constants and state (``template``, ``expectation``); the
    results go to ``out`` (one ``step_record`` per body). ``u`` is scratch for a bird's uniforms
    (the body's buffer): the kernel allocates nothing, so no array in it is reference counted."""
    c, sc = constants[0], steering_constants[0]
    for b in range(state.shape[0]):
        uniform_row(streams, b, u)  # first and unconditionally: the stream never depends on events
        s, o = state[b], out[b]
        # Element by element, and executed from the record's copy: a row view of ``actions`` (or a
        # slice assignment, which allocates a temporary) would cost more than the rest of the bookkeeping.
        command = o["executed"]
        for j in range(NUM_MOTOR):
            command[j] = actions[b, j]
        sung = o["event_sung"]
        sing(execute(command, u, c["motor_noise"], s["motor"]), sung)
        syllable = s["clock"]
        sensory = s["bouts"] < c["sensory_bouts"]
        pitch_hz = physical_pitch(sung[PITCH])
        # The experimenter's apparatus: a noise burst on renditions of one syllable on one side of a pitch.
        side = pitch_hz < s["threshold_hz"] if c["feedback_below"] else pitch_hz > s["threshold_hz"]
        hit = syllable == c["feedback_syllable"] and side and u[_LOTTERY] < c["feedback_probability"] and not sensory
        heard = s["heard"]
        for f in range(4):
            heard[f] = s["tutor"][syllable, f] if sensory else sung[f]
        heard[NOISE] = c["noise_level"] if hit else 0.0
        s["heard_tutor"] = sensory
        s["renditions"] += not sensory
        s["distorted"] += hit

        quality, o["event_expectation"], error, o["event_noise_heard"], o["event_self_sung"], o["reward"] = song_evaluate(
            sc, template, expectation, b, heard, syllable, sensory)
        if not sensory:  # the bird's latest rendition of this syllable, and its verdict
            for f in range(NOISE + 1):
                s["bird_bout"][syllable, f] = heard[f]
            s["bout_quality"][syllable] = quality
            s["trace"][s["trace_len"] % TRACE] = error
            s["trace_len"] += 1
        s["clock"] = (syllable + 1) % c["num_syllables"]
        s["bouts"] += s["clock"] == 0

        o["overrode"], o["reason"], o["terminated"] = False, NO_REFLEX, False  # a songbird here has no reflexes
        o["truncated"] = end_step(elapsed, b, c["max_steps"])
        o["event_syllable"], o["event_tutor_sang"], o["event_pitch_hz"], o["event_distorted"] = syllable, sensory, pitch_hz, hit
        for f in range(NOISE + 1):
            o["event_heard"][f] = heard[f]
        o["event_quality"], o["event_performance_error"] = quality, error


@jit
def song_observe(state, constants, extero, intero):  # type: ignore[no-untyped-def]
    """Every bird's observation into ``extero`` and ``intero`` (float32)."""
    c = constants[0]
    for b in range(state.shape[0]):
        s = state[b]
        extero[b, :] = 0.0
        extero[b, c["clock_start"] + s["clock"]] = 1.0  # the HVC-like clock: the syllable sung next
        for f in range(NOISE + 1):
            extero[b, c["heard_start"] + f] = s["heard"][f]
        extero[b, c["heard_tutor"]] = s["heard_tutor"]
        extero[b, c["sensory_phase"]] = s["bouts"] < c["sensory_bouts"]
        for j in range(NUM_MOTOR):
            intero[b, j] = s["motor"][j]


class SongbirdBody(CompiledBody[None, SongEvents]):
    """The batched world of SongbirdTutor-v0 (see ``SongbirdTutorEnv`` for the documentation).

    Its step is the compiled ``song_step``; its observation ``song_observe``.
    """

    default_steering = SongbirdSteering
    randoms_per_step = _RANDOMS_PER_STEP
    events = (("syllable", np.int64), ("tutor_sang", np.bool_), ("sung", (np.float64, (4,))), ("pitch_hz", np.float64),
              ("heard", (np.float64, (NOISE + 1,))), ("distorted", np.bool_), ("quality", np.float64), ("performance_error", np.float64),
              ("expectation", np.float64), ("noise_heard", np.float64), ("self_sung", np.float64))
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
        given_tutor = None if tutor_song is None else tutor_as_heard(tutor_song)
        num_syllables = num_syllables if given_tutor is None else given_tutor.shape[0]
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
        self.given_tutor, self.sensory_bouts = given_tutor, int(sensory_bouts)
        self.motor_noise = float(motor_noise)
        self.noise_level = float(noise_level)
        self.randoms_per_life = num_syllables * NUM_MOTOR if self.given_tutor is None else 0  # a random tutor's commands
        # Exteroception: the HVC-like clock (one-hot, the syllable to sing next),
        # what was just heard (4 features + noise), heard-from-the-tutor, tutor-singing-next.
        self._build(
            song_layout(self.num_syllables),
            spaces.Box(0.0, 1.0, (self.num_syllables + 7,), np.float32),
            spaces.Box(-1.0, 1.0, (NUM_MOTOR,), np.float32),
            spaces.Box(-1.0, 1.0, (NUM_MOTOR,), np.float32),
        )
        self._steering_constants = self.species.constants  # the evaluator's constants, read once, here
        self._u = np.empty(_RANDOMS_PER_STEP)  # song_step's scratch: a bird's uniforms
        self.set_feedback(feedback_syllable, feedback_threshold, feedback_side, feedback_probability)

    # --- state, declared once: the core allocates it and returns it to birth values ---
    def state_table(self) -> dict[str, Any]:
        s = self.num_syllables
        # In the record in this order: what every step reads and writes first, together in a few
        # cache lines of the 1.5 kB; the arrays a step touches one row of (or none) after.
        return {
            "clock": StateVar((), np.int64),
            "bouts": StateVar((), np.int64),
            "heard": StateVar((5,)),
            "heard_tutor": StateVar((), bool),
            "motor": StateVar((NUM_MOTOR,)),
            "threshold_hz": StateVar(),
            "renditions": StateVar((), np.int64),
            "distorted": StateVar((), np.int64),
            "trace_len": StateVar((), np.int64),
            "bout_quality": StateVar((s,)),
            "bird_bout": StateVar((s, 5), np.float64, np.nan),  # the bird's latest rendition of each syllable, as heard
            "tutor": StateVar((s, 4)),  # perceptual units; drawn (or given) at birth
            "trace": StateVar((TRACE,)),  # a ring buffer, written at trace_len % TRACE
            "tutor_motor": StateVar((s, NUM_MOTOR), np.float64, np.nan),  # NaN for a user-given tutor
        }

    def set_feedback(self, syllable: int | None, threshold: float | np.ndarray | None = None, side: str = "below",
                     probability: float = 1.0) -> None:
        """Switch distorted auditory feedback on (a syllable index) or off (None), at any time.

        Renditions of ``syllable`` whose sung pitch lies on ``side`` of ``threshold`` (Hz, one for all
        bodies or one per body; None: the tutor's pitch of that syllable) are heard with a white-noise
        burst with ``probability``.
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
        lay = self.layout
        # The constants as the kernels read them, one record (-1: no syllable gets feedback).
        self._constants = constants((
            self.num_syllables, self.sensory_bouts, self.motor_noise, self.noise_level,
            -1 if syllable is None else int(syllable), side == "below", self.feedback_probability, self.max_steps,
            lay.slice("song_clock").start, lay.index("heard_pitch"), lay.index("heard_tutor"), lay.index("sensory_phase"),
        ), [
            ("num_syllables", np.int64), ("sensory_bouts", np.int64), ("motor_noise", np.float64),
            ("noise_level", np.float64), ("feedback_syllable", np.int64), ("feedback_below", np.bool_),
            ("feedback_probability", np.float64), ("max_steps", np.int64), ("clock_start", np.int64),
            ("heard_start", np.int64), ("heard_tutor", np.int64), ("sensory_phase", np.int64),
        ])

    def _update_threshold(self, bodies: np.ndarray) -> None:
        """The feedback threshold of ``bodies`` (a mask or row indices)."""
        if self.feedback_threshold is not None:
            self.threshold_hz[bodies] = self.feedback_threshold[bodies]
        elif self.feedback_syllable is not None:
            self.threshold_hz[bodies] = to_physical(self.tutor[bodies, self.feedback_syllable])[:, PITCH]

    def _reset_bodies(self, rows: np.ndarray, u: np.ndarray) -> None:
        if self.given_tutor is None:
            motor = TUTOR_MOTOR_RANGE * (2.0 * u - 1.0)
            self.tutor_motor[rows] = motor.reshape(len(rows), self.num_syllables, NUM_MOTOR)
            self.tutor[rows] = syrinx(self.tutor_motor[rows])
        else:
            self.tutor[rows] = self.given_tutor
        self._update_threshold(rows)

    # --- observation and step: the compiled kernels ---------------------------------
    def _observe(self) -> tuple[np.ndarray, np.ndarray]:
        extero = np.empty((self.num_bodies, self.num_syllables + 7), dtype=np.float32)
        intero = np.empty((self.num_bodies, NUM_MOTOR), dtype=np.float32)
        self._call(song_observe, self.state, self._constants, extero, intero)
        return extero, intero

    def _run_kernel(self, actions: np.ndarray, out: np.ndarray) -> None:
        st = self.species
        self._call(song_step, self.state, self._rng.streams, self.elapsed, self._constants, self._steering_constants,
                   st.template, st.parameters.values, actions, out, self._u)

    def _body_info(self, info: dict[str, Any], events: dict[str, Any]) -> None:
        """The evaluator's signals go to ``info["steering"]``, the song to ``info["song"]`` (batched or body 0's)."""
        signals = {k: events[f] for k, f in _SIGNAL_FIELDS.items()}
        out = info["steering"]
        # The reward as it reaches the learner (zero under a lesion) is the one component, named after its signal.
        if isinstance(out, dict):  # a single env's body 0, already a plain dict
            out["components"] = {self.species.reward_signal: out["reward"]}
            out["signals"] = signals
        else:
            info["steering"] = SongOutput(out.reward, {self.species.reward_signal: out.reward}, out.drives, out.reflex,
                                          out.reason_names, signals)
        info["song"] = {k: events[k] for k in SONG_INFO}

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
    def render_body(self, i: int, canvas: Any) -> None:
        pg, surf = canvas.pg, canvas.surface
        surf.fill((236, 232, 222))
        s = self.num_syllables
        sensory = bool(self.bouts[i] < self.sensory_bouts)
        last = (int(self.clock[i]) - 1) % s
        tutor, _ = self.bout(i, "tutor")
        bird, noise = self.bout(i, "bird")
        draw_sonogram(canvas, tutor, np.zeros(s), 10, "tutor", last if self.heard_tutor[i] else -1)
        draw_sonogram(canvas, bird, noise, 130, "bird", -1 if self.heard_tutor[i] else last)
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
    syllable (``steering.songbird.SyrinxMotor``): air-sac pressure, syringeal
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
    """N juvenile songbirds in one compiled step (see ``SongbirdTutorEnv``)."""

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

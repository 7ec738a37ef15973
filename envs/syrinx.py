"""The songbird's vocal organ: how a motor command becomes a sound the bird can hear, and its sonogram.

The muscles execute a command with noise (``execute``), the syrinx turns it into a sound (``sing``).

The syrinx is a fixed, nonlinear, coupled model the agent never sees (the
agent only hears what comes out). ``sing`` is written once, compiled, for one
syllable: SongbirdTutor's step kernel calls it for each bird, ``syrinx`` calls
it over any batch of commands (a tutor's song at birth, the experiments'
LMAN-off song).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from brainlike.envs.rng import gaussian_pair
from brainlike.steering.compiled import jit
from brainlike.steering.motor import names
from brainlike.steering.songbird import SyrinxMotor
from brainlike.steering.songbird import DURATION_RANGE_MS, FEATURES, MAX_SYLLABLES, PITCH_RANGE_HZ, to_perceptual, to_physical

#: The syrinx's motor command (``steering.songbird.SyrinxMotor``): air-sac pressure,
#: syringeal (labial) tension, beak gape, and the length of the expiratory pulse.
MOTOR_NAMES = names(SyrinxMotor)
NUM_MOTOR = len(MOTOR_NAMES)
#: Tutor songs are drawn from motor commands inside this box: a real tutor's
#: syllables lie within, not at, the edges of what a syrinx can do.
TUTOR_MOTOR_RANGE = 0.7


@jit
def execute(command, u, motor_noise, motor):  # type: ignore[no-untyped-def]
    """The muscles execute a (4,) ``command``: into ``motor``, with Gaussian noise of sd ``motor_noise``.

    The noise is drawn from 4 uniforms ``u``: one Box-Muller pair (``envs.rng.gaussian_pair``)
    gives two muscles their noise. Muscles saturate: the noisy command is clipped to what they
    can do, [-1, 1]. Returns ``motor``.
    """
    for j in range(0, NUM_MOTOR, 2):  # four muscles: two pairs
        first, second = gaussian_pair(u[j], u[j + 1])
        motor[j] = min(max(command[j] + motor_noise * first, -1.0), 1.0)
        motor[j + 1] = min(max(command[j + 1] + motor_noise * second, -1.0), 1.0)
    return motor


@jit
def sing(motor, out):  # type: ignore[no-untyped-def]
    """One (4,) motor command in [-1, 1] -> its (4,) acoustic features in perceptual units, into ``out``.

    Tension mostly sets pitch (pressure raises it a little, more so when
    tense); the phonation threshold rises with tension squared, so a tense
    syrinx needs more pressure to be loud; pressure enriches harmonics and a
    wide gape filters them out; the expiratory pulse sets duration, high
    pressure empties the air sacs sooner. Outputs lie in (0, 1).
    """
    p, k, g, e = motor[0], motor[1], motor[2], motor[3]
    out[0] = 1.0 / (1.0 + math.exp(-(2.4 * k + 0.8 * p + 0.6 * k * p)))  # pitch
    out[1] = 1.0 / (1.0 + math.exp(-(2.2 * e - 0.5 * p)))  # duration
    out[2] = 1.0 / (1.0 + math.exp(-(2.5 * p - 2.0 * g + 0.5)))  # spectral shape
    out[3] = 1.0 / (1.0 + math.exp(-(3.0 * p - 1.2 * k * k + 1.0)))  # amplitude


@jit
def _sing_rows(motor, out):  # type: ignore[no-untyped-def]
    for i in range(motor.shape[0]):
        sing(motor[i], out[i])


def syrinx(motor: np.ndarray) -> np.ndarray:
    """(..., 4) motor commands in [-1, 1] -> (..., 4) acoustic features in perceptual units (see ``sing``).

    One syllable at a time, never a matrix product: body i must sound the same
    alone or in a batch of 1024.
    """
    m = np.asarray(motor, dtype=np.float64)
    if m.ndim == 0 or m.shape[-1] != NUM_MOTOR:
        raise ValueError(f"motor commands must be (..., {NUM_MOTOR}) {MOTOR_NAMES}, got shape {m.shape}")
    rows = np.ascontiguousarray(m.reshape(-1, NUM_MOTOR))
    out = np.empty_like(rows)
    _sing_rows(rows, out)
    return out.reshape(m.shape)


def song_from_motor(commands: np.ndarray) -> np.ndarray:
    """The (syllables, 4) physical song a noiseless syrinx makes of (syllables, 4) motor commands.

    Use it to give every life the same tutor (``tutor_song=...``), as one
    father sings to a bird all through its development.
    """
    return to_physical(syrinx(np.asarray(commands, dtype=np.float64)))


def tutor_as_heard(tutor_song: np.ndarray) -> np.ndarray:
    """A given tutor's (syllables, 4) physical song (Hz, ms, 0-1, 0-1) in perceptual units, checked to lie in the syrinx's range."""
    tutor = np.array(tutor_song, dtype=np.float64)
    if tutor.ndim != 2 or tutor.shape[1] != 4 or not 1 <= tutor.shape[0] <= MAX_SYLLABLES:
        raise ValueError(f"tutor_song must be (syllables <= {MAX_SYLLABLES}, 4) physical features {FEATURES}, got shape {tutor.shape}")
    lo = np.array([PITCH_RANGE_HZ[0], DURATION_RANGE_MS[0], 0.0, 0.0])
    hi = np.array([PITCH_RANGE_HZ[1], DURATION_RANGE_MS[1], 1.0, 1.0])
    if not np.all(np.isfinite(tutor)) or np.any(tutor < lo) or np.any(tutor > hi):
        raise ValueError(f"tutor_song features must lie in pitch {PITCH_RANGE_HZ} Hz, duration {DURATION_RANGE_MS} ms, shape and amplitude [0, 1]")
    return to_perceptual(tutor)


#: One fixed tutor (motor commands inside the tutor range): the benchmark's song.
EXAMPLE_TUTOR_MOTOR = np.array(
    [[0.5, -0.4, 0.2, 0.3], [-0.3, 0.6, -0.5, -0.2], [0.6, 0.1, 0.4, -0.6], [-0.1, -0.6, -0.3, 0.5]]
)


def draw_sonogram(canvas: Any, features: np.ndarray, noise: np.ndarray, top: int, label: str, current: int) -> None:
    """Draw a bout as a sonogram on a pygame ``canvas``: each syllable a harmonic stack (its pitch's
    multiples up to 8 kHz, fading with its spectral shape), a heard noise burst grey at every
    frequency; syllable ``current`` outlined."""
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


__all__ = ["EXAMPLE_TUTOR_MOTOR", "MOTOR_NAMES", "NUM_MOTOR", "TUTOR_MOTOR_RANGE", "draw_sonogram", "execute", "sing", "song_from_motor", "syrinx", "tutor_as_heard"]

"""The songbird's vocal organ: how a motor command becomes a sound the bird can hear.

The syrinx is a fixed, nonlinear, coupled model the agent never sees (the
agent only hears what comes out). ``sing`` is written once, compiled, for one
syllable: SongbirdTutor's step kernel calls it for each bird, ``syrinx`` calls
it over any batch of commands (a tutor's song at birth, the experiments'
LMAN-off song).
"""

from __future__ import annotations

import math

import numpy as np

from brainlike.steering.compiled import jit
from brainlike.steering.motor import SyrinxMotor, names
from brainlike.steering.songbird import to_physical

#: The syrinx's motor command (``steering.motor.SyrinxMotor``): air-sac pressure,
#: syringeal (labial) tension, beak gape, and the length of the expiratory pulse.
MOTOR_NAMES = names(SyrinxMotor)
NUM_MOTOR = len(MOTOR_NAMES)
#: Tutor songs are drawn from motor commands inside this box: a real tutor's
#: syllables lie within, not at, the edges of what a syrinx can do.
TUTOR_MOTOR_RANGE = 0.7


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


#: One fixed tutor (motor commands inside the tutor range): the benchmark's song.
EXAMPLE_TUTOR_MOTOR = np.array(
    [[0.5, -0.4, 0.2, 0.3], [-0.3, 0.6, -0.5, -0.2], [0.6, 0.1, 0.4, -0.6], [-0.1, -0.6, -0.3, 0.5]]
)

__all__ = ["EXAMPLE_TUTOR_MOTOR", "MOTOR_NAMES", "NUM_MOTOR", "TUTOR_MOTOR_RANGE", "sing", "song_from_motor", "syrinx"]

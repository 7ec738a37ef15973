"""The barn owl's senses: the population codes its tectum reads (BarnOwl-v0).

Two retinotopic visual populations, one tuned to where the image falls in
azimuth and one in elevation, and two auditory ones, tuned to the
interaural time difference (ITD, which codes azimuth) and to the interaural
level difference (ILD, which the owl's asymmetric ears make code elevation).
Each unit has a Gaussian tuning curve around its preferred value; an absent
stimulus (NaN) gives zeros. Directions and sounds are (bodies, 2) arrays in
the columns ``AZIMUTH`` and ``ELEVATION`` (a sound: ITD, ILD).
"""

from __future__ import annotations

import numpy as np

from brainlike.steering.owl import AZIMUTH, ELEVATION, ILD_MAX_DB, ITD_MAX_US, filled

#: The visual field (half-widths, degrees) and the two retinotopic populations that cover it,
#: one tuned to the image's azimuth and one to its elevation.
VISUAL_FIELD_DEG = 90.0
VISUAL_ELEVATION_FIELD_DEG = 60.0
VISUAL_PREFERRED_DEG = np.arange(-VISUAL_FIELD_DEG, VISUAL_FIELD_DEG + 1e-9, 5.0)
VISUAL_ELEVATION_PREFERRED_DEG = np.arange(-VISUAL_ELEVATION_FIELD_DEG, VISUAL_ELEVATION_FIELD_DEG + 1e-9, 5.0)
VISUAL_TUNING_DEG = 5.0
#: The ITD-tuned and the ILD-tuned populations: preferred cues across the physical range, tuned as wide as their spacing.
AUDITORY_PREFERRED_US = np.linspace(-ITD_MAX_US, ITD_MAX_US, 25)
AUDITORY_TUNING_US = float(AUDITORY_PREFERRED_US[1] - AUDITORY_PREFERRED_US[0])
ILD_PREFERRED_DB = np.linspace(-ILD_MAX_DB, ILD_MAX_DB, 25)
ILD_TUNING_DB = float(ILD_PREFERRED_DB[1] - ILD_PREFERRED_DB[0])


def population_code(x: np.ndarray, preferred: np.ndarray, tuning: float) -> np.ndarray:
    """(bodies, units) a Gaussian-tuned population's response to (bodies,) values (zeros where NaN: no stimulus)."""
    return np.exp(-0.5 * ((filled(x, 1e6)[:, None] - preferred[None, :]) / tuning) ** 2)


def visual_code(retinal_deg: np.ndarray) -> np.ndarray:
    """(bodies, units) the retinotopic azimuth population's response to an image's (bodies, 2) retinal place."""
    return population_code(retinal_deg[:, AZIMUTH], VISUAL_PREFERRED_DEG, VISUAL_TUNING_DEG)


def visual_elevation_code(retinal_deg: np.ndarray) -> np.ndarray:
    """(bodies, units) the retinotopic elevation population's response to an image's (bodies, 2) retinal place."""
    return population_code(retinal_deg[:, ELEVATION], VISUAL_ELEVATION_PREFERRED_DEG, VISUAL_TUNING_DEG)


def auditory_code(sound: np.ndarray) -> np.ndarray:
    """(bodies, units) the ITD-tuned population's response to a (bodies, 2) (ITD, ILD) sound."""
    return population_code(sound[:, AZIMUTH], AUDITORY_PREFERRED_US, AUDITORY_TUNING_US)


def ild_code(sound: np.ndarray) -> np.ndarray:
    """(bodies, units) the ILD-tuned population's response to a (bodies, 2) (ITD, ILD) sound."""
    return population_code(sound[:, ELEVATION], ILD_PREFERRED_DB, ILD_TUNING_DB)

"""The barn owl's senses: the population codes its tectum reads (BarnOwl-v0).

Two retinotopic visual populations, one tuned to where the image falls in
azimuth and one in elevation, and two auditory ones, tuned to the
interaural time difference (ITD, which codes azimuth) and to the interaural
level difference (ILD, which the owl's asymmetric ears make code elevation).
Each unit has a Gaussian tuning curve around its preferred value; an absent
stimulus (NaN) gives zeros. ``population_code`` is compiled: BarnOwl's
``owl_observe`` calls it for each owl and each population.
"""

from __future__ import annotations

import numpy as np

from brainlike.steering.compiled import jit
from brainlike.steering.owl import ILD_MAX_DB, ITD_MAX_US

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


@jit
def population_code(x, preferred, tuning, out):  # type: ignore[no-untyped-def]
    """A Gaussian-tuned population's response to the value ``x`` into ``out`` (one unit per ``preferred`` value; zeros where NaN: no stimulus).

    Each unit costs one ``exp``, computed in float64 and rounded into ``out`` (float32).
    """
    if np.isnan(x):
        out[:] = 0.0
        return
    for k in range(preferred.shape[0]):
        d = (x - preferred[k]) / tuning
        out[k] = np.exp(-0.5 * (d * d))

"""The barn owl's senses: the population codes its tectum reads (BarnOwl-v0).

Two retinotopic visual populations, one tuned to where the image falls in
azimuth and one in elevation, and two auditory ones, tuned to the
interaural time difference (ITD, which codes azimuth) and to the interaural
level difference (ILD, which the owl's asymmetric ears make code elevation).
Each unit has a Gaussian tuning curve around its preferred value; an absent
stimulus (NaN) gives zeros. ``population_code`` is compiled and pasted into BarnOwl's
``owl_observe`` (inlined: no reference counting of ``out`` per owl and population).
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
#: A unit this many tunings or more from the stimulus responds at most 2**-151, half of 2**-150 (below which
#: float32 rounds to zero): a float32 zero, with room to spare for the recurrence's rounding.
SILENT_TUNINGS = float(np.sqrt(2.0 * 151.0 * np.log(2.0)))


@jit(inline=True)
def population_code(x, preferred, tuning, out):  # type: ignore[no-untyped-def]
    """A Gaussian-tuned population's response to the value ``x`` into ``out`` (one unit per ``preferred`` value,
    evenly spaced; zeros where NaN: no stimulus).

    Unit k's response is g(k) = exp(-d(k)^2 / 2), d(k) = (x - preferred[k]) / tuning. With the units
    ``a`` tunings apart, the ratio of neighbours is itself a Gaussian step: going outward from the unit
    nearest ``x``, g(k+1) = g(k) r(k) with r(k+1) = r(k) q, q = exp(-a^2) (and mirrored downward).
    The first downward ratio is q over the first upward one (their product is q): a division, not a
    third ``exp``. So a population costs two ``exp`` (q is a compile-time constant) instead of one per
    unit; beyond ``SILENT_TUNINGS`` it writes zeros. The recurrence runs in float64 from the nearest
    unit (whose value is exactly the direct one), so its rounding error (tens of float64 ULPs at the
    map's far edge) reaches the float32 response only when the exact value lies that close to a float32
    rounding boundary: then it differs from the direct ``exp`` by one float32 ULP
    (tests/test_owl_senses.py measures how often). Every ratio is below 1, so the responses only shrink
    outward and never overflow; where the direct response underflows to a float32 zero, so does this one.
    """
    if np.isnan(x):
        out[:] = 0.0
        return
    n = preferred.shape[0]
    spacing = (preferred[n - 1] - preferred[0]) / (n - 1)
    a = spacing / tuning
    q = np.exp(-(a * a))
    nearest = int(min(max(np.floor((x - preferred[0]) / spacing + 0.5), 0.0), n - 1.0))
    d = (x - preferred[nearest]) / tuning
    g_nearest = np.exp(-0.5 * (d * d))
    out[nearest] = g_nearest
    # The units are indexed unsigned: numba then leaves out the wraparound of a negative index,
    # three instructions of the six each unit costs (the population codes run a tenth faster).
    # A unit j units from the nearest lies at least (j - 1/2) a tunings from x: from ``silent`` units on, every
    # response is a float32 zero, written as one without running the recurrence there (about a fifth of them).
    silent = int(np.ceil(SILENT_TUNINGS / a + 0.5))
    # Upward, d falls by a per unit: g(k+1) / g(k) = exp(a d(k) - a^2 / 2).
    upward = np.exp(a * d - 0.5 * (a * a))
    g, r = g_nearest, upward
    top = np.uint64(min(nearest + silent, n))
    for k in range(np.uint64(nearest + 1), top):
        g *= r
        out[k] = g
        r *= q
    for k in range(top, np.uint64(n)):
        out[k] = 0.0
    # Downward, d rises by a per unit: g(k-1) / g(k) = exp(-a d(k) - a^2 / 2) = q / upward. Below the first
    # unit there is none to go down to (and far below the map ``upward`` underflows to 0).
    g, r = g_nearest, (q / upward if nearest > 0 else 0.0)
    bottom = np.uint64(max(nearest - silent + 1, 0))
    k = np.uint64(nearest)
    while k > bottom:
        k -= np.uint64(1)
        g *= r
        out[k] = g
        r *= q
    for k in range(bottom):
        out[k] = 0.0

"""The owl's population codes: the Gaussian recurrence against one ``exp`` per unit, the code it replaced.

``population_code`` computes each unit's response g(k) = exp(-d(k)^2 / 2) by the exact recurrence
g(k+1) = g(k) r(k), r(k+1) = r(k) q from the unit nearest the stimulus outward, in float64, and rounds
into float32. The direct code computed one float64 ``exp`` per unit and rounded it the same way. The
two float64 values differ by some tens of float64 ULPs at most, so the float32 responses differ only
where the exact value lies that close to a float32 rounding boundary: by one float32 ULP, on a few
responses in ten million (measured below). The goldens of tests/test_kernels_owl.py are unchanged.
"""

from __future__ import annotations

import numpy as np
import pytest

from brainlike.envs.owl_senses import (
    AUDITORY_PREFERRED_US,
    AUDITORY_TUNING_US,
    ILD_PREFERRED_DB,
    ILD_TUNING_DB,
    VISUAL_ELEVATION_PREFERRED_DEG,
    VISUAL_PREFERRED_DEG,
    SILENT_TUNINGS,
    VISUAL_TUNING_DEG,
    population_code,
)
from brainlike.steering.compiled import jit

POPULATIONS = {
    "visual_azimuth": (VISUAL_PREFERRED_DEG, VISUAL_TUNING_DEG),
    "visual_elevation": (VISUAL_ELEVATION_PREFERRED_DEG, VISUAL_TUNING_DEG),
    "auditory_itd": (AUDITORY_PREFERRED_US, AUDITORY_TUNING_US),
    "auditory_ild": (ILD_PREFERRED_DB, ILD_TUNING_DB),
}
#: Responses of the dense grid below allowed to differ from the direct code's (each by one float32 ULP):
#: measured 0, 0, 1 and 3 (ILD) of about 1.4 million nonzero responses per population, the same with
#: the first downward ratio taken as q / (first upward ratio) as with its own ``exp`` (on this grid the two
#: recurrences differ on none of the 22 million responses, measured).
AT_MOST_DIFFERING = 4
GRID_POINTS = 200_001


@jit
def direct_population_code(x, preferred, tuning, out):  # type: ignore[no-untyped-def]
    """The code the recurrence replaced: one float64 ``exp`` per unit, rounded into ``out``."""
    if np.isnan(x):
        out[:] = 0.0
        return
    for k in range(preferred.shape[0]):
        d = (x - preferred[k]) / tuning
        out[k] = np.exp(-0.5 * (d * d))


@jit
def both_codes(stimuli, preferred, tuning, direct, recurrence):  # type: ignore[no-untyped-def]
    for i in range(stimuli.shape[0]):
        direct_population_code(stimuli[i], preferred, tuning, direct[i])
        population_code(stimuli[i], preferred, tuning, recurrence[i])


def dense_stimuli(preferred: np.ndarray, tuning: float) -> np.ndarray:
    """Two hundred thousand stimuli from 40 tunings below the map to 40 above (every response underflows to 0 out
    there), every preferred value (the map's edges among them), every midpoint (where the nearest unit flips)."""
    grid = np.linspace(preferred[0] - 40.0 * tuning, preferred[-1] + 40.0 * tuning, GRID_POINTS)
    return np.concatenate([grid, preferred, (preferred[1:] + preferred[:-1]) / 2.0])


@pytest.mark.parametrize("name", sorted(POPULATIONS))
def test_the_recurrence_is_the_direct_exp_within_one_float32_ulp_on_a_dense_grid(name):
    preferred, tuning = POPULATIONS[name]
    stimuli = dense_stimuli(preferred, tuning)
    direct = np.empty((len(stimuli), len(preferred)), np.float32)
    recurrence = np.empty_like(direct)
    both_codes(stimuli, preferred, tuning, direct, recurrence)
    # Responses are >= 0, so their float32 bit patterns order as their values: the difference counts ULPs.
    ulps = np.abs(direct.view(np.int32).astype(np.int64) - recurrence.view(np.int32))
    assert ulps.max() <= 1, f"{name}: {ulps.max()} float32 ULPs at stimulus {stimuli[ulps.max(axis=1).argmax()]!r}"
    assert np.count_nonzero(ulps) <= AT_MOST_DIFFERING, f"{name}: {np.count_nonzero(ulps)} responses differ"
    # The tiny ones: the same zeros (float32 underflow) and the same float32 subnormals, bit for bit.
    np.testing.assert_array_equal(recurrence == 0.0, direct == 0.0)
    tiny = (direct > 0.0) & (direct < np.finfo(np.float32).tiny)
    assert tiny.sum() > 10_000, "the grid must reach the responses that underflow"
    np.testing.assert_array_equal(recurrence[tiny], direct[tiny])
    # And the grid reaches the strong responses too: each unit at its own preferred value responds 1.
    at_preferred = recurrence[GRID_POINTS:GRID_POINTS + len(preferred)]
    np.testing.assert_array_equal(np.diagonal(at_preferred), 1.0)


@pytest.mark.parametrize("name", sorted(POPULATIONS))
def test_no_stimulus_silences_the_whole_population(name):
    preferred, tuning = POPULATIONS[name]
    out = np.full(len(preferred), 0.5, np.float32)
    population_code(np.nan, preferred, tuning, out)
    np.testing.assert_array_equal(out, 0.0)


def test_a_stimulus_far_off_the_map_gives_zeros_not_overflow():
    """Outside the map the nearest unit is the edge one; every ratio outward is still below 1."""
    out = np.empty(len(VISUAL_PREFERRED_DEG), np.float32)
    for x in (-1e6, -400.0, 400.0, 1e6):
        population_code(x, VISUAL_PREFERRED_DEG, VISUAL_TUNING_DEG, out)
        np.testing.assert_array_equal(out, 0.0)
    population_code(95.0, VISUAL_PREFERRED_DEG, VISUAL_TUNING_DEG, out)
    assert out[-1] == np.float32(np.exp(-0.5)) and np.all(np.diff(out) >= 0.0)


def test_the_recurrence_stops_where_every_response_is_a_float32_zero():
    """``population_code`` writes zeros from ``SILENT_TUNINGS`` on without running the recurrence: there the
    direct response is a float32 zero even nearly doubled (room for the recurrence's rounding), and a tuning
    nearer it is not (the cut is where the code falls silent, not before)."""
    silent = np.exp(-0.5 * SILENT_TUNINGS**2)
    assert np.float32(1.99 * silent) == 0.0
    assert np.float32(np.exp(-0.5 * (SILENT_TUNINGS - 1.0) ** 2)) > 0.0
    # A stimulus at the first unit: the far end of the visual map, 36 tunings off, is cut; its neighbours are written.
    out = np.full(len(VISUAL_PREFERRED_DEG), np.nan, np.float32)
    population_code(VISUAL_PREFERRED_DEG[0], VISUAL_PREFERRED_DEG, VISUAL_TUNING_DEG, out)
    assert not np.isnan(out).any() and out[0] == 1.0 and out[14] > 0.0 and np.all(out[15:] == 0.0)

"""The statistics every report of the Learning Subsystem uses, in one place.

The benchmark aggregates seeds with a bootstrap interval and the interquartile
mean; the experiments judge proportions with a Wilson interval and monotone
trends with a Spearman rank correlation.

Why plain numpy and not ``scipy.stats`` or ``rliable``: the experiments' and
the benchmark's published numbers at seed 0 are reproduced bit for bit by these
exact resampling draws (``rliable`` uses a stratified bootstrap and
``scipy.stats.bootstrap`` a BCa interval by default, which give other numbers);
``scipy.stats.spearmanr`` returns NaN, not 0, for a constant input; and neither
is installed by the ``[agents]`` extra, so each ten-line function here would
cost a large dependency.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

ArrayLike = Sequence[float] | np.ndarray


def bootstrap_ci(x: ArrayLike, n_boot: int = 2000, rng: np.random.Generator | int = 0) -> tuple[float, float]:
    """95% percentile-bootstrap interval of the mean of ``x`` (flattened).

    ``rng`` is a generator (its stream advances) or a seed. With fewer than two
    values the interval collapses to the mean (NaN for no values).
    """
    x = np.asarray(x, dtype=float).ravel()
    if len(x) < 2:
        return (float(x.mean()), float(x.mean())) if len(x) else (float("nan"), float("nan"))
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    means = x[gen.integers(0, len(x), size=(n_boot, len(x)))].mean(axis=1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def iqm(x: ArrayLike) -> float:
    """Interquartile mean: the mean of the middle 50% (Agarwal et al. 2021)."""
    x = np.sort(np.asarray(x, dtype=float))
    n = len(x)
    if n == 0:
        return float("nan")
    lo, hi = int(np.floor(0.25 * n)), int(np.ceil(0.75 * n))
    return float(x[lo:hi].mean()) if hi > lo else float(x.mean())


def proportion_ci(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson 95% interval of a proportion (``(0, 1)`` when nothing was observed)."""
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got successes={successes}, n={n}")
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return (float(centre - half), float(centre + half))


def _ranks(a: ArrayLike) -> np.ndarray:
    """Ranks from 0, ties sharing their mean rank."""
    a = np.asarray(a, dtype=float)
    order = np.argsort(a, kind="stable")
    r = np.empty(len(a))
    r[order] = np.arange(len(a), dtype=float)
    for v in np.unique(a):
        r[a == v] = r[a == v].mean()
    return r


def spearman(x: ArrayLike, y: ArrayLike) -> float:
    """Spearman rank correlation (average ranks for ties); 0 when either input is constant."""
    if len(x) != len(y):
        raise ValueError(f"spearman needs paired values, got {len(x)} and {len(y)}")
    rx, ry = _ranks(x), _ranks(y)
    if rx.std() == 0 or ry.std() == 0:
        return 0.0
    return float(np.corrcoef(rx, ry)[0, 1])


__all__ = ["bootstrap_ci", "iqm", "proportion_ci", "spearman"]

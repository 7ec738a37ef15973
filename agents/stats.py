"""The statistics every report of the Learning Subsystem uses, in one place.

The benchmark aggregates seeds with a bootstrap interval and the interquartile
mean; the experiments judge proportions with a Wilson interval, monotone trends
with a Spearman rank correlation, and their claims with one-sided tests whose
verdicts get stricter in the right direction as data accumulate:

- ``greater``: "x is larger than y (or than a margin)": a one-sided Welch t test;
- ``not_greater``: "x is at most y + margin" (at chance, no better than the
  control): a non-superiority test with a stated margin. CI inclusion is not
  used for such claims, because a two-sided interval shrinks with more data and
  then rejects a learner a hair below chance;
- ``equivalent``: "x is unchanged from y within a margin": two one-sided tests;
- ``proportion_greater`` / ``proportion_not_greater``: the same claims for
  counts (a rate of flight, survival, conditioned responses), judged on
  Newcombe's score interval of a difference of proportions.

``sample_size`` says how many individuals an arm needs for such a test to pass
with a stated power when its claim is true: the experiments size their removal
arms with it from a pilot's spread, so a true "the effect breaks" is not failed
by sampling noise on one seed in five.

Why plain numpy for the bootstrap and not ``rliable`` or
``scipy.stats.bootstrap``: the benchmark's published numbers are reproduced bit
for bit by these exact resampling draws (``rliable`` uses a stratified
bootstrap and ``scipy.stats.bootstrap`` a BCa interval by default, which give
other numbers); ``scipy.stats.spearmanr`` returns NaN, not 0, for a constant
input. The t and normal quantiles come from ``scipy.stats`` (the ``[agents]``
extra), imported only when a test is run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class TestOutcome:
    """A one-sided claim about a difference, tested.

    ``estimate`` is the measured difference (mean of x minus mean of y, or minus
    nothing in a one-sample test); ``bound`` is its one-sided 95% confidence
    bound on the side the claim needs (the lower bound for "greater", the upper
    bound for "not greater"; for "equivalent" the larger of the two bounds'
    distances from zero); the claim holds when the bound clears the margin,
    which is also when ``p_value < alpha``.
    """

    claim: str
    estimate: float
    bound: float
    p_value: float
    passed: bool

    def describe(self) -> str:
        return f"{self.claim}: difference {self.estimate:.3g}, 95% bound {self.bound:.3g}, p={self.p_value:.2g}"


def _welch(x: ArrayLike, y: ArrayLike | None) -> tuple[float, float, float]:
    """Mean difference, its standard error and Welch-Satterthwaite degrees of freedom."""
    x = np.asarray(x, dtype=float).ravel()
    if len(x) < 2 or (y is not None and len(np.asarray(y).ravel()) < 2):
        raise ValueError(f"a t test needs at least 2 values per sample, got {len(x)}"
                         + ("" if y is None else f" and {len(np.asarray(y).ravel())}"))
    vx = x.var(ddof=1) / len(x)
    if y is None:
        return float(x.mean()), float(np.sqrt(vx)), float(len(x) - 1)
    y = np.asarray(y, dtype=float).ravel()
    vy = y.var(ddof=1) / len(y)
    se2 = vx + vy
    df = se2**2 / (vx**2 / (len(x) - 1) + vy**2 / (len(y) - 1)) if se2 > 0 else float(len(x) + len(y) - 2)
    return float(x.mean() - y.mean()), float(np.sqrt(se2)), float(df)


def _one_sided(diff: float, se: float, df: float, margin: float, above: bool, alpha: float, claim: str) -> TestOutcome:
    """H1: diff > margin (``above``) or diff < margin; a zero standard error decides exactly."""
    from scipy import stats

    if not np.isfinite(diff) or not np.isfinite(se):
        return TestOutcome(claim, diff, float("nan"), float("nan"), False)
    if se == 0:
        holds = diff > margin if above else diff < margin
        return TestOutcome(claim, diff, diff, 0.0 if holds else 1.0, bool(holds))
    t = (diff - margin) / se
    p = float(stats.t.sf(t, df) if above else stats.t.cdf(t, df))
    q = float(stats.t.ppf(1 - alpha, df))
    bound = diff - q * se if above else diff + q * se
    return TestOutcome(claim, diff, float(bound), p, p < alpha)


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 0.5:
        raise ValueError(f"alpha must be in (0, 0.5), got {alpha!r}")


def greater(x: ArrayLike, y: ArrayLike | None = None, margin: float = 0.0, alpha: float = 0.05) -> TestOutcome:
    """One-sided Welch t test that mean(x) - mean(y) > ``margin`` (mean(x) > ``margin`` without y)."""
    _check_alpha(alpha)
    diff, se, df = _welch(x, y)
    what = "mean" if y is None else "mean difference"
    return _one_sided(diff, se, df, margin, True, alpha, f"{what} > {margin:g}")


def not_greater(x: ArrayLike, y: ArrayLike | None = None, margin: float = 0.0, alpha: float = 0.05) -> TestOutcome:
    """Non-superiority: one-sided Welch t test that mean(x) - mean(y) < ``margin``.

    The claim "x is no better than y" (or "at chance", with y the chance
    values) with a stated margin: it passes when the upper 95% bound of the
    difference is below the margin, so more data make a true claim easier to
    show and a false one harder, unlike a two-sided interval that must contain 0.
    """
    _check_alpha(alpha)
    diff, se, df = _welch(x, y)
    what = "mean" if y is None else "mean difference"
    return _one_sided(diff, se, df, margin, False, alpha, f"{what} < {margin:g}")


def equivalent(x: ArrayLike, y: ArrayLike | None = None, margin: float = 0.1, alpha: float = 0.05) -> TestOutcome:
    """Two one-sided tests (TOST): |mean(x) - mean(y)| < ``margin`` ("unchanged" within a margin)."""
    _check_alpha(alpha)
    if not margin > 0:
        raise ValueError(f"an equivalence margin must be > 0, got {margin!r}")
    diff, se, df = _welch(x, y)
    lower = _one_sided(diff, se, df, -margin, True, alpha, "")
    upper = _one_sided(diff, se, df, margin, False, alpha, "")
    bound = max(abs(lower.bound), abs(upper.bound))
    return TestOutcome(f"|{'mean' if y is None else 'mean difference'}| < {margin:g}", diff, bound,
                       max(lower.p_value, upper.p_value), lower.passed and upper.passed)


def _newcombe(k1: int, n1: int, k2: int, n2: int, alpha: float) -> tuple[float, float, float]:
    """Difference p1 - p2 and its one-sided (1 - alpha) lower and upper Newcombe score bounds."""
    from scipy import stats

    for k, n in ((k1, n1), (k2, n2)):
        if n < 1 or not 0 <= k <= n:
            raise ValueError(f"need 0 <= successes <= n and n >= 1, got successes={k}, n={n}")
    z = float(stats.norm.ppf(1 - alpha))
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = proportion_ci(k1, n1, z)
    l2, u2 = proportion_ci(k2, n2, z)
    d = p1 - p2
    lower = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    upper = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, float(lower), float(upper)


def _z_p(d: float, margin: float, k1: int, n1: int, k2: int, n2: int, above: bool) -> float:
    """An approximate one-sided p-value (unpooled z); the verdict itself is the Newcombe bound's."""
    from scipy import stats

    p1, p2 = k1 / n1, k2 / n2
    se = np.sqrt(max(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2, 1e-12))
    z = (d - margin) / se
    return float(stats.norm.sf(z) if above else stats.norm.cdf(z))


def proportion_greater(k1: int, n1: int, k2: int, n2: int, margin: float = 0.0, alpha: float = 0.05) -> TestOutcome:
    """The rate k1/n1 exceeds k2/n2 by more than ``margin`` (Newcombe's lower bound > margin)."""
    _check_alpha(alpha)
    d, lower, _ = _newcombe(k1, n1, k2, n2, alpha)
    return TestOutcome(f"rate difference > {margin:g}", d, lower, _z_p(d, margin, k1, n1, k2, n2, True), lower > margin)


def proportion_not_greater(k1: int, n1: int, k2: int, n2: int, margin: float = 0.0,
                           alpha: float = 0.05) -> TestOutcome:
    """Non-superiority for rates: k1/n1 - k2/n2 < ``margin`` (Newcombe's upper bound < margin)."""
    _check_alpha(alpha)
    d, _, upper = _newcombe(k1, n1, k2, n2, alpha)
    return TestOutcome(f"rate difference < {margin:g}", d, upper, _z_p(d, margin, k1, n1, k2, n2, False), upper < margin)


def sample_size(sd: float, distance: float, alpha: float = 0.05, power: float = 0.99) -> int:
    """Individuals a one-sided test at level ``alpha`` needs to pass with probability ``power``.

    ``distance`` is how far the true mean lies from the margin on the passing
    side (margin - mean for ``not_greater``), ``sd`` the spread of one
    individual's value (of a paired difference, for a paired design). Normal
    approximation: n = ((z(1 - alpha) + z(power)) sd / distance)^2. With
    power 0.99 per seed, a true claim passes on all of five seeds with
    probability >= 0.95.
    """
    from scipy import stats

    _check_alpha(alpha)
    if not (sd > 0 and distance > 0 and 0 < power < 1):
        raise ValueError(f"need sd > 0, distance > 0 and 0 < power < 1, got sd={sd!r}, distance={distance!r}, power={power!r}")
    z = float(stats.norm.ppf(1 - alpha) + stats.norm.ppf(power))
    return int(np.ceil((z * sd / distance) ** 2))


__all__ = ["TestOutcome", "bootstrap_ci", "equivalent", "greater", "iqm", "not_greater", "proportion_ci",
           "proportion_greater", "proportion_not_greater", "sample_size", "spearman"]

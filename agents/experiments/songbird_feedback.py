"""Distorted auditory feedback on learning birds: ``performance-error`` (Gadagkar et al. 2016) and
``pitch-shift`` (Tumer & Brainard 2007).

Both start from adult birds that learned their tutor's song from the
steering's performance error (``songbird.raise_flock``). The same adults are
then copied into one cage per arm (same tutors, same brains), so every arm of
an experiment differs only in its manipulation. Statistics are per bird.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import numpy as np

from brainlike.agents.experiments.base import NOMINAL, Criterion, ExperimentResult, Scales
from brainlike.agents.experiments.songbird import S, TARGET, Flock, adult_schedule, raise_flock
from brainlike.agents.reporting import save_figure
from brainlike.agents.stats import TestOutcome, equivalent, greater, not_greater

#: A pitch threshold above every pitch the syrinx makes (Hz): with it, every rendition of the
#: targeted syllable is eligible for noise, which then falls at random with the set probability.
EVERY_RENDITION_HZ = 1e4
#: "Dip" and "burst" must exceed this in size (5% of a perfect syllable's quality); "absent" is below it.
DOPAMINE_MARGIN = 0.05
#: Distortion probabilities of the performance-error experiment (Gadagkar et al. used several).
PROBABILITIES = (0.2, 0.5, 0.8)
#: Pitch shifts, in units of each bird's baseline SD of that syllable: the effect must exceed 1 SD;
#: untargeted syllables must stay within 0.2 SD; "no directed shift" means within 0.5 SD (half the effect).
SHIFT_SD, UNTARGETED_SD, NO_SHIFT_SD = 1.0, 0.2, 0.5
#: A syllable sits at the syrinx's range limit when RA's command for pressure or tension (the
#: two that set pitch) is within 5% of saturation: the muscles clip its variability, so its
#: baseline SD collapses and a shift in SD units means nothing. Such syllables are counted and
#: reported in Hz, not averaged into the SD statistics.
RANGE_LIMIT = 0.95
PITCH_COMMANDS = (0, 1)  # pressure, tension (``SyrinxMotor``)
#: Learned birds in performance-error at the full budget. Its weakest rows are the dip at p = 0.8
#: and the burst at p = 0.2 (about -(1-p) q and p q): over seeds 0-4 with 8 birds, -0.121 and 0.125,
#: spreads 0.060 and 0.064, 0.07 past the 0.05 margin. All three p's must pass, so each at power
#: 0.997: ``sample_size(0.064, 0.07, power=0.997)`` = 17; 32 leaves room for a seed with more birds
#: that did not learn the syllable. With 8 each failed on 2 seeds of 5.
LEARNED_BIRDS = 32
#: Reward-lesioned (never learned) birds in performance-error at the full budget. Most show no
#: dip or burst; a few sing the targeted syllable near the template by luck and lose real quality
#: to the noise (burst minus dip up to 0.5). Over seeds 0-4 with 8 birds: per-bird mean 0.031,
#: spread 0.092 pooled, and ``sample_size(0.092, DOPAMINE_MARGIN - 0.031)`` = 368 birds give
#: "absent without learning" power 0.99 per seed. With 8 it failed on 4 seeds of 5.
LESIONED_BIRDS = 384
#: Birds raised for pitch-shift at the full budget (every arm is a copy of them). Its weakest claim
#: is the sham arm's "no directed shift" (|mean| < 0.5 SD, two one-sided tests): over seeds 0-4
#: with 8 birds, 24 of 40 targeted syllables were off the range limit, with mean 0.115 and spread
#: 1.107 SD, and ``sample_size(1.107, 0.5 - 0.115)`` = 130 usable birds, about 217 raised, give
#: it power 0.99 per seed. With 8 it failed on every seed.
PITCH_SHIFT_BIRDS = 224


def _per_bird(name: str, values: np.ndarray, test: Callable[[np.ndarray], TestOutcome], target: str,
              note: str = "") -> Criterion:
    """A criterion tested over birds (NaNs: birds without a measurement, left out and counted)."""
    x = values[np.isfinite(values)]
    left_out = f"; {values.size - x.size} of {values.size} birds left out" if x.size < values.size else ""
    if x.size < 2:
        return Criterion(name, float(np.mean(x)) if x.size else float("nan"), target, False,
                         f"fewer than 2 birds to test{left_out}")
    c = Criterion.from_test(name, test(x), target)
    c.note = "; ".join(p for p in (c.note + left_out, note) if p)
    return c


# --- performance-error --------------------------------------------------------------------------
def performance_error(budget: str, seed: int, out_dir: Path, scales: Scales = NOMINAL) -> ExperimentResult:
    """Gadagkar et al. 2016 (https://doi.org/10.1126/science.aah6837): dopamine as performance error.

    Adult birds that learned their song from the performance error hear a
    white-noise burst on renditions of one syllable at random with probability
    ``p`` while they keep singing and learning. Per bird: the mean error after
    distorted renditions of that syllable (the dip) and after undistorted ones
    (the burst). The size of both depends on what the bird learned: the
    error is quality minus expectation, and a bird singing at chance has
    neither quality to lose nor to regain. The removal arm is that bird:
    birds whose teaching signal was cut from birth (a reward lesion leaves
    their weights exactly as at birth, so the arm uses the unlearned birds).
    """
    small = budget == "small"
    n, juvenile, adult, warm, measure = (6, 400, 20, 20, 60) if small else (LEARNED_BIRDS, 2000, 100, 50, 150)
    t0 = time.perf_counter()
    trained, adult_q = raise_flock(n, seed, juvenile, adult, scales)
    n_lesioned = n if small else LESIONED_BIRDS
    birth = Flock(n_lesioned, seed, scales)  # the reward-lesioned birds: weights never changed since birth
    dips, bursts = np.full((len(PROBABILITIES), n), np.nan), np.full((len(PROBABILITIES), n), np.nan)
    for arm, brains in (("learned", trained.agents), ("lesioned", birth.agents)):
        for j, p in enumerate(PROBABILITIES):
            if arm == "lesioned" and p != 0.5:
                continue
            cage = Flock(len(brains), seed, scales, lesioned=arm == "lesioned", brains=brains, feedback_syllable=TARGET,
                         feedback_threshold=EVERY_RENDITION_HZ, feedback_side="below", feedback_probability=p)
            cage.sing(warm, schedule=adult_schedule, record=())  # the evaluator's expectation settles
            log = cage.sing(measure, schedule=adult_schedule, record=("performance_error", "distorted"))
            cage.close()
            err, hit = log["performance_error"][:, :, TARGET], log["distorted"][:, :, TARGET] > 0
            dip = np.array([err[hit[:, b], b].mean() if hit[:, b].any() else np.nan for b in range(len(brains))])
            burst = np.array([err[~hit[:, b], b].mean() if (~hit[:, b]).any() else np.nan for b in range(len(brains))])
            if arm == "learned":
                dips[j], bursts[j] = dip, burst
            else:
                lesion_dip, lesion_burst = dip, burst
    trained.close()
    birth.close()
    seconds = time.perf_counter() - t0

    def at_every_p(claim: str, values: np.ndarray, test: Callable[[np.ndarray], TestOutcome], target: str) -> Criterion:
        """One claim tested at every p; the row shown is the least convincing p (largest p-value, or too few birds).

        Which p that is varies between seeds, so it goes in the row's note: the name is the same at every seed.
        """
        name = f"{claim}, least convincing p of {', '.join(f'{p:g}' for p in PROBABILITIES)}"
        rows = [_per_bird(name, values[j], test, target, note=f"at p={p}") for j, p in enumerate(PROBABILITIES)]
        scores = [test(v[np.isfinite(v)]).p_value if np.isfinite(v).sum() >= 2 else np.inf for v in values]
        return rows[int(np.argmax(scores))]

    dip_row = at_every_p("dip: mean error after distorted renditions", dips,
                         lambda x: not_greater(x, margin=-DOPAMINE_MARGIN), f"< -{DOPAMINE_MARGIN} at every p")
    burst_row = at_every_p("burst: mean error after undistorted renditions", bursts,
                           lambda x: greater(x, margin=DOPAMINE_MARGIN), f"> {DOPAMINE_MARGIN} at every p")
    lo, hi = PROBABILITIES[0], PROBABILITIES[-1]
    criteria = [
        dip_row,
        burst_row,
        _per_bird(f"burst at p={hi} minus burst at p={lo} (per bird)", bursts[-1] - bursts[0],
                  lambda x: greater(x, margin=0.0), "> 0 (the burst grows with p)"),
        _per_bird("reward-lesioned birds (never learned): burst minus dip at p=0.5", lesion_burst - lesion_dip,
                  lambda x: not_greater(x, margin=DOPAMINE_MARGIN), f"< {DOPAMINE_MARGIN} (absent without learning)"),
    ]

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    ps = np.array(PROBABILITIES)
    for values, color, label in ((bursts, "#9bbb59", "undistorted (burst)"), (dips, "#c0504d", "distorted (dip)")):
        for b in range(n):
            ax.plot(ps, values[:, b], "-", color=color, alpha=0.25, lw=0.8)
        ax.plot(ps, np.nanmean(values, axis=1), "o-", color=color, lw=2, label=f"{label}, mean of {n} birds")
    ax.plot([0.5, 0.5], [np.nanmean(lesion_dip), np.nanmean(lesion_burst)], "s", color="#7f7f7f",
            label="reward-lesioned birds (p=0.5)")
    ax.axhline(0, color="k", lw=0.5)
    ax.set_xlabel("distortion probability p")
    ax.set_ylabel("performance error (quality - expectation)")
    ax.legend(fontsize=7)
    ax.set_title("Performance error of learning birds (Gadagkar et al. 2016)")
    figure = save_figure(fig, out_dir, "performance-error")
    data = {
        "singer": "NodePerturbationAgent per bird, taught by the performance error from birth; keeps learning",
        "num_birds": n, "num_lesioned_birds": n_lesioned, "juvenile_bouts": juvenile, "adult_bouts": adult, "warmup_bouts": warm,
        "measured_bouts": measure, "target_syllable": TARGET, "probabilities": PROBABILITIES,
        "adult_similarity_per_bird": adult_q.mean(axis=(0, 2)), "dip_per_bird": dips, "burst_per_bird": bursts,
        "dip_mean": np.nanmean(dips, axis=1), "burst_mean": np.nanmean(bursts, axis=1),
        "lesioned_dip_per_bird": lesion_dip, "lesioned_burst_per_bird": lesion_burst,
        "scales": dict(scales), "seconds": seconds,
    }
    return ExperimentResult("performance-error", budget, seed, criteria, data, figure)


# --- pitch-shift --------------------------------------------------------------------------------
class Arm(Enum):
    """The manipulations of the pitch-shift experiment, each on its own copy of the same adults."""

    CONTINGENT = "noise on renditions below the threshold"
    REVERSED = "noise on renditions above the threshold"
    SHAM = "noise at random, whatever the pitch, at the contingent arm's rate"
    LESION = "noise below the threshold, reward pathway cut"


@dataclass
class ArmResult:
    shift: np.ndarray  # (n, S) mean pitch over the last noise bouts minus baseline, in baseline SD
    shift_hz: np.ndarray  # (n, S) the same in Hz
    back: np.ndarray | None  # (n, S) after the noise stops (contingent arm only), in baseline SD
    at_limit: np.ndarray  # (n, S) bool: syllable at the syrinx's range limit at baseline
    distorted: float  # fraction of targeted renditions that got noise
    trace: np.ndarray  # (bouts, S) population mean pitch in baseline SD, baseline to end


def _run_arm(arm: Arm, trained: Flock, seed: int, scales: Scales, bouts: tuple[int, int, int, int],
             sham_probability: float) -> ArmResult:
    warm, base, on, off = bouts
    n = trained.n
    cage = Flock(n, seed, scales, lesioned=arm is Arm.LESION, brains=trained.agents)
    cage.sing(warm, schedule=adult_schedule, record=())
    baseline = cage.sing(base, schedule=adult_schedule, record=("pitch_hz",))["pitch_hz"]
    commands = cage.commands()
    at_limit = np.abs(commands[:, :, PITCH_COMMANDS]).max(axis=-1) >= RANGE_LIMIT
    mu, sd = baseline.mean(0), baseline.std(0)  # (n, S)
    threshold = np.median(baseline[:, :, TARGET], axis=0)
    if arm is Arm.SHAM:
        cage.body.set_feedback(TARGET, threshold=EVERY_RENDITION_HZ, side="below", probability=sham_probability)
    else:
        cage.body.set_feedback(TARGET, threshold=threshold, side="above" if arm is Arm.REVERSED else "below")
    noise = cage.sing(on, schedule=adult_schedule, record=("pitch_hz", "distorted"))
    last = max(on // 4, 10)
    end = noise["pitch_hz"][-last:].mean(0)
    back, pitches = None, [baseline, noise["pitch_hz"]]
    if arm is Arm.CONTINGENT:
        cage.body.set_feedback(None)
        after = cage.sing(off, schedule=adult_schedule, record=("pitch_hz",))["pitch_hz"]
        back = (after[-last:].mean(0) - mu) / sd
        pitches.append(after)
    cage.close()
    trace = ((np.concatenate(pitches) - mu) / sd)
    trace = np.where(at_limit[None], np.nan, trace)
    return ArmResult((end - mu) / sd, end - mu, back, at_limit, float(noise["distorted"][:, :, TARGET].mean()),
                     np.nanmean(trace, axis=1))


def pitch_shift(budget: str, seed: int, out_dir: Path, scales: Scales = NOMINAL) -> ExperimentResult:
    """Tumer & Brainard 2007 (https://doi.org/10.1038/nature06390): pitch-contingent noise shifts one syllable.

    Adult birds (taught by the performance error, reading an overlapping HVC
    code) are copied into four cages. Contingent: white noise on renditions of
    syllable 1 whose pitch lies below each bird's median baseline pitch
    ("away" is up), then the noise stops. Reversed: noise above it ("away" is
    down). Sham: noise at random at the contingent arm's rate. Lesion: the
    contingent noise with the reward pathway cut. Shifts are per bird, in its
    baseline SD of that syllable's pitch; syllables at the syrinx's range
    limit are counted apart (``RANGE_LIMIT``).
    """
    small = budget == "small"
    n, juvenile, adult = (6, 400, 20) if small else (PITCH_SHIFT_BIRDS, 2000, 100)
    bouts = (20, 40, 100, 100) if small else (50, 100, 400, 300)
    t0 = time.perf_counter()
    trained, _ = raise_flock(n, seed, juvenile, adult, scales)
    results: dict[Arm, ArmResult] = {}
    for arm in Arm:
        rate = results[Arm.CONTINGENT].distorted if arm is Arm.SHAM else 0.0
        results[arm] = _run_arm(arm, trained, seed, scales, bouts, rate)
    trained.close()
    seconds = time.perf_counter() - t0

    def targeted(arm: Arm, sign: float = 1.0) -> np.ndarray:
        r = results[arm]
        return np.where(r.at_limit[:, TARGET], np.nan, sign * r.shift[:, TARGET])

    c = results[Arm.CONTINGENT]
    others = [s for s in range(S) if s != TARGET]
    untargeted = np.where(c.at_limit[:, others], np.nan, np.abs(c.shift[:, others]))
    counted = np.isfinite(untargeted).sum(axis=1)  # a bird whose untargeted syllables are all at the limit: NaN
    untargeted_per_bird = np.where(counted > 0, np.nansum(untargeted, axis=1) / np.maximum(counted, 1), np.nan)
    up = targeted(Arm.CONTINGENT)
    limit_note = (f"{int(c.at_limit[:, TARGET].sum())} birds' targeted syllable at the range limit; "
                  f"{int(c.at_limit[:, others].sum())} untargeted syllables at it")
    criteria = [
        _per_bird("contingent: targeted syllable shift away from the noise (baseline SD)", up,
                  lambda x: greater(x, margin=SHIFT_SD), f"mean > {SHIFT_SD}",
                  f"{float(np.nanmean(up >= SHIFT_SD)):.0%} of birds >= {SHIFT_SD}; {limit_note}"),
        _per_bird("contingent: untargeted syllables, per-bird mean |shift| (SD)", untargeted_per_bird,
                  lambda x: not_greater(x, margin=UNTARGETED_SD), f"< {UNTARGETED_SD}",
                  f"worst bird {float(np.nanmax(untargeted_per_bird)):.2f}"),
        _per_bird("contingent: shift left after the noise stops minus half the shift (SD)",
                  np.where(c.at_limit[:, TARGET], np.nan, c.back[:, TARGET] - 0.5 * c.shift[:, TARGET]),  # type: ignore[index]
                  lambda x: not_greater(x, margin=0.0), "< 0 (drifts back by more than half)"),
        _per_bird("reversed contingency: targeted shift downwards, away from the noise (SD)", targeted(Arm.REVERSED, -1.0),
                  lambda x: greater(x, margin=SHIFT_SD), f"mean > {SHIFT_SD} (direction follows the contingency)"),
        _per_bird("sham non-contingent noise: targeted shift (SD)", targeted(Arm.SHAM),
                  lambda x: equivalent(x, margin=NO_SHIFT_SD), f"|mean| < {NO_SHIFT_SD} (no directed shift)"),
        _per_bird("reward lesion: targeted shift away from the noise (SD)", targeted(Arm.LESION),
                  lambda x: not_greater(x, margin=NO_SHIFT_SD), f"< {NO_SHIFT_SD} (the effect breaks)"),
    ]

    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), gridspec_kw={"width_ratios": [2, 1]})
    warm, base, on, off = bouts
    colors = {Arm.CONTINGENT: "#c0504d", Arm.REVERSED: "#4f81bd", Arm.SHAM: "#7f7f7f", Arm.LESION: "#9bbb59"}
    for arm, r in results.items():
        axes[0].plot(np.arange(len(r.trace)), r.trace[:, TARGET], color=colors[arm], lw=1.2, label=arm.name.lower())
    axes[0].plot(np.arange(len(c.trace)), np.nanmean(c.trace[:, others], axis=1), color="#c0504d", ls=":", lw=1,
                 label="contingent, untargeted syllables")
    axes[0].axvspan(base, base + on, color="#f2dcdb", alpha=0.5, label="noise on")
    for y in (-SHIFT_SD, SHIFT_SD):
        axes[0].axhline(y, color="k", ls=":", lw=0.7)
    axes[0].set_xlabel("adult bouts after the warm-up")
    axes[0].set_ylabel("targeted pitch - baseline (baseline SD)")
    axes[0].legend(fontsize=7)
    axes[0].set_title("Mean over birds (range-limit syllables left out)")
    for k, arm in enumerate(Arm):
        y = results[arm].shift[:, TARGET]
        axes[1].scatter(np.full(n, k) + np.linspace(-0.2, 0.2, n), y, s=12, color=colors[arm])
    axes[1].axhline(0, color="k", lw=0.5)
    axes[1].set_xticks(range(len(Arm)), [a.name.lower() for a in Arm], fontsize=7)
    axes[1].set_ylabel("targeted shift at end of noise (SD), per bird")
    fig.suptitle("Pitch-contingent noise and its controls (Tumer & Brainard 2007)")
    figure = save_figure(fig, out_dir, "pitch-shift")
    data = {
        "learner": "NodePerturbationAgent per bird (overlapping HVC code), taught by the performance error",
        "num_birds": n, "bouts": {"juvenile": juvenile, "adult": adult, "warm": warm, "baseline": base,
                                  "noise_on": on, "noise_off": off},
        "target_syllable": TARGET, "range_limit_command": RANGE_LIMIT, "scales": dict(scales),
        **{f"{arm.name.lower()}_shift_sd_per_bird": r.shift for arm, r in results.items()},
        **{f"{arm.name.lower()}_shift_hz_per_bird": r.shift_hz for arm, r in results.items()},
        **{f"{arm.name.lower()}_at_range_limit": r.at_limit for arm, r in results.items()},
        **{f"{arm.name.lower()}_distorted_fraction": r.distorted for arm, r in results.items()},
        "contingent_back_sd_per_bird": c.back, "untargeted_mean_abs_shift_per_bird": untargeted_per_bird,
        "fraction_birds_target_ge_1sd": float(np.nanmean(up >= SHIFT_SD)),
        "seconds": seconds,
    }
    return ExperimentResult("pitch-shift", budget, seed, criteria, data, figure)


__all__ = ["Arm", "performance_error", "pitch_shift"]

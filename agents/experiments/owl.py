"""Prism experiments on BarnOwl-v0 (Knudsen & Knudsen 1985, 1989; Linkenhoker & Knudsen 2002).

Every experiment raises owls under prisms and measures auditory orienting: the
signed error of head saccades to sound-only targets (dark trials), which is
where the auditory map places a sound. A shift towards the prism displacement
is the realignment. Each has a removal arm, the update rule frozen
(``OwlSteering(plastic=False)``, a lesion of the rule), which must break the
effect.

``prism-juvenile``: juveniles (60 days old) wearing 23 degree prisms for 56
days shift auditory orienting by >= 80% of 23; visual orienting never adapts;
the prisms displace horizontally, so auditory orienting in elevation does not move.
``prism-adult``: adults (400 days) with one 23 degree step shift <= 20% of the
juvenile shift in 112 days; with the steps 6, 11, 17, 23 >= 50%.
``prism-blind``: blind juveniles' maps move <= 2 degrees; sighted ones realign.
``prism-ceiling``: with 34 degrees the shift is 40-60% of 34; 28 days after
removal the error is back under 3 degrees (the error at 56 days is printed beside it).
``prism-learner``: a pattern-separation learner learns to strike on top of the
innate orienting, with the rule on or frozen.

The owls here have no learner unless stated: their action is 0 (they do not
act), so the innate orienting reflex steers every saccade by the maps, and the
maps realign by the rule alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from brainlike.agents.experiments.base import NOMINAL, Criterion, Experiment, ExperimentResult, Scales, cohort_seed, steering_with
from brainlike.agents.reporting import save_figure
from brainlike.agents.rollout import Transition, rollout
from brainlike.agents.stats import TestOutcome, bootstrap_ci, equivalent, greater, not_greater
from brainlike.envs.barn_owl import HEARD, SEEN, BarnOwlVectorEnv, PrismProtocol
from brainlike.steering.owl import AZIMUTH, ELEVATION, OwlSteering

OWL = "brainlike/BarnOwl-v0"
JUVENILE_AGE, ADULT_AGE = 60.0, 400.0
TRIALS_PER_DAY = 100
#: The shift is read over the last week of an arm.
LAST_DAYS = 7
STEP_DAYS = 28  # the adult's stepped prisms: 6, 11, 17, 23 degrees, four weeks each
RECOVERY_DAYS = 28  # prism-ceiling: the orienting error is judged this long after the prisms come off
STEPS = (6.0, 11.0, 17.0, 23.0)

Policy = Callable[[Any], np.ndarray]
Learner = Callable[[Transition], None]


@dataclass
class OwlRun:
    """Per owl and simulated day: orienting errors and the auditory map's shift."""

    age: np.ndarray  # (days,) age at each day's start
    heard_error: np.ndarray  # (owls, days) mean signed saccade error in azimuth to sound-only targets (degrees)
    heard_elevation_error: np.ndarray  # (owls, days) the same in elevation
    seen_error: np.ndarray  # (owls, days) the azimuth error for silent, seen targets
    map_shift: np.ndarray  # (owls, days) the auditory map's azimuth offset at each day's end
    map_elevation_shift: np.ndarray  # (owls, days) its elevation offset
    catch_rate: np.ndarray  # (owls, days) strikes within the acuity
    probes: np.ndarray  # (trials, 3) owl, target azimuth, signed error of the last week's sound-only saccades

    def shift(self, days: slice | None = None) -> np.ndarray:
        """(owls,) auditory orienting shift: the mean heard error over ``days`` (default: the last week)."""
        return np.nanmean(self.heard_error[:, slice(-LAST_DAYS, None) if days is None else days], axis=1)

    def elevation_shift(self) -> np.ndarray:
        """(owls,) auditory orienting shift in elevation over the last week."""
        return np.nanmean(self.heard_elevation_error[:, -LAST_DAYS:], axis=1)

    def visual_shift(self) -> np.ndarray:
        return np.nanmean(self.seen_error[:, -LAST_DAYS:], axis=1)


def run_owls(num_owls: int, seed: int, days: int, plastic: bool = True, policy_for: Callable[[BarnOwlVectorEnv], Policy] | None = None,
             learn: Learner | None = None, steering: OwlSteering | None = None, scales: Scales = NOMINAL,
             **env_kwargs: Any) -> OwlRun:
    """Raise ``num_owls`` owls for ``days`` simulated days; record their orienting day by day.

    Without ``policy_for`` (which builds a policy for the env) the owls do not
    act and the innate reflexes orient them. ``learn`` (optional) receives
    every transition, for a learner living alongside. ``scales`` scales the
    rule's constants of the default steering (a sensitivity band).
    """
    if steering is not None and scales:
        raise ValueError("give the steering already scaled, or scales for the default one, not both")
    steering = steering or steering_with(OwlSteering, scales, plastic=plastic)
    env = BarnOwlVectorEnv(num_envs=num_owls, steering=steering, max_episode_steps=None,
                           trials_per_day=TRIALS_PER_DAY, **env_kwargs)
    idle = np.zeros((num_owls, 2), dtype=np.float32)
    act = (lambda obs: idle) if policy_for is None else policy_for(env)
    steps_per_day = 2 * TRIALS_PER_DAY
    shape = (num_owls, days)
    sums = {k: np.zeros(shape) for k in ("heard", "heard_elevation", "seen", "catch")}
    counts = {k: np.zeros(shape) for k in ("heard", "heard_elevation", "seen", "catch")}
    map_shift = np.zeros((num_owls, days, 2))
    probes: list[np.ndarray] = []
    age = np.zeros(days)
    for step, t in zip(range(days * steps_per_day), rollout(env, act, seed=cohort_seed(seed))):
        if learn is not None:
            learn(t)
        day = step // steps_per_day
        owl = t.infos["owl"]
        if step % steps_per_day == 0:
            age[day] = float(owl["age_days"][0])
        saccade = owl["saccade"]
        for key, kind, dim in (("heard", HEARD, AZIMUTH), ("heard_elevation", HEARD, ELEVATION), ("seen", SEEN, AZIMUTH)):
            m = saccade & (owl["kind"] == kind)
            sums[key][m, day] += owl["orient_error_deg"][m, dim]
            counts[key][m, day] += 1
            if key == "heard" and day >= days - LAST_DAYS and m.any():
                probes.append(np.stack([np.flatnonzero(m), owl["target_deg"][m, AZIMUTH], owl["orient_error_deg"][m, AZIMUTH]], axis=1))
        strike = ~saccade
        sums["catch"][strike, day] += t.infos["steering"]["components"]["catch"][strike] > 0
        counts["catch"][strike, day] += 1
        map_shift[:, day] = owl["auditory_shift_deg"]
    env.close()
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = {k: np.where(counts[k] > 0, sums[k] / np.maximum(counts[k], 1), np.nan) for k in sums}
    return OwlRun(age, mean["heard"], mean["heard_elevation"], mean["seen"], map_shift[:, :, AZIMUTH], map_shift[:, :, ELEVATION],
                  mean["catch"], np.concatenate(probes) if probes else np.zeros((0, 3)))


def _ci_note(x: np.ndarray, unit: str = "deg") -> str:
    """Mean of per-owl values and its 95% bootstrap interval, which narrows with more owls."""
    lo, hi = bootstrap_ci(x)
    return f"{float(np.mean(x)):.1f} {unit} [{lo:.1f}, {hi:.1f}] over {len(x)} owls"


def _judged(name: str, outcome: TestOutcome, target: str, per_owl: np.ndarray, met: np.ndarray, detail: str = "") -> Criterion:
    """A criterion decided by a one-sided test over owls; the note adds the per-owl mean and how many owls meet it alone.

    ``name`` is the same at every seed (the verdict over seeds matches rows by it); measured
    values that help read the row (a ratio, the other arms' values) go in ``detail``, into the note.
    """
    row = Criterion.from_test(name, outcome, f"{target}; one-sided, over owls")
    row.note += f"; {_ci_note(per_owl)}; {int(np.sum(met))}/{len(met)} owls meet it" + (f"; {detail}" if detail else "")
    return row


def _finite(x: np.ndarray) -> np.ndarray:
    """The owls with a value (an owl that heard no target in a region has none there)."""
    return x[np.isfinite(x)]


def _num_owls(budget: str) -> int:
    return 4 if budget == "small" else 16


def _days(budget: str, full: int) -> int:
    """The small budget is a smoke run of a week and a day (its verdict does not count)."""
    return full if budget == "full" else LAST_DAYS + 1


def _plot(out_dir: Path, name: str, title: str, arms: dict[str, OwlRun], prisms: Callable[[np.ndarray], np.ndarray] | None = None) -> str:
    """Orienting error to sound-only targets vs simulated days, one line per arm (mean +- 95% CI)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.8))
    for label, run in arms.items():
        daily = np.nanmean(run.heard_error, axis=0)
        n = run.heard_error.shape[0]
        half = 1.96 * np.nanstd(run.heard_error, axis=0, ddof=1) / np.sqrt(n) if n > 1 else np.zeros_like(daily)
        x = run.age - run.age[0]
        (line,) = ax.plot(x, daily, label=label)
        ax.fill_between(x, daily - half, daily + half, color=line.get_color(), alpha=0.2)
    if prisms is not None:
        first = next(iter(arms.values()))
        ax.step(first.age - first.age[0], prisms(first.age), "k--", where="post", lw=1, label="prism displacement (deg)")
    ax.axhline(0.0, color="grey", lw=0.5)
    ax.set_xlabel("simulated days")
    ax.set_ylabel("orienting error to sound-only targets (deg)")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return save_figure(fig, out_dir, name)


def _juvenile(budget: str, seed: int, plastic: bool = True, prisms: float = 23.0, scales: Scales = NOMINAL, **kwargs: Any) -> OwlRun:
    return run_owls(_num_owls(budget), seed, _days(budget, 56), plastic=plastic, age_days=JUVENILE_AGE, prisms=prisms, scales=scales,
                    **kwargs)


def prism_juvenile(budget: str, seed: int, out_dir: Path, scales: Scales = NOMINAL) -> ExperimentResult:
    intact = _juvenile(budget, seed, scales=scales)
    frozen = _juvenile(budget, seed, plastic=False, scales=scales)
    s, f, v, e = intact.shift(), frozen.shift(), intact.visual_shift(), intact.elevation_shift()
    criteria = [
        _judged("auditory orienting shift, juveniles, 23 deg prisms, 56 days (deg)", greater(s, margin=0.8 * 23.0),
                "> 18.4 (0.80 of 23)", s, s >= 0.8 * 23.0),
        _judged("removal arm (rule frozen): shift (deg)", not_greater(f, margin=0.2 * 23.0), "< 4.6 (0.20 of 23: the effect breaks)",
                f, f <= 0.2 * 23.0),
        _judged("visual orienting error minus 23 deg (never adapts: lands on the displaced image)", equivalent(v - 23.0, margin=2.0),
                "|difference| < 2 deg", v, np.abs(v - 23.0) <= 2.0),
        # Specificity: horizontal prisms leave no vertical error, so the elevation map must stay.
        _judged("auditory orienting shift in elevation (horizontal prisms: the elevation map stays)", equivalent(e, margin=2.0),
                "|shift| < 2 deg", e, np.abs(e) <= 2.0,
                f"elevation map offset {float(np.mean(intact.map_elevation_shift[:, -1])):+.2f} deg"),
    ]
    figure = _plot(out_dir, "prism-juvenile", "Juveniles with 23 deg prisms: the auditory map realigns",
                   {"rule on (no learner)": intact, "rule frozen": frozen}, lambda a: np.full_like(a, 23.0))
    data = {"days": intact.age - intact.age[0], "intact_daily": np.nanmean(intact.heard_error, axis=0),
            "frozen_daily": np.nanmean(frozen.heard_error, axis=0), "intact_shift": s, "frozen_shift": f, "visual_shift": v,
            "elevation_shift": e}
    return ExperimentResult("prism-juvenile", budget, seed, criteria, data, figure)


def prism_adult(budget: str, seed: int, out_dir: Path, scales: Scales = NOMINAL) -> ExperimentResult:
    n, days = _num_owls(budget), _days(budget, 112)
    step = STEP_DAYS if budget == "full" else max(days // 4, 1)
    protocol = tuple((ADULT_AGE + k * step, d) for k, d in enumerate(STEPS) if k > 0)
    juvenile = _juvenile(budget, seed, scales=scales).shift()
    single = run_owls(n, seed, days, age_days=ADULT_AGE, prisms=23.0, scales=scales)
    stepped = run_owls(n, seed, days, age_days=ADULT_AGE, prisms=STEPS[0], prism_protocol=protocol, scales=scales)
    frozen = run_owls(n, seed, days, plastic=False, age_days=ADULT_AGE, prisms=STEPS[0], prism_protocol=protocol, scales=scales)
    j = float(juvenile.mean())
    r_single, r_stepped, r_frozen = (float(x.shift().mean()) / j for x in (single, stepped, frozen))
    # Each arm's owls against a fraction of the juvenile owls' shifts: a two-sample one-sided test.
    criteria = [
        _judged("adult single 23 deg step, 112 days: shift minus 0.20 x juvenile shift",
                not_greater(single.shift(), 0.2 * juvenile), "< 0 (<= 0.20 of the juvenile shift)", single.shift(),
                single.shift() <= 0.2 * j, f"ratio to the juvenile shift {r_single:.3f}"),
        _judged("adult stepped 6/11/17/23 deg: shift minus 0.50 x juvenile shift",
                greater(stepped.shift(), 0.5 * juvenile), "> 0 (>= 0.50 of the juvenile shift)", stepped.shift(),
                stepped.shift() >= 0.5 * j, f"ratio to the juvenile shift {r_stepped:.3f}"),
        _judged("removal arm (rule frozen, stepped): shift minus 0.20 x juvenile shift",
                not_greater(frozen.shift(), 0.2 * juvenile), "< 0 (the effect breaks)", frozen.shift(), frozen.shift() <= 0.2 * j,
                f"ratio to the juvenile shift {r_frozen:.3f}"),
    ]
    figure = _plot(out_dir, "prism-adult", "Adults: one 23 deg step vs stepped prisms",
                   {"single 23 deg step": single, "stepped 6/11/17/23": stepped, "stepped, rule frozen": frozen},
                   PrismProtocol.build(STEPS[0], protocol).at)
    data = {"days": single.age - single.age[0], "juvenile_shift": juvenile, "single_shift": single.shift(),
            "stepped_shift": stepped.shift(), "frozen_shift": frozen.shift(),
            "single_daily": np.nanmean(single.heard_error, axis=0), "stepped_daily": np.nanmean(stepped.heard_error, axis=0)}
    return ExperimentResult("prism-adult", budget, seed, criteria, data, figure)


def prism_blind(budget: str, seed: int, out_dir: Path, scales: Scales = NOMINAL) -> ExperimentResult:
    blind = _juvenile(budget, seed, vision="blind", scales=scales)
    sighted = _juvenile(budget, seed, scales=scales)
    moved = np.maximum(np.abs(blind.map_shift[:, -1]), np.abs(blind.map_elevation_shift[:, -1]))
    s = sighted.shift()
    criteria = [
        Criterion("blind juveniles with 23 deg prisms: |auditory map offset change|, azimuth or elevation (deg)", float(moved.max()), "<= 2 (every owl)",
                  bool(moved.max() <= 2.0), _ci_note(moved)),
        _judged("sighted control: shift (deg; the effect blindness removes)", greater(s, margin=0.8 * 23.0), "> 18.4 (0.80 of 23)",
                s, s >= 0.8 * 23.0),
    ]
    figure = _plot(out_dir, "prism-blind", "No vision, no calibration", {"sighted": sighted, "blind": blind},
                   lambda a: np.full_like(a, 23.0))
    data = {"days": blind.age - blind.age[0], "blind_offset_change": blind.map_shift[:, -1], "sighted_shift": s}
    return ExperimentResult("prism-blind", budget, seed, criteria, data, figure)


def prism_ceiling(budget: str, seed: int, out_dir: Path, scales: Scales = NOMINAL) -> ExperimentResult:
    n = _num_owls(budget)
    # Recovery is judged 28 days after removal, the protocol as first written (the science gives
    # no recovery time course for this case). A criterion is not moved after a FAIL: the owls run
    # on to 56 days and that error is printed beside the judged one, as data.
    on_days, judged_days, off_days = _days(budget, 84), _days(budget, RECOVERY_DAYS), _days(budget, 2 * RECOVERY_DAYS)
    removal = JUVENILE_AGE + on_days
    kwargs: dict[str, Any] = dict(age_days=JUVENILE_AGE, prisms=34.0, prism_protocol=((removal, 0.0),))
    intact = run_owls(n, seed, on_days + off_days, scales=scales, **kwargs)
    frozen = run_owls(n, seed, on_days, plastic=False, age_days=JUVENILE_AGE, prisms=34.0, scales=scales)
    worn = intact.shift(slice(on_days - LAST_DAYS, on_days))
    after = np.abs(intact.shift(slice(on_days + judged_days - LAST_DAYS, on_days + judged_days)))
    later = np.abs(intact.shift())
    f = frozen.shift()
    ratio = float(worn.mean()) / 34.0
    criteria = [
        _judged("34 deg prisms: shift minus half of 34 deg", equivalent(worn - 17.0, margin=0.1 * 34.0),
                "|difference| < 3.4 deg (0.40-0.60 of 34)", worn, np.abs(worn - 17.0) <= 0.1 * 34.0, f"ratio to 34 deg {ratio:.2f}"),
        _judged(f"prisms removed: |orienting error| {judged_days} days later (deg)", not_greater(after, margin=3.0),
                "< 3", after, after < 3.0, f"not judged: {off_days} days after removal {float(later.mean()):.1f} deg"),
        _judged("removal arm (rule frozen): shift (deg)", not_greater(f, margin=0.2 * 34.0), "< 6.8 (0.20 of 34: the effect breaks)",
                f, f <= 0.2 * 34.0),
    ]
    figure = _plot(out_dir, "prism-ceiling", "34 deg prisms: the shift caps near 20 deg; removal restores",
                   {"rule on": intact, "rule frozen": frozen}, lambda a: np.where(a < removal, 34.0, 0.0))
    data = {"days": intact.age - intact.age[0], "intact_daily": np.nanmean(intact.heard_error, axis=0),
            "shift_worn": worn, "error_after_removal": after, "error_later_after_removal": later, "frozen_shift": f}
    return ExperimentResult("prism-ceiling", budget, seed, criteria, data, figure)


def _learner_arm(budget: str, seed: int, plastic: bool, scales: Scales) -> OwlRun:
    """Juveniles under 23 deg prisms with a pattern-separation learner striking; the reflex orients."""
    from brainlike.agents.registry import make_agent

    holder: dict[str, Any] = {}

    def policy_for(env: BarnOwlVectorEnv) -> Policy:
        holder["agent"] = agent = make_agent("pattern-separation", env, seed=seed)
        holder["layout"] = env.layout

        def policy(obs: Any) -> np.ndarray:
            actions = agent.act(obs, explore=True)
            # At a target's onset the learner holds still, so the innate reflex orients by the maps.
            actions[env.layout.read(obs, "onset") > 0.5] = 0.0
            return actions

        return policy

    def learn(t: Transition) -> None:
        strike = holder["layout"].read(t.obs, "onset") < 0.5  # only the strike is the learner's
        n = len(t.rewards)
        holder["agent"].learn(t.obs, t.actions, t.rewards, t.next_obs, np.zeros(n, bool), np.zeros(n, bool), t.infos, valid=strike)

    return _juvenile(budget, seed, plastic=plastic, policy_for=policy_for, learn=learn, scales=scales)


def prism_learner(budget: str, seed: int, out_dir: Path, scales: Scales = NOMINAL) -> ExperimentResult:
    with_rule = _learner_arm(budget, seed, plastic=True, scales=scales)
    frozen = _learner_arm(budget, seed, plastic=False, scales=scales)
    reflex_only = _juvenile(budget, seed, scales=scales)
    first, last = with_rule.catch_rate[:, :LAST_DAYS].mean(axis=1), with_rule.catch_rate[:, -LAST_DAYS:].mean(axis=1)
    gain = float(last.mean() - first.mean())
    s, f = with_rule.shift(), frozen.shift()
    rise = last - first
    criteria = [
        _judged("learner's strike: catch rate, last week minus first week", greater(rise, margin=0.10),
                "> 0.10 (it learns the strike)", rise, rise >= 0.10,
                f"first {first.mean():.2f}, last {last.mean():.2f}, reflexes only {reflex_only.catch_rate[:, -LAST_DAYS:].mean():.2f}"),
        _judged("learner + rule: auditory orienting shift (deg)", greater(s, margin=0.8 * 23.0), "> 18.4 (0.80 of 23)", s, s >= 0.8 * 23.0),
        _judged("learner + rule frozen: shift (deg; the learner alone does not realign the map)", not_greater(f, margin=0.2 * 23.0),
                "< 4.6 (0.20 of 23)", f, f <= 0.2 * 23.0),
    ]
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    for label, run in (("learner + rule", with_rule), ("learner, rule frozen", frozen), ("reflexes only + rule", reflex_only)):
        x = run.age - run.age[0]
        axes[0].plot(x, np.nanmean(run.heard_error, axis=0), label=label)
        axes[1].plot(x, np.nanmean(run.catch_rate, axis=0), label=label)
    axes[0].set_ylabel("orienting error to sound-only targets (deg)")
    axes[1].set_ylabel("catch rate (strikes within 4 deg)")
    for ax in axes:
        ax.set_xlabel("simulated days")
        ax.legend(fontsize=8)
    fig.suptitle("Innate versus learned: the rule realigns the map; the learner learns the strike")
    figure = save_figure(fig, out_dir, "prism-learner")
    data = {"days": with_rule.age - with_rule.age[0], "catch_first_week": first, "catch_last_week": last,
            "shift_with_rule": s, "shift_frozen": f,
            "catch_daily": {"learner_rule": np.nanmean(with_rule.catch_rate, axis=0), "learner_frozen": np.nanmean(frozen.catch_rate, axis=0),
                            "reflexes_rule": np.nanmean(reflex_only.catch_rate, axis=0)}}
    return ExperimentResult("prism-learner", budget, seed, criteria, data, figure)


#: The topographic map of the lesion experiment: 7 bins, one every 30 degrees; the lesion silences the one at +30.
LESION_BINS, LESIONED_BIN, LESION_AZIMUTH = 7, 4, 30.0
#: Sound-only targets within this distance of a bin count as "in" its part of the map.
NEAR_DEG = 8.0


def _shift_near(run: OwlRun, azimuth: float, inside: bool) -> np.ndarray:
    """(owls,) mean last-week heard error for targets near ``azimuth`` (or away from it, ``inside=False``)."""
    owl, target, error = run.probes.T
    near = np.abs(target - azimuth) <= NEAR_DEG
    pick = near if inside else np.abs(target - azimuth) >= 3 * NEAR_DEG
    n = run.heard_error.shape[0]
    return np.array([error[pick & (owl == i)].mean() if (pick & (owl == i)).any() else np.nan for i in range(n)])


def tectal_lesion(budget: str, seed: int, out_dir: Path, scales: Scales = NOMINAL) -> ExperimentResult:
    # Each place of a topographic map learns only from sounds near it, so it realigns
    # more slowly than one global offset: these juveniles wear the prisms for 112 days.
    n, days = _num_owls(budget), _days(budget, 112)
    kwargs: dict[str, Any] = dict(age_days=JUVENILE_AGE, prisms=23.0)
    lesioned = run_owls(n, seed, days, steering=steering_with(OwlSteering, scales, topographic_bins=LESION_BINS,
                                                              lesioned_bins=(LESIONED_BIN,)), **kwargs)
    intact = run_owls(n, seed, days, steering=steering_with(OwlSteering, scales, topographic_bins=LESION_BINS), **kwargs)
    inside, outside = _shift_near(lesioned, LESION_AZIMUTH, True), _shift_near(lesioned, LESION_AZIMUTH, False)
    control_in, control_out = _shift_near(intact, LESION_AZIMUTH, True), _shift_near(intact, LESION_AZIMUTH, False)
    local = float(np.nanmean(inside) / np.nanmean(outside))
    elsewhere = float(np.nanmean(outside) / np.nanmean(control_out))
    control = float(np.nanmean(control_in) / np.nanmean(control_out))
    # Per owl, paired where an owl has both; the intact map's owls are another group (two-sample).
    lesion_gap = _finite(inside - 0.3 * outside)
    control_gap = _finite(control_in - 0.8 * control_out)
    criteria = [
        _judged("lesioned map: shift at the lesion (+30 deg) minus 0.30 x away from it",
                not_greater(lesion_gap, margin=0.0), "< 0 (adjustment stops there)", lesion_gap, lesion_gap <= 0, f"ratio {local:.2f}"),
        _judged("lesioned map away from the lesion minus 0.80 x intact map there",
                greater(_finite(outside), 0.8 * _finite(control_out)), "> 0 (it stops only there)", _finite(outside),
                _finite(outside) >= 0.8 * np.nanmean(control_out), f"ratio {elsewhere:.2f}"),
        _judged("removal arm (no lesion): shift at +30 deg minus 0.80 x away from it",
                greater(control_gap, margin=0.0), "> 0 (the local deficit needs the lesion)", control_gap, control_gap >= 0,
                f"ratio {control:.2f}"),
    ]
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    edges = np.arange(-60.0, 61.0, 10.0)
    for label, run in (("lesion at +30 deg", lesioned), ("no lesion", intact)):
        _, target, error = run.probes.T
        k = np.digitize(target, edges) - 1
        means = [error[k == j].mean() if (k == j).any() else np.nan for j in range(len(edges) - 1)]
        ax.plot(edges[:-1] + 5.0, means, "o-", label=label)
    ax.axvspan(LESION_AZIMUTH - NEAR_DEG, LESION_AZIMUTH + NEAR_DEG, color="grey", alpha=0.2)
    ax.set_xlabel("target azimuth (deg)")
    ax.set_ylabel("orienting shift, last week (deg)")
    ax.set_title("A tectal lesion stops realignment only where it is")
    ax.legend(fontsize=8)
    figure = save_figure(fig, out_dir, "tectal-lesion")
    data = {"shift_at_lesion": inside, "shift_away": outside, "no_lesion_at": control_in, "no_lesion_away": control_out,
            "final_offsets": {"lesioned": lesioned.map_shift[:, -1], "intact": intact.map_shift[:, -1]}}
    return ExperimentResult("tectal-lesion", budget, seed, criteria, data, figure)


#: The rule's key constants, scaled for a sensitivity band (OwlSteering's arguments).
SENSITIVITY = ("juvenile_rate", "adult_rate", "juvenile_reach_deg", "adult_reach_deg", "shift_cap_deg")

EXPERIMENTS = [
    Experiment("prism-juvenile", OWL, "Knudsen & Knudsen 1989; Linkenhoker & Knudsen 2002",
               "https://doi.org/10.1523/JNEUROSCI.09-09-03306.1989", ("innate", "adjustable-parameter", "owl"),
               "Juveniles with 23 deg prisms realign auditory orienting by the full displacement; frozen rule: no realignment.",
               prism_juvenile, SENSITIVITY),
    Experiment("prism-adult", OWL, "Linkenhoker & Knudsen 2002, Nature 419:293",
               "https://pubmed.ncbi.nlm.nih.gov/?term=Linkenhoker+Knudsen+2002+prism", ("innate", "adjustable-parameter", "owl", "age"),
               "Adults barely shift after one 23 deg step but over half as much when the prisms are stepped.",
               prism_adult, SENSITIVITY),
    Experiment("prism-blind", OWL, "Knudsen & Knudsen 1985, Science 230:545",
               "https://pubmed.ncbi.nlm.nih.gov/?term=Knudsen+Knudsen+1985+vision+calibrates+sound+localization", ("innate", "adjustable-parameter", "owl", "vision"),
               "Without vision the auditory map is not recalibrated.",
               prism_blind, SENSITIVITY),
    Experiment("prism-ceiling", OWL, "Knudsen & Knudsen 1989, J Neurosci 9:3306",
               "https://doi.org/10.1523/JNEUROSCI.09-09-03306.1989", ("innate", "adjustable-parameter", "owl"),
               "With 34 deg prisms the shift caps near 20 deg; removing the prisms restores normal orienting.",
               prism_ceiling, SENSITIVITY),
    Experiment("prism-learner", OWL, "Knudsen & Knudsen 1989 (the map); the suite's innate-versus-learned split",
               "https://doi.org/10.1523/JNEUROSCI.09-09-03306.1989", ("innate", "learning", "owl"),
               "A pattern-separation learner learns the strike; the steering rule, not the learner, realigns the auditory map.",
               prism_learner, SENSITIVITY),
    Experiment("tectal-lesion", OWL, "Hyde & Knudsen 2002, Nature 415:73",
               "https://pubmed.ncbi.nlm.nih.gov/?term=Hyde+Knudsen+2002+optic+tectum+instructive", ("innate", "adjustable-parameter", "owl", "lesion"),
               "With a topographic map, a lesion of the instructive signal at one azimuth stops realignment only there.",
               tectal_lesion, SENSITIVITY),
]

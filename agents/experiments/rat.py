"""Salt-deprived rat experiments on SaltRat-v0 (Robinson & Berridge 2013; Zhang et al. 2009;
Sakai et al. 1987, 1989; Leshem et al. 2004; Clark & Bernstein 2006).

Every verdict is judged on rats that *learn*: each rat is a newborn learner
(``ThoughtAssessorAgent``, the registry's SaltRat defaults: a fixed random
expansion of what the rat sees and learned predictions of sweet and salt taste,
valued by the steering's wanting channel, with the graded Pavlovian response)
living one life through the protocol. A cohort of rats runs in one batched body,
each rat with its own synapses (``individuals``). Every mechanism has a removal
arm whose criterion is that the effect breaks without it.

``dead-sea-salt``: a salt cue learned as repulsive at homeostasis is approached
on the first cue-only trial after the first depletion of the rat's life, by a
learner whose predictions the steering re-evaluates, with the innate appetite
alone (sensitization lesioned), and not with multiplicative kappa; the salt
cue's score relative to the sucrose cue's follows the steering's value ratio
(deep and shallow depletion); a cached-value learner (the same machinery, TD(0)
on the reward) stays away until it has tasted salt while depleted. SB3 PPO and
DQN (model-free, trained across many lives) are measured too, in ``data``.

``sensitization``: over three spaced depletions, salt intake, latency, work for
salt (a progressive ratio's breakpoint) and need-free intake follow the one
innate adjustable parameter (``salt_sensitization``, on the wanting channel),
while taste reactivity (liking) does not change; the sensitization-lesioned rat
still drinks at its first depletion and its intake does not rise like the
intact rat's; the strains (incremental, full) set the pattern.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np

from brainlike import envs  # noqa: F401  (registers the bodies)
from brainlike.agents.experiments.base import NOMINAL, Criterion, Experiment, ExperimentResult, Scales, steering_with
from brainlike.agents.registry import make_agent
from brainlike.agents.reporting import save_figure
from brainlike.agents.rollout import learn_from, policy, rollout
from brainlike.agents.stats import TestOutcome, equivalent, greater, not_greater
from brainlike.envs.salt_rat import PRESETS, STAY
from brainlike.steering.rat import RatSteering

RAT = "brainlike/SaltRat-v0"
CUES = ("sucrose", "salt")
#: Training trials per cue averaged as the learned, pre-depletion score ("before").
BEFORE_TRIALS = 5
#: Expected approach score of a uniformly random rat: approach and nibble count +1,
#: withdraw -1, stay 0, so (1 + 1 - 1 + 0) / 4.
CHANCE_SCORE = 0.25
#: The key constants of RatSteering whose +-band the verdicts are checked over.
SENSITIVITY = ("need_gain", "innate_appetite", "salt_aversion", "max_sensitization")
#: "Unchanged" margins, stated: a cue score may move by 10% of its range [-1, 1]; a
#: liking or an intake by 10% of its value.
SCORE_MARGIN = 0.2
RELATIVE_MARGIN = 0.1
#: The graded Pavlovian response the rats' learners use (both the thought assessor and the
#: cached-value learner): a softmax at 0.5 value units (half a sucrose infusion is one e-fold
#: in odds), with no extra epsilon-random actions. The registry's defaults stay the argmax.
GRADED_RESPONSE: dict[str, float] = {"temperature": 0.5, "epsilon": 0.0}
#: The body's depletion level of the shallow-depletion arm, where salt is worth less than sucrose.
SHALLOW_DEPLETION = 0.8
#: Rats per arm at the full budget. The weakest real effects measured with 20 rats (breakpoint
#: rise 1.4 presses, SD 3.7; latency fall 2.3 steps, SD 9; the cues' order at deep depletion,
#: 0.08, SD 0.27) need about 45 to 100 rats for a one-sided test at alpha 0.05 to find them
#: 4 times in 5; a cohort is one batched body, so its cost barely grows with its size.
FULL_COHORT = 100
#: Rats in sensitization's incremental and lesioned arms at the full budget. Its removal arm "the
#: need-free rise exceeds the sensitization-lesioned rats'" compares two independent arms: over
#: seeds 0-4 with 100 rats the difference was 0.074 (0.060-0.095 per seed), spreads 0.356 and 0.327
#: per rat, and ``sample_size(hypot(0.356, 0.327), 0.074)`` = 673 give it power 0.99 per seed. With
#: 100 it failed on 4 seeds of 5. (The need-free rise itself stays below zero: docs/science.md.)
NEED_FREE_RATS = 680

# Robinson & Berridge's protocol up to the first cue-only test, then a Pavlovian
# re-exposure *while still depleted* (furosemide keeps pulling sodium down, so the
# salt tasted does not repair the deficit), then a second cue-only test, then the
# preset's re-repletion and its test. Its first three phases are the preset's, step
# for step, so trial 1 of ``test_depleted`` is the same trial as in the preset.
REEXPOSURE_TRIALS = 10
REEXPOSURE_PROTOCOL: tuple[dict[str, Any], ...] = (
    *PRESETS["dead_sea_salt"][:3],
    {"name": "reexpose_depleted", "kind": "pavlovian", "trials": REEXPOSURE_TRIALS, "sodium": "deplete"},
    {"name": "test_after_tasting", "kind": "extinction", "trials": 6},
    *PRESETS["dead_sea_salt"][3:],
)

Protocol = str | Sequence[Mapping[str, Any]]


# --- running lives ---------------------------------------------------------------------
def _rat_env(num: int, protocol: Protocol, steering: RatSteering | None = None, **body: Any) -> gym.vector.VectorEnv:
    kwargs: dict[str, Any] = {"protocol": protocol, "max_episode_steps": 2000, **body}  # longer than any protocol here
    if steering is not None:
        kwargs["steering"] = steering
    return gym.make_vec(RAT, num_envs=num, vectorization_mode="vector_entry_point", **kwargs)


class _Individuals:
    """One Kenyon expansion seen by ``n`` rats, each writing to its own block of synapses.

    Row i of a batch is rat i; its active units are offset into block i, so the
    read-out weights (the learned synapses) of different rats never mix: ``n``
    independent learners with one innate architecture (an isogenic cohort), run
    in one batched call instead of ``n`` Python loops.
    """

    def __init__(self, expansion: Any, n: int) -> None:
        self.base, self.n = expansion, int(n)
        self.num_units, self.k = self.n * expansion.num_units, expansion.k

    def encode(self, x: np.ndarray) -> np.ndarray:
        if x.shape[0] != self.n:
            raise ValueError(f"a cohort of {self.n} rats needs batches of {self.n} rows, got {x.shape[0]}")
        return self.base.encode(x) + (np.arange(self.n) * self.base.num_units)[:, None]


def individuals(agent: Any, n: int) -> Any:
    """``agent`` (a newborn thought assessor or cached-value learner) as ``n`` independent rats."""
    agent.expansion = _Individuals(agent.expansion, n)
    agent.predictors = np.zeros((agent.expansion.num_units, agent.predictors.shape[1]), dtype=agent.predictors.dtype)
    return agent


def live_lives(learner: str, num_rats: int, seed: int, protocol: Protocol, steering: RatSteering | None = None,
               **body: Any) -> list[dict[str, Any]]:
    """One life per rat, each rat a newborn ``learner`` ("thought-assessor" or "cached-value-td",
    with the graded response) with its own synapses, learning online from what arrives in every phase.

    The cohort is one batched body (rat i is body i, seeded ``seed * 1000 + i``; the
    steering holds each rat's own innate parameter). Returns each rat's end-of-life
    ``summary()``.
    """
    env = _rat_env(num_rats, protocol, steering, **body)
    agent = individuals(make_agent(learner, env, seed=seed, **GRADED_RESPONSE), num_rats)
    for t in rollout(env, policy(agent, env, explore=True), seed=seed * 1000):
        learn_from(agent, t)
        if np.all(t.ended):
            break
    out = [env.unwrapped.summary(i) for i in range(num_rats)]
    env.close()
    return out


def _row(name: str, outcome: TestOutcome, target: str, note: str = "", rats: np.ndarray | None = None) -> Criterion:
    """A criterion row from a test, with the context ``note`` before the test's bound and p-value;
    ``rats`` (one bool per rat: that rat alone meets the criterion) adds the fraction of rats that do."""
    row = Criterion.from_test(name, outcome, target)
    if rats is not None:
        note = f"{note}; " * bool(note) + f"{int(np.sum(rats))}/{len(rats)} rats meet it"
    row.note = f"{note}; {row.note}" if note else row.note
    return row


def _means(scores: Mapping[str, np.ndarray]) -> dict[str, float]:
    return {k: float(np.mean(v)) for k, v in scores.items()}


def _sem(x: np.ndarray) -> float:
    return float(np.std(x, ddof=1) / np.sqrt(len(x))) if len(x) > 1 else 0.0


# --- dead-sea-salt -----------------------------------------------------------------------
def cue_scores(summaries: Sequence[Mapping[str, Any]], tests: Sequence[str]) -> dict[str, np.ndarray]:
    """Per rat: ``<cue>_before`` (mean of the last BEFORE_TRIALS training trials of that
    cue) and ``<cue>_<test>`` (the first cue-only trial of that cue in phase ``test``)."""
    out: dict[str, np.ndarray] = {}
    for cue in CUES:
        out[f"{cue}_before"] = np.array([np.mean(s["phases"]["train"]["scores"][cue][-BEFORE_TRIALS:]) for s in summaries])
        for test in tests:
            out[f"{cue}_{test}"] = np.array([s["phases"][test]["first_trial"][cue] for s in summaries], dtype=float)
    return out


def infusion_values(seed: int, steering: RatSteering, **body: Any) -> dict[str, dict[str, float]]:
    """What one infusion of each solution is wanted at, per the steering, at the first trial
    of each test phase of the "dead_sea_salt" preset (a body that only stays: the values do
    not depend on behaviour, salt is never tasted outside the Pavlovian training)."""
    env = _rat_env(1, "dead_sea_salt", steering, **body)
    names = env.unwrapped.phase_names
    out: dict[str, dict[str, float]] = {}

    def stay(obs: Mapping[str, np.ndarray]) -> np.ndarray:
        # Read before the step: the values of the state the rat is in at this step.
        name = names[int(env.unwrapped.body.phase[0])]
        if name.startswith("test") and name not in out:
            value = env.unwrapped.steering.evaluate_prediction
            salt = float(value({"salt": np.ones(1)}, obs["interoception"])[0])
            sweet = float(value({"sweet": np.ones(1)}, obs["interoception"])[0])
            out[name] = {"salt": salt, "sucrose": sweet, "salt_over_sucrose": salt / sweet}
        return np.full(1, STAY)

    for t in rollout(env, stay, seed=seed):
        if t.ended[0]:
            break
    env.close()
    return out


def _sb3_lives(algo: str, steps: int, seed: int, num_rats: int) -> list[dict[str, Any]]:
    """SB3 ``algo`` trained on the dead_sea_salt protocol over many lives, then tested in fresh lives."""
    from brainlike.agents.baselines import SB3Agent

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SB3/torch deprecation chatter: the experiment prints nothing
        agent = SB3Agent(algo, RAT, seed=seed, env_kwargs={"protocol": "dead_sea_salt"})
        agent.train(steps, eval_episodes=1, progress=False)
        env = _rat_env(num_rats, "dead_sea_salt")
        for t in rollout(env, policy(agent, env, explore=True), seed=seed * 1000 + 500_000):  # apart from the learners and from other seeds' SB3 rats
            if np.all(t.ended):
                break
    out = [env.unwrapped.summary(i) for i in range(num_rats)]
    env.close()
    return out


def _follows_values(name: str, scores: Mapping[str, np.ndarray], values: Mapping[str, float]) -> Criterion:
    """The trial-1 score difference between the cues has the sign of their value difference."""
    diff = scores["salt_test_depleted"] - scores["sucrose_test_depleted"]
    salt_first = values["salt"] > values["sucrose"]
    ratio = np.mean(scores["salt_test_depleted"]) / np.mean(scores["sucrose_test_depleted"])
    ordered = diff if salt_first else -diff
    return _row(name, greater(ordered), "> 0",
                f"value ratio salt/sucrose {values['salt_over_sucrose']:.2f}, score ratio {ratio:.2f}; "
                f"measured: ({'salt - sucrose' if salt_first else 'sucrose - salt'}) score", ordered > 0)


def dead_sea_salt(budget: str, seed: int, out_dir: Path, scales: Scales = NOMINAL) -> ExperimentResult:
    """Robinson & Berridge 2013 (https://doi.org/10.1016/j.cub.2012.12.016); Zhang et al. 2009.

    Protocol (preset "dead_sea_salt"): 30 Pavlovian trials at homeostasis (each
    lever cue followed by its infusion whatever the rat does), the first
    depletion of the rat's life, 6 cue-only trials while depleted, re-repletion,
    6 cue-only trials. Every rat is a newborn learner living one life. Scores
    are approach scores in [-1, 1]; "before" is the mean of the last 5 training
    trials of a cue, "trial 1" the first cue-only trial of that cue in a test
    phase. Each criterion is a one-sided test over the cohort's rats (see
    docs/science.md). Arms: intact (additive kappa, incremental strain);
    sensitization lesioned (``max_sensitization=0``); multiplicative kappa; a
    shallow depletion (salt worth less than sucrose); the cached-value TD
    learner, and the same after a Pavlovian re-exposure while depleted.
    """
    n = 8 if budget == "small" else FULL_COHORT
    # Data only (no criterion), kept short: the Pavlovian protocol gives them no action to credit.
    sb3_steps, sb3_rats = (1024, 4) if budget == "small" else (2048, 8)
    tests = ("test_depleted", "test_replete")

    def steering(**kw: Any) -> RatSteering:
        return steering_with(RatSteering, scales, **kw)

    ta = cue_scores(live_lives("thought-assessor", n, seed, "dead_sea_salt", steering()), tests)
    lesioned = cue_scores(live_lives("thought-assessor", n, seed, "dead_sea_salt", steering(max_sensitization=0.0)), tests)
    mult = cue_scores(live_lives("thought-assessor", n, seed, "dead_sea_salt", steering(kappa_form="multiplicative")), tests)
    shallow = cue_scores(live_lives("thought-assessor", n, seed, "dead_sea_salt", steering(),
                                    depletion_level=SHALLOW_DEPLETION), tests)
    cached = cue_scores(live_lives("cached-value-td", n, seed, "dead_sea_salt", steering()), tests)
    reexposed = cue_scores(live_lives("cached-value-td", n, seed, REEXPOSURE_PROTOCOL, steering()),
                           (*tests, "reexpose_depleted", "test_after_tasting"))
    ppo = cue_scores(_sb3_lives("ppo", sb3_steps, seed, sb3_rats), tests)
    dqn = cue_scores(_sb3_lives("dqn", sb3_steps, seed, sb3_rats), tests)
    values = infusion_values(seed, steering())
    shallow_values = infusion_values(seed, steering(), depletion_level=SHALLOW_DEPLETION)

    d = ta["salt_test_depleted"]
    criteria = [
        _row("thought assessor: salt cue learned as repulsive (training, last 5 trials)", not_greater(ta["salt_before"]),
             "mean < 0", f"{n} rats", ta["salt_before"] < 0),
        _row("thought assessor: salt cue approached on cue-only trial 1 after the first depletion", greater(d), "mean > 0",
             f"{n} rats, never tasted salt while depleted", d > 0),
        _row("thought assessor: sucrose cue unchanged, trial 1 depleted - training",
             equivalent(ta["sucrose_test_depleted"] - ta["sucrose_before"], margin=SCORE_MARGIN),
             f"|mean| < {SCORE_MARGIN}", "10% of the score range",
             np.abs(ta["sucrose_test_depleted"] - ta["sucrose_before"]) < SCORE_MARGIN),
        _follows_values("graded response, deep depletion: the cues' trial-1 scores are ordered as their values",
                        ta, values["test_depleted"]),
        _follows_values("graded response, shallow depletion: the cues' trial-1 scores are ordered as their values",
                        shallow, shallow_values["test_depleted"]),
        _row("thought assessor: salt cue avoided again on trial 1 after re-repletion", not_greater(ta["salt_test_replete"]),
             "mean < 0", rats=ta["salt_test_replete"] < 0),
        _row("removal, sensitization lesioned: salt cue still approached on trial 1 after the first depletion",
             greater(lesioned["salt_test_depleted"]), "mean > 0", "the flip needs only the innate appetite",
             lesioned["salt_test_depleted"] > 0),
        _row("removal, multiplicative kappa: salt cue not approached on trial 1 after the first depletion",
             not_greater(mult["salt_test_depleted"]), "mean < 0", "kappa x r keeps the sign of r",
             mult["salt_test_depleted"] < 0),
        _row("cached-value TD learner: salt cue learned as repulsive (training)", not_greater(cached["salt_before"]),
             "mean < 0", rats=cached["salt_before"] < 0),
        _row("cached-value TD learner: salt cue not approached on trial 1 after the first depletion",
             not_greater(cached["salt_test_depleted"]), "mean < 0",
             rats=cached["salt_test_depleted"] < 0),
        _row("cached-value TD learner: salt cue approached on trial 1 after tasting salt while depleted",
             greater(reexposed["salt_test_after_tasting"]), "mean > 0",
             f"{REEXPOSURE_TRIALS} Pavlovian re-exposure trials while depleted", reexposed["salt_test_after_tasting"] > 0),
    ]

    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), sharey=True)
    labels = ["training\n(last 5)", "depleted\ntrial 1", "re-repleted\ntrial 1"]
    keys = ("before", "test_depleted", "test_replete")
    x = np.arange(3)
    for ax, scores, title in ((axes[0], ta, "thought assessor (evaluates predictions)"),
                              (axes[1], cached, "cached-value TD learner (model-free)")):
        for j, (cue, color) in enumerate((("sucrose", "#e0a020"), ("salt", "#3c6ec8"))):
            vals = [scores[f"{cue}_{k}"] for k in keys]
            ax.bar(x + (j - 0.5) * 0.38, [v.mean() for v in vals], 0.38, yerr=[_sem(v) for v in vals],
                   color=color, label=f"{cue} cue")
        ax.set_xticks(x, labels)
        ax.set_title(title, fontsize=10)
        ax.axhline(0, color="k", lw=0.8)
    axes[0].set_ylabel("cue approach score (mean over rats)")
    axes[0].legend(fontsize=8, loc="upper center", ncol=2, bbox_to_anchor=(0.5, -0.2))
    ctrl = [("sensitization lesioned", lesioned["salt_test_depleted"]),
            ("multiplicative kappa", mult["salt_test_depleted"]),
            ("shallow depletion", shallow["salt_test_depleted"]),
            ("cached TD after tasting salt depleted", reexposed["salt_test_after_tasting"]),
            ("PPO", ppo["salt_test_depleted"]), ("DQN", dqn["salt_test_depleted"])]
    axes[2].bar(np.arange(len(ctrl)), [v.mean() for _, v in ctrl], yerr=[_sem(v) for _, v in ctrl],
                color=["#3c6ec8", "#7f7f7f", "#8fb0e0", "#3c6ec8", "#c0504d", "#e6a0a0"])
    axes[2].set_xticks(np.arange(len(ctrl)), [k for k, _ in ctrl], fontsize=7, rotation=35, ha="right")
    axes[2].axhline(0, color="k", lw=0.8)
    axes[2].axhline(CHANCE_SCORE, color="k", lw=0.8, ls=":")
    axes[2].set_title("salt cue, depleted trial 1: arms (dotted: chance)", fontsize=10)
    axes[0].set_ylim(-1.1, 1.1)
    fig.suptitle("Dead Sea salt: the first cue-only trial after the first depletion")
    figure = save_figure(fig, out_dir, "dead-sea-salt")

    data = {
        "num_rats_per_arm": n,
        "scales": dict(scales),
        "agent": f"thought-assessor (registry defaults for SaltRat-v0 with the graded Pavlovian response "
                 f"{GRADED_RESPONSE}), newborn per rat, learning online within its one life",
        "before": f"mean of the last {BEFORE_TRIALS} training trials per cue",
        "infusion_values": {"deep": values, "shallow": shallow_values,
                            "note": "the steering's wanting of one infusion at trial 1 of each test"},
        "thought_assessor": {"means": _means(ta), "per_rat": ta},
        "sensitization_lesioned": {"means": _means(lesioned), "per_rat": lesioned},
        "multiplicative_kappa": {"means": _means(mult), "per_rat": mult},
        "shallow_depletion": {"depletion_level": SHALLOW_DEPLETION, "means": _means(shallow), "per_rat": shallow},
        "cached_td": {"means": _means(cached), "per_rat": cached},
        "cached_td_reexposure": {"protocol": list(REEXPOSURE_PROTOCOL), "means": _means(reexposed), "per_rat": reexposed},
        "model_free_sb3": {
            "train_steps": sb3_steps, "test_rats": sb3_rats, "ppo": _means(ppo), "dqn": _means(dqn),
            "chance_score": CHANCE_SCORE,
            "note": "trained across many lives (each a whole dead_sea_salt protocol) and tested in fresh lives; "
                    "in a Pavlovian protocol the infusion comes whatever the rat does, so reward-driven policy "
                    "learning has no action to credit; neither ever tastes salt while depleted before trial 1."},
    }
    return ExperimentResult("dead-sea-salt", budget, seed, criteria, data, figure)


# --- sensitization -----------------------------------------------------------------------
DEPLETIONS = (1, 2, 3)


def salt_appetite_records(summaries: Sequence[Mapping[str, Any]]) -> dict[str, np.ndarray]:
    """Per rat, from the "sensitization" preset: (rats, 3) ``intake``, ``latency`` (a rat
    that never drank gets the phase length: censored, not dropped, which would make a
    reluctant population look quick), ``reactivity`` (taste reactivity) and
    ``sodium_end`` (after free access) per depletion; (rats, 4) ``need_free`` intake at
    homeostasis, before the first depletion (column 0) and after each."""
    phases = [s["phases"] for s in summaries]
    steps = {p["name"]: p["steps"] for p in PRESETS["sensitization"]}

    def per_depletion(key: str, name: str, censor: float | None = None) -> np.ndarray:
        return np.array([[censor if p[f"{name}_{k}"][key] is None else p[f"{name}_{k}"][key] for k in DEPLETIONS]
                         for p in phases], dtype=float)

    return {
        "intake": per_depletion("salt_intake", "salt_access"),
        "latency": per_depletion("latency", "salt_access", censor=steps["salt_access_1"]),
        "reactivity": per_depletion("taste_reactivity", "taste"),
        "sodium_end": per_depletion("sodium_end", "salt_access"),
        "need_free": np.array([[p[f"need_free_{k}"]["salt_intake"] for k in (0, *DEPLETIONS)] for p in phases]),
    }


def breakpoints(summaries: Sequence[Mapping[str, Any]]) -> np.ndarray:
    """(rats, 3) the progressive ratio's breakpoint per depletion, from the "salt_work" preset."""
    return np.array([[s["phases"][f"work_{k}"]["breakpoint"] for k in DEPLETIONS] for s in summaries], dtype=float)


def cohort(n: int, seed: int, steering: Callable[[], RatSteering]) -> dict[str, np.ndarray]:
    """``n`` newborn thought assessors through "sensitization" and ``n`` others through "salt_work"."""
    out = salt_appetite_records(live_lives("thought-assessor", n, seed, "sensitization", steering()))
    out["breakpoint"] = breakpoints(live_lives("thought-assessor", n, seed, "salt_work", steering()))
    return out


def sensitization(budget: str, seed: int, out_dir: Path, scales: Scales = NOMINAL) -> ExperimentResult:
    """Sakai et al. 1987 (https://doi.org/10.1037/0735-7044.101.5.724), 1989; Leshem et al. 2004;
    Clark & Bernstein 2006.

    Protocols (presets "sensitization" and "salt_work", each rat a newborn thought
    assessor living one life): need-free access to a salt spout at homeostasis,
    then three times [depletion, a taste-reactivity probe, free access to salt,
    repletion, need-free access]; and, for other rats, three times [depletion, a
    progressive ratio for salt, repletion]. The change across depletions lives
    in the steering's one innate adjustable parameter (``salt_sensitization``),
    raised after each depletion episode on the wanting channel only. Arms: the
    incremental strain, the full strain, and sensitization lesioned
    (``max_sensitization=0``), whose rats learn exactly as much but whose
    steering never sensitizes: rises seen in it are learning, not sensitization.
    Criteria: one-sided tests over rats (paired within a rat; see docs/science.md).
    """
    n, n_need_free = (6, 6) if budget == "small" else (FULL_COHORT, NEED_FREE_RATS)

    def steering(**kw: Any) -> Callable[[], RatSteering]:
        return lambda: steering_with(RatSteering, scales, **kw)

    inc = cohort(n_need_free, seed, steering(strain="incremental"))
    full = cohort(n, seed, steering(strain="full"))
    lesion = cohort(n_need_free, seed, steering(strain="incremental", max_sensitization=0.0))
    i, f, z = inc["intake"], full["intake"], lesion["intake"]
    bp, bpz = inc["breakpoint"], lesion["breakpoint"]
    nf, nfz = inc["need_free"], lesion["need_free"]
    react = inc["reactivity"]
    lat = inc["latency"]
    params = RatSteering().parameters

    def trio(x: np.ndarray, digits: int = 2) -> str:
        return ", ".join(f"{v:.{digits}f}" for v in x.mean(axis=0))

    criteria = [
        _row("incremental strain: intake(2) - 1.2 x intake(1)", greater(i[:, 1] - 1.2 * i[:, 0]), "mean > 0",
             f"{n_need_free} rats, paired; intake {trio(i)} units", i[:, 1] > 1.2 * i[:, 0]),
        _row("incremental strain: intake(3) - 1.2 x intake(1)", greater(i[:, 2] - 1.2 * i[:, 0]), "mean > 0",
             rats=i[:, 2] > 1.2 * i[:, 0]),
        _row("incremental strain: plateau, the increment shrinks, (i2 - i1) - (i3 - i2)",
             greater((i[:, 1] - i[:, 0]) - (i[:, 2] - i[:, 1])), "mean > 0"),
        _row("incremental strain: latency to drink falls, latency(1) - latency(3) (steps)", greater(lat[:, 0] - lat[:, 2]),
             "mean > 0", f"latency {trio(lat, 1)}", lat[:, 0] > lat[:, 2]),
        _row("full strain: the whole rise after the first depletion, intake(2) - 1.2 x intake(1)",
             greater(f[:, 1] - 1.2 * f[:, 0]), "mean > 0", f"intake {trio(f)}", f[:, 1] > 1.2 * f[:, 0]),
        _row("full strain: at plateau from the second depletion, intake(3) - intake(2)",
             equivalent(f[:, 2] - f[:, 1], margin=RELATIVE_MARGIN * float(f[:, 1].mean())),
             f"|mean| < {RELATIVE_MARGIN:g} x intake(2)"),
        _row("wanting: breakpoint of the progressive ratio rises, breakpoint(3) - breakpoint(1)",
             greater(bp[:, 2] - bp[:, 0]), "mean > 0", f"breakpoints {trio(bp, 1)}", bp[:, 2] > bp[:, 0]),
        _row("removal: the breakpoint's rise exceeds the sensitization-lesioned rats' (learning alone)",
             greater(bp[:, 2] - bp[:, 0], bpz[:, 2] - bpz[:, 0]), "mean difference > 0",
             f"lesioned breakpoints {trio(bpz, 1)}"),
        _row("liking unchanged: taste reactivity(3) - taste reactivity(1)",
             equivalent(react[:, 2] - react[:, 0], margin=RELATIVE_MARGIN * abs(float(react[:, 0].mean()))),
             f"|mean| < {RELATIVE_MARGIN:g} x reactivity(1)", f"liking per unit {trio(react, 3)}"),
        _row("need-free intake rises (Sakai 1989), after the third depletion - before the first",
             greater(nf[:, 3] - nf[:, 0]), "mean > 0", f"need-free intake {trio(nf)} (before, after 1, 2, 3)",
             nf[:, 3] > nf[:, 0]),
        _row("removal: the need-free rise exceeds the sensitization-lesioned rats'",
             greater(nf[:, 3] - nf[:, 0], nfz[:, 3] - nfz[:, 0]), "mean difference > 0",
             f"lesioned need-free intake {trio(nfz)}"),
        _row("removal, sensitization lesioned: still drinks at the first depletion, intake(1) - need-free intake before",
             greater(z[:, 0] - nfz[:, 0]), "mean > 0", rats=z[:, 0] > nfz[:, 0]),
        # Sakai et al. 1987's controls shared the salt access but not the depletions, so the
        # rise that learning the spout brings is in both groups: the lesioned rats (the same
        # rats, the same access, no sensitization) are the baseline, depletion 1 the reference.
        _row("removal, sensitization lesioned: the intake rise exceeds the lesioned rats', "
             "(i3 - i1) - (lesioned i3 - i1)", greater(i[:, 2] - i[:, 0], z[:, 2] - z[:, 0]), "mean difference > 0",
             f"lesioned intake {trio(z)}: its own rise is learning the spout"),
        _row("the deficit is repaired: sodium after free access at the first depletion",
             greater(inc["sodium_end"][:, 0], margin=0.9), "mean > 0.9",
             f"sodium after access {trio(inc['sodium_end'])} (set point 1, depleted 0.3)", inc["sodium_end"][:, 0] > 0.9),
        Criterion("innate adjustable parameters in the rat's steering", float(params.count), "== 1", params.count == 1,
                  f"{', '.join(params)}: the only number that changes across depletions"),
    ]

    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 4, figsize=(15, 3.6))
    k = np.array(DEPLETIONS)
    arms = (("incremental strain", inc, "#3c6ec8"), ("full strain", full, "#c0504d"),
            ("sensitization lesioned", lesion, "#7f7f7f"))
    for label, res, color in arms:
        for ax, key in zip(axes, ("intake", "latency", "breakpoint", "reactivity")):
            v = res[key]
            ax.errorbar(k, v.mean(axis=0), yerr=[_sem(v[:, j]) for j in range(3)], marker="o", color=color,
                        label=label, capsize=3)
    for ax, ylabel in zip(axes, ("salt intake, depleted (units)", "latency to the first lick (steps)",
                                 "progressive-ratio breakpoint (wanting)", "taste reactivity (liking per unit)")):
        ax.set_xticks(k, [f"depletion {j}" for j in k])
        ax.set_ylabel(ylabel)
    axes[0].legend(fontsize=7, loc="upper left", bbox_to_anchor=(0.0, -0.12), ncol=3)
    fig.suptitle("Salt appetite sensitization: newborn learners over three depletions")
    figure = save_figure(fig, out_dir, "sensitization")

    def summary(res: Mapping[str, np.ndarray]) -> dict[str, Any]:
        return {key: v.mean(axis=0) for key, v in res.items()} | {"per_rat": dict(res)}

    data = {
        "num_rats_per_arm_and_protocol": {"incremental": n_need_free, "full": n, "sensitization_lesioned": n_need_free},
        "scales": dict(scales),
        "agent": f"thought-assessor (registry defaults for SaltRat-v0 with the graded Pavlovian response "
                 f"{GRADED_RESPONSE}), newborn per rat, learning online within its one life; wanting is what it "
                 "evaluates its predictions with",
        "definitions": {"latency of a rat that never drank": "the phase length (censored)",
                        "taste reactivity": "the liking (taste reward) per unit of the intraoral probes",
                        "breakpoint": "the last progressive ratio completed in 100 steps"},
        "incremental": summary(inc),
        "full": summary(full),
        "sensitization_lesioned": {**summary(lesion), "note": "RatSteering(max_sensitization=0)"},
        "innate_parameters": list(params),
    }
    return ExperimentResult("sensitization", budget, seed, criteria, data, figure)


EXPERIMENTS = [
    Experiment("dead-sea-salt", RAT, "Robinson & Berridge 2013; Zhang, Berridge, Tindell, Smith & Aldridge 2009",
               "https://doi.org/10.1016/j.cub.2012.12.016", ("learned", "steering", "kappa", "salt", "rat"),
               "A salt cue learned as repulsive is approached on the first cue-only trial after the first depletion "
               "by learners whose predictions the steering re-evaluates, with the innate appetite alone; not with "
               "multiplicative kappa, nor by a cached-value learner.",
               dead_sea_salt, SENSITIVITY),
    Experiment("sensitization", RAT, "Sakai et al. 1987, 1989; Leshem et al. 2004; Clark & Bernstein 2006",
               "https://doi.org/10.1037/0735-7044.101.5.724", ("innate", "adjustable parameter", "salt", "rat"),
               "Learners' salt intake, work for salt and need-free intake rise over three depletions to a plateau "
               "and latency falls, through one innate adjustable parameter on the wanting channel; liking does not "
               "change; a lesioned rat still drinks at its first depletion.",
               sensitization, SENSITIVITY),
]

"""Looming escape experiments on ForagingMouse-v0 (Yilmaz & Meister 2013; De Franceschi
et al. 2016; Evans et al. 2018).

``first-loom``: newborn mice with the innate looming reflex answer their first
ever loom by flight or freezing (>= 80%), starting within a few steps; escape
probability rises with contrast; reflex-lesioned mice answer at chance.
``one-life``: when capture is lethal, a reflex-lesioned learner cannot learn
escape within its one life: it survives its first loom no more often than
chance, far less often than a newborn with the reflex.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import gymnasium as gym

from brainlike import envs  # noqa: F401  (registers the bodies)
import numpy as np

from brainlike.agents.experiments.base import Criterion, Experiment, ExperimentResult
from brainlike.agents.reporting import save_figure
from brainlike.agents.stats import proportion_ci, spearman
from brainlike.agents.rollout import Transition, learn_from, policy, rollout
from brainlike.agents.simple import RandomAgent
from brainlike.steering.mouse import STAY

MOUSE = "brainlike/ForagingMouse-v0"
Policy = Callable[[Any], np.ndarray]


@dataclass
class FirstLooms:
    """Per mouse: what happened around its first loom (NaN/False where it never saw one)."""

    seen: np.ndarray  # saw a loom before dying or the step limit
    reflex: np.ndarray  # the reflex's answer: "flee", "freeze" or ""
    latency: np.ndarray  # steps from loom onset to the reflex's first action
    answered: np.ndarray  # behaviour: froze (>= 2 still steps) or reached the nest during the loom
    survived: np.ndarray  # not captured by the strike
    baseline_answered: np.ndarray  # the same measure in a window before any loom (use lives with no looms)

    def rate(self, x: np.ndarray) -> float:
        return float(x[self.seen].mean()) if self.seen.any() else float("nan")


def run_first_looms(num_mice: int, seed: int, policy_for: Callable[[gym.vector.VectorEnv], Policy],
                    learn: Callable[[Transition], Any] | None = None, max_steps: int = 400,
                    **env_kwargs: Any) -> FirstLooms:
    """Run ``num_mice`` newborn mice until each meets its first loom; record the response.

    ``learn`` (optional) receives each batched ``Transition``, so a learner can
    learn online during its life, as it would in the wild.
    """
    env = gym.make_vec(MOUSE, num_envs=num_mice, vectorization_mode="vector_entry_point",
                       max_episode_steps=max_steps + 1, **env_kwargs)
    body = env.unwrapped.body
    behave = policy_for(env)
    n = num_mice
    onset = np.full(n, -1)
    over = np.zeros(n, dtype=bool)  # this mouse's first loom (or life) is over
    reflex = np.full(n, "", dtype=object)
    latency = np.full(n, np.nan)
    entered_nest = np.zeros(n, dtype=bool)
    still_run = np.zeros(n, dtype=int)
    froze = np.zeros(n, dtype=bool)
    survived = np.ones(n, dtype=bool)
    base_still = np.zeros(n, dtype=int)
    base_answered = np.zeros(n, dtype=bool)
    base_start = 20  # a loom-free window of the same length, early in life
    loom_steps = body.loom_steps
    alive = np.ones(n, dtype=bool)
    looms_before = np.zeros_like(body.stats["looms"])

    def act(obs: Any) -> np.ndarray:
        looms_before[:] = body.stats["looms"]  # before the step: a loom that starts on it is new
        return behave(obs)

    for t, step in zip(range(max_steps), rollout(env, act, seed=seed)):
        if learn is not None:
            learn(step)
        term, trunc, info = step.terminated, step.truncated, step.infos
        executed = info["executed_action"]
        new = alive & ~over & (onset < 0) & (body.stats["looms"] > looms_before)
        onset[new] = t
        active = alive & ~over & (onset >= 0)
        fired = active & (info["steering"]["reflex"] != None) & np.isnan(latency)  # noqa: E711
        reflex[fired] = info["steering"]["reflex"][fired]
        latency[fired] = t - onset[fired]
        # Stillness counted inside the window only, as in the loom-free baseline.
        still_run = np.where(active & (executed == STAY), still_run + 1, 0)
        froze |= active & (still_run >= 2)
        entered_nest |= active & body.in_nest()
        captured = info["events"]["captured"]
        survived &= ~(active & captured)
        in_base = alive & (onset < 0) & (t >= base_start) & (t <= base_start + loom_steps)
        base_still = np.where(in_base & (executed == STAY), base_still + 1, np.where(in_base, 0, base_still))
        base_answered |= in_base & ((base_still >= 2) | body.in_nest())
        over |= active & (t - onset >= loom_steps)
        alive &= ~(term | trunc)
        if not (alive & ~over).any():
            break
    env.close()
    seen = onset >= 0
    return FirstLooms(seen, reflex, latency, froze | entered_nest, survived, base_answered)


def _random_policy(seed: int) -> Callable[[gym.vector.VectorEnv], Policy]:
    def make(env: gym.vector.VectorEnv) -> Policy:
        agent = RandomAgent(env.single_observation_space, env.single_action_space, seed=seed)
        return lambda obs: agent.act(obs)
    return make


def first_loom(budget: str, seed: int, out_dir: Path) -> ExperimentResult:
    n = 200 if budget == "small" else 1000
    innate = run_first_looms(n, seed, _random_policy(seed), predator_rate=0.03)
    lesioned = run_first_looms(n, seed, _random_policy(seed), predator_rate=0.03, reflexes=False)
    # The same behaviour measured in the same window of lives without any loom: chance.
    loom_free = run_first_looms(n, seed, _random_policy(seed), predator_rate=0.0, reflexes=False)
    contrasts = np.array([0.05, 0.1, 0.125, 0.15, 0.2, 0.3, 0.5, 1.0])
    per_contrast = [run_first_looms(n // 2, seed + 1, _random_policy(seed), predator_rate=0.03, loom_contrast=float(c))
                    for c in contrasts]
    answer_by_contrast = np.array([r.rate(r.reflex != "") for r in per_contrast])

    fired = innate.seen & (innate.reflex != "")
    answered_rate = innate.rate(innate.reflex != "")
    median_latency = float(np.median(innate.latency[fired])) if fired.any() else float("nan")
    les_rate, les_base = lesioned.rate(lesioned.answered), float(loom_free.baseline_answered.mean())
    k, m = int(lesioned.answered[lesioned.seen].sum()), int(lesioned.seen.sum())
    lo, hi = proportion_ci(k, m)
    rho = spearman(contrasts, answer_by_contrast)
    criteria = [
        Criterion("first looms answered by the innate reflex", answered_rate, ">= 0.80", answered_rate >= 0.8,
                  f"{int(fired.sum())}/{int(innate.seen.sum())} newborns"),
        Criterion("median latency to the reflex (steps)", median_latency, "<= 3", median_latency <= 3),
        Criterion("escape probability vs contrast (Spearman rho)", rho, ">= 0.9", rho >= 0.9),
        Criterion("reflex-lesioned answer rate minus loom-free rate", les_rate - les_base,
                  "loom-free rate inside the lesioned 95% CI", lo <= les_base <= hi,
                  f"lesioned {les_rate:.2f} [{lo:.2f}, {hi:.2f}], loom-free {les_base:.2f}"),
    ]
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    axes[0].bar(["innate\n(reflex)", "lesioned\n(loom)", "lesioned\n(no loom)"],
                [innate.rate(innate.answered), les_rate, les_base], color=["#c0504d", "#7f7f7f", "#bfbfbf"])
    axes[0].set_ylabel("first looms answered (flee or freeze)")
    axes[0].set_ylim(0, 1)
    axes[1].plot(contrasts, answer_by_contrast, "o-", color="#c0504d")
    axes[1].set_xscale("log")
    axes[1].set_xlabel("loom contrast")
    axes[1].set_ylabel("P(escape response)")
    axes[1].set_ylim(-0.02, 1.02)
    fig.suptitle("First-ever loom: the innate reflex needs no learning")
    figure = save_figure(fig, out_dir, "first-loom")
    data = {"num_mice": n, "innate_answer_rate": answered_rate, "innate_kinds": {
                "flee": int((innate.reflex[innate.seen] == "flee").sum()), "freeze": int((innate.reflex[innate.seen] == "freeze").sum())},
            "median_latency": median_latency, "contrasts": contrasts, "answer_by_contrast": answer_by_contrast,
            "lesioned_answer_rate": les_rate, "lesioned_loom_free_rate": les_base}
    return ExperimentResult("first-loom", budget, seed, criteria, data, figure)


def one_life(budget: str, seed: int, out_dir: Path) -> ExperimentResult:
    from brainlike.agents.registry import make_agent

    n = 200 if budget == "small" else 800
    kwargs = dict(predator_rate=0.03, lethal_capture=True)
    innate = run_first_looms(n, seed, _random_policy(seed), **kwargs)
    chance = run_first_looms(n, seed, _random_policy(seed), reflexes=False, **kwargs)

    holder: dict[str, Any] = {}

    def learner_policy(env: gym.vector.VectorEnv) -> Policy:
        holder["agent"] = agent = make_agent("pattern-separation", env, seed=seed)
        return policy(agent, env, explore=True)

    def learn(t: Transition) -> None:
        learn_from(holder["agent"], t)

    learner = run_first_looms(n, seed, learner_policy, learn=learn, reflexes=False, **kwargs)
    s_innate, s_chance, s_learner = (r.rate(r.survived) for r in (innate, chance, learner))
    k, m = int(learner.survived[learner.seen].sum()), int(learner.seen.sum())
    lo, hi = proportion_ci(k, m)
    criteria = [
        Criterion("newborns with the reflex surviving their first loom", s_innate, ">= 0.6", s_innate >= 0.6),
        Criterion("lesioned learner surviving its first loom", s_learner, "chance rate inside its 95% CI",
                  lo <= s_chance <= hi, f"learner {s_learner:.2f} [{lo:.2f}, {hi:.2f}], chance {s_chance:.2f}"),
        Criterion("innate minus lesioned-learner survival", s_innate - s_learner, ">= 0.3", s_innate - s_learner >= 0.3),
    ]
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.4))
    ax.bar(["innate reflex", "lesioned\nrandom", "lesioned\nlearner"], [s_innate, s_chance, s_learner],
           color=["#c0504d", "#bfbfbf", "#4f81bd"])
    ax.set_ylabel("survived the first (lethal) loom")
    ax.set_ylim(0, 1)
    ax.set_title("One life: escape cannot be learned from a lethal outcome")
    figure = save_figure(fig, out_dir, "one-life")
    data = {"num_mice": n, "survival": {"innate": s_innate, "lesioned_random": s_chance, "lesioned_learner": s_learner}}
    return ExperimentResult("one-life", budget, seed, criteria, data, figure)


EXPERIMENTS = [
    Experiment("first-loom", MOUSE, "Yilmaz & Meister 2013; De Franceschi et al. 2016; Evans et al. 2018",
               "https://doi.org/10.1016/j.cub.2013.08.015", ("innate", "reflex", "escape", "mouse"),
               "Naive mice flee or freeze on their first loom; escape rises with contrast; lesioned mice answer at chance.",
               first_loom),
    Experiment("one-life", MOUSE, "Yilmaz & Meister 2013 (innate escape); the one-life argument of docs/science.md",
               "https://doi.org/10.1016/j.cub.2013.08.015", ("innate", "learning", "lethal", "mouse"),
               "With lethal capture a reflex-lesioned learner cannot learn escape within one life.",
               one_life),
]

"""One training loop and one evaluation for every numpy agent, over the native vector envs.

Many bodies run in one numpy step (``gym.make_vec(..., vectorization_mode=
"vector_entry_point")``); the agent acts on the whole batch and learns from
the whole batch of transitions. The vector envs use Gymnasium's *next-step*
autoreset: the step after an episode ends is a reset step whose action is
ignored and whose "transition" (final obs -> first obs of the next life) is
not real, so ``agents.rollout`` marks it ``valid=False`` and the agent learns
nothing from it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from typing import Any

import gymnasium as gym
import numpy as np

from brainlike import envs  # noqa: F401  (registers the bodies)
from brainlike.agents.backends import one_blas_thread
from brainlike.agents.base import Agent
from brainlike.agents.reporting import progress_bar, write_history_csv, write_history_json  # noqa: F401  (scripts/train.py imports the last two from here)
from brainlike.agents.rollout import evaluation_seed, learn_from, policy, rollout

History = list[dict[str, Any]]


def make_vec_env(env_id: str, num_envs: int, **env_kwargs: Any) -> gym.vector.VectorEnv:
    """The body's native vector env with ``num_envs`` bodies."""
    if num_envs < 1:
        raise ValueError(f"num_envs must be >= 1, got {num_envs}")
    return gym.make_vec(env_id, num_envs=num_envs, vectorization_mode="vector_entry_point", **env_kwargs)


def _numeric_summary(env: gym.vector.VectorEnv, bodies: np.ndarray) -> list[dict[str, float]]:
    """Per-life statistics (the body's ``summary``) of the given bodies, numbers only."""
    body = getattr(env.unwrapped, "body", None)
    if body is None:
        return [{} for _ in bodies]
    out = []
    for i in bodies:
        s = body.summary(int(i))
        out.append({k: float(v) for k, v in s.items() if isinstance(v, (int, float, bool, np.integer, np.floating))})
    return out


def run_episodes(
    agent: Agent,
    env_id: str,
    episodes: int,
    seed: int = 0,
    explore: bool = False,
    max_parallel: int = 256,
    env_kwargs: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Run ``episodes`` lives, one per body (seeds ``seed, seed+1, ...``), without learning.

    Every body's *first* episode counts, so short lives are not over-sampled.
    Returns ``{"returns": (episodes,), "lengths": (episodes,), "metrics": {name: (episodes,)}}``
    where metrics are the body's end-of-life ``summary`` numbers.
    """
    if episodes < 1:
        raise ValueError(f"episodes must be >= 1, got {episodes}")
    returns, lengths, summaries = [], [], []
    done_so_far = 0
    while done_so_far < episodes:
        n = min(max_parallel, episodes - done_so_far)
        env = make_vec_env(env_id, n, **dict(env_kwargs or {}))
        ret = np.zeros(n)
        length = np.zeros(n, dtype=np.int64)
        running = np.ones(n, dtype=bool)
        summary: list[dict[str, float]] = [{} for _ in range(n)]
        for t in rollout(env, policy(agent, env, explore), seed=seed + done_so_far):
            ret += np.where(running, t.rewards, 0.0)
            length += running
            ended = running & t.ended
            if ended.any():
                idx = np.flatnonzero(ended)
                for i, s in zip(idx, _numeric_summary(env, idx)):
                    summary[i] = s
                running &= ~ended
            if not running.any():
                break
        env.close()
        returns.append(ret)
        lengths.append(length)
        summaries.extend(summary)
        done_so_far += n
    keys = sorted({k for s in summaries for k in s})
    return {
        "returns": np.concatenate(returns),
        "lengths": np.concatenate(lengths),
        "metrics": {k: np.array([s.get(k, np.nan) for s in summaries]) for k in keys},
    }


def evaluate(
    agent: Agent,
    env_id: str,
    episodes: int = 64,
    seed: int = 0,
    explore: bool = False,
    max_parallel: int = 256,
    env_kwargs: Mapping[str, Any] | None = None,
) -> np.ndarray:
    """Per-episode returns of ``agent`` (greedy unless ``explore``) over ``episodes`` fresh lives."""
    return run_episodes(agent, env_id, episodes, seed, explore, max_parallel, env_kwargs)["returns"]


@one_blas_thread()
def train(
    agent: Agent,
    env_id: str,
    total_steps: int,
    num_envs: int = 64,
    seed: int = 0,
    eval_every: int | None = None,
    eval_episodes: int = 32,
    eval_seed: int | None = None,
    progress: bool = True,
    env_kwargs: Mapping[str, Any] | None = None,
    callback: Callable[[dict[str, Any]], None] | None = None,
) -> History:
    """Train ``agent`` for ``total_steps`` env steps (summed over ``num_envs`` parallel bodies).

    Every ``eval_every`` env steps (and at the start and end) the greedy policy
    is evaluated on ``eval_episodes`` separate bodies (seeds from ``eval_seed``,
    default ``evaluation_seed(seed)``, never used in training). Returns the history:
    one dict per evaluation with ``env_steps``, ``wall_seconds`` (training time
    so far, evaluation excluded), ``mean_return`` (greedy evaluation),
    ``train_return`` (mean return of training lives finished since the last row),
    ``episodes`` (training lives finished so far) and the body's summary
    metrics averaged over the evaluation lives (prefixed ``eval_``).

    The loop runs on one BLAS thread (``one_blas_thread``): its matrices are small,
    and a second thread only contends with the other jobs on the machine.
    """
    if total_steps < 1:
        raise ValueError(f"total_steps must be >= 1, got {total_steps}")
    kwargs = dict(env_kwargs or {})
    eval_seed = evaluation_seed(seed) if eval_seed is None else eval_seed
    every = total_steps if eval_every is None else max(int(eval_every), num_envs)
    env = make_vec_env(env_id, num_envs, **kwargs)
    history: History = []
    finished: list[float] = []
    episodes = 0
    steps, train_time = 0, 0.0

    def record() -> None:
        nonlocal finished
        res = run_episodes(agent, env_id, eval_episodes, eval_seed, explore=False, env_kwargs=kwargs)
        row: dict[str, Any] = {
            "env_steps": steps,
            "wall_seconds": round(train_time, 4),
            "mean_return": float(res["returns"].mean()),
            "train_return": float(np.mean(finished)) if finished else math.nan,
            "episodes": episodes,
        }
        row.update({f"eval_{k}": float(np.nanmean(v)) for k, v in res["metrics"].items()})
        history.append(row)
        finished = []
        if callback is not None:
            callback(row)

    record()
    agent.reset_state()
    steps_of = rollout(env, policy(agent, env, explore=True), seed=seed)
    ret = np.zeros(num_envs)
    next_eval = every
    bar = progress_bar(total_steps, progress, unit="step", desc=f"{type(agent).__name__} on {env_id}")
    try:
        t0 = time.perf_counter()
        while steps < total_steps:
            t = next(steps_of)
            learn_from(agent, t)
            ret += np.where(t.valid, t.rewards, 0.0)
            ended = t.ended
            if ended.any():
                finished.extend(ret[ended].tolist())
                episodes += int(ended.sum())
                ret[ended] = 0.0
            steps += num_envs
            bar.update(num_envs)
            if steps >= next_eval or steps >= total_steps:
                train_time += time.perf_counter() - t0
                record()
                bar.set_postfix(eval_return=f"{history[-1]['mean_return']:.3f}")
                next_eval += every
                t0 = time.perf_counter()
    finally:
        bar.close()
        env.close()
    return history


__all__ = ["History", "evaluate", "make_vec_env", "run_episodes", "train"]

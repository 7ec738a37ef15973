"""Soak every body: long runs that look for memory growth, NaN or inf, and slowdown.

    brainlike soak                                  # 1M body-steps per body (N=1024) and a 100k-step single env
    brainlike soak --body-steps 200000 --single-steps 20000 --json

For each body: the native vector env with random actions for ``--body-steps``
body-steps, then one single env (``gym.make``) for ``--single-steps`` steps,
resetting when a life ends. Reported per run: non-finite observations or
rewards (must be 0), resident memory at the start and the end (growth in MB),
and the step time of the last tenth against the first tenth (a ratio near 1:
no slowdown). Not part of the test suite: it takes minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

from brainlike.scripts.common import Command, body_id, body_names, non_negative_int, positive_int


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--bodies", nargs="+", default=None, help="bodies to soak (default: every registered body)")
    parser.add_argument("--body-steps", type=positive_int, default=1_000_000,
                        help="body-steps of the vector run per body (default 1,000,000)")
    parser.add_argument("--num-envs", type=positive_int, default=1024, help="bodies in the vector env (default 1024)")
    parser.add_argument("--single-steps", type=positive_int, default=100_000,
                        help="steps of the single-env run per body (default 100,000)")
    parser.add_argument("--seed", type=non_negative_int, default=1, help="seed of the runs (default 1)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")


def _rss_mb() -> float:
    """This process's resident memory now (Linux /proc; elsewhere the peak from getrusage)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _finite(x: Any) -> bool:
    import numpy as np

    if isinstance(x, dict):
        return all(_finite(v) for v in x.values())
    return bool(np.all(np.isfinite(np.asarray(x, dtype=np.float64))))


def _soak(step: Any, steps: int) -> dict[str, float]:
    """Call ``step()`` (which returns (obs, reward)) ``steps`` times; count non-finite values, time and memory."""
    tenth = max(1, steps // 10)
    rss0, bad, times = _rss_mb(), 0, []
    t = time.perf_counter()
    for i in range(steps):
        obs, reward = step()
        if not (_finite(obs) and _finite(reward)):
            bad += 1
        if (i + 1) % tenth == 0:
            now = time.perf_counter()
            times.append(now - t)
            t = now
    return {"calls": steps, "non_finite_steps": bad, "rss_start_mb": round(rss0, 1), "rss_end_mb": round(_rss_mb(), 1),
            "rss_growth_mb": round(_rss_mb() - rss0, 1), "last_vs_first_tenth_time": round(times[-1] / times[0], 3)}


def soak_body(env_id: str, body_steps: int, num_envs: int, single_steps: int, seed: int) -> dict[str, Any]:
    import gymnasium as gym

    vec = gym.make_vec(env_id, num_envs=num_envs, vectorization_mode="vector_entry_point")
    vec.reset(seed=seed)
    vec.action_space.seed(seed)

    def vec_step() -> tuple[Any, Any]:
        obs, reward, *_ = vec.step(vec.action_space.sample())
        return obs, reward

    vector = _soak(vec_step, max(1, body_steps // num_envs))
    vec.close()

    env = gym.make(env_id, max_episode_steps=single_steps)
    env.reset(seed=seed)
    env.action_space.seed(seed)

    def single_step() -> tuple[Any, Any]:
        obs, reward, term, trunc, _ = env.step(env.action_space.sample())
        if term or trunc:
            env.reset()
        return obs, reward

    single = _soak(single_step, single_steps)
    env.close()
    return {"body": env_id, "vector": {**vector, "body_steps": vector["calls"] * num_envs}, "single": single}


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from brainlike import envs
    from brainlike.envs.profile import body_ids

    bodies = [body_id(b) for b in args.bodies] if args.bodies else list(body_ids())
    unknown = [b for b in bodies if b not in envs.ENV_IDS]
    if unknown:
        parser.error(f"unknown bodies {unknown}; known: {body_names()}")
    results = []
    for env_id in bodies:
        print(f"soaking {env_id} ...", file=sys.stderr, flush=True)
        results.append(soak_body(env_id, args.body_steps, args.num_envs, args.single_steps, args.seed))
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print("| body | run | body-steps | non-finite steps | RSS start -> end (MB) | last/first tenth step time |")
        print("|---|---|---|---|---|---|")
        for r in results:
            for run_name in ("vector", "single"):
                x = r[run_name]
                print(f"| {r['body']} | {run_name} | {x.get('body_steps', x['calls']):,} | {x['non_finite_steps']} | "
                      f"{x['rss_start_mb']} -> {x['rss_end_mb']} | {x['last_vs_first_tenth_time']} |")
    bad = sum(r[k]["non_finite_steps"] for r in results for k in ("vector", "single"))
    return 1 if bad else 0


COMMAND = Command("soak", __doc__, add_arguments, run)


def main(argv: list[str] | None = None) -> int:
    return COMMAND.main(argv)


if __name__ == "__main__":
    sys.exit(main())

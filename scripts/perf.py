"""Throughput of the bodies (and agents), each as a ratio against a reference.

Each reference is measured in the same process, because machines are noisy.

    brainlike perf                    # a table for people
    brainlike perf --json             # the same numbers for machines
    brainlike perf --sb3              # also the SB3 VecEnv adapter against SB3's DummyVecEnv

Measured (medians of ``--repeats`` runs, reference and body interleaved):
- single env, ``gym.make`` and random actions, against ``CartPole-v1``;
- native vector env at N = 64, 1024, 4096 against Gymnasium's native
  ``CartPoleVectorEnv`` at the same N;
- native vector env against ``SyncVectorEnv`` of the same body at N = 256;
- the SB3 ``VecEnv`` adapter over the native vector env against SB3's
  ``DummyVecEnv`` of single envs at N = 64 (``--sb3``);
- learning-from-scratch agent training steps/s against SB3 PPO (``--agents``).
Targets: single >= 0.15x CartPole; vector at N=1024 >= 0.5x CartPole's vector
env and >= 50x SyncVectorEnv; agents >= 10x PPO.
(Same as ``python scripts/perf.py ...``.)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import gymnasium as gym
import numpy as np

from brainlike import envs
from brainlike.scripts.common import Command, positive_int, require_extra

TARGETS = {"single": 0.15, "vector_1024": 0.5, "native_vs_sync": 50.0, "agent_vs_ppo": 10.0}


def single_rate(env_id: str, steps: int) -> float:
    env = gym.make(env_id)
    env.reset(seed=0)
    actions = [env.action_space.sample() for _ in range(steps)]
    t = time.perf_counter()
    for a in actions:
        _, _, term, trunc, _ = env.step(a)
        if term or trunc:
            env.reset()
    return steps / (time.perf_counter() - t)


def stepping_rate(env: Any, actions: list[Any]) -> float:
    """Env steps/s of ``env.step`` over the batched ``actions``; closes ``env``."""
    env.step(actions[0])  # first-step costs (lazy allocations) are not throughput
    t = time.perf_counter()
    for a in actions:
        env.step(a)
    rate = len(actions) * env.num_envs / (time.perf_counter() - t)
    env.close()
    return rate


def vector_rate(make: Callable[[], gym.vector.VectorEnv], steps: int) -> float:
    env = make()
    env.reset(seed=0)
    return stepping_rate(env, [env.action_space.sample() for _ in range(steps)])


def native(env_id: str, n: int) -> Callable[[], gym.vector.VectorEnv]:
    return lambda: gym.make_vec(env_id, num_envs=n, vectorization_mode="vector_entry_point")


def sync(env_id: str, n: int) -> Callable[[], gym.vector.VectorEnv]:
    return lambda: gym.make_vec(env_id, num_envs=n, vectorization_mode="sync")


def compare(body: Callable[[], float], reference: Callable[[], float], repeats: int) -> dict[str, float]:
    """Median rates of body and reference, measured alternately, and their ratio."""
    b, r = [], []
    for _ in range(repeats):
        r.append(reference())
        b.append(body())
    mb, mr = statistics.median(b), statistics.median(r)
    return {"body_rate": mb, "reference_rate": mr, "ratio": mb / mr}


def measure(bodies: list[str], repeats: int, quick: bool) -> list[dict[str, Any]]:
    scale = 0.2 if quick else 1.0
    rows = []
    for body in bodies:
        env_id = f"brainlike/{body}-v0"
        steps = int(20000 * scale)
        rows.append({"body": body, "what": "single env", "reference": "CartPole-v1", "target": TARGETS["single"],
                     **compare(lambda: single_rate(env_id, steps), lambda: single_rate("CartPole-v1", steps), repeats)})
        for n in (64, 1024, 4096):
            vsteps = max(20, int(scale * 200_000 / n))
            rows.append({"body": body, "what": f"native vector N={n}", "reference": f"CartPoleVectorEnv N={n}",
                         "target": TARGETS["vector_1024"] if n == 1024 else None,
                         **compare(lambda: vector_rate(native(env_id, n), vsteps),
                                   lambda: vector_rate(native("CartPole-v1", n), vsteps), repeats)})
        n, vsteps = 256, max(10, int(scale * 100))
        rows.append({"body": body, "what": f"native vs sync N={n}", "reference": f"SyncVectorEnv({body}) N={n}",
                     "target": TARGETS["native_vs_sync"],
                     **compare(lambda: vector_rate(native(env_id, n), vsteps * 20),
                               lambda: vector_rate(sync(env_id, n), vsteps), repeats)})
    return rows


def sb3_rate(make: Callable[[], Any], steps: int) -> float:
    """Env steps/s of an SB3 VecEnv under random actions (same-step resets included)."""
    env = make()
    env.seed(0)
    env.reset()
    # An SB3 VecEnv's action space is one body's: a batch is num_envs samples.
    return stepping_rate(env, [np.stack([env.action_space.sample() for _ in range(env.num_envs)]) for _ in range(steps)])


def measure_sb3(bodies: list[str], repeats: int, quick: bool, n: int = 64) -> list[dict[str, Any]]:
    from stable_baselines3.common.vec_env import DummyVecEnv

    from brainlike.agents.sb3_vec_env import NativeVecEnv

    rows = []
    for body in bodies:
        env_id = f"brainlike/{body}-v0"
        steps = max(10, int((0.2 if quick else 1.0) * 200))
        rows.append({"body": body, "what": f"SB3 adapter vs DummyVecEnv N={n}", "reference": f"DummyVecEnv({body}) N={n}",
                     "target": None,
                     **compare(lambda: sb3_rate(lambda: NativeVecEnv(env_id, n), steps * 10),
                               lambda: sb3_rate(lambda: DummyVecEnv([lambda: gym.make(env_id)] * n), steps), repeats)})
    return rows


def measure_agents(repeats: int, quick: bool) -> list[dict[str, Any]]:
    from brainlike.agents.throughput import training_throughput

    r = training_throughput(repeats=repeats, agent_steps=40_000 if quick else 200_000)
    return [{"body": "ForagingMouse", "what": "PatternSeparationAgent training", "reference": "SB3 PPO training",
             "target": TARGETS["agent_vs_ppo"], "body_rate": r["pattern_separation_steps_per_s"],
             "reference_rate": r["ppo_steps_per_s"], "ratio": r["ratio"]}]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--bodies", nargs="+", default=None, help=f"bodies to measure (default: all of {sorted(envs.BODIES)})")
    parser.add_argument("--repeats", type=positive_int, default=5, help="repeats; the median is reported (default 5)")
    parser.add_argument("--quick", action="store_true", help="short runs (a smoke test, noisier)")
    parser.add_argument("--sb3", action="store_true", help="also measure the SB3 VecEnv adapter against DummyVecEnv")
    parser.add_argument("--agents", action="store_true", help="also measure agent training throughput against PPO")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    known = sorted(envs.BODIES)
    bodies = args.bodies or known
    bad = [b for b in bodies if b not in known]
    if bad:
        parser.error(f"unknown bodies {bad}; known: {known}")
    if args.sb3 or args.agents:
        require_extra("agents", "--sb3 and --agents (they measure SB3)")

    rows = measure(bodies, args.repeats, args.quick)
    if args.sb3:
        rows += measure_sb3(bodies, args.repeats, args.quick)
    if args.agents:
        rows += measure_agents(args.repeats, args.quick)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'body':<15}{'measure':<34}{'steps/s':>12}{'ref steps/s':>13}{'ratio':>9}{'target':>8}  ")
    for r in rows:
        ok = "" if r["target"] is None else ("ok" if r["ratio"] >= r["target"] else "MISS")
        tgt = "" if r["target"] is None else f">={r['target']:g}"
        print(f"{r['body']:<15}{r['what']:<34}{r['body_rate']:>12,.0f}{r['reference_rate']:>13,.0f}{r['ratio']:>9.3f}{tgt:>8}  {ok}")
    print(f"(medians of {args.repeats} repeats; reference = {', '.join(sorted({r['reference'] for r in rows}))})")
    return 0


COMMAND = Command("perf", __doc__, add_arguments, run)


def main(argv: list[str] | None = None) -> int:
    return COMMAND.main(argv)


if __name__ == "__main__":
    sys.exit(main())

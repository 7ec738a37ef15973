"""Throughput of the bodies (and agents), each as a ratio against a reference.

Each reference is measured in the same process, because machines are noisy.

    brainlike perf                    # a table for people
    brainlike perf --json             # the same numbers for machines
    brainlike perf --sb3              # also the SB3 VecEnv adapter against SB3's DummyVecEnv
    brainlike perf --agents           # also every learning-from-scratch agent against SB3 PPO
    brainlike perf --compile          # instead: each body's cold compile and warm cache load, in fresh processes

Measured (medians of ``--repeats`` slices per side):
- single env, ``gym.make`` and random actions, against ``CartPole-v1``;
- native vector env at N = 64, 1024, 4096 against Gymnasium's native
  ``CartPoleVectorEnv`` at the same N;
- native vector env against ``SyncVectorEnv`` of the same body at N = 256;
- the SB3 ``VecEnv`` adapter over the native vector env against SB3's
  ``DummyVecEnv`` of single envs at N = 64 (``--sb3``);
- each learning-from-scratch agent's training steps/s (act, env step, learn, as
  its training loop runs it, on each body its experiments use) against SB3 PPO's
  on the same body, built as ``brainlike train --algo ppo`` builds it (``--agents``).
How: both sides are built and warmed up first (a cold compile or a lazy
allocation is not throughput), then timed in equal wall-clock slices of
``--seconds``, alternating reference and body, so a burst of load on the machine
hits both. Agents run on one BLAS thread, PPO on one torch thread
(``agents/throughput.py`` says how each side is built).
``--compile`` times, per body, a fresh process that imports the package, makes
the env, resets it and takes one step: once with an empty numba cache (the
cold compile, paid once per machine) and ``--repeats`` times with that cache
warm (what every later process pays); wall-clock seconds, the warm ones'
median.
Targets: single >= 0.5x CartPole; vector at N=1024 >= 0.5x CartPole's vector
env; native >= 50x SyncVectorEnv; learners >= 20x PPO.
(Same as ``python scripts/perf.py ...``.)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from itertools import cycle
from typing import Any

import gymnasium as gym
import numpy as np

from brainlike import envs
from brainlike.scripts.common import Command, positive_float, positive_int, require_extra

TARGETS = {"single": 0.5, "vector_1024": 0.5, "native_vs_sync": 50.0, "agent_vs_ppo": 20.0}

#: Agents are timed in slices this many times ``--seconds`` (PPO's unit of work is long).
AGENT_SLICES = 3

#: One unit of work: does some stepping (or training) and returns how many env steps it took.
Work = Callable[[], int]


def rate_over(work: Work, seconds: float) -> float:
    """Env steps/s of ``work`` repeated for at least ``seconds`` of wall clock (whole units)."""
    steps, t0 = 0, time.perf_counter()
    while True:
        steps += work()
        elapsed = time.perf_counter() - t0
        if elapsed >= seconds:
            return steps / elapsed


def compare(body: Work, reference: Work, repeats: int, seconds: float) -> dict[str, float]:
    """Median rates of body and reference over ``repeats`` alternating slices, and their ratio.

    Each side first runs one untimed slice, so compiles, caches and lazy allocations
    are paid before timing starts.
    """
    rate_over(reference, seconds / 2)
    rate_over(body, seconds / 2)
    b, r = [], []
    for _ in range(repeats):
        r.append(rate_over(reference, seconds))
        b.append(rate_over(body, seconds))
    mb, mr = statistics.median(b), statistics.median(r)
    return {"body_rate": mb, "reference_rate": mr, "ratio": mb / mr}


def single_work(env_id: str, chunk: int = 100) -> Work:
    """``chunk`` steps of one ``gym.make`` env under pre-drawn random actions (resets included)."""
    env = gym.make(env_id)
    env.reset(seed=0)
    env.action_space.seed(0)
    actions = cycle([env.action_space.sample() for _ in range(1000)])

    def work() -> int:
        for _ in range(chunk):
            _, _, term, trunc, _ = env.step(next(actions))
            if term or trunc:
                env.reset()
        return chunk

    return work


def vector_work(env: Any, num_envs: int, actions: list[Any]) -> Work:
    """One batched step of a vector env (Gymnasium's or SB3's) under pre-drawn actions."""
    batches = cycle(actions)
    return lambda: (env.step(next(batches)), num_envs)[1]


def gym_vector_work(env_id: str, n: int, mode: str) -> Work:
    env = gym.make_vec(env_id, num_envs=n, vectorization_mode=mode)
    env.reset(seed=0)
    env.action_space.seed(0)
    return vector_work(env, n, [env.action_space.sample() for _ in range(50)])


def measure(bodies: list[str], repeats: int, seconds: float) -> list[dict[str, Any]]:
    rows = []
    for body in bodies:
        env_id = f"brainlike/{body}-v0"
        rows.append({"body": body, "what": "single env", "reference": "CartPole-v1", "target": TARGETS["single"],
                     **compare(single_work(env_id), single_work("CartPole-v1"), repeats, seconds)})
        for n in (64, 1024, 4096):
            rows.append({"body": body, "what": f"native vector N={n}", "reference": f"CartPoleVectorEnv N={n}",
                         "target": TARGETS["vector_1024"] if n == 1024 else None,
                         **compare(gym_vector_work(env_id, n, "vector_entry_point"),
                                   gym_vector_work("CartPole-v1", n, "vector_entry_point"), repeats, seconds)})
        n = 256
        rows.append({"body": body, "what": f"native vs sync N={n}", "reference": f"SyncVectorEnv({body}) N={n}",
                     "target": TARGETS["native_vs_sync"],
                     **compare(gym_vector_work(env_id, n, "vector_entry_point"), gym_vector_work(env_id, n, "sync"),
                               repeats, seconds)})
    return rows


def sb3_work(env: Any) -> Work:
    """Batched steps of an SB3 VecEnv under random actions (same-step resets included)."""
    env.seed(0)
    env.reset()
    # An SB3 VecEnv's action space is one body's: a batch is num_envs samples.
    env.action_space.seed(0)
    actions = [np.stack([env.action_space.sample() for _ in range(env.num_envs)]) for _ in range(50)]
    return vector_work(env, env.num_envs, actions)


def measure_sb3(bodies: list[str], repeats: int, seconds: float, n: int = 64) -> list[dict[str, Any]]:
    from stable_baselines3.common.vec_env import DummyVecEnv

    from brainlike.agents.sb3_vec_env import NativeVecEnv

    rows = []
    for body in bodies:
        env_id = f"brainlike/{body}-v0"
        rows.append({"body": body, "what": f"SB3 adapter vs DummyVecEnv N={n}", "reference": f"DummyVecEnv({body}) N={n}",
                     "target": None,
                     **compare(sb3_work(NativeVecEnv(env_id, n)),
                               sb3_work(DummyVecEnv([lambda: gym.make(env_id)] * n)), repeats, seconds)})
    return rows


def measure_agents(learners: list[str], bodies: list[str], repeats: int, seconds: float) -> list[dict[str, Any]]:
    """Each learner's training against PPO's on every body (among ``bodies``) its experiments use."""
    from brainlike.agents.backends import one_blas_thread
    from brainlike.agents.throughput import LEARNER_BODIES, PPO_SETTINGS, learner_work, ppo_work

    rows = []
    with one_blas_thread():
        for name in learners:
            for body in (b for b in LEARNER_BODIES[name] if b in bodies):
                env_id = f"brainlike/{body}-v0"
                # PPO's unit of work is a whole rollout and update (seconds long): longer slices.
                rows.append({"body": body, "what": f"{name} training", "reference": PPO_SETTINGS,
                             "target": TARGETS["agent_vs_ppo"],
                             **compare(learner_work(name, env_id), ppo_work(env_id), repeats, AGENT_SLICES * seconds)})
    return rows


#: A fresh process's first step: seconds to import and to make, reset and step ``sys.argv[1]``, as JSON.
_FIRST_STEP = """\
import json, sys, time
t0 = time.perf_counter()
import gymnasium as gym
import brainlike.envs
t1 = time.perf_counter()
env = gym.make(sys.argv[1])
env.reset(seed=0)
env.step(env.action_space.sample())
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "first_step": t2 - t1}))
"""


def first_step_seconds(env_id: str, cache_dir: str) -> dict[str, float]:
    """Import, and make + reset + one step of ``env_id``, in a fresh process whose numba cache is ``cache_dir``."""
    import os
    import subprocess

    env = {**os.environ, "NUMBA_CACHE_DIR": cache_dir, "SDL_VIDEODRIVER": "dummy"}
    done = subprocess.run([sys.executable, "-c", _FIRST_STEP, env_id], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the first step of {env_id} failed in a fresh process: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_compile(bodies: list[str], repeats: int) -> list[dict[str, Any]]:
    """Per body: a cold compile (empty numba cache) and the median of ``repeats`` warm loads, each a fresh process."""
    import tempfile

    rows = []
    for body in bodies:
        env_id = f"brainlike/{body}-v0"
        with tempfile.TemporaryDirectory() as cache:
            cold = first_step_seconds(env_id, cache)
            warm = [first_step_seconds(env_id, cache) for _ in range(repeats)]
        rows.append({"body": body, "cold_first_step": cold["first_step"], "cold_import": cold["import"],
                     "warm_first_step": statistics.median(w["first_step"] for w in warm),
                     "warm_import": statistics.median(w["import"] for w in warm)})
    return rows


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--bodies", nargs="+", default=None, help=f"bodies to measure (default: all of {sorted(envs.BODIES)})")
    parser.add_argument("--repeats", type=positive_int, default=5, help="timed slices per side; the median is reported (default 5)")
    parser.add_argument("--seconds", type=positive_float, default=None,
                        help=f"wall-clock length of one slice (default 2, or 0.3 with --quick; agents x{AGENT_SLICES})")
    parser.add_argument("--quick", action="store_true", help="short slices (a smoke test, noisier)")
    parser.add_argument("--sb3", action="store_true", help="also measure the SB3 VecEnv adapter against DummyVecEnv")
    parser.add_argument("--agents", action="store_true", help="also measure every learning agent's training against SB3 PPO")
    parser.add_argument("--learners", nargs="+", default=None,
                        help="with --agents: the learning agents to measure (default: all of them)")
    parser.add_argument("--compile", action="store_true",
                        help="instead of throughput: each body's cold compile and warm cache load in fresh processes")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    known = sorted(envs.BODIES)
    bodies = args.bodies or known
    bad = [b for b in bodies if b not in known]
    if bad:
        parser.error(f"unknown bodies {bad}; known: {known}")
    if args.learners is not None and not args.agents:
        parser.error("--learners chooses among the agents measured by --agents; add --agents")
    if args.sb3 or args.agents:
        require_extra("agents", "--sb3 and --agents (they measure SB3)")
    learners: list[str] = []
    if args.agents:
        from brainlike.agents.throughput import check_learners, learning_agents

        learners = args.learners or learning_agents()
        try:
            check_learners(learners)
        except ValueError as e:
            parser.error(f"--learners: {e}")
    if args.compile:
        if args.sb3 or args.agents:
            parser.error("--compile measures start-up, not throughput: run it without --sb3 and --agents")
        timings = measure_compile(bodies, args.repeats)
        if args.json:
            print(json.dumps(timings, indent=2))
            return 0
        print(f"{'body':<18}{'cold: make+reset+step':>23}{'warm: make+reset+step':>23}{'warm: import':>14}")
        for t in timings:
            print(f"{t['body']:<18}{t['cold_first_step']:>21.2f} s{t['warm_first_step']:>21.2f} s{t['warm_import']:>12.2f} s")
        print(f"(fresh processes; cold: an empty numba cache; warm: the median of {args.repeats} with that cache)")
        return 0
    seconds = args.seconds if args.seconds is not None else (0.3 if args.quick else 2.0)

    rows = measure(bodies, args.repeats, seconds)
    if args.sb3:
        rows += measure_sb3(bodies, args.repeats, seconds)
    if args.agents:
        rows += measure_agents(learners, bodies, args.repeats, seconds)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'body':<15}{'measure':<34}{'steps/s':>12}{'ref steps/s':>13}{'ratio':>9}{'target':>8}  ")
    for r in rows:
        ok = "" if r["target"] is None else ("ok" if r["ratio"] >= r["target"] else "MISS")
        tgt = "" if r["target"] is None else f">={r['target']:g}"
        print(f"{r['body']:<15}{r['what']:<34}{r['body_rate']:>12,.0f}{r['reference_rate']:>13,.0f}{r['ratio']:>9.3f}{tgt:>8}  {ok}")
    print(f"(medians of {args.repeats} interleaved slices of {seconds:g} s per side, agents {AGENT_SLICES * seconds:g} s, "
          f"after a warm-up; references: {', '.join(sorted({r['reference'] for r in rows}))})")
    return 0


COMMAND = Command("perf", __doc__, add_arguments, run)


def main(argv: list[str] | None = None) -> int:
    return COMMAND.main(argv)


if __name__ == "__main__":
    sys.exit(main())

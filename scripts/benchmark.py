"""Benchmark agents x bodies x seeds: learning curves, a results table, plots and a report.

    python scripts/benchmark.py                                   # every agent on every body, 3 seeds
    python scripts/benchmark.py --agents pattern-separation ppo --bodies ForagingMouse --seeds 5
    python scripts/benchmark.py --out runs/bench                  # rerun the same folder to resume

Writes into ``--out``: ``jobs/*.json`` (one per finished job, atomically),
``results.csv`` / ``results.json`` (final greedy return per agent and body:
mean, 95% bootstrap interval, IQM), ``curves_<body>.png`` (return against
environment steps and against wall-clock seconds) and ``report.md``. An
interrupted run keeps every finished job; running again with the same
``--out`` does only the missing ones. Jobs run in ``--workers`` processes.
"""

from __future__ import annotations

import argparse
import sys
import time

from brainlike import envs
from brainlike.agents.benchmark import default_workers, finish, make_jobs, run_jobs
from brainlike.agents.runner import agent_names, benchmark_agent_names
from brainlike.envs.profile import body_ids
from brainlike.scripts.common import body_id, check_output_dir, check_positive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", nargs="+", default=benchmark_agent_names(), help=f"agent names (default: {benchmark_agent_names()})")
    parser.add_argument("--bodies", nargs="+", default=list(body_ids()), help="bodies, e.g. ForagingMouse (default: all)")
    parser.add_argument("--seeds", type=int, default=3, help="number of seeds, 0..N-1 (default 3)")
    parser.add_argument("--steps", type=int, default=None, help="env steps per job (default: per body)")
    parser.add_argument("--evals", type=int, default=8, help="greedy evaluations along each learning curve")
    parser.add_argument("--eval-episodes", type=int, default=32)
    parser.add_argument("--workers", type=int, default=default_workers(), help="parallel jobs (default: cores, max 2)")
    parser.add_argument("--out", default=f"runs/benchmark-{time.strftime('%Y%m%d-%H%M%S')}")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)

    bodies = [body_id(b) for b in args.bodies]
    bad_bodies = [b for b in bodies if b not in envs.ENV_IDS]
    bad_agents = [a for a in args.agents if a not in agent_names()]
    if bad_bodies:
        parser.error(f"unknown bodies {bad_bodies}; known: {list(body_ids())}")
    if bad_agents:
        parser.error(f"unknown agents {bad_agents}; known: {agent_names()}")
    for name in ("seeds", "evals", "eval_episodes", "workers"):
        check_positive(parser, f"--{name.replace('_', '-')}", getattr(args, name))
    if args.steps is not None:
        check_positive(parser, "--steps", args.steps)
    out = check_output_dir(parser, args.out)

    jobs = make_jobs(args.agents, bodies, range(args.seeds), args.steps, args.evals, args.eval_episodes)
    print(f"{len(jobs)} jobs ({len(args.agents)} agents x {len(bodies)} bodies x {args.seeds} seeds, where they fit) "
          f"in {out}, {args.workers} workers", flush=True)
    errors = run_jobs(jobs, out, workers=args.workers, progress=not args.no_progress)
    for key, err in errors.items():
        print(f"job {key} failed:\n{err}", file=sys.stderr)
    result = finish(out, jobs, errors)
    print(f"report: {result['report']}\ntable: {result['csv']} {result['json']}\nplots: {' '.join(result['figures'])}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark agents x bodies x seeds: learning curves, a results table, plots and a report.

    brainlike benchmark                                              # every agent on every body, seeds 0-2
    brainlike benchmark --agents pattern-separation ppo --bodies ForagingMouse --seeds 0-4
    brainlike benchmark --out runs/bench                             # rerun the same folder to resume

Writes into ``--out``: ``jobs/*.json`` (one per finished job, atomically),
``results.csv`` / ``results.json`` (final greedy return per agent and body:
mean, 95% bootstrap interval, IQM), ``curves_<body>.png`` (return against
environment steps and against wall-clock seconds) and ``report.md``. An
interrupted run keeps every finished job; running again with the same
``--out`` does only the missing ones, whichever backend ran them. Jobs run
in ``--workers`` local processes, or on a Ray cluster (``--backend ray
--address auto``).
(Same as ``python scripts/benchmark.py ...``.)
"""

from __future__ import annotations

import argparse
import sys
import time

from brainlike.scripts.common import (
    Command, add_seeds, body_id, body_names, check_output_dir, positive_int, require_agent_extra, require_extra,
)

def add_arguments(parser: argparse.ArgumentParser) -> None:
    from brainlike.agents.backends import BACKENDS
    from brainlike.agents.benchmark import default_workers
    from brainlike.agents.runner import benchmark_agent_names
    from brainlike.envs.profile import body_ids

    default_bodies = [b.split("/")[-1].removesuffix("-v0") for b in body_ids()]

    parser.add_argument("--agents", nargs="+", default=benchmark_agent_names(),
                        help=f"agent names (default: {' '.join(benchmark_agent_names())})")
    parser.add_argument("--bodies", nargs="+", default=default_bodies,
                        help=f"bodies (default: {' '.join(default_bodies)}, each with its own step budget)")
    add_seeds(parser, [0, 1, 2], "every agent runs on every body with each")
    parser.add_argument("--steps", type=positive_int, default=None, help="env steps per job (default: per body)")
    parser.add_argument("--evals", type=positive_int, default=8, help="greedy evaluations along each learning curve (default 8)")
    parser.add_argument("--eval-episodes", type=positive_int, default=32, help="episodes per evaluation (default 32)")
    parser.add_argument("--workers", type=positive_int, default=default_workers(),
                        help="parallel jobs on this machine (default: cores, max 2); with --backend ray and no "
                             "--address, the CPUs of the local Ray it starts")
    parser.add_argument("--backend", choices=BACKENDS, default="local",
                        help="where jobs run: local (spawned processes, the default) or ray (needs the [ray] extra)")
    parser.add_argument("--address", default=None,
                        help="with --backend ray: an existing cluster ('auto', or ray://host:port); "
                             "none starts a local Ray")
    parser.add_argument("--out", default=None, help="output folder (default runs/benchmark-<date>-<time>)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from brainlike import envs
    from brainlike.agents.benchmark import finish, make_jobs, run_jobs
    from brainlike.agents.runner import agent_names

    bodies = [body_id(b) for b in args.bodies]
    bad_bodies = [b for b, i in zip(args.bodies, bodies) if i not in envs.ENV_IDS]
    bad_agents = [a for a in args.agents if a not in agent_names()]
    if bad_bodies:
        parser.error(f"unknown bodies {bad_bodies}; known: {body_names()}")
    if bad_agents:
        parser.error(f"unknown agents {bad_agents}; known: {agent_names()}")
    if args.address is not None and args.backend != "ray":
        parser.error(f"--address {args.address!r} needs --backend ray")
    if args.backend == "ray":
        require_extra("ray", "--backend ray")
    for agent in args.agents:
        require_agent_extra(agent)
    require_extra("report", "the benchmark's plots")
    out = check_output_dir(parser, args.out or f"runs/benchmark-{time.strftime('%Y%m%d-%H%M%S')}")

    jobs = make_jobs(args.agents, bodies, args.seeds, args.steps, args.evals, args.eval_episodes)
    print(f"{len(jobs)} jobs ({len(args.agents)} agents x {len(bodies)} bodies x {len(args.seeds)} seeds, where they fit) "
          f"in {out}, {args.workers} workers", flush=True)
    from brainlike.agents.backends import BackendUnavailable

    try:
        errors = run_jobs(jobs, out, workers=args.workers, progress=not args.no_progress, backend=args.backend,
                          address=args.address)
    except BackendUnavailable as e:  # a cluster that cannot be reached is the user's address, not a bug
        parser.error(str(e))
    for key, err in errors.items():
        print(f"job {key} failed:\n{err}", file=sys.stderr)
    result = finish(out, jobs, errors)
    print(f"report: {result['report']}\ntable: {result['csv']} {result['json']}\nplots: {' '.join(result['figures'])}")
    return 1 if errors else 0


COMMAND = Command("benchmark", __doc__, add_arguments, run)


def main(argv: list[str] | None = None) -> int:
    return COMMAND.main(argv)


if __name__ == "__main__":
    sys.exit(main())

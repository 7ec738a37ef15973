"""Evaluate a saved model (or a named agent at birth) on a body: returns and body metrics.

    brainlike evaluate --model runs/train/pattern-separation_ForagingMouse-v0_s0 --episodes 64
    brainlike evaluate --agent random --body ForagingMouse --json

Prints mean return with a 95% bootstrap interval and the mean of each body
metric (food eaten, escapes, salt intake, song similarity, ...); ``--json``
prints the same as JSON (per-episode returns included).
(Same as ``python scripts/evaluate.py ...``.)
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from brainlike.scripts.common import (
    Command, add_env_kwargs, add_model_or_agent, load_or_build_agent, non_negative_int, positive_int, resolve_body,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_model_or_agent(parser, "a named agent, evaluated at birth (needs --body)")
    parser.add_argument("--body", help="the body (default: the one the model was trained on)")
    parser.add_argument("--episodes", type=positive_int, default=64, help="episodes to evaluate (default 64)")
    parser.add_argument("--seed", type=non_negative_int, default=10_000,
                        help="first evaluation seed; episode i uses seed + i (default 10000)")
    parser.add_argument("--explore", action="store_true", help="act with exploration instead of greedily")
    add_env_kwargs(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    env_id = resolve_body(parser, args)
    agent = load_or_build_agent(parser, args, env_id)

    from brainlike.agents.benchmark import bootstrap_ci
    from brainlike.agents.training import run_episodes

    res = run_episodes(agent, env_id, args.episodes, seed=args.seed, explore=args.explore, env_kwargs=args.env_kwargs)
    returns = res["returns"]
    lo, hi = bootstrap_ci(returns)
    metrics = {k: float(np.nanmean(v)) for k, v in res["metrics"].items()}
    report = {"body": env_id, "agent": args.model or args.agent, "episodes": args.episodes,
              "mean_return": float(returns.mean()), "ci95": [lo, hi], "mean_length": float(res["lengths"].mean()),
              "metrics": metrics, "returns": returns.tolist()}
    if args.json:
        print(json.dumps(report))
    else:
        print(f"{report['agent']} on {env_id}: return {returns.mean():.3f} [95% CI {lo:.3f}, {hi:.3f}] "
              f"over {args.episodes} episodes, mean length {report['mean_length']:.0f}")
        for k, v in metrics.items():
            print(f"  {k:>24}: {v:.3f}")
    return 0


COMMAND = Command("evaluate", __doc__, add_arguments, run)


def main(argv: list[str] | None = None) -> int:
    return COMMAND.main(argv)


if __name__ == "__main__":
    sys.exit(main())

"""Evaluate a saved model (or a named agent at birth) on a body: returns and body metrics.

    python scripts/evaluate.py --model runs/train/pattern-separation_ForagingMouse-v0_s0 --episodes 64
    python scripts/evaluate.py --agent random --body ForagingMouse --json

Prints mean return with a 95% bootstrap interval and the mean of each body
metric (food eaten, escapes, salt intake, song similarity, ...); ``--json``
prints the same as JSON (per-episode returns included).
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from brainlike.scripts.common import check_agent, check_body, check_positive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--model", help="a saved model (path without or with its .json/.npz/.zip suffix)")
    who.add_argument("--agent", help="a named agent, evaluated at birth")
    parser.add_argument("--body", help="the body (default: the one the model was trained on)")
    parser.add_argument("--episodes", type=int, default=64)
    parser.add_argument("--seed", type=int, default=10_000, help="first evaluation seed (default 10000)")
    parser.add_argument("--explore", action="store_true", help="act with exploration instead of greedily")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    check_positive(parser, "--episodes", args.episodes)

    from brainlike.agents.benchmark import bootstrap_ci
    from brainlike.agents.runner import build_agent, load_agent, saved_meta
    from brainlike.agents.training import run_episodes

    if args.model:
        try:
            _, meta = saved_meta(args.model)
        except (FileNotFoundError, ValueError) as e:
            parser.error(f"no saved model at {args.model}: {e}")
        agent = load_agent(args.model)
        trained_on = meta.get("env_id")
        env_id = check_body(parser, args.body) if args.body else trained_on
        if env_id is None:
            parser.error("this model does not say which body it was trained on: pass --body")
    else:
        if not args.body:
            parser.error("--agent needs --body")
        env_id = check_body(parser, args.body)
        check_agent(parser, args.agent, env_id)
        agent = build_agent(args.agent, env_id, seed=args.seed)
    res = run_episodes(agent, env_id, args.episodes, seed=args.seed, explore=args.explore)
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


if __name__ == "__main__":
    sys.exit(main())

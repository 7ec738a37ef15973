"""Watch a trained (or a newborn) agent live in a pygame window.

    brainlike enjoy --model runs/train/pattern-separation_ForagingMouse-v0_s0
    brainlike enjoy --agent innate-only --body ForagingMouse --episodes 3

The body is drawn in ``human`` render mode at its own frame rate; Ctrl-C
stops. Prints each episode's return.
(Same as ``python scripts/enjoy.py ...``.)
"""

from __future__ import annotations

import argparse
import sys

from brainlike.scripts.common import (
    Command, add_env_kwargs, add_model_or_agent, load_or_build_agent, non_negative_int, positive_int, resolve_body,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_model_or_agent(parser, "a named agent, at birth (needs --body)")
    parser.add_argument("--body", help="ForagingMouse, SaltRat, SongbirdTutor (default: the model's body)")
    parser.add_argument("--episodes", type=positive_int, default=1, help="episodes to watch (default 1)")
    parser.add_argument("--seed", type=non_negative_int, default=0, help="seed of the first episode (default 0)")
    parser.add_argument("--steps", type=positive_int, default=10_000,
                        help="at most this many env steps per episode (default 10000)")
    parser.add_argument("--explore", action="store_true", help="act with exploration instead of greedily")
    add_env_kwargs(parser)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    env_id = resolve_body(parser, args)
    agent = load_or_build_agent(parser, args, env_id)

    from brainlike.agents.runner import watch_agent

    returns = watch_agent(agent, env_id, episodes=args.episodes, seed=args.seed, max_steps=args.steps,
                          explore=args.explore, env_kwargs=args.env_kwargs)
    for i, r in enumerate(returns):
        print(f"episode {i} (seed {args.seed + i}): return {r:.3f}")
    return 0


COMMAND = Command("enjoy", __doc__, add_arguments, run)


def main(argv: list[str] | None = None) -> int:
    return COMMAND.main(argv)


if __name__ == "__main__":
    sys.exit(main())

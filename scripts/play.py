"""Drive the mouse or the rat yourself from the keyboard.

    brainlike play --body ForagingMouse      # arrows or WASD move; no key: stay (freeze)
    brainlike play --body SaltRat            # up/W approach, space nibble, down/S withdraw

The body's Steering Subsystem still runs: its reflexes can take over (a
looming shadow makes the mouse flee or freeze whatever you press), and the
window's title bar is Gymnasium's ``play`` window. Escape or closing the window
ends the game. Built on ``gymnasium.utils.play.play`` with the body's
``get_keys_to_action``. (Same as ``python scripts/play.py ...``.)
"""

from __future__ import annotations

import argparse
import sys

from brainlike.scripts.common import (
    Command, add_env_kwargs, check_body, check_env_kwargs, non_negative_int, positive_float, positive_int,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--body", required=True, help="ForagingMouse or SaltRat (the bodies with keyboard controls)")
    parser.add_argument("--seed", type=non_negative_int, default=0, help="seed of the first life (default 0)")
    parser.add_argument("--fps", type=positive_int, default=None, help="steps per second (default: the body's own)")
    parser.add_argument("--zoom", type=positive_float, default=1.0, help="window scale (default 1)")
    parser.add_argument("--steps", type=positive_int, default=None,
                        help="stop after this many env steps (default: play until Escape)")
    add_env_kwargs(parser)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    env_id = check_body(parser, args.body)
    check_env_kwargs(parser, env_id, args.env_kwargs)
    import warnings

    import gymnasium as gym
    import pygame

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*matplotlib is not installed")  # only its PlayPlot needs it
        from gymnasium.utils.play import play

    env = gym.make(env_id, render_mode="rgb_array", **args.env_kwargs)
    if not hasattr(env.unwrapped, "get_keys_to_action"):
        env.close()
        parser.error(f"{env_id} has no keyboard controls (its actions are not keys); play ForagingMouse or SaltRat")
    steps, total = 0, 0.0

    def after_step(obs_t, obs_tp1, action, reward, terminated, truncated, info) -> None:  # noqa: ANN001
        nonlocal steps, total
        steps += 1
        total += float(reward)
        if terminated or truncated:
            print(f"life over after {steps} steps: return {total:.3f}", flush=True)
        if args.steps is not None and steps >= args.steps:
            pygame.event.post(pygame.event.Event(pygame.QUIT))  # the way play() is told to stop

    play(env, fps=args.fps, zoom=args.zoom, seed=args.seed, noop=0,
         callback=after_step)
    print(f"played {steps} steps, return {total:.3f}")
    return 0


COMMAND = Command("play", __doc__, add_arguments, run)


def main(argv: list[str] | None = None) -> int:
    return COMMAND.main(argv)


if __name__ == "__main__":
    sys.exit(main())

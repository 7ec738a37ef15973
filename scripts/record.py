"""Record an episode of a saved or named agent as a GIF or MP4 (and, for the songbird, WAVs).

    brainlike record --agent innate-only --body ForagingMouse --out runs/record/newborn.gif
    brainlike record --model runs/train/node-perturbation_SongbirdTutor-v0_s0 --out runs/record/bird.mp4

Frames come from the body's pygame ``rgb_array`` renderer (no display needed).
For SongbirdTutor it also writes ``<out>_tutor.wav`` and ``<out>_bird.wav``
(the tutor's song and the bird's last bout). Prints a JSON line with the paths
and the episode's summary. (Same as ``python scripts/record.py ...``.)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from brainlike.scripts.common import (
    Command, add_env_kwargs, add_model_or_agent, check_output_dir, load_or_build_agent, non_negative_int,
    positive_int, require_extra, resolve_body,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_model_or_agent(parser, "a named agent, at birth (needs --body)")
    parser.add_argument("--body", help="ForagingMouse, SaltRat, SongbirdTutor (default: the model's body)")
    parser.add_argument("--out", required=True, help="output file: .gif or .mp4")
    parser.add_argument("--seed", type=non_negative_int, default=0, help="seed of the episode (default 0)")
    parser.add_argument("--steps", type=positive_int, default=300, help="at most this many env steps (default 300)")
    parser.add_argument("--explore", action="store_true", help="act with exploration instead of greedily")
    add_env_kwargs(parser)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    out = Path(args.out)
    if out.suffix not in (".gif", ".mp4"):
        parser.error(f"--out must end in .gif or .mp4, got {out.name!r}")
    env_id = resolve_body(parser, args)
    require_extra("report", f"writing {out.suffix}")
    check_output_dir(parser, str(out.parent))
    agent = load_or_build_agent(parser, args, env_id)

    from brainlike.agents.runner import record_episode

    result = record_episode(agent, env_id, out, seed=args.seed, max_steps=args.steps, explore=args.explore,
                            env_kwargs=args.env_kwargs)
    print(json.dumps({k: (str(v) if isinstance(v, Path) else v) for k, v in result.items()}, default=str))
    return 0


COMMAND = Command("record", __doc__, add_arguments, run)


def main(argv: list[str] | None = None) -> int:
    return COMMAND.main(argv)


if __name__ == "__main__":
    sys.exit(main())

"""Record an episode of a saved or named agent as a GIF or MP4 (and, for the songbird, WAVs).

    python scripts/record.py --agent innate-only --body ForagingMouse --out runs/record/newborn.gif
    python scripts/record.py --model runs/train/node-perturbation_SongbirdTutor-v0_s0 --body SongbirdTutor \\
        --out runs/record/bird.mp4

Frames come from the body's pygame ``rgb_array`` renderer (no display needed).
For SongbirdTutor it also writes ``<out>_tutor.wav`` and ``<out>_bird.wav``
(the tutor's song and the bird's last bout). Prints a JSON line with the paths
and the episode's summary.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from brainlike.scripts.common import check_agent, check_body, check_output_dir, check_positive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--model", help="a saved model")
    who.add_argument("--agent", help="a named agent, at birth")
    parser.add_argument("--body", required=True, help="ForagingMouse, SaltRat, SongbirdTutor")
    parser.add_argument("--out", required=True, help="output file: .gif or .mp4")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=300, help="at most this many steps (default 300)")
    parser.add_argument("--explore", action="store_true", help="act with exploration instead of greedily")
    args = parser.parse_args(argv)
    env_id = check_body(parser, args.body)
    out = Path(args.out)
    if out.suffix not in (".gif", ".mp4"):
        parser.error(f"--out must end in .gif or .mp4, got {out.name!r}")
    check_output_dir(parser, str(out.parent))
    check_positive(parser, "--steps", args.steps)
    if args.agent:
        check_agent(parser, args.agent, env_id)

    from brainlike.agents.runner import build_agent, load_agent, record_episode

    agent = load_agent(args.model) if args.model else build_agent(args.agent, env_id, seed=args.seed)
    result = record_episode(agent, env_id, out, seed=args.seed, max_steps=args.steps, explore=args.explore)
    print(json.dumps({k: (str(v) if isinstance(v, Path) else v) for k, v in result.items()}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())

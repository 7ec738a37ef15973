"""The main job (``make demo``): a newborn mouse, reflexes on, no learning.

Renders one life of ForagingMouse-v0 to a GIF and prints what the Steering
Subsystem did: food eaten, looms seen, flights and freezes, escapes, captures.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import gymnasium as gym
import numpy as np

import envs  # noqa: F401  (registers the bodies)
from envs.recording import write_gif
from steering.mouse import STAY


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="runs/demo", help="output folder (default: runs/demo)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=300)
    args = parser.parse_args()

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    env = gym.make("brainlike/ForagingMouse-v0", render_mode="rgb_array", predator_rate=0.03)
    env.reset(seed=args.seed)
    rng = np.random.default_rng(args.seed)
    frames = [env.render()]
    # A newborn has no learned policy: it wanders at random; only its reflexes are innate.
    for _ in range(args.steps):
        _, _, term, trunc, _ = env.step(int(rng.integers(0, 5)) if rng.random() < 0.7 else STAY)
        frames.append(env.render())
        if term or trunc:
            break
    summary = env.unwrapped.summary()
    gif = write_gif(frames, out / "newborn_mouse.gif", fps=env.metadata["render_fps"])
    (out / "newborn_mouse.json").write_text(json.dumps(summary, indent=2))
    print(env.unwrapped.steering.describe())
    print("What the steering subsystem did in one newborn life:")
    for k, v in summary.items():
        print(f"  {k:>12}: {v}")
    print(f"Episode GIF: {gif}")


if __name__ == "__main__":
    main()

"""Train any agent (a numpy learner or an SB3 baseline) on any body.

    python scripts/train.py --agent pattern-separation --body ForagingMouse --steps 200000
    python scripts/train.py --agent ppo --body SaltRat --steps 50000 --seeds 0 1 2

For each seed, writes into ``--out``: the saved model (``<agent>_<body>_s<seed>``
``.npz``/``.zip`` + ``.json``), its learning history (``.csv`` and ``.json``:
env steps, wall-clock seconds, greedy return, body metrics) and a plot
(``.png``). Prints a JSON summary line per seed.
"""

from __future__ import annotations

import argparse
import json
import sys

from brainlike.scripts.common import check_agent, check_body, check_output_dir, check_positive


def main(argv: list[str] | None = None) -> int:
    from brainlike.agents.runner import agent_names

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agent", required=True, help=f"one of {agent_names()}")
    parser.add_argument("--body", required=True, help="ForagingMouse, SaltRat, SongbirdTutor (or a full id)")
    parser.add_argument("--steps", type=int, default=100_000, help="environment steps (default 100000)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0], help="seeds, one run each (default 0)")
    parser.add_argument("--num-envs", type=int, default=None, help="parallel bodies for numpy agents")
    parser.add_argument("--evals", type=int, default=10, help="greedy evaluations along the run (default 10)")
    parser.add_argument("--eval-episodes", type=int, default=32)
    parser.add_argument("--out", default="runs/train", help="output folder (default runs/train)")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    env_id = check_body(parser, args.body)
    check_agent(parser, args.agent, env_id)
    for name in ("steps", "evals", "eval_episodes"):
        check_positive(parser, f"--{name.replace('_', '-')}", getattr(args, name))
    if args.num_envs is not None:
        check_positive(parser, "--num-envs", args.num_envs)
    out = check_output_dir(parser, args.out)

    from brainlike.agents.experiments.base import save_figure
    from brainlike.agents.runner import build_agent, save_agent, train_agent
    from brainlike.agents.training import write_history_csv, write_history_json

    for seed in args.seeds:
        stem = f"{args.agent}_{env_id.split('/')[-1]}_s{seed}"
        agent = build_agent(args.agent, env_id, seed=seed)
        history = train_agent(agent, env_id, args.steps, seed=seed, num_envs=args.num_envs,
                              eval_every=max(1, args.steps // args.evals), eval_episodes=args.eval_episodes,
                              progress=not args.no_progress)
        files = save_agent(agent, out / stem)
        csv_path = write_history_csv(history, out / f"{stem}_history.csv")
        json_path = write_history_json(history, out / f"{stem}_history.json")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(5.5, 3.4))
        ax.plot([h["env_steps"] for h in history], [h["mean_return"] for h in history], "o-")
        ax.set_xlabel("environment steps")
        ax.set_ylabel("greedy return")
        ax.set_title(f"{args.agent} on {env_id}, seed {seed}")
        plot = save_figure(fig, out, f"{stem}_curve")
        print(json.dumps({"agent": args.agent, "body": env_id, "seed": seed,
                          "return_at_birth": history[0]["mean_return"], "final_return": history[-1]["mean_return"],
                          "model": [str(f) for f in files], "history": [str(csv_path), str(json_path)], "plot": plot}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Train any agent (a numpy learner or an SB3 baseline) on any body.

    brainlike train --agent pattern-separation --body ForagingMouse --steps 200000
    brainlike train --agent ppo --body SaltRat --steps 50000 --seeds 0-2 --tensorboard-log runs/tb
    brainlike train --agent ppo --body ForagingMouse --hyperparams learning_rate=0.001 --env-kwargs lethal_capture=true

For each seed, writes into ``--out``: the saved model (``<agent>_<body>_s<seed>``
``.npz``/``.zip`` + ``.json``), its learning history (``.csv`` and ``.json``:
env steps, wall-clock seconds, greedy return, body metrics) and a plot
(``.png``). An SB3 baseline also writes SB3's own logs into
``<agent>_<body>_s<seed>_sb3/`` (``progress.csv``, and ``evaluations.npz`` and
``best_model.zip`` from SB3's ``EvalCallback``). Prints a JSON summary line per seed.
(Same as ``python scripts/train.py ...``.)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from brainlike.scripts.common import (
    Command, add_device, add_env_kwargs, add_hyperparams, add_seeds, build_checked_agent, check_agent, check_body,
    check_env_kwargs, check_output_dir, positive_int, require_extra,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from brainlike.agents.runner import agent_names

    parser.add_argument("--agent", required=True, help=f"the agent, one of {agent_names()}")
    parser.add_argument("--body", required=True, help="ForagingMouse, SaltRat, SongbirdTutor (or a full id)")
    parser.add_argument("--steps", type=positive_int, default=100_000, help="environment steps per seed (default 100000)")
    add_seeds(parser, [0], "one run each")
    parser.add_argument("--num-envs", type=positive_int, default=None,
                        help="bodies trained on at once (default: the agent's own; an SB3 baseline's n_envs)")
    parser.add_argument("--evals", type=positive_int, default=10, help="greedy evaluations along the run (default 10)")
    parser.add_argument("--eval-episodes", type=positive_int, default=32,
                        help="episodes per greedy evaluation (default 32)")
    add_env_kwargs(parser)
    add_hyperparams(parser)
    add_device(parser)
    parser.add_argument("--tensorboard-log", default=None,
                        help="a folder for TensorBoard event files of an SB3 baseline (default: none)")
    parser.add_argument("--out", default="runs/train", help="output folder (default runs/train)")
    parser.add_argument("--no-plot", action="store_true", help="skip the learning-curve plot (needs no matplotlib)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    env_id = check_body(parser, args.body)
    check_agent(parser, args.agent, env_id)
    check_env_kwargs(parser, env_id, args.env_kwargs)
    if not args.no_plot:
        require_extra("report", "the learning-curve plot (or pass --no-plot)")
    out = check_output_dir(parser, args.out)
    from brainlike.agents.baselines import SB3Agent, is_baseline

    hyperparams = dict(args.hyperparams)
    if is_baseline(args.agent) and args.num_envs is not None:
        hyperparams.setdefault("n_envs", args.num_envs)  # SB3 calls the bodies trained at once n_envs
    # Built for the first seed before any training, so a bad --hyperparams fails at once.
    agents = {args.seeds[0]: build_checked_agent(parser, args.agent, env_id, args.seeds[0], args.env_kwargs,
                                                 hyperparams, args.device, args.tensorboard_log)}

    from brainlike.agents.runner import save_agent, train_agent
    from brainlike.agents.training import write_history_csv, write_history_json

    for seed in args.seeds:
        stem = f"{args.agent}_{env_id.split('/')[-1]}_s{seed}"
        agent = agents.pop(seed, None) or build_checked_agent(parser, args.agent, env_id, seed, args.env_kwargs,
                                                                hyperparams, args.device, args.tensorboard_log)
        sb3_logs = {"log_dir": out / f"{stem}_sb3"} if isinstance(agent, SB3Agent) else {}
        history = train_agent(agent, env_id, args.steps, seed=seed, num_envs=args.num_envs,
                              eval_every=max(1, args.steps // args.evals), eval_episodes=args.eval_episodes,
                              progress=not args.no_progress, env_kwargs=args.env_kwargs, **sb3_logs)
        files = save_agent(agent, out / stem)
        csv_path = write_history_csv(history, out / f"{stem}_history.csv")
        json_path = write_history_json(history, out / f"{stem}_history.json")
        plot = None if args.no_plot else plot_history(history, out, stem, f"{args.agent} on {env_id}, seed {seed}")
        print(json.dumps({"agent": args.agent, "body": env_id, "seed": seed,
                          "return_at_birth": history[0]["mean_return"], "final_return": history[-1]["mean_return"],
                          "model": [str(f) for f in files], "history": [str(csv_path), str(json_path)], "plot": plot,
                          **{k: str(v) for k, v in sb3_logs.items()}}))
    return 0


def plot_history(history: list[dict[str, Any]], out: Path, stem: str, title: str) -> str:
    import matplotlib.pyplot as plt

    from brainlike.agents.experiments.base import save_figure

    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    ax.plot([h["env_steps"] for h in history], [h["mean_return"] for h in history], "o-")
    ax.set_xlabel("environment steps")
    ax.set_ylabel("greedy return")
    ax.set_title(title)
    return save_figure(fig, out, f"{stem}_curve")


COMMAND = Command("train", __doc__, add_arguments, run)


def main(argv: list[str] | None = None) -> int:
    return COMMAND.main(argv)


if __name__ == "__main__":
    sys.exit(main())

"""The main job (``make demo``): innate versus learned, side by side, on every bundled body.

1. A quick benchmark: every agent that fits each body (the learning-from-scratch
   agents, the SB3 baselines, innate-only and random), 2 seeds, small budgets.
2. The published-result experiments of docs/science.md, each with its PASS/FAIL table.
3. Episode GIFs of each body at birth and after learning, and the songbird's
   WAVs: the tutor, the bird at birth, the bird after learning.
4. ``REPORT.md`` tying it together.

Everything goes into ``--out`` (default ``runs/main``). Rerunning with the same
folder resumes: finished benchmark jobs and experiments are not redone.
(Same as ``python scripts/demo.py ...`` and ``make demo``.)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from brainlike.envs.profile import body_ids, profile_for
from brainlike.scripts.common import (
    Command, add_seeds, check_output_dir, non_negative_int, positive_float, positive_int, require_agent_extra,
    require_extra,
)

#: The experiments of the main job, every body's headline ones (its profile), each at its full budget.
EXPERIMENT_BUDGETS = {name: "full" for body in body_ids() for name in profile_for(body).main_job_experiments}


def stage(title: str) -> None:
    print(f"\n=== {title} ===", flush=True)


def run_benchmark(out: Path, agents: list[str], seeds: list[int], workers: int, scale: float) -> dict[str, Any]:
    from brainlike.agents.benchmark import finish, make_jobs, run_jobs

    jobs = []
    for body in body_ids():
        steps = profile_for(body).demo_steps
        jobs += make_jobs(agents, [body], seeds, max(1000, int(steps * scale)), evals=6, eval_episodes=24)
    print(f"{len(jobs)} jobs in {out} ({workers} workers); finished jobs are kept if interrupted", flush=True)
    errors = run_jobs(jobs, out, workers=workers)
    for key, err in errors.items():
        print(f"job {key} failed: {err.strip().splitlines()[-1]}", file=sys.stderr)
    return finish(out, jobs, errors)


def run_experiments(out: Path, names: list[str], seed: int, small_only: bool) -> list[dict[str, Any]]:
    from brainlike.agents.experiments import EXPERIMENTS, write_result

    results = []
    for name in names:
        budget = "small" if small_only else EXPERIMENT_BUDGETS[name]
        done = out / f"{name}.json"
        if done.exists():
            rec = json.loads(done.read_text())
            if rec.get("budget") == budget and rec.get("seed") == seed:
                print(f"{name}: already done ({'PASS' if rec['passed'] else 'FAIL'})", flush=True)
                results.append(rec)
                continue
        t = time.perf_counter()
        result = EXPERIMENTS[name].run(budget, seed, out)
        write_result(result, out)
        print(f"{result.table()}\n({time.perf_counter() - t:.0f} s)", flush=True)
        results.append(result.to_json())
    return results


def record_episodes(out: Path, bench: Path, seed: int) -> list[dict[str, Any]]:
    from brainlike.agents.runner import build_agent, load_agent, record_episode

    made = []
    for body in body_ids():
        learner = profile_for(body).showcase_agent
        name = body.split("/")[-1].removesuffix("-v0")
        kwargs = dict(profile_for(body).benchmark_env_kwargs)
        # At birth: the learner's own random initial weights (for the mouse, its reflexes act too).
        newborn = build_agent(learner, body, seed=seed, env_kwargs=kwargs)
        r = record_episode(newborn, body, out / f"{name}_at_birth.gif", seed=seed, max_steps=200, explore=True,
                           env_kwargs=kwargs)
        made.append({"body": body, "who": "at birth", **r})
        model = bench / "models" / f"{learner}__{name}-v0__0"
        if model.with_suffix(".json").exists():
            trained = load_agent(model)
            r = record_episode(trained, body, out / f"{name}_after_learning.gif", seed=seed, max_steps=200,
                               env_kwargs=kwargs)
            made.append({"body": body, "who": f"{learner} after learning", **r})
    return made


def write_report(out: Path, bench: dict[str, Any], experiments: list[dict[str, Any]], episodes: list[dict[str, Any]],
                 minutes: float) -> Path:
    from brainlike.agents.experiments.base import write_atomic
    from brainlike.steering import MouseSteering, RatSteering, SongbirdSteering

    lines = ["# brainlike-gym: innate versus learned", "",
             f"Made by `make demo` in {minutes:.1f} minutes.", "",
             "## Steering (innate) versus learner (learned from scratch)", "",
             "| body | steering subsystem | adjustable innate parameters |", "|---|---|---|"]
    for body, s in (("ForagingMouse", MouseSteering()), ("SaltRat", RatSteering()), ("SongbirdTutor", SongbirdSteering())):
        lines.append(f"| {body} | {type(s).__name__} | {s.num_adjustable_parameters} |")
    lines += ["", "Learned parameters of each agent are in the benchmark table (last column).", "",
              "## Benchmark (quick)", "", "Full report: [benchmark/report.md](benchmark/report.md)", "",
              "| body | agent | return at birth | final return | 95% CI | learned params |", "|---|---|---|---|---|---|"]
    for r in bench["rows"]:
        lines.append(f"| {r['body'].split('/')[-1]} | {r['agent']} | {r['return_at_birth']:.3f} | {r['final_return']:.3f} | "
                     f"[{r['ci95_low']:.3f}, {r['ci95_high']:.3f}] | {r['learned_parameters']:,} |")
    lines += [""] + [f"![curves](benchmark/{Path(f).name})" for f in bench["figures"]]
    lines += ["", "## Experiments", "", "| experiment | budget | verdict | table |", "|---|---|---|---|"]
    for e in experiments:
        lines.append(f"| {e['name']} | {e['budget']} | {'PASS' if e['passed'] else 'FAIL'} | [experiments/{e['name']}.md](experiments/{e['name']}.md) |")
    lines += ["", "## Episodes", ""]
    for ep in episodes:
        rel = Path(ep["video"]).relative_to(out)
        lines.append(f"- {ep['body'].split('/')[-1]}, {ep['who']}: [{rel}]({rel})"
                     + (f", songs: [{Path(ep['tutor_wav']).relative_to(out)}]({Path(ep['tutor_wav']).relative_to(out)}) (tutor), "
                        f"[{Path(ep['bird_wav']).relative_to(out)}]({Path(ep['bird_wav']).relative_to(out)}) (bird)" if "bird_wav" in ep else ""))
    return write_atomic(out / "REPORT.md", "\n".join(lines) + "\n")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="runs/main", help="output folder (default runs/main)")
    parser.add_argument("--seed", type=non_negative_int, default=0, help="seed of the experiments and episodes (default 0)")
    add_seeds(parser, [0, 1], "of the benchmark")
    parser.add_argument("--workers", type=positive_int, default=2, help="parallel benchmark jobs (default 2)")
    parser.add_argument("--scale", type=positive_float, default=1.0,
                        help="multiply the benchmark budgets (e.g. 0.05 for a smoke run)")
    parser.add_argument("--small", action="store_true", help="every experiment at its small budget (a smoke run)")
    parser.add_argument("--agents", nargs="+", default=None, help="benchmark only these agents (default: all)")
    parser.add_argument("--experiments", nargs="+", default=list(EXPERIMENT_BUDGETS),
                        help=f"experiments to run (default: all of {' '.join(EXPERIMENT_BUDGETS)})")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from brainlike.agents.runner import agent_names, benchmark_agent_names

    agents = args.agents or benchmark_agent_names()
    unknown = [a for a in agents if a not in agent_names()] + [e for e in args.experiments if e not in EXPERIMENT_BUDGETS]
    if unknown:
        parser.error(f"unknown agents or experiments {unknown}; agents: {agent_names()}, experiments: {list(EXPERIMENT_BUDGETS)}")
    for agent in agents:
        require_agent_extra(agent)
    require_extra("report", "the demo's plots, GIFs and report")
    out = check_output_dir(parser, args.out)
    t0 = time.perf_counter()

    stage("1/3 quick benchmark: learning-from-scratch agents, SB3 baselines, innate-only, random")
    bench = run_benchmark(out / "benchmark", agents, args.seeds, args.workers, args.scale)
    stage("2/3 experiments: the published results")
    experiments = run_experiments(out / "experiments", args.experiments, args.seed, args.small)
    stage("3/3 episodes at birth and after learning")
    episodes = record_episodes(out / "episodes", out / "benchmark", args.seed)
    report = write_report(out, bench, experiments, episodes, (time.perf_counter() - t0) / 60)

    passed = sum(e["passed"] for e in experiments)
    print(f"\nDone in {(time.perf_counter() - t0) / 60:.1f} min.")
    print(f"  report:      {report}")
    print(f"  benchmark:   {bench['report']}  ({bench['csv']})")
    print(f"  plots:       {' '.join(bench['figures'])}")
    print(f"  experiments: {out / 'experiments'}  ({passed}/{len(experiments)} PASS)")
    print(f"  episodes:    {out / 'episodes'}  (GIFs; songbird WAVs: "
          f"{', '.join(str(Path(e[k]).name) for e in episodes for k in ('tutor_wav', 'bird_wav') if k in e)})")
    return 0


COMMAND = Command("demo", __doc__, add_arguments, run)


def main(argv: list[str] | None = None) -> int:
    return COMMAND.main(argv)


if __name__ == "__main__":
    sys.exit(main())

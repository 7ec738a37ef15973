"""The main job (``make demo``): innate versus learned, side by side, on every registered body.

Every body with a ``BodyProfile`` is in it, found through the registry. Per body:

1. A benchmark: the newborn (``innate-only``: its reflexes and steering;
   ``random``: chance) against the learning-from-scratch agents that fit it and
   one SB3 baseline (the profile's ``demo_baseline``), trained ``demo_steps``
   steps on 2 seeds, with learning curves against steps and wall-clock.
2. The body's headline experiments (its profile's ``demo_experiments``) at the
   profile's ``demo_experiment_budget``: demo-budget verdicts, labelled as such;
   the science's verdicts come from ``brainlike experiment all --budget full``.
3. Episode GIFs at birth and after learning, and the songbird's WAVs.
4. ``REPORT.md``: all of it, and how long each stage took on how many cores.

Benchmark jobs and experiments share one pool of ``--workers`` processes, the
longest first, under one progress bar whose ETA covers recordings too.
``--full`` is the longer, complete run: every SB3 baseline, each body's
``benchmark_steps``, every headline experiment at its full budget.

Everything goes into ``--out`` (default ``runs/main``). Rerunning with the same
folder resumes: finished benchmark jobs and experiments are not redone.
(Same as ``python scripts/demo.py ...`` and ``make demo``.)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brainlike.envs.profile import body_ids, profile_for
from brainlike.scripts.common import (
    Command, UserError, add_seeds, check_output_dir, non_negative_int, positive_float, positive_int, require_agent_extra,
    require_extra,
)

if TYPE_CHECKING:  # the agent side is imported when a run starts, so `brainlike --help` stays quick
    from brainlike.agents.benchmark import Job
    from brainlike.agents.experiments.seeds import SeedTask


def main_job_experiments() -> tuple[str, ...]:
    """Every registered body's headline experiments (its profile's ``main_job_experiments``)."""
    return tuple(name for body in body_ids() for name in profile_for(body).main_job_experiments)


@dataclass(frozen=True)
class Recording:
    """One filmed life: the body's showcase learner at birth (``model`` None) or after learning."""

    body: str
    who: str  # "at_birth" or "after_learning"
    seed: int
    steps: int
    model: str | None = None

    @property
    def key(self) -> str:
        return f"{self.body.split('/')[-1].removesuffix('-v0')}_{self.who}"


@dataclass
class Plan:
    """What one run of the main job does: benchmark jobs, experiments (``SeedTask``) and recordings."""

    jobs: list[Job]
    experiments: list[SeedTask]
    bodies: list[str]
    seed: int
    full: bool
    episode_steps: int = 200


def is_experiment(task: Any) -> bool:
    from brainlike.agents.experiments.seeds import SeedTask

    return isinstance(task, SeedTask)


def task_key(task: Job | SeedTask | Recording) -> str:
    """A task's name in progress lines and timing records: a job's key, ``experiment:<name>``, ``record:<key>``."""
    if isinstance(task, Recording):
        return f"record:{task.key}"
    return f"experiment:{task.name}" if is_experiment(task) else task.key


def plan_main_job(agents: Sequence[str] | None, experiments: Sequence[str], seeds: Sequence[int], seed: int,
                  scale: float = 1.0, full: bool = False, small: bool = False, episode_steps: int = 200) -> Plan:
    """The main job's tasks. ``agents`` None: every learner that fits, and the baseline(s) of ``full`` or not."""
    from brainlike.agents.baselines import is_baseline
    from brainlike.agents.benchmark import make_jobs
    from brainlike.agents.experiments.seeds import SeedTask
    from brainlike.agents.runner import benchmark_agent_names

    jobs = []
    bodies = list(body_ids())
    for body in bodies:
        p = profile_for(body)
        if agents is None:
            baselines = p.sb3_algorithms if full else (p.main_job_baseline,)
            mine = [a for a in benchmark_agent_names() if not is_baseline(a) or a in baselines]
        else:
            mine = list(agents)
        steps = p.benchmark_steps if full else p.demo_steps
        jobs += make_jobs(mine, [body], seeds, max(1000, int(steps * scale)), evals=6, eval_episodes=24)
    from brainlike.agents.experiments import BUDGETS, EXPERIMENTS

    tasks = []
    for name in experiments:
        budget = profile_for(EXPERIMENTS[name].body).demo_experiment_budget
        if budget not in BUDGETS:
            raise ValueError(f"the demo_experiment_budget of {EXPERIMENTS[name].body} must be one of {BUDGETS}, "
                             f"got {budget!r}")
        tasks.append(SeedTask(name, "small" if small else "full" if full else budget, seed))
    return Plan(jobs, tasks, bodies, seed, full, episode_steps)


def run_task(task: Any) -> dict[str, Any]:
    """Run one task in a worker and time it: a benchmark job, an experiment, or a recording."""
    from brainlike.agents.benchmark import compute_job
    from brainlike.agents.experiments.seeds import run_seed

    wall, cpu = time.perf_counter(), time.process_time()
    if isinstance(task, Recording):
        value = record(task)
    else:
        value = run_seed(task) if is_experiment(task) else compute_job(task)
    return {"value": value, "wall_seconds": time.perf_counter() - wall, "cpu_seconds": time.process_time() - cpu}


def record(rec: Recording) -> dict[str, Any]:
    """Film one life into a temporary folder; returns the body's summary and the files as bytes."""
    from brainlike.agents.runner import build_agent, load_agent, record_episode

    kwargs = dict(profile_for(rec.body).benchmark_env_kwargs)
    if rec.model is None:
        # At birth: the learner's own random initial weights, the body's reflexes and steering acting.
        agent = build_agent(profile_for(rec.body).showcase_agent, rec.body, seed=rec.seed, env_kwargs=kwargs)
    else:
        agent = load_agent(rec.model)
    with tempfile.TemporaryDirectory() as tmp:
        r = record_episode(agent, rec.body, Path(tmp) / f"{rec.key}.gif", seed=rec.seed, max_steps=rec.steps,
                           explore=rec.model is None, env_kwargs=kwargs)
        files = {k: (Path(r[k]).name, Path(r[k]).read_bytes()) for k in ("video", "tutor_wav", "bird_wav") if k in r}
    return {"files": files, "return": r["return"], "frames": r["frames"]}


#: The recorded run of the main job in a source checkout: the README's minutes, and each task's
#: expected seconds (the progress bar's ETA and the longest-first order). Written by scripts/time_main_job.py.
TIMING_FILE = Path(__file__).resolve().parents[1] / "docs" / "main-job-timing.json"


def expected_seconds(mode: str, path: Path = TIMING_FILE) -> dict[str, float]:
    """Per task key, the CPU seconds it took in the recorded run of ``mode`` (``demo`` or ``full``; empty if none)."""
    try:
        tasks = json.loads(path.read_text())[mode]["tasks"]
        return {k: float(v["cpu_seconds"]) for k, v in tasks.items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


class MainJobRunner:
    """Runs a plan's tasks on a pool under one progress bar and times every task and stage.

    The bar advances by each task's expected seconds (from the recorded run;
    the mean of the known ones for a task it lacks), so its ETA is in time,
    not in task counts: a 90 s baseline and a 1 s reference agent are not alike.
    """

    def __init__(self, plan: Plan, workers: int, progress: bool, expected: dict[str, float]) -> None:
        from brainlike.agents.reporting import progress_bar

        keys = [task_key(t) for t in [*plan.jobs, *plan.experiments]]
        keys += [task_key(Recording(b, w, plan.seed, plan.episode_steps))
                 for b in plan.bodies for w in ("at_birth", "after_learning")]
        default = sum(expected.values()) / len(expected) if expected else 1.0
        self.weight = {k: max(expected.get(k, default), 0.1) for k in keys}
        self.workers = workers
        self.tasks: dict[str, dict[str, float]] = {}
        self.stages: dict[str, float] = {}
        self.failed: dict[str, str] = {}
        self.bar = progress_bar(round(sum(self.weight.values()), 1), progress, unit="s" if expected else "task",
                                desc="main job",
                                bar_format="{l_bar}{bar}| {percentage:3.0f}% [{elapsed}<{remaining}{postfix}]")

    def run(self, tasks: Sequence[Any]) -> list[tuple[Any, dict[str, Any]]]:
        """Run ``tasks`` on the pool, the longest expected first; returns each finished one with its value."""
        from brainlike.agents.backends import run_tasks

        order = self.longest_first(tasks)
        done = []
        for o in run_tasks(run_task, order, workers=self.workers):
            key = task_key(order[o.index])
            if o.ok:
                self.tasks[key] = {k: round(o.value[k], 2) for k in ("wall_seconds", "cpu_seconds")}
                done.append((order[o.index], o.value["value"]))
            else:
                self.failed[key] = o.failure
                print(f"\n{key} failed: {o.failure.strip().splitlines()[-1]}", file=sys.stderr, flush=True)
            self.skip([order[o.index]])
            self.bar.set_postfix(last=key)
        return done

    def longest_first(self, tasks: Sequence[Any]) -> list[Any]:
        """Longest expected first: two workers then end together instead of one waiting on a late long task."""
        return sorted(tasks, key=lambda t: -self.weight[task_key(t)])

    def skip(self, tasks: Sequence[Any]) -> None:
        """Count ``tasks`` as done (finished now, or by an earlier run in this folder)."""
        self.bar.update(round(sum(self.weight[task_key(t)] for t in tasks), 1))


def run_main_job(plan: Plan, out: Path, workers: int, progress: bool = True) -> dict[str, Any]:
    """Run the plan into ``out``; returns what the report needs: benchmark, experiments, episodes, timing."""
    from brainlike.agents.benchmark import finish, finished_record, out_lock, store_job
    from brainlike.agents.experiments.seeds import load_seed, store_seed
    from brainlike.agents.reporting import write_atomic

    bench, exps = out / "benchmark", out / "experiments"
    runner = MainJobRunner(plan, workers, progress, expected_seconds("full" if plan.full else "demo"))
    with out_lock(bench):
        t = time.perf_counter()
        try:
            todo_jobs = [j for j in plan.jobs if finished_record(bench, j) is None]
        except ValueError as e:  # the folder holds a run with other settings (e.g. before --full)
            raise UserError(str(e)) from None
        results = {task.name: r for task in plan.experiments if (r := load_seed(exps, task)) is not None}
        todo = todo_jobs + [task for task in plan.experiments if task.name not in results]
        runner.skip([j for j in plan.jobs if j not in todo_jobs] + [x for x in plan.experiments if x.name in results])
        for task, value in runner.run(todo):
            if is_experiment(task):
                results[task.name] = store_seed(exps, task, value)
            else:
                store_job(bench, task, value, "main job")
        runner.stages["benchmark and experiments"] = round(time.perf_counter() - t, 1)

        t = time.perf_counter()
        recordings, unfilmed = [], []
        for body in plan.bodies:
            recordings.append(Recording(body, "at_birth", plan.seed, plan.episode_steps))
            model = bench / "models" / f"{profile_for(body).showcase_agent}__{body.split('/')[-1]}__0"
            after = Recording(body, "after_learning", plan.seed, plan.episode_steps, str(model))
            # No trained showcase learner (not benchmarked, or its job failed): nothing learned to film.
            (recordings if model.with_suffix(".json").exists() else unfilmed).append(after)
        runner.skip(unfilmed)
        episodes = []
        for rec, value in runner.run(recordings):
            paths = {k: str(write_atomic(out / "episodes" / name, data)) for k, (name, data) in value["files"].items()}
            who = "at birth" if rec.model is None else f"{profile_for(rec.body).showcase_agent} after learning"
            episodes.append({"body": rec.body, "who": who, "return": value["return"], **paths})
        runner.stages["recordings"] = round(time.perf_counter() - t, 1)

        t = time.perf_counter()
        job_keys = {j.key for j in plan.jobs}
        summary = finish(bench, plan.jobs, {k: v for k, v in runner.failed.items() if k in job_keys})
        runner.stages["benchmark tables and figures"] = round(time.perf_counter() - t, 1)
    runner.bar.close()
    episodes.sort(key=lambda e: (e["body"], e["who"] != "at birth"))
    return {"bench": summary, "experiments": [results[x.name].to_json() for x in plan.experiments if x.name in results],
            "episodes": episodes, "stages": runner.stages, "tasks": runner.tasks, "failed": runner.failed}


def steering_rows(bodies: Sequence[str]) -> list[str]:
    """Each body's Steering Subsystem and its count of adjustable innate parameters, from the body itself."""
    import gymnasium as gym

    rows = []
    for body in bodies:
        env = gym.make(body, **dict(profile_for(body).benchmark_env_kwargs))
        steering = env.unwrapped.steering
        rows.append(f"| {body.split('/')[-1]} | {type(steering).__name__} | {steering.num_adjustable_parameters} |")
        env.close()
    return rows


def write_report(out: Path, plan: Plan, run: dict[str, Any], timing: dict[str, Any]) -> Path:
    from brainlike.agents.reporting import write_atomic

    bench = run["bench"]
    mode = "`brainlike demo --full`" if plan.full else "`make demo`"
    lines = ["# brainlike-gym: innate versus learned", "",
             f"Made by {mode} in {timing['minutes']:.1f} minutes on {timing['cores']} cores "
             f"({timing['workers']} workers; load average {timing['load_average_start'][0]:.1f} at the start, "
             f"{timing['load_average_end'][0]:.1f} at the end). Setup (the virtual environment) is not counted.", "",
             "| stage | wall-clock seconds |", "|---|---|"]
    lines += [f"| {stage} | {seconds:.1f} |" for stage, seconds in run["stages"].items()]
    cpu: dict[str, float] = {}
    for key, t in run["tasks"].items():
        kind = key.split(":")[0] if ":" in key else "benchmark job"
        cpu[kind] = cpu.get(kind, 0.0) + t["cpu_seconds"]
    lines += ["", "CPU seconds by kind of task (run " f"{timing['workers']} at a time): "
              + ", ".join(f"{kind} {s:.0f}" for kind, s in sorted(cpu.items())) + ". Per task: `timing.json`.", "",
              "## Steering (innate) versus learner (learned from scratch)", "",
              "| body | steering subsystem | adjustable innate parameters |", "|---|---|---|", *steering_rows(plan.bodies),
              "", "`innate-only` is the newborn: its reflexes and steering, nothing learned; `random` is chance. "
              "Learned parameters of each agent are in the benchmark table (last column).", "",
              "## Benchmark" + ("" if plan.full else " (demo budgets: each body's `demo_steps`, one SB3 baseline)"), "",
              "Full report: [benchmark/report.md](benchmark/report.md)", "",
              "| body | agent | return at birth | final return | 95% CI | learned params |", "|---|---|---|---|---|---|"]
    for r in bench["rows"]:
        lines.append(f"| {r['body'].split('/')[-1]} | {r['agent']} | {r['return_at_birth']:.3f} | {r['final_return']:.3f} | "
                     f"[{r['ci95_low']:.3f}, {r['ci95_high']:.3f}] | {r['learned_parameters']:,} |")
    lines += [""] + [f"![curves](benchmark/{Path(f).name})" for f in bench["figures"]]
    lines += ["", "## Experiments", "",
              f"Demo-budget verdicts: one seed ({plan.seed}), each at the budget named in its row. The science's "
              "verdicts are the full budget across seeds: `brainlike experiment all --budget full --seeds 0-4`.", "",
              "| experiment | budget | demo-budget verdict | table |", "|---|---|---|---|"]
    for e in run["experiments"]:
        md = f"experiments/{e['name']}/{e['budget']}/seed-{e['seed']}/{e['name']}.md"
        lines.append(f"| {e['name']} | {e['budget']} | {'PASS' if e['passed'] else 'FAIL'} | [{md}]({md}) |")
    if any(e["budget"] == "small" for e in run["experiments"]):
        lines += ["", "At the `small` budget an experiment is a smoke run of its protocol (fewer animals, trials or "
                  "days): it shows the protocol and its figure, but too little of it for the verdict to count."]
    lines += [f"| {k.removeprefix('experiment:')} | | failed to run | |" for k in run["failed"] if k.startswith("experiment:")]
    lines += ["", "## Episodes", ""]
    for ep in run["episodes"]:
        rel = Path(ep["video"]).relative_to(out)
        songs = ""
        if "bird_wav" in ep:
            tutor, bird = (Path(ep[k]).relative_to(out) for k in ("tutor_wav", "bird_wav"))
            songs = f", songs: [{tutor}]({tutor}) (tutor), [{bird}]({bird}) (bird)"
        lines.append(f"- {ep['body'].split('/')[-1]}, {ep['who']}: [{rel}]({rel}){songs}")
    return write_atomic(out / "REPORT.md", "\n".join(lines) + "\n")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="runs/main", help="output folder (default runs/main)")
    parser.add_argument("--seed", type=non_negative_int, default=0, help="seed of the experiments and episodes (default 0)")
    add_seeds(parser, [0, 1], "of the benchmark")
    parser.add_argument("--workers", type=positive_int, default=2, help="parallel tasks (default 2)")
    parser.add_argument("--full", action="store_true",
                        help="the longer, complete run: every SB3 baseline, each body's benchmark_steps, "
                             "every headline experiment at its full budget")
    parser.add_argument("--scale", type=positive_float, default=1.0,
                        help="multiply the benchmark budgets (e.g. 0.05 for a smoke run)")
    parser.add_argument("--small", action="store_true", help="every experiment at its small budget (a smoke run)")
    parser.add_argument("--agents", nargs="+", default=None,
                        help="benchmark only these agents (default: the learners that fit each body, the innate "
                             "references and the body's demo_baseline; every baseline with --full)")
    names = list(main_job_experiments())
    parser.add_argument("--experiments", nargs="+", default=names,
                        help=f"experiments to run (default: every body's headline ones, {' '.join(names)})")
    parser.add_argument("--episode-steps", type=positive_int, default=200, help="steps per filmed life (default 200)")
    parser.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from brainlike.agents.runner import agent_names

    from brainlike.agents.experiments import EXPERIMENTS

    known = main_job_experiments()

    unknown = [a for a in args.agents or [] if a not in agent_names()]
    unknown += [e for e in args.experiments if e not in EXPERIMENTS]
    if unknown:
        parser.error(f"unknown agents or experiments {unknown}; agents: {agent_names()}, "
                     f"headline experiments: {list(known)} (any of {list(EXPERIMENTS)})")
    for agent in args.agents or []:  # before any work; the default agents are checked once planned
        require_agent_extra(agent)
    require_extra("report", "the demo's plots, GIFs and report")
    out = check_output_dir(parser, args.out)
    t0, load0 = time.perf_counter(), os.getloadavg()
    plan = plan_main_job(args.agents, args.experiments, args.seeds, args.seed, args.scale, args.full, args.small,
                         args.episode_steps)
    for agent in sorted({j.agent for j in plan.jobs}):
        require_agent_extra(agent)
    print(f"main job: {len(plan.jobs)} benchmark jobs and {len(plan.experiments)} experiments on {len(plan.bodies)} "
          f"bodies, then {2 * len(plan.bodies)} recordings, {args.workers} at a time, into {out}", flush=True)
    planned = time.perf_counter() - t0
    result = run_main_job(plan, out, args.workers, args.progress)
    result["stages"] = {"planning (which agents fit which body)": round(planned, 1), **result["stages"]}
    minutes = (time.perf_counter() - t0) / 60
    timing = {"mode": "full" if args.full else "demo", "minutes": round(minutes, 2), "cores": os.cpu_count(),
              "workers": args.workers, "load_average_start": [round(x, 2) for x in load0],
              "load_average_end": [round(x, 2) for x in os.getloadavg()], "stages": result["stages"],
              "tasks": result["tasks"]}
    from brainlike.agents.reporting import write_atomic

    write_atomic(out / "timing.json", json.dumps(timing, indent=2))
    report = write_report(out, plan, result, timing)

    bench, experiments, episodes = result["bench"], result["experiments"], result["episodes"]
    passed = sum(e["passed"] for e in experiments)
    print(f"\nDone in {minutes:.1f} min on {os.cpu_count()} cores.")
    print(f"  report:      {report}")
    print(f"  timing:      {out / 'timing.json'}  ({', '.join(f'{k} {v:.0f} s' for k, v in result['stages'].items())})")
    print(f"  benchmark:   {bench['report']}  ({bench['csv']})")
    print(f"  plots:       {' '.join(bench['figures'])}")
    print(f"  experiments: {out / 'experiments'}  ({passed}/{len(experiments)} PASS at the demo budget)")
    print(f"  episodes:    {out / 'episodes'}  (GIFs; songbird WAVs: "
          f"{', '.join(str(Path(e[k]).name) for e in episodes for k in ('tutor_wav', 'bird_wav') if k in e)})")
    return 1 if result["failed"] else 0


COMMAND = Command("demo", __doc__, add_arguments, run)


def main(argv: list[str] | None = None) -> int:
    return COMMAND.main(argv)


if __name__ == "__main__":
    sys.exit(main())

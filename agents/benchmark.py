"""The benchmark: agents x bodies x seeds, learning curves, a results table and a report.

Every job (one agent, one body, one seed) trains with periodic greedy
evaluation and writes ``jobs/<agent>__<body>__<seed>.json`` atomically when it
finishes, so an interrupted run loses nothing finished and a rerun with the
same folder does only the jobs that are missing (a finished job asked for with
other settings is an error, never reused). One run at a time holds a folder
(``out_lock``). Jobs run on a backend (``agents.backends``: the local process
pool, or a Ray cluster) and come back to this process, which alone writes the
folder. The agents that do not learn (``innate-only``,
``random``) are evaluated once at birth and drawn as reference lines.
Aggregation: per agent and body, the final greedy return over seeds as mean
with a 95% bootstrap interval and the interquartile mean (IQM).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from brainlike.agents.backends import one_blas_thread, run_with_progress
from brainlike.agents.reporting import csv_text, nan_to_none, save_figure, write_atomic
from brainlike.agents.rollout import evaluation_seed
from brainlike.agents.stats import bootstrap_ci, iqm
from brainlike.envs.profile import profile_for

REFERENCE_AGENTS = ("innate-only", "random")


@dataclass(frozen=True)
class Job:
    agent: str
    body: str  # env id
    seed: int
    steps: int
    eval_every: int
    eval_episodes: int

    @property
    def env_kwargs(self) -> dict[str, Any]:
        """The body arguments of the benchmark (its profile's ``benchmark_env_kwargs``)."""
        return dict(profile_for(self.body).benchmark_env_kwargs)

    @property
    def key(self) -> str:
        return f"{self.agent}__{self.body.split('/')[-1]}__{self.seed}"


def job_path(out: Path, job: Job) -> Path:
    return out / "jobs" / f"{job.key}.json"


def load_job(path: Path) -> dict[str, Any] | None:
    """A finished job's record, or None if it is missing or unreadable (then it is redone)."""
    try:
        rec = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return rec if isinstance(rec, dict) and rec.get("history") else None


def job_identity(job: Job) -> dict[str, Any]:
    """Everything that defines a job's result, as its record stores it (JSON-normalised)."""
    return json.loads(json.dumps({"job": asdict(job), "env_kwargs": job.env_kwargs}, default=float))


def finished_record(out: Path, job: Job) -> dict[str, Any] | None:
    """The finished record of ``job`` in ``out``, or None if it is still to do.

    Raises a ValueError when ``out`` holds a record under the same name whose
    settings differ (another budget, evaluation schedule or body arguments):
    reusing it would silently mix two experiments in one table.
    """
    rec = load_job(job_path(out, job))
    if rec is None:
        return None
    stored = {"job": rec.get("job"), "env_kwargs": rec.get("env_kwargs")}
    wanted = job_identity(job)
    if stored != wanted:
        diff = {k: (stored["job"].get(k) if isinstance(stored["job"], dict) else None, v)
                for k, v in wanted["job"].items() if not isinstance(stored["job"], dict) or stored["job"].get(k) != v}
        if stored["env_kwargs"] != wanted["env_kwargs"]:
            diff["env_kwargs"] = (stored["env_kwargs"], wanted["env_kwargs"])
        raise ValueError(f"{job_path(out, job)} was run with other settings than this run asks for "
                         f"(setting: (in the folder, asked now)): {diff}; use another --out folder, or delete the "
                         f"folder's jobs/ to redo them")
    return rec


@one_blas_thread()  # also in the one-worker driver, whose numpy loaded before ONE_THREAD could apply
def compute_job(job: Job) -> dict[str, Any]:
    """Train (or, for reference agents, evaluate at birth) one job; runs in a worker, writes nothing.

    Returns the job's record and its saved model's files as bytes, so that the
    driver alone writes into the run folder: a worker on another machine of a
    Ray cluster needs no shared filesystem.
    """
    import tempfile

    from brainlike.agents.runner import build_agent, evaluate_agent, save_agent, train_agent

    import torch

    torch.set_num_threads(1)  # parallel jobs each get one core
    kwargs = job.env_kwargs
    agent = build_agent(job.agent, job.body, seed=job.seed, env_kwargs=kwargs)
    if job.agent in REFERENCE_AGENTS:
        # Evaluated on the same held-out seeds as the learners' evaluations.
        returns = evaluate_agent(agent, job.body, episodes=job.eval_episodes, seed=evaluation_seed(job.seed),
                                 env_kwargs=kwargs)
        history = [{"env_steps": s, "wall_seconds": 0.0, "mean_return": float(returns.mean())} for s in (0, job.steps)]
    else:
        history = train_agent(agent, job.body, total_steps=job.steps, seed=job.seed, eval_every=job.eval_every,
                              eval_episodes=job.eval_episodes, progress=False, env_kwargs=kwargs)
    with tempfile.TemporaryDirectory() as tmp:
        model_files = {p.name: p.read_bytes() for p in save_agent(agent, Path(tmp) / job.key)}
    record = {"job": asdict(job), "env_kwargs": kwargs, "num_parameters": int(getattr(agent, "num_parameters", 0)),
              "history": history}
    return {"record": json.loads(json.dumps(record, default=float)), "model_files": model_files}


def store_job(out: Path, job: Job, result: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Write a computed job into ``out``: the model first, then the record, each atomically.

    A record on disk therefore means everything of the job is there.
    """
    paths = [str(write_atomic(out / "models" / name, data)) for name, data in result["model_files"].items()]
    record = {**result["record"], "model": sorted(paths), "ran_on": where}
    write_atomic(job_path(out, job), json.dumps(record, default=float))
    return record


def run_jobs(jobs: Sequence[Job], out: Path, workers: int = 2, progress: bool = True, backend: str = "local",
             address: str | None = None) -> dict[str, str]:
    """Run the jobs not already finished in ``out`` on ``backend``; returns errors (tracebacks) by job key.

    Holds ``out``'s lock (``out_lock``) while it runs; a job finished in ``out``
    with other settings is an error (``finished_record``), never reused.
    Whichever backend finished a job, a rerun skips it. A job that raises is
    retried once, then reported; the others go on (``backends.run_tasks``).
    """
    out.mkdir(parents=True, exist_ok=True)
    with out_lock(out):
        return _run_unlocked(jobs, out, workers, progress, backend, address)


@contextmanager
def out_lock(out: Path) -> Iterator[None]:
    """Hold ``out``'s lock for a run: a second run on the same folder refuses instead of redoing every job.

    An ``flock`` on ``out/.lock``: the system releases it when the holder exits,
    even by SIGKILL, so a dead run never leaves the folder locked.
    """
    import fcntl

    out.mkdir(parents=True, exist_ok=True)
    path = out / ".lock"
    with open(path, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            holder = f.read().strip() or "unknown"
            raise RuntimeError(f"{out} is in use by another benchmark run (pid {holder}); wait for it to finish "
                               f"or use another --out folder") from None
        f.seek(0)
        f.truncate()
        f.write(str(os.getpid()))
        f.flush()
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _run_unlocked(jobs: Sequence[Job], out: Path, workers: int, progress: bool, backend: str,
                  address: str | None) -> dict[str, str]:
    todo = [j for j in jobs if finished_record(out, j) is None]
    errors: dict[str, str] = {}
    for job, o in run_with_progress(compute_job, todo, len(jobs), lambda j: j.key, progress, "job", "benchmark",
                                    backend=backend, workers=workers, address=address):
        if o.ok:
            store_job(out, job, o.value, o.where)
        else:
            errors[job.key] = o.failure
    return errors


def aggregate(records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per (body, agent): final greedy return over seeds, with intervals."""
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for r in records:
        groups.setdefault((r["job"]["body"], r["job"]["agent"]), []).append(r)
    rows = []
    for (body, agent), recs in sorted(groups.items()):
        finals = [r["history"][-1]["mean_return"] for r in recs]
        births = [r["history"][0]["mean_return"] for r in recs]
        lo, hi = bootstrap_ci(finals)
        rows.append({
            "body": body, "agent": agent, "seeds": len(recs),
            "return_at_birth": float(np.mean(births)), "final_return": float(np.mean(finals)),
            "ci95_low": lo, "ci95_high": hi, "iqm": iqm(finals),
            "env_steps": int(recs[0]["history"][-1]["env_steps"]),
            "train_seconds": float(np.mean([r["history"][-1]["wall_seconds"] for r in recs])),
            "learned_parameters": int(recs[0].get("num_parameters", 0)),
        })
    add_time_to_solve(rows, groups)
    return rows


#: How far from chance towards the best final return on a body counts as "solved".
SOLVE_FRACTION = 0.8


def add_time_to_solve(rows: list[dict[str, Any]], groups: Mapping[tuple[str, str], Sequence[Mapping[str, Any]]]) -> None:
    """Add ``solve_threshold``, ``steps_to_solve`` and ``seconds_to_solve`` to each learner's row.

    A body's threshold is ``SOLVE_FRACTION`` of the way from the random agent's
    return to the best final return any agent reached on it. A learner's time
    to it is the first evaluation at which its seed-mean greedy return is at
    or above the threshold (NaN if never), in env steps and training seconds.
    """
    for body in {r["body"] for r in rows}:
        mine = [r for r in rows if r["body"] == body]
        chance = next((r["final_return"] for r in mine if r["agent"] == "random"), None)
        best = max(r["final_return"] for r in mine)
        threshold = float("nan") if chance is None or best <= chance else chance + SOLVE_FRACTION * (best - chance)
        for r in mine:
            r["solve_threshold"] = threshold
            r["steps_to_solve"] = r["seconds_to_solve"] = float("nan")
            if r["agent"] in REFERENCE_AGENTS or np.isnan(threshold):
                continue
            recs = groups[(body, r["agent"])]
            n = min(len(x["history"]) for x in recs)
            curve = np.mean([[h["mean_return"] for h in x["history"][:n]] for x in recs], axis=0)
            hit = np.flatnonzero(curve >= threshold)
            if hit.size:
                i = int(hit[0])
                r["steps_to_solve"] = float(np.mean([x["history"][i]["env_steps"] for x in recs]))
                r["seconds_to_solve"] = float(np.mean([x["history"][i]["wall_seconds"] for x in recs]))


# --- outputs ----------------------------------------------------------------------
def write_tables(rows: Sequence[Mapping[str, Any]], out: Path) -> tuple[Path, Path]:
    return (write_atomic(out / "results.csv", csv_text(rows)),
            # Strict JSON: "not reached" is null, not NaN.
            write_atomic(out / "results.json", json.dumps([nan_to_none(r) for r in rows], indent=2)))


def plot_curves(records: Sequence[Mapping[str, Any]], out: Path) -> list[str]:
    """Per body: mean greedy return against env steps and against wall-clock seconds."""
    import matplotlib.pyplot as plt

    paths = []
    bodies = sorted({r["job"]["body"] for r in records})
    for body in bodies:
        fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), sharey=True)
        agents = sorted({r["job"]["agent"] for r in records if r["job"]["body"] == body})
        for i, agent in enumerate(agents):
            recs = [r for r in records if r["job"]["body"] == body and r["job"]["agent"] == agent]
            color = plt.cm.tab10(i % 10)
            for ax, xkey in zip(axes, ("env_steps", "wall_seconds")):
                if agent in REFERENCE_AGENTS:
                    level = np.mean([r["history"][0]["mean_return"] for r in recs])
                    ax.axhline(level, ls="--", color=color, label=f"{agent} (at birth)")
                    continue
                n = min(len(r["history"]) for r in recs)
                xs = np.mean([[h[xkey] for h in r["history"][:n]] for r in recs], axis=0)
                ys = np.array([[h["mean_return"] for h in r["history"][:n]] for r in recs])
                ax.plot(xs, ys.mean(axis=0), color=color, label=agent)
                if len(recs) > 1:
                    ax.fill_between(xs, ys.min(axis=0), ys.max(axis=0), color=color, alpha=0.15)
        axes[0].set_xlabel("environment steps")
        axes[1].set_xlabel("training wall-clock seconds")
        axes[0].set_ylabel("greedy return (mean over seeds)")
        axes[1].legend(fontsize=8, loc="best")
        fig.suptitle(body)
        paths.append(save_figure(fig, out, f"curves_{body.split('/')[-1]}"))
    return paths


def write_report(rows: Sequence[Mapping[str, Any]], figures: Sequence[str], out: Path,
                 errors: Mapping[str, str], extra: str = "") -> Path:
    lines = ["# brainlike-gym benchmark", "",
             "Final greedy return per agent and body (mean over seeds, 95% bootstrap interval, IQM). "
             "`innate-only` (reflexes, no learning) and `random` (chance) are measured at birth.", "",
             f"*Time to solve*: the first evaluation at which the seed-mean return reaches {SOLVE_FRACTION:.0%} of the "
             "way from random's return to the best final return on that body.", "",
             "| body | agent | seeds | return at birth | final return | 95% CI | IQM | env steps | train s | "
             "steps to solve | seconds to solve | learned params |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]

    def solved(x: float, fmt: str) -> str:
        return "-" if np.isnan(x) else format(x, fmt)

    for r in rows:
        lines.append(f"| {r['body'].split('/')[-1]} | {r['agent']} | {r['seeds']} | {r['return_at_birth']:.3f} | "
                     f"{r['final_return']:.3f} | [{r['ci95_low']:.3f}, {r['ci95_high']:.3f}] | {r['iqm']:.3f} | "
                     f"{r['env_steps']:,} | {r['train_seconds']:.1f} | {solved(r['steps_to_solve'], ',.0f')} | "
                     f"{solved(r['seconds_to_solve'], '.1f')} | {r['learned_parameters']:,} |")
    lines += ["", "## Learning curves", ""]
    lines += [f"![{Path(f).stem}]({Path(f).name})" for f in figures]
    if errors:
        lines += ["", "## Jobs that failed", ""] + [f"- `{k}`: {v.strip().splitlines()[-1]}" for k, v in errors.items()]
    if extra:
        lines += ["", extra]
    return write_atomic(out / "report.md", "\n".join(lines) + "\n")


def finish(out: Path, jobs: Sequence[Job], errors: Mapping[str, str], extra: str = "") -> dict[str, Any]:
    """Aggregate every finished job in ``out`` into tables, plots and the report."""
    records = [r for j in jobs if (r := finished_record(out, j)) is not None]
    if not records:
        raise RuntimeError(f"no finished jobs in {out}; errors: {list(errors)}")
    rows = aggregate(records)
    csv_path, json_path = write_tables(rows, out)
    figures = plot_curves(records, out)
    report = write_report(rows, figures, out, errors, extra)
    return {"rows": rows, "csv": csv_path, "json": json_path, "figures": figures, "report": report}


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def make_jobs(agents: Sequence[str], bodies: Sequence[str], seeds: Sequence[int], steps: int | None = None,
              evals: int = 8, eval_episodes: int = 32) -> list[Job]:
    """Every (agent, body, seed) that fits; agents that cannot run on a body are left out."""
    from brainlike.agents.runner import fits

    jobs = []
    for body in bodies:
        n = steps or profile_for(body).benchmark_steps
        for agent in agents:
            if not fits(agent, body):
                continue
            for seed in seeds:
                jobs.append(Job(agent, body, int(seed), n, max(1, n // evals), eval_episodes))
    return jobs

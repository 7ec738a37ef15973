"""An experiment over several seeds, on any backend: per-criterion pass rates and intervals.

One seed's verdict can be luck. ``run_over_seeds`` runs each experiment once
per seed (one task per seed, on the local pool or a Ray cluster through
``agents.backends``) and judges it across them: for every criterion, the
fraction of seeds that pass it and the mean of its measured value with a 95%
bootstrap interval over seeds. The verdict is PASS only if every criterion
passes on every seed and no seed failed to run.

Workers write nothing: a seed's result and its files come back to the driver,
which writes ``<out>/<name>/<budget>/seed-<k>/`` and the across-seed summary
``<out>/<name>.json`` / ``.md``. A rerun with the same ``out`` skips seeds
already finished (whichever backend ran them).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from brainlike.agents.backends import run_tasks
from brainlike.agents.experiments import get_experiment
from brainlike.agents.experiments.base import Criterion, ExperimentResult, write_result
from brainlike.agents.reporting import progress_bar, write_atomic
from brainlike.agents.stats import bootstrap_ci


@dataclass(frozen=True)
class SeedTask:
    name: str
    budget: str
    seed: int


def seed_dir(out: Path, task: SeedTask) -> Path:
    return out / task.name / task.budget / f"seed-{task.seed}"


def run_seed(task: SeedTask) -> dict[str, Any]:
    """Run one experiment at one seed (in a worker): its result and its files as bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        result = get_experiment(task.name).run(task.budget, task.seed, Path(tmp))
        files = {p.name: p.read_bytes() for p in Path(tmp).iterdir() if p.is_file()}
    return {"result": result, "files": files}


def _store(out: Path, task: SeedTask, value: dict[str, Any]) -> ExperimentResult:
    """Write one seed's files and result on the driver; the figure path is rewritten to where it now is."""
    folder = seed_dir(out, task)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in value["files"].items():
        write_atomic(folder / name, data)
    result: ExperimentResult = value["result"]
    if result.figure:
        result.figure = str(folder / Path(result.figure).name)
    write_result(result, folder)
    return result


def _load(out: Path, task: SeedTask) -> ExperimentResult | None:
    """A finished seed's result, or None if it is still to do."""
    try:
        rec = json.loads((seed_dir(out, task) / f"{task.name}.json").read_text())
        criteria = [Criterion(**c) for c in rec["criteria"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if rec.get("budget") != task.budget or rec.get("seed") != task.seed:
        return None
    return ExperimentResult(rec["name"], rec["budget"], rec["seed"], criteria, rec.get("data", {}), rec.get("figure"))


@dataclass
class CriterionAcrossSeeds:
    """One criterion judged over seeds."""

    name: str
    target: str
    passed_seeds: int
    seeds: int
    mean: float
    ci95_low: float
    ci95_high: float
    per_seed: list[float]

    @property
    def pass_rate(self) -> float:
        return self.passed_seeds / self.seeds if self.seeds else 0.0


@dataclass
class AcrossSeeds:
    """An experiment's verdict over seeds: PASS only if every criterion passes on every seed."""

    name: str
    budget: str
    seeds: list[int]
    criteria: list[CriterionAcrossSeeds]
    figures: list[str]
    failed_seeds: dict[int, str]  # seed -> the traceback of a seed that did not run

    @property
    def passed(self) -> bool:
        return not self.failed_seeds and bool(self.criteria) and all(c.passed_seeds == c.seeds for c in self.criteria)

    def table(self) -> str:
        ran = len(self.seeds) - len(self.failed_seeds)
        lines = [f"### {self.name} (budget {self.budget}, seeds {_seed_text(self.seeds)}): "
                 f"{'PASS' if self.passed else 'FAIL'}", "",
                 "| metric | mean over seeds [95% CI] | criterion | seeds passing |", "|---|---|---|---|"]
        for c in self.criteria:
            ci = f" [{c.ci95_low:.3g}, {c.ci95_high:.3g}]" if c.seeds > 1 else ""
            lines.append(f"| {c.name} | {c.mean:.3g}{ci} | {c.target} | {c.passed_seeds}/{c.seeds} |")
        if self.failed_seeds:
            lines += ["", f"Seeds that did not run ({len(self.failed_seeds)} of {len(self.seeds)}): "
                      + ", ".join(f"{s} ({err.strip().splitlines()[-1]})" for s, err in self.failed_seeds.items())]
        lines += ["", f"{ran} seed(s) ran; per-seed tables and figures: "
                  + ", ".join(Path(f).parent.name for f in self.figures)]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "budget": self.budget, "seeds": self.seeds, "passed": self.passed,
                "criteria": [{**asdict(c), "pass_rate": c.pass_rate} for c in self.criteria],
                "figure": self.figures[0] if self.figures else None, "figures": self.figures,
                "failed_seeds": {str(k): v for k, v in self.failed_seeds.items()}}


def _seed_text(seeds: Sequence[int]) -> str:
    s = list(seeds)
    return f"{s[0]}-{s[-1]}" if len(s) > 2 and s == list(range(s[0], s[-1] + 1)) else " ".join(map(str, s))


def summarise(name: str, budget: str, seeds: Sequence[int], results: dict[int, ExperimentResult],
              failed: dict[int, str]) -> AcrossSeeds:
    """Per criterion (matched by position and name across seeds): pass count, mean and bootstrap CI."""
    ran = [results[s] for s in seeds if s in results]
    criteria = []
    if ran:
        for i, first in enumerate(ran[0].criteria):
            rows = [r.criteria[i] for r in ran if i < len(r.criteria) and r.criteria[i].name == first.name]
            values = [float(c.measured) for c in rows]
            finite = [v for v in values if np.isfinite(v)]
            lo, hi = bootstrap_ci(finite) if len(finite) > 1 else (float("nan"), float("nan"))
            criteria.append(CriterionAcrossSeeds(first.name, first.target, sum(c.passed for c in rows), len(rows),
                                                 float(np.mean(finite)) if finite else float("nan"), lo, hi, values))
    figures = [r.figure for r in ran if r.figure]
    return AcrossSeeds(name, budget, list(seeds), criteria, figures, dict(failed))


def run_over_seeds(names: Sequence[str], budget: str, seeds: Sequence[int], out: Path, backend: str = "local",
                   workers: int = 1, address: str | None = None, progress: bool = True) -> list[AcrossSeeds]:
    """Run every experiment in ``names`` at every seed and write each across-seed summary into ``out``."""
    tasks = [SeedTask(n, budget, int(s)) for n in names for s in seeds]
    results: dict[tuple[str, int], ExperimentResult] = {}
    for t in tasks:
        if (done := _load(out, t)) is not None:
            results[(t.name, t.seed)] = done
    todo = [t for t in tasks if (t.name, t.seed) not in results]
    failed: dict[tuple[str, int], str] = {}
    bar = progress_bar(len(tasks), progress, initial=len(tasks) - len(todo), unit="seed", desc="experiments")
    try:
        with closing(run_tasks(run_seed, todo, backend=backend, workers=workers, address=address)) as outcomes:
            for o in outcomes:
                t = todo[o.index]
                if o.ok:
                    results[(t.name, t.seed)] = _store(out, t, o.value)
                else:
                    failed[(t.name, t.seed)] = f"failed after {o.attempts} attempts on {o.where}:\n{o.error}"
                bar.update(1)
                bar.set_postfix(last=f"{t.name} seed {t.seed}")
    finally:
        bar.close()
    summaries = []
    for name in names:
        s = summarise(name, budget, [int(x) for x in seeds], {k[1]: v for k, v in results.items() if k[0] == name},
                      {k[1]: v for k, v in failed.items() if k[0] == name})
        write_atomic(out / f"{name}.json", json.dumps(s.to_json(), indent=2))
        write_atomic(out / f"{name}.md", s.table() + "\n")
        summaries.append(s)
    return summaries


__all__ = ["AcrossSeeds", "CriterionAcrossSeeds", "SeedTask", "run_over_seeds", "run_seed", "summarise"]

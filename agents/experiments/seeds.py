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
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from brainlike.agents.backends import run_with_progress
from brainlike.agents.experiments import get_experiment
from brainlike.agents.experiments.base import Criterion, ExperimentResult, write_result
from brainlike.agents.reporting import write_atomic
from brainlike.agents.stats import bootstrap_ci


@dataclass(frozen=True)
class SeedTask:
    name: str
    budget: str
    seed: int
    scales: tuple[tuple[str, float], ...] = ()  # (constant, factor) pairs; () is every constant at its innate value

    @property
    def point(self) -> str:
        """The folder name of this task's steering: ``nominal`` or e.g. ``threshold-x0.8``."""
        return "_".join(f"{k}-x{v:g}" for k, v in self.scales) or "nominal"


def seed_dir(out: Path, task: SeedTask) -> Path:
    base = out / task.name / task.budget
    return (base if not task.scales else base / task.point) / f"seed-{task.seed}"


def run_seed(task: SeedTask) -> dict[str, Any]:
    """Run one experiment at one seed (in a worker): its result and its files as bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        result = get_experiment(task.name).execute(task.budget, task.seed, Path(tmp), dict(task.scales))
        files = {p.name: p.read_bytes() for p in Path(tmp).iterdir() if p.is_file()}
    return {"result": result, "files": files}


def store_seed(out: Path, task: SeedTask, value: dict[str, Any]) -> ExperimentResult:
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


def load_seed(out: Path, task: SeedTask) -> ExperimentResult | None:
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
    per_seed_passed: list[bool]

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
    figure: str | None = None  # every criterion's value at every seed, overlaid (``plot_across_seeds``)

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
        if self.figure:
            lines += [f"Every seed overlaid: {Path(self.figure).name}"]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "budget": self.budget, "seeds": self.seeds, "passed": self.passed,
                "criteria": [{**asdict(c), "pass_rate": c.pass_rate} for c in self.criteria],
                "figure": self.figure, "figures": self.figures,
                "failed_seeds": {str(k): v for k, v in self.failed_seeds.items()}}


def _seed_text(seeds: Sequence[int]) -> str:
    s = list(seeds)
    return f"{s[0]}-{s[-1]}" if len(s) > 2 and s == list(range(s[0], s[-1] + 1)) else " ".join(map(str, s))


def summarise(name: str, budget: str, seeds: Sequence[int], results: dict[int, ExperimentResult],
              failed: dict[int, str]) -> AcrossSeeds:
    """Per criterion (the same names in the same order at every seed, or a ValueError): pass count, mean and bootstrap CI."""
    ran = [results[s] for s in seeds if s in results]
    criteria = []
    if ran:
        for r in ran[1:]:
            # A row dropped or renamed at one seed would be silently left out of its pass count.
            names, first_names = [c.name for c in r.criteria], [c.name for c in ran[0].criteria]
            if names != first_names:
                differ = next((i for i, (a, b) in enumerate(zip(names, first_names)) if a != b), min(len(names), len(first_names)))
                raise ValueError(f"{name}: seed {r.seed}'s criteria differ from seed {ran[0].seed}'s at row {differ} "
                                 f"({names[differ] if differ < len(names) else 'missing'!r} vs "
                                 f"{first_names[differ] if differ < len(first_names) else 'missing'!r}); a criterion's "
                                 "name must be the same at every seed (measured values belong in its note)")
        for i, first in enumerate(ran[0].criteria):
            rows = [r.criteria[i] for r in ran]
            values = [float(c.measured) for c in rows]
            finite = [v for v in values if np.isfinite(v)]
            lo, hi = bootstrap_ci(finite) if len(finite) > 1 else (float("nan"), float("nan"))
            criteria.append(CriterionAcrossSeeds(first.name, first.target, sum(c.passed for c in rows), len(rows),
                                                 float(np.mean(finite)) if finite else float("nan"), lo, hi, values,
                                                 [bool(c.passed) for c in rows]))
    figures = [r.figure for r in ran if r.figure]
    return AcrossSeeds(name, budget, list(seeds), criteria, figures, dict(failed))


def plot_across_seeds(s: AcrossSeeds, out: Path) -> str | None:
    """One panel per criterion: its measured value at every seed (green passes, red fails), the
    mean over seeds and its 95% interval. Saved as ``<out>/<name>-seeds.png``."""
    if not s.criteria:
        return None
    import matplotlib.pyplot as plt

    from brainlike.agents.reporting import save_figure

    cols = min(3, len(s.criteria))
    rows = -(-len(s.criteria) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 2.6 * rows), squeeze=False)
    ran = [seed for seed in s.seeds if seed not in s.failed_seeds]
    for ax, c in zip(axes.flat, s.criteria):
        ax.scatter(ran[: len(c.per_seed)], c.per_seed, c=["tab:green" if p else "tab:red" for p in c.per_seed_passed],
                   zorder=3)
        ax.axhline(c.mean, color="black", lw=1)
        if np.isfinite(c.ci95_low):
            ax.axhspan(c.ci95_low, c.ci95_high, color="grey", alpha=0.25)
        ax.set_title(f"{c.name[:64]}\n{c.target}: {c.passed_seeds}/{c.seeds} seeds", fontsize=7)
        ax.set_xlabel("seed", fontsize=7)
        ax.set_xticks(ran)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(s.criteria):]:
        ax.axis("off")
    fig.suptitle(f"{s.name} (budget {s.budget}): {'PASS' if s.passed else 'FAIL'} across seeds", fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    return save_figure(fig, out, f"{s.name}-seeds")


def _run_tasks(tasks: list[SeedTask], out: Path, progress: bool, **backend: Any
               ) -> tuple[dict[SeedTask, ExperimentResult], dict[SeedTask, str]]:
    """Every task's result (finished ones loaded from ``out``, the rest run) and the tracebacks of failures."""
    results: dict[SeedTask, ExperimentResult] = {}
    for t in tasks:
        if (done := load_seed(out, t)) is not None:
            results[t] = done
    todo = [t for t in tasks if t not in results]
    failed: dict[SeedTask, str] = {}
    describe = lambda t: f"{t.name} seed {t.seed}" + ("" if not t.scales else f" ({t.point})")  # noqa: E731
    for t, o in run_with_progress(run_seed, todo, len(tasks), describe, progress, "seed", "experiments", **backend):
        if o.ok:
            results[t] = store_seed(out, t, o.value)
        else:
            failed[t] = o.failure
    return results, failed


def _summarise_point(name: str, budget: str, seeds: Sequence[int], scales: tuple[tuple[str, float], ...],
                     results: dict[SeedTask, ExperimentResult], failed: dict[SeedTask, str]) -> AcrossSeeds:
    def mine(t: SeedTask) -> bool:
        return t.name == name and t.scales == scales

    return summarise(name, budget, [int(x) for x in seeds], {t.seed: r for t, r in results.items() if mine(t)},
                     {t.seed: f for t, f in failed.items() if mine(t)})


def run_over_seeds(names: Sequence[str], budget: str, seeds: Sequence[int], out: Path, backend: str = "local",
                   workers: int = 1, address: str | None = None, progress: bool = True) -> list[AcrossSeeds]:
    """Run every experiment in ``names`` at every seed and write each across-seed summary into ``out``."""
    tasks = [SeedTask(n, budget, int(s)) for n in names for s in seeds]
    results, failed = _run_tasks(tasks, out, progress, backend=backend, workers=workers, address=address)
    summaries = []
    for name in names:
        s = _summarise_point(name, budget, seeds, (), results, failed)
        s.figure = plot_across_seeds(s, out)
        write_atomic(out / f"{name}.json", json.dumps(s.to_json(), indent=2))
        write_atomic(out / f"{name}.md", s.table() + "\n")
        summaries.append(s)
    return summaries


@dataclass
class Sensitivity:
    """An experiment's verdict across seeds at its innate constants and with each key constant scaled."""

    name: str
    budget: str
    band: float
    nominal: AcrossSeeds
    points: list[tuple[str, float, AcrossSeeds]]  # (constant, factor, verdict there)

    @property
    def holds(self) -> bool:
        """PASS at the innate constants and at both ends of every constant's band."""
        return self.nominal.passed and all(v.passed for _, _, v in self.points)

    def table(self) -> str:
        verdict = ("PASS holds across the band" if self.holds else
                   "knife-edge: PASS at the innate constants, FAIL somewhere in the band" if self.nominal.passed
                   else "FAIL at the innate constants")
        lines = [f"### {self.name}: sensitivity, each constant x{1 - self.band:g} and x{1 + self.band:g} "
                 f"(budget {self.budget}, seeds {_seed_text(self.nominal.seeds)}): {verdict}", "",
                 "| steering | verdict | criteria passing on every seed |", "|---|---|---|"]
        for label, s in [("innate constants", self.nominal)] + [(f"{k} x{f:g}", v) for k, f, v in self.points]:
            ok = sum(c.passed_seeds == c.seeds for c in s.criteria)
            lines.append(f"| {label} | {'PASS' if s.passed else 'FAIL'} | {ok}/{len(s.criteria)} |")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "budget": self.budget, "band": self.band, "holds": self.holds,
                "nominal": self.nominal.to_json(),
                "points": [{"constant": k, "factor": f, **v.to_json()} for k, f, v in self.points]}


def run_sensitivity(names: Sequence[str], budget: str, seeds: Sequence[int], out: Path, band: float = 0.2,
                    backend: str = "local", workers: int = 1, address: str | None = None,
                    progress: bool = True) -> list[Sensitivity]:
    """Each experiment's verdict over ``seeds`` at its innate constants and with every constant in its
    ``sensitivity`` scaled by ``1 - band`` and ``1 + band``; writes ``<name>-sensitivity.json/.md``.

    An experiment that declares no constants is an error naming it (nothing is skipped silently).
    """
    if not 0 < band < 1:
        raise ValueError(f"the sensitivity band must be in (0, 1), got {band!r}")
    missing = [n for n in names if not get_experiment(n).sensitivity]
    if missing:
        raise ValueError(f"experiments {missing} declare no sensitivity constants (Experiment.sensitivity)")
    factors = (round(1 - band, 6), round(1 + band, 6))
    tasks = [SeedTask(n, budget, int(s), scales)
             for n in names
             for scales in [()] + [((k, f),) for k in get_experiment(n).sensitivity for f in factors]
             for s in seeds]
    results, failed = _run_tasks(tasks, out, progress, backend=backend, workers=workers, address=address)
    reports = []
    for name in names:
        points = [(k, f, _summarise_point(name, budget, seeds, ((k, f),), results, failed))
                  for k in get_experiment(name).sensitivity for f in factors]
        report = Sensitivity(name, budget, band, _summarise_point(name, budget, seeds, (), results, failed), points)
        write_atomic(out / f"{name}-sensitivity.json", json.dumps(report.to_json(), indent=2))
        write_atomic(out / f"{name}-sensitivity.md", report.table() + "\n")
        reports.append(report)
    return reports


__all__ = ["AcrossSeeds", "CriterionAcrossSeeds", "SeedTask", "Sensitivity", "load_seed", "plot_across_seeds", "run_over_seeds",
           "run_seed", "run_sensitivity", "store_seed", "summarise"]

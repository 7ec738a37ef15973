"""Experiments: protocols over a body whose metrics decide a published result's analogue.

Each experiment carries NeuroGym-style metadata (paper, link, tags), runs at a
``small`` budget (a smoke test) or the ``full`` budget (where its PASS/FAIL is
the science's verdict), and returns an ``ExperimentResult``: a table of
measured metrics against the criteria of ``shared/SCIENCE.md``, the raw
numbers, and a figure.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

BUDGETS = ("small", "full")


@dataclass
class Criterion:
    """One measured number against the criterion it must meet."""

    name: str
    measured: float
    target: str
    passed: bool
    note: str = ""


@dataclass
class ExperimentResult:
    name: str
    budget: str
    seed: int
    criteria: list[Criterion]
    data: dict[str, Any] = field(default_factory=dict)
    figure: str | None = None

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.criteria)

    def table(self) -> str:
        """A Markdown table of the criteria, PASS/FAIL per row."""
        lines = [f"### {self.name} (budget {self.budget}, seed {self.seed}): {'PASS' if self.passed else 'FAIL'}", "",
                 "| metric | measured | criterion | result |", "|---|---|---|---|"]
        for c in self.criteria:
            note = f" ({c.note})" if c.note else ""
            lines.append(f"| {c.name}{note} | {c.measured:.3g} | {c.target} | {'PASS' if c.passed else 'FAIL'} |")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "budget": self.budget, "seed": self.seed, "passed": self.passed,
                "criteria": [asdict(c) for c in self.criteria], "data": _plain(self.data), "figure": self.figure}


@dataclass(frozen=True)
class Experiment:
    """A named protocol: metadata, and ``run(budget, seed, out_dir) -> ExperimentResult``."""

    name: str
    body: str
    paper: str
    link: str
    tags: tuple[str, ...]
    summary: str
    run: Callable[[str, int, Path], ExperimentResult]


def _plain(x: Any) -> Any:
    """Numpy values to JSON-ready Python values, recursively."""
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, np.generic):
        return x.item()
    return x


def write_atomic(path: Path, text: str) -> Path:
    """Write ``text`` so that readers see the old file or the whole new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)
    return path


def write_result(result: ExperimentResult, out_dir: Path) -> tuple[Path, Path]:
    """``<name>.json`` (numbers) and ``<name>.md`` (the table) in ``out_dir``."""
    js = write_atomic(out_dir / f"{result.name}.json", json.dumps(result.to_json(), indent=2))
    md = write_atomic(out_dir / f"{result.name}.md", result.table() + "\n")
    return js, md


def proportion_ci(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson 95% interval of a proportion."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return (float(centre - half), float(centre + half))


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman rank correlation (average ranks for ties)."""
    def ranks(a: np.ndarray) -> np.ndarray:
        a = np.asarray(a, dtype=float)
        order = np.argsort(a, kind="stable")
        r = np.empty(len(a))
        r[order] = np.arange(len(a), dtype=float)
        for v in np.unique(a):  # ties share their mean rank
            r[a == v] = r[a == v].mean()
        return r
    rx, ry = ranks(x), ranks(y)
    if rx.std() == 0 or ry.std() == 0:
        return 0.0
    return float(np.corrcoef(rx, ry)[0, 1])


def save_figure(fig: Any, out_dir: Path, name: str) -> str:
    """Save a matplotlib figure atomically as ``<name>.png``; returns the path."""
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}.png"
    tmp = out_dir / f".{name}.tmp.png"
    fig.savefig(tmp, dpi=110, bbox_inches="tight")
    plt.close(fig)
    os.replace(tmp, path)
    return str(path)

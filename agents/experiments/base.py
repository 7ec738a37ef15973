"""Experiments: protocols over a body whose metrics decide a published result's analogue.

Each experiment carries NeuroGym-style metadata (paper, link, tags), runs at a
``small`` budget (a smoke test) or the ``full`` budget (where its PASS/FAIL is
the science's verdict), and returns an ``ExperimentResult``: a table of
measured metrics against the criteria of ``docs/science.md``, the raw
numbers, and a figure.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from brainlike.agents.reporting import save_figure, to_plain, write_atomic  # noqa: F401  (save_figure: scripts import it from here)

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
                "criteria": [asdict(c) for c in self.criteria], "data": to_plain(self.data), "figure": self.figure}


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


def write_result(result: ExperimentResult, out_dir: Path) -> tuple[Path, Path]:
    """``<name>.json`` (numbers) and ``<name>.md`` (the table) in ``out_dir``."""
    js = write_atomic(out_dir / f"{result.name}.json", json.dumps(result.to_json(), indent=2))
    md = write_atomic(out_dir / f"{result.name}.md", result.table() + "\n")
    return js, md


__all__ = ["BUDGETS", "Criterion", "Experiment", "ExperimentResult", "write_result"]

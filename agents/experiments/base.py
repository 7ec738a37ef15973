"""Experiments: protocols over a body whose metrics decide a published result's analogue.

Each experiment carries NeuroGym-style metadata (paper, link, tags), runs at a
``small`` budget (a smoke test) or the ``full`` budget (where its PASS/FAIL is
the science's verdict), and returns an ``ExperimentResult``: a table of
measured metrics against the criteria of ``docs/science.md``, the raw
numbers, and a figure.

Judging (see ``agents.stats``): claims are one-sided tests with stated margins
(``Criterion.from_test``); every mechanism has a removal arm whose criterion is
that the effect breaks without it; and an experiment names the key constants
of its steering (``Experiment.sensitivity``) so that ``run`` can be repeated
with each scaled (``scales``), showing whether the verdict holds across a band
or sits on a knife-edge.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from brainlike.agents.reporting import save_figure, to_plain, write_atomic  # noqa: F401  (save_figure: scripts import it from here)
from brainlike.agents.stats import TestOutcome

BUDGETS = ("small", "full")

#: Factors by which an experiment's key steering constants are scaled, by constant name.
Scales = Mapping[str, float]
#: Every constant at its innate value.
NOMINAL: Scales = MappingProxyType({})

S = TypeVar("S")


#: How far apart two experiment seeds' cohorts start. A vector env seeded s gives body i the
#: seed s + i, so cohorts seeded 0 and 1 would share all but one animal's world (the same
#: births and random streams, shifted by one body) and the seeds would not be independent
#: replicates. Experiment seed k's animals are seeded from k x this stride instead.
COHORT_SEED_STRIDE = 100_000


def cohort_seed(seed: int) -> int:
    """The seed of body 0 of experiment seed ``seed``'s cohort: no two experiment seeds share an animal."""
    return int(seed) * COHORT_SEED_STRIDE


#: A second arm or phase of one experiment seed (a lesioned cohort, a test session on fresh
#: worlds) takes its seed this far from the seed's own: arm k of experiment seed s is seeded
#: s + k x this, so no arm of one experiment seed is an arm, or the training, of another.
ARM_SEED_STRIDE = 10_000


def arm_seed(seed: int, arm: int) -> int:
    """The experiment seed of arm ``arm`` (0 is the seed itself) of experiment seed ``seed``."""
    return int(seed) + ARM_SEED_STRIDE * int(arm)


def steering_with(steering: Callable[..., S], scales: Scales = NOMINAL, **kwargs: Any) -> S:
    """``steering(**kwargs)`` with each constant named in ``scales`` multiplied by its factor.

    A constant's base value is the one given in ``kwargs``, else the default of
    the steering's constructor argument of that name. An integer constant (a
    count of steps) is scaled to the nearest integer (ties to even): a 3-step
    latency becomes 2 at x0.8 and 4 at x1.2. An unknown name, or one whose
    value is not a number, is an error naming it.
    """
    params = inspect.signature(steering).parameters
    scaled = dict(kwargs)
    for name, factor in scales.items():
        if name not in params:
            raise ValueError(f"{getattr(steering, '__name__', steering)} has no constant {name!r}; "
                             f"expected one of {sorted(p for p in params if p != 'self')}")
        base = kwargs.get(name, params[name].default)
        if isinstance(base, bool) or not isinstance(base, (int, float)):
            raise ValueError(f"{name}={base!r} of {getattr(steering, '__name__', steering)} is not a number to scale")
        scaled[name] = round(base * factor) if isinstance(base, int) else type(base)(base * factor)
    return steering(**scaled)


@dataclass
class Criterion:
    """One measured number against the criterion it must meet."""

    name: str
    measured: float
    target: str
    passed: bool
    note: str = ""

    @classmethod
    def from_test(cls, name: str, outcome: TestOutcome, target: str) -> Criterion:
        """A row whose measured value is the tested difference, with its bound and p-value as the note."""
        return cls(name, outcome.estimate, target, outcome.passed,
                   f"95% bound {outcome.bound:.3g}, p={outcome.p_value:.2g}")


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
    """A named protocol: metadata, and ``run(budget, seed, out_dir, scales) -> ExperimentResult``.

    ``sensitivity`` names the key constants of the body's steering (arguments
    of its constructor) that ``run`` scales by ``scales`` (``steering_with``).
    Call ``execute``, which checks the budget and the scales first.
    """

    name: str
    body: str
    paper: str
    link: str
    tags: tuple[str, ...]
    summary: str
    run: Callable[..., ExperimentResult]
    sensitivity: tuple[str, ...] = ()

    def execute(self, budget: str, seed: int, out_dir: Path, scales: Scales = NOMINAL) -> ExperimentResult:
        if budget not in BUDGETS:
            raise ValueError(f"budget must be one of {BUDGETS}, got {budget!r}")
        unknown = sorted(set(scales) - set(self.sensitivity))
        if unknown:
            raise ValueError(f"experiment {self.name!r} cannot scale {unknown}; its sensitivity constants are "
                             f"{list(self.sensitivity) or 'none'}")
        bad = {k: v for k, v in scales.items() if not (isinstance(v, (int, float)) and v > 0)}
        if bad:
            raise ValueError(f"scale factors must be numbers > 0, got {bad}")
        if scales:
            return self.run(budget, seed, out_dir, scales)
        return self.run(budget, seed, out_dir)


def write_result(result: ExperimentResult, out_dir: Path) -> tuple[Path, Path]:
    """``<name>.json`` (numbers) and ``<name>.md`` (the table) in ``out_dir``."""
    js = write_atomic(out_dir / f"{result.name}.json", json.dumps(result.to_json(), indent=2))
    md = write_atomic(out_dir / f"{result.name}.md", result.table() + "\n")
    return js, md


__all__ = ["BUDGETS", "NOMINAL", "Criterion", "Experiment", "ExperimentResult", "Scales", "steering_with", "write_result"]

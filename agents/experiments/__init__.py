"""Published-result analogues, by name (see ``docs/science.md``)."""

from __future__ import annotations

from brainlike.agents.experiments.base import BUDGETS, Criterion, Experiment, ExperimentResult, write_result
from brainlike.agents.experiments.mouse import EXPERIMENTS as _MOUSE
from brainlike.agents.experiments.songbird import EXPERIMENTS as _SONGBIRD
from brainlike.agents.experiments.rat import EXPERIMENTS as _RAT
from brainlike.agents.experiments.eyeblink import EXPERIMENTS as _EYEBLINK
from brainlike.agents.experiments.owl import EXPERIMENTS as _OWL
from brainlike.agents.experiments.resident import EXPERIMENTS as _RESIDENT

EXPERIMENTS: dict[str, Experiment] = {e.name: e for e in _MOUSE}
EXPERIMENTS.update({e.name: e for e in _SONGBIRD})
EXPERIMENTS.update({e.name: e for e in _RAT + _OWL})
EXPERIMENTS.update({e.name: e for e in _EYEBLINK})
EXPERIMENTS.update({e.name: e for e in _RESIDENT})


def get_experiment(name: str) -> Experiment:
    try:
        return EXPERIMENTS[name]
    except KeyError:
        raise ValueError(f"unknown experiment {name!r}; known: {sorted(EXPERIMENTS)}") from None


__all__ = ["BUDGETS", "EXPERIMENTS", "Criterion", "Experiment", "ExperimentResult", "get_experiment", "write_result"]

"""The salt-rat experiments: smoke runs at the small budget (the verdict is at the full budget
over seeds), their removal arms and sensitivity constants, and the cohort of independent learners."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from brainlike.agents.experiments import EXPERIMENTS
from brainlike.agents.experiments.base import steering_with
from brainlike.agents.experiments.rat import SENSITIVITY, _rat_env, individuals
from brainlike.agents.registry import make_agent
from brainlike.steering.rat import RatSteering

#: Each experiment's removal arms: the criteria that must show the effect breaking without its mechanism.
REMOVAL_ARMS = {
    "dead-sea-salt": ("multiplicative kappa", "sensitization lesioned", "cached-value TD learner"),
    "sensitization": ("sensitization lesioned", "sensitization-lesioned rats", "the intake rise exceeds the lesioned rats'"),
}


@pytest.mark.parametrize("name", ["dead-sea-salt", "sensitization"])
def test_rat_experiment_runs_at_small_budget(name: str, tmp_path: Path) -> None:
    result = EXPERIMENTS[name].execute("small", 0, tmp_path)
    assert result.name == name and result.budget == "small"
    assert result.criteria, "the criteria table must not be empty"
    assert all(isinstance(c.passed, bool) for c in result.criteria)
    for arm in REMOVAL_ARMS[name]:
        assert any(arm in c.name for c in result.criteria), f"{name} has no criterion for its removal arm {arm!r}"
    assert "licking" not in json.dumps(result.to_json()).lower(), "no verdict rests on the scripted licking policy"
    assert "thought-assessor" in result.data["agent"]
    # Per-individual statistics: the rows on single rats say how many rats meet them.
    assert sum("rats meet it" in c.note for c in result.criteria) >= 5
    json.dumps(result.to_json())  # JSON-serialisable, data included
    assert result.figure is not None and Path(result.figure).is_file() and Path(result.figure).stat().st_size > 0
    assert "| metric |" in result.table()


def test_rat_experiments_declare_steering_constants_that_scale():
    for name in ("dead-sea-salt", "sensitization"):
        assert EXPERIMENTS[name].sensitivity == SENSITIVITY
    for constant in SENSITIVITY:
        nominal, scaled = RatSteering(), steering_with(RatSteering, {constant: 1.2})
        assert getattr(scaled, constant) == pytest.approx(1.2 * getattr(nominal, constant))
    with pytest.raises(ValueError, match="salt_appetite"):
        EXPERIMENTS["sensitization"].execute("small", 0, Path("."), {"salt_appetite": 1.2})


def test_a_cohort_of_rats_learns_independently():
    # Rat 0 tastes salt at every step, rat 1 nothing: only rat 0's synapses may change.
    env = _rat_env(2, "dead_sea_salt")
    agent = individuals(make_agent("thought-assessor", env, seed=0), 2)
    obs, _ = env.reset(seed=0)
    signals = {"sweet": np.zeros(2, np.float32), "salt": np.array([1.0, 0.0], np.float32)}
    for _ in range(5):
        agent.learn(obs, np.zeros(2, np.int64), np.zeros(2), obs, np.zeros(2, bool), np.zeros(2, bool),
                    {"innate_signals": signals})
    block = agent.expansion.base.num_units
    assert np.abs(agent.predictors[:block]).sum() > 0 and np.abs(agent.predictors[block:]).sum() == 0
    with pytest.raises(ValueError, match="2 rows"):
        agent.predict({k: v[:1] for k, v in obs.items()})

"""Smoke tests of the salt-rat experiments at the small budget (the verdict is at the full budget)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brainlike.agents.experiments import EXPERIMENTS


@pytest.mark.parametrize("name", ["dead-sea-salt", "sensitization"])
def test_rat_experiment_runs_at_small_budget(name: str, tmp_path: Path) -> None:
    result = EXPERIMENTS[name].run("small", 0, tmp_path)
    assert result.name == name and result.budget == "small"
    assert result.criteria, "the criteria table must not be empty"
    assert all(isinstance(c.passed, bool) for c in result.criteria)
    json.dumps(result.to_json())  # JSON-serialisable, data included
    assert result.figure is not None and Path(result.figure).is_file() and Path(result.figure).stat().st_size > 0
    assert "| metric |" in result.table()

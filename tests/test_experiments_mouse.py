"""The mouse's experiments at the small budget: tables, numbers, figures (the verdict is at full budget)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from brainlike.agents.experiments import EXPERIMENTS, get_experiment
from brainlike.agents.stats import proportion_ci, spearman
from brainlike.agents.experiments.mouse import _random_policy, run_first_looms


@pytest.mark.parametrize("name", ["first-loom", "one-life"])
def test_runs_at_small_budget_and_writes_its_results(name, tmp_path):
    exp = get_experiment(name)
    assert exp.body == "brainlike/ForagingMouse-v0" and exp.paper and exp.link.startswith("https://")
    result = exp.run("small", 0, tmp_path)
    assert result.criteria and all(isinstance(c.passed, bool) for c in result.criteria)
    json.dumps(result.to_json())
    assert (tmp_path / f"{name}.png").stat().st_size > 0
    assert result.table().count("|") > 10


def test_first_looms_are_exactly_reproducible():
    a = run_first_looms(50, 3, _random_policy(3), predator_rate=0.05)
    b = run_first_looms(50, 3, _random_policy(3), predator_rate=0.05)
    for x, y in zip(vars(a).values(), vars(b).values()):
        np.testing.assert_array_equal(x, y)


def test_reflex_lesion_shows_in_the_recorded_responses():
    lesioned = run_first_looms(80, 1, _random_policy(1), predator_rate=0.05, reflexes=False)
    intact = run_first_looms(80, 1, _random_policy(1), predator_rate=0.05)
    assert lesioned.seen.sum() > 20 and intact.seen.sum() > 20
    assert (lesioned.reflex[lesioned.seen] == "").all()
    assert (intact.reflex[intact.seen] != "").mean() > 0.8


def test_statistics_helpers():
    lo, hi = proportion_ci(50, 100)
    assert lo < 0.5 < hi and hi - lo == pytest.approx(0.19, abs=0.01)
    assert spearman(np.arange(5), np.arange(5) ** 2) == pytest.approx(1.0)
    assert spearman(np.arange(5), -np.arange(5)) == pytest.approx(-1.0)


def test_every_experiment_is_registered_with_its_metadata():
    assert set(EXPERIMENTS) == {"first-loom", "one-life", "dead-sea-salt", "sensitization", "tutor-learning",
                                "performance-error", "pitch-shift", "eyeblink-acquisition", "eyeblink-timing",
                                "eyeblink-isi", "eyeblink-extinction", "eyeblink-lesions",
                                "prism-juvenile", "prism-adult", "prism-blind", "prism-ceiling", "tectal-lesion", "prism-learner"}
    with pytest.raises(ValueError, match="unknown experiment"):
        get_experiment("telepathy")

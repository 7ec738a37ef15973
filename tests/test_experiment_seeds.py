"""Experiments judged across seeds: pass counts per criterion, intervals, resume, failures reported."""

from __future__ import annotations

import json
import math

import pytest

from brainlike.agents.experiments import get_experiment
from brainlike.agents.experiments.base import Criterion, ExperimentResult
from brainlike.agents.experiments.seeds import SeedTask, run_over_seeds, seed_dir, summarise


def _result(seed: int, measured: float, passed: bool) -> ExperimentResult:
    return ExperimentResult("x", "small", seed, [Criterion("always", 1.0, ">= 0", True),
                                                  Criterion("sometimes", measured, "> 0", passed)])


def test_a_criterion_failing_on_one_seed_fails_the_verdict():
    s = summarise("x", "small", [0, 1, 2], {0: _result(0, 1.0, True), 1: _result(1, -1.0, False),
                                            2: _result(2, 2.0, True)}, {})
    assert not s.passed
    always, sometimes = s.criteria
    assert (always.passed_seeds, always.seeds) == (3, 3)
    assert (sometimes.passed_seeds, sometimes.seeds) == (2, 3) and sometimes.pass_rate == pytest.approx(2 / 3)
    assert sometimes.mean == pytest.approx(2 / 3) and sometimes.per_seed == [1.0, -1.0, 2.0]
    assert sometimes.ci95_low <= sometimes.mean <= sometimes.ci95_high
    assert "| sometimes | 0.667 [" in s.table() and "| 2/3 |" in s.table()


def test_every_seed_passing_is_a_pass_and_a_seed_that_did_not_run_is_a_fail():
    ok = {0: _result(0, 1.0, True), 1: _result(1, 3.0, True)}
    assert summarise("x", "small", [0, 1], ok, {}).passed
    broken = summarise("x", "small", [0, 1, 2], ok, {2: "Traceback ...\nRuntimeError: boom"})
    assert not broken.passed and "RuntimeError: boom" in broken.table()


def test_one_seed_has_no_interval():
    s = summarise("x", "small", [0], {0: _result(0, 1.0, True)}, {})
    assert s.passed and math.isnan(s.criteria[1].ci95_low)


def test_over_seeds_in_parallel_gives_each_seed_its_own_numbers_and_resumes(tmp_path):
    summaries = run_over_seeds(["performance-error"], "small", [0, 1], tmp_path, workers=2, progress=False)
    (s,) = summaries
    assert s.seeds == [0, 1] and not s.failed_seeds and all(c.seeds == 2 for c in s.criteria)
    alone = get_experiment("performance-error").run("small", 1, tmp_path / "alone")
    assert s.criteria[0].per_seed[1] == alone.criteria[0].measured  # a worker's seed 1 == seed 1 run here
    saved = json.loads((tmp_path / "performance-error.json").read_text())
    assert saved["seeds"] == [0, 1] and saved["criteria"][0]["seeds"] == 2
    assert (tmp_path / "performance-error.md").read_text().startswith("### performance-error")
    for seed in (0, 1):
        folder = seed_dir(tmp_path, SeedTask("performance-error", "small", seed))
        assert json.loads((folder / "performance-error.json").read_text())["seed"] == seed
    # A rerun with more seeds runs only the new one.
    stamp = (seed_dir(tmp_path, SeedTask("performance-error", "small", 0)) / "performance-error.json").stat().st_mtime_ns
    (again,) = run_over_seeds(["performance-error"], "small", [0, 1, 2], tmp_path, workers=1, progress=False)
    assert again.criteria[0].seeds == 3
    assert (seed_dir(tmp_path, SeedTask("performance-error", "small", 0)) / "performance-error.json").stat().st_mtime_ns == stamp

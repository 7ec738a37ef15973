"""How experiments judge: one-sided tests with margins, constants scaled for a sensitivity band."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from brainlike.agents.experiments import EXPERIMENTS
from brainlike.agents.experiments.base import Criterion, Experiment, ExperimentResult, steering_with
from brainlike.agents.experiments.seeds import run_sensitivity
from brainlike.agents.stats import (
    equivalent, greater, not_greater, proportion_greater, proportion_not_greater, sample_size,
)

scipy_stats = pytest.importorskip("scipy.stats")


def test_greater_is_welchs_one_sided_t_test():
    rng = np.random.default_rng(1)
    x, y = rng.normal(0.4, 1.0, 30), rng.normal(0.0, 2.0, 45)
    ours = greater(x, y)
    theirs = scipy_stats.ttest_ind(x, y, equal_var=False, alternative="greater")
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9)
    assert ours.estimate == pytest.approx(x.mean() - y.mean())
    # The bound clears the margin exactly when p < alpha.
    assert ours.passed == (ours.bound > 0) == (ours.p_value < 0.05)


def test_not_greater_gets_easier_for_a_true_claim_and_harder_for_a_false_one_as_data_grow():
    """At chance: x and y from one distribution. A two-sided CI around 0 would start failing ~5% of the
    time at any n; the non-superiority bound shrinks towards 0 and passes ever more surely."""
    rng = np.random.default_rng(2)
    small = [not_greater(rng.normal(0, 1, 8), rng.normal(0, 1, 8), margin=0.5).passed for _ in range(200)]
    large = [not_greater(rng.normal(0, 1, 400), rng.normal(0, 1, 400), margin=0.5).passed for _ in range(200)]
    assert np.mean(large) > 0.99 and np.mean(large) > np.mean(small)
    # A learner really better than chance by more than the margin fails, more surely with more data.
    better = [not_greater(rng.normal(1.0, 1, 400), rng.normal(0, 1, 400), margin=0.5).passed for _ in range(50)]
    assert not any(better)


def test_sample_size_gives_the_stated_power_to_a_true_non_superiority_claim():
    """An arm whose true mean sits 0.05 under the margin, spread 0.5: at sample_size's n the test
    passes with probability about 0.99; at a quarter of it, far less often."""
    n = sample_size(sd=0.5, distance=0.05)
    assert n == int(np.ceil(((1.6448536 + 2.3263479) * 0.5 / 0.05) ** 2))
    rng = np.random.default_rng(4)
    at_n = np.mean([not_greater(rng.normal(0.05, 0.5, n), margin=0.1).passed for _ in range(400)])
    at_quarter = np.mean([not_greater(rng.normal(0.05, 0.5, n // 4), margin=0.1).passed for _ in range(400)])
    assert at_n > 0.97 and at_quarter < 0.8
    with pytest.raises(ValueError, match="distance=-0.1"):
        sample_size(sd=0.5, distance=-0.1)


def test_one_sample_tests_against_a_margin():
    assert greater([0.9, 1.1, 1.0, 1.2], margin=0.5).passed
    assert not greater([0.9, 1.1, 1.0, 1.2], margin=1.5).passed
    assert not_greater([0.9, 1.1, 1.0, 1.2], margin=1.5).passed


def test_equivalence_needs_both_sides():
    rng = np.random.default_rng(3)
    a = rng.normal(0, 0.1, 200)
    assert equivalent(a, a + 0.01, margin=0.05).passed
    assert not equivalent(a, a + 0.2, margin=0.05).passed
    assert not equivalent(a, a - 0.2, margin=0.05).passed


def test_constant_samples_decide_exactly_and_too_few_values_are_an_error():
    assert greater([1.0, 1.0], [0.0, 0.0]).passed and not greater([0.0, 0.0], [1.0, 1.0]).passed
    with pytest.raises(ValueError, match="at least 2 values"):
        greater([1.0], [0.0, 1.0])
    with pytest.raises(ValueError, match="alpha"):
        greater([1.0, 2.0], alpha=0.7)
    with pytest.raises(ValueError, match="margin must be > 0"):
        equivalent([1.0, 2.0], margin=0.0)


def test_proportions_by_newcombe_interval():
    assert proportion_greater(18, 20, 5, 20).passed
    assert not proportion_greater(6, 20, 5, 20).passed
    assert proportion_not_greater(5, 200, 6, 200, margin=0.1).passed
    assert not proportion_not_greater(50, 200, 6, 200, margin=0.1).passed
    with pytest.raises(ValueError, match="successes=21, n=20"):
        proportion_greater(21, 20, 5, 20)


def test_criterion_from_a_test_carries_its_bound():
    c = Criterion.from_test("escape > chance", greater([1.0, 1.2, 0.9, 1.1], margin=0.5), "> 0.5")
    assert c.passed and c.measured == pytest.approx(1.05) and "95% bound" in c.note


class Valve:
    """A stand-in steering: two real constants, a label and an integer count of steps."""

    def __init__(self, threshold: float = 2.0, gain: float = 0.5, label: str = "x", delay: int = 3) -> None:
        self.threshold, self.gain, self.label, self.delay = threshold, gain, label, delay


def test_steering_with_scales_named_constants_only():
    v = steering_with(Valve, {"threshold": 0.8}, gain=1.0)
    assert (v.threshold, v.gain) == (pytest.approx(1.6), 1.0)
    assert steering_with(Valve, {"gain": 1.2}, gain=1.0).gain == pytest.approx(1.2)
    with pytest.raises(ValueError, match="no constant 'thresh'"):
        steering_with(Valve, {"thresh": 1.2})
    with pytest.raises(ValueError, match="not a number"):
        steering_with(Valve, {"label": 1.2})


def test_steering_with_scales_an_integer_constant_to_the_nearest_integer():
    """A count of steps stays a count: 3 x 0.8 = 2.4 -> 2, 3 x 1.2 = 3.6 -> 4 (not truncated to 3, which would
    make x1.2 the innate point again), an int either way."""
    low, high = steering_with(Valve, {"delay": 0.8}), steering_with(Valve, {"delay": 1.2})
    assert (low.delay, high.delay) == (2, 4) and type(low.delay) is int and type(high.delay) is int
    assert steering_with(Valve, {"delay": 1.2}, delay=10).delay == 12


def _valve_experiment(budget: str, seed: int, out_dir: Path, scales=None) -> ExperimentResult:
    """Passes while the threshold is above 1.7: the innate 2.0 passes, x0.8 (1.6) fails, x1.2 passes."""
    v = steering_with(Valve, scales or {})
    return ExperimentResult("valve", budget, seed, [Criterion("threshold", v.threshold, "> 1.7", v.threshold > 1.7)])


VALVE = Experiment("valve", "none", "", "", (), "a knife-edge on purpose", _valve_experiment, sensitivity=("threshold",))


def test_execute_checks_scales_before_running(tmp_path):
    with pytest.raises(ValueError, match=r"cannot scale \['gain'\]"):
        VALVE.execute("small", 0, tmp_path, {"gain": 1.2})
    with pytest.raises(ValueError, match="numbers > 0"):
        VALVE.execute("small", 0, tmp_path, {"threshold": -1.0})
    with pytest.raises(ValueError, match="budget"):
        VALVE.execute("huge", 0, tmp_path)
    assert VALVE.execute("small", 0, tmp_path).passed
    assert not VALVE.execute("small", 0, tmp_path, {"threshold": 0.8}).passed


def test_a_knife_edge_is_reported_as_one(tmp_path, monkeypatch):
    monkeypatch.setitem(EXPERIMENTS, "valve", VALVE)
    (report,) = run_sensitivity(["valve"], "small", [0, 1], tmp_path, band=0.2, progress=False)
    assert report.nominal.passed and not report.holds
    verdicts = {(k, f): v.passed for k, f, v in report.points}
    assert verdicts == {("threshold", 0.8): False, ("threshold", 1.2): True}
    table = (tmp_path / "valve-sensitivity.md").read_text()
    assert "knife-edge" in table and "| threshold x0.8 | FAIL |" in table
    assert json.loads((tmp_path / "valve-sensitivity.json").read_text())["holds"] is False
    assert (tmp_path / "valve" / "small" / "threshold-x0.8" / "seed-1" / "valve.json").exists()


def test_sensitivity_refuses_an_experiment_without_constants(tmp_path, monkeypatch):
    monkeypatch.setitem(EXPERIMENTS, "plain", Experiment("plain", "none", "", "", (), "", _valve_experiment))
    with pytest.raises(ValueError, match=r"\['plain'\] declare no sensitivity constants"):
        run_sensitivity(["plain"], "small", [0], tmp_path)


def test_experiment_seeds_get_disjoint_cohorts():
    """Seeds are independent replicates: a cohort seeded s is bodies s, s+1, ..., so cohorts seeded
    0 and 1 would share all but one animal; cohort_seed(k) keeps every seed's animals apart."""
    import gymnasium as gym

    import brainlike.envs  # noqa: F401  (registers the ids)
    from brainlike.agents.experiments.base import cohort_seed

    def births(seed: int) -> np.ndarray:
        env = gym.make_vec("brainlike/ForagingMouse-v0", num_envs=6, vectorization_mode="vector_entry_point")
        obs, _ = env.reset(seed=seed)
        return np.concatenate([np.asarray(v, dtype=float).reshape(6, -1) for v in obs.values()], axis=1)

    shifted = births(1)
    assert np.array_equal(shifted[:-1], births(0)[1:])  # the overlap the stride exists for
    a, b = births(cohort_seed(0)), births(cohort_seed(1))
    assert not any(np.array_equal(x, y) for x in a for y in b)


def test_a_criterion_renamed_at_one_seed_is_an_error_not_a_dropped_row():
    """A row whose name carries a measured value differs at every seed; summarised by name it used to
    vanish from its own pass count (a FAIL at two seeds shown as 0/1)."""
    from brainlike.agents.experiments.base import Criterion, ExperimentResult
    from brainlike.agents.experiments.seeds import summarise

    def result(seed: int, name: str, passed: bool) -> ExperimentResult:
        return ExperimentResult("toy", "full", seed, [Criterion("same", 1.0, "> 0", True), Criterion(name, 0.4, "> 0.5", passed)])

    good = summarise("toy", "full", [0, 1], {0: result(0, "ratio", False), 1: result(1, "ratio", False)}, {})
    assert [(c.name, c.passed_seeds, c.seeds) for c in good.criteria] == [("same", 2, 2), ("ratio", 0, 2)]
    with pytest.raises(ValueError, match=r"toy: seed 1's criteria differ from seed 0's at row 1 \('ratio 0.498'"):
        summarise("toy", "full", [0, 1], {0: result(0, "ratio 0.496", False), 1: result(1, "ratio 0.498", False)}, {})

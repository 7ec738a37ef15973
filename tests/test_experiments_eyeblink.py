"""eyeblink-learners: the cerebellar learner, pattern separation and PPO on the same conditioning."""

from __future__ import annotations

import numpy as np
import pytest

from brainlike.agents.experiments import get_experiment
from brainlike.agents.experiments.eyeblink import Trials, run_cohort
from brainlike.agents.experiments.eyeblink_learners import INTERVALS, LEARNERS, closed_at_puff, train_ppo
from brainlike.envs.eyeblink import PAIRED, TONE_ALONE

pytest.importorskip("stable_baselines3")

SMALL = {"trials_per_session": 5, "phases": (("acquisition", 1),)}
METRICS = ("%CR in the first 20 training trials", "%CR in the test session", "test puffs met by a lid",
           *(f"probe peak - puff, trained at {isi:.0f} ms" for isi in INTERVALS))


def test_small_budget_gives_one_criterion_per_learner_and_metric(tmp_path):
    result = get_experiment("eyeblink-learners").execute("small", 0, tmp_path)
    assert len(result.criteria) == len(LEARNERS) * len(METRICS)
    for learner in LEARNERS:
        for metric in METRICS:
            rows = [c for c in result.criteria if c.name.startswith(f"{learner}: {metric}")]
            assert len(rows) == 1, (learner, metric, [c.name for c in result.criteria])
    # The timing rows state the prediction: the temporal basis times its CR, the others do not.
    peak_targets = {c.name.split(":")[0]: c.target for c in result.criteria if "probe peak" in c.name}
    assert peak_targets["cerebellar"].startswith("within")
    assert peak_targets["ppo"].startswith("outside") and peak_targets["pattern-separation"].startswith("outside")
    assert result.figure and (tmp_path / "eyeblink-learners.png").exists()
    assert result.data["ppo"]["cr_per_session_250"].shape == (2, 1)


def test_ppo_trains_on_the_same_animals_schedule_as_the_cerebellar_cohort():
    ppo, agent = train_ppo(2, 3, **SMALL)
    cerebellar, _ = run_cohort(None, 2, 3, **SMALL)
    assert ppo.cr.shape == cerebellar.cr.shape == (2, 5)
    np.testing.assert_array_equal(ppo.kind, cerebellar.kind)
    np.testing.assert_array_equal(ppo.isi_ms, cerebellar.isi_ms)
    # Every puff was recorded with its reflex, whoever drove the bodies.
    assert np.isfinite(ppo.reflex_latency_ms[ppo.kind == PAIRED]).all()
    assert agent.model.num_timesteps > 0  # it learned while the trials were recorded


def _trials(lids_at_puff: list[float], kinds: list[int], isi_ms: float = 250.0) -> Trials:
    span = 100
    traces = np.zeros((1, len(kinds), span), dtype=np.float32)
    traces[0, :, int(isi_ms / 5)] = lids_at_puff
    shape = (1, len(kinds))
    return Trials(np.zeros(shape, dtype=np.int64), np.array([kinds]), np.full(shape, isi_ms), np.zeros(shape, dtype=bool),
                  np.full(shape, np.nan), traces, np.full(shape, np.nan))


def test_closed_at_puff_counts_paired_trials_whose_lid_was_half_shut_at_the_puff():
    tr = _trials([0.9, 0.49, 0.5, 1.0], [PAIRED, PAIRED, PAIRED, TONE_ALONE])
    assert closed_at_puff(tr)[0] == pytest.approx(2 / 3)  # the probe does not count: no puff came
    assert np.isnan(closed_at_puff(_trials([1.0], [TONE_ALONE]))[0])

"""The mouse's experiments at the small budget: tables, numbers, figures (the verdict is at full budget)."""

from __future__ import annotations

import json

import gymnasium as gym
import numpy as np
import pytest

from brainlike.agents.experiments import EXPERIMENTS, get_experiment
from brainlike.agents.experiments.mouse import ACCLIMATION, MOUSE, classify, first_disc, loom_survival
from brainlike.agents.stats import proportion_ci, spearman


@pytest.mark.parametrize("name", ["first-loom", "one-life"])
def test_runs_at_small_budget_and_writes_its_results(name, tmp_path):
    exp = get_experiment(name)
    assert exp.body == "brainlike/ForagingMouse-v0" and exp.paper and exp.link.startswith("https://")
    assert set(exp.sensitivity) <= {"escape_threshold", "pain_weight"} and exp.sensitivity
    result = exp.execute("small", 0, tmp_path)
    assert result.criteria and all(isinstance(c.passed, bool) for c in result.criteria)
    json.dumps(result.to_json())
    assert (tmp_path / f"{name}.png").stat().st_size > 0
    assert result.table().count("|") > 10


def _positions(*steps):
    """(steps + 1, 1, 2) positions of one mouse from its (x, y) path."""
    return np.array(steps, dtype=float)[:, None, :]


NEST = np.array([[0.0, 0.0]])


def test_behaviour_is_scored_from_positions():
    # A straight run home starting at the second step of the window: flight, latency 1.
    run = classify(_positions((3, 0), (3, 0), (2, 0), (1, 0), (0, 0), (0, 0)), NEST)
    assert run.fled[0] and not run.froze[0] and run.latency[0] == 1
    # Nest-ward steps that stop short of the nest are not a flight; four still steps are freezing.
    stop = classify(_positions((4, 0), (3, 0), (2, 0), (2, 0), (2, 0), (2, 0), (2, 0)), NEST)
    assert not stop.fled[0] and stop.froze[0] and stop.latency[0] == 2
    # Three still steps are not freezing; wandering is neither.
    short = classify(_positions((4, 4), (4, 4), (4, 4), (4, 4), (4, 5), (5, 5), (5, 4)), NEST)
    assert not short.answered[0] and np.isnan(short.latency[0])
    # A run home that is interrupted and restarts counts from its restart.
    restart = classify(_positions((2, 2), (2, 1), (3, 1), (2, 1), (1, 1), (0, 1), (0, 0)), NEST)
    assert restart.fled[0] and restart.latency[0] == 2


def test_acclimation_keeps_the_sky_empty_until_its_step():
    env = gym.make_vec(MOUSE, num_envs=6, vectorization_mode="vector_entry_point", predator_rate=1.0,
                       acclimation_steps=7)
    body = env.unwrapped.body
    env.reset(seed=0)
    for t in range(8):
        assert (body.stats["looms"] == 0).all(), f"a loom before the acclimation ended (step {t})"
        env.step(np.zeros(6, dtype=np.int64))
    assert (body.stats["looms"] == 1).all()  # with predator_rate=1, every mouse's first loom starts at step 7
    for bad in (-1, 2.5, "10"):
        with pytest.raises(ValueError, match="acclimation_steps"):
            gym.make_vec(MOUSE, num_envs=2, vectorization_mode="vector_entry_point", acclimation_steps=bad)


def test_first_discs_are_reproducible_and_the_lesioned_mice_are_the_intact_ones_until_the_disc():
    a = first_disc(30, 3, "loom", True)
    b = first_disc(30, 3, "loom", True)
    lesioned = first_disc(30, 3, "loom", False)
    for x, y in zip(vars(a).values(), vars(b).values()):
        np.testing.assert_array_equal(getattr(x, "fled", x), getattr(y, "fled", y))
        np.testing.assert_array_equal(getattr(x, "latency", x), getattr(y, "latency", y))
    # Same arenas, same brain, same acclimation: identical behaviour before the disc.
    np.testing.assert_array_equal(a.acclimated, lesioned.acclimated)
    np.testing.assert_array_equal(a.before.latency, lesioned.before.latency)


def test_the_reflex_shows_in_behaviour_and_scales_reach_the_steering():
    intact = first_disc(60, 1, "loom", True)
    lesioned = first_disc(60, 1, "loom", False)
    # Threshold 0.9: only the last, 20-degree frame of a full-contrast loom crosses it, so flights start late.
    numb = first_disc(60, 1, "loom", True, scales={"escape_threshold": 6.0})
    k, m = intact.rate(intact.response.fled, intact.acclimated)
    assert m > 10 and k / m > 0.8
    k, m = lesioned.rate(lesioned.response.fled, lesioned.acclimated)
    assert k / m < 0.5
    def median_latency(r):
        return np.median(r.response.latency[r.scored & r.acclimated & r.response.fled])

    assert median_latency(numb) >= median_latency(intact) + 4


def test_one_life_outcomes_end_with_a_lethal_capture_and_continue_after_a_survivable_one():
    lethal = loom_survival(40, 2, lethal=True, learner=False, life_steps=400)
    survivable = loom_survival(40, 2, lethal=False, learner=False, life_steps=400)
    for row in lethal:
        seen = row[~np.isnan(row)]
        assert (seen[:-1] == 1).all() and np.isnan(row[len(seen):]).all()  # only the last loom can be a capture
    assert (np.nansum(survivable == 0, axis=1) > 1).any()  # captured more than once, and lived on
    assert (~np.isnan(survivable)).sum() > (~np.isnan(lethal)).sum()


def test_learners_in_one_life_each_have_their_own_brain():
    """Mouse 0 lives the same life alone as beside another mouse: no brain is shared."""
    alone = loom_survival(1, 5, lethal=False, life_steps=ACCLIMATION + 120)
    together = loom_survival(2, 5, lethal=False, life_steps=ACCLIMATION + 120)
    assert (~np.isnan(alone)).sum() >= 2
    np.testing.assert_array_equal(alone[0], together[0])


def test_statistics_helpers():
    lo, hi = proportion_ci(50, 100)
    assert lo < 0.5 < hi and hi - lo == pytest.approx(0.19, abs=0.01)
    assert spearman(np.arange(5), np.arange(5) ** 2) == pytest.approx(1.0)
    assert spearman(np.arange(5), -np.arange(5)) == pytest.approx(-1.0)


def test_every_experiment_is_registered_with_its_metadata():
    assert set(EXPERIMENTS) == {"first-loom", "one-life", "dead-sea-salt", "sensitization", "tutor-learning",
                                "performance-error", "pitch-shift", "eyeblink-acquisition", "eyeblink-timing",
                                "eyeblink-isi", "eyeblink-extinction", "eyeblink-lesions", "eyeblink-learners",
                                "prism-juvenile", "prism-adult", "prism-blind", "prism-ceiling", "tectal-lesion", "prism-learner",
                                "winner-effect", "ltp-block", "loser-effect", "specific-to-general", "non-responders"}
    with pytest.raises(ValueError, match="unknown experiment"):
        get_experiment("telepathy")

"""The songbird experiments run at the small budget, produce their tables and figures, and
``write_songs`` writes playable WAVs. PASS/FAIL is judged at the full budget, not here.

The learner's new pieces (an overlapping HVC code, the steering's performance error as the
teaching signal, a delayed bout-level reward) and the experiments' manipulations (reward lesion,
binarised bout reward, copied adults) are checked directly."""

from __future__ import annotations

import json
import math
import wave
from pathlib import Path

import numpy as np
import pytest

from brainlike.agents.experiments import EXPERIMENTS, get_experiment, write_result
from brainlike.agents.experiments.songbird import S, Flock, Teaching, write_songs
from brainlike.agents.node_perturbation import NodePerturbationAgent
from brainlike.agents.registry import make_agent
from brainlike.envs.songbird_tutor import SongbirdTutorEnv  # noqa: F401  (registers the body)

NAMES = ("tutor-learning", "performance-error", "pitch-shift")
BIRD = "brainlike/SongbirdTutor-v0"


def test_registered_with_metadata_and_sensitivity_constants():
    from brainlike.steering.songbird import SongbirdSteering
    import inspect

    params = inspect.signature(SongbirdSteering).parameters
    for name in NAMES:
        exp = EXPERIMENTS[name]
        assert exp.body == BIRD
        assert exp.link.startswith("https://doi.org/") and exp.paper and exp.summary
        assert exp.sensitivity and all(c in params for c in exp.sensitivity)


@pytest.mark.parametrize("name", NAMES)
def test_small_budget_produces_table_numbers_and_figure(name, tmp_path, capsys):
    result = get_experiment(name).execute("small", 0, tmp_path)
    assert capsys.readouterr().out == "", "experiments print nothing themselves"
    assert result.name == name and result.budget == "small" and result.seed == 0
    assert len(result.criteria) >= 4, "the effect and its removal arm(s)"
    for c in result.criteria:
        assert isinstance(c.passed, bool) and isinstance(c.measured, float) and c.target
    text = json.dumps(result.to_json())  # JSON-serialisable
    assert json.loads(text)["name"] == name
    assert "PASS" in result.table() or "FAIL" in result.table()
    assert result.figure is not None and Path(result.figure).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    j, md = write_result(result, tmp_path)
    assert j.exists() and md.exists()


def test_scales_reach_every_steering_the_experiment_builds(tmp_path):
    """A wider evaluator (width x2) makes random commands score higher: chance moves with the scale."""
    from brainlike.agents.experiments.songbird import chance_similarity

    nominal = chance_similarity(8, 4, 0).mean()
    wide = chance_similarity(8, 4, 0, {"width": 2.0}).mean()
    assert wide > 2 * nominal
    flock = Flock(2, 0, {"width": 2.0})
    assert flock.env.unwrapped.steering.unwrapped.width == pytest.approx(0.3)
    flock.close()
    with pytest.raises(ValueError, match="cannot scale"):
        get_experiment("tutor-learning").execute("small", 0, tmp_path, {"motor_noise": 1.2})


def agent(**kw) -> NodePerturbationAgent:
    import gymnasium as gym

    env = gym.make_vec(BIRD, num_envs=1, vectorization_mode="vector_entry_point")
    return make_agent("node-perturbation", env, seed=3, maturation=0, **kw)


def clock(s: int) -> dict[str, np.ndarray]:
    obs = {"exteroception": np.zeros((1, S + 7), np.float32), "interoception": np.zeros((1, 4), np.float32)}
    obs["exteroception"][0, s] = 1.0
    return obs


def test_hvc_code_overlaps_syllables_so_learning_one_moves_another():
    a = agent(hvc_units=16, hvc_active=4)
    assert a.hvc is not None and a.hvc.shape == (S, 16) and np.all((a.hvc > 0).sum(axis=1) == 4)
    assert a.num_fixed_parameters == S * 16 and a.num_parameters == 16 * 4 + 16 + 1
    shared = (a.hvc[0] > 0) & (a.hvc[1] > 0)
    before = np.stack([a.command(clock(s)) for s in range(S)])
    action = a.act(clock(0))
    a.learn(clock(0), action, np.array([1.0]), None, np.zeros(1, bool), np.zeros(1, bool))
    after = np.stack([a.command(clock(s)) for s in range(S)])
    assert not np.allclose(after[0], before[0])
    # Syllable 1 moved exactly when it shares an HVC unit with syllable 0.
    assert np.allclose(after[1], before[1]) == (not shared.any())
    # The one-hot default: learning syllable 0 leaves every other syllable where it was.
    b = agent()
    before = np.stack([b.command(clock(s)) for s in range(S)])
    b.learn(clock(0), b.act(clock(0)), np.array([1.0]), None, np.zeros(1, bool), np.zeros(1, bool))
    after = np.stack([b.command(clock(s)) for s in range(S)])
    assert np.allclose(after[1:], before[1:]) and not np.allclose(after[0], before[0])


def test_hvc_code_survives_save_and_load(tmp_path):
    a = agent(hvc_units=8, hvc_active=3, delayed_reward=True)
    a.save(tmp_path / "bird")
    b = NodePerturbationAgent.load(tmp_path / "bird")
    assert np.array_equal(a.hvc, b.hvc) and np.array_equal(a.weights, b.weights)
    assert "bout_baseline" in b.learned_arrays and b.num_parameters == a.num_parameters


def test_performance_error_is_the_teaching_signal_as_it_comes():
    """reward_is_error: a zero error changes nothing (no own baseline to subtract), a positive one keeps xi."""
    a = agent(reward_is_error=True)
    w = a.weights.copy()
    action = a.act(clock(2))
    a.learn(clock(2), action, np.array([0.0]), None, np.zeros(1, bool), np.zeros(1, bool))
    assert np.array_equal(a.weights, w) and not a.baseline.any()
    a.learn(clock(2), action, np.array([0.5]), None, np.zeros(1, bool), np.zeros(1, bool))
    xi = (action[0] - 0.0) - np.clip(w[2], -1, 1)
    assert np.allclose(a.weights[2] - w[2], a.config["lr"] * 0.5 * xi, atol=1e-6)


def test_delayed_reward_acts_once_on_the_summed_eligibility():
    a = agent(delayed_reward=True)
    w = a.weights.copy()
    actions = [a.act(clock(s)) for s in range(S)]
    for s in range(S):
        a.accumulate(clock(s), actions[s])
    assert np.array_equal(a.weights, w), "nothing changes before the reward arrives"
    error = a.reinforce(1.0)
    assert error == pytest.approx(1.0) and a.bout_baseline[0] == pytest.approx(a.config["baseline_lr"])
    for s in range(S):
        xi = actions[s][0] - np.clip(w[s], -1, 1)
        assert np.allclose(a.weights[s] - w[s], a.config["lr"] * xi, atol=1e-6)
    assert not a.eligibility.any()
    with pytest.raises(RuntimeError, match="delayed_reward=False"):
        a.learn(clock(0), actions[0], np.array([1.0]), None, np.zeros(1, bool), np.zeros(1, bool))
    with pytest.raises(ValueError, match="finite"):
        a.reinforce(float("nan"))
    with pytest.raises(RuntimeError, match="delayed_reward=True"):
        agent().reinforce(1.0)


def test_bad_hvc_arguments_are_refused():
    with pytest.raises(ValueError, match="hvc_active"):
        agent(hvc_units=4, hvc_active=5)


def test_a_reward_lesion_leaves_the_weights_as_at_birth():
    """Why performance-error may use unlearned birds as its reward-lesioned arm."""
    for teaching in Teaching:
        lesioned, intact = Flock(3, 5, teaching=teaching, lesioned=True), Flock(3, 5, teaching=teaching)
        w0 = [a.weights.copy() for a in lesioned.agents]
        lesioned.sing(30, schedule=lambda f: (0.5, 3.0), record=())
        intact.sing(30, schedule=lambda f: (0.5, 3.0), record=())
        assert all(np.array_equal(a.weights, w) for a, w in zip(lesioned.agents, w0)), teaching
        assert not all(np.array_equal(a.weights, w) for a, w in zip(intact.agents, w0)), teaching
        lesioned.close(), intact.close()


def test_bout_teaching_reinforces_once_per_bout_with_one_bit(monkeypatch):
    flock = Flock(2, 1, teaching=Teaching.BINARISED_BOUT)
    given: list[float] = []
    original = NodePerturbationAgent.reinforce
    monkeypatch.setattr(NodePerturbationAgent, "reinforce", lambda self, r: given.append(r) or original(self, r))
    flock.sing(5, schedule=lambda f: (0.3, 1.0), record=())
    assert len(given) == 5 * 2 and set(given) <= {0.0, 1.0}
    flock.close()


def test_copied_brains_sing_alike_in_a_new_cage():
    flock = Flock(2, 4)
    flock.sing(10, schedule=lambda f: (0.3, 1.0), record=())
    cage = Flock(2, 4, brains=flock.agents)
    assert all(np.array_equal(a.weights, b.weights) and a is not b for a, b in zip(flock.agents, cage.agents))
    assert np.allclose(cage.directed_similarity(), flock.directed_similarity())
    with pytest.raises(ValueError, match="one agent per bird"):
        Flock(3, 4, brains=flock.agents)
    flock.close(), cage.close()


def test_same_seed_same_numbers(tmp_path):
    a = get_experiment("performance-error").execute("small", 3, tmp_path / "a").to_json()
    b = get_experiment("performance-error").execute("small", 3, tmp_path / "b").to_json()
    for r in (a, b):
        r.pop("figure"), r["data"].pop("seconds")  # where the figure went and how long it took may differ
    assert a == b


def test_write_songs_writes_three_valid_wavs(tmp_path):
    paths = write_songs(tmp_path, seed=0, steps=400)
    assert len(paths) == 3 and len({p.name for p in paths}) == 3
    for p in paths:
        with wave.open(str(p), "rb") as w:
            assert w.getnchannels() == 1 and w.getsampwidth() == 2 and w.getframerate() > 0
            n = w.getnframes()
            assert n > 0
            pcm = np.frombuffer(w.readframes(n), dtype="<i2")
        assert not math.isnan(float(pcm.mean())) and np.abs(pcm).max() > 0


def test_a_cage_of_copied_adults_leaves_the_originals_as_they_were():
    """The cohort's agents are views into its stacked arrays: a new cage copies the brains, never shares them."""
    trained = Flock(3, 0)
    trained.sing(2)
    before = [a.weights.copy() for a in trained.agents]
    cage = Flock(3, 0, brains=trained.agents)
    assert all(np.array_equal(a.weights, b.weights) for a, b in zip(cage.agents, trained.agents))
    cage.sing(3)
    assert all(np.array_equal(a.weights, w) for a, w in zip(trained.agents, before))
    assert not all(np.array_equal(a.weights, w) for a, w in zip(cage.agents, before))
    # Each agent of the cage stays in step with its cohort: what it commands is what the cohort learned.
    assert all(np.shares_memory(a.weights, cage.cohort.weights) for a in cage.agents)
    trained.close()
    cage.close()

"""The layers of agents/: statistics, the rollout primitive, persistence defects, the experiments' agents."""

from __future__ import annotations

import json

import numpy as np
import pytest

from brainlike import envs  # noqa: F401
from brainlike.agents import AgentFileError, make_agent, make_vec_env
from brainlike.agents.base import Agent
from brainlike.agents.cached_value import CachedValueTDAgent
from brainlike.agents.licking import LickingAgent
from brainlike.agents.rollout import EVALUATION_SEED_OFFSET, evaluation_seed, learn_from, policy, rollout
from brainlike.agents.runner import build_agent, fits, load_agent
from brainlike.agents.stats import bootstrap_ci, iqm, proportion_ci, spearman

MOUSE, RAT, BIRD = "brainlike/ForagingMouse-v0", "brainlike/SaltRat-v0", "brainlike/SongbirdTutor-v0"


# --- statistics ------------------------------------------------------------------------------
def test_statistics():
    x = np.arange(10.0)
    lo, hi = bootstrap_ci(x, rng=0)
    assert lo < x.mean() < hi and (lo, hi) == bootstrap_ci(x, rng=np.random.default_rng(0))
    assert bootstrap_ci([3.0]) == (3.0, 3.0) and all(np.isnan(bootstrap_ci([])))
    assert iqm([0, 1, 2, 3, 100, -100, 1, 2]) == pytest.approx(1.5)
    assert np.isnan(iqm([]))
    lo, hi = proportion_ci(50, 100)
    assert lo < 0.5 < hi and proportion_ci(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError, match="successes"):
        proportion_ci(5, 3)
    assert spearman([1, 2, 3, 4], [10, 20, 20, 40]) == pytest.approx(0.9486832980505138)
    assert spearman([1, 1, 1], [1, 2, 3]) == 0.0
    with pytest.raises(ValueError, match="paired"):
        spearman([1, 2], [1, 2, 3])


# --- the rollout primitive -----------------------------------------------------------------------
def test_rollout_matches_a_hand_written_loop_and_marks_reset_steps():
    env = make_vec_env(BIRD, 4, max_episode_steps=5)
    rng = np.random.default_rng(0)
    steps = list(zip(range(12), rollout(env, lambda obs: rng.uniform(-1, 1, (4, 4)).astype(np.float32), seed=3)))
    twin = make_vec_env(BIRD, 4, max_episode_steps=5)
    rng2 = np.random.default_rng(0)
    obs, _ = twin.reset(seed=3)
    valid = np.ones(4, bool)
    for _, t in steps:
        a = rng2.uniform(-1, 1, (4, 4)).astype(np.float32)
        nobs, r, te, tr, _ = twin.step(a)
        np.testing.assert_array_equal(t.actions, a)
        np.testing.assert_array_equal(t.rewards, r)
        np.testing.assert_array_equal(t.valid, valid)
        for k in obs:
            np.testing.assert_array_equal(t.obs[k], obs[k])
        valid, obs = ~(te | tr), nobs
    assert not all(t.valid.all() for _, t in steps), "a life ended within 12 steps: its reset step is not valid"
    assert evaluation_seed(7) == 7 + EVALUATION_SEED_OFFSET


def test_learn_from_hands_over_the_transitions_valid_mask_or_the_one_given():
    class Recorder:
        def learn(self, *args, valid=None):
            self.valid = valid

    env = make_vec_env(BIRD, 4, max_episode_steps=5)
    t = next(rollout(env, lambda obs: np.zeros((4, 4), np.float32), seed=3))
    agent, mask = Recorder(), np.array([True, False, True, False])
    learn_from(agent, t)
    assert agent.valid is t.valid
    learn_from(agent, t, valid=mask)
    assert agent.valid is mask and t.valid.all()  # the transition itself is left as it was


def test_steering_is_passed_explicitly_not_kept_from_the_last_env():
    """The thought assessor consults the steering of the bodies it acts on, whatever it acted on before."""
    small, big = make_vec_env(RAT, 2), make_vec_env(RAT, 5)
    agent = make_agent("thought-assessor", small, seed=0)
    assert not hasattr(agent, "bind")
    obs, _ = big.reset(seed=0)
    with pytest.raises(ValueError, match="bodies"):
        agent.act(obs)  # its own steering runs 2 bodies, not 5
    assert policy(agent, big, explore=False)(obs).shape == (5,)
    assert agent.steering is small.steering  # acting in `big` changed nothing in the agent


# --- persistence defects (issue 18: 3 and 13) ------------------------------------------------------
def test_dotted_save_paths_do_not_collide(tmp_path):
    env = make_vec_env(MOUSE, 2)
    a0, a1 = make_agent("pattern-separation", env, seed=0), make_agent("pattern-separation", env, seed=1)
    a0.save(tmp_path / "m.s0")
    a1.save(tmp_path / "m.s1")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.s0.json", "m.s0.npz", "m.s1.json", "m.s1.npz"]
    assert Agent.load(tmp_path / "m.s0").seed == 0 and Agent.load(tmp_path / "m.s1").seed == 1
    assert load_agent(tmp_path / "m.s1").seed == 1
    assert Agent.load(tmp_path / "m.s1.json").seed == 1  # a suffix of ours is still taken off


def test_unknown_setting_and_corrupt_rng_state_are_agent_file_errors(tmp_path):
    env = make_vec_env(MOUSE, 2)
    make_agent("pattern-separation", env, seed=0).save(tmp_path / "a")
    meta = json.loads((tmp_path / "a.json").read_text())

    old = {**meta, "config": {**meta["config"], "retired_setting": 1}}
    (tmp_path / "a.json").write_text(json.dumps(old))
    with pytest.raises(AgentFileError, match="retired_setting"):
        Agent.load(tmp_path / "a")

    for bad in ({"bit_generator": "PCG64", "state": {"state": "x", "inc": 1}, "has_uint32": 0, "uinteger": 0},
                {"bit_generator": "MT19937"}, "garbage"):
        (tmp_path / "a.json").write_text(json.dumps({**meta, "rng_state": bad}))
        with pytest.raises(AgentFileError, match="random-generator state"):
            Agent.load(tmp_path / "a")


# --- the experiments' agents, registered like the others ------------------------------------------
def test_experiment_agents_are_registered_and_load_anywhere(tmp_path):
    assert fits("cached-value-td", RAT) and fits("licking", RAT)
    assert not fits("licking", MOUSE) and not fits("licking", BIRD)
    env = make_vec_env(RAT, 3)
    for name, klass in (("cached-value-td", CachedValueTDAgent), ("licking", LickingAgent)):
        agent = build_agent(name, RAT, seed=2)
        assert type(agent) is klass
        agent.save(tmp_path / name)
        loaded = load_agent(tmp_path / name)
        assert type(loaded) is klass
        twin = make_vec_env(RAT, 3)
        a, b = policy(agent, env, explore=True), policy(loaded, twin, explore=True)
        for _, (x, y) in zip(range(30), zip(rollout(env, a, seed=1), rollout(twin, b, seed=1))):
            np.testing.assert_array_equal(x.actions, y.actions)
            if name == "cached-value-td":
                learn_from(agent, x)
                learn_from(loaded, y)

"""The Learning Subsystem's agents: from scratch, measured; the expansion; persistence; errors.

Budgets are small (many parallel bodies, few steps) so the file runs in well
under two minutes on a loaded 2-core machine.
"""

from __future__ import annotations

import json

import gymnasium as gym
import numpy as np
import pytest

from brainlike import envs  # noqa: F401
from brainlike.agents import (
    AgentFileError,
    PatternSeparationAgent,
    ThoughtAssessorAgent,
    evaluate,
    make_agent,
    make_vec_env,
    train,
    write_history_csv,
    write_history_json,
)
from brainlike.agents.pattern_separation import KenyonExpansion
from brainlike.agents.rollout import policy

MOUSE, RAT, BIRD = "brainlike/ForagingMouse-v0", "brainlike/SaltRat-v0", "brainlike/SongbirdTutor-v0"


def welch_t(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Welch's t statistic and a two-sided p-value (normal approximation, fine for n >= 30 each)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    se = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    t = (a.mean() - b.mean()) / se if se > 0 else 0.0
    from math import erfc, sqrt

    return float(t), float(erfc(abs(t) / sqrt(2)))


def agent_for(name: str, env_id: str, seed: int = 0, **kw):
    return make_agent(name, make_vec_env(env_id, 1), seed=seed, **kw)


# --- learning from scratch, measured -------------------------------------------------------
# At birth every learning agent must be statistically indistinguishable from chance; after a
# fixed training budget clearly better. "At birth" is each agent's *greedy* evaluation policy:
# - PatternSeparation / ThoughtAssessor: the learned weights start at zero (an empty memory),
#   all actions are worth the same and ties are broken at random, so greedy-at-birth is a
#   uniform random policy. Evaluated with the same env seeds as RandomAgent.
# - NodePerturbation: the motor map starts random, so each syllable's command is a random
#   point of the motor space, as good as chance on average over tutors.
CASES = [
    # (agent, env, training steps, bodies, env kwargs)
    # 200k steps: at 100k this seed reaches t = 3.8, short of the t > 4 criterion (reported, not hidden).
    ("pattern-separation", MOUSE, 200_000, 64, {}),
    ("node-perturbation", BIRD, 100_000, 64, {}),
]


@pytest.mark.parametrize("name,env_id,steps,bodies,env_kwargs", CASES)
def test_learns_from_scratch_random_at_birth_better_after(name, env_id, steps, bodies, env_kwargs):
    episodes, seed = 96, 123
    chance = evaluate(agent_for("random", env_id, seed=7), env_id, episodes, seed=seed, env_kwargs=env_kwargs)
    agent = agent_for(name, env_id, seed=1)
    birth = evaluate(agent, env_id, episodes, seed=seed, env_kwargs=env_kwargs)
    t, p = welch_t(birth, chance)
    assert p > 0.05, f"{name} at birth {birth.mean():.3f} vs random {chance.mean():.3f}: p={p:.3g}"
    train(agent, env_id, steps, num_envs=bodies, seed=2, progress=False, eval_episodes=4, env_kwargs=env_kwargs)
    after = evaluate(agent, env_id, episodes, seed=seed, env_kwargs=env_kwargs)
    t, p = welch_t(after, chance)
    print(f"{name} on {env_id}: random {chance.mean():.3f}, birth {birth.mean():.3f}, after {steps} steps {after.mean():.3f} (t={t:.1f})")
    assert t > 4 and after.mean() > chance.mean() + 0.5 * chance.std(), (after.mean(), chance.mean())


def run_one_life(agent, env_id: str, bodies: int, seed: int, **env_kwargs) -> list[dict]:
    """One life per body with learning on throughout; each body's end-of-life summary."""
    env = make_vec_env(env_id, bodies, **env_kwargs)
    act = policy(agent, env, explore=True)  # the steering of these bodies, passed explicitly
    obs, _ = env.reset(seed=seed)
    valid, done = np.ones(bodies, bool), np.zeros(bodies, bool)
    returns = np.zeros(bodies)
    summaries: list = [None] * bodies
    while not done.all():
        a = act(obs)
        nobs, r, te, tr, info = env.step(a)
        agent.learn(obs, a, r, nobs, te, tr, info, valid=valid)
        returns += np.where(done, 0.0, r)
        for i in np.flatnonzero((te | tr) & ~done):
            summaries[i] = {**env.summary(i), "return": returns[i]}
        done |= te | tr
        valid = ~(te | tr)
        obs = nobs
    return summaries


@pytest.fixture(scope="module")
def rat_lives():
    """32 rats, each one Dead Sea salt life with a ThoughtAssessorAgent learning within it."""
    agent = agent_for("thought-assessor", RAT, seed=0)
    return run_one_life(agent, RAT, 32, seed=0)


@pytest.mark.xfail(strict=True, reason=(
    "known mismatch of issue 17's rat: after re-repletion the salt cue scores about +0.01 on trial 1, not "
    "below 0. Measured cause: the depleted cue-only trials extinguish the salt cue's learned prediction "
    "(its situation predicts 0.67 units of salt in the first depleted cue, 0.12-0.33 in the first replete "
    "one), and the predictors read "
    "no interoception, so the extinction carries into the replete state; the action-conditional "
    "predictions left from training (withdrawing was followed by salt) then outweigh the weak Pavlovian "
    "pull. Identical here with sensitization lesioned (max_sensitization=0); in dead-sea-salt's cohorts "
    "a full repletion changes nothing and the lesion lowers the score by only 0.05-0.08; "
    "dead-sea-salt reports the same criterion as FAIL"))
def test_thought_assessor_instant_revaluation_dead_sea_salt(rat_lives):
    """Robinson & Berridge 2013: avoid the salt cue at homeostasis, approach it on cue-only
    trial 1 after the first depletion (never having tasted salt while depleted), avoid it again
    after re-repletion; the sucrose cue barely changes."""
    def first(phase, cue):
        return np.mean([s["phases"][phase]["first_trial"][cue] for s in rat_lives])

    def late_train(cue):
        return np.mean([np.mean(s["phases"]["train"]["scores"][cue][-5:]) for s in rat_lives])

    salt_before, sucrose_before = late_train("salt"), late_train("sucrose")
    salt_depleted, sucrose_depleted = first("test_depleted", "salt"), first("test_depleted", "sucrose")
    salt_replete = first("test_replete", "salt")
    print(f"salt cue: trained {salt_before:.2f}, depleted trial 1 {salt_depleted:.2f}, re-repleted trial 1 {salt_replete:.2f}; sucrose {sucrose_before:.2f} -> {sucrose_depleted:.2f}")
    assert salt_before < 0
    assert salt_depleted > 0 and salt_depleted >= 0.8 * sucrose_depleted
    assert salt_replete < 0
    assert abs(sucrose_depleted - sucrose_before) <= 0.15


def test_thought_assessor_random_at_birth_better_after():
    """On an instrumental SaltRat protocol (nibbling the lever delivers), the return at birth
    equals chance's and is clearly better after training."""
    protocol = [{"name": "train", "kind": "train", "trials": 40}]
    kw = {"protocol": protocol}
    episodes, seed = 64, 5
    chance = evaluate(agent_for("random", RAT, seed=3), RAT, episodes, seed=seed, env_kwargs=kw)
    agent = agent_for("thought-assessor", RAT, seed=1)
    birth = evaluate(agent, RAT, episodes, seed=seed, env_kwargs=kw)
    assert welch_t(birth, chance)[1] > 0.05, (birth.mean(), chance.mean())
    train(agent, RAT, 30_000, num_envs=64, seed=9, progress=False, eval_episodes=4, env_kwargs=kw)
    after = evaluate(agent, RAT, episodes, seed=seed, env_kwargs=kw)
    t, _ = welch_t(after, chance)
    print(f"thought-assessor on SaltRat (instrumental): random {chance.mean():.3f}, birth {birth.mean():.3f}, after {after.mean():.3f}")
    assert t > 4


def test_thought_assessor_uses_only_the_evaluation_channel():
    """A fake steering object with only signal_names and evaluate_prediction is enough."""
    class FakeSteering:
        signal_names = ("sweet", "salt")

        def __init__(self):
            self.calls = 0

        def evaluate_prediction(self, predicted, interoception):
            self.calls += 1
            return predicted["sweet"] - predicted["salt"] * (interoception[:, 0] - 0.5)

    env = make_vec_env(RAT, 4)
    fake = FakeSteering()
    agent = ThoughtAssessorAgent(env.single_observation_space, env.single_action_space, steering=fake, pavlovian_signs=[0, 1, 1, -1])
    obs, _ = env.reset(seed=0)
    agent.act(obs)
    assert fake.calls == 5  # one per action, plus the situation's Pavlovian value


# --- the expansion layer --------------------------------------------------------------------
def test_expansion_sparsity_separation_and_fixed_weights():
    rng = np.random.default_rng(0)
    kc = KenyonExpansion(50, 2000, 7, 0.05, rng)
    x = rng.random((200, 50)).astype(np.float32)
    code = kc.dense_code(x)
    assert np.allclose(code.mean(axis=1), 0.05, atol=1e-9)
    # Two similar input patterns overlap less after expansion than before.
    y = np.clip(x + 0.3 * rng.standard_normal(x.shape), 0, 1).astype(np.float32)

    def cos(a, b):
        return np.sum(a * b, 1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)

    before, after = cos(x, y).mean(), cos(code, kc.dense_code(y)).mean()
    assert after < before - 0.2, (before, after)
    # A trained agent's expansion is exactly the one it was born with.
    agent = agent_for("pattern-separation", MOUSE, seed=0)
    fixed = {n: getattr(agent, n).copy() for n in agent.fixed_arrays}
    learned = agent.actor.copy()
    train(agent, MOUSE, 5_000, num_envs=32, seed=0, progress=False, eval_episodes=2)
    for n, v in fixed.items():
        np.testing.assert_array_equal(getattr(agent, n), v)
    assert not np.array_equal(agent.actor, learned)
    # Learned: actor (5 actions) and critic per unit, and the adaptive dopamine gain.
    assert agent.num_parameters == 2000 * 6 + 1 and agent.num_fixed_parameters == 2000 * 7 * 2 + 2000


# --- persistence -----------------------------------------------------------------------------
@pytest.mark.parametrize("name,env_id", [("pattern-separation", MOUSE), ("thought-assessor", RAT), ("node-perturbation", BIRD), ("random", MOUSE), ("innate-only", MOUSE)])
def test_save_load_identical_behaviour(tmp_path, name, env_id):
    env = make_vec_env(env_id, 16)
    agent = make_agent(name, env, seed=4)
    train(agent, env_id, 2_000, num_envs=16, seed=0, progress=False, eval_episodes=2)
    agent.save(tmp_path / "a")
    assert json.loads((tmp_path / "a.json").read_text())["agent"] == type(agent).__name__
    loaded = type(agent).load(tmp_path / "a", env.single_observation_space, env.single_action_space, **({"steering": env.steering} if name == "thought-assessor" else {}))
    obs, _ = env.reset(seed=1)
    for explore in (True, False, True):
        np.testing.assert_array_equal(agent.act(obs, explore), loaded.act(obs, explore))
    assert loaded.num_parameters == agent.num_parameters


def test_corrupt_or_mismatched_file_gives_clear_error(tmp_path):
    env = make_vec_env(MOUSE, 2)
    agent = make_agent("pattern-separation", env, seed=0)
    npz, js = agent.save(tmp_path / "a")
    data = bytearray(npz.read_bytes())
    data[len(data) // 2] ^= 0xFF
    npz.write_bytes(bytes(data))
    with pytest.raises(AgentFileError):
        PatternSeparationAgent.load(tmp_path / "a")
    agent.save(tmp_path / "b")
    bird = make_vec_env(BIRD, 2)
    with pytest.raises(AgentFileError, match="observation space"):
        PatternSeparationAgent.load(tmp_path / "b", bird.single_observation_space)
    with pytest.raises(AgentFileError, match="not a ThoughtAssessorAgent"):
        ThoughtAssessorAgent.load(tmp_path / "b")
    with pytest.raises(AgentFileError, match="missing"):
        PatternSeparationAgent.load(tmp_path / "nothing")
    (tmp_path / "b.json").write_text("{not json")
    with pytest.raises(AgentFileError, match="not a valid agent config"):
        PatternSeparationAgent.load(tmp_path / "b")


# --- reproducibility ---------------------------------------------------------------------------
def test_seeds_make_training_exactly_reproducible(tmp_path):
    def run(seed):
        agent = agent_for("pattern-separation", MOUSE, seed=seed)
        hist = train(agent, MOUSE, 6_400, num_envs=32, seed=seed, eval_every=3_200, eval_episodes=8, progress=False)
        return agent.actor.copy(), [{k: v for k, v in r.items() if k != "wall_seconds"} for r in hist]

    a1, h1 = run(0)
    a2, h2 = run(0)
    a3, _ = run(1)
    np.testing.assert_array_equal(a1, a2)
    assert json.dumps(h1) == json.dumps(h2)
    assert not np.array_equal(a1, a3)
    assert {"env_steps", "mean_return", "eval_food_eaten"} <= set(h1[-1])
    write_history_csv(h1, tmp_path / "h.csv")
    write_history_json(h1, tmp_path / "h.json")
    assert len(json.loads((tmp_path / "h.json").read_text())) == len(h1) == 3


# --- bad input ---------------------------------------------------------------------------------
def test_bad_input_gives_clear_errors():
    env = make_vec_env(MOUSE, 4)
    agent = make_agent("pattern-separation", env, seed=0)
    obs, _ = env.reset(seed=0)
    with pytest.raises(ValueError, match="interoception"):
        agent.act({"exteroception": obs["exteroception"]})
    with pytest.raises(ValueError, match=r"shape \(B, 80\)"):
        agent.act({**obs, "exteroception": obs["exteroception"][:, :10]})
    with pytest.raises(ValueError, match="batch"):
        agent.act({**obs, "interoception": obs["interoception"][:2]})
    with pytest.raises(ValueError, match="batch"):
        agent.act({k: v[0] for k, v in obs.items()})  # a single, unbatched observation
    with pytest.raises(ValueError, match="NaN"):
        agent.act({**obs, "interoception": np.full((4, 2), np.nan, np.float32)})
    a = agent.act(obs)
    nobs, r, te, tr, info = env.step(a)
    with pytest.raises(ValueError, match="actions must have shape"):
        agent.learn(obs, a[:3], r, nobs, te, tr, info)
    agent.learn(obs, a, r, nobs, te, tr, info)
    small = {k: v[:2] for k, v in obs.items()}
    with pytest.raises(ValueError, match="reset_state"):
        agent.learn(small, a[:2], r[:2], small, te[:2], tr[:2], info)
    with pytest.raises(ValueError, match="unknown agent 'ppo'.*known agents"):
        make_agent("ppo", env)


# --- compiled node-perturbation and cerebellar pieces: each equals the array form it replaced --------------
# The golden streams (tests/learner_golden.py) pin whole runs; these reach the corners those streams
# never do: NaN and -0.0, invalid rows, a column-major input, the delayed reward.
def _bits_equal(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def _edge_floats(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    x = rng.normal(0.0, 1.5, shape).astype(np.float32)
    flat = x.reshape(-1)
    flat[rng.random(flat.size) < 0.05] = -0.0
    flat[rng.random(flat.size) < 0.02] = np.nan
    return x


@pytest.mark.parametrize("seed", range(4))
def test_node_perturbation_kernels_equal_the_array_form(seed):
    """Each compiled piece of the flow, bird by bird, equals the numpy it replaced: the motor output
    (each bird its own LMAN size, the float64 draw rounded first), the teaching signal and each input
    unit's usage (numpy's sum over an array laid out as x: pairwise down columns, past 128 rows
    split in halves, or row after row), and the weight and baseline step."""
    from brainlike.agents.node_perturbation import learning_step, motor_output, teaching_signal

    rng = np.random.default_rng(seed)
    dims, units = 4, 5
    mid, half = rng.normal(size=dims).astype(np.float32), rng.uniform(0.5, 2, dims).astype(np.float32)
    for brains, rows in ((1, 9), (3, 1), (2, 300), (1, 1)):
        drive = _edge_floats(rng, (brains, rows, dims))
        draw = rng.normal(size=(brains, rows, dims))
        rates = rng.uniform(0.1, 3, (brains, 3)).astype(np.float32)  # (perturbation size, learning rate, baseline rate)
        for explore in (True, False):
            m = np.clip(drive, -1.0, 1.0)
            if explore:
                m = np.clip(m + rates[:, 0, None, None] * draw.astype(np.float32), -1.0, 1.0)
            got = motor_output(drive, draw if explore else draw[:, :0], rates, mid, half)
            assert _bits_equal(got, (mid + half * m).reshape(brains * rows, dims))
        actions = _edge_floats(rng, (brains, rows, dims))
        xi = (actions - mid) / half - np.clip(drive, -1.0, 1.0)
        r, expected, valid = _edge_floats(rng, (brains, rows)), _edge_floats(rng, (brains, rows)), rng.random((brains, rows)) < 0.7
        # RA's input is finite (features() refuses NaN and inf); its -0.0 stays.
        finite = _edge_floats(rng, (brains, rows, units))
        finite[np.isnan(finite)] = 0.25
        by_column = np.ascontiguousarray(finite.transpose(0, 2, 1)).transpose(0, 2, 1)
        for x in (finite, by_column):
            for own_baseline in (True, False):
                error, error_xi, usage, total, valid_rows = teaching_signal(
                    actions.reshape(-1, dims), drive, mid, half, r.reshape(-1).astype(np.float64),
                    expected[:, :, None] if own_baseline else expected[:0, :0, None], valid.reshape(-1), x)
                want = (r - expected if own_baseline else r) * valid
                assert _bits_equal(error, want) and _bits_equal(error_xi, want[:, :, None] * xi)
                assert np.float32(total).tobytes() == want.reshape(-1).sum().tobytes() and valid_rows == valid.sum()
                for k in range(brains):
                    active = np.empty_like(x[k])  # laid out as the bird's x, as the array form's was
                    np.multiply(np.abs(x[k]), valid[k][:, None], out=active)
                    assert _bits_equal(usage[k], np.maximum(active.sum(axis=0), np.float32(1.0)))
        weights, gradient = _edge_floats(rng, (brains, units, dims)), _edge_floats(rng, (brains, units, dims))
        baseline, baseline_gradient = _edge_floats(rng, (brains, units, 1)), _edge_floats(rng, (brains, units, 1))
        usage = np.maximum(rng.uniform(0, 3, (brains, units)), 1.0).astype(np.float32)
        for own_baseline in (True, False):
            want, want_baseline = weights.copy(), baseline.copy()
            for k in range(brains):
                want[k] += rates[k, 1] * gradient[k] / usage[k][:, None]
                if own_baseline:
                    want_baseline[k] += rates[k, 2] * baseline_gradient[k] / usage[k][:, None]
            age = np.arange(brains, dtype=np.int64)
            learning_step(weights, gradient, baseline, baseline_gradient if own_baseline else baseline_gradient[:, :0], usage,
                          rates, age if own_baseline else age[:0])
            assert _bits_equal(weights, want) and _bits_equal(baseline, want_baseline)
            assert np.array_equal(age, np.arange(brains) + (1 if own_baseline else 0))


def test_features_equal_the_array_form_and_refuse_bad_values():
    """The compiled scaling gives numpy's ``(x - low) * inv_span`` of the chosen channels, joined (float64
    input rounded to float32 first); a NaN or an inf is refused with the same message, unscaled channels too."""
    env = gym.make("brainlike/SongbirdTutor-v0")
    agent = make_agent("node-perturbation", env, seed=0)
    space = agent.observation_space
    space.seed(4)
    obs = {k: np.stack([space.sample()[k] for _ in range(7)]).astype(np.float64) * 3 - 1 for k in space.spaces}
    parts = {key: (obs[key].astype(np.float32) - low) * inv_span for key, _, low, inv_span in agent._channels}
    assert _bits_equal(agent.features(obs), np.concatenate([parts["exteroception"], parts["interoception"]], axis=1))
    assert _bits_equal(agent.features(obs, keys=("interoception",)), parts["interoception"])
    assert _bits_equal(agent.channel(obs, "interoception"), obs["interoception"].astype(np.float32))
    for bad in (np.nan, -np.inf):
        broken = {k: v.copy() for k, v in obs.items()}
        broken["interoception"][2, 1] = bad
        with pytest.raises(ValueError, match="observation contains NaN or inf"):
            agent.features(broken)
        with pytest.raises(ValueError, match="observation contains NaN or inf"):
            agent.channel(broken, "interoception")
    env.close()


def test_node_perturbation_delayed_reward_keeps_the_array_forms_eligibility():
    env = gym.make("brainlike/SongbirdTutor-v0")
    agent = make_agent("node-perturbation", env, seed=2, delayed_reward=True, hvc_units=12, hvc_active=3)
    rng = np.random.default_rng(0)
    space = agent.observation_space
    space.seed(1)
    want = np.zeros_like(agent.weights)
    for _ in range(5):
        obs = {k: np.stack([space.sample()[k] for _ in range(6)]) for k in space.spaces}
        actions = agent.act(obs)
        valid = rng.random(6) < 0.7
        x = agent.features(obs, keys=agent.inputs)[:, agent.input_dims] @ agent.hvc  # RA's input, in the array form
        unit = (actions.reshape(6, -1) - agent._mid) / agent._half
        xi = (unit - np.clip(x @ agent.weights, -1.0, 1.0)) * valid[:, None]
        want += (x.T @ xi) / np.maximum((np.abs(x) * valid[:, None]).sum(axis=0), 1.0)[:, None]
        agent.accumulate(obs, actions, valid=valid)
    assert _bits_equal(agent.eligibility, want)
    env.close()


@pytest.mark.parametrize("seed", range(4))
def test_cerebellar_kernels_equal_the_array_form(seed):
    from brainlike.agents.cerebellar import granule_cascade, nucleus_change, parallel_fibre_change

    rng = np.random.default_rng(seed)
    b, cells, lines = 7, 40, 3
    g_now, eligible = rng.random((b, cells)).astype(np.float32), rng.random((b, cells)).astype(np.float32)
    cf, valid = (rng.random(b) < 0.5).astype(np.float32), rng.random(b) < 0.7
    ltp, ltd = 0.0001, 0.002
    for error in (True, False):
        want = ltp * g_now
        if error:
            want -= ltd * cf[:, None] * eligible
        want[~valid] = 0.0
        assert _bits_equal(parallel_fibre_change(g_now, eligible, cf, valid, np.float32(ltp), np.float32(ltd), error), want)
    mossy, pause = rng.random((b, lines)).astype(np.float32), _edge_floats(rng, (b,))
    for threshold in (0.002, 0.0):
        want = 0.002 * mossy * (np.maximum(pause, 0.0) - threshold)[:, None]
        want[~valid] = 0.0
        got = np.zeros_like(mossy)
        nucleus_change(mossy, pause, valid, np.float32(0.002), np.float32(threshold), got)
        assert _bits_equal(got, want)
    # The cascade writes into the array it is given and leaves the state as the allocating call did.
    state = rng.random((4, b, cells)).astype(np.float32)
    drive, rate = rng.random((b, cells)).astype(np.float32), rng.uniform(0.01, 0.5, cells).astype(np.float32)
    gain, threshold = rng.uniform(1, 3, cells).astype(np.float32), rng.uniform(0.7, 0.9, cells).astype(np.float32)
    span = (1.0 / (1.0 - threshold)).astype(np.float32)
    stages = state.copy()
    for s in range(4):
        stages[s] += ((drive if s == 0 else stages[s - 1]) - stages[s]) * rate
    want = np.maximum((stages[2] - stages[3]) * gain - threshold, 0.0) * span
    out = np.full((b, cells), np.nan, np.float32)
    granule_cascade(state, drive, rate, gain, threshold, span, out)
    assert _bits_equal(out, want) and _bits_equal(state, stages)
    with pytest.raises(ValueError, match="4 stages"):  # its stages are written out: another count is refused
        granule_cascade(state[:3].copy(), drive, rate, gain, threshold, span, out)


def test_node_perturbation_learns_the_same_whether_or_not_act_saw_the_same_batch():
    # learn() reuses act()'s input and drive only for the very batch act() was last given, before
    # any update; any other batch (a copy, an older one, a second learn) is computed afresh.
    env = gym.make("brainlike/SongbirdTutor-v0")
    reused, fresh = (make_agent("node-perturbation", env, seed=4, hvc_units=12, hvc_active=3) for _ in range(2))
    space = reused.observation_space
    space.seed(2)
    rng = np.random.default_rng(1)
    for _ in range(6):
        obs, other = ({k: np.stack([space.sample()[k] for _ in range(5)]) for k in space.spaces} for _ in range(2))
        a, r, ends = reused.act(obs), rng.normal(size=5).astype(np.float32), np.zeros(5, bool)
        assert _bits_equal(fresh.act(obs), a)
        fresh.act(other, explore=False)  # its last batch is now another one (no noise drawn)
        reused.learn(obs, a, r, obs, ends, ends)
        fresh.learn(dict(obs), a, r, obs, ends, ends)
        reused.learn(obs, a, r, obs, ends, ends)  # a second update from the same batch: no stale drive
        fresh.learn(obs, a, r, obs, ends, ends)
        assert _bits_equal(reused.weights, fresh.weights) and _bits_equal(reused.baseline, fresh.baseline)
    env.close()


# --- the cohort: several bodies' own node-perturbation agents in one batch ----------------------------------
def _rows(obs: dict[str, np.ndarray], i: int) -> dict[str, np.ndarray]:
    return {k: v[i : i + 1] for k, v in obs.items()}


@pytest.mark.parametrize("settings", [{}, {"hvc_units": 8, "hvc_active": 3}, {"hvc_units": 16, "hvc_active": 4, "reward_is_error": True},
                                      {"hvc_units": 12, "hvc_active": 3, "delayed_reward": True}])
def test_node_perturbation_cohort_is_each_agent_alone_bit_for_bit(settings):
    """Row i of the cohort acts and learns exactly as agent i alone on that row as a batch of one: actions,
    weights, baselines, ages, eligibility and the random stream, through a changing schedule, invalid rows
    and LMAN-off steps."""
    import copy

    from brainlike.agents.node_perturbation import NodePerturbationCohort

    env = gym.make("brainlike/SongbirdTutor-v0")
    n = 4
    alone = [make_agent("node-perturbation", env, seed=10 + i, maturation=0, **settings) for i in range(n)]
    cohort = NodePerturbationCohort([copy.deepcopy(a) for a in alone])
    space = alone[0].observation_space
    space.seed(3)
    rng = np.random.default_rng(0)
    for t in range(40):
        obs = {k: np.stack([space.sample()[k] for _ in range(n)]) for k in space.spaces}
        explore = t % 7 != 3
        for a in alone + cohort.agents:
            a.config["noise_std"], a.config["lr"] = 0.5 - t / 100, 2.0 - t / 30
        actions = np.concatenate([a.act(_rows(obs, i), explore=explore) for i, a in enumerate(alone)])
        assert _bits_equal(cohort.act(obs, explore=explore), actions)
        rewards, valid = rng.normal(size=n), rng.random(n) < 0.8
        if settings.get("delayed_reward"):
            for i, a in enumerate(alone):
                a.accumulate(_rows(obs, i), actions[i : i + 1], valid=valid[i : i + 1])
            cohort.accumulate(obs, actions, valid=valid)
            if t % 4 == 3:
                for a, b, r in zip(alone, cohort.agents, rewards):
                    assert a.reinforce(float(r > 0)) == b.reinforce(float(r > 0))
        else:
            ends = np.zeros(1, bool)
            for i, a in enumerate(alone):
                a.learn(_rows(obs, i), actions[i : i + 1], rewards[i : i + 1], None, ends, ends, valid=valid[i : i + 1])
            cohort.learn(obs, actions, rewards, valid=valid)
        for a, b in zip(alone, cohort.agents):
            for name in ("weights", "baseline", "age", "eligibility", "bout_baseline"):
                assert _bits_equal(getattr(a, name), getattr(b, name)), (t, name)
            assert a.rng.bit_generator.state == b.rng.bit_generator.state
    assert not np.array_equal(alone[0].weights, alone[1].weights)  # each learned on its own
    env.close()


def test_node_perturbation_cohort_refuses_mixed_agents_and_wrong_batches():
    from brainlike.agents.node_perturbation import NodePerturbationCohort

    env = gym.make("brainlike/SongbirdTutor-v0")
    a, b = (make_agent("node-perturbation", env, seed=s) for s in (0, 1))
    with pytest.raises(ValueError, match="the same agent was given twice"):
        NodePerturbationCohort([a, a])
    with pytest.raises(ValueError, match=r"agent 1 differs from agent 0 in \['reward_is_error'\]"):
        NodePerturbationCohort([a, make_agent("node-perturbation", env, seed=1, reward_is_error=True)])
    with pytest.raises(TypeError, match="one or more NodePerturbationAgents"):
        NodePerturbationCohort([])
    cohort = NodePerturbationCohort([a, b])
    space = a.observation_space
    three = {k: np.stack([space.sample()[k] for _ in range(3)]) for k in space.spaces}
    weights = cohort.weights.copy()
    with pytest.raises(ValueError, match="a cohort of 2 bodies needs a batch of 2 observations, got 3"):
        cohort.act(three)
    two = {k: v[:2] for k, v in three.items()}
    actions = cohort.act(two)
    with pytest.raises(ValueError, match=r"rewards must have shape \(2,\)"):
        cohort.learn(two, actions, np.zeros(3))
    with pytest.raises(RuntimeError, match="accumulate\\(\\) is for an agent with delayed_reward=True"):
        cohort.accumulate(two, actions)
    assert _bits_equal(cohort.weights, weights)  # refused input leaves the brains as they were
    env.close()

"""Eyeblink-v0's own tests: the innate blink, no clock, the trial structure, the cerebellar learner and its lesions."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest

from brainlike import envs  # noqa: F401  (registers the bodies)
from brainlike.agents.cerebellar import NUCLEUS_PLASTICITY, CerebellarAgent
from brainlike.agents.experiments import get_experiment
from brainlike.agents.experiments.eyeblink import CR_THRESHOLD, TrialRecorder, run_cohort
from brainlike.envs.eyeblink import CS_MINUS, PAIRED, PUFF, TONE, TONE_ALONE
from brainlike.steering.eyelid import CLIMBING_FIBRE, STEP_MS, EyelidSteering

EYEBLINK = "brainlike/Eyeblink-v0"


def run_single(policy, steps: int, seed: int = 0, **kwargs) -> list[tuple]:
    """(obs, reward, info) per step of a single env driven by ``policy(step, obs)``."""
    env = gym.make(EYEBLINK, **kwargs)
    obs, _ = env.reset(seed=seed)
    out = []
    for k in range(steps):
        obs, reward, term, trunc, info = env.step(policy(k, obs))
        out.append((obs, reward, info))
        assert not (term or trunc)
    return out


POLICIES = {
    "open": lambda k, obs: np.array([0.0], np.float32),
    "closed": lambda k, obs: np.array([1.0], np.float32),
    "random": lambda k, obs: np.array([np.random.default_rng(k).random()], np.float32),
}


@pytest.mark.parametrize("learner", sorted(POLICIES))
def test_reflex_on_every_puff_at_15_ms_whatever_the_learner_does(learner):
    steps = run_single(POLICIES[learner], 3000, seed=1)
    puffs = blinks = 0
    onset = None
    for k, (_, _, info) in enumerate(steps):
        if info["period"] == PUFF and info["trial_kind"] == PAIRED and info["since_tone_ms"] == info["isi_ms"]:
            puffs += 1
            onset = k
        if onset is not None and info["reflex_overrode"]:
            assert (k - onset) * 5 == 15, f"the blink must start 15 ms after the puff, not {(k - onset) * 5} ms"
            np.testing.assert_array_equal(info["executed_action"], [1.0])
            assert info["steering"]["reflex"] == "blink"
            blinks += 1
            onset = None
    assert puffs >= 10 and blinks == puffs


def test_reflex_closes_the_lid_for_100_to_250_ms_and_survives_only_with_reflexes():
    steps = run_single(POLICIES["open"], 1000, seed=2)
    lids = np.array([s[0]["interoception"][0] for s in steps])
    since = np.array([s[2]["since_tone_ms"] for s in steps])
    isi = np.array([s[2]["isi_ms"] for s in steps])
    first = int(np.flatnonzero(since == isi)[0])  # the first puff
    assert lids[first + 2] == 0.0 and lids[first + 3] >= 0.5  # half shut by 20 ms
    shut = np.flatnonzero(lids[first:] > 0.5)
    runs = np.split(shut, np.flatnonzero(np.diff(shut) > 1) + 1)[0]
    assert 100 <= len(runs) * 5 <= 250
    lesioned = run_single(POLICIES["open"], 1000, seed=2, reflexes=False)
    assert max(s[0]["interoception"][0] for s in lesioned) == 0.0


def test_no_clock_in_the_observation():
    env = gym.make(EYEBLINK)
    assert env.observation_space["exteroception"].shape == (3,) and env.observation_space["interoception"].shape == (1,)
    steps = run_single(POLICIES["open"], 600, seed=3)
    by_period: dict[int, set] = {}
    for obs, _, info in steps:
        if info["period"] == TONE and info["trial_kind"] == PAIRED:
            by_period.setdefault(TONE, set()).add(tuple(np.concatenate([obs["exteroception"], obs["interoception"]])))
    # Every step of the tone looks the same to the learner: only the tone, no time since it began.
    assert by_period[TONE] == {(1.0, 0.0, 0.0, 0.0)}


def test_the_climbing_fibre_is_the_puff_on_the_open_cornea_and_closing_costs_vision():
    for obs, reward, info in run_single(POLICIES["open"], 800, seed=4):
        cornea = obs["exteroception"][2]
        assert info[CLIMBING_FIBRE] == pytest.approx(cornea, abs=1e-6)
        assert info["steering"]["components"]["puff"] == pytest.approx(-cornea, abs=1e-6)
    closed = run_single(POLICIES["closed"], 3000, seed=4)
    open_ = run_single(POLICIES["open"], 3000, seed=4)
    assert sum(s[1] for s in closed) < sum(s[1] for s in open_), "an eye kept shut must not pay"


def test_trial_kinds_trace_conditioning_and_extinction():
    steps = run_single(POLICIES["open"], 8000, seed=5, conditioning="trace", cs_minus_fraction=0.3, probe_fraction=0.2)
    for obs, _, info in steps:
        tone_a, tone_b, cornea = obs["exteroception"]
        if info["trial_kind"] != PAIRED:
            assert cornea == 0.0
        if info["trial_kind"] == CS_MINUS:
            assert tone_a == 0.0
        if info["since_tone_ms"] >= 100:  # trace conditioning: a 100 ms tone, then silence
            assert tone_a == 0.0 and tone_b == 0.0
    kinds = {int(s[2]["trial_kind"]) for s in steps}
    assert kinds == {PAIRED, TONE_ALONE, CS_MINUS}
    ext = run_single(POLICIES["open"], 3000, seed=5, phases=(("extinction", 1),))
    assert all(s[0]["exteroception"][2] == 0.0 and s[2]["trial_kind"] == TONE_ALONE for s in ext)


def test_sessions_and_schedule_end_the_episode():
    env = gym.make(EYEBLINK, trials_per_session=2, phases=(("acquisition", 1), ("extinction", 1)))
    env.reset(seed=0)
    seen, steps = set(), 0
    while True:
        _, _, term, trunc, info = env.step(np.array([0.0], np.float32))
        seen.add((int(info["session"]), int(info["phase"])))
        steps += 1
        if term:
            break
        assert not trunc and steps < 5000
    assert seen == {(0, 0), (1, 1)} and env.unwrapped.summary()["trials"] == 4


@pytest.mark.parametrize("bad,match", [
    ({"isi_ms": 2.0}, "isi_ms"), ({"isi_ms": [250.0, 0.0]}, "isi_ms"), ({"probe_fraction": 1.5}, "probe_fraction"),
    ({"probe_fraction": -0.1}, "probe_fraction"), ({"phases": (("sleep", 2),)}, "sleep"),
    ({"phases": (("acquisition", 0),)}, "sessions"), ({"conditioning": "forward"}, "conditioning"),
    ({"puff_intensity": 2.0}, "puff_intensity"), ({"closure_cost": 0.1, "steering": EyelidSteering()}, "closure_cost"),
])
def test_bad_arguments_are_rejected_by_name(bad, match):
    with pytest.raises(ValueError, match=match):
        gym.make(EYEBLINK, **bad)


def test_discrete_variant_and_closure_cost():
    env = gym.make(EYEBLINK, action_mode="discrete", closure_cost=0.5)
    assert env.action_space == gym.spaces.Discrete(2)
    env.reset(seed=0)
    _, reward, _, _, info = env.step(1)
    assert info["executed_action"] == 1 and reward == pytest.approx(-0.5 * 0.5)


# --- the cerebellar learner -------------------------------------------------------------
def make_agent(**kwargs) -> tuple[gym.vector.VectorEnv, CerebellarAgent]:
    env = gym.make_vec(EYEBLINK, num_envs=2, vectorization_mode="vector_entry_point")
    return env, CerebellarAgent(env.single_observation_space, env.single_action_space, seed=0, **kwargs)


#: Small and quick: fewer granule cells, shorter gaps between trials (the machine is shared).
SMALL = {"num_cells": 300}
QUICK = {"pre_tone_ms": (100.0, 150.0), "after_ms": 250.0, "phases": (("acquisition", 1),)}


@pytest.fixture(scope="module")
def trained():
    """Two animals trained for 60 trials at 250 ms (shared: training is the slow part)."""
    return run_cohort(None, 2, seed=0, trials_per_session=60, agent_kwargs=SMALL, **QUICK)


def test_useless_at_birth_then_learns_timed_conditioned_blinks(trained):
    naive, agent = run_cohort(None, 2, seed=0, learn=False, trials_per_session=20, agent_kwargs=SMALL, **QUICK)
    assert not naive.cr.any(), "a newborn cerebellum gives no conditioned blinks"
    assert naive.traces[:, :, :50].max() == 0.0, "before the puff (250 ms) a newborn's lid never moves"
    assert naive.traces[naive.kind == TONE_ALONE].max() == 0.0
    trained, agent = trained
    assert trained.rate(np.arange(60)[None, :] < 10).max() <= 0.1
    late = trained.rate(np.arange(60)[None, :] >= 45)
    assert (late >= 0.8).all(), late
    # Conditioned blinks start well after the tone and close the eye around the puff (250 ms).
    onsets = trained.onset_ms[:, 45:][trained.cr[:, 45:]]
    assert onsets.min() >= 50
    paired = trained.traces[:, 45:][trained.kind[:, 45:] == PAIRED]
    assert paired[:, 45:50].mean() > CR_THRESHOLD > paired[:, :10].max()


def test_lesions_nucleus_cuts_the_output_cortex_switches_plasticity_and_basis(trained):
    trained, agent = trained  # the last user of the shared cohort: it lesions the animals
    assert trained.cr[:, -10:].mean() >= 0.8
    weights = agent.pf_weights.copy()
    agent.lesion(nucleus=False)
    cut, _ = run_cohort(agent, 2, seed=2, trials_per_session=10, **QUICK)
    assert not cut.cr.any()
    assert np.isfinite(cut.reflex_latency_ms[cut.kind == PAIRED]).all(), "the reflex survives an output lesion"
    assert not np.array_equal(weights, agent.pf_weights), "learning goes on behind a cut output"
    agent.lesion(cortex="no-plasticity", nucleus=True)
    frozen = agent.pf_weights.copy()
    run_cohort(agent, 2, seed=4, trials_per_session=5, **QUICK)
    np.testing.assert_array_equal(frozen, agent.pf_weights)
    with pytest.raises(ValueError, match="built at birth"):
        agent.lesion(cortex="no-granule-basis")
    with pytest.raises(ValueError, match="cortex"):
        agent.lesion(cortex="cut")
    assert agent.config["cortex"] == "no-plasticity" and agent.config["nucleus"] is True
    _, relay = make_agent(cortex="no-granule-basis")
    assert relay.pf_weights.shape[1] == 3  # Purkinje cells read the three exteroceptive mossy fibres


def tone_steps(agent: CerebellarAgent, env: gym.vector.VectorEnv, steps: int, learn: bool = False) -> np.ndarray:
    """(steps, bodies) lid commands while tone A sounds from step 0 (no puff: the climbing fibre is silent)."""
    obs = {"exteroception": np.array([[1.0, 0.0, 0.0]] * env.num_envs, np.float32),
           "interoception": np.zeros((env.num_envs, 1), np.float32)}
    quiet = {CLIMBING_FIBRE: np.zeros(env.num_envs)}
    out = []
    for _ in range(steps):
        a = agent.act(obs)
        if learn:
            agent.learn(obs, a, np.zeros(env.num_envs), obs, np.zeros(env.num_envs, bool), np.zeros(env.num_envs, bool), quiet)
        out.append(a[:, 0].copy())
    return np.array(out)


def test_nucleus_synapses_grow_in_purkinje_pauses_and_drive_short_latency_blinks_without_the_cortex():
    env, agent = make_agent(num_cells=300, nucleus_plasticity=NUCLEUS_PLASTICITY)
    # A Purkinje cell that pauses whenever the tone's granule cells fire (weights below the balance point).
    agent.pf_weights[:] = 0.0
    tone_steps(agent, env, 100, learn=True)
    tone_line = agent.mf_weights[0, 0]
    assert tone_line > 0, "a mossy fibre active during a Purkinje pause strengthens its synapse on the nucleus"
    assert agent.mf_weights[0, 1] == 0.0, "a silent fibre (tone B) does not"
    # Without a pause, the synapse weakens slowly; it never goes below 0.
    agent.pf_weights[:] = 1.0
    agent.reset_state()
    tone_steps(agent, env, 100, learn=True)
    assert 0.0 <= agent.mf_weights[0, 0] < tone_line
    # While the cortex is intact and its Purkinje cell does not pause, its tonic inhibition masks
    # what the nucleus has learned: the lid stays open however strong the tone's synapse.
    agent.mf_weights[:] = [[0.2, 0.0, 0.0]]
    agent.reset_state()
    assert tone_steps(agent, env, 60).max() == 0.0, "the nucleus's drive is masked without a Purkinje pause"
    # A pause releases it: the same slight pause drives the lid more with the learned drive than without.
    agent.pf_weights[:] = 0.95
    agent.reset_state()
    released = tone_steps(agent, env, 200)
    agent.mf_weights[:] = 0.0
    agent.reset_state()
    pause_alone = tone_steps(agent, env, 200)
    assert released.sum() > pause_alone.sum() > 0.0
    assert (released[pause_alone == 0.0] == 0.0).all(), "no drive shows where the Purkinje cell does not pause"
    agent.mf_weights[:] = [[0.2, 0.0, 0.0]]
    agent.pf_weights[:] = 1.0
    # With the cortex removed only the nucleus's synapses drive the lid: from the first steps of the tone, flat.
    agent.lesion(cortex="removed")
    agent.reset_state()
    commands = tone_steps(agent, env, 60)
    delay = agent.output_delay
    assert commands[:delay].max() == 0.0 and (commands[delay + 1] > CR_THRESHOLD).all(), "short latency: the output delay only"
    np.testing.assert_allclose(commands[delay + 1:], np.broadcast_to(commands[delay + 1], commands[delay + 1:].shape), rtol=1e-5)  # untimed: no peak at any interval
    # Frozen nucleus synapses (the removal arm) stay at 0 whatever the Purkinje cell does.
    env, frozen = make_agent(num_cells=300, nucleus_plasticity=0.0)
    frozen.pf_weights[:] = 0.0
    tone_steps(frozen, env, 100, learn=True)
    assert not frozen.mf_weights.any()


def test_learning_needs_the_climbing_fibre_and_animals_match_the_batch(tmp_path):
    env, agent = make_agent(animals=2)
    obs, _ = env.reset(seed=0)
    actions = agent.act(obs)
    obs2, r, te, tr, info = env.step(actions)
    with pytest.raises(ValueError, match=CLIMBING_FIBRE):
        agent.learn(obs, actions, r, obs2, te, tr, {})
    agent.learn(obs, actions, r, obs2, te, tr, info)
    one = {k: v[:1] for k, v in obs.items()}
    with pytest.raises(ValueError, match="2 bodies"):
        agent.act(one)


def test_save_load_continues_identically(tmp_path):
    env, agent = make_agent(animals=2, num_cells=200)
    obs, _ = env.reset(seed=0)
    for _ in range(300):
        a = agent.act(obs)
        obs2, r, te, tr, info = env.step(a)
        agent.learn(obs, a, r, obs2, te, tr, info)
        obs = obs2
    agent.pf_weights[:] = np.linspace(0.2, 1.0, agent.pf_weights.size).reshape(agent.pf_weights.shape)
    agent.mf_weights[:] = np.linspace(0.0, 0.1, agent.mf_weights.size).reshape(agent.mf_weights.shape)
    agent.save(tmp_path / "cb")
    loaded = CerebellarAgent.load(tmp_path / "cb")
    # Per animal: one parallel-fibre synapse per granule cell, one mossy-fibre synapse per input line on the nucleus.
    assert loaded.num_parameters == agent.num_parameters == 2 * (200 + 3)
    agent.reset_state()
    e1 = gym.make_vec(EYEBLINK, num_envs=2, vectorization_mode="vector_entry_point")
    e2 = gym.make_vec(EYEBLINK, num_envs=2, vectorization_mode="vector_entry_point")
    o1, _ = e1.reset(seed=9)
    o2, _ = e2.reset(seed=9)
    for _ in range(200):
        a1, a2 = agent.act(o1), loaded.act(o2)
        np.testing.assert_array_equal(a1, a2)
        o1 = e1.step(a1)[0]
        o2 = e2.step(a2)[0]


def test_eyeblink_experiments_are_registered():
    for name in ("eyeblink-acquisition", "eyeblink-timing", "eyeblink-isi", "eyeblink-extinction", "eyeblink-lesions"):
        exp = get_experiment(name)
        assert exp.body == EYEBLINK and exp.paper and exp.link.startswith("https://")


def test_eyeblink_experiments_scale_only_constants_the_steering_takes():
    from brainlike.agents.experiments.base import steering_with
    from brainlike.agents.experiments.eyeblink import EXPERIMENTS

    for exp in EXPERIMENTS:
        assert exp.sensitivity, exp.name
        scaled = steering_with(EyelidSteering, {name: 0.8 for name in exp.sensitivity})
        assert scaled.puff_cost == pytest.approx(0.8 * EyelidSteering().puff_cost)
        # The blink's latency is a whole number of steps: 3 -> 2 at x0.8, 4 at x1.2 (a band the reflex accepts).
        assert (scaled.blink.latency, steering_with(EyelidSteering, {"blink_latency": 1.2}).blink.latency) == (2, 4)


# --- the trial recorder: compiled, it records what the array form it replaced recorded ----------------
class ArrayFormRecorder(TrialRecorder):
    """The recorder's step as it was written before it was compiled: a dozen fancy-indexed array passes."""

    def record(self, info, lid, ended):
        live, rows = self.live, np.arange(self.live.shape[0])
        trial_id = info["session"] * self.trials_per_session + info["trial"]
        moved = live & (trial_id != self.last_trial)
        self.index[moved] += 1
        self.last_trial = np.where(live, trial_id, self.last_trial)
        k = np.minimum(self.index, self.total - 1)
        s = (info["since_tone_ms"] / STEP_MS).astype(np.int64)
        here = live & (s >= 0) & (s < self.traces.shape[2])
        self.traces[rows[here], k[here], s[here]] = lid[here]
        self.session[rows[live], k[live]] = info["session"][live]
        self.kind[rows[live], k[live]] = info["trial_kind"][live]
        self.isi[rows[live], k[live]] = info["isi_ms"][live]
        blink = live & info["reflex_overrode"] & (info["trial_kind"] == PAIRED) & np.isnan(self.latency[rows, k])
        self.latency[rows[blink], k[blink]] = info["since_tone_ms"][blink] - info["isi_ms"][blink]
        self.live = live & ~ended


@pytest.mark.parametrize("seed", range(3))
def test_compiled_trial_recorder_equals_the_array_form(seed):
    # A synthetic stream reaching what a cohort's rarely does: more trials than the recorder holds
    # (the last row is overwritten), steps before the tone and past the trace, schedules ending at
    # different steps, blinks on every kind of trial, repeated blinks in one trial.
    rng = np.random.default_rng(seed)
    bodies, total, span, tps = 5, 6, 9, 3
    compiled, reference = TrialRecorder(bodies, total, span), ArrayFormRecorder(bodies, total, span)
    compiled.trials_per_session = reference.trials_per_session = tps
    trial = np.zeros(bodies, dtype=np.int64)
    for _ in range(120):
        trial += rng.random(bodies) < 0.15
        info = {"session": trial // tps, "trial": trial % tps,
                "trial_kind": rng.choice([PAIRED, TONE_ALONE, CS_MINUS], bodies).astype(np.int64),
                "since_tone_ms": rng.integers(-4, span + 3, bodies) * STEP_MS,
                "isi_ms": rng.choice([10.0, 25.0], bodies), "reflex_overrode": rng.random(bodies) < 0.3}
        lid, ended = rng.random(bodies).astype(np.float32), rng.random(bodies) < 0.01
        compiled.record(info, lid, ended)
        reference.record(info, lid, ended)
    assert not compiled.live.all() and compiled.index.max() >= total  # the stream reached both corners
    for name in ("session", "kind", "isi", "traces", "latency", "index", "last_trial", "live"):
        got, want = getattr(compiled, name), getattr(reference, name)
        assert got.dtype == want.dtype and got.tobytes() == want.tobytes(), name


# --- the cerebellar learner's fused kernels: each equals the array form it replaced ------------------
@pytest.mark.parametrize("seed", range(3))
def test_fused_cerebellar_kernels_equal_the_array_form(seed):
    from brainlike.agents.cerebellar import (PF_RANGE, interpositus, lid_command, nucleus_learning,
                                             parallel_fibre_learning)

    rng = np.random.default_rng(seed)
    b, cells, lines = 6, 50, 3
    bits = lambda x: (x.dtype, x.shape, x.tobytes())  # noqa: E731
    g_now, eligible = rng.random((b, cells)).astype(np.float32), rng.random((b, cells)).astype(np.float32)
    cf, valid = (rng.random(b) < 0.5).astype(np.float32), rng.random(b) < 0.7
    ltp, ltd = np.float32(0.01), np.float32(0.3)  # large, so that both bounds of the range are reached
    for error in (True, False):
        weights = rng.uniform(-0.1, 1.1, (b, cells)).astype(np.float32)
        weights[0, :3] = [np.nan, 0.0, 1.0]
        change = ltp * g_now
        if error:
            change -= ltd * cf[:, None] * eligible
        change[~valid] = 0.0
        want = np.clip(weights + change, *PF_RANGE)
        parallel_fibre_learning(weights, g_now, eligible, cf, valid, ltp, ltd, error, np.float32(0.0), np.float32(1.0))
        assert bits(weights) == bits(want)
    mossy, pause = rng.random((b, lines)).astype(np.float32), rng.normal(0.0, 1.0, b).astype(np.float32)
    pause[:2] = [np.nan, -0.0]
    weights = rng.uniform(-0.01, 0.02, (b, lines)).astype(np.float32)
    change = np.float32(0.002) * mossy * (np.maximum(pause, 0.0) - np.float32(0.002))[:, None]
    change[~valid] = 0.0
    want = np.maximum(weights + change, 0.0)
    nucleus_learning(weights, mossy, pause, valid, np.float32(0.002), np.float32(0.002))
    assert bits(weights) == bits(want)
    # The nucleus and the delay line: release = min(max(pause, 0) / tonic, 1), 1 with the cortex removed.
    drive, tonic, gain = rng.random(b).astype(np.float32), 1.0 / 3.0, 3.0
    for removed in (False, True):
        release = np.ones_like(pause) if removed else np.minimum(np.maximum(pause, 0.0) / tonic, 1.0)
        want = gain * (pause + release * drive)
        # The constants as float32, or as the agent's config holds them (Python floats, rounded in the kernel).
        for constants in ((np.float32(tonic), np.float32(gain)), (tonic, gain)):
            got = np.empty(b, np.float32)
            interpositus(pause, drive, *constants, removed, got)
            assert bits(got) == bits(want)
            for nucleus in (True, False):
                history = rng.normal(0.5, 1.0, (4, b)).astype(np.float32)
                history[1, 0] = np.nan
                expected = history.copy()
                expected[2] = want if nucleus else 0.0
                command = np.empty(b, np.float32)
                lid_command(pause, drive, *constants, removed, nucleus, history, 2, 1, command)
                assert bits(history) == bits(expected) and bits(command) == bits(np.clip(expected[1], 0.0, 1.0))


@pytest.mark.parametrize("seed", range(3))
def test_end_of_learning_resets_ended_lives_and_gives_numpys_means(seed):
    from brainlike.agents.cerebellar import end_of_learning

    rng = np.random.default_rng(seed)
    b = 9  # past numpy's eight partial sums, with a remainder
    cf = rng.random(b).astype(np.float32)
    # Weights of the sizes a cohort has (8 x 1000 halves at 4000 and below), and a shared brain's row.
    pf = rng.normal(0.7, 0.3, (b, 1000 + seed)).astype(np.float32)
    mf = rng.normal(0.0, 1.0, (1, 3)).astype(np.float32)
    terminated, truncated, valid = rng.random(b) < 0.3, rng.random(b) < 0.2, rng.random(b) < 0.7
    state, history, output = (rng.random(shape).astype(np.float32) for shape in ((4, b, 7), (3, b, 7), (5, b)))
    ended = terminated | truncated | ~valid
    assert ended.any() and not ended.all()
    want = [a.copy() for a in (state, history, output)]
    for a in want:
        a[:, ended] = 0.0
    stats = np.empty(3)
    end_of_learning(cf, valid, terminated, truncated, pf, mf, state, history, output, stats)
    for got, expected in zip((state, history, output), want):
        assert got.tobytes() == expected.tobytes()
    assert stats.tolist() == [float(cf.mean()), float(pf.mean()), float(mf.mean())]


def test_a_copied_trained_cohort_is_the_cohort_trained_again():
    """eyeblink-lesions removes the cortex of a copy of the cohort it lesions, instead of training it twice."""
    import copy

    from brainlike.agents.experiments.eyeblink import NOMINAL, _cortex_removed, _trained

    trained = _trained("small", 3, 1, NOMINAL)
    twin = copy.deepcopy(trained)
    run_cohort(trained, 2, 7, phases=(("acquisition", 1),), trials_per_session=3, learn=False)  # a test leaves it as it was
    once, again = _cortex_removed(twin, "small", 3, NOMINAL), _cortex_removed(_trained("small", 3, 1, NOMINAL), "small", 3, NOMINAL)
    for name in ("session", "kind", "cr", "traces", "reflex_latency_ms"):
        assert getattr(once, name).tobytes() == getattr(again, name).tobytes(), name
    assert (twin.pf_weights < 1).any() and (twin.mf_weights > 0).any()  # the copy carries what training changed

"""SaltRat-v0 and its Steering Subsystem: kappa, sensitization, the protocols, the Dead Sea salt check."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest

from brainlike.envs.salt_rat import APPROACH, LAYOUT, NIBBLE, PRESETS, STAY, WITHDRAW
from brainlike.steering import RatEvents, RatSteering, ReflexTakeover

ID = "brainlike/SaltRat-v0"
DEAD_SEA_LENGTHS = [30 * 11, 30, 6 * 11, 30, 6 * 11]  # documented in SaltRatEnv's docstring
SENSITIZATION_LENGTHS = [40] + [30, 10, 60, 40, 40] * 3
SALT_WORK_LENGTHS = [30, 100, 40] * 3


def fresh(num_bodies: int = 1, **kw) -> RatSteering:
    s = RatSteering(**kw)
    s.resize(num_bodies)
    return s


def no_reflex(n: int) -> ReflexTakeover:
    """The rat has no reflexes: the proposed actions (all "stay") are executed."""
    return ReflexTakeover.none(np.full(n, STAY, dtype=np.int64))


def live_through(steering: RatSteering, sodium_levels) -> None:
    """Drive steering through a sodium trajectory with nothing tasted (a depletion, a repletion...)."""
    n = steering.parameters["salt_sensitization"].shape[0]
    zero = np.zeros(n)
    for na in sodium_levels:
        intero = np.full((n, 1), na, dtype=np.float32)
        steering.evaluate(RatEvents(sweet=zero, salt=zero, interoception=intero, sodium_after=intero[:, 0]), no_reflex(n))


def depletion(depth: float = 0.3):
    return list(np.linspace(1.0, depth, 10)) + [depth] * 5 + list(np.linspace(depth, 1.0, 10))


def value(steering: RatSteering, sodium: float, sweet: float = 0.0, salt: float = 0.0) -> float:
    n = steering.parameters["salt_sensitization"].shape[0]
    pred = {"sweet": np.full(n, sweet), "salt": np.full(n, salt)}
    return float(steering.evaluate_prediction(pred, np.full((n, 1), sodium, dtype=np.float32))[0])


# --- steering: kappa ---------------------------------------------------------------------
def test_salt_is_repulsive_when_replete_and_attractive_when_depleted_sucrose_unchanged():
    s = fresh()
    before = value(s, 1.0, salt=1.0)
    live_through(s, depletion()[:15])  # the first depletion of its life, still depleted
    depleted = value(s, 0.3, salt=1.0)
    live_through(s, np.linspace(0.3, 1.0, 10))
    after = value(s, 1.0, salt=1.0)
    assert before < 0 and depleted > 0 and after < 0
    sweets = [value(s, na, sweet=1.0) for na in (0.2, 0.3, 0.6, 1.0, 1.4)]
    assert min(sweets) > 0 and max(sweets) == min(sweets)


def test_multiplicative_kappa_cannot_flip_a_negative_value_additive_can():
    # kappa = exp(log kappa) > 0, so kappa x r keeps the sign of r; r + log kappa does not.
    for form, can_flip in (("multiplicative", False), ("additive", True)):
        s = fresh(kappa_form=form, strain="full")
        live_through(s, depletion()[:15])  # appetite at its plateau: the strongest need there is
        values = [value(s, na, salt=amt) for na in np.linspace(0.0, 1.5, 16) for amt in (0.25, 1.0)]
        assert (max(values) > 0) == can_flip, form
    assert "Why only the additive form can flip" in " ".join(RatSteering.__doc__.split())


def test_evaluation_of_predictions_equals_actual_delivery_in_the_same_state():
    rng = np.random.default_rng(0)
    s = fresh(6)
    live_through(s, depletion()[:12])
    sweet, salt = rng.uniform(0, 1, 6), rng.uniform(0, 1, 6)
    intero = rng.uniform(0.1, 1.4, (6, 1)).astype(np.float32)
    predicted = s.evaluate_prediction({"sweet": sweet, "salt": salt}, intero)
    actual = s.evaluate(RatEvents(sweet=sweet, salt=salt, interoception=intero, sodium_after=intero[:, 0]), no_reflex(6))
    np.testing.assert_array_equal(predicted, actual.reward)
    with pytest.raises(ValueError, match="bitter"):
        s.evaluate_prediction({"bitter": sweet}, intero)


def test_evaluation_in_the_env_matches_the_taste_that_arrives():
    env = gym.make(ID, protocol=[{"name": "access", "kind": "free_access", "steps": 20}], initial_sodium=0.4)
    obs, _ = env.reset(seed=0)
    steering, checked = env.unwrapped.steering, 0
    for a in [APPROACH, APPROACH] + [NIBBLE] * 10:
        prev = obs["interoception"][None]
        obs, reward, *_, info = env.step(a)
        sig = {k: np.atleast_1d(v) for k, v in info["innate_signals"].items()}
        assert reward == steering.evaluate_prediction(sig, prev)[0]
        assert env.unwrapped.layout.read(obs, "salt_taste") == pytest.approx(info["innate_signals"]["salt"])
        checked += info["innate_signals"]["salt"] > 0
    assert checked == 10


# --- steering: sensitization --------------------------------------------------------------
def appetites(strain: str, depletions: int = 4) -> list[float]:
    s = fresh(strain=strain)
    out = [float(s.parameters["salt_sensitization"][0, 0])]
    for _ in range(depletions):
        live_through(s, depletion())
        out.append(float(s.parameters["salt_sensitization"][0, 0]))
    assert s.depletions[0] == depletions  # each depletion counts once, however long
    return out


def test_sensitization_rises_across_depletions_to_a_plateau_and_strain_sets_the_pattern():
    inc = appetites("incremental")
    steps = np.diff(inc)
    assert np.all(steps > 0) and np.all(np.diff(steps) < 0)  # rises, by ever smaller steps
    plateau = RatSteering().max_sensitization
    assert inc[-1] <= plateau and steps[-1] < 0.25 * steps[0]  # towards the plateau
    full = appetites("full")
    assert full[1] == full[2] == full[3] == plateau > full[0] == 0.0  # all after the first depletion
    assert fresh().num_adjustable_parameters == 1


def test_mild_sodium_dips_do_not_sensitize():
    s = fresh()
    live_through(s, [1.0, 0.8, 0.6, 0.8, 1.0])
    assert s.parameters["salt_sensitization"][0, 0] == 0.0 and s.depletions[0] == 0


def test_a_naive_rat_wants_salt_at_its_first_depletion_with_no_sensitization():
    # The innate appetite alone: depletion-naive, never tasted salt while depleted.
    s = fresh()
    assert value(s, 1.0, salt=1.0) < 0 and value(s, 1.0, salt=0.25) < 0
    live_through(s, depletion()[:15])  # the first depletion of its life, still depleted
    assert s.parameters["salt_sensitization"][0, 0] == 0.0 and s.depletions[0] == 1
    assert value(s, 0.3, salt=1.0) > 0 and value(s, 0.3, salt=0.25) > 0
    # With sensitization lesioned the same holds: the flip needs only the innate appetite.
    lesioned = fresh(max_sensitization=0.0)
    live_through(lesioned, depletion()[:15])
    assert value(lesioned, 0.3, salt=1.0) == value(s, 0.3, salt=1.0) > 0


def test_sensitization_is_applied_after_the_episode_and_only_to_wanting():
    s = fresh()
    live_through(s, depletion()[:15])
    during = float(s.parameters["salt_sensitization"][0, 0])
    live_through(s, np.linspace(0.3, 1.0, 10))  # recovered: the episode is over
    after = float(s.parameters["salt_sensitization"][0, 0])
    assert during == 0.0 < after
    naive = fresh()
    for na in np.random.default_rng(1).uniform(0.1, 1.4, 20):
        intero = np.full((1, 1), na)
        for salt in (0.25, 1.0):
            amount = np.full(1, salt)
            wanted = s.evaluate_prediction({"salt": amount}, intero)[0]
            # The reward of an arriving taste (evaluate's) is its liking: unchanged by sensitization.
            liked = s.taste_valence(np.zeros(1), amount, intero)[1][0]
            assert liked == naive.taste_valence(np.zeros(1), amount, intero)[1][0]
            assert wanted == pytest.approx(liked + after * salt)  # wanting = liking + the incentive
    # Sucrose is wanted exactly as it is liked.
    assert value(s, 0.3, sweet=1.0) == value(fresh(), 0.3, sweet=1.0)


def test_a_depleted_naive_rat_values_licks_until_the_deficit_is_nearly_repaired():
    s = fresh()
    live_through(s, depletion()[:15])
    lick = RatSteering().sodium_per_unit * 0.25
    na = 0.3
    while value(s, na, salt=0.25) > 0:
        na += lick
    assert na > 0.9  # not stopping half-way (0.6-0.7 under a quadratic drive)


# --- the protocol --------------------------------------------------------------------------
def run(protocol, policy=lambda obs: STAY, seed=0, **kw):
    env = gym.make(ID, protocol=protocol, **kw)
    obs, _ = env.reset(seed=seed)
    infos, obs_list = [], [obs]
    while True:
        obs, _, term, trunc, info = env.step(policy(obs))
        infos.append(info)
        obs_list.append(obs)
        if term or trunc:
            return env, infos, obs_list, term


def run_lengths(xs):
    out, prev = [], None
    for x in xs:
        if x == prev:
            out[-1][1] += 1
        else:
            out.append([x, 1])
            prev = x
    return out


@pytest.mark.parametrize("preset, lengths", [("dead_sea_salt", DEAD_SEA_LENGTHS), ("sensitization", SENSITIZATION_LENGTHS),
                                              ("salt_work", SALT_WORK_LENGTHS)])
def test_presets_run_their_phases_in_order_with_documented_lengths(preset, lengths):
    env, infos, _, terminated = run(preset)
    assert terminated, "the session ends with the protocol"
    assert run_lengths([i["phase"] for i in infos]) == [[k, n] for k, n in enumerate(lengths)]
    assert env.unwrapped.phase_names == tuple(p["name"] for p in PRESETS[preset])
    assert sum(lengths) < gym.spec(ID).max_episode_steps


def always_nibble(obs):
    return NIBBLE if obs["exteroception"][LAYOUT.index("distance")] == 0 else APPROACH


def test_cue_only_phases_never_deliver_and_training_does():
    env, infos, _, _ = run("dead_sea_salt", always_nibble)
    names = env.unwrapped.phase_names
    for info in infos:
        extinction = names[info["phase"]].startswith("test")
        if extinction:
            assert not info["delivered"] and info["innate_signals"]["sweet"] == info["innate_signals"]["salt"] == 0
    summary = env.unwrapped.summary()["phases"]
    for name in ("test_depleted", "test_replete"):
        assert summary[name]["delivered"] == {"sucrose": 0, "salt": 0}
        assert len(summary[name]["scores"]["sucrose"]) == len(summary[name]["scores"]["salt"]) == 3
    assert summary["train"]["delivered"] == {"sucrose": 15, "salt": 15}


def test_instrumental_training_delivers_only_after_a_press():
    protocol = [{"name": "train", "kind": "train", "trials": 8}]
    _, idle, _, _ = run(protocol, lambda obs: STAY)
    _, pressing, _, _ = run(protocol, always_nibble)
    assert not any(i["delivered"] for i in idle)
    assert sum(bool(i["delivered"]) for i in pressing) == 8


def test_depletion_changes_interoception_and_repletion_restores_it():
    env, infos, obs, _ = run("dead_sea_salt")
    phase = np.array([i["phase"] for i in infos])
    sodium = np.array([o["interoception"][0] for o in obs[1:]])
    assert sodium[phase == 0].min() > 0.95
    assert sodium[phase == 2].max() < 0.35  # the cue-only test is taken depleted
    assert sodium[phase == 4].min() > 0.95


@pytest.mark.parametrize(
    "protocol, match",
    [
        ("dead_sea", "dead_sea"),
        ([{"kind": "deplete", "steps": -5}], "-5"),
        ([{"kind": "extinction", "trials": 0}], "trials=0"),
        ([{"kind": "nap", "steps": 5}], "nap"),
        ([("deplete", 5)], "deplete"),
        ([{"kind": "deplete", "trials": 5}], "trials=5"),
        ([{"kind": "deplete", "steps": 5, "drug": "x"}], "drug"),
        ([{"kind": "deplete", "steps": 5, "sodium": "salty"}], "salty"),
        ([{"name": "a", "kind": "home", "steps": 1}, {"name": "a", "kind": "home", "steps": 1}], "'a'"),
        ([], r"\[\]"),
        ({"kind": "home", "steps": 3}, "home"),
    ],
)
def test_bad_protocol_is_rejected_by_value(protocol, match):
    with pytest.raises(ValueError, match=match):
        gym.make(ID, protocol=protocol)


@pytest.mark.parametrize("kwargs, match", [(dict(cue_steps=-1), "cue_steps"), (dict(depletion_level=1.2), "depletion_level"), (dict(lick_amount=0), "lick_amount")])
def test_bad_body_configuration_is_rejected_by_name(kwargs, match):
    with pytest.raises(ValueError, match=match):
        gym.make(ID, **kwargs)


@pytest.mark.parametrize("kwargs, match", [(dict(kappa_form="log"), "log"), (dict(strain="wistar"), "wistar"), (dict(incremental_rate=0.0), "incremental_rate")])
def test_bad_steering_configuration_is_rejected_by_value(kwargs, match):
    with pytest.raises(ValueError, match=match):
        RatSteering(**kwargs)


# --- the science, scripted (no learning) ------------------------------------------------
def lever_outcome(ext: np.ndarray) -> dict[str, np.ndarray]:
    """The known outcome of whatever is on offer: one infusion per lever, one lick at the spout."""
    return {"sweet": 1.0 * (ext[:, 0] > 0), "salt": 1.0 * (ext[:, 1] > 0) + 0.25 * (ext[:, 2] > 0)}


def act(value: np.ndarray, ext: np.ndarray, go: np.ndarray | None = None) -> np.ndarray:
    offered = (ext[:, 0] > 0) | (ext[:, 1] > 0) | (ext[:, 2] > 0)
    at_wall = ext[:, 3] == 0
    want = offered & (value > 0)
    move = APPROACH if go is None else np.where(go, APPROACH, STAY)
    return np.where(want, np.where(at_wall, NIBBLE, move), np.where(offered, WITHDRAW, STAY))


class EvaluatingAgent:
    """Presses a lever whenever steering's evaluation of its known outcome, now, is positive."""

    def __init__(self, steering, vigor_seed: int | None = None):
        self.steering = steering
        self.rng = None if vigor_seed is None else np.random.default_rng(vigor_seed)

    def __call__(self, obs):
        ext = obs["exteroception"]
        v = self.steering.evaluate_prediction(lever_outcome(ext), obs["interoception"])
        # Wanting sets vigour: leaving the back of the chamber is likelier the more it is worth.
        go = None if self.rng is None else self.rng.random(len(v)) < 1.0 - np.exp(-np.maximum(v, 0.0))
        return act(v, ext, go)


class CachedValueAgent:
    """Values of the two levers cached in training (model-free) and never re-evaluated."""

    def __init__(self, steering):
        self.steering = steering
        self.cached: dict[int, np.ndarray] = {}

    def __call__(self, obs):
        ext = obs["exteroception"]
        lever = np.where(ext[:, 0] > 0, 0, np.where(ext[:, 1] > 0, 1, -1))
        n, v = len(lever), np.zeros(len(lever))
        for c in (0, 1):
            if c not in self.cached:  # cached at the start of training, at homeostasis
                outcome = {"sweet": np.full(n, 1.0 - c), "salt": np.full(n, float(c))}
                self.cached[c] = self.steering.evaluate_prediction(outcome, obs["interoception"])
            v = np.where(lever == c, self.cached[c], v)
        return act(v, ext)


def run_rats(protocol: str, make_agent, num: int = 4, seed: int = 0, **kw) -> list[dict]:
    env = gym.make_vec(ID, num_envs=num, vectorization_mode="vector_entry_point", protocol=protocol, **kw)
    obs, _ = env.reset(seed=seed)
    agent = make_agent(env.unwrapped.steering)
    while True:
        obs, _, term, trunc, _ = env.step(agent(obs))
        if np.all(term | trunc):
            assert np.all(term)
            return [env.unwrapped.summary(i) for i in range(num)]


def cue_scores(summaries: list[dict]) -> dict[str, float]:
    """Mean over rats of: training (last 3 trials), and cue-only trial 1 depleted / re-repleted."""
    out = {}
    for cue in ("sucrose", "salt"):
        out[f"{cue}_train"] = np.mean([np.mean(s["phases"]["train"]["scores"][cue][-3:]) for s in summaries])
        for test in ("test_depleted", "test_replete"):
            out[f"{cue}_{test}"] = np.mean([s["phases"][test]["first_trial"][cue] for s in summaries])
    return out


def test_dead_sea_salt_evaluating_agent_wants_the_salt_cue_on_trial_one_cached_agent_does_not():
    ev = cue_scores(run_rats("dead_sea_salt", EvaluatingAgent))
    print("evaluating agent", ev)
    assert ev["salt_train"] < 0 < ev["salt_test_depleted"]
    assert ev["salt_test_depleted"] >= 0.8 * ev["sucrose_test_depleted"]
    assert abs(ev["sucrose_test_depleted"] - ev["sucrose_train"]) <= 0.1 * abs(ev["sucrose_train"])
    assert ev["salt_test_replete"] < 0
    cached = cue_scores(run_rats("dead_sea_salt", CachedValueAgent))
    print("cached-value agent", cached)
    assert cached["salt_train"] < 0 and cached["salt_test_depleted"] < 0


def test_with_multiplicative_kappa_even_the_evaluating_agent_stays_away():
    ev = cue_scores(run_rats("dead_sea_salt", EvaluatingAgent, num=2, steering=RatSteering(kappa_form="multiplicative")))
    assert ev["salt_test_depleted"] < 0 < ev["sucrose_test_depleted"]


def intake_and_latency(strain: str, num: int = 48, **kw) -> tuple[np.ndarray, np.ndarray]:
    summaries = run_rats("sensitization", lambda st: EvaluatingAgent(st, vigor_seed=1), num=num,
                         steering=RatSteering(strain=strain, **kw))
    intake = np.array([[s["phases"][f"salt_access_{k}"]["salt_intake"] for k in (1, 2, 3)] for s in summaries])
    latency = np.array([[s["phases"][f"salt_access_{k}"]["latency"] for k in (1, 2, 3)] for s in summaries], dtype=float)
    return intake.mean(axis=0), np.nanmean(latency, axis=0)


def test_sensitization_raises_scripted_intake_to_a_plateau_and_shortens_latency():
    """A unit test of the steering with a scripted evaluator that does not learn (the
    verdict, with its 1.2x criterion, is the learners' in the sensitization experiment):
    whatever changes across depletions is the steering's one adjustable parameter."""
    intake, latency = intake_and_latency("incremental")
    print("incremental intake", intake, "latency", latency)
    assert intake[0] < intake[1] < intake[2]
    assert intake[2] - intake[1] < intake[1] - intake[0]  # plateau
    assert latency[2] < latency[0]
    full, _ = intake_and_latency("full")
    print("full intake", full)
    assert full[0] == intake[0]  # sensitization comes after the first depletion, in both strains
    assert full[1] > intake[1] and abs(full[2] - full[1]) <= 0.1 * full[1]  # the whole rise at once
    lesioned, _ = intake_and_latency("incremental", max_sensitization=0.0)
    print("lesioned intake", lesioned)
    assert np.ptp(lesioned) <= 0.02 * lesioned[0] and lesioned[0] == intake[0]  # no rise without it


# --- the readouts of wanting and liking ---------------------------------------------------
def test_progressive_ratio_rewards_follow_the_schedule_and_the_breakpoint_is_the_last_ratio_completed():
    from brainlike.envs.rat_protocol import PR_SCHEDULE

    protocol = [{"name": "work", "kind": "progressive_ratio", "steps": 40}]
    env, infos, obs, _ = run(protocol, always_nibble, initial_sodium=0.3)
    assert all(o["exteroception"][LAYOUT.index("salt_lever")] == 1 for o in obs[:-1])  # the lever stays in
    rewarded = [i for i, info in enumerate(infos) if info["innate_signals"]["salt"] > 0]
    presses = [i - 2 for i in rewarded]  # two approaches, then one press per step
    assert list(np.diff([-1] + presses)) == list(PR_SCHEDULE[: len(presses)])
    rec = env.unwrapped.summary()["phases"]["work"]
    assert rec["rewards_earned"] == len(rewarded) >= 4 and rec["breakpoint"] == PR_SCHEDULE[len(rewarded) - 1]
    lazy = run(protocol, initial_sodium=0.3)[0].unwrapped.summary()["phases"]["work"]
    assert lazy["rewards_earned"] == 0 and lazy["breakpoint"] == 0


def test_taste_reactivity_probes_arrive_whatever_the_rat_does_and_read_out_liking():
    from brainlike.envs.rat_protocol import PROBE_INTERVAL

    protocol = [{"name": "taste", "kind": "taste_reactivity", "steps": 12}]
    for policy in (lambda obs: STAY, always_nibble):
        env, infos, _, _ = run(protocol, policy, initial_sodium=0.3)
        probes = [i for i, info in enumerate(infos) if info["taste_probe"]]
        assert probes == list(range(0, 12, PROBE_INTERVAL))
        liking = [info["steering"]["components"]["salt"] / info["innate_signals"]["salt"] for info in infos if info["taste_probe"]]
        assert env.unwrapped.summary()["phases"]["taste"]["taste_reactivity"] == pytest.approx(np.mean(liking))
        assert np.mean(liking) > 0  # depleted: the intense salt is liked


def test_the_graded_response_draws_actions_from_a_softmax_of_their_values():
    from brainlike.agents.registry import make_agent

    env = gym.make_vec(ID, num_envs=1, vectorization_mode="vector_entry_point")
    obs, _ = env.reset(seed=0)
    from brainlike.agents.experiments.rat import GRADED_RESPONSE

    agent = make_agent("thought-assessor", env, seed=3, **GRADED_RESPONSE)
    assert agent.config["temperature"] > 0
    assert make_agent("thought-assessor", env, seed=3).config["temperature"] == 0  # the registry's default: argmax
    q = np.array([[0.0, 0.5, 0.25, -0.5]])
    agent.action_values = lambda o, steering=None: np.repeat(q, len(o["interoception"]), axis=0)
    big = {k: np.repeat(v, 20000, axis=0) for k, v in obs.items()}
    counts = np.bincount(agent.act(big, explore=True), minlength=4) / 20000
    want = np.exp(q[0] / agent.config["temperature"])
    np.testing.assert_allclose(counts, want / want.sum(), atol=0.015)
    assert np.all(agent.act(big, explore=False) == 1)  # not exploring: the argmax
    with pytest.raises(ValueError, match="temperature"):
        make_agent("thought-assessor", env, seed=0, temperature=-1.0)

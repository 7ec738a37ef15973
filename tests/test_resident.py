"""ResidentIntruder-v0 and ResidentSteering: the rule's signs, the block, non-responders, the reflex, bad input.

The steering tests drive ``ResidentSteering`` directly with hand-made events:
unit tests of the rule, not experiments (the experiments' verdicts come from
learners, in ``agents/experiments/resident.py``).
"""

from __future__ import annotations

from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest

from brainlike.agents.experiments import EXPERIMENTS
from brainlike.envs.resident_intruder import INTRUDER_KINDS, ResidentIntruderVectorEnv
from brainlike.steering.aggression import NORMAL_TESTOSTERONE, NUM_IDENTITIES, ResidentAction, ResidentEvents, ResidentSenses, ResidentSteering
from brainlike.steering.base import ReflexTakeover

RESIDENT = "brainlike/ResidentIntruder-v0"
NAMES = ("winner-effect", "ltp-block", "loser-effect", "specific-to-general", "non-responders")


def make_steering(n: int = 1, baseline: float = NORMAL_TESTOSTERONE, **kwargs) -> ResidentSteering:
    s = ResidentSteering(**kwargs)
    s.resize(n)
    s.baseline[:] = baseline
    s.parameters["testosterone"][:, 0] = baseline
    return s


def end_encounter(s: ResidentSteering, won: bool = False, defeated: bool = False, identity: int = 0) -> None:
    """One encounter's last step, ending in a win, a defeat or a draw, for every body."""
    n = s.baseline.shape[0]
    full = lambda v: np.full(n, v)  # noqa: E731
    events = ResidentEvents(attacked=full(False), bitten=full(False), won=full(False), defeated=full(defeated),
                            encounter_ended=full(True), encounter_won=full(won), identity=full(identity).astype(np.int64),
                            proximity=full(0.0))
    s.evaluate(events, ReflexTakeover.none(np.zeros(n, dtype=np.int64)))


def gains(s: ResidentSteering) -> tuple[np.ndarray, float, float, float]:
    p = s.parameters
    return p["identity_gain"][0].copy(), float(p["general_gain"][0, 0]), float(p["testosterone"][0, 0]), float(p["avoidance"][0, 0])


# --- the rule's signs ------------------------------------------------------------------------
def test_a_win_potentiates_only_the_beaten_intruders_gain_and_pulses_testosterone():
    s = make_steering()
    identity0, general0, t0, _ = gains(s)
    end_encounter(s, won=True, identity=1)
    identity1, general1, t1, _ = gains(s)
    assert identity1[1] > identity0[1], "a win over intruder 1 raises its identity-specific gain"
    others = [k for k in range(NUM_IDENTITIES) if k != 1]
    np.testing.assert_array_equal(identity1[others], identity0[others])
    assert general1 == general0, "one win does not move the general gain (specific before general)"
    assert t1 > t0, "a post-win testosterone pulse"
    assert s.parameters["wins"][0, 0] == 1


def test_the_general_gain_rises_only_after_general_after_wins():
    s = make_steering(general_after=3)
    general = [gains(s)[1]]
    for _ in range(5):
        end_encounter(s, won=True)
        general.append(gains(s)[1])
    assert general[0] == general[1] == general[2] == general[3], "no general rise over the first 3 wins"
    assert general[5] > general[4] > general[3], "from the 4th win on, the general gain rises"


def test_a_draw_changes_no_gain_and_testosterone_decays_to_baseline():
    s = make_steering()
    end_encounter(s, won=True)
    identity, general, t_pulsed, _ = gains(s)
    end_encounter(s)  # a draw
    identity2, general2, t2, _ = gains(s)
    np.testing.assert_array_equal(identity2, identity)
    assert general2 == general
    assert NORMAL_TESTOSTERONE < t2 < t_pulsed


def test_a_defeat_depresses_the_gains_and_raises_avoidance():
    s = make_steering()
    identity0, general0, _, avoidance0 = gains(s)
    end_encounter(s, defeated=True, identity=2)
    identity1, general1, _, avoidance1 = gains(s)
    assert identity1[2] < identity0[2] and general1 < general0
    assert avoidance1 > avoidance0 == 0.0
    assert s.parameters["wins"][0, 0] == 0, "a defeat is not a win"


def test_readiness_drive_follows_the_gains_and_falls_with_avoidance():
    s = make_steering(n=3)
    s.parameters["identity_gain"][1, 0] = 1.5  # resident 1: potentiated towards intruder 0
    s.parameters["avoidance"][2, 0] = 0.8  # resident 2: defeated
    senses = ResidentSenses(male_cue=np.ones(3), identity=np.zeros(3, dtype=np.int64), within_reach=np.zeros(3, bool))
    drive = s.attack.drive(senses, s.parameters)
    assert drive[1] > drive[0] > drive[2] >= 0.0


# --- switches ------------------------------------------------------------------------------------
def test_the_ltp_block_stops_every_gain_increase_but_not_the_testosterone_pulse():
    s = make_steering(potentiation=False)
    identity0, general0, t0, _ = gains(s)
    for _ in range(6):
        end_encounter(s, won=True)
    identity1, general1, t1, _ = gains(s)
    np.testing.assert_array_equal(identity1, identity0)
    assert general1 == general0
    assert t1 > t0
    assert s.parameters["wins"][0, 0] == 6, "the counter still counts; only its effect is blocked"


def test_blocking_the_defeat_rule_keeps_the_gains_after_defeats():
    s = make_steering(defeat_rule=False)
    before = gains(s)
    end_encounter(s, defeated=True)
    after = gains(s)
    np.testing.assert_array_equal(after[0], before[0])
    assert after[1:] == before[1:]


def test_low_testosterone_residents_do_not_potentiate_and_a_supplement_restores_it():
    low = make_steering(baseline=0.35)
    end_encounter(low, won=True)
    assert gains(low)[0][0] == ResidentSteering().parameters["identity_gain"][0, 0], "no LTP below the testosterone gate"
    s = ResidentSteering(supplement=True)
    s.resize(4)
    s.draw_baseline(np.ones(4, bool), np.array([0.01, 0.1, 0.2, 0.9]))
    assert np.all(s.baseline >= NORMAL_TESTOSTERONE)
    end_encounter(s, won=True)
    assert np.all(s.parameters["identity_gain"][:, 0] > 0.5)


def test_about_a_quarter_of_the_population_is_born_with_low_testosterone():
    s = ResidentSteering()
    u = (np.arange(1000) + 0.5) / 1000
    low = s.baseline_of(u) < s.ltp_testosterone
    assert low.mean() == pytest.approx(0.25, abs=0.01)
    assert np.all(s.baseline_of(u)[~low] >= 0.8)


def test_bad_steering_constants_are_named():
    with pytest.raises(ValueError, match="ltp_rate=1.5"):
        ResidentSteering(ltp_rate=1.5)
    with pytest.raises(ValueError, match="nonresponder_fraction=-0.1"):
        ResidentSteering(nonresponder_fraction=-0.1)
    with pytest.raises(ValueError, match="threshold=0"):
        ResidentSteering(threshold=0)


# --- the reflex and the gate in the body --------------------------------------------------------------
def test_a_naive_resident_attacks_by_reflex_in_its_first_encounter():
    n = 16
    env = ResidentIntruderVectorEnv(num_envs=n, schedule=[("weak", 0)], max_episode_steps=None)
    env.reset(seed=3)
    fired = np.zeros(n, dtype=bool)
    for _ in range(env.body.encounter_steps):
        _, _, term, _, info = env.step(np.full(n, ResidentAction.INVESTIGATE))
        fired |= info["steering"]["reflex"] == "attack"
        if term.any():
            break
    assert fired.all(), "readiness crosses the threshold within the first encounter of every naive resident"
    env.close()


def test_a_learners_attack_without_readiness_is_withheld_as_a_threat_and_a_lesion_lifts_the_gate():
    env = gym.make(RESIDENT, schedule=[("weak", 0)])
    env.reset(seed=0)
    _, _, _, _, info = env.step(int(ResidentAction.ATTACK))
    assert info["executed_action"] == ResidentAction.THREAT
    assert info["steering"]["reflex"] == "withheld"
    lesioned = gym.make(RESIDENT, schedule=[("weak", 0)], reflexes=False)
    lesioned.reset(seed=0)
    _, _, _, _, info = lesioned.step(int(ResidentAction.ATTACK))
    assert info["executed_action"] == ResidentAction.ATTACK and not info["reflex_overrode"]


def test_winning_then_shortens_the_latency_of_a_scripted_investigator_and_the_block_does_not():
    """A steering unit test in the body (a scripted approach policy, not an experiment): latency falls only with the rule."""
    def latencies(**kwargs) -> np.ndarray:
        env = ResidentIntruderVectorEnv(num_envs=32, steering=ResidentSteering(**kwargs), schedule=[("weak", 0)] * 5, max_episode_steps=None)
        env.reset(seed=1)
        for _ in range(5 * env.body.encounter_steps):
            env.step(np.full(32, ResidentAction.INVESTIGATE))
        return np.median(np.where(env.body.latency < 0, 60, env.body.latency), axis=0)

    on, blocked = latencies(), latencies(potentiation=False)
    assert on[4] < 0.7 * on[0]
    assert blocked[4] >= 0.8 * blocked[0]


# --- bad input ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, match", [
    ({"schedule": [("bully", 0)]}, "bully"),
    ({"schedule": [("weak", 7)]}, "identity"),
    ({"days": -1}, "days=-1"),
    ({"days": 0}, "days=0"),
    ({"intruder_mix": (1.2, -0.1, -0.1)}, "intruder_mix"),
    ({"intruder_mix": (0.5, 0.2, 0.2)}, "intruder_mix"),
    ({"schedule": [("weak", 0)], "days": 3}, "days=3"),
    ({"encounter_steps": 0}, "encounter_steps=0"),
])
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        gym.make(RESIDENT, **kwargs)


def test_a_bad_action_leaves_the_resident_as_it_was():
    env = gym.make(RESIDENT)
    env.reset(seed=0)
    body = env.unwrapped.body
    before = (body.resident.copy(), body.intruder.copy(), body.t.copy(), env.unwrapped.steering.attack.readiness.copy())
    with pytest.raises(ValueError, match="outside"):
        env.step(len(ResidentAction))
    after = (body.resident, body.intruder, body.t, env.unwrapped.steering.attack.readiness)
    for a, b in zip(before, after):
        np.testing.assert_array_equal(a, b)


def test_the_kinds_are_the_documented_ones():
    doc = " ".join(type(gym.make(RESIDENT).unwrapped).__doc__.split())
    for kind in INTRUDER_KINDS:
        assert f'"{kind}"' in doc


# --- the experiments (small budget: a smoke run; the verdicts are at the full budget) ----------------------
@pytest.mark.parametrize("name", NAMES)
def test_experiment_runs_and_judges_with_a_removal_arm(name, tmp_path: Path):
    result = EXPERIMENTS[name].execute("small", 0, tmp_path)
    assert result.criteria and all(np.isfinite(c.measured) for c in result.criteria)
    assert result.figure and Path(result.figure).exists()
    if name != "non-responders":  # its removal arm is the supplement's absence, judged per individual
        assert any("removal arm" in c.name or "control" in c.name for c in result.criteria)
    with pytest.raises(ValueError, match="cannot scale"):
        EXPERIMENTS[name].execute("small", 0, tmp_path, {"not_a_constant": 1.1})


def test_a_lifes_first_days_do_not_depend_on_the_days_planned_after_them():
    """The experiments share arms by cutting a longer life (``Cohort.first_days``): that is only valid if this holds."""
    from brainlike.agents.experiments.resident import WEAK_A, WEAK_B, rear, run_cohort

    agent = rear("small", 0)
    long = run_cohort(agent, 4, [WEAK_A] * 3 + [WEAK_B] * 2, seed=5).first_days(3)
    short = run_cohort(agent, 4, [WEAK_A] * 3, seed=5)
    for a, b in zip((long.latency, long.attack_time, long.outcome, long.social), (short.latency, short.attack_time, short.outcome, short.social)):
        np.testing.assert_array_equal(a, b)
    assert long.latency.shape == (4, 3)


def test_two_experiment_seeds_share_no_resident():
    """Seeds are independent replicates: seed 1's cohort is not seed 0's shifted by one body."""
    from brainlike.agents.experiments.resident import WEAK_A, cohort

    b0, b1 = (cohort("small", s, {}, [WEAK_A]).baseline for s in (0, 1))
    assert not np.allclose(b0[1:], b1[:-1])
    assert not np.intersect1d(b0, b1).size

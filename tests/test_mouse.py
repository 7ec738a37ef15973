"""ForagingMouse-v0 and its Steering Subsystem: the homeostat, the looming reflex, nest memory."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest

from brainlike.steering import Homeostat, MouseSteering, RewardLesion
from brainlike.steering.mouse import EAST, NORTH, SOUTH, STAY, WEST

ID = "brainlike/ForagingMouse-v0"


# --- the homeostat (Keramati & Gutkin 2014) -----------------------------------------
def test_same_food_is_worth_more_when_hungry():
    h = Homeostat(("energy",), (1.0,))
    hungry, sated = h.reward(np.array([[0.2]]), 0.25), h.reward(np.array([[0.7]]), 0.25)
    assert hungry[0] > sated[0] > 0


def test_overshooting_the_set_point_is_punished():
    h = Homeostat(("energy",), (1.0,))
    assert h.reward(np.array([[0.95]]), 0.5)[0] < 0
    assert h.reward(np.array([[1.0]]), 0.1)[0] < 0


def test_drive_of_several_variables_and_its_zero():
    h = Homeostat(("energy", "sodium"), (1.0, 0.5), n=4, m=2)
    assert h.drive(np.array([1.0, 0.5])) == 0
    np.testing.assert_allclose(h.drive(np.array([0.0, 0.0])), (1.0 + 0.5**4) ** 0.5)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(names=(), set_points=()), "names"),
        (dict(names=("a",), set_points=(1.0, 2.0)), "set_points"),
        (dict(names=("a",), set_points=(1.0,), n=2, m=3), "n > m"),
    ],
)
def test_homeostat_rejects_bad_configuration(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Homeostat(**kwargs)


# --- the looming reflex on a newborn -------------------------------------------------
def first_loom_responses(seeds, contrast=1.0, walk_to_nest=False, **kw):
    """For each life: the reflex's first response to the first loom, and its latency in steps."""
    out = []
    for seed in seeds:
        env = gym.make(ID, predator_rate=0.03, loom_contrast=contrast, **kw)
        env.reset(seed=seed)
        body = env.unwrapped.body
        visited = False
        onset, response = None, None
        for t in range(400):
            if walk_to_nest and not visited:
                dx, dy = body.nest[0] - body.pos[0]
                action = EAST if dx > 0 else WEST if dx < 0 else SOUTH if dy > 0 else NORTH if dy < 0 else STAY
                visited = bool(body.in_nest()[0])
            else:
                action = STAY if not walk_to_nest else [NORTH, SOUTH][t % 2]
            looms_before = body.stats["looms"][0]
            _, _, term, trunc, info = env.step(action)
            if onset is None and body.stats["looms"][0] > looms_before:
                if walk_to_nest and not visited:
                    break  # the loom came before the visit: not this test's case
                onset = t
            if onset is not None and info["steering"]["reflex"] is not None:
                response = (info["steering"]["reflex"], t - onset)
                break
            if onset is not None and t - onset > body.loom_steps or term or trunc:
                break
        if onset is not None:
            out.append(response)
    return out


def test_newborn_answers_its_first_loom_without_learning():
    responses = first_loom_responses(range(40))
    assert len(responses) >= 30
    answered = [r for r in responses if r is not None]
    assert len(answered) / len(responses) >= 0.8
    # Nest never visited: the innate program is to freeze; and it starts within a few steps.
    assert all(kind == "freeze" for kind, _ in answered)
    assert np.median([lat for _, lat in answered]) <= 3


def test_after_one_visit_to_the_nest_the_mouse_flees_there():
    responses = first_loom_responses(range(60), walk_to_nest=True)
    answered = [r for r in responses if r is not None]
    assert len(answered) >= 10
    assert sum(kind == "flee" for kind, _ in answered) / len(answered) >= 0.9


def test_flight_reaches_the_nest():
    env = gym.make(ID, predator_rate=0.05, nest=(0, 0))
    env.reset(seed=5)
    body = env.unwrapped.body
    body.steering.parameters["nest"][0] = (0, 0)  # as if visited once
    fled_home = 0
    for _ in range(1500):
        _, _, term, trunc, info = env.step(EAST if body.pos[0, 0] < 8 else STAY)
        if info["steering"]["reflex"] == "flee" and body.in_nest()[0]:
            fled_home += 1
        if term or trunc:
            env.reset()
            body.steering.parameters["nest"][0] = (0, 0)
    assert fled_home >= 3


def test_escape_probability_rises_with_contrast():
    rates = []
    for c in (0.1, 0.15, 1.0):
        r = first_loom_responses(range(40), contrast=c)
        rates.append(np.mean([x is not None for x in r]))
    assert rates[0] < rates[1] < rates[2]
    assert rates[0] <= 0.2 and rates[2] >= 0.8


def test_a_slowly_sweeping_disc_gives_freezing_not_flight():
    env = gym.make(ID, predator_rate=0.0, sweep_rate=0.05, nest=(0, 0))
    env.reset(seed=1)
    body = env.unwrapped.body
    body.steering.parameters["nest"][0] = (0, 0)  # even with a known nest
    kinds = set()
    for _ in range(600):
        _, _, term, trunc, info = env.step(STAY)
        if info["steering"]["reflex"]:
            kinds.add(info["steering"]["reflex"])
        if term or trunc:
            break
    assert kinds == {"freeze"}


def test_capture_hurts_and_lethal_capture_ends_the_life():
    for lethal in (False, True):
        env = gym.make(ID, predator_rate=0.2, reflexes=False, lethal_capture=lethal, freeze_protection=0.0)
        env.reset(seed=0)
        for _ in range(300):
            _, reward, term, trunc, info = env.step(NORTH)
            if info["events"]["captured"]:
                assert info["steering"]["components"]["pain"] == -MouseSteering().pain_weight < 0
                assert term == lethal
                break
        else:
            pytest.fail("no capture in 300 steps of a slow, exposed mouse")


def test_eating_when_hungry_earns_more_than_when_sated():
    rewards = {}
    for energy in (0.3, 0.6):
        env = gym.make(ID, predator_rate=0.0, initial_energy=energy, num_food=79, arena_size=9)
        env.reset(seed=0)
        _, r, *_ , info = env.step(EAST if env.unwrapped.body.pos[0, 0] < 8 else WEST)
        assert info["events"]["food"] > 0
        rewards[energy] = info["steering"]["components"]["food"]
    assert rewards[0.3] > rewards[0.6] > 0


def test_a_life_of_homeostatic_reward_telescopes_to_the_drive_it_ends_with():
    """food + hunger summed over a life = D(H_birth) - D(H_death) (Keramati & Gutkin's drive)."""
    env = gym.make(ID, predator_rate=0.0)
    env.reset(seed=4)
    env.action_space.seed(4)  # the test must not depend on the global RNG
    h = env.unwrapped.steering.homeostat
    start = h.drive(np.array([env.unwrapped.body.energy[0]]))
    total = 0.0
    for _ in range(500):
        _, _, term, trunc, info = env.step(env.action_space.sample())
        c = info["steering"]["components"]
        total += c["food"] + c["hunger"]
        if term or trunc:
            break
    end = h.drive(np.array([env.unwrapped.body.energy[0]]))
    assert total == pytest.approx(start - end)
    assert term and total < -0.5, "a newborn wandering at random starves, and that is bad"


def test_reward_lesion_keeps_reflexes_but_pays_nothing():
    env = gym.make(ID, steering=RewardLesion(MouseSteering()), predator_rate=0.05)
    env.reset(seed=0)
    env.action_space.seed(0)
    fired = False
    for _ in range(300):
        _, reward, term, trunc, info = env.step(env.action_space.sample())
        assert reward == 0.0
        fired |= info["steering"]["reflex"] is not None
        if term or trunc:
            env.reset()
    assert fired


def test_habituation_raises_the_threshold_only_for_harmless_shadows():
    steering = MouseSteering(habituation=0.2)
    env = gym.make(ID, steering=steering, predator_rate=0.0, sweep_rate=0.05)
    steering = env.unwrapped.steering  # the env owns a copy of the steering it was given
    env.reset(seed=3)
    start = float(steering.parameters["escape_threshold"][0, 0])
    for _ in range(200):
        env.step(STAY)
    assert steering.parameters["escape_threshold"][0, 0] > start


def test_steering_reports_three_adjustable_parameters():
    assert MouseSteering().num_adjustable_parameters == 3


@pytest.mark.parametrize(
    "kwargs, names",
    [
        (dict(nest=(12, 0)), "nest"),
        (dict(predator_rate=-0.1), "predator_rate"),
        (dict(arena_size=1), "arena_size"),
        (dict(loom_contrast=(0.8, 0.2)), "loom_contrast"),
        (dict(observation_mode="pixels"), "observation_mode"),
    ],
)
def test_impossible_configuration_is_rejected_by_name(kwargs, names):
    with pytest.raises(ValueError, match=names):
        gym.make(ID, **kwargs)

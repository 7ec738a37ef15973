"""BarnOwl-v0 and its steering: the map-alignment rule, the orienting reflex, prisms, bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest

from brainlike.agents.experiments import EXPERIMENTS
from brainlike.steering import ReflexTakeover
from brainlike.envs.barn_owl import (
    AUDITORY_PREFERRED_US,
    ILD_PREFERRED_DB,
    VISUAL_ELEVATION_PREFERRED_DEG,
    VISUAL_PREFERRED_DEG,
    BarnOwlVectorEnv,
    PrismProtocol,
)
from brainlike.envs.rng import gaussian_pair
from tests import test_contract as contract
from tests.kernel_checks import float_order
from brainlike.steering.owl import (
    ILD_DB_PER_DEGREE,
    JUVENILE_REACH_DEG,
    SHIFT_CAP_DEG,
    OwlEvents,
    OwlSteering,
    direction_of_sound,
    elevation_of_ild,
    ild_of_elevation,
    plasticity,
    sound_of_direction,
    strike_reward,
)

OWL = "brainlike/BarnOwl-v0"
N_VIS = len(VISUAL_PREFERRED_DEG)
N_VIS_EL = len(VISUAL_ELEVATION_PREFERRED_DEG)
N_ITD = len(AUDITORY_PREFERRED_US)
IDLE = np.zeros(2, dtype=np.float32)


def paired_saccades(steering: OwlSteering, azimuth: np.ndarray, prism: float, age: float,
                    elevation: np.ndarray | None = None, vertical_prism: float = 0.0) -> None:
    """One orienting saccade per owl, steered by the auditory map, to a target seen through prisms.

    ``prism`` displaces the image horizontally, ``vertical_prism`` vertically.
    """
    n = len(azimuth)
    direction = np.stack([azimuth, np.zeros(n) if elevation is None else elevation], axis=1)
    sound = sound_of_direction(direction)
    turn = steering.saccade(steering.auditory_location(sound))
    image = direction + np.array([prism, vertical_prism])
    steering.evaluate(OwlEvents(
        age_days=np.full(n, age), turn_deg=turn, saccade=np.ones(n, bool), sound=sound,
        retinal_before_deg=image, retinal_after_deg=image - turn, visual_reflex=np.zeros(n, bool),
        strike=np.zeros(n, bool), strike_error_deg=np.full((n, 2), np.nan)), ReflexTakeover.none(np.zeros((n, 2))))


def make_steering(n: int, **kwargs) -> OwlSteering:
    s = OwlSteering(**kwargs)
    s.resize(n)
    return s


# --- the update rule ---------------------------------------------------------------------
def test_rule_shifts_the_auditory_map_towards_the_visual_error():
    s = make_steering(2)
    paired_saccades(s, np.array([10.0, -20.0]), prism=+8.0, age=60.0)
    right = s.parameters["auditory_azimuth_offset"][:, 0].copy()
    assert np.all(right > 0), "an image displaced to the right pulls the auditory map to the right"
    rate, _ = plasticity(np.array([60.0]))
    # A small error is fully instructive: the step is rate x error (x the near-1 gate).
    np.testing.assert_allclose(right, rate[0] * 8.0, rtol=0.05)
    s = make_steering(1)
    paired_saccades(s, np.array([5.0]), prism=-8.0, age=60.0)
    assert s.parameters["auditory_azimuth_offset"][0, 0] < 0


def test_rule_is_capped_near_20_degrees():
    s = make_steering(3)
    s.parameters["auditory_azimuth_offset"][:] = SHIFT_CAP_DEG - 0.5  # most of the way there already
    for _ in range(500):
        paired_saccades(s, np.array([0.0, 15.0, -15.0]), prism=34.0, age=60.0)
    offset = s.parameters["auditory_azimuth_offset"][:, 0]
    np.testing.assert_allclose(offset, SHIFT_CAP_DEG)  # it got there, and not past it


def test_the_elevation_rule_has_the_same_sign_and_cap():
    s = make_steering(2)
    paired_saccades(s, np.array([0.0, 10.0]), prism=0.0, age=60.0, elevation=np.array([5.0, -10.0]), vertical_prism=6.0)
    up = s.parameters["auditory_elevation_offset"][:, 0].copy()
    rate, _ = plasticity(np.array([60.0]))
    np.testing.assert_allclose(up, rate[0] * 6.0, rtol=0.05)  # an image displaced upwards pulls the map up
    np.testing.assert_allclose(s.parameters["auditory_azimuth_offset"], 0.0, atol=1e-9, err_msg="no horizontal error, no horizontal step")
    down = make_steering(1)
    paired_saccades(down, np.array([0.0]), prism=0.0, age=60.0, elevation=np.array([0.0]), vertical_prism=-6.0)
    assert down.parameters["auditory_elevation_offset"][0, 0] < 0
    capped = make_steering(1)
    capped.parameters["auditory_elevation_offset"][:] = SHIFT_CAP_DEG - 0.5
    for _ in range(500):
        paired_saccades(capped, np.array([0.0]), prism=0.0, age=60.0, elevation=np.array([0.0]), vertical_prism=34.0)
    assert capped.parameters["auditory_elevation_offset"][0, 0] == pytest.approx(SHIFT_CAP_DEG)


def test_horizontal_prisms_leave_the_elevation_map_where_it_is():
    s = make_steering(3)
    for _ in range(300):
        paired_saccades(s, np.array([0.0, 20.0, -20.0]), prism=23.0, age=60.0, elevation=np.array([15.0, -10.0, 0.0]))
    p = s.parameters
    assert np.all(p["auditory_azimuth_offset"][:, 0] > 3.0), "the azimuth map moves"
    np.testing.assert_allclose(p["auditory_elevation_offset"], 0.0, atol=1e-9)
    np.testing.assert_allclose(p["auditory_elevation_gain"], 1.0, atol=1e-9)


def test_eight_innate_numbers_counted_and_named():
    s = OwlSteering()
    names = tuple(s.parameters)
    assert s.num_adjustable_parameters == 8 and len(names) == 8
    for map_name in ("auditory", "saccade"):
        for dimension in ("azimuth", "elevation"):
            for kind in ("offset", "gain"):
                assert f"{map_name}_{dimension}_{kind}" in names
    assert "8 adjustable parameters" in s.describe()


def test_a_seen_only_saccade_calibrates_the_saccade_map_in_both_dimensions():
    s = make_steering(1)
    n = 1
    before = np.array([[10.0, -8.0]])
    after = np.array([[1.5, -1.0]])  # the visual reflex undershot: right and down are left over
    s.evaluate(OwlEvents(
        age_days=np.full(n, 60.0), turn_deg=before - after, saccade=np.ones(n, bool), sound=np.full((n, 2), np.nan),
        retinal_before_deg=before, retinal_after_deg=after, visual_reflex=np.ones(n, bool),
        strike=np.zeros(n, bool), strike_error_deg=np.full((n, 2), np.nan)), ReflexTakeover.none(np.zeros((n, 2))))
    p = s.parameters
    assert p["saccade_azimuth_offset"][0, 0] > 0 and p["saccade_elevation_offset"][0, 0] < 0
    assert p["saccade_azimuth_gain"][0, 0] > 1 and p["saccade_elevation_gain"][0, 0] > 1  # both undershot: gains grow
    assert np.all(p["auditory_azimuth_offset"] == 0.0), "nothing heard: the auditory map is not instructed"


def test_rule_is_slower_and_narrower_in_adults():
    (rate_j, rate_a), (reach_j, reach_a) = plasticity(np.array([60.0, 400.0]))
    assert rate_a < rate_j and reach_a < reach_j
    assert reach_j == pytest.approx(JUVENILE_REACH_DEG, rel=0.01)
    juvenile, adult = make_steering(1), make_steering(1)
    for _ in range(200):
        paired_saccades(juvenile, np.array([0.0]), prism=23.0, age=60.0)
        paired_saccades(adult, np.array([0.0]), prism=23.0, age=400.0)
    assert adult.parameters["auditory_azimuth_offset"][0, 0] < 0.05 * juvenile.parameters["auditory_azimuth_offset"][0, 0]


def test_rule_constants_are_arguments_scaled_for_a_band_and_checked():
    narrow, wide = make_steering(1, adult_reach_deg=5.0), make_steering(1, adult_reach_deg=12.0)
    for _ in range(300):
        paired_saccades(narrow, np.array([0.0]), prism=15.0, age=400.0)
        paired_saccades(wide, np.array([0.0]), prism=15.0, age=400.0)
    assert wide.parameters["auditory_azimuth_offset"][0, 0] > 3 * narrow.parameters["auditory_azimuth_offset"][0, 0] > 0
    capped = make_steering(1, shift_cap_deg=5.0)
    for _ in range(2000):
        paired_saccades(capped, np.array([0.0]), prism=23.0, age=60.0)
    assert capped.parameters["auditory_azimuth_offset"][0, 0] == pytest.approx(5.0)
    with pytest.raises(ValueError, match="adult_rate"):
        OwlSteering(adult_rate=0.0)


def test_frozen_rule_never_moves():
    s = make_steering(1, plastic=False)
    for _ in range(100):
        paired_saccades(s, np.array([10.0]), prism=23.0, age=60.0)
    assert s.parameters["auditory_azimuth_offset"][0, 0] == 0.0 and s.parameters["auditory_azimuth_gain"][0, 0] == 1.0


def test_topographic_rule_moves_only_the_bins_near_the_error_and_not_lesioned_ones():
    s = make_steering(1, topographic_bins=7, lesioned_bins=(6,))  # bins at -90, -60, ..., 90
    for _ in range(500):
        paired_saccades(s, np.array([-60.0]), prism=10.0, age=60.0)
        paired_saccades(s, np.array([90.0]), prism=10.0, age=60.0)
    offset = s.parameters["auditory_azimuth_offset"][0]
    assert offset[1] > 1.0, "the bin where errors arrive moves"
    assert abs(offset[4]) < 0.01 * offset[1], "a far bin does not"
    assert offset[6] == 0.0, "a lesioned bin gets no instructive signal"
    assert s.num_adjustable_parameters == 7 + 7


def test_blind_owls_maps_do_not_change():
    env = BarnOwlVectorEnv(num_envs=4, vision="blind", prisms=23.0, max_episode_steps=None)
    env.reset(seed=0)
    saccades = 0
    for _ in range(600):
        _, _, _, _, info = env.step(np.zeros((4, 2), np.float32))
        saccades += int(info["owl"]["saccade"].sum())
        assert np.all(np.isnan(env.body.retinal)), "a blind owl sees nothing"
    assert saccades > 0
    p = env.steering.parameters
    assert np.all(p.values == OwlSteering().parameters.values), "no number of either map moved"


def test_sighted_owls_maps_do_change_under_prisms():
    """The counterpart of the blind test: the same owls with vision realign."""
    env = BarnOwlVectorEnv(num_envs=4, prisms=23.0, max_episode_steps=None)
    env.reset(seed=0)
    for _ in range(600):
        env.step(np.zeros((4, 2), np.float32))
    assert np.all(env.steering.auditory_shift()[:, 0] > 1.0)


# --- the orienting reflex ------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(5))
def test_reflex_orients_a_newborn_to_its_first_stimulus(seed):
    env = gym.make("brainlike/BarnOwl-v0", trial_mix=(0.0, 1.0, 0.0))  # heard only: the map alone steers
    env.reset(seed=seed)
    target = env.unwrapped.body.target[0].copy()
    _, _, _, _, info = env.step(IDLE)
    assert info["steering"]["reflex"] == "orient" and info["reflex_overrode"]
    assert info["owl"]["saccade"]
    assert abs(info["executed_action"][0]) > 0.0
    # The innate maps are in register: the saccade lands near the target (ITD and motor noise only).
    assert np.hypot(*info["owl"]["orient_error_deg"]) < 8.0, (target, info["owl"])


def test_a_learner_that_acts_is_not_overridden():
    env = gym.make("brainlike/BarnOwl-v0")
    env.reset(seed=0)
    action = np.array([0.0, 0.5], np.float32)  # a pitch alone is acting
    _, _, _, _, info = env.step(action)
    assert info["steering"]["reflex"] is None and not info["reflex_overrode"]
    np.testing.assert_array_equal(info["executed_action"], action)


def test_a_strike_within_the_acuity_is_rewarded():
    env = gym.make("brainlike/BarnOwl-v0", trial_mix=(1.0, 0.0, 0.0))
    env.reset(seed=1)
    catches = 0
    # 200 trials: orient, then the corrective reflex centres the seen target. With noise in
    # azimuth and elevation a strike misses more often than in azimuth alone (about 0.85 catch).
    for _ in range(400):
        _, reward, _, _, info = env.step(IDLE)
        if not info["owl"]["saccade"]:
            caught = np.hypot(*info["owl"]["strike_error_deg"]) <= 4.0
            assert (info["steering"]["components"]["catch"] == 1.0) == caught
            catches += caught
    assert catches >= 160


# --- the cheaper libm calls, bounded -------------------------------------------------------
def test_the_noise_is_the_textbook_box_muller_within_a_few_ulps_of_its_radius():
    """``gaussian_pair`` takes ``log(1 - u)`` where the textbook takes ``log1p(-u)`` (on the counter RNG's grid
    of multiples of 2**-53, ``1 - u`` is exact and the logs are neighbours at worst), and the angle as
    quadrant plus a reduced angle where it takes ``2 pi u`` whole. Each normal lies within 1e-15 of the radius
    of the textbook's (measured: 7.6e-16), and exactly on an axis at a quarter turn (where the textbook's
    ``cos(pi / 2)`` is 6e-17); about half of them differ in some last bit (measured 0.55)."""
    rng = np.random.default_rng(0)
    u1 = np.concatenate([[2.0**-53, 0.5, 1.0 - 2.0**-53, 0.3, 0.3], rng.integers(1, 2**53, 100_000) * 2.0**-53])
    u2 = np.concatenate([[0.25, 0.5, 0.75, 0.125, 1.0 - 2.0**-53], rng.integers(0, 2**53, 100_000) * 2.0**-53])
    got = np.array([gaussian_pair(a, b) for a, b in zip(u1, u2)])
    radius = np.array([math.sqrt(-2.0 * math.log1p(-a)) for a in u1])
    textbook = np.stack([radius * np.cos(2.0 * np.pi * u2), radius * np.sin(2.0 * np.pi * u2)], axis=1)
    error = np.abs(got - textbook) / radius[:, None]
    assert error.max() < 1e-15, f"{error.max()} of the radius at u = {(u1[error.max(axis=1).argmax()], u2[error.max(axis=1).argmax()])}"
    assert 0.3 < np.mean(error > 0) < 0.8  # measured 0.55: the rewrite is seen
    # A quarter, a half and three quarters of a turn: on an axis, exactly.
    np.testing.assert_array_equal(got[:3], [[0.0, radius[0]], [-radius[1], 0.0], [0.0, -radius[2]]])


def test_the_effort_takes_a_square_root_within_three_ulps_of_the_hypot():
    """``strike_reward``'s angle turned is ``sqrt(a*a + b*b)`` where it was ``np.hypot``: within one ULP of
    it (17% of angles differ), and the effort, two roundings later, within three (13% differ, measured)."""
    rng = np.random.default_rng(1)
    turns = rng.uniform(-200.0, 200.0, (100_000, 2))
    turns[:10_000] *= rng.uniform(0.0, 1e-3, (10_000, 1))  # small turns too (a learner's idle ones)
    turns[:4] = [[0.0, 0.0], [0.0, -3.0], [90.0, 90.0], [-1e-20, 1e-20]]  # a turn of pure noise is never smaller
    no_strike = np.full(2, np.nan)
    got = np.array([strike_reward(t, False, no_strike)[1] for t in turns])
    reference = -0.02 * np.hypot(turns[:, 0], turns[:, 1]) / 90.0
    ulps = np.abs(float_order(got) - float_order(reference))
    assert ulps.max() <= 3 and 0.05 < np.mean(ulps > 0) < 0.25  # measured 3 and 0.128
    angle_ulps = np.abs(float_order(np.sqrt(turns[:, 0] ** 2 + turns[:, 1] ** 2)) - float_order(np.hypot(turns[:, 0], turns[:, 1])))
    assert angle_ulps.max() <= 1
    np.testing.assert_array_equal(got[:3], reference[:3])  # none, a turn in one dimension, a square: exact


# --- prisms and the senses -------------------------------------------------------------------
def test_prisms_shift_the_visual_azimuth_code_and_not_the_elevation_code_nor_the_auditory_one():
    plain = gym.make("brainlike/BarnOwl-v0", trial_mix=(1.0, 0.0, 0.0))
    prism = gym.make("brainlike/BarnOwl-v0", trial_mix=(1.0, 0.0, 0.0), prisms=20.0)
    layout = plain.unwrapped.layout
    moved = 0
    for seed in range(5):
        a, _ = plain.reset(seed=seed)
        b, _ = prism.reset(seed=seed)
        for name in ("visual_elevation", "auditory_itd", "auditory_ild"):
            assert layout.read(a, name).max() > 0.3, name  # there is a code to compare
            np.testing.assert_array_equal(layout.read(a, name), layout.read(b, name), err_msg=name)
        va, vb = layout.read(a, "visual_azimuth"), layout.read(b, "visual_azimuth")
        peak_a, peak_b = VISUAL_PREFERRED_DEG[np.argmax(va)], VISUAL_PREFERRED_DEG[np.argmax(vb)]
        if abs(peak_a) < 60:
            assert peak_b - peak_a == pytest.approx(20.0, abs=5.0)  # the image moved by the displacement
            moved += 1
    assert moved > 0


def test_vertical_prisms_shift_only_the_visual_elevation_code():
    plain = gym.make("brainlike/BarnOwl-v0", trial_mix=(1.0, 0.0, 0.0))
    prism = gym.make("brainlike/BarnOwl-v0", trial_mix=(1.0, 0.0, 0.0), vertical_prisms=-15.0)
    layout = plain.unwrapped.layout
    for seed in range(5):
        a, _ = plain.reset(seed=seed)
        b, _ = prism.reset(seed=seed)
        for name in ("visual_azimuth", "auditory_itd", "auditory_ild"):
            np.testing.assert_array_equal(layout.read(a, name), layout.read(b, name), err_msg=name)
        peak_a = VISUAL_ELEVATION_PREFERRED_DEG[np.argmax(layout.read(a, "visual_elevation"))]
        peak_b = VISUAL_ELEVATION_PREFERRED_DEG[np.argmax(layout.read(b, "visual_elevation"))]
        assert peak_b - peak_a == pytest.approx(-15.0, abs=5.0)


def test_the_ild_population_codes_elevation_by_the_named_geometry():
    env = gym.make("brainlike/BarnOwl-v0", trial_mix=(0.0, 1.0, 0.0))
    layout = env.unwrapped.layout
    for seed in range(5):
        obs, _ = env.reset(seed=seed)
        elevation = float(env.unwrapped.body.target[0, 1])
        peak = ILD_PREFERRED_DB[np.argmax(layout.read(obs, "auditory_ild"))]
        # Near the horizon, ILD is ILD_DB_PER_DEGREE per degree (noise 0.6 dB; units 1.4 dB apart).
        assert peak == pytest.approx(ILD_DB_PER_DEGREE * elevation, abs=0.1 * abs(elevation) + 2.5)
    np.testing.assert_allclose(elevation_of_ild(ild_of_elevation(np.array([-30.0, 0.0, 25.0]))), [-30.0, 0.0, 25.0])
    d = np.array([[10.0, -20.0], [-45.0, 5.0]])
    np.testing.assert_allclose(direction_of_sound(sound_of_direction(d)), d)


def test_observation_never_holds_the_true_azimuth_but_codes_it():
    env = gym.make("brainlike/BarnOwl-v0")
    obs, _ = env.reset(seed=3)
    assert obs["exteroception"].shape == (N_VIS + N_VIS_EL + N_ITD + len(ILD_PREFERRED_DB) + 1,)
    assert obs["interoception"].shape == (2,)
    target = env.unwrapped.body.target[0]
    assert not any(np.any(np.isclose(part, t)) for part in obs.values() for t in target if abs(t) > 1e-3)


def test_protocol_steps_the_prisms_with_age():
    env = BarnOwlVectorEnv(num_envs=1, age_days=400.0, trials_per_day=10, prisms=6.0,
                           prism_protocol=((401.0, 11.0), (402.0, 0.0)), max_episode_steps=None)
    env.reset(seed=0)
    seen = []
    for _ in range(3 * 2 * 10):
        _, _, _, _, info = env.step(np.zeros((1, 2), np.float32))
        seen.append((float(info["owl"]["age_days"][0]), float(info["owl"]["prism_deg"][0])))
    assert seen[0] == (400.0, 6.0)
    assert dict(seen)[401.0] == 11.0 and dict(seen)[402.0] == 0.0
    assert env.body.age()[0] == pytest.approx(403.0)


@pytest.mark.parametrize("check", ["test_the_layout_names_every_observation_and_action_dimension",
                                   "test_docstring_observation_tables_match_the_layout",
                                   "test_the_core_draws_once_per_step_for_every_body_whatever_happens",
                                   "test_a_new_life_returns_every_declared_array_to_birth"])
def test_the_contract_checks_every_listed_body_passes(check):
    getattr(contract, check)(OWL)


def test_the_layout_reads_the_owls_channels_by_name():
    env = gym.make(OWL, trial_mix=(0.0, 1.0, 0.0))
    obs, _ = env.reset(seed=0)
    layout = env.unwrapped.layout
    assert layout.read(obs, "onset") == 1.0 and layout.read(obs, "visual_azimuth").max() == 0.0  # heard, not seen
    assert layout.read(obs, "visual_elevation").max() == 0.0
    assert layout.read(obs, "auditory_itd").max() > 0.5 and layout.read(obs, "auditory_ild").max() > 0.5
    assert layout.actions == ("head_turn", "head_pitch")


# --- bad input -------------------------------------------------------------------------------
@pytest.mark.parametrize(("kwargs", "named"), [
    ({"prisms": 55.0}, "prisms=55.0"),
    ({"prisms": float("nan")}, "prisms=nan"),
    ({"prism_protocol": ((100.0, 45.0),)}, "45.0"),
    ({"prism_protocol": ((100.0, 0.0),)}, "never put on"),
    ({"prisms": 23.0, "prism_protocol": ((100.0, 0.0), (120.0, 0.0))}, "never put on"),
    ({"prism_protocol": ((-5.0, 10.0),)}, "-5.0"),
    ({"prism_protocol": ((100.0, 10.0), (90.0, 0.0))}, "90.0"),
    ({"prism_protocol": (5.0,)}, "prism_protocol"),
    ({"age_days": -1.0}, "age_days=-1.0"),
    ({"trials_per_day": -3}, "trials_per_day=-3"),
    ({"trials_per_day": 0}, "trials_per_day=0"),
    ({"trials_per_day": 2.5}, "trials_per_day=2.5"),
    ({"vision": "dim"}, "vision='dim'"),
    ({"trial_mix": (0.5, 0.5, 0.5)}, "trial_mix"),
    ({"vertical_prisms": 41.0}, "vertical_prisms=41.0"),
    ({"vertical_prisms": float("inf")}, "vertical_prisms=inf"),
])
def test_bad_input_is_named(kwargs, named):
    with pytest.raises(ValueError, match=named.replace("(", r"\(").replace(")", r"\)")):
        gym.make("brainlike/BarnOwl-v0", **kwargs)


def test_bad_steering_arguments_are_named():
    with pytest.raises(ValueError, match="topographic_bins=0"):
        OwlSteering(topographic_bins=0)
    with pytest.raises(ValueError, match="lesioned_bins"):
        OwlSteering(topographic_bins=3, lesioned_bins=(3,))


def test_protocol_reads_the_displacement_at_each_age():
    p = PrismProtocol.build(0.0, ((10.0, 23.0), (20.0, 0.0)))
    np.testing.assert_array_equal(p.at(np.array([0.0, 9.99, 10.0, 15.0, 20.0, 99.0])), [0, 0, 23, 23, 0, 0])


# --- the experiments (smoke: the verdict is at the full budget) -----------------------------
def test_owl_experiment_runs_at_small_budget(tmp_path: Path) -> None:
    result = EXPERIMENTS["prism-blind"].run("small", 0, tmp_path)
    assert result.criteria and all(isinstance(c.passed, bool) for c in result.criteria)
    json.dumps(result.to_json())
    assert result.figure is not None and Path(result.figure).stat().st_size > 0


def test_owl_experiments_scale_only_constants_the_steering_takes():
    from brainlike.agents.experiments.base import steering_with
    from brainlike.agents.experiments.owl import EXPERIMENTS

    for exp in EXPERIMENTS:
        assert exp.sensitivity, exp.name
        scaled = steering_with(OwlSteering, {name: 1.2 for name in exp.sensitivity})
        assert scaled.rule["adult_reach_deg"] == pytest.approx(1.2 * OwlSteering().rule["adult_reach_deg"])
        assert scaled.shift_cap_deg == pytest.approx(1.2 * OwlSteering().shift_cap_deg)

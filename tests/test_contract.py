"""The seam between body and steering, and the env defects found by hostile use.

Each defect test names the defect of issue 18 it keeps fixed; each failed before its fix.
"""

from __future__ import annotations

import math
import pickle

import gymnasium as gym
import numpy as np
import pytest

from brainlike.envs.core import Layout
from brainlike.steering import MouseSteering, RatSteering, RewardLesion, SongbirdSteering
from tests.golden import CASES, assert_as_recorded, run_vector

MOUSE, RAT, BIRD = "brainlike/ForagingMouse-v0", "brainlike/SaltRat-v0", "brainlike/SongbirdTutor-v0"


# --- the same numbers as before the refactor ------------------------------------------
@pytest.mark.parametrize("name, env_id, kwargs", CASES, ids=[c[0] for c in CASES])
def test_golden_trajectory_is_bit_identical(name, env_id, kwargs):
    assert_as_recorded(name, run_vector(env_id, kwargs))


# --- defect 1: each env owns its steering -----------------------------------------------
def _trajectory(env: gym.Env, steps: int = 120) -> list[float]:
    env.action_space.seed(0)
    env.reset(seed=0)
    rewards = []
    for _ in range(steps):
        _, r, term, trunc, _ = env.step(env.action_space.sample())
        rewards.append(r)
        if term or trunc:
            env.reset()
    return rewards


@pytest.mark.parametrize("env_id, make_steering", [
    (MOUSE, lambda: RewardLesion(MouseSteering(habituation=0.3))),
    (RAT, RatSteering),
    (BIRD, SongbirdSteering),
])
def test_two_envs_built_from_one_steering_object_do_not_interact(env_id, make_steering):
    shared = make_steering()
    a, b = gym.make(env_id, steering=shared), gym.make(env_id, steering=shared)
    assert a.unwrapped.steering is not b.unwrapped.steering
    a.reset(seed=1)
    b.reset(seed=2)  # interleaved: a shared steering would see both lives
    alone = _trajectory(gym.make(env_id, steering=make_steering()))
    assert _trajectory(a) == alone


def test_sync_vector_env_with_one_steering_object_matches_single_envs():
    shared = MouseSteering(habituation=0.5)
    vec = gym.make_vec(MOUSE, num_envs=2, vectorization_mode="sync", steering=shared, predator_rate=0.05)
    assert vec.envs[0].unwrapped.steering is not vec.envs[1].unwrapped.steering
    vec.reset(seed=0)
    single = gym.make(MOUSE, steering=MouseSteering(habituation=0.5), predator_rate=0.05)
    single.reset(seed=1)
    for t in range(150):
        obs, r, term, trunc, _ = vec.step(np.array([t % 5, (t * 3) % 5]))
        s_obs, s_r, s_term, s_trunc, _ = single.step((t * 3) % 5)
        assert r[1] == s_r
        np.testing.assert_array_equal(obs["exteroception"][1], s_obs["exteroception"])
        if s_term or s_trunc:
            break


# --- defect 2: the caller's action array is never kept or written ----------------------
@pytest.mark.parametrize("env_id", [MOUSE, RAT])
def test_the_callers_action_array_is_neither_mutated_nor_aliased(env_id):
    env = gym.make(env_id)
    env.reset(seed=0)
    east = np.array(2)
    _, _, _, _, info = env.step(east)
    executed = info["executed_action"]
    env.reset()
    assert int(east) == 2
    assert not np.shares_memory(executed, east)
    assert int(executed) == int(info["executed_action"])  # a reset does not rewrite a returned info
    vec = gym.make_vec(env_id, num_envs=3, vectorization_mode="vector_entry_point")
    vec.reset(seed=0)
    actions = np.array([2, 1, 2])
    _, _, _, _, info = vec.step(actions)
    before = info["executed_action"].copy()
    vec.reset()
    np.testing.assert_array_equal(actions, [2, 1, 2])
    np.testing.assert_array_equal(info["executed_action"], before)


# --- defect 7: vector reset(seed=[None] * N) continues each body's stream -----------------
@pytest.mark.parametrize("env_id", [MOUSE, BIRD])
def test_vector_reset_with_none_seeds_continues_each_stream(env_id):
    def run(env, seed, reset_arg):
        env.reset(seed=seed)
        first, _ = env.reset(**reset_arg)
        env.action_space.seed(0)
        # The first observation and a few steps (the songbird's tutor is heard only once he sings).
        return [first] + [env.step(env.action_space.sample())[0] for _ in range(6)]

    def vector():
        return run(gym.make_vec(env_id, num_envs=3, vectorization_mode="vector_entry_point"), 5, {"seed": [None, None, None]})

    a, b = vector(), vector()
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x["exteroception"], y["exteroception"])
    # And body 1 starts what a single env seeded 6 starts after an unseeded reset: its next life.
    single = gym.make(env_id)
    single.reset(seed=6)
    np.testing.assert_array_equal(a[0]["exteroception"][1], single.reset()[0]["exteroception"])


def test_vector_reset_mixing_seeds_and_none():
    vec = gym.make_vec(MOUSE, num_envs=2, vectorization_mode="vector_entry_point")
    vec.reset(seed=0)
    obs, _ = vec.reset(seed=[None, 9])
    single = gym.make(MOUSE)
    np.testing.assert_array_equal(obs["exteroception"][1], single.reset(seed=9)[0]["exteroception"])
    single.reset(seed=0)
    np.testing.assert_array_equal(obs["exteroception"][0], single.reset()[0]["exteroception"])


# --- defect 8: a step that terminates at the time limit ---------------------------------
def test_vector_says_what_single_says_when_termination_meets_the_time_limit():
    # The rat's protocol ends at step 11 * 2 = 22: set the time limit there too.
    protocol = [{"kind": "pavlovian", "trials": 2}]
    single = gym.make(RAT, protocol=protocol, max_episode_steps=22)
    single.reset(seed=0)
    vec = gym.make_vec(RAT, num_envs=2, vectorization_mode="vector_entry_point", protocol=protocol, max_episode_steps=22)
    vec.reset(seed=0)
    for _ in range(22):
        _, _, term, trunc, _ = single.step(0)
        _, _, vterm, vtrunc, _ = vec.step(np.zeros(2, dtype=np.int64))
    assert term and trunc
    assert vterm[0] == term and vtrunc[0] == trunc


# --- defect 9: an ended protocol stays terminated --------------------------------------
def test_salt_rat_whose_protocol_has_ended_stays_terminated():
    env = gym.make(RAT, protocol=[{"kind": "home", "steps": 3}], disable_env_checker=True).unwrapped
    env.reset(seed=0)
    flags = [env.step(0)[2] for _ in range(5)]
    assert flags == [False, False, True, True, True]


# --- defect 10: bad constructor values --------------------------------------------------
@pytest.mark.parametrize("env_id, kwargs, named", [
    (MOUSE, {"max_episode_steps": math.nan}, "max_episode_steps"),
    (MOUSE, {"max_episode_steps": 2.5}, "max_episode_steps"),
    (MOUSE, {"max_episode_steps": True}, "max_episode_steps"),
    (MOUSE, {"arena_size": 9.5}, "arena_size"),
    (MOUSE, {"num_food": 2.5}, "num_food"),
    (MOUSE, {"reflexes": "False"}, "reflexes"),
    (RAT, {"reflexes": 0}, "reflexes"),
    (MOUSE, {"observation_mode": "pixels"}, "observation_mode"),
    (MOUSE, {"steering": RatSteering()}, "MouseSteering"),
    (RAT, {"steering": RewardLesion(MouseSteering())}, "RatSteering"),
    (BIRD, {"steering": MouseSteering()}, "SongbirdSteering"),
    (RAT, {"iti_steps": 2.5}, "iti_steps"),
])
def test_bad_constructor_values_are_rejected_by_name(env_id, kwargs, named):
    with pytest.raises((ValueError, TypeError), match=named):
        gym.make_vec(env_id, num_envs=2, vectorization_mode="vector_entry_point", **kwargs)


# --- defect 11: complex actions ---------------------------------------------------------
def test_complex_songbird_actions_are_rejected():
    env = gym.make(BIRD)
    env.reset(seed=0)
    with pytest.raises(ValueError, match="complex|real"):
        env.step(np.array([0.1 + 0.5j, 0, 0, 0]))


# --- defect 14: vector render before reset ----------------------------------------------
def test_vector_render_before_reset_raises():
    vec = gym.make_vec(MOUSE, num_envs=2, vectorization_mode="vector_entry_point", render_mode="rgb_array")
    with pytest.raises(RuntimeError, match="reset"):
        vec.render()


# --- the steering wrapper delegates live --------------------------------------------------
def test_a_lesioned_songbird_with_six_syllables_reports_the_right_parameter_shapes():
    env = gym.make(BIRD, num_syllables=6, steering=RewardLesion(SongbirdSteering()))
    steering = env.unwrapped.steering
    assert steering.num_adjustable_parameters == 6
    assert steering.parameters["expectation"].shape == (1, 6)
    assert steering.parameters is steering.intact.parameters
    env.reset(seed=0)
    for _ in range(30):
        _, r, _, _, info = env.step(env.action_space.sample())
        assert r == 0.0
    assert np.any(steering.parameters["expectation"] != 0)  # the intact module still learns its expectations


def test_steering_wrapper_pickles():
    env = gym.make(MOUSE, steering=RewardLesion(MouseSteering()))
    env.reset(seed=0)
    clone = pickle.loads(pickle.dumps(env))
    assert clone.unwrapped.steering.num_adjustable_parameters == 3


# --- named layouts ----------------------------------------------------------------------
@pytest.mark.parametrize("env_id", [MOUSE, RAT, BIRD])
def test_the_layout_names_every_observation_and_action_dimension(env_id):
    env = gym.make(env_id)
    layout = env.unwrapped.layout
    assert isinstance(layout, Layout)
    space = env.observation_space
    assert layout.widths() == (space["exteroception"].shape[0], space["interoception"].shape[0])
    flat_env = gym.make(env_id.replace("-v0", "Flat-v0"))
    assert len(flat_env.unwrapped.layout.flat) == flat_env.observation_space.shape[0]
    assert len(set(layout.flat)) == len(layout.flat), "channel names must be unique"
    assert len(layout.actions) == (env.action_space.n if hasattr(env.action_space, "n") else env.action_space.shape[0])
    # A by-name read of a flat observation is the same number as of a dict one.
    env.reset(seed=0)
    flat_env.reset(seed=0)
    obs, _, _, _, _ = env.step(env.action_space.sample() * 0)
    flat_obs, _, _, _, _ = flat_env.step(flat_env.action_space.sample() * 0)
    for name in layout.names():
        np.testing.assert_array_equal(layout.read(obs, name), flat_env.unwrapped.layout.read(flat_obs, name))


def test_layout_reads_by_name():
    env = gym.make(RAT)
    obs, _ = env.reset(seed=0)
    layout = env.unwrapped.layout
    assert layout.index("distance") == 3
    assert obs["exteroception"][layout.index("distance")] == 1.0  # the rat starts at the back
    with pytest.raises(KeyError, match="distance"):
        layout.index("no_such_channel")
    bird = gym.make(BIRD, num_syllables=6).unwrapped.layout
    assert bird.slice("song_clock") == slice(0, 6)


@pytest.mark.parametrize("env_id", [MOUSE, RAT, BIRD])
def test_docstring_observation_tables_match_the_layout(env_id):
    env = gym.make(env_id).unwrapped
    doc = type(env).__doc__
    for name in env.layout.names():
        assert f"``{name}``" in doc, f"{name} is not in {type(env).__name__}'s observation table"



# --- the template: randomness and state are the core's ---------------------------------
@pytest.mark.parametrize("env_id", [MOUSE, RAT, BIRD])
def test_the_core_draws_once_per_step_for_every_body_whatever_happens(env_id):
    vec = gym.make_vec(env_id, num_envs=3, vectorization_mode="vector_entry_point")
    vec.reset(seed=0)
    counter = vec.unwrapped.body._rng.counter
    start = counter.copy()
    vec.action_space.seed(0)
    for _ in range(25):  # short of any life's end: no autoreset reseeds a stream
        vec.step(vec.action_space.sample())
    np.testing.assert_array_equal(counter, start + 25)


@pytest.mark.parametrize("env_id", [MOUSE, RAT, BIRD])
def test_a_new_life_returns_every_declared_array_to_birth(env_id):
    lived, fresh = gym.make(env_id).unwrapped, gym.make(env_id).unwrapped
    lived.reset(seed=1)
    lived.action_space.seed(1)
    for _ in range(60):
        lived.step(lived.action_space.sample())
    lived.reset(seed=5)
    fresh.reset(seed=5)
    for name in lived.body.state_table():
        a, b = getattr(lived.body, name), getattr(fresh.body, name)
        for key in (a if isinstance(a, dict) else {None: a}):
            np.testing.assert_array_equal(a if key is None else a[key], b if key is None else b[key], err_msg=f"{name} {key or ''}")


def test_a_new_life_for_some_bodies_returns_exactly_their_rows_to_birth():
    """The resident keeps daily records outside its state records (``unpacked``) and innate parameters
    that move: a new life for rows 2 and 5 puts those rows back to birth, whole, and leaves the others."""
    vec = gym.make_vec("brainlike/ResidentIntruder-v0", num_envs=8, vectorization_mode="vector_entry_point")
    vec.reset(seed=3)
    vec.action_space.seed(3)
    for _ in range(200):  # long enough for attacks, records and moved parameters
        vec.step(vec.action_space.sample())
    body = vec.unwrapped.body
    params = body.steering.parameters
    params.values[:] = np.arange(params.values.size, dtype=np.float64).reshape(params.values.shape)  # every row moved
    before = {name: body.unpacked_state[name].copy() for name in body.unpacked}
    records, values = body.state.copy(), params.values.copy()
    rows = np.array([2, 5])
    others = np.setdiff1d(np.arange(8), rows)
    body._return_to_birth(rows)
    params.reset(rows)
    for name in body.unpacked:
        birth = body._state[name].birth
        np.testing.assert_array_equal(body.unpacked_state[name][rows], np.full(before[name][rows].shape, birth), err_msg=name)
        np.testing.assert_array_equal(body.unpacked_state[name][others], before[name][others], err_msg=name)
        assert (before[name][rows] != birth).any() or name == "gains", f"{name}: the test must move it first"
    assert (body.state[rows] == np.full(2, body._birth)).all() and (body.state[others] == records[others]).all()
    np.testing.assert_array_equal(params.values[rows], np.tile(params._innate_row, (2, 1)))
    np.testing.assert_array_equal(params.values[others], values[others])
    params.reset(np.arange(8) == 7)  # a mask, as Steering.reset may pass
    np.testing.assert_array_equal(params.values[7], params._innate_row)
    np.testing.assert_array_equal(params.values[others[:-1]], values[others[:-1]])


def test_row_items_share_memory_and_take_empty_rows_but_not_strided_ones():
    from brainlike.steering.parameters import row_items

    a = np.zeros((4, 3))
    items = row_items(a)
    items[[1, 3]] = row_items(np.array([[1.0, 2.0, 3.0]]))[0]
    np.testing.assert_array_equal(a, [[0, 0, 0], [1, 2, 3], [0, 0, 0], [1, 2, 3]])
    empty = np.zeros((4, 0))
    row_items(empty)[[0, 2]] = row_items(np.zeros((1, 0)))[0]
    with pytest.raises(ValueError, match="C-contiguous"):
        row_items(np.zeros((4, 6))[:, ::2])

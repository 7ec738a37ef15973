"""The compiled steps: the same source uncompiled gives the same numbers; caching may fail safely.

A compiled body's kernel run with ``NUMBA_DISABLE_JIT=1`` is plain Python over
the same records: it is the reference the compiled code must equal, bit for bit.
"""

from __future__ import annotations

import copy
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np
import pytest

from brainlike.steering import MouseSteering, RewardLesion, SongbirdSteering
from brainlike.steering.base import ReflexTakeover
from brainlike.steering.mouse import ESCAPE_THRESHOLD, NEST_X, NEST_Y
from tests.kernel_checks import assert_batch_lives_as_singles, assert_fast_path_is_the_general_path, assert_one_compile, sampled
from tests.test_contract import _trajectory

REPO = Path(__file__).resolve().parents[1]
MOUSE = "brainlike/ForagingMouse-v0"
#: (name, env id, kwargs): every compiled body in a setting where its events happen often.
COMPILED = (
    ("mouse", MOUSE, {"predator_rate": 0.05, "sweep_rate": 0.05, "lethal_capture": True, "loom_contrast": (0.3, 1.0)}),
    ("mouse-habituating", MOUSE, {"predator_rate": 0.1, "steering": MouseSteering(habituation=0.3), "initial_energy": 0.2}),
)


def trajectory(env_id: str, kwargs: dict[str, Any], steps: int = 250) -> dict[str, np.ndarray]:
    """A vector env of 3 bodies through autoresets, then a single env: everything they report, and their final state."""
    vec = gym.make_vec(env_id, num_envs=3, vectorization_mode="vector_entry_point", **kwargs)
    vec.action_space.seed(2)
    obs, _ = vec.reset(seed=5)
    rec: dict[str, list[np.ndarray]] = {"obs": [], "reward": [], "flags": [], "executed": [], "components": [], "drives": []}
    for _ in range(steps):
        obs, r, term, trunc, info = vec.step(vec.action_space.sample())
        rec["obs"].append(np.concatenate([obs["exteroception"], obs["interoception"]], axis=1))
        rec["reward"].append(r)
        rec["flags"].append(np.stack([term, trunc, info["reflex_overrode"]]))
        rec["executed"].append(np.asarray(info["executed_action"], dtype=np.float64))
        rec["components"].append(np.stack([info["steering"]["components"][k] for k in sorted(info["steering"]["components"])]))
        rec["drives"].append(np.stack([info["steering"]["drives"][k] for k in sorted(info["steering"]["drives"])]))
    body = vec.unwrapped.body
    final = {
        "state": body.state.view(np.uint8).copy(),  # every byte of every body's record
        **{f"state_{k}": v.copy() for k, v in body.unpacked_state.items()},  # and of its arrays shaped by the configuration
        "parameters": body.steering.parameters.values.copy(),
        "streams": body._rng.streams.copy(),
    }
    single_rewards = np.array(_trajectory(gym.make(env_id, **kwargs), steps))
    return {**{k: np.stack(v) for k, v in rec.items()}, **final, "single_rewards": single_rewards}


@pytest.mark.parametrize("name", [c[0] for c in COMPILED])
def test_the_uncompiled_kernel_gives_identical_numbers(name, uncompiled):
    reference = uncompiled.same_as_compiled(__name__, name, UNCOMPILED_RUNS[name]())
    assert reference["flags"][:, 0].any(), "the comparison must run through terminations"


def test_without_a_writable_cache_the_kernels_compile_in_memory_with_one_notice():
    # As when neither the package directory nor a user cache directory is writable:
    # numba then finds no cache locator, and ``cache=True`` would make the import fail.
    # Root ignores file permissions, so the test takes numba's locators away instead.
    # Importing the bodies decorates every kernel (what would fail); drawing from the
    # RNG runs a compiled function (a whole body's cold compile would cost the suite ~30 s).
    code = (
        "import numba.core.caching as caching\n"
        "caching.CacheImpl._locator_classes = []\n"
        "import brainlike.envs\n"
        "from brainlike.envs.rng import CounterRNG\n"
        "rng = CounterRNG(2)\n"
        "rng.seed(rng.streams[:, 0] == 0, rng.streams[:, 0] + 7)\n"
        "print(rng.uniform(3)[1, 2])\n"
    )
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert 0.0 <= float(done.stdout.strip()) < 1.0  # the compiled draw ran
    notices = [line for line in done.stderr.splitlines() if "cannot cache compiled kernels" in line]
    assert len(notices) == 1, done.stderr


def test_the_kernel_reads_the_innate_parameters_where_they_are_declared():
    params = MouseSteering().parameters
    assert params.columns("nest") == slice(NEST_X, NEST_Y + 1)
    assert params.columns("escape_threshold") == slice(ESCAPE_THRESHOLD, ESCAPE_THRESHOLD + 1)


@pytest.mark.parametrize("clone", [pickle.loads, copy.deepcopy], ids=["pickle", "deepcopy"])
def test_a_copied_body_still_steps_its_own_packed_state(clone):
    env = gym.make(MOUSE, predator_rate=0.2)
    env.reset(seed=4)
    for _ in range(30):
        env.step(env.action_space.sample())
    twin = clone(pickle.dumps(env)) if clone is pickle.loads else clone(env)
    body = twin.unwrapped.body
    # The named arrays are views of the one record array the kernel writes, not stale copies.
    for name in ("energy", "pos"):
        assert np.shares_memory(getattr(body, name), body.state), name
    for name in body.unpacked:  # shaped by the configuration, so their own arrays: the ones the kernel is handed
        assert getattr(body, name) is body.unpacked_state[name], name
    assert np.shares_memory(body.stats["looms"], body.state)
    assert np.shares_memory(body.steering.parameters["nest"], body.steering.parameters.values)
    env.action_space.seed(1)
    for _ in range(60):
        a = env.action_space.sample()
        (o1, r1, *_), (o2, r2, *_) = env.step(a), twin.step(a)
        np.testing.assert_array_equal(o1["exteroception"], o2["exteroception"])
        assert r1 == r2
    np.testing.assert_array_equal(twin.unwrapped.body.energy, env.unwrapped.body.energy)
    np.testing.assert_array_equal(twin.unwrapped.body.grid, env.unwrapped.body.grid)


def test_a_reward_lesion_cuts_the_compiled_reward_and_keeps_the_drives():
    vec = gym.make_vec(MOUSE, num_envs=4, vectorization_mode="vector_entry_point",
                       steering=RewardLesion(MouseSteering()), initial_energy=0.3)
    vec.reset(seed=0)
    drives = []
    for _ in range(40):
        _, r, _, _, info = vec.step(vec.action_space.sample())
        assert not r.any() and not any(c.any() for c in info["steering"]["components"].values())
        drives.append(info["steering"]["drives"]["energy"])
    assert np.all(np.stack(drives) > 0), "the drives are not part of the reward pathway"


def test_the_steering_api_runs_the_same_compiled_rules_over_a_batch():
    """``MouseSteering.evaluate`` on a batch of records equals what the kernel computed inside the step."""
    from brainlike.steering.mouse import MouseEvents
    from brainlike.steering.base import ReflexTakeover

    vec = gym.make_vec(MOUSE, num_envs=5, vectorization_mode="vector_entry_point", predator_rate=0.3)
    vec.reset(seed=1)
    body = vec.unwrapped.body
    checked = 0
    for _ in range(80):
        twin = copy.deepcopy(body.steering)
        energy_start = body.energy.copy()
        _, _, term, trunc, info = vec.step(vec.action_space.sample())
        restarted = term | trunc
        if restarted.any():
            break
        ev = info["events"]
        in_nest = body.in_nest()
        energy = np.maximum(body.energy - ev["food"], 0.0)
        # Rebuild only steps where the meal did not overflow max_energy, so energy-before-meal is exact.
        events = MouseEvents(food=ev["food"], captured=ev["captured"], energy_start=energy_start,
                             energy=energy, energy_after=body.energy.copy(), position=body.pos.copy(),
                             in_nest=in_nest, disc_angle=body.angle.copy(), exposed=~in_nest)
        out = twin.evaluate(events, ReflexTakeover.none(np.zeros(5, dtype=np.int64)))
        ok = ev["food"] == 0  # no meal: energy before the meal is the energy now
        np.testing.assert_array_equal(out.reward[ok], info["steering"]["reward"][ok])
        np.testing.assert_array_equal(twin.parameters.values, body.steering.parameters.values)
        checked += int(ok.sum())
    assert checked > 100



# --- the songbird's kernel ------------------------------------------------------------------
SONGBIRD = "brainlike/SongbirdTutor-v0"
#: Settings where the songbird's every branch runs: noise bursts on one syllable (half the
#: time), a template memorised or innate, the quality or the performance error as reward.
SONG_CASES = {
    "songbird-feedback": {"feedback_syllable": 1, "feedback_probability": 0.5, "max_episode_steps": 40},
    "songbird-innate-error": {"steering": SongbirdSteering(template_source="innate", reward="performance_error"),
                              "sensory_bouts": 0, "feedback_syllable": 2, "feedback_side": "above", "noise_level": 0.4,
                              "max_episode_steps": 60},
}


def record_steps(vec: Any, steps: int, values: Any) -> dict[str, np.ndarray]:
    """``steps`` seeded random steps of vector env ``vec`` (reset seeded 9): each named array
    ``values(obs, reward, terminated, truncated, info)`` returns, stacked over the steps."""
    vec.action_space.seed(3)
    vec.reset(seed=9)
    rec: dict[str, list[np.ndarray]] = {}
    for _ in range(steps):
        obs, r, term, trunc, info = vec.step(vec.action_space.sample())
        named = {"obs": np.concatenate([obs["exteroception"], obs["interoception"]], axis=1), "reward": r,
                 "executed": info["executed_action"],
                 **{f"component_{k}": v for k, v in info["steering"]["components"].items()}, **values(obs, r, term, trunc, info)}
        for k, v in named.items():
            rec.setdefault(k, []).append(np.asarray(v))
    return {k: np.stack(v) for k, v in rec.items()}


def song_trajectory(kwargs: dict[str, Any], steps: int = 200) -> dict[str, np.ndarray]:
    """Three songbirds through autoresets: everything they report (the song and the evaluator's signals too) and their final state."""
    vec = gym.make_vec(SONGBIRD, num_envs=3, vectorization_mode="vector_entry_point", **kwargs)
    rec = record_steps(vec, steps, lambda obs, r, term, trunc, info: {
        "flags": np.stack([term, trunc]), **{f"song_{k}": v for k, v in info["song"].items()},
        **{f"signal_{k}": v for k, v in info["steering"]["signals"].items()}})
    body = vec.unwrapped.body
    return {**rec, "state": body.state.view(np.uint8).copy(),
            "expectation": body.species.parameters.values.copy(), "template": body.species.template.copy(),
            "streams": body._rng.streams.copy()}


#: The runs compared with the same source uncompiled (tests/kernel_checks.py): the mouse's and the songbird's cases.
UNCOMPILED_RUNS = {**{name: (lambda env_id=env_id, kwargs=kwargs: trajectory(env_id, copy.deepcopy(kwargs))) for name, env_id, kwargs in COMPILED},
                   **{name: (lambda kwargs=kwargs: song_trajectory(copy.deepcopy(kwargs))) for name, kwargs in SONG_CASES.items()}}


@pytest.mark.parametrize("name", sorted(SONG_CASES))
def test_the_uncompiled_songbird_kernel_gives_identical_numbers(name, uncompiled):
    """Bit for bit, not within 1 ULP: the kernel calls the same libm exp, log, cos and pow as Python does here."""
    reference = uncompiled.same_as_compiled(__name__, name, UNCOMPILED_RUNS[name]())
    assert reference["flags"][:, 1].any(), "the comparison must run through episode ends"
    assert reference["song_distorted"].any() and reference["signal_self_sung"].any()
    if SONG_CASES[name].get("sensory_bouts", 2):
        assert not reference["signal_self_sung"].all(), "the tutor sings at the start of every life"


def test_a_songbird_in_a_batch_sings_and_hears_what_a_single_songbird_does():
    """Body i of a vector env seeded s: the same song, signals and reward as a single env seeded s + i, through resets."""
    kwargs = {"feedback_syllable": 0, "feedback_probability": 0.7, "max_episode_steps": 30}
    lives = assert_batch_lives_as_singles(SONGBIRD, kwargs, sampled(100, seed=0), seed=20, info=("song", "steering.signals"))
    assert lives.ends >= 8, "the comparison must run through resets"


def test_the_songbird_steering_api_runs_the_same_compiled_rules_over_a_batch():
    """``SongbirdSteering.evaluate`` on a batch of events equals what the kernel computed inside the step."""
    from brainlike.steering.songbird import SongEvents

    vec = gym.make_vec(SONGBIRD, num_envs=5, vectorization_mode="vector_entry_point", max_episode_steps=None,
                       feedback_syllable=3, feedback_probability=0.5)
    vec.reset(seed=2)
    steering = vec.unwrapped.body.species
    for _ in range(60):
        twin = copy.deepcopy(steering)
        _, r, _, _, info = vec.step(vec.action_space.sample())
        song = info["song"]
        events = SongEvents(heard=song["heard"], syllable=song["syllable"], tutor_sang=song["tutor_sang"])
        out = twin.evaluate(events, ReflexTakeover.none(np.zeros(5, dtype=np.int64)))
        np.testing.assert_array_equal(out.reward, r)
        for k, v in out.signals.items():
            np.testing.assert_array_equal(v, info["steering"]["signals"][k], err_msg=k)
        np.testing.assert_array_equal(twin.parameters.values, steering.parameters.values)
        np.testing.assert_array_equal(twin.template, steering.template)
        np.testing.assert_array_equal(twin.quality(song["heard"], song["syllable"]), np.where(song["tutor_sang"], steering.quality(song["heard"], song["syllable"]), song["quality"]))


# --- the mouse's single-env fast path and one compile per kernel ------------------------------
@pytest.mark.parametrize("mode", ["dict", "flat"])
def test_the_single_env_fast_path_returns_what_the_general_path_returns(mode):
    """``CompiledBody.step_single`` (info read from the step record in one call) equals ``Body.step_single``."""
    kwargs = {"predator_rate": 0.1, "sweep_rate": 0.05, "lethal_capture": True, "observation_mode": mode}
    rng = np.random.default_rng(0)
    returned = assert_fast_path_is_the_general_path(MOUSE, kwargs, (int(rng.integers(5)) for _ in range(600)))
    reflexes = sum(bool(step[4]["reflex_overrode"]) for step in returned)
    ends = sum(bool(step[2] or step[3]) for step in returned)
    assert reflexes > 10 and ends > 2, "the comparison must run through reflexes and ends of life"


def test_a_bad_single_action_is_refused_by_name_and_changes_nothing():
    env = gym.make(MOUSE)
    env.reset(seed=0)
    body = env.unwrapped.body
    before = body.state.copy(), body._rng.streams.copy()
    for bad in (5, -1, True, 1.5, "north", np.int64(9)):
        with pytest.raises(ValueError, match=re.escape(repr(bad))):
            env.step(bad)
    np.testing.assert_array_equal(body.state, before[0])
    np.testing.assert_array_equal(body._rng.streams, before[1])


def test_a_birth_reads_the_head_of_a_stable_argsort():
    from brainlike.envs.mouse_world import _first_of_permutation

    rng = np.random.default_rng(0)
    for size, k in ((81, 6), (81, 81), (25, 3), (200, 40), (9, 1)):
        for ties in (False, True):
            u = rng.random(size)
            if ties:  # equal values: the lower index first, as a stable sort orders them
                u = np.round(u * 5) / 5
            np.testing.assert_array_equal(_first_of_permutation(u, k), np.argsort(u, kind="stable")[:k], err_msg=f"{size=} {k=} {ties=}")


def test_one_compile_serves_every_arena_food_count_and_loom_length():
    """The record's layout does not depend on the configuration, so the kernels compile once."""
    from brainlike.envs.mouse_world import mouse_birth, mouse_observe, mouse_step

    assert_one_compile(MOUSE, ({}, {"arena_size": 12, "num_food": 7, "loom_steps": 14}, {"arena_size": 5, "num_food": 0, "nest": (1, 1)}),
                       (mouse_step, mouse_observe, mouse_birth))


# --- the songbird's single-env fast path and its cheap action checks --------------------------
def test_the_songbird_single_env_fast_path_returns_what_the_general_path_returns():
    """The song and the evaluator's signals, read from the step record, equal ``Body.step_single``'s; nothing returned aliases the record."""
    kwargs = {"feedback_syllable": 1, "feedback_probability": 0.5}
    rng = np.random.default_rng(0)
    # float32 as a space samples, float64 as a learner sends: both take the fast check.
    actions = (rng.uniform(-1, 1, 4).astype(np.float32 if i % 2 else np.float64) for i in range(300))
    returned = assert_fast_path_is_the_general_path(SONGBIRD, kwargs, actions, new_life=lambda i, step: i % 30 == 29)  # the tutor sings again
    assert sum(bool(step[4]["song"]["distorted"]) for step in returned) > 5, "the comparison must run through noise bursts"


@pytest.mark.parametrize("bad", [
    np.array([0.0, np.nan, 0.0, 0.0]), np.array([np.inf, 0.0, 0.0, 0.0], dtype=np.float32), np.array([0.0, 0.0, 0.0, -1.5]),
    np.array([1.0000001, 0.0, 0.0, 0.0]), np.array([np.inf, -np.inf, 0.0, 0.0]), np.array(["a", "b", "c", "d"]),
    [0.0, 0.0, 2.0, 0.0], np.zeros(3), np.zeros((2, 4)),
], ids=lambda a: repr(a)[:40])
def test_a_bad_continuous_action_is_refused_by_name_and_changes_nothing(bad):
    """The cheap checks of a Box action (single and batched) still refuse NaN, inf, out of range and wrong shapes, naming the value."""
    env = gym.make(SONGBIRD, feedback_syllable=0)
    env.reset(seed=0)
    vec = gym.make_vec(SONGBIRD, num_envs=3, vectorization_mode="vector_entry_point")
    vec.reset(seed=0)
    batch = np.stack([np.zeros_like(bad)] * 2 + [bad]) if isinstance(bad, np.ndarray) else [bad] * 3  # the last body's is bad
    for body, step, action in ((env.unwrapped.body, env.step, bad), (vec.unwrapped.body, vec.step, batch)):
        shape = np.shape(action)
        named = re.escape(str(shape)) if shape[-1] != 4 or shape[:-1] not in ((), (3,)) else re.escape(repr(action))
        before = body.state.copy(), body._rng.streams.copy(), body.species.parameters.values.copy()
        with pytest.raises(ValueError, match=named):
            step(action)
        # As bytes: a record holding NaN (a syllable not yet sung) never equals itself.
        np.testing.assert_array_equal(body.state.view(np.uint8), before[0].view(np.uint8))
        np.testing.assert_array_equal(body._rng.streams, before[1])
        np.testing.assert_array_equal(body.species.parameters.values, before[2])
    # The boundary itself is a valid action, in both dtypes.
    for edge in (np.array([-1.0, 1.0, -1.0, 1.0]), np.array([-1.0, 1.0, -1.0, 1.0], dtype=np.float32)):
        assert env.step(edge)[4]["executed_action"].tolist() == [-1.0, 1.0, -1.0, 1.0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_compiled_pairwise_sum_is_numpys_add_reduce_bit_for_bit(dtype):
    """``pairwise_sum`` (and ``short_pairwise_sum`` up to numpy's block of 128) give ``np.add.reduce``'s
    bits, compiled and as plain Python, at every length up to past three halvings: the eight running
    sums, the halving at a multiple of 8, and the sign of a sum of zeros (-0.0s sum to +0.0)."""
    from brainlike.steering.compiled import PAIRWISE_BLOCK, pairwise_sum, short_pairwise_sum

    rng = np.random.default_rng(7)
    lengths = [*range(0, PAIRWISE_BLOCK + 2), 255, 256, 257, 1000, 1031, 4099]
    for n in lengths:
        # Magnitudes far apart, so that the order of the additions shows in the last bits.
        x = (rng.normal(0.0, 10.0, n + 5) * 10.0 ** rng.integers(-6, 6, n + 5)).astype(dtype)
        for values in (x, np.full(n + 5, -0.0, dtype)):
            expected = np.add.reduce(values[3:3 + n]).tobytes()
            sums = [pairwise_sum(values, 3, n), pairwise_sum.py_func(values, 3, n)]
            if n <= PAIRWISE_BLOCK:
                sums += [short_pairwise_sum(values, 3, n), short_pairwise_sum.py_func(values, 3, n)]
            for total in sums:
                assert np.asarray(total, dtype=dtype).tobytes() == expected, (n, values[:3])



@pytest.mark.parametrize("before", [None, "0"])
def test_simd_rows_turns_the_slp_vectoriser_on_for_its_own_compiles_only(before, monkeypatch):
    """``jit(simd_rows=True)``: numba reads ``NUMBA_SLP_VECTORIZE`` at each compile; the wrapper sets it for the
    function's compiles and puts the user's setting (or its absence) back, even when the compile fails."""
    from brainlike.steering.compiled import _compiled_with_slp

    seen = []

    class Compiles:
        def compile(self, sig):  # type: ignore[no-untyped-def]
            seen.append(os.environ.get("NUMBA_SLP_VECTORIZE"))
            if sig == "bad":
                raise TypeError("no such signature")
            return sig

    if before is None:
        monkeypatch.delenv("NUMBA_SLP_VECTORIZE", raising=False)
    else:
        monkeypatch.setenv("NUMBA_SLP_VECTORIZE", before)
    wrapped = _compiled_with_slp(Compiles())
    assert wrapped.compile("(float64,)") == "(float64,)"
    with pytest.raises(TypeError):
        wrapped.compile("bad")
    assert seen == ["1", "1"]
    assert os.environ.get("NUMBA_SLP_VECTORIZE") == before

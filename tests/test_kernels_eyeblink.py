"""Eyeblink's compiled step: the numbers of the numpy step it replaced, the same source uncompiled,
an eye in a batch equal to an eye alone, bad actions refused, copies stepping their own state.

The golden trajectories (tests/golden/eyeblink*.npz) were recorded from the numpy step before it
was compiled (``python tests/golden.py eyeblink eyeblink-trace-discrete``).
"""

from __future__ import annotations

import copy
import pickle
import re
from typing import Any

import gymnasium as gym
import numpy as np
import pytest

from brainlike import envs  # noqa: F401  (registers the bodies)
from brainlike.steering import RewardLesion
from brainlike.steering.base import ReflexTakeover
from brainlike.steering.eyelid import CLIMBING_FIBRE, EyelidEvents, EyelidSenses, EyelidSteering
from tests.golden import EYEBLINK, EYEBLINK_INFO, _eyeblink_cases, assert_as_recorded, run_vector
from tests.kernel_checks import assert_batch_lives_as_singles, assert_one_compile, sampled
from tests.test_kernels import record_steps

CASES = {name: kwargs for name, _, kwargs in _eyeblink_cases()}


# --- the numbers of the numpy step ------------------------------------------------------
@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_trajectory_of_the_numpy_step_is_bit_identical(name):
    """Bit for bit: the step does only IEEE additions, multiplications and comparisons, no transcendental."""
    golden = assert_as_recorded(name, run_vector(EYEBLINK, copy.deepcopy(CASES[name]), EYEBLINK_INFO))
    ended = golden["terminated"] | golden["truncated"]
    assert ended.any() and golden["info_reflex_overrode"].any() and golden["info_climbing_fibre"].any()


# --- the same source, uncompiled ----------------------------------------------------------
def eye_trajectory(kwargs: dict[str, Any], steps: int = 700) -> dict[str, np.ndarray]:
    """Three eyes through autoresets: everything they report, and every byte of their final state."""
    vec = gym.make_vec(EYEBLINK, num_envs=3, vectorization_mode="vector_entry_point", **kwargs)
    rec = record_steps(vec, steps, lambda obs, r, term, trunc, info: {
        "flags": np.stack([term, trunc, info["reflex_overrode"]]), **{f"info_{k}": info[k] for k in EYEBLINK_INFO}})
    body = vec.unwrapped.body
    st = body.steering
    return {**rec, "state": body.state.view(np.uint8).copy(), "traces": body.traces.copy(),
            "parameters": st.parameters.values.copy(), "remaining": st.blink.remaining.copy(), "pending": st.blink.pending.copy(),
            "streams": body._rng.streams.copy()}


#: The golden cases, and one without reflexes under a reward lesion.
UNCOMPILED = {**CASES, "eyeblink-no-reflex-lesion": {"reflexes": False, "steering": RewardLesion(EyelidSteering()),
                                                      "trials_per_session": 2, "phases": (("acquisition", 1),), "pre_tone_ms": (20.0, 40.0),
                                                      "after_ms": 30.0, "max_episode_steps": 170}}


#: The runs compared with the same source uncompiled (tests/kernel_checks.py).
UNCOMPILED_RUNS = {name: (lambda kwargs=kwargs: eye_trajectory(copy.deepcopy(kwargs))) for name, kwargs in UNCOMPILED.items()}


@pytest.mark.parametrize("name", sorted(UNCOMPILED))
def test_the_uncompiled_eyeblink_kernel_gives_identical_numbers(name, uncompiled):
    reference = uncompiled.same_as_compiled(__name__, name, UNCOMPILED_RUNS[name]())
    assert reference["flags"][:, :2].any(), "the comparison must run through episode ends"
    assert reference["flags"][:, 2].any() == UNCOMPILED[name].get("reflexes", True)


# --- an eye in a batch is an eye alone ----------------------------------------------------
@pytest.mark.parametrize("name", sorted(CASES))
def test_an_eye_in_a_batch_blinks_and_learns_what_a_single_eye_does(name):
    """Body i of a vector env seeded s: the same observations, reward and info as a single env seeded s + i, through ends of life."""
    info = (*EYEBLINK_INFO, "executed_action", "steering.components", "steering.reflex")
    lives = assert_batch_lives_as_singles(EYEBLINK, CASES[name], sampled(900, seed=1), info=info, tally=("reflex_overrode",))
    for i, env in enumerate(lives.singles):
        np.testing.assert_array_equal(env.unwrapped.body.state[0], lives.vec.unwrapped.body.state[i])
        np.testing.assert_array_equal(env.unwrapped.steering.parameters.values[0], lives.vec.unwrapped.steering.parameters.values[i])
    assert lives.ends >= 8 and lives.tally["reflex_overrode"] > 20, "the comparison must run through blinks and ends of life"


# --- bad actions, copies, the Steering API --------------------------------------------------
def _named(bad: Any) -> tuple[Any, str]:
    """A bad action and what its error must say: the value itself."""
    return bad, re.escape(repr(bad))


@pytest.mark.parametrize("mode, bads", [
    ("box", (*map(_named, (np.array([1.5], np.float32), np.array([-0.1]), np.array([np.nan]), "shut")),
             (np.array([0.2, 0.3]), re.escape("shape (1, 1), got (2,)")))),
    ("discrete", tuple(map(_named, (2, -1, True, 0.5, "close", np.int64(7))))),
])
def test_a_bad_single_action_is_refused_by_name_and_changes_nothing(mode, bads):
    env = gym.make(EYEBLINK, action_mode=mode)
    env.reset(seed=0)
    for _ in range(80):  # into the first trial: the lid and the reflex have state
        env.step(env.action_space.sample())
    body = env.unwrapped.body
    st = body.steering
    before = body.state.copy(), body.traces.copy(), body._rng.streams.copy(), st.parameters.values.copy(), st.blink.remaining.copy()
    for bad, says in bads:
        with pytest.raises(ValueError, match=says):
            env.step(bad)
    after = body.state, body.traces, body._rng.streams, st.parameters.values, st.blink.remaining
    for b, a in zip(before, after):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("clone", [pickle.loads, copy.deepcopy], ids=["pickle", "deepcopy"])
def test_a_copied_eye_still_steps_its_own_packed_state(clone):
    env = gym.make(EYEBLINK, pre_tone_ms=(20.0, 40.0), after_ms=30.0)
    env.reset(seed=4)
    env.action_space.seed(0)
    for _ in range(130):
        env.step(env.action_space.sample())
    twin = clone(pickle.dumps(env)) if clone is pickle.loads else clone(env)
    body = twin.unwrapped.body
    # The named arrays are views of the one record array the kernel writes, not stale copies.
    for name in ("lid", "t", "trace_kind"):
        assert np.shares_memory(getattr(body, name), body.state), name
    assert body.traces is body.unpacked_state["traces"]
    assert np.shares_memory(body.stats["blinks"], body.state)
    env.action_space.seed(1)
    for _ in range(300):
        a = env.action_space.sample()
        (o1, r1, *_, i1), (o2, r2, *_, i2) = env.step(a), twin.step(a)
        np.testing.assert_array_equal(o1["interoception"], o2["interoception"])
        assert r1 == r2 and i1[CLIMBING_FIBRE] == i2[CLIMBING_FIBRE]
    np.testing.assert_array_equal(twin.unwrapped.body.state, env.unwrapped.body.state)
    np.testing.assert_array_equal(twin.unwrapped.body.traces, env.unwrapped.body.traces)
    assert twin.unwrapped.body.stats["blinks"][0] > 0


def test_the_eyelid_steering_api_runs_the_same_compiled_rules_over_a_batch():
    """``EyelidSteering.reflex`` and ``evaluate`` on a batch of records equal what the kernel computed inside the step."""
    kwargs = {"pre_tone_ms": (20.0, 40.0), "after_ms": 30.0, "puff_intensity": 0.3,
              "steering": EyelidSteering(puff_threshold=0.4, sensitization=0.3, closure_cost=0.05)}
    vec = gym.make_vec(EYEBLINK, num_envs=5, vectorization_mode="vector_entry_point", **kwargs)
    vec.reset(seed=3)
    body = vec.unwrapped.body
    steering = body.steering
    blinks = 0
    for _ in range(400):
        twin = copy.deepcopy(steering)
        puff = body.puff.copy()
        proposed = vec.action_space.sample().astype(np.float64)
        _, r, term, trunc, info = vec.step(proposed)
        if (term | trunc).any():
            break
        takeover = twin.reflex(EyelidSenses(puff), proposed)
        np.testing.assert_array_equal(takeover.mask, info["reflex_overrode"])
        np.testing.assert_array_equal(takeover.executed, info["executed_action"])
        out = twin.evaluate(EyelidEvents(cornea=info[CLIMBING_FIBRE], lid=body.lid.copy()), takeover)
        np.testing.assert_array_equal(out.reward, r)
        np.testing.assert_array_equal(out.climbing_fibre, info[CLIMBING_FIBRE])
        np.testing.assert_array_equal(twin.parameters.values, steering.parameters.values)
        np.testing.assert_array_equal(twin.blink.remaining, steering.blink.remaining)
        blinks += int(takeover.mask.sum())
    assert blinks > 20 and (steering.parameters.values < 0.4).any(), "the puffs must sensitize some cornea and trigger blinks"


def test_one_compile_serves_every_schedule_and_interval():
    """The record's layout does not depend on the configuration (the traces are their own array): one compile per action vocabulary."""
    from brainlike.envs.eyeblink import eyeblink_birth, eyeblink_observe, eyeblink_step

    assert_one_compile(EYEBLINK, ({}, {"isi_ms": [100.0, 400.0, 700.0], "phases": (("extinction", 2),)}, {"conditioning": "trace", "after_ms": 1000.0}),
                       (eyeblink_observe, eyeblink_birth))
    # The step: once for lid commands, once for EyelidAction codes if a test in this process used them.
    vocabularies = {sig[-2] for sig in eyeblink_step.signatures}
    assert len(eyeblink_step.signatures) == len(vocabularies) <= 2, eyeblink_step.signatures

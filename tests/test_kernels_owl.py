"""BarnOwl's compiled step: the numbers of the numpy step it replaced, the same source uncompiled,
an owl in a batch equal to an owl alone, bad actions refused, copies stepping their own state, the
steering API running the kernel's rule.

The golden trajectories (tests/golden/owl*.npz) were recorded from the numpy step before it was
compiled (``python tests/golden.py owl owl-vertical-topographic owl-blind owl-frozen-no-reflexes``),
and re-recorded from the compiled step when its Box-Muller noise took ``log(1 - u)`` for ``log1p(-u)``
(tests/test_owl.py bounds it): the observations, catches and flags stayed bit for bit; turns moved by
at most 7e-15 degrees, rewards by at most 2e-18. Re-recorded again when the effort took ``sqrt(a*a + b*b)``
for ``hypot`` (bounded there too): only rewards and effort moved, by at most 7e-18; and again when the
noise's angle was reduced to within an eighth of a turn before its ``cos`` and ``sin`` (bounded there too):
the observations and catches stayed bit for bit, turns moved by at most 3e-14 degrees, rewards by 1.2e-16.
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
from brainlike.envs.barn_owl import ORIENT, in_view
from brainlike.steering import RewardLesion
from brainlike.steering.owl import AZIMUTH, OwlEvents, OwlSenses, OwlSteering
from tests.golden import NUM_ENVS, OWL, OWL_INFO, assert_as_recorded, owl_actions, owl_cases, run_owl

CASES = owl_cases()


# --- the numbers of the numpy step ------------------------------------------------------
@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_trajectory_is_bit_identical(name):
    """Bit for bit, transcendentals included: numpy's sin, arcsin, exp and hypot on this machine
    call the same libm as the compiled scalar code (no SIMD float64 variants here); the noise's log
    and angle and the effort's square root are the compiled step's since the re-recordings (module docstring).

    The observation too, though its population codes now come from a recurrence rather than one
    ``exp`` per unit: the recurrence may differ from that ``exp`` by one float32 ULP on a few
    responses in a million (tests/test_owl_senses.py bounds it), and on these recordings it
    differs on none (measured): the bound here is 0 differing entries, so it stays exact."""
    golden = assert_as_recorded(name, run_owl(CASES[name]))
    ended = golden["terminated"] | golden["truncated"]
    assert ended.any(), "the recording must run through ends of life"
    assert golden["info_reflex_overrode"].any() == CASES[name].get("reflexes", True)
    assert (golden["info_owl.saccade"] == 0).any() and golden["info_owl.saccade"].any(), "orienting and striking steps"


# --- the same source, uncompiled ----------------------------------------------------------
def owl_trajectory(kwargs: dict[str, Any], steps: int = 250) -> dict[str, np.ndarray]:
    """Three owls through autoresets, mostly idle (the reflexes steer): everything they report,
    and every byte of their final state, maps and streams."""
    vec = gym.make_vec(OWL, num_envs=NUM_ENVS, vectorization_mode="vector_entry_point", **copy.deepcopy(kwargs))
    obs, _ = vec.reset(seed=9)
    rec: dict[str, list[np.ndarray]] = {}
    for a in owl_actions(steps, seed=5):
        obs, r, term, trunc, info = vec.step(a)
        flat = np.concatenate([obs["exteroception"], obs["interoception"]], axis=1) if isinstance(obs, dict) else obs
        named = {"obs": flat, "reward": r, "flags": np.stack([term, trunc, info["reflex_overrode"]]), "executed": info["executed_action"],
                 **{f"component_{k}": v for k, v in info["steering"]["components"].items()},
                 **{f"owl_{k}": v for k, v in info["owl"].items()}}
        for k, v in named.items():
            rec.setdefault(k, []).append(np.asarray(v))
    body = vec.unwrapped.body
    return {**{k: np.stack(v) for k, v in rec.items()}, "state": body.state.view(np.uint8).copy(),
            "parameters": body.steering.parameters.values.copy(), "streams": body._rng.streams.copy()}


#: The golden cases, and one under a reward lesion.
UNCOMPILED = {**CASES, "owl-reward-lesion": {"steering": RewardLesion(OwlSteering(topographic_bins=3)), "prisms": 11.0,
                                             "max_episode_steps": 90}}


#: The runs compared with the same source uncompiled (tests/kernel_checks.py).
UNCOMPILED_RUNS = {name: (lambda kwargs=kwargs: owl_trajectory(kwargs)) for name, kwargs in UNCOMPILED.items()}


@pytest.mark.parametrize("name", sorted(UNCOMPILED))
def test_the_uncompiled_owl_kernel_gives_identical_numbers(name, uncompiled):
    reference = uncompiled.same_as_compiled(__name__, name, UNCOMPILED_RUNS[name]())
    assert reference["flags"][:, 1].any(), "the comparison must run through ends of life"
    assert reference["flags"][:, 2].any() == UNCOMPILED[name].get("reflexes", True)


# --- an owl in a batch is an owl alone ----------------------------------------------------
@pytest.mark.parametrize("name", ["owl", "owl-vertical-topographic"])
def test_an_owl_in_a_batch_orients_and_realigns_as_a_single_owl_does(name):
    """Body i of a vector env seeded s: the same observations, reward and info as a single env seeded s + i, through ends of life."""
    kwargs = CASES[name]
    n = 4
    vec = gym.make_vec(OWL, num_envs=n, vectorization_mode="vector_entry_point", **copy.deepcopy(kwargs))
    singles = [gym.make(OWL, **copy.deepcopy(kwargs)) for _ in range(n)]
    vec.reset(seed=30)
    for i, env in enumerate(singles):
        env.reset(seed=30 + i)
    actions = np.concatenate([owl_actions(seed=k) for k in range(2)], axis=1)[:, :n]
    restart, ends, reflexes = np.zeros(n, dtype=bool), 0, 0
    for a in actions:
        obs, r, term, trunc, info = vec.step(a)
        for i, env in enumerate(singles):
            if restart[i]:  # the vector env's autoreset step; the single env was reset at the life's end
                continue
            oi, ri, tei, tri, infoi = env.step(a[i])
            assert ri == r[i] and tei == term[i] and tri == trunc[i]
            if isinstance(obs, dict):
                for part in ("exteroception", "interoception"):
                    np.testing.assert_array_equal(oi[part], obs[part][i])
            else:
                np.testing.assert_array_equal(oi, obs[i])
            np.testing.assert_array_equal(infoi["executed_action"], info["executed_action"][i])
            for k, v in infoi["owl"].items():
                np.testing.assert_array_equal(v, info["owl"][k][i], err_msg=k)
            for k, v in infoi["steering"]["components"].items():
                assert v == info["steering"]["components"][k][i], k
            assert infoi["steering"]["reflex"] == info["steering"]["reflex"][i]
            reflexes += infoi["reflex_overrode"]
            if tei or tri:
                env.reset()
        restart, ends = term | trunc, ends + int((term | trunc).sum())
    for i, env in enumerate(singles):
        # Byte for byte (an absent cue's NaN equals nothing in a record comparison).
        np.testing.assert_array_equal(env.unwrapped.body.state.view(np.uint8), vec.unwrapped.body.state[i:i + 1].view(np.uint8))
        np.testing.assert_array_equal(env.unwrapped.steering.parameters.values[0], vec.unwrapped.steering.parameters.values[i])
    assert ends >= n and reflexes > 100, "the comparison must run through reflexes and ends of life"
    innate = copy.deepcopy(kwargs.get("steering", OwlSteering())).parameters.values
    assert np.any(vec.unwrapped.steering.parameters.values != innate), "and through the rule's steps"


# --- bad actions, copies, the Steering API --------------------------------------------------
@pytest.mark.parametrize("bad, says", [
    (np.array([1.5, 0.0], np.float32), re.escape(repr(np.array([1.5, 0.0], np.float32)))),
    (np.array([np.nan, 0.0]), re.escape(repr(np.array([np.nan, 0.0])))),
    (np.array([0.0, -1.01]), re.escape(repr(np.array([0.0, -1.01])))),
    ("left", "'left'"),
    (np.array([0.1, 0.2, 0.3]), re.escape("shape (1, 2), got (3,)")),
])
def test_a_bad_single_action_is_refused_by_name_and_changes_nothing(bad, says):
    env = gym.make(OWL, prisms=23.0)
    env.reset(seed=0)
    for a in owl_actions(31)[:, 0]:  # into the trials: the head, the maps and the stream have moved
        env.step(a)
    body = env.unwrapped.body
    before = body.state.view(np.uint8).copy(), body._rng.streams.copy(), body.steering.parameters.values.copy(), body.elapsed.copy()
    with pytest.raises(ValueError, match=says):
        env.step(bad)
    after = body.state.view(np.uint8), body._rng.streams, body.steering.parameters.values, body.elapsed
    for b, a in zip(before, after):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("clone", [pickle.loads, copy.deepcopy], ids=["pickle", "deepcopy"])
def test_a_copied_owl_still_steps_its_own_packed_state(clone):
    env = gym.make(OWL, prisms=23.0, trials_per_day=10)
    env.reset(seed=4)
    for a in owl_actions(60)[:, 0]:
        env.step(a)
    twin = clone(pickle.dumps(env)) if clone is pickle.loads else clone(env)
    body = twin.unwrapped.body
    # The named arrays are views of the one record array the kernel writes, not stale copies.
    for name in ("head", "target", "retinal", "phase"):
        assert np.shares_memory(getattr(body, name), body.state), name
    assert np.shares_memory(body.stats["catches"], body.state)
    assert twin.unwrapped.steering.parameters.values is not env.unwrapped.steering.parameters.values
    for a in owl_actions(200, seed=8)[:, 0]:
        (o1, r1, *_, i1), (o2, r2, *_, i2) = env.step(a), twin.step(a)
        np.testing.assert_array_equal(o1["exteroception"], o2["exteroception"])
        assert r1 == r2 and i1["owl"]["age_days"] == i2["owl"]["age_days"]
    np.testing.assert_array_equal(twin.unwrapped.body.state.view(np.uint8), env.unwrapped.body.state.view(np.uint8))
    np.testing.assert_array_equal(twin.unwrapped.steering.parameters.values, env.unwrapped.steering.parameters.values)
    assert twin.unwrapped.body.stats["catches"][0] > 0 and twin.unwrapped.steering.auditory_shift()[0, AZIMUTH] > 0


def test_the_owl_steering_api_runs_the_same_compiled_rule_over_a_batch():
    """``OwlSteering.reflex`` and ``evaluate`` on a batch of records equal what the kernel computed inside the step."""
    kwargs = {"prisms": 23.0, "vertical_prisms": 6.0, "trials_per_day": 20, "age_days": 150.0, "max_episode_steps": None,
              "steering": OwlSteering(topographic_bins=5, lesioned_bins=(1,), juvenile_reach_deg=30.0)}
    n = 5
    vec = gym.make_vec(OWL, num_envs=n, vectorization_mode="vector_entry_point", **kwargs)
    vec.reset(seed=3)
    body = vec.unwrapped.body
    steering = body.steering
    vertical = body.vertical_prisms
    taken = paired = 0
    for a in owl_actions(300, seed=2).repeat(2, axis=1)[:, :n]:
        twin = copy.deepcopy(steering)
        onset, sound, retinal, head, target, prism = (body.phase == ORIENT, body.sound.copy(), body.retinal.copy(), body.head.copy(),
                                                      body.target.copy(), body.prism.copy())
        proposed = a.astype(np.float64)
        _, r, _, _, info = vec.step(a)
        takeover = twin.reflex(OwlSenses(onset, sound, retinal), proposed)
        np.testing.assert_array_equal(takeover.mask, info["reflex_overrode"])
        np.testing.assert_array_equal(takeover.executed, info["executed_action"])
        owl = info["owl"]
        turn = owl["turn_deg"]
        after = target - (head + turn) + np.stack([prism, np.full(n, vertical)], axis=1)
        seen_after = ~np.isnan(retinal[:, AZIMUTH]) & np.array([in_view(x, y) for x, y in after])
        strike = ~owl["saccade"]
        events = OwlEvents(age_days=owl["age_days"], turn_deg=turn, saccade=owl["saccade"], sound=sound, retinal_before_deg=retinal,
                           retinal_after_deg=np.where(seen_after[:, None], after, np.nan),
                           visual_reflex=owl["saccade"] & takeover.mask & np.isnan(sound[:, AZIMUTH]), strike=strike,
                           strike_error_deg=np.where(strike[:, None], owl["strike_error_deg"], np.nan))
        out = twin.evaluate(events, takeover)
        np.testing.assert_array_equal(out.reward, r)
        for k, v in out.components.items():
            np.testing.assert_array_equal(v, info["steering"]["components"][k], err_msg=k)
        np.testing.assert_array_equal(twin.parameters.values, steering.parameters.values)
        np.testing.assert_array_equal(twin.auditory_shift(), owl["auditory_shift_deg"])
        taken += int(takeover.mask.sum())
        paired += int((owl["saccade"] & seen_after & ~np.isnan(sound[:, AZIMUTH])).sum())
    assert taken > 100 and paired > 50, "the reflexes must steer and the rule must learn"
    offsets = steering.parameters["auditory_azimuth_offset"]
    assert np.all(offsets[:, 1] == 0.0) and np.any(offsets != 0.0), "the lesioned bin stays, the others move"
    # The shift is the mean offset, summed as numpy sums a row.
    np.testing.assert_array_equal(steering.auditory_shift()[:, AZIMUTH], offsets.mean(axis=1))


def test_one_compile_serves_every_configuration():
    """The record's layout does not depend on the configuration (the protocol, the bins are their own arrays): one compile each."""
    from numba.core.dispatcher import Dispatcher

    from brainlike.envs.barn_owl import owl_birth, owl_observe, owl_step

    if not isinstance(owl_step, Dispatcher):
        pytest.skip("the JIT is disabled: nothing is compiled")
    for kwargs in ({}, {"prisms": 11.0, "prism_protocol": ((61.0, 23.0), (62.0, 0.0)), "trials_per_day": 2},
                   {"vision": "blind", "reflexes": False, "observation_mode": "flat"},
                   {"steering": OwlSteering(topographic_bins=7, lesioned_bins=(2, 3), plastic=False), "vertical_prisms": 10.0}):
        env = gym.make(OWL, **kwargs)
        env.reset(seed=0)
        for a in owl_actions(5)[:, 0]:
            env.step(a)
    for kernel in (owl_step, owl_observe, owl_birth):
        assert len(kernel.signatures) == 1, f"{kernel.__name__} compiled {len(kernel.signatures)} times: {kernel.signatures}"


def test_a_kernel_compiled_without_the_runtime_refuses_to_allocate():
    """``owl_step`` and ``owl_observe`` run without numba's runtime (``jit(allocates=False)``: no reference
    counting); anything in such a kernel that would make an array is refused when it compiles."""
    from numba.core.dispatcher import Dispatcher
    from numba.core.errors import NumbaError

    from brainlike.steering.compiled import jit

    @jit(allocates=False)
    def scratch_in_a_kernel(x):  # type: ignore[no-untyped-def]
        scratch = np.empty(x.shape[0])  # compiled with numba's runtime, this returns 1.0
        scratch[:] = x
        return scratch[0]

    if not isinstance(scratch_in_a_kernel, Dispatcher):
        pytest.skip("the JIT is disabled: nothing is compiled")
    with pytest.raises(NumbaError, match="empty"):
        scratch_in_a_kernel(np.ones(3))


def test_a_distance_compared_with_a_radius_decides_as_the_hypot_does():
    """The catch (within the acuity) and the corrective saccade (beyond the fovea) compare ``distance_to_compare``
    with a radius: on both sides, at the radius to the last bits, and for NaN and infinity, as ``np.hypot``."""
    from brainlike.steering.owl import ACUITY_DEG, FOVEA_DEG, distance_to_compare

    rng = np.random.default_rng(11)
    for radius in (ACUITY_DEG, FOVEA_DEG):
        angle = rng.uniform(0.0, 2.0 * np.pi, 20_000)
        length = np.concatenate([radius * (1.0 + rng.integers(-40, 40, 10_000) * 2.0**-52), rng.uniform(0.0, 3.0 * radius, 10_000)])
        a, b = length * np.cos(angle), length * np.sin(angle)
        a, b = np.append(a, [np.nan, 0.0, np.inf, radius, 0.0]), np.append(b, [0.0, np.nan, 1.0, 0.0, -radius])
        exact = np.hypot(a, b)
        compared = np.array([distance_to_compare(x, y, radius) for x, y in zip(a, b)])
        np.testing.assert_array_equal(compared <= radius, exact <= radius)
        np.testing.assert_array_equal(compared > radius, exact > radius)
        assert 0 < (exact <= radius)[:10_000].sum() < 10_000, "points on both sides of the radius, to the last bits"

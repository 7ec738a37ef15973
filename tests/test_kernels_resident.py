"""ResidentIntruder's compiled step: the numbers of the numpy step it replaced, the same source uncompiled, bit for bit.

``tests/golden/resident_steps.npz`` was recorded from the numpy ResidentIntruder
(``python -m tests.test_kernels_resident``, on the commit before the kernel):
everything a vector env reports (info included), the steering's parameters and
readiness after every step, and every state array at the end, in three settings.
"""

from __future__ import annotations

import copy
import pickle
import re
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np
import pytest

from brainlike.steering import RewardLesion
from brainlike.steering.aggression import ResidentAction, ResidentSteering
from tests.kernel_checks import assert_batch_lives_as_singles

GOLDEN = Path(__file__).parent / "golden" / "resident_steps.npz"
RESIDENT = "brainlike/ResidentIntruder-v0"
#: Settings where every branch runs: wins, defeats, reflex and withheld attacks, threats that
#: make weak intruders flee, every intruder kind, truncation mid-life, the steering's switches.
RESIDENT_CASES: dict[str, dict[str, Any]] = {
    "resident-mix": {"days": 3, "encounter_steps": 40, "intruder_mix": (0.5, 0.2, 0.3), "expose_testosterone": True},
    "resident-switches": {"steering": ResidentSteering(potentiation=False, supplement=True, nonresponder_fraction=0.5, threshold=8.0),
                          "schedule": [("aggressor", 0), ("weak", 1), ("neutral", 2), ("weak", 1)], "encounter_steps": 15,
                          "max_episode_steps": 45},
    "resident-lesioned": {"reflexes": False, "steering": RewardLesion(ResidentSteering(defeat_rule=False, threshold=6.0)),
                          "days": 2, "encounter_steps": 25, "intruder_mix": (0.3, 0.0, 0.7), "observation_mode": "flat"},
}
#: The body's own entries of a vector env's info (beside steering, executed_action, reflex_overrode).
INFO = ("day", "encounter_step", "intruder_kind", "identity", "attacked", "bitten", "won", "defeated", "encounter_ended",
        "encounter_won", "distance")
REASONS = {None: -1, "attack": 0, "withheld": 1}
#: Steps of the uncompiled comparison (plain Python is slow).
UNCOMPILED_STEPS = 150
#: The actions' chances: mostly approach and attack, so that fights happen.
ACTION_CHANCES = np.array([0.1, 0.35, 0.1, 0.3, 0.05, 0.05, 0.05])


def _actions(seed: int, steps: int, n: int | None = None) -> np.ndarray:
    return np.random.default_rng(seed).choice(len(ResidentAction), size=(steps,) if n is None else (steps, n), p=ACTION_CHANCES)


def _flat(obs: Any) -> np.ndarray:
    if isinstance(obs, dict):
        return np.concatenate([obs["exteroception"], obs["interoception"]], axis=-1)
    return np.asarray(obs)


def resident_trajectory(kwargs: dict[str, Any], steps: int = 300) -> dict[str, np.ndarray]:
    """Three residents through autoresets (everything reported, the steering's state after each step, the final
    state), then a single resident through its resets."""
    vec = gym.make_vec(RESIDENT, num_envs=3, vectorization_mode="vector_entry_point", **copy.deepcopy(kwargs))
    obs, _ = vec.reset(seed=13)
    body = vec.unwrapped.body
    steering = body.steering.unwrapped
    rec: dict[str, list[np.ndarray]] = {"obs": [_flat(obs)]}
    for a in _actions(4, steps, 3):
        obs, r, term, trunc, info = vec.step(a)
        out = info["steering"]
        values = {
            "obs": _flat(obs), "reward": r, "flags": np.stack([term, trunc, info["reflex_overrode"]]),
            "executed": info["executed_action"], "reflex": np.array([REASONS[x] for x in out["reflex"]]),
            "reflex_action": out["reflex_action"],
            **{f"component_{k}": v for k, v in out["components"].items()},
            **{f"drive_{k}": v for k, v in out["drives"].items()},
            **{f"info_{k}": info[k] for k in INFO},
            "parameters": steering.parameters.values, "readiness": steering.attack.readiness,
        }
        for k, v in values.items():
            rec.setdefault(k, []).append(np.array(v))
    final = {f"state_{k}": np.array(getattr(body, k)) for k in body.state_table()}
    final["baseline"] = steering.baseline.copy()
    final["streams"] = body._rng.streams.copy()
    single = gym.make(RESIDENT, **copy.deepcopy(kwargs))
    single.reset(seed=21)
    one: dict[str, list[Any]] = {}
    for a in _actions(5, steps):
        o, r, term, trunc, info = single.step(int(a))
        for k, v in {"obs": _flat(o), "reward": r, "flags": [term, trunc, info["reflex_overrode"]],
                     "executed": info["executed_action"], "reflex": REASONS[info["steering"]["reflex"]],
                     **{f"info_{k}": info[k] for k in INFO}}.items():
            one.setdefault(k, []).append(np.array(v))
        if term or trunc:
            single.reset()
    return {**{k: np.stack(v) for k, v in rec.items()}, **final, **{f"single_{k}": np.stack(v) for k, v in one.items()}}


@pytest.mark.parametrize("name", sorted(RESIDENT_CASES))
def test_the_compiled_step_gives_the_numbers_of_the_numpy_step(name):
    """Bit for bit, info and the steering's state included: the kernel's cos, sin, atan2 and sqrt are the
    libm calls numpy made (no transcendental differs in its last bit here, so no ULP bound is needed)."""
    golden = np.load(GOLDEN)
    now = resident_trajectory(RESIDENT_CASES[name])
    assert {f"{name}/{k}" for k in now} == {k for k in golden.files if k.startswith(f"{name}/")}
    for key, value in now.items():
        np.testing.assert_array_equal(value, golden[f"{name}/{key}"], err_msg=f"{name}: {key} moved")
        assert value.dtype == golden[f"{name}/{key}"].dtype, f"{name}: {key} changed type"
    ends = now["flags"][:, :2].any(axis=(0, 1))
    assert ends.all(), "every body's life ends in the comparison"


#: The runs compared with the same source uncompiled (tests/kernel_checks.py).
UNCOMPILED_RUNS = {name: (lambda kwargs=kwargs: resident_trajectory(kwargs, steps=UNCOMPILED_STEPS)) for name, kwargs in RESIDENT_CASES.items()}


@pytest.mark.parametrize("name", sorted(RESIDENT_CASES))
def test_the_uncompiled_resident_kernel_gives_identical_numbers(name, uncompiled):
    reference = uncompiled.same_as_compiled(__name__, name, UNCOMPILED_RUNS[name]())
    assert reference["flags"][:, :2].any(), "the comparison must run through episode ends"
    assert reference["info_won"].any() and reference["info_defeated"].any()


def test_a_resident_in_a_batch_lives_what_a_single_resident_seeded_s_plus_i_lives():
    """Body i of a vector env seeded s: the same observations, rewards and info as a single env seeded s + i, through ends."""
    kwargs = {"days": 2, "encounter_steps": 12, "intruder_mix": (0.4, 0.2, 0.4), "expose_testosterone": True,
              "steering": ResidentSteering(threshold=6.0), "max_episode_steps": 20}
    n = 4
    lives = assert_batch_lives_as_singles(RESIDENT, kwargs, lambda vec: _actions(6, 200, n), num_envs=n,
                                          info=("executed_action", "steering.reflex", *INFO, "steering.drives"), tally=("won", "defeated"))
    assert lives.ends >= 3 * n and lives.tally["won"] + lives.tally["defeated"] > 0, "the comparison must run through ends of life and fights"


def test_a_bad_single_action_is_refused_by_name_and_changes_nothing():
    env = gym.make(RESIDENT)
    env.reset(seed=0)
    body = env.unwrapped.body
    steering = body.species

    def everything() -> list[np.ndarray]:
        return [body.state.view(np.uint8).copy(), body._rng.streams.copy(), body.elapsed.copy(), *(v.copy() for v in body.unpacked_state.values()),
                steering.parameters.values.copy(), steering.attack.readiness.copy(), steering.baseline.copy()]

    before = everything()
    for bad in (7, -1, True, 1.5, "attack", np.int64(9), [1, 2]):
        with pytest.raises(ValueError, match=re.escape(repr(bad))):
            env.step(bad)
    for a, b in zip(before, everything()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("clone", [pickle.loads, copy.deepcopy], ids=["pickle", "deepcopy"])
def test_a_copied_resident_still_steps_its_own_packed_state(clone):
    env = gym.make(RESIDENT, days=3, encounter_steps=20)
    env.reset(seed=4)
    for a in _actions(1, 30):
        env.step(int(a))
    twin = clone(pickle.dumps(env)) if clone is pickle.loads else clone(env)
    body = twin.unwrapped.body
    # The named arrays are views of the one record array the kernel writes, not stale copies.
    for name in ("resident", "intruder", "day", "testosterone"):
        assert np.shares_memory(getattr(body, name), body.state), name
    for name in body.unpacked:
        assert getattr(body, name) is body.unpacked_state[name], name
    assert np.shares_memory(body.species.parameters["testosterone"], body.species.parameters.values)
    for a in _actions(2, 60):
        (o1, r1, *_), (o2, r2, *_) = env.step(int(a)), twin.step(int(a))
        np.testing.assert_array_equal(_flat(o1), _flat(o2))
        assert r1 == r2
    original = env.unwrapped.body
    np.testing.assert_array_equal(body.state.view(np.uint8), original.state.view(np.uint8))
    np.testing.assert_array_equal(body.latency, original.latency)
    np.testing.assert_array_equal(body.species.attack.readiness, original.species.attack.readiness)


def test_the_kernel_reads_the_innate_parameters_where_they_are_declared():
    from brainlike.steering.aggression import AVOIDANCE, GENERAL_GAIN, IDENTITY_GAIN, NUM_IDENTITIES, TESTOSTERONE, WINS

    params = ResidentSteering().parameters
    assert params.columns("identity_gain") == slice(IDENTITY_GAIN, IDENTITY_GAIN + NUM_IDENTITIES)
    for name, column in (("general_gain", GENERAL_GAIN), ("testosterone", TESTOSTERONE), ("avoidance", AVOIDANCE), ("wins", WINS)):
        assert params.columns(name) == slice(column, column + 1), name


def test_the_steering_api_runs_the_same_compiled_rules_over_a_batch():
    """``ResidentSteering.reflex`` and ``evaluate`` on batches of records equal what the kernel computed inside the step."""
    from brainlike.envs.resident_intruder import CAGE_DIAGONAL, REACH
    from brainlike.steering.aggression import ResidentEvents, ResidentSenses

    n = 6
    vec = gym.make_vec(RESIDENT, num_envs=n, vectorization_mode="vector_entry_point", max_episode_steps=None, days=4,
                       encounter_steps=15, steering=ResidentSteering(threshold=8.0))
    vec.reset(seed=2)
    body = vec.unwrapped.body
    steering = body.species
    checked = 0
    for actions in _actions(3, 55, n):
        twin = copy.deepcopy(steering)
        dist = np.linalg.norm(body.intruder - body.resident, axis=1)
        senses = ResidentSenses(male_cue=1.0 - 0.5 * dist / CAGE_DIAGONAL, identity=body.identity.copy(), within_reach=dist <= REACH)
        takeover = twin.reflex(senses, actions)
        _, r, term, _, info = vec.step(actions)
        np.testing.assert_array_equal(takeover.executed, info["executed_action"])
        np.testing.assert_array_equal(takeover.mask, info["reflex_overrode"])
        events = ResidentEvents(attacked=info["attacked"], bitten=info["bitten"], won=info["won"], defeated=info["defeated"],
                                encounter_ended=info["encounter_ended"], encounter_won=info["encounter_won"], identity=info["identity"],
                                proximity=np.clip(1.0 - info["distance"], 0.0, 1.0))
        out = twin.evaluate(events, takeover)
        if term.any():
            break
        # The proximity rebuilt from the reported distance may differ in its last bit: compare where no fear is felt exactly.
        np.testing.assert_array_equal(out.reward - out.components["fear"], r - info["steering"]["components"]["fear"])
        np.testing.assert_allclose(out.components["fear"], info["steering"]["components"]["fear"], rtol=1e-12, atol=0)
        np.testing.assert_array_equal(twin.parameters.values, steering.parameters.values)
        np.testing.assert_array_equal(twin.attack.readiness, steering.attack.readiness)
        checked += n
    assert checked >= 4 * n and steering.parameters["wins"].any()


def record() -> None:
    np.savez_compressed(GOLDEN, **{f"{name}/{k}": v for name, kwargs in RESIDENT_CASES.items()
                                   for k, v in resident_trajectory(kwargs).items()})
    print(f"recorded {GOLDEN}")


if __name__ == "__main__":
    import brainlike.envs  # noqa: F401  (registers the bodies)

    record()

"""SaltRat's compiled step: the numbers of the numpy step it replaced, and the kernel's own checks.

``tests/golden/rat_kernel_*.npz`` were recorded from the numpy SaltRat before its step
was compiled (``python tests/test_kernels_rat.py``): every observation, reward, reward
component and drive, every entry of the rat's ``info``, each life's ``summary`` when
it ends, and the steering's sensitization, in settings where every part of the step
runs (lever trials of the three kinds, depletions and repletions, free access, the
progressive ratio, taste-reactivity probes, both kappa forms and both strains).
"""

from __future__ import annotations

import copy
import json
import pickle
import re
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np
import pytest

from brainlike.steering import RatEvents, RatSteering, ReflexTakeover
from tests.kernel_checks import assert_batch_lives_as_singles, assert_fast_path_is_the_general_path, assert_one_compile

RAT = "brainlike/SaltRat-v0"
GOLDEN_DIR = Path(__file__).parent / "golden"
LEVERS = [
    {"name": "train", "kind": "train", "trials": 6},
    {"name": "pavlovian", "kind": "pavlovian", "trials": 5},
    {"name": "deplete", "kind": "deplete", "steps": 20},
    {"name": "test", "kind": "extinction", "trials": 4},
    {"name": "replete", "kind": "replete", "steps": 25},
    {"name": "again", "kind": "train", "trials": 3, "sodium": "hold"},
]
WORK = [
    {"name": "deplete", "kind": "deplete", "steps": 25},
    {"name": "taste", "kind": "taste_reactivity", "steps": 12},
    {"name": "work", "kind": "progressive_ratio", "steps": 40},
    {"name": "access", "kind": "free_access", "steps": 30},
    {"name": "replete", "kind": "replete", "steps": 30},
    {"name": "need_free", "kind": "free_access", "steps": 20, "sodium": "normal"},
]
#: (name, kwargs, steering factory): settings in which every branch of the step runs.
RAT_CASES: dict[str, tuple[dict[str, Any], Any]] = {
    "levers": ({"protocol": LEVERS, "cue_steps": 4, "outcome_steps": 1}, lambda: RatSteering()),
    "work-full-multiplicative": ({"protocol": WORK, "max_episode_steps": 150, "lick_amount": 0.5},
                                 lambda: RatSteering(kappa_form="multiplicative", strain="full")),
    "presets": ({"protocol": "salt_work", "initial_sodium": 0.6, "max_episode_steps": 200}, lambda: RatSteering(danger_level=0.4)),
}
INFO_KEYS = ("phase", "trial", "period", "cue", "delivered", "taste_probe", "sodium", "trial_ended", "trial_score", "salt_intake")


def _policy(rng: np.random.Generator, n: int) -> np.ndarray:
    # Mostly towards the wall and nibbling there, so levers are pressed and the spout is licked.
    return rng.choice(4, size=n, p=[0.15, 0.35, 0.35, 0.15]).astype(np.int64)


def rat_trajectory(name: str, steps: int = 420, num_envs: int = 3, with_state: bool = False) -> dict[str, np.ndarray]:
    """A vector env of ``num_envs`` rats seeded 7 through autoresets: everything it reports
    (``with_state``: and every byte of the body's and the steering's state at the end)."""
    kwargs, make_steering = RAT_CASES[name]
    env = gym.make_vec(RAT, num_envs=num_envs, vectorization_mode="vector_entry_point", steering=make_steering(), **kwargs)
    rng = np.random.default_rng(11)
    obs, _ = env.reset(seed=7)
    rec: dict[str, list[Any]] = {"obs": [np.concatenate([obs["exteroception"], obs["interoception"]], axis=1)]}
    summaries: list[str] = []
    for step in range(steps):
        obs, r, term, trunc, info = env.step(_policy(rng, num_envs))
        values = {
            "obs": np.concatenate([obs["exteroception"], obs["interoception"]], axis=1),
            "reward": r, "terminated": term, "truncated": trunc, "executed": info["executed_action"],
            **{f"component_{k}": v for k, v in info["steering"]["components"].items()},
            **{f"drive_{k}": v for k, v in info["steering"]["drives"].items()},
            **{f"info_{k}": info[k] for k in INFO_KEYS},
            **{f"signal_{k}": v for k, v in info["innate_signals"].items()},
            "sensitization": env.unwrapped.steering.parameters["salt_sensitization"][:, 0],
        }
        for k, v in values.items():
            rec.setdefault(k, []).append(np.array(v))
        for i in np.flatnonzero(term | trunc):  # a life's records, read before the step that autoresets it
            summaries.append(json.dumps({"step": step, "body": int(i), **env.unwrapped.summary(int(i))}, sort_keys=True))
    out = {k: np.stack(v) for k, v in rec.items()}
    out["summaries"] = np.array(summaries)
    if with_state:
        body, steering = env.unwrapped.body, env.unwrapped.steering
        out.update({"state": body.state.view(np.uint8).copy(), "streams": body._rng.streams.copy(),
                    "parameters": steering.parameters.values.copy(), "armed": steering.armed.copy(),
                    "depletions": steering.depletions.copy(),
                    **{f"state_{k}": v.copy() for k, v in body.unpacked_state.items()}})
    env.close()
    return out


@pytest.mark.parametrize("name", sorted(RAT_CASES))
def test_the_compiled_step_gives_the_numbers_of_the_numpy_step_it_replaced(name):
    """Bit for bit: observations, rewards, components, drives, every info entry, each life's summary."""
    golden = np.load(GOLDEN_DIR / f"rat_kernel_{name}.npz")
    now = rat_trajectory(name)
    assert set(golden.files) == set(now)
    for key in golden.files:
        np.testing.assert_array_equal(now[key], golden[key], err_msg=f"{name}: {key} moved")
    assert golden["terminated"].any() or golden["truncated"].any(), "the recording runs through ends of life"
    assert golden["info_delivered"].any() and len(golden["summaries"]) >= 3


def test_the_recordings_exercise_every_part_of_the_step():
    """What the golden comparison covers: lever trials of every kind, licks, presses, probes, sensitization."""
    runs = {name: np.load(GOLDEN_DIR / f"rat_kernel_{name}.npz") for name in RAT_CASES}
    levers, work = runs["levers"], runs["work-full-multiplicative"]
    assert levers["info_trial_ended"].any() and (levers["signal_sweet"] > 0).any() and (levers["signal_salt"] >= 1).any()
    assert levers["terminated"].any(), "sessions end with their protocol"
    assert work["info_taste_probe"].any() and (work["info_salt_intake"] > 0).any() and work["truncated"].any()
    summaries = [json.loads(s) for r in runs.values() for s in r["summaries"]]
    assert any(ph.get("rewards_earned", 0) > 0 for s in summaries for ph in s["phases"].values()), "a progressive ratio completed"
    assert all(r["sensitization"].max() > 0 for r in runs.values()), "a depletion episode ended and sensitized"


#: The runs compared with the same source uncompiled (tests/kernel_checks.py), state included.
UNCOMPILED_RUNS = {name: (lambda name=name: rat_trajectory(name, with_state=True)) for name in ("levers", "work-full-multiplicative")}


@pytest.mark.parametrize("name", sorted(UNCOMPILED_RUNS))
def test_the_uncompiled_rat_kernel_gives_identical_numbers(name, uncompiled):
    """The kernel's source run as plain Python is the reference: the compiled code equals it bit for bit, state included."""
    reference = uncompiled.same_as_compiled(__name__, name, UNCOMPILED_RUNS[name]())
    assert (reference["terminated"] | reference["truncated"]).sum() >= 3, "the comparison must run through ends of life"


def test_a_rat_in_a_batch_lives_what_a_single_rat_seeded_s_plus_i_lives():
    """Body i of a vector env seeded s: the same observations, rewards, info and records as a single env seeded s + i, through ends of life."""
    kwargs = {"protocol": [{"kind": "train", "trials": 2}, {"kind": "deplete", "steps": 12}, {"kind": "free_access", "steps": 8},
                           {"kind": "progressive_ratio", "steps": 8}, {"kind": "taste_reactivity", "steps": 6}],
              "max_episode_steps": 50, "cue_steps": 3, "depletion_level": 0.2, "sodium_rate": 0.4}
    n = 4
    rng = np.random.default_rng(4)

    def same_records(i: int, single: Any, vec: Any) -> None:
        assert single.unwrapped.summary() == vec.unwrapped.summary(i)

    lives = assert_batch_lives_as_singles(RAT, kwargs, lambda vec: (_policy(rng, n) for _ in range(300)), num_envs=n,
                                          info=(*INFO_KEYS, "innate_signals", "steering.components"), at_end=same_records)
    assert lives.ends >= 12 and lives.terminations >= 4, "the comparison must run through ends of life"


@pytest.mark.parametrize("mode", ["dict", "flat"])
def test_the_rat_single_env_fast_path_returns_what_the_general_path_returns(mode):
    """``CompiledBody.step_single`` (info read from the step record in one call) equals ``Body.step_single``, and returns nothing that aliases its buffers."""
    kwargs = {"protocol": LEVERS[1:3] + WORK[1:4], "observation_mode": mode}  # 157 steps: ends of sessions
    rng = np.random.default_rng(0)
    returned = assert_fast_path_is_the_general_path(RAT, kwargs, (int(_policy(rng, 1)[0]) for _ in range(500)))
    assert sum(bool(step[2] or step[3]) for step in returned) >= 3


def test_a_bad_single_action_is_refused_by_name_and_changes_nothing():
    env = gym.make(RAT, protocol="instrumental")
    env.reset(seed=0)
    for a in (1, 1, 2, 2):
        env.step(a)
    body, steering = env.unwrapped.body, env.unwrapped.steering
    before = [body.state.copy(), body._rng.streams.copy(), steering.parameters.values.copy(), steering.armed.copy(),
              *(v.copy() for v in body.unpacked_state.values())]
    for bad in (4, -1, True, 2.5, "nibble", np.int64(7), [1, 2]):
        with pytest.raises(ValueError, match=re.escape(repr(bad))):
            env.step(bad)
    after = [body.state, body._rng.streams, steering.parameters.values, steering.armed, *body.unpacked_state.values()]
    for x, y in zip(before, after):
        np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("clone", [pickle.loads, copy.deepcopy], ids=["pickle", "deepcopy"])
def test_a_copied_rat_still_steps_its_own_packed_state(clone):
    env = gym.make(RAT, protocol="sensitization")
    env.reset(seed=4)
    rng = np.random.default_rng(1)
    for _ in range(60):
        env.step(int(_policy(rng, 1)[0]))
    twin = clone(pickle.dumps(env)) if clone is pickle.loads else clone(env)
    body = twin.unwrapped.body
    # The named arrays are views of the one record array the kernel writes, not stale copies.
    for name in ("sodium", "phase", "taste"):
        assert np.shares_memory(getattr(body, name), body.state), name
    for name in body.unpacked:  # shaped by the protocol, so their own arrays: the ones the kernel is handed
        assert getattr(body, name) is body.unpacked_state[name], name
    assert body.species is twin.unwrapped.steering.unwrapped
    for _ in range(200):
        a = int(_policy(rng, 1)[0])
        (o1, r1, *_), (o2, r2, *_) = env.step(a), twin.step(a)
        np.testing.assert_array_equal(o1["interoception"], o2["interoception"])
        assert r1 == r2
    assert env.unwrapped.summary() == twin.unwrapped.summary()
    assert twin.unwrapped.summary()["salt_sensitization"] > 0  # the twin's own steering was sensitized by its own step


def test_the_steering_api_runs_the_same_compiled_rules_as_the_step():
    """``RatSteering.evaluate`` on the events the step reports equals what the kernel computed inside it.

    Under the ``hold`` regime sodium moves only by what the rat tastes, so the sodium the
    steering senses before ingestion is the last observation's.
    """
    held = WORK[1:4]  # taste reactivity, progressive ratio, free access: 82 steps, all held
    vec = gym.make_vec(RAT, num_envs=5, vectorization_mode="vector_entry_point", protocol=held, lick_amount=0.5, initial_sodium=0.3)
    obs, _ = vec.reset(seed=1)
    steering = vec.unwrapped.steering
    rng = np.random.default_rng(2)
    tasted = 0
    for _ in range(80):
        twin = copy.deepcopy(steering)
        intero = obs["interoception"]
        obs, r, term, trunc, info = vec.step(_policy(rng, 5))
        assert not (term | trunc).any()
        signals = info["innate_signals"]
        tasted += int((signals["salt"] > 0).sum())
        out = twin.evaluate(RatEvents(sweet=signals["sweet"], salt=signals["salt"], interoception=intero,
                                      sodium_after=info["sodium"]), ReflexTakeover.none(np.zeros(5, dtype=np.int64)))
        np.testing.assert_array_equal(out.reward, r)
        np.testing.assert_array_equal(out.drives["sodium"], info["steering"]["drives"]["sodium"])
        np.testing.assert_array_equal(twin.parameters.values, steering.parameters.values)
        np.testing.assert_array_equal(twin.depletions, steering.depletions)
        np.testing.assert_array_equal(twin.armed, steering.armed)
    assert steering.depletions.min() == 1 and tasted > 40, "every rat was depleted; probes, presses and licks were tasted"


def test_a_reward_lesion_cuts_the_reward_but_not_the_liking_the_body_reads_out():
    """Taste reactivity is the animal's hedonic reaction, read by the experimenter: cutting the reward
    pathway to the learner leaves it (the numpy step read the lesioned, zero, reward there)."""
    from brainlike.steering import RewardLesion

    kwargs = {"protocol": [{"name": "taste", "kind": "taste_reactivity", "steps": 12}], "initial_sodium": 0.3}
    readouts = []
    for steering in (RatSteering(), RewardLesion(RatSteering())):
        env = gym.make(RAT, steering=steering, **kwargs)
        env.reset(seed=0)
        rewards = [env.step(0)[1] for _ in range(12)]
        readouts.append(env.unwrapped.summary()["phases"]["taste"]["taste_reactivity"])
        if isinstance(steering, RewardLesion):
            assert not any(rewards)
    assert readouts[0] == readouts[1] > 0


def test_one_compile_serves_every_protocol():
    """The per-phase records stay their own arrays, so the record's layout, and the kernels, do not depend on the protocol."""
    from brainlike.envs.salt_rat import rat_observe, rat_step

    assert_one_compile(RAT, ({}, {"protocol": "sensitization"}, {"protocol": WORK, "cue_steps": 2}, {"protocol": [{"kind": "train", "trials": 40}]}),
                       (rat_step, rat_observe))


def record() -> None:
    import brainlike.envs  # noqa: F401  (registers the bodies)

    for name in RAT_CASES:
        np.savez_compressed(GOLDEN_DIR / f"rat_kernel_{name}.npz", **rat_trajectory(name))
        print(f"recorded rat_kernel_{name}")


if __name__ == "__main__":
    record()

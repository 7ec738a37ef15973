"""ResidentIntruder's compiled step: the numbers of the numpy step it replaced, the same source uncompiled, bit for bit.

``tests/golden/resident_steps.npz`` was recorded from the numpy ResidentIntruder
(``python -m tests.test_kernels_resident``, on the commit before the kernel):
everything a vector env reports (info included), the steering's parameters and
readiness after every step, and every state array at the end, in three settings.
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

from brainlike.steering import RewardLesion
from brainlike.steering.aggression import ResidentAction, ResidentSteering

REPO = Path(__file__).resolve().parents[1]
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


def record() -> None:
    np.savez_compressed(GOLDEN, **{f"{name}/{k}": v for name, kwargs in RESIDENT_CASES.items()
                                   for k, v in resident_trajectory(kwargs).items()})
    print(f"recorded {GOLDEN}")


if __name__ == "__main__":
    import brainlike.envs  # noqa: F401  (registers the bodies)

    record()

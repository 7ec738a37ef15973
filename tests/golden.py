"""Golden trajectories: the numbers each body gave before a refactor, to test it against.

``python tests/golden.py`` records them (run it on the commit whose numbers are the
reference); ``tests/test_contract.py`` replays the same seeds and actions and
requires bit-identical observations, rewards, reward components and flags. Only the
public Gymnasium API is used, so a recording outlives any change of internals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np

GOLDEN_DIR = Path(__file__).parent / "golden"
STEPS = 400
NUM_ENVS = 3

#: (name, env id, kwargs): each body in a setting that exercises its events
#: (mouse looms, captures and starvation; rat depletions; songbird distortion;
#: resident wins, defeats and attacks).
CASES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("mouse", "brainlike/ForagingMouse-v0", {"predator_rate": 0.05, "sweep_rate": 0.05, "lethal_capture": True, "loom_contrast": (0.3, 1.0)}),
    ("rat", "brainlike/SaltRat-v0", {"protocol": "sensitization", "max_episode_steps": 150}),
    ("songbird", "brainlike/SongbirdTutor-v0", {"feedback_syllable": 1, "feedback_probability": 0.5}),
    # Short lives of three short encounters, aggressors often: wins, defeats, reflex attacks, withheld attacks.
    ("resident", "brainlike/ResidentIntruder-v0", {"days": 3, "encounter_steps": 40, "intruder_mix": (0.5, 0.1, 0.4), "expose_testosterone": True}),
)


def _flat(obs: Any) -> np.ndarray:
    """A vector env's (bodies, ...) observation as one (bodies, d) float array."""
    if isinstance(obs, dict):
        return np.concatenate([np.asarray(obs["exteroception"]), np.asarray(obs["interoception"])], axis=1)
    return np.asarray(obs)


def _actions(space: gym.Space, steps: int, seed: int) -> np.ndarray:
    space.seed(seed)
    return np.stack([np.asarray(space.sample()) for _ in range(steps)])


def run_vector(env_id: str, kwargs: dict[str, Any]) -> dict[str, np.ndarray]:
    """A vector env of NUM_ENVS bodies, seeded 7, driven by seeded random actions."""
    env = gym.make_vec(env_id, num_envs=NUM_ENVS, vectorization_mode="vector_entry_point", **kwargs)
    actions = _actions(env.action_space, STEPS, 11)
    obs, _ = env.reset(seed=7)
    rec: dict[str, list[np.ndarray]] = {"obs": [_flat(obs)], "reward": [], "terminated": [], "truncated": [], "executed": [], "components": []}
    for a in actions:
        obs, r, term, trunc, info = env.step(a)
        rec["obs"].append(_flat(obs))
        rec["reward"].append(np.asarray(r, dtype=np.float64))
        rec["terminated"].append(term)
        rec["truncated"].append(trunc)
        rec["executed"].append(np.asarray(info["executed_action"], dtype=np.float64).reshape(NUM_ENVS, -1))
        comps = info["steering"]["components"]
        rec["components"].append(np.stack([np.asarray(comps[k], dtype=np.float64) for k in sorted(comps)], axis=1))
    env.close()
    return {k: np.stack(v) for k, v in rec.items()}


def record() -> None:
    import brainlike.envs  # noqa: F401  (registers the bodies)

    GOLDEN_DIR.mkdir(exist_ok=True)
    for name, env_id, kwargs in CASES:
        np.savez_compressed(GOLDEN_DIR / f"{name}.npz", **run_vector(env_id, kwargs))
        print(f"recorded {name}")


if __name__ == "__main__":
    record()

"""Golden trajectories of the pattern-separation learner: what it did before its update was compiled.

``python tests/learner_golden.py`` records them (run it on the commit whose numbers
are the reference); ``tests/test_learner_speed.py`` replays the same stream and
requires bit-identical actions, TD errors and learned weights. The stream is
synthetic (seeded observations drawn from a small pool so that bodies share active
units, seeded rewards, episode ends and reset steps), so the recording depends on
the learner alone, not on any body's dynamics.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np

from brainlike import envs  # noqa: F401  (registers the bodies)
from brainlike.agents.pattern_separation import PatternSeparationAgent
from brainlike.agents.registry import default_hyperparameters

GOLDEN = Path(__file__).parent / "golden" / "pattern_separation.npz"
STEPS = 300
NUM_BODIES = 16
POOL = 12  # distinct observations: few enough that several bodies activate the same units

#: (name, body whose spaces and profile defaults are used, overrides): the discrete
#: path with the adaptive dopamine gain, and the continuous path with a learned spread.
CASES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("mouse", "brainlike/ForagingMouse-v0", {}),
    ("songbird", "brainlike/SongbirdTutor-v0", {"std_lr": 0.05, "adaptive_gain": 0.02}),
)


def make(env_id: str, overrides: dict[str, Any]) -> PatternSeparationAgent:
    env = gym.make(env_id)
    params = {**default_hyperparameters("pattern-separation", env_id), **overrides}
    agent = PatternSeparationAgent(env.observation_space, env.action_space, seed=3, **params)
    env.close()
    return agent


def run(agent: PatternSeparationAgent, steps: int = STEPS) -> dict[str, np.ndarray]:
    """Drive ``agent`` through ``steps`` of the seeded stream; its actions, TD errors and final weights."""
    rng = np.random.default_rng(5)
    space = agent.observation_space
    assert isinstance(space, gym.spaces.Dict)
    space.seed(9)
    pool = [space.sample() for _ in range(POOL)]

    def batch() -> dict[str, np.ndarray]:
        pick = rng.integers(0, POOL, NUM_BODIES)
        return {k: np.stack([pool[i][k] for i in pick]) for k in space.spaces}

    obs = batch()
    valid = np.ones(NUM_BODIES, dtype=bool)
    actions, td = [], []
    for _ in range(steps):
        a = agent.act(obs, explore=True)
        next_obs = batch()
        rewards = rng.normal(0.0, 1.0, NUM_BODIES).astype(np.float32)
        terminated = rng.random(NUM_BODIES) < 0.04
        truncated = rng.random(NUM_BODIES) < 0.02
        td.append(agent.learn(obs, a, rewards, next_obs, terminated, truncated, valid=valid)["td_error"])
        actions.append(np.asarray(a, dtype=np.float64).reshape(NUM_BODIES, -1))
        valid = ~(terminated | truncated)
        obs = next_obs
    greedy = np.asarray(agent.act(obs, explore=False), dtype=np.float64).reshape(NUM_BODIES, -1)
    return {"actions": np.stack(actions), "td_error": np.array(td), "greedy": greedy,
            **{name: np.asarray(getattr(agent, name)).copy() for name in agent.learned_arrays}}


def record() -> None:
    out = {}
    for name, env_id, overrides in CASES:
        for key, value in run(make(env_id, overrides)).items():
            out[f"{name}/{key}"] = value
    GOLDEN.parent.mkdir(exist_ok=True)
    np.savez_compressed(GOLDEN, **out)
    print(f"wrote {GOLDEN} ({len(out)} arrays)")


if __name__ == "__main__":
    record()

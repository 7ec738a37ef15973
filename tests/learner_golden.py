"""Golden trajectories of the learning-from-scratch agents: what each did before its speed work.

(The Kenyon learners' files were recorded again when the expansion's code got an explicit
order, see ``tests/test_learner_speed.py``; every later speed change must keep them.)

``python tests/learner_golden.py [learner ...]`` records them (run it on the commit whose
numbers are the reference; by default only learners with no recording yet);
``tests/test_learner_speed.py`` replays the same streams and requires bit-identical
actions, learning statistics and learned weights. Each stream is synthetic (seeded
observations drawn from a small pool so that bodies share active units, seeded
rewards, episode ends, reset steps and innate signals), so a recording depends on the
learner alone, not on any body's dynamics; the thought assessor consults a fixed
stand-in valuation (``FixedValuation``), not a body's steering, for the same reason.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np

from brainlike import envs  # noqa: F401  (registers the bodies)
from brainlike.agents.base import Agent
from brainlike.agents.registry import make_agent

GOLDEN_DIR = Path(__file__).parent / "golden"
STEPS = 300
NUM_BODIES = 16
POOL = 12  # distinct observations: few enough that several bodies activate the same units


class FixedValuation:
    """A stand-in for a body's steering: values predicted sweet and salt by a fixed rule of the body state.

    Salt is worth more the lower the first interoceptive line (a crude appetite), so the
    valuation depends on the state, as the real one does, without depending on its code.
    """

    signal_names = ("sweet", "salt")

    def evaluate_prediction(self, predicted: Mapping[str, np.ndarray], interoception: np.ndarray) -> np.ndarray:
        need = 1.0 - np.asarray(interoception, dtype=np.float64)[:, 0]
        return np.asarray(predicted["sweet"], np.float64) + (2.0 * need - 0.5) * np.asarray(predicted["salt"], np.float64)


Infos = Callable[[np.random.Generator, int], dict[str, Any]]


def innate_signals(rng: np.random.Generator, b: int) -> dict[str, Any]:
    """Sparse arrivals of sweet and salt taste, as a rat's mouth reports them."""
    return {"innate_signals": {s: (rng.random(b) < 0.2) * rng.random(b).astype(np.float32) for s in ("sweet", "salt")}}


def climbing_fibre(rng: np.random.Generator, b: int) -> dict[str, Any]:
    """A climbing-fibre error on a few steps, as the puff on an open cornea sends it."""
    return {"climbing_fibre": (rng.random(b) < 0.1).astype(np.float32)}


@dataclass(frozen=True)
class Case:
    """One recorded learner: the agent, the body whose spaces and profile defaults it uses, overrides."""

    file: str  # the recording, ``golden/<file>.npz``
    name: str
    agent: str
    env_id: str
    overrides: dict[str, Any] = field(default_factory=dict)
    infos: Infos | None = None  # what the learner reads from ``infos`` (drawn from its own RNG)

    @property
    def golden(self) -> Path:
        return GOLDEN_DIR / f"{self.file}.npz"


#: Pattern separation: the discrete path with the adaptive dopamine gain, and the
#: continuous path with a learned spread. The others on the bodies they are built for.
CASES: tuple[Case, ...] = (
    Case("pattern_separation", "mouse", "pattern-separation", "brainlike/ForagingMouse-v0"),
    Case("pattern_separation", "songbird", "pattern-separation", "brainlike/SongbirdTutor-v0",
         {"std_lr": 0.05, "adaptive_gain": 0.02}),
    Case("thought_assessor", "thought-assessor", "thought-assessor", "brainlike/SaltRat-v0",
         {"steering": FixedValuation(), "temperature": 0.5}, innate_signals),
    Case("thought_assessor", "cached-value-td", "cached-value-td", "brainlike/SaltRat-v0"),
    Case("node_perturbation", "node-perturbation", "node-perturbation", "brainlike/SongbirdTutor-v0",
         {"maturation": 200, "noise_end": 0.05, "lr_end": 0.5}),
    Case("node_perturbation", "hvc-code", "node-perturbation", "brainlike/SongbirdTutor-v0",
         {"hvc_units": 40, "hvc_active": 3}),
    # As the tutor-learning birds learn: the steering's performance error is the teaching signal.
    Case("node_perturbation", "reward-is-error", "node-perturbation", "brainlike/SongbirdTutor-v0",
         {"hvc_units": 40, "hvc_active": 3, "reward_is_error": True}),
    Case("cerebellar", "shared-brain", "cerebellar", "brainlike/Eyeblink-v0", {}, climbing_fibre),
    Case("cerebellar", "individuals", "cerebellar", "brainlike/Eyeblink-v0", {"animals": NUM_BODIES}, climbing_fibre),
)


def make(case: Case) -> Agent:
    env = gym.make(case.env_id)
    agent = make_agent(case.agent, env, seed=3, **case.overrides)
    env.close()
    return agent


def run(agent: Agent, steps: int = STEPS, infos: Infos | None = None) -> dict[str, np.ndarray]:
    """Drive ``agent`` through ``steps`` of the seeded stream; its actions, learning statistics and final weights."""
    rng = np.random.default_rng(5)
    info_rng = np.random.default_rng(7)  # a stream of its own: the others' draws stay as first recorded
    space = agent.observation_space
    space.seed(9)
    pool = [space.sample() for _ in range(POOL)]

    def batch() -> Any:
        pick = rng.integers(0, POOL, NUM_BODIES)
        if isinstance(space, gym.spaces.Dict):
            return {k: np.stack([pool[i][k] for i in pick]) for k in space.spaces}
        return np.stack([pool[i] for i in pick])

    obs = batch()
    valid = np.ones(NUM_BODIES, dtype=bool)
    actions: list[np.ndarray] = []
    stats: dict[str, list[float]] = {}
    for _ in range(steps):
        a = agent.act(obs, explore=True)
        next_obs = batch()
        rewards = rng.normal(0.0, 1.0, NUM_BODIES).astype(np.float32)
        terminated = rng.random(NUM_BODIES) < 0.04
        truncated = rng.random(NUM_BODIES) < 0.02
        info = None if infos is None else infos(info_rng, NUM_BODIES)
        for key, value in agent.learn(obs, a, rewards, next_obs, terminated, truncated, info, valid=valid).items():
            stats.setdefault(key, []).append(value)
        actions.append(np.asarray(a, dtype=np.float64).reshape(NUM_BODIES, -1))
        valid = ~(terminated | truncated)
        obs = next_obs
    greedy = np.asarray(agent.act(obs, explore=False), dtype=np.float64).reshape(NUM_BODIES, -1)
    return {"actions": np.stack(actions), **{k: np.array(v) for k, v in stats.items()}, "greedy": greedy,
            **{name: np.asarray(getattr(agent, name)).copy() for name in agent.learned_arrays}}


def run_case(case: Case, steps: int = STEPS) -> dict[str, np.ndarray]:
    return run(make(case), steps, case.infos)


def record(files: list[str]) -> None:
    for file in files:
        out = {f"{case.name}/{key}": value for case in CASES if case.file == file for key, value in run_case(case).items()}
        if not out:
            raise SystemExit(f"no learner recorded in {file!r}; known: {sorted({c.file for c in CASES})}")
        GOLDEN_DIR.mkdir(exist_ok=True)
        np.savez_compressed(GOLDEN_DIR / f"{file}.npz", **out)
        print(f"wrote {GOLDEN_DIR / file}.npz ({len(out)} arrays)")


if __name__ == "__main__":
    record(sys.argv[1:] or sorted({c.file for c in CASES if not c.golden.exists()}))

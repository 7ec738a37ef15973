"""One entry point for every agent, numpy or SB3: build, train, evaluate, save, load.

The scripts, the benchmark and the experiments go through here, so a PPO
baseline and a pattern-separation learner are driven the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np

from brainlike import envs  # noqa: F401  (registers the bodies)
from brainlike.agents.base import Agent
from brainlike.agents.baselines import ALGORITHMS, SB3Agent
from brainlike.agents.registry import AGENTS, DEFAULT_TRAINING_BODIES, make_agent, training_bodies
from brainlike.agents.rollout import policy
from brainlike.agents.training import History, evaluate, train
from brainlike.envs.profile import body_ids, profile_for

AnyAgent = Agent | SB3Agent


def agent_names() -> list[str]:
    """Every name the entry points accept: the numpy agents, then the SB3 baselines."""
    return list(AGENTS) + list(ALGORITHMS)


#: Registered agents that exist for an experiment's contrast or innate program, not to be
#: ranked: the benchmark and the demo leave them out unless they are asked for by name.
EXPERIMENT_AGENTS = ("cached-value-td", "licking")


def benchmark_agent_names() -> list[str]:
    """The agents the benchmark and the demo run by default: every name but ``EXPERIMENT_AGENTS``."""
    return [n for n in agent_names() if n not in EXPERIMENT_AGENTS]


def check_agent_body(name: str, env_id: str) -> None:
    """Raise a clear ValueError if ``name`` is unknown, ``env_id`` is not a body, or the pair does not fit.

    A body is any registered id whose module declares a ``BodyProfile``: the
    bundled ``brainlike/`` ones and a user's own (see docs/adding-a-body.md).
    """
    try:
        profile = profile_for(env_id)
    except ValueError as e:
        raise ValueError(f"{e}; bundled bodies: {list(envs.ENV_IDS)}") from None
    if name in ALGORITHMS:
        if name not in profile.sb3_algorithms:
            raise ValueError(f"{name} is not a baseline for {env_id}; its profile names {list(profile.sb3_algorithms)}")
        return
    if name not in AGENTS:
        raise ValueError(f"unknown agent {name!r}; known: {agent_names()}")


def algo_bodies(algo: str) -> list[str]:
    """The bodies whose profile names SB3 algorithm ``algo`` as a baseline."""
    return [body for body in body_ids() if algo in profile_for(body).sb3_algorithms]


def fits(name: str, env_id: str) -> bool:
    """Whether agent ``name`` can run on body ``env_id`` (action space, required steering channel)."""
    try:
        check_agent_body(name, env_id)
    except ValueError:
        return False
    if name in ALGORITHMS:
        return True
    env = gym.make(env_id)
    try:
        make_agent(name, env, seed=0)
    except (TypeError, ValueError, NotImplementedError):
        return False
    finally:
        env.close()
    return True


def build_agent(name: str, env_id: str, seed: int = 0, env_kwargs: Mapping[str, Any] | None = None,
                **overrides: Any) -> AnyAgent:
    check_agent_body(name, env_id)
    if name in ALGORITHMS:
        return SB3Agent(name, env_id, seed=seed, env_kwargs=env_kwargs, **overrides)
    env = gym.make(env_id, **dict(env_kwargs or {}))
    try:
        return make_agent(name, env, seed=seed, **overrides)
    finally:
        env.close()


def train_agent(agent: AnyAgent, env_id: str, total_steps: int, seed: int = 0, num_envs: int | None = None,
                eval_every: int | None = None, eval_episodes: int = 32, progress: bool = True,
                env_kwargs: Mapping[str, Any] | None = None,
                callback: Callable[[dict[str, Any]], None] | None = None,
                log_dir: str | Path | None = None, sb3_callbacks: Sequence[Any] = ()) -> History:
    """Train any agent; the history rows are the same for numpy agents and SB3 baselines.

    ``log_dir`` and ``sb3_callbacks`` are for SB3 baselines only (``SB3Agent.train``).
    """
    if isinstance(agent, SB3Agent):
        return agent.train(total_steps, eval_every=eval_every, eval_episodes=eval_episodes, progress=progress,
                           callback=callback, log_dir=log_dir, sb3_callbacks=sb3_callbacks)
    if log_dir is not None or sb3_callbacks:
        raise ValueError("log_dir and sb3_callbacks are for SB3 baselines; numpy agents report through callback")
    return train(agent, env_id, total_steps, num_envs=num_envs or default_num_envs(agent, env_id), seed=seed,
                 eval_every=eval_every, eval_episodes=eval_episodes, progress=progress, env_kwargs=env_kwargs,
                 callback=callback)


def default_num_envs(agent: Agent, env_id: str) -> int:
    """How many bodies a numpy agent trains on at once on ``env_id`` (its body's profile)."""
    name = next((n for n, cls in AGENTS.items() if type(agent) is cls), None)
    return training_bodies(name, env_id) if name else DEFAULT_TRAINING_BODIES


def evaluate_agent(agent: AnyAgent, env_id: str, episodes: int = 32, seed: int = 0,
                   env_kwargs: Mapping[str, Any] | None = None) -> np.ndarray:
    return evaluate(agent, env_id, episodes=episodes, seed=seed, env_kwargs=env_kwargs)  # type: ignore[arg-type]


def save_agent(agent: AnyAgent, path: str | Path) -> list[Path]:
    return list(agent.save(path))


def saved_meta(path: str | Path) -> tuple[Path, dict[str, Any]]:
    """The base path of a saved agent (without suffix) and its readable ``.json`` record."""
    base = Path(path).with_suffix("") if Path(path).suffix in (".npz", ".json", ".zip") else Path(path)
    js = base.with_name(base.name + ".json")  # not with_suffix: "m.s0" is a name, not "m" + ".s0"
    if not js.exists():
        raise FileNotFoundError(f"no saved agent at {base} (expected {js})")
    try:
        return base, json.loads(js.read_text())
    except ValueError as e:
        raise ValueError(f"{js} is not a saved agent: {e}") from None


def load_agent(path: str | Path) -> AnyAgent:
    """Load a numpy agent (``.npz`` + ``.json``) or an SB3 baseline (``.zip`` + ``.json``)."""
    base, meta = saved_meta(path)
    return SB3Agent.load(base) if meta.get("kind") == "sb3" else Agent.load(base)


def live_one_life(agent: AnyAgent, env: gym.Env, seed: int | None, max_steps: int, explore: bool = False,
                  on_frame: Callable[[], None] | None = None) -> float:
    """One life of ``agent`` in the single env ``env`` (at most ``max_steps`` steps); returns the return.

    The agent acts on a batch of one, exactly as in training and evaluation.
    ``on_frame`` runs after the reset and after every step (e.g. to grab a frame).
    """
    act = policy(agent, env, explore)
    agent.reset_state()
    obs, _ = env.reset(seed=seed)
    if on_frame is not None:
        on_frame()
    total = 0.0
    for _ in range(max_steps):
        batch = {k: v[None] for k, v in obs.items()} if isinstance(obs, dict) else obs[None]
        action = act(batch)[0]
        obs, reward, term, trunc, _ = env.step(action)
        total += float(reward)
        if on_frame is not None:
            on_frame()
        if term or trunc:
            break
    return total


def watch_agent(agent: AnyAgent, env_id: str, episodes: int = 1, seed: int = 0, max_steps: int = 10_000,
                explore: bool = False, env_kwargs: Mapping[str, Any] | None = None) -> list[float]:
    """Show ``episodes`` lives of ``agent`` in a pygame window (``human`` render mode); their returns."""
    env = gym.make(env_id, render_mode="human", **dict(env_kwargs or {}))
    try:
        return [live_one_life(agent, env, seed + e, max_steps, explore) for e in range(episodes)]
    finally:
        env.close()


def record_episode(agent: AnyAgent, env_id: str, out: str | Path, seed: int = 0, max_steps: int = 300,
                   explore: bool = False, env_kwargs: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Play one life of ``agent`` on ``env_id`` and write it as a GIF or MP4 (plus WAVs for a songbird).

    Returns the paths written, the return and the body's summary of the life.
    """
    from brainlike.envs.recording import write_gif, write_mp4

    out = Path(out)
    env = gym.make(env_id, render_mode="rgb_array", **dict(env_kwargs or {}))
    frames: list[np.ndarray] = []
    total = live_one_life(agent, env, seed, max_steps, explore, on_frame=lambda: frames.append(env.render()))
    fps = env.metadata.get("render_fps", 8)
    video = write_gif(frames, out, fps) if out.suffix == ".gif" else write_mp4(frames, out, fps)
    result: dict[str, Any] = {"video": video, "frames": len(frames), "return": total, "summary": env.unwrapped.summary()}
    if hasattr(env.unwrapped, "write_song"):
        stem = out.with_suffix("")
        result["tutor_wav"] = env.unwrapped.write_song(f"{stem}_tutor.wav", who="tutor")
        result["bird_wav"] = env.unwrapped.write_song(f"{stem}_bird.wav", who="bird")
    env.close()
    return result

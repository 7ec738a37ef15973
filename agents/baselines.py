"""Stable-Baselines3 baselines behind the same entry points as the numpy agents.

``SB3Agent`` wraps an SB3 model so that the benchmark, the experiments and the
scripts drive it exactly like a numpy agent: ``act`` on a batch of
observations from the native vector env, ``train`` returning the same history
rows as ``agents.training.train``, ``evaluate`` through
``agents.training.evaluate``, ``save`` and ``load``. SB3 trains on the body's
native vector env through ``agents.sb3_vec_env.NativeVecEnv`` (one numpy step
for all its bodies), with SB3's own ``VecMonitor``, logger (CSV, TensorBoard),
``EvalCallback`` and any callbacks of the user's.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np

from brainlike import envs  # noqa: F401  (registers the bodies)
from brainlike.agents.hyperparams import sb3_hyperparams
from brainlike.agents.rollout import evaluation_seed
from brainlike.agents.training import History, run_episodes

ALGORITHMS = ("ppo", "a2c", "dqn", "sac", "td3")


def _algorithm_class(algo: str) -> Any:
    import stable_baselines3 as sb3

    classes = {"ppo": sb3.PPO, "a2c": sb3.A2C, "dqn": sb3.DQN, "sac": sb3.SAC, "td3": sb3.TD3}
    if algo not in classes:
        raise ValueError(f"unknown SB3 algorithm {algo!r}; known: {ALGORITHMS}")
    return classes[algo]


class SB3Agent:
    """An SB3 model (PPO, A2C, DQN, SAC or TD3) with the numpy agents' entry points.

    Args:
        algo: ``"ppo" | "a2c" | "dqn" | "sac" | "td3"``.
        env_id: the body it learns; hyperparameters come from the shipped rl-zoo3 files
            (``agents.hyperparams``).
        seed: seeds SB3 (weights, exploration) and the training bodies (body i: ``seed + i``).
        env_kwargs: arguments for the body (e.g. ``lethal_capture=True``).
        device: torch device (``"cpu"``, ``"cuda"``, ``"auto"``).
        tensorboard_log: a folder for TensorBoard event files (None: none).
        overrides: replace any hyperparameter of the file.
    """

    def __init__(self, algo: str, env_id: str, seed: int = 0, env_kwargs: Mapping[str, Any] | None = None,
                 device: str = "cpu", tensorboard_log: str | os.PathLike[str] | None = None,
                 **overrides: Any) -> None:
        from stable_baselines3.common.vec_env import VecMonitor

        from brainlike.agents.sb3_vec_env import NativeVecEnv

        cls = _algorithm_class(algo)
        params = sb3_hyperparams(algo, env_id)
        params.update(overrides)
        self.algo, self.env_id, self.seed = algo, env_id, int(seed)
        self.env_kwargs = dict(env_kwargs or {})
        self.hyperparams = dict(params)
        self.tensorboard_log = None if tensorboard_log is None else str(tensorboard_log)
        n_envs = int(params.pop("n_envs", 1))
        policy = params.pop("policy", None)
        import torch

        torch.set_num_threads(1)  # two cores: one for the env, one for the net; more threads only contend
        self.train_env = VecMonitor(NativeVecEnv(env_id, n_envs, **self.env_kwargs))
        if policy is None:  # no tuned file: the policy that reads this body's observations as they are
            policy = "MultiInputPolicy" if isinstance(self.train_env.observation_space, gym.spaces.Dict) else "MlpPolicy"
        self.model = cls(policy, self.train_env, seed=self.seed, verbose=0, device=device,
                         tensorboard_log=self.tensorboard_log, **params)

    # --- the numpy agents' protocol -----------------------------------------------------
    def bind(self, env: Any) -> None:
        """Nothing to bind: SB3 policies see only observations."""

    def reset_state(self) -> None:
        """SB3 policies here are feed-forward: no per-body state."""

    def act(self, obs: Any, explore: bool = True) -> np.ndarray:
        actions, _ = self.model.predict(obs, deterministic=not explore)
        return np.asarray(actions)

    @property
    def num_parameters(self) -> int:
        return int(sum(p.numel() for p in self.model.policy.parameters() if p.requires_grad))

    def describe(self) -> str:
        return f"SB3 {self.algo.upper()} ({self.num_parameters:,} learned parameters)"

    # --- training ---------------------------------------------------------------------
    def train(self, total_steps: int, eval_every: int | None = None, eval_episodes: int = 32,
              eval_seed: int | None = None, progress: bool = True,
              callback: Callable[[dict[str, Any]], None] | None = None,
              log_dir: str | os.PathLike[str] | None = None, sb3_callbacks: Sequence[Any] = ()) -> History:
        """Learn for ``total_steps`` env steps; history rows as ``agents.training.train`` gives them.

        The rows come from greedy evaluations on the native vector env with the
        body's metrics, exactly as for the numpy agents. With ``log_dir``, SB3's
        own logger writes ``progress.csv`` there (and TensorBoard events into
        ``tensorboard_log`` if set) and SB3's ``EvalCallback`` writes
        ``evaluations.npz`` and ``best_model.zip``. ``sb3_callbacks`` (SB3
        ``BaseCallback`` objects) run after those.
        """
        from stable_baselines3.common.callbacks import BaseCallback, CallbackList

        if total_steps < 1:
            raise ValueError(f"total_steps must be >= 1, got {total_steps}")
        eval_seed = evaluation_seed(self.seed) if eval_seed is None else eval_seed
        every = total_steps if eval_every is None else max(int(eval_every), 1)
        history: History = []
        agent = self

        class Recorder(BaseCallback):
            def __init__(self) -> None:
                super().__init__()
                self.next_eval = every
                self.train_time = 0.0
                self.t0 = time.perf_counter()
                self.finished: list[float] = []
                self.episodes = 0

            def record(self, steps: int) -> None:
                self.train_time += time.perf_counter() - self.t0
                res = run_episodes(agent, agent.env_id, eval_episodes, eval_seed, explore=False,
                                   env_kwargs=agent.env_kwargs)
                row: dict[str, Any] = {
                    "env_steps": steps, "wall_seconds": round(self.train_time, 4),
                    "mean_return": float(res["returns"].mean()),
                    "train_return": float(np.mean(self.finished)) if self.finished else math.nan,
                    "episodes": self.episodes,
                }
                row.update({f"eval_{k}": float(np.nanmean(v)) for k, v in res["metrics"].items()})
                history.append(row)
                if steps > 0:  # into SB3's logger too (it exists once learn() has started)
                    for key in ("mean_return", *(k for k in row if k.startswith("eval_"))):
                        self.logger.record(f"brainlike/{key}", row[key])
                self.finished = []
                if callback is not None:
                    callback(row)
                self.t0 = time.perf_counter()

            def _on_step(self) -> bool:
                for info in self.locals.get("infos", []):
                    if "episode" in info:
                        self.finished.append(float(info["episode"]["r"]))
                        self.episodes += 1
                if self.num_timesteps >= self.next_eval:
                    self.record(self.num_timesteps)
                    self.next_eval += every
                return True

        recorder = Recorder()
        recorder.record(0)
        callbacks: list[Any] = [recorder]
        if log_dir is not None:
            callbacks.append(self._sb3_logging(Path(log_dir), every, eval_episodes, eval_seed))
        callbacks += list(sb3_callbacks)
        self.model.learn(total_timesteps=total_steps, callback=CallbackList(callbacks), progress_bar=progress)
        if history[-1]["env_steps"] < self.model.num_timesteps:
            recorder.record(self.model.num_timesteps)
        return history

    def _sb3_logging(self, log_dir: Path, every: int, eval_episodes: int, eval_seed: int) -> Any:
        """SB3's logger (CSV, and TensorBoard if asked) into ``log_dir``, and SB3's ``EvalCallback``."""
        from stable_baselines3.common.callbacks import EvalCallback
        from stable_baselines3.common.logger import Logger, make_output_format
        from stable_baselines3.common.vec_env import VecMonitor

        from brainlike.agents.sb3_vec_env import NativeVecEnv

        log_dir.mkdir(parents=True, exist_ok=True)
        outputs = [make_output_format("csv", str(log_dir))]
        if self.tensorboard_log is not None:
            outputs.append(make_output_format("tensorboard", self.tensorboard_log))
        self.model.set_logger(Logger(str(log_dir), outputs))
        eval_env = VecMonitor(NativeVecEnv(self.env_id, min(eval_episodes, 8), **self.env_kwargs))
        eval_env.seed(eval_seed)
        # EvalCallback counts vector steps: every n_envs env steps is one call.
        return EvalCallback(eval_env, n_eval_episodes=eval_episodes, eval_freq=max(every // self.model.n_envs, 1),
                            log_path=str(log_dir), best_model_save_path=str(log_dir), deterministic=True, verbose=0)

    # --- files ------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> tuple[Path, Path]:
        """``<path>.zip`` (SB3's own format) and ``<path>.json`` (what it is, readable)."""
        base = Path(path).with_suffix("")
        base.parent.mkdir(parents=True, exist_ok=True)
        self.model.save(str(base) + ".zip")
        meta = {"kind": "sb3", "algo": self.algo, "env_id": self.env_id, "seed": self.seed,
                "env_kwargs": self.env_kwargs, "hyperparams": {k: repr(v) for k, v in self.hyperparams.items()},
                "num_parameters": self.num_parameters}
        js = base.with_suffix(".json")
        tmp = js.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(meta, indent=2))
        tmp.replace(js)
        return base.with_suffix(".zip"), js

    @classmethod
    def load(cls, path: str | os.PathLike[str], device: str = "cpu") -> SB3Agent:
        base = Path(path).with_suffix("")
        js, zp = base.with_suffix(".json"), base.with_suffix(".zip")
        if not js.exists() or not zp.exists():
            raise FileNotFoundError(f"an SB3 agent needs {js} and {zp}")
        try:
            meta = json.loads(js.read_text())
            algo, env_id = meta["algo"], meta["env_id"]
        except (ValueError, KeyError) as e:
            raise ValueError(f"{js} is not a saved SB3 agent: {e}") from None
        agent = cls(algo, env_id, seed=meta.get("seed", 0), env_kwargs=meta.get("env_kwargs"), device=device)
        agent.model = _algorithm_class(algo).load(str(zp), env=agent.train_env, device=device)
        return agent


def is_baseline(name: str) -> bool:
    return name in ALGORITHMS

"""An SB3 ``VecEnv`` over a body's native vector env, so SB3 trains at native speed.

SB3 accepts only its own ``VecEnv``. Its ``DummyVecEnv`` steps N single envs one
Python call at a time; this adapter steps all N bodies in one numpy call.

It behaves as SB3's ``DummyVecEnv`` over single envs seeded ``seed + i``:
- same-step reset: a body whose life ends is reset in the same ``step``; the
  returned observation is the new life's first, the last one of the old life is
  ``infos[i]["terminal_observation"]``;
- ``infos[i]["TimeLimit.truncated"]`` says the life was cut by the time limit
  (SB3 bootstraps from ``terminal_observation`` then);
- rewards are float32, dones bool.
Body i, seeded ``seed + i``, lives exactly the lives of a single env seeded the
same way (the native vector env's guarantee), so the transitions are equal.

The per-step ``info`` of the bodies (the steering subsystem's rewards and
reflexes) is not copied into the N info dicts: building N dicts per step would
cost more than the step itself. The last step's batched ``info`` is kept as
``last_info`` (e.g. for a callback recording what the bodies did).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import gymnasium as gym
import numpy as np
from stable_baselines3.common.vec_env.base_vec_env import VecEnv, VecEnvObs, VecEnvStepReturn

from brainlike import envs  # noqa: F401  (registers the bodies)


def _row(obs: Any, i: int) -> Any:
    """Body ``i``'s observation out of a batch (a copy: the batch is reused)."""
    if isinstance(obs, dict):
        return {k: np.array(v[i]) for k, v in obs.items()}
    return np.array(obs[i])


class NativeVecEnv(VecEnv):
    """SB3 ``VecEnv`` of ``num_envs`` bodies of ``env_id``, stepped by the native vector env.

    Args:
        env_id: a registered brainlike id (``brainlike/ForagingMouse-v0``, ...).
        num_envs: bodies stepped at once.
        render_mode: ``None`` or ``"rgb_array"`` (frames through ``get_images``).
        **env_kwargs: arguments for the body, as for ``gym.make``.
    """

    def __init__(self, env_id: str, num_envs: int, render_mode: str | None = None, **env_kwargs: Any) -> None:
        if num_envs < 1:
            raise ValueError(f"num_envs must be >= 1, got {num_envs}")
        self.env_id = env_id
        self.native = gym.make_vec(env_id, num_envs=num_envs, vectorization_mode="vector_entry_point",
                                   render_mode=render_mode, **env_kwargs)
        self.body = self.native.unwrapped.body
        super().__init__(num_envs, self.native.single_observation_space, self.native.single_action_space)
        self._actions: np.ndarray | None = None
        #: The native step's batched ``info`` of the last ``step_wait`` (before any same-step reset).
        self.last_info: dict[str, Any] = {}

    # --- stepping ---------------------------------------------------------------------
    def reset(self) -> VecEnvObs:
        seeds = self._seeds
        # All None: continue each body's stream, as DummyVecEnv's env.reset() does.
        obs, _ = self.native.reset(seed=None if all(s is None for s in seeds) else [int(s) for s in seeds])
        self._reset_seeds()
        self._reset_options()
        self.reset_infos = [{} for _ in range(self.num_envs)]
        return obs

    def step_async(self, actions: np.ndarray) -> None:
        self._actions = actions

    def step_wait(self) -> VecEnvStepReturn:
        if self._actions is None:
            raise RuntimeError("step_async() must come before step_wait()")
        # A copy: the bodies may write into the array they are given, and SB3 keeps its actions.
        actions = self.body.validate_actions(np.array(self._actions), batched=True)
        self._actions = None
        reward, terminated, truncated, self.last_info = self.body.step(actions)
        obs = self.body.observation()
        dones = terminated | truncated
        infos: list[dict[str, Any]] = [{"TimeLimit.truncated": False} for _ in range(self.num_envs)]
        if dones.any():
            for i in np.flatnonzero(dones):
                infos[i]["terminal_observation"] = _row(obs, int(i))
                infos[i]["TimeLimit.truncated"] = bool(truncated[i] and not terminated[i])
            # Same-step reset: each ended body starts its next life, continuing its own key stream.
            self.body.reset_bodies(dones)
            obs = self.body.observation()
        return obs, np.asarray(reward, dtype=np.float32), dones.astype(bool), infos

    def close(self) -> None:
        self.native.close()

    def get_images(self) -> Sequence[np.ndarray | None]:
        frames = self.native.render()
        return [None] * self.num_envs if frames is None else list(frames)

    # --- attributes: every body shares the one native env --------------------------------
    def _indices(self, indices: None | int | Iterable[int]) -> list[int]:
        if indices is None:
            return list(range(self.num_envs))
        return [indices] if isinstance(indices, int) else list(indices)

    def get_attr(self, attr_name: str, indices: None | int | Iterable[int] = None) -> list[Any]:
        value = getattr(self.native.unwrapped, attr_name)
        return [value for _ in self._indices(indices)]

    def set_attr(self, attr_name: str, value: Any, indices: None | int | Iterable[int] = None) -> None:
        if self._indices(indices) != list(range(self.num_envs)):
            raise ValueError("the bodies share one native env: set an attribute on all of them (indices=None)")
        setattr(self.native.unwrapped, attr_name, value)

    def env_method(self, method_name: str, *method_args: Any, indices: None | int | Iterable[int] = None,
                   **method_kwargs: Any) -> list[Any]:
        result = getattr(self.native.unwrapped, method_name)(*method_args, **method_kwargs)
        return [result for _ in self._indices(indices)]

    def env_is_wrapped(self, wrapper_class: type[gym.Wrapper], indices: None | int | Iterable[int] = None) -> list[bool]:
        # No single env and so no gym wrapper; wrap with SB3's VecMonitor for episode statistics.
        return [False for _ in self._indices(indices)]

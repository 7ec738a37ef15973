"""The machinery every body shares: a batched core, its single and vector envs.

A body is written once, as a subclass of ``Body`` whose state lives in numpy
arrays with a leading body axis. ``BodyEnv`` is the Gymnasium ``Env`` that
runs a batch of one; ``BodyVectorEnv`` is the native ``VectorEnv`` that runs N
bodies in one numpy step, with Gymnasium's next-step autoreset. Both give the
same numbers for the same seeds: body i of a vector env seeded ``s`` behaves
exactly like a single env seeded ``s + i`` (as ``SyncVectorEnv`` seeds them).

That equivalence needs per-body randomness that is still drawn in one numpy
call. ``CounterRNG`` gives it: a body's random numbers are a hash of a 64-bit
key (drawn from the env's ``np_random`` at reset) and a per-body call counter,
so body i's stream does not depend on how many other bodies share the batch.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import gymnasium as gym
import numpy as np
from gymnasium import spaces
from gymnasium.utils import seeding
from gymnasium.vector import AutoresetMode, VectorEnv

from brainlike.steering.base import Steering, SteeringOutput

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_KEY_HIGH = 2**63


def _splitmix(x: np.ndarray) -> np.ndarray:
    x = (x ^ (x >> np.uint64(30))) * _MIX1
    x = (x ^ (x >> np.uint64(27))) * _MIX2
    return x ^ (x >> np.uint64(31))


class CounterRNG:
    """Per-body random streams drawn for a whole batch at once.

    Every call to ``uniform(k)`` advances every body's counter by one, so a
    body's numbers depend only on its key and on how many calls came before:
    callers must draw unconditionally (never only "if any body needs it").
    """

    def __init__(self, num_bodies: int) -> None:
        self.key = np.zeros(num_bodies, dtype=np.uint64)
        self.counter = np.zeros(num_bodies, dtype=np.uint64)

    def seed(self, mask: np.ndarray, keys: np.ndarray) -> None:
        self.key[mask] = keys
        self.counter[mask] = 0

    def uniform(self, k: int, rows: np.ndarray | None = None) -> np.ndarray:
        """(bodies, k) floats in [0, 1); with ``rows`` (indices), only those bodies draw."""
        key, counter = (self.key, self.counter) if rows is None else (self.key[rows], self.counter[rows])
        base = key + (counter << np.uint64(6)) * _GOLDEN
        x = base[:, None] + self._steps(k)
        if rows is None:
            self.counter += np.uint64(1)
        else:
            self.counter[rows] += np.uint64(1)
        return (_splitmix(x) >> np.uint64(11)).astype(np.float64) * (1.0 / 2**53)

    @staticmethod
    def _steps(k: int) -> np.ndarray:
        steps = _STEPS.get(k)
        if steps is None:
            steps = _STEPS[k] = np.arange(1, k + 1, dtype=np.uint64) * _GOLDEN
        return steps


_STEPS: dict[int, np.ndarray] = {}


def draw_keys(rng: np.random.Generator, n: int = 1) -> np.ndarray:
    """Fresh life keys from a seeded generator (at ``reset(seed=...)``)."""
    return rng.integers(0, _KEY_HIGH, size=n, dtype=np.uint64)


def next_keys(keys: np.ndarray) -> np.ndarray:
    """The key of each body's next life, derived from its current one.

    Resets without a seed continue the stream this way, in one numpy call for
    any number of bodies; a single env does the same, so the two stay equal.
    """
    return _splitmix(keys ^ _NEXT_LIFE)


_NEXT_LIFE = np.uint64(0xD1B54A32D192ED03)


class Body:
    """The batched core of a body: physics, senses, observations, rendering.

    Subclasses define ``single_observation_space`` / ``single_action_space`` in
    ``__init__``, and implement ``_reset_bodies``, ``_observe``, ``_step`` and
    ``render_body``; optionally ``_summary``. The steering module is called
    from ``_step``: the body reports senses and events, steering decides.

    Args common to every body:
        num_bodies: the batch size.
        steering: the Steering Subsystem (the species default if None).
        reflexes: False inhibits every reflex (a lesion).
        observation_mode: ``"dict"`` (exteroception / interoception) or
            ``"flat"`` (one float32 vector: exteroception then interoception).
        max_episode_steps: truncation, used by the vector env (single envs get
            Gymnasium's ``TimeLimit`` from ``gym.make``).
    """

    action_names: ClassVar[tuple[str, ...]] = ()
    default_steering: ClassVar[type[Steering]]

    def __init__(
        self,
        num_bodies: int,
        steering: Steering | None,
        reflexes: bool,
        observation_mode: str,
        max_episode_steps: int | None,
    ) -> None:
        if not isinstance(num_bodies, (int, np.integer)) or num_bodies < 1:
            raise ValueError(f"num_bodies must be a positive integer, got {num_bodies!r}")
        if observation_mode not in ("dict", "flat"):
            raise ValueError(f"observation_mode must be 'dict' or 'flat', got {observation_mode!r}")
        if max_episode_steps is not None and max_episode_steps < 1:
            raise ValueError(f"max_episode_steps must be >= 1 or None, got {max_episode_steps}")
        if steering is None:
            steering = self.default_steering()
        if not isinstance(steering, Steering):
            raise TypeError(f"steering must be a steering.Steering, got {type(steering).__name__}")
        self.num_bodies = int(num_bodies)
        self.steering = steering
        steering.resize(self.num_bodies)
        steering.reflexes_enabled = bool(reflexes)
        self.observation_mode = observation_mode
        self.max_episode_steps = max_episode_steps
        self.rng = CounterRNG(self.num_bodies)
        self.elapsed = np.zeros(self.num_bodies, dtype=np.int64)
        self.last: SteeringOutput | None = None

    # --- spaces --------------------------------------------------------------
    def _set_spaces(self, extero: spaces.Box, intero: spaces.Box, action: spaces.Space) -> None:
        self.dict_observation_space = spaces.Dict({"exteroception": extero, "interoception": intero})
        if self.observation_mode == "dict":
            self.single_observation_space: spaces.Space = self.dict_observation_space
        else:
            self.single_observation_space = spaces.Box(
                np.concatenate([extero.low, intero.low]).astype(np.float32),
                np.concatenate([extero.high, intero.high]).astype(np.float32),
                dtype=np.float32,
            )
        self.single_action_space = action

    def observation(self) -> Any:
        extero, intero = self._observe()
        if self.observation_mode == "dict":
            return {"exteroception": extero, "interoception": intero}
        return np.concatenate([extero, intero], axis=1)

    # --- lifecycle -----------------------------------------------------------
    def reset_bodies(self, mask: np.ndarray, keys: np.ndarray | None = None) -> None:
        """New lives for the bodies in ``mask``, each from its 64-bit key (default: the next of its stream)."""
        self.rng.seed(mask, next_keys(self.rng.key[mask]) if keys is None else keys)
        self.elapsed[mask] = 0
        self.steering.reset(mask)
        self._reset_bodies(mask)

    def step(self, actions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        """Advance every body with validated ``actions``: (reward, terminated, truncated, info)."""
        reward, terminated, info = self._step(actions)
        self.elapsed += 1
        if self.max_episode_steps is None:
            truncated = np.zeros(self.num_bodies, dtype=bool)
        else:
            truncated = (self.elapsed >= self.max_episode_steps) & ~terminated
        return reward, terminated, truncated, info

    # --- input checking ------------------------------------------------------
    def validate_actions(self, actions: Any, batched: bool) -> np.ndarray:
        """Return ``actions`` as a (bodies, ...) array, or raise naming the bad value."""
        space = self.single_action_space
        shape = (self.num_bodies,) + (space.shape or ())
        if isinstance(space, spaces.Discrete):
            arr = np.asarray(actions)
            if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
                if np.issubdtype(arr.dtype, np.floating) and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
                    arr = arr.astype(np.int64)
                else:
                    raise ValueError(f"action {actions!r} is not an integer in [0, {space.n}) ({', '.join(self.action_names)})")
            arr = arr.reshape(shape) if (not batched and arr.size == 1) else arr
            if arr.shape != shape:
                raise ValueError(f"actions must have shape {shape}, got {arr.shape} ({actions!r})")
            if arr.min() < 0 or arr.max() >= space.n:
                raise ValueError(f"action {actions!r} outside [0, {space.n}): expected one of {self.action_names}")
            return arr.astype(np.int64, copy=False)
        assert isinstance(space, spaces.Box)
        arr = np.asarray(actions, dtype=np.float64)
        if not batched:
            arr = arr.reshape((1,) + arr.shape) if arr.shape == space.shape else arr
        if arr.shape != shape:
            raise ValueError(f"actions must have shape {shape}, got {arr.shape}")
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"action contains NaN or inf: {actions!r}")
        if np.any(arr < space.low) or np.any(arr > space.high):
            raise ValueError(f"action {actions!r} outside the action space [{space.low.min()}, {space.high.max()}]")
        return arr

    # --- for subclasses ------------------------------------------------------
    def _reset_bodies(self, mask: np.ndarray) -> None:
        raise NotImplementedError

    def _observe(self) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def _step(self, actions: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
        """Advance the physics, ask steering; (reward, terminated, info).

        ``info`` holds batched arrays and, under ``"steering"``, the
        ``SteeringOutput`` itself: the single env turns it into body 0's dict,
        the vector env into a dict of arrays.
        """
        raise NotImplementedError

    def render_body(self, i: int, canvas: Any) -> None:
        raise NotImplementedError

    def summary(self, i: int) -> dict[str, Any]:
        """Per-life statistics of body i, for experiments and the demo."""
        return {}


def check_kwargs(body_class: type[Body], kwargs: Mapping[str, Any]) -> None:
    """Reject unknown keyword arguments with the list of accepted ones."""
    params = inspect.signature(body_class.__init__).parameters
    accepted = [p for p in params if p not in ("self", "num_bodies")]
    unknown = sorted(set(kwargs) - set(accepted))
    if unknown:
        raise TypeError(f"{body_class.__name__} got unknown argument(s) {unknown}; accepted: {accepted}")


def _single(x: Any) -> Any:
    """Body 0 of a batch, recursively through dicts."""
    if isinstance(x, dict):
        return {k: _single(v) for k, v in x.items()}
    if isinstance(x, np.ndarray):
        return x[0]
    return x


class BodyEnv(gym.Env):
    """A Gymnasium env that runs one body: a batch of one."""

    body_class: ClassVar[type[Body]]
    metadata: ClassVar[dict[str, Any]] = {"render_modes": ["human", "rgb_array"], "render_fps": 10}

    def __init__(self, render_mode: str | None = None, **kwargs: Any) -> None:
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']} or None, got {render_mode!r}")
        check_kwargs(self.body_class, kwargs)
        kwargs.setdefault("max_episode_steps", None)
        self.body = self.body_class(num_bodies=1, **kwargs)
        self.observation_space = self.body.single_observation_space
        self.action_space = self.body.single_action_space
        self.render_mode = render_mode
        self._all = np.ones(1, dtype=bool)
        self._canvas: Any = None
        self._was_reset = False

    @property
    def steering(self) -> Steering:
        return self.body.steering

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any]]:
        first = self._np_random is None
        super().reset(seed=seed)
        # A seed (or the very first reset) draws the life's key from np_random; later
        # resets continue the stream, exactly as the vector env does for each body.
        self.body.reset_bodies(self._all, draw_keys(self.np_random) if (seed is not None or first) else None)
        self._was_reset = True
        if self.render_mode == "human":
            self.render()
        return _single(self.body.observation()), {}

    def step(self, action: Any) -> tuple[Any, float, bool, bool, dict[str, Any]]:
        if not self._was_reset:
            raise RuntimeError("call reset() before step()")
        actions = self.body.validate_actions(action, batched=False)
        reward, terminated, truncated, info = self.body.step(actions)
        obs = _single(self.body.observation())
        if self.render_mode == "human":
            self.render()
        out = info.pop("steering")
        info = _single(info)
        info["steering"] = out.for_body(0)
        return obs, float(reward[0]), bool(terminated[0]), bool(truncated[0]), info

    def summary(self) -> dict[str, Any]:
        """Statistics of the current life: what the steering subsystem did."""
        return self.body.summary(0)

    def render(self) -> np.ndarray | None:
        if self.render_mode is None:
            gym.logger.warn("render() called without a render_mode; pass render_mode='rgb_array' or 'human'")
            return None
        from brainlike.envs.rendering import Canvas

        if self._canvas is None:
            self._canvas = Canvas(self.body.canvas_size, human=self.render_mode == "human", fps=self.metadata["render_fps"], title=type(self).__name__)
        self.body.render_body(0, self._canvas)
        frame = self._canvas.show()
        # Gymnasium's contract: "human" draws to the window and returns None.
        return None if self.render_mode == "human" else frame

    def close(self) -> None:
        if self._canvas is not None:
            self._canvas.close()
            self._canvas = None

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_canvas"] = None  # pygame surfaces do not pickle; a new one is made on demand
        return state


class BodyVectorEnv(VectorEnv):
    """N bodies stepped by one numpy call, with next-step autoreset.

    Body i, seeded ``seed + i``, matches a single env seeded the same way,
    step for step and through resets.
    """

    body_class: ClassVar[type[Body]]
    metadata: ClassVar[dict[str, Any]] = {
        "render_modes": ["rgb_array"],
        "render_fps": 10,
        "autoreset_mode": AutoresetMode.NEXT_STEP,
    }

    def __init__(self, num_envs: int = 1, render_mode: str | None = None, **kwargs: Any) -> None:
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']} or None, got {render_mode!r}")
        check_kwargs(self.body_class, kwargs)
        self.body = self.body_class(num_bodies=num_envs, **kwargs)
        self.num_envs = self.body.num_bodies
        self.single_observation_space = self.body.single_observation_space
        self.single_action_space = self.body.single_action_space
        self.observation_space = gym.vector.utils.batch_space(self.single_observation_space, self.num_envs)
        self.action_space = gym.vector.utils.batch_space(self.single_action_space, self.num_envs)
        self.render_mode = render_mode
        self._seeded = False
        self._autoreset = np.zeros(self.num_envs, dtype=bool)
        self._canvas: Any = None

    @property
    def steering(self) -> Steering:
        return self.body.steering

    def reset(self, *, seed: int | Sequence[int] | None = None, options: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any]]:
        if seed is None:
            seeds: list[int | None] = [None] * self.num_envs
        elif isinstance(seed, (int, np.integer)):
            seeds = [int(seed) + i for i in range(self.num_envs)]
        else:
            seeds = list(seed)
            if len(seeds) != self.num_envs:
                raise ValueError(f"expected {self.num_envs} seeds, got {len(seeds)}")
        mask = np.ones(self.num_envs, dtype=bool)
        if seed is not None or not self._seeded:
            # Body i's first key comes from the generator a single env seeded seeds[i] would have.
            keys = np.array([draw_keys(seeding.np_random(s)[0])[0] for s in seeds], dtype=np.uint64)
            self.body.reset_bodies(mask, keys)
            self._seeded = True
        else:
            self.body.reset_bodies(mask)
        self._autoreset[:] = False
        return self.body.observation(), {}

    def step(self, actions: Any) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        if not self._seeded:
            raise RuntimeError("call reset() before step()")
        actions = self.body.validate_actions(actions, batched=True)
        reward, terminated, truncated, info = self.body.step(actions)
        info["steering"] = info["steering"].batched()
        restart = self._autoreset
        if restart.any():
            # Bodies whose life ended on the previous step start a new one now;
            # their action is ignored, as in Gymnasium's next-step autoreset.
            self.body.reset_bodies(restart)
            reward = np.where(restart, 0.0, reward)
            terminated = terminated & ~restart
            truncated = truncated & ~restart
        self._autoreset = terminated | truncated
        return self.body.observation(), reward, terminated, truncated, info

    def render(self) -> tuple[np.ndarray, ...] | None:
        if self.render_mode is None:
            gym.logger.warn("render() called without a render_mode; pass render_mode='rgb_array'")
            return None
        from brainlike.envs.rendering import Canvas

        if self._canvas is None:
            self._canvas = Canvas(self.body.canvas_size, human=False, fps=self.metadata["render_fps"], title=type(self).__name__)
        frames = []
        for i in range(self.num_envs):
            self.body.render_body(i, self._canvas)
            frames.append(self._canvas.show())
        return tuple(frames)

    def close_extras(self, **kwargs: Any) -> None:
        if self._canvas is not None:
            self._canvas.close()
            self._canvas = None

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_canvas"] = None
        return state

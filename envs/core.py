"""The machinery every body shares: a batched core, its single and vector envs.

A body is written once, as a subclass of ``Body`` whose state lives in numpy
arrays with a leading body axis. ``BodyEnv`` is the Gymnasium ``Env`` that
runs a batch of one; ``BodyVectorEnv`` is the native ``VectorEnv`` that runs N
bodies in one numpy step, with Gymnasium's next-step autoreset. Both give the
same numbers for the same seeds: body i of a vector env seeded ``s`` behaves
exactly like a single env seeded ``s + i`` (as ``SyncVectorEnv`` seeds them),
thanks to the per-body streams of ``envs.rng``.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Generic

import gymnasium as gym
import numpy as np
from gymnasium import spaces
from gymnasium.utils import seeding
from gymnasium.vector import AutoresetMode, VectorEnv

from brainlike.envs.contract import Layout, StateVar, check_arguments, integer
from brainlike.envs.rng import CounterRNG, draw_keys
from brainlike.steering.base import EventsT, ReflexTakeover, SensesT, Steering, SteeringOutput
from brainlike.steering.compiled import jit


class Body(Generic[SensesT, EventsT]):
    """The batched core of a body: the step sequence every body shares.

    ``step`` is a template. The core draws this step's random numbers (every
    body, every step: a body's stream must not depend on what happened, nor on
    its batch), lets the reflexes take over, has the body move, asks steering
    to evaluate and builds ``info``. A body writes only what differs:

    - ``__init__``: check its arguments (``check_arguments``), set its
      configuration, then ``self._build(layout, extero, intero, action)``;
    - ``state_table()``: its per-body arrays (allocated and reset by the core);
    - ``_reset_bodies(rows, u)``: what is drawn at birth for the bodies ``rows``, from ``u``;
    - ``senses()``: the record its reflexes read (None without reflexes);
    - ``_physics(takeover, u)``: move, return (events record, terminated, info);
    - ``_observe()``: (exteroception, interoception) arrays;
    - optionally ``_after_evaluation``, ``summary``, ``render_body``.

    Class attributes: ``default_steering`` (the species' steering class: any
    other is refused), ``randoms_per_step`` and ``randoms_per_life`` (the
    uniforms each body draws per step and at birth).

    Args common to every body:
        num_bodies: the batch size.
        steering: the Steering Subsystem (the species default if None). The body
            keeps its own copy, so envs built from one object never interact.
        reflexes: False inhibits every reflex (a lesion).
        observation_mode: ``"dict"`` (exteroception / interoception) or
            ``"flat"`` (one float32 vector: exteroception then interoception).
        max_episode_steps: truncation, used by the vector env (single envs get
            Gymnasium's ``TimeLimit`` from ``gym.make``).
    """

    default_steering: ClassVar[type[Steering[Any, Any]]]
    randoms_per_step: ClassVar[int] = 0
    randoms_per_life: int = 0
    layout: Layout

    def __init__(
        self,
        num_bodies: int,
        steering: Steering[SensesT, EventsT] | None,
        reflexes: bool,
        observation_mode: str,
        max_episode_steps: int | None,
    ) -> None:
        species = self.default_steering.__name__
        check_arguments({
            "num_bodies": (num_bodies, integer(num_bodies) and num_bodies >= 1, "a positive integer"),
            "reflexes": (reflexes, isinstance(reflexes, (bool, np.bool_)), "True or False"),
            "observation_mode": (observation_mode, observation_mode in ("dict", "flat"), "'dict' or 'flat'"),
            "max_episode_steps": (max_episode_steps, max_episode_steps is None or (integer(max_episode_steps) and max_episode_steps >= 1), "None or an integer >= 1"),
        })
        if steering is None:
            steering = self.default_steering()
        elif not isinstance(steering, Steering) or not isinstance(steering.unwrapped, self.default_steering):
            given = type(steering).__name__
            if isinstance(steering, Steering) and steering.unwrapped is not steering:
                given += f"({type(steering.unwrapped).__name__})"
            raise TypeError(f"steering must be a {species} (or a wrapper of one, e.g. RewardLesion({species}())), got {given}")
        else:
            # The env owns its steering: two envs built from one object must not share a life.
            steering = copy.deepcopy(steering)
        self.num_bodies = int(num_bodies)
        self.steering = steering
        steering.resize(self.num_bodies)
        steering.reflexes_enabled = bool(reflexes)
        self.observation_mode = observation_mode
        self.max_episode_steps = None if max_episode_steps is None else int(max_episode_steps)
        self._rng = CounterRNG(self.num_bodies)
        self.elapsed = np.zeros(self.num_bodies, dtype=np.int64)

    # --- declared once: layout, spaces, state ----------------------------------
    def _build(self, layout: Layout, extero: spaces.Box, intero: spaces.Box, action: spaces.Space) -> None:
        """Set the spaces and the layout that names them, and allocate the state table."""
        widths = (extero.shape[0], intero.shape[0])
        if layout.widths() != widths:
            raise AssertionError(f"{type(self).__name__}'s layout names {layout.widths()} channels, its spaces have {widths}")
        self.layout = Layout(layout.exteroception, layout.interoception, layout.actions, self.observation_mode)
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
        # For the common cases of ``validate_one`` and ``validate_actions``: the number of discrete
        # actions (0 for a Box), a Box's bounds when every dimension shares them, and the buffer
        # ``validate_one`` writes a single action into.
        self._discrete_n = int(action.n) if isinstance(action, spaces.Discrete) else 0
        self._box_range = _shared_bounds(action)
        self._batch_action_shape = (self.num_bodies, *(action.shape or ()))
        self._one_action = np.zeros((1, *action.shape)) if isinstance(action, spaces.Box) else np.zeros(1, dtype=np.int64)
        self._state = self.state_table()
        self._allocate_state()

    def _allocate_state(self) -> None:
        """One array per declared name (a ``CompiledBody`` packs them into one record array instead)."""
        for name, var in self._state.items():
            if isinstance(var, Mapping):  # a named group, e.g. a life's statistics
                setattr(self, name, {k: self._allocate(v) for k, v in var.items()})
            else:
                setattr(self, name, self._allocate(var))

    def _allocate(self, var: StateVar) -> np.ndarray:
        return np.full((self.num_bodies, *var.shape), var.birth, dtype=var.dtype)

    @property
    def action_names(self) -> tuple[str, ...]:
        return self.layout.actions

    def state_table(self) -> dict[str, StateVar | dict[str, StateVar]]:
        """Every per-body state array (or named group of arrays) by name: allocated and reset by the core."""
        return {}

    def observation(self) -> Any:
        extero, intero = self._observe()
        if self.observation_mode == "dict":
            return {"exteroception": extero, "interoception": intero}
        return np.concatenate([extero, intero], axis=1)

    def observation_of_one(self) -> Any:
        """Body 0's observation, as a single env returns it (fresh arrays: the body never writes them again)."""
        extero, intero = self._observe()
        if self.observation_mode == "dict":
            return {"exteroception": extero[0], "interoception": intero[0]}
        return np.concatenate((extero[0], intero[0]))

    # --- lifecycle -----------------------------------------------------------
    def reset_bodies(self, mask: np.ndarray, keys: np.ndarray | None = None) -> None:
        """New lives for the bodies in ``mask``, each from its 64-bit key (default: the next of its stream)."""
        self.reset_rows(np.flatnonzero(mask), keys)

    def reset_rows(self, rows: np.ndarray, keys: np.ndarray | None = None) -> None:
        """New lives for the bodies ``rows`` (int64 indices, ascending), as ``reset_bodies``.

        Everything is indexed by rows, not by a mask over every body: at N=1024 a few
        bodies end on most steps, and a mask costs a pass over all of them per array.
        """
        u = self._rng.new_lives(rows, keys, self.randoms_per_life)
        self.elapsed[rows] = 0
        self.steering.reset(rows)
        self._return_to_birth(rows)
        self._reset_bodies(rows, u)

    def _return_to_birth(self, rows: np.ndarray) -> None:
        """Every declared state array of the bodies ``rows`` (indices) back to its value at birth."""
        for name, var in self._state.items():
            arrays = getattr(self, name)
            if isinstance(var, Mapping):
                for k, v in var.items():
                    arrays[k][rows] = v.birth
            else:
                arrays[rows] = var.birth

    def step(self, actions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        """Advance every body with validated ``actions``: (reward, terminated, truncated, info).

        ``info`` holds batched arrays and, under ``"steering"``, the
        ``SteeringOutput`` itself: the single env turns it into body 0's dict,
        the vector env into a dict of arrays.
        """
        # Drawn first and unconditionally, so body i's stream never depends on events or on the batch.
        u = self._rng.uniform(self.randoms_per_step)
        takeover = self.steering.reflex(self.senses(), actions)  # type: ignore[arg-type]
        events, terminated, body_info = self._physics(takeover, u)
        out = self.steering.evaluate(events, takeover)
        self._after_evaluation(out, events, body_info)
        self.elapsed += 1
        if self.max_episode_steps is None:
            truncated = np.zeros(self.num_bodies, dtype=bool)
        else:
            # As Gymnasium's TimeLimit: the limit truncates even on a step that also terminates.
            truncated = self.elapsed >= self.max_episode_steps
        info = {
            "steering": out,
            # Copies: info must not change when a body is reset, nor alias the caller's actions.
            "executed_action": takeover.executed.copy(),
            "reflex_overrode": takeover.mask.copy(),
            **body_info,
        }
        return out.reward, terminated, truncated, info

    def step_single(self, action: Any) -> tuple[Any, float, bool, bool, dict[str, Any]]:
        """One step of a batch of one, as ``BodyEnv.step`` returns it: (obs, reward, terminated, truncated, info).

        ``info`` is body 0's: its arrays' first entries, and ``info["steering"]`` as a plain dict.
        """
        reward, terminated, truncated, info = self.step(self.validate_one(action))
        out = info.pop("steering")
        info = _single(info)
        info["steering"] = out.for_body(0)
        return self.observation_of_one(), float(reward[0]), bool(terminated[0]), bool(truncated[0]), info

    # --- input checking ------------------------------------------------------
    def validate_one(self, action: Any) -> np.ndarray:
        """A single env's ``action`` as a batch of one, or raise naming the bad value.

        The common cases cost a few Python operations, less than a compiled step: a
        valid integer for a ``Discrete`` space, two type checks; a float array for a
        one-dimensional ``Box`` whose dimensions share their bounds, its values as a
        list, their min, max and sum (a NaN makes the sum NaN, which equals nothing).
        Anything else, and every bad action, takes the general checks, which name
        the bad value. A valid action is written into a buffer of the body's own,
        which the step reads and no one keeps (``info["executed_action"]`` is the
        step's own copy).
        """
        if type(action) in _INTEGERS and self._discrete_n and 0 <= action < self._discrete_n:
            one = self._one_action
            one[0] = action
            return one
        bounds = self._box_range
        if bounds is not None and type(action) is np.ndarray and action.dtype.kind == "f" and action.shape == self._batch_action_shape[1:]:
            values = action.tolist()
            total = sum(values)
            if bounds[0] <= min(values) and max(values) <= bounds[1] and total == total:
                one = self._one_action
                one[0] = action
                return one
        return self.validate_actions(action, batched=False)

    def validate_actions(self, actions: Any, batched: bool) -> np.ndarray:
        """Return ``actions`` as a new (bodies, ...) array, or raise naming the bad value."""
        n = self._discrete_n
        if batched and n and type(actions) is np.ndarray and actions.dtype == np.int64 and actions.shape == (self.num_bodies,):
            # The vector env's common case in one compiled pass that copies and checks (the caller's
            # array is never kept); a bad action takes the general path, which names it.
            arr = np.empty(self.num_bodies, dtype=np.int64)
            if copy_below(actions, n, arr):
                return arr
        bounds = self._box_range
        if (batched and bounds is not None and type(actions) is np.ndarray and actions.dtype.kind == "f"
                and actions.shape == self._batch_action_shape and actions.flags.c_contiguous):
            # A Box's common case in one compiled pass that copies and checks (a third of numpy's
            # copy, min and max). A value out of range (NaN and inf included) takes the general path,
            # which names it.
            arr = np.empty(self._batch_action_shape)
            if copy_within(actions, bounds[0], bounds[1], arr):
                return arr
        space = self.single_action_space
        shape = (self.num_bodies,) + (space.shape or ())
        arr = np.asarray(actions)
        if arr.dtype.kind not in "biuf":
            raise ValueError(f"action {actions!r} has dtype {arr.dtype}: expected real numbers ({', '.join(self.action_names)})")
        if isinstance(space, spaces.Discrete):
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
            return np.array(arr, dtype=np.int64)  # a copy: the caller's array is never kept
        assert isinstance(space, spaces.Box)
        arr = np.array(arr, dtype=np.float64)
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
    def _reset_bodies(self, rows: np.ndarray, u: np.ndarray) -> None:
        """What is drawn at birth for the bodies ``rows`` (int64 indices), from ``u`` (their ``randoms_per_life`` uniforms, one row each)."""

    def senses(self) -> SensesT | None:
        """The record the reflexes read, before the body moves; None for a body without reflexes."""
        return None

    def _observe(self) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def _physics(self, takeover: ReflexTakeover, u: np.ndarray) -> tuple[EventsT, np.ndarray, dict[str, Any]]:
        """Move the bodies with ``takeover.executed``, using this step's uniforms ``u``.

        Returns the events record for steering, (bodies,) terminated, and the
        body's own ``info`` entries (batched arrays).
        """
        raise NotImplementedError

    def _after_evaluation(self, out: SteeringOutput, events: EventsT, info: dict[str, Any]) -> None:
        """Record what steering concluded (optional)."""

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


def _shared_bounds(space: spaces.Space) -> tuple[float, float] | None:
    """(low, high) of a one-dimensional ``Box`` whose every dimension has these finite bounds; else None."""
    if not isinstance(space, spaces.Box) or len(space.shape) != 1:
        return None
    low, high = float(space.low.min()), float(space.high.max())
    if not (np.all(space.low == low) and np.all(space.high == high) and np.isfinite(low) and np.isfinite(high)):
        return None
    return low, high


@jit
def copy_within(values: np.ndarray, low: float, high: float, out: np.ndarray) -> bool:
    """Copy C-contiguous float ``values`` into ``out`` (float64, same shape); whether every one lies in
    [``low``, ``high``] (NaN lies nowhere). One pass, counted rather than branched on, so it vectorises."""
    flat, copy = values.reshape(-1), out.reshape(-1)
    outside = 0
    for i in range(flat.shape[0]):
        x = np.float64(flat[i])
        copy[i] = x
        outside += not ((low <= x) & (x <= high))
    return outside == 0


@jit
def copy_below(values: np.ndarray, n: int, out: np.ndarray) -> bool:
    """Copy int64 ``values`` into ``out``; whether every one lies in [0, ``n``) (a negative one,
    viewed unsigned, is huge). One pass, counted rather than branched on, so it vectorises."""
    outside = 0
    for i in range(values.shape[0]):
        x = values[i]
        out[i] = x
        outside += np.uint64(x) >= np.uint64(n)
    return outside == 0


#: No bodies (int64 indices): the autoreset's rows when no life ended; never written.
_NO_ROWS = np.zeros(0, dtype=np.int64)
_NO_ROWS.flags.writeable = False

#: The integer types an action of a ``Discrete`` space comes as (not bool: ``True`` is not an action).
_INTEGERS = frozenset({int, np.int64, np.int32, np.int16, np.int8, np.uint64, np.uint32, np.uint16, np.uint8, np.intp})


def _single(x: Any) -> Any:
    """Body 0 of a batch, recursively through dicts."""
    if isinstance(x, dict):
        return {k: _single(v) for k, v in x.items()}
    if isinstance(x, np.ndarray):
        return x[0]
    return x


class BodyEnv(gym.Env):
    """A Gymnasium env that runs one body: a batch of one."""

    body_class: ClassVar[type[Body[Any, Any]]]
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
    def steering(self) -> Steering[Any, Any]:
        return self.body.steering

    @property
    def layout(self) -> Layout:
        """The names of the observation channels and actions."""
        return self.body.layout

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any]]:
        first = self._np_random is None
        super().reset(seed=seed)
        # A seed (or the very first reset) draws the life's key from np_random; later
        # resets continue the stream, exactly as the vector env does for each body.
        self.body.reset_bodies(self._all, draw_keys(self.np_random) if (seed is not None or first) else None)
        self._was_reset = True
        if self.render_mode == "human":
            self.render()
        return self.body.observation_of_one(), {}

    def step(self, action: Any) -> tuple[Any, float, bool, bool, dict[str, Any]]:
        if not self._was_reset:
            raise RuntimeError("call reset() before step()")
        result = self.body.step_single(action)
        if self.render_mode == "human":
            self.render()
        return result

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

    body_class: ClassVar[type[Body[Any, Any]]]
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
        self._ended = np.zeros(self.num_envs, dtype=bool)  # scratch: whose life ended on this step
        self._autoreset_rows = _NO_ROWS  # the bodies whose life ended on the last step, restarted on this one
        self._canvas: Any = None

    @property
    def steering(self) -> Steering[Any, Any]:
        return self.body.steering

    @property
    def layout(self) -> Layout:
        """The names of the observation channels and actions."""
        return self.body.layout

    def reset(self, *, seed: int | Sequence[int] | None = None, options: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any]]:
        if seed is None:
            seeds: list[int | None] = [None] * self.num_envs
        elif isinstance(seed, (int, np.integer)):
            seeds = [int(seed) + i for i in range(self.num_envs)]
        else:
            seeds = list(seed)
            if len(seeds) != self.num_envs:
                raise ValueError(f"expected {self.num_envs} seeds, got {len(seeds)}")
        # A body given a seed starts from the key a single env seeded so would draw; a body
        # given None continues its own stream (fresh OS entropy only before any seed).
        fresh = np.array([s is not None or not self._seeded for s in seeds])
        if (~fresh).any():
            self.body.reset_bodies(~fresh)
        if fresh.any():
            keys = np.array([draw_keys(seeding.np_random(s)[0])[0] for s, f in zip(seeds, fresh) if f], dtype=np.uint64)
            self.body.reset_bodies(fresh, keys)
        self._seeded = True
        self._autoreset_rows = _NO_ROWS
        return self.body.observation(), {}

    def step(self, actions: Any) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        if not self._seeded:
            raise RuntimeError("call reset() before step()")
        actions = self.body.validate_actions(actions, batched=True)
        reward, terminated, truncated, info = self.body.step(actions)
        info["steering"] = info["steering"].batched()
        rows = self._autoreset_rows
        if rows.shape[0]:
            # Bodies whose life ended on the previous step start a new one now;
            # their action is ignored, as in Gymnasium's next-step autoreset.
            self.body.reset_rows(rows)
            # Copies (``info`` keeps the step's own reward), changed only in the few restarted rows.
            reward, terminated, truncated = reward.copy(), terminated.copy(), truncated.copy()
            reward[rows], terminated[rows], truncated[rows] = 0.0, False, False
        # Two C calls, no allocation but the (usually empty) rows: numpy's flatnonzero and ``max``
        # go through Python wrappers, which cost a vector step more than the pass itself.
        self._autoreset_rows = np.logical_or(terminated, truncated, out=self._ended).nonzero()[0]
        return self.body.observation(), reward, terminated, truncated, info

    def render(self) -> tuple[np.ndarray, ...] | None:
        if self.render_mode is None:
            gym.logger.warn("render() called without a render_mode; pass render_mode='rgb_array'")
            return None
        if not self._seeded:
            raise RuntimeError("call reset() before render(): the bodies have not been born yet")
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


def layout_of(env: gym.Env[Any, Any] | VectorEnv) -> Layout:
    """The named layout of any env of a body: single (wrapped or not), native vector, or Sync/Async vector."""
    inner = env.unwrapped
    if isinstance(inner, (BodyEnv, BodyVectorEnv)):
        return inner.layout
    if isinstance(inner, VectorEnv):
        return inner.get_attr("layout")[0]
    raise TypeError(f"{type(inner).__name__} is not an env of a brainlike body: it has no layout")

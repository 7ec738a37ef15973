"""The one small protocol every numpy agent of the Learning Subsystem keeps.

An agent acts on a *batch* of observations (one row per body, as the native
vector envs give them), learns from a batch of transitions, and saves to /
loads from two files: ``<path>.npz`` (its arrays) and ``<path>.json`` (a
readable config: class, hyperparameters, spaces, array shapes and a checksum).
Loading restores exactly the same behaviour, random state included.

Every agent's randomness comes from its own ``np.random.Generator`` seeded at
construction: no global RNG, so a (seed, env seed) pair fixes a whole run.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from brainlike.steering.compiled import jit

FORMAT_VERSION = 1

#: Every concrete agent class, by name, so ``Agent.load`` can rebuild any of them.
AGENT_CLASSES: dict[str, type[Agent]] = {}


class AgentFileError(ValueError):
    """A saved agent that is corrupt, incomplete, or does not match what was expected."""


# --- spaces <-> JSON ----------------------------------------------------------
def space_to_json(space: spaces.Space) -> dict[str, Any]:
    """A readable description of a Box / Discrete / Dict space that rebuilds it exactly."""
    if isinstance(space, spaces.Discrete):
        return {"type": "Discrete", "n": int(space.n), "start": int(space.start)}
    if isinstance(space, spaces.Box):
        return {
            "type": "Box",
            "shape": list(space.shape),
            "dtype": str(space.dtype),
            "low": space.low.ravel().tolist(),
            "high": space.high.ravel().tolist(),
        }
    if isinstance(space, spaces.Dict):
        return {"type": "Dict", "spaces": {k: space_to_json(s) for k, s in space.spaces.items()}}
    raise TypeError(f"agents support Box, Discrete and Dict spaces, got {space}")


def space_from_json(d: Mapping[str, Any]) -> spaces.Space:
    kind = d["type"]
    if kind == "Discrete":
        return spaces.Discrete(d["n"], start=d.get("start", 0))
    if kind == "Box":
        shape = tuple(d["shape"])
        low = np.asarray(d["low"], dtype=d["dtype"]).reshape(shape)
        high = np.asarray(d["high"], dtype=d["dtype"]).reshape(shape)
        return spaces.Box(low, high, shape, dtype=np.dtype(d["dtype"]))
    if kind == "Dict":
        return spaces.Dict({k: space_from_json(v) for k, v in d["spaces"].items()})
    raise AgentFileError(f"unknown space type {kind!r}")


def _checksum(arrays: Mapping[str, np.ndarray]) -> str:
    h = hashlib.sha256()
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        h.update(name.encode())
        h.update(str(a.dtype).encode())
        h.update(str(a.shape).encode())
        h.update(a.tobytes())
    return h.hexdigest()


def saved_files(path: str | os.PathLike[str]) -> tuple[Path, Path, Path]:
    """(base, ``<base>.npz``, ``<base>.json``) of a save at ``path``.

    Only a trailing ``.npz`` / ``.json`` is taken off; any other dot stays in the
    name, so ``m.s0`` and ``m.s1`` are two saves, not both ``m``.
    """
    p = Path(path)
    base = p.with_suffix("") if p.suffix in (".npz", ".json") else p
    return base, base.with_name(base.name + ".npz"), base.with_name(base.name + ".json")


class Agent:
    """Base of every numpy learning-from-scratch agent (and the chance / innate baselines).

    Subclasses call ``super().__init__`` with the spaces, a seed and their
    hyperparameters (a JSON-serialisable dict, saved verbatim), create their
    arrays, and list them in ``learned_arrays`` (changed by learning) and
    ``fixed_arrays`` (random but fixed at birth, e.g. an expansion layer).
    They implement ``act`` and, if they learn, ``learn``.

    Args:
        observation_space: a body's single-body observation space (``Dict`` of
            ``exteroception`` / ``interoception`` Boxes, or a flat Box).
        action_space: a body's single-body action space (``Discrete`` or ``Box``).
        seed: seeds the agent's own RNG (initial weights, exploration).
    """

    #: Names of the arrays that learning changes (counted by ``num_parameters``).
    learned_arrays: ClassVar[tuple[str, ...]] = ()
    #: Names of arrays fixed at birth (random expansion weights): saved, not learned.
    fixed_arrays: ClassVar[tuple[str, ...]] = ()
    #: True for agents that value predictions through the body's steering: their ``act``
    #: takes ``steering=`` (the steering of the env they act in, passed explicitly by
    #: ``agents.rollout.policy``), so no agent keeps a link to the last env it acted in.
    consults_steering: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        AGENT_CLASSES[cls.__name__] = cls

    def __init__(self, observation_space: spaces.Space, action_space: spaces.Space, seed: int = 0, **config: Any) -> None:
        if not isinstance(action_space, (spaces.Discrete, spaces.Box)):
            raise TypeError(f"{type(self).__name__} needs a Discrete or Box action space, got {action_space}")
        if isinstance(observation_space, spaces.Dict):
            for k, s in observation_space.spaces.items():
                if not (isinstance(s, spaces.Box) and len(s.shape) == 1):
                    raise TypeError(f"observation channel {k!r} must be a 1-D Box, got {s}")
        elif not (isinstance(observation_space, spaces.Box) and len(observation_space.shape) == 1):
            raise TypeError(f"observations must be a Dict of 1-D Boxes or a 1-D Box, got {observation_space}")
        self.observation_space = observation_space
        self.action_space = action_space
        self.seed = int(seed)
        #: The body the agent was made for (set by ``make_agent``, saved with it); None if unknown.
        self.env_id: str | None = None
        self.config: dict[str, Any] = dict(config)
        self.rng = np.random.default_rng(self.seed)
        self.discrete = isinstance(action_space, spaces.Discrete)
        self.num_actions = int(action_space.n) if self.discrete else int(np.prod(action_space.shape))
        # Inputs are rescaled to [0, 1] by the space bounds, where the bounds are finite.
        self._channels = self._channel_layout()
        self._scalings: dict[tuple[str, ...] | None, tuple[np.ndarray, np.ndarray]] = {}

    # --- observations ----------------------------------------------------------
    def _channel_layout(self) -> list[tuple[str | None, int, np.ndarray, np.ndarray]]:
        space = self.observation_space
        items = space.spaces.items() if isinstance(space, spaces.Dict) else [(None, space)]
        out = []
        for key, box in items:
            low = np.where(np.isfinite(box.low), box.low, 0.0).astype(np.float32)
            span = np.where(np.isfinite(box.high - box.low) & (box.high > box.low), box.high - box.low, 1.0)
            out.append((key, int(box.shape[0]), low, (1.0 / span).astype(np.float32)))
        return out

    def _zero_obs(self) -> Any:
        """A batch of one all-zero observation: sizes a layer from the observation space."""
        space = self.observation_space
        if isinstance(space, spaces.Dict):
            return {k: np.zeros((1,) + s.shape, np.float32) for k, s in space.spaces.items()}
        return np.zeros((1,) + space.shape, np.float32)

    @property
    def input_dim(self) -> int:
        return sum(c[1] for c in self._channels)

    def channel(self, obs: Any, key: str) -> np.ndarray:
        """One named channel of a batch of Dict observations, checked, as (B, d) float32."""
        return self.features(obs, keys=(key,), scale=False)

    def features(self, obs: Any, keys: tuple[str, ...] | None = None, scale: bool = True) -> np.ndarray:
        """A batch of observations as one (B, D) float32 array, checked against the space.

        Raises a ``ValueError`` naming the problem when a channel is missing,
        has the wrong width, the channels disagree on the batch size, or the
        values are not finite.
        """
        parts = []
        batch = None
        for key, dim, _, _ in self._channels:
            if keys is not None and key not in keys:
                continue
            if key is None:
                x = obs
            else:
                if not (isinstance(obs, dict) or isinstance(obs, Mapping)) or key not in obs:  # a dict: no ABC check
                    got = sorted(obs) if isinstance(obs, Mapping) else type(obs).__name__
                    raise ValueError(f"observation must be a dict with channel {key!r} (batched (B, {dim})), got {got}")
                x = obs[key]
            x = np.asarray(x, dtype=np.float32)
            if x.ndim != 2 or x.shape[1] != dim:
                name = f"channel {key!r}" if key else "observation"
                raise ValueError(f"{name} must be a batch of shape (B, {dim}), got {x.shape}; pass observations batched as the vector env gives them")
            if batch is None:
                batch = x.shape[0]
            elif x.shape[0] != batch:
                raise ValueError(f"observation channels disagree on the batch size: {batch} vs {x.shape[0]} in {key!r}")
            parts.append(x)
        out = parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)
        if not scale:
            if not np.isfinite(out).all():
                raise ValueError("observation contains NaN or inf")
            return out
        # Scaling is elementwise, so the channels are joined first and scaled in one compiled pass.
        scaling = self._scalings.get(keys) if keys is None or type(keys) is tuple else None
        if scaling is None:
            scaling = self._scaling(keys)
        return scaled_lines(out, *scaling)

    def _scaling(self, keys: tuple[str, ...] | None) -> tuple[np.ndarray, np.ndarray]:
        """(low, 1 / span) of the lines ``features(keys=keys)`` returns, joined as the channels are (kept)."""
        cache_key = None if keys is None else tuple(keys)
        scaling = self._scalings.get(cache_key)
        if scaling is None:
            chosen = [c for c in self._channels if keys is None or c[0] in keys]
            scaling = (np.concatenate([c[2] for c in chosen]), np.concatenate([c[3] for c in chosen]))
            self._scalings[cache_key] = scaling
        return scaling

    def _check_batch(self, name: str, x: Any, batch: int, tail: tuple[int, ...] = ()) -> np.ndarray:
        arr = np.asarray(x)
        if arr.shape != (batch,) + tail:
            raise ValueError(f"{name} must have shape {(batch,) + tail} to match the observation batch, got {arr.shape}")
        return arr

    # --- the protocol ------------------------------------------------------------
    def act(self, obs: Any, explore: bool = True) -> np.ndarray:
        """Actions for a batch of observations: (B,) ints or (B, *action shape) floats."""
        raise NotImplementedError

    def learn(
        self,
        obs: Any,
        actions: np.ndarray,
        rewards: np.ndarray,
        next_obs: Any,
        terminated: np.ndarray,
        truncated: np.ndarray,
        infos: Mapping[str, Any] | None = None,
        valid: np.ndarray | None = None,
    ) -> dict[str, float]:
        """Learn from a batch of transitions; ``valid`` False marks bodies whose
        transition is not real (the reset step of next-step autoreset). Returns stats."""
        return {}

    def reset_state(self) -> None:
        """Forget per-body transient state (eligibility traces); weights are kept."""

    @property
    def num_parameters(self) -> int:
        """Learned parameters only: what changes with experience."""
        return int(sum(np.asarray(getattr(self, n)).size for n in self.learned_arrays))

    @property
    def num_fixed_parameters(self) -> int:
        """Random parameters fixed at birth (never learned), e.g. expansion weights."""
        return int(sum(np.asarray(getattr(self, n)).size for n in self.fixed_arrays))

    def describe(self) -> str:
        return f"{type(self).__name__}: {self.num_parameters:,} learned parameters, {self.num_fixed_parameters:,} fixed random"

    # --- persistence ---------------------------------------------------------------
    def _arrays(self) -> dict[str, np.ndarray]:
        return {n: np.asarray(getattr(self, n)) for n in self.learned_arrays + self.fixed_arrays}

    def save(self, path: str | os.PathLike[str]) -> tuple[Path, Path]:
        """Write ``<path>.npz`` (arrays) and ``<path>.json`` (readable config). Returns both paths."""
        base, npz, js = saved_files(path)
        base.parent.mkdir(parents=True, exist_ok=True)
        arrays = self._arrays()
        meta = {
            "format_version": FORMAT_VERSION,
            "agent": type(self).__name__,
            "seed": self.seed,
            "config": self.config,
            "observation_space": space_to_json(self.observation_space),
            "action_space": space_to_json(self.action_space),
            "num_parameters": self.num_parameters,
            "num_fixed_parameters": self.num_fixed_parameters,
            "env_id": self.env_id,
            "arrays": {n: {"shape": list(a.shape), "dtype": str(a.dtype)} for n, a in arrays.items()},
            "checksum": _checksum(arrays),
            # The generator's exact state, so a loaded agent explores exactly as this one would.
            "rng_state": self.rng.bit_generator.state,
        }
        with open(npz, "wb") as f:
            np.savez(f, **arrays)
        js.write_text(json.dumps(meta, indent=2))
        return npz, js

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str],
        observation_space: spaces.Space | None = None,
        action_space: spaces.Space | None = None,
        **runtime: Any,
    ) -> Agent:
        """Rebuild a saved agent. Raises ``AgentFileError`` if the files are missing,
        corrupt, of another agent class, or saved for other spaces than those given.
        ``runtime`` passes objects that are not saved (e.g. ``steering=``)."""
        _, npz, js = saved_files(path)
        if not npz.exists() or not js.exists():
            raise AgentFileError(f"an agent is saved as two files, {npz} and {js}; missing {[str(p) for p in (npz, js) if not p.exists()]}")
        try:
            meta = json.loads(js.read_text())
            name, config, seed = meta["agent"], meta["config"], meta["seed"]
            obs_space = space_from_json(meta["observation_space"])
            act_space = space_from_json(meta["action_space"])
        except (ValueError, KeyError, TypeError) as e:
            raise AgentFileError(f"{js} is not a valid agent config ({type(e).__name__}: {e})") from e
        if meta.get("format_version") != FORMAT_VERSION:
            raise AgentFileError(f"{js} has format version {meta.get('format_version')}, this code reads {FORMAT_VERSION}")
        klass = AGENT_CLASSES.get(name)
        if klass is None:
            raise AgentFileError(f"{js} holds an unknown agent class {name!r}; known: {sorted(AGENT_CLASSES)}")
        if cls is not Agent and not issubclass(klass, cls):
            raise AgentFileError(f"{js} holds a {name}, not a {cls.__name__}")
        if observation_space is not None and obs_space != observation_space:
            raise AgentFileError(f"{js} was saved for observation space {obs_space}, not {observation_space}")
        if action_space is not None and act_space != action_space:
            raise AgentFileError(f"{js} was saved for action space {act_space}, not {action_space}")
        try:
            with np.load(npz, allow_pickle=False) as data:
                arrays = {k: data[k] for k in data.files}
        except Exception as e:  # zipfile, pickle and format errors all mean one thing here
            raise AgentFileError(f"{npz} is not a readable array file ({type(e).__name__}: {e})") from e
        expected = meta["arrays"]
        if set(arrays) != set(expected):
            raise AgentFileError(f"{npz} holds arrays {sorted(arrays)}, the config lists {sorted(expected)}")
        for n, spec in expected.items():
            if list(arrays[n].shape) != spec["shape"] or str(arrays[n].dtype) != spec["dtype"]:
                raise AgentFileError(f"array {n!r} in {npz} is {arrays[n].dtype}{arrays[n].shape}, the config says {spec['dtype']}{tuple(spec['shape'])}")
        if _checksum(arrays) != meta["checksum"]:
            raise AgentFileError(f"{npz} does not match the checksum in {js}: the files are corrupt or from different saves")
        unknown = unknown_settings(klass, config)
        if unknown:
            raise AgentFileError(f"{js} holds setting(s) {unknown} that {name} does not take (saved by another "
                                 f"version of the agent?); its settings: {sorted(accepted_settings(klass) or [])}")
        try:
            agent = klass(obs_space, act_space, seed=seed, **config, **runtime)
        except (TypeError, ValueError) as e:
            raise AgentFileError(f"{js}: {name} cannot be rebuilt from its saved settings ({type(e).__name__}: {e})") from e
        mine = agent._arrays()
        if set(mine) != set(arrays):
            raise AgentFileError(f"{name} with this config has arrays {sorted(mine)}, the file has {sorted(arrays)}")
        for n, a in arrays.items():
            if mine[n].shape != a.shape:
                raise AgentFileError(f"array {n!r}: file shape {a.shape} does not fit {name} with this config ({mine[n].shape})")
            setattr(agent, n, a.astype(mine[n].dtype, copy=True))
        try:
            agent.rng.bit_generator.state = meta["rng_state"]
        except (KeyError, TypeError, ValueError) as e:
            raise AgentFileError(f"{js} holds a corrupt random-generator state ({type(e).__name__}: {e})") from e
        agent.env_id = meta.get("env_id")  # absent in saves from before bodies were recorded
        agent._after_load()
        return agent

    def _after_load(self) -> None:
        """Hook: rebuild derived caches from the loaded arrays."""


@jit
def scaled_lines(x: np.ndarray, low: np.ndarray, inv_span: np.ndarray) -> np.ndarray:
    """(B, D) float32 ``(x - low) * inv_span``, line by line as numpy computes it; raises on a NaN or inf result."""
    bodies, lines = x.shape
    out = np.empty((bodies, lines), dtype=np.float32)
    for b in range(bodies):
        for j in range(lines):
            v = (x[b, j] - low[j]) * inv_span[j]
            if not np.isfinite(v):
                raise ValueError("observation contains NaN or inf")
            out[b, j] = v
    return out


def env_spaces(env: gym.Env | gym.vector.VectorEnv) -> tuple[spaces.Space, spaces.Space]:
    """A body's single-body (observation, action) spaces, from a single or vector env."""
    if isinstance(env, gym.vector.VectorEnv):
        return env.single_observation_space, env.single_action_space
    return env.observation_space, env.action_space


def accepted_settings(klass: type[Agent]) -> set[str] | None:
    """The keyword settings ``klass`` takes (None when it takes any, through ``**kwargs``)."""
    params = inspect.signature(klass.__init__).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return None
    return {n for n in params if n not in ("self", "observation_space", "action_space", "seed")}


def unknown_settings(klass: type[Agent], config: Mapping[str, Any]) -> list[str]:
    """Saved settings that ``klass`` does not take (from an older or newer version of it)."""
    accepted = accepted_settings(klass)
    if not isinstance(config, Mapping):
        return [repr(config)]
    return [] if accepted is None else sorted(k for k in config if k not in accepted)


__all__ = ["AGENT_CLASSES", "Agent", "AgentFileError", "env_spaces", "saved_files", "space_from_json", "space_to_json"]

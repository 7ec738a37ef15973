"""Bodies whose whole step is one compiled kernel (opt-in).

A body may stay in plain numpy (a ``Body``: the toy body in the tests and any
third-party body do). A body that opts in subclasses ``CompiledBody`` and
writes its step once, as a numba kernel (``steering.compiled.jit``) that loops
over the batch, the single env being a batch of one. The kernel follows the
core's template for each body: draw this step's uniforms (``rng.uniform_row``),
let the reflexes take over, move, have steering evaluate, count the step
(``end_step``). Its steering is compiled functions beside the steering classes
(``steering/<species>.py``), called from the kernel.

Python keeps what is Python's: spaces, action validation, the observation and
info dicts, rendering. Each compiled call costs about 0.2 us per array
argument, so state travels packed:

- the body's state table becomes one record array ``state`` (a numpy
  structured array, one record per body; a kernel reads ``state[b]["energy"]``,
  which numba compiles to a load at a fixed offset, and which plain Python
  runs too); every declared name (and every name
  of a group such as ``stats``) stays an attribute, a view of its field, so
  experiments, ``summary`` and rendering read it as before;
- one step's results are one record per body (``step_record``): the reward,
  each reward component, each drive (``drive_<name>``), the executed action,
  whether a reflex took over and why, terminated and truncated, and the body's
  own events (``event_<name>``). ``info`` is built from views of its fields,
  with no loop over bodies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import numpy as np
from gymnasium import spaces
from numba import typeof
from numba.core.dispatcher import Dispatcher
from numba.core.typing.typeof import Purpose

from brainlike.envs.core import Body
from brainlike.steering.base import NO_REFLEX, EventsT, ReflexTakeover, SensesT, Steering, SteeringOutput
from brainlike.steering.compiled import jit
from brainlike.steering.parameters import row_items


def entry_point(kernel: Callable[..., Any], args: tuple[Any, ...]) -> Callable[..., Any]:
    """``kernel``'s compiled entry point for the types of ``args`` (compiled, or loaded from the cache, now).

    Calling it skips numba's dispatch, which types record arrays in Python
    (about 4-9 us per call, more than the mouse's whole step); the entry point
    unboxes them in 0.1 us. Only valid while every argument keeps its type,
    dtype and layout, as a body's own arrays do. Uncompiled
    (``NUMBA_DISABLE_JIT=1``), the kernel is plain Python and is returned as is.
    """
    if not isinstance(kernel, Dispatcher):
        return kernel
    return kernel.compile(tuple(typeof(a, Purpose.argument) for a in args))  # type: ignore[no-any-return]


@jit
def end_step(elapsed: np.ndarray, b: int, max_episode_steps: int) -> bool:
    """Count body ``b``'s step; whether it is truncated (``max_episode_steps`` <= 0: never)."""
    elapsed[b] += 1
    # As Gymnasium's TimeLimit: the limit truncates even on a step that also terminates.
    # ``&``, not ``and``: without a branch, numba's reference counting of ``elapsed`` around this
    # inlined call falls in one basic block and is pruned (two atomic operations per body and step).
    return (max_episode_steps > 0) & (elapsed[b] >= max_episode_steps)


def constants(values: tuple[Any, ...], fields: list[tuple[Any, ...]]) -> np.ndarray:
    """An array of one record of named constants: a kernel reads ``c = constants[0]``, then ``c["food_energy"]``.

    An array, not the record itself: numba unboxes an array argument in 0.2 us, a record scalar in 5.
    """
    return np.array([values], dtype=np.dtype(fields))


class CompiledBody(Body[SensesT, EventsT]):
    """A body whose step is one compiled kernel over the batch.

    A subclass declares, besides what every ``Body`` declares:

    - ``components``, ``drives``: the names of its steering's reward
      components and drives; ``events``: (name, dtype) of its own ``info["events"]``;
    - ``_run_kernel(actions, out)``: call its kernel with the packed state
      through ``self._call(kernel, ...)``, filling ``out`` (one ``step_record`` per body);
    - optionally ``_body_info(info, events)``: where its events go in ``info``.

    ``senses`` and ``_physics`` are not used: the kernel does their work.
    """

    components: ClassVar[tuple[str, ...]] = ()
    drives: ClassVar[tuple[str, ...]] = ()
    events: ClassVar[tuple[tuple[str, Any], ...]] = ()
    #: State entries whose per-body shape depends on the configuration (an arena's side, a
    #: number of food patches): each stays its own (bodies, ...) array, handed to the kernel
    #: beside ``state``. The record then has one layout for every configuration, and numba
    #: compiles a kernel once per record type: one compile serves every configuration.
    unpacked: ClassVar[tuple[str, ...]] = ()
    state: np.ndarray
    step_record: np.dtype

    def _allocate_state(self) -> None:
        fields: list[tuple[str, Any, tuple[int, ...]]] = []
        births: list[Any] = []
        self.unpacked_state: dict[str, np.ndarray] = {}
        for name, var in self._state.items():
            if name in self.unpacked:
                if isinstance(var, Mapping):
                    raise AssertionError(f"{type(self).__name__}: unpacked state {name!r} must be one array, not a group")
                self.unpacked_state[name] = self._allocate(var)
                continue
            for k, v in (var.items() if isinstance(var, Mapping) else ((name, var),)):
                fields.append((k, v.dtype, v.shape))
                births.append(v.birth)
        names = [f[0] for f in fields]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise AssertionError(f"{type(self).__name__}'s state table repeats {repeated}: a compiled body's names (and its groups' names) must be unique")
        # One record of birth values: a new life is one assignment, not one per name.
        self._birth = np.zeros((), dtype=np.dtype(fields))
        for (k, _, _), birth in zip(fields, births):
            self._birth[k] = birth
        self.state = np.empty(self.num_bodies, dtype=self._birth.dtype)
        self.state[...] = self._birth
        self._bind_views()
        action = self.single_action_space
        executed = ("executed", np.int64) if isinstance(action, spaces.Discrete) else ("executed", np.float64, action.shape)
        self.step_record = np.dtype([
            ("reward", np.float64),
            *((c, np.float64) for c in self.components),
            *((f"drive_{d}", np.float64) for d in self.drives),
            executed,
            ("overrode", np.bool_),
            ("reason", np.int64),
            ("terminated", np.bool_),
            ("truncated", np.bool_),
            *((f"event_{e}", t) for e, t in self.events),
        ])
        self._event_names = tuple(e for e, _ in self.events)
        # (name in info, field of the record), spelled once: ``step`` builds its views from these.
        self._drive_fields = tuple((d, f"drive_{d}") for d in self.drives)
        self._event_fields = tuple((e, f"event_{e}") for e in self._event_names)

    def _call(self, kernel: Callable[..., Any], *args: Any) -> None:
        """``kernel(*args)`` through its entry point, looked up at this body's first call (see ``entry_point``)."""
        entry = self._entries.get(kernel)
        if entry is None:
            entry = self._entries[kernel] = entry_point(kernel, args)
        entry(*args)

    def _bind_views(self) -> None:
        self._entries: dict[Callable[..., Any], Callable[..., Any]] = {}
        self._reason_names = self.steering.reason_names  # the reflexes are fixed for the body's life
        self._one_record: np.ndarray | None = None  # step_single's result buffer, made at its first step
        # Each record as one opaque item (``row_items``): a new life copies it whole, one memcpy per row.
        self._state_records = row_items(self.state)
        self._birth_record = row_items(self._birth.reshape(1))[0]
        # And each unpacked array's rows as items, with its row at birth.
        self._unpacked_rows = tuple(
            (row_items(self.unpacked_state[name]),
             row_items(np.full((1,) + self.unpacked_state[name].shape[1:], self._state[name].birth,  # type: ignore[union-attr]
                               dtype=self.unpacked_state[name].dtype))[0])
            for name in self.unpacked)
        for name, var in self._state.items():
            if name in self.unpacked:
                setattr(self, name, self.unpacked_state[name])
            else:
                setattr(self, name, {k: self.state[k] for k in var} if isinstance(var, Mapping) else self.state[name])

    def _return_to_birth(self, rows: np.ndarray) -> None:
        # Records copied whole: numpy assigns a structured value field by field, ten times slower,
        # and a (rows, itemsize) byte array byte by byte, three times slower.
        self._state_records[rows] = self._birth_record
        for items, birth in self._unpacked_rows:
            items[rows] = birth

    def __getstate__(self) -> dict[str, Any]:
        # The named views are rebound on load: pickling or deep-copying them would cut them from
        # ``state``. Entry points do not pickle; they are looked up again at the first call.
        return {k: v for k, v in self.__dict__.items() if k not in self._state and k not in ("_entries", "_state_records", "_unpacked_rows")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._bind_views()

    @property
    def max_steps(self) -> int:
        """``max_episode_steps`` as the kernel reads it: 0 for no limit."""
        return 0 if self.max_episode_steps is None else self.max_episode_steps

    def step(self, actions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        """As ``Body.step``, in one compiled call; ``info``'s arrays are views of this step's fresh record."""
        out = np.empty(self.num_bodies, dtype=self.step_record)
        self._run_kernel(actions, out)
        steering = self.steering.reaching_learner(SteeringOutput(
            reward=out["reward"],
            components={c: out[c] for c in self.components},
            drives={d: out[f] for d, f in self._drive_fields},
            reflex=ReflexTakeover(out["overrode"], out["executed"], out["reason"]),
            reason_names=self._reason_names,
        ))
        info = {
            "steering": steering,
            "executed_action": out["executed"],
            "reflex_overrode": out["overrode"],
        }
        self._body_info(info, {e: out[f] for e, f in self._event_fields})
        return steering.reward, out["terminated"], out["truncated"], info

    def _body_info(self, info: dict[str, Any], events: dict[str, Any]) -> None:
        """Put the body's own ``events`` (by name, without the ``event_`` prefix) into ``info``.

        Called by both paths with the same keys: ``step`` with (bodies,) views of the
        step record and ``info["steering"]`` a ``SteeringOutput``; ``step_single``
        with body 0's values (Python scalars, arrays copied) and ``info["steering"]``
        already body 0's dict. By default they go to ``info["events"]``; a body that
        reports them otherwise overrides this, and keeps its single env on the fast path.
        """
        info["events"] = events

    def step_single(self, action: Any) -> tuple[Any, float, bool, bool, dict[str, Any]]:
        """As ``Body.step_single``, with body 0's ``info`` read from its step record in one call.

        The record is a buffer the body reuses; ``info`` holds only Python scalars read
        from it (and a copy of a continuous action), so nothing returned aliases it.
        A subclass that overrides ``step`` (rather than ``_body_info``), or steering that
        changes what reaches the learner (a ``RewardLesion``), takes the general path
        through ``step``.
        """
        if self._one_record is None:
            self._first_single_step()
        if self._generic_single:
            return super().step_single(action)
        out = self._one_record
        self._run_kernel(self.validate_one(action), out)
        r = out.item()  # every field as a Python scalar, in one call (a continuous action as a view: copied)
        components, drives, flags, events = self._record_slices
        executed, overrode, reason, terminated, truncated = r[flags]
        if self._discrete_n:
            reflex_action = executed if overrode else NO_REFLEX
        else:
            executed = executed.copy()
            reflex_action = executed.copy() if overrode else None
        info = {
            "steering": {
                "reward": r[0],
                "components": dict(zip(self.components, r[components])),
                "drives": dict(zip(self.drives, r[drives])),
                "reflex": self._reason_names[reason] if reason >= 0 else None,
                "reflex_action": reflex_action,
            },
            "executed_action": executed,
            "reflex_overrode": overrode,
        }
        own = dict(zip(self._event_names, r[events]))
        for name in self._array_events:
            own[name] = own[name].copy()
        if self._own_body_info:
            self._body_info(info, own)
        else:  # the default ``_body_info``, without the call (the mouse's step is a few microseconds)
            info["events"] = own
        return self.observation_of_one(), r[0], terminated, truncated, info

    def _first_single_step(self) -> None:
        """``step_single``'s buffer, its path, and where its record's fields lie in ``item()``'s tuple."""
        self._one_record = np.zeros(1, dtype=self.step_record)
        cls = type(self)
        self._generic_single = cls.step is not CompiledBody.step or type(self.steering).reaching_learner is not Steering.reaching_learner
        self._own_body_info = cls._body_info is not CompiledBody._body_info
        nc, nd = len(self.components), len(self.drives)
        # reward, components, drives, then executed, overrode, reason, terminated, truncated, then the events
        self._record_slices = (slice(1, 1 + nc), slice(1 + nc, 1 + nc + nd), slice(1 + nc + nd, 6 + nc + nd), slice(6 + nc + nd, None))
        # The events that are arrays (a sung syllable's features) come out of ``item()`` as views
        # of the reused record: they are copied.
        self._array_events = tuple(name for name, t in self.events if np.dtype(t).shape)

    def _run_kernel(self, actions: np.ndarray, out: np.ndarray) -> None:
        raise NotImplementedError


__all__ = ["CompiledBody", "constants", "end_step", "entry_point"]

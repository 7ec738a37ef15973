"""The parts every species' Steering Subsystem is assembled from, and the contract with its body.

A body (in ``envs/``) and its steering module talk through typed records of
batched arrays, one pair per species (``MouseSenses`` / ``MouseEvents`` ...):

1. *senses*, before the body moves: raw sensory readings (the size of an
   overhead disc, whether the nest is underfoot). Reflexes read these and may
   take over the action the learner proposed: ``Steering.reflex`` returns a
   ``ReflexTakeover`` (a mask, the executed actions shaped like the action
   space, so continuous actions can be taken over too, and an enum reason).
2. *events*, after it moved: what happened (ate 0.25 energy, was captured,
   tasted 0.5 M salt) and the interoceptive variables. ``Steering.evaluate``
   turns them into a ``SteeringOutput``: the reward handed to the learner, its
   named components, the drives, and the reflex record.

Steering never sees an agent's weights, only the body and its senses (and,
for thought assessors, predictions sent down through an explicit evaluation
entry point). Everything is batched over a leading body axis.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Generic, TypeVar

import numpy as np

from brainlike.steering.parameters import InnateParameters

#: The reason code where no reflex fired.
NO_REFLEX = -1

SensesT = TypeVar("SensesT")
EventsT = TypeVar("EventsT")


class _Cache:
    """Read-only constant arrays per batch size, so idle reflexes allocate nothing."""

    def __init__(self, value: Any, dtype: Any) -> None:
        self.value, self.dtype = value, dtype
        self._arrays: dict[int | tuple[int, ...], np.ndarray] = {}

    def get(self, shape: int | tuple[int, ...]) -> np.ndarray:
        a = self._arrays.get(shape)
        if a is None:
            a = self._arrays[shape] = np.full(shape, self.value, dtype=self.dtype)
            a.flags.writeable = False
        return a


_NONE = _Cache(NO_REFLEX, np.int64)
_NOT_RUNNING = _Cache(False, bool)
_NO_ACTION = _Cache(np.nan, np.float64)  # a continuous reflex_action where no reflex fired
_NO_ROWS = np.empty(0, dtype=np.intp)


@dataclass(frozen=True)
class ReflexTakeover:
    """What the reflexes did with a batch of proposed actions.

    Attributes:
        mask: (bodies,) bool, where a reflex took over.
        executed: the actions the body executes, shaped like the proposed ones
            (``(bodies,)`` ints for a ``Discrete`` space, ``(bodies, d)`` floats
            for a ``Box``): the reflex's where ``mask``, the learner's elsewhere.
        reason: (bodies,) index into the steering's ``reason_names``, -1 where none fired.
    """

    mask: np.ndarray
    executed: np.ndarray
    reason: np.ndarray

    @classmethod
    def none(cls, proposed: np.ndarray) -> ReflexTakeover:
        """No reflex fired: the proposed actions are executed."""
        n = proposed.shape[0]
        return cls(_NOT_RUNNING.get(n), proposed, _NONE.get(n))

    @property
    def reflex_action(self) -> np.ndarray:
        """The executed action where a reflex took over; -1 (discrete) or NaN (continuous) elsewhere."""
        return self.reflex_action_at(np.flatnonzero(self.mask))

    def reflex_action_at(self, rows: np.ndarray) -> np.ndarray:
        """``reflex_action``, given the ``rows`` (indices) where a reflex took over."""
        discrete = self.executed.ndim == 1
        if rows.shape[0] == 0:
            return _NONE.get(self.mask.shape[0]) if discrete else _NO_ACTION.get(self.executed.shape)
        out = np.full(self.executed.shape, NO_REFLEX if discrete else np.nan, dtype=self.executed.dtype)
        out[rows] = self.executed[rows]
        return out


@dataclass
class SteeringOutput:
    """What the Steering Subsystem concluded about one step of a batch of bodies.

    Attributes:
        reward: (bodies,) scalar reward handed to the learner: the sum of ``components``.
        components: named parts of the reward, e.g. ``food``, ``pain``.
        drives: named homeostatic drives D(H) after the step.
        reflex: the reflexes' take-over this step.
        reason_names: the reasons this species' reflexes can give (``"flee"``, ``"freeze"``).
    """

    reward: np.ndarray
    components: dict[str, np.ndarray]
    drives: dict[str, np.ndarray]
    reflex: ReflexTakeover
    reason_names: tuple[str, ...] = field(default=())

    def for_body(self, i: int) -> dict[str, Any]:
        """A plain dict for one body, as it goes into a single env's ``info["steering"]``."""
        code = int(self.reflex.reason[i])
        if self.reflex.executed.ndim == 1:  # a discrete action: -1 where no reflex fired
            action: Any = int(self.reflex.executed[i]) if self.reflex.mask[i] else NO_REFLEX
        else:  # a continuous one: None where no reflex fired
            action = self.reflex.executed[i].copy() if self.reflex.mask[i] else None
        return {
            "reward": float(self.reward[i]),
            "components": {k: float(v[i]) for k, v in self.components.items()},
            "drives": {k: float(v[i]) for k, v in self.drives.items()},
            "reflex": self.reason_names[code] if code >= 0 else None,
            "reflex_action": action,
        }

    def batched(self) -> dict[str, Any]:
        """A dict of arrays, as it goes into a vector env's ``info["steering"]``.

        Built from the rows where a reflex took over, found once: at N=1024 they are
        usually a few percent, and an object array fancy-indexed over every body (the
        names) was the dearest part of a vector step's ``info``. Past an eighth of the
        bodies, indexing every body costs less.
        """
        n = self.reward.shape[0]
        # ``nonzero`` of the (bodies,) mask directly: ``np.flatnonzero`` adds a ravel and two Python wrappers.
        rows = self.reflex.mask.nonzero()[0] if self.reason_names else _NO_ROWS  # without reflexes none fired
        if rows.shape[0] > n // 8:
            reflex = _reason_table(self.reason_names).take(self.reflex.reason)
        else:
            reflex = np.empty(n, dtype=object)  # numpy fills an object array with None
            if rows.shape[0]:
                reflex[rows] = _reason_table(self.reason_names)[self.reflex.reason[rows]]
        reflex_action = self.reflex.reflex_action_at(rows)
        return {
            "reward": self.reward,
            "components": dict(self.components),
            "drives": dict(self.drives),
            "reflex": reflex,
            "reflex_action": reflex_action,
        }


@functools.lru_cache(maxsize=32)
def _reason_table(reason_names: tuple[str, ...]) -> np.ndarray:
    """Each reason's name then None, indexable by a ``ReflexTakeover.reason`` (-1, no reflex, is the last); built once per species."""
    return np.asarray(reason_names + (None,), dtype=object)


def reason_names_of(reasons: type[IntEnum]) -> tuple[str, ...]:
    """``("flee", "freeze")`` from a reflex's reason enum."""
    return tuple(m.name.lower() for m in reasons)


class Reflex(Generic[SensesT]):
    """A complete behaviour wired from sensing to acting, with no learning.

    A reflex has a ``trigger`` on raw senses and a ``motor_program`` that takes
    over the body's action for up to ``duration`` steps. While ``inhibited`` it
    never fires (a lesion, or an experimenter's switch). Subclasses define
    ``reasons`` (an ``IntEnum`` of why it fires), ``trigger`` and
    ``motor_program``; the bookkeeping of which bodies are running the program
    lives here. A motor program's actions are shaped like the body's action
    space, so a reflex can take over a continuous action (a head turn, an
    eyelid closing) as well as a discrete one.
    """

    name = "reflex"
    reasons: type[IntEnum]

    def __init__(self, duration: int) -> None:
        if isinstance(duration, bool) or not isinstance(duration, (int, np.integer)) or duration < 1:
            raise ValueError(f"a reflex duration must be an integer >= 1 step, got {duration!r}")
        self.duration = int(duration)
        self.inhibited = False
        self.remaining = np.zeros(1, dtype=np.int64)

    def resize(self, num_bodies: int) -> None:
        self.remaining = np.zeros(num_bodies, dtype=np.int64)

    def reset(self, mask: np.ndarray | None = None) -> None:
        if mask is None:
            self.remaining[:] = 0
        else:
            self.remaining[mask] = 0

    def trigger(self, senses: SensesT, params: InnateParameters) -> np.ndarray:
        """(bodies,) bool: where the trigger condition holds now."""
        raise NotImplementedError

    def motor_program(self, senses: SensesT, params: InnateParameters) -> tuple[np.ndarray, np.ndarray]:
        """(actions shaped like the action space, ``reasons`` codes) for every body; only running bodies' entries are used."""
        raise NotImplementedError

    def still_running(self, senses: SensesT, params: InnateParameters) -> np.ndarray:
        """(bodies,) bool: where a running program should go on. Default: while time remains."""
        return self.remaining > 0

    def step(self, senses: SensesT, params: InnateParameters) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """Advance the reflex one step: (running mask, actions, reason codes); None actions where none runs."""
        n = self.remaining.shape[0]
        if self.inhibited:
            self.remaining[:] = 0
            return _NOT_RUNNING.get(n), None, None
        fired = self.trigger(senses, params)
        if fired.any():
            self.remaining[fired & (self.remaining <= 0)] = self.duration
        elif not (self.remaining > 0).any():  # nothing triggered, nothing running: the common case
            return _NOT_RUNNING.get(n), None, None
        running = (self.remaining > 0) & self.still_running(senses, params)
        if not running.any():
            self.remaining[:] = 0
            return _NOT_RUNNING.get(n), None, None
        self.remaining[~running] = 0
        self.remaining[running] -= 1
        actions, reasons = self.motor_program(senses, params)
        return running, actions, reasons


class Steering(Generic[SensesT, EventsT]):
    """Base of a species' Steering Subsystem.

    Subclasses set ``parameters`` (innate adjustable parameters) and
    ``reflexes`` in ``__init__`` and implement ``evaluate`` on their species'
    events record. The body calls ``resize`` once, ``reset`` at every new
    life, ``reflex`` (with its senses record) before it moves and ``evaluate``
    (with its events record) after.
    """

    parameters: InnateParameters
    reflexes: tuple[Reflex[SensesT], ...] = ()

    def __init__(self) -> None:
        self._reflexes_enabled = True

    @property
    def unwrapped(self) -> Steering[SensesT, EventsT]:
        """The species' own module under any wrappers (a lesion): what a body checks it was given."""
        return self

    @property
    def reason_names(self) -> tuple[str, ...]:
        """Every reason the reflexes can give, in order: a ``ReflexTakeover.reason`` indexes it."""
        return _reasons_of(tuple(type(r) for r in self.reflexes))

    # --- lifecycle -----------------------------------------------------------
    def resize(self, num_bodies: int) -> None:
        self.parameters.resize(num_bodies)
        for r in self.reflexes:
            r.resize(num_bodies)

    def reset(self, mask: np.ndarray | None = None) -> None:
        """A new life for the bodies ``mask`` selects (a bool mask or row indices; all if None): innate values again."""
        self.parameters.reset(mask)
        for r in self.reflexes:
            r.reset(mask)

    # --- reflexes ------------------------------------------------------------
    @property
    def reflexes_enabled(self) -> bool:
        return self._reflexes_enabled

    @reflexes_enabled.setter
    def reflexes_enabled(self, on: bool) -> None:
        self._reflexes_enabled = bool(on)
        for r in self.reflexes:
            r.inhibited = not on

    def reflex(self, senses: SensesT, proposed: np.ndarray) -> ReflexTakeover:
        """Let reflexes take over the learner's proposed actions; earlier reflexes win over later ones."""
        if not self._reflexes_enabled or not self.reflexes:
            return ReflexTakeover.none(proposed)
        mask: np.ndarray | None = None
        executed, reason = proposed, _NONE.get(proposed.shape[0])
        offset = 0
        for r in self.reflexes:
            running, actions, reasons = r.step(senses, self.parameters)
            if actions is not None and reasons is not None:
                if mask is None:
                    mask, executed, reason = np.zeros_like(running), proposed.copy(), reason.copy()
                take = running & ~mask
                executed[take] = actions[take]
                reason[take] = reasons[take] + offset
                mask |= take
            offset += len(r.reasons)
        if mask is None:
            return ReflexTakeover.none(proposed)
        return ReflexTakeover(mask, executed, reason)

    # --- reward --------------------------------------------------------------
    def evaluate(self, events: EventsT, reflex: ReflexTakeover) -> SteeringOutput:
        """The reward, its components and the drives, from what happened this step."""
        raise NotImplementedError

    def reaching_learner(self, out: SteeringOutput) -> SteeringOutput:
        """What of ``out`` reaches the learner: all of it, unless a lesion cuts the reward pathway.

        A body whose step is compiled computes the output inside its kernel and
        passes it through here, as ``evaluate`` does for the others.
        """
        return out

    # --- thought assessors' channel -------------------------------------------
    #: Names of the innate signals whose *predictions* this module can evaluate
    #: (e.g. ``("sweet", "salt")``); empty if it offers no such entry point.
    signal_names: tuple[str, ...] = ()

    def evaluate_prediction(self, predicted: Mapping[str, np.ndarray], interoception: np.ndarray) -> np.ndarray:
        """What predicted innate signals would be worth now, in the current body state.

        ``predicted`` maps names in ``signal_names`` to (bodies,) expected
        magnitudes; ``interoception`` is the body's (bodies, d) interoceptive
        observation. Returns (bodies,) valences. This is the one channel through
        which a learner's predictions reach steering (striatal and amygdala
        outputs projecting to the hypothalamus); steering reads only the
        predictions and the body state, never the learner's internals.
        """
        raise NotImplementedError(f"{type(self).__name__} offers no evaluation of predicted signals")

    @property
    def num_adjustable_parameters(self) -> int:
        """Innate adjustable numbers per body (not counting fixed innate constants)."""
        return self.parameters.count

    def describe(self) -> str:
        return (
            f"{type(self).__name__}: {self.num_adjustable_parameters} adjustable parameters "
            f"({', '.join(self.parameters)}), reflexes: "
            f"{', '.join(r.name for r in self.reflexes) or 'none'}"
            f"{'' if self.reflexes_enabled else ' (inhibited)'}"
        )


@functools.lru_cache(maxsize=32)
def _reasons_of(reflex_types: tuple[type[Reflex[Any]], ...]) -> tuple[str, ...]:
    return tuple(name for t in reflex_types for name in reason_names_of(t.reasons))


class RewardLesion(Steering[SensesT, EventsT]):
    """A steering module with its reward pathway cut: reflexes and drives intact, reward 0.

    Wraps another steering module; used for "no innate reward" controls.
    Everything but the reward is the intact module's, read live: its
    parameters (even after it resizes them), its reflexes and their switch,
    its evaluation of predictions and any species-specific attribute.
    """

    def __init__(self, intact: Steering[SensesT, EventsT]) -> None:
        if not isinstance(intact, Steering):
            raise TypeError(f"RewardLesion wraps a steering.Steering, got {type(intact).__name__}")
        self.intact = intact

    def __getattr__(self, name: str) -> Any:
        # Called only for names this class does not define: species-specific ones pass through.
        if name == "intact":  # not yet set (unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.intact, name)

    @property
    def unwrapped(self) -> Steering[SensesT, EventsT]:
        return self.intact.unwrapped

    @property  # type: ignore[override]
    def parameters(self) -> InnateParameters:
        return self.intact.parameters

    @property  # type: ignore[override]
    def reflexes(self) -> tuple[Reflex[SensesT], ...]:
        return self.intact.reflexes

    @property
    def reflexes_enabled(self) -> bool:
        return self.intact.reflexes_enabled

    @reflexes_enabled.setter
    def reflexes_enabled(self, on: bool) -> None:
        self.intact.reflexes_enabled = on

    @property  # type: ignore[override]
    def signal_names(self) -> tuple[str, ...]:
        return self.intact.signal_names

    def resize(self, num_bodies: int) -> None:
        self.intact.resize(num_bodies)

    def reset(self, mask: np.ndarray | None = None) -> None:
        self.intact.reset(mask)

    def reflex(self, senses: SensesT, proposed: np.ndarray) -> ReflexTakeover:
        return self.intact.reflex(senses, proposed)

    def evaluate_prediction(self, predicted: Mapping[str, np.ndarray], interoception: np.ndarray) -> np.ndarray:
        # Only the reward pathway to the learner is cut; evaluating predictions is a different channel.
        return self.intact.evaluate_prediction(predicted, interoception)

    def evaluate(self, events: EventsT, reflex: ReflexTakeover) -> SteeringOutput:
        return self.reaching_learner(self.intact.evaluate(events, reflex))

    def reaching_learner(self, out: SteeringOutput) -> SteeringOutput:
        zero = np.zeros_like(out.reward)
        out.components = {k: zero for k in out.components}
        out.reward = zero
        return out


def check_names(kind: str, given: Sequence[str], known: Sequence[str]) -> None:
    """Raise a clear error if ``given`` names anything outside ``known``."""
    unknown = [g for g in given if g not in known]
    if unknown:
        raise ValueError(f"unknown {kind} {unknown}; expected some of {tuple(known)}")

"""The parts every species' Steering Subsystem is assembled from.

A body (in ``envs/``) hands its steering module two things each step:

1. *senses*, before it moves: named arrays of raw sensory readings (the size of
   an overhead disc, whether the nest is underfoot). Reflexes read these and may
   take over the action the learner proposed (``Steering.reflex``).
2. *events* and the *body* state, after it moved: what happened (ate 0.25
   energy, was captured, tasted 0.5 M salt) and the interoceptive variables.
   ``Steering.evaluate`` turns them into a ``SteeringOutput``: the reward handed
   to the learner, its named components, the drives, and the reflex record.

Steering never sees an agent's weights, only the body and its senses (and,
for thought assessors, predictions sent down through an explicit evaluation
entry point). Everything is batched over a leading body axis.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from brainlike.steering.parameters import InnateParameters

Senses = Mapping[str, np.ndarray]

NO_REFLEX = -1


@dataclass
class SteeringOutput:
    """What the Steering Subsystem concluded about one step of a batch of bodies.

    Attributes:
        reward: (bodies,) scalar reward handed to the learner: the sum of ``components``.
        components: named parts of the reward, e.g. ``food``, ``pain``.
        drives: named homeostatic drives D(H) after the step.
        reflex_action: (bodies,) the action a reflex executed, ``-1`` where none fired.
        reflex_reason: (bodies,) index into ``reason_names`` of why it fired, ``-1`` where none.
        reason_names: the reasons this species' reflexes can give (``"flee"``, ``"freeze"``).
    """

    reward: np.ndarray
    components: dict[str, np.ndarray]
    drives: dict[str, np.ndarray]
    reflex_action: np.ndarray
    reflex_reason: np.ndarray
    reason_names: tuple[str, ...] = field(default=())

    def for_body(self, i: int) -> dict[str, Any]:
        """A plain dict for one body, as it goes into a single env's ``info["steering"]``."""
        code = int(self.reflex_reason[i])
        return {
            "reward": float(self.reward[i]),
            "components": {k: float(v[i]) for k, v in self.components.items()},
            "drives": {k: float(v[i]) for k, v in self.drives.items()},
            "reflex": self.reason_names[code] if code >= 0 else None,
            "reflex_action": int(self.reflex_action[i]),
        }

    def batched(self) -> dict[str, Any]:
        """A dict of arrays, as it goes into a vector env's ``info["steering"]``."""
        return {
            "reward": self.reward,
            "components": dict(self.components),
            "drives": dict(self.drives),
            "reflex": _reason_table(self.reason_names)[self.reflex_reason + 1],
            "reflex_action": self.reflex_action,
        }


class _NoneCache:
    """Read-only arrays of -1 per batch size, so idle reflexes allocate nothing."""

    def __init__(self) -> None:
        self._arrays: dict[int, np.ndarray] = {}

    def get(self, n: int) -> np.ndarray:
        a = self._arrays.get(n)
        if a is None:
            a = self._arrays[n] = np.full(n, NO_REFLEX, dtype=np.int64)
            a.flags.writeable = False
        return a


_NONE_CACHE = _NoneCache()


@functools.lru_cache(maxsize=32)
def _reason_table(reason_names: tuple[str, ...]) -> np.ndarray:
    """None (no reflex) then each reason, indexable by ``reflex_reason + 1``; built once per species."""
    return np.asarray((None,) + reason_names, dtype=object)


class Reflex:
    """A complete behaviour wired from sensing to acting, with no learning.

    A reflex has a ``trigger`` on raw senses and a ``motor_program`` that takes
    over the body's action for up to ``duration`` steps. While ``inhibited`` it
    never fires (a lesion, or an experimenter's switch). Subclasses define
    ``trigger`` and ``motor_program``; the bookkeeping of which bodies are
    running the program lives here.
    """

    name = "reflex"
    reasons: tuple[str, ...] = ("reflex",)

    def __init__(self, duration: int) -> None:
        if duration < 1:
            raise ValueError(f"a reflex duration must be >= 1 step, got {duration}")
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

    def trigger(self, senses: Senses, params: InnateParameters) -> np.ndarray:
        """(bodies,) bool: where the trigger condition holds now."""
        raise NotImplementedError

    def motor_program(self, senses: Senses, params: InnateParameters) -> tuple[np.ndarray, np.ndarray]:
        """(actions, reason codes) for every body; only running bodies' entries are used."""
        raise NotImplementedError

    def still_running(self, senses: Senses, params: InnateParameters) -> np.ndarray:
        """(bodies,) bool: where a running program should go on. Default: while time remains."""
        return self.remaining > 0

    def step(self, senses: Senses, params: InnateParameters) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Advance the reflex one step: (running mask, actions, reason codes)."""
        if self.inhibited:
            self.remaining[:] = 0
            n = self.remaining.shape[0]
            return np.zeros(n, dtype=bool), np.full(n, NO_REFLEX), np.full(n, NO_REFLEX)
        fired = self.trigger(senses, params)
        if fired.any():
            self.remaining[fired & (self.remaining <= 0)] = self.duration
        elif not (self.remaining > 0).any():  # nothing triggered, nothing running: the common case
            none = _NONE_CACHE.get(fired.shape[0])
            return fired, none, none
        running = (self.remaining > 0) & self.still_running(senses, params)
        if not running.any():  # the common case: nothing overhead, nothing to compute
            self.remaining[:] = 0
            return running, _NONE_CACHE.get(running.shape[0]), _NONE_CACHE.get(running.shape[0])
        self.remaining[~running] = 0
        self.remaining[running] -= 1
        actions, reasons = self.motor_program(senses, params)
        return running, actions, reasons


class Steering:
    """Base of a species' Steering Subsystem.

    Subclasses set ``parameters`` (innate adjustable parameters), ``reflexes``
    and ``action_names`` in ``__init__`` and implement ``evaluate``. The body
    calls ``resize`` once, ``reset`` at every new life, ``reflex`` before it
    moves and ``evaluate`` after.
    """

    parameters: InnateParameters
    reflexes: tuple[Reflex, ...] = ()
    reason_names: tuple[str, ...] = ()

    def __init__(self) -> None:
        self._reflexes_enabled = True

    # --- lifecycle -----------------------------------------------------------
    def resize(self, num_bodies: int) -> None:
        self.parameters.resize(num_bodies)
        for r in self.reflexes:
            r.resize(num_bodies)

    def reset(self, mask: np.ndarray | None = None) -> None:
        """A new life for the bodies in ``mask`` (all if None): innate values again."""
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

    def reflex(self, senses: Senses, proposed: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Let reflexes override the learner's proposed actions.

        Returns ``(executed, reflex_action, reflex_reason)``; ``reflex_action``
        and ``reflex_reason`` are ``-1`` where no reflex fired. Earlier reflexes
        in ``self.reflexes`` win over later ones.
        """
        n = proposed.shape[0]
        executed = proposed
        reflex_action = np.full(n, NO_REFLEX, dtype=np.int64)
        reflex_reason = np.full(n, NO_REFLEX, dtype=np.int64)
        if not self._reflexes_enabled:
            return executed, reflex_action, reflex_reason
        offset = 0
        for r in self.reflexes:
            running, actions, reasons = r.step(senses, self.parameters)
            take = running & (reflex_action == NO_REFLEX)
            if take.any():
                reflex_action[take] = actions[take]
                reflex_reason[take] = reasons[take] + offset
            offset += len(r.reasons)
        if (reflex_action != NO_REFLEX).any():
            executed = np.where(reflex_action != NO_REFLEX, reflex_action, proposed)
        return executed, reflex_action, reflex_reason

    # --- reward --------------------------------------------------------------
    def evaluate(
        self,
        events: Senses,
        body: Senses,
        reflex_action: np.ndarray,
        reflex_reason: np.ndarray,
    ) -> SteeringOutput:
        raise NotImplementedError

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
            f"{'' if self._reflexes_enabled else ' (inhibited)'}"
        )


class RewardLesion(Steering):
    """A steering module with its reward pathway cut: reflexes and drives intact, reward 0.

    Wraps another steering module; used for "no innate reward" controls.
    """

    def __init__(self, intact: Steering) -> None:
        super().__init__()
        self.intact = intact
        # Shared, not copied: the inherited ``reflex`` runs the intact module's reflexes.
        self.parameters = intact.parameters
        self.reflexes = intact.reflexes
        self.reason_names = intact.reason_names

    def __getattr__(self, name: str) -> Any:
        # Body-specific attributes (action names, evaluation entry points) pass through.
        if name == "intact":
            raise AttributeError(name)
        return getattr(self.intact, name)

    def resize(self, num_bodies: int) -> None:
        self.intact.resize(num_bodies)

    def reset(self, mask: np.ndarray | None = None) -> None:
        self.intact.reset(mask)

    @property  # type: ignore[override]
    def signal_names(self) -> tuple[str, ...]:
        return self.intact.signal_names

    def evaluate_prediction(self, predicted: Mapping[str, np.ndarray], interoception: np.ndarray) -> np.ndarray:
        # Only the reward pathway to the learner is cut; evaluating predictions is a different channel.
        return self.intact.evaluate_prediction(predicted, interoception)

    def evaluate(self, events: Senses, body: Senses, reflex_action: np.ndarray, reflex_reason: np.ndarray) -> SteeringOutput:
        out = self.intact.evaluate(events, body, reflex_action, reflex_reason)
        zero = np.zeros_like(out.reward)
        out.components = {k: zero for k in out.components}
        out.reward = zero
        return out


def check_names(kind: str, given: Sequence[str], known: Sequence[str]) -> None:
    """Raise a clear error if ``given`` names anything outside ``known``."""
    unknown = [g for g in given if g not in known]
    if unknown:
        raise ValueError(f"unknown {kind} {unknown}; expected some of {tuple(known)}")

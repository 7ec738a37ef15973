"""The eyelid's Steering Subsystem: the blink reflex, the climbing-fibre error, the cost of a closed eye.

An air puff on the eye triggers a brainstem blink (trigeminal -> facial
nucleus) about 17.5 ms later, from the first trial on and whatever the
learner is doing (Disterhoft, Kwan & Lo 1977). The same puff reaching an
*open* cornea is the innate teaching signal of eyeblink conditioning: the
inferior olive's climbing-fibre input to the cerebellum (Thompson 1986;
Mauk, Steinmetz & Thompson 1986). Closing the eye costs a little (the animal
loses sight while it is shut), so keeping it closed all the time does not pay.

Papers: Disterhoft, Kwan & Lo 1977 (the reflex's latency); Evinger et al.
1991 (the trigeminal blink's brainstem pathway); McCormick & Thompson 1984
(the reflex survives a cerebellar lesion).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

from brainlike.steering.base import Reflex, ReflexTakeover, Steering, SteeringOutput
from brainlike.steering.parameters import InnateParameters


class EyelidAction(IntEnum):
    """Eyeblink, the discrete variant: the lid commanded open or shut (the continuous command is 0 to 1)."""

    OPEN = 0
    CLOSE = 1


#: One step of the eyeblink body, in milliseconds.
STEP_MS = 5.0
#: Where the climbing-fibre signal is found in a step's ``info``.
CLIMBING_FIBRE = "climbing_fibre"


@dataclass(frozen=True, slots=True)
class EyelidSenses:
    """What the blink reflex reads before the lid moves."""

    puff: np.ndarray  # (bodies,) the air puff's pressure at the eye, open or closed


@dataclass(frozen=True, slots=True)
class EyelidEvents:
    """What happened this step, for the evaluation."""

    cornea: np.ndarray  # (bodies,) the puff pressure that reached the open cornea
    lid: np.ndarray  # (bodies,) the lid's position after the step, 0 open .. 1 closed


class BlinkReason(IntEnum):
    BLINK = 0


class BlinkReflex(Reflex[EyelidSenses]):
    """Air puff at the eye -> full closure of the lid, after a fixed brainstem latency.

    The trigger is the puff's pressure at the eye (``senses.puff``), open or
    closed: the periocular skin and the lid feel it too, so the reflex fires on
    every puff whatever the learner's lid command. ``latency`` steps after the
    trigger the motor program takes over the lid command (full closure: 1.0 on
    the continuous command, ``EyelidAction.CLOSE`` in the discrete variant)
    for ``duration`` steps; a puff that goes on after the blink triggers another.

    Parameters read: ``puff_threshold`` (the trigeminal threshold).
    """

    name = "blink"
    reasons = BlinkReason

    def __init__(self, latency: int, duration: int) -> None:
        super().__init__(duration)
        if isinstance(latency, bool) or not isinstance(latency, (int, np.integer)) or latency < 0:
            raise ValueError(f"a reflex latency must be an integer >= 0 steps, got {latency!r}")
        self.latency = int(latency)
        self.pending = np.full(1, -1, dtype=np.int64)
        #: Whether the body speaks the discrete vocabulary (set from the proposed actions).
        self.discrete = False

    def resize(self, num_bodies: int) -> None:
        super().resize(num_bodies)
        self.pending = np.full(num_bodies, -1, dtype=np.int64)

    def reset(self, mask: np.ndarray | None = None) -> None:
        super().reset(mask)
        self.pending[slice(None) if mask is None else mask] = -1

    def trigger(self, senses: EyelidSenses, params: InnateParameters) -> np.ndarray:
        return senses.puff >= params["puff_threshold"][:, 0]

    def motor_program(self, senses: EyelidSenses, params: InnateParameters) -> tuple[np.ndarray, np.ndarray]:
        n = senses.puff.shape[0]
        close = np.full(n, EyelidAction.CLOSE, dtype=np.int64) if self.discrete else np.ones((n, 1))
        return close, np.full(n, BlinkReason.BLINK, dtype=np.int64)

    def step(self, senses: EyelidSenses, params: InnateParameters) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """Advance one step: a trigger starts a countdown of ``latency`` steps, then the blink runs."""
        n = self.remaining.shape[0]
        if self.inhibited:
            self.remaining[:] = 0
            self.pending[:] = -1
            return np.zeros(n, dtype=bool), None, None
        idle = (self.pending < 0) & (self.remaining <= 0)
        self.pending[self.trigger(senses, params) & idle] = self.latency
        due = self.pending == 0
        self.remaining[due] = self.duration
        self.pending[due] = -1
        running = self.remaining > 0
        self.pending[self.pending > 0] -= 1
        if not running.any():
            return running, None, None
        self.remaining[running] -= 1
        actions, reasons = self.motor_program(senses, params)
        return running, actions, reasons


@dataclass
class EyelidOutput(SteeringOutput):
    """A ``SteeringOutput`` plus the innate teaching signal of the cerebellum.

    Attributes:
        climbing_fibre: (bodies,) the puff pressure that reached the open
            cornea this step: the inferior olive's error signal. The body puts it
            in ``info["climbing_fibre"]``.
    """

    climbing_fibre: np.ndarray = field(default_factory=lambda: np.zeros(0))


class EyelidSteering(Steering[EyelidSenses, EyelidEvents]):
    """The blink reflex, the climbing-fibre error and the innate reward of an eye.

    Reward components (summed into the reward):
        ``puff``: ``-puff_cost`` x the puff pressure reaching the open cornea
            (pressure x openness, 1 - lid position).
        ``vision``: ``-closure_cost`` x the lid position, every step: a shut eye
            sees nothing. With the defaults, a lid kept shut through a trial costs
            more than the puffs it saves, a lid closed just over the puff less.

    Climbing-fibre signal: the puff pressure on the open cornea, the same
    quantity as ``puff`` without its sign or weight (``EyelidOutput.climbing_fibre``).

    Innate adjustable parameters (1 number per eye):
        ``puff_threshold``: the pressure that triggers the blink. Each puff
            reaching the open cornea lowers it by ``sensitization`` x the
            pressure (a sensitized cornea), never below ``min_threshold``. At the
            default puff intensity the puff is far above threshold from the first
            trial, so the reflex fires on every puff whatever the rule does.

    Reflexes: ``BlinkReflex`` (the lid starts closing ``blink_latency`` steps,
    15 ms, after the puff, and is held shut for ``blink_steps`` steps, 150 ms).
    """

    def __init__(
        self,
        puff_cost: float = 1.0,
        closure_cost: float = 0.03,
        puff_threshold: float = 0.05,
        sensitization: float = 0.01,
        min_threshold: float = 0.01,
        blink_latency: int = 3,
        blink_steps: int = 30,
    ) -> None:
        super().__init__()
        checks = {
            "puff_cost": (puff_cost, puff_cost >= 0, ">= 0"),
            "closure_cost": (closure_cost, closure_cost >= 0, ">= 0"),
            "min_threshold": (min_threshold, min_threshold > 0, "> 0"),
            "puff_threshold": (puff_threshold, puff_threshold >= min_threshold, f">= min_threshold={min_threshold}"),
            "sensitization": (sensitization, 0 <= sensitization <= 1, "in [0, 1]"),
        }
        for name, (value, ok, expected) in checks.items():
            if not ok:
                raise ValueError(f"{name}={value!r} is invalid: expected {expected}")
        self.puff_cost = float(puff_cost)
        self.closure_cost = float(closure_cost)
        self.sensitization = float(sensitization)
        self.min_threshold = float(min_threshold)
        self.blink = BlinkReflex(blink_latency, blink_steps)
        self.reflexes = (self.blink,)
        self.parameters = InnateParameters({"puff_threshold": puff_threshold})

    def reflex(self, senses: EyelidSenses, proposed: np.ndarray) -> ReflexTakeover:
        # The blink closes the lid in the vocabulary the body speaks: (bodies,) ints or (bodies, 1) commands.
        self.blink.discrete = proposed.ndim == 1
        return super().reflex(senses, proposed)

    def evaluate(self, events: EyelidEvents, reflex: ReflexTakeover) -> EyelidOutput:
        cornea = events.cornea
        puff = -self.puff_cost * cornea
        vision = -self.closure_cost * events.lid
        if self.sensitization > 0 and (cornea > 0).any():
            threshold = self.parameters["puff_threshold"][:, 0]
            threshold[:] = np.maximum(threshold - self.sensitization * cornea, self.min_threshold)
        return EyelidOutput(
            reward=puff + vision,
            components={"puff": puff, "vision": vision},
            drives={},
            reflex=reflex,
            reason_names=self.reason_names,
            climbing_fibre=cornea.copy(),
        )


__all__ = ["CLIMBING_FIBRE", "STEP_MS", "BlinkReason", "BlinkReflex", "EyelidEvents", "EyelidOutput", "EyelidSenses",
           "EyelidSteering"]

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
from brainlike.steering.compiled import jit
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


#: The steering's constants as its compiled functions read them (``EyelidSteering.constants``);
#: ``threshold`` is the column of ``puff_threshold`` in the innate parameters' values.
EYELID_CONSTANTS = np.dtype([
    ("puff_cost", np.float64), ("closure_cost", np.float64), ("sensitization", np.float64), ("min_threshold", np.float64),
    ("latency", np.int64), ("duration", np.int64), ("threshold", np.int64),
])


# --- compiled: one eye at a time, called from Eyeblink's step kernel ---------------------
@jit
def blink_reflex(latency, duration, threshold, params, remaining, pending, b, enabled, puff):  # type: ignore[no-untyped-def]
    """Eye ``b``'s blink reflex this step, for a puff of pressure ``puff``: whether the blink holds the lid shut.

    ``remaining`` (steps of closure left) and ``pending`` (steps until a triggered
    blink starts, -1 for none) are the reflex's state; ``params[b, threshold]`` is
    the puff threshold. An idle reflex triggered now starts its blink ``latency``
    steps later (at once for 0), and holds it ``duration`` steps.
    """
    if not enabled:  # inhibited: a lesion, or the experimenter's switch
        remaining[b] = 0
        pending[b] = -1
        return False
    idle = pending[b] < 0 and remaining[b] <= 0
    if idle and puff >= params[b, threshold]:
        pending[b] = latency
    if pending[b] == 0:
        remaining[b] = duration
        pending[b] = -1
    running = remaining[b] > 0
    if pending[b] > 0:
        pending[b] -= 1
    if running:
        remaining[b] -= 1
    return running


@jit
def eyelid_evaluate(c, params, b, cornea, lid):  # type: ignore[no-untyped-def]
    """Eye ``b``'s reward components (puff, vision) for ``cornea`` (the puff on the open cornea) and ``lid``; sensitizes its threshold."""
    puff = -c["puff_cost"] * cornea
    vision = -c["closure_cost"] * lid
    if c["sensitization"] > 0 and cornea > 0:
        t = c["threshold"]
        params[b, t] = max(params[b, t] - c["sensitization"] * cornea, c["min_threshold"])
    return puff, vision


# --- the same functions over a batch, for the Steering API (records in, arrays out) -------
@jit
def _blink_batch(latency, duration, threshold, params, remaining, pending, enabled, puff, running):  # type: ignore[no-untyped-def]
    for b in range(puff.shape[0]):
        running[b] = blink_reflex(latency, duration, threshold, params, remaining, pending, b, enabled, puff[b])


@jit
def _evaluate_batch(constants, params, cornea, lid, out):  # type: ignore[no-untyped-def]
    for b in range(cornea.shape[0]):
        out[b, 0], out[b, 1] = eyelid_evaluate(constants[0], params, b, cornea[b], lid[b])


class BlinkReflex(Reflex[EyelidSenses]):
    """Air puff at the eye -> full closure of the lid, after a fixed brainstem latency.

    The trigger is the puff's pressure at the eye (``senses.puff``), open or
    closed: the periocular skin and the lid feel it too, so the reflex fires on
    every puff whatever the learner's lid command. ``latency`` steps after the
    trigger the motor program takes over the lid command (full closure: 1.0 on
    the continuous command, ``EyelidAction.CLOSE`` in the discrete variant)
    for ``duration`` steps; a puff that goes on after the blink triggers another.

    Written once, as the compiled ``blink_reflex`` (one eye), which the
    eyeblink's step kernel calls; ``step`` runs it over a batch.

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

    def motor_program(self, senses: EyelidSenses, params: InnateParameters) -> tuple[np.ndarray, np.ndarray]:
        n = senses.puff.shape[0]
        close = np.full(n, EyelidAction.CLOSE, dtype=np.int64) if self.discrete else np.ones((n, 1))
        return close, np.full(n, BlinkReason.BLINK, dtype=np.int64)

    def step(self, senses: EyelidSenses, params: InnateParameters) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """Advance one step: a trigger starts a countdown of ``latency`` steps, then the blink runs."""
        running = np.empty(self.remaining.shape[0], dtype=bool)
        _blink_batch(self.latency, self.duration, params.columns("puff_threshold").start, params.values, self.remaining,
                     self.pending, not self.inhibited, np.ascontiguousarray(senses.puff, dtype=np.float64), running)
        if not running.any():
            return running, None, None
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

    The rules are compiled functions (``blink_reflex``, ``eyelid_evaluate``)
    called from Eyeblink's step kernel; ``reflex`` (through ``BlinkReflex.step``)
    and ``evaluate`` run them over a batch of records.
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

    @property
    def constants(self) -> np.ndarray:
        """The steering's constants as an array of one record; its compiled functions read ``constants[0]["closure_cost"]``."""
        values = (self.puff_cost, self.closure_cost, self.sensitization, self.min_threshold, self.blink.latency,
                  self.blink.duration, self.parameters.columns("puff_threshold").start)
        return np.array([values], dtype=EYELID_CONSTANTS)

    def reflex(self, senses: EyelidSenses, proposed: np.ndarray) -> ReflexTakeover:
        # The blink closes the lid in the vocabulary the body speaks: (bodies,) ints or (bodies, 1) commands.
        self.blink.discrete = proposed.ndim == 1
        return super().reflex(senses, proposed)

    def evaluate(self, events: EyelidEvents, reflex: ReflexTakeover) -> EyelidOutput:
        cornea = np.ascontiguousarray(events.cornea, dtype=np.float64)
        out = np.empty((cornea.shape[0], 2))
        _evaluate_batch(self.constants, self.parameters.values, cornea, np.ascontiguousarray(events.lid, dtype=np.float64), out)
        puff, vision = out[:, 0], out[:, 1]
        return EyelidOutput(
            reward=puff + vision,
            components={"puff": puff, "vision": vision},
            drives={},
            reflex=reflex,
            reason_names=self.reason_names,
            climbing_fibre=cornea.copy(),
        )


__all__ = ["CLIMBING_FIBRE", "EYELID_CONSTANTS", "STEP_MS", "BlinkReason", "BlinkReflex", "EyelidEvents", "EyelidOutput",
           "EyelidSenses", "EyelidSteering", "blink_reflex", "eyelid_evaluate"]

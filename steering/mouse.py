"""The mouse's Steering Subsystem: a hunger homeostat, pain, and the looming reflex.

Papers: Yilmaz & Meister 2013 (innate flight from an overhead looming disc);
De Franceschi et al. 2016 (looming -> flight, small sweeping disc -> freezing);
Evans et al. 2018 (escape when threat level exceeds an escape threshold);
Vale et al. 2017 (one visit to the shelter sets the escape target).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from brainlike.steering.base import NO_REFLEX, Reflex, ReflexTakeover, Steering, SteeringOutput
from brainlike.steering.homeostat import Homeostat
from brainlike.steering.motor import MOUSE_MOVES, MouseAction, names
from brainlike.steering.parameters import InnateParameters

# The mouse's motor vocabulary (``steering.motor``), under the names the code reads best with.
ACTION_NAMES = names(MouseAction)
STAY, NORTH, EAST, SOUTH, WEST = (int(a) for a in MouseAction)
MOVES = MOUSE_MOVES

# The disc angle (degrees) at which threat saturates: Yilmaz & Meister's loom ends at 20 deg.
LOOM_FULL_ANGLE = 20.0


@dataclass(frozen=True, slots=True)
class MouseSenses:
    """What the mouse's reflexes read before it moves, one entry per body."""

    disc_angle: np.ndarray  # the overhead disc's angular size (deg), 0 when the sky is empty
    disc_expansion: np.ndarray  # its growth this step (deg/step)
    disc_contrast: np.ndarray  # its contrast as this mouse's retina reports it (0-1)
    position: np.ndarray  # (bodies, 2) x, y on the grid
    in_nest: np.ndarray  # bool


@dataclass(frozen=True, slots=True)
class MouseEvents:
    """What happened to the mouse this step, and its body state, for ``MouseSteering.evaluate``."""

    food: np.ndarray  # energy eaten
    captured: np.ndarray  # bool: a predator struck an exposed mouse
    energy_start: np.ndarray  # before this step
    energy: np.ndarray  # after this step's burning, before the meal
    energy_after: np.ndarray  # after the meal
    position: np.ndarray  # (bodies, 2)
    in_nest: np.ndarray  # bool
    disc_angle: np.ndarray  # deg, after this step
    exposed: np.ndarray  # bool: outside the nest


class LoomingReason(IntEnum):
    """Why the looming reflex took over."""

    FLEE = 0
    FREEZE = 1


class LoomingReflex(Reflex[MouseSenses]):
    """Overhead dark disc -> escape, wired from the senses with no learning.

    Threat is ``(disc angle / 20 deg) x contrast - escape_threshold`` (Evans et
    al. 2018). When threat is positive and the disc is *expanding* (a loom), the
    mouse flees to the remembered nest if it has ever visited one (Vale et al.
    2017) and freezes otherwise; a disc above threshold that does not expand (a
    slow sweep) gives freezing (De Franceschi et al. 2016). Flight runs until
    the nest is reached; freezing runs while the disc is overhead.

    Senses read: ``MouseSenses``.
    Parameters read: ``nest`` (x, y; NaN while unknown), ``escape_threshold``.
    """

    name = "looming"
    reasons = LoomingReason
    FLEE, FREEZE = int(LoomingReason.FLEE), int(LoomingReason.FREEZE)

    def __init__(self, duration: int = 30) -> None:
        super().__init__(duration)
        self.mode = np.zeros(1, dtype=np.int64)

    def resize(self, num_bodies: int) -> None:
        super().resize(num_bodies)
        self.mode = np.zeros(num_bodies, dtype=np.int64)

    def threat(self, senses: MouseSenses, params: InnateParameters) -> np.ndarray:
        level = senses.disc_angle / LOOM_FULL_ANGLE * senses.disc_contrast
        return level - params["escape_threshold"][:, 0]

    def trigger(self, senses: MouseSenses, params: InnateParameters) -> np.ndarray:
        fired = self.threat(senses, params) > 0
        idle = self.remaining <= 0
        if (fired & idle).any():
            looming = senses.disc_expansion > 0
            nest_known = ~np.isnan(params["nest"][:, 0])
            new = fired & idle
            self.mode[new] = np.where(looming & nest_known, self.FLEE, self.FREEZE)[new]
        return fired

    def still_running(self, senses: MouseSenses, params: InnateParameters) -> np.ndarray:
        fleeing = (self.mode == self.FLEE) & ~senses.in_nest
        freezing = (self.mode == self.FREEZE) & (senses.disc_angle > 0)
        return (self.remaining > 0) & (fleeing | freezing)

    def motor_program(self, senses: MouseSenses, params: InnateParameters) -> tuple[np.ndarray, np.ndarray]:
        pos = senses.position
        nest = params["nest"]
        # An unknown nest (NaN) gives dx = dy = 0: such mice freeze, they never flee.
        known = ~np.isnan(nest[:, 0])
        dx = np.where(known, nest[:, 0] - pos[:, 0], 0.0)
        dy = np.where(known, nest[:, 1] - pos[:, 1], 0.0)
        # Close the larger gap first: the shortest path in an open arena.
        horizontal = np.abs(dx) >= np.abs(dy)
        toward = np.where(horizontal, np.where(dx > 0, EAST, WEST), np.where(dy > 0, SOUTH, NORTH))
        toward = np.where((dx == 0) & (dy == 0), STAY, toward)
        actions = np.where(self.mode == self.FLEE, toward, STAY)
        return actions, self.mode


class MouseSteering(Steering[MouseSenses, MouseEvents]):
    """Hunger, pain and the looming reflex of a foraging mouse.

    Reward components (summed into the reward):
        ``food``: the drive reduction of the energy eaten, D(H) - D(H + K), with
            an energy ``Homeostat`` (set point ``energy_set_point``, n=4, m=3):
            the same pellet is worth more when hungry; overeating is punished.
        ``hunger``: the drive the body's own metabolism adds this step,
            D(H_before) - D(H_after burning), always <= 0. With ``food`` it
            telescopes: a life's homeostatic reward is D(H_birth) - D(H_death),
            so a life that ends in starvation ends with all the drive it built.
        ``pain``: ``-pain_weight`` on a step where a predator caught the mouse.

    Innate adjustable parameters (3 numbers per mouse):
        ``nest`` (x, y): NaN at birth, set by the first step spent in the nest
            (a single visit is enough, Vale et al. 2017).
        ``escape_threshold``: starts at ``escape_threshold``; a shadow that
            passes while the mouse is exposed and does no harm raises it by
            ``habituation`` x (``max_threshold`` - threshold); pain halves it.

    Reflexes: ``LoomingReflex`` (flee to the remembered nest, or freeze).
    """

    def __init__(
        self,
        energy_set_point: float = 1.0,
        pain_weight: float = 0.5,
        escape_threshold: float = 0.15,
        habituation: float = 0.0,
        max_threshold: float = 1.0,
    ) -> None:
        super().__init__()
        if not 0.0 <= escape_threshold < max_threshold:
            raise ValueError(
                f"escape_threshold must be in [0, max_threshold={max_threshold}), got {escape_threshold}"
            )
        if not 0.0 <= habituation <= 1.0:
            raise ValueError(f"habituation must be in [0, 1], got {habituation}")
        if pain_weight < 0:
            raise ValueError(f"pain_weight must be >= 0, got {pain_weight}")
        self.homeostat = Homeostat(("energy",), (energy_set_point,), n=4.0, m=3.0)
        self.pain_weight = float(pain_weight)
        self.habituation = float(habituation)
        self.max_threshold = float(max_threshold)
        self.looming = LoomingReflex()
        self.reflexes = (self.looming,)
        self.parameters = InnateParameters(
            {"nest": (np.nan, np.nan), "escape_threshold": escape_threshold}
        )
        self._shadow_overhead = np.zeros(1, dtype=bool)
        self._harmed = np.zeros(1, dtype=bool)

    def resize(self, num_bodies: int) -> None:
        super().resize(num_bodies)
        self._shadow_overhead = np.zeros(num_bodies, dtype=bool)
        self._harmed = np.zeros(num_bodies, dtype=bool)

    def reset(self, mask: np.ndarray | None = None) -> None:
        super().reset(mask)
        sel = slice(None) if mask is None else mask
        self._shadow_overhead[sel] = False
        self._harmed[sel] = False

    def evaluate(self, events: MouseEvents, reflex: ReflexTakeover) -> SteeringOutput:
        h = self.homeostat
        start = h.drive(events.energy_start[:, None])
        before_meal = h.drive(events.energy[:, None])
        after = h.drive(events.energy_after[:, None])
        hunger = start - before_meal
        # The meal's drive reduction, measured where it was eaten (after this step's burning).
        food = before_meal - after
        captured = events.captured
        pain = np.where(captured, -self.pain_weight, 0.0)
        self._update_parameters(events)
        return SteeringOutput(
            reward=food + hunger + pain,
            components={"food": food, "hunger": hunger, "pain": pain},
            drives={"energy": after},
            reflex=reflex,
            reason_names=self.reason_names,
        )

    def _update_parameters(self, events: MouseEvents) -> None:
        in_nest, captured = events.in_nest, events.captured
        if in_nest.any():
            self.parameters["nest"][in_nest] = events.position[in_nest]
        threshold = self.parameters["escape_threshold"]
        if captured.any():
            threshold[captured] *= 0.5
        overhead = events.disc_angle > 0
        self._harmed |= captured
        # A shadow that came and went while the mouse was exposed, with no harm.
        passed = self._shadow_overhead & ~overhead & ~self._harmed & events.exposed
        if self.habituation > 0 and passed.any():
            threshold[passed] += self.habituation * (self.max_threshold - threshold[passed])
        self._harmed &= overhead
        self._shadow_overhead = overhead


__all__ = ["ACTION_NAMES", "MOVES", "LoomingReason", "LoomingReflex", "MouseEvents", "MouseSenses", "MouseSteering", "NO_REFLEX"]

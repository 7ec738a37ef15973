"""The mouse's Steering Subsystem: a hunger homeostat, pain, and the looming reflex.

Papers: Yilmaz & Meister 2013 (innate flight from an overhead looming disc);
De Franceschi et al. 2016 (looming -> flight, small sweeping disc -> freezing);
Evans et al. 2018 (escape when threat level exceeds an escape threshold);
Vale et al. 2017 (one visit to the shelter sets the escape target).
"""

from __future__ import annotations

import numpy as np

from brainlike.steering.base import NO_REFLEX, Reflex, Senses, Steering, SteeringOutput
from brainlike.steering.homeostat import Homeostat
from brainlike.steering.parameters import InnateParameters

# The mouse's motor vocabulary. Staying still is freezing.
ACTION_NAMES = ("stay", "north", "east", "south", "west")
STAY, NORTH, EAST, SOUTH, WEST = range(5)
# (dx, dy) of each action on the arena grid; north is towards y = 0.
MOVES = np.array([(0, 0), (0, -1), (1, 0), (0, 1), (-1, 0)], dtype=np.int64)

# The disc angle (degrees) at which threat saturates: Yilmaz & Meister's loom ends at 20 deg.
LOOM_FULL_ANGLE = 20.0


class LoomingReflex(Reflex):
    """Overhead dark disc -> escape, wired from the senses with no learning.

    Threat is ``(disc angle / 20 deg) x contrast - escape_threshold`` (Evans et
    al. 2018). When threat is positive and the disc is *expanding* (a loom), the
    mouse flees to the remembered nest if it has ever visited one (Vale et al.
    2017) and freezes otherwise; a disc above threshold that does not expand (a
    slow sweep) gives freezing (De Franceschi et al. 2016). Flight runs until
    the nest is reached; freezing runs while the disc is overhead.

    Senses read: ``disc_angle`` (deg), ``disc_expansion`` (deg/step),
    ``disc_contrast`` (0-1), ``position`` (x, y), ``in_nest``.
    Parameters read: ``nest`` (x, y; NaN while unknown), ``escape_threshold``.
    """

    name = "looming"
    reasons = ("flee", "freeze")
    FLEE, FREEZE = 0, 1

    def __init__(self, duration: int = 30) -> None:
        super().__init__(duration)
        self.mode = np.zeros(1, dtype=np.int64)

    def resize(self, num_bodies: int) -> None:
        super().resize(num_bodies)
        self.mode = np.zeros(num_bodies, dtype=np.int64)

    def threat(self, senses: Senses, params: InnateParameters) -> np.ndarray:
        level = senses["disc_angle"] / LOOM_FULL_ANGLE * senses["disc_contrast"]
        return level - params["escape_threshold"][:, 0]

    def trigger(self, senses: Senses, params: InnateParameters) -> np.ndarray:
        fired = self.threat(senses, params) > 0
        idle = self.remaining <= 0
        if (fired & idle).any():
            looming = senses["disc_expansion"] > 0
            nest_known = ~np.isnan(params["nest"][:, 0])
            new = fired & idle
            self.mode[new] = np.where(looming & nest_known, self.FLEE, self.FREEZE)[new]
        return fired

    def still_running(self, senses: Senses, params: InnateParameters) -> np.ndarray:
        fleeing = (self.mode == self.FLEE) & ~senses["in_nest"]
        freezing = (self.mode == self.FREEZE) & (senses["disc_angle"] > 0)
        return (self.remaining > 0) & (fleeing | freezing)

    def motor_program(self, senses: Senses, params: InnateParameters) -> tuple[np.ndarray, np.ndarray]:
        pos = senses["position"]
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


class MouseSteering(Steering):
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

    action_names = ACTION_NAMES
    reason_names = LoomingReflex.reasons

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

    def evaluate(
        self,
        events: Senses,
        body: Senses,
        reflex_action: np.ndarray,
        reflex_reason: np.ndarray,
    ) -> SteeringOutput:
        """Events: ``food`` (energy eaten), ``captured`` (bool).
        Body: ``energy_start`` (before this step), ``energy`` (after burning,
        before the meal), ``energy_after``, ``position``, ``in_nest``,
        ``disc_angle``, ``exposed`` (outside the nest)."""
        h = self.homeostat
        start = h.drive(body["energy_start"][:, None])
        before_meal = h.drive(body["energy"][:, None])
        after = h.drive(body["energy_after"][:, None])
        hunger = start - before_meal
        # The meal's drive reduction, measured where it was eaten (after this step's burning).
        food = before_meal - after
        captured = events["captured"]
        pain = np.where(captured, -self.pain_weight, 0.0)
        self._update_parameters(body, captured)
        return SteeringOutput(
            reward=food + hunger + pain,
            components={"food": food, "hunger": hunger, "pain": pain},
            drives={"energy": after},
            reflex_action=reflex_action,
            reflex_reason=reflex_reason,
            reason_names=self.reason_names,
        )

    def _update_parameters(self, body: Senses, captured: np.ndarray) -> None:
        in_nest = body["in_nest"]
        if in_nest.any():
            self.parameters["nest"][in_nest] = body["position"][in_nest]
        threshold = self.parameters["escape_threshold"]
        if captured.any():
            threshold[captured] *= 0.5
        overhead = body["disc_angle"] > 0
        self._harmed |= captured
        # A shadow that came and went while the mouse was exposed, with no harm.
        passed = self._shadow_overhead & ~overhead & ~self._harmed & body["exposed"]
        if self.habituation > 0 and passed.any():
            threshold[passed] += self.habituation * (self.max_threshold - threshold[passed])
        self._harmed &= overhead
        self._shadow_overhead = overhead


__all__ = ["ACTION_NAMES", "MOVES", "LoomingReflex", "MouseSteering", "NO_REFLEX"]

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
from brainlike.steering.compiled import jit
from brainlike.steering.homeostat import Homeostat, drive_of_one
from brainlike.steering.motor import names
from brainlike.steering.parameters import InnateParameters


class MouseAction(IntEnum):
    """ForagingMouse: staying still is freezing; north is towards y = 0."""

    STAY = 0
    NORTH = 1
    EAST = 2
    SOUTH = 3
    WEST = 4


#: (dx, dy) of each ``MouseAction`` on the arena grid.
MOUSE_MOVES = np.array([(0, 0), (0, -1), (1, 0), (0, 1), (-1, 0)], dtype=np.int64)


# The mouse's motor vocabulary (``MouseAction`` above), under the names the code reads best with.
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


FLEE, FREEZE = int(LoomingReason.FLEE), int(LoomingReason.FREEZE)
#: The columns of ``MouseSteering.parameters.values`` (declared in that order; a test checks it).
NEST_X, NEST_Y, ESCAPE_THRESHOLD = 0, 1, 2
#: The columns of ``MouseSteering.memory``: a shadow was overhead last step; it harmed the mouse.
SHADOW_OVERHEAD, HARMED = 0, 1
#: The columns of ``MouseSteering.last_drive``: the energy the drive was last computed at, and that drive.
DRIVE_AT, DRIVE = 0, 1

#: The steering's constants as its compiled functions read them (``MouseSteering.constants``).
MOUSE_CONSTANTS = np.dtype([
    ("set_point", np.float64), ("weight", np.float64), ("exponent", np.float64),
    ("pain_weight", np.float64), ("habituation", np.float64), ("max_threshold", np.float64),
    ("duration", np.int64),
])


# --- compiled: one body at a time, called from ForagingMouse's step kernel ---------------
# Those taking arrays are pasted into it (``jit(inline=True)``): called, they would change the
# reference counts of the steering's arrays (atomic operations) once per body and step; measured,
# the step kernel at N=1024 took about a fifth less time.
@jit(inline=True)
def looming_reflex(duration, params, remaining, mode, b, enabled, angle, expansion, contrast, x, y, in_nest, proposed):  # type: ignore[no-untyped-def]
    """Body ``b``'s looming reflex this step: (executed action, reason or NO_REFLEX).

    ``remaining`` and ``mode`` are the reflex's state, ``params`` the innate
    parameters' values (see ``LoomingReflex``), ``duration`` its longest run.
    """
    if not enabled:  # inhibited: a lesion, or the experimenter's switch
        remaining[b] = 0
        return proposed, NO_REFLEX
    threat = angle / LOOM_FULL_ANGLE * contrast - params[b, ESCAPE_THRESHOLD]
    nest_known = not np.isnan(params[b, NEST_X])
    if threat > 0 and remaining[b] <= 0:
        mode[b] = FLEE if (expansion > 0 and nest_known) else FREEZE
        remaining[b] = duration
    # Flight runs until the nest is reached; freezing while the disc is overhead.
    running = remaining[b] > 0 and ((mode[b] == FLEE and not in_nest) or (mode[b] == FREEZE and angle > 0))
    if not running:
        remaining[b] = 0
        return proposed, NO_REFLEX
    remaining[b] -= 1
    if mode[b] == FREEZE:
        return STAY, FREEZE
    # An unknown nest (NaN) gives dx = dy = 0: such mice stay, they never flee.
    dx = params[b, NEST_X] - x if nest_known else 0.0
    dy = params[b, NEST_Y] - y if nest_known else 0.0
    if dx == 0 and dy == 0:
        return STAY, FLEE
    # Close the larger gap first: the shortest path in an open arena.
    if abs(dx) >= abs(dy):
        return (EAST if dx > 0 else WEST), FLEE
    return (SOUTH if dy > 0 else NORTH), FLEE


@jit(inline=True)
def _drive(c, last_drive, b, h):  # type: ignore[no-untyped-def]
    """D(h), reusing body ``b``'s last drive when ``h`` is the energy it was computed at.

    A step's starting energy is usually the last step's final one, and without a meal the
    energy before and after the meal are equal: the power (the dearest operation of the
    step) is then taken once a step, not three times. The drive is a pure function of
    ``h``, so the reused value is the one the power would give, bit for bit.
    """
    if last_drive[b, DRIVE_AT] == h:
        return last_drive[b, DRIVE]
    d = drive_of_one(h, c["set_point"], c["weight"], c["exponent"])
    last_drive[b, DRIVE_AT], last_drive[b, DRIVE] = h, d
    return d


@jit(inline=True)
def mouse_evaluate(c, params, memory, last_drive, b, energy_start, energy, energy_after, captured, in_nest, x, y, disc_angle, exposed):  # type: ignore[no-untyped-def]
    """Body ``b``'s reward components (food, hunger, pain) and energy drive; updates its innate parameters."""
    start = _drive(c, last_drive, b, energy_start)
    before_meal = _drive(c, last_drive, b, energy)
    after = _drive(c, last_drive, b, energy_after)
    hunger = start - before_meal
    # The meal's drive reduction, measured where it was eaten (after this step's burning).
    food = before_meal - after
    pain = -c["pain_weight"] if captured else 0.0
    # One visit to the nest sets the escape target; pain halves the threshold.
    if in_nest:
        params[b, NEST_X] = x
        params[b, NEST_Y] = y
    if captured:
        params[b, ESCAPE_THRESHOLD] *= 0.5
    overhead = disc_angle > 0
    harmed = memory[b, HARMED] or captured
    # A shadow that came and went while the mouse was exposed, with no harm: habituate.
    passed = memory[b, SHADOW_OVERHEAD] and not overhead and not harmed and exposed
    if c["habituation"] > 0 and passed:
        params[b, ESCAPE_THRESHOLD] += c["habituation"] * (c["max_threshold"] - params[b, ESCAPE_THRESHOLD])
    memory[b, HARMED] = harmed and overhead
    memory[b, SHADOW_OVERHEAD] = overhead
    return food, hunger, pain, after


# --- the same functions over a batch, for the Steering API (records in, arrays out) -------
@jit
def _looming_batch(duration, params, remaining, mode, enabled, angle, expansion, contrast, position, in_nest, proposed, executed, reason):  # type: ignore[no-untyped-def]
    for b in range(angle.shape[0]):
        executed[b], reason[b] = looming_reflex(duration, params, remaining, mode, b, enabled, angle[b], expansion[b],
                                                contrast[b], position[b, 0], position[b, 1], in_nest[b], proposed[b])


@jit
def _evaluate_batch(constants, params, memory, last_drive, energy_start, energy, energy_after, captured, in_nest, position, disc_angle, exposed, out):  # type: ignore[no-untyped-def]
    for b in range(energy.shape[0]):
        out[b, 0], out[b, 1], out[b, 2], out[b, 3] = mouse_evaluate(
            constants[0], params, memory, last_drive, b, energy_start[b], energy[b], energy_after[b], captured[b], in_nest[b],
            position[b, 0], position[b, 1], disc_angle[b], exposed[b])


class LoomingReflex(Reflex[MouseSenses]):
    """Overhead dark disc -> escape, wired from the senses with no learning.

    Threat is ``(disc angle / 20 deg) x contrast - escape_threshold`` (Evans et
    al. 2018). When threat is positive and the disc is *expanding* (a loom), the
    mouse flees to the remembered nest if it has ever visited one (Vale et al.
    2017) and freezes otherwise; a disc above threshold that does not expand (a
    slow sweep) gives freezing (De Franceschi et al. 2016). Flight runs until
    the nest is reached; freezing runs while the disc is overhead.

    Written once, as the compiled ``looming_reflex`` (one body), which the
    mouse's step kernel calls; ``step`` runs it over a batch.

    Senses read: ``MouseSenses``.
    Parameters read: ``nest`` (x, y; NaN while unknown), ``escape_threshold``.
    """

    name = "looming"
    reasons = LoomingReason
    FLEE, FREEZE = FLEE, FREEZE

    def __init__(self, duration: int = 30) -> None:
        super().__init__(duration)
        self.mode = np.zeros(1, dtype=np.int64)

    def resize(self, num_bodies: int) -> None:
        super().resize(num_bodies)
        self.mode = np.zeros(num_bodies, dtype=np.int64)

    def step(self, senses: MouseSenses, params: InnateParameters) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """The batch: (running mask, actions, reasons)."""
        n = self.remaining.shape[0]
        proposed = np.full(n, STAY, dtype=np.int64)
        executed, reason = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
        _looming_batch(self.duration, params.values, self.remaining, self.mode, not self.inhibited, senses.disc_angle,
                       senses.disc_expansion, senses.disc_contrast, senses.position, senses.in_nest, proposed, executed, reason)
        return reason != NO_REFLEX, executed, reason


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

    The rules are compiled functions (``looming_reflex``, ``mouse_evaluate``)
    called from ForagingMouse's step kernel; ``reflex`` (through
    ``LoomingReflex.step``) and ``evaluate`` run them over a batch of records.
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
        self.memory = np.zeros((1, 2), dtype=bool)
        # The last drive computed for each body, and the energy it was computed at (NaN: none yet).
        self.last_drive = np.full((1, 2), np.nan)

    @property
    def constants(self) -> np.ndarray:
        """The steering's constants as an array of one record; its compiled functions read ``constants[0]["pain_weight"]``."""
        values = (*self.homeostat.one_variable(), self.pain_weight, self.habituation, self.max_threshold, self.looming.duration)
        return np.array([values], dtype=MOUSE_CONSTANTS)

    def resize(self, num_bodies: int) -> None:
        super().resize(num_bodies)
        self.memory = np.zeros((num_bodies, 2), dtype=bool)
        self.last_drive = np.full((num_bodies, 2), np.nan)

    def reset(self, mask: np.ndarray | None = None) -> None:
        super().reset(mask)
        self.memory[slice(None) if mask is None else mask] = False

    def evaluate(self, events: MouseEvents, reflex: ReflexTakeover) -> SteeringOutput:
        out = np.empty((events.energy.shape[0], 4))
        _evaluate_batch(self.constants, self.parameters.values, self.memory, self.last_drive, events.energy_start, events.energy,
                        events.energy_after, events.captured, events.in_nest, events.position, events.disc_angle,
                        events.exposed, out)
        food, hunger, pain, after = out.T
        return SteeringOutput(
            reward=food + hunger + pain,
            components={"food": food, "hunger": hunger, "pain": pain},
            drives={"energy": after},
            reflex=reflex,
            reason_names=self.reason_names,
        )


__all__ = ["ACTION_NAMES", "MOVES", "LoomingReason", "LoomingReflex", "MouseEvents", "MouseSenses", "MouseSteering", "NO_REFLEX", "looming_reflex", "mouse_evaluate"]

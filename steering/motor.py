"""The motor vocabularies: what each body can do, named once for body, steering and agents.

A body's action space is built from these, its reflexes' motor programs emit
them, and agents and experiments refer to actions by these names, never by
bare numbers. Discrete vocabularies are ``IntEnum``s (a member is its action
index); a continuous one names the dimensions of a ``Box`` action.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class MouseAction(IntEnum):
    """ForagingMouse: staying still is freezing; north is towards y = 0."""

    STAY = 0
    NORTH = 1
    EAST = 2
    SOUTH = 3
    WEST = 4


#: (dx, dy) of each ``MouseAction`` on the arena grid.
MOUSE_MOVES = np.array([(0, 0), (0, -1), (1, 0), (0, 1), (-1, 0)], dtype=np.int64)


class RatAction(IntEnum):
    """SaltRat: approach and nibble are appetitive, withdraw aversive."""

    STAY = 0
    APPROACH = 1  # one step towards the front wall
    NIBBLE = 2  # press/nibble the inserted lever, or lick the spout (only at the wall)
    WITHDRAW = 3  # one step back


class SyrinxMotor(IntEnum):
    """SongbirdTutor: the dimensions of the syrinx's continuous motor command, each in [-1, 1]."""

    PRESSURE = 0  # air-sac pressure
    TENSION = 1  # syringeal (labial) tension
    GAPE = 2  # beak gape
    EXPIRATION = 3  # the length of the expiratory pulse


class EyelidAction(IntEnum):
    """Eyeblink, the discrete variant: the lid commanded open or shut (the continuous command is 0 to 1)."""

    OPEN = 0
    CLOSE = 1


class HeadMotor(IntEnum):
    """BarnOwl: the one dimension of the continuous head turn, in [-1, 1] (units of 90 degrees, + to the right)."""

    HEAD_TURN = 0


class ResidentAction(IntEnum):
    """ResidentIntruder: a resident male's repertoire in an encounter (moves are relative to the intruder)."""

    EXPLORE = 0  # walk the cage in a random direction
    INVESTIGATE = 1  # approach the intruder (sniffing)
    THREAT = 2  # tail rattle, a lunge without contact
    ATTACK = 3  # bite the intruder if within reach, else lunge towards it
    UPRIGHT = 4  # defensive upright posture: fewer of the intruder's bites land
    FLEE = 5  # run away from the intruder
    GROOM = 6  # self-grooming, in place


def names(vocabulary: type[IntEnum]) -> tuple[str, ...]:
    """The lower-case names of a vocabulary, in index order (``("stay", "north", ...)``)."""
    return tuple(m.name.lower() for m in vocabulary)


__all__ = ["MOUSE_MOVES", "EyelidAction", "HeadMotor", "MouseAction", "RatAction", "ResidentAction", "SyrinxMotor", "names"]

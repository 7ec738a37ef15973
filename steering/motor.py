"""What the motor vocabularies share: each species' own lives in its steering file.

A body's motor vocabulary (``MouseAction`` in ``steering/mouse.py``,
``SyrinxMotor`` in ``steering/songbird.py``, ...) is declared beside the
reflexes whose motor programs emit it, in the species' steering file: that file
is the one both the body and its agents already import, so adding a body adds
its vocabulary without editing a shared file. Discrete vocabularies are
``IntEnum``s (a member is its action index); a continuous one names the
dimensions of a ``Box`` action. This module keeps only what every vocabulary uses.
"""

from __future__ import annotations

from enum import IntEnum


def names(vocabulary: type[IntEnum]) -> tuple[str, ...]:
    """The lower-case names of a vocabulary, in index order (``("stay", "north", ...)``)."""
    return tuple(m.name.lower() for m in vocabulary)


__all__ = ["names"]

"""What a body declares: its named layout, its state table, its checked arguments.

These are the extension points a new body fills in (see docs/adding-a-body.md):

- ``Layout``: a name for every observation channel and every action, as
  NeuroGym names its dims, so agents and experiments read an observation by
  name (``layout.read(obs, "spout")``), never by an offset.
- ``StateVar``: one row of a body's state table. The core allocates every
  declared array and returns it to its value at birth on every new life, so a
  forgotten array cannot leak state from one life into the next.
- ``check_arguments``: the one argument-checking helper: every bad value is
  named with what was expected, before anything is built.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


# --- arguments ------------------------------------------------------------------------
def integer(x: Any) -> bool:
    """A true integer (``5``, ``np.int64(5)``), not a bool, not ``5.0``."""
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def real(x: Any) -> bool:
    """A finite real number, not a bool."""
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, (bool, np.bool_)) and bool(np.isfinite(x))


def check_arguments(checks: Mapping[str, tuple[Any, bool, str]]) -> None:
    """Raise ``ValueError("name=value is invalid: expected ...")`` for the first check that fails.

    ``checks`` maps each argument's name to (its value, whether it is valid, what
    was expected); build the validity with ``integer``/``real`` and the bounds.
    """
    for name, (value, ok, expected) in checks.items():
        if not ok:
            raise ValueError(f"{name}={value!r} is invalid: expected {expected}")


# --- state ----------------------------------------------------------------------------
@dataclass(frozen=True)
class StateVar:
    """One per-body state array: its per-body shape, dtype and value at birth.

    A body's ``_reset_bodies`` overwrites what is drawn at birth (a random
    arena, a tutor's song); everything else returns to ``birth`` without a line
    of code in the body.
    """

    shape: tuple[int, ...] = ()
    dtype: Any = np.float64
    birth: Any = 0


# --- layout ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Layout:
    """The names of a body's observation channels and actions.

    ``exteroception`` and ``interoception`` are ordered (name, width) groups: a
    group of width 1 is one channel (``index``), a wider one a block
    (``slice``, e.g. the song clock). ``actions`` names the discrete actions or
    the dimensions of a continuous action. ``observation_mode`` says whether
    observations are dicts or one flat vector (exteroception then interoception).
    """

    exteroception: tuple[tuple[str, int], ...]
    interoception: tuple[tuple[str, int], ...]
    actions: tuple[str, ...]
    observation_mode: str = "dict"

    def __post_init__(self) -> None:
        all_names = [n for n, _ in self.exteroception + self.interoception]
        repeated = sorted({n for n in all_names if all_names.count(n) > 1})
        if repeated:
            raise ValueError(f"layout channel names must be unique; repeated: {repeated}")

    @staticmethod
    def groups(*groups: str | tuple[str, int] | Sequence[str]) -> tuple[tuple[str, int], ...]:
        """``("energy", ("song_clock", 4), ...)`` -> ((name, width), ...): a bare name is one channel."""
        return tuple((g, 1) if isinstance(g, str) else (str(g[0]), int(g[1])) for g in groups)  # type: ignore[index]

    def names(self) -> tuple[str, ...]:
        """Every channel group's name, exteroception first."""
        return tuple(n for n, _ in self.exteroception + self.interoception)

    @property
    def flat(self) -> tuple[str, ...]:
        """One name per dimension of the flat observation (``name[k]`` inside a block)."""
        return tuple(n if w == 1 else f"{n}[{k}]" for n, w in self.exteroception + self.interoception for k in range(w))

    def part(self, name: str) -> str:
        """``"exteroception"`` or ``"interoception"``: where channel ``name`` lives."""
        if name in dict(self.exteroception):
            return "exteroception"
        if name in dict(self.interoception):
            return "interoception"
        raise KeyError(f"no observation channel {name!r}; known: {self.names()}")

    def slice(self, name: str) -> slice:
        """Where ``name`` lies inside its part (``obs[part][..., layout.slice(name)]``)."""
        groups = self.exteroception if self.part(name) == "exteroception" else self.interoception
        start = 0
        for n, w in groups:
            if n == name:
                return slice(start, start + w)
            start += w
        raise AssertionError("unreachable: part() found the name")

    def index(self, name: str) -> int:
        """The position of a one-channel group inside its part."""
        s = self.slice(name)
        if s.stop - s.start != 1:
            raise KeyError(f"{name!r} is a block of {s.stop - s.start} channels: use slice({name!r})")
        return s.start

    def flat_slice(self, name: str) -> slice:
        """Where ``name`` lies in the flat observation (exteroception then interoception)."""
        s = self.slice(name)
        shift = 0 if self.part(name) == "exteroception" else sum(w for _, w in self.exteroception)
        return slice(s.start + shift, s.stop + shift)

    def read(self, obs: Any, name: str) -> np.ndarray:
        """Channel ``name`` of an observation (dict or flat, batched or not); a block keeps its last axis."""
        if isinstance(obs, Mapping):
            values, s = np.asarray(obs[self.part(name)]), self.slice(name)
        else:
            values, s = np.asarray(obs), self.flat_slice(name)
        return values[..., s.start] if s.stop - s.start == 1 else values[..., s]

    def action(self, name: str) -> int:
        """The index of a named action (or of a continuous action's dimension)."""
        try:
            return self.actions.index(name)
        except ValueError:
            raise KeyError(f"no action {name!r}; known: {self.actions}") from None

    def widths(self) -> tuple[int, int]:
        """(exteroception, interoception) sizes."""
        return sum(w for _, w in self.exteroception), sum(w for _, w in self.interoception)


__all__ = ["Layout", "StateVar", "check_arguments", "integer", "real"]

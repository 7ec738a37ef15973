"""Innate adjustable parameters: a named, counted handful of numbers.

The Steering Subsystem does not learn from scratch, but a *few* of its numbers
change with experience by a fixed rule: the remembered nest location, an escape
threshold that habituates, a baseline salt appetite that sensitizes. They are
kept here, by name, so a suite can print "steering: 3 adjustable parameters"
beside a learner's tens of thousands. Each parameter is batched over bodies.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np


def row_items(a: np.ndarray) -> np.ndarray:
    """A C-contiguous (n, ...) array as (n,) opaque items, one per row, sharing its memory.

    Assigning rows of it by index (or mask) copies each row whole, one memcpy: a new
    life for one body of a batch. numpy's two-dimensional fancy assignment broadcasts
    the value first and costs several times more (about 1.3 us for one row of ten).
    """
    if not a.flags.c_contiguous or a.ndim == 0:
        raise ValueError(f"row_items needs a C-contiguous array with a row axis, got shape {a.shape}")
    row_bytes = a.itemsize * int(np.prod(a.shape[1:], dtype=np.int64))
    if row_bytes == 0:  # empty rows (a world with no food patches): a (n, 0) view, assigned as rows too
        return a.reshape(a.shape[0], 0)
    return a.reshape(a.shape[0], -1).view(np.dtype((np.void, row_bytes))).reshape(a.shape[0])


class InnateParameters:
    """A small named set of per-body numbers with their initial (innate) values.

    ``sizes`` says how many numbers each name holds (a nest location holds 2),
    so ``count`` is the number of adjustable numbers per body. The update rules
    live with the steering module that owns the parameters; this class only
    stores, resets and counts them.
    """

    def __init__(self, initial: Mapping[str, float | tuple[float, ...]]) -> None:
        if not initial:
            raise ValueError("an InnateParameters set needs at least one parameter")
        self._initial = {k: np.atleast_1d(np.asarray(v, dtype=np.float64)) for k, v in initial.items()}
        self._innate_row = np.concatenate(list(self._initial.values()))
        self._columns: dict[str, slice] = {}
        start = 0
        for k, v in self._initial.items():
            self._columns[k] = slice(start, start + v.size)
            start += v.size
        self.values = np.empty((1, 0))
        self._values: dict[str, np.ndarray] = {}
        self.resize(1)

    def resize(self, num_bodies: int) -> None:
        """Allocate values for ``num_bodies`` bodies, all at their innate values."""
        if num_bodies < 1:
            raise ValueError(f"num_bodies must be >= 1, got {num_bodies}")
        # One (bodies, count) array, each name a view of its columns: a compiled
        # kernel receives every parameter of every body as one argument.
        self.values = np.tile(self._innate_row, (num_bodies, 1))
        self._bind_views()

    def _bind_views(self) -> None:
        self._values = {k: self.values[:, c] for k, c in self._columns.items()}
        # Each body's row as one item: a reset of a few bodies copies the innate row into each (row_items).
        self._rows = row_items(self.values)
        self._innate_item = row_items(self._innate_row.reshape(1, -1))[0]

    def reset(self, mask: np.ndarray | None = None) -> None:
        """Return the bodies selected by ``mask`` (all if None) to the innate values."""
        if mask is None:
            self.values[:] = self._innate_row
        else:
            self._rows[mask] = self._innate_item

    def __getstate__(self) -> dict[str, object]:
        # The views are rebuilt on load: pickling or deep-copying them would cut them from ``values``.
        return {k: v for k, v in self.__dict__.items() if k not in ("_values", "_rows", "_innate_item")}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._bind_views()

    def columns(self, name: str) -> slice:
        """Where parameter ``name`` lies in ``values``' columns."""
        self[name]  # a clear error for an unknown name
        return self._columns[name]

    def __getitem__(self, name: str) -> np.ndarray:
        """The (bodies, size) array of a parameter; writes go to the live state."""
        try:
            return self._values[name]
        except KeyError:
            raise KeyError(f"unknown innate parameter {name!r}; known: {tuple(self._values)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    @property
    def count(self) -> int:
        """Adjustable numbers per body."""
        return int(sum(v.size for v in self._initial.values()))

    def snapshot(self, body: int = 0) -> dict[str, list[float]]:
        return {k: v[body].tolist() for k, v in self._values.items()}

    def __repr__(self) -> str:
        return f"InnateParameters({', '.join(self._values)}; {self.count} numbers per body)"

"""Homeostatic drive and drive-reduction reward (Keramati & Gutkin 2014).

The body keeps internal variables H (energy, sodium, ...) near set points H*.
The *drive* is the distance from the set points,

    D(H) = (sum_i |h*_i - h_i|^n) ^ (1/m),      n > m >= 1,

and the reward of an outcome K (food eaten, salt tasted) is the drive it
removes, r(H, K) = D(H) - D(H + K). Because D is convex (n > m) the same
outcome removes more drive far from the set point than near it: food is worth
more when hungry. An outcome that carries H *past* the set point raises the
drive again, so overshoot is punished.

The homeostat holds no state: the body owns H. It is a fixed, innate measuring
rule, batched over a leading body axis.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from brainlike.steering.compiled import jit


@jit
def drive_of_one(h: float, set_point: float, weight: float, exponent: float) -> float:
    """D(h) of a one-variable homeostat, (|h* - h| w) ^ (n/m), for a compiled step.

    The same formula as ``Homeostat.drive``'s one-variable case; a scalar power
    may differ from numpy's vectorised one in the last bit (1 ULP) on some inputs.
    """
    return (abs(set_point - h) * weight) ** exponent


class Homeostat:
    """Named internal variables with set points, the drive and its reduction.

    Args:
        names: one name per internal variable, e.g. ``("energy",)``.
        set_points: h*, one per variable.
        n, m: exponents of the drive, ``n > m >= 1`` (K&G 2014 use n=4, m=3).
        weights: optional per-variable scale, so that variables measured in
            different units weigh comparably.
    """

    def __init__(
        self,
        names: Sequence[str],
        set_points: Sequence[float],
        n: float = 4.0,
        m: float = 3.0,
        weights: Sequence[float] | None = None,
    ) -> None:
        names = tuple(names)
        set_points = np.asarray(set_points, dtype=np.float64)
        if len(names) == 0 or len(set(names)) != len(names):
            raise ValueError(f"names must be non-empty and unique, got {names!r}")
        if set_points.shape != (len(names),):
            raise ValueError(
                f"set_points must have one value per name ({len(names)}), got shape {set_points.shape}"
            )
        if not (np.isfinite(n) and np.isfinite(m) and n > m >= 1):
            raise ValueError(f"drive exponents must satisfy n > m >= 1, got n={n}, m={m}")
        w = np.ones(len(names)) if weights is None else np.asarray(weights, dtype=np.float64)
        if w.shape != (len(names),) or np.any(w <= 0):
            raise ValueError(f"weights must be {len(names)} positive numbers, got {weights!r}")
        self.names = names
        self.set_points = set_points
        self.n = float(n)
        self.m = float(m)
        self.weights = w

    def index(self, name: str) -> int:
        try:
            return self.names.index(name)
        except ValueError:
            raise KeyError(f"unknown internal variable {name!r}; known: {self.names}") from None

    def drive(self, h: np.ndarray) -> np.ndarray:
        """D(H) for a batch of states ``h`` of shape (bodies, variables) or (variables,)."""
        h = np.asarray(h, dtype=np.float64)
        if h.shape[-1] != len(self.names):
            raise ValueError(f"expected {len(self.names)} internal variables {self.names}, got shape {h.shape}")
        dev = np.abs(self.set_points - h) * self.weights
        if dev.shape[-1] == 1:  # one variable: skip the sum and one power
            return dev[..., 0] ** (self.n / self.m)
        return np.sum(dev**self.n, axis=-1) ** (1.0 / self.m)

    def one_variable(self) -> tuple[float, float, float]:
        """(set point, weight, exponent n/m) of a one-variable homeostat, as ``drive_of_one`` takes them."""
        if len(self.names) != 1:
            raise ValueError(f"{self!r} has {len(self.names)} variables; drive_of_one computes one")
        return float(self.set_points[0]), float(self.weights[0]), self.n / self.m

    def reward(self, h: np.ndarray, outcome: np.ndarray) -> np.ndarray:
        """Drive reduction D(H) - D(H + K) of outcome K taken in state H."""
        h = np.asarray(h, dtype=np.float64)
        return self.drive(h) - self.drive(h + outcome)

    def __repr__(self) -> str:
        pts = ", ".join(f"{k}*={v:g}" for k, v in zip(self.names, self.set_points))
        return f"Homeostat({pts}, n={self.n:g}, m={self.m:g})"

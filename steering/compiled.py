"""The one way this package compiles: numba's ``njit``, cached on disk, exact arithmetic.

Every compiled function (a body's step kernel, the steering functions it calls,
the counter RNG) is decorated with ``jit``:

- ``fastmath=False``: results must equal the uncompiled source bit for bit
  (``NUMBA_DISABLE_JIT=1`` runs the same source as plain Python, the reference
  the tests compare against);
- compiled lazily, at the first call, once per process and argument types;
- ``cache=True``: the machine code is kept beside the source (or in the user's
  cache directory), so later processes load it in well under a second. When
  neither place is writable numba refuses ``cache=True`` at decoration time,
  which would make ``import brainlike.envs`` fail: then the function is
  compiled in memory only, and one notice line says so.

This module lives in ``steering`` because it is the bottom of the dependency
chain (steering <- envs <- agents): steering's compiled functions use it too.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import numba

F = TypeVar("F", bound=Callable[..., Any])

_notice_given = False


def _notice(reason: BaseException) -> None:
    global _notice_given
    if not _notice_given:
        _notice_given = True
        print(f"brainlike: cannot cache compiled kernels on disk ({reason}); compiling in memory in every process", file=sys.stderr)


def jit(fn: F) -> F:
    """``numba.njit(cache=True, fastmath=False)``, falling back to an in-memory compile when no cache is writable."""
    try:
        return numba.njit(cache=True, fastmath=False)(fn)  # type: ignore[no-any-return]
    except RuntimeError as e:  # "cannot cache function ...: no locator available"
        _notice(e)
        return numba.njit(cache=False, fastmath=False)(fn)  # type: ignore[no-any-return]


__all__ = ["jit"]

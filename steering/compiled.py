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
from typing import Any, TypeVar, overload

import numba

F = TypeVar("F", bound=Callable[..., Any])

_notice_given = False


def _notice(reason: BaseException) -> None:
    global _notice_given
    if not _notice_given:
        _notice_given = True
        print(f"brainlike: cannot cache compiled kernels on disk ({reason}); compiling in memory in every process", file=sys.stderr)


@overload
def jit(fn: F) -> F: ...
@overload
def jit(*, inline: bool = False, allocates: bool = True) -> Callable[[F], F]: ...
def jit(fn: F | None = None, *, inline: bool = False, allocates: bool = True) -> Any:
    """``numba.njit(cache=True, fastmath=False)``, falling back to an in-memory compile when no cache is writable.

    ``@jit(inline=True)``: the function's code is pasted into each compiled caller
    (numba's ``inline="always"``) instead of being called. For a small function
    called once per body in a kernel's loop that takes whole arrays: a call
    increments and decrements their reference counts, atomic operations that
    stall the loop.

    ``@jit(allocates=False)``: the function (with everything pasted into it) makes no
    array, so it runs without numba's runtime (``_nrt=False``): none of its arrays is
    reference counted at all. For a kernel whose loop passes arrays to helpers it
    inlines, each binding of which still counts a reference; it gets its scratch
    arrays as arguments, and compiling it fails if anything in it would allocate.
    """
    if fn is None:
        return lambda f: jit(f, inline=inline, allocates=allocates)
    options: dict[str, Any] = {"fastmath": False, "inline": "always" if inline else "never"}
    if not allocates:
        options["_nrt"] = False
    try:
        return numba.njit(cache=True, **options)(fn)
    except RuntimeError as e:  # "cannot cache function ...: no locator available"
        _notice(e)
        return numba.njit(cache=False, **options)(fn)


__all__ = ["jit"]

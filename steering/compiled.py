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
  compiled in memory only, and one notice line says so;
- ``jit(simd_rows=True)``: compiled with LLVM's SLP vectoriser, which numba leaves
  off, for a function whose inner work is a short row of independent lanes
  written out in straight lines (the three-factor update's eight synapses per
  unit). It packs them into SIMD instructions without reordering any arithmetic
  (no fastmath), so the numbers are the same; only this function's compile (and
  its callees') sees the setting, not the rest of the process.

This module lives in ``steering`` because it is the bottom of the dependency
chain (steering <- envs <- agents): steering's compiled functions use it too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar, overload

import numba
import numpy as np

F = TypeVar("F", bound=Callable[..., Any])

_notice_given = False


def _notice(reason: BaseException) -> None:
    global _notice_given
    if not _notice_given:
        _notice_given = True
        print(f"brainlike: cannot cache compiled kernels on disk ({reason}); compiling in memory in every process", file=sys.stderr)


#: numba reads its settings from the environment again at each compile (``numba.core.config.reload_config``).
_SLP = "NUMBA_SLP_VECTORIZE"


def _compiled_with_slp(dispatcher: Any) -> Any:
    """``dispatcher``, its every compile run with numba's SLP vectoriser on, the environment restored after.

    A compile loaded from the disk cache runs no optimiser: it is the machine code cached,
    compiled as it was (a cache from before a function took ``simd_rows`` is stale by its
    source, which changed with it).
    """
    compile_ = dispatcher.compile

    def compile_with_slp(sig: Any) -> Any:
        before = os.environ.get(_SLP)
        os.environ[_SLP] = "1"
        try:
            return compile_(sig)
        finally:
            if before is None:
                del os.environ[_SLP]
            else:
                os.environ[_SLP] = before

    dispatcher.compile = compile_with_slp
    return dispatcher


@overload
def jit(fn: F) -> F: ...
@overload
def jit(*, inline: bool = False, allocates: bool = True, simd_rows: bool = False) -> Callable[[F], F]: ...
def jit(fn: F | None = None, *, inline: bool = False, allocates: bool = True, simd_rows: bool = False) -> Any:
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

    ``@jit(simd_rows=True)``: compiled with the SLP vectoriser (see the module's docstring).
    """
    if fn is None:
        return lambda f: jit(f, inline=inline, allocates=allocates, simd_rows=simd_rows)
    options: dict[str, Any] = {"fastmath": False, "inline": "always" if inline else "never"}
    if not allocates:
        options["_nrt"] = False
    try:
        compiled = numba.njit(cache=True, **options)(fn)
    except RuntimeError as e:  # "cannot cache function ...: no locator available"
        _notice(e)
        compiled = numba.njit(cache=False, **options)(fn)
    # (Under NUMBA_DISABLE_JIT=1 numba hands back the Python function: nothing to compile.)
    return _compiled_with_slp(compiled) if simd_rows and hasattr(compiled, "compile") else compiled


#: numpy adds a run of at most this many in one block of eight running sums; a longer run it halves.
PAIRWISE_BLOCK = 128


@jit(inline=True)
def short_pairwise_sum(values, start, n):  # type: ignore[no-untyped-def]
    """``np.add.reduce(values[start:start + n])`` for ``n <= PAIRWISE_BLOCK``, bit for bit, in ``values``' own dtype.

    numpy sums a short run with eight interleaved running sums (one at a time below
    eight), combined as a tree, then adds the result to a zero of the dtype (so a sum
    of -0.0s is +0.0, as numpy's). Held in registers: nothing is allocated, so a
    kernel compiled with ``jit(allocates=False)`` may call it. A longer run is still
    summed, as one block (numpy, halving it, may differ in the last bits).
    """
    zero = values.dtype.type(0)
    if n < 8:
        total = zero
        for i in range(start, start + n):
            total = total + values[i]
        return total
    r0, r1, r2, r3 = values[start], values[start + 1], values[start + 2], values[start + 3]
    r4, r5, r6, r7 = values[start + 4], values[start + 5], values[start + 6], values[start + 7]
    i = 8
    while i < n - n % 8:
        at = start + i
        r0, r1, r2, r3 = r0 + values[at], r1 + values[at + 1], r2 + values[at + 2], r3 + values[at + 3]
        r4, r5, r6, r7 = r4 + values[at + 4], r5 + values[at + 5], r6 + values[at + 6], r7 + values[at + 7]
        i += 8
    total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        total = total + values[start + i]
        i += 1
    return zero + total


@jit(inline=True)
def pairwise_sum(values, start, n):  # type: ignore[no-untyped-def]
    """``np.add.reduce(values[start:start + n])`` of any length, bit for bit, in ``values``' own dtype.

    numpy halves a run longer than ``PAIRWISE_BLOCK`` (at a multiple of 8) and adds the
    two halves' sums; replaying that order gives the same last bit. The halving is
    walked with an explicit stack (which a long run allocates), not by recursion:
    numba's cache cannot reload a recursive function (numba issue 6061, a segfault on
    the second run).
    """
    if n <= PAIRWISE_BLOCK:  # one block: no halving, no stack to allocate
        return short_pairwise_sum(values, start, n)
    # One frame per level: (start, length, left half's sum once it is known).
    starts = np.empty(64, dtype=np.int64)
    lengths = np.empty(64, dtype=np.int64)
    lefts = np.empty(64, dtype=values.dtype)
    left_done = np.zeros(64, dtype=np.bool_)
    top = 0
    starts[0], lengths[0] = start, n
    while True:
        if lengths[top] > PAIRWISE_BLOCK:  # descend into the left half
            half = lengths[top] // 2
            half -= half % 8
            left_done[top] = False
            starts[top + 1], lengths[top + 1] = starts[top], half
            top += 1
            continue
        total = short_pairwise_sum(values, starts[top], lengths[top])
        while top > 0:  # hand the sum up until a parent still needs its right half
            top -= 1
            if left_done[top]:
                total = lefts[top] + total
                continue
            lefts[top], left_done[top] = total, True
            half = lengths[top] // 2
            half -= half % 8
            starts[top + 1], lengths[top + 1] = starts[top] + half, lengths[top] - half
            top += 1
            break
        else:
            return total


__all__ = ["PAIRWISE_BLOCK", "jit", "pairwise_sum", "short_pairwise_sum"]

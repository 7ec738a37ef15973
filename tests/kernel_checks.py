"""The checks every compiled body's kernel tests make, written once.

- ``UncompiledReferences``: the kernel's own source run as plain Python (``NUMBA_DISABLE_JIT=1``) is
  the reference the compiled code must equal bit for bit. Every kernel test module lists its runs in
  ``UNCOMPILED_RUNS`` (case name -> a call giving a dict of arrays); one fresh process with the JIT
  off runs every listed run of every module the session tests, since an interpreter with numpy,
  numba and gymnasium costs seconds to start (conftest's ``uncompiled`` fixture).
- ``assert_batch_lives_as_singles``: body i of a vector env seeded s lives what a single env seeded
  s + i lives, through ends of life.
- ``assert_fast_path_is_the_general_path``: ``CompiledBody.step_single`` returns what ``Body.step_single`` does.
- ``assert_one_compile``: the kernels compile once whatever the configuration.
- ``float_order``: float64s as ordered integers, so a difference counts ULPs (bounded rewrites of libm calls).

These are not golden trajectories (tests/golden.py): nothing here is a recording.
"""

from __future__ import annotations

import copy
import fcntl
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import gymnasium as gym
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]

# --- compiled against uncompiled ------------------------------------------------------------
_RUN_UNCOMPILED = """\
import importlib, sys, warnings
from pathlib import Path
import numpy as np
warnings.simplefilter('ignore')  # uint64 hashing wraps on purpose; numpy scalars warn about it
import brainlike.envs  # registers the bodies
out = Path(sys.argv[1])
for module in sys.argv[2:]:
    for name, run in importlib.import_module(f'tests.{module}').UNCOMPILED_RUNS.items():
        np.savez(out / f'{module}.{name}.npz', **run())
"""


def run_with_the_jit_off(code: str, *args: str) -> None:
    """Run Python ``code`` with ``args`` in a fresh process with numba's JIT disabled; require it to succeed."""
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1", "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]


class UncompiledReferences:
    """Every ``UNCOMPILED_RUNS`` of the modules named, run once in one process with the JIT disabled."""

    def __init__(self, modules: Iterable[str], out: Path) -> None:
        self.out = out
        self.modules = sorted(set(modules))
        if not self.modules:
            return
        out.mkdir(parents=True, exist_ok=True)
        with open(out / "lock", "w") as lock:  # another pytest worker may be computing them: wait for it
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (out / "done").exists():
                run_with_the_jit_off(_RUN_UNCOMPILED, str(out), *self.modules)
                (out / "done").touch()

    def same_as_compiled(self, module: str, name: str, compiled: dict[str, np.ndarray]) -> Any:
        """Require ``compiled`` (case ``name`` of test module ``module``'s ``UNCOMPILED_RUNS``, run here) to equal
        the uncompiled run bit for bit, key for key; return the uncompiled arrays."""
        stem = module.rsplit(".", 1)[-1]  # pytest imports a test module by its file's stem
        assert stem in self.modules, f"{stem} was not run uncompiled: only {self.modules}"
        reference = np.load(self.out / f"{stem}.{name}.npz")
        assert_same_arrays(compiled, reference, name)
        return reference


def assert_same_arrays(compiled: dict[str, np.ndarray], reference: Any, case: str) -> None:
    assert set(reference.files) == set(compiled), f"{case}: {sorted(set(reference.files) ^ set(compiled))}"
    for key in reference.files:
        np.testing.assert_array_equal(compiled[key], reference[key], err_msg=f"{case}: {key} differs between compiled and uncompiled")


# --- body i of a batch is a single body seeded s + i ----------------------------------------
def _at(info: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        info = info[part]
    return info


def _equal(a: Any, b: Any, where: str) -> None:
    """``a == b`` (NaN equal to NaN, as ``assert_array_equal`` has it); scalars without its cost, thousands of times a test."""
    if np.ndim(a) == 0 and np.ndim(b) == 0:
        assert a == b or (a != a and b != b), f"{where}: {a!r} != {b!r}"
    else:
        np.testing.assert_array_equal(a, b, err_msg=where)


def _flat(obs: Any) -> np.ndarray:
    if isinstance(obs, dict):
        return np.concatenate([np.asarray(obs["exteroception"]), np.asarray(obs["interoception"])], axis=-1)
    return np.asarray(obs)


@dataclass
class Lives:
    """What ``assert_batch_lives_as_singles`` ran through: the envs at the end, and counts to require events by."""

    vec: Any
    singles: list[Any]
    ends: int = 0  #: lives ended in the batch (terminated or truncated), over every body
    terminations: int = 0
    tally: dict[str, int] = field(default_factory=dict)  #: per entry of ``tally``: its sum over the compared steps


def assert_batch_lives_as_singles(env_id: str, kwargs: dict[str, Any], actions: Callable[[Any], Iterable[np.ndarray]], *,
                                  num_envs: int = 4, seed: int = 30, info: Sequence[str] = (), tally: Sequence[str] = (),
                                  at_end: Callable[[int, Any, Any], None] | None = None) -> Lives:
    """Body i of a vector env reset with ``seed``, stepped with ``actions(vec)``, against a single env reset with
    ``seed + i`` stepped with body i's actions: the same reset and step observations, reward, termination and
    truncation, and each ``info`` entry (a dotted path; a dict there is compared entry by entry), through ends
    of life. ``at_end(i, single, vec)`` checks more when body i's life ends, before the single env is reset."""
    vec = gym.make_vec(env_id, num_envs=num_envs, vectorization_mode="vector_entry_point", **copy.deepcopy(kwargs))
    singles = [gym.make(env_id, **copy.deepcopy(kwargs)) for _ in range(num_envs)]
    obs, _ = vec.reset(seed=seed)
    for i, env in enumerate(singles):
        np.testing.assert_array_equal(_flat(env.reset(seed=seed + i)[0]), _flat(obs)[i], err_msg="reset observation")
    lives = Lives(vec, singles, tally={k: 0 for k in tally})
    restart = np.zeros(num_envs, dtype=bool)
    for batch in actions(vec):
        obs, r, term, trunc, vinfo = vec.step(batch)
        for i, env in enumerate(singles):
            if restart[i]:  # the vector env's autoreset step; the single env was reset at the life's end
                continue
            oi, ri, termi, trunci, infoi = env.step(batch[i])
            np.testing.assert_array_equal(_flat(oi), _flat(obs)[i], err_msg="observation")
            assert (ri, termi, trunci) == (r[i], term[i], trunc[i])
            for path in info:
                mine, theirs = _at(infoi, path), _at(vinfo, path)
                for k, v in (mine.items() if isinstance(mine, dict) else [(None, mine)]):
                    _equal(v, (theirs if k is None else theirs[k])[i], f"{path}[{k!r}]")
            for k in tally:
                lives.tally[k] += int(np.sum(_at(infoi, k)))
            if termi or trunci:
                if at_end is not None:
                    at_end(i, env, vec)
                env.reset()
        restart = term | trunc
        lives.ends += int(restart.sum())
        lives.terminations += int(term.sum())
    return lives


def sampled(steps: int, seed: int) -> Callable[[Any], Iterable[np.ndarray]]:
    """``steps`` batches from the vector env's own action space, seeded ``seed``."""
    def actions(vec: Any) -> Iterable[np.ndarray]:
        vec.action_space.seed(seed)
        return (vec.action_space.sample() for _ in range(steps))
    return actions


# --- the single-env fast path ---------------------------------------------------------------
def same(a: Any, b: Any, where: str) -> None:
    """``a`` equals ``b`` through nested dicts, arrays compared by value; a scalar's value, not its numpy type."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), f"{where}: keys {sorted(a)} != {sorted(b)}"
        for k in a:
            same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, tuple):
        assert isinstance(b, tuple) and len(a) == len(b), f"{where}: {a!r} != {b!r}"
        for k, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{where}[{k}]")
    elif isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        np.testing.assert_array_equal(a, b, err_msg=where)
    else:
        assert a == b and (a is None) == (b is None), f"{where}: {a!r} != {b!r}"


def assert_fast_path_is_the_general_path(env_id: str, kwargs: dict[str, Any], actions: Iterable[Any], *, seed: int = 3,
                                         new_life: Callable[[int, tuple], bool] = lambda i, step: step[2] or step[3]) -> list[tuple]:
    """``CompiledBody.step_single`` (info read from the step record in one call) equals ``Body.step_single`` for each
    of ``actions``, both bodies reset with ``seed`` and again wherever ``new_life(i, step)``; nothing it returned
    aliases a buffer the body reuses. Returns what it returned, step by step, to count events in."""
    from brainlike.envs.core import Body

    fast, general = (gym.make(env_id, **kwargs).unwrapped for _ in range(2))
    fast.reset(seed=seed)
    general.reset(seed=seed)
    returned: list[tuple] = []
    kept: list[tuple] = []
    for i, a in enumerate(actions):
        got, want = fast.body.step_single(a), Body.step_single(general.body, a)
        same(got, want, f"step {i}")
        returned.append(got)
        kept.append(copy.deepcopy(got))
        if new_life(i, got):
            fast.reset()
            general.reset()
    assert not fast.body._generic_single
    # What it returned earlier is unchanged by the steps since.
    for i, (now, then) in enumerate(zip(returned, kept)):
        same(now, then, f"step {i}, later")
    return returned


# --- one compile ----------------------------------------------------------------------------
def assert_one_compile(env_id: str, configurations: Sequence[dict[str, Any]], kernels: Sequence[Any]) -> None:
    """Five steps of a body in each configuration leave each of ``kernels`` compiled once (the record's layout
    does not depend on the configuration); skipped when the JIT is disabled."""
    from numba.core.dispatcher import Dispatcher

    if not all(isinstance(k, Dispatcher) for k in kernels):
        pytest.skip("the JIT is disabled: nothing is compiled")
    for kwargs in configurations:
        env = gym.make(env_id, **kwargs)
        env.reset(seed=0)
        for _ in range(5):
            env.step(env.action_space.sample())
    for kernel in kernels:
        assert len(kernel.signatures) == 1, f"{kernel.__name__} compiled {len(kernel.signatures)} times: {kernel.signatures}"


def float_order(x: np.ndarray) -> np.ndarray:
    """Float64s as integers in the same order, one apart for neighbouring floats (-0.0 and 0.0 alike)."""
    i = np.asarray(x, dtype=np.float64).view(np.int64)
    return np.where(i < 0, np.iinfo(np.int64).min - i, i)

"""Where a sweep's jobs run: the local process pool (the default) or a Ray cluster.

A sweep (the benchmark's agents x bodies x seeds, an experiment over seeds)
is a list of independent tasks. ``run_tasks`` runs ``fn(task)`` for each on
the chosen backend and yields every outcome to the driver as it completes.
The driver alone writes files, so workers on other machines need no shared
filesystem, and whatever finished before an interruption is already on disk.

Both backends give each task one CPU and one BLAS thread (two jobs on two
cores must not fight over both cores, or their wall-clock curves inflate),
record where each task ran, retry a task that raised once, and report it with
its traceback if it raises again: a failure is never dropped silently. Ray is
an optional extra (``pip install "brainlike-gym[ray]"``), imported only when
asked for. Ray's own scheduler, object store and fault handling do the
cluster work; this module only adapts them to the suite's job list.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import closing, contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

BACKENDS = ("local", "ray")

#: One BLAS/OpenMP thread per job process, for processes started from here (read when BLAS loads).
ONE_THREAD = {var: "1" for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """One BLAS/OpenMP thread in this process while the block runs; the former limits after.

    ``ONE_THREAD`` only reaches a process whose numpy is not loaded yet. A training
    loop runs where numpy was imported long before (the driver of a one-worker
    sweep, a script, a notebook), so the limit is set in the loaded libraries
    themselves (threadpoolctl). Two BLAS threads per job on a busy two-core machine
    contend: the pattern-separation learner fell from 19.7x PPO's steps/s to 7.4x.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        yield


class BackendUnavailable(RuntimeError):
    """The backend asked for cannot run here (its package is missing, or its cluster cannot be reached)."""


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """What came back for task ``index``: its value, or the last attempt's traceback."""

    index: int
    value: R | None
    error: str | None
    attempts: int
    where: str  # "host:pid" of the process that ran the last attempt

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def failure(self) -> str:
        """The failure as a report states it: attempts, where, and the traceback."""
        return f"failed after {self.attempts} attempts on {self.where}:\n{self.error}"


def _where() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _call(fn: Callable[[T], R], task: T) -> tuple[R | None, str | None, str]:
    """Run one task in a worker; an exception comes back as text, so the driver decides about retries."""
    try:
        return fn(task), None, _where()
    except Exception:
        return None, traceback.format_exc(), _where()


def _worker_init(driver: int) -> None:
    """Pool initializer: exit as soon as the driver is gone.

    A SIGKILLed driver runs no cleanup, so without the watcher its workers would
    go on computing jobs nobody will store.
    """

    def watch() -> None:
        while os.getppid() == driver:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-driver", daemon=True).start()


def run_tasks(
    fn: Callable[[T], R],
    tasks: Sequence[T],
    backend: str = "local",
    workers: int = 2,
    address: str | None = None,
    retries: int = 1,
) -> Iterator[Outcome[R]]:
    """Run ``fn`` on every task and yield an ``Outcome`` per task as each completes.

    ``fn`` must be a module-level function (workers import it by name).
    ``backend="local"`` runs ``workers`` spawned processes on this machine
    (``workers=1`` runs in this process, in order). ``backend="ray"`` connects
    to the cluster at ``address`` (``"auto"``, ``"ray://host:port"``), or with
    no address starts a local Ray of ``workers`` CPUs. A task that raises is
    run again up to ``retries`` times. Closing the generator early (or Ctrl-C)
    cancels the tasks still outstanding; outcomes already yielded stand.
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    if not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a positive integer, got {workers!r}")
    if not isinstance(retries, int) or retries < 0:
        raise ValueError(f"retries must be a non-negative integer, got {retries!r}")
    if address is not None and backend != "ray":
        raise ValueError(f"address {address!r} is for backend 'ray', not {backend!r}")
    if backend == "ray" and tasks:
        return _run_ray(fn, tasks, workers, address, retries)
    if workers == 1 or not tasks:
        return _run_inline(fn, tasks, retries)
    return _run_pool(fn, tasks, workers, retries)


def run_with_progress(
    fn: Callable[[T], R],
    todo: Sequence[T],
    total: int,
    label: Callable[[T], str],
    progress: bool = True,
    unit: str = "job",
    desc: str = "",
    **backend_options: Any,
) -> Iterator[tuple[T, Outcome[R]]]:
    """``run_tasks`` over ``todo`` with one progress bar over ``total`` (the finished rest count as done).

    Yields each task with its outcome; ``backend_options`` go to ``run_tasks``.
    """
    from brainlike.agents.reporting import progress_bar

    bar = progress_bar(total, progress, initial=total - len(todo), unit=unit, desc=desc)
    try:
        with closing(run_tasks(fn, todo, **backend_options)) as outcomes:
            for o in outcomes:
                task = todo[o.index]
                yield task, o
                bar.update(1)
                bar.set_postfix(last=label(task))
    finally:
        bar.close()


def _run_inline(fn: Callable[[T], R], tasks: Sequence[T], retries: int) -> Iterator[Outcome[R]]:
    for i, task in enumerate(tasks):
        for attempt in range(1, retries + 2):
            value, error, where = _call(fn, task)
            if error is None:
                break
        yield Outcome(i, value, error, attempt, where)


def _run_pool(fn: Callable[[T], R], tasks: Sequence[T], workers: int, retries: int) -> Iterator[Outcome[R]]:
    # Spawned, not forked: fresh interpreters, no inherited locks; one BLAS thread
    # from their first import on (set here, as the initializer runs too late for that).
    for var, value in ONE_THREAD.items():
        os.environ.setdefault(var, value)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_init, initargs=(os.getpid(),))
    pending: dict[Future, tuple[int, int]] = {}
    try:
        for i, task in enumerate(tasks):
            pending[pool.submit(_call, fn, task)] = (i, 1)
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for f in done:
                i, attempt = pending.pop(f)
                value, error, where = f.result()
                if error is not None and attempt <= retries:
                    pending[pool.submit(_call, fn, tasks[i])] = (i, attempt + 1)
                    continue
                yield Outcome(i, value, error, attempt, where)
    finally:
        # Ctrl-C or an early close: drop what has not started, stop what has.
        for f in pending:
            f.cancel()
        for proc in list(getattr(pool, "_processes", {}).values()):
            if pending:
                proc.terminate()
        pool.shutdown(wait=True, cancel_futures=True)


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise BackendUnavailable(
            "backend 'ray' needs Ray, which is not installed: pip install \"brainlike-gym[ray]\" "
            "(on every node of the cluster)") from None
    return ray


def _run_ray(fn: Callable[[T], R], tasks: Sequence[T], workers: int, address: str | None,
             retries: int) -> Iterator[Outcome[R]]:
    ray = _import_ray()
    started_here = not ray.is_initialized()
    if started_here:
        options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                   "runtime_env": {"env_vars": dict(ONE_THREAD)}}
        if address is None:
            options["num_cpus"] = workers  # a local Ray of `workers` CPUs
        try:
            ray.init(address=address, **options)
        except (ConnectionError, RuntimeError, ValueError) as e:
            raise BackendUnavailable(f"cannot connect to the Ray cluster at {address!r}: {e}") from None
    # Retries are decided here (on the returned traceback), not by Ray, so both backends count them alike.
    remote = ray.remote(num_cpus=1, max_retries=0)(_call)
    pending: dict[Any, tuple[int, int]] = {}
    try:
        for i, task in enumerate(tasks):
            pending[remote.remote(fn, task)] = (i, 1)
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1)
            for ref in done:
                i, attempt = pending.pop(ref)
                try:
                    value, error, where = ray.get(ref)
                except Exception:  # the worker itself died (node lost, out of memory)
                    value, error, where = None, traceback.format_exc(), "ray"
                if error is not None and attempt <= retries:
                    pending[remote.remote(fn, tasks[i])] = (i, attempt + 1)
                    continue
                yield Outcome(i, value, error, attempt, where)
    finally:
        for ref in pending:
            ray.cancel(ref, force=True)
        if started_here:
            ray.shutdown()


__all__ = ["BACKENDS", "BackendUnavailable", "Outcome", "one_blas_thread", "run_tasks", "run_with_progress"]

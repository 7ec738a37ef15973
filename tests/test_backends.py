"""Where sweeps run: the local pool and Ray give the same outcomes; failures are retried, then reported."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from brainlike.agents.backends import BackendUnavailable, run_tasks


def square(x: int) -> int:
    return x * x


def fail_on_three(x: int) -> int:
    if x == 3:
        raise RuntimeError(f"task {x} always fails")
    return x


def fail_first_time(marker: str) -> str:
    """Raises on the first call for a marker path, succeeds on the next (a transient fault)."""
    path = Path(marker)
    if not path.exists():
        path.write_text("seen")
        raise OSError("transient")
    return marker


def _by_index(outcomes):
    return {o.index: o for o in outcomes}


@pytest.mark.parametrize("workers", [1, 2])
def test_local_backend_runs_every_task_once(workers):
    got = _by_index(run_tasks(square, list(range(6)), workers=workers))
    assert sorted(got) == list(range(6))
    assert all(o.ok and o.attempts == 1 and o.value == i * i for i, o in got.items())
    assert all(":" in o.where for o in got.values())


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_task_is_retried_once_then_reported(workers):
    got = _by_index(run_tasks(fail_on_three, list(range(5)), workers=workers))
    assert sorted(i for i, o in got.items() if o.ok) == [0, 1, 2, 4]
    bad = got[3]
    assert bad.attempts == 2 and bad.value is None and "task 3 always fails" in bad.error


def test_a_transient_failure_succeeds_on_retry(tmp_path):
    markers = [str(tmp_path / f"m{i}") for i in range(3)]
    got = _by_index(run_tasks(fail_first_time, markers, workers=2))
    assert all(o.ok and o.attempts == 2 for o in got.values())


def test_no_retries_means_one_attempt(tmp_path):
    (o,) = run_tasks(fail_first_time, [str(tmp_path / "m")], workers=1, retries=0)
    assert not o.ok and o.attempts == 1


@pytest.mark.parametrize("kwargs, match", [
    ({"backend": "dask"}, "backend must be one of"),
    ({"workers": 0}, "workers must be a positive integer, got 0"),
    ({"retries": -1}, "retries must be a non-negative integer, got -1"),
    ({"address": "auto"}, "is for backend 'ray'"),
])
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        run_tasks(square, [1], **kwargs)


def test_ray_missing_gives_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now raises ImportError
    with pytest.raises(BackendUnavailable, match=r'pip install "brainlike-gym\[ray\]"'):
        list(run_tasks(square, [1], backend="ray"))


def test_ray_backend_matches_local():
    ray = pytest.importorskip("ray", reason="the [ray] extra is installed by `make test`")
    # Ray workers import task functions by module name, and tests/ is not a package they can import.
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    tasks = list(range(5))
    local = _by_index(run_tasks(fail_on_three, tasks, workers=2))
    remote = _by_index(run_tasks(fail_on_three, tasks, backend="ray", workers=2))
    assert {i: o.value for i, o in remote.items()} == {i: o.value for i, o in local.items()}
    assert remote[3].attempts == 2 and "task 3 always fails" in remote[3].error

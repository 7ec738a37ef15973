"""Where sweeps run: the local pool and Ray give the same outcomes; failures are retried, then reported."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from brainlike.agents.backends import BackendUnavailable, run_tasks
from brainlike.agents.benchmark import Job, make_jobs, run_jobs


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


@pytest.fixture(scope="module")
def local_ray():
    """One local Ray of 2 CPUs for the module's tests (run_tasks leaves a Ray it did not start running)."""
    ray = pytest.importorskip("ray", reason="the [ray] extra is installed by `make test`")
    # Ray workers import task functions by module name, and tests/ is not a package they can import.
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}})
    yield ray
    ray.shutdown()


def test_ray_backend_matches_local(local_ray):
    tasks = list(range(5))
    local = _by_index(run_tasks(fail_on_three, tasks, workers=2))
    remote = _by_index(run_tasks(fail_on_three, tasks, backend="ray", workers=2))
    assert {i: o.value for i, o in remote.items()} == {i: o.value for i, o in local.items()}
    assert remote[3].attempts == 2 and "task 3 always fails" in remote[3].error


# --- the benchmark on either backend -------------------------------------------------
TINY = dict(agents=["pattern-separation", "random"], bodies=["brainlike/SaltRat-v0"], seeds=[0, 1], steps=1500,
            evals=2, eval_episodes=4)


def _results(out: Path) -> dict[str, list[tuple[int, float]]]:
    """Every job's learning curve without its timings: what must not depend on the backend."""
    return {p.stem: [(h["env_steps"], h["mean_return"]) for h in json.loads(p.read_text())["history"]]
            for p in sorted((out / "jobs").glob("*.json"))}


def test_benchmark_on_ray_gives_the_local_numbers_and_resumes_across_backends(local_ray, tmp_path):
    jobs = make_jobs(**TINY)
    assert len(jobs) == 4
    assert run_jobs(jobs, tmp_path / "local", workers=2, progress=False) == {}
    assert run_jobs(jobs, tmp_path / "ray", workers=2, progress=False, backend="ray") == {}
    assert _results(tmp_path / "ray") == _results(tmp_path / "local")
    ran_on = {json.loads(p.read_text())["ran_on"] for p in (tmp_path / "ray" / "jobs").glob("*.json")}
    assert all(":" in w for w in ran_on)

    # Half with the local pool, the rest with Ray: nothing redone, nothing duplicated.
    mixed = tmp_path / "mixed"
    assert run_jobs(jobs[:2], mixed, workers=2, progress=False) == {}
    first = {p.name: p.stat().st_mtime_ns for p in (mixed / "jobs").glob("*.json")}
    assert run_jobs(jobs, mixed, workers=2, progress=False, backend="ray") == {}
    assert {p.name: p.stat().st_mtime_ns for p in (mixed / "jobs").glob("*.json") if p.name in first} == first
    assert _results(mixed) == _results(tmp_path / "local")
    assert sorted(p.name for p in (mixed / "models").iterdir()) == sorted(p.name for p in (tmp_path / "local" / "models").iterdir())


def test_a_failing_job_is_retried_then_reported_while_the_others_finish(tmp_path):
    good = make_jobs(**{**TINY, "agents": ["random"], "seeds": [0]})
    bad = Job("no-such-agent", "brainlike/SaltRat-v0", 0, 1500, 750, 4)
    errors = run_jobs([bad, *good], tmp_path, workers=2, progress=False)
    assert list(errors) == [bad.key]
    assert "failed after 2 attempts" in errors[bad.key] and "no-such-agent" in errors[bad.key]
    assert sorted(p.stem for p in (tmp_path / "jobs").glob("*.json")) == [good[0].key]


def test_an_experiment_over_seeds_on_ray_gives_the_local_numbers(local_ray, tmp_path):
    from brainlike.agents.experiments.seeds import run_over_seeds

    (local,) = run_over_seeds(["performance-error"], "small", [0, 1], tmp_path / "local", workers=2, progress=False)
    (remote,) = run_over_seeds(["performance-error"], "small", [0, 1], tmp_path / "ray", backend="ray", workers=2,
                               progress=False)
    assert [c.per_seed for c in remote.criteria] == [c.per_seed for c in local.criteria]
    assert remote.passed == local.passed and not remote.failed_seeds

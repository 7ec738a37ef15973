"""Benchmark defects of issue 18: resume ignoring the budget (4), orphaned workers (5), no lock (6)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from brainlike.agents.benchmark import finished_record, make_jobs, out_lock, run_jobs

RAT = "brainlike/SaltRat-v0"


def test_resume_with_another_budget_is_an_error_not_a_silent_reuse(tmp_path):
    jobs = make_jobs(["random"], [RAT], [0], steps=1000, evals=2, eval_episodes=2)
    assert run_jobs(jobs, tmp_path, workers=1, progress=False) == {}
    assert finished_record(tmp_path, jobs[0]) is not None
    assert run_jobs(jobs, tmp_path, workers=1, progress=False) == {}  # the same settings resume
    for other in (make_jobs(["random"], [RAT], [0], steps=2000, evals=2, eval_episodes=2),
                  make_jobs(["random"], [RAT], [0], steps=1000, evals=2, eval_episodes=3)):
        with pytest.raises(ValueError, match="other settings"):
            run_jobs(other, tmp_path, workers=1, progress=False)


def test_a_second_run_on_a_locked_folder_refuses(tmp_path):
    jobs = make_jobs(["random"], [RAT], [0], steps=1000, evals=2, eval_episodes=2)
    with out_lock(tmp_path):
        with pytest.raises(RuntimeError, match=f"in use by another benchmark run \\(pid {os.getpid()}\\)"):
            run_jobs(jobs, tmp_path, workers=1, progress=False)
    assert not (tmp_path / "jobs").exists()  # it refused before doing anything
    assert run_jobs(jobs, tmp_path, workers=1, progress=False) == {}  # released: the next run goes


def _children(pid: int) -> set[int]:
    out = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.add(int(d.name))
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process parents from /proc (Linux)")
def test_workers_die_with_a_killed_benchmark(tmp_path):
    script = textwrap.dedent(f"""
        from pathlib import Path
        from brainlike.agents.benchmark import make_jobs, run_jobs
        jobs = make_jobs(["pattern-separation"], ["brainlike/SongbirdTutor-v0"], [0, 1], steps=10_000_000, evals=1)
        run_jobs(jobs, Path({str(tmp_path)!r}), workers=2, progress=False)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    workers: set[int] = set()
    try:
        deadline = time.time() + 120
        while time.time() < deadline and len(workers) < 2:
            time.sleep(0.5)
            # The pool's workers (multiprocessing's resource tracker is a child too, and exits on its own).
            workers = {p for p in _children(parent.pid)
                       if "spawn_main" in Path(f"/proc/{p}/cmdline").read_text(errors="replace")}
        assert len(workers) == 2, f"the benchmark started no workers: {workers}"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.time() + 20
        while time.time() < deadline and any(_alive(p) for p in workers):
            time.sleep(0.2)
        assert not any(_alive(p) for p in workers), "workers outlived the SIGKILLed benchmark"
    finally:
        for p in [parent.pid, *workers]:
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass

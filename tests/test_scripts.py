"""The command-line entry points: help, tiny end-to-end runs, resume, and bad arguments."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ["train", "evaluate", "record", "experiment", "benchmark", "perf", "demo"]
ENV = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "MPLBACKEND": "Agg"}


def run(script: str, *args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / f"{script}.py"), *args], capture_output=True,
                          text=True, env=ENV, timeout=timeout, cwd=ROOT)
    if check and proc.returncode != 0:
        raise AssertionError(f"{script} {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.mark.parametrize("script", SCRIPTS)
def test_help(script):
    out = run(script, "--help").stdout
    assert "usage:" in out and len(out.splitlines()) > 5


def test_train_evaluate_record_end_to_end(tmp_path):
    out = tmp_path / "train"
    line = run("train", "--agent", "pattern-separation", "--body", "ForagingMouse", "--steps", "2000",
               "--evals", "2", "--eval-episodes", "4", "--out", str(out), "--no-progress").stdout.strip().splitlines()[-1]
    summary = json.loads(line)
    for f in summary["model"] + summary["history"] + [summary["plot"]]:
        assert Path(f).stat().st_size > 0
    history = json.loads(Path(summary["history"][1]).read_text())
    assert history[0]["env_steps"] == 0 and history[-1]["env_steps"] >= 2000
    model = str(out / "pattern-separation_ForagingMouse-v0_s0")
    ev = json.loads(run("evaluate", "--model", model, "--body", "ForagingMouse", "--episodes", "4", "--json").stdout)
    assert len(ev["returns"]) == 4 and "food_eaten" in ev["metrics"]
    rec = json.loads(run("record", "--model", model, "--body", "ForagingMouse", "--steps", "10",
                         "--out", str(tmp_path / "ep.gif")).stdout)
    assert Path(rec["video"]).stat().st_size > 0 and rec["frames"] >= 2


def test_record_songbird_writes_gif_and_wavs(tmp_path):
    rec = json.loads(run("record", "--agent", "random", "--body", "SongbirdTutor", "--steps", "12",
                         "--out", str(tmp_path / "bird.mp4")).stdout)
    assert Path(rec["video"]).stat().st_size > 0
    for key in ("tutor_wav", "bird_wav"):
        with wave.open(rec[key]) as w:
            assert w.getnframes() > 0 and w.getframerate() > 0


def test_experiment_writes_table_numbers_and_figure(tmp_path):
    proc = run("experiment", "first-loom", "--budget", "small", "--out", str(tmp_path))
    assert "PASS" in proc.stdout or "FAIL" in proc.stdout
    rec = json.loads((tmp_path / "first-loom.json").read_text())
    assert rec["criteria"] and rec["budget"] == "small"
    assert (tmp_path / "first-loom.md").read_text().startswith("### first-loom")
    assert Path(rec["figure"]).stat().st_size > 0


def test_main_job_smoke_run_writes_report_gifs_and_wavs(tmp_path):
    run("demo", "--out", str(tmp_path), "--scale", "0.02", "--seeds", "1", "--workers", "1", "--small",
        "--agents", "random", "pattern-separation", "thought-assessor", "node-perturbation",
        "--experiments", "first-loom", "performance-error", timeout=600)
    report = (tmp_path / "REPORT.md").read_text()
    assert "| first-loom | small |" in report and "| performance-error | small |" in report
    rows = json.loads((tmp_path / "benchmark" / "results.json").read_text())
    assert {r["agent"] for r in rows} == {"random", "pattern-separation", "thought-assessor", "node-perturbation"}
    episodes = tmp_path / "episodes"
    for body in ("ForagingMouse", "SaltRat", "SongbirdTutor"):
        for when in ("at_birth", "after_learning"):
            assert (episodes / f"{body}_{when}.gif").stat().st_size > 0
    for wav in episodes.glob("SongbirdTutor_*.wav"):
        with wave.open(str(wav)) as w:
            assert w.getnframes() > 0
    assert len(list(episodes.glob("SongbirdTutor_*.wav"))) == 4


def test_perf_quick_json():
    rows = json.loads(run("perf", "--quick", "--repeats", "1", "--bodies", "SaltRat", "--json").stdout)
    assert {r["what"] for r in rows} >= {"single env", "native vector N=1024", "native vs sync N=256"}
    assert all(r["ratio"] > 0 and r["body_rate"] > 0 and r["reference_rate"] > 0 for r in rows)


BENCH = ["--agents", "random", "innate-only", "pattern-separation", "--bodies", "ForagingMouse", "--seeds", "2",
         "--steps", "1500", "--evals", "2", "--eval-episodes", "4", "--workers", "1", "--no-progress"]


def test_benchmark_end_to_end(tmp_path):
    run("benchmark", *BENCH, "--out", str(tmp_path))
    rows = json.loads((tmp_path / "results.json").read_text(), parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    assert {r["agent"] for r in rows} == {"random", "innate-only", "pattern-separation"}
    assert all("seconds_to_solve" in r for r in rows)
    assert all(r["seeds"] == 2 for r in rows)
    assert (tmp_path / "results.csv").read_text().startswith("body,agent")
    assert (tmp_path / "curves_ForagingMouse-v0.png").stat().st_size > 0
    assert "| ForagingMouse-v0 | pattern-separation |" in (tmp_path / "report.md").read_text()


def test_benchmark_resumes_after_a_kill_without_redoing_or_duplicating(tmp_path):
    reference, resumed = tmp_path / "reference", tmp_path / "resumed"
    run("benchmark", *BENCH, "--out", str(reference))
    cmd = [sys.executable, str(ROOT / "scripts" / "benchmark.py"), *BENCH, "--out", str(resumed)]
    proc = subprocess.Popen(cmd, env=ENV, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    jobs = resumed / "jobs"
    deadline = time.time() + 240
    while time.time() < deadline and len(list(jobs.glob("*.json"))) < 2:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)  # no chance to clean up
    proc.wait()
    survivors = {p.name: p.stat().st_mtime_ns for p in jobs.glob("*.json")}
    assert 2 <= len(survivors) < 6, "the kill should land part-way"
    run("benchmark", *BENCH, "--out", str(resumed))
    after = {p.name: p.stat().st_mtime_ns for p in jobs.glob("*.json")}
    assert sorted(after) == sorted(p.name for p in (reference / "jobs").glob("*.json"))
    assert all(after[name] == mtime for name, mtime in survivors.items()), "finished jobs were redone"
    assert not list(jobs.glob(".*")), "no half-written files are left"
    ref_rows = json.loads((reference / "results.json").read_text())
    res_rows = json.loads((resumed / "results.json").read_text())
    timing = ("train_seconds", "seconds_to_solve")  # wall-clock differs between runs; the rest must not
    strip = lambda rows: [{k: v for k, v in r.items() if k not in timing} for r in rows]  # noqa: E731
    assert strip(ref_rows) == strip(res_rows), "seeded jobs give the same results, interrupted or not"


@pytest.mark.parametrize(
    "script, args, message",
    [
        ("train", ["--agent", "telepathy", "--body", "ForagingMouse"], "unknown agent"),
        ("train", ["--agent", "ppo", "--body", "Unicorn"], "unknown body"),
        ("train", ["--agent", "ppo", "--body", "ForagingMouse", "--steps", "-5"], "--steps must be a positive"),
        ("train", ["--agent", "sac", "--body", "ForagingMouse"], "not a baseline for"),
        ("benchmark", ["--agents", "telepathy"], "unknown agents"),
        ("benchmark", ["--bodies", "Unicorn"], "unknown bodies"),
        ("benchmark", ["--steps", "0"], "--steps must be a positive"),
        ("experiment", ["no-such-experiment"], "unknown experiment"),
        ("record", ["--agent", "random", "--body", "ForagingMouse", "--out", "x.avi"], ".gif or .mp4"),
        ("evaluate", ["--model", "/nonexistent/model"], "no saved model"),
    ],
)
def test_bad_arguments_fail_before_any_work(script, args, message, tmp_path):
    proc = run(script, *args, check=False, timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert message in proc.stderr


def test_unwritable_output_folder_is_refused(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    if os.access(locked, os.W_OK):  # root ignores permissions: use a path under a file instead
        target = tmp_path / "a_file"
        target.write_text("")
        out = str(target / "sub")
    else:
        out = str(locked / "sub")
    proc = run("benchmark", "--out", out, check=False)
    assert proc.returncode == 2 and "output folder" in proc.stderr

"""The command-line entry points: help, tiny end-to-end runs, resume, and bad arguments.

Each command runs three ways that must agree: ``python scripts/<name>.py``,
``brainlike <name>`` (the console script) and ``python -m brainlike.scripts <name>``.
"""

from __future__ import annotations

import json
import re
import os
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import gymnasium as gym
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ["train", "evaluate", "enjoy", "record", "experiment", "benchmark", "perf", "demo", "play", "soak"]
ENV = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "MPLBACKEND": "Agg"}


def run(script: str, *args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / f"{script}.py"), *args], capture_output=True,
                          text=True, env=ENV, timeout=timeout, cwd=ROOT)
    if check and proc.returncode != 0:
        raise AssertionError(f"{script} {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def cli(*args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
    """``brainlike ...`` as a user runs it: the console script installed next to this Python."""
    exe = Path(sys.executable).with_name("brainlike")
    proc = subprocess.run([str(exe), *args], capture_output=True, text=True, env=ENV, timeout=timeout, cwd=ROOT)
    if check and proc.returncode != 0:
        raise AssertionError(f"brainlike {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.mark.parametrize("script", SCRIPTS)
def test_help(script):
    out = run(script, "--help").stdout
    assert "usage:" in out and len(out.splitlines()) > 5
    # One parser per command: the script, the console command and the module print the same help.
    assert cli(script, "--help").stdout == out
    module = subprocess.run([sys.executable, "-m", "brainlike.scripts", script, "--help"], capture_output=True,
                            text=True, env=ENV, cwd=ROOT)
    assert module.returncode == 0 and module.stdout == out
    for outside in ("SCIENCE.md", "DESIGN.md", "../"):
        assert outside not in out, f"{script} --help cites {outside}, which is not in the repository"


@pytest.mark.parametrize("name", SCRIPTS)
def test_every_flag_has_help(name):
    from brainlike.scripts.cli import COMMANDS

    parser = next(c for c in COMMANDS if c.name == name).parser()
    undocumented = [a.option_strings or a.dest for a in parser._actions if not a.help]
    assert not undocumented, f"{name}: flags without help: {undocumented}"


def test_top_level_help_lists_every_command():
    out = cli("--help").stdout
    for name in SCRIPTS:
        assert f"\n    {name}" in out


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
    proc = run("experiment", "first-loom", "--budget", "small", "--seeds", "0", "--out", str(tmp_path))
    assert "PASS" in proc.stdout or "FAIL" in proc.stdout
    rec = json.loads((tmp_path / "first-loom.json").read_text())
    assert rec["criteria"] and rec["budget"] == "small"
    assert (tmp_path / "first-loom.md").read_text().startswith("### first-loom")
    assert Path(rec["figure"]).stat().st_size > 0


def test_main_job_smoke_run_writes_report_gifs_and_wavs(tmp_path):
    from brainlike.envs.profile import body_ids

    run("demo", "--out", str(tmp_path), "--scale", "0.02", "--seeds", "0", "--workers", "1", "--small",
        "--episode-steps", "40", "--no-progress",
        "--agents", "random", "pattern-separation", "thought-assessor", "node-perturbation", "cerebellar",
        "--experiments", "first-loom", "performance-error", timeout=1200)  # a hang guard, not a speed check
    report = (tmp_path / "REPORT.md").read_text()
    assert "| first-loom | small | PASS |" in report or "| first-loom | small | FAIL |" in report
    assert "| performance-error | small |" in report and "demo-budget verdict" in report
    assert re.search(r"in \d+\.\d minutes on \d+ cores", report)
    rows = json.loads((tmp_path / "benchmark" / "results.json").read_text())
    assert {r["agent"] for r in rows} == {"random", "pattern-separation", "thought-assessor", "node-perturbation",
                                          "cerebellar"}
    names = [b.split("/")[-1].removesuffix("-v0") for b in body_ids()]
    assert {r["body"].split("/")[-1].removesuffix("-v0") for r in rows} == set(names)  # every registered body
    timing = json.loads((tmp_path / "timing.json").read_text())
    assert set(timing["stages"]) == {"planning (which agents fit which body)", "benchmark and experiments",
                                     "recordings", "benchmark tables and figures"}
    assert {"experiment:first-loom", "experiment:performance-error"} <= set(timing["tasks"])
    assert all(t["wall_seconds"] > 0 for t in timing["tasks"].values()) and timing["cores"] >= 1
    episodes = tmp_path / "episodes"
    for body in names:  # the showcase learner of each is benchmarked here, so both films exist
        for when in ("at_birth", "after_learning"):
            assert (episodes / f"{body}_{when}.gif").stat().st_size > 0, (body, when)
            assert f"record:{body}_{when}" in timing["tasks"]
    for wav in episodes.glob("SongbirdTutor_*.wav"):
        with wave.open(str(wav)) as w:
            assert w.getnframes() > 0
    assert len(list(episodes.glob("SongbirdTutor_*.wav"))) == 4


def test_perf_quick_json():
    rows = json.loads(run("perf", "--quick", "--repeats", "1", "--bodies", "SaltRat", "--json", "--sb3").stdout)
    assert {r["what"] for r in rows} >= {"single env", "native vector N=1024", "native vs sync N=256",
                                         "SB3 adapter vs DummyVecEnv N=64"}
    assert all(r["ratio"] > 0 and r["body_rate"] > 0 and r["reference_rate"] > 0 for r in rows)


def test_perf_compile_times_a_cold_compile_and_warm_loads_in_fresh_processes():
    rows = json.loads(run("perf", "--compile", "--repeats", "1", "--bodies", "Eyeblink", "--json").stdout)
    assert [r["body"] for r in rows] == ["Eyeblink"]
    (row,) = rows
    assert all(row[k] > 0 for k in ("cold_first_step", "warm_first_step", "warm_import", "cold_import"))


def test_perf_agents_times_the_chosen_learners_against_ppo_on_their_bodies():
    # Each learner is timed on the chosen bodies its experiments use: pattern separation on the mouse
    # (not on the owl or the resident, which are not chosen), the cerebellar agent on the eyelid.
    rows = json.loads(run("perf", "--seconds", "0.05", "--repeats", "1", "--bodies", "Eyeblink", "ForagingMouse", "--json",
                          "--agents", "--learners", "cerebellar", "pattern-separation").stdout)
    agents = {r["what"]: r for r in rows if r["what"].endswith(" training")}
    assert set(agents) == {"cerebellar training", "pattern-separation training"}
    assert agents["cerebellar training"]["body"] == "Eyeblink" and agents["pattern-separation training"]["body"] == "ForagingMouse"
    assert all(r["reference"].startswith("SB3 PPO") and r["target"] == 20.0 for r in agents.values())
    assert all(r["ratio"] > 0 and r["body_rate"] > 0 and r["reference_rate"] > 0 for r in agents.values())
    assert {r["what"] for r in rows} - set(agents) >= {"single env", "native vector N=1024"}  # the bodies still come first


BENCH = ["--agents", "random", "innate-only", "pattern-separation", "--bodies", "ForagingMouse", "--seeds", "0", "1",
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
        ("experiment", ["first-loom", "--sensitivity", "1.5"], "must be a fraction in (0, 1)"),
        ("record", ["--agent", "random", "--body", "ForagingMouse", "--out", "x.avi"], ".gif or .mp4"),
        ("evaluate", ["--model", "/nonexistent/model"], "no saved model"),
        ("record", ["--model", "/nonexistent/model", "--out", "x.gif"], "no saved model"),
        ("enjoy", ["--model", "/nonexistent/model"], "no saved model"),
        ("train", ["--agent", "ppo", "--body", "ForagingMouse", "--steps", "nan"], "--steps must be a positive"),
        ("train", ["--agent", "ppo", "--body", "ForagingMouse", "--steps", "1e400"], "--steps must be a positive"),
        ("train", ["--agent", "ppo", "--body", "ForagingMouse", "--seeds", "-1"], "--seeds must be"),
        ("train", ["--agent", "ppo", "--body", "ForagingMouse", "--seeds", "0", "0"], "must not repeat a seed"),
        ("train", ["--agent", "ppo", "--body", "ForagingMouse", "--hyperparams", "no_such_knob=1"], "--hyperparams"),
        ("train", ["--agent", "ppo", "--body", "ForagingMouse", "--env-kwargs", "no_such_arg=1"], "--env-kwargs"),
        ("train", ["--agent", "ppo", "--body", "ForagingMouse", "--env-kwargs", "{not json"], "--env-kwargs"),
        ("train", ["--agent", "random", "--body", "ForagingMouse", "--device", "cuda"], "only for the SB3 baselines"),
        ("evaluate", ["--agent", "random", "--body", "SaltRat", "--seed", "-3"], "--seed must be"),
        ("evaluate", ["--agent", "telepathy", "--body", "SaltRat"], "unknown agent"),
        ("enjoy", ["--agent", "random", "--body", "Unicorn"], "unknown body"),
        ("record", ["--agent", "random", "--body", "ForagingMouse", "--out", "x.gif", "--steps", "0"], "--steps must be"),
        ("demo", ["--scale", "inf"], "--scale must be a finite number"),
        ("demo", ["--scale", "-0.5"], "--scale must be a finite number"),
        ("demo", ["--agents", "telepathy"], "unknown agents"),
        ("benchmark", ["--seeds", "5-2"], "--seeds must be"),
        ("perf", ["--repeats", "0"], "--repeats must be a positive"),
        ("perf", ["--bodies", "Unicorn"], "unknown bodies"),
        ("perf", ["--seconds", "0"], "--seconds must be a finite number > 0"),
        ("perf", ["--learners", "cerebellar"], "add --agents"),
        ("perf", ["--agents", "--learners", "random"], "not learning agents: ['random']"),
        ("perf", ["--compile", "--agents"], "--compile measures start-up"),
        ("play", ["--body", "SongbirdTutor"], "no keyboard controls"),
        ("play", ["--body", "ForagingMouse", "--zoom", "nan"], "--zoom must be a finite number"),
    ],
)
def test_bad_arguments_fail_before_any_work(script, args, message, tmp_path):
    for proc in (run(script, *args, check=False, timeout=120), cli(script, *args, check=False, timeout=120)):
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert message in proc.stderr
        assert "Traceback" not in proc.stderr
        errors = [line for line in proc.stderr.splitlines() if "error:" in line]
        assert len(errors) == 1 and proc.stderr.rstrip().endswith(errors[0]), f"not one line:\n{proc.stderr}"


def test_ppo_trains_with_default_flags_progress_bar_and_sb3_logs(tmp_path):
    """The CLI's own documented example, with the progress bar on, writing SB3's CSV, TensorBoard and evaluations."""
    tb = tmp_path / "tb"
    line = cli("train", "--agent", "ppo", "--body", "SaltRat", "--steps", "600", "--evals", "1", "--eval-episodes", "2",
               "--out", str(tmp_path), "--tensorboard-log", str(tb), "--hyperparams", "n_steps=64", "batch_size=64",
               ).stdout.strip().splitlines()[-1]
    summary = json.loads(line)
    meta = json.loads(Path(summary["model"][1]).read_text())
    assert meta["kind"] == "sb3" and meta["hyperparams"]["n_steps"] == "64", "--hyperparams must reach the model"
    logs = Path(summary["log_dir"])
    assert "time/total_timesteps" in (logs / "progress.csv").read_text().splitlines()[0]
    assert (logs / "evaluations.npz").stat().st_size > 0 and (logs / "best_model.zip").stat().st_size > 0
    assert list(tb.rglob("events.out.tfevents.*")), "no TensorBoard events"
    ev = json.loads(cli("evaluate", "--model", summary["model"][0], "--episodes", "2", "--json").stdout)
    assert ev["body"] == "brainlike/SaltRat-v0" and len(ev["returns"]) == 2


def test_env_kwargs_reach_the_body(tmp_path):
    ev = json.loads(cli("evaluate", "--agent", "random", "--body", "SaltRat", "--episodes", "2", "--json",
                        "--env-kwargs", "protocol=sensitization").stdout)
    lengths = {p: gym.make("brainlike/SaltRat-v0", protocol=p).unwrapped.body.protocol_steps
               for p in ("sensitization", "dead_sea_salt")}
    assert lengths["sensitization"] != lengths["dead_sea_salt"]  # otherwise this test could not tell
    assert ev["mean_length"] == lengths["sensitization"], lengths


def test_enjoy_runs_in_a_window_without_a_display():
    out = cli("enjoy", "--agent", "innate-only", "--body", "ForagingMouse", "--steps", "5", "--episodes", "2").stdout
    assert "episode 0 (seed 0): return" in out and "episode 1 (seed 1): return" in out


@pytest.mark.parametrize("body", ["ForagingMouse", "SaltRat"])
def test_play_drives_the_body_from_the_keyboard(body):
    out = cli("play", "--body", body, "--steps", "6", "--fps", "200").stdout
    assert "played 6 steps" in out


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


def test_soak_runs_and_reports_every_number(tmp_path):
    out = json.loads(run("soak", "--bodies", "SaltRat", "--body-steps", "2048", "--num-envs", "64", "--single-steps", "300",
                         "--json").stdout)
    (rat,) = out
    assert rat["body"] == "brainlike/SaltRat-v0" and rat["vector"]["body_steps"] == 2048
    for run_name in ("vector", "single"):
        assert rat[run_name]["non_finite_steps"] == 0 and rat[run_name]["rss_end_mb"] > 0
        assert rat[run_name]["last_vs_first_tenth_time"] > 0


def test_a_numpy_model_says_which_body_it_was_trained_on(tmp_path):
    """Issue 18, defect 12: `evaluate --model` (its own docstring's example) needs no --body for numpy agents."""
    run("train", "--agent", "pattern-separation", "--body", "SaltRat", "--steps", "500", "--evals", "1",
        "--eval-episodes", "2", "--out", str(tmp_path), "--no-progress", "--no-plot")
    model = str(tmp_path / "pattern-separation_SaltRat-v0_s0")
    assert json.loads(Path(model + ".json").read_text())["env_id"] == "brainlike/SaltRat-v0"
    ev = json.loads(run("evaluate", "--model", model, "--episodes", "2", "--json").stdout)
    assert len(ev["returns"]) == 2

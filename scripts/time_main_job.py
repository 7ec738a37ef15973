"""Time the main job and write the result where the README's numbers come from.

    python -m brainlike.scripts.time_main_job            # make demo, 3 runs, from a fresh clone
    python -m brainlike.scripts.time_main_job --full --runs 1

Clones this checkout's HEAD into a temporary folder and sets it up there
(``make install``, timed: the setup, reported apart), then runs the main job
``--runs`` times, each into an empty folder, and keeps the median run. Writes
``docs/main-job-timing.json`` (every run's minutes, the median run's stages
and per-task seconds, cores, load averages, commit) and the minutes the
README states, between its ``<!-- main-job-minutes:<mode> -->`` markers; the
test suite checks that the two agree. Run it on a quiet machine: the load
average is recorded beside each run. ``--here`` skips the clone and times the
current checkout's ``.venv`` (setup not measured). (This is ``make time-demo``.)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TIMING = ROOT / "docs" / "main-job-timing.json"
README = ROOT / "README.md"
MODES = ("demo", "full")


def marker(mode: str) -> re.Pattern[str]:
    """The README's stated minutes of ``mode``, between ``<!-- main-job-minutes:<mode> -->`` and its end marker."""
    return re.compile(rf"(<!-- main-job-minutes:{mode} -->)(.*?)(<!-- /main-job-minutes -->)")


def stated_minutes(readme: str, mode: str) -> str:
    """The README's text between ``mode``'s markers; a ValueError if the markers are missing."""
    m = marker(mode).search(readme)
    if m is None:
        raise ValueError(f"README.md has no <!-- main-job-minutes:{mode} --> ... <!-- /main-job-minutes --> markers")
    return m.group(2)


def minutes_text(record: dict[str, Any] | None) -> str:
    """What the README says for a recorded mode: its median minutes, or "not measured"."""
    if not record:
        return "not measured"
    runs = record["runs"]
    start = max(r["load_average_start"][0] for r in runs)
    # The 5-minute average at the end says whether other work shared the cores during the run.
    end = max(r["load_average_end"][1] for r in runs)
    return (f"{record['median_minutes']:.1f} minutes (median of {len(runs)} run{'s' if len(runs) > 1 else ''} on "
            f"{record['cores']} cores; load average at most {start:.1f} at the start, {end:.1f} over the "
            f"last 5 minutes)")


def update_readme(readme: str, timing: dict[str, Any]) -> str:
    for mode in MODES:
        stated_minutes(readme, mode)  # both markers must be there
        readme = marker(mode).sub(lambda m, t=minutes_text(timing.get(mode)): m.group(1) + t + m.group(3), readme)
    return readme


def run(cmd: list[str], cwd: Path, **kwargs: Any) -> float:
    """Run ``cmd`` in ``cwd`` (failing loudly); returns its wall-clock seconds."""
    print("+", " ".join(cmd), flush=True)
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, **kwargs)
    return time.perf_counter() - t


def time_main_job(mode: str, runs: int, here: bool) -> dict[str, Any]:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="main-job-") as tmp:
        repo, setup = ROOT, None
        if not here:
            repo = Path(tmp) / "clone"
            run(["git", "clone", "--quiet", str(ROOT), str(repo)], ROOT)
            setup = round(run(["make", "install"], repo), 1)
        records = []
        for k in range(runs):
            out = Path(tmp) / f"run-{k}"
            cmd = [str(repo / ".venv" / "bin" / "brainlike"), "demo", "--out", str(out), "--no-progress"]
            run(cmd + (["--full"] if mode == "full" else []), repo,
                env={**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"})
            records.append(json.loads((out / "timing.json").read_text()))
            print(f"run {k + 1}/{runs}: {records[-1]['minutes']:.2f} min, load average "
                  f"{records[-1]['load_average_start'][0]:.1f}", flush=True)
    median = sorted(records, key=lambda r: r["minutes"])[len(records) // 2]
    return {"commit": commit, "setup_seconds": setup,
            "median_minutes": statistics.median(r["minutes"] for r in records),
            "cores": median["cores"], "workers": median["workers"],
            "runs": [{"minutes": r["minutes"], "load_average_start": r["load_average_start"],
                      "load_average_end": r["load_average_end"]} for r in records],
            "stages": median["stages"], "tasks": median["tasks"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="time_main_job", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true", help="time `brainlike demo --full` instead of `make demo`")
    parser.add_argument("--runs", type=int, default=3, help="runs to take the median of (default 3)")
    parser.add_argument("--here", action="store_true", help="time this checkout's .venv, no fresh clone and setup")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error(f"--runs must be at least 1, got {args.runs}")
    if not README.exists():
        parser.error(f"{README} not found: run this from a source checkout of brainlike-gym")
    mode = "full" if args.full else "demo"
    timing = json.loads(TIMING.read_text()) if TIMING.exists() else {}
    timing[mode] = time_main_job(mode, args.runs, args.here)
    TIMING.write_text(json.dumps(timing, indent=2) + "\n")
    README.write_text(update_readme(README.read_text(), timing))
    print(f"{mode}: {minutes_text(timing[mode])}; wrote {TIMING} and {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

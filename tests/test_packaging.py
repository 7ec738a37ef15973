"""Packaging: a light core, clear errors for missing extras, one namespace, what the wheel ships.

The core tests run in subprocesses where a ``sys.meta_path`` blocker makes the
extras' packages unimportable, as on a machine with only ``pip install brainlike-gym``.
A real install into fresh virtual environments is slow and needs the package
registry: it runs only with ``BRAINLIKE_TEST_FRESH_INSTALL=1``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "MPLBACKEND": "Agg"}
#: The packages of the [agents] extra, then every package of [agents] and [report] (import names).
AGENTS_EXTRA = ("torch", "stable_baselines3", "yaml", "rich", "tqdm", "tensorboard")
EXTRAS = (*AGENTS_EXTRA, "matplotlib", "PIL", "moviepy")

BLOCKER = textwrap.dedent("""
    import importlib.abc, sys
    BLOCKED = set(sys.argv[1].split(","))
    class Blocker(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)", name=name)
            return None
    sys.meta_path.insert(0, Blocker())
    sys.argv = sys.argv[1:]
""")


def run_blocked(blocked: tuple[str, ...], code: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh Python where the ``blocked`` top-level packages cannot be imported."""
    return subprocess.run([sys.executable, "-c", BLOCKER + textwrap.dedent(code), ",".join(blocked), *args],
                          capture_output=True, text=True, env=ENV, cwd=cwd, timeout=300)


def test_core_needs_no_extra_and_imports_no_torch():
    proc = run_blocked(EXTRAS, """
        import sys
        import gymnasium as gym
        import numpy as np
        import brainlike.envs as envs

        assert envs.ENV_IDS, "no ids registered"
        for env_id in envs.ENV_IDS:
            env = gym.make(env_id, render_mode="rgb_array")
            env.reset(seed=0)
            for _ in range(3):
                env.step(env.action_space.sample())
            frame = env.render()
            assert frame.ndim == 3 and frame.std() > 0, env_id
            env.close()
            vec = gym.make_vec(env_id, num_envs=4, vectorization_mode="vector_entry_point")
            vec.reset(seed=0)
            vec.step(vec.action_space.sample())
            vec.close()
        env = gym.make("brainlike.envs:brainlike/ForagingMouse-v0")  # the module:id form loads the package itself
        env.reset(seed=0)
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in {"torch", "stable_baselines3", "matplotlib", "PIL",
                                                                    "moviepy", "tqdm", "rich", "yaml", "tensorboard"})
        assert not heavy, heavy
        print("core ok", len(envs.ENV_IDS))
    """)
    assert proc.returncode == 0, proc.stderr
    assert "core ok" in proc.stdout


def test_the_blocker_really_blocks():
    """The test above means something only if the blocker makes an installed extra unimportable."""
    proc = run_blocked(("numpy",), "import numpy")
    assert proc.returncode != 0 and "blocked by the test" in proc.stderr


def test_numpy_agents_train_on_the_core_alone(tmp_path):
    proc = run_blocked(EXTRAS, """
        from brainlike.scripts.cli import main
        raise SystemExit(main())
    """, "train", "--agent", "pattern-separation", "--body", "ForagingMouse", "--steps", "500", "--evals", "1",
        "--eval-episodes", "2", "--no-plot", "--no-progress", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "pattern-separation_ForagingMouse-v0_s0.npz").stat().st_size > 0


@pytest.mark.parametrize(
    "blocked, args, extra",
    [
        (AGENTS_EXTRA, ["train", "--agent", "ppo", "--body", "ForagingMouse", "--no-plot", "--out", "{out}"], "agents"),
        (AGENTS_EXTRA, ["evaluate", "--agent", "a2c", "--body", "SaltRat"], "agents"),
        (AGENTS_EXTRA, ["demo", "--agents", "sac", "--out", "{out}"], "agents"),
        (("stable_baselines3",), ["train", "--agent", "ppo", "--body", "ForagingMouse", "--no-plot", "--out", "{out}"],
         "agents"),
        (("torch",), ["train", "--agent", "dqn", "--body", "SaltRat", "--no-plot", "--out", "{out}"], "agents"),
        (("rich", "tqdm"), ["benchmark", "--agents", "ppo", "--bodies", "SaltRat", "--out", "{out}"], "agents"),
        (("matplotlib",), ["train", "--agent", "random", "--body", "SaltRat", "--out", "{out}"], "report"),
        (("PIL", "moviepy"), ["record", "--agent", "random", "--body", "SaltRat", "--out", "{out}/x.gif"], "report"),
        (("matplotlib",), ["experiment", "first-loom", "--budget", "small", "--out", "{out}"], "report"),
        (("torch",), ["perf", "--sb3", "--quick"], "agents"),
    ],
)
def test_a_missing_extra_says_what_to_install(blocked, args, extra, tmp_path):
    out = tmp_path / "out"
    proc = run_blocked(blocked, """
        from brainlike.scripts.cli import main
        raise SystemExit(main())
    """, *[a.replace("{out}", str(out)) for a in args], cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f'pip install "brainlike-gym[{extra}]"' in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "error:" in line]
    assert "Traceback" not in proc.stderr and len(errors) == 1
    if extra == "agents":
        assert "torch first" in proc.stderr
    assert not out.exists() or not any(out.iterdir()), "no work before the error"


def test_a_user_project_with_its_own_envs_and_agents_folders_still_gets_brainlike(tmp_path):
    for name in ("envs", "agents", "steering", "scripts"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("raise ImportError('the user project, not brainlike')\n")
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent("""
        import gymnasium as gym
        import brainlike.envs
        import brainlike.agents
        env = gym.make("brainlike/ForagingMouse-v0")
        env.reset(seed=0)
        env.step(0)
        vec = gym.make_vec("brainlike/SaltRat-v0", num_envs=2, vectorization_mode="vector_entry_point")
        vec.reset(seed=0)
        print("ids ok")
    """)], capture_output=True, text=True, env=ENV, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "ids ok" in proc.stdout


def test_the_wheel_ships_the_namespace_the_zoo_files_and_the_command(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0 and "network" in proc.stderr.lower():
        pytest.skip("building a wheel needs setuptools from the package registry")
    assert proc.returncode == 0, proc.stderr[-3000:]
    wheel = next(tmp_path.glob("brainlike_gym-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for algo in ("ppo", "a2c", "dqn", "sac", "td3"):
        assert f"brainlike/agents/zoo-hyperparams/{algo}.yml" in names
    assert {n.split("/")[0] for n in names if not n.startswith("brainlike_gym-")} == {"brainlike"}, \
        "nothing generic like envs/ or agents/ at the top of site-packages"
    for module in ("envs/__init__.py", "scripts/cli.py", "scripts/__main__.py", "agents/sb3_vec_env.py"):
        assert f"brainlike/{module}" in names
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "brainlike = brainlike.scripts.cli:main" in entry_points


@pytest.mark.skipif(os.environ.get("BRAINLIKE_TEST_FRESH_INSTALL") != "1",
                    reason="slow, needs the package registry: set BRAINLIKE_TEST_FRESH_INSTALL=1")
@pytest.mark.parametrize("extra", ["", "[all]"])
def test_fresh_venv_install(extra, tmp_path):
    """``pip install brainlike-gym`` and ``brainlike-gym[all]`` into empty venvs; the core pulls no torch."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    if extra:
        subprocess.run([py, "-m", "pip", "install", "--quiet", "torch==2.13.0"], check=True, timeout=1800)
    subprocess.run([py, "-m", "pip", "install", "--quiet", f"{ROOT}{extra}"], check=True, timeout=1800)
    check = "import brainlike.envs, gymnasium as gym, sys; gym.make('brainlike/SaltRat-v0').reset(seed=0); "
    check += "print('torch' in sys.modules, __import__('importlib').util.find_spec('torch') is not None)"
    out = subprocess.run([py, "-c", check], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True" if extra else "False"]
    assert subprocess.run([venv / "bin" / "brainlike", "--help"], capture_output=True).returncode == 0

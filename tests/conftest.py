"""Shared test set-up: no display, no sound device; the registered bodies."""

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("MPLBACKEND", "Agg")

from brainlike import envs  # noqa: E402,F401  (registers every body)


import gymnasium as gym  # noqa: E402
import pytest  # noqa: E402

from brainlike.envs.kernel import CompiledBody  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _warm_compiled_kernels():
    """Compile (or load from numba's disk cache) every compiled body's kernels once per test session.

    Later tests then measure behaviour, not compilation; a worker of ``pytest -n``
    pays this once. Bodies built with other sizes compile their own types on first use.
    """
    for name in envs.BODIES:
        env = gym.make(f"brainlike/{name}-v0")
        if isinstance(env.unwrapped.body, CompiledBody):
            env.reset(seed=0)
            env.step(env.action_space.sample())
        env.close()


@pytest.fixture(scope="session")
def uncompiled(request, tmp_path_factory):
    """Every ``UNCOMPILED_RUNS`` of the kernel test modules this session runs, computed with the JIT off in one process."""
    from tests.kernel_checks import UncompiledReferences

    modules = {item.path.stem for item in request.session.items if "uncompiled" in getattr(item, "fixturenames", ())}
    # Under pytest -n every worker collects the same tests: they share one directory, and the first computes it.
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    return UncompiledReferences(modules, shared / "uncompiled")

"""What every command-line entry point shares: argument checks made before any work starts."""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def check_output_dir(parser: argparse.ArgumentParser, path: str) -> Path:
    """Create ``path`` (if needed) and make sure it is writable, or stop with a clear error."""
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        parser.error(f"cannot create output folder {out}: {e.strerror}")
    if not os.access(out, os.W_OK):
        parser.error(f"output folder {out} is not writable")
    return out


def check_positive(parser: argparse.ArgumentParser, name: str, value: int) -> int:
    if value < 1:
        parser.error(f"{name} must be a positive integer, got {value}")
    return value


def body_id(name: str) -> str:
    """``ForagingMouse`` or ``brainlike/ForagingMouse-v0`` -> the registered id."""
    return name if name.startswith("brainlike/") else f"brainlike/{name.removesuffix('-v0')}-v0"


def check_body(parser: argparse.ArgumentParser, name: str) -> str:
    from brainlike import envs

    env_id = body_id(name)
    if env_id not in envs.ENV_IDS:
        parser.error(f"unknown body {name!r}; known: {[i.split('/')[-1] for i in envs.ENV_IDS]}")
    return env_id


def check_agent(parser: argparse.ArgumentParser, name: str, env_id: str) -> None:
    from brainlike.agents.runner import check_agent_body

    try:
        check_agent_body(name, env_id)
    except ValueError as e:
        parser.error(str(e))

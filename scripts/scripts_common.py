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

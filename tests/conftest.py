"""Shared test set-up: no display, no sound device; the registered bodies."""

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("MPLBACKEND", "Agg")

from brainlike import envs  # noqa: E402,F401  (registers every body)

"""Writing episodes a person can look at: animated GIFs from ``rgb_array`` frames."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np


def write_gif(frames: Sequence[np.ndarray], path: str | Path, fps: int = 8) -> Path:
    """Write (H, W, 3) uint8 frames as a looping GIF; returns the path."""
    from PIL import Image

    if len(frames) == 0:
        raise ValueError("write_gif needs at least one frame")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    images = [Image.fromarray(np.asarray(f, dtype=np.uint8)) for f in frames]
    tmp = path.with_suffix(".tmp.gif")
    images[0].save(tmp, save_all=True, append_images=images[1:], duration=int(1000 / fps), loop=0, optimize=False)
    tmp.replace(path)  # atomic: an interrupted run never leaves half a GIF
    return path


def write_mp4(frames: Sequence[np.ndarray], path: str | Path, fps: int = 8) -> Path:
    """Write frames as an MP4 (through moviepy, as Gymnasium's RecordVideo does)."""
    from moviepy import ImageSequenceClip

    if len(frames) == 0:
        raise ValueError("write_mp4 needs at least one frame")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp.mp4")
    clip = ImageSequenceClip([np.asarray(f, dtype=np.uint8) for f in frames], fps=fps)
    clip.write_videofile(str(tmp), logger=None)
    clip.close()
    tmp.replace(path)
    return path

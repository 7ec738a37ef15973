"""A lazily initialised pygame canvas shared by every body's renderer.

pygame is imported here and only here, and only when a frame is asked for, so
training never pays for rendering. ``rgb_array`` needs no display; ``human``
opens a window (tests run it with ``SDL_VIDEODRIVER=dummy``).
"""

from __future__ import annotations

from typing import Any

import numpy as np


class Canvas:
    """A drawing surface; ``show()`` returns it as an (H, W, 3) uint8 array."""

    def __init__(self, size: tuple[int, int], human: bool, fps: int, title: str = "brainlike-gym") -> None:
        import pygame

        self.pg = pygame
        self.human = human
        self.fps = fps
        pygame.font.init()
        if human:
            pygame.display.init()
            pygame.display.set_caption(title)
            self.window = pygame.display.set_mode(size)
            self.clock = pygame.time.Clock()
        self.surface = pygame.Surface(size)
        self._fonts: dict[int, Any] = {}

    @property
    def size(self) -> tuple[int, int]:
        return self.surface.get_size()

    def font(self, px: int = 14) -> Any:
        if px not in self._fonts:
            self._fonts[px] = self.pg.font.Font(None, px)
        return self._fonts[px]

    def text(self, s: str, xy: tuple[float, float], color: tuple[int, int, int] = (20, 20, 20), px: int = 16) -> None:
        self.surface.blit(self.font(px).render(s, True, color), xy)

    def show(self) -> np.ndarray:
        frame = np.transpose(self.pg.surfarray.array3d(self.surface), (1, 0, 2)).copy()
        if self.human:
            self.pg.event.pump()
            self.window.blit(self.surface, (0, 0))
            self.pg.display.flip()
            self.clock.tick(self.fps)
        return frame

    def close(self) -> None:
        if self.human:
            self.pg.display.quit()

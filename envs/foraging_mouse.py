"""ForagingMouse-v0: a mouse forages in an arena while shadows of birds pass overhead."""

from __future__ import annotations

from typing import Any

import numpy as np
from gymnasium import spaces

from brainlike.envs.contract import StateVar, check_arguments, integer, real
from brainlike.envs.core import BodyEnv, BodyVectorEnv
from brainlike.envs.kernel import CompiledBody, constants
from brainlike.envs.mouse_world import (  # noqa: F401  (LOOM, NO_STIMULUS: the stimuli's names, read by the experiments)
    FOOD,
    LAYOUT,
    LOOM,
    LOOM_START_ANGLE,
    NEST,
    NO_STIMULUS,
    RANDOMS_PER_STEP,
    STATS,
    VIEW_CELLS,
    VIEW_RADIUS,
    mouse_birth,
    mouse_observe,
    mouse_step,
)
from brainlike.steering.base import RewardLesion, Steering
from brainlike.steering.mouse import ACTION_NAMES, LOOM_FULL_ANGLE, STAY, LoomingReason, MouseEvents, MouseSenses, MouseSteering


class MouseBody(CompiledBody[MouseSenses, MouseEvents]):
    """The batched world of ForagingMouse-v0 (see ``ForagingMouseEnv`` for the documentation).

    Its step is the compiled ``mouse_step``; its observation ``mouse_observe``.
    """

    default_steering = MouseSteering
    randoms_per_step = RANDOMS_PER_STEP
    components = ("food", "hunger", "pain")
    drives = ("energy",)
    events = (("food", np.float64), ("captured", np.bool_))
    unpacked = ("grid", "food_cell", "food_timer")  # shaped by arena_size and num_food
    cell_px = 40

    def __init__(
        self,
        num_bodies: int = 1,
        steering: Steering | None = None,
        reflexes: bool = True,
        observation_mode: str = "dict",
        max_episode_steps: int | None = None,
        arena_size: int = 9,
        nest: tuple[int, int] | None = None,
        num_food: int = 4,
        food_regrowth: int = 25,
        food_energy: float = 0.25,
        initial_energy: float = 0.6,
        max_energy: float = 1.5,
        metabolic_rate: float = 0.008,
        move_cost: float = 0.004,
        predator_rate: float = 0.005,
        sweep_rate: float = 0.0,
        loom_steps: int = 10,
        sweep_steps: int = 8,
        loom_contrast: float | tuple[float, float] = 1.0,
        contrast_noise: float = 0.3,
        freeze_protection: float = 0.7,
        lethal_capture: bool = False,
        acclimation_steps: int = 0,
    ) -> None:
        lo, hi = (loom_contrast, loom_contrast) if np.isscalar(loom_contrast) else tuple(loom_contrast)  # type: ignore[arg-type]
        check_arguments({
            "arena_size": (arena_size, integer(arena_size) and 3 <= arena_size <= 64, "an integer in [3, 64]"),
            "num_food": (num_food, integer(num_food) and 0 <= num_food <= arena_size**2 - 2, f"an integer in [0, {arena_size**2 - 2}]"),
            "food_regrowth": (food_regrowth, integer(food_regrowth) and food_regrowth >= 1, "an integer >= 1 step"),
            "food_energy": (food_energy, real(food_energy) and food_energy >= 0, ">= 0"),
            "initial_energy": (initial_energy, real(initial_energy) and 0 < initial_energy <= max_energy, f"in (0, max_energy={max_energy}]"),
            "max_energy": (max_energy, real(max_energy), "a finite number"),
            "metabolic_rate": (metabolic_rate, real(metabolic_rate) and metabolic_rate >= 0, ">= 0"),
            "move_cost": (move_cost, real(move_cost) and move_cost >= 0, ">= 0"),
            "predator_rate": (predator_rate, real(predator_rate) and 0 <= predator_rate <= 1, "a probability in [0, 1]"),
            "sweep_rate": (sweep_rate, real(sweep_rate) and 0 <= sweep_rate <= 1 - predator_rate, "in [0, 1 - predator_rate]"),
            "loom_steps": (loom_steps, integer(loom_steps) and loom_steps >= 2, "an integer >= 2"),
            "sweep_steps": (sweep_steps, integer(sweep_steps) and sweep_steps >= 1, "an integer >= 1"),
            "loom_contrast": (loom_contrast, real(lo) and real(hi) and 0 <= lo <= hi <= 1, "in [0, 1], or a (low, high) range in it"),
            "contrast_noise": (contrast_noise, real(contrast_noise) and 0 <= contrast_noise <= 1, "in [0, 1]"),
            "freeze_protection": (freeze_protection, real(freeze_protection) and 0 <= freeze_protection <= 1, "a probability in [0, 1]"),
            "lethal_capture": (lethal_capture, isinstance(lethal_capture, (bool, np.bool_)), "True or False"),
            "acclimation_steps": (acclimation_steps, integer(acclimation_steps) and acclimation_steps >= 0, "an integer >= 0 (steps)"),
        })
        if nest is not None:
            nx, ny = nest
            if not (0 <= nx < arena_size and 0 <= ny < arena_size):
                raise ValueError(f"nest={nest!r} lies outside the {arena_size}x{arena_size} arena: expected 0 <= x, y < {arena_size}")
        super().__init__(num_bodies, steering, reflexes, observation_mode, max_episode_steps)
        self.size = int(arena_size)
        self.fixed_nest = None if nest is None else (int(nest[0]), int(nest[1]))
        self.num_food = int(num_food)
        self.food_regrowth = int(food_regrowth)
        self.food_energy = float(food_energy)
        self.initial_energy = float(initial_energy)
        self.max_energy = float(max_energy)
        self.metabolic_rate = float(metabolic_rate)
        self.move_cost = float(move_cost)
        self.predator_rate = float(predator_rate)
        self.sweep_rate = float(sweep_rate)
        self.loom_steps = int(loom_steps)
        self.sweep_steps = int(sweep_steps)
        self.contrast_range = (float(lo), float(hi))
        self.contrast_noise = float(contrast_noise)
        self.freeze_protection = float(freeze_protection)
        self.lethal_capture = bool(lethal_capture)
        self.acclimation_steps = int(acclimation_steps)
        # The loom's angle at each step: exponential expansion from 2 to 20 degrees.
        self.loom_angles = LOOM_START_ANGLE * (LOOM_FULL_ANGLE / LOOM_START_ANGLE) ** (
            np.arange(self.loom_steps) / (self.loom_steps - 1)
        )
        n = self.size
        self.padded = self.size + 2 * VIEW_RADIUS
        self._build(
            LAYOUT,
            spaces.Box(0.0, 1.0, (VIEW_CELLS * 3 + 5,), np.float32),
            spaces.Box(np.array([0.0, 0.0], np.float32), np.array([max_energy, 1.0], np.float32), dtype=np.float32),
            spaces.Discrete(len(ACTION_NAMES)),
        )
        self.canvas_size = (n * self.cell_px, n * self.cell_px + 60)
        self._steering = self.steering.unwrapped
        # The constants as the kernels read them, one record each; the steering's are read once, here.
        self._constants = constants((
            self.size, self.padded, self.food_regrowth, self.food_energy, self.max_energy, self.metabolic_rate,
            self.move_cost, self.predator_rate, self.sweep_rate, self.loom_steps, self.sweep_steps, lo, hi,
            self.contrast_noise, self.freeze_protection, self.lethal_capture, self.max_steps,
            1.0 / max(self.size - 1, 1), self.acclimation_steps,
        ), [
            ("arena_size", np.int64), ("padded", np.int64), ("food_regrowth", np.int64), ("food_energy", np.float64),
            ("max_energy", np.float64), ("metabolic_rate", np.float64), ("move_cost", np.float64),
            ("predator_rate", np.float64), ("sweep_rate", np.float64), ("loom_steps", np.int64),
            ("sweep_steps", np.int64), ("contrast_low", np.float64), ("contrast_high", np.float64),
            ("contrast_noise", np.float64), ("freeze_protection", np.float64), ("lethal_capture", np.bool_),
            ("max_steps", np.int64), ("position_scale", np.float64), ("acclimation_steps", np.int64),
        ])
        self._steering_constants = self._steering.constants
        self._fixed_nest_cell = -1 if self.fixed_nest is None else self.fixed_nest[1] * n + self.fixed_nest[0]

    # --- state, declared once: the core allocates it and returns it to birth values ---
    def state_table(self) -> dict[str, Any]:
        p = self.padded
        return {
            "grid": StateVar((p, p), np.uint8),  # padded with walls VIEW_RADIUS deep; drawn at birth
            "pos": StateVar((2,), np.int64),
            "nest": StateVar((2,), np.int64),
            "energy": StateVar(birth=self.initial_energy),
            "pain": StateVar(),
            "food_cell": StateVar((self.num_food,), np.int64),  # flat index into a body's grid
            "food_timer": StateVar((self.num_food,), np.int64),  # steps until regrown; 0 = present
            "stimulus": StateVar((), np.int64, NO_STIMULUS),
            "stimulus_t": StateVar((), np.int64),
            "contrast": StateVar(),  # the disc's physical contrast
            "perceived": StateVar(),  # the contrast this mouse's retina reports for this disc
            "angle": StateVar(),
            "expansion": StateVar(),
            "still": StateVar((), np.int64),  # consecutive steps without moving
            "stats": {k: StateVar((), np.int64) for k in STATS},
            "last_executed": StateVar((), np.int64, STAY),
            "last_reflex": StateVar((), np.int64, -1),
        }

    @property
    def randoms_per_life(self) -> int:  # type: ignore[override]
        return self.size * self.size  # a random permutation of the arena's cells

    def _reset_bodies(self, rows: np.ndarray, u: np.ndarray) -> None:
        self._call(mouse_birth, self.state, self.grid, self.food_cell, self._constants, self._fixed_nest_cell,
                   rows, u)

    # --- senses, observation and step: the compiled kernels ------------------------
    def in_nest(self) -> np.ndarray:
        return (self.pos[:, 0] == self.nest[:, 0]) & (self.pos[:, 1] == self.nest[:, 1])

    def _observe(self) -> tuple[np.ndarray, np.ndarray]:
        extero = np.empty((self.num_bodies, VIEW_CELLS * 3 + 5), dtype=np.float32)
        intero = np.empty((self.num_bodies, 2), dtype=np.float32)
        self._call(mouse_observe, self.state, self.grid, self._constants, extero, intero)
        return extero, intero

    def _run_kernel(self, actions: np.ndarray, out: np.ndarray) -> None:
        st = self._steering
        self._call(mouse_step, self.state, self.grid, self.food_cell, self.food_timer, self._rng.streams, self.elapsed,
                   self._constants, self.loom_angles, self._steering_constants, st.parameters.values,
                   st.looming.remaining, st.looming.mode, st.memory, st.last_drive, st.reflexes_enabled, actions, out)

    def summary(self, i: int) -> dict[str, Any]:
        s = {k: int(v[i]) for k, v in self.stats.items()}
        s["energy"] = float(self.energy[i])
        s["nest_known"] = bool(not np.isnan(self.steering.parameters["nest"][i, 0]))
        return s

    # --- rendering (pygame, only when asked) ------------------------------------
    def render_body(self, i: int, canvas: Any) -> None:
        pg, surf, c = canvas.pg, canvas.surface, self.cell_px
        n, r = self.size, VIEW_RADIUS
        surf.fill((236, 230, 214))
        grid = self.grid[i, r : r + n, r : r + n]
        for y in range(n):
            for x in range(n):
                rect = pg.Rect(x * c, y * c, c, c)
                if grid[y, x] & NEST:
                    pg.draw.rect(surf, (150, 110, 70), rect)
                if grid[y, x] & FOOD:
                    pg.draw.circle(surf, (70, 160, 60), rect.center, c // 5)
                pg.draw.rect(surf, (210, 200, 180), rect, 1)
        # The mouse, grey; tinted by the reflex that drives it.
        reflex = int(self.last_reflex[i])
        color = {-1: (90, 90, 100), LoomingReason.FLEE: (200, 60, 40), LoomingReason.FREEZE: (60, 90, 200)}[reflex]
        mx, my = self.pos[i]
        pg.draw.ellipse(surf, color, pg.Rect(mx * c + c * 0.2, my * c + c * 0.25, c * 0.6, c * 0.5))
        # The overhead disc: its radius grows with its angular size, darker with contrast.
        if self.angle[i] > 0:
            shade = int(255 * (1.0 - self.contrast[i]))
            radius = int(self.angle[i] / LOOM_FULL_ANGLE * n * c * 0.25) + 3
            disc = pg.Surface((2 * radius, 2 * radius), pg.SRCALPHA)
            pg.draw.circle(disc, (shade, shade, shade, 170), (radius, radius), radius)
            surf.blit(disc, (n * c // 2 - radius, n * c // 2 - radius))
        # The energy gauge and the steering's state.
        y0 = n * c + 8
        pg.draw.rect(surf, (60, 60, 60), pg.Rect(8, y0, 160, 14), 1)
        pg.draw.rect(surf, (230, 160, 40), pg.Rect(9, y0 + 1, int(158 * min(self.energy[i] / self.max_energy, 1.0)), 12))
        reason = self.steering.reason_names[reflex] if reflex >= 0 else ""
        canvas.text(f"energy {self.energy[i]:.2f}   {reason}", (176, y0), px=18)
        s = self.stats
        canvas.text(
            f"food {s['food_eaten'][i]}  looms {s['looms'][i]}  escapes {s['escapes'][i]}  captures {s['captures'][i]}",
            (8, y0 + 24),
            px=18,
        )


class ForagingMouseEnv(BodyEnv):
    """A mouse forages for food in a walled arena; shadows of birds loom overhead.

    ## Description
    A square arena of ``arena_size`` x ``arena_size`` cells holds a nest and
    ``num_food`` food patches; a patch's pellet regrows ``food_regrowth`` steps
    after it is eaten. The mouse burns energy every step (more when it moves)
    and dies when energy reaches 0. Now and then an aerial predator is
    announced by a dark disc overhead that expands from 2 to 20 degrees over
    ``loom_steps`` steps, then strikes: a mouse outside the nest is caught
    (with probability ``1 - freeze_protection`` if it has been still for two
    steps or more). A capture hurts; with ``lethal_capture=True`` it ends the
    life. Optionally a small disc sweeps slowly overhead without striking.
    The world only reports events; what is good or bad is decided by the
    Steering Subsystem (``steering.MouseSteering``).

    ## Observation Space
    ``Dict`` with
    - ``exteroception``: ``Box(0, 1, (80,), float32)``: a 5x5 view centred on
      the mouse as three planes of 25 cells, ``view_wall``, ``view_food``,
      ``view_nest``, each row by row from the north-west (75 values);
      ``disc_angle`` (the overhead disc's angle / 20 deg), ``disc_expansion``
      (its expansion per step / 5 deg), ``disc_contrast`` (its perceived
      contrast); ``position`` (x, y) scaled to [0, 1] (path integration).
    - ``interoception``: ``Box([0, 0], [max_energy, 1], (2,), float32)``:
      ``energy`` and ``pain``.
    Read channels by name: ``env.unwrapped.layout.read(obs, "disc_angle")``.
    ``observation_mode="flat"`` (or the id ``brainlike/ForagingMouseFlat-v0``)
    gives one ``Box`` of 82 values: exteroception then interoception.

    ## Action Space
    ``Discrete(5)`` (``steering.mouse.MouseAction``): 0 stay (freeze), 1 north, 2 east, 3 south, 4 west.

    ## Steering
    Rewards (``info["steering"]["components"]``): ``food``, the drive reduction
    of the energy eaten under a hunger homeostat (Keramati & Gutkin 2014: a
    pellet is worth more when hungry, overeating past the set point 1.0 is
    punished); ``hunger``, the drive added by the mouse's own metabolism each
    step (so starving is bad, not merely unrewarded); ``pain``, -0.5 on a
    capture.
    Reflex: ``LoomingReflex``: when (angle / 20 deg) x contrast exceeds the
    escape threshold, flee to the remembered nest if one has been visited,
    freeze otherwise; a non-expanding disc gives freezing. When it takes over,
    ``info["executed_action"]`` is the action actually executed and
    ``info["steering"]["reflex"]`` says ``"flee"`` or ``"freeze"``.
    Innate adjustable parameters: 3 (the nest's x and y, set by one visit; the
    escape threshold, which habituates to harmless shadows if
    ``MouseSteering(habituation>0)``).

    ## Termination and Truncation
    Terminated when energy reaches 0 (starvation) or on a capture with
    ``lethal_capture=True``. Truncated after 500 steps (``max_episode_steps``).

    ## Arguments
    ``steering`` (a ``Steering``; default ``MouseSteering()``; e.g.
    ``RewardLesion(MouseSteering())``), ``reflexes`` (False: a reflex-lesioned
    mouse), ``observation_mode`` ("dict" | "flat"), ``arena_size`` (9),
    ``nest`` ((x, y) or None for a random nest), ``num_food`` (4),
    ``food_regrowth`` (25), ``food_energy`` (0.25), ``initial_energy`` (0.6),
    ``max_energy`` (1.5), ``metabolic_rate`` (0.008/step), ``move_cost``
    (0.004/step), ``predator_rate`` (0.005/step), ``sweep_rate`` (0.0/step),
    ``loom_steps`` (10), ``sweep_steps`` (8), ``loom_contrast`` (1.0, or a
    (low, high) range drawn per loom), ``contrast_noise`` (0.3: relative
    trial-to-trial noise of the perceived contrast), ``freeze_protection``
    (0.7), ``lethal_capture`` (False), ``acclimation_steps`` (0: no loom or
    sweep before this step of a life, so the mouse can explore its arena and
    find its nest first, as in Yilmaz & Meister 2013 and Vale et al. 2017).

    ## Experiments and papers
    - first-loom: Yilmaz & Meister 2013, Curr Biol 23:2011: naive mice flee or
      freeze on their first loom.
    - loom vs sweep: De Franceschi et al. 2016, Curr Biol 26:2150.
    - contrast: Evans et al. 2018, Nature 558:590: escape probability rises
      with threat contrast (vary ``loom_contrast``).
    - one-life: with ``lethal_capture=True`` and ``reflexes=False`` a learner
      must learn escape before its first capture; it cannot.
    - nest memory: Vale et al. 2017: one visit sets the escape target.

    ## Version History
    - v0: initial release.
    """

    body_class = MouseBody
    metadata = {"render_modes": ["human", "rgb_array"], "render_fps": 8}

    def get_keys_to_action(self) -> dict[tuple[int, ...], int]:
        """Arrow keys or WASD move the mouse; no key is ``stay`` (freeze), for ``gymnasium.utils.play``."""
        import pygame

        move = {name: ACTION_NAMES.index(name) for name in ("north", "east", "south", "west")}
        return {(pygame.K_UP,): move["north"], (pygame.K_RIGHT,): move["east"], (pygame.K_DOWN,): move["south"],
                (pygame.K_LEFT,): move["west"], (pygame.K_w,): move["north"], (pygame.K_d,): move["east"],
                (pygame.K_s,): move["south"], (pygame.K_a,): move["west"]}


class ForagingMouseVectorEnv(BodyVectorEnv):
    """N foraging mice in one numpy step (see ``ForagingMouseEnv``)."""

    body_class = MouseBody
    metadata = {**BodyVectorEnv.metadata, "render_fps": 8}


# --- the agent side of this body (read through brainlike.envs.profile.profile_for) ---
from brainlike.envs.profile import BodyProfile  # noqa: E402  (appended block: the profile sits beside the body)

PROFILE = BodyProfile(
    env_id="brainlike/ForagingMouse-v0",
    learner_defaults={
        # Energy and pain as a population code with a high gain, so that every active
        # Kenyon unit is a conjunction of "what I see" and "how hungry I am": eating
        # past the set point is punished, so the policy must depend on hunger.
        # The mouse's rewards are mostly small hunger steps with rare meals and pains, so
        # its dopamine gain adapts to their spread (adaptive_gain; Tobler et al. 2005).
        "pattern-separation": {"population_code": {"interoception": 6}, "population_gain": 4.0, "temperature": 0.5,
                               "adaptive_gain": 0.01},
    },
    sb3_algorithms=("ppo", "a2c", "dqn"),
    benchmark_steps=100_000,
    # The learners' gain over birth shows by 60k steps: in a 100k run (seed 0), pattern
    # separation and PPO went from -0.79..-0.81 at birth to -0.65 and -0.63 at 66k steps.
    # The full 100k is `brainlike demo --full`.
    demo_steps=60_000,
    demo_baseline="ppo",
    showcase_agent="pattern-separation",
    experiments=("first-loom", "one-life"),
    demo_experiments=("first-loom",),  # the first loom: the innate escape, no learning needed
    demo_experiment_budget="full",  # affordable at full, so the main job shows this verdict for real
    # Property-test settings that end lives often (capture, starvation, short looms; a lesioned Flat twin).
    property_settings=(
        {"predator_rate": 0.2, "lethal_capture": True, "initial_energy": 0.05, "loom_steps": 3},
        {"observation_mode": "flat", "predator_rate": 0.1, "sweep_rate": 0.2,
         "steering": RewardLesion(MouseSteering(habituation=0.5))},
    ),
)

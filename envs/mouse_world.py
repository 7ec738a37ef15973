"""The mouse's world, compiled: its arena (walls, food patches that regrow, a nest) and its sky.

Overhead, now and then, a dark disc looms (expands from 2 to 20 degrees, then strikes)
or a small one sweeps slowly across without striking. These kernels are ForagingMouse's
physics: ``mouse_birth`` draws a new arena, ``mouse_step`` runs one step of every mouse
(reflex, movement, eating and regrowth, the sky, steering's evaluation), ``mouse_observe``
writes what every mouse sees and feels. ``MouseBody`` (``envs/foraging_mouse.py``) owns
the state they read and write and calls them (see ``envs/kernel.py``).
"""

from __future__ import annotations

import numpy as np

from brainlike.envs.contract import Layout
from brainlike.envs.kernel import end_step
from brainlike.envs.rng import next_draw, uniform_of
from brainlike.steering.base import NO_REFLEX
from brainlike.steering.compiled import jit
from brainlike.steering.mouse import ACTION_NAMES, FLEE, FREEZE, LOOM_FULL_ANGLE, MOVES, STAY, looming_reflex, mouse_evaluate

# Cell codes of the arena grid, as bit flags so a cell can be food *and* nest.
WALL, FOOD, NEST = 1, 2, 4
NOT_FOOD = np.uint8(0xFF ^ FOOD)
VIEW_RADIUS = 2
VIEW_CELLS = (2 * VIEW_RADIUS + 1) ** 2

NO_STIMULUS, LOOM, SWEEP = 0, 1, 2
LOOM_START_ANGLE = 2.0  # Yilmaz & Meister 2013: the disc expands from 2 to 20 degrees
SWEEP_ANGLE = 5.0  # De Franceschi et al. 2016: a small disc crossing slowly overhead
MAX_EXPANSION = 5.0  # deg/step, for normalising the expansion sense
STATS = ("food_eaten", "looms", "sweeps", "flights", "freezes", "escapes", "captures")

#: The names of the observation channels (see ``ForagingMouseEnv``) and actions.
LAYOUT = Layout(
    exteroception=Layout.groups(
        ("view_wall", VIEW_CELLS), ("view_food", VIEW_CELLS), ("view_nest", VIEW_CELLS),
        "disc_angle", "disc_expansion", "disc_contrast", ("position", 2),
    ),
    interoception=Layout.groups("energy", "pain"),
    actions=ACTION_NAMES,
)
_PLANES = tuple(LAYOUT.slice(name).start for name in ("view_wall", "view_food", "view_nest"))
_WALL_PLANE, _FOOD_PLANE, _NEST_PLANE = _PLANES
_DISC_ANGLE, _DISC_EXPANSION, _DISC_CONTRAST = (LAYOUT.index(n) for n in ("disc_angle", "disc_expansion", "disc_contrast"))
_POSITION = LAYOUT.slice("position").start
_ENERGY, _PAIN = LAYOUT.index("energy"), LAYOUT.index("pain")
RANDOMS_PER_STEP = 4  # predator onset, its kind/contrast, the perceived contrast, the capture
_ONSET, _CONTRAST, _PERCEIVED, _CAPTURE = range(RANDOMS_PER_STEP)


# --- the step, compiled: one loop over the bodies (see envs.kernel) -----------------------
@jit
def _predators(s, c, loom_angles, draw, in_nest, age):  # type: ignore[no-untyped-def]
    """Advance body record ``s``'s overhead stimulus with this step's ``draw``; whether a strike caught the mouse.

    Each of the draw's uniforms is hashed only where it is read (see ``rng.next_draw``).

    ``loom_angles``: the loom's angle at each of its steps (deg).

    ``age``: steps of this life so far. No disc appears before the acclimation ends (the mouse
    explores its arena and nest first); the uniforms are drawn all the same, so the random
    streams do not depend on it.
    """
    idle = s["stimulus"] == NO_STIMULUS
    sky_open = idle and age >= c["acclimation_steps"]
    onset = uniform_of(draw, _ONSET) if sky_open else 1.0
    onset_loom = sky_open and onset < c["predator_rate"]
    onset_sweep = sky_open and onset >= c["predator_rate"] and onset < c["predator_rate"] + c["sweep_rate"]
    if idle and not (onset_loom or onset_sweep):
        return False  # most of the sky is empty most of the time: nothing changes
    if onset_loom or onset_sweep:
        contrast = c["contrast_low"] + (c["contrast_high"] - c["contrast_low"]) * uniform_of(draw, _CONTRAST)
        # Trial-to-trial variability of the retina's report (Evans et al. 2018).
        perceived = min(max(contrast * (1.0 + c["contrast_noise"] * (2.0 * uniform_of(draw, _PERCEIVED) - 1.0)), 0.0), 1.0)
        s["contrast"] = contrast
        stimulus = LOOM if onset_loom else SWEEP
        t = 0
    else:
        perceived = s["perceived"]
        stimulus = s["stimulus"]
        t = s["stimulus_t"] + 1
    s["looms"] += onset_loom
    s["sweeps"] += onset_sweep
    looming = stimulus == LOOM
    strike = looming and t >= c["loom_steps"]
    exposed = not in_nest
    p_capture = 1.0 - c["freeze_protection"] if s["still"] >= 2 else 1.0
    captured = strike and exposed and uniform_of(draw, _CAPTURE) < p_capture
    s["escapes"] += strike and not exposed
    ended = strike or (stimulus == SWEEP and t >= c["sweep_steps"])
    if ended:
        stimulus = NO_STIMULUS
    if stimulus == NO_STIMULUS:
        angle = 0.0
    elif looming:
        angle = loom_angles[min(t, c["loom_steps"] - 1)]
    else:
        angle = SWEEP_ANGLE
    s["expansion"] = max(angle - s["angle"], 0.0) if (looming and not ended) else 0.0
    s["angle"] = angle
    s["perceived"] = 0.0 if stimulus == NO_STIMULUS else perceived
    s["stimulus"] = stimulus
    s["stimulus_t"] = t
    return captured


@jit
def mouse_step(state, grid, food_cell, food_timer, streams, elapsed, constants, loom_angles, steering_constants, params,  # type: ignore[no-untyped-def]
               remaining, mode, memory, last_drive, reflexes, actions, out):
    """One step of every mouse: ``state`` (records) and its arenas (``grid``, ``food_cell``,
    ``food_timer``), the counter RNG's ``streams``, the body's ``constants`` and ``loom_angles``,
    the steering's constants and state (``params, remaining, mode, memory, last_drive``); the results go to
    ``out`` (one ``step_record`` per body)."""
    c, sc = constants[0], steering_constants[0]
    r = VIEW_RADIUS
    for b in range(state.shape[0]):
        draw = next_draw(streams, b)  # first and unconditionally: the stream never depends on events
        s, o = state[b], out[b]
        x, y = s["pos"][0], s["pos"][1]
        in_nest = x == s["nest"][0] and y == s["nest"][1]
        executed, reason = looming_reflex(sc["duration"], params, remaining, mode, b, reflexes, s["angle"], s["expansion"],
                                          s["perceived"], x, y, in_nest, actions[b])
        # Movement: walls stop the mouse where it is.
        tx, ty = x + MOVES[executed, 0], y + MOVES[executed, 1]
        moved = executed != STAY and 0 <= tx < c["arena_size"] and 0 <= ty < c["arena_size"]
        if moved:
            x, y = tx, ty
            s["pos"][0], s["pos"][1] = x, y
            s["still"] = 0
        else:
            s["still"] += 1
        # Eating: the pellet under the mouse is eaten; its patch regrows later.
        g, cells, timers, p = grid[b], food_cell[b], food_timer[b], c["padded"]
        ate = (g[y + r, x + r] & FOOD) > 0
        food = c["food_energy"] if ate else 0.0
        if ate:
            g[y + r, x + r] &= NOT_FOOD
            here = (y + r) * p + x + r
            for j in range(cells.shape[0]):
                if cells[j] == here:
                    timers[j] = c["food_regrowth"]
        for j in range(timers.shape[0]):
            if timers[j] > 0:
                timers[j] -= 1
                if timers[j] == 0:
                    g[cells[j] // p, cells[j] % p] |= FOOD
        energy_start = s["energy"]
        energy_before = max(s["energy"] - c["metabolic_rate"] - c["move_cost"] * (1.0 if moved else 0.0), 0.0)
        s["energy"] = min(energy_before + food, c["max_energy"])

        in_nest = x == s["nest"][0] and y == s["nest"][1]
        captured = _predators(s, c, loom_angles, draw, in_nest, elapsed[b])
        s["pain"] = 1.0 if captured else s["pain"] * 0.5
        s["food_eaten"] += ate
        s["captures"] += captured
        overrode = reason != NO_REFLEX
        if overrode and s["last_reflex"] < 0:  # a reflex episode starts
            s["flights"] += reason == FLEE
            s["freezes"] += reason == FREEZE
        s["last_executed"] = executed
        s["last_reflex"] = reason

        o["food"], o["hunger"], o["pain"], o["drive_energy"] = mouse_evaluate(
            sc, params, memory, last_drive, b, energy_start, energy_before, s["energy"], captured, in_nest, x, y, s["angle"], not in_nest)
        o["reward"] = o["food"] + o["hunger"] + o["pain"]
        o["executed"], o["overrode"], o["reason"] = executed, overrode, reason
        o["terminated"] = s["energy"] <= 0.0 or (captured and c["lethal_capture"])
        o["truncated"] = end_step(elapsed, b, c["max_steps"])
        o["event_food"], o["event_captured"] = food, captured


@jit
def _first_of_permutation(u, k):  # type: ignore[no-untyped-def]
    """The first ``k`` entries of ``np.argsort(u, kind="stable")``: the random permutation's head.

    A birth needs only the nest's, the start's and the food patches' cells: for a few of
    them one pass that keeps the ``k`` smallest costs a fraction of sorting the arena.
    """
    if k > 32:
        return np.argsort(u, kind="mergesort")[:k]
    out = np.empty(k, dtype=np.int64)
    m = 0
    for j in range(u.shape[0]):
        v = u[j]
        if m == k and v >= u[out[k - 1]]:
            continue  # ties keep the lower index first, as a stable sort does
        i = m if m < k else k - 1
        while i > 0 and u[out[i - 1]] > v:
            out[i] = out[i - 1]
            i -= 1
        out[i] = j
        m = min(m + 1, k)
    return out


@jit
def mouse_birth(state, grid, food_cell, constants, fixed_nest_cell, rows, u):  # type: ignore[no-untyped-def]
    """A new arena for each body in ``rows``, drawn from its row of ``u`` (one uniform per cell).

    The uniforms' order is a random permutation of the arena's cells: the nest takes the
    first (unless ``fixed_nest_cell`` >= 0 places it), the mouse starts on the next cell,
    the food patches take the ones after.
    """
    c = constants[0]
    n, p, r = c["arena_size"], c["padded"], VIEW_RADIUS
    for i in range(rows.shape[0]):
        b = rows[i]
        # The nest (unless fixed, then skipped where it falls), the start, the food patches.
        order = _first_of_permutation(u[i], min(food_cell.shape[1] + 2, n * n))
        nest_cell = order[0] if fixed_nest_cell < 0 else fixed_nest_cell
        g, cells = grid[b], food_cell[b]
        g[:, :] = WALL
        g[r : r + n, r : r + n] = 0
        start, placed = -1, 0
        for j in range(order.shape[0]):
            cell = order[j]
            if cell == nest_cell:
                continue
            if start < 0:
                start = cell
            elif placed < cells.shape[0]:
                cells[placed] = (cell // n + r) * p + cell % n + r
                g[cell // n + r, cell % n + r] = FOOD
                placed += 1
            else:
                break
        s = state[b]
        s["nest"][0], s["nest"][1] = nest_cell % n, nest_cell // n
        s["pos"][0], s["pos"][1] = start % n, start // n
        g[nest_cell // n + r, nest_cell % n + r] |= NEST


@jit
def mouse_observe(state, grid, constants, extero, intero):  # type: ignore[no-untyped-def]
    """Every mouse's observation into ``extero`` and ``intero`` (float32)."""
    c = constants[0]
    r = VIEW_RADIUS
    for b in range(state.shape[0]):
        s, g = state[b], grid[b]
        x, y = s["pos"][0], s["pos"][1]
        k = 0
        for dy in range(-r, r + 1):  # the 5x5 view row by row from the north-west
            for dx in range(-r, r + 1):
                code = g[y + r + dy, x + r + dx]
                # One plane per channel; shifting the bit flags is the cheapest one-hot.
                extero[b, _WALL_PLANE + k] = code & 1
                extero[b, _FOOD_PLANE + k] = (code >> 1) & 1
                extero[b, _NEST_PLANE + k] = (code >> 2) & 1
                k += 1
        extero[b, _DISC_ANGLE] = s["angle"] * (1.0 / LOOM_FULL_ANGLE)
        extero[b, _DISC_EXPANSION] = min(s["expansion"] * (1.0 / MAX_EXPANSION), 1.0)
        extero[b, _DISC_CONTRAST] = s["perceived"]
        extero[b, _POSITION] = x * c["position_scale"]
        extero[b, _POSITION + 1] = y * c["position_scale"]
        intero[b, _ENERGY] = s["energy"]
        intero[b, _PAIN] = s["pain"]

"""The compiled Kenyon code (``agents/expansion.kenyon_code``) against a plain-numpy reference of its documented order.

The order is the contract: a unit's fan-in summed in ascending input-line order in
float32, then its threshold; the k largest drives win, ties to the lower unit id;
ids ascending. The reference below is that sentence in numpy, independent of how
the compiled code searches (by input line, a histogram, a quickselect).
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from brainlike.agents import expansion
from brainlike.agents.expansion import KenyonExpansion, kenyon_code, population_lines


def reference_drive(kc: KenyonExpansion, x: np.ndarray) -> np.ndarray:
    """(B, num_units) drives: each unit's fan-in by ascending input line, summed in float32, then its threshold."""
    order = np.argsort(kc.inputs, axis=1, kind="stable")  # each unit's fan-in by ascending input line
    lines, weights = np.take_along_axis(kc.inputs, order, 1), np.take_along_axis(kc.weights, order, 1)
    drive = np.zeros((x.shape[0], kc.num_units), dtype=np.float32)
    for f in range(kc.fan_in):
        drive = drive + x[:, lines[:, f]] * weights[:, f]
    return drive + kc.thresholds


def reference_code(kc: KenyonExpansion, x: np.ndarray) -> np.ndarray:
    """(B, k) winners by the documented order, in plain numpy."""
    drive = reference_drive(kc, x)
    # Largest drive first, then the lower id; keep k; report them ascending.
    ranked = np.lexsort((np.broadcast_to(np.arange(kc.num_units), drive.shape), -drive), axis=1)
    return np.sort(ranked[:, : kc.k], axis=1)


def sparse_input(rng: np.random.Generator, shape: tuple[int, int], density: float) -> np.ndarray:
    """Mostly zeros (as sensory population codes are), some -0.0, the rest in [0, 2)."""
    x = (2 * rng.random(shape) * (rng.random(shape) < density)).astype(np.float32)
    x[rng.random(shape) < 0.05] = -0.0
    return x


@pytest.mark.parametrize("input_dim,num_units,fan_in,active_fraction,density", [
    (92, 2000, 7, 0.05, 0.13),  # the mouse's shape
    (115, 2000, 7, 0.05, 0.7),  # the owl's
    (13, 2000, 7, 0.05, 0.4),   # the resident's
    (28, 1000, 4, 0.05, 0.25),  # the rat's thought assessor
    (10, 50, 10, 1.0, 0.5),     # everyone wins
    (6, 40, 3, 0.01, 0.5),      # one winner
])
def test_code_is_the_documented_order(input_dim, num_units, fan_in, active_fraction, density):
    rng = np.random.default_rng(input_dim)
    kc = KenyonExpansion(input_dim, num_units, fan_in, active_fraction, rng)
    x = sparse_input(rng, (64, input_dim), density)
    x[0] = 0.0  # no input at all: the thresholds alone decide
    ids = kc.encode(x)
    assert ids.shape == (64, kc.k) and ids.dtype == np.int64
    np.testing.assert_array_equal(ids, reference_code(kc, x))
    assert np.all(np.diff(ids, axis=1) > 0)  # ascending, no repeats


def test_exact_ties_go_to_the_lower_unit_id():
    rng = np.random.default_rng(1)
    kc = KenyonExpansion(8, 300, 2, 0.1, rng)
    # Make most drives tie exactly: equal weights, and thresholds from only three values.
    kc.weights[:] = 1.0
    kc.thresholds[:] = rng.choice(np.float32([0.0, 1e-4, 2e-4]), kc.num_units)
    kc.rebuild()
    x = np.zeros((5, 8), dtype=np.float32)
    x[1:, :4] = 1.0  # rows 1-4: units reading lines 0-3 tie at 1, 2 plus a threshold
    x[3] = 0.5
    ids = kc.encode(x)
    np.testing.assert_array_equal(ids, reference_code(kc, x))
    # Row 0: only the thresholds drive, so the top threshold's units win, lowest ids first.
    top = np.flatnonzero(kc.thresholds == kc.thresholds.max())
    assert top.size > kc.k
    np.testing.assert_array_equal(ids[0], top[: kc.k])
    # Every row really had ties across the boundary: the test exercises the tie rule.
    for row in range(5):
        drive = np.sort(reference_drive(kc, x[row : row + 1])[0])[::-1]
        assert drive[kc.k - 1] == drive[kc.k], f"row {row} has no tie at the boundary"


def test_all_drives_equal_gives_the_first_k_units():
    kc = KenyonExpansion(5, 100, 5, 0.1, np.random.default_rng(2))
    kc.thresholds[:] = 0.0
    kc.rebuild()
    np.testing.assert_array_equal(kc.encode(np.zeros((2, 5), np.float32)), np.tile(np.arange(10), (2, 1)))


def test_a_loaded_expansion_codes_with_its_new_arrays_not_a_remembered_code():
    rng = np.random.default_rng(3)
    kc = KenyonExpansion(20, 500, 7, 0.05, rng)
    x = sparse_input(rng, (4, 20), 0.5)
    before = kc.encode(x).copy()
    other = KenyonExpansion(20, 500, 7, 0.05, np.random.default_rng(4))
    kc.inputs, kc.weights, kc.thresholds = other.inputs.astype(np.int64), other.weights.astype(np.float64), other.thresholds
    kc.rebuild()  # what an agent's _after_load does
    after = kc.encode(x)
    np.testing.assert_array_equal(after, other.encode(x))
    assert not np.array_equal(before, after)


def test_drives_summed_body_by_body_or_together_give_the_documented_code():
    """Dense chunks sum every body at once, sparse ones body by body over their nonzero lines: the same winners.

    Rows where every line is nonzero (with -0.0 and exact zeros in some bodies) take the first way;
    one-hot rows the second; a batch that mixes them (chunks of 32 bodies) takes both, and a batch
    not a multiple of the chunk ends in a short one. Fewer than eight dense rows go body by body.
    """
    rng = np.random.default_rng(11)
    kc = KenyonExpansion(40, 1500, 7, 0.05, rng)
    dense = (0.1 + rng.random((32, 40))).astype(np.float32)
    dense[3, :5] = 0.0
    dense[4, 5:9] = -0.0
    one_hot = np.zeros((37, 40), dtype=np.float32)
    one_hot[np.arange(37), rng.integers(0, 40, 37)] = 1.0
    for x in (dense, one_hot, np.concatenate([dense, one_hot]), dense[:5]):
        np.testing.assert_array_equal(kc.encode(x), reference_code(kc, x))


# A row of 30 lines and its 20 ids take 4 x 50 bytes: one slot (every row collides), two (three rows' bytes),
# or, with room, 128 per body of the first batch (9 bodies: 1,152, up to a power of two).
@pytest.mark.parametrize("table_bytes,slots", [(1, 1), (4 * 50 * 3, 2), (2**20, 2048)])
def test_remembered_rows_give_each_row_its_own_code(monkeypatch, table_bytes, slots):
    """Rows met again (in one batch or a later one, +0.0 and -0.0 apart) get the code of the row alone, whatever the table's size."""
    monkeypatch.setattr(expansion, "_REMEMBERED_BYTES", table_bytes)
    monkeypatch.setattr(expansion, "_REMEMBERED_JUDGED_AFTER", 10**6)  # consulted throughout, however few rows it finds
    rng = np.random.default_rng(12)
    kc = KenyonExpansion(30, 400, 7, 0.05, rng)
    pool = sparse_input(rng, (6, 30), 0.3)
    pool[1] = pool[0]
    pool[1][pool[1] == 0.0] = -0.0  # the same numbers, other bits
    met: list[np.ndarray] = []
    for _ in range(5):
        x = pool[rng.integers(0, len(pool), 9)]
        met += list(x)
        ids = kc.encode(x)
        np.testing.assert_array_equal(ids, reference_code(kc, x))
        np.testing.assert_array_equal(ids, kenyon_code(x, kc._line_start, kc._line_units, kc._line_weights, kc.thresholds, kc.k))
    keys, codes, filled = kc._remembered_table()
    assert len(filled) == slots
    if slots > 6:  # room for every row met (no two of them share a slot here): each kept once
        assert filled.sum() == len({row.tobytes() for row in met})
    for slot in np.flatnonzero(filled):  # what the table holds is each row's code
        row = keys[slot].view(np.float32)[None]
        np.testing.assert_array_equal(codes[slot][None], reference_code(kc, row))
    kc.rebuild()  # new arrays: nothing remembered
    assert not kc._remembered_table()[2].any()


def test_a_table_that_finds_few_rows_is_no_longer_consulted_and_one_that_finds_many_is():
    """Judged after four times its slots in rows (one body: 128 slots, 512 rows): kept if it found at least one in eight."""
    rng = np.random.default_rng(13)
    routine, novel = (KenyonExpansion(30, 400, 7, 0.05, np.random.default_rng(0)) for _ in range(2))
    pool = sparse_input(rng, (20, 30), 0.3)
    for step in range(600):
        for kc, x in ((routine, pool[step % 20][None]), (novel, sparse_input(rng, (1, 30), 0.3))):
            np.testing.assert_array_equal(kc.encode(x), reference_code(kc, x))
        if step == 510:  # not judged yet
            assert routine._remembered_use is not None and novel._remembered_use is not None
        if step == 520:
            stored = novel._remembered_table()[0].copy()
    assert routine._remembered_use is not None  # 19 rows in 20 found
    assert novel._remembered_use is None  # none found: coded directly, nothing more stored
    np.testing.assert_array_equal(novel._remembered_table()[0], stored)
    novel.rebuild()  # new arrays: judged afresh
    assert novel._remembered_use == [0, 0]


def test_the_remembered_table_grows_with_the_batch_not_past_its_bytes():
    # One animal's own brain codes one row at a time: a small table; a training batch of 64: 8,192 slots.
    sizes = {}
    for bodies in (1, 64, 4096):
        kc = KenyonExpansion(92, 2000, 7, 0.05, np.random.default_rng(0))
        kc.encode(np.zeros((bodies, 92), np.float32))
        sizes[bodies] = len(kc._remembered_table()[2])
    assert sizes == {1: 128, 64: 8192, 4096: 8192}  # 8 MB hold 10,922 rows of 92 lines and 100 ids: 8,192 slots


def test_non_finite_weights_are_refused_before_anything_changes():
    kc = KenyonExpansion(20, 100, 7, 0.05, np.random.default_rng(6))
    inputs, line_units = kc.inputs.copy(), kc._line_units.copy()
    kc.weights = kc.weights.copy()
    kc.weights[3, 2] = np.inf
    with pytest.raises(ValueError, match="weights must be finite"):
        kc.rebuild()
    np.testing.assert_array_equal(kc.inputs, inputs)
    np.testing.assert_array_equal(kc._line_units, line_units)


def test_wrong_input_width_is_a_clear_error():
    kc = KenyonExpansion(20, 100, 7, 0.05, np.random.default_rng(5))
    with pytest.raises(ValueError, match=r"\(B, 20\) input lines, got shape \(3, 19\)"):
        kc.encode(np.zeros((3, 19), np.float32))


def test_uncompiled_source_gives_the_compiled_code():
    """``NUMBA_DISABLE_JIT=1`` runs the same source as Python: it must pick the same winners, ties included."""
    script = (
        "import numpy as np\n"
        "from brainlike.agents.expansion import KenyonExpansion\n"
        "rng = np.random.default_rng(6)\n"
        "out = []\n"
        "for dim, units, fan_in, frac in [(30, 400, 7, 0.05), (8, 200, 2, 0.1)]:\n"
        "    kc = KenyonExpansion(dim, units, fan_in, frac, rng)\n"
        "    kc.thresholds[3:] = 0.0  # past the first three units, inputless units tie at 0\n"
        "    kc.rebuild()\n"
        "    x = (rng.random((6, dim)) * (rng.random((6, dim)) < 0.4)).astype(np.float32)\n"
        "    x[0] = 0.0\n"
        "    out.append(kc.encode(x))\n"
        "print(repr([o.tolist() for o in out]))\n"
    )
    runs = {}
    for disabled in ("0", "1"):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600,
                              env={**os.environ, "NUMBA_DISABLE_JIT": disabled})
        assert done.returncode == 0, done.stderr
        runs[disabled] = done.stdout
    assert runs["0"] == runs["1"] and runs["0"].startswith("[[[")


def reference_lines(x: np.ndarray, bins: list[int], gain: float) -> np.ndarray:
    """The population code in plain numpy: per column, pass through (0 bins) or one ``gain`` line of ``bins``."""
    parts = []
    for c, n in enumerate(bins):
        col = x[:, c : c + 1]
        if not n:
            parts.append(col)
            continue
        level = np.minimum((np.clip(col, 0.0, 1.0) * n).astype(np.int64), n - 1)
        code = np.zeros(col.shape + (n,), dtype=np.float32)
        np.put_along_axis(code, level[..., None], gain, axis=2)
        parts.append(code.reshape(x.shape[0], -1))
    return np.concatenate(parts, axis=1)


def test_population_lines_are_numpys_one_hot_code():
    rng = np.random.default_rng(7)
    x = rng.uniform(-0.5, 1.5, (40, 6)).astype(np.float32)
    x[0] = [0.0, 1.0, 0.5, 1 / 3, 2 / 3, np.nextafter(np.float32(1.0), np.float32(0.0))]  # bin edges, clipped ends
    bins = [0, 6, 4, 3, 0, 5]
    got = population_lines(x, np.asarray(bins, np.int64), np.float32(4.0), sum(n or 1 for n in bins))
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, reference_lines(x, bins, 4.0))


def mouse_learner():
    import gymnasium as gym

    from brainlike import envs  # noqa: F401
    from brainlike.agents.registry import make_agent

    env = gym.make("brainlike/ForagingMouse-v0")
    agent = make_agent("pattern-separation", env, seed=0)
    obs = env.observation_space.sample()
    return agent, {k: np.stack([v, v * 0.5]) for k, v in obs.items()}


def test_an_agent_codes_each_observation_once_and_again_when_it_changes():
    agent, obs = mouse_learner()
    coded = []
    encode = agent.expansion.encode
    agent.expansion.encode = lambda x: coded.append(x) or encode(x)
    first = agent.encode(obs)
    assert agent.encode({k: v.copy() for k, v in obs.items()}) is first and len(coded) == 1  # equal content: remembered
    obs["exteroception"][1, 0] += 0.25  # changed in place: coded again, as from scratch
    again = agent.encode(obs)
    assert len(coded) == 2
    np.testing.assert_array_equal(again, encode(agent.expansion_input(obs)))
    agent.expansion = KenyonExpansion(agent.expansion.input_dim, 300, 7, 0.05, np.random.default_rng(1))
    assert agent.encode(obs).shape == (2, agent.expansion.k)  # another expansion: its own code, not a remembered one

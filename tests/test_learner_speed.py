"""The learners' speed work: the compiled pattern-separation update is the numpy learner, bit for bit;
training runs on one BLAS thread; perf's timing warms up and interleaves.

The golden trajectories (``tests/learner_golden.py``) were recorded from the numpy
learners before their updates were compiled; the Kenyon learners' (pattern separation,
the thought assessor, cached-value TD) again when their expansion code got an explicit
order (``agents/expansion.kenyon_code``: same winners, ascending ids, so float32 sums
over the active units moved in their last bits).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_info

sys.path.insert(0, str(Path(__file__).parent))
import learner_golden  # noqa: E402

from brainlike.agents.backends import one_blas_thread  # noqa: E402
from brainlike.agents.pattern_separation import mean_of_active  # noqa: E402
from brainlike.agents.three_factor import (  # noqa: E402
    credit_active,
    mean_of_rows,
    sample_actions,
    shifted_logits,
    synapse_rows,
    three_factor_update,
)
from brainlike.agents.throughput import LEARNER_BODIES, check_learners, learning_agents  # noqa: E402
from brainlike.scripts.perf import compare  # noqa: E402

SHORT = 25  # steps of the uncompiled comparison: pure Python is slow


@pytest.mark.parametrize("case", learner_golden.CASES, ids=[f"{c.file}-{c.name}" for c in learner_golden.CASES])
def test_learner_reproduces_its_recording(case):
    golden = np.load(case.golden)
    got = learner_golden.run_case(case)
    assert sorted(k for k in golden.files if k.startswith(f"{case.name}/")) == sorted(f"{case.name}/{k}" for k in got)
    for key, value in got.items():
        ref = golden[f"{case.name}/{key}"]
        assert ref.dtype == value.dtype and np.array_equal(ref, value), f"{case.file}: {case.name}/{key} differs from the recording"


def test_compiled_and_uncompiled_kernels_agree(tmp_path):
    """The same kernel source run by the Python interpreter (NUMBA_DISABLE_JIT=1) gives identical output."""
    out = tmp_path / "uncompiled.npz"
    script = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import numpy as np, learner_golden as g\n"
              f"r = {{f'{{c.file}}/{{c.name}}/{{k}}': v for c in g.CASES for k, v in g.run_case(c, {SHORT}).items()}}\n"
              f"np.savez({str(out)!r}, **r)")
    subprocess.run([sys.executable, "-c", script], check=True, env={**os.environ, "NUMBA_DISABLE_JIT": "1"}, timeout=600)
    uncompiled = np.load(out)
    for case in learner_golden.CASES:
        for key, value in learner_golden.run_case(case, SHORT).items():
            assert np.array_equal(uncompiled[f"{case.file}/{case.name}/{key}"], value), \
                f"{case.file}/{case.name}/{key}: compiled and uncompiled differ"


@pytest.mark.parametrize("k", [1, 7, 8, 9, 100, 128, 129, 300, 1500])
@pytest.mark.parametrize("outputs", [1, 2, 5, 10])
@pytest.mark.parametrize("bodies", [1, 7, 8])
def test_mean_of_active_is_numpys_mean_bit_for_bit(k, outputs, bodies):
    # numpy sums one column pairwise (halving past 128) and several columns in order;
    # the compiled one sums four bodies side by side, then the rest one by one.
    rng = np.random.default_rng(k * 10 + outputs)
    weights = rng.normal(size=(3000, outputs)).astype(np.float32)
    ids = rng.integers(0, 3000, (bodies, k))
    assert np.array_equal(mean_of_active(weights, ids), weights[ids].mean(axis=1))


@pytest.mark.parametrize("k", [1, 2, 100, 300])
@pytest.mark.parametrize("actions", [2, 5, 8, 9])  # one block of eight lanes, a full one, two
def test_the_actor_read_by_whole_rows_is_numpys_mean_bit_for_bit(k, actions):
    rng = np.random.default_rng(k * 10 + actions)
    actor = rng.normal(size=(3000, actions)).astype(np.float32)
    synapses = synapse_rows(actor, rng.normal(size=(3000, 1)).astype(np.float32))
    ids = rng.integers(0, 3000, (9, k))
    assert np.array_equal(mean_of_rows(synapses, actions, ids).view(np.uint32), actor[ids].mean(axis=1).view(np.uint32))


@pytest.mark.parametrize("outputs", [1, 3, 10])
def test_credit_active_is_the_numpy_mean_over_bodies_bit_for_bit(outputs):
    # The numpy rule it replaced: counts by bincount, changes divided by them, np.add.at in entry order.
    rng = np.random.default_rng(outputs)
    weights = rng.normal(size=(300, outputs)).astype(np.float32)
    ids = rng.integers(0, 300, (16, 20))  # 320 entries on 300 units: many shared
    change = rng.normal(size=(16, outputs)).astype(np.float32)
    expected = weights.copy()
    flat = ids.reshape(-1)
    counts = np.bincount(flat, minlength=300).astype(np.float32)
    values = np.repeat(change, ids.shape[1], axis=0) / counts[flat][:, None]
    np.add.at(expected.reshape(-1), (flat[:, None] * outputs + np.arange(outputs)).ravel(), values.ravel())
    credit_active(weights, ids, change)
    assert np.array_equal(weights, expected)


@pytest.mark.parametrize("actions", [4, 9])  # rows of one SIMD block (8 lanes) and of two (16)
@pytest.mark.parametrize("actor_gain", [1.0, 0.37, 2.5])
@pytest.mark.parametrize("magnitude", [1.0, 1e-36, 1e-43])
def test_the_three_factor_update_divides_as_float32_bit_for_bit(actor_gain, magnitude, actions):
    # The rule as first compiled: post x decay**age x signal / count (/ gain), every operation a float32 one.
    # Tiny magnitudes make quotients near and among the subnormals, where the update must divide.
    rng = np.random.default_rng(int(actor_gain * 100) + int(-np.log10(magnitude)) + actions)
    length, bodies, k = 3, 9, 20
    actor = rng.normal(scale=magnitude, size=(60, actions)).astype(np.float32)
    critic = rng.normal(scale=magnitude, size=(60, 1)).astype(np.float32)
    ids = np.sort(rng.permuted(np.tile(np.arange(60), (length * bodies, 1)), axis=1)[:, :k], axis=1).reshape(length, bodies, k)
    post = (rng.normal(size=(length, bodies, actions + 1)) * magnitude).astype(np.float32)
    post[0, 2] = 0.0  # an invalid body's entry
    post[1, 3, 1] = -0.0
    trace_weights = (0.7 ** np.arange(length)).astype(np.float32)
    signal = rng.normal(size=bodies).astype(np.float32)
    gain, head = np.float32(actor_gain), 1
    expected_actor, expected_critic = actor.copy(), critic.copy()
    counts = np.bincount(ids.ravel(), minlength=60).astype(np.float32)
    for age in range(length):
        l = (head + age) % length
        for b in range(bodies):
            scale = trace_weights[age] * signal[b]
            for unit in ids[l, b]:
                for o in range(actions):
                    change = post[l, b, o] * scale / counts[unit]
                    expected_actor[unit, o] += change / gain if gain != 1 else change
                expected_critic[unit, 0] += post[l, b, actions] * scale / counts[unit]
    synapses = synapse_rows(actor, critic)
    three_factor_update(synapses, actions, ids, post, head, trace_weights, signal, gain)
    assert np.array_equal(synapses[:, :actions].view(np.uint32), expected_actor.view(np.uint32))
    assert np.array_equal(synapses[:, actions:actions + 1].view(np.uint32), expected_critic.view(np.uint32))
    assert not synapses[:, actions + 1:].view(np.uint32).any(), "the padding lanes must stay +0"


def test_the_three_factor_update_divides_where_a_reciprocal_would_round_otherwise():
    # 147 x 2**-149 / 98 is a midpoint between two subnormal float32s: the division rounds it to even,
    # a float64 reciprocal (a hair off 1 / 98) to the other side. One unit in all 2 x 49 entries: count 98.
    numerator = np.float32(147 * 2.0**-149)
    assert (numerator / np.float32(98)) != np.float32(np.float64(numerator) * (1 / 98.0))
    length, bodies, actions = 2, 49, 2
    actor, critic = np.zeros((3, actions), np.float32), np.zeros((3, 1), np.float32)
    ids = np.zeros((length, bodies, 1), dtype=np.int64)
    post = np.full((length, bodies, actions + 1), numerator, dtype=np.float32)
    synapses = synapse_rows(actor, critic)
    three_factor_update(synapses, actions, ids, post, 0, np.ones(length, np.float32), np.ones(bodies, np.float32), np.float32(1.0))
    expected = np.float32(0.0)
    for _ in range(length * bodies):
        expected += numerator / np.float32(98)
    assert np.array_equal(synapses[0, :actions], [expected, expected]) and synapses[0, actions] == expected


def test_a_float64_reciprocal_gives_the_float32_quotient_of_normal_results():
    # What three_factor_update relies on, over random float32s (every exponent) and divisors: whole counts and gains.
    rng = np.random.default_rng(0)
    x = rng.integers(0, 2**32, size=400_000, dtype=np.uint64).astype(np.uint32).view(np.float32)
    x = x[np.isfinite(x)]
    divisors = np.concatenate([np.arange(1, 300), rng.uniform(1e-6, 10, 200), rng.uniform(0, 1, 100) ** 8]).astype(np.float32)
    with np.errstate(over="ignore", under="ignore"):
        for d in divisors[divisors > 0]:
            exact = x / d
            by_reciprocal = (x.astype(np.float64) * (1.0 / np.float64(d))).astype(np.float32)
            normal = np.abs(exact.astype(np.float64)) >= 2.0**-125
            assert np.array_equal(by_reciprocal[normal].view(np.uint32), exact[normal].view(np.uint32)), d


@pytest.mark.parametrize("num_actions", [2, 5, 7])
def test_the_softmax_draw_is_numpys_bit_for_bit(num_actions):
    # The numpy act it replaced: z = logits / T, minus each row's max; cdf by cumsum; u x cdf[-1] against the cdf.
    rng = np.random.default_rng(num_actions)
    logits = rng.normal(size=(200, num_actions)).astype(np.float32)
    logits[:20] = 0.0  # ties, as at birth
    logits[20:40, 0] = 30.0  # one action certain
    temperature = 0.5
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    assert np.array_equal(shifted_logits(logits, np.float32(temperature)).view(np.uint32), z.view(np.uint32))
    p = np.exp(z)
    policy = p / p.sum(axis=1, keepdims=True)
    u = rng.random(200)
    u[:5] = np.nextafter(1.0, 0.0)  # the top of [0, 1): the clamp to the last action
    cdf = np.cumsum(policy, axis=1)
    expected = np.minimum((u[:, None] * cdf[:, -1:] > cdf).sum(axis=1), num_actions - 1)
    assert np.array_equal(sample_actions(policy, u), expected)


def blas_threads() -> list[int]:
    return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]


def test_one_blas_thread_inside_and_the_former_limit_after():
    before = blas_threads()
    with one_blas_thread():
        assert blas_threads() and all(n == 1 for n in blas_threads())
    assert blas_threads() == before


def test_the_training_loop_runs_on_one_blas_thread():
    from brainlike.agents.registry import make_agent
    from brainlike.agents.training import make_vec_env, train

    seen: list[list[int]] = []
    agent = make_agent("pattern-separation", make_vec_env("brainlike/ForagingMouse-v0", 4), seed=0)
    train(agent, "brainlike/ForagingMouse-v0", total_steps=64, num_envs=4, eval_every=32, eval_episodes=2,
          progress=False, callback=lambda row: seen.append(blas_threads()))
    assert len(seen) >= 2 and all(threads and set(threads) == {1} for threads in seen)


def test_every_learning_agent_has_a_body_to_be_timed_on_and_every_body_a_learner():
    from brainlike import envs

    assert set(learning_agents()) == set(LEARNER_BODIES)
    assert {body for bodies in LEARNER_BODIES.values() for body in bodies} == set(envs.BODIES)
    assert not {"random", "innate-only", "licking"} & set(learning_agents())
    with pytest.raises(ValueError, match="not learning agents: \\['random'\\]"):
        check_learners(["pattern-separation", "random"])


def test_ppo_is_timed_as_a_user_trains_it_with_the_bodys_zoo_entry_on_one_torch_thread():
    import torch

    from brainlike.agents.hyperparams import sb3_hyperparams
    from brainlike.agents.throughput import ppo_work

    zoo = sb3_hyperparams("ppo", "brainlike/SaltRat-v0")
    threads = torch.get_num_threads()
    try:
        work = ppo_work("brainlike/SaltRat-v0")
        assert torch.get_num_threads() == 1
        # One unit is one rollout of the zoo's n_steps on each of its n_envs bodies (and its update).
        assert work() == zoo["n_steps"] * zoo["n_envs"] != 2048
    finally:
        torch.set_num_threads(threads)


def test_perf_compare_warms_up_before_timing_and_alternates_the_sides():
    calls: list[str] = []

    def work(side: str, cold: list[bool]) -> int:
        calls.append(side)
        if cold[0]:  # a cold compile: slow once, then fast
            cold[0] = False
            time.sleep(0.5)
        time.sleep(0.001)
        return 1

    body_cold, reference_cold = [True], [False]
    r = compare(lambda: work("body", body_cold), lambda: work("reference", reference_cold), repeats=3, seconds=0.05)
    # Timing the cold call would put the body far below the reference (0.05 s slices against a 0.5 s compile).
    assert 0.5 < r["ratio"] < 2.0, r
    sides = [side for i, side in enumerate(calls) if i == 0 or calls[i - 1] != side]
    assert sides == ["reference", "body"] * 4  # the warm-up pair, then three interleaved pairs


def test_without_a_writable_cache_the_learners_compile_in_memory_with_one_notice():
    # As tests/test_kernels.py does for the bodies: numba without cache locators refuses
    # ``cache=True`` at decoration time; importing the learners must still work.
    code = ("import numba.core.caching as caching\n"
            "caching.CacheImpl._locator_classes = []\n"
            "import numpy as np\n"
            "import brainlike.agents.registry\n"
            "from brainlike.agents.three_factor import mean_of_active\n"
            "print(mean_of_active(np.arange(10, dtype=np.float32).reshape(5, 2), np.array([[1, 3]]))[0, 1])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "5.0"  # the mean of 3 and 7
    notices = [line for line in done.stderr.splitlines() if "compiling in memory" in line]
    assert len(notices) == 1, done.stderr

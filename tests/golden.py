"""Golden trajectories: the numbers each body gave before a refactor, to test it against.

``python tests/golden.py`` records them (run it on the commit whose numbers are the
reference); ``tests/test_contract.py`` replays the same seeds and actions and
requires bit-identical observations, rewards, reward components and flags. Only the
public Gymnasium API is used, so a recording outlives any change of internals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np

GOLDEN_DIR = Path(__file__).parent / "golden"
STEPS = 400
NUM_ENVS = 3

#: (name, env id, kwargs): each body in a setting that exercises its events
#: (mouse looms, captures and starvation; rat depletions; songbird distortion;
#: resident wins, defeats and attacks).
CASES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("mouse", "brainlike/ForagingMouse-v0", {"predator_rate": 0.05, "sweep_rate": 0.05, "lethal_capture": True, "loom_contrast": (0.3, 1.0)}),
    ("rat", "brainlike/SaltRat-v0", {"protocol": "sensitization", "max_episode_steps": 150}),
    ("songbird", "brainlike/SongbirdTutor-v0", {"feedback_syllable": 1, "feedback_probability": 0.5}),
    # Short lives of three short encounters, aggressors often: wins, defeats, reflex attacks, withheld attacks.
    ("resident", "brainlike/ResidentIntruder-v0", {"days": 3, "encounter_steps": 40, "intruder_mix": (0.5, 0.1, 0.4), "expose_testosterone": True}),
)

def _flat(obs: Any) -> np.ndarray:
    """A vector env's (bodies, ...) observation as one (bodies, d) float array."""
    if isinstance(obs, dict):
        return np.concatenate([np.asarray(obs["exteroception"]), np.asarray(obs["interoception"])], axis=1)
    return np.asarray(obs)


def _actions(space: gym.Space, steps: int, seed: int) -> np.ndarray:
    space.seed(seed)
    return np.stack([np.asarray(space.sample()) for _ in range(steps)])


def run_vector(env_id: str, kwargs: dict[str, Any], info_keys: tuple[str, ...] = (), actions: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """A vector env of NUM_ENVS bodies, seeded 7, driven by seeded random actions (or ``actions``, (steps, bodies, ...)),
    recording ``info[k]`` for ``info_keys`` (``"owl.kind"``: ``info["owl"]["kind"]``)."""
    env = gym.make_vec(env_id, num_envs=NUM_ENVS, vectorization_mode="vector_entry_point", **kwargs)
    actions = _actions(env.action_space, STEPS, 11) if actions is None else actions
    obs, _ = env.reset(seed=7)
    rec: dict[str, list[np.ndarray]] = {"obs": [_flat(obs)], "reward": [], "terminated": [], "truncated": [], "executed": [], "components": [],
                                        **{f"info_{k}": [] for k in info_keys}}
    for a in actions:
        obs, r, term, trunc, info = env.step(a)
        rec["obs"].append(_flat(obs))
        rec["reward"].append(np.asarray(r, dtype=np.float64))
        rec["terminated"].append(term)
        rec["truncated"].append(trunc)
        rec["executed"].append(np.asarray(info["executed_action"], dtype=np.float64).reshape(NUM_ENVS, -1))
        comps = info["steering"]["components"]
        rec["components"].append(np.stack([np.asarray(comps[k], dtype=np.float64) for k in sorted(comps)], axis=1))
        for k in info_keys:
            value = info
            for part in k.split("."):
                value = value[part]
            rec[f"info_{k}"].append(np.array(value))
    env.close()
    return {k: np.stack(v) for k, v in rec.items()}


#: Eyeblink's cases, replayed by tests/test_kernels_eyeblink.py with its ``info`` entries too (the
#: experimenter's clock and the climbing fibre): short trials, so that lives end inside the recording;
#: probes, tone B, two intervals, extinction; trace conditioning in the discrete vocabulary with a
#: weak puff that triggers the blink only once the cornea has been sensitized.
EYEBLINK = "brainlike/Eyeblink-v0"
EYEBLINK_INFO = ("climbing_fibre", "period", "trial_kind", "since_tone_ms", "isi_ms", "session", "trial", "phase", "reflex_overrode")


def _eyeblink_cases() -> tuple[tuple[str, str, dict[str, Any]], ...]:
    from brainlike.steering.eyelid import EyelidSteering

    return (
        ("eyeblink", EYEBLINK, {"isi_ms": [100.0, 250.0], "probe_fraction": 0.2, "cs_minus_fraction": 0.2, "trials_per_session": 1,
                                "phases": (("acquisition", 1), ("extinction", 1)), "pre_tone_ms": (50.0, 100.0), "after_ms": 50.0}),
        ("eyeblink-trace-discrete", EYEBLINK, {"conditioning": "trace", "trace_tone_ms": 50.0, "isi_ms": 150.0, "action_mode": "discrete",
                                               "steering": EyelidSteering(closure_cost=0.1, puff_threshold=0.5, sensitization=0.2),
                                               "puff_intensity": 0.4, "trials_per_session": 2, "pre_tone_ms": (20.0, 60.0),
                                               "after_ms": 40.0, "max_episode_steps": 170}),
    )


def assert_as_recorded(name: str, now: dict[str, np.ndarray]) -> Any:
    """Require ``now`` (``run_vector``'s record) to equal golden trajectory ``name`` bit for bit; return the golden one."""
    golden = np.load(GOLDEN_DIR / f"{name}.npz")
    assert set(golden.files) <= set(now), f"{name}: {sorted(set(golden.files) - set(now))} not recorded now"
    # On an autoreset step a body's action is ignored; main reported "stay" there only
    # because the reset wrote into the info array it had returned (defect 2), so the
    # executed action of those steps is not part of the reference.
    ended = golden["terminated"] | golden["truncated"]
    restart = np.concatenate([np.zeros_like(ended[:1]), ended[:-1]])
    for key in golden.files:
        want, got = golden[key], now[key]
        if key == "executed":
            want, got = want[~restart], got[~restart]
        np.testing.assert_array_equal(got, want, err_msg=f"{name}: {key} moved")
    return golden


def record(names: list[str]) -> None:
    """Record the cases named (all if none): a body's reference is recorded once, before its refactor."""
    import brainlike.envs  # noqa: F401  (registers the bodies)

    GOLDEN_DIR.mkdir(exist_ok=True)
    cases = [(c, ()) for c in CASES] + [(c, EYEBLINK_INFO) for c in _eyeblink_cases()]
    for (name, env_id, kwargs), info_keys in cases:
        if not names or name in names:
            np.savez_compressed(GOLDEN_DIR / f"{name}.npz", **run_vector(env_id, kwargs, info_keys))
            print(f"recorded {name}")
    for name, kwargs in owl_cases().items():
        if not names or name in names:
            np.savez_compressed(GOLDEN_DIR / f"{name}.npz", **run_owl(kwargs))
            print(f"recorded {name}")


#: BarnOwl's cases, replayed by tests/test_kernels_owl.py with every ``info["owl"]`` entry: short days
#: (the age, and with it the rule's rate and the prisms' protocol, moves within the recording) and
#: mostly idle actions, so that the orienting and corrective reflexes steer and the maps realign.
OWL = "brainlike/BarnOwl-v0"
OWL_INFO = ("reflex_overrode", "owl.kind", "owl.target_deg", "owl.saccade", "owl.turn_deg", "owl.orient_error_deg",
            "owl.strike_error_deg", "owl.prism_deg", "owl.age_days", "owl.auditory_shift_deg")


def owl_cases() -> dict[str, dict[str, Any]]:
    from brainlike.steering.owl import OwlSteering

    return {
        # Prisms on, stepped and removed by age, in juveniles near the end of the sensitive period.
        "owl": {"prisms": 23.0, "prism_protocol": ((190.5, 11.0), (191.0, 0.0)), "age_days": 190.0, "trials_per_day": 40},
        # Vertical prisms, a topographic map with a lesioned bin, more silent and dark trials, shorter lives, flat observations.
        "owl-vertical-topographic": {"vertical_prisms": -12.0, "prisms": -8.0, "trial_mix": (0.4, 0.3, 0.3), "max_episode_steps": 150,
                                     "steering": OwlSteering(topographic_bins=7, lesioned_bins=(3,), adult_reach_deg=9.0),
                                     "observation_mode": "flat", "age_days": 60.0},
        "owl-blind": {"vision": "blind", "prisms": 23.0, "max_episode_steps": 130},
        "owl-frozen-no-reflexes": {"reflexes": False, "steering": OwlSteering(plastic=False), "prisms": -34.0, "max_episode_steps": 170},
    }


def owl_actions(steps: int = STEPS, seed: int = 11) -> np.ndarray:
    """(steps, bodies, 2) head turns: idle on about 70% of steps (the reflexes steer), random elsewhere."""
    rng = np.random.default_rng(seed)
    turns = rng.uniform(-1.0, 1.0, (steps, NUM_ENVS, 2)).astype(np.float32)
    idle = rng.random((steps, NUM_ENVS)) < 0.7
    turns[idle] = 0.0
    return turns


def run_owl(kwargs: dict[str, Any]) -> dict[str, np.ndarray]:
    """``run_vector`` for an owl case: its actions and every ``info["owl"]`` entry."""
    import copy

    return run_vector(OWL, copy.deepcopy(kwargs), OWL_INFO, owl_actions())


if __name__ == "__main__":
    import sys

    record(sys.argv[1:])

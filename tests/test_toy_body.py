"""A new body through the public extension points only: the proof of docs/adding-a-body.md.

``Eye`` is a toy eyeblink preparation: now and then a puff of air is aimed at
the eye; the eyelid's closure is a *continuous* action in [0, 1]; an innate
blink reflex closes the lid fully when a strong puff is sensed, taking over the
continuous action. Nothing in ``envs/``, ``agents/`` or ``scripts/`` knows it,
yet once registered it is in everything the agent side discovers: the
experiments (``toy-blink``, defined below), the property tests' settings, the
runner (PPO without an rl-zoo3 entry), the benchmark and the main job's plan.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np
import pytest
from gymnasium import spaces
from gymnasium.envs.registration import register, registry

from brainlike.envs import Body, BodyEnv, BodyVectorEnv, Layout, StateVar, check_arguments
from brainlike.envs.contract import real
from brainlike.agents.experiments.base import Criterion, Experiment, ExperimentResult
from brainlike.envs.profile import BodyProfile, body_ids, profile_for
from brainlike.steering import InnateParameters, Reflex, ReflexTakeover, RewardLesion, Steering, SteeringOutput
from tests import test_envs as every_body
from tests import test_properties as every_property
from tests.test_properties import assert_vector_matches_single


# --- steering: the contract's records, a reflex with an enum reason, the evaluation --------
@dataclass(frozen=True, slots=True)
class EyeSenses:
    puff: np.ndarray  # (bodies,) strength of the puff aimed at the eye, 0 for none


@dataclass(frozen=True, slots=True)
class EyeEvents:
    hit: np.ndarray  # (bodies,) how much of the puff reached the cornea
    closure: np.ndarray  # (bodies,) how closed the lid was


class BlinkReason(IntEnum):
    BLINK = 0


class BlinkReflex(Reflex[EyeSenses]):
    """A strong puff -> shut the lid (command 1), for one step: a continuous action taken over."""

    name = "blink"
    reasons = BlinkReason

    def trigger(self, senses: EyeSenses, params: InnateParameters) -> np.ndarray:
        return senses.puff > params["blink_threshold"][:, 0]

    def motor_program(self, senses: EyeSenses, params: InnateParameters) -> tuple[np.ndarray, np.ndarray]:
        n = senses.puff.shape[0]
        return np.ones((n, 1)), np.full(n, BlinkReason.BLINK, dtype=np.int64)


class EyeSteering(Steering[EyeSenses, EyeEvents]):
    """A puff on the cornea stings; a closed lid costs a little sight."""

    def __init__(self, blink_threshold: float = 0.6) -> None:
        super().__init__()
        self.parameters = InnateParameters({"blink_threshold": blink_threshold})
        self.reflexes = (BlinkReflex(duration=1),)

    def evaluate(self, events: EyeEvents, reflex: ReflexTakeover) -> SteeringOutput:
        sting, dark = -events.hit, -0.05 * events.closure
        return SteeringOutput(reward=sting + dark, components={"sting": sting, "dark": dark},
                              drives={}, reflex=reflex, reason_names=self.reason_names)


# --- the body: arguments, layout, state table, senses, physics, observation ---------------
LAYOUT = Layout(exteroception=Layout.groups("puff", "closure"), interoception=Layout.groups("sting"), actions=("closure",))


class EyeBody(Body[EyeSenses, EyeEvents]):
    default_steering = EyeSteering
    randoms_per_step = 2  # puff onset, puff strength

    def __init__(self, num_bodies: int = 1, steering: Steering[Any, Any] | None = None, reflexes: bool = True,
                 observation_mode: str = "dict", max_episode_steps: int | None = None, puff_rate: float = 0.3) -> None:
        check_arguments({"puff_rate": (puff_rate, real(puff_rate) and 0 <= puff_rate <= 1, "a probability in [0, 1]")})
        super().__init__(num_bodies, steering, reflexes, observation_mode, max_episode_steps)
        self.puff_rate = float(puff_rate)
        self._build(LAYOUT, spaces.Box(0.0, 1.0, (2,), np.float32), spaces.Box(0.0, 1.0, (1,), np.float32),
                    spaces.Box(-1.0, 1.0, (1,), np.float32))
        self.canvas_size = (64, 64)

    def state_table(self) -> dict[str, Any]:
        return {"puff": StateVar(), "closure": StateVar(), "sting": StateVar()}

    def senses(self) -> EyeSenses:
        return EyeSenses(self.puff)

    def _physics(self, takeover: ReflexTakeover, u: np.ndarray) -> tuple[EyeEvents, np.ndarray, dict[str, Any]]:
        self.closure = (takeover.executed[:, 0] + 1.0) / 2.0  # the lid command: -1 open, 1 shut
        hit = self.puff * (1.0 - self.closure)
        self.sting = hit
        self.puff = np.where(u[:, 0] < self.puff_rate, u[:, 1], 0.0)
        return EyeEvents(hit, self.closure), np.zeros(self.num_bodies, dtype=bool), {}

    def _observe(self) -> tuple[np.ndarray, np.ndarray]:
        extero = np.stack([self.puff, self.closure], axis=1).astype(np.float32)
        return extero, self.sting[:, None].astype(np.float32)

    def render_body(self, i: int, canvas: Any) -> None:
        shade = int(255 * (1.0 - self.closure[i]))  # the lid: dark when shut
        canvas.surface.fill((shade, shade, shade))


class EyeEnv(BodyEnv):
    """Toy eyeblink.

    Observation: ``puff`` (the puff aimed at the eye), ``closure`` (the lid's
    last closure); interoception ``sting``. Action: the lid command, -1 open to 1 shut.
    """

    body_class = EyeBody


class EyeVectorEnv(BodyVectorEnv):
    body_class = EyeBody


ID = "toy/Eye-v0"


def register_the_toy() -> None:
    """The one registration line a new body needs (a user's package runs it at import)."""
    register(id=ID, entry_point=EyeEnv, vector_entry_point=EyeVectorEnv, max_episode_steps=40)


@pytest.fixture(autouse=True, scope="module")
def _registered() -> Iterator[None]:
    """Registered while this module's tests run, so the rest of the suite sees the bundled bodies alone."""
    if ID not in registry:
        register_the_toy()
    yield
    registry.pop(ID, None)


# --- the toy's experiment, beside it (its profile names this module) ----------------------
def _blink_protects_the_eye(budget: str, seed: int, out_dir: Path) -> ExperimentResult:
    """Under a puff every step, the blink reflex keeps most of the air off the cornea."""
    steps = 40 if budget == "small" else 400
    sting = {}
    for reflexes in (True, False):
        env = gym.make(ID, puff_rate=1.0, reflexes=reflexes)
        env.reset(seed=seed)
        sting[reflexes] = -sum(env.step(np.array([-1.0], np.float32))[4]["steering"]["components"]["sting"]
                               for _ in range(steps))
    ratio = sting[True] / sting[False]
    return ExperimentResult("toy-blink", budget, seed,
                            [Criterion("sting with the reflex / without", ratio, "< 1", bool(ratio < 1.0))],
                            data={"sting": {str(k): v for k, v in sting.items()}})


EXPERIMENTS = [Experiment("toy-blink", ID, "a toy eyeblink", "", ("toy",),
                          "The innate blink keeps a puff off the cornea.", _blink_protects_the_eye)]

# What the agent side needs to know about the body, found through the registry (its module's PROFILE).
PROFILE = BodyProfile(
    env_id=ID,
    learner_defaults={"pattern-separation": {"num_units": 200, "fan_in": 2}},  # three input lines
    sb3_algorithms=("ppo",),  # no entry in the package's rl-zoo3 files: the documented UNTUNED defaults
    benchmark_steps=400,
    demo_steps=400,
    showcase_agent="pattern-separation",
    experiments=("toy-blink",),
    experiments_module=__name__,
    property_settings=({"puff_rate": 1.0},),  # a puff every step: the reflex takes over often
)


# --- what every body gets for free ----------------------------------------------------
@pytest.mark.parametrize("check", ["test_gymnasium_check_env", "test_sb3_check_env", "test_same_seed_same_actions_same_everything"])
def test_the_checks_every_registered_body_passes(check):
    getattr(every_body, check)(ID)  # the same test functions tests/test_envs.py runs on each registered id


@pytest.mark.parametrize("s, n", [(0, 1), (3, 4)])
def test_vector_body_i_is_a_single_env_seeded_s_plus_i(s, n):
    assert_vector_matches_single(ID, {}, s, n, limit=7, action_seed=s)


def test_the_layout_reads_by_name():
    env = gym.make(ID)
    obs, _ = env.reset(seed=0)
    assert env.unwrapped.layout.read(obs, "closure") == 0.0


# --- the reflex takes over a continuous action -----------------------------------------
def test_the_blink_reflex_takes_over_the_continuous_eyelid():
    env = gym.make(ID, puff_rate=1.0)
    env.reset(seed=0)
    blinks = 0
    for _ in range(40):
        puff = float(env.unwrapped.body.puff[0])
        _, reward, _, _, info = env.step(np.array([-0.5], np.float32))
        if puff > 0.6:
            blinks += 1
            assert info["reflex_overrode"]
            np.testing.assert_array_equal(info["executed_action"], [1.0])
            np.testing.assert_array_equal(info["steering"]["reflex_action"], [1.0])
            assert info["steering"]["reflex"] == "blink"
            assert reward == pytest.approx(-0.05)  # the lid was shut: no sting
        else:
            assert not info["reflex_overrode"] and info["steering"]["reflex_action"] is None
            np.testing.assert_array_equal(info["executed_action"], [-0.5])
    assert blinks > 5


def test_a_reflex_lesion_and_a_reward_lesion_of_the_toy():
    env = gym.make(ID, puff_rate=1.0, reflexes=False)
    env.reset(seed=0)
    assert not any(env.step(np.array([-1.0], np.float32))[4]["reflex_overrode"] for _ in range(30))
    lesioned = gym.make(ID, steering=RewardLesion(EyeSteering()), puff_rate=1.0)
    lesioned.reset(seed=0)
    steps = [lesioned.step(np.array([-1.0], np.float32)) for _ in range(30)]
    assert all(r == 0.0 for _, r, *_ in steps) and any(info["reflex_overrode"] for *_, info in steps)


def test_another_species_steering_is_refused():
    from brainlike.steering import MouseSteering

    with pytest.raises(TypeError, match="EyeSteering"):
        gym.make(ID, steering=MouseSteering())


# --- the agent side, untouched: the runner, one learner, one SB3 baseline, the benchmark ----
def test_the_profile_is_found_through_the_registry():
    assert profile_for(ID) is PROFILE


@pytest.mark.parametrize("agent", ["pattern-separation", "ppo"])
def test_the_runner_trains_a_learner_and_an_sb3_baseline_on_the_toy(agent, tmp_path):
    from brainlike.agents.runner import build_agent, load_agent, save_agent, train_agent

    learner = build_agent(agent, ID, seed=0, **({"n_steps": 64, "batch_size": 32} if agent == "ppo" else {}))
    if agent == "pattern-separation":
        assert learner.config["num_units"] == 200  # the profile's default reached the learner
    history = train_agent(learner, ID, total_steps=256, eval_every=128, eval_episodes=2, progress=False)
    assert history[0]["env_steps"] == 0 and history[-1]["env_steps"] >= 256
    assert all(np.isfinite(h["mean_return"]) for h in history)
    save_agent(learner, tmp_path / "eye")
    assert type(load_agent(tmp_path / "eye")) is type(learner)


def test_the_benchmark_runs_the_toy(tmp_path):
    from brainlike.agents.benchmark import finish, make_jobs, run_jobs

    jobs = make_jobs(["pattern-separation", "random"], [ID], [0], evals=2, eval_episodes=2)
    assert [j.steps for j in jobs] == [PROFILE.benchmark_steps] * 2
    assert run_jobs(jobs, tmp_path, workers=1, progress=False) == {}
    result = finish(tmp_path, jobs, {})
    assert {r["agent"] for r in result["rows"]} == {"pattern-separation", "random"}


# --- what the agent side discovers: no table outside tests/ names the toy ------------------
def test_the_toy_joins_the_experiments_while_it_is_registered(tmp_path, monkeypatch):
    from brainlike.agents.experiments import EXPERIMENTS as REGISTRY
    from brainlike.agents.experiments import get_experiment

    assert REGISTRY["toy-blink"] is EXPERIMENTS[0]
    result = get_experiment("toy-blink").execute("small", 0, tmp_path)
    assert result.passed and result.criteria[0].measured < 1.0
    monkeypatch.delitem(registry, ID)  # unregistered: neither the body nor its experiment is found
    assert ID not in body_ids() and "toy-blink" not in REGISTRY


def test_the_property_tests_settings_include_the_toy_and_it_keeps_them():
    mine = [(i, k) for i, k in every_property.property_settings() if i == ID]
    assert mine == [(ID, {}), (ID, {"puff_rate": 1.0})]
    for env_id, kwargs in mine:  # the same hypothesis properties every bundled body is run through
        every_property.test_vector_body_i_is_a_single_env_seeded_s_plus_i(env_id=env_id, kwargs=kwargs)
        every_property.test_observations_in_space_rewards_finite_and_the_sum_of_their_components(env_id=env_id, kwargs=kwargs)
        every_property.test_a_pickled_copy_lives_the_same_life(env_id=env_id, kwargs=kwargs)
        every_property.test_a_bad_call_leaves_the_env_as_its_twin(env_id=env_id, kwargs=kwargs)


def test_ppo_without_an_rl_zoo_entry_runs_the_documented_untuned_defaults():
    from brainlike.agents.baselines import SB3Agent
    from brainlike.agents.hyperparams import UNTUNED, sb3_bodies, sb3_hyperparams
    from brainlike.agents.runner import algo_bodies

    assert ID not in sb3_bodies("ppo") and ID in algo_bodies("ppo")
    assert sb3_hyperparams("ppo", ID) == dict(UNTUNED)
    agent = SB3Agent("ppo", ID, seed=0)
    assert agent.model.n_envs == 1 and type(agent.model.policy).__name__ == "MultiInputActorCriticPolicy"
    with pytest.raises(ValueError, match="'sac' is not a baseline for toy/Eye-v0"):
        sb3_hyperparams("sac", ID)


def test_the_main_job_plans_the_toy():
    from brainlike.scripts import demo

    assert "toy-blink" in demo.main_job_experiments()
    plan = demo.plan_main_job(None, ["toy-blink"], [0], seed=0)
    assert ID in plan.bodies
    toy_agents = {j.agent for j in plan.jobs if j.body == ID}
    assert {"ppo", PROFILE.showcase_agent, "random"} <= toy_agents
    assert {j.steps for j in plan.jobs if j.body == ID} == {1000}  # the plan's floor over demo_steps=400
    assert [(t.name, t.budget) for t in plan.experiments] == [("toy-blink", PROFILE.demo_experiment_budget)]

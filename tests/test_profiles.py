"""Every registered body declares its agent side once, in a complete BodyProfile, found from the registry."""

from __future__ import annotations

import pytest

from brainlike import envs
from brainlike.agents.experiments import EXPERIMENTS
from brainlike.agents.hyperparams import UNTUNED, sb3_bodies, sb3_hyperparams, zoo_algorithms
from brainlike.agents.registry import AGENTS, default_hyperparameters, training_bodies
from brainlike.agents.runner import agent_names
from brainlike.envs.profile import BodyProfile, body_ids, profile_for


@pytest.mark.parametrize("env_id", envs.ENV_IDS)
def test_every_registered_body_has_a_complete_profile(env_id):
    """Parametrised by id, so a body without a (complete) profile fails by name; nothing is skipped."""
    p = profile_for(env_id)
    assert isinstance(p, BodyProfile)
    assert p.env_id in envs.ENV_IDS and env_id.replace("Flat-v0", "-v0") == p.env_id
    assert p.benchmark_steps >= 1 and p.demo_steps >= 1
    assert p.showcase_agent in AGENTS, f"{env_id}: showcase agent {p.showcase_agent!r} is not registered"
    assert set(p.learner_defaults) <= set(AGENTS), f"{env_id}: defaults for unknown agents"
    assert set(p.training_bodies) <= set(AGENTS)
    assert p.experiments, f"{env_id}: no experiments named"
    for name in p.experiments:
        assert name in EXPERIMENTS, f"{env_id}: unknown experiment {name!r}"
        assert EXPERIMENTS[name].body == p.env_id, f"{name} runs on {EXPERIMENTS[name].body}, not {p.env_id}"
    assert p.sb3_algorithms, f"{env_id}: no SB3 baseline named"
    assert {a for a in zoo_algorithms() if p.env_id in sb3_bodies(a)} <= set(p.sb3_algorithms), \
        f"{env_id}: the shipped rl-zoo3 files tune a baseline its profile does not name"
    for algo in p.sb3_algorithms:  # tuned by its file, or run with the documented untuned defaults
        expected = dict(UNTUNED) if p.env_id not in sb3_bodies(algo) else {}
        assert expected.items() <= sb3_hyperparams(algo, env_id).items()


def test_every_experiment_belongs_to_a_body_profile():
    named = {e for b in body_ids() for e in profile_for(b).experiments}
    assert named == set(EXPERIMENTS)


def test_experiments_are_discovered_and_a_name_is_defined_once(monkeypatch):
    import dataclasses
    import sys
    import types

    from brainlike.agents.experiments import ExperimentRegistry, mouse

    found = ExperimentRegistry()
    assert {e.name for e in mouse.EXPERIMENTS} <= set(found)  # the package's modules: no list to edit
    impostor = types.ModuleType("impostor_experiments")
    impostor.EXPERIMENTS = [dataclasses.replace(mouse.EXPERIMENTS[0], summary="another protocol")]
    monkeypatch.setitem(sys.modules, "impostor_experiments", impostor)
    with pytest.raises(ValueError, match=r"'first-loom' is defined twice: .*experiments\.mouse and in impostor_experiments"):
        ExperimentRegistry._merge(["brainlike.agents.experiments.mouse", "impostor_experiments"])
    impostor.EXPERIMENTS = ["first-loom"]
    with pytest.raises(TypeError, match="impostor_experiments.EXPERIMENTS must hold Experiment objects"):
        ExperimentRegistry._merge(["impostor_experiments"])
    # Set by hand (a test's monkeypatch), then deleted again; a discovered one cannot be deleted.
    extra = dataclasses.replace(mouse.EXPERIMENTS[0], name="by-hand")
    found["by-hand"] = extra
    assert found["by-hand"] is extra and "by-hand" in set(found)
    del found["by-hand"]
    assert "by-hand" not in found
    with pytest.raises(KeyError, match="first-loom"):
        del found["first-loom"]


def test_profile_values_reach_the_agent_side():
    assert default_hyperparameters("thought-assessor", "brainlike/SaltRat-v0")["pavlovian_signs"] == [0, 1, 1, -1]
    # The Flat variant shares its body's defaults.
    assert default_hyperparameters("pattern-separation", "brainlike/ForagingMouseFlat-v0") == \
        default_hyperparameters("pattern-separation", "brainlike/ForagingMouse-v0") != {}
    assert training_bodies("node-perturbation", "brainlike/SongbirdTutor-v0") == 8
    assert training_bodies("pattern-separation", "brainlike/SongbirdTutor-v0") == 64
    # A caller's copy never writes into the profile.
    d = default_hyperparameters("thought-assessor", "brainlike/SaltRat-v0")
    d["pavlovian_signs"].append(9)
    assert default_hyperparameters("thought-assessor", "brainlike/SaltRat-v0")["pavlovian_signs"] == [0, 1, 1, -1]
    assert set(agent_names()) >= set(AGENTS)


def test_profile_lookup_and_construction_errors_name_the_problem():
    with pytest.raises(ValueError, match="NoSuchBody"):
        profile_for("brainlike/NoSuchBody-v0")
    with pytest.raises(ValueError, match="has no BodyProfile"):
        profile_for("CartPole-v1")
    good = dict(env_id="x/Toy-v0", learner_defaults={}, sb3_algorithms=("ppo",), benchmark_steps=10, demo_steps=10,
                showcase_agent="random", experiments=("e",))
    BodyProfile(**good)
    with pytest.raises(ValueError, match="benchmark_steps"):
        BodyProfile(**{**good, "benchmark_steps": 0})
    with pytest.raises(TypeError, match="experiments"):
        BodyProfile(**{**good, "experiments": "e"})
    with pytest.raises(ValueError, match="showcase_agent"):
        BodyProfile(**{**good, "showcase_agent": ""})


def test_main_job_experiments_are_the_headline_ones_or_all():
    good = dict(env_id="x/Toy-v0", learner_defaults={}, sb3_algorithms=("ppo",), benchmark_steps=10, demo_steps=10,
                showcase_agent="random", experiments=("a", "b"))
    assert BodyProfile(**good).main_job_experiments == ("a", "b")
    assert BodyProfile(**good, demo_experiments=("b",)).main_job_experiments == ("b",)
    with pytest.raises(ValueError, match="demo_experiments of x/Toy-v0 must be among its experiments"):
        BodyProfile(**good, demo_experiments=("c",))

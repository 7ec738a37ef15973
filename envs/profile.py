"""What the agent side needs to know about a body, declared once, beside the body.

Each body module ends with ``PROFILE = BodyProfile(...)``; ``profile_for(env_id)``
finds it through the Gymnasium registry (the module of the id's entry point), so
a registered body is all the benchmark, the demo, the runner and the learners'
defaults need: no table elsewhere lists the bodies. Plain data only: ``envs``
imports nothing from ``agents``; agent and experiment names (and the dotted path
of a body's own experiments module) are strings that the agent side checks
(``tests/test_profiles.py``).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

import gymnasium as gym


def _frozen(m: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(m))


@dataclass(frozen=True)
class BodyProfile:
    """One body's agent-side settings.

    Attributes:
        env_id: the body's canonical id (its ``Flat`` variant shares this profile).
        learner_defaults: per learning agent name, its default hyperparameters on
            this body (why each value: see the agent's docstring). Agents not
            listed run with their own defaults.
        training_bodies: per agent name, how many bodies the training loop runs
            at once when not 64.
        sb3_algorithms: the SB3 baselines that apply to this body (their
            hyperparameters live in ``agents/hyperparams.py``).
        benchmark_steps: env steps per benchmark job (the same for every agent,
            so learning curves compare on steps).
        benchmark_env_kwargs: body arguments of the benchmark, where the body's
            default is an experiment rather than a learning task.
        demo_steps: env steps per job in ``make demo``'s benchmark (``benchmark_steps``
            with ``--full``): enough for the learners' gain over birth to show.
        demo_baseline: the one SB3 baseline ``make demo`` runs on this body (every one of
            ``sb3_algorithms`` with ``--full``); empty means the first of them.
        showcase_agent: the learner whose trained model ``make demo`` films.
        experiments: the names of this body's published-result experiments.
        demo_experiments: the ones ``make demo`` runs (the body's headline results;
            empty means all of ``experiments``).
        demo_experiment_budget: the experiment budget (``small`` or ``full``) ``make demo``
            runs them at, so the main job stays short; its verdicts are labelled
            demo-budget verdicts (``--full`` runs every one at ``full``).
        experiments_module: the dotted path of the module whose ``EXPERIMENTS`` lists this
            body's experiments, for a body whose experiments live outside
            ``brainlike.agents.experiments`` (whose own modules are found without it). A
            string, so that ``envs`` never imports the agent side.
        property_settings: body arguments worth property-testing besides the defaults
            (``tests/test_properties.py`` runs every body with ``{}`` and these): settings
            that end lives often, so that autoresets, terminations, truncations and their
            coincidence all happen within a few dozen steps.
    """

    env_id: str
    learner_defaults: Mapping[str, Mapping[str, Any]]
    sb3_algorithms: tuple[str, ...]
    benchmark_steps: int
    demo_steps: int
    showcase_agent: str
    experiments: tuple[str, ...]
    benchmark_env_kwargs: Mapping[str, Any] = field(default_factory=dict)
    training_bodies: Mapping[str, int] = field(default_factory=dict)
    demo_experiments: tuple[str, ...] = ()
    demo_baseline: str = ""
    demo_experiment_budget: str = "small"
    experiments_module: str = ""
    property_settings: tuple[Mapping[str, Any], ...] = ()

    def __post_init__(self) -> None:
        for name in ("learner_defaults", "benchmark_env_kwargs", "training_bodies"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        if isinstance(self.property_settings, Mapping) or not all(isinstance(k, Mapping) for k in self.property_settings):
            raise TypeError(f"BodyProfile.property_settings of {self.env_id} must be a tuple of keyword dicts, "
                            f"got {self.property_settings!r}")
        object.__setattr__(self, "property_settings", tuple(_frozen(k) for k in self.property_settings))
        object.__setattr__(self, "learner_defaults", _frozen({k: _frozen(v) for k, v in self.learner_defaults.items()}))
        for name in ("benchmark_steps", "demo_steps"):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise ValueError(f"BodyProfile.{name} of {self.env_id} must be an int >= 1, got {v!r}")
        for name in ("sb3_algorithms", "experiments", "demo_experiments"):
            if isinstance(getattr(self, name), str):
                raise TypeError(f"BodyProfile.{name} of {self.env_id} must be a tuple of names, not a string")
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if not set(self.demo_experiments) <= set(self.experiments):
            raise ValueError(f"BodyProfile.demo_experiments of {self.env_id} must be among its experiments "
                             f"{self.experiments}, got {self.demo_experiments}")
        if self.demo_baseline and self.demo_baseline not in self.sb3_algorithms:
            raise ValueError(f"BodyProfile.demo_baseline of {self.env_id} must be one of its sb3_algorithms "
                             f"{self.sb3_algorithms}, got {self.demo_baseline!r}")
        if not self.showcase_agent:
            raise ValueError(f"BodyProfile.showcase_agent of {self.env_id} is empty")
        for agent, n in self.training_bodies.items():
            if not isinstance(n, int) or n < 1:
                raise ValueError(f"BodyProfile.training_bodies[{agent!r}] of {self.env_id} must be an int >= 1, got {n!r}")

    @property
    def main_job_experiments(self) -> tuple[str, ...]:
        """The experiments ``make demo`` runs: ``demo_experiments``, or all of them."""
        return self.demo_experiments or self.experiments

    @property
    def main_job_baseline(self) -> str | None:
        """The SB3 baseline ``make demo`` runs: ``demo_baseline``, or the first of ``sb3_algorithms`` (None if none)."""
        return self.demo_baseline or next(iter(self.sb3_algorithms), None)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self))


def _module_of(entry: Any) -> str:
    """The module of a registry entry point (``"pkg.mod:Class"`` or the class itself)."""
    return entry.split(":")[0] if isinstance(entry, str) else getattr(entry, "__module__", "")


def profile_for(env_id: str) -> BodyProfile:
    """The profile of registered body ``env_id`` (or its ``Flat`` variant).

    Raises a ValueError naming the id when it is not registered or its module
    declares no ``PROFILE``.
    """
    try:
        spec = gym.spec(env_id)
    except gym.error.Error as e:
        raise ValueError(f"unknown body {env_id!r}: not in the Gymnasium registry ({e})") from None
    module_name = _module_of(spec.entry_point)
    profile = getattr(importlib.import_module(module_name), "PROFILE", None) if module_name else None
    if not isinstance(profile, BodyProfile):
        raise ValueError(f"body {env_id!r} has no BodyProfile: its module {module_name!r} must end with "
                         f"PROFILE = BodyProfile(...)")
    return profile


def body_ids() -> tuple[str, ...]:
    """The canonical id of every registered body: the bundled ones, then a user's own.

    Every ``brainlike/`` id must have a profile (``profile_for`` raises otherwise).
    Any other registered id is a body when the module of its entry point, already
    imported (registering it imported it), ends with a ``PROFILE`` for that id: so
    a body defined outside this package (``tests/test_toy_body.py``) joins the
    benchmark, the main job and the experiments with its one registration line.
    Modules not yet imported are never imported here (a registry holds many
    environments that are not bodies, some with heavy dependencies).
    """
    ids: set[str] = set()
    for env_id, spec in list(gym.registry.items()):
        if env_id.startswith("brainlike/"):
            ids.add(profile_for(env_id).env_id)
            continue
        module = sys.modules.get(_module_of(spec.entry_point))
        profile = getattr(module, "PROFILE", None)
        if isinstance(profile, BodyProfile) and profile.env_id == env_id:
            ids.add(env_id)
    bundled = sorted(i for i in ids if i.startswith("brainlike/"))
    return tuple(bundled + sorted(ids.difference(bundled)))


__all__ = ["BodyProfile", "body_ids", "profile_for"]

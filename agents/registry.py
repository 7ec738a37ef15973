"""One place that maps an agent's name to its class; its per-body defaults come from the body's profile.

Each body declares its learners' default hyperparameters once, in its
``PROFILE`` (``brainlike.envs.profile``), beside the body.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import gymnasium as gym

from brainlike.agents.base import Agent, env_spaces
from brainlike.agents.cached_value import CachedValueTDAgent
from brainlike.agents.cerebellar import CerebellarAgent
from brainlike.agents.licking import LickingAgent
from brainlike.agents.node_perturbation import NodePerturbationAgent
from brainlike.agents.pattern_separation import PatternSeparationAgent
from brainlike.agents.rollout import env_steering
from brainlike.agents.simple import InnateOnlyAgent, RandomAgent
from brainlike.agents.thought_assessor import ThoughtAssessorAgent
from brainlike.envs.profile import profile_for
from brainlike.envs.core import layout_of
from brainlike.steering.eyelid import EyelidSteering

AGENTS: dict[str, type[Agent]] = {
    "pattern-separation": PatternSeparationAgent,
    "thought-assessor": ThoughtAssessorAgent,
    "node-perturbation": NodePerturbationAgent,
    "innate-only": InnateOnlyAgent,
    "random": RandomAgent,
    # The contrasts and innate programs of the rat's experiments, registered like the others
    # so that their saves load anywhere and the scripts can train and film them.
    "cached-value-td": CachedValueTDAgent,
    "licking": LickingAgent,
    "cerebellar": CerebellarAgent,
}

#: Bodies trained in parallel by the training loop unless a body's profile says otherwise.
DEFAULT_TRAINING_BODIES = 64


def _env_id(env: gym.Env | gym.vector.VectorEnv) -> str | None:
    spec = getattr(env, "spec", None) or getattr(getattr(env, "unwrapped", None), "spec", None)
    return None if spec is None else spec.id


def default_hyperparameters(name: str, env_id: str | None) -> dict[str, Any]:
    """The readable per-body defaults of agent ``name`` on ``env_id`` (empty if none)."""
    if name not in AGENTS:
        raise ValueError(f"unknown agent {name!r}; known agents: {sorted(AGENTS)}")
    if env_id is None:
        return {}
    return {k: _copy(v) for k, v in profile_for(env_id).learner_defaults.get(name, {}).items()}


def _copy(v: Any) -> Any:
    """A fresh copy of a profile value, so an agent's config never shares the profile's lists."""
    if isinstance(v, Mapping):
        return {k: _copy(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_copy(x) for x in v]
    return v


def training_bodies(name: str, env_id: str) -> int:
    """How many bodies the training loop runs at once for agent ``name`` on ``env_id``."""
    return int(profile_for(env_id).training_bodies.get(name, DEFAULT_TRAINING_BODIES))


def make_agent(name: str, env: gym.Env | gym.vector.VectorEnv, seed: int = 0, **overrides: Any) -> Agent:
    """Build agent ``name`` for ``env``'s body with its per-body defaults, then ``overrides``."""
    if name not in AGENTS:
        raise ValueError(f"unknown agent {name!r}; known agents: {sorted(AGENTS)}")
    env_id = _env_id(env)
    params = default_hyperparameters(name, env_id)
    if name == "node-perturbation" and env_id and "SongbirdTutor" in env_id:
        # The clock's width is the number of syllables.
        clock = layout_of(env).flat_slice("song_clock")
        params["input_dims"] = list(range(clock.start, clock.stop))
    params.update(overrides)
    klass = AGENTS[name]
    obs_space, act_space = env_spaces(env)
    if klass is ThoughtAssessorAgent:
        steering = params.pop("steering", None) or env_steering(env)
        params.setdefault("signals", list(steering.signal_names))
        params["steering"] = steering
    elif klass is CerebellarAgent and not isinstance(getattr(env_steering(env), "unwrapped", None), EyelidSteering):
        # It learns from the climbing fibre that only the eyelid's steering sends (info["climbing_fibre"]):
        # on another body it would build, then fail at its first learning step.
        raise ValueError(f"the cerebellar agent needs the eyelid's climbing-fibre signal (EyelidSteering); "
                         f"{env_id or 'this body'} has {type(env_steering(env)).__name__}")
    elif klass is LickingAgent:
        params["steering"] = params.pop("steering", None) or env_steering(env)
        body = getattr(getattr(env, "unwrapped", env), "body", None)
        params.setdefault("lick_amount", getattr(body, "lick_amount", 0.25))
    agent = klass(obs_space, act_space, seed=seed, **params)
    agent.env_id = env_id  # saved with the agent, so a model says which body it was made for
    return agent


__all__ = ["AGENTS", "DEFAULT_TRAINING_BODIES", "default_hyperparameters", "make_agent", "training_bodies"]

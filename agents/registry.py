"""One place that maps an agent's name to its class and its per-body default hyperparameters."""

from __future__ import annotations

from typing import Any

import gymnasium as gym

from brainlike.agents.base import Agent, env_spaces, env_steering
from brainlike.agents.cerebellar import CerebellarAgent
from brainlike.agents.node_perturbation import NodePerturbationAgent
from brainlike.agents.pattern_separation import PatternSeparationAgent
from brainlike.agents.simple import InnateOnlyAgent, RandomAgent
from brainlike.agents.thought_assessor import ThoughtAssessorAgent

AGENTS: dict[str, type[Agent]] = {
    "pattern-separation": PatternSeparationAgent,
    "thought-assessor": ThoughtAssessorAgent,
    "node-perturbation": NodePerturbationAgent,
    "innate-only": InnateOnlyAgent,
    "random": RandomAgent,
    "cerebellar": CerebellarAgent,
}

#: Per-body defaults, by agent name then env id (without the "Flat" variants, which
#: share them). Why these values: see each agent's docstring; tuned on small budgets.
DEFAULTS: dict[str, dict[str, dict[str, Any]]] = {
    "pattern-separation": {
        # Energy and pain as a population code with a high gain, so that every active
        # Kenyon unit is a conjunction of "what I see" and "how hungry I am": eating
        # past the set point is punished, so the policy must depend on hunger.
        # The mouse's rewards are mostly small hunger steps with rare meals and pains, so
        # its dopamine gain adapts to their spread (adaptive_gain; Tobler et al. 2005).
        "brainlike/ForagingMouse-v0": {"population_code": {"interoception": 6}, "population_gain": 4.0, "temperature": 0.5,
                                       "adaptive_gain": 0.01},
        "brainlike/SaltRat-v0": {"population_code": {"exteroception": 4, "interoception": 6}, "num_units": 1000},
        "brainlike/SongbirdTutor-v0": {"inputs": ["exteroception"], "init_log_std": -1.0},
    },
    "thought-assessor": {
        # stay 0, approach +1, nibble +1, withdraw -1: the innate Pavlovian response.
        "brainlike/SaltRat-v0": {"signals": ["sweet", "salt"], "population_code": {"exteroception": 4}, "pavlovian_signs": [0, 1, 1, -1]},
    },
    "node-perturbation": {
        # RA reads the HVC-like song clock: the first num_syllables exteroceptive lines.
        # Juvenile babble first (large LMAN noise finds the slope of the narrow evaluator),
        # then refinement: the juvenile schedule of the tutor-learning experiment, in updates.
        "brainlike/SongbirdTutor-v0": {"inputs": ["exteroception"], "input_dims": [0, 1, 2, 3],
                                       "noise_std": 0.6, "noise_end": 0.05, "lr": 3.0, "lr_end": 0.5,
                                       "maturation": 2000},
    },
    "innate-only": {},
    "random": {},
    "cerebellar": {},
}


#: Bodies trained in parallel by the training loop (64 unless listed). Node perturbation
#: makes one weight step per env step, whatever the batch: fewer bodies, more steps.
TRAINING_BODIES: dict[str, int] = {"node-perturbation": 8}


def _env_id(env: gym.Env | gym.vector.VectorEnv) -> str | None:
    spec = getattr(env, "spec", None) or getattr(getattr(env, "unwrapped", None), "spec", None)
    return None if spec is None else spec.id


def default_hyperparameters(name: str, env_id: str | None) -> dict[str, Any]:
    """The readable per-body defaults of agent ``name`` on ``env_id`` (empty if none)."""
    if name not in AGENTS:
        raise ValueError(f"unknown agent {name!r}; known agents: {sorted(AGENTS)}")
    if env_id is None:
        return {}
    base = env_id.replace("Flat-v0", "-v0")
    return dict(DEFAULTS[name].get(base, {}))


def make_agent(name: str, env: gym.Env | gym.vector.VectorEnv, seed: int = 0, **overrides: Any) -> Agent:
    """Build agent ``name`` for ``env``'s body with its per-body defaults, then ``overrides``."""
    if name not in AGENTS:
        raise ValueError(f"unknown agent {name!r}; known agents: {sorted(AGENTS)}")
    env_id = _env_id(env)
    params = default_hyperparameters(name, env_id)
    if name == "node-perturbation" and env_id and "SongbirdTutor" in env_id:
        # The clock's width is the number of syllables.
        obs_space, _ = env_spaces(env)
        s = obs_space["exteroception"].shape[0] - 7 if hasattr(obs_space, "spaces") else obs_space.shape[0] - 11
        params["input_dims"] = list(range(s))
    params.update(overrides)
    klass = AGENTS[name]
    obs_space, act_space = env_spaces(env)
    if klass is ThoughtAssessorAgent:
        steering = params.pop("steering", None) or env_steering(env)
        params.setdefault("signals", list(steering.signal_names))
        return klass(obs_space, act_space, seed=seed, steering=steering, **params)
    return klass(obs_space, act_space, seed=seed, **params)


__all__ = ["AGENTS", "DEFAULTS", "default_hyperparameters", "make_agent"]

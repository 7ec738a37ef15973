"""The Learning Subsystem: learning-from-scratch numpy agents, baselines, one training loop.

Every agent keeps one protocol (``agents.base.Agent``): ``act`` on a batch of
observations, ``learn`` from a batch of transitions, ``save`` / ``load``.
``make_agent(name, env)`` builds one by name with its per-body defaults.
"""

from brainlike.agents.base import Agent, AgentFileError
from brainlike.agents.cached_value import CachedValueTDAgent
from brainlike.agents.licking import LickingAgent
from brainlike.agents.node_perturbation import NodePerturbationAgent
from brainlike.agents.pattern_separation import KenyonExpansion, PatternSeparationAgent
from brainlike.agents.registry import AGENTS, default_hyperparameters, make_agent
from brainlike.agents.simple import InnateOnlyAgent, RandomAgent
from brainlike.agents.thought_assessor import ThoughtAssessorAgent
from brainlike.agents.reporting import write_history_csv, write_history_json
from brainlike.agents.training import evaluate, make_vec_env, run_episodes, train

__all__ = [
    "AGENTS", "Agent", "AgentFileError", "CachedValueTDAgent", "InnateOnlyAgent", "KenyonExpansion", "LickingAgent",
    "NodePerturbationAgent", "PatternSeparationAgent", "RandomAgent", "ThoughtAssessorAgent",
    "default_hyperparameters", "evaluate", "make_agent", "make_vec_env", "run_episodes", "train",
    "write_history_csv", "write_history_json",
]

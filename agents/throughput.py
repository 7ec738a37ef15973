"""One unit of training work for every learning-from-scratch agent and for SB3 PPO, to time against each other.

``scripts/perf.py`` times these side by side (warm-up first, then equal wall-clock
slices, interleaved): machines here are noisy, so only the *ratio* of two rates
measured in the same process and moment means anything. Each learner runs on
every body its experiments use, as its training loop runs it; PPO on the same
body as a user trains it (``brainlike train --algo ppo``: the body's rl-zoo3
entry, its number of bodies, one torch thread).
"""

from __future__ import annotations

from collections.abc import Callable

from brainlike.agents.registry import AGENTS, make_agent, training_bodies
from brainlike.agents.rollout import learn_from, policy, rollout
from brainlike.agents.training import make_vec_env

#: One unit of work: does some training and returns how many env steps it took.
Work = Callable[[], int]

#: Each learning-from-scratch agent and the bodies its experiments run it on.
LEARNER_BODIES: dict[str, tuple[str, ...]] = {
    "pattern-separation": ("ForagingMouse", "BarnOwl", "ResidentIntruder"),
    "thought-assessor": ("SaltRat",),
    "cached-value-td": ("SaltRat",),
    "node-perturbation": ("SongbirdTutor",),
    "cerebellar": ("Eyeblink",),
}

#: What the PPO reference is, as the results state it.
PPO_SETTINGS = "SB3 PPO as `brainlike train --algo ppo` runs it (the body's rl-zoo3 entry and n_envs), torch threads=1"


def learning_agents() -> list[str]:
    """Registered agents that learn (their class has its own ``learn``): the chance and innate ones do not."""
    from brainlike.agents.base import Agent

    return [name for name, klass in AGENTS.items() if klass.learn is not Agent.learn]


def learner_work(name: str, env_id: str, seed: int = 0) -> Work:
    """One batched training step of agent ``name`` on ``env_id``: act, env step, learn.

    It runs as the training loop runs it (``agents.rollout``), on the native vector env
    with the body's number of training bodies; returns that number of env steps.
    """
    env = make_vec_env(env_id, training_bodies(name, env_id))
    agent = make_agent(name, env, seed=seed)
    agent.reset_state()
    steps = rollout(env, policy(agent, env, explore=True), seed=seed)

    def work() -> int:
        learn_from(agent, next(steps))
        return env.num_envs

    return work


def ppo_work(env_id: str, seed: int = 0) -> Work:
    """One rollout plus its update of SB3 PPO on ``env_id``, built as the project's PPO baseline is.

    ``agents.baselines.SB3Agent``: the body's shipped rl-zoo3 hyperparameters, its
    ``n_envs`` bodies on the native vector env, one torch thread: what a user gets
    from ``brainlike train --algo ppo``. (SB3's bare defaults on one body, 2,048-step
    rollouts and ten epochs, spend several times more per env step than that.)
    """
    from brainlike.agents.baselines import SB3Agent

    model = SB3Agent("ppo", env_id, seed=seed).model
    per_rollout = model.n_steps * model.n_envs

    def work() -> int:
        before = model.num_timesteps
        model.learn(total_timesteps=per_rollout, reset_num_timesteps=False)
        return int(model.num_timesteps - before)

    return work


def check_learners(names: list[str]) -> None:
    """Raise if a name is not a learning agent with a body to measure it on."""
    known = learning_agents()
    bad = [n for n in names if n not in known]
    if bad:
        raise ValueError(f"not learning agents: {bad}; known: {known}")
    missing = [n for n in names if n not in LEARNER_BODIES]
    if missing:
        raise ValueError(f"no body to measure {missing} on: add them to LEARNER_BODIES")


__all__ = ["LEARNER_BODIES", "PPO_SETTINGS", "Work", "check_learners", "learner_work", "learning_agents", "ppo_work"]

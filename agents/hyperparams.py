"""Stable-Baselines3 hyperparameters per body, read from rl-zoo3's own YAML files.

The files ``zoo-hyperparams/<algo>.yml`` (shipped with the package) are the one
source of truth: the project's baselines read them here, and rl-zoo3 reads the
same files as they are (``python -m rl_zoo3.train ... -conf <file>``).

Keys under each body go to the SB3 constructor, except ``n_envs`` (how many
bodies the baseline trains on at once), ``policy`` (``MultiInputPolicy`` reads
the bodies' Dict observations as they are) and ``n_timesteps`` (rl-zoo3's
default budget; the project's entry points take ``--steps`` instead).
``policy_kwargs`` is written as rl-zoo3 writes it, ``"dict(net_arch=[64, 64])"``;
it is read here with ``ast`` (literals only), never ``eval``.

A body need not have an entry: a baseline its profile names (``sb3_algorithms``)
and the files do not tune runs ``UNTUNED`` (SB3's own defaults), so adding a
body never requires editing these files; tuning it later is adding its entry.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from brainlike.envs.profile import profile_for

ZOO_DIR = Path(__file__).resolve().parent / "zoo-hyperparams"
#: rl-zoo3 keys that are not SB3 constructor arguments and that the project's baselines do not use.
ZOO_ONLY_KEYS = ("n_timesteps",)
#: rl-zoo3 writes these as Python expressions in strings.
EXPRESSION_KEYS = ("policy_kwargs", "replay_buffer_kwargs")
#: The hyperparameters of a baseline a body's profile names but the files do not tune:
#: SB3's own defaults for the algorithm, on one training body, with the policy that
#: reads the body's observations as they are (``MultiInputPolicy`` for Dict
#: observations, ``MlpPolicy`` otherwise: ``agents.baselines.SB3Agent`` picks it).
UNTUNED: Mapping[str, Any] = MappingProxyType({"n_envs": 1})


def zoo_file(algo: str) -> Path:
    """The shipped rl-zoo3 hyperparameter file of ``algo`` (e.g. ``ppo.yml``)."""
    path = ZOO_DIR / f"{algo}.yml"
    if not path.exists():
        raise ValueError(f"no SB3 hyperparameters for algorithm {algo!r}; known: {sorted(zoo_algorithms())}")
    return path


def zoo_algorithms() -> list[str]:
    return sorted(p.stem for p in ZOO_DIR.glob("*.yml"))


def parse_expression(text: str) -> Any:
    """``"dict(net_arch=[64, 64])"`` (rl-zoo3's way of writing a dict) or a literal -> the value."""
    tree = ast.parse(text.strip(), mode="eval").body
    if isinstance(tree, ast.Call) and isinstance(tree.func, ast.Name) and tree.func.id == "dict" and not tree.args:
        return {kw.arg: ast.literal_eval(kw.value) for kw in tree.keywords}
    try:
        return ast.literal_eval(tree)
    except ValueError:
        raise ValueError(f"cannot read {text!r}: only dict(...) of literals or a literal is supported") from None


@functools.cache
def _load(algo: str) -> dict[str, dict[str, Any]]:
    try:
        import yaml
    except ImportError:
        raise ImportError('reading SB3 hyperparameters needs PyYAML: pip install "brainlike-gym[agents]"') from None
    return yaml.safe_load(zoo_file(algo).read_text()) or {}


def sb3_bodies(algo: str) -> list[str]:
    """The bodies that ``algo`` has hyperparameters for (empty for an unknown algorithm)."""
    return sorted(_load(algo)) if algo in zoo_algorithms() else []


def sb3_hyperparams(algo: str, env_id: str) -> dict[str, Any]:
    """A fresh copy of the hyperparameters of ``algo`` on ``env_id``; a clear error if there are none.

    A body whose ``BodyProfile`` names ``algo`` but has no entry in the shipped
    rl-zoo3 files (bundled or a user's) gets ``UNTUNED``.
    """
    per_body = _load(algo)
    if env_id not in per_body and algo in profile_for(env_id).sb3_algorithms:
        return dict(UNTUNED)
    if env_id not in per_body:
        raise ValueError(f"{algo!r} is not a baseline for {env_id}; it has hyperparameters for {sorted(per_body)}")
    params = {k: v for k, v in per_body[env_id].items() if k not in ZOO_ONLY_KEYS}
    for key in EXPRESSION_KEYS:
        if isinstance(params.get(key), str):
            params[key] = parse_expression(params[key])
    return params

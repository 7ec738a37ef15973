"""What every command shares: one parser per command, argument types, checks made before any work.

Each command (``scripts/<name>.py``) defines its arguments once (``add_arguments``)
and its work (``run``) in a ``Command``; ``brainlike <name>`` (``scripts/cli.py``)
and ``python scripts/<name>.py`` both build their parser from it.

A user mistake ends in ``parser.error``: exit status 2 and one line on stderr,
never a traceback. Flags mean one thing everywhere: ``--seeds`` is a list or
range of seeds (``0 1 2``, ``0-9``), ``--steps`` counts environment steps,
``--env-kwargs`` and ``--hyperparams`` take JSON or ``key=value`` pairs.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn


class UserError(Exception):
    """A mistake in the command line, found after parsing; reported as a one-line usage error."""


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors that name the flag first: ``--steps must be a positive integer, got '-5'``."""

    def error(self, message: str) -> NoReturn:
        named = re.match(r"argument ([^:]+): (must .*)", message, flags=re.DOTALL)
        if named:
            message = f"{named[1].split('/')[0]} {named[2]}"
        super().error(" ".join(message.split()))


@dataclass(frozen=True)
class Command:
    """A subcommand: its help text (the module docstring), its arguments and its work."""

    name: str
    doc: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, argparse.ArgumentParser], int]

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0]

    def parser(self) -> Parser:
        parser = Parser(prog=f"brainlike {self.name}", description=self.doc,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
        self.add_arguments(parser)
        return parser

    def invoke(self, args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
        try:
            return self.run(args, parser)
        except UserError as e:
            parser.error(str(e))
        except ModuleNotFoundError as e:
            # The safety net for an extra no check foresaw (e.g. an experiment that trains PPO).
            extra = next((x for x, modules in EXTRAS.items() if (e.name or "").split(".")[0] in modules), None)
            if extra is None:
                raise
            parser.error(missing_extra_message(extra, f"brainlike {self.name}", [str(e.name)]))
        except KeyboardInterrupt:
            print(f"brainlike {self.name}: interrupted", file=sys.stderr)
            return 130

    def main(self, argv: Sequence[str] | None = None) -> int:
        """``python scripts/<name>.py ...``: the same parser and work as ``brainlike <name> ...``."""
        parser = self.parser()
        return self.invoke(parser.parse_args(argv), parser)


# --- argument types (argparse turns their ArgumentTypeError into a usage error) -----------
def _integer_at_least(minimum: int, expected: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {expected}, got {text!r}")
        return value

    parse.__name__ = expected  # argparse names the type in some messages
    return parse


positive_int = _integer_at_least(1, "a positive integer")
non_negative_int = _integer_at_least(0, "an integer >= 0")


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text!r}")
    return value


def seed_range(text: str) -> list[int]:
    """``"3"`` -> [3]; ``"0-9"`` -> [0, ..., 9]."""
    m = re.fullmatch(r"(\d+)(?:-(\d+))?", text.strip())
    if not m or (m[2] is not None and int(m[2]) < int(m[1])):
        raise argparse.ArgumentTypeError(f"must be a list or range of seeds >= 0 (0 1 2, 0-9), got {text!r}")
    return list(range(int(m[1]), int(m[2] or m[1]) + 1))


class SeedsAction(argparse.Action):
    """``--seeds 0 1 5-7`` -> [0, 1, 5, 6, 7] (duplicates refused: they would be the same run twice)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        seeds = [s for part in values for s in part]
        if len(set(seeds)) != len(seeds):
            raise argparse.ArgumentError(self, f"must not repeat a seed, got {seeds}")
        setattr(namespace, self.dest, seeds)


def add_seeds(parser: argparse.ArgumentParser, default: Sequence[int] | None, what: str) -> None:
    """``--seeds``; a ``default`` of None leaves ``args.seeds`` None for the command to choose (``what`` says how)."""
    shown = "" if default is None else f" (default {' '.join(map(str, default))})"
    parser.add_argument("--seeds", nargs="+", type=seed_range, action=SeedsAction,
                        default=None if default is None else list(default),
                        metavar="SEED", help=f"seeds as a list or range, e.g. 0 1 2 or 0-9: {what}{shown}")


def parse_key_values(items: Sequence[str]) -> dict[str, Any]:
    """One JSON object, or ``key=value`` pairs whose values are read as JSON where they can be."""
    if len(items) == 1 and items[0].lstrip().startswith("{"):
        try:
            value = json.loads(items[0])
        except ValueError as e:
            raise ValueError(f"is not valid JSON ({e.msg}): {items[0]!r}") from None
        if not isinstance(value, dict):
            raise ValueError(f"must be a JSON object, got {items[0]!r}")
        return value
    out: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.isidentifier():
            raise ValueError(f"must be a JSON object or key=value pairs, got {item!r}")
        try:
            out[key] = json.loads(raw)
        except ValueError:
            out[key] = raw  # a bare word is a string: observation_mode=flat
    return out


class KeyValuesAction(argparse.Action):
    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        try:
            setattr(namespace, self.dest, parse_key_values(values))
        except ValueError as e:
            raise argparse.ArgumentError(self, f"must be key=value pairs or a JSON object: {e}") from None


def add_env_kwargs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--env-kwargs", nargs="+", action=KeyValuesAction, default={}, metavar="KEY=VALUE",
                        help="arguments for the body, as JSON or key=value pairs, "
                             "e.g. lethal_capture=true or '{\"num_food\": 6}'")


def add_hyperparams(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hyperparams", nargs="+", action=KeyValuesAction, default={}, metavar="KEY=VALUE",
                        help="override the agent's hyperparameters, as JSON or key=value pairs, "
                             "e.g. learning_rate=0.001 n_steps=64")


def add_device(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--device", default=None,
                        help="torch device of an SB3 baseline: cpu, cuda or auto (default cpu; the numpy agents run on cpu)")


def add_model_or_agent(parser: argparse.ArgumentParser, agent_help: str) -> None:
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--model", help="a saved model: its path with or without the .json/.npz/.zip suffix")
    who.add_argument("--agent", help=agent_help)


# --- extras --------------------------------------------------------------------------------
#: What each optional part of the package needs (import names).
EXTRAS: dict[str, tuple[str, ...]] = {
    "agents": ("torch", "stable_baselines3", "yaml", "rich", "tqdm"),
    "report": ("matplotlib", "PIL", "moviepy"),
    "ray": ("ray",),
}


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def require_extra(extra: str, what: str) -> None:
    """Stop with the pip command to run if the ``extra`` that ``what`` needs is not installed."""
    missing = [m for m in EXTRAS[extra] if not _installed(m)]
    if missing:
        raise UserError(missing_extra_message(extra, what, missing))


def missing_extra_message(extra: str, what: str, missing: Sequence[str]) -> str:
    how = f'pip install "brainlike-gym[{extra}]"'
    if extra == "agents":
        how = f"install torch first (its CPU build on a machine without a GPU), then {how}"
    return f"{what} needs the [{extra}] extra ({', '.join(missing)} not installed): {how}"


def require_agent_extra(agent: str) -> None:
    from brainlike.agents.baselines import is_baseline

    if is_baseline(agent):
        require_extra("agents", f"the SB3 baseline {agent!r}")


# --- checks before any work ----------------------------------------------------------------
def check_output_dir(parser: argparse.ArgumentParser, path: str) -> Path:
    """Create ``path`` (if needed) and make sure it is writable, or stop with a clear error."""
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        parser.error(f"cannot create output folder {out}: {e.strerror}")
    if not os.access(out, os.W_OK):
        parser.error(f"output folder {out} is not writable")
    return out


def body_id(name: str) -> str:
    """``ForagingMouse`` or ``brainlike/ForagingMouse-v0`` -> the registered id."""
    return name if name.startswith("brainlike/") else f"brainlike/{name.removesuffix('-v0')}-v0"


def body_names() -> list[str]:
    from brainlike import envs

    return [i.split("/")[-1].removesuffix("-v0") for i in envs.ENV_IDS]


def check_body(parser: argparse.ArgumentParser, name: str) -> str:
    from brainlike import envs

    env_id = body_id(name)
    if env_id not in envs.ENV_IDS:
        parser.error(f"unknown body {name!r}; known: {body_names()}")
    return env_id


def check_agent(parser: argparse.ArgumentParser, name: str, env_id: str) -> None:
    from brainlike.agents.runner import check_agent_body

    require_agent_extra(name)  # first: which bodies a baseline fits is read with the extra's PyYAML
    try:
        check_agent_body(name, env_id)
    except ValueError as e:
        parser.error(str(e))


def check_env_kwargs(parser: argparse.ArgumentParser, env_id: str, env_kwargs: Mapping[str, Any]) -> None:
    """Build the body once with ``env_kwargs`` so a bad argument is refused before any work."""
    import gymnasium as gym

    try:
        gym.make(env_id, **env_kwargs).close()
    except (TypeError, ValueError) as e:
        parser.error(f"--env-kwargs {dict(env_kwargs)} do not fit {env_id}: {e}")


def check_model(parser: argparse.ArgumentParser, path: str) -> dict[str, Any]:
    """The saved model's readable record, or a usage error if there is none at ``path``."""
    from brainlike.agents.runner import saved_meta

    try:
        _, meta = saved_meta(path)
    except (FileNotFoundError, ValueError) as e:
        parser.error(f"no saved model at {path}: {e}")
    if meta.get("kind") == "sb3":
        require_extra("agents", f"the saved SB3 model {path}")
    return meta


def build_checked_agent(parser: argparse.ArgumentParser, name: str, env_id: str, seed: int,
                        env_kwargs: Mapping[str, Any], hyperparams: Mapping[str, Any],
                        device: str | None = None, tensorboard_log: str | None = None) -> Any:
    """Build agent ``name``; a hyperparameter or device it does not take is a usage error."""
    from brainlike.agents.baselines import is_baseline
    from brainlike.agents.runner import build_agent

    sb3_only = {"--device": device, "--tensorboard-log": tensorboard_log}
    extra: dict[str, Any] = {}
    if is_baseline(name):
        extra = {"device": device or "cpu", "tensorboard_log": tensorboard_log}
    elif any(v is not None for v in sb3_only.values()):
        used = [flag for flag, v in sb3_only.items() if v is not None]
        parser.error(f"{', '.join(used)}: only for the SB3 baselines, not for {name!r}")
    try:
        return build_agent(name, env_id, seed=seed, env_kwargs=env_kwargs, **extra, **hyperparams)
    except (TypeError, ValueError) as e:
        parser.error(f"--hyperparams {dict(hyperparams)} do not fit {name!r}: {e}")


def load_or_build_agent(parser: argparse.ArgumentParser, args: argparse.Namespace, env_id: str) -> Any:
    """``--model`` (already checked by ``check_model``) or ``--agent`` at birth."""
    if args.model:
        from brainlike.agents.runner import load_agent

        return load_agent(args.model)
    return build_checked_agent(parser, args.agent, env_id, args.seed, args.env_kwargs, {})


def resolve_body(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str:
    """The body of ``--body``, else the one ``--model`` was trained on; checks the agent and env kwargs."""
    if args.model:
        meta = check_model(parser, args.model)
        env_id = check_body(parser, args.body) if args.body else meta.get("env_id")
        if env_id is None:
            parser.error(f"the model {args.model} does not say which body it was trained on: pass --body")
    else:
        if not args.body:
            parser.error("--agent needs --body")
        env_id = check_body(parser, args.body)
        check_agent(parser, args.agent, env_id)
    check_env_kwargs(parser, env_id, args.env_kwargs)
    return env_id

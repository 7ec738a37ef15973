"""Published-result analogues, by name (see ``docs/science.md``).

``EXPERIMENTS`` is discovered, never listed by hand: every module of this
package that defines ``EXPERIMENTS`` (a sequence of ``Experiment``), and the
``experiments_module`` a registered body's profile names (a body defined
outside the package, with its experiments beside it). Adding a body's
experiments is writing its module; nothing here changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator, MutableMapping

from brainlike.agents.experiments.base import BUDGETS, Criterion, Experiment, ExperimentResult, write_result
from brainlike.envs.profile import body_ids, profile_for


def _experiments_of(module_name: str) -> dict[str, Experiment]:
    """The experiments a module defines in its ``EXPERIMENTS``, by name (empty if it defines none)."""
    found: dict[str, Experiment] = {}
    for e in getattr(importlib.import_module(module_name), "EXPERIMENTS", ()):
        if not isinstance(e, Experiment):
            raise TypeError(f"{module_name}.EXPERIMENTS must hold Experiment objects, got {e!r}")
        found[e.name] = e
    return found


def _package_modules() -> list[str]:
    """This package's own modules, in name order (their ``EXPERIMENTS`` are the bundled bodies')."""
    return sorted(f"{__name__}.{m.name}" for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


class ExperimentRegistry(MutableMapping[str, Experiment]):
    """Every experiment by name, discovered at each look-up from the package and the registered bodies.

    Discovery is live because a body can be registered after this module is
    imported (a user's own, or the toy in the tests): its profile's
    ``experiments_module`` joins while it is registered. The package's modules
    are read once. An entry set by hand (``EXPERIMENTS[name] = experiment``, as
    a test's ``monkeypatch.setitem`` does) takes precedence and can be deleted again.
    """

    def __init__(self) -> None:
        self._bundled: dict[str, Experiment] | None = None
        self._by_hand: dict[str, Experiment] = {}

    def _discover(self) -> dict[str, Experiment]:
        if self._bundled is None:
            self._bundled = self._merge(_package_modules())
        extra = sorted({m for b in body_ids() if (m := profile_for(b).experiments_module)} - set(_package_modules()))
        found = self._merge(extra, dict(self._bundled)) if extra else dict(self._bundled)
        found.update(self._by_hand)
        return found

    @staticmethod
    def _merge(modules: list[str], into: dict[str, Experiment] | None = None) -> dict[str, Experiment]:
        found: dict[str, Experiment] = {} if into is None else into
        owner = {name: "an earlier module" for name in found}
        for module in modules:
            for name, e in _experiments_of(module).items():
                if name in found and found[name] is not e:
                    raise ValueError(f"experiment name {name!r} is defined twice: in {owner[name]} and in {module}")
                found[name], owner[name] = e, module
        return found

    def __getitem__(self, name: str) -> Experiment:
        return self._discover()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._discover())

    def __len__(self) -> int:
        return len(self._discover())

    def __setitem__(self, name: str, experiment: Experiment) -> None:
        if not isinstance(experiment, Experiment):
            raise TypeError(f"EXPERIMENTS[{name!r}] must be an Experiment, got {experiment!r}")
        self._by_hand[name] = experiment

    def __delitem__(self, name: str) -> None:
        if name not in self._by_hand:
            raise KeyError(f"{name!r} was not set by hand; discovered experiments cannot be deleted")
        del self._by_hand[name]

    def __repr__(self) -> str:
        return f"ExperimentRegistry({sorted(self)})"


EXPERIMENTS = ExperimentRegistry()


def get_experiment(name: str) -> Experiment:
    try:
        return EXPERIMENTS[name]
    except KeyError:
        raise ValueError(f"unknown experiment {name!r}; known: {sorted(EXPERIMENTS)}") from None


__all__ = ["BUDGETS", "EXPERIMENTS", "Criterion", "Experiment", "ExperimentRegistry", "ExperimentResult",
           "get_experiment", "write_result"]

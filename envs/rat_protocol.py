"""SaltRat's protocols: the phases of a rat's session, as presets or lists of phase dicts.

A phase is lever trials (``pavlovian``, ``train``, ``extinction``: how the outcome
arrives) or timed steps (``free_access``, ``progressive_ratio``, ``taste_reactivity``,
``deplete``, ``replete``, ``home``: what the rat can do or is given), under a sodium
regime. ``parse_protocol`` checks and completes one.

The three readouts of salt appetite: ``free_access`` (a salt spout: intake and latency;
at homeostasis, under the ``normal`` regime, it is need-free intake, Sakai et al. 1989),
``progressive_ratio`` (the salt lever stays in and the n-th salt reward costs
``PR_SCHEDULE[n]`` presses, Richardson & Roberts 1996: the breakpoint measures work for
salt, "wanting") and ``taste_reactivity`` (a small intraoral salt infusion every
``PROBE_INTERVAL`` steps, whatever the rat does: the hedonic reaction to it measures
"liking", Clark & Bernstein 2006).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

# Phase kinds: lever trials (how the outcome arrives) or timed steps (what the rat can do).
TRIAL_KINDS = ("pavlovian", "train", "extinction")
STEP_KINDS = ("free_access", "progressive_ratio", "taste_reactivity", "deplete", "replete", "home")
KINDS = TRIAL_KINDS + STEP_KINDS
# Sodium regimes: intact kidneys and a sodium diet pull sodium to the set point;
# furosemide + DOCA + a sodium-free diet pull it down; "hold" keeps it (DOCA, no
# sodium in the diet) so that only what the rat drinks changes it.
REGIMES = ("normal", "deplete", "hold")
NORMAL, DEPLETE, HOLD = range(3)
DEFAULT_REGIME = {
    "pavlovian": "normal",
    "train": "normal",
    "extinction": "hold",
    "free_access": "hold",
    "progressive_ratio": "hold",
    "taste_reactivity": "hold",
    "deplete": "deplete",
    "replete": "normal",
    "home": "normal",
}
DELIVERY = {"pavlovian": 2, "train": 1}  # 0 none (cue only), 1 on a press, 2 always
PHASE_KEYS = ("name", "kind", "trials", "steps", "sodium")
#: Presses needed for the n-th reward of a progressive ratio: round(5 exp(0.2 n) - 5), n = 1, 2, ...
#: (Richardson & Roberts 1996): 1, 2, 4, 6, 9, 12, 15, 20, 25, 32, ...
PR_SCHEDULE = np.round(5 * np.exp(0.2 * np.arange(1, 41)) - 5).astype(np.int64)
#: Steps between the intraoral probes of a taste-reactivity phase (the first at its first step).
PROBE_INTERVAL = 5


def _at_each_depletion(*phases: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    """``phases`` repeated for depletions 1, 2, 3, each name suffixed with ``_k``."""
    return tuple({**phase, "name": f"{phase['name']}_{k}"} for k in (1, 2, 3) for phase in phases)


PRESETS: dict[str, tuple[dict[str, Any], ...]] = {
    # Robinson & Berridge 2013: Pavlovian lever cues at homeostasis, then the first
    # depletion of the rat's life, a cue-only test, re-repletion, a cue-only test.
    "dead_sea_salt": (
        {"name": "train", "kind": "pavlovian", "trials": 30},
        {"name": "deplete", "kind": "deplete", "steps": 30},
        {"name": "test_depleted", "kind": "extinction", "trials": 6},
        {"name": "replete", "kind": "replete", "steps": 30},
        {"name": "test_replete", "kind": "extinction", "trials": 6},
    ),
    # An instrumental version for learners and benchmarks: pressing delivers, so what
    # the rat does matters; the sodium state changes twice, so the best lever changes.
    "instrumental": (
        {"name": "train_replete", "kind": "train", "trials": 20},
        {"name": "deplete", "kind": "deplete", "steps": 30},
        {"name": "train_depleted", "kind": "train", "trials": 12, "sodium": "hold"},
        {"name": "replete", "kind": "replete", "steps": 30},
        {"name": "train_replete_again", "kind": "train", "trials": 12},
    ),
    # Sakai et al. 1987 and 1989, Clark & Bernstein 2006: need-free access to a salt spout
    # at homeostasis (the baseline, and the rat's first taste of the spout), then three
    # spaced depletions, each with a taste-reactivity probe, free access to salt while
    # depleted, repletion, and need-free access again.
    "sensitization": (
        {"name": "need_free_0", "kind": "free_access", "steps": 40, "sodium": "normal"},
        *_at_each_depletion(
            {"name": "deplete", "kind": "deplete", "steps": 30},
            {"name": "taste", "kind": "taste_reactivity", "steps": 10},
            {"name": "salt_access", "kind": "free_access", "steps": 60},
            {"name": "replete", "kind": "replete", "steps": 40},
            {"name": "need_free", "kind": "free_access", "steps": 40, "sodium": "normal"},
        ),
    ),
    # Clark & Bernstein 2006: work for salt (a progressive ratio) at three spaced depletions.
    "salt_work": _at_each_depletion(
        {"name": "deplete", "kind": "deplete", "steps": 30},
        {"name": "work", "kind": "progressive_ratio", "steps": 100},
        {"name": "replete", "kind": "replete", "steps": 40},
    ),
}


def parse_protocol(protocol: str | Sequence[Mapping[str, Any]]) -> tuple[dict[str, Any], ...]:
    """A preset name or a list of phase dicts, checked and completed; raises ValueError naming the bad value."""
    if isinstance(protocol, str):
        if protocol not in PRESETS:
            raise ValueError(f"protocol={protocol!r} is not a preset; expected one of {tuple(PRESETS)} or a list of phases")
        protocol = PRESETS[protocol]
    if isinstance(protocol, Mapping) or not isinstance(protocol, Sequence) or len(protocol) == 0:
        raise ValueError(f"protocol={protocol!r} is invalid: expected a preset name or a non-empty list of phase dicts")
    phases = []
    for i, ph in enumerate(protocol):
        if not isinstance(ph, Mapping):
            raise ValueError(f"protocol phase {i} = {ph!r} is not a dict with keys from {PHASE_KEYS}")
        unknown = sorted(set(ph) - set(PHASE_KEYS))
        if unknown:
            raise ValueError(f"protocol phase {i} = {dict(ph)!r} has unknown key(s) {unknown}; accepted: {PHASE_KEYS}")
        kind = ph.get("kind")
        if kind not in KINDS:
            raise ValueError(f"protocol phase {i}: kind={kind!r} is unknown; expected one of {KINDS}")
        length_key, other = ("trials", "steps") if kind in TRIAL_KINDS else ("steps", "trials")
        if other in ph:
            raise ValueError(f"protocol phase {i}: a {kind!r} phase is measured in {length_key}, not {other}={ph[other]!r}")
        n = ph.get(length_key)
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"protocol phase {i}: {length_key}={n!r} is invalid: expected a positive integer")
        sodium = ph.get("sodium", DEFAULT_REGIME[kind])
        if sodium not in REGIMES:
            raise ValueError(f"protocol phase {i}: sodium={sodium!r} is unknown; expected one of {REGIMES}")
        name = ph.get("name", f"{kind}_{i}")
        if not isinstance(name, str) or not name:
            raise ValueError(f"protocol phase {i}: name={name!r} must be a non-empty string")
        phases.append({"name": name, "kind": kind, length_key: int(n), "sodium": sodium})
    names = [p["name"] for p in phases]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"protocol phase names must be unique; repeated: {dupes}")
    return tuple(phases)


__all__ = ["DEFAULT_REGIME", "DELIVERY", "DEPLETE", "HOLD", "KINDS", "NORMAL", "PHASE_KEYS", "PRESETS", "PROBE_INTERVAL", "PR_SCHEDULE", "REGIMES", "STEP_KINDS", "TRIAL_KINDS", "parse_protocol"]

"""SaltRat's protocols: the phases of a rat's session, as presets or lists of phase dicts.

A phase is lever trials (``pavlovian``, ``train``, ``extinction``: how the outcome
arrives) or timed steps (``free_access``, ``deplete``, ``replete``, ``home``: what
the rat can do), under a sodium regime. ``parse_protocol`` checks and completes one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

# Phase kinds: lever trials (how the outcome arrives) or timed steps (what the rat can do).
TRIAL_KINDS = ("pavlovian", "train", "extinction")
STEP_KINDS = ("free_access", "deplete", "replete", "home")
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
    "deplete": "deplete",
    "replete": "normal",
    "home": "normal",
}
DELIVERY = {"pavlovian": 2, "train": 1}  # 0 none (cue only), 1 on a press, 2 always
PHASE_KEYS = ("name", "kind", "trials", "steps", "sodium")


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
    # Sakai et al. 1987: three spaced depletions, each followed by free access to salt.
    "sensitization": tuple(
        phase
        for k in (1, 2, 3)
        for phase in (
            {"name": f"deplete_{k}", "kind": "deplete", "steps": 30},
            {"name": f"salt_access_{k}", "kind": "free_access", "steps": 60},
            {"name": f"replete_{k}", "kind": "replete", "steps": 40},
        )
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


__all__ = ["DEFAULT_REGIME", "DELIVERY", "DEPLETE", "HOLD", "KINDS", "NORMAL", "PHASE_KEYS", "PRESETS", "REGIMES", "STEP_KINDS", "TRIAL_KINDS", "parse_protocol"]

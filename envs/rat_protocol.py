"""SaltRat's protocols: the phases of a rat's session, as presets or lists of phase dicts,
and the session's timetable.

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

Presets (with SaltRat's default period lengths a trial is 3 + 6 + 2 = 11 steps):
- ``"dead_sea_salt"``: ``train`` (pavlovian, 30 trials) -> ``deplete`` (30 steps;
  the first depletion of the rat's life) -> ``test_depleted`` (extinction, 6
  trials) -> ``replete`` (30 steps) -> ``test_replete`` (extinction, 6 trials): 522 steps.
- ``"instrumental"`` (for learners and the benchmark): ``train_replete`` (pressing
  delivers, 20 trials) -> ``deplete`` (30 steps) -> ``train_depleted`` (12 trials,
  sodium held) -> ``replete`` (30 steps) -> ``train_replete_again`` (12 trials): 544 steps.
- ``"sensitization"``: ``need_free_0`` (free access at homeostasis, 40 steps), then
  three times ``deplete_k`` (30 steps) -> ``taste_k`` (taste reactivity, 10 steps)
  -> ``salt_access_k`` (free access, 60 steps) -> ``replete_k`` (40 steps) ->
  ``need_free_k`` (40 steps): 580 steps.
- ``"salt_work"``: three times ``deplete_k`` (30 steps) -> ``work_k`` (progressive
  ratio, 100 steps) -> ``replete_k`` (40 steps): 510 steps.

``Timetable`` turns a parsed protocol into a table of what each phase is (``PHASE_TABLE``
records, as SaltRat's compiled step reads them); ``situation_of`` (compiled) says which
trial, period (``PERIOD_NAMES``, as in NeuroGym) and cue a step belongs to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from brainlike.steering.compiled import jit

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
# The two lever cues, and the named periods of a lever trial (as in NeuroGym).
CUE_NAMES = ("sucrose", "salt")
SUCROSE, SALT = 0, 1
NO_CUE = -1
PERIOD_NAMES = ("iti", "cue", "outcome")
NO_PERIOD, ITI, CUE, OUTCOME = -1, 0, 1, 2
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


#: What a phase is, one record per phase of a protocol (``Timetable.table``), as compiled code reads it.
PHASE_TABLE = np.dtype([
    ("length", np.int64),  # steps
    ("is_trial", np.bool_),  # lever trials (pavlovian, train, extinction)
    ("delivery", np.int64),  # at the end of a cue: 0 none (cue only), 1 on a press, 2 always
    ("target", np.float64),  # sodium's target under the phase's regime
    ("pull", np.float64),  # towards it, per step (0: hold)
    ("spout", np.bool_),  # free access: a salt spout
    ("progressive_ratio", np.bool_),  # the salt lever stays in
    ("probe", np.bool_),  # taste reactivity: intraoral salt probes
])
#: One step's situation (``Timetable.situation``): the fields ``situation_of`` returns, in its order.
SITUATION = np.dtype([("phase", np.int64), ("trial", np.int64), ("within", np.int64), ("period", np.int64),
                      ("cue", np.int64), ("spout", np.bool_), ("salt_lever_in", np.bool_)])


@jit
def situation_of(table, iti, cue_steps, trial_len, phase, t, finished, block_first):  # type: ignore[no-untyped-def]
    """Step ``t`` of ``phase`` in the protocol ``table`` (``PHASE_TABLE`` records), for one body:
    (phase, trial, within, period, cue, spout, salt_lever_in). ``within`` is the step within a
    trial; a block's two cues alternate from ``block_first``. A finished session is in no phase's
    trial and offers nothing (its phase is the last)."""
    ph = min(phase, table.shape[0] - 1)
    live = not finished
    within = t % trial_len
    trial, period, cue = -1, NO_PERIOD, NO_CUE
    if table[ph]["is_trial"] and live:
        trial = t // trial_len
        period = ITI if within < iti else (CUE if within < iti + cue_steps else OUTCOME)
        if period >= CUE:
            cue = block_first ^ (trial % 2)
    return ph, trial, within, period, cue, table[ph]["spout"] and live, table[ph]["progressive_ratio"] and live


@jit
def _situations(table, iti, cue_steps, trial_len, phase, t, finished, block_first, out):  # type: ignore[no-untyped-def]
    for b in range(phase.shape[0]):
        o = out[b]
        (o["phase"], o["trial"], o["within"], o["period"], o["cue"], o["spout"], o["salt_lever_in"]) = situation_of(
            table, iti, cue_steps, trial_len, phase[b], t[b], finished[b], block_first[b])


class Timetable:
    """A parsed protocol as a table: per phase its kind, length, delivery and sodium regime
    (``table``, ``PHASE_TABLE`` records; ``length`` and ``trials`` also as arrays).

    A lever trial is ``iti`` steps of inter-trial interval, ``cue_steps`` of cue (a
    lever inserted) and ``outcome_steps`` of outcome. Sodium regimes become a target
    (``depletion_level`` under ``deplete``, the set point 1 otherwise) and a pull per
    step (``sodium_rate``, 0 under ``hold``).
    """

    def __init__(self, phases: tuple[dict[str, Any], ...], iti: int, cue_steps: int, outcome_steps: int,
                 depletion_level: float, sodium_rate: float) -> None:
        self.phases = phases
        self.names = tuple(p["name"] for p in phases)
        self.iti, self.cue_steps, self.outcome_steps = int(iti), int(cue_steps), int(outcome_steps)
        self.trial_len = self.iti + self.cue_steps + self.outcome_steps
        self.kind = np.array([KINDS.index(p["kind"]) for p in phases])
        self.trials = np.array([p.get("trials", 0) for p in phases])
        self.num_phases = len(phases)
        regime = np.array([REGIMES.index(p["sodium"]) for p in phases])
        self.table = np.zeros(self.num_phases, dtype=PHASE_TABLE)
        self.table["length"] = [p["trials"] * self.trial_len if "trials" in p else p["steps"] for p in phases]
        self.table["is_trial"] = [p["kind"] in TRIAL_KINDS for p in phases]
        self.table["delivery"] = [DELIVERY.get(p["kind"], 0) for p in phases]
        self.table["target"] = np.where(regime == DEPLETE, depletion_level, 1.0)
        self.table["pull"] = np.where(regime == HOLD, 0.0, sodium_rate)
        self.table["spout"] = [p["kind"] == "free_access" for p in phases]
        self.table["progressive_ratio"] = [p["kind"] == "progressive_ratio" for p in phases]
        self.table["probe"] = [p["kind"] == "taste_reactivity" for p in phases]
        self.length = self.table["length"]
        self.total_steps = int(self.length.sum())
        self.per_cue = max(1, int(np.max((self.trials + 1) // 2)))  # presentations of a cue in a phase, at most

    def situation(self, phase: np.ndarray, t: np.ndarray, finished: np.ndarray,
                  block_first: np.ndarray) -> dict[str, np.ndarray]:
        """Phase, trial, within (the step within a trial), period, cue, spout and salt_lever_in
        (the progressive ratio's lever) of the step ``t`` of ``phase``, per body (``situation_of``)."""
        out = np.empty(phase.shape[0], dtype=SITUATION)
        _situations(self.table, self.iti, self.cue_steps, self.trial_len, np.ascontiguousarray(phase), np.ascontiguousarray(t),
                    np.ascontiguousarray(finished), np.ascontiguousarray(block_first), out)
        return {k: out[k] for k in SITUATION.names}


def phase_readouts(spec: Mapping[str, Any], scores: Sequence[np.ndarray], delivered: np.ndarray, intake: float,
                   latency: float, earned: int, reactivity: float, probed: float, sodium_end: float) -> dict[str, Any]:
    """The record of one phase of a rat's session, by its kind (NaN or 0 where nothing happened).

    Lever phases: each cue's ``scores`` in presentation order (``first_trial`` is
    "trial 1"), their means and the deliveries. Free access: salt intake and the
    latency to the first lick (None if the rat never drank). Progressive ratio:
    rewards earned and the breakpoint (the last ratio completed). Taste reactivity:
    the liking per unit probed. Every phase: the sodium after its last step.
    """
    rec: dict[str, Any] = {"kind": spec["kind"], "sodium": spec["sodium"]}
    if spec["kind"] in TRIAL_KINDS:
        named = {name: np.asarray(v).tolist() for name, v in zip(CUE_NAMES, scores)}
        rec["scores"] = named
        rec["first_trial"] = {k: (v[0] if v else None) for k, v in named.items()}
        rec["mean_score"] = {k: (float(np.mean(v)) if v else None) for k, v in named.items()}
        rec["delivered"] = {name: int(delivered[c]) for c, name in enumerate(CUE_NAMES)}
    if spec["kind"] == "free_access":
        rec["salt_intake"] = float(intake)
        rec["latency"] = None if np.isnan(latency) else int(latency)
    if spec["kind"] == "progressive_ratio":
        n = int(earned)
        rec["rewards_earned"] = n
        rec["breakpoint"] = int(PR_SCHEDULE[n - 1]) if n else 0
    if spec["kind"] == "taste_reactivity":
        rec["taste_reactivity"] = float(reactivity / probed) if probed else None
    rec["sodium_end"] = None if np.isnan(sodium_end) else float(sodium_end)
    return rec


__all__ = ["CUE", "CUE_NAMES", "ITI", "NO_CUE", "NO_PERIOD", "OUTCOME", "PERIOD_NAMES", "PHASE_TABLE", "SALT", "SITUATION", "SUCROSE", "Timetable", "situation_of", "phase_readouts", "DEFAULT_REGIME", "DELIVERY", "DEPLETE", "HOLD", "KINDS", "NORMAL", "PHASE_KEYS", "PRESETS", "PROBE_INTERVAL", "PR_SCHEDULE", "REGIMES", "STEP_KINDS", "TRIAL_KINDS", "parse_protocol"]

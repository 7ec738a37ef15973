"""Eyeblink conditioning experiments on Eyeblink-v0: the cerebellum learns a timed blink from scratch.

``eyeblink-acquisition``: %CR per session of cerebellar learners, <= 10% in
the first 20 trials, >= 80% by session 10; the reflex on every puff.
``eyeblink-timing``: on tone-alone probes the CR peaks at the trained
interval (250 and 500 ms), with two peaks for mixed 200/700 ms.
``eyeblink-isi``: %CR after training at 50, 250 and 2000 ms: 50 < 2000 < 250.
``eyeblink-extinction``: tone-alone sessions extinguish CRs; reacquisition is
faster (savings), but not without nucleus plasticity.
``eyeblink-lesions``: a nucleus lesion abolishes CRs, not the reflex; a cortex
lesion after training leaves CRs that start early and are not aligned to the
puff, made by what the nucleus learned (none without nucleus plasticity).

Each runs a cohort of animals (one body each, its own Purkinje synapses, the
same innate wiring drawn from the seed) and judges per animal; every
experiment has a removal arm (no granule basis, or no plasticity, or no
nucleus) that must break the effect.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np

from brainlike import envs  # noqa: F401  (registers the bodies)
from brainlike.agents.base import Agent
from brainlike.agents.experiments.base import (
    NOMINAL, Criterion, Experiment, ExperimentResult, Scales, arm_seed, cohort_seed, save_figure, steering_with,
)
from brainlike.agents.rollout import learn_from, policy, rollout
from brainlike.agents.stats import greater, not_greater, proportion_ci
from brainlike.envs.eyeblink import PAIRED, TONE_ALONE
from brainlike.steering.compiled import jit
from brainlike.steering.eyelid import CLIMBING_FIBRE, STEP_MS, EyelidSteering

EYEBLINK = "brainlike/Eyeblink-v0"
#: The removal arms: the granule basis, or the Purkinje plasticity, taken away at birth.
NO_BASIS = {"cortex": "no-granule-basis"}
NO_PLASTICITY = {"cortex": "no-plasticity"}
#: The removal arm of the nucleus memory: mossy-fibre -> nucleus synapses that never change.
#: Every other arm runs the learner's full circuit (nucleus plasticity on, at its default rate).
NO_NUCLEUS_PLASTICITY = {"nucleus_plasticity": 0.0}
#: The eye's key steering constants, scaled for a sensitivity band. The cerebellar learner
#: reads only the climbing fibre (the puff on the open cornea), not the reward, so the two
#: reward weights and the reflex's threshold (far below the default puff) leave its verdicts
#: unchanged; the blink's latency (3 steps: 2 and 4 in the band) sets how long each puff
#: meets the open cornea, so it reaches the climbing fibre itself.
SENSITIVITY = ("puff_cost", "closure_cost", "puff_threshold", "blink_latency")
#: A conditioned response: the lid at least this far closed after tone onset and before the puff.
CR_THRESHOLD = 0.2


def heldout_seed(seed: int) -> int:
    """The seed of the worlds a trained cohort is tested on: its own, not its training's nor another seed's."""
    return arm_seed(seed, 1)


@dataclass
class Trials:
    """Every trial of a cohort, as (animals, trials) arrays; traces (animals, trials, steps from tone onset)."""

    session: np.ndarray
    kind: np.ndarray
    isi_ms: np.ndarray
    cr: np.ndarray  # the lid crossed CR_THRESHOLD in [tone onset, puff onset)
    onset_ms: np.ndarray  # when it first did (NaN: no CR)
    traces: np.ndarray  # lid position from tone onset
    reflex_latency_ms: np.ndarray  # paired trials: the blink's first step after puff onset (NaN: none)

    def rate(self, select: np.ndarray) -> np.ndarray:
        """Per-animal %CR over the selected trials (NaN for an animal with none)."""
        n = select.sum(axis=1)
        with np.errstate(invalid="ignore"):
            return np.where(n > 0, (self.cr & select).sum(axis=1) / np.maximum(n, 1), np.nan)

    def per_session(self) -> np.ndarray:
        """(animals, sessions) %CR."""
        return np.stack([self.rate(self.session == s) for s in range(int(self.session.max()) + 1)], axis=1)


def cohort_agent(env: gym.vector.VectorEnv, seed: int, learner: str = "cerebellar", **overrides: Any) -> Agent:
    """Learner ``learner`` for ``env``'s bodies: a cerebellar cohort has one set of synapses per
    animal; any other registered learner is built as a user gets it (one brain for the batch)."""
    from brainlike.agents.registry import make_agent

    if learner == "cerebellar":
        overrides = {"animals": env.num_envs, **overrides}
    return make_agent(learner, env, seed=seed, **overrides)


class TrialRecorder:
    """Records every trial of a cohort's schedule, step by step, into ``Trials``.

    ``record`` takes one vector step of the body's ``info``, the lid after the
    step and which bodies' schedules ended on it; ``live`` says which bodies are
    still in their schedule (a body whose schedule is over is no longer part of
    the experiment). Any driver of the bodies can feed it: the project's rollout
    loop, or SB3's own training loop.
    """

    def __init__(self, num_animals: int, total_trials: int, span: int) -> None:
        n = num_animals
        self.total = total_trials
        self.session = np.zeros((n, total_trials), dtype=np.int64)
        self.kind = np.zeros((n, total_trials), dtype=np.int64)
        self.isi = np.zeros((n, total_trials))
        self.traces = np.zeros((n, total_trials, span), dtype=np.float32)
        self.latency = np.full((n, total_trials), np.nan)
        self.index = np.zeros(n, dtype=np.int64)  # trials finished per animal
        self.last_trial = np.zeros(n, dtype=np.int64)
        self.live = np.ones(n, dtype=bool)
        self.trials_per_session = 0

    @classmethod
    def for_body(cls, body: Any) -> TrialRecorder:
        """A recorder sized for ``body``'s whole schedule."""
        recorder = cls(body.num_bodies, body.trials_per_session * len(body.session_phase), body.trace_len)
        recorder.trials_per_session = body.trials_per_session
        return recorder

    def record(self, info: Mapping[str, Any], lid: np.ndarray, ended: np.ndarray) -> None:
        record_step(np.asarray(info["session"]), np.asarray(info["trial"]), np.asarray(info["trial_kind"]),
                    np.asarray(info["since_tone_ms"]), np.asarray(info["isi_ms"]), np.asarray(info["reflex_overrode"]),
                    np.asarray(lid), np.asarray(ended), self.trials_per_session, self.live, self.last_trial, self.index,
                    self.session, self.kind, self.isi, self.traces, self.latency)

    def trials(self) -> Trials:
        steps = np.arange(self.traces.shape[2]) * STEP_MS
        before_puff = steps[None, None, :] < self.isi[:, :, None]
        crossed = (self.traces >= CR_THRESHOLD) & before_puff
        cr = crossed.any(axis=2)
        onset = np.where(cr, np.argmax(crossed, axis=2) * STEP_MS, np.nan)
        return Trials(self.session, self.kind, self.isi, cr, onset, self.traces, self.latency)


@jit
def record_step(session: np.ndarray, trial: np.ndarray, trial_kind: np.ndarray, since_tone_ms: np.ndarray,
                isi_ms: np.ndarray, reflex_overrode: np.ndarray, lid: np.ndarray, ended: np.ndarray,
                trials_per_session: int, live: np.ndarray, last_trial: np.ndarray, index: np.ndarray,
                sessions: np.ndarray, kinds: np.ndarray, isis: np.ndarray, traces: np.ndarray,
                latency: np.ndarray) -> None:
    """One vector step into a ``TrialRecorder``'s arrays (its ``live`` to ``latency``), body by body.

    Each body's trial is its own: a loop over bodies does what the array form's dozen fancy-indexed
    passes did, in one compiled call (the recorder runs on every step of every experiment).
    """
    total, span = traces.shape[1], traces.shape[2]
    for b in range(live.shape[0]):
        if not live[b]:
            continue  # a body whose schedule is over is no longer recorded
        trial_id = session[b] * trials_per_session + trial[b]
        if trial_id != last_trial[b]:  # a new trial index: the previous trial is over
            index[b] += 1
        last_trial[b] = trial_id
        k = min(index[b], total - 1)
        s = np.int64(since_tone_ms[b] / STEP_MS)  # truncated toward zero, as numpy's astype
        if 0 <= s < span:
            traces[b, k, s] = lid[b]
        sessions[b, k] = session[b]
        kinds[b, k] = trial_kind[b]
        isis[b, k] = isi_ms[b]
        if reflex_overrode[b] and trial_kind[b] == PAIRED and np.isnan(latency[b, k]):
            latency[b, k] = since_tone_ms[b] - isi_ms[b]  # the blink's first step after puff onset
        if ended[b]:
            live[b] = False


def run_cohort(agent: Agent | None, num_animals: int, seed: int, learn: bool = True,
               agent_kwargs: dict[str, Any] | None = None, learner: str = "cerebellar", explore: bool = True,
               **env_kwargs: Any) -> tuple[Trials, Agent]:
    """Run every animal of a cohort through one schedule of Eyeblink-v0; record each trial.

    ``agent`` None makes a new cohort of ``learner`` (with ``agent_kwargs``, e.g.
    a lesion); an existing agent carries on (a later phase, or a lesioned animal
    tested). ``learn`` False only acts; ``explore`` False acts greedily.
    """
    env = gym.make_vec(EYEBLINK, num_envs=num_animals, vectorization_mode="vector_entry_point",
                       max_episode_steps=10**8, **env_kwargs)
    body = env.unwrapped.body  # type: ignore[attr-defined]
    if agent is None:
        agent = cohort_agent(env, seed, learner, **(agent_kwargs or {}))
    agent.reset_state()
    recorder = TrialRecorder.for_body(body)
    for t in rollout(env, policy(agent, env, explore=explore), seed=cohort_seed(seed)):
        if learn:
            # A body whose schedule is over is no longer part of the experiment.
            learn_from(agent, t, valid=t.valid & recorder.live)
        recorder.record(t.infos, t.next_obs["interoception"][:, 0], t.ended)
        if not recorder.live.any():
            break
    env.close()
    return recorder.trials(), agent


def _pass_rate(ok: np.ndarray) -> tuple[float, str]:
    k, m = int(ok.sum()), int(ok.size)
    lo, hi = proportion_ci(k, m)
    return k / max(m, 1), f"{k}/{m} animals, 95% CI [{lo:.2f}, {hi:.2f}]"


def _cohort_criterion(name: str, per_animal: np.ndarray, ok: np.ndarray, target: str, required: float = 0.8) -> Criterion:
    """A criterion judged per animal: it holds if at least ``required`` of the cohort meet it."""
    rate, note = _pass_rate(ok)
    return Criterion(name, float(np.nanmedian(per_animal)) if np.isfinite(per_animal).any() else float("nan"),
                     f"{target} in >= {required:.0%} of animals", bool(rate >= required), f"median; {note}")


def probe_peaks(trials: Trials, select: np.ndarray) -> np.ndarray:
    """(animals,) time (ms from tone onset) of the mean probe trace's peak over the selected trials;
    NaN where the mean trace never reaches the CR threshold (no conditioned response to time)."""
    out = np.full(trials.cr.shape[0], np.nan)
    for a in range(trials.cr.shape[0]):
        if select[a].any():
            mean = trials.traces[a, select[a]].mean(axis=0)
            if mean.max() >= CR_THRESHOLD:
                out[a] = float(np.argmax(mean)) * STEP_MS
    return out


def _last_sessions(trials: Trials, count: int) -> np.ndarray:
    return trials.session >= trials.session.max() - count + 1


def _trace_figure(trials: dict[str, Trials], out_dir: Path, name: str, title: str, isi_marks: dict[str, list[float]]) -> str:
    """Mean lid traces on tone-alone probes, session by session (lighter = earlier), one panel per arm."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(trials), figsize=(4.2 * len(trials), 3.2), squeeze=False)
    for ax, (label, tr) in zip(axes[0], trials.items()):
        sessions = int(tr.session.max()) + 1
        t = np.arange(tr.traces.shape[2]) * STEP_MS
        for s in range(sessions):
            select = (tr.session == s) & (tr.kind == TONE_ALONE)
            if select.any():
                ax.plot(t, tr.traces[select].mean(axis=0), color=plt.cm.viridis(s / max(sessions - 1, 1)), lw=1.2)
        for x in isi_marks.get(label, []):
            ax.axvline(x, color="#4f81bd", ls="--", lw=1)
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("ms from tone onset")
        ax.set_ylim(-0.02, 1.02)
    axes[0][0].set_ylabel("lid closure on probes (mean per session)")
    fig.suptitle(title)
    return save_figure(fig, out_dir, name)


# --- the experiments -----------------------------------------------------------------
def _animals(budget: str) -> int:
    return 2 if budget == "small" else 8


def _sessions(budget: str, full: int) -> int:
    return 1 if budget == "small" else full


def _schedule(budget: str, *phases: tuple[str, int]) -> dict[str, Any]:
    """Env arguments of a schedule; the small budget (a smoke run) has sessions of 10 trials."""
    return {"phases": phases, **({"trials_per_session": 10} if budget == "small" else {})}


def _steering(scales: Scales) -> dict[str, Any]:
    """Env arguments giving every eye an ``EyelidSteering`` with its key constants scaled."""
    return {"steering": steering_with(EyelidSteering, scales)} if scales else {}


def acquisition(budget: str, seed: int, out_dir: Path, scales: Scales = NOMINAL) -> ExperimentResult:
    n, sessions = _animals(budget), _sessions(budget, 10)
    intact, _ = run_cohort(None, n, seed, **_schedule(budget, ("acquisition", sessions)), **_steering(scales))
    # Without plasticity nothing can change from session to session: one session shows it.
    frozen, _ = run_cohort(None, n, seed, **_schedule(budget, ("acquisition", 1)), agent_kwargs=NO_PLASTICITY, **_steering(scales))
    per_session = intact.per_session()
    first20 = intact.rate(np.arange(intact.cr.shape[1])[None, :] < 20)
    final = per_session[:, -1]
    frozen_final = frozen.per_session()[:, -1]
    reflex = intact.reflex_latency_ms[intact.kind == PAIRED]
    reflex_ok = np.isfinite(reflex) & (reflex >= 15) & (reflex <= 25)
    criteria = [
        _cohort_criterion("%CR in the first 20 trials", first20, first20 <= 0.10, "<= 0.10"),
        _cohort_criterion(f"%CR in session {sessions}", final, final >= 0.80, ">= 0.80"),
        Criterion("puffs answered by the reflex at 15-25 ms", float(reflex_ok.mean()), "1.0", bool(reflex_ok.all()),
                  f"{int(reflex_ok.sum())}/{reflex.size} puffs"),
        Criterion.from_test("removal arm, no Purkinje plasticity: %CR in its last session", not_greater(frozen_final, margin=0.10),
                            "< 0.10 (one-sided, over animals)"),
    ]
    figure = _trace_figure({"cerebellar learner": intact}, out_dir, "eyeblink-acquisition",
                           "Acquisition: probe lid traces across sessions", {"cerebellar learner": [250.0]})
    data = {"animals": n, "sessions": sessions, "cr_per_session": per_session, "first20": first20,
            "frozen_cr_per_session": frozen.per_session()}
    return ExperimentResult("eyeblink-acquisition", budget, seed, criteria, data, figure)


def timing(budget: str, seed: int, out_dir: Path, scales: Scales = NOMINAL) -> ExperimentResult:
    n, sessions = _animals(budget), _sessions(budget, 3)
    runs: dict[str, Trials] = {}
    criteria = []
    for isi in (250.0, 500.0):
        tr, _ = run_cohort(None, n, seed, isi_ms=isi, **_schedule(budget, ("acquisition", sessions)), **_steering(scales))
        runs[f"{isi:.0f} ms"] = tr
        late = _last_sessions(tr, 2) & (tr.kind == TONE_ALONE)
        peaks = probe_peaks(tr, late)
        ok = np.abs(peaks - isi) <= 0.15 * isi
        criteria.append(_cohort_criterion(f"probe CR peak, trained at {isi:.0f} ms (ms)", peaks, ok, f"within +-15% of {isi:.0f}"))
        onsets = np.array([np.nanmedian(tr.onset_ms[a][late[a] & tr.cr[a]]) if (late[a] & tr.cr[a]).any() else np.nan for a in range(n)])
        criteria.append(_cohort_criterion(f"CR onset after tone, {isi:.0f} ms (ms)", onsets, onsets >= 50, ">= 50"))
    mixed, _ = run_cohort(None, n, seed, isi_ms=[200.0, 700.0], **_schedule(budget, ("acquisition", sessions)), **_steering(scales))
    runs["mixed 200/700 ms"] = mixed
    two = _two_peaks(mixed, (200.0, 700.0))
    criteria.append(_cohort_criterion("two probe peaks for mixed 200/700 ms", two.astype(float), two, "a peak near each interval"))
    nobasis, _ = run_cohort(None, n, seed, isi_ms=500.0, **_schedule(budget, ("acquisition", sessions)), agent_kwargs=NO_BASIS,
                             **_steering(scales))
    runs["500 ms, no granule basis"] = nobasis
    late = _last_sessions(nobasis, 2) & (nobasis.kind == TONE_ALONE)
    peaks = probe_peaks(nobasis, late)
    broken = ~(np.abs(peaks - 500.0) <= 75.0)
    criteria.append(_cohort_criterion("removal arm, no granule basis: probe peak not at 500 ms", peaks, broken,
                                      "outside +-15% of 500, or no CR peak (NaN)"))
    figure = _trace_figure(runs, out_dir, "eyeblink-timing", "Timing: probe lid traces across sessions",
                           {"250 ms": [250.0], "500 ms": [500.0], "mixed 200/700 ms": [200.0, 700.0], "500 ms, no granule basis": [500.0]})
    data = {"animals": n, "sessions": sessions, "peaks": {k: probe_peaks(v, _last_sessions(v, 2) & (v.kind == TONE_ALONE)) for k, v in runs.items()}}
    return ExperimentResult("eyeblink-timing", budget, seed, criteria, data, figure)


def _two_peaks(trials: Trials, intervals: tuple[float, float]) -> np.ndarray:
    """Per animal: the mean late probe trace has a local maximum within +-15% of each interval,
    with a dip between them (lower than both peaks by at least 0.05)."""
    late = _last_sessions(trials, 2) & (trials.kind == TONE_ALONE)
    out = np.zeros(trials.cr.shape[0], dtype=bool)
    t = np.arange(trials.traces.shape[2]) * STEP_MS
    short, long = intervals
    for a in range(trials.cr.shape[0]):
        if not late[a].any():
            continue
        mean = trials.traces[a, late[a]].mean(axis=0)
        near_s = np.abs(t - short) <= 0.15 * short
        near_l = np.abs(t - long) <= 0.15 * long
        between = (t > short * 1.15) & (t < long * 0.85)
        p1, p2 = mean[near_s].max(), mean[near_l].max()
        dip = mean[between].min() if between.any() else min(p1, p2)
        out[a] = bool(min(p1, p2) >= CR_THRESHOLD and dip <= min(p1, p2) - 0.05)
    return out


def isi(budget: str, seed: int, out_dir: Path, scales: Scales = NOMINAL) -> ExperimentResult:
    n, sessions = _animals(budget), _sessions(budget, 3)
    rates, runs = {}, {}
    for interval in (50.0, 250.0, 2000.0):
        tr, _ = run_cohort(None, n, seed, isi_ms=interval, **_schedule(budget, ("acquisition", sessions)), **_steering(scales))
        rates[interval] = tr.rate(_last_sessions(tr, 2))
        runs[f"{interval:.0f} ms"] = tr
    short, mid, long = rates[50.0], rates[250.0], rates[2000.0]
    ordered = (short < long) & (long < mid)
    nobasis, _ = run_cohort(None, n, seed, isi_ms=50.0, **_schedule(budget, ("acquisition", sessions)), agent_kwargs=NO_BASIS,
                             **_steering(scales))
    nb_short = nobasis.rate(_last_sessions(nobasis, 2))
    criteria = [
        _cohort_criterion("%CR at 50 ms", short, short <= 0.10, "<= 0.10"),
        _cohort_criterion("%CR at 250 ms", mid, mid >= 0.80, ">= 0.80"),
        _cohort_criterion("%CR at 2000 ms", long, (long > short) & (long < mid), "between 50 and 250 ms"),
        _cohort_criterion("ordering 50 < 2000 < 250 ms (1 = holds)", ordered.astype(float), ordered, "holds"),
        _cohort_criterion("removal arm, no granule basis: %CR at 50 ms", nb_short, nb_short > short + 0.5,
                          "> intact + 0.5 (the floor at short intervals is the basis's)"),
    ]
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.4))
    for a in range(n):
        ax.plot([50, 250, 2000], [short[a], mid[a], long[a]], "o-", color="#4f81bd", alpha=0.5)
    ax.plot([50], [float(np.nanmean(nb_short))], "s", color="#c0504d", label="no granule basis")
    ax.set_xscale("log")
    ax.set_xlabel("tone-puff interval (ms)")
    ax.set_ylabel(f"%CR, last 2 of {sessions} sessions")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=8)
    ax.set_title("Interval: nothing below 100 ms, less at long intervals")
    figure = save_figure(fig, out_dir, "eyeblink-isi")
    data = {"animals": n, "sessions": sessions, "cr": {f"{k:.0f}": v for k, v in rates.items()}, "no_basis_cr_50": nb_short}
    return ExperimentResult("eyeblink-isi", budget, seed, criteria, data, figure)


def trials_to_criterion(trials: Trials, start: np.ndarray, window: int = 20, level: float = 0.8) -> np.ndarray:
    """Per animal: trials after ``start`` until the %CR of the last ``window`` trials first reaches ``level``."""
    out = np.full(trials.cr.shape[0], np.nan)
    for a in range(trials.cr.shape[0]):
        cr = trials.cr[a, start[a]:].astype(float)
        if cr.size >= window:
            moving = np.convolve(cr, np.ones(window) / window, mode="valid")
            hit = np.flatnonzero(moving >= level)
            out[a] = hit[0] + window if hit.size else np.nan
    return out


def _savings(trials: Trials, acq: int, ext: int) -> np.ndarray:
    """Per animal: 1 - (reacquisition trials to 80% CR) / (acquisition trials to 80% CR); NaN where either never got there."""
    n = trials.cr.shape[0]
    again = np.full(n, int(np.sum(trials.session < acq + ext) // n), dtype=np.int64)
    return 1.0 - trials_to_criterion(trials, again) / trials_to_criterion(trials, np.zeros(n, dtype=np.int64))


def extinction(budget: str, seed: int, out_dir: Path, scales: Scales = NOMINAL) -> ExperimentResult:
    n = _animals(budget)
    acq, ext, re = (1, 1, 1) if budget == "small" else (3, 5, 2)
    schedule = (("acquisition", acq), ("extinction", ext), ("reacquisition", re))
    tr, _ = run_cohort(None, n, seed, **_schedule(budget, *schedule), **_steering(scales))
    per_session = tr.per_session()
    after_ext = per_session[:, acq + ext - 1]
    savings = _savings(tr, acq, ext)
    # Removal arm of the savings: the same schedule without nucleus plasticity (nothing outlasts the cortex's extinction).
    no_nucleus, _ = run_cohort(None, n, seed, **_schedule(budget, *schedule), agent_kwargs=NO_NUCLEUS_PLASTICITY, **_steering(scales))
    nn_savings = _savings(no_nucleus, acq, ext)
    # Removal arm of the extinction: the same training, then extinction with the Purkinje synapses frozen.
    _, agent = run_cohort(None, n, seed, **_schedule(budget, ("acquisition", acq)), **_steering(scales))
    agent.lesion(cortex="no-plasticity")  # type: ignore[attr-defined]
    frozen, _ = run_cohort(agent, n, heldout_seed(seed), **_schedule(budget, ("extinction", ext)), **_steering(scales))
    frozen_last = frozen.per_session()[:, -1]
    criteria = [
        _cohort_criterion(f"%CR at the end of acquisition (session {acq})", per_session[:, acq - 1],
                          per_session[:, acq - 1] >= 0.8, ">= 0.80"),
        _cohort_criterion(f"%CR after {ext} tone-alone sessions", after_ext, after_ext <= 0.2, "<= 0.20"),
        _cohort_criterion("savings: 1 - reacquisition / acquisition trials to 80% CR", savings, savings >= 0.5,
                          ">= 0.50 (reacquisition in <= half the trials)"),
        Criterion.from_test("removal arm, no nucleus plasticity: savings", not_greater(_finite(nn_savings, 0.0), margin=0.5),
                            "< 0.50 (one-sided, over animals; never reaching 80% counts as no savings)"),
        Criterion.from_test("removal arm, Purkinje plasticity frozen before extinction: %CR after it",
                            greater(frozen_last, margin=0.2), "> 0.20 (one-sided: no extinction)"),
    ]
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.4))
    x = np.arange(1, per_session.shape[1] + 1)
    for a in range(n):
        ax.plot(x, per_session[a], "-", color="#4f81bd", alpha=0.4)
    ax.plot(x, np.nanmean(per_session, axis=0), "o-", color="#1f3f6f", label="cerebellar learners (mean)")
    ax.plot(x, np.nanmean(no_nucleus.per_session(), axis=0), "s--", color="#c0504d", label="no nucleus plasticity (mean)")
    ax.axvspan(acq + 0.5, acq + ext + 0.5, color="#dddddd", label="extinction (tone alone)")
    ax.set_xlabel("session")
    ax.set_ylabel("%CR")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=8)
    ax.set_title("Extinction and reacquisition")
    figure = save_figure(fig, out_dir, "eyeblink-extinction")
    data = {"animals": n, "schedule": schedule, "cr_per_session": per_session, "savings": savings,
            "no_nucleus_plasticity_cr_per_session": no_nucleus.per_session(), "no_nucleus_plasticity_savings": nn_savings,
            "frozen_extinction_cr": frozen.per_session()}
    return ExperimentResult("eyeblink-extinction", budget, seed, criteria, data, figure)


def _finite(x: np.ndarray, fill: float) -> np.ndarray:
    return np.where(np.isfinite(x), x, fill)


def _trained(budget: str, seed: int, sessions: int, scales: Scales, agent_kwargs: dict[str, Any] | None = None) -> Agent:
    """A cohort trained for ``sessions`` acquisition sessions."""
    _, agent = run_cohort(None, _animals(budget), seed, **_schedule(budget, ("acquisition", sessions)),
                          agent_kwargs=agent_kwargs, **_steering(scales))
    return agent


def _cortex_removed(agent: Agent, budget: str, seed: int, scales: Scales) -> Trials:
    """Remove the cerebellar cortex of a trained cohort and test it (Perrett, Ruiz & Mauk 1993)."""
    agent.lesion(cortex="removed")  # type: ignore[attr-defined]
    return run_cohort(agent, _animals(budget), heldout_seed(seed), **_schedule(budget, ("acquisition", 1)), learn=False,
                      **_steering(scales))[0]


def lesions(budget: str, seed: int, out_dir: Path, scales: Scales = NOMINAL) -> ExperimentResult:
    n, sessions = _animals(budget), _sessions(budget, 3)
    agent = _trained(budget, seed, sessions, scales)
    # The nucleus lesion and the cortex removal each lesion the same trained cohort: the removal
    # its own copy, taken before any test (a test does not learn, but it leaves nothing to chance).
    twin = copy.deepcopy(agent)
    sham, _ = run_cohort(agent, n, heldout_seed(seed), **_schedule(budget, ("acquisition", 1)), learn=False, **_steering(scales))
    agent.lesion(nucleus=False)  # type: ignore[attr-defined]
    cut, _ = run_cohort(agent, n, heldout_seed(seed), **_schedule(budget, ("acquisition", 1)), learn=False, **_steering(scales))
    removed = _cortex_removed(twin, budget, seed, scales)
    nn_removed = _cortex_removed(_trained(budget, seed, sessions, scales, NO_NUCLEUS_PLASTICITY), budget, seed, scales)
    sham_cr, cut_cr = sham.rate(sham.session >= 0), cut.rate(cut.session >= 0)
    reflex = cut.reflex_latency_ms[cut.kind == PAIRED]
    reflex_ok = np.isfinite(reflex) & (reflex >= 15) & (reflex <= 25)
    everything = removed.session >= 0
    rm_cr = removed.rate(everything)
    onsets = np.array([np.nanmedian(removed.onset_ms[a][removed.cr[a]]) if removed.cr[a].any() else np.nan for a in range(n)])
    peaks = probe_peaks(removed, removed.kind == TONE_ALONE)
    isi_ms = float(removed.isi_ms[0, 0])
    # Perrett et al.: CRs remain (here at least 20% of trials), start early and are not aligned to the puff.
    short_untimed = (rm_cr >= 0.2) & (onsets < 100) & ~(np.abs(peaks - isi_ms) <= 0.15 * isi_ms)
    nn_cr = nn_removed.rate(nn_removed.session >= 0)
    criteria = [
        _cohort_criterion("sham (trained, intact): %CR", sham_cr, sham_cr >= 0.8, ">= 0.80"),
        Criterion.from_test("nucleus lesion after training: %CR", not_greater(cut_cr, margin=0.10), "< 0.10 (one-sided, over animals)"),
        Criterion("nucleus lesion: puffs answered by the reflex at 15-25 ms", float(reflex_ok.mean()), "1.0",
                  bool(reflex_ok.all()), f"{int(reflex_ok.sum())}/{reflex.size} puffs"),
        _cohort_criterion("cortex removed after training: CRs remain (%CR), start < 100 ms, probe peak not at the puff",
                          rm_cr, short_untimed, "%CR >= 0.20, median onset < 100 ms, peak outside +-15% of the interval"),
        Criterion.from_test("removal arm, no nucleus plasticity: %CR after the cortex is removed",
                            not_greater(nn_cr, margin=0.10), "< 0.10 (one-sided: the nucleus memory is what remains)"),
    ]
    figure = _trace_figure({"intact": sham, "nucleus lesion": cut, "cortex removed": removed,
                            "cortex removed, no nucleus plasticity": nn_removed}, out_dir, "eyeblink-lesions",
                           "Lesions: probe lid traces", {k: [isi_ms] for k in ("intact", "nucleus lesion", "cortex removed",
                                                                                "cortex removed, no nucleus plasticity")})
    data = {"animals": n, "sessions": sessions, "sham_cr": sham_cr, "lesion_cr": cut_cr, "cortex_removed_cr": rm_cr,
            "cortex_removed_onset_ms": onsets, "cortex_removed_peak_ms": peaks, "no_nucleus_plasticity_removed_cr": nn_cr}
    return ExperimentResult("eyeblink-lesions", budget, seed, criteria, data, figure)


_PAPERS = "Disterhoft, Kwan & Lo 1977; Schneiderman & Gormezano 1964; Mauk & Ruiz 1992; Medina et al. 2000"
EXPERIMENTS = [
    Experiment("eyeblink-acquisition", EYEBLINK, "Disterhoft, Kwan & Lo 1977, Brain Res 137:127",
               "https://doi.org/10.1016/0006-8993(77)91017-1", ("cerebellum", "learning", "eyeblink", "climbing-fibre"),
               "Cerebellar learners acquire conditioned blinks from none to >= 80% by session 10; the reflex never changes.",
               acquisition, SENSITIVITY),
    Experiment("eyeblink-timing", EYEBLINK, "Mauk & Ruiz 1992; Medina et al. 2000, J Neurosci 20:5516",
               "https://doi.org/10.1523/JNEUROSCI.20-14-05516.2000", ("cerebellum", "timing", "granule-cells", "eyeblink"),
               "Probe CRs peak at the trained interval; mixed intervals give two peaks; no granule basis, no timing.",
               timing, SENSITIVITY),
    Experiment("eyeblink-isi", EYEBLINK, "Schneiderman & Gormezano 1964, J Comp Physiol Psychol 57:188",
               "https://doi.org/10.1037/h0043091", ("cerebellum", "interval", "eyeblink"),
               "Nothing is learned at 50 ms; 2000 ms is learned less than 250 ms.",
               isi, SENSITIVITY),
    Experiment("eyeblink-extinction", EYEBLINK, "Kehoe & Joscelyne 2005; Kehoe 2006",
               "https://doi.org/10.1037/0735-7044.119.4.1011", ("cerebellum", "extinction", "savings", "eyeblink"),
               "Tone-alone sessions extinguish CRs; reacquisition takes at most half the original trials.",
               extinction, SENSITIVITY),
    Experiment("eyeblink-lesions", EYEBLINK, "McCormick & Thompson 1984; Perrett, Ruiz & Mauk 1993",
               "https://doi.org/10.1126/science.6701513", ("cerebellum", "lesion", "interpositus", "eyeblink"),
               "An output lesion abolishes CRs but not the reflex; a cortex lesion after training leaves short-latency, "
               "untimed CRs, the nucleus's memory.",
               lesions, SENSITIVITY),
]

"""Song learning experiments on SongbirdTutor-v0 (Fiete, Fee & Seung 2007; Gadagkar et al. 2016;
Tumer & Brainard 2007).

``tutor-learning``: juveniles, each with its own learning-from-scratch motor
system (a ``NodePerturbationAgent``: random RA weights at birth, LMAN-like
perturbations, reward = the innate evaluator's song quality and nothing else),
raise their song's similarity to the tutor from chance to high over renditions.
An SB3 baseline trained on the same number of env steps is kept as a contrast
(numbers and figure only: the science states no criterion for it).

``performance-error``: the innate evaluator's performance error is negative on
distorted renditions and positive on undistorted ones, and the positive burst
grows with the probability of distortion.

``pitch-shift``: adult birds under pitch-contingent white noise on one syllable
move that syllable's pitch away from the noise while the other syllables stay
put, and drift back once the noise stops.

``write_songs`` writes three WAVs a person can listen to: the tutor, a bird at
birth, the same bird after learning.

Every experiment prints nothing; randomness comes only from ``seed``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np

from brainlike import envs  # noqa: F401  (registers the bodies)
from brainlike.agents.experiments.base import Criterion, Experiment, ExperimentResult
from brainlike.agents.reporting import save_figure
from brainlike.agents.rollout import rollout
from brainlike.agents.stats import bootstrap_ci, spearman
from brainlike.envs.songbird_tutor import NUM_MOTOR, SongbirdBody, syrinx
from brainlike.steering.songbird import to_physical

SONGBIRD = "brainlike/SongbirdTutor-v0"
S = 4  # syllables of the default song
SENSORY_BOUTS = 2  # the body's default sensory phase: the tutor sings twice

#: Node-perturbation settings for one bird's life. The agent's own defaults
#: (noise 0.2, lr 2.0, fixed) plateau near 0.3 similarity: the evaluator is a
#: narrow Gaussian (width 0.15) whose tail, where random RA weights start, is
#: nearly flat, so a juvenile needs large perturbations to find the slope and an
#: adult small ones to sit on the peak. LMAN-driven variability and plasticity
#: do decline from juvenile to adult (Olveczky, Andalman & Fee 2005, PLoS Biol
#: 3:e153; crystallisation at about day 90), so both decay geometrically over the
#: juvenile period and stay at their adult values afterwards. Weights at birth
#: keep the agent's default (uniform in [-1, 1]): the song at birth is exactly
#: random motor commands, i.e. chance.
JUVENILE_NOISE = (0.6, 0.05)
JUVENILE_LR = (3.0, 0.5)
#: "High" similarity: a perfect copy scores 1, random motor commands about 0.025.
HIGH_SIMILARITY = 0.7


class Flock:
    """``n`` birds in one native vector env, each with its own ``NodePerturbationAgent`` (its own brain).

    One agent per bird, never one agent shared by the batch: each bird has its
    own tutor (drawn from the seed) and learns only from its own renditions, so
    "renditions" below are one bird's renditions. Lives never truncate
    (``max_episode_steps=None``): one life, one tutor, one template.
    """

    def __init__(self, n: int, seed: int, **env_kwargs: Any) -> None:
        from brainlike.agents.registry import make_agent

        self.n = n
        self.env = gym.make_vec(SONGBIRD, num_envs=n, vectorization_mode="vector_entry_point",
                                max_episode_steps=None, **env_kwargs)
        self.body: SongbirdBody = self.env.unwrapped.body  # type: ignore[attr-defined]
        # maturation=0: these birds follow the experiment's own juvenile schedule (set_plasticity).
        self.agents = [make_agent("node-perturbation", self.env, seed=seed * 1000 + i, maturation=0) for i in range(n)]
        self._explore = False
        self._steps = rollout(self.env, self._act, seed=seed)
        self.bouts_sung = 0
        # The sensory phase: the tutor sings, the bird listens (its silent subsong is not scored,
        # and it learns nothing from it).
        for _ in range(SENSORY_BOUTS * S):
            self._step(learn=False, explore=False)

    def set_plasticity(self, noise_std: float, lr: float) -> None:
        """Set every bird's LMAN perturbation size and learning rate (the age-dependent schedule)."""
        for a in self.agents:
            a.config["noise_std"] = float(noise_std)
            a.config["lr"] = float(lr)

    def _rows(self, obs: dict[str, np.ndarray]) -> list[dict[str, np.ndarray]]:
        """Each bird's own observation, as a batch of one."""
        return [{k: v[i : i + 1] for k, v in obs.items()} for i in range(self.n)]

    def _act(self, obs: dict[str, np.ndarray]) -> np.ndarray:
        return np.concatenate([a.act(o, explore=self._explore) for a, o in zip(self.agents, self._rows(obs))])

    def _step(self, learn: bool, explore: bool) -> dict[str, Any]:
        self._explore = explore
        t = next(self._steps)
        if learn:
            sung = ~t.infos["song"]["tutor_sang"]
            for i, (a, o) in enumerate(zip(self.agents, self._rows(t.obs))):
                # The learner sees only its observation, its action and the steering's reward.
                a.learn(o, t.actions[i : i + 1], t.rewards[i : i + 1], None, t.terminated[i : i + 1],
                        t.truncated[i : i + 1], valid=sung[i : i + 1])
        return t.infos["song"]

    def sing(self, bouts: int, learn: bool = True, explore: bool = True,
             schedule: Callable[[float], tuple[float, float]] | None = None,
             record: tuple[str, ...] = ("quality", "pitch_hz", "distorted")) -> dict[str, np.ndarray]:
        """Sing ``bouts`` bouts; returns ``{key: (bouts, n, S)}`` of the body's per-rendition song info.

        ``schedule(fraction of these bouts done) -> (noise_std, lr)`` is applied at each bout.
        """
        log = {k: np.zeros((bouts, self.n, S)) for k in record}
        rows = np.arange(self.n)
        for b in range(bouts):
            if schedule is not None:
                self.set_plasticity(*schedule(b / bouts))
            for _ in range(S):
                song = self._step(learn, explore)
                s = song["syllable"]
                for k in record:
                    log[k][b, rows, s] = song[k]
            self.bouts_sung += 1
        return log

    def directed_similarity(self) -> np.ndarray:
        """(n, S) similarity of the LMAN-off song (RA's command alone), scored by each bird's own evaluator.

        Like female-directed song, where LMAN variability is suppressed. Computed
        without the body's motor noise and without touching the env, so measuring
        changes nothing.
        """
        layout = self.env.unwrapped.layout  # type: ignore[attr-defined]
        extero, intero = layout.widths()
        clock = {"exteroception": np.zeros((S, extero), np.float32), "interoception": np.zeros((S, intero), np.float32)}
        clock["exteroception"][:, layout.slice("song_clock")] = np.eye(S)
        commands = np.stack([a.command(clock) for a in self.agents]).astype(np.float64)  # (n, S, 4)
        heard = np.concatenate([syrinx(commands), np.zeros((self.n, S, 1))], axis=-1)
        steering = self.env.unwrapped.steering  # type: ignore[attr-defined]
        return np.stack([steering.quality(heard[:, s], np.full(self.n, s)) for s in range(S)], axis=1)

    def close(self) -> None:
        self.env.close()


def juvenile_schedule(fraction: float) -> tuple[float, float]:
    """(noise_std, lr) at ``fraction`` of the juvenile period: geometric decay to the adult values."""
    (n0, n1), (l0, l1) = JUVENILE_NOISE, JUVENILE_LR
    return n0 * (n1 / n0) ** fraction, l0 * (l1 / l0) ** fraction


def adult_schedule(_: float) -> tuple[float, float]:
    return JUVENILE_NOISE[1], JUVENILE_LR[1]


def chance_similarity(n: int, bouts: int, seed: int) -> np.ndarray:
    """Quality of uniformly random motor commands, scored by the steering: (bouts * S * n,) values."""
    env = gym.make_vec(SONGBIRD, num_envs=n, vectorization_mode="vector_entry_point", max_episode_steps=None)
    rng = np.random.default_rng(seed)
    q = []
    babble = rollout(env, lambda _: rng.uniform(-1.0, 1.0, (n, NUM_MOTOR)).astype(np.float32), seed=seed)
    for t, step in zip(range((SENSORY_BOUTS + bouts) * S), babble):
        if t >= SENSORY_BOUTS * S:
            q.append(step.infos["song"]["quality"])
    env.close()
    return np.concatenate(q)


# --- tutor-learning -----------------------------------------------------------------------------
def tutor_learning(budget: str, seed: int, out_dir: Path) -> ExperimentResult:
    """Fiete, Fee & Seung 2007 (https://doi.org/10.1152/jn.01311.2006): similarity from chance to high.

    Each bird's RA weights start random (the song at birth is random motor
    commands); it learns by node perturbation from the steering's reward alone.
    Similarity is measured on the renditions the bird actually sings (LMAN
    perturbations included); the LMAN-off (directed) song is recorded too.
    """
    from brainlike.agents.baselines import SB3Agent

    small = budget == "small"
    n, bouts = (6, 600) if small else (24, 4000)
    sb3_algo = "sac"
    rng = np.random.default_rng(seed)
    chance = chance_similarity(32 if small else 64, 10 if small else 20, seed + 7)

    t0 = time.perf_counter()
    flock = Flock(n, seed)
    birth = flock.directed_similarity()  # (n, S): the random RA weights' song, before any learning
    block = max(bouts // 40, 1)
    xs, sung_curve, directed_curve = [0], [float("nan")], [float(birth.mean())]
    sung_blocks = []
    for k in range(0, bouts, block):
        m = min(block, bouts - k)
        log = flock.sing(m, schedule=lambda f, k=k, m=m: juvenile_schedule((k + f * m) / bouts), record=("quality",))
        sung_blocks.append(log["quality"].mean(axis=(0, 2)))  # per bird
        xs.append(k + m)
        sung_curve.append(float(log["quality"].mean()))
        directed_curve.append(float(flock.directed_similarity().mean()))
    # The adult song: a block at the adult (crystallised) settings, still learning.
    adult_bouts = max(bouts // 20, 20)
    adult = flock.sing(adult_bouts, schedule=adult_schedule, record=("quality",))["quality"]
    per_bird_after = adult.mean(axis=(0, 2))
    directed_after = flock.directed_similarity()
    np_seconds = time.perf_counter() - t0
    flock.close()
    first_sung = float(np.mean(sung_blocks[0]))

    # The SB3 contrast: one SAC learner, bird 0's tutor, the same number of env steps as one bird.
    e = gym.make(SONGBIRD)
    e.reset(seed=seed)
    tutor0 = to_physical(e.unwrapped.body.tutor[0])  # type: ignore[attr-defined]
    e.close()
    # Bird 0's tutor, drawn exactly as the flock's bird 0 drew it (same reset seed, body 0).
    sb3_steps = (SENSORY_BOUTS + bouts + adult_bouts) * S
    t0 = time.perf_counter()
    sb3 = SB3Agent(sb3_algo, SONGBIRD, seed=seed, env_kwargs={"tutor_song": tutor0})
    history = sb3.train(sb3_steps, eval_every=max(sb3_steps // 10, 100), eval_episodes=8, progress=False)
    sb3_seconds = time.perf_counter() - t0
    # Its lives are 100 steps (2 heard bouts, 23 sung): renditions per syllable = sung steps / S.
    sb3_x = [row["env_steps"] * (1 - SENSORY_BOUTS / 25) / S for row in history]
    sb3_y = [row.get("eval_mean_similarity", float("nan")) for row in history]

    chance_mean = float(chance.mean())
    birth_mean = float(birth.mean())
    lo, hi = bootstrap_ci(birth.ravel(), rng=rng)
    after = float(adult.mean())
    criteria = [
        Criterion("similarity at birth (random RA weights, LMAN-off)", birth_mean,
                  "chance (random motor commands) inside its 95% bootstrap CI", lo <= chance_mean <= hi,
                  f"birth [{lo:.3f}, {hi:.3f}], chance {chance_mean:.3f}, {n} birds x {S} syllables"),
        Criterion(f"similarity of sung renditions after {bouts} bouts", after, f">= {HIGH_SIMILARITY} (high)",
                  after >= HIGH_SIMILARITY,
                  f"reward = steering quality only; {float((per_bird_after >= HIGH_SIMILARITY).mean()):.0%} of birds >= {HIGH_SIMILARITY}"),
    ]

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(xs[1:], sung_curve[1:], "-", color="#4f81bd", label="node perturbation: sung renditions")
    ax.plot(xs, directed_curve, "--", color="#4f81bd", alpha=0.7, label="node perturbation: LMAN-off song")
    ax.plot(sb3_x, sb3_y, "o-", color="#c0504d", ms=3, label=f"SB3 {sb3_algo.upper()} (contrast, greedy)")
    ax.axhline(chance_mean, color="#7f7f7f", ls=":", label=f"chance (random commands) {chance_mean:.3f}")
    ax.axhline(HIGH_SIMILARITY, color="#9bbb59", ls=":", label=f"high ({HIGH_SIMILARITY})")
    ax.set_xlabel("renditions of each syllable (bouts sung) per bird")
    ax.set_ylabel("similarity to the tutor (steering quality)")
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title(f"Learning the tutor's song from the steering's reward ({n} birds)")
    figure = save_figure(fig, out_dir, "tutor-learning")

    data = {
        "learner": "NodePerturbationAgent (one per bird), agents.registry defaults + juvenile schedule",
        "juvenile_noise_std": JUVENILE_NOISE, "juvenile_lr": JUVENILE_LR,
        "num_birds": n, "juvenile_bouts": bouts, "adult_bouts": adult_bouts,
        "chance_similarity": chance_mean, "birth_similarity": birth_mean, "birth_ci": (lo, hi),
        "first_sung_block_similarity": first_sung,
        "after_similarity_sung": after, "after_similarity_directed": float(directed_after.mean()),
        "per_bird_after_sung": per_bird_after, "per_bird_after_directed": directed_after.mean(axis=1),
        "curve": {"bouts": xs, "sung": sung_curve, "directed": directed_curve},
        "node_perturbation_seconds": np_seconds,
        "sb3_contrast": {"algo": sb3_algo, "env_steps": sb3_steps, "tutor": "bird 0's tutor, fixed across its lives",
                         "renditions": sb3_x, "similarity_greedy": sb3_y, "final_similarity": sb3_y[-1],
                         "seconds": sb3_seconds, "learned_parameters": sb3.num_parameters},
        "node_perturbation_learned_parameters": flock.agents[0].num_parameters,
    }
    return ExperimentResult("tutor-learning", budget, seed, criteria, data, figure)


# --- performance-error --------------------------------------------------------------------------
def performance_error(budget: str, seed: int, out_dir: Path) -> ExperimentResult:
    """Gadagkar et al. 2016 (https://doi.org/10.1126/science.aah6837): dopamine as performance error.

    A singer that sings the template well (each bird sings its tutor's own
    motor commands, plus the body's motor noise) hears a white-noise burst on
    syllable 1 with probability ``p``. The steering's expectation of that
    syllable settles near ``(1 - p) q`` (q: clean quality), so its performance
    error is ``-(1 - p) q`` after a distorted rendition (a dip that shrinks as
    distortion becomes expected) and ``+p q`` after an undistorted one (a burst
    that grows with ``p``). The criteria: dip < 0 and burst > 0 at every ``p``;
    the burst rises with ``p`` (Spearman >= 0.9). The dip's ``(1 - p)``
    scaling is reported in ``data``.
    """
    small = budget == "small"
    n, warm, measure = (8, 40, 60) if small else (32, 60, 240)
    target = 1
    probabilities = np.round(np.arange(0.1, 0.91, 0.1), 2)
    dips, bursts, clean, dip_sign, burst_sign, qualities = [], [], [], [], [], []
    for j, p in enumerate(probabilities):
        # Threshold above every pitch: every rendition of the target is contingent, with probability p.
        env = gym.make_vec(SONGBIRD, num_envs=n, vectorization_mode="vector_entry_point", max_episode_steps=None,
                           feedback_syllable=target, feedback_threshold=1e4, feedback_side="below",
                           feedback_probability=float(p))
        body: SongbirdBody = env.unwrapped.body  # type: ignore[attr-defined]
        rows = np.arange(n)
        err, dist, syl, qual = [], [], [], []
        sing_the_tutor_song = rollout(
            env, lambda _, body=body, rows=rows: body.tutor_motor[rows, body.clock].astype(np.float32), seed=seed + j)
        for t, step in zip(range((SENSORY_BOUTS + warm + measure) * S), sing_the_tutor_song):
            info = step.infos
            if t >= (SENSORY_BOUTS + warm) * S:  # once the expectation has settled
                sig = info["steering"]["signals"]
                err.append(sig["performance_error"])
                dist.append(sig["distorted"] > 0)
                syl.append(info["song"]["syllable"])
                qual.append(sig["quality"])
        env.close()
        err_a, dist_a, syl_a, qual_a = (np.concatenate(x) for x in (err, dist, syl, qual))
        on = syl_a == target
        d, u = err_a[on & dist_a], err_a[on & ~dist_a]
        dips.append(float(d.mean()) if d.size else float("nan"))
        bursts.append(float(u.mean()) if u.size else float("nan"))
        dip_sign.append(float((d < 0).mean()) if d.size else float("nan"))
        burst_sign.append(float((u > 0).mean()) if u.size else float("nan"))
        clean.append(float(err_a[~on].mean()))
        qualities.append(float(qual_a[on & ~dist_a].mean()) if u.size else float("nan"))
    dips_a, bursts_a = np.array(dips), np.array(bursts)
    rho = spearman(probabilities, np.abs(bursts_a))
    rho_dip = spearman(1 - probabilities, np.abs(dips_a))
    worst_dip = int(np.nanargmax(dips_a))
    worst_burst = int(np.nanargmin(bursts_a))
    criteria = [
        Criterion("mean performance error after distorted renditions, largest over p", float(np.nanmax(dips_a)),
                  "< 0 at every p", bool(np.all(dips_a < 0)), f"at p={probabilities[worst_dip]:.1f}"),
        Criterion("mean performance error after undistorted renditions, smallest over p", float(np.nanmin(bursts_a)),
                  "> 0 at every p", bool(np.all(bursts_a > 0)), f"at p={probabilities[worst_burst]:.1f}"),
        Criterion("|burst| vs distortion probability (Spearman rho)", rho, ">= 0.9", rho >= 0.9),
    ]

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(probabilities, bursts_a, "o-", color="#9bbb59", label="undistorted (burst)")
    ax.plot(probabilities, dips_a, "o-", color="#c0504d", label="distorted (dip)")
    q = float(np.nanmean(qualities))
    ax.plot(probabilities, probabilities * q, ":", color="#9bbb59", alpha=0.7, label="p q")
    ax.plot(probabilities, -(1 - probabilities) * q, ":", color="#c0504d", alpha=0.7, label="-(1-p) q")
    ax.plot(probabilities, clean, "s", color="#7f7f7f", ms=4, label="untargeted syllables")
    ax.axhline(0, color="k", lw=0.5)
    ax.set_xlabel("distortion probability p")
    ax.set_ylabel("performance error (quality - expectation)")
    ax.legend(fontsize=8)
    ax.set_title("Innate evaluator: performance error (Gadagkar et al. 2016)")
    figure = save_figure(fig, out_dir, "performance-error")
    data = {
        "singer": "scripted: each bird sings its tutor's motor commands plus the body's motor noise (0.03)",
        "num_birds": n, "warmup_bouts": warm, "measured_bouts": measure, "target_syllable": target,
        "probabilities": probabilities, "dip_mean": dips_a, "burst_mean": bursts_a,
        "fraction_distorted_renditions_negative": dip_sign, "fraction_undistorted_renditions_positive": burst_sign,
        "untargeted_mean_error": clean, "clean_quality": q,
        "dip_scaling_note": "dip ~ -(1-p) q: its magnitude shrinks as distortion becomes expected",
        "dip_vs_one_minus_p_spearman": rho_dip,
        "dip_over_one_minus_p": (dips_a / -(1 - probabilities)), "burst_over_p": (bursts_a / probabilities),
    }
    return ExperimentResult("performance-error", budget, seed, criteria, data, figure)


# --- pitch-shift --------------------------------------------------------------------------------
def pitch_shift(budget: str, seed: int, out_dir: Path) -> ExperimentResult:
    """Tumer & Brainard 2007 (https://doi.org/10.1038/nature06390): pitch-contingent noise shifts one syllable.

    Birds first learn their tutor's song (node perturbation, juvenile schedule),
    sing as adults, then white noise is played on renditions of syllable 1 whose
    pitch lies below each bird's own median baseline pitch (so "away from the
    noise" is up). Shifts are in units of each bird's baseline standard
    deviation of that syllable's pitch; then the noise stops and the pitch
    should drift back. The criteria are on the population mean; the per-bird
    distribution is in ``data``.
    """
    small = budget == "small"
    n, juvenile, adult, base, on, off = (6, 500, 50, 60, 150, 150) if small else (24, 3000, 200, 200, 600, 600)
    target = 1
    t0 = time.perf_counter()
    flock = Flock(n, seed)
    flock.sing(juvenile, schedule=lambda f: juvenile_schedule(f), record=())
    flock.sing(adult, schedule=adult_schedule, record=())
    baseline = flock.sing(base, schedule=adult_schedule)
    mu, sd = baseline["pitch_hz"].mean(0), baseline["pitch_hz"].std(0)  # (n, S)
    threshold = np.median(baseline["pitch_hz"][:, :, target], axis=0)
    flock.body.set_feedback(target, threshold=threshold, side="below")
    noise_on = flock.sing(on, schedule=adult_schedule)
    flock.body.set_feedback(None)
    noise_off = flock.sing(off, schedule=adult_schedule)
    seconds = time.perf_counter() - t0
    quality = float(baseline["quality"].mean())
    baseline_quality_target = baseline["quality"][:, :, target].mean(0)
    flock.close()

    last = max(on // 6, 20)
    shift_bird = (noise_on["pitch_hz"][-last:].mean(0) - mu) / sd  # (n, S), + = up = away from the noise
    back_bird = (noise_off["pitch_hz"][-last:].mean(0) - mu) / sd
    shift, back = shift_bird.mean(0), back_bird.mean(0)
    others = [s for s in range(S) if s != target]
    worst_other = float(np.max(np.abs(shift[others])))
    bird_other = np.abs(shift_bird[:, others]).max(axis=1)
    distorted_early = float(noise_on["distorted"][: max(on // 12, 10), :, target].mean())
    distorted_late = float(noise_on["distorted"][-last:, :, target].mean())
    criteria = [
        Criterion("targeted syllable shift away from the noise (baseline SD, population mean)", float(shift[target]),
                  ">= 1.0", bool(shift[target] >= 1.0),
                  f"{float((shift_bird[:, target] >= 1.0).mean()):.0%} of {n} birds >= 1"),
        Criterion("untargeted syllables |shift| (baseline SD, population mean, worst syllable)", worst_other,
                  "<= 0.2", worst_other <= 0.2,
                  f"{float((bird_other <= 0.2).mean()):.0%} of birds have every untargeted |shift| <= 0.2; "
                  f"per-bird max {float(bird_other.max()):.2f}"),
        Criterion("targeted shift left after the noise stops / shift under noise", float(back[target] / shift[target]),
                  "<= 0.5 (drifts back)", bool(back[target] <= 0.5 * shift[target]),
                  f"{back[target]:.2f} SD after {off} bouts without noise"),
    ]

    import matplotlib.pyplot as plt

    pitch = np.concatenate([baseline["pitch_hz"], noise_on["pitch_hz"], noise_off["pitch_hz"]])  # (T, n, S)
    z = (pitch - mu) / sd
    block = max(len(z) // 60, 1)
    tz = z[: len(z) // block * block].reshape(-1, block, n, S).mean(1)  # (blocks, n, S)
    x = (np.arange(len(tz)) + 0.5) * block
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), gridspec_kw={"width_ratios": [2, 1]})
    colors = ["#7f7f7f", "#c0504d", "#4f81bd", "#9bbb59", "#8064a2", "#f79646", "#4bacc6", "#000000"]
    for s in range(S):
        axes[0].plot(x, tz[:, :, s].mean(1), color=colors[s % len(colors)], lw=2 if s == target else 1,
                     label=f"syllable {s}" + (" (targeted)" if s == target else ""))
    axes[0].axvspan(base, base + on, color="#f2dcdb", alpha=0.6, label="noise below threshold")
    axes[0].axhline(1.0, color="k", ls=":", lw=0.7)
    axes[0].set_xlabel("bouts (adult)")
    axes[0].set_ylabel("pitch - baseline mean (baseline SD)")
    axes[0].legend(fontsize=7)
    axes[0].set_title("Population mean")
    jitter = np.random.default_rng(seed).uniform(-0.15, 0.15, n)
    for s in range(S):
        axes[1].scatter(np.full(n, s) + jitter, shift_bird[:, s], s=12, color=colors[s % len(colors)])
        axes[1].plot([s - 0.3, s + 0.3], [shift[s]] * 2, color="k")
    axes[1].axhline(0, color="k", lw=0.5)
    axes[1].axhspan(-0.2, 0.2, color="#dddddd", alpha=0.6)
    axes[1].set_xticks(range(S))
    axes[1].set_xlabel("syllable")
    axes[1].set_ylabel("shift at end of noise (SD), per bird")
    axes[1].set_title("Per bird")
    fig.suptitle("Pitch-contingent noise (Tumer & Brainard 2007)")
    figure = save_figure(fig, out_dir, "pitch-shift")
    data = {
        "learner": "NodePerturbationAgent (one per bird), juvenile schedule then adult settings",
        "adult_noise_std": JUVENILE_NOISE[1], "adult_lr": JUVENILE_LR[1],
        "num_birds": n, "bouts": {"juvenile": juvenile, "adult": adult, "baseline": base, "noise_on": on, "noise_off": off},
        "measured_over_last_bouts": last, "target_syllable": target, "baseline_quality": quality,
        # A bird that never learned the targeted syllable hears ~0 quality with or without noise:
        # nothing to avoid, so no shift. This shows which non-shifting birds are of that kind.
        "baseline_quality_per_bird_target": baseline_quality_target,
        "baseline_pitch_hz_mean": mu, "baseline_pitch_hz_sd": sd, "threshold_hz": threshold,
        "shift_sd_population": shift, "back_sd_population": back,
        "shift_sd_per_bird": shift_bird, "back_sd_per_bird": back_bird,
        "fraction_birds_target_ge_1sd": float((shift_bird[:, target] >= 1.0).mean()),
        "fraction_birds_untargeted_le_0.2sd": float((bird_other <= 0.2).mean()),
        "per_bird_untargeted_max_abs_sd": bird_other,
        "distorted_fraction_target": {"first": distorted_early, "last": distorted_late},
        "seconds": seconds,
    }
    return ExperimentResult("pitch-shift", budget, seed, criteria, data, figure)


# --- songs a person can hear ---------------------------------------------------------------------
def write_songs(out_dir: Path, seed: int = 0, steps: int = 8000) -> tuple[Path, Path, Path]:
    """Train one bird (``NodePerturbationAgent``) for ``steps`` env steps and write three WAVs.

    Returns the paths of ``songbird-tutor.wav``, ``songbird-birth.wav`` (the
    bird's first LMAN-off bout, before learning) and ``songbird-learned.wav``
    (its LMAN-off bout after learning) in ``out_dir``.
    """
    from brainlike.agents.registry import make_agent

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    env = gym.make(SONGBIRD, max_episode_steps=None)
    agent = make_agent("node-perturbation", env, seed=seed, maturation=0)  # the schedule is set below
    obs, _ = env.reset(seed=seed)

    def run(n_steps: int, learn: bool, explore: bool, schedule: Callable[[float], tuple[float, float]] | None = None) -> None:
        nonlocal obs
        for t in range(n_steps):
            if schedule is not None:
                agent.config["noise_std"], agent.config["lr"] = schedule(t / n_steps)
            batch = {k: v[None] for k, v in obs.items()}
            action = agent.act(batch, explore=explore)
            obs, reward, _, _, info = env.step(action[0])
            if learn:
                sung = np.array([not info["song"]["tutor_sang"]])
                agent.learn(batch, action, np.array([reward]), None, np.zeros(1, bool), np.zeros(1, bool), valid=sung)

    run(SENSORY_BOUTS * S, learn=False, explore=False)  # the tutor sings, the bird listens
    run(S, learn=False, explore=False)  # its first song, at birth
    tutor = env.unwrapped.write_song(out_dir / "songbird-tutor.wav", who="tutor")  # type: ignore[attr-defined]
    birth = env.unwrapped.write_song(out_dir / "songbird-birth.wav", who="bird")  # type: ignore[attr-defined]
    run(max(steps // S, 1) * S, learn=True, explore=True, schedule=juvenile_schedule)
    run(S, learn=False, explore=False)  # the learned song, LMAN off
    learned = env.unwrapped.write_song(out_dir / "songbird-learned.wav", who="bird")  # type: ignore[attr-defined]
    env.close()
    return Path(tutor), Path(birth), Path(learned)


EXPERIMENTS = [
    Experiment("tutor-learning", SONGBIRD, "Fiete, Fee & Seung 2007, J Neurophysiol 98:2038",
               "https://doi.org/10.1152/jn.01311.2006", ("learning", "reward", "node-perturbation", "songbird"),
               "Song similarity to the tutor rises from chance to high, driven only by the steering's reward.",
               tutor_learning),
    Experiment("performance-error", SONGBIRD, "Gadagkar et al. 2016, Science 354:1278",
               "https://doi.org/10.1126/science.aah6837", ("innate", "dopamine", "performance-error", "songbird"),
               "The evaluator's error dips after distorted renditions, bursts after undistorted ones, scaled by p.",
               performance_error),
    Experiment("pitch-shift", SONGBIRD, "Tumer & Brainard 2007, Nature 450:1240",
               "https://doi.org/10.1038/nature06390", ("learning", "feedback", "pitch", "songbird"),
               "Pitch-contingent noise moves the targeted syllable away from the noise; others stay; it drifts back.",
               pitch_shift),
]

__all__ = ["EXPERIMENTS", "Flock", "chance_similarity", "performance_error", "pitch_shift", "tutor_learning",
           "write_songs"]

"""Song learning on SongbirdTutor-v0: the learning bird, and ``tutor-learning`` (Fiete, Fee & Seung 2007).

Every verdict here and in ``songbird_feedback`` comes from birds that learn:
each bird has its own ``NodePerturbationAgent`` (random RA weights at birth,
LMAN-like perturbations) reading the song clock through an overlapping HVC
code, and is taught by the steering's dopamine-like *performance error*
(quality minus the evaluator's running expectation; Gadagkar et al. 2016).

``tutor-learning``: similarity to the tutor rises from chance to high under
two teaching conditions: the performance error after every rendition, and a
delayed, binarised, bout-level reward (one bit per bout: was the bout better
than expected?). A reward lesion (the steering's reward pathway cut) must
leave the song at chance.

``write_songs`` writes three WAVs a person can listen to: the tutor, a bird at
birth, the same bird after learning.

Every experiment prints nothing; randomness comes only from ``seed``.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np

from brainlike import envs  # noqa: F401  (registers the bodies)
from brainlike.agents.experiments.base import NOMINAL, Criterion, Experiment, ExperimentResult, Scales, cohort_seed, steering_with
from brainlike.agents.node_perturbation import NodePerturbationAgent, NodePerturbationCohort
from brainlike.agents.reporting import save_figure
from brainlike.agents.rollout import rollout
from brainlike.agents.stats import greater, not_greater
from brainlike.envs.songbird_tutor import NUM_MOTOR, SongbirdBody, syrinx
from brainlike.steering.base import RewardLesion, Steering
from brainlike.steering.songbird import SongbirdSteering

SONGBIRD = "brainlike/SongbirdTutor-v0"
S = 4  # syllables of the default song
SENSORY_BOUTS = 2  # the body's default sensory phase: the tutor sings twice
TARGET = 1  # the syllable the experimenter's noise targets

#: Node-perturbation settings for one bird's life. The evaluator is a narrow
#: Gaussian (width 0.15) whose tail, where random RA weights start, is nearly
#: flat, so a juvenile needs large perturbations to find the slope and an adult
#: small ones to sit on the peak. LMAN-driven variability and plasticity do
#: decline from juvenile to adult (Olveczky, Andalman & Fee 2005, PLoS Biol
#: 3:e153; crystallisation at about day 90), so both decay geometrically over
#: the juvenile period and stay at their adult values afterwards.
JUVENILE_NOISE = (0.6, 0.05)
JUVENILE_LR = (3.0, 0.5)
#: The HVC code RA reads: each syllable's clock line drives 4 of 16 units at
#: random, so two syllables share one unit on average (a quarter of each
#: syllable's input). Fixed before any result was seen; not tuned.
HVC_UNITS, HVC_ACTIVE = 16, 4
#: "High" similarity: a perfect copy scores 1, random motor commands about 0.025.
HIGH_SIMILARITY = 0.7
#: "At chance" margin: a mean similarity within 0.05 of random motor commands' (about twice chance).
CHANCE_MARGIN = 0.05
#: Birds per arm of tutor-learning at the full budget. Its "at chance" claims (at birth, and the
#: reward lesion) meet heavy-tailed birds: most sing at chance, a few match a syllable by luck. The
#: spread per bird was at most 0.069 on one of seeds 0-4 with 8 birds, and
#: ``sample_size(0.069, CHANCE_MARGIN + 0.004)`` = 26 give them power 0.99 per seed. With 8 each
#: failed on 1 seed of 5.
TUTOR_BIRDS = 32
#: The key constants of ``SongbirdSteering`` the verdicts are checked against (+-20% bands).
SENSITIVITY = ("width", "expectation_rate", "noise_weight")


class Teaching(Enum):
    """What reaches a bird's learner as its dopamine-like teaching signal."""

    #: After every rendition, the steering's performance error of that syllable (used as it comes).
    PERFORMANCE_ERROR = "performance error per rendition"
    #: Once per bout, after its last syllable: 1 if the bout's summed performance error is
    #: positive (the bout was better than expected), else 0 (Fiete, Fee & Seung 2007's
    #: delayed, binarised, song-level reward). An agent-side manipulation: the body and its
    #: steering are unchanged, the learner only sees the bit.
    BINARISED_BOUT = "binarised bout-level reward, delayed to the bout's end"


def songbird_steering(scales: Scales = NOMINAL, lesioned: bool = False) -> Steering:
    """The songbird's steering, rewarding with its performance error, each named constant scaled.

    ``lesioned``: the reward pathway cut (``RewardLesion``): the evaluator still
    judges, but no teaching signal reaches the learner.
    """
    intact = steering_with(SongbirdSteering, scales, reward="performance_error")
    return RewardLesion(intact) if lesioned else intact


class Flock:
    """``n`` birds in one native vector env, each with its own ``NodePerturbationAgent`` (its own brain).

    One agent per bird, never one agent shared by the batch: each bird has its
    own tutor (drawn from the seed) and learns only from its own renditions.
    The birds' agents are stepped together (``NodePerturbationCohort``): one
    batched call per step, each bird's numbers exactly those of its agent alone.
    Lives never truncate (``max_episode_steps=None``): one life, one tutor.
    ``brains``: start from copies of these agents (e.g. adults trained
    elsewhere, put in a new cage with the same tutors) instead of new ones.
    """

    def __init__(self, n: int, seed: int, scales: Scales = NOMINAL, teaching: Teaching = Teaching.PERFORMANCE_ERROR,
                 lesioned: bool = False, brains: Sequence[NodePerturbationAgent] | None = None,
                 **env_kwargs: Any) -> None:
        from brainlike.agents.registry import make_agent

        if brains is not None and len(brains) != n:
            raise ValueError(f"brains must hold one agent per bird ({n}), got {len(brains)}")
        self.n, self.teaching = n, teaching
        self.env = gym.make_vec(SONGBIRD, num_envs=n, vectorization_mode="vector_entry_point", max_episode_steps=None,
                                steering=songbird_steering(scales, lesioned), **env_kwargs)
        self.body: SongbirdBody = self.env.unwrapped.body  # type: ignore[attr-defined]
        delayed = teaching is Teaching.BINARISED_BOUT
        if brains is None:
            # maturation=0: these birds follow the experiment's own juvenile schedule (set_plasticity).
            self.agents = [make_agent("node-perturbation", self.env, seed=seed * 1000 + i, maturation=0,
                                      hvc_units=HVC_UNITS, hvc_active=HVC_ACTIVE, reward_is_error=not delayed,
                                      delayed_reward=delayed) for i in range(n)]
        else:
            self.agents = [copy.deepcopy(a) for a in brains]
        self.cohort = NodePerturbationCohort(self.agents)
        self._bout_error = np.zeros(n)
        self._explore = False
        self._steps = rollout(self.env, self._act, seed=cohort_seed(seed))
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

    def _act(self, obs: dict[str, np.ndarray]) -> np.ndarray:
        return self.cohort.act(obs, explore=self._explore)

    def _step(self, learn: bool, explore: bool) -> dict[str, Any]:
        self._explore = explore
        t = next(self._steps)
        song = t.infos["song"]
        if learn:
            sung = ~song["tutor_sang"]
            bout_end = sung & (song["syllable"] == S - 1)
            self._bout_error += np.where(sung, t.rewards, 0.0)
            # Each bird's learner sees only its observation, its action and the steering's teaching signal.
            if self.teaching is Teaching.PERFORMANCE_ERROR:
                self.cohort.learn(t.obs, t.actions, t.rewards, valid=sung)
            else:
                self.cohort.accumulate(t.obs, t.actions, valid=sung)
                for i in np.flatnonzero(bout_end):
                    self.agents[i].reinforce(float(self._bout_error[i] > 0.0))
            self._bout_error[bout_end] = 0.0
        return song

    def sing(self, bouts: int, learn: bool = True, explore: bool = True,
             schedule: Callable[[float], tuple[float, float]] | None = None,
             record: tuple[str, ...] = ("quality", "pitch_hz", "distorted", "performance_error")) -> dict[str, np.ndarray]:
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

    def commands(self) -> np.ndarray:
        """(n, S, 4) each bird's RA command per syllable, LMAN off (in [-1, 1])."""
        layout = self.env.unwrapped.layout  # type: ignore[attr-defined]
        extero, intero = layout.widths()
        clock = {"exteroception": np.zeros((S, extero), np.float32), "interoception": np.zeros((S, intero), np.float32)}
        clock["exteroception"][:, layout.slice("song_clock")] = np.eye(S)
        return np.stack([a.command(clock) for a in self.agents]).astype(np.float64)

    def directed_similarity(self) -> np.ndarray:
        """(n, S) similarity of the LMAN-off song (RA's command alone), scored by each bird's own evaluator.

        Like female-directed song, where LMAN variability is suppressed. Computed
        without the body's motor noise and without touching the env, so measuring
        changes nothing.
        """
        heard = np.concatenate([syrinx(self.commands()), np.zeros((self.n, S, 1))], axis=-1)
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


def raise_flock(n: int, seed: int, juvenile: int, adult: int, scales: Scales = NOMINAL,
                teaching: Teaching = Teaching.PERFORMANCE_ERROR, lesioned: bool = False) -> tuple[Flock, np.ndarray]:
    """A flock through its juvenile period and ``adult`` bouts at adult settings; and its adult renditions' quality."""
    flock = Flock(n, seed, scales, teaching, lesioned)
    flock.sing(juvenile, schedule=juvenile_schedule, record=())
    return flock, flock.sing(adult, schedule=adult_schedule, record=("quality",))["quality"]


def chance_similarity(n: int, bouts: int, seed: int, scales: Scales = NOMINAL) -> np.ndarray:
    """(bouts * n,) mean quality of a bout of uniformly random motor commands, scored by the steering."""
    env = gym.make_vec(SONGBIRD, num_envs=n, vectorization_mode="vector_entry_point", max_episode_steps=None,
                       steering=songbird_steering(scales))
    rng = np.random.default_rng(seed)
    q = []
    babble = rollout(env, lambda _: rng.uniform(-1.0, 1.0, (n, NUM_MOTOR)).astype(np.float32), seed=cohort_seed(seed))
    for t, step in zip(range((SENSORY_BOUTS + bouts) * S), babble):
        if t >= SENSORY_BOUTS * S:
            q.append(step.infos["song"]["quality"])
    env.close()
    return np.stack(q).reshape(bouts, S, n).mean(axis=1).ravel()


# --- tutor-learning -----------------------------------------------------------------------------
def tutor_learning(budget: str, seed: int, out_dir: Path, scales: Scales = NOMINAL) -> ExperimentResult:
    """Fiete, Fee & Seung 2007 (https://doi.org/10.1152/jn.01311.2006): similarity from chance to high.

    Each bird's RA weights start random (the song at birth is random motor
    commands); it learns by node perturbation from the steering's teaching
    signal alone, in one of two conditions (``Teaching``): the performance
    error after every rendition, or one delayed bit per bout. A third flock
    has its reward pathway cut (``RewardLesion``): the removal arm. Similarity
    is measured per bird on the renditions it sings as an adult (LMAN
    perturbations included); the LMAN-off (directed) song is recorded too.
    """
    small = budget == "small"
    n, juvenile = (6, 400) if small else (TUTOR_BIRDS, 2000)
    adult = max(juvenile // 20, 20)
    chance = chance_similarity(32 if small else 64, 10 if small else 20, seed + 7, scales)
    t0 = time.perf_counter()
    flocks: dict[str, Flock] = {}
    curves: dict[str, list[float]] = {}
    per_bird: dict[str, np.ndarray] = {}
    arms = {"performance error": (Teaching.PERFORMANCE_ERROR, False), "binarised bout reward": (Teaching.BINARISED_BOUT, False),
            "reward lesion": (Teaching.PERFORMANCE_ERROR, True)}
    block = max(juvenile // 20, 1)
    for arm, (teaching, lesioned) in arms.items():
        flock = flocks[arm] = Flock(n, seed, scales, teaching, lesioned)
        if arm == "performance error":
            birth = flock.directed_similarity().mean(axis=1)  # (n,): random RA weights, before learning
        curve = []
        for k in range(0, juvenile, block):
            m = min(block, juvenile - k)
            q = flock.sing(m, schedule=lambda f, k=k, m=m: juvenile_schedule((k + f * m) / juvenile), record=("quality",))
            curve.append(float(q["quality"].mean()))
        curves[arm] = curve
        per_bird[arm] = flock.sing(adult, schedule=adult_schedule, record=("quality",))["quality"].mean(axis=(0, 2))
    directed = {arm: f.directed_similarity().mean(axis=1) for arm, f in flocks.items()}
    for f in flocks.values():
        f.close()
    seconds = time.perf_counter() - t0

    def high(arm: str) -> Criterion:
        x = per_bird[arm]
        return Criterion.from_test(f"adult similarity, {arm} (per bird, {n} birds)", greater(x, margin=HIGH_SIMILARITY),
                                   f"mean > {HIGH_SIMILARITY} (high); {float((x > HIGH_SIMILARITY).mean()):.0%} of birds")

    criteria = [
        Criterion.from_test("similarity at birth minus chance (random RA weights, LMAN-off, per bird)",
                            not_greater(birth, chance, margin=CHANCE_MARGIN), f"< {CHANCE_MARGIN} (at chance)"),
        high("performance error"),
        high("binarised bout reward"),
        Criterion.from_test("reward lesion: adult similarity minus chance (per bird)",
                            not_greater(per_bird["reward lesion"], chance, margin=CHANCE_MARGIN),
                            f"< {CHANCE_MARGIN} (the effect breaks without the teaching signal)"),
    ]

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    xs = np.minimum(np.arange(1, len(curves["performance error"]) + 1) * block, juvenile)
    for (arm, curve), color in zip(curves.items(), ("#4f81bd", "#9bbb59", "#c0504d")):
        ax.plot(xs, curve, "-", color=color, label=arm)
    ax.axhline(float(chance.mean()), color="#7f7f7f", ls=":", label=f"chance (random commands) {chance.mean():.3f}")
    ax.axhline(HIGH_SIMILARITY, color="k", ls=":", lw=0.7, label=f"high ({HIGH_SIMILARITY})")
    ax.set_xlabel("juvenile bouts sung per bird")
    ax.set_ylabel("similarity of sung renditions to the tutor")
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=7, loc="upper left")
    ax.set_title(f"Learning the tutor's song from the steering's teaching signal ({n} birds per arm)")
    figure = save_figure(fig, out_dir, "tutor-learning")
    data = {
        "learner": "NodePerturbationAgent (one per bird) reading an overlapping HVC code; juvenile schedule",
        "hvc": {"units": HVC_UNITS, "active_per_syllable": HVC_ACTIVE}, "scales": dict(scales),
        "juvenile_noise_std": JUVENILE_NOISE, "juvenile_lr": JUVENILE_LR,
        "num_birds_per_arm": n, "juvenile_bouts": juvenile, "adult_bouts": adult,
        "chance_similarity": float(chance.mean()), "birth_similarity_per_bird": birth,
        "adult_similarity_per_bird": per_bird, "directed_similarity_per_bird": directed,
        "curves": {"bouts": xs, **curves}, "seconds": seconds,
        "learned_parameters_per_bird": flocks["performance error"].agents[0].num_parameters,
    }
    return ExperimentResult("tutor-learning", budget, seed, criteria, data, figure)


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


def _experiments() -> list[Experiment]:
    from brainlike.agents.experiments.songbird_feedback import performance_error, pitch_shift

    return [
        Experiment("tutor-learning", SONGBIRD, "Fiete, Fee & Seung 2007, J Neurophysiol 98:2038",
                   "https://doi.org/10.1152/jn.01311.2006", ("learning", "reward", "node-perturbation", "songbird"),
                   "Similarity to the tutor rises from chance to high under the steering's performance error and under "
                   "a delayed binarised bout reward; not with the reward pathway cut.",
                   tutor_learning, sensitivity=("width", "expectation_rate")),
        Experiment("performance-error", SONGBIRD, "Gadagkar et al. 2016, Science 354:1278",
                   "https://doi.org/10.1126/science.aah6837", ("dopamine", "performance-error", "learning", "songbird"),
                   "On birds that learned their song from it, the performance error dips after distorted renditions and "
                   "bursts after undistorted ones, the burst growing with p; absent in birds that could not learn.",
                   performance_error, sensitivity=SENSITIVITY),
        Experiment("pitch-shift", SONGBIRD, "Tumer & Brainard 2007, Nature 450:1240",
                   "https://doi.org/10.1038/nature06390", ("learning", "feedback", "pitch", "songbird"),
                   "Pitch-contingent noise moves the targeted syllable away from the noise (reversed with the "
                   "contingency), others stay, it drifts back; no directed shift under sham noise or a reward lesion.",
                   pitch_shift, sensitivity=SENSITIVITY),
    ]


EXPERIMENTS = _experiments()

__all__ = ["EXPERIMENTS", "Flock", "Teaching", "chance_similarity", "raise_flock", "songbird_steering",
           "tutor_learning", "write_songs"]

"""SongbirdTutor-v0 and its Steering Subsystem: the evaluator, the performance error, the
syrinx, the audio, and a scripted check of the science with no learning library."""

from __future__ import annotations

import wave

import gymnasium as gym
import numpy as np
import pytest

from brainlike.envs.audio import bout_length, synthesize_bout, write_wav
from brainlike.envs.rng import gaussian_pair
from brainlike.envs.songbird_tutor import SongbirdBody, syrinx
from brainlike.envs.syrinx import execute
from brainlike.steering import RewardLesion, SongbirdSteering
from brainlike.steering.songbird import SPECIES_TEMPLATE, similarity, to_perceptual, to_physical

ID = "brainlike/SongbirdTutor-v0"
S = 4  # syllables of the default song


def vector(n: int, **kw) -> tuple[gym.vector.VectorEnv, SongbirdBody]:
    env = gym.make_vec(ID, num_envs=n, vectorization_mode="vector_entry_point", max_episode_steps=None, **kw)
    return env, env.unwrapped.body if hasattr(env, "unwrapped") else env.body


def listen(env: gym.Env, bouts: int = 2) -> None:
    """Let the tutor sing through the sensory phase."""
    for _ in range(bouts * S):
        env.step(np.zeros(4, dtype=np.float32))


# --- the evaluator ---------------------------------------------------------------------
def test_similarity_is_one_for_a_perfect_copy_and_monotone_in_distance():
    rng = np.random.default_rng(0)
    template = rng.uniform(0.2, 0.8, (50, 4))
    np.testing.assert_array_equal(similarity(template, template), 1.0)
    direction = rng.standard_normal((50, 4))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    distances = np.linspace(0.0, 1.0, 30)
    scores = np.stack([similarity(template + d * direction, template) for d in distances], axis=1)
    assert np.all(np.diff(scores, axis=1) < 0), "strictly decreasing in distance"
    assert np.all((scores > 0) & (scores <= 1))
    # A heard noise burst counts as distance: a clean copy heard under noise scores low.
    noisy = np.concatenate([template, np.ones((50, 1))], axis=1)
    assert np.all(similarity(noisy, template) < 1e-6)


def test_perfect_copy_scores_the_maximum_and_random_motor_commands_score_near_chance():
    env = gym.make(ID, motor_noise=0.0)
    env.reset(seed=1)
    body = env.unwrapped.body
    listen(env)
    for s in range(S):
        _, reward, _, _, info = env.step(body.tutor_motor[0, s])
        assert reward == 1.0 and info["steering"]["signals"]["quality"] == 1.0
    # Chance: uniformly random motor commands (documented: about 0.025 on average).
    venv, vbody = vector(32)
    venv.reset(seed=0)
    venv.action_space.seed(0)
    q = []
    for _ in range(60 * S):
        _, _, _, _, info = venv.step(venv.action_space.sample())
        q.append(info["song"]["quality"][~info["song"]["tutor_sang"]])
    chance = np.concatenate(q).mean()
    assert 0.005 < chance < 0.06


def test_template_is_memorised_from_the_tutor_or_innate():
    env = gym.make(ID)
    env.reset(seed=3)
    steering, body = env.unwrapped.steering, env.unwrapped.body
    assert not steering.template_known.any(), "a memorised template starts empty"
    listen(env)
    np.testing.assert_array_equal(steering.template[0], body.tutor[0])
    innate = gym.make(ID, steering=SongbirdSteering(template_source="innate"))
    innate.reset(seed=3)
    listen(innate)
    np.testing.assert_array_equal(innate.unwrapped.steering.template[0], SPECIES_TEMPLATE[:S])


def test_counted_parameters_and_the_template_memory():
    st = SongbirdSteering(num_syllables=6)
    assert st.num_adjustable_parameters == 6  # one running expectation per syllable
    assert st.template_memory_size == 24  # a lookup memory, counted apart
    assert "lookup memory of 24 numbers" in st.describe()
    env = gym.make(ID, num_syllables=3)
    assert env.unwrapped.steering.num_adjustable_parameters == 3


def performance_errors(probability: float, bouts: int = 120) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A perfect singer with every rendition of syllable 1 contingent on noise at ``probability``."""
    env = gym.make(ID, motor_noise=0.0, reward="performance_error", feedback_syllable=1,
                   feedback_threshold=1e4, feedback_side="below", feedback_probability=probability)
    env.reset(seed=5)
    body = env.unwrapped.body
    listen(env)
    rows = []
    for _ in range(bouts * S):
        s = int(body.clock[0])
        _, reward, _, _, info = env.step(body.tutor_motor[0, s])
        sig = info["steering"]["signals"]
        assert reward == sig["performance_error"]
        rows.append((s, sig["distorted"], sig["performance_error"]))
    s, distorted, error = np.array(rows[len(rows) // 2 :]).T  # once distortions are expected
    return s, distorted.astype(bool), error


def test_performance_error_signs_and_scaling_with_distortion_probability():
    """Gadagkar et al. 2016: dips after distorted renditions, bursts after escapes, scaled by p."""
    escapes = []
    for p in (0.2, 0.5, 0.8):
        s, distorted, error = performance_errors(p)
        target = s == 1
        assert np.all(error[target & distorted] < 0)
        assert np.all(error[target & ~distorted] > 0)
        np.testing.assert_allclose(error[~target], 0.0, atol=0.01)  # clean, as expected
        escapes.append(error[target & ~distorted].mean())
    assert escapes[0] < escapes[1] < escapes[2]


def test_reward_lesion_and_reward_choice():
    env = gym.make(ID, steering=RewardLesion(SongbirdSteering()))
    env.reset(seed=0)
    for _ in range(3 * S):
        _, reward, _, _, info = env.step(env.action_space.sample())
        assert reward == 0.0
    with pytest.raises(ValueError, match="reward"):
        gym.make(ID, reward="dopamine")
    with pytest.raises(ValueError, match="contradicts"):
        gym.make(ID, reward="performance_error", steering=SongbirdSteering(reward="quality"))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(num_syllables=9), "num_syllables"),
        (dict(motor_noise=-0.1), "motor_noise"),
        (dict(feedback_syllable=4), "feedback_syllable"),
        (dict(feedback_syllable=0, feedback_side="left"), "feedback_side"),
        (dict(feedback_syllable=0, feedback_probability=1.5), "feedback_probability"),
        (dict(tutor_song=[[2000.0, 100.0, 0.5, 0.5]]), "tutor_song"),
    ],
)
def test_bad_configuration_is_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        gym.make(ID, **kwargs)


# --- the syrinx and the audio -------------------------------------------------------------
def test_syrinx_is_deterministic_and_motor_noise_can_be_zero():
    rng = np.random.default_rng(0)
    actions = rng.uniform(-1, 1, (20, 4)).astype(np.float32)

    def sung(seed: int, noise: float) -> np.ndarray:
        env = gym.make(ID, motor_noise=noise, sensory_bouts=0)
        env.reset(seed=seed)
        return np.array([env.step(a)[4]["song"]["sung"] for a in actions])

    np.testing.assert_array_equal(sung(0, 0.0), syrinx(actions.astype(np.float64)))
    np.testing.assert_array_equal(sung(0, 0.05), sung(0, 0.05))
    assert not np.array_equal(sung(0, 0.05), sung(1, 0.05))
    assert not np.array_equal(sung(0, 0.05), sung(0, 0.0))
    out = syrinx(rng.uniform(-1, 1, (1000, 4)))
    assert np.all((out > 0) & (out < 1))
    # Any batch shape, one syllable at a time: a (2, 3, 4) batch sounds as its rows do alone.
    batch = rng.uniform(-1, 1, (2, 3, 4))
    np.testing.assert_array_equal(syrinx(batch), np.stack([[syrinx(m) for m in row] for row in batch]))
    with pytest.raises(ValueError, match=r"\(\.\.\., 4\)"):
        syrinx(np.zeros((3, 5)))


def test_the_muscles_noise_is_one_box_muller_pair_per_two_muscles():
    """``execute`` adds ``motor_noise`` times ``gaussian_pair(u[0], u[1])`` to muscles 0 and 1 and
    ``gaussian_pair(u[2], u[3])`` to muscles 2 and 3, then clips to [-1, 1]: both normals of each pair,
    four uniforms a step (``gaussian_pair``'s bound against the textbook formula is tests/test_owl.py's).
    The two normals of a pair are uncorrelated, and each muscle's noise has the sd asked for."""
    rng = np.random.default_rng(0)
    n, noise = 20_000, 0.03
    commands, uniforms = rng.uniform(-1, 1, (n, 4)), rng.integers(0, 2**53, (n, 4)) * 2.0**-53
    got = np.array([execute(c, v, noise, np.empty(4)) for c, v in zip(commands, uniforms)])
    normal = np.array([[*gaussian_pair(v[0], v[1]), *gaussian_pair(v[2], v[3])] for v in uniforms])
    np.testing.assert_array_equal(got, np.clip(commands + noise * normal, -1.0, 1.0))
    inside = np.abs(commands).max(axis=1) < 0.8  # no clipping: the noise alone
    drawn = (got - commands)[inside] / noise
    assert np.all(np.abs(drawn.std(axis=0) - 1.0) < 0.03)
    assert abs(np.corrcoef(drawn[:, 0], drawn[:, 1])[0, 1]) < 0.03
    assert abs(np.corrcoef(drawn[:, 2], drawn[:, 3])[0, 1]) < 0.03


def test_a_batch_of_actions_with_one_bad_value_is_refused_by_name_and_changes_nothing():
    env, body = vector(8)
    env.reset(seed=0)
    good = np.random.default_rng(1).uniform(-1, 1, (8, 4)).astype(np.float32)
    for bad, named in ((np.nan, "NaN or inf"), (np.inf, "NaN or inf"), (1.5, "outside the action space")):
        actions = good.copy()
        actions[7, 3] = bad  # the very last value
        state, streams = body.state.copy(), body._rng.streams.copy()
        with pytest.raises(ValueError, match=named):
            env.step(actions)
        assert body.state.tobytes() == state.tobytes() and np.array_equal(body._rng.streams, streams)
    # A non-contiguous batch takes the general path, to the same step as its contiguous copy.
    twin, _ = vector(8)
    twin.reset(seed=0)
    wide = np.repeat(good, 2, axis=1)[:, ::2]
    assert not wide.flags.c_contiguous
    a, b = env.step(wide), twin.step(good)
    np.testing.assert_array_equal(a[0]["interoception"], b[0]["interoception"])
    np.testing.assert_array_equal(a[1], b[1])
    np.testing.assert_array_equal(a[4]["executed_action"], good.astype(np.float64))


def test_units_round_trip_and_a_given_tutor_song():
    song = np.array([[600.0, 80.0, 0.3, 0.9], [1100.0, 150.0, 0.7, 0.6], [450.0, 60.0, 0.5, 0.5]])
    np.testing.assert_allclose(to_physical(to_perceptual(song)), song)
    env = gym.make(ID, tutor_song=song)
    obs, _ = env.reset(seed=0)
    assert obs["exteroception"].shape == (3 + 7,)
    np.testing.assert_allclose(env.unwrapped.body.bout(0, "tutor")[0], song)


def test_wav_of_a_bout_has_the_stated_length_and_rate(tmp_path):
    env = gym.make(ID)
    env.reset(seed=0)
    listen(env, 3)
    for who in ("tutor", "bird"):
        path = env.unwrapped.write_song(tmp_path / f"{who}.wav", who=who, sample_rate=16000)
        features, _ = env.unwrapped.body.bout(0, who)
        with wave.open(str(path), "rb") as w:
            assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 16000)
            assert w.getnframes() == bout_length(features[:, 1], 16000)
            pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        assert np.abs(pcm).max() > 1000, "a song, not silence"
    wave_form = synthesize_bout(np.array([[800.0, 100.0, 0.5, 1.0]]), noise=np.array([1.0]))
    assert np.abs(wave_form).max() <= 1.0
    with pytest.raises(ValueError):
        write_wav(tmp_path / "bad.wav", np.array([np.nan]))


def test_human_mode_plays_bouts_without_a_sound_device():
    env = gym.make(ID, render_mode="human")
    env.reset(seed=0)
    for _ in range(S + 1):  # a whole bout ends and is played
        env.step(env.action_space.sample())
    env.close()


# --- the science, scripted with no learning library --------------------------------------
class HillClimbingSinger:
    """Node perturbation (Fiete, Fee & Seung 2007): one motor command per syllable, a random
    perturbation on each rendition, kept in proportion to the steering's performance error.
    The learning rate drops from juvenile to adult (crystallisation) before the experiment."""

    def __init__(self, n: int, seed: int, sigma: float = 0.08, rate: float = 0.1) -> None:
        self.motor = np.zeros((n, S, 4))
        self.rng = np.random.default_rng(seed)
        self.sigma, self.rate = sigma, rate
        self.rows = np.arange(n)

    def sing(self, env: gym.vector.VectorEnv, body: SongbirdBody, bouts: int) -> dict[str, np.ndarray]:
        n = len(self.rows)
        log = {k: np.zeros((bouts, n, S)) for k in ("pitch_hz", "quality", "distorted")}
        for b in range(bouts):
            for _ in range(S):
                s = body.clock.copy()
                jitter = self.rng.standard_normal((n, 4)) * self.sigma
                action = np.clip(self.motor[self.rows, s] + jitter, -1, 1)
                _, reward, _, _, info = env.step(action.astype(np.float32))
                sung = ~info["song"]["tutor_sang"]
                step = self.rate * (reward * sung)[:, None] * jitter / self.sigma
                self.motor[self.rows, s] = np.clip(self.motor[self.rows, s] + step, -1, 1)
                for k in log:
                    log[k][b, self.rows, s] = info["song"][k]
        return log


def test_hill_climbing_singer_learns_the_song_and_avoids_pitch_contingent_noise():
    """Similarity rises from chance; Tumer & Brainard 2007: the targeted syllable's pitch moves
    >= 1 baseline SD away from the noise, the others stay within 0.2 SD (population mean of 16
    birds), and it drifts back when the noise stops."""
    n, target = 16, 1
    env, body = vector(n, reward="performance_error")
    env.reset(seed=0)
    bird = HillClimbingSinger(n, seed=100)
    juvenile = bird.sing(env, body, 2000)
    first = juvenile["quality"][2:7].mean()  # the first sung bouts: babble
    bird.rate = 0.02  # adult
    bird.sing(env, body, 200)
    baseline = bird.sing(env, body, 200)
    assert first < 0.1
    assert baseline["quality"].mean() > 0.6, "well above chance (about 0.025)"

    mu, sd = baseline["pitch_hz"].mean(0), baseline["pitch_hz"].std(0)
    # Noise on renditions of the target below each bird's median pitch (Tumer & Brainard 2007).
    body.set_feedback(target, threshold=np.median(baseline["pitch_hz"][:, :, target], axis=0), side="below")
    noise_on = bird.sing(env, body, 600)
    shift = ((noise_on["pitch_hz"][-100:].mean(0) - mu) / sd).mean(0)
    assert noise_on["distorted"][-100:, :, target].mean() < noise_on["distorted"][:50, :, target].mean()
    assert shift[target] >= 1.0, shift
    assert np.all(np.abs(np.delete(shift, target)) <= 0.2), shift

    body.set_feedback(None)
    noise_off = bird.sing(env, body, 600)
    back = ((noise_off["pitch_hz"][-100:].mean(0) - mu) / sd).mean(0)
    assert back[target] < 0.5 * shift[target], (shift, back)

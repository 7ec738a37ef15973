"""Songs a person can hear: a bout synthesized with numpy, written as a WAV with ``wave``.

Each syllable is a harmonic stack (a zebra finch's commonest syllable type):
a fundamental at the syllable's pitch and its harmonics, whose amplitudes fall
as ``spectral_shape ** (k - 1)`` (0: a pure tone, 1: a flat, buzzy stack),
under a smooth envelope of the syllable's duration and amplitude. A heard
noise burst (distorted auditory feedback) is added as white noise over the
syllable. Syllables are separated by silent gaps of ``gap_ms``.

Not on the training path: nothing here is imported by a body's step.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

DEFAULT_SAMPLE_RATE = 22050
DEFAULT_GAP_MS = 40.0
RAMP_MS = 5.0  # attack and release, so syllables start and end without clicks


def _samples(ms: float, sample_rate: int) -> int:
    return int(round(ms * sample_rate / 1000.0))


def bout_length(durations_ms: np.ndarray, sample_rate: int = DEFAULT_SAMPLE_RATE, gap_ms: float = DEFAULT_GAP_MS) -> int:
    """Samples in a bout of syllables with these durations: each syllable, then a gap."""
    return int(sum(_samples(float(d), sample_rate) + _samples(gap_ms, sample_rate) for d in np.ravel(durations_ms)))


def synthesize_bout(
    features: np.ndarray,
    noise: np.ndarray | None = None,
    sample_rate: int = DEFAULT_SAMPLE_RATE,
    gap_ms: float = DEFAULT_GAP_MS,
    seed: int = 0,
) -> np.ndarray:
    """A mono float32 waveform in [-1, 1] of ``bout_length(features[:, 1])`` samples.

    ``features`` is (syllables, 4) in physical units: pitch (Hz), duration
    (ms), spectral shape (0-1), amplitude (0-1). ``noise`` is (syllables,) the
    level of a white-noise burst heard over each syllable (0: none). ``seed``
    fixes the noise waveform, so the same bout always sounds the same.
    """
    f = np.asarray(features, dtype=np.float64)
    if f.ndim != 2 or f.shape[1] != 4 or not np.all(np.isfinite(f)):
        raise ValueError(f"features must be a finite (syllables, 4) array (Hz, ms, shape, amplitude), got shape {f.shape}")
    if sample_rate < 8000:
        raise ValueError(f"sample_rate must be >= 8000 Hz, got {sample_rate}")
    levels = np.zeros(len(f)) if noise is None else np.asarray(noise, dtype=np.float64).reshape(len(f))
    rng = np.random.default_rng(seed)
    gap = np.zeros(_samples(gap_ms, sample_rate), dtype=np.float64)
    nyquist = sample_rate / 2.0
    pieces = []
    for (pitch, duration, shape, amplitude), level in zip(f, levels):
        n = _samples(duration, sample_rate)
        t = np.arange(n) / sample_rate
        harmonics = np.arange(1, max(int(nyquist * 0.9 // max(pitch, 1.0)), 1) + 1)
        weights = np.clip(shape, 0.0, 1.0) ** (harmonics - 1)
        tone = np.sin(2.0 * np.pi * pitch * t[:, None] * harmonics) @ weights / weights.sum()
        ramp = min(_samples(RAMP_MS, sample_rate), n // 2)
        envelope = np.ones(n)
        if ramp > 0:
            rise = 0.5 - 0.5 * np.cos(np.pi * np.arange(ramp) / ramp)
            envelope[:ramp] = rise
            envelope[n - ramp :] = rise[::-1]
        syllable = 0.8 * np.clip(amplitude, 0.0, 1.0) * envelope * tone
        syllable = syllable + 0.5 * level * envelope * rng.uniform(-1.0, 1.0, n)
        pieces += [syllable, gap]
    return np.clip(np.concatenate(pieces) if pieces else gap, -1.0, 1.0).astype(np.float32)


def write_wav(path: str | Path, waveform: np.ndarray, sample_rate: int = DEFAULT_SAMPLE_RATE) -> Path:
    """Write a mono waveform in [-1, 1] as 16-bit PCM WAV; returns the path."""
    x = np.asarray(waveform, dtype=np.float64).ravel()
    if not np.all(np.isfinite(x)):
        raise ValueError("waveform contains NaN or inf")
    pcm = (np.clip(x, -1.0, 1.0) * 32767.0).round().astype("<i2")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(int(sample_rate))
        w.writeframes(pcm.tobytes())
    return path


def play(waveform: np.ndarray, sample_rate: int = DEFAULT_SAMPLE_RATE) -> bool:
    """Play a waveform on the sound device if there is one; False (never an error) if not."""
    try:
        import pygame

        if pygame.mixer.get_init() is None:
            pygame.mixer.init(frequency=int(sample_rate), size=-16, channels=1)
        freq, _, channels = pygame.mixer.get_init()
        x = np.asarray(waveform, dtype=np.float64).ravel()
        if freq != sample_rate:  # the device kept another rate: resample by nearest sample
            x = x[np.minimum((np.arange(int(len(x) * freq / sample_rate)) * sample_rate / freq).astype(int), len(x) - 1)]
        pcm = (np.clip(x, -1.0, 1.0) * 32767.0).astype(np.int16)
        if channels > 1:
            pcm = np.repeat(pcm[:, None], channels, axis=1)
        pygame.sndarray.make_sound(np.ascontiguousarray(pcm)).play()
        return True
    except Exception:  # no device, no driver, no mixer: a silent bird, never a crash
        return False


__all__ = ["DEFAULT_GAP_MS", "DEFAULT_SAMPLE_RATE", "bout_length", "play", "synthesize_bout", "write_wav"]

"""The songbird experiments run at the small budget, produce their tables and figures, and
``write_songs`` writes playable WAVs. PASS/FAIL is judged at the full budget, not here."""

from __future__ import annotations

import json
import math
import wave
from pathlib import Path

import numpy as np
import pytest

from brainlike.agents.experiments import EXPERIMENTS, get_experiment, write_result
from brainlike.agents.experiments.songbird import write_songs

NAMES = ("tutor-learning", "performance-error", "pitch-shift")


def test_registered_with_metadata():
    for name in NAMES:
        exp = EXPERIMENTS[name]
        assert exp.body == "brainlike/SongbirdTutor-v0"
        assert exp.link.startswith("https://doi.org/") and exp.paper and exp.summary


@pytest.mark.parametrize("name", NAMES)
def test_small_budget_produces_table_numbers_and_figure(name, tmp_path, capsys):
    result = get_experiment(name).run("small", 0, tmp_path)
    assert capsys.readouterr().out == "", "experiments print nothing themselves"
    assert result.name == name and result.budget == "small" and result.seed == 0
    assert result.criteria, "a table of criteria"
    for c in result.criteria:
        assert isinstance(c.passed, bool) and isinstance(c.measured, float) and c.target
    js = result.to_json()
    text = json.dumps(js)  # JSON-serialisable
    assert json.loads(text)["name"] == name
    assert "PASS" in result.table() or "FAIL" in result.table()
    assert result.figure is not None and Path(result.figure).stat().st_size > 1000
    assert Path(result.figure).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    j, md = write_result(result, tmp_path)
    assert j.exists() and md.exists()


def test_structural_facts_at_the_small_budget(tmp_path):
    """Facts that hold at any budget: numbers in range, contrasts kept out of the criteria."""
    tl = get_experiment("tutor-learning").run("small", 1, tmp_path)
    assert all("SB3" not in c.name and "sac" not in c.name.lower() for c in tl.criteria), "SB3 is a contrast, in data only"
    d = tl.data
    assert 0 < d["chance_similarity"] < 0.1, "random motor commands score about 0.025"
    assert 0 <= d["birth_similarity"] <= 1 and 0 <= d["after_similarity_sung"] <= 1
    assert len(d["sb3_contrast"]["similarity_greedy"]) >= 2
    pe = get_experiment("performance-error").run("small", 1, tmp_path)
    assert len(pe.data["probabilities"]) == len(pe.data["dip_mean"]) == len(pe.data["burst_mean"]) >= 5
    assert np.all(np.isfinite(pe.data["dip_mean"]))


def test_same_seed_same_numbers(tmp_path):
    a = get_experiment("performance-error").run("small", 3, tmp_path / "a").to_json()
    b = get_experiment("performance-error").run("small", 3, tmp_path / "b").to_json()
    a.pop("figure"), b.pop("figure")
    assert a == b


def test_write_songs_writes_three_valid_wavs(tmp_path):
    paths = write_songs(tmp_path, seed=0, steps=400)
    assert len(paths) == 3 and len({p.name for p in paths}) == 3
    for p in paths:
        with wave.open(str(p), "rb") as w:
            assert w.getnchannels() == 1 and w.getsampwidth() == 2 and w.getframerate() > 0
            n = w.getnframes()
            assert n > 0
            pcm = np.frombuffer(w.readframes(n), dtype="<i2")
        assert not math.isnan(float(pcm.mean())) and np.abs(pcm).max() > 0

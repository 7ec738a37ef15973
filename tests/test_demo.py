"""The main job (``make demo``): what it runs, discovered from the registry, and the README's timing claims."""

from __future__ import annotations

import inspect
import json
import re

import pytest

from brainlike.agents.baselines import is_baseline
from brainlike.envs.profile import BodyProfile, body_ids, profile_for
from brainlike.scripts import demo, time_main_job
from brainlike.scripts.time_main_job import MODES, README, TIMING, marker, minutes_text, stated_minutes, update_readme


def baselines_by_body(plan: demo.Plan) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {b: set() for b in plan.bodies}
    for j in plan.jobs:
        if is_baseline(j.agent):
            found[j.body].add(j.agent)
    return found


def test_the_main_job_runs_every_registered_body_with_one_baseline_each():
    plan = demo.plan_main_job(None, list(demo.main_job_experiments()), [0, 1], seed=0)
    assert plan.bodies == list(body_ids())
    for body, baselines in baselines_by_body(plan).items():
        p = profile_for(body)
        assert baselines == {p.main_job_baseline}, body
        agents = {j.agent for j in plan.jobs if j.body == body}
        assert {"innate-only", "random", p.showcase_agent} <= agents, body
        assert {j.steps for j in plan.jobs if j.body == body} == {p.demo_steps}
        assert {j.seed for j in plan.jobs if j.body == body} == {0, 1}
    # Each body's headline experiments, each at its profile's demo budget.
    assert {(t.name, t.budget) for t in plan.experiments} == {
        (name, profile_for(b).demo_experiment_budget)
        for b in body_ids() for name in profile_for(b).main_job_experiments}
    from brainlike.agents.experiments import EXPERIMENTS

    assert set(body_ids()) == {EXPERIMENTS[t.name].body for t in plan.experiments}, "a body without its headline"


def test_full_runs_every_baseline_at_the_benchmark_budget_and_every_experiment_at_full():
    plan = demo.plan_main_job(None, ["first-loom"], [0], seed=0, full=True)
    for body, baselines in baselines_by_body(plan).items():
        assert baselines == set(profile_for(body).sb3_algorithms)
        assert {j.steps for j in plan.jobs if j.body == body} == {profile_for(body).benchmark_steps}
    assert [(t.name, t.budget) for t in plan.experiments] == [("first-loom", "full")]


def test_demo_names_no_body_it_finds_them_all_through_the_registry():
    source = inspect.getsource(demo)
    for body in body_ids():
        assert body.split("/")[-1].removesuffix("-v0") not in source, f"demo.py names {body}"


def test_demo_baseline_must_be_one_of_the_body_baselines_and_defaults_to_the_first():
    good = dict(env_id="x/Toy-v0", learner_defaults={}, sb3_algorithms=("sac", "ppo"), benchmark_steps=10,
                demo_steps=10, showcase_agent="random", experiments=())
    assert BodyProfile(**good).main_job_baseline == "sac"
    assert BodyProfile(**good, demo_baseline="ppo").main_job_baseline == "ppo"
    assert BodyProfile(**{**good, "sb3_algorithms": ()}).main_job_baseline is None
    with pytest.raises(ValueError, match=r"demo_baseline of x/Toy-v0 must be one of its sb3_algorithms .*'dqn'"):
        BodyProfile(**good, demo_baseline="dqn")


@pytest.mark.parametrize("body", body_ids())
def test_every_body_demo_baseline_and_experiment_budget_are_valid(body):
    from brainlike.agents.experiments import BUDGETS

    p = profile_for(body)
    assert p.main_job_baseline in p.sb3_algorithms
    assert p.demo_experiment_budget in BUDGETS


def test_progress_weights_come_from_the_recorded_run_and_order_the_longest_first(tmp_path):
    path = tmp_path / "timing.json"
    path.write_text(json.dumps({"demo": {"tasks": {"a": {"cpu_seconds": 3.0, "wall_seconds": 4.0}}}}))
    assert demo.expected_seconds("demo", path) == {"a": 3.0}
    assert demo.expected_seconds("full", path) == {}
    assert demo.expected_seconds("demo", tmp_path / "missing.json") == {}
    plan = demo.plan_main_job(["random"], ["first-loom"], [0], seed=0)
    fast, slow = plan.jobs[0], plan.jobs[-1]
    runner = demo.MainJobRunner(plan, workers=1, progress=False, expected={slow.key: 50.0, fast.key: 2.0})
    assert runner.weight[slow.key] == 50.0 and runner.weight["experiment:first-loom"] == 26.0  # unknown: the known mean
    assert runner.longest_first([fast, plan.experiments[0], slow]) == [slow, plan.experiments[0], fast]


# --- the README's timing claims -----------------------------------------------------------
def test_the_readme_states_the_recorded_main_job_minutes():
    """Every minute count the README gives for the main job is the recorded run's (or "not measured")."""
    timing = json.loads(TIMING.read_text()) if TIMING.exists() else {}
    readme = README.read_text()
    for mode in MODES:
        assert stated_minutes(readme, mode) == minutes_text(timing.get(mode)), mode
    # No other duration of a whole run outside the markers: those would be unchecked claims.
    unmarked = readme
    for mode in MODES:
        unmarked = marker(mode).sub("", unmarked)
    assert not re.findall(r"\d+(?:\.\d+)?\s*(?:minutes|min\b)", unmarked)


def test_update_readme_writes_the_median_and_not_measured():
    text = ("a <!-- main-job-minutes:demo -->old<!-- /main-job-minutes --> b "
            "<!-- main-job-minutes:full -->old<!-- /main-job-minutes -->")
    record = {"median_minutes": 4.26, "cores": 2, "runs": [{"minutes": 4.0, "load_average_start": [0.3, 0.4, 0.5],
                                                     "load_average_end": [1.0, 1.7, 0.9]}] * 3}
    new = update_readme(text, {"demo": record})
    assert stated_minutes(new, "demo") == minutes_text(record)
    assert "4.3 minutes (median of 3 runs on 2 cores; load average at most 0.3 at the start, 1.7 over" in new
    assert stated_minutes(new, "full") == "not measured"
    with pytest.raises(ValueError, match="main-job-minutes:demo"):
        update_readme("no markers", {})


def test_time_main_job_refuses_fewer_than_one_run(capsys):
    with pytest.raises(SystemExit):
        time_main_job.main(["--runs", "0"])
    assert "--runs must be at least 1, got 0" in capsys.readouterr().err


def test_every_planned_learner_can_learn_on_its_body_the_cerebellum_only_on_the_eyelid():
    """A job the plan includes must not build and then fail at its first learning step (it did on the owl)."""
    from brainlike.agents.runner import fits

    assert fits("cerebellar", "brainlike/Eyeblink-v0")
    assert not fits("cerebellar", "brainlike/BarnOwl-v0")
    plan = demo.plan_main_job(["cerebellar"], [], [0], seed=0)
    assert {j.body for j in plan.jobs} == {"brainlike/Eyeblink-v0"}

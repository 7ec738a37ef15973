# The README's two commands: `make demo` (the main job) and `make test`.
# Each sets itself up: a virtual environment in .venv, torch pinned to the CPU
# build *before* stable-baselines3 (a plain `torch` would pull a multi-GB CUDA
# build), then the project in editable mode with every extra ([all]: agents,
# report, test, zoo), which also installs the `brainlike` command in .venv/bin.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TORCH  := torch==2.13.0

.PHONY: demo demo-full time-demo time-demo-full test perf install clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "$(TORCH)"
	$(PY) -m pip install --quiet -e ".[all]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/brainlike demo

# The longer, complete main job: every SB3 baseline, full budgets.
demo-full: $(STAMP)
	$(VENV)/bin/brainlike demo --full --out runs/main-full

# Re-measure the main job (3 runs from a fresh clone, median; setup timed apart) and write the
# minutes into docs/main-job-timing.json and README.md together. Run it on a quiet machine.
time-demo: $(STAMP)
	$(PY) -m brainlike.scripts.time_main_job --runs 3

time-demo-full: $(STAMP)
	$(PY) -m brainlike.scripts.time_main_job --full --runs 1

test: $(STAMP)
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(PY) -m pytest -n 2 -q

perf: $(STAMP)
	$(VENV)/bin/brainlike perf --sb3

clean:
	rm -rf $(VENV) runs .pytest_cache

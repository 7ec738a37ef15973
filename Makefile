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

.PHONY: demo test perf install clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "$(TORCH)"
	$(PY) -m pip install --quiet -e ".[all]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/brainlike demo

test: $(STAMP)
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(PY) -m pytest -n 2 -q

perf: $(STAMP)
	$(VENV)/bin/brainlike perf --sb3

clean:
	rm -rf $(VENV) runs .pytest_cache

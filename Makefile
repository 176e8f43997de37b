# Two commands on a fresh clone: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench stress lint clean constraints

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/briefings demo

test: $(STAMP)
	$(PY) -m pytest -n 2 -q

bench: $(STAMP)
	$(PY) bench/run.py

# The long versions of tests/test_stress.py (500 SIGKILL trials of a 500-file ingest, 10 minutes of four
# concurrent writers and a reader); BRIEFINGS_KILL_TRIALS / BRIEFINGS_STRESS_SECONDS / BRIEFINGS_SEED adjust them.
stress: $(STAMP)
	BRIEFINGS_STRESS=1 $(PY) -m pytest -n 2 -q -rA -p no:cacheprovider tests/test_stress.py

lint: $(STAMP)
	$(VENV)/bin/lint-imports

# Refresh the pinned versions after changing dependencies in pyproject.toml.
constraints: $(STAMP)
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

clean:
	rm -rf $(VENV) build *.egg-info

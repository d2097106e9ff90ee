# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m kiosk --db instance/demo.db demo --host 0.0.0.0 --port 5000

test: $(STAMP)
	$(PY) -m ruff check kiosk tests bench
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check kiosk tests bench
	$(PY) -m ruff format --check kiosk tests bench

bench: $(STAMP)
	$(PY) bench/bench_import.py
	$(PY) bench/bench_badges.py
	$(PY) bench/bench_scans.py
	$(PY) bench/bench_live.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

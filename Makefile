# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# The tests whose screens and numbers depend on the moment of the day: run again at an
# evening hour (Debian's faketime; 21:30 UTC is 22:30 in Brussels), so one that reads the
# wall clock fails. As an offset from the real clock, not faketime's "@time": with "@" every
# process starts its own clock at that time, and a server restarted by a test would find
# the cookies its predecessor signed minutes "in the future".
EVENING ?= 2026-12-01 21:30:00
EVENING_OFFSET = $$(printf '%+d' $$(( $$(date -d '$(EVENING)' +%s) - $$(date +%s) )))
CLOCK_TESTS := tests/browser tests/test_live.py tests/test_screens.py tests/test_headcounts.py \
	tests/test_forecast.py tests/test_clock.py tests/test_simulate.py tests/test_report.py

.PHONY: run test test-evening lint bench clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .   # the `kiosk` command, from any folder
	touch $(STAMP)

# make run DEMO="--clock 12:00 --speed 60": the demo's knobs (README, "The demo").
DEMO ?=
run: $(STAMP)
	$(PY) -m kiosk --db instance/demo.db demo --host 0.0.0.0 --port 5000 $(DEMO)

test: $(STAMP)
	$(PY) -m ruff check kiosk tests bench docs
	$(PY) -m pytest

test-evening: $(STAMP)
	faketime -f "$(EVENING_OFFSET)" $(PY) -m pytest -q $(wildcard $(CLOCK_TESTS))

lint: $(STAMP)
	$(PY) -m ruff check kiosk tests bench docs
	$(PY) -m ruff format --check kiosk tests bench docs

# make bench: one table (bench/table.py); QUICK=1 a fast pass; ONLY=search,headcounts a few.
QUICK ?=
ONLY ?=
bench: $(STAMP)
	$(PY) bench/table.py $(if $(QUICK),--quick) $(if $(ONLY),--only $(ONLY))

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# dyad's two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
SHARED ?= ../shared
DB ?= dyad.db
BIN := $(VENV)/bin

.PHONY: setup demo test eval clean

# The virtual environment is rebuilt when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

demo: setup
	$(BIN)/dyad ingest $(SHARED)/corpus --db $(DB)
	$(BIN)/dyad docs --db $(DB)
	$(BIN)/dyad export annotations out/annotations --db $(DB)
	$(BIN)/dyad ask --batch $(SHARED)/gold --json out/answers.json --k 10 --db $(DB)
	$(PYTHON) $(SHARED)/eval/score.py --gold $(SHARED)/gold --pred out/annotations --answers out/answers.json

test: setup
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) out $(DB) $(DB)-wal $(DB)-shm

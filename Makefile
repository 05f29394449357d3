# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(TESTSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

.PHONY: run test lint bench build clean
run: $(STAMP)
	$(BIN)/kkrdesk

test: $(TESTSTAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q
	$(BIN)/ruff check kkrdesk tests bench

lint: $(TESTSTAMP)
	$(BIN)/ruff check kkrdesk tests bench

bench: $(TESTSTAMP)
	$(BIN)/python -m pip install -q -e '.[bench]'
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

build: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[build]'
	$(BIN)/pyinstaller --noconfirm build.spec

clean:
	rm -rf build dist

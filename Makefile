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

.PHONY: run test lint bench build test-packaging clean
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

# One-folder app in dist/kkrdesk (see docs/packaging.md); build/ holds PyInstaller's work files.
build: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[build]'
	$(BIN)/pyinstaller --noconfirm build.spec
	du -sh dist/kkrdesk

# Builds the app into a temp dir and runs the built binary headless (slow: ~3 min on 2 cores).
test-packaging: $(TESTSTAMP)
	$(BIN)/python -m pip install -q -e '.[build]'
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m slow tests/test_packaging.py

clean:
	rm -rf build dist

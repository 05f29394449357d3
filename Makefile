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
	@$(BIN)/python -m kkrdesk.ui.platform_check
	$(BIN)/kkrdesk

test: $(TESTSTAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q
	$(BIN)/ruff check kkrdesk tests bench packaging

lint: $(TESTSTAMP)
	$(BIN)/ruff check kkrdesk tests bench packaging

bench: $(TESTSTAMP)
	$(BIN)/python -m pip install -q -e '.[bench]'
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

# One-folder app in dist/kkrdesk (see docs/packaging.md); build/ holds PyInstaller's work files.
# The build has its own venv: the same dependencies as .venv, except that numpy is compiled from
# source without BLAS/LAPACK (it then uses its bundled lapack_lite), which keeps numpy's 28 MB
# OpenBLAS out of the app. Compiling numpy takes ~10 min on 2 cores, once per fresh .venv-build
# (a later change to pyproject.toml reinstalls the other dependencies, not numpy).
BUILDVENV := .venv-build
BBIN := $(BUILDVENV)/bin
BUILDSTAMP := $(BUILDVENV)/.installed

$(BBIN)/python:
	$(PY) -m venv $(BUILDVENV)
	$(BBIN)/python -m pip install -q --upgrade pip

$(BUILDSTAMP): pyproject.toml | $(BBIN)/python
	$(BBIN)/python -m pip install -q -e '.[build,test]'
	$(BBIN)/python packaging/check_build_env.py --quiet || \
	$(BBIN)/python -m pip install -q --force-reinstall --no-deps --no-binary numpy \
		"numpy==$$($(BBIN)/python -c 'import numpy; print(numpy.__version__)')" \
		-Csetup-args=-Dallow-noblas=true -Csetup-args=-Dblas=none -Csetup-args=-Dlapack=none
	$(BBIN)/python packaging/check_build_env.py
	touch $@

build: $(BUILDSTAMP)
	$(BBIN)/pyinstaller --noconfirm build.spec
	du -sh dist/kkrdesk

# Builds the app into a temp dir and runs the built binary headless (slow: ~1.5 min on 2 cores,
# plus the numpy compile on a fresh .venv-build). KKRDESK_TEST_APP=dist/kkrdesk reuses a build.
test-packaging: $(BUILDSTAMP)
	QT_QPA_PLATFORM=offscreen $(BBIN)/python -m pytest -q -m slow tests/test_packaging.py

clean:
	rm -rf build dist

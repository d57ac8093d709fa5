# Each target sets up what it needs: a fresh clone only needs Python 3.11+, a C compiler and
# the Python headers (durable-rules builds a C extension).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: cases test test-slow docs fuzz clean

# pip -qq: errors only (setuptools' notes on an editable install are not for the user).
$(BIN)/triage: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install -qq -e '.[dev]'
	touch $(BIN)/triage

## Run the main job: evaluate every example case in cases/.
cases: $(BIN)/triage
	$(BIN)/triage run cases

# The test run: TEST_WORKERS processes (pytest-xdist; CI's machine has two cores). Compiled
# bytecode goes to .venv/pycache even where PYTHONDONTWRITEBYTECODE is set: otherwise every
# worker, and every `triage` a test starts, compiles the package and pytest rewrites the ~150
# test and plugin modules again, about 2 s of CPU per process.
TEST_WORKERS ?= 2
PYTEST := PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/$(VENV)/pycache $(BIN)/pytest

## Run the checks CI runs: lint, format and the test suite (the quick group, in under 30 s).
test: $(BIN)/triage
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PYTEST) -q -n $(TEST_WORKERS)

## Run the slow tests (browser, fault injection, long cohorts); CI runs them after `make test`.
test-slow: $(BIN)/triage
	$(PYTEST) -q -m slow || [ $$? -eq 5 ]  # exit 5: no slow test collected

## Remake the handout and graph examples in docs/examples/ (the SVG needs Graphviz) and the
## page's screenshots in docs/screenshots/ (the browser tests, which need chromium).
EXAMPLE := cases/liver/liver-er-positive-conflict.yaml
docs: $(BIN)/triage
	@command -v dot >/dev/null || { echo 'error: make docs draws the graph with Graphviz: install it first (apt-get install graphviz)' >&2; exit 2; }
	rm -f docs/examples/*
	$(BIN)/triage run $(EXAMPLE) --format markdown --output docs/examples/liver-er-positive-conflict.md
	$(BIN)/triage run $(EXAMPLE) --format mermaid --output docs/examples/liver-er-positive-conflict.mmd
	$(BIN)/triage run $(EXAMPLE) --format dot --output docs/examples/liver-er-positive-conflict.svg
	TRIAGE_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q -m slow tests/test_web_browser.py

## Fuzz for MINUTES minutes, outside the test run: every input must get a report or one error.
MINUTES ?= 5
fuzz: $(BIN)/triage
	$(BIN)/python fuzz/run.py --minutes $(MINUTES)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache

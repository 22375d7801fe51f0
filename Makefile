# The two commands of the README: `make run` (the app on the bundled seeds) and
# `make test`. Both create or reuse .venv and install what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test eval bench-search screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/newsreader $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

eval: $(STAMP)
	$(BIN)/newsreader eval --gold tests/data/seeds_gold.json --no-cache $(ARGS)

CORPUS ?= ../shared/corpora/bbc
bench-search: $(STAMP)
	$(BIN)/python bench/search.py $(CORPUS)

screenshots: $(STAMP)
	$(BIN)/python -m tui.app.screenshots screenshots

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

# The two commands of the README: `make run` (the app on the bundled seeds) and
# `make test`. Both create or reuse .venv and install what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test fuzz eval bench screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/newsreader $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The property tests with FUZZ times more inputs, more and longer random walks of keys,
# and the CLI over the hostile folder with its 50 MB file: for a long run, not for CI.
FUZZ ?= 20
fuzz: $(STAMP)
	NEWSREADER_FUZZ=$(FUZZ) $(BIN)/python -m pytest --hypothesis-show-statistics \
		tests/test_properties.py tests/test_index.py tests/test_random_walk.py tests/test_hostile_folder.py \
		-k "any_ or cleaning or offset or random_walk or tiny or hostile or folder or skipped" $(PYTEST_ARGS)

eval: $(STAMP)
	$(BIN)/newsreader eval --gold tests/data/seeds_gold.json --no-cache $(ARGS)

# newsreader bench: timings beside the raw libraries; TIMES=10 copies the corpus 10×.
CORPUS ?= ../shared/corpora/bbc
TIMES ?= 1
bench: $(STAMP)
	$(BIN)/newsreader bench $(CORPUS) --times $(TIMES) --json bench-results.json $(ARGS)

screenshots: $(STAMP)
	$(BIN)/python -m tui.app.screenshots screenshots

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

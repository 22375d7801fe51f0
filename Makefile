# The two commands of the README: `make run` (the app on the bundled seeds) and
# `make test`. Both create or reuse .venv and install what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test fuzz eval bench screenshots clean tmux

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/newsreader $(ARGS)

test: $(STAMP) tmux
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The end-to-end tests drive the installed app in tmux: installed here where apt-get can
# be used as root; elsewhere those tests say why they are skipped.
tmux:
	@command -v tmux >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing tmux for the end-to-end tests"; \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null 2>&1 \
			|| { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null 2>&1; } \
			|| echo "tmux could not be installed: the end-to-end tests will be skipped"; \
		else echo "tmux is missing (and apt-get cannot be used): the end-to-end tests will be skipped"; fi; }

# The property tests with FUZZ times more inputs, more and longer random walks of keys,
# and the CLI over the hostile folder with its 50 MB file: for a long run, not for CI.
FUZZ ?= 20
fuzz: $(STAMP)
	NEWSREADER_FUZZ=$(FUZZ) $(BIN)/python -m pytest --hypothesis-show-statistics \
		tests/test_properties.py tests/test_index.py tests/test_random_walk.py tests/test_hostile_folder.py \
		-k "any_ or cleaning or offset or random_walk or tiny or hostile or folder or skipped" $(PYTEST_ARGS)

# The seeds (what the rules were written on), then 44 held-out stories: a dev half looked at
# while improving the analysis, a test half only scored (tests/data/heldout_gold.json).
eval: $(STAMP)
	$(BIN)/newsreader eval --gold tests/data/seeds_gold.json --no-cache $(ARGS)
	$(BIN)/newsreader eval --gold tests/data/heldout_gold.json --no-cache --raw $(ARGS)

# newsreader bench: timings beside the raw libraries; TIMES=10 copies the corpus 10×.
CORPUS ?= ../shared/corpora/bbc
TIMES ?= 1
bench: $(STAMP)
	$(BIN)/newsreader bench $(CORPUS) --times $(TIMES) --json bench-results.json $(ARGS)

screenshots: $(STAMP)
	$(BIN)/python -m tui.app.screenshots screenshots

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

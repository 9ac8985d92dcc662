# Clearinfo: two commands.
#   make site   set everything up and build the whole site into site/
#   make test   set everything up and run every test
#   make test-fast  the quick tier for contributors: no site builds, no browser (a minute or two)
# Both are safe to run again; when nothing is missing the set-up steps take a second.
# Each set-up step says what it does in one line; the details go to .cache/setup.log, and a step
# that fails prints the end of that log and stops make (build_tools/setup/step.sh).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMPS := $(VENV)/.clearinfo
STEP   := bash build_tools/setup/step.sh

.PHONY: site test test-fast setup system python assets piper lock clean

# The gate runs after the build; the last build writes its results into the accessibility
# statement (everything else comes from the cache, so it takes a second or two).
site: setup
	$(BIN)/clearinfo build
	$(BIN)/clearinfo check
	$(BIN)/clearinfo build

# One worker a CPU; each test module runs whole on one worker, so its fixtures are made once.
# The tests also speak with Piper (a natural voice): it goes in .venv-piper, apart from .venv (GPL-3.0).
test: setup piper
	$(BIN)/python -m pytest -n auto --dist loadscope

# Tests marked slow build a site or start a browser (tests/conftest.py marks them); CI runs them all.
test-fast: setup
	$(BIN)/python -m pytest -m "not slow"

setup: system python assets

# Piper and its small test voice, pinned with hashes (build_tools/setup/piper.lock), for the tests.
piper:
	@bash build_tools/setup/piper.sh $(PYTHON)

# System programs (Chromium, espeak-ng, ffmpeg, Pango). The script checks first
# and only calls apt-get when something is missing.
system:
	@bash build_tools/setup/system-packages.sh

# The virtual environment with every Python package pinned in requirements.lock.
python: $(STAMPS)/python

$(STAMPS)/python: requirements.lock pyproject.toml
	@$(STEP) "Installing the Python packages into $(VENV)" sh -ec '\
	  test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); \
	  $(BIN)/python -m pip install --progress-bar off --upgrade pip; \
	  $(BIN)/python -m pip install --progress-bar off -r requirements.lock; \
	  $(BIN)/python -m pip install --progress-bar off --no-deps -e .'
	@mkdir -p $(STAMPS) && touch $@

# Fonts and axe-core, fetched from the npm registry at pinned versions and
# checked against their published hashes (see build_tools/clearinfo/vendor.py).
assets: python
	@$(STEP) "Fetching any missing fonts and accessibility checkers" $(BIN)/clearinfo fetch-assets

# Re-pin every Python package after changing pyproject.toml.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet ".[test]"
	.lock-venv/bin/pip freeze --exclude clearinfo > requirements.lock.new
	rm -rf .lock-venv
	{ sed -n '1,2p' requirements.lock; cat requirements.lock.new; } > requirements.lock.tmp
	mv requirements.lock.tmp requirements.lock && rm requirements.lock.new

clean:
	rm -rf site .site.* $(VENV) .venv-piper .vendor

# Two commands set everything up on a fresh machine with Python 3.11:
#   make site    creates .venv, installs pinned dependencies, builds site/
#   make test    runs the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test check serve clean bench messages help

$(BIN)/briefings: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.dev-installed: $(BIN)/briefings requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

# The package's compiled modules, written here because Python does not write them where
# the environment says not to (PYTHONDONTWRITEBYTECODE): compiling them took 55 ms of every run.
$(VENV)/.compiled: $(BIN)/briefings $(wildcard generator/*.py)
	$(BIN)/python -m compileall -q generator
	@touch $@

site: $(BIN)/briefings $(VENV)/.compiled
	$(BIN)/briefings build

# As the pull request and the deploy workflows check: every warning is an error.
check: $(BIN)/briefings $(VENV)/.compiled
	$(BIN)/briefings check --strict

serve: $(BIN)/briefings $(VENV)/.compiled
	$(BIN)/briefings serve

test: $(VENV)/.dev-installed $(VENV)/.compiled
	bash tests/install_browser.sh
	$(BIN)/python -m pytest -n 2

# The catalogues of the site's words (CONTRIBUTING.md, "Adding a language"): the template
# from the code and templates, then every language's catalogue brought in line with it;
# a new label shows untranslated there, and tests/test_i18n.py fails until it is translated.
messages: $(BIN)/briefings
	$(BIN)/pybabel -q extract -F generator/locales/babel.cfg -k plural_forms:1,2 --add-location=file --sort-by-file \
	  --project=briefings --copyright-holder="the briefings contributors" -o generator/locales/briefings.pot .
	for po in generator/locales/*.po; do \
	  $(BIN)/pybabel -q update -i generator/locales/briefings.pot -o $$po -l $$(basename $$po .po | tr - _) \
	    --no-fuzzy-matching --ignore-obsolete; \
	done

# Times 1k, 5k, 20k and 100k-entry synthetic archives against Hugo and mkdocs-material's
# blog plugin, each size with targets held to them (tests/bench/bench.py: TARGETS, GROWTH),
# and the import of 20k updates; e.g. make bench BENCH_ARGS="--sizes 1000,5000 --runs 3".
bench: $(VENV)/.dev-installed $(VENV)/.compiled
	$(BIN)/python tests/bench/bench.py $(BENCH_ARGS)

clean:
	rm -rf site .site.* .venv build *.egg-info

help:
	@echo "make site       create .venv (pinned dependencies) and build site/ from content/"
	@echo "make check      check content/ and site_config/ as the pull request does (--strict)"
	@echo "make serve      a live preview at http://127.0.0.1:8000/, rebuilt after every edit"
	@echo "make test       the whole test suite (installs Chromium and axe-core for the browser tests)"
	@echo "make messages   bring the catalogues of the site's words in line with the code"
	@echo "make bench      the benchmark against Hugo (BENCH_ARGS=\"--sizes 1000,5000\" for fewer sizes)"
	@echo "make clean      delete site/, the build's hidden .site.* folders and .venv/ (not .cache/)"

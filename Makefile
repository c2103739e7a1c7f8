# dyadscope — two commands: `make brief` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
RUNTIME_STAMP := $(VENV)/.stamp-runtime
TEST_STAMP    := $(VENV)/.stamp-test
# Exact versions of every dependency (pyproject.toml only states lower bounds).
LOCK          := requirements/lock.txt

.PHONY: brief test lint bench lock java chromium clean help

help:
	@echo "make brief   create .venv, install dyadscope, write out/brief.html (Russia–China)"
	@echo "make test    install test dependencies, run ruff and pytest"
	@echo "make bench   run the benchmarks (long; prints ratios against in-run baselines)"
	@echo "make lock    re-resolve the newest allowed releases into $(LOCK) (network)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(RUNTIME_STAMP): pyproject.toml $(LOCK) | $(PY)
	$(PIP) install -c $(LOCK) -e .
	@touch $@

# Test extras, at the locked versions. fcmpy pins ancient releases (pandas 1.3,
# tensorflow) that the simulator we compare against never imports, so it is installed
# without its declared dependencies; the test extra lists what it does import.
$(TEST_STAMP): $(RUNTIME_STAMP) pyproject.toml requirements-nodeps.txt $(LOCK)
	$(PIP) install -c $(LOCK) -e '.[test,spark,games,documents,browser]'
	$(PIP) install -c $(LOCK) --no-deps -r requirements-nodeps.txt
	@touch $@

# Regenerate the lock: resolve the newest releases pyproject.toml allows in a scratch
# venv, then freeze what the extras need (scripts/lock_requirements.py).
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install -q --upgrade pip
	.venv-lock/bin/python -m pip install -q -e '.[test,spark,games,documents,browser]'
	.venv-lock/bin/python -m pip install -q --no-deps -r requirements-nodeps.txt
	.venv-lock/bin/python scripts/lock_requirements.py -o $(LOCK)
	rm -rf .venv-lock

brief: $(RUNTIME_STAMP)
	$(BIN)/dyadscope brief RUS CHN -o out/brief.html

# Spark needs a Java runtime (11 or 17). Install it when we can, else say how.
java:
	@if command -v java >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing a Java runtime for Spark (openjdk-17-jre-headless)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless; \
	else \
	  echo "Spark tests need Java 17: install it, e.g. 'sudo apt-get install openjdk-17-jre-headless'"; exit 1; \
	fi

# The browser tests (tests/browser) and `brief --format pdf` use Debian's Chromium, never a
# browser downloaded by Playwright; poppler-utils renders PDF pages to PNG for the checks.
# Installed when we can (root with apt); otherwise those tests skip and say why.
chromium:
	@if [ -x /usr/bin/chromium ] && command -v pdftoppm >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Chromium and poppler-utils for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils; \
	else \
	  echo "Browser tests will skip: install chromium and poppler-utils (e.g. 'sudo apt-get install chromium poppler-utils')"; \
	fi

lint: $(TEST_STAMP)
	$(BIN)/ruff check conftest.py src tests benchmarks scripts
	$(BIN)/ruff format --check conftest.py src tests benchmarks scripts

# pytest also runs every module's docstring examples and each benchmark in --quick
# mode as a smoke test (tests/test_benchmarks_smoke.py).
test: $(TEST_STAMP) java chromium
	$(BIN)/ruff check conftest.py src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: $(TEST_STAMP) java
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) .venv-lock out .pytest_cache .ruff_cache

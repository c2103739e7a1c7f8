# dyadscope — two commands: `make brief` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
RUNTIME_STAMP := $(VENV)/.stamp-runtime
TEST_STAMP    := $(VENV)/.stamp-test

.PHONY: brief test lint bench java clean help

help:
	@echo "make brief   create .venv, install dyadscope, write out/brief.html (Russia–China)"
	@echo "make test    install test dependencies, run ruff and pytest"
	@echo "make bench   run the benchmarks (long; prints ratios against in-run baselines)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(RUNTIME_STAMP): pyproject.toml | $(PY)
	$(PIP) install -e .
	@touch $@

# Test-only extras. fcmpy and axelrod pin ancient or heavy dependencies (tensorflow,
# torch) that the parts we use never import, so they are installed without them.
$(TEST_STAMP): $(RUNTIME_STAMP) pyproject.toml requirements-nodeps.txt
	$(PIP) install -e '.[test,spark,games]'
	$(PIP) install --no-deps -r requirements-nodeps.txt
	@touch $@

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

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

test: $(TEST_STAMP) java
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest -q

bench: $(TEST_STAMP) java
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache

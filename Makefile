# taskstream developer entry points. A fresh machine needs python3.11, a JDK 17 and Maven 3.8+;
# everything else (venv, jars from Maven Central, Kafka, Cassandra) is fetched on first use.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# reinstall when the dependencies change, or when a new top-level package appears: the editable
# install maps top-level packages once, at install time
STAMP := $(VENV)/.installed
PACKAGES := $(wildcard */__init__.py)
PYTEST_ARGS ?=

.PHONY: install jars web-assets run up down status test test-cluster lint clean distclean kfp-venv chromium

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml $(PACKAGES) | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

# the kfp 1.8 client pins (protobuf 3, urllib3 1, pydantic 1) clash with ours: its own venv,
# used by tests/e2e/test_kfp_client.py to run client scripts
KFP_VENV := .venv-kfp
kfp-venv: $(KFP_VENV)/.installed

$(KFP_VENV)/.installed:
	$(PYTHON) -m venv $(KFP_VENV)
	$(KFP_VENV)/bin/pip install --quiet --disable-pip-version-check kfp==1.8.22 kfp-server-api==1.8.5
	touch $@

# tests/e2e/test_web_app.py drives Debian's chromium (Playwright never downloads a browser here)
chromium:
	@command -v chromium >/dev/null || { apt-get update && apt-get install -y chromium; }

jars: $(STAMP)
	$(BIN)/taskstream infra jars

# upstream files that the shared web-app build shipped empty (its Plotly), fetched once with npm
# into .cache and checked against the registry's integrity hash (infra/web_assets.py)
web-assets: $(STAMP)
	$(BIN)/taskstream infra web-assets

run: jars
	$(BIN)/taskstream run

up: jars
	$(BIN)/taskstream up

down: $(STAMP)
	$(BIN)/taskstream down

status: $(STAMP)
	$(BIN)/taskstream status

# the suite starts the services it needs itself (tests/services.py). pytest exits 5 when it
# collected nothing: that is a failure here, a suite that ran nothing proves nothing
test: $(STAMP) kfp-venv chromium web-assets
	@rc=0; $(BIN)/python -m pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then \
		echo "make test: FAILED: pytest collected no tests (exit 5)" >&2; \
	fi; \
	exit $$rc

# the fault matrix on the local three-node cluster (tests/cluster): starts the cluster itself
test-cluster: $(STAMP)
	TS_CLUSTER_TESTS=1 $(BIN)/python -m pytest tests/cluster -s $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# stops this checkout's processes first: their data and pid files live in .local
clean:
	if [ -x $(BIN)/taskstream ]; then $(BIN)/taskstream down; fi
	rm -rf .local .pytest_cache .ruff_cache .mypy_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf .cache $(VENV) $(KFP_VENV)

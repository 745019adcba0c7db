# The two commands a fresh machine needs:
#   make run    set up, build, and run the main job on the sample input (output/)
#   make test   set up, build, and run every test
# Both install what they need (scripts/setup.sh) and are quick when it is already there.

SHELL := /bin/bash
CARGO ?= cargo
PY := .venv/bin/python
SHARED ?= $(abspath ../shared)
export STANCEWATCH_SHARED ?= $(SHARED)

.PHONY: setup build run test bench test-recipes test-notebooks models model-ner model-stance eval lint

setup:
	@bash scripts/setup.sh

build: setup
	$(CARGO) build --release -p stancewatch

run: build
	./target/release/stancewatch run --input input/sample --output output

# Python recipe smoke tests and the notebooks (run headless on a fresh sample run) first;
# cargo's test summary closes the output.
test: setup test-recipes test-notebooks
	$(CARGO) test --release --workspace

test-notebooks: build
	rm -rf target/sample-output
	./target/release/stancewatch run --input input/sample --output target/sample-output
	$(PY) notebooks/run_notebooks.py target/sample-output

test-recipes: setup
	$(PY) models/train/metrics.py
	$(PY) models/train/smoke_test.py --data "$(STANCEWATCH_SHARED)/train"

# Full retraining (hours on 2 cores; never part of the tests). DATA is the shared train folder.
DATA ?= $(SHARED)/train
models: model-ner model-stance
model-ner: setup
	$(PY) models/train/train_ner.py --data "$(DATA)" --out models/ner
model-stance: setup
	$(PY) models/train/train_stance.py --data "$(DATA)" --eval-data "$(SHARED)/eval" --out models/stance

# Every evaluation of the shipped models, through Rust.
eval: build
	./target/release/stancewatch eval ner --conll "$(SHARED)/train/ner_conll2003_en/eng.testb"
	./target/release/stancewatch eval stance
	./target/release/stancewatch eval sentences
	./target/release/stancewatch eval actors

# Throughput vs the Python peer (same weights, same threads); see bench/run.sh.
bench: build
	bash bench/run.sh

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --release --workspace --all-targets -- -D warnings
